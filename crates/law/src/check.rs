//! From literate files to a checked [`KnowledgeBase`]: every problem is collected and
//! reported together, each with its file, line and column.

use crate::ast::{self, CmpOp, ExprKind as A, RuleKind};
use crate::diag::{Diagnostic, FileId, Sources, Span};
use crate::kb::*;
use crate::lexer::lex;
use crate::limits::{MAX_CONFLICT_ASSIGNMENTS, MAX_DIAGNOSTICS, MAX_SUGGESTION_COMPARISONS};
use crate::literate::{BlockKind, Entry, Piece, entries, pieces};
use crate::parse::{LANGUAGES, RESERVED, parse_block};
use jiff::civil::Date;
use sha2::{Digest, Sha256};
use std::cell::Cell;
use std::collections::{HashMap, HashSet};

/// A law file as read from disk or from the bundled copy.
#[derive(Clone, Debug)]
pub struct LawFile {
    /// Path relative to the law folder, with `/` separators.
    pub name: String,
    pub text: String,
}

/// The outcome of compiling law files: the knowledge base if there was no error,
/// every diagnostic, and the sources they point into.
pub struct Compiled {
    pub sources: Sources,
    pub kb: Option<KnowledgeBase>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Compiled {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

#[derive(Default)]
struct Collected {
    instruments: Vec<(Instrument, Span)>,
    provisions: Vec<(Provision, Span)>,
    sources: Vec<(Source, Span)>,
    items: Vec<ast::Item>,
    /// Provision references to bibliography entries, checked once all are known.
    refs: Vec<(String, Span)>,
    terms: Vec<Term>,
    figures: Vec<Figure>,
    patterns: Vec<Pattern>,
    /// References from terms and figures, checked once all are known: (id, what it must be, where).
    links: Vec<(String, Link, Span)>,
}

/// What a reference from a term or a figure must point at.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Link {
    Provision,
    ProvisionOrSource,
    Source,
    Term,
    Concept,
    Fact,
}

thread_local! {
    /// Comparisons of names that "did you mean" notes may still make in this compilation.
    static COMPARISONS: Cell<usize> = const { Cell::new(0) };
}

/// A "did you mean" note, within [`MAX_SUGGESTION_COMPARISONS`] for the whole compilation:
/// each compares the wrong name with every candidate, which in a file of many unknown names
/// and many declared ones would take time in the square of its size. Beyond the budget the
/// note is left out; the error itself never is.
fn did_you_mean<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let left = COMPARISONS.get();
    if left == 0 {
        return None;
    }
    let candidates: Vec<&str> = candidates.into_iter().take(left + 1).collect();
    if candidates.len() > left {
        COMPARISONS.set(0);
        return None;
    }
    COMPARISONS.set(left - candidates.len());
    crate::diag::did_you_mean(wrong, candidates)
}

/// Compiles law files into a knowledge base.
pub fn compile(files: &[LawFile]) -> Compiled {
    COMPARISONS.set(MAX_SUGGESTION_COMPARISONS);
    let mut sorted: Vec<&LawFile> = files.iter().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    let mut sources = Sources::new();
    let mut diagnostics = Vec::new();
    let mut collected = Collected::default();
    let mut hasher = Sha256::new();
    let mut total = 0usize;
    for (i, f) in sorted.iter().enumerate() {
        hasher.update(f.name.as_bytes());
        hasher.update([0]);
        hasher.update(f.text.as_bytes());
        hasher.update([0]);
        total = total.saturating_add(f.text.len());
        if let Some(d) = too_much(i, f, total, sorted.len()) {
            // Refused whole, and not kept: a diagnostic at its name says why.
            let file = sources.add(f.name.clone(), String::new());
            let stop = d.0 != "L003";
            diagnostics.push(
                Diagnostic::error(d.0, Span::new(file, 0, 0), d.1)
                    .with_label("not read")
                    .with_note(d.2),
            );
            if stop {
                break;
            }
            continue;
        }
        let file = sources.add(f.name.clone(), f.text.clone());
        read_file(&sources, file, &mut collected, &mut diagnostics);
        if diagnostics.len() > MAX_DIAGNOSTICS && i + 1 < sorted.len() {
            let next = sorted[i + 1];
            let file = sources.add(next.name.clone(), String::new());
            let rest = sorted.len() - i - 2;
            diagnostics.push(
                Diagnostic::error(
                    "L006",
                    Span::new(file, 0, 0),
                    format!(
                        "more than {MAX_DIAGNOSTICS} problems in the files before: {}",
                        match rest {
                            0 => "this file is not read".to_string(),
                            1 => "this file and the one after it are not read".to_string(),
                            n => format!("this file and the {n} after it are not read"),
                        }
                    ),
                )
                .with_label("not read")
                .with_note("mend the problems reported, then check again"),
            );
            break;
        }
    }
    let hash = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>();
    let kb = build(&sources, collected, hash, &mut diagnostics);
    diagnostics.sort_by_key(|d| (d.span.file, d.span.start));
    let kb = if diagnostics.iter().any(|d| d.is_error()) {
        None
    } else {
        Some(kb)
    };
    Compiled {
        sources,
        kb,
        diagnostics,
    }
}

/// Whether file `i` of `n`, with `total` bytes read up to and with it, is beyond a limit of
/// [`crate::limits`]: the code, the message and a note on what to do.
fn too_much(
    i: usize,
    f: &LawFile,
    total: usize,
    n: usize,
) -> Option<(&'static str, String, String)> {
    use crate::limits::{MAX_LAW_BYTES, MAX_LAW_FILE_BYTES, MAX_LAW_FILES, size};
    let rest = match n - i - 1 {
        0 => "this file is not read".to_string(),
        1 => "this file and the one after it are not read".to_string(),
        more => format!("this file and the {more} after it are not read"),
    };
    if i >= MAX_LAW_FILES {
        Some((
            "L004",
            format!("more than {MAX_LAW_FILES} law files: {rest}"),
            "keep the law of one knowledge base in one folder, and other files elsewhere".into(),
        ))
    } else if f.text.len() > MAX_LAW_FILE_BYTES {
        Some((
            "L003",
            format!(
                "the law file is larger than {}, the most a law file may have",
                size(MAX_LAW_FILE_BYTES)
            ),
            "split it: an instrument's provisions stay in its file, but facts, concepts, \
             rules and terms may go to files of their own (as `law/common/facts.md` does)"
                .into(),
        ))
    } else if total > MAX_LAW_BYTES {
        Some((
            "L005",
            format!(
                "the law files come to more than {} with this one: {rest}",
                size(MAX_LAW_BYTES)
            ),
            "a knowledge base is read whole; keep other law in another folder".into(),
        ))
    } else {
        None
    }
}

fn origin(sources: &Sources, span: Span) -> Origin {
    Origin {
        file: sources.name(span.file).to_string(),
        line: sources.line_col(span.file, span.start).0,
    }
}

/// Metadata keys that each kind of block accepts.
const INSTRUMENT_KEYS: &[&str] = &[
    "id",
    "title",
    "title.ru",
    "title.tg",
    "jurisdiction",
    "kind",
    "adopted",
    "from",
    "until",
    "status",
    "source",
    "note",
];
const PROVISION_KEYS: &[&str] = &[
    "id",
    "article",
    "label",
    "label.ru",
    "label.tg",
    "from",
    "until",
    "status",
    "source",
    "text",
    "refs",
    "note",
    "language",
    "translation",
];
const SOURCE_KEYS: &[&str] = &["id", "cite", "status", "note"];
const TERM_KEYS: &[&str] = &[
    "id",
    "term",
    "term.ru",
    "term.tg",
    "defined-by",
    "synonyms",
    "synonyms-per",
    "distinct-per",
    "concept",
    "note",
];
const PATTERN_KEYS: &[&str] = &[
    "id",
    "label",
    "label.ru",
    "label.tg",
    "sentence",
    "sentence.ru",
    "sentence.tg",
    "cites",
    "requires",
    "excludes",
    "open",
    "given",
    "before",
    "journey",
    "alone",
    "note",
];
const FIGURE_KEYS: &[&str] = &[
    "id", "label", "label.ru", "label.tg", "value", "unit", "year", "source", "status", "note",
];

