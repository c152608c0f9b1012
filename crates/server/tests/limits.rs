//! The limits of a case over HTTP (`docs/limits.md`): a case beyond them is answered `422
//! case.too_large` with the reason, JSON nested past serde_json's depth `400`, and the server
//! keeps serving.

#[path = "../../registry/tests/common/mod.rs"]
mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::*;
use delimit_case::limits::MAX_PERSONS;
use delimit_registry::Key;
use delimit_server::{AppState, Limits, router};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

async fn post(app: &axum::Router, path: &str, body: String) -> (StatusCode, Value) {
    let req = Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// The example journey with `persons` persons.
fn crowd(persons: usize) -> Value {
    let mut case = brick_kiln();
    for i in 1..persons {
        let mut p = case.persons[0].clone();
        p.id = format!("person-{i}");
        case.persons.push(p);
    }
    serde_json::to_value(case).unwrap()
}

#[tokio::test]
async fn a_case_beyond_the_limits_is_unprocessable_and_says_why() {
    let b = backends("api-limits").await.remove(0);
    let world = world(&b, Key::generate().unwrap()).await;
    let app = router(AppState::new(
        world.registry.clone(),
        kb(),
        Limits::default(),
    ));

    let (status, body) = post(
        &app,
        "/api/classify",
        json!({"case": crowd(MAX_PERSONS)}).to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let (status, body) = post(
        &app,
        "/api/classify",
        json!({"case": crowd(MAX_PERSONS + 1)}).to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "case.too_large");
    assert!(
        body["error"]["details"][0]
            .as_str()
            .unwrap()
            .contains("the case names 65 persons; a case names at most 64 (T113)"),
        "{body}"
    );

    // Nested past serde_json's depth, the body does not read at all: refused whole.
    let deep = format!(
        "{{\"case\": {}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let (status, body) = post(&app, "/api/classify", deep).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["code"], "request.invalid_json");

    // And the server still answers.
    let (status, _) = post(&app, "/api/classify", json!({"case": crowd(1)}).to_string()).await;
    assert_eq!(status, StatusCode::OK);
}

/// The size limit applies to the case as sent: a case of exactly the largest size is read,
/// although written again indented (as its problems would be located) it is larger; one byte
/// more is refused. (The request's own limit is raised here so that the case's is the one met.)
#[tokio::test]
async fn the_size_limit_is_that_of_the_case_as_sent() {
    use delimit_case::limits::MAX_CASE_BYTES;
    let b = backends("api-size").await.remove(0);
    let world = world(&b, Key::generate().unwrap()).await;
    let app = router(AppState::new(
        world.registry.clone(),
        kb(),
        Limits {
            body: 2 * MAX_CASE_BYTES,
            ..Limits::default()
        },
    ));
    let of_size = |bytes: usize| {
        let mut case = serde_json::to_value(brick_kiln()).unwrap();
        case["events"][0]["note"] = Value::String(String::new());
        let rest = serde_json::to_string(&case).unwrap().len();
        case["events"][0]["note"] = Value::String("n".repeat(bytes - rest));
        assert_eq!(serde_json::to_string(&case).unwrap().len(), bytes);
        assert!(serde_json::to_string_pretty(&case).unwrap().len() > MAX_CASE_BYTES);
        case
    };
    let (status, body) = post(
        &app,
        "/api/classify",
        json!({"case": of_size(MAX_CASE_BYTES)}).to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let (status, body) = post(
        &app,
        "/api/classify",
        json!({"case": of_size(MAX_CASE_BYTES + 1)}).to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "case.too_large");
}
