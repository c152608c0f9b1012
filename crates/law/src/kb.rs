//! The checked knowledge base: every name resolved, every type known, every rule dated
//! and cited. Immutable once built; identified by a hash of its source files.

use crate::ast::{ArithOp, CmpOp, RuleKind};
use jiff::civil::Date;
use serde::Serialize;
use std::collections::HashMap;

pub type FactId = usize;
pub type ConceptId = usize;
pub type RuleId = usize;
pub type ProvisionId = usize;
pub type DoctrineId = usize;

/// How sure we are that a provision's text and reference are right.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Read in an official or authentic text, named (`docs/law-language.md` defines each).
    Verified,
    /// Read in a reliable copy or summary, named; the official text was not read.
    Secondary,
    /// Stated by the seed article only.
    Seed,
    /// Known from memory or from reports that do not give the words; to be checked.
    Recalled,
    /// Claimed somewhere, and could not be found.
    Unverified,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Verified,
        Status::Secondary,
        Status::Seed,
        Status::Recalled,
        Status::Unverified,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Status::Verified => "verified",
            Status::Secondary => "secondary",
            Status::Seed => "seed",
            Status::Recalled => "recalled",
            Status::Unverified => "unverified",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.name() == s)
    }

    /// Text recalled or not found: a conclusion resting on it alone must say so.
    pub fn is_unchecked(self) -> bool {
        matches!(self, Status::Recalled | Status::Unverified)
    }

    /// What a reader must be told about a provision with this status.
    pub fn caution(self) -> Option<&'static str> {
        match self {
            Status::Verified => None,
            Status::Secondary => Some("read in a copy or summary; the official text was not read"),
            Status::Seed => Some("stated by the seed article only; not found elsewhere"),
            Status::Recalled => {
                Some("known from memory or reports, not from the words; to be checked")
            }
            Status::Unverified => Some("unverified: this reference could not be found"),
        }
    }
}

/// Whether the provision's text is a quotation or a paraphrase.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TextKind {
    Quoted,
    Paraphrase,
    Absent,
}

/// A text in English with optional Russian and Tajik versions.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Texts {
    pub en: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ru: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tg: Option<String>,
}

impl Texts {
    /// The text in `lang`, falling back to English.
    pub fn get(&self, lang: &str) -> &str {
        match lang {
            "ru" => self.ru.as_deref(),
            "tg" => self.tg.as_deref(),
            _ => None,
        }
        .unwrap_or(&self.en)
    }

    pub fn set(&mut self, lang: &str, text: String) {
        match lang {
            "ru" => self.ru = Some(text),
            "tg" => self.tg = Some(text),
            _ => self.en = text,
        }
    }

    pub fn has(&self, lang: &str) -> bool {
        match lang {
            "ru" => self.ru.is_some(),
            "tg" => self.tg.is_some(),
            _ => !self.en.is_empty(),
        }
    }
}

/// Where something was written: file name and one-based line.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Origin {
    pub file: String,
    pub line: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct Instrument {
    pub id: String,
    pub title: Texts,
    pub jurisdiction: String,
    pub kind: String,
    pub adopted: Option<Date>,
    pub in_force_from: Option<Date>,
    pub in_force_until: Option<Date>,
    pub status: Status,
    pub source: String,
    pub note: Option<String>,
    pub origin: Origin,
}

#[derive(Clone, Debug, Serialize)]
pub struct Provision {
    pub id: String,
    pub instrument: String,
    pub article: String,
    /// The heading the provision stands under.
    pub heading: String,
    pub label: Texts,
    pub in_force_from: Option<Date>,
    pub in_force_until: Option<Date>,
    pub status: Status,
    pub source: String,
    pub text_kind: TextKind,
    pub text: Option<String>,
    /// The language of the text quoted (two-letter code; `en` unless said).
    pub language: String,
    /// delimit's English rendering of a quotation in another language.
    pub translation: Option<String>,
    pub refs: Vec<String>,
    pub note: Option<String>,
    pub origin: Origin,
}

/// A bibliography entry that provisions and doctrines refer to.
#[derive(Clone, Debug, Serialize)]
pub struct Source {
    pub id: String,
    pub citation: String,
    pub status: Status,
    pub note: Option<String>,
    pub origin: Origin,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", content = "options", rename_all = "kebab-case")]
pub enum FactType {
    YesNo,
    OneOf(Vec<String>),
    SeveralOf(Vec<String>),
    Date,
    Number,
}

impl FactType {
    pub fn describe(&self) -> String {
        match self {
            FactType::YesNo => "yes/no".into(),
            FactType::OneOf(o) => format!("one of {{{}}}", o.join(", ")),
            FactType::SeveralOf(o) => format!("several of {{{}}}", o.join(", ")),
            FactType::Date => "date".into(),
            FactType::Number => "number".into(),
        }
    }

