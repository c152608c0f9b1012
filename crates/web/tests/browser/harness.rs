//! What the browser tests share: the application served in-process over a fresh registry,
//! chromedriver and a headless Chromium, and a small `Browser` that drives pages and checks
//! each main page for accessibility and for missing translations.

use delimit_law::KnowledgeBase;
use delimit_registry::{ImportFormat, Key, Reading, Registry, Role, synthetic};
use delimit_server::{AppState, Limits};
use fantoccini::elements::Element;
use fantoccini::wd::{Capabilities, PrintConfiguration};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The administrator every test but the first-run one signs in as.
pub const ADMIN: &str = "admin";
pub const PASSWORD: &str = "correct horse battery";
pub const ORGANISATION: &str = "Border Aid";

/// How long any wait for the page lasts before the test fails.
const PATIENCE: Duration = Duration::from_secs(20);

pub fn kb() -> &'static KnowledgeBase {
    static KB: OnceLock<KnowledgeBase> = OnceLock::new();
    KB.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../law");
        delimit_law::compile(&delimit_law::load::read_dir(&dir).expect("law"))
            .kb
            .expect("law checks")
    })
}

/// A folder that is removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let mut bytes = [0u8; 6];
        getrandom::fill(&mut bytes).unwrap();
        let suffix: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let dir = std::env::temp_dir().join(format!("delimit-browser-{name}-{suffix}"));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Where the browser, its driver and the accessibility checker are.
struct Tools {
    chromium: PathBuf,
    chromedriver: PathBuf,
    axe: PathBuf,
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// The tools, from the environment `scripts/browser-test-deps.sh` prints, else where Debian
/// and that script put them; or why the tests cannot run.
fn tools() -> Result<Tools, String> {
    let from_env = |var: &str| {
        std::env::var_os(var)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let chromium = from_env("DELIMIT_CHROMIUM")
        .or_else(|| on_path("chromium"))
        .or_else(|| on_path("chromium-browser"))
        .ok_or("no Chromium (DELIMIT_CHROMIUM, or `chromium` on PATH)")?;
    let chromedriver = from_env("DELIMIT_CHROMEDRIVER")
        .or_else(|| on_path("chromedriver"))
        .ok_or("no chromedriver (DELIMIT_CHROMEDRIVER, or `chromedriver` on PATH)")?;
    let axe = from_env("DELIMIT_AXE_JS").unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../target/browser-test-deps/node_modules/axe-core/axe.min.js")
    });
    if !axe.is_file() {
        return Err(format!("no axe-core at {} (DELIMIT_AXE_JS)", axe.display()));
    }
    Ok(Tools {
        chromium,
        chromedriver,
        axe,
    })
}

/// The tools, or `None` after saying why the test is skipped. With
/// `DELIMIT_REQUIRE_BROWSER=1` (as in CI) a missing tool fails the test instead.
fn tools_or_skip(test: &str) -> Option<Tools> {
    match tools() {
        Ok(t) => Some(t),
        Err(why)
            if std::env::var("DELIMIT_REQUIRE_BROWSER").is_ok_and(|v| v == "1")
                || std::env::var_os("CI").is_some() =>
        {
            panic!("{why}; DELIMIT_REQUIRE_BROWSER=1 or CI requires the browser tests to run")
        }
        Err(why) => {
            // Said once, and past the test harness's capture of output (which would hide it
            // for a test that passes).
            static SAID: std::sync::Once = std::sync::Once::new();
            SAID.call_once(|| {
                use std::io::Write;
                let _ = writeln!(
                    std::io::stderr(),
                    "browser tests skipped ({test} and the others): {why}. \
                     Run `eval \"$(scripts/browser-test-deps.sh)\"` first."
                );
            });
            None
        }
    }
}

/// The application, served on loopback over a registry of its own.
pub struct App {
    pub base: String,
    pub state: AppState,
    server: tokio::task::JoinHandle<()>,
    _dir: TempDir,
}

