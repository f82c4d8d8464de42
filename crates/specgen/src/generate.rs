//! The generator: a seed in, a valid spec out (valid per docs/spec-format.md:
//! every name, type, constraint and reference is one the docs allow). It
//! deliberately reaches for the names that break generated code: keywords of
//! Rust, Python and SQL, names of traits, crates and generated items.

use crate::model::{
    Constraint, Domain, Endpoint, Entity, ErrorCode, Field, Input, KeyStyle, Kind, Operation,
    Output, Relationship, Requirement, Spec, Ticket, Ty,
};
use crate::rng::Rng;
use crate::routes::Routes;
use crate::snake;

const DOMAINS: &[&str] = &[
    "orders",
    "catalog",
    "billing",
    "shipping",
    "notes",
    "library",
    "inventory",
    "accounts",
    // keywords (Rust, Python, SQL)
    "match",
    "type",
    "async",
    "loop",
    "impl",
    "class",
    "def",
    "select",
    "order",
    "user",
    "table",
    "yield",
    "from",
    "import",
    // crates and modules next to the generated code
    "axum",
    "std",
    "core",
    "serde",
    "tokio",
    "uuid",
    "chrono",
    "repository",
    "models",
    "service",
    "routes",
    "scaffold_support",
    "regex",
    "tests",
    "samples",
];

const ENTITIES: &[&str] = &[
    "Order",
    "Product",
    "Customer",
    "Invoice",
    "Line",
    "Tag",
    "Author",
    "Review",
    "Shipment",
    "Account",
    "Note",
    "Ticket",
    "Item",
    "Payment",
    // keywords and Rust prelude or generated names
    "Option",
    "Match",
    "Type",
    "Box",
    "Sync",
    "Send",
    "From",
    "Default",
    "Clone",
    "Error",
    "Path",
    "State",
    "Value",
    "Request",
    "Response",
    "Json",
    "Result",
    "String",
    "Vec",
    "Router",
    "Query",
    "Some",
    "None",
    "Class",
    "Select",
    "Table",
    "User",
    "Uuid",
    "Decimal",
    "Utc",
    "Arc",
    "StatusCode",
    "ApiError",
    "Service",
    "Repository",
    "Samples",
    "Iterator",
    "Ordering",
];

const FIELDS: &[&str] = &[
    "name",
    "title",
    "note",
    "status",
    "total",
    "quantity",
    "price",
    "email",
    "code",
    "label",
    "tagList",
    "createdAt",
    "is_active",
    "weight",
    "rating",
    "body",
    "slug",
    "position",
    // keywords
    "type",
    "ref",
    "async",
    "move",
    "where",
    "in",
    "enum",
    "fn",
    "loop",
    "impl",
    "struct",
    "trait",
    "mod",
    "use",
    "pub",
    "let",
    "const",
    "static",
    "dyn",
    "for",
    "while",
    "if",
    "else",
    "return",
    "true",
    "false",
    "self_",
    "def",
    "class",
    "lambda",
    "pass",
    "import",
    "from",
    "global",
    "assert",
    "del",
    "except",
    "raise",
    "try",
    "with",
    "is",
    "not",
    "and",
    "or",
    "print",
    "select",
    "table",
    "order",
    "group",
    "user",
    "index",
    "key",
    "limit",
    "offset",
    "desc",
    "values",
    "column",
    "check",
    "null",
    "none",
    "None",
    // locals and items of generated code
    "input",
    "item",
    "items",
    "service",
    "state",
    "repo",
    "repository",
    "id_",
    "json",
    "path",
    "query",
    "body_",
    "response",
    "request",
    "error",
    "errors",
    "value",
    "result",
    "router",
    "sample",
    "samples",
    "new",
    "patch",
    "store",
    "caller",
    "key_",
];

