//! Created by scaffold from specs/KW-3/spec.md; yours to edit: later spec changes are merged in.
//!
//! The `match` service: one method per operation, and the domain's errors.

use std::sync::Arc;
use super::models::*;
use super::repository::*;

/// Everything an operation of `match` can fail with.
#[derive(Debug, Clone, PartialEq)]
pub enum MatchError {
    /// NO_MATCH (404): No such match
    NoMatch,
    /// The item an operation looks up does not exist (404).
    NotFound,
    /// The input breaks constraints of the spec (422).
    Validation(Vec<FieldError>),
    /// The operation has no implementation yet (501).
    NotImplemented(&'static str),
    /// Storage failed (500).
    Repository(RepositoryError),
}

impl MatchError {
    /// The stable code clients see.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NoMatch => "NO_MATCH",
            Self::NotFound => "NOT_FOUND",
            Self::Validation(_) => "VALIDATION_FAILED",
            Self::NotImplemented(_) => "NOT_IMPLEMENTED",
            Self::Repository(_) => "INTERNAL",
        }
    }

    /// The HTTP status declared in the spec.
    pub fn http_status(&self) -> u16 {
        match self {
            Self::NoMatch => 404,
            Self::NotFound => 404,
            Self::Validation(_) => 422,
            Self::NotImplemented(_) => 501,
            Self::Repository(_) => 500,
        }
    }
}

impl std::fmt::Display for MatchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NoMatch => f.write_str("No such match"),
            Self::NotFound => f.write_str("not found"),
            Self::Validation(errors) => write!(f, "{} invalid field(s)", errors.len()),
            Self::NotImplemented(operation) => {
                write!(f, "{operation} is not implemented yet")
            }
            Self::Repository(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for MatchError {}
impl From<RepositoryError> for MatchError {
    fn from(error: RepositoryError) -> Self {
        Self::Repository(error)
    }
}

/// The operations of `match`.
#[derive(Clone)]
pub struct MatchService {
    matches: Arc<dyn MatchRepository>,
    options: Arc<dyn OptionRecordRepository>,
}

impl std::fmt::Debug for MatchService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MatchService").finish_non_exhaustive()
    }
}

impl Default for MatchService {
    fn default() -> Self {
        Self::in_memory()
    }
}

impl MatchService {
    pub fn new(
        matches: Arc<dyn MatchRepository>,
        options: Arc<dyn OptionRecordRepository>,
    ) -> Self {
        Self { matches, options }
    }

    /// A service over in-memory repositories.
    pub fn in_memory() -> Self {
        Self::new(
            Arc::new(InMemoryMatchRepository::default()),
            Arc::new(InMemoryOptionRecordRepository::default()),
        )
    }

    pub fn matches(&self) -> &Arc<dyn MatchRepository> {
        &self.matches
    }

    pub fn options(&self) -> &Arc<dyn OptionRecordRepository> {
        &self.options
    }

    /// CreateMatch.
    pub async fn create_match(
        &self,
        input: CreateMatchInput,
    ) -> Result<Match, MatchError> {
        input.validate().map_err(MatchError::Validation)?;
        let item = Match {
            id: input.id,
            r#type: input.r#type,
            r#ref: input.r#ref,
            r#async: input.r#async,
            r#move: input.r#move,
            r#where: None,
        };
        item.validate().map_err(MatchError::Validation)?;
        Ok(self.matches.insert(item).await?)
    }

    /// Loop.
    ///
    /// Errors: `NO_MATCH`.
    pub async fn r#loop(&self, match_id: String) -> Result<Match, MatchError> {
        let item = self.matches.get(match_id).await?.ok_or(MatchError::NoMatch)?;
        Ok(item)
    }

    /// Impl.
    ///
    /// Free operation: answers 501 Not Implemented until its body is written.
    pub async fn r#impl(&self, input: ImplInput) -> Result<OptionRecord, MatchError> {
        let _ = (input,);
        Err(MatchError::NotImplemented("Impl"))
    }
}

/// Free operations answer 501 until they are written: replace each test when you implement its operation.
#[cfg(test)]
mod tests {
    use super::*;
    use super::super::super::scaffold_support::testing::send;
    use super::super::super::scaffold_support::testing::path_value;

    #[tokio::test]
    async fn impl_answers_501_until_implemented() {
        let app = super::super::routes::router(
            std::sync::Arc::new(MatchService::in_memory()),
        );
        let (status, body) = send(
                app,
                "POST",
                &format!("/matches/{}/impl", path_value(& "aaaaaa".to_string())),
                Some(
                    serde_json::to_value(
                            super::super::models::samples::impl_body_sample(),
                        )
                        .expect("serialize"),
                ),
            )
            .await;
        assert_eq!(status.as_u16(), 501, "{body}");
        assert_eq!(body["code"], "NOT_IMPLEMENTED", "{body}");
    }
}