    pub fn options(&self) -> &[String] {
        match self {
            FactType::OneOf(o) | FactType::SeveralOf(o) => o,
            _ => &[],
        }
    }
}

/// The parts of an interview, in the order practitioners ask them: low-threat identity and
/// migration history first, then work and living conditions, then control and coercion, and
/// sensitive matters last.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Topic {
    Identity,
    Migration,
    Work,
    Control,
    Sensitive,
}

impl Topic {
    pub const ALL: [Topic; 5] = [
        Topic::Identity,
        Topic::Migration,
        Topic::Work,
        Topic::Control,
        Topic::Sensitive,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Topic::Identity => "identity",
            Topic::Migration => "migration",
            Topic::Work => "work",
            Topic::Control => "control",
            Topic::Sensitive => "sensitive",
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Fact {
    pub name: String,
    #[serde(flatten)]
    pub ty: FactType,
    /// How a journey establishes this fact, if the law says: (`crossed-border` or
    /// `crossing-lawful`, state code).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub journey: Option<(String, String)>,
    /// Where the question belongs in an interview, in the order practitioners ask: identity,
    /// migration, work, control, sensitive.
    pub topic: Topic,
    pub question: Texts,
    pub label: Texts,
    pub option_labels: Vec<Texts>,
    pub origin: Origin,
}

/// What a concept says about whom: an element of another concept, the status of a person,
/// an offence of an actor, or a consequence for the person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ConceptKind {
    Element,
    Status,
    Offence,
    Consequence,
}

impl ConceptKind {
    pub const ALL: [ConceptKind; 4] = [
        ConceptKind::Element,
        ConceptKind::Status,
        ConceptKind::Offence,
        ConceptKind::Consequence,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ConceptKind::Element => "element",
            ConceptKind::Status => "status",
            ConceptKind::Offence => "offence",
            ConceptKind::Consequence => "consequence",
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Concept {
    pub name: String,
    pub label: Texts,
    /// At least one; `element` when the law file says nothing.
    pub kinds: Vec<ConceptKind>,
    pub origin: Origin,
}

#[derive(Clone, Debug, Serialize)]
pub struct Doctrine {
    pub id: String,
    /// A doctrine reads the law in force; a reform proposes to change it.
    pub kind: crate::ast::ReadingKind,
    pub label: Texts,
    pub cites: Vec<String>,
    pub note: Option<String>,
    pub origin: Origin,
}

/// An entry of the terminology: a term, who defines it, and who treats it as a synonym of what.
#[derive(Clone, Debug, Serialize)]
pub struct Term {
    pub id: String,
    pub term: Texts,
    /// Provisions that define the term.
    pub defined_by: Vec<String>,
    /// Other terms used for the same thing.
    pub synonyms: Vec<String>,
    /// Provisions or sources that treat those terms as synonyms.
    pub synonyms_per: Vec<String>,
    /// Provisions or sources that give the terms distinct meanings.
    pub distinct_per: Vec<String>,
    /// The concept the engine decides for this term, if any.
    pub concept: Option<String>,
    pub note: Option<String>,
    pub origin: Origin,
}

/// A figure cited as context beside the law, with its source and year.
#[derive(Clone, Debug, Serialize)]
pub struct Figure {
    pub id: String,
    pub label: Texts,
    pub value: String,
    pub unit: String,
    pub year: String,
    pub source: String,
    pub status: Status,
    /// The words of the source, as read, when quoted.
    pub quote: Option<String>,
    pub note: Option<String>,
    pub origin: Origin,
}

/// An interrelation of the three phenomena along a journey, recognised from the conclusions
/// for a person and stated in a plain sentence with its sources.
#[derive(Clone, Debug, Serialize)]
pub struct Pattern {
    pub id: String,
    pub label: Texts,
    /// The sentence shown when the pattern is recognised; `{stage:CONCEPT}` names the stage
    /// from which the concept holds.
    pub sentence: Texts,
    pub cites: Vec<String>,
    /// Concepts that must hold.
    pub requires: Vec<String>,
    /// Concepts that must not hold.
    pub excludes: Vec<String>,
    /// Concepts none of which holds and at least one of which is undetermined (for want of
    /// facts, not of law).
    pub open: Vec<String>,
    /// Yes/no facts that must be known to be yes.
    pub given: Vec<String>,
    /// Pairs (a, b): a holds from an earlier stage than b.
    pub before: Vec<(String, String)>,
    /// The journey: `crossing` (some border crossed), `return` (out and back), `none`.
    pub journey: Option<String>,
    /// No actor took part in any event concerning the person.
    pub alone: bool,
    pub note: Option<String>,
    pub origin: Origin,
}

/// One version of a rule or an exception.
#[derive(Clone, Debug)]
pub struct Rule {
    pub id: String,
    pub kind: RuleKind,
    /// For an exception: the id of the rule it departs from.
    pub parent: Option<String>,
    pub concept: ConceptId,
    pub value: Expr,
    pub when: Option<Expr>,
    /// Sibling exceptions this one takes priority over.
    pub over: Vec<String>,
    pub cites: Vec<ProvisionId>,
    pub from: Date,
    pub until: Option<Date>,
    pub doctrine: Option<DoctrineId>,
    pub note: Option<String>,
    pub origin: Origin,
}

impl Rule {
    pub fn in_force_on(&self, date: Date) -> bool {
        self.from <= date && self.until.is_none_or(|u| date <= u)
    }
}

/// A resolved, typed expression. `text` is the source as written, for explanations.
#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueType {
    Bool,
    Number,
    Date,
    Choice(FactId),
    Set(FactId),
}

#[derive(Clone, Debug)]
pub enum ExprKind {
    Bool(bool),
    /// The constant `undetermined`: written where the text that would decide was not read.
    Undetermined,
    Number(f64),
    Date(Date),
    AsOf,
    /// A yes/no, number or date fact.
    Fact(FactId),
    Concept(ConceptId),
    /// A one-of fact has this option.
    Is(FactId, usize),
    /// A several-of fact includes this option.
    Has(FactId, usize),
    Not(Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
    AtLeast(u32, Vec<Expr>),
    /// Comparison of two numbers or two dates.
    Cmp(CmpOp, Box<Expr>, Box<Expr>),
    Age(Box<Expr>, Box<Expr>),
    Arith(ArithOp, Box<Expr>, Box<Expr>),
}

impl Expr {
    /// Calls `f` on each direct sub-expression.
    pub fn children(&self) -> &[Expr] {
        match &self.kind {
            ExprKind::Not(e) => std::slice::from_ref(e),
            ExprKind::And(v) | ExprKind::Or(v) | ExprKind::AtLeast(_, v) => v,
            _ => &[],
        }
    }

