//! The HTTP API, through the router, on each back end: the OpenAPI description against the
//! routes, structured errors, sign-in, CSRF, rate limiting, roles with their audit entries,
//! the interview and classification.

mod client;
#[path = "../../registry/tests/common/mod.rs"]
mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use client::*;
use common::*;
use delimit_server::{OPENAPI, ROUTES};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

fn error_schema() -> (boon::Schemas, boon::SchemaIndex) {
    let spec: Value = serde_json::from_str(OPENAPI).unwrap();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.add_resource("spec.json", spec).unwrap();
    let index = compiler
        .compile("spec.json#/components/schemas/Error", &mut schemas)
        .unwrap();
    (schemas, index)
}

fn assert_structured(r: &Reply, status: StatusCode, code: &str) {
    assert_eq!(r.status, status, "{}", r.json);
    assert_eq!(r.json["error"]["code"], code, "{}", r.json);
    let (schemas, index) = error_schema();
    assert!(
        schemas.validate(&r.json, index).is_ok(),
        "not the Error schema: {}",
        r.json
    );
}

fn case_body() -> Value {
    json!({"case": serde_json::to_value(brick_kiln()).unwrap(), "identity": {"names": ["Rustam Nazarov"]}})
}

#[tokio::test]
async fn the_openapi_description_lists_exactly_the_routes() {
    let spec: Value = serde_json::from_str(OPENAPI).unwrap();
    assert_eq!(spec["openapi"], "3.1.0");
    let mut described: Vec<(String, String)> = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            described.push((method.clone(), path.clone()));
        }
    }
    let mut routes: Vec<(String, String)> = ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    described.sort();
    routes.sort();
    assert_eq!(described, routes);
    // Every route is served (no `route.not_found`), and the served description is this one.
    let b = backends("openapi").await.remove(0);
    let api = Api::new(&b).await;
    for (method, path) in ROUTES {
        let r = api
            .call(
                &method.to_uppercase(),
                &path.replace("{id}", "x"),
                None,
                None,
            )
            .await;
        assert_ne!(
            r.json["error"]["code"], "route.not_found",
            "{method} {path}"
        );
    }
    let served = api.call("GET", "/api/openapi.json", None, None).await;
    assert_eq!(served.json, spec);
}

#[tokio::test]
async fn bad_requests_get_structured_errors_and_change_nothing() {
    for b in backends("api-errors").await {
        let api = Api::new(&b).await;
        let t = api.token("caseworker").await;
        let before = api
            .world
            .registry
            .cases(&api.world.caseworker, "", 100)
            .await
            .unwrap()
            .len();

        let mut req = Request::post("/api/cases")
            .header(header::AUTHORIZATION, format!("Bearer {t}"))
            .body(Body::from("{\"case\": "))
            .unwrap();
        assert_structured(
            &api.send(req).await,
            StatusCode::BAD_REQUEST,
            "request.invalid_json",
        );
        req = Request::post("/api/cases")
            .header(header::AUTHORIZATION, format!("Bearer {t}"))
            .body(Body::from(vec![b' '; 100 * 1024]))
            .unwrap();
        assert_structured(
            &api.send(req).await,
            StatusCode::PAYLOAD_TOO_LARGE,
            "request.too_large",
        );
        let unknown_field = api
            .call(
                "POST",
                "/api/cases",
                Some(&t),
                Some(json!({"case": {}, "colour": "red"})),
            )
            .await;
        assert_structured(
            &unknown_field,
            StatusCode::BAD_REQUEST,
            "request.invalid_json",
        );
        let mut bad_case = case_body();
        bad_case["case"]["events"][0]["kind"] = json!("holiday");
        let r = api
            .call("POST", "/api/cases", Some(&t), Some(bad_case))
            .await;
        assert_structured(&r, StatusCode::UNPROCESSABLE_ENTITY, "case.invalid");
        assert!(
            r.json["error"]["details"][0]
                .as_str()
                .unwrap()
                .starts_with("case:"),
            "located: {}",
            r.json
        );
        let r = api
            .call("GET", "/api/cases/c-nothing", Some(&t), None)
            .await;
        assert_structured(&r, StatusCode::NOT_FOUND, "case.not_found");
        let r = api
            .call("GET", "/api/statistics?dimension=names", Some(&t), None)
            .await;
        assert_structured(&r, StatusCode::UNPROCESSABLE_ENTITY, "statistics.dimension");
        let r = api.call("PATCH", "/api/cases", Some(&t), None).await;
        assert_structured(&r, StatusCode::METHOD_NOT_ALLOWED, "request.method");
        // What cannot be classified is not stored either: one check for both.
        let mut in_case = case_body();
        in_case["case"]["doctrines"] = json!(["no-such-doctrine"]);
        let mut in_body = case_body();
        in_body["doctrines"] = json!(["no-such-doctrine"]);
        let mut bad_date = case_body();
        bad_date["as_of"] = json!("last spring");
        for (body, code) in [
            (in_case, "case.doctrine"),
            (in_body, "law.unknown_doctrine"),
            (bad_date, "request.date"),
        ] {
            for path in ["/api/classify", "/api/cases"] {
                let r = api.call("POST", path, Some(&t), Some(body.clone())).await;
                assert_structured(&r, StatusCode::UNPROCESSABLE_ENTITY, code);
            }
        }

        let after = api
            .world
            .registry
            .cases(&api.world.caseworker, "", 100)
            .await
            .unwrap()
            .len();
        assert_eq!(before, after, "{}", b.name);
    }
}

