//! An interview's answers kept as a case: the timeline made of them (one person stating the
//! facts, identified at the interview) must come to the same findings as the facts
//! themselves, scenario by scenario, including what stays undetermined.

use delimit_case::findings::assess_timeline;
use delimit_case::timeline::told_in_interview;
use delimit_engine::{Plan, Query, Tri};
use delimit_law::ConceptKind;
use jiff::civil::date;
use std::path::Path;

#[test]
fn a_case_told_in_an_interview_qualifies_as_its_facts_do() {
    let law = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../law");
    let files = delimit_law::load::read_dir(&law).unwrap();
    let kb = delimit_law::compile(&files).kb.unwrap();
    let scenarios =
        delimit_scenario::flat_scenarios(&delimit_scenario::scenario_files(&law).unwrap(), &kb);
    assert!(scenarios.len() > 100, "{} scenarios", scenarios.len());
    let mut compared = 0;
    for s in scenarios.iter().filter(|s| s.case.doctrines.is_empty()) {
        let as_of = s.case.as_of.unwrap_or(date(2024, 6, 1));
        let plan = Plan::new(
            &kb,
            Query {
                as_of,
                doctrines: vec![],
            },
        )
        .unwrap();
        let flat = plan.evaluate(&s.case.facts).concepts;
        let mut case = told_in_interview(&kb, &s.case.facts, as_of, &s.name);
        case.as_of = Some(as_of);
        let timeline = assess_timeline(&kb, &case, &[], "en");
        let person = &timeline.persons[0];
        let findings = person
            .findings
            .iter()
            .chain(person.states.iter().flat_map(|st| &st.findings));
        for f in findings {
            let c = kb.concept(&f.concept).unwrap();
            if !kb.concepts[c]
                .kinds
                .iter()
                .any(|k| matches!(k, ConceptKind::Status | ConceptKind::Consequence))
            {
                continue;
            }
            assert_eq!(
                f.value, flat[c],
                "{}: {} is {:?} from the interview's case, {:?} from its facts",
                s.name, f.concept, f.value, flat[c]
            );
            compared += 1;
        }
        // No journey is told, so no pattern reads the journey's shape or who took part.
        for i in &person.interrelations {
            let pattern = kb.patterns.iter().find(|p| p.id == i.pattern).unwrap();
            assert!(
                pattern.journey.is_none() && !pattern.alone,
                "{}: {} read a journey that was not told",
                s.name,
                i.pattern
            );
        }
        // What the facts establish, the case reports.
        for (c, v) in flat.iter().enumerate() {
            if *v == Tri::True
                && kb.concepts[c]
                    .kinds
                    .iter()
                    .any(|k| matches!(k, ConceptKind::Status))
            {
                let reported = person
                    .findings
                    .iter()
                    .chain(person.states.iter().flat_map(|st| &st.findings))
                    .any(|f| f.concept == kb.concepts[c].name && f.value == Tri::True);
                assert!(
                    reported,
                    "{}: {} holds but is not reported",
                    s.name, kb.concepts[c].name
                );
            }
        }
    }
    assert!(compared > 500, "only {compared} findings compared");
}
