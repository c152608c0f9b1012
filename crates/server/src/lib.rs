//! The HTTP API: cases, revisions, assessments, interviews, the knowledge base, statistics,
//! import and export, over the registry and the engine. Every answer is JSON (or CSV where
//! asked); every error is `{"error": {"code", "message", "details"}}` with a stable code.
//!
//! The server holds no rule of its own: access is decided by the registry, qualification by
//! the engine over the knowledge base it is given. It knows nothing of terminals.

mod api;
pub mod auth;
mod error;
pub mod guard;
pub mod interview;
pub mod transport;

pub use api::{ROUTES, router};
pub use error::ApiError;
pub use guard::ClientAddr;
pub use transport::Transport;

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
    /// How sign-ins are held back (per name and address, and per address).
    pub sign_in: auth::SignInPolicy,
    /// How long a connection ready for a request (a new one, or one kept alive after an
    /// answer) may take to send the whole header before it is closed.
    pub header_timeout: std::time::Duration,
    /// The largest request header, start line included, in bytes: `431` past it.
    pub header_bytes: usize,
    /// How long a request body may take, plus a second for every `body_min_rate` bytes
    /// received: `408 request.timeout` past it.
    pub body_timeout: std::time::Duration,
    pub body_min_rate: u32,
    /// How long an answer may wait for a client that does not read it before the connection
    /// is closed.
    pub write_timeout: std::time::Duration,
    /// Connections served at once; more wait to be accepted.
    pub max_connections: usize,
    /// Connections one client address (an IPv6 address's /64) may hold; more are closed.
    pub connections_per_address: usize,
    /// Requests without a credential one address may send at once (`rate_burst`), refilled at
    /// `rate_per_minute`: `429 rate.limited` past them. Either at 0 turns the limit off.
    pub rate_burst: u32,
    pub rate_per_minute: u32,
    /// Addresses whose requests are counted at once; past them the oldest are forgotten.
    pub rate_addresses: usize,
    /// Classifications without storing (`POST /api/classify`) computed at once, each on a
    /// thread of its own, and how many more may wait: `503 server.busy` past them.
    pub classify_workers: usize,
    pub classify_queue: usize,
    /// The largest answer of `POST /api/classify` without sign-in, in bytes: `422
    /// classify.answer_too_large` past it.
    pub classify_answer: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            body: 1 << 20,
            import: 64 << 20,
            sign_in: auth::SignInPolicy {
                tries: 5,
                window: std::time::Duration::from_secs(300),
                free_failures: 10,
                longest_wait: std::time::Duration::from_secs(900),
                tracked: 10_000,
            },
            header_timeout: std::time::Duration::from_secs(10),
            header_bytes: 32 << 10,
            body_timeout: std::time::Duration::from_secs(20),
            body_min_rate: 8 << 10,
            write_timeout: std::time::Duration::from_secs(30),
            max_connections: 512,
            connections_per_address: 64,
            rate_burst: 60,
            rate_per_minute: 300,
            rate_addresses: 10_000,
            classify_workers: std::thread::available_parallelism().map_or(2, |n| n.get()),
            classify_queue: 128,
            classify_answer: 1 << 20,
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

/// Serves `app` (see [`app`]) on `listener` within `limits` until the process is stopped
/// (ctrl-c), then lets the requests under way finish. The guard of [`guard`] bounds the time,
/// the connections and the unauthenticated requests of each client; handlers find the
/// client's address as [`ClientAddr`] (or `axum::extract::ConnectInfo<SocketAddr>`).
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    limits: Limits,
) -> std::io::Result<()> {
    serve_until(listener, app, limits, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}

/// As [`serve`], until `shutdown` completes rather than until ctrl-c.
pub async fn serve_until(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    guard::serve(listener, app, limits, Transport::default(), shutdown).await
}

/// As [`serve_until`], reached as `transport` says: over TLS ended here, or behind trusted
/// reverse proxies.
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    limits: Limits,
    transport: Transport,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    guard::serve(listener, app, limits, transport, shutdown).await
}
