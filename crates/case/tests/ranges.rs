//! Values a case may not give, each refused where it was written: dates outside 1900 to 2100,
//! ages past 130, amounts and numbers negative or past 10^12 (`delimit_case::limits`), and a
//! key given twice in one mapping, in YAML and in JSON.

use delimit_case::htcds::{ExchangeError, from_htcds};
use delimit_case::json::{self, JsonError};
use delimit_case::read_timeline::problems;
use delimit_case::timeline::{Answer, Birth, TimelineCase, When};
use delimit_case::{AnyCase, read_any};
use delimit_law::{Diagnostic, KnowledgeBase, LawFile, Sources};
use jiff::civil::date;
use std::path::Path;
use std::sync::OnceLock;

fn kb() -> &'static KnowledgeBase {
    static KB: OnceLock<KnowledgeBase> = OnceLock::new();
    KB.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../law");
        delimit_law::compile(&delimit_law::load::read_dir(&dir).expect("law"))
            .kb
            .expect("law checks")
    })
}

/// A law of one fact that is a number, `victims`, and one that is a date, `born`: the bundled
/// law has no fact that is a number.
fn numbers_kb() -> &'static KnowledgeBase {
    static KB: OnceLock<KnowledgeBase> = OnceLock::new();
    KB.get_or_init(|| {
        let text = "```instrument\nid: t\ntitle: T\njurisdiction: none\nkind: test\nstatus: verified\nsource: s\n```\n\n```provision\nid: t/1\narticle: 1\nlabel: one\nstatus: verified\nsource: s\ntext: absent\n```\n\n```delimit\nfact victims: number\n  question en \"How many?\"\nfact born: date\n  question en \"Born?\"\nconcept many\n  label en \"Many\"\nrule r: many = victims > 10\n  cites t/1\n  from 2000-01-01\n```\n";
        delimit_law::compile(&[LawFile {
            name: "t.md".into(),
            text: text.into(),
        }])
        .kb
        .expect("the test law checks")
    })
}

/// The errors of a refused case, each as (code, place, message, notes).
fn errors(kb: &KnowledgeBase, text: &str) -> Vec<(&'static str, String, String, Vec<String>)> {
    let mut sources = Sources::new();
    match read_any(&mut sources, "case.yaml", text, kb) {
        Ok(_) => panic!("read:\n{text}"),
        Err(ds) => ds
            .iter()
            .filter(|d| d.is_error())
            .map(|d: &Diagnostic| {
                (
                    d.code,
                    d.location(&sources),
                    d.message.clone(),
                    d.notes.clone(),
                )
            })
            .collect(),
    }
}

/// The one error of a refused case: code, place, message; a hint is given.
fn refused(kb: &KnowledgeBase, text: &str) -> (&'static str, String, String) {
    let mut all = errors(kb, text);
    assert_eq!(all.len(), 1, "{all:?}");
    let (code, at, message, notes) = all.remove(0);
    assert!(!notes.is_empty(), "{message}: a hint");
    (code, at, message)
}

fn journey(text: &str) -> TimelineCase {
    match read_any(&mut Sources::new(), "case.yaml", text, kb()) {
        Ok(AnyCase::Timeline(case, _)) => case,
        Ok(AnyCase::Flat(_)) => panic!("read as flat"),
        Err(e) => panic!("refused: {e:?}"),
    }
}

const HEAD: &str = "schema: delimit.case/2\nid: c\npersons:\n  - id: p\n";

/// A journey whose event `e` (a payment) has `attributes`, at line 7 onwards.
fn with_event(attributes: &str) -> String {
    format!("{HEAD}events:\n  - id: e\n    kind: payment\n    persons: [p]\n{attributes}")
}

#[test]
fn an_event_dated_in_the_year_0_is_refused_at_its_date() {
    assert_eq!(
        refused(kb(), &with_event("    date: 0000-03-02\n")),
        (
            "T114",
            "case.yaml:9:11".into(),
            "the date of event `e` is 0000-03-02, outside the dates a case may give (1900-01-01 to 2100-12-31)"
                .into()
        )
    );
}

#[test]
fn an_event_dated_in_the_year_9999_is_refused_at_its_date() {
    assert_eq!(
        refused(
            kb(),
            &with_event("    date: {from: 2024-01-01, to: 9999-01-01}\n")
        ),
        (
            "T114",
            "case.yaml:9:34".into(),
            "the last day of event `e` is 9999-01-01, outside the dates a case may give (1900-01-01 to 2100-12-31)"
                .into()
        )
    );
}

