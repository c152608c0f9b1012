//! HTCDS 2.0 CSV of arbitrary text: imported cases or an error with the row, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok((cases, _)) = delimit_case::htcds::from_htcds(text) {
        for case in &cases {
            let _ = delimit_case::read_timeline::problems(case);
            let _ = delimit_case::htcds::to_htcds(case);
        }
    }
});
