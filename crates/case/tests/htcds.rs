//! Exchange with HTCDS 2.0 and CTDC: what maps comes back unchanged, what HTCDS toolkits write
//! is read, every unreadable value is named by row and column, and no input makes it panic.

use delimit_case::htcds::*;
use delimit_case::timeline::*;
use delimit_law::{KnowledgeBase, Sources};
use jiff::civil::{Date, date};
use proptest::prelude::*;
use std::path::Path;
use std::sync::OnceLock;

fn kb() -> &'static KnowledgeBase {
    static KB: OnceLock<KnowledgeBase> = OnceLock::new();
    KB.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../law");
        let c = delimit_law::compile(&delimit_law::load::read_dir(&dir).expect("law folder"));
        c.kb.expect("the bundled law checks")
    })
}

fn brick_kiln() -> TimelineCase {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/brick-kiln-journey.yaml");
    let text = std::fs::read_to_string(&path).expect("example");
    match delimit_case::read_any(&mut Sources::new(), "brick-kiln-journey.yaml", &text, kb()) {
        Ok(delimit_case::AnyCase::Timeline(case, _)) => case,
        Ok(_) => panic!("the example is a timeline"),
        Err(d) => panic!("the example reads: {d:?}"),
    }
}

fn round_trip(case: &TimelineCase) -> (Vec<TimelineCase>, Vec<String>) {
    let csv = to_htcds(case).expect("exportable");
    from_htcds(&csv).unwrap_or_else(|e| panic!("{e}\n{csv}"))
}

/// The cell of `column` in data row `n` (0-based) of an exported CSV.
fn cell(csv: &str, n: usize, column: &str) -> String {
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let i = r
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == column)
        .expect(column);
    r.records()
        .nth(n)
        .expect("row")
        .unwrap()
        .get(i)
        .unwrap()
        .to_string()
}

fn event(id: &str, kind: EventKind, person: &str) -> Event {
    let mut e: Event =
        serde_json::from_value(serde_json::json!({ "id": id, "kind": kind })).unwrap();
    e.persons = vec![person.to_string()];
    e
}

fn person(id: &str) -> Person {
    serde_json::from_value(serde_json::json!({ "id": id })).unwrap()
}

fn case(
    id: Option<&str>,
    persons: Vec<Person>,
    actors: Vec<Actor>,
    events: Vec<Event>,
) -> TimelineCase {
    TimelineCase {
        schema: CASE_SCHEMA.into(),
        id: id.map(String::from),
        title: None,
        as_of: None,
        doctrines: vec![],
        persons,
        actors,
        events,
        note: None,
    }
}

fn actor(id: &str, roles: Vec<Role>) -> Actor {
    Actor {
        id: id.into(),
        kind: ActorKind::Natural,
        roles,
        relations: vec![],
    }
}

