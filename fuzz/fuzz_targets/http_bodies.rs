//! Request bodies of every kind the application takes, through its whole router (the JSON API
//! and the web pages' forms), signed in as a caseworker: an answer or a structured error,
//! never a panic and never a server error. The first byte chooses the route.
#![no_main]

use axum::body::Body;
use axum::http::{Request, header};
use delimit_law::KnowledgeBase;
use delimit_registry::{Key, Registry, Role};
use delimit_server::{AppState, Limits};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;
use tower::ServiceExt;

static KB: LazyLock<KnowledgeBase> = LazyLock::new(|| {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../law");
    let files = delimit_law::load::read_dir(&dir).expect("the law folder");
    delimit_law::compile(&files).kb.expect("the law checks")
});

/// `(method, path, form)`: a form body (the pages) or JSON (the API).
const ROUTES: &[(&str, &str, bool)] = &[
    ("POST", "/api/setup", false),
    ("POST", "/api/session", false),
    ("POST", "/api/users", false),
    ("POST", "/api/classify", false),
    ("POST", "/api/cases", false),
    ("PUT", "/api/cases/{case}", false),
    ("POST", "/api/cases/{case}/assessments", false),
    ("POST", "/api/cases/{case}/decisions", false),
    ("POST", "/api/consents", false),
    ("POST", "/api/interviews", false),
    ("POST", "/api/interviews/{interview}/answers", false),
    ("POST", "/api/import", false),
    ("POST", "/setup", true),
    ("POST", "/sign-in", true),
    ("POST", "/users", true),
    ("POST", "/cases", true),
    ("POST", "/cases/{case}/edit", true),
    ("POST", "/interviews", true),
    ("POST", "/interviews/{web_interview}/answer", true),
    ("POST", "/interviews/{web_interview}/back", true),
];

struct World {
    runtime: tokio::runtime::Runtime,
    app: axum::Router,
    token: String,
    csrf: String,
    case: String,
    interview: String,
    web_interview: String,
    _dir: std::path::PathBuf,
}

static WORLD: LazyLock<World> = LazyLock::new(|| {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let dir = std::env::temp_dir().join(format!("delimit-fuzz-http-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = delimit_registry::sqlite_url(&dir.join("registry.db"));
    let (app, token, csrf, case, interview, web_interview) = runtime.block_on(async {
        let registry = Registry::open(&url, Key::generate().unwrap()).await.unwrap();
        let password = "correct horse battery";
        let admin = registry
            .first_administrator("Office", "admin", password)
            .await
            .unwrap()
            .principal();
        let worker = registry
            .create_user(&admin, "worker", password, Role::Caseworker)
            .await
            .unwrap()
            .principal();
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../examples/brick-kiln-journey.yaml"),
        )
        .unwrap();
        let case = delimit_registry::parse_case(&KB, &text).unwrap();
        let case = registry
            .create_case(&worker, &case, &Default::default())
            .await
            .unwrap()
            .id;
        let state = serde_json::json!({"consent": true, "answers": []});
        let interview = registry
            .save_interview(&worker, None, "en", &state, false)
            .await
            .unwrap();
        let web_interview = registry
            .save_interview(&worker, None, "en", &state, false)
            .await
            .unwrap();
        let session = registry.sign_in("worker", password).await.unwrap();
        let kb: &'static KnowledgeBase = &KB;
        let state = AppState::new(registry, kb, Limits::default());
        let app = delimit_server::app(state.clone(), delimit_web::router(state));
        (app, session.token, session.csrf, case, interview, web_interview)
    });
    World {
        runtime,
        app,
        token,
        csrf,
        case,
        interview,
        web_interview,
        _dir: dir,
    }
});

fuzz_target!(|data: &[u8]| {
    let Some((&choice, body)) = data.split_first() else {
        return;
    };
    let w = &*WORLD;
    let (method, path, form) = ROUTES[usize::from(choice) % ROUTES.len()];
    let path = path
        .replace("{case}", &w.case)
        .replace("{interview}", &w.interview)
        .replace("{web_interview}", &w.web_interview);
    let mut req = Request::builder()
        .method(method)
        .uri(&path)
        .header(header::COOKIE, format!("delimit_session={}", w.token));
    let body = if form {
        req = req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        // The session's token first, so that the form reaches its handler.
        let mut with_token = format!("csrf={}&", w.csrf).into_bytes();
        with_token.extend_from_slice(body);
        with_token
    } else {
        req = req
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::AUTHORIZATION, format!("Bearer {}", w.token));
        body.to_vec()
    };
    let response = w
        .runtime
        .block_on(w.app.clone().oneshot(req.body(Body::from(body)).unwrap()))
        .unwrap();
    assert!(
        !response.status().is_server_error(),
        "{method} {path}: {}",
        response.status()
    );
});
