//! Created by scaffold from specs/KIT-1/spec.md; yours to edit: later spec changes are merged in.
//!
//! The team's tests of `catalog`: what the hand-written code in `rules.rs`
//! decides. Free operations answer 501 until written, and operations with rules
//! start from their success paths on sample data: change each test when its
//! operation or its rules change, and add the cases the rules make.

use std::sync::Arc;

use super::super::scaffold_support::testing::send;
use super::models::samples;
#[allow(unused_imports, reason = "the types a test written here may need")]
use super::models::*;
use super::routes::router;
use super::service::CatalogService;

#[tokio::test]
async fn create_product_answers_201() {
    let service = Arc::new(CatalogService::in_memory());
    let (status, body) = send(
        router(service),
        "POST",
        "/products",
        Some(serde_json::to_value(samples::create_product_input_sample()).expect("serialize")),
    )
    .await;
    assert_eq!(status.as_u16(), 201, "{body}");
    assert!(body.is_object(), "{body}");
}

#[tokio::test]
async fn recalculate_answers_501_until_implemented() {
    let service = Arc::new(CatalogService::in_memory());
    let (status, body) = send(
        router(service),
        "PUT",
        "/catalog/recalculation",
        Some(serde_json::to_value(samples::recalculate_input_sample()).expect("serialize")),
    )
    .await;
    assert_eq!(status.as_u16(), 501, "{body}");
    assert_eq!(body["code"], "NOT_IMPLEMENTED", "{body}");
}
