//! The law browser: instruments, provisions with their text, status and dates, concepts,
//! doctrines and terminology, cross-linked to where each is used.
//!
//! Everything shown comes from the knowledge base; this module only arranges it. The law is
//! public, so the pages are readable without signing in. Texts the knowledge base keeps in
//! several languages are shown in the reader's language, falling back to English as the
//! knowledge base does; such fallbacks, and the notes written in English, carry a `lang`
//! attribute so that a screen reader pronounces them right.

use crate::page::{PageResult, Viewer, percent_encode, words};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use delimit_i18n::{Arg, Localizer};
use delimit_law::ast::{ArithOp, CmpOp, ReadingKind, RuleKind};
use delimit_law::verification;
use delimit_law::{
    ConceptId, ConceptKind, Expr, ExprKind, FactId, KnowledgeBase, Provision, Rule, Status,
    TextKind, Texts,
};
use delimit_server::AppState;
use jiff::civil::Date;
use serde::Serialize;

/// This module's templates, by name.
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "law_macros.html",
        include_str!("../templates/law_macros.html"),
    ),
    ("law.html", include_str!("../templates/law.html")),
    (
        "law_instrument.html",
        include_str!("../templates/law_instrument.html"),
    ),
    (
        "law_provision.html",
        include_str!("../templates/law_provision.html"),
    ),
    (
        "law_concepts.html",
        include_str!("../templates/law_concepts.html"),
    ),
    (
        "law_concept.html",
        include_str!("../templates/law_concept.html"),
    ),
    (
        "law_doctrines.html",
        include_str!("../templates/law_doctrines.html"),
    ),
    (
        "law_terms.html",
        include_str!("../templates/law_terms.html"),
    ),
    (
        "law_sources.html",
        include_str!("../templates/law_sources.html"),
    ),
];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/law", get(index))
        .route("/law/instruments/{id}", get(instrument))
        .route("/law/provisions/{*id}", get(provision))
        .route("/law/concepts", get(concepts))
        .route("/law/concepts/{name}", get(concept))
        .route("/law/doctrines", get(doctrines))
        .route("/law/terms", get(terms))
        .route("/law/sources", get(sources))
}

// ---------------------------------------------------------------------------------------------
// Links and texts as the templates show them.

fn instrument_href(id: &str) -> String {
    format!("/law/instruments/{}", percent_encode(id))
}

fn provision_href(id: &str) -> String {
    format!("/law/provisions/{}", percent_encode(id))
}

fn concept_href(name: &str) -> String {
    format!("/law/concepts/{}", percent_encode(name))
}

/// The anchor of an entry on a list page: ids may hold `/` and `.`, which anchors avoid.
fn anchor(prefix: &str, id: &str) -> String {
    let safe: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("{prefix}-{safe}")
}

fn doctrine_href(id: &str) -> String {
    format!("/law/doctrines#{}", anchor("doctrine", id))
}

fn source_href(id: &str) -> String {
    format!("/law/sources#{}", anchor("source", id))
}

fn term_href(id: &str) -> String {
    format!("/law/terms#{}", anchor("term", id))
}

/// A text with the language it is written in, when that is not the page's.
#[derive(Serialize)]
struct Local<'k> {
    text: &'k str,
    lang: Option<&'k str>,
}

/// A multilingual text of the knowledge base in the reader's language, or in English.
fn local<'k>(texts: &'k Texts, lang: &'static str) -> Local<'k> {
    Local {
        text: texts.get(lang),
        lang: (lang != "en" && !texts.has(lang)).then_some("en"),
    }
}

/// A text the law files write in English only: notes, sources, headings.
fn english<'k>(text: &'k str, lang: &'static str) -> Local<'k> {
    Local {
        text,
        lang: (lang != "en").then_some("en"),
    }
}

/// The words of an instrument, in whatever language it was quoted. The knowledge base does not
/// record that language, so the script tells: Tajik has letters Russian lacks.
fn quotation<'k>(text: &'k str, lang: &'static str) -> Local<'k> {
    let written_in = script_language(text);
    Local {
        text,
        lang: (written_in != lang).then_some(written_in),
    }
}

