//! Fields of an entity and the constraints written on them (length, range, pattern, default, ...).

use super::{DomainLowering, is_identifier, same_name};
use crate::case;
use crate::diagnostic::Diagnostic;
use crate::forms;
use crate::model::*;
use crate::source::Span;
use crate::syntax::{Located, RawField};

impl DomainLowering<'_> {
    pub(super) fn add_field(&mut self, index: usize, raw: &RawField) {
        let entity_name = self.entities[index].name.clone();
        let mut name = raw.name.text.clone();
        if !is_identifier(&name) {
            // `First Name`, `due-date`: a field name people wrote for people.
            let snake = case::snake(&name.replace(['-', ' ', '.'], "_"));
            if is_identifier(&snake) && !snake.is_empty() {
                self.push(
                    Diagnostic::note(
                        "read-field",
                        raw.name.span,
                        format!("read field `{name}` as `{snake}`"),
                    )
                    .label("field name"),
                );
                name = snake;
            } else {
                self.push(
                    Diagnostic::error(
                        "invalid-name",
                        raw.name.span,
                        format!("`{}` is not a valid field name", raw.name.text),
                    )
                    .label("field name")
                    .hint(format!(
                        "use letters, digits and `_`, for example `{}`",
                        case::snake(&raw.name.text)
                    )),
                );
                return;
            }
        }
        let mut implied: Vec<Located> = Vec::new();
        // `| status | enum | | one of open, closed |`: the values are in another cell.
        let bare_enum = raw
            .ty
            .text
            .trim()
            .trim_end_matches('?')
            .eq_ignore_ascii_case("enum");
        let joined = raw
            .constraints
            .iter()
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let enum_text = bare_enum
            .then(|| forms::enum_values(&joined).or_else(|| forms::enum_values(&raw.description)))
            .flatten();
        // The phrases that listed the values are not constraints.
        let is_value_list = |text: &str| {
            let lower = text.trim().to_ascii_lowercase();
            enum_text.as_ref().is_some_and(|e| {
                ["one of", "values", "either", "enum"]
                    .iter()
                    .any(|w| lower.starts_with(w))
                    || e.trim_start_matches("enum(")
                        .trim_end_matches(')')
                        .split(", ")
                        .any(|v| v.eq_ignore_ascii_case(text.trim().trim_matches(['`', '\'', '"'])))
            })
        };
        let ty_text = match &enum_text {
            Some(variants) => {
                self.push(
                    Diagnostic::note(
                        "read-type",
                        raw.ty.span,
                        format!("read `enum` with its values as `{variants}`"),
                    )
                    .label("type"),
                );
                format!(
                    "{variants}{}",
                    if raw.ty.text.trim().ends_with('?') {
                        "?"
                    } else {
                        ""
                    }
                )
            }
            None => raw.ty.text.clone(),
        };
        let (ty, optional, typed) = match forms::read_type(&ty_text) {
            Some(read) => {
                if let Some(note) = &read.note {
                    let mut diagnostic =
                        Diagnostic::note("read-type", raw.ty.span, note.clone()).label("type");
                    // A fix only where the cell says exactly what was read and
                    // nothing else came with it (`varchar(255)` also implies a max).
                    let written = self.sources[raw.ty.span.file]
                        .text
                        .get(raw.ty.span.start..raw.ty.span.end);
                    if written.map(str::trim) == Some(raw.ty.text.trim())
                        && read.constraints.is_empty()
                    {
                        let mut canonical = read.canonical.clone();
                        if read.optional {
                            canonical.push('?');
                        }
                        diagnostic = diagnostic.replacement(canonical);
                    }
                    self.push(diagnostic);
                }
                implied.extend(read.constraints.iter().map(|c| Located {
                    text: c.clone(),
                    span: raw.ty.span,
                }));
                let at = Located {
                    text: read.canonical.clone(),
                    span: raw.ty.span,
                };
                match self.resolve_type(&at) {
                    Some((ty, optional)) => (ty, optional || read.optional, true),
                    None => (Type::Json, read.optional, false),
                }
            }
            None => match self.resolve_type(&raw.ty) {
                Some((ty, optional)) => (ty, optional, true),
                // Still a field: its constraints are checked and no
                // `missing-primary-key` follows from one unreadable type.
                None => (Type::Json, false, false),
            },
        };
        let mut field = Field {
            description: raw.description.clone(),
            ..Field::new(name, ty, !optional)
        };
        if let Some(required) = &raw.required {
            let (inverted, text) = match required.text.strip_prefix('!') {
                Some(rest) => (true, rest),
                None => (false, required.text.as_str()),
            };
            match parse_yes_no(text) {
                Some(yes) => field.required = (yes != inverted) && !optional,
                None => self.push(
                    Diagnostic::warning(
                        "invalid-value",
                        required.span,
                        format!(
                            "`{text}` is not yes or no; the field stays {}",
                            if field.required {
                                "required"
                            } else {
                                "optional"
                            }
                        ),
                    )
                    .label("expected yes or no")
                    .hint("write yes/no (also accepted: true/false, y/n, required/optional, ✓)"),
                ),
            }
        }
        if !typed {
            self.untyped.push((entity_name.clone(), field.name.clone()));
        }
        let integer = matches!(field.ty, Type::I32 | Type::I64);
        // `unique; printed on the card`: semicolons separate phrases too.
        let phrases: Vec<Located> = raw
            .constraints
            .iter()
            .chain(&implied)
            .flat_map(|c| {
                c.text.split(';').map(|part| Located {
                    text: part.trim().to_string(),
                    span: c.span,
                })
            })
            .filter(|c| !c.text.is_empty() && !is_value_list(&c.text))
            .collect();
        for constraint in &phrases {
            match forms::read_constraint(&constraint.text, integer) {
                forms::ReadConstraint::Canonical { items, note } => {
                    if let Some(note) = note {
                        let mut diagnostic = Diagnostic::note("read-constraint", constraint.span, note).label("constraint");
                        let written = self.sources[constraint.span.file].text.get(constraint.span.start..constraint.span.end);
                        // A pattern takes the rest of its cell: never written into the middle of one.
                        if written.map(str::trim) == Some(constraint.text.trim())
                            && !items.iter().any(|i| i.starts_with("pattern"))
                        {
                            diagnostic = diagnostic.replacement(items.join(", "));
                        }
                        self.push(diagnostic);
                    }
                    for item in items {
                        let at = Located {
                            text: item,
                            span: constraint.span,
                        };
                        if typed {
                            self.apply_constraint(&entity_name, &mut field, &at);
                        } else if matches!(at.text.as_str(), "primary key") {
                            field.primary_key = true;
                        }
                    }
                }
                forms::ReadConstraint::Noted(note) => {
                    // A bare `FK` on `website_id` refers to `Website`, when the domain has it.
                    let bare_fk = matches!(
                        constraint.text.trim().to_ascii_lowercase().as_str(),
                        "fk" | "foreign key"
                    );
                    let stem = case::snake(&field.name);
                    let target = stem
                        .strip_suffix("_id")
                        .map(case::pascal)
                        .filter(|_| bare_fk && typed)
                        .and_then(|entity| {
                            self.entities
                                .iter()
                                .find(|e| e.name.eq_ignore_ascii_case(&entity))
                                .map(|e| e.name.clone())
                        });
                    match target {
                        Some(target) => {
                            self.push(
                                Diagnostic::note(
                                    "read-constraint",
                                    constraint.span,
                                    format!("read `{}` as `references {target}` (by the field's name)", constraint.text.trim()),
                                )
                                .label("constraint"),
                            );
                            let at = Located {
                                text: format!("references {target}"),
                                span: constraint.span,
                            };
                            self.apply_constraint(&entity_name, &mut field, &at);
                        }
                        None => self.push(Diagnostic::note("read-constraint", constraint.span, note).label("constraint")),
                    }
                }
                forms::ReadConstraint::Unreadable => self.push(
                    Diagnostic::warning("unreadable-constraint", constraint.span, format!("cannot read constraint `{}`; it is not enforced", constraint.text.trim()))
                        .label("not understood")
                        .hint("constraints are: primary key, unique, index, default X, min N, max N, pattern REGEX, references Entity.field, optional; move prose to the Description column"),
                ),
            }
        }
        // `createdAt` in a TypeScript block and `created_at` in the table are
        // one field in code: the first declaration is kept.
        let twin = self.entities[index]
            .fields
            .iter()
            .find(|f| f.name != field.name && same_name(&f.name, &field.name))
            .map(|f| (f.name.clone(), f.ty == field.ty));
        if let Some((first, same_type)) = twin {
            let first_span = self.entity_spans[&entity_name]
                .fields
                .get(&first)
                .copied()
                .unwrap_or(raw.name.span);
            let diagnostic = if same_type {
                Diagnostic::note(
                    "read-field",
                    raw.name.span,
                    format!(
                        "`{}` is `{entity_name}.{first}` spelled another way",
                        field.name
                    ),
                )
                .label("same field")
            } else {
                Diagnostic::warning("contradiction", raw.name.span, format!("`{}` is `{entity_name}.{first}` spelled another way, with another type; the first declaration is kept", field.name))
                    .label("same field, other type")
                    .related(first_span, "first declared here")
                    .hint("make the declarations agree")
            };
            self.push(diagnostic);
            return;
        }
        let spans = self
            .entity_spans
            .get_mut(&entity_name)
            .map(|s| &mut s.fields);
        let first = spans.as_ref().and_then(|f| f.get(&field.name).copied());
        if let Some(first) = first {
            let existing = self.entities[index].field(&field.name).cloned();
            let same_file = first.file == raw.name.span.file;
            match existing {
                Some(existing) if !same_file && existing == field => {}
                Some(_) if !same_file => self.push(
                    Diagnostic::error("conflict", raw.name.span, format!("field `{entity_name}.{}` is declared differently by two specs", field.name))
                        .label("declared here")
                        .related(first, "and differently here")
                        .hint("specs that extend a domain must agree: make both rows identical, or keep the field in one spec only"),
                ),
                _ => self.push(
                    Diagnostic::error("duplicate", raw.name.span, format!("field `{}` appears twice in `{entity_name}`", field.name))
                        .label("again here")
                        .related(first, "first here")
                        .hint("delete one of the rows"),
                ),
            }
            return;
        }
        if let Some(spans) = self.entity_spans.get_mut(&entity_name) {
            spans.fields.insert(field.name.clone(), raw.name.span);
        }
        self.entities[index].fields.push(field);
    }

    pub(super) fn apply_constraint(&mut self, entity: &str, field: &mut Field, at: &Located) {
        let text = at.text.trim();
        let lower = text.to_ascii_lowercase();
        let (word, rest) = split_word(text);
        let word_lower = word.to_ascii_lowercase();
        let value = rest.trim().trim_start_matches([':', '=']).trim();
        let value_span = || {
            let offset = at.text.len() - at.text.trim_start().len() + (text.len() - value.len());
            Span::new(at.span.file, at.span.start + offset, at.span.end)
        };
        match (lower.as_str(), word_lower.as_str()) {
            ("primary key" | "pk" | "primary" | "primary_key" | "id", _) => field.primary_key = true,
            ("unique", _) => field.unique = true,
            ("index" | "indexed", _) => field.index = true,
            ("required" | "not null", _) => field.required = true,
            ("optional" | "nullable", _) => field.required = false,
            (_, "default") => {
                let value = value.trim_matches(['"', '\'', '`']).to_string();
                if let Type::Enum(variants) = &field.ty {
                    if !variants.contains(&value) {
                        self.push(
                            Diagnostic::error("invalid-value", value_span(), format!("default `{value}` is not a variant of the enum"))
                                .label("not a variant")
                                .hint(format!("use one of: {}", variants.join(", "))),
                        );
                        return;
                    }
                } else if !default_fits(&field.ty, &value) {
                    // A field stored as json (its type named something unknown) or a
                    // clock default on a number (an epoch timestamp): the default is a
                    // fact about the database, not something the spec got wrong.
                    let soft = field.ty == Type::Json || value.eq_ignore_ascii_case("now") && field.ty.is_numeric();
                    let make = if soft { Diagnostic::warning } else { Diagnostic::error };
                    let message = if soft {
                        format!("default `{value}` does not fit the field's type; it is not applied")
                    } else {
                        format!("default `{value}` does not fit the field's type")
                    };
                    self.push(
                        make("invalid-value", value_span(), message)
                            .label("wrong kind of value")
                            .hint(default_hint(&field.ty, &value)),
                    );
                    return;
                }
                field.default = Some(value);
            }
            (_, "min" | "max" | "minlength" | "maxlength" | ">=" | "<=") => {
                let applies = field.ty.is_numeric() || field.ty.is_text() || matches!(field.ty, Type::List(_));
                if !applies {
                    self.push(
                        Diagnostic::error("invalid-constraint", at.span, format!("`{word}` does not apply to this type"))
                            .label("on a field that is no number, string or list")
                            .hint("min and max bound numbers by value, strings and lists by length"),
                    );
                    return;
                }
                let Ok(number) = value.parse::<f64>() else {
                    self.push(
                        Diagnostic::error("invalid-value", value_span(), format!("`{value}` is not a number"))
                            .label("expected a number")
                            .hint(format!("write `{word} 10`")),
                    );
                    return;
                };
                let is_integer_bound = !matches!(field.ty, Type::F64 | Type::Decimal);
                if is_integer_bound && number.fract() != 0.0 {
                    self.push(
                        Diagnostic::error("invalid-value", value_span(), format!("`{value}` is not a whole number"))
                            .label("expected a whole number")
                            .hint("integer fields and lengths take whole bounds"),
                    );
                    return;
                }
                if !field.ty.is_numeric() && number < 0.0 {
                    self.push(
                        Diagnostic::error("invalid-value", value_span(), "a length cannot be negative")
                            .label("negative length")
                            .hint("use 0 or more"),
                    );
                    return;
                }
                if matches!(word_lower.as_str(), "min" | "minlength" | ">=") {
                    field.min = Some(number);
                } else {
                    field.max = Some(number);
                }
                if let (Some(min), Some(max)) = (field.min, field.max) {
                    if min > max {
                        self.push(
                            Diagnostic::error("invalid-constraint", at.span, format!("max {max} is below min {min}"))
                                .label("no value can satisfy both")
                                .hint("swap the bounds"),
                        );
                    }
                }
            }
            (_, "pattern" | "regex" | "matches") => {
                if !field.ty.is_text() {
                    self.push(
                        Diagnostic::error("invalid-constraint", at.span, "`pattern` applies to string fields only")
                            .label("on a non-string field")
                            .hint("remove the pattern or make the field a string"),
                    );
                    return;
                }
                let pattern = value.trim_matches('`').to_string();
                if let Err(error) = regex_syntax::Parser::new().parse(&pattern) {
                    let detail = match &error {
                        regex_syntax::Error::Parse(e) => e.kind().to_string(),
                        regex_syntax::Error::Translate(e) => e.kind().to_string(),
                        _ => error.to_string(),
                    };
                    self.push(
                        Diagnostic::error("invalid-pattern", value_span(), format!("invalid regular expression: {detail}"))
                            .label("this pattern")
                            .hint("patterns use Rust regex syntax (https://docs.rs/regex); wrap it in backticks if it contains `|`"),
                    );
                    return;
                }
                field.pattern = Some(pattern);
            }
            (_, "references" | "references:" | "fk" | "ref" | "->" | "→") => {
                let target = value.trim_matches('`');
                let (target_entity, target_field) = target.split_once('.').unwrap_or((target, ""));
                field.references = Some(FieldRef { entity: target_entity.to_string(), field: target_field.to_string() });
                // Checked once every entity is known (see check_entities).
                self.pending_references.push((entity.to_string(), field.name.clone(), value_span()));
            }
            _ => self.push(
                Diagnostic::error("unknown-constraint", at.span, format!("unknown constraint `{text}`"))
                    .label("not understood")
                    .hint("constraints are: primary key, unique, index, default X, min N, max N, pattern REGEX, references Entity.field, optional"),
            ),
        }
    }
}

