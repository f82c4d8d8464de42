//! Conventional create/get/list/update/delete inferred when a domain declares no operation.

use super::DomainLowering;
use crate::case;
use crate::diagnostic::Diagnostic;
use crate::forms;
use crate::source::Span;
use crate::syntax::{Located, RawEndpoint, RawOperation, RawSpec};

impl DomainLowering<'_> {
    /// A domain that yields nothing never passes silently: say what was found
    /// (Key Entities without types) or that nothing was.
    pub(super) fn warn_empty(&mut self, domain: &str, raws: &[RawSpec]) {
        let key_entities: Vec<&Located> = raws
            .iter()
            .flat_map(|r| r.key_entities.iter().map(|(n, _)| n))
            .collect();
        if let Some(first) = key_entities.first() {
            let names: Vec<String> = key_entities
                .iter()
                .map(|n| {
                    format!(
                        "`{}`",
                        forms::entity_name_from(&n.text).unwrap_or_else(|| n.text.clone())
                    )
                })
                .collect();
            // `scaffold draft` writes a data-model.md; beside one already
            // there, the way on is to make that one readable.
            let data_model = raws.iter().find(|r| {
                let path = &self.sources[r.file].path;
                path == "data-model.md" || path.ends_with("/data-model.md")
            });
            let hint = match data_model {
                Some(raw) => format!(
                    "{} declares no entity scaffold can read: give each entity a heading (`## Entity: Order`) and a fields table (`| Field | Type | Required |`), or a SQL/Prisma/TypeScript fence",
                    self.sources[raw.file].path
                ),
                None => "run `scaffold draft` to propose a data-model.md with typed fields, review it, then generate".to_string(),
            };
            self.push(
                Diagnostic::warning("untyped-entities", first.span, format!("domain `{domain}` names entities ({}) only as Key Entities: their fields and types are unknown, so nothing is generated", names.join(", ")))
                    .label("Key Entities")
                    .hint(hint),
            );
        } else if let Some(raw) = raws.first() {
            self.push(
                Diagnostic::warning("empty-domain", Span::new(raw.file, 0, 0), format!("domain `{domain}` declares no entities and no operations: nothing is generated"))
                    .label("in this feature")
                    .hint("describe entities in data-model.md (`## Entity: Order` and a fields table) and endpoints in contracts/ or the spec; see docs/spec-format.md"),
            );
        }
    }

    /// Conventional CRUD for a domain of entities and no operations (spec-kit
    /// features keep endpoints elsewhere, or nowhere): create, get, list, update
    /// and delete per entity, on REST paths from the plural name. Written as raw
    /// items so they are validated like written ones; each entity gets a note.
    pub(super) fn conventional_crud(&mut self, raws: &[RawSpec]) -> Option<RawSpec> {
        let file = raws.first()?.file;
        let mut crud = RawSpec {
            file,
            ..RawSpec::default()
        };
        let mut notes = Vec::new();
        for entity in &self.entities {
            let Some(key) = entity.primary_key() else {
                continue;
            };
            let span = self.entity_spans[&entity.name].name;
            let at = |text: String| Located { text, span };
            let snake = case::snake(&entity.name);
            let plural = case::plural(&snake);
            let plural_pascal = case::pascal(&plural);
            let key_input = format!("{snake}_id");
            let collection = format!("/{}", plural.replace('_', "-"));
            let item = format!("{collection}/{{{key_input}}}");
            let writable: Vec<String> = entity
                .fields
                .iter()
                .filter(|f| {
                    !f.primary_key
                        && f.default.is_none()
                        && !matches!(
                            f.name.as_str(),
                            "created_at" | "updated_at" | "createdAt" | "updatedAt"
                        )
                })
                .map(|f| f.name.clone())
                .filter(|name| *name != key_input)
                .collect();
            let mut operations = vec![
                (
                    "create",
                    format!("Create{}", entity.name),
                    writable.clone(),
                    entity.name.clone(),
                    "POST",
                    collection.clone(),
                ),
                (
                    "get",
                    format!("Get{}", entity.name),
                    vec![key_input.clone()],
                    entity.name.clone(),
                    "GET",
                    item.clone(),
                ),
                (
                    "list",
                    format!("List{plural_pascal}"),
                    // A join table is looked up by its pair: `GET /follows?follower_id=..&followed_id=..`.
                    self.pairs.get(&entity.name).cloned().unwrap_or_default(),
                    format!("list<{}>", entity.name),
                    "GET",
                    collection.clone(),
                ),
            ];
            let mut update_inputs = vec![key_input.clone()];
            update_inputs.extend(writable.iter().cloned());
            operations.push((
                "update",
                format!("Update{}", entity.name),
                update_inputs,
                entity.name.clone(),
                "PATCH",
                item.clone(),
            ));
            operations.push((
                "delete",
                format!("Delete{}", entity.name),
                vec![key_input.clone()],
                "none".into(),
                "DELETE",
                item.clone(),
            ));
            let mut summary = Vec::new();
            for (verb, name, inputs, output, method, path) in operations {
                summary.push(format!("{name} ({method} {path})"));
                crud.operations.push(RawOperation {
                    name: Some(at(name.clone())),
                    heading: Some(span),
                    kind: Some(at(format!("{verb} {}", entity.name))),
                    inputs: inputs.into_iter().map(at).collect(),
                    output: Some(at(output)),
                    ..RawOperation::default()
                });
                crud.endpoints.push(RawEndpoint {
                    method: at(method.into()),
                    path: at(path),
                    operation: at(name),
                    status: None,
                    errors: Vec::new(),
                    shape: Default::default(),
                });
            }
            let _ = key;
            notes.push(
                Diagnostic::note("inferred-crud", span, format!("no operations declared: inferred {}", summary.join(", ")))
                    .label("entity")
                    .hint("declare operations and endpoints in the spec or in contracts/, or set `[generate] infer-crud = false`"),
            );
        }
        for note in notes {
            self.push(note);
        }
        (!crud.operations.is_empty()).then_some(crud)
    }
}