/// The language a text in English, Russian or Tajik is written in, told by its letters.
fn script_language(text: &str) -> &'static str {
    const TAJIK_ONLY: [char; 6] = ['ғ', 'ӣ', 'қ', 'ӯ', 'ҳ', 'ҷ'];
    let cyrillic = |c: char| ('\u{0400}'..='\u{04FF}').contains(&c);
    if text.contains(TAJIK_ONLY) {
        "tg"
    } else if text.chars().any(cyrillic) {
        "ru"
    } else {
        "en"
    }
}

fn date(d: Option<Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

/// A provision or a source as cited, with its status so that an uncertain one is flagged
/// wherever it is cited.
#[derive(Serialize)]
struct Cite<'k> {
    id: &'k str,
    href: Option<String>,
    title: Local<'k>,
    status: Option<&'static str>,
}

fn cite<'k>(kb: &'k KnowledgeBase, id: &'k str, lang: &'static str) -> Cite<'k> {
    if let Some(p) = kb.provision(id) {
        let p = &kb.provisions[p];
        return Cite {
            id,
            href: Some(provision_href(id)),
            title: local(&p.label, lang),
            status: Some(p.status.name()),
        };
    }
    match kb.sources.iter().find(|s| s.id == id) {
        Some(s) => Cite {
            id,
            href: Some(source_href(id)),
            title: english(&s.citation, lang),
            status: Some(s.status.name()),
        },
        // The checker refuses unknown citations; shown plainly should one slip through.
        None => Cite {
            id,
            href: None,
            title: Local {
                text: id,
                lang: None,
            },
            status: None,
        },
    }
}

fn cites<'k>(kb: &'k KnowledgeBase, ids: &'k [String], lang: &'static str) -> Vec<Cite<'k>> {
    ids.iter().map(|id| cite(kb, id, lang)).collect()
}

#[derive(Serialize)]
struct ConceptLink<'k> {
    name: &'k str,
    href: String,
    label: Local<'k>,
}

fn concept_link<'k>(kb: &'k KnowledgeBase, c: ConceptId, lang: &'static str) -> ConceptLink<'k> {
    let concept = &kb.concepts[c];
    ConceptLink {
        name: &concept.name,
        href: concept_href(&concept.name),
        label: local(&concept.label, lang),
    }
}

#[derive(Serialize)]
struct DoctrineLink<'k> {
    id: &'k str,
    href: String,
    label: Local<'k>,
    reform: bool,
}

fn doctrine_link<'k>(kb: &'k KnowledgeBase, d: usize, lang: &'static str) -> DoctrineLink<'k> {
    let doctrine = &kb.doctrines[d];
    DoctrineLink {
        id: &doctrine.id,
        href: doctrine_href(&doctrine.id),
        label: local(&doctrine.label, lang),
        reform: doctrine.kind == ReadingKind::Reform,
    }
}

// ---------------------------------------------------------------------------------------------
// Rules in readable form.

/// One node of a condition as the page shows it: words in the reader's language, a concept to
/// link to, and the conditions it combines.
#[derive(Serialize)]
struct Node<'k> {
    text: String,
    concept: Option<ConceptLink<'k>>,
    children: Vec<Node<'k>>,
}

impl<'k> Node<'k> {
    fn words(text: String) -> Self {
        Node {
            text,
            concept: None,
            children: Vec::new(),
        }
    }
}

/// Reads the expressions of rules aloud in one language.
struct Reader<'k> {
    kb: &'k KnowledgeBase,
    lang: &'static str,
    words: &'static Localizer,
}

impl<'k> Reader<'k> {
    fn new(kb: &'k KnowledgeBase, lang: &'static str) -> Self {
        Reader {
            kb,
            lang,
            words: words(lang),
        }
    }

    fn say(&self, key: &str, args: &[(&str, Arg)]) -> String {
        self.words.text(key, args)
    }

