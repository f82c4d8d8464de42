//! Markdown contracts: endpoint headings (`### POST /api/cart/items`) with a
//! status line and request fields, and Method/Path tables.
//!
//! Without schemas the entity of a route is read from its path (`/todos/{id}`
//! is `Todo`), the same REST shapes as for OpenAPI decide the kind, and the
//! request fields (a Field/Type table or a JSON example under the heading)
//! become inputs.

use crate::case;
use crate::diagnostic::Diagnostic;
use crate::markdown::{self, Block, Inline};
use crate::source::Span;
use crate::syntax::{Located, RawEndpoint, RawOperation, RawSpec};

use super::Known;
use super::openapi::singular;
use super::tree::{self, Value};

const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/// An endpoint being read: what its heading or row said and what followed.
struct Pending {
    method: Located,
    path: Located,
    name: Option<Located>,
    status: Option<Located>,
    errors: Vec<Located>,
    /// (name, declared type, required) from a request table or JSON example.
    fields: Vec<(String, String, bool)>,
    description: String,
    level: u8,
    /// Whether the text since the heading talks about the response (fields after it are not inputs).
    in_response: bool,
    /// What an `**Auth**: required` (or `public`) line said.
    secured: Option<bool>,
}

/// With `known` (the feature's data model), a route maps only to an entity
/// the model has, and request fields to its fields however they are cased.
pub fn parse(
    file: usize,
    text: &str,
    known: Option<&Known>,
    diagnostics: &mut Vec<Diagnostic>,
) -> RawSpec {
    let mut spec = RawSpec {
        file,
        ..RawSpec::default()
    };
    let mut pending: Vec<Pending> = Vec::new();
    let mut current: Option<Pending> = None;
    // The last heading names an endpoint that a code block or a line gives
    // (`#### Validate API Key` then ```` ```http POST /api/auth/validate ````).
    let mut last_heading: Option<(u8, String)> = None;
    let mut title = String::new();
    for block in markdown::blocks(text) {
        match block {
            Block::Heading {
                level,
                text: inline,
            } => {
                if level == 1 && title.is_empty() {
                    let text = inline.text.trim();
                    title = text
                        .split_once(':')
                        .map_or(text, |(_, t)| t)
                        .trim()
                        .to_string();
                }
                if let Some(found) = endpoint_heading(&inline, file, level) {
                    pending.extend(current.take());
                    current = Some(found);
                    last_heading = None;
                    continue;
                }
                last_heading = Some((level, inline.text.trim().to_string()));
                match current.as_mut() {
                    Some(p) if level <= p.level => pending.extend(current.take()),
                    Some(p) => {
                        // `##### 202 Accepted (Success)`: a response, by its status.
                        let (start, end) = inline.range(0, inline.text.len());
                        let heading = Located {
                            text: inline.text.trim().to_string(),
                            span: Span::new(file, start, end),
                        };
                        let status_first = heading.text.starts_with(|c: char| c.is_ascii_digit());
                        p.in_response = mentions_response(&inline.text) || status_first;
                        if status_first {
                            record_status(p, &heading);
                        }
                    }
                    None => {}
                }
            }
            Block::Paragraph(inline) | Block::ListItem(inline) => {
                if let Some(found) = endpoint_line(&inline, file, &last_heading, &title) {
                    if !is_example(&found, current.iter().chain(&pending)) {
                        pending.extend(current.take());
                        current = Some(found);
                        continue;
                    }
                }
                if let Some(p) = current.as_mut() {
                    read_prose(p, &inline, file);
                }
            }
            Block::Table(table) => {
                let headers: Vec<String> = table
                    .header
                    .iter()
                    .map(|h| h.text.trim().trim_matches('*').trim().to_ascii_lowercase())
                    .collect();
                let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
                let (method, path) = (
                    col(&["method", "verb"]),
                    col(&["path", "route", "url", "endpoint"]),
                );
                if let (Some(method), Some(path)) = (method, path) {
                    pending.extend(current.take());
                    let name = col(&["operation", "op", "handler", "name", "operationid"]);
                    let status = col(&["status", "success", "code"]);
                    let description = col(&["description", "summary", "purpose"]);
                    let auth = col(&["auth", "authentication", "authorization", "auth required"]);
                    for row in &table.rows {
                        let cell =
                            |i: Option<usize>| i.and_then(|i| row.get(i)).map(|c| located(c, file));
                        let (Some(m), Some(p)) = (cell(Some(method)), cell(Some(path))) else {
                            continue;
                        };
                        let m_upper = m.text.to_ascii_uppercase();
                        if !METHODS.contains(&m_upper.as_str()) || !p.text.starts_with('/') {
                            continue;
                        }
                        pending.push(Pending {
                            method: Located {
                                text: m_upper,
                                span: m.span,
                            },
                            path: p,
                            name: cell(name).filter(|n| !n.text.is_empty()),
                            status: cell(status).and_then(|s| first_status(&s, 200..300)),
                            errors: Vec::new(),
                            fields: Vec::new(),
                            description: cell(description).map(|d| d.text).unwrap_or_default(),
                            level: 0,
                            in_response: false,
                            secured: cell(auth).and_then(|a| {
                                auth_line("auth", &format!("auth: {}", a.text.to_ascii_lowercase()))
                            }),
                        });
                    }
                    continue;
                }
                // A responses table (`| Status | Description |`): its statuses.
                if let Some(p) = current.as_mut().filter(|p| p.in_response) {
                    if let Some(status) = col(&["status", "code", "status code", "http status"]) {
                        for row in &table.rows {
                            if let Some(cell) = row.get(status) {
                                record_status(p, &located(cell, file));
                            }
                        }
                    }
                    continue;
                }
                if let Some(p) = current.as_mut().filter(|p| !p.in_response) {
                    let name = col(&["field", "name", "parameter", "property", "attribute"]);
                    let ty = col(&["type", "data type"]);
                    let required = col(&["required", "optional"]);
                    let inverted = required.is_some_and(|i| headers[i] == "optional");
                    if let (Some(name), Some(ty)) = (name, ty) {
                        for row in &table.rows {
                            let cell = |i: usize| {
                                row.get(i)
                                    .map(|c| c.text.trim().trim_matches('`').to_string())
                            };
                            let (Some(n), Some(t)) = (cell(name), cell(ty)) else {
                                continue;
                            };
                            let yes = required.and_then(cell).is_none_or(|r| {
                                matches!(
                                    r.to_ascii_lowercase().as_str(),
                                    "yes" | "y" | "true" | "required" | "✓" | "x"
                                )
                            });
                            p.fields.push((n, portable(&t), yes != inverted));
                        }
                    }
                }
            }
            Block::Code {
                text: code, start, ..
            } => {
                if let Some(mut found) = endpoint_code(&code, start, file, &last_heading, &title) {
                    if !is_example(&found, current.iter().chain(&pending)) {
                        pending.extend(current.take());
                        // `Request Body:` and a JSON object in the same block.
                        if let Some(open) = code.find('{').filter(|_| found.method.text != "GET") {
                            found.fields = example_fields(&code[open..]);
                        }
                        current = Some(found);
                        continue;
                    }
                }
                if let Some(p) = current.as_mut().filter(|p| !p.in_response) {
                    if p.fields.is_empty() {
                        p.fields = example_fields(&code);
                    }
                }
            }
            Block::FrontMatter { .. } => {}
        }
    }
    pending.extend(current.take());
    let mut names: Vec<String> = Vec::new();
    for mut p in pending {
        // `/vms/:id`, `/tasks/<int:task_id>/`: the contract's framework spelling.
        let braced = crate::lower::paths::brace_params(&p.path.text);
        if braced != p.path.text {
            diagnostics.push(
                Diagnostic::note(
                    "read-path",
                    p.path.span,
                    format!("read `{}` as `{braced}`", p.path.text),
                )
                .label("path"),
            );
            p.path.text = braced;
        }
        if let Some(segment) = super::openapi::mixed_segment(&p.path.text) {
            diagnostics.push(
                Diagnostic::warning(
                    "unsupported-route",
                    p.path.span,
                    format!(
                        "route `{}` is not generated: segment `{segment}` mixes a parameter with text",
                        p.path.text
                    ),
                )
                .label("this route")
                .hint("give the parameter a segment of its own (`/files/{name}`), or write this route by hand"),
            );
            continue;
        }
        let (operation, endpoint) = lower(p, known, &mut names);
        spec.operations.push(operation);
        spec.endpoints.push(endpoint);
    }
    spec
}

