//! The indicator screen inside the interview, on the real law and the bundled lists: asked in
//! the topics' order, strongest first, only while the indicators' reading is open; sensitive
//! indicators only once something points to them; the profile follows the answers whatever
//! their order.

mod common;

use common::{kb, lists};
use delimit_engine::{FactValue, Plan, Query, Tri};
use delimit_law::Topic;
use delimit_screening::{Interview, Next, Question, Reply, Screen};
use jiff::civil::date;
use proptest::prelude::*;

const LIST: &str = "ilo-ec-2009/adult-labour";

fn interview() -> Interview<'static> {
    let indicators = lists();
    let combination = indicators
        .combinations
        .iter()
        .find(|c| c.lists.iter().any(|l| l == LIST))
        .expect("a combination rule for the list");
    let plan = Plan::new(
        kb(),
        Query {
            as_of: date(2024, 6, 1),
            doctrines: vec![],
        },
    )
    .expect("plan");
    let mut i = Interview::with_screen(
        plan,
        Screen {
            indicators,
            list: LIST,
            combination,
        },
    );
    i.consent(true);
    i
}

/// Runs the interview to its end: facts answered "don't know", indicators by `indicator`.
/// Returns the indicators asked, in order.
fn run(i: &mut Interview<'static>, indicator: &dyn Fn(usize) -> Reply) -> Vec<usize> {
    let mut asked = Vec::new();
    loop {
        match i.next() {
            Next::Ask(f) => i.answer(f, Reply::DontKnow),
            Next::AskIndicator(n) => {
                asked.push(n);
                i.answer_indicator(n, indicator(n));
            }
            _ => return asked,
        }
    }
}

fn yes() -> Reply {
    Reply::Value(FactValue::Bool(true))
}

fn no() -> Reply {
    Reply::Value(FactValue::Bool(false))
}

#[test]
fn indicators_are_asked_in_the_order_of_topics_alongside_the_law() {
    let mut i = interview();
    let mut last = Topic::Identity;
    loop {
        let topic = match i.next() {
            Next::Ask(f) => {
                i.answer(f, Reply::DontKnow);
                kb().facts[f].topic
            }
            Next::AskIndicator(n) => {
                i.answer_indicator(n, Reply::DontKnow);
                lists().indicators[n].topic.expect("a topic")
            }
            _ => break,
        };
        assert!(topic >= last, "a {topic:?} question after a {last:?} one");
        last = topic;
    }
}

#[test]
fn a_positive_reading_ends_the_screen_and_shows_in_the_profile() {
    let mut i = interview();
    let asked = run(&mut i, &|_| yes());
    println!(
        "every indicator yes: {} indicator questions asked",
        asked.len()
    );
    let profile = i.profile().expect("a profile");
    assert_eq!(profile.indicative_reading, Tri::True);
    let graded = lists()
        .indicators
        .iter()
        .filter(|x| x.list == LIST && x.grade.is_some())
        .count();
    assert!(
        asked.len() < graded / 2,
        "{} of {graded} indicators asked though the reading was settled",
        asked.len()
    );
    // Once a dimension is positive, none of its indicators is asked again.
    for d in profile
        .dimensions
        .iter()
        .filter(|d| d.positive == Tri::True)
    {
        let after = asked
            .iter()
            .filter(|&&n| lists().indicators[n].dimension.as_deref() == Some(&d.dimension))
            .count();
        assert_eq!(after, d.present.len(), "dimension {}", d.dimension);
    }
}

#[test]
fn a_negative_reading_is_reached_and_sensitive_indicators_wait_for_a_trigger() {
    let mut i = interview();
    let asked = run(&mut i, &|_| no());
    println!(
        "every indicator no: {} indicator questions asked",
        asked.len()
    );
    assert_eq!(
        i.profile().expect("a profile").indicative_reading,
        Tri::False
    );
    assert!(
        asked
            .iter()
            .all(|&n| lists().indicators[n].topic != Some(Topic::Sensitive)),
        "a sensitive indicator was asked with nothing pointing to it"
    );
    assert_eq!(i.next(), Next::Complete);
}