    /// What a fact is called: its label, or else the question that asks for it.
    fn subject(&self, f: FactId) -> &'k str {
        let fact = &self.kb.facts[f];
        if fact.label.has("en") {
            fact.label.get(self.lang)
        } else {
            fact.question.get(self.lang)
        }
    }

    /// A number or a date a fact gives, within a computation: a question reads there as its
    /// answer.
    fn value_of(&self, f: FactId) -> String {
        let fact = &self.kb.facts[f];
        if fact.label.has("en") {
            fact.label.get(self.lang).to_owned()
        } else {
            let question = fact.question.get(self.lang);
            self.say("law-expr-answer-to", &[("question", Arg::Text(question))])
        }
    }

    fn option(&self, f: FactId, i: usize) -> String {
        let fact = &self.kb.facts[f];
        match fact.option_labels.get(i).filter(|t| t.has("en")) {
            Some(label) => label.get(self.lang).to_owned(),
            None => fact
                .ty
                .options()
                .get(i)
                .map_or_else(String::new, |o| o.replace('_', " ")),
        }
    }

    fn node(&self, e: &Expr) -> Node<'k> {
        let kb = self.kb;
        match &e.kind {
            ExprKind::Bool(b) => Node::words(self.say(yes_no(*b), &[])),
            ExprKind::Undetermined => Node::words(self.say("law-expr-undetermined", &[])),
            ExprKind::Fact(f) => Node::words(self.say(
                "law-expr-fact-yes",
                &[("fact", Arg::Text(self.subject(*f)))],
            )),
            ExprKind::Concept(c) => Node {
                text: String::new(),
                concept: Some(concept_link(kb, *c, self.lang)),
                children: Vec::new(),
            },
            ExprKind::Is(f, i) => Node::words(self.choice("law-expr-is", *f, &[*i])),
            ExprKind::Has(f, i) => Node::words(self.choice("law-expr-has", *f, &[*i])),
            ExprKind::Not(x) => match &x.kind {
                ExprKind::Fact(f) => Node::words(
                    self.say("law-expr-fact-no", &[("fact", Arg::Text(self.subject(*f)))]),
                ),
                ExprKind::Concept(c) => Node {
                    text: self.say("law-expr-not-concept", &[]),
                    concept: Some(concept_link(kb, *c, self.lang)),
                    children: Vec::new(),
                },
                _ => self.combine("law-expr-not", &[], std::slice::from_ref(x)),
            },
            ExprKind::And(xs) => self.combine("law-expr-all", &[], xs),
            ExprKind::Or(xs) => match same_fact_options(xs) {
                // `any(set)` and `x in {..}` read best as one fact with a list of options.
                Some((f, options, several)) => {
                    let key = if several {
                        "law-expr-has-any"
                    } else {
                        "law-expr-is-one-of"
                    };
                    Node::words(self.choice(key, f, &options))
                }
                None => self.combine("law-expr-any", &[], xs),
            },
            ExprKind::AtLeast(n, xs) => {
                self.combine("law-expr-at-least", &[("count", Arg::from(*n))], xs)
            }
            _ => Node::words(self.phrase(e)),
        }
    }

    fn combine(&self, key: &str, args: &[(&str, Arg)], xs: &[Expr]) -> Node<'k> {
        Node {
            text: self.say(key, args),
            concept: None,
            children: xs.iter().map(|x| self.node(x)).collect(),
        }
    }

    fn choice(&self, key: &str, f: FactId, options: &[usize]) -> String {
        // Options may hold commas; the three languages separate such items alike.
        let options: Vec<String> = options.iter().map(|&i| self.option(f, i)).collect();
        let options = options.join("; ");
        self.say(
            key,
            &[
                ("fact", Arg::Text(self.subject(f))),
                ("options", Arg::Text(&options)),
            ],
        )
    }

    /// A number, a date or a computation, as words.
    fn phrase(&self, e: &Expr) -> String {
        match &e.kind {
            ExprKind::Number(n) => n.to_string(),
            ExprKind::Date(d) => d.to_string(),
            ExprKind::AsOf => self.say("law-expr-as-of", &[]),
            ExprKind::Fact(f) => self.value_of(*f),
            ExprKind::Concept(c) => local(&self.kb.concepts[*c].label, self.lang)
                .text
                .to_owned(),
            ExprKind::Bool(b) => self.say(yes_no(*b), &[]),
            ExprKind::Undetermined => self.say("law-expr-undetermined", &[]),
            ExprKind::Age(born, on) => self.pair("law-expr-age", born, on),
            ExprKind::Arith(op, a, b) => {
                let key = match op {
                    ArithOp::Add => "law-expr-plus",
                    ArithOp::Sub => "law-expr-minus",
                };
                self.pair(key, a, b)
            }
            ExprKind::Cmp(op, a, b) => self.pair(comparison(*op), a, b),
            // Conditions inside a computation do not type-check; the source says it best.
            _ => e.text.clone(),
        }
    }

    fn pair(&self, key: &str, left: &Expr, right: &Expr) -> String {
        let (left, right) = (self.phrase(left), self.phrase(right));
        self.say(
            key,
            &[("left", Arg::Text(&left)), ("right", Arg::Text(&right))],
        )
    }
}

