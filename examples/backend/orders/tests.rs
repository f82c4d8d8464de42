//! Created by scaffold from specs/ORD-142/spec.md, specs/ORD-150/data-model.md, specs/ORD-150/spec.md; yours to edit: later spec changes are merged in.
//!
//! The team's tests of `orders`: what the hand-written code in `rules.rs`
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
use super::service::OrdersService;

#[tokio::test]
async fn place_order_answers_201() {
    let service = Arc::new(OrdersService::in_memory());
    let (status, body) = send(
        router(service),
        "POST",
        "/orders",
        Some(serde_json::to_value(samples::place_order_input_sample()).expect("serialize")),
    )
    .await;
    assert_eq!(status.as_u16(), 201, "{body}");
    assert!(body.is_object(), "{body}");
}

#[tokio::test]
async fn cancel_order_answers_501_until_implemented() {
    let service = Arc::new(OrdersService::in_memory());
    let (status, body) = send(
        router(service),
        "POST",
        &format!("/orders/{}/cancel", path_value(&uuid::Uuid::new_v4())),
        None,
    )
    .await;
    assert_eq!(status.as_u16(), 501, "{body}");
    assert_eq!(body["code"], "NOT_IMPLEMENTED", "{body}");
}

#[tokio::test]
async fn list_orders_answers_200() {
    let service = Arc::new(OrdersService::in_memory());
    let _seeded = service
        .orders()
        .insert(samples::order_sample())
        .await
        .expect("seed");
    let (status, body) = send(router(service), "GET", "/orders", None).await;
    assert_eq!(status.as_u16(), 200, "{body}");
    assert!(
        body["items"]
            .as_array()
            .is_some_and(|items| !items.is_empty()),
        "{body}"
    );
}

#[tokio::test]
async fn update_order_answers_200() {
    let service = Arc::new(OrdersService::in_memory());
    let seeded = service
        .orders()
        .insert(samples::order_sample())
        .await
        .expect("seed");
    let (status, body) = send(
        router(service),
        "PATCH",
        &format!("/orders/{}", path_value(&seeded.id)),
        Some(serde_json::to_value(samples::update_order_input_sample()).expect("serialize")),
    )
    .await;
    assert_eq!(status.as_u16(), 200, "{body}");
    assert_eq!(
        body["id"],
        serde_json::to_value(seeded.id).expect("serialize")
    );
}

#[tokio::test]
async fn update_order_answers_404_for_an_unknown_key() {
    let service = Arc::new(OrdersService::in_memory());
    let (status, body) = send(
        router(service),
        "PATCH",
        &format!("/orders/{}", path_value(&uuid::Uuid::new_v4())),
        Some(serde_json::to_value(samples::update_order_input_sample()).expect("serialize")),
    )
    .await;
    assert_eq!(status.as_u16(), 404, "{body}");
    assert!(body["code"].is_string(), "{body}");
}
