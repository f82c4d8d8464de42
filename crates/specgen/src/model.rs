//! The generated spec, as data: what the generator builds, the shrinker cuts
//! and `render` writes as Markdown in the documented grammar
//! (docs/spec-format.md). Every spelling choice (type aliases, bold keys,
//! front matter or bold metadata) is recorded here, so a shrunk spec keeps
//! the forms that made it fail.

use std::fmt::Write as _;

/// A whole project: the domains of one `specs/` folder.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    pub seed: u64,
    pub domains: Vec<Domain>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Domain {
    pub name: String,
    /// Two tickets: the first in front matter, the second with bold metadata
    /// and its entities in a `data-model.md` beside its `spec.md`.
    pub tickets: Vec<Ticket>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Ticket {
    pub id: String,
    /// Metadata as front matter (else bold `**Domain**:` lines).
    pub front_matter: bool,
    /// Entities in a `data-model.md` beside the `spec.md`.
    pub data_model: bool,
    pub requirements: Vec<Requirement>,
    pub entities: Vec<Entity>,
    pub operations: Vec<Operation>,
    pub errors: Vec<ErrorCode>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Requirement {
    pub id: String,
    /// Lines of the item: more than one is a requirement wrapped in the list item.
    pub lines: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    pub name: String,
    pub fields: Vec<Field>,
    pub relationships: Vec<Relationship>,
    /// The path parameter every route of this entity uses for its key.
    pub key_param: String,
    /// The entity's collection segment (`orders`).
    pub plural: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub ty: Ty,
    /// The type as written (an alias, other case, `T[]`, ...).
    pub spelling: String,
    pub required: bool,
    /// Optional written as `T?` instead of the Required column.
    pub question_mark: bool,
    pub key: bool,
    pub constraints: Vec<Constraint>,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
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
    Json,
    Enum(Vec<String>),
    List(Box<Ty>),
    Entity(String),
}

impl Ty {
    /// The canonical spelling.
    pub fn canonical(&self) -> String {
        match self {
            Ty::String => "string".into(),
            Ty::Text => "text".into(),
            Ty::Bool => "bool".into(),
            Ty::I32 => "i32".into(),
            Ty::I64 => "i64".into(),
            Ty::F64 => "f64".into(),
            Ty::Decimal => "decimal".into(),
            Ty::Uuid => "uuid".into(),
            Ty::Date => "date".into(),
            Ty::DateTime => "datetime".into(),
            Ty::Json => "json".into(),
            Ty::Enum(values) => format!("enum({})", values.join(", ")),
            Ty::List(inner) => format!("list<{}>", inner.canonical()),
            Ty::Entity(name) => name.clone(),
        }
    }

    /// Entities this type names (embedded, or listed).
    pub fn entity(&self) -> Option<&str> {
        match self {
            Ty::Entity(name) => Some(name),
            Ty::List(inner) => inner.entity(),
            _ => None,
        }
    }

    pub fn is_text(&self) -> bool {
        matches!(self, Ty::String | Ty::Text)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Constraint {
    PrimaryKey(&'static str),
    Unique,
    Index,
    Default(String),
    Min(String),
    Max(String),
    /// The regex, and whether it is written in backticks.
    Pattern(String, bool),
    References(String, Option<String>),
    Required,
    Optional,
}

impl Constraint {
    fn write(&self) -> String {
        match self {
            Constraint::PrimaryKey(spelling) => (*spelling).to_string(),
            Constraint::Unique => "unique".into(),
            Constraint::Index => "index".into(),
            Constraint::Default(value) => format!("default {value}"),
            Constraint::Min(n) => format!("min {n}"),
            Constraint::Max(n) => format!("max {n}"),
            Constraint::Pattern(regex, true) => format!("pattern `{regex}`"),
            Constraint::Pattern(regex, false) => format!("pattern {regex}"),
            Constraint::References(entity, Some(field)) => format!("references {entity}.{field}"),
            Constraint::References(entity, None) => format!("references {entity}"),
            Constraint::Required => "required".into(),
            Constraint::Optional => "optional".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Relationship {
    pub phrase: &'static str,
    pub target: String,
    pub via: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Create,
    Get,
    List,
    Update,
    Delete,
}

impl Kind {
    pub fn word(self) -> &'static str {
        match self {
            Kind::Create => "create",
            Kind::Get => "get",
            Kind::List => "list",
            Kind::Update => "update",
            Kind::Delete => "delete",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub id: Option<String>,
    pub name: String,
    pub kind: Option<(Kind, String)>,
    pub inputs: Vec<Input>,
    pub output: Output,
    pub rules: Vec<String>,
    pub errors: Vec<String>,
    pub description: Option<String>,
    /// Usually one; two maps one operation to two routes (PUT and PATCH).
    pub endpoints: Vec<Endpoint>,
    /// Which of the accepted key spellings the item list uses.
    pub keys: KeyStyle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyStyle {
    Bold,
    Plain,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// `name: type` (form 1).
    Declared {
        name: String,
        ty: Ty,
        optional: bool,
    },
    /// `name`: a field of the operation's entity or of exactly one other entity (forms 2 and 4).
    Field { name: String },
    /// `<entity>_id`: the key of that entity (form 3).
    Key { entity: String, name: String },
}

impl Input {
    pub fn name(&self) -> &str {
        match self {
            Input::Declared { name, .. } | Input::Field { name } | Input::Key { name, .. } => name,
        }
    }

    fn write(&self) -> String {
        match self {
            Input::Declared { name, ty, optional } => {
                format!(
                    "`{name}: {}{}`",
                    ty.canonical(),
                    if *optional { "?" } else { "" }
                )
            }
            Input::Field { name } | Input::Key { name, .. } => format!("`{name}`"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// `none` or `-` (the spelling).
    None(&'static str),
    Type(Ty),
    /// `list<Entity>` of a list operation.
    List(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    pub method: &'static str,
    pub path: String,
    pub status: Option<u16>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ErrorCode {
    pub code: String,
    pub status: u16,
    pub message: String,
}

/// One written file of a spec: its path under `specs/` and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub path: String,
    pub text: String,
}

impl Spec {
    /// The spec as files under `specs/`.
    pub fn files(&self) -> Vec<File> {
        let mut files = Vec::new();
        for domain in &self.domains {
            for ticket in &domain.tickets {
                let folder = &ticket.id;
                let (spec, model) = ticket.render(&domain.name);
                files.push(File {
                    path: format!("{folder}/spec.md"),
                    text: spec,
                });
                if let Some(model) = model {
                    files.push(File {
                        path: format!("{folder}/data-model.md"),
                        text: model,
                    });
                }
            }
        }
        files
    }

    /// Every file, one after the other with its path as a heading line (for reports).
    pub fn listing(&self) -> String {
        let mut out = String::new();
        for file in self.files() {
            let _ = writeln!(out, "==> specs/{} <==\n{}", file.path, file.text);
        }
        out
    }

    /// A count of everything a shrinker can remove: smaller is simpler.
    pub fn size(&self) -> usize {
        self.domains
            .iter()
            .flat_map(|d| &d.tickets)
            .map(|t| {
                1 + t.requirements.len()
                    + t.errors.len()
                    + t.entities
                        .iter()
                        .map(|e| {
                            1 + e.relationships.len()
                                + e.fields
                                    .iter()
                                    .map(|f| 1 + f.constraints.len())
                                    .sum::<usize>()
                        })
                        .sum::<usize>()
                    + t.operations
                        .iter()
                        .map(|o| {
                            1 + o.inputs.len() + o.rules.len() + o.errors.len() + o.endpoints.len()
                        })
                        .sum::<usize>()
            })
            .sum::<usize>()
            + self.domains.len()
    }
}

impl Ticket {
    /// The `spec.md` text, and the `data-model.md` text when entities live there.
    fn render(&self, domain: &str) -> (String, Option<String>) {
        let mut spec = String::new();
        if self.front_matter {
            let _ = write!(spec, "---\nticket: {}\ndomain: {domain}\n---\n", self.id);
            let _ = writeln!(spec, "# Feature Specification: {}\n", self.id);
        } else {
            let _ = writeln!(spec, "# Feature Specification: {}\n", self.id);
            let _ = writeln!(
                spec,
                "**Ticket**: {}\n**Domain**: {domain}\n**Status**: Draft\n",
                self.id
            );
        }
        spec.push_str("Generated by scaffold-specgen.\n\n");
        if !self.requirements.is_empty() {
            spec.push_str("## Requirements\n\n");
            for requirement in &self.requirements {
                let _ = writeln!(
                    spec,
                    "- **{}**: {}",
                    requirement.id,
                    requirement.lines.join("\n  ")
                );
            }
            spec.push('\n');
        }
        let mut model = String::new();
        if self.data_model {
            let _ = writeln!(model, "# Data Model: {}\n", self.id);
            for entity in &self.entities {
                entity.render(&mut model, "##");
            }
        } else if !self.entities.is_empty() {
            spec.push_str("## Domain Model\n\n");
            for entity in &self.entities {
                entity.render(&mut spec, "###");
            }
        }
        if !self.operations.is_empty() {
            spec.push_str("## Operations\n\n");
            for operation in &self.operations {
                operation.render(&mut spec);
            }
        }
        let endpoints: Vec<(&Operation, &Endpoint)> = self
            .operations
            .iter()
            .flat_map(|o| o.endpoints.iter().map(move |e| (o, e)))
            .collect();
        if !endpoints.is_empty() {
            spec.push_str("## API Endpoints\n\n| Method | Path | Operation | Status |\n|--------|------|-----------|--------|\n");
            for (operation, endpoint) in endpoints {
                let status = endpoint.status.map(|s| s.to_string()).unwrap_or_default();
                let _ = writeln!(
                    spec,
                    "| {} | `{}` | {} | {status} |",
                    endpoint.method, endpoint.path, operation.name
                );
            }
            spec.push('\n');
        }
        if !self.errors.is_empty() {
            spec.push_str("## Errors\n\n| Code | HTTP | Message |\n|------|------|---------|\n");
            for error in &self.errors {
                let _ = writeln!(
                    spec,
                    "| `{}` | {} | {} |",
                    error.code, error.status, error.message
                );
            }
            spec.push('\n');
        }
        (spec, self.data_model.then_some(model))
    }
}

impl Entity {
    fn render(&self, out: &mut String, level: &str) {
        let _ = writeln!(out, "{level} Entity: {}\n", self.name);
        out.push_str("| Field | Type | Required | Constraints | Description |\n|-------|------|----------|-------------|-------------|\n");
        for field in &self.fields {
            let spelling = if field.question_mark {
                format!("{}?", field.spelling)
            } else {
                field.spelling.clone()
            };
            let required = if field.question_mark {
                ""
            } else if field.required {
                "yes"
            } else {
                "no"
            };
            let constraints: Vec<String> =
                field.constraints.iter().map(Constraint::write).collect();
            let _ = writeln!(
                out,
                "| `{}` | {} | {required} | {} | {} |",
                field.name,
                spelling.replace('|', "\\|"),
                constraints.join(", ").replace('|', "\\|"),
                field.description
            );
        }
        out.push('\n');
        if !self.relationships.is_empty() {
            out.push_str("**Relationships**:\n");
            for relationship in &self.relationships {
                let _ = writeln!(
                    out,
                    "- {} `{}` via `{}`",
                    relationship.phrase, relationship.target, relationship.via
                );
            }
            out.push('\n');
        }
    }
}

impl Operation {
    fn render(&self, out: &mut String) {
        match &self.id {
            Some(id) => {
                let _ = writeln!(out, "### {id}: {}\n", self.name);
            }
            None => {
                let _ = writeln!(out, "### {}\n", self.name);
            }
        }
        let key = |k: &str| match self.keys {
            KeyStyle::Bold => format!("**{k}**"),
            KeyStyle::Plain => k.to_string(),
        };
        if let Some(description) = &self.description {
            let _ = writeln!(out, "- {}: {description}", key("Description"));
        }
        if let Some((kind, entity)) = &self.kind {
            let _ = writeln!(out, "- {}: {} {entity}", key("Kind"), kind.word());
        }
        if !self.inputs.is_empty() {
            let inputs: Vec<String> = self.inputs.iter().map(Input::write).collect();
            let _ = writeln!(out, "- {}: {}", key("Input"), inputs.join(", "));
        }
        let output = match &self.output {
            Output::None(spelling) => (*spelling).to_string(),
            Output::Type(ty) => format!("`{}`", ty.canonical()),
            Output::List(entity) => format!("`list<{entity}>`"),
        };
        let _ = writeln!(out, "- {}: {output}", key("Output"));
        if !self.rules.is_empty() {
            let _ = writeln!(out, "- {}: {}", key("Rules"), self.rules.join(", "));
        }
        if !self.errors.is_empty() {
            let errors: Vec<String> = self.errors.iter().map(|e| format!("`{e}`")).collect();
            let _ = writeln!(out, "- {}: {}", key("Errors"), errors.join(", "));
        }
        out.push('\n');
    }
}
