//! The Rust stack: names, types and the template context of Rust packs.

pub mod context;
mod names;
mod pattern;
mod types;

pub use context::{DomainContext, StackProblem, build};
pub use names::ident;
