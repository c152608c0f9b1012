//! The web application: pages rendered on the server for people who never open a terminal.
//! Sign-in and first run, the guided interview, cases with their journey, findings and
//! explanations, the printable qualification memo, the law browser and the statistics
//! dashboard, in English, Russian and Tajik.
//!
//! Every page works without JavaScript: forms post, the server answers with a page or a
//! redirect. A small script only improves what already works. Templates and assets are
//! embedded in the binary, so `delimit serve` needs no files and no build step.
//!
//! **What this crate must not know.** No rule of law and no access rule: qualification comes
//! from the engine over the knowledge base, access from the registry, the words from the
//! localisation files of `delimit-i18n`. It shares the API's state and sessions, and knows
//! nothing of terminals or of how the registry stores what it keeps.

mod assets;
mod cases;
mod interview;
mod journey;
mod law;
mod page;
mod stats;
mod users;

pub use page::{LANG_COOKIE, templates};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use delimit_server::AppState;

/// Every route of the pages, as `(method, path)`; the access test runs each against every role
/// and checks that this list and the router's source agree.
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/"),
    ("get", "/setup"),
    ("post", "/setup"),
    ("get", "/sign-in"),
    ("post", "/sign-in"),
    ("post", "/sign-out"),
    ("get", "/language/{code}"),
    ("get", "/users"),
    ("post", "/users"),
    ("get", "/account"),
    ("post", "/account"),
    ("get", "/cases"),
    ("post", "/cases"),
    ("get", "/cases/new"),
    ("get", "/cases/{id}"),
    ("get", "/cases/{id}/edit"),
    ("post", "/cases/{id}/edit"),
    ("post", "/cases/{id}/assess"),
    ("get", "/cases/{id}/report"),
    ("post", "/interviews"),
    ("get", "/interviews/new"),
    ("get", "/interviews/{id}"),
    ("post", "/interviews/{id}/answer"),
    ("post", "/interviews/{id}/back"),
    ("post", "/interviews/{id}/stop"),
    ("get", "/law"),
    ("get", "/law/instruments/{id}"),
    ("get", "/law/provisions/{*id}"),
    ("get", "/law/concepts"),
    ("get", "/law/concepts/{name}"),
    ("get", "/law/doctrines"),
    ("get", "/law/terms"),
    ("get", "/law/sources"),
    ("get", "/statistics"),
    ("get", "/statistics.csv"),
    ("get", "/static/{file}"),
];

/// The pages, as a router to merge with the API's.
pub fn router(state: AppState) -> Router {
    let body_limit = state.limits.body;
    Router::new()
        .route("/", get(users::home))
        .route("/setup", get(users::setup_form).post(users::setup))
        .route("/sign-in", get(users::sign_in_form).post(users::sign_in))
        .route("/sign-out", post(users::sign_out))
        .route("/language/{code}", get(users::language))
        .route("/users", get(users::list).post(users::create))
        .route("/account", get(users::account).post(users::change_password))
        .route("/cases", get(cases::list).post(cases::create))
        .route("/cases/new", get(cases::new_form))
        .route("/cases/{id}", get(cases::show))
        .route("/cases/{id}/edit", get(cases::edit_form).post(cases::edit))
        .route("/cases/{id}/assess", post(cases::assess))
        .route("/cases/{id}/report", get(cases::report))
        .route("/interviews", post(interview::start))
        .route("/interviews/new", get(interview::consent_form))
        .route("/interviews/{id}", get(interview::show))
        .route("/interviews/{id}/answer", post(interview::answer))
        .route("/interviews/{id}/back", post(interview::back))
        .route("/interviews/{id}/stop", post(interview::stop))
        .merge(law::routes())
        .merge(stats::routes())
        .route("/static/{file}", get(assets::file))
        .layer(DefaultBodyLimit::max(body_limit))
        .with_state(state)
}
