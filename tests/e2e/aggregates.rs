//! Hand-written rules and generated tests: an operation with rules calls an owned
//! hook, its success paths are tested in the owned tests file, and no generated
//! test contradicts a correct implementation (ORD-142's FR-001).

use std::panic::AssertUnwindSafe;

use crate::generated_code::example_host;
use crate::support::{Project, copy_dir, workspace};

/// The example host crate with ORD-142 as its only spec.
fn ord_142_host() -> Project {
    let project = example_host();
    std::fs::remove_dir_all(project.path().join("specs")).expect("rm specs");
    copy_dir(
        &workspace().join("examples/specs/ORD-142"),
        &project.path().join("specs/ORD-142"),
    );
    project
}

/// Replaces the default body of the owned hook `hook` in `backend/orders/rules.rs`.
fn write_rule(project: &Project, hook: &str, body: &str) {
    let path = "backend/orders/rules.rs";
    let text = project.read(path);
    let start = text
        .find(&format!("fn {hook}("))
        .unwrap_or_else(|| panic!("no hook {hook} in:\n{text}"));
    let default = "let _ = (input,);\n        Ok(())";
    let at = start
        + text[start..]
            .find(default)
            .unwrap_or_else(|| panic!("{hook} has no default body in:\n{text}"));
    let mut edited = text.clone();
    edited.replace_range(at..at + default.len(), body);
    project.write(path, &edited);
}

/// The test the team adds to its owned tests file for FR-001.
const EMPTY_ORDER_TEST: &str = r#"
#[tokio::test]
async fn place_order_without_lines_is_refused() {
    let service = OrdersService::in_memory();
    let mut input = samples::place_order_input_sample();
    input.lines.clear();
    let result = service.place_order(input).await;
    assert!(matches!(result, Err(super::OrdersError::EmptyOrder)), "{result:?}");
}

#[tokio::test]
async fn placed_lines_are_stored_with_the_order() {
    let service = OrdersService::in_memory();
    let order = service.place_order(samples::place_order_input_sample()).await.expect("placed");
    let filter = super::repository::OrderLineFilter { order_id: Some(order.id) };
    let lines = service.order_lines().list(filter, super::repository::Window::ALL).await.expect("lines");
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0].order_id, order.id);
}

#[tokio::test]
async fn a_broken_line_is_named_by_its_path() {
    let service = OrdersService::in_memory();
    let mut input = samples::place_order_input_sample();
    input.lines[0].sku = "not a sku".into();
    match service.place_order(input).await {
        Err(super::OrdersError::Validation(fields)) => {
            assert!(fields.iter().any(|f| f.field == "lines[0].sku"), "{fields:?}");
        }
        other => panic!("{other:?}"),
    }
    // Nothing half-written: no order without its lines.
    let orders = service.orders().list(super::repository::OrderFilter::default(), super::repository::Window::ALL).await.expect("orders");
    assert!(orders.is_empty(), "{orders:?}");
}
"#;

/// `cargo test` in the project, expected to fail: its output.
fn failing_tests(project: &Project) -> String {
    let outcome =
        std::panic::catch_unwind(AssertUnwindSafe(|| project.cargo(&["test", "--locked"])));
    match outcome {
        Ok(stdout) => panic!("the tests passed, but the rule is wrong:\n{stdout}"),
        Err(panic) => panic
            .downcast_ref::<String>()
            .cloned()
            .unwrap_or_else(|| "(no message)".into()),
    }
}

