//! What a timeline case comes to: for each person, relative to each state the journey
//! touches, the statuses and consequences the law gives at each stage, with the events that
//! establish them; for each actor, the offences their own conduct meets. Each stage is judged
//! under the law in force on the date of its latest event, unless the case fixes a date.

use crate::derive::{Derivation, Stage, derive, journey};
use crate::timeline::*;
use delimit_engine::{Citation, Plan, Query, Tri, citation};
use delimit_law::{ConceptId, ConceptKind, DoctrineId, FactId, KnowledgeBase};
use jiff::civil::Date;
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

pub const TIMELINE_ASSESSMENT_SCHEMA: &str = "delimit.timeline-assessment/1";

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct TimelineAssessment<'a> {
    /// Always `delimit.timeline-assessment/1`.
    pub schema: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
    pub knowledge_base: String,
    pub doctrines: Vec<String>,
    pub persons: Vec<PersonFindings<'a>>,
    pub actors: Vec<ActorFindings<'a>>,
    /// Changes of the law between the earliest and the latest event of the case.
    pub law_changes: Vec<String>,
    pub warnings: Vec<String>,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct StageEvents {
    pub stage: Stage,
    pub events: Vec<String>,
    /// The same events for people: date, kind, place.
    pub summary: Vec<String>,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct PersonFindings<'a> {
    pub person: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination: Option<String>,
    pub stages: Vec<StageEvents>,
    /// What holds for the person whatever the state: trafficking, forced labour, their
    /// consequences.
    pub findings: Vec<Finding<'a>>,
    /// What holds relative to each state the journey touches: irregular entry, stay, work
    /// and exit; smuggling into it.
    pub states: Vec<StateFindings<'a>>,
    /// Questions that would settle what is still open, most decisive first.
    pub open_questions: Vec<String>,
    /// How irregular migration, smuggling and trafficking meet in this person's journey.
    pub interrelations: Vec<Interrelation<'a>>,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct StateFindings<'a> {
    /// ISO 3166-1 alpha-2 code of the state concerned; absent when the case names none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// What holds for the person relative to this state, at the end of the journey as told.
    pub findings: Vec<Finding<'a>>,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Finding<'a> {
    pub concept: String,
    pub label: String,
    /// status, offence or consequence.
    pub kind: String,
    pub value: Tri,
    /// The first stage of the journey at which the value was reached.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_stage: Option<Stage>,
    /// The value at the end of each stage of the journey, the journey told so far.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_stage: Vec<(Stage, Tri)>,
    /// The date whose law decided it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub law_of: Option<String>,
    pub citations: Vec<Citation<'a>>,
    /// Every provision cited was recalled or could not be found: the finding rests on no text
    /// that was read, and must be shown with that warning.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unchecked_basis: bool,
    /// The events whose facts the decision read.
    pub established_by: Vec<String>,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct ActorFindings<'a> {
    pub actor: String,
    pub roles: Vec<Role>,
    /// Offences the actor's own conduct meets, towards each person.
    pub offences: Vec<ActorOffence<'a>>,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct ActorOffence<'a> {
    pub person: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(flatten)]
    pub finding: Finding<'a>,
}

fn has_kind(kb: &KnowledgeBase, c: usize, k: ConceptKind) -> bool {
    kb.concepts[c].kinds.contains(&k)
}

/// Plans by date for one reading (knowledge base and doctrines). Building a plan walks the
/// whole law, and the stages, states and actors of a journey, and the journeys of a registry,
/// mostly share their dates: one cache serves many assessments, from many threads.
pub struct PlanCache<'k> {
    kb: &'k KnowledgeBase,
    doctrines: Vec<DoctrineId>,
    /// Which concepts read a fact relative to a state (see `state_relative`).
    state_relative: Vec<bool>,
    by_date: Mutex<HashMap<Date, Option<Arc<DatedPlan<'k>>>>>,
}

/// Past this many dates the cache starts again, so that memory stays bounded.
const CACHED_DATES: usize = 4096;

impl<'k> PlanCache<'k> {
    pub fn new(kb: &'k KnowledgeBase, doctrines: &[DoctrineId]) -> Self {
        PlanCache {
            kb,
            doctrines: doctrines.to_vec(),
            state_relative: state_relative(kb),
            by_date: Mutex::new(HashMap::new()),
        }
    }

    /// The knowledge base the plans are made from.
    pub fn kb(&self) -> &'k KnowledgeBase {
        self.kb
    }

    pub fn doctrines(&self) -> &[DoctrineId] {
        &self.doctrines
    }

    fn at(&self, as_of: Date) -> Option<Arc<DatedPlan<'k>>> {
        let lock = || self.by_date.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(found) = lock().get(&as_of) {
            return found.clone();
        }
        // Built outside the lock: another thread may build the same plan, which is harmless.
        let plan = Plan::new(
            self.kb,
            Query {
                as_of,
                doctrines: self.doctrines.clone(),
            },
        )
        .ok()
        .map(|p| Arc::new(DatedPlan::new(p)));
        let mut map = lock();
        if map.len() >= CACHED_DATES {
            map.clear();
        }
        map.insert(as_of, plan.clone());
        plan
    }
}

