//! A case file (YAML or JSON, flat or a timeline) of arbitrary text, read against the bundled
//! law: located errors, never a panic.
#![no_main]

use delimit_law::KnowledgeBase;
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static KB: LazyLock<KnowledgeBase> = LazyLock::new(|| {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../law");
    let files = delimit_law::load::read_dir(&dir).expect("the law folder");
    delimit_law::compile(&files).kb.expect("the law checks")
});

fuzz_target!(|text: &str| {
    let mut sources = delimit_law::Sources::new();
    if let Ok(delimit_case::AnyCase::Timeline(case, _)) =
        delimit_case::read_any(&mut sources, "fuzz.yaml", text, &KB)
    {
        let _ = delimit_case::findings::assess_timeline(&KB, &case, &[], "en");
    }
});