pub(super) fn parse_yes_no(text: &str) -> Option<bool> {
    let lower = text.trim().to_ascii_lowercase();
    let answer = |word: &str| match word {
        "yes" | "y" | "true" | "required" | "✓" | "✔" | "✅" | "x" | "[x]" | "not null"
        | "mandatory" | "always" => Some(true),
        "no" | "n" | "false" | "optional" | "" | "-" | "—" | "[ ]" | "✗" | "❌" | "null"
        | "nullable" => Some(false),
        _ => None,
    };
    // `Yes (PK)`, `No - defaults to now`: the first word answers.
    answer(&lower).or_else(|| answer(lower.split([' ', '(', ',', ';']).next().unwrap_or_default()))
}

/// A hint for the default at hand: `now` on a number is about `now`.
pub(super) fn default_hint(ty: &Type, value: &str) -> String {
    if value.eq_ignore_ascii_case("now") {
        return "`now` is a default for date, datetime and time fields only: make the field a datetime, or drop the default".into();
    }
    match ty {
        Type::I32 | Type::I64 => {
            format!("an integer field takes a whole number: `default 0`, not `{value}`")
        }
        Type::F64 | Type::Decimal => {
            format!("a numeric field takes a number: `default 0.0`, not `{value}`")
        }
        Type::Bool => {
            format!("a bool field takes `default true` or `default false`, not `{value}`")
        }
        Type::Date | Type::DateTime | Type::Time => {
            "date and time fields take `default now`".into()
        }
        _ => format!(
            "this type has no literal defaults: remove `default {value}` and set it in the owned service"
        ),
    }
}

pub(super) fn default_fits(ty: &Type, value: &str) -> bool {
    match ty {
        Type::I32 => value.parse::<i32>().is_ok(),
        Type::I64 => value.parse::<i64>().is_ok(),
        Type::F64 | Type::Decimal => value.parse::<f64>().is_ok(),
        Type::Bool => matches!(value, "true" | "false"),
        Type::String | Type::Text => true,
        Type::Date | Type::DateTime => value.eq_ignore_ascii_case("now"),
        Type::Time => value.eq_ignore_ascii_case("now"),
        _ => false,
    }
}

pub(super) fn split_word(text: &str) -> (&str, &str) {
    match text.find(|c: char| c.is_whitespace() || c == ':' || c == '=') {
        Some(i) => (&text[..i], &text[i..]),
        None => (text, ""),
    }
}
