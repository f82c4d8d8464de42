//! What a live database lacks or types differently, compared with the
//! schema the specs imply. Pure: the catalog is read by [`crate::live`].
//!
//! Names, types, nullability, keys, unique constraints, foreign keys and
//! indexes are compared; CHECK expressions are not (PostgreSQL stores them
//! rewritten, so the text never matches), nor defaults. Constraints and
//! indexes are matched by their columns, not their names: a data engineer
//! may name them as the team likes.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::model::{ConstraintKind, Schema};
use crate::types;

/// What one schema (namespace) of a database holds, as far as the check needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalog {
    pub tables: BTreeMap<String, CatalogTable>,
    /// Enum types visible on the search path, with their labels in order.
    pub enums: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CatalogTable {
    /// Column name to its type (`format_type`) and whether it is NOT NULL.
    pub columns: BTreeMap<String, (String, bool)>,
    /// Columns the database fills when an INSERT leaves them out (a default,
    /// an identity or a generated column).
    pub defaults: BTreeSet<String>,
    pub indexes: Vec<CatalogIndex>,
    /// (columns, referenced table, referenced columns).
    pub foreign_keys: Vec<(Vec<String>, String, Vec<String>)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogIndex {
    pub columns: Vec<String>,
    pub unique: bool,
    pub primary: bool,
}

/// One thing the database lacks, at `table` or `table.column`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    pub table: String,
    pub column: Option<String>,
    pub problem: Problem,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    MissingTable,
    MissingColumn {
        expected: String,
    },
    TypeDiffers {
        expected: String,
        found: String,
    },
    /// The specs need NOT NULL, the database allows NULL.
    Nullable,
    /// The specs allow no value, the database refuses NULL.
    NotNull,
    /// A column the specs do not know, NOT NULL without a default: every
    /// INSERT of the generated code would fail.
    UnknownRequired {
        found: String,
    },
    MissingPrimaryKey {
        columns: Vec<String>,
    },
    MissingUnique {
        columns: Vec<String>,
    },
    MissingForeignKey {
        references: String,
    },
    MissingIndex {
        columns: Vec<String>,
    },
    MissingEnumType {
        name: String,
    },
    MissingEnumValues {
        name: String,
        values: Vec<String>,
    },
}

impl Drift {
    /// `orders.note`, or `orders` for the table itself.
    pub fn location(&self) -> String {
        match &self.column {
            Some(column) => format!("{}.{column}", self.table),
            None => self.table.clone(),
        }
    }

    /// A stable word for JSON output.
    pub fn kind(&self) -> &'static str {
        match self.problem {
            Problem::MissingTable => "missing-table",
            Problem::MissingColumn { .. } => "missing-column",
            Problem::TypeDiffers { .. } => "type-differs",
            Problem::Nullable => "nullable",
            Problem::NotNull => "not-null",
            Problem::UnknownRequired { .. } => "unknown-required-column",
            Problem::MissingPrimaryKey { .. } => "missing-primary-key",
            Problem::MissingUnique { .. } => "missing-unique",
            Problem::MissingForeignKey { .. } => "missing-foreign-key",
            Problem::MissingIndex { .. } => "missing-index",
            Problem::MissingEnumType { .. } => "missing-enum-type",
            Problem::MissingEnumValues { .. } => "missing-enum-values",
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::MissingTable => f.write_str("missing table"),
            Problem::MissingColumn { expected } => write!(f, "missing column ({expected})"),
            Problem::TypeDiffers { expected, found } => {
                write!(f, "type is {found}, the specs need {expected}")
            }
            Problem::Nullable => f.write_str("allows NULL, the specs need NOT NULL"),
            Problem::NotNull => f.write_str("is NOT NULL, the specs allow no value"),
            Problem::UnknownRequired { found } => write!(
                f,
                "{found} NOT NULL without a default is not in the specs: inserts that leave it out fail"
            ),
            Problem::MissingPrimaryKey { columns } => {
                write!(f, "no primary key on ({})", columns.join(", "))
            }
            Problem::MissingUnique { columns } => {
                write!(f, "no unique constraint on ({})", columns.join(", "))
            }
            Problem::MissingForeignKey { references } => {
                write!(f, "no foreign key to {references}")
            }
            Problem::MissingIndex { columns } => {
                write!(f, "no index on ({})", columns.join(", "))
            }
            Problem::MissingEnumType { name } => write!(f, "missing enum type {name}"),
            Problem::MissingEnumValues { name, values } => {
                write!(f, "enum type {name} lacks {}", values.join(", "))
            }
        }
    }
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location(), self.problem)
    }
}

