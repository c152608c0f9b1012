//! The syntax tree of rule blocks, as written, with spans.

use crate::diag::Span;
use jiff::civil::Date;

/// A name or an identifier as written.
#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    pub text: String,
    pub span: Span,
}

/// A text in one language: `question en "..."`, `label ru "..."`.
#[derive(Clone, Debug, PartialEq)]
pub struct LangText {
    pub lang: Ident,
    pub text: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TypeExpr {
    YesNo,
    OneOf(Vec<Ident>),
    SeveralOf(Vec<Ident>),
    Date,
    Number,
}

#[derive(Clone, Debug, PartialEq)]
pub struct OptionText {
    pub option: Ident,
    pub texts: Vec<LangText>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FactItem {
    pub name: Ident,
    pub ty: TypeExpr,
    pub ty_span: Span,
    pub questions: Vec<LangText>,
    pub labels: Vec<LangText>,
    pub options: Vec<OptionText>,
    /// `journey crossed-border TJ`: how a journey establishes this fact.
    pub journey: Option<(Ident, Ident)>,
    /// `topic work`: where the question belongs in an interview.
    pub topic: Option<Ident>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ConceptItem {
    pub name: Ident,
    pub labels: Vec<LangText>,
    /// `kind status, offence`: what the concept says about whom.
    pub kinds: Vec<Ident>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleKind {
    Rule,
    Exception,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RuleItem {
    pub kind: RuleKind,
    pub id: Ident,
    /// The rule an exception departs from.
    pub parent: Option<Ident>,
    pub concept: Ident,
    pub value: Expr,
    pub when: Option<Expr>,
    pub over: Vec<Ident>,
    pub cites: Vec<Ident>,
    pub from: Option<(Date, Span)>,
    pub until: Option<(Date, Span)>,
    pub under: Option<Ident>,
    pub note: Option<String>,
    /// The header line, where most diagnostics point.
    pub header: Span,
}

/// A named reading of the law: a scholar's or an institution's doctrine, or a proposed reform.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReadingKind {
    Doctrine,
    Reform,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DoctrineItem {
    pub kind: ReadingKind,
    pub id: Ident,
    pub labels: Vec<LangText>,
    pub cites: Vec<Ident>,
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    Fact(FactItem),
    Concept(ConceptItem),
    Rule(Box<RuleItem>),
    Doctrine(DoctrineItem),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::Eq => "=",
            CmpOp::Ne => "!=",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArithOp {
    Add,
    Sub,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Bool(bool),
    /// The constant `undetermined`: the law (as far as it was read) does not decide.
    Undetermined,
    Number(f64),
    Date(Date),
    AsOf,
    Name(Ident),
    Not(Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Any(Vec<Expr>),
    All(Vec<Expr>),
    AtLeast(u32, Vec<Expr>),
    Cmp(CmpOp, Box<Expr>, Box<Expr>),
    /// `x is option` (one-of facts).
    Is(Box<Expr>, Ident),
    /// `x has option` (several-of facts).
    Has(Box<Expr>, Ident),
    /// `x in {a, b}` (one-of facts).
    In(Box<Expr>, Vec<Ident>),
    /// `age(birth, on)`: whole years between two dates.
    Age(Box<Expr>, Box<Expr>),
    Arith(ArithOp, Box<Expr>, Box<Expr>),
}
