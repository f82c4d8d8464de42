//! Checks of the lowered model that hold for every stack: what a kind
//! operation's generated implementation can return, and where a looked-up
//! item's key travels. They run once the model is whole, so each finds its
//! location again in the files the domain comes from.

use crate::diagnostic::Diagnostic;
use crate::model::{Domain, Project, Type, Verb};
use crate::source::{Source, Span};

/// Pushes a diagnostic for every problem of `project` no stack could generate.
pub fn check(sources: &[Source], project: &Project, diagnostics: &mut Vec<Diagnostic>) {
    for domain in &project.domains {
        kind_outputs(sources, domain, diagnostics);
        keys_in_paths(sources, domain, diagnostics);
    }
}

/// A get/create/update/delete returns its entity (a list returns a list of it) or nothing.
fn kind_outputs(sources: &[Source], domain: &Domain, diagnostics: &mut Vec<Diagnostic>) {
    for op in &domain.operations {
        let Some(kind) = &op.kind else {
            continue;
        };
        let fits = match (kind.verb, &op.output) {
            (_, None) => true,
            (Verb::List, Some(Type::List(inner))) => {
                matches!(&**inner, Type::Entity(e) if *e == kind.entity)
            }
            (Verb::List, Some(_)) => false,
            (_, Some(Type::Entity(e))) => *e == kind.entity,
            _ => false,
        };
        if fits {
            continue;
        }
        let want = if kind.verb == Verb::List {
            format!("list<{}>", kind.entity)
        } else {
            kind.entity.clone()
        };
        diagnostics.push(
            Diagnostic::error(
                "kind-output",
                locate(sources, domain, &[&op.name]),
                format!(
                    "operation `{}` has kind {:?} {} but another output",
                    op.name, kind.verb, kind.entity
                ),
            )
            .label("operation declared here")
            .hint(format!(
                "the generated implementation returns `{want}` or nothing: change the Output, or drop the Kind and write the operation by hand"
            )),
        );
    }
}

/// An endpoint of a get/update/delete carries the key of the item in its path.
fn keys_in_paths(sources: &[Source], domain: &Domain, diagnostics: &mut Vec<Diagnostic>) {
    for endpoint in &domain.endpoints {
        let Some(op) = domain.operation(&endpoint.operation) else {
            continue;
        };
        let Some(kind) = op.kind.as_ref().filter(|k| k.verb.takes_id()) else {
            continue;
        };
        let Some(id) = crate::lookup_input(&op.inputs, &kind.entity, domain) else {
            continue;
        };
        if endpoint.path_params.contains(&id.name) {
            continue;
        }
        diagnostics.push(
            Diagnostic::error(
                "key-not-in-path",
                locate(sources, domain, &[&endpoint.path, &op.name]),
                format!(
                    "endpoint `{} {}` does not carry `{}` in its path",
                    endpoint.method, endpoint.path, id.name
                ),
            )
            .label("endpoint declared here")
            .hint(format!(
                "operations that look up a `{}` take its key from the path: `{}/{{{}}}`",
                kind.entity,
                endpoint.path.trim_end_matches('/'),
                id.name
            )),
        );
    }
}

/// The first place one of `needles` (tried in order) is written in the files of
/// the domain's features; the start of its first spec when none is found.
fn locate(sources: &[Source], domain: &Domain, needles: &[&str]) -> Span {
    let features: Vec<&str> = domain
        .specs
        .iter()
        .filter_map(|spec| sources.iter().find(|s| s.path == spec.path))
        .map(Source::feature_dir)
        .collect();
    let files: Vec<usize> = (0..sources.len())
        .filter(|&i| features.contains(&sources[i].feature_dir()))
        .collect();
    for needle in needles.iter().filter(|n| !n.is_empty()) {
        for &file in &files {
            if let Some(at) = sources[file].text.find(needle) {
                return Span::new(file, at, at + needle.len());
            }
        }
    }
    Span::new(files.first().copied().unwrap_or(0), 0, 0)
}

#[cfg(test)]
mod tests {
    use crate::{Severity, Source, parse};

    const SPEC: &str = "---
domain: things
---
## Domain Model
### Entity: Thing
| Field | Type | Constraints |
|---|---|---|
| id | i32 | primary key |
| name | string | |

## Operations
### GetThing
- **Kind**: get Thing
- **Input**: `thing_id`

### ListThings
- **Kind**: list Thing
- **Output**: `Thing`

## Endpoints
| Method | Path | Operation |
|---|---|---|
| GET | /things | GetThing |
| GET | /all-things | ListThings |
";

    #[test]
    fn kind_outputs_and_keys_in_paths_are_checked_where_written() {
        let sources = [Source::new("specs/T-1/spec.md", SPEC)];
        let parsed = parse(&sources);
        let found: Vec<(&str, &str)> = parsed
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| (d.code, &SPEC[d.span.start..d.span.end]))
            .collect();
        assert!(found.contains(&("kind-output", "ListThings")), "{found:?}");
        assert!(found.contains(&("key-not-in-path", "/things")), "{found:?}");
        let hint = parsed
            .diagnostics
            .iter()
            .find(|d| d.code == "key-not-in-path")
            .and_then(|d| d.hint.clone());
        assert_eq!(
            hint.as_deref(),
            Some(
                "operations that look up a `Thing` take its key from the path: `/things/{thing_id}`"
            )
        );
    }
}
