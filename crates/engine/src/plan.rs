//! Choosing, for a date and a set of doctrines, the rules that decide each concept.

use delimit_law::ast::RuleKind;
use delimit_law::{ConceptId, DoctrineId, KnowledgeBase, RuleId};
use jiff::civil::Date;
use std::fmt;

/// What the law is asked: as of which date, under which doctrines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    pub as_of: Date,
    pub doctrines: Vec<DoctrineId>,
}

/// A rule and the exceptions to it that are in force, highest priority first.
#[derive(Clone, Debug)]
pub struct Tree {
    pub rule: RuleId,
    pub exceptions: Vec<Tree>,
}

/// The rules in force for one query, ready to evaluate any number of cases.
#[derive(Clone, Debug)]
pub struct Plan<'kb> {
    pub kb: &'kb KnowledgeBase,
    pub query: Query,
    /// Per concept: the tree that decides it, or none when no rule is in force.
    pub trees: Vec<Option<Tree>>,
    /// Per concept: whether its deciding facts are exact (see `deciding_facts_exact`).
    pub(crate) exact: Vec<bool>,
    /// The concepts evaluated, each after those it reads: all of them, unless restricted.
    pub(crate) order: Vec<ConceptId>,
}

/// Why a query cannot be answered as asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlanError {
    /// Two chosen doctrines give different rules for one concept.
    DoctrineConflict {
        concept: String,
        doctrines: Vec<String>,
    },
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanError::DoctrineConflict { concept, doctrines } => write!(
                f,
                "doctrines {} each give their own rule for `{concept}`: choose one of them",
                doctrines
                    .iter()
                    .map(|d| format!("`{d}`"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
        }
    }
}

impl std::error::Error for PlanError {}

impl<'kb> Plan<'kb> {
    pub fn new(kb: &'kb KnowledgeBase, query: Query) -> Result<Plan<'kb>, PlanError> {
        let mut trees = Vec::with_capacity(kb.concepts.len());
        for concept in 0..kb.concepts.len() {
            trees.push(select(kb, &query, concept)?);
        }
        let mut plan = Plan {
            kb,
            query,
            trees,
            exact: Vec::new(),
            order: kb.order.clone(),
        };
        plan.exact = (0..kb.concepts.len())
            .map(|c| plan.reads_each_fact_once(c))
            .collect();
        Ok(plan)
    }
}

impl Plan<'_> {
    /// The same plan evaluating only `concepts` and what they read: other concepts stay
    /// undetermined. For batch work that needs a few conclusions of a large law.
    pub fn only(mut self, concepts: &[ConceptId]) -> Self {
        let mut needed = vec![false; self.kb.concepts.len()];
        let mut stack: Vec<ConceptId> = concepts.to_vec();
        while let Some(c) = stack.pop() {
            if std::mem::replace(&mut needed[c], true) {
                continue;
            }
            let Some(tree) = &self.trees[c] else { continue };
            let mut trees = vec![tree];
            while let Some(t) = trees.pop() {
                let rule = &self.kb.rules[t.rule];
                rule.value.concepts(&mut stack);
                if let Some(w) = &rule.when {
                    w.concepts(&mut stack);
                }
                trees.extend(&t.exceptions);
            }
        }
        self.order.retain(|&c| needed[c]);
        self
    }
}

fn chosen(query: &Query, doctrine: Option<DoctrineId>) -> bool {
    doctrine.is_none_or(|d| query.doctrines.contains(&d))
}

fn select(
    kb: &KnowledgeBase,
    query: &Query,
    concept: ConceptId,
) -> Result<Option<Tree>, PlanError> {
    let roots: Vec<RuleId> = (0..kb.rules.len())
        .filter(|&r| {
            let rule = &kb.rules[r];
            rule.kind == RuleKind::Rule && rule.concept == concept && rule.in_force_on(query.as_of)
        })
        .collect();
    let by_doctrine: Vec<RuleId> = roots
        .iter()
        .copied()
        .filter(|&r| {
            kb.rules[r]
                .doctrine
                .is_some_and(|d| query.doctrines.contains(&d))
        })
        .collect();
    let mut doctrines: Vec<DoctrineId> = by_doctrine
        .iter()
        .filter_map(|&r| kb.rules[r].doctrine)
        .collect();
    doctrines.dedup();
    if doctrines.len() > 1 {
        return Err(PlanError::DoctrineConflict {
            concept: kb.concepts[concept].name.clone(),
            doctrines: doctrines
                .iter()
                .map(|&d| kb.doctrines[d].id.clone())
                .collect(),
        });
    }
    let root = by_doctrine.first().copied().or_else(|| {
        roots
            .iter()
            .copied()
            .find(|&r| kb.rules[r].doctrine.is_none())
    });
    Ok(root.map(|r| tree(kb, query, r)))
}

fn tree(kb: &KnowledgeBase, query: &Query, rule: RuleId) -> Tree {
    let id = &kb.rules[rule].id;
    let mut children: Vec<RuleId> = (0..kb.rules.len())
        .filter(|&r| {
            let e = &kb.rules[r];
            e.kind == RuleKind::Exception
                && e.parent.as_ref() == Some(id)
                && e.in_force_on(query.as_of)
                && chosen(query, e.doctrine)
        })
        .collect();
    // Priority: an exception `over` another comes first; otherwise document order.
    let mut ordered = Vec::with_capacity(children.len());
    while !children.is_empty() {
        let pick = children
            .iter()
            .position(|&c| {
                !children
                    .iter()
                    .any(|&o| o != c && kb.rules[o].over.contains(&kb.rules[c].id))
            })
            .unwrap_or(0);
        ordered.push(children.remove(pick));
    }
    Tree {
        rule,
        exceptions: ordered.into_iter().map(|c| tree(kb, query, c)).collect(),
    }
}