/// Not `Routes`, `Api`, `Errors`, ...: a heading named like a section is that section.
const OPERATIONS: &[&str] = &[
    "Router",
    "New",
    "InMemory",
    "Items",
    "Loop",
    "Impl",
    "Default",
    "Service",
    "Repository",
    "Call",
    "Handle",
    "Match",
    "Sync",
    "Send",
    "Into",
    "From",
    "Clone",
    "Drop",
    "Validate",
    "Samples",
    "Insert",
    "Get",
    "List",
    "Apply",
];

const ERRORS: &[&str] = &[
    "NOT_FOUND",
    "NOT_IMPLEMENTED",
    "VALIDATION",
    "VALIDATION_FAILED",
    "REPOSITORY",
    "INTERNAL",
    "INVALID_BODY",
    "INVALID_PATH",
    "INVALID_QUERY",
    "CONFLICT",
    "GONE",
    "TOO_MANY",
    "LOCKED",
    "ALREADY_DONE",
    "NOT_ALLOWED",
    "PAYMENT_REQUIRED",
    "SELF",
    "TYPE",
    "UNAUTHORIZED",
];

const ENUM_VALUES: &[&str] = &[
    "draft",
    "live",
    "retired",
    "open",
    "closed",
    "red",
    "green",
    "blue",
    "self",
    "super",
    "crate",
    "type",
    "match",
    "none",
    "null",
    "true",
    "false",
    "in_progress",
    "done",
    "a",
    "b2",
    "Pending",
    "Paid",
    "class",
    "def",
    "Some",
    "None",
    "Ok",
    "Err",
];

const PATTERNS: &[&str] = &[
    "^[A-Z]{3}-[0-9]{4}$",
    "^[a-z0-9-]+$",
    "^[A-Z]+$",
    "[a-z]{2,5}",
    "^\\p{L}+$",
    "^\\p{Lu}\\p{Ll}*$",
    "^[0-9]{5}(-[0-9]{4})?$",
    "^\\w+@\\w+\\.com$",
    "^(draft|live)$",
    "\\d{2}",
    "^[^\\s]+$",
    "^.{2,8}$",
];

const WORDS: &[&str] = &[
    "System", "MUST", "keep", "every", "record", "valid", "and", "reject", "what", "breaks", "the",
    "rules", "of", "its", "domain", "within", "limits", "users", "can", "see",
];

/// Generates the spec of `seed`.
pub fn generate(seed: u64) -> Spec {
    let mut rng = Rng::new(seed);
    let mut routes = Routes::default();
    let mut used_domains: Vec<String> = Vec::new();
    let domain_count = rng.range(1, 3);
    let mut domains = Vec::new();
    for index in 0..domain_count {
        let mut name = (*rng.pick(DOMAINS)).to_string();
        if used_domains.contains(&name) {
            name = format!("{name}{index}");
        }
        used_domains.push(name.clone());
        domains.push(domain(&mut rng, &name, index, &mut routes));
    }
    Spec { seed, domains }
}

