//! The checker, on whole files: every problem is reported at once, each at its place,
//! with the words a lawyer will read.

use delimit_law::{LawFile, Severity, compile, load::read_dir};
use std::path::Path;

fn errors_of(files: &[LawFile]) -> Vec<(String, String, String)> {
    let c = compile(files);
    c.diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| {
            (
                d.code.to_string(),
                d.location(&c.sources),
                d.message.clone(),
            )
        })
        .collect()
}

#[test]
fn the_broken_fixture_reports_every_error_with_its_location() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/broken");
    let files = read_dir(&dir).expect("fixture readable");
    let compiled = compile(&files);
    assert!(compiled.kb.is_none());
    let got = errors_of(&files);
    let expected = [
        ("M002", "instrument.md:22:1", "unknown key `colour`"),
        ("N003", "instrument.md:54:28", "unknown name `adlt`"),
        (
            "T003",
            "instrument.md:58:29",
            "each operand of `and`/`or` must be yes or no, but this is a number",
        ),
        (
            "C003",
            "instrument.md:62:1",
            "rule `uncited` has no citation",
        ),
        (
            "C002",
            "instrument.md:66:9",
            "citation of a missing provision `broken/art-9`",
        ),
        (
            "V001",
            "instrument.md:69:1",
            "rule `undated` has no date from which it applies",
        ),
        (
            "Y001",
            "instrument.md:76:1",
            "cycle: cycle_a → cycle_b → cycle_a",
        ),
        (
            "V005",
            "instrument.md:85:1",
            "versions of rule `versioned` overlap in time",
        ),
        (
            "X001",
            "instrument.md:94:1",
            "conflicting exceptions for `protected`: `if-adult` and `if-means`",
        ),
        (
            "P002",
            "instrument.md:99:43",
            "expected a value, a name or `(`, found `and`",
        ),
        ("D001", "second.md:4:6", "duplicate name `adult`"),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(got, expected);
    // The rendering shows the source line and a caret under the fault.
    let text = delimit_law::render(&compiled.sources, &compiled.diagnostics, false);
    assert!(text.contains("rule misspelt: protected = adlt and consent\n   │                            ^^^^ no fact or concept has this name"), "{text}");
    assert!(text.contains("did you mean `adult`?"));
}

const HEAD: &str = "```instrument\nid: i\ntitle: I\njurisdiction: none\nkind: test\nstatus: verified\nsource: s\n```\n\n```provision\nid: i/1\narticle: 1\nlabel: one\nstatus: verified\nsource: s\ntext: absent\n```\n\n";

fn one(rules: &str) -> Vec<(String, String, String)> {
    let text = format!(
        "{HEAD}```delimit\nfact a: yes/no\n  question en \"A?\" ru \"A?\" tg \"A?\"\nfact k: one of {{x, y}}\n  question en \"K?\"\nconcept c\n  label en \"C\"\n{rules}```\n"
    );
    errors_of(&[LawFile {
        name: "t.md".into(),
        text,
    }])
}

fn codes(errors: &[(String, String, String)]) -> Vec<&str> {
    errors.iter().map(|e| e.0.as_str()).collect()
}

#[test]
fn a_well_formed_file_checks() {
    assert!(one("rule r: c = a\n  cites i/1\n  from 2000-01-01\n").is_empty());
}

#[test]
fn exceptions_must_depart_from_a_known_rule_of_the_same_concept() {
    let e = one(
        "rule r: c = a\n  cites i/1\n  from 2000-01-01\nexception e to q: c = no\n  when a\n  cites i/1\n  from 2000-01-01\n",
    );
    assert_eq!(codes(&e), ["N004"]);
    assert!(e[0].2.contains("unknown rule `q`"));
}

#[test]
fn priority_is_only_over_siblings() {
    let e = one(
        "rule r: c = a\n  cites i/1\n  from 2000-01-01\nexception e to r: c = no\n  when a\n  over r\n  cites i/1\n  from 2000-01-01\n",
    );
    assert_eq!(codes(&e), ["N006"]);
}