#[test]
fn the_brick_kiln_journey_comes_back_as_far_as_htcds_carries_it() {
    let case = brick_kiln();
    let csv = to_htcds(&case).unwrap();
    let header = csv.lines().next().unwrap();
    for name in [
        "prs_Gender",
        "prs_Birthdate",
        "prs_Citizenship",
        "vic_TraffickingStatus",
        "vic_MethodsOfControl",
        "vic_TypeOfExploitation",
        "per_RoleInProcess",
        "hte_Date",
        "hte_Type",
        "hte_Country",
        "hte_State",
    ] {
        assert!(header.split(',').any(|h| h == name), "{name} in {header}");
    }
    assert_eq!(cell(&csv, 0, "dlm_PersonId"), "worker");
    assert_eq!(cell(&csv, 0, "prs_Gender"), "Masculine");
    assert_eq!(cell(&csv, 0, "prs_Birthdate"), "1996-02-11");
    assert_eq!(cell(&csv, 0, "prs_Citizenship"), "TJ");
    assert_eq!(cell(&csv, 0, "vic_TraffickingStatus"), "", "never inferred");
    assert_eq!(
        cell(&csv, 0, "vic_MethodsOfControl"),
        "WithholdsDocuments; DebtBondage"
    );
    assert_eq!(cell(&csv, 0, "vic_TypeOfExploitation"), "ForcedLabour");
    assert_eq!(
        cell(&csv, 0, "hte_Type"),
        "; Transit; Transit; Transit; ; ; ; ; ; Exploitation"
    );
    assert_eq!(
        cell(&csv, 0, "hte_State"),
        "; ; ; ; Moscow Oblast; ; ; ; ; "
    );
    assert_eq!(cell(&csv, 1, "dlm_ActorId"), "driver");
    assert_eq!(cell(&csv, 1, "per_RoleInProcess"), "Smuggler; Transporter");
    assert_eq!(
        cell(&csv, 2, "per_RoleInProcess"),
        "ReceivedIndividual; Exploiter"
    );

    let (back, warnings) = round_trip(&case);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(back, htcds_projection(&case));
    let c = &back[0];
    assert_eq!(c.persons[0], {
        let mut p = person("worker");
        p.citizenships = Answer::Known(vec!["TJ".into()]);
        p.birth = Answer::Known(Birth::Date(date(1996, 2, 11)));
        p.gender = Answer::Known(Gender::Masculine);
        p
    });
    assert_eq!(c.events.len(), case.events.len());
    let kiln = c.events.iter().find(|e| e.id == "kiln").unwrap();
    assert_eq!(kiln.kind, EventKind::Harbouring);
    assert_eq!(
        kiln.date,
        When::Range {
            from: date(2024, 3, 3),
            to: date(2024, 6, 1)
        }
    );

    // What does not map is said, not silently dropped.
    let losses = htcds_losses(&case).join("\n");
    for lost in [
        "event `fee`: payer/payee, payment_purpose, amount_usd",
        "at_checkpoint, documents",
        "lawful",
        "person `worker`: stateless",
    ] {
        assert!(losses.contains(lost), "{lost} in\n{losses}");
    }
}

