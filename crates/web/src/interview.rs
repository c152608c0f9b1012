//! The guided interview in the browser: consent first, one question at a time.

use crate::page::{PageResult, Viewer};
use axum::extract::{Path, State};
use delimit_server::AppState;

pub async fn consent_form(State(s): State<AppState>, v: Viewer) -> PageResult {
    v.signed()?;
    v.render(&s, "consent.html", ())
}
pub async fn start(State(s): State<AppState>, v: Viewer) -> PageResult {
    v.signed()?;
    v.render(&s, "consent.html", ())
}
pub async fn show(State(s): State<AppState>, v: Viewer, Path(_id): Path<String>) -> PageResult {
    v.signed()?;
    v.render(&s, "interview.html", ())
}
pub async fn answer(State(s): State<AppState>, v: Viewer, Path(_id): Path<String>) -> PageResult {
    v.signed()?;
    v.render(&s, "interview.html", ())
}
pub async fn back(State(s): State<AppState>, v: Viewer, Path(_id): Path<String>) -> PageResult {
    v.signed()?;
    v.render(&s, "interview.html", ())
}
pub async fn stop(State(s): State<AppState>, v: Viewer, Path(_id): Path<String>) -> PageResult {
    v.signed()?;
    v.render(&s, "interview.html", ())
}
