//! The law browser through the router, over the law of this checkout: every instrument and
//! provision answers, a provision lists the concepts decided under it, unknown ids are not
//! found, every page speaks the three languages, uncertain texts are flagged and what the
//! knowledge base says is escaped.

#[path = "../../registry/tests/common/mod.rs"]
mod common;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{TempDir, kb};
use delimit_i18n::Localizer;
use delimit_law::{KnowledgeBase, Status};
use delimit_registry::{Key, Registry, sqlite_url};
use delimit_server::{AppState, Limits};
use http_body_util::BodyExt;
use minijinja::HtmlEscape;
use std::collections::BTreeSet;
use tower::ServiceExt;

/// The web application over `kb`, with an empty registry: the law needs no user.
struct Site {
    app: Router,
    _dir: TempDir,
}

async fn site_over(test: &str, kb: &'static KnowledgeBase) -> Site {
    let dir = TempDir::new(test);
    let registry = Registry::open(
        &sqlite_url(&dir.0.join("registry.db")),
        Key::generate().unwrap(),
    )
    .await
    .expect("open the registry");
    let app = delimit_web::router(AppState::new(registry, kb, Limits::default()));
    Site { app, _dir: dir }
}

async fn site(test: &str) -> Site {
    site_over(test, kb()).await
}

struct Page {
    status: StatusCode,
    html: String,
}

impl Site {
    async fn get(&self, path: &str, lang: &str) -> Page {
        let request = Request::get(path)
            .header(
                header::COOKIE,
                format!("{}={lang}", delimit_web::LANG_COOKIE),
            )
            .body(Body::empty())
            .unwrap();
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Page {
            status,
            html: String::from_utf8(bytes.to_vec()).expect("pages are UTF-8"),
        }
    }

    /// The page in English, which must answer.
    async fn ok(&self, path: &str) -> String {
        let page = self.get(path, "en").await;
        assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.html);
        page.html
    }
}

/// A path segment as a browser sends it; `/` is kept, since provision ids hold it.
fn encode(id: &str) -> String {
    id.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A text as the templates write it.
fn escaped(text: &str) -> String {
    HtmlEscape(text).to_string()
}

/// Every law page of `kb`: the lists, and one page per instrument, provision and concept.
fn all_paths(kb: &KnowledgeBase) -> Vec<String> {
    let mut paths: Vec<String> = [
        "/law",
        "/law/concepts",
        "/law/doctrines",
        "/law/terms",
        "/law/sources",
    ]
    .map(String::from)
    .to_vec();
    paths.extend(
        kb.instruments
            .iter()
            .map(|i| format!("/law/instruments/{}", encode(&i.id))),
    );
    paths.extend(
        kb.provisions
            .iter()
            .map(|p| format!("/law/provisions/{}", encode(&p.id))),
    );
    paths.extend(
        kb.concepts
            .iter()
            .map(|c| format!("/law/concepts/{}", encode(&c.name))),
    );
    paths
}

/// The names of the concepts in the provision page's list of concepts decided under it.
fn listed_concepts(html: &str) -> BTreeSet<String> {
    let Some(start) = html.find("<ul id=\"used-concepts\">") else {
        return BTreeSet::new();
    };
    let list = &html[start..];
    let list = &list[..list.find("</ul>").expect("the list is closed")];
    let link = escaped("/law/concepts/");
    list.split(&format!("href=\"{link}"))
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].to_owned())
        .collect()
}

#[tokio::test]
async fn every_instrument_and_provision_answers_with_its_id() {
    let site = site("law-ids").await;
    let kb = kb();
    assert!(!kb.instruments.is_empty() && !kb.provisions.is_empty());
    for i in &kb.instruments {
        let html = site
            .ok(&format!("/law/instruments/{}", encode(&i.id)))
            .await;
        assert!(html.contains(&escaped(&i.id)), "{}", i.id);
        // Each of its provisions is there, linked to its own page.
        for p in kb.provisions.iter().filter(|p| p.instrument == i.id) {
            let href = escaped(&format!("/law/provisions/{}", encode(&p.id)));
            assert!(html.contains(&format!("href=\"{href}\"")), "{}", p.id);
        }
    }
    for p in &kb.provisions {
        let html = site.ok(&format!("/law/provisions/{}", encode(&p.id))).await;
        assert!(html.contains(&escaped(&p.id)), "{}", p.id);
        let instrument = escaped(&format!("/law/instruments/{}", encode(&p.instrument)));
        assert!(
            html.contains(&instrument),
            "{} links to its instrument",
            p.id
        );
    }
    let overview = site.ok("/law").await;
    assert!(
        overview.contains(&kb.hash),
        "the overview gives the version"
    );
    for i in &kb.instruments {
        let href = escaped(&format!("/law/instruments/{}", encode(&i.id)));
        assert!(overview.contains(&href), "the overview lists {}", i.id);
    }
}

