//! Forms seen in real specs, read into the canonical grammar of docs/spec-format.md.
//!
//! Real data models write types as `String (UUID)`, `varchar(255)` or
//! `'draft' | 'sent'`, constraints as `FK → User` or `1-500 chars`, and entity
//! headings as `## 1. Entity: Book` or `### 注文（Order）`. Each reader here
//! turns one such form into canonical text (`uuid`, `string` + `max 255`,
//! `enum(draft, sent)`), so validation has one grammar to check. Every
//! rewrite says so: callers turn the `note` into a `note:` diagnostic.
//!
//! Everything here is pure string work: no spans, no diagnostics.

use crate::case;
use crate::types;

/// A type read from a wild form: canonical type text plus the constraints the
/// form implied (`varchar(255)` implies `max 255`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadType {
    pub canonical: String,
    pub optional: bool,
    pub constraints: Vec<String>,
    /// Set when the text was not already canonical: what was read, for a `note:`.
    pub note: Option<String>,
}

const EMAIL_PATTERN: &str = r"^[^@\s]+@[^@\s]+\.[^@\s]+$";
const URL_PATTERN: &str = r"^https?://\S+$";

/// Reads a type written in any of the forms seen in specs (canonical grammar,
/// SQL, TypeScript, Prisma, Python, annotated). `None` when it is no type.
pub fn read_type(text: &str) -> Option<ReadType> {
    let text = text.trim().trim_matches('`').trim();
    if text.is_empty() {
        return None;
    }
    // C#'s and Java's `byte[]`: binary data, base64 text as `bytea` is.
    if text.eq_ignore_ascii_case("byte[]") {
        return Some(ReadType {
            note: Some(format!(
                "read `{text}` as `string` (binary data travels as base64 text)"
            )),
            ..ReadType::plain("string")
        });
    }
    // The canonical grammar first, when it names no unknown word.
    if let Ok((ty, optional)) = types::parse_type(text) {
        if !mentions_foreign_name(&ty) {
            return Some(ReadType {
                canonical: text.trim_end_matches('?').trim().to_string(),
                optional,
                constraints: Vec::new(),
                note: None,
            });
        }
    }
    let mut read = read_wild(text)?;
    if read.note.is_none() {
        read.note = Some(format!("read `{text}` as `{}`", read.spelled()));
    }
    Some(read)
}

impl ReadType {
    fn plain(canonical: impl Into<String>) -> Self {
        Self {
            canonical: canonical.into(),
            optional: false,
            constraints: Vec::new(),
            note: None,
        }
    }

    fn with(mut self, constraint: impl Into<String>) -> Self {
        self.constraints.push(constraint.into());
        self
    }

    /// The canonical spelling with optionality and constraints, for notes.
    pub fn spelled(&self) -> String {
        let mut out = self.canonical.clone();
        if self.optional {
            out.push('?');
        }
        for c in &self.constraints {
            out.push_str(", ");
            out.push_str(c);
        }
        out
    }
}

/// Entity names that are really words of another type vocabulary (`Number`, `Date` ...).
fn mentions_foreign_name(ty: &crate::model::Type) -> bool {
    use crate::model::Type;
    match ty {
        Type::Entity(name) => base_type(&name.to_ascii_lowercase()).is_some(),
        Type::List(inner) => mentions_foreign_name(inner),
        _ => false,
    }
}

