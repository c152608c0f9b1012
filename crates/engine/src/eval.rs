//! Kleene evaluation of a plan against the facts of a case.

use crate::plan::{Plan, Tree};
use crate::value::{FactValue, Facts, Tri};
use delimit_law::ast::ArithOp;
use delimit_law::{ConceptId, Expr, ExprKind, FactType};
use jiff::civil::Date;

/// The value of an expression: a truth value, a number or a date, each possibly unknown.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Val {
    Bool(Tri),
    Number(Option<f64>),
    Date(Option<Date>),
}

impl Val {
    pub fn tri(self) -> Tri {
        match self {
            Val::Bool(t) => t,
            _ => Tri::Unknown,
        }
    }

    pub fn is_known(self) -> bool {
        match self {
            Val::Bool(t) => t.is_known(),
            Val::Number(n) => n.is_some(),
            Val::Date(d) => d.is_some(),
        }
    }

    pub fn display(self) -> String {
        match self {
            Val::Bool(t) => t.word().to_string(),
            Val::Number(Some(n)) => format!("{n}"),
            Val::Date(Some(d)) => d.to_string(),
            Val::Number(None) | Val::Date(None) => "unknown".to_string(),
        }
    }
}

/// The value of every concept for one case.
#[derive(Clone, Debug, PartialEq)]
pub struct Values {
    pub concepts: Vec<Tri>,
}

/// The values of many cases, case after case, one row of all concepts each.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchValues {
    /// Concepts per case.
    pub width: usize,
    pub values: Vec<Tri>,
}

impl BatchValues {
    pub fn len(&self) -> usize {
        self.values.len().checked_div(self.width).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The value of `concept` for case number `case`.
    pub fn get(&self, case: usize, concept: ConceptId) -> Tri {
        self.values[case * self.width + concept]
    }

    /// The values of one case.
    pub fn case(&self, case: usize) -> &[Tri] {
        &self.values[case * self.width..(case + 1) * self.width]
    }
}

impl Plan<'_> {
    /// Evaluates every concept, each after the concepts it reads.
    pub fn evaluate(&self, facts: &Facts) -> Values {
        let mut values = Values {
            concepts: vec![Tri::Unknown; self.kb.concepts.len()],
        };
        self.evaluate_into(facts, &mut values);
        values
    }

    /// Like [`Plan::evaluate`], reusing `values` so that a loop over many cases allocates
    /// nothing.
    pub fn evaluate_into(&self, facts: &Facts, values: &mut Values) {
        values.concepts.resize(self.kb.concepts.len(), Tri::Unknown);
        // Every evaluated concept is in `order`, each after those it reads: each is written
        // before it is read, so nothing left from a previous case is ever seen; the others
        // (a restricted plan) stay undetermined.
        if self.order.len() < self.kb.concepts.len() {
            values.concepts.fill(Tri::Unknown);
        }
        for &c in &self.order {
            values.concepts[c] = match &self.trees[c] {
                Some(t) => self.eval_tree(t, facts, values),
                None => Tri::Unknown,
            };
        }
    }

    /// Evaluates many cases in one call.
    pub fn evaluate_batch(&self, cases: &[Facts]) -> BatchValues {
        let width = self.kb.concepts.len();
        let mut out = BatchValues {
            width,
            values: Vec::with_capacity(width * cases.len()),
        };
        let mut scratch = Values {
            concepts: vec![Tri::Unknown; width],
        };
        for facts in cases {
            self.evaluate_into(facts, &mut scratch);
            out.values.extend_from_slice(&scratch.concepts);
        }
        out
    }

    pub(crate) fn eval_tree(&self, tree: &Tree, facts: &Facts, values: &Values) -> Tri {
        self.eval_chain(tree, 0, facts, values)
    }

    /// Exceptions from `from` on, then the rule itself. An exception whose condition is
    /// undetermined leaves the result undetermined unless both ways agree.
    pub(crate) fn eval_chain(
        &self,
        tree: &Tree,
        from: usize,
        facts: &Facts,
        values: &Values,
    ) -> Tri {
        let Some(exception) = tree.exceptions.get(from) else {
            return self
                .eval(&self.kb.rules[tree.rule].value, facts, values)
                .tri();
        };
        let when = self.kb.rules[exception.rule]
            .when
            .as_ref()
            .map_or(Tri::True, |w| self.eval(w, facts, values).tri());
        match when {
            Tri::True => self.eval_tree(exception, facts, values),
            Tri::False => self.eval_chain(tree, from + 1, facts, values),
            Tri::Unknown => {
                let applies = self.eval_tree(exception, facts, values);
                let otherwise = self.eval_chain(tree, from + 1, facts, values);
                if applies == otherwise {
                    applies
                } else {
                    Tri::Unknown
                }
            }
        }
    }

