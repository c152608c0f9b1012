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
    let mut interview = Interview::new(plan);
    interview.consent(true);
    while let Next::Ask(f) = interview.next() {
        let reply = facts.get(f).map_or(Reply::DontKnow, Reply::Value);
        interview.answer(f, reply);
    }
    let got = interview.plan().evaluate(&interview.facts());
    let same_outcome = (0..kb.concepts.len())
        .filter(|&c| {
            kb.concepts[c]
                .kinds
                .iter()
                .any(|k| matches!(k, ConceptKind::Status | ConceptKind::Consequence))
        })
        .all(|c| got.concepts[c] == full_values.concepts[c]);
    Some(Run {
        name: name.to_string(),
        asked: interview.asked(),
        full: interview.full_questionnaire(),
        same_outcome,
    })
}

/// The average share of the full questionnaire asked, in percent.
pub fn average_share(runs: &[Run]) -> f64 {
    if runs.is_empty() {
        return 0.0;
    }
    runs.iter()
        .map(|r| 100.0 * r.asked as f64 / r.full as f64)
        .sum::<f64>()
        / runs.len() as f64
}
