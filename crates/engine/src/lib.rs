//! The delimit engine: evaluates a checked knowledge base against the facts of a case in
//! Kleene's three-valued logic, as of a date and under chosen doctrines, and says why.
//!
//! For every concept it gives the value, the rule versions used, the provisions cited with
//! their status, an explanation tree, and the deciding facts: the unknown facts that could
//! still change the value, ranked by how many open conclusions each could settle.
//! Evaluation ([`Plan::evaluate`]) is kept apart from explanation ([`Plan::assess`]) so that
//! batch work pays only for values. [`BitProgram`] evaluates the yes/no rules of a plan for 64
//! cases at a time, as bit planes.
//!
//! It knows nothing of files, case formats, storage or presentation.

mod assess;
mod bits;
mod compare;
mod decide;
mod eval;
mod plan;
mod value;

pub use assess::{
    ASSESSMENT_SCHEMA, AssessOptions, Assessment, Citation, Conclusion, DecidingFact, Explanation,
    KbRef, RuleUse, citation, unchecked_basis,
};
pub use bits::{Atom, BitProgram, BitValues, Counts, NotBitParallel, Planes};
pub use compare::{COMPARISON_SCHEMA, Cell, Comparison, Reading, Row, compare};
pub use decide::FactSet;
pub use eval::{Val, Values, whole_years};
pub use plan::{Plan, PlanError, Query, Tree};
pub use value::{FactValue, Facts, Tri};
