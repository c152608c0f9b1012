//! Every page against every role, a user of another organisation and no session: the status
//! code of each cell, with the policy written out below as a table, and the audit log: each
//! refusal of a signed-in user adds an entry naming them, and nothing allowed adds one. Also:
//! the list of routes the test runs is the router's, read from its source.

#[path = "../../registry/tests/common/mod.rs"]
mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::*;
use delimit_registry::Key;
use delimit_server::{AppState, Limits};
use delimit_web::ROUTES;
use std::collections::BTreeSet;
use tower::ServiceExt;

use Who::*;

/// What a cell expects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    /// The page, or the redirect that follows a form handled (never to the sign-in page),
    /// or the form again with what was wrong (422).
    Allowed,
    /// To the sign-in page.
    SignIn,
    /// 403.
    Refused,
    /// Another organisation's case or interview: answered as not found (404), so that its
    /// id tells nothing, and the refusal logged.
    Hidden,
}

use Outcome::*;

/// The policy: who may open which page.
fn expected(method: &str, path: &str, who: Who) -> Outcome {
    // The law, the language, the style sheet and signing in need no session.
    let public = path.starts_with("/law")
        || path.starts_with("/language/")
        || path.starts_with("/static/")
        || path == "/sign-in";
    if public {
        return Allowed;
    }
    // The first run is over once the administrator exists, and signing out ends at the
    // sign-in page: there, whoever asks.
    if path == "/setup" || path == "/sign-out" {
        return SignIn;
    }
    if who == Nobody {
        return SignIn;
    }
    // Everyone signed in has their own account page.
    if path == "/" || path.starts_with("/statistics") || path == "/account" {
        return Allowed;
    }
    // Each administrator manages the users of their own organisation.
    if path == "/users" {
        return if matches!(who, Admin | OtherAdmin) {
            Allowed
        } else {
            Refused
        };
    }
    // Cases and interviews: the analyst sees none of them; the investigator reads, assesses
    // and reports, but does not record or change.
    if who == Analyst {
        return Refused;
    }
    let writes = path.starts_with("/interviews") && path != "/interviews/{id}"
        || matches!(
            (method, path),
            ("post", "/cases") | ("get", "/cases/new") | (_, "/cases/{id}/edit")
        );
    if writes && who == Investigator {
        return Refused;
    }
    if matches!(who, Stranger | OtherAdmin) && path.contains("{id}") {
        return Hidden;
    }
    Allowed
}

struct Fixture {
    app: axum::Router,
    world: World,
    case: String,
    interview: String,
    case_text: String,
}

impl Fixture {
    async fn new(b: &Backend) -> Fixture {
        let world = world(b, Key::generate().unwrap()).await;
        let case = world.example_case().await.id;
        let interview = world
            .registry
            .save_interview(
                &world.caseworker,
                None,
                "en",
                &serde_json::json!({"consent": true, "answers": []}),
                false,
            )
            .await
            .unwrap();
        let state = AppState::new(world.registry.clone(), kb(), Limits::default());
        Fixture {
            app: delimit_web::router(state),
            world,
            case,
            interview,
            case_text: serde_json::to_string(&brick_kiln()).unwrap(),
        }
    }

    async fn session(&self, who: Who) -> Option<(String, String)> {
        let s = self.world.session(who).await?;
        Some((s.token, s.csrf))
    }

    /// A path of the router with its parameters filled in.
    fn path(&self, template: &str) -> String {
        template
            .replace("/cases/{id}", &format!("/cases/{}", self.case))
            .replace(
                "/interviews/{id}",
                &format!("/interviews/{}", self.interview),
            )
            .replace("{code}", "ru")
            .replace("{file}", "style.css")
            .replace("{*id}", &kb().provisions[0].id)
            .replace(
                "/law/instruments/{id}",
                &format!("/law/instruments/{}", kb().instruments[0].id),
            )
            .replace("{name}", &kb().concepts[0].name)
    }

