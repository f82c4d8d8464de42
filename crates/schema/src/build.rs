//! The spec model to a [`Schema`]: names, types, constraints and indexes. Pure.

use std::collections::{BTreeMap, BTreeSet};

use scaffold_parser::{Domain, Entity, Field, Project, RelationshipKind, Type};

use crate::mapping::{DatabaseConfig, EnumStorage, MappingError};
use crate::model::{
    Column, Constraint, ConstraintKind, DomainSchema, EnumType, Index, Schema, Table,
};
use crate::names::{self, ident, literal, object_name};
use crate::types;

/// The schema of every domain of `project`, named and typed as `config` says.
pub fn build(project: &Project, config: &DatabaseConfig) -> Result<Schema, MappingError> {
    if let Some(engine) = config.engine.as_deref().filter(|e| *e != "postgres") {
        return Err(MappingError::Engine(engine.to_string()));
    }
    validate_keys(project, config)?;
    let shared = shared_tables(project, config);
    let mut schema = Schema::default();
    let mut tables_seen: BTreeMap<String, String> = BTreeMap::new();
    let mut enums_seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for domain in &project.domains {
        let naming = Naming {
            config,
            domain,
            shared: &shared,
        };
        for entity in &domain.entities {
            let table = naming.table(&entity.name)?;
            let owner = format!("{}.{}", domain.name, entity.name);
            if let Some(first) = tables_seen.insert(table.clone(), owner.clone()) {
                return Err(MappingError::TableClash {
                    table,
                    first,
                    second: owner,
                });
            }
        }
        schema
            .domains
            .push(build_domain(domain, &naming, &mut enums_seen)?);
    }
    Ok(schema)
}

/// Default table names that entities of two or more domains would take
/// (each domain may have its `Iterator`): every one of those entities not
/// mapped in `[database.tables]` gets its domain as a prefix
/// (`class_iterators`, `routes_iterators`), so one database schema holds them all.
fn shared_tables(project: &Project, config: &DatabaseConfig) -> BTreeSet<String> {
    let mut domains_by_table: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for domain in &project.domains {
        for entity in &domain.entities {
            if DatabaseConfig::lookup(&config.tables, &domain.name, &entity.name).is_none() {
                domains_by_table
                    .entry(names::default_table(&entity.name))
                    .or_default()
                    .insert(&domain.name);
            }
        }
    }
    domains_by_table
        .into_iter()
        .filter(|(_, domains)| domains.len() > 1)
        .map(|(table, _)| table)
        .collect()
}

/// Table and column names of one domain, mapped or default.
struct Naming<'a> {
    config: &'a DatabaseConfig,
    domain: &'a Domain,
    /// Default table names other domains take too (`shared_tables`).
    shared: &'a BTreeSet<String>,
}

impl Naming<'_> {
    fn table(&self, entity: &str) -> Result<String, MappingError> {
        match DatabaseConfig::lookup(&self.config.tables, &self.domain.name, entity) {
            Some(name) => checked_name("tables", entity, name),
            None => {
                let table = names::default_table(entity);
                if self.shared.contains(&table) {
                    Ok(object_name(&[
                        &names::default_column(&self.domain.name),
                        &table,
                    ]))
                } else {
                    Ok(table)
                }
            }
        }
    }

    fn column(&self, entity: &str, field: &str) -> Result<String, MappingError> {
        let key = format!("{entity}.{field}");
        match DatabaseConfig::lookup(&self.config.columns, &self.domain.name, &key) {
            Some(name) => checked_name("columns", &key, name),
            None => Ok(names::default_column(field)),
        }
    }

    fn mapped_type(&self, entity: &str, field: &str) -> Option<String> {
        DatabaseConfig::lookup(
            &self.config.types,
            &self.domain.name,
            &format!("{entity}.{field}"),
        )
        .map(|t| types::normalize(t))
    }

    /// The enum type that stores an enum field, if it is stored as one.
    fn enum_type(&self, entity: &str, field: &Field) -> Result<Option<String>, MappingError> {
        let key = format!("{entity}.{}", field.name);
        if let Some(name) = DatabaseConfig::lookup(&self.config.enum_types, &self.domain.name, &key)
        {
            return checked_name("enum-types", &key, name).map(Some);
        }
        Ok((self.config.enums == EnumStorage::Type).then(|| {
            object_name(&[
                &scaffold_parser::case::snake(entity),
                &names::default_column(&field.name),
            ])
        }))
    }
}

fn checked_name(section: &'static str, key: &str, value: &str) -> Result<String, MappingError> {
    let ok = !value.is_empty()
        && value.len() <= names::MAX_IDENTIFIER
        && !value.starts_with(|c: char| c.is_ascii_digit())
        && value.chars().all(|c| c.is_alphanumeric() || c == '_');
    if ok {
        Ok(value.to_string())
    } else {
        Err(MappingError::BadName {
            section,
            key: key.to_string(),
            value: value.to_string(),
        })
    }
}

