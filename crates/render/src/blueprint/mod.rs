//! The blueprint: what a domain's generated code must do, for every stack.
//!
//! Built once per domain from the validated model, it decides everything that
//! does not depend on a language: which structs exist and which of their fields
//! are optional, the plan of each kind operation, the validation rules and the
//! values that break them, where each endpoint input comes from, and the HTTP
//! test cases. It holds no code: names are spec names or [`TypeName`]s, values
//! are [`Value`]s, and a [`crate::dialect::Dialect`] spells them.

mod endpoints;
mod operations;
mod samples;
mod setup;
mod structs;
mod value;

use serde::Serialize;

use scaffold_parser::{Domain, case};

pub use endpoints::{
    Assemble, BodyFrom, Case, Endpoint, Expect, InputFrom, LocationPart, Request, RequestBody,
    Segment, Source, Wrapped,
};
pub use operations::{
    Assignment, Child, Entity, Filter, FilterField, Lookup, Match, Operation, Paging, Param,
    Parent, Plan, Reference, UniqueField, ValueFrom, Verb,
};
pub use setup::{Link, Setup, Stored, storage};
pub use structs::{Enum, InvalidCase, Pattern, Rule, RuleKind, Struct, StructField, StructRole};
pub use value::{KeyType, Value};

/// One domain, ready to be spelled by a dialect.
#[derive(Debug, Clone, Serialize)]
pub struct Blueprint {
    /// The domain's name (snake_case, its folder).
    pub name: String,
    /// The specs it comes from, in path order.
    pub specs: Vec<String>,
    pub enums: Vec<Enum>,
    /// Entities, then per operation its input, request body, and wrappers, in declaration order.
    pub structs: Vec<Struct>,
    /// Distinct regular expressions of `pattern` constraints, compiled once each.
    pub patterns: Vec<Pattern>,
    pub entities: Vec<Entity>,
    pub operations: Vec<Operation>,
    pub endpoints: Vec<Endpoint>,
    /// The error codes of the spec, in order.
    pub errors: Vec<ErrorCode>,
}

/// An error code of the spec.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorCode {
    /// `ORDER_NOT_FOUND`, as written.
    pub code: String,
    pub http: u16,
    pub message: String,
}

/// The name of a type the generated code declares, by what it is for.
///
/// A dialect spells each (`Enum { owner: "Order", field: "status" }` is
/// `OrderStatus`); keeping the role lets a language rename clashes its own way.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum TypeName {
    /// An entity, by its spec name.
    Entity { name: String },
    /// The enum of a field (or input) of an entity or operation.
    Enum { owner: String, field: String },
    /// The enum of an operation's output (`enum(...)` as an output type).
    Output { operation: String },
    /// The input of an operation (every input not taken from elsewhere).
    Input { operation: String },
    /// The part of an operation's input sent in the body when the rest is in the path.
    Body { operation: String },
    /// An operation's request body wrapped in one property (`{"article": {...}}`).
    Request { operation: String },
    /// An operation's response wrapped in one property.
    Response { operation: String },
}

/// A type of the spec's portable vocabulary, with declared types named.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Ty {
    String,
    /// Long text: the same type as `String` in every stack so far.
    Text,
    Bool,
    I32,
    I64,
    F64,
    Decimal,
    Uuid,
    Date,
    Time,
    DateTime,
    Json,
    /// An enum the domain declares.
    Enum {
        name: TypeName,
    },
    /// A struct the domain declares (an entity or a generated body).
    Struct {
        name: TypeName,
    },
    List {
        item: Box<Ty>,
    },
}

impl Ty {
    /// The type of a spec type; `enum_name` names what an `enum(...)` becomes.
    pub fn of(ty: &scaffold_parser::Type, enum_name: &TypeName) -> Ty {
        use scaffold_parser::Type as T;
        match ty {
            T::String => Ty::String,
            T::Text => Ty::Text,
            T::Bool => Ty::Bool,
            T::I32 => Ty::I32,
            T::I64 => Ty::I64,
            T::F64 => Ty::F64,
            T::Decimal => Ty::Decimal,
            T::Uuid => Ty::Uuid,
            T::Date => Ty::Date,
            T::Time => Ty::Time,
            T::DateTime => Ty::DateTime,
            T::Json => Ty::Json,
            T::Enum(_) => Ty::Enum {
                name: enum_name.clone(),
            },
            T::Entity(name) => Ty::Struct {
                name: TypeName::Entity { name: name.clone() },
            },
            T::List(inner) => Ty::List {
                item: Box::new(Ty::of(inner, enum_name)),
            },
        }
    }

    pub fn is_text(&self) -> bool {
        matches!(self, Ty::String | Ty::Text)
    }
}

/// Something about a domain that cannot be generated (an impossible sample value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    pub hint: String,
}