fn domain(rng: &mut Rng, name: &str, index: usize, routes: &mut Routes) -> Domain {
    let prefix = ["ORD", "CAT", "BIL", "KW", "X"][rng.below(5)];
    let mut tickets = vec![
        Ticket {
            id: format!("{prefix}-{}", 100 + index * 10),
            front_matter: true,
            data_model: false,
            requirements: Vec::new(),
            entities: Vec::new(),
            operations: Vec::new(),
            errors: Vec::new(),
        },
        Ticket {
            id: format!("{prefix}-{}", 101 + index * 10),
            front_matter: false,
            data_model: true,
            requirements: Vec::new(),
            entities: Vec::new(),
            operations: Vec::new(),
            errors: Vec::new(),
        },
    ];
    // Entities first (all of the domain), then split between the tickets.
    let count = rng.range(1, 4);
    let mut entities: Vec<Entity> = Vec::new();
    for _ in 0..count {
        let mut entity_name = (*rng.pick(ENTITIES)).to_string();
        while entities.iter().any(|e| e.name == entity_name) {
            entity_name = format!("{entity_name}{}", rng.below(10));
        }
        let entity = entity(rng, &entity_name, &entities);
        entities.push(entity);
    }
    // Relationships: belongs to (on the child) or has many (on the parent).
    for child in 0..entities.len() {
        let fks: Vec<(String, String)> = entities[child]
            .fields
            .iter()
            .filter_map(|f| {
                f.constraints.iter().find_map(|c| match c {
                    Constraint::References(parent, _) => Some((parent.clone(), f.name.clone())),
                    _ => None,
                })
            })
            .collect();
        for (parent, via) in fks {
            if rng.chance(50) {
                let child_name = entities[child].name.clone();
                if rng.chance(50) {
                    entities[child].relationships.push(Relationship {
                        phrase: "belongs to",
                        target: parent,
                        via,
                    });
                } else if let Some(p) = entities.iter_mut().find(|e| e.name == parent) {
                    p.relationships.push(Relationship {
                        phrase: if rng.chance(70) {
                            "has many"
                        } else {
                            "has one"
                        },
                        target: child_name,
                        via,
                    });
                }
            }
        }
    }
    for entity in &entities {
        let t = rng.below(2);
        tickets[t].entities.push(entity.clone());
    }
    for (t, ticket) in tickets.iter_mut().enumerate() {
        let n = rng.range(usize::from(t == 0), 3);
        for i in 0..n {
            let words = rng.range(4, 14);
            let mut text: Vec<String> =
                (0..words).map(|_| (*rng.pick(WORDS)).to_string()).collect();
            text.push(".".into());
            let sentence = text.join(" ");
            let lines = if rng.chance(35) {
                // A requirement wrapped onto a second line of its list item.
                let mid = sentence.len() / 2;
                let cut = sentence[..mid].rfind(' ').unwrap_or(mid);
                vec![sentence[..cut].to_string(), sentence[cut + 1..].to_string()]
            } else {
                vec![sentence]
            };
            ticket.requirements.push(Requirement {
                id: format!("FR-{:03}", i + 1),
                lines,
            });
        }
        let n = rng.range(0, 3);
        for _ in 0..n {
            let code = (*rng.pick(ERRORS)).to_string();
            if ticket.errors.iter().any(|e| e.code == code) {
                continue;
            }
            let status = *rng.pick(&[400u16, 404, 409, 410, 422, 429, 500, 503]);
            let message = if rng.chance(20) {
                "Not\tallowed here".to_string()
            } else {
                format!("The {} case", code.to_lowercase().replace('_', " "))
            };
            ticket.errors.push(ErrorCode {
                code,
                status,
                message,
            });
        }
    }
    // Error codes are unique across the domain's tickets (else they must agree).
    let first: Vec<String> = tickets[0].errors.iter().map(|e| e.code.clone()).collect();
    tickets[1].errors.retain(|e| !first.contains(&e.code));

    let mut op_names: Vec<String> = Vec::new();
    let domain_prefix = if rng.chance(30) {
        format!("/{}", name.replace('_', "-"))
    } else {
        String::new()
    };
    for entity in &entities {
        for kind in [
            Kind::Create,
            Kind::Get,
            Kind::List,
            Kind::Update,
            Kind::Delete,
        ] {
            if !rng.chance(60) {
                continue;
            }
            let t = rng.below(2);
            let op = kind_operation(
                rng,
                kind,
                entity,
                &entities,
                &tickets[t],
                &mut op_names,
                &domain_prefix,
                routes,
            );
            tickets[t].operations.push(op);
        }
    }
    let free = rng.range(0, 2);
    for _ in 0..free {
        let t = rng.below(2);
        let op = free_operation(
            rng,
            name,
            &entities,
            &tickets[t],
            &mut op_names,
            &domain_prefix,
            routes,
        );
        tickets[t].operations.push(op);
    }
    Domain {
        name: name.to_string(),
        tickets,
    }
}