/// One case per value of every mapped field, in the form HTCDS carries, plus unknowns.
fn hand_built() -> Vec<TimelineCase> {
    let mut cases = Vec::new();
    let genders = [
        Answer::Known(Gender::Feminine),
        Answer::Known(Gender::Masculine),
        Answer::Known(Gender::TransgenderFeminine),
        Answer::Known(Gender::TransgenderMasculine),
        Answer::Known(Gender::NonConforming),
        Answer::Known(Gender::NonSpecifiedUnknown),
        Answer::Unknown,
        Answer::Refused,
    ];
    let controls = vec![
        Control::PhysicalThreats,
        Control::ThreatsLawEnforcement,
        Control::ThreatensChildrenFamily,
        Control::DebtBondage,
        Control::FalsePromises,
        Control::PhysicalAbuse,
        Control::SexualAbuse,
        Control::TakesEarnings,
        Control::RestrictsFinancialAccess,
        Control::RestrictsMedicalCare,
        Control::WithholdsNecessities,
        Control::PsychologicalAbuse,
        Control::PsychoactiveSubstance,
        Control::ExcessiveWorkingHours,
        Control::WithholdsDocuments,
        Control::Other,
    ];
    let exploitations = vec![
        Exploitation::ForcedLabour,
        Exploitation::SexualExploitation,
        Exploitation::ChildLabour,
        Exploitation::ForcedMarriage,
        Exploitation::Servitude,
        Exploitation::ForcedMilitaryByNonStateActors,
        Exploitation::OrganRemoval,
        Exploitation::ForcedBegging,
        Exploitation::ForcedAdoption,
        Exploitation::Surrogacy,
        Exploitation::Other,
    ];
    let roles = vec![
        Role::TravellingPartner,
        Role::Transporter,
        Role::RecruiterOrIntermediary,
        Role::BrokerTravelAgent,
        Role::TransferredIndividual,
        Role::HarbouredIndividual,
        Role::SoldIndividual,
        Role::BoughtIndividual,
        Role::ReceivedIndividual,
        Role::ControlledIndividual,
        Role::Smuggler,
        Role::Abuser,
        Role::Kidnapper,
        Role::Exploiter,
        Role::Other,
    ];
    for (i, g) in genders.into_iter().enumerate() {
        let mut p = person("v");
        p.gender = g;
        p.birth = match i % 3 {
            0 => Answer::Known(Birth::Date(date(1990 + i as i16, 1 + i as i8, 2))),
            1 => Answer::Unknown,
            _ => Answer::Refused,
        };
        p.citizenships = match i % 3 {
            0 => Answer::Known(vec!["TJ".into(), "RU".into()]),
            1 => Answer::Refused,
            _ => Answer::Unknown,
        };
        let mut recruit = event("r", EventKind::Recruitment, "v");
        recruit.date = When::Exact(date(2023, 5, 1));
        recruit.place = Some(Place {
            country: "TJ".into(),
            region: Some("Khatlon, south".into()),
        });
        let mut cross = event("x", EventKind::BorderCrossing, "v");
        cross.place = Some(Place {
            country: "KZ".into(),
            region: None,
        });
        let mut control = event("c", EventKind::Control, "v");
        control.control = match i % 3 {
            0 => Answer::Known(controls.clone()),
            1 => Answer::Refused,
            _ => Answer::Unknown,
        };
        let mut exploit = event("w", EventKind::Exploitation, "v");
        exploit.date = When::Range {
            from: date(2023, 6, 1),
            to: date(2024, 1, 31),
        };
        exploit.place = Some(Place {
            country: "RU".into(),
            region: Some("Moscow".into()),
        });
        exploit.exploitation = match i % 4 {
            0 => Answer::Known(exploitations.clone()),
            1 => Answer::Refused,
            _ => Answer::Unknown,
        };
        let mut identified = event("id", EventKind::Identification, "v");
        identified.date = When::Exact(date(2024, 2, 1));
        let events = if i == 6 {
            vec![]
        } else {
            vec![recruit, cross, control, exploit, identified]
        };
        let actors = if i % 2 == 0 {
            vec![actor("a", roles.clone()), actor("b", vec![])]
        } else {
            vec![]
        };
        cases.push(case(
            if i == 7 { None } else { Some("case-1") },
            vec![p],
            actors,
            events,
        ));
    }
    cases
}

#[test]
fn every_mapped_field_comes_back_unchanged() {
    for c in hand_built() {
        assert_eq!(
            htcds_projection(&c),
            vec![c.clone()],
            "already in the form HTCDS carries"
        );
        let (back, warnings) = round_trip(&c);
        assert_eq!(back, vec![c.clone()]);
        assert!(warnings.is_empty(), "{warnings:?}");
    }
}

#[test]
fn refused_answers_are_empty_cells_listed_in_dlm_refused() {
    let c = &hand_built()[7];
    let csv = to_htcds(c).unwrap();
    assert_eq!(cell(&csv, 0, "prs_Gender"), "");
    assert_eq!(
        cell(&csv, 0, "dlm_Refused"),
        "prs_Gender; prs_Citizenship; vic_MethodsOfControl"
    );
    // A reader that knows only HTCDS sees missing values; delimit gets the refusals back.
    assert_eq!(
        from_htcds(&csv).unwrap().0[0].persons[0].gender,
        Answer::Refused
    );
}

