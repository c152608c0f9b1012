//! A shared scenario beside the law, read with the project's own case loader: its facts, to
//! answer an interview from, and what it expects.

use super::harness::kb;
use delimit_engine::{Facts, Plan, Query, Tri};
use std::path::Path;

pub struct Scenario {
    pub facts: Facts,
    /// `(concept, value)` as the scenario expects them.
    pub expect: Vec<(String, Tri)>,
}

/// The scenario of `law/scenarios/shared-scenarios.yaml` whose name starts with `code` and a
/// space (`S5`).
pub fn shared(code: &str) -> Scenario {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../law/scenarios/shared-scenarios.yaml");
    let text = std::fs::read_to_string(&path).expect("the shared scenarios");
    let prefix = format!("{code} ");
    let found = delimit_scenario::flat_scenarios(&[(path.display().to_string(), text)], kb())
        .into_iter()
        .find(|s| s.name.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no scenario {code} in {}", path.display()));
    Scenario {
        facts: found.case.facts,
        expect: found
            .expectations
            .into_iter()
            .map(|e| (e.concept, e.value))
            .collect(),
    }
}

impl Scenario {
    /// The engine's value of `concept` on the scenario's full facts, on the date the web
    /// interview qualifies on (today).
    pub fn engine_value(&self, concept: &str) -> Tri {
        let today = jiff::Timestamp::now()
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .date();
        let plan = Plan::new(
            kb(),
            Query {
                as_of: today,
                doctrines: Vec::new(),
            },
        )
        .expect("a plan");
        let c = kb()
            .concepts
            .iter()
            .position(|c| c.name == concept)
            .unwrap_or_else(|| panic!("no concept {concept}"));
        plan.evaluate(&self.facts).concepts[c]
    }

    pub fn expected(&self, concept: &str) -> Tri {
        self.expect
            .iter()
            .find(|(c, _)| c == concept)
            .map(|(_, v)| *v)
            .unwrap_or_else(|| panic!("the scenario expects nothing of {concept}"))
    }
}