#[tokio::test]
async fn a_provision_lists_exactly_the_concepts_whose_rules_cite_it() {
    let site = site("law-uses").await;
    let kb = kb();
    let mut cited = 0;
    for (pid, p) in kb.provisions.iter().enumerate() {
        let expected: BTreeSet<String> = kb
            .rules
            .iter()
            .filter(|r| r.cites.contains(&pid))
            .map(|r| kb.concepts[r.concept].name.clone())
            .collect();
        let html = site.ok(&format!("/law/provisions/{}", encode(&p.id))).await;
        assert_eq!(listed_concepts(&html), expected, "{}", p.id);
        // Each rule that cites it is shown, and links back to the concept it decides.
        for r in kb.rules.iter().filter(|r| r.cites.contains(&pid)) {
            assert!(
                html.contains(&escaped(&r.id)),
                "{} shows rule {}",
                p.id,
                r.id
            );
        }
        cited += usize::from(!expected.is_empty());
    }
    assert!(cited > 0, "some provision is cited by a rule");
}

#[tokio::test]
async fn a_concept_shows_the_rules_that_decide_it_and_their_provisions() {
    let site = site("law-concepts").await;
    let kb = kb();
    for (cid, c) in kb.concepts.iter().enumerate() {
        let html = site.ok(&format!("/law/concepts/{}", encode(&c.name))).await;
        for r in kb.rules.iter().filter(|r| r.concept == cid) {
            assert!(
                html.contains(&escaped(&r.id)),
                "{} shows rule {}",
                c.name,
                r.id
            );
            for &p in &r.cites {
                let href = escaped(&format!("/law/provisions/{}", encode(&kb.provisions[p].id)));
                assert!(
                    html.contains(&href),
                    "{} cites {}",
                    c.name,
                    kb.provisions[p].id
                );
            }
        }
    }
    let index = site.ok("/law/concepts").await;
    for c in &kb.concepts {
        let href = escaped(&format!("/law/concepts/{}", encode(&c.name)));
        assert!(index.contains(&href), "the list has {}", c.name);
    }
    let doctrines = site.ok("/law/doctrines").await;
    for d in &kb.doctrines {
        assert!(doctrines.contains(&escaped(&d.id)), "{}", d.id);
    }
    let terms = site.ok("/law/terms").await;
    for t in &kb.terms {
        assert!(terms.contains(&escaped(&t.term.en)), "{}", t.id);
    }
}

#[tokio::test]
async fn unknown_ids_are_not_found() {
    let site = site("law-unknown").await;
    for path in [
        "/law/instruments/no-such-instrument",
        "/law/provisions/no-such-instrument/art-1",
        "/law/provisions/un-tip-protocol",
        "/law/concepts/no_such_concept",
        "/law/instruments/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    ] {
        for lang in Localizer::languages() {
            let page = site.get(path, lang).await;
            assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
            assert!(
                page.html.contains(&format!("<html lang=\"{lang}\">")),
                "{path}"
            );
            let nothing = Localizer::new(lang).unwrap().text("error-not-found", &[]);
            assert!(
                page.html.contains(&escaped(&nothing)),
                "{path}: {}",
                page.html
            );
            assert!(!page.html.contains("<script>alert"), "{path} is escaped");
        }
    }
}

#[tokio::test]
async fn every_page_is_in_the_language_asked_for() {
    let site = site("law-languages").await;
    let kb = kb();
    for lang in Localizer::languages() {
        let title = escaped(&Localizer::new(lang).unwrap().text("law-title", &[]));
        for path in all_paths(kb) {
            let page = site.get(&path, lang).await;
            assert_eq!(page.status, StatusCode::OK, "{lang} {path}");
            assert!(
                page.html.contains(&format!("<html lang=\"{lang}\">")),
                "{lang} {path}"
            );
            assert!(
                !page.html.contains('⟨'),
                "{lang} {path}: a message is missing"
            );
            // The way back to the overview is in the page's language.
            assert!(page.html.contains(&title), "{lang} {path}");
        }
    }
}

#[tokio::test]
async fn uncertain_provisions_are_flagged_on_their_page() {
    let site = site("law-statuses").await;
    let kb = kb();
    for lang in Localizer::languages() {
        let words = Localizer::new(lang).unwrap();
        for p in kb
            .provisions
            .iter()
            .filter(|p| p.status != Status::Verified)
        {
            let path = format!("/law/provisions/{}", encode(&p.id));
            let html = site.get(&path, lang).await.html;
            let caution = words.text(&format!("law-status-{}-help", p.status.name()), &[]);
            assert!(
                html.contains("<p class=\"note\" role=\"note\">"),
                "{lang} {}",
                p.id
            );
            assert!(html.contains(&escaped(&caution)), "{lang} {}", p.id);
        }
    }
    // The overview explains every status.
    let overview = site.ok("/law").await;
    for status in Status::ALL {
        assert!(overview.contains(&format!("status-{}", status.name())));
    }
}