fn yes_no(b: bool) -> &'static str {
    if b { "law-expr-yes" } else { "law-expr-no" }
}

fn comparison(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Lt => "law-expr-less",
        CmpOp::Le => "law-expr-at-most",
        CmpOp::Gt => "law-expr-more",
        CmpOp::Ge => "law-expr-at-least-value",
        CmpOp::Eq => "law-expr-equal",
        CmpOp::Ne => "law-expr-not-equal",
    }
}

/// When every alternative is an option of one choice fact: the fact, the options, and whether
/// it is a several-of fact.
fn same_fact_options(xs: &[Expr]) -> Option<(FactId, Vec<usize>, bool)> {
    let option_of = |x: &Expr| match x.kind {
        ExprKind::Is(f, i) => Some((f, i, false)),
        ExprKind::Has(f, i) => Some((f, i, true)),
        _ => None,
    };
    let (fact, _, several) = option_of(xs.first()?)?;
    let mut options = Vec::new();
    for x in xs {
        let (f, i, s) = option_of(x)?;
        if f != fact || s != several {
            return None;
        }
        options.push(i);
    }
    Some((fact, options, several))
}

#[derive(Serialize)]
struct RuleView<'k> {
    id: &'k str,
    anchor: String,
    exception: bool,
    parent: Option<&'k str>,
    over: &'k [String],
    concept: ConceptLink<'k>,
    value: Node<'k>,
    when: Option<Node<'k>>,
    from: String,
    until: Option<String>,
    doctrine: Option<DoctrineLink<'k>>,
    cites: Vec<Cite<'k>>,
    note: Option<Local<'k>>,
    origin: String,
}

fn rule_view<'k>(reader: &Reader<'k>, r: &'k Rule) -> RuleView<'k> {
    let (kb, lang) = (reader.kb, reader.lang);
    RuleView {
        id: &r.id,
        anchor: anchor("rule", &r.id),
        exception: r.kind == RuleKind::Exception,
        parent: r.parent.as_deref(),
        over: &r.over,
        concept: concept_link(kb, r.concept, lang),
        value: reader.node(&r.value),
        when: r.when.as_ref().map(|w| reader.node(w)),
        from: r.from.to_string(),
        until: date(r.until),
        doctrine: r.doctrine.map(|d| doctrine_link(kb, d, lang)),
        cites: r
            .cites
            .iter()
            .map(|&p| cite(kb, &kb.provisions[p].id, lang))
            .collect(),
        note: r.note.as_deref().map(|n| english(n, lang)),
        origin: format!("{}:{}", r.origin.file, r.origin.line),
    }
}

/// The facts and concepts a rule reads, in its value and in its condition.
fn reads(r: &Rule) -> (Vec<FactId>, Vec<ConceptId>) {
    let (mut facts, mut concepts) = (Vec::new(), Vec::new());
    for e in std::iter::once(&r.value).chain(&r.when) {
        e.facts(&mut facts);
        e.concepts(&mut concepts);
    }
    (facts, concepts)
}

/// Sorted and without repeats, so lists follow the order of the knowledge base.
fn distinct(mut ids: Vec<usize>) -> Vec<usize> {
    ids.sort_unstable();
    ids.dedup();
    ids
}

// ---------------------------------------------------------------------------------------------
// The overview.

#[derive(Serialize)]
struct InstrumentRow<'k> {
    id: &'k str,
    href: String,
    title: Local<'k>,
    /// The kind as a Fluent selector key: words joined by dashes.
    kind: String,
    adopted: Option<String>,
    in_force_from: Option<String>,
    in_force_until: Option<String>,
    status: &'static str,
    provisions: usize,
    /// Provisions by status, strongest first, statuses without provisions left out.
    by_status: Vec<(&'static str, usize)>,
    verified_percent: usize,
}

#[derive(Serialize)]
struct Group<'k> {
    jurisdiction: &'k str,
    instruments: Vec<InstrumentRow<'k>>,
}

#[derive(Serialize)]
struct StatusRow {
    status: &'static str,
    provisions: usize,
    sources: usize,
}

