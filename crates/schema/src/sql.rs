//! A [`Schema`] as the SQL of a schema request, and that SQL read back.
//!
//! The text is the request people read and the record `--diff` compares
//! with, so it is printed one column, constraint or statement per line, and
//! the reader only accepts that layout (what this module prints).

use std::fmt::Write as _;

use crate::model::{
    Column, Constraint, ConstraintKind, DomainSchema, EnumType, Index, Schema, Table, list,
};
use crate::names::{ident, literal};

/// The first lines of every request.
pub const HEADER: &str = "-- Schema request: the PostgreSQL schema the specs imply (`scaffold schema`).\n-- For the data engineer to review and turn into a migration; scaffold never applies it.\n";

/// The whole request: a header, then each domain's types, tables, indexes
/// and late foreign keys.
pub fn to_sql(schema: &Schema) -> String {
    let mut out = String::from(HEADER);
    for domain in &schema.domains {
        out.push('\n');
        out.push_str(&domain_sql(domain));
    }
    out
}

/// One domain's part of the request.
pub fn domain_sql(domain: &DomainSchema) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "-- Domain `{}`", domain.name);
    if !domain.specs.is_empty() {
        let _ = writeln!(out, "-- From {}", domain.specs.join(", "));
    }
    for enum_type in &domain.enums {
        let values: Vec<String> = enum_type.variants.iter().map(|v| literal(v)).collect();
        let _ = writeln!(
            out,
            "\nCREATE TYPE {} AS ENUM ({});",
            ident(&enum_type.name),
            values.join(", ")
        );
    }
    for table in &domain.tables {
        out.push('\n');
        if !table.entity.is_empty() {
            let _ = writeln!(out, "-- Entity `{}`", table.entity);
        }
        for note in &table.notes {
            let _ = writeln!(out, "-- Note: {note}");
        }
        let _ = writeln!(out, "CREATE TABLE {} (", ident(&table.name));
        let mut lines: Vec<String> = table
            .columns
            .iter()
            .map(|c| format!("    {} {}", ident(&c.name), c.definition()))
            .collect();
        lines.extend(
            table
                .constraints
                .iter()
                .filter(|c| !c.deferred)
                .map(|c| format!("    CONSTRAINT {} {}", ident(&c.name), c.kind.definition())),
        );
        out.push_str(&lines.join(",\n"));
        out.push_str("\n);\n");
        for index in &table.indexes {
            let _ = writeln!(
                out,
                "CREATE INDEX {} ON {} ({});",
                ident(&index.name),
                ident(&table.name),
                list(&index.columns)
            );
        }
    }
    let late: Vec<(&Table, &Constraint)> = domain
        .tables
        .iter()
        .flat_map(|t| {
            t.constraints
                .iter()
                .filter(|c| c.deferred)
                .map(move |c| (t, c))
        })
        .collect();
    if !late.is_empty() {
        out.push_str("\n-- Foreign keys in a cycle: added once both tables exist.\n");
        for (table, constraint) in late {
            let _ = writeln!(
                out,
                "ALTER TABLE {} ADD CONSTRAINT {} {};",
                ident(&table.name),
                ident(&constraint.name),
                constraint.kind.definition()
            );
        }
    }
    out
}

/// A request that cannot be read back, with its 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct SqlError {
    pub line: usize,
    pub message: String,
}

