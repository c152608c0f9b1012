//! The interview on the real law: consent first, topics in order, answers in any order give
//! the same outcome, and on the scenario suite it asks few questions and reaches the outcome
//! the full facts give.

mod common;

use common::kb;
use delimit_engine::{FactValue, Plan, Query};
use delimit_screening::measure::{average_settled_share, average_share, simulate};
use delimit_screening::{Interview, Next, Reply};
use jiff::civil::date;
use proptest::prelude::*;
use std::path::Path;

fn interview() -> Interview<'static> {
    Interview::new(
        Plan::new(
            kb(),
            Query {
                as_of: date(2024, 6, 1),
                doctrines: vec![],
            },
        )
        .unwrap(),
    )
}

#[test]
fn consent_comes_first_and_a_refusal_ends_the_interview() {
    let mut i = interview();
    assert_eq!(i.next(), Next::Consent);
    i.consent(false);
    assert_eq!(i.next(), Next::Declined);
    let mut i = interview();
    i.consent(true);
    assert!(matches!(i.next(), Next::Ask(_)));
}

#[test]
fn questions_follow_the_practitioners_order_of_topics() {
    let mut i = interview();
    i.consent(true);
    let mut last = None;
    while let Next::Ask(f) = i.next() {
        let topic = kb().facts[f].topic;
        if let Some(t) = last {
            assert!(
                topic >= t,
                "{} ({topic:?}) asked after a {t:?} question",
                kb().facts[f].name
            );
        }
        last = Some(topic);
        i.answer(f, Reply::DontKnow);
    }
    assert_eq!(i.next(), Next::Complete);
}

#[test]
fn why_names_the_conclusions_and_provisions_a_question_serves() {
    let mut i = interview();
    i.consent(true);
    let Next::Ask(f) = i.next() else {
        panic!("a first question")
    };
    let why = i.why(f);
    assert!(!why.concepts.is_empty());
    assert!(!why.provisions.is_empty());
}

/// The flat scenarios beside the law: name, facts, date, doctrines.
fn scenarios() -> Vec<(String, delimit_engine::Facts, jiff::civil::Date, Vec<usize>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../law");
    let files = delimit_scenario::scenario_files(&dir).unwrap();
    delimit_scenario::flat_scenarios(&files, kb())
        .into_iter()
        .map(|s| {
            let doctrines = s
                .case
                .doctrines
                .iter()
                .filter_map(|(n, _)| kb().doctrine(n))
                .collect();
            (
                s.name,
                s.case.facts,
                s.case.as_of.unwrap_or(date(2024, 6, 1)),
                doctrines,
            )
        })
        .collect()
}

