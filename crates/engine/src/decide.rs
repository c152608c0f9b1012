//! The deciding facts: for each undetermined concept, the unknown facts that could
//! still change it. Complete (a fact not listed cannot change the value, whatever else
//! becomes known) and sound (each listed fact can, for some answers).

use crate::eval::Values;
use crate::plan::{Plan, Tree};
use crate::value::Facts;
use delimit_law::{ExprKind, FactId};

/// A known value, comparable.
#[derive(Clone, Debug, PartialEq)]
enum Key {
    Tri(crate::Tri),
    Number(u64),
    Date(Option<jiff::civil::Date>),
    Unknown,
}

impl Key {
    fn of(v: crate::Val) -> Key {
        match v {
            crate::Val::Bool(t) => Key::Tri(t),
            crate::Val::Number(Some(n)) => Key::Number(n.to_bits()),
            crate::Val::Date(d) => Key::Date(d),
            crate::Val::Number(None) => Key::Unknown,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Op {
    Not,
    And,
    Or,
    AtLeast(usize),
    Cmp(&'static str),
    Age,
    Arith(bool),
    Ite,
    /// The constant `undetermined`: unknown for good, so never a neutral operand.
    Undetermined,
}

/// An expression with its known parts evaluated: two equal residuals agree whatever
/// else becomes known.
#[derive(Clone, Debug, PartialEq)]
enum Residual {
    Known(Key),
    /// fact, option (or `usize::MAX`), and whether it is read whole, by `is` or by `has`.
    Atom(usize, usize, u8),
    Concept(usize),
    Op(Op, Vec<Residual>),
}

/// A set of facts, one bit each.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FactSet(Vec<u64>);

impl FactSet {
    pub fn with_capacity(n: usize) -> FactSet {
        FactSet(vec![0; n.div_ceil(64)])
    }
    pub fn insert(&mut self, f: FactId) {
        if f / 64 >= self.0.len() {
            self.0.resize(f / 64 + 1, 0);
        }
        self.0[f / 64] |= 1 << (f % 64);
    }
    pub fn contains(&self, f: FactId) -> bool {
        self.0.get(f / 64).is_some_and(|w| w & (1 << (f % 64)) != 0)
    }
    pub fn union(&mut self, other: &FactSet) {
        if other.0.len() > self.0.len() {
            self.0.resize(other.0.len(), 0);
        }
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a |= b;
        }
    }
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }
    pub fn iter(&self) -> impl Iterator<Item = FactId> + '_ {
        self.0.iter().enumerate().flat_map(|(i, w)| {
            (0..64)
                .filter(move |b| w & (1 << b) != 0)
                .map(move |b| i * 64 + b)
        })
    }
}

impl Plan<'_> {
    /// For every concept, the facts that could still change its value (empty when determined).
    pub fn open_facts(&self, facts: &Facts, values: &Values) -> Vec<FactSet> {
        let n = self.kb.facts.len();
        let mut memo = vec![FactSet::with_capacity(n); self.kb.concepts.len()];
        for &c in &self.order {
            if values.concepts[c].is_known() {
                continue;
            }
            if let Some(tree) = &self.trees[c] {
                let mut out = FactSet::with_capacity(n);
                self.open_chain(tree, 0, facts, values, &memo, &mut out);
                memo[c] = out;
            }
        }
        memo
    }