    pub fn eval(&self, e: &Expr, facts: &Facts, values: &Values) -> Val {
        match &e.kind {
            ExprKind::Bool(b) => Val::Bool(Tri::from_bool(*b)),
            ExprKind::Undetermined => Val::Bool(Tri::Unknown),
            ExprKind::Number(n) => Val::Number(Some(*n)),
            ExprKind::Date(d) => Val::Date(Some(*d)),
            ExprKind::AsOf => Val::Date(Some(self.query.as_of)),
            ExprKind::Concept(c) => Val::Bool(values.concepts[*c]),
            ExprKind::Fact(f) => match (facts.get(*f), &self.kb.facts[*f].ty) {
                (Some(FactValue::Bool(b)), _) => Val::Bool(Tri::from_bool(b)),
                (Some(FactValue::Number(n)), _) => Val::Number(Some(n)),
                (Some(FactValue::Date(d)), _) => Val::Date(Some(d)),
                (_, FactType::Number) => Val::Number(None),
                (_, FactType::Date) => Val::Date(None),
                _ => Val::Bool(Tri::Unknown),
            },
            ExprKind::Is(f, i) => Val::Bool(match facts.get(*f) {
                Some(FactValue::Choice(j)) => Tri::from_bool(*i == j),
                _ => Tri::Unknown,
            }),
            ExprKind::Has(f, i) => Val::Bool(match facts.get(*f) {
                Some(FactValue::Set { known, value }) if known & (1 << i) != 0 => {
                    Tri::from_bool(value & (1 << i) != 0)
                }
                _ => Tri::Unknown,
            }),
            ExprKind::Not(x) => Val::Bool(self.eval(x, facts, values).tri().not()),
            ExprKind::And(xs) => {
                let mut acc = Tri::True;
                for x in xs {
                    acc = acc.and(self.eval(x, facts, values).tri());
                    if acc == Tri::False {
                        break;
                    }
                }
                Val::Bool(acc)
            }
            ExprKind::Or(xs) => {
                let mut acc = Tri::False;
                for x in xs {
                    acc = acc.or(self.eval(x, facts, values).tri());
                    if acc == Tri::True {
                        break;
                    }
                }
                Val::Bool(acc)
            }
            ExprKind::AtLeast(n, xs) => {
                let (mut yes, mut open) = (0usize, 0usize);
                for x in xs {
                    match self.eval(x, facts, values).tri() {
                        Tri::True => yes += 1,
                        Tri::Unknown => open += 1,
                        Tri::False => {}
                    }
                }
                let n = *n as usize;
                Val::Bool(if yes >= n {
                    Tri::True
                } else if yes + open < n {
                    Tri::False
                } else {
                    Tri::Unknown
                })
            }
            ExprKind::Cmp(op, a, b) => {
                let t = match (self.eval(a, facts, values), self.eval(b, facts, values)) {
                    (Val::Number(Some(x)), Val::Number(Some(y))) => Tri::from_bool(op.holds(x, y)),
                    (Val::Date(Some(x)), Val::Date(Some(y))) => Tri::from_bool(op.holds(x, y)),
                    _ => Tri::Unknown,
                };
                Val::Bool(t)
            }
            ExprKind::Age(b, on) => {
                match (self.eval(b, facts, values), self.eval(on, facts, values)) {
                    (Val::Date(Some(b)), Val::Date(Some(on))) => {
                        Val::Number(Some(whole_years(b, on) as f64))
                    }
                    _ => Val::Number(None),
                }
            }
            ExprKind::Arith(op, a, b) => {
                let sign = if *op == ArithOp::Add { 1.0 } else { -1.0 };
                match (self.eval(a, facts, values), self.eval(b, facts, values)) {
                    (Val::Number(Some(x)), Val::Number(Some(y))) => Val::Number(Some(x + sign * y)),
                    (Val::Number(_), _) => Val::Number(None),
                    (Val::Date(Some(d)), Val::Number(Some(days))) => {
                        let days = (sign * days).round() as i64;
                        Val::Date(
                            jiff::Span::new()
                                .try_days(days)
                                .ok()
                                .and_then(|s| d.checked_add(s).ok()),
                        )
                    }
                    _ => Val::Date(None),
                }
            }
        }
    }

    /// The value of one concept, evaluating everything it needs.
    pub fn concept_value(&self, concept: ConceptId, facts: &Facts) -> Tri {
        self.evaluate(facts).concepts[concept]
    }
}

/// Completed years from `birth` to `on`: a birthday on 29 February is reached on 1 March
/// in other years.
pub fn whole_years(birth: Date, on: Date) -> i32 {
    let mut years = i32::from(on.year()) - i32::from(birth.year());
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    years
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn whole_years_counts_birthdays() {
        assert_eq!(whole_years(date(2000, 6, 15), date(2018, 6, 14)), 17);
        assert_eq!(whole_years(date(2000, 6, 15), date(2018, 6, 15)), 18);
        assert_eq!(whole_years(date(2000, 2, 29), date(2018, 2, 28)), 17);
        assert_eq!(whole_years(date(2000, 2, 29), date(2018, 3, 1)), 18);
    }
}
