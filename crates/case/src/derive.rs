//! From a timeline to the element facts the law needs, for one person, relative to one
//! state, over the journey up to a stage; each fact traced to the events that establish it.
//!
//! Two principles, stated once: an event the timeline does not record did not happen (a
//! journey with no recruitment event had no recruitment); an attribute it does not give is
//! unknown (a crossing whose documents are not said leaves the documents open).

use crate::timeline::*;
use delimit_engine::{FactValue, Facts};
use delimit_law::{FactId, FactType, KnowledgeBase};
use jiff::civil::Date;
use serde::Serialize;
use std::collections::BTreeMap;

/// The stages of a journey, in order.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Recruitment,
    Transit,
    Destination,
    Exit,
}

impl Stage {
    pub const ALL: [Stage; 4] = [
        Stage::Recruitment,
        Stage::Transit,
        Stage::Destination,
        Stage::Exit,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Stage::Recruitment => "recruitment",
            Stage::Transit => "transit",
            Stage::Destination => "destination",
            Stage::Exit => "exit or return",
        }
    }
}

/// A person's journey: the stage of each event that concerns them, and the states.
#[derive(Clone, Debug)]
pub struct Journey {
    /// Per event of the case, its stage if it concerns the person.
    pub stages: Vec<Option<Stage>>,
    pub origin: Option<String>,
    pub destination: Option<String>,
    /// Every state the journey touches, in order of appearance.
    pub states: Vec<String>,
}

fn concerns(e: &Event, person: &str) -> bool {
    e.persons.iter().any(|p| p == person)
        || e.payer.as_deref() == Some(person)
        || e.payee.as_deref() == Some(person)
}

/// Splits a person's events into stages: a journey only moves forward.
pub fn journey(case: &TimelineCase, person: &str) -> Journey {
    let mut stage = Stage::Recruitment;
    let mut stages = Vec::with_capacity(case.events.len());
    let mut origin: Option<String> = None;
    let mut destination: Option<String> = None;
    let mut states: Vec<String> = Vec::new();
    let note = |s: &String, states: &mut Vec<String>| {
        if !states.contains(s) {
            states.push(s.clone());
        }
    };
    for e in &case.events {
        if !concerns(e, person) {
            stages.push(None);
            continue;
        }
        if let Some(p) = &e.place {
            note(&p.country, &mut states);
            if origin.is_none() && e.kind == EventKind::Recruitment {
                origin = Some(p.country.clone());
            }
        }
        let next = match e.kind {
            EventKind::Recruitment => Some(Stage::Recruitment),
            EventKind::Transportation | EventKind::Transfer | EventKind::Entry => {
                Some(Stage::Transit)
            }
            EventKind::BorderCrossing => {
                if let Some(f) = &e.from {
                    note(f, &mut states);
                    if origin.is_none() {
                        origin = Some(f.clone());
                    }
                }
                if let Some(t) = &e.to {
                    note(t, &mut states);
                }
                let leaving =
                    destination.is_some() && e.from == destination && stage >= Stage::Destination;
                if leaving {
                    Some(Stage::Exit)
                } else {
                    destination = e.to.clone().or(destination);
                    Some(Stage::Transit)
                }
            }
            EventKind::Harbouring
            | EventKind::Receipt
            | EventKind::Stay
            | EventKind::Work
            | EventKind::Exploitation => Some(Stage::Destination),
            EventKind::Exit => Some(Stage::Exit),
            EventKind::Payment
            | EventKind::Debt
            | EventKind::Control
            | EventKind::EscapeOrRescue
            | EventKind::Identification => None,
        };
        if let Some(n) = next
            && n > stage
        {
            stage = n;
        }
        stages.push(Some(stage));
    }
    if destination.is_none() {
        destination = case
            .events
            .iter()
            .zip(&stages)
            .filter(|(_, s)| **s == Some(Stage::Destination))
            .find_map(|(e, _)| e.place.as_ref().map(|p| p.country.clone()));
    }
    if origin.is_none() {
        origin = case
            .events
            .iter()
            .zip(&stages)
            .find_map(|(e, s)| s.and(e.place.as_ref()).map(|p| p.country.clone()));
    }
    Journey {
        stages,
        origin,
        destination,
        states,
    }
}

