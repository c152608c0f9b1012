//! The command line as a user meets it: real processes, real files, exit codes and messages.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::{delimit, root, text};

/// Writes a case file in a fresh temporary folder and returns its path.
fn case_file(name: &str, contents: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("delimit-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("write case");
    path
}

#[test]
fn the_bundled_law_checks_clean() {
    let o = delimit(&["check"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("bundled law: 0 errors, "),
        "{}",
        text(&o.stdout)
    );
    // The only warnings are the rules resting on text nobody has read, and `law status`
    // names the same rules.
    let stderr = text(&o.stderr);
    let warned: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning"))
        .collect();
    assert!(
        warned.iter().all(|l| l.starts_with("warning[S001]")),
        "{stderr}"
    );
    let status = text(&delimit(&["law", "status"]).stdout);
    for line in &warned {
        let rule = line.split('`').nth(1).expect("a rule is named");
        assert!(status.contains(rule), "{rule} missing from:\n{status}");
    }
    let o = delimit(&["check", "law"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
}

#[test]
fn a_broken_law_folder_shows_every_error_with_its_place() {
    let o = delimit(&["check", "crates/law/tests/fixtures/broken"]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    for place in [
        "instrument.md:22:1",
        "instrument.md:54:28",
        "instrument.md:76:1",
        "instrument.md:94:1",
        "second.md:4:6",
    ] {
        assert!(err.contains(place), "{place} missing from:\n{err}");
    }
    assert!(err.contains("^^^^ no fact or concept has this name"));
    assert!(err.contains("11 errors"), "{err}");
}

#[test]
fn classify_prints_a_report_for_people() {
    let o = delimit(&["classify", "examples/brick-kiln.yaml"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.contains("Case brick-kiln"));
    assert!(out.contains("law in force on 2024-06-01"));
    assert!(
        out.contains("yes           Trafficking in persons (UN Protocol)"),
        "{out}"
    );
    assert!(out.contains("cites un-tip-protocol/art-3/a [verified]"));
    assert!(out.contains("Cautions on the sources"));
    assert!(!out.contains('\u{1b}'), "no colour codes when piped");
    // What holds comes first, before the detail: the statuses and offences by value, how many
    // are open and the question that decides most.
    let (short, detail) = out.split_once("\nStatuses\n").expect("a Statuses section");
    let short = short.split_once("In short\n").expect("In short first").1;
    assert!(
        short.contains("Trafficking in persons (UN Protocol)\n"),
        "{short}"
    );
    assert!(
        short.contains("Smuggling of migrants (UN Protocol)\n"),
        "{short}"
    );
    assert!(short.contains("no            Trade in minors"), "{short}");
    assert!(
        !short.contains("Irregular stay"),
        "an open status is counted, not listed: {short}"
    );
    let first_question = detail
        .split_once("Open questions, most decisive first\n")
        .expect("open questions")
        .1
        .lines()
        .next()
        .expect("a question")
        .trim_start_matches(|c: char| c == ' ' || c.is_ascii_digit() || c == '.')
        .split(" [")
        .next()
        .expect("the question");
    assert!(
        short.contains(&format!("the question that decides most: {first_question}")),
        "{short}\nfirst question: {first_question}"
    );
}

#[test]
fn classify_json_matches_the_published_schema() {
    let schema = delimit(&["schema"]);
    assert!(schema.status.success());
    let schema: serde_json::Value = serde_json::from_slice(&schema.stdout).expect("schema is JSON");
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler
        .add_resource("assessment.json", schema)
        .expect("schema loads");
    let index = compiler
        .compile("assessment.json", &mut schemas)
        .expect("schema compiles");
    for args in [
        vec!["classify", "examples/brick-kiln.yaml", "--format", "json"],
        vec![
            "classify",
            "examples/brick-kiln.yaml",
            "--format",
            "json",
            "--doctrine",
            "smuggling-ceases-on-exploitation",
            "--lang",
            "tg",
        ],
    ] {
        let o = delimit(&args);
        assert!(o.status.success(), "{}", text(&o.stderr));
        let value: serde_json::Value = serde_json::from_slice(&o.stdout).expect("output is JSON");
        if let Err(e) = schemas.validate(&value, index) {
            panic!("{args:?} does not match the schema: {e}");
        }
        assert_eq!(value["schema"], "delimit.assessment/1");
        assert_eq!(
            value["knowledge_base"]["hash"].as_str().map(str::len),
            Some(64)
        );
    }
    // The schema is not vacuous: a wrong value is refused.
    let mut bad: serde_json::Value = serde_json::from_slice(
        &delimit(&["classify", "examples/brick-kiln.yaml", "--format", "json"]).stdout,
    )
    .unwrap();
    bad["conclusions"][0]["value"] = "maybe".into();
    assert!(schemas.validate(&bad, index).is_err());
}

#[test]
fn a_doctrine_changes_the_answer_and_says_so() {
    let o = delimit(&[
        "classify",
        "examples/brick-kiln.yaml",
        "--doctrine",
        "smuggling-ceases-on-exploitation",
    ]);
    let out = text(&o.stdout);
    assert!(out.contains("doctrines: smuggling-ceases-on-exploitation"));
    assert!(
        out.contains("no            Smuggling of migrants (UN Protocol)"),
        "{out}"
    );
    assert!(out.contains("exception smuggling-ceases-on-exploitation"));
}

#[test]
fn explain_shows_the_tree_and_the_provisions() {
    let o = delimit(&[
        "explain",
        "examples/brick-kiln.yaml",
        "trafficking_in_persons",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(
        out.contains(
            "exception tip-child applies when victim_is_child: no  [un-tip-protocol/art-3/c]"
        ),
        "{out}"
    );
    assert!(out.contains("└─ rule tip-definition"));
    assert!(out.contains("un-tip-protocol/art-3/a (un-tip-protocol art. 3(a)) [verified]"));
}

#[test]
fn explain_suggests_a_concept_when_misspelt() {
    let o = delimit(&[
        "explain",
        "examples/brick-kiln.yaml",
        "trafficking_in_person",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("did you mean `trafficking_in_persons`"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn malformed_case_files_get_located_errors_and_no_panic() {
    let cases = [
        (
            "broken.yaml",
            "facts:\n  act: [recruitment\n",
            "broken.yaml:3:1",
            "not valid YAML or JSON",
        ),
        (
            "unknown.yaml",
            "facts:\n  consent_givn: yes\n",
            "unknown.yaml:2:3",
            "did you mean `consent_given`?",
        ),
        (
            "type.yaml",
            "facts:\n  crossed_border: maybe\n",
            "type.yaml:2:19",
            "wrong value for `crossed_border`: expected yes or no",
        ),
        (
            "option.yaml",
            "facts:\n  means: [trickery]\n",
            "option.yaml:2:10",
            "options: threat, force",
        ),
        (
            "date.yaml",
            "facts:\n  birth_date: 2024-02-30\n",
            "date.yaml:2:15",
            "expected a date (YYYY-MM-DD)",
        ),
        (
            "key.yaml",
            "fact:\n  act: []\n",
            "key.yaml:1:1",
            "did you mean `facts`?",
        ),
        (
            "concept.json",
            "{\"facts\": {\"trafficking_in_persons\": true}}",
            "concept.json:1:12",
            "this is a concept",
        ),
    ];
    for (name, contents, place, message) in cases {
        let path = case_file(name, contents);
        let o = delimit(&["classify", path.to_str().unwrap()]);
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{name}: {err}");
        assert!(err.contains(place), "{name}: expected {place} in\n{err}");
        assert!(
            err.contains(message),
            "{name}: expected {message:?} in\n{err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn unknown_doctrines_and_missing_files_are_refused_clearly() {
    let o = delimit(&[
        "classify",
        "examples/brick-kiln.yaml",
        "--doctrine",
        "smuggling-ceases",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("did you mean `smuggling-ceases-on-exploitation`?"),
        "{}",
        text(&o.stderr)
    );
    let o = delimit(&["classify", "no/such/case.yaml"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("cannot read case file no/such/case.yaml"));
    let o = delimit(&["check", "no/such/folder"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("is not a folder of law files"));
}

#[test]
fn the_order_in_which_facts_are_written_does_not_matter() {
    let a = case_file(
        "a.yaml",
        "as_of: 2024-06-01\nfacts:\n  act: [recruitment, harbouring]\n  means: {deception: yes, force: no}\n  purpose: [servitude]\n  birth_date: 2000-01-01\n  date_of_act: 2023-01-01\n",
    );
    let b = case_file(
        "b.json",
        "{\"facts\": {\"date_of_act\": \"2023-01-01\", \"purpose\": [\"servitude\"], \"means\": {\"force\": false, \"deception\": true}, \"birth_date\": \"2000-01-01\", \"act\": [\"harbouring\", \"recruitment\"]}, \"as_of\": \"2024-06-01\"}",
    );
    let run = |p: &Path| {
        let o = delimit(&["classify", p.to_str().unwrap(), "--format", "json"]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        let mut v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v.as_object_mut().unwrap().remove("case");
        v
    };
    assert_eq!(run(&a), run(&b));
}

#[test]
fn facts_are_listed_with_questions_in_each_language() {
    for (lang, word) in [
        ("en", "Which of these did someone do"),
        ("ru", "Что из этого кто-либо совершил"),
        ("tg", "Кадоме аз инҳоро касе"),
    ] {
        let o = delimit(&["facts", "--lang", lang]);
        assert!(o.status.success());
        assert!(text(&o.stdout).contains(word), "{lang}");
    }
}

#[test]
fn the_scenario_tests_run_from_the_command_line() {
    let o = delimit(&["test", "law"]);
    assert!(o.status.success(), "{}{}", text(&o.stdout), text(&o.stderr));
    let out = text(&o.stdout);
    let last = out.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("scenarios: ") && last.ends_with(" passed, 0 failed"),
        "{last}"
    );
    let bundled = delimit(&["test"]);
    assert!(bundled.status.success());
}

#[test]
fn an_unreadable_law_file_is_named() {
    let dir = std::env::temp_dir().join(format!("delimit-cli-{}-unreadable", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(dir.join("bad.md"), [0xff, 0xfe, b'#', b'\n']).expect("write");
    let o = delimit(&["check", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(
        err.contains("bad.md") && err.contains("valid UTF-8"),
        "{err}"
    );
}

#[test]
fn the_reform_comparison_lists_what_changed_and_why() {
    let o = delimit(&[
        "classify",
        "examples/student-working.yaml",
        "--reform",
        "seed-recommended-definition",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(
        out.contains("[2] reform seed-recommended-definition"),
        "{out}"
    );
    assert!(out.contains("What changed and why (1 concept)"), "{out}");
    assert!(out.contains("[1] yes  by illegal-as-irregular"), "{out}");
    assert!(
        out.contains(
            "[2] no  by seed-definition  citing mahmadullozoda-2026/s4/recommended-definition"
        ),
        "{out}"
    );
    let o = delimit(&[
        "classify",
        "examples/student-working.yaml",
        "--reform",
        "border-crossing-defines-illegal-migration",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("is a doctrine, not a reform"));
}

#[test]
fn doctrines_compared_show_where_they_disagree() {
    let o = delimit(&[
        "classify",
        "examples/stateless-resident.yaml",
        "--compare-doctrines",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["schema"], "delimit.comparison/1");
    let readings: Vec<&str> = v["readings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert!(
        readings.contains(&"doctrine border-crossing-defines-illegal-migration"),
        "{readings:?}"
    );
    let row = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["concept"] == "illegal_migration")
        .unwrap();
    assert_eq!(row["differs"], true);
    let border = readings
        .iter()
        .position(|r| *r == "doctrine border-crossing-defines-illegal-migration")
        .unwrap();
    assert_eq!(row["cells"][0]["value"], "true");
    assert_eq!(row["cells"][border]["value"], "false");
    let irregular = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["concept"] == "irregular_migration")
        .unwrap();
    assert_eq!(irregular["differs"], false);
}

#[test]
fn terms_are_looked_up_in_any_language() {
    let o = delimit(&["terms", "нерегулярная"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.contains("irregular migration (irregular)"));
    assert!(out.contains("defined by iom-terminology-2011/irregular-migration [seed]"));
    assert!(out.contains("stated by the seed article only"));
    let o = delimit(&["terms"]);
    let all = text(&o.stdout);
    for t in [
        "illegal migration",
        "irregular migration",
        "undocumented migration",
        "unauthorized migration",
        "unregulated migration",
        "clandestine migration",
        "semi-legal migration",
    ] {
        assert!(all.contains(t), "{t} missing");
    }
    let o = delimit(&["terms", "irregullar"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn coverage_is_complete_for_the_bundled_law() {
    let o = delimit(&["test", "law", "--coverage"]);
    let out = text(&o.stdout);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("(100.0%)"), "{out}");
}

#[test]
fn coverage_names_the_rules_no_scenario_applies() {
    let dir = std::env::temp_dir().join(format!("delimit-cli-{}-coverage", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("law.md"), "```instrument\nid: i\ntitle: I\njurisdiction: none\nkind: test\nstatus: verified\nsource: s\n```\n\n```provision\nid: i/1\narticle: 1\nlabel: one\nstatus: verified\nsource: s\ntext: absent\n```\n\n```delimit\nfact a: yes/no\n  question en \"A?\" ru \"A?\" tg \"A?\"\nconcept c\n  label en \"C\" ru \"C\" tg \"C\"\nrule r: c = a\n  cites i/1\n  from 2000-01-01\nexception e to r: c = no\n  when a\n  cites i/1\n  from 2000-01-01\n```\n").unwrap();
    std::fs::write(
        dir.join("s.yaml"),
        "scenario: only the rule\nas_of: 2020-01-01\nfacts: {a: no}\nexpect:\n  c: no\n",
    )
    .unwrap();
    let o = delimit(&["test", dir.to_str().unwrap(), "--coverage"]);
    assert_eq!(o.status.code(), Some(1));
    let out = text(&o.stdout);
    assert!(
        out.contains(
            "coverage: 1 of 2 rule versions and exceptions applied by some scenario (50.0%)"
        ),
        "{out}"
    );
    assert!(
        out.contains("not exercised: e (from 2000-01-01) law.md:"),
        "{out}"
    );
}

#[test]
fn the_law_renders_as_linked_html_pages() {
    let dir = std::env::temp_dir().join(format!("delimit-cli-{}-html", std::process::id()));
    let o = delimit(&["law", "render", "--out", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let index = std::fs::read_to_string(dir.join("index.html")).expect("index written");
    assert!(index.contains("<h2 id=\"instruments\">Instruments</h2>"));
    let tip =
        std::fs::read_to_string(dir.join("un-tip-protocol.html")).expect("instrument page written");
    assert!(tip.contains("<span class=\"status verified\">verified</span>"));
    assert!(tip.contains("Exploitation shall include, at a minimum"));
    assert!(
        tip.contains(
            "<strong>Exception <code>tip-child</code></strong> to <code>tip-definition</code>: when"
        ),
        "plain-words rules"
    );
    // Every link within the pages points at a page and an anchor that exist.
    let pages: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let contents: Vec<(String, String)> = pages
        .iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(p).unwrap(),
            )
        })
        .collect();
    for (name, html) in &contents {
        for link in html.split("href=\"").skip(1) {
            let target = &link[..link.find('"').unwrap()];
            let (file, anchor) = target.split_once('#').unwrap_or((target, ""));
            let page = contents.iter().find(|(n, _)| n == file);
            assert!(page.is_some(), "{name} links to a missing page {target}");
            if !anchor.is_empty() {
                assert!(
                    page.unwrap().1.contains(&format!("id=\"{anchor}\"")),
                    "{name} links to a missing anchor {target}"
                );
            }
        }
    }
}

fn schema(kind: &str) -> (boon::Schemas, boon::SchemaIndex) {
    let o = delimit(&["schema", kind]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let value: serde_json::Value = serde_json::from_slice(&o.stdout).expect("schema is JSON");
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler
        .add_resource("s.json", value)
        .expect("schema loads");
    let index = compiler
        .compile("s.json", &mut schemas)
        .expect("schema compiles");
    (schemas, index)
}

#[test]
fn a_journey_is_classified_per_person_state_stage_and_actor() {
    let o = delimit(&["classify", "examples/brick-kiln-journey.yaml"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    for line in [
        "Person worker TJ → RU",
        "2024-03-02  border crossing KZ → RU with driver [into-russia]",
        "Smuggling that becomes trafficking: Smuggling of migrants from the transit stage; trafficking in persons from the destination stage",
        "Relative to RU",
        "Actor driver Smuggler, Transporter",
    ] {
        assert!(out.contains(line), "{line:?} missing from:\n{out}");
    }
    let json = delimit(&[
        "classify",
        "examples/brick-kiln-journey.yaml",
        "--format",
        "json",
    ]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    let (schemas, index) = schema("timeline-assessment");
    if let Err(e) = schemas.validate(&value, index) {
        panic!("timeline assessment does not match its schema: {e}");
    }
    assert_eq!(value["schema"], "delimit.timeline-assessment/1");
}

#[test]
fn timeline_case_files_match_the_published_schema() {
    let (schemas, index) = schema("case");
    let yaml = std::fs::read_to_string(root().join("examples/brick-kiln-journey.yaml")).unwrap();
    // The example as JSON; YAML's yes/no are booleans for the model.
    let json = saphyr_to_json(&yaml).expect("the example is YAML");
    if let Err(e) = schemas.validate(&json, index) {
        panic!("the example does not match the case schema: {e}");
    }
    let mut broken = json.clone();
    broken["events"][0]["kind"] = "teleportation".into();
    assert!(schemas.validate(&broken, index).is_err());
}

/// YAML to JSON for the schema check, reading yes/no as the model does.
fn saphyr_to_json(yaml: &str) -> Option<serde_json::Value> {
    use saphyr::{LoadableYamlNode, Scalar, Yaml};
    fn conv(y: &Yaml<'_>) -> serde_json::Value {
        match y {
            Yaml::Value(Scalar::Null) => serde_json::Value::Null,
            Yaml::Value(Scalar::Boolean(b)) => (*b).into(),
            Yaml::Value(Scalar::Integer(i)) => (*i).into(),
            Yaml::Value(Scalar::FloatingPoint(f)) => f.into_inner().into(),
            Yaml::Value(Scalar::String(s)) if s == "yes" => true.into(),
            Yaml::Value(Scalar::String(s)) if s == "no" => false.into(),
            Yaml::Value(Scalar::String(s)) => s.to_string().into(),
            Yaml::Sequence(items) => items.iter().map(conv).collect::<Vec<_>>().into(),
            Yaml::Mapping(m) => {
                let mut out = serde_json::Map::new();
                for (k, v) in m {
                    if let Yaml::Value(Scalar::String(k)) = k {
                        out.insert(k.to_string(), conv(v));
                    }
                }
                out.into()
            }
            _ => serde_json::Value::Null,
        }
    }
    Yaml::load_from_str(yaml).ok()?.first().map(conv)
}

#[test]
fn a_broken_journey_names_the_event_at_fault() {
    let path = case_file(
        "broken-journey.yaml",
        "schema: delimit.case/2\npersons:\n  - id: p\nevents:\n  - id: e1\n    kind: recruitment\n    persons: [p]\n    actors: [ghost]\n",
    );
    let o = delimit(&["classify", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(
        err.contains("actor `ghost` is referred to but not declared"),
        "{err}"
    );
    assert!(err.contains("broken-journey.yaml:8:14"), "{err}");
}

#[test]
fn journeys_go_to_htcds_and_back() {
    let o = delimit(&["exchange", "to-htcds", "examples/brick-kiln-journey.yaml"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let csv = text(&o.stdout);
    assert!(
        csv.starts_with(
            "dlm_CaseId,dlm_PersonId,dlm_ActorId,prs_Gender,prs_Birthdate,prs_Citizenship"
        ),
        "{csv}"
    );
    assert!(
        text(&o.stderr)
            .contains("not exported: event `fee`: payer/payee, payment_purpose, amount_usd")
    );
    let csv_path = case_file("export.csv", &csv);
    let out = csv_path.parent().unwrap().join("imported");
    let o = delimit(&[
        "exchange",
        "from-htcds",
        csv_path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("wrote 1 case"));
    let o = delimit(&[
        "classify",
        out.join("brick-kiln-journey.json").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("Person worker"));
    let o = delimit(&["exchange", "to-ctdc", "examples/brick-kiln-journey.yaml"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).lines().count() >= 2);
}

fn interview(lang: &str, answers: &str, save: Option<&Path>) -> Output {
    let path = case_file(&format!("answers-{lang}-{}.txt", answers.len()), answers);
    let mut args = vec![
        "interview",
        "--lang",
        lang,
        "--as-of",
        "2024-06-01",
        "--answers",
        path.to_str().unwrap(),
    ];
    let save_str;
    if let Some(s) = save {
        save_str = s.to_str().unwrap().to_string();
        args.push("--save");
        args.push(&save_str);
    }
    delimit(&args)
}

#[test]
fn a_scripted_interview_runs_to_its_end_and_saves_a_case() {
    let saved =
        std::env::temp_dir().join(format!("delimit-cli-{}-interview.yaml", std::process::id()));
    let answers = format!("yes\nno\n1990-05-05\n{}", "don't know\n".repeat(80));
    let o = interview("en", &answers, Some(&saved));
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.contains("Before we begin"));
    assert!(
        out.contains("No further answer can change any conclusion"),
        "{out}"
    );
    assert!(out.contains("Questions asked:"));
    let case = std::fs::read_to_string(&saved).expect("saved");
    assert!(
        case.contains("person_is_national: no") && case.contains("birth_date: 1990-05-05"),
        "{case}"
    );
    let o = delimit(&["classify", saved.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
}

#[test]
fn the_interview_speaks_russian_and_tajik() {
    let o = interview("ru", "нет\n", None);
    assert!(o.status.success());
    assert!(
        text(&o.stdout).contains("Вы можете пропустить любой вопрос"),
        "{}",
        text(&o.stdout)
    );
    let o = interview("tg", "да\nне\nстоп\n", None);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("Оё шахс шаҳрванди кишвари воридшуда аст?"),
        "{}",
        text(&o.stdout)
    );
}

#[test]
fn a_script_that_does_not_fit_stops_at_the_line_at_fault() {
    let o = interview("en", "yes\nno\nnot a date\n", None);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("Line 3 of the answers file does not fit the question"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn declining_consent_ends_the_interview_with_nothing_saved() {
    let saved =
        std::env::temp_dir().join(format!("delimit-cli-{}-declined.yaml", std::process::id()));
    let o = interview("en", "no\n", Some(&saved));
    assert!(o.status.success());
    assert!(text(&o.stdout).contains("Nothing has been recorded"));
    assert!(!text(&o.stdout).contains("Saved to"));
}

/// An interview under the law of 2024-06-01, screening with the ILO/EC adult labour list,
/// answered from the file `answers` and saved to `saved`.
fn screened_interview(answers: &Path, saved: &Path) -> Output {
    delimit(&[
        "interview",
        "--as-of",
        "2024-06-01",
        "--indicators",
        "ilo-ec-2009/adult-labour",
        "--answers",
        answers.to_str().unwrap(),
        "--save",
        saved.to_str().unwrap(),
    ])
}

#[test]
fn the_interview_screens_with_an_indicator_list_apart_from_the_law() {
    let saved =
        std::env::temp_dir().join(format!("delimit-cli-{}-screen.yaml", std::process::id()));
    let answers = case_file(
        "answers-screen.txt",
        &format!("yes\n{}", "don't know\n".repeat(200)),
    );
    let o = screened_interview(&answers, &saved);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    // An indicator question (delimit's drafting for the strongest deceptive-recruitment item).
    assert!(
        out.contains("different from what you had been told when you were recruited"),
        "{out}"
    );
    assert!(
        out.contains("Indicated, not a legal finding: the indicators' reading is still open"),
        "{out}"
    );
    assert!(
        out.contains("Indicators present, by dimension (indicative, not a legal finding):")
            && out.contains("Deceptive recruitment [open]: nothing yet"),
        "{out}"
    );
    let case = std::fs::read_to_string(&saved).expect("saved");
    assert!(
        case.starts_with("# indicators of ilo-ec-2009/adult-labour (indicative"),
        "{case}"
    );
    let o = delimit(&["classify", saved.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));

    let o = delimit(&["interview", "--indicators", "no-such-list"]);
    assert!(!o.status.success());
    assert!(text(&o.stderr).contains("no indicator list `no-such-list`"));
    let o = delimit(&["interview", "--indicators", "ilo-ec-2009/adult-sexual"]);
    assert!(!o.status.success());
    assert!(text(&o.stderr).contains("has no graded indicators"));
}

/// The headless browser to open rendered pages with: `DELIMIT_CHROMIUM`, or the first of the
/// usual names on `PATH`; `None` after saying why the test is skipped. `scripts/test` installs
/// Debian's `chromium` and sets `DELIMIT_REQUIRE_BROWSER=1`, with which (or under `CI`) a
/// missing browser fails the test.
fn chromium_or_skip(test: &str) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("DELIMIT_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            if dir.join(name).is_file() {
                return Some(dir.join(name));
            }
        }
    }
    let why = "no Chromium on PATH (install Debian's `chromium`, as `scripts/test` does, or set DELIMIT_CHROMIUM)";
    if std::env::var("DELIMIT_REQUIRE_BROWSER").is_ok_and(|v| v == "1")
        || std::env::var_os("CI").is_some()
    {
        panic!("{why}; DELIMIT_REQUIRE_BROWSER=1 or CI requires {test} to run");
    }
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{test} skipped: {why}");
    None
}

#[test]
fn the_rendered_law_opens_in_a_headless_browser() {
    let Some(chromium) = chromium_or_skip("the_rendered_law_opens_in_a_headless_browser") else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("delimit-cli-{}-browser", std::process::id()));
    let o = delimit(&["law", "render", "--out", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let dom = |page: &str| {
        let url = format!("file://{}", dir.join(page).display());
        let o = Command::new(&chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--dump-dom",
                &url,
            ])
            .output()
            .expect("Chromium runs");
        assert!(o.status.success(), "{}", text(&o.stderr));
        text(&o.stdout)
    };
    // The browser parsed the pages into documents with their headings, statuses and links.
    let index = dom("index.html");
    assert!(index.contains("id=\"instruments\""), "{index}");
    assert!(index.contains("href=\"un-tip-protocol.html"), "{index}");
    let tip = dom("un-tip-protocol.html");
    assert!(tip.contains("<span class=\"status verified\">verified</span>"));
    assert!(tip.contains("Exploitation shall include, at a minimum"));
    assert!(tip.contains("</body></html>"), "a whole document");
}

/// The largest inputs each command takes (`docs/limits.md`): just under a limit is read, just
/// over it is refused with the file (and the place in it) named, never with a crash.
mod limits {
    use super::{case_file, delimit, text};

    const MIB: usize = 1 << 20;

    /// A flat case padded with a comment to exactly `len` bytes.
    fn padded_case(len: usize) -> String {
        let mut t = "facts:\n  crossed_border: yes\n# ".to_string();
        t.push_str(&"x".repeat(len - t.len() - 1));
        t.push('\n');
        t
    }

    #[test]
    fn a_case_file_of_the_largest_size_is_read_and_one_byte_more_is_refused() {
        let path = case_file("largest.yaml", &padded_case(MIB));
        let o = delimit(&["classify", path.to_str().unwrap()]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        let path = case_file("too-large.yaml", &padded_case(MIB + 1));
        for command in ["classify", "explain"] {
            let mut args = vec![command, path.to_str().unwrap()];
            if command == "explain" {
                args.push("smuggling_of_migrants");
            }
            let o = delimit(&args);
            assert_eq!(o.status.code(), Some(1));
            let err = text(&o.stderr);
            assert!(
                err.contains(
                    "error[F011]: the case file is larger than 1 MiB, the most a case may have"
                ),
                "{err}"
            );
            assert!(err.contains("too-large.yaml:1:1"), "{err}");
        }
        let o = delimit(&["exchange", "to-htcds", path.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1));
        assert!(
            text(&o.stderr).contains("error[F011]"),
            "{}",
            text(&o.stderr)
        );
    }

    #[test]
    fn a_case_nested_too_deep_is_refused_where_it_goes_too_deep() {
        let deep = format!(
            "schema: delimit.case/2\npersons:\n  - id: p\n    facts:\n      x:\n        {}1\n",
            "- ".repeat(100_000)
        );
        let path = case_file("deep.yaml", &deep);
        let o = delimit(&["classify", path.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1));
        let err = text(&o.stderr);
        assert!(
            err.contains("error[F012]: lists and mappings nest more than 127 levels deep"),
            "{err}"
        );
        // The line is too long to quote: its place is named.
        assert!(
            err.contains(&format!("at {}:6:255", path.display())),
            "{err}"
        );
        assert!(
            !err.contains("overflow") && !err.contains("panicked"),
            "{err}"
        );
    }

    #[test]
    fn a_journey_of_too_many_persons_is_refused_at_the_first_too_many() {
        let persons: String = (0..65).map(|i| format!("  - id: p{i}\n")).collect();
        let path = case_file(
            "crowd.yaml",
            &format!("schema: delimit.case/2\npersons:\n{persons}"),
        );
        let o = delimit(&["classify", path.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1));
        let err = text(&o.stderr);
        assert!(
            err.contains("error[T113]: the case names 65 persons; a case names at most 64"),
            "{err}"
        );
        assert!(err.contains("crowd.yaml:67:5"), "{err}");
    }

    fn temp_dir(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("delimit-cli-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_law_file_too_large_is_named_and_so_is_a_folder_of_too_many() {
        let dir = temp_dir("law-limits");
        let law = super::root().join("law");
        let copy = |from: &std::path::Path, to: &std::path::Path| {
            for entry in walk(from) {
                let rel = entry.strip_prefix(from).unwrap();
                std::fs::create_dir_all(to.join(rel).parent().unwrap()).unwrap();
                std::fs::copy(&entry, to.join(rel)).unwrap();
            }
        };
        copy(&law, &dir);
        let notes = |len: usize| format!("# Notes\n{}\n", "n".repeat(len - 9));
        std::fs::write(dir.join("notes.md"), notes(MIB)).unwrap();
        let o = delimit(&["check", dir.to_str().unwrap()]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        std::fs::write(dir.join("notes.md"), notes(MIB + 1)).unwrap();
        let o = delimit(&["check", dir.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1));
        let err = text(&o.stderr);
        assert!(
            err.contains(
                "error[L003]: the law file is larger than 1 MiB, the most a law file may have"
            ),
            "{err}"
        );
        assert!(err.contains("notes.md:1:1"), "{err}");
        // Scenario files are held to the same size.
        std::fs::remove_file(dir.join("notes.md")).unwrap();
        std::fs::write(
            dir.join("scenarios/huge.yaml"),
            format!("# {}\n", "x".repeat(MIB)),
        )
        .unwrap();
        let o = delimit(&["test", dir.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1));
        let err = text(&o.stderr);
        assert!(
            err.contains("huge.yaml is larger than 1 MiB, the most a scenario file may have"),
            "{err}"
        );
        std::fs::remove_file(dir.join("scenarios/huge.yaml")).unwrap();
        // Too many law files.
        let many = dir.join("many");
        std::fs::create_dir(&many).unwrap();
        for i in 0..1000 {
            std::fs::write(many.join(format!("{i:04}.md")), "# Notes\n").unwrap();
        }
        let o = delimit(&["check", dir.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1));
        let err = text(&o.stderr);
        assert!(
            err.contains("holds more than 1000 law files (*.md), the most read at once"),
            "{err}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
        out
    }

    #[test]
    fn an_answers_file_of_the_largest_size_is_read_and_one_byte_more_is_refused() {
        let answers = |len: usize| {
            let mut t = "no\n".to_string();
            t.push('#');
            t.push_str(&"x".repeat(len - t.len() - 1));
            t.push('\n');
            t
        };
        let path = case_file("answers.txt", &answers(MIB));
        let o = delimit(&[
            "interview",
            "--as-of",
            "2024-06-01",
            "--answers",
            path.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        let path = case_file("answers.txt", &answers(MIB + 1));
        let o = delimit(&["interview", "--answers", path.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1));
        assert!(
            text(&o.stderr)
                .contains("answers.txt is larger than 1 MiB, the most a file of answers may have"),
            "{}",
            text(&o.stderr)
        );
    }

    #[test]
    fn a_password_on_standard_input_is_read_no_further_than_1_kib() {
        use std::io::Write;
        let db = temp_dir("password-limit").join("registry.db");
        let add = |name: &str, password: &str| {
            let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_delimit"))
                .args(["user", "add", name, "--role", "administrator", "--db"])
                .arg(&db)
                .env("NO_COLOR", "1")
                .env_remove("DELIMIT_PASSWORD")
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            child
                .stdin
                .take()
                .unwrap()
                .write_all(password.as_bytes())
                .unwrap();
            child.wait_with_output().unwrap()
        };
        // A long passphrase, not one repeated character, which is refused as guessable.
        let long = "Dushanbe lilac river 71 ".repeat(50);
        let o = add("first", &format!("{}\n", &long[..1024]));
        assert!(o.status.success(), "{}", text(&o.stderr));
        let o = add("second", &format!("{}\n", &long[..1025]));
        assert_eq!(o.status.code(), Some(1));
        assert!(
            text(&o.stderr).contains("the password is longer than 1024 bytes"),
            "{}",
            text(&o.stderr)
        );
    }

    /// A sparse file of `len` bytes, taking no room on disk.
    fn sparse(name: &str, len: u64) -> std::path::PathBuf {
        let path = case_file(name, "");
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(len)
            .unwrap();
        path
    }

    #[test]
    fn files_too_large_to_import_or_exchange_are_refused_before_they_are_read() {
        let db = temp_dir("import-limits").join("registry.db");
        let db = db.to_str().unwrap();
        // 256 MiB of JSON Lines is the most one import takes; a byte more is refused unread.
        let path = sparse("huge.jsonl", 256 << 20 | 1);
        let o = delimit(&["import", path.to_str().unwrap(), "--db", db]);
        assert_eq!(o.status.code(), Some(1));
        let err = text(&o.stderr);
        assert!(
            err.contains("huge.jsonl is larger than 256 MiB, the most one import of JSON Lines may have: split it into several imports"),
            "{err}"
        );
        let path = sparse("huge.csv", 64 << 20 | 1);
        let o = delimit(&["import", path.to_str().unwrap(), "--db", db]);
        assert_eq!(o.status.code(), Some(1));
        assert!(
            text(&o.stderr).contains(
                "huge.csv is larger than 64 MiB, the most one import of HTCDS CSV may have"
            ),
            "{}",
            text(&o.stderr)
        );
        let out = temp_dir("from-htcds");
        let o = delimit(&[
            "exchange",
            "from-htcds",
            path.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(1));
        assert!(
            text(&o.stderr)
                .contains("the file is larger than 64 MiB, the most an HTCDS file may have"),
            "{}",
            text(&o.stderr)
        );
        std::fs::remove_file(&path).unwrap();
    }
}

#[path = "../../screening/tests/common/mod.rs"]
mod screening;

/// Where the law's answers establish debt bondage, the indicator of that name is shown present,
/// said to come from the law's answers, and is not asked. The answers are scripted in the
/// order the interview asks, found by running the same interview through the library.
#[test]
fn an_indicator_the_law_establishes_is_shown_as_coming_from_the_law() {
    use delimit_engine::{FactValue, Plan, Query};
    use delimit_screening::{Interview, Next, Reply, Screen};
    let kb = screening::kb();
    let plan = Plan::new(
        kb,
        Query {
            as_of: jiff::civil::date(2024, 6, 1),
            doctrines: vec![],
        },
    )
    .unwrap();
    let mut script = vec!["yes".to_string()];
    let list = "ilo-ec-2009/adult-labour";
    let mut i = Interview::with_screen(plan, Screen::of(screening::lists(), list).unwrap());
    i.consent(true);
    let established = ["labour_pledged_for_debt", "work_value_not_credited_to_debt"];
    loop {
        match i.next() {
            Next::Ask(f) if established.contains(&kb.facts[f].name.as_str()) => {
                i.answer(f, Reply::Value(FactValue::Bool(true)));
                script.push("yes".into());
            }
            Next::Ask(f) => {
                i.answer(f, Reply::DontKnow);
                script.push("don't know".into());
            }
            Next::AskIndicator(n) => {
                i.answer_indicator(n, Reply::DontKnow);
                script.push("don't know".into());
            }
            _ => break,
        }
    }
    let answers = case_file("answers-established.txt", &(script.join("\n") + "\n"));
    let saved = std::env::temp_dir().join(format!(
        "delimit-cli-{}-established.yaml",
        std::process::id()
    ));
    let o = screened_interview(&answers, &saved);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(
        out.contains(
            "Debt bondage (from the law's answers: Debt bondage (Tajik Law No. 1096, art. 1); this link is delimit's reading, not the list's)"
        ),
        "{out}"
    );
    assert!(
        !out.contains("were you made to keep working to pay off a debt"),
        "{out}"
    );
    let case = std::fs::read_to_string(&saved).expect("saved");
    assert!(
        case.contains(
            "#   ilo-ec-2009/adult-labour/coercion-at-destination/debt-bondage: yes, from the law's answers (debt_bondage; a link of delimit's reading)"
        ),
        "{case}"
    );
}

#[test]
fn a_conclusion_resting_on_text_nobody_read_is_shown_with_a_warning() {
    let path = case_file(
        "unverified.yaml",
        "id: unverified\nas_of: 2024-06-01\nfacts:\n  organised_illegal_migration_tj: yes\n",
    );
    let o = delimit(&["classify", path.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    // The detail, after the summary that opens the report.
    let (_, detail) = out
        .rsplit_once("Organisation of illegal migration")
        .expect("the offence is reported");
    let block: String = detail.lines().take(4).collect::<Vec<_>>().join("\n");
    assert!(
        block.contains("warning: rests only on text recalled or not found"),
        "{block}"
    );
    let o = delimit(&["classify", path.to_str().unwrap(), "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let conclusions = json["conclusions"].as_array().expect("conclusions");
    let flagged = |name: &str| {
        conclusions
            .iter()
            .find(|c| c["concept"] == name)
            .map(|c| c["unchecked_basis"] == true)
    };
    assert_eq!(flagged("organisation_of_illegal_migration_tj"), Some(true));
    assert_eq!(flagged("trafficking_in_persons"), Some(false));
}

#[test]
fn law_status_counts_each_instruments_provisions_and_the_rules_behind_them() {
    let o = delimit(&["law", "status"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    let row = |id: &str| {
        out.lines()
            .find(|l| l.split_whitespace().next() == Some(id))
            .unwrap_or_else(|| panic!("no row for {id}:\n{out}"))
            .to_string()
    };
    // The weakest status wins: the Trafficking Protocol's dates were read on the UN Treaty
    // Collection, some of its provisions only in copies.
    assert!(
        row("un-tip-protocol").contains("secondary") || row("un-tip-protocol").contains("recalled")
    );
    assert!(
        row("slavery-convention-1926").contains("verified        100%"),
        "{out}"
    );
    assert!(out.contains("all instruments"), "{out}");
    let unverified = out
        .lines()
        .find(|l| l.trim_start().starts_with("unverified"))
        .expect("a line for rules resting on unverified text");
    assert!(
        unverified.contains("tj-organisation-of-illegal-migration"),
        "{unverified}"
    );
}

#[test]
fn the_readme_shows_the_current_law_status() {
    let status = text(&delimit(&["law", "status"]).stdout);
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md"))
        .expect("README");
    for line in status
        .lines()
        .skip(2)
        .filter(|l| !l.starts_with("An instrument's status"))
    {
        assert!(
            readme.contains(line),
            "README.md does not show this line of `delimit law status` (run it and copy the table):\n{line}"
        );
    }
}