#[test]
fn exceptions_whose_conditions_exclude_each_other_do_not_conflict() {
    let rules = "rule r: c = a\n  cites i/1\n  from 2000-01-01\nexception e1 to r: c = yes\n  when k is x\n  cites i/1\n  from 2000-01-01\nexception e2 to r: c = no\n  when k is y\n  cites i/1\n  from 2000-01-01\n";
    assert!(one(rules).is_empty(), "{:?}", one(rules));
    let overlapping = rules.replace("when k is y", "when a");
    assert_eq!(codes(&one(&overlapping)), ["X001"]);
    let prioritised = overlapping.replace("  when a\n", "  when a\n  over e1\n");
    assert!(one(&prioritised).is_empty());
}

#[test]
fn dates_are_checked() {
    assert_eq!(
        codes(&one(
            "rule r: c = a\n  cites i/1\n  from 2010-01-01\n  until 2009-12-31\n"
        )),
        ["V002"]
    );
    assert_eq!(
        codes(&one("rule r: c = a\n  cites i/1\n  from 2010-02-30\n")),
        ["P006"]
    );
}

#[test]
fn doctrines_must_exist_and_cite() {
    assert_eq!(
        codes(&one(
            "rule r: c = a\n  cites i/1\n  from 2000-01-01\n  under nowhere\n"
        )),
        ["N002"]
    );
    assert_eq!(
        codes(&one(
            "doctrine d\n  label en \"D\"\nrule r: c = a\n  cites i/1\n  from 2000-01-01\n"
        )),
        ["C001"]
    );
}

#[test]
fn options_and_types_are_checked() {
    assert_eq!(
        codes(&one("rule r: c = k is z\n  cites i/1\n  from 2000-01-01\n")),
        ["T005"]
    );
    assert_eq!(
        codes(&one(
            "rule r: c = a has x\n  cites i/1\n  from 2000-01-01\n"
        )),
        ["T009"]
    );
    assert_eq!(
        codes(&one("rule r: c = k < 3\n  cites i/1\n  from 2000-01-01\n")),
        ["T008"]
    );
}

#[test]
fn a_concept_nobody_decides_is_an_error() {
    assert_eq!(codes(&one("")), ["U002"]);
}

#[test]
fn a_provision_needs_its_text_or_says_it_is_absent() {
    let text = "```instrument\nid: i\ntitle: I\njurisdiction: none\nkind: test\nstatus: verified\nsource: s\n```\n\n```provision\nid: i/1\narticle: 1\nlabel: one\nstatus: guessed\nsource: s\n```\n";
    let e = errors_of(&[LawFile {
        name: "t.md".into(),
        text: text.into(),
    }]);
    assert_eq!(codes(&e), ["M011", "M006"]);
}

#[test]
fn the_hash_identifies_the_law() {
    let a = LawFile {
        name: "a.md".into(),
        text: HEAD.to_string(),
    };
    let b = LawFile {
        name: "a.md".into(),
        text: format!("{HEAD}\nmore prose\n"),
    };
    let h = |f: &LawFile| compile(std::slice::from_ref(f)).kb.expect("checks").hash;
    assert_eq!(h(&a), h(&a.clone()));
    assert_ne!(h(&a), h(&b));
    assert_eq!(h(&a).len(), 64);
}

#[test]
fn journey_readings_are_checked() {
    let ok = one(
        "fact t: yes/no\n  question en \"T?\"\n  journey crossed-border TJ\nrule r: c = a and t\n  cites i/1\n  from 2000-01-01\n",
    );
    assert!(ok.is_empty(), "{ok:?}");
    assert_eq!(
        codes(&one(
            "fact t: yes/no\n  question en \"T?\"\n  journey teleported TJ\nrule r: c = a and t\n  cites i/1\n  from 2000-01-01\n"
        )),
        ["T012"]
    );
    assert_eq!(
        codes(&one(
            "fact t: yes/no\n  question en \"T?\"\n  journey crossed-border Tajikistan\nrule r: c = a and t\n  cites i/1\n  from 2000-01-01\n"
        )),
        ["T014"]
    );
}

fn diagnostics_of(text: String) -> (delimit_law::Compiled, Vec<(String, Severity, String)>) {
    let c = compile(&[LawFile {
        name: "t.md".into(),
        text,
    }]);
    let found = c
        .diagnostics
        .iter()
        .map(|d| (d.code.to_string(), d.severity, d.message.clone()))
        .collect();
    (c, found)
}

