//! The Rust dialect: identifiers, types and literals spelled with proc-macro2 tokens.
//!
//! Tokens make escaping correct by construction: a keyword becomes a raw
//! identifier (`r#type`), a string literal escapes what Rust needs escaped.

use proc_macro2::{Ident, Literal, Span};

use scaffold_parser::{Domain, case};

use super::names::{self, Scope};
use crate::RenderError;
use crate::blueprint::{Blueprint, KeyType, Problem, StructRole, Ty, TypeName, Value};
use crate::context::DomainContext;
use crate::dialect::Dialect;

/// Rust, for packs with `language = "rust"`; scoped to a domain
/// ([`Dialect::scoped`]) it spells the names [`Scope`] chose for it.
#[derive(Debug, Clone, Default)]
pub struct Rust {
    scope: Option<Box<Scope>>,
    /// The domain's entities held in a `Box` wherever a field holds one directly.
    recursive: Vec<String>,
}

/// The dialect before it knows a domain.
pub static RUST: Rust = Rust {
    scope: None,
    recursive: Vec::new(),
};

/// An identifier token's text: raw when a keyword needs it.
pub fn ident_token(name: &str, raw: bool) -> String {
    // ASCII identifiers only: proc-macro2 panics on what is not one, and other
    // names are left as written for the syntax check to report.
    let valid = name
        .chars()
        .next()
        .is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
        && name.chars().all(|c| c == '_' || c.is_ascii_alphanumeric());
    if !valid || names::FORBIDDEN.contains(&name) {
        return name.to_string();
    }
    let span = Span::call_site();
    if raw {
        Ident::new_raw(name, span).to_string()
    } else {
        Ident::new(name, span).to_string()
    }
}

/// A Rust string literal.
pub fn string(text: &str) -> String {
    Literal::string(text).to_string()
}

/// Entities that contain themselves through fields that are not lists (an
/// optional `parent: Tag`, or a required field whose entity leads back
/// through an optional one): the lint refuses cycles no finite value has, so
/// each such field needs only a `Box` for a finite size.
fn recursive_entities(bp: &Blueprint) -> Vec<String> {
    let embeds = |name: &str| -> Vec<String> {
        bp.structs
            .iter()
            .filter(|s| matches!(&s.name, TypeName::Entity { name: n } if n == name))
            .flat_map(|s| &s.fields)
            .filter_map(|f| match &f.ty {
                Ty::Struct {
                    name: TypeName::Entity { name },
                } => Some(name.clone()),
                _ => None,
            })
            .collect()
    };
    let mut recursive = Vec::new();
    for entity in &bp.entities {
        let mut stack = embeds(&entity.name);
        let mut seen: Vec<String> = Vec::new();
        while let Some(next) = stack.pop() {
            if next == entity.name {
                recursive.push(entity.name.clone());
                break;
            }
            if !seen.contains(&next) {
                stack.extend(embeds(&next));
                seen.push(next);
            }
        }
    }
    recursive
}

/// Boxes every field holding a recursive entity directly, in entities and
/// the inputs and bodies whose fields are moved into them, so both agree.
fn box_recursive(bp: &Blueprint, cx: &mut DomainContext) {
    let recursive = recursive_entities(bp);
    if recursive.is_empty() {
        return;
    }
    // What a repository's `list` selects by holds the field's type too.
    let spelled: Vec<String> = bp
        .entities
        .iter()
        .zip(&cx.entities)
        .filter(|(e, _)| recursive.contains(&e.name))
        .map(|(_, out)| out.type_name.clone())
        .collect();
    for entity in &mut cx.entities {
        for filter in &mut entity.filters {
            if spelled.contains(&filter.type_name) {
                filter.type_name = format!("Box<{}>", filter.type_name);
            }
        }
    }
    for (st, out) in bp.structs.iter().zip(&mut cx.structs) {
        if matches!(st.role, StructRole::Request | StructRole::Response) {
            continue;
        }
        for (f, field) in st.fields.iter().zip(&mut out.fields) {
            let Ty::Struct {
                name: TypeName::Entity { name },
            } = &f.ty
            else {
                continue;
            };
            if recursive.contains(name) {
                field.inner_type = format!("Box<{}>", field.inner_type);
                if !f.optional {
                    field.sample = format!("Box::new({})", field.sample);
                }
                field.type_name = if f.optional {
                    format!("Option<{}>", field.inner_type)
                } else {
                    field.inner_type.clone()
                };
            }
        }
    }
}

