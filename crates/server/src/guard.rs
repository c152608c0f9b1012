//! The server's guard against load it did not ask for: how long a client may take to send a
//! request or to read an answer, how many connections it may hold, and how often it may ask
//! without signing in. Every value is a field of [`Limits`]; `docs/limits.md` gives each with
//! its reason and the answer past it.
//!
//! - A connection ready for a request (a new one, or one kept alive after an answer) gets the
//!   whole header within `header_timeout`, or is closed; a header larger than `header_bytes` is
//!   answered `431` and the connection closed.
//! - A request body arrives within `body_timeout`, extended by a second for every
//!   `body_min_rate` bytes received, or the request is answered `408 request.timeout` and the
//!   connection closed.
//! - An answer the client stops reading for `write_timeout` is abandoned, the connection closed.
//! - At most `max_connections` connections are served at once; more wait, unaccepted. One
//!   address holds at most `connections_per_address`; its connections past them are closed at
//!   once.
//! - A request without a credential (no bearer token, no session cookie) takes a token from its
//!   address's bucket (`rate_burst` tokens, refilled at `rate_per_minute`); with none left it is
//!   answered `429 rate.limited` with `Retry-After`. The guard only looks for a credential; the
//!   handlers check it.

use crate::Limits;
use crate::error::ApiError;
use crate::transport::Transport;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Request, Response, StatusCode, header};
use axum::response::IntoResponse;
use hyper::body::{Frame, Incoming, SizeHint};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use std::collections::HashMap;
use std::convert::Infallible;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, SemaphorePermit};
use tokio::time::Sleep;
use tower::ServiceExt;

/// How long the server waits, once asked to stop, for the requests under way to be answered.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// How long the server waits before accepting again when accepting fails for want of file
/// descriptors or memory, rather than trying again at once.
const ACCEPT_PAUSE: Duration = Duration::from_secs(1);

/// The client address a request gets when it did not come through [`serve`](crate::serve):
/// a router called directly (as the tests do) has no connection.
pub const UNKNOWN_CLIENT: SocketAddr = SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), 0);

/// The address of the client that sent a request, as a handler's argument: the peer of the
/// connection, or [`UNKNOWN_CLIENT`] when the router is called without one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub SocketAddr);

impl ClientAddr {
    /// The part of the address that names one client, to count by: see [`address_key`].
    pub fn key(&self) -> IpAddr {
        address_key(self.0.ip())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or(UNKNOWN_CLIENT, |c| c.0),
        ))
    }
}

/// The part of an address that names one client: an IPv4 address itself (mapped into IPv6 or
/// not), an IPv6 address's /64 network, the smallest block a provider gives one subscriber, so
/// that a client does not get a fresh bucket from each of its addresses.
pub fn address_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

/// A token bucket per client address ([`address_key`]), in a table of at most `capacity`
/// addresses. When an address not in the table comes to a full table, the buckets that have
/// filled up again are dropped (a fresh bucket is the same), then the least recently seen,
/// until an eighth of the table is free: memory stays bounded however many addresses ask, and
/// each address's turn at eviction costs a constant share of one pass.
pub struct RateLimiter {
    per_second: f64,
    burst: f64,
    capacity: usize,
    table: Mutex<Table>,
}

#[derive(Default)]
struct Table {
    buckets: HashMap<IpAddr, Bucket>,
    /// Counts the requests, to order the buckets by when they were last used.
    clock: u64,
}

struct Bucket {
    tokens: f64,
    at: Instant,
    seen: u64,
}

impl RateLimiter {
    /// `burst` requests at once per address, refilled at `per_minute`, for at most `capacity`
    /// addresses. A `burst` or `per_minute` of 0 turns the limit off.
    pub fn new(capacity: usize, per_minute: u32, burst: u32) -> RateLimiter {
        RateLimiter {
            per_second: f64::from(per_minute) / 60.0,
            burst: f64::from(burst),
            capacity: capacity.max(1),
            table: Mutex::default(),
        }
    }

    /// The limiter of `limits`: `rate_addresses`, `rate_per_minute`, `rate_burst`.
    pub fn of(limits: &Limits) -> RateLimiter {
        RateLimiter::new(
            limits.rate_addresses,
            limits.rate_per_minute,
            limits.rate_burst,
        )
    }