/// Every key of `[database.*]` must name an entity or field: a typo would
/// otherwise silently keep the default name.
fn validate_keys(project: &Project, config: &DatabaseConfig) -> Result<(), MappingError> {
    let mut entities = BTreeSet::new();
    let mut fields: BTreeMap<String, &Field> = BTreeMap::new();
    for domain in &project.domains {
        for entity in &domain.entities {
            entities.insert(entity.name.clone());
            entities.insert(format!("{}.{}", domain.name, entity.name));
            for field in &entity.fields {
                fields.insert(format!("{}.{}", entity.name, field.name), field);
                fields.insert(
                    format!("{}.{}.{}", domain.name, entity.name, field.name),
                    field,
                );
            }
        }
    }
    if let Some(key) = config.tables.keys().find(|k| !entities.contains(*k)) {
        return Err(MappingError::Unknown {
            section: "tables",
            key: key.clone(),
            what: "entity",
        });
    }
    for (section, map) in [
        ("columns", &config.columns),
        ("enum-types", &config.enum_types),
        ("types", &config.types),
    ] {
        if let Some(key) = map.keys().find(|k| !fields.contains_key(*k)) {
            return Err(MappingError::Unknown {
                section,
                key: key.clone(),
                what: "field",
            });
        }
    }
    if let Some(key) = config.enum_types.keys().find(|k| {
        !fields
            .get(*k)
            .is_some_and(|f| matches!(f.ty, Type::Enum(_)))
    }) {
        return Err(MappingError::NotAnEnum { key: key.clone() });
    }
    Ok(())
}

/// A foreign key before it is placed: column -> (entity, field) it references.
type Links = BTreeMap<(String, String), (String, String)>;

/// What a domain's tables link: every foreign key, as `(entity, field)` ->
/// the `(entity, field)` it references, and the `(entity, field)` pairs a
/// `has one` makes unique. One rule for the schema request and for the
/// storage code that must refuse what the database refuses.
#[derive(Debug, Default)]
pub struct Relations {
    pub links: Links,
    pub one_to_one: BTreeSet<(String, String)>,
}

/// The domain's [`Relations`].
pub fn relations(domain: &Domain) -> Relations {
    let (links, one_to_one) = links(domain);
    Relations { links, one_to_one }
}

fn build_domain(
    domain: &Domain,
    naming: &Naming<'_>,
    enums_seen: &mut BTreeMap<String, Vec<String>>,
) -> Result<DomainSchema, MappingError> {
    let (links, one_to_one) = links(domain);
    let mut out = DomainSchema {
        name: domain.name.clone(),
        specs: domain.specs.iter().map(|s| s.path.clone()).collect(),
        ..DomainSchema::default()
    };
    let mut tables = Vec::new();
    for entity in &domain.entities {
        tables.push(build_table(
            entity,
            naming,
            &links,
            &one_to_one,
            enums_seen,
            &mut out.enums,
        )?);
    }
    out.tables = order(domain, tables, &links);
    Ok(out)
}

/// Foreign keys from `references` first, then from relationships (`has
/// many X via f` is a key on X.f); and the (entity, field) pairs a `has one`
/// makes unique.
fn links(domain: &Domain) -> (Links, BTreeSet<(String, String)>) {
    let mut links = Links::new();
    let mut one_to_one = BTreeSet::new();
    for entity in &domain.entities {
        for field in &entity.fields {
            if let Some(target) = &field.references {
                // A key of another type cannot be referred to (PostgreSQL
                // refuses the constraint); `scaffold lint` warns of it.
                if domain
                    .entity(&target.entity)
                    .and_then(|t| t.field(&target.field))
                    .is_some_and(|key| key.ty == field.ty)
                {
                    links.insert(
                        (entity.name.clone(), field.name.clone()),
                        (target.entity.clone(), target.field.clone()),
                    );
                }
            }
        }
    }
    for entity in &domain.entities {
        for relationship in &entity.relationships {
            let Some(target) = domain.entity(&relationship.target) else {
                continue;
            };
            let (child, parent) = match relationship.kind {
                RelationshipKind::BelongsTo => (entity, target),
                RelationshipKind::HasMany | RelationshipKind::HasOne => (target, entity),
            };
            let (Some(via), Some(key)) = (child.field(&relationship.via), parent.primary_key())
            else {
                continue;
            };
            if via.ty != key.ty {
                continue;
            }
            links
                .entry((child.name.clone(), relationship.via.clone()))
                .or_insert_with(|| (parent.name.clone(), key.name.clone()));
            if relationship.kind == RelationshipKind::HasOne {
                one_to_one.insert((child.name.clone(), relationship.via.clone()));
            }
        }
    }
    (links, one_to_one)
}

