//! Models written in code fences of a data-model.md: Prisma `model` blocks,
//! SQL `CREATE TABLE`, TypeScript `interface` / `type X = {}` (and `enum`s of
//! each), read into raw entities like a fields table.
//!
//! Line-based on purpose: these blocks are written one field per line, and a
//! line we cannot read is skipped (with a warning), never a parse failure.

use crate::diagnostic::Diagnostic;
use crate::forms;
use crate::source::Span;
use crate::syntax::{Located, RawEntity, RawField};

/// Entities declared in one code block. Blocks in other languages yield none.
pub fn models(
    lang: &str,
    text: &str,
    start: usize,
    file: usize,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<RawEntity> {
    let lower = text.to_ascii_lowercase();
    let reader = Reader { text, start, file };
    let mut entities = if matches!(lang, "prisma")
        || (lang.is_empty() && lower.contains("model ") && lower.contains('@'))
    {
        reader.prisma(diagnostics)
    } else if matches!(
        lang,
        "sql" | "postgresql" | "postgres" | "pgsql" | "mysql" | "sqlite" | "plsql"
    ) || lower.contains("create table")
    {
        reader.sql(diagnostics)
    } else if matches!(lang, "typescript" | "ts" | "tsx" | "javascript" | "js")
        || lower.contains("interface ")
    {
        reader.typescript(diagnostics)
    } else {
        Vec::new()
    };
    for entity in &mut entities {
        entity.fenced = true;
        entity.has_table = !entity.fields.is_empty();
    }
    entities.retain(|e| !e.fields.is_empty());
    entities
}

struct Reader<'t> {
    text: &'t str,
    start: usize,
    file: usize,
}

/// One line of a block and its offset in the block.
struct Line<'t> {
    at: usize,
    text: &'t str,
}

impl<'t> Reader<'t> {
    fn lines(&self) -> impl Iterator<Item = Line<'t>> + 't {
        let text = self.text;
        text.split_inclusive('\n')
            .scan(0usize, move |offset, line| {
                let at = *offset;
                *offset += line.len();
                Some(Line {
                    at,
                    text: line.trim_end_matches(['\n', '\r']),
                })
            })
    }

    /// A located sub-slice of a line.
    fn located(&self, line: &Line<'_>, part: &str, text: String) -> Located {
        let offset = part.as_ptr() as usize - line.text.as_ptr() as usize;
        let start = self.start + line.at + offset;
        Located {
            text,
            span: Span::new(self.file, start, start + part.len()),
        }
    }

    fn entity(&self, line: &Line<'_>, name_part: &str) -> Option<RawEntity> {
        let name = forms::entity_name_from(name_part)?;
        Some(RawEntity::new(self.located(line, name_part, name), false))
    }

    fn field(
        &self,
        line: &Line<'_>,
        name: &str,
        ty_part: &str,
        ty: String,
        constraints: Vec<String>,
    ) -> RawField {
        let name_at = self.located(line, name, name.to_string());
        let ty_at = self.located(line, ty_part, ty);
        RawField {
            constraints: constraints
                .into_iter()
                .map(|text| Located {
                    text,
                    span: ty_at.span,
                })
                .collect(),
            name: name_at,
            ty: ty_at,
            required: None,
            description: String::new(),
        }
    }

