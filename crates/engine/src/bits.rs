//! Bit-parallel evaluation: a plan's yes/no rules compiled into a straight-line program over
//! two bit planes per value, 64 cases to a word.
//!
//! A value of many cases is two bit planes: `yes` (the bit is set where the value is known to
//! be true) and `no` (set where it is known to be false); neither bit set is undetermined.
//! Kleene's connectives are then plain word operations: `and` is `yes = a.yes & b.yes`,
//! `no = a.no | b.no`; `or` the other way round; `not` swaps the planes, so it costs nothing.
//! An exception whose condition is undetermined keeps only what the exception and the rest
//! agree on, as [`Plan::evaluate`] does.
//!
//! [`BitProgram::compile`] turns the rule trees of a [`Plan`] into such a program, concept
//! after concept; every instruction then runs over a block of words at a time, a loop the
//! compiler vectorises. What two bit planes cannot hold (numbers, dates, comparisons, ages)
//! is refused with [`NotBitParallel`], never approximated: [`BitProgram::partition`] says which
//! concepts can be compiled, and [`Plan::only`] restricts a plan to them.

use crate::plan::{Plan, Tree};
use crate::value::{FactValue, Facts, Tri};
use delimit_law::{ConceptId, Expr, ExprKind, FactId, FactType};
use std::collections::HashMap;
use std::fmt;

/// Words per block: each instruction runs over this many words (1,024 cases) at a time, a
/// loop long enough to vectorise, short enough for the registers to stay in cache.
const BLOCK: usize = 16;
const CASES_PER_BLOCK: usize = BLOCK * 64;

type Plane = [u64; BLOCK];
static ONES: Plane = [u64::MAX; BLOCK];
static ZEROS: Plane = [0; BLOCK];

/// One yes/no question about a case that the program reads: an input of the program.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Atom {
    /// A yes/no fact.
    Fact(FactId),
    /// A one-of fact has this option.
    Is(FactId, usize),
    /// A several-of fact includes this option.
    Has(FactId, usize),
}

impl Atom {
    /// The value of this atom for one case, as the scalar engine reads it.
    pub fn value(self, facts: &Facts) -> Tri {
        match self {
            Atom::Fact(f) => match facts.get(f) {
                Some(FactValue::Bool(b)) => Tri::from_bool(b),
                _ => Tri::Unknown,
            },
            Atom::Is(f, i) => match facts.get(f) {
                Some(FactValue::Choice(j)) => Tri::from_bool(i == j),
                _ => Tri::Unknown,
            },
            Atom::Has(f, i) => match facts.get(f) {
                Some(FactValue::Set { known, value }) if known & (1 << i) != 0 => {
                    Tri::from_bool(value & (1 << i) != 0)
                }
                _ => Tri::Unknown,
            },
        }
    }

