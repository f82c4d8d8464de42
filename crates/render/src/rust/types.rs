//! Rust types, sample values and literals for the portable type vocabulary.

use scaffold_parser::{Field, Type};

use super::{names, pattern};

/// The Rust type of a spec type; `enum_name` names the enum an `enum(...)` becomes.
pub fn rust_type(ty: &Type, enum_name: &str) -> String {
    match ty {
        Type::String | Type::Text => "String".into(),
        Type::Bool => "bool".into(),
        Type::I32 => "i32".into(),
        Type::I64 => "i64".into(),
        Type::F64 => "f64".into(),
        Type::Decimal => "rust_decimal::Decimal".into(),
        Type::Uuid => "uuid::Uuid".into(),
        Type::Date => "chrono::NaiveDate".into(),
        Type::Time => "chrono::NaiveTime".into(),
        Type::DateTime => "chrono::DateTime<chrono::Utc>".into(),
        Type::Json => "serde_json::Value".into(),
        Type::Enum(_) => enum_name.into(),
        Type::Entity(name) => names::type_name(name),
        Type::List(inner) => format!("Vec<{}>", rust_type(inner, enum_name)),
    }
}

/// A Rust string literal.
pub fn lit(text: &str) -> String {
    format!("{text:?}")
}

/// A number literal of the field's type.
pub fn number(ty: &Type, value: f64) -> String {
    match ty {
        Type::F64 => format!("{value:?}_f64"),
        Type::Decimal => {
            let text = format!("{value}");
            let scale = text.split_once('.').map_or(0, |(_, frac)| frac.len());
            let digits: String = text.chars().filter(|c| *c != '.').collect();
            let mantissa: i128 = digits.parse().unwrap_or(0);
            format!("rust_decimal::Decimal::new({mantissa}, {scale})")
        }
        _ => format!("{}", value as i64),
    }
}

/// A value inside the field's bounds, as close to `preferred` as allowed.
pub fn clamp(field: &Field, preferred: f64) -> f64 {
    let mut value = preferred;
    if let Some(min) = field.min {
        value = value.max(min);
    }
    if let Some(max) = field.max {
        value = value.min(max);
    }
    value
}

/// An expression building a valid value of the field (inner type when optional).
pub fn sample(field: &Field, enum_name: &str) -> Result<String, String> {
    sample_of(&field.ty, field, enum_name)
}

fn sample_of(ty: &Type, field: &Field, enum_name: &str) -> Result<String, String> {
    Ok(match ty {
        Type::String | Type::Text => {
            let min = field.min.unwrap_or(0.0) as usize;
            let max = field.max.map_or(usize::MAX, |m| m as usize);
            match &field.pattern {
                Some(p) => {
                    let text = pattern::matching(p, min, max).ok_or_else(|| {
                        format!(
                            "cannot find a value of `{}` matching `{p}` within its length bounds",
                            field.name
                        )
                    })?;
                    format!("{}.to_string()", lit(&text))
                }
                None => format!(
                    "{}.to_string()",
                    lit(&"a".repeat(clamp(field, 6.0) as usize))
                ),
            }
        }
        Type::Bool => "false".into(),
        Type::I32 | Type::I64 | Type::F64 | Type::Decimal => number(ty, clamp(field, 1.0)),
        Type::Uuid => "uuid::Uuid::new_v4()".into(),
        Type::Date => "chrono::Utc::now().date_naive()".into(),
        Type::DateTime => "chrono::Utc::now()".into(),
        Type::Time => "chrono::NaiveTime::MIN".into(),
        Type::Json => "serde_json::Value::Null".into(),
        Type::Enum(_) => format!("{enum_name}::default()"),
        Type::Entity(name) => format!("{}_sample()", names::plain(name)),
        Type::List(inner) => {
            let count = field.min.unwrap_or(0.0) as usize;
            if count == 0 {
                "Vec::new()".into()
            } else {
                // Bounds apply to the list, not to its items.
                let item_field = Field {
                    min: None,
                    max: None,
                    pattern: None,
                    ..field.clone()
                };
                format!(
                    "vec![{}; {count}]",
                    sample_of(inner, &item_field, enum_name)?
                )
            }
        }
    })
}

/// The smallest valid value, for required fields a create operation does not receive.
pub fn zero(field: &Field, enum_name: &str) -> String {
    match &field.ty {
        Type::String | Type::Text => match field.min {
            Some(min) if min > 0.0 => format!("{}.to_string()", lit(&"a".repeat(min as usize))),
            _ => "String::new()".into(),
        },
        Type::Bool => "false".into(),
        ty @ (Type::I32 | Type::I64 | Type::F64 | Type::Decimal) => number(ty, clamp(field, 0.0)),
        Type::Uuid => "uuid::Uuid::nil()".into(),
        Type::Date => "chrono::Utc::now().date_naive()".into(),
        Type::DateTime => "chrono::Utc::now()".into(),
        Type::Time => "chrono::NaiveTime::MIN".into(),
        Type::Json => "serde_json::Value::Null".into(),
        Type::Enum(_) => format!("{enum_name}::default()"),
        Type::Entity(name) => format!("{}::default()", names::type_name(name)),
        Type::List(_) => "Vec::new()".into(),
    }
}

/// The value of a `default X` constraint, if the field has one.
pub fn default_value(field: &Field, enum_name: &str) -> Option<String> {
    let value = field.default.as_ref()?;
    Some(match &field.ty {
        Type::Enum(_) => format!("{enum_name}::{}", names::variant(value)),
        Type::String | Type::Text => format!("{}.to_string()", lit(value)),
        Type::Date if value.eq_ignore_ascii_case("now") => "chrono::Utc::now().date_naive()".into(),
        Type::DateTime if value.eq_ignore_ascii_case("now") => "chrono::Utc::now()".into(),
        Type::Time if value.eq_ignore_ascii_case("now") => "chrono::Utc::now().time()".into(),
        ty @ (Type::I32 | Type::I64 | Type::F64 | Type::Decimal) => number(ty, value.parse().ok()?),
        Type::Bool => value.clone(),
        _ => return None,
    })
}