fn read_wild(text: &str) -> Option<ReadType> {
    let lower = text.to_ascii_lowercase();
    if let Some(inner) = lower.strip_prefix("readonly ") {
        return read_type(&text[text.len() - inner.len()..]);
    }
    if lower.starts_with("record<")
        || lower.starts_with("partial<")
        || lower.starts_with("omit<")
        || lower.starts_with("pick<")
    {
        return Some(ReadType::plain("json"));
    }
    // Go: `*T` is optional, `[]T` a list, `map[K]V` an object.
    if let Some(inner) = text.strip_prefix('*') {
        let mut read = read_type(inner)?;
        read.optional = true;
        read.note = None;
        return Some(read);
    }
    if lower.starts_with("map[") {
        return Some(ReadType::plain("json"));
    }
    // Runtime handles (`chan T`, `func()`, `*exec.Cmd`, `io.Writer`) are not
    // data: kept as opaque json so the rest of the model still reads.
    let qualified = text.contains('.')
        && text
            .split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    if lower.starts_with("chan ")
        || lower.starts_with("func(")
        || (qualified && base_type(&lower).is_none())
    {
        return Some(ReadType::plain("json"));
    }
    // `'A'`: a one-value literal type.
    if text.len() >= 3
        && !text.contains('|')
        && (text.starts_with('\'') && text.ends_with('\'')
            || text.starts_with('"') && text.ends_with('"'))
    {
        return Some(ReadType::plain(enum_text(&[
            text[1..text.len() - 1].to_string()
        ])?));
    }
    if let Some(inner) = text
        .strip_prefix("[]")
        .filter(|i| !i.eq_ignore_ascii_case("byte"))
    {
        return Some(list_of(read_type(inner)?));
    }
    // `TEXT nullable`, `TEXT NOT NULL`, `integer optional`.
    // ` not null` before ` null`, which it ends with.
    for (suffix, optional) in [
        (" not null", false),
        (" nullable", true),
        (" null", true),
        (" optional", true),
        (" required", false),
    ] {
        if let Some(base) = lower.strip_suffix(suffix).filter(|_| !text.contains('|')) {
            let mut read = read_type(&text[..base.len()])?;
            read.optional |= optional;
            read.note = None;
            return Some(read);
        }
    }
    // Optional markers: `X | null`, `Optional[X]`, `Option<X>`, `X?`.
    for (prefix, suffix) in [
        ("optional[", "]"),
        ("option<", ">"),
        ("nullable(", ")"),
        ("nullable<", ">"),
    ] {
        if lower.starts_with(prefix) && lower.ends_with(suffix) {
            let inner = &text[prefix.len()..text.len() - suffix.len()];
            let mut read = read_type(inner)?;
            read.optional = true;
            read.note = None;
            return Some(read);
        }
    }
    if let Some(base) = text.strip_suffix('?') {
        let mut read = read_type(base)?;
        read.optional = true;
        read.note = None;
        return Some(read);
    }
    if text.contains('|') {
        let parts: Vec<&str> = text.split('|').map(str::trim).collect();
        let nullish = |p: &str| {
            matches!(
                p.to_ascii_lowercase().as_str(),
                "null" | "undefined" | "none" | "nil"
            )
        };
        let rest: Vec<&str> = parts.iter().copied().filter(|p| !nullish(p)).collect();
        let optional = rest.len() < parts.len();
        let quoted = |p: &str| {
            p.len() >= 2
                && ((p.starts_with('\'') && p.ends_with('\''))
                    || (p.starts_with('"') && p.ends_with('"')))
        };
        let mut read = if !rest.is_empty() && rest.iter().all(|p| quoted(p)) {
            let variants: Vec<String> =
                rest.iter().map(|p| p[1..p.len() - 1].to_string()).collect();
            ReadType::plain(enum_text(&variants)?)
        } else if rest.len() == 1 {
            read_type(rest[0])?
        } else {
            return None;
        };
        read.optional |= optional;
        read.note = None;
        return Some(read);
    }
    // A type with parentheses, then column constraints: `enum(a, b) DEFAULT 'a'`,
    // `varchar(20) NOT NULL UNIQUE`, `timestamptz NOT NULL DEFAULT now()`.
    if let Some(read) = type_then_constraints(text).filter(|_| text.contains('(')) {
        return Some(read);
    }
    // A trailing annotation: `String (UUID)`, `TEXT (ISO 8601 datetime)`, `Enum (A, B)`.
    if let Some(open) = text.find(['(', '（']) {
        let close = text.rfind([')', '）']).filter(|&c| c > open);
        let inner_start = open + text[open..].chars().next().map_or(1, char::len_utf8);
        let inner = match close {
            Some(c) => &text[inner_start..c],
            None => &text[inner_start..],
        };
        let base = text[..open].trim();
        let base_lower = base.to_ascii_lowercase();
        if base_lower == "enum" || base_lower == "enumeration" {
            let variants = split_variants(inner);
            return Some(ReadType::plain(enum_text(&variants)?));
        }
        // SQL parameters: varchar(255), numeric(10,2), timestamp(3).
        if inner
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == ' ')
            && !inner.trim().is_empty()
        {
            let mut read = read_sized(&base_lower, inner.trim())?;
            read.note = Some(format!("read `{text}` as `{}`", read.spelled()));
            return Some(read);
        }
        let mut read = if base.is_empty() {
            None
        } else {
            read_type(base)
        }?;
        read.note = None;
        annotate(&mut read, inner);
        return Some(read);
    }
    // `enum: A, B` / `enum [A, B]` / `enum{A,B}`.
    for (open, close) in [
        ("enum:", ""),
        ("enum [", "]"),
        ("enum[", "]"),
        ("enum {", "}"),
        ("enum{", "}"),
    ] {
        if lower.starts_with(open) && lower.ends_with(close) {
            let inner = &text[open.len()..text.len() - close.len()];
            return Some(ReadType::plain(enum_text(&split_variants(inner))?));
        }
    }
    // Lists.
    for (open, close) in [
        ("array<", ">"),
        ("array[", "]"),
        ("list[", "]"),
        ("set<", ">"),
        ("set[", "]"),
        ("sequence[", "]"),
        ("iterable[", "]"),
        // A page of a list: lists are paged by the generated code already.
        ("page<", ">"),
        ("paged<", ">"),
        ("paginated<", ">"),
        ("vec<", ">"),
        ("list<", ">"),
    ] {
        if lower.starts_with(open) && lower.ends_with(close) {
            let inner = read_type(&text[open.len()..text.len() - close.len()])?;
            return Some(list_of(inner));
        }
    }
    if let Some(inner) = text.strip_suffix("[]") {
        return Some(list_of(read_type(inner)?));
    }
    // `[Order]` (Swift, GraphQL); `list of Orders`, `array of Order`, `list Order`
    // (as a kind is written). A plural entity name is the lowering's to resolve.
    if let Some(inner) = text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
        return Some(list_of(read_type(inner)?));
    }
    for prose in ["list of ", "array of ", "set of ", "list "] {
        if lower.starts_with(prose) {
            let inner = &text[prose.len()..];
            // `list of strings`: prose names the items in the plural.
            let item = base_type(&singular(&inner.trim().to_ascii_lowercase()));
            return Some(list_of(item.map_or_else(|| read_type(inner), Some)?));
        }
    }
    if let Some(inner) = lower.strip_suffix(" array") {
        return Some(list_of(read_type(&text[..inner.len()])?));
    }
    if ["dict[", "map<", "record<", "mapping["]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return Some(ReadType::plain("json"));
    }
    base_type(&lower)
        .or_else(|| type_comma_constraints(text))
        .or_else(|| type_then_constraints(text))
}

/// `timestamptz, nullable`, `string, unique, max 80`: the type, then constraint
/// phrases as the Constraints column holds them. `None` unless every phrase reads.
fn type_comma_constraints(text: &str) -> Option<ReadType> {
    let (head, tail) = text.split_once(',')?;
    let mut read = read_type(head)?;
    let integer = matches!(
        read.canonical.as_str(),
        "i32" | "i64" | "int" | "integer" | "bigint"
    );
    for phrase in tail.split(',') {
        match read_constraint(phrase, integer) {
            ReadConstraint::Canonical { items, .. } => {
                for item in items {
                    match item.as_str() {
                        "optional" | "nullable" => read.optional = true,
                        "required" => read.optional = false,
                        _ => read.constraints.push(item),
                    }
                }
            }
            ReadConstraint::Noted(_) => {}
            ReadConstraint::Unreadable => return None,
        }
    }
    read.note = None;
    Some(read)
}

