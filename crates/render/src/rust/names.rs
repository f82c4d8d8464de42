//! Rust spellings of spec names: keywords become raw identifiers, clashing types are renamed.

use std::collections::{HashMap, HashSet};

use scaffold_parser::{Domain, case};

use super::dialect::ident_token;
use crate::blueprint::{Blueprint, Problem, TypeName};
use crate::context::{DomainContext, EntityTypes};
use crate::dialect::first_free;

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

/// Type names in scope of a generated file: the prelude (2024), what the
/// templates import or glob-import from scaffold_support, and the derives.
/// A spec type named like one is renamed (`Default` -> `DefaultRecord`).
const TAKEN_TYPES: &[&str] = &[
    // std prelude: types, traits and variants
    "Option",
    "Result",
    "Some",
    "None",
    "Ok",
    "Err",
    "Vec",
    "String",
    "Box",
    "ToString",
    "ToOwned",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Unpin",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "AsyncFn",
    "AsyncFnMut",
    "AsyncFnOnce",
    "PartialEq",
    "PartialOrd",
    "Eq",
    "Ord",
    "AsRef",
    "AsMut",
    "Into",
    "From",
    "Default",
    "Iterator",
    "Extend",
    "IntoIterator",
    "DoubleEndedIterator",
    "ExactSizeIterator",
    "TryFrom",
    "TryInto",
    "FromIterator",
    "Future",
    "IntoFuture",
    "Debug",
    "Hash",
    "Display",
    "Error",
    // imported by the rust-axum templates
    "Arc",
    "Mutex",
    "BTreeMap",
    "LazyLock",
    "Regex",
    "Serialize",
    "Deserialize",
    "DeserializeOwned",
    "Deserializer",
    "Cow",
    "Pin",
    "Router",
    "Json",
    "Path",
    "Query",
    "State",
    "StatusCode",
    "IntoResponse",
    "Response",
    "Request",
    "Body",
    "Parts",
    "HeaderName",
    "FromRequest",
    "FromRequestParts",
    "PathRejection",
    "QueryRejection",
    "ServiceExt",
    "Value",
    // scaffold_support and the owned caller
    "FieldError",
    "ApiError",
    "ErrorBody",
    "RepoFuture",
    "RepositoryError",
    "InMemoryTables",
    "Page",
    "PageQuery",
    "Query",
    "Paged",
    "Caller",
    "Window",
    // the PostgreSQL repositories (sqlx)
    "Row",
    "PgPool",
    "PgRow",
];

/// Module names a domain cannot take beside the generated ones in `backend/`:
/// crates the generated code names by path, the shared modules, the `tests`
/// of mod.rs, and the domain's own modules (clippy's `module_inception`).
const TAKEN_MODULES: &[&str] = &[
    "std",
    "core",
    "alloc",
    "axum",
    "serde",
    "serde_json",
    "tokio",
    "tower",
    "tower_http",
    "tracing",
    "uuid",
    "chrono",
    "rust_decimal",
    "regex",
    "http",
    "scaffold_support",
    "caller",
    "tests",
    "models",
    "repository",
    "routes",
    "service",
    "rules",
    "samples",
    "scaffold_postgres",
    "sqlx",
    "postgres",
];

/// Variants every generated domain error has; a spec code spelled like one is renamed.
const BUILT_IN_VARIANTS: &[&str] = &["NotFound", "Validation", "NotImplemented", "Repository"];

/// Function names beside the handlers of routes.rs.
const TAKEN_HANDLERS: &[&str] = &["router", "path_segment", "service"];

/// Method names of the generated service besides its operations.
const TAKEN_METHODS: &[&str] = &[
    "new",
    "in_memory",
    "default",
    // handlers call `service.op(..)` on an `Arc<Service>`: methods of `Arc` and
    // of the traits every type has come first
    "clone",
    "clone_from",
    "clone_into",
    "to_owned",
    "into",
    "try_into",
    "from",
    "try_from",
    "as_ref",
    "as_mut",
    "borrow",
    "borrow_mut",
    "to_string",
    "type_id",
    "eq",
    "ne",
    "cmp",
    "partial_cmp",
    "lt",
    "le",
    "gt",
    "ge",
    "max",
    "min",
    "clamp",
    "fmt",
    "hash",
    "drop",
    "deref",
    "deref_mut",
    "into_iter",
    "as_ptr",
];