#[test]
fn back_takes_back_an_indicator_answer() {
    let mut i = interview();
    let n = loop {
        match i.next() {
            Next::Ask(f) => i.answer(f, Reply::DontKnow),
            Next::AskIndicator(n) => break n,
            other => panic!("no indicator asked: {other:?}"),
        }
    };
    i.answer_indicator(n, yes());
    assert!(
        i.profile()
            .unwrap()
            .dimensions
            .iter()
            .any(|d| !d.present.is_empty())
    );
    assert_eq!(i.back(), Some(Question::Indicator(n)));
    assert!(
        i.profile()
            .unwrap()
            .dimensions
            .iter()
            .all(|d| d.present.is_empty())
    );
    assert_eq!(i.next(), Next::AskIndicator(n));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn the_profile_is_the_same_whatever_the_order_of_answers(
        answers in prop::collection::vec((0usize..67, prop::bool::ANY), 1..30),
        changed in prop::bool::ANY,
    ) {
        let indices: Vec<usize> = lists()
            .indicators
            .iter()
            .enumerate()
            .filter(|(_, x)| x.list == LIST && x.grade.is_some())
            .map(|(n, _)| n)
            .collect();
        let reply = |b: bool| if b { yes() } else { no() };
        let mut forward = interview();
        for &(k, b) in &answers {
            forward.answer_indicator(indices[k % indices.len()], reply(b));
        }
        // The first answer changed last, against the same answer given first.
        let (first, _) = answers[0];
        forward.answer_indicator(indices[first % indices.len()], reply(changed));
        let mut first_given = interview();
        first_given.answer_indicator(indices[first % indices.len()], reply(changed));
        for &(k, b) in answers.iter().skip(1) {
            if k % indices.len() != first % indices.len() {
                first_given.answer_indicator(indices[k % indices.len()], reply(b));
            }
        }
        prop_assert_eq!(forward.profile(), first_given.profile());
        prop_assert_eq!(forward.next(), first_given.next());
    }
}

/// Debt bondage established by the law's answers marks the indicator of the same name present,
/// and the interview does not ask it; where the law's answers do not establish it, it is asked.
#[test]
fn an_indicator_the_law_establishes_is_present_without_being_asked() {
    let debt_bondage = lists()
        .indicators
        .iter()
        .position(|x| x.id == "ilo-ec-2009/adult-labour/coercion-at-destination/debt-bondage")
        .expect("the indicator");
    let fact = |name: &str| kb().fact(name).expect("a fact of the law");
    // Run with the law's answers on the pledge given, everything else "don't know".
    let run_with = |pledged: bool| {
        let mut i = interview();
        let mut asked = Vec::new();
        loop {
            match i.next() {
                Next::Ask(f) if f == fact("labour_pledged_for_debt") => {
                    i.answer(f, if pledged { yes() } else { no() })
                }
                Next::Ask(f) if f == fact("work_value_not_credited_to_debt") => i.answer(f, yes()),
                Next::Ask(f) => i.answer(f, Reply::DontKnow),
                Next::AskIndicator(n) => {
                    asked.push(n);
                    i.answer_indicator(n, Reply::DontKnow);
                }
                _ => return (i, asked),
            }
        }
    };
    let (i, asked) = run_with(true);
    assert!(!asked.contains(&debt_bondage), "asked though established");
    assert_eq!(i.established_indicators(), vec![debt_bondage]);
    let present: Vec<String> = i
        .profile()
        .unwrap()
        .dimensions
        .into_iter()
        .flat_map(|d| d.present)
        .collect();
    assert_eq!(present, vec![lists().indicators[debt_bondage].id.clone()]);

    let (i, asked) = run_with(false);
    assert!(
        asked.contains(&debt_bondage),
        "not asked though not established"
    );
    assert!(i.established_indicators().is_empty());
}
