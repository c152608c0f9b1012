//! The per-case work of the registry and the server, side by side in one run: reading a case
//! sent as JSON, assessing a journey (what `POST /api/classify` and requalification do per
//! case), and what an assessment stores.
//!
//! Run with `cargo bench -p delimit-bench --bench registry`.

use delimit_bench::load_bundled_law;
use delimit_case::findings::assess_timeline;
use delimit_case::timeline::TimelineCase;
use delimit_law::KnowledgeBase;
use divan::{Bencher, black_box};
use std::sync::LazyLock;

fn main() {
    divan::main();
}

static KB: LazyLock<KnowledgeBase> = LazyLock::new(load_bundled_law);

static JOURNEY: LazyLock<TimelineCase> =
    LazyLock::new(|| delimit_registry::synthetic::journey(7).expect("a synthetic journey"));

static EXAMPLE: LazyLock<String> = LazyLock::new(|| {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../bench/classify-body.json"
    );
    let body: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("body")).expect("json");
    serde_json::to_string(&body["case"]).expect("json")
});

#[divan::bench]
fn read_case_json_with_locations(b: Bencher) {
    b.bench(|| delimit_registry::parse_case(&KB, black_box(&EXAMPLE)).expect("reads"));
}

#[divan::bench]
fn read_case_json_serde(b: Bencher) {
    b.bench(|| serde_json::from_str::<TimelineCase>(black_box(&EXAMPLE)).expect("reads"));
}

#[divan::bench]
fn assess_journey(b: Bencher) {
    b.bench(|| assess_timeline(&KB, black_box(&JOURNEY), &[], "en"));
}

#[divan::bench]
fn assess_example_journey(b: Bencher) {
    let case = delimit_registry::parse_case(&KB, &EXAMPLE).expect("reads");
    b.bench(|| assess_timeline(&KB, black_box(&case), &[], "en"));
}

#[divan::bench]
fn qualification_stored(b: Bencher) {
    b.bench(|| delimit_registry::assess(&KB, black_box(&JOURNEY), &[], None));
}

/// What requalification and the server do: plans shared across cases of one reading.
#[divan::bench]
fn assess_journey_shared_plans(b: Bencher) {
    let plans = delimit_case::findings::PlanCache::new(&KB, &[]);
    b.bench(|| delimit_case::findings::assess_timeline_with(&plans, black_box(&JOURNEY), "en"));
}

#[divan::bench]
fn qualification_stored_shared_plans(b: Bencher) {
    let plans = delimit_case::findings::PlanCache::new(&KB, &[]);
    b.bench(|| delimit_registry::assess_with(&plans, black_box(&JOURNEY), None));
}