/// A column definition in one cell, SQL's grammar with the type first:
/// `uuid PK`, `text NOT NULL UNIQUE`, `uuid FK → procedures.id ON DELETE CASCADE`,
/// `integer DEFAULT 0`. The constraints join the type's.
fn type_then_constraints(text: &str) -> Option<ReadType> {
    const KEYWORDS: &[&str] = &[
        "pk",
        "primary key",
        "not null",
        "null",
        "unique",
        "references",
        "fk",
        "foreign key",
        "default",
        "check",
        "indexed",
        "index",
        "auto_increment",
        "autoincrement",
        "identity",
        "generated",
        "on delete",
        "on update",
        "→",
        "->",
    ];
    let lower = text.to_ascii_lowercase();
    // Where each keyword starts as a word of its own (not `nullable`, `index_name`).
    let starts = |keyword: &str| -> Vec<usize> {
        lower
            .match_indices(keyword)
            .map(|(at, _)| at)
            .filter(|&at| at > 0 && lower[..at].ends_with(char::is_whitespace))
            .filter(|&at| {
                lower[at + keyword.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric() && c != '_')
            })
            .collect()
    };
    let split = KEYWORDS
        .iter()
        .filter_map(|k| starts(k).first().copied())
        .min()?;
    let head = text[..split].trim();
    let mut read = read_type(head)?;
    let has = |keyword: &str| !starts(keyword).is_empty();
    let mut constraints = std::mem::take(&mut read.constraints);
    let primary = has("pk") || has("primary key");
    if primary {
        constraints.push("primary key".into());
    }
    if has("unique") {
        constraints.push("unique".into());
    }
    if has("indexed") || has("index") {
        constraints.push("indexed".into());
    }
    let target = ["references", "foreign key", "fk", "→", "->"]
        .iter()
        .find_map(|k| starts(k).first().map(|&at| &text[at + k.len()..]))
        .and_then(|rest| {
            rest.split_whitespace().find(|w| {
                !matches!(
                    w.to_ascii_lowercase().as_str(),
                    "→" | "->" | "to" | "references" | "fk" | ":"
                )
            })
        })
        .map(|target| {
            // `auth.users.id`: the schema is no part of the entity's name.
            let parts: Vec<&str> = target.split('.').collect();
            if parts.len() > 2 {
                parts[parts.len() - 2..].join(".")
            } else {
                target.to_string()
            }
        })
        .and_then(|target| read_reference(&target));
    if let Some(target) = target {
        constraints.push(format!("references {target}"));
    }
    if let Some(&at) = starts("default").first() {
        if let Some(value) = text[at + "default".len()..].split_whitespace().next() {
            constraints.push(format!("default {value}"));
        }
    }
    let not_null = primary || has("not null");
    read.optional |= !not_null && has("null");
    read.constraints = constraints;
    read.note = None;
    Some(read)
}

fn list_of(inner: ReadType) -> ReadType {
    ReadType {
        canonical: format!("list<{}>", inner.canonical),
        optional: false,
        // Length constraints of the item do not bound the list.
        constraints: Vec::new(),
        note: None,
    }
}

/// SQL types with parameters.
fn read_sized(base: &str, params: &str) -> Option<ReadType> {
    let first = params.split(',').next().unwrap_or_default().trim();
    Some(match base {
        "varchar" | "character varying" | "char" | "character" | "nvarchar" | "nchar"
        | "string" => ReadType::plain("string").with(format!("max {first}")),
        "numeric" | "decimal" | "number" => ReadType::plain("decimal"),
        "float" => ReadType::plain("f64"),
        "timestamp" | "timestamptz" | "datetime" => ReadType::plain("datetime"),
        "time" | "timetz" => ReadType::plain("time"),
        "int" | "integer" | "tinyint" | "smallint" | "mediumint" => ReadType::plain("i32"),
        "bigint" => ReadType::plain("i64"),
        "bit" => ReadType::plain("bool"),
        _ => return None,
    })
}

/// One word (or a few) of a type vocabulary, lowercased.
fn base_type(lower: &str) -> Option<ReadType> {
    let lower = lower.trim();
    Some(match lower {
        "string" | "str" | "varchar" | "character varying" | "char" | "character" | "citext"
        | "nvarchar" | "slug" | "objectid" | "cuid" | "phone" | "ip" | "inet" | "hash" => {
            ReadType::plain("string")
        }
        "text" | "longtext" | "mediumtext" | "markdown" | "clob" => ReadType::plain("text"),
        "email" | "email address" => {
            ReadType::plain("string").with(format!("pattern {EMAIL_PATTERN}"))
        }
        "url" | "uri" => ReadType::plain("string").with(format!("pattern {URL_PATTERN}")),
        "bool" | "boolean" | "bit" | "flag" => ReadType::plain("bool"),
        "int" | "integer" | "int4" | "int32" | "i32" | "smallint" | "int2" | "tinyint"
        | "mediumint" | "serial" | "smallserial" | "serial4" | "i16" | "i8" | "u8" | "u16"
        | "short" | "count" => ReadType::plain("i32"),
        "i64" | "bigint" | "int8" | "int64" | "long" | "bigserial" | "serial8" | "u32" | "u64" => {
            ReadType::plain("i64")
        }
        "f64" | "float" | "double" | "double precision" | "real" | "float4" | "float8" | "f32"
        | "number" | "percentage" => ReadType::plain("f64"),
        "decimal" | "numeric" | "money" | "currency" | "bigdecimal" => ReadType::plain("decimal"),
        "uuid" | "guid" | "uuid v4" | "uuidv4" => ReadType::plain("uuid"),
        "date" | "localdate" | "date only" => ReadType::plain("date"),
        "datetime"
        | "timestamp"
        | "timestamptz"
        | "timestamp with time zone"
        | "timestamp without time zone"
        | "instant"
        | "zoneddatetime"
        | "localdatetime"
        | "datetimeoffset"
        | "iso 8601"
        | "iso8601"
        | "iso 8601 datetime"
        | "iso 8601 timestamp"
        | "date-time"
        | "date time" => ReadType::plain("datetime"),
        "time"
        | "timetz"
        | "time with time zone"
        | "time without time zone"
        | "localtime"
        | "time of day" => ReadType::plain("time"),
        "json" | "jsonb" | "object" | "map" | "dict" | "record" | "any" | "unknown" | "mapping"
        | "hashmap" | "jsonobject" | "interface{}" | "struct" => ReadType::plain("json"),
        // Go.
        "float64" | "float32" => ReadType::plain("f64"),
        "uint64" | "uint32" => ReadType::plain("i64"),
        "int16" | "uint" | "uint8" | "uint16" | "rune" => ReadType::plain("i32"),
        "time.time" => ReadType::plain("datetime"),
        "time.duration" => ReadType::plain("i64"),
        "uuid.uuid" => ReadType::plain("uuid"),
        // Binary data travels as base64 text.
        "blob" | "bytea" | "bytes" | "binary" | "varbinary" | "[]byte" | "buffer"
        | "uint8array" => ReadType::plain("string"),
        _ => return None,
    })
}

