//! The migration guard: one policy, enforced before an agent's edit (Claude Code
//! PreToolUse hook), at the commit (pre-commit hook) and in CI (a commit range).
//!
//! Independent of the spec parser and the templates. Reads git through plumbing
//! commands, NUL-separated, so user configuration cannot change what it sees.

mod bash;
pub mod claude;
pub mod git;
mod glob;
pub mod hook;
pub mod install;
pub mod paths;
pub mod policy;
mod runners;
pub mod sandbox;
pub mod shell;
mod violation;

pub use policy::{Policy, PolicyError, Protection};
pub use violation::{Change, Violation};