#[test]
fn rules_written_in_the_owned_file_keep_the_generated_suite_green() {
    let project = ord_142_host();
    // As generated: the hook accepts everything, and every test passes.
    let stdout = project.generate_lint_and_test();
    for expected in [
        // The rule decides PlaceOrder's success path: the test is the team's.
        "orders::tests::place_order_answers_201 ... ok",
        // What generated code guarantees stays generated.
        "orders::routes::tests::place_order_answers_422_for_a_malformed_body ... ok",
        "orders::routes::tests::get_order_answers_404_for_an_unknown_key ... ok",
        "orders::models::tests::order_line_sku_pattern_is_enforced ... ok",
    ] {
        assert!(
            stdout.contains(expected),
            "missing `{expected}` in:\n{stdout}"
        );
    }
    assert!(
        !stdout.contains("orders::routes::tests::place_order_answers_201"),
        "a generated test checks what the rules decide:\n{stdout}"
    );
    let service = project.read("backend/orders/service.rs");
    assert!(
        service.contains("self.place_order_rules(&input).await?;"),
        "{service}"
    );
    // The spec leaves `total_cents` to the service: an owned hook computes it.
    assert!(
        service.contains("self.place_order_total_cents(&input).await?"),
        "{service}"
    );

    // FR-001, written by hand in the owned file, with the team's own test of it.
    write_rule(
        &project,
        "place_order_rules",
        "if input.lines.is_empty() {\n            return Err(OrdersError::EmptyOrder);\n        }\n        Ok(())",
    );
    let tests = project.read("backend/orders/tests.rs");
    project.write(
        "backend/orders/tests.rs",
        &format!("{tests}{EMPTY_ORDER_TEST}"),
    );
    let check = project.scaffold().args(["generate", "--check"]).run();
    assert_eq!(check.code, 0, "{}", check.transcript());
    project.cargo(&[
        "clippy",
        "--quiet",
        "--all-targets",
        "--locked",
        "--",
        "-D",
        "warnings",
    ]);
    let stdout = project.cargo(&["test", "--locked"]);
    for expected in [
        "orders::tests::place_order_answers_201 ... ok",
        "orders::tests::place_order_without_lines_is_refused ... ok",
        "orders::tests::a_broken_line_is_named_by_its_path ... ok",
        "orders::tests::placed_lines_are_stored_with_the_order ... ok",
        "orders::routes::tests::place_order_answers_422_for_a_malformed_body ... ok",
    ] {
        assert!(
            stdout.contains(expected),
            "missing `{expected}` in:\n{stdout}"
        );
    }
    assert!(stdout.contains("0 failed"), "{stdout}");

    // Written wrongly (an order of one line passes, an empty one too): the team's test says so.
    let text = project.read("backend/orders/rules.rs");
    let correct = "if input.lines.is_empty() {\n            return Err(OrdersError::EmptyOrder);\n        }\n        Ok(())";
    let wrong = "if input.lines.len() > 1 {\n            return Err(OrdersError::EmptyOrder);\n        }\n        Ok(())";
    project.write("backend/orders/rules.rs", &text.replace(correct, wrong));
    let failed = failing_tests(&project);
    assert!(
        failed.contains("place_order_without_lines_is_refused ... FAILED"),
        "{failed}"
    );
    assert!(
        failed.contains("place_order_answers_201 ... ok"),
        "{failed}"
    );
}

/// The team's tests of storage errors through the router (KIT-1: `sku` is unique,
/// `DUPLICATE_SKU` is its 409), appended to the owned tests file.
const STORAGE_ERROR_TESTS: &str = r#"
#[tokio::test]
async fn a_taken_unique_value_answers_409_with_the_spec_code() {
    use super::super::scaffold_support::testing::send;
    let service = std::sync::Arc::new(CatalogService::in_memory());
    let input = serde_json::to_value(super::models::samples::create_product_input_sample()).expect("serialize");
    let (status, body) = send(super::routes::router(service.clone()), "POST", "/products", Some(input.clone())).await;
    assert_eq!(status.as_u16(), 201, "{body}");
    let (status, body) = send(super::routes::router(service), "POST", "/products", Some(input)).await;
    assert_eq!(status.as_u16(), 409, "{body}");
    assert_eq!(body["code"], "DUPLICATE_SKU", "{body}");
}

#[tokio::test]
async fn references_are_enforced_like_foreign_keys() {
    use super::super::scaffold_support::RepositoryError;
    use super::super::scaffold_support::testing::send;
    let service = std::sync::Arc::new(CatalogService::in_memory());
    // A review of a product that does not exist: refused by storage, not stored.
    let mut orphan = super::models::samples::review_sample();
    orphan.product_id = 999;
    let refused = service.reviews().insert(orphan).await;
    assert!(matches!(refused, Err(RepositoryError::ForeignKey { ref constraint }) if constraint == "reviews_product_id_fkey"), "{refused:?}");
    let (status, body) = send(super::routes::router(service.clone()), "POST", "/products/999/reviews", Some(serde_json::json!({"rating": 4}))).await;
    assert_eq!(status.as_u16(), 404, "{body}");
    // A product that is reviewed cannot be deleted: 409, and it stays.
    let input = serde_json::to_value(super::models::samples::create_product_input_sample()).expect("serialize");
    let (status, product) = send(super::routes::router(service.clone()), "POST", "/products", Some(input)).await;
    assert_eq!(status.as_u16(), 201, "{product}");
    let id = product["id"].as_i64().expect("id");
    let (status, body) = send(super::routes::router(service.clone()), "POST", &format!("/products/{id}/reviews"), Some(serde_json::json!({"rating": 4}))).await;
    assert_eq!(status.as_u16(), 201, "{body}");
    let (status, body) = send(super::routes::router(service.clone()), "DELETE", &format!("/products/{id}"), None).await;
    assert_eq!((status.as_u16(), body["code"].as_str()), (409, Some("REFERENCE_CONFLICT")), "{body}");
    let (status, body) = send(super::routes::router(service), "GET", &format!("/products/{id}"), None).await;
    assert_eq!(status.as_u16(), 200, "{body}");
}

