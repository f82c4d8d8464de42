//! What a language adds to the blueprint: how it spells names, types and values.
//!
//! A stack is a dialect (this trait, one file per language) plus a pack of
//! templates; the pack's `language` in pack.toml selects the dialect. Framework
//! specifics (axum extractors, FastAPI dependencies) stay in the templates.

use std::collections::HashSet;

use scaffold_parser::Domain;

use crate::RenderError;
use crate::blueprint::{Blueprint, Problem, Ty, TypeName, Value};
use crate::context::DomainContext;

/// The languages a pack can declare, each with its dialect.
pub const LANGUAGES: &[&str] = &["rust", "python"];

/// The dialect of a pack's `language`: adding a language is one line here.
pub fn for_language(language: &str) -> Option<&'static dyn Dialect> {
    match language {
        "rust" => Some(&crate::rust::RUST),
        "python" => Some(&crate::python::PYTHON),
        _ => None,
    }
}

/// How one language spells what the blueprint decides.
pub trait Dialect: Sync {
    /// The `language` of the packs it serves (`rust`, `python`).
    fn language(&self) -> &'static str;

    /// The dialect for one domain, when it chooses names knowing all of the
    /// domain's (renaming clashes); `None` spells every domain alike.
    fn scoped(&self, blueprint: &Blueprint) -> Option<Box<dyn Dialect>> {
        let _ = blueprint;
        None
    }

    /// The domain's module name (its folder keeps the domain's name).
    fn module(&self, domain: &str) -> String {
        self.ident(domain)
    }

    /// The domain's service type.
    fn service(&self, domain: &str) -> String {
        format!("{}Service", scaffold_parser::case::pascal(domain))
    }

    /// The domain's error type.
    fn error(&self, domain: &str) -> String {
        format!("{}Error", scaffold_parser::case::pascal(domain))
    }

    /// The error variant of a spec error code (`ORDER_NOT_FOUND`).
    fn error_variant(&self, code: &str) -> String {
        self.variant(&code.to_ascii_lowercase())
    }

    /// A field, variable, function or module name from a spec name
    /// (`type` -> `r#type` in Rust, `type_` in Python).
    fn ident(&self, name: &str) -> String;

    /// The name of a declared type (`Enum { owner: "Order", field: "status" }` -> `OrderStatus`).
    fn type_name(&self, name: &TypeName) -> String;

    /// An enum variant from its spec value (`in-progress` -> `InProgress`, `IN_PROGRESS`).
    fn variant(&self, value: &str) -> String;

    /// A type, not optional.
    fn ty(&self, ty: &Ty) -> String;

    /// The optional form of a spelled type (`Option<T>`, `T | None`).
    fn optional(&self, ty: &str) -> String;

    /// A value as an expression of the language.
    fn literal(&self, value: &Value) -> String;

    /// A string literal (escaped).
    fn string(&self, text: &str) -> String;

    /// The name of the function (or fixture) building a struct's valid sample in tests.
    fn sample_fn(&self, ty: &TypeName) -> String {
        format!(
            "{}_sample",
            scaffold_parser::case::snake(&self.type_name(ty))
        )
    }

    /// Names of the domain this language cannot spell at all (checked before anything is built).
    fn problems(&self, domain: &Domain) -> Vec<Problem> {
        let _ = domain;
        Vec::new()
    }

    /// What the file importing handlers needs, for packs that print imports from the context
    /// (`d.imports`).
    fn imports(&self, blueprint: &Blueprint, context: &DomainContext) -> Vec<String> {
        let _ = (blueprint, context);
        Vec::new()
    }

    /// Fills the context's statement fields (`structs[].checks`, `operations[].body`,
    /// `endpoints[].prepare`, tests' `uri`...) for packs that print statements the
    /// dialect writes; packs that write them in templates leave them empty.
    fn statements(&self, blueprint: &Blueprint, context: &mut DomainContext) {
        let _ = (blueprint, context);
    }

    /// Checks and formats a rendered file of this language; other files pass through.
    fn format(&self, path: &str, text: &str) -> Result<String, RenderError> {
        let _ = path;
        Ok(text.to_string())
    }

    /// A dependency line of the host project (`axum = "0.8"`, `fastapi>=0.115`).
    fn dependency(&self, name: &str, spec: &str) -> String;
}

/// `base`, else `base` + `suffix`, else with a number: the first whose `claims` are all free.
pub(crate) fn first_free(
    taken: &HashSet<String>,
    base: &str,
    suffix: &str,
    claims: impl Fn(&str) -> Vec<String>,
) -> String {
    let free = |name: &str| claims(name).iter().all(|c| !taken.contains(c));
    if free(base) {
        return base.to_string();
    }
    let suffixed = format!("{base}{suffix}");
    if free(&suffixed) {
        return suffixed;
    }
    (2..)
        .map(|n| format!("{suffixed}{n}"))
        .find(|name| free(name))
        .unwrap_or(suffixed)
}