    /// A form that reaches the handler's decision: the session's token and plausible fields.
    fn form(&self, path: &str, csrf: &str) -> String {
        let mut fields: Vec<(&str, &str)> = vec![("csrf", csrf)];
        match path {
            "/cases" | "/cases/{id}/edit" => {
                fields.extend([("case", self.case_text.as_str()), ("base", "1")])
            }
            "/users" => fields.extend([
                ("username", "new-user"),
                ("password", PASSWORD),
                ("role", "caseworker"),
            ]),
            "/interviews" => fields.push(("consent", "yes")),
            "/interviews/{id}/answer" => {
                fields.extend([("question", "crossed_border"), ("answer", "yes")])
            }
            "/sign-in" => fields.extend([("username", "nobody"), ("password", "wrong")]),
            // A new password the policy refuses: the form again with the error, nothing
            // changed (a wrong current one is a refusal, audited like a failed sign-in).
            "/account" => fields.extend([("current", PASSWORD), ("password", "1234567890")]),
            _ => {}
        }
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish()
    }

    async fn call(&self, method: &str, template: &str, who: Who) -> (StatusCode, String) {
        let session = self.session(who).await;
        let mut req = Request::builder()
            .method(method.to_uppercase().as_str())
            .uri(self.path(template));
        if let Some((token, _)) = &session {
            req = req.header(header::COOKIE, format!("delimit_session={token}"));
        }
        let body = if method == "post" {
            req = req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
            let csrf = session.as_ref().map_or("", |(_, c)| c.as_str());
            Body::from(self.form(template, csrf))
        } else {
            Body::empty()
        };
        let res = self
            .app
            .clone()
            .oneshot(req.body(body).unwrap())
            .await
            .unwrap();
        let location = res
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        (res.status(), location)
    }
}

fn outcome(status: StatusCode, location: &str) -> Outcome {
    match status.as_u16() {
        303 if location.starts_with("/sign-in") => SignIn,
        403 => Refused,
        404 => Hidden,
        200 | 303 | 422 => Allowed,
        // A sign-in with a wrong password is a page, answered 401.
        401 => Allowed,
        other => panic!("unexpected status {other}"),
    }
}

#[tokio::test]
async fn every_page_against_every_role() {
    for b in backends("web-access-matrix").await {
        let f = Fixture::new(&b).await;
        let mut cells = 0;
        for &(method, path) in ROUTES {
            for who in EVERYONE {
                let want = expected(method, path, who);
                let before = f.world.denials(who).await;
                let (status, location) = f.call(method, path, who).await;
                let got = outcome(status, &location);
                let cell = format!("{}: {method} {path} as {who:?}", b.name);
                // Another organisation's record is answered as an unknown one, and the
                // refusal is in the log all the same.
                assert_eq!(
                    got, want,
                    "{cell}: expected {want:?}, got {status} {location}"
                );
                let logged = f.world.denials(who).await - before;
                match got {
                    Refused | Hidden if who != Nobody => {
                        assert_eq!(logged, 1, "{cell}: refused with {logged} audit entries")
                    }
                    _ => assert_eq!(logged, 0, "{cell}: {got:?} but a refusal was logged"),
                }
                cells += 1;
            }
        }
        assert_eq!(cells, ROUTES.len() * EVERYONE.len());
    }
}

/// The `.route(...)` calls of the crate's source: `(method, path)` for each method routed.
fn routes_in_source() -> BTreeSet<(String, String)> {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![src.join("lib.rs"), src.join("law.rs"), src.join("stats.rs")];
    files.retain(|f| f.exists());
    let mut out = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(file).unwrap();
        for call in text.split(".route(\"").skip(1) {
            let (path, rest) = call.split_once('"').unwrap();
            let end = rest.find(")\n").unwrap_or(rest.len());
            for method in ["get", "post"] {
                if rest[..end].contains(&format!("{method}(")) {
                    out.insert((method.to_owned(), path.to_owned()));
                }
            }
        }
    }
    out
}

#[test]
fn the_routes_tested_are_the_routers() {
    let listed: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(listed.len(), ROUTES.len(), "a route is listed twice");
    assert_eq!(listed, routes_in_source());
}
