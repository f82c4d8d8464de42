//! HTTP conventions of the generated rust-axum code, through `backend::router()`
//! in a real host crate: `Location`, PATCH with `null`, unknown fields, JSON
//! errors naming their path, paging, request ids, and fields named `self`.

use crate::generated_code::example_host;

/// Fields named like keywords of either stack, nullable fields an update can
/// clear, and a list to page through (shared by the Rust and Python tests).
const SPEC: &str = include_str!("../fixtures/http/links.spec.md");

/// The host crate's own tests: requests a client would send.
const HOST_TESTS: &str = r##"//! Requests through `backend::router()`, as a client sends them.

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use serde_json::{Value, json};
use tower::ServiceExt;

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Value,
}

async fn send(
    app: &axum::Router,
    method: &str,
    uri: &str,
    body: Option<&str>,
    request_id: Option<&str>,
) -> Answer {
    let mut request = Request::builder().method(method).uri(uri);
    if let Some(id) = request_id {
        request = request.header("x-request-id", id);
    }
    let request = match body {
        Some(text) => request
            .header("content-type", "application/json")
            .body(Body::from(text.to_string())),
        None => request.body(Body::empty()),
    };
    let response = app
        .clone()
        .oneshot(request.expect("request"))
        .await
        .expect("response");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).expect("JSON")
    };
    Answer {
        status,
        headers,
        body,
    }
}

async fn create(app: &axum::Router, body: Value) -> Value {
    let answer = send(app, "POST", "/links", Some(&body.to_string()), None).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    answer.body
}

fn first_field(answer: &Answer) -> &str {
    answer.body["fields"][0]["field"]
        .as_str()
        .unwrap_or_else(|| panic!("no field in {}", answer.body))
}