    /// Takes one request's token from `ip`'s bucket at `now`; when none is left, how long until
    /// one is.
    pub fn check(&self, ip: IpAddr, now: Instant) -> Result<(), Duration> {
        if self.burst < 1.0 || self.per_second <= 0.0 {
            return Ok(());
        }
        let key = address_key(ip);
        let mut table = self.table.lock().unwrap_or_else(|p| p.into_inner());
        table.clock += 1;
        let seen = table.clock;
        if !table.buckets.contains_key(&key) && table.buckets.len() >= self.capacity {
            self.evict(&mut table.buckets, now);
        }
        let bucket = table.buckets.entry(key).or_insert(Bucket {
            tokens: self.burst,
            at: now,
            seen,
        });
        bucket.tokens = self.tokens(bucket, now);
        bucket.at = bucket.at.max(now);
        bucket.seen = seen;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64(
                (1.0 - bucket.tokens) / self.per_second,
            ))
        }
    }

    /// How many addresses the table holds.
    pub fn tracked(&self) -> usize {
        self.table
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .buckets
            .len()
    }

    /// Whether the table holds `ip`'s bucket.
    pub fn tracks(&self, ip: IpAddr) -> bool {
        self.table
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .buckets
            .contains_key(&address_key(ip))
    }

    fn tokens(&self, bucket: &Bucket, now: Instant) -> f64 {
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        (bucket.tokens + elapsed * self.per_second).min(self.burst)
    }

    fn evict(&self, buckets: &mut HashMap<IpAddr, Bucket>, now: Instant) {
        let keep = self.capacity - (self.capacity / 8).max(1);
        buckets.retain(|_, b| self.tokens(b, now) < self.burst);
        if buckets.len() > keep && keep == 0 {
            buckets.clear();
        } else if buckets.len() > keep {
            let mut seen: Vec<u64> = buckets.values().map(|b| b.seen).collect();
            let drop = buckets.len() - keep;
            let (_, oldest_kept, _) = seen.select_nth_unstable(drop);
            let oldest_kept = *oldest_kept;
            buckets.retain(|_, b| b.seen >= oldest_kept);
        }
    }
}

/// Turns at work that takes a core: at most `workers` at once and `queue` more waiting for a
/// turn; past them the work is refused at once rather than queued without end.
pub struct WorkPool {
    turns: Semaphore,
    waiting: AtomicUsize,
    queue: usize,
}

impl WorkPool {
    pub fn new(workers: usize, queue: usize) -> WorkPool {
        WorkPool {
            turns: Semaphore::new(workers.max(1)),
            waiting: AtomicUsize::new(0),
            queue,
        }
    }

    /// A turn, once one is free; `None` at once when the queue is full.
    pub async fn turn(&self) -> Option<SemaphorePermit<'_>> {
        if let Ok(turn) = self.turns.try_acquire() {
            return Some(turn);
        }
        let waiting = Waiting::new(&self.waiting);
        if waiting.ahead >= self.queue {
            return None;
        }
        self.turns.acquire().await.ok()
    }

    /// How many wait for a turn.
    pub fn waiting(&self) -> usize {
        self.waiting.load(Ordering::Relaxed)
    }
}

/// One place in a [`WorkPool`]'s queue, left when dropped (the turn came, or the request was
/// abandoned).
struct Waiting<'a> {
    count: &'a AtomicUsize,
    ahead: usize,
}