/// The facts the derivation reads relative to a state: a concept that depends on none of
/// them says the same of the person whatever the state.
pub const STATE_FACTS: &[&str] = &[
    "person_is_national",
    "person_is_permanent_resident",
    "crossed_border",
    "entry_met_requirements",
    "document_used",
    "entry_procured_by_another",
    "benefit_sought",
    "left_country",
    "exit_met_requirements",
    "stay_authorised",
    "working",
    "work_authorised",
];

/// Facts derived for one person, one state and the journey up to one stage.
#[derive(Clone, Debug)]
pub struct Derivation {
    pub facts: Facts,
    /// For each fact set: the events that established it (none: the person's own data).
    pub trace: BTreeMap<FactId, Vec<String>>,
    /// The date of the latest event taken into account: the law of that day applies.
    pub latest: Option<Date>,
    /// Facts named in the case that the law does not know, or values that do not fit.
    pub problems: Vec<String>,
}

struct Builder<'a> {
    kb: &'a KnowledgeBase,
    out: Derivation,
}

impl Builder<'_> {
    fn set(&mut self, name: &str, value: FactValue, events: &[&Event]) {
        let Some(f) = self.kb.fact(name) else { return };
        if !value.fits(&self.kb.facts[f].ty) {
            return;
        }
        self.out.facts.set(f, value);
        self.out
            .trace
            .insert(f, events.iter().map(|e| e.id.clone()).collect());
    }

    fn set_bool(&mut self, name: &str, value: Option<bool>, events: &[&Event]) {
        if let Some(v) = value {
            self.set(name, FactValue::Bool(v), events);
        }
    }

    /// A several-of fact: these options hold; when `complete`, no other does.
    fn set_options(&mut self, name: &str, holding: &[&str], complete: bool, events: &[&Event]) {
        let Some(f) = self.kb.fact(name) else { return };
        let options = self.kb.facts[f].ty.options();
        let all = if options.len() >= 64 {
            u64::MAX
        } else {
            (1u64 << options.len()) - 1
        };
        let mut value = 0u64;
        for h in holding {
            if let Some(i) = options.iter().position(|o| o == h) {
                value |= 1 << i;
            }
        }
        let known = if complete { all } else { value };
        if known != 0 {
            self.set(name, FactValue::Set { known, value }, events);
        }
    }

    fn set_choice(&mut self, name: &str, option: &str, events: &[&Event]) {
        let Some(f) = self.kb.fact(name) else { return };
        if let Some(i) = self.kb.facts[f]
            .ty
            .options()
            .iter()
            .position(|o| o == option)
        {
            self.set(name, FactValue::Choice(i), events);
        }
    }

    /// Facts stated directly in the case, in the law's own vocabulary.
    fn stated(&mut self, facts: &BTreeMap<String, serde_json::Value>, events: &[&Event]) {
        for (name, v) in facts {
            let Some(f) = self.kb.fact(name) else {
                self.out
                    .problems
                    .push(format!("`{name}` is not a fact of the law"));
                continue;
            };
            match json_fact(&self.kb.facts[f].ty, v) {
                Ok(Some(value)) => self.set(name, value, events),
                // Stated as not known (or refused): that beats what the events would imply,
                // as when a person asked says they do not know.
                Ok(None) => {
                    self.out.facts.clear(f);
                    self.out.trace.remove(&f);
                }
                Err(expected) => self
                    .out
                    .problems
                    .push(format!("`{name}`: expected {expected}")),
            }
        }
    }
}