#[test]
fn several_persons_come_back_as_one_case_each_with_the_case_actors() {
    let mut a = person("a");
    a.gender = Answer::Known(Gender::Feminine);
    let b = person("b");
    let mut shared = event("trip", EventKind::Transportation, "a");
    shared.persons.push("b".into());
    shared.actors = vec!["driver".into()];
    let c = case(
        Some("two"),
        vec![a, b],
        vec![actor("driver", vec![Role::Transporter, Role::Employer])],
        vec![shared],
    );
    let (back, _) = round_trip(&c);
    assert_eq!(back, htcds_projection(&c));
    assert_eq!(back.len(), 2);
    assert_eq!(back[1].persons[0].id, "b");
    assert_eq!(back[1].events[0].persons, vec!["b".to_string()]);
    assert_eq!(
        back[1].actors[0].roles,
        vec![Role::Transporter],
        "Employer has no HTCDS value"
    );
    assert!(htcds_losses(&c).iter().any(|l| l.contains("Employer")));
}

#[test]
fn identifiers_that_would_not_read_back_are_refused() {
    let mut c = hand_built().remove(0);
    c.events[0].id = "a;b".into();
    let e = to_htcds(&c).unwrap_err();
    assert!(matches!(e, ExchangeError::Unexportable(_)));
    assert!(e.to_string().contains("a;b"), "{e}");
    let mut c = hand_built().remove(0);
    c.persons[0].citizenships = Answer::Known(vec!["XX".into()]);
    assert!(to_htcds(&c).unwrap_err().to_string().contains("XX"));
}

#[test]
fn what_the_htcds_toolkits_write_is_read() {
    // Excel template order and spellings (the misspelt decision-making column, the name
    // columns, a blank first column), then its label row, then labels as values; an XLSForm
    // style row with space-separated value names; a perpetrator row without delimit columns.
    let csv = "\u{feff},prs_First_Name,prs_Gender,prs_Birthdate,prs_Citizenship,vic_TraffickingStatus,vic_TraffickinStatusDecisionMakingOrg,vic_Methods_of_Control,vic_TypeOfExploitation,vic_ForcedLabourIndustry,per_RoleInProcess,hte_Date,hte_Type,hte_Country\n\
        ,First Name,Gender,Birthdate,Citizenship,Trafficking Status,Trafficking Status Decision Making Organization,Methods of Control,Type of Exploitation,Forced Labour Industry,Role in Process,Date,Type,Country\n\
        1,Ana,Not Specified/Unknown,1999,Bolivia (Plurinational State of),Possible victim of trafficking,Court or prosecution,Debt bondage; Physical threats;Other,Forced labour,\"Water supply; sewerage, waste management and remediation; Construction\",,2020-01-05; 2020-02-01,Recruitment; Transit,BOL; Peru\n\
        2,Ben,masculine,36526,UZ,,,DebtBondage  WithholdsDocuments,ForcedMilitaryByNonStateActors,,,2021-03-04,exploitation,Russian Federation\n\
        ,,,,,,,,,,\n\
        3,,,,,,,,,,Smuggler; Broker Travel Agent,,,\n";
    let (cases, warnings) = from_htcds(csv).unwrap();
    assert_eq!(cases.len(), 2, "{cases:#?}");
    let (a, b) = (&cases[0], &cases[1]);
    assert_eq!(a.schema, CASE_SCHEMA);
    assert_eq!(a.persons[0].id, "person-row-3");
    assert_eq!(
        a.persons[0].gender,
        Answer::Known(Gender::NonSpecifiedUnknown)
    );
    assert_eq!(a.persons[0].birth, Answer::Known(Birth::Year(1999)));
    assert_eq!(a.persons[0].citizenships, Answer::Known(vec!["BO".into()]));
    let kinds: Vec<EventKind> = a.events.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [
            EventKind::Recruitment,
            EventKind::Transportation,
            EventKind::Control,
            EventKind::Exploitation
        ]
    );
    assert_eq!(a.events[1].place.as_ref().unwrap().country, "PE");
    assert_eq!(
        a.events[2].control,
        Answer::Known(vec![
            Control::DebtBondage,
            Control::PhysicalThreats,
            Control::Other
        ])
    );
    assert_eq!(a.events[3].id, "vic-exploitation");
    assert_eq!(
        a.events[3].exploitation,
        Answer::Known(vec![Exploitation::ForcedLabour])
    );
    assert_eq!(b.persons[0].gender, Answer::Known(Gender::Masculine));
    assert_eq!(
        b.persons[0].birth,
        Answer::Known(Birth::Date(date(2000, 1, 1))),
        "Excel serial 36526"
    );
    assert_eq!(b.events[0].kind, EventKind::Exploitation);
    assert_eq!(
        b.events[0].exploitation,
        Answer::Known(vec![Exploitation::ForcedMilitaryByNonStateActors])
    );
    assert_eq!(
        b.events[1].control,
        Answer::Known(vec![Control::DebtBondage, Control::WithholdsDocuments])
    );
    assert_eq!(b.events[0].place.as_ref().unwrap().country, "RU");

    let all = warnings.join("\n");
    for said in [
        "row 2: holds field labels",
        "column `prs_First_Name` (rows 3, 4): not imported: delimit keeps no names",
        "column `vic_TraffickingStatus` (rows 3): not imported: a status decided by an organisation",
        "column `vic_TraffickinStatusDecisionMakingOrg` (rows 3)",
        "row 3, column `vic_ForcedLabourIndustry`: ISIC section(s) E, F read",
        "row 4: `36526` read as an Excel serial day number",
        "row 6: actor `actor-row-6` belongs to no person's row",
    ] {
        assert!(all.contains(said), "`{said}` in\n{all}");
    }
}

