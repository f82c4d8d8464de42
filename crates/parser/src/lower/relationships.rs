//! Relationships between entities: references, has-many and join tables.

use super::{DomainLowering, same_name};
use crate::case;
use crate::diagnostic::Diagnostic;
use crate::forms;
use crate::model::*;
use crate::source::Span;
use crate::syntax::RawEntity;

impl DomainLowering<'_> {
    pub(super) fn add_relationships(&mut self, raw: &RawEntity) {
        let Some(index) = self.entities.iter().position(|e| e.name == raw.name.text) else {
            return;
        };
        for at in &raw.relationships {
            let text = at.text.trim();
            let lower = text.to_ascii_lowercase();
            let (kind, rest) = if let Some(rest) = lower.strip_prefix("has many") {
                (RelationshipKind::HasMany, rest)
            } else if let Some(rest) = lower.strip_prefix("has one") {
                (RelationshipKind::HasOne, rest)
            } else if let Some(rest) = lower.strip_prefix("belongs to") {
                (RelationshipKind::BelongsTo, rest)
            } else {
                self.push(
                    Diagnostic::error("invalid-relationship", at.span, format!("cannot read relationship `{text}`"))
                        .label("expected `has many`, `has one` or `belongs to`")
                        .hint("write `has many OrderLine via order_id` or `belongs to Customer via customer_id`"),
                );
                continue;
            };
            // Work on the original text (case of names matters) from the same offset.
            let rest_start = text.len() - rest.len();
            let rest_text = &text[rest_start..];
            let mut words = rest_text.split_whitespace();
            let target = words
                .next()
                .unwrap_or_default()
                .trim_matches('`')
                .to_string();
            let via = match (words.next(), words.next()) {
                (Some(v), Some(field))
                    if v.eq_ignore_ascii_case("via") || v.eq_ignore_ascii_case("by") =>
                {
                    field.trim_matches('`').to_string()
                }
                (None, _) => match kind {
                    RelationshipKind::BelongsTo => format!("{}_id", case::snake(&target)),
                    _ => format!("{}_id", case::snake(&self.entities[index].name)),
                },
                _ => {
                    self.push(
                        Diagnostic::error(
                            "invalid-relationship",
                            at.span,
                            format!("cannot read relationship `{text}`"),
                        )
                        .label("expected `via <field>` after the target")
                        .hint("write `has many OrderLine via order_id`"),
                    );
                    continue;
                }
            };
            let offset = at.text.len() - at.text.trim_start().len() + rest_start;
            let target_at = rest_text.find(target.as_str()).unwrap_or(0);
            let target_span = Span::new(
                at.span.file,
                at.span.start + offset + target_at,
                at.span.start + offset + target_at + target.len(),
            );
            let explicit_via = text.to_ascii_lowercase().contains(" via ")
                || text.to_ascii_lowercase().contains(" by ");
            // `has many Posts`: the plural of an entity names it.
            let target = if self.entities.iter().any(|e| e.name == target) {
                target
            } else {
                let singular = forms::entity_name_from(&forms::singular(&case::snake(&target)))
                    .unwrap_or_default();
                if self.entities.iter().any(|e| e.name == singular) {
                    singular
                } else {
                    target
                }
            };
            let via = if explicit_via || self.entities.iter().all(|e| e.name != target) {
                via
            } else {
                match kind {
                    RelationshipKind::BelongsTo => format!("{}_id", case::snake(&target)),
                    _ => via,
                }
            };
            let Some(target_entity) = self.entities.iter().find(|e| e.name == target) else {
                match self.closest_entity(&target) {
                    Some(close) => self.push(
                        Diagnostic::error("unknown-entity", target_span, format!("unknown entity `{target}`"))
                            .label("no such entity")
                            .hint(format!("did you mean `{close}`?")),
                    ),
                    None => self.push(
                        Diagnostic::warning("unknown-entity", target_span, format!("relationship to `{target}`, which is no entity of this domain; it is ignored"))
                            .label("no such entity")
                            .hint(format!("entities of this domain: {}", self.entity_names())),
                    ),
                }
                continue;
            };
            let holder = match kind {
                RelationshipKind::BelongsTo => &self.entities[index],
                _ => target_entity,
            };
            // `memberId` where `member_id` was inferred: the camelCase spelling counts.
            // `memberId` for an inferred `member_id`, and `userId` naming the field
            // kept as `user_id`: one field however it is spelled.
            let via = if holder.field(&via).is_none() {
                holder
                    .fields
                    .iter()
                    .find(|f| same_name(&f.name, &via))
                    .map_or(via, |f| f.name.clone())
            } else {
                via
            };
            if holder.field(&via).is_none() {
                let holder_name = holder.name.clone();
                let make = if explicit_via {
                    Diagnostic::error
                } else {
                    Diagnostic::warning
                };
                self.push(
                    make(
                        "unknown-field",
                        at.span,
                        format!("`{holder_name}` has no field `{via}`"),
                    )
                    .label("relationship key not found")
                    .hint(format!(
                        "add `{via}` to `{holder_name}`, or name the key with `via <field>`"
                    )),
                );
                continue;
            }
            let relationship = Relationship { kind, target, via };
            if !self.entities[index].relationships.contains(&relationship) {
                self.entities[index].relationships.push(relationship);
            }
        }
    }
}