/// Evaluates a derivation under the law of its own date (or the case's fixed date).
fn values<'k>(
    plans: &PlanCache<'k>,
    d: &Derivation,
    fixed: Option<Date>,
) -> Option<(Date, Vec<Tri>, Arc<DatedPlan<'k>>)> {
    let as_of = fixed.or(d.latest)?;
    let plan = plans.at(as_of)?;
    let v = plan.evaluate(&d.facts).concepts;
    Some((as_of, v, plan))
}

/// A plan with what the findings ask of it again and again, worked out once per concept:
/// the facts its decision can read and the provisions it cites.
pub struct DatedPlan<'k> {
    plan: Plan<'k>,
    reads: Vec<OnceLock<Vec<FactId>>>,
    cites: Vec<OnceLock<Vec<Citation<'k>>>>,
}

impl<'k> std::ops::Deref for DatedPlan<'k> {
    type Target = Plan<'k>;
    fn deref(&self) -> &Plan<'k> {
        &self.plan
    }
}

impl<'k> DatedPlan<'k> {
    fn new(plan: Plan<'k>) -> Self {
        let n = plan.kb.concepts.len();
        DatedPlan {
            plan,
            reads: (0..n).map(|_| OnceLock::new()).collect(),
            cites: (0..n).map(|_| OnceLock::new()).collect(),
        }
    }

    /// The facts concept `c`'s decision can read, directly or through other concepts.
    fn reads(&self, c: usize) -> &[FactId] {
        self.reads[c].get_or_init(|| {
            let plan = &self.plan;
            let mut facts = Vec::new();
            let mut stack = vec![c];
            let mut seen = vec![false; plan.kb.concepts.len()];
            while let Some(x) = stack.pop() {
                if std::mem::replace(&mut seen[x], true) {
                    continue;
                }
                let Some(tree) = &plan.trees[x] else { continue };
                let mut trees = vec![tree];
                while let Some(t) = trees.pop() {
                    let rule = &plan.kb.rules[t.rule];
                    rule.value.facts(&mut facts);
                    rule.value.concepts(&mut stack);
                    if let Some(w) = &rule.when {
                        w.facts(&mut facts);
                        w.concepts(&mut stack);
                    }
                    trees.extend(&t.exceptions);
                }
            }
            facts.sort_unstable();
            facts.dedup();
            facts
        })
    }

    /// The provisions the rules deciding `c` cite.
    fn unchecked_basis(&self, c: usize) -> bool {
        delimit_engine::unchecked_basis(&self.citations(c))
    }

    fn citations(&self, c: usize) -> Vec<Citation<'k>> {
        self.cites[c]
            .get_or_init(|| {
                let plan = &self.plan;
                let mut out: Vec<Citation<'k>> = Vec::new();
                if let Some(tree) = &plan.trees[c] {
                    let mut trees = vec![tree];
                    while let Some(t) = trees.pop() {
                        for &p in &plan.kb.rules[t.rule].cites {
                            if !out.iter().any(|x| x.provision == plan.kb.provisions[p].id) {
                                out.push(citation(plan.kb, p));
                            }
                        }
                        trees.extend(&t.exceptions);
                    }
                }
                out
            })
            .clone()
    }
}

/// The events whose facts a concept's decision read, through the facts it could read.
fn established_by(plan: &DatedPlan<'_>, c: usize, d: &Derivation) -> Vec<String> {
    let mut events: Vec<String> = plan
        .reads(c)
        .iter()
        .filter_map(|f| d.trace.get(f))
        .flatten()
        .cloned()
        .collect();
    events.sort();
    events.dedup();
    events
}