/// Key types in their spellings; never `String`, which is also an entity name
/// here (an entity spelled exactly is that entity, not the type).
fn key_type(rng: &mut Rng) -> (Ty, &'static str) {
    match rng.below(6) {
        0 | 1 => (Ty::Uuid, "uuid"),
        2 => (Ty::I32, *rng.pick(&["i32", "int", "integer", "I32"])),
        3 => (Ty::I64, *rng.pick(&["i64", "bigint", "long"])),
        _ => (
            Ty::String,
            *rng.pick(&["string", "str", "varchar", "VARCHAR"]),
        ),
    }
}

fn entity(rng: &mut Rng, name: &str, earlier: &[Entity]) -> Entity {
    let snake_name = snake(name);
    let (key_ty, key_spelling) = key_type(rng);
    let key_name = match rng.below(4) {
        0 => format!("{snake_name}_id"),
        1 => "code".to_string(),
        _ => "id".to_string(),
    };
    let mut key_constraints = vec![Constraint::PrimaryKey(
        ["primary key", "pk", "primary"][rng.below(3)],
    )];
    if key_ty == Ty::String && rng.chance(50) {
        key_constraints.push(Constraint::Max(rng.pick(&["20", "36", "64"]).to_string()));
    }
    let mut fields = vec![Field {
        name: key_name.clone(),
        ty: key_ty,
        spelling: key_spelling.to_string(),
        required: true,
        question_mark: false,
        key: true,
        constraints: key_constraints,
        description: String::new(),
    }];
    // A foreign key to an earlier entity.
    if !earlier.is_empty() && rng.chance(50) {
        let parent = rng.pick(earlier);
        let fk = format!("{}_id", snake(&parent.name));
        let parent_key = &parent.fields[0];
        if !fields.iter().any(|f| f.name == fk) {
            let reference = if rng.chance(50) {
                Constraint::References(parent.name.clone(), None)
            } else {
                Constraint::References(parent.name.clone(), Some(parent_key.name.clone()))
            };
            fields.push(Field {
                name: fk,
                ty: parent_key.ty.clone(),
                spelling: parent_key.ty.canonical(),
                required: true,
                question_mark: false,
                key: false,
                constraints: vec![reference],
                description: "Owner".into(),
            });
        }
    }
    let n = rng.range(0, 6);
    for _ in 0..n {
        let field_name = (*rng.pick(FIELDS)).to_string();
        if fields
            .iter()
            .any(|f| f.name == field_name || snake(&f.name) == snake(&field_name))
            || field_name == format!("{snake_name}_id")
        {
            continue;
        }
        fields.push(field(rng, field_name, name, earlier));
    }
    Entity {
        name: name.to_string(),
        fields,
        relationships: Vec::new(),
        key_param: format!("{snake_name}_id"),
        plural: format!("{}s", snake_name.replace('_', "-")),
    }
}

fn scalar(rng: &mut Rng) -> (Ty, String) {
    let (ty, spellings): (Ty, &[&str]) = match rng.below(12) {
        0 => (Ty::String, &["string", "str", "varchar", "STRING"]),
        1 => (Ty::Text, &["text", "Text"]),
        2 => (Ty::Bool, &["bool", "boolean"]),
        3 => (Ty::I32, &["i32", "int", "integer"]),
        4 => (Ty::I64, &["i64", "bigint", "long"]),
        5 => (Ty::F64, &["f64", "float", "double"]),
        6 => (Ty::Decimal, &["decimal", "money"]),
        7 => (Ty::Uuid, &["uuid", "UUID"]),
        8 => (Ty::Date, &["date"]),
        9 => (Ty::DateTime, &["datetime", "timestamp"]),
        10 => (Ty::Json, &["json"]),
        _ => {
            let n = rng.range(1, 4);
            let mut values: Vec<String> = Vec::new();
            for _ in 0..n {
                let v = (*rng.pick(ENUM_VALUES)).to_string();
                if !values.iter().any(|x| x.eq_ignore_ascii_case(&v)) {
                    values.push(v);
                }
            }
            let ty = Ty::Enum(values);
            let spelling = ty.canonical();
            return (ty, spelling);
        }
    };
    let spelling = (*rng.pick(spellings)).to_string();
    (ty, spelling)
}

