//! A case as the HTTP API and imports receive it (JSON, read by the registry): as text, and,
//! when the text is JSON, as the API reads a request's parsed body. A case or a structured
//! error, never a panic; a case that reads is assessed and stored in short, and the two ways
//! of reading agree.
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
    let from_text = delimit_registry::parse_case(&KB, text);
    if let Ok(case) = &from_text {
        let _ = delimit_registry::assess(&KB, case, &[], None);
    }
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(text) {
        let from_value = delimit_registry::parse_case_value(&KB, &value);
        // The size limit is measured on different texts (as sent, and written compactly), so
        // only cases within both are compared.
        if text.len() <= delimit_case::limits::MAX_CASE_BYTES / 2
            && let (Ok(a), Ok(b)) = (&from_text, &from_value)
        {
            assert_eq!(a, b, "the text and the parsed body read as different cases");
        }
    }
});