/// Every fact a scenario is silent about given a value drawn from a seeded generator: a person
/// who knows every answer. Dates and numbers stay unknown: no scenario's outcome turns on a
/// drawn date.
fn completed(facts: &delimit_engine::Facts, seed: &mut u64) -> delimit_engine::Facts {
    use delimit_law::FactType;
    let mut draw = || {
        // splitmix64: deterministic, so the figure is the same on every run.
        *seed = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = *seed;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let mut out = facts.clone();
    for (f, fact) in kb().facts.iter().enumerate() {
        if out.get(f).is_some() {
            continue;
        }
        let value = match &fact.ty {
            FactType::YesNo => FactValue::Bool(draw() % 2 == 0),
            FactType::OneOf(options) => FactValue::Choice(draw() as usize % options.len()),
            FactType::SeveralOf(options) => {
                let all = (1u64 << options.len()) - 1;
                FactValue::Set {
                    known: all,
                    value: draw() & all,
                }
            }
            _ => continue,
        };
        out.set(f, value);
    }
    out
}

#[test]
fn on_the_scenarios_the_interview_asks_few_questions_and_reaches_the_same_outcome() {
    let scenarios = scenarios();
    // As the scenarios are written: "don't know" wherever a scenario is silent.
    let as_written: Vec<_> = scenarios
        .iter()
        .filter_map(|(name, facts, as_of, doctrines)| {
            simulate(kb(), name, facts, *as_of, doctrines.clone())
        })
        .collect();
    // Completed: every silent fact answered, five draws per scenario.
    let mut seed = 1;
    let completed_runs: Vec<_> = scenarios
        .iter()
        .flat_map(|s| std::iter::repeat_n(s, 5))
        .filter_map(|(name, facts, as_of, doctrines)| {
            let facts = completed(facts, &mut seed);
            simulate(kb(), name, &facts, *as_of, doctrines.clone())
        })
        .collect();
    assert!(as_written.len() > 100, "{} scenarios", as_written.len());
    assert_eq!(completed_runs.len(), 5 * as_written.len());
    for r in as_written.iter().chain(&completed_runs) {
        assert!(
            r.same_outcome,
            "{}: the interview's outcome differs from the full facts'",
            r.name
        );
    }
    let asked = average_share(&as_written);
    let settled = average_settled_share(&as_written);
    let asked_completed = average_share(&completed_runs);
    println!(
        "{} scenarios, full questionnaire {} questions; the share of it asked on average:",
        as_written.len(),
        as_written[0].full
    );
    println!(
        "  silent facts answered \"don't know\": {asked:.1}% asked before the interview stops"
    );
    println!("  the same runs: {settled:.1}% asked when the conclusions took their final values");
    println!(
        "  silent facts answered (5 seeded draws each, {} runs): {asked_completed:.1}% asked before the interview stops",
        completed_runs.len()
    );
    // The goal is 40%. Where "don't know" leaves conclusions open, it asks on while some
    // answer could still settle them. Where the person knows the answers it stopped within the
    // goal (37.9%, and 61.7% with "don't know") until the law asked more of a smuggling case:
    // whether the person is a refugee (the Protocols' saving clauses, non-refoulement) and
    // whether they were the object of the other art. 6 conduct (art. 5). The guards keep each
    // figure from getting worse than measured since.
    assert!(settled <= 40.0, "conclusions final after {settled:.1}%");
    assert!(
        asked_completed <= 44.0,
        "asked {asked_completed:.1}% when every fact is answered"
    );
    assert!(
        asked <= 72.0,
        "asked {asked:.1}% of the questionnaire on average"
    );
}

fn reply() -> impl Strategy<Value = Reply> {
    prop_oneof![
        Just(Reply::DontKnow),
        Just(Reply::PreferNotToSay),
        any::<bool>().prop_map(|b| Reply::Value(FactValue::Bool(b))),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Changing an early answer late gives the same result as answering it so first.
    #[test]
    fn a_changed_answer_counts_as_if_given_first(replies in prop::collection::vec(reply(), 1..12), changed in reply(), which in 0usize..12) {
        let yes_no: Vec<usize> = (0..kb().facts.len()).filter(|&f| kb().facts[f].ty == delimit_law::FactType::YesNo).collect();
        let facts: Vec<usize> = yes_no.iter().copied().take(replies.len()).collect();
        let which = which % facts.len();
        // First way: answer all, then change one late.
        let mut late = interview();
        late.consent(true);
        for (f, r) in facts.iter().zip(&replies) {
            late.answer(*f, *r);
        }
        late.answer(facts[which], changed);
        // Second way: the changed answer given in its place from the start.
        let mut first = interview();
        first.consent(true);
        for (i, (f, r)) in facts.iter().zip(&replies).enumerate() {
            first.answer(*f, if i == which { changed } else { *r });
        }
        prop_assert_eq!(late.facts(), first.facts());
        prop_assert_eq!(late.standing(), first.standing());
        prop_assert_eq!(late.next(), first.next());
    }
}

#[test]
fn every_answer_word_the_interview_shows_is_understood() {
    use delimit_screening::input::{Command, Typed, read};
    let yes_no = (0..kb().facts.len())
        .find(|&f| kb().facts[f].ty == delimit_law::FactType::YesNo)
        .unwrap();
    let several = (0..kb().facts.len())
        .find(|&f| matches!(kb().facts[f].ty, delimit_law::FactType::SeveralOf(_)))
        .unwrap();
    let today = date(2024, 6, 1);
    for lang in delimit_i18n::Localizer::languages() {
        let t = delimit_i18n::Localizer::new(lang).unwrap();
        let word = |k: &str| t.text(k, &[]);
        assert_eq!(
            read(kb(), yes_no, &word("answer-yes"), today),
            Ok(Typed::Reply(Reply::Value(FactValue::Bool(true)))),
            "{lang}"
        );
        assert_eq!(
            read(kb(), yes_no, &word("answer-no"), today),
            Ok(Typed::Reply(Reply::Value(FactValue::Bool(false)))),
            "{lang}"
        );
        assert_eq!(
            read(kb(), yes_no, &word("answer-dont-know"), today),
            Ok(Typed::Reply(Reply::DontKnow)),
            "{lang}"
        );
        assert_eq!(
            read(kb(), yes_no, &word("answer-prefer-not"), today),
            Ok(Typed::Reply(Reply::PreferNotToSay)),
            "{lang}"
        );
        assert!(
            matches!(
                read(kb(), several, &word("answer-none"), today),
                Ok(Typed::Reply(Reply::Value(FactValue::Set { value: 0, .. })))
            ),
            "{lang}"
        );
        assert_eq!(
            read(kb(), yes_no, &word("command-back"), today),
            Ok(Typed::Command(Command::Back)),
            "{lang}"
        );
        assert_eq!(
            read(kb(), yes_no, &word("command-why"), today),
            Ok(Typed::Command(Command::Why)),
            "{lang}"
        );
        assert_eq!(
            read(kb(), yes_no, &word("command-stop"), today),
            Ok(Typed::Command(Command::Stop)),
            "{lang}"
        );
    }
    // Typed on a Russian keyboard, Tajik "ҳа" is "ха".
    assert_eq!(
        read(kb(), yes_no, "ха", today),
        Ok(Typed::Reply(Reply::Value(FactValue::Bool(true))))
    );
    assert!(read(kb(), yes_no, "maybe", today).is_err());
    let birth = kb().fact("birth_date").unwrap();
    assert_eq!(
        read(kb(), birth, "2030-01-01", today).unwrap_err().key,
        "error-date-future"
    );
    assert_eq!(
        read(kb(), birth, "2001-02-30", today).unwrap_err().key,
        "error-date"
    );
}

#[test]
fn several_options_can_be_answered_one_by_one_leaving_the_others_open() {
    use delimit_screening::input::{Typed, read};
    let today = date(2024, 6, 1);
    let means = kb().fact("means").unwrap();
    let delimit_law::FactType::SeveralOf(options) = &kb().facts[means].ty else {
        panic!("means is a list of options")
    };
    let at = |name: &str| options.iter().position(|o| o == name).unwrap();
    let (deception, force) = (at("deception"), at("force"));
    assert_eq!(
        read(
            kb(),
            means,
            "deception: yes, force = no, threat: don't know",
            today
        ),
        Ok(Typed::Reply(Reply::Value(FactValue::Set {
            known: (1 << deception) | (1 << force),
            value: 1 << deception,
        })))
    );
    // In the interview's languages too.
    assert_eq!(
        read(kb(), means, "deception: да; force: нет", today),
        read(kb(), means, "deception: yes; force: no", today)
    );
    assert_eq!(
        read(kb(), means, "deception: не знаю", today),
        Ok(Typed::Reply(Reply::DontKnow))
    );
    let refused = read(kb(), means, "bribery: yes", today).unwrap_err();
    assert_eq!(refused.key, "error-option");
    let refused = read(kb(), means, "deception: perhaps", today).unwrap_err();
    assert_eq!(refused.key, "error-yesno");
}
