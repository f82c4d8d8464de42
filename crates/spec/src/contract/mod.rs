//! Reads API contracts (`contracts/` of a feature folder: OpenAPI YAML or
//! JSON, Markdown endpoint lists) into the same raw items as a Markdown spec.
//!
//! A contract gives operations and endpoints; entities stay with the
//! data model, and schemas map to entities by name.

mod markdown;
mod openapi;
mod tree;

use crate::diagnostic::Diagnostic;
use crate::source::Source;
use crate::syntax::RawSpec;

/// Whether a source is a contract rather than a Markdown spec: any file in a
/// `contracts/` folder, or an OpenAPI document (`.yaml`, `.yml`, `.json`).
pub fn is_contract(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".yaml")
        || lower.ends_with(".yml")
        || lower.ends_with(".json")
        || lower.split(['/', '\\']).rev().nth(1) == Some("contracts")
}

/// Reads one contract: OpenAPI for `.yaml`/`.yml`/`.json`, Markdown otherwise.
pub fn parse_file(file: usize, source: &Source, diagnostics: &mut Vec<Diagnostic>) -> RawSpec {
    let lower = source.path.to_ascii_lowercase();
    if lower.ends_with(".yaml") || lower.ends_with(".yml") || lower.ends_with(".json") {
        openapi::parse(file, &source.text, diagnostics)
    } else {
        markdown::parse(file, &source.text, diagnostics)
    }
}
