//! Small helpers over `saphyr`'s marked YAML: loading within the limits, spans, scalars, the
//! words for unknown.

use crate::limits::MAX_CASE_DEPTH;
use delimit_law::diag::{Diagnostic, FileId, Sources, Span};
use saphyr::{MarkedYaml, Scalar, YamlData, YamlLoader};
use saphyr_parser::{BufferedInput, Event, Marker, Parser, SpannedEventReceiver};
use std::collections::HashMap;

/// Loads every document of a file, or reports the syntax error where it is, or where lists
/// and mappings nest deeper than [`MAX_CASE_DEPTH`].
///
/// The documents are built event by event, each nesting checked before it is built: saphyr's
/// own loader goes one call deeper per level, and the document once built would be converted
/// and dropped the same way, so a deep one would exhaust the stack.
pub fn load<'a>(
    sources: &'a Sources,
    file: FileId,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<MarkedYaml<'a>> {
    let text = sources.text(file);
    let mut loader: YamlLoader<'a, MarkedYaml<'a>> = YamlLoader::default();
    let mut nesting = Nesting::default();
    for next in Parser::new(BufferedInput::new(text.chars())) {
        let (event, span) = match next {
            // The scanner reads ahead, and refuses by itself lists in brackets nested past 255.
            Err(e) if e.info() == "recursion limit exceeded" => {
                diagnostics.push(too_deep(sources, file, e.marker()));
                return Vec::new();
            }
            Err(e) => {
                diagnostics.push(not_yaml(sources, file, e.marker(), e.info()));
                return Vec::new();
            }
            Ok(next) => next,
        };
        if !nesting.admits(&event) {
            diagnostics.push(too_deep(sources, file, &span.start));
            return Vec::new();
        }
        loader.on_event(event, span);
        if let Some(e) = loader.error() {
            diagnostics.push(not_yaml(sources, file, e.marker(), e.info()));
            return Vec::new();
        }
    }
    loader.into_documents()
}

fn too_deep(sources: &Sources, file: FileId, m: &Marker) -> Diagnostic {
    let at = sources.offset_of(file, m.line(), m.col());
    Diagnostic::error(
        "F012",
        Span::new(file, at, at + 1),
        format!("lists and mappings nest more than {MAX_CASE_DEPTH} levels deep"),
    )
    .with_label("too deep here")
    .with_note("a case nests a few levels: the journey, its events, their details")
}

fn not_yaml(sources: &Sources, file: FileId, m: &Marker, info: &str) -> Diagnostic {
    let at = sources.offset_of(file, m.line(), m.col());
    Diagnostic::error(
        "F000",
        Span::new(file, at, at + 1),
        format!("not valid YAML or JSON: {info}"),
    )
    .with_label("here")
}

/// How deep the document being read nests, counting lists and mappings, and aliases as deep
/// as what they repeat.
#[derive(Default)]
struct Nesting {
    /// The lists and mappings open, each with its anchor and the deepest level met inside.
    open: Vec<(usize, usize)>,
    /// Per anchor, the levels of the list or mapping it names.
    levels: HashMap<usize, usize>,
}

impl Nesting {
    /// Takes in one event; whether the document still nests within [`MAX_CASE_DEPTH`].
    fn admits(&mut self, event: &Event<'_>) -> bool {
        let depth = self.open.len();
        let deepest = match event {
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                self.open.push((*anchor, depth + 1));
                depth + 1
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((anchor, deepest)) = self.open.pop() {
                    if anchor != 0 {
                        self.levels.insert(anchor, deepest - depth + 1);
                    }
                    if let Some(outer) = self.open.last_mut() {
                        outer.1 = outer.1.max(deepest);
                    }
                }
                return true;
            }
            Event::Alias(anchor) => depth + self.levels.get(anchor).copied().unwrap_or(0),
            _ => return true,
        };
        if let Some(inner) = self.open.last_mut() {
            inner.1 = inner.1.max(deepest);
        }
        deepest <= MAX_CASE_DEPTH
    }
}

pub fn span_of(sources: &Sources, file: FileId, node: &MarkedYaml<'_>) -> Span {
    let s = node.span.start;
    let e = node.span.end;
    let start = sources.offset_of(file, s.line(), s.col());
    let end = sources.offset_of(file, e.line(), e.col()).max(start + 1);
    Span::new(file, start, end)
}

/// The text of a mapping key.
pub fn key_text(k: &MarkedYaml<'_>) -> String {
    string(k).unwrap_or_default()
}

/// A scalar as text (numbers and booleans too), or `None` for collections and null.
pub fn string(v: &MarkedYaml<'_>) -> Option<String> {
    match &v.data {
        YamlData::Value(Scalar::String(s)) => Some(s.to_string()),
        YamlData::Value(Scalar::Integer(i)) => Some(i.to_string()),
        YamlData::Value(Scalar::FloatingPoint(f)) => Some(f.to_string()),
        YamlData::Value(Scalar::Boolean(b)) => Some(b.to_string()),
        YamlData::Representation(s, _, _) => Some(s.to_string()),
        _ => None,
    }
}

/// `yes`/`no`/`true`/`false`, as people write them.
pub fn boolean(v: &MarkedYaml<'_>) -> Option<bool> {
    match &v.data {
        YamlData::Value(Scalar::Boolean(b)) => Some(*b),
        _ => yes_no(&string(v)?),
    }
}

/// A yes-or-no word as people write it, in any case: `yes`/`no`/`true`/`false`. Read so only
/// where a yes-or-no value is taken: elsewhere `NO` is Norway.
pub fn yes_no(word: &str) -> Option<bool> {
    match word.to_ascii_lowercase().as_str() {
        "yes" | "true" => Some(true),
        "no" | "false" => Some(false),
        _ => None,
    }
}

/// `null`, `~`, `unknown`: the fact is not known.
pub fn is_unknown(v: &MarkedYaml<'_>) -> bool {
    matches!(v.data, YamlData::Value(Scalar::Null))
        || string(v).is_some_and(|s| s.eq_ignore_ascii_case("unknown"))
}
