//! A shared scenario beside the law, read with the project's own case loader: its facts, to
//! answer an interview from, and what it expects.

use super::harness::kb;
use delimit_case::case_from_node;
use delimit_case::yaml::{self, key_text};
use delimit_engine::{Facts, Plan, Query, Tri};
use delimit_law::Sources;
use saphyr::YamlData;
use std::path::Path;

/// The keys of a scenario document besides a case's.
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
    let mut sources = Sources::new();
    let file = sources.add(path.display().to_string(), text);
    let mut diagnostics = Vec::new();
    let prefix = format!("{code} ");
    for doc in yaml::load(&sources, file, &mut diagnostics) {
        let YamlData::Mapping(map) = &doc.data else {
            continue;
        };
        let value = |key: &str| map.iter().find(|(k, _)| key_text(k) == key).map(|(_, v)| v);
        let name = value("scenario").and_then(yaml::string).unwrap_or_default();
        if !name.starts_with(&prefix) {
            continue;
        }
        let case = case_from_node(&sources, file, &doc, kb(), SCENARIO_KEYS, &mut diagnostics);
        assert!(
            !diagnostics.iter().any(|d| d.is_error()),
            "{code}: {diagnostics:?}"
        );
        let mut expect = Vec::new();
        if let Some(YamlData::Mapping(e)) = value("expect").map(|v| &v.data) {
            for (k, v) in e {
                let tri = match yaml::boolean(v) {
                    Some(b) => Tri::from_bool(b),
                    None => Tri::Unknown,
                };
                expect.push((key_text(k), tri));
            }
        }
        return Scenario {
            facts: case.facts,
            expect,
        };
    }
    panic!("no scenario {code} in {}", path.display());
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
