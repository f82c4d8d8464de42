//! Created by scaffold from specs/NTF-7/spec.md; yours to edit: later spec changes are merged in.
//!
//! The team's tests of `notifications`: what the hand-written code in `rules.rs`
//! decides. Free operations answer 501 until written, and operations with rules
//! start from their success paths on sample data: change each test when its
//! operation or its rules change, and add the cases the rules make.

use std::sync::Arc;

use super::super::scaffold_support::testing::path_value;
use super::super::scaffold_support::testing::send;
use super::models::samples;
#[allow(unused_imports, reason = "the types a test written here may need")]
use super::models::*;
use super::routes::router;
use super::service::NotificationsService;

#[tokio::test]
async fn send_digest_answers_501_until_implemented() {
    let service = Arc::new(NotificationsService::in_memory());
    let (status, body) = send(
        router(service),
        "POST",
        &format!("/users/{}/digests", path_value(&uuid::Uuid::new_v4())),
        Some(serde_json::to_value(samples::send_digest_body_sample()).expect("serialize")),
    )
    .await;
    assert_eq!(status.as_u16(), 501, "{body}");
    assert_eq!(body["code"], "NOT_IMPLEMENTED", "{body}");
}

#[tokio::test]
async fn preview_digest_answers_501_until_implemented() {
    let service = Arc::new(NotificationsService::in_memory());
    let (status, body) = send(
        router(service),
        "GET",
        &format!(
            "/users/{}/digest-preview",
            path_value(&uuid::Uuid::new_v4())
        ),
        None,
    )
    .await;
    assert_eq!(status.as_u16(), 501, "{body}");
    assert_eq!(body["code"], "NOT_IMPLEMENTED", "{body}");
}

#[tokio::test]
async fn register_channel_answers_501_until_implemented() {
    let service = Arc::new(NotificationsService::in_memory());
    let (status, body) = send(
        router(service),
        "PUT",
        &format!("/users/{}/channels", path_value(&uuid::Uuid::new_v4())),
        Some(serde_json::to_value(samples::register_channel_body_sample()).expect("serialize")),
    )
    .await;
    assert_eq!(status.as_u16(), 501, "{body}");
    assert_eq!(body["code"], "NOT_IMPLEMENTED", "{body}");
}
