//! Scenarios told as journeys: a timeline case under `journey:` and, under `expect:`, what
//! must hold for each person (whatever the state, and relative to each state, from which
//! stage), which interrelations are recognised, and what offences each actor's conduct meets.

use crate::{Outcome, Tri};
use delimit_case::derive::Stage;
use delimit_case::findings::{Finding, TimelineAssessment, assess_timeline};
use delimit_case::read_timeline;
use delimit_case::timeline::TimelineCase;
use delimit_case::yaml::{self, key_text, span_of};
use delimit_law::KnowledgeBase;
use delimit_law::diag::{Diagnostic, FileId, Sources, Span};
use saphyr::{MarkedYaml, YamlData};

/// One expected value, with where it was written.
#[derive(Clone, Debug)]
struct Expected {
    concept: String,
    value: Tri,
    from: Option<Stage>,
    line: usize,
}

#[derive(Clone, Debug, Default)]
struct PartyExpect {
    id: String,
    findings: Vec<Expected>,
    states: Vec<(String, Vec<Expected>)>,
    interrelations: Option<(Vec<String>, usize)>,
    stages: Vec<(Stage, Vec<String>, usize)>,
    offences: Vec<Expected>,
}

pub struct JourneyScenario {
    pub name: String,
    case: TimelineCase,
    expect: Vec<PartyExpect>,
    span: Span,
}

fn stage_of(word: &str) -> Option<Stage> {
    match word {
        "recruitment" => Some(Stage::Recruitment),
        "transit" => Some(Stage::Transit),
        "destination" => Some(Stage::Destination),
        "exit" => Some(Stage::Exit),
        _ => None,
    }
}

