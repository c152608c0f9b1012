//! Benchmark support for delimit: a deterministic generator of synthetic flat cases for any
//! knowledge base, a writer of those cases as JSON Lines, the repository's own law loaded
//! for benchmarks, and a hand-written Rust baseline for three of its concepts to measure the
//! engine against.
//!
//! The generator knows the knowledge base only through its declared facts and their types:
//! it must not know any rule, concept or particular fact, so that it works unchanged for
//! whatever law is loaded. The hand-written baseline ([`hand_written`]) is the one exception,
//! and deliberately so: it restates three concepts of the bundled law in plain Rust, only as
//! a yardstick; the `agree` test keeps it in step with the law.
//!
//! Nothing here is part of the engine or of the command line, and nothing there may depend on
//! this crate. The random numbers come from a self-contained SplitMix64, so the same seed
//! gives the same cases on every machine and with every version of every dependency.

use delimit_engine::{FactValue, Facts, Tri, whole_years};
use delimit_law::{ConceptId, FactId, FactType, KnowledgeBase};
use jiff::Span;
use jiff::civil::{Date, date};
use std::io::{self, Write};
use std::path::PathBuf;

/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny, fast generator that is fully determined by
/// its seed. Not for cryptography.
#[derive(Clone, Debug)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0), by multiplying and keeping the high half; the bias is
    /// below 2⁻⁴⁰ for the small ranges used here.
    pub fn below(&mut self, n: u64) -> u64 {
        assert!(n > 0, "below(0)");
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// A number in `[0, 1)` with 53 random bits.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    pub fn coin(&mut self) -> bool {
        self.next_u64() >> 63 == 1
    }
}

/// The first date a generated date fact can take.
pub const FIRST_DATE: Date = date(1950, 1, 1);
/// The last date a generated date fact can take.
pub const LAST_DATE: Date = date(2025, 12, 31);
/// Generated number facts are whole numbers in `0..NUMBER_LIMIT`.
pub const NUMBER_LIMIT: u64 = 10_000;

/// An endless, deterministic stream of synthetic cases for one knowledge base.
///
/// Every fact is set to a random value of its type, or left unknown with probability
/// `unknown_rate`: yes/no facts are a fair coin; one-of facts one option, all equally likely;
/// several-of facts have every option known, each yes or no by a fair coin; dates are uniform
/// from [`FIRST_DATE`] to [`LAST_DATE`]; numbers are whole and uniform in `0..NUMBER_LIMIT`.
/// The stream draws the same number of random numbers for a fact whether or not it is left
/// unknown, so case `i` depends only on the seed, the knowledge base's facts and the rate.
#[derive(Clone, Debug)]
pub struct Cases<'kb> {
    kb: &'kb KnowledgeBase,
    rng: SplitMix64,
    unknown_rate: f64,
    days: u64,
}

/// The stream of cases for `seed`; see [`Cases`].
pub fn cases(kb: &KnowledgeBase, seed: u64, unknown_rate: f64) -> Cases<'_> {
    assert!(
        (0.0..=1.0).contains(&unknown_rate),
        "unknown_rate must be between 0 and 1, got {unknown_rate}"
    );
    let days = FIRST_DATE
        .until(LAST_DATE)
        .expect("the date range is valid")
        .get_days();
    Cases {
        kb,
        rng: SplitMix64::new(seed),
        unknown_rate,
        days: days as u64 + 1,
    }
}

impl Cases<'_> {
    fn value(&mut self, ty: &FactType) -> FactValue {
        let rng = &mut self.rng;
        match ty {
            FactType::YesNo => FactValue::Bool(rng.coin()),
            FactType::OneOf(options) => FactValue::Choice(rng.below(options.len() as u64) as usize),
            FactType::SeveralOf(options) => {
                let mask = if options.len() >= 64 {
                    u64::MAX
                } else {
                    (1u64 << options.len()) - 1
                };
                FactValue::Set {
                    known: mask,
                    value: rng.next_u64() & mask,
                }
            }
            FactType::Date => {
                let offset = rng.below(self.days) as i64;
                let day = FIRST_DATE
                    .checked_add(Span::new().days(offset))
                    .expect("inside the date range");
                FactValue::Date(day)
            }
            FactType::Number => FactValue::Number(rng.below(NUMBER_LIMIT) as f64),
        }
    }
}

impl Iterator for Cases<'_> {
    type Item = Facts;

    fn next(&mut self) -> Option<Facts> {
        let kb = self.kb;
        let mut facts = Facts::unknown(kb);
        for (id, fact) in kb.facts.iter().enumerate() {
            // Always draw both, so the stream does not depend on which facts were left out.
            let unknown = self.rng.unit() < self.unknown_rate;
            let value = self.value(&fact.ty);
            if !unknown {
                facts.set(id, value);
            }
        }
        Some(facts)
    }
}

