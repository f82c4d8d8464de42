//! The type expression grammar: `string`, `enum(a, b)`, `list<OrderLine>`, `uuid?`, `Sku[]`.

use crate::model::Type;

/// A type expression that failed to parse, with the byte range in the expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeError {
    pub start: usize,
    pub end: usize,
    pub message: String,
    pub hint: String,
}

/// The portable names and their aliases, as documented in docs/spec-format.md.
pub const PRIMITIVES: &[(&str, Type)] = &[
    ("string", Type::String),
    ("str", Type::String),
    ("varchar", Type::String),
    ("text", Type::Text),
    ("bool", Type::Bool),
    ("boolean", Type::Bool),
    ("i32", Type::I32),
    ("int", Type::I32),
    ("integer", Type::I32),
    ("i64", Type::I64),
    ("bigint", Type::I64),
    ("long", Type::I64),
    ("f64", Type::F64),
    ("float", Type::F64),
    ("double", Type::F64),
    ("decimal", Type::Decimal),
    ("money", Type::Decimal),
    ("uuid", Type::Uuid),
    ("date", Type::Date),
    ("datetime", Type::DateTime),
    ("timestamp", Type::DateTime),
    ("time", Type::Time),
    ("json", Type::Json),
];

/// Parses a type; the `bool` is true when the type is marked optional with `?`.
///
/// Names that are no primitive become `Type::Entity`; the caller checks they exist.
pub fn parse_type(text: &str) -> Result<(Type, bool), TypeError> {
    parse_type_in(text, &|_| false)
}

/// [`parse_type`] knowing the domain's entities: a name spelled exactly as
/// an entity is that entity, even where a type name matches it
/// case-insensitively (`Json`, `Decimal`, `String` entities), because type
/// names are case-insensitive and entity names are not.
pub fn parse_type_in(
    text: &str,
    is_entity: &dyn Fn(&str) -> bool,
) -> Result<(Type, bool), TypeError> {
    let trimmed = text.trim_end();
    let (body, optional) = match trimmed.strip_suffix('?') {
        Some(body) => (body, true),
        None => (trimmed, false),
    };
    let ty = parse_inner(body, 0, is_entity)?;
    Ok((ty, optional))
}

fn parse_inner(
    text: &str,
    base: usize,
    is_entity: &dyn Fn(&str) -> bool,
) -> Result<Type, TypeError> {
    let lead = text.len() - text.trim_start().len();
    let text_trimmed = text.trim();
    let base = base + lead;
    let err = |start: usize, end: usize, message: String, hint: &str| TypeError {
        start: base + start,
        end: base + end,
        message,
        hint: hint.to_string(),
    };
    if text_trimmed.is_empty() {
        return Err(err(
            0,
            0,
            "missing type".into(),
            "write a type such as `string`, `uuid` or `list<Entity>`",
        ));
    }
    if let Some(inner) = text_trimmed.strip_suffix("[]") {
        return Ok(Type::List(Box::new(parse_inner(inner, base, is_entity)?)));
    }
    let lower = text_trimmed.to_ascii_lowercase();
    for (open, close, what) in [
        ("list<", '>', "list"),
        ("vec<", '>', "list"),
        ("enum(", ')', "enum"),
    ] {
        if lower.starts_with(open) {
            let Some(inner) = text_trimmed[open.len()..].strip_suffix(close) else {
                return Err(err(
                    0,
                    text_trimmed.len(),
                    format!("unclosed `{}`", &open[open.len() - 1..]),
                    &format!("close it with `{close}`"),
                ));
            };
            if what == "list" {
                return Ok(Type::List(Box::new(parse_inner(
                    inner,
                    base + open.len(),
                    is_entity,
                )?)));
            }
            let mut variants = Vec::new();
            let mut offset = open.len();
            for part in inner.split(',') {
                let name = part.trim().trim_matches('`');
                let at = offset + (part.len() - part.trim_start().len());
                if name.is_empty()
                    || !name
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
                {
                    return Err(err(
                        at,
                        at + part.trim().len(),
                        format!("`{name}` is not a valid enum variant"),
                        "variants are words separated by commas: `enum(pending, paid)`",
                    ));
                }
                if variants.iter().any(|v| v == name) {
                    return Err(err(
                        at,
                        at + part.trim().len(),
                        format!("variant `{name}` is listed twice"),
                        "remove one",
                    ));
                }
                variants.push(name.to_string());
                offset += part.len() + 1;
            }
            return Ok(Type::Enum(variants));
        }
    }
    if is_entity(text_trimmed) && !PRIMITIVES.iter().any(|(name, _)| *name == text_trimmed) {
        return Ok(Type::Entity(text_trimmed.to_string()));
    }
    if let Some((_, ty)) = PRIMITIVES.iter().find(|(name, _)| *name == lower) {
        return Ok(ty.clone());
    }
    let is_name = text_trimmed
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && text_trimmed
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !is_name {
        return Err(err(
            0,
            text_trimmed.len(),
            format!("`{text_trimmed}` is not a type"),
            "use a portable type (string, text, bool, i32, i64, f64, decimal, uuid, date, datetime, json), `enum(a, b)`, `list<T>` or an entity name",
        ));
    }
    Ok(Type::Entity(text_trimmed.to_string()))
}

/// The closest primitive name, for "did you mean" hints.
pub fn closest_primitive(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    PRIMITIVES
        .iter()
        .map(|(candidate, _)| (*candidate, edit_distance(&lower, candidate)))
        // Short words are close to everything (`BLOB` is not `bool`): one edit
        // for names of up to five letters, two beyond.
        .filter(|(_, d)| *d <= if lower.len() <= 5 { 1 } else { 2 })
        .min_by_key(|(_, d)| *d)
        .map(|(c, _)| c)
}

pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let next = (row[j + 1] + 1).min(row[j] + 1).min(prev + cost);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_vocabulary() {
        let ok = |text: &str| parse_type(text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
        assert_eq!(ok("string"), (Type::String, false));
        assert_eq!(ok("UUID?"), (Type::Uuid, true));
        assert_eq!(
            ok("list<OrderLine>"),
            (
                Type::List(Box::new(Type::Entity("OrderLine".into()))),
                false
            )
        );
        assert_eq!(ok("i64[]"), (Type::List(Box::new(Type::I64)), false));
        assert_eq!(
            ok("enum(pending, paid)"),
            (Type::Enum(vec!["pending".into(), "paid".into()]), false)
        );
        let e = parse_type("list<string").unwrap_err();
        assert_eq!((e.start, e.end), (0, 11));
        let e = parse_type("enum(a, b c)").unwrap_err();
        assert_eq!(e.message, "`b c` is not a valid enum variant");
        assert_eq!(closest_primitive("strng"), Some("string"));
    }
}
