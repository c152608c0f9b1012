//! Every route against every role, against a user of another organisation and against no
//! session: the status code, and for each refusal of a signed-in user, its entry in the audit
//! log. The expected outcome of each cell is written out below: the access policy as a table.

#[path = "../../registry/tests/common/mod.rs"]
mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::*;
use delimit_registry::Key;
use delimit_server::{AppState, Limits, ROUTES, router};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

/// What a cell expects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    /// 2xx.
    Allowed,
    /// 401: no session.
    SignIn,
    /// 403, with an audit entry naming the user.
    Refused,
    /// 404, with an audit entry naming the user: another organisation's record, answered as
    /// an unknown one so that its id tells nothing.
    Hidden,
    /// A status of its own (setup once done, a sign-in with someone else's password…).
    Status(u16),
}

use Outcome::*;
use Who::*;

/// The policy: who may do what. `signed` routes need a session; among them, what each role
/// may do.
fn expected(method: &str, path: &str, who: Who) -> Outcome {
    let public = [
        "/api/health",
        "/api/openapi.json",
        "/api/classify",
        "/api/law",
        "/api/law/instruments",
        "/api/law/provisions",
        "/api/law/provisions/{id}",
        "/api/law/concepts",
        "/api/law/doctrines",
    ];
    if public.contains(&path) {
        return Allowed;
    }
    match (method, path) {
        // The administrator exists: set-up is closed to everyone.
        ("post", "/api/setup") => return Status(403),
        // The body signs in as the caseworker, whoever sends it.
        ("post", "/api/session") | ("delete", "/api/session") => return Allowed,
        _ => {}
    }
    if who == Nobody {
        return SignIn;
    }
    // Everyone signed in changes their own password (to the same one here).
    if path == "/api/session/password" {
        return Allowed;
    }
    // Each administrator manages their own organisation's users and reads its audit log.
    let admin_only = ["/api/users", "/api/audit", "/api/audit/verify"];
    if admin_only.contains(&path) {
        return if matches!(who, Admin | OtherAdmin) {
            Allowed
        } else {
            Refused
        };
    }
    // The user in the path is one of the field office's.
    if path.starts_with("/api/users/{id}") {
        return match who {
            Admin => Allowed,
            OtherAdmin => Hidden,
            _ => Refused,
        };
    }
    if path.starts_with("/api/statistics") {
        return Allowed;
    }
    // Everything else is the work on cases: the analyst sees none of it.
    if who == Analyst {
        return Refused;
    }
    let writes = matches!(
        (method, path),
        ("post", "/api/cases")
            | ("put", "/api/cases/{id}")
            | ("post", "/api/consents")
            | ("post", "/api/consents/{id}/withdraw")
            | ("post", "/api/import")
    ) || (path.starts_with("/api/interviews") && method != "get");
    if writes && who == Investigator {
        return Refused;
    }
    // The case, consent and interview in the paths belong to the field office.
    if matches!(who, Stranger | OtherAdmin) {
        if path.contains("{id}") {
            return Hidden;
        }
        // The consent's body names the field office's case.
        if (method, path) == ("post", "/api/consents") {
            return Hidden;
        }
    }
    Allowed
}

struct Fixture {
    app: axum::Router,
    world: World,
    case: String,
    revision: i64,
}

impl Fixture {
    async fn token(&self, who: Who) -> Option<String> {
        Some(self.world.session(who).await?.token)
    }