/// International law first, scholarship and other readings of the law last, national law
/// between.
fn group_rank(jurisdiction: &str) -> u8 {
    match jurisdiction {
        "international" => 0,
        "doctrine" => 2,
        _ => 1,
    }
}

fn selector_key(word: &str) -> String {
    word.split_whitespace().collect::<Vec<_>>().join("-")
}

async fn index(State(s): State<AppState>, v: Viewer) -> PageResult {
    let kb = s.kb;
    let report = verification::report(kb);
    let mut groups: Vec<Group> = Vec::new();
    for (i, counted) in kb.instruments.iter().zip(&report.instruments) {
        let row = InstrumentRow {
            id: &i.id,
            href: instrument_href(&i.id),
            title: local(&i.title, v.lang),
            kind: selector_key(&i.kind),
            adopted: date(i.adopted),
            in_force_from: date(i.in_force_from),
            in_force_until: date(i.in_force_until),
            status: counted.status.name(),
            provisions: counted.provisions.total(),
            by_status: by_status(&counted.provisions),
            verified_percent: counted.provisions.verified_percent(),
        };
        match groups.iter_mut().find(|g| g.jurisdiction == i.jurisdiction) {
            Some(g) => g.instruments.push(row),
            None => groups.push(Group {
                jurisdiction: &i.jurisdiction,
                instruments: vec![row],
            }),
        }
    }
    groups.sort_by_key(|g| (group_rank(g.jurisdiction), g.jurisdiction));
    let statuses: Vec<StatusRow> = Status::ALL
        .iter()
        .map(|&st| StatusRow {
            status: st.name(),
            provisions: kb.provisions.iter().filter(|p| p.status == st).count(),
            sources: kb.sources.iter().filter(|x| x.status == st).count(),
        })
        .collect();
    let basis: Vec<(&str, usize)> = Status::ALL
        .iter()
        .map(|&st| (st.name(), report.rules_by_basis[st as usize].len()))
        .collect();
    let counts = [
        ("instruments", kb.instruments.len()),
        ("provisions", kb.provisions.len()),
        ("sources", kb.sources.len()),
        ("facts", kb.facts.len()),
        ("concepts", kb.concepts.len()),
        ("rules", kb.rules.len()),
        ("doctrines", kb.doctrines.len()),
        ("terms", kb.terms.len()),
    ];
    v.render(
        &s,
        "law.html",
        minijinja::context! {
            hash => kb.hash,
            counts => counts,
            statuses => statuses,
            verified_percent => report.provisions.verified_percent(),
            basis => basis,
            groups => groups,
        },
    )
}

fn by_status(counts: &verification::Counts) -> Vec<(&'static str, usize)> {
    Status::ALL
        .into_iter()
        .filter(|&st| counts.get(st) > 0)
        .map(|st| (st.name(), counts.get(st)))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Instruments and provisions.

#[derive(Serialize)]
struct ProvisionView<'k> {
    id: &'k str,
    href: String,
    anchor: String,
    article: &'k str,
    heading: Local<'k>,
    label: Local<'k>,
    status: &'static str,
    in_force_from: Option<String>,
    in_force_until: Option<String>,
    /// `quoted`, `paraphrase` or `absent`.
    text_kind: &'static str,
    paragraphs: Vec<Local<'k>>,
    /// The language of the quotation, in the page's words.
    language: String,
    /// delimit's English rendering of a quotation in another language.
    translation: Option<Local<'k>>,
    source: Local<'k>,
    refs: Vec<Cite<'k>>,
    note: Option<Local<'k>>,
    origin: String,
}

