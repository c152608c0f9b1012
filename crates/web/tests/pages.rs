//! The web pages through the router, on each back end: first run, signing in, the interview
//! answered from a shared scenario to its outcome and kept as a case, going back, refused
//! answers, CSRF, escaping, access, the memo, and every page in three languages.

#[path = "../../registry/tests/common/mod.rs"]
mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::*;
use delimit_engine::{FactValue, Facts, Tri};
use delimit_law::{ConceptKind, FactType};
use delimit_registry::{Key, Registry};
use delimit_server::{AppState, Limits};
use http_body_util::BodyExt;
use std::path::Path;
use std::sync::OnceLock;
use tower::ServiceExt;

fn indicators() -> &'static delimit_screening::indicators::Indicators {
    static LISTS: OnceLock<delimit_screening::indicators::Indicators> = OnceLock::new();
    LISTS.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../screening");
        let files: Vec<(String, String)> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "md"))
            .map(|p| {
                (
                    p.display().to_string(),
                    std::fs::read_to_string(&p).unwrap(),
                )
            })
            .collect();
        let (lists, _, problems) = delimit_screening::indicators::read(&files);
        assert!(problems.is_empty(), "the indicator lists read cleanly");
        lists
    })
}

/// A shared scenario of `law/scenarios`, by the start of its name.
fn scenario(prefix: &str) -> delimit_scenario::Scenario {
    let law = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../law");
    let files = delimit_scenario::scenario_files(&law).unwrap();
    delimit_scenario::flat_scenarios(&files, kb())
        .into_iter()
        .find(|s| s.name.starts_with(prefix))
        .unwrap_or_else(|| panic!("no scenario {prefix}"))
}

struct Site {
    app: axum::Router,
    registry: Registry,
}

struct Session {
    cookie: String,
    csrf: String,
}

struct Page {
    status: StatusCode,
    location: String,
    cookie: Option<String>,
    body: String,
}

impl Page {
    /// The value of attribute `name` of the first element with `marker` in its tag.
    fn attribute(&self, marker: &str, name: &str) -> Option<String> {
        let at = self.body.find(marker)?;
        let start = self.body[..at].rfind('<')?;
        let end = at + self.body[at..].find('>')?;
        let tag = &self.body[start..end];
        let key = format!(" {name}=\"");
        let from = tag.find(&key)? + key.len();
        let to = from + tag[from..].find('"')?;
        Some(unescape(&tag[from..to]))
    }

    fn has(&self, text: &str) -> bool {
        self.body.contains(text)
    }
}

/// Text as the pages write it, escaped.
fn html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
        .replace('/', "&#x2f;")
}

