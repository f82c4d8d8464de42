//! The generated backend and the hand-written comparison, as a library.

#[path = "../backend/mod.rs"]
pub mod backend;
pub mod handwritten;
