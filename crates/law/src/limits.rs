//! The largest law the crate reads, in one place. These are operational settings, not law:
//! they keep a folder of law, a file of it or one expression from taking more memory, time
//! or stack than a small machine has. `docs/limits.md` lists them with every other limit of
//! delimit. [`crate::load::read_dir`] applies the first three while reading, and
//! [`crate::compile`] to files however they were read (`L003`, `L004`, `L005`); the parser
//! applies the last (`P011`).

/// The largest law file, in bytes: 1 MiB. The largest file of the bundled law
/// (`law/international/un-som-protocol.md`) has 31 KB, a thirty-third of it. A file of 1 MiB
/// is checked in about a second and some 80 MB on a 2-core machine, however it is written.
pub const MAX_LAW_FILE_BYTES: usize = 1 << 20;

/// The most law files (`*.md`) in one folder, its subfolders included: 1,000. The bundled law
/// has 24.
pub const MAX_LAW_FILES: usize = 1000;

/// The most bytes of law files in one folder, all together: 8 MiB. The bundled law has 259 KB,
/// a thirtieth of it. Checking takes some 60 bytes of memory per byte of law, so a folder at
/// this limit is checked within about half a GiB.
pub const MAX_LAW_BYTES: usize = 8 << 20;

/// The deepest an expression of a rule may nest: 64 levels of parentheses, `not`, `any(…)`
/// and the like, or terms of a sum. Parsing, checking and evaluating an expression each go one
/// call deeper per level, so without a bound a line of 100,000 `(` exhausts the stack. The
/// deepest expression of the bundled law nests 4 levels.
pub const MAX_EXPR_DEPTH: usize = 64;

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
