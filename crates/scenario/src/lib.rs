//! Scenario tests written as data beside the law: facts, an as-of date and doctrines,
//! and the expected value of each concept, with the expected deciding facts where a
//! value is undetermined. Both `delimit test` and `cargo test` run them through here.
//!
//! This crate knows the scenario format and how to compare; the law and the engine
//! do the rest.

mod journey;

use delimit_case::yaml::{self, key_text, span_of};
use delimit_case::{CaseFile, case_from_node};
use delimit_engine::{AssessOptions, Plan, Query, Tri};
use delimit_law::diag::{Diagnostic, FileId, Sources, Span, did_you_mean};
use delimit_law::{KnowledgeBase, RuleId};
use saphyr::{MarkedYaml, YamlData};
use std::path::Path;

const SCENARIO_KEYS: &[&str] = &[
    "scenario",
    "title",
    "as_of",
    "doctrines",
    "facts",
    "expect",
    "note",
    "id",
];

/// What a scenario expects of one concept.
#[derive(Clone, Debug)]
pub struct Expectation {
    pub concept: String,
    pub value: Tri,
    /// For an undetermined value: the deciding facts expected, in any order.
    pub deciding: Option<Vec<String>>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Scenario {
    pub name: String,
    pub case: CaseFile,
    pub expectations: Vec<Expectation>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Outcome {
    pub name: String,
    pub location: String,
    pub failures: Vec<String>,
}

impl Outcome {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// The result of running a folder of scenarios.
pub struct Report {
    pub sources: Sources,
    /// Problems in the scenario files themselves.
    pub diagnostics: Vec<Diagnostic>,
    pub outcomes: Vec<Outcome>,
    /// For each rule version of the knowledge base, whether some scenario applied it.
    pub exercised: Vec<bool>,
}

impl Report {
    pub fn passed(&self) -> usize {
        self.outcomes.iter().filter(|o| o.passed()).count()
    }
    pub fn failed(&self) -> usize {
        self.outcomes.len() - self.passed()
    }
    /// Rule versions and exceptions that no scenario applies.
    pub fn unexercised(&self) -> impl Iterator<Item = RuleId> + '_ {
        self.exercised
            .iter()
            .enumerate()
            .filter(|(_, e)| !**e)
            .map(|(r, _)| r)
    }

    /// Share of rule versions and exceptions applied by some scenario, in percent.
    pub fn coverage_percent(&self) -> f64 {
        if self.exercised.is_empty() {
            return 100.0;
        }
        let n = self.exercised.iter().filter(|e| **e).count();
        100.0 * n as f64 / self.exercised.len() as f64
    }

    pub fn ok(&self) -> bool {
        self.failed() == 0
            && !self.diagnostics.iter().any(Diagnostic::is_error)
            && !self.outcomes.is_empty()
    }
    /// The closing line: `N passed, N failed`.
    pub fn summary(&self) -> String {
        let mut s = format!(
            "scenarios: {} passed, {} failed",
            self.passed(),
            self.failed()
        );
        let broken = self.diagnostics.iter().filter(|d| d.is_error()).count();
        if broken > 0 {
            s.push_str(&format!(" ({broken} errors in scenario files)"));
        }
        s
    }
}

/// Every `*.yaml` / `*.yml` file under `dir`, sorted, named relative to `dir`; within the limits
/// of the law folder they sit in (`delimit_law::limits`): a file larger than
/// `MAX_LAW_FILE_BYTES`, more files than `MAX_LAW_FILES`, or more bytes than `MAX_LAW_BYTES`
/// in all is an error naming the file or the folder.
pub fn scenario_files(dir: &Path) -> std::io::Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    walk(dir, dir, &mut out, &mut 0)?;
    out.sort();
    Ok(out)
}

fn walk(
    root: &Path,
    dir: &Path,
    out: &mut Vec<(String, String)>,
    bytes: &mut usize,
) -> std::io::Result<()> {
    use delimit_law::limits::{MAX_LAW_BYTES, MAX_LAW_FILE_BYTES, MAX_LAW_FILES, size};
    let too_large = |what: String| std::io::Error::new(std::io::ErrorKind::FileTooLarge, what);
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            walk(root, &path, out, bytes)?;
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            if out.len() == MAX_LAW_FILES {
                return Err(too_large(format!(
                    "{} holds more than {MAX_LAW_FILES} scenario files (*.yaml), the most read at once",
                    root.display()
                )));
            }
            let text = delimit_law::load::read_text_at_most(&path, MAX_LAW_FILE_BYTES)?;
            if text.len() > MAX_LAW_FILE_BYTES {
                return Err(too_large(format!(
                    "{} is larger than {}, the most a scenario file may have: split it",
                    path.display(),
                    size(MAX_LAW_FILE_BYTES)
                )));
            }
            *bytes += text.len();
            if *bytes > MAX_LAW_BYTES {
                return Err(too_large(format!(
                    "the scenario files under {} come to more than {}, the most read at once",
                    root.display(),
                    size(MAX_LAW_BYTES)
                )));
            }
            let name = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            out.push((name, text));
        }
    }
    Ok(())
}

