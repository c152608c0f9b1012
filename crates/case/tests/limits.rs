//! The largest case accepted (`delimit_case::limits`): just under each limit a case reads,
//! just over it is refused with its code where it goes over, never with a panic or an
//! exhausted stack.

use delimit_case::htcds::{ExchangeError, from_htcds};
use delimit_case::limits::*;
use delimit_case::read_timeline::problems;
use delimit_case::timeline::TimelineCase;
use delimit_case::{AnyCase, read_any};
use delimit_law::{Diagnostic, KnowledgeBase, Sources};
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

/// The case read, or its errors as (code, place, message).
fn read(text: &str) -> Result<AnyCase, Vec<(&'static str, String, String)>> {
    let mut sources = Sources::new();
    read_any(&mut sources, "case.yaml", text, kb()).map_err(|ds| {
        ds.iter()
            .filter(|d| d.is_error())
            .map(|d: &Diagnostic| (d.code, d.location(&sources), d.message.clone()))
            .collect()
    })
}

fn journey(text: &str) -> TimelineCase {
    match read(text) {
        Ok(AnyCase::Timeline(case, _)) => case,
        Ok(AnyCase::Flat(_)) => panic!("read as flat"),
        Err(e) => panic!("refused: {e:?}"),
    }
}

/// The one error of a refused case.
fn refused(text: &str) -> (&'static str, String, String) {
    match read(text) {
        Ok(_) => panic!("read"),
        Err(mut e) => {
            assert_eq!(e.len(), 1, "{e:?}");
            e.remove(0)
        }
    }
}

/// A flat case padded with a comment to exactly `len` bytes.
fn padded_case(len: usize) -> String {
    let mut text = "facts:\n  crossed_border: yes\n# ".to_string();
    text.push_str(&"x".repeat(len - text.len() - 1));
    text.push('\n');
    assert_eq!(text.len(), len);
    text
}

#[test]
fn a_case_of_the_largest_size_is_read_and_one_byte_more_is_refused() {
    assert!(matches!(
        read(&padded_case(MAX_CASE_BYTES)),
        Ok(AnyCase::Flat(_))
    ));
    let (code, at, message) = refused(&padded_case(MAX_CASE_BYTES + 1));
    assert_eq!((code, at.as_str()), ("F011", "case.yaml:1:1"));
    assert_eq!(
        message,
        "the case file is larger than 1 MiB, the most a case may have"
    );
    // The text refused is not kept.
    let mut sources = Sources::new();
    let _ = read_any(
        &mut sources,
        "case.yaml",
        &padded_case(MAX_CASE_BYTES + 1),
        kb(),
    );
    assert_eq!(sources.text(0), "");
}

/// A journey whose person has a fact `x` of `levels` lists inside each other, in flow (JSON)
/// or block (YAML) style: the document then nests `levels + 4` deep.
fn nested(levels: usize, block: bool) -> String {
    let value = if block {
        // `- - - 1`: each `- ` opens a list inside the one before.
        format!("\n        {}1", "- ".repeat(levels))
    } else {
        format!(" {}1{}", "[".repeat(levels), "]".repeat(levels))
    };
    format!(
        "schema: delimit.case/2\npersons:\n  - id: p\n    facts:\n      x:{value}\nevents:\n  - {{id: e, kind: work, persons: [p]}}\n"
    )
}

#[test]
fn a_case_of_the_deepest_nesting_is_read_and_one_level_more_is_refused() {
    for block in [false, true] {
        let most = MAX_CASE_DEPTH - 4;
        let case = journey(&nested(most, block));
        assert!(case.persons[0].facts.contains_key("x"));
        let (code, at, message) = refused(&nested(most + 1, block));
        assert_eq!(code, "F012", "{at}");
        assert_eq!(message, "lists and mappings nest more than 127 levels deep");
        // At the list one level too deep: on the line of `x` in brackets, below it in YAML.
        let line = if block { 6 } else { 5 };
        assert!(at.starts_with(&format!("case.yaml:{line}:")), "{at}");
    }
}

