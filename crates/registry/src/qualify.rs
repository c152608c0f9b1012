//! What the registry keeps of an assessment: the full result, the qualification in short
//! (one line per person, state and actor, for comparing assessments), and the facets that
//! statistics count.

use delimit_case::findings::{Finding, PlanCache, TimelineAssessment, assess_timeline_with};
use delimit_case::htcds::{ctdc_columns, to_ctdc_row};
use delimit_case::timeline::TimelineCase;
use delimit_engine::Tri;
use delimit_law::{DoctrineId, KnowledgeBase};
use std::collections::BTreeMap;

/// One assessment of one case, ready to store.
#[derive(Clone, Debug)]
pub struct Qualification {
    pub knowledge_base: String,
    pub doctrines: Vec<String>,
    pub as_of: Option<String>,
    /// `person p1: trafficking_in_persons` → `true`, and so on for states and actors.
    pub summary: BTreeMap<String, String>,
    /// The full result with its explanation (`delimit.timeline-assessment/1`), as JSON
    /// compressed with LZ4 (length in front), as it is stored: compressed here, where many
    /// cases are assessed at once, rather than by the single writer.
    pub result: Vec<u8>,
    /// The qualification in short, as stored (JSON).
    pub summary_json: String,
    /// `(person, dimension, value)` for statistics: the qualification and its stage.
    pub facets: Vec<(String, String, String)>,
}

fn tri(t: Tri) -> &'static str {
    match t {
        Tri::True => "true",
        Tri::False => "false",
        Tri::Unknown => "unknown",
    }
}

/// The qualification in short of an assessment.
pub fn summary_of(a: &TimelineAssessment<'_>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut put = |key: String, f: &Finding<'_>| {
        out.insert(format!("{key}: {}", f.concept), tri(f.value).to_string());
    };
    for p in &a.persons {
        for f in &p.findings {
            put(format!("person {}", p.person), f);
        }
        for s in &p.states {
            let state = s.state.as_deref().unwrap_or("unnamed state");
            for f in &s.findings {
                put(format!("person {} in {state}", p.person), f);
            }
        }
    }
    for actor in &a.actors {
        for o in &actor.offences {
            put(
                format!("actor {} towards {}", actor.actor, o.person),
                &o.finding,
            );
        }
    }
    out
}

/// Assesses a case under the given readings and date (the case's own date when `None`).
pub fn assess(
    kb: &KnowledgeBase,
    case: &TimelineCase,
    doctrines: &[DoctrineId],
    as_of: Option<jiff::civil::Date>,
) -> Qualification {
    assess_with(&PlanCache::new(kb, doctrines), case, as_of)
}

/// The same, with the plans of `plans` (many cases under one reading).
pub fn assess_with(
    plans: &PlanCache<'_>,
    case: &TimelineCase,
    as_of: Option<jiff::civil::Date>,
) -> Qualification {
    let mut case = case.clone();
    case.as_of = as_of.or(case.as_of);
    let assessment = assess_timeline_with(plans, &case, "en");
    let summary = summary_of(&assessment);
    let mut facets = Vec::new();
    for p in &assessment.persons {
        let statuses = p
            .findings
            .iter()
            .chain(p.states.iter().flat_map(|s| &s.findings))
            .filter(|f| f.kind == "status" && f.value == Tri::True);
        for f in statuses {
            facets.push((p.person.clone(), "qualification".into(), f.concept.clone()));
            if let Some(stage) = f.from_stage {
                facets.push((
                    p.person.clone(),
                    "stage".into(),
                    format!("{}: {}", f.concept, stage.name()),
                ));
            }
        }
    }
    facets.sort();
    facets.dedup();
    let result = serde_json::to_string(&assessment).unwrap_or_else(|e| {
        serde_json::json!({ "error": format!("the result could not be written: {e}") }).to_string()
    });
    Qualification {
        knowledge_base: assessment.knowledge_base.clone(),
        doctrines: assessment.doctrines.clone(),
        as_of: case.as_of.map(|d| d.to_string()),
        summary_json: serde_json::to_string(&summary).unwrap_or_default(),
        summary,
        result: lz4_flex::compress_prepend_size(result.as_bytes()),
        facets,
    }
}

/// Each person of a case in the CTDC columns (`ctdc_columns()`, in order), as statistics
/// count them.
pub(crate) fn case_persons(
    case: &TimelineCase,
    registered_year: i16,
) -> Vec<(String, Vec<String>)> {
    let year = ctdc_columns()
        .iter()
        .position(|c| *c == "yearOfRegistration");
    case.persons
        .iter()
        .filter_map(|p| {
            let mut row = to_ctdc_row(case, &p.id).ok()?;
            // CTDC's year is the year of registration; without an identification event in
            // the timeline, the year the case entered the registry.
            if let Some(y) = year
                && row[y].is_empty()
            {
                row[y] = registered_year.to_string();
            }
            Some((p.id.clone(), row))
        })
        .collect()
}
