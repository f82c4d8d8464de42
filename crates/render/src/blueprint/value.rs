//! Typed values of the blueprint: samples, bounds, defaults and test data, never code.
//!
//! A dialect spells each one as a literal of its language (`Value::Today` is
//! `chrono::Utc::now().date_naive()` in Rust, `date.today()` in Python).

use serde::Serialize;

use super::TypeName;

/// A value the generated code builds: what it is, not how a language writes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Value {
    /// An owned string (`"abc".to_string()` in Rust, `"abc"` in Python).
    Text {
        text: String,
    },
    /// A borrowed string literal, as sent in a query string (`"abc"` everywhere).
    Str {
        text: String,
    },
    /// `text` repeated `count` times (a string one character too long, say).
    Repeat {
        text: String,
        count: usize,
    },
    /// The empty string of a text type (`String::new()`, `""`).
    EmptyText,
    Bool {
        value: bool,
    },
    Int {
        value: i64,
    },
    Float {
        value: f64,
    },
    /// `mantissa * 10^-scale`, exact.
    Decimal {
        mantissa: i128,
        scale: u32,
    },
    /// A fresh random UUID.
    NewUuid,
    /// The all-zero UUID.
    NilUuid,
    /// Today's date.
    Today,
    /// The current instant (date and time, UTC).
    Now,
    /// The current time of day.
    NowTime,
    /// Midnight, the smallest time of day.
    Midnight,
    /// JSON `null`.
    JsonNull,
    /// One variant of an enum, by its spec name.
    Variant {
        ty: TypeName,
        variant: String,
    },
    /// The default variant of an enum (its `default`, else its first).
    DefaultVariant {
        ty: TypeName,
    },
    /// A valid sample of a struct (the tests' sample builder).
    Sample {
        ty: TypeName,
    },
    /// The smallest valid value of an embedded entity: its fields' own, by
    /// spec name (`None` for optional ones).
    ZeroStruct {
        ty: TypeName,
        fields: Vec<(String, Value)>,
    },
    /// The empty list.
    EmptyList,
    /// `count` copies of `item`.
    ListOf {
        item: Box<Value>,
        count: usize,
    },
    /// An absent optional value.
    None,
    /// A present optional value (Rust wraps it in `Some`, Python does not).
    Some {
        value: Box<Value>,
    },
    /// The zero value of whatever type is expected (`Default::default()`).
    Default,
    /// The value of a field of the item a test seeded (`seeded.id`).
    Seeded {
        field: String,
    },
    /// A key that no stored item has, of the given key type.
    UnknownKey {
        key: KeyType,
    },
}

/// How an entity's primary key is made and compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyType {
    /// A UUID, made fresh for each item.
    Uuid,
    /// A string, made from a fresh UUID (cloned, not copied, in Rust).
    Text,
    /// An integer, one more than the largest stored key.
    Int,
}

impl Value {
    /// Whether the value is an object or a list of them: JSON text in a query
    /// string (`json_in_query`).
    pub fn holds_object(&self) -> bool {
        match self {
            Value::ZeroStruct { .. } | Value::Sample { .. } => true,
            Value::ListOf { item, .. } | Value::Some { value: item } => item.holds_object(),
            _ => false,
        }
    }

    pub fn text(text: impl Into<String>) -> Self {
        Value::Text { text: text.into() }
    }

    /// Wraps a value of an optional field (a no-op for `None`).
    pub fn some(self) -> Self {
        match self {
            Value::None => Value::None,
            other => Value::Some {
                value: Box::new(other),
            },
        }
    }

    /// Whether the value names a struct's sample (tests then need the sample builders).
    pub fn uses_samples(&self) -> bool {
        match self {
            Value::Sample { .. } => true,
            Value::Some { value } | Value::ListOf { item: value, .. } => value.uses_samples(),
            _ => false,
        }
    }

    /// Whether the value reads the item a test seeded.
    pub fn reads_seed(&self) -> bool {
        matches!(self, Value::Seeded { .. })
    }
}

impl KeyType {
    /// Whether values of the key are copied rather than cloned, in languages that care.
    pub fn is_copy(self) -> bool {
        self != KeyType::Text
    }
}