#[test]
fn semicolon_delimited_files_are_read() {
    let csv = "dlm_PersonId;prs_Gender;vic_MethodsOfControl\np;Feminine;\"Debt bondage; Takes earnings\"\n";
    let (cases, _) = from_htcds(csv).unwrap();
    assert_eq!(cases[0].persons[0].gender, Answer::Known(Gender::Feminine));
    assert_eq!(
        cases[0].events[0].control,
        Answer::Known(vec![Control::DebtBondage, Control::TakesEarnings])
    );
}

#[test]
fn every_unreadable_value_is_named_by_row_and_column() {
    let csv = "dlm_PersonId,prs_Gender,prs_Birthdate,vic_MethodsOfControl,hte_Date,hte_Type,hte_Country\n\
        ok,Feminine,2000-01-01,,,,\n\
        bad,Female,01/02/2000,Beating,2020-01-01; 2020-02-01,Transit,XX; RU\n\
        worse,,,,2020-13-01,Transit,\n\
        uneven,,,,2020-01-01; 2020-02-01,Transit,\n";
    let ExchangeError::Invalid(errors) = from_htcds(csv).unwrap_err() else {
        panic!("values are invalid")
    };
    let found: Vec<(usize, &str)> = errors.iter().map(|e| (e.row, e.column.as_str())).collect();
    assert_eq!(
        found,
        [
            (3, "prs_Gender"),
            (3, "prs_Birthdate"),
            (3, "vic_MethodsOfControl"),
            (3, "hte_Type"),
            (4, "hte_Date"),
            (5, "hte_Type")
        ]
    );
    let text = ExchangeError::Invalid(errors.clone()).to_string();
    assert!(
        text.contains("row 3, column `prs_Gender`: `Female` is not one of: Feminine, Masculine"),
        "{text}"
    );
    assert!(
        text.contains("row 4, column `hte_Date`: event 1: `2020-13-01` is not a date"),
        "{text}"
    );
    assert!(
        text.contains(
            "row 5, column `hte_Type`: 1 entries where another event list of this row has 2"
        ),
        "{text}"
    );

    // Once the lists agree, the unknown country is reported.
    let csv = "dlm_PersonId,hte_Date,hte_Type,hte_Country\nx,2020-01-01,Transit,Atlantis\n";
    let e = from_htcds(csv).unwrap_err().to_string();
    assert!(
        e.contains("row 2, column `hte_Country`: event 1: `Atlantis` is not an ISO 3166-1"),
        "{e}"
    );
    let csv = "dlm_PersonId,hte_Type,dlm_EventKind\nx,Transit,recruitment\n";
    assert!(from_htcds(csv).unwrap_err().to_string().contains(
        "row 2, column `hte_Type`: event 1: `Transit` contradicts the event kind `recruitment`"
    ));
    let csv = "dlm_PersonId,dlm_Refused,prs_Gender\nx,prs_Gender,Feminine\n";
    assert!(
        from_htcds(csv)
            .unwrap_err()
            .to_string()
            .contains("row 2, column `dlm_Refused`")
    );
}

