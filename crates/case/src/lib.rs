//! Case files: what is known about one case, in YAML or JSON, read with the location of
//! every value so that a mistake is reported where it was made, then bound to the facts
//! a knowledge base declares.
//!
//! For now a case is a flat set of facts. This crate knows the fact vocabulary of a
//! knowledge base but nothing of rules, evaluation or presentation.

pub mod derive;
pub mod findings;
pub mod htcds;
pub mod json;
pub mod limits;
pub mod read_timeline;
pub mod timeline;
pub mod yaml;

use delimit_engine::{FactValue, Facts};
use delimit_law::diag::{Diagnostic, FileId, Sources, Span, did_you_mean};
use delimit_law::{FactType, KnowledgeBase};
use jiff::civil::Date;
use saphyr::{MarkedYaml, Scalar, YamlData};
use yaml::{key_text, span_of};

/// A case file of either kind.
pub enum AnyCase {
    /// A flat set of facts.
    Flat(CaseFile),
    /// A journey: persons, actors, events; with the warnings found reading it.
    Timeline(timeline::TimelineCase, Vec<Diagnostic>),
}

/// Reads a case file of either kind: a timeline when it has `persons`, `actors` or `events`.
/// A text beyond [`limits::MAX_CASE_BYTES`] is refused unread (`F011`), and not kept in
/// `sources`.
pub fn read_any(
    sources: &mut Sources,
    name: &str,
    text: &str,
    kb: &KnowledgeBase,
) -> Result<AnyCase, Vec<Diagnostic>> {
    if text.len() > limits::MAX_CASE_BYTES {
        let file = sources.add(name, "");
        return Err(vec![
            Diagnostic::error(
                "F011",
                Span::new(file, 0, 0),
                format!(
                    "the case file is larger than {}, the most a case may have",
                    delimit_law::limits::size(limits::MAX_CASE_BYTES)
                ),
            )
            .with_label("not read")
            .with_note("a case tells one journey; tell a larger one as several cases"),
        ]);
    }
    let file = sources.add(name, text);
    let mut diagnostics = Vec::new();
    let docs = yaml::load(sources, file, &mut diagnostics);
    let Some(doc) = docs.into_iter().next() else {
        if diagnostics.is_empty() {
            diagnostics.push(
                Diagnostic::error("F001", Span::new(file, 0, 0), "the case file is empty")
                    .with_label("no document"),
            );
        }
        return Err(diagnostics);
    };
    if read_timeline::is_timeline(&doc) {
        return read_timeline::read(sources, file, &doc).map(|(c, w)| AnyCase::Timeline(c, w));
    }
    let case = case_from_node(sources, file, &doc, kb, CASE_KEYS, &mut diagnostics);
    if diagnostics.iter().any(Diagnostic::is_error) {
        Err(diagnostics)
    } else {
        Ok(AnyCase::Flat(case))
    }
}

/// A case as read from a file.
#[derive(Clone, Debug)]
pub struct CaseFile {
    pub id: Option<String>,
    pub title: Option<String>,
    pub as_of: Option<Date>,
    /// Doctrine names as written, with where, for the caller to resolve.
    pub doctrines: Vec<(String, Span)>,
    pub facts: Facts,
    pub file: FileId,
}

const CASE_KEYS: &[&str] = &["id", "title", "as_of", "doctrines", "facts", "note"];

/// Reads a flat case file (YAML or JSON: JSON is read as YAML) and binds its facts.
pub fn read_case(
    sources: &mut Sources,
    name: &str,
    text: &str,
    kb: &KnowledgeBase,
) -> Result<CaseFile, Vec<Diagnostic>> {
    match read_any(sources, name, text, kb)? {
        AnyCase::Flat(case) => Ok(case),
        AnyCase::Timeline(..) => {
            let file = sources.len() - 1;
            Err(vec![
                Diagnostic::error(
                    "F010",
                    Span::new(file, 0, 0),
                    "this is a journey, not a flat set of facts",
                )
                .with_label("expected `facts:`"),
            ])
        }
    }
}

