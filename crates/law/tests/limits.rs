//! The largest law accepted (`delimit_law::limits`): just under each limit is read, just over
//! it is refused with its code at the file's name, never with a panic or an exhausted stack.

use delimit_law::limits::{MAX_EXPR_DEPTH, MAX_LAW_BYTES, MAX_LAW_FILE_BYTES, MAX_LAW_FILES};
use delimit_law::{Compiled, LawFile, compile, load::read_dir};

/// A small law that checks, whose one rule decides `c` by `value`.
fn law(value: &str) -> LawFile {
    let text = format!(
        "# Test\n\n```instrument\nid: t\ntitle: Test\njurisdiction: international\nkind: treaty\n\
         adopted: 2000-01-01\nfrom: 2000-01-01\nstatus: verified\nsource: s\n```\n\n\
         ```provision\nid: t/1\narticle: 1\nlabel: One\nstatus: verified\nsource: s\n```\n\n\
         > Text.\n\n```delimit\nfact a: yes/no\n  question en \"A?\"\n\nfact n: number\n  \
         question en \"N?\"\n\nconcept c\n  kind status\n  label en \"C\"\n\n\
         rule r: c = {value}\n  cites t/1\n  from 2000-01-01\n```\n"
    );
    LawFile {
        name: "t.md".into(),
        text,
    }
}

/// `file` padded with prose to exactly `len` bytes.
fn padded(mut file: LawFile, len: usize) -> LawFile {
    file.text.push('\n');
    while file.text.len() < len {
        let line = "Prose between the blocks, which the checker reads past.\n";
        let room = len - file.text.len();
        file.text.push_str(&line[..line.len().min(room)]);
    }
    file
}

fn prose(name: &str, len: usize) -> LawFile {
    padded(
        LawFile {
            name: name.into(),
            text: "# Notes\n".into(),
        },
        len,
    )
}

fn codes(c: &Compiled) -> Vec<(&'static str, String)> {
    c.diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.code, d.location(&c.sources)))
        .collect()
}

fn first_error(c: &Compiled) -> &str {
    &c.diagnostics
        .iter()
        .find(|d| d.is_error())
        .expect("an error")
        .message
}

fn checks(files: &[LawFile]) {
    let c = compile(files);
    assert!(c.kb.is_some(), "{:?}", codes(&c));
}

#[test]
fn a_law_file_of_the_largest_size_is_read_and_one_byte_more_is_refused() {
    checks(&[padded(law("a"), MAX_LAW_FILE_BYTES)]);
    let c = compile(&[padded(law("a"), MAX_LAW_FILE_BYTES + 1)]);
    assert!(c.kb.is_none());
    assert_eq!(codes(&c), [("L003", "t.md:1:1".to_string())]);
    assert_eq!(
        first_error(&c),
        "the law file is larger than 1 MiB, the most a law file may have"
    );
    // The refused file is not kept.
    assert_eq!(c.sources.text(0), "");
}

#[test]
fn a_folder_of_the_most_files_is_read_and_one_more_is_refused() {
    let mut files: Vec<LawFile> = (0..MAX_LAW_FILES - 1)
        .map(|i| prose(&format!("notes/{i:04}.md"), 20))
        .collect();
    files.push(law("a"));
    checks(&files);
    files.push(prose("z-last.md", 20));
    let c = compile(&files);
    assert_eq!(
        codes(&c),
        [("L004", "z-last.md:1:1".to_string())],
        "the file beyond the limit, in name order"
    );
    assert_eq!(
        first_error(&c),
        "more than 1000 law files: this file is not read"
    );
}