    fn prisma(&self, diagnostics: &mut Vec<Diagnostic>) -> Vec<RawEntity> {
        let mut entities = Vec::new();
        let mut current: Option<RawEntity> = None;
        // Enums first: schemas declare them anywhere, often after the models using them.
        let mut enums: Vec<(String, Vec<String>)> = Vec::new();
        let mut open_enum: Option<(String, Vec<String>)> = None;
        for line in self.lines() {
            let trimmed = line.text.trim();
            if let Some(rest) = trimmed.strip_prefix("enum ") {
                open_enum = Some((rest.trim_end_matches('{').trim().to_string(), Vec::new()));
            } else if trimmed.starts_with('}') {
                enums.extend(open_enum.take());
            } else if let Some((_, variants)) = open_enum.as_mut() {
                if let Some(v) = trimmed
                    .split_whitespace()
                    .next()
                    .filter(|v| !v.starts_with("//"))
                {
                    variants.push(v.to_string());
                }
            }
        }
        let mut in_enum = false;
        for line in self.lines() {
            let trimmed = line.text.trim();
            if trimmed.starts_with("//") || trimmed.is_empty() {
                continue;
            }
            if let Some(rest) = trimmed.strip_prefix("model ") {
                let name = rest.trim_end_matches('{').trim();
                current = self.entity(&line, name);
                continue;
            }
            if trimmed.starts_with("enum ") {
                in_enum = true;
                continue;
            }
            if trimmed.starts_with('}') {
                if let Some(e) = current.take() {
                    entities.push(e);
                }
                in_enum = false;
                continue;
            }
            if in_enum {
                continue;
            }
            let Some(entity) = current.as_mut() else {
                continue;
            };
            if trimmed.starts_with("@@") {
                continue;
            }
            let mut words = trimmed.split_whitespace();
            let (Some(name), Some(ty)) = (words.next(), words.next()) else {
                continue;
            };
            let attrs: Vec<&str> = words.collect();
            let attrs_text = attrs.join(" ");
            // Relation fields (`author User @relation(...)`, `posts Post[]`) are relationships.
            if attrs_text.contains("@relation")
                || (ty
                    .trim_end_matches(['?', ']', '['])
                    .starts_with(|c: char| c.is_ascii_uppercase())
                    && !is_prisma_scalar(ty)
                    && !enums.iter().any(|(n, _)| ty.trim_end_matches('?') == n))
            {
                let target = ty.trim_end_matches('?').trim_end_matches("[]");
                let kind = if ty.ends_with("[]") {
                    "has many"
                } else {
                    "belongs to"
                };
                let via = attrs_text
                    .split("fields:")
                    .nth(1)
                    .and_then(|s| {
                        s.trim_start()
                            .trim_start_matches('[')
                            .split([']', ','])
                            .next()
                    })
                    .map(str::trim)
                    .filter(|s| !s.is_empty());
                let text = match via {
                    Some(via) => format!("{kind} {target} via {via}"),
                    None => format!("{kind} {target}"),
                };
                if kind == "belongs to" || via.is_some() || ty.ends_with("[]") {
                    entity.relationships.push(self.located(&line, ty, text));
                }
                continue;
            }
            let optional = ty.ends_with('?');
            let mut base = ty.trim_end_matches('?');
            // `String @default(uuid())` or `@db.Uuid`: Prisma keeps uuids in strings.
            if base == "String"
                && attrs
                    .iter()
                    .any(|a| *a == "@default(uuid())" || a.starts_with("@db.Uuid"))
            {
                base = "uuid";
            }
            let mut canonical = match enums.iter().find(|(n, _)| n == base.trim_end_matches("[]")) {
                Some((_, variants)) => format!("enum({})", variants.join(", ")),
                None => base.to_string(),
            };
            if optional {
                canonical.push('?');
            }
            let mut constraints = Vec::new();
            for attr in &attrs {
                if *attr == "@id" {
                    constraints.push("primary key".to_string());
                } else if *attr == "@unique" {
                    constraints.push("unique".to_string());
                } else if let Some(default) = attr.strip_prefix("@default(") {
                    constraints.push(format!(
                        "default {}",
                        default.strip_suffix(')').unwrap_or(default)
                    ));
                }
            }
            if forms::read_type(&canonical).is_none() {
                self.skip(&line, trimmed, diagnostics);
                continue;
            }
            entity
                .fields
                .push(self.field(&line, name, ty, canonical, constraints));
        }
        if let Some(e) = current.take() {
            entities.push(e);
        }
        entities
    }

