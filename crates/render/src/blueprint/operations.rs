//! Entities and operations: what each operation takes, returns and, for kind
//! operations, does (the plan of a create, get, list, update or delete).

use serde::Serialize;

use scaffold_parser::{
    self as parser, Field, Input, InputSource, Type, case, lookup_field, lookup_input,
};

use super::samples;
use super::structs::{Builder, RuleKind, Struct, StructRole};
use super::{KeyType, Ty, TypeName, Value};

pub use parser::Verb;

/// An entity and its storage.
#[derive(Debug, Clone, Serialize)]
pub struct Entity {
    /// As written in the spec.
    pub name: String,
    /// The repository accessor's name before spelling (`orders` for `Order`).
    pub collection: String,
    /// The primary key's field.
    pub key: String,
    pub key_ty: Ty,
    pub key_type: KeyType,
    /// A text key's `max` length: fresh keys are that many hex digits of a UUID
    /// (in every stack and storage), never a key its own item refuses.
    pub key_max_length: Option<i64>,
    /// Fields other than the key whose values no two items may share (`unique`).
    pub unique: Vec<UniqueField>,
    /// The fields its lists and lookups select by: the repository's `list` takes
    /// one optional value per field, so storage can filter (a `WHERE`).
    pub filters: Vec<FilterField>,
    /// Fields holding the key of another entity of the domain: storage refuses a
    /// value no item has, and the deletion of an item still referred to.
    pub references: Vec<Reference>,
    /// Has-many children some create stores with an item of this entity: its
    /// repository stores them together, in one transaction.
    pub children: Vec<ChildTable>,
}

/// Children stored with their root (an order's lines).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChildTable {
    pub entity: String,
    /// The child's field holding the root's key.
    pub via: String,
}

/// A field the repository's `list` can select by.
#[derive(Debug, Clone, Serialize)]
pub struct FilterField {
    pub field: String,
    /// The type of the value selected by: the field's, or its item's for `contains`.
    pub ty: Ty,
    /// The field may be absent (an absent value never matches).
    pub optional: bool,
    /// The field is a list, selected when it contains the value.
    pub contains: bool,
}

/// A field referring to another entity's key (a foreign key).
#[derive(Debug, Clone, Serialize)]
pub struct Reference {
    pub field: String,
    /// The entity referred to.
    pub entity: String,
    pub optional: bool,
}

/// A `unique` field, enforced by storage (a database's unique index).
#[derive(Debug, Clone, Serialize)]
pub struct UniqueField {
    pub name: String,
    /// Absent values (`None`) never clash, as `NULL` in SQL.
    pub optional: bool,
}

/// A parameter of an operation besides its input struct.
#[derive(Debug, Clone, Serialize)]
pub struct Param {
    pub name: String,
    pub ty: Ty,
}

/// An operation of the service.
#[derive(Debug, Clone, Serialize)]
pub struct Operation {
    /// As written in the spec (PascalCase by convention).
    pub name: String,
    /// The requirement id (`OP-3`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Documentation lines: name, description, rules, errors, lookup (blank lines between parts).
    pub doc: Vec<String>,
    /// Served by a protected endpoint: the operation takes the caller first.
    pub caller: bool,
    /// The input that selects the item (get, update, delete), passed on its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<Param>,
    /// The struct of every other input, when there are any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<TypeName>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<Ty>,
    /// Whether some endpoint serves it.
    pub routed: bool,
    /// The ids of the rules it must enforce: a kind operation with rules calls an
    /// owned hook before it acts, and its success paths are tested in owned code.
    pub rules: Vec<String>,
    /// What it does; `Plan::Free` answers "not implemented" until written.
    pub plan: Plan,
}

impl Operation {
    pub fn is_free(&self) -> bool {
        matches!(self.plan, Plan::Free)
    }

    /// A kind operation whose rules are written by hand in an owned hook.
    pub fn has_rule_hook(&self) -> bool {
        !self.is_free() && !self.rules.is_empty()
    }
}