fn located(inline: &Inline, file: usize) -> Located {
    let (start, end) = inline.full_range();
    Located {
        text: inline.text.trim().trim_matches('`').trim().to_string(),
        span: Span::new(file, start, end),
    }
}

/// `POST /api/cart/items`, also with backticks or a trailing title (`GET /todos - List todos`).
fn endpoint_heading(inline: &Inline, file: usize, level: u8) -> Option<Pending> {
    let text = &inline.text;
    let lead = text.len() - text.trim_start().len();
    let rest = &text[lead..];
    let method_len = rest.find(char::is_whitespace)?;
    let method = rest[..method_len].trim_matches('`').to_ascii_uppercase();
    if !METHODS.contains(&method.as_str()) {
        return None;
    }
    let after = &rest[method_len..];
    let path_lead = after.len() - after.trim_start().len();
    let path_text = after.trim_start().trim_start_matches('`');
    let path_start = lead + method_len + path_lead + (after.trim_start().len() - path_text.len());
    if !path_text.starts_with('/') {
        return None;
    }
    let path_len = path_text
        .find(|c: char| c.is_whitespace() || c == '`' || c == '?')
        .unwrap_or(path_text.len());
    // `POST /api/auth/login:` in prose: the colon is not part of the path.
    let path_len = path_text[..path_len]
        .trim_end_matches([':', '.', ',', ';', ')'])
        .len();
    let (ms, me) = inline.range(lead, lead + method_len);
    let (ps, pe) = inline.range(path_start, path_start + path_len);
    let title = path_text[path_len..]
        .trim_start_matches(|c: char| {
            c == '`' || c.is_whitespace() || c == '-' || c == '—' || c == ':'
        })
        .trim();
    Some(Pending {
        method: Located {
            text: method,
            span: Span::new(file, ms, me),
        },
        path: Located {
            text: path_text[..path_len].to_string(),
            span: Span::new(file, ps, pe),
        },
        name: None,
        status: None,
        errors: Vec::new(),
        fields: Vec::new(),
        description: title.to_string(),
        level,
        in_response: false,
        secured: None,
    })
}