fn values(
    sources: &Sources,
    file: FileId,
    node: &MarkedYaml<'_>,
    kb: &KnowledgeBase,
    d: &mut Vec<Diagnostic>,
) -> Vec<Expected> {
    let YamlData::Mapping(map) = &node.data else {
        d.push(
            Diagnostic::error(
                "S020",
                span_of(sources, file, node),
                "expected `concept: yes|no|undetermined`",
            )
            .with_label("not a mapping"),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, v) in map {
        let concept = key_text(k);
        let span = span_of(sources, file, k);
        let line = sources.line_col(file, span.start).0;
        if kb.concept(&concept).is_none() {
            d.push(
                Diagnostic::error("S021", span, format!("unknown concept `{concept}`"))
                    .with_label("no such concept"),
            );
            continue;
        }
        let (word, from) = match &v.data {
            YamlData::Mapping(m) => {
                let mut word = None;
                let mut from = None;
                for (mk, mv) in m {
                    match key_text(mk).as_str() {
                        "value" => word = Some(mv),
                        "from" => {
                            from = yaml::string(mv).and_then(|s| stage_of(&s)).or_else(|| {
                                d.push(
                                    Diagnostic::error(
                                        "S022",
                                        span_of(sources, file, mv),
                                        "expected a stage",
                                    )
                                    .with_label("recruitment, transit, destination or exit"),
                                );
                                None
                            })
                        }
                        other => d.push(
                            Diagnostic::error(
                                "S023",
                                span_of(sources, file, mk),
                                format!("unknown key `{other}`"),
                            )
                            .with_label("expected `value` or `from`"),
                        ),
                    }
                }
                (word, from)
            }
            _ => (Some(v), None),
        };
        let value = word.and_then(|w| {
            yaml::boolean(w)
                .map(Tri::from_bool)
                .or_else(|| match yaml::string(w).as_deref() {
                    Some("undetermined") | Some("unknown") => Some(Tri::Unknown),
                    _ => None,
                })
        });
        match value {
            Some(value) => out.push(Expected {
                concept,
                value,
                from,
                line,
            }),
            None => d.push(
                Diagnostic::error("S024", span, "expected yes, no or undetermined")
                    .with_label("value missing or unreadable"),
            ),
        }
    }
    out
}

/// Reads a journey scenario from a document that has a `journey:` key.
pub fn read(
    sources: &Sources,
    file: FileId,
    doc: &MarkedYaml<'_>,
    kb: &KnowledgeBase,
    d: &mut Vec<Diagnostic>,
) -> Option<JourneyScenario> {
    let YamlData::Mapping(map) = &doc.data else {
        return None;
    };
    let span = span_of(sources, file, doc);
    let mut name = None;
    let mut case = None;
    let mut expect = Vec::new();
    for (k, v) in map {
        match key_text(k).as_str() {
            "scenario" => name = yaml::string(v),
            "note" => {}
            "journey" => match read_timeline::read(sources, file, v) {
                Ok((c, _warnings)) => case = Some(c),
                Err(errors) => d.extend(errors),
            },
            "expect" => {
                let YamlData::Mapping(parties) = &v.data else {
                    d.push(
                        Diagnostic::error(
                            "S025",
                            span_of(sources, file, v),
                            "`expect` maps person and actor ids to what is expected of them",
                        )
                        .with_label("not a mapping"),
                    );
                    continue;
                };
                for (pk, pv) in parties {
                    let mut party = PartyExpect {
                        id: key_text(pk),
                        ..Default::default()
                    };
                    let YamlData::Mapping(items) = &pv.data else {
                        continue;
                    };
                    for (ik, iv) in items {
                        let key = key_text(ik);
                        let line = sources.line_col(file, span_of(sources, file, ik).start).0;
                        match key.as_str() {
                            "findings" => party.findings = values(sources, file, iv, kb, d),
                            "offences" => party.offences = values(sources, file, iv, kb, d),
                            "interrelations" => {
                                let ids: Vec<String> = match &iv.data {
                                    YamlData::Sequence(items) => items.iter().filter_map(yaml::string).collect(),
                                    _ => Vec::new(),
                                };
                                for id in &ids {
                                    if !kb.patterns.iter().any(|p| p.id == *id) {
                                        d.push(Diagnostic::error("S026", span_of(sources, file, iv), format!("unknown pattern `{id}`")).with_label("no such pattern"));
                                    }
                                }
                                party.interrelations = Some((ids, line));
                            }
                            "stages" => {
                                if let YamlData::Mapping(stages) = &iv.data {
                                    for (sk, sv) in stages {
                                        let Some(stage) = stage_of(&key_text(sk)) else {
                                            d.push(Diagnostic::error("S022", span_of(sources, file, sk), "expected a stage").with_label("recruitment, transit, destination or exit"));
                                            continue;
                                        };
                                        let events = match &sv.data {
                                            YamlData::Sequence(items) => items.iter().filter_map(yaml::string).collect(),
                                            _ => Vec::new(),
                                        };
                                        party.stages.push((stage, events, line));
                                    }
                                }
                            }
                            state if state.len() == 2 && state.chars().all(|c| c.is_ascii_uppercase()) => {
                                let v = values(sources, file, iv, kb, d);
                                party.states.push((state.to_string(), v));
                            }
                            other => d.push(
                                Diagnostic::error("S027", span_of(sources, file, ik), format!("unknown key `{other}`"))
                                    .with_label("expected findings, offences, interrelations, stages or a state code such as RU"),
                            ),
                        }
                    }
                    expect.push(party);
                }
            }
            other => d.push(
                Diagnostic::error(
                    "S028",
                    span_of(sources, file, k),
                    format!("unknown key `{other}`"),
                )
                .with_label("a journey scenario has scenario, journey, expect and note"),
            ),
        }
    }
    let Some(name) = name else {
        d.push(
            Diagnostic::error("S001", span, "a scenario needs a name")
                .with_label("add `scenario: NAME`"),
        );
        return None;
    };
    let case = case?;
    if expect.is_empty() {
        d.push(
            Diagnostic::error("S003", span, format!("scenario `{name}` expects nothing"))
                .with_label("add `expect:`"),
        );
        return None;
    }
    Some(JourneyScenario {
        name,
        case,
        expect,
        span,
    })
}

fn compare(found: &[Finding<'_>], expected: &[Expected], what: &str, failures: &mut Vec<String>) {
    for e in expected {
        let got = found.iter().find(|f| f.concept == e.concept);
        let value = got.map_or(Tri::False, |f| f.value);
        if value != e.value {
            failures.push(format!(
                "line {}: {what}: `{}` is {}, expected {}",
                e.line,
                e.concept,
                value.word(),
                e.value.word()
            ));
            continue;
        }
        if let (Some(want), Some(f)) = (e.from, got)
            && f.from_stage != Some(want)
        {
            failures.push(format!(
                "line {}: {what}: `{}` holds from {}, expected from {}",
                e.line,
                e.concept,
                f.from_stage.map_or("no stage", |s| s.name()),
                want.name()
            ));
        }
    }
}

/// Runs a journey scenario.
pub fn check(sources: &Sources, s: &JourneyScenario, kb: &KnowledgeBase) -> Outcome {
    let (line, _) = sources.line_col(s.span.file, s.span.start);
    let location = format!("{}:{line}", sources.name(s.span.file));
    let mut failures = Vec::new();
    let mut doctrines = Vec::new();
    for d in &s.case.doctrines {
        match kb.doctrine(d) {
            Some(id) => doctrines.push(id),
            None => failures.push(format!("unknown doctrine `{d}`")),
        }
    }
    let a: TimelineAssessment<'_> = assess_timeline(kb, &s.case, &doctrines, "en");
    for party in &s.expect {
        if let Some(p) = a.persons.iter().find(|p| p.person == party.id) {
            compare(
                &p.findings,
                &party.findings,
                &format!("person {}", p.person),
                &mut failures,
            );
            for (state, expected) in &party.states {
                match p
                    .states
                    .iter()
                    .find(|x| x.state.as_deref() == Some(state.as_str()))
                {
                    Some(sf) => compare(
                        &sf.findings,
                        expected,
                        &format!("person {} in {state}", p.person),
                        &mut failures,
                    ),
                    None => failures.push(format!(
                        "person {}: the journey does not touch {state}",
                        p.person
                    )),
                }
            }
            if let Some((want, line)) = &party.interrelations {
                let mut got: Vec<&str> = p
                    .interrelations
                    .iter()
                    .map(|r| r.pattern.as_str())
                    .collect();
                got.sort();
                let mut want: Vec<&str> = want.iter().map(String::as_str).collect();
                want.sort();
                if got != want {
                    failures.push(format!(
                        "line {line}: person {}: interrelations are [{}], expected [{}]",
                        p.person,
                        got.join(", "),
                        want.join(", ")
                    ));
                }
            }
            for (stage, events, line) in &party.stages {
                let got = p
                    .stages
                    .iter()
                    .find(|x| x.stage == *stage)
                    .map(|x| x.events.clone())
                    .unwrap_or_default();
                if got != *events {
                    failures.push(format!(
                        "line {line}: person {}: {} stage is [{}], expected [{}]",
                        p.person,
                        stage.name(),
                        got.join(", "),
                        events.join(", ")
                    ));
                }
            }
        } else if let Some(actor) = a.actors.iter().find(|x| x.actor == party.id) {
            let offences: Vec<Finding<'_>> =
                actor.offences.iter().map(|o| o.finding.clone()).collect();
            // An offence may be found towards several persons: the strongest value counts.
            let mut best: Vec<Finding<'_>> = Vec::new();
            for o in offences {
                match best.iter_mut().find(|b| b.concept == o.concept) {
                    Some(b) if o.value == Tri::True => *b = o,
                    Some(_) => {}
                    None => best.push(o),
                }
            }
            compare(
                &best,
                &party.offences,
                &format!("actor {}", actor.actor),
                &mut failures,
            );
        } else {
            failures.push(format!(
                "`{}` is neither a person nor an actor of the case",
                party.id
            ));
        }
    }
    Outcome {
        name: s.name.clone(),
        location,
        failures,
    }
}
