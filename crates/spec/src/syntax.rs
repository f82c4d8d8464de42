//! Reads one Markdown file into raw, located spec items, before any validation.
//!
//! Structure comes only from front matter, a few headings (matched
//! case-insensitively, with aliases), tables (columns matched by header name)
//! and `Key: value` list items. All other prose is ignored.

use crate::diagnostic::Diagnostic;
use crate::markdown::{self, Block, Inline, Table};
use crate::options::Options;
use crate::source::Span;

/// A piece of text and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub text: String,
    pub span: Span,
}

#[derive(Debug, Default)]
pub struct RawSpec {
    pub file: usize,
    pub ticket: Option<Located>,
    pub domain: Option<Located>,
    pub requirements: Vec<(Located, String)>,
    pub entities: Vec<RawEntity>,
    pub operations: Vec<RawOperation>,
    pub endpoints: Vec<RawEndpoint>,
    pub errors: Vec<RawError>,
}

#[derive(Debug)]
pub struct RawEntity {
    pub name: Located,
    pub fields: Vec<RawField>,
    pub relationships: Vec<Located>,
    /// Whether a fields table was seen (an entity without one is an error).
    pub has_table: bool,
}

#[derive(Debug)]
pub struct RawField {
    pub name: Located,
    pub ty: Located,
    pub required: Option<Located>,
    pub constraints: Vec<Located>,
    pub description: String,
}

#[derive(Debug, Default)]
pub struct RawOperation {
    pub id: Option<Located>,
    pub name: Option<Located>,
    pub heading: Option<Span>,
    pub kind: Option<Located>,
    pub inputs: Vec<Located>,
    pub output: Option<Located>,
    pub rules: Vec<Located>,
    pub errors: Vec<Located>,
    pub description: String,
}

#[derive(Debug)]
pub struct RawEndpoint {
    pub method: Located,
    pub path: Located,
    pub operation: Located,
    pub status: Option<Located>,
    pub errors: Vec<Located>,
}

#[derive(Debug)]
pub struct RawError {
    pub code: Located,
    pub http: Located,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Model,
    Operations,
    Endpoints,
    Errors,
    Other,
}

fn section_of(heading: &str) -> Option<Section> {
    let norm = heading.trim().trim_end_matches(':').to_ascii_lowercase();
    Some(match norm.as_str() {
        "domain model" | "data model" | "entities" | "key entities" | "model" | "models" => {
            Section::Model
        }
        "operations" | "use cases" | "commands" => Section::Operations,
        "api endpoints" | "endpoints" | "api" | "routes" | "http api" => Section::Endpoints,
        "errors" | "error codes" | "error catalog" => Section::Errors,
        _ => return None,
    })
}