/// Headings that say "an endpoint follows" rather than what it does.
fn is_generic_heading(text: &str) -> bool {
    let lower = text.trim().trim_end_matches(':').to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "endpoint" | "endpoints" | "request" | "route" | "url" | "api" | "http" | "method" | "path"
    )
}

/// An endpoint introduced under a heading: named by the heading (`Validate
/// API Key` is `ValidateApiKey`), or by the document's title when the heading
/// only says `Endpoint`.
fn named(
    method: Located,
    path: Located,
    level: u8,
    last_heading: &Option<(u8, String)>,
    title: &str,
) -> Pending {
    let heading = last_heading
        .as_ref()
        .map(|(_, h)| h.as_str())
        .unwrap_or_default();
    let description = if !heading.is_empty() && !is_generic_heading(heading) {
        heading.to_string()
    } else {
        title.to_string()
    };
    let name = case::pascal(&description)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>();
    Pending {
        name: (name.len() > 2
            && name.len() <= 60
            && name.starts_with(|c: char| c.is_ascii_alphabetic()))
        .then_some(Located {
            text: name,
            span: method.span,
        }),
        method,
        path,
        status: None,
        errors: Vec::new(),
        fields: Vec::new(),
        description,
        level: last_heading.as_ref().map_or(level, |(l, _)| *l),
        in_response: false,
        secured: None,
    }
}