struct Meta<'a> {
    entries: Vec<Entry>,
    block: Span,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl Meta<'_> {
    fn new<'a>(
        content: &str,
        file: FileId,
        offset: usize,
        block: Span,
        allowed: &[&str],
        diagnostics: &'a mut Vec<Diagnostic>,
    ) -> Meta<'a> {
        let entries = entries(content, file, offset, diagnostics);
        let mut seen: HashMap<&str, Span> = HashMap::new();
        for e in &entries {
            if !allowed.contains(&e.key.as_str()) {
                let mut d =
                    Diagnostic::error("M002", e.key_span, format!("unknown key `{}`", e.key))
                        .with_label("not a metadata key here");
                if let Some(n) = did_you_mean(&e.key, allowed.iter().copied()) {
                    d = d.with_note(n);
                }
                diagnostics.push(d);
            } else if let Some(first) = seen.insert(&e.key, e.key_span) {
                diagnostics.push(
                    Diagnostic::error("M003", e.key_span, format!("`{}` is given twice", e.key))
                        .with_secondary(first, "first given here"),
                );
            }
        }
        Meta {
            entries,
            block,
            diagnostics,
        }
    }

    fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }

    fn text(&self, key: &str) -> Option<String> {
        self.get(key).map(|e| e.value.clone())
    }

    fn required(&mut self, key: &str, what: &str) -> String {
        match self.get(key) {
            Some(e) if !e.value.is_empty() => e.value.clone(),
            _ => {
                self.diagnostics.push(
                    Diagnostic::error("M004", self.block, format!("{what} has no `{key}`"))
                        .with_label(format!("`{key}:` missing in this block")),
                );
                String::new()
            }
        }
    }

    fn date(&mut self, key: &str) -> Option<Date> {
        let e = self.get(key)?;
        match e.value.parse::<Date>() {
            Ok(d) => Some(d),
            Err(err) => {
                let d =
                    Diagnostic::error("M005", e.value_span, format!("`{}` is not a date", e.value))
                        .with_label(format!("expected YYYY-MM-DD ({err})"));
                self.diagnostics.push(d);
                None
            }
        }
    }

    fn status(&mut self, what: &str) -> Status {
        let value = self.required("status", what);
        if value.is_empty() {
            return Status::Unverified;
        }
        match Status::parse(&value) {
            Some(s) => s,
            None => {
                let span = self
                    .get("status")
                    .map(|e| e.value_span)
                    .unwrap_or(self.block);
                self.diagnostics.push(
                    Diagnostic::error("M006", span, format!("unknown status `{value}`"))
                        .with_label("expected verified, secondary, seed, recalled or unverified"),
                );
                Status::Unverified
            }
        }
    }

    /// A comma-separated list, each item remembered with the value's span for checking.
    fn list(&self, key: &str, link: Link, links: &mut Vec<(String, Link, Span)>) -> Vec<String> {
        let Some(e) = self.get(key) else {
            return Vec::new();
        };
        let items: Vec<String> = e
            .value
            .split(',')
            .map(|x| x.trim().to_string())
            .filter(|x| !x.is_empty())
            .collect();
        for i in &items {
            links.push((i.clone(), link, e.value_span));
        }
        items
    }

    fn texts(&mut self, key: &str, what: &str) -> Texts {
        let texts = Texts {
            en: self.required(key, what),
            ru: self.text(&format!("{key}.ru")),
            tg: self.text(&format!("{key}.tg")),
        };
        for (lang, present) in [("ru", texts.ru.is_some()), ("tg", texts.tg.is_some())] {
            if !present {
                self.diagnostics.push(
                    Diagnostic::warning(
                        "D004",
                        self.block,
                        format!("{what} has no `{key}.{lang}`"),
                    )
                    .with_label(format!("add `{key}.{lang}: ...`")),
                );
            }
        }
        texts
    }
}