/// Reads a request [`to_sql`] printed (comments and blank lines aside).
pub fn parse(text: &str) -> Result<Schema, SqlError> {
    let mut schema = Schema::default();
    let mut entity = String::new();
    let mut notes = Vec::new();
    let mut open: Option<Table> = None;
    for (at, raw) in text.lines().enumerate() {
        let line_no = at + 1;
        let fail = |message: String| SqlError {
            line: line_no,
            message,
        };
        let line = raw.trim();
        if let Some(table) = open.as_mut() {
            if line == ");" {
                let table = open.take().unwrap_or_default();
                current(&mut schema).tables.push(table);
                continue;
            }
            let item = line.strip_suffix(',').unwrap_or(line);
            if let Some(rest) = item.strip_prefix("CONSTRAINT ") {
                let (name, definition) = split_name(rest).map_err(&fail)?;
                table.constraints.push(Constraint {
                    name,
                    kind: constraint_kind(definition).map_err(&fail)?,
                    deferred: false,
                });
            } else {
                table.columns.push(column(item).map_err(&fail)?);
            }
            continue;
        }
        if line.is_empty() {
            continue;
        }
        if let Some(comment) = line.strip_prefix("--") {
            let comment = comment.trim();
            if let Some(name) = backticked(comment, "Domain") {
                schema.domains.push(DomainSchema {
                    name,
                    ..DomainSchema::default()
                });
            } else if let Some(name) = backticked(comment, "Entity") {
                entity = name;
            } else if let Some(note) = comment.strip_prefix("Note: ") {
                notes.push(note.to_string());
            } else if let Some(specs) = comment.strip_prefix("From ") {
                current(&mut schema).specs = specs.split(", ").map(str::to_string).collect();
            }
            continue;
        }
        if let Some(rest) = line.strip_prefix("CREATE TABLE ") {
            let (name, tail) = split_name(rest).map_err(&fail)?;
            if tail != "(" {
                return Err(fail("expected `(` after the table name".into()));
            }
            open = Some(Table {
                name,
                entity: std::mem::take(&mut entity),
                notes: std::mem::take(&mut notes),
                ..Table::default()
            });
            continue;
        }
        let Some(statement) = line.strip_suffix(';') else {
            return Err(fail("a statement must end with `;` on its line".into()));
        };
        if let Some(rest) = statement.strip_prefix("CREATE TYPE ") {
            let (name, tail) = split_name(rest).map_err(&fail)?;
            let values = tail
                .strip_prefix("AS ENUM (")
                .and_then(|v| v.strip_suffix(')'))
                .ok_or_else(|| fail("expected `AS ENUM (...)`".into()))?;
            current(&mut schema).enums.push(EnumType {
                name,
                variants: literals(values).map_err(&fail)?,
            });
        } else if let Some(rest) = statement.strip_prefix("CREATE INDEX ") {
            let (name, tail) = split_name(rest).map_err(&fail)?;
            let tail = tail
                .strip_prefix("ON ")
                .ok_or_else(|| fail("expected `ON table (columns)`".into()))?;
            let (table, columns) = split_name(tail).map_err(&fail)?;
            let columns = parenthesised(columns).map_err(&fail)?;
            table_mut(&mut schema, &table)
                .ok_or_else(|| fail(format!("index on `{table}` before its table")))?
                .indexes
                .push(Index { name, columns });
        } else if let Some(rest) = statement.strip_prefix("ALTER TABLE ") {
            let (table, tail) = split_name(rest).map_err(&fail)?;
            let tail = tail
                .strip_prefix("ADD CONSTRAINT ")
                .ok_or_else(|| fail("expected `ADD CONSTRAINT`".into()))?;
            let (name, definition) = split_name(tail).map_err(&fail)?;
            let kind = constraint_kind(definition).map_err(&fail)?;
            table_mut(&mut schema, &table)
                .ok_or_else(|| fail(format!("constraint on `{table}` before its table")))?
                .constraints
                .push(Constraint {
                    name,
                    kind,
                    deferred: true,
                });
        } else {
            return Err(fail(format!("unexpected statement `{line}`")));
        }
    }
    if let Some(table) = open {
        return Err(SqlError {
            line: text.lines().count(),
            message: format!("table `{}` is not closed with `);`", table.name),
        });
    }
    Ok(schema)
}

/// The domain statements go to (one without a name before any `-- Domain`).
fn current(schema: &mut Schema) -> &mut DomainSchema {
    if schema.domains.is_empty() {
        schema.domains.push(DomainSchema::default());
    }
    let last = schema.domains.len() - 1;
    &mut schema.domains[last]
}

fn table_mut<'a>(schema: &'a mut Schema, name: &str) -> Option<&'a mut Table> {
    schema
        .domains
        .iter_mut()
        .flat_map(|d| d.tables.iter_mut())
        .find(|t| t.name == name)
}

/// `Domain `orders`` -> `orders`.
fn backticked(comment: &str, word: &str) -> Option<String> {
    let rest = comment.strip_prefix(word)?.trim_start().strip_prefix('`')?;
    Some(rest.split('`').next()?.to_string())
}

/// An identifier (bare or quoted) at the start of `text`, and the rest, trimmed.
fn split_name(text: &str) -> Result<(String, &str), String> {
    let text = text.trim_start();
    if let Some(quoted) = text.strip_prefix('"') {
        let mut name = String::new();
        let mut chars = quoted.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c == '"' {
                if chars.peek().map(|(_, n)| *n) == Some('"') {
                    chars.next();
                    name.push('"');
                } else {
                    return Ok((name, quoted[i + 1..].trim_start()));
                }
            } else {
                name.push(c);
            }
        }
        return Err("unclosed `\"`".into());
    }
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    if end == 0 {
        return Err(format!("expected a name at `{text}`"));
    }
    Ok((text[..end].to_string(), text[end..].trim_start()))
}

