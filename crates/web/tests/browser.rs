//! End-to-end tests of the web application in a real headless Chromium, driven over
//! WebDriver (chromedriver) with fantoccini: first run and sign-in, languages, the password
//! forms (first run, adding a user, one's own password) in each language, script injection, the shared scenario S5 interviewed in each language to its case and printed
//! memo, the law browser and statistics, and an interview that survives a lost session.
//! Every main page visited is checked with axe-core (WCAG 2 A and AA) and for missing
//! translations; with `DELIMIT_SCREENSHOTS=<dir>` the main pages are saved as PNG for the
//! documentation (`docs/screenshots/`).
//!
//! Needs Chromium, chromedriver and axe-core: `eval "$(scripts/browser-test-deps.sh)"`.
//! Without them each test says why it is skipped and passes, unless
//! `DELIMIT_REQUIRE_BROWSER=1` (as in CI) makes that a failure.

#[path = "browser/harness.rs"]
mod harness;
#[path = "browser/scenario.rs"]
mod scenario;

use delimit_engine::{FactValue, Tri};
use delimit_law::{ConceptKind, FactType};
use harness::{ADMIN, App, Browser, ORGANISATION, PASSWORD, kb};
use scenario::Scenario;
use std::collections::BTreeSet;

/// Starts the application and a browser, or skips the test (returning from it) when the
/// browser tools are missing.
macro_rules! start {
    ($app:expr, $test:literal) => {{
        let app = $app;
        match Browser::start($test, &app).await {
            Some(b) => (app, b),
            None => return,
        }
    }};
}

/// Markup that runs script if a page echoes it unescaped.
const INJECTION: &str =
    r#"<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">"#;