fn read_file(
    sources: &Sources,
    file: FileId,
    out: &mut Collected,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let text = sources.text(file);
    let mut heading = String::new();
    let mut instrument: Option<String> = None;
    let mut instrument_from: Option<Date> = None;
    // Index of the provision that block quotes belong to, until the next heading.
    let mut open_provision: Option<usize> = None;
    let mut open_figure: Option<usize> = None;
    let mut blocks = 0;
    for piece in pieces(text, file) {
        match piece {
            Piece::Heading { title, .. } => {
                heading = title;
                open_provision = None;
                open_figure = None;
            }
            Piece::Quote { text } => {
                if let Some(i) = open_figure {
                    out.figures[i].quote = Some(text.clone());
                }
                if let Some(i) = open_provision {
                    let p = &mut out.provisions[i].0;
                    let joined = match p.text.take() {
                        Some(prev) => format!("{prev}\n\n{text}"),
                        None => text,
                    };
                    p.text = Some(joined);
                }
            }
            Piece::Block {
                kind,
                content,
                offset,
                span,
                ..
            } => {
                blocks += 1;
                match kind {
                    BlockKind::Instrument => {
                        let mut m =
                            Meta::new(&content, file, offset, span, INSTRUMENT_KEYS, diagnostics);
                        let what = "an instrument";
                        let i = Instrument {
                            id: m.required("id", what),
                            title: m.texts("title", what),
                            jurisdiction: m.required("jurisdiction", what),
                            kind: m.required("kind", what),
                            adopted: m.date("adopted"),
                            in_force_from: m.date("from"),
                            in_force_until: m.date("until"),
                            status: m.status(what),
                            source: m.required("source", what),
                            note: m.text("note"),
                            origin: origin(sources, span),
                        };
                        if instrument.is_some() {
                            diagnostics.push(
                                Diagnostic::error(
                                    "M007",
                                    span,
                                    "a second instrument block in one file",
                                )
                                .with_label("one instrument per file"),
                            );
                        }
                        instrument = Some(i.id.clone());
                        instrument_from = i.in_force_from;
                        out.instruments.push((i, span));
                    }
                    BlockKind::Provision => {
                        let mut m =
                            Meta::new(&content, file, offset, span, PROVISION_KEYS, diagnostics);
                        let what = "a provision";
                        let text_kind = match m.text("text").as_deref() {
                            None | Some("quoted") => TextKind::Quoted,
                            Some("paraphrase") => TextKind::Paraphrase,
                            Some("absent") => TextKind::Absent,
                            Some(other) => {
                                let s = m.get("text").map(|e| e.value_span).unwrap_or(span);
                                m.diagnostics.push(
                                    Diagnostic::error(
                                        "M008",
                                        s,
                                        format!("unknown text kind `{other}`"),
                                    )
                                    .with_label("expected quoted, paraphrase or absent"),
                                );
                                TextKind::Absent
                            }
                        };
                        let refs: Vec<String> = m
                            .text("refs")
                            .map(|r| {
                                r.split(',')
                                    .map(|s| s.trim().to_string())
                                    .filter(|s| !s.is_empty())
                                    .collect()
                            })
                            .unwrap_or_default();
                        if let Some(e) = m.get("refs") {
                            for r in &refs {
                                out.refs.push((r.clone(), e.value_span));
                            }
                        }
                        let language = m.text("language").unwrap_or_else(|| "en".into());
                        if language.len() != 2 || !language.bytes().all(|b| b.is_ascii_lowercase())
                        {
                            let s = m.get("language").map(|e| e.value_span).unwrap_or(span);
                            m.diagnostics.push(
                                Diagnostic::error(
                                    "M015",
                                    s,
                                    format!("`{language}` is not a language code"),
                                )
                                .with_label("write the two-letter code of the text's language: en, ru, tg, fr, es"),
                            );
                        }
                        let translation = m.text("translation");
                        if language != "en"
                            && text_kind == TextKind::Quoted
                            && translation.is_none()
                        {
                            m.diagnostics.push(
                                Diagnostic::warning(
                                    "M014",
                                    span,
                                    format!(
                                        "a quotation in `{language}` without an English rendering"
                                    ),
                                )
                                .with_label("add `translation:` with delimit's English rendering"),
                            );
                        }
                        let p = Provision {
                            language,
                            translation,
                            id: m.required("id", what),
                            instrument: instrument.clone().unwrap_or_default(),
                            article: m.required("article", what),
                            heading: heading.clone(),
                            label: m.texts("label", what),
                            in_force_from: m.date("from").or(instrument_from),
                            in_force_until: m.date("until"),
                            status: m.status(what),
                            source: m.required("source", what),
                            text_kind,
                            text: None,
                            refs,
                            note: m.text("note"),
                            origin: origin(sources, span),
                        };
                        if instrument.is_none() {
                            diagnostics.push(
                                Diagnostic::error(
                                    "M009",
                                    span,
                                    "a provision before any instrument block",
                                )
                                .with_label("which instrument is this provision part of?")
                                .with_note("put an ```instrument block at the top of the file"),
                            );
                        }
                        out.provisions.push((p, span));
                        open_provision = Some(out.provisions.len() - 1);
                        open_figure = None;
                    }
                    BlockKind::Source => {
                        let mut m =
                            Meta::new(&content, file, offset, span, SOURCE_KEYS, diagnostics);
                        let what = "a source";
                        let s = Source {
                            id: m.required("id", what),
                            citation: m.required("cite", what),
                            status: m.status(what),
                            note: m.text("note"),
                            origin: origin(sources, span),
                        };
                        out.sources.push((s, span));
                    }
                    BlockKind::Term => {
                        let mut m = Meta::new(&content, file, offset, span, TERM_KEYS, diagnostics);
                        let what = "a term";
                        let concept = m.text("concept");
                        if let (Some(c), Some(e)) = (&concept, m.get("concept")) {
                            out.links.push((c.clone(), Link::Concept, e.value_span));
                        }
                        let t = Term {
                            id: m.required("id", what),
                            term: m.texts("term", what),
                            defined_by: m.list("defined-by", Link::Provision, &mut out.links),
                            synonyms: m.list("synonyms", Link::Term, &mut out.links),
                            synonyms_per: m.list(
                                "synonyms-per",
                                Link::ProvisionOrSource,
                                &mut out.links,
                            ),
                            distinct_per: m.list(
                                "distinct-per",
                                Link::ProvisionOrSource,
                                &mut out.links,
                            ),
                            concept,
                            note: m.text("note"),
                            origin: origin(sources, span),
                        };
                        out.terms.push(t);
                    }
                    BlockKind::Pattern => {
                        let mut m =
                            Meta::new(&content, file, offset, span, PATTERN_KEYS, diagnostics);
                        let what = "a pattern";
                        let mut before = Vec::new();
                        if let Some(e) = m.get("before").cloned() {
                            for pair in e.value.split(',') {
                                match pair.split_once('<') {
                                    Some((a, b)) => {
                                        let (a, b) = (a.trim().to_string(), b.trim().to_string());
                                        out.links.push((a.clone(), Link::Concept, e.value_span));
                                        out.links.push((b.clone(), Link::Concept, e.value_span));
                                        before.push((a, b));
                                    }
                                    None => m.diagnostics.push(
                                        Diagnostic::error(
                                            "M012",
                                            e.value_span,
                                            format!("`{}` is not `concept < concept`", pair.trim()),
                                        )
                                        .with_label(
                                            "write `a < b`: a holds from an earlier stage than b",
                                        ),
                                    ),
                                }
                            }
                        }
                        let journey = m.text("journey");
                        if let (Some(j), Some(e)) = (&journey, m.get("journey").cloned())
                            && !["crossing", "return", "none"].contains(&j.as_str())
                        {
                            let d = Diagnostic::error(
                                "M013",
                                e.value_span,
                                format!("unknown journey `{j}`"),
                            )
                            .with_label("expected crossing, return or none");
                            m.diagnostics.push(d);
                        }
                        let alone = m.text("alone").is_some_and(|a| a == "yes" || a == "true");
                        let p = Pattern {
                            id: m.required("id", what),
                            label: m.texts("label", what),
                            sentence: m.texts("sentence", what),
                            cites: m.list("cites", Link::ProvisionOrSource, &mut out.links),
                            requires: m.list("requires", Link::Concept, &mut out.links),
                            excludes: m.list("excludes", Link::Concept, &mut out.links),
                            open: m.list("open", Link::Concept, &mut out.links),
                            given: m.list("given", Link::Fact, &mut out.links),
                            before,
                            journey,
                            alone,
                            note: m.text("note"),
                            origin: origin(sources, span),
                        };
                        if p.cites.is_empty() {
                            m.diagnostics.push(
                                Diagnostic::error(
                                    "C004",
                                    span,
                                    format!("pattern `{}` cites nothing", p.id),
                                )
                                .with_label("add `cites:`"),
                            );
                        }
                        out.patterns.push(p);
                    }
                    BlockKind::Figure => {
                        let mut m =
                            Meta::new(&content, file, offset, span, FIGURE_KEYS, diagnostics);
                        let what = "a figure";
                        let source = m.list("source", Link::Source, &mut out.links).join(", ");
                        if source.is_empty() {
                            m.required("source", what);
                        }
                        let f = Figure {
                            id: m.required("id", what),
                            label: m.texts("label", what),
                            value: m.required("value", what),
                            unit: m.text("unit").unwrap_or_default(),
                            year: m.required("year", what),
                            source,
                            status: m.status(what),
                            quote: None,
                            note: m.text("note"),
                            origin: origin(sources, span),
                        };
                        out.figures.push(f);
                        open_figure = Some(out.figures.len() - 1);
                        open_provision = None;
                    }
                    // Blocks for other readers (screening data) are not law.
                    BlockKind::Other => blocks -= 1,
                    BlockKind::Rules => {
                        let tokens = lex(&content, file, offset, diagnostics);
                        for item in parse_block(&tokens, diagnostics) {
                            out.items.push(item);
                        }
                    }
                }
            }
        }
    }
    if blocks == 0 {
        diagnostics.push(
            Diagnostic::warning("M010", Span::new(file, 0, 0), "this file has no law blocks")
                .with_label("no ```instrument, ```provision, ```source or ```delimit block")
                .with_note(
                    "documentation that is not law belongs outside the law folder, or in README.md",
                ),
        );
    }
    // Quoted provisions need a quotation; paraphrases too need their words.
    for (p, span) in out
        .provisions
        .iter()
        .filter(|(p, _)| p.origin.file == sources.name(file))
    {
        if p.text.is_none() && p.text_kind != TextKind::Absent {
            diagnostics.push(
                Diagnostic::error("M011", *span, format!("provision `{}` has no text", p.id))
                    .with_label("no block quote follows this provision block")
                    .with_note("quote the text in a `>` block, or write `text: absent` when it has not been read"),
            );
        }
    }
}

/// Indexes names, reporting duplicates.
fn index<'a>(
    names: impl Iterator<Item = (&'a str, Span)>,
    what: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> HashMap<String, usize> {
    let mut map: HashMap<String, usize> = HashMap::new();
    let mut first: HashMap<String, Span> = HashMap::new();
    for (i, (name, span)) in names.enumerate() {
        if name.is_empty() {
            continue;
        }
        if let Some(prev) = first.get(name) {
            diagnostics.push(
                Diagnostic::error("D001", span, format!("duplicate {what} `{name}`"))
                    .with_label(format!("this {what} is declared again"))
                    .with_secondary(*prev, "first declared here"),
            );
        } else {
            first.insert(name.to_string(), span);
            map.insert(name.to_string(), i);
        }
    }
    map
}

fn texts_from(
    list: &[ast::LangText],
    what: &str,
    span: Span,
    diagnostics: &mut Vec<Diagnostic>,
) -> Texts {
    let mut t = Texts::default();
    let mut seen: HashSet<&str> = HashSet::new();
    for lt in list {
        if !seen.insert(&lt.lang.text) {
            diagnostics.push(
                Diagnostic::error(
                    "D002",
                    lt.span,
                    format!("{what} is given twice in `{}`", lt.lang.text),
                )
                .with_label("second text in the same language"),
            );
        }
        t.set(&lt.lang.text, lt.text.clone());
    }
    for lang in LANGUAGES {
        if !t.has(lang) {
            let d = if *lang == "en" {
                Diagnostic::error("D003", span, format!("no {what} in English"))
            } else {
                Diagnostic::warning("D004", span, format!("no {what} in `{lang}`"))
            };
            diagnostics.push(d.with_label(format!("add `{lang} \"...\"`")));
        }
    }
    t
}

struct Builder<'s> {
    sources: &'s Sources,
    kb: KnowledgeBase,
    source_ids: HashSet<String>,
    rule_ids: HashMap<String, Vec<RuleId>>,
    diagnostics: Vec<Diagnostic>,
}

