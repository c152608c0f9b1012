//! Statistics against an attacker who runs every query the registry allows and solves what
//! the answers say together: every dimension over everyone, and every dimension within every
//! value of every dimension. Each published figure is a linear equation over counts of sets
//! of persons (everyone, the persons with one value, or with one value of each of two
//! variables), and counts add up over the values of any variable; the attacker solves the
//! whole system exactly and fails the test if any count of 1 to k − 1 persons comes out.
//!
//! The attacker knows nothing of how the registry suppresses: it reads the persons from the
//! database (to know the true counts and every variable's values) and the registry's public
//! answers. On the population of the differencing attack (21 men of TJK, one woman of AFG), on
//! stored journeys, and on many random small populations; on SQLite, and on PostgreSQL when
//! `DELIMIT_TEST_POSTGRES_URL` is set.

mod common;

use common::*;
use delimit_registry::{Key, NOT_RECORDED, Principal, Registry, Table, dimensions};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use sqlx::{AssertSqlSafe, Row};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The single-valued dimensions and their CTDC columns.
const SINGLE: [(&str, &str); 5] = [
    ("year", "yearOfRegistration"),
    ("gender", "gender"),
    ("age", "ageBroad"),
    ("citizenship", "citizenship"),
    ("country_of_exploitation", "CountryOfExploitation"),
];
/// The dimensions of CTDC flag columns, by the prefix of their columns.
const FLAGS: [(&str, &str); 2] = [("exploitation", "is"), ("means_of_control", "means")];
/// The dimensions of what assessments found.
const FACETS: [&str; 2] = ["qualification", "stage"];

fn flag_columns(prefix: &str) -> Vec<&'static str> {
    delimit_case::htcds::ctdc_columns()
        .iter()
        .copied()
        .filter(|c| c.starts_with(prefix))
        .collect()
}

/// A variable of the attacker's model: every person has exactly one of its values.
#[derive(Debug)]
struct Variable {
    dimension: &'static str,
    /// For a yes-or-no variable, the value of the dimension it says a person has.
    has: Option<String>,
    /// Its values: those of the population (single-valued), or `has` and `has not`.
    values: Vec<String>,
}

impl Variable {
    fn name(&self) -> String {
        match &self.has {
            Some(v) => format!("{}={v}", self.dimension),
            None => self.dimension.to_string(),
        }
    }
}

/// The persons as the database holds them: each one's value of every variable. A value that
/// no one has is no variable (each count of it is zero and its table is all zeros, which the
/// attacker checks).
struct Population {
    variables: Vec<Variable>,
    /// Person × variable → index of the value.
    persons: Vec<Vec<usize>>,
}

