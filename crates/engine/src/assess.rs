//! The full answer for one case: every concept with its value, the rules and
//! provisions it rests on, an explanation tree and the facts that would decide it.
//! Serialisable; its JSON Schema is what `delimit schema` prints.

use crate::eval::Values;
use crate::plan::{Plan, Tree};
use crate::value::{FactValue, Facts, Tri};
use delimit_law::ast::RuleKind;
use delimit_law::{ConceptId, Expr, ExprKind, FactType, KnowledgeBase, RuleId, Status, TextKind};
use schemars::JsonSchema;
use serde::Serialize;
use std::borrow::Cow;

/// Text borrowed from the knowledge base where it can be, owned where it is composed.
pub type Text<'a> = Cow<'a, str>;

/// Identifies the format of [`Assessment`] JSON.
pub const ASSESSMENT_SCHEMA: &str = "delimit.assessment/1";

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Assessment<'a> {
    /// Always `delimit.assessment/1`.
    pub schema: Text<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case: Option<Text<'a>>,
    /// The date whose law was applied (YYYY-MM-DD).
    pub as_of: Text<'a>,
    pub doctrines: Vec<Text<'a>>,
    pub knowledge_base: KbRef<'a>,
    pub conclusions: Vec<Conclusion<'a>>,
    /// Unknown facts, most decisive first.
    pub deciding_facts: Vec<DecidingFact<'a>>,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct KbRef<'a> {
    /// SHA-256 of the law files: the version of the law used.
    pub hash: Text<'a>,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Conclusion<'a> {
    pub concept: Text<'a>,
    pub label: Text<'a>,
    pub value: Tri,
    /// The rule versions considered, the one that decided first.
    pub rules: Vec<RuleUse<'a>>,
    pub citations: Vec<Citation<'a>>,
    /// Every provision cited was recalled or could not be found: the conclusion rests on no
    /// text that was read, and must be shown with that warning.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unchecked_basis: bool,
    /// Unknown facts that could still change this value, most decisive first.
    pub deciding_facts: Vec<Text<'a>>,
    /// False where the rules read a fact in several places: then a listed fact may turn out
    /// not to matter once others are known. No fact that matters is ever left out.
    pub deciding_facts_exact: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<Text<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Explanation<'a>>,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct RuleUse<'a> {
    pub id: Text<'a>,
    /// `rule` or `exception`.
    pub kind: Text<'a>,
    /// First day this version applies (YYYY-MM-DD).
    pub from: Text<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<Text<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doctrine: Option<Text<'a>>,
    /// Whether it applied: for an exception, whether its condition held.
    pub applied: Tri,
    /// The rule's note: what its source leaves open, what it reads as delimit's own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<Text<'a>>,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Citation<'a> {
    pub provision: Text<'a>,
    pub instrument: Text<'a>,
    pub article: Text<'a>,
    pub heading: Text<'a>,
    /// verified, secondary, seed, recalled or unverified.
    pub status: Text<'a>,
    /// What the reader must know about the reliability of this provision, if anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caution: Option<Text<'a>>,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct DecidingFact<'a> {
    pub fact: Text<'a>,
    pub question: Text<'a>,
    /// How many undetermined conclusions this fact could settle.
    pub settles: usize,
    pub concepts: Vec<Text<'a>>,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Explanation<'a> {
    /// concept, rule, exception, expression or fact.
    pub kind: Text<'a>,
    pub text: Text<'a>,
    pub value: Text<'a>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cites: Vec<Text<'a>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Explanation<'a>>,
    /// The pieces `text` is made of, for a front end that words it in another language: the
    /// rule's id (rule and exception nodes), its condition in the law language (the rule's
    /// `concept = expression`, the exception's `when`), the option a fact was given, and the
    /// date no rule was in force on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<Text<'a>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<Text<'a>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given: Option<Text<'a>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Text<'a>>,
}

/// What to include in an assessment.
#[derive(Clone, Debug)]
pub struct AssessOptions {
    pub explain: bool,
    /// en, ru or tg.
    pub lang: String,
    /// Only these concepts (all when empty).
    pub concepts: Vec<ConceptId>,
}

impl Default for AssessOptions {
    fn default() -> Self {
        AssessOptions {
            explain: true,
            lang: "en".into(),
            concepts: Vec::new(),
        }
    }
}

impl<'kb> Plan<'kb> {
    pub fn assess(
        &self,
        case: Option<&str>,
        facts: &Facts,
        options: &AssessOptions,
    ) -> Assessment<'kb> {
        let kb = self.kb;
        let values = self.evaluate(facts);
        let open = self.open_facts(facts, &values);
        let ranked = self.ranked_deciding(&open);
        let rank_of = |f: usize| {
            ranked
                .iter()
                .position(|(g, _)| *g == f)
                .unwrap_or(usize::MAX)
        };
        let wanted: Vec<ConceptId> = if options.concepts.is_empty() {
            (0..kb.concepts.len()).collect()
        } else {
            options.concepts.clone()
        };
        let conclusions = wanted
            .iter()
            .map(|&c| {
                let mut deciding: Vec<usize> = open[c].iter().collect();
                deciding.sort_by_key(|&f| rank_of(f));
                let mut rules = Vec::new();
                if let Some(t) = &self.trees[c] {
                    self.rule_uses(t, facts, &values, Tri::True, &mut rules);
                }
                let citations = self.citations_for(&rules);
                Conclusion {
                    concept: Cow::Borrowed(&kb.concepts[c].name),
                    label: Cow::Borrowed(kb.concepts[c].label.get(&options.lang)),
                    value: values.concepts[c],
                    rules: rules
                        .into_iter()
                        .map(|(r, applied)| self.rule_use(r, applied))
                        .collect(),
                    unchecked_basis: unchecked_basis(&citations),
                    citations,
                    deciding_facts_exact: self.deciding_facts_exact(c),
                    deciding_facts: deciding
                        .into_iter()
                        .map(|f| Cow::Borrowed(kb.facts[f].name.as_str()))
                        .collect(),
                    note: self.trees[c].is_none().then(|| {
                        Cow::Owned(format!(
                            "no rule deciding this concept is in force on {}",
                            self.query.as_of
                        ))
                    }),
                    // Concepts a rule reads appear as references: each has its own conclusion.
                    explanation: options.explain.then(|| {
                        let cx = Cx {
                            facts,
                            values: &values,
                            lang: &options.lang,
                            expand: false,
                        };
                        self.explain_concept(c, &cx)
                    }),
                }
            })
            .collect();
        Assessment {
            schema: Cow::Borrowed(ASSESSMENT_SCHEMA),
            case: case.map(|c| Cow::Owned(c.to_string())),
            as_of: Cow::Owned(self.query.as_of.to_string()),
            doctrines: self
                .query
                .doctrines
                .iter()
                .map(|&d| Cow::Borrowed(kb.doctrines[d].id.as_str()))
                .collect(),
            knowledge_base: KbRef {
                hash: Cow::Borrowed(&kb.hash),
            },
            conclusions,
            deciding_facts: ranked
                .iter()
                .map(|(f, cs)| DecidingFact {
                    fact: Cow::Borrowed(&kb.facts[*f].name),
                    question: Cow::Borrowed(kb.facts[*f].question.get(&options.lang)),
                    settles: cs.len(),
                    concepts: cs
                        .iter()
                        .map(|&c| Cow::Borrowed(kb.concepts[c].name.as_str()))
                        .collect(),
                })
                .collect(),
        }
    }

    /// Every rule version and exception that applied to this case (an exception applies when its
    /// condition holds; a rule when it is reached and no exception took over).
    pub fn rules_applied(&self, facts: &Facts) -> Vec<RuleId> {
        let values = self.evaluate(facts);
        let mut uses = Vec::new();
        for tree in self.trees.iter().flatten() {
            self.rule_uses(tree, facts, &values, Tri::True, &mut uses);
        }
        uses.into_iter()
            .filter(|(_, applied)| *applied == Tri::True)
            .map(|(r, _)| r)
            .collect()
    }

    /// The rules of a tree in the order they were considered, with whether each applied;
    /// stops where an exception's condition held.
    fn rule_uses(
        &self,
        tree: &Tree,
        facts: &Facts,
        values: &Values,
        reached: Tri,
        out: &mut Vec<(RuleId, Tri)>,
    ) {
        let mut reach = reached;
        for e in &tree.exceptions {
            let when = self.kb.rules[e.rule]
                .when
                .as_ref()
                .map_or(Tri::True, |w| self.eval(w, facts, values).tri());
            let applied = reach.and(when);
            if applied != Tri::False {
                out.push((e.rule, applied));
                self.rule_uses(e, facts, values, applied, out);
            }
            reach = reach.and(when.not());
            if reach == Tri::False {
                return;
            }
        }
        out.push((tree.rule, reach));
    }

    fn rule_use(&self, r: RuleId, applied: Tri) -> RuleUse<'kb> {
        let rule = &self.kb.rules[r];
        RuleUse {
            id: Cow::Borrowed(&rule.id),
            kind: match rule.kind {
                RuleKind::Rule => "rule",
                RuleKind::Exception => "exception",
            }
            .into(),
            from: Cow::Owned(rule.from.to_string()),
            until: rule.until.map(|u| Cow::Owned(u.to_string())),
            doctrine: rule
                .doctrine
                .map(|d| Cow::Borrowed(self.kb.doctrines[d].id.as_str())),
            applied,
            note: rule.note.as_deref().map(Cow::Borrowed),
        }
    }

    fn citations_for(&self, rules: &[(RuleId, Tri)]) -> Vec<Citation<'kb>> {
        let mut seen = Vec::new();
        for (r, _) in rules {
            for &p in &self.kb.rules[*r].cites {
                if !seen.contains(&p) {
                    seen.push(p);
                }
            }
        }
        seen.into_iter().map(|p| citation(self.kb, p)).collect()
    }

    /// The explanation tree of one concept.
    pub fn explain(
        &self,
        c: ConceptId,
        facts: &Facts,
        values: &Values,
        lang: &str,
    ) -> Explanation<'kb> {
        self.explain_concept(
            c,
            &Cx {
                facts,
                values,
                lang,
                expand: true,
            },
        )
    }

    fn explain_concept(&self, c: ConceptId, cx: &Cx<'_>) -> Explanation<'kb> {
        let concept = &self.kb.concepts[c];
        let children = match &self.trees[c] {
            Some(t) => self.explain_tree(t, cx),
            None => vec![Explanation {
                as_of: Some(Cow::Owned(self.query.as_of.to_string())),
                ..leaf(
                    "note",
                    Cow::Owned(format!("no rule in force on {}", self.query.as_of)),
                    Cow::Borrowed("undetermined"),
                )
            }],
        };
        Explanation {
            children,
            ..leaf(
                "concept",
                Cow::Owned(format!("{} ({})", concept.name, concept.label.get(cx.lang))),
                Cow::Borrowed(cx.values.concepts[c].word()),
            )
        }
    }

    fn explain_tree(&self, tree: &Tree, cx: &Cx<'_>) -> Vec<Explanation<'kb>> {
        let mut out = Vec::new();
        for e in &tree.exceptions {
            let rule: &'kb delimit_law::Rule = &self.kb.rules[e.rule];
            let when = rule.when.as_ref();
            let held = when.map_or(Tri::True, |w| self.eval(w, cx.facts, cx.values).tri());
            let mut children: Vec<Explanation<'kb>> =
                when.map(|w| self.explain_expr(w, cx)).into_iter().collect();
            if held != Tri::False {
                children.extend(self.explain_tree(e, cx));
            }
            out.push(Explanation {
                cites: self.cite_ids(e.rule),
                children,
                rule: Some(Cow::Borrowed(&rule.id)),
                condition: when.map(|w| Cow::Borrowed(w.text.as_str())),
                ..leaf(
                    "exception",
                    Cow::Owned(format!(
                        "exception {} applies when {}",
                        rule.id,
                        when.map_or("always", |w| &w.text)
                    )),
                    Cow::Borrowed(held.word()),
                )
            });
            if held == Tri::True {
                return out;
            }
        }
        let rule: &'kb delimit_law::Rule = &self.kb.rules[tree.rule];
        let value = self.eval(&rule.value, cx.facts, cx.values);
        let condition = format!(
            "{} = {}",
            self.kb.concepts[rule.concept].name, rule.value.text
        );
        let text = format!("rule {}: {condition}", rule.id);
        out.push(Explanation {
            condition: Some(Cow::Owned(condition)),
            cites: self.cite_ids(tree.rule),
            children: match rule.value.kind {
                ExprKind::Bool(_)
                | ExprKind::Undetermined
                | ExprKind::Number(_)
                | ExprKind::Date(_) => Vec::new(),
                _ => vec![self.explain_expr(&rule.value, cx)],
            },
            rule: Some(Cow::Borrowed(&rule.id)),
            ..leaf("rule", Cow::Owned(text), display(value))
        });
        out
    }

    fn cite_ids(&self, r: RuleId) -> Vec<Text<'kb>> {
        self.kb.rules[r]
            .cites
            .iter()
            .map(|&p| Cow::Borrowed(self.kb.provisions[p].id.as_str()))
            .collect()
    }

    fn explain_expr(&self, e: &'kb Expr, cx: &Cx<'_>) -> Explanation<'kb> {
        let value = display(self.eval(e, cx.facts, cx.values));
        match &e.kind {
            ExprKind::Concept(c) if cx.expand => self.explain_concept(*c, cx),
            ExprKind::Concept(c) => {
                let concept = &self.kb.concepts[*c];
                leaf(
                    "concept",
                    Cow::Owned(format!("{} ({})", concept.name, concept.label.get(cx.lang))),
                    cx.values.concepts[*c].word().into(),
                )
            }
            ExprKind::Fact(f) | ExprKind::Is(f, _) | ExprKind::Has(f, _) => {
                let mut node = leaf("fact", Cow::Borrowed(&e.text), value);
                if let Some(given) = describe_fact(self.kb, *f, cx.facts) {
                    node.text = Cow::Owned(format!("{} (given: {given})", e.text));
                    node.given = Some(Cow::Owned(given));
                }
                node
            }
            _ => {
                let mut children = Vec::new();
                match &e.kind {
                    ExprKind::Not(x) => children.push(self.explain_expr(x, cx)),
                    ExprKind::And(xs) | ExprKind::Or(xs) => {
                        // A determined result shows only the operands that decided it.
                        let whole = self.eval(e, cx.facts, cx.values).tri();
                        let decisive = match (&e.kind, whole) {
                            (ExprKind::Or(_), Tri::True) => Some(Tri::True),
                            (ExprKind::And(_), Tri::False) => Some(Tri::False),
                            _ => None,
                        };
                        for x in xs {
                            if decisive.is_none_or(|d| self.eval(x, cx.facts, cx.values).tri() == d)
                            {
                                children.push(self.explain_expr(x, cx));
                            }
                        }
                    }
                    ExprKind::AtLeast(_, xs) => {
                        children.extend(xs.iter().map(|x| self.explain_expr(x, cx)))
                    }
                    ExprKind::Cmp(_, a, b) | ExprKind::Age(a, b) | ExprKind::Arith(_, a, b) => {
                        for x in [a, b] {
                            if !matches!(x.kind, ExprKind::Number(_) | ExprKind::Date(_)) {
                                children.push(self.explain_expr(x, cx));
                            }
                        }
                    }
                    _ => {}
                }
                Explanation {
                    children,
                    ..leaf("expression", Cow::Borrowed(&e.text), value)
                }
            }
        }
    }
}