/// A field type: mostly scalars, sometimes a list or an embedded entity (itself included).
fn field_type(rng: &mut Rng, owner: &str, earlier: &[Entity]) -> (Ty, String) {
    match rng.below(10) {
        0 | 1 => {
            let (inner, spelling) = if rng.chance(25) {
                let target = if earlier.is_empty() || rng.chance(30) {
                    owner.to_string()
                } else {
                    rng.pick(earlier).name.clone()
                };
                (Ty::Entity(target.clone()), target)
            } else {
                scalar(rng)
            };
            let written = match rng.below(3) {
                0 if !matches!(inner, Ty::Enum(_)) => format!("{spelling}[]"),
                1 => format!("vec<{spelling}>"),
                _ => format!("list<{spelling}>"),
            };
            (Ty::List(Box::new(inner)), written)
        }
        2 if rng.chance(50) => {
            let target = if earlier.is_empty() || rng.chance(40) {
                owner.to_string()
            } else {
                rng.pick(earlier).name.clone()
            };
            (Ty::Entity(target.clone()), target)
        }
        _ => scalar(rng),
    }
}

fn bounds_for(rng: &mut Rng, ty: &Ty) -> Vec<Constraint> {
    let mut out = Vec::new();
    match ty {
        Ty::String | Ty::Text => {
            let lo = *rng.pick(&[0usize, 1, 2, 3]);
            let hi = *rng.pick(&[0usize, 5, 10, 64, 200]);
            if rng.chance(40) && lo <= hi {
                out.push(Constraint::Min(lo.to_string()));
            }
            if rng.chance(50) && hi >= lo {
                out.push(Constraint::Max(hi.to_string()));
            }
        }
        Ty::I32 => {
            let (lo, hi) = *rng.pick(&[
                ("0", "100"),
                ("1", "999"),
                ("-2147483648", "2147483647"),
                ("-5", "5"),
                ("10", "10"),
            ]);
            if rng.chance(60) {
                out.push(Constraint::Min(lo.into()));
            }
            if rng.chance(60) {
                out.push(Constraint::Max(hi.into()));
            }
        }
        Ty::I64 => {
            let (lo, hi) = *rng.pick(&[
                ("0", "1000000"),
                ("-9223372036854775808", "9223372036854775807"),
                ("1", "1"),
            ]);
            if rng.chance(60) {
                out.push(Constraint::Min(lo.into()));
            }
            if rng.chance(60) {
                out.push(Constraint::Max(hi.into()));
            }
        }
        Ty::F64 | Ty::Decimal => {
            let (lo, hi) = *rng.pick(&[("0", "99999.99"), ("0.1", "1000"), ("-1.5", "1.5")]);
            if rng.chance(50) {
                out.push(Constraint::Min(lo.into()));
            }
            if rng.chance(50) {
                out.push(Constraint::Max(hi.into()));
            }
        }
        Ty::List(_) => {
            if rng.chance(40) {
                out.push(Constraint::Min(rng.pick(&["0", "1", "2"]).to_string()));
            }
            if rng.chance(40) {
                out.push(Constraint::Max(rng.pick(&["3", "5", "10"]).to_string()));
            }
        }
        _ => {}
    }
    out
}

