//! The server under load it did not ask for (`docs/limits.md`, "Connections, clients and
//! classification"): the real server on 127.0.0.1, through `delimit_server::serve_until`,
//! against clients that send half a header, a body that stops, many connections that do
//! nothing, requests past the rate, and large classifications while `/api/health` is asked.
//! The tests run one at a time (they measure the memory and the time of the process they
//! share).

#[path = "../../registry/tests/common/mod.rs"]
mod common;

use common::*;
use delimit_registry::Key;
use delimit_server::guard::{RateLimiter, WorkPool, address_key};
use delimit_server::{AppState, ClientAddr, Limits};
use serde_json::{Value, json};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio::time::timeout;

/// One test at a time: they measure the memory and the time of the process.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The longest any one exchange of these tests may take.
const EXCHANGE: Duration = Duration::from_secs(20);

struct Server {
    addr: SocketAddr,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
    world: World,
    _backend: Backend,
}

/// The whole application (API, and a page that echoes the client's address) served on
/// 127.0.0.1 within `limits`.
async fn start(limits: Limits) -> Server {
    let backend = backends("hardening").await.remove(0);
    let world = world(&backend, Key::generate().unwrap()).await;
    let state = AppState::new(world.registry.clone(), kb(), limits);
    let pages = axum::Router::new().route(
        "/whoami",
        axum::routing::get(|ClientAddr(addr): ClientAddr| async move { addr.to_string() }),
    );
    let app = delimit_server::app(state, pages);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(delimit_server::serve_until(
        listener,
        app,
        limits,
        async move {
            let _ = stopped.await;
        },
    ));
    Server {
        addr,
        stop,
        task,
        world,
        _backend: backend,
    }
}

impl Server {
    /// Stops the server; it must stop in a few seconds, whatever connections are still open.
    async fn stop(self) {
        let _ = self.stop.send(());
        timeout(Duration::from_secs(10), self.task)
            .await
            .expect("the server stops within 10 s")
            .unwrap()
            .unwrap();
    }

    async fn token(&self) -> String {
        self.world.session(Who::Admin).await.unwrap().token
    }
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

/// Reads one answer from `stream`: its head, then `Content-Length` bytes, or to the end.
async fn read_reply(stream: &mut TcpStream) -> Option<Reply> {
    let mut buf = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = buf[head_end + 4..].to_vec();
    let length = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok());
    while length.is_none_or(|l| body.len() < l) {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => body.extend_from_slice(&chunk[..n]),
        }
    }
    Some(Reply {
        status,
        headers,
        body,
    })
}

/// Sends `request` on a new connection from `from` (an address of 127.0.0.0/8) and reads the
/// answer.
async fn exchange_from(from: Ipv4Addr, to: SocketAddr, request: &[u8]) -> Reply {
    timeout(EXCHANGE, async {
        let socket = TcpSocket::new_v4().unwrap();
        socket.bind(SocketAddr::new(IpAddr::V4(from), 0)).unwrap();
        let mut stream = socket.connect(to).await.unwrap();
        stream.write_all(request).await.unwrap();
        read_reply(&mut stream).await.expect("an answer")
    })
    .await
    .expect("answered in time")
}

async fn exchange(to: SocketAddr, request: &[u8]) -> Reply {
    exchange_from(Ipv4Addr::LOCALHOST, to, request).await
}

fn get(path: &str, token: Option<&str>) -> Vec<u8> {
    let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
    format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}Connection: close\r\n\r\n")
        .into_bytes()
}

fn post(path: &str, body: &str, token: Option<&str>) -> Vec<u8> {
    let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
    format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Whether the server closes `stream` within `within`, whatever it sends first.
async fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    timeout(within, async {
        let mut b = [0u8; 4096];
        while let Ok(n) = stream.read(&mut b).await {
            if n == 0 {
                break;
            }
        }
    })
    .await
    .is_ok()
}

/// The resident memory of this process (the server and its clients), in KiB.
fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc/self/status")
}

