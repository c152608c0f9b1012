//! The statistics pages through the router, over a registry of synthetic journeys: every bar
//! and every row is the registry's own cell, suppressed cells never show a count, the CSV link
//! serves the same table, bad choices come back as the form with the error beside the field,
//! and every page speaks the viewer's language.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use delimit_i18n::{Arg, Localizer};
use delimit_law::KnowledgeBase;
use delimit_registry::{
    ImportFormat, Key, NOT_RECORDED, Reading, Registry, Role, Table, dimensions, sqlite_url,
    synthetic,
};
use delimit_server::{AppState, Limits};
use http_body_util::BodyExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use tower::ServiceExt;

fn kb() -> &'static KnowledgeBase {
    static KB: OnceLock<KnowledgeBase> = OnceLock::new();
    KB.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../law");
        delimit_law::compile(&delimit_law::load::read_dir(&dir).expect("law"))
            .kb
            .expect("law checks")
    })
}

/// A folder that is removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let mut bytes = [0u8; 6];
        getrandom::fill(&mut bytes).unwrap();
        let suffix: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let dir = std::env::temp_dir().join(format!("delimit-{name}-{suffix}"));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const PASSWORD: &str = "correct horse battery";
/// Enough journeys that most cells are published and some are not.
const JOURNEYS: u64 = 300;

/// The web pages over a registry with `journeys` synthetic cases, imported and assessed.
struct Site {
    app: axum::Router,
    registry: Registry,
    _dir: TempDir,
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    /// The body with the template's HTML escapes undone, so that it compares with plain text.
    text: String,
}

impl Site {
    async fn new(name: &str, journeys: u64) -> Site {
        let dir = TempDir::new(name);
        let registry = Registry::open(
            &sqlite_url(&dir.0.join("registry.db")),
            Key::generate().unwrap(),
        )
        .await
        .unwrap();
        let admin = registry
            .first_administrator("Field office", "admin", PASSWORD)
            .await
            .unwrap()
            .principal();
        for (name, role) in [("caseworker", Role::Caseworker), ("analyst", Role::Analyst)] {
            registry
                .create_user(&admin, name, PASSWORD, role)
                .await
                .unwrap();
        }
        if journeys > 0 {
            let caseworker = registry
                .sign_in("caseworker", PASSWORD)
                .await
                .unwrap()
                .user
                .principal();
            let file: String = (0..journeys)
                .map(|n| serde_json::to_string(&synthetic::journey(n).unwrap()).unwrap() + "\n")
                .collect();
            registry
                .import(
                    &caseworker,
                    file.as_bytes(),
                    ImportFormat::JsonLines,
                    &mut |_| {},
                )
                .await
                .unwrap();
            let reading = Reading {
                kb: kb(),
                doctrines: &[],
                as_of: None,
            };
            registry
                .requalify(&admin, reading, &mut |_| {})
                .await
                .unwrap();
        }
        let state = AppState::new(registry.clone(), kb(), Limits::default());
        Site {
            app: delimit_web::router(state),
            registry,
            _dir: dir,
        }
    }

    async fn token(&self, user: &str) -> String {
        self.registry.sign_in(user, PASSWORD).await.unwrap().token
    }

    async fn get(&self, path: &str, token: Option<&str>, lang: &str) -> Reply {
        let mut cookies = vec![format!("{}={lang}", delimit_web::LANG_COOKIE)];
        if let Some(t) = token {
            cookies.push(format!("delimit_session={t}"));
        }
        let request = Request::get(path)
            .header(header::COOKIE, cookies.join("; "))
            .body(Body::empty())
            .unwrap();
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            text: unescape(std::str::from_utf8(&bytes).unwrap()),
        }
    }

    /// The registry's table, as a viewer of any role sees it.
    async fn table(&self, dimension: &str, filter: Option<(&str, &str)>) -> Table {
        let analyst = self
            .registry
            .sign_in("analyst", PASSWORD)
            .await
            .unwrap()
            .user
            .principal();
        self.registry
            .statistics(&analyst, dimension, filter)
            .await
            .unwrap()
    }
}