/// Refines a type with its annotation: `String (UUID)`, `TEXT (ISO 8601 datetime)`.
fn annotate(read: &mut ReadType, annotation: &str) {
    let ann = annotation.to_ascii_lowercase();
    let textual = matches!(
        read.canonical.to_ascii_lowercase().as_str(),
        "string" | "text" | "str" | "varchar"
    );
    if textual {
        if ann.contains("uuid") || ann.contains("guid") {
            read.canonical = "uuid".into();
        } else if ann.contains("yyyy-mm-dd") && !ann.contains("hh") || ann.trim() == "date" {
            read.canonical = "date".into();
        } else if ann.contains("iso 8601")
            || ann.contains("iso8601")
            || ann.contains("datetime")
            || ann.contains("timestamp")
            || ann.contains("date-time")
        {
            read.canonical = "datetime".into();
        } else if ann.contains("email") {
            read.constraints.push(format!("pattern {EMAIL_PATTERN}"));
        } else if ann.trim() == "url" || ann.trim() == "uri" {
            read.constraints.push(format!("pattern {URL_PATTERN}"));
        }
    }
    // `Number (Integer)`, `number (decimal)`.
    if matches!(read.canonical.as_str(), "f64" | "decimal") {
        if ann.contains("int") {
            read.canonical = if ann.contains("64") || ann.contains("big") {
                "i64"
            } else {
                "i32"
            }
            .into();
        } else if ann.contains("decimal") || ann.contains("money") || ann.contains("currency") {
            read.canonical = "decimal".into();
        }
    }
    for part in ann.split([',', ';']) {
        let part = part.trim();
        if matches!(part, "optional" | "nullable" | "null") {
            read.optional = true;
        } else if matches!(part, "pk" | "primary key") {
            read.constraints.push("primary key".into());
        } else if part == "unique" {
            read.constraints.push("unique".into());
        }
    }
}

fn split_variants(inner: &str) -> Vec<String> {
    inner
        .split([',', '|', '/'])
        .map(|v| {
            v.trim()
                .trim_matches(['`', '\'', '"', '.', ' '])
                .to_string()
        })
        .filter(|v| !v.is_empty())
        .collect()
}