#[test]
fn unusable_headers_are_refused() {
    assert!(matches!(from_htcds(""), Err(ExchangeError::Header(_))));
    assert!(matches!(
        from_htcds("name,age\nx,3\n"),
        Err(ExchangeError::Header(_))
    ));
    let e = from_htcds("prs_Gender,PRS_GENDER\nFeminine,Feminine\n").unwrap_err();
    assert!(e.to_string().contains("both give `prs_Gender`"), "{e}");
}

#[test]
fn ctdc_columns_are_the_2024_release() {
    let cols = ctdc_columns();
    assert_eq!(cols.len(), 27);
    assert_eq!(cols[0], "yearOfRegistration");
    assert!(cols.contains(&"meansWithholdDocs"));
    assert!(
        !cols
            .iter()
            .any(|c| c.starts_with("meansOfControl") || *c == "majorityStatus")
    );
}

#[test]
fn a_ctdc_row_holds_what_the_timeline_settles() {
    let mut c = brick_kiln();
    let row = |c: &TimelineCase| -> Vec<(&'static str, String)> {
        ctdc_columns()
            .iter()
            .copied()
            .zip(to_ctdc_row(c, "worker").unwrap())
            .filter(|(_, v)| !v.is_empty())
            .collect()
    };
    let one = |s: &'static str| (s, "1".to_string());
    let expected = vec![
        ("gender", "Man".to_string()),
        ("citizenship", "TJK".to_string()),
        ("CountryOfExploitation", "RUS".to_string()),
        one("meansDebtBondageEarnings"),
        one("meansWithholdDocs"),
        one("isForcedLabour"),
    ];
    assert_eq!(
        row(&c),
        expected,
        "no identification: no year of registration, no age"
    );
    let mut found = event("found", EventKind::Identification, "worker");
    found.date = When::Range {
        from: date(2024, 6, 1),
        to: date(2024, 6, 30),
    };
    c.events.push(found);
    let r = row(&c);
    assert!(r.contains(&("yearOfRegistration", "2024".into())), "{r:?}");
    assert!(r.contains(&("ageBroad", "27--29".into())), "{r:?}");
    // An age that straddles two bands is not guessed.
    c.persons[0].birth = Answer::Known(Birth::Year(1997));
    c.events.last_mut().unwrap().date = When::Exact(date(2024, 6, 1));
    assert!(!row(&c).iter().any(|(k, _)| *k == "ageBroad"), "26 or 27");
    assert!(to_ctdc_row(&c, "nobody").is_err());
    let csv = to_ctdc(&[c]).unwrap();
    assert!(
        csv.starts_with("yearOfRegistration,gender,ageBroad,citizenship,CountryOfExploitation")
    );
    assert_eq!(csv.lines().count(), 2);
}

#[test]
fn ctdc_age_bands_are_the_codebook_spellings() {
    let bands: Vec<&str> = [
        0, 8, 9, 17, 18, 20, 21, 23, 24, 26, 27, 29, 30, 38, 39, 47, 48, 90,
    ]
    .iter()
    .map(|a| ctdc_age_band(*a))
    .collect();
    assert_eq!(
        bands,
        [
            "0--8", "0--8", "09--17", "09--17", "18--20", "18--20", "21--23", "21--23", "24--26",
            "24--26", "27--29", "27--29", "30--38", "30--38", "39--47", "39--47", "48+", "48+"
        ]
    );
}

