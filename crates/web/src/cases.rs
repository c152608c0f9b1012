//! Cases: the list, a new case, the case view (journey, findings, explanations, open
//! questions, history, readings side by side), editing, and the printable memo.

use crate::page::{PageResult, Viewer};
use axum::extract::{Path, State};
use delimit_server::AppState;

pub async fn list(State(s): State<AppState>, v: Viewer) -> PageResult {
    v.signed()?;
    v.render(&s, "cases.html", ())
}
pub async fn new_form(State(s): State<AppState>, v: Viewer) -> PageResult {
    v.signed()?;
    v.render(&s, "case_new.html", ())
}
pub async fn create(State(s): State<AppState>, v: Viewer) -> PageResult {
    v.signed()?;
    v.render(&s, "case_new.html", ())
}
pub async fn show(State(s): State<AppState>, v: Viewer, Path(_id): Path<String>) -> PageResult {
    v.signed()?;
    v.render(&s, "case.html", ())
}
pub async fn edit_form(
    State(s): State<AppState>,
    v: Viewer,
    Path(_id): Path<String>,
) -> PageResult {
    v.signed()?;
    v.render(&s, "case.html", ())
}
pub async fn edit(State(s): State<AppState>, v: Viewer, Path(_id): Path<String>) -> PageResult {
    v.signed()?;
    v.render(&s, "case.html", ())
}
pub async fn assess(State(s): State<AppState>, v: Viewer, Path(_id): Path<String>) -> PageResult {
    v.signed()?;
    v.render(&s, "case.html", ())
}
pub async fn report(State(s): State<AppState>, v: Viewer, Path(_id): Path<String>) -> PageResult {
    v.signed()?;
    v.render(&s, "report.html", ())
}