/// `enum(a, b)` when every variant is a word the grammar accepts.
fn enum_text(variants: &[String]) -> Option<String> {
    let ok = !variants.is_empty()
        && variants.iter().all(|v| {
            !v.is_empty()
                && v.chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        });
    let mut unique: Vec<&String> = Vec::new();
    for v in variants {
        if !unique.contains(&v) {
            unique.push(v);
        }
    }
    ok.then(|| {
        format!(
            "enum({})",
            unique
                .iter()
                .map(|v| v.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}

/// Enum values written next to a bare `enum` type: `one of open, closed`,
/// `(open | closed)`, `values: a, b`. Needs two or more word-like values.
pub fn enum_values(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let start = ["one of", "values:", "values", "either", "enum:"]
        .iter()
        .find_map(|w| lower.find(w).map(|i| i + w.len()))
        .or_else(|| text.find('(').map(|i| i + 1))
        .unwrap_or(0);
    let rest = &text[start..];
    let rest = rest.split([')', '.', ';']).next().unwrap_or(rest);
    let variants: Vec<String> = rest
        .split([',', '|', '/'])
        .flat_map(|v| v.split(" or "))
        .map(|v| v.trim().trim_matches(['`', '\'', '"', ' ']).to_string())
        .filter(|v| !v.is_empty())
        .collect();
    let is_word = |v: &String| {
        v.chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
    };
    if variants.len() >= 2 && variants.iter().all(is_word) {
        return enum_text(&variants);
    }
    // Prose around quoted values: `Type of media: 'film' or 'series'`.
    let quoted = quoted_words(text);
    (quoted.len() >= 2 && quoted.iter().all(is_word))
        .then(|| enum_text(&quoted))
        .flatten()
}

/// The words of `text` in quotes or backticks (`'film'`, `"series"`, `` `draft` ``).
fn quoted_words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for quote in ['\'', '"', '`'] {
        let parts: Vec<&str> = text.split(quote).collect();
        // Text between the 1st and 2nd quote, the 3rd and 4th, ...
        out.extend(
            parts
                .iter()
                .skip(1)
                .step_by(2)
                .take(parts.len().saturating_sub(1) / 2)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty()),
        );
    }
    out
}

/// The result of reading one constraint phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadConstraint {
    /// Canonical constraints (`min 1`, `references User.id`); `note` when rewritten.
    Canonical {
        items: Vec<String>,
        note: Option<String>,
    },
    /// Understood and deliberately not carried into the model (`auto-generated`, `indexed`
    /// on a key), with what it means.
    Noted(String),
    /// Not understood: the caller warns.
    Unreadable,
}

/// Reads a constraint phrase written in any of the forms seen in specs.
/// `integer` tells whether the field holds whole numbers (`> 0` is then `min 1`).
pub fn read_constraint(text: &str, integer: bool) -> ReadConstraint {
    let text = text.trim().trim_matches('`').trim().trim_end_matches('.');
    let lower = text.to_ascii_lowercase();
    let lower = lower.trim();
    let canonical = |items: Vec<String>| ReadConstraint::Canonical { items, note: None };
    let rewritten = |items: Vec<String>| {
        let joined = items.join(", ");
        let note =
            (!joined.eq_ignore_ascii_case(text)).then(|| format!("read `{text}` as `{joined}`"));
        ReadConstraint::Canonical { items, note }
    };
    if lower.is_empty() || matches!(lower, "-" | "—" | "–" | "n/a" | "none") {
        return ReadConstraint::Canonical {
            items: Vec::new(),
            note: None,
        };
    }
    // Canonical words pass through unchanged.
    let (word, rest) = lower.split_once(char::is_whitespace).unwrap_or((lower, ""));
    match word {
        "unique" | "index" | "indexed" | "required" | "optional" | "nullable"
            if rest.is_empty() =>
        {
            return canonical(vec![lower.to_string()]);
        }
        "pattern" | "regex" | "matches" if !rest.is_empty() => {
            return canonical(vec![text.to_string()]);
        }
        "min" | "max" if rest.trim().parse::<f64>().is_ok() => {
            return canonical(vec![text.to_string()]);
        }
        _ => {}
    }
    match lower {
        "primary key" | "pk" | "primary" | "primary_key" | "@id" => {
            return canonical(vec!["primary key".into()]);
        }
        "not null" | "non-null" | "non null" | "mandatory" | "not nullable" | "notnull" => {
            return rewritten(vec!["required".into()]);
        }
        "null" | "nullable" | "optional" | "null allowed" => {
            return rewritten(vec!["optional".into()]);
        }
        "uq" | "unique key" | "@unique" | "unique constraint" => {
            return rewritten(vec!["unique".into()]);
        }
        "auto-generated"
        | "auto generated"
        | "autogenerated"
        | "generated"
        | "auto-increment"
        | "auto increment"
        | "autoincrement"
        | "auto_increment"
        | "identity"
        | "serial"
        | "generated always as identity"
        | "server-generated"
        | "system-generated" => {
            return ReadConstraint::Noted(format!(
                "`{text}`: the key is made when the item is created"
            ));
        }
        "email" | "valid email" | "email format" | "must be valid email" | "valid email format" => {
            return rewritten(vec![format!("pattern {EMAIL_PATTERN}")]);
        }
        "url" | "valid url" | "uri" | "url format" => {
            return rewritten(vec![format!("pattern {URL_PATTERN}")]);
        }
        "positive" | "positive integer" | "must be positive" => {
            return rewritten(vec![if integer {
                "min 1".into()
            } else {
                "min 0".into()
            }]);
        }
        "non-negative" | "nonnegative" | "non negative" | "not negative" => {
            return rewritten(vec!["min 0".into()]);
        }
        "fk" | "foreign key" => return ReadConstraint::Noted(format!("`{text}` names no target")),
        _ => {}
    }
    // `PK, FK` style keys arrive split already; `PK (a, b)` is a composite key.
    // Defaults: `default now()`, `Default: now()`, `DEFAULT CURRENT_TIMESTAMP`.
    if let Some(value) =
        strip_word(lower, "default").map(|v| v.trim_start_matches([':', '=']).trim())
    {
        let original = text[text.len() - value.len()..].trim();
        return read_default(original);
    }
    // Foreign keys: `FK → User`, `Foreign Key → User.id`, `references users(id)`, `FK to users.id`.
    for prefix in [
        "foreign key",
        "fk",
        "references",
        "reference",
        "refs",
        "ref",
        "→",
        "->",
        "belongs to",
    ] {
        if let Some(rest) = strip_word(lower, prefix) {
            let target = rest
                .trim_start_matches(['→', '-', '>', ':', ' '])
                .trim_start_matches("to ")
                .trim_start_matches("references ")
                .trim();
            if let Some(target) = read_reference(&text[text.len() - target.len()..]) {
                return rewritten(vec![format!("references {target}")]);
            }
        }
    }
    // Lengths and bounds.
    if let Some(items) = read_bounds(lower, integer) {
        return rewritten(items);
    }
    if let Some(check) = strip_word(lower, "check") {
        let inner = check.trim().trim_start_matches('(').trim_end_matches(')');
        // `CHECK (rating BETWEEN 1 AND 5)`, `CHECK (price > 0)`: drop the column name.
        let inner = inner
            .split_once(char::is_whitespace)
            .map_or(inner, |(_, r)| r);
        if let Some(items) = read_bounds(inner.trim(), integer) {
            return rewritten(items);
        }
    }
    ReadConstraint::Unreadable
}

fn read_default(value: &str) -> ReadConstraint {
    // `Default(All)`, `DEFAULT (now())`.
    let value = value.trim();
    let value = match value.strip_prefix('(').and_then(|v| v.strip_suffix(')')) {
        Some(inner) if inner.matches('(').count() == inner.matches(')').count() => inner,
        _ => value,
    };
    let bare = value
        .trim()
        .trim_matches('`')
        .trim()
        .trim_end_matches(',')
        .trim();
    let lower = bare.to_ascii_lowercase();
    let time_word = lower.trim_end_matches("()");
    let is_now = matches!(
        time_word,
        "now"
            | "current_timestamp"
            | "current_date"
            | "current_time"
            | "today"
            | "utcnow"
            | "datetime.utcnow"
            | "datetime.now"
            | "date.now"
            | "new date"
            | "localtimestamp"
            | "sysdate"
            | "getdate"
            | "func.now"
            | "timezone('utc', now())"
            | "current"
    ) || lower.starts_with("timezone(")
        || lower.starts_with("(now()");
    if is_now {
        return ReadConstraint::Canonical {
            items: vec!["default now".into()],
            note: (lower != "now").then(|| format!("read `default {bare}` as `default now`")),
        };
    }
    let generated = lower.ends_with("()")
        || lower.contains("uuid")
        || lower.contains("nextval")
        || lower.starts_with("auto")
        || lower.starts_with("random")
        || lower.starts_with("generated")
        || matches!(
            lower.as_str(),
            "cuid" | "serial" | "identity" | "increment" | "sequence"
        );
    if generated {
        return ReadConstraint::Noted(format!("`default {bare}`: made when the item is created"));
    }
    if matches!(lower.as_str(), "null" | "none" | "-" | "" | "n/a" | "—") {
        return ReadConstraint::Noted("`default null`: an optional field starts empty".into());
    }
    // SQL and Python spell booleans in capitals.
    if lower == "true" || lower == "false" {
        return ReadConstraint::Canonical {
            items: vec![format!("default {lower}")],
            note: (lower != bare).then(|| format!("read `default {bare}` as `default {lower}`")),
        };
    }
    let unquoted = bare
        .split("::")
        .next()
        .unwrap_or(bare)
        .trim_matches(['\'', '"']);
    ReadConstraint::Canonical {
        items: vec![format!("default {unquoted}")],
        note: (unquoted != bare).then(|| format!("read `default {bare}` as `default {unquoted}`")),
    }
}

/// `User`, `User.id`, `users(id)`, `users.id` → `User` / `User.id`.
pub fn read_reference(text: &str) -> Option<String> {
    let text = text.trim().trim_matches('`').trim();
    let (table, field) = if let Some((t, rest)) = text.split_once('(') {
        (t.trim(), rest.trim_end_matches(')').trim())
    } else if let Some((t, f)) = text.split_once('.') {
        (t.trim(), f.trim())
    } else {
        (text.split_whitespace().next().unwrap_or_default(), "")
    };
    let table = table.trim_matches(['`', '"', '\'']);
    if table.is_empty() || !table.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let entity = entity_name_from(table)?;
    let field = field.trim_matches(['`', '"', '\'']);
    if field.is_empty() {
        Some(entity)
    } else if field.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        Some(format!("{entity}.{field}"))
    } else {
        Some(entity)
    }
}