const RULES: &str = "```delimit\nfact a: yes/no\n  question en \"A?\" ru \"A?\" tg \"A?\"\nconcept c\n  label en \"C\" ru \"C\" tg \"C\"\nrule r: c = a and undetermined\n  cites i/1\n  from 2000-01-01\n```\n";

fn with_status(status: &str) -> String {
    HEAD.replace(
        "label: one\nstatus: verified",
        &format!("label: one\nstatus: {status}"),
    ) + RULES
}

#[test]
fn a_rule_resting_only_on_recalled_or_unverified_text_is_warned_of() {
    for status in ["recalled", "unverified"] {
        let (c, found) = diagnostics_of(with_status(status));
        assert!(c.kb.is_some(), "{found:?}");
        let warned: Vec<_> = found.iter().filter(|d| d.0 == "S001").collect();
        assert_eq!(warned.len(), 1, "{status}: {found:?}");
        assert_eq!(warned[0].1, Severity::Warning);
        assert!(
            warned[0]
                .2
                .contains(&format!("rests only on {status} text")),
            "{warned:?}"
        );
    }
    for status in ["verified", "secondary", "seed"] {
        let (_, found) = diagnostics_of(with_status(status));
        assert!(!found.iter().any(|d| d.0 == "S001"), "{status}: {found:?}");
    }
}

#[test]
fn the_undetermined_constant_is_a_yes_no_value() {
    let (c, found) = diagnostics_of(with_status("verified"));
    assert!(c.kb.is_some(), "{found:?}");
    assert!(found.iter().all(|d| d.0 == "D004"), "{found:?}");
    let wrong = format!(
        "{HEAD}```delimit\nfact n: number\n  question en \"N?\" ru \"N?\" tg \"N?\"\nconcept c\n  label en \"C\" ru \"C\" tg \"C\"\nrule r: c = n > undetermined\n  cites i/1\n  from 2000-01-01\n```\n"
    );
    let (c, found) = diagnostics_of(wrong);
    assert!(c.kb.is_none());
    assert!(found.iter().any(|d| d.0.starts_with('T')), "{found:?}");
}

#[test]
fn a_quotation_in_another_language_names_it_and_gives_a_rendering() {
    let quoted =
        |keys: &str| HEAD.replace("text: absent\n", keys) + "> Nada de lo dispuesto.\n\n" + RULES;
    let (c, found) = diagnostics_of(quoted("language: es\ntranslation: Nothing in it.\n"));
    assert!(c.kb.is_some(), "{found:?}");
    let kb = c.kb.unwrap();
    let p = &kb.provisions[0];
    assert_eq!(
        (p.language.as_str(), p.translation.as_deref()),
        ("es", Some("Nothing in it."))
    );
    let (_, found) = diagnostics_of(quoted("language: es\n"));
    assert!(
        found
            .iter()
            .any(|d| d.0 == "M014" && d.1 == Severity::Warning),
        "{found:?}"
    );
    let (_, found) = diagnostics_of(quoted("language: Spanish\ntranslation: x\n"));
    assert!(
        found
            .iter()
            .any(|d| d.0 == "M015" && d.1 == Severity::Error),
        "{found:?}"
    );
}

#[test]
fn the_verification_report_counts_provisions_and_takes_the_weakest_status() {
    let text = format!(
        "{}```provision\nid: i/2\narticle: 2\nlabel: two\nstatus: recalled\nsource: s\ntext: absent\n```\n\n{RULES}",
        HEAD
    );
    let (c, found) = diagnostics_of(text);
    let kb = c.kb.expect("compiles");
    assert!(found.iter().all(|d| d.1 == Severity::Warning), "{found:?}");
    let report = delimit_law::verification::report(&kb);
    let i = &report.instruments[0];
    assert_eq!(i.instrument.status, delimit_law::Status::Verified);
    assert_eq!(i.status, delimit_law::Status::Recalled);
    assert_eq!(i.provisions.describe(), "1 verified, 1 recalled");
    assert_eq!(i.provisions.verified_percent(), 50);
    assert_eq!(
        report.rules_by_basis[0].len(),
        1,
        "rule r cites i/1, verified"
    );
}
