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
use std::net::IpAddr;
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

/// How sign-ins are held back: per name and address, a few tries a window; per address, a
/// wait that doubles with each failure past a few, whatever the names tried.
#[derive(Clone, Copy, Debug)]
pub struct SignInPolicy {
    /// Tries of one name from one address in `window` (a try counts until it succeeds).
    pub tries: u32,
    pub window: Duration,
    /// Failures from one address, whatever the name, before each try waits.
    pub free_failures: u32,
    /// The longest wait between two tries from one address.
    pub longest_wait: Duration,
    /// The most names and addresses tracked; the oldest go first.
    pub tracked: usize,
}

/// Held sign-ins, in memory: a bounded table of (a hash of the name, the address) and one of
/// addresses. A try is counted before the password is checked and given back only when it
/// succeeds, so parallel guesses cannot pass the limit; the owner of a name tried from one
/// address can still sign in from another, and an administrator can lift the hold on a name.
pub struct SignInLimiter {
    tables: Mutex<Tables>,
}

type NameKey = [u8; 16];

#[derive(Default)]
struct Tables {
    names: HashMap<(NameKey, IpAddr), Tries>,
    addresses: HashMap<IpAddr, Backoff>,
}

struct Tries {
    since: Instant,
    count: u32,
}

struct Backoff {
    last: Instant,
    failures: u32,
    /// No try from the address before this.
    not_before: Instant,
}

/// A try let through: say how it ended with [`SignInLimiter::succeeded`], or drop it as a
/// failure.
pub struct Ticket {
    name: NameKey,
    address: IpAddr,
}

fn name_key(username: &str) -> NameKey {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(username.trim().to_lowercase().as_bytes());
    let mut key = [0u8; 16];
    key.copy_from_slice(&digest[..16]);
    key
}

/// Removes the entry that was used longest ago when `map` is full.
fn make_room<K: Clone + Eq + std::hash::Hash, V>(
    map: &mut HashMap<K, V>,
    most: usize,
    last_used: impl Fn(&V) -> Instant,
) {
    while map.len() >= most.max(1) {
        let Some(oldest) = map
            .iter()
            .min_by_key(|(_, v)| last_used(v))
            .map(|(k, _)| k.clone())
        else {
            return;
        };
        map.remove(&oldest);
    }
}

impl SignInLimiter {
    pub fn new() -> SignInLimiter {
        SignInLimiter {
            tables: Mutex::new(Tables::default()),
        }
    }

    fn tables(&self) -> std::sync::MutexGuard<'_, Tables> {
        self.tables.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Lets a try of `username` from `address` through, counting it at once, or says how long
    /// to wait.
    pub fn begin(
        &self,
        username: &str,
        address: IpAddr,
        policy: &SignInPolicy,
    ) -> Result<Ticket, Duration> {
        let name = name_key(username);
        let now = Instant::now();
        let mut t = self.tables();
        t.names
            .retain(|_, tries| now.duration_since(tries.since) < policy.window);
        let quiet = policy.window.max(policy.longest_wait);
        t.addresses
            .retain(|_, b| now.duration_since(b.last) < quiet);
        if let Some(b) = t.addresses.get(&address)
            && b.not_before > now
        {
            return Err(b.not_before - now);
        }
        if let Some(tries) = t.names.get(&(name, address))
            && tries.count >= policy.tries
        {
            return Err(policy
                .window
                .saturating_sub(now.duration_since(tries.since)));
        }
        if !t.names.contains_key(&(name, address)) {
            make_room(&mut t.names, policy.tracked, |v| v.since);
        }
        t.names
            .entry((name, address))
            .or_insert(Tries {
                since: now,
                count: 0,
            })
            .count += 1;
        if !t.addresses.contains_key(&address) {
            make_room(&mut t.addresses, policy.tracked, |v| v.last);
        }
        let b = t.addresses.entry(address).or_insert(Backoff {
            last: now,
            failures: 0,
            not_before: now,
        });
        // Counted as a failure until it succeeds.
        b.failures += 1;
        b.last = now;
        if b.failures > policy.free_failures {
            let doublings = (b.failures - policy.free_failures - 1).min(20);
            let wait = Duration::from_secs(1u64 << doublings).min(policy.longest_wait);
            b.not_before = now + wait;
        }
        Ok(Ticket { name, address })
    }

    /// The try succeeded: it no longer counts against the name or the address.
    pub fn succeeded(&self, ticket: Ticket) {
        let mut t = self.tables();
        t.names.remove(&(ticket.name, ticket.address));
        if let Some(b) = t.addresses.get_mut(&ticket.address) {
            b.failures = b.failures.saturating_sub(1);
            if b.failures == 0 {
                b.not_before = Instant::now();
            }
        }
    }

