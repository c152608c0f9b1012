//! A case read through the registry (HTTP bodies, the web pages, imports) obeys the same limits
//! as a case file (`delimit_case::limits`): just under each is read, just over is refused as
//! `case.too_large` or with the line or row at fault, never with a panic or a stack overflow.

mod common;

use common::{backends, kb, world};
use delimit_case::limits::{MAX_CASE_BYTES, MAX_CASE_DEPTH, MAX_HTCDS_BYTES, MAX_PERSONS};
use delimit_registry::{ErrorKind, ImportFormat, Key, parse_case, synthetic};

/// The example journey as JSON, with `persons` persons, padded with spaces to `len` bytes.
fn example(persons: usize, len: Option<usize>) -> String {
    let mut case = common::brick_kiln();
    let first = case.persons[0].clone();
    for i in 1..persons {
        let mut p = first.clone();
        p.id = format!("person-{i}");
        case.persons.push(p);
    }
    let mut text = serde_json::to_string(&case).unwrap();
    if let Some(len) = len {
        text.push_str(&" ".repeat(len - text.len()));
    }
    text
}

/// A journey whose person has a fact of `levels` lists inside each other: the JSON nests
/// `levels + 4` deep.
fn nested(levels: usize) -> String {
    format!(
        "{{\"schema\":\"delimit.case/2\",\"persons\":[{{\"id\":\"p\",\"facts\":{{\"x\":{}1{}}}}}]}}",
        "[".repeat(levels),
        "]".repeat(levels)
    )
}

fn too_large(text: &str) -> String {
    let e = parse_case(kb(), text).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Invalid);
    assert_eq!(e.code, "case.too_large", "{}", e.message);
    e.message
}

#[test]
fn a_case_of_the_largest_size_is_read_and_one_byte_more_is_refused() {
    assert!(parse_case(kb(), &example(1, Some(MAX_CASE_BYTES))).is_ok());
    let m = too_large(&example(1, Some(MAX_CASE_BYTES + 1)));
    assert_eq!(
        m,
        "the case has 1048577 bytes; a case has at most 1048576 (1 MiB): tell a larger journey as several cases"
    );
}

#[test]
fn a_case_of_the_most_persons_is_read_and_one_more_is_refused() {
    let case = parse_case(kb(), &example(MAX_PERSONS, None)).unwrap();
    assert_eq!(case.persons.len(), MAX_PERSONS);
    let m = too_large(&example(MAX_PERSONS + 1, None));
    assert!(
        m.contains("the case names 65 persons; a case names at most 64 (T113)"),
        "{m}"
    );
}

#[test]
fn json_nested_as_deep_as_serde_json_allows_is_read_and_deeper_is_refused() {
    // serde_json reads 127 levels and no more, as the reader: either way, the same answer.
    let deepest = nested(MAX_CASE_DEPTH - 4);
    let value: serde_json::Value = serde_json::from_str(&deepest).expect("serde_json reads 127");
    assert!(value.is_object());
    assert!(serde_json::from_str::<serde_json::Value>(&nested(MAX_CASE_DEPTH - 3)).is_err());
    let case = parse_case(kb(), &deepest).unwrap();
    assert!(case.persons[0].facts.contains_key("x"));
    let m = too_large(&nested(MAX_CASE_DEPTH - 3));
    assert!(
        m.contains("lists and mappings nest more than 127 levels deep (F012)"),
        "{m}"
    );
    // Far deeper, in JSON or in YAML: refused, the stack intact (tests run on 2 MiB stacks,
    // as the server's threads).
    too_large(&nested(100_000));
    too_large(&format!(
        "schema: delimit.case/2\npersons:\n  - id: p\n    facts:\n      x:\n        {}1\n",
        "- ".repeat(100_000)
    ));
}

#[tokio::test]
async fn an_import_holds_each_line_and_row_to_the_case_limits() {
    for b in backends("import-limits").await {
        let w = world(&b, Key::generate().unwrap()).await;
        let r = &w.registry;
        let caseworker = &w.caseworker;
        let import = |text: String, format| async move {
            r.import(caseworker, text.as_bytes(), format, &mut |_| {})
                .await
        };
        let ok = serde_json::to_string(&synthetic::journey(1).unwrap()).unwrap();
        // A line of the largest size is stored; one byte more, and nothing is.
        let report = import(
            format!("{ok}\n{}\n", example(1, Some(MAX_CASE_BYTES))),
            ImportFormat::JsonLines,
        )
        .await
        .unwrap();
        assert_eq!(report.imported, 2, "{}", b.name);
        let e = import(
            format!("{ok}\n{}\n", example(1, Some(MAX_CASE_BYTES + 1))),
            ImportFormat::JsonLines,
        )
        .await
        .unwrap_err();
        assert_eq!(
            e.message,
            "nothing was imported: line 2: the case has 1048577 bytes; a case has at most 1048576 (1 MiB)"
        );
        // A line of too many persons.
        let e = import(
            format!("{ok}\n{}\n", example(MAX_PERSONS + 1, None)),
            ImportFormat::JsonLines,
        )
        .await
        .unwrap_err();
        assert_eq!(
            e.message,
            "nothing was imported: line 2: the case names 65 persons; a case names at most 64 (T113)"
        );
    }
}

#[tokio::test]
async fn an_htcds_import_of_the_largest_size_is_read_and_one_byte_more_is_refused() {
    for b in backends("htcds-limits").await {
        let w = world(&b, Key::generate().unwrap()).await;
        let file = |len: usize| {
            let mut text = "dlm_CaseId,dlm_PersonId,prs_Gender\nc1,p1,Feminine\n".to_string();
            text.push_str(&",,\n".repeat((len - text.len()) / 3));
            text.push_str(&"\n".repeat(len - text.len()));
            text
        };
        let report = w
            .registry
            .import(
                &w.caseworker,
                file(MAX_HTCDS_BYTES).as_bytes(),
                ImportFormat::HtcdsCsv,
                &mut |_| {},
            )
            .await
            .unwrap();
        assert_eq!(report.imported, 1, "{}", b.name);
        let e = w
            .registry
            .import(
                &w.caseworker,
                file(MAX_HTCDS_BYTES + 1).as_bytes(),
                ImportFormat::HtcdsCsv,
                &mut |_| {},
            )
            .await
            .unwrap_err();
        assert_eq!(e.code, "import.too_large");
        assert_eq!(
            e.message,
            "nothing was imported: the file has 67108865 bytes; an import of this format has at most 67108864 (64 MiB): split it into several imports"
        );
    }
}