impl App {
    /// A fresh, empty registry: the first visit is the first run.
    pub async fn start(test: &str) -> App {
        let dir = TempDir::new(test);
        let url = format!("sqlite://{}?mode=rwc", dir.0.join("r.db").display());
        let registry = Registry::open(&url, Key::generate().unwrap())
            .await
            .expect("open the registry");
        // Served as `delimit serve` serves it, headers and Content-Security-Policy included,
        // with no rate limit: one browser signs in and out many times from one address.
        let limits = Limits {
            rate_burst: 0,
            ..Limits::default()
        };
        let state = AppState::new(registry, kb(), limits);
        let app = delimit_server::app(state.clone(), delimit_web::router(state.clone()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let server = tokio::spawn(async move {
            delimit_server::serve_until(listener, app, limits, std::future::pending())
                .await
                .expect("serve");
        });
        App {
            base,
            state,
            server,
            _dir: dir,
        }
    }

    /// An application whose administrator exists already (made directly in the registry, as
    /// the first run would).
    pub async fn with_admin(test: &str) -> App {
        let app = App::start(test).await;
        app.state
            .registry
            .first_administrator(ORGANISATION, ADMIN, PASSWORD)
            .await
            .expect("the administrator");
        app
    }
}

impl App {
    /// Imports `n` synthetic journeys (as a caseworker) and assesses them (as the
    /// administrator), as the statistics tests do.
    pub async fn add_journeys(&self, n: u64) {
        let registry = &self.state.registry;
        let admin = registry
            .sign_in(ADMIN, PASSWORD)
            .await
            .expect("the administrator")
            .user
            .principal();
        registry
            .create_user(&admin, "importer", PASSWORD, Role::Caseworker)
            .await
            .unwrap();
        let importer = registry
            .sign_in("importer", PASSWORD)
            .await
            .unwrap()
            .user
            .principal();
        let file: String = (0..n)
            .map(|i| serde_json::to_string(&synthetic::journey(i).unwrap()).unwrap() + "\n")
            .collect();
        registry
            .import(
                &importer,
                file.as_bytes(),
                ImportFormat::JsonLines,
                &mut |_| {},
            )
            .await
            .expect("import the journeys");
        let reading = Reading {
            kb: kb(),
            doctrines: &[],
            as_of: None,
        };
        registry
            .requalify(&admin, reading, &mut |_| {})
            .await
            .expect("assess the journeys");
    }
}

impl Drop for App {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// A chromedriver child process and its browser session. When dropped, even by a failing
/// test whose runtime is gone, it ends the session (which closes Chromium: killing only the
/// driver would leave the browser running) and then the driver.
struct Driver {
    process: Child,
    port: u16,
    session: Option<String>,
}

impl Driver {
    /// `DELETE /session/{id}`, by hand over a plain socket: no runtime is needed.
    fn end_session(&mut self) {
        use std::io::{Read, Write};
        let Some(id) = self.session.take() else {
            return;
        };
        let Ok(mut socket) = std::net::TcpStream::connect(("127.0.0.1", self.port)) else {
            return;
        };
        let _ = socket.set_read_timeout(Some(PATIENCE));
        let request = format!(
            "DELETE /session/{id} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
            self.port
        );
        // The driver answers once the browser has quit; the first bytes of the answer are
        // enough (it may keep the connection open after them).
        if socket.write_all(request.as_bytes()).is_ok() {
            let _ = socket.read(&mut [0u8; 512]);
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.end_session();
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One violation of an accessibility rule, as axe-core reports it.
#[derive(Debug)]
pub struct Violation {
    pub rule: String,
    pub impact: String,
    pub help: String,
    pub targets: Vec<String>,
}

/// A headless Chromium on one page of the application.
pub struct Browser {
    pub client: Client,
    pub base: String,
    axe: String,
    screenshots: Option<PathBuf>,
    driver: Driver,
}

impl Browser {
    /// Starts chromedriver and a browser session, or `None` when the tools are missing (and
    /// not required).
    pub async fn start(test: &str, app: &App) -> Option<Browser> {
        let tools = tools_or_skip(test)?;
        let port = free_port();
        let mut driver = Driver {
            process: Command::new(&tools.chromedriver)
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("start {}: {e}", tools.chromedriver.display())),
            port,
            session: None,
        };
        let url = format!("http://127.0.0.1:{port}");
        let mut caps = Capabilities::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": tools.chromium,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--window-size=1280,1000", "--lang=en"],
            }),
        );
        // chromedriver takes a moment to listen: retry the connection until it answers.
        let deadline = Instant::now() + PATIENCE;
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(c) => break c,
                Err(_) if Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(e) => panic!("no WebDriver session from chromedriver: {e}"),
            }
        };
        driver.session = client.session_id().await.unwrap();
        let axe = std::fs::read_to_string(&tools.axe).expect("read axe-core");
        // A relative folder is taken from the repository's root, not from the crate's folder
        // that cargo runs the tests in.
        let screenshots = std::env::var_os("DELIMIT_SCREENSHOTS")
            .filter(|d| !d.is_empty())
            .map(|d| Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(d));
        Some(Browser {
            client,
            base: app.base.clone(),
            axe,
            screenshots,
            driver,
        })
    }

    /// Ends the browser session (the driver process ends when dropped).
    pub async fn close(mut self) {
        if self.client.clone().close().await.is_ok() {
            self.driver.session = None;
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn goto(&self, path: &str) {
        self.client
            .goto(&self.url(path))
            .await
            .unwrap_or_else(|e| panic!("open {path}: {e}"));
    }

    /// The path (and query) of the page shown.
    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.unwrap();
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        }
    }

    pub async fn find(&self, css: &str) -> Element {
        match self.client.find(Locator::Css(css)).await {
            Ok(e) => e,
            Err(e) => panic!("no `{css}` on {}: {e}", self.path().await),
        }
    }

    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        self.client.find_all(Locator::Css(css)).await.unwrap()
    }

    pub async fn exists(&self, css: &str) -> bool {
        !self.find_all(css).await.is_empty()
    }

    /// Waits for an element to appear.
    pub async fn wait_for(&self, css: &str) -> Element {
        match self
            .client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
        {
            Ok(e) => e,
            Err(e) => panic!("`{css}` never appeared on {}: {e}", self.path().await),
        }
    }

    pub async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.unwrap()
    }

    /// The text of the whole page as shown.
    pub async fn page_text(&self) -> String {
        self.text("body").await
    }

    pub async fn attr(&self, css: &str, name: &str) -> Option<String> {
        self.find(css).await.attr(name).await.unwrap()
    }

    /// The current value of a form field (what is typed, not the attribute).
    pub async fn value(&self, css: &str) -> String {
        self.find(css)
            .await
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default()
    }

    /// Replaces what a field holds with `text`, typed as a person would.
    pub async fn fill(&self, css: &str, text: &str) {
        let field = self.find(css).await;
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }

    /// Sets a field's value directly (for inputs whose typing depends on the locale, such
    /// as dates).
    pub async fn set_value(&self, css: &str, value: &str) {
        let field = self.find(css).await;
        self.client
            .execute(
                "arguments[0].value = arguments[1];",
                vec![serde_json::to_value(&field).unwrap(), json!(value)],
            )
            .await
            .unwrap();
    }

    /// Clicks something that does not leave the page.
    pub async fn click(&self, css: &str) {
        self.find(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click `{css}`: {e}"));
    }

    /// Clicks something that loads another page (a link, a submit button), and waits until
    /// the new page has loaded: a mark left on the old page's window is gone.
    pub async fn click_and_wait(&self, css: &str) {
        let element = self.find(css).await;
        self.leave_mark().await;
        element
            .click()
            .await
            .unwrap_or_else(|e| panic!("click `{css}`: {e}"));
        self.wait_for_new_page(css).await;
    }

    async fn leave_mark(&self) {
        self.client
            .execute("window.__delimitOldPage = true;", vec![])
            .await
            .unwrap();
    }

    async fn wait_for_new_page(&self, after: &str) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let loaded = self
                .client
                .execute(
                    "return !window.__delimitOldPage && document.readyState === 'complete';",
                    vec![],
                )
                .await;
            // A script may fail while the page is between documents: ask again.
            if let Ok(Value::Bool(true)) = loaded {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "no new page after `{after}` (still {})",
                self.path().await
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Submits a form by its submit button, with the browser's own checks (`required`,
    /// `minlength`) switched off so that the server's answer is what is seen.
    pub async fn submit_unchecked(&self, button: &str) {
        let b = self.find(button).await;
        self.client
            .execute(
                "if (arguments[0].form) arguments[0].form.noValidate = true;",
                vec![serde_json::to_value(&b).unwrap()],
            )
            .await
            .unwrap();
        self.click_and_wait(button).await;
    }

    /// Signs in through the sign-in page.
    pub async fn sign_in(&self, username: &str, password: &str) {
        if !self.path().await.starts_with("/sign-in") {
            self.goto("/sign-in").await;
        }
        self.fill("#username", username).await;
        self.fill("#password", password).await;
        self.click_and_wait("form[action='/sign-in'] button[type=submit]")
            .await;
    }

    /// Switches the language with the links in the header.
    pub async fn choose_language(&self, code: &str) {
        self.click_and_wait(&format!("header.top .languages a[hreflang='{code}']"))
            .await;
    }

    pub async fn lang(&self) -> String {
        self.attr("html", "lang").await.unwrap_or_default()
    }

    /// Runs axe-core's WCAG 2 A and AA rules on the page shown.
    pub async fn axe_violations(&self) -> Vec<Violation> {
        let present = self
            .client
            .execute("return typeof window.axe === 'object';", vec![])
            .await
            .unwrap();
        if present != Value::Bool(true) {
            self.client
                .execute(&self.axe, vec![])
                .await
                .expect("inject axe-core");
        }
        let script = r#"
            const done = arguments[arguments.length - 1];
            axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } })
              .then(r => done(r.violations.map(v => ({
                  rule: v.id, impact: v.impact || '', help: v.help,
                  targets: v.nodes.slice(0, 3).map(n => n.target.join(' ')),
              }))))
              .catch(e => done({ error: String(e) }));
        "#;
        let result = self.client.execute_async(script, vec![]).await.unwrap();
        let Value::Array(items) = result else {
            panic!("axe-core failed: {result}");
        };
        let s = |v: &Value, k: &str| v[k].as_str().unwrap_or_default().to_owned();
        items
            .iter()
            .map(|v| Violation {
                rule: s(v, "rule"),
                impact: s(v, "impact"),
                help: s(v, "help"),
                targets: v["targets"]
                    .as_array()
                    .map(|t| {
                        t.iter()
                            .filter_map(|x| x.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default(),
            })
            .collect()
    }

    /// Fails when the page shown breaks a WCAG 2 A/AA rule that axe-core checks.
    pub async fn axe_check(&self, what: &str) {
        let violations = self.axe_violations().await;
        if !violations.is_empty() {
            let list: Vec<String> = violations
                .iter()
                .map(|v| {
                    format!(
                        "  {} ({}): {} — {}",
                        v.rule,
                        v.impact,
                        v.help,
                        v.targets.join(" | ")
                    )
                })
                .collect();
            panic!(
                "accessibility violations on {what} ({}):\n{}",
                self.path().await,
                list.join("\n")
            );
        }
    }

    /// What every main page is held to: no missing translation, nothing the
    /// Content-Security-Policy would block (inline script or style), no accessibility
    /// violation.
    pub async fn check_page(&self, what: &str) {
        let inline = self
            .client
            .execute(
                "return Array.from(document.querySelectorAll('[style], style, script:not([src]), [onclick], [onload], [onchange], [onsubmit]')).map(e => e.outerHTML.slice(0, 120));",
                vec![],
            )
            .await
            .expect("look for inline script and style");
        assert_eq!(
            inline,
            json!([]),
            "{what} ({}) has inline script or style, which the Content-Security-Policy blocks",
            self.path().await
        );
        let text = self.page_text().await;
        let missing: Vec<&str> = text.lines().filter(|l| l.contains('⟨')).collect();
        assert!(
            missing.is_empty(),
            "{what} ({}) shows missing translations:\n{}",
            self.path().await,
            missing.join("\n")
        );
        self.axe_check(what).await;
    }

    /// Saves a screenshot of the page for the documentation when `DELIMIT_SCREENSHOTS` names
    /// a folder (`docs/screenshots` in the repository).
    pub async fn screenshot(&self, name: &str) {
        let Some(dir) = &self.screenshots else {
            return;
        };
        std::fs::create_dir_all(dir).unwrap();
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    /// The page printed to PDF by the browser (WebDriver's Print Page).
    pub async fn print_pdf(&self) -> Vec<u8> {
        self.client
            .print(PrintConfiguration::default())
            .await
            .expect("print the page")
    }

    /// Runs a script on the page and returns its value.
    pub async fn script(&self, js: &str) -> Value {
        self.client.execute(js, vec![]).await.unwrap()
    }
}
