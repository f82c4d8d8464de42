//! Created by scaffold from specs/NTF-7/spec.md; yours to edit: later spec changes are merged in.
//!
//! The `notifications` service: one method per operation, and the domain's errors.
use super::models::*;
use super::repository::*;
/// Everything an operation of `notifications` can fail with.
#[derive(Debug, Clone, PartialEq)]
pub enum NotificationsError {
    /// UNSUBSCRIBED (410): The user has unsubscribed
    Unsubscribed,
    /// ALREADY_SENT (409): Today's digest was already sent
    AlreadySent,
    /// UNSUPPORTED_CHANNEL (422): That channel cannot be delivered to
    UnsupportedChannel,
    /// The item an operation looks up does not exist (404).
    NotFound,
    /// The input breaks constraints of the spec (422).
    Validation(Vec<FieldError>),
    /// The operation has no implementation yet (501).
    NotImplemented(&'static str),
    /// Storage failed (500).
    Repository(RepositoryError),
}
impl NotificationsError {
    /// The stable code clients see.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unsubscribed => "UNSUBSCRIBED",
            Self::AlreadySent => "ALREADY_SENT",
            Self::UnsupportedChannel => "UNSUPPORTED_CHANNEL",
            Self::NotFound => "NOT_FOUND",
            Self::Validation(_) => "VALIDATION_FAILED",
            Self::NotImplemented(_) => "NOT_IMPLEMENTED",
            Self::Repository(_) => "INTERNAL",
        }
    }
    /// The HTTP status declared in the spec.
    pub fn http_status(&self) -> u16 {
        match self {
            Self::Unsubscribed => 410,
            Self::AlreadySent => 409,
            Self::UnsupportedChannel => 422,
            Self::NotFound => 404,
            Self::Validation(_) => 422,
            Self::NotImplemented(_) => 501,
            Self::Repository(_) => 500,
        }
    }
}
impl std::fmt::Display for NotificationsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Unsubscribed => f.write_str("The user has unsubscribed"),
            Self::AlreadySent => f.write_str("Today's digest was already sent"),
            Self::UnsupportedChannel => {
                f.write_str("That channel cannot be delivered to")
            }
            Self::NotFound => f.write_str("not found"),
            Self::Validation(errors) => write!(f, "{} invalid field(s)", errors.len()),
            Self::NotImplemented(operation) => {
                write!(f, "{operation} is not implemented yet")
            }
            Self::Repository(error) => error.fmt(f),
        }
    }
}
impl std::error::Error for NotificationsError {}
impl From<RepositoryError> for NotificationsError {
    fn from(error: RepositoryError) -> Self {
        Self::Repository(error)
    }
}
/// The operations of `notifications`.
#[derive(Clone)]
pub struct NotificationsService {}
impl std::fmt::Debug for NotificationsService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NotificationsService").finish_non_exhaustive()
    }
}
impl Default for NotificationsService {
    fn default() -> Self {
        Self::in_memory()
    }
}
impl NotificationsService {
    pub fn new() -> Self {
        Self {}
    }
    /// A service over in-memory repositories.
    pub fn in_memory() -> Self {
        Self::new()
    }
    /// SendDigest.
    ///
    /// Rules it must enforce:
    /// - FR-001: System MUST send at most one digest per user per day.
    /// - FR-002: Unsubscribed users MUST NOT receive anything.
    ///
    /// Errors: `UNSUBSCRIBED`, `ALREADY_SENT`.
    ///
    /// Free operation: answers 501 Not Implemented until its body is written.
    pub async fn send_digest(
        &self,
        input: SendDigestInput,
    ) -> Result<(), NotificationsError> {
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
#[cfg(test)]
mod tests {
    use super::*;
    /// Replace this test when you implement `SendDigest`.
    #[tokio::test]
    async fn send_digest_is_not_implemented_yet() {
        let service = NotificationsService::in_memory();
        let result = service
            .send_digest(super::super::models::samples::send_digest_input_sample())
            .await;
        assert_eq!(result, Err(NotificationsError::NotImplemented("SendDigest")));
    }
    /// Replace this test when you implement `PreviewDigest`.
    #[tokio::test]
    async fn preview_digest_is_not_implemented_yet() {
        let service = NotificationsService::in_memory();
        let result = service
            .preview_digest(super::super::models::samples::preview_digest_input_sample())
            .await;
        assert_eq!(result, Err(NotificationsError::NotImplemented("PreviewDigest")));
    }
    /// Replace this test when you implement `RegisterChannel`.
    #[tokio::test]
    async fn register_channel_is_not_implemented_yet() {
        let service = NotificationsService::in_memory();
        let result = service
            .register_channel(
                super::super::models::samples::register_channel_input_sample(),
            )
            .await;
        assert_eq!(result, Err(NotificationsError::NotImplemented("RegisterChannel")));
    }
}