/// `n` synthetic cases for `kb`: the first `n` of [`cases`]`(kb, seed, unknown_rate)`.
pub fn generate(kb: &KnowledgeBase, n: usize, seed: u64, unknown_rate: f64) -> Vec<Facts> {
    cases(kb, seed, unknown_rate).take(n).collect()
}

/// Writes one case as a line of JSON, `{"id":…,"facts":{…}}`, with the values as a case file
/// writes them: yes/no as `true`/`false`, one-of as the option's name, several-of as a mapping
/// of each known option to `true`/`false`, dates as `"YYYY-MM-DD"`, numbers as numbers.
/// Unknown facts are left out.
pub fn write_json_line(
    w: &mut impl Write,
    kb: &KnowledgeBase,
    id: u64,
    facts: &Facts,
) -> io::Result<()> {
    write!(w, "{{\"id\":{id},\"facts\":{{")?;
    let mut first = true;
    for (f, fact) in kb.facts.iter().enumerate() {
        let Some(value) = facts.get(f) else { continue };
        if !first {
            w.write_all(b",")?;
        }
        first = false;
        serde_json::to_writer(&mut *w, &fact.name)?;
        w.write_all(b":")?;
        match value {
            FactValue::Bool(b) => write!(w, "{b}")?,
            FactValue::Choice(i) => serde_json::to_writer(&mut *w, &fact.ty.options()[i])?,
            FactValue::Set { known, value } => {
                w.write_all(b"{")?;
                let mut first_option = true;
                for (i, option) in fact.ty.options().iter().enumerate().take(64) {
                    if known & (1 << i) == 0 {
                        continue;
                    }
                    if !first_option {
                        w.write_all(b",")?;
                    }
                    first_option = false;
                    serde_json::to_writer(&mut *w, option)?;
                    write!(w, ":{}", value & (1 << i) != 0)?;
                }
                w.write_all(b"}")?;
            }
            FactValue::Number(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => {
                write!(w, "{}", x as i64)?
            }
            FactValue::Number(x) => serde_json::to_writer(&mut *w, &x)?,
            FactValue::Date(d) => write!(w, "\"{d}\"")?,
        }
    }
    w.write_all(b"}}\n")
}

/// The repository's `law/` folder.
pub fn bundled_law_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../law"))
}

/// Compiles the repository's `law/` folder. For benchmarks and tests only: panics, with the
/// rendered diagnostics, if the folder cannot be read or the law does not check.
pub fn load_bundled_law() -> KnowledgeBase {
    let dir = bundled_law_dir();
    let files = delimit_law::load::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    let compiled = delimit_law::compile(&files);
    match compiled.kb {
        Some(kb) => kb,
        None => panic!(
            "the law in {} does not check:\n{}",
            dir.display(),
            delimit_law::render(&compiled.sources, &compiled.diagnostics, false)
        ),
    }
}

/// The concepts [`hand_written`] computes, in the order of its result.
pub const HAND_CONCEPTS: [&str; 3] = [
    "trafficking_in_persons",
    "smuggling_of_migrants",
    "illegal_entry",
];

/// The facts [`hand_written`] reads, resolved once by name, and the concepts it computes.
#[derive(Clone, Debug)]
pub struct HandIds {
    /// The concepts of [`HAND_CONCEPTS`], in that order.
    pub concepts: [ConceptId; 3],
    act: SetFact,
    means: SetFact,
    purpose: SetFact,
    /// The purpose beyond the Protocol's minimum list: it alone leaves the purpose open.
    other_exploitation: usize,
    birth_date: FactId,
    date_of_act: FactId,
    entry_procured_by_another: FactId,
    benefit_sought: FactId,
    person_is_national: FactId,
    person_is_permanent_resident: FactId,
    crossed_border: FactId,
    entry_met_requirements: FactId,
}

/// A several-of fact and how many options it has.
#[derive(Clone, Copy, Debug)]
struct SetFact {
    id: FactId,
    options: usize,
}

