//! The validated domain model: what templates are rendered from.
//!
//! Every name here has passed validation: references resolve, nothing is duplicated.

use serde::Serialize;

/// All domains found in a set of specs, sorted by name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Project {
    pub domains: Vec<Domain>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Domain {
    /// snake_case; also the folder name under the output root.
    pub name: String,
    /// The specs that contributed to this domain, in path order.
    pub specs: Vec<SpecRef>,
    pub entities: Vec<Entity>,
    pub operations: Vec<Operation>,
    pub endpoints: Vec<Endpoint>,
    pub errors: Vec<ErrorCode>,
}

impl Domain {
    pub fn entity(&self, name: &str) -> Option<&Entity> {
        self.entities.iter().find(|e| e.name == name)
    }

    pub fn operation(&self, name: &str) -> Option<&Operation> {
        self.operations.iter().find(|o| o.name == name)
    }

    pub fn error(&self, code: &str) -> Option<&ErrorCode> {
        self.errors.iter().find(|e| e.code == code)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpecRef {
    pub ticket: String,
    pub path: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Requirement {
    pub id: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entity {
    /// As written in the spec (PascalCase by convention).
    pub name: String,
    pub fields: Vec<Field>,
    pub relationships: Vec<Relationship>,
}

impl Entity {
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The field marked `primary key`; a model without errors has exactly one.
    pub fn primary_key(&self) -> Option<&Field> {
        self.fields.iter().find(|f| f.primary_key)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    /// As written in the spec; also the JSON name.
    pub name: String,
    #[serde(rename = "type")]
    pub ty: Type,
    pub required: bool,
    pub primary_key: bool,
    pub unique: bool,
    pub index: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// For numbers the smallest value; for strings and lists the shortest length.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub references: Option<FieldRef>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
}

impl Field {
    /// A field without constraints.
    pub const fn new(name: String, ty: Type, required: bool) -> Self {
        Self::plain(name, ty, required, false)
    }

    /// A primary key without other constraints.
    pub const fn key(name: String, ty: Type) -> Self {
        Self::plain(name, ty, true, true)
    }

    const fn plain(name: String, ty: Type, required: bool, primary_key: bool) -> Self {
        Field {
            name,
            ty,
            required,
            primary_key,
            unique: false,
            index: false,
            default: None,
            min: None,
            max: None,
            pattern: None,
            references: None,
            description: String::new(),
        }
    }

    pub fn has_constraints(&self) -> bool {
        self.min.is_some() || self.max.is_some() || self.pattern.is_some()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldRef {
    pub entity: String,
    pub field: String,
}

/// The portable type vocabulary; each stack maps it to its own types.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "of", rename_all = "snake_case")]
pub enum Type {
    String,
    Text,
    Bool,
    I32,
    I64,
    F64,
    Decimal,
    Uuid,
    Date,
    DateTime,
    /// A time of day, without a date or zone.
    Time,
    Json,
    Enum(Vec<String>),
    Entity(String),
    List(Box<Type>),
}

/// The type as a spec spells it (`list<uuid>`, `enum(a, b)`).
impl std::fmt::Display for Type {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = match self {
            Type::String => "string",
            Type::Text => "text",
            Type::Bool => "bool",
            Type::I32 => "i32",
            Type::I64 => "i64",
            Type::F64 => "f64",
            Type::Decimal => "decimal",
            Type::Uuid => "uuid",
            Type::Date => "date",
            Type::DateTime => "datetime",
            Type::Time => "time",
            Type::Json => "json",
            Type::Enum(variants) => return write!(f, "enum({})", variants.join(", ")),
            Type::Entity(name) => name,
            Type::List(item) => return write!(f, "list<{item}>"),
        };
        f.write_str(name)
    }
}

impl Type {
    pub fn is_numeric(&self) -> bool {
        matches!(self, Type::I32 | Type::I64 | Type::F64 | Type::Decimal)
    }

    pub fn is_text(&self) -> bool {
        matches!(self, Type::String | Type::Text)
    }

    /// Types that can name a primary key.
    pub fn is_key(&self) -> bool {
        matches!(self, Type::Uuid | Type::I32 | Type::I64 | Type::String)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationshipKind {
    HasMany,
    HasOne,
    BelongsTo,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Relationship {
    pub kind: RelationshipKind,
    pub target: String,
    /// The foreign-key field (on the target for has-many/has-one, on this entity for belongs-to).
    pub via: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verb {
    Create,
    Get,
    List,
    Update,
    Delete,
}

impl Verb {
    pub fn parse(word: &str) -> Option<Self> {
        Some(match word.to_ascii_lowercase().as_str() {
            "create" | "add" | "insert" => Verb::Create,
            "get" | "read" | "fetch" | "show" => Verb::Get,
            "list" | "search" | "index" => Verb::List,
            "update" | "edit" | "patch" => Verb::Update,
            "delete" | "remove" | "destroy" => Verb::Delete,
            _ => return None,
        })
    }

    /// Verbs that look an entity up by its primary key.
    pub fn takes_id(self) -> bool {
        matches!(self, Verb::Get | Verb::Update | Verb::Delete)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Kind {
    pub verb: Verb,
    pub entity: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Operation {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// PascalCase by convention.
    pub name: String,
    /// `None` for a free operation: generated as a stub answering 501.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    pub inputs: Vec<Input>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<Type>,
    /// The requirements this operation must enforce, resolved within its spec.
    pub rules: Vec<Requirement>,
    /// Error codes this operation may return.
    pub errors: Vec<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Input {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: Type,
    pub required: bool,
    pub source: InputSource,
}

/// Where an input's type (and constraints) come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "from", rename_all = "snake_case")]
pub enum InputSource {
    /// A field of an entity: its constraints apply to the input too.
    Field { entity: String, field: String },
    /// `<entity>_id`: the primary key of that entity.
    PrimaryKey { entity: String },
    /// `name: type` in the spec.
    Declared,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Endpoint {
    /// Uppercase: GET, POST, PUT, PATCH, DELETE.
    pub method: String,
    /// With `{param}` placeholders.
    pub path: String,
    pub operation: String,
    pub status: u16,
    pub error_statuses: Vec<u16>,
    pub path_params: Vec<String>,
    #[serde(flatten)]
    pub shape: EndpointShape,
}

/// What a contract says about an endpoint beyond its route (OpenAPI only).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EndpointShape {
    /// `article` when the request body is `{"article": {...}}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_wrapper: Option<String>,
    /// `article` (or `articles`) when the response body is wrapped likewise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_wrapper: Option<String>,
    /// `articlesCount` beside a wrapped list: how many items it holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_count: Option<String>,
    /// Non-empty OpenAPI `security`: the caller must be identified (401 otherwise).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub secured: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorCode {
    pub code: String,
    pub http: u16,
    pub message: String,
}