    /// A fresh object of the field office for the route's `{id}`, and a body that fits.
    async fn request(&self, method: &str, path: &str) -> (String, Option<Value>) {
        let r = &self.world.registry;
        let cw = &self.world.caseworker;
        let id = if path.starts_with("/api/users/{id}") {
            // A fresh user of the field office for each request (one is disabled, say).
            r.create_user(
                &self.world.admin,
                &format!("target-{}", rand_suffix()),
                PASSWORD,
                delimit_registry::Role::Analyst,
            )
            .await
            .unwrap()
            .id
        } else if path.starts_with("/api/interviews/") {
            r.save_interview(
                cw,
                None,
                "en",
                &json!({"consent": null, "answers": []}),
                false,
            )
            .await
            .unwrap()
        } else if path.starts_with("/api/consents/") {
            r.record_consent(
                cw,
                &delimit_registry::NewConsent {
                    case: Some(self.case.clone()),
                    interview: None,
                    person: None,
                    purpose: "screening".into(),
                    given: true,
                },
            )
            .await
            .unwrap()
            .id
        } else if path.starts_with("/api/law/provisions/") {
            kb().provisions[0].id.clone()
        } else {
            self.case.clone()
        };
        let case = serde_json::to_value(brick_kiln()).unwrap();
        let body = match (method, path) {
            ("post", "/api/setup") => Some(json!({"username": "second", "password": PASSWORD})),
            ("post", "/api/session") => {
                Some(json!({"username": "caseworker", "password": PASSWORD}))
            }
            ("post", "/api/session/password") => {
                Some(json!({"current": PASSWORD, "new": PASSWORD}))
            }
            ("post", "/api/users") => Some(json!({
                "username": format!("user-{}", rand_suffix()),
                "password": PASSWORD,
                "role": "analyst"
            })),
            ("post", "/api/classify") | ("post", "/api/cases") => Some(json!({"case": case})),
            ("put", "/api/cases/{id}") => {
                let base = self
                    .world
                    .registry
                    .case(cw, &self.case, None, false)
                    .await
                    .unwrap()
                    .latest_revision;
                Some(json!({"case": case, "base_revision": base}))
            }
            ("post", "/api/cases/{id}/assessments") => Some(json!({})),
            ("post", "/api/cases/{id}/decisions") => Some(json!({
                "person": "worker",
                "status": "PossibleVictimOfTrafficking",
                "decision_maker": "NGO",
                "decided_on": "2024-07-01"
            })),
            ("post", "/api/consents") => Some(json!({
                "case": self.case, "purpose": "referral", "given": true
            })),
            ("post", "/api/interviews") => Some(json!({"lang": "ru"})),
            ("post", "/api/interviews/{id}/answers") => {
                Some(json!({"question": "consent", "answer": "yes"}))
            }
            _ => None,
        };
        let query = if path == "/api/statistics.csv" {
            "?dimension=gender"
        } else {
            ""
        };
        (path.replace("{id}", &id) + query, body)
    }
}

fn rand_suffix() -> String {
    let mut b = [0u8; 4];
    getrandom::fill(&mut b).unwrap();
    hex::encode(b)
}

#[tokio::test]
async fn every_route_against_every_role() {
    for b in backends("access").await {
        let world = world(&b, Key::generate().unwrap()).await;
        let created = world.example_case().await;
        let f = Fixture {
            app: router(AppState::new(
                world.registry.clone(),
                kb(),
                Limits::default(),
            )),
            case: created.id,
            revision: created.revision,
            world,
        };
        assert_eq!(f.revision, 1);
        let mut cells = 0;
        for (method, path) in ROUTES {
            for who in EVERYONE {
                let expect = expected(method, path, who);
                let (uri, body) = f.request(method, path).await;
                let mut req = Request::builder()
                    .method(method.to_uppercase().as_str())
                    .uri(&uri);
                if let Some(t) = f.token(who).await {
                    req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
                }
                let req = match &body {
                    Some(v) => req
                        .header(header::CONTENT_TYPE, "application/json")
                        .body(Body::from(v.to_string())),
                    None => req.body(Body::empty()),
                }
                .unwrap();
                let before = f.world.denials(who).await;
                let res = f.app.clone().oneshot(req).await.unwrap();
                let status = res.status();
                let bytes = res.into_body().collect().await.unwrap().to_bytes();
                let text = String::from_utf8_lossy(&bytes);
                let cell = format!("{}: {method} {path} as {who:?}", b.name);
                match expect {
                    Allowed => assert!(status.is_success(), "{cell}: {status} {text}"),
                    SignIn => assert_eq!(status, StatusCode::UNAUTHORIZED, "{cell}: {text}"),
                    Refused => {
                        assert_eq!(status, StatusCode::FORBIDDEN, "{cell}: {text}");
                        assert!(
                            f.world.denials(who).await > before,
                            "{cell}: no audit entry"
                        );
                    }
                    Hidden => {
                        assert_eq!(status, StatusCode::NOT_FOUND, "{cell}: {text}");
                        assert!(
                            f.world.denials(who).await > before,
                            "{cell}: no audit entry"
                        );
                    }
                    Status(code) => assert_eq!(status.as_u16(), code, "{cell}: {text}"),
                }
                cells += 1;
            }
        }
        assert_eq!(cells, ROUTES.len() * EVERYONE.len());
    }
}