/// `METHOD /path` at the start of `text` (after backticks), with the byte
/// offsets of both; the path ends at whitespace, a backtick or `?`.
fn method_and_path(text: &str) -> Option<(String, usize, usize, usize, usize)> {
    let lead = text.len() - text.trim_start().len();
    let rest = &text[lead..];
    let method_len = rest.find(char::is_whitespace)?;
    let method = rest[..method_len].to_ascii_uppercase();
    if !METHODS.contains(&method.as_str()) {
        return None;
    }
    let after = &rest[method_len..];
    let path_text = after.trim_start();
    if !path_text.starts_with('/') {
        return None;
    }
    let path_start = lead + method_len + (after.len() - path_text.len());
    let path_len = path_text
        .find(|c: char| c.is_whitespace() || c == '`' || c == '?')
        .unwrap_or(path_text.len());
    // `POST /api/auth/login:` in prose: the colon is not part of the path.
    let path_len = path_text[..path_len]
        .trim_end_matches([':', '.', ',', ';', ')'])
        .len();
    Some((
        method,
        lead,
        lead + method_len,
        path_start,
        path_start + path_len,
    ))
}

/// A fenced block whose first line is `POST /api/auth/validate` (`HTTP/1.1` or not).
fn endpoint_code(
    code: &str,
    start: usize,
    file: usize,
    last_heading: &Option<(u8, String)>,
    title: &str,
) -> Option<Pending> {
    let first = code.lines().find(|l| !l.trim().is_empty())?;
    let offset = code.find(first).unwrap_or(0);
    let (method, ms, me, ps, pe) = method_and_path(first)?;
    let at = start + offset;
    let method = Located {
        text: method,
        span: Span::new(file, at + ms, at + me),
    };
    let path = Located {
        text: first[ps..pe].to_string(),
        span: Span::new(file, at + ps, at + pe),
    };
    let mut found = named(method, path, 0, last_heading, title);
    found.fields = query_fields(&first[pe..]);
    Some(found)
}

/// `?from=...&userId=1` after a path: optional query inputs.
fn query_fields(after_path: &str) -> Vec<(String, String, bool)> {
    let Some(query) = after_path.strip_prefix('?') else {
        return Vec::new();
    };
    let query = query
        .split(|c: char| c.is_whitespace() || c == '`')
        .next()
        .unwrap_or_default();
    query
        .split('&')
        .filter_map(|pair| pair.split('=').next())
        .filter(|name| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
        .map(|name| (name.to_string(), "string".to_string(), false))
        .collect()
}

/// A paragraph or item that is an endpoint: `` `GET /api/users/{id}` `` or
/// `**Endpoint**: POST /api/cart/items`.
fn endpoint_line(
    inline: &Inline,
    file: usize,
    last_heading: &Option<(u8, String)>,
    title: &str,
) -> Option<Pending> {
    let text = inline.text.lines().next().unwrap_or_default();
    let mut from = 0;
    if let Some(colon) = text.find(':') {
        let key = text[..colon]
            .trim()
            .trim_matches('*')
            .trim()
            .to_ascii_lowercase();
        if matches!(
            key.as_str(),
            "endpoint" | "route" | "request" | "url" | "http" | "api"
        ) {
            from = colon + 1;
        }
    }
    let (method, ms, me, ps, pe) = method_and_path(&text[from..])?;
    let (ms, me, ps, pe) = (from + ms, from + me, from + ps, from + pe);
    // Only the endpoint on the line: prose that mentions one is not a declaration.
    let rest = text[pe..].trim_start_matches(|c: char| c == '`' || c == '?' || !c.is_whitespace());
    if rest.split_whitespace().count() > 6 {
        return None;
    }
    let (s, e) = inline.range(ms, me);
    let method = Located {
        text: method,
        span: Span::new(file, s, e),
    };
    let (s, e) = inline.range(ps, pe);
    let path = Located {
        text: text[ps..pe].to_string(),
        span: Span::new(file, s, e),
    };
    let mut found = named(method, path, 0, last_heading, title);
    found.fields = query_fields(&text[pe..]);
    Some(found)
}

/// An example request (`DELETE /api/pens/123e4567-.../invoices/INV-1`) of an
/// endpoint already read: the same method and a path its template matches.
fn is_example<'p>(found: &Pending, seen: impl IntoIterator<Item = &'p Pending>) -> bool {
    let concrete: Vec<&str> = found.path.text.split('/').collect();
    seen.into_iter().any(|p| {
        let template: Vec<&str> = p.path.text.split('/').collect();
        p.method.text == found.method.text
            && template.len() == concrete.len()
            && template
                .iter()
                .zip(&concrete)
                .all(|(t, c)| t == c || (t.starts_with('{') && t.ends_with('}')))
    })
}

