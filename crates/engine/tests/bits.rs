//! Bit-parallel evaluation gives what the scalar engine gives, concept by concept and case by
//! case, with random unknowns: on the benchmark's knowledge base (`bench/peer-law`), on the
//! real one in `law/` (restricted to the concepts bits can express), and on random knowledge
//! bases with exceptions; and the benchmark's sample file gives the reference counts.

// Concept and fact ids index several parallel tables at once.
#![allow(clippy::needless_range_loop)]

use delimit_engine::{BitProgram, Counts, FactValue, Facts, Plan, Planes, Query, Tri};
use delimit_law::{FactType, KnowledgeBase, LawFile, compile};
use jiff::civil::date;
use proptest::prelude::*;
use proptest::test_runner::Config;
use std::path::Path;
use std::sync::OnceLock;

fn load(dir: &str) -> KnowledgeBase {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let files = delimit_law::load::read_dir(&dir).expect("law folder");
    let c = delimit_law::compile(&files);
    c.kb.unwrap_or_else(|| panic!("{}", delimit_law::render(&c.sources, &c.diagnostics, false)))
}

fn bench_kb() -> &'static KnowledgeBase {
    static KB: OnceLock<KnowledgeBase> = OnceLock::new();
    KB.get_or_init(|| load("../../bench/peer-law"))
}

fn law_kb() -> &'static KnowledgeBase {
    static KB: OnceLock<KnowledgeBase> = OnceLock::new();
    KB.get_or_init(|| load("../../law"))
}

fn query(doctrines: Vec<usize>) -> Query {
    Query {
        as_of: date(2024, 6, 1),
        doctrines,
    }
}

/// Evaluates `cases` both ways and compares every concept the program evaluates, and the
/// counts; `scalar` may be a larger plan than the one compiled.
fn agree(scalar: &Plan, program: &BitProgram, cases: &[Facts]) -> Result<(), TestCaseError> {
    let mut planes = Planes::new(program, cases.len());
    for f in cases {
        planes.push(program, f);
    }
    let bits = program.evaluate(&planes);
    let concepts: Vec<usize> = program.concepts().collect();
    let mut want = vec![Counts::default(); concepts.len()];
    for (i, facts) in cases.iter().enumerate() {
        let values = scalar.evaluate(facts);
        for (k, &c) in concepts.iter().enumerate() {
            let v = values.concepts[c];
            prop_assert_eq!(
                bits.get(i, c),
                v,
                "{} for case {}",
                &scalar.kb.concepts[c].name,
                i
            );
            match v {
                Tri::True => want[k].yes += 1,
                Tri::False => want[k].no += 1,
                Tri::Unknown => want[k].undetermined += 1,
            }
        }
    }
    let mut got = vec![Counts::default(); concepts.len()];
    program.count(&planes, &mut got);
    prop_assert_eq!(got, want);
    Ok(())
}

/// Each fact unknown one time in `1 / p`, else one of a few answers of its type.
fn random_facts(kb: &'static KnowledgeBase) -> impl Strategy<Value = Facts> {
    let per_fact: Vec<_> = kb
        .facts
        .iter()
        .map(|f| {
            let ty = f.ty.clone();
            prop::option::weighted(0.8, (any::<u64>(), any::<u64>()))
                .prop_map(move |v| v.map(|(a, b)| answer(&ty, a, b)))
        })
        .collect();
    per_fact.prop_map(move |values| {
        let mut facts = Facts::unknown(kb);
        for (f, v) in values.into_iter().enumerate() {
            if let Some(v) = v {
                facts.set(f, v);
            }
        }
        facts
    })
}

fn answer(ty: &FactType, a: u64, b: u64) -> FactValue {
    match ty {
        FactType::YesNo => FactValue::Bool(a & 1 == 1),
        FactType::OneOf(o) => FactValue::Choice(a as usize % o.len()),
        FactType::SeveralOf(o) => {
            let all = if o.len() >= 64 {
                u64::MAX
            } else {
                (1 << o.len()) - 1
            };
            FactValue::Set {
                known: a & all,
                value: a & b & all,
            }
        }
        FactType::Number => FactValue::Number([0.0, 17.0, 18.0, 1000.0][a as usize % 4]),
        FactType::Date => FactValue::Date(
            [
                date(1990, 1, 1),
                date(2006, 3, 1),
                date(2010, 6, 1),
                date(2024, 3, 1),
            ][a as usize % 4],
        ),
    }
}

#[test]
fn the_benchmark_law_compiles_whole() {
    let kb = bench_kb();
    let plan = Plan::new(kb, query(vec![])).expect("plan");
    let program = BitProgram::compile(&plan).expect("every benchmark rule is yes/no");
    assert_eq!(program.concepts().count(), kb.concepts.len());
    // The exception for a child is kept as an exception, not rewritten.
    assert!(program.len() >= 6, "{program:?}");
}