impl HandIds {
    /// Resolves the names. Panics if the knowledge base lacks one of them.
    pub fn new(kb: &KnowledgeBase) -> HandIds {
        let fact = |name: &str| {
            kb.fact(name)
                .unwrap_or_else(|| panic!("the knowledge base has no fact `{name}`"))
        };
        let set = |name: &str| {
            let id = fact(name);
            SetFact {
                id,
                options: kb.facts[id].ty.options().len(),
            }
        };
        let concept = |name: &str| {
            kb.concept(name)
                .unwrap_or_else(|| panic!("the knowledge base has no concept `{name}`"))
        };
        HandIds {
            concepts: HAND_CONCEPTS.map(concept),
            act: set("act"),
            means: set("means"),
            purpose: set("purpose"),
            other_exploitation: kb.facts[fact("purpose")]
                .ty
                .options()
                .iter()
                .position(|o| o == "other_exploitation")
                .expect("the purpose fact has the option `other_exploitation`"),
            birth_date: fact("birth_date"),
            date_of_act: fact("date_of_act"),
            entry_procured_by_another: fact("entry_procured_by_another"),
            benefit_sought: fact("benefit_sought"),
            person_is_national: fact("person_is_national"),
            person_is_permanent_resident: fact("person_is_permanent_resident"),
            crossed_border: fact("crossed_border"),
            entry_met_requirements: fact("entry_met_requirements"),
        }
    }
}

fn yes_no(facts: &Facts, f: FactId) -> Tri {
    match facts.get(f) {
        Some(FactValue::Bool(b)) => Tri::from_bool(b),
        _ => Tri::Unknown,
    }
}

fn has(facts: &Facts, f: FactId, option: usize) -> Tri {
    match facts.get(f) {
        Some(FactValue::Set { known, value }) if known & (1 << option) != 0 => {
            Tri::from_bool(value & (1 << option) != 0)
        }
        _ => Tri::Unknown,
    }
}

/// `any(fact)`: one of the options holds.
fn any(facts: &Facts, set: SetFact) -> Tri {
    (0..set.options).fold(Tri::False, |acc, i| acc.or(has(facts, set.id, i)))
}

fn day(facts: &Facts, f: FactId) -> Option<Date> {
    match facts.get(f) {
        Some(FactValue::Date(d)) => Some(d),
        _ => None,
    }
}

/// The three concepts of [`HAND_CONCEPTS`], in that order, written out by hand in Kleene's
/// logic from `law/international/*.md` as in force on 2024-06-01, with no doctrine chosen:
///
/// - `trafficking_in_persons` (UN TIP Protocol art. 3(a), (c), (d)): an act, a means and an
///   exploitation purpose (a purpose outside the minimum list alone leaves it open); when the person was a child (under 18 on the date of the act), an
///   act and a purpose suffice. As in the engine, when it is undetermined whether the person
///   was a child, the value is the one both ways give if they agree, else undetermined.
/// - `smuggling_of_migrants` (UN SoM Protocol art. 3(a)): entry procured by another, for a
///   benefit, illegal, of a person neither national nor permanent resident.
/// - `illegal_entry` (art. 3(b)): the border was crossed without meeting the requirements.
pub fn hand_written(facts: &Facts, ids: &HandIds) -> [Tri; 3] {
    let act = any(facts, ids.act);
    let means = any(facts, ids.means);
    let listed = (0..ids.purpose.options)
        .filter(|&i| i != ids.other_exploitation)
        .fold(Tri::False, |acc, i| acc.or(has(facts, ids.purpose.id, i)));
    let purpose = listed.or(has(facts, ids.purpose.id, ids.other_exploitation).and(Tri::Unknown));
    let child = match (day(facts, ids.birth_date), day(facts, ids.date_of_act)) {
        (Some(birth), Some(on)) => Tri::from_bool(whole_years(birth, on) < 18),
        _ => Tri::Unknown,
    };
    let adult = act.and(means).and(purpose);
    let as_child = act.and(purpose);
    let trafficking = match child {
        Tri::True => as_child,
        Tri::False => adult,
        Tri::Unknown if as_child == adult => adult,
        Tri::Unknown => Tri::Unknown,
    };

    let illegal_entry =
        yes_no(facts, ids.crossed_border).and(yes_no(facts, ids.entry_met_requirements).not());
    let smuggling = yes_no(facts, ids.entry_procured_by_another)
        .and(yes_no(facts, ids.benefit_sought))
        .and(illegal_entry)
        .and(yes_no(facts, ids.person_is_national).not())
        .and(yes_no(facts, ids.person_is_permanent_resident).not());

    [trafficking, smuggling, illegal_entry]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_matches_the_reference() {
        // The first outputs of the reference implementation for seed 0.
        let mut rng = SplitMix64::new(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        assert_eq!(rng.next_u64(), 0x06C4_5D18_8009_454F);
    }

    #[test]
    fn draws_stay_in_range() {
        let mut rng = SplitMix64::new(7);
        for n in [1, 2, 5, 9, 10_000] {
            for _ in 0..1000 {
                assert!(rng.below(n) < n);
            }
        }
        for _ in 0..1000 {
            let x = rng.unit();
            assert!((0.0..1.0).contains(&x));
        }
    }
}
