//! The generated backend of the example specs, as a library.

#[path = "../backend/mod.rs"]
pub mod backend;