/// A fact value written in JSON, as in a flat case file.
pub fn json_fact(ty: &FactType, v: &serde_json::Value) -> Result<Option<FactValue>, String> {
    use serde_json::Value as J;
    if v.is_null() || v.as_str().is_some_and(|s| s == "unknown" || s == "refused") {
        return Ok(None);
    }
    match (ty, v) {
        (FactType::YesNo, _) => yes_no(v)
            .map(|b| Some(FactValue::Bool(b)))
            .ok_or_else(|| "yes or no".into()),
        (FactType::Number, J::Number(n)) => n
            .as_f64()
            .map(|x| Some(FactValue::Number(x)))
            .ok_or_else(|| "a number".into()),
        (FactType::Number, _) => Err("a number".into()),
        (FactType::Date, J::String(s)) => s
            .parse::<Date>()
            .map(|d| Some(FactValue::Date(d)))
            .map_err(|_| "a date".into()),
        (FactType::Date, _) => Err("a date".into()),
        (FactType::OneOf(o), J::String(s)) => o
            .iter()
            .position(|x| x == s)
            .map(|i| Some(FactValue::Choice(i)))
            .ok_or_else(|| format!("one of {}", o.join(", "))),
        (FactType::OneOf(o), _) => Err(format!("one of {}", o.join(", "))),
        (FactType::SeveralOf(o), J::Array(items)) => {
            let mut value = 0u64;
            for it in items {
                let i = it
                    .as_str()
                    .and_then(|s| o.iter().position(|x| x == s))
                    .ok_or_else(|| format!("options of {}", o.join(", ")))?;
                value |= 1 << i;
            }
            let all = if o.len() >= 64 {
                u64::MAX
            } else {
                (1u64 << o.len()) - 1
            };
            Ok(Some(FactValue::Set { known: all, value }))
        }
        (FactType::SeveralOf(o), J::Object(map)) => {
            // Some options known, the others left open: `{deception: yes, force: no}`.
            let (mut known, mut value) = (0u64, 0u64);
            for (name, held) in map {
                let i = o
                    .iter()
                    .position(|x| x == name)
                    .ok_or_else(|| format!("options of {}", o.join(", ")))?;
                if let Some(b) = yes_no(held) {
                    known |= 1 << i;
                    value |= u64::from(b) << i;
                } else if !(held.is_null() || held.as_str() == Some("unknown")) {
                    return Err(format!("yes or no for each option of {}", o.join(", ")));
                }
            }
            Ok(Some(FactValue::Set { known, value }))
        }
        (FactType::SeveralOf(o), _) => Err(format!("a list of options of {}", o.join(", "))),
    }
}

/// A boolean, or a yes-or-no word ([`crate::yaml::yes_no`]).
fn yes_no(v: &serde_json::Value) -> Option<bool> {
    match v {
        serde_json::Value::Bool(b) => Some(*b),
        serde_json::Value::String(s) => crate::yaml::yes_no(s),
        _ => None,
    }
}

/// A fact's value as a case file writes it, the inverse of [`json_fact`]: yes or no, a
/// number, a date, an option's name, or the list of options that hold (a set with options
/// left unknown is written as a map of the known ones).
pub fn fact_json(ty: &FactType, v: FactValue) -> Option<serde_json::Value> {
    use serde_json::Value as J;
    Some(match (v, ty) {
        (FactValue::Bool(b), _) => J::Bool(b),
        (FactValue::Number(n), _) => serde_json::Number::from_f64(n).map(J::Number)?,
        (FactValue::Date(d), _) => J::String(d.to_string()),
        (FactValue::Choice(i), FactType::OneOf(o)) => J::String(o.get(i)?.clone()),
        (FactValue::Set { known, value }, FactType::SeveralOf(o)) => {
            let all = if o.len() >= 64 {
                u64::MAX
            } else {
                (1u64 << o.len()) - 1
            };
            let held = |i: usize| value & (1 << i) != 0;
            if known & all == all {
                J::Array(
                    (0..o.len())
                        .filter(|&i| held(i))
                        .map(|i| J::String(o[i].clone()))
                        .collect(),
                )
            } else {
                J::Object(
                    (0..o.len())
                        .filter(|&i| known & (1 << i) != 0)
                        .map(|i| (o[i].clone(), J::Bool(held(i))))
                        .collect(),
                )
            }
        }
        _ => return None,
    })
}

fn means_name(m: Means) -> &'static str {
    match m {
        Means::Threat => "threat",
        Means::Force => "force",
        Means::OtherCoercion => "other_coercion",
        Means::Abduction => "abduction",
        Means::Fraud => "fraud",
        Means::Deception => "deception",
        Means::AbuseOfPower => "abuse_of_power",
        Means::AbuseOfVulnerability => "abuse_of_vulnerability",
        Means::PaymentToPersonInControl => "payment_to_person_in_control",
    }
}