/// What an explanation is built from.
struct Cx<'a> {
    facts: &'a Facts,
    values: &'a Values,
    lang: &'a str,
    /// Whether a concept read by a rule is explained in full where it is read, or referred to.
    expand: bool,
}

fn leaf<'a>(kind: &'static str, text: Text<'a>, value: Text<'a>) -> Explanation<'a> {
    Explanation {
        kind: Cow::Borrowed(kind),
        text,
        value,
        cites: Vec::new(),
        children: Vec::new(),
        rule: None,
        condition: None,
        given: None,
        as_of: None,
    }
}

/// A value for people: truth values are borrowed words, numbers and dates are written out.
fn display(v: crate::eval::Val) -> Text<'static> {
    match v {
        crate::eval::Val::Bool(t) => Cow::Borrowed(t.word()),
        other => Cow::Owned(other.display()),
    }
}

/// The option chosen for a one-of fact, for explanations; other facts show their value.
fn describe_fact(kb: &KnowledgeBase, f: usize, facts: &Facts) -> Option<String> {
    match (facts.get(f)?, &kb.facts[f].ty) {
        (FactValue::Choice(i), FactType::OneOf(o)) => o.get(i).cloned(),
        _ => None,
    }
}

/// Whether every provision cited is recalled or unverified: a conclusion resting on them
/// rests on no text that was read.
pub fn unchecked_basis(citations: &[Citation]) -> bool {
    !citations.is_empty()
        && citations
            .iter()
            .all(|c| Status::parse(&c.status).is_some_and(Status::is_unchecked))
}

/// A citation of a provision with what the reader must know about its reliability.
pub fn citation(kb: &KnowledgeBase, p: usize) -> Citation<'_> {
    let prov = &kb.provisions[p];
    let mut caution: Vec<&'static str> = prov.status.caution().into_iter().collect();
    match prov.text_kind {
        TextKind::Paraphrase => caution.push("the text shown is a paraphrase, not a quotation"),
        TextKind::Absent => caution.push("the text of this provision has not been read"),
        TextKind::Quoted => {}
    }
    Citation {
        provision: Cow::Borrowed(&prov.id),
        instrument: Cow::Borrowed(&prov.instrument),
        article: Cow::Borrowed(&prov.article),
        heading: Cow::Borrowed(&prov.heading),
        status: Cow::Borrowed(prov.status.name()),
        caution: match caution.as_slice() {
            [] => None,
            [one] => Some(Cow::Borrowed(one)),
            many => Some(Cow::Owned(many.join("; "))),
        },
    }
}
