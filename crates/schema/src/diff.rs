//! What changed between two schema requests, one line per change, for the
//! data engineer's migration.

use std::collections::BTreeMap;
use std::fmt;

use crate::model::{Column, Constraint, Index, Schema, Table};

/// One difference between the previous request and the current one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    TableAdded(Table),
    TableRemoved(String),
    ColumnAdded {
        table: String,
        column: Column,
    },
    ColumnRemoved {
        table: String,
        column: String,
    },
    TypeChanged {
        table: String,
        column: String,
        from: String,
        to: String,
    },
    NullabilityChanged {
        table: String,
        column: String,
        not_null: bool,
    },
    DefaultChanged {
        table: String,
        column: String,
        from: Option<String>,
        to: Option<String>,
    },
    IdentityChanged {
        table: String,
        column: String,
        identity: bool,
    },
    ConstraintAdded {
        table: String,
        constraint: Constraint,
    },
    ConstraintRemoved {
        table: String,
        constraint: Constraint,
    },
    ConstraintChanged {
        table: String,
        name: String,
        from: String,
        to: String,
    },
    IndexAdded {
        table: String,
        index: Index,
    },
    IndexRemoved {
        table: String,
        index: Index,
    },
    EnumTypeAdded {
        name: String,
        variants: Vec<String>,
    },
    EnumTypeRemoved(String),
    EnumValuesChanged {
        name: String,
        added: Vec<String>,
        removed: Vec<String>,
    },
}

impl Change {
    /// `+` added, `-` removed, `~` changed.
    pub fn sign(&self) -> char {
        match self {
            Change::TableAdded(_)
            | Change::ColumnAdded { .. }
            | Change::ConstraintAdded { .. }
            | Change::IndexAdded { .. }
            | Change::EnumTypeAdded { .. } => '+',
            Change::TableRemoved(_)
            | Change::ColumnRemoved { .. }
            | Change::ConstraintRemoved { .. }
            | Change::IndexRemoved { .. }
            | Change::EnumTypeRemoved(_) => '-',
            _ => '~',
        }
    }

    /// What the change is about: `orders`, `orders.note`, `type order_status`.
    pub fn subject(&self) -> String {
        match self {
            Change::TableAdded(table) => table.name.clone(),
            Change::TableRemoved(table) => table.clone(),
            Change::ColumnAdded { table, column } => format!("{table}.{}", column.name),
            Change::ColumnRemoved { table, column }
            | Change::TypeChanged { table, column, .. }
            | Change::NullabilityChanged { table, column, .. }
            | Change::DefaultChanged { table, column, .. }
            | Change::IdentityChanged { table, column, .. } => format!("{table}.{column}"),
            Change::ConstraintAdded { table, constraint }
            | Change::ConstraintRemoved { table, constraint } => {
                format!("{table}.{}", constraint.name)
            }
            Change::ConstraintChanged { table, name, .. } => format!("{table}.{name}"),
            Change::IndexAdded { table, index } | Change::IndexRemoved { table, index } => {
                format!("{table}.{}", index.name)
            }
            Change::EnumTypeAdded { name, .. }
            | Change::EnumTypeRemoved(name)
            | Change::EnumValuesChanged { name, .. } => format!("type {name}"),
        }
    }

    /// A short word for the kind of change (`column added`), for JSON output.
    pub fn kind(&self) -> &'static str {
        match self {
            Change::TableAdded(_) => "table-added",
            Change::TableRemoved(_) => "table-removed",
            Change::ColumnAdded { .. } => "column-added",
            Change::ColumnRemoved { .. } => "column-removed",
            Change::TypeChanged { .. } => "type-changed",
            Change::NullabilityChanged { .. } => "nullability-changed",
            Change::DefaultChanged { .. } => "default-changed",
            Change::IdentityChanged { .. } => "identity-changed",
            Change::ConstraintAdded { .. } => "constraint-added",
            Change::ConstraintRemoved { .. } => "constraint-removed",
            Change::ConstraintChanged { .. } => "constraint-changed",
            Change::IndexAdded { .. } => "index-added",
            Change::IndexRemoved { .. } => "index-removed",
            Change::EnumTypeAdded { .. } => "enum-type-added",
            Change::EnumTypeRemoved(_) => "enum-type-removed",
            Change::EnumValuesChanged { .. } => "enum-values-changed",
        }
    }
}

fn optional(value: Option<&String>) -> &str {
    value.map_or("none", String::as_str)
}