/// The example journey with 64 persons, each in every event: an answer of some 3.4 MB that
/// takes a few tenths of a second to compute.
fn large_case() -> Value {
    let mut case = brick_kiln();
    for i in 1..64 {
        let mut p = case.persons[0].clone();
        p.id = format!("person-{i}");
        case.persons.push(p);
    }
    let ids: Vec<String> = case.persons.iter().map(|p| p.id.clone()).collect();
    for e in &mut case.events {
        if !e.persons.is_empty() {
            e.persons = ids.clone();
        }
    }
    json!({"case": case})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_sends_half_a_request_is_disconnected_in_time() {
    let _one = SERIAL.lock().await;
    let limits = Limits {
        header_timeout: Duration::from_secs(1),
        body_timeout: Duration::from_secs(1),
        ..Limits::default()
    };
    let server = start(limits).await;

    // Half a header, then nothing: closed after the header timeout, not before.
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    stream
        .write_all(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        .await
        .unwrap();
    let began = Instant::now();
    assert!(
        closed_within(&mut stream, Duration::from_secs(5)).await,
        "half a header held the connection open 5 s; the header timeout is 1 s"
    );
    let took = began.elapsed();
    assert!(took >= Duration::from_millis(900), "closed after {took:?}");

    // Nothing at all: the same.
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    assert!(
        closed_within(&mut stream, Duration::from_secs(5)).await,
        "a connection that sent nothing was held 5 s"
    );

    // A connection kept alive after an answer, then idle: closed after as long.
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    stream
        .write_all(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .unwrap();
    let reply = timeout(EXCHANGE, read_reply(&mut stream))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(reply.status, 200);
    assert!(
        closed_within(&mut stream, Duration::from_secs(5)).await,
        "an idle connection kept alive was held 5 s"
    );

    // A body that stops coming: 408 request.timeout after the body's time, and closed.
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    stream
        .write_all(
            b"POST /api/classify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"case\": ",
        )
        .await
        .unwrap();
    let began = Instant::now();
    let reply = timeout(Duration::from_secs(5), read_reply(&mut stream))
        .await
        .expect("a body that stops is answered within 5 s; its time is 1 s")
        .unwrap();
    assert_eq!(reply.status, 408);
    assert_eq!(reply.json()["error"]["code"], "request.timeout");
    assert!(began.elapsed() >= Duration::from_millis(900));
    assert!(closed_within(&mut stream, Duration::from_secs(2)).await);

    // A header larger than the limit: 431 at once.
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    // Exactly the limit, so that the server reads all that was sent before it answers.
    let mut big = b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: ".to_vec();
    big.resize(limits.header_bytes, b'a');
    let _ = timeout(Duration::from_secs(2), stream.write_all(&big)).await;
    let reply = timeout(Duration::from_secs(2), read_reply(&mut stream))
        .await
        .expect("a header over the limit is answered at once");
    assert_eq!(reply.map(|r| r.status), Some(431));

    server.stop().await;
}

/// Opens up to `n` connections to `addr` (in at most 30 s), each sending the first `bytes` of
/// a request header that never ends.
async fn half_headers(addr: SocketAddr, n: usize, bytes: usize) -> Vec<TcpStream> {
    let mut pad = b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: ".to_vec();
    pad.resize(bytes, b'a');
    let mut clients = Vec::new();
    let began = Instant::now();
    while clients.len() < n && began.elapsed() < Duration::from_secs(30) {
        let Ok(Ok(mut stream)) = timeout(Duration::from_secs(2), TcpStream::connect(addr)).await
        else {
            continue;
        };
        let _ = timeout(Duration::from_millis(200), stream.write_all(&pad)).await;
        clients.push(stream);
    }
    clients
}

/// How many of `clients` the server has not closed.
fn still_open(clients: &[TcpStream]) -> usize {
    let mut buf = [0u8; 4096];
    clients
        .iter()
        .filter(|c| {
            loop {
                match c.try_read(&mut buf) {
                    Ok(0) => break false,
                    Ok(_) => continue,
                    Err(e) => break e.kind() == std::io::ErrorKind::WouldBlock,
                }
            }
        })
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_connections_that_never_finish_a_header_hold_bounded_memory() {
    let _one = SERIAL.lock().await;
    // All from 127.0.0.1, so the share of one address is raised out of the way: the bounds
    // met are the header's size and time.
    let limits = Limits {
        header_timeout: Duration::from_secs(2),
        connections_per_address: 1000,
        ..Limits::default()
    };
    let server = start(limits).await;
    let reply = exchange(server.addr, &get("/api/health", None)).await;
    assert_eq!(reply.status, 200);
    let before = rss_kib();

    // 500 connections, each with 100 KiB of a header that never ends: each is refused at
    // 32 KiB (`431`), and closed.
    let clients = half_headers(server.addr, 500, 100 * 1024).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let large = rss_kib().saturating_sub(before);
    eprintln!(
        "{} connections with 100 KiB of header each: {large} KiB more resident, {} still open",
        clients.len(),
        still_open(&clients)
    );
    assert_eq!(clients.len(), 500);
    assert!(
        large < 16 * 1024,
        "500 connections with 100 KiB of header took {large} KiB"
    );
    drop(clients);

    // 500 connections, each with 30 KiB of a header under the limit: held until the header
    // timeout, then closed.
    let clients = half_headers(server.addr, 500, 30 * 1024).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let held = rss_kib().saturating_sub(before);
    let open = still_open(&clients);
    tokio::time::sleep(limits.header_timeout + Duration::from_secs(1)).await;
    let after = rss_kib().saturating_sub(before);
    let left = still_open(&clients);
    drop(clients);
    eprintln!(
        "500 connections with 30 KiB of header each: {held} KiB more resident while {open} are held, {after} KiB once {left} are left after the header timeout"
    );
    assert!(
        held < 48 * 1024,
        "500 connections with 30 KiB of header took {held} KiB"
    );
    assert_eq!(left, 0, "connections left open past the header timeout");
    assert!(
        after < 48 * 1024,
        "{after} KiB kept after the connections closed"
    );

    // And the server answers.
    let reply = exchange(server.addr, &get("/api/health", None)).await;
    assert_eq!(reply.status, 200);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_without_sign_in_past_the_rate_are_answered_429() {
    let _one = SERIAL.lock().await;
    let limits = Limits {
        rate_burst: 5,
        rate_per_minute: 1,
        ..Limits::default()
    };
    let server = start(limits).await;
    for _ in 0..5 {
        let reply = exchange(server.addr, &get("/api/health", None)).await;
        assert_eq!(reply.status, 200);
    }
    let reply = exchange(server.addr, &get("/api/health", None)).await;
    assert_eq!(
        reply.status,
        429,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    assert_eq!(reply.json()["error"]["code"], "rate.limited");
    assert!(
        reply.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("try again")
    );
    let wait: u64 = reply.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "Retry-After: {wait}");
    // The same for the web's pages, and for a sign-in.
    let reply = exchange(server.addr, &get("/whoami", None)).await;
    assert_eq!(reply.status, 429);
    let reply = exchange(
        server.addr,
        &post(
            "/api/session",
            r#"{"username":"admin","password":"x"}"#,
            None,
        ),
    )
    .await;
    assert_eq!(reply.status, 429);

    // A signed-in request still passes, and so does another address.
    let token = server.token().await;
    let reply = exchange(server.addr, &get("/api/users", Some(&token))).await;
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    let other = Ipv4Addr::new(127, 0, 0, 2);
    let reply = exchange_from(other, server.addr, &get("/whoami", None)).await;
    assert_eq!(reply.status, 200);
    // The handlers see the client's address.
    assert_eq!(
        String::from_utf8_lossy(&reply.body)
            .rsplit_once(':')
            .unwrap()
            .0,
        "127.0.0.2"
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_answers_promptly_while_large_classifications_run() {
    let _one = SERIAL.lock().await;
    let server = start(Limits::default()).await;
    let token = server.token().await;
    let body = large_case().to_string();
    let running = Arc::new(AtomicUsize::new(0));
    let mut classifications = Vec::new();
    for _ in 0..8 {
        let (addr, request, running) = (
            server.addr,
            post("/api/classify", &body, Some(&token)),
            running.clone(),
        );
        running.fetch_add(1, Ordering::SeqCst);
        classifications.push(tokio::spawn(async move {
            let reply = exchange(addr, &request).await;
            running.fetch_sub(1, Ordering::SeqCst);
            reply
        }));
    }
    // Give the classifications time to be read and started.
    tokio::time::sleep(Duration::from_millis(100)).await;
    // Asked from a thread of its own, outside the runtime the server shares with the
    // classifications' clients, so that only the server's delay is measured.
    let (addr, request, busy) = (
        server.addr,
        get("/api/health", Some(&token)),
        running.clone(),
    );
    let probe = std::thread::spawn(move || {
        use std::io::{Read, Write};
        let mut times = Vec::new();
        while busy.load(Ordering::SeqCst) > 0 && times.len() < 100 {
            let began = Instant::now();
            let mut stream = std::net::TcpStream::connect(addr).unwrap();
            stream.set_read_timeout(Some(EXCHANGE)).unwrap();
            stream.write_all(&request).unwrap();
            let mut answer = Vec::new();
            stream.read_to_end(&mut answer).unwrap();
            times.push(began.elapsed());
            assert!(
                answer.starts_with(b"HTTP/1.1 200"),
                "{}",
                String::from_utf8_lossy(&answer)
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        times
    });
    let mut times = tokio::task::spawn_blocking(move || probe.join().unwrap())
        .await
        .unwrap();
    for c in classifications {
        let reply = c.await.unwrap();
        assert_eq!(
            reply.status,
            200,
            "{}",
            String::from_utf8_lossy(&reply.body[..200.min(reply.body.len())])
        );
        assert!(reply.body.len() > 1 << 20);
    }
    times.sort();
    eprintln!(
        "/api/health while 8 classifications ran: {} answers, median {:?}, slowest {:?}",
        times.len(),
        times[times.len() / 2],
        times[times.len() - 1]
    );
    assert!(times.len() >= 3, "{} answers measured", times.len());
    // The slowest answer, and all but one (a scheduler may once not run the server's thread
    // for a while on a busy machine shared with other work).
    assert!(times[times.len() - 1] < Duration::from_secs(1), "{times:?}");
    assert!(
        times[times.len() - 2] < Duration::from_millis(200),
        "{times:?}"
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_answer_without_sign_in_is_refused_and_a_false_token_too() {
    let _one = SERIAL.lock().await;
    let server = start(Limits::default()).await;
    let body = large_case().to_string();
    let reply = exchange(server.addr, &post("/api/classify", &body, None)).await;
    assert_eq!(reply.status, 422);
    assert_eq!(reply.json()["error"]["code"], "classify.answer_too_large");
    assert!(
        reply.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("without sign-in an answer has at most 1048576 bytes (1 MiB)"),
        "{}",
        reply.json()
    );
    // The example journey's answer is far under the limit.
    let small = json!({"case": brick_kiln()}).to_string();
    let reply = exchange(server.addr, &post("/api/classify", &small, None)).await;
    assert_eq!(reply.status, 200);
    // Signed in, the large answer comes; with a token that is not a session's, nothing.
    let token = server.token().await;
    let reply = exchange(server.addr, &post("/api/classify", &body, Some(&token))).await;
    assert_eq!(reply.status, 200);
    let reply = exchange(
        server.addr,
        &post("/api/classify", &small, Some("not-a-token")),
    )
    .await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.json()["error"]["code"], "auth.session");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_past_the_limits_wait_or_are_closed() {
    let _one = SERIAL.lock().await;
    let limits = Limits {
        max_connections: 4,
        connections_per_address: 2,
        ..Limits::default()
    };
    let server = start(limits).await;
    let addr = server.addr;
    let connect = |from: Ipv4Addr| async move {
        let socket = TcpSocket::new_v4().unwrap();
        socket.bind(SocketAddr::new(IpAddr::V4(from), 0)).unwrap();
        timeout(EXCHANGE, socket.connect(addr))
            .await
            .unwrap()
            .unwrap()
    };
    // One address: two connections held, the third closed at once.
    let one = Ipv4Addr::new(127, 0, 0, 1);
    let _a = connect(one).await;
    let _b = connect(one).await;
    let mut c = connect(one).await;
    assert!(closed_within(&mut c, Duration::from_secs(2)).await);
    // Four in all: a fifth, from a third address, waits until one closes.
    let two = Ipv4Addr::new(127, 0, 0, 2);
    let d = connect(two).await;
    let _e = connect(two).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut f = connect(Ipv4Addr::new(127, 0, 0, 3)).await;
    f.write_all(&get("/api/health", None)).await.unwrap();
    assert!(
        timeout(Duration::from_millis(500), read_reply(&mut f))
            .await
            .is_err(),
        "a fifth connection was served"
    );
    drop(d);
    let reply = timeout(Duration::from_secs(5), read_reply(&mut f))
        .await
        .expect("served once a connection closed");
    assert_eq!(reply.map(|r| r.status), Some(200));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_the_client_does_not_read_is_abandoned() {
    let _one = SERIAL.lock().await;
    let limits = Limits {
        write_timeout: Duration::from_secs(1),
        ..Limits::default()
    };
    let server = start(limits).await;
    let token = server.token().await;
    let socket = TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let mut stream = timeout(EXCHANGE, socket.connect(server.addr))
        .await
        .unwrap()
        .unwrap();
    stream
        .write_all(&post(
            "/api/classify",
            &large_case().to_string(),
            Some(&token),
        ))
        .await
        .unwrap();
    // Long enough for the answer to be computed and the write to stall past its time.
    tokio::time::sleep(Duration::from_secs(4)).await;
    let reply = timeout(EXCHANGE, read_reply(&mut stream))
        .await
        .unwrap()
        .unwrap();
    let length: usize = reply.header("content-length").unwrap().parse().unwrap();
    assert!(
        reply.body.len() < length,
        "the whole answer came ({length} bytes) to a client that stopped reading"
    );
    server.stop().await;
}

/// The rate limiter's table holds at most its capacity, however many addresses ask, and
/// forgets the addresses seen longest ago first.
#[test]
fn the_table_of_addresses_stays_bounded() {
    let capacity = 100;
    let limiter = RateLimiter::new(capacity, 60, 2);
    let now = Instant::now();
    let hot = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 1));
    assert!(limiter.check(hot, now).is_ok());
    assert!(limiter.check(hot, now).is_ok());
    let wait = limiter.check(hot, now).unwrap_err();
    assert!(wait > Duration::from_millis(900) && wait <= Duration::from_secs(1));
    let first = IpAddr::V4(Ipv4Addr::new(127, 1, 0, 0));
    for i in 0..100_000u32 {
        let [_, a, b, c] = (i + (1 << 16)).to_be_bytes();
        let ip = IpAddr::V4(Ipv4Addr::new(127, a, b, c));
        assert!(limiter.check(ip, now).is_ok());
        assert!(limiter.tracked() <= capacity);
        // The address that keeps asking keeps its empty bucket.
        if i % 10 == 0 {
            assert!(limiter.check(hot, now).is_err(), "forgotten at {i}");
        }
    }
    assert!(!limiter.tracks(first));
    assert!(limiter.tracks(hot));
    // A minute later every bucket has filled up again: a full table drops those first, the
    // address seen last among them too, and keeps the bucket in use.
    let later = now + Duration::from_secs(60);
    let last = IpAddr::V4(Ipv4Addr::new(127, 2, 134, 159));
    assert!(limiter.tracks(last));
    assert!(limiter.check(hot, later).is_ok());
    // New addresses until the table is full once more.
    let mut c = 0;
    while limiter.tracks(last) && c <= capacity {
        let ip = IpAddr::V4(Ipv4Addr::new(127, 9, 9, c as u8));
        assert!(limiter.check(ip, later).is_ok());
        c += 1;
    }
    assert!(!limiter.tracks(last));
    assert!(limiter.tracks(hot));
}

/// One IPv6 client is its /64; an IPv4 address mapped into IPv6 is that address.
#[test]
fn addresses_are_counted_by_client() {
    let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
    let b: IpAddr = "2001:db8:1:2:bbbb::2".parse().unwrap();
    let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
    assert_eq!(address_key(a), address_key(b));
    assert_ne!(address_key(a), address_key(c));
    let mapped = IpAddr::V6(Ipv4Addr::new(192, 0, 2, 1).to_ipv6_mapped());
    assert_eq!(address_key(mapped), IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)));
    let limiter = RateLimiter::new(10, 60, 1);
    let now = Instant::now();
    assert!(limiter.check(a, now).is_ok());
    assert!(limiter.check(b, now).is_err());
    assert!(limiter.check(c, now).is_ok());
    assert!(limiter.check(IpAddr::V6(Ipv6Addr::LOCALHOST), now).is_ok());
    // Off at 0.
    let off = RateLimiter::new(10, 0, 0);
    for _ in 0..100 {
        assert!(off.check(a, now).is_ok());
    }
}

/// The classification pool: `workers` at once, `queue` waiting, the rest refused at once.
#[tokio::test]
async fn the_work_pool_queues_a_bounded_number() {
    let pool = Arc::new(WorkPool::new(1, 1));
    let first = pool.turn().await.expect("a free turn");
    let waiter = {
        let pool = pool.clone();
        tokio::spawn(async move { pool.turn().await.is_some() })
    };
    timeout(Duration::from_secs(5), async {
        while pool.waiting() == 0 {
            tokio::task::yield_now().await;
        }
    })
    .await
    .unwrap();
    assert!(pool.turn().await.is_none(), "a second waiter was queued");
    drop(first);
    assert!(
        timeout(Duration::from_secs(5), waiter)
            .await
            .unwrap()
            .unwrap()
    );
    assert_eq!(pool.waiting(), 0);
}

/// A router called without a connection (as the other tests call it) still gives its handlers
/// a client address: the unspecified one.
#[tokio::test]
async fn without_a_connection_the_client_address_is_unspecified() {
    use tower::ServiceExt;
    let app = axum::Router::new().route(
        "/whoami",
        axum::routing::get(|ClientAddr(addr): ClientAddr| async move { addr.to_string() }),
    );
    let request = axum::http::Request::get("/whoami")
        .body(axum::body::Body::empty())
        .unwrap();
    let response = app.oneshot(request).await.unwrap();
    let body = axum::body::to_bytes(response.into_body(), 1024)
        .await
        .unwrap();
    assert_eq!(&body[..], b"0.0.0.0:0");
    assert_eq!(
        ClientAddr(delimit_server::guard::UNKNOWN_CLIENT).key(),
        IpAddr::V4(Ipv4Addr::UNSPECIFIED)
    );
}