fn build_table(
    entity: &Entity,
    naming: &Naming<'_>,
    links: &Links,
    one_to_one: &BTreeSet<(String, String)>,
    enums_seen: &mut BTreeMap<String, Vec<String>>,
    enums: &mut Vec<EnumType>,
) -> Result<Table, MappingError> {
    let name = naming.table(&entity.name)?;
    let mut table = Table {
        name: name.clone(),
        entity: entity.name.clone(),
        ..Table::default()
    };
    let mut uniques = Vec::new();
    let mut foreign = Vec::new();
    let mut checks = Vec::new();
    let mut columns_seen: BTreeMap<String, String> = BTreeMap::new();
    for field in &entity.fields {
        let column = naming.column(&entity.name, &field.name)?;
        if let Some(first) = columns_seen.insert(column.clone(), field.name.clone()) {
            return Err(MappingError::ColumnClash {
                table: name,
                column,
                first,
                second: field.name.clone(),
            });
        }
        let mapped = naming.mapped_type(&entity.name, &field.name);
        let enum_type = match (&field.ty, &mapped) {
            (Type::Enum(variants), None) => match naming.enum_type(&entity.name, field)? {
                Some(type_name) => {
                    match enums_seen.get(&type_name) {
                        Some(known) if known != variants => {
                            return Err(MappingError::EnumClash {
                                name: type_name,
                                first: known.join(", "),
                                second: variants.join(", "),
                            });
                        }
                        Some(_) => {}
                        None => {
                            enums_seen.insert(type_name.clone(), variants.clone());
                            enums.push(EnumType {
                                name: type_name.clone(),
                                variants: variants.clone(),
                            });
                        }
                    }
                    Some(type_name)
                }
                None => None,
            },
            _ => None,
        };
        let ty = match (&mapped, &enum_type) {
            (Some(mapped), _) => mapped.clone(),
            (None, Some(type_name)) => type_name.clone(),
            (None, None) => types::column_type(&field.ty).to_string(),
        };
        let identity = field.primary_key
            && field.default.is_none()
            && mapped.is_none()
            && matches!(field.ty, Type::I32 | Type::I64);
        let default = match &field.default {
            Some(value) => default_sql(&field.ty, value),
            None if field.primary_key && field.ty == Type::Uuid && mapped.is_none() => {
                Some("gen_random_uuid()".to_string())
            }
            None => None,
        };
        table.columns.push(Column {
            name: column.clone(),
            ty: ty.clone(),
            not_null: field.required || field.primary_key,
            default,
            identity,
        });
        if field.primary_key {
            table.constraints.push(Constraint {
                name: object_name(&[&name, "pkey"]),
                kind: ConstraintKind::PrimaryKey(vec![column.clone()]),
                deferred: false,
            });
        } else if field.unique || one_to_one.contains(&(entity.name.clone(), field.name.clone())) {
            uniques.push(Constraint {
                name: object_name(&[&name, &column, "key"]),
                kind: ConstraintKind::Unique(vec![column.clone()]),
                deferred: false,
            });
        } else if field.index {
            table.indexes.push(Index {
                name: object_name(&[&name, &column, "idx"]),
                columns: vec![column.clone()],
            });
        }
        if let Some((target, target_field)) = links.get(&(entity.name.clone(), field.name.clone()))
        {
            foreign.push(Constraint {
                name: object_name(&[&name, &column, "fkey"]),
                kind: ConstraintKind::ForeignKey {
                    columns: vec![column.clone()],
                    table: naming.table(target)?,
                    references: vec![naming.column(target, target_field)?],
                },
                deferred: false,
            });
        }
        if mapped.is_none() {
            if let Some(pattern) = field.pattern.as_deref().filter(|p| !portable(p)) {
                table.notes.push(format!(
                    "{column}: pattern {} is checked by the service only (it uses what PostgreSQL regular expressions lack)",
                    literal(pattern)
                ));
            }
            if let Some(check) = check(field, &ident(&column), enum_type.is_some()) {
                checks.push(Constraint {
                    name: object_name(&[&name, &column, "check"]),
                    kind: ConstraintKind::Check(check),
                    deferred: false,
                });
            }
        }
    }
    table.constraints.extend(uniques);
    table.constraints.extend(foreign);
    table.constraints.extend(checks);
    Ok(table)
}

