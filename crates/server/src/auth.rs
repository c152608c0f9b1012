//! Who is asking: a bearer token (programs) or the session cookie (browsers). Changes sent
//! with the cookie must carry the session's CSRF token in `X-CSRF-Token`; a bearer token
//! cannot be sent by another site, so it needs none.

use crate::AppState;
use crate::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode};
use delimit_registry::{Principal, User};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const COOKIE: &str = "delimit_session";

/// How long a session lasts, in seconds: a working day.
pub const SESSION_SECONDS: i64 = 12 * 3600;

/// The `Set-Cookie` value that keeps a session's token: script cannot read it and other sites
/// cannot send it.
pub fn session_cookie(token: &str, max_age: i64) -> String {
    format!("{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}")
}

/// The value of cookie `name`, if the request has it.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// The session's token, and whether it came from the cookie.
pub fn token(headers: &HeaderMap) -> Option<(String, bool)> {
    if let Some(auth) = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        && let Some(t) = auth.strip_prefix("Bearer ")
    {
        return Some((t.trim().to_string(), false));
    }
    cookie(headers, COOKIE).map(|t| (t, true))
}

/// The signed-in user, or 401.
pub async fn user(
    state: &AppState,
    method: &Method,
    headers: &HeaderMap,
) -> Result<User, ApiError> {
    let Some((token, from_cookie)) = token(headers) else {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "auth.required",
            "sign in first (POST /api/session) and send the token as `Authorization: Bearer …`",
        ));
    };
    let (user, csrf) = state.registry.session(&token).await?;
    let safe = matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    if from_cookie && !safe {
        let sent = headers.get("x-csrf-token").and_then(|v| v.to_str().ok());
        if sent != Some(csrf.as_str()) {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "auth.csrf",
                "a change sent with the session cookie needs the session's X-CSRF-Token header",
            ));
        }
    }
    Ok(user)
}

/// The signed-in principal of a request, as a handler's argument; a request without a live
/// session (or without its CSRF token) is answered before the handler runs.
pub struct Signed(pub Principal);

impl FromRequestParts<AppState> for Signed {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Ok(Signed(
            user(state, &parts.method, &parts.headers)
                .await?
                .principal(),
        ))
    }
}

/// Counts failed sign-ins per username; past the limit the name is held for the window.
#[derive(Default)]
pub struct SignInLimiter {
    failures: Mutex<HashMap<String, (Instant, u32)>>,
}

impl SignInLimiter {
    /// Whether `username` may try now; when not, how long to wait.
    pub fn check(&self, username: &str, limit: u32, window: Duration) -> Result<(), Duration> {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        map.retain(|_, (since, _)| now.duration_since(*since) < window);
        match map.get(username) {
            Some((since, n)) if *n >= limit => {
                Err(window.saturating_sub(now.duration_since(*since)))
            }
            _ => Ok(()),
        }
    }

    pub fn failed(&self, username: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let entry = map
            .entry(username.to_string())
            .or_insert((Instant::now(), 0));
        entry.1 += 1;
    }

    pub fn succeeded(&self, username: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(username);
    }
}
