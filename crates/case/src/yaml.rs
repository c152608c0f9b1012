//! Small helpers over `saphyr`'s marked YAML: loading within the limits, spans, scalars, the
//! words for unknown.

use crate::limits::MAX_CASE_DEPTH;
use delimit_law::diag::{Diagnostic, FileId, Sources, Span};
use saphyr::{MarkedYaml, Scalar, YamlData, YamlLoader};
use saphyr_parser::{BufferedInput, Event, Marker, Parser, SpannedEventReceiver};
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// Loads every document of a file, or reports the syntax error where it is, where lists and
/// mappings nest deeper than [`MAX_CASE_DEPTH`], or every key given twice in one mapping
/// (`F014`).
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
    // Keys given twice are refused by `Keys`, each of them, with both places; the loader's own
    // check stops at the first and compares keys by type (`1` and `"1"` differ there, not
    // for the reader).
    loader.allow_duplicate_keys(true);
    let mut nesting = Nesting::default();
    let mut keys = Keys::default();
    let mut repeated = false;
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
        if let Some((key, first)) = keys.take(&event, &span) {
            diagnostics.push(given_twice(sources, file, &key, &span, &first));
            repeated = true;
        }
        loader.on_event(event, span);
        if let Some(e) = loader.error() {
            diagnostics.push(not_yaml(sources, file, e.marker(), e.info()));
            return Vec::new();
        }
    }
    if repeated {
        return Vec::new();
    }
    loader.into_documents()
}

fn given_twice(
    sources: &Sources,
    file: FileId,
    key: &str,
    again: &saphyr_parser::Span,
    first: &saphyr_parser::Span,
) -> Diagnostic {
    let span = |s: &saphyr_parser::Span| {
        let start = sources.offset_of(file, s.start.line(), s.start.col());
        let end = sources
            .offset_of(file, s.end.line(), s.end.col())
            .max(start + 1);
        Span::new(file, start, end)
    };
    let message = if key.is_empty() {
        "duplicate key: two keys of the mapping are empty, or not text (a list, a mapping, a \
         tagged value), which the reader takes for the same key"
            .to_string()
    } else {
        format!("duplicate key `{key}`: the mapping gives it twice")
    };
    Diagnostic::error("F014", span(again), message)
        .with_label("given again here")
        .with_secondary(span(first), "first given here")
        .with_note("a mapping gives each key once: keep the one that is right and remove the other")
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

/// The keys of the mappings being read, to refuse a key given twice in one mapping: the
/// loader would keep one of the two values and drop the other without a word. Keys are
/// compared as the reader reads them ([`key_text`]): `1` and `"1"` are the same key.
#[derive(Default)]
struct Keys {
    /// Per list or mapping open: for a mapping, each key met with where it was, and whether
    /// the next node is a key.
    open: Vec<Option<(HashMap<String, saphyr_parser::Span>, bool)>>,
    /// The text of each anchored scalar, for an alias used as a key.
    anchors: HashMap<usize, String>,
}

impl Keys {
    /// Takes in one event; the key it gives a second time, with where it was given first, if
    /// it does.
    fn take(
        &mut self,
        event: &Event<'_>,
        span: &saphyr_parser::Span,
    ) -> Option<(String, saphyr_parser::Span)> {
        // As the loader builds the key and the reader reads it: a scalar with a tag of its own,
        // a list or a mapping reads as the empty key.
        let text =
            |event: &Event<'_>| match event {
                Event::Scalar(_, _, _, Some(tag)) if !tag.is_yaml_core_schema() => String::new(),
                Event::Scalar(v, style, _, tag) => key_text(
                    &MarkedYaml::value_from_cow_and_metadata(v.clone(), *style, tag.as_ref()),
                ),
                _ => String::new(),
            };
        let mut repeated = None;
        if matches!(
            event,
            Event::Scalar(..)
                | Event::Alias(_)
                | Event::SequenceStart(..)
                | Event::MappingStart(..)
        ) && let Some(Some((seen, next_is_key))) = self.open.last_mut()
        {
            let is_key = *next_is_key;
            *next_is_key = !is_key;
            if is_key {
                let key = match event {
                    Event::Alias(anchor) => self.anchors.get(anchor).cloned().unwrap_or_default(),
                    _ => text(event),
                };
                match seen.entry(key) {
                    Entry::Occupied(first) => repeated = Some((first.key().clone(), *first.get())),
                    Entry::Vacant(new) => {
                        new.insert(*span);
                    }
                }
            }
        }
        match event {
            Event::Scalar(_, _, anchor, _) if *anchor != 0 => {
                self.anchors.insert(*anchor, text(event));
            }
            Event::MappingStart(..) => self.open.push(Some((HashMap::new(), true))),
            Event::SequenceStart(..) => self.open.push(None),
            Event::MappingEnd | Event::SequenceEnd => {
                self.open.pop();
            }
            _ => {}
        }
        repeated
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
