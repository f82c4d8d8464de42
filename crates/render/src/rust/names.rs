//! Rust spellings of spec names: keywords become raw identifiers, clashing types are renamed.

use scaffold_parser::{Domain, case};

use super::dialect::ident_token;
use crate::blueprint::Problem;

/// Keywords that `r#` makes usable.
const RAW_KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "else", "enum", "extern", "false", "fn", "for", "if",
    "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static",
    "struct", "trait", "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn",
    "abstract", "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized",
    "virtual", "yield", "try", "gen",
];

/// Names no escape can save.
pub const FORBIDDEN: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Type names the generated code uses unqualified (prelude and its own helpers).
const TAKEN_TYPES: &[&str] = &[
    "Option",
    "Result",
    "Some",
    "None",
    "Ok",
    "Err",
    "Vec",
    "String",
    "Box",
    "FieldError",
    "ApiError",
    "RepoFuture",
    "RepositoryError",
    "Router",
    "Json",
    "Path",
    "Query",
    "State",
    "Arc",
    "Value",
];

/// A snake_case name as a Rust identifier (`type` -> `r#type`, `self` -> `self_`:
/// no raw identifier can spell `self`, `super` or `crate`; serde keeps the JSON name).
pub fn ident(name: &str) -> String {
    let snake = case::snake(name);
    let snake = if snake.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{snake}")
    } else if matches!(snake.as_str(), "self" | "super" | "crate") {
        format!("{snake}_")
    } else {
        snake
    };
    ident_token(&snake, RAW_KEYWORDS.contains(&snake.as_str()))
}

/// An identifier without the `r#`, for building other names (`match_id`, `type_sample`).
pub fn plain(name: &str) -> String {
    case::snake(name)
}

/// A PascalCase type name that clashes with nothing the generated code uses.
pub fn type_name(name: &str) -> String {
    let pascal = case::pascal(name);
    if TAKEN_TYPES.contains(&pascal.as_str()) || pascal == "Self" {
        format!("{pascal}Record")
    } else {
        pascal
    }
}

/// An enum variant (`self` -> `Self_`, which is not the keyword).
pub fn variant(name: &str) -> String {
    let pascal = case::pascal(name);
    let pascal = if pascal.is_empty() || pascal.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{pascal}")
    } else {
        pascal
    };
    if pascal == "Self" {
        "Self_".to_string()
    } else {
        pascal
    }
}

/// Whether a spec name can never be a Rust identifier.
pub fn is_forbidden(name: &str) -> bool {
    FORBIDDEN.contains(&name) || FORBIDDEN.contains(&case::snake(name).as_str())
}

/// Names of the domain Rust cannot spell, and modules the generated code already uses.
pub fn problems(d: &Domain) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut problem = |message: String, hint: &str| {
        problems.push(Problem {
            message,
            hint: hint.to_string(),
        })
    };
    if d.name == "caller" && d.endpoints.iter().any(|e| e.shape.secured) {
        problem(
            "domain `caller` clashes with the module of the owned `Caller` extractor".into(),
            "rename the domain",
        );
    }
    let hint = "`self`, `super`, `crate` and `Self` cannot be Rust names, not even as raw identifiers: rename it in the spec";
    let mut named: Vec<(String, &str)> = vec![(format!("domain `{}`", d.name), &d.name)];
    for entity in &d.entities {
        named.push((format!("entity `{}`", entity.name), &entity.name));
        // Fields and inputs are fine: `ident` spells `self` as `self_` with a serde rename.
    }
    for op in &d.operations {
        named.push((format!("operation `{}`", op.name), &op.name));
    }
    if d.name == "scaffold_support" {
        problem(
            "domain `scaffold_support` clashes with the module every generated domain shares"
                .into(),
            "rename the domain",
        );
    }
    for (what, name) in named {
        if is_forbidden(name) {
            problem(format!("{what} cannot be a Rust name"), hint);
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_keywords_and_clashes() {
        assert_eq!(ident("type"), "r#type");
        assert_eq!(ident("customerId"), "customer_id");
        assert_eq!(type_name("Option"), "OptionRecord");
        assert_eq!(type_name("order_line"), "OrderLine");
        assert_eq!(variant("self"), "Self_");
        assert_eq!(variant("in-progress"), "InProgress");
        assert!(is_forbidden("self") && is_forbidden("crate") && !is_forbidden("type"));
        // HAL's `self` link and friends are fields JSON uses.
        assert_eq!(ident("self"), "self_");
        assert_eq!(ident("Self"), "self_");
        assert_eq!(ident("super"), "super_");
        assert_eq!(ident("crate"), "crate_");
    }
}
