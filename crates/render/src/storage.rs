//! Database names and SQL in the template context: constraint names for every
//! backend, and the statements of the PostgreSQL repositories.
//!
//! Every table, column and constraint name comes from the schema
//! `scaffold-schema` builds from the specs and the `[database]` mapping (the
//! same one `scaffold schema` prints), so a generated repository, the
//! in-memory one and the data engineer's schema name things alike. The SQL is
//! written here, whole, and printed by the pack as constants: reviewable, and
//! prepared once per connection by sqlx.

use std::collections::BTreeMap;

use scaffold_parser::Domain;
use scaffold_schema::names::ident;
use scaffold_schema::{Column, ConstraintKind, DomainSchema, Table};
use serde::Serialize;

use crate::blueprint::{Blueprint, StructRole, Ty, TypeName};
use crate::context::DomainContext;
use crate::dialect::Dialect;

/// The statements and row mapping of one entity's PostgreSQL repository.
#[derive(Debug, Serialize)]
pub struct SqlEntityContext {
    /// The table's name, as stored.
    pub table: String,
    /// One per field of the entity, in field order (the order of every
    /// statement's columns and placeholders).
    pub columns: Vec<SqlColumnContext>,
    /// The key is an identity column's: the insert leaves it out and reads it
    /// back, and `next_key` answers a placeholder.
    pub key_by_database: bool,
    /// A new key made without a round trip (a Rust expression: a v4 UUID, or
    /// the placeholder of `key_by_database`); empty when `next_key` asks the
    /// database.
    pub next_key_local: String,
    /// String literals of the statements (`next_key` only when it is asked).
    pub next_key: String,
    pub insert: String,
    pub get: String,
    /// `get` locking the row until the transaction ends (`modify`).
    pub get_for_update: String,
    pub list: String,
    pub update: String,
    pub delete: String,
    /// Expressions binding `filter`'s values, in placeholder order (then the window's).
    pub filter_binds: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct SqlColumnContext {
    /// The entity field's identifier.
    pub field_ident: String,
    pub column: String,
    /// Binds the field of `item`, moved out of it (an `impl Encode`).
    pub bind: String,
    /// Reads the field from `row` at its position (`?` for `sqlx::Error`).
    pub decode: String,
    /// Bound by the insert: all but an identity key, which the database assigns.
    pub in_insert: bool,
}

/// How a field's value travels: as it is, as JSON, or as an enum's text.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Codec {
    Plain,
    Json,
    Enum,
}