/// Every name of one domain's generated code, chosen so none clashes with
/// another or with what is in scope of the file that declares it.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// The domain's module in `backend/mod.rs` (its folder keeps the domain's name).
    pub module: String,
    /// `{Domain}Service`, `{Domain}Error` (the repositories struct adds `Repositories`
    /// to the error's stem).
    pub service: String,
    pub error: String,
    types: HashMap<TypeName, String>,
    /// Error code -> variant.
    variants: HashMap<String, String>,
}

impl Scope {
    /// Names for `bp`: the domain's own types first, then entities (with
    /// their repository traits), then every other declared type, each renamed
    /// with a suffix when its spelling is taken.
    pub fn of(bp: &Blueprint) -> Self {
        let mut taken: HashSet<String> = TAKEN_TYPES.iter().map(|t| t.to_string()).collect();
        let module_stem = ident(&bp.name);
        let module = if TAKEN_MODULES.contains(&module_stem.as_str()) {
            format!("{}_domain", plain(&bp.name))
        } else {
            module_stem
        };
        let mut stem = case::pascal(&bp.name);
        let claims = |stem: &str| {
            vec![
                format!("{stem}Service"),
                format!("{stem}Error"),
                format!("{stem}Repositories"),
            ]
        };
        if claims(&stem).iter().any(|c| taken.contains(c)) {
            stem = format!("{stem}Domain");
        }
        taken.extend(claims(&stem));
        let mut types = HashMap::new();
        for entity in &bp.entities {
            let base = type_name(&entity.name);
            let claims = EntityTypes::claims;
            let spelled = first_free(&taken, &base, "Record", claims);
            taken.extend(claims(&spelled));
            types.insert(
                TypeName::Entity {
                    name: entity.name.clone(),
                },
                spelled,
            );
        }
        let owner = |types: &HashMap<TypeName, String>, name: &str| {
            types
                .get(&TypeName::Entity {
                    name: name.to_string(),
                })
                .cloned()
                .unwrap_or_else(|| type_name(name))
        };
        let others = bp
            .enums
            .iter()
            .map(|e| &e.name)
            .chain(bp.structs.iter().map(|s| &s.name))
            .filter(|n| !matches!(n, TypeName::Entity { .. }));
        for name in others {
            if types.contains_key(name) {
                continue;
            }
            let (base, suffix) = match name {
                TypeName::Entity { .. } => continue,
                TypeName::Enum { owner: o, field } => (
                    format!("{}{}", owner(&types, o), case::pascal(field)),
                    "Kind",
                ),
                TypeName::Output { operation } => {
                    (format!("{}Output", type_name(operation)), "Type")
                }
                TypeName::Input { operation } => (format!("{}Input", type_name(operation)), "Type"),
                TypeName::Body { operation } => (format!("{}Body", type_name(operation)), "Type"),
                TypeName::Request { operation } => {
                    (format!("{}Request", type_name(operation)), "Type")
                }
                TypeName::Response { operation } => {
                    (format!("{}Response", type_name(operation)), "Type")
                }
            };
            let spelled = first_free(&taken, &base, suffix, |t| vec![t.to_string()]);
            taken.insert(spelled.clone());
            types.insert(name.clone(), spelled);
        }
        let mut variants = HashMap::new();
        let mut used: HashSet<String> = BUILT_IN_VARIANTS.iter().map(|v| v.to_string()).collect();
        for error in &bp.errors {
            let base = variant(&error.code.to_ascii_lowercase());
            let spelled = first_free(&used, &base, "Code", |v| vec![v.to_string()]);
            used.insert(spelled.clone());
            variants.insert(error.code.clone(), spelled);
        }
        Self {
            module,
            service: format!("{stem}Service"),
            error: format!("{stem}Error"),
            types,
            variants,
        }
    }

    /// The spelling chosen for a declared type, if the blueprint declares it.
    pub fn type_name(&self, name: &TypeName) -> Option<&str> {
        self.types.get(name).map(String::as_str)
    }

    /// The variant of a spec error code.
    pub fn error_variant(&self, code: &str) -> Option<&str> {
        self.variants.get(code).map(String::as_str)
    }
}