fn provision_view<'k>(
    kb: &'k KnowledgeBase,
    p: &'k Provision,
    lang: &'static str,
) -> ProvisionView<'k> {
    let text_kind = match (&p.text, p.text_kind) {
        (None, _) | (_, TextKind::Absent) => "absent",
        (Some(_), TextKind::Paraphrase) => "paraphrase",
        (Some(_), TextKind::Quoted) => "quoted",
    };
    // A language the file declares wins over the script's guess (French and Spanish look
    // like English to it).
    let declared = (p.language != "en").then_some(p.language.as_str());
    let paragraphs: Vec<Local> = match text_kind {
        "absent" => Vec::new(),
        _ => p
            .text
            .iter()
            .flat_map(|t| t.split("\n\n"))
            .map(|para| match declared {
                Some(code) => Local {
                    text: para,
                    lang: (code != lang).then_some(code),
                },
                None => quotation(para, lang),
            })
            .collect(),
    };
    let code = declared.unwrap_or_else(|| p.text.as_deref().map_or("en", script_language));
    let words = words(lang);
    let key = format!("law-language-{code}");
    let language = if words.has(&key) {
        words.text(&key, &[])
    } else {
        code.to_owned()
    };
    ProvisionView {
        id: &p.id,
        href: provision_href(&p.id),
        anchor: anchor("provision", &p.id),
        article: &p.article,
        heading: english(&p.heading, lang),
        label: local(&p.label, lang),
        status: p.status.name(),
        in_force_from: date(p.in_force_from),
        in_force_until: date(p.in_force_until),
        text_kind,
        paragraphs,
        language,
        translation: p.translation.as_deref().map(|t| english(t, lang)),
        source: english(&p.source, lang),
        refs: cites(kb, &p.refs, lang),
        note: p.note.as_deref().map(|n| english(n, lang)),
        origin: format!("{}:{}", p.origin.file, p.origin.line),
    }
}

async fn instrument(State(s): State<AppState>, v: Viewer, Path(id): Path<String>) -> PageResult {
    let kb = s.kb;
    let Some(i) = kb.instruments.iter().find(|i| i.id == id) else {
        return Err(v.error(StatusCode::NOT_FOUND, "error-not-found", id));
    };
    let provisions: Vec<ProvisionView> = kb
        .provisions
        .iter()
        .filter(|p| p.instrument == i.id)
        .map(|p| provision_view(kb, p, v.lang))
        .collect();
    let mut counts = verification::Counts::default();
    for p in kb.provisions.iter().filter(|p| p.instrument == i.id) {
        counts.add(p.status);
    }
    v.render(
        &s,
        "law_instrument.html",
        minijinja::context! {
            instrument => minijinja::context! {
                id => i.id,
                title => local(&i.title, v.lang),
                jurisdiction => i.jurisdiction,
                kind => selector_key(&i.kind),
                adopted => date(i.adopted),
                in_force_from => date(i.in_force_from),
                in_force_until => date(i.in_force_until),
                status => verification::instrument_status(kb, i).name(),
                own_status => i.status.name(),
                by_status => by_status(&counts),
                source => english(&i.source, v.lang),
                note => i.note.as_deref().map(|n| english(n, v.lang)),
            },
            provisions => provisions,
        },
    )
}

#[derive(Serialize)]
struct FactView<'k> {
    name: &'k str,
    question: Local<'k>,
}

#[derive(Serialize)]
struct TermUse<'k> {
    href: String,
    term: Local<'k>,
    /// `defines`, `synonyms` or `distinct`: what the provision says of the term.
    role: &'static str,
}

async fn provision(State(s): State<AppState>, v: Viewer, Path(id): Path<String>) -> PageResult {
    let kb = s.kb;
    let Some(pid) = kb.provision(&id) else {
        return Err(v.error(StatusCode::NOT_FOUND, "error-not-found", id));
    };
    let p = &kb.provisions[pid];
    let reader = Reader::new(kb, v.lang);
    let mut citing: Vec<&Rule> = kb.rules.iter().filter(|r| r.cites.contains(&pid)).collect();
    // The law in force first, then the readings that depart from it.
    citing.sort_by_key(|r| r.doctrine.is_some());
    let mut facts = Vec::new();
    for r in &citing {
        facts.extend(reads(r).0);
    }
    let facts: Vec<FactView> = distinct(facts)
        .into_iter()
        .map(|f| FactView {
            name: &kb.facts[f].name,
            question: local(&kb.facts[f].question, v.lang),
        })
        .collect();
    let concepts: Vec<ConceptLink> = distinct(citing.iter().map(|r| r.concept).collect())
        .into_iter()
        .map(|c| concept_link(kb, c, v.lang))
        .collect();
    let doctrines: Vec<DoctrineLink> = (0..kb.doctrines.len())
        .filter(|&d| kb.doctrines[d].cites.contains(&p.id))
        .map(|d| doctrine_link(kb, d, v.lang))
        .collect();
    let mut terms = Vec::new();
    for t in &kb.terms {
        for (role, list) in [
            ("defines", &t.defined_by),
            ("synonyms", &t.synonyms_per),
            ("distinct", &t.distinct_per),
        ] {
            if list.contains(&p.id) {
                terms.push(TermUse {
                    href: term_href(&t.id),
                    term: local(&t.term, v.lang),
                    role,
                });
            }
        }
    }
    let referred_by: Vec<Cite> = kb
        .provisions
        .iter()
        .filter(|other| other.refs.contains(&p.id))
        .map(|other| cite(kb, &other.id, v.lang))
        .collect();
    let instrument = kb.instruments.iter().find(|i| i.id == p.instrument);
    v.render(
        &s,
        "law_provision.html",
        minijinja::context! {
            provision => provision_view(kb, p, v.lang),
            instrument => instrument.map(|i| minijinja::context! {
                href => instrument_href(&i.id),
                title => local(&i.title, v.lang),
            }),
            rules => citing.iter().map(|r| rule_view(&reader, r)).collect::<Vec<_>>(),
            concepts => concepts,
            facts => facts,
            doctrines => doctrines,
            terms => terms,
            referred_by => referred_by,
        },
    )
}