/// Parses one file. `file` is its index in the sources slice (for spans).
pub fn parse_file(
    file: usize,
    text: &str,
    options: &Options,
    diagnostics: &mut Vec<Diagnostic>,
) -> RawSpec {
    let _ = options;
    let mut spec = RawSpec {
        file,
        ..RawSpec::default()
    };
    let loc = |inline: &Inline, start: usize, end: usize| -> Located {
        let (s, e) = inline.range(start, end);
        Located {
            text: inline.text[start..end].to_string(),
            span: Span::new(file, s, e),
        }
    };
    let trimmed = |inline: &Inline, start: usize, end: usize| -> Located {
        let slice = &inline.text[start..end];
        let lead = slice.len() - slice.trim_start().len();
        let trail = slice.trim_end().len();
        loc(inline, start + lead, start + trail.max(lead))
    };

    let mut section = Section::Other;
    let mut section_level = 0u8;
    let mut entity: Option<RawEntity> = None;
    let mut operation: Option<RawOperation> = None;
    let mut in_relationships = false;

    let flush = |spec: &mut RawSpec,
                 entity: &mut Option<RawEntity>,
                 operation: &mut Option<RawOperation>| {
        if let Some(e) = entity.take() {
            spec.entities.push(e);
        }
        if let Some(o) = operation.take() {
            spec.operations.push(o);
        }
    };

    for block in markdown::blocks(text) {
        match block {
            Block::FrontMatter { text: yaml, start } => {
                let mut offset = 0;
                for line in yaml.split_inclusive('\n') {
                    if let Some((key, value)) = line.split_once(':') {
                        let value_start = offset + key.len() + 1;
                        let value_trimmed = value.trim();
                        let lead = value.len() - value.trim_start().len();
                        let located = Located {
                            text: value_trimmed.trim_matches(['"', '\'']).to_string(),
                            span: Span::new(
                                file,
                                start + value_start + lead,
                                start + value_start + lead + value_trimmed.len(),
                            ),
                        };
                        match key.trim().to_ascii_lowercase().as_str() {
                            "domain" => spec.domain = Some(located),
                            "ticket" | "id" => spec.ticket = Some(located),
                            _ => {}
                        }
                    }
                    offset += line.len();
                }
            }
            Block::Heading {
                level,
                text: inline,
            } => {
                in_relationships = false;
                let heading = inline.text.trim();
                if let Some(found) = section_of(heading) {
                    flush(&mut spec, &mut entity, &mut operation);
                    section = found;
                    section_level = level;
                    continue;
                }
                let entity_prefix = strip_prefix_ci(heading, "entity:");
                if entity_prefix.is_some() || (section == Section::Model && level > section_level) {
                    flush(&mut spec, &mut entity, &mut operation);
                    let lead = inline.text.len() - inline.text.trim_start().len();
                    let name_start = lead
                        + if entity_prefix.is_some() {
                            "entity:".len()
                        } else {
                            0
                        };
                    let name = trimmed(&inline, name_start, inline.text.len());
                    entity = Some(RawEntity {
                        name,
                        fields: Vec::new(),
                        relationships: Vec::new(),
                        has_table: false,
                    });
                    if entity_prefix.is_some() && section != Section::Model {
                        section = Section::Model;
                        section_level = level.saturating_sub(1);
                    }
                    continue;
                }
                if section == Section::Operations && level > section_level {
                    flush(&mut spec, &mut entity, &mut operation);
                    operation = Some(parse_operation_heading(&inline, file, &trimmed));
                    continue;
                }
                if level <= section_level || section == Section::Other {
                    flush(&mut spec, &mut entity, &mut operation);
                    section = Section::Other;
                    section_level = 0;
                }
            }
            Block::Paragraph(inline) => {
                let text = inline.text.trim();
                if entity.is_some() && strip_prefix_ci(text, "relationships").is_some() {
                    in_relationships = true;
                    continue;
                }
                // Bold metadata lines (`**Domain**: orders`), one per line of the paragraph.
                let mut offset = 0;
                for line in inline.text.split_inclusive('\n') {
                    if let Some((key, value)) = line.split_once(':') {
                        let key_norm = key.trim().to_ascii_lowercase();
                        let value_start = offset + key.len() + 1;
                        let value_end = offset + line.trim_end().len();
                        if value_end > value_start && !value.trim().is_empty() {
                            match key_norm.as_str() {
                                "domain" if spec.domain.is_none() => {
                                    spec.domain = Some(trimmed(&inline, value_start, value_end));
                                }
                                "ticket" if spec.ticket.is_none() => {
                                    spec.ticket = Some(trimmed(&inline, value_start, value_end));
                                }
                                _ => {}
                            }
                        }
                    }
                    offset += line.len();
                }
                if let Some(op) = operation.as_mut() {
                    if op.description.is_empty() {
                        op.description = text.to_string();
                    }
                }
            }
            Block::ListItem(inline) => {
                let text = inline.text.trim_end();
                // Requirements (`**FR-001**: System MUST ...`) are collected wherever they are.
                if let Some((id, rest)) = requirement(text) {
                    let start = inline.text.len() - inline.text.trim_start().len();
                    let id = loc(&inline, start, start + id.len());
                    spec.requirements.push((id, rest.to_string()));
                    continue;
                }
                if let Some(e) = entity.as_mut() {
                    let lower = text.trim_start().to_ascii_lowercase();
                    if in_relationships
                        || lower.starts_with("has many")
                        || lower.starts_with("has one")
                        || lower.starts_with("belongs to")
                    {
                        e.relationships.push(trimmed(&inline, 0, text.len()));
                    }
                    continue;
                }
                if let Some(op) = operation.as_mut() {
                    parse_operation_item(op, &inline, &trimmed);
                }
            }
            Block::Table(table) => match section {
                Section::Model => {
                    if let Some(e) = entity.as_mut() {
                        e.has_table = true;
                        parse_fields_table(e, &table, file, &trimmed, diagnostics);
                    }
                }
                Section::Endpoints => {
                    parse_endpoints_table(&mut spec, &table, file, &trimmed, diagnostics)
                }
                Section::Errors => {
                    parse_errors_table(&mut spec, &table, file, &trimmed, diagnostics)
                }
                Section::Operations | Section::Other => {}
            },
        }
    }
    flush(&mut spec, &mut entity, &mut operation);
    spec
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// `FR-001: text` -> (`FR-001`, `text`).
fn requirement(text: &str) -> Option<(&str, &str)> {
    let text = text.trim_start();
    let (id, rest) = text.split_once(':')?;
    let id = id.trim_end();
    let (prefix, number) = id.split_once('-')?;
    let ok = !prefix.is_empty()
        && prefix.chars().all(|c| c.is_ascii_uppercase())
        && !number.is_empty()
        && number.chars().all(|c| c.is_ascii_digit());
    ok.then(|| (id, rest.trim()))
}

type Trim<'t> = dyn Fn(&Inline, usize, usize) -> Located + 't;

/// `OP-001: PlaceOrder` or `PlaceOrder`.
fn parse_operation_heading(inline: &Inline, file: usize, trimmed: &Trim<'_>) -> RawOperation {
    let text = &inline.text;
    let end = text.trim_end().len();
    let (start, end) = (text.len() - text.trim_start().len(), end);
    let (s, e) = inline.range(start, end);
    let mut op = RawOperation {
        heading: Some(Span::new(file, s, e)),
        ..RawOperation::default()
    };
    match text.find(':') {
        Some(colon) if requirement_like(&text[..colon]) => {
            op.id = Some(trimmed(inline, 0, colon));
            op.name = Some(trimmed(inline, colon + 1, end));
        }
        _ => op.name = Some(trimmed(inline, 0, end)),
    }
    op
}

fn requirement_like(text: &str) -> bool {
    requirement(&format!("{}:", text.trim())).is_some()
}

fn parse_operation_item(op: &mut RawOperation, inline: &Inline, trimmed: &Trim<'_>) {
    let text = &inline.text;
    let Some(colon) = text.find(':') else { return };
    let key = text[..colon].trim().to_ascii_lowercase();
    let (value_start, value_end) = (colon + 1, text.trim_end().len());
    if value_end <= value_start {
        return;
    }
    let value = trimmed(inline, value_start, value_end);
    match key.as_str() {
        "kind" => op.kind = Some(value),
        "input" | "inputs" | "parameters" | "params" => {
            op.inputs
                .extend(split_list(inline, value_start, value_end, trimmed));
        }
        "output" | "returns" | "response" => op.output = Some(value),
        "rules" | "requirements" | "enforces" => {
            op.rules
                .extend(split_list(inline, value_start, value_end, trimmed))
        }
        "errors" | "error codes" | "fails with" => {
            op.errors
                .extend(split_list(inline, value_start, value_end, trimmed))
        }
        "description" | "summary" => op.description = value.text,
        _ => {}
    }
}

/// Splits on commas outside `()`, `<>`; drops empty items and `none`/`-`.
pub(crate) fn split_list(
    inline: &Inline,
    start: usize,
    end: usize,
    trimmed: &Trim<'_>,
) -> Vec<Located> {
    let text = &inline.text;
    let mut items = Vec::new();
    let mut depth = 0i32;
    let mut item_start = start;
    for (i, c) in text[start..end].char_indices() {
        let at = start + i;
        match c {
            '(' | '<' => depth += 1,
            ')' | '>' => depth -= 1,
            ',' if depth <= 0 => {
                items.push(trimmed(inline, item_start, at));
                item_start = at + 1;
            }
            _ => {}
        }
    }
    items.push(trimmed(inline, item_start, end));
    items.retain(|item| {
        !item.text.is_empty()
            && !matches!(item.text.to_ascii_lowercase().as_str(), "none" | "-" | "—")
    });
    items
}

/// Finds each wanted column by header name; reports the missing required ones.
fn columns(
    table: &Table,
    file: usize,
    what: &str,
    wanted: &[(&[&str], bool)],
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Vec<Option<usize>>> {
    let headers: Vec<String> = table
        .header
        .iter()
        .map(|h| h.text.trim().trim_matches('*').trim().to_ascii_lowercase())
        .collect();
    let mut found = Vec::new();
    let mut ok = true;
    for (aliases, required) in wanted {
        let index = headers.iter().position(|h| aliases.contains(&h.as_str()));
        if index.is_none() && *required {
            let end = table
                .header
                .last()
                .map_or(0, |h| h.full_range().1)
                .max(table.start + 1);
            let span = Span::new(file, table.start, end);
            diagnostics.push(
                Diagnostic::error(
                    "missing-column",
                    span,
                    format!("{what} table has no `{}` column", aliases[0]),
                )
                .label("in this header")
                .hint(format!(
                    "add a `{}` column (also accepted: {})",
                    capitalize(aliases[0]),
                    aliases[1..].join(", ")
                )),
            );
            ok = false;
        }
        found.push(index);
    }
    ok.then_some(found)
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn cell(row: &[Inline], index: Option<usize>) -> Option<&Inline> {
    index.and_then(|i| row.get(i))
}

fn cell_located(row: &[Inline], index: Option<usize>, trimmed: &Trim<'_>) -> Option<Located> {
    let inline = cell(row, index)?;
    let located = trimmed(inline, 0, inline.text.len());
    (!located.text.is_empty()).then_some(located)
}

fn row_span(row: &[Inline], file: usize) -> Span {
    let start = row.first().map_or(0, |c| c.full_range().0);
    let end = row.last().map_or(start, |c| c.full_range().1);
    Span::new(file, start, end)
}

fn parse_fields_table(
    entity: &mut RawEntity,
    table: &Table,
    file: usize,
    trimmed: &Trim<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let wanted: &[(&[&str], bool)] = &[
        (&["field", "name", "attribute", "column"], true),
        (&["type", "data type"], true),
        (&["required", "nullable", "optional", "null"], false),
        (&["constraints", "constraint", "rules", "validation"], false),
        (&["description", "notes", "note", "comment"], false),
    ];
    let Some(cols) = columns(table, file, "entity", wanted, diagnostics) else {
        return;
    };
    // `Nullable`/`Optional` columns mean the opposite of `Required`.
    let required_inverted = cols[2].is_some_and(|i| {
        let h = table.header[i].text.trim().to_ascii_lowercase();
        h != "required"
    });
    for row in &table.rows {
        let (Some(name), Some(ty)) = (
            cell_located(row, cols[0], trimmed),
            cell_located(row, cols[1], trimmed),
        ) else {
            diagnostics.push(
                Diagnostic::error(
                    "missing-cell",
                    row_span(row, file),
                    "field row needs a name and a type",
                )
                .label("this row")
                .hint("fill in the Field and Type cells, or delete the row"),
            );
            continue;
        };
        let mut required = cell_located(row, cols[2], trimmed);
        if required_inverted {
            if let Some(r) = required.as_mut() {
                r.text = format!("!{}", r.text);
            }
        }
        let constraints = match cell(row, cols[3]) {
            Some(inline) => split_constraints(inline, trimmed),
            None => Vec::new(),
        };
        let description = cell(row, cols[4])
            .map(|c| c.text.trim().to_string())
            .unwrap_or_default();
        entity.fields.push(RawField {
            name,
            ty,
            required,
            constraints,
            description,
        });
    }
}

/// Constraints are comma-separated, except that `pattern` takes the rest of the cell
/// (regular expressions contain commas).
fn split_constraints(inline: &Inline, trimmed: &Trim<'_>) -> Vec<Located> {
    let text = &inline.text;
    let lower = text.to_ascii_lowercase();
    let pattern_at = lower
        .match_indices("pattern")
        .map(|(i, _)| i)
        .find(|&i| lower[..i].trim_end().is_empty() || lower[..i].trim_end().ends_with(','));
    let end = pattern_at.unwrap_or(text.len());
    let before_pattern = text[..end].trim_end().trim_end_matches(',').len();
    let mut items = split_list(inline, 0, before_pattern, trimmed);
    if let Some(at) = pattern_at {
        items.push(trimmed(inline, at, text.trim_end().len()));
    }
    items
}

fn parse_endpoints_table(
    spec: &mut RawSpec,
    table: &Table,
    file: usize,
    trimmed: &Trim<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let wanted: &[(&[&str], bool)] = &[
        (&["method", "verb"], true),
        (&["path", "route", "url"], true),
        (&["operation", "op", "handler"], true),
        (&["status", "success", "code"], false),
        (&["errors", "error statuses", "error codes"], false),
    ];
    let Some(cols) = columns(table, file, "endpoints", wanted, diagnostics) else {
        return;
    };
    for row in &table.rows {
        let (Some(method), Some(path), Some(operation)) = (
            cell_located(row, cols[0], trimmed),
            cell_located(row, cols[1], trimmed),
            cell_located(row, cols[2], trimmed),
        ) else {
            diagnostics.push(
                Diagnostic::error(
                    "missing-cell",
                    row_span(row, file),
                    "endpoint row needs a method, a path and an operation",
                )
                .label("this row")
                .hint("fill in Method, Path and Operation, or delete the row"),
            );
            continue;
        };
        let status = cell_located(row, cols[3], trimmed);
        let errors = match cell(row, cols[4]) {
            Some(inline) => split_list(inline, 0, inline.text.len(), trimmed),
            None => Vec::new(),
        };
        spec.endpoints.push(RawEndpoint {
            method,
            path,
            operation,
            status,
            errors,
        });
    }
}

fn parse_errors_table(
    spec: &mut RawSpec,
    table: &Table,
    file: usize,
    trimmed: &Trim<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let wanted: &[(&[&str], bool)] = &[
        (&["code", "error", "name"], true),
        (&["http", "status", "http status"], true),
        (&["message", "description", "meaning"], false),
    ];
    let Some(cols) = columns(table, file, "errors", wanted, diagnostics) else {
        return;
    };
    for row in &table.rows {
        let (Some(code), Some(http)) = (
            cell_located(row, cols[0], trimmed),
            cell_located(row, cols[1], trimmed),
        ) else {
            diagnostics.push(
                Diagnostic::error(
                    "missing-cell",
                    row_span(row, file),
                    "error row needs a code and an HTTP status",
                )
                .label("this row")
                .hint("fill in Code and HTTP, or delete the row"),
            );
            continue;
        };
        let message = cell(row, cols[2])
            .map(|c| c.text.trim().to_string())
            .unwrap_or_default();
        spec.errors.push(RawError {
            code,
            http,
            message,
        });
    }
}