#[test]
fn a_pathologically_deep_case_is_refused_not_a_stack_overflow() {
    for block in [false, true] {
        assert_eq!(refused(&nested(100_000, block)).0, "F012");
    }
    // JSON read as YAML, and a flat case.
    let json = format!(
        "{{\"facts\": {{\"crossed_border\": {}{}}}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert_eq!(refused(&json).0, "F012");
    let yaml = format!("facts:\n  crossed_border:\n    {}x\n", "- ".repeat(100_000));
    assert_eq!(refused(&yaml).0, "F012");
}

/// A journey whose person's fact `x` is an alias of a list nesting `anchored` levels, written
/// inside `around` levels: the alias repeats the list there, `4 + around + anchored` deep.
fn aliased(anchored: usize, around: usize) -> String {
    format!(
        "schema: delimit.case/2\npersons:\n  - id: p\n    facts:\n      a: &deep {}1{}\n      x: {}*deep{}\n",
        "[".repeat(anchored),
        "]".repeat(anchored),
        "[".repeat(around),
        "]".repeat(around),
    )
}

#[test]
fn an_alias_nests_as_deep_as_what_it_repeats() {
    let most = MAX_CASE_DEPTH - 4;
    journey(&aliased(60, most - 60));
    let (code, at, _) = refused(&aliased(60, most - 59));
    assert_eq!(code, "F012");
    assert_eq!(
        at,
        format!("case.yaml:6:{}", "      x: ".len() + most - 59 + 1),
        "at the alias"
    );
    // Aliases of aliases: each level doubles, and is counted.
    let mut text =
        "schema: delimit.case/2\npersons:\n  - id: p\n    facts:\n      a0: &a0 [1]\n".to_string();
    for i in 1..200 {
        text.push_str(&format!("      a{i}: &a{i} [*a{}]\n", i - 1));
    }
    assert_eq!(refused(&text).0, "F012");
}

#[test]
fn a_flat_case_of_the_most_facts_is_read_and_one_more_is_refused() {
    // The bundled law has far fewer facts: the names past them are unknown, one error each,
    // but the case is not refused for its size.
    let facts = |n: usize| {
        let mut text = "facts:\n".to_string();
        for i in 0..n {
            text.push_str(&format!("  fact_{i}: yes\n"));
        }
        text
    };
    let errors = read(&facts(MAX_FACTS)).err().expect("unknown facts");
    assert_eq!(errors.len(), MAX_FACTS);
    assert!(errors.iter().all(|e| e.0 == "F007"));
    let (code, at, message) = refused(&facts(MAX_FACTS + 1));
    assert_eq!((code, at.as_str()), ("F013", "case.yaml:2:3"));
    assert_eq!(
        message,
        "`facts` gives 1025 facts; a case gives at most 1024"
    );
}

/// A journey of `persons` persons, `actors` actors and `events` events, each event naming the
/// persons and actors `names(i)` gives.
fn sized(
    persons: usize,
    actors: usize,
    events: usize,
    names: impl Fn(usize) -> (Vec<String>, Vec<String>),
) -> String {
    let mut text = "schema: delimit.case/2\npersons:\n".to_string();
    for i in 0..persons {
        text.push_str(&format!("  - id: p{i}\n"));
    }
    if actors > 0 {
        text.push_str("actors:\n");
        for i in 0..actors {
            text.push_str(&format!("  - id: a{i}\n"));
        }
    }
    if events > 0 {
        text.push_str("events:\n");
    }
    for i in 0..events {
        let (p, a) = names(i);
        text.push_str(&format!(
            "  - {{id: e{i}, kind: work, date: 2024-01-01, persons: [{}], actors: [{}]}}\n",
            p.join(", "),
            a.join(", ")
        ));
    }
    text
}

fn one(_: usize) -> (Vec<String>, Vec<String>) {
    (vec!["p0".into()], vec![])
}

#[test]
fn journeys_of_the_most_persons_actors_and_events_are_read_and_one_more_is_refused() {
    for (what, persons, actors, events, at) in [
        ("persons", MAX_PERSONS, 0, 1, "persons[64]"),
        ("actors", 1, MAX_ACTORS, 1, "actors[64]"),
        ("events", 1, 0, MAX_EVENTS, "events[512]"),
    ] {
        let case = journey(&sized(persons, actors, events, one));
        assert!(problems(&case).is_empty());
        let more = |n: usize, k: &str| n + usize::from(what == k);
        let text = sized(
            more(persons, "persons"),
            more(actors, "actors"),
            more(events, "events"),
            one,
        );
        let (code, place, message) = refused(&text);
        assert_eq!(code, "T113");
        let most = persons.max(actors).max(events);
        assert_eq!(
            message,
            format!(
                "the case names {} {what}; a case names at most {most}",
                most + 1
            )
        );
        // The place is the first item past the limit: its line in the file.
        let line = text
            .lines()
            .position(|l| l.contains(&format!("id: {}{most}", &what[..1])));
        assert_eq!(place, format!("case.yaml:{}:5", line.unwrap() + 1), "{at}");
    }
}

#[test]
fn journeys_of_the_most_references_and_facts_are_read_and_one_more_is_refused() {
    // 64 events naming all 64 persons: 4,096 references.
    let all = |_: usize| ((0..MAX_PERSONS).map(|p| format!("p{p}")).collect(), vec![]);
    assert_eq!(MAX_PERSONS * MAX_PERSONS, MAX_REFERENCES);
    let text = sized(MAX_PERSONS, 0, MAX_PERSONS, all);
    assert!(problems(&journey(&text)).is_empty());
    // One relation more, from an actor.
    let more = text.replace(
        "events:\n",
        "actors:\n  - {id: a0, relations: [{person: p0, relation: employer}]}\nevents:\n",
    );
    let (code, place, message) = refused(&more);
    assert_eq!(code, "T113");
    assert_eq!(
        message,
        "the case has 4097 references from events and actors to persons and actors; a case has at most 4096"
    );
    assert_eq!(
        place,
        format!("case.yaml:{}:5", more.lines().count()),
        "the last event"
    );

    // 64 persons of 16 facts each: 1,024 facts.
    let facts = |n: usize| {
        let mut text = "schema: delimit.case/2\npersons:\n".to_string();
        for p in 0..MAX_PERSONS {
            text.push_str(&format!("  - id: p{p}\n    facts:\n"));
            for f in 0..n {
                text.push_str(&format!("      f{f}: yes\n"));
            }
        }
        text
    };
    let per_person = MAX_FACTS / MAX_PERSONS;
    assert!(problems(&journey(&facts(per_person))).is_empty());
    let text =
        facts(per_person) + "events:\n  - {id: e, kind: work, persons: [p0], facts: {g: yes}}\n";
    let (code, _, message) = refused(&text);
    assert_eq!(code, "T113");
    assert_eq!(message, "the case has 1025 facts; a case has at most 1024");
}

#[test]
fn a_journey_built_in_memory_is_held_to_the_same_counts() {
    let mut case = journey(&sized(MAX_PERSONS, 0, 1, one));
    assert!(problems(&case).is_empty());
    let extra = case.persons[0].clone();
    case.persons.push(extra);
    assert_eq!(
        problems(&case),
        ["the case names 65 persons; a case names at most 64 (T113)"]
    );
}

const HTCDS_HEADER: &str = "dlm_CaseId,dlm_PersonId,dlm_ActorId,prs_Gender,per_RoleInProcess,hte_Date,hte_Type,hte_Country,dlm_EventId,dlm_EventKind,notes";

#[test]
fn an_htcds_file_of_the_largest_size_is_read_and_one_byte_more_is_refused() {
    // One person's row, then rows left empty (skipped) up to the size.
    let file = |len: usize| {
        let mut text = format!("{HTCDS_HEADER}\nc1,p1,,Feminine,,,,,,,\n");
        let empty = ",,,,,,,,,,\n";
        while text.len() + empty.len() <= len {
            text.push_str(empty);
        }
        text.push_str(&"\n".repeat(len - text.len()));
        assert_eq!(text.len(), len);
        text
    };
    let (cases, _) = from_htcds(&file(MAX_HTCDS_BYTES)).expect("read");
    assert_eq!(cases.len(), 1);
    let e = from_htcds(&file(MAX_HTCDS_BYTES + 1)).unwrap_err();
    assert!(matches!(e, ExchangeError::TooLarge(_)));
    assert!(
        e.to_string()
            .starts_with("the file is larger than 64 MiB, the most an HTCDS file may have"),
        "{e}"
    );
}

#[test]
fn an_htcds_row_of_the_largest_size_is_read_and_one_byte_more_is_refused() {
    // The cells of the row (without the commas) come to `len` bytes, most of them in a column
    // HTCDS does not have, which is only warned about.
    let row = |len: usize| {
        let cells = "c1p1Feminine";
        format!(
            "{HTCDS_HEADER}\nc1,p1,,Feminine,,,,,,,{}\n",
            "n".repeat(len - cells.len())
        )
    };
    assert!(from_htcds(&row(MAX_HTCDS_ROW_BYTES)).is_ok());
    let e = from_htcds(&row(MAX_HTCDS_ROW_BYTES + 1)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "row 2 is larger than 256 KiB, the most an HTCDS row may have"
    );
}

#[test]
fn an_htcds_row_of_the_most_events_is_read_and_one_more_is_refused() {
    let row = |n: usize| {
        let list = |v: &str| vec![v; n].join(";");
        let ids: Vec<String> = (0..n).map(|i| format!("e{i}")).collect();
        format!(
            "{HTCDS_HEADER}\nc1,p1,,Feminine,,{},{},{},{},{},\n",
            list("2024-01-01"),
            list("Exploitation"),
            list("RU"),
            ids.join(";"),
            list("exploitation")
        )
    };
    let (cases, _) = from_htcds(&row(MAX_EVENTS)).expect("read");
    assert_eq!(cases[0].events.len(), MAX_EVENTS);
    let ExchangeError::Invalid(errors) = from_htcds(&row(MAX_EVENTS + 1)).unwrap_err() else {
        panic!("not a field error");
    };
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].row, 2);
    assert_eq!(
        errors[0].message,
        "513 events, more than the 512 a case may have"
    );
}

#[test]
fn an_htcds_case_of_the_most_actors_is_read_and_one_more_is_refused() {
    let file = |n: usize| {
        let mut text = format!("{HTCDS_HEADER}\nc1,p1,,Feminine,,,,,,,\n");
        for i in 0..n {
            text.push_str(&format!("c1,,a{i},,Exploiter,,,,,,\n"));
        }
        text.push_str("c2,p2,,Masculine,,,,,,,\n");
        text
    };
    let (cases, _) = from_htcds(&file(MAX_ACTORS)).expect("read");
    assert_eq!(cases[0].actors.len(), MAX_ACTORS);
    assert!(cases.iter().all(|c| problems(c).is_empty()));
    let ExchangeError::Invalid(errors) = from_htcds(&file(MAX_ACTORS + 1)).unwrap_err() else {
        panic!("not a field error");
    };
    assert_eq!(errors.len(), 1);
    assert_eq!(
        (errors[0].row, errors[0].column.as_str()),
        (MAX_ACTORS + 3, "dlm_CaseId")
    );
    assert_eq!(
        errors[0].message,
        "more than 64 actors in one case, the most a case may have"
    );
}
