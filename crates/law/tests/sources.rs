//! Quotations against what was read: each excerpt recorded under `law/sources/` must contain,
//! word for word, the quotation of the provision it names.

use delimit_law::{TextKind, compile, load::read_dir};
use std::path::Path;

/// Spacing, the shape of quotation marks and dashes and a leading paragraph number are not the
/// words of a text: they differ between faithful copies.
fn normalise(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| match c {
            '“' | '”' | '«' | '»' => '"',
            '‘' | '’' => '\'',
            '—' | '–' => '-',
            c => c,
        })
        .collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// "1. ", "(b) ", "2 — ": the number a quotation opens with.
fn without_number(text: &str) -> &str {
    let t = text.trim_start();
    let end = t.find(|c: char| c.is_whitespace()).filter(|&i| {
        let head = &t[..i];
        head.trim_matches(|c: char| "().".contains(c))
            .chars()
            .all(|c| c.is_ascii_alphanumeric())
            && head.len() <= 5
            && head.contains(|c: char| c.is_ascii_digit() || "().".contains(c))
    });
    match end {
        Some(i) => t[i..].trim_start().trim_start_matches("- ").trim_start(),
        None => t,
    }
}

struct Excerpt {
    file: String,
    provision: String,
    text: String,
}

fn excerpts(dir: &Path) -> Vec<Excerpt> {
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("law/sources exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    entries.sort();
    for path in entries {
        let file = path.display().to_string();
        let content = std::fs::read_to_string(&path).expect("readable");
        let (head, text) = content
            .split_once("\n---\n")
            .unwrap_or_else(|| panic!("{file}: no `---` line after the header"));
        let field = |key: &str| {
            head.lines()
                .find_map(|l| l.strip_prefix(key))
                .map(|v| v.trim().to_string())
                .unwrap_or_else(|| panic!("{file}: no `{key}` line"))
        };
        field("read at:");
        field("language:");
        out.push(Excerpt {
            provision: field("provision:"),
            file,
            text: text.to_string(),
        });
    }
    out
}

#[test]
fn every_recorded_excerpt_contains_its_provisions_quotation_word_for_word() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../law");
    let compiled = compile(&read_dir(&root).expect("law readable"));
    let kb = compiled.kb.expect("the bundled law compiles");
    let excerpts = excerpts(&root.join("sources"));
    assert!(excerpts.len() >= 10, "only {} excerpts", excerpts.len());
    for e in &excerpts {
        let p = kb
            .provision(&e.provision)
            .map(|i| &kb.provisions[i])
            .unwrap_or_else(|| panic!("{}: no provision `{}`", e.file, e.provision));
        assert_eq!(p.text_kind, TextKind::Quoted, "{}: not a quotation", e.file);
        let quote = p.text.as_deref().expect("a quotation has text");
        let source = normalise(&e.text);
        let mut from = 0;
        for part in normalise(quote).split(['[', ']']).map(str::trim) {
            if part.is_empty() || part == "…" || part == "..." {
                continue;
            }
            let part = if from == 0 {
                without_number(part)
            } else {
                part
            };
            match source[from..].find(part) {
                Some(i) => from += i + part.len(),
                None => panic!(
                    "{}: the quotation of `{}` is not in the excerpt as read:\n  quoted: {part}\n  read:   {}",
                    e.file,
                    e.provision,
                    &source[from..]
                ),
            }
        }
    }
}

#[test]
fn a_changed_word_is_caught() {
    let source = normalise("1. No one shall be held in slavery or servitude.");
    for (quote, found) in [
        ("1. No one shall be held in slavery or servitude.", true),
        ("No one shall be held in slavery or servitude.", true),
        ("1. No one shall be kept in slavery or servitude.", false),
    ] {
        let part = normalise(quote);
        assert_eq!(source.contains(without_number(&part)), found, "{quote}");
    }
}
