//! The guided interview: consent first; then, topic by topic in the order practitioners ask
//! (identity, migration history, work and living conditions, control, sensitive matters), the
//! question whose answer would settle most of what is still open; and a stop as soon as no
//! answer could change any conclusion. "Don't know" and "prefer not to say" are answers; any
//! answer can be changed, and the outcome is as if it had been given first.
//!
//! It knows the law only through the engine (conclusions and their deciding facts) and
//! nothing of terminals, web pages or storage.

pub mod indicators;
pub mod input;
pub mod measure;

use delimit_engine::{FactValue, Facts, Plan, Tri};
use delimit_law::{ConceptId, ConceptKind, FactId, KnowledgeBase, ProvisionId, Topic};

/// An answer to a question.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Reply {
    Value(FactValue),
    DontKnow,
    PreferNotToSay,
}

/// What comes next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    /// Consent has not been given yet: ask for it first.
    Consent,
    /// Ask about this fact.
    Ask(FactId),
    /// Consent was declined: the interview ends and nothing is kept.
    Declined,
    /// No answer to a question not yet asked could change any conclusion.
    Complete,
}

/// Why a question is asked: the conclusions it could settle and the provisions behind them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Why {
    pub concepts: Vec<ConceptId>,
    pub provisions: Vec<ProvisionId>,
}

/// The conclusions so far, for the panel beside the questions.
#[derive(Clone, Debug, PartialEq)]
pub struct Standing {
    /// Statuses and consequences that hold.
    pub established: Vec<ConceptId>,
    /// Statuses and consequences still undetermined.
    pub open: Vec<ConceptId>,
}

/// One interview, under one plan of the law.
pub struct Interview<'kb> {
    plan: Plan<'kb>,
    consent: Option<bool>,
    /// Replies in the order given; a later reply to the same fact replaces the earlier one.
    replies: Vec<(FactId, Reply)>,
}

impl<'kb> Interview<'kb> {
    pub fn new(plan: Plan<'kb>) -> Self {
        Interview {
            plan,
            consent: None,
            replies: Vec::new(),
        }
    }

    pub fn kb(&self) -> &'kb KnowledgeBase {
        self.plan.kb
    }

    pub fn plan(&self) -> &Plan<'kb> {
        &self.plan
    }

    pub fn consent(&mut self, given: bool) {
        self.consent = Some(given);
    }

    /// Records an answer, or replaces an earlier one.
    pub fn answer(&mut self, fact: FactId, reply: Reply) {
        self.replies.retain(|(f, _)| *f != fact);
        self.replies.push((fact, reply));
    }

    /// Takes back the last answer; returns the fact it was about.
    pub fn back(&mut self) -> Option<FactId> {
        self.replies.pop().map(|(f, _)| f)
    }

    /// The answers given, fact by fact, in the order given.
    pub fn replies(&self) -> &[(FactId, Reply)] {
        &self.replies
    }

    /// How many questions have been answered (don't know and prefer not to say included).
    pub fn asked(&self) -> usize {
        self.replies.len()
    }

    /// The facts the answers establish: the same whatever order they came in.
    pub fn facts(&self) -> Facts {
        let mut facts = Facts::unknown(self.plan.kb);
        for (f, reply) in &self.replies {
            if let Reply::Value(v) = reply {
                facts.set(*f, *v);
            }
        }
        facts
    }

    fn reported(&self, c: ConceptId) -> bool {
        let kinds = &self.plan.kb.concepts[c].kinds;
        kinds.contains(&ConceptKind::Status) || kinds.contains(&ConceptKind::Consequence)
    }

    /// For every unanswered fact: how many open conclusions it could settle.
    fn weights(&self) -> Vec<usize> {
        let facts = self.facts();
        let values = self.plan.evaluate(&facts);
        let open = self.plan.open_facts(&facts, &values);
        let mut weight = vec![0usize; self.plan.kb.facts.len()];
        for (c, set) in open.iter().enumerate() {
            if !self.reported(c) {
                continue;
            }
            for f in set.iter() {
                weight[f] += 1;
            }
        }
        for (f, _) in &self.replies {
            weight[*f] = 0;
        }
        weight
    }

    /// The next step: consent, a question, or the end.
    pub fn next(&self) -> Next {
        match self.consent {
            None => return Next::Consent,
            Some(false) => return Next::Declined,
            Some(true) => {}
        }
        let weight = self.weights();
        let kb = self.plan.kb;
        // Within the practitioners' order of topics, the most decisive question first.
        (0..kb.facts.len())
            .filter(|&f| weight[f] > 0)
            .min_by_key(|&f| (kb.facts[f].topic, std::cmp::Reverse(weight[f]), f))
            .map_or(Next::Complete, Next::Ask)
    }

    /// How many questions remain at most: every fact that could still matter.
    pub fn remaining_at_most(&self) -> usize {
        self.weights().iter().filter(|w| **w > 0).count()
    }

    /// Why this fact is asked.
    pub fn why(&self, fact: FactId) -> Why {
        let facts = self.facts();
        let values = self.plan.evaluate(&facts);
        let open = self.plan.open_facts(&facts, &values);
        let concepts: Vec<ConceptId> = (0..open.len())
            .filter(|&c| self.reported(c) && open[c].contains(fact))
            .collect();
        let mut provisions = Vec::new();
        for &c in &concepts {
            if let Some(tree) = &self.plan.trees[c] {
                let mut trees = vec![tree];
                while let Some(t) = trees.pop() {
                    for &p in &self.plan.kb.rules[t.rule].cites {
                        if !provisions.contains(&p) {
                            provisions.push(p);
                        }
                    }
                    trees.extend(&t.exceptions);
                }
            }
        }
        Why {
            concepts,
            provisions,
        }
    }

    /// The conclusions so far.
    pub fn standing(&self) -> Standing {
        let values = self.plan.evaluate(&self.facts());
        let reported: Vec<ConceptId> = (0..values.concepts.len())
            .filter(|&c| self.reported(c) && self.plan.trees[c].is_some())
            .collect();
        Standing {
            established: reported
                .iter()
                .copied()
                .filter(|&c| values.concepts[c] == Tri::True)
                .collect(),
            open: reported
                .iter()
                .copied()
                .filter(|&c| values.concepts[c] == Tri::Unknown)
                .collect(),
        }
    }

    /// The number of questions of the full questionnaire: every fact with a question.
    pub fn full_questionnaire(&self) -> usize {
        self.plan.kb.facts.len()
    }
}

/// The topics in the order an interview goes through them.
pub fn topics() -> [Topic; 5] {
    Topic::ALL
}
