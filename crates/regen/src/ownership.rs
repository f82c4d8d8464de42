//! Who owns a file once it is written: the generator or the team.

use serde::{Deserialize, Serialize};

/// Who owns a generated file once it is on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Ownership {
    /// Rewritten from the spec on every run; edits by hand are conflicts.
    Generated,
    /// Created from the spec once, then the user's: later changes are merged in.
    Owned,
}
