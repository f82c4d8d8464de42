//! Created by scaffold from specs/NTF-7/spec.md; yours to edit: later spec changes are merged in.
//!
//! What the spec of `notifications` leaves to people: the rules of its operations
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
use super::service::{NotificationsError, NotificationsService};

impl NotificationsService {
    /// SendDigest.
    ///
    /// Rules it must enforce:
    /// - FR-001: System MUST send at most one digest per user per day.
    /// - FR-002: Unsubscribed users MUST NOT receive anything.
    ///
    /// Errors: `UNSUBSCRIBED`, `ALREADY_SENT`.
    ///
    /// Free operation: answers 501 Not Implemented until its body is written.
    pub async fn send_digest(&self, input: SendDigestInput) -> Result<(), NotificationsError> {
        let _ = (input,);
        Err(NotificationsError::NotImplemented("SendDigest"))
    }

    /// PreviewDigest.
    ///
    /// Rules it must enforce:
    /// - FR-002: Unsubscribed users MUST NOT receive anything.
    ///
    /// Free operation: answers 501 Not Implemented until its body is written.
    pub async fn preview_digest(
        &self,
        input: PreviewDigestInput,
    ) -> Result<serde_json::Value, NotificationsError> {
        let _ = (input,);
        Err(NotificationsError::NotImplemented("PreviewDigest"))
    }

    /// RegisterChannel.
    ///
    /// Rules it must enforce:
    /// - FR-003: System MUST accept only channels it can deliver to.
    ///
    /// Errors: `UNSUPPORTED_CHANNEL`.
    ///
    /// Free operation: answers 501 Not Implemented until its body is written.
    pub async fn register_channel(
        &self,
        input: RegisterChannelInput,
    ) -> Result<bool, NotificationsError> {
        let _ = (input,);
        Err(NotificationsError::NotImplemented("RegisterChannel"))
    }
}