/// Bounds: `max 500 chars`, `1-500 chars`, `> 0`, `>= 0`, `between 1 and 5`, `≤ 100`.
fn read_bounds(lower: &str, integer: bool) -> Option<Vec<String>> {
    // Every bound has a number: prose skips the rewriting below.
    if !lower.contains(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let words: String = lower
        .replace("characters", "")
        .replace("chars", "")
        .replace("character", "")
        .replace("char", "")
        .replace("items", "")
        .replace("length", "")
        .replace("len", "")
        .replace("value", "")
        .replace("must be", "")
        .replace('≥', ">=")
        .replace('≤', "<=")
        .replace("..", "-")
        .replace('–', "-");
    let words = words.trim().trim_start_matches(':').trim();
    let number = |s: &str| -> Option<f64> {
        s.trim()
            .trim_start_matches(['(', ' '])
            .trim_end_matches(['.', ')'])
            .parse::<f64>()
            .ok()
    };
    let fmt = |n: f64| {
        if n.fract() == 0.0 {
            format!("{}", n as i64)
        } else {
            format!("{n}")
        }
    };
    for (prefix, min) in [
        ("at least", true),
        ("minimum", true),
        ("min", true),
        (">=", true),
        ("at most", false),
        ("maximum", false),
        ("max", false),
        ("up to", false),
        ("<=", false),
        ("maxlength", false),
        ("minlength", true),
    ] {
        if let Some(rest) = words.strip_prefix(prefix) {
            let n = number(rest.trim_start_matches([':', '=']).trim())?;
            return Some(vec![format!(
                "{} {}",
                if min { "min" } else { "max" },
                fmt(n)
            )]);
        }
    }
    for (prefix, min) in [(">", true), ("<", false)] {
        if let Some(rest) = words.strip_prefix(prefix) {
            let n = number(rest)?;
            let bound = match (integer, min) {
                (true, true) => n + 1.0,
                (true, false) => n - 1.0,
                // Exclusive bounds of decimals read as inclusive: noted by the caller.
                (false, _) => n,
            };
            return Some(vec![format!(
                "{} {}",
                if min { "min" } else { "max" },
                fmt(bound)
            )]);
        }
    }
    let range = words
        .strip_prefix("between")
        .or_else(|| words.strip_prefix("range"))
        .unwrap_or(words);
    let (a, b) = range
        .split_once(" and ")
        .or_else(|| range.split_once(" to "))
        .or_else(|| range.split_once('-'))?;
    let (a, b) = (number(a)?, number(b)?);
    Some(vec![format!("min {}", fmt(a)), format!("max {}", fmt(b))])
}

/// `text` without a leading `word` (case already lowered) followed by a space,
/// `:` or `→`.
fn strip_word<'t>(lower: &'t str, word: &str) -> Option<&'t str> {
    let rest = lower.strip_prefix(word)?;
    (rest.is_empty() || rest.starts_with([' ', ':', '→', '-', '(', '=']))
        .then_some(rest)
        .filter(|r| !r.trim().is_empty())
}

/// An entity name from a heading word or a table name: `doctors` → `Doctor`,
/// `order_items` → `OrderItem`, `UserProfile` stays. `None` when not a name.
pub fn entity_name_from(text: &str) -> Option<String> {
    let text = text.trim().trim_matches(['`', '"', '\'', '*']);
    if text.is_empty()
        || !text.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        || !text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ' ' || c == '-')
    {
        return None;
    }
    let is_pascal = text.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && text.chars().all(|c| c.is_ascii_alphanumeric());
    if is_pascal {
        return Some(text.to_string());
    }
    // A table or a phrase: singularise the last word, PascalCase the rest.
    let words: Vec<&str> = text
        .split(['_', ' ', '-'])
        .filter(|w| !w.is_empty())
        .collect();
    let mut out = String::new();
    for (i, word) in words.iter().enumerate() {
        let word = if i + 1 == words.len() && word.chars().all(|c| c.is_ascii_lowercase()) {
            singular(word)
        } else {
            (*word).to_string()
        };
        out.push_str(&case::pascal(&word));
    }
    (!out.is_empty()).then_some(out)
}

/// `text` with the accents of Latin letters taken off (`Avaliação` →
/// `Avaliacao`, `Straße` → `Strasse`); `None` when other letters remain.
pub fn fold_accents(text: &str) -> Option<String> {
    const FOLDS: &[(&str, &str)] = &[
        ("àáâãäåāăą", "a"),
        ("ÀÁÂÃÄÅĀĂĄ", "A"),
        ("çćĉċč", "c"),
        ("ÇĆĈĊČ", "C"),
        ("ďđ", "d"),
        ("ĎĐ", "D"),
        ("èéêëēĕėęě", "e"),
        ("ÈÉÊËĒĔĖĘĚ", "E"),
        ("ĝğġģ", "g"),
        ("ĜĞĠĢ", "G"),
        ("ìíîïĩīĭįı", "i"),
        ("ÌÍÎÏĨĪĬĮİ", "I"),
        ("ĺļľŀł", "l"),
        ("ĹĻĽĿŁ", "L"),
        ("ñńņňŉ", "n"),
        ("ÑŃŅŇ", "N"),
        ("òóôõöøōŏő", "o"),
        ("ÒÓÔÕÖØŌŎŐ", "O"),
        ("ŕŗř", "r"),
        ("ŔŖŘ", "R"),
        ("śŝşš", "s"),
        ("ŚŜŞŠ", "S"),
        ("ţťŧ", "t"),
        ("ŢŤŦ", "T"),
        ("ùúûüũūŭůűų", "u"),
        ("ÙÚÛÜŨŪŬŮŰŲ", "U"),
        ("ýÿŷ", "y"),
        ("ÝŸŶ", "Y"),
        ("źżž", "z"),
        ("ŹŻŽ", "Z"),
        ("ß", "ss"),
        ("æ", "ae"),
        ("Æ", "Ae"),
        ("œ", "oe"),
        ("Œ", "Oe"),
    ];
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let (_, plain) = FOLDS.iter().find(|(accented, _)| accented.contains(c))?;
            out.push_str(plain);
        }
    }
    Some(out)
}

/// `KeySlots` → `KeySlot`: a PascalCase name with its last word made singular.
pub fn singular_pascal(name: &str) -> String {
    let last = name
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_ascii_uppercase())
        .map_or(0, |(i, _)| i);
    let (head, word) = name.split_at(last);
    let lower = word.to_ascii_lowercase();
    let single = singular(&lower);
    if single == lower || lower.ends_with("us") || lower.ends_with("is") {
        return name.to_string();
    }
    format!("{head}{}", case::pascal(&single))
}

