//! The order in which facts arrive never changes a result: the same facts written in any
//! order (facts, and options within a several-of fact) read to the same case.

use delimit_law::{FactType, KnowledgeBase, Sources};
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

/// One `name: value` line for a fact, from a seed; several-of facts as option mappings whose
/// option order is shuffled by `shuffle`.
fn line(kb: &KnowledgeBase, fact: usize, seed: u64, shuffle: &[usize]) -> String {
    let f = &kb.facts[fact];
    let value = match &f.ty {
        FactType::YesNo => if seed.is_multiple_of(2) { "yes" } else { "no" }.to_string(),
        FactType::Number => format!("{}", seed % 100),
        FactType::Date => format!("20{:02}-0{}-1{}", seed % 25, 1 + seed % 9, seed % 10),
        FactType::OneOf(o) => o[seed as usize % o.len()].clone(),
        FactType::SeveralOf(o) => {
            let mut parts: Vec<String> = (0..o.len())
                .filter(|i| (seed >> i) & 1 == 1)
                .map(|i| {
                    format!(
                        "{}: {}",
                        o[i],
                        if (seed >> (i + 16)) & 1 == 1 {
                            "yes"
                        } else {
                            "no"
                        }
                    )
                })
                .collect();
            let n = parts.len().max(1);
            parts.sort_by_key(|p| shuffle[p.len() % shuffle.len().max(1)] % n);
            format!("{{{}}}", parts.join(", "))
        }
    };
    format!("  {}: {value}\n", f.name)
}

proptest! {
    #[test]
    fn facts_written_in_any_order_read_the_same(
        chosen in prop::collection::vec((any::<bool>(), any::<u64>()), 14),
        order in Just((0..14usize).collect::<Vec<_>>()).prop_shuffle(),
        shuffle in prop::collection::vec(0usize..50, 8),
    ) {
        let kb = kb();
        let n = kb.facts.len().min(chosen.len());
        let given: Vec<usize> = (0..n).filter(|&f| chosen[f].0).collect();
        let in_order: String = given.iter().map(|&f| line(kb, f, chosen[f].1, &[0])).collect();
        let permuted: String = order.iter().filter(|f| given.contains(f)).map(|&f| line(kb, f, chosen[f].1, &shuffle)).collect();
        let read = |text: &str| {
            let mut sources = Sources::new();
            delimit_case::read_case(&mut sources, "case.yaml", &format!("facts:\n{text}"), kb)
                .map_err(|d| delimit_law::render(&sources, &d, false))
        };
        let (a, b) = (read(&in_order), read(&permuted));
        prop_assert!(a.is_ok(), "{:?}\n{}", a.err(), in_order);
        prop_assert_eq!(a.unwrap().facts, b.unwrap().facts);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Whatever a case file holds, reading it gives a case or located errors, never a panic.
    #[test]
    fn random_case_files_never_panic(
        parts in prop::collection::vec(prop_oneof![
            Just("facts:\n".to_string()),
            Just("  act: [recruitment, nonsense]\n".to_string()),
            Just("  means: {deception: maybe}\n".to_string()),
            Just("  birth_date: 2001-13-45\n".to_string()),
            Just("as_of: tomorrow\n".to_string()),
            Just("doctrines: {a: b}\n".to_string()),
            Just("{\"facts\": [1, 2]}\n".to_string()),
            Just("- - -\n".to_string()),
            "[ -~\\n]{0,30}",
        ], 0..8),
    ) {
        let text = parts.concat();
        let mut sources = Sources::new();
        match delimit_case::read_case(&mut sources, "random.yaml", &text, kb()) {
            Ok(_) => {}
            Err(diagnostics) => {
                prop_assert!(!diagnostics.is_empty());
                for d in &diagnostics {
                    prop_assert!(d.span.end <= text.len() + 1, "{d:?} in {text:?}");
                }
                let _ = delimit_law::render(&sources, &diagnostics, false);
            }
        }
    }
}
