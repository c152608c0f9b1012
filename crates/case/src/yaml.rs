//! Small helpers over `saphyr`'s marked YAML: spans, scalars, the words for unknown.

use delimit_law::diag::{Diagnostic, FileId, Sources, Span};
use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};

/// Loads every document of a file, or reports the syntax error where it is.
pub fn load<'a>(
    sources: &'a Sources,
    file: FileId,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<MarkedYaml<'a>> {
    match MarkedYaml::load_from_str(sources.text(file)) {
        Ok(docs) => docs,
        Err(e) => {
            let m = e.marker();
            let at = sources.offset_of(file, m.line(), m.col());
            diagnostics.push(
                Diagnostic::error(
                    "F000",
                    Span::new(file, at, at + 1),
                    format!("not valid YAML or JSON: {}", e.info()),
                )
                .with_label("here"),
            );
            Vec::new()
        }
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
        _ => match string(v)?.to_ascii_lowercase().as_str() {
            "yes" | "true" => Some(true),
            "no" | "false" => Some(false),
            _ => None,
        },
    }
}

/// `null`, `~`, `unknown`: the fact is not known.
pub fn is_unknown(v: &MarkedYaml<'_>) -> bool {
    matches!(v.data, YamlData::Value(Scalar::Null))
        || string(v).is_some_and(|s| s.eq_ignore_ascii_case("unknown"))
}
