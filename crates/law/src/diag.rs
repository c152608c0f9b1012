//! Source files and located diagnostics, rendered with a caret under the source.

use codespan_reporting::diagnostic as cr;
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term;
use std::fmt;
use std::sync::OnceLock;

/// Index of a file in [`Sources`].
pub type FileId = usize;

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub file: FileId,
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        Span { file, start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// Every file read, kept so that diagnostics can quote the source.
#[derive(Default)]
pub struct Sources {
    files: SimpleFiles<String, String>,
    names: Vec<String>,
    /// Per file, where its lines and characters start; built when first asked for.
    index: Vec<OnceLock<Index>>,
}

impl Sources {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        let name = name.into();
        self.names.push(name.clone());
        self.index.push(OnceLock::new());
        self.files.add(name, text.into())
    }

    pub fn name(&self, file: FileId) -> &str {
        &self.names[file]
    }

    pub fn text(&self, file: FileId) -> &str {
        self.files
            .get(file)
            .map(|f| f.source().as_str())
            .unwrap_or("")
    }

    pub fn slice(&self, span: Span) -> &str {
        self.text(span.file).get(span.start..span.end).unwrap_or("")
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    fn index(&self, file: FileId) -> Option<&Index> {
        let cell = self.index.get(file)?;
        Some(cell.get_or_init(|| Index::new(self.text(file))))
    }

    /// One-based line and column of a byte offset (column counted in characters).
    pub fn line_col(&self, file: FileId, offset: usize) -> (usize, usize) {
        let text = self.text(file);
        let Some(index) = self.index(file) else {
            return (1, 1);
        };
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = index.line_of(offset);
        let start = index.lines[line];
        let col = index.char_at(text, offset) - index.char_at(text, start) + 1;
        (line + 1, col)
    }

    /// Byte offset of a one-based line and zero-based character column.
    pub fn offset_of(&self, file: FileId, line: usize, col: usize) -> usize {
        let text = self.text(file);
        let Some(index) = self.index(file) else {
            return 0;
        };
        let Some(&start) = index.lines.get(line.saturating_sub(1)) else {
            return text.len();
        };
        match index.byte_of(text, index.char_at(text, start) + col) {
            Some(at) => at,
            // Past the end of the text: the end of the line.
            None => index.line_end(line.saturating_sub(1), text.len()),
        }
    }

    /// Bytes of the whole lines a span touches.
    fn lines_bytes(&self, span: Span) -> usize {
        let text = self.text(span.file);
        let Some(index) = self.index(span.file) else {
            return 0;
        };
        let first = index.line_of(span.start.min(text.len()));
        let last = index.line_of(span.end.min(text.len()));
        index.line_end(last, text.len()) - index.lines[first]
    }
}

/// Where the lines and the characters of one text start, so that a location is found without
/// reading the text from its beginning each time: a case or a law file with many values or
/// many diagnostics would otherwise take time in the square of its size.
struct Index {
    /// Byte offset of the start of each line.
    lines: Vec<usize>,
    /// Characters before each block of [`BLOCK`] bytes, then the characters of the whole text.
    chars: Vec<usize>,
}

const BLOCK: usize = 256;

fn starts_char(b: u8) -> bool {
    (b as i8) >= -0x40
}

impl Index {
    fn new(text: &str) -> Index {
        let bytes = text.as_bytes();
        let mut lines = vec![0];
        lines.extend(
            bytes
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i + 1),
        );
        let mut chars = Vec::with_capacity(bytes.len() / BLOCK + 2);
        let mut n = 0;
        for block in bytes.chunks(BLOCK) {
            chars.push(n);
            n += block.iter().filter(|b| starts_char(**b)).count();
        }
        chars.push(n);
        Index { lines, chars }
    }

    /// The zero-based line holding byte `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.lines.partition_point(|&s| s <= offset) - 1
    }

    /// Where zero-based line `line` ends (its `\n`, or the end of the text).
    fn line_end(&self, line: usize, len: usize) -> usize {
        self.lines.get(line + 1).map(|s| s - 1).unwrap_or(len)
    }

    /// Characters before byte `offset`, a character boundary.
    fn char_at(&self, text: &str, offset: usize) -> usize {
        let block = offset / BLOCK;
        self.chars[block]
            + text.as_bytes()[block * BLOCK..offset]
                .iter()
                .filter(|b| starts_char(**b))
                .count()
    }

    /// Byte offset of zero-based character `c`, or `None` past the end of the text.
    fn byte_of(&self, text: &str, c: usize) -> Option<usize> {
        if c >= *self.chars.last()? {
            return None;
        }
        let block = self.chars.partition_point(|&n| n <= c) - 1;
        let start = block * BLOCK;
        let mut n = self.chars[block];
        for (i, b) in text.as_bytes()[start..].iter().enumerate() {
            if starts_char(*b) {
                if n == c {
                    return Some(start + i);
                }
                n += 1;
            }
        }
        None
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// A problem found in a source file: a stable code, a message, where, and why.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub span: Span,
    pub label: String,
    pub secondary: Vec<(Span, String)>,
    pub notes: Vec<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            span,
            label: String::new(),
            secondary: Vec::new(),
            notes: Vec::new(),
        }
    }

    pub fn warning(code: &'static str, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Self::error(code, span, message)
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    pub fn with_secondary(mut self, span: Span, label: impl Into<String>) -> Self {
        self.secondary.push((span, label.into()));
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    fn to_codespan(&self) -> cr::Diagnostic<FileId> {
        let base = self.base();
        let mut labels = vec![
            cr::Label::primary(self.span.file, self.span.start..self.span.end)
                .with_message(self.label.clone()),
        ];
        for (span, label) in &self.secondary {
            labels.push(
                cr::Label::secondary(span.file, span.start..span.end).with_message(label.clone()),
            );
        }
        base.with_labels(labels).with_notes(self.notes.clone())
    }

    fn base(&self) -> cr::Diagnostic<FileId> {
        match self.severity {
            Severity::Error => cr::Diagnostic::error(),
            Severity::Warning => cr::Diagnostic::warning(),
        }
        .with_code(self.code)
        .with_message(self.message.clone())
    }

    /// Without the source: each place as `file:line:col`, with its label, as notes.
    fn to_codespan_short(&self, sources: &Sources) -> cr::Diagnostic<FileId> {
        let at = |span: Span, label: &str| {
            let (line, col) = sources.line_col(span.file, span.start);
            let place = format!("at {}:{line}:{col}", sources.name(span.file));
            if label.is_empty() {
                place
            } else {
                format!("{place}: {label}")
            }
        };
        let mut notes = vec![at(self.span, &self.label)];
        for (span, label) in &self.secondary {
            notes.push(at(*span, label));
        }
        notes.extend(self.notes.iter().cloned());
        self.base().with_notes(notes)
    }

    /// Whether the lines the diagnostic points at are too long to quote.
    fn too_long_to_quote(&self, sources: &Sources) -> bool {
        std::iter::once(&self.span)
            .chain(self.secondary.iter().map(|(s, _)| s))
            .any(|s| sources.lines_bytes(*s) > MAX_QUOTED_BYTES)
    }

    /// `file:line:col` of the primary location.
    pub fn location(&self, sources: &Sources) -> String {
        let (line, col) = sources.line_col(self.span.file, self.span.start);
        format!("{}:{}:{}", sources.name(self.span.file), line, col)
    }
}

/// The most source a diagnostic quotes, in bytes of the lines it points at. Beyond it (a case
/// written as one line of JSON, a huge block) the diagnostic names the place instead: quoting a
/// long line once per diagnostic would make the report as large as the file times the number
/// of diagnostics.
pub const MAX_QUOTED_BYTES: usize = 4096;

/// Renders diagnostics with the source line and a caret, in colour or plain.
pub fn render(sources: &Sources, diagnostics: &[Diagnostic], colour: bool) -> String {
    let config = term::Config::default();
    let mut out = String::new();
    for d in diagnostics {
        let cd = if d.too_long_to_quote(sources) {
            d.to_codespan_short(sources)
        } else {
            d.to_codespan()
        };
        if colour {
            let mut buffer = term::termcolor::Buffer::ansi();
            let styles = term::Styles::default();
            let mut writer = term::StylesWriter::new(&mut buffer, &styles);
            if term::emit_to_write_style(&mut writer, &config, &sources.files, &cd).is_ok() {
                out.push_str(&String::from_utf8_lossy(buffer.as_slice()));
                continue;
            }
        }
        match term::emit_into_string(&config, &sources.files, &cd) {
            Ok(s) => out.push_str(&s),
            Err(_) => out.push_str(&format!("{}: {}\n", d.location(sources), d.message)),
        }
    }
    out
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// The nearest names to a misspelt one, best first, for "did you mean" notes.
pub fn suggest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(wrong, c), c))
        .filter(|(score, _)| *score > 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// A "did you mean" note, or nothing when no name is near.
pub fn did_you_mean<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let near = suggest(wrong, candidates);
    if near.is_empty() {
        None
    } else {
        Some(format!(
            "did you mean {}?",
            near.iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The former way: read the text from its start.
    fn line_col_naive(text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let before = &text[..floor_char_boundary(text, offset)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
        (line, before[line_start..].chars().count() + 1)
    }

    fn offset_of_naive(text: &str, line: usize, col: usize) -> usize {
        let mut start = 0;
        for _ in 1..line {
            match text[start..].find('\n') {
                Some(i) => start += i + 1,
                None => return text.len(),
            }
        }
        text[start..]
            .char_indices()
            .nth(col)
            .map(|(i, _)| start + i)
            .unwrap_or_else(|| start + text[start..].find('\n').unwrap_or(text.len() - start))
    }

    proptest! {
        #[test]
        fn locations_are_those_read_from_the_start(
            text in "([a-z ]{0,300}|\u{430}{0,200}|\u{1F600}{0,100}|\n){0,8}",
            offsets in prop::collection::vec(0usize..2000, 8),
            places in prop::collection::vec((0usize..12, 0usize..400), 8),
        ) {
            let mut sources = Sources::new();
            let file = sources.add("t", text.clone());
            for o in offsets {
                prop_assert_eq!(sources.line_col(file, o), line_col_naive(&text, o));
            }
            for (line, col) in places {
                prop_assert_eq!(sources.offset_of(file, line, col), offset_of_naive(&text, line, col));
            }
        }
    }

    #[test]
    fn a_long_line_is_named_not_quoted() {
        let mut sources = Sources::new();
        let long = format!("{{\"a\": \"{}\", \"b\": 1}}", "x".repeat(MAX_QUOTED_BYTES));
        let file = sources.add("case.json", long.clone());
        let at = long.find("\"b\"").unwrap();
        let d = Diagnostic::error("F005", Span::new(file, at, at + 3), "unknown key `b`")
            .with_label("not a key of a case");
        let out = render(&sources, &[d], false);
        assert!(out.contains("error[F005]: unknown key `b`"), "{out}");
        assert!(
            out.contains(&format!("at case.json:1:{}: not a key of a case", at + 1)),
            "{out}"
        );
        assert!(out.len() < 500, "{out}");
        // A short line is quoted as before.
        let file = sources.add("short.json", "{\"b\": 1}");
        let d = Diagnostic::error("F005", Span::new(file, 1, 4), "unknown key `b`");
        assert!(render(&sources, &[d], false).contains("{\"b\": 1}"));
    }
}