async fn population(r: &Registry) -> Population {
    let flags: Vec<&str> = FLAGS.iter().flat_map(|(_, p)| flag_columns(p)).collect();
    let columns: Vec<String> = SINGLE
        .iter()
        .map(|(_, c)| *c)
        .chain(flags.iter().copied())
        .map(|c| format!("\"{c}\""))
        .collect();
    let sql = format!(
        "SELECT case_id, person, {} FROM persons ORDER BY case_id, person",
        columns.join(", ")
    );
    let rows = sqlx::query(AssertSqlSafe(sql))
        .fetch_all(r.pool())
        .await
        .unwrap();
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    let mut single: Vec<Vec<String>> = Vec::new();
    let mut flagged: Vec<BTreeSet<(&'static str, String)>> = Vec::new();
    for row in &rows {
        let id: (String, String) = (row.try_get(0).unwrap(), row.try_get(1).unwrap());
        index.insert(id, single.len());
        let mut values = Vec::new();
        for i in 0..SINGLE.len() {
            let v: String = row.try_get(i + 2).unwrap();
            values.push(if v.is_empty() { NOT_RECORDED.into() } else { v });
        }
        single.push(values);
        let mut has = BTreeSet::new();
        for (j, f) in flags.iter().enumerate() {
            let v: String = row.try_get(SINGLE.len() + 2 + j).unwrap();
            if v == "1" {
                let dim = FLAGS.iter().find(|(_, p)| f.starts_with(p)).unwrap().0;
                has.insert((dim, f.to_string()));
            }
        }
        flagged.push(has);
    }
    let facets = sqlx::query(
        "SELECT DISTINCT case_id, person, dimension, value FROM facets WHERE dimension IN ('qualification', 'stage')",
    )
    .fetch_all(r.pool())
    .await
    .unwrap();
    for row in facets {
        let id: (String, String) = (row.try_get(0).unwrap(), row.try_get(1).unwrap());
        let dim: String = row.try_get(2).unwrap();
        let value: String = row.try_get(3).unwrap();
        if let Some(&p) = index.get(&id) {
            let dim = FACETS.iter().find(|d| **d == dim).unwrap();
            flagged[p].insert((dim, value));
        }
    }
    let mut variables = Vec::new();
    for (i, (dim, _)) in SINGLE.iter().enumerate() {
        let values: BTreeSet<&String> = single.iter().map(|p| &p[i]).collect();
        variables.push(Variable {
            dimension: dim,
            has: None,
            values: values.into_iter().cloned().collect(),
        });
    }
    let present: BTreeSet<&(&str, String)> = flagged.iter().flatten().collect();
    for (dim, value) in present {
        variables.push(Variable {
            dimension: dim,
            has: Some(value.clone()),
            values: vec!["has".into(), "has not".into()],
        });
    }
    let persons = (0..single.len())
        .map(|p| {
            variables
                .iter()
                .map(|v| match &v.has {
                    None => {
                        let i = SINGLE.iter().position(|(d, _)| *d == v.dimension).unwrap();
                        v.values.iter().position(|x| *x == single[p][i]).unwrap()
                    }
                    Some(value) => usize::from(!flagged[p].contains(&(v.dimension, value.clone()))),
                })
                .collect()
        })
        .collect();
    Population { variables, persons }
}

/// A set of persons: a conjunction of (variable, value) constraints, on distinct variables,
/// ordered.
type Set = Vec<(usize, usize)>;

impl Population {
    fn count(&self, set: &Set) -> i64 {
        self.persons
            .iter()
            .filter(|p| set.iter().all(|&(v, x)| p[v] == x))
            .count() as i64
    }

    /// The variable of a dimension's value as a query names it, and the value index: for a
    /// single-valued dimension its value, for a multi-valued one "has" of its variable. None
    /// when no one has it.
    fn atom(&self, dimension: &str, value: &str) -> Option<(usize, usize)> {
        self.variables.iter().enumerate().find_map(|(i, v)| {
            if v.dimension != dimension {
                return None;
            }
            match &v.has {
                None => v.values.iter().position(|x| x == value).map(|x| (i, x)),
                Some(h) => (h == value).then_some((i, 0)),
            }
        })
    }

    /// Every set of at most two constraints, the unknowns of the system.
    fn sets(&self) -> Vec<Set> {
        let atoms: Vec<(usize, usize)> = self
            .variables
            .iter()
            .enumerate()
            .flat_map(|(i, v)| (0..v.values.len()).map(move |x| (i, x)))
            .collect();
        let mut out = vec![Vec::new()];
        out.extend(atoms.iter().map(|&a| vec![a]));
        for (i, &a) in atoms.iter().enumerate() {
            for &b in &atoms[i + 1..] {
                if a.0 != b.0 {
                    out.push(vec![a, b]);
                }
            }
        }
        out
    }

    fn describe(&self, set: &Set) -> String {
        if set.is_empty() {
            return "everyone".into();
        }
        set.iter()
            .map(|&(v, x)| {
                format!(
                    "{} = {}",
                    self.variables[v].name(),
                    self.variables[v].values[x]
                )
            })
            .collect::<Vec<_>>()
            .join(" and ")
    }
}

/// A linear system over the counts of sets: Σ coefficient × unknown = constant.
struct System {
    unknowns: Vec<Set>,
    index: HashMap<Set, usize>,
    equations: Vec<(Vec<(usize, i64)>, i64)>,
    /// Which unknowns were published, with the number.
    published: BTreeMap<usize, i64>,
}

impl System {
    fn new(pop: &Population) -> System {
        let unknowns = pop.sets();
        let index = unknowns
            .iter()
            .enumerate()
            .map(|(i, s)| (s.clone(), i))
            .collect();
        let mut system = System {
            unknowns,
            index,
            equations: Vec::new(),
            published: BTreeMap::new(),
        };
        // A set's count is the sum of its counts over the values of any other variable.
        for s in system.unknowns.clone() {
            if s.len() == 2 {
                continue;
            }
            for (v, var) in pop.variables.iter().enumerate() {
                if s.iter().any(|&(w, _)| w == v) {
                    continue;
                }
                let mut terms = vec![(system.index[&s], 1)];
                for x in 0..var.values.len() {
                    let mut part = s.clone();
                    part.push((v, x));
                    part.sort();
                    terms.push((system.index[&part], -1));
                }
                system.equations.push((terms, 0));
            }
        }
        system
    }

    /// A published count of the persons in the intersection of `atoms` (none: everyone).
    fn publish(&mut self, pop: &Population, atoms: &[(usize, usize)], n: i64, what: &str) {
        let mut set: Set = atoms.to_vec();
        set.sort();
        set.dedup();
        if set.windows(2).any(|w| w[0].0 == w[1].0) {
            // Two values of one variable: no one.
            assert_eq!(n, 0, "{what}: counts no one, published {n}");
            return;
        }
        assert_eq!(n, pop.count(&set), "{what}: the published count is wrong");
        let u = self.index[&set];
        self.published.insert(u, n);
        self.equations.push((vec![(u, 1)], n));
    }

    /// Every unknown the system determines, with its value.
    fn solve(&self) -> BTreeMap<usize, i64> {
        // Exactly first: equations with one unknown left, to a fixed point.
        let mut known: BTreeMap<usize, i64> = BTreeMap::new();
        loop {
            let mut changed = false;
            for (terms, rhs) in &self.equations {
                let mut rest = *rhs;
                let mut open = Vec::new();
                for &(u, c) in terms {
                    match known.get(&u) {
                        Some(v) => rest -= c * v,
                        None => open.push((u, c)),
                    }
                }
                match open.as_slice() {
                    [] => assert_eq!(rest, 0, "the published counts contradict each other"),
                    [(u, c)] => {
                        assert_eq!(rest % c, 0);
                        known.insert(*u, rest / c);
                        changed = true;
                    }
                    _ => {}
                }
            }
            if !changed {
                break;
            }
        }
        // Then Gaussian elimination over what is left, modulo the prime 2^61 - 1. Every
        // count lies in 0..p, so a count the system determines modulo p is that count; and a
        // count it determines over the rationals it determines modulo p unless p divides a
        // determinant of this 0/±1 system, far smaller than p.
        const P: u64 = (1 << 61) - 1;
        let modp = |x: i64| x.rem_euclid(P as i64) as u64;
        let mul = |a: u64, b: u64| ((a as u128 * b as u128) % P as u128) as u64;
        let inverse = |a: u64| {
            let (mut base, mut exp, mut acc) = (a, P - 2, 1u64);
            while exp > 0 {
                if exp & 1 == 1 {
                    acc = mul(acc, base);
                }
                base = mul(base, base);
                exp >>= 1;
            }
            acc
        };
        let mut columns: BTreeMap<usize, usize> = BTreeMap::new();
        let mut rows: Vec<Vec<u64>> = Vec::new();
        let mut sparse: Vec<(Vec<(usize, i64)>, i64)> = Vec::new();
        for (terms, rhs) in &self.equations {
            let mut rest = *rhs;
            let mut open = Vec::new();
            for &(u, c) in terms {
                match known.get(&u) {
                    Some(v) => rest -= c * v,
                    None => open.push((u, c)),
                }
            }
            if open.len() >= 2 {
                for &(u, _) in &open {
                    let next = columns.len();
                    columns.entry(u).or_insert(next);
                }
                sparse.push((open, rest));
            }
        }
        let width = columns.len();
        for (open, rest) in sparse {
            let mut row = vec![0u64; width + 1];
            for (u, c) in open {
                let j = columns[&u];
                row[j] = (row[j] + modp(c)) % P;
            }
            row[width] = modp(rest);
            rows.push(row);
        }
        let mut pivots: Vec<(usize, usize)> = Vec::new();
        let mut next_row = 0;
        for col in 0..width {
            let Some(found) = (next_row..rows.len()).find(|&i| rows[i][col] != 0) else {
                continue;
            };
            rows.swap(next_row, found);
            let inv = inverse(rows[next_row][col]);
            for x in rows[next_row].iter_mut() {
                *x = mul(*x, inv);
            }
            let pivot = rows[next_row].clone();
            let nonzero: Vec<usize> = (0..=width).filter(|&j| pivot[j] != 0).collect();
            for (i, row) in rows.iter_mut().enumerate() {
                if i == next_row || row[col] == 0 {
                    continue;
                }
                let f = row[col];
                for &j in &nonzero {
                    row[j] = (row[j] + P - mul(f, pivot[j])) % P;
                }
            }
            pivots.push((next_row, col));
            next_row += 1;
        }
        for row in &rows[next_row..] {
            assert_eq!(row[width], 0, "the published counts contradict each other");
        }
        let by_column: Vec<usize> = {
            let mut v = vec![0; width];
            for (&u, &j) in &columns {
                v[j] = u;
            }
            v
        };
        for (i, col) in pivots {
            let row = &rows[i];
            if (0..width).all(|j| j == col || row[j] == 0) {
                let v = row[width];
                let value = if v > P / 2 {
                    -((P - v) as i64)
                } else {
                    v as i64
                };
                known.insert(by_column[col], value);
            }
        }
        known
    }
}

/// What the attacker works out that it should not: (the set, its count, whether the count was
/// published as such).
type Disclosures = Vec<(String, i64, bool)>;

/// Runs every allowed query on the registry as it stands and returns every count of 1 to
/// k − 1 persons the answers determine.
async fn attack(r: &Registry) -> Disclosures {
    let pop = population(r).await;
    let k = i64::from(r.policy().k);
    let actor = Principal::system("statistics");
    let mut system = System::new(&pop);
    // Every value a query may name: those of the population, one no one has, every flag.
    let mut filters: Vec<(&str, String)> = Vec::new();
    for (dim, _) in SINGLE {
        for v in &pop
            .variables
            .iter()
            .find(|v| v.dimension == dim)
            .unwrap()
            .values
        {
            filters.push((dim, v.clone()));
        }
        filters.push((dim, "1900".into()));
    }
    for (dim, prefix) in FLAGS {
        for f in flag_columns(prefix) {
            filters.push((dim, f.into()));
        }
    }
    for dim in FACETS {
        for v in pop.variables.iter().filter(|v| v.dimension == dim) {
            filters.push((dim, v.has.clone().unwrap()));
        }
        filters.push((dim, "nothing_of_the_kind".into()));
    }
    let mut tables: Vec<Table> = Vec::new();
    for d in dimensions() {
        tables.push(r.statistics(&actor, d, None).await.unwrap());
        for (f, v) in &filters {
            tables.push(r.statistics(&actor, d, Some((f, v))).await.unwrap());
        }
    }
    for t in &tables {
        let what = format!("{} within {:?}", t.dimension, t.filter);
        // The persons the table counts: everyone, or one value of the filter.
        let within: Option<Vec<(usize, usize)>> = match &t.filter {
            None => Some(Vec::new()),
            Some((f, v)) => pop.atom(f, v).map(|a| vec![a]),
        };
        let Some(within) = within else {
            // No one has the filter's value: everything it shows is zero.
            assert!(t.total.is_none_or(|n| n == 0), "{what}");
            assert!(
                t.cells.iter().all(|c| c.count.is_none_or(|n| n == 0)),
                "{what}"
            );
            continue;
        };
        if let Some(n) = t.total {
            system.publish(&pop, &within, n, &what);
        }
        let mut listed = BTreeSet::new();
        for c in &t.cells {
            assert_eq!(c.suppressed, c.count.is_none(), "{what}: {}", c.value);
            listed.insert(c.value.clone());
            let Some(atom) = pop.atom(&t.dimension, &c.value) else {
                assert!(c.count.is_none_or(|n| n == 0), "{what}: {}", c.value);
                continue;
            };
            if let Some(n) = c.count {
                let mut set = within.clone();
                set.push(atom);
                system.publish(&pop, &set, n, &format!("{what}: {}", c.value));
            }
        }
        // A value someone has that a table does not list counts no one there, which the
        // attacker takes as published (and checks).
        for (v, var) in pop.variables.iter().enumerate() {
            if var.dimension != t.dimension {
                continue;
            }
            let unlisted: Vec<usize> = match &var.has {
                None => (0..var.values.len())
                    .filter(|&x| !listed.contains(&var.values[x]))
                    .collect(),
                Some(h) => (!listed.contains(h)).then_some(0).into_iter().collect(),
            };
            for x in unlisted {
                let mut set = within.clone();
                set.push((v, x));
                system.publish(&pop, &set, 0, &format!("{what}: {} unlisted", var.name()));
            }
        }
    }
    let known = system.solve();
    let mut found = Disclosures::new();
    for (&u, &value) in &known {
        let set = &system.unknowns[u];
        assert_eq!(
            value,
            pop.count(set),
            "{}: the system says {value}",
            pop.describe(set)
        );
        if (1..k).contains(&value) {
            found.push((pop.describe(set), value, system.published.contains_key(&u)));
        }
    }
    found
}

/// A person as the random populations draw them: an index into each list of values.
#[derive(Clone, Debug)]
struct Drawn {
    single: [usize; 5],
    /// isForcedLabour, isSexualExploit, meansThreats.
    flags: [bool; 3],
    /// trafficking_in_persons, smuggling_of_migrants.
    statuses: [bool; 2],
    stage: usize,
}

const VALUES: [&[&str]; 5] = [
    &["2022", "2023"],
    &["Man", "Woman", ""],
    &["18--20", "21--23", ""],
    &["TJK", "AFG", "UZB", ""],
    &["RUS", "KAZ", ""],
];
const DRAWN_FLAGS: [&str; 3] = ["isForcedLabour", "isSexualExploit", "meansThreats"];
const STATUSES: [&str; 2] = ["trafficking_in_persons", "smuggling_of_migrants"];
const STAGES: [&str; 3] = [
    "",
    "trafficking_in_persons: destination",
    "smuggling_of_migrants: transit",
];

fn drawn() -> impl Strategy<Value = Drawn> {
    (
        (0..2usize, 0..3usize, 0..3usize, 0..4usize, 0..3usize),
        any::<[bool; 3]>(),
        any::<[bool; 2]>(),
        0..3usize,
    )
        .prop_map(|((a, b, c, d, e), flags, statuses, stage)| Drawn {
            single: [a, b, c, d, e],
            flags,
            statuses,
            stage,
        })
}

/// Replaces the registry's persons (and their facets) with `persons`, straight in the tables
/// statistics read.
async fn store(r: &Registry, persons: &[Drawn]) {
    let mut tx = r.pool().begin().await.unwrap();
    for table in ["persons", "facets"] {
        sqlx::query(AssertSqlSafe(format!("DELETE FROM {table}")))
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    let columns = delimit_case::htcds::ctdc_columns();
    let names: Vec<String> = columns.iter().map(|c| format!("\"{c}\"")).collect();
    let marks: Vec<String> = (1..=columns.len() + 2).map(|i| format!("${i}")).collect();
    let insert = format!(
        "INSERT INTO persons (case_id, person, {}) VALUES ({})",
        names.join(", "),
        marks.join(", ")
    );
    for (n, p) in persons.iter().enumerate() {
        let case = format!("c{n}");
        let mut q = sqlx::query(AssertSqlSafe(insert.clone()))
            .bind(case.clone())
            .bind("p");
        for c in columns {
            let value = match SINGLE.iter().position(|(_, col)| col == c) {
                Some(i) => VALUES[i][p.single[i]].to_string(),
                None => match DRAWN_FLAGS.iter().position(|f| f == c) {
                    Some(i) if p.flags[i] => "1".into(),
                    _ => String::new(),
                },
            };
            q = q.bind(value);
        }
        q.execute(&mut *tx).await.unwrap();
        let mut facets: Vec<(&str, &str)> = STATUSES
            .iter()
            .zip(p.statuses)
            .filter(|(_, has)| *has)
            .map(|(s, _)| ("qualification", *s))
            .collect();
        if p.stage > 0 {
            facets.push(("stage", STAGES[p.stage]));
        }
        for (dim, value) in facets {
            sqlx::query(
                "INSERT INTO facets (case_id, person, dimension, value) VALUES ($1, $2, $3, $4)",
            )
            .bind(case.clone())
            .bind("p")
            .bind(dim)
            .bind(value)
            .execute(&mut *tx)
            .await
            .unwrap();
        }
    }
    tx.commit().await.unwrap();
}

#[test]
fn the_attacker_knows_every_dimension() {
    let mut known: Vec<&str> = SINGLE.iter().map(|(d, _)| *d).collect();
    known.extend(FLAGS.iter().map(|(d, _)| *d));
    known.extend(FACETS);
    assert_eq!(
        dimensions(),
        known,
        "a new dimension needs the attacker's model"
    );
}

/// 21 men of Tajikistan and one woman of Afghanistan, all in forced labour, stored as cases.
async fn differencing_population(w: &World) {
    use delimit_case::timeline::{Answer, Gender};
    for n in 0..22 {
        let mut case = brick_kiln();
        if n == 21 {
            case.persons[0].citizenships = Answer::Known(vec!["AF".into()]);
            case.persons[0].gender = Answer::Known(Gender::Feminine);
        }
        w.registry
            .create_case(&w.caseworker, &case, &Default::default())
            .await
            .unwrap();
    }
}

fn cell<'t>(table: &'t Table, value: &str) -> &'t delimit_registry::Cell {
    table
        .cells
        .iter()
        .find(|c| c.value == value)
        .unwrap_or_else(|| panic!("{} has no {value}: {table:?}", table.dimension))
}