/// Assesses a timeline case.
pub fn assess_timeline<'a>(
    kb: &'a KnowledgeBase,
    case: &TimelineCase,
    doctrines: &[DoctrineId],
    lang: &str,
) -> TimelineAssessment<'a> {
    assess_timeline_with(&PlanCache::new(kb, doctrines), case, lang)
}

/// Assesses a timeline case under the reading of `plans`, reusing its plans.
pub fn assess_timeline_with<'a>(
    plans: &PlanCache<'a>,
    case: &TimelineCase,
    lang: &str,
) -> TimelineAssessment<'a> {
    let kb = plans.kb;
    let doctrines = plans.doctrines();
    let mut warnings = Vec::new();
    let mut persons = Vec::new();
    let mut actors: Vec<ActorFindings<'a>> = case
        .actors
        .iter()
        .map(|a| ActorFindings {
            actor: a.id.clone(),
            roles: a.roles.clone(),
            offences: Vec::new(),
        })
        .collect();
    let state_relative = &plans.state_relative;
    for person in &case.persons {
        let j = journey(case, &person.id);
        let stages: Vec<StageEvents> = Stage::ALL
            .iter()
            .filter_map(|s| {
                let events: Vec<String> = case
                    .events
                    .iter()
                    .zip(&j.stages)
                    .filter(|(_, x)| **x == Some(*s))
                    .map(|(e, _)| e.id.clone())
                    .collect();
                let summary = case
                    .events
                    .iter()
                    .zip(&j.stages)
                    .filter(|(_, x)| **x == Some(*s))
                    .map(|(e, _)| summarise(e))
                    .collect();
                (!events.is_empty()).then_some(StageEvents {
                    stage: *s,
                    events,
                    summary,
                })
            })
            .collect();
        let reached: Vec<Stage> = stages.iter().map(|s| s.stage).collect();
        let states: Vec<Option<String>> = if j.states.is_empty() {
            vec![None]
        } else {
            j.states.iter().cloned().map(Some).collect()
        };
        // Person-level findings read no state fact: judge them once, relative to the destination.
        let home = j.destination.clone().or_else(|| states[0].clone());
        let mut person_findings = Vec::new();
        let mut open = Vec::new();
        let mut patterns = Vec::new();
        if let Some(judged) = judge(
            kb,
            case,
            person,
            &j,
            home.as_deref(),
            &reached,
            plans,
            lang,
            |c| !state_relative[c],
            &mut warnings,
        ) {
            patterns = interrelations(kb, case, person, &j, &judged, lang);
            person_findings = judged.findings;
            open = judged.open;
        }
        let mut state_findings = Vec::new();
        for state in &states {
            let findings = judge(
                kb,
                case,
                person,
                &j,
                state.as_deref(),
                &reached,
                plans,
                lang,
                |c| state_relative[c],
                &mut warnings,
            )
            .map(|judged| judged.findings)
            .unwrap_or_default();
            state_findings.push(StateFindings {
                state: state.clone(),
                findings,
            });
        }
        // Each actor, through the events they took part in, towards this person.
        let last_stage = reached.last().copied().unwrap_or(Stage::Recruitment);
        for (i, actor) in case.actors.iter().enumerate() {
            for state in &states {
                let d = derive(
                    kb,
                    case,
                    person,
                    &j,
                    state.as_deref(),
                    last_stage,
                    Some(&actor.id),
                );
                if d.trace.values().all(|events| events.is_empty()) {
                    continue;
                }
                let Some((as_of, v, plan)) = values(plans, &d, case.as_of) else {
                    continue;
                };
                for c in (0..kb.concepts.len())
                    .filter(|&c| has_kind(kb, c, ConceptKind::Offence) && v[c] != Tri::False)
                {
                    // Towards one person, the offence is reported once: where it holds, if it
                    // holds relative to any state, else where it is open.
                    let existing = actors[i].offences.iter().position(|o| {
                        o.person == person.id && o.finding.concept == kb.concepts[c].name
                    });
                    match existing {
                        Some(k)
                            if actors[i].offences[k].finding.value == Tri::Unknown
                                && v[c] == Tri::True =>
                        {
                            actors[i].offences.remove(k);
                        }
                        Some(_) => continue,
                        None => {}
                    }
                    actors[i].offences.push(ActorOffence {
                        person: person.id.clone(),
                        state: state.clone(),
                        finding: Finding {
                            concept: kb.concepts[c].name.clone(),
                            label: kb.concepts[c].label.get(lang).to_string(),
                            kind: "offence".into(),
                            value: v[c],
                            from_stage: None,
                            by_stage: Vec::new(),
                            law_of: Some(as_of.to_string()),
                            unchecked_basis: plan.unchecked_basis(c),
                            citations: plan.citations(c),
                            established_by: established_by(&plan, c, &d),
                        },
                    });
                }
            }
        }
        persons.push(PersonFindings {
            person: person.id.clone(),
            origin: j.origin.clone(),
            destination: j.destination.clone(),
            stages,
            findings: person_findings,
            states: state_findings,
            open_questions: open,
            interrelations: patterns,
        });
    }
    TimelineAssessment {
        schema: TIMELINE_ASSESSMENT_SCHEMA.into(),
        case: case.id.clone(),
        knowledge_base: kb.hash.clone(),
        doctrines: doctrines
            .iter()
            .map(|&d| kb.doctrines[d].id.clone())
            .collect(),
        persons,
        actors,
        law_changes: law_changes(kb, case),
        warnings,
    }
}

