//! Property tests of the guarantees the engine makes, over randomly generated knowledge
//! bases (written as law text and compiled like any other) and random partial facts:
//!
//! - monotonicity: adding known facts never flips a determined value;
//! - the deciding facts are complete: a fact not listed cannot change the value, whatever
//!   else becomes known;
//! - the deciding facts are sound: each listed fact can change the value, for some answers.
//!
//! The order in which facts arrive is tested where order can enter: in case files.

// Concept and fact ids index several parallel tables at once.
#![allow(clippy::needless_range_loop)]

use delimit_engine::{FactValue, Facts, Plan, Query, Tri};
use delimit_law::{ExprKind, KnowledgeBase, LawFile, compile};
use jiff::civil::{Date, date};
use proptest::prelude::*;
use proptest::test_runner::Config;

const SET_OPTIONS: [&str; 3] = ["a", "b", "c"];
const CHOICES: [&str; 3] = ["x", "y", "z"];
const NUMBERS: [f64; 6] = [-1.0, 5.0, 10.0, 17.0, 18.0, 100.0];
const DATES: [(i16, i8, i8); 4] = [(1990, 1, 1), (2006, 3, 1), (2010, 1, 1), (2024, 3, 1)];

fn atom(concepts_below: usize) -> BoxedStrategy<String> {
    let mut atoms: Vec<BoxedStrategy<String>> = vec![
        (0..4usize).prop_map(|i| format!("f{i}")).boxed(),
        prop::sample::select(SET_OPTIONS.to_vec())
            .prop_map(|o| format!("s has {o}"))
            .boxed(),
        prop::sample::select(CHOICES.to_vec())
            .prop_map(|o| format!("k is {o}"))
            .boxed(),
        Just("k in {x, y}".to_string()).boxed(),
        prop::sample::select(vec![0, 10, 18])
            .prop_map(|n| format!("n < {n}"))
            .boxed(),
        Just("n >= 18".to_string()).boxed(),
        Just("age(born, acted) < 18".to_string()).boxed(),
        Just("any(s)".to_string()).boxed(),
        Just("yes".to_string()).boxed(),
        Just("no".to_string()).boxed(),
        Just("undetermined".to_string()).boxed(),
    ];
    if concepts_below > 0 {
        atoms.push((0..concepts_below).prop_map(|j| format!("c{j}")).boxed());
    }
    prop::strategy::Union::new(atoms).boxed()
}

fn expr(concepts_below: usize) -> BoxedStrategy<String> {
    atom(concepts_below)
        .prop_recursive(3, 12, 3, |inner| {
            prop_oneof![
                inner.clone().prop_map(|a| format!("not ({a})")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} and {b})")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} or {b})")),
                (inner.clone(), inner.clone(), inner.clone())
                    .prop_map(|(a, b, c)| format!("at least 2 of ({a}, {b}, {c})")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("all({a}, {b})")),
            ]
        })
        .boxed()
}

#[derive(Clone, Debug)]
struct ConceptSpec {
    value: String,
    exceptions: Vec<(String, String)>,
}

fn concept_spec(i: usize) -> impl Strategy<Value = ConceptSpec> {
    (expr(i), prop::collection::vec((expr(i), expr(i)), 0..=2))
        .prop_map(|(value, exceptions)| ConceptSpec { value, exceptions })
}

fn kb_spec() -> impl Strategy<Value = Vec<ConceptSpec>> {
    (
        concept_spec(0),
        concept_spec(1),
        concept_spec(2),
        concept_spec(3),
    )
        .prop_map(|(a, b, c, d)| vec![a, b, c, d])
}

fn law_text(spec: &[ConceptSpec]) -> String {
    let mut s = String::from(
        "```instrument\nid: t\ntitle: T\njurisdiction: none\nkind: test\nstatus: verified\nsource: generated\n```\n\n```provision\nid: t/1\narticle: 1\nlabel: one\nstatus: verified\nsource: generated\ntext: absent\n```\n\n```delimit\n",
    );
    for f in 0..4 {
        s.push_str(&format!("fact f{f}: yes/no\n  question en \"f{f}?\"\n"));
    }
    s.push_str("fact s: several of {a, b, c}\n  question en \"s?\"\nfact k: one of {x, y, z}\n  question en \"k?\"\nfact n: number\n  question en \"n?\"\nfact born: date\n  question en \"born?\"\nfact acted: date\n  question en \"acted?\"\n");
    for (i, c) in spec.iter().enumerate() {
        s.push_str(&format!("concept c{i}\n  label en \"c{i}\"\n"));
        s.push_str(&format!(
            "rule r{i}: c{i} = {}\n  cites t/1\n  from 2000-01-01\n",
            c.value
        ));
        for (j, (when, value)) in c.exceptions.iter().enumerate() {
            s.push_str(&format!("exception e{i}x{j} to r{i}: c{i} = {value}\n  when {when}\n  cites t/1\n  from 2000-01-01\n"));
            if j > 0 {
                s.push_str(&format!("  over e{i}x{}\n", j - 1));
            }
        }
    }
    s.push_str("```\n");
    s
}