fn field(rng: &mut Rng, name: String, owner: &str, earlier: &[Entity]) -> Field {
    let (ty, spelling) = field_type(rng, owner, earlier);
    // An entity that must contain itself has no finite value (lint's embedding-cycle):
    // a self-embedding is optional, a required list of itself may be empty.
    let embeds_self = |t: &Ty| matches!(t, Ty::Entity(n) if n == owner);
    let required = rng.chance(60) && !embeds_self(&ty);
    let question_mark = !required && rng.chance(30);
    let mut constraints = bounds_for(rng, &ty);
    if matches!(&ty, Ty::List(item) if embeds_self(item)) && required {
        constraints.retain(|c| !matches!(c, Constraint::Min(n) if n != "0"));
    }
    if ty.is_text() && rng.chance(25) {
        let regex = (*rng.pick(PATTERNS)).to_string();
        // Bounds must leave room for the pattern's matches: keep only a generous max.
        constraints
            .retain(|c| matches!(c, Constraint::Max(n) if n.parse::<usize>().unwrap_or(0) >= 10));
        let anchored = regex.ends_with('$');
        let backticks = rng.chance(40);
        let pattern = Constraint::Pattern(regex, backticks);
        if (backticks || anchored) && rng.chance(50) {
            // Before the other constraints: in backticks, or ending in `$`.
            constraints.insert(0, pattern);
        } else {
            constraints.push(pattern);
        }
    }
    let scalar = !matches!(ty, Ty::List(_) | Ty::Entity(_) | Ty::Json);
    if scalar && rng.chance(20) {
        constraints.insert(
            0,
            rng.pick(&[Constraint::Unique, Constraint::Index]).clone(),
        );
    }
    if rng.chance(20) {
        let has_pattern = constraints
            .iter()
            .any(|c| matches!(c, Constraint::Pattern(..)));
        let default = match &ty {
            Ty::Bool => Some(rng.pick(&["true", "false"]).to_string()),
            Ty::Enum(values) => Some(rng.pick(values).clone()),
            Ty::Date | Ty::DateTime => Some("now".to_string()),
            Ty::I32 | Ty::I64 if constraints.is_empty() => Some("7".to_string()),
            Ty::String if !has_pattern && constraints.is_empty() => Some("draft".to_string()),
            _ => None,
        };
        if let Some(value) = default {
            constraints.push(Constraint::Default(value));
        }
    }
    let description = match rng.below(6) {
        0 => "Free\ttext with a tab".to_string(),
        1 => "What the user sees".to_string(),
        _ => String::new(),
    };
    Field {
        name,
        ty,
        spelling,
        required,
        question_mark,
        key: false,
        constraints,
        description,
    }
}

fn op_name(rng: &mut Rng, wanted: String, names: &mut Vec<String>) -> String {
    let mut name = if rng.chance(12) {
        (*rng.pick(OPERATIONS)).to_string()
    } else {
        wanted
    };
    while names.contains(&name) {
        name = format!("{name}{}", rng.below(10));
    }
    names.push(name.clone());
    name
}

fn rules_and_errors(rng: &mut Rng, ticket: &Ticket) -> (Vec<String>, Vec<String>) {
    let mut rules = Vec::new();
    for requirement in &ticket.requirements {
        if rng.chance(40) {
            rules.push(requirement.id.clone());
        }
    }
    let mut errors = Vec::new();
    for error in &ticket.errors {
        if rng.chance(40) {
            errors.push(error.code.clone());
        }
    }
    (rules, errors)
}

/// The foreign key to a parent, when the entity has one: nests its routes.
fn parent_of<'a>(entity: &Entity, entities: &'a [Entity]) -> Option<(&'a Entity, String)> {
    entity.fields.iter().find_map(|f| {
        f.constraints.iter().find_map(|c| match c {
            Constraint::References(parent, _) => entities
                .iter()
                .find(|e| &e.name == parent)
                .map(|p| (p, f.name.clone())),
            _ => None,
        })
    })
}

