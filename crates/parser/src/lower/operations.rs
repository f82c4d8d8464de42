//! Error codes, operations and their inputs.

use super::endpoints::verb_name;
use super::lookup::lookup_input;
use super::{DomainLowering, is_identifier, parse_status, same_name};
use crate::case;
use crate::diagnostic::Diagnostic;
use crate::model::*;
use crate::source::Span;
use crate::syntax::{Located, RawOperation, RawSpec};

impl DomainLowering<'_> {
    pub(super) fn lower_errors(&mut self, raws: &[RawSpec]) -> Vec<(ErrorCode, Span)> {
        let mut errors: Vec<(ErrorCode, Span)> = Vec::new();
        for raw in raws {
            for error in &raw.errors {
                let code = error.code.text.clone();
                if !code.starts_with(|c: char| c.is_ascii_uppercase())
                    || !code
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
                {
                    self.push(
                        Diagnostic::error(
                            "invalid-name",
                            error.code.span,
                            format!("`{code}` is not a valid error code"),
                        )
                        .label("error code")
                        .hint(format!(
                            "error codes are SHOUTING_SNAKE_CASE, for example `{}`",
                            case::snake(&code).to_ascii_uppercase()
                        )),
                    );
                    continue;
                }
                let Some(http) = parse_status(&error.http.text).filter(|s| (400..=599).contains(s))
                else {
                    self.push(
                        Diagnostic::error(
                            "invalid-value",
                            error.http.span,
                            format!("`{}` is not an HTTP error status", error.http.text),
                        )
                        .label("expected 400 to 599")
                        .hint("use the status the API answers with, for example 404 or 409"),
                    );
                    continue;
                };
                let item = ErrorCode {
                    code: code.clone(),
                    http,
                    message: error.message.clone(),
                };
                if let Some((existing, first)) = errors.iter().find(|(e, _)| e.code == code) {
                    if first.file != error.code.span.file && *existing == item {
                        continue;
                    }
                    let (kind, message) = if first.file == error.code.span.file {
                        ("duplicate", format!("error code `{code}` is defined twice"))
                    } else {
                        (
                            "conflict",
                            format!("error code `{code}` is defined differently by two specs"),
                        )
                    };
                    let first = *first;
                    self.push(
                        Diagnostic::error(kind, error.code.span, message)
                            .label("defined again here")
                            .related(first, "first defined here")
                            .hint("keep one definition; specs that extend a domain must agree"),
                    );
                    continue;
                }
                errors.push((item, error.code.span));
            }
        }
        errors
    }

    /// Returns every operation with a usable name; the flag is false when it had errors
    /// (such operations still resolve endpoint rows, to avoid cascading reports).
    pub(super) fn lower_operations(
        &mut self,
        raws: &[RawSpec],
        errors: &[(ErrorCode, Span)],
    ) -> Vec<(Operation, Span, bool)> {
        let mut operations: Vec<(Operation, Span, bool)> = Vec::new();
        for raw in raws {
            // Requirement IDs are numbered per spec: resolve them within this file's folder.
            let dir = self.sources[raw.file].dir();
            let requirements: Vec<(Located, String)> = raws
                .iter()
                .filter(|r| self.sources[r.file].dir() == dir)
                .flat_map(|r| r.requirements.iter().cloned())
                .collect();
            for op in &raw.operations {
                if let Some(lowered) = self.lower_operation(op, &requirements, errors) {
                    if let Some((_, first, _)) =
                        operations.iter().find(|(o, _, _)| o.name == lowered.0.name)
                    {
                        let first = *first;
                        self.push(
                            Diagnostic::error(
                                "duplicate",
                                lowered.1,
                                format!("operation `{}` is declared twice", lowered.0.name),
                            )
                            .label("declared again here")
                            .related(first, "first declared here")
                            .hint("rename one of them; operation names become function names"),
                        );
                        continue;
                    }
                    operations.push(lowered);
                }
            }
        }
        operations
    }

    pub(super) fn lower_operation(
        &mut self,
        raw: &RawOperation,
        requirements: &[(Located, String)],
        errors: &[(ErrorCode, Span)],
    ) -> Option<(Operation, Span, bool)> {
        let name = raw.name.as_ref()?;
        let heading = raw.heading.unwrap_or(name.span);
        if !is_identifier(&name.text) || !name.text.starts_with(|c: char| c.is_ascii_alphabetic()) {
            self.push(
                Diagnostic::error(
                    "invalid-name",
                    name.span,
                    format!("`{}` is not a valid operation name", name.text),
                )
                .label("operation name")
                .hint(format!(
                    "use PascalCase, for example `{}`",
                    case::pascal(&name.text)
                        .chars()
                        .filter(char::is_ascii_alphanumeric)
                        .collect::<String>()
                )),
            );
            return None;
        }
        let mut ok = true;
        let kind = match &raw.kind {
            None => None,
            Some(at) => {
                let mut words = at.text.split_whitespace();
                let verb_word = words.next().unwrap_or_default();
                let entity_word = words.next().unwrap_or_default().trim_matches('`');
                match Verb::parse(verb_word) {
                    None => {
                        self.push(
                            Diagnostic::error("invalid-kind", at.span, format!("unknown operation kind `{verb_word}`"))
                                .label("expected create, get, list, update or delete")
                                .hint("write `**Kind**: create Order`, or remove the Kind line for a free operation"),
                        );
                        ok = false;
                        None
                    }
                    Some(verb) => {
                        if self.entities.iter().any(|e| e.name == entity_word) {
                            Some(Kind {
                                verb,
                                entity: entity_word.to_string(),
                            })
                        } else {
                            let hint = match self.closest_entity(entity_word) {
                                Some(close) => format!("did you mean `{close}`?"),
                                None => format!("entities of this domain: {}", self.entity_names()),
                            };
                            let at_word = at
                                .text
                                .find(entity_word)
                                .filter(|_| !entity_word.is_empty())
                                .unwrap_or(0);
                            let span = Span::new(
                                at.span.file,
                                at.span.start + at_word,
                                at.span.start + at_word + entity_word.len().max(1),
                            );
                            self.push(
                                Diagnostic::error(
                                    "unknown-entity",
                                    span,
                                    format!("unknown entity `{entity_word}`"),
                                )
                                .label("operation kind names it")
                                .hint(hint),
                            );
                            ok = false;
                            None
                        }
                    }
                }
            }
        };
        // The entity the operation answers with: where a shared field name points.
        let output_entity = raw.output.as_ref().and_then(|o| {
            let text = o.text.trim().trim_matches('`');
            let inner = text
                .strip_prefix("list<")
                .and_then(|t| t.strip_suffix('>'))
                .unwrap_or(text)
                .trim_end_matches("[]");
            self.entities
                .iter()
                .any(|e| e.name == inner)
                .then(|| inner.to_string())
        });
        let mut inputs = Vec::new();
        for at in &raw.inputs {
            match self.lower_input(at, kind.as_ref(), output_entity.as_deref()) {
                Some(input) => {
                    // `workspaceId` from a body and `workspace_id` from a route: one
                    // input, spelled as routes spell it.
                    if let Some(existing) = inputs.iter_mut().find(|i: &&mut Input| {
                        i.name != input.name && same_name(&i.name, &input.name)
                    }) {
                        if input.name == case::snake(&input.name) {
                            *existing = input;
                        }
                        continue;
                    }
                    if inputs.iter().any(|i: &Input| i.name == input.name) {
                        self.push(
                            Diagnostic::error(
                                "duplicate",
                                at.span,
                                format!("input `{}` is listed twice", input.name),
                            )
                            .label("again here")
                            .hint("remove one"),
                        );
                        continue;
                    }
                    inputs.push(input);
                }
                None => ok = false,
            }
        }
        if let Some(kind) = kind.as_ref().filter(|k| k.verb == Verb::Create) {
            self.warn_unfilled(&name.text, heading, kind, &inputs);
        }
        if let Some(kind) = &kind {
            if kind.verb.takes_id() && lookup_input(&inputs, &kind.entity, &self.entities).is_none()
            {
                let key = format!("{}_id", case::snake(&kind.entity));
                self.push(
                    Diagnostic::error(
                        "missing-input",
                        heading,
                        format!(
                            "`{}` operation `{}` needs the key of `{}` as input",
                            verb_name(kind.verb),
                            name.text,
                            kind.entity
                        ),
                    )
                    .label("operation declared here")
                    .hint(format!("add `{key}` to the operation's Input")),
                );
                ok = false;
            }
        }
        let output = match &raw.output {
            None => None,
            Some(at)
                if matches!(
                    at.text.to_ascii_lowercase().as_str(),
                    "none" | "nothing" | "-" | "()" | "empty"
                ) && !self.entities.iter().any(|e| e.name == at.text.trim()) =>
            {
                None
            }
            Some(at) => self.resolve_type(at).map(|(ty, _)| ty).or_else(|| {
                ok = false;
                None
            }),
        };
        let mut rules = Vec::new();
        for at in &raw.rules {
            match requirements.iter().find(|(id, _)| id.text == at.text) {
                Some((id, text)) => rules.push(Requirement {
                    id: id.text.clone(),
                    text: text.clone(),
                }),
                None => {
                    self.push(
                        Diagnostic::error("unknown-requirement", at.span, format!("requirement `{}` is not defined in this spec", at.text))
                            .label("cited here")
                            .hint("define it in the Requirements section: `- **FR-001**: System MUST ...`"),
                    );
                    ok = false;
                }
            }
        }
        let mut error_codes = Vec::new();
        for at in &raw.errors {
            if errors.iter().any(|(e, _)| e.code == at.text) {
                error_codes.push(at.text.clone());
            } else {
                let known: Vec<String> = errors
                    .iter()
                    .map(|(e, _)| format!("`{}`", e.code))
                    .collect();
                self.push(
                    Diagnostic::error(
                        "undefined-error",
                        at.span,
                        format!("error code `{}` is not defined", at.text),
                    )
                    .label("used here")
                    .hint(if known.is_empty() {
                        "add it to the Errors table: | Code | HTTP | Message |".to_string()
                    } else {
                        format!(
                            "add it to the Errors table, or use one of: {}",
                            known.join(", ")
                        )
                    }),
                );
                ok = false;
            }
        }
        Some((
            Operation {
                id: raw.id.as_ref().map(|i| i.text.clone()),
                name: name.text.clone(),
                kind,
                inputs,
                output,
                rules,
                errors: error_codes,
                description: raw.description.clone(),
            },
            heading,
            ok,
        ))
    }

    /// A create operation that neither receives nor defaults a required field gets a
    /// made-up value for it (zero, empty): worth knowing before the data says so.
    pub(super) fn warn_unfilled(
        &mut self,
        operation: &str,
        heading: Span,
        kind: &Kind,
        inputs: &[Input],
    ) {
        let Some(entity) = self.entities.iter().find(|e| e.name == kind.entity) else {
            return;
        };
        let unfilled: Vec<String> = entity
            .fields
            .iter()
            .filter(|f| f.required && !f.primary_key && f.default.is_none())
            // Timestamps get the current time, which is what they usually mean.
            .filter(|f| !matches!(f.ty, Type::Date | Type::DateTime | Type::Time))
            .filter(|f| !inputs.iter().any(|i| matches!(&i.source, InputSource::Field { entity, field } if *entity == kind.entity && *field == f.name)))
            .map(|f| format!("`{}`", f.name))
            .collect();
        if unfilled.is_empty() {
            return;
        }
        self.push(
            Diagnostic::warning(
                "unfilled-field",
                heading,
                format!("`{operation}` creates `{}` without {}: an owned hook of the service computes it (answering the smallest valid value until written)", kind.entity, unfilled.join(", ")),
            )
            .label("create operation")
            .hint("add the fields to Input, give them a `default`, or write its hook in the owned rules file"),
        );
    }

    pub(super) fn lower_input(
        &mut self,
        at: &Located,
        kind: Option<&Kind>,
        output_entity: Option<&str>,
    ) -> Option<Input> {
        if let Some((name, ty_text)) = at.text.split_once(':') {
            let name = name.trim().trim_matches('`');
            if !is_identifier(name) {
                self.push(
                    Diagnostic::error(
                        "invalid-name",
                        at.span,
                        format!("`{name}` is not a valid input name"),
                    )
                    .label("input")
                    .hint("use snake_case letters, digits and `_`"),
                );
                return None;
            }
            let offset = name.len() + 1;
            let ty_at = Located {
                text: ty_text.to_string(),
                span: Span::new(at.span.file, at.span.start + offset, at.span.end),
            };
            let (ty, optional) = self.resolve_type(&ty_at)?;
            return Some(Input {
                name: name.to_string(),
                ty,
                required: !optional,
                source: InputSource::Declared,
            });
        }
        let name = at.text.trim().trim_matches('`');
        // 1. A field of the operation's own entity.
        if let Some(kind) = kind {
            if let Some(field) = self
                .entities
                .iter()
                .find(|e| e.name == kind.entity)
                .and_then(|e| e.field(name))
            {
                return Some(Input {
                    name: name.to_string(),
                    ty: field.ty.clone(),
                    required: field.required,
                    source: InputSource::Field {
                        entity: kind.entity.clone(),
                        field: name.to_string(),
                    },
                });
            }
        }
        // 2. `<entity>_id`: that entity's primary key.
        if let Some((entity, key)) = self
            .entities
            .iter()
            .filter(|e| name.ends_with("_id") && format!("{}_id", case::snake(&e.name)) == name)
            .find_map(|e| Some((e, e.primary_key()?)))
        {
            return Some(Input {
                name: name.to_string(),
                ty: key.ty.clone(),
                required: true,
                source: InputSource::PrimaryKey {
                    entity: entity.name.clone(),
                },
            });
        }
        // 3. A field of exactly one other entity.
        let owners: Vec<&Entity> = self
            .entities
            .iter()
            .filter(|e| e.field(name).is_some())
            .collect();
        // Several owners: the operation's output entity, or any when all agree.
        let chosen = match owners.as_slice() {
            [owner] => Some((*owner, None)),
            [] => None,
            several => {
                let same = |a: &Field, b: &Field| {
                    Field {
                        description: String::new(),
                        references: None,
                        ..a.clone()
                    } == Field {
                        description: String::new(),
                        references: None,
                        ..b.clone()
                    }
                };
                let first = several[0].field(name)?;
                if let Some(owner) = several
                    .iter()
                    .find(|e| Some(e.name.as_str()) == output_entity)
                {
                    Some((
                        *owner,
                        Some(format!(
                            "`{name}` is a field of several entities: read as `{}.{name}`, the operation's output",
                            owner.name
                        )),
                    ))
                } else if several
                    .iter()
                    .all(|e| e.field(name).is_some_and(|f| same(f, first)))
                {
                    Some((
                        several[0],
                        Some(format!(
                            "`{name}` is a field of several entities, all alike: read as `{}.{name}`",
                            several[0].name
                        )),
                    ))
                } else {
                    None
                }
            }
        };
        if let Some((owner, note)) = chosen {
            let owner = owner.clone();
            if let Some(note) = note {
                self.push(Diagnostic::note("read-input", at.span, note).label("input"));
            }
            let field = owner.field(name)?;
            return Some(Input {
                name: name.to_string(),
                ty: field.ty.clone(),
                required: field.required,
                source: InputSource::Field {
                    entity: owner.name.clone(),
                    field: name.to_string(),
                },
            });
        }
        let hint = if owners.len() > 1 {
            format!("`{name}` is a field of several entities; declare its type: `{name}: <type>`")
        } else {
            format!(
                "declare its type (`{name}: string`), or name a field of {}",
                kind.map_or_else(|| "an entity".to_string(), |k| format!("`{}`", k.entity))
            )
        };
        self.push(
            Diagnostic::error(
                "unknown-input",
                at.span,
                format!("input `{name}` matches no field"),
            )
            .label("not a field or entity key")
            .hint(hint),
        );
        None
    }
}