impl<'a> Waiting<'a> {
    fn new(count: &'a AtomicUsize) -> Waiting<'a> {
        let ahead = count.fetch_add(1, Ordering::Relaxed);
        Waiting { count, ahead }
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.count.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The answer to work refused by a full [`WorkPool`]: `503 server.busy`, to be tried again in a
/// second.
pub fn busy(what: &str) -> axum::response::Response {
    let mut r = ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "server.busy",
        format!("the server has as many {what} waiting as it queues; try again in a second"),
    )
    .into_response();
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    r
}

/// `429 rate.limited`, with the seconds to wait in `Retry-After` (at least one).
fn rate_limited(wait: Duration) -> Response<Body> {
    let seconds = (wait.as_secs_f64().ceil() as u64).max(1);
    let mut r = ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "rate.limited",
        format!(
            "too many requests from this address without signing in; try again in {seconds} \
             seconds, or sign in (POST /api/session) and send the token"
        ),
    )
    .into_response();
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    r
}

/// The open connections of each address; an address with none is not in the table, which so
/// holds at most as many addresses as there are connections.
struct Connections {
    per_address: usize,
    open: Mutex<HashMap<IpAddr, usize>>,
}

/// One connection of an address, counted until dropped.
struct Held {
    connections: Arc<Connections>,
    key: IpAddr,
}

impl Connections {
    fn enter(self: &Arc<Self>, ip: IpAddr) -> Option<Held> {
        let key = address_key(ip);
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let n = open.entry(key).or_insert(0);
        if *n >= self.per_address {
            return None;
        }
        *n += 1;
        Some(Held {
            connections: self.clone(),
            key,
        })
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        let mut open = self
            .connections
            .open
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(n) = open.get_mut(&self.key) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.key);
            }
        }
    }
}

/// Serves `app` on `listener` within `limits` until `shutdown` completes, then lets the
/// requests under way finish, for at most [`SHUTDOWN_GRACE`]. With TLS in `transport`, each
/// connection's handshake must end within `header_timeout`.
pub(crate) async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    transport: Transport,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let connections = Arc::new(Connections {
        per_address: limits.connections_per_address.max(1),
        open: Mutex::default(),
    });
    let rate = Arc::new(RateLimiter::of(&limits));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_header_size(limits.header_bytes)
        // hyper's read buffer never smaller than 8 KiB; a header fills it at most.
        .max_buf_size(limits.header_bytes.max(8192));
    let tls = transport.tls.clone().map(tokio_rustls::TlsAcceptor::from);
    let transport = Arc::new(transport);
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) if is_connection_error(&e) => continue,
                Err(_) => {
                    tokio::select! {
                        () = tokio::time::sleep(ACCEPT_PAUSE) => continue,
                        () = &mut shutdown => break,
                    }
                }
            },
            () = &mut shutdown => break,
        };
        // Past its share, the address's connection is closed as it is dropped. A trusted
        // proxy carries everyone's connections and is held to the total alone.
        let held = if transport.is_proxy(peer.ip()) {
            None
        } else {
            match connections.enter(peer.ip()) {
                Some(held) => Some(held),
                None => continue,
            }
        };
        let _ = stream.set_nodelay(true);
        let io = WriteStall::new(stream, limits.write_timeout);
        let (app, rate, transport) = (app.clone(), rate.clone(), transport.clone());
        let service = hyper::service::service_fn(move |request| {
            let (app, rate, transport) = (app.clone(), rate.clone(), transport.clone());
            async move {
                Ok::<_, Infallible>(handle(request, peer, app, &rate, &limits, &transport).await)
            }
        });
        let (http, watcher, tls) = (http.clone(), graceful.watcher(), tls.clone());
        tokio::spawn(async move {
            match tls {
                None => {
                    let _ = watcher
                        .watch(http.serve_connection(TokioIo::new(io), service))
                        .await;
                }
                Some(acceptor) => {
                    let handshake =
                        tokio::time::timeout(limits.header_timeout, acceptor.accept(io)).await;
                    if let Ok(Ok(stream)) = handshake {
                        let _ = watcher
                            .watch(http.serve_connection(TokioIo::new(stream), service))
                            .await;
                    }
                }
            }
            drop((slot, held));
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
    Ok(())
}

/// Errors of one connection being accepted, after which the next is accepted at once.
fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// One request: the client's address (the peer's, or from a trusted proxy the one it
/// forwards), the rate limit unless it carries a credential, the deadline of its body, and
/// the security headers of every answer, the guard's own included.
async fn handle(
    request: Request<Incoming>,
    peer: SocketAddr,
    app: Router,
    rate: &RateLimiter,
    limits: &Limits,
    transport: &Transport,
) -> Response<Body> {
    let mut response = answer(request, peer, app, rate, limits, transport).await;
    crate::transport::secure_headers(response.headers_mut(), transport.https());
    response
}

async fn answer(
    mut request: Request<Incoming>,
    peer: SocketAddr,
    app: Router,
    rate: &RateLimiter,
    limits: &Limits,
    transport: &Transport,
) -> Response<Body> {
    let client = match transport.client(peer, request.headers()) {
        Ok(client) => client,
        Err(why) => {
            return ApiError::new(StatusCode::BAD_REQUEST, "proxy.untrusted", why).into_response();
        }
    };
    if crate::auth::token(request.headers()).is_none()
        && let Err(wait) = rate.check(client.ip(), Instant::now())
    {
        return rate_limited(wait);
    }
    request.extensions_mut().insert(ConnectInfo(client));
    let late = Arc::new(AtomicBool::new(false));
    let request = request.map(|body| {
        Body::new(BodyDeadline::new(
            body,
            limits.body_timeout,
            limits.body_min_rate,
            late.clone(),
        ))
    });
    let response = match app.oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    if late.load(Ordering::Relaxed) {
        let mut r = ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "request.timeout",
            format!(
                "the request body came too slowly: a body arrives within {} seconds, and one \
                 second more for every {} bytes received",
                limits.body_timeout.as_secs(),
                limits.body_min_rate
            ),
        )
        .into_response();
        r.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        return r;
    }
    response
}