/// The stem of an operation's hooks in rules.rs (`place_order` for
/// `place_order_rules`); `from_*` and `into_*` get `run_` before them, as
/// clippy's `wrong_self_convention` wants no `&self` method named so.
pub fn hook_stem(operation: &str) -> String {
    let snake = case::snake(operation);
    let convention = ["from", "into"]
        .iter()
        .any(|p| snake == *p || snake.starts_with(&format!("{p}_")));
    if convention {
        format!("run_{snake}")
    } else {
        snake
    }
}

/// Handlers of routes.rs and methods of the service, renamed where two
/// would share a name or one would take a generated function's: a second
/// endpoint of one operation gets its HTTP method as a suffix (`update_tag_patch`),
/// an operation named like a service method gets `_op` (`new_op`).
pub fn unique_functions(cx: &mut DomainContext) {
    let mut methods: HashSet<String> = TAKEN_METHODS.iter().map(|m| m.to_string()).collect();
    methods.extend(
        cx.entities
            .iter()
            .map(|e| e.accessor.trim_start_matches("r#").to_string()),
    );
    let mut renamed: HashMap<String, String> = HashMap::new();
    for op in &mut cx.operations {
        let stem = hook_stem(&op.name);
        if stem != case::snake(&op.name) {
            if !op.rule_hook.is_empty() {
                op.rule_hook = format!("{stem}_rules");
            }
            for hook in &mut op.value_hooks {
                hook.method = format!("run_{}", hook.method);
            }
        }
        let bare = op.method.trim_start_matches("r#").to_string();
        // clippy's wrong_self_convention: `from_*` and `into_*` take no `&self`.
        if bare.starts_with("from_") || bare.starts_with("into_") {
            let spelled = first_free(&methods, &format!("run_{bare}"), "", |m| {
                vec![m.to_string()]
            });
            renamed.insert(op.method.clone(), spelled.clone());
            op.method = spelled;
        } else if methods.contains(&bare) {
            let spelled = first_free(&methods, &format!("{bare}_op"), "", |m| vec![m.to_string()]);
            renamed.insert(op.method.clone(), spelled.clone());
            op.method = spelled;
        }
        methods.insert(op.method.trim_start_matches("r#").to_string());
    }
    let mut handlers: HashSet<String> = TAKEN_HANDLERS.iter().map(|h| h.to_string()).collect();
    let mut by_route: HashMap<(String, String), String> = HashMap::new();
    for e in &mut cx.endpoints {
        if let Some(method) = renamed.get(&e.operation) {
            e.operation = method.clone();
        }
        let bare = e.handler.trim_start_matches("r#").to_string();
        if handlers.contains(&bare) {
            let base = format!("{bare}_{}", e.method.to_ascii_lowercase());
            e.handler = first_free(&handlers, &base, "_", |h| vec![h.to_string()]);
        }
        handlers.insert(e.handler.trim_start_matches("r#").to_string());
        by_route.insert(
            (e.path.clone(), e.method.to_ascii_lowercase()),
            e.handler.clone(),
        );
    }
    // Tests of two endpoints of one operation would share a name: the second gets its method.
    let mut tests: HashSet<String> = HashSet::new();
    for e in &mut cx.endpoints {
        for t in &mut e.tests {
            if tests.contains(&t.name) {
                let base = format!("{}_{}", t.name, e.method.to_ascii_lowercase());
                t.name = first_free(&tests, &base, "_", |n| vec![n.to_string()]);
            }
            tests.insert(t.name.clone());
        }
    }
    for route in &mut cx.routes {
        for h in &mut route.handlers {
            if let Some(name) = by_route.get(&(route.path.clone(), h.method.clone())) {
                h.handler = name.clone();
            }
        }
    }
}

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
    let hint = "`self`, `super`, `crate` and `Self` cannot be Rust names, not even as raw identifiers: rename it in the spec";
    let mut named: Vec<(String, &str)> = vec![(format!("domain `{}`", d.name), &d.name)];
    for entity in &d.entities {
        named.push((format!("entity `{}`", entity.name), &entity.name));
        // Fields and inputs are fine: `ident` spells `self` as `self_` with a serde rename.
    }
    for op in &d.operations {
        named.push((format!("operation `{}`", op.name), &op.name));
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
