//! Reads a literate law file: Markdown prose for people, with fenced blocks for the
//! machine. ```` ```instrument ````, ```` ```provision ````, ```` ```source ````, ```` ```term ```` and
//! ```` ```figure ```` blocks hold
//! `key: value` metadata; ```` ```delimit ```` blocks hold rules. Block quotes after a
//! provision block are that provision's text.

use crate::diag::{Diagnostic, FileId, Span};
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    Instrument,
    Provision,
    Source,
    Term,
    Figure,
    Pattern,
    Rules,
    /// A fenced block the law does not read (`indicator`, `combination`…), left to others.
    Other,
}

/// One piece of a literate file, in document order.
#[derive(Clone, Debug)]
pub enum Piece {
    Heading {
        title: String,
        span: Span,
    },
    Block {
        kind: BlockKind,
        /// The fence's info word (`provision`, `indicator`…).
        info: String,
        content: String,
        offset: usize,
        span: Span,
    },
    Quote {
        text: String,
    },
}

/// A `key: value` line of a metadata block.
#[derive(Clone, Debug)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    pub value: String,
    pub value_span: Span,
}

pub fn pieces(text: &str, file: FileId) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut heading: Option<(String, usize)> = None;
    let mut fence: Option<(BlockKind, usize, String, Option<usize>)> = None;
    let mut fence_info = String::new();
    let mut quote_depth = 0usize;
    let mut quote_start = 0usize;
    for (event, range) in Parser::new_ext(text, Options::empty()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { .. }) => heading = Some((String::new(), range.start)),
            Event::End(TagEnd::Heading(_)) => {
                if let Some((title, start)) = heading.take() {
                    out.push(Piece::Heading {
                        title: title.trim().to_string(),
                        span: Span::new(file, start, range.end),
                    });
                }
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let kind = match info.split_whitespace().next() {
                    Some("instrument") => Some(BlockKind::Instrument),
                    Some("provision") => Some(BlockKind::Provision),
                    Some("source") => Some(BlockKind::Source),
                    Some("term") => Some(BlockKind::Term),
                    Some("figure") => Some(BlockKind::Figure),
                    Some("pattern") => Some(BlockKind::Pattern),
                    Some("delimit") => Some(BlockKind::Rules),
                    Some(other) if other.chars().all(|c| c.is_ascii_lowercase() || c == '-') => {
                        Some(BlockKind::Other)
                    }
                    _ => None,
                };
                if let Some(kind) = kind {
                    fence_info = info.split_whitespace().next().unwrap_or("").to_string();
                    fence = Some((kind, range.start, String::new(), None));
                }
            }
            Event::Text(t) if fence.is_some() => {
                if let Some((_, _, content, offset)) = fence.as_mut() {
                    if offset.is_none() {
                        *offset = Some(range.start);
                    }
                    content.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((kind, start, content, offset)) = fence.take() {
                    let offset = offset.unwrap_or(range.end);
                    out.push(Piece::Block {
                        kind,
                        info: std::mem::take(&mut fence_info),
                        content,
                        offset,
                        span: Span::new(file, start, range.end),
                    });
                }
            }
            Event::Text(t) | Event::Code(t) if heading.is_some() => {
                if let Some((title, _)) = heading.as_mut() {
                    title.push_str(&t);
                }
            }
            Event::Start(Tag::BlockQuote(_)) => {
                if quote_depth == 0 {
                    quote_start = range.start;
                }
                quote_depth += 1;
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                quote_depth = quote_depth.saturating_sub(1);
                if quote_depth == 0 {
                    out.push(Piece::Quote {
                        text: unquote(&text[quote_start..range.end]),
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// The text of a block quote without its `>` markers, paragraphs kept apart.
fn unquote(raw: &str) -> String {
    let mut paragraphs: Vec<String> = vec![String::new()];
    for line in raw.lines() {
        let line = line.trim_start();
        let line = line.strip_prefix('>').unwrap_or(line).trim();
        if line.is_empty() {
            if !paragraphs.last().is_some_and(|p| p.is_empty()) {
                paragraphs.push(String::new());
            }
            continue;
        }
        let last = paragraphs.last_mut().expect("never empty");
        if !last.is_empty() {
            last.push(' ');
        }
        last.push_str(line);
    }
    paragraphs.retain(|p| !p.is_empty());
    paragraphs.join("\n\n")
}

/// Splits a metadata block into `key: value` entries; anything else is an error.
pub fn entries(
    content: &str,
    file: FileId,
    offset: usize,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut line_start = offset;
    for line in content.split_inclusive('\n') {
        let here = line_start;
        line_start += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let trimmed = body.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = body.len() - trimmed.len();
        let Some(colon) = trimmed.find(':') else {
            diagnostics.push(
                Diagnostic::error(
                    "M001",
                    Span::new(file, here + indent, here + body.len()),
                    "expected `key: value`",
                )
                .with_label("no `:` on this line"),
            );
            continue;
        };
        let key = trimmed[..colon].trim();
        let raw_value = &trimmed[colon + 1..];
        let value = raw_value.trim();
        let value_start =
            here + indent + colon + 1 + (raw_value.len() - raw_value.trim_start().len());
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        out.push(Entry {
            key: key.to_string(),
            key_span: Span::new(file, here + indent, here + indent + key.len()),
            value: value.to_string(),
            value_span: Span::new(
                file,
                value_start,
                (value_start + raw_value.trim().len()).max(value_start),
            ),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "# Protocol\n\n```instrument\nid: p\n```\n\n## Article 3(a)\n\n```provision\nid: p/art-3/a\nstatus: verified\n```\n\n> For the purposes\n> of this Protocol:\n>\n> (a) text\n\n```delimit\nconcept c\n```\n";

    #[test]
    fn pieces_come_in_document_order_with_offsets() {
        let p = pieces(DOC, 0);
        let kinds: Vec<String> = p
            .iter()
            .map(|p| match p {
                Piece::Heading { title, .. } => format!("h:{title}"),
                Piece::Block { kind, .. } => format!("b:{kind:?}"),
                Piece::Quote { text } => format!("q:{text}"),
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "h:Protocol",
                "b:Instrument",
                "h:Article 3(a)",
                "b:Provision",
                "q:For the purposes of this Protocol:\n\n(a) text",
                "b:Rules"
            ]
        );
        let Piece::Block {
            content, offset, ..
        } = &p[5]
        else {
            panic!()
        };
        assert_eq!(&DOC[*offset..*offset + content.len()], "concept c\n");
    }

    #[test]
    fn entries_have_exact_spans() {
        let mut d = Vec::new();
        let text = "id: p/art-3\n# c\nstatus:  \"verified\"\nbroken line\n";
        let e = entries(text, 0, 100, &mut d);
        assert_eq!(e.len(), 2);
        assert_eq!(e[1].value, "verified");
        assert_eq!(e[1].key_span, Span::new(0, 116, 122));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].span.start, 136);
    }
}
