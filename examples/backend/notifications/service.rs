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

/// Free operations answer 501 until they are written: replace each test when you implement its operation.
#[cfg(test)]
mod tests {
    use super::*;
    use super::super::super::scaffold_support::testing::send;
    use super::super::super::scaffold_support::testing::path_value;

    #[tokio::test]
    async fn send_digest_answers_501_until_implemented() {
        let app = super::super::routes::router(
            std::sync::Arc::new(NotificationsService::in_memory()),
        );
        let (status, body) = send(
                app,
                "POST",
                &format!("/users/{}/digests", path_value(& uuid::Uuid::new_v4())),
                Some(
                    serde_json::to_value(
                            super::super::models::samples::send_digest_body_sample(),
                        )
                        .expect("serialize"),
                ),
            )
            .await;
        assert_eq!(status.as_u16(), 501, "{body}");
        assert_eq!(body["code"], "NOT_IMPLEMENTED", "{body}");
    }

    #[tokio::test]
    async fn preview_digest_answers_501_until_implemented() {
        let app = super::super::routes::router(
            std::sync::Arc::new(NotificationsService::in_memory()),
        );
        let (status, body) = send(
                app,
                "GET",
                &format!("/users/{}/digest-preview", path_value(& uuid::Uuid::new_v4())),
                None,
            )
            .await;
        assert_eq!(status.as_u16(), 501, "{body}");
        assert_eq!(body["code"], "NOT_IMPLEMENTED", "{body}");
    }

    #[tokio::test]
    async fn register_channel_answers_501_until_implemented() {
        let app = super::super::routes::router(
            std::sync::Arc::new(NotificationsService::in_memory()),
        );
        let (status, body) = send(
                app,
                "PUT",
                &format!("/users/{}/channels", path_value(& uuid::Uuid::new_v4())),
                Some(
                    serde_json::to_value(
                            super::super::models::samples::register_channel_body_sample(),
                        )
                        .expect("serialize"),
                ),
            )
            .await;
        assert_eq!(status.as_u16(), 501, "{body}");
        assert_eq!(body["code"], "NOT_IMPLEMENTED", "{body}");
    }
}