/// Reads the common case keys from a mapping node; keys outside `allowed` are errors.
pub fn case_from_node(
    sources: &Sources,
    file: FileId,
    node: &MarkedYaml<'_>,
    kb: &KnowledgeBase,
    allowed: &[&str],
    diagnostics: &mut Vec<Diagnostic>,
) -> CaseFile {
    let mut case = CaseFile {
        id: None,
        title: None,
        as_of: None,
        doctrines: Vec::new(),
        facts: Facts::unknown(kb),
        file,
    };
    let YamlData::Mapping(map) = &node.data else {
        diagnostics.push(
            Diagnostic::error(
                "F002",
                span_of(sources, file, node),
                "a case is a mapping of keys to values",
            )
            .with_label("expected `key: value` lines"),
        );
        return case;
    };
    for (k, v) in map {
        let key = key_text(k);
        let kspan = span_of(sources, file, k);
        match key.as_str() {
            "id" => case.id = yaml::string(v),
            "title" => case.title = yaml::string(v),
            "note" => {}
            "as_of" => match yaml::string(v).map(|s| s.parse::<Date>()) {
                Some(Ok(d)) if !limits::date_within(d) => diagnostics.push(out_of_range(
                    span_of(sources, file, v),
                    format!(
                        "`as_of` is {d}, outside the dates a case may give ({})",
                        limits::DATE_RANGE
                    ),
                    "the law is applied as of this date: check the year",
                )),
                Some(Ok(d)) => case.as_of = Some(d),
                _ => diagnostics.push(
                    Diagnostic::error("F003", span_of(sources, file, v), "`as_of` is not a date")
                        .with_label("expected YYYY-MM-DD"),
                ),
            },
            "doctrines" => match &v.data {
                YamlData::Sequence(items) => {
                    for item in items {
                        match yaml::string(item) {
                            Some(s) => case.doctrines.push((s, span_of(sources, file, item))),
                            None => diagnostics.push(
                                Diagnostic::error(
                                    "F004",
                                    span_of(sources, file, item),
                                    "a doctrine is named by its identifier",
                                )
                                .with_label("expected a name"),
                            ),
                        }
                    }
                }
                _ => diagnostics.push(
                    Diagnostic::error("F004", span_of(sources, file, v), "`doctrines` is a list")
                        .with_label("expected a list of doctrine names"),
                ),
            },
            "facts" => case.facts = bind_facts(sources, file, v, kb, diagnostics),
            _ if allowed.contains(&key.as_str()) => {}
            _ => {
                let mut d = Diagnostic::error("F005", kspan, format!("unknown key `{key}`"))
                    .with_label("not a key of a case");
                if let Some(n) = did_you_mean(&key, allowed.iter().copied()) {
                    d = d.with_note(n);
                }
                diagnostics.push(d);
            }
        }
    }
    case
}

/// Binds a mapping `fact: value` to the knowledge base's facts.
pub fn bind_facts(
    sources: &Sources,
    file: FileId,
    node: &MarkedYaml<'_>,
    kb: &KnowledgeBase,
    diagnostics: &mut Vec<Diagnostic>,
) -> Facts {
    let mut facts = Facts::unknown(kb);
    let map = match &node.data {
        YamlData::Mapping(map) if map.len() > limits::MAX_FACTS => {
            diagnostics.push(
                Diagnostic::error(
                    "F013",
                    span_of(sources, file, node),
                    format!(
                        "`facts` gives {} facts; a case gives at most {}",
                        map.len(),
                        limits::MAX_FACTS
                    ),
                )
                .with_label("too many facts")
                .with_note(format!(
                    "the knowledge base declares {} facts; `delimit facts` lists them",
                    kb.facts.len()
                )),
            );
            return facts;
        }
        YamlData::Mapping(map) => map,
        YamlData::Value(Scalar::Null) => return facts,
        _ => {
            diagnostics.push(
                Diagnostic::error(
                    "F006",
                    span_of(sources, file, node),
                    "`facts` is a mapping of fact names to values",
                )
                .with_label("expected `fact_name: value` lines"),
            );
            return facts;
        }
    };
    for (k, v) in map {
        let name = key_text(k);
        let Some(f) = kb.fact(&name) else {
            let mut d = Diagnostic::error(
                "F007",
                span_of(sources, file, k),
                format!("unknown fact `{name}`"),
            )
            .with_label("the knowledge base declares no such fact");
            if let Some(n) = did_you_mean(&name, kb.facts.iter().map(|f| f.name.as_str())) {
                d = d.with_note(n);
            } else if kb.concept(&name).is_some() {
                d = d.with_note("this is a concept: it is decided by rules, not given");
            }
            d = d.with_note("`delimit facts` lists every fact with its question");
            diagnostics.push(d);
            continue;
        };
        match fact_value(&kb.facts[f].ty, v) {
            Ok(Some(value)) => match value_out_of_range(&value) {
                Some(problem) => diagnostics.push(out_of_range(
                    span_of(sources, file, v),
                    format!("`{}` is {problem}", kb.facts[f].name),
                    "write `unknown` (or leave the fact out) when it is not known",
                )),
                None => facts.set(f, value),
            },
            Ok(None) => {}
            Err(expected) => {
                let fact = &kb.facts[f];
                diagnostics.push(
                    Diagnostic::error(
                        "F008",
                        span_of(sources, file, v),
                        format!("wrong value for `{}`: expected {expected}", fact.name),
                    )
                    .with_label(format!("`{}` is {}", fact.name, fact.ty.describe()))
                    .with_note("write `unknown` (or leave the fact out) when it is not known"),
                );
            }
        }
    }
    facts
}