#[tokio::test]
async fn lists_are_filtered_and_paged_by_storage() {
    use super::super::scaffold_support::testing::send;
    use super::repository::{ProductFilter, Window};
    let service = std::sync::Arc::new(CatalogService::in_memory());
    for (n, status) in [(1, "draft"), (2, "live"), (3, "live"), (4, "live")] {
        let mut input = serde_json::to_value(super::models::samples::create_product_input_sample()).expect("serialize");
        input["sku"] = serde_json::json!(format!("ABC-000{n}"));
        input["status"] = serde_json::json!(status);
        let (code, body) = send(super::routes::router(service.clone()), "POST", "/products", Some(input)).await;
        assert_eq!(code.as_u16(), 201, "{body}");
    }
    // The repository selects and windows: what a database runs as one query.
    let live = service.products().list(ProductFilter { status: Some(super::models::ProductStatus::Live), ..ProductFilter::default() }, Window { offset: 1, limit: Some(1) }).await.expect("list");
    assert_eq!(live.iter().map(|p| p.sku.as_str()).collect::<Vec<_>>(), ["ABC-0003"]);
    let (code, page) = send(super::routes::router(service.clone()), "GET", "/products?status=live&limit=2", None).await;
    assert_eq!(code.as_u16(), 200, "{page}");
    assert_eq!((page["items"].as_array().map(Vec::len), page["next"].as_str()), (Some(2), Some("2")), "{page}");
    let (code, page) = send(super::routes::router(service.clone()), "GET", "/products?status=live&limit=2&offset=2", None).await;
    assert_eq!(code.as_u16(), 200, "{page}");
    assert_eq!(page["items"][0]["sku"], "ABC-0004", "{page}");
    assert!(page["next"].is_null(), "{page}");
    let (code, body) = send(super::routes::router(service), "GET", "/products?limit=201", None).await;
    assert_eq!(code.as_u16(), 422, "{body}");
}

#[test]
fn a_storage_failure_answers_a_generic_500() {
    use super::super::scaffold_support::RepositoryError;
    let error = super::CatalogError::from(RepositoryError::other("password authentication failed for user app"));
    assert_eq!((error.http_status(), error.code()), (500, "INTERNAL"));
    assert!(!error.to_string().contains("password"), "{error}");
    let error = super::CatalogError::from(RepositoryError::Unavailable);
    assert_eq!((error.http_status(), error.code()), (503, "INTERNAL"));
    let error = super::CatalogError::from(RepositoryError::Conflict { constraint: "other_key".into() });
    assert_eq!((error.http_status(), error.code()), (409, "CONFLICT"));
}
"#;

#[test]
fn storage_errors_answer_409_for_taken_values_and_references_and_lists_page_in_storage() {
    let project = example_host();
    std::fs::remove_dir_all(project.path().join("specs")).expect("rm specs");
    copy_dir(
        &workspace().join("examples/specs/KIT-1"),
        &project.path().join("specs/KIT-1"),
    );
    let output = project.scaffold().args(["generate"]).run();
    assert_eq!(output.code, 0, "{}", output.transcript());
    let tests = project.read("backend/catalog/tests.rs");
    project.write(
        "backend/catalog/tests.rs",
        &format!("{tests}{STORAGE_ERROR_TESTS}"),
    );
    project.cargo(&[
        "clippy",
        "--quiet",
        "--all-targets",
        "--locked",
        "--",
        "-D",
        "warnings",
    ]);
    let stdout = project.cargo(&["test", "--locked"]);
    for expected in [
        "catalog::tests::a_taken_unique_value_answers_409_with_the_spec_code ... ok",
        "catalog::tests::a_storage_failure_answers_a_generic_500 ... ok",
        "catalog::tests::references_are_enforced_like_foreign_keys ... ok",
        "catalog::tests::lists_are_filtered_and_paged_by_storage ... ok",
    ] {
        assert!(
            stdout.contains(expected),
            "missing `{expected}` in:\n{stdout}"
        );
    }
}

/// A domain of ten entities: the service takes one repositories struct, so
/// clippy's too-many-arguments has nothing to say.
#[test]
fn a_domain_of_ten_entities_passes_clippy() {
    let project = example_host();
    std::fs::remove_dir_all(project.path().join("specs")).expect("rm specs");
    let mut spec = String::from(
        "---\nticket: BIG-1\ndomain: big\n---\n# Feature Specification: Ten entities\n\nMany tables.\n\n## Domain Model\n",
    );
    for n in 0..10 {
        spec.push_str(&format!(
            "\n### Entity: Thing{n}\n| Field | Type | Required | Constraints |\n|-------|------|----------|-------------|\n| `id` | uuid | yes | primary key |\n| `name` | string | yes | max 40 |\n"
        ));
    }
    spec.push_str("\n## Operations\n\n### OP-001: CreateThing0\n- **Kind**: create Thing0\n- **Input**: `name`\n- **Output**: `Thing0`\n\n## API Endpoints\n| Method | Path | Operation | Status | Errors |\n|--------|------|-----------|--------|--------|\n| POST | `/things` | CreateThing0 | 201 | 422 |\n");
    project.write("specs/BIG-1/spec.md", &spec);
    let stdout = project.generate_lint_and_test();
    assert!(
        stdout.contains("big::routes::tests::create_thing0_answers_201 ... ok"),
        "{stdout}"
    );
    let service = project.read("backend/big/service.rs");
    assert!(
        service.contains("pub fn new(repositories: BigRepositories) -> Self"),
        "{service}"
    );
}