#[test]
fn the_first_and_last_dates_a_case_may_give_are_read() {
    let case = journey(&with_event(
        "    date: {from: 1900-01-01, to: 2100-12-31}\n",
    ));
    assert_eq!(
        case.events[0].date,
        When::Range {
            from: date(1900, 1, 1),
            to: date(2100, 12, 31)
        }
    );
    let (code, at, message) = refused(kb(), &with_event("    date: 1899-12-31\n"));
    assert_eq!((code, at.as_str()), ("T114", "case.yaml:9:11"), "{message}");
    assert_eq!(
        refused(kb(), &with_event("    date: 2101-01-01\n")).1,
        "case.yaml:9:11"
    );
}

#[test]
fn a_birth_year_of_minus_32000_is_refused_at_the_year() {
    assert_eq!(
        refused(kb(), &format!("{HEAD}    birth: {{year: -32000}}\n")),
        (
            "T114",
            "case.yaml:5:19".into(),
            "the birth year of person `p` is -32000, outside the years a case may give (1900 to 2100)"
                .into()
        )
    );
}

#[test]
fn a_birth_date_in_the_year_9999_is_refused_at_the_date() {
    assert_eq!(
        refused(kb(), &format!("{HEAD}    birth:\n      date: 9999-01-01\n")),
        (
            "T114",
            "case.yaml:6:13".into(),
            "the birth date of person `p` is 9999-01-01, outside the dates a case may give (1900-01-01 to 2100-12-31)"
                .into()
        )
    );
}

#[test]
fn an_age_of_200_is_refused_at_the_age_and_130_is_read() {
    let age =
        |years: u32| format!("{HEAD}    birth: {{age: {{years: {years}, on: 2024-03-01}}}}\n");
    assert_eq!(
        refused(kb(), &age(200)),
        (
            "T114",
            "case.yaml:5:26".into(),
            "the age of person `p` is 200 years, outside the ages a case may give (0 to 130)"
                .into()
        )
    );
    assert_eq!(
        journey(&age(130)).persons[0].birth,
        Answer::Known(Birth::Age {
            years: 130,
            on: date(2024, 3, 1)
        })
    );
}

#[test]
fn a_negative_amount_is_refused_at_the_amount() {
    assert_eq!(
        refused(kb(), &with_event("    date: 2024-03-01\n    amount_usd: -5\n")),
        (
            "T114",
            "case.yaml:10:17".into(),
            "the amount of event `e` is -5 US dollars, outside the amounts a case may give (0 to 10^12)"
                .into()
        )
    );
}

#[test]
fn a_negative_debt_is_refused_at_the_amount() {
    let text = format!(
        "{HEAD}events:\n  - id: owed\n    kind: debt\n    persons: [p]\n    amount_usd: -2000\n"
    );
    assert_eq!(
        refused(kb(), &text),
        (
            "T114",
            "case.yaml:9:17".into(),
            "the amount of event `owed` is -2000 US dollars, outside the amounts a case may give (0 to 10^12)"
                .into()
        )
    );
}

#[test]
fn an_amount_of_1e308_is_refused_and_10_to_the_12_is_read() {
    assert_eq!(
        refused(kb(), &with_event("    amount_usd: 1e308\n")),
        (
            "T114",
            "case.yaml:9:17".into(),
            "the amount of event `e` is 1e308 US dollars, outside the amounts a case may give (0 to 10^12)"
                .into()
        )
    );
    assert_eq!(
        journey(&with_event("    amount_usd: 1000000000000\n")).events[0].amount_usd,
        Some(1e12)
    );
    assert_eq!(
        refused(kb(), &with_event("    amount_usd: 1000000000001\n")).1,
        "case.yaml:9:17"
    );
}

#[test]
fn an_infinite_amount_is_refused_not_read_as_unknown() {
    assert_eq!(
        refused(kb(), &with_event("    amount_usd: .inf\n")),
        (
            "T114",
            "case.yaml:9:17".into(),
            "events[0].amount_usd: the number inf is outside the numbers a case may give (0 to 10^12)"
                .into()
        )
    );
    assert_eq!(
        refused(kb(), &with_event("    amount_usd: .nan\n")).1,
        "case.yaml:9:17"
    );
}