fn mentions_response(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.contains("response") || lower.contains("returns") || lower.contains("output")
}

/// Status lines (`**Response**: 201 Created`, `- 404: not found`), an
/// `operationId`/`Operation` line, and the first sentence as description.
fn read_prose(p: &mut Pending, inline: &Inline, file: usize) {
    for (offset, line) in line_offsets(&inline.text) {
        let lower = line.to_ascii_lowercase();
        let key = lower
            .split(':')
            .next()
            .unwrap_or_default()
            .trim()
            .to_string();
        if matches!(
            key.as_str(),
            "operation" | "operationid" | "operation id" | "handler"
        ) {
            if let Some(colon) = line.find(':') {
                let value = line[colon + 1..].trim().trim_matches('`');
                let at = offset
                    + colon
                    + 1
                    + (line[colon + 1..].len() - line[colon + 1..].trim_start().len());
                let (s, e) = inline.range(at, at + value.len());
                p.name = Some(Located {
                    text: value.to_string(),
                    span: Span::new(file, s, e),
                });
            }
            continue;
        }
        if let Some(secured) = auth_line(&key, &lower) {
            p.secured = Some(secured);
            continue;
        }
        let is_response =
            mentions_response(&key) || key.contains("status") || key.contains("success");
        if is_response {
            p.in_response = true;
        }
        let is_error = key.contains("error") || key.contains("fail");
        // Under `**Responses**`: a table row (`| `201 Created` | ... |`), a
        // heading (`##### 202 Accepted`) or a bullet names a status.
        let listed = p.in_response && {
            let start = line.trim_start();
            start.starts_with(['|', '#', '-', '*'])
        };
        let is_response = is_response || listed;
        for (at, code) in statuses(line) {
            let (s, e) = inline.range(offset + at, offset + at + 3);
            let item = Located {
                text: code.to_string(),
                span: Span::new(file, s, e),
            };
            match code {
                200..=299
                    if p.status.is_none()
                        && (is_response || line.trim_start().starts_with(char::is_numeric)) =>
                {
                    p.status = Some(item);
                }
                400..=599
                    if (is_error
                        || is_response
                        || line.trim_start().starts_with(char::is_numeric))
                        && !p.errors.iter().any(|e| e.text == item.text) =>
                {
                    p.errors.push(item);
                }
                _ => {}
            }
        }
        if p.description.is_empty() && !is_response && !is_error && !line.contains(':') {
            p.description = line.trim().to_string();
        }
    }
}

/// `**Auth**: required (Bearer JWT)` is protected, `Authentication: none
/// (public)` is not; other lines say nothing about it.
fn auth_line(key: &str, lower: &str) -> Option<bool> {
    let key = key.trim_matches(|c: char| c == '*' || c == '-' || c == '_' || c.is_whitespace());
    let is_auth = matches!(
        key,
        "auth"
            | "authentication"
            | "authorization"
            | "authorisation"
            | "auth required"
            | "authentication required"
            | "requires auth"
            | "requires authentication"
            | "security"
            | "access"
    );
    if !is_auth {
        return None;
    }
    let value = lower.split_once(':')?.1;
    let words: Vec<&str> = value
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let has = |w: &str| words.contains(&w);
    if has("none")
        || has("public")
        || has("no")
        || has("not")
        || has("optional")
        || has("anonymous")
        || has("false")
    {
        return Some(false);
    }
    let protected = [
        "required",
        "bearer",
        "jwt",
        "token",
        "yes",
        "true",
        "key",
        "session",
        "oauth",
        "oauth2",
        "authenticated",
        "user",
        "admin",
        "login",
    ];
    words.iter().any(|w| protected.contains(w)).then_some(true)
}

fn line_offsets(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n').map(move |line| {
        let at = offset;
        offset += line.len();
        (at, line.trim_end_matches(['\n', '\r']))
    })
}

/// The status a response's heading or table cell names: the first success,
/// and every error.
fn record_status(p: &mut Pending, cell: &Located) {
    if p.status.is_none() {
        p.status = first_status(cell, 200..300);
    }
    if let Some(error) = first_status(cell, 400..600) {
        if !p.errors.iter().any(|e| e.text == error.text) {
            p.errors.push(error);
        }
    }
}