/// The flat scenarios of `files` (not the journeys) that read without error: each with its
/// facts, date, doctrines and expectations, for tools that replay them another way (an
/// interview answered from the facts, say).
pub fn flat_scenarios(files: &[(String, String)], kb: &KnowledgeBase) -> Vec<Scenario> {
    let mut sources = Sources::new();
    let mut diagnostics = Vec::new();
    let mut scenarios = Vec::new();
    for (name, text) in files {
        let file = sources.add(name.clone(), text.clone());
        for doc in yaml::load(&sources, file, &mut diagnostics) {
            let is_journey = matches!(&doc.data, YamlData::Mapping(m) if m.keys().any(|k| key_text(k) == "journey"));
            if !is_journey
                && let Some(s) = read_scenario(&sources, file, &doc, kb, &mut diagnostics)
            {
                scenarios.push(s);
            }
        }
    }
    scenarios
}

/// Reads and runs scenarios against a knowledge base.
pub fn run(files: &[(String, String)], kb: &KnowledgeBase) -> Report {
    let mut sources = Sources::new();
    let mut diagnostics = Vec::new();
    let mut scenarios = Vec::new();
    let mut journeys = Vec::new();
    for (name, text) in files {
        let file = sources.add(name.clone(), text.clone());
        for doc in yaml::load(&sources, file, &mut diagnostics) {
            let is_journey = matches!(&doc.data, YamlData::Mapping(m) if m.keys().any(|k| key_text(k) == "journey"));
            if is_journey {
                if let Some(s) = journey::read(&sources, file, &doc, kb, &mut diagnostics) {
                    journeys.push(s);
                }
            } else if let Some(s) = read_scenario(&sources, file, &doc, kb, &mut diagnostics) {
                scenarios.push(s);
            }
        }
    }
    let mut exercised = vec![false; kb.rules.len()];
    let mut outcomes: Vec<Outcome> = scenarios
        .iter()
        .map(|s| check(&sources, s, kb, &mut diagnostics, &mut exercised))
        .collect();
    outcomes.extend(journeys.iter().map(|s| journey::check(&sources, s, kb)));
    Report {
        sources,
        diagnostics,
        outcomes,
        exercised,
    }
}