    fn open_chain(
        &self,
        tree: &Tree,
        from: usize,
        facts: &Facts,
        values: &Values,
        memo: &[FactSet],
        out: &mut FactSet,
    ) {
        if self.eval_chain(tree, from, facts, values).is_known() {
            return;
        }
        let Some(exception) = tree.exceptions.get(from) else {
            self.open_expr(&self.kb.rules[tree.rule].value, facts, values, memo, out);
            return;
        };
        let when = self.kb.rules[exception.rule].when.as_ref();
        let applies = when.map_or(crate::Tri::True, |w| self.eval(w, facts, values).tri());
        match applies {
            crate::Tri::True => self.open_chain(exception, 0, facts, values, memo, out),
            crate::Tri::False => self.open_chain(tree, from + 1, facts, values, memo, out),
            crate::Tri::Unknown => {
                // When the exception and what lies beyond it leave the same expression once the
                // known facts are put in, the condition cannot matter: do not ask about it.
                let same = self.residual_chain(exception, 0, facts, values)
                    == self.residual_chain(tree, from + 1, facts, values);
                if let (Some(w), false) = (when, same) {
                    self.open_expr(w, facts, values, memo, out);
                }
                self.open_chain(exception, 0, facts, values, memo, out);
                if !same {
                    self.open_chain(tree, from + 1, facts, values, memo, out);
                }
            }
        }
    }

    fn open_expr(
        &self,
        e: &delimit_law::Expr,
        facts: &Facts,
        values: &Values,
        memo: &[FactSet],
        out: &mut FactSet,
    ) {
        if self.eval(e, facts, values).is_known() {
            return;
        }
        match &e.kind {
            ExprKind::Fact(f) | ExprKind::Is(f, _) | ExprKind::Has(f, _) => out.insert(*f),
            ExprKind::Concept(c) => out.union(&memo[*c]),
            ExprKind::Not(x) => self.open_expr(x, facts, values, memo, out),
            ExprKind::And(xs) | ExprKind::Or(xs) | ExprKind::AtLeast(_, xs) => {
                for x in xs {
                    self.open_expr(x, facts, values, memo, out);
                }
            }
            ExprKind::Cmp(_, a, b) | ExprKind::Age(a, b) | ExprKind::Arith(_, a, b) => {
                self.open_expr(a, facts, values, memo, out);
                self.open_expr(b, facts, values, memo, out);
            }
            ExprKind::Bool(_)
            | ExprKind::Undetermined
            | ExprKind::Number(_)
            | ExprKind::Date(_)
            | ExprKind::AsOf => {}
        }
    }

    /// Whether the deciding facts of `concept` are exact: its rules, with the concepts they
    /// read, read each fact (each option of a several-of fact) only once. Where they read one
    /// in several places, a fact may be listed that the combination makes redundant.
    pub fn deciding_facts_exact(&self, concept: usize) -> bool {
        self.exact.get(concept).copied().unwrap_or(false)
    }

    /// Computes [`Plan::deciding_facts_exact`] for one concept (done once, in `Plan::new`).
    pub(crate) fn reads_each_fact_once(&self, concept: usize) -> bool {
        let mut reads = Vec::new();
        let mut stack: Vec<usize> = vec![concept];
        while let Some(c) = stack.pop() {
            let Some(tree) = &self.trees[c] else { continue };
            let mut trees = vec![tree];
            while let Some(t) = trees.pop() {
                let rule = &self.kb.rules[t.rule];
                for e in std::iter::once(&rule.value).chain(rule.when.as_ref()) {
                    e.walk(&mut |x| match x.kind {
                        ExprKind::Fact(f) | ExprKind::Is(f, _) => reads.push((f, usize::MAX)),
                        ExprKind::Has(f, o) => reads.push((f, o)),
                        ExprKind::Concept(d) => stack.push(d),
                        _ => {}
                    });
                }
                trees.extend(&t.exceptions);
            }
        }
        let n = reads.len();
        reads.sort_unstable();
        reads.dedup();
        reads.len() == n
    }