#[tokio::test]
async fn roles_sessions_csrf_and_sign_in_limits() {
    for b in backends("api-roles").await {
        let api = Api::new(&b).await;
        let worker = api.token("caseworker").await;
        let analyst = api.token("analyst").await;
        let stranger = api.token("stranger").await;
        let created = api
            .call("POST", "/api/cases", Some(&worker), Some(case_body()))
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.json);
        let id = created.json["id"].as_str().unwrap().to_string();
        let case = format!("/api/cases/{id}");

        // No session, the wrong role, another organisation.
        assert_structured(
            &api.call("GET", &case, None, None).await,
            StatusCode::UNAUTHORIZED,
            "auth.required",
        );
        assert_structured(
            &api.call("GET", &case, Some("forged"), None).await,
            StatusCode::UNAUTHORIZED,
            "auth.session",
        );
        assert_structured(
            &api.call("GET", &case, Some(&analyst), None).await,
            StatusCode::FORBIDDEN,
            "auth.forbidden",
        );
        // Another organisation's case is answered as an unknown one.
        assert_structured(
            &api.call("GET", &case, Some(&stranger), None).await,
            StatusCode::NOT_FOUND,
            "case.not_found",
        );
        assert_structured(
            &api.call("GET", "/api/audit", Some(&worker), None).await,
            StatusCode::FORBIDDEN,
            "auth.forbidden",
        );
        let r = api
            .call("GET", &format!("{case}?identity=true"), Some(&worker), None)
            .await;
        assert_eq!(r.json["identity"]["names"][0], "Rustam Nazarov");
        let stats = api
            .call("GET", "/api/statistics", Some(&analyst), None)
            .await;
        assert_eq!(stats.status, StatusCode::OK);

        // Each refusal is in the audit log with who tried (the stranger's under their own
        // organisation, which the command line's operator reads with the rest).
        let log = api
            .world
            .registry
            .audit_log_everywhere(&delimit_registry::Operator::command_line(), 0, 10_000)
            .await
            .unwrap();
        for who in [&api.world.analyst.id, &api.world.stranger.id] {
            assert!(log.iter().any(|e| e.outcome == "denied"
                && e.actor.contains(who.as_str())
                && e.target == id));
        }
        assert!(
            log.iter()
                .any(|e| e.outcome == "denied" && e.action == "audit.read")
        );
        assert!(
            log.iter()
                .any(|e| e.action == "case.read_identity" && e.target == id)
        );

        // The cookie needs the CSRF token for changes.
        let signed = api
            .call(
                "POST",
                "/api/session",
                None,
                Some(json!({"username": "caseworker", "password": PASSWORD})),
            )
            .await;
        let cookie = signed.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        assert!(
            signed.headers[header::SET_COOKIE]
                .to_str()
                .unwrap()
                .contains("HttpOnly")
        );
        let csrf = signed.json["csrf"].as_str().unwrap().to_string();
        let with_cookie = |csrf: Option<&str>| {
            let mut req = Request::post("/api/cases").header(header::COOKIE, cookie.clone());
            if let Some(c) = csrf {
                req = req.header("x-csrf-token", c);
            }
            req.body(Body::from(case_body().to_string())).unwrap()
        };
        assert_structured(
            &api.send(with_cookie(None)).await,
            StatusCode::FORBIDDEN,
            "auth.csrf",
        );
        assert_structured(
            &api.send(with_cookie(Some("guess"))).await,
            StatusCode::FORBIDDEN,
            "auth.csrf",
        );
        assert_eq!(
            api.send(with_cookie(Some(&csrf))).await.status,
            StatusCode::CREATED
        );
        let read = Request::get(&case)
            .header(header::COOKIE, cookie.clone())
            .body(Body::empty())
            .unwrap();
        assert_eq!(
            api.send(read).await.status,
            StatusCode::OK,
            "reading needs no CSRF token"
        );

        // Five wrong passwords hold the name, even for the right one.
        for _ in 0..5 {
            let r = api
                .call(
                    "POST",
                    "/api/session",
                    None,
                    Some(json!({"username": "investigator", "password": "wrong password"})),
                )
                .await;
            assert_structured(&r, StatusCode::UNAUTHORIZED, "auth.failed");
        }
        let held = api
            .call(
                "POST",
                "/api/session",
                None,
                Some(json!({"username": "investigator", "password": PASSWORD})),
            )
            .await;
        assert_structured(&held, StatusCode::TOO_MANY_REQUESTS, "auth.rate_limited");
        assert_eq!(
            api.call(
                "POST",
                "/api/session",
                None,
                Some(json!({"username": "caseworker", "password": PASSWORD}))
            )
            .await
            .status,
            StatusCode::OK
        );

        // Setup is closed once an administrator exists.
        let setup = api
            .call(
                "POST",
                "/api/setup",
                None,
                Some(json!({"username": "again", "password": PASSWORD})),
            )
            .await;
        assert_structured(&setup, StatusCode::FORBIDDEN, "setup.done");
    }
}

