//! The engine and the checker, side by side in one run:
//!
//! - one case: the full assessment (explanations and deciding facts) and the values alone;
//! - a batch of 100,000 cases: the engine against the hand-written baseline;
//! - checking the whole `law/` folder, with and without reading it from disk;
//! - the interview's next-question step, at its start and halfway through.
//!
//! Run with `cargo bench -p delimit-bench`. Inputs are generated once, outside the timing.

use delimit_bench::{HandIds, bundled_law_dir, generate, hand_written, load_bundled_law};
use delimit_engine::{AssessOptions, Facts, Plan, Query, Tri};
use delimit_law::{KnowledgeBase, LawFile};
use divan::counter::ItemsCount;
use divan::{Bencher, black_box};
use jiff::civil::date;
use std::sync::LazyLock;

fn main() {
    divan::main();
}

const SEED: u64 = 2024;
const BATCH: usize = 100_000;

static KB: LazyLock<KnowledgeBase> = LazyLock::new(load_bundled_law);

static PLAN: LazyLock<Plan<'static>> = LazyLock::new(|| {
    let query = Query {
        as_of: date(2024, 6, 1),
        doctrines: vec![],
    };
    Plan::new(&KB, query).expect("no doctrines, no conflict")
});

/// The plan restricted to the three concepts the hand-written function computes.
static PLAN_THREE: LazyLock<Plan<'static>> = LazyLock::new(|| {
    let three: Vec<usize> = [
        "trafficking_in_persons",
        "smuggling_of_migrants",
        "illegal_entry",
    ]
    .iter()
    .map(|name| KB.concept(name).expect("concept in the law"))
    .collect();
    PLAN.clone().only(&three)
});

/// One fixed case with 30% of its facts unknown.
static ONE_CASE: LazyLock<Facts> = LazyLock::new(|| generate(&KB, 1, SEED, 0.3).remove(0));

/// 100,000 cases with 5% of their facts unknown.
static CASES: LazyLock<Vec<Facts>> = LazyLock::new(|| generate(&KB, BATCH, SEED, 0.05));

static LAW_FILES: LazyLock<Vec<LawFile>> = LazyLock::new(|| {
    delimit_law::load::read_dir(&bundled_law_dir()).expect("the law folder can be read")
});

// Single cases take microseconds or less: many iterations per sample, timed together.
#[divan::bench(sample_count = 300, sample_size = 10)]
fn assess_one_case(bencher: Bencher) {
    let (plan, facts) = (&*PLAN, &*ONE_CASE);
    let options = AssessOptions::default();
    bencher.bench(|| plan.assess(Some("x"), black_box(facts), &options));
}

#[divan::bench(sample_count = 300, sample_size = 10)]
fn assess_one_case_without_explanations(bencher: Bencher) {
    let (plan, facts) = (&*PLAN, &*ONE_CASE);
    let options = AssessOptions {
        explain: false,
        ..AssessOptions::default()
    };
    bencher.bench(|| plan.assess(Some("x"), black_box(facts), &options));
}

#[divan::bench(sample_count = 300, sample_size = 100)]
fn deciding_facts_one_case(bencher: Bencher) {
    let (plan, facts) = (&*PLAN, &*ONE_CASE);
    bencher.bench(|| {
        let values = plan.evaluate(black_box(facts));
        plan.open_facts(facts, &values)
    });
}

#[divan::bench(sample_count = 200, sample_size = 1000)]
fn evaluate_one_case(bencher: Bencher) {
    let (plan, facts) = (&*PLAN, &*ONE_CASE);
    bencher.bench(|| plan.evaluate(black_box(facts)));
}

// A batch takes milliseconds: one iteration per sample; outputs are dropped outside the timing.
#[divan::bench(sample_count = 30, sample_size = 1)]
fn batch_engine(bencher: Bencher) {
    let (plan, cases) = (&*PLAN_THREE, &*CASES);
    bencher
        .counter(ItemsCount::new(cases.len()))
        .bench(|| plan.evaluate_batch(black_box(cases)));
}

// The same cases through every concept of the law, for scale.
#[divan::bench(sample_count = 30, sample_size = 1)]
fn batch_engine_all_concepts(bencher: Bencher) {
    let (plan, cases) = (&*PLAN, &*CASES);
    bencher
        .counter(ItemsCount::new(cases.len()))
        .bench(|| plan.evaluate_batch(black_box(cases)));
}

#[divan::bench(sample_count = 30, sample_size = 1)]
fn batch_hand_written(bencher: Bencher) {
    let cases = &*CASES;
    let ids = HandIds::new(&KB);
    bencher.counter(ItemsCount::new(cases.len())).bench(|| {
        black_box(cases)
            .iter()
            .map(|facts| hand_written(facts, &ids))
            .collect::<Vec<[Tri; 3]>>()
    });
}

#[divan::bench(sample_count = 100)]
fn check_law(bencher: Bencher) {
    let files = &*LAW_FILES;
    bencher.bench(|| delimit_law::compile(black_box(files)));
}

#[divan::bench(sample_count = 100)]
fn check_law_with_read(bencher: Bencher) {
    let dir = bundled_law_dir();
    bencher.bench(|| {
        let files =
            delimit_law::load::read_dir(black_box(&dir)).expect("the law folder can be read");
        delimit_law::compile(&files)
    });
}

/// An interview with consent given and the first `answered` questions answered from the fixed
/// case, in the order the interview asks them ("don't know" where the case is silent).
fn interview_after(answered: usize) -> delimit_screening::Interview<'static> {
    use delimit_screening::{Interview, Next, Reply};
    let mut interview = Interview::new(PLAN.clone());
    interview.consent(true);
    for _ in 0..answered {
        let Next::Ask(f) = interview.next() else {
            break;
        };
        interview.answer(f, ONE_CASE.get(f).map_or(Reply::DontKnow, Reply::Value));
    }
    interview
}

/// The step between two questions: which question decides most of what is still open.
#[divan::bench(args = [0, 15], sample_count = 100, sample_size = 5)]
fn interview_next_question(bencher: Bencher, answered: usize) {
    let interview = interview_after(answered);
    bencher.bench_local(|| black_box(interview.next()));
}

/// What the panel beside each question shows: what is established and what is open.
#[divan::bench(args = [0, 15], sample_count = 100, sample_size = 5)]
fn interview_standing(bencher: Bencher, answered: usize) {
    let interview = interview_after(answered);
    bencher.bench_local(|| black_box(interview.standing()));
}