fn unescape(html: &str) -> String {
    html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#x2f;", "/")
        .replace("&amp;", "&")
}

fn words(lang: &str) -> Localizer {
    Localizer::new(lang).unwrap()
}

/// Every piece of `text` from `start` to the next `end`, both included.
fn pieces<'a>(text: &'a str, start: &str, end: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(start) {
        let from = &rest[at..];
        let len = from.find(end).map_or(from.len(), |e| e + end.len());
        out.push(&from[..len]);
        rest = &from[len..];
    }
    out
}

/// The value of attribute `name` in the first tag of `piece`.
fn attribute(piece: &str, name: &str) -> Option<String> {
    let tag = &piece[..piece.find('>').unwrap_or(piece.len())];
    let marker = format!(" {name}=\"");
    let at = tag.find(&marker)? + marker.len();
    let len = tag[at..].find('"')?;
    Some(tag[at..at + len].to_owned())
}

/// The contents of each `<tag …>…</tag>` in `piece`.
fn contents(piece: &str, tag: &str) -> Vec<String> {
    pieces(piece, &format!("<{tag}"), &format!("</{tag}>"))
        .iter()
        .map(|p| {
            let inner = &p[p.find('>').unwrap() + 1..];
            inner[..inner.len() - tag.len() - 3].to_owned()
        })
        .collect()
}

/// What the form's value field holds.
fn typed_value(page: &str) -> Option<String> {
    attribute(pieces(page, "<input id=\"value\"", ">")[0], "value")
}

/// The section of the page that shows `dimension`.
fn section_of<'a>(page: &'a str, dimension: &str) -> &'a str {
    let marker = format!("<section aria-labelledby=\"heading-{dimension}\">");
    let found = pieces(page, &marker, "</section>");
    assert_eq!(found.len(), 1, "one section for {dimension}");
    found[0]
}

/// What a page may show of a cell: its value, and its count unless suppressed.
fn published(table: &Table) -> Vec<(String, Option<i64>)> {
    table
        .cells
        .iter()
        .map(|c| (c.value.clone(), if c.suppressed { None } else { c.count }))
        .collect()
}

/// The bars of a chart: each cell's value and the count it draws.
fn bars(section: &str) -> Vec<(String, Option<i64>)> {
    pieces(section, "<g class=\"bar", "</g>")
        .iter()
        .map(|g| {
            let value = attribute(g, "data-cell").expect("a bar names its cell");
            let count = attribute(g, "data-value").map(|n| n.parse().unwrap());
            (value, count)
        })
        .collect()
}

/// The rows of a table: each cell's value and the count written in it.
fn rows(section: &str) -> Vec<(String, Option<i64>)> {
    pieces(section, "<tr data-cell=", "</tr>")
        .iter()
        .map(|tr| {
            let value = attribute(tr, "data-cell").unwrap();
            let cell = &pieces(tr, "<td class=\"count", "</td>")[0];
            let count = if cell.contains("suppressed") {
                None
            } else {
                Some(contents(cell, "td")[0].trim().parse().unwrap())
            };
            (value, count)
        })
        .collect()
}

/// The chart and the table of `section` draw exactly the registry's published cells, and a
/// suppressed cell shows only the word for it.
fn assert_draws(section: &str, table: &Table, lang: &str) {
    let expected = published(table);
    assert_eq!(bars(section), expected, "chart of {}", table.dimension);
    assert_eq!(rows(section), expected, "table of {}", table.dimension);
    let suppressed = words(lang).text("stats-suppressed", &[]);
    for g in pieces(section, "<g class=\"bar suppressed\"", "</g>") {
        assert!(attribute(g, "data-value").is_none());
        let texts = contents(g, "text");
        assert_eq!(texts.len(), 2, "a label and a word: {g}");
        assert_eq!(texts[1], suppressed);
    }
    let svg = &pieces(section, "<svg", "</svg>")[0];
    assert_eq!(attribute(svg, "role").as_deref(), Some("img"));
    assert!(attribute(svg, "viewBox").is_some());
    let labelled = attribute(svg, "aria-labelledby").unwrap();
    for id in labelled.split(' ') {
        assert!(
            svg.contains(&format!(" id=\"{id}\"")),
            "{id} labels the chart"
        );
    }
}

