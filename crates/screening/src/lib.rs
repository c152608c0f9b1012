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
use indicators::{Combination, Indicator, Indicators, Profile};
use std::collections::HashMap;

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
    /// Ask about this indicator of the screening list (an index into `Indicators::indicators`).
    AskIndicator(usize),
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

/// A question of the interview: a fact of the law or an indicator of a screening list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Question {
    Fact(FactId),
    Indicator(usize),
}

/// An indicator list asked alongside the law, and the rule that reads it.
#[derive(Clone, Copy)]
pub struct Screen<'a> {
    pub indicators: &'a Indicators,
    pub list: &'a str,
    pub combination: &'a Combination,
}

impl<'a> Screen<'a> {
    /// The screen for indicator list `list`, read with the first combination rule that
    /// covers it; refused with the reason when the list is unknown, unread or has nothing to
    /// ask.
    pub fn of(indicators: &'a Indicators, list: &str) -> Result<Screen<'a>, String> {
        let Some(found) = indicators.lists.iter().find(|l| l.id == list) else {
            let known: Vec<&str> = indicators.lists.iter().map(|l| l.id.as_str()).collect();
            return Err(format!(
                "no indicator list `{list}`; the lists are: {}",
                known.join(", ")
            ));
        };
        let list = found.id.as_str();
        let combination = indicators
            .combinations
            .iter()
            .find(|c| c.lists.iter().any(|l| l == list))
            .ok_or_else(|| format!("no combination rule reads the indicator list `{list}`"))?;
        let screen = Screen {
            indicators,
            list,
            combination,
        };
        if screen.askable().next().is_none() {
            return Err(format!(
                "the indicator list `{list}` has no graded indicators to ask (its items could not be sourced)"
            ));
        }
        Ok(screen)
    }

    /// The indicators the interview can ask: those of the list with a grade and a topic.
    pub fn askable(&self) -> impl Iterator<Item = (usize, &'a Indicator)> + '_ {
        self.indicators
            .indicators
            .iter()
            .enumerate()
            .filter(|(_, i)| i.list == self.list && i.grade.is_some() && i.topic.is_some())
    }
}

/// One interview, under one plan of the law, with an indicator screen if one was chosen.
pub struct Interview<'kb> {
    plan: Plan<'kb>,
    screen: Option<Screen<'kb>>,
    consent: Option<bool>,
    /// Replies in the order given; a later reply to the same question replaces the earlier one.
    replies: Vec<(Question, Reply)>,
}

impl<'kb> Interview<'kb> {
    pub fn new(plan: Plan<'kb>) -> Self {
        Interview {
            plan,
            screen: None,
            consent: None,
            replies: Vec::new(),
        }
    }

    /// The same interview, also asking the indicators of `screen` while its reading is open.
    pub fn with_screen(plan: Plan<'kb>, screen: Screen<'kb>) -> Self {
        Interview {
            screen: Some(screen),
            ..Interview::new(plan)
        }
    }

    pub fn screen(&self) -> Option<&Screen<'kb>> {
        self.screen.as_ref()
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
        self.record(Question::Fact(fact), reply);
    }

    /// Records an answer to an indicator, or replaces an earlier one.
    pub fn answer_indicator(&mut self, indicator: usize, reply: Reply) {
        self.record(Question::Indicator(indicator), reply);
    }

    fn record(&mut self, question: Question, reply: Reply) {
        self.replies.retain(|(q, _)| *q != question);
        self.replies.push((question, reply));
    }

    /// Takes back the last answer; returns the question it was about.
    pub fn back(&mut self) -> Option<Question> {
        self.replies.pop().map(|(q, _)| q)
    }

