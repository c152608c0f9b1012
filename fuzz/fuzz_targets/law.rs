//! A law file of arbitrary text, checked alone: diagnostics, never a panic.
#![no_main]

use delimit_law::LawFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let files = [LawFile {
        name: "fuzz.md".into(),
        text: text.into(),
    }];
    let _ = delimit_law::compile(&files);
});