fn compile_spec(spec: &[ConceptSpec]) -> KnowledgeBase {
    let compiled = compile(&[LawFile {
        name: "generated.md".into(),
        text: law_text(spec),
    }]);
    match compiled.kb {
        Some(kb) => kb,
        None => panic!(
            "{}\n{}",
            law_text(spec),
            delimit_law::render(&compiled.sources, &compiled.diagnostics, false)
        ),
    }
}

/// A value for every fact; which of them are known is decided by masks.
#[derive(Clone, Debug)]
struct Full {
    bools: [bool; 4],
    set: [bool; 3],
    choice: usize,
    number: usize,
    born: usize,
    acted: usize,
}

fn full() -> impl Strategy<Value = Full> {
    (
        any::<[bool; 4]>(),
        any::<[bool; 3]>(),
        0..3usize,
        0..NUMBERS.len(),
        0..DATES.len(),
        0..DATES.len(),
    )
        .prop_map(|(bools, set, choice, number, born, acted)| Full {
            bools,
            set,
            choice,
            number,
            born,
            acted,
        })
}

/// Known-ness of each of the 4 + 3 + 4 atoms of facts (set options separately).
type Mask = [bool; 11];

fn to_date(i: usize) -> Date {
    let (y, m, d) = DATES[i];
    date(y, m, d)
}

fn facts_of(kb: &KnowledgeBase, full: &Full, mask: &Mask) -> Facts {
    let mut facts = Facts::unknown(kb);
    let id = |n: &str| kb.fact(n).expect("generated fact");
    for i in 0..4 {
        if mask[i] {
            facts.set(id(&format!("f{i}")), FactValue::Bool(full.bools[i]));
        }
    }
    let (mut known, mut value) = (0u64, 0u64);
    for o in 0..3 {
        if mask[4 + o] {
            known |= 1 << o;
            if full.set[o] {
                value |= 1 << o;
            }
        }
    }
    facts.set(id("s"), FactValue::Set { known, value });
    if mask[7] {
        facts.set(id("k"), FactValue::Choice(full.choice));
    }
    if mask[8] {
        facts.set(id("n"), FactValue::Number(NUMBERS[full.number]));
    }
    if mask[9] {
        facts.set(id("born"), FactValue::Date(to_date(full.born)));
    }
    if mask[10] {
        facts.set(id("acted"), FactValue::Date(to_date(full.acted)));
    }
    facts
}

/// Every value a fact can take, unknown first.
fn domain(kb: &KnowledgeBase, fact: usize) -> Vec<Option<FactValue>> {
    let name = kb.facts[fact].name.as_str();
    let mut out = vec![None];
    match name {
        "s" => {
            for known in 1u64..8 {
                for value in 0u64..8 {
                    if value & !known == 0 {
                        out.push(Some(FactValue::Set { known, value }));
                    }
                }
            }
        }
        "k" => out.extend((0..3).map(|i| Some(FactValue::Choice(i)))),
        "n" => out.extend(NUMBERS.iter().map(|n| Some(FactValue::Number(*n)))),
        "born" | "acted" => out.extend((0..DATES.len()).map(|i| Some(FactValue::Date(to_date(i))))),
        _ => out.extend([Some(FactValue::Bool(false)), Some(FactValue::Bool(true))]),
    }
    out
}

/// The values of `fact` that keep everything `facts` already says of it (itself included):
/// for a several-of fact, options may still become known one by one.
fn refinements(kb: &KnowledgeBase, facts: &Facts, fact: usize) -> Vec<Option<FactValue>> {
    let current = facts.get(fact);
    domain(kb, fact)
        .into_iter()
        .filter(|v| match (current, v) {
            (None, _) => true,
            (Some(c), Some(v)) => c.refined_by(v),
            (Some(_), None) => false,
        })
        .collect()
}

/// Whether more can still be learnt about `fact`.
fn open_to_answers(kb: &KnowledgeBase, facts: &Facts, fact: usize) -> bool {
    refinements(kb, facts, fact).len() > 1
}

fn with(facts: &Facts, fact: usize, value: Option<FactValue>) -> Facts {
    let mut f = facts.clone();
    match value {
        Some(v) => f.set(fact, v),
        None => f.clear(fact),
    }
    f
}

fn plan(kb: &KnowledgeBase) -> Plan<'_> {
    Plan::new(
        kb,
        Query {
            as_of: date(2024, 6, 1),
            doctrines: vec![],
        },
    )
    .expect("no doctrines")
}

