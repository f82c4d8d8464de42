//! Field types: resolving the written type, checking the entity names it uses, and suggesting the closest one.

use super::DomainLowering;
use crate::diagnostic::Diagnostic;
use crate::model::*;
use crate::source::Span;
use crate::syntax::Located;
use crate::types::{self, TypeError};

impl DomainLowering<'_> {
    pub(super) fn type_error(&mut self, at: &Located, error: TypeError) {
        let offset = at.text.len() - at.text.trim_start().len();
        let span = Span::new(
            at.span.file,
            at.span.start + offset + error.start,
            at.span.start + offset + error.end.max(error.start + 1),
        );
        let span = Span::new(
            span.file,
            span.start.min(at.span.end),
            span.end.min(at.span.end),
        );
        self.push(
            Diagnostic::error("invalid-type", span, error.message)
                .label("here")
                .hint(error.hint),
        );
    }

    /// Parses a type and checks that the entities it names exist. A type
    /// written in another language's words (`Array<Order>`, `Order | null`,
    /// `list of Orders`) is read as fields' types are, with a note.
    pub(super) fn resolve_type(&mut self, at: &Located) -> Option<(Type, bool)> {
        let entities = &self.entities;
        let is_entity = |name: &str| entities.iter().any(|e| e.name == name);
        let (ty, optional) = match types::parse_type_in(&at.text, &is_entity) {
            Ok(read) => read,
            Err(error) => {
                let wild = crate::forms::read_type(&at.text).and_then(|read| {
                    let (ty, optional) = types::parse_type_in(&read.canonical, &is_entity).ok()?;
                    Some((ty, optional || read.optional, read.note))
                });
                let Some((ty, optional, note)) = wild else {
                    self.type_error(at, error);
                    return None;
                };
                if let Some(note) = note {
                    self.push(Diagnostic::note("read-type", at.span, note).label("type"));
                }
                (ty, optional)
            }
        };
        let ty = self.singular_items(ty, at);
        let ty = self.soften_unknown(ty, at);
        self.check_type_names(&ty, at).then_some((ty, optional))
    }

    /// `list<Orders>` from `list of Orders`: the items are `Order` when that is
    /// an entity and `Orders` is not.
    fn singular_items(&mut self, ty: Type, at: &Located) -> Type {
        let Type::List(inner) = ty else { return ty };
        let Type::Entity(name) = *inner else {
            return Type::List(inner);
        };
        let lower = name.to_ascii_lowercase();
        let known = |candidate: &str| self.entities.iter().any(|e| e.name == candidate);
        let singular = crate::forms::singular(&lower);
        let entity = (!known(&name) && singular != lower)
            .then(|| {
                self.entities
                    .iter()
                    .find(|e| e.name.to_ascii_lowercase() == singular)
                    .map(|e| e.name.clone())
            })
            .flatten();
        match entity {
            Some(entity) => {
                self.push(
                    Diagnostic::note(
                        "read-type",
                        at.span,
                        format!("read `{name}` as the entity `{entity}`"),
                    )
                    .label("type"),
                );
                Type::List(Box::new(Type::Entity(entity)))
            }
            None => Type::List(Box::new(Type::Entity(name))),
        }
    }

    pub(super) fn check_type_names(&mut self, ty: &Type, at: &Located) -> bool {
        match ty {
            Type::List(inner) => self.check_type_names(inner, at),
            Type::Entity(name) if self.entities.iter().all(|e| &e.name != name) => {
                let (code, hint) = if let Some(close) = types::closest_primitive(name) {
                    ("unknown-type", format!("did you mean `{close}`?"))
                } else if let Some(one) = self.entities.iter().find(|e| {
                    e.name.to_ascii_lowercase()
                        == crate::forms::singular(&name.to_ascii_lowercase())
                }) {
                    (
                        "unknown-entity",
                        format!("one `{0}` is `{0}`; a list of them is `{0}[]`", one.name),
                    )
                } else if let Some(close) = self.closest_entity(name) {
                    ("unknown-entity", format!("did you mean `{close}`?"))
                } else {
                    (
                        "unknown-type",
                        format!(
                            "use a portable type (string, text, bool, i32, i64, f64, decimal, uuid, date, datetime, json, enum(...), list<T>) or one of this domain's entities: {}",
                            self.entity_names()
                        ),
                    )
                };
                let name_at = at.text.find(name.as_str()).unwrap_or(0);
                let span = Span::new(
                    at.span.file,
                    at.span.start + name_at,
                    at.span.start + name_at + name.len(),
                );
                self.push(
                    Diagnostic::error(code, span, format!("unknown type `{name}`"))
                        .label("not a type or entity of this domain")
                        .hint(hint),
                );
                false
            }
            _ => true,
        }
    }

    /// A type name that is no entity and close to nothing known (`Money`,
    /// `GeoPoint`, a value object described elsewhere) is stored as json, with
    /// a warning; a near miss (`Ordr`) stays an error with a suggestion.
    pub(super) fn soften_unknown(&mut self, ty: Type, at: &Located) -> Type {
        match ty {
            Type::List(inner) => Type::List(Box::new(self.soften_unknown(*inner, at))),
            Type::Entity(name)
                if self.entities.iter().all(|e| e.name != name)
                    && types::closest_primitive(&name).is_none()
                    && self.closest_entity(&name).is_none() =>
            {
                self.push(
                    Diagnostic::warning("unknown-type", at.span, format!("unknown type `{name}`: stored as json"))
                        .label("not a type or entity of this domain")
                        .hint(format!("declare `{name}` as an entity, or use a portable type (string, i32, decimal, uuid, datetime, enum(...), list<T>, ...)")),
                );
                Type::Json
            }
            other => other,
        }
    }

    pub(super) fn closest_entity(&self, name: &str) -> Option<String> {
        self.entities
            .iter()
            .map(|e| {
                (
                    e.name.clone(),
                    types::edit_distance(&e.name.to_ascii_lowercase(), &name.to_ascii_lowercase()),
                )
            })
            .filter(|(_, d)| *d <= 2)
            .min_by_key(|(_, d)| *d)
            .map(|(n, _)| n)
    }

    pub(super) fn entity_names(&self) -> String {
        if self.entities.is_empty() {
            return "(none declared)".to_string();
        }
        self.entities
            .iter()
            .map(|e| format!("`{}`", e.name))
            .collect::<Vec<_>>()
            .join(", ")
    }
}