/// Why a finding came out as it did: the explanation tree of `concept` for `person`,
/// relative to `state`, over the journey up to `stage`, from the facts the events there
/// establish, through the concept's rules, to its value. `None` when the person is not in
/// the case or no date fixes which law applies.
pub fn explain_finding<'a>(
    plans: &PlanCache<'a>,
    case: &TimelineCase,
    person: &str,
    state: Option<&str>,
    stage: Stage,
    concept: ConceptId,
    lang: &str,
) -> Option<delimit_engine::Explanation<'a>> {
    let person = case.persons.iter().find(|p| p.id == person)?;
    let j = journey(case, &person.id);
    let d = derive(plans.kb, case, person, &j, state, stage, None);
    let plan = plans.at(case.as_of.or(d.latest)?)?;
    let values = plan.evaluate(&d.facts);
    Some(plan.explain(concept, &d.facts, &values, lang))
}

/// One line for an event: when, what, where, who.
fn summarise(e: &Event) -> String {
    let when = match &e.date {
        When::Exact(d) => d.to_string(),
        When::Range { from, to } => format!("{from} to {to}"),
        When::Unknown => "date unknown".to_string(),
    };
    let kind = serde_json::to_value(e.kind)
        .ok()
        .and_then(|v| v.as_str().map(|s| s.replace('_', " ")))
        .unwrap_or_default();
    let place = match (&e.from, &e.to, &e.place) {
        (Some(f), Some(t), _) => format!(" {f} → {t}"),
        (_, _, Some(p)) => format!(
            " in {}{}",
            p.country,
            p.region
                .as_deref()
                .map(|r| format!(" ({r})"))
                .unwrap_or_default()
        ),
        _ => String::new(),
    };
    let actors = if e.actors.is_empty() {
        String::new()
    } else {
        format!(" with {}", e.actors.join(", "))
    };
    format!("{when}  {kind}{place}{actors} [{}]", e.id)
}

/// Per concept: whether its rules, through the concepts they read, read a fact that is
/// relative to a state.
fn state_relative(kb: &KnowledgeBase) -> Vec<bool> {
    let state_facts: Vec<usize> = crate::derive::STATE_FACTS
        .iter()
        .filter_map(|f| kb.fact(f))
        .collect();
    let mut out = vec![false; kb.concepts.len()];
    // Concepts come in an order where each follows those it reads.
    for &c in &kb.order {
        out[c] = kb.rules.iter().filter(|r| r.concept == c).any(|r| {
            let mut facts = Vec::new();
            let mut concepts = Vec::new();
            for e in std::iter::once(&r.value).chain(r.when.as_ref()) {
                e.facts(&mut facts);
                e.concepts(&mut concepts);
            }
            facts.iter().any(|f| state_facts.contains(f)) || concepts.iter().any(|d| out[*d])
        });
    }
    out
}