#[tokio::test]
async fn created_answers_201_with_a_location_that_reads_it_back() {
    let app = scaffold_examples::backend::router();
    let answer = send(
        &app,
        "POST",
        "/links",
        Some(r#"{"self": "https://x/1", "crate": 2, "title": "one"}"#),
        None,
    )
    .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    let location = answer
        .headers
        .get("location")
        .expect("Location")
        .to_str()
        .expect("ASCII")
        .to_string();
    assert_eq!(
        location,
        format!("/links/{}", answer.body["id"].as_str().expect("id"))
    );
    let again = send(&app, "GET", &location, None, None).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(again.body, answer.body);
}

#[tokio::test]
async fn fields_named_self_super_crate_keep_their_json_names() {
    let app = scaffold_examples::backend::router();
    let body = create(
        &app,
        json!({"self": "https://x/2", "super": "up", "crate": 3, "title": "two"}),
    )
    .await;
    assert_eq!(
        (&body["self"], &body["super"], &body["crate"]),
        (&json!("https://x/2"), &json!("up"), &json!(3)),
        "{body}"
    );
    assert!(body.get("self_").is_none(), "{body}");
}

#[tokio::test]
async fn an_unknown_field_answers_422_naming_it() {
    let app = scaffold_examples::backend::router();
    let answer = send(
        &app,
        "POST",
        "/links",
        Some(r#"{"self": "s", "title": "t", "colour": "red"}"#),
        None,
    )
    .await;
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        answer.body
    );
    assert_eq!(answer.body["code"], "INVALID_BODY");
    assert_eq!(first_field(&answer), "colour");
}

#[tokio::test]
async fn a_wrong_type_answers_422_naming_the_field() {
    let app = scaffold_examples::backend::router();
    let answer = send(
        &app,
        "POST",
        "/links",
        Some(r#"{"self": "s", "title": 5}"#),
        None,
    )
    .await;
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        answer.body
    );
    assert_eq!(first_field(&answer), "title");
    let missing = send(&app, "POST", "/links", Some(r#"{"title": "t"}"#), None).await;
    assert_eq!(
        missing.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        missing.body
    );
    assert_eq!(first_field(&missing), "self");
}

#[tokio::test]
async fn broken_json_answers_422_too() {
    let app = scaffold_examples::backend::router();
    for text in [
        r#"{"self": "#,
        "not json",
        r#"{"self": "s", "title": "t"} trailing"#,
    ] {
        let answer = send(&app, "POST", "/links", Some(text), None).await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{text}: {}",
            answer.body
        );
        assert_eq!(answer.body["code"], "INVALID_BODY", "{text}");
        assert!(!first_field(&answer).is_empty(), "{text}: {}", answer.body);
    }
}

#[tokio::test]
async fn patch_tells_absent_from_null() {
    let app = scaffold_examples::backend::router();
    let id = create(&app, json!({"self": "s", "super": "up", "title": "t"})).await["id"]
        .as_str()
        .expect("id")
        .to_string();
    let uri = format!("/links/{id}");
    let kept = send(&app, "PATCH", &uri, Some(r#"{"title": "renamed"}"#), None).await;
    assert_eq!(kept.status, StatusCode::OK, "{}", kept.body);
    assert_eq!(
        (&kept.body["title"], &kept.body["super"]),
        (&json!("renamed"), &json!("up")),
        "{}",
        kept.body
    );
    let cleared = send(&app, "PATCH", &uri, Some(r#"{"super": null}"#), None).await;
    assert_eq!(cleared.status, StatusCode::OK, "{}", cleared.body);
    assert!(
        cleared.body.get("super").is_none_or(Value::is_null),
        "{}",
        cleared.body
    );
    assert_eq!(cleared.body["title"], "renamed");
    let too_long = send(
        &app,
        "PATCH",
        &uri,
        Some(&json!({"super": "x".repeat(21)}).to_string()),
        None,
    )
    .await;
    assert_eq!(
        too_long.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        too_long.body
    );
    assert_eq!(first_field(&too_long), "super");
    let unknown = send(
        &app,
        "PATCH",
        &uri,
        Some(r#"{"self": "not updatable"}"#),
        None,
    )
    .await;
    assert_eq!(
        unknown.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        unknown.body
    );
    assert_eq!(first_field(&unknown), "self");
}

#[tokio::test]
async fn lists_page_by_limit_and_offset() {
    let app = scaffold_examples::backend::router();
    for n in 0..3 {
        create(&app, json!({"self": format!("s{n}"), "title": "t"})).await;
    }
    let first = send(&app, "GET", "/links?limit=2", None, None).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(
        first.body["items"].as_array().map(Vec::len),
        Some(2),
        "{}",
        first.body
    );
    let next = first.body["next"]
        .as_str()
        .expect("a next page")
        .to_string();
    let last = send(
        &app,
        "GET",
        &format!("/links?limit=2&offset={next}"),
        None,
        None,
    )
    .await;
    assert_eq!(
        last.body["items"].as_array().map(Vec::len),
        Some(1),
        "{}",
        last.body
    );
    assert_eq!(last.body["next"], Value::Null, "{}", last.body);
    let all = send(&app, "GET", "/links", None, None).await;
    assert_eq!(
        (
            all.body["items"].as_array().map(Vec::len),
            &all.body["next"]
        ),
        (Some(3), &Value::Null),
        "{}",
        all.body
    );
    let filtered = send(&app, "GET", "/links?title=none&limit=200", None, None).await;
    assert_eq!(filtered.body["items"], json!([]), "{}", filtered.body);
    for (query, field) in [
        ("limit=201", "limit"),
        ("limit=0", "limit"),
        ("limit=two", "limit"),
        ("offset=-1", "offset"),
    ] {
        let answer = send(&app, "GET", &format!("/links?{query}"), None, None).await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{query}: {}",
            answer.body
        );
        assert_eq!(first_field(&answer), field, "{query}");
    }
}

#[tokio::test]
async fn every_answer_carries_a_request_id() {
    let app = scaffold_examples::backend::router();
    let made = send(&app, "GET", "/links", None, None).await;
    let id = made.headers.get("x-request-id").expect("x-request-id made");
    assert!(!id.is_empty());
    let given = send(&app, "POST", "/links", Some("{}"), Some("req-7")).await;
    assert_eq!(
        given.headers.get("x-request-id").map(|v| v.as_bytes()),
        Some(&b"req-7"[..])
    );
}
"##;

#[test]
fn generated_routes_follow_http_conventions() {
    let project = example_host();
    std::fs::remove_dir_all(project.path().join("specs")).expect("rm specs");
    project.write("specs/HAL-1/spec.md", SPEC);
    project.write("tests/http.rs", HOST_TESTS);
    let stdout = project.generate_lint_and_test();
    for test in [
        "created_answers_201_with_a_location_that_reads_it_back",
        "fields_named_self_super_crate_keep_their_json_names",
        "an_unknown_field_answers_422_naming_it",
        "a_wrong_type_answers_422_naming_the_field",
        "broken_json_answers_422_too",
        "patch_tells_absent_from_null",
        "lists_page_by_limit_and_offset",
        "every_answer_carries_a_request_id",
        // The generated tests of the domain and of router().
        "links::routes::tests::create_link_answers_201 ... ok",
        "tests::a_request_id_given_is_returned ... ok",
    ] {
        assert!(
            stdout.contains(test) && !stdout.contains(&format!("{test} ... FAILED")),
            "`{test}` did not pass:\n{stdout}"
        );
    }
}