#[tokio::test]
async fn differencing_across_queries_does_not_single_out_the_woman() {
    for b in backends("stats-differencing").await {
        let w = world(&b, Key::generate().unwrap()).await;
        differencing_population(&w).await;
        let r = &w.registry;
        let ask = |d: &'static str, f: Option<(&'static str, &'static str)>| {
            let analyst = w.analyst.clone();
            async move { r.statistics(&analyst, d, f).await.unwrap() }
        };
        // Over everyone: one woman is under k, and the men with her.
        let gender = ask("gender", None).await;
        assert_eq!(gender.total, Some(22), "{}", b.name);
        assert!(gender.cells.iter().all(|c| c.suppressed), "{gender:?}");
        // Before, the men of TJK were 21 of a total of 21, and TJK among men 21: with the
        // total of 22, one woman, of AFG.
        let men_of_tjk = ask("gender", Some(("citizenship", "TJK"))).await;
        assert!(cell(&men_of_tjk, "Man").suppressed, "{men_of_tjk:?}");
        assert_eq!(men_of_tjk.total, None, "TJK is hidden in its own table");
        let tjk_among_men = ask("citizenship", Some(("gender", "Man"))).await;
        assert!(cell(&tjk_among_men, "TJK").suppressed, "{tjk_among_men:?}");
        // Before, forced labour counted 22 and 21 within TJK: hers.
        let forced = ask("exploitation", None).await;
        let forced_tjk = ask("exploitation", Some(("citizenship", "TJK"))).await;
        assert_eq!(cell(&forced, "isForcedLabour").count, Some(22));
        assert!(
            cell(&forced_tjk, "isForcedLabour").suppressed,
            "{forced_tjk:?}"
        );
        let forced_women = ask("exploitation", Some(("gender", "Woman"))).await;
        assert!(cell(&forced_women, "isForcedLabour").suppressed);
        // And nothing else the registry answers tells her apart either.
        let found = attack(r).await;
        assert!(found.is_empty(), "{}: {found:#?}", b.name);
    }
}