#[allow(clippy::too_many_arguments)]
fn kind_operation(
    rng: &mut Rng,
    kind: Kind,
    entity: &Entity,
    entities: &[Entity],
    ticket: &Ticket,
    names: &mut Vec<String>,
    prefix: &str,
    routes: &mut Routes,
) -> Operation {
    let verb = match kind {
        Kind::Create => "Create",
        Kind::Get => "Get",
        Kind::List => "List",
        Kind::Update => "Update",
        Kind::Delete => "Delete",
    };
    let suffix = if kind == Kind::List { "s" } else { "" };
    let name = op_name(rng, format!("{verb}{}{suffix}", entity.name), names);
    let mut inputs: Vec<Input> = Vec::new();
    let nested = parent_of(entity, entities).filter(|_| rng.chance(60));
    let mut path = prefix.to_string();
    if let Some((parent, fk)) = &nested {
        path.push_str(&format!("/{}/{{{fk}}}", parent.plural));
        inputs.push(Input::Field { name: fk.clone() });
    }
    path.push_str(&format!("/{}", entity.plural));
    let key = &entity.fields[0];
    let by_key = matches!(kind, Kind::Get | Kind::Update | Kind::Delete);
    if by_key {
        path.push_str(&format!("/{{{}}}", entity.key_param));
        inputs.push(if key.name == entity.key_param {
            Input::Field {
                name: key.name.clone(),
            }
        } else {
            Input::Key {
                entity: entity.name.clone(),
                name: entity.key_param.clone(),
            }
        });
    }
    let others: Vec<&Field> = entity
        .fields
        .iter()
        .filter(|f| !f.key && !inputs.iter().any(|i| i.name() == f.name))
        .collect();
    match kind {
        Kind::Create | Kind::Update | Kind::List => {
            for field in others {
                if rng.chance(55) {
                    inputs.push(Input::Field {
                        name: field.name.clone(),
                    });
                }
            }
        }
        _ => {}
    }
    if kind == Kind::List && rng.chance(40) && !inputs.iter().any(|i| i.name() == "limit") {
        inputs.push(Input::Declared {
            name: "limit".into(),
            ty: Ty::I32,
            optional: true,
        });
        let paging = *rng.pick(&["offset", "page", "skip"]);
        if !inputs.iter().any(|i| i.name() == paging) {
            inputs.push(Input::Declared {
                name: paging.into(),
                ty: Ty::I32,
                optional: true,
            });
        }
    }
    let output = match (kind, rng.chance(15)) {
        (_, true) => Output::None(["none", "-"][rng.below(2)]),
        (Kind::List, false) => Output::List(entity.name.clone()),
        _ => Output::Type(Ty::Entity(entity.name.clone())),
    };
    let (rules, errors) = rules_and_errors(rng, ticket);
    let mut endpoints = Vec::new();
    if rng.chance(90) {
        let methods: &[&'static str] = match kind {
            Kind::Create => &["POST"],
            Kind::Get | Kind::List => &["GET"],
            Kind::Update => &["PATCH", "PUT"],
            Kind::Delete => &["DELETE"],
        };
        let method = *rng.pick(methods);
        let status = if rng.chance(30) {
            Some(match kind {
                Kind::Create => 201,
                Kind::Delete if matches!(output, Output::None(_)) => 204,
                _ => 200,
            })
        } else {
            None
        };
        if routes.claim(method, &path) {
            endpoints.push(Endpoint {
                method,
                path: path.clone(),
                status,
            });
            if kind == Kind::Update && rng.chance(20) {
                let other = if method == "PUT" { "PATCH" } else { "PUT" };
                if routes.claim(other, &path) {
                    endpoints.push(Endpoint {
                        method: other,
                        path,
                        status,
                    });
                }
            }
        }
    }
    Operation {
        id: rng.chance(30).then(|| format!("OP-{:03}", names.len())),
        name,
        kind: Some((kind, entity.name.clone())),
        inputs,
        output,
        rules,
        errors,
        description: rng.chance(20).then(|| "Does what it says.".to_string()),
        endpoints,
        keys: if rng.chance(70) {
            KeyStyle::Bold
        } else {
            KeyStyle::Plain
        },
    }
}

