//! The law browser: instruments, provisions with their text, status and dates, concepts,
//! doctrines and terminology, cross-linked to where each is used.

use crate::page::{PageResult, Viewer};
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use delimit_server::AppState;

/// This module's templates, by name.
pub const TEMPLATES: &[(&str, &str)] = &[("law.html", include_str!("../templates/law.html"))];

pub fn routes() -> Router<AppState> {
    Router::new().route("/law", get(index))
}

async fn index(State(s): State<AppState>, v: Viewer) -> PageResult {
    v.render(&s, "law.html", ())
}