#[test]
fn law_files_of_the_most_bytes_in_all_are_read_and_one_byte_more_is_refused() {
    let n = MAX_LAW_BYTES / MAX_LAW_FILE_BYTES;
    let mut files: Vec<LawFile> = (1..n)
        .map(|i| prose(&format!("part-{i}.md"), MAX_LAW_FILE_BYTES))
        .collect();
    files.push(padded(law("a"), MAX_LAW_FILE_BYTES));
    assert_eq!(
        files.iter().map(|f| f.text.len()).sum::<usize>(),
        MAX_LAW_BYTES
    );
    checks(&files);
    files.push(prose("u-extra.md", 1));
    files.push(prose("v-extra.md", 1));
    let c = compile(&files);
    assert_eq!(codes(&c), [("L005", "u-extra.md:1:1".to_string())]);
    assert_eq!(
        first_error(&c),
        "the law files come to more than 8 MiB with this one: this file and the one after it are not read"
    );
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir =
        std::env::temp_dir().join(format!("delimit-law-limits-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_folder_read_from_disk_keeps_to_the_limits() {
    let dir = temp_dir("disk");
    std::fs::write(dir.join("t.md"), padded(law("a"), MAX_LAW_FILE_BYTES).text).unwrap();
    std::fs::write(dir.join("README.md"), "x".repeat(2 * MAX_LAW_FILE_BYTES)).unwrap();
    std::fs::write(dir.join("data.bin"), vec![0u8; 2 * MAX_LAW_FILE_BYTES]).unwrap();
    checks(&read_dir(&dir).unwrap());

    // A file too large is read one byte past the limit, and refused at its name.
    std::fs::write(dir.join("big.md"), "é".repeat(MAX_LAW_FILE_BYTES)).unwrap();
    let files = read_dir(&dir).unwrap();
    let big = files.iter().find(|f| f.name == "big.md").unwrap();
    // The byte past the limit starts a character cut short, read as a replacement character.
    assert_eq!(big.text.len(), MAX_LAW_FILE_BYTES + '\u{fffd}'.len_utf8());
    assert_eq!(
        codes(&compile(&files)),
        [("L003", "big.md:1:1".to_string())]
    );
    std::fs::remove_file(dir.join("big.md")).unwrap();

    // Too many files: an error naming the folder, before any is read whole.
    let sub = dir.join("many");
    std::fs::create_dir(&sub).unwrap();
    for i in 0..MAX_LAW_FILES - 1 {
        std::fs::write(sub.join(format!("{i:04}.md")), "# Notes\n").unwrap();
    }
    assert_eq!(read_dir(&dir).unwrap().len(), MAX_LAW_FILES);
    std::fs::write(sub.join("last.md"), "# Notes\n").unwrap();
    let e = read_dir(&dir).unwrap_err();
    assert_eq!(e.kind(), std::io::ErrorKind::FileTooLarge);
    assert!(
        e.to_string()
            .contains("holds more than 1000 law files (*.md)"),
        "{e}"
    );
    std::fs::remove_dir_all(&sub).unwrap();

    // Too many bytes in all.
    for i in 0..MAX_LAW_BYTES / MAX_LAW_FILE_BYTES {
        std::fs::write(
            dir.join(format!("p{i}.md")),
            prose("", MAX_LAW_FILE_BYTES).text,
        )
        .unwrap();
    }
    let e = read_dir(&dir).unwrap_err();
    assert!(e.to_string().contains("come to more than 8 MiB"), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `depth` levels of `open`, then `inner`, then as many `close`.
fn nested(open: &str, inner: &str, close: &str, depth: usize) -> String {
    format!("{}{inner}{}", open.repeat(depth), close.repeat(depth))
}

#[test]
fn an_expression_of_the_deepest_nesting_is_read_and_one_level_more_is_refused() {
    // The operand of the rule is one level; each `(`, `not`, `any(` or `+` adds one.
    let most = MAX_EXPR_DEPTH - 1;
    let shapes: [(&str, &str, &str); 3] = [("(", "a", ")"), ("not ", "a", ""), ("any(", "a", ")")];
    for (open, inner, close) in shapes {
        checks(&[law(&nested(open, inner, close, most))]);
        let c = compile(&[law(&nested(open, inner, close, most + 1))]);
        let found = codes(&c);
        assert_eq!(found.len(), 1, "{open}: {found:?}");
        assert_eq!(found[0].0, "P011");
        assert_eq!(
            first_error(&c),
            "the expression nests more than 64 levels deep"
        );
    }
    let sum = |terms: usize| format!("{} > 0", vec!["n"; terms].join(" + "));
    checks(&[law(&sum(most + 1))]);
    assert_eq!(codes(&compile(&[law(&sum(most + 2))]))[0].0, "P011");
}

#[test]
fn a_pathologically_deep_expression_is_refused_not_a_stack_overflow() {
    for (open, close) in [("(", ")"), ("not ", ""), ("any(", ")")] {
        let c = compile(&[law(&nested(open, "a", close, 100_000))]);
        assert_eq!(codes(&c)[0].0, "P011", "{open}");
    }
    let c = compile(&[law(&format!("{} > 0", vec!["n"; 100_000].join(" + ")))]);
    assert_eq!(codes(&c)[0].0, "P011");
}

#[test]
fn diagnostics_beyond_the_most_leave_the_files_after_unread() {
    use delimit_law::limits::MAX_DIAGNOSTICS;
    // One `L002` per character the language does not know.
    let bad = |n: usize| LawFile {
        name: "a.md".into(),
        text: format!("```delimit\n{}\n```\n", "§".repeat(n)),
    };
    let given = |n: usize| compile(&[bad(n)]).diagnostics.len();
    let n = MAX_DIAGNOSTICS - (given(10) - 10);
    assert_eq!(given(n), MAX_DIAGNOSTICS);
    let next = prose("b.md", 20);
    let c = compile(&[bad(n), next.clone()]);
    assert!(!c.diagnostics.iter().any(|d| d.code == "L006"));
    let c = compile(&[bad(n + 1), next, prose("c.md", 20)]);
    let last = c.diagnostics.iter().find(|d| d.code == "L006").unwrap();
    assert_eq!(last.location(&c.sources), "b.md:1:1");
    assert_eq!(
        last.message,
        "more than 10000 problems in the files before: this file and the one after it are not read"
    );
}

#[test]
fn did_you_mean_notes_stop_when_their_comparisons_run_out() {
    use delimit_law::limits::MAX_SUGGESTION_COMPARISONS;
    let declared = 2_000;
    let mut text = law("a").text;
    text.push_str("\n```delimit\n");
    for i in 0..declared {
        text.push_str(&format!("fact name_{i:05}: yes/no\n  question en \"?\"\n"));
    }
    // Each misspelt name is compared with every fact and concept.
    let wrong = MAX_SUGGESTION_COMPARISONS / declared + 10;
    for i in 0..wrong {
        text.push_str(&format!(
            "rule w{i}: c = name_{:05}x\n  cites t/1\n  from 2000-01-01\n",
            i % declared
        ));
    }
    text.push_str("```\n");
    let c = compile(&[LawFile {
        name: "t.md".into(),
        text,
    }]);
    let unknown: Vec<_> = c.diagnostics.iter().filter(|d| d.code == "N003").collect();
    assert_eq!(unknown.len(), wrong, "every unknown name is reported");
    let noted = |d: &delimit_law::Diagnostic| d.notes.iter().any(|n| n.starts_with("did you mean"));
    assert!(noted(unknown[0]), "{:?}", unknown[0]);
    assert!(!noted(unknown[wrong - 1]), "{:?}", unknown[wrong - 1]);
    let with_notes = unknown.iter().filter(|d| noted(d)).count();
    assert!(
        with_notes < MAX_SUGGESTION_COMPARISONS / declared && with_notes > wrong / 2,
        "{with_notes} of {wrong}"
    );
}

/// A law with one rule and `n` exceptions to it of each value, whose conditions each read 8
/// atoms of their own and cannot hold (`a and not a`): every pair of opposite values is tried
/// on all 65,536 assignments of the 16 atoms, and found never to hold together.
fn exceptions(n: usize) -> LawFile {
    let mut file = law("a");
    file.text.push_str("\n```delimit\n");
    for k in 0..16 {
        file.text
            .push_str(&format!("fact x{k}: yes/no\n  question en \"X?\"\n"));
    }
    for i in 0..2 * n {
        let base = if i % 2 == 0 { 0 } else { 8 };
        let atoms: Vec<String> = (1..8).map(|k| format!("x{}", base + k)).collect();
        file.text.push_str(&format!(
            "exception e{i} to r: c = {}\n  when x{base} and not x{base} and {}\n  cites t/1\n  from 2000-01-01\n",
            if i % 2 == 0 { "yes" } else { "no" },
            atoms.join(" and ")
        ));
    }
    file.text.push_str("```\n");
    file
}

#[test]
fn exceptions_are_compared_within_a_budget_and_refused_past_it() {
    use delimit_law::limits::MAX_CONFLICT_ASSIGNMENTS;
    let most = (MAX_CONFLICT_ASSIGNMENTS / 65_536).isqrt();
    checks(&[exceptions(most)]);
    let c = compile(&[exceptions(most + 1)]);
    let found = codes(&c);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "X002");
    assert_eq!(
        first_error(&c),
        "too many exceptions to `r` to check that they exclude each other"
    );
}