/// `(a, "b")` -> names.
fn parenthesised(text: &str) -> Result<Vec<String>, String> {
    let inner = text
        .trim()
        .strip_prefix('(')
        .and_then(|t| t.strip_suffix(')'))
        .ok_or_else(|| format!("expected `(names)` at `{text}`"))?;
    let mut names = Vec::new();
    let mut rest = inner;
    loop {
        let (name, tail) = split_name(rest)?;
        names.push(name);
        match tail.strip_prefix(',') {
            Some(tail) => rest = tail,
            None if tail.is_empty() => return Ok(names),
            None => return Err(format!("unexpected `{tail}`")),
        }
    }
}

/// `'a', 'b''c'` -> values.
fn literals(text: &str) -> Result<Vec<String>, String> {
    let mut values = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let body = rest
            .strip_prefix('\'')
            .ok_or_else(|| format!("expected a quoted value at `{rest}`"))?;
        let mut value = String::new();
        let mut chars = body.char_indices().peekable();
        let mut end = None;
        while let Some((i, c)) = chars.next() {
            if c == '\'' {
                if chars.peek().map(|(_, n)| *n) == Some('\'') {
                    chars.next();
                    value.push('\'');
                } else {
                    end = Some(i + 1);
                    break;
                }
            } else {
                value.push(c);
            }
        }
        let end = end.ok_or_else(|| "unclosed `'`".to_string())?;
        values.push(value);
        rest = body[end..].trim_start();
        rest = rest.strip_prefix(',').unwrap_or(rest).trim_start();
    }
    Ok(values)
}

fn constraint_kind(definition: &str) -> Result<ConstraintKind, String> {
    if let Some(columns) = definition.strip_prefix("PRIMARY KEY ") {
        return Ok(ConstraintKind::PrimaryKey(parenthesised(columns)?));
    }
    if let Some(columns) = definition.strip_prefix("UNIQUE ") {
        return Ok(ConstraintKind::Unique(parenthesised(columns)?));
    }
    if let Some(expression) = definition
        .strip_prefix("CHECK (")
        .and_then(|e| e.strip_suffix(')'))
    {
        return Ok(ConstraintKind::Check(expression.to_string()));
    }
    if let Some(rest) = definition.strip_prefix("FOREIGN KEY ") {
        let (columns, target) = rest
            .split_once(" REFERENCES ")
            .ok_or_else(|| "expected `REFERENCES`".to_string())?;
        let (table, references) = split_name(target)?;
        return Ok(ConstraintKind::ForeignKey {
            columns: parenthesised(columns)?,
            table,
            references: parenthesised(references)?,
        });
    }
    Err(format!("unknown constraint `{definition}`"))
}

/// `name type [NOT NULL] [DEFAULT expr] [GENERATED BY DEFAULT AS IDENTITY]`.
fn column(item: &str) -> Result<Column, String> {
    let (name, rest) = split_name(item)?;
    let mut rest = rest.to_string();
    let identity = match rest.strip_suffix(" GENERATED BY DEFAULT AS IDENTITY") {
        Some(before) => {
            rest = before.to_string();
            true
        }
        None => false,
    };
    let default = match find_outside_quotes(&rest, " DEFAULT ") {
        Some(at) => {
            let expression = rest[at + " DEFAULT ".len()..].to_string();
            rest.truncate(at);
            Some(expression)
        }
        None => None,
    };
    let not_null = match rest.strip_suffix(" NOT NULL") {
        Some(before) => {
            rest = before.to_string();
            true
        }
        None => false,
    };
    if rest.is_empty() {
        return Err(format!("column `{name}` has no type"));
    }
    Ok(Column {
        name,
        ty: rest,
        not_null,
        default,
        identity,
    })
}

fn find_outside_quotes(text: &str, needle: &str) -> Option<usize> {
    let mut quoted = None::<char>;
    for (i, c) in text.char_indices() {
        match quoted {
            Some(q) if c == q => quoted = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quoted = Some(c),
            None if text[i..].starts_with(needle) => return Some(i),
            None => {}
        }
    }
    None
}