    fn sql(&self, diagnostics: &mut Vec<Diagnostic>) -> Vec<RawEntity> {
        let mut entities = Vec::new();
        let mut current: Option<RawEntity> = None;
        // `CREATE TYPE status AS ENUM (...)`: lowercase name to canonical enum.
        let mut enums: Vec<(String, String)> = Vec::new();
        for line in self.lines() {
            // `qty INTEGER DEFAULT 0, -- note`: the comment goes before the comma.
            let code = line.text.split("--").next().unwrap_or_default();
            let trimmed = code.trim().trim_end_matches(',').trim();
            let lower = trimmed.to_ascii_lowercase();
            if trimmed.is_empty() {
                continue;
            }
            if lower.starts_with("create type") && lower.contains("as enum") {
                if let Some(entry) = sql_enum(trimmed) {
                    enums.push(entry);
                }
                continue;
            }
            if lower.starts_with("create table") {
                let rest = &trimmed["create table".len()..];
                let rest = rest.trim_start();
                let rest = if rest.to_ascii_lowercase().starts_with("if not exists") {
                    rest["if not exists".len()..].trim_start()
                } else {
                    rest
                };
                let name = rest.split(['(', ' ']).next().unwrap_or_default();
                let name = name
                    .rsplit('.')
                    .next()
                    .unwrap_or(name)
                    .trim_matches(['"', '`']);
                // A table holds many rows: `Websites` is the entity `Website`,
                // as `websites` is.
                current = self.entity(&line, name).map(|mut e| {
                    e.name.text = forms::singular_pascal(&e.name.text);
                    e
                });
                continue;
            }
            if trimmed.starts_with(')') {
                if let Some(e) = current.take() {
                    entities.push(e);
                }
                continue;
            }
            let Some(entity) = current.as_mut() else {
                continue;
            };
            let first = lower.split([' ', '(']).next().unwrap_or_default();
            if matches!(
                first,
                "primary"
                    | "foreign"
                    | "unique"
                    | "constraint"
                    | "check"
                    | "index"
                    | "key"
                    | "exclude"
            ) {
                // Table constraints: a composite key or a foreign key on an existing column.
                if let Some((column, values)) = check_in(trimmed) {
                    // `CHECK (status IN ('draft', 'sent'))`: the column is that enum.
                    if let Some(f) = entity
                        .fields
                        .iter_mut()
                        .find(|f| f.name.text.eq_ignore_ascii_case(&column))
                    {
                        let optional = if f.ty.text.ends_with('?') { "?" } else { "" };
                        f.ty.text = format!("enum({}){optional}", values.join(", "));
                        f.constraints.retain(|c| {
                            !["max ", "min ", "pattern "]
                                .iter()
                                .any(|p| c.text.starts_with(p))
                        });
                    }
                } else if let Some(cols) = lower.strip_prefix("primary key") {
                    let cols: Vec<&str> = cols
                        .trim()
                        .trim_matches(['(', ')'])
                        .split(',')
                        .map(str::trim)
                        .collect();
                    if cols.len() == 1 {
                        if let Some(f) = entity
                            .fields
                            .iter_mut()
                            .find(|f| f.name.text.eq_ignore_ascii_case(cols[0]))
                        {
                            f.constraints.push(Located {
                                text: "primary key".into(),
                                span: f.name.span,
                            });
                        }
                    }
                    // Key columns are never null, composite or not.
                    for f in entity
                        .fields
                        .iter_mut()
                        .filter(|f| cols.iter().any(|c| f.name.text.eq_ignore_ascii_case(c)))
                    {
                        if let Some(required) = f.ty.text.strip_suffix('?') {
                            f.ty.text = required.to_string();
                        }
                    }
                } else if lower.starts_with("foreign key") {
                    let col = lower
                        .split(['(', ')'])
                        .nth(1)
                        .unwrap_or_default()
                        .trim()
                        .to_string();
                    if let Some(target) = lower
                        .split("references")
                        .nth(1)
                        .and_then(|t| sql_reference(&trimmed[trimmed.len() - t.len()..]))
                    {
                        if let Some(f) = entity
                            .fields
                            .iter_mut()
                            .find(|f| f.name.text.eq_ignore_ascii_case(&col))
                        {
                            f.constraints.push(Located {
                                text: format!("references {target}"),
                                span: f.name.span,
                            });
                        }
                    }
                }
                continue;
            }
            let mut parts = trimmed.splitn(2, char::is_whitespace);
            let (Some(name), Some(rest)) = (parts.next(), parts.next()) else {
                continue;
            };
            let name = name.trim_matches(['"', '`']);
            let rest = rest.trim();
            let rest_lower = rest.to_ascii_lowercase();
            // The type runs to the first constraint keyword.
            let keywords = [
                " not null",
                " null",
                " primary key",
                " unique",
                " references",
                " default",
                " check",
                " generated",
                " constraint",
                " collate",
            ];
            let ty_end = keywords
                .iter()
                .filter_map(|k| format!(" {rest_lower}").find(k))
                .min()
                .map_or(rest.len(), |i| i.saturating_sub(1).min(rest.len()));
            let ty_part = rest[..ty_end].trim();
            let tail = &rest_lower[ty_end..];
            let mut constraints = Vec::new();
            let not_null = tail.contains("not null") || tail.contains("primary key");
            if tail.contains("primary key") {
                constraints.push("primary key".to_string());
            }
            if tail.contains("unique") {
                constraints.push("unique".to_string());
            }
            if let Some(target) = tail.split("references").nth(1) {
                let original = &rest[rest.len() - target.len()..];
                if let Some(target) =
                    sql_reference(original.split_whitespace().next().unwrap_or_default())
                {
                    constraints.push(format!("references {target}"));
                }
            }
            if let Some(default) = tail.split("default").nth(1) {
                let original = rest[rest.len() - default.len()..].trim();
                let value = original.split_whitespace().next().unwrap_or_default();
                constraints.push(format!("default {value}"));
            }
            // `status TEXT CHECK (status IN ('draft', 'sent'))`: an enum.
            let check_enum = check_in(rest)
                .filter(|(column, _)| column.eq_ignore_ascii_case(name))
                .map(|(_, values)| format!("enum({})", values.join(", ")));
            if let (None, Some(check)) = (&check_enum, tail.split("check").nth(1)) {
                constraints.push(format!("check {}", check.trim()));
            }
            let enum_type = enums
                .iter()
                .find(|(n, _)| *n == ty_part.to_ascii_lowercase())
                .map(|(_, e)| e.clone());
            let Some(read) = forms::read_type(
                check_enum
                    .as_deref()
                    .or(enum_type.as_deref())
                    .unwrap_or(ty_part),
            ) else {
                self.skip(&line, trimmed, diagnostics);
                continue;
            };
            let serial = matches!(
                ty_part.to_ascii_lowercase().as_str(),
                "serial" | "bigserial" | "smallserial"
            );
            let optional = !not_null && !serial;
            let mut canonical = read.canonical.clone();
            if optional {
                canonical.push('?');
            }
            constraints.extend(read.constraints);
            entity
                .fields
                .push(self.field(&line, name, ty_part, canonical, constraints));
        }
        if let Some(e) = current.take() {
            entities.push(e);
        }
        entities
    }

