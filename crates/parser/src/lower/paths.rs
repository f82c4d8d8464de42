//! Route paths: one spelling for path parameters, OpenAPI preferred over prose, inputs taken from the path.

use super::{DomainLowering, is_identifier, same_name};
use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::syntax::{Located, RawSpec};

impl DomainLowering<'_> {
    /// Every route in one spelling before anything compares or checks them:
    /// `/vms/:id` (Express) and `/vms/<int:id>` (Flask) are `/vms/{id}`, with a
    /// note and a fix.
    pub(super) fn normalize_paths(&mut self, raws: &mut [RawSpec]) {
        for row in raws.iter_mut().flat_map(|r| r.endpoints.iter_mut()) {
            let written = row.path.text.trim().trim_matches('`');
            let path = brace_params(written);
            if path != written {
                self.diagnostics.push(
                    Diagnostic::note(
                        "read-path",
                        row.path.span,
                        format!("read `{written}` as `{path}`"),
                    )
                    .label("path")
                    .replacement(path.clone()),
                );
            }
            row.path.text = path;
        }
    }

    /// `contracts/README.md` often restates `contracts/openapi.yaml`: where a
    /// Markdown contract names an operation or route an OpenAPI document of
    /// the domain also has, the OpenAPI one is read (it has the schemas).
    pub(super) fn prefer_openapi(&mut self, raws: &mut [RawSpec]) {
        let is_openapi = |path: &str| {
            let lower = path.to_ascii_lowercase();
            lower.ends_with(".yaml") || lower.ends_with(".yml") || lower.ends_with(".json")
        };
        let sources = self.sources;
        let (names, routes): (Vec<String>, Vec<(String, String)>) = {
            let openapi = raws.iter().filter(|r| is_openapi(&sources[r.file].path));
            let names = openapi
                .clone()
                .flat_map(|r| &r.operations)
                .filter_map(|o| o.name.as_ref().map(|n| n.text.clone()))
                .collect();
            let routes = openapi
                .flat_map(|r| &r.endpoints)
                .map(|e| (e.method.text.to_ascii_uppercase(), e.path.text.clone()))
                .collect();
            (names, routes)
        };
        if names.is_empty() && routes.is_empty() {
            return;
        }
        for raw in raws.iter_mut() {
            let path = &sources[raw.file].path;
            if is_openapi(path) || !crate::contract::is_contract(path) {
                continue;
            }
            let before = raw.operations.len() + raw.endpoints.len();
            raw.endpoints.retain(|e| {
                !routes.contains(&(e.method.text.to_ascii_uppercase(), e.path.text.clone()))
                    && !names.contains(&e.operation.text)
            });
            let still_routed: Vec<String> = raw
                .endpoints
                .iter()
                .map(|e| e.operation.text.clone())
                .collect();
            raw.operations.retain(|o| {
                o.name.as_ref().is_none_or(|n| {
                    !names.contains(&n.text) && (still_routed.contains(&n.text) || o.kind.is_some())
                })
            });
            let dropped = before - raw.operations.len() - raw.endpoints.len();
            if dropped > 0 {
                self.diagnostics.push(
                    Diagnostic::note("read-contract", Span::new(raw.file, 0, 0), format!("{path} restates routes of an OpenAPI contract of this domain: the OpenAPI document is read for them"))
                        .label("Markdown contract"),
                );
            }
        }
    }

    /// A free operation named by a route (`GET /vms/:id`, from a contract or an
    /// endpoint table) takes the route's parameters as string inputs when it
    /// does not declare them: nothing else could fill them.
    pub(super) fn add_route_inputs(&mut self, raws: &mut [RawSpec]) {
        if raws
            .iter()
            .flat_map(|r| &r.operations)
            .all(|o| o.kind.is_some())
        {
            return;
        }
        let routes: Vec<(String, Vec<String>, Span)> = raws
            .iter()
            .flat_map(|r| &r.endpoints)
            .filter_map(|e| {
                let params = path_params(&e.path.text).ok()?;
                Some((e.operation.text.clone(), params, e.path.span))
            })
            .collect();
        let mut notes = Vec::new();
        for raw in raws.iter_mut() {
            for op in raw.operations.iter_mut().filter(|o| o.kind.is_none()) {
                let Some(name) = op.name.as_ref().map(|n| n.text.clone()) else {
                    continue;
                };
                for (_, params, span) in routes.iter().filter(|(o, _, _)| *o == name) {
                    for param in params {
                        let declared = op.inputs.iter().any(|i| {
                            let name = i
                                .text
                                .split(':')
                                .next()
                                .unwrap_or_default()
                                .trim()
                                .trim_matches('`');
                            same_name(name, param)
                        });
                        if !declared {
                            op.inputs.push(Located {
                                text: format!("{param}: string"),
                                span: *span,
                            });
                            notes.push(
                                Diagnostic::note("read-input", *span, format!("path parameter `{param}` is an input of `{name}` (a string)"))
                                    .label("route"),
                            );
                        }
                    }
                }
            }
        }
        for note in notes {
            self.push(note);
        }
    }
}

/// `/orders/{id}` and `/orders/{order_id}` are the same route.
pub(super) fn same_route(a: &str, b: &str) -> bool {
    let shape = |p: &str| {
        p.split('/')
            .map(|s| if s.starts_with('{') { "{}" } else { s })
            .collect::<Vec<_>>()
            .join("/")
    };
    shape(a) == shape(b)
}

/// Flask's and Django's path converters (`<int:id>`, `<uuid:pk>`).
const FLASK_CONVERTERS: &[&str] = &[
    "int", "string", "str", "uuid", "path", "float", "slug", "any",
];

/// Path parameters written as `:id` or `<id>` (`<int:id>`), in braces; a
/// query string or a trailing slash dropped.
pub(crate) fn brace_params(path: &str) -> String {
    let path = path.split('?').next().unwrap_or(path);
    let path = if path.len() > 1 {
        path.trim_end_matches('/')
    } else {
        path
    };
    path.split('/')
        .map(|segment| {
            if let Some(name) = segment.strip_prefix(':').filter(|n| is_identifier(n)) {
                format!("{{{name}}}")
            } else if let Some(inner) = segment.strip_prefix('<').and_then(|s| s.strip_suffix('>'))
            {
                let name = inner.rsplit(':').next().unwrap_or(inner);
                if is_identifier(name) {
                    format!("{{{name}}}")
                } else {
                    segment.to_string()
                }
            } else if let Some((_, name)) = segment.split_once(':').filter(|(c, n)| {
                // `<int:task_id>` in a Markdown heading is an autolink: its
                // brackets are gone by the time the text is read.
                FLASK_CONVERTERS.contains(c) && is_identifier(n)
            }) {
                format!("{{{name}}}")
            } else {
                segment.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

pub(super) fn path_params(path: &str) -> Result<Vec<String>, String> {
    if !path.starts_with('/') {
        return Err(format!("path `{path}` does not start with `/`"));
    }
    let mut params = Vec::new();
    for segment in path.split('/') {
        if let Some(inner) = segment.strip_prefix('{') {
            let Some(name) = inner.strip_suffix('}') else {
                return Err(format!("unclosed parameter in `{segment}`"));
            };
            if !is_identifier(name) {
                return Err(format!("`{name}` is not a valid parameter name"));
            }
            if params.iter().any(|p| p == name) {
                return Err(format!("parameter `{name}` appears twice"));
            }
            params.push(name.to_string());
        } else if segment.contains(['{', '}', ':']) {
            return Err(format!("cannot read path segment `{segment}`"));
        }
    }
    Ok(params)
}