#[tokio::test]
async fn the_overview_draws_every_dimension_as_the_registry_counts_it() {
    let site = Site::new("stats-overview", JOURNEYS).await;
    // An analyst sees aggregates, and so the dashboard.
    let analyst = site.token("analyst").await;
    let page = site.get("/statistics", Some(&analyst), "en").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    let mut suppressed = 0;
    for d in dimensions() {
        let table = site.table(d, None).await;
        let section = section_of(&page.text, d);
        assert_draws(section, &table, "en");
        suppressed += table.cells.iter().filter(|c| c.suppressed).count();
        // Each dimension leads to its own page and to its own CSV.
        assert!(section.contains(&format!("href=\"/statistics?dimension={d}\"")));
        assert!(section.contains(&format!("href=\"/statistics.csv?dimension={d}\"")));
    }
    assert!(suppressed > 0, "the synthetic registry has small cells");
    // The policy is the registry's: its k, its source, its crime codes.
    let policy = site.registry.policy();
    let en = words("en");
    assert!(
        page.text
            .contains(&en.text("stats-policy-k", &[("k", Arg::from(policy.k))]))
    );
    assert!(page.text.contains(&policy.k_source));
    assert!(page.text.contains(&policy.iccs_source));
    for (_, code, _) in &policy.iccs {
        assert!(page.text.contains(&format!("<td>{code}</td>")), "{code}");
    }
    // No reader may lower k: the form has no such field.
    assert!(!page.text.contains("name=\"k\""));
    let qualification = site.table("qualification", None).await;
    let coded = qualification.cells.iter().find(|c| c.iccs.is_some());
    let coded = coded.expect("some qualification has an ICCS code");
    let row = pieces(
        section_of(&page.text, "qualification"),
        "<tr data-cell=",
        "</tr>",
    )
    .into_iter()
    .find(|tr| attribute(tr, "data-cell").as_deref() == Some(coded.value.as_str()))
    .unwrap();
    assert!(row.contains(coded.iccs.as_deref().unwrap()));

    // A caseworker sees the same figures.
    let caseworker = site.token("caseworker").await;
    let again = site.get("/statistics", Some(&caseworker), "en").await;
    assert_eq!(again.status, StatusCode::OK);
    assert_draws(
        section_of(&again.text, "gender"),
        &site.table("gender", None).await,
        "en",
    );
}

