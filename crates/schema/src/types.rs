//! Column types: the portable spec types in PostgreSQL, and the spellings
//! people write in `[database.types]` brought to the one `format_type` prints.

use scaffold_parser::Type;

/// The column type of a spec type, as `format_type` prints it. Enums are
/// `text` here (the caller decides about enum types); embedded entities and
/// lists are `jsonb`, as the generated code serialises them.
pub fn column_type(ty: &Type) -> &'static str {
    match ty {
        Type::String | Type::Text | Type::Enum(_) => "text",
        Type::Bool => "boolean",
        Type::I32 => "integer",
        Type::I64 => "bigint",
        Type::F64 => "double precision",
        Type::Decimal => "numeric",
        Type::Uuid => "uuid",
        Type::Date => "date",
        Type::DateTime => "timestamp with time zone",
        Type::Time => "time without time zone",
        Type::Json | Type::Entity(_) | Type::List(_) => "jsonb",
    }
}

/// `int4` -> `integer`, `varchar(64)` -> `character varying(64)`,
/// `timestamptz` -> `timestamp with time zone`, `text[]` as it is: the
/// spelling of `format_type`, lowercase, so a mapped type and the catalog
/// compare as text. Unknown names (enum types, domains) are kept, lowercased
/// unless quoted.
pub fn normalize(ty: &str) -> String {
    let ty = ty.trim();
    if let Some(element) = ty.strip_suffix("[]") {
        return format!("{}[]", normalize(element));
    }
    if ty.starts_with('"') {
        return ty.to_string();
    }
    let lower = ty.to_ascii_lowercase();
    let lower = lower.split_whitespace().collect::<Vec<_>>().join(" ");
    let (base, args) = match lower.find('(') {
        Some(open) => (lower[..open].trim(), Some(lower[open..].replace(' ', ""))),
        None => (lower.as_str(), None),
    };
    let name = match base {
        "int" | "int4" | "integer" | "serial" | "serial4" => "integer",
        "int8" | "bigint" | "bigserial" | "serial8" => "bigint",
        "int2" | "smallint" | "smallserial" | "serial2" => "smallint",
        "float8" | "double precision" | "float" => "double precision",
        "float4" | "real" => "real",
        "bool" | "boolean" => "boolean",
        "decimal" | "numeric" => "numeric",
        "varchar" | "character varying" => "character varying",
        "char" | "character" | "bpchar" => "character",
        "timestamptz" | "timestamp with time zone" => "timestamp with time zone",
        "timestamp" | "timestamp without time zone" => "timestamp without time zone",
        "timetz" | "time with time zone" => "time with time zone",
        "time" | "time without time zone" => "time without time zone",
        other => other,
    };
    // `timestamp(3) with time zone`: format_type puts the precision after `timestamp`.
    match (name, args) {
        (_, None) => name.to_string(),
        (name, Some(args)) => match name.split_once(' ') {
            Some((first, rest)) if first == "timestamp" || first == "time" => {
                format!("{first}{args} {rest}")
            }
            _ => format!("{name}{args}"),
        },
    }
}

/// The type without a schema qualification (`"app".order_status` -> `order_status`).
pub fn unqualified(ty: &str) -> &str {
    if ty.ends_with("[]") {
        return ty;
    }
    match ty.rsplit_once('.') {
        Some((_, name)) if !ty.contains('(') => name,
        _ => ty,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_normalise_to_format_type() {
        for (written, canonical) in [
            ("int4", "integer"),
            ("INT", "integer"),
            ("varchar(64)", "character varying(64)"),
            ("VARCHAR (64)", "character varying(64)"),
            ("numeric(10, 2)", "numeric(10,2)"),
            ("timestamptz", "timestamp with time zone"),
            ("timestamp", "timestamp without time zone"),
            ("timestamptz(3)", "timestamp(3) with time zone"),
            ("text[]", "text[]"),
            ("int[]", "integer[]"),
            ("Order_Status", "order_status"),
            ("\"Order\"", "\"Order\""),
        ] {
            assert_eq!(normalize(written), canonical, "{written}");
        }
        assert_eq!(unqualified("app.order_status"), "order_status");
        assert_eq!(unqualified("numeric(10,2)"), "numeric(10,2)");
    }
}
