//! Tokens of rule blocks. `winnow` recognises each token; the loop around it keeps
//! going after a bad character so that every problem in a block is reported.

use crate::diag::{Diagnostic, FileId, Span};
use winnow::LocatingSlice;
use winnow::ascii::digit1;
use winnow::combinator::{alt, opt, preceded};
use winnow::error::ContextError;
use winnow::prelude::*;
use winnow::token::{one_of, take_while};

type Input<'i> = LocatingSlice<&'i str>;

#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    /// A name (`trafficking_act`) or an identifier (`un-tip-protocol/art-3/a`).
    Word(String),
    Number(f64),
    /// `YYYY-MM-DD`, checked later so that an impossible date gets its own message.
    Date(String),
    Str(String),
    Punct(&'static str),
}

#[derive(Clone, Debug)]
pub struct Token {
    pub tok: Tok,
    pub span: Span,
    /// The token starts a line at column zero: it begins a new statement.
    pub starts_statement: bool,
}

impl Tok {
    pub fn describe(&self) -> String {
        match self {
            Tok::Word(w) => format!("`{w}`"),
            Tok::Number(n) => format!("number `{n}`"),
            Tok::Date(d) => format!("date `{d}`"),
            Tok::Str(_) => "a quoted text".to_string(),
            Tok::Punct(p) => format!("`{p}`"),
        }
    }
}

fn word<'i>(input: &mut Input<'i>) -> winnow::Result<&'i str, ContextError> {
    (
        one_of(|c: char| c.is_ascii_alphabetic() || c == '_'),
        take_while(0.., |c: char| {
            c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/')
        }),
    )
        .take()
        .parse_next(input)
}

fn date<'i>(input: &mut Input<'i>) -> winnow::Result<&'i str, ContextError> {
    (
        take_while(4, |c: char| c.is_ascii_digit()),
        '-',
        take_while(2, |c: char| c.is_ascii_digit()),
        '-',
        take_while(2, |c: char| c.is_ascii_digit()),
    )
        .take()
        .parse_next(input)
}

fn number<'i>(input: &mut Input<'i>) -> winnow::Result<&'i str, ContextError> {
    (digit1, opt(preceded('.', digit1)))
        .take()
        .parse_next(input)
}