fn free_operation(
    rng: &mut Rng,
    domain: &str,
    entities: &[Entity],
    ticket: &Ticket,
    names: &mut Vec<String>,
    prefix: &str,
    routes: &mut Routes,
) -> Operation {
    let verbs = [
        "Recalculate",
        "Archive",
        "Export",
        "Preview",
        "Send",
        "Approve",
    ];
    let verb = *rng.pick(&verbs);
    let name = op_name(rng, verb.to_string(), names);
    let mut inputs: Vec<Input> = Vec::new();
    let mut path = prefix.to_string();
    let on_entity = !entities.is_empty() && rng.chance(50);
    if on_entity {
        let entity = rng.pick(entities);
        path.push_str(&format!(
            "/{}/{{{}}}/{}",
            entity.plural,
            entity.key_param,
            snake(verb)
        ));
        inputs.push(Input::Key {
            entity: entity.name.clone(),
            name: entity.key_param.clone(),
        });
    } else if rng.chance(15) {
        // Four path parameters.
        path.push_str(&format!("/{}-tree", snake(&name).replace('_', "-")));
        for p in ["a", "b", "c", "d"] {
            path.push_str(&format!("/{p}s/{{{p}_key}}"));
            inputs.push(Input::Declared {
                name: format!("{p}_key"),
                ty: Ty::String,
                optional: false,
            });
        }
    } else {
        path.push_str(&format!(
            "/{}/{}",
            domain.replace('_', "-"),
            snake(&name).replace('_', "-")
        ));
    }
    let n = rng.range(0, 3);
    for _ in 0..n {
        let input_name = (*rng.pick(FIELDS)).to_string();
        if inputs.iter().any(|i| snake(i.name()) == snake(&input_name)) {
            continue;
        }
        // A field of exactly one entity (form 4), else declared (form 1).
        let owners = entities
            .iter()
            .filter(|e| e.fields.iter().any(|f| f.name == input_name))
            .count();
        let is_key_name = entities.iter().any(|e| e.key_param == input_name);
        if owners == 1 && rng.chance(50) && !is_key_name {
            inputs.push(Input::Field { name: input_name });
        } else if owners == 0 && !is_key_name {
            let (ty, _) = if rng.chance(10) {
                (Ty::List(Box::new(Ty::String)), String::new())
            } else {
                scalar(rng)
            };
            inputs.push(Input::Declared {
                name: input_name,
                ty,
                optional: rng.chance(40),
            });
        }
    }
    let output = match rng.below(7) {
        0 => Output::None("none"),
        1 => Output::None("-"),
        2 if !entities.is_empty() => Output::Type(Ty::Entity(rng.pick(entities).name.clone())),
        3 if !entities.is_empty() => Output::List(rng.pick(entities).name.clone()),
        4 => Output::Type(Ty::Enum(vec!["ok".into(), "failed".into()])),
        _ => Output::Type(scalar(rng).0),
    };
    let (rules, errors) = rules_and_errors(rng, ticket);
    let mut endpoints = Vec::new();
    if rng.chance(85) {
        let method = *rng.pick(&["GET", "POST", "PUT", "PATCH", "DELETE"]);
        let status = rng.chance(25).then(|| *rng.pick(&[200u16, 202]));
        if routes.claim(method, &path) {
            endpoints.push(Endpoint {
                method,
                path,
                status,
            });
        }
    }
    Operation {
        id: None,
        name,
        kind: None,
        inputs,
        output,
        rules,
        errors,
        description: rng.chance(30).then(|| "Team-written.".to_string()),
        endpoints,
        keys: KeyStyle::Bold,
    }
}