    /// Lifts the hold on `username`, from every address (an administrator's unlock).
    pub fn unlock(&self, username: &str) {
        let name = name_key(username);
        self.tables().names.retain(|(n, _), _| *n != name);
    }

    /// How many names and addresses are tracked now.
    pub fn tracked(&self) -> (usize, usize) {
        let t = self.tables();
        (t.names.len(), t.addresses.len())
    }
}

impl Default for SignInLimiter {
    fn default() -> Self {
        SignInLimiter::new()
    }
}

/// Why a sign-in was refused.
pub enum SignInRefusal {
    /// Too many tries: wait this long.
    Held(Duration),
    /// The registry refused it (wrong name or password, or a disabled account).
    Refused(delimit_registry::RegistryError),
}

/// Signs in through the limiter: the API and the pages both sign in through this.
pub async fn sign_in(
    state: &AppState,
    address: IpAddr,
    username: &str,
    password: &str,
) -> Result<delimit_registry::Session, SignInRefusal> {
    let ticket = state
        .sign_in_limiter()
        .begin(username, address, &state.limits.sign_in)
        .map_err(SignInRefusal::Held)?;
    match state.registry.sign_in(username, password).await {
        Ok(session) => {
            state.sign_in_limiter().succeeded(ticket);
            Ok(session)
        }
        Err(e) => Err(SignInRefusal::Refused(e)),
    }
}

/// Changes the signed-in user's password through the same limiter: the current password is a
/// guess like a sign-in's, so that a session left open does not let anyone try passwords
/// without end. Every session of the user ends; returns how many.
pub async fn change_password(
    state: &AppState,
    address: IpAddr,
    user: &Principal,
    current: &str,
    new: &str,
) -> Result<u64, SignInRefusal> {
    let ticket = state
        .sign_in_limiter()
        .begin(&user.username, address, &state.limits.sign_in)
        .map_err(SignInRefusal::Held)?;
    match state.registry.change_password(user, current, new).await {
        Ok(ended) => {
            state.sign_in_limiter().succeeded(ticket);
            Ok(ended)
        }
        // The current password was right; the new one was refused.
        Err(e) if e.code != "auth.failed" => {
            state.sign_in_limiter().succeeded(ticket);
            Err(SignInRefusal::Refused(e))
        }
        Err(e) => Err(SignInRefusal::Refused(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> SignInPolicy {
        SignInPolicy {
            tries: 5,
            window: Duration::from_secs(300),
            free_failures: 10,
            longest_wait: Duration::from_secs(900),
            tracked: 100,
        }
    }

    fn at(n: u8) -> IpAddr {
        IpAddr::from([127, 0, 0, n])
    }

    #[test]
    fn tries_are_counted_before_they_are_checked() {
        let limiter = SignInLimiter::new();
        // Tickets held, as by requests still checking their passwords.
        let held: Vec<Ticket> = (0..5)
            .map(|_| limiter.begin("maria", at(1), &policy()).unwrap())
            .collect();
        assert!(limiter.begin("maria", at(1), &policy()).is_err());
        // The owner elsewhere is not held back.
        let mine = limiter.begin("maria", at(2), &policy()).unwrap();
        limiter.succeeded(mine);
        drop(held);
        assert!(limiter.begin("Maria ", at(1), &policy()).is_err());
        limiter.unlock("maria");
        assert!(limiter.begin("maria", at(1), &policy()).is_ok());
    }

    #[test]
    fn an_address_waits_longer_with_each_failure_past_the_free_ones() {
        let limiter = SignInLimiter::new();
        for i in 0..10 {
            limiter
                .begin(&format!("name{i}"), at(3), &policy())
                .unwrap();
        }
        // The eleventh failure makes the next try wait.
        limiter.begin("name10", at(3), &policy()).unwrap();
        let wait = limiter.begin("name11", at(3), &policy()).err().unwrap();
        assert!(wait > Duration::from_millis(500) && wait <= Duration::from_secs(1));
        assert!(limiter.begin("name11", at(4), &policy()).is_ok());
    }

    #[test]
    fn the_tables_stay_within_their_bound_whatever_the_names() {
        let limiter = SignInLimiter::new();
        let long = "x".repeat(1 << 20);
        for i in 0..1000u32 {
            let name = format!("{long}{i}");
            let address = IpAddr::from(std::net::Ipv4Addr::from(0x7f00_0000 | i));
            let _ = limiter.begin(&name, address, &policy());
        }
        let (names, addresses) = limiter.tracked();
        assert!(names <= 100 && addresses <= 100, "{names} {addresses}");
    }
}
