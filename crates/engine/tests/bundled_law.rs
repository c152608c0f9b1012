//! The engine's guarantees on the real knowledge base in `law/`, with random partial facts.

// Concept and fact ids index several parallel tables at once.
#![allow(clippy::needless_range_loop)]

use delimit_engine::{FactValue, Facts, Plan, Query};
use delimit_law::{FactType, KnowledgeBase};
use jiff::civil::date;
use proptest::prelude::*;
use proptest::test_runner::Config;
use std::path::Path;
use std::sync::OnceLock;

fn kb() -> &'static KnowledgeBase {
    static KB: OnceLock<KnowledgeBase> = OnceLock::new();
    KB.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../law");
        let files = delimit_law::load::read_dir(&dir).expect("law folder");
        let c = delimit_law::compile(&files);
        c.kb.unwrap_or_else(|| panic!("{}", delimit_law::render(&c.sources, &c.diagnostics, false)))
    })
}

/// Candidate answers for a fact: few enough to search, varied enough to matter.
fn answers(ty: &FactType) -> Vec<FactValue> {
    match ty {
        FactType::YesNo => vec![FactValue::Bool(false), FactValue::Bool(true)],
        FactType::OneOf(o) => (0..o.len()).map(FactValue::Choice).collect(),
        FactType::SeveralOf(o) => {
            let all = (1u64 << o.len()) - 1;
            let mut v = vec![FactValue::Set {
                known: all,
                value: 0,
            }];
            for i in 0..o.len() {
                v.push(FactValue::Set {
                    known: 1 << i,
                    value: 1 << i,
                });
                v.push(FactValue::Set {
                    known: all,
                    value: 1 << i,
                });
            }
            v
        }
        FactType::Number => [0.0, 17.0, 18.0, 1000.0]
            .into_iter()
            .map(FactValue::Number)
            .collect(),
        FactType::Date => [
            date(1990, 1, 1),
            date(2006, 3, 1),
            date(2010, 6, 1),
            date(2024, 3, 1),
        ]
        .into_iter()
        .map(FactValue::Date)
        .collect(),
    }
}

/// A random case: each fact unknown or one of its candidate answers.
fn case() -> impl Strategy<Value = Vec<Option<usize>>> {
    let kb = kb();
    let per_fact: Vec<_> = kb
        .facts
        .iter()
        .map(|f| prop::option::of(0..answers(&f.ty).len()))
        .collect();
    per_fact
}

fn facts_of(choice: &[Option<usize>]) -> Facts {
    let kb = kb();
    let mut facts = Facts::unknown(kb);
    for (f, c) in choice.iter().enumerate() {
        if let Some(i) = c {
            facts.set(f, answers(&kb.facts[f].ty)[*i]);
        }
    }
    facts
}

fn plan(doctrines: bool) -> Plan<'static> {
    let kb = kb();
    let doctrines = if doctrines {
        (0..kb.doctrines.len()).take(1).collect()
    } else {
        vec![]
    };
    Plan::new(
        kb,
        Query {
            as_of: date(2024, 6, 1),
            doctrines,
        },
    )
    .expect("plan")
}