/// Signs in as the administrator the application was started with.
async fn signed_in(b: &Browser) {
    b.goto("/sign-in").await;
    b.sign_in(ADMIN, PASSWORD).await;
    assert_eq!(b.path().await, "/", "signed in, on the home page");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_run_creates_the_administrator_then_sign_out_and_in() {
    let (_app, b) = start!(App::start("first-run").await, "first_run");

    b.goto("/").await;
    assert_eq!(
        b.path().await,
        "/setup",
        "a new registry starts at the first run"
    );
    b.check_page("the first-run page").await;
    b.screenshot("first-run").await;

    // Too short a password: the server's error beside the field, the rest kept.
    b.fill("#organisation", ORGANISATION).await;
    b.fill("#username", ADMIN).await;
    b.fill("#password", "short").await;
    b.submit_unchecked("form[action='/setup'] button[type=submit]")
        .await;
    assert_eq!(b.path().await, "/setup");
    assert!(!b.text("#password-error").await.is_empty());
    let described = b.attr("#password", "aria-describedby").await;
    assert_eq!(described.as_deref(), Some("password-error"));
    assert_eq!(b.value("#organisation").await, ORGANISATION);
    assert_eq!(b.value("#username").await, ADMIN);
    assert_eq!(
        b.value("#password").await,
        "",
        "a password is never sent back"
    );
    b.check_page("the first-run page with an error").await;

    b.fill("#password", PASSWORD).await;
    b.click_and_wait("form[action='/setup'] button[type=submit]")
        .await;
    assert_eq!(b.path().await, "/", "the administrator lands signed in");
    let who = b.text("header.top .who").await;
    assert!(who.contains(ADMIN) && who.contains(ORGANISATION), "{who}");
    b.check_page("the home page").await;

    b.click_and_wait("header.top form[action='/sign-out'] button")
        .await;
    assert!(b.path().await.starts_with("/sign-in"));
    assert!(!b.exists("header.top .who").await, "signed out");
    b.check_page("the sign-in page").await;
    b.screenshot("sign-in").await;

    b.sign_in(ADMIN, "not the password").await;
    assert!(b.path().await.starts_with("/sign-in"));
    assert!(!b.text("#form-error").await.is_empty());
    assert_eq!(b.value("#username").await, ADMIN, "the username is kept");
    assert!(!b.exists("header.top .who").await);
    b.check_page("the sign-in page with an error").await;

    b.sign_in(ADMIN, PASSWORD).await;
    assert_eq!(b.path().await, "/");
    assert!(b.text("header.top .who").await.contains(ADMIN));

    // The first run is over.
    b.goto("/setup").await;
    assert_ne!(b.path().await, "/setup");

    // The checker does check: an image without a text alternative is caught.
    b.script("document.querySelector('main').append(document.createElement('img'));")
        .await;
    let violations = b.axe_violations().await;
    assert!(
        violations.iter().any(|v| v.rule == "image-alt"),
        "axe-core misses an image without alt: {violations:?}"
    );
    b.close().await;
}

/// The main pages a signed-in administrator reaches from the header, and pages of the law
/// browser.
const MAIN_PAGES: &[&str] = &[
    "/",
    "/interviews/new",
    "/cases",
    "/cases/new",
    "/law",
    "/law/instruments/un-tip-protocol",
    "/law/provisions/un-tip-protocol/art-3/a",
    "/law/provisions/un-tip-protocol/art-14/1",
    "/law/concepts/trafficking_in_persons",
    "/statistics",
    "/users",
    "/account",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_header_switches_the_language_of_every_page() {
    let (_app, b) = start!(App::with_admin("languages").await, "languages");
    signed_in(&b).await;

    // The texts of the home page's heading and navigation, by language.
    let mut texts: Vec<(String, String)> = Vec::new();
    for lang in ["ru", "tg", "en"] {
        b.goto("/cases").await;
        b.choose_language(lang).await;
        assert_eq!(b.path().await, "/cases", "the language link comes back");
        assert_eq!(b.lang().await, lang);
        for page in MAIN_PAGES {
            b.goto(page).await;
            assert_eq!(b.lang().await, lang, "{page}");
            b.check_page(&format!("{page} in {lang}")).await;
        }
        b.goto("/").await;
        let words = format!("{}\n{}", b.text("h1").await, b.text("header.top nav").await);
        texts.push((lang.to_owned(), words));
    }
    for (i, (a, ta)) in texts.iter().enumerate() {
        for (c, tc) in &texts[i + 1..] {
            assert_ne!(ta, tc, "the home page reads the same in {a} and {c}");
        }
    }

    // Signed out too, the language applies.
    b.click_and_wait("header.top form[action='/sign-out'] button")
        .await;
    b.choose_language("ru").await;
    assert_eq!(b.lang().await, "ru");
    b.check_page("the sign-in page in ru").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_changes_their_password_in_each_language() {
    let (app, b) = start!(App::with_admin("account").await, "account");
    signed_in(&b).await;
    let registry = &app.state.registry;
    let mut password = PASSWORD.to_owned();
    let mut refusals: Vec<(String, String, String)> = Vec::new();
    for (lang, next) in [
        ("ru", "lilac river 71 Dushanbe"),
        ("tg", "apricot valley 58 Khujand"),
        ("en", "walnut orchard 33 Kulob"),
    ] {
        // A session elsewhere, as on another computer: it ends with the change.
        let elsewhere = registry.sign_in(ADMIN, &password).await.expect("sign in");
        b.goto("/").await;
        b.choose_language(lang).await;
        b.click_and_wait("header.top a.account-link").await;
        assert_eq!(b.path().await, "/account");
        assert_eq!(b.lang().await, lang);
        b.check_page(&format!("the account page in {lang}")).await;

        // A wrong current password: the error beside its field, in the page's language.
        b.fill("#current", "not the password").await;
        b.fill("#password", next).await;
        b.submit_unchecked("form[action='/account'] button[type=submit]")
            .await;
        assert_eq!(b.path().await, "/account");
        let wrong = b.text("#current-error").await;
        assert!(!wrong.is_empty(), "no error beside the current password");
        assert_eq!(
            b.attr("#current", "aria-describedby").await.as_deref(),
            Some("current-error")
        );
        assert_eq!(
            b.value("#password").await,
            "",
            "a password is never sent back"
        );
        b.check_page(&format!("the account page with an error in {lang}"))
            .await;

        // A new password the policy refuses: the error beside the new one.
        b.fill("#current", &password).await;
        b.fill("#password", "1234567890").await;
        b.submit_unchecked("form[action='/account'] button[type=submit]")
            .await;
        let weak = b.text("#password-error").await;
        assert!(!weak.is_empty(), "no error beside the new password");
        assert!(
            !b.exists("#current-error").await,
            "the current one was right"
        );
        refusals.push((lang.to_owned(), wrong, weak));

        b.fill("#current", &password).await;
        b.fill("#password", next).await;
        b.click_and_wait("form[action='/account'] button[type=submit]")
            .await;
        assert!(b.path().await.starts_with("/account"), "{}", b.path().await);
        assert!(
            !b.text("#account-changed").await.is_empty(),
            "no word of the change"
        );
        assert!(
            b.text("header.top .who").await.contains(ADMIN),
            "this browser stays signed in"
        );
        b.check_page(&format!("the account page after a change in {lang}"))
            .await;
        if lang == "en" {
            b.screenshot("account").await;
        }
        assert!(
            registry.session(&elsewhere.token).await.is_err(),
            "the session elsewhere ended"
        );
        assert!(
            registry.sign_in(ADMIN, &password).await.is_err(),
            "the old password"
        );
        password = next.to_owned();
    }
    // Each language says it in its own words.
    for (i, (a, wa, pa)) in refusals.iter().enumerate() {
        for (c, wc, pc) in &refusals[i + 1..] {
            assert_ne!(
                wa, wc,
                "the wrong-password error reads the same in {a} and {c}"
            );
            assert_ne!(
                pa, pc,
                "the weak-password error reads the same in {a} and {c}"
            );
        }
    }
    // The new password signs in.
    b.click_and_wait("header.top form[action='/sign-out'] button")
        .await;
    b.sign_in(ADMIN, &password).await;
    assert_eq!(b.path().await, "/");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_password_forms_answer_in_each_language() {
    // The first run, in Russian and Tajik (the English one is driven above).
    let mut first_run = Vec::new();
    for lang in ["ru", "tg"] {
        let (_app, b) = start!(App::start(&format!("setup-{lang}")).await, "password_forms");
        b.goto("/setup").await;
        b.choose_language(lang).await;
        assert_eq!(b.path().await, "/setup");
        assert_eq!(b.lang().await, lang);
        b.fill("#organisation", ORGANISATION).await;
        b.fill("#username", ADMIN).await;
        b.fill("#password", "short").await;
        b.submit_unchecked("form[action='/setup'] button[type=submit]")
            .await;
        let error = b.text("#password-error").await;
        assert!(!error.is_empty(), "no error beside the password in {lang}");
        assert_eq!(
            b.attr("#password", "aria-describedby").await.as_deref(),
            Some("password-error")
        );
        b.check_page(&format!("the first-run page with an error in {lang}"))
            .await;
        b.fill("#password", PASSWORD).await;
        b.click_and_wait("form[action='/setup'] button[type=submit]")
            .await;
        assert_eq!(
            b.path().await,
            "/",
            "the administrator lands signed in ({lang})"
        );
        first_run.push(error);
        b.close().await;
    }
    assert_ne!(first_run[0], first_run[1], "the same error in ru and tg");

    // Adding a user, in each language: a refused password beside its field, a taken name
    // beside its own, then the user added.
    let (_app, b) = start!(App::with_admin("users-form").await, "password_forms");
    signed_in(&b).await;
    let mut seen: Vec<(String, String)> = Vec::new();
    for lang in ["en", "ru", "tg"] {
        b.goto("/users").await;
        b.choose_language(lang).await;
        assert_eq!(b.path().await, "/users");
        let name = format!("worker-{lang}");
        b.fill("#username", &name).await;
        b.fill("#password", "1234567890").await;
        b.submit_unchecked("form[action='/users'] button[type=submit]")
            .await;
        let weak = b.text("#password-error").await;
        assert!(!weak.is_empty(), "no error beside the password in {lang}");
        assert_eq!(b.value("#username").await, name, "the name is kept");
        assert_eq!(
            b.value("#password").await,
            "",
            "a password is never sent back"
        );
        b.check_page(&format!("the users page with an error in {lang}"))
            .await;

        b.fill("#username", ADMIN).await;
        b.fill("#password", "plum garden 64 Istaravshan").await;
        b.submit_unchecked("form[action='/users'] button[type=submit]")
            .await;
        assert!(
            !b.text("#username-error").await.is_empty(),
            "a taken name ({lang})"
        );
        assert!(!b.exists("#password-error").await);

        b.fill("#username", &name).await;
        b.fill("#password", "plum garden 64 Istaravshan").await;
        b.click_and_wait("form[action='/users'] button[type=submit]")
            .await;
        assert!(b.page_text().await.contains(&name), "{name} is listed");
        assert!(!b.exists("#password-error").await);
        b.check_page(&format!("the users page after adding in {lang}"))
            .await;
        seen.push((lang.to_owned(), weak));
    }
    for (i, (a, wa)) in seen.iter().enumerate() {
        for (c, wc) in &seen[i + 1..] {
            assert_ne!(wa, wc, "the password error reads the same in {a} and {c}");
        }
    }
    b.close().await;
}

/// Asserts that the markup of `INJECTION` was shown as text, not run.
async fn assert_not_run(b: &Browser, where_: &str) {
    // The image of the payload would exist, and its error handler would have run, by the
    // time the page has loaded all its images.
    let run = b
        .script(
            "return [typeof window.__pwned, document.querySelectorAll('img[src=\"x\"]').length, \
             document.querySelectorAll('script:not([src])').length];",
        )
        .await;
    assert_eq!(
        run,
        serde_json::json!(["undefined", 0, 0]),
        "{where_}: the injected markup became part of the page"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn markup_typed_into_fields_is_shown_as_text_never_run() {
    let (_app, b) = start!(App::with_admin("injection").await, "injection");

    // A failed sign-in echoes the username, and the page to go on to.
    b.goto(&format!(
        "/sign-in?next=/{}",
        INJECTION
            .replace('<', "%3C")
            .replace('>', "%3E")
            .replace('"', "%22")
            .replace(' ', "%20")
    ))
    .await;
    b.sign_in(INJECTION, "whatever it is").await;
    assert!(b.exists("#form-error").await);
    assert_eq!(b.value("#username").await, INJECTION);
    let next = b.attr("input[name=next]", "value").await;
    assert_eq!(next, Some(format!("/{INJECTION}")));
    assert_not_run(&b, "the sign-in page").await;

    b.sign_in(ADMIN, PASSWORD).await;

    // A case whose title is markup.
    b.goto("/cases/new").await;
    let example = b.value("#case").await;
    let text: String = example
        .lines()
        .map(|l| {
            if l.starts_with("title:") {
                format!("title: '{INJECTION}'")
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert!(text.contains(INJECTION), "the example case has a title");
    // Refused, with a key that is markup: the text comes back as typed, the error beside it.
    let refused = format!("{text}\n'{INJECTION}': 1\n");
    b.set_value("#case", &refused).await;
    b.click_and_wait("form[action='/cases'] button[type=submit]")
        .await;
    assert!(
        b.exists("#case-error").await,
        "a case with an unknown key is refused"
    );
    assert_eq!(b.value("#case").await, refused);
    assert_not_run(&b, "the refused case").await;
    // Stored: the title is free text, kept with the identifying data and shown on request;
    // then literally, on the case page and in the memo.
    b.set_value("#case", &text).await;
    b.click_and_wait("form[action='/cases'] button[type=submit]")
        .await;
    let case = b.path().await;
    assert!(case.starts_with("/cases/c-"), "{case}");
    assert_not_run(&b, "the case page").await;
    b.click_and_wait("a#show-identity").await;
    assert_eq!(b.text("h1").await, INJECTION);
    assert_not_run(&b, "the case page with its free text").await;
    b.click_and_wait("a#report").await;
    assert!(b.page_text().await.contains(INJECTION));
    assert_not_run(&b, "the memo").await;

    // A refused answer to an interview question comes back with what was typed.
    start_interview(&b).await;
    loop {
        let q = current_question(&b)
            .await
            .expect("a number or date question before the outcome");
        if q.ty == "number" || q.ty == "date" {
            // What a browser would not let through, a crafted request would: the field as
            // plain text.
            b.script(
                "const f = document.querySelector('form#question input[name=answer]'); \
                 f.type = 'text'; f.removeAttribute('max'); f.form.noValidate = true;",
            )
            .await;
            b.fill("form#question input[name=answer]", INJECTION).await;
            b.click_and_wait("form#question button[name=action][value=answer]")
                .await;
            let again = current_question(&b).await.expect("the same question");
            assert_eq!(again.id, q.id, "a refused answer asks the same question");
            assert!(b.exists("#answer-error").await);
            // The attribute, not the field's value: a date field clears a value that is no
            // date, as it should.
            assert_eq!(
                b.attr("form#question input[name=answer]", "value")
                    .await
                    .as_deref(),
                Some(INJECTION),
                "what was typed is kept"
            );
            assert_not_run(&b, "the refused answer").await;
            break;
        }
        b.click_and_wait("form#question button[name=action][value=dont_know]")
            .await;
    }
    b.close().await;
}

/// Gives consent on a new interview, leaving the indicator list as it is.
async fn start_interview(b: &Browser) {
    b.goto("/interviews/new").await;
    b.wait_for("form#consent").await;
    b.click_and_wait("form#consent button[name=consent][value=yes]")
        .await;
    assert!(
        b.path().await.starts_with("/interviews/"),
        "{}",
        b.path().await
    );
}

/// The question on the page, as its form describes it.
#[derive(Debug, Clone, PartialEq)]
struct QuestionForm {
    kind: String,
    id: String,
    ty: String,
}

/// The question shown, or `None` when the page shows the outcome.
async fn current_question(b: &Browser) -> Option<QuestionForm> {
    if b.exists("section#outcome").await {
        assert!(
            !b.exists("form#question").await,
            "an outcome page asks no question"
        );
        return None;
    }
    let form = b.find("form#question").await;
    let attr = |name: &'static str| {
        let form = form.clone();
        async move { form.attr(name).await.unwrap().unwrap_or_default() }
    };
    Some(QuestionForm {
        kind: attr("data-kind").await,
        id: attr("data-id").await,
        ty: attr("data-type").await,
    })
}

/// The name a fact type has in the page's `data-type`.
fn type_name(ty: &FactType) -> &'static str {
    match ty {
        FactType::YesNo => "yes_no",
        FactType::OneOf(_) => "one_of",
        FactType::SeveralOf(_) => "several_of",
        FactType::Date => "date",
        FactType::Number => "number",
    }
}

/// How a question is answered.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Answer {
    Value(FactValue),
    DontKnow,
}

/// The scenario's answer to a question: the fact's value, or "don't know" where the scenario
/// does not give it (and for every indicator, which scenarios do not speak of).
fn scenario_answer(s: &Scenario, q: &QuestionForm) -> Answer {
    if q.kind == "indicator" {
        return Answer::DontKnow;
    }
    assert_eq!(q.kind, "fact", "{q:?}");
    let f = kb()
        .fact(&q.id)
        .unwrap_or_else(|| panic!("the page asks about `{}`, no fact of the law", q.id));
    assert_eq!(q.ty, type_name(&kb().facts[f].ty), "{q:?}");
    s.facts.get(f).map_or(Answer::DontKnow, Answer::Value)
}

/// Answers the question shown, through its form.
async fn give_answer(b: &Browser, q: &QuestionForm, answer: Answer) {
    let value = match answer {
        Answer::DontKnow => {
            b.click_and_wait("form#question button[name=action][value=dont_know]")
                .await;
            return;
        }
        Answer::Value(v) => v,
    };
    let f = kb().fact(&q.id).unwrap();
    let options = kb().facts[f].ty.options();
    let pick =
        |name: &str, value: &str| format!("form#question input[name={name}][value='{value}']");
    match value {
        FactValue::Bool(yes) => {
            b.click(&pick("answer", if yes { "yes" } else { "no" }))
                .await
        }
        FactValue::Choice(i) => b.click(&pick("answer", &options[i])).await,
        FactValue::Set { known, value } => {
            if b.exists("form#question fieldset[data-option]").await {
                // Option by option: yes, no, or left at "don't know".
                for (i, o) in options.iter().enumerate() {
                    if known & (1 << i) != 0 {
                        let answer = if value & (1 << i) != 0 { "yes" } else { "no" };
                        b.click(&pick(&format!("'option:{o}'"), answer)).await;
                    }
                }
            } else {
                // Ticked: the options that hold; none ticked is "none of these".
                for (i, o) in options.iter().enumerate() {
                    if value & (1 << i) != 0 {
                        b.click(&pick("option", o)).await;
                    }
                }
            }
        }
        FactValue::Date(d) => {
            // A date field is typed in the locale's order; its value is ISO whatever that is.
            b.set_value("form#question input[name=answer]", &d.to_string())
                .await
        }
        FactValue::Number(n) => {
            b.fill("form#question input[name=answer]", &n.to_string())
                .await
        }
    }
    b.click_and_wait("form#question button[name=action][value=answer]")
        .await;
    assert!(
        !b.exists("#answer-error").await,
        "{q:?}: the answer {value:?} was refused: {}",
        b.text("#answer-error").await
    );
}

/// Answers from the scenario until the outcome; returns the questions asked, in order.
async fn interview_to_outcome(b: &Browser, s: &Scenario, what: &str) -> Vec<QuestionForm> {
    let mut asked = Vec::new();
    while let Some(q) = current_question(b).await {
        assert!(asked.len() < 200, "{what}: the interview does not end");
        if asked.is_empty() {
            // The first question page is checked in full; the others for their words.
            b.check_page(&format!("{what}: the first question")).await;
            let why = b.find("details#why").await;
            assert!(
                why.attr("open").await.unwrap().is_none(),
                "why is closed at first"
            );
            assert!(b.exists("aside#standing #established").await);
            assert!(b.exists("aside#standing #open").await);
        } else {
            let text = b.page_text().await;
            assert!(
                !text.contains('⟨'),
                "{what}: {q:?} shows a missing translation"
            );
        }
        give_answer(b, &q, scenario_answer(s, &q)).await;
        asked.push(q);
    }
    asked
}

/// The concepts listed under `#established` or `#open` in the panel.
async fn panel(b: &Browser, list: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for li in b
        .find_all(&format!("aside#standing #{list} li[data-concept]"))
        .await
    {
        out.insert(li.attr("data-concept").await.unwrap().unwrap_or_default());
    }
    out
}

/// The statuses and consequences, which the interview's panel reports.
fn reported(kind: &[ConceptKind]) -> bool {
    kind.iter()
        .any(|k| matches!(k, ConceptKind::Status | ConceptKind::Consequence))
}

/// The findings of the case page: `(person, state, concept, value)` of each row.
async fn case_findings(b: &Browser) -> Vec<[String; 4]> {
    let rows = b
        .script(
            "return [...document.querySelectorAll('section#findings [data-person][data-concept]')]\
             .map(r => [r.dataset.person, r.dataset.state || '', r.dataset.concept, r.dataset.value]);",
        )
        .await;
    serde_json::from_value(rows).expect("rows of findings")
}

/// The concepts the explanations on the case page name, with their values (`yes`, `no`,
/// `undetermined`): from `data-concept`/`data-value` where a node has them, else read as the
/// page writes a concept's node in `lang`: `<kind> <name> (<label>) → <value>`.
async fn explained_concepts(b: &Browser, lang: &str) -> Vec<[String; 2]> {
    let nodes: Vec<[String; 4]> = serde_json::from_value(
        b.script(
            "return [...document.querySelectorAll('section#findings details li')].flatMap(li => { \
               const kind = li.querySelector(':scope > span.muted'); \
               const value = li.querySelector(':scope > strong'); \
               if (li.dataset.concept) return [['', li.dataset.concept, '', li.dataset.value || '']]; \
               if (!kind || !value || !kind.nextSibling) return []; \
               const name = kind.nextSibling.textContent.trim().split(' ')[0]; \
               return [[kind.textContent.trim(), name, value.textContent.trim(), '']]; });",
        )
        .await,
    )
    .unwrap();
    let words = delimit_i18n::Localizer::new(lang).expect("the language");
    let concept = words.text("explain-concept", &[]);
    let tri = [
        (words.text("tri-yes", &[]), "yes"),
        (words.text("tri-no", &[]), "no"),
        (words.text("tri-open", &[]), "undetermined"),
    ];
    nodes
        .into_iter()
        .filter_map(|[kind, name, shown, value]| {
            if !value.is_empty() {
                return Some([name, value]);
            }
            if kind != concept {
                return None;
            }
            let value = tri.iter().find(|(w, _)| *w == shown).map(|(_, v)| *v)?;
            Some([name, value.to_owned()])
        })
        .collect()
}

/// The concepts S5 expects, the outcome that the browser must reach.
const S5_OUTCOME: &[&str] = &[
    "trafficking_in_persons",
    "smuggling_of_migrants",
    "illegal_entry",
];

/// The S5 interview in `lang`: answered from the scenario's facts to its outcome, which must
/// be the engine's, saved as a case whose findings are the scenario's.
async fn s5_interview(lang: &str, test: &str) {
    let app = App::with_admin(test).await;
    let Some(b) = Browser::start(test, &app).await else {
        return;
    };
    let s5 = scenario::shared("S5");
    for concept in S5_OUTCOME {
        assert_eq!(
            s5.engine_value(concept),
            s5.expected(concept),
            "the engine's {concept} on S5 is the scenario's"
        );
    }
    signed_in(&b).await;
    b.choose_language(lang).await;
    assert_eq!(b.lang().await, lang);

    start_interview(&b).await;
    if lang == "en" {
        b.screenshot("interview-question").await;
    }
    let what = format!("S5 in {lang}");
    let asked = interview_to_outcome(&b, &s5, &what).await;
    assert!(!asked.is_empty());
    b.check_page(&format!("{what}: the outcome")).await;
    if lang == "en" {
        b.screenshot("interview-outcome").await;
    }

    // The panel beside the outcome says what the engine says on the scenario's facts.
    let established = panel(&b, "established").await;
    let open = panel(&b, "open").await;
    for c in kb().concepts.iter().filter(|c| reported(&c.kinds)) {
        let value = s5.engine_value(&c.name);
        assert_eq!(
            established.contains(&c.name),
            value == Tri::True,
            "{what}: {} is {value} for the engine; established: {established:?}",
            c.name
        );
        assert_eq!(
            open.contains(&c.name),
            value == Tri::Unknown,
            "{what}: {} is {value} for the engine; open: {open:?}",
            c.name
        );
    }

    if lang == "en" {
        // Going back from the outcome, changing the last answer and restoring it: the same
        // outcome again.
        let last = asked.last().unwrap().clone();
        b.click_and_wait("form#back button[type=submit]").await;
        let back = current_question(&b).await.expect("back to a question");
        assert_eq!(back, last, "back from the outcome shows the last question");
        let right = scenario_answer(&s5, &last);
        let wrong = match right {
            Answer::Value(FactValue::Bool(v)) => Answer::Value(FactValue::Bool(!v)),
            Answer::Value(_) => Answer::DontKnow,
            Answer::DontKnow if last.ty == "yes_no" => Answer::Value(FactValue::Bool(false)),
            Answer::DontKnow => Answer::DontKnow,
        };
        give_answer(&b, &last, wrong).await;
        // Back until the changed question shows again, then the scenario's answers on.
        for _ in 0..50 {
            if current_question(&b).await.as_ref() == Some(&last) {
                break;
            }
            b.click_and_wait("form#back button[type=submit]").await;
        }
        assert_eq!(current_question(&b).await.as_ref(), Some(&last));
        interview_to_outcome(&b, &s5, "S5 restored").await;
        assert_eq!(panel(&b, "established").await, established);
        assert_eq!(panel(&b, "open").await, open);
    }

    // Saved as a case: the findings are the scenario's.
    b.click_and_wait("form#save button[type=submit]").await;
    let case_path = b.path().await;
    assert!(case_path.starts_with("/cases/"), "{case_path}");
    // The outcome as the case page shows it: statuses as rows of the findings; an element
    // (illegal_entry) in the explanations of the findings that rest on it.
    let findings = case_findings(&b).await;
    let explained = explained_concepts(&b, lang).await;
    for concept in S5_OUTCOME {
        let expected = s5.expected(concept).word();
        let values: Vec<&str> = findings
            .iter()
            .filter(|[_, _, c, _]| c == concept)
            .map(|[_, _, _, v]| v.as_str())
            .chain(
                explained
                    .iter()
                    .filter(|[c, _]| c == concept)
                    .map(|[_, v]| v.as_str()),
            )
            .collect();
        assert!(
            !values.is_empty() && values.iter().all(|v| *v == expected),
            "{what}: the case page shows {concept} = {values:?}, the scenario expects {expected}; \
             the findings: {findings:?}"
        );
    }
    for details in b.find_all("section#findings details").await {
        assert!(
            details.attr("open").await.unwrap().is_none(),
            "explanations are closed at first"
        );
    }
    b.check_page(&format!("{what}: the case")).await;
    if lang == "en" {
        b.screenshot("case").await;
    }

    // The memo, and the memo printed.
    b.click_and_wait("a#report").await;
    assert_eq!(b.path().await, format!("{case_path}/report"));
    b.check_page(&format!("{what}: the report")).await;
    assert!(!b.text("h1").await.is_empty());
    assert!(b.exists("[data-print]").await);
    let report = b.page_text().await;
    let law_version = &kb().hash[..12];
    assert!(
        report.contains(law_version),
        "the report names the law version"
    );
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date()
        .to_string();
    assert!(report.contains(&today), "the report is dated");
    assert!(
        report.contains("un-tip-protocol/art-3"),
        "the report cites the provisions"
    );
    if lang == "en" {
        b.screenshot("report").await;
        // The print stylesheet leaves the site's header out of the memo on paper.
        let hides = b
            .script(
                "return [...document.styleSheets].some(s => [...s.cssRules].some(r => \
                 r.media && [...r.media].includes('print') && [...r.cssRules].some(x => \
                 x.selectorText && x.selectorText.split(',').map(t => t.trim()).includes('header.top') \
                 && x.style.display === 'none')));",
            )
            .await;
        assert_eq!(hides, serde_json::json!(true), "print hides header.top");
        let pdf = b.print_pdf().await;
        assert!(pdf.starts_with(b"%PDF"), "a PDF");
        assert!(pdf.len() > 5_000, "a PDF of {} bytes", pdf.len());
    }

    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s5_interviewed_in_english_reaches_the_engines_outcome() {
    s5_interview("en", "s5_en").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s5_interviewed_in_russian_reaches_the_engines_outcome() {
    s5_interview("ru", "s5_ru").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s5_interviewed_in_tajik_reaches_the_engines_outcome() {
    s5_interview("tg", "s5_tg").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_law_browser_and_the_statistics() {
    let app = App::with_admin("law").await;
    // Synthetic journeys, imported and assessed, for the statistics to draw.
    app.add_journeys(120).await;
    let (_app, b) = start!(app, "law");
    signed_in(&b).await;

    // From the overview to the Protocol, and from it to the definition of trafficking. The
    // overview says how much of the law was read in an official text.
    b.goto("/law").await;
    b.check_page("the law browser").await;
    b.screenshot("law-overview").await;
    let share = b.text("main #verified-share").await;
    assert!(share.contains('%'), "{share}");
    assert!(
        b.exists("main #rules-by-basis").await,
        "rules by the text they rest on"
    );
    b.click_and_wait("main a[href='/law/instruments/un-tip-protocol']")
        .await;
    b.check_page("an instrument").await;
    let provision = "un-tip-protocol/art-3/a";
    b.click_and_wait(&format!("main a[href='/law/provisions/{provision}']"))
        .await;
    assert_eq!(b.path().await, format!("/law/provisions/{provision}"));
    b.check_page("a provision").await;
    b.screenshot("law-provision").await;
    assert!(b.page_text().await.contains(provision));
    let badge = b.find("main dd .status").await;
    let class = badge.attr("class").await.unwrap().unwrap_or_default();
    assert!(
        class.contains("status-verified"),
        "art. 3(a) of the Protocol is verified: {class}"
    );
    assert!(!badge.text().await.unwrap().is_empty());
    let concepts = b.text("main #used-concepts").await;
    assert!(
        concepts.contains("trafficking_in_persons"),
        "the concepts that cite the provision: {concepts}"
    );
    b.click_and_wait("main #used-concepts a[href='/law/concepts/trafficking_in_persons']")
        .await;
    b.check_page("a concept").await;

    // A provision read only in another authentic language: quoted in it, with our rendering.
    b.goto("/law/instruments/un-tip-protocol").await;
    b.click_and_wait("main a[href='/law/provisions/un-tip-protocol/art-14/1']")
        .await;
    b.check_page("a provision quoted in Spanish").await;
    b.screenshot("law-translation").await;
    assert!(
        b.exists("main blockquote p[lang=es]").await,
        "the Spanish text, marked"
    );
    let rendering = b.text("main blockquote.translation").await;
    assert!(
        rendering.contains("Nothing in this Protocol"),
        "{rendering}"
    );

    b.goto("/statistics").await;
    b.check_page("the statistics").await;
    b.screenshot("statistics").await;
    assert!(b.exists("main svg[role=img]").await, "a chart");
    let csv = b.attr("main a[href*='csv']", "href").await;
    let csv = csv.expect("a link to the figures as CSV");
    // The link gives the figures (fetched by the page itself, with its session).
    let body = b
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1]; \
             fetch(arguments[0]).then(r => r.text().then(t => done([r.status, t]))) \
               .catch(e => done([0, String(e)]));",
            vec![serde_json::json!(csv)],
        )
        .await
        .unwrap();
    assert_eq!(body[0], 200, "{csv}: {body}");
    let text = body[1].as_str().unwrap_or_default();
    assert!(
        text.lines().count() > 1 && text.contains(','),
        "{csv}: {text}"
    );
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interview_survives_a_lost_session() {
    let (_app, b) = start!(App::with_admin("lost-session").await, "lost_session");
    let s5 = scenario::shared("S5");
    signed_in(&b).await;
    start_interview(&b).await;
    let interview = b.path().await;
    let mut asked = Vec::new();
    for _ in 0..2 {
        let q = current_question(&b).await.expect("a question");
        give_answer(&b, &q, scenario_answer(&s5, &q)).await;
        asked.push(q);
    }
    let third = current_question(&b).await.expect("a third question");
    assert_ne!(third, asked[1]);

    // The session ends (as when it expires) while the third question is on the screen.
    b.client
        .delete_cookie(delimit_server::auth::COOKIE)
        .await
        .unwrap();
    let typed = match scenario_answer(&s5, &third) {
        Answer::Value(FactValue::Bool(v)) => Some(if v { "yes" } else { "no" }),
        _ => None,
    };
    match typed {
        Some(value) => {
            b.click(&format!(
                "form#question input[name=answer][value='{value}']"
            ))
            .await;
            b.click_and_wait("form#question button[name=action][value=answer]")
                .await;
        }
        None => {
            b.click_and_wait("form#question button[name=action][value=dont_know]")
                .await
        }
    }
    assert!(
        b.path().await.starts_with("/sign-in"),
        "sent to sign in, not {}",
        b.path().await
    );
    b.check_page("the sign-in page after the session ended")
        .await;
    b.sign_in(ADMIN, PASSWORD).await;
    let landed = b.path().await;
    assert_eq!(
        landed.split('?').next(),
        Some(interview.as_str()),
        "signed in again, back to the interview; instead {landed} shows: {:?}",
        b.page_text().await.chars().take(300).collect::<String>()
    );
    let now = current_question(&b).await.expect("the interview goes on");
    assert!(!asked.contains(&now), "the two answers are kept: {now:?}");
    assert_eq!(now, third, "the question that was on the screen");
    // The answer that could not be kept is offered again, to be sent once more.
    if let Some(value) = typed {
        let checked = b
            .find(&format!(
                "form#question input[name=answer][value='{value}']"
            ))
            .await
            .is_selected()
            .await
            .unwrap();
        assert!(
            checked,
            "the answer sent without a session is filled in again"
        );
    }
    b.check_page("the interview after signing in again").await;
    // Back once: the second answer, kept.
    b.click_and_wait("form#back button[type=submit]").await;
    assert_eq!(current_question(&b).await.as_ref(), Some(&asked[1]));
    b.close().await;
}