    fn typescript(&self, diagnostics: &mut Vec<Diagnostic>) -> Vec<RawEntity> {
        let mut entities = Vec::new();
        let mut current: Option<RawEntity> = None;
        let mut aliases: Vec<(String, String)> = Vec::new();
        // Inside an interface that is a request, response or UI shape.
        let mut skipping = false;
        // Depth inside a nested object literal type (one json field).
        let mut nested = 0usize;
        for line in self.lines() {
            let trimmed = line.text.trim();
            if trimmed.is_empty()
                || trimmed.starts_with("//")
                || trimmed.starts_with("/*")
                || trimmed.starts_with('*')
            {
                continue;
            }
            if nested > 0 {
                nested += trimmed.matches('{').count();
                nested = nested.saturating_sub(trimmed.matches('}').count());
                continue;
            }
            let decl = trimmed
                .trim_start_matches("export ")
                .trim_start_matches("declare ");
            if let Some(rest) = decl.strip_prefix("interface ") {
                let name = rest.split([' ', '{', '<']).next().unwrap_or_default();
                skipping = is_data_shape(name);
                if !skipping {
                    current = self.entity(&line, name);
                }
                continue;
            }
            if let Some(rest) = decl.strip_prefix("type ") {
                if let Some((name, value)) = rest.split_once('=') {
                    let value = value.trim().trim_end_matches(';');
                    if value.starts_with('{') {
                        skipping = is_data_shape(name.trim());
                        if !skipping {
                            current = self.entity(&line, name.trim());
                        }
                    } else {
                        let value = ts_literal(value).unwrap_or_else(|| value.to_string());
                        aliases.push((name.trim().to_string(), value));
                    }
                }
                continue;
            }
            if let Some(rest) = decl.strip_prefix("enum ") {
                let name = rest.split([' ', '{']).next().unwrap_or_default();
                aliases.push((name.to_string(), String::new()));
                continue;
            }
            if trimmed.starts_with('}') {
                if let Some(e) = current.take() {
                    entities.push(e);
                }
                skipping = false;
                continue;
            }
            if skipping {
                continue;
            }
            let Some(entity) = current.as_mut() else {
                continue;
            };
            let Some((name, ty)) = trimmed.split_once(':') else {
                continue;
            };
            // Methods (`save(): void;`) are behaviour, not data.
            if name.contains('(') {
                continue;
            }
            let name = name.trim().trim_start_matches("readonly ").trim();
            let optional = name.ends_with('?');
            let name = name.trim_end_matches('?').trim_matches(['"', '\'']);
            let ty_part = ty
                .split("//")
                .next()
                .unwrap_or_default()
                .trim()
                .trim_end_matches([';', ','])
                .trim()
                .trim_start_matches("readonly ");
            // A nested object literal (`data: {`): one json field.
            if ty_part.starts_with('{') {
                if !ty_part.contains('}') {
                    nested = 1;
                }
                entity
                    .fields
                    .push(self.field(&line, name, ty_part, "json".into(), Vec::new()));
                continue;
            }
            // TypeScript's `Date` is an instant; aliases of string unions are enums.
            let resolved = match aliases
                .iter()
                .find(|(n, _)| n == ty_part.trim_end_matches("[]"))
            {
                Some((_, value)) if !value.is_empty() => value.clone(),
                _ if ty_part == "Date" => "datetime".to_string(),
                _ => ts_literal(ty_part).unwrap_or_else(|| ty_part.to_string()),
            };
            let Some(read) = forms::read_type(&resolved) else {
                self.skip(&line, trimmed, diagnostics);
                continue;
            };
            let mut canonical = read.canonical.clone();
            if optional || read.optional {
                canonical.push('?');
            }
            let mut constraints = read.constraints;
            if name == "id" {
                constraints.push("primary key".to_string());
            }
            entity
                .fields
                .push(self.field(&line, name, ty_part, canonical, constraints));
        }
        if let Some(e) = current.take() {
            entities.push(e);
        }
        entities
    }