/// Three-digit HTTP statuses standing alone in a line, with their offsets.
fn statuses(line: &str) -> Vec<(usize, u16)> {
    let bytes = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 3 <= bytes.len() {
        let alone_before = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        let alone_after = i + 3 == bytes.len() || !bytes[i + 3].is_ascii_alphanumeric();
        if alone_before && alone_after && bytes[i..i + 3].iter().all(u8::is_ascii_digit) {
            if let Ok(code) = line[i..i + 3].parse::<u16>() {
                if (200..600).contains(&code) {
                    out.push((i, code));
                }
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    out
}

fn first_status(cell: &Located, range: std::ops::Range<u16>) -> Option<Located> {
    statuses(&cell.text)
        .into_iter()
        .find(|(_, s)| range.contains(s))
        .map(|(_, s)| Located {
            text: s.to_string(),
            span: cell.span,
        })
}

/// A type cell in the words people use (`String`, `UUID`, `integer`,
/// `string (ISO 8601)`) as a portable type; unknowns are strings.
fn portable(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let optional = lower.ends_with('?') || lower.contains("optional") || lower.contains("null");
    let word = lower
        .trim_end_matches('?')
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '-')
        .find(|w| !w.is_empty())
        .unwrap_or_default()
        .to_string();
    let ty = match word.as_str() {
        "uuid" => "uuid",
        "int" | "integer" | "i32" | "number"
            if !lower.contains("float") && !lower.contains("decimal") =>
        {
            if word == "number" {
                "f64"
            } else {
                "i32"
            }
        }
        "i64" | "long" | "bigint" => "i64",
        "float" | "double" | "f64" => "f64",
        "decimal" | "money" => "decimal",
        "bool" | "boolean" => "bool",
        "date" => "date",
        "datetime" | "date-time" | "timestamp" => "datetime",
        "array" | "list" => "list<string>",
        "object" | "json" => "json",
        _ if lower.contains("uuid") => "uuid",
        _ if lower.contains("iso 8601") || lower.contains("date-time") => "datetime",
        _ => "string",
    };
    if optional {
        format!("{ty}?")
    } else {
        ty.to_string()
    }
}

/// Fields of a JSON request example: `{"title": "string", "done": false}`.
fn example_fields(code: &str) -> Vec<(String, String, bool)> {
    let Ok(Some(root)) = tree::load(code) else {
        return Vec::new();
    };
    // A JSON Schema of the body (`{"type": "object", "properties": {...}}`),
    // not an example of it: its properties are the fields.
    let is_schema = root.get("$schema").is_some() || root.str("type") == Some("object");
    if let Some(properties) = root.get("properties").filter(|_| is_schema) {
        let required: Vec<String> = root
            .get("required")
            .map(|r| r.items().iter().filter_map(tree::Node::text).collect())
            .unwrap_or_default();
        return properties
            .entries()
            .iter()
            .filter_map(|(k, v)| {
                let name = k.text()?;
                let yes = required.contains(&name);
                Some((name, schema_type(v), yes))
            })
            .collect();
    }
    root.entries()
        .iter()
        .filter_map(|(k, v)| {
            let name = k.text()?;
            let ty = match &v.value {
                Value::Str(s) => portable(s),
                Value::Bool(_) => "bool".to_string(),
                Value::Number(n, _) if n.fract() == 0.0 => "i32".to_string(),
                Value::Number(..) => "f64".to_string(),
                Value::Seq(_) => "list<string>".to_string(),
                Value::Map(_) | Value::Null => "json".to_string(),
            };
            Some((
                name,
                ty.trim_end_matches('?').to_string(),
                !ty.ends_with('?'),
            ))
        })
        .collect()
}

/// A JSON Schema property's portable type (`string` with `format: uuid` is uuid).
fn schema_type(node: &tree::Node) -> String {
    let format = node.str("format").unwrap_or_default();
    match node.str("type").unwrap_or_default() {
        "string" => match format {
            "uuid" => "uuid",
            "date-time" => "datetime",
            "date" => "date",
            "time" => "time",
            "decimal" => "decimal",
            _ => "string",
        }
        .to_string(),
        "integer" if format == "int64" => "i64".to_string(),
        "integer" => "i32".to_string(),
        "number" => "f64".to_string(),
        "boolean" => "bool".to_string(),
        "array" => match node.get("items") {
            Some(items) if items.get("type").is_some() => format!("list<{}>", schema_type(items)),
            _ => "list<json>".to_string(),
        },
        _ => "json".to_string(),
    }
}

/// The REST shape of a route decides the kind, as for OpenAPI; the entity is
/// the singular of the last literal segment.
fn lower(
    p: Pending,
    known: Option<&Known>,
    names: &mut Vec<String>,
) -> (RawOperation, RawEndpoint) {
    let segments: Vec<&str> = p.path.text.split('/').filter(|s| !s.is_empty()).collect();
    let is_param = |s: &str| s.len() > 2 && s.starts_with('{') && s.ends_with('}');
    let is_item = segments.last().is_some_and(|s| is_param(s));
    let resource = segments.iter().rev().find(|s| !is_param(s)).copied();
    let entity = resource
        .map(|r| case::pascal(&singular(r)))
        .filter(|e| !e.is_empty())
        // Prose has no schemas: only the data model can say a route is about
        // one of its entities (`items` under `cart` is `CartItem`). Without it
        // every route is a free operation, which always generates.
        .and_then(|e| known?.entity_named(&e));
    let verb = match (p.method.text.as_str(), is_item) {
        ("POST", false) => Some("create"),
        ("GET", true) => Some("get"),
        ("GET", false) => Some("list"),
        ("PUT" | "PATCH", true) => Some("update"),
        ("DELETE", true) => Some("delete"),
        _ => None,
    };
    // RPC-style routes (`POST /orders/{id}/cancel`) name a verb, not a resource.
    // An item looked up by something that is no key (`{slug}`) is a free operation too.
    let key_like = |s: &str| {
        let snake = case::snake(&s[1..s.len() - 1]);
        snake == "id" || snake == "pk" || snake.ends_with("_id")
    };
    let kind = verb
        .zip(entity)
        .filter(|_| resource.is_some_and(|r| singular(r) != r))
        .filter(|_| !is_item || segments.last().is_some_and(|s| key_like(s)));
    let mut inputs = Vec::new();
    let mut path = String::new();
    let mut previous = "";
    let params: Vec<&str> = segments.iter().filter(|s| is_param(s)).copied().collect();
    for segment in &segments {
        path.push('/');
        if !is_param(segment) {
            previous = segment;
            path.push_str(segment);
            continue;
        }
        let original = &segment[1..segment.len() - 1];
        let snake = case::snake(original);
        let is_key = is_item && params.last() == Some(segment);
        let name = match &kind {
            // The entity's key input resolves however the data model spells the key.
            Some((_, entity)) if is_key => format!("{}_id", case::snake(entity)),
            // `{id}` (Django's `{pk}`) after `/vms` is `{vm_id}` wherever it
            // stands, so that `/vms/{id}` and `/vms/{id}/cleanup` name it alike
            // (one router serves both).
            _ if matches!(snake.as_str(), "id" | "pk") && !previous.is_empty() => {
                format!("{}_id", case::snake(&singular(previous)))
            }
            _ => snake,
        };
        // A parent's key takes the data model's spelling (`listId` or `list_id`).
        let name = match (known, &kind) {
            (Some(known), Some((_, e))) if !is_key => known.field(e, &name).unwrap_or(name),
            _ => name,
        };
        path.push('{');
        path.push_str(&name);
        path.push('}');
        let resolves = match (known, &kind) {
            (None, _) => false,
            (Some(_), Some(_)) if is_key => true,
            (Some(known), kind) => {
                kind.as_ref()
                    .and_then(|(_, e)| known.field(e, &name))
                    .is_some()
                    || known
                        .entities
                        .iter()
                        .any(|(e, _)| format!("{}_id", case::snake(e)) == name)
            }
        };
        let text = if resolves {
            name
        } else {
            // A parameters table may say the type (`pigPenId | Guid`).
            let ty = p
                .fields
                .iter()
                .find(|(n, _, _)| case::snake(n) == name)
                .map_or("string", |(_, t, _)| t.trim_end_matches('?'));
            format!("{name}: {ty}")
        };
        inputs.push(Located {
            text,
            span: p.path.span,
        });
    }
    if path.is_empty() {
        path.push('/');
    }
    for (name, ty, required) in &p.fields {
        let snake = case::snake(name);
        if snake.is_empty()
            || inputs
                .iter()
                .any(|i: &Located| i.text.split(':').next() == Some(snake.as_str()))
        {
            continue;
        }
        if kind.is_some()
            && (snake == "id" || snake.ends_with("_id") && inputs.iter().any(|i| i.text == snake))
        {
            continue;
        }
        let field = match (known, &kind) {
            (Some(known), Some((_, entity))) => known.field(entity, name),
            _ => None,
        };
        let text = match field {
            Some(field) => field,
            None => format!("{snake}: {ty}{}", if *required { "" } else { "?" }),
        };
        inputs.push(Located {
            text,
            span: p.method.span,
        });
    }
    let name_text = p
        .name
        .as_ref()
        .map(|n| case::pascal(&n.text))
        .filter(|n| n.starts_with(|c: char| c.is_ascii_alphabetic()))
        .unwrap_or_else(|| match &kind {
            Some(("list", e)) => super::openapi::list_name(e, &segments),
            Some((verb, e)) => format!("{}{e}", case::pascal(verb)),
            // A REST-shaped route is named for what it does even when its
            // entity is unknown: `GET /books/{id}` is `GetBook`.
            None if verb.is_some() && resource.is_some_and(|r| singular(r) != r) => {
                let resource = resource.unwrap_or_default();
                match verb.unwrap_or_default() {
                    "list" => format!("List{}", case::pascal(resource)),
                    verb => format!(
                        "{}{}",
                        case::pascal(verb),
                        case::pascal(&singular(resource))
                    ),
                }
            }
            None => {
                let words: Vec<String> = segments
                    .iter()
                    .filter(|s| !is_param(s) && !s.eq_ignore_ascii_case("api"))
                    .map(|s| case::pascal(s))
                    .collect();
                format!(
                    "{}{}",
                    case::pascal(&p.method.text.to_ascii_lowercase()),
                    words.concat()
                )
            }
        });
    let mut name_text = name_text;
    if names.contains(&name_text) {
        let mut n = 2;
        while names.contains(&format!("{name_text}{n}")) {
            n += 1;
        }
        name_text = format!("{name_text}{n}");
    }
    names.push(name_text.clone());
    let name_span = p.name.as_ref().map_or(p.method.span, |n| n.span);
    let output = match &kind {
        Some(("list", e)) => format!("list<{e}>"),
        Some(("delete", _)) => "none".to_string(),
        Some((_, e)) => e.clone(),
        None => if p.method.text == "DELETE" {
            "none"
        } else {
            "json"
        }
        .to_string(),
    };
    let operation = RawOperation {
        id: None,
        name: Some(Located {
            text: name_text.clone(),
            span: name_span,
        }),
        heading: Some(p.method.span),
        kind: kind.as_ref().map(|(verb, e)| Located {
            text: format!("{verb} {e}"),
            span: p.path.span,
        }),
        inputs,
        output: Some(Located {
            text: output,
            span: p.method.span,
        }),
        rules: Vec::new(),
        errors: Vec::new(),
        description: p.description,
    };
    let endpoint = RawEndpoint {
        method: p.method,
        path: Located {
            text: path,
            span: p.path.span,
        },
        operation: Located {
            text: name_text,
            span: name_span,
        },
        status: p.status,
        errors: p.errors,
        shape: crate::model::EndpointShape {
            secured: p.secured.unwrap_or(false),
            ..Default::default()
        },
    };
    (operation, endpoint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_statuses_alone() {
        assert_eq!(statuses("**Response**: 201 Created"), vec![(14, 201)]);
        assert!(statuses("max 2000 chars, id a200").is_empty());
    }

    #[test]
    fn portable_types() {
        assert_eq!(portable("String (UUID)"), "uuid");
        assert_eq!(portable("integer"), "i32");
        assert_eq!(portable("string?"), "string?");
        assert_eq!(portable("TEXT (ISO 8601 datetime)"), "datetime");
    }
}
