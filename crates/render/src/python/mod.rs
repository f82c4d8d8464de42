//! The Python dialect: how python-fastapi spells names, types and values
//! (Pydantic v2 models, `X | None`, `Decimal("0.01")`), and its formatter.

mod format;
mod names;
mod statements;

use std::collections::HashMap;

use scaffold_parser::case;

use crate::RenderError;
use crate::blueprint::{Blueprint, KeyType, Ty, TypeName, Value};
use crate::context::DomainContext;
use crate::dialect::Dialect;

/// Hard keywords: a field named `class` is the attribute `class_` with JSON name `class`.
const KEYWORDS: &str = "False None True and as assert async await break class continue def del elif else \
    except finally for from global if import in is lambda nonlocal not or pass raise \
    return try while with yield";

/// Names a field must not take: the types annotations use after it in a class
/// body (`date: date` breaks the next `date` annotation), and what Pydantic's
/// `BaseModel` already defines; and the modules beside the domains' packages
/// (a domain `app` is the package `app_`).
const SHADOWING: &str = "str int float bool list dict object date datetime time Decimal UUID JsonValue Field \
    json copy schema schema_json construct validate parse_obj parse_raw from_orm \
    model_config model_fields model_dump model_validate model_copy model_construct \
    model_extra model_fields_set model_json_schema model_post_init model_rebuild \
    app caller scaffold_support";

/// Class names the generated modules import or define for every domain.
pub(super) const TAKEN_TYPES: &str = "Model Field JsonValue UUID Decimal StrEnum Protocol Annotated APIRouter Depends \
    Query Request FastAPI TestClient ErrorBody FieldError DomainError NotFound \
    NotImplementedOperation RepositoryError Service Caller CurrentCaller Self BaseModel None True False \
    Response Page Paged ConflictError MissingItemError ForeignKeyError UnavailableError RequestContext \
    Path Header StorageConflict InMemoryTables";

/// The dialect of `language = "python"` packs.
#[derive(Debug, Clone, Default)]
pub struct Python {
    /// The class of each type of one domain, once it is known (`scoped`).
    classes: Option<HashMap<TypeName, String>>,
}

/// The dialect before it knows a domain.
pub static PYTHON: Python = Python { classes: None };

pub(super) fn is_in(words: &str, name: &str) -> bool {
    words.split_whitespace().any(|w| w == name)
}

/// `order_line` -> `OrderLine`, renamed when it would clash with an import.
fn class(name: &str) -> String {
    let pascal = case::pascal(name);
    if is_in(TAKEN_TYPES, &pascal) {
        format!("{pascal}Record")
    } else {
        pascal
    }
}