#[test]
fn what_bits_cannot_hold_is_refused_not_approximated() {
    let kb = law_kb();
    let plan = Plan::new(kb, query(vec![])).expect("plan");
    let err = BitProgram::compile(&plan).expect_err("the law compares dates and numbers");
    let message = err.to_string();
    assert!(
        message.contains("cannot be evaluated bit-parallel"),
        "{message}"
    );
    let (can, cannot) = BitProgram::partition(&plan);
    assert!(!can.is_empty() && !cannot.is_empty());
    assert_eq!(can.len() + cannot.len(), kb.concepts.len());
    let names: Vec<&str> = can.iter().map(|&c| kb.concepts[c].name.as_str()).collect();
    for expected in ["smuggling_of_migrants", "irregular_migration"] {
        assert!(names.contains(&expected), "{expected} not in {names:?}");
    }
    let restricted = plan.clone().only(&can);
    BitProgram::compile(&restricted).expect("the concepts said to compile do");
}

/// The benchmark sample (written by the kit's `data/gen.py --n 2500 --unknown-rate 0.05`):
/// CSV with `1`, `0` or nothing (unknown), and the generator's own Kleene counts.
#[test]
fn the_sample_gives_the_reference_counts() {
    let kb = bench_kb();
    let plan = Plan::new(kb, query(vec![])).expect("plan");
    let program = BitProgram::compile(&plan).expect("compiles");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/data/sample");
    let csv = std::fs::read_to_string(dir.join("facts.csv")).expect("sample");
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    let rows: Vec<&str> = lines.collect();
    let mut planes = Planes::new(&program, rows.len());
    for (case, row) in rows.iter().enumerate() {
        let mut facts = Facts::unknown(kb);
        for (name, cell) in header.iter().zip(row.split(',')).skip(1) {
            let f = kb.fact(name).expect("a fact of the benchmark law");
            match cell {
                "1" => facts.set(f, FactValue::Bool(true)),
                "0" => facts.set(f, FactValue::Bool(false)),
                "" => {}
                other => panic!("row {case}: {other}"),
            }
        }
        planes.push(&program, &facts);
    }
    let mut counts = vec![Counts::default(); program.concepts().count()];
    program.count(&planes, &mut counts);
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    for (name, want) in expected["counts"].as_object().unwrap() {
        let c = kb.concept(name).expect("an outcome of the benchmark law");
        let k = program.concepts().position(|x| x == c).unwrap();
        let got = counts[k];
        assert_eq!(
            (got.yes, got.no, got.undetermined),
            (
                want["true"].as_u64().unwrap(),
                want["false"].as_u64().unwrap(),
                want["unknown"].as_u64().unwrap()
            ),
            "{name}"
        );
    }
}

/// Random knowledge bases in the law language: yes/no, one-of and several-of facts, `not`,
/// `and`, `or`, `all`, `at least`, concepts reading concepts, exceptions with priorities, and
/// numbers, dates and ages, which bits must refuse.
fn atom(concepts_below: usize) -> BoxedStrategy<String> {
    let mut atoms: Vec<BoxedStrategy<String>> = vec![
        (0..4usize).prop_map(|i| format!("f{i}")).boxed(),
        prop::sample::select(vec!["a", "b", "c"])
            .prop_map(|o| format!("s has {o}"))
            .boxed(),
        prop::sample::select(vec!["x", "y", "z"])
            .prop_map(|o| format!("k is {o}"))
            .boxed(),
        Just("k in {x, y}".to_string()).boxed(),
        Just("any(s)".to_string()).boxed(),
        Just("all(s)".to_string()).boxed(),
        Just("yes".to_string()).boxed(),
        Just("no".to_string()).boxed(),
        Just("undetermined".to_string()).boxed(),
        Just("n >= 18".to_string()).boxed(),
        Just("age(born, as_of) < 18".to_string()).boxed(),
    ];
    if concepts_below > 0 {
        atoms.push((0..concepts_below).prop_map(|j| format!("c{j}")).boxed());
    }
    prop::strategy::Union::new_weighted(
        atoms
            .into_iter()
            .enumerate()
            .map(|(i, a)| (if (8..11).contains(&i) { 1 } else { 4 }, a))
            .collect(),
    )
    .boxed()
}

fn expr(concepts_below: usize) -> BoxedStrategy<String> {
    atom(concepts_below)
        .prop_recursive(3, 12, 4, |inner| {
            prop_oneof![
                inner.clone().prop_map(|a| format!("not ({a})")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} and {b})")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} or {b})")),
                (inner.clone(), inner.clone(), inner.clone())
                    .prop_map(|(a, b, c)| format!("at least 2 of ({a}, {b}, {c})")),
                (inner.clone(), inner.clone(), inner.clone(), inner.clone())
                    .prop_map(|(a, b, c, d)| format!("at least 3 of ({a}, {b}, {c}, {d})")),
                (inner.clone(), inner.clone(), inner.clone())
                    .prop_map(|(a, b, c)| format!("any({a}, {b}, {c})")),
            ]
        })
        .boxed()
}