#[tokio::test]
async fn stored_journeys_tell_no_small_count() {
    for b in backends("stats-journeys").await {
        let w = world(&b, Key::generate().unwrap()).await;
        let cases: Vec<String> = (0..60)
            .map(|n| {
                serde_json::to_string(&delimit_registry::synthetic::journey(n).unwrap()).unwrap()
            })
            .collect();
        w.registry
            .import(
                &w.caseworker,
                (cases.join("\n") + "\n").as_bytes(),
                delimit_registry::ImportFormat::JsonLines,
                &mut |_| {},
            )
            .await
            .unwrap();
        let reading = delimit_registry::Reading {
            kb: kb(),
            doctrines: &[],
            as_of: None,
        };
        w.registry
            .requalify(&w.admin, reading, &mut |_| {})
            .await
            .unwrap();
        for k in [3, 11] {
            let mut r = w.registry.clone();
            r.set_minimum_cell(k).unwrap();
            let found = attack(&r).await;
            assert!(found.is_empty(), "{} k = {k}: {found:#?}", b.name);
        }
    }
}

/// A population the random search found when suppressed margins were not joined: every table
/// was safe alone, and the age and country tables with the others gave the one person whose
/// country of exploitation is not recorded (k = 2).
#[tokio::test]
async fn tables_that_are_safe_alone_are_safe_together() {
    let person = |age: usize, country: usize| Drawn {
        single: [0, 0, age, 0, country],
        flags: [false; 3],
        statuses: [false; 2],
        stage: 0,
    };
    let persons = [
        person(2, 1),
        person(0, 0),
        person(0, 0),
        person(2, 1),
        person(0, 2),
        person(1, 0),
        person(1, 0),
    ];
    for b in backends("stats-together").await {
        let mut r = Registry::open(&b.url, Key::generate().unwrap())
            .await
            .unwrap();
        r.set_minimum_cell(2).unwrap();
        store(&r, &persons).await;
        let found = attack(&r).await;
        assert!(found.is_empty(), "{}: {found:#?}", b.name);
    }
}

#[test]
fn random_populations_tell_no_small_count() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let places = rt.block_on(backends("stats-random"));
    for place in &places {
        let registry = rt.block_on(Registry::open(&place.url, Key::generate().unwrap()));
        let registry = registry.unwrap();
        let cases = if place.name == "sqlite" { 48 } else { 12 };
        let mut runner = TestRunner::new(Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        });
        let strategy = (
            prop::collection::vec(drawn(), 0..40),
            prop_oneof![2u32..=5, Just(11u32)],
        );
        runner
            .run(&strategy, |(persons, k)| {
                let mut r = registry.clone();
                r.set_minimum_cell(k).unwrap();
                let found = rt.block_on(async {
                    store(&r, &persons).await;
                    attack(&r).await
                });
                prop_assert!(found.is_empty(), "{}: k = {k}: {found:#?}", place.name);
                Ok(())
            })
            .unwrap();
    }
}