/// How a means of control (HTCDS) reads as a means of trafficking, where it does.
pub fn control_as_means(c: Control) -> Option<&'static str> {
    match c {
        Control::PhysicalThreats
        | Control::ThreatsLawEnforcement
        | Control::ThreatensChildrenFamily => Some("threat"),
        Control::PhysicalAbuse | Control::SexualAbuse => Some("force"),
        Control::DebtBondage
        | Control::WithholdsDocuments
        | Control::TakesEarnings
        | Control::RestrictsFinancialAccess
        | Control::RestrictsMedicalCare
        | Control::WithholdsNecessities
        | Control::PsychologicalAbuse
        | Control::PsychoactiveSubstance => Some("other_coercion"),
        Control::FalsePromises => Some("deception"),
        Control::ExcessiveWorkingHours | Control::Other => None,
    }
}

/// How a type of exploitation (HTCDS) reads as a purpose of exploitation, where it does.
pub fn exploitation_as_purpose(x: Exploitation) -> Option<&'static str> {
    match x {
        Exploitation::ForcedLabour | Exploitation::ForcedBegging => {
            Some("forced_labour_or_services")
        }
        Exploitation::SexualExploitation => Some("other_sexual_exploitation"),
        Exploitation::ForcedMarriage => Some("practices_similar_to_slavery"),
        Exploitation::Servitude => Some("servitude"),
        Exploitation::OrganRemoval => Some("removal_of_organs"),
        // Not in the Protocol's list, which is a minimum: the law leaves them open.
        Exploitation::ForcedMilitaryByNonStateActors
        | Exploitation::ForcedAdoption
        | Exploitation::Surrogacy
        | Exploitation::Other => Some("other_exploitation"),
        Exploitation::ChildLabour => None,
    }
}

fn act_name(k: EventKind) -> Option<&'static str> {
    match k {
        EventKind::Recruitment => Some("recruitment"),
        EventKind::Transportation => Some("transportation"),
        EventKind::Transfer => Some("transfer"),
        EventKind::Harbouring => Some("harbouring"),
        EventKind::Receipt => Some("receipt"),
        _ => None,
    }
}

/// Whether a crossing met the requirements: said directly, or ruled out by its documents or
/// by crossing away from a checkpoint.
fn crossing_lawful(e: &Event) -> Option<bool> {
    if let Answer::Known(l) = e.lawful {
        return Some(l);
    }
    let bad_documents = matches!(e.documents, Answer::Known(d) if d != Documents::OwnValid);
    if bad_documents || e.at_checkpoint == Answer::Known(false) {
        return Some(false);
    }
    // Own valid documents at a checkpoint still leave open whether a visa or permission was needed.
    None
}