#[tokio::test]
async fn the_interview_goes_one_question_at_a_time_and_keeps_its_answers() {
    for b in backends("api-interview").await {
        let api = Api::new(&b).await;
        let t = api.token("caseworker").await;
        let start = api
            .call(
                "POST",
                "/api/interviews",
                Some(&t),
                Some(json!({"lang": "tg"})),
            )
            .await;
        assert_eq!(start.status, StatusCode::CREATED, "{}", start.json);
        assert_eq!(start.json["status"], "consent");
        let id = start.json["id"].as_str().unwrap().to_string();
        let answers = format!("/api/interviews/{id}/answers");
        let early = api
            .call(
                "POST",
                &answers,
                Some(&t),
                Some(json!({"question": "victim_age", "answer": "20"})),
            )
            .await;
        assert_structured(&early, StatusCode::CONFLICT, "interview.no_consent");
        let r = api
            .call(
                "POST",
                &answers,
                Some(&t),
                Some(json!({"question": "consent", "answer": "ҳа"})),
            )
            .await;
        assert_eq!(r.json["status"], "ask", "{}", r.json);
        let first = r.json["question"]["fact"].as_str().unwrap().to_string();
        assert!(!r.json["question"]["text"].as_str().unwrap().is_empty());
        assert!(r.json["question"]["why"]["concepts"].as_array().is_some());
        // A refused answer changes nothing.
        let wrong = api
            .call(
                "POST",
                &answers,
                Some(&t),
                Some(json!({"question": first, "answer": "purple elephant"})),
            )
            .await;
        assert_eq!(
            wrong.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            wrong.json
        );
        let shown = api
            .call("GET", &format!("/api/interviews/{id}"), Some(&t), None)
            .await;
        assert_eq!(shown.json["question"]["fact"], first.as_str());
        assert_eq!(shown.json["answers"], json!([]));
        // "Don't know" is an answer; back takes it back.
        let r = api
            .call(
                "POST",
                &answers,
                Some(&t),
                Some(json!({"question": first, "answer": "don't know"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.json);
        assert_ne!(r.json["question"]["fact"], first.as_str());
        let back = api
            .call(
                "POST",
                &format!("/api/interviews/{id}/back"),
                Some(&t),
                None,
            )
            .await;
        assert_eq!(back.json["question"]["fact"], first.as_str());
        let done = api
            .call(
                "POST",
                &format!("/api/interviews/{id}/finish"),
                Some(&t),
                None,
            )
            .await;
        assert_eq!(done.json["finished"], true);
        let stranger = api.token("stranger").await;
        assert_eq!(
            api.call(
                "GET",
                &format!("/api/interviews/{id}"),
                Some(&stranger),
                None
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );
    }
}

#[tokio::test]
async fn classification_over_http_is_the_engines() {
    let b = backends("api-classify").await.remove(0);
    let api = Api::new(&b).await;
    let r = api
        .call(
            "POST",
            "/api/classify",
            None,
            Some(json!({"case": serde_json::to_value(brick_kiln()).unwrap()})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let direct = delimit_case::findings::assess_timeline(kb(), &brick_kiln(), &[], "en");
    assert_eq!(r.json, serde_json::to_value(&direct).unwrap());
    let unknown = api.call("POST", "/api/classify", None, Some(json!({"case": serde_json::to_value(brick_kiln()).unwrap(), "doctrines": ["nonsense"]}))).await;
    assert_structured(
        &unknown,
        StatusCode::UNPROCESSABLE_ENTITY,
        "law.unknown_doctrine",
    );
}

/// The differencing attack on statistics, over HTTP: 21 men of TJK and one woman of AFG, all
/// in forced labour. Any role may ask; no two answers together single her out.
#[tokio::test]
async fn statistics_differencing_tells_nothing() {
    let b = backends("api-statistics").await.remove(0);
    let api = Api::new(&b).await;
    let worker = api.token("caseworker").await;
    let analyst = api.token("analyst").await;
    for n in 0..22 {
        let mut body = case_body();
        if n == 21 {
            body["case"]["persons"][0]["citizenships"] = json!(["AF"]);
            body["case"]["persons"][0]["gender"] = json!("Feminine");
        }
        let created = api
            .call("POST", "/api/cases", Some(&worker), Some(body))
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.json);
    }
    let cell = |table: &Value, value: &str| -> Value {
        table["cells"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["value"] == value)
            .cloned()
            .unwrap_or_else(|| panic!("no {value}: {table}"))
    };
    let ask = |query: &'static str| {
        let api = &api;
        let analyst = &analyst;
        async move {
            let r = api
                .call(
                    "GET",
                    &format!("/api/statistics?{query}"),
                    Some(analyst),
                    None,
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{query}: {}", r.json);
            r.json
        }
    };
    let gender = ask("dimension=gender").await;
    assert_eq!(gender["total"], 22);
    assert_eq!(cell(&gender, "Woman")["suppressed"], true);
    assert_eq!(cell(&gender, "Man")["suppressed"], true);
    // Each of these gave 21, which with the total of 22 told one woman of AFG in forced labour.
    for (query, value) in [
        ("dimension=gender&filter=citizenship:TJK", "Man"),
        ("dimension=citizenship&filter=gender:Man", "TJK"),
        (
            "dimension=exploitation&filter=citizenship:TJK",
            "isForcedLabour",
        ),
        (
            "dimension=exploitation&filter=gender:Woman",
            "isForcedLabour",
        ),
    ] {
        let table = ask(query).await;
        let c = cell(&table, value);
        assert_eq!(c["suppressed"], true, "{query}: {table}");
        assert!(
            c.get("count").is_none_or(Value::is_null),
            "{query}: {table}"
        );
    }
    let tjk = ask("dimension=gender&filter=citizenship:TJK").await;
    assert!(
        tjk["total"].is_null(),
        "TJK is suppressed in its own table: {tjk}"
    );
    // The CSV says the same.
    let request = Request::get("/api/statistics.csv?dimension=gender&filter=citizenship:TJK")
        .header(header::AUTHORIZATION, format!("Bearer {analyst}"))
        .body(Body::empty())
        .unwrap();
    let response = api.app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let csv = String::from_utf8(bytes.to_vec()).unwrap();
    assert!(csv.lines().any(|l| l == "Man,,1"), "{csv}");
    assert!(csv.lines().any(|l| l == "total,,1"), "{csv}");
    assert!(!csv.contains("21"), "{csv}");
}
