//! The statistics dashboard: the registry's k-anonymised tables drawn as SVG charts on the
//! server, with filters and CSV download.

use crate::page::{PageResult, Viewer};
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use delimit_server::AppState;

/// This module's templates, by name.
pub const TEMPLATES: &[(&str, &str)] = &[("stats.html", include_str!("../templates/stats.html"))];

pub fn routes() -> Router<AppState> {
    Router::new().route("/statistics", get(index))
}

async fn index(State(s): State<AppState>, v: Viewer) -> PageResult {
    v.signed()?;
    v.render(&s, "stats.html", ())
}
