//! The runner itself: a wrong expectation fails, with a message that says what and where.

use delimit_law::{LawFile, compile};

const LAW: &str = r#"
```instrument
id: t
title: Test
jurisdiction: none
kind: test
status: verified
source: test
```

```provision
id: t/1
article: 1
label: one
status: verified
source: test
text: absent
```

```delimit
fact a: yes/no
  question en "A?"
fact b: yes/no
  question en "B?"
concept c
  label en "C"
rule r: c = a and b
  cites t/1
  from 2000-01-01
```
"#;

fn kb() -> delimit_law::KnowledgeBase {
    let c = compile(&[LawFile {
        name: "t.md".into(),
        text: LAW.into(),
    }]);
    c.kb.expect("test law checks")
}

fn run(yaml: &str) -> delimit_scenario::Report {
    delimit_scenario::run(&[("s.yaml".to_string(), yaml.to_string())], &kb())
}

#[test]
fn matching_expectations_pass() {
    let r = run(
        "scenario: ok\nas_of: 2020-01-01\nfacts: {a: yes}\nexpect:\n  c: {value: undetermined, deciding: [b]}\n",
    );
    assert!(r.ok(), "{:?}", r.outcomes);
    assert_eq!(r.summary(), "scenarios: 1 passed, 0 failed");
}

#[test]
fn a_wrong_value_fails_and_says_where() {
    let r = run("scenario: bad\nas_of: 2020-01-01\nfacts: {a: no}\nexpect:\n  c: yes\n");
    assert!(!r.ok());
    assert_eq!(
        r.outcomes[0].failures,
        vec!["line 5: `c` is no, expected yes".to_string()]
    );
}

#[test]
fn wrong_deciding_facts_fail() {
    let r = run(
        "scenario: bad\nas_of: 2020-01-01\nfacts: {}\nexpect:\n  c: {value: undetermined, deciding: [a]}\n",
    );
    assert_eq!(r.failed(), 1);
    assert!(r.outcomes[0].failures[0].contains("deciding facts of `c` are [a, b], expected [a]"));
}

#[test]
fn scenario_files_with_mistakes_are_reported_with_locations() {
    let r = run("scenario: x\nfacts: {z: yes}\nexpect:\n  q: yes\n");
    let codes: Vec<&str> = r.diagnostics.iter().map(|d| d.code).collect();
    assert!(codes.contains(&"F007"), "{codes:?}"); // unknown fact
    assert!(codes.contains(&"S005"), "{codes:?}"); // unknown concept
    assert!(codes.contains(&"S002"), "{codes:?}"); // no as_of
    assert!(!r.ok());
}
