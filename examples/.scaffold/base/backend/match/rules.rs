//! Created by scaffold from specs/KW-3/spec.md; yours to edit: later spec changes are merged in.
//!
//! What the spec of `match` leaves to people: the rules of its operations
//! (hooks the generated service calls before it acts), the fields it cannot
//! compute, and the bodies of free operations. The rest is in `service.rs`.

#[allow(
    unused_imports,
    reason = "the types an operation written here may need"
)]
use super::models::*;

#[allow(
    unused_imports,
    reason = "the repositories an operation written here may need"
)]
use super::repository::*;
use super::service::{MatchError, MatchService};

impl MatchService {
    /// Impl.
    ///
    /// Free operation: answers 501 Not Implemented until its body is written.
    pub async fn r#impl(&self, input: ImplInput) -> Result<OptionRecord, MatchError> {
        let _ = (input,);
        Err(MatchError::NotImplemented("Impl"))
    }
}