/// English singular of a lowercase table name (`categories` → `category`).
pub fn singular(word: &str) -> String {
    const SAME: &[&str] = &[
        "status", "news", "series", "species", "data", "address", "access", "class", "bus",
        "canvas",
    ];
    if SAME.contains(&word) || word.ends_with("ss") || word.len() <= 3 {
        return word.to_string();
    }
    if let Some(stem) = word.strip_suffix("ies") {
        return format!("{stem}y");
    }
    for suffix in ["ches", "shes", "xes", "sses", "zes"] {
        if word.ends_with(suffix) {
            return word[..word.len() - 2].to_string();
        }
    }
    if word == "people" {
        return "person".into();
    }
    word.strip_suffix('s').unwrap_or(word).to_string()
}

/// A type for a field known only by its name (`created_at` → datetime), as
/// `scaffold draft` and untyped field lists use it. `None`: no evidence.
pub fn type_from_name(name: &str) -> Option<&'static str> {
    let n = case::snake(name);
    Some(if n == "id" || n.ends_with("_id") || n == "uuid" {
        "uuid"
    } else if n.ends_with("_at") || n == "timestamp" || n.ends_with("_time") {
        "datetime"
    } else if n.ends_with("_on")
        || n == "date"
        || n.ends_with("_date")
        || n == "birthday"
        || n == "dob"
    {
        "date"
    } else if n.starts_with("is_")
        || n.starts_with("has_")
        || n.starts_with("can_")
        || n == "active"
        || n == "enabled"
    {
        "bool"
    } else if n == "email" || n.ends_with("_email") {
        "string"
    } else if [
        "price", "amount", "total", "cost", "balance", "subtotal", "fee", "tax",
    ]
    .iter()
    .any(|w| n == *w || n.ends_with(&format!("_{w}")) || n.starts_with(&format!("{w}_")))
    {
        "decimal"
    } else if n.ends_with("_count")
        || n == "count"
        || n == "quantity"
        || n == "qty"
        || n == "position"
        || n == "rank"
        || n == "age"
        || n.starts_with("num_")
        || n.starts_with("number_of")
    {
        "i32"
    } else {
        return None;
    })
}

