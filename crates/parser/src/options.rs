//! What a project can tell the parser: domain names for feature folders, extra
//! heading and column aliases, and whether conventional CRUD is inferred.

use std::collections::BTreeMap;

/// Parser options, read from `scaffold.toml` by the CLI.
#[derive(Debug, Clone)]
pub struct Options {
    /// Feature folder name (`001-todo-app`) to domain (`todos`): `[domains]`.
    pub domains: BTreeMap<String, String>,
    /// Extra heading aliases (lowercased heading text to the section it opens):
    /// `[spec.aliases]`, for specs written in other languages.
    pub headings: BTreeMap<String, Section>,
    /// Extra column aliases (lowercased header text to the canonical column
    /// name: `field`, `type`, `required`, `constraints`, `description`, ...).
    pub columns: BTreeMap<String, String>,
    /// Infer create/get/list/update/delete for entities of a domain that
    /// declares no operation at all (`[generate] infer-crud`).
    pub infer_crud: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            domains: BTreeMap::new(),
            headings: BTreeMap::new(),
            columns: BTreeMap::new(),
            infer_crud: true,
        }
    }
}

/// The sections a heading can open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    Entities,
    Fields,
    Operations,
    Endpoints,
    Errors,
}

impl Section {
    /// The name used in `[spec.aliases]` values.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name.trim().to_ascii_lowercase().as_str() {
            "entities" | "model" | "data model" => Section::Entities,
            "fields" | "attributes" => Section::Fields,
            "operations" => Section::Operations,
            "endpoints" | "api" => Section::Endpoints,
            "errors" => Section::Errors,
            _ => return None,
        })
    }
}