/// The implementation of an operation.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "verb", rename_all = "snake_case")]
pub enum Plan {
    /// Written by hand.
    Free,
    /// Build the item from the input (validated), defaults and a fresh key; validate; insert.
    Create {
        entity: String,
        validates_input: bool,
        /// Every field of the entity, in order, with where its value comes from.
        values: Vec<Assignment>,
        /// Parents named in the path (`/orders/{order_id}/notes`): they must exist.
        parents: Vec<Parent>,
        /// Has-many children given in the input (an order's `lines`): stored after
        /// the root, each with a fresh key and the root's key in `via`.
        children: Vec<Child>,
        returns: bool,
    },
    /// Look the item up (404 if absent), check the inputs it must match.
    Get {
        entity: String,
        validates_input: bool,
        lookup: Lookup,
        matches: Vec<Match>,
        returns: bool,
    },
    /// Every item passing the filters, then paged.
    List {
        entity: String,
        validates_input: bool,
        filters: Vec<Filter>,
        paging: Vec<(Paging, String)>,
        /// Served a page at a time (`limit`/`offset` of the request, `{items, next}`
        /// answered): a list of the entity whose spec declares no paging inputs.
        paged: bool,
        returns: bool,
    },
    /// Look the item up, assign the inputs given, validate, store.
    Update {
        entity: String,
        validates_input: bool,
        lookup: Lookup,
        /// Optional input -> field.
        assignments: Vec<Match>,
        returns: bool,
    },
    /// Look the item up (when it must be returned or matched) and delete it.
    Delete {
        entity: String,
        validates_input: bool,
        lookup: Lookup,
        matches: Vec<Match>,
        returns: bool,
    },
}

/// How a get, update or delete finds its item.
#[derive(Debug, Clone, Serialize)]
pub struct Lookup {
    /// The input carrying the key (or the unique value).
    pub input: String,
    /// A `unique` field looked up among the listed items, when it is not the key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by_field: Option<String>,
    /// The error code answered when nothing is found (the operation's 404 error),
    /// `None` for the built-in not-found error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_found: Option<String>,
}

/// Children a create stores with its root.
#[derive(Debug, Clone, Serialize)]
pub struct Child {
    /// The input holding them (a list of the child entity).
    pub input: String,
    /// Their entity and the field holding the root's key.
    #[serde(flatten)]
    pub table: ChildTable,
}

/// A parent a create's path names: 404 when it does not exist.
#[derive(Debug, Clone, Serialize)]
pub struct Parent {
    /// The input carrying the parent's key.
    pub input: String,
    /// The parent entity.
    pub entity: String,
    /// The operation's 404 error code, `None` for the built-in not-found error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_found: Option<String>,
}

/// A field of the item to create and where its value comes from.
#[derive(Debug, Clone, Serialize)]
pub struct Assignment {
    pub field: String,
    pub from: ValueFrom,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "from", rename_all = "snake_case")]
pub enum ValueFrom {
    /// The input of this name.
    Input { name: String },
    /// A fresh key from the repository.
    NextKey,
    /// A default, a zero, or nothing (`Value::None`).
    Value { value: Value },
    /// A required field the input does not give and the spec has no default for:
    /// the service computes it in an owned hook (ORD-142's `total_cents`), which
    /// starts out answering `zero`.
    Hook { zero: Value },
}

/// An input paired with a field of the item (a check, or an assignment).
#[derive(Debug, Clone, Serialize)]
pub struct Match {
    pub input: String,
    pub field: String,
    pub field_required: bool,
    pub input_required: bool,
}

