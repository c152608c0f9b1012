//! Recursive-descent parser of rule blocks into [`crate::ast`] items.
//!
//! A block is a sequence of statements, each starting at column zero. A syntax error
//! skips to the next statement, so one mistake never hides the others.

// A syntax error is built once per failed statement; boxing it would buy nothing.
#![allow(clippy::result_large_err)]

use crate::ast::*;
use crate::diag::{Diagnostic, Span};
use crate::lexer::{Tok, Token};
use crate::limits::MAX_EXPR_DEPTH;
use jiff::civil::Date;

/// Words that cannot name a fact or a concept, because the grammar gives them a meaning.
pub const RESERVED: &[&str] = &[
    "and",
    "or",
    "not",
    "is",
    "has",
    "in",
    "any",
    "all",
    "at",
    "least",
    "of",
    "age",
    "as_of",
    "yes",
    "no",
    "undetermined",
    "true",
    "false",
    "when",
    "over",
    "cites",
    "from",
    "until",
    "under",
    "note",
    "to",
    "fact",
    "concept",
    "rule",
    "exception",
    "doctrine",
    "question",
    "label",
    "option",
];

const CLAUSES: &[&str] = &["when", "over", "cites", "from", "until", "under", "note"];
pub const LANGUAGES: &[&str] = &["en", "ru", "tg"];

struct Parser<'t> {
    tokens: &'t [Token],
    pos: usize,
    /// Where the statement ends (exclusive): the next token at column zero.
    end: usize,
    /// How deep the expression being read nests here.
    depth: usize,
}

type PResult<T> = Result<T, Diagnostic>;

/// Parses every statement of a block, collecting items and diagnostics.
pub fn parse_block(tokens: &[Token], diagnostics: &mut Vec<Diagnostic>) -> Vec<Item> {
    let mut items = Vec::new();
    let mut start = 0;
    while start < tokens.len() {
        let mut end = start + 1;
        while end < tokens.len() && !tokens[end].starts_statement {
            end += 1;
        }
        let mut p = Parser {
            tokens,
            pos: start,
            end,
            depth: 0,
        };
        if !tokens[start].starts_statement {
            diagnostics.push(
                Diagnostic::error("P001", tokens[start].span, "a statement must start at the beginning of a line")
                    .with_label("indented, but nothing came before it")
                    .with_note("statements (fact, concept, rule, exception, doctrine) start at column 1; their clauses are indented"),
            );
        } else {
            match p.statement() {
                Ok(item) => items.push(item),
                Err(d) => diagnostics.push(d),
            }
        }
        start = end;
    }
    items
}