/// Takes constraint names from `schema` (the mapped names), and with
/// `postgres` the SQL of every entity's repository.
pub fn fill(
    context: &mut DomainContext,
    domain: &Domain,
    bp: &Blueprint,
    schema: &DomainSchema,
    dialect: &dyn Dialect,
    postgres: bool,
) {
    let scoped = dialect.scoped(bp);
    let dialect = scoped.as_deref().unwrap_or(dialect);
    context.postgres = postgres;
    if postgres {
        let sql = scaffold_schema::domain_sql(schema);
        // A raw string keeps the SQL readable in the generated file.
        context.schema_sql = if sql.contains("\"#") {
            dialect.string(&sql)
        } else {
            format!("r#\"\n{sql}\"#")
        };
    }
    let enum_types: Vec<&str> = schema.enums.iter().map(|e| e.name.as_str()).collect();
    for (entity, bp_entity) in context.entities.iter_mut().zip(&bp.entities) {
        let Some(table) = schema.tables.iter().find(|t| t.entity == bp_entity.name) else {
            continue;
        };
        let Some(spec_entity) = domain.entity(&bp_entity.name) else {
            continue;
        };
        // Columns are built one per field, in field order.
        let columns: BTreeMap<&str, &Column> = spec_entity
            .fields
            .iter()
            .map(|f| f.name.as_str())
            .zip(&table.columns)
            .collect();
        let constraint = |column: &str, suffix: &str| -> Option<String> {
            table
                .constraints
                .iter()
                .find(|c| {
                    let on = match &c.kind {
                        ConstraintKind::Unique(cols) | ConstraintKind::PrimaryKey(cols) => cols,
                        ConstraintKind::ForeignKey { columns, .. } => columns,
                        ConstraintKind::Check(_) => return false,
                    };
                    on.len() == 1 && on[0] == column && c.name.ends_with(suffix)
                })
                .map(|c| c.name.clone())
        };
        for unique in &mut entity.unique {
            if let Some(name) = columns
                .get(unique.name.as_str())
                .and_then(|c| constraint(&c.name, "_key"))
            {
                unique.constraint = name;
            }
        }
        for (reference, bp_reference) in entity.references.iter_mut().zip(&bp_entity.references) {
            if let Some(name) = columns
                .get(bp_reference.field.as_str())
                .and_then(|c| constraint(&c.name, "_fkey"))
            {
                reference.constraint = name;
            }
        }
        if let Some(key) = columns.get(bp_entity.key.as_str()) {
            if let Some(name) = constraint(&key.name, "_pkey") {
                entity.key_constraint = name;
            }
        }
        if postgres {
            entity.sql = sql_entity(
                bp,
                &bp_entity.name,
                &bp_entity.key,
                table,
                &columns,
                &enum_types,
                dialect,
            );
        }
    }
    // Referrers name the other entity's foreign key: take them from the references just named.
    let named: BTreeMap<(String, String), String> = context
        .entities
        .iter()
        .flat_map(|e| {
            e.references
                .iter()
                .map(move |r| ((e.accessor.clone(), r.ident.clone()), r.constraint.clone()))
        })
        .collect();
    for entity in &mut context.entities {
        for referrer in &mut entity.referrers {
            if let Some(name) = named.get(&(referrer.table.clone(), referrer.ident.clone())) {
                referrer.constraint = name.clone();
            }
        }
    }
}