    /// Visits every node, depth first.
    pub fn walk(&self, f: &mut impl FnMut(&Expr)) {
        f(self);
        match &self.kind {
            ExprKind::Not(e) => e.walk(f),
            ExprKind::And(v) | ExprKind::Or(v) | ExprKind::AtLeast(_, v) => {
                v.iter().for_each(|e| e.walk(f))
            }
            ExprKind::Cmp(_, a, b) | ExprKind::Age(a, b) | ExprKind::Arith(_, a, b) => {
                a.walk(f);
                b.walk(f);
            }
            _ => {}
        }
    }

    /// The facts this expression reads.
    pub fn facts(&self, out: &mut Vec<FactId>) {
        self.walk(&mut |e| match e.kind {
            ExprKind::Fact(f) | ExprKind::Is(f, _) | ExprKind::Has(f, _) => out.push(f),
            _ => {}
        });
    }

    /// The concepts this expression reads.
    pub fn concepts(&self, out: &mut Vec<ConceptId>) {
        self.walk(&mut |e| {
            if let ExprKind::Concept(c) = e.kind {
                out.push(c)
            }
        });
    }
}

/// The whole checked law.
#[derive(Clone, Debug, Default)]
pub struct KnowledgeBase {
    pub instruments: Vec<Instrument>,
    pub provisions: Vec<Provision>,
    pub sources: Vec<Source>,
    pub facts: Vec<Fact>,
    pub concepts: Vec<Concept>,
    pub rules: Vec<Rule>,
    pub doctrines: Vec<Doctrine>,
    pub terms: Vec<Term>,
    pub figures: Vec<Figure>,
    pub patterns: Vec<Pattern>,
    /// Concepts in an order where each comes after every concept its rules read.
    pub order: Vec<ConceptId>,
    /// SHA-256 of the source files, names and contents: identifies this version of the law.
    pub hash: String,
    pub(crate) fact_index: HashMap<String, FactId>,
    pub(crate) concept_index: HashMap<String, ConceptId>,
    pub(crate) provision_index: HashMap<String, ProvisionId>,
    pub(crate) doctrine_index: HashMap<String, DoctrineId>,
}

impl KnowledgeBase {
    pub fn fact(&self, name: &str) -> Option<FactId> {
        self.fact_index.get(name).copied()
    }
    pub fn concept(&self, name: &str) -> Option<ConceptId> {
        self.concept_index.get(name).copied()
    }
    pub fn provision(&self, id: &str) -> Option<ProvisionId> {
        self.provision_index.get(id).copied()
    }
    pub fn doctrine(&self, id: &str) -> Option<DoctrineId> {
        self.doctrine_index.get(id).copied()
    }
    /// A short form of the hash for people.
    pub fn short_hash(&self) -> &str {
        &self.hash[..12.min(self.hash.len())]
    }
}
