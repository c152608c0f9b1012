//! The largest law the crate reads, in one place. These are operational settings, not law:
//! they keep a folder of law, a file of it or one expression from taking more memory, time
//! or stack than a small machine has. `docs/limits.md` lists them with every other limit of
//! delimit. [`crate::load::read_dir`] applies the first three while reading, and
//! [`crate::compile`] to files however they were read (`L003`, `L004`, `L005`); the parser
//! applies the last (`P011`).

/// The largest law file, in bytes: 1 MiB. The largest file of the bundled law
/// (`law/international/un-som-protocol.md`) has 31 KB, a thirty-third of it. Every file of
/// 1 MiB written to be slow or large (9,000 chained concepts, 100,000 unknown names, 13,000
/// rules of one concept, one unknown character after another) is checked within a second and
/// 260 MB on a 2-core machine.
pub const MAX_LAW_FILE_BYTES: usize = 1 << 20;

/// The most law files (`*.md`) in one folder, its subfolders included: 1,000. The bundled law
/// has 24.
pub const MAX_LAW_FILES: usize = 1000;

/// The most bytes of law files in one folder, all together: 8 MiB. The bundled law has 259 KB,
/// a thirty-second of it. Eight files of 1 MiB holding 64,000 concepts and rules in all are
/// checked in 0.7 s and 300 MB.
pub const MAX_LAW_BYTES: usize = 8 << 20;

/// The deepest an expression of a rule may nest: 64 levels of parentheses, `not`, `any(…)`
/// and the like, or terms of a sum. Parsing, checking and evaluating an expression each go one
/// call deeper per level, so without a bound a line of 100,000 `(` exhausts the stack. The
/// deepest expression of the bundled law nests 4 levels.
pub const MAX_EXPR_DEPTH: usize = 64;

/// The most diagnostics gathered before the files that remain are left unread: 10,000. A
/// file can give one per character (`L002`), some 500 bytes of memory each: 256 MB for a
/// file of 1 MiB, and eight times that for a folder of such files without this bound. The
/// files read so far are reported whole, and the next is named (`L006`).
pub const MAX_DIAGNOSTICS: usize = 10_000;

/// The most name comparisons that "did you mean" notes may make while one knowledge base is
/// checked: 2,000,000, some tenths of a second. A note compares a misspelt name with every
/// declared one; a file of 100,000 unknown names among 20,000 declared ones would otherwise take
/// minutes. Past the budget the errors are all reported, without the notes. A note on the
/// bundled law compares some 100 names (its facts and concepts): the budget covers 20,000.
pub const MAX_SUGGESTION_COMPARISONS: usize = 2_000_000;

/// The most cases the checker tries, in all, to see whether two exceptions to one rule can
/// hold together (each pair is tried on every assignment of yes and no to the atoms of their
/// conditions, up to 65,536): 20,000,000, a second or two. A few hundred exceptions to one
/// rule, each with a long condition, would otherwise take hours. Past the budget the law is
/// refused (`X002`) at the exception where checking stopped. The bundled law spends none of
/// it: none of its exceptions to one rule give different values under conditions to compare.
pub const MAX_CONFLICT_ASSIGNMENTS: usize = 20_000_000;

/// A number of bytes as people read it: `1 MiB`, `64 KiB`, `300 bytes`.
pub fn size(bytes: usize) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else if bytes >= 1 << 10 && bytes.is_multiple_of(1 << 10) {
        format!("{} KiB", bytes >> 10)
    } else {
        format!("{bytes} bytes")
    }
}