/// The conditions the spec puts on a field, as one CHECK expression.
fn check(field: &Field, column: &str, enum_type: bool) -> Option<String> {
    let mut parts = Vec::new();
    match &field.ty {
        Type::Enum(variants) if !enum_type => {
            let values: Vec<String> = variants.iter().map(|v| literal(v)).collect();
            parts.push(format!("{column} IN ({})", values.join(", ")));
        }
        ty if ty.is_numeric() => {
            if let Some(min) = field.min {
                parts.push(format!("{column} >= {}", number(min)));
            }
            if let Some(max) = field.max {
                parts.push(format!("{column} <= {}", number(max)));
            }
        }
        ty if ty.is_text() => {
            if let Some(min) = field.min {
                parts.push(format!("char_length({column}) >= {}", number(min)));
            }
            if let Some(max) = field.max {
                parts.push(format!("char_length({column}) <= {}", number(max)));
            }
            if let Some(pattern) = field.pattern.as_deref().filter(|p| portable(p)) {
                parts.push(format!("{column} ~ {}", literal(pattern)));
            }
        }
        Type::List(_) => {
            if let Some(min) = field.min {
                parts.push(format!("jsonb_array_length({column}) >= {}", number(min)));
            }
            if let Some(max) = field.max {
                parts.push(format!("jsonb_array_length({column}) <= {}", number(max)));
            }
        }
        _ => {}
    }
    (!parts.is_empty()).then(|| parts.join(" AND "))
}

/// Whether a pattern (Rust `regex` syntax) means the same to PostgreSQL's
/// `~`. Conservative: Unicode classes (`\p{L}`), named groups, `\A`/`\z`,
/// `\b` (a backspace in PostgreSQL, which spells word boundaries `\y`),
/// `\x{...}`, quoting and flags after the start are left to the service.
fn portable(pattern: &str) -> bool {
    const UNPORTABLE: &[&str] = &[
        "\\p", "\\P", "(?P<", "(?<", "\\A", "\\z", "\\b", "\\B", "\\x{", "\\Q", "\\E",
    ];
    !UNPORTABLE.iter().any(|u| pattern.contains(u))
        && pattern.match_indices("(?").all(|(at, _)| at == 0)
}

/// `1` for 1.0, `0.01` as it is.
fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

/// A spec default as an SQL expression; `None` where the spec's default
/// cannot be one (the parser already warned about those).
fn default_sql(ty: &Type, value: &str) -> Option<String> {
    let now = value.eq_ignore_ascii_case("now");
    match ty {
        Type::Date if now => Some("CURRENT_DATE".into()),
        Type::DateTime if now => Some("now()".into()),
        Type::Time if now => Some("LOCALTIME".into()),
        Type::Bool => match value.to_ascii_lowercase().as_str() {
            "true" | "false" => Some(value.to_ascii_lowercase()),
            _ => None,
        },
        ty if ty.is_numeric() => value.parse::<f64>().is_ok().then(|| value.to_string()),
        Type::String
        | Type::Text
        | Type::Uuid
        | Type::Enum(_)
        | Type::Date
        | Type::DateTime
        | Type::Time => Some(literal(value)),
        _ => None,
    }
}

/// Tables after the tables they reference (depth first, spec order
/// otherwise); a key that still points forward (a cycle) is added after
/// every table.
fn order(domain: &Domain, tables: Vec<Table>, links: &Links) -> Vec<Table> {
    let index: BTreeMap<&str, usize> = domain
        .entities
        .iter()
        .enumerate()
        .map(|(i, e)| (e.name.as_str(), i))
        .collect();
    let mut targets: Vec<Vec<usize>> = vec![Vec::new(); tables.len()];
    for ((entity, _), (target, _)) in links {
        if let (Some(&from), Some(&to)) = (index.get(entity.as_str()), index.get(target.as_str())) {
            if from != to && !targets[from].contains(&to) {
                targets[from].push(to);
            }
        }
    }
    let mut state = vec![0u8; tables.len()];
    let mut sequence = Vec::new();
    fn visit(at: usize, targets: &[Vec<usize>], state: &mut [u8], sequence: &mut Vec<usize>) {
        if state[at] != 0 {
            return;
        }
        state[at] = 1;
        for &to in &targets[at] {
            visit(to, targets, state, sequence);
        }
        state[at] = 2;
        sequence.push(at);
    }
    for at in 0..tables.len() {
        visit(at, &targets, &mut state, &mut sequence);
    }
    let mut slots: Vec<Option<Table>> = tables.into_iter().map(Some).collect();
    let mut ordered: Vec<Table> = sequence
        .into_iter()
        .filter_map(|i| slots[i].take())
        .collect();
    let position: BTreeMap<String, usize> = ordered
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.clone(), i))
        .collect();
    for (at, table) in ordered.iter_mut().enumerate() {
        for constraint in &mut table.constraints {
            if let ConstraintKind::ForeignKey { table: target, .. } = &constraint.kind {
                constraint.deferred = position.get(target).is_some_and(|&to| to > at);
            }
        }
        // Late keys are printed after every table: keep them last, as they read back.
        table.constraints.sort_by_key(|c| c.deferred);
    }
    ordered
}
