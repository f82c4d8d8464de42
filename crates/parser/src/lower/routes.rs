//! Routes across the whole project: every domain's router is merged into one
//! (`backend::router()` in rust-axum, one app in every stack), so a route is
//! checked against every other route of every domain, at lint time, at the
//! row that declares it. Two domains declaring the same method and path, or
//! two routes naming the parameter at the same place differently
//! (`/orders/{order_id}` beside `/orders/{id}/lines`: axum's router refuses
//! that at start-up) are `route-conflict` errors; a path with characters no
//! URL path carries unescaped is `invalid-path`.

use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::source::Span;
use crate::syntax::RawSpec;

/// One declared route: where it is written, and the operation it serves.
#[derive(Debug, Clone)]
pub(super) struct Row {
    domain: String,
    method: String,
    operation: String,
    span: Span,
}

/// The rows of every domain, taken before the domains are lowered.
pub(super) fn rows<'a>(domains: impl Iterator<Item = (&'a String, &'a Vec<RawSpec>)>) -> Vec<Row> {
    let mut rows = Vec::new();
    for (domain, raws) in domains {
        for row in raws.iter().flat_map(|r| &r.endpoints) {
            rows.push(Row {
                domain: domain.clone(),
                method: row.method.text.to_ascii_uppercase(),
                operation: row.operation.text.clone(),
                span: row.path.span,
            });
        }
    }
    rows
}

fn segments(path: &str) -> Vec<&str> {
    path.split('/').filter(|s| !s.is_empty()).collect()
}

fn param(segment: &str) -> Option<&str> {
    segment.strip_prefix('{').and_then(|s| s.strip_suffix('}'))
}

/// The first place where `a` and `b` name a parameter differently, while
/// every segment before it is the same: (a's name, b's name).
fn param_clash<'p>(a: &'p str, b: &'p str) -> Option<(&'p str, &'p str)> {
    for (x, y) in segments(a).into_iter().zip(segments(b)) {
        match (param(x), param(y)) {
            (Some(p), Some(q)) if p != q => return Some((p, q)),
            (Some(_), Some(_)) => {}
            (None, None) if x == y => {}
            // Different static segments, or static beside a parameter
            // (the router prefers the static one): the routes part here.
            _ => return None,
        }
    }
    None
}

/// Characters a URL path cannot carry as written (RFC 3986 allows
/// unreserved, sub-delims, `:` and `@`); braces delimit parameters.
fn bad_char(path: &str) -> Option<char> {
    path.chars()
        .find(|c| !(c.is_alphanumeric() || "-._~!$&'()*+,;=:@/{}".contains(*c)))
}

/// Checks every route of the project against every other.
pub(super) fn check(project: &Project, rows: &[Row], diagnostics: &mut Vec<Diagnostic>) {
    // The path each row became (parameters renamed to their inputs by lowering).
    let mut routes: Vec<(&Row, String)> = Vec::new();
    for row in rows {
        let Some(domain) = project.domains.iter().find(|d| d.name == row.domain) else {
            continue;
        };
        let Some(endpoint) = domain
            .endpoints
            .iter()
            .find(|e| e.operation == row.operation && e.method == row.method)
        else {
            continue;
        };
        if routes.iter().any(|(r, p)| {
            r.domain == row.domain
                && r.method == row.method
                && *p == endpoint.path
                && r.operation == row.operation
        }) {
            continue;
        }
        routes.push((row, endpoint.path.clone()));
    }
    for (row, path) in &routes {
        if let Some(c) = bad_char(path) {
            diagnostics.push(
                Diagnostic::error(
                    "invalid-path",
                    row.span,
                    format!("`{path}` contains `{c}`, which a URL path cannot carry as written"),
                )
                .label("path")
                .hint("use letters, digits, `-`, `_`, `.` and `~` in path segments"),
            );
        }
    }
    for (i, (row, path)) in routes.iter().enumerate() {
        for (first, first_path) in &routes[..i] {
            if first.method == row.method
                && first.domain != row.domain
                && segments(first_path) == segments(path)
            {
                diagnostics.push(
                    Diagnostic::error(
                        "route-conflict",
                        row.span,
                        format!(
                            "`{} {path}` is also declared by domain `{}`: one application cannot serve both",
                            row.method, first.domain
                        ),
                    )
                    .label("declared again here")
                    .related(first.span, "first declared here")
                    .hint("give one domain another path (a prefix such as `/billing/...`), or move the operation to one domain"),
                );
                break;
            }
            if let Some((mine, theirs)) = param_clash(path, first_path) {
                diagnostics.push(
                    Diagnostic::error(
                        "route-conflict",
                        row.span,
                        format!(
                            "`{path}` names the parameter `{{{mine}}}` where `{first_path}` names it `{{{theirs}}}`: one router cannot serve both"
                        ),
                    )
                    .label("parameter named differently")
                    .related(first.span, "the other route")
                    .hint(format!("name the parameter the same in both routes (`{{{theirs}}}`), and the input with it")),
                );
                break;
            }
        }
    }
}
