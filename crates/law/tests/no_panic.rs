//! Whatever a law file holds, the checker answers with diagnostics, never a panic.

use delimit_law::{LawFile, compile};
use proptest::prelude::*;

/// Pieces of the language, so that random files get far into the parser and checker.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("```delimit\n".to_string()),
        Just("```\n".to_string()),
        Just("```instrument\nid: i\ntitle: T\njurisdiction: j\nkind: k\nstatus: verified\nsource: s\n```\n".to_string()),
        Just("```provision\nid: i/1\narticle: 1\nlabel: l\nstatus: seed\nsource: s\n```\n> text\n".to_string()),
        Just("fact a: yes/no\n  question en \"A?\"\n".to_string()),
        Just("fact s: several of {x, y}\n".to_string()),
        Just("concept c\n  label en \"C\"\n".to_string()),
        Just("rule r: c = a and not s has x\n  cites i/1\n  from 2000-01-01\n".to_string()),
        Just("exception e to r: c = no\n  when a\n  cites i/1\n  from 2000-01-01\n  until 1999-01-01\n".to_string()),
        Just("rule r: c = at least 3 of (a, any(s), age(a, 2000-02-30) < 1)\n".to_string()),
        Just("doctrine d\n  cites nowhere\n".to_string()),
        Just("  over r\n  under d\n".to_string()),
        "[ -~\\n\u{430}-\u{44f}]{0,40}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn random_law_files_never_panic(parts in prop::collection::vec(fragment(), 0..12), raw in "\\PC{0,200}") {
        let text: String = parts.concat() + &raw;
        let compiled = compile(&[LawFile { name: "random.md".into(), text }]);
        // Every diagnostic points inside its file.
        for d in &compiled.diagnostics {
            let len = compiled.sources.text(d.span.file).len();
            prop_assert!(d.span.start <= d.span.end && d.span.end <= len, "{d:?}");
        }
        let _ = delimit_law::render(&compiled.sources, &compiled.diagnostics, false);
    }
}