    /// What remains of a chain of exceptions once the known facts are put in.
    fn residual_chain(&self, tree: &Tree, from: usize, facts: &Facts, values: &Values) -> Residual {
        let value = self.eval_chain(tree, from, facts, values);
        if value.is_known() {
            return Residual::Known(Key::Tri(value));
        }
        let Some(exception) = tree.exceptions.get(from) else {
            return self.residual(&self.kb.rules[tree.rule].value, facts, values);
        };
        let Some(when) = self.kb.rules[exception.rule].when.as_ref() else {
            return self.residual_chain(exception, 0, facts, values);
        };
        match self.eval(when, facts, values).tri() {
            crate::Tri::True => self.residual_chain(exception, 0, facts, values),
            crate::Tri::False => self.residual_chain(tree, from + 1, facts, values),
            crate::Tri::Unknown => Residual::Op(
                Op::Ite,
                vec![
                    self.residual(when, facts, values),
                    self.residual_chain(exception, 0, facts, values),
                    self.residual_chain(tree, from + 1, facts, values),
                ],
            ),
        }
    }

    /// What remains of an expression once the known facts are put in: known parts become
    /// constants, operands that no longer matter drop out.
    fn residual(&self, e: &delimit_law::Expr, facts: &Facts, values: &Values) -> Residual {
        let v = self.eval(e, facts, values);
        if v.is_known() {
            return Residual::Known(Key::of(v));
        }
        let r = |x: &delimit_law::Expr| self.residual(x, facts, values);
        match &e.kind {
            ExprKind::Fact(f) => Residual::Atom(*f, usize::MAX, 0),
            ExprKind::Is(f, i) => Residual::Atom(*f, *i, 1),
            ExprKind::Has(f, i) => Residual::Atom(*f, *i, 2),
            ExprKind::Concept(c) => Residual::Concept(*c),
            ExprKind::Not(x) => Residual::Op(Op::Not, vec![r(x)]),
            ExprKind::And(xs) | ExprKind::Or(xs) => {
                // Undetermined, so no operand decides: the known ones are neutral.
                let mut kept: Vec<Residual> = xs
                    .iter()
                    .map(r)
                    .filter(|x| !matches!(x, Residual::Known(_)))
                    .collect();
                if kept.len() == 1 {
                    return kept.pop().expect("one operand");
                }
                let op = if matches!(e.kind, ExprKind::And(_)) {
                    Op::And
                } else {
                    Op::Or
                };
                Residual::Op(op, kept)
            }
            ExprKind::AtLeast(n, xs) => {
                let parts: Vec<Residual> = xs.iter().map(r).collect();
                let yes = parts
                    .iter()
                    .filter(|p| **p == Residual::Known(Key::Tri(crate::Tri::True)))
                    .count();
                let kept = parts
                    .into_iter()
                    .filter(|p| !matches!(p, Residual::Known(_)))
                    .collect();
                Residual::Op(Op::AtLeast(*n as usize - yes.min(*n as usize)), kept)
            }
            ExprKind::Cmp(op, a, b) => Residual::Op(Op::Cmp(op.symbol()), vec![r(a), r(b)]),
            ExprKind::Age(a, b) => Residual::Op(Op::Age, vec![r(a), r(b)]),
            ExprKind::Arith(op, a, b) => Residual::Op(
                Op::Arith(*op == delimit_law::ast::ArithOp::Add),
                vec![r(a), r(b)],
            ),
            ExprKind::Undetermined => Residual::Op(Op::Undetermined, Vec::new()),
            ExprKind::Bool(_) | ExprKind::Number(_) | ExprKind::Date(_) | ExprKind::AsOf => {
                Residual::Known(Key::of(v))
            }
        }
    }

    /// Unknown facts ranked by how many undetermined concepts each could settle, most first;
    /// with that count and the concepts.
    pub fn ranked_deciding(&self, open: &[FactSet]) -> Vec<(FactId, Vec<usize>)> {
        let mut per_fact: Vec<Vec<usize>> = vec![Vec::new(); self.kb.facts.len()];
        for (c, set) in open.iter().enumerate() {
            for f in set.iter() {
                if let Some(v) = per_fact.get_mut(f) {
                    v.push(c);
                }
            }
        }
        let mut ranked: Vec<(FactId, Vec<usize>)> = per_fact
            .into_iter()
            .enumerate()
            .filter(|(_, cs)| !cs.is_empty())
            .collect();
        ranked.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
        ranked
    }
}