fn build(
    sources: &Sources,
    c: Collected,
    hash: String,
    diagnostics: &mut Vec<Diagnostic>,
) -> KnowledgeBase {
    let mut b = Builder {
        sources,
        kb: KnowledgeBase {
            hash,
            ..Default::default()
        },
        source_ids: HashSet::new(),
        rule_ids: HashMap::new(),
        diagnostics: Vec::new(),
    };
    let d = &mut b.diagnostics;
    index(
        c.instruments.iter().map(|(i, s)| (i.id.as_str(), *s)),
        "instrument",
        d,
    );
    b.kb.provision_index = index(
        c.provisions.iter().map(|(p, s)| (p.id.as_str(), *s)),
        "provision",
        d,
    );
    let source_index = index(
        c.sources.iter().map(|(s, sp)| (s.id.as_str(), *sp)),
        "source",
        d,
    );
    b.source_ids = source_index.into_keys().collect();
    for (r, span) in &c.refs {
        if !b.source_ids.contains(r) {
            let mut d = Diagnostic::error("R001", *span, format!("unknown source `{r}`"))
                .with_label("no ```source block has this id");
            if let Some(n) = did_you_mean(r, b.source_ids.iter().map(String::as_str)) {
                d = d.with_note(n);
            }
            b.diagnostics.push(d);
        }
    }
    b.kb.instruments = c.instruments.into_iter().map(|(i, _)| i).collect();
    b.kb.provisions = c.provisions.into_iter().map(|(p, _)| p).collect();
    b.kb.sources = c.sources.into_iter().map(|(s, _)| s).collect();

    let mut facts = Vec::new();
    let mut concepts = Vec::new();
    let mut doctrines = Vec::new();
    let mut rules = Vec::new();
    for item in c.items {
        match item {
            ast::Item::Fact(f) => facts.push(f),
            ast::Item::Concept(c) => concepts.push(c),
            ast::Item::Doctrine(d) => doctrines.push(d),
            ast::Item::Rule(r) => rules.push(*r),
        }
    }
    b.declare(&facts, &concepts, &doctrines);
    b.rules(&rules);
    b.check_versions_and_conflicts(&rules);
    b.order_concepts(&rules);
    b.kb.patterns = c.patterns;
    b.terms_and_figures(c.terms, c.figures, c.links);
    // Unused and undecided names are only worth reporting once everything else is right.
    if !diagnostics
        .iter()
        .chain(&b.diagnostics)
        .any(Diagnostic::is_error)
    {
        b.unused(&facts, &concepts);
    }
    diagnostics.append(&mut b.diagnostics);
    b.kb
}

