//! A case as the HTTP API and imports receive it (JSON, read by the registry): a case or a
//! structured error, never a panic; a case that reads is assessed and stored in short.
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
    if let Ok(case) = delimit_registry::parse_case(&KB, text) {
        let _ = delimit_registry::assess(&KB, &case, &[], None);
    }
});
