//! Proves generated Rust parses, and formats it deterministically.

use crate::RenderError;

/// Parses `source` with syn and prints it with prettyplease.
pub fn rust(path: &str, source: &str) -> Result<String, RenderError> {
    let file = syn::parse_file(source).map_err(|error| RenderError::InvalidRust {
        path: path.to_string(),
        message: error.to_string(),
        excerpt: excerpt(source, &error.to_string()),
    })?;
    Ok(prettyplease::unparse(&file))
}

/// Without span locations (costly on every token) syn cannot say where; show the
/// first lines that mention the offending token, which is usually enough.
fn excerpt(source: &str, message: &str) -> String {
    let token = message.split('`').nth(1).unwrap_or_default();
    source
        .lines()
        .enumerate()
        .filter(|(_, line)| !token.is_empty() && line.contains(token))
        .take(3)
        .map(|(i, line)| format!("{:>5} | {}", i + 1, line.trim_end()))
        .collect::<Vec<_>>()
        .join("\n")
}