/// Every way of answering some of `facts` (each also left unknown), in order.
fn extensions(kb: &KnowledgeBase, base: &Facts, facts: &[usize], limit: usize) -> Vec<Facts> {
    let mut out = vec![base.clone()];
    for &f in facts {
        let mut next = Vec::new();
        for partial in &out {
            for v in refinements(kb, base, f) {
                next.push(with(partial, f, v));
                if next.len() >= limit {
                    return next;
                }
            }
        }
        out = next;
    }
    out
}

fn config() -> Config {
    Config {
        cases: 96,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn adding_known_facts_never_flips_a_determined_value(spec in kb_spec(), full in full(), m1 in any::<Mask>(), m2 in any::<Mask>()) {
        let kb = compile_spec(&spec);
        let plan = plan(&kb);
        let fewer = facts_of(&kb, &full, &m1);
        let both: Mask = std::array::from_fn(|i| m1[i] || m2[i]);
        let more = facts_of(&kb, &full, &both);
        prop_assert!(fewer.refined_by(&more));
        let before = plan.evaluate(&fewer);
        let after = plan.evaluate(&more);
        for c in 0..kb.concepts.len() {
            prop_assert!(before.concepts[c].refined_by(after.concepts[c]),
                "c{} was {:?} and became {:?}\n{}", c, before.concepts[c], after.concepts[c], law_text(&spec));
        }
    }

    #[test]
    fn a_fact_not_listed_as_deciding_cannot_change_the_value(spec in kb_spec(), full in full(), m1 in any::<Mask>(), m2 in any::<Mask>(), other in full()) {
        let kb = compile_spec(&spec);
        let plan = plan(&kb);
        let facts = facts_of(&kb, &full, &m1);
        let values = plan.evaluate(&facts);
        let open = plan.open_facts(&facts, &values);
        let wider: Mask = std::array::from_fn(|i| m1[i] || m2[i]);
        for c in 0..kb.concepts.len() {
            if values.concepts[c].is_known() {
                prop_assert!(open[c].is_empty());
                continue;
            }
            for f in (0..kb.facts.len()).filter(|&f| open_to_answers(&kb, &facts, f) && !open[c].contains(f)) {
                // Anything else may become known too; the fact itself then takes any value
                // that agrees with what was known of it.
                let extended = with(&facts_of(&kb, &full, &wider), f, facts.get(f));
                let without = plan.evaluate(&extended).concepts[c];
                let alternative = facts_of(&kb, &other, &[true; 11]);
                let candidates = refinements(&kb, &facts, f).into_iter().chain([alternative.get(f)]);
                for v in candidates.filter(|v| refinements(&kb, &facts, f).contains(v)) {
                    let changed = plan.evaluate(&with(&extended, f, v)).concepts[c];
                    prop_assert_eq!(without, changed, "fact {} changed c{} but was not listed\n{}", kb.facts[f].name, c, law_text(&spec));
                }
            }
        }
    }

}

/// Soundness, run with a fixed seed so that the number of facts actually checked can be
/// asserted: a filter that let nothing through would otherwise pass unnoticed.
#[test]
fn each_deciding_fact_can_change_the_value() {
    use proptest::test_runner::{RngAlgorithm, TestRng, TestRunner};
    use std::cell::Cell;
    let mut runner = TestRunner::new_with_rng(
        Config {
            cases: 768,
            ..config()
        },
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    );
    let checked = Cell::new(0usize);
    let result = runner.run(&(kb_spec(), full(), any::<Mask>()), |(spec, full, m1)| {
        let kb = compile_spec(&spec);
        let plan = plan(&kb);
        let facts = facts_of(&kb, &full, &m1);
        let values = plan.evaluate(&facts);
        let open = plan.open_facts(&facts, &values);
        // Where rules read one fact in several places, the deciding facts may include one
        // that the combination makes redundant (documented); soundness is exact elsewhere.
        // Under the constant `undetermined` a fact can matter in one direction only (it can
        // make `a and undetermined` no, never yes), which the small test domains of dates and
        // numbers may not reach: soundness is checked where the rules do not read it.
        let reads_constant = |c: usize| {
            let mut todo = vec![c];
            let mut seen = vec![false; kb.concepts.len()];
            while let Some(c) = todo.pop() {
                if std::mem::replace(&mut seen[c], true) {
                    continue;
                }
                for r in kb.rules.iter().filter(|r| r.concept == c) {
                    let mut found = false;
                    let mut visit = |e: &delimit_law::Expr| match e.kind {
                        ExprKind::Undetermined => found = true,
                        ExprKind::Concept(d) => todo.push(d),
                        _ => {}
                    };
                    r.value.walk(&mut visit);
                    if let Some(w) = &r.when {
                        w.walk(&mut visit);
                    }
                    if found {
                        return true;
                    }
                }
            }
            false
        };
        for c in
            (0..kb.concepts.len()).filter(|&c| plan.deciding_facts_exact(c) && !reads_constant(c))
        {
            let listed: Vec<usize> = open[c].iter().collect();
            for &f in &listed {
                checked.set(checked.get() + 1);
                let others: Vec<usize> = listed.iter().copied().filter(|&g| g != f).collect();
                let witness = extensions(&kb, &facts, &others, 20_000).iter().any(|g| {
                    let before = plan.evaluate(g).concepts[c];
                    refinements(&kb, g, f)
                        .into_iter()
                        .any(|v| plan.evaluate(&with(g, f, v)).concepts[c] != before)
                });
                prop_assert!(
                    witness,
                    "fact {} listed for c{} but no answers make it matter\n{}",
                    kb.facts[f].name,
                    c,
                    law_text(&spec)
                );
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    assert!(
        checked.get() >= 200,
        "only {} deciding facts were checked",
        checked.get()
    );
}

#[test]
fn an_undetermined_exception_condition_keeps_a_value_both_ways_agree_on() {
    let spec = vec![
        ConceptSpec {
            value: "f0".into(),
            exceptions: vec![("f1".into(), "f0".into())],
        },
        ConceptSpec {
            value: "yes".into(),
            exceptions: vec![("f1".into(), "f2".into())],
        },
        ConceptSpec {
            value: "c1".into(),
            exceptions: vec![],
        },
        ConceptSpec {
            value: "c0".into(),
            exceptions: vec![],
        },
    ];
    let kb = compile_spec(&spec);
    let plan = plan(&kb);
    let mut facts = Facts::unknown(&kb);
    facts.set(kb.fact("f0").unwrap(), FactValue::Bool(true));
    let values = plan.evaluate(&facts);
    // c0: the exception (f1 unknown) gives f0 = yes, the rule gives f0 = yes.
    assert_eq!(values.concepts[kb.concept("c0").unwrap()], Tri::True);
    // c1: the exception gives f2 (unknown), the rule gives yes: undetermined, decided by f1 or f2.
    let c1 = kb.concept("c1").unwrap();
    assert_eq!(values.concepts[c1], Tri::Unknown);
    let open = plan.open_facts(&facts, &values);
    let names: Vec<&str> = open[c1].iter().map(|f| kb.facts[f].name.as_str()).collect();
    assert_eq!(names, ["f1", "f2"]);
    facts.set(kb.fact("f1").unwrap(), FactValue::Bool(false));
    assert_eq!(plan.evaluate(&facts).concepts[c1], Tri::True);
}

/// An exception whose value reads `undetermined` does not reduce to the rule it departs from:
/// whether it applies still decides (with `a` yes, the rule says yes and the exception stays
/// open), so its condition is a deciding fact.
#[test]
fn an_exception_that_leaves_the_answer_open_keeps_its_condition_deciding() {
    let text = "```instrument\nid: t\ntitle: T\njurisdiction: none\nkind: test\nstatus: verified\nsource: s\n```\n\n```provision\nid: t/1\narticle: 1\nlabel: one\nstatus: verified\nsource: s\ntext: absent\n```\n\n```delimit\nfact a: yes/no\n  question en \"a?\"\nfact c: yes/no\n  question en \"c?\"\nconcept x\n  label en \"x\"\nrule r: x = a\n  cites t/1\n  from 2000-01-01\nexception e to r: x = a and undetermined\n  when c\n  cites t/1\n  from 2000-01-01\n```\n";
    let compiled = compile(&[LawFile {
        name: "t.md".into(),
        text: text.into(),
    }]);
    let kb = compiled.kb.expect("compiles");
    let plan = plan(&kb);
    let facts = Facts::unknown(&kb);
    let values = plan.evaluate(&facts);
    let open = plan.open_facts(&facts, &values);
    let x = kb.concept("x").unwrap();
    let listed: Vec<&str> = open[x].iter().map(|f| kb.facts[f].name.as_str()).collect();
    assert!(listed.contains(&"c"), "{listed:?}");
    assert!(listed.contains(&"a"), "{listed:?}");
    // And the values as the law says: with a yes, c decides between yes and open.
    let a = kb.fact("a").unwrap();
    let c = kb.fact("c").unwrap();
    let mut known = Facts::unknown(&kb);
    known.set(a, FactValue::Bool(true));
    assert_eq!(plan.evaluate(&known).concepts[x], Tri::Unknown);
    known.set(c, FactValue::Bool(false));
    assert_eq!(plan.evaluate(&known).concepts[x], Tri::True);
    known.set(c, FactValue::Bool(true));
    assert_eq!(plan.evaluate(&known).concepts[x], Tri::Unknown);
}
