//! The largest case read, in one place. These are operational settings, not law: they keep one
//! case from taking more memory or time than a small machine has, wherever it comes from (a
//! file, an HTTP request, a line of an import). `docs/limits.md` lists them with every other
//! limit of delimit. Each is refused with a located diagnostic: `F011` (bytes), `F012`
//! (nesting), `F013` (facts of a flat case), `T113` (persons, actors, events, references and
//! facts of a journey); [`read_timeline::problems`](crate::read_timeline::problems) reports
//! `T113` for a journey read any other way.
//!
//! What a journey costs to qualify grows with its persons, the states they cross, its actors
//! and its events together: each actor's conduct is judged towards each person relative to
//! each state, over the events. Measured on a 2-core machine, the largest journeys these
//! limits let through (64 persons, 64 actors, 512 events, 4,096 references, across up to 180
//! states) are qualified in at most 1.8 s and 330 MB; without them, a journey of 500 KB took
//! 196 s and 3.5 GB.
//!
//! The ranges of values at the end are of another kind: sanity bounds on the dates, ages and
//! amounts a case gives, so that a slip or a value written to break arithmetic is refused
//! where it was written.

use jiff::civil::Date;

/// The largest case, in bytes of YAML or JSON: 1 MiB, as the HTTP API's largest request. The
/// largest bundled example (`examples/brick-kiln-journey.yaml`) has 2.4 KB, a four-hundredth of
/// it; the registry's synthetic journeys are under 2 KB each.
pub const MAX_CASE_BYTES: usize = 1 << 20;

/// How deep lists and mappings may nest in a case: 127 levels, as deep as serde_json reads JSON
/// (its recursion limit of 128 refuses the 128th level), so that a case gets the same answer
/// read either way: by the located reader, by the registry's JSON path, in an import. Reading,
/// converting and dropping a document each go one call deeper per level: a line of 100,000
/// `- ` used to exhaust the stack. The bundled examples nest 4 levels; the scenarios, which
/// hold a journey under a key, 6.
pub const MAX_CASE_DEPTH: usize = 127;

/// The most facts one case gives: 1,024, in the `facts` of a flat case, or in the `facts` of
/// all the persons and events of a journey together. The bundled law has 58 facts; the most
/// any bundled flat case or scenario gives is 19, any journey 5.
pub const MAX_FACTS: usize = 1024;

/// The most persons in one journey: 64. The bundled cases and scenarios have at most 2. A
/// larger group is told as several cases (the registry counts persons across cases).
pub const MAX_PERSONS: usize = 64;

/// The most actors in one journey: 64. The bundled cases and scenarios have at most 2.
pub const MAX_ACTORS: usize = 64;

/// The most events in one journey: 512. The bundled cases and scenarios have at most 10.
pub const MAX_EVENTS: usize = 512;

/// The most references from a journey's events to its persons and actors (each name in an
/// event's `persons` and `actors`) and from its actors to persons (`relations`), all together:
/// 4,096. The bundled journey of the brick kiln has 19. Qualifying costs most where many
/// actors meet many persons in many events; within the counts above, this bounds it.
pub const MAX_REFERENCES: usize = 4096;

/// The largest HTCDS file read (`delimit exchange from-htcds`, HTCDS imports), in bytes:
/// 64 MiB, as the HTTP API's largest import. The rows are held as journeys until the whole file
/// is checked: the 93,000 cases of a file of 64 MiB are imported in 17 s and 990 MB on a 2-core
/// machine.
pub const MAX_HTCDS_BYTES: usize = 64 << 20;

/// The largest row of an HTCDS file, in bytes of its cells together: 256 KiB. A person's row
/// with 512 events (the most a case has) takes some 20 to 40 KB; the person's row of the
/// bundled brick-kiln journey, 600 bytes. Reading a row splits its cells into lists, which a
/// row of separators alone would make some ten times its size.
pub const MAX_HTCDS_ROW_BYTES: usize = 256 << 10;

/// The diagnostic codes of these limits, for callers that sort errors (the registry answers
/// them as `case.too_large`).
pub const CODES: &[&str] = &["F011", "F012", "F013", "T113"];

// ---------------------------------------------------------------------------------------
// Ranges of values

// Plain sanity bounds on what a case may say, not law: no legal age or amount is decided
// here (those are in the law's rules, as data). A value outside them is a slip of the keyboard
// or a value written to break arithmetic (a year 0, an age of 200, an amount of 1e308),
// refused where it was written: `F015` in a flat case, `T114` in a journey, the row and column
// in an HTCDS file.

/// The earliest date a case may give: 1900-01-01. The oldest person alive was born after it;
/// the earliest date of the bundled cases and scenarios is an `as_of` of 1927-03-08 (the law
/// as the Slavery Convention stood).
pub const EARLIEST_DATE: Date = jiff::civil::date(1900, 1, 1);

/// The latest date a case may give: 2100-12-31. An `as_of` looks forward a few years at most
/// (a reform not yet in force); the latest date of the bundled cases and scenarios is of 2024.
pub const LATEST_DATE: Date = jiff::civil::date(2100, 12, 31);

/// The oldest age a case may give, in whole years: 130, above the oldest age ever recorded
/// (122). The youngest is 0.
pub const MAX_AGE_YEARS: u8 = 130;

/// The largest amount or number a case may give: 10^12 (a million million US dollars, or of
/// anything counted). Amounts and numbers are finite and not negative: every number a case
/// gives (`amount_usd` of a payment or a debt, a fact of the law that is a number) is an
/// amount or a count. Ten to the twelfth is far above any real payment and well within what
/// a double holds exactly (2^53), so that sums and comparisons of the rules stay exact.
pub const MAX_AMOUNT: f64 = 1e12;

/// The dates a case may give, for messages.
pub const DATE_RANGE: &str = "1900-01-01 to 2100-12-31";

/// The amounts and numbers a case may give, for messages.
pub const AMOUNT_RANGE: &str = "0 to 10^12";

/// Whether a date lies from [`EARLIEST_DATE`] to [`LATEST_DATE`].
pub fn date_within(d: Date) -> bool {
    (EARLIEST_DATE..=LATEST_DATE).contains(&d)
}

/// Whether a year of birth lies within the years of [`EARLIEST_DATE`] and [`LATEST_DATE`].
pub fn year_within(year: i16) -> bool {
    (EARLIEST_DATE.year()..=LATEST_DATE.year()).contains(&year)
}

/// Whether an age in whole years is from 0 to [`MAX_AGE_YEARS`].
pub fn age_within(years: u8) -> bool {
    years <= MAX_AGE_YEARS
}

/// Whether an amount or a number is finite, not negative and at most [`MAX_AMOUNT`].
pub fn amount_within(x: f64) -> bool {
    x.is_finite() && (0.0..=MAX_AMOUNT).contains(&x)
}

/// A number as a message writes it: plainly, or in exponent form when very large or small
/// (`1e308`, not 309 digits).
pub fn number_text(x: f64) -> String {
    if x != 0.0 && x.is_finite() && !(1e-6..1e15).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}
