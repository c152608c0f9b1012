//! The full answer for one case: every concept with its value, the rules and
//! provisions it rests on, an explanation tree and the facts that would decide it.
//! Serialisable; its JSON Schema is what `delimit schema` prints.

use crate::eval::Values;
use crate::plan::{Plan, Tree};
use crate::value::{FactValue, Facts, Tri};
use delimit_law::ast::RuleKind;
use delimit_law::{ConceptId, Expr, ExprKind, FactType, KnowledgeBase, RuleId, TextKind};
use schemars::JsonSchema;
use serde::Serialize;

/// Identifies the format of [`Assessment`] JSON.
pub const ASSESSMENT_SCHEMA: &str = "delimit.assessment/1";

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Assessment {
    /// Always `delimit.assessment/1`.
    pub schema: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
    /// The date whose law was applied (YYYY-MM-DD).
    pub as_of: String,
    pub doctrines: Vec<String>,
    pub knowledge_base: KbRef,
    pub conclusions: Vec<Conclusion>,
    /// Unknown facts, most decisive first.
    pub deciding_facts: Vec<DecidingFact>,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct KbRef {
    /// SHA-256 of the law files: the version of the law used.
    pub hash: String,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Conclusion {
    pub concept: String,
    pub label: String,
    pub value: Tri,
    /// The rule versions considered, the one that decided first.
    pub rules: Vec<RuleUse>,
    pub citations: Vec<Citation>,
    /// Unknown facts that could still change this value, most decisive first.
    pub deciding_facts: Vec<String>,
    /// False where the rules read a fact in several places: then a listed fact may turn out
    /// not to matter once others are known. No fact that matters is ever left out.
    pub deciding_facts_exact: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Explanation>,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct RuleUse {
    pub id: String,
    /// `rule` or `exception`.
    pub kind: String,
    /// First day this version applies (YYYY-MM-DD).
    pub from: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doctrine: Option<String>,
    /// Whether it applied: for an exception, whether its condition held.
    pub applied: Tri,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Citation {
    pub provision: String,
    pub instrument: String,
    pub article: String,
    pub heading: String,
    /// verified, secondary, seed, recalled or unverified.
    pub status: String,
    /// What the reader must know about the reliability of this provision, if anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caution: Option<String>,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct DecidingFact {
    pub fact: String,
    pub question: String,
    /// How many undetermined conclusions this fact could settle.
    pub settles: usize,
    pub concepts: Vec<String>,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Explanation {
    /// concept, rule, exception, expression or fact.
    pub kind: String,
    pub text: String,
    pub value: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cites: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Explanation>,
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

impl Plan<'_> {
    pub fn assess(&self, case: Option<&str>, facts: &Facts, options: &AssessOptions) -> Assessment {
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
                    concept: kb.concepts[c].name.clone(),
                    label: kb.concepts[c].label.get(&options.lang).to_string(),
                    value: values.concepts[c],
                    rules: rules
                        .into_iter()
                        .map(|(r, applied)| self.rule_use(r, applied))
                        .collect(),
                    citations,
                    deciding_facts_exact: self.deciding_facts_exact(c),
                    deciding_facts: deciding
                        .into_iter()
                        .map(|f| kb.facts[f].name.clone())
                        .collect(),
                    note: self.trees[c].is_none().then(|| {
                        format!(
                            "no rule deciding this concept is in force on {}",
                            self.query.as_of
                        )
                    }),
                    explanation: options
                        .explain
                        .then(|| self.explain(c, facts, &values, &options.lang)),
                }
            })
            .collect();
        Assessment {
            schema: ASSESSMENT_SCHEMA.into(),
            case: case.map(str::to_string),
            as_of: self.query.as_of.to_string(),
            doctrines: self
                .query
                .doctrines
                .iter()
                .map(|&d| kb.doctrines[d].id.clone())
                .collect(),
            knowledge_base: KbRef {
                hash: kb.hash.clone(),
            },
            conclusions,
            deciding_facts: ranked
                .iter()
                .map(|(f, cs)| DecidingFact {
                    fact: kb.facts[*f].name.clone(),
                    question: kb.facts[*f].question.get(&options.lang).to_string(),
                    settles: cs.len(),
                    concepts: cs.iter().map(|&c| kb.concepts[c].name.clone()).collect(),
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

    fn rule_use(&self, r: RuleId, applied: Tri) -> RuleUse {
        let rule = &self.kb.rules[r];
        RuleUse {
            id: rule.id.clone(),
            kind: match rule.kind {
                RuleKind::Rule => "rule",
                RuleKind::Exception => "exception",
            }
            .into(),
            from: rule.from.to_string(),
            until: rule.until.map(|u| u.to_string()),
            doctrine: rule.doctrine.map(|d| self.kb.doctrines[d].id.clone()),
            applied,
        }
    }

    fn citations_for(&self, rules: &[(RuleId, Tri)]) -> Vec<Citation> {
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
    pub fn explain(&self, c: ConceptId, facts: &Facts, values: &Values, lang: &str) -> Explanation {
        let concept = &self.kb.concepts[c];
        let children = match &self.trees[c] {
            Some(t) => self.explain_tree(t, facts, values, lang),
            None => vec![leaf(
                "note",
                format!("no rule in force on {}", self.query.as_of),
                "undetermined".into(),
            )],
        };
        Explanation {
            kind: "concept".into(),
            text: format!("{} ({})", concept.name, concept.label.get(lang)),
            value: values.concepts[c].word().into(),
            cites: Vec::new(),
            children,
        }
    }

    fn explain_tree(
        &self,
        tree: &Tree,
        facts: &Facts,
        values: &Values,
        lang: &str,
    ) -> Vec<Explanation> {
        let mut out = Vec::new();
        for e in &tree.exceptions {
            let rule = &self.kb.rules[e.rule];
            let when = rule.when.as_ref();
            let held = when.map_or(Tri::True, |w| self.eval(w, facts, values).tri());
            let mut children: Vec<Explanation> = when
                .map(|w| self.explain_expr(w, facts, values, lang))
                .into_iter()
                .collect();
            if held != Tri::False {
                children.extend(self.explain_tree(e, facts, values, lang));
            }
            out.push(Explanation {
                kind: "exception".into(),
                text: format!(
                    "exception {} applies when {}",
                    rule.id,
                    when.map_or("always", |w| &w.text)
                ),
                value: held.word().into(),
                cites: self.cite_ids(e.rule),
                children,
            });
            if held == Tri::True {
                return out;
            }
        }
        let rule = &self.kb.rules[tree.rule];
        let value = self.eval(&rule.value, facts, values);
        out.push(Explanation {
            kind: "rule".into(),
            text: format!(
                "rule {}: {} = {}",
                rule.id, self.kb.concepts[rule.concept].name, rule.value.text
            ),
            value: value.display(),
            cites: self.cite_ids(tree.rule),
            children: match rule.value.kind {
                ExprKind::Bool(_) | ExprKind::Number(_) | ExprKind::Date(_) => Vec::new(),
                _ => vec![self.explain_expr(&rule.value, facts, values, lang)],
            },
        });
        out
    }

    fn cite_ids(&self, r: RuleId) -> Vec<String> {
        self.kb.rules[r]
            .cites
            .iter()
            .map(|&p| self.kb.provisions[p].id.clone())
            .collect()
    }

    fn explain_expr(&self, e: &Expr, facts: &Facts, values: &Values, lang: &str) -> Explanation {
        let value = self.eval(e, facts, values).display();
        match &e.kind {
            ExprKind::Concept(c) => self.explain(*c, facts, values, lang),
            ExprKind::Fact(f) | ExprKind::Is(f, _) | ExprKind::Has(f, _) => {
                let mut node = leaf("fact", e.text.clone(), value);
                if let Some(given) = describe_fact(self.kb, *f, facts) {
                    node.text = format!("{} (given: {given})", e.text);
                }
                node
            }
            _ => {
                let mut children = Vec::new();
                match &e.kind {
                    ExprKind::Not(x) => children.push(self.explain_expr(x, facts, values, lang)),
                    ExprKind::And(xs) | ExprKind::Or(xs) => {
                        // A determined result shows only the operands that decided it.
                        let whole = self.eval(e, facts, values).tri();
                        let decisive = match (&e.kind, whole) {
                            (ExprKind::Or(_), Tri::True) => Some(Tri::True),
                            (ExprKind::And(_), Tri::False) => Some(Tri::False),
                            _ => None,
                        };
                        for x in xs {
                            if decisive.is_none_or(|d| self.eval(x, facts, values).tri() == d) {
                                children.push(self.explain_expr(x, facts, values, lang));
                            }
                        }
                    }
                    ExprKind::AtLeast(_, xs) => children
                        .extend(xs.iter().map(|x| self.explain_expr(x, facts, values, lang))),
                    ExprKind::Cmp(_, a, b) | ExprKind::Age(a, b) | ExprKind::Arith(_, a, b) => {
                        for x in [a, b] {
                            if !matches!(x.kind, ExprKind::Number(_) | ExprKind::Date(_)) {
                                children.push(self.explain_expr(x, facts, values, lang));
                            }
                        }
                    }
                    _ => {}
                }
                Explanation {
                    kind: "expression".into(),
                    text: e.text.clone(),
                    value,
                    cites: Vec::new(),
                    children,
                }
            }
        }
    }
}

fn leaf(kind: &str, text: String, value: String) -> Explanation {
    Explanation {
        kind: kind.into(),
        text,
        value,
        cites: Vec::new(),
        children: Vec::new(),
    }
}

/// The option chosen for a one-of fact, for explanations; other facts show their value.
fn describe_fact(kb: &KnowledgeBase, f: usize, facts: &Facts) -> Option<String> {
    match (facts.get(f)?, &kb.facts[f].ty) {
        (FactValue::Choice(i), FactType::OneOf(o)) => o.get(i).cloned(),
        _ => None,
    }
}

/// A citation of a provision with what the reader must know about its reliability.
pub fn citation(kb: &KnowledgeBase, p: usize) -> Citation {
    let prov = &kb.provisions[p];
    let mut caution: Vec<&str> = prov.status.caution().into_iter().collect();
    match prov.text_kind {
        TextKind::Paraphrase => caution.push("the text shown is a paraphrase, not a quotation"),
        TextKind::Absent => caution.push("the text of this provision has not been read"),
        TextKind::Quoted => {}
    }
    Citation {
        provision: prov.id.clone(),
        instrument: prov.instrument.clone(),
        article: prov.article.clone(),
        heading: prov.heading.clone(),
        status: prov.status.name().into(),
        caution: (!caution.is_empty()).then(|| caution.join("; ")),
    }
}
