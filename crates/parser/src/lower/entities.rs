//! Entities: declaring them, checking them once all are known, and inferring their keys.

use super::{DomainLowering, EntitySpans, is_identifier};
use crate::model::*;
use std::collections::HashMap;

use crate::case;
use crate::diagnostic::Diagnostic;
use crate::syntax::{RawEntity, RawField};

impl DomainLowering<'_> {
    pub(super) fn declare_entity<'r>(
        &mut self,
        raw: &'r RawEntity,
        raw_fields: &mut Vec<(usize, Vec<&'r RawField>)>,
    ) {
        let name = &raw.name;
        if !is_identifier(&name.text) || !name.text.starts_with(|c: char| c.is_ascii_alphabetic()) {
            self.push(
                Diagnostic::error(
                    "invalid-name",
                    name.span,
                    format!("`{}` is not a valid entity name", name.text),
                )
                .label("entity name")
                .hint(format!(
                    "use PascalCase letters and digits, for example `{}`",
                    case::pascal(&name.text)
                        .chars()
                        .filter(char::is_ascii_alphanumeric)
                        .collect::<String>()
                )),
            );
            return;
        }
        if !raw.has_table && !raw.explicit {
            self.push(
                Diagnostic::warning(
                    "missing-fields",
                    name.span,
                    format!("`{}` looks like an entity but declares no fields; it is not generated", name.text),
                )
                .label("entity heading")
                .hint("add a fields table (| Field | Type | Required | Constraints |) or field bullets (`- name: type`)"),
            );
            return;
        }
        if !raw.has_table {
            self.push(
                Diagnostic::error(
                    "missing-fields",
                    name.span,
                    format!("entity `{}` has no fields table", name.text),
                )
                .label("entity declared here")
                .hint("add a table under the heading: | Field | Type | Required | Constraints |"),
            );
        }
        let index = match self.entities.iter().position(|e| e.name == name.text) {
            Some(index) => {
                let first = self.entity_spans[&name.text].name;
                if first.file == name.span.file {
                    self.push(
                        Diagnostic::error(
                            "duplicate",
                            name.span,
                            format!("entity `{}` is declared twice", name.text),
                        )
                        .label("declared again here")
                        .related(first, "first declared here")
                        .hint("merge the two tables into one"),
                    );
                    return;
                }
                // Another ticket extends the entity: fields merge below.
                index
            }
            None => {
                self.entities.push(Entity {
                    name: name.text.clone(),
                    fields: Vec::new(),
                    relationships: Vec::new(),
                });
                self.entity_spans.insert(
                    name.text.clone(),
                    EntitySpans {
                        name: name.span,
                        fields: HashMap::new(),
                    },
                );
                self.entities.len() - 1
            }
        };
        match raw_fields.iter_mut().find(|(i, _)| *i == index) {
            Some((_, fields)) => fields.extend(&raw.fields),
            None => raw_fields.push((index, raw.fields.iter().collect())),
        }
    }

    pub(super) fn check_entities(&mut self) {
        for index in 0..self.entities.len() {
            self.infer_key(index);
        }
        for index in 0..self.entities.len() {
            let entity = &self.entities[index];
            let name_span = self.entity_spans[&entity.name].name;
            let keys: Vec<&Field> = entity.fields.iter().filter(|f| f.primary_key).collect();
            let problem = match keys.as_slice() {
                [] if entity.fields.is_empty() => None,
                [] => Some(
                    Diagnostic::error("missing-primary-key", name_span, format!("entity `{}` has no primary key", entity.name))
                        .label("entity declared here")
                        .hint("mark one field `primary key` in the Constraints column, for example `| id | uuid | yes | primary key |`"),
                ),
                [key] if self.untyped.iter().any(|(e, f)| *e == entity.name && *f == key.name) => None,
                [key] if !key.ty.is_key() => Some(
                    Diagnostic::error("invalid-primary-key", self.entity_spans[&entity.name].fields[&key.name], format!("primary key `{}` cannot be of this type", key.name))
                        .label("primary key")
                        .hint("primary keys are uuid, i32, i64 or string"),
                ),
                [key] if !key.required => Some(
                    Diagnostic::error("invalid-primary-key", self.entity_spans[&entity.name].fields[&key.name], format!("primary key `{}` is optional", key.name))
                        .label("primary key")
                        .hint("a primary key is always required: set Required to yes"),
                ),
                [_] => None,
                [_, second, ..] => Some(
                    Diagnostic::error("invalid-primary-key", self.entity_spans[&entity.name].fields[&second.name], format!("entity `{}` has more than one primary key", entity.name))
                        .label("second primary key")
                        .hint("composite keys are not supported: keep one `primary key` and mark the others `unique`"),
                ),
            };
            if let Some(problem) = problem {
                self.push(problem);
            }
        }
        for (entity, field, span) in std::mem::take(&mut self.pending_references) {
            let Some(reference) = self
                .entities
                .iter()
                .find(|e| e.name == entity)
                .and_then(|e| e.field(&field))
                .and_then(|f| f.references.clone())
            else {
                continue;
            };
            let Some(target) = self.entities.iter().find(|e| e.name == reference.entity) else {
                let hint = match self.closest_entity(&reference.entity) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => format!("entities of this domain: {}", self.entity_names()),
                };
                self.push(
                    Diagnostic::error(
                        "unknown-entity",
                        span,
                        format!("unknown entity `{}`", reference.entity),
                    )
                    .label("referenced here")
                    .hint(hint),
                );
                continue;
            };
            let target_field = match (reference.field.is_empty(), target.primary_key()) {
                (false, _) => reference.field.clone(),
                (true, Some(key)) => key.name.clone(),
                // The target's missing key is reported on its own.
                (true, None) => continue,
            };
            let Some(target_ty) = target.field(&target_field).map(|f| f.ty.clone()) else {
                let target_name = target.name.clone();
                self.push(
                    Diagnostic::error("unknown-field", span, format!("`{target_name}` has no field `{target_field}`"))
                        .label("referenced here")
                        .hint(format!("reference an existing field, usually the key: `references {target_name}.{}`", target.primary_key().map_or("id", |k| k.name.as_str()))),
                );
                continue;
            };
            let own_ty = self
                .entities
                .iter()
                .find(|e| e.name == entity)
                .and_then(|e| e.field(&field))
                .map(|f| f.ty.clone());
            if own_ty.as_ref().is_some_and(|ty| *ty != target_ty) {
                // Kept as written, but no foreign key: a database cannot
                // hold one between columns of different types.
                let target_name = target.name.clone();
                self.push(
                    Diagnostic::warning(
                        "reference-type",
                        span,
                        format!(
                            "`{entity}.{field}` is {} but refers to `{target_name}.{target_field}`, which is {}: no foreign key is made",
                            own_ty.as_ref().unwrap_or(&target_ty),
                            target_ty
                        ),
                    )
                    .label("referenced here")
                    .hint(format!("give `{field}` the type of `{target_name}.{target_field}`")),
                );
            }
            if let Some(f) = self
                .entities
                .iter_mut()
                .find(|e| e.name == entity)
                .and_then(|e| e.fields.iter_mut().find(|f| f.name == field))
            {
                f.references = Some(FieldRef {
                    entity: reference.entity,
                    field: target_field,
                });
            }
        }
    }

    /// Real models often leave the key implicit: an `id` field, `<entity>_id`,
    /// or nothing at all. Each inference is a note or a warning, never silent.
    pub(super) fn infer_key(&mut self, index: usize) {
        let entity = &self.entities[index];
        let name_span = self.entity_spans[&entity.name].name;
        let keys: Vec<usize> = (0..entity.fields.len())
            .filter(|&i| entity.fields[i].primary_key)
            .collect();
        if entity.fields.is_empty() {
            return;
        }
        let own_id = format!("{}_id", case::snake(&entity.name));
        let entity_name = entity.name.clone();
        let mut notes = Vec::new();
        match keys.as_slice() {
            [] => {
                let own_camel = case::camel(&own_id);
                let found = entity
                    .fields
                    .iter()
                    .position(|f| f.name.eq_ignore_ascii_case("id"))
                    .or_else(|| {
                        entity
                            .fields
                            .iter()
                            .position(|f| f.name == own_id || f.name == own_camel)
                    });
                match found {
                    Some(i) => {
                        let field = &mut self.entities[index].fields[i];
                        field.primary_key = true;
                        let span = self.entity_spans[&entity_name]
                            .fields
                            .get(&field.name)
                            .copied()
                            .unwrap_or(name_span);
                        notes.push(
                            Diagnostic::note(
                                "inferred-key",
                                span,
                                format!(
                                    "`{entity_name}.{}` is the primary key (by its name)",
                                    field.name
                                ),
                            )
                            .label("primary key"),
                        );
                    }
                    None => {
                        let references: Vec<String> = self.entities[index]
                            .fields
                            .iter()
                            .filter(|f| f.references.is_some() || f.name.ends_with("_id"))
                            .map(|f| f.name.clone())
                            .collect();
                        let why = if references.len() >= 2 {
                            format!(
                                "`{entity_name}` joins ({}) and has no key of its own; scaffold adds `id: uuid`, indexes the pair and lists by it",
                                references.join(", ")
                            )
                        } else {
                            format!("`{entity_name}` has no primary key; scaffold adds `id: uuid`")
                        };
                        if references.len() >= 2 {
                            for field in self.entities[index].fields.iter_mut() {
                                if references.contains(&field.name) {
                                    field.index = true;
                                }
                            }
                            self.pairs.insert(entity_name.clone(), references.clone());
                        }
                        self.entities[index]
                            .fields
                            .insert(0, Field::key("id".into(), Type::Uuid));
                        if let Some(spans) = self.entity_spans.get_mut(&entity_name) {
                            spans.fields.insert("id".into(), name_span);
                        }
                        notes.push(
                            Diagnostic::warning("added-key", name_span, why)
                                .label("entity declared here")
                                .hint("declare the key: a field `id` (uuid, i32, i64 or string) marked `primary key`"),
                        );
                    }
                }
            }
            [_, _, ..] if entity.fields.iter().all(|f| f.name != "id") => {
                let names: Vec<String> = keys
                    .iter()
                    .map(|&i| self.entities[index].fields[i].name.clone())
                    .collect();
                for &i in &keys {
                    let field = &mut self.entities[index].fields[i];
                    field.primary_key = false;
                    field.index = true;
                }
                self.pairs.insert(entity_name.clone(), names.clone());
                self.entities[index]
                    .fields
                    .insert(0, Field::key("id".into(), Type::Uuid));
                if let Some(spans) = self.entity_spans.get_mut(&entity_name) {
                    spans.fields.entry("id".into()).or_insert(name_span);
                }
                notes.push(
                    Diagnostic::warning("composite-key", name_span, format!("`{entity_name}` has a composite key ({}); scaffold adds `id: uuid`, indexes the pair and lists by it", names.join(", ")))
                        .label("entity declared here")
                        .hint("the inferred list operation filters by the pair; give the entity a single key to look it up by key alone"),
                );
            }
            [_, _, ..] => {}
            [key] => {
                let field = &mut self.entities[index].fields[*key];
                let span = self.entity_spans[&entity_name]
                    .fields
                    .get(&field.name)
                    .copied()
                    .unwrap_or(name_span);
                if field.ty == Type::Text {
                    field.ty = Type::String;
                    notes.push(
                        Diagnostic::note(
                            "inferred-key",
                            span,
                            format!(
                                "key `{entity_name}.{}` is text: read as `string`",
                                field.name
                            ),
                        )
                        .label("primary key"),
                    );
                }
                if field.ty == Type::F64 {
                    field.ty = Type::I64;
                    notes.push(
                        Diagnostic::note(
                            "inferred-key",
                            span,
                            format!(
                                "key `{entity_name}.{}` is a number: read as `i64`",
                                field.name
                            ),
                        )
                        .label("primary key"),
                    );
                }
                if !field.required {
                    field.required = true;
                    notes.push(
                        Diagnostic::note(
                            "inferred-key",
                            span,
                            format!(
                                "key `{entity_name}.{}` is always present (it is made on create)",
                                field.name
                            ),
                        )
                        .label("primary key"),
                    );
                }
            }
        }
        for note in notes {
            self.push(note);
        }
    }
}
