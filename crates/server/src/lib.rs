//! The HTTP API: cases, revisions, assessments, interviews, the knowledge base, statistics,
//! import and export, over the registry and the engine. Every answer is JSON (or CSV where
//! asked); every error is `{"error": {"code", "message", "details"}}` with a stable code.
//!
//! The server holds no rule of its own: access is decided by the registry, qualification by
//! the engine over the knowledge base it is given. It knows nothing of terminals.

mod api;
pub mod auth;
mod error;
pub mod interview;

pub use api::{ROUTES, router};
pub use error::ApiError;

use delimit_case::findings::PlanCache;
use delimit_law::KnowledgeBase;
use delimit_registry::Registry;
use delimit_screening::Screen;
use delimit_screening::indicators::Indicators;
use std::sync::Arc;

/// The OpenAPI description the server serves at `/api/openapi.json`.
pub const OPENAPI: &str = include_str!("../openapi.json");

/// Limits the server enforces.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// The largest request body, in bytes, except imports.
    pub body: usize,
    /// The largest import body, in bytes.
    pub import: usize,
    /// Failed sign-ins allowed per username in `sign_in_window` before the name is held.
    pub sign_in_failures: u32,
    pub sign_in_window: std::time::Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            body: 1 << 20,
            import: 64 << 20,
            sign_in_failures: 5,
            sign_in_window: std::time::Duration::from_secs(300),
        }
    }
}

/// What every handler shares. The knowledge base lives as long as the server, and its plans
/// (one per date) are built once and shared by every request.
#[derive(Clone)]
pub struct AppState {
    pub registry: Registry,
    pub kb: &'static KnowledgeBase,
    pub limits: Limits,
    plans: Arc<PlanCache<'static>>,
    sign_in: Arc<auth::SignInLimiter>,
    indicators: Option<&'static Indicators>,
}

impl AppState {
    pub fn new(registry: Registry, kb: &'static KnowledgeBase, limits: Limits) -> AppState {
        AppState {
            registry,
            kb,
            limits,
            plans: Arc::new(PlanCache::new(kb, &[])),
            sign_in: Arc::new(auth::SignInLimiter::default()),
            indicators: None,
        }
    }

    /// The same state, with indicator lists an interview may ask alongside the law.
    pub fn with_indicators(self, indicators: &'static Indicators) -> AppState {
        AppState {
            indicators: Some(indicators),
            ..self
        }
    }

    /// The indicator lists, if the server has them.
    pub fn indicators(&self) -> Option<&'static Indicators> {
        self.indicators
    }

    /// The screen of indicator list `list`, read with the first combination rule that covers
    /// it; `None` when no list is asked or the server does not have it.
    pub fn screen(&self, list: Option<&str>) -> Option<Screen<'static>> {
        Screen::of(self.indicators?, list?).ok()
    }

    /// The plans of the law, one per date, shared by every request.
    pub fn plans(&self) -> &PlanCache<'static> {
        &self.plans
    }

    /// Failed sign-ins per username, shared by the API and the web pages.
    pub fn sign_in_limiter(&self) -> &auth::SignInLimiter {
        &self.sign_in
    }
}

/// The whole application: the API's [`router`] with `pages` merged in, its answers
/// compressed for clients that accept gzip (a field office's connection may be slow).
pub fn app(state: AppState, pages: axum::Router) -> axum::Router {
    router(state)
        .merge(pages)
        .layer(tower_http::compression::CompressionLayer::new())
}

/// Serves `app` (see [`app`]) on `listener` until the process is stopped.
pub async fn serve(listener: tokio::net::TcpListener, app: axum::Router) -> std::io::Result<()> {
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