impl Builder<'_> {
    fn err(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    /// Terms and figures, once every provision, source, concept and term is known.
    fn terms_and_figures(
        &mut self,
        terms: Vec<Term>,
        figures: Vec<Figure>,
        links: Vec<(String, Link, Span)>,
    ) {
        let term_ids: HashSet<String> = terms.iter().map(|t| t.id.clone()).collect();
        let ids = terms
            .iter()
            .map(|t| (&t.id, &t.origin))
            .chain(figures.iter().map(|f| (&f.id, &f.origin)));
        let mut seen: HashSet<&str> = HashSet::new();
        for (id, at) in ids {
            if !seen.insert(id) {
                let file = (0..self.sources.len())
                    .find(|&f| self.sources.name(f) == at.file)
                    .unwrap_or(0);
                let start = self.sources.offset_of(file, at.line, 0);
                self.err(
                    Diagnostic::error(
                        "D005",
                        Span::new(file, start, start + 1),
                        format!("duplicate term or figure `{id}`"),
                    )
                    .with_label("this id is used again"),
                );
            }
        }
        for (id, link, span) in links {
            let (found, what, candidates): (bool, &str, Vec<&str>) = match link {
                Link::Provision => (
                    self.kb.provision(&id).is_some(),
                    "provision",
                    self.kb.provisions.iter().map(|p| p.id.as_str()).collect(),
                ),
                Link::Source => (
                    self.source_ids.contains(&id),
                    "source",
                    self.source_ids.iter().map(String::as_str).collect(),
                ),
                Link::ProvisionOrSource => (
                    self.kb.provision(&id).is_some() || self.source_ids.contains(&id),
                    "provision or source",
                    self.kb
                        .provisions
                        .iter()
                        .map(|p| p.id.as_str())
                        .chain(self.source_ids.iter().map(String::as_str))
                        .collect(),
                ),
                Link::Term => (
                    term_ids.contains(&id),
                    "term",
                    term_ids.iter().map(String::as_str).collect(),
                ),
                Link::Concept => (
                    self.kb.concept(&id).is_some(),
                    "concept",
                    self.kb.concepts.iter().map(|c| c.name.as_str()).collect(),
                ),
                Link::Fact => (
                    self.kb.fact(&id).is_some(),
                    "fact",
                    self.kb.facts.iter().map(|f| f.name.as_str()).collect(),
                ),
            };
            if !found {
                let mut d = Diagnostic::error("R002", span, format!("unknown {what} `{id}`"))
                    .with_label(format!("no {what} has this id"));
                if let Some(n) = did_you_mean(&id, candidates) {
                    d = d.with_note(n);
                }
                self.err(d);
            }
        }
        self.kb.terms = terms;
        self.kb.figures = figures;
    }

    fn origin(&self, span: Span) -> Origin {
        origin(self.sources, span)
    }

    fn declare(
        &mut self,
        facts: &[ast::FactItem],
        concepts: &[ast::ConceptItem],
        doctrines: &[ast::DoctrineItem],
    ) {
        // Facts and concepts share one namespace: an expression names either.
        let names = facts
            .iter()
            .map(|f| (f.name.text.as_str(), f.name.span))
            .chain(concepts.iter().map(|c| (c.name.text.as_str(), c.name.span)));
        let both = index(names, "name", &mut self.diagnostics);
        for f in facts {
            let ty = match &f.ty {
                ast::TypeExpr::YesNo => FactType::YesNo,
                ast::TypeExpr::Date => FactType::Date,
                ast::TypeExpr::Number => FactType::Number,
                ast::TypeExpr::OneOf(o) | ast::TypeExpr::SeveralOf(o) => {
                    let names = index(
                        o.iter().map(|i| (i.text.as_str(), i.span)),
                        "option",
                        &mut self.diagnostics,
                    );
                    if o.is_empty() || o.len() > 64 {
                        self.err(
                            Diagnostic::error(
                                "T001",
                                f.ty_span,
                                "a set of options needs 1 to 64 options",
                            )
                            .with_label(format!("{} options", o.len())),
                        );
                    }
                    drop(names);
                    let list = o.iter().map(|i| i.text.clone()).collect();
                    if matches!(f.ty, ast::TypeExpr::OneOf(_)) {
                        FactType::OneOf(list)
                    } else {
                        FactType::SeveralOf(list)
                    }
                }
            };
            let mut option_labels = vec![Texts::default(); ty.options().len()];
            for o in &f.options {
                match ty.options().iter().position(|n| *n == o.option.text) {
                    Some(i) => {
                        option_labels[i] = texts_from(
                            &o.texts,
                            "option label",
                            o.option.span,
                            &mut self.diagnostics,
                        )
                    }
                    None => self.err(
                        Diagnostic::error(
                            "T002",
                            o.option.span,
                            format!("`{}` is not an option of `{}`", o.option.text, f.name.text),
                        )
                        .with_label("not in the fact's type"),
                    ),
                }
            }
            let question = texts_from(&f.questions, "question", f.name.span, &mut self.diagnostics);
            let label = if f.labels.is_empty() {
                Texts::default()
            } else {
                texts_from(&f.labels, "label", f.name.span, &mut self.diagnostics)
            };
            if both
                .get(&f.name.text)
                .is_some_and(|&i| i < facts.len() && facts[i].name.span == f.name.span)
            {
                self.kb
                    .fact_index
                    .insert(f.name.text.clone(), self.kb.facts.len());
                let journey = f.journey.as_ref().and_then(|(how, state)| {
                    let known = ["crossed-border", "crossing-lawful"];
                    if !known.contains(&how.text.as_str()) {
                        self.diagnostics.push(
                            Diagnostic::error(
                                "T012",
                                how.span,
                                format!("unknown journey reading `{}`", how.text),
                            )
                            .with_label("expected crossed-border or crossing-lawful"),
                        );
                        return None;
                    }
                    if ty != FactType::YesNo {
                        self.diagnostics.push(
                            Diagnostic::error(
                                "T013",
                                how.span,
                                "a journey reading sets a yes/no fact",
                            )
                            .with_label("this fact is not yes/no"),
                        );
                        return None;
                    }
                    let state_ok =
                        state.text.len() == 2 && state.text.chars().all(|c| c.is_ascii_uppercase());
                    if !state_ok {
                        self.diagnostics.push(
                            Diagnostic::error(
                                "T014",
                                state.span,
                                format!("`{}` is not a state code", state.text),
                            )
                            .with_label("two capital letters, ISO 3166-1 alpha-2, such as TJ"),
                        );
                        return None;
                    }
                    Some((how.text.clone(), state.text.clone()))
                });
                let topic = match &f.topic {
                    None => Topic::Migration,
                    Some(t) => Topic::ALL
                        .into_iter()
                        .find(|x| x.name() == t.text)
                        .unwrap_or_else(|| {
                            self.diagnostics.push(
                                Diagnostic::error(
                                    "T015",
                                    t.span,
                                    format!("unknown topic `{}`", t.text),
                                )
                                .with_label(
                                    "expected identity, migration, work, control or sensitive",
                                ),
                            );
                            Topic::Migration
                        }),
                };
                self.kb.facts.push(Fact {
                    name: f.name.text.clone(),
                    journey,
                    topic,
                    ty,
                    question,
                    label,
                    option_labels,
                    origin: self.origin(f.name.span),
                });
            }
        }
        for c in concepts {
            let label = texts_from(&c.labels, "label", c.name.span, &mut self.diagnostics);
            if !self.kb.fact_index.contains_key(&c.name.text)
                && !self.kb.concept_index.contains_key(&c.name.text)
            {
                self.kb
                    .concept_index
                    .insert(c.name.text.clone(), self.kb.concepts.len());
                let mut kinds = Vec::new();
                for k in &c.kinds {
                    match ConceptKind::ALL.iter().find(|x| x.name() == k.text) {
                        Some(kind) => kinds.push(*kind),
                        None => self.diagnostics.push(
                            Diagnostic::error("T011", k.span, format!("unknown kind `{}`", k.text))
                                .with_label("expected element, status, offence or consequence"),
                        ),
                    }
                }
                if kinds.is_empty() {
                    kinds.push(ConceptKind::Element);
                }
                self.kb.concepts.push(Concept {
                    name: c.name.text.clone(),
                    label,
                    kinds,
                    origin: self.origin(c.name.span),
                });
            }
        }
        self.kb.doctrine_index = index(
            doctrines.iter().map(|d| (d.id.text.as_str(), d.id.span)),
            "doctrine",
            &mut self.diagnostics,
        );
        for d in doctrines {
            for cite in &d.cites {
                if self.kb.provision(&cite.text).is_none() && !self.source_ids.contains(&cite.text)
                {
                    self.unknown_citation(cite, true);
                }
            }
            let label = texts_from(&d.labels, "label", d.id.span, &mut self.diagnostics);
            if d.cites.is_empty() {
                self.err(
                    Diagnostic::error(
                        "C001",
                        d.id.span,
                        format!("doctrine `{}` cites nothing", d.id.text),
                    )
                    .with_label("a doctrine is attributed to a source: add `cites`"),
                );
            }
            self.kb.doctrines.push(Doctrine {
                id: d.id.text.clone(),
                kind: d.kind,
                label,
                cites: d.cites.iter().map(|c| c.text.clone()).collect(),
                note: d.note.clone(),
                origin: self.origin(d.id.span),
            });
        }
        self.kb.doctrine_index = self
            .kb
            .doctrines
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.clone(), i))
            .collect();
    }

    fn unknown_citation(&mut self, cite: &ast::Ident, sources_too: bool) {
        let mut d = Diagnostic::error(
            "C002",
            cite.span,
            format!("citation of a missing provision `{}`", cite.text),
        )
        .with_label("no provision has this id");
        let mut candidates: Vec<&str> = self.kb.provisions.iter().map(|p| p.id.as_str()).collect();
        if sources_too {
            candidates.extend(self.source_ids.iter().map(String::as_str));
        }
        if let Some(n) = did_you_mean(&cite.text, candidates) {
            d = d.with_note(n);
        }
        self.err(d);
    }

    fn rules(&mut self, rules: &[ast::RuleItem]) {
        for r in rules {
            let concept = match self.kb.concept(&r.concept.text) {
                Some(c) => Some(c),
                None => {
                    let mut d = Diagnostic::error(
                        "N001",
                        r.concept.span,
                        format!("unknown concept `{}`", r.concept.text),
                    )
                    .with_label("not declared with `concept`");
                    if self.kb.fact(&r.concept.text).is_some() {
                        d = d.with_note(
                            "this is a fact: facts are given by the case, rules decide concepts",
                        );
                    } else if let Some(n) = did_you_mean(
                        &r.concept.text,
                        self.kb.concept_index.keys().map(String::as_str),
                    ) {
                        d = d.with_note(n);
                    }
                    self.err(d);
                    None
                }
            };
            let value = self.bool_expr(&r.value, "the value of a rule");
            let when = r
                .when
                .as_ref()
                .map(|w| self.bool_expr(w, "an exception's condition"));
            let mut cites = Vec::new();
            if r.cites.is_empty() {
                self.err(
                    Diagnostic::error(
                        "C003",
                        r.header,
                        format!("rule `{}` has no citation", r.id.text),
                    )
                    .with_label("every rule cites the provisions it rests on")
                    .with_note("add `cites PROVISION-ID`"),
                );
            }
            for cite in &r.cites {
                match self.kb.provision(&cite.text) {
                    Some(p) => cites.push(p),
                    None => self.unknown_citation(cite, false),
                }
            }
            let from = match r.from {
                Some((d, _)) => Some(d),
                None => {
                    self.err(
                        Diagnostic::error("V001", r.header, format!("rule `{}` has no date from which it applies", r.id.text))
                            .with_label("add `from YYYY-MM-DD`")
                            .with_note("every rule version is dated, so that evaluation as of a date picks the law then in force"),
                    );
                    None
                }
            };
            if let (Some((f, _)), Some((u, us))) = (r.from, r.until)
                && u < f
            {
                self.err(
                    Diagnostic::error("V002", us, "this rule ends before it starts")
                        .with_label(format!("{u} is before {f}")),
                );
            }
            let best = crate::verification::basis_of(&self.kb, &cites);
            if !cites.is_empty() && best.is_unchecked() {
                self.diagnostics.push(
                    Diagnostic::warning(
                        "S001",
                        r.header,
                        format!(
                            "rule `{}` rests only on {} text: its conclusions are shown with a warning",
                            r.id.text,
                            best.name()
                        ),
                    )
                    .with_label("read the provision in an official text and raise its status"),
                );
            }
            if let Some(from) = from {
                for &p in &cites {
                    let prov = &self.kb.provisions[p];
                    if let Some(pf) = prov.in_force_from
                        && from < pf
                    {
                        self.diagnostics.push(
                            Diagnostic::warning("V003", r.header, format!("rule `{}` applies from {from}, before provision `{}` came into force ({pf})", r.id.text, prov.id))
                                .with_label("check the dates"),
                        );
                    }
                }
            }
            let doctrine = r
                .under
                .as_ref()
                .and_then(|u| match self.kb.doctrine(&u.text) {
                    Some(d) => Some(d),
                    None => {
                        let mut d = Diagnostic::error(
                            "N002",
                            u.span,
                            format!("unknown doctrine `{}`", u.text),
                        )
                        .with_label("not declared with `doctrine`");
                        if let Some(n) =
                            did_you_mean(&u.text, self.kb.doctrine_index.keys().map(String::as_str))
                        {
                            d = d.with_note(n);
                        }
                        self.err(d);
                        None
                    }
                });
            if let (Some(concept), Some(value), Some(from)) = (concept, value, from) {
                let when = match when {
                    Some(Some(w)) => Some(w),
                    Some(None) => continue,
                    None => None,
                };
                let id = self.kb.rules.len();
                self.rule_ids.entry(r.id.text.clone()).or_default().push(id);
                self.kb.rules.push(Rule {
                    id: r.id.text.clone(),
                    kind: r.kind,
                    parent: r.parent.as_ref().map(|p| p.text.clone()),
                    concept,
                    value,
                    when,
                    over: r.over.iter().map(|o| o.text.clone()).collect(),
                    cites,
                    from,
                    until: r.until.map(|(u, _)| u),
                    doctrine,
                    note: r.note.clone(),
                    origin: self.origin(r.header),
                });
            }
        }
    }

    fn bool_expr(&mut self, e: &ast::Expr, what: &str) -> Option<Expr> {
        let (expr, ty) = self.expr(e)?;
        if ty != ValueType::Bool {
            self.err(
                Diagnostic::error(
                    "T003",
                    e.span,
                    format!(
                        "{what} must be yes or no, but this is {}",
                        self.describe(ty)
                    ),
                )
                .with_label("not a yes/no expression"),
            );
            return None;
        }
        Some(expr)
    }

    fn describe(&self, ty: ValueType) -> String {
        match ty {
            ValueType::Bool => "yes/no".into(),
            ValueType::Number => "a number".into(),
            ValueType::Date => "a date".into(),
            ValueType::Choice(f) => format!(
                "one of the options of `{}` (use `is`)",
                self.kb.facts[f].name
            ),
            ValueType::Set(f) => format!(
                "a set of options of `{}` (use `has` or `any(...)`)",
                self.kb.facts[f].name
            ),
        }
    }

    fn expect(&mut self, e: &ast::Expr, want: ValueType, what: &str) -> Option<Expr> {
        let (expr, ty) = self.expr(e)?;
        if ty != want {
            self.err(
                Diagnostic::error(
                    "T004",
                    e.span,
                    format!(
                        "{what}: expected {}, found {}",
                        self.describe(want),
                        self.describe(ty)
                    ),
                )
                .with_label(format!("this is {}", self.describe(ty))),
            );
            return None;
        }
        Some(expr)
    }

    fn option_index(&mut self, fact: FactId, option: &ast::Ident) -> Option<usize> {
        let options = self.kb.facts[fact].ty.options().to_vec();
        match options.iter().position(|o| *o == option.text) {
            Some(i) => Some(i),
            None => {
                let mut d = Diagnostic::error(
                    "T005",
                    option.span,
                    format!(
                        "`{}` is not an option of `{}`",
                        option.text, self.kb.facts[fact].name
                    ),
                )
                .with_label(format!("options: {}", options.join(", ")));
                if let Some(n) = did_you_mean(&option.text, options.iter().map(String::as_str)) {
                    d = d.with_note(n);
                }
                self.err(d);
                None
            }
        }
    }

    /// Bool arguments of any/all/at least; a several-of fact stands for all its options.
    fn bool_args(&mut self, args: &[ast::Expr]) -> Option<Vec<Expr>> {
        let mut out = Vec::new();
        let mut ok = true;
        for a in args {
            match self.expr(a) {
                Some((e, ValueType::Bool)) => out.push(e),
                Some((_, ValueType::Set(f))) => {
                    let fact = &self.kb.facts[f];
                    for (i, o) in fact.ty.options().iter().enumerate() {
                        out.push(Expr {
                            kind: ExprKind::Has(f, i),
                            text: format!("{} has {o}", fact.name),
                        });
                    }
                }
                Some((_, ty)) => {
                    self.err(
                        Diagnostic::error(
                            "T006",
                            a.span,
                            format!(
                                "expected yes/no or a set of options, found {}",
                                self.describe(ty)
                            ),
                        )
                        .with_label("cannot be counted as true or false"),
                    );
                    ok = false;
                }
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn expr(&mut self, e: &ast::Expr) -> Option<(Expr, ValueType)> {
        let text = collapse(self.sources.slice(e.span));
        let (kind, ty) = match &e.kind {
            A::Bool(b) => (ExprKind::Bool(*b), ValueType::Bool),
            A::Undetermined => (ExprKind::Undetermined, ValueType::Bool),
            A::Number(n) => (ExprKind::Number(*n), ValueType::Number),
            A::Date(d) => (ExprKind::Date(*d), ValueType::Date),
            A::AsOf => (ExprKind::AsOf, ValueType::Date),
            A::Name(n) => {
                if let Some(f) = self.kb.fact(&n.text) {
                    let ty = match self.kb.facts[f].ty {
                        FactType::YesNo => ValueType::Bool,
                        FactType::Number => ValueType::Number,
                        FactType::Date => ValueType::Date,
                        FactType::OneOf(_) => ValueType::Choice(f),
                        FactType::SeveralOf(_) => ValueType::Set(f),
                    };
                    (ExprKind::Fact(f), ty)
                } else if let Some(c) = self.kb.concept(&n.text) {
                    (ExprKind::Concept(c), ValueType::Bool)
                } else {
                    let mut d =
                        Diagnostic::error("N003", n.span, format!("unknown name `{}`", n.text))
                            .with_label("no fact or concept has this name");
                    let names = self
                        .kb
                        .fact_index
                        .keys()
                        .chain(self.kb.concept_index.keys())
                        .map(String::as_str);
                    if let Some(note) = did_you_mean(&n.text, names) {
                        d = d.with_note(note);
                    }
                    if RESERVED.contains(&n.text.as_str()) {
                        d = d.with_note("this word is reserved by the language");
                    }
                    self.err(d);
                    return None;
                }
            }
            A::Not(inner) => (
                ExprKind::Not(Box::new(self.bool_expr(inner, "the operand of `not`")?)),
                ValueType::Bool,
            ),
            A::And(items) | A::Or(items) => {
                let mut out = Vec::new();
                let mut ok = true;
                for i in items {
                    match self.bool_expr(i, "each operand of `and`/`or`") {
                        Some(x) => out.push(x),
                        None => ok = false,
                    }
                }
                if !ok {
                    return None;
                }
                if matches!(e.kind, A::And(_)) {
                    (ExprKind::And(out), ValueType::Bool)
                } else {
                    (ExprKind::Or(out), ValueType::Bool)
                }
            }
            A::Any(args) => (ExprKind::Or(self.bool_args(args)?), ValueType::Bool),
            A::All(args) => (ExprKind::And(self.bool_args(args)?), ValueType::Bool),
            A::AtLeast(n, args) => {
                let args = self.bool_args(args)?;
                if *n as usize > args.len() {
                    self.err(
                        Diagnostic::error(
                            "T007",
                            e.span,
                            format!("at least {n} of {} can never hold", args.len()),
                        )
                        .with_label("fewer operands than required"),
                    );
                    return None;
                }
                (ExprKind::AtLeast(*n, args), ValueType::Bool)
            }
            A::Cmp(op, l, r) => {
                let (le, lt) = self.expr(l)?;
                let (re, rt) = self.expr(r)?;
                let comparable = matches!(
                    (lt, rt),
                    (ValueType::Number, ValueType::Number) | (ValueType::Date, ValueType::Date)
                );
                if !comparable {
                    self.err(
                        Diagnostic::error(
                            "T008",
                            e.span,
                            format!(
                                "cannot compare {} with {}",
                                self.describe(lt),
                                self.describe(rt)
                            ),
                        )
                        .with_label(format!(
                            "`{}` compares two numbers or two dates",
                            op.symbol()
                        )),
                    );
                    return None;
                }
                (
                    ExprKind::Cmp(*op, Box::new(le), Box::new(re)),
                    ValueType::Bool,
                )
            }
            A::Is(l, option) | A::Has(l, option) => {
                let is = matches!(e.kind, A::Is(..));
                let (_, ty) = self.expr(l)?;
                match (is, ty) {
                    (true, ValueType::Choice(f)) => (
                        ExprKind::Is(f, self.option_index(f, option)?),
                        ValueType::Bool,
                    ),
                    (false, ValueType::Set(f)) => (
                        ExprKind::Has(f, self.option_index(f, option)?),
                        ValueType::Bool,
                    ),
                    _ => {
                        let word = if is { "is" } else { "has" };
                        let want = if is {
                            "a one-of fact"
                        } else {
                            "a several-of fact"
                        };
                        self.err(
                            Diagnostic::error(
                                "T009",
                                l.span,
                                format!("`{word}` needs {want}, found {}", self.describe(ty)),
                            )
                            .with_label(format!("not {want}")),
                        );
                        return None;
                    }
                }
            }
            A::In(l, options) => {
                let (_, ty) = self.expr(l)?;
                let ValueType::Choice(f) = ty else {
                    self.err(
                        Diagnostic::error(
                            "T009",
                            l.span,
                            format!("`in` needs a one-of fact, found {}", self.describe(ty)),
                        )
                        .with_label("not a one-of fact"),
                    );
                    return None;
                };
                let mut alternatives = Vec::new();
                for o in options {
                    let i = self.option_index(f, o)?;
                    alternatives.push(Expr {
                        kind: ExprKind::Is(f, i),
                        text: format!("{} is {}", self.kb.facts[f].name, o.text),
                    });
                }
                (ExprKind::Or(alternatives), ValueType::Bool)
            }
            A::Age(b, on) => {
                let b = self.expect(b, ValueType::Date, "the first argument of `age`")?;
                let on = self.expect(on, ValueType::Date, "the second argument of `age`")?;
                (ExprKind::Age(Box::new(b), Box::new(on)), ValueType::Number)
            }
            A::Arith(op, l, r) => {
                let (le, lt) = self.expr(l)?;
                let re = self.expect(r, ValueType::Number, "the right side of `+`/`-`")?;
                let ty = match lt {
                    ValueType::Number => ValueType::Number,
                    ValueType::Date => ValueType::Date,
                    other => {
                        self.err(
                            Diagnostic::error(
                                "T010",
                                l.span,
                                format!("cannot add to or subtract from {}", self.describe(other)),
                            )
                            .with_label("expected a number, or a date plus days"),
                        );
                        return None;
                    }
                };
                (ExprKind::Arith(*op, Box::new(le), Box::new(re)), ty)
            }
        };
        Some((Expr { kind, text }, ty))
    }

    fn check_versions_and_conflicts(&mut self, items: &[ast::RuleItem]) {
        let span_of = |id: &str, from: Date| {
            items
                .iter()
                .find(|r| r.id.text == id && r.from.map(|f| f.0) == Some(from))
                .map(|r| r.header)
                .unwrap_or_default()
        };
        let mut groups: Vec<(String, Vec<RuleId>)> = self
            .rule_ids
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        groups.sort();
        let rules = self.kb.rules.clone();
        // Versions of one rule: same concept, kind, parent and doctrine; no overlap.
        for (id, versions) in &groups {
            let mut vs: Vec<&Rule> = versions.iter().map(|&i| &rules[i]).collect();
            vs.sort_by_key(|r| r.from);
            let first = vs[0];
            for v in &vs[1..] {
                if v.concept != first.concept
                    || v.kind != first.kind
                    || v.parent != first.parent
                    || v.doctrine != first.doctrine
                {
                    self.err(
                        Diagnostic::error(
                            "V004",
                            span_of(id, v.from),
                            format!("versions of rule `{id}` differ in what they decide"),
                        )
                        .with_label(
                            "concept, kind, parent or doctrine differs from the first version",
                        )
                        .with_secondary(span_of(id, first.from), "first version"),
                    );
                }
            }
            for pair in vs.windows(2) {
                if overlaps(pair[0], pair[1]) {
                    self.err(
                        Diagnostic::error("V005", span_of(id, pair[1].from), format!("versions of rule `{id}` overlap in time"))
                            .with_label(format!("in force from {}", pair[1].from))
                            .with_secondary(span_of(id, pair[0].from), match pair[0].until {
                                Some(u) => format!("still in force until {u}"),
                                None => "in force with no end date".to_string(),
                            })
                            .with_note("end the earlier version with `until` the day before the later one starts"),
                    );
                }
            }
            // Parents and priorities of exceptions.
            if let Some(parent) = &first.parent {
                match self.rule_ids.get(parent) {
                    None => {
                        let mut d = Diagnostic::error(
                            "N004",
                            span_of(id, first.from),
                            format!("exception `{id}` departs from an unknown rule `{parent}`"),
                        )
                        .with_label("no rule has this id");
                        if let Some(n) =
                            did_you_mean(parent, self.rule_ids.keys().map(String::as_str))
                        {
                            d = d.with_note(n);
                        }
                        self.err(d);
                    }
                    Some(p) if rules[p[0]].concept != first.concept => {
                        let (c, pc) = (
                            &self.kb.concepts[first.concept].name,
                            &self.kb.concepts[rules[p[0]].concept].name,
                        );
                        self.err(
                            Diagnostic::error("N005", span_of(id, first.from), format!("exception `{id}` decides `{c}` but rule `{parent}` decides `{pc}`"))
                                .with_label("an exception decides the same concept as its rule"),
                        );
                    }
                    _ => {}
                }
                for o in &first.over {
                    let sibling = self
                        .rule_ids
                        .get(o)
                        .map(|v| rules[v[0]].parent.as_ref() == Some(parent));
                    if sibling != Some(true) {
                        self.err(
                            Diagnostic::error(
                                "N006",
                                span_of(id, first.from),
                                format!("`over {o}`: not another exception to `{parent}`"),
                            )
                            .with_label("priority is given over sibling exceptions only"),
                        );
                    }
                }
            }
        }
        // Two rules deciding one concept under one reading, in force together, with no priority.
        // Only the rules of one concept are compared with each other, in the order they come.
        let mut by_concept: Vec<Vec<usize>> = vec![Vec::new(); self.kb.concepts.len()];
        for (i, r) in rules.iter().enumerate() {
            if let Some(g) = by_concept.get_mut(r.concept) {
                g.push(i);
            }
        }
        let mut assignments = MAX_CONFLICT_ASSIGNMENTS;
        let pairs = by_concept.iter().flat_map(|g| {
            g.iter()
                .enumerate()
                .flat_map(move |(k, &i)| g[k + 1..].iter().map(move |&j| (i, j)))
        });
        for (i, j) in pairs {
            // Every pair of many rules of one concept may conflict: report what is found so
            // far rather than gather errors past memory.
            if self.diagnostics.len() > MAX_DIAGNOSTICS {
                break;
            }
            {
                let (a, b) = (&rules[i], &rules[j]);
                if a.id == b.id || !overlaps(a, b) {
                    continue;
                }
                let conflict = match (a.kind, b.kind) {
                    (RuleKind::Rule, RuleKind::Rule) => a.doctrine == b.doctrine,
                    (RuleKind::Exception, RuleKind::Exception) => {
                        a.parent == b.parent
                            && (a.doctrine.is_none()
                                || b.doctrine.is_none()
                                || a.doctrine == b.doctrine)
                            && !a.over.contains(&b.id)
                            && !b.over.contains(&a.id)
                            && a.value.text != b.value.text
                            && match may_both_hold(
                                a.when.as_ref(),
                                b.when.as_ref(),
                                &mut assignments,
                            ) {
                                Some(both) => both,
                                None => {
                                    self.err(
                                        Diagnostic::error(
                                            "X002",
                                            span_of(&b.id, b.from),
                                            format!(
                                                "too many exceptions to `{}` to check that they exclude each other",
                                                a.parent.as_deref().unwrap_or(&a.id)
                                            ),
                                        )
                                        .with_label("checking stopped here")
                                        .with_note(format!(
                                            "the conditions of exceptions are compared pair by pair, within {MAX_CONFLICT_ASSIGNMENTS} cases in all; give fewer exceptions, or `over` between them"
                                        )),
                                    );
                                    break;
                                }
                            }
                    }
                    _ => false,
                };
                if conflict {
                    let what = if a.kind == RuleKind::Rule {
                        "rules"
                    } else {
                        "exceptions"
                    };
                    self.err(
                        Diagnostic::error("X001", span_of(&b.id, b.from), format!("conflicting {what} for `{}`: `{}` and `{}`", self.kb.concepts[a.concept].name, a.id, b.id))
                            .with_label("may apply at the same time as the other, with a different result")
                            .with_secondary(span_of(&a.id, a.from), "the other one")
                            .with_note(if a.kind == RuleKind::Rule {
                                "one concept has one rule per doctrine at a time: make one an exception to the other, date them apart, or put one under a doctrine"
                            } else {
                                "say which prevails with `over`, or make their conditions exclude each other"
                            }),
                    );
                }
            }
        }
    }

    fn order_concepts(&mut self, items: &[ast::RuleItem]) {
        let n = self.kb.concepts.len();
        let mut edges: Vec<Vec<(ConceptId, String)>> = vec![Vec::new(); n];
        for r in &self.kb.rules {
            let mut used = Vec::new();
            r.value.concepts(&mut used);
            if let Some(w) = &r.when {
                w.concepts(&mut used);
            }
            for u in used {
                edges[r.concept].push((u, r.id.clone()));
            }
        }
        // Depth-first search; grey nodes on the stack reveal a cycle.
        let mut state = vec![0u8; n];
        let mut order = Vec::new();
        let mut reported = false;
        for start in 0..n {
            if state[start] != 0 {
                continue;
            }
            let mut stack: Vec<(ConceptId, usize)> = vec![(start, 0)];
            state[start] = 1;
            while let Some(&mut (node, ref mut next)) = stack.last_mut() {
                if *next < edges[node].len() {
                    let (to, ref rule) = edges[node][*next];
                    *next += 1;
                    match state[to] {
                        0 => {
                            state[to] = 1;
                            stack.push((to, 0));
                        }
                        1 if !reported => {
                            reported = true;
                            let pos = stack.iter().position(|(c, _)| *c == to).unwrap_or(0);
                            let mut path: Vec<&str> = stack[pos..]
                                .iter()
                                .map(|(c, _)| self.kb.concepts[*c].name.as_str())
                                .collect();
                            path.push(&self.kb.concepts[to].name);
                            let span = items
                                .iter()
                                .find(|r| r.id.text == *rule)
                                .map(|r| r.header)
                                .unwrap_or_default();
                            let msg = format!("cycle: {}", path.join(" → "));
                            self.diagnostics.push(
                                Diagnostic::error("Y001", span, msg)
                                    .with_label(format!("rule `{rule}` closes the cycle"))
                                    .with_note("a concept cannot depend on itself, directly or through others"),
                            );
                        }
                        _ => {}
                    }
                } else {
                    state[node] = 2;
                    order.push(node);
                    stack.pop();
                }
            }
        }
        self.kb.order = order;
    }

    fn unused(&mut self, facts: &[ast::FactItem], concepts: &[ast::ConceptItem]) {
        let mut used = vec![false; self.kb.facts.len()];
        let mut decided = vec![false; self.kb.concepts.len()];
        for r in &self.kb.rules {
            let mut fs = Vec::new();
            r.value.facts(&mut fs);
            if let Some(w) = &r.when {
                w.facts(&mut fs);
            }
            fs.into_iter().for_each(|f| used[f] = true);
            decided[r.concept] = true;
        }
        for f in facts {
            if let Some(i) = self.kb.fact(&f.name.text)
                && !used[i]
            {
                self.diagnostics.push(
                    Diagnostic::warning(
                        "U001",
                        f.name.span,
                        format!("fact `{}` is never used by a rule", f.name.text),
                    )
                    .with_label("unused"),
                );
            }
        }
        for c in concepts {
            if let Some(i) = self.kb.concept(&c.name.text)
                && !decided[i]
            {
                self.diagnostics.push(
                    Diagnostic::error(
                        "U002",
                        c.name.span,
                        format!("no rule decides concept `{}`", c.name.text),
                    )
                    .with_label("declared, never decided"),
                );
            }
        }
    }
}

fn overlaps(a: &Rule, b: &Rule) -> bool {
    let a_before_b = a.until.is_some_and(|u| u < b.from);
    let b_before_a = b.until.is_some_and(|u| u < a.from);
    !(a_before_b || b_before_a)
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether two conditions can be true together, treating each comparison and concept
/// as a free atom (so "yes" may be a false alarm, never a missed conflict); `None` when
/// answering would take more than the `budget` of assignments left, which it lowers.
fn may_both_hold(a: Option<&Expr>, b: Option<&Expr>, budget: &mut usize) -> Option<bool> {
    let (Some(a), Some(b)) = (a, b) else {
        return Some(true);
    };
    let mut atoms: Vec<String> = Vec::new();
    let mut choice: Vec<(FactId, usize)> = Vec::new();
    for e in [a, b] {
        e.walk(&mut |x| {
            let key = atom_key(x);
            if let Some(k) = key
                && !atoms.contains(&k)
            {
                if let ExprKind::Is(f, _) = x.kind {
                    choice.push((f, atoms.len()));
                }
                atoms.push(k);
            }
        });
    }
    if atoms.len() > 16 {
        return Some(true);
    }
    'assign: for bits in 0u32..(1 << atoms.len()) {
        *budget = budget.checked_sub(1)?;
        for (i, (f, ai)) in choice.iter().enumerate() {
            for (g, bi) in &choice[i + 1..] {
                if f == g && bits & (1 << ai) != 0 && bits & (1 << bi) != 0 {
                    continue 'assign;
                }
            }
        }
        if eval2(a, &atoms, bits) && eval2(b, &atoms, bits) {
            return Some(true);
        }
    }
    Some(false)
}

fn atom_key(e: &Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Fact(f) => Some(format!("f{f}")),
        ExprKind::Concept(c) => Some(format!("c{c}")),
        ExprKind::Is(f, i) => Some(format!("i{f}.{i}")),
        ExprKind::Has(f, i) => Some(format!("h{f}.{i}")),
        ExprKind::Cmp(..) => Some(format!("x{}", e.text)),
        _ => None,
    }
}

fn eval2(e: &Expr, atoms: &[String], bits: u32) -> bool {
    match &e.kind {
        ExprKind::Bool(b) => *b,
        // Either value may come out: counted as holding, so an overlap is never missed.
        ExprKind::Undetermined => true,
        ExprKind::Not(x) => !eval2(x, atoms, bits),
        ExprKind::And(v) => v.iter().all(|x| eval2(x, atoms, bits)),
        ExprKind::Or(v) => v.iter().any(|x| eval2(x, atoms, bits)),
        ExprKind::AtLeast(n, v) => {
            v.iter().filter(|x| eval2(x, atoms, bits)).count() >= *n as usize
        }
        _ => atom_key(e)
            .and_then(|k| atoms.iter().position(|a| *a == k))
            .is_some_and(|i| bits & (1 << i) != 0),
    }
}

impl CmpOp {
    /// Applies the comparison to two ordered values.
    pub fn holds<T: PartialOrd>(self, a: T, b: T) -> bool {
        match self {
            CmpOp::Lt => a < b,
            CmpOp::Le => a <= b,
            CmpOp::Gt => a > b,
            CmpOp::Ge => a >= b,
            CmpOp::Eq => a == b,
            CmpOp::Ne => a != b,
        }
    }
}