proptest! {
    #![proptest_config(Config { cases: 256, ..Config::default() })]

    #[test]
    fn monotonic_on_the_real_law(a in case(), b in case(), doctrine in any::<bool>()) {
        let plan = plan(doctrine);
        // `more` keeps what `fewer` knows and adds what `b` knows of the rest.
        let merged: Vec<Option<usize>> = a.iter().zip(&b).map(|(x, y)| x.or(*y)).collect();
        let (fewer, more) = (facts_of(&a), facts_of(&merged));
        let (v1, v2) = (plan.evaluate(&fewer), plan.evaluate(&more));
        for c in 0..kb().concepts.len() {
            prop_assert!(v1.concepts[c].refined_by(v2.concepts[c]), "{} flipped", kb().concepts[c].name);
        }
    }

    #[test]
    fn deciding_facts_complete_and_sound_on_the_real_law(a in case(), b in case(), doctrine in any::<bool>()) {
        let kb = kb();
        let plan = plan(doctrine);
        let facts = facts_of(&a);
        let values = plan.evaluate(&facts);
        let open = plan.open_facts(&facts, &values);
        for c in 0..kb.concepts.len() {
            for f in (0..kb.facts.len()).filter(|&f| !facts.is_known(f)) {
                // Extend with b's answers for everything but f, then try every answer for f.
                let mut extended = facts.clone();
                for (g, choice) in b.iter().enumerate() {
                    if g != f && !facts.is_known(g) && let Some(i) = choice {
                        extended.set(g, answers(&kb.facts[g].ty)[*i]);
                    }
                }
                let before = plan.evaluate(&extended).concepts[c];
                let changes = |base: &Facts| {
                    let was = plan.evaluate(base).concepts[c];
                    answers(&kb.facts[f].ty).into_iter().any(|v| {
                        let mut x = base.clone();
                        x.set(f, v);
                        plan.evaluate(&x).concepts[c] != was
                    })
                };
                if !open[c].contains(f) {
                    // Completeness holds for every concept.
                    prop_assert!(!changes(&extended), "{} changed {} but was not listed (before: {:?})", kb.facts[f].name, kb.concepts[c].name, before);
                } else if plan.deciding_facts_exact(c) {
                    // Soundness is promised where the rules read each fact once.
                    // A witness: answer the other listed facts one by one, each time with an
                    // answer that leaves the concept open and f still listed; then f must matter.
                    // A greedy walk can paint itself into a corner, so try a few orders.
                    let others: Vec<usize> = open[c].iter().filter(|&g| g != f).collect();
                    let mut witnessed = changes(&facts);
                    for attempt in 0..8 {
                        if witnessed {
                            break;
                        }
                        let mut order = others.clone();
                        if attempt % 2 == 1 {
                            order.reverse();
                        }
                        let mut walk = facts.clone();
                        for &g in &order {
                            let mut candidates = answers(&kb.facts[g].ty);
                            let len = candidates.len();
                            candidates.rotate_left((attempt / 2) % len);
                            let keep = candidates.into_iter().find(|&v| {
                                let mut x = walk.clone();
                                x.set(g, v);
                                let vals = plan.evaluate(&x);
                                !vals.concepts[c].is_known() && plan.open_facts(&x, &vals)[c].contains(f)
                            });
                            if let Some(v) = keep {
                                walk.set(g, v);
                                if changes(&walk) {
                                    witnessed = true;
                                    break;
                                }
                            }
                        }
                    }
                    prop_assert!(witnessed, "{} listed for {} but no answer tried changes it", kb.facts[f].name, kb.concepts[c].name);
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(Config { cases: 32, ..Config::default() })]

    #[test]
    fn a_batch_gives_what_each_case_gives_alone(cases in prop::collection::vec(case(), 0..20)) {
        let plan = plan(false);
        let facts: Vec<Facts> = cases.iter().map(|c| facts_of(c)).collect::<Vec<_>>();
        let batch = plan.evaluate_batch(&facts);
        prop_assert_eq!(batch.len(), facts.len());
        for (i, f) in facts.iter().enumerate() {
            let alone = plan.evaluate(f);
            prop_assert_eq!(batch.case(i), alone.concepts.as_slice());
        }
    }
}

#[test]
fn most_concepts_of_the_real_law_have_exact_deciding_facts() {
    let plan = plan(false);
    let exact: Vec<&str> = (0..kb().concepts.len())
        .filter(|&c| plan.deciding_facts_exact(c))
        .map(|c| kb().concepts[c].name.as_str())
        .collect();
    // The soundness property above is checked on these; it must not be vacuous.
    assert!(
        exact.len() * 2 >= kb().concepts.len(),
        "only {} of {}: {exact:?}",
        exact.len(),
        kb().concepts.len()
    );
    assert!(exact.contains(&"smuggling_of_migrants"), "{exact:?}");
}

proptest! {
    #![proptest_config(Config { cases: 64, ..Config::default() })]

    #[test]
    fn a_restricted_plan_agrees_on_what_it_evaluates(case in case(), pick in prop::collection::vec(0usize..1000, 1..4)) {
        let full = plan(false);
        let chosen: Vec<usize> = pick.iter().map(|p| p % kb().concepts.len()).collect();
        let restricted = plan(false).only(&chosen);
        let facts = facts_of(&case);
        let (a, b) = (full.evaluate(&facts), restricted.evaluate(&facts));
        for &c in &chosen {
            prop_assert_eq!(a.concepts[c], b.concepts[c], "{}", kb().concepts[c].name);
        }
    }
}