/// A list filter: items whose field equals (or, for a list field, contains) the input.
#[derive(Debug, Clone, Serialize)]
pub struct Filter {
    pub input: String,
    pub field: String,
    pub field_required: bool,
    /// The field is a list the item must contain the input in.
    pub contains: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Paging {
    Offset,
    /// A page number from 1, with `Limit` items a page.
    Page,
    Limit,
}

/// The entity's blueprint; `relations` (the domain's, from the schema's rule)
/// say which of its fields are foreign keys and which a `has one` makes unique.
pub(super) fn entity(
    b: &mut Builder<'_>,
    relations: &scaffold_schema::Relations,
    entity: &parser::Entity,
) -> Entity {
    let fields: Vec<(&Field, TypeName, bool)> = entity
        .fields
        .iter()
        .map(|f| (f, b.declare_enum(&entity.name, f), false))
        .collect();
    let name = TypeName::Entity {
        name: entity.name.clone(),
    };
    b.push_struct(
        name.clone(),
        StructRole::Entity,
        format!("Entity `{}`.", entity.name),
        fields,
    );
    let key = key(entity);
    let key_max_length = b
        .structs
        .iter()
        .rev()
        .find(|st| st.name == name)
        .and_then(|st| {
            st.rules.iter().find_map(|r| match (&r.kind, &r.bound) {
                (RuleKind::MaxLength, Value::Int { value }) if r.field == key.name => Some(*value),
                _ => None,
            })
        });
    Entity {
        name: entity.name.clone(),
        key_max_length,
        collection: super::collection(&entity.name),
        key: key.name.clone(),
        key_ty: Ty::of(&key.ty, &name),
        key_type: key_type(&key.ty),
        // What the schema request links and makes unique (a `has one`'s field,
        // a `has many`'s foreign key without `references`): storage refuses it.
        unique: entity
            .fields
            .iter()
            .filter(|f| {
                (f.unique
                    || relations
                        .one_to_one
                        .contains(&(entity.name.clone(), f.name.clone())))
                    && f.name != key.name
            })
            .map(|f| UniqueField {
                name: f.name.clone(),
                optional: !f.required,
            })
            .collect(),
        filters: Vec::new(),
        references: entity
            .fields
            .iter()
            .filter_map(|f| {
                let (target, target_field) = relations
                    .links
                    .get(&(entity.name.clone(), f.name.clone()))?;
                let other = b.domain.entity(target)?;
                // The schema links only fields typed like what they refer to.
                (self::key(other).name == *target_field && !matches!(f.ty, Type::List(_))).then(
                    || Reference {
                        field: f.name.clone(),
                        entity: other.name.clone(),
                        optional: !f.required,
                    },
                )
            })
            .collect(),
        children: Vec::new(),
    }
}

/// Fills each entity's `children` from the creates storing children with it, in
/// the order the operations first name them.
pub(super) fn collect_children(entities: &mut [Entity], operations: &[Operation]) {
    for op in operations {
        let Plan::Create {
            entity, children, ..
        } = &op.plan
        else {
            continue;
        };
        let Some(root) = entities.iter_mut().find(|e| e.name == *entity) else {
            continue;
        };
        for child in children {
            if !root.children.contains(&child.table) {
                root.children.push(child.table.clone());
            }
        }
    }
}

/// Fills each entity's `filters` from what its operations select by: list
/// filters, lookups by a unique field, and the root key of has-many children.
pub(super) fn collect_filters(
    entities: &mut [Entity],
    operations: &[Operation],
    structs: &[Struct],
) {
    let mut wanted: Vec<(String, String, bool)> = Vec::new();
    for op in operations {
        match &op.plan {
            Plan::List {
                entity, filters, ..
            } => {
                wanted.extend(
                    filters
                        .iter()
                        .map(|f| (entity.clone(), f.field.clone(), f.contains)),
                );
            }
            Plan::Get { entity, lookup, .. }
            | Plan::Update { entity, lookup, .. }
            | Plan::Delete { entity, lookup, .. } => {
                wanted.extend(
                    lookup
                        .by_field
                        .iter()
                        .map(|f| (entity.clone(), f.clone(), false)),
                );
            }
            Plan::Create { children, .. } => {
                wanted.extend(
                    children
                        .iter()
                        .map(|c| (c.table.entity.clone(), c.table.via.clone(), false)),
                );
            }
            Plan::Free => {}
        }
    }
    for entity in entities {
        let Some(st) = structs
            .iter()
            .find(|s| matches!(&s.name, TypeName::Entity { name } if *name == entity.name))
        else {
            continue;
        };
        // In field order, so the filter's shape does not depend on operation order.
        for field in &st.fields {
            for contains in [false, true] {
                if !wanted
                    .iter()
                    .any(|(e, f, c)| *e == entity.name && *f == field.name && *c == contains)
                {
                    continue;
                }
                let ty = match (&field.ty, contains) {
                    (Ty::List { item }, true) => (**item).clone(),
                    (ty, _) => ty.clone(),
                };
                entity.filters.push(FilterField {
                    field: field.name.clone(),
                    ty,
                    optional: field.optional,
                    contains,
                });
            }
        }
    }
}

pub(super) fn key_type(ty: &Type) -> KeyType {
    match ty {
        Type::Uuid => KeyType::Uuid,
        Type::String => KeyType::Text,
        _ => KeyType::Int,
    }
}

/// Stands in for the key of an entity that has none; the parser refuses such models first.
static NO_KEY: Field = Field::key(String::new(), Type::Uuid);

pub(super) fn key(entity: &parser::Entity) -> &Field {
    entity.primary_key().unwrap_or(&NO_KEY)
}

/// The input a get, update or delete selects its item by.
pub(super) fn id_input<'o>(b: &Builder<'_>, op: &'o parser::Operation) -> Option<&'o Input> {
    let kind = op.kind.as_ref().filter(|k| k.verb.takes_id())?;
    lookup_input(&op.inputs, &kind.entity, b.domain)
}

/// Whether inputs other than the key are optional (list filters, partial updates).
pub(super) fn forces_optional(op: &parser::Operation) -> bool {
    matches!(
        op.kind.as_ref().map(|k| k.verb),
        Some(Verb::List | Verb::Update)
    )
}

/// Whether an operation is served by a protected endpoint: it then takes the caller.
pub(super) fn takes_caller(b: &Builder<'_>, op: &parser::Operation) -> bool {
    b.domain
        .endpoints
        .iter()
        .any(|e| e.operation == op.name && e.shape.secured)
}

pub(super) fn operation(b: &mut Builder<'_>, op: &parser::Operation) -> Operation {
    let id_input = id_input(b, op).cloned();
    let caller = takes_caller(b, op);
    let key = id_input.as_ref().map(|id| {
        let (field, enum_name) = b.input_field(op, id);
        Param {
            name: id.name.clone(),
            ty: Ty::of(&field.ty, &enum_name),
        }
    });
    let rest: Vec<&Input> = op
        .inputs
        .iter()
        .filter(|i| Some(&i.name) != id_input.as_ref().map(|x| &x.name))
        .collect();
    let input = (!rest.is_empty()).then(|| {
        let name = TypeName::Input {
            operation: op.name.clone(),
        };
        b.push_input_struct(
            op,
            name.clone(),
            StructRole::Input,
            format!("Input of `{}`.", op.name),
            &rest,
            forces_optional(op),
        );
        name
    });
    let output = op.output.as_ref().map(|ty| {
        Ty::of(
            ty,
            &TypeName::Output {
                operation: op.name.clone(),
            },
        )
    });
    // An `enum(...)` output is a type of its own (`ApproveOutput`), declared once.
    let mut output_item = op.output.as_ref();
    while let Some(Type::List(item)) = output_item {
        output_item = Some(item);
    }
    if let Some(Type::Enum(variants)) = output_item {
        let name = TypeName::Output {
            operation: op.name.clone(),
        };
        if !b.enums.iter().any(|e| e.name == name) {
            b.enums.push(super::structs::Enum {
                name,
                variants: variants.clone(),
                default: variants.first().cloned().unwrap_or_default(),
            });
        }
    }
    let mut doc = Vec::new();
    doc.push(match &op.id {
        Some(id) => format!("{id} {}.", op.name),
        None => format!("{}.", op.name),
    });
    if !op.description.is_empty() {
        doc.push(String::new());
        doc.push(op.description.clone());
    }
    if !op.rules.is_empty() {
        doc.push(String::new());
        doc.push("Rules it must enforce:".into());
        for rule in &op.rules {
            doc.push(format!("- {}: {}", rule.id, rule.text));
        }
    }
    if !op.errors.is_empty() {
        doc.push(String::new());
        doc.push(format!(
            "Errors: {}.",
            op.errors
                .iter()
                .map(|e| format!("`{e}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if let (Some(kind), Some(id)) = (&op.kind, &id_input) {
        if let Some(field) = lookup_field(id, &kind.entity, b.domain) {
            doc.push(String::new());
            doc.push(format!(
                "Looks the `{}` up by its unique `{}` among the listed items: a repository with an index on it can do better.",
                kind.entity, field.name
            ));
        }
    }
    let plan = match &op.kind {
        None => Plan::Free,
        Some(kind) => plan(b, op, kind, id_input.as_ref(), !rest.is_empty()),
    };
    Operation {
        name: op.name.clone(),
        id: op.id.clone(),
        doc,
        caller,
        key,
        input,
        output,
        routed: b.domain.endpoints.iter().any(|e| e.operation == op.name),
        rules: op.rules.iter().map(|r| r.id.clone()).collect(),
        plan,
    }
}

fn plan(
    b: &mut Builder<'_>,
    op: &parser::Operation,
    kind: &parser::Kind,
    id: Option<&Input>,
    validates_input: bool,
) -> Plan {
    let Some(entity) = b.domain.entity(&kind.entity) else {
        return Plan::Free;
    };
    let returns = op.output.is_some();
    let not_found = op
        .errors
        .iter()
        .filter_map(|code| b.domain.error(code))
        .find(|e| e.http == 404)
        .map(|e| e.code.clone());
    // Looked up by a `unique` field rather than the key: found among the items.
    let by_field = id.and_then(|i| lookup_field(i, &entity.name, b.domain));
    let lookup = Lookup {
        input: id.map(|i| i.name.clone()).unwrap_or_default(),
        by_field: by_field.map(|f| f.name.clone()),
        not_found,
    };
    let key_name = &key(entity).name;
    // Inputs that are fields of the operation's own entity (not its key), by field name.
    let own: Vec<(&Input, &Field)> = op
        .inputs
        .iter()
        .filter(|i| by_field.is_none() || i.name != lookup.input)
        .filter_map(|i| match &i.source {
            InputSource::Field { entity: e, field } if *e == entity.name && key_name != field => {
                Some((i, entity.field(field)?))
            }
            _ => None,
        })
        .collect();
    let matches: Vec<Match> = own
        .iter()
        .map(|(input, field)| Match {
            input: input.name.clone(),
            field: field.name.clone(),
            field_required: field.required,
            input_required: input.required,
        })
        .collect();
    let entity_name = entity.name.clone();
    match kind.verb {
        Verb::Create => {
            let values = entity
                .fields
                .iter()
                .map(|field| {
                    let enum_name = TypeName::Enum {
                        owner: entity.name.clone(),
                        field: field.name.clone(),
                    };
                    let from_input = op.inputs.iter().find(|i| matches!(&i.source, InputSource::Field { entity: e, field: f } if *e == entity.name && *f == field.name));
                    let from = if let Some(input) = from_input {
                        ValueFrom::Input {
                            name: input.name.clone(),
                        }
                    } else if field.name == *key_name {
                        ValueFrom::NextKey
                    } else if let Some(default) = samples::default_value(field, &enum_name) {
                        ValueFrom::Value {
                            value: if field.required {
                                default
                            } else {
                                default.some()
                            },
                        }
                    } else if !field.required {
                        ValueFrom::Value { value: Value::None }
                    } else if matches!(field.ty, Type::DateTime | Type::Date) {
                        // A creation time or day: now is what the spec means.
                        ValueFrom::Value {
                            value: samples::zero(field, &enum_name, b.domain),
                        }
                    } else {
                        ValueFrom::Hook {
                            zero: samples::zero(field, &enum_name, b.domain),
                        }
                    };
                    Assignment {
                        field: field.name.clone(),
                        from,
                    }
                })
                .collect();
            let parents = path_parents(b.domain, op)
                .into_iter()
                .map(|(input, parent)| Parent {
                    input: input.name.clone(),
                    entity: parent.name.clone(),
                    not_found: lookup.not_found.clone(),
                })
                .collect();
            let children = op
                .inputs
                .iter()
                .filter_map(|i| {
                    let Type::List(item) = &i.ty else {
                        return None;
                    };
                    let Type::Entity(child) = &**item else {
                        return None;
                    };
                    let via = entity.relationships.iter().find(|r| {
                        r.kind == parser::RelationshipKind::HasMany && r.target == *child
                    })?;
                    Some(Child {
                        input: i.name.clone(),
                        table: ChildTable {
                            entity: child.clone(),
                            via: via.via.clone(),
                        },
                    })
                })
                .collect();
            Plan::Create {
                entity: entity_name,
                validates_input,
                values,
                parents,
                children,
                returns,
            }
        }
        Verb::Get => Plan::Get {
            entity: entity_name,
            validates_input,
            lookup,
            matches,
            returns,
        },
        Verb::List => {
            let mut filters: Vec<Filter> = own
                .iter()
                .map(|(input, field)| Filter {
                    input: input.name.clone(),
                    field: field.name.clone(),
                    field_required: field.required,
                    contains: false,
                })
                .collect();
            filters.extend(op.inputs.iter().filter_map(|input| {
                let field = list_filter_field(entity, input)?;
                Some(Filter {
                    input: input.name.clone(),
                    field: field.name.clone(),
                    field_required: field.required,
                    contains: true,
                })
            }));
            Plan::List {
                entity: entity_name,
                validates_input,
                filters,
                paging: paging_inputs(op)
                    .into_iter()
                    .map(|(role, input)| (role, input.name.clone()))
                    .collect(),
                paged: super::endpoints::paged(op),
                returns,
            }
        }
        Verb::Update => Plan::Update {
            entity: entity_name,
            validates_input,
            lookup,
            assignments: matches,
            returns,
        },
        Verb::Delete => Plan::Delete {
            entity: entity_name,
            validates_input,
            lookup,
            matches,
            returns,
        },
    }
}

/// The parents a create's path names: required inputs in the path that are the
/// created entity's references to another entity's key (`/orders/{order_id}/notes`).
pub(super) fn path_parents<'d, 'o>(
    domain: &'d parser::Domain,
    op: &'o parser::Operation,
) -> Vec<(&'o Input, &'d parser::Entity)> {
    let Some(kind) = op.kind.as_ref().filter(|k| k.verb == Verb::Create) else {
        return Vec::new();
    };
    op.inputs
        .iter()
        .filter(|i| i.required)
        .filter(|i| {
            domain
                .endpoints
                .iter()
                .any(|e| e.operation == op.name && e.path_params.contains(&i.name))
        })
        .filter_map(|i| {
            let InputSource::Field { entity: e, field } = &i.source else {
                return None;
            };
            let target = domain.entity(e)?.field(field)?.references.as_ref()?;
            let parent = domain.entity(&target.entity)?;
            (*e == kind.entity && key(parent).name == target.field).then_some((i, parent))
        })
        .collect()
}

/// The paging inputs of a list (`offset`/`skip` or `page`, then `limit`/`per_page`/`page_size`),
/// integers declared in the spec or the contract.
pub(super) fn paging_inputs(op: &parser::Operation) -> Vec<(Paging, &Input)> {
    if op.kind.as_ref().is_none_or(|k| k.verb != Verb::List) {
        return Vec::new();
    }
    let find = |names: &[&str]| {
        op.inputs.iter().find(|i| {
            matches!(i.source, InputSource::Declared)
                && matches!(i.ty, Type::I32 | Type::I64)
                && names.contains(&case::snake(&i.name).as_str())
        })
    };
    let mut out = Vec::new();
    if let Some(input) = find(&["offset", "skip"]) {
        out.push((Paging::Offset, input));
    } else if let Some(input) = find(&["page", "page_number", "page_no"]) {
        out.push((Paging::Page, input));
    }
    if let Some(input) = find(&["limit", "per_page", "page_size", "take", "size"]) {
        out.push((Paging::Limit, input));
    }
    out
}

/// A list field of the entity that a declared input of a list filters on by
/// containment: `tag` for `tags` or `tag_list`/`tagList`, of the item's type.
pub(super) fn list_filter_field<'e>(
    entity: &'e parser::Entity,
    input: &Input,
) -> Option<&'e Field> {
    if !matches!(input.source, InputSource::Declared) {
        return None;
    }
    let wanted = case::snake(&input.name);
    entity.fields.iter().find(|f| {
        let Type::List(item) = &f.ty else {
            return false;
        };
        let field = case::snake(&f.name);
        **item == input.ty
            && (field == case::plural(&wanted)
                || field == format!("{wanted}_list")
                || field == format!("{wanted}s"))
    })
}
