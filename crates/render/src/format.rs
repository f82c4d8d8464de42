//! Proves generated Rust parses, and formats it deterministically.

use crate::RenderError;

/// Parses `source` with syn and prints it with prettyplease.
pub fn rust(path: &str, source: &str) -> Result<String, RenderError> {
    let file = syn::parse_file(source).map_err(|error| RenderError::InvalidRust {
        path: path.to_string(),
        message: error.to_string(),
        excerpt: excerpt(source, &error.to_string()),
    })?;
    Ok(space_items(&prettyplease::unparse(&file)))
}

/// prettyplease drops blank lines; put one back between items for people who read the code.
fn space_items(code: &str) -> String {
    const ITEM_STARTS: &[&str] = &[
        "pub ",
        "pub(",
        "fn ",
        "async fn ",
        "impl",
        "#[",
        "#![",
        "///",
        "mod ",
        "static ",
        "const ",
        "struct ",
        "enum ",
        "trait ",
        "type ",
        "use ",
    ];
    let mut out = String::with_capacity(code.len() + code.len() / 16);
    let mut previous: Option<&str> = None;
    for line in code.lines() {
        if let Some(prev) = previous {
            let indent = line.len() - line.trim_start().len();
            let prev_indent = prev.len() - prev.trim_start().len();
            let (trimmed, prev_trimmed) = (line.trim_start(), prev.trim_start());
            let starts_item = ITEM_STARTS.iter().any(|s| trimmed.starts_with(s));
            let after_block = (matches!(prev_trimmed, "}" | "};")
                || (indent == 0 && prev_trimmed.ends_with(';')))
                && prev_indent == indent;
            let both_uses = prev_trimmed.starts_with("use ") && trimmed.starts_with("use ");
            let after_uses = prev_trimmed.starts_with("use ")
                && !trimmed.starts_with("use ")
                && prev_indent == indent;
            let after_inner_docs = prev_trimmed.starts_with("//!") && !trimmed.starts_with("//!");
            if starts_item && !both_uses && (after_block || after_uses || after_inner_docs) {
                out.push('\n');
            }
        }
        // A spec's text may hold tabs; clippy's `tabs_in_doc_comments` refuses them in docs.
        let trimmed = line.trim_start();
        if line.contains('\t') && (trimmed.starts_with("///") || trimmed.starts_with("//!")) {
            out.push_str(&line.replace('\t', "    "));
        } else {
            out.push_str(line);
        }
        out.push('\n');
        previous = Some(line);
    }
    out
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

#[cfg(test)]
mod tests {
    #[test]
    fn separates_items_with_blank_lines() {
        let code = "//! Doc.\nuse a::b;\nuse c::d;\npub struct A;\nimpl A {\n    fn f() {}\n    fn g() {\n        x();\n    }\n    fn h() {}\n}\nfn main() {\n    match x {\n        A => {\n            y()\n        }\n        B => z(),\n    }\n}\n";
        let spaced = super::rust("t.rs", code).unwrap_or_default();
        assert_eq!(
            spaced,
            "//! Doc.\n\nuse a::b;\nuse c::d;\n\npub struct A;\n\nimpl A {\n    fn f() {}\n    fn g() {\n        x();\n    }\n\n    fn h() {}\n}\n\nfn main() {\n    match x {\n        A => y(),\n        B => z(),\n    }\n}\n"
        );
    }
}