/// An attribute's text as the browser reads it.
fn unescape(text: &str) -> String {
    text.replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

impl Site {
    fn new(registry: Registry) -> Site {
        let state =
            AppState::new(registry.clone(), kb(), Limits::default()).with_indicators(indicators());
        Site {
            app: delimit_web::router(state),
            registry,
        }
    }

    async fn world(b: &Backend) -> (Site, World) {
        let world = world(b, Key::generate().unwrap()).await;
        (Site::new(world.registry.clone()), world)
    }

    async fn sign_in(&self, username: &str) -> Session {
        let s = self.registry.sign_in(username, PASSWORD).await.unwrap();
        Session {
            cookie: format!("delimit_session={}", s.token),
            csrf: s.csrf,
        }
    }

    async fn send(&self, req: Request<Body>) -> Page {
        let res = self.app.clone().oneshot(req).await.unwrap();
        let header = |name| {
            res.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let location = header(header::LOCATION).unwrap_or_default();
        let cookie = header(header::SET_COOKIE);
        let status = res.status();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Page {
            status,
            location,
            cookie,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    async fn get(&self, path: &str, session: Option<&Session>, lang: &str) -> Page {
        let mut cookie = format!("delimit_lang={lang}");
        if let Some(s) = session {
            cookie = format!("{cookie}; {}", s.cookie);
        }
        let req = Request::get(path)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap();
        self.send(req).await
    }

    async fn post(
        &self,
        path: &str,
        session: Option<&Session>,
        lang: &str,
        fields: &[(&str, &str)],
    ) -> Page {
        let mut cookie = format!("delimit_lang={lang}");
        let mut all: Vec<(&str, &str)> = Vec::new();
        if let Some(s) = session {
            cookie = format!("{cookie}; {}", s.cookie);
            all.push(("csrf", &s.csrf));
        }
        all.extend_from_slice(fields);
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(all)
            .finish();
        let req = Request::post(path)
            .header(header::COOKIE, cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }
}

#[tokio::test]
async fn first_run_creates_the_administrator_and_keeps_what_was_typed() {
    for b in backends("web-first-run").await {
        let site = Site::new(
            Registry::open(&b.url, Key::generate().unwrap())
                .await
                .unwrap(),
        );
        let home = site.get("/", None, "en").await;
        assert_eq!(
            (home.status, home.location.as_str()),
            (StatusCode::SEE_OTHER, "/setup")
        );
        let short = site
            .post(
                "/setup",
                None,
                "en",
                &[
                    ("organisation", "Khujand office"),
                    ("username", "dilnoza"),
                    ("password", "short"),
                ],
            )
            .await;
        assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", b.name);
        assert!(short.has("id=\"password-error\""));
        assert!(short.has("value=\"Khujand office\"") && short.has("value=\"dilnoza\""));
        // A common password is refused beside its field, in the page's language, saying why.
        for (lang, why) in [
            ("en", "among the most common"),
            ("ru", "самых распространённых"),
            ("tg", "паролҳои маъмултарин"),
        ] {
            let common = site
                .post(
                    "/setup",
                    None,
                    lang,
                    &[
                        ("organisation", "Khujand office"),
                        ("username", "dilnoza"),
                        ("password", "iloveyou123"),
                    ],
                )
                .await;
            assert_eq!(common.status, StatusCode::UNPROCESSABLE_ENTITY, "{lang}");
            assert!(
                common.has("id=\"password-error\"") && common.has(why),
                "{lang}"
            );
        }
        let made = site
            .post(
                "/setup",
                None,
                "en",
                &[
                    ("organisation", "Khujand office"),
                    ("username", "dilnoza"),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(
            (made.status, made.location.as_str()),
            (StatusCode::SEE_OTHER, "/")
        );
        let cookie = made.cookie.expect("a session cookie");
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
        let again = site.get("/setup", None, "en").await;
        assert_eq!(again.location, "/sign-in", "the first run happens once");
        let session = site.sign_in("dilnoza").await;
        let home = site.get("/", Some(&session), "en").await;
        assert!(home.has("dilnoza") && home.has("Khujand office"));
    }
}

#[tokio::test]
async fn signing_in_returns_to_the_page_asked_for_and_refuses_a_wrong_password() {
    for b in backends("web-sign-in").await {
        let (site, _) = Site::world(&b).await;
        let away = site.get("/cases", None, "en").await;
        assert_eq!(away.location, "/sign-in?next=/cases");
        let wrong = site
            .post(
                "/sign-in",
                None,
                "en",
                &[
                    ("username", "admin"),
                    ("password", "nope"),
                    ("next", "/cases"),
                ],
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert!(wrong.has("role=\"alert\"") && wrong.has("value=\"admin\""));
        let right = site
            .post(
                "/sign-in",
                None,
                "en",
                &[
                    ("username", "admin"),
                    ("password", PASSWORD),
                    ("next", "/cases"),
                ],
            )
            .await;
        assert_eq!(
            (right.status, right.location.as_str()),
            (StatusCode::SEE_OTHER, "/cases")
        );
        // Never on to another site.
        let elsewhere = site
            .post(
                "/sign-in",
                None,
                "en",
                &[
                    ("username", "admin"),
                    ("password", PASSWORD),
                    ("next", "//example.org/"),
                ],
            )
            .await;
        assert_eq!(elsewhere.location, "/");
    }
}

/// The form fields that answer a question with `value`, as a browser would send them.
fn answer_fields(
    ty: &str,
    fact: &delimit_law::Fact,
    value: Option<FactValue>,
) -> Vec<(String, String)> {
    let Some(value) = value else {
        return vec![("action".into(), "dont_know".into())];
    };
    let mut out = vec![("action".into(), "answer".into())];
    match (value, &fact.ty) {
        (FactValue::Bool(b), _) => out.push(("answer".into(), if b { "yes" } else { "no" }.into())),
        (FactValue::Date(d), _) => out.push(("answer".into(), d.to_string())),
        (FactValue::Number(n), _) => out.push(("answer".into(), n.to_string())),
        (FactValue::Choice(i), FactType::OneOf(o)) => out.push(("answer".into(), o[i].clone())),
        (FactValue::Set { known, value }, FactType::SeveralOf(o)) => {
            for (i, name) in o.iter().enumerate() {
                let answer = match (known & (1 << i) != 0, value & (1 << i) != 0) {
                    (false, _) => "unknown",
                    (true, true) => "yes",
                    (true, false) => "no",
                };
                out.push((format!("option:{name}"), answer.into()));
            }
        }
        _ => panic!("{ty}: a value of another type"),
    }
    out
}

/// Answers the interview's current question from `facts`; false when there is none left.
async fn answer_from(site: &Site, s: &Session, lang: &str, id: &str, facts: &Facts) -> bool {
    let page = site.get(&format!("/interviews/{id}"), Some(s), lang).await;
    assert_eq!(page.status, StatusCode::OK);
    let Some(kind) = page.attribute("id=\"question\"", "data-kind") else {
        assert!(
            page.has("id=\"outcome\""),
            "neither a question nor the outcome"
        );
        return false;
    };
    let key = page.attribute("id=\"question\"", "data-id").unwrap();
    let ty = page.attribute("id=\"question\"", "data-type").unwrap();
    let fields = if kind == "fact" {
        let f = kb().fact(&key).unwrap();
        answer_fields(&ty, &kb().facts[f], facts.get(f))
    } else {
        vec![("action".into(), "dont_know".into())]
    };
    let question = if kind == "fact" {
        key.clone()
    } else {
        format!("indicator:{key}")
    };
    let mut all: Vec<(&str, &str)> = vec![("question", &question)];
    all.extend(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let sent = site
        .post(&format!("/interviews/{id}/answer"), Some(s), lang, &all)
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{key}: {}", sent.body);
    true
}

async fn start_interview(site: &Site, s: &Session, lang: &str, list: &str) -> String {
    let started = site
        .post(
            "/interviews",
            Some(s),
            lang,
            &[("consent", "yes"), ("list", list)],
        )
        .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
    started
        .location
        .trim_start_matches("/interviews/")
        .to_owned()
}

/// Saves the interview as a case and returns the case page.
async fn save(site: &Site, s: &Session, lang: &str, id: &str) -> Page {
    let saved = site
        .post(&format!("/interviews/{id}/stop"), Some(s), lang, &[])
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert!(saved.location.starts_with("/cases/"));
    site.get(&saved.location, Some(s), lang).await
}

fn value_word(t: Tri) -> &'static str {
    match t {
        Tri::True => "yes",
        Tri::False => "no",
        Tri::Unknown => "undetermined",
    }
}

#[tokio::test]
async fn an_interview_answered_from_scenario_s5_reaches_its_outcome_in_each_language() {
    let s5 = scenario("S5 smuggled");
    for b in backends("web-interview").await {
        let (site, _) = Site::world(&b).await;
        let s = site.sign_in("caseworker").await;
        for lang in ["en", "ru", "tg"] {
            let id = start_interview(&site, &s, lang, "ilo-ec-2009/adult-labour").await;
            let mut asked = 0;
            while answer_from(&site, &s, lang, &id, &s5.case.facts).await {
                asked += 1;
                assert!(asked < 200, "the interview does not end");
            }
            let outcome = site.get(&format!("/interviews/{id}"), Some(&s), lang).await;
            assert!(outcome.has(&format!("<html lang=\"{lang}\">")) && !outcome.has("⟨"));
            let case = save(&site, &s, lang, &id).await;
            assert_eq!(case.status, StatusCode::OK);
            assert!(!case.has("⟨"), "{lang}: a message is missing");
            // What the case page shows is what the full facts give under the same law, concept by
            // concept: the page lists what holds and what is open, and leaves out what does not.
            let plan = delimit_engine::Plan::new(
                kb(),
                delimit_engine::Query {
                    as_of: delimit_server::interview::today(),
                    doctrines: vec![],
                },
            )
            .unwrap();
            let full = plan.evaluate(&s5.case.facts).concepts;
            let mut checked = 0;
            for (c, concept) in kb().concepts.iter().enumerate() {
                let reported = concept
                    .kinds
                    .iter()
                    .any(|k| matches!(k, ConceptKind::Status | ConceptKind::Consequence));
                if !reported || plan.trees[c].is_none() {
                    continue;
                }
                checked += 1;
                for shown in [Tri::True, Tri::Unknown] {
                    // A finding's row, not a node of an explanation, which names its
                    // concept too.
                    let row = format!(
                        "data-person=\"{}\" data-concept=\"{}\" data-value=\"{}\"",
                        delimit_case::timeline::INTERVIEWED,
                        concept.name,
                        value_word(shown)
                    );
                    assert_eq!(
                        case.has(&row),
                        full[c] == shown,
                        "{} {lang}: {} should be {:?} on the case page",
                        b.name,
                        concept.name,
                        full[c]
                    );
                }
            }
            for e in s5.expectations.iter().filter(|e| e.value == Tri::True) {
                let c = kb().concept(&e.concept).unwrap();
                assert_eq!(full[c], Tri::True, "{} holds in S5", e.concept);
            }
            assert!(checked >= 20, "only {checked} findings checked");
            // The interview now opens its case.
            let done = site.get(&format!("/interviews/{id}"), Some(&s), lang).await;
            assert!(done.has("id=\"open-case\""));
        }
    }
}

#[tokio::test]
async fn going_back_and_answering_again_gives_the_same_case() {
    let s5 = scenario("S5 smuggled");
    let b = backends("web-back").await.remove(0);
    let (site, _) = Site::world(&b).await;
    let s = site.sign_in("caseworker").await;
    let straight = start_interview(&site, &s, "en", "").await;
    while answer_from(&site, &s, "en", &straight, &s5.case.facts).await {}
    let straight = save(&site, &s, "en", &straight).await;

    // Answer the first three questions wrongly (every answer "don't know"), go back over
    // them, then answer from the facts.
    let changed = start_interview(&site, &s, "en", "").await;
    for _ in 0..3 {
        answer_from(&site, &s, "en", &changed, &Facts::unknown(kb())).await;
    }
    for _ in 0..3 {
        let back = site
            .post(&format!("/interviews/{changed}/back"), Some(&s), "en", &[])
            .await;
        assert_eq!(back.status, StatusCode::SEE_OTHER);
    }
    while answer_from(&site, &s, "en", &changed, &s5.case.facts).await {}
    let changed = save(&site, &s, "en", &changed).await;
    let rows = |p: &Page| -> Vec<String> {
        p.body
            .split("class=\"finding\"")
            .skip(1)
            .map(|r| r[..r.find('>').unwrap()].to_owned())
            .collect()
    };
    assert_eq!(rows(&straight), rows(&changed));
    assert!(!rows(&straight).is_empty());
}

#[tokio::test]
async fn a_refused_answer_says_why_in_the_page_language_and_keeps_what_was_typed() {
    let b = backends("web-refused").await.remove(0);
    let (site, _) = Site::world(&b).await;
    let s = site.sign_in("caseworker").await;
    let mut messages = Vec::new();
    for lang in ["en", "ru", "tg"] {
        let id = start_interview(&site, &s, lang, "").await;
        let refused = site
            .post(
                &format!("/interviews/{id}/answer"),
                Some(&s),
                lang,
                &[
                    ("question", "birth_date"),
                    ("action", "answer"),
                    ("answer", "2999-01-01"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.has("id=\"answer-error\""));
        assert!(
            refused.has("value=\"2999-01-01\""),
            "{lang}: the typed date is kept"
        );
        let at = refused.body.find("id=\"answer-error\"").unwrap();
        let message = &refused.body[at..at + refused.body[at..].find("</p>").unwrap()];
        messages.push(message.to_owned());
        // Nothing was stored: the interview still asks its first question.
        let page = site.get(&format!("/interviews/{id}"), Some(&s), lang).await;
        assert!(!page.has("id=\"back\""), "no answer was kept");
    }
    assert_ne!(messages[0], messages[1]);
    assert_ne!(messages[1], messages[2]);
}

/// A form sent in a session without the session's token is refused, and the refusal is in the
/// audit log under the session's user.
#[tokio::test]
async fn forms_need_the_session_token() {
    let b = backends("web-csrf").await.remove(0);
    let (site, world) = Site::world(&b).await;
    let s = site.sign_in("caseworker").await;
    let forged = Session {
        cookie: s.cookie.clone(),
        csrf: "forged".into(),
    };
    let before = world.denials(Who::Caseworker).await;
    let page = site
        .post("/interviews", Some(&forged), "en", &[("consent", "yes")])
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert_eq!(world.denials(Who::Caseworker).await, before + 1);
    let entry = world
        .registry
        .audit_log(&world.admin, 0, 100_000)
        .await
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(
        (
            entry.action.as_str(),
            entry.target.as_str(),
            entry.outcome.as_str()
        ),
        ("page.form", "POST /interviews", "denied")
    );
}

#[tokio::test]
async fn what_users_type_comes_back_escaped() {
    let b = backends("web-escape").await.remove(0);
    let (site, _) = Site::world(&b).await;
    let attack = "<script>window.__pwned=1</script>";
    let failed = site
        .post(
            "/sign-in",
            None,
            "en",
            &[("username", attack), ("password", "x")],
        )
        .await;
    assert!(!failed.has(attack) && failed.has("&lt;script&gt;"));
    let s = site.sign_in("caseworker").await;
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/brick-kiln-journey.yaml"),
    )
    .unwrap()
    .replace("driver", &format!("\"{attack}\""));
    let created = site
        .post("/cases", Some(&s), "en", &[("case", &text)])
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    for path in [
        created.location.clone(),
        format!("{}/report", created.location),
    ] {
        let page = site.get(&path, Some(&s), "en").await;
        assert!(!page.has(attack), "{path} shows the script as markup");
        assert!(
            page.has("&lt;script&gt;window.__pwned=1&lt;&#x2f;script&gt;"),
            "{path}"
        );
    }
    // A case that does not read comes back with its problems and the text as typed.
    let broken = format!("{text}\nnot: [closed");
    let refused = site
        .post("/cases", Some(&s), "en", &[("case", &broken)])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.has("id=\"case-error\"") && refused.has("not: [closed"));
}

#[tokio::test]
async fn an_expired_session_returns_to_the_interview_with_its_answers() {
    let s5 = scenario("S5 smuggled");
    let b = backends("web-expired").await.remove(0);
    let (site, _) = Site::world(&b).await;
    let s = site.sign_in("caseworker").await;
    let id = start_interview(&site, &s, "en", "").await;
    answer_from(&site, &s, "en", &id, &s5.case.facts).await;
    answer_from(&site, &s, "en", &id, &s5.case.facts).await;
    let before = site.get(&format!("/interviews/{id}"), Some(&s), "en").await;
    site.registry
        .sign_out(s.cookie.trim_start_matches("delimit_session="))
        .await
        .unwrap();
    let lost = site.get(&format!("/interviews/{id}"), Some(&s), "en").await;
    assert_eq!(lost.location, format!("/sign-in?next=/interviews/{id}"));
    // An answer sent after the session ended is carried through the sign-in page.
    let question = before.attribute("id=\"question\"", "data-id").unwrap();
    let sent = site
        .post(
            &format!("/interviews/{id}/answer"),
            Some(&s),
            "en",
            &[
                ("question", &question),
                ("action", "answer"),
                ("answer", "no"),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    let next = sent
        .location
        .strip_prefix("/sign-in?expired=1&next=")
        .expect("to the sign-in page, saying the session ended");
    let next = form_urlencoded::parse(format!("next={next}").as_bytes())
        .next()
        .unwrap()
        .1
        .into_owned();
    assert!(next.starts_with(&format!("/interviews/{id}?")), "{next}");
    let signing_in = site.get(&sent.location, None, "en").await;
    assert!(signing_in.has("id=\"username\""));
    let back = site
        .post(
            "/sign-in",
            None,
            "en",
            &[
                ("username", "caseworker"),
                ("password", PASSWORD),
                ("next", &next),
            ],
        )
        .await;
    assert_eq!(back.location, next);
    let s = site.sign_in("caseworker").await;
    let pending = site.get(&next, Some(&s), "en").await;
    assert!(pending.has("id=\"answer-pending\""));
    assert!(
        pending.has("value=\"no\" checked"),
        "the answer that was sent is shown again"
    );
    let after = site.get(&format!("/interviews/{id}"), Some(&s), "en").await;
    assert_eq!(
        before.attribute("id=\"question\"", "data-id"),
        after.attribute("id=\"question\"", "data-id"),
        "the interview goes on where it was"
    );
}

#[tokio::test]
async fn pages_keep_to_roles_and_organisations() {
    for b in backends("web-access").await {
        let (site, world) = Site::world(&b).await;
        let case = world.example_case().await;
        let analyst = site.sign_in("analyst").await;
        let page = site.get("/cases", Some(&analyst), "en").await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", b.name);
        let stranger = site.sign_in("stranger").await;
        let page = site
            .get(&format!("/cases/{}", case.id), Some(&stranger), "en")
            .await;
        assert!(matches!(
            page.status,
            StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
        ));
        assert!(!page.has("brick kiln"));
        let caseworker = site.sign_in("caseworker").await;
        let page = site.get("/users", Some(&caseworker), "en").await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
        let admin = site.sign_in("admin").await;
        let added = site
            .post(
                "/users",
                Some(&admin),
                "en",
                &[
                    ("username", "farrukh"),
                    ("password", PASSWORD),
                    ("role", "investigator"),
                ],
            )
            .await;
        assert_eq!(added.status, StatusCode::OK);
        assert!(added.has("farrukh"));
        let taken = site
            .post(
                "/users",
                Some(&admin),
                "en",
                &[
                    ("username", "farrukh"),
                    ("password", PASSWORD),
                    ("role", "investigator"),
                ],
            )
            .await;
        assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(taken.has("id=\"username-error\""));
    }
}

#[tokio::test]
async fn the_memo_states_date_law_version_citations_and_open_questions() {
    let b = backends("web-memo").await.remove(0);
    let (site, world) = Site::world(&b).await;
    let case = world.example_case().await;
    let s = site.sign_in("caseworker").await;
    let memo = site
        .get(&format!("/cases/{}/report", case.id), Some(&s), "en")
        .await;
    assert_eq!(memo.status, StatusCode::OK);
    assert!(memo.has(&kb().hash), "the full law version");
    assert!(memo.has(&delimit_server::interview::today().to_string()));
    assert!(memo.has("data-print"));
    let assessment = delimit_case::findings::assess_timeline(kb(), &brick_kiln(), &[], "en");
    for p in &assessment.persons {
        for f in p
            .findings
            .iter()
            .chain(p.states.iter().flat_map(|s| &s.findings))
        {
            for c in &f.citations {
                assert!(
                    memo.has(&html(&c.provision)),
                    "{} is not cited",
                    c.provision
                );
            }
        }
        for q in &p.open_questions {
            assert!(memo.has(&html(q)), "open question missing: {q}");
        }
    }
    // Storing an assessment adds it to the history, with its law version.
    let recorded = site
        .post(&format!("/cases/{}/assess", case.id), Some(&s), "en", &[])
        .await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER);
    let page = site
        .get(&format!("/cases/{}", case.id), Some(&s), "en")
        .await;
    assert!(page.has(&kb().hash[..12]));
    assert!(!page.has("No assessment recorded yet."));
}

#[tokio::test]
async fn every_page_speaks_each_language_without_a_missing_message() {
    let b = backends("web-languages").await.remove(0);
    let (site, world) = Site::world(&b).await;
    let case = world
        .registry
        .create_case(&world.admin, &brick_kiln(), &Default::default())
        .await
        .unwrap();
    let s = site.sign_in("admin").await;
    let interview = start_interview(&site, &s, "en", "ilo-ec-2009/adult-labour").await;
    let doctrine = &kb().doctrines[0].id;
    let pages = [
        "/".to_owned(),
        "/cases".to_owned(),
        "/cases/new".to_owned(),
        format!("/cases/{}", case.id),
        format!("/cases/{}?compare={doctrine}", case.id),
        format!("/cases/{}/edit", case.id),
        format!("/cases/{}/report", case.id),
        "/interviews/new".to_owned(),
        format!("/interviews/{interview}"),
        "/users".to_owned(),
        "/law".to_owned(),
        "/statistics".to_owned(),
    ];
    let mut english = Vec::new();
    for lang in ["en", "ru", "tg"] {
        for path in &pages {
            let page = site.get(path, Some(&s), lang).await;
            assert_eq!(page.status, StatusCode::OK, "{lang} {path}");
            assert!(
                page.has(&format!("<html lang=\"{lang}\">")),
                "{lang} {path}"
            );
            assert!(!page.has("⟨"), "{lang} {path}: a message is missing");
            if lang == "en" {
                english.push(page.body);
            } else {
                let at = pages.iter().position(|p| p == path).unwrap();
                assert_ne!(english[at], page.body, "{lang} {path} is the English page");
            }
        }
    }
    let signed_out = site.get("/sign-in", None, "tg").await;
    assert!(signed_out.has("<html lang=\"tg\">") && !signed_out.has("⟨"));
}

#[tokio::test]
async fn the_language_is_chosen_by_link_and_kept() {
    let b = backends("web-language").await.remove(0);
    let (site, _) = Site::world(&b).await;
    let chosen = site.get("/language/ru?next=/sign-in", None, "en").await;
    assert_eq!(chosen.location, "/sign-in");
    assert!(chosen.cookie.unwrap().starts_with("delimit_lang=ru"));
    let unknown = site.get("/language/fr?next=/", None, "en").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    // Without a cookie, the browser's languages choose.
    let req = Request::get("/sign-in")
        .header(header::ACCEPT_LANGUAGE, "fr-FR, tg;q=0.8, ru;q=0.5")
        .body(Body::empty())
        .unwrap();
    assert!(site.send(req).await.has("<html lang=\"tg\">"));
}

#[tokio::test]
async fn the_served_application_compresses_pages_for_slow_connections() {
    let b = backends("web-gzip").await.remove(0);
    let world = world(&b, Key::generate().unwrap()).await;
    let case = world.example_case().await;
    let state = AppState::new(world.registry.clone(), kb(), Limits::default());
    let app = delimit_server::app(state.clone(), delimit_web::router(state));
    let token = world
        .registry
        .sign_in("caseworker", PASSWORD)
        .await
        .unwrap()
        .token;
    let fetch = |gzip: bool| {
        let mut req = Request::get(format!("/cases/{}", case.id))
            .header(header::COOKIE, format!("delimit_session={token}"));
        if gzip {
            req = req.header(header::ACCEPT_ENCODING, "gzip");
        }
        app.clone().oneshot(req.body(Body::empty()).unwrap())
    };
    let plain = fetch(false).await.unwrap();
    assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
    let plain = plain.into_body().collect().await.unwrap().to_bytes();
    let packed = fetch(true).await.unwrap();
    assert_eq!(packed.headers()[header::CONTENT_ENCODING], "gzip");
    let packed = packed.into_body().collect().await.unwrap().to_bytes();
    assert!(
        packed.len() * 4 < plain.len(),
        "{} bytes compressed from {}",
        packed.len(),
        plain.len()
    );
}

#[tokio::test]
async fn identifying_data_is_shown_only_when_asked_for_and_survives_an_edit() {
    for b in backends("web-identity").await {
        let (site, world) = Site::world(&b).await;
        let identity = delimit_registry::Identity {
            names: vec!["Rustam Nazarov".into()],
            ..Default::default()
        };
        let case = world
            .registry
            .create_case(&world.caseworker, &brick_kiln(), &identity)
            .await
            .unwrap();
        let s = site.sign_in("caseworker").await;
        let page = site
            .get(&format!("/cases/{}", case.id), Some(&s), "en")
            .await;
        assert!(!page.has("Rustam Nazarov") && !page.has("brick kiln"));
        assert!(page.has("id=\"show-identity\""));
        let shown = site
            .get(&format!("/cases/{}?identity=1", case.id), Some(&s), "en")
            .await;
        assert!(shown.has("Rustam Nazarov"), "{}", b.name);
        assert!(shown.has("Smuggled in a lorry, then held in debt at a brick kiln"));
        let readings = |log: &[delimit_registry::AuditEntry]| {
            log.iter()
                .filter(|e| e.action == "case.read_identity" && e.target == case.id)
                .count()
        };
        let log = world
            .registry
            .audit_log(&world.admin, 0, 1000)
            .await
            .unwrap();
        assert_eq!(readings(&log), 1, "the reading is recorded");

        // An edit made in the browser keeps the title, the notes and the identifying data.
        let form = site
            .get(&format!("/cases/{}/edit", case.id), Some(&s), "en")
            .await;
        assert!(
            form.has("held in debt at a brick kiln"),
            "the text to edit is whole"
        );
        let text = serde_json::to_string(&brick_kiln()).unwrap();
        let saved = site
            .post(
                &format!("/cases/{}/edit", case.id),
                Some(&s),
                "en",
                &[("base", "1"), ("case", &text)],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let revised = world
            .registry
            .case(&world.caseworker, &case.id, None, true)
            .await
            .unwrap();
        assert_eq!(revised.revision, 2);
        assert_eq!(revised.identity.unwrap(), identity);
        // A stale edit is refused with the text kept.
        let stale = site
            .post(
                &format!("/cases/{}/edit", case.id),
                Some(&s),
                "en",
                &[("base", "1"), ("case", &text)],
            )
            .await;
        assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(stale.has("id=\"case-error\"") && stale.has("brick kiln"));
    }
}

/// The findings of an assessment by (whom, concept), as the comparison reads them.
fn findings_of(a: &delimit_case::findings::TimelineAssessment<'_>) -> Vec<((String, String), Tri)> {
    let mut out = Vec::new();
    for p in &a.persons {
        for f in &p.findings {
            out.push(((p.person.clone(), f.concept.clone()), f.value));
        }
        for st in &p.states {
            let whom = format!("{} · {}", p.person, st.state.as_deref().unwrap_or("—"));
            for f in &st.findings {
                out.push(((whom.clone(), f.concept.clone()), f.value));
            }
        }
    }
    out
}

#[tokio::test]
async fn readings_compare_side_by_side_as_the_engine_judges_them() {
    let b = backends("web-compare").await.remove(0);
    let (site, world) = Site::world(&b).await;
    let case = world.example_case().await;
    let s = site.sign_in("caseworker").await;
    let current = findings_of(&delimit_case::findings::assess_timeline(
        kb(),
        &brick_kiln(),
        &[],
        "en",
    ));
    let mut any_change = false;
    for (d, doctrine) in kb().doctrines.iter().enumerate() {
        let other = findings_of(&delimit_case::findings::assess_timeline(
            kb(),
            &brick_kiln(),
            &[d],
            "en",
        ));
        // A finding left out of an assessment does not hold under that reading.
        let value = |list: &[((String, String), Tri)], key: &(String, String)| {
            list.iter()
                .find(|(k, _)| k == key)
                .map_or(Tri::False, |(_, v)| *v)
        };
        let mut keys: Vec<&(String, String)> = current.iter().map(|(k, _)| k).collect();
        keys.extend(other.iter().map(|(k, _)| k));
        keys.sort();
        keys.dedup();
        let changed = keys
            .iter()
            .filter(|k| value(&current, k) != value(&other, k))
            .count();
        any_change |= changed > 0;
        let page = site
            .get(
                &format!("/cases/{}?compare={}", case.id, doctrine.id),
                Some(&s),
                "en",
            )
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(
            page.body.matches("data-changed=\"true\"").count(),
            changed,
            "{}",
            doctrine.id
        );
    }
    assert!(any_change, "some reading changes a finding of S5");
    let all = site
        .get(&format!("/cases/{}?compare=all", case.id), Some(&s), "en")
        .await;
    for doctrine in &kb().doctrines {
        assert!(
            all.has(&html(doctrine.label.get("en"))),
            "{} is a column",
            doctrine.id
        );
    }
    let unknown = site
        .get(
            &format!("/cases/{}?compare=nonsense", case.id),
            Some(&s),
            "en",
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn explanations_are_worded_in_the_page_language() {
    let b = backends("web-explain").await.remove(0);
    let (site, world) = Site::world(&b).await;
    let case = world.example_case().await;
    let s = site.sign_in("caseworker").await;
    for lang in ["ru", "tg"] {
        let page = site
            .get(&format!("/cases/{}", case.id), Some(&s), lang)
            .await;
        let words = delimit_i18n::Localizer::new(lang).unwrap();
        assert!(page.has(&words.text("explain-rule", &[])), "{lang}");
        for english in [
            "applies when",
            "(given:",
            "no rule in force",
            ">rule<",
            "> rule ",
        ] {
            assert!(!page.has(english), "{lang}: `{english}` in an explanation");
        }
    }
}

#[tokio::test]
async fn a_change_of_the_law_during_the_journey_is_told_in_the_page_language() {
    let b = backends("web-law-change").await.remove(0);
    let (site, world) = Site::world(&b).await;
    let mut journey = brick_kiln();
    journey.events[0].date = delimit_case::timeline::When::Exact(jiff::civil::date(2016, 1, 1));
    let changes = delimit_case::findings::law_changes_during(kb(), &journey);
    assert!(
        !changes.is_empty(),
        "some rule changed between 2016 and 2024"
    );
    let case = world
        .registry
        .create_case(&world.caseworker, &journey, &Default::default())
        .await
        .unwrap();
    let s = site.sign_in("caseworker").await;
    for lang in ["en", "ru", "tg"] {
        let page = site
            .get(&format!("/cases/{}", case.id), Some(&s), lang)
            .await;
        let words = delimit_i18n::Localizer::new(lang).unwrap();
        for c in &changes {
            let on = c.on.map(|d| d.to_string()).unwrap_or_default();
            let key = if c.came_into_force {
                "case-law-came-into-force"
            } else {
                "case-law-ceased"
            };
            let (first, last) = (c.first_event.to_string(), c.last_event.to_string());
            let told = words.text(
                key,
                &[
                    ("rule", delimit_i18n::Arg::Text(c.rule)),
                    ("concept", delimit_i18n::Arg::Text(c.concept)),
                    ("date", delimit_i18n::Arg::Text(&on)),
                    ("first", delimit_i18n::Arg::Text(&first)),
                    ("last", delimit_i18n::Arg::Text(&last)),
                ],
            );
            assert!(page.has(&html(&told)), "{lang}: {told}");
        }
    }
}

/// Where the law's answers establish debt bondage, the side panel shows the indicator of that
/// name present, said to come from the law's answers, in each language.
#[tokio::test]
async fn the_panel_shows_an_indicator_the_law_establishes_as_coming_from_the_law() {
    let mut facts = Facts::unknown(kb());
    for name in ["labour_pledged_for_debt", "work_value_not_credited_to_debt"] {
        facts.set(kb().fact(name).unwrap(), FactValue::Bool(true));
    }
    let b = backends("web-established").await.remove(0);
    let (site, _) = Site::world(&b).await;
    let s = site.sign_in("caseworker").await;
    for (lang, marker) in [
        (
            "en",
            "Debt bondage (from the law&#x27;s answers: Debt bondage (Tajik Law No. 1096, art. 1); this link is delimit&#x27;s reading, not the list&#x27;s)",
        ),
        (
            "ru",
            "Долговая кабала (по ответам на вопросы права: Долговая кабала (Закон РТ № 1096, ст. 1); эта связь — толкование программы, а не авторов списка)",
        ),
        (
            "tg",
            "Асорати қарзӣ (аз рӯи ҷавобҳо ба саволҳои ҳуқуқ: Асорати қарзӣ (Қонуни ҶТ № 1096, моддаи 1); ин пайванд тафсири барнома аст, на муаллифони рӯйхат)",
        ),
    ] {
        let id = start_interview(&site, &s, lang, "ilo-ec-2009/adult-labour").await;
        let mut asked = 0;
        while answer_from(&site, &s, lang, &id, &facts).await {
            asked += 1;
            assert!(asked < 200, "the interview does not end");
        }
        let outcome = site.get(&format!("/interviews/{id}"), Some(&s), lang).await;
        assert!(outcome.has(marker), "{lang}: {}", outcome.body);
    }
}