/// Derives the facts for `person` relative to `state`, from the events up to `upto`;
/// with `actor`, only the events that actor took part in.
pub fn derive(
    kb: &KnowledgeBase,
    case: &TimelineCase,
    person: &Person,
    journey: &Journey,
    state: Option<&str>,
    upto: Stage,
    actor: Option<&str>,
) -> Derivation {
    let mut b = Builder {
        kb,
        out: Derivation {
            facts: Facts::unknown(kb),
            trace: BTreeMap::new(),
            latest: None,
            problems: Vec::new(),
        },
    };
    // The person's journey up to the stage: where they went, stayed and worked.
    let travelled: Vec<&Event> = case
        .events
        .iter()
        .zip(&journey.stages)
        .filter(|(_, s)| s.is_some_and(|s| s <= upto))
        .map(|(e, _)| e)
        .collect();
    // The conduct judged: everyone's, or one actor's.
    let events: Vec<&Event> = travelled
        .iter()
        .copied()
        .filter(|e| {
            actor.is_none_or(|a| e.actors.iter().any(|x| x == a) || e.payee.as_deref() == Some(a))
        })
        .collect();
    b.out.latest = travelled.iter().filter_map(|e| e.date.latest()).max();
    let none: [&Event; 0] = [];
    let of_kind = |k: EventKind| events.iter().copied().filter(move |e| e.kind == k);
    let travelled_kind = |k: EventKind| travelled.iter().copied().filter(move |e| e.kind == k);
    let in_state = |e: &&Event| {
        state.is_none_or(|s| {
            e.place.as_ref().is_none_or(|p| p.country == s)
                || (e.place.is_none() && journey.destination.as_deref() == Some(s))
        })
    };

    // The person, relative to the state.
    let national = match (&person.citizenships, &person.stateless, state) {
        (_, Answer::Known(true), _) => Some(false),
        (Answer::Known(c), _, Some(s)) => Some(c.iter().any(|x| x == s)),
        _ => None,
    };
    b.set_bool("person_is_national", national, &none);
    if let (Answer::Known(pr), Some(s)) = (&person.permanent_residence, state) {
        b.set_bool(
            "person_is_permanent_resident",
            Some(pr.iter().any(|x| x == s)),
            &none,
        );
    }
    if let Answer::Known(Birth::Date(d)) = &person.birth {
        b.set("birth_date", FactValue::Date(*d), &none);
    }

    // Crossings into and out of the state.
    let crossings: Vec<&Event> = travelled_kind(EventKind::BorderCrossing).collect();
    let into: Vec<&Event> = crossings
        .iter()
        .copied()
        .filter(|e| state.is_none_or(|s| e.to.as_deref() == Some(s)))
        .collect();
    let out_of: Vec<&Event> = crossings
        .iter()
        .copied()
        .filter(|e| state.is_some_and(|s| e.from.as_deref() == Some(s)))
        .collect();
    let is_origin = state.is_some() && journey.origin.as_deref() == state;
    if let Some(e) = into.last() {
        b.set_bool("crossed_border", Some(true), &[e]);
        b.set_bool("entry_met_requirements", crossing_lawful(e), &[e]);
        if let Answer::Known(d) = e.documents {
            let option = match d {
                Documents::OwnValid => Some("own_valid"),
                Documents::Falsified => Some("falsified"),
                Documents::ImproperlyObtained => Some("improperly_obtained"),
                Documents::SomeoneElses => Some("someone_elses"),
                Documents::None => Some("none"),
                Documents::Fraudulent => None,
            };
            if let Some(o) = option {
                b.set_choice("document_used", o, &[e]);
            }
        }
        let helpers: Vec<&Event> = events
            .iter()
            .copied()
            .filter(|x| {
                (x.kind == EventKind::Transportation || x.kind == EventKind::BorderCrossing)
                    && !x.actors.is_empty()
            })
            .collect();
        let crossing = [*e];
        let why: &[&Event] = if helpers.is_empty() {
            &crossing
        } else {
            &helpers
        };
        b.set_bool("entry_procured_by_another", Some(!helpers.is_empty()), why);
        let fees: Vec<&Event> = of_kind(EventKind::Payment)
            .filter(|p| p.payment_purpose == Some(PaymentPurpose::Journey))
            .collect();
        if !fees.is_empty() {
            let paid = fees.iter().any(|p| p.amount_usd.is_none_or(|a| a > 0.0));
            b.set_bool("benefit_sought", Some(paid), &fees);
        }
    } else if is_origin || national == Some(true) {
        b.set_bool("crossed_border", Some(false), &none);
    }
    if let Some(e) = out_of.last() {
        b.set_bool("left_country", Some(true), &[e]);
        b.set_bool("exit_met_requirements", crossing_lawful(e), &[e]);
    } else if state.is_some() && travelled.iter().any(in_state) {
        b.set_bool("left_country", Some(false), &none);
    }

    // Stay and work in the state.
    let stays: Vec<&Event> = travelled_kind(EventKind::Stay).filter(in_state).collect();
    if let Some(e) = stays.last() {
        b.set_bool("stay_authorised", e.lawful.known().copied(), &[e]);
    }
    // The person's work; for one actor's conduct, only the work that actor took part in
    // (an employer employs the work it is party to).
    let works: Vec<&Event> = if actor.is_some() {
        of_kind(EventKind::Work).filter(in_state).collect()
    } else {
        travelled_kind(EventKind::Work).filter(in_state).collect()
    };
    if !works.is_empty() {
        b.set_bool("working", Some(true), &works);
        let answers: Vec<Option<bool>> = works.iter().map(|w| w.lawful.known().copied()).collect();
        let authorised = if answers.contains(&Some(false)) {
            Some(false)
        } else if answers.iter().all(|a| *a == Some(true)) {
            Some(true)
        } else {
            None
        };
        b.set_bool("work_authorised", authorised, &works);
    } else if travelled.iter().any(in_state) {
        b.set_bool("working", Some(false), &none);
    }

    // The elements of trafficking.
    let acts: Vec<&Event> = events
        .iter()
        .copied()
        .filter(|e| act_name(e.kind).is_some())
        .collect();
    let names: Vec<&str> = acts.iter().filter_map(|e| act_name(e.kind)).collect();
    b.set_options("act", &names, true, &acts);
    if let Some(first) = acts.iter().filter_map(|e| e.date.earliest()).min() {
        b.set("date_of_act", FactValue::Date(first), &acts);
    }
    let controls: Vec<&Event> = of_kind(EventKind::Control).collect();
    let mut means: Vec<&str> = Vec::new();
    let mut means_complete = !acts.is_empty() || !controls.is_empty();
    let mut means_events: Vec<&Event> = Vec::new();
    for e in acts.iter().chain(&controls) {
        match &e.means {
            Answer::Known(ms) => {
                means.extend(ms.iter().map(|m| means_name(*m)));
                if !ms.is_empty() {
                    means_events.push(e);
                }
            }
            _ if e.kind == EventKind::Control => {}
            _ => means_complete = false,
        }
        if e.kind == EventKind::Control {
            match &e.control {
                Answer::Known(cs) => {
                    let mapped: Vec<&str> =
                        cs.iter().filter_map(|c| control_as_means(*c)).collect();
                    if !mapped.is_empty() {
                        means_events.push(e);
                    }
                    means.extend(mapped);
                }
                _ if e.means.is_unknown() => means_complete = false,
                _ => {}
            }
        }
    }
    b.set_options("means", &means, means_complete, &means_events);
    let exploitations: Vec<&Event> = of_kind(EventKind::Exploitation).collect();
    let mut purposes: Vec<&str> = Vec::new();
    let mut purpose_complete = !acts.is_empty();
    for e in &acts {
        match &e.purpose {
            Answer::Known(p) => {
                purposes.extend(p.iter().filter_map(|x| exploitation_as_purpose(*x)))
            }
            _ => purpose_complete = false,
        }
    }
    for e in &exploitations {
        if let Answer::Known(types) = &e.exploitation {
            purposes.extend(types.iter().filter_map(|x| exploitation_as_purpose(*x)));
        }
    }
    let purpose_events: Vec<&Event> = acts.iter().chain(&exploitations).copied().collect();
    b.set_options("purpose", &purposes, purpose_complete, &purpose_events);
    let consents: Vec<Option<bool>> = acts.iter().map(|e| e.consent.known().copied()).collect();
    if consents.contains(&Some(false)) {
        b.set_bool("consent_given", Some(false), &acts);
    } else if consents.contains(&Some(true)) {
        b.set_bool("consent_given", Some(true), &acts);
    }
    if into.last().is_some() {
        let controlled: Vec<&Event> = controls
            .iter()
            .copied()
            .filter(|e| {
                !e.actors.is_empty() && journey_stage(case, journey, e) == Some(Stage::Destination)
            })
            .collect();
        b.set_bool(
            "controlled_after_entry",
            Some(!controlled.is_empty()),
            &controlled,
        );
    }

    // Facts the law says how to read from a journey: crossings of a named state's border.
    for fact in &kb.facts {
        let Some((how, code)) = &fact.journey else {
            continue;
        };
        let touching: Vec<&Event> = crossings
            .iter()
            .copied()
            .filter(|e| {
                e.from.as_deref() == Some(code.as_str()) || e.to.as_deref() == Some(code.as_str())
            })
            .collect();
        match how.as_str() {
            "crossed-border" => b.set_bool(&fact.name, Some(!touching.is_empty()), &touching),
            "crossing-lawful" if !touching.is_empty() => {
                let answers: Vec<Option<bool>> =
                    touching.iter().map(|e| crossing_lawful(e)).collect();
                let lawful = if answers.contains(&Some(false)) {
                    Some(false)
                } else if answers.iter().all(|a| *a == Some(true)) {
                    Some(true)
                } else {
                    None
                };
                b.set_bool(&fact.name, lawful, &touching);
            }
            _ => {}
        }
    }

    // Facts stated directly: the person's, then each event's in order.
    b.stated(&person.facts, &none);
    for e in &events {
        b.stated(&e.facts, &[e]);
    }
    b.out
}

fn journey_stage(case: &TimelineCase, journey: &Journey, e: &Event) -> Option<Stage> {
    case.events
        .iter()
        .position(|x| std::ptr::eq(x, e))
        .and_then(|i| journey.stages[i])
}