fn read_scenario(
    sources: &Sources,
    file: FileId,
    doc: &MarkedYaml<'_>,
    kb: &KnowledgeBase,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Scenario> {
    let before = diagnostics.len();
    let span = span_of(sources, file, doc);
    let case = case_from_node(sources, file, doc, kb, SCENARIO_KEYS, diagnostics);
    let YamlData::Mapping(map) = &doc.data else {
        return None;
    };
    let mut name = None;
    let mut expectations = Vec::new();
    for (k, v) in map {
        match key_text(k).as_str() {
            "scenario" => name = yaml::string(v),
            "expect" => expectations = read_expect(sources, file, v, kb, diagnostics),
            _ => {}
        }
    }
    let Some(name) = name else {
        diagnostics.push(
            Diagnostic::error("S001", span, "a scenario needs a name")
                .with_label("add `scenario: NAME`"),
        );
        return None;
    };
    if case.as_of.is_none() {
        diagnostics.push(
            Diagnostic::error("S002", span, format!("scenario `{name}` has no `as_of` date"))
                .with_label("add `as_of: YYYY-MM-DD`")
                .with_note("a scenario names the date whose law applies, so that its result does not change with the calendar"),
        );
    }
    if expectations.is_empty() {
        diagnostics.push(
            Diagnostic::error("S003", span, format!("scenario `{name}` expects nothing"))
                .with_label("add `expect:`"),
        );
    }
    (diagnostics.len() == before).then_some(Scenario {
        name,
        case,
        expectations,
        span,
    })
}

fn tri_of(v: &MarkedYaml<'_>) -> Option<Tri> {
    if let Some(b) = yaml::boolean(v) {
        return Some(Tri::from_bool(b));
    }
    match yaml::string(v)?.as_str() {
        "undetermined" | "unknown" => Some(Tri::Unknown),
        _ => None,
    }
}

fn read_expect(
    sources: &Sources,
    file: FileId,
    node: &MarkedYaml<'_>,
    kb: &KnowledgeBase,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Expectation> {
    let mut out = Vec::new();
    let YamlData::Mapping(map) = &node.data else {
        diagnostics.push(
            Diagnostic::error(
                "S004",
                span_of(sources, file, node),
                "`expect` maps concepts to values",
            )
            .with_label("expected `concept: yes|no|undetermined`"),
        );
        return out;
    };
    for (k, v) in map {
        let concept = key_text(k);
        let span = span_of(sources, file, k);
        if kb.concept(&concept).is_none() {
            let mut d = Diagnostic::error("S005", span, format!("unknown concept `{concept}`"))
                .with_label("no such concept");
            if let Some(n) = did_you_mean(&concept, kb.concepts.iter().map(|c| c.name.as_str())) {
                d = d.with_note(n);
            }
            diagnostics.push(d);
            continue;
        }
        let bad = |d: &mut Vec<Diagnostic>| {
            d.push(
                Diagnostic::error(
                    "S006",
                    span_of(sources, file, v),
                    "expected yes, no or undetermined",
                )
                .with_label("or a mapping with `value:` and `deciding:`"),
            )
        };
        let (value, deciding) = match &v.data {
            YamlData::Mapping(m) => {
                let mut value = None;
                let mut deciding = None;
                for (mk, mv) in m {
                    match key_text(mk).as_str() {
                        "value" => value = tri_of(mv),
                        "deciding" => {
                            if let YamlData::Sequence(items) = &mv.data {
                                let names: Vec<String> =
                                    items.iter().filter_map(yaml::string).collect();
                                for (n, item) in names.iter().zip(items) {
                                    if kb.fact(n).is_none() {
                                        diagnostics.push(
                                            Diagnostic::error(
                                                "S007",
                                                span_of(sources, file, item),
                                                format!("unknown fact `{n}`"),
                                            )
                                            .with_label("not a fact of the knowledge base"),
                                        );
                                    }
                                }
                                deciding = Some(names);
                            }
                        }
                        other => diagnostics.push(
                            Diagnostic::error(
                                "S008",
                                span_of(sources, file, mk),
                                format!("unknown key `{other}`"),
                            )
                            .with_label("expected `value` or `deciding`"),
                        ),
                    }
                }
                (value, deciding)
            }
            _ => (tri_of(v), None),
        };
        match value {
            Some(value) => out.push(Expectation {
                concept,
                value,
                deciding,
                span,
            }),
            None => bad(diagnostics),
        }
    }
    out
}

fn check(
    sources: &Sources,
    s: &Scenario,
    kb: &KnowledgeBase,
    diagnostics: &mut Vec<Diagnostic>,
    exercised: &mut [bool],
) -> Outcome {
    let (line, _) = sources.line_col(s.span.file, s.span.start);
    let location = format!("{}:{line}", sources.name(s.span.file));
    let mut failures = Vec::new();
    let mut doctrines = Vec::new();
    for (d, span) in &s.case.doctrines {
        match kb.doctrine(d) {
            Some(id) => doctrines.push(id),
            None => {
                let mut diag = Diagnostic::error("S009", *span, format!("unknown doctrine `{d}`"))
                    .with_label("no such doctrine");
                if let Some(n) = did_you_mean(d, kb.doctrines.iter().map(|d| d.id.as_str())) {
                    diag = diag.with_note(n);
                }
                diagnostics.push(diag);
                failures.push(format!("unknown doctrine `{d}`"));
            }
        }
    }
    let as_of = s.case.as_of.unwrap_or_default();
    let plan = match Plan::new(kb, Query { as_of, doctrines }) {
        Ok(p) => p,
        Err(e) => {
            failures.push(e.to_string());
            return Outcome {
                name: s.name.clone(),
                location,
                failures,
            };
        }
    };
    for r in plan.rules_applied(&s.case.facts) {
        exercised[r] = true;
    }
    let assessment = plan.assess(
        Some(&s.name),
        &s.case.facts,
        &AssessOptions {
            explain: false,
            ..Default::default()
        },
    );
    for e in &s.expectations {
        let Some(c) = assessment
            .conclusions
            .iter()
            .find(|c| c.concept == e.concept)
        else {
            continue;
        };
        let (line, _) = sources.line_col(e.span.file, e.span.start);
        if c.value != e.value {
            let mut msg = format!(
                "line {line}: `{}` is {}, expected {}",
                e.concept,
                c.value.word(),
                e.value.word()
            );
            if c.value == Tri::Unknown {
                msg.push_str(&format!(
                    " (deciding facts: {})",
                    c.deciding_facts.join(", ")
                ));
            }
            failures.push(msg);
        } else if let Some(expected) = &e.deciding {
            let mut want = expected.clone();
            want.sort();
            let mut got = c.deciding_facts.clone();
            got.sort();
            if want != got {
                failures.push(format!(
                    "line {line}: deciding facts of `{}` are [{}], expected [{}]",
                    e.concept,
                    got.join(", "),
                    want.join(", ")
                ));
            }
        }
    }
    Outcome {
        name: s.name.clone(),
        location,
        failures,
    }
}
