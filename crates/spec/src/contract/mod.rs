//! Reads API contracts (`contracts/` of a feature folder: OpenAPI YAML or
//! JSON, Markdown endpoint lists) into the same raw items as a Markdown spec.

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

/// Reads one contract. Not implemented yet: contracts contribute nothing.
pub fn parse_file(file: usize, _source: &Source, _diagnostics: &mut Vec<Diagnostic>) -> RawSpec {
    RawSpec {
        file,
        ..RawSpec::default()
    }
}
