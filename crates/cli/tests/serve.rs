//! `delimit serve` as an office deploys it: every answer carries the security headers; over
//! TLS (a self-made certificate) cookies are `Secure` and HSTS is sent; behind a proxy the
//! forwarded headers count from the proxy alone; what cannot be served safely (a certificate
//! that does not read, a private key or registry key others may read) is refused at start;
//! and `delimit key rotate` rotates the registry's key, resuming where it stopped.

mod support;

use delimit_registry::{Key, Operator, Registry, sqlite_url};
use rustls_pki_types::pem::PemObject;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;
use support::{delimit, text};
use tokio_rustls::rustls;

const PASSWORD: &str = "lilac river 71 Dushanbe";

struct Folder(PathBuf);

impl Folder {
    fn new(name: &str) -> Folder {
        let dir = std::env::temp_dir().join(format!("delimit-serve-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Folder(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A running `delimit serve` and the port it printed.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `delimit serve ARGS` on a port of its choosing over a SQLite registry in `dir`,
/// and reads the port from the line it prints.
fn serve(dir: &Folder, args: &[&str]) -> Server {
    let db = dir.path("delimit.db");
    let mut child = Command::new(env!("CARGO_BIN_EXE_delimit"))
        .arg("serve")
        .args(["--listen", "127.0.0.1:0", "--db", db.to_str().unwrap()])
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the server starts");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let port = loop {
        let line = lines
            .next()
            .expect("the server says where it serves")
            .unwrap();
        if let Some(rest) = line.split("://127.0.0.1:").nth(1) {
            break rest
                .split(|c: char| !c.is_ascii_digit())
                .next()
                .unwrap()
                .parse()
                .unwrap();
        }
    };
    // The rest of what it says is drained, so that it never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server { child, port }
}

struct Reply {
    status: u16,
    head: String,
    body: String,
}

impl Reply {
    fn headers(&self, name: &str) -> Vec<&str> {
        self.head
            .lines()
            .filter_map(|l| l.split_once(':'))
            .filter(|(k, _)| k.trim().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
            .collect()
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers(name).first().copied()
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

fn request(method: &str, path: &str, extra: &[(&str, &str)], body: Option<&str>) -> Vec<u8> {
    let mut r = format!("{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    for (k, v) in extra {
        r.push_str(&format!("{k}: {v}\r\n"));
    }
    let body = body.unwrap_or("");
    if !body.is_empty() || method != "GET" {
        r.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    r.push_str("\r\n");
    r.push_str(body);
    r.into_bytes()
}

fn parse(raw: &[u8]) -> Reply {
    let raw = String::from_utf8_lossy(raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    Reply {
        status: head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0),
        head: head.to_string(),
        body: body.to_string(),
    }
}

fn exchange(port: u16, raw: &[u8]) -> Reply {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream.write_all(raw).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    parse(&answer)
}

fn assert_secure_headers(r: &Reply, what: &str, https: bool) {
    let csp = r
        .header("content-security-policy")
        .unwrap_or_else(|| panic!("{what}: no Content-Security-Policy in\n{}", r.head));
    for part in [
        "default-src 'self'",
        "frame-ancestors 'none'",
        "script-src 'self'",
        "style-src 'self'",
    ] {
        assert!(csp.contains(part), "{what}: {csp}");
    }
    assert!(!csp.contains("unsafe-inline"), "{what}: {csp}");
    assert_eq!(
        r.header("x-content-type-options"),
        Some("nosniff"),
        "{what}"
    );
    assert_eq!(r.header("referrer-policy"), Some("no-referrer"), "{what}");
    assert_eq!(r.header("x-frame-options"), Some("DENY"), "{what}");
    assert_eq!(
        r.header("strict-transport-security").is_some(),
        https,
        "{what}: HSTS over HTTPS only\n{}",
        r.head
    );
}

/// Every route of the API and of the pages, as a client without a session meets it, and the
/// answers the guard itself gives.
fn every_route() -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = delimit_server::ROUTES
        .iter()
        .chain(delimit_web::ROUTES)
        .map(|(m, p)| {
            let path = p
                .replace("{id}", "x")
                .replace("{*id}", "x")
                .replace("{code}", "ru")
                .replace("{file}", "style.css");
            (m.to_uppercase(), path)
        })
        .collect();
    all.push(("GET".into(), "/no-such-page".into()));
    all.push(("GET".into(), "/api/no-such-route".into()));
    all
}

#[test]
fn every_answer_carries_the_security_headers() {
    let dir = Folder::new("headers");
    let server = serve(&dir, &[]);
    // A request the parser refuses is answered with them too.
    let r = exchange(
        server.port,
        &request("POST", "/api/classify", &[], Some("{not json")),
    );
    assert_eq!(r.status, 400);
    assert_secure_headers(&r, "a bad body", false);
    for path in [
        "/",
        "/setup",
        "/sign-in",
        "/law",
        "/static/style.css",
        "/api/health",
    ] {
        let r = exchange(server.port, &request("GET", path, &[], None));
        assert!(r.status < 400, "GET {path}: {}", r.status);
        assert_secure_headers(&r, &format!("GET {path} ({})", r.status), false);
    }
    // Every route, with a credential that is no session's: the handlers answer, not the
    // rate limit for requests without one.
    let routes = every_route();
    assert!(routes.len() > 40, "{}", routes.len());
    let false_token = [("Authorization", "Bearer not-a-session")];
    for (method, path) in &routes {
        let r = exchange(server.port, &request(method, path, &false_token, None));
        assert!(
            r.status >= 200 && r.status != 429,
            "{method} {path}: {}",
            r.status
        );
        assert_secure_headers(&r, &format!("{method} {path} ({})", r.status), false);
        assert!(
            r.headers("set-cookie")
                .iter()
                .all(|c| !c.contains("Secure"))
        );
    }
    // The guard's own answers too: past the rate limit for requests without a credential.
    let limited = (0..200)
        .map(|_| exchange(server.port, &request("GET", "/api/health", &[], None)))
        .find(|r| r.status == 429)
        .expect("the rate limit answers");
    assert_secure_headers(&limited, "429", false);
}

/// A self-made certificate for localhost and 127.0.0.1, and its private key, written to
/// `dir` (the key readable by its owner alone).
fn certificate(dir: &Folder) -> (PathBuf, PathBuf, String) {
    let made =
        rcgen::generate_simple_self_signed(vec!["localhost".into(), "127.0.0.1".into()]).unwrap();
    let cert = dir.path("cert.pem");
    let key = dir.path("key.pem");
    let pem = made.cert.pem();
    std::fs::write(&cert, &pem).unwrap();
    std::fs::write(&key, made.signing_key.serialize_pem()).unwrap();
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    (cert, key, pem)
}

fn tls_exchange(port: u16, ca_pem: &str, raw: &[u8]) -> Reply {
    let mut roots = rustls::RootCertStore::empty();
    for c in rustls_pki_types::CertificateDer::pem_slice_iter(ca_pem.as_bytes()) {
        roots.add(c.unwrap()).unwrap();
    }
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = rustls_pki_types::ServerName::try_from("localhost").unwrap();
    let conn = rustls::ClientConnection::new(Arc::new(config), name).unwrap();
    let tcp = TcpStream::connect(("127.0.0.1", port)).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut tls = rustls::StreamOwned::new(conn, tcp);
    tls.write_all(raw).unwrap();
    let mut answer = Vec::new();
    let _ = tls.read_to_end(&mut answer);
    parse(&answer)
}

#[test]
fn over_tls_cookies_are_secure_and_hsts_is_sent() {
    let dir = Folder::new("tls");
    let (cert, key, pem) = certificate(&dir);
    let server = serve(
        &dir,
        &[
            "--tls-cert",
            cert.to_str().unwrap(),
            "--tls-key",
            key.to_str().unwrap(),
        ],
    );
    let health = tls_exchange(server.port, &pem, &request("GET", "/api/health", &[], None));
    assert_eq!(health.status, 200, "{}", health.body);
    assert_secure_headers(&health, "GET /api/health over TLS", true);
    let page = tls_exchange(server.port, &pem, &request("GET", "/", &[], None));
    assert_secure_headers(&page, "GET / over TLS", true);

    let setup =
        format!(r#"{{"username": "admin", "password": "{PASSWORD}", "organisation": "Office"}}"#);
    let r = tls_exchange(
        server.port,
        &pem,
        &request("POST", "/api/setup", &[], Some(&setup)),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let sign_in = format!(r#"{{"username": "admin", "password": "{PASSWORD}"}}"#);
    let r = tls_exchange(
        server.port,
        &pem,
        &request("POST", "/api/session", &[], Some(&sign_in)),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let cookie = r.header("set-cookie").expect("a session cookie");
    assert!(
        cookie.contains("; Secure") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    // The same form in the browser: its cookie is Secure as well.
    let form = format!("username=admin&password={}", PASSWORD.replace(' ', "+"));
    let raw = format!(
        "POST /sign-in HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form}",
        form.len()
    );
    let r = tls_exchange(server.port, &pem, raw.as_bytes());
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(
        r.headers("set-cookie")
            .iter()
            .all(|c| c.contains("; Secure")),
        "{}",
        r.head
    );

    // Plain HTTP to the TLS port gets no page.
    let plain = exchange(server.port, &request("GET", "/api/health", &[], None));
    assert_ne!(plain.status, 200);
}

#[test]
fn behind_a_proxy_forwarded_headers_count_from_the_proxy_alone() {
    let dir = Folder::new("proxy");
    // The proxy is this machine: its forwarded address is the client's.
    let server = serve(&dir, &["--behind-proxy", "127.0.0.1"]);
    let r = forwarded_health(server.port, "198.51.100.7");
    assert_eq!(r.status, 200, "{}", r.body);
    assert_secure_headers(&r, "behind a proxy", true);
    let r = forwarded_health(server.port, "not an address");
    assert_eq!(r.status, 400);
    drop(server);

    // A proxy elsewhere: a request from here carrying a forwarded header did not come
    // through it, and is refused; one without is served.
    let dir = Folder::new("proxy-elsewhere");
    let server = serve(&dir, &["--behind-proxy", "10.9.9.9"]);
    let r = forwarded_health(server.port, "203.0.113.1");
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.json()["error"]["code"], "proxy.untrusted");
    assert_secure_headers(&r, "a refused forwarded header", true);
    let r = exchange(server.port, &request("GET", "/api/health", &[], None));
    assert_eq!(r.status, 200);
}

/// `GET /api/health` whose `X-Forwarded-For` names `client`.
fn forwarded_health(port: u16, client: &str) -> Reply {
    exchange(
        port,
        &request("GET", "/api/health", &[("X-Forwarded-For", client)], None),
    )
}

fn refused_at_start(dir: &Folder, args: &[&str]) -> String {
    let db = dir.path("delimit.db");
    let o = Command::new(env!("CARGO_BIN_EXE_delimit"))
        .arg("serve")
        .args(["--listen", "127.0.0.1:0", "--db", db.to_str().unwrap()])
        .args(args)
        .output()
        .unwrap();
    assert!(!o.status.success(), "{args:?} was served");
    text(&o.stderr)
}

#[test]
fn what_cannot_be_served_safely_is_refused_at_start() {
    let dir = Folder::new("refusals");
    let (cert, key, _) = certificate(&dir);
    let garbage = dir.path("garbage.pem");
    std::fs::write(&garbage, "this is not a certificate\n").unwrap();
    let said = refused_at_start(
        &dir,
        &[
            "--tls-cert",
            garbage.to_str().unwrap(),
            "--tls-key",
            key.to_str().unwrap(),
        ],
    );
    assert!(
        said.contains("garbage.pem") && said.contains("no certificate"),
        "{said}"
    );
    let said = refused_at_start(
        &dir,
        &[
            "--tls-cert",
            cert.to_str().unwrap(),
            "--tls-key",
            garbage.to_str().unwrap(),
        ],
    );
    assert!(said.contains("garbage.pem"), "{said}");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let said = refused_at_start(
        &dir,
        &[
            "--tls-cert",
            cert.to_str().unwrap(),
            "--tls-key",
            key.to_str().unwrap(),
        ],
    );
    assert!(said.contains("chmod 600"), "{said}");
    let said = refused_at_start(&dir, &["--tls-cert", cert.to_str().unwrap()]);
    assert!(said.contains("--tls-key"), "{said}");

    // The registry's key, readable by others, is refused too.
    let registry_key = dir.path("registry.key");
    std::fs::write(&registry_key, Key::generate().unwrap().to_hex()).unwrap();
    std::fs::set_permissions(&registry_key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let said = refused_at_start(&dir, &["--key-file", registry_key.to_str().unwrap()]);
    assert!(
        said.contains("registry.key") && said.contains("chmod 600"),
        "{said}"
    );
}

fn key_of(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap().trim().to_string()
}

fn rotate(db: &Path, key_file: &Path) -> String {
    let o = delimit(&[
        "key",
        "rotate",
        "--db",
        db.to_str().unwrap(),
        "--key-file",
        key_file.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    text(&o.stdout)
}

fn verify(db: &Path, key_file: &Path) -> bool {
    delimit(&[
        "audit",
        "verify",
        "--db",
        db.to_str().unwrap(),
        "--key-file",
        key_file.to_str().unwrap(),
    ])
    .status
    .success()
}

#[test]
fn the_key_rotates_on_the_command_line_and_resumes_where_it_stopped() {
    let dir = Folder::new("rotate");
    let db = dir.path("office.db");
    let key_file = dir.path("office.key");
    let old = Key::generate().unwrap();
    old.write_new(&key_file).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_delimit"))
        .args([
            "user",
            "add",
            "maria",
            "--role",
            "administrator",
            "--db",
            db.to_str().unwrap(),
        ])
        .args(["--key-file", key_file.to_str().unwrap()])
        .env("DELIMIT_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));

    let said = rotate(&db, &key_file);
    assert!(said.contains("sealed again"), "{said}");
    let retired = dir.path(&format!("office.key.retired-{}", old.fingerprint()));
    assert_eq!(
        key_of(&retired),
        old.to_hex(),
        "the old key is kept for old backups"
    );
    assert_ne!(key_of(&key_file), old.to_hex());
    assert!(!dir.path("office.key.new").exists());
    assert!(verify(&db, &key_file));
    assert!(!verify(&db, &retired), "the old key opens nothing");

    // Stopped before its transaction ended: the new key was written, the registry is still
    // under the old one. Run again, it uses the key it had made.
    let pending = Key::generate().unwrap();
    pending.write_new(&dir.path("office.key.new")).unwrap();
    rotate(&db, &key_file);
    assert_eq!(key_of(&key_file), pending.to_hex());
    assert!(verify(&db, &key_file));

    // Stopped after the transaction, before the files were swapped.
    let current = Key::read(&key_file).unwrap();
    let next = Key::generate().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let r = Registry::open(&sqlite_url(&db), current).await.unwrap();
        r.rotate_key(&Operator::command_line(), &next)
            .await
            .unwrap();
        r.close().await;
    });
    next.write_new(&dir.path("office.key.new")).unwrap();
    let said = rotate(&db, &key_file);
    assert!(said.contains("already sealed under the new key"), "{said}");
    assert_eq!(key_of(&key_file), next.to_hex());
    assert!(verify(&db, &key_file));
}