#[tokio::test]
async fn what_the_knowledge_base_says_is_escaped_and_marked_when_in_english() {
    let hostile = "<script>alert(\"x\")</script> & 'co'";
    let mut law = kb().clone();
    let pid = law.rules[0].cites[0];
    let concept = law.rules[0].concept;
    {
        let p = &mut law.provisions[pid];
        p.label.en = hostile.to_owned();
        p.label.ru = None;
        p.label.tg = None;
        p.text = Some(hostile.to_owned());
        p.note = Some(hostile.to_owned());
    }
    law.concepts[concept].label.en = hostile.to_owned();
    law.concepts[concept].label.ru = None;
    law.concepts[concept].label.tg = None;
    let law: &'static KnowledgeBase = Box::leak(Box::new(law));
    let site = site_over("law-escaped", law).await;
    let p = &law.provisions[pid];
    for path in [
        format!("/law/provisions/{}", encode(&p.id)),
        format!("/law/instruments/{}", encode(&p.instrument)),
        format!("/law/concepts/{}", encode(&law.concepts[concept].name)),
        "/law/concepts".to_owned(),
    ] {
        for lang in Localizer::languages() {
            let page = site.get(&path, lang).await;
            assert_eq!(page.status, StatusCode::OK, "{path}");
            assert!(
                !page.html.contains("<script>"),
                "{lang} {path}: not escaped"
            );
            assert!(page.html.contains(&escaped(hostile)), "{lang} {path}");
        }
        // A label the knowledge base has only in English says so on a Russian page.
        let ru = site.get(&path, "ru").await.html;
        assert!(
            ru.contains(&format!("<span lang=\"en\">{}</span>", escaped(hostile))),
            "{path}"
        );
    }
}

#[tokio::test]
async fn every_quotation_says_its_language_and_a_rendering_is_marked_as_ours() {
    let site = site("law-languages").await;
    let kb = kb();
    let foreign: Vec<_> = kb
        .provisions
        .iter()
        .filter(|p| p.language != "en")
        .collect();
    assert!(
        !foreign.is_empty(),
        "the law quotes texts in other languages"
    );
    for lang in Localizer::languages() {
        let words = Localizer::new(lang).unwrap();
        for p in foreign.iter().copied().chain(kb.provisions.iter().take(3)) {
            if p.text.is_none() || p.text_kind == delimit_law::TextKind::Absent {
                continue;
            }
            let html = site
                .get(&format!("/law/provisions/{}", encode(&p.id)), lang)
                .await
                .html;
            let name = words.text(&format!("law-language-{}", p.language), &[]);
            let said = words.text(
                "law-text-language",
                &[("language", delimit_i18n::Arg::Text(&name))],
            );
            assert!(html.contains(&escaped(&said)), "{lang} {}: {said}", p.id);
            if p.language != "en" && p.language != *lang {
                assert!(
                    html.contains(&format!("<p lang=\"{}\">", p.language)),
                    "{lang} {}: the quotation is marked with its language",
                    p.id
                );
            }
            if let Some(t) = &p.translation {
                assert!(html.contains(&escaped(t)), "{lang} {}", p.id);
                let note = words.text("law-translation-note", &[]);
                assert!(html.contains(&escaped(&note)), "{lang} {}", p.id);
            }
        }
    }
}

#[tokio::test]
async fn the_overview_shows_how_much_was_read_and_each_instruments_weakest_status() {
    let site = site("law-verification").await;
    let kb = kb();
    let report = delimit_law::verification::report(kb);
    for lang in Localizer::languages() {
        let words = Localizer::new(lang).unwrap();
        let html = site.get("/law", lang).await.html;
        let share = words.text(
            "law-verified-share",
            &[(
                "percent",
                delimit_i18n::Arg::Number(report.provisions.verified_percent() as f64),
            )],
        );
        assert!(html.contains(&escaped(&share)), "{lang}: {share}");
        assert!(html.contains("id=\"rules-by-basis\""), "{lang}");
    }
    // An instrument whose provisions are weaker than its own status shows the weaker one.
    let weaker = report
        .instruments
        .iter()
        .find(|i| i.status != i.instrument.status)
        .expect("some instrument's provisions are weaker than its dates");
    let html = site
        .ok(&format!(
            "/law/instruments/{}",
            encode(&weaker.instrument.id)
        ))
        .await;
    let dd = &html[html.find("<dd>").unwrap()..];
    let first_badge = &dd[dd.find("status-").unwrap()..];
    assert!(
        first_badge.starts_with(&format!("status-{}", weaker.status.name())),
        "{}: {}",
        weaker.instrument.id,
        &first_badge[..40.min(first_badge.len())]
    );
}