impl fmt::Display for Change {
    /// `+ column orders.note: text`, `~ column orders.total_cents: type integer -> bigint`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = self.sign();
        let subject = self.subject();
        match self {
            Change::TableAdded(table) => {
                let columns: Vec<String> = table
                    .columns
                    .iter()
                    .map(|c| format!("{} {}", c.name, c.definition()))
                    .collect();
                write!(f, "{sign} table {subject}: {}", columns.join(", "))
            }
            Change::TableRemoved(_) => write!(f, "{sign} table {subject}"),
            Change::ColumnAdded { column, .. } => {
                write!(f, "{sign} column {subject}: {}", column.definition())
            }
            Change::ColumnRemoved { .. } => write!(f, "{sign} column {subject}"),
            Change::TypeChanged { from, to, .. } => {
                write!(f, "{sign} column {subject}: type {from} -> {to}")
            }
            Change::NullabilityChanged { not_null, .. } => write!(
                f,
                "{sign} column {subject}: {}",
                if *not_null {
                    "nullable -> NOT NULL (existing NULLs need a value)"
                } else {
                    "NOT NULL -> nullable"
                }
            ),
            Change::DefaultChanged { from, to, .. } => write!(
                f,
                "{sign} column {subject}: default {} -> {}",
                optional(from.as_ref()),
                optional(to.as_ref())
            ),
            Change::IdentityChanged { identity, .. } => write!(
                f,
                "{sign} column {subject}: {}",
                if *identity {
                    "now GENERATED BY DEFAULT AS IDENTITY"
                } else {
                    "no longer an identity column"
                }
            ),
            Change::ConstraintAdded { constraint, .. }
            | Change::ConstraintRemoved { constraint, .. } => write!(
                f,
                "{sign} constraint {subject}: {}",
                constraint.kind.definition()
            ),
            Change::ConstraintChanged { from, to, .. } => {
                write!(f, "{sign} constraint {subject}: {from} -> {to}")
            }
            Change::IndexAdded { index, .. } | Change::IndexRemoved { index, .. } => {
                write!(f, "{sign} index {subject}: ({})", index.columns.join(", "))
            }
            Change::EnumTypeAdded { variants, .. } => {
                write!(f, "{sign} {subject}: ({})", variants.join(", "))
            }
            Change::EnumTypeRemoved(_) => write!(f, "{sign} {subject}"),
            Change::EnumValuesChanged { added, removed, .. } => {
                let mut parts = Vec::new();
                if !added.is_empty() {
                    parts.push(format!("adds {}", added.join(", ")));
                }
                if !removed.is_empty() {
                    parts.push(format!("drops {}", removed.join(", ")));
                }
                write!(f, "{sign} {subject}: {}", parts.join("; "))
            }
        }
    }
}

/// The changes from `old` to `new`, tables and types in `new`'s order, then
/// what was removed. A renamed column is one removed and one added: the
/// request cannot know a rename from a replacement, the data engineer can.
pub fn diff(old: &Schema, new: &Schema) -> Vec<Change> {
    let mut changes = Vec::new();
    let old_enums: BTreeMap<&str, &Vec<String>> = old
        .enums()
        .map(|e| (e.name.as_str(), &e.variants))
        .collect();
    for enum_type in new.enums() {
        match old_enums.get(enum_type.name.as_str()) {
            None => changes.push(Change::EnumTypeAdded {
                name: enum_type.name.clone(),
                variants: enum_type.variants.clone(),
            }),
            Some(before) if **before != enum_type.variants => {
                changes.push(Change::EnumValuesChanged {
                    name: enum_type.name.clone(),
                    added: missing(&enum_type.variants, before),
                    removed: missing(before, &enum_type.variants),
                });
            }
            Some(_) => {}
        }
    }
    let old_tables: BTreeMap<&str, &Table> = old.tables().map(|t| (t.name.as_str(), t)).collect();
    for table in new.tables() {
        match old_tables.get(table.name.as_str()) {
            None => changes.push(Change::TableAdded(table.clone())),
            Some(before) => table_changes(before, table, &mut changes),
        }
    }
    for table in old.tables() {
        if !new.tables().any(|t| t.name == table.name) {
            changes.push(Change::TableRemoved(table.name.clone()));
        }
    }
    for enum_type in old.enums() {
        if !new.enums().any(|e| e.name == enum_type.name) {
            changes.push(Change::EnumTypeRemoved(enum_type.name.clone()));
        }
    }
    changes
}

fn missing(from: &[String], other: &[String]) -> Vec<String> {
    from.iter()
        .filter(|v| !other.contains(v))
        .cloned()
        .collect()
}

fn table_changes(old: &Table, new: &Table, changes: &mut Vec<Change>) {
    let table = new.name.clone();
    for column in &new.columns {
        let Some(before) = old.column(&column.name) else {
            changes.push(Change::ColumnAdded {
                table: table.clone(),
                column: column.clone(),
            });
            continue;
        };
        let name = column.name.clone();
        if before.ty != column.ty {
            changes.push(Change::TypeChanged {
                table: table.clone(),
                column: name.clone(),
                from: before.ty.clone(),
                to: column.ty.clone(),
            });
        }
        if before.not_null != column.not_null {
            changes.push(Change::NullabilityChanged {
                table: table.clone(),
                column: name.clone(),
                not_null: column.not_null,
            });
        }
        if before.default != column.default {
            changes.push(Change::DefaultChanged {
                table: table.clone(),
                column: name.clone(),
                from: before.default.clone(),
                to: column.default.clone(),
            });
        }
        if before.identity != column.identity {
            changes.push(Change::IdentityChanged {
                table: table.clone(),
                column: name,
                identity: column.identity,
            });
        }
    }
    for column in &old.columns {
        if new.column(&column.name).is_none() {
            changes.push(Change::ColumnRemoved {
                table: table.clone(),
                column: column.name.clone(),
            });
        }
    }
    for constraint in &new.constraints {
        match old.constraints.iter().find(|c| c.name == constraint.name) {
            None => changes.push(Change::ConstraintAdded {
                table: table.clone(),
                constraint: constraint.clone(),
            }),
            Some(before) if before.kind != constraint.kind => {
                changes.push(Change::ConstraintChanged {
                    table: table.clone(),
                    name: constraint.name.clone(),
                    from: before.kind.definition(),
                    to: constraint.kind.definition(),
                });
            }
            Some(_) => {}
        }
    }
    for constraint in &old.constraints {
        if !new.constraints.iter().any(|c| c.name == constraint.name) {
            changes.push(Change::ConstraintRemoved {
                table: table.clone(),
                constraint: constraint.clone(),
            });
        }
    }
    for index in &new.indexes {
        if !old.indexes.contains(index) {
            changes.push(Change::IndexAdded {
                table: table.clone(),
                index: index.clone(),
            });
        }
    }
    for index in &old.indexes {
        if !new.indexes.contains(index) {
            changes.push(Change::IndexRemoved {
                table: table.clone(),
                index: index.clone(),
            });
        }
    }
}
