//! Regeneration planning shared by every stack: the manifest of what was
//! written last time, the change set between that and a new render, and the
//! three-way merge of files the team owns.
//!
//! Nothing here renders or writes: the renderer hands over files, the CLI
//! writes the plan.

pub mod changeset;
pub mod manifest;
mod ownership;

pub use ownership::Ownership;
