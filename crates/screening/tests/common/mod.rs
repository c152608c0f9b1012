//! What the screening tests share: the law and the indicator lists of this checkout.

#![allow(dead_code)] // each test file uses part of it

use delimit_law::KnowledgeBase;
use delimit_screening::indicators::{Indicators, check_links, read};
use std::path::Path;
use std::sync::OnceLock;

/// The law under `law/`, checked.
pub fn kb() -> &'static KnowledgeBase {
    static KB: OnceLock<KnowledgeBase> = OnceLock::new();
    KB.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../law");
        delimit_law::compile(&delimit_law::load::read_dir(&dir).expect("law"))
            .kb
            .expect("law checks")
    })
}

/// The indicator lists under `screening/`, read without a diagnostic.
pub fn lists() -> &'static Indicators {
    static LISTS: OnceLock<Indicators> = OnceLock::new();
    LISTS.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../screening");
        let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
            .expect("screening folder")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .map(|p| {
                let name = p
                    .file_name()
                    .expect("a file")
                    .to_string_lossy()
                    .into_owned();
                (name, std::fs::read_to_string(&p).expect("readable"))
            })
            .collect();
        files.sort();
        let (indicators, sources, mut diagnostics) = read(&files);
        diagnostics.extend(check_links(&indicators, kb()));
        assert!(
            diagnostics.is_empty(),
            "{}",
            delimit_law::render(&sources, &diagnostics, false)
        );
        indicators
    })
}
