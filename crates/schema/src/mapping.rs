//! `[database]` in scaffold.toml: the engine of the generated repositories and
//! how spec names map onto an existing schema.

use std::collections::BTreeMap;

use serde::Deserialize;

/// `[database]`; every table and key is optional.
///
/// ```toml
/// [database]
/// engine = "postgres"        # generate PostgreSQL repositories too
/// enums = "text"             # or "type": every enum a PostgreSQL enum type
/// [database.tables]
/// Order = "shop_orders"      # or "orders.Order" for one domain's entity
/// [database.columns]
/// "Order.total_cents" = "total"
/// [database.enum-types]
/// "Order.status" = "order_status"
/// [database.types]
/// "Product.tags" = "text[]"
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default, rename_all = "kebab-case")]
pub struct DatabaseConfig {
    /// `postgres`: `scaffold generate` also writes PostgreSQL repositories.
    pub engine: Option<String>,
    /// How enums are stored unless `enum-types` names one.
    pub enums: EnumStorage,
    /// Entity (`Order` or `orders.Order`) to table name.
    pub tables: BTreeMap<String, String>,
    /// Field (`Order.total_cents` or `orders.Order.total_cents`) to column name.
    pub columns: BTreeMap<String, String>,
    /// Enum field to the PostgreSQL enum type that stores it.
    pub enum_types: BTreeMap<String, String>,
    /// Field to a column type of your own (`text[]`, `varchar(64)`); no
    /// CHECK is generated for a mapped type.
    pub types: BTreeMap<String, String>,
}

/// How an enum field is stored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EnumStorage {
    /// `text` with `CHECK (status IN (...))`: adding a variant is a constraint change.
    #[default]
    Text,
    /// A PostgreSQL enum type named `<entity>_<field>` (`order_status`).
    Type,
}

/// A `[database]` setting that does not fit the specs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MappingError {
    #[error("scaffold.toml: [database.{section}] `{key}` names no {what} of the specs")]
    Unknown {
        section: &'static str,
        key: String,
        what: &'static str,
    },
    #[error("scaffold.toml: [database.enum-types] `{key}` is not an enum field")]
    NotAnEnum { key: String },
    #[error(
        "scaffold.toml: [database.{section}] `{key} = {value:?}` is not a name PostgreSQL can use"
    )]
    BadName {
        section: &'static str,
        key: String,
        value: String,
    },
    #[error("scaffold.toml: [database] engine = {0:?} is not supported")]
    Engine(String),
    #[error("table `{table}` would store both `{first}` and `{second}`")]
    TableClash {
        table: String,
        first: String,
        second: String,
    },
    #[error("column `{table}.{column}` would store both `{first}` and `{second}`")]
    ColumnClash {
        table: String,
        column: String,
        first: String,
        second: String,
    },
    #[error("enum type `{name}` would hold both ({first}) and ({second})")]
    EnumClash {
        name: String,
        first: String,
        second: String,
    },
}

impl MappingError {
    pub fn hint(&self) -> &'static str {
        match self {
            MappingError::Unknown { .. } => {
                "keys are `Entity` (or `domain.Entity`) for tables and `Entity.field` (or `domain.Entity.field`) for the others, spelled as in the specs"
            }
            MappingError::NotAnEnum { .. } => {
                "only `enum(...)` fields can be stored as a PostgreSQL enum type; use [database.types] for other types"
            }
            MappingError::BadName { .. } => {
                "use a name of at most 63 bytes without quotes or dots, such as `shop_orders`"
            }
            MappingError::Engine(_) => "the only engine is \"postgres\"",
            MappingError::TableClash { .. } | MappingError::ColumnClash { .. } => {
                "map one of them to another name in [database.tables] or [database.columns] of scaffold.toml"
            }
            MappingError::EnumClash { .. } => {
                "name one of the enum types differently in [database.enum-types] of scaffold.toml"
            }
        }
    }
}

impl DatabaseConfig {
    /// The generated repositories are PostgreSQL ones (`engine = "postgres"`).
    pub fn is_postgres(&self) -> bool {
        self.engine.as_deref() == Some("postgres")
    }

    /// The mapped value for `domain.key` or `key`, the domain-qualified one first.
    pub(crate) fn lookup<'a>(
        map: &'a BTreeMap<String, String>,
        domain: &str,
        key: &str,
    ) -> Option<&'a String> {
        map.get(&format!("{domain}.{key}")).or_else(|| map.get(key))
    }
}