    fn skip(&self, line: &Line<'_>, part: &str, diagnostics: &mut Vec<Diagnostic>) {
        let at = self.located(line, part, part.to_string());
        diagnostics.push(
            Diagnostic::warning("unreadable-field", at.span, format!("cannot read a field from `{part}`; it is ignored"))
                .label("in this code block")
                .hint("use a type scaffold knows (see docs/spec-format.md), or declare the field in a fields table"),
        );
    }
}

/// `CHECK (status IN ('draft', 'sent'))` (alone or after a column, any case)
/// → (`status`, [`draft`, `sent`]).
fn check_in(text: &str) -> Option<(String, Vec<String>)> {
    let lower = text.to_ascii_lowercase();
    // The keyword, not a constraint's name ending in it (`payments_kind_check`).
    let at = lower
        .match_indices("check")
        .map(|(i, _)| i + "check".len())
        .find(|&i| text[i..].trim_start().starts_with('('))?;
    let body = text[at..].trim_start().strip_prefix('(')?;
    let lower_body = body.to_ascii_lowercase();
    let in_at = lower_body
        .match_indices(" in")
        .map(|(i, _)| i)
        .find(|&i| lower_body[i + 3..].trim_start().starts_with('('))?;
    let column = body[..in_at]
        .trim()
        .trim_matches(['"', '`', '('])
        .to_string();
    if column.is_empty() || !column.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return None;
    }
    let list = body[in_at + 3..].trim_start().strip_prefix('(')?;
    let list = &list[..list.find(')')?];
    let values: Vec<String> = list
        .split(',')
        .map(|v| v.trim().trim_matches(['\'', '"']).to_string())
        .filter(|v| !v.is_empty())
        .collect();
    (!values.is_empty()).then_some((column, values))
}

