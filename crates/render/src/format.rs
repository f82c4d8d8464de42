//! Proves generated Rust parses, and formats it deterministically.

use crate::RenderError;

/// Parses `source` with syn and prints it with prettyplease.
pub fn rust(path: &str, source: &str) -> Result<String, RenderError> {
    let file = syn::parse_file(source).map_err(|error| {
        let start = error.span().start();
        let line = source
            .lines()
            .nth(start.line.saturating_sub(1))
            .unwrap_or_default()
            .trim()
            .to_string();
        RenderError::InvalidRust {
            path: path.to_string(),
            line: start.line,
            column: start.column + 1,
            message: error.to_string(),
            source_line: line,
        }
    })?;
    Ok(prettyplease::unparse(&file))
}