fn punct(input: &mut Input<'_>) -> winnow::Result<&'static str, ContextError> {
    alt((
        alt((
            "<=".value("<="),
            ">=".value(">="),
            "!=".value("!="),
            "<".value("<"),
            ">".value(">"),
            "=".value("="),
        )),
        alt((
            "(".value("("),
            ")".value(")"),
            "{".value("{"),
            "}".value("}"),
            ",".value(","),
            ":".value(":"),
            "+".value("+"),
            "-".value("-"),
        )),
    ))
    .parse_next(input)
}

/// Splits one rule block into tokens. `base` is the byte offset of the block in its file.
pub fn lex(text: &str, file: FileId, base: usize, diagnostics: &mut Vec<Diagnostic>) -> Vec<Token> {
    let mut tokens = Vec::new();
    let bytes = text.as_bytes();
    let mut pos = 0;
    let mut at_line_start = true;
    let mut column_zero = true;
    while pos < text.len() {
        let c = bytes[pos];
        match c {
            b'\n' => {
                pos += 1;
                at_line_start = true;
                column_zero = true;
                continue;
            }
            b' ' | b'\t' | b'\r' => {
                pos += 1;
                column_zero = false;
                continue;
            }
            b'#' => {
                pos += text[pos..].find('\n').unwrap_or(text.len() - pos);
                continue;
            }
            _ => {}
        }
        let starts_statement = at_line_start && column_zero;
        at_line_start = false;
        column_zero = false;
        let start = pos;
        let span = |end: usize| Span::new(file, base + start, base + end);
        if c == b'"' {
            match string_literal(&text[pos..]) {
                Ok((value, len)) => {
                    pos += len;
                    tokens.push(Token {
                        tok: Tok::Str(value),
                        span: span(pos),
                        starts_statement,
                    });
                }
                Err(len) => {
                    pos += len;
                    diagnostics.push(
                        Diagnostic::error("L001", span(pos), "unterminated text")
                            .with_label("this text has no closing `\"`"),
                    );
                }
            }
            continue;
        }
        let mut input = LocatingSlice::new(&text[pos..]);
        let tok = if let Ok(d) = date.parse_next(&mut input) {
            Some(Tok::Date(d.to_string()))
        } else if let Ok(n) = number.parse_next(&mut input) {
            n.parse().ok().map(Tok::Number)
        } else if let Ok(w) = word.parse_next(&mut input) {
            Some(Tok::Word(w.trim_end_matches(['.', '-', '/']).to_string()))
        } else if let Ok(p) = punct.parse_next(&mut input) {
            Some(Tok::Punct(p))
        } else {
            None
        };
        match tok {
            Some(tok) => {
                let len = match &tok {
                    Tok::Word(w) => w.len(),
                    _ => text.len() - pos - input.len(),
                };
                pos += len.max(1);
                tokens.push(Token {
                    tok,
                    span: span(pos),
                    starts_statement,
                });
            }
            None => {
                let ch = text[pos..].chars().next().unwrap_or(' ');
                pos += ch.len_utf8();
                diagnostics.push(
                    Diagnostic::error("L002", span(pos), format!("unexpected character `{ch}`"))
                        .with_label("not part of the rule language"),
                );
            }
        }
    }
    tokens
}

/// Reads a quoted text at the start of `s`: its value and its length in bytes,
/// or the length consumed before it ran out.
fn string_literal(s: &str) -> Result<(String, usize), usize> {
    let mut value = String::new();
    let mut chars = s.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Ok((value, i + 1)),
            '\\' => match chars.next() {
                Some((_, 'n')) => value.push('\n'),
                Some((_, other)) => value.push(other),
                None => return Err(s.len()),
            },
            '\n' => {
                // A line break inside a text folds to one space, as in Markdown.
                value.push(' ');
                while let Some((_, c)) = chars.clone().next() {
                    if c == ' ' || c == '\t' {
                        chars.next();
                    } else {
                        break;
                    }
                }
            }
            c => value.push(c),
        }
    }
    Err(s.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        let mut d = Vec::new();
        let t = lex(s, 0, 0, &mut d);
        assert!(d.is_empty(), "{d:?}");
        t.into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn words_dates_numbers_and_ids() {
        assert_eq!(
            toks("rule tip-def: x = age(b, 2019-01-02) < 18.5 # c\n  cites un-tip/art-3/a"),
            vec![
                Tok::Word("rule".into()),
                Tok::Word("tip-def".into()),
                Tok::Punct(":"),
                Tok::Word("x".into()),
                Tok::Punct("="),
                Tok::Word("age".into()),
                Tok::Punct("("),
                Tok::Word("b".into()),
                Tok::Punct(","),
                Tok::Date("2019-01-02".into()),
                Tok::Punct(")"),
                Tok::Punct("<"),
                Tok::Number(18.5),
                Tok::Word("cites".into()),
                Tok::Word("un-tip/art-3/a".into()),
            ]
        );
    }

    #[test]
    fn statements_start_at_column_zero() {
        let mut d = Vec::new();
        let t = lex("fact a: date\n  question en \"x\"\nconcept b", 0, 0, &mut d);
        let starts: Vec<bool> = t.iter().map(|t| t.starts_statement).collect();
        assert_eq!(
            starts,
            vec![true, false, false, false, false, false, false, true, false]
        );
    }

    #[test]
    fn bad_characters_and_unterminated_texts_are_reported_with_spans() {
        let mut d = Vec::new();
        lex("a ; b \"open", 0, 10, &mut d);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].span, Span::new(0, 12, 13));
        assert_eq!(d[1].code, "L001");
    }
}