#[test]
fn facts_stated_in_a_journey_are_held_to_the_same_ranges() {
    assert_eq!(
        refused(
            kb(),
            &format!("{HEAD}    facts:\n      birth_date: 1800-05-01\n")
        ),
        (
            "T114",
            "case.yaml:6:19".into(),
            "fact `birth_date` of person `p` is 1800-05-01, outside the dates a case may give (1900-01-01 to 2100-12-31)"
                .into()
        )
    );
    assert_eq!(
        refused(kb(), &with_event("    facts: {victims: -1}\n")),
        (
            "T114",
            "case.yaml:9:22".into(),
            "fact `victims` of event `e` is -1, outside the numbers a case may give (0 to 10^12)"
                .into()
        )
    );
}

#[test]
fn the_as_of_of_a_journey_is_a_date_within_range() {
    assert_eq!(
        refused(kb(), &format!("as_of: 0001-01-01\n{HEAD}")),
        (
            "T114",
            "case.yaml:1:8".into(),
            "`as_of`, the date the law is applied as of, is 0001-01-01, outside the dates a case may give (1900-01-01 to 2100-12-31)"
                .into()
        )
    );
}

#[test]
fn a_flat_case_as_of_in_the_year_0_is_refused() {
    assert_eq!(
        refused(kb(), "as_of: 0000-06-01\nfacts:\n  crossed_border: yes\n"),
        (
            "F015",
            "case.yaml:1:8".into(),
            "`as_of` is 0000-06-01, outside the dates a case may give (1900-01-01 to 2100-12-31)"
                .into()
        )
    );
}

#[test]
fn a_flat_date_fact_in_the_year_9999_is_refused() {
    assert_eq!(
        refused(kb(), "facts:\n  crossed_border: yes\n  date_of_act: 9999-12-31\n"),
        (
            "F015",
            "case.yaml:3:16".into(),
            "`date_of_act` is 9999-12-31, outside the dates a case may give (1900-01-01 to 2100-12-31)"
                .into()
        )
    );
}

#[test]
fn a_flat_number_fact_negative_or_of_1e308_is_refused() {
    assert_eq!(
        refused(numbers_kb(), "facts:\n  victims: -3\n"),
        (
            "F015",
            "case.yaml:2:12".into(),
            "`victims` is -3, outside the numbers a case may give (0 to 10^12)".into()
        )
    );
    assert_eq!(
        refused(numbers_kb(), "facts:\n  victims: 1.0e308\n"),
        (
            "F015",
            "case.yaml:2:12".into(),
            "`victims` is 1e308, outside the numbers a case may give (0 to 10^12)".into()
        )
    );
    assert_eq!(
        refused(numbers_kb(), "facts:\n  born: 1492-10-12\n").2,
        "`born` is 1492-10-12, outside the dates a case may give (1900-01-01 to 2100-12-31)"
    );
    let mut sources = Sources::new();
    let Ok(AnyCase::Flat(case)) = read_any(
        &mut sources,
        "case.yaml",
        "facts:\n  victims: 1000000000000\n  born: 1900-01-01\n",
        numbers_kb(),
    ) else {
        panic!("the largest number and the earliest date are read")
    };
    assert_eq!(
        case.facts.get(numbers_kb().fact("victims").unwrap()),
        Some(delimit_engine::FactValue::Number(1e12))
    );
}

#[test]
fn a_journey_built_in_memory_is_held_to_the_ranges_by_problems() {
    let mut case = journey(&with_event("    date: 2024-03-01\n    amount_usd: 10\n"));
    assert!(problems(&case).is_empty());
    case.events[0].amount_usd = Some(-1.0);
    case.persons[0].birth = Answer::Known(Birth::Age {
        years: 200,
        on: date(2024, 1, 1),
    });
    assert_eq!(
        problems(&case),
        [
            "the age of person `p` is 200 years, outside the ages a case may give (0 to 130) (T114)",
            "the amount of event `e` is -1 US dollars, outside the amounts a case may give (0 to 10^12) (T114)",
        ]
    );
}

#[test]
fn a_key_given_twice_in_yaml_is_refused_at_the_second() {
    let (code, at, message) = refused(
        kb(),
        &format!("{HEAD}events:\n  - id: e\n    kind: work\n    persons: [p]\n    kind: payment\n"),
    );
    assert_eq!(
        (code, at.as_str(), message.as_str()),
        (
            "F014",
            "case.yaml:9:5",
            "duplicate key `kind`: the mapping gives it twice"
        )
    );
    // In a flat case's facts, where the reader would keep one answer and drop the other.
    assert_eq!(
        refused(
            kb(),
            "facts:\n  crossed_border: yes\n  crossed_border: no\n"
        ),
        (
            "F014",
            "case.yaml:3:3".into(),
            "duplicate key `crossed_border`: the mapping gives it twice".into()
        )
    );
}