fn random_law() -> impl Strategy<Value = String> {
    let concept = |i: usize| (expr(i), prop::collection::vec((expr(i), expr(i)), 0..=3));
    (concept(0), concept(1), concept(2), concept(3), concept(4)).prop_map(|specs| {
        let specs = [specs.0, specs.1, specs.2, specs.3, specs.4];
        let mut s = String::from(
            "```instrument\nid: t\ntitle: T\njurisdiction: none\nkind: test\nstatus: verified\nsource: generated\n```\n\n```provision\nid: t/1\narticle: 1\nlabel: one\nstatus: verified\nsource: generated\ntext: absent\n```\n\n```delimit\n",
        );
        for f in 0..4 {
            s.push_str(&format!("fact f{f}: yes/no\n  question en \"f{f}?\"\n"));
        }
        s.push_str("fact s: several of {a, b, c}\n  question en \"s?\"\nfact k: one of {x, y, z}\n  question en \"k?\"\nfact n: number\n  question en \"n?\"\nfact born: date\n  question en \"born?\"\n");
        for (i, (value, exceptions)) in specs.iter().enumerate() {
            s.push_str(&format!("concept c{i}\n  label en \"c{i}\"\n"));
            s.push_str(&format!("rule r{i}: c{i} = {value}\n  cites t/1\n  from 2000-01-01\n"));
            for (j, (when, value)) in exceptions.iter().enumerate() {
                s.push_str(&format!("exception e{i}x{j} to r{i}: c{i} = {value}\n  when {when}\n  cites t/1\n  from 2000-01-01\n"));
                if j > 0 {
                    let earlier: Vec<String> = (0..j).map(|k| format!("e{i}x{k}")).collect();
                    s.push_str(&format!("  over {}\n", earlier.join(", ")));
                }
            }
        }
        s.push_str("```\n");
        s
    })
}

fn leak(kb: KnowledgeBase) -> &'static KnowledgeBase {
    Box::leak(Box::new(kb))
}

proptest! {
    #![proptest_config(Config { cases: 64, ..Config::default() })]

    #[test]
    fn bits_agree_with_the_scalar_engine_on_the_benchmark_law(
        cases in prop::collection::vec(random_facts(bench_kb()), 1..300)
    ) {
        let plan = Plan::new(bench_kb(), query(vec![])).expect("plan");
        let program = BitProgram::compile(&plan).expect("compiles");
        agree(&plan, &program, &cases)?;
    }

    #[test]
    fn bits_agree_with_the_scalar_engine_on_the_real_law(
        cases in prop::collection::vec(random_facts(law_kb()), 1..100),
        reading in 0usize..8,
    ) {
        let kb = law_kb();
        // The default reading, or one doctrine or reform chosen.
        let doctrines = if reading == 0 || kb.doctrines.is_empty() {
            vec![]
        } else {
            vec![reading % kb.doctrines.len()]
        };
        let plan = Plan::new(kb, query(doctrines)).expect("one reading never conflicts");
        let (can, _) = BitProgram::partition(&plan);
        let program = BitProgram::compile(&plan.clone().only(&can)).expect("compiles");
        // Compared with the whole plan: restricting it changes none of these values.
        agree(&plan, &program, &cases)?;
    }
}

proptest! {
    #![proptest_config(Config { cases: 200, ..Config::default() })]

    #[test]
    fn bits_agree_with_the_scalar_engine_on_random_law(
        text in random_law(),
        seeds in prop::collection::vec((any::<u64>(), any::<u64>(), any::<u64>()), 1..150),
    ) {
        let compiled = compile(&[LawFile { name: "generated.md".into(), text: text.clone() }]);
        let Some(kb) = compiled.kb else {
            // Conflicting exceptions are refused by the checker: nothing to compare.
            return Ok(());
        };
        let kb = leak(kb);
        let plan = Plan::new(kb, query(vec![])).expect("plan");
        let (can, cannot) = BitProgram::partition(&plan);
        for e in &cannot {
            let rule = kb.rules.iter().find(|r| r.id == e.rule).expect("a rule");
            let mut reads_numbers = false;
            let mut check = |x: &delimit_law::Expr| {
                if x.text == e.expr {
                    reads_numbers = true;
                }
            };
            rule.value.walk(&mut check);
            if let Some(w) = &rule.when {
                w.walk(&mut check);
            }
            prop_assert!(reads_numbers, "{e}");
        }
        let program = BitProgram::compile(&plan.clone().only(&can)).expect("compiles");
        let cases: Vec<Facts> = seeds
            .iter()
            .map(|&(known, a, b)| {
                let mut facts = Facts::unknown(kb);
                for f in 0..kb.facts.len() {
                    if known >> (f * 3) & 7 != 0 {
                        facts.set(f, answer(&kb.facts[f].ty, a >> (f * 5), b >> (f * 5)));
                    }
                }
                facts
            })
            .collect();
        agree(&plan, &program, &cases)?;
    }
}