/// A string literal as ruff's formatter writes it: double quotes unless the
/// text holds more double than single quotes.
pub fn string(text: &str) -> String {
    let quote = if text.matches('"').count() > text.matches('\'').count() {
        '\''
    } else {
        '"'
    };
    let mut out = String::with_capacity(text.len() + 2);
    out.push(quote);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// An exact decimal: `Decimal(1000)` when whole (ruff's FURB157), else `Decimal("0.01")`.
fn decimal(mantissa: i128, scale: u32) -> String {
    if scale == 0 {
        return format!("Decimal({mantissa})");
    }
    let digits = format!(
        "{:0>width$}",
        mantissa.unsigned_abs(),
        width = scale as usize + 1
    );
    let (whole, fraction) = digits.split_at(digits.len() - scale as usize);
    let sign = if mantissa < 0 { "-" } else { "" };
    format!("Decimal(\"{sign}{whole}.{fraction}\")")
}

impl Dialect for Python {
    fn language(&self) -> &'static str {
        "python"
    }

    fn ident(&self, name: &str) -> String {
        let snake = case::snake(name);
        let snake = if snake.is_empty() || snake.starts_with(|c: char| c.is_ascii_digit()) {
            format!("n{snake}")
        } else {
            snake
        };
        if is_in(KEYWORDS, &snake) || is_in(SHADOWING, &snake) {
            format!("{snake}_")
        } else {
            snake
        }
    }

    fn scoped(&self, blueprint: &Blueprint) -> Option<Box<dyn Dialect>> {
        Some(Box::new(Python {
            classes: Some(names::classes(blueprint)),
        }))
    }

    fn type_name(&self, name: &TypeName) -> String {
        if let Some(spelled) = self.classes.as_ref().and_then(|c| c.get(name)) {
            return spelled.clone();
        }
        names::base_class(name, class)
    }

    /// Enum members are constants: `in-progress` -> `IN_PROGRESS`.
    fn variant(&self, value: &str) -> String {
        let upper = case::snake(value).to_ascii_uppercase();
        if upper.is_empty() || upper.starts_with(|c: char| c.is_ascii_digit()) {
            format!("V_{upper}")
        } else {
            upper
        }
    }

    fn ty(&self, ty: &Ty) -> String {
        match ty {
            Ty::String | Ty::Text => "str".into(),
            Ty::Bool => "bool".into(),
            Ty::I32 | Ty::I64 => "int".into(),
            Ty::F64 => "float".into(),
            Ty::Decimal => "Decimal".into(),
            Ty::Uuid => "UUID".into(),
            Ty::Date => "date".into(),
            Ty::Time => "time".into(),
            Ty::DateTime => "datetime".into(),
            Ty::Json => "JsonValue".into(),
            Ty::Enum { name } | Ty::Struct { name } => self.type_name(name),
            Ty::List { item } => format!("list[{}]", self.ty(item)),
        }
    }

    fn optional(&self, ty: &str) -> String {
        format!("{ty} | None")
    }

    fn literal(&self, value: &Value) -> String {
        match value {
            Value::Text { text } | Value::Str { text } => string(text),
            Value::Repeat { text, count } => format!("{} * {count}", string(text)),
            Value::EmptyText => "\"\"".into(),
            Value::Bool { value } => if *value { "True" } else { "False" }.into(),
            Value::Int { value } => value.to_string(),
            Value::Float { value } if value.is_finite() => format!("{value:?}"),
            Value::Float { value } => format!("float(\"{value}\")"),
            Value::Decimal { mantissa, scale } => decimal(*mantissa, *scale),
            Value::NewUuid => "uuid4()".into(),
            Value::NilUuid => "UUID(int=0)".into(),
            Value::Today => "datetime.now(UTC).date()".into(),
            Value::Now => "datetime.now(UTC)".into(),
            Value::NowTime => "datetime.now(UTC).time()".into(),
            Value::Midnight => "time()".into(),
            Value::JsonNull | Value::None => "None".into(),
            Value::Variant { ty, variant } => {
                format!("{}.{}", self.type_name(ty), self.variant(variant))
            }
            Value::DefaultVariant { ty } => format!("{}.default()", self.type_name(ty)),
            Value::Sample { ty } => format!("{}()", self.sample_fn(ty)),
            Value::ZeroStruct { ty, fields } => format!(
                "{}({})",
                self.type_name(ty),
                fields
                    .iter()
                    .map(|(field, value)| format!("{}={}", self.ident(field), self.literal(value)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Value::EmptyList => "[]".into(),
            Value::ListOf { item, count } => format!("[{}] * {count}", self.literal(item)),
            Value::Some { value } => self.literal(value),
            Value::Default => "\"\"".into(),
            Value::Seeded { field } => format!("seeded.{}", self.ident(field)),
            Value::UnknownKey { key } => match key {
                KeyType::Uuid => "uuid4()".into(),
                KeyType::Text => "str(uuid4())".into(),
                KeyType::Int => "2147483647".into(),
            },
        }
    }

    fn string(&self, text: &str) -> String {
        string(text)
    }

    /// The templates hold the code; what is written here is each 201's
    /// `Location`, the error codes' class names, and what a test stores first.
    fn statements(&self, bp: &Blueprint, context: &mut DomainContext) {
        names::unique_methods(context);
        statements::fill(self, bp, context);
    }

    fn format(&self, path: &str, text: &str) -> Result<String, RenderError> {
        Ok(if path.ends_with(".py") {
            format::python(text)
        } else {
            text.to_string()
        })
    }

    /// A requirements line: `fastapi` with `>=0.115`.
    fn dependency(&self, name: &str, spec: &str) -> String {
        format!("{name}{spec}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spells_names_types_and_values() {
        let p = Python::default();
        assert_eq!(p.ident("class"), "class_");
        assert_eq!(p.ident("customerId"), "customer_id");
        assert_eq!(p.ident("date"), "date_");
        assert_eq!(p.ident("type"), "type");
        assert_eq!(p.variant("in-progress"), "IN_PROGRESS");
        assert_eq!(p.variant("self"), "SELF");
        let entity = |name: &str| TypeName::Entity { name: name.into() };
        assert_eq!(p.type_name(&entity("order_line")), "OrderLine");
        assert_eq!(p.type_name(&entity("Field")), "FieldRecord");
        let list = Ty::List {
            item: Box::new(Ty::Uuid),
        };
        assert_eq!(p.optional(&p.ty(&list)), "list[UUID] | None");
        assert_eq!(
            p.literal(&Value::Decimal {
                mantissa: -99,
                scale: 2
            }),
            "Decimal(\"-0.99\")"
        );
        assert_eq!(
            p.literal(&Value::Decimal {
                mantissa: 5,
                scale: 3
            }),
            "Decimal(\"0.005\")"
        );
        assert_eq!(
            p.literal(&Value::Decimal {
                mantissa: 1000,
                scale: 0
            }),
            "Decimal(1000)"
        );
        assert_eq!(p.literal(&Value::Float { value: 1000.0 }), "1000.0");
        assert_eq!(
            p.literal(&Value::Repeat {
                text: "a".into(),
                count: 3
            }),
            "\"a\" * 3"
        );
        assert_eq!(string("say \"hi\""), "'say \"hi\"'");
        assert_eq!(string("^\\d+$"), "\"^\\\\d+$\"");
    }
}