impl<'t> Parser<'t> {
    fn peek(&self) -> Option<&'t Tok> {
        (self.pos < self.end).then(|| &self.tokens[self.pos].tok)
    }

    fn peek_word(&self) -> Option<&'t str> {
        match self.peek() {
            Some(Tok::Word(w)) => Some(w),
            _ => None,
        }
    }

    fn span_here(&self) -> Span {
        if self.pos < self.end {
            self.tokens[self.pos].span
        } else {
            let last = self.tokens[self.end - 1].span;
            Span::new(last.file, last.end, last.end)
        }
    }

    fn prev_span(&self) -> Span {
        self.tokens[self.pos.saturating_sub(1)].span
    }

    fn bump(&mut self) -> &'t Token {
        let t = &self.tokens[self.pos];
        self.pos += 1;
        t
    }

    fn unexpected(&self, expected: &str) -> Diagnostic {
        match self.peek() {
            Some(tok) => Diagnostic::error(
                "P002",
                self.span_here(),
                format!("expected {expected}, found {}", tok.describe()),
            )
            .with_label(format!("expected {expected} here")),
            None => Diagnostic::error(
                "P003",
                self.span_here(),
                format!("expected {expected}, but the statement ends here"),
            )
            .with_label(format!("{expected} missing")),
        }
    }

    fn eat_punct(&mut self, p: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Punct(q)) if *q == p) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect_punct(&mut self, p: &str) -> PResult<Span> {
        if self.eat_punct(p) {
            Ok(self.prev_span())
        } else {
            Err(self.unexpected(&format!("`{p}`")))
        }
    }

    fn eat_word(&mut self, w: &str) -> bool {
        if self.peek_word() == Some(w) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect_word(&mut self, w: &str) -> PResult<Span> {
        if self.eat_word(w) {
            Ok(self.prev_span())
        } else {
            Err(self.unexpected(&format!("`{w}`")))
        }
    }

    /// Any identifier that is not a reserved word.
    fn ident(&mut self, what: &str) -> PResult<Ident> {
        match self.peek() {
            Some(Tok::Word(w)) if !RESERVED.contains(&w.as_str()) => {
                let t = self.bump();
                Ok(Ident {
                    text: w.clone(),
                    span: t.span,
                })
            }
            Some(Tok::Word(w)) => Err(Diagnostic::error(
                "P004",
                self.span_here(),
                format!("`{w}` is a reserved word and cannot be used as {what}"),
            )
            .with_label(format!("expected {what}"))),
            _ => Err(self.unexpected(what)),
        }
    }

    /// A name of a fact, concept or option: letters, digits and `_`.
    fn name(&mut self, what: &str) -> PResult<Ident> {
        let id = self.ident(what)?;
        if id.text.contains(['-', '.', '/']) {
            return Err(Diagnostic::error(
                "P005",
                id.span,
                format!("`{}` cannot be used as {what}", id.text),
            )
            .with_label("names use letters, digits and `_` only")
            .with_note("write subtraction with spaces around `-`: `a - b`"));
        }
        Ok(id)
    }

    fn string(&mut self, what: &str) -> PResult<(String, Span)> {
        match self.peek() {
            Some(Tok::Str(s)) => {
                let t = self.bump();
                Ok((s.clone(), t.span))
            }
            _ => Err(self.unexpected(what)),
        }
    }

    fn date(&mut self) -> PResult<(Date, Span)> {
        match self.peek() {
            Some(Tok::Date(d)) => {
                let t = self.bump();
                d.parse::<Date>().map(|date| (date, t.span)).map_err(|e| {
                    Diagnostic::error("P006", t.span, format!("`{d}` is not a valid date"))
                        .with_label(e.to_string())
                })
            }
            _ => Err(self.unexpected("a date (YYYY-MM-DD)")),
        }
    }

    fn expect_end(&self) -> PResult<()> {
        if self.pos < self.end {
            Err(self.unexpected("the end of the statement or a clause"))
        } else {
            Ok(())
        }
    }

    fn statement(&mut self) -> PResult<Item> {
        match self.peek_word() {
            Some("fact") => self.fact().map(Item::Fact),
            Some("concept") => self.concept().map(Item::Concept),
            Some("rule") => self.rule(RuleKind::Rule).map(|r| Item::Rule(Box::new(r))),
            Some("exception") => self
                .rule(RuleKind::Exception)
                .map(|r| Item::Rule(Box::new(r))),
            Some("doctrine") => self.doctrine(ReadingKind::Doctrine).map(Item::Doctrine),
            Some("reform") => self.doctrine(ReadingKind::Reform).map(Item::Doctrine),
            _ => {
                Err(self
                    .unexpected("`fact`, `concept`, `rule`, `exception`, `doctrine` or `reform`"))
            }
        }
    }

    /// `en "text"`: a language code and a text.
    fn lang_text(&mut self) -> PResult<LangText> {
        let lang = self.ident("a language code (en, ru, tg)")?;
        if !LANGUAGES.contains(&lang.text.as_str()) {
            return Err(Diagnostic::error(
                "P007",
                lang.span,
                format!("unknown language `{}`", lang.text),
            )
            .with_label("expected en, ru or tg"));
        }
        let (text, span) = self.string("a quoted text")?;
        Ok(LangText {
            span: lang.span.to(span),
            lang,
            text,
        })
    }

    /// One or more `lang "text"` pairs: `label en "..." ru "..." tg "..."`.
    fn lang_texts(&mut self) -> PResult<Vec<LangText>> {
        let mut texts = vec![self.lang_text()?];
        while matches!(self.peek_word(), Some(l) if LANGUAGES.contains(&l)) {
            texts.push(self.lang_text()?);
        }
        Ok(texts)
    }

    fn ident_list(&mut self, what: &str) -> PResult<Vec<Ident>> {
        self.expect_punct("{")?;
        let mut items = Vec::new();
        loop {
            if self.eat_punct("}") {
                break;
            }
            items.push(self.name(what)?);
            if !self.eat_punct(",") {
                self.expect_punct("}")?;
                break;
            }
        }
        Ok(items)
    }

    fn fact(&mut self) -> PResult<FactItem> {
        self.expect_word("fact")?;
        let name = self.name("a fact name")?;
        self.expect_punct(":")?;
        let ty_start = self.span_here();
        let ty = match self.peek_word() {
            Some("yes/no") => {
                self.bump();
                TypeExpr::YesNo
            }
            Some("date") => {
                self.bump();
                TypeExpr::Date
            }
            Some("number") => {
                self.bump();
                TypeExpr::Number
            }
            Some("one") => {
                self.bump();
                self.expect_word("of")?;
                TypeExpr::OneOf(self.ident_list("an option name")?)
            }
            Some("several") => {
                self.bump();
                self.expect_word("of")?;
                TypeExpr::SeveralOf(self.ident_list("an option name")?)
            }
            _ => {
                return Err(self.unexpected(
                    "a type: `yes/no`, `date`, `number`, `one of {...}` or `several of {...}`",
                ));
            }
        };
        let ty_span = ty_start.to(self.prev_span());
        let mut item = FactItem {
            name,
            ty,
            ty_span,
            questions: Vec::new(),
            labels: Vec::new(),
            options: Vec::new(),
            journey: None,
            topic: None,
        };
        while self.pos < self.end {
            match self.peek_word() {
                Some("question") => {
                    self.bump();
                    item.questions.extend(self.lang_texts()?);
                }
                Some("label") => {
                    self.bump();
                    item.labels.extend(self.lang_texts()?);
                }
                Some("topic") => {
                    self.bump();
                    item.topic = Some(
                        self.ident("a topic (identity, migration, work, control, sensitive)")?,
                    );
                }
                Some("journey") => {
                    self.bump();
                    let how = self.ident(
                        "how a journey establishes the fact (crossed-border, crossing-lawful)",
                    )?;
                    let state = self.ident("a state code such as TJ")?;
                    item.journey = Some((how, state));
                }
                Some("option") => {
                    self.bump();
                    let option = self.name("an option name")?;
                    let mut texts = Vec::new();
                    while matches!(self.peek_word(), Some(l) if LANGUAGES.contains(&l)) {
                        texts.push(self.lang_text()?);
                    }
                    item.options.push(OptionText { option, texts });
                }
                _ => {
                    return Err(
                        self.unexpected("`question`, `label`, `option`, `topic` or `journey`")
                    );
                }
            }
        }
        Ok(item)
    }

    fn concept(&mut self) -> PResult<ConceptItem> {
        self.expect_word("concept")?;
        let name = self.name("a concept name")?;
        let mut labels = Vec::new();
        let mut kinds = Vec::new();
        while self.pos < self.end {
            match self.peek_word() {
                Some("kind") => {
                    self.bump();
                    kinds.extend(
                        self.comma_idents("a kind (element, status, offence, consequence)")?,
                    );
                }
                _ => {
                    self.expect_word("label")?;
                    labels.extend(self.lang_texts()?);
                }
            }
        }
        Ok(ConceptItem {
            name,
            labels,
            kinds,
        })
    }

    fn doctrine(&mut self, kind: ReadingKind) -> PResult<DoctrineItem> {
        self.bump();
        let id = self.ident("an identifier")?;
        let mut item = DoctrineItem {
            kind,
            id,
            labels: Vec::new(),
            cites: Vec::new(),
            note: None,
        };
        while self.pos < self.end {
            match self.peek_word() {
                Some("label") => {
                    self.bump();
                    item.labels.extend(self.lang_texts()?);
                }
                Some("cites") => {
                    self.bump();
                    item.cites
                        .extend(self.comma_idents("a provision or source identifier")?);
                }
                Some("note") => {
                    self.bump();
                    item.note = Some(self.string("a quoted note")?.0);
                }
                _ => return Err(self.unexpected("`label`, `cites` or `note`")),
            }
        }
        Ok(item)
    }

    fn comma_idents(&mut self, what: &str) -> PResult<Vec<Ident>> {
        let mut ids = vec![self.ident(what)?];
        while self.eat_punct(",") {
            ids.push(self.ident(what)?);
        }
        Ok(ids)
    }

    fn rule(&mut self, kind: RuleKind) -> PResult<RuleItem> {
        let keyword = self.bump().span;
        let id = self.ident("a rule identifier")?;
        let parent = if kind == RuleKind::Exception {
            self.expect_word("to")?;
            Some(self.ident("the identifier of the rule this is an exception to")?)
        } else {
            None
        };
        self.expect_punct(":")?;
        let concept = self.name("the concept this rule decides")?;
        self.expect_punct("=")?;
        let header = keyword.to(self.prev_span());
        let value = self.expr()?;
        let mut item = RuleItem {
            kind,
            id,
            parent,
            concept,
            value,
            when: None,
            over: Vec::new(),
            cites: Vec::new(),
            from: None,
            until: None,
            under: None,
            note: None,
            header,
        };
        while self.pos < self.end {
            let clause = self.span_here();
            match self.peek_word() {
                Some("when") => {
                    self.bump();
                    if kind == RuleKind::Rule {
                        return Err(Diagnostic::error(
                            "P008",
                            clause,
                            "only an exception has a `when` condition",
                        )
                        .with_label("a rule applies whenever it is in force")
                        .with_note("write `exception ID to RULE: ...` for a rule that departs from another under a condition"));
                    }
                    item.when = Some(self.expr()?);
                }
                Some("over") => {
                    self.bump();
                    item.over.extend(self.comma_idents("a rule identifier")?);
                }
                Some("cites") => {
                    self.bump();
                    item.cites
                        .extend(self.comma_idents("a provision identifier")?);
                }
                Some("from") => {
                    self.bump();
                    item.from = Some(self.date()?);
                }
                Some("until") => {
                    self.bump();
                    item.until = Some(self.date()?);
                }
                Some("under") => {
                    self.bump();
                    item.under = Some(self.ident("a doctrine identifier")?);
                }
                Some("note") => {
                    self.bump();
                    item.note = Some(self.string("a quoted note")?.0);
                }
                _ => {
                    return Err(self.unexpected(
                        "an operator or a clause (`when`, `cites`, `from`, `until`, `under`, `over`, `note`)",
                    ));
                }
            }
        }
        if kind == RuleKind::Exception && item.when.is_none() {
            return Err(
                Diagnostic::error("P009", header, "an exception needs a `when` condition")
                    .with_label("no `when` clause"),
            );
        }
        self.expect_end()?;
        Ok(item)
    }

    // Expressions, loosest binding first: or, and, not, comparison, sum, atom.

    fn expr(&mut self) -> PResult<Expr> {
        let first = self.and_expr()?;
        if self.peek_word() != Some("or") {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat_word("or") {
            items.push(self.and_expr()?);
        }
        let span = items[0].span.to(items[items.len() - 1].span);
        Ok(Expr {
            kind: ExprKind::Or(items),
            span,
        })
    }

    fn and_expr(&mut self) -> PResult<Expr> {
        let first = self.not_expr()?;
        if self.peek_word() != Some("and") {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat_word("and") {
            items.push(self.not_expr()?);
        }
        let span = items[0].span.to(items[items.len() - 1].span);
        Ok(Expr {
            kind: ExprKind::And(items),
            span,
        })
    }

    /// One level deeper into an expression, or an error past [`MAX_EXPR_DEPTH`]; the caller
    /// goes back up by lowering `depth` again.
    fn deeper(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_EXPR_DEPTH {
            return Err(Diagnostic::error(
                "P011",
                self.span_here(),
                format!("the expression nests more than {MAX_EXPR_DEPTH} levels deep"),
            )
            .with_label("too deep here")
            .with_note("give a part of it a name: a concept of its own, decided by its own rule"));
        }
        Ok(())
    }

    fn not_expr(&mut self) -> PResult<Expr> {
        self.deeper()?;
        let e = self.not_expr_within();
        self.depth -= 1;
        e
    }

    fn not_expr_within(&mut self) -> PResult<Expr> {
        if self.peek_word() == Some("not") {
            let start = self.bump().span;
            let inner = self.not_expr()?;
            let span = start.to(inner.span);
            return Ok(Expr {
                kind: ExprKind::Not(Box::new(inner)),
                span,
            });
        }
        self.cmp_expr()
    }

    fn cmp_expr(&mut self) -> PResult<Expr> {
        let left = self.sum_expr()?;
        let op = match self.peek() {
            Some(Tok::Punct("<")) => Some(CmpOp::Lt),
            Some(Tok::Punct("<=")) => Some(CmpOp::Le),
            Some(Tok::Punct(">")) => Some(CmpOp::Gt),
            Some(Tok::Punct(">=")) => Some(CmpOp::Ge),
            Some(Tok::Punct("=")) => Some(CmpOp::Eq),
            Some(Tok::Punct("!=")) => Some(CmpOp::Ne),
            _ => None,
        };
        if let Some(op) = op {
            self.bump();
            let right = self.sum_expr()?;
            let span = left.span.to(right.span);
            return Ok(Expr {
                kind: ExprKind::Cmp(op, Box::new(left), Box::new(right)),
                span,
            });
        }
        match self.peek_word() {
            Some("is") => {
                self.bump();
                let negated = self.eat_word("not");
                let option = self.name("an option name")?;
                let span = left.span.to(option.span);
                let is = Expr {
                    kind: ExprKind::Is(Box::new(left), option),
                    span,
                };
                Ok(if negated {
                    Expr {
                        kind: ExprKind::Not(Box::new(is)),
                        span,
                    }
                } else {
                    is
                })
            }
            Some("has") => {
                self.bump();
                let option = self.name("an option name")?;
                let span = left.span.to(option.span);
                Ok(Expr {
                    kind: ExprKind::Has(Box::new(left), option),
                    span,
                })
            }
            Some("in") => {
                self.bump();
                let options = self.ident_list("an option name")?;
                let span = left.span.to(self.prev_span());
                Ok(Expr {
                    kind: ExprKind::In(Box::new(left), options),
                    span,
                })
            }
            _ => Ok(left),
        }
    }

    fn sum_expr(&mut self) -> PResult<Expr> {
        let mut left = self.atom()?;
        // Each term makes the sum one level deeper: `a + b + c` is `(a + b) + c`.
        let depth = self.depth;
        loop {
            let op = match self.peek() {
                Some(Tok::Punct("+")) => ArithOp::Add,
                Some(Tok::Punct("-")) => ArithOp::Sub,
                _ => {
                    self.depth = depth;
                    return Ok(left);
                }
            };
            self.deeper()?;
            self.bump();
            let right = self.atom()?;
            let span = left.span.to(right.span);
            left = Expr {
                kind: ExprKind::Arith(op, Box::new(left), Box::new(right)),
                span,
            };
        }
    }

    fn args(&mut self) -> PResult<Vec<Expr>> {
        self.expect_punct("(")?;
        let mut args = vec![self.expr()?];
        while self.eat_punct(",") {
            args.push(self.expr()?);
        }
        self.expect_punct(")")?;
        Ok(args)
    }

    fn atom(&mut self) -> PResult<Expr> {
        let start = self.span_here();
        let kind = match self.peek() {
            Some(Tok::Number(n)) => {
                let n = *n;
                self.bump();
                ExprKind::Number(n)
            }
            Some(Tok::Date(_)) => ExprKind::Date(self.date()?.0),
            Some(Tok::Punct("(")) => {
                self.bump();
                let inner = self.expr()?;
                self.expect_punct(")")?;
                return Ok(Expr {
                    kind: inner.kind,
                    span: start.to(self.prev_span()),
                });
            }
            Some(Tok::Word(w)) => match w.as_str() {
                "yes" | "true" => {
                    self.bump();
                    ExprKind::Bool(true)
                }
                "no" | "false" => {
                    self.bump();
                    ExprKind::Bool(false)
                }
                "undetermined" => {
                    self.bump();
                    ExprKind::Undetermined
                }
                "as_of" => {
                    self.bump();
                    ExprKind::AsOf
                }
                "any" => {
                    self.bump();
                    ExprKind::Any(self.args()?)
                }
                "all" => {
                    self.bump();
                    ExprKind::All(self.args()?)
                }
                "age" => {
                    self.bump();
                    let mut args = self.args()?;
                    if args.len() != 2 {
                        return Err(Diagnostic::error(
                            "P010",
                            start.to(self.prev_span()),
                            format!("`age` takes two dates (birth, on), found {}", args.len()),
                        )
                        .with_label("write age(birth_date, on_date)"));
                    }
                    let on = args.pop().expect("two arguments");
                    let birth = args.pop().expect("two arguments");
                    ExprKind::Age(Box::new(birth), Box::new(on))
                }
                "at" => {
                    self.bump();
                    self.expect_word("least")?;
                    let n = match self.peek() {
                        Some(Tok::Number(n)) if n.fract() == 0.0 && *n >= 1.0 => {
                            let n = *n as u32;
                            self.bump();
                            n
                        }
                        _ => return Err(self.unexpected("a whole number of at least 1")),
                    };
                    self.expect_word("of")?;
                    ExprKind::AtLeast(n, self.args()?)
                }
                w if CLAUSES.contains(&w) || RESERVED.contains(&w) => {
                    return Err(self.unexpected("a value, a name or `(`"));
                }
                _ => ExprKind::Name(self.name("a fact or concept name")?),
            },
            _ => return Err(self.unexpected("a value, a name or `(`")),
        };
        Ok(Expr {
            kind,
            span: start.to(self.prev_span()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexer::lex;

    fn parse(src: &str) -> (Vec<Item>, Vec<Diagnostic>) {
        let mut d = Vec::new();
        let toks = lex(src, 0, 0, &mut d);
        let items = parse_block(&toks, &mut d);
        (items, d)
    }

    #[test]
    fn parses_facts_of_every_type() {
        let (items, d) = parse(
            "fact a: yes/no\n  question en \"A?\"\nfact b: one of {x, y}\nfact c: several of {x, y}\n  option x en \"X\" ru \"Икс\"\nfact d: date\nfact e: number\n",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(items.len(), 5);
        let Item::Fact(f) = &items[2] else {
            panic!("{:?}", items[2])
        };
        let TypeExpr::SeveralOf(options) = &f.ty else {
            panic!("{:?}", f.ty)
        };
        let names: Vec<&str> = options.iter().map(|i| i.text.as_str()).collect();
        assert_eq!(names, ["x", "y"]);
        assert_eq!(f.options[0].texts.len(), 2);
        assert!(
            matches!(&items[0], Item::Fact(f) if f.ty == TypeExpr::YesNo && f.questions.len() == 1)
        );
    }

    #[test]
    fn precedence_is_not_then_and_then_or() {
        let (items, d) = parse("rule r: c = not a and b or d\n  cites p\n");
        assert!(d.is_empty(), "{d:?}");
        let Item::Rule(r) = &items[0] else { panic!() };
        let ExprKind::Or(parts) = &r.value.kind else {
            panic!("{:?}", r.value.kind)
        };
        let ExprKind::And(conj) = &parts[0].kind else {
            panic!()
        };
        assert!(matches!(conj[0].kind, ExprKind::Not(_)));
        assert_eq!(r.cites[0].text, "p");
    }

    #[test]
    fn exceptions_need_a_condition_and_rules_refuse_one() {
        let (_, d) = parse("exception e to r: c = yes\n  cites p\n");
        assert_eq!(d[0].code, "P009");
        let (_, d) = parse("rule r: c = yes\n  when a\n");
        assert_eq!(d[0].code, "P008");
    }

    #[test]
    fn every_bad_statement_is_reported() {
        let (items, d) = parse("rule r: c = \nfact x yes/no\nconcept ok\nrule q: c = a and\n");
        assert_eq!(items.len(), 1);
        assert_eq!(d.len(), 3, "{d:?}");
    }

    #[test]
    fn comparisons_age_and_at_least() {
        let (items, d) = parse(
            "rule r: c = age(birth, 2019-01-02) < 18 and at least 2 of (a, b, x is y) and m has k\n  cites p\n  from 2003-12-25 until 2019-01-01\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let Item::Rule(r) = &items[0] else { panic!() };
        assert_eq!(r.from.unwrap().0, jiff::civil::date(2003, 12, 25));
        assert_eq!(r.until.unwrap().0, jiff::civil::date(2019, 1, 1));
    }

    #[test]
    fn impossible_dates_are_refused() {
        let (_, d) = parse("rule r: c = yes\n  cites p\n  from 2019-02-30\n");
        assert_eq!(d[0].code, "P006");
    }
}