#[tokio::test]
async fn a_table_within_a_value_matches_the_registry_and_its_csv() {
    let site = Site::new("stats-table", JOURNEYS).await;
    let token = site.token("caseworker").await;
    let table = site.table("age", Some(("gender", "Woman"))).await;
    assert!(!table.cells.is_empty());
    let page = site
        .get(
            "/statistics?dimension=age&within=gender&value=Woman",
            Some(&token),
            "en",
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    let section = section_of(&page.text, "age");
    assert_draws(section, &table, "en");
    match table.total {
        Some(n) => assert!(
            section.contains(&words("en").text("stats-total-counted", &[("count", Arg::from(n))]))
        ),
        None => {
            assert!(section.contains(
                &words("en").text("stats-total-suppressed", &[("k", Arg::from(table.k))])
            ))
        }
    }
    // The form keeps the choice.
    assert!(page.text.contains("<option value=\"age\" selected>"));
    assert_eq!(typed_value(&page.text).as_deref(), Some("Woman"));

    let link = pieces(section, "<a href=\"/statistics.csv", ">")[0];
    let href = attribute(link, "href").unwrap();
    assert_eq!(
        href,
        "/statistics.csv?dimension=age&within=gender&value=Woman"
    );
    let csv = site.get(&href, Some(&token), "en").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    assert!(
        csv.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert_eq!(csv.text, table.to_csv());
    // Row by row, the CSV says what the page shows.
    let lines: Vec<&str> = csv.text.lines().collect();
    let shown = rows(section);
    assert_eq!(lines.len(), shown.len() + 2, "header, cells, total");
    for (line, (value, count)) in lines[1..].iter().zip(&shown) {
        let fields: Vec<&str> = line.split(',').collect();
        assert_eq!(fields[0], value);
        assert_eq!(fields[1], count.map(|n| n.to_string()).unwrap_or_default());
        assert_eq!(fields[2] == "1", count.is_none());
    }

    // The overview within a value leaves that value's dimension out.
    let within = site
        .get("/statistics?within=gender&value=Woman", Some(&token), "en")
        .await;
    assert_eq!(within.status, StatusCode::OK);
    assert!(!within.text.contains("aria-labelledby=\"heading-gender\""));
    for d in dimensions().into_iter().filter(|d| *d != "gender") {
        let table = site.table(d, Some(("gender", "Woman"))).await;
        assert_draws(section_of(&within.text, d), &table, "en");
    }
    // Each row breaks its persons down by every other dimension.
    let gender = site
        .get("/statistics?dimension=gender", Some(&token), "en")
        .await;
    assert!(
        gender
            .text
            .contains("href=\"/statistics?within=gender&value=Woman\"")
    );
}

#[tokio::test]
async fn suppressed_cells_never_show_their_count() {
    let site = Site::new("stats-suppressed", JOURNEYS).await;
    let token = site.token("analyst").await;
    // The registry itself with a smaller k tells the true counts of most hidden cells.
    let mut revealing = site.registry.clone();
    revealing.set_minimum_cell(2).unwrap();
    let analyst = site
        .registry
        .sign_in("analyst", PASSWORD)
        .await
        .unwrap()
        .user
        .principal();
    let mut checked = 0;
    for d in dimensions() {
        let table = site.table(d, None).await;
        let truth = revealing.statistics(&analyst, d, None).await.unwrap();
        let page = site
            .get(&format!("/statistics?dimension={d}"), Some(&token), "en")
            .await;
        let section = section_of(&page.text, d);
        assert_draws(section, &table, "en");
        for cell in table.cells.iter().filter(|c| c.suppressed) {
            let Some(true_count) = truth
                .cells
                .iter()
                .find(|t| t.value == cell.value)
                .and_then(|t| t.count)
            else {
                continue;
            };
            let mine = |p: &&str| attribute(p, "data-cell").as_deref() == Some(cell.value.as_str());
            let bar = pieces(section, "<g class=\"bar", "</g>")
                .into_iter()
                .find(mine)
                .unwrap();
            let row = pieces(section, "<tr data-cell=", "</tr>")
                .into_iter()
                .find(mine)
                .unwrap();
            let number = true_count.to_string();
            assert!(
                !contents(bar, "text").contains(&number),
                "{d} {} drawn with its count",
                cell.value
            );
            assert!(
                !contents(row, "td").iter().any(|td| td.trim() == number),
                "{d} {} written with its count",
                cell.value
            );
            assert!(attribute(bar, "data-value").is_none());
            checked += 1;
        }
    }
    assert!(checked > 0, "some suppressed cell had a count to hide");
}

#[tokio::test]
async fn bad_choices_come_back_as_the_form_with_the_error_beside_the_field() {
    let site = Site::new("stats-errors", 40).await;
    let token = site.token("caseworker").await;
    for lang in ["en", "ru", "tg"] {
        let t = words(lang);
        let page = site
            .get("/statistics?dimension=names", Some(&token), lang)
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        let message = t.text("stats-error-dimension", &[("value", Arg::Text("names"))]);
        assert!(
            page.text.contains(&format!(
                "<p class=\"field-error\" id=\"dimension-error\">{message}</p>"
            )),
            "{lang}: {}",
            page.text
        );
        assert!(page.text.contains("aria-describedby=\"dimension-error\""));
        assert!(
            !page.text.contains("<svg"),
            "no figures under a refused form"
        );

        let page = site
            .get(
                "/statistics?dimension=age&within=year&value=20x3",
                Some(&token),
                lang,
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        let hint = t.text("stats-hint-year", &[]);
        let message = t.text(
            "stats-error-value-form",
            &[("value", Arg::Text("20x3")), ("hint", Arg::Text(&hint))],
        );
        assert!(
            page.text
                .contains(&format!("id=\"value-error\">{message}</p>")),
            "{lang}"
        );
        // What was typed stays in the form.
        assert_eq!(typed_value(&page.text).as_deref(), Some("20x3"));
        assert!(page.text.contains("<option value=\"year\" selected>"));
        assert!(page.text.contains("<option value=\"age\" selected>"));
        assert!(page.text.contains(&format!("<html lang=\"{lang}\">")));
    }
    let refused = |path: &'static str, field: &'static str| {
        let site = &site;
        let token = &token;
        async move {
            let page = site.get(path, Some(token), "en").await;
            assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
            assert!(
                page.text.contains(&format!("id=\"{field}-error\"")),
                "{path}: {}",
                page.text
            );
        }
    };
    refused("/statistics?within=gender", "value").await;
    refused("/statistics?value=Woman", "within").await;
    refused(
        "/statistics?dimension=gender&within=gender&value=Woman",
        "within",
    )
    .await;
    refused("/statistics?within=citizenship&value=Tajikistan", "value").await;
    refused("/statistics?within=gender&value=%3Cscript%3E", "value").await;
    // A flag the registry does not know is refused by the registry, beside the field too.
    refused("/statistics?within=exploitation&value=isNothing", "value").await;
    let long = format!("/statistics?within=gender&value={}", "a".repeat(300));
    let page = site.get(&long, Some(&token), "en").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    // An address that cannot be read is a refusal of the whole form, not a failure.
    let page = site
        .get(
            "/statistics?dimension=age&dimension=gender",
            Some(&token),
            "en",
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.text.contains("class=\"form-error\""));
    for path in ["/statistics.csv?dimension=names", "/statistics.csv"] {
        let csv = site.get(path, Some(&token), "en").await;
        assert_eq!(csv.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
    }
    // A value that counts no one is no error: the page says so.
    let nobody = site
        .get("/statistics?within=year&value=1900", Some(&token), "en")
        .await;
    assert_eq!(nobody.status, StatusCode::OK);
    assert!(nobody.text.contains(&words("en").text(
        "stats-empty-within",
        &[
            (
                "within",
                Arg::Text(&words("en").text("stats-dimension-year", &[]))
            ),
            ("value", Arg::Text("1900")),
        ],
    )));
}

#[tokio::test]
async fn persons_without_a_recorded_value_are_counted_in_words_of_the_page() {
    let site = Site::new("stats-not-recorded", JOURNEYS).await;
    let token = site.token("analyst").await;
    // Some journeys leave the gender unknown: CTDC leaves the column empty, and the gender
    // table counts them under a value of their own, so that its cells count everyone.
    let gender = site.table("gender", None).await;
    assert!(gender.cells.iter().any(|c| c.value == NOT_RECORDED));
    assert_eq!(
        gender.total,
        Some(JOURNEYS as i64),
        "every person of the journeys"
    );
    for lang in ["en", "ru", "tg"] {
        let page = site
            .get("/statistics?dimension=gender", Some(&token), lang)
            .await;
        assert_eq!(page.status, StatusCode::OK);
        let section = section_of(&page.text, "gender");
        assert_draws(section, &gender, lang);
        let row = pieces(section, "<tr data-cell=", "</tr>")
            .into_iter()
            .find(|tr| attribute(tr, "data-cell").as_deref() == Some(NOT_RECORDED))
            .unwrap();
        let words = words(lang).text("stats-value-not-recorded", &[]);
        assert!(row.contains(&words), "{lang}: {row}");
        assert!(
            !row.contains(&format!(">{NOT_RECORDED}<")),
            "{lang}: the code shown"
        );
    }
    // Its breakdown is a valid choice, in every dimension's form, a year's included.
    let href = format!("/statistics?within=gender&value={NOT_RECORDED}");
    assert!(
        section_of(
            &site
                .get("/statistics?dimension=gender", Some(&token), "en")
                .await
                .text,
            "gender"
        )
        .contains(&format!("href=\"{href}\""))
    );
    for path in [
        href,
        format!("/statistics?within=year&value={NOT_RECORDED}"),
    ] {
        let page = site.get(&path, Some(&token), "en").await;
        assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.text);
    }
}

#[tokio::test]
async fn signed_out_visitors_are_sent_to_sign_in() {
    let site = Site::new("stats-signed-out", 0).await;
    for path in [
        "/statistics",
        "/statistics?dimension=age",
        "/statistics.csv?dimension=age",
    ] {
        let reply = site.get(path, None, "en").await;
        assert!(reply.status.is_redirection(), "{path}: {}", reply.status);
        let to = reply.headers[header::LOCATION].to_str().unwrap();
        assert!(to.starts_with("/sign-in?next=/statistics"), "{to}");
    }
    let reply = site.get("/statistics", Some("not-a-session"), "en").await;
    assert!(reply.status.is_redirection());
}

#[tokio::test]
async fn an_empty_registry_explains_why_nothing_is_drawn() {
    let site = Site::new("stats-empty", 0).await;
    let token = site.token("analyst").await;
    let en = words("en");
    let page = site.get("/statistics", Some(&token), "en").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains(&en.text("stats-empty", &[])));
    assert!(!page.text.contains("<svg"));
    let page = site
        .get("/statistics?dimension=stage", Some(&token), "en")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let stage = en.text("stats-dimension-stage", &[]);
    assert!(
        page.text
            .contains(&en.text("stats-empty-dimension", &[("dimension", Arg::Text(&stage))]))
    );
    let csv = site
        .get("/statistics.csv?dimension=stage", Some(&token), "en")
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.text, site.table("stage", None).await.to_csv());
}

#[tokio::test]
async fn every_page_speaks_english_russian_and_tajik() {
    let site = Site::new("stats-languages", JOURNEYS).await;
    let token = site.token("caseworker").await;
    let qualification = site.table("qualification", None).await;
    let concept = kb()
        .concepts
        .iter()
        .find(|c| qualification.cells.iter().any(|cell| cell.value == c.name))
        .expect("a qualification the law names");
    for lang in ["en", "ru", "tg"] {
        let t = words(lang);
        for path in [
            "/statistics",
            "/statistics?dimension=qualification",
            "/statistics?dimension=stage&within=gender&value=Man",
            "/statistics?dimension=nothing",
        ] {
            let page = site.get(path, Some(&token), lang).await;
            assert!(
                page.text.contains(&format!("<html lang=\"{lang}\">")),
                "{lang} {path}"
            );
            assert!(
                !page.text.contains('⟨'),
                "{lang} {path}: a message is missing"
            );
            assert!(page.text.contains(&t.text("stats-policy-title", &[])));
        }
        // The words of the figures, of the charts and of the values are the viewer's too.
        let page = site.get("/statistics", Some(&token), lang).await;
        for key in [
            "stats-column-persons",
            "stats-suppressed",
            "stats-chart-table",
            "stats-value-gender-woman",
            "stats-dimension-means-of-control",
        ] {
            assert!(page.text.contains(&t.text(key, &[])), "{lang}: {key}");
        }
        assert!(
            page.text.contains(concept.label.get(lang)),
            "{lang}: {}",
            concept.name
        );
    }
}