/// A request body that must arrive by a deadline: `grace` from when it is first read, and a
/// second more for every `rate` bytes received. Past it the body ends in an error, and `late`
/// says why.
struct BodyDeadline {
    inner: Incoming,
    grace: Duration,
    rate: u32,
    received: u64,
    started: Option<tokio::time::Instant>,
    timer: Option<Pin<Box<Sleep>>>,
    late: Arc<AtomicBool>,
}

impl BodyDeadline {
    fn new(inner: Incoming, grace: Duration, rate: u32, late: Arc<AtomicBool>) -> BodyDeadline {
        BodyDeadline {
            inner,
            grace,
            rate: rate.max(1),
            received: 0,
            started: None,
            timer: None,
            late,
        }
    }

    fn deadline(&self, started: tokio::time::Instant) -> tokio::time::Instant {
        started + self.grace + Duration::from_secs_f64(self.received as f64 / f64::from(self.rate))
    }
}

impl hyper::body::Body for BodyDeadline {
    type Data = Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        let started = *this.started.get_or_insert_with(tokio::time::Instant::now);
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    this.received += data.len() as u64;
                    let deadline = this.deadline(started);
                    if let Some(timer) = &mut this.timer {
                        timer.as_mut().reset(deadline);
                    }
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(other) => Poll::Ready(other.map(|r| r.map_err(Into::into))),
            Poll::Pending => {
                let deadline = this.deadline(started);
                let timer = this
                    .timer
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline)));
                match timer.as_mut().poll(cx) {
                    Poll::Ready(()) => {
                        this.late.store(true, Ordering::Relaxed);
                        Poll::Ready(Some(Err(Box::new(io::Error::new(
                            io::ErrorKind::TimedOut,
                            "the request body came too slowly",
                        )))))
                    }
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// A connection whose writes may wait for the client to read for at most `limit` each time;
/// past it, the write fails and hyper closes the connection.
struct WriteStall {
    io: TcpStream,
    limit: Duration,
    timer: Option<Pin<Box<Sleep>>>,
    stalled: bool,
}

impl WriteStall {
    fn new(io: TcpStream, limit: Duration) -> WriteStall {
        WriteStall {
            io,
            limit,
            timer: None,
            stalled: false,
        }
    }

    /// The write could not go on: start the clock if it is not running, fail if it ran out.
    fn wait<T>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        let deadline = tokio::time::Instant::now() + self.limit;
        let timer = self
            .timer
            .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline)));
        if !self.stalled {
            timer.as_mut().reset(deadline);
            self.stalled = true;
        }
        match timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client stopped reading the answer",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn wrote<T>(
        &mut self,
        result: Poll<io::Result<T>>,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<T>> {
        match result {
            Poll::Pending => self.wait(cx),
            ready => {
                self.stalled = false;
                ready
            }
        }
    }
}

impl AsyncRead for WriteStall {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_read(cx, buf)
    }
}

impl AsyncWrite for WriteStall {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.io).poll_write(cx, buf);
        this.wrote(result, cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.io).poll_write_vectored(cx, bufs);
        this.wrote(result, cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.io).poll_flush(cx);
        this.wrote(result, cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.io).poll_shutdown(cx);
        this.wrote(result, cx)
    }
}