// ---------------------------------------------------------------------------------------
// Properties

const KINDS: [EventKind; 16] = [
    EventKind::Recruitment,
    EventKind::Transportation,
    EventKind::Transfer,
    EventKind::Harbouring,
    EventKind::Receipt,
    EventKind::BorderCrossing,
    EventKind::Entry,
    EventKind::Stay,
    EventKind::Work,
    EventKind::Exploitation,
    EventKind::Control,
    EventKind::Payment,
    EventKind::Debt,
    EventKind::Exit,
    EventKind::EscapeOrRescue,
    EventKind::Identification,
];
const COUNTRIES: [&str; 6] = ["TJ", "KZ", "RU", "UZ", "BO", "DE"];
const REGIONS: [&str; 3] = ["Moscow Oblast", "Sughd, north", "Région \"Ouest\""];

fn any_date() -> impl Strategy<Value = Date> {
    (1900i16..2100, 1i8..=12, 1i8..=28).prop_map(|(y, m, d)| date(y, m, d))
}

fn any_when() -> impl Strategy<Value = When> {
    prop_oneof![
        Just(When::Unknown),
        any_date().prop_map(When::Exact),
        (any_date(), any_date()).prop_map(|(from, to)| When::Range { from, to }),
    ]
}

fn answer<T: std::fmt::Debug + Clone + 'static>(
    known: impl Strategy<Value = T> + 'static,
) -> impl Strategy<Value = Answer<T>> {
    prop_oneof![
        Just(Answer::Unknown),
        Just(Answer::Refused),
        known.prop_map(Answer::Known)
    ]
}

fn subset<T: Clone + std::fmt::Debug + 'static>(all: Vec<T>) -> impl Strategy<Value = Vec<T>> {
    proptest::sample::subsequence(all.clone(), 1..=all.len()).prop_shuffle()
}

fn any_place() -> impl Strategy<Value = Option<Place>> {
    proptest::option::of(
        (
            proptest::sample::select(COUNTRIES.to_vec()),
            proptest::option::of(proptest::sample::select(REGIONS.to_vec())),
        )
            .prop_map(|(c, r)| Place {
                country: c.to_string(),
                region: r.map(String::from),
            }),
    )
}

