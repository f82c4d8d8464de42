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
        embedding_cycles(sources, domain, diagnostics);
        path_param_types(sources, domain, diagnostics);
    }
}

/// A path parameter is one segment of text: a list, an entity or JSON cannot be one.
fn path_param_types(sources: &[Source], domain: &Domain, diagnostics: &mut Vec<Diagnostic>) {
    for endpoint in &domain.endpoints {
        let Some(op) = domain.operation(&endpoint.operation) else {
            continue;
        };
        for param in &endpoint.path_params {
            let Some(input) = op.inputs.iter().find(|i| i.name == *param) else {
                continue;
            };
            if !matches!(input.ty, Type::List(_) | Type::Entity(_) | Type::Json) {
                continue;
            }
            let braced = format!("{{{param}}}");
            diagnostics.push(
                Diagnostic::error(
                    "invalid-path-param",
                    locate(sources, domain, &[&endpoint.path, &braced]),
                    format!(
                        "path parameter `{param}` of `{} {}` is a {}: a path segment holds one value",
                        endpoint.method,
                        endpoint.path,
                        match input.ty {
                            Type::List(_) => "list",
                            Type::Json => "JSON value",
                            _ => "struct",
                        }
                    ),
                )
                .label("endpoint declared here")
                .hint(format!(
                    "send `{param}` in the query or the body instead, or give it a scalar type"
                )),
            );
        }
    }
}

/// The entity a field's every value must carry at least one of: a required
/// field of the entity's type, or a required list of it with `min` 1 or more.
fn forced_embedding(field: &crate::model::Field) -> Option<&str> {
    if !field.required {
        return None;
    }
    match &field.ty {
        Type::Entity(name) => Some(name),
        Type::List(item) if field.min.is_some_and(|m| m >= 1.0) => match &**item {
            Type::Entity(name) => Some(name),
            _ => None,
        },
        _ => None,
    }
}

/// An entity that must embed itself (`Tag.parent: Tag`, required; or two
/// entities requiring each other) has no finite value: no JSON body, no row,
/// no sample can be written. One error per cycle, at its first entity.
fn embedding_cycles(sources: &[Source], domain: &Domain, diagnostics: &mut Vec<Diagnostic>) {
    let mut reported: Vec<&str> = Vec::new();
    for start in &domain.entities {
        if reported.contains(&start.name.as_str()) {
            continue;
        }
        // Depth-first over forced embeddings, keeping the path of fields.
        let mut stack: Vec<(&str, Vec<String>)> = vec![(start.name.as_str(), Vec::new())];
        let mut seen: Vec<&str> = Vec::new();
        let mut cycle: Option<Vec<String>> = None;
        while let Some((name, path)) = stack.pop() {
            let Some(entity) = domain.entity(name) else {
                continue;
            };
            for field in &entity.fields {
                let Some(target) = forced_embedding(field) else {
                    continue;
                };
                let mut next = path.clone();
                next.push(format!("{}.{}", entity.name, field.name));
                if target == start.name {
                    cycle = Some(next);
                    break;
                }
                if !seen.contains(&target) {
                    seen.push(target);
                    stack.push((target, next));
                }
            }
            if cycle.is_some() {
                break;
            }
        }
        let Some(cycle) = cycle else {
            continue;
        };
        for step in &cycle {
            if let Some((entity, _)) = step.split_once('.') {
                if let Some(known) = domain.entities.iter().find(|e| e.name == entity) {
                    reported.push(known.name.as_str());
                }
            }
        }
        let heading = format!("Entity: {}", start.name);
        diagnostics.push(
            Diagnostic::error(
                "embedding-cycle",
                locate(sources, domain, &[&heading, &start.name]),
                format!(
                    "entity `{}` must contain itself ({}): no value of it is finite",
                    start.name,
                    cycle.join(" -> ")
                ),
            )
            .label("entity declared here")
            .hint(
                "make a field of the cycle optional (`Type?`, required no) or a list that may be empty (no `min`)",
            ),
        );
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
    fn an_entity_that_must_contain_itself_is_an_error_and_an_optional_one_is_not() {
        let spec = |parent: &str| {
            format!(
                "---\ndomain: things\n---\n## Domain Model\n### Entity: Thing\n| Field | Type | Required | Constraints |\n|---|---|---|---|\n| id | i32 | yes | primary key |\n| parent | {parent} |\n"
            )
        };
        let errors = |text: &str| -> Vec<String> {
            let sources = [Source::new("specs/T-1/spec.md", text)];
            parse(&sources)
                .diagnostics
                .iter()
                .filter(|d| d.code == "embedding-cycle")
                .map(|d| format!("{} @ {}", d.message, &text[d.span.start..d.span.end]))
                .collect()
        };
        assert_eq!(
            errors(&spec("Thing | yes | |")),
            [
                "entity `Thing` must contain itself (Thing.parent): no value of it is finite @ Entity: Thing"
            ]
        );
        assert_eq!(errors(&spec("list<Thing> | yes | min 1 |")).len(), 1);
        assert!(errors(&spec("Thing | no | |")).is_empty());
        assert!(errors(&spec("list<Thing> | yes | |")).is_empty());
    }

    #[test]
    fn a_list_path_parameter_is_an_error_at_its_path() {
        let text = "---\ndomain: things\n---\n## Operations\n### Tag\n- **Input**: `names: list<string>`\n\n## API Endpoints\n| Method | Path | Operation |\n|---|---|---|\n| POST | /tags/{names} | Tag |\n";
        let sources = [Source::new("specs/T-1/spec.md", text)];
        let found: Vec<&str> = parse(&sources)
            .diagnostics
            .iter()
            .filter(|d| d.code == "invalid-path-param")
            .map(|d| &text[d.span.start..d.span.end])
            .collect();
        assert_eq!(found, ["/tags/{names}"]);
    }

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
