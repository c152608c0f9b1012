//! The interview measured on scenarios: for each, the questions asked before nothing more can
//! change any conclusion, against the full questionnaire, and whether the outcome is the one
//! the full facts give.

use crate::{Interview, Next, Reply};
use delimit_engine::{Facts, Plan, Query};
use delimit_law::{ConceptKind, KnowledgeBase};
use jiff::civil::Date;

/// One scenario's run.
#[derive(Clone, Debug)]
pub struct Run {
    pub name: String,
    pub asked: usize,
    /// How many questions had been asked when the conclusions took their final values, none
    /// of the later answers changing any of them.
    pub settled_after: usize,
    pub full: usize,
    /// The conclusions reached by the interview are those of the full facts.
    pub same_outcome: bool,
}

/// Runs an interview in which every question is answered from `facts` ("don't know" where the
/// fact is not known).
pub fn simulate(
    kb: &KnowledgeBase,
    name: &str,
    facts: &Facts,
    as_of: Date,
    doctrines: Vec<usize>,
) -> Option<Run> {
    let plan = Plan::new(kb, Query { as_of, doctrines }).ok()?;
    let full_values = plan.evaluate(facts);
    let reported: Vec<usize> = (0..kb.concepts.len())
        .filter(|&c| {
            kb.concepts[c]
                .kinds
                .iter()
                .any(|k| matches!(k, ConceptKind::Status | ConceptKind::Consequence))
        })
        .collect();
    let mut interview = Interview::new(plan);
    interview.consent(true);
    let conclusions = |i: &Interview<'_>| {
        let values = i.plan().evaluate(&i.facts());
        reported
            .iter()
            .map(|&c| values.concepts[c])
            .collect::<Vec<_>>()
    };
    let mut history = vec![conclusions(&interview)];
    while let Next::Ask(f) = interview.next() {
        let reply = facts.get(f).map_or(Reply::DontKnow, Reply::Value);
        interview.answer(f, reply);
        history.push(conclusions(&interview));
    }
    let last = history.last().cloned().unwrap_or_default();
    let settled_after = history
        .iter()
        .rposition(|h| *h != last)
        .map_or(0, |i| i + 1);
    let got = interview.plan().evaluate(&interview.facts());
    let same_outcome = reported
        .iter()
        .all(|&c| got.concepts[c] == full_values.concepts[c]);
    Some(Run {
        name: name.to_string(),
        asked: interview.asked(),
        settled_after,
        full: interview.full_questionnaire(),
        same_outcome,
    })
}

/// The average share of the full questionnaire asked, in percent.
pub fn average_share(runs: &[Run]) -> f64 {
    average(runs, |r| r.asked)
}

/// The average share of the full questionnaire asked by the time the conclusions took their
/// final values, in percent.
pub fn average_settled_share(runs: &[Run]) -> f64 {
    average(runs, |r| r.settled_after)
}

fn average(runs: &[Run], count: impl Fn(&Run) -> usize) -> f64 {
    if runs.is_empty() {
        return 0.0;
    }
    runs.iter()
        .map(|r| 100.0 * count(r) as f64 / r.full as f64)
        .sum::<f64>()
        / runs.len() as f64
}