impl Rust {
    /// Whether a field holding `value`, an entity's smallest valid value,
    /// holds it in a `Box` (the entity is recursive). Samples in fields are
    /// boxed where the fields are (`box_recursive`).
    pub(super) fn boxed(&self, value: &Value) -> bool {
        matches!(value, Value::ZeroStruct { ty: TypeName::Entity { name }, .. } if self.recursive.contains(name))
    }
}

impl Dialect for Rust {
    fn language(&self) -> &'static str {
        "rust"
    }

    fn ident(&self, name: &str) -> String {
        names::ident(name)
    }

    fn scoped(&self, blueprint: &Blueprint) -> Option<Box<dyn Dialect>> {
        Some(Box::new(Rust {
            scope: Some(Box::new(Scope::of(blueprint))),
            recursive: recursive_entities(blueprint),
        }))
    }

    fn module(&self, domain: &str) -> String {
        match &self.scope {
            Some(scope) => scope.module.clone(),
            None => names::ident(domain),
        }
    }

    fn service(&self, domain: &str) -> String {
        match &self.scope {
            Some(scope) => scope.service.clone(),
            None => format!("{}Service", case::pascal(domain)),
        }
    }

    fn error(&self, domain: &str) -> String {
        match &self.scope {
            Some(scope) => scope.error.clone(),
            None => format!("{}Error", case::pascal(domain)),
        }
    }

    fn error_variant(&self, code: &str) -> String {
        match self.scope.as_ref().and_then(|s| s.error_variant(code)) {
            Some(variant) => variant.to_string(),
            None => self.variant(&code.to_ascii_lowercase()),
        }
    }

    fn type_name(&self, name: &TypeName) -> String {
        if let Some(spelled) = self.scope.as_ref().and_then(|s| s.type_name(name)) {
            return ident_token(spelled, false);
        }
        let spelled = match name {
            TypeName::Entity { name } => names::type_name(name),
            TypeName::Enum { owner, field } => {
                format!("{}{}", names::type_name(owner), case::pascal(field))
            }
            TypeName::Output { operation } => format!("{}Output", names::type_name(operation)),
            TypeName::Input { operation } => format!("{}Input", names::type_name(operation)),
            TypeName::Body { operation } => format!("{}Body", names::type_name(operation)),
            TypeName::Request { operation } => format!("{}Request", names::type_name(operation)),
            TypeName::Response { operation } => {
                format!("{}Response", names::type_name(operation))
            }
        };
        ident_token(&spelled, false)
    }

    fn variant(&self, value: &str) -> String {
        ident_token(&names::variant(value), false)
    }

    fn ty(&self, ty: &Ty) -> String {
        match ty {
            Ty::String | Ty::Text => "String".into(),
            Ty::Bool => "bool".into(),
            Ty::I32 => "i32".into(),
            Ty::I64 => "i64".into(),
            Ty::F64 => "f64".into(),
            Ty::Decimal => "rust_decimal::Decimal".into(),
            Ty::Uuid => "uuid::Uuid".into(),
            Ty::Date => "chrono::NaiveDate".into(),
            Ty::Time => "chrono::NaiveTime".into(),
            Ty::DateTime => "chrono::DateTime<chrono::Utc>".into(),
            Ty::Json => "serde_json::Value".into(),
            Ty::Enum { name } | Ty::Struct { name } => self.type_name(name),
            Ty::List { item } => format!("Vec<{}>", self.ty(item)),
        }
    }

    fn optional(&self, ty: &str) -> String {
        format!("Option<{ty}>")
    }

    fn literal(&self, value: &Value) -> String {
        match value {
            Value::Text { text } => format!("{}.to_string()", string(text)),
            Value::Str { text } => string(text),
            // clippy's repeat_once.
            Value::Repeat { text, count: 1 } => format!("{}.to_string()", string(text)),
            Value::Repeat { text, count } => {
                format!(
                    "{}.repeat({})",
                    string(text),
                    Literal::usize_unsuffixed(*count)
                )
            }
            Value::EmptyText => "String::new()".into(),
            Value::Bool { value } => value.to_string(),
            Value::Int { value } => Literal::i64_unsuffixed(*value).to_string(),
            Value::Float { value } => format!("{}_f64", Literal::f64_unsuffixed(*value)),
            Value::Decimal { mantissa, scale } => format!(
                "rust_decimal::Decimal::new({}, {})",
                Literal::i128_unsuffixed(*mantissa),
                Literal::u32_unsuffixed(*scale)
            ),
            Value::NewUuid => "uuid::Uuid::new_v4()".into(),
            Value::NilUuid => "uuid::Uuid::nil()".into(),
            Value::Today => "chrono::Utc::now().date_naive()".into(),
            Value::Now => "chrono::Utc::now()".into(),
            Value::NowTime => "chrono::Utc::now().time()".into(),
            Value::Midnight => "chrono::NaiveTime::MIN".into(),
            Value::JsonNull => "serde_json::Value::Null".into(),
            Value::Variant { ty, variant } => {
                format!("{}::{}", self.type_name(ty), self.variant(variant))
            }
            Value::DefaultVariant { ty } => format!("{}::default()", self.type_name(ty)),
            // Through the module: the samples module itself and tests both name it.
            Value::Sample { ty } => format!("samples::{}()", self.sample_fn(ty)),
            Value::ZeroStruct { ty, fields } => format!(
                "{} {{ {} }}",
                self.type_name(ty),
                fields
                    .iter()
                    .map(|(field, value)| {
                        let literal = self.literal(value);
                        let literal = if self.boxed(value) {
                            format!("Box::new({literal})")
                        } else {
                            literal
                        };
                        format!("{}: {literal}", self.ident(field))
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Value::EmptyList => "Vec::new()".into(),
            Value::ListOf { item, count } => format!(
                "vec![{}; {}]",
                self.literal(item),
                Literal::usize_unsuffixed(*count)
            ),
            Value::None => "None".into(),
            Value::Some { value } => format!("Some({})", self.literal(value)),
            Value::Default => "Default::default()".into(),
            Value::Seeded { field } => format!("seeded.{}", self.ident(field)),
            Value::UnknownKey { key } => match key {
                KeyType::Uuid => "uuid::Uuid::new_v4()".into(),
                KeyType::Text => "\"missing\".to_string()".into(),
                KeyType::Int => "999_999".into(),
            },
        }
    }

    fn string(&self, text: &str) -> String {
        string(text)
    }

    fn problems(&self, domain: &Domain) -> Vec<Problem> {
        names::problems(domain)
    }

    fn imports(&self, blueprint: &Blueprint, context: &DomainContext) -> Vec<String> {
        super::statements::route_imports(blueprint, context)
    }

    fn statements(&self, blueprint: &Blueprint, context: &mut DomainContext) {
        names::unique_functions(context);
        box_recursive(blueprint, context);
        super::statements::fill(self, blueprint, context);
    }

    fn format(&self, path: &str, text: &str) -> Result<String, RenderError> {
        if path.ends_with(".rs") {
            crate::format::rust(path, text)
        } else {
            Ok(text.to_string())
        }
    }

    fn dependency(&self, name: &str, spec: &str) -> String {
        format!("{name} = {spec}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spells_values_names_and_types_as_rust() {
        let r = Rust::default();
        let status = TypeName::Enum {
            owner: "Order".into(),
            field: "status".into(),
        };
        assert_eq!(r.ident("type"), "r#type");
        assert_eq!(r.ident("customerId"), "customer_id");
        assert_eq!(r.type_name(&status), "OrderStatus");
        assert_eq!(
            r.type_name(&TypeName::Input {
                operation: "Option".into()
            }),
            "OptionRecordInput"
        );
        let list = Ty::List {
            item: Box::new(Ty::Enum {
                name: status.clone(),
            }),
        };
        assert_eq!(r.optional(&r.ty(&list)), "Option<Vec<OrderStatus>>");
        let cases = [
            (Value::text("a\"b\n"), r#""a\"b\n".to_string()"#),
            (
                Value::Decimal {
                    mantissa: 1999,
                    scale: 2,
                },
                "rust_decimal::Decimal::new(1999, 2)",
            ),
            (Value::Float { value: 1.0 }, "1.0_f64"),
            (
                Value::Variant {
                    ty: status.clone(),
                    variant: "in-progress".into(),
                },
                "OrderStatus::InProgress",
            ),
            (Value::text("x").some(), "Some(\"x\".to_string())"),
            (
                Value::ListOf {
                    item: Box::new(Value::Int { value: 1 }),
                    count: 3,
                },
                "vec![1; 3]",
            ),
            (
                Value::Sample {
                    ty: TypeName::Entity {
                        name: "LineItem".into(),
                    },
                },
                "samples::line_item_sample()",
            ),
            (Value::UnknownKey { key: KeyType::Int }, "999_999"),
        ];
        for (value, spelled) in cases {
            assert_eq!(r.literal(&value), spelled, "{value:?}");
        }
    }
}
