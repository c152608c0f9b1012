//! `delimit serve` killed with SIGKILL while clients store cases, many times over one registry:
//! every case the server acknowledged (201) is there afterwards, whole, and no case is stored
//! without its revision and its statistics row. On each back end.

#[path = "../../registry/tests/common/mod.rs"]
mod common;

use common::{PASSWORD, backends, brick_kiln};
use delimit_registry::{Key, Registry};
use serde_json::{Value, json};
use sqlx::Row;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One HTTP/1.1 request on a fresh connection; the status and the JSON body, or `None` when
/// the connection failed (the server was killed).
fn http(
    port: u16,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &Value,
) -> Option<(u16, Value)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let body = body.to_string();
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\n{auth}Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).ok()?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).ok()?;
    let text = String::from_utf8_lossy(&response);
    let status: u16 = text.split(' ').nth(1)?.parse().ok()?;
    let json = text
        .split_once("\r\n\r\n")
        .and_then(|(_, b)| serde_json::from_str(b).ok())
        .unwrap_or(Value::Null);
    Some((status, json))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn serve(url: &str, port: u16, key: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_delimit"))
        .args([
            "serve",
            "--db",
            url,
            "--listen",
            &format!("127.0.0.1:{port}"),
        ])
        .env("DELIMIT_KEY", key)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts")
}

fn wait_until_up(port: u16) {
    let start = Instant::now();
    while http(port, "GET", "/api/health", None, &Value::Null).is_none() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the server did not come up"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

const KILLS: usize = 6;

#[tokio::test(flavor = "multi_thread")]
async fn a_killed_server_loses_no_acknowledged_case() {
    let key = Key::generate().unwrap();
    let key_hex = key.to_hex();
    let body = json!({"case": serde_json::to_value(brick_kiln()).unwrap(), "identity": {"names": ["A. B."]}});
    for b in backends("server-crash").await {
        let port = free_port();
        let mut server = serve(&b.url, port, &key_hex);
        wait_until_up(port);
        let setup = http(
            port,
            "POST",
            "/api/setup",
            None,
            &json!({"username": "admin", "password": PASSWORD}),
        );
        assert_eq!(setup.map(|s| s.0), Some(201));
        let (_, session) = http(
            port,
            "POST",
            "/api/session",
            None,
            &json!({"username": "admin", "password": PASSWORD}),
        )
        .unwrap();
        let token = session["token"].as_str().unwrap().to_string();
        let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
        for round in 0..KILLS {
            let stop = Arc::new(AtomicBool::new(false));
            let clients: Vec<_> = (0..3)
                .map(|_| {
                    let (stop, acknowledged, token, body) = (
                        stop.clone(),
                        acknowledged.clone(),
                        token.clone(),
                        body.clone(),
                    );
                    std::thread::spawn(move || {
                        while !stop.load(Ordering::Relaxed) {
                            if let Some((201, reply)) =
                                http(port, "POST", "/api/cases", Some(&token), &body)
                                && let Some(id) = reply["id"].as_str()
                            {
                                acknowledged.lock().unwrap().push(id.to_string());
                            }
                        }
                    })
                })
                .collect();
            std::thread::sleep(Duration::from_millis(300 + 170 * round as u64));
            server.kill().unwrap();
            server.wait().unwrap();
            stop.store(true, Ordering::Relaxed);
            for c in clients {
                c.join().unwrap();
            }
            server = serve(&b.url, port, &key_hex);
            wait_until_up(port);
        }
        server.kill().unwrap();
        server.wait().unwrap();

        let registry = Registry::open(&b.url, key.clone()).await.unwrap();
        let acknowledged = acknowledged.lock().unwrap().clone();
        assert!(
            acknowledged.len() > KILLS,
            "{}: the clients stored cases ({})",
            b.name,
            acknowledged.len()
        );
        for id in &acknowledged {
            let row = sqlx::query(
                "SELECT COUNT(*) AS n FROM case_revisions WHERE case_id = $1 AND revision = 1",
            )
            .bind(id)
            .fetch_one(registry.pool())
            .await
            .unwrap();
            assert_eq!(
                row.try_get::<i64, _>("n").unwrap(),
                1,
                "{}: acknowledged case {id} lost",
                b.name
            );
        }
        let count = |sql: &'static str| {
            let registry = registry.clone();
            async move {
                sqlx::query(sql)
                    .fetch_one(registry.pool())
                    .await
                    .unwrap()
                    .try_get::<i64, _>("n")
                    .unwrap()
            }
        };
        let cases = count("SELECT COUNT(*) AS n FROM cases").await;
        assert_eq!(
            cases,
            count("SELECT COUNT(*) AS n FROM case_revisions").await
        );
        assert_eq!(
            cases,
            count("SELECT COUNT(DISTINCT case_id) AS n FROM persons").await
        );
        // Cases stored but not acknowledged (killed before the answer went out) may exist;
        // never the reverse.
        assert!(cases >= acknowledged.len() as i64);
        assert_eq!(registry.verify_audit(None).await.unwrap().broken_at, None);
        eprintln!(
            "{}: {KILLS} kills, {} cases acknowledged, {cases} stored",
            b.name,
            acknowledged.len()
        );
    }
}
