//! Three-valued truth and the facts of one case.

use delimit_law::{FactId, FactType, KnowledgeBase};
use jiff::civil::Date;
use schemars::JsonSchema;
use serde::Serialize;
use std::fmt;

/// Kleene's three truth values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Tri {
    True,
    False,
    /// Not established either way by the facts given.
    #[serde(rename = "undetermined")]
    Unknown,
}

impl Tri {
    pub fn from_bool(b: bool) -> Tri {
        if b { Tri::True } else { Tri::False }
    }

    pub fn is_known(self) -> bool {
        self != Tri::Unknown
    }

    // Named like `and`/`or` beside it; `!` works too, through `std::ops::Not`.
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Tri {
        match self {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
        }
    }

    pub fn and(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::False, _) | (_, Tri::False) => Tri::False,
            (Tri::True, Tri::True) => Tri::True,
            _ => Tri::Unknown,
        }
    }

    pub fn or(self, other: Tri) -> Tri {
        self.not().and(other.not()).not()
    }

    /// "Information order": `self` is at most as informative as `other`.
    pub fn refined_by(self, other: Tri) -> bool {
        self == Tri::Unknown || self == other
    }

    pub fn word(self) -> &'static str {
        match self {
            Tri::True => "yes",
            Tri::False => "no",
            Tri::Unknown => "undetermined",
        }
    }
}

impl std::ops::Not for Tri {
    type Output = Tri;
    fn not(self) -> Tri {
        Tri::not(self)
    }
}

impl fmt::Display for Tri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

/// The known value of one fact. A fact that is not known has no value at all.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FactValue {
    Bool(bool),
    /// The index of the one option that holds.
    Choice(usize),
    /// For each option, whether it is known (`known` bit) and whether it holds (`value` bit).
    Set {
        known: u64,
        value: u64,
    },
    Number(f64),
    Date(Date),
}

impl FactValue {
    /// Whether this value fits a fact of type `ty`.
    pub fn fits(&self, ty: &FactType) -> bool {
        match (self, ty) {
            (FactValue::Bool(_), FactType::YesNo)
            | (FactValue::Number(_), FactType::Number)
            | (FactValue::Date(_), FactType::Date) => true,
            (FactValue::Choice(i), FactType::OneOf(o)) => *i < o.len(),
            (FactValue::Set { known, value }, FactType::SeveralOf(o)) => {
                let mask = if o.len() >= 64 {
                    u64::MAX
                } else {
                    (1u64 << o.len()) - 1
                };
                known & !mask == 0 && value & !known == 0
            }
            _ => false,
        }
    }
}

impl FactValue {
    /// Whether `other` says at least what `self` says: the same value, or for a several-of
    /// fact, the same answers for the options known here and perhaps more.
    pub fn refined_by(&self, other: &FactValue) -> bool {
        match (self, other) {
            (
                FactValue::Set { known, value },
                FactValue::Set {
                    known: k2,
                    value: v2,
                },
            ) => known & !k2 == 0 && (value ^ v2) & known == 0,
            (a, b) => a == b,
        }
    }
}

/// The facts of one case: one slot per fact of the knowledge base.
#[derive(Clone, Debug, PartialEq)]
pub struct Facts {
    slots: Vec<Option<FactValue>>,
}

impl Facts {
    /// No fact known.
    pub fn unknown(kb: &KnowledgeBase) -> Facts {
        Facts {
            slots: vec![None; kb.facts.len()],
        }
    }

    pub fn get(&self, fact: FactId) -> Option<FactValue> {
        self.slots.get(fact).copied().flatten()
    }

    /// Sets a fact. A set fact with no option known counts as unknown.
    pub fn set(&mut self, fact: FactId, value: FactValue) {
        let value = match value {
            FactValue::Set { known: 0, .. } => None,
            v => Some(v),
        };
        if let Some(slot) = self.slots.get_mut(fact) {
            *slot = value;
        }
    }

    pub fn clear(&mut self, fact: FactId) {
        if let Some(slot) = self.slots.get_mut(fact) {
            *slot = None;
        }
    }

    pub fn is_known(&self, fact: FactId) -> bool {
        self.get(fact).is_some()
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.iter().all(Option::is_none)
    }

    /// Whether every fact known here is known the same way in `other`
    /// (for several-of facts: option by option).
    pub fn refined_by(&self, other: &Facts) -> bool {
        self.slots
            .iter()
            .zip(&other.slots)
            .all(|(a, b)| match (a, b) {
                (None, _) => true,
                (Some(a), Some(b)) => a.refined_by(b),
                (Some(_), None) => false,
            })
    }
}