/// The entity a SQL `REFERENCES Websites(Id)` names: the table's entity, singular
/// as [`forms::singular_pascal`] makes the tables' names.
fn sql_reference(text: &str) -> Option<String> {
    let target = forms::read_reference(text)?;
    Some(match target.split_once('.') {
        Some((entity, field)) => format!("{}.{field}", forms::singular_pascal(entity)),
        None => forms::singular_pascal(&target),
    })
}

/// Every `CREATE TYPE ... AS ENUM (...)` of a SQL text, however it is split
/// into lines: (`order_status`, `enum(pending, paid)`).
pub fn sql_enums(text: &str) -> Vec<(String, String)> {
    text.split(';')
        .map(|statement| statement.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|statement| statement.to_ascii_lowercase().starts_with("create type"))
        .filter_map(|statement| sql_enum(&statement))
        .collect()
}

/// `CREATE TYPE order_status AS ENUM ('pending', 'paid')` → (`order_status`, `enum(pending, paid)`).
fn sql_enum(statement: &str) -> Option<(String, String)> {
    let lower = statement.to_ascii_lowercase();
    let name = statement
        .get("create type".len()..)?
        .split_whitespace()
        .next()?;
    let name = name
        .rsplit('.')
        .next()
        .unwrap_or(name)
        .trim_matches(['"', '`']);
    let at = lower.find("as enum")? + "as enum".len();
    let values: Vec<String> = statement[at..]
        .trim()
        .trim_start_matches('(')
        .trim_end_matches([')', ';'])
        .split(',')
        .map(|v| v.trim().trim_matches(['\'', '"']).to_string())
        .filter(|v| !v.is_empty())
        .collect();
    (!values.is_empty()).then(|| {
        (
            name.to_ascii_lowercase(),
            format!("enum({})", values.join(", ")),
        )
    })
}

/// Interfaces that describe a request, a response or a UI component, not
/// something stored: `CreateOrderRequest`, `ButtonProps`, `PulumiOutputs`.
fn is_data_shape(name: &str) -> bool {
    const SUFFIXES: &[&str] = &[
        "Props", "Request", "Response", "Message", "Outputs", "Output", "Input", "Params",
        "Options", "Config", "Payload", "Dto", "DTO", "Args", "Result", "Event", "State",
        "Context",
    ];
    SUFFIXES
        .iter()
        .any(|s| name.len() > s.len() && name.ends_with(s))
}

/// TypeScript literal types: `'memo'` is a one-variant enum, `1` a number,
/// a template literal a string.
fn ts_literal(ty: &str) -> Option<String> {
    let ty = ty.trim();
    let quoted = ty.len() >= 2
        && ((ty.starts_with('\'') && ty.ends_with('\''))
            || (ty.starts_with('"') && ty.ends_with('"')));
    if quoted && !ty.contains('|') {
        return Some(format!("enum({})", &ty[1..ty.len() - 1]));
    }
    if ty.starts_with('`') {
        return Some("string".into());
    }
    if ty.parse::<i64>().is_ok() {
        return Some("i32".into());
    }
    if ty == "true" || ty == "false" {
        return Some("bool".into());
    }
    None
}

fn is_prisma_scalar(ty: &str) -> bool {
    matches!(
        ty.trim_end_matches('?').trim_end_matches("[]"),
        "String"
            | "Int"
            | "BigInt"
            | "Float"
            | "Decimal"
            | "Boolean"
            | "DateTime"
            | "Json"
            | "Bytes"
    )
}
