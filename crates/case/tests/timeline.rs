//! Timeline cases: reading (every mistake located or named), and the agreement of the
//! journey path with the flat-facts path on the same facts.

use delimit_case::derive::{Stage, derive, journey};
use delimit_case::findings::assess_timeline;
use delimit_case::timeline::*;
use delimit_case::{AnyCase, read_any, read_case};
use delimit_engine::{Plan, Query, Tri};
use delimit_law::{ConceptKind, KnowledgeBase, Sources};
use jiff::civil::date;
use proptest::prelude::*;
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

fn read(text: &str) -> Result<(TimelineCase, Vec<String>), Vec<String>> {
    let mut sources = Sources::new();
    match read_any(&mut sources, "case.yaml", text, kb()) {
        Ok(AnyCase::Timeline(c, w)) => Ok((
            c,
            w.iter()
                .map(|d| format!("{} {} {}", d.code, d.location(&sources), d.message))
                .collect(),
        )),
        Ok(AnyCase::Flat(_)) => panic!("read as flat"),
        Err(e) => Err(e
            .iter()
            .map(|d| {
                format!(
                    "{} {} {} {}",
                    d.code,
                    d.location(&sources),
                    d.message,
                    d.notes.join(" ")
                )
            })
            .collect()),
    }
}

const HEAD: &str = "schema: delimit.case/2\npersons:\n  - id: p\n    citizenships: [TJ]\n";

#[test]
fn a_well_formed_journey_reads_without_warnings() {
    let (case, warnings) = read(&format!(
        "{HEAD}events:\n  - id: e1\n    kind: recruitment\n    date: 2024-01-01\n    persons: [p]\n"
    ))
    .expect("reads");
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(case.events[0].date, When::Exact(date(2024, 1, 1)));
}

#[test]
fn mistakes_are_named_and_located() {
    let cases = [
        (
            "events:\n  - id: e1\n    kind: recruitment\n    persons: [q]\n",
            "T104 case.yaml:8:15 person `q` is referred to but not declared",
        ),
        (
            "events:\n  - id: e1\n    kind: border_crossing\n    persons: [p]\n    from: TJ\n    to: XX\n",
            "T105 case.yaml:10:9 `XX` is not an ISO 3166-1 alpha-2 country code",
        ),
        (
            "events:\n  - id: e1\n    kind: stay\n    persons: [p]\n    date: {from: 2024-05-01, to: 2024-01-01}\n",
            "T108 case.yaml:9:11 event `e1` ends before it starts",
        ),
        (
            "    stateless: yes\n",
            "T106 case.yaml:5:16 person `p` is said to be stateless and to have a citizenship",
        ),
        (
            "events:\n  - id: e1\n    kind: recruitment\n    persons: [p]\n    actors: [nobody]\n",
            "T104 case.yaml:9:14 actor `nobody` is referred to but not declared",
        ),
        (
            "    birth: {date: 2030-01-01}\nevents:\n  - id: e1\n    kind: recruitment\n    date: 2024-01-01\n    persons: [p]\n",
            "T107",
        ),
        ("events:\n  - id: e1\n    kind: recruitmnt\n", "T100"),
        (
            "    citizenship: [TJ]\n",
            "T100 case.yaml:5:5 persons[0].citizenship: unknown field `citizenship`",
        ),
        ("    citizenship: [TJ]\n", "did you mean `citizenships`"),
    ];
    for (tail, expected) in cases {
        let errors = read(&format!("{HEAD}{tail}")).expect_err(tail);
        assert!(
            errors.iter().any(|e| e.contains(expected)),
            "{tail}: expected {expected:?} in {errors:?}"
        );
    }
}

#[test]
fn events_out_of_order_are_a_warning_naming_the_event() {
    let (_, warnings) = read(&format!("{HEAD}events:\n  - id: late\n    kind: recruitment\n    date: 2024-05-01\n    persons: [p]\n  - id: early\n    kind: transportation\n    date: 2024-01-01\n    persons: [p]\n")).expect("reads");
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("event `early` is dated before `late`")),
        "{warnings:?}"
    );
}

#[test]
fn refused_is_kept_apart_from_unknown() {
    let (case, _) =
        read(&format!("{HEAD}    birth: refused\n    gender: unknown\n")).expect("reads");
    assert_eq!(case.persons[0].birth, Answer::Refused);
    assert_eq!(case.persons[0].gender, Answer::Unknown);
    let json = serde_json::to_string(&case.persons[0]).unwrap();
    assert!(json.contains("\"birth\":\"refused\""), "{json}");
    assert!(json.contains("\"gender\":\"unknown\""), "{json}");
}