    pub fn fact(self) -> FactId {
        match self {
            Atom::Fact(f) | Atom::Is(f, _) | Atom::Has(f, _) => f,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Src {
    Input(usize),
    /// The result of instruction number n.
    Reg(usize),
    Const(Tri),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Operand {
    src: Src,
    negated: bool,
}

impl Operand {
    fn constant(t: Tri) -> Operand {
        Operand {
            src: Src::Const(t),
            negated: false,
        }
    }

    fn not(self) -> Operand {
        match self.src {
            Src::Const(t) => Operand::constant(t.not()),
            _ => Operand {
                negated: !self.negated,
                ..self
            },
        }
    }

    fn as_const(self) -> Option<Tri> {
        match self.src {
            Src::Const(t) => Some(t),
            _ => None,
        }
    }
}

/// One instruction; instruction number n writes register n, and reads only earlier ones.
#[derive(Clone, Debug)]
enum Op {
    And(Vec<Operand>),
    Or(Vec<Operand>),
    AtLeast(usize, Vec<Operand>),
    /// An exception: where `when` holds, `applies`; where it fails, `otherwise`; where it is
    /// undetermined, the value both agree on, else undetermined.
    Except {
        when: Operand,
        applies: Operand,
        otherwise: Operand,
    },
}

/// Why a concept cannot be evaluated bit-parallel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotBitParallel {
    /// The concept asked for.
    pub concept: String,
    /// The concept whose rule holds what bits cannot express: `concept` itself or one it reads.
    pub because_of: String,
    pub rule: String,
    /// The expression, as written.
    pub expr: String,
    /// What kind of expression it is.
    pub reason: &'static str,
}

impl fmt::Display for NotBitParallel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` cannot be evaluated bit-parallel: ", self.concept)?;
        if self.because_of != self.concept {
            write!(f, "it reads `{}`, whose ", self.because_of)?;
        }
        write!(
            f,
            "rule `{}` reads `{}`, {}, which two bit planes cannot hold; the scalar engine evaluates it",
            self.rule, self.expr, self.reason
        )
    }
}

impl std::error::Error for NotBitParallel {}

/// A plan's yes/no rules as a straight-line program over bit planes.
#[derive(Clone, Debug)]
pub struct BitProgram {
    inputs: Vec<Atom>,
    input_index: HashMap<Atom, usize>,
    ops: Vec<Op>,
    /// The concepts evaluated, in the plan's order, and where each one's value is.
    outputs: Vec<(ConceptId, Operand)>,
    width: usize,
}

struct Compiler<'p, 'kb> {
    plan: &'p Plan<'kb>,
    inputs: Vec<Atom>,
    input_index: HashMap<Atom, usize>,
    ops: Vec<Op>,
    concepts: Vec<Option<Result<Operand, NotBitParallel>>>,
}

/// An expression bits cannot express: its text and what it is.
type Refusal = (String, &'static str);

impl Compiler<'_, '_> {
    fn new<'p, 'kb>(plan: &'p Plan<'kb>) -> Compiler<'p, 'kb> {
        Compiler {
            plan,
            inputs: Vec::new(),
            input_index: HashMap::new(),
            ops: Vec::new(),
            concepts: vec![None; plan.kb.concepts.len()],
        }
    }

    fn input(&mut self, atom: Atom) -> Operand {
        let next = self.inputs.len();
        let i = *self.input_index.entry(atom).or_insert(next);
        if i == next {
            self.inputs.push(atom);
        }
        Operand {
            src: Src::Input(i),
            negated: false,
        }
    }

    fn emit(&mut self, op: Op) -> Operand {
        self.ops.push(op);
        Operand {
            src: Src::Reg(self.ops.len() - 1),
            negated: false,
        }
    }

    fn concept(&mut self, c: ConceptId) -> Result<Operand, NotBitParallel> {
        let kb = self.plan.kb;
        let result = match &self.plan.trees[c] {
            None => Ok(Operand::constant(Tri::Unknown)),
            Some(tree) => self.chain(tree, 0, c),
        };
        self.concepts[c] = Some(result.clone());
        result.map_err(|mut e| {
            e.concept = kb.concepts[c].name.clone();
            e
        })
    }

    /// Exceptions from `from` on, then the rule itself, as `Plan::eval_chain`.
    fn chain(&mut self, tree: &Tree, from: usize, c: ConceptId) -> Result<Operand, NotBitParallel> {
        let kb = self.plan.kb;
        let Some(exception) = tree.exceptions.get(from) else {
            return self.rule_expr(&kb.rules[tree.rule].value, tree.rule, c);
        };
        let when = match &kb.rules[exception.rule].when {
            Some(w) => self.rule_expr(w, exception.rule, c)?,
            None => Operand::constant(Tri::True),
        };
        // Both ways are compiled even when the condition is a constant: a concept read on
        // either way must be one the program can evaluate, as `Plan::only` keeps it.
        let applies = self.chain(exception, 0, c)?;
        let otherwise = self.chain(tree, from + 1, c)?;
        Ok(match when.as_const() {
            Some(Tri::True) => applies,
            Some(Tri::False) => otherwise,
            _ => self.emit(Op::Except {
                when,
                applies,
                otherwise,
            }),
        })
    }

    fn rule_expr(
        &mut self,
        e: &Expr,
        rule: usize,
        c: ConceptId,
    ) -> Result<Operand, NotBitParallel> {
        let kb = self.plan.kb;
        self.expr(e).map_err(|r| match r {
            Err(inner) => inner,
            Ok((expr, reason)) => NotBitParallel {
                concept: kb.concepts[c].name.clone(),
                because_of: kb.concepts[c].name.clone(),
                rule: kb.rules[rule].id.clone(),
                expr,
                reason,
            },
        })
    }

    /// An operand for `e`; or what cannot be expressed (`Ok`), or a concept read that cannot
    /// be (`Err`, its own refusal).
    fn expr(&mut self, e: &Expr) -> Result<Operand, Result<Refusal, NotBitParallel>> {
        let refuse = |reason: &'static str| Err(Ok((e.text.clone(), reason)));
        Ok(match &e.kind {
            ExprKind::Bool(b) => Operand::constant(Tri::from_bool(*b)),
            ExprKind::Undetermined => Operand::constant(Tri::Unknown),
            ExprKind::Fact(f) => match self.plan.kb.facts[*f].ty {
                FactType::YesNo => self.input(Atom::Fact(*f)),
                _ => return refuse("a number or a date"),
            },
            ExprKind::Is(f, i) => self.input(Atom::Is(*f, *i)),
            ExprKind::Has(f, i) => self.input(Atom::Has(*f, *i)),
            ExprKind::Concept(c) => match &self.concepts[*c] {
                Some(Ok(op)) => *op,
                Some(Err(e)) => return Err(Err(e.clone())),
                // Not evaluated by this plan: undetermined, as in `Plan::evaluate`.
                None => Operand::constant(Tri::Unknown),
            },
            ExprKind::Not(x) => self.expr(x)?.not(),
            ExprKind::And(xs) => {
                let args = self.exprs(xs)?;
                self.and_or(args, true)
            }
            ExprKind::Or(xs) => {
                let args = self.exprs(xs)?;
                self.and_or(args, false)
            }
            ExprKind::AtLeast(n, xs) => {
                let args = self.exprs(xs)?;
                let n = *n as usize;
                if n == 0 {
                    Operand::constant(Tri::True)
                } else if n > args.len() {
                    Operand::constant(Tri::False)
                } else if n == 1 {
                    self.and_or(args, false)
                } else if n == args.len() {
                    self.and_or(args, true)
                } else {
                    self.emit(Op::AtLeast(n, args))
                }
            }
            ExprKind::Number(_) | ExprKind::Date(_) | ExprKind::AsOf => {
                return refuse("a number or a date");
            }
            ExprKind::Cmp(..) => return refuse("a comparison of numbers or dates"),
            ExprKind::Age(..) => return refuse("an age computed from dates"),
            ExprKind::Arith(..) => return refuse("arithmetic on numbers or dates"),
        })
    }

    fn exprs(&mut self, xs: &[Expr]) -> Result<Vec<Operand>, Result<Refusal, NotBitParallel>> {
        xs.iter().map(|x| self.expr(x)).collect()
    }

    /// `and` (`all` true) or `or` of `args`, with constants folded away.
    fn and_or(&mut self, args: Vec<Operand>, all: bool) -> Operand {
        let (unit, zero) = if all {
            (Tri::True, Tri::False)
        } else {
            (Tri::False, Tri::True)
        };
        if args.iter().any(|a| a.as_const() == Some(zero)) {
            return Operand::constant(zero);
        }
        let mut args: Vec<Operand> = args
            .into_iter()
            .filter(|a| a.as_const() != Some(unit))
            .collect();
        args.dedup();
        match args.len() {
            0 => Operand::constant(unit),
            1 => args[0],
            _ if all => self.emit(Op::And(args)),
            _ => self.emit(Op::Or(args)),
        }
    }
}

impl BitProgram {
    /// Compiles every concept `plan` evaluates, or says why the first that cannot be is not.
    pub fn compile(plan: &Plan) -> Result<BitProgram, NotBitParallel> {
        let mut compiler = Compiler::new(plan);
        let mut outputs = Vec::with_capacity(plan.order.len());
        for &c in &plan.order {
            outputs.push((c, compiler.concept(c)?));
        }
        Ok(BitProgram {
            inputs: compiler.inputs,
            input_index: compiler.input_index,
            ops: compiler.ops,
            outputs,
            width: plan.kb.concepts.len(),
        })
    }

    /// The concepts `plan` evaluates that a bit program can, and why each of the others
    /// cannot be. `plan.only(&can)` is then a plan [`BitProgram::compile`] accepts.
    pub fn partition(plan: &Plan) -> (Vec<ConceptId>, Vec<NotBitParallel>) {
        let mut compiler = Compiler::new(plan);
        let (mut can, mut cannot) = (Vec::new(), Vec::new());
        for &c in &plan.order {
            match compiler.concept(c) {
                Ok(_) => can.push(c),
                Err(e) => cannot.push(e),
            }
        }
        (can, cannot)
    }

    /// What the program reads, input by input.
    pub fn inputs(&self) -> &[Atom] {
        &self.inputs
    }

    /// The input that reads `atom`, if the program reads it.
    pub fn input(&self, atom: Atom) -> Option<usize> {
        self.input_index.get(&atom).copied()
    }

    /// The concepts the program evaluates, each after those it reads.
    pub fn concepts(&self) -> impl Iterator<Item = ConceptId> + '_ {
        self.outputs.iter().map(|(c, _)| *c)
    }

    /// How many instructions the program has.
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// Counts, for every concept the program evaluates (in the order of
    /// [`BitProgram::concepts`]), how many of the cases in `planes` are yes, no and
    /// undetermined, adding to `counts`.
    pub fn count(&self, planes: &Planes, counts: &mut [Counts]) {
        assert_eq!(counts.len(), self.outputs.len(), "one count per concept");
        assert_eq!(
            planes.inputs,
            self.inputs.len(),
            "planes made for this program"
        );
        let mut regs = vec![0u64; self.ops.len() * 2 * BLOCK];
        let mut scratch = Vec::new();
        let blocks = planes.len.div_ceil(CASES_PER_BLOCK);
        for b in 0..blocks {
            self.exec_block(planes, &mut regs, &mut scratch, b);
            let left = planes.len - b * CASES_PER_BLOCK;
            for ((_, out), n) in self.outputs.iter().zip(counts.iter_mut()) {
                let (t, f) = resolve(*out, planes, &regs, b);
                let (yes, no) = if left >= CASES_PER_BLOCK {
                    (popcount(t), popcount(f))
                } else {
                    (popcount_first(t, left), popcount_first(f, left))
                };
                let cases = left.min(CASES_PER_BLOCK) as u64;
                n.yes += yes;
                n.no += no;
                n.undetermined += cases - yes - no;
            }
        }
    }

    /// The value of every concept the program evaluates for every case in `planes`.
    pub fn evaluate(&self, planes: &Planes) -> BitValues {
        assert_eq!(
            planes.inputs,
            self.inputs.len(),
            "planes made for this program"
        );
        let words = planes.len.div_ceil(CASES_PER_BLOCK) * BLOCK;
        let mut out = BitValues {
            len: planes.len,
            words,
            slot: vec![None; self.width],
            data: vec![0; self.outputs.len() * 2 * words],
        };
        for (i, (c, _)) in self.outputs.iter().enumerate() {
            out.slot[*c] = Some(i);
        }
        let mut regs = vec![0u64; self.ops.len() * 2 * BLOCK];
        let mut scratch = Vec::new();
        for b in 0..words / BLOCK {
            self.exec_block(planes, &mut regs, &mut scratch, b);
            for (i, (_, o)) in self.outputs.iter().enumerate() {
                let (t, f) = resolve(*o, planes, &regs, b);
                let at = (2 * i) * words + b * BLOCK;
                out.data[at..at + BLOCK].copy_from_slice(t);
                let at = (2 * i + 1) * words + b * BLOCK;
                out.data[at..at + BLOCK].copy_from_slice(f);
            }
        }
        out
    }

    fn exec_block(&self, planes: &Planes, regs: &mut [u64], scratch: &mut Vec<u64>, b: usize) {
        for (i, op) in self.ops.iter().enumerate() {
            let (done, rest) = regs.split_at_mut(i * 2 * BLOCK);
            let (dt, rest) = rest.split_at_mut(BLOCK);
            let dt: &mut Plane = dt.try_into().expect("a block");
            let df: &mut Plane = (&mut rest[..BLOCK]).try_into().expect("a block");
            let get = |o: Operand| resolve(o, planes, done, b);
            match op {
                Op::And(args) => {
                    let (t, f) = get(args[0]);
                    *dt = *t;
                    *df = *f;
                    for a in &args[1..] {
                        let (t, f) = get(*a);
                        for k in 0..BLOCK {
                            dt[k] &= t[k];
                            df[k] |= f[k];
                        }
                    }
                }
                Op::Or(args) => {
                    let (t, f) = get(args[0]);
                    *dt = *t;
                    *df = *f;
                    for a in &args[1..] {
                        let (t, f) = get(*a);
                        for k in 0..BLOCK {
                            dt[k] |= t[k];
                            df[k] &= f[k];
                        }
                    }
                }
                Op::Except {
                    when,
                    applies,
                    otherwise,
                } => {
                    let (wt, wf) = get(*when);
                    let (at, af) = get(*applies);
                    let (ot, of) = get(*otherwise);
                    for k in 0..BLOCK {
                        dt[k] = (wt[k] & at[k]) | (wf[k] & ot[k]) | (at[k] & ot[k]);
                        df[k] = (wt[k] & af[k]) | (wf[k] & of[k]) | (af[k] & of[k]);
                    }
                }
                Op::AtLeast(n, args) => {
                    // Yes where at least n are yes; no where fewer than n are not no.
                    let planes: Vec<(&Plane, &Plane)> = args.iter().map(|a| get(*a)).collect();
                    for k in 0..BLOCK {
                        dt[k] = at_least(*n, planes.iter().map(|p| p.0[k]), scratch);
                        df[k] = !at_least(*n, planes.iter().map(|p| !p.1[k]), scratch);
                    }
                }
            }
        }
    }
}

/// The lanes where at least `n` of `xs` are set.
fn at_least(n: usize, xs: impl Iterator<Item = u64>, reached: &mut Vec<u64>) -> u64 {
    // reached[j]: the lanes where at least j of the words seen so far are set.
    reached.clear();
    reached.resize(n + 1, 0);
    reached[0] = u64::MAX;
    for x in xs {
        for j in (1..=n).rev() {
            reached[j] |= reached[j - 1] & x;
        }
    }
    reached[n]
}

fn popcount(p: &Plane) -> u64 {
    p.iter().map(|w| u64::from(w.count_ones())).sum()
}

/// Set bits among the first `cases` lanes of a block.
fn popcount_first(p: &Plane, cases: usize) -> u64 {
    let mut n = 0;
    for (k, w) in p.iter().enumerate() {
        let first = k * 64;
        if first >= cases {
            break;
        }
        let keep = if cases - first >= 64 {
            u64::MAX
        } else {
            (1u64 << (cases - first)) - 1
        };
        n += u64::from((w & keep).count_ones());
    }
    n
}

fn resolve<'a>(
    o: Operand,
    planes: &'a Planes,
    regs: &'a [u64],
    b: usize,
) -> (&'a Plane, &'a Plane) {
    let (t, f): (&Plane, &Plane) = match o.src {
        Src::Const(Tri::True) => (&ONES, &ZEROS),
        Src::Const(Tri::False) => (&ZEROS, &ONES),
        Src::Const(Tri::Unknown) => (&ZEROS, &ZEROS),
        Src::Reg(r) => {
            let at = r * 2 * BLOCK;
            (
                regs[at..at + BLOCK].try_into().expect("a block"),
                regs[at + BLOCK..at + 2 * BLOCK]
                    .try_into()
                    .expect("a block"),
            )
        }
        Src::Input(i) => {
            let at = 2 * i * planes.words + b * BLOCK;
            let af = (2 * i + 1) * planes.words + b * BLOCK;
            (
                planes.data[at..at + BLOCK].try_into().expect("a block"),
                planes.data[af..af + BLOCK].try_into().expect("a block"),
            )
        }
    };
    if o.negated { (f, t) } else { (t, f) }
}

/// How many cases came out yes, no and undetermined for one concept.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub yes: u64,
    pub no: u64,
    pub undetermined: u64,
}

/// The inputs of a bit program for many cases: for each input, a `yes` and a `no` plane.
#[derive(Clone, Debug)]
pub struct Planes {
    inputs: usize,
    /// Words per plane, a whole number of blocks.
    words: usize,
    len: usize,
    data: Vec<u64>,
}

impl Planes {
    /// Room for `capacity` cases (rounded up to whole blocks), all undetermined; none yet.
    pub fn new(program: &BitProgram, capacity: usize) -> Planes {
        let words = capacity.max(1).div_ceil(CASES_PER_BLOCK) * BLOCK;
        Planes {
            inputs: program.inputs.len(),
            words,
            len: 0,
            data: vec![0; program.inputs.len() * 2 * words],
        }
    }

    /// How many cases the planes hold room for.
    pub fn capacity(&self) -> usize {
        self.words * 64
    }

    /// How many cases are evaluated.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Sets how many cases are evaluated: the first `len`.
    pub fn set_len(&mut self, len: usize) {
        assert!(len <= self.capacity(), "{len} cases in planes for fewer");
        self.len = len;
    }

    /// Every input of every case undetermined; no case.
    pub fn clear(&mut self) {
        self.data.fill(0);
        self.len = 0;
    }

    /// The `yes` and `no` planes of one input, 64 cases to a word (case `i` is bit `i % 64` of
    /// word `i / 64`), to fill in a whole word at a time. A bit set in both is a contradiction
    /// the caller must not write.
    pub fn input_mut(&mut self, input: usize) -> (&mut [u64], &mut [u64]) {
        let (t, f) = self.data[2 * input * self.words..(2 * input + 2) * self.words]
            .split_at_mut(self.words);
        (t, f)
    }

    /// Sets one input of one case.
    pub fn set(&mut self, input: usize, case: usize, value: Tri) {
        let (w, bit) = (case / 64, 1u64 << (case % 64));
        let (t, f) = self.input_mut(input);
        t[w] &= !bit;
        f[w] &= !bit;
        match value {
            Tri::True => t[w] |= bit,
            Tri::False => f[w] |= bit,
            Tri::Unknown => {}
        }
    }

    /// Appends one case given as the scalar engine's facts.
    pub fn push(&mut self, program: &BitProgram, facts: &Facts) {
        let case = self.len;
        self.set_len(case + 1);
        for (i, atom) in program.inputs.iter().enumerate() {
            self.set(i, case, atom.value(facts));
        }
    }
}

/// The values of every concept a bit program evaluates, for many cases.
#[derive(Clone, Debug)]
pub struct BitValues {
    len: usize,
    words: usize,
    /// Per concept of the knowledge base: its planes, if evaluated.
    slot: Vec<Option<usize>>,
    data: Vec<u64>,
}

impl BitValues {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The value of `concept` for case number `case`; undetermined for a concept not
    /// evaluated, as in a restricted plan.
    pub fn get(&self, case: usize, concept: ConceptId) -> Tri {
        assert!(case < self.len, "case {case} of {}", self.len);
        let Some(i) = self.slot[concept] else {
            return Tri::Unknown;
        };
        let (w, bit) = (case / 64, 1u64 << (case % 64));
        if self.data[2 * i * self.words + w] & bit != 0 {
            Tri::True
        } else if self.data[(2 * i + 1) * self.words + w] & bit != 0 {
            Tri::False
        } else {
            Tri::Unknown
        }
    }
}