/// Builds the blueprint of a domain, or every reason it cannot be generated.
pub fn build(domain: &Domain) -> Result<Blueprint, Vec<Problem>> {
    let missing_keys: Vec<Problem> = domain
        .entities
        .iter()
        .filter(|e| e.primary_key().is_none())
        .map(|e| Problem {
            message: format!("entity `{}` has no primary key", e.name),
            hint: "the spec has errors: run `scaffold lint`".into(),
        })
        .collect();
    if !missing_keys.is_empty() {
        return Err(missing_keys);
    }
    let mut b = structs::Builder::new(domain);
    let relations = scaffold_schema::relations(domain);
    let mut entities: Vec<Entity> = domain
        .entities
        .iter()
        .map(|e| operations::entity(&mut b, &relations, e))
        .collect();
    let operations: Vec<Operation> = domain
        .operations
        .iter()
        .map(|o| operations::operation(&mut b, o))
        .collect();
    operations::collect_filters(&mut entities, &operations, &b.structs);
    operations::collect_children(&mut entities, &operations);
    let endpoints: Vec<Endpoint> = domain
        .endpoints
        .iter()
        .filter_map(|e| endpoints::endpoint(&mut b, e))
        .collect();
    if !b.problems.is_empty() {
        return Err(b.problems);
    }
    mark_clearable(&mut b.structs, &operations);
    mark_json_in_query(&mut b.structs, &endpoints);
    let mut bp = Blueprint {
        name: domain.name.clone(),
        specs: domain.specs.iter().map(|s| s.path.clone()).collect(),
        enums: b.enums,
        structs: b.structs,
        patterns: b.patterns,
        entities,
        operations,
        endpoints,
        errors: domain
            .errors
            .iter()
            .map(|e| ErrorCode {
                code: e.code.clone(),
                http: e.http,
                message: e.message.clone(),
            })
            .collect(),
    };
    // What each test stores first reads the whole domain: planned last.
    let mut endpoints = std::mem::take(&mut bp.endpoints);
    setup::plan(&bp, &mut endpoints);
    bp.endpoints = endpoints;
    Ok(bp)
}

/// An update's inputs for nullable fields become clearable in its input and
/// body structs (`null` clears, absent leaves); a value breaking a rule of one
/// is then present twice over.
fn mark_clearable(structs: &mut [Struct], operations: &[Operation]) {
    for op in operations {
        let Plan::Update { assignments, .. } = &op.plan else {
            continue;
        };
        for st in structs.iter_mut() {
            let (TypeName::Input { operation } | TypeName::Body { operation }) = &st.name else {
                continue;
            };
            if *operation != op.name {
                continue;
            }
            for m in assignments.iter().filter(|m| !m.field_required) {
                for field in st.fields.iter_mut().filter(|f| f.name == m.input) {
                    field.clearable = true;
                }
                for case in st.invalid_cases.iter_mut().filter(|c| c.field == m.input) {
                    case.value = Value::Some {
                        value: Box::new(case.value.clone()),
                    };
                }
            }
        }
    }
}

/// Fields holding objects (an entity, a list of them) of a struct read from a
/// query string are JSON text there (`?filter={"name":"a"}`, percent-encoded),
/// as OpenAPI describes a query parameter with `content: application/json`:
/// the docs let any input of a GET or DELETE come from the query string, and
/// no flat `key=value` form spells an object.
fn mark_json_in_query(structs: &mut [Struct], endpoints: &[Endpoint]) {
    fn holds_object(ty: &Ty) -> bool {
        match ty {
            Ty::Struct { .. } => true,
            Ty::List { item } => holds_object(item),
            _ => false,
        }
    }
    for e in endpoints.iter().filter(|e| e.body_from == BodyFrom::Query) {
        let Some(ty) = &e.body_type else { continue };
        for st in structs.iter_mut().filter(|s| &s.name == ty) {
            for field in st.fields.iter_mut().filter(|f| holds_object(&f.ty)) {
                field.json_in_query = true;
            }
        }
    }
}

impl Blueprint {
    /// The entity of the domain that `field` of `entity` refers to (a foreign key).
    pub fn referred(&self, entity: &str, field: &str) -> Option<&Entity> {
        let r = self
            .entity(entity)?
            .references
            .iter()
            .find(|r| r.field == field)?;
        self.entity(&r.entity)
    }

    pub fn entity(&self, name: &str) -> Option<&Entity> {
        self.entities.iter().find(|e| e.name == name)
    }

    pub fn operation(&self, name: &str) -> Option<&Operation> {
        self.operations.iter().find(|o| o.name == name)
    }

    pub fn find_struct(&self, name: &TypeName) -> Option<&Struct> {
        self.structs.iter().find(|s| s.name == *name)
    }

    /// Whether some endpoint is protected (OpenAPI `security`).
    pub fn uses_caller(&self) -> bool {
        self.endpoints.iter().any(|e| e.secured) || self.operations.iter().any(|o| o.caller)
    }
}

/// `orders` for `Order`: the name of an entity's collection (repository accessor).
pub fn collection(entity: &str) -> String {
    case::plural(&case::snake(entity))
}