/// Everything `schema` needs that `catalog` lacks, table by table in schema order.
pub fn compare(schema: &Schema, catalog: &Catalog) -> Vec<Drift> {
    let mut drifts = Vec::new();
    let enum_types: BTreeMap<&str, &Vec<String>> = schema
        .enums()
        .map(|e| (e.name.as_str(), &e.variants))
        .collect();
    for table in schema.tables() {
        let at = |column: Option<&str>, problem: Problem| Drift {
            table: table.name.clone(),
            column: column.map(str::to_string),
            problem,
        };
        let Some(found) = catalog.tables.get(&table.name) else {
            drifts.push(at(None, Problem::MissingTable));
            continue;
        };
        for column in &table.columns {
            let Some((ty, not_null)) = found.columns.get(&column.name) else {
                drifts.push(at(
                    Some(&column.name),
                    Problem::MissingColumn {
                        expected: column.definition(),
                    },
                ));
                continue;
            };
            let expected = types::normalize(&column.ty);
            let found_ty = types::normalize(types::unqualified(ty));
            if expected != found_ty {
                drifts.push(at(
                    Some(&column.name),
                    Problem::TypeDiffers {
                        expected: column.ty.clone(),
                        found: ty.clone(),
                    },
                ));
            } else if let Some(variants) = enum_types.get(column.ty.as_str()) {
                match catalog.enums.get(column.ty.as_str()) {
                    None => drifts.push(at(
                        Some(&column.name),
                        Problem::MissingEnumType {
                            name: column.ty.clone(),
                        },
                    )),
                    Some(labels) => {
                        let lacking: Vec<String> = variants
                            .iter()
                            .filter(|v| !labels.contains(v))
                            .cloned()
                            .collect();
                        if !lacking.is_empty() {
                            drifts.push(at(
                                Some(&column.name),
                                Problem::MissingEnumValues {
                                    name: column.ty.clone(),
                                    values: lacking,
                                },
                            ));
                        }
                    }
                }
            }
            // An identity column is NOT NULL in the catalog whatever the request says.
            if column.not_null && !not_null {
                drifts.push(at(Some(&column.name), Problem::Nullable));
            } else if !column.not_null && *not_null && !column.identity {
                drifts.push(at(Some(&column.name), Problem::NotNull));
            }
        }
        for (name, (ty, not_null)) in &found.columns {
            if *not_null && table.column(name).is_none() && !found.defaults.contains(name) {
                drifts.push(at(
                    Some(name),
                    Problem::UnknownRequired { found: ty.clone() },
                ));
            }
        }
        let has_columns = |columns: &[String]| {
            columns
                .iter()
                .all(|c| found.columns.contains_key(c.as_str()))
        };
        for constraint in &table.constraints {
            match &constraint.kind {
                ConstraintKind::PrimaryKey(columns) => {
                    if has_columns(columns)
                        && !found
                            .indexes
                            .iter()
                            .any(|i| i.primary && i.columns == *columns)
                    {
                        drifts.push(at(
                            first(columns),
                            Problem::MissingPrimaryKey {
                                columns: columns.clone(),
                            },
                        ));
                    }
                }
                ConstraintKind::Unique(columns) => {
                    if has_columns(columns)
                        && !found
                            .indexes
                            .iter()
                            .any(|i| (i.unique || i.primary) && i.columns == *columns)
                    {
                        drifts.push(at(
                            first(columns),
                            Problem::MissingUnique {
                                columns: columns.clone(),
                            },
                        ));
                    }
                }
                ConstraintKind::ForeignKey {
                    columns,
                    table: target,
                    references,
                } => {
                    let present = found.foreign_keys.iter().any(|(from, to, refs)| {
                        from == columns && to == target && refs == references
                    });
                    if has_columns(columns) && !present {
                        drifts.push(at(
                            first(columns),
                            Problem::MissingForeignKey {
                                references: format!("{target}({})", references.join(", ")),
                            },
                        ));
                    }
                }
                ConstraintKind::Check(_) => {}
            }
        }
        for index in &table.indexes {
            let covered = found
                .indexes
                .iter()
                .any(|i| i.columns.starts_with(&index.columns));
            if has_columns(&index.columns) && !covered {
                drifts.push(at(
                    first(&index.columns),
                    Problem::MissingIndex {
                        columns: index.columns.clone(),
                    },
                ));
            }
        }
    }
    drifts
}