#[test]
fn stages_follow_the_journey() {
    let (case, _) = read(&format!("{HEAD}events:\n  - id: r\n    kind: recruitment\n    persons: [p]\n  - id: x\n    kind: border_crossing\n    persons: [p]\n    from: TJ\n    to: RU\n  - id: w\n    kind: work\n    persons: [p]\n    place: {{country: RU}}\n  - id: back\n    kind: border_crossing\n    persons: [p]\n    from: RU\n    to: TJ\n")).expect("reads");
    let j = journey(&case, "p");
    assert_eq!(
        j.stages,
        vec![
            Some(Stage::Recruitment),
            Some(Stage::Transit),
            Some(Stage::Destination),
            Some(Stage::Exit)
        ]
    );
    assert_eq!(j.origin.as_deref(), Some("TJ"));
    assert_eq!(j.destination.as_deref(), Some("RU"));
}

// Random journeys, to check that what a journey derives reads back as a flat case with the
// same facts, and that the journey's findings are the flat path's values for those facts.

fn answer<T: Clone + std::fmt::Debug + 'static>(
    values: Vec<T>,
) -> impl Strategy<Value = Answer<T>> {
    prop_oneof![
        3 => prop::sample::select(values).prop_map(Answer::Known),
        1 => Just(Answer::Unknown),
        1 => Just(Answer::Refused),
    ]
}

fn country() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["TJ".to_string(), "RU".to_string(), "KZ".to_string()])
}

fn event(i: usize) -> impl Strategy<Value = Event> {
    let kinds = vec![
        EventKind::Recruitment,
        EventKind::Transportation,
        EventKind::BorderCrossing,
        EventKind::Harbouring,
        EventKind::Receipt,
        EventKind::Stay,
        EventKind::Work,
        EventKind::Exploitation,
        EventKind::Control,
        EventKind::Payment,
    ];
    (
        prop::sample::select(kinds),
        0u8..60,
        country(),
        country(),
        any::<bool>(),
        answer(vec![
            vec![],
            vec![Means::Deception],
            vec![Means::Force, Means::AbuseOfVulnerability],
        ]),
        answer(vec![
            vec![],
            vec![Exploitation::ForcedLabour],
            vec![Exploitation::SexualExploitation],
        ]),
        answer(vec![true, false]),
        answer(vec![
            Documents::OwnValid,
            Documents::None,
            Documents::SomeoneElses,
        ]),
        answer(vec![
            vec![Control::WithholdsDocuments],
            vec![Control::ExcessiveWorkingHours],
        ]),
        answer(vec![true, false]),
    )
        .prop_map(
            move |(
                kind,
                day,
                a,
                b,
                with_actor,
                means,
                purpose,
                lawful,
                documents,
                control,
                consent,
            )| Event {
                id: format!("e{i}"),
                kind,
                date: When::Exact(
                    date(2023, 1, 1) + jiff::Span::new().days(i as i64 * 60 + day as i64),
                ),
                place: (kind != EventKind::BorderCrossing).then(|| Place {
                    country: b.clone(),
                    region: None,
                }),
                persons: vec!["p".into()],
                actors: if with_actor { vec!["a".into()] } else { vec![] },
                means,
                purpose,
                from: (kind == EventKind::BorderCrossing).then(|| a.clone()),
                to: (kind == EventKind::BorderCrossing).then(|| b.clone()),
                at_checkpoint: Answer::Unknown,
                documents,
                lawful,
                basis: None,
                sector: None,
                exploitation: answer_exploitation(kind),
                control: if kind == EventKind::Control {
                    control
                } else {
                    Answer::Unknown
                },
                payer: (kind == EventKind::Payment).then(|| "p".into()),
                payee: (kind == EventKind::Payment && with_actor).then(|| "a".into()),
                payment_purpose: (kind == EventKind::Payment).then_some(PaymentPurpose::Journey),
                amount_usd: (kind == EventKind::Payment).then_some(day as f64 * 10.0),
                consent,
                facts: Default::default(),
                note: None,
            },
        )
}

fn answer_exploitation(kind: EventKind) -> Answer<Vec<Exploitation>> {
    if kind == EventKind::Exploitation {
        Answer::Known(vec![Exploitation::ForcedLabour])
    } else {
        Answer::Unknown
    }
}