/// The statuses and consequences among `wanted` concepts for a person relative to a state,
/// stage by stage, and the open questions at the end.
#[allow(clippy::too_many_arguments)]
fn judge<'a>(
    kb: &'a KnowledgeBase,
    case: &TimelineCase,
    person: &Person,
    j: &crate::derive::Journey,
    state: Option<&str>,
    reached: &[Stage],
    plans: &PlanCache<'a>,
    lang: &str,
    wanted: impl Fn(usize) -> bool,
    warnings: &mut Vec<String>,
) -> Option<Judged<'a>> {
    let mut firsts: Vec<Option<Stage>> = vec![None; kb.concepts.len()];
    let mut by_stage: Vec<Vec<(Stage, Tri)>> = vec![Vec::new(); kb.concepts.len()];
    let mut last: Option<(Date, Vec<Tri>, Arc<DatedPlan<'a>>, Derivation)> = None;
    for &stage in reached {
        let d = derive(kb, case, person, j, state, stage, None);
        for p in &d.problems {
            if !warnings.contains(p) {
                warnings.push(p.clone());
            }
        }
        let Some((as_of, v, plan)) = values(plans, &d, case.as_of) else {
            continue;
        };
        for (c, value) in v.iter().enumerate() {
            if *value == Tri::True && firsts[c].is_none() {
                firsts[c] = Some(stage);
            }
            by_stage[c].push((stage, *value));
        }
        last = Some((as_of, v, plan, d));
    }
    let (as_of, v, plan, d) = last?;
    let mut findings = Vec::new();
    for c in (0..kb.concepts.len()).filter(|&c| wanted(c)) {
        let kind = if has_kind(kb, c, ConceptKind::Status) {
            "status"
        } else if has_kind(kb, c, ConceptKind::Consequence) {
            "consequence"
        } else {
            continue;
        };
        if v[c] == Tri::False {
            continue;
        }
        findings.push(Finding {
            concept: kb.concepts[c].name.clone(),
            label: kb.concepts[c].label.get(lang).to_string(),
            kind: kind.into(),
            value: v[c],
            from_stage: firsts[c],
            by_stage: std::mem::take(&mut by_stage[c]),
            law_of: Some(as_of.to_string()),
            unchecked_basis: plan.unchecked_basis(c),
            citations: plan.citations(c),
            established_by: established_by(&plan, c, &d),
        });
    }
    let vals = plan.evaluate(&d.facts);
    let mut opened = plan.open_facts(&d.facts, &vals);
    for (c, set) in opened.iter_mut().enumerate() {
        if !wanted(c)
            || !(has_kind(kb, c, ConceptKind::Status) || has_kind(kb, c, ConceptKind::Consequence))
        {
            *set = delimit_engine::FactSet::default();
        }
    }
    let open = plan
        .ranked_deciding(&opened)
        .into_iter()
        .take(8)
        .map(|(f, _)| kb.facts[f].question.get(lang).to_string())
        .collect();
    let in_force = plan.trees.iter().map(Option::is_some).collect();
    Some(Judged {
        findings,
        open,
        values: v,
        firsts,
        facts: d.facts,
        in_force,
    })
}

/// What `judge` finds: the findings, the open questions, and every concept's value with the
/// stage from which it held.
struct Judged<'a> {
    findings: Vec<Finding<'a>>,
    open: Vec<String>,
    values: Vec<Tri>,
    firsts: Vec<Option<Stage>>,
    facts: delimit_engine::Facts,
    /// Whether a rule deciding each concept was in force: undetermined for want of law is not
    /// undetermined for want of facts.
    in_force: Vec<bool>,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Interrelation<'a> {
    pub pattern: String,
    pub label: String,
    pub sentence: String,
    pub citations: Vec<Citation<'a>>,
}

/// The shape of a person's journey: `none`, `crossing` or `return` (out and back).
fn journey_shape(case: &TimelineCase, j: &crate::derive::Journey) -> &'static str {
    let crossings: Vec<&Event> = case
        .events
        .iter()
        .zip(&j.stages)
        .filter(|(e, s)| s.is_some() && e.kind == EventKind::BorderCrossing)
        .map(|(e, _)| e)
        .collect();
    if crossings.is_empty() {
        return "none";
    }
    let back_home = j.origin.is_some() && crossings.iter().skip(1).any(|e| e.to == j.origin);
    if back_home { "return" } else { "crossing" }
}

