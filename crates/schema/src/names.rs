//! Names in the database: the default table and column names, quoting and literals.
//!
//! The generated repositories and the schema request must agree on every name,
//! so both take them from here.

use std::borrow::Cow;

use scaffold_parser::case;

/// PostgreSQL truncates identifiers to 63 bytes (NAMEDATALEN - 1); names we
/// choose are truncated the same way so the catalog shows what we print.
pub const MAX_IDENTIFIER: usize = 63;

/// `OrderLine` -> `order_lines`: snake_case, last word in the plural.
pub fn default_table(entity: &str) -> String {
    plural(&case::snake(entity))
}

/// `totalCents` -> `total_cents`.
pub fn default_column(field: &str) -> String {
    case::snake(field)
}

/// A plural for table names; unlike route names, a word already ending in
/// `s` (`dimensions`, `news`) is taken as plural, except the endings that
/// take `es` (`status`, `address`, `bus`).
pub fn plural(word: &str) -> String {
    if word.ends_with("ss")
        || word.ends_with("us")
        || word.ends_with('x')
        || word.ends_with('z')
        || word.ends_with("ch")
        || word.ends_with("sh")
    {
        format!("{word}es")
    } else if let Some(stem) = word.strip_suffix("is") {
        format!("{stem}es")
    } else if word.ends_with('s') {
        word.to_string()
    } else {
        case::plural(word)
    }
}

/// The name as SQL spells it: bare when it is a lowercase word PostgreSQL
/// does not reserve, double-quoted otherwise.
pub fn ident(name: &str) -> Cow<'_, str> {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && RESERVED.binary_search(&name).is_err();
    if plain {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(format!("\"{}\"", name.replace('"', "\"\"")))
    }
}

/// A string literal (`'it''s'`); standard_conforming_strings keeps backslashes as written.
pub fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// A constraint or index name: `<table>_<column>_<suffix>` as PostgreSQL
/// would choose it, cut to [`MAX_IDENTIFIER`] bytes.
pub fn object_name(parts: &[&str]) -> String {
    let mut name = parts.join("_");
    if name.len() > MAX_IDENTIFIER {
        let mut end = MAX_IDENTIFIER;
        while !name.is_char_boundary(end) {
            end -= 1;
        }
        name.truncate(end);
    }
    name
}

/// PostgreSQL's reserved key words and those that cannot name a column or
/// table unquoted (appendix C of its manual: "reserved" and "reserved (can be
/// function or type)"), sorted for the binary search.
const RESERVED: &[&str] = &[
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "binary",
    "both",
    "case",
    "cast",
    "check",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "false",
    "fetch",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "group",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "intersect",
    "into",
    "is",
    "isnull",
    "join",
    "lateral",
    "leading",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "natural",
    "not",
    "notnull",
    "null",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "outer",
    "overlaps",
    "placing",
    "primary",
    "references",
    "returning",
    "right",
    "select",
    "session_user",
    "similar",
    "some",
    "symmetric",
    "system_user",
    "table",
    "tablesample",
    "then",
    "to",
    "trailing",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_words_are_sorted() {
        assert!(RESERVED.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn names_default_and_quote() {
        let cases = [
            ("Order", "orders"),
            ("OrderLine", "order_lines"),
            ("Category", "categories"),
            ("Dimensions", "dimensions"),
            ("Status", "statuses"),
            ("Address", "addresses"),
            ("Analysis", "analyses"),
            ("Box", "boxes"),
            ("Match", "matches"),
        ];
        for (entity, table) in cases {
            assert_eq!(default_table(entity), table, "{entity}");
        }
        assert_eq!(default_column("totalCents"), "total_cents");
        assert_eq!(ident("orders"), "orders");
        assert_eq!(ident("order"), "\"order\"");
        assert_eq!(ident("Order"), "\"Order\"");
        assert_eq!(literal("it's"), "'it''s'");
        assert_eq!(object_name(&[&"a".repeat(60), "b_id", "fkey"]).len(), 63);
    }
}