fn timeline() -> impl Strategy<Value = TimelineCase> {
    (
        answer(vec![vec!["TJ".to_string()], vec!["RU".to_string()], vec![]]),
        answer(vec![
            Birth::Date(date(1990, 5, 5)),
            Birth::Date(date(2008, 2, 2)),
            Birth::Year(2000),
        ]),
        (0usize..8).prop_flat_map(|n| (0..n).map(event).collect::<Vec<_>>()),
    )
        .prop_map(|(citizenships, birth, events)| TimelineCase {
            schema: CASE_SCHEMA.into(),
            id: Some("random".into()),
            title: None,
            as_of: None,
            doctrines: vec![],
            persons: vec![Person {
                id: "p".into(),
                citizenships,
                stateless: Answer::Known(false),
                permanent_residence: Answer::Known(vec![]),
                birth,
                gender: Answer::Unknown,
                facts: Default::default(),
            }],
            actors: vec![Actor {
                id: "a".into(),
                kind: ActorKind::Natural,
                roles: vec![Role::Smuggler],
                relations: vec![],
            }],
            events,
            note: None,
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn the_journey_and_the_flat_path_agree(case in timeline()) {
        let kb = kb();
        let person = &case.persons[0];
        let j = journey(&case, "p");
        let assessment = assess_timeline(kb, &case, &[], "en");
        let found = &assessment.persons[0];
        let home = j.destination.clone().or_else(|| j.states.first().cloned());
        let Some(stage) = j.stages.iter().flatten().max().copied() else { return Ok(()) };
        let d = derive(kb, &case, person, &j, home.as_deref(), stage, None);
        let Some(as_of) = d.latest else { return Ok(()) };
        // The derived facts, written as a flat case and read back, are the same facts.
        let yaml = delimit_case::facts_to_yaml(kb, &d.facts, Some(as_of));
        let mut sources = Sources::new();
        let flat = read_case(&mut sources, "derived.yaml", &yaml, kb)
            .map_err(|e| TestCaseError::fail(format!("{yaml}\n{}", delimit_law::render(&sources, &e, false))))?;
        prop_assert_eq!(&flat.facts, &d.facts, "{}", yaml);
        // And the flat path gives the journey's person-level findings.
        let plan = Plan::new(kb, Query { as_of, doctrines: vec![] }).unwrap();
        let values = plan.evaluate(&flat.facts);
        for f in &found.findings {
            let c = kb.concept(&f.concept).unwrap();
            prop_assert!(kb.concepts[c].kinds.iter().any(|k| matches!(k, ConceptKind::Status | ConceptKind::Consequence)));
            prop_assert_eq!(values.concepts[c], f.value, "{} on\n{}", f.concept, yaml);
        }
        for (c, v) in values.concepts.iter().enumerate() {
            let listed = found.findings.iter().any(|f| f.concept == kb.concepts[c].name);
            let person_level = found.findings.iter().all(|f| f.concept != kb.concepts[c].name);
            if *v == Tri::True && person_level && !listed {
                // A status or consequence that holds must be reported, here or under a state.
                let is_reported_kind = kb.concepts[c].kinds.iter().any(|k| matches!(k, ConceptKind::Status | ConceptKind::Consequence));
                let in_states = found.states.iter().any(|s| s.findings.iter().any(|f| f.concept == kb.concepts[c].name));
                prop_assert!(!is_reported_kind || in_states, "{} holds but is not reported\n{}", kb.concepts[c].name, yaml);
            }
        }
    }
}

/// `yes` and `no` are read as booleans only where a boolean is taken: Norway's code `NO` is a
/// country, in YAML plain or quoted and in JSON alike.
#[test]
fn yes_and_no_are_booleans_only_where_one_is_taken() {
    let yaml = "schema: delimit.case/2\npersons:\n  - id: p\n    citizenships: [NO]\n    stateless: No\n    facts:\n      asylum_sought: YES\n      transaction_concerning_person: {sale: yes, pledge: No, purchase: unknown}\nevents:\n  - id: x\n    kind: border_crossing\n    persons: [p]\n    from: 'NO'\n    to: RU\n    at_checkpoint: yes\n    lawful: no\n";
    let json = r#"{"schema": "delimit.case/2", "persons": [{"id": "p", "citizenships": ["NO"], "stateless": "No", "facts": {"asylum_sought": "YES", "transaction_concerning_person": {"sale": "yes", "pledge": "No", "purchase": "unknown"}}}], "events": [{"id": "x", "kind": "border_crossing", "persons": ["p"], "from": "NO", "to": "RU", "at_checkpoint": "yes", "lawful": "no"}]}"#;
    for text in [yaml, json] {
        let (case, warnings) = read(text).unwrap_or_else(|e| panic!("{e:?}\n{text}"));
        assert!(warnings.is_empty(), "{warnings:?}");
        let person = &case.persons[0];
        assert_eq!(person.citizenships, Answer::Known(vec!["NO".to_owned()]));
        assert_eq!(person.stateless, Answer::Known(false));
        let crossing = &case.events[0];
        assert_eq!(crossing.from.as_deref(), Some("NO"));
        assert_eq!(crossing.at_checkpoint, Answer::Known(true));
        assert_eq!(crossing.lawful, Answer::Known(false));
        let kb = kb();
        let j = journey(&case, "p");
        let stage = j.stages.iter().flatten().max().copied().expect("a stage");
        let d = derive(kb, &case, person, &j, Some("RU"), stage, None);
        assert!(d.problems.is_empty(), "{:?}", d.problems);
        let facts = d;
        let fact = |name: &str| kb.facts.iter().position(|f| f.name == name).unwrap();
        assert_eq!(
            facts.facts.get(fact("asylum_sought")),
            Some(delimit_engine::FactValue::Bool(true))
        );
        assert_eq!(
            facts.facts.get(fact("transaction_concerning_person")),
            Some(delimit_engine::FactValue::Set {
                known: 0b1001,
                value: 0b0001
            })
        );
    }
    // A word that is neither is still refused where a boolean is taken.
    let wrong = read(&format!("{HEAD}    stateless: maybe\n")).unwrap_err();
    assert!(wrong.iter().any(|e| e.contains("stateless")), "{wrong:?}");
}