/// The patterns of the law that a person's conclusions show.
fn interrelations<'a>(
    kb: &'a KnowledgeBase,
    case: &TimelineCase,
    person: &Person,
    j: &crate::derive::Journey,
    judged: &Judged<'_>,
    lang: &str,
) -> Vec<Interrelation<'a>> {
    let value = |name: &str| kb.concept(name).map(|c| judged.values[c]);
    let first = |name: &str| kb.concept(name).and_then(|c| judged.firsts[c]);
    // The journey's shape and whether anyone else took part are read from its events; a case
    // that tells no journey (a person's statements at an interview, say) leaves both unknown.
    let told = case
        .events
        .iter()
        .zip(&j.stages)
        .any(|(e, s)| s.is_some() && e.kind != EventKind::Identification);
    let shape = told.then(|| journey_shape(case, j));
    let alone = told
        && case
            .events
            .iter()
            .zip(&j.stages)
            .filter(|(_, s)| s.is_some())
            .all(|(e, _)| e.actors.is_empty() && e.payee.as_deref().is_none_or(|p| p == person.id));
    kb.patterns
        .iter()
        .filter(|p| {
            p.requires.iter().all(|c| value(c) == Some(Tri::True))
                && p.excludes.iter().all(|c| value(c) == Some(Tri::False))
                && (p.open.is_empty()
                    || (p.open.iter().all(|c| value(c) != Some(Tri::True))
                        && p.open.iter().any(|c| {
                            value(c) == Some(Tri::Unknown)
                                && kb.concept(c).is_some_and(|id| judged.in_force[id])
                        })))
                && p.before
                    .iter()
                    .all(|(a, b)| matches!((first(a), first(b)), (Some(x), Some(y)) if x < y))
                && p.journey.as_deref().is_none_or(|want| Some(want) == shape)
                && (!p.alone || alone)
                && p.given.iter().all(|f| {
                    kb.fact(f).and_then(|id| judged.facts.get(id))
                        == Some(delimit_engine::FactValue::Bool(true))
                })
        })
        .map(|p| {
            let mut sentence = p.sentence.get(lang).to_string();
            while let Some(i) = sentence.find("{stage:") {
                let Some(len) = sentence[i..].find('}') else {
                    break;
                };
                let concept = &sentence[i + 7..i + len];
                let stage = first(concept).map(|s| s.name()).unwrap_or("?");
                sentence.replace_range(i..=i + len, stage);
            }
            Interrelation {
                pattern: p.id.clone(),
                label: p.label.get(lang).to_string(),
                sentence,
                citations: p
                    .cites
                    .iter()
                    .filter_map(|c| kb.provision(c))
                    .map(|id| citation(kb, id))
                    .collect(),
            }
        })
        .collect()
}

/// Rule versions in force on the first day of the case but not on the last, and back.
/// A rule that came into force, or ceased to apply, between a journey's first event and its
/// last: each stage is then judged under the law of its own date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LawChange<'a> {
    pub rule: &'a str,
    pub concept: &'a str,
    /// Whether the rule came into force (else it ceased to apply).
    pub came_into_force: bool,
    /// The day it came into force, or the last day it applied.
    pub on: Option<Date>,
    pub first_event: Date,
    pub last_event: Date,
}

/// The rules that changed between the first and the last event of `case` (none when the
/// case fixes one date for the whole journey).
pub fn law_changes_during<'a>(kb: &'a KnowledgeBase, case: &TimelineCase) -> Vec<LawChange<'a>> {
    let first = case.events.iter().filter_map(|e| e.date.earliest()).min();
    let last = case.events.iter().filter_map(|e| e.date.latest()).max();
    let (Some(first), Some(last)) = (first, last) else {
        return Vec::new();
    };
    if case.as_of.is_some() {
        return Vec::new();
    }
    kb.rules
        .iter()
        .filter(|r| r.in_force_on(first) != r.in_force_on(last))
        .map(|r| {
            let came_into_force = r.in_force_on(last);
            LawChange {
                rule: &r.id,
                concept: &kb.concepts[r.concept].name,
                came_into_force,
                on: if came_into_force {
                    Some(r.from)
                } else {
                    r.until
                },
                first_event: first,
                last_event: last,
            }
        })
        .collect()
}

fn law_changes(kb: &KnowledgeBase, case: &TimelineCase) -> Vec<String> {
    law_changes_during(kb, case)
        .into_iter()
        .map(|c| {
            let on = c.on.map(|d| d.to_string()).unwrap_or_default();
            let change = if c.came_into_force {
                format!("came into force on {on}")
            } else {
                format!("ceased to apply after {on}")
            };
            format!(
                "rule {} ({}) {change}, between the case's first event ({}) and its last ({}): each stage is judged under the law of its own date",
                c.rule, c.concept, c.first_event, c.last_event
            )
        })
        .collect()
}
