//! Valid, smallest and default values of a field, as typed [`Value`]s.

use scaffold_parser::{Domain, Field, Type};

use super::{TypeName, Value};

/// A number of the field's type (`Decimal` exact from its shortest decimal text).
pub fn number(ty: &Type, value: f64) -> Value {
    match ty {
        Type::F64 => Value::Float { value },
        Type::Decimal => {
            let text = format!("{value}");
            let scale = text.split_once('.').map_or(0, |(_, frac)| frac.len());
            let digits: String = text.chars().filter(|c| *c != '.').collect();
            Value::Decimal {
                mantissa: digits.parse().unwrap_or(0),
                scale: scale as u32,
            }
        }
        _ => Value::Int {
            value: value as i64,
        },
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

/// A valid value of the field (of its inner type when optional).
pub fn sample(field: &Field, enum_name: &TypeName) -> Result<Value, String> {
    sample_of(&field.ty, field, enum_name)
}

fn sample_of(ty: &Type, field: &Field, enum_name: &TypeName) -> Result<Value, String> {
    Ok(match ty {
        Type::String | Type::Text => {
            let min = field.min.unwrap_or(0.0) as usize;
            let max = field.max.map_or(usize::MAX, |m| m as usize);
            match &field.pattern {
                Some(p) => Value::text(crate::pattern::matching(p, min, max).ok_or_else(|| {
                    format!(
                        "cannot find a value of `{}` matching `{p}` within its length bounds",
                        field.name
                    )
                })?),
                None => Value::text("a".repeat(clamp(field, 6.0) as usize)),
            }
        }
        Type::Bool => Value::Bool { value: false },
        Type::I32 | Type::I64 | Type::F64 | Type::Decimal => number(ty, clamp(field, 1.0)),
        Type::Uuid => Value::NewUuid,
        Type::Date => Value::Today,
        Type::DateTime => Value::Now,
        Type::Time => Value::Midnight,
        Type::Json => Value::JsonNull,
        Type::Enum(_) => Value::DefaultVariant {
            ty: enum_name.clone(),
        },
        Type::Entity(name) => Value::Sample {
            ty: TypeName::Entity { name: name.clone() },
        },
        Type::List(inner) => {
            let mut count = field.min.unwrap_or(0.0) as usize;
            // Children given with their parent (an order's lines): one, as a client
            // sends them, unless the list may not have any or is of its own owner.
            if let (Type::Entity(child), TypeName::Enum { owner, .. }) = (&**inner, enum_name) {
                if child != owner && field.max.is_none_or(|max| max >= 1.0) {
                    count = count.max(1);
                }
            }
            if count == 0 {
                Value::EmptyList
            } else {
                // Bounds apply to the list, not to its items.
                let item_field = Field {
                    min: None,
                    max: None,
                    pattern: None,
                    ..field.clone()
                };
                Value::ListOf {
                    item: Box::new(sample_of(inner, &item_field, enum_name)?),
                    count,
                }
            }
        }
    })
}

/// The smallest valid value, for required fields a create operation does not
/// receive (an embedded entity's: each of its fields' smallest valid value).
pub fn zero(field: &Field, enum_name: &TypeName, domain: &Domain) -> Value {
    match &field.ty {
        // A `pattern` decides what is valid: its sample, which matches it.
        Type::String | Type::Text if field.pattern.is_some() => {
            sample(field, enum_name).unwrap_or(Value::EmptyText)
        }
        Type::String | Type::Text => match field.min {
            Some(min) if min > 0.0 => Value::text("a".repeat(min as usize)),
            _ => Value::EmptyText,
        },
        Type::Bool => Value::Bool { value: false },
        ty @ (Type::I32 | Type::I64 | Type::F64 | Type::Decimal) => number(ty, clamp(field, 0.0)),
        Type::Uuid => Value::NilUuid,
        Type::Date => Value::Today,
        Type::DateTime => Value::Now,
        Type::Time => Value::Midnight,
        Type::Json => Value::JsonNull,
        Type::Enum(_) => Value::DefaultVariant {
            ty: enum_name.clone(),
        },
        // Required embedding never cycles (the lint `embedding-cycle`), so this ends.
        Type::Entity(name) => Value::ZeroStruct {
            ty: TypeName::Entity { name: name.clone() },
            fields: domain
                .entity(name)
                .map(|inner| {
                    inner
                        .fields
                        .iter()
                        .map(|f| {
                            let value = if f.required {
                                let enum_name = TypeName::Enum {
                                    owner: inner.name.clone(),
                                    field: f.name.clone(),
                                };
                                zero(f, &enum_name, domain)
                            } else {
                                Value::None
                            };
                            (f.name.clone(), value)
                        })
                        .collect()
                })
                .unwrap_or_default(),
        },
        // At least `min` items: each the smallest value of the item type.
        Type::List(item) => match field.min.filter(|m| *m >= 1.0) {
            Some(min) => Value::ListOf {
                item: Box::new(zero(
                    &Field {
                        ty: (**item).clone(),
                        min: None,
                        max: None,
                        pattern: None,
                        ..field.clone()
                    },
                    enum_name,
                    domain,
                )),
                count: min as usize,
            },
            None => Value::EmptyList,
        },
    }
}

/// The value of a `default X` constraint, if the field has one.
pub fn default_value(field: &Field, enum_name: &TypeName) -> Option<Value> {
    let value = field.default.as_ref()?;
    Some(match &field.ty {
        Type::Enum(_) => Value::Variant {
            ty: enum_name.clone(),
            variant: value.clone(),
        },
        Type::String | Type::Text => Value::text(value.clone()),
        Type::Date if value.eq_ignore_ascii_case("now") => Value::Today,
        Type::DateTime if value.eq_ignore_ascii_case("now") => Value::Now,
        Type::Time if value.eq_ignore_ascii_case("now") => Value::NowTime,
        ty @ (Type::I32 | Type::I64 | Type::F64 | Type::Decimal) => number(ty, value.parse().ok()?),
        Type::Bool => Value::Bool {
            value: value == "true",
        },
        _ => return None,
    })
}
