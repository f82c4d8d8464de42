//! The PostgreSQL schema a scaffold model implies: the DDL of a schema
//! request for the data engineer, what changed since the last request, and
//! what a live database lacks.
//!
//! Everything but [`live`] is pure: a [`Project`](scaffold_parser::Project)
//! and the `[database]` mapping in, a [`Schema`] out, printed by [`to_sql`]
//! and read back by [`parse_sql`]; [`diff`] compares two of them and
//! [`compare`] one with a [`Catalog`] that [`live::read_catalog`] reads.

mod build;
mod diff;
mod drift;
#[cfg(feature = "live")]
pub mod live;
mod mapping;
mod model;
pub mod names;
mod sql;
pub mod types;

pub use build::{Relations, build, relations};
pub use diff::{Change, diff};
pub use drift::{Catalog, CatalogIndex, CatalogTable, Drift, Problem, compare};
pub use mapping::{DatabaseConfig, EnumStorage, MappingError};
pub use model::*;
pub use sql::{HEADER, SqlError, domain_sql, parse as parse_sql, to_sql};
