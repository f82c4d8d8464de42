//! Reads the catalog of a live PostgreSQL database for the drift check: the
//! only IO in this crate, kept apart from the pure schema work.
//!
//! The `postgres` crate is the synchronous client of the maintained
//! rust-postgres project (a thin blocking layer over tokio-postgres): the CLI
//! is synchronous and runs five queries, so an async runtime of its own or
//! sqlx's compile-time machinery would be weight without use.

use std::str::FromStr as _;
use std::time::Duration;

use postgres::config::Host;
use postgres::{Client, NoTls};

use crate::drift::{Catalog, CatalogIndex};

/// The database could not be used.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    #[error("`{url}` is not a PostgreSQL connection URL: {message}")]
    Url { url: String, message: String },
    #[error("cannot connect to {target}: {source}")]
    Connect {
        target: String,
        #[source]
        source: postgres::Error,
    },
    #[error("cannot read the catalog of {target}: {source}")]
    Query {
        target: String,
        #[source]
        source: postgres::Error,
    },
}

/// How long a connection attempt may take when the URL does not say
/// (`connect_timeout=`): an unreachable host must not hang a CI step.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Connects to `url` (`postgres://user:password@host:port/db` or the
/// `key=value` form) without TLS and reads the tables, columns, indexes,
/// foreign keys and enum types of the connection's current schema (the
/// first of its `search_path`, `public` by default).
pub fn read_catalog(url: &str) -> Result<Catalog, LiveError> {
    let mut config = postgres::Config::from_str(url).map_err(|e| LiveError::Url {
        url: redacted(url),
        message: e.to_string(),
    })?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    let target = describe(&config);
    let mut client = config.connect(NoTls).map_err(|source| LiveError::Connect {
        target: target.clone(),
        source,
    })?;
    read(&mut client).map_err(|source| LiveError::Query { target, source })
}

/// `postgres://app@localhost:5432/shop` without the password, for messages.
fn describe(config: &postgres::Config) -> String {
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .map(|host| match host {
            Host::Tcp(host) => host.clone(),
            Host::Unix(path) => path.display().to_string(),
        })
        .collect();
    let host = if hosts.is_empty() {
        "localhost".to_string()
    } else {
        hosts.join(",")
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let user = config.get_user().unwrap_or("");
    let at = if user.is_empty() { "" } else { "@" };
    format!(
        "postgres://{user}{at}{host}:{port}/{}",
        config.get_dbname().unwrap_or("")
    )
}

/// The URL with any password replaced by `***`.
pub fn redacted(url: &str) -> String {
    if let Some((scheme, rest)) = url.split_once("://") {
        if let Some((credentials, host)) = rest.split_once('@') {
            if let Some((user, _)) = credentials.split_once(':') {
                return format!("{scheme}://{user}:***@{host}");
            }
        }
        return url.to_string();
    }
    url.split_whitespace()
        .map(|part| {
            if part.starts_with("password=") {
                "password=***"
            } else {
                part
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

const COLUMNS: &str = "SELECT c.relname::text, a.attname::text, format_type(a.atttypid, a.atttypmod), a.attnotnull,
  a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> ''
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY c.relname, a.attnum";

const INDEXES: &str = "SELECT c.relname::text, i.indisunique, i.indisprimary,
  ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
        ORDER BY k.ord)
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = current_schema() AND i.indpred IS NULL
ORDER BY c.relname, i.indexrelid";

const FOREIGN_KEYS: &str = "SELECT c.relname::text, f.relname::text,
  ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY AS u(attnum, ord)
        JOIN pg_catalog.pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum ORDER BY u.ord),
  ARRAY(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY AS u(attnum, ord)
        JOIN pg_catalog.pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.attnum ORDER BY u.ord)
FROM pg_catalog.pg_constraint k
JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
JOIN pg_catalog.pg_class f ON f.oid = k.confrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE k.contype = 'f' AND n.nspname = current_schema()
ORDER BY c.relname, k.conname";

const ENUMS: &str = "SELECT t.typname::text, e.enumlabel::text
FROM pg_catalog.pg_type t JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid
WHERE pg_catalog.pg_type_is_visible(t.oid)
ORDER BY t.typname, e.enumsortorder";

fn read(client: &mut Client) -> Result<Catalog, postgres::Error> {
    let mut catalog = Catalog::default();
    for row in client.query(COLUMNS, &[])? {
        let table: String = row.try_get(0)?;
        let column: String = row.try_get(1)?;
        let entry = catalog.tables.entry(table).or_default();
        if row.try_get::<_, bool>(4)? {
            entry.defaults.insert(column.clone());
        }
        entry
            .columns
            .insert(column, (row.try_get(2)?, row.try_get(3)?));
    }
    for row in client.query(INDEXES, &[])? {
        let table: String = row.try_get(0)?;
        if let Some(entry) = catalog.tables.get_mut(&table) {
            entry.indexes.push(CatalogIndex {
                unique: row.try_get(1)?,
                primary: row.try_get(2)?,
                columns: row.try_get(3)?,
            });
        }
    }
    for row in client.query(FOREIGN_KEYS, &[])? {
        let table: String = row.try_get(0)?;
        if let Some(entry) = catalog.tables.get_mut(&table) {
            entry
                .foreign_keys
                .push((row.try_get(2)?, row.try_get(1)?, row.try_get(3)?));
        }
    }
    for row in client.query(ENUMS, &[])? {
        let name: String = row.try_get(0)?;
        catalog.enums.entry(name).or_default().push(row.try_get(1)?);
    }
    Ok(catalog)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_a_message() {
        assert_eq!(
            redacted("postgres://app:secret@db:5432/shop"),
            "postgres://app:***@db:5432/shop"
        );
        assert_eq!(
            redacted("host=db password=secret user=app"),
            "host=db password=*** user=app"
        );
        let config =
            postgres::Config::from_str("postgres://app:secret@db:6543/shop").unwrap_or_default();
        assert_eq!(describe(&config), "postgres://app@db:6543/shop");
    }
}