fn sql_entity(
    bp: &Blueprint,
    entity: &str,
    key: &str,
    table: &Table,
    columns: &BTreeMap<&str, &Column>,
    enum_types: &[&str],
    dialect: &dyn Dialect,
) -> Option<SqlEntityContext> {
    let structure = bp.structs.iter().find(|s| {
        s.role == StructRole::Entity
            && matches!(&s.name, TypeName::Entity { name } if name == entity)
    })?;
    let key_column = *columns.get(key)?;
    let key_max = bp.entity(entity)?.key_max_length;
    let table_ident = ident(&table.name);
    let is_enum_type = |c: &Column| enum_types.contains(&c.ty.as_str());
    // A placeholder as the column's type: a bound value of another Rust type
    // (text for an enum type, a mapped `varchar(64)`) is converted by PostgreSQL.
    let cast = |c: &Column| {
        if is_enum_type(c) {
            ident(&c.ty).into_owned()
        } else {
            c.ty.clone()
        }
    };
    let select_expr = |c: &Column| {
        if is_enum_type(c) {
            format!("{}::text", ident(&c.name))
        } else {
            ident(&c.name).into_owned()
        }
    };
    let mut out = Vec::new();
    let mut fields = Vec::new();
    for (position, field) in structure.fields.iter().enumerate() {
        let column = *columns.get(field.name.as_str())?;
        let codec = codec(&field.ty, column);
        let field_ident = dialect.ident(&field.name);
        let access = format!("item.{field_ident}");
        let bind = match (codec, field.optional) {
            // `item` is the repository's own: its fields move into the query.
            (Codec::Plain, _) => access,
            (Codec::Json, false) => format!("Json({access})"),
            (Codec::Json, true) => format!("{access}.map(Json)"),
            (Codec::Enum, false) => format!("enum_text(&{access})"),
            (Codec::Enum, true) => format!("{access}.as_ref().map(enum_text)"),
        };
        let decode = match (codec, field.optional) {
            (Codec::Plain, _) => format!("row.try_get({position})?"),
            (Codec::Json, false) => format!("row.try_get::<Json<_>, _>({position})?.0"),
            (Codec::Json, true) => {
                format!("row.try_get::<Option<Json<_>>, _>({position})?.map(|json| json.0)")
            }
            (Codec::Enum, false) => format!("enum_value(row.try_get({position})?)?"),
            (Codec::Enum, true) => format!(
                "row.try_get::<Option<String>, _>({position})?.map(enum_value).transpose()?"
            ),
        };
        out.push(SqlColumnContext {
            field_ident,
            column: column.name.clone(),
            bind,
            decode,
            in_insert: !(key_column.identity && column.name == key_column.name),
        });
        fields.push(column);
    }
    let select: Vec<String> = fields.iter().map(|c| select_expr(c)).collect();
    let select = select.join(", ");
    let placeholder = |i: usize, c: &Column| format!("${}::{}", i + 1, cast(c));
    let key_position = fields.iter().position(|c| c.name == key_column.name)?;
    let key_name = ident(&key_column.name);
    let key_placeholder = placeholder(key_position, key_column);
    // An identity key is the database's: the insert leaves it out and reads it
    // back, so a create is one round trip.
    let inserted: Vec<&Column> = fields
        .iter()
        .zip(&out)
        .filter(|(_, column)| column.in_insert)
        .map(|(c, _)| *c)
        .collect();
    // A table of an identity key alone takes no value: `DEFAULT VALUES`.
    let insert = if inserted.is_empty() {
        format!("INSERT INTO {table_ident} DEFAULT VALUES RETURNING {select}")
    } else {
        format!(
            "INSERT INTO {table_ident} ({}) VALUES ({}) RETURNING {select}",
            inserted
                .iter()
                .map(|c| ident(&c.name).into_owned())
                .collect::<Vec<_>>()
                .join(", "),
            inserted
                .iter()
                .enumerate()
                .map(|(i, c)| placeholder(i, c))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let sets: Vec<String> = fields
        .iter()
        .enumerate()
        .filter(|(_, c)| c.name != key_column.name)
        .map(|(i, c)| format!("{} = {}", ident(&c.name), placeholder(i, c)))
        .collect();
    let sets = if sets.is_empty() {
        format!("{key_name} = {key_placeholder}")
    } else {
        sets.join(", ")
    };
    let update = format!(
        "UPDATE {table_ident} SET {sets} WHERE {key_name} = {key_placeholder} RETURNING {select}"
    );
    let key_cast = cast(key_column);
    let get = format!("SELECT {select} FROM {table_ident} WHERE {key_name} = $1::{key_cast}");
    let delete = format!("DELETE FROM {table_ident} WHERE {key_name} = $1::{key_cast}");
    // Filters: `$n IS NULL` selects by nothing, so one statement serves every filter.
    let mut conditions = Vec::new();
    let mut filter_binds = Vec::new();
    let bp_entity = bp.entity(entity)?;
    for (n, filter) in bp_entity.filters.iter().enumerate() {
        let column = *columns.get(filter.field.as_str())?;
        let p = n + 1;
        let name = ident(&column.name);
        let filter_ident = if filter.contains {
            dialect.ident(&format!(
                "{}_contains",
                scaffold_parser::case::snake(&filter.field)
            ))
        } else {
            dialect.ident(&filter.field)
        };
        let value = format!("filter.{filter_ident}");
        let item_codec = codec(&filter.ty, column);
        let json = column.ty == "jsonb" || column.ty == "json";
        let (condition, bind) = if filter.contains && json {
            (
                format!("(${p}::jsonb IS NULL OR {name} @> ${p}::jsonb)"),
                format!("{value}.map(|wanted| Json([wanted]))"),
            )
        } else if filter.contains {
            let element = column.ty.strip_suffix("[]").unwrap_or(&column.ty);
            (
                format!("(${p}::{element} IS NULL OR ${p}::{element} = ANY({name}))"),
                value,
            )
        } else {
            let bind = match item_codec {
                Codec::Plain => value,
                Codec::Json => format!("{value}.map(Json)"),
                Codec::Enum => format!("{value}.as_ref().map(enum_text)"),
            };
            let ty = cast(column);
            (format!("(${p}::{ty} IS NULL OR {name} = ${p}::{ty})"), bind)
        };
        conditions.push(condition);
        filter_binds.push(bind);
    }
    let limit = filter_binds.len() + 1;
    let filter = if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    };
    let list = format!(
        "SELECT {select} FROM {table_ident}{filter} ORDER BY {key_name} LIMIT ${limit} OFFSET ${}",
        limit + 1
    );
    let next_key_local = next_key_local(key_column, key_max);
    Some(SqlEntityContext {
        table: table.name.clone(),
        columns: out,
        key_by_database: key_column.identity,
        next_key: if next_key_local.is_empty() {
            dialect.string(&next_key(table, key_column, &key_cast, key_max))
        } else {
            String::new()
        },
        next_key_local,
        insert: dialect.string(&insert),
        get_for_update: dialect.string(&format!("{get} FOR UPDATE")),
        get: dialect.string(&get),
        list: dialect.string(&list),
        update: dialect.string(&update),
        delete: dialect.string(&delete),
        filter_binds,
    })
}

/// How a field of type `ty` stored in `column` is bound and read.
fn codec(ty: &Ty, column: &Column) -> Codec {
    if column.ty == "jsonb" || column.ty == "json" {
        return Codec::Json;
    }
    match ty {
        Ty::Enum { .. } => Codec::Enum,
        // A struct in a column of a mapped, non-JSON type: still JSON on the wire.
        Ty::Struct { .. } | Ty::Json => Codec::Json,
        _ => Codec::Plain,
    }
}

/// A new key without asking the database, where that is the same key: a v4
/// UUID for `uuid` keys whose default is `gen_random_uuid()` (or none), its hex
/// digits for text keys, a placeholder for an identity (the insert leaves the
/// key out). Empty when the database must be asked (a mapped default, a number
/// without identity).
fn next_key_local(key: &Column, max_length: Option<i64>) -> String {
    let random_default = key
        .default
        .as_deref()
        .is_none_or(|d| d.trim() == "gen_random_uuid()");
    if key.identity {
        // Never stored: `INSERT` leaves an identity key to the database.
        return "Default::default()".to_string();
    }
    match key.ty.as_str() {
        "uuid" if random_default => "uuid::Uuid::new_v4()".to_string(),
        "text" if key.default.is_none() => match max_length.filter(|max| *max < 32) {
            Some(max) => format!("uuid::Uuid::new_v4().simple().to_string()[..{max}].to_string()"),
            None => "uuid::Uuid::new_v4().simple().to_string()".to_string(),
        },
        _ => String::new(),
    }
}

/// The database makes new keys where none is made here (`next_key_local`):
/// the column's default, else a fresh UUID as text or the next number.
fn next_key(table: &Table, key: &Column, cast: &str, max_length: Option<i64>) -> String {
    let table_ident = ident(&table.name);
    if let Some(default) = &key.default {
        return format!("SELECT ({default})::{cast}");
    }
    let numeric = matches!(
        key.ty.as_str(),
        "integer" | "bigint" | "smallint" | "numeric"
    );
    if numeric {
        format!(
            "SELECT (coalesce(max({}), 0) + 1)::{cast} FROM {table_ident}",
            ident(&key.name)
        )
    } else if key.ty == "uuid" {
        format!("SELECT gen_random_uuid()::{cast}")
    } else {
        let text = match max_length.filter(|max| *max < 36) {
            Some(max) => format!("left(replace(gen_random_uuid()::text, '-', ''), {max})"),
            None => "gen_random_uuid()::text".to_string(),
        };
        match cast {
            "text" => format!("SELECT {text}"),
            _ => format!("SELECT {text}::{cast}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use scaffold_parser::{Source, parse};

    use crate::{Pack, render_database};

    /// crates/schema's mapped fixture: renamed tables and columns, enum types,
    /// `text[]` and `varchar(80)`.
    fn mapped() -> (scaffold_parser::Project, scaffold_schema::DatabaseConfig) {
        let spec = include_str!("../../schema/test_data/ok/mapped.md");
        let parsed = parse(&[Source::new(
            "specs/MAP-3/spec.md".to_string(),
            spec.to_string(),
        )]);
        assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
        #[derive(serde::Deserialize)]
        struct File {
            database: scaffold_schema::DatabaseConfig,
        }
        let file: File =
            toml::from_str(include_str!("../../schema/test_data/ok/mapped.toml")).expect("toml");
        (parsed.project, file.database)
    }

    fn file<'a>(files: &'a [crate::RenderedFile], path: &str) -> &'a str {
        &files
            .iter()
            .find(|f| f.path == path)
            .unwrap_or_else(|| panic!("{path} not rendered"))
            .contents
    }

    #[test]
    fn statements_and_constraint_names_follow_the_mapping() {
        let (project, database) = mapped();
        let pack = Pack::embedded("rust-axum").expect("pack");
        let files =
            render_database(&project, &pack, &|_, _| None, None, &database).expect("render");
        let postgres = file(&files, "billing/postgres.rs");
        for expected in [
            "INSERT INTO legacy_invoice (id, state, kind, total, labels, memo) VALUES ($1::uuid, $2::invoice_state, $3::invoice_kind, $4::bigint, $5::text[], $6::character varying(80)) RETURNING id, state::text, kind::text, total, labels, memo",
            // The identity key is the database's: left out, read back.
            "INSERT INTO invoice_items (invoice, state) VALUES ($1::uuid, $2::invoice_state) RETURNING id, invoice, state::text",
            "DELETE FROM invoice_items WHERE id = $1::bigint",
        ] {
            assert!(postgres.contains(expected), "{expected}\n{postgres}");
        }
        // The in-memory repositories report the mapped names too.
        let memory = file(&files, "billing/repository.rs");
        assert!(
            memory.contains("\"invoice_items_invoice_fkey\""),
            "{memory}"
        );
        assert!(memory.contains("\"legacy_invoice_pkey\""), "{memory}");
        assert!(file(&files, "mod.rs").contains("pub fn router_with_pool"));

        // Without the engine: the same names, no PostgreSQL files.
        let memory_only = scaffold_schema::DatabaseConfig {
            engine: None,
            ..database
        };
        let files =
            render_database(&project, &pack, &|_, _| None, None, &memory_only).expect("render");
        assert!(!files.iter().any(|f| f.path.contains("postgres")));
        assert!(file(&files, "billing/repository.rs").contains("\"invoice_items_invoice_fkey\""));
        assert!(!file(&files, "mod.rs").contains("router_with_pool"));
    }

    #[test]
    fn sqlx_gets_the_type_features_the_specs_use() {
        let (project, database) = mapped();
        let pack = Pack::embedded("rust-axum").expect("pack");
        let (deps, _) = crate::dependencies_with(&project, &pack, &database);
        let sqlx = deps.iter().find(|d| d.starts_with("sqlx")).expect("sqlx");
        assert!(
            sqlx.contains("\"runtime-tokio\", \"postgres\", \"json\", \"uuid\"]"),
            "{sqlx}"
        );
        let (deps, _) = crate::dependencies(&project, &pack);
        assert!(!deps.iter().any(|d| d.starts_with("sqlx")), "{deps:?}");
    }
}