#[test]
fn every_key_given_twice_is_refused_as_the_reader_compares_keys() {
    // `1` and `"1"` are the same key to the reader, and an alias repeats its anchor's key.
    let all = errors(
        kb(),
        &format!("{HEAD}    facts: {{\"1\": yes, 1: no}}\n  - &k id: q\n    *k : r\n"),
    );
    let found: Vec<(&str, &str, &str)> = all
        .iter()
        .map(|(c, at, m, _)| (*c, at.as_str(), m.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "F014",
                "case.yaml:5:23",
                "duplicate key `1`: the mapping gives it twice"
            ),
            (
                "F014",
                "case.yaml:7:5",
                "duplicate key `id`: the mapping gives it twice"
            ),
        ]
    );
    // Two keys that are lists read as the same, empty key.
    let (code, at, message) = refused(kb(), &format!("{HEAD}    facts: {{[a]: yes, [b]: no}}\n"));
    assert_eq!((code, at.as_str()), ("F014", "case.yaml:5:23"));
    assert!(message.starts_with("duplicate key: two keys of the mapping are empty, or not text"));
}

#[test]
fn a_key_given_twice_in_json_is_refused_at_the_second() {
    let text =
        "{\"schema\": \"delimit.case/2\",\n \"persons\": [{\"id\": \"p\"}],\n \"persons\": []}\n";
    assert_eq!(
        refused(kb(), text),
        (
            "F014",
            "case.yaml:3:2".into(),
            "duplicate key `persons`: the mapping gives it twice".into()
        )
    );
}

#[test]
fn json_read_without_the_located_reader_refuses_a_key_given_twice() {
    let text = r#"{"schema": "delimit.case/2", "persons": [{"id": "p", "facts": {"a\"b": 1, "a\"b": 2}}]}"#;
    match json::from_str(text) {
        Err(JsonError::Duplicate { key, line, column }) => {
            assert_eq!((key.as_str(), line, column), ("a\"b", 1, 75));
            assert_eq!(&text[column - 1..column + 5], r#""a\"b""#);
        }
        other => panic!("{other:?}"),
    }
    let text = "{\"id\": 1,\n  \"é\": 2,\n  \"é\"  : 3}";
    assert_eq!(
        json::from_str(text).unwrap_err().to_string(),
        "duplicate key `é` at line 3 column 3: the object gives it twice"
    );
    assert!(json::from_str(r#"{"a": {"b": 1}, "c": {"b": 2}}"#).is_ok());
    // A case inside a larger body, read straight from its text.
    #[derive(serde::Deserialize)]
    struct Body {
        #[serde(deserialize_with = "json::unique_value")]
        #[allow(dead_code)]
        case: serde_json::Value,
    }
    let e = serde_json::from_str::<Body>(r#"{"case": {"id": "a", "id": "b"}}"#)
        .err()
        .expect("refused");
    assert!(e.to_string().starts_with("duplicate key `id`"), "{e}");
    // serde reads a journey's facts the same way.
    let case =
        r#"{"schema": "delimit.case/2", "persons": [{"id": "p", "facts": {"x": 1, "x": 2}}]}"#;
    let e = serde_json::from_str::<TimelineCase>(case).unwrap_err();
    assert!(e.to_string().starts_with("duplicate key `x`"), "{e}");
}

#[test]
fn htcds_dates_and_years_outside_the_range_are_refused_by_row_and_column() {
    let csv = "dlm_PersonId,prs_Birthdate,hte_Date,hte_Type\n\
        ok,1996-02-11,2024-03-01,Transit\n\
        old,0999,2024-03-01,Transit\n\
        late,,9999-01-01,Transit\n";
    let ExchangeError::Invalid(errors) = from_htcds(csv).unwrap_err() else {
        panic!("values are invalid")
    };
    let found: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        found,
        [
            "row 3, column `prs_Birthdate`: `0999` is outside the years a case may give (1900 to 2100)",
            "row 4, column `hte_Date`: event 1: `9999-01-01` is outside the dates a case may give (1900-01-01 to 2100-12-31)",
        ]
    );
}
