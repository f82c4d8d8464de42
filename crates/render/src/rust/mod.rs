//! The Rust dialect: names, types, literals and the statements of Rust packs.

mod dialect;
mod names;
mod statements;

pub use dialect::{RUST, Rust};
pub use names::ident;