// ---------------------------------------------------------------------------------------------
// Concepts.

/// Status, offence and consequence say what a case comes to; elements build them.
const KIND_ORDER: [ConceptKind; 4] = [
    ConceptKind::Status,
    ConceptKind::Offence,
    ConceptKind::Consequence,
    ConceptKind::Element,
];

#[derive(Serialize)]
struct ConceptRow<'k> {
    link: ConceptLink<'k>,
    kinds: Vec<&'static str>,
    rules: usize,
    readings: usize,
}

async fn concepts(State(s): State<AppState>, v: Viewer) -> PageResult {
    let kb = s.kb;
    let row = |c: ConceptId| {
        let rules = || kb.rules.iter().filter(move |r| r.concept == c);
        ConceptRow {
            link: concept_link(kb, c, v.lang),
            kinds: kb.concepts[c].kinds.iter().map(|k| k.name()).collect(),
            rules: rules().filter(|r| r.doctrine.is_none()).count(),
            readings: rules().filter(|r| r.doctrine.is_some()).count(),
        }
    };
    let groups: Vec<_> = KIND_ORDER
        .iter()
        .map(|&kind| {
            let rows: Vec<ConceptRow> = (0..kb.concepts.len())
                .filter(|&c| kb.concepts[c].kinds.contains(&kind))
                .map(row)
                .collect();
            minijinja::context! { kind => kind.name(), concepts => rows }
        })
        .collect();
    v.render(
        &s,
        "law_concepts.html",
        minijinja::context! { groups => groups },
    )
}

async fn concept(State(s): State<AppState>, v: Viewer, Path(name): Path<String>) -> PageResult {
    let kb = s.kb;
    let Some(cid) = kb.concept(&name) else {
        return Err(v.error(StatusCode::NOT_FOUND, "error-not-found", name));
    };
    let c = &kb.concepts[cid];
    let reader = Reader::new(kb, v.lang);
    let deciding: Vec<&Rule> = kb.rules.iter().filter(|r| r.concept == cid).collect();
    let (in_force, under_readings): (Vec<&Rule>, Vec<&Rule>) =
        deciding.iter().copied().partition(|r| r.doctrine.is_none());
    let readings: Vec<DoctrineLink> =
        distinct(deciding.iter().filter_map(|r| r.doctrine).collect())
            .into_iter()
            .map(|d| doctrine_link(kb, d, v.lang))
            .collect();
    let mut provisions = Vec::new();
    for r in &deciding {
        provisions.extend(r.cites.iter().copied());
    }
    let provisions: Vec<Cite> = distinct(provisions)
        .into_iter()
        .map(|p| cite(kb, &kb.provisions[p].id, v.lang))
        .collect();
    let used_in: Vec<ConceptLink> = distinct(
        kb.rules
            .iter()
            .filter(|r| r.concept != cid && reads(r).1.contains(&cid))
            .map(|r| r.concept)
            .collect(),
    )
    .into_iter()
    .map(|other| concept_link(kb, other, v.lang))
    .collect();
    let terms: Vec<_> = kb
        .terms
        .iter()
        .filter(|t| t.concept.as_deref() == Some(c.name.as_str()))
        .map(|t| minijinja::context! { href => term_href(&t.id), term => local(&t.term, v.lang) })
        .collect();
    let views = |rules: &[&'static Rule]| -> Vec<RuleView> {
        rules.iter().map(|r| rule_view(&reader, r)).collect()
    };
    v.render(
        &s,
        "law_concept.html",
        minijinja::context! {
            concept => minijinja::context! {
                name => c.name,
                label => local(&c.label, v.lang),
                kinds => c.kinds.iter().map(|k| k.name()).collect::<Vec<_>>(),
            },
            rules => views(&in_force),
            reading_rules => views(&under_readings),
            readings => readings,
            provisions => provisions,
            used_in => used_in,
            terms => terms,
        },
    )
}

