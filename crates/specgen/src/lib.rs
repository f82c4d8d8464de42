//! `scaffold-specgen`: random valid specs for fuzzing `scaffold`.
//!
//! [`generate()`] turns a seed into a [`Spec`] that follows docs/spec-format.md
//! to the letter, reaching for every type, constraint, key type, kind, input
//! form, method, nested path and the names that break generated code;
//! [`Spec::files`] writes it as `spec.md` and `data-model.md` files (two
//! tickets per domain). [`shrink::candidates`] gives smaller valid specs, so a
//! failing seed can be cut down to what makes it fail. [`harness`] runs specs
//! through the `scaffold` binary and cargo and groups what fails by kind;
//! `cargo xtask fuzz` and the end-to-end test `fuzz::` drive it.

pub mod generate;
pub mod harness;
pub mod model;
pub mod python_harness;
pub mod rng;
pub mod routes;
pub mod shrink;

pub use generate::generate;
pub use model::Spec;

/// `OrderLine` to `order_line`, `tagList` to `tag_list`, `id_` to `id`: the
/// words of a name exactly as the parser splits them, so the generator never
/// writes two names the generated code would spell alike.
pub fn snake(name: &str) -> String {
    scaffold_parser::case::snake(name)
}