    /// The indicators of the screen that the law's answers establish: the conclusion each
    /// names in `established-by` holds on the answers so far. They are present without being
    /// asked; an answer given to one of them is kept but does not count against the law's.
    pub fn established_indicators(&self) -> Vec<usize> {
        let Some(screen) = &self.screen else {
            return Vec::new();
        };
        let kb = self.plan.kb;
        let facts = self.facts();
        let values = self.plan.evaluate(&facts);
        screen
            .askable()
            .filter(|(_, ind)| {
                ind.established_by
                    .as_ref()
                    .is_some_and(|link| match kb.concept(&link.name) {
                        Some(c) => values.concepts[c] == Tri::True,
                        None => kb
                            .fact(&link.name)
                            .is_some_and(|f| facts.get(f) == Some(FactValue::Bool(true))),
                    })
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// The indicators present in one dimension of the profile, in `lang`: each indicator's
    /// name, with the name of the law's conclusion that established it where the law's answers
    /// did rather than an answer to the indicator.
    pub fn present_in(
        &self,
        dimension: &indicators::DimensionReading,
        lang: &str,
    ) -> Vec<(&'kb str, Option<&'kb str>)> {
        let Some(screen) = &self.screen else {
            return Vec::new();
        };
        let kb = self.plan.kb;
        let established = self.established_indicators();
        dimension
            .present
            .iter()
            .filter_map(|id| {
                let (n, ind) = screen
                    .indicators
                    .indicators
                    .iter()
                    .enumerate()
                    .find(|(_, i)| &i.id == id)?;
                let by = ind
                    .established_by
                    .as_ref()
                    .filter(|_| established.contains(&n))
                    .map(|link| match kb.concept(&link.name) {
                        Some(c) => kb.concepts[c].label.get(lang),
                        None => link.name.as_str(),
                    });
                Some((ind.label.get(lang), by))
            })
            .collect()
    }

    /// The answers given to indicators, in the order given.
    pub fn indicator_replies(&self) -> impl Iterator<Item = (usize, Reply)> + '_ {
        self.replies.iter().filter_map(|&(q, r)| match q {
            Question::Indicator(i) => Some((i, r)),
            Question::Fact(_) => None,
        })
    }

    /// The answers given, fact by fact, in the order given.
    pub fn replies(&self) -> impl Iterator<Item = (FactId, Reply)> + '_ {
        self.replies.iter().filter_map(|&(q, r)| match q {
            Question::Fact(f) => Some((f, r)),
            Question::Indicator(_) => None,
        })
    }

    /// How many questions have been answered (don't know and prefer not to say included).
    pub fn asked(&self) -> usize {
        self.replies.len()
    }

    /// The facts the answers establish: the same whatever order they came in.
    pub fn facts(&self) -> Facts {
        let mut facts = Facts::unknown(self.plan.kb);
        for (f, reply) in self.replies() {
            if let Reply::Value(v) = reply {
                facts.set(f, v);
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
        for (f, _) in self.replies() {
            weight[f] = 0;
        }
        weight
    }

    /// The indicator answers as yes, no or undetermined, by indicator id.
    fn indicator_answers(&self) -> HashMap<String, Tri> {
        let Some(screen) = &self.screen else {
            return HashMap::new();
        };
        let mut answers: HashMap<String, Tri> = self
            .indicator_replies()
            .map(|(i, reply)| {
                let value = match reply {
                    Reply::Value(FactValue::Bool(b)) => Tri::from_bool(b),
                    _ => Tri::Unknown,
                };
                (screen.indicators.indicators[i].id.clone(), value)
            })
            .collect();
        for i in self.established_indicators() {
            answers.insert(screen.indicators.indicators[i].id.clone(), Tri::True);
        }
        answers
    }

    /// The indicator profile so far: indicative, never a legal finding.
    pub fn profile(&self) -> Option<Profile> {
        let screen = self.screen.as_ref()?;
        Some(
            screen
                .indicators
                .profile(screen.combination, screen.list, &self.indicator_answers()),
        )
    }

    /// For every unanswered indicator: how much its answer could settle. An indicator counts
    /// while the reading and its dimension are both open; twice where its dimension alone,
    /// found negative, would settle the reading. Sensitive indicators wait until some
    /// indicator of the list has been answered yes: they are asked only when something
    /// points to them.
    fn indicator_weights(&self) -> Vec<(usize, usize)> {
        let (Some(screen), Some(profile)) = (&self.screen, self.profile()) else {
            return Vec::new();
        };
        if profile.indicative_reading != Tri::Unknown {
            return Vec::new();
        }
        let triggered = profile.dimensions.iter().any(|d| !d.present.is_empty());
        let answered: Vec<usize> = self
            .indicator_replies()
            .map(|(i, _)| i)
            .chain(self.established_indicators())
            .collect();
        let answers = self.indicator_answers();
        let mut necessary: HashMap<&str, bool> = HashMap::new();
        for d in &profile.dimensions {
            let mut without = answers.clone();
            for i in &screen.indicators.indicators {
                if i.list == screen.list && i.dimension.as_deref() == Some(&d.dimension) {
                    without.insert(i.id.clone(), Tri::False);
                }
            }
            let reading = screen
                .indicators
                .profile(screen.combination, screen.list, &without)
                .indicative_reading;
            necessary.insert(&d.dimension, reading == Tri::False);
        }
        let open_dimension = |d: &str| {
            profile
                .dimensions
                .iter()
                .any(|r| r.dimension == d && r.positive == Tri::Unknown)
        };
        screen
            .askable()
            .filter(|(i, ind)| {
                !answered.contains(i) && (triggered || ind.topic != Some(Topic::Sensitive))
            })
            .filter_map(|(i, ind)| {
                let d = ind.dimension.as_deref()?;
                open_dimension(d).then(|| (i, 1 + usize::from(necessary[d])))
            })
            .collect()
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
        // Within the practitioners' order of topics, the most decisive question first: the
        // law's questions before indicators of the same weight, strong indicators first.
        let facts = (0..kb.facts.len()).filter(|&f| weight[f] > 0).map(|f| {
            (
                (kb.facts[f].topic, std::cmp::Reverse(weight[f]), 0, None, f),
                Next::Ask(f),
            )
        });
        let indicators = self.indicator_weights().into_iter().filter_map(|(i, w)| {
            let ind = self.indicator(i)?;
            let key = (ind.topic?, std::cmp::Reverse(w), 1, ind.grade, i);
            Some((key, Next::AskIndicator(i)))
        });
        facts
            .chain(indicators)
            .min_by_key(|(key, _)| *key)
            .map_or(Next::Complete, |(_, next)| next)
    }

    /// How many questions remain at most: every fact and indicator that could still matter.
    pub fn remaining_at_most(&self) -> usize {
        self.weights().iter().filter(|w| **w > 0).count() + self.indicator_weights().len()
    }

    /// The indicator behind an `AskIndicator`.
    pub fn indicator(&self, i: usize) -> Option<&'kb Indicator> {
        self.screen.map(|s| &s.indicators.indicators[i])
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

    /// The number of questions of the full questionnaire: every fact with a question, and every
    /// graded indicator of the screen.
    pub fn full_questionnaire(&self) -> usize {
        let indicators = self.screen.map_or(0, |s| s.askable().count());
        self.plan.kb.facts.len() + indicators
    }
}

/// The topics in the order an interview goes through them.
pub fn topics() -> [Topic; 5] {
    Topic::ALL
}