/// Reads a relationship phrase into the canonical `has many X [via f]`,
/// `has one X`, `belongs to X`: `One-to-Many with LoanRequest`,
/// `Many-to-One → User`, `User (many-to-one)`, `Contains multiple SpecFile entities`.
/// `None` for many-to-many and for phrases without a kind or a target.
pub fn read_relationship(text: &str, owner: &str) -> Option<String> {
    // Same byte length as `text`, so offsets found in it index `text` too.
    let lower = text
        .to_ascii_lowercase()
        .replace(['_', '-'], " ")
        .replace(['–', '—'], "   ");
    const KINDS: &[(&str, &str)] = &[
        ("has many", "has many"),
        ("one to many", "has many"),
        ("1:n", "has many"),
        ("1:*", "has many"),
        ("1 to many", "has many"),
        ("contains multiple", "has many"),
        ("contains many", "has many"),
        ("has multiple", "has many"),
        ("has one", "has one"),
        ("one to one", "has one"),
        ("1:1", "has one"),
        ("belongs to", "belongs to"),
        ("many to one", "belongs to"),
        ("n:1", "belongs to"),
        ("*:1", "belongs to"),
        ("references", "belongs to"),
    ];
    if lower.contains("many to many") || lower.contains("n:m") || lower.contains("m:n") {
        return None;
    }
    let (at, kind) = KINDS
        .iter()
        .filter_map(|(w, k)| lower.find(w).map(|i| (i, *k)))
        .min_by_key(|(i, _)| *i)?;
    // Candidate names: capitalised words that are no relationship vocabulary.
    const STOP: &[&str] = &[
        "One",
        "Many",
        "Has",
        "Belongs",
        "To",
        "With",
        "Each",
        "A",
        "An",
        "The",
        "N",
        "Contains",
        "Multiple",
        "Via",
        "By",
        "Through",
        "Entity",
        "Entities",
        "Relationship",
        "Optional",
        "Required",
        "Zero",
        "Or",
        "More",
        "References",
        "Foreign",
        "Key",
        "FK",
        "Of",
        "Is",
        "And",
    ];
    let mut words: Vec<(usize, &str)> = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        let word_char = c.is_ascii_alphanumeric() || c == '_';
        match (word_char, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                words.push((s, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    // The entity the line is under names itself too (`Project belongs to User`).
    let capitalised = |w: &&str| {
        w.starts_with(|c: char| c.is_ascii_uppercase()) && !STOP.contains(w) && *w != owner
    };
    let after_kind = |(i, _): &&(usize, &str)| *i >= at;
    let named = words
        .iter()
        .filter(after_kind)
        .map(|(_, w)| *w)
        .find(|w| capitalised(w))
        .or_else(|| words.iter().map(|(_, w)| *w).find(|w| capitalised(w)))
        .map(str::to_string);
    // `Has many todos`: a table name right after the kind.
    let target = named.or_else(|| {
        words
            .iter()
            .filter(after_kind)
            .map(|(_, w)| *w)
            .find(|w| {
                ![
                    "many", "one", "to", "with", "has", "belongs", "multiple", "contains", "a",
                    "an", "the",
                ]
                .contains(&w.to_ascii_lowercase().as_str())
            })
            .and_then(entity_name_from)
            .filter(|t| t != owner)
    })?;
    let via = words
        .iter()
        .position(|(_, w)| w.eq_ignore_ascii_case("via") || w.eq_ignore_ascii_case("through"))
        .and_then(|i| words.get(i + 1))
        .map(|(_, w)| *w)
        // `(owner_id → users.id)`: the key before the arrow.
        .or_else(|| {
            let arrow = text.find('→').or_else(|| text.find("->"))?;
            words
                .iter()
                .rev()
                .find(|(i, w)| *i < arrow && (w.ends_with("_id") || w.ends_with("Id")))
                .map(|(_, w)| *w)
        });
    Some(match via {
        Some(via) => format!("{kind} {target} via {via}"),
        None => format!("{kind} {target}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spelled(text: &str) -> String {
        read_type(text).map_or_else(|| "-".into(), |r| r.spelled())
    }

    #[test]
    fn makes_the_last_word_of_a_table_name_singular() {
        assert_eq!(singular_pascal("Websites"), "Website");
        assert_eq!(singular_pascal("KeySlots"), "KeySlot");
        assert_eq!(singular_pascal("OrderCategories"), "OrderCategory");
        assert_eq!(singular_pascal("Status"), "Status");
        assert_eq!(singular_pascal("Analysis"), "Analysis");
        assert_eq!(singular_pascal("Account"), "Account");
    }

    #[test]
    fn reads_enum_values_from_prose() {
        assert_eq!(
            enum_values("Type of media: 'film' or 'series'").as_deref(),
            Some("enum(film, series)")
        );
        assert_eq!(
            enum_values("one of draft, sent").as_deref(),
            Some("enum(draft, sent)")
        );
        assert_eq!(enum_values("what the user calls it"), None);
        assert_eq!(enum_values("the user's name, as 'they' write it"), None);
    }

    #[test]
    fn folds_accents_of_latin_letters_only() {
        assert_eq!(
            fold_accents("Variação de Produto").as_deref(),
            Some("Variacao de Produto")
        );
        assert_eq!(fold_accents("Straße").as_deref(), Some("Strasse"));
        assert_eq!(fold_accents("注文"), None);
    }

    #[test]
    fn reads_wild_types() {
        for (input, expected) in [
            ("String (UUID)", "uuid"),
            ("TEXT (ISO 8601 datetime)", "datetime"),
            ("string (YYYY-MM-DD)", "date"),
            ("number", "f64"),
            ("string | null", "string?"),
            ("'draft' | 'sent' | 'paid'", "enum(draft, sent, paid)"),
            ("Enum (ONLINE, OFFLINE)", "enum(ONLINE, OFFLINE)"),
            ("timestamptz", "datetime"),
            ("timestamp with time zone", "datetime"),
            ("smallint", "i32"),
            ("bigserial", "i64"),
            ("varchar(255)", "string, max 255"),
            ("numeric(10,2)", "decimal"),
            ("jsonb", "json"),
            ("text[]", "text[]"),
            ("Array<Tag>", "list<Tag>"),
            ("time", "time"),
            ("DateTime", "DateTime"),
            ("Int", "Int"),
            ("Json", "Json"),
            ("Number", "f64"),
            ("UUID (session-based)", "UUID"),
            ("array<string>", "list<string>"),
            ("Optional[str]", "str?"),
            ("[Order]", "list<Order>"),
            ("byte[]", "string"),
            ("uuid PK", "uuid, primary key"),
            ("text NOT NULL", "text"),
            ("text NULL", "text?"),
            (
                "uuid FK → procedures.id ON DELETE CASCADE",
                "uuid, references Procedure.id",
            ),
            (
                "uuid PK FK → auth.users.id",
                "uuid, primary key, references User.id",
            ),
            (
                "integer NOT NULL DEFAULT 0 UNIQUE",
                "integer, unique, default 0",
            ),
            ("varchar(120) not null", "string, max 120"),
            ("timestamptz, nullable", "datetime?"),
            ("enum(a, b) DEFAULT 'b'", "enum(a, b), default 'b'"),
            ("varchar(20) NOT NULL UNIQUE", "string, max 20, unique"),
            ("string, unique, max 80", "string, unique, max 80"),
            ("string, whatever this means", "-"),
            ("Page<Order>", "list<Order>"),
            ("list of Orders", "list<Orders>"),
            ("list Order", "list<Order>"),
            ("array of strings", "list<string>"),
            ("list of UUIDs", "list<uuid>"),
            ("array of string", "list<string>"),
            ("list<OrderLine>", "list<OrderLine>"),
            ("Order", "Order"),
            ("a sentence of prose", "-"),
        ] {
            assert_eq!(spelled(input), expected, "{input}");
        }
    }

    #[test]
    fn reads_wild_constraints() {
        let read = |text: &str, integer: bool| match read_constraint(text, integer) {
            ReadConstraint::Canonical { items, .. } => items.join(", "),
            ReadConstraint::Noted(_) => "noted".into(),
            ReadConstraint::Unreadable => "-".into(),
        };
        for (input, integer, expected) in [
            ("FK → User", false, "references User"),
            ("Foreign Key → User.id", false, "references User.id"),
            ("references users(id)", false, "references User.id"),
            ("PK", false, "primary key"),
            ("auto-generated", false, "noted"),
            ("default now()", false, "default now"),
            ("Default: now()", false, "default now"),
            ("default `gen_random_uuid()`", false, "noted"),
            ("Max 500 chars", false, "max 500"),
            ("1-500 chars", false, "min 1, max 500"),
            ("> 0", true, "min 1"),
            (">= 0", true, "min 0"),
            ("between 1 and 5", true, "min 1, max 5"),
            ("CHECK (rating BETWEEN 1 AND 5)", true, "min 1, max 5"),
            ("unique", false, "unique"),
            ("indexed", false, "indexed"),
            ("default 'draft'", false, "default draft"),
            ("must be lovely", false, "-"),
        ] {
            assert_eq!(read(input, integer), expected, "{input}");
        }
    }

    #[test]
    fn reads_wild_relationships() {
        for (input, expected) in [
            (
                "has many OrderLine via order_id",
                Some("has many OrderLine via order_id"),
            ),
            ("One-to-Many with LoanRequest", Some("has many LoanRequest")),
            ("Many-to-One → User", Some("belongs to User")),
            (
                "User (many-to-one): each loan has one user",
                Some("belongs to User"),
            ),
            (
                "Contains multiple SpecFile entities",
                Some("has many SpecFile"),
            ),
            ("Belongs to FeatureSpec", Some("belongs to FeatureSpec")),
            ("Many-to-many with Tag", None),
            (
                "Many-to-One: X belongs to User (owner_id → users.id)",
                Some("belongs to User via owner_id"),
            ),
            ("Has many todos", Some("has many Todo")),
            ("some prose", None),
        ] {
            assert_eq!(
                read_relationship(input, "X").as_deref(),
                expected,
                "{input}"
            );
        }
    }

    #[test]
    fn names_entities_from_tables() {
        assert_eq!(entity_name_from("doctors").as_deref(), Some("Doctor"));
        assert_eq!(
            entity_name_from("order_items").as_deref(),
            Some("OrderItem")
        );
        assert_eq!(entity_name_from("categories").as_deref(), Some("Category"));
        assert_eq!(
            entity_name_from("UserProfile").as_deref(),
            Some("UserProfile")
        );
        assert_eq!(
            entity_name_from("Shopping Cart").as_deref(),
            Some("ShoppingCart")
        );
        assert_eq!(entity_name_from("注文"), None);
    }
}