// ---------------------------------------------------------------------------------------------
// Doctrines, terminology, sources.

async fn doctrines(State(s): State<AppState>, v: Viewer) -> PageResult {
    let kb = s.kb;
    let reader = Reader::new(kb, v.lang);
    let entries: Vec<_> = kb
        .doctrines
        .iter()
        .enumerate()
        .map(|(d, doctrine)| {
            let rules: Vec<RuleView> = kb
                .rules
                .iter()
                .filter(|r| r.doctrine == Some(d))
                .map(|r| rule_view(&reader, r))
                .collect();
            minijinja::context! {
                id => doctrine.id,
                anchor => anchor("doctrine", &doctrine.id),
                label => local(&doctrine.label, v.lang),
                reform => doctrine.kind == ReadingKind::Reform,
                cites => cites(kb, &doctrine.cites, v.lang),
                note => doctrine.note.as_deref().map(|n| english(n, v.lang)),
                rules => rules,
            }
        })
        .collect();
    v.render(
        &s,
        "law_doctrines.html",
        minijinja::context! { doctrines => entries },
    )
}

async fn terms(State(s): State<AppState>, v: Viewer) -> PageResult {
    let kb = s.kb;
    let entries: Vec<_> = kb
        .terms
        .iter()
        .map(|t| {
            let synonyms: Vec<_> = t
                .synonyms
                .iter()
                .map(|other| {
                    let known = kb.terms.iter().find(|x| &x.id == other);
                    minijinja::context! {
                        href => known.map(|_| term_href(other)),
                        term => known.map_or(Local { text: other, lang: None }, |x| local(&x.term, v.lang)),
                    }
                })
                .collect();
            // The term in each language, so that a reader finds the word a source uses.
            let forms: Vec<_> = ["en", "ru", "tg"]
                .into_iter()
                .filter(|l| t.term.has(l))
                .map(|l| minijinja::context! { lang => l, text => t.term.get(l) })
                .collect();
            minijinja::context! {
                id => t.id,
                anchor => anchor("term", &t.id),
                term => local(&t.term, v.lang),
                forms => forms,
                defined_by => cites(kb, &t.defined_by, v.lang),
                synonyms => synonyms,
                synonyms_per => cites(kb, &t.synonyms_per, v.lang),
                distinct_per => cites(kb, &t.distinct_per, v.lang),
                concept => t.concept.as_deref().and_then(|n| kb.concept(n)).map(|c| concept_link(kb, c, v.lang)),
                note => t.note.as_deref().map(|n| english(n, v.lang)),
            }
        })
        .collect();
    v.render(
        &s,
        "law_terms.html",
        minijinja::context! { terms => entries },
    )
}

async fn sources(State(s): State<AppState>, v: Viewer) -> PageResult {
    let kb = s.kb;
    let entries: Vec<_> = kb
        .sources
        .iter()
        .map(|src| {
            let provisions: Vec<Cite> = kb
                .provisions
                .iter()
                .filter(|p| p.refs.contains(&src.id))
                .map(|p| cite(kb, &p.id, v.lang))
                .collect();
            let doctrines: Vec<DoctrineLink> = (0..kb.doctrines.len())
                .filter(|&d| kb.doctrines[d].cites.contains(&src.id))
                .map(|d| doctrine_link(kb, d, v.lang))
                .collect();
            minijinja::context! {
                id => src.id,
                anchor => anchor("source", &src.id),
                citation => english(&src.citation, v.lang),
                status => src.status.name(),
                note => src.note.as_deref().map(|n| english(n, v.lang)),
                provisions => provisions,
                doctrines => doctrines,
            }
        })
        .collect();
    v.render(
        &s,
        "law_sources.html",
        minijinja::context! { sources => entries },
    )
}