/// What is wrong with a fact's value outside the ranges of [`limits`] (a date from 1900 to
/// 2100, a number from 0 to 10^12), as the end of a sentence naming it; `None` when within.
pub fn value_out_of_range(value: &FactValue) -> Option<String> {
    match value {
        FactValue::Date(d) if !limits::date_within(*d) => Some(format!(
            "{d}, outside the dates a case may give ({})",
            limits::DATE_RANGE
        )),
        FactValue::Number(x) if !limits::amount_within(*x) => Some(format!(
            "{}, outside the numbers a case may give ({})",
            limits::number_text(*x),
            limits::AMOUNT_RANGE
        )),
        _ => None,
    }
}

/// A value outside the ranges a case may give (`F015`), with a hint.
fn out_of_range(span: Span, message: String, hint: &str) -> Diagnostic {
    Diagnostic::error("F015", span, message)
        .with_label("out of range")
        .with_note(hint)
}

/// Writes facts as a flat case file (YAML) that reads back to the same facts: what a
/// journey comes to, in the law's own vocabulary.
pub fn facts_to_yaml(kb: &KnowledgeBase, facts: &Facts, as_of: Option<Date>) -> String {
    let mut out = String::new();
    if let Some(d) = as_of {
        out.push_str(&format!("as_of: {d}\n"));
    }
    out.push_str("facts:\n");
    for (f, fact) in kb.facts.iter().enumerate() {
        let Some(v) = facts.get(f) else { continue };
        let text = match (v, &fact.ty) {
            (FactValue::Bool(b), _) => {
                if b {
                    "yes".to_string()
                } else {
                    "no".to_string()
                }
            }
            (FactValue::Number(n), _) => format!("{n}"),
            (FactValue::Date(d), _) => d.to_string(),
            (FactValue::Choice(i), FactType::OneOf(o)) => o[i].clone(),
            (FactValue::Set { known, value }, FactType::SeveralOf(o)) => {
                let parts: Vec<String> = o
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| known & (1 << i) != 0)
                    .map(|(i, name)| {
                        format!(
                            "{name}: {}",
                            if value & (1 << i) != 0 { "yes" } else { "no" }
                        )
                    })
                    .collect();
                format!("{{{}}}", parts.join(", "))
            }
            _ => continue,
        };
        out.push_str(&format!("  {}: {text}\n", fact.name));
    }
    out
}

/// The value of one fact, `None` for unknown, or what was expected instead.
pub fn fact_value(ty: &FactType, v: &MarkedYaml<'_>) -> Result<Option<FactValue>, String> {
    if yaml::is_unknown(v) {
        return Ok(None);
    }
    match ty {
        FactType::YesNo => yaml::boolean(v)
            .map(|b| Some(FactValue::Bool(b)))
            .ok_or_else(|| "yes or no".to_string()),
        FactType::Number => match &v.data {
            YamlData::Value(Scalar::Integer(i)) => Ok(Some(FactValue::Number(*i as f64))),
            YamlData::Value(Scalar::FloatingPoint(x)) if x.is_finite() => {
                Ok(Some(FactValue::Number(x.into_inner())))
            }
            _ => Err("a number".into()),
        },
        FactType::Date => yaml::string(v)
            .and_then(|s| s.parse::<Date>().ok())
            .map(|d| Some(FactValue::Date(d)))
            .ok_or_else(|| "a date (YYYY-MM-DD)".to_string()),
        FactType::OneOf(options) => {
            let expected = || format!("one of: {}", options.join(", "));
            let s = yaml::string(v).ok_or_else(expected)?;
            options
                .iter()
                .position(|o| *o == s)
                .map(|i| Some(FactValue::Choice(i)))
                .ok_or_else(expected)
        }
        FactType::SeveralOf(options) => {
            let expected = || {
                format!(
                    "a list of options, or a mapping of options to yes/no/unknown; options: {}",
                    options.join(", ")
                )
            };
            let index = |s: &str| options.iter().position(|o| o == s);
            let (mut known, mut value) = (0u64, 0u64);
            match &v.data {
                // A list names the options that hold; every other option does not.
                YamlData::Sequence(items) => {
                    known = if options.len() >= 64 {
                        u64::MAX
                    } else {
                        (1u64 << options.len()) - 1
                    };
                    for item in items {
                        let i = yaml::string(item)
                            .and_then(|s| index(&s))
                            .ok_or_else(expected)?;
                        value |= 1 << i;
                    }
                }
                // A mapping says option by option; options left out stay unknown.
                YamlData::Mapping(map) => {
                    for (k, b) in map {
                        let i = index(&key_text(k)).ok_or_else(expected)?;
                        if yaml::is_unknown(b) {
                            continue;
                        }
                        let b = yaml::boolean(b).ok_or_else(expected)?;
                        known |= 1 << i;
                        if b {
                            value |= 1 << i;
                        }
                    }
                }
                _ => return Err(expected()),
            }
            Ok(Some(FactValue::Set { known, value }))
        }
    }
}