/// A one-person case in the form HTCDS carries: every mapped field, drawn at random.
fn mapped_case() -> impl Strategy<Value = TimelineCase> {
    let controls = vec![
        Control::PhysicalThreats,
        Control::DebtBondage,
        Control::FalsePromises,
        Control::PsychoactiveSubstance,
        Control::WithholdsDocuments,
        Control::Other,
    ];
    let exploitations = vec![
        Exploitation::ForcedLabour,
        Exploitation::SexualExploitation,
        Exploitation::ForcedMilitaryByNonStateActors,
        Exploitation::Surrogacy,
        Exploitation::Other,
    ];
    let roles = vec![
        Role::TravellingPartner,
        Role::RecruiterOrIntermediary,
        Role::BrokerTravelAgent,
        Role::Smuggler,
        Role::Exploiter,
        Role::Other,
    ];
    let genders = vec![
        Gender::Feminine,
        Gender::Masculine,
        Gender::TransgenderFeminine,
        Gender::TransgenderMasculine,
        Gender::NonConforming,
        Gender::NonSpecifiedUnknown,
    ];
    (
        proptest::option::of("[a-z][a-z0-9 ,.-]{0,10}[a-z0-9]"),
        answer(proptest::sample::select(genders)),
        answer(any_date().prop_map(Birth::Date)),
        answer(subset(COUNTRIES.iter().map(|c| c.to_string()).collect())),
        proptest::collection::vec(
            (
                proptest::sample::select(KINDS.to_vec()),
                any_when(),
                any_place(),
            ),
            0..7,
        ),
        answer(subset(controls)),
        answer(subset(exploitations)),
        proptest::collection::vec(
            proptest::collection::vec(proptest::sample::select(roles), 0..4),
            0..3,
        ),
    )
        .prop_map(
            |(id, gender, birth, citizenships, events, control, exploitation, actors)| {
                let mut p = person("p");
                p.gender = gender;
                p.birth = birth;
                p.citizenships = citizenships;
                let mut events: Vec<Event> = events
                    .into_iter()
                    .enumerate()
                    .map(|(i, (kind, date, place))| {
                        let mut e = event(&format!("e{i}"), kind, "p");
                        e.date = date;
                        e.place = place;
                        e
                    })
                    .collect();
                // HTCDS records these per person: on the first event of their kind.
                for (kind, base) in [
                    (EventKind::Control, "vic-control"),
                    (EventKind::Exploitation, "vic-exploitation"),
                ] {
                    let is_control = kind == EventKind::Control;
                    if (is_control && control == Answer::Unknown)
                        || (!is_control && exploitation == Answer::Unknown)
                    {
                        continue;
                    }
                    let i = match events.iter().position(|e| e.kind == kind) {
                        Some(i) => i,
                        None => {
                            events.push(event(base, kind, "p"));
                            events.len() - 1
                        }
                    };
                    if is_control {
                        events[i].control = control.clone();
                    } else {
                        events[i].exploitation = exploitation.clone();
                    }
                }
                let actors = actors
                    .into_iter()
                    .enumerate()
                    .map(|(i, mut roles)| {
                        let mut seen = Vec::new();
                        roles.retain(|r| {
                            !seen.contains(r) && {
                                seen.push(*r);
                                true
                            }
                        });
                        actor(&format!("a{i}"), roles)
                    })
                    .collect();
                case(id.as_deref(), vec![p], actors, events)
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn mapped_cases_come_back_unchanged(c in mapped_case()) {
        prop_assert_eq!(htcds_projection(&c), vec![c.clone()]);
        let csv = to_htcds(&c).unwrap();
        let (back, warnings) = from_htcds(&csv).unwrap();
        prop_assert_eq!(back, vec![c]);
        prop_assert!(warnings.is_empty(), "{:?}", warnings);
    }

    #[test]
    fn any_case_comes_back_as_its_projection(c in mapped_case(), extra in proptest::collection::vec(proptest::sample::select(KINDS.to_vec()), 0..4)) {
        // A second person sharing some events, and attributes HTCDS does not carry.
        let mut c = c;
        let mut q = person("q");
        q.stateless = Answer::Known(false);
        q.birth = Answer::Known(Birth::Year(1980));
        c.persons.push(q);
        for (i, kind) in extra.into_iter().enumerate() {
            let mut e = event(&format!("x{i}"), kind, "q");
            e.persons.push("p".into());
            e.lawful = Answer::Known(false);
            e.control = Answer::Known(vec![Control::TakesEarnings]);
            e.exploitation = Answer::Known(vec![Exploitation::Servitude]);
            c.events.push(e);
        }
        let (back, _) = from_htcds(&to_htcds(&c).unwrap()).unwrap();
        prop_assert_eq!(back, htcds_projection(&c));
    }

    #[test]
    fn no_text_makes_the_reader_panic(s in "\\PC*") {
        let _ = from_htcds(&s);
    }

    #[test]
    fn no_cells_make_the_reader_panic(cells in proptest::collection::vec(proptest::collection::vec("[a-zA-Z0-9 ;,/\"\n_-]{0,14}", 0..20), 0..5)) {
        let mut text = htcds_columns().join(",");
        for row in cells {
            text.push('\n');
            text.push_str(&row.join(","));
        }
        if let Err(ExchangeError::Invalid(errors)) = from_htcds(&text) {
            prop_assert!(errors.iter().all(|e| e.row >= 2 && !e.column.is_empty()));
        }
    }
}