fn first(columns: &[String]) -> Option<&str> {
    match columns {
        [one] => Some(one),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REQUEST: &str = "-- Domain `shop`
CREATE TYPE order_status AS ENUM ('open', 'paid');
CREATE TABLE orders (
    id bigint NOT NULL GENERATED BY DEFAULT AS IDENTITY,
    status order_status NOT NULL,
    customer_id uuid NOT NULL,
    code text,
    CONSTRAINT orders_pkey PRIMARY KEY (id),
    CONSTRAINT orders_code_key UNIQUE (code)
);
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
";

    fn catalog(columns: &[(&str, &str, bool)], indexes: Vec<CatalogIndex>) -> Catalog {
        let table = CatalogTable {
            columns: columns
                .iter()
                .map(|(n, t, nn)| ((*n).to_string(), ((*t).to_string(), *nn)))
                .collect(),
            defaults: BTreeSet::from(["id".to_string()]),
            indexes,
            foreign_keys: Vec::new(),
        };
        Catalog {
            tables: BTreeMap::from([("orders".to_string(), table)]),
            enums: BTreeMap::from([(
                "order_status".to_string(),
                vec!["open".to_string(), "paid".to_string()],
            )]),
        }
    }

    fn index(columns: &[&str], unique: bool, primary: bool) -> CatalogIndex {
        CatalogIndex {
            columns: columns.iter().map(|c| (*c).to_string()).collect(),
            unique,
            primary,
        }
    }

    #[test]
    fn spellings_qualified_types_and_covering_indexes_are_no_drift() {
        let schema = crate::parse_sql(REQUEST).expect("request");
        // int8 is bigint, a schema-qualified enum type is the type, a unique
        // index stands for a unique constraint, a composite index starting
        // with the column covers it.
        let found = catalog(
            &[
                ("id", "int8", true),
                ("status", "app.order_status", true),
                ("customer_id", "uuid", true),
                ("code", "text", false),
                ("note", "text", false),
            ],
            vec![
                index(&["id"], true, true),
                index(&["code"], true, false),
                index(&["customer_id", "status"], false, false),
            ],
        );
        assert_eq!(compare(&schema, &found), Vec::new());
    }

    #[test]
    fn each_lack_is_one_drift_at_its_column() {
        let schema = crate::parse_sql(REQUEST).expect("request");
        let mut found = catalog(
            &[
                ("id", "integer", true),
                ("status", "order_status", false),
                ("code", "text", true),
                ("legacy", "text", true),
            ],
            vec![index(&["id"], false, false)],
        );
        found
            .enums
            .insert("order_status".into(), vec!["open".into()]);
        let lines: Vec<String> = compare(&schema, &found)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            lines,
            [
                "orders.id: type is integer, the specs need bigint",
                "orders.status: enum type order_status lacks paid",
                "orders.status: allows NULL, the specs need NOT NULL",
                "orders.customer_id: missing column (uuid NOT NULL)",
                "orders.code: is NOT NULL, the specs allow no value",
                "orders.legacy: text NOT NULL without a default is not in the specs: inserts that leave it out fail",
                "orders.id: no primary key on (id)",
                "orders.code: no unique constraint on (code)",
            ]
        );
    }
}
