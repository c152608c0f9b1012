//! The counts statistics suppress, taken from the database in one snapshot: `GROUP BY`
//! queries over `persons` (one row per person, the CTDC columns) and `facets` (one row per
//! person and status or stage found), in SQL that SQLite and PostgreSQL both read. Only coded
//! columns are read, never free text; column names come from this crate's own lists, values
//! are bound.

use super::{Dimension, NOT_RECORDED};
use crate::{Backend, Result};
use sqlx::{Any, AssertSqlSafe, Row, Transaction};
use std::collections::HashMap;

/// The persons a binary variable holds for: a condition on `p`, a row of `persons`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Holds {
    /// A CTDC flag column is `1`.
    Flag(&'static str),
    /// The person has this facet (`qualification` or `stage`) value.
    Facet(&'static str, String),
}

impl Holds {
    /// The condition, with its values bound from `$first` on.
    fn sql(&self, first: usize) -> (String, Vec<String>) {
        match self {
            Holds::Flag(column) => (format!("p.\"{column}\" = '1'"), Vec::new()),
            // Uncorrelated, so that SQLite gathers the persons once rather than once a row.
            Holds::Facet(dimension, value) => (
                format!(
                    "(p.case_id, p.person) IN (SELECT h.case_id, h.person FROM facets h WHERE h.dimension = ${first} AND h.value = ${})",
                    first + 1
                ),
                vec![(*dimension).to_string(), value.clone()],
            ),
        }
    }
}

/// A stored value as statistics name it: CTDC leaves a column empty where it is not known.
fn value_name(stored: String) -> String {
    if stored.is_empty() {
        NOT_RECORDED.to_string()
    } else {
        stored
    }
}

/// Value → count.
pub(crate) type Counts = HashMap<String, i64>;

/// (value of one column, value of another) → count.
pub(crate) type PairCounts = HashMap<(String, String), i64>;

/// The counts of one request, each query asked once, all in one read transaction. Where a
/// two-way query gives a one-way table by adding up, it is kept for the one-way table too.
pub(crate) struct Census<'c> {
    tx: Transaction<'c, Any>,
    backend: Backend,
    persons: Option<i64>,
    single: HashMap<&'static str, Counts>,
    single_where: HashMap<(&'static str, Holds), Counts>,
    single_by_single: HashMap<(&'static str, &'static str), PairCounts>,
    flags: HashMap<Option<Holds>, (i64, Vec<i64>)>,
    flags_by: HashMap<&'static str, HashMap<String, (i64, Vec<i64>)>>,
    /// By condition: facet dimension → value → persons.
    facets: HashMap<Option<Holds>, HashMap<String, Counts>>,
    /// By column: (facet dimension, facet value, column value) → persons.
    facets_by: HashMap<&'static str, HashMap<(String, String, String), i64>>,
}

/// Every CTDC flag column statistics count, in the order of the flag dimensions.
fn all_flags() -> Vec<&'static str> {
    super::DIMENSIONS
        .iter()
        .flat_map(Dimension::flags)
        .collect()
}

/// The facets `g` of the facet dimensions ($1, $2), each person once per value, joined to the
/// persons `p` they describe. A case's facets are replaced as a whole in one transaction; on
/// SQLite, whose writers take turns, that leaves one row per person and value, while two
/// PostgreSQL transactions assessing one case at once could both insert theirs: there the rows
/// are made distinct first (cheap on PostgreSQL, and twice the cost of the count on SQLite).
fn facets_from(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => {
            "facets g JOIN persons p ON p.case_id = g.case_id AND p.person = g.person WHERE g.dimension IN ($1, $2)"
        }
        Backend::Postgres => {
            "(SELECT DISTINCT case_id, person, dimension, value FROM facets WHERE dimension IN ($1, $2)) g JOIN persons p ON p.case_id = g.case_id AND p.person = g.person WHERE 1 = 1"
        }
    }
}

/// The names of the facet dimensions, bound as $1 and $2 of `FACETS`.
fn facet_dimensions() -> Vec<String> {
    let names: Vec<String> = super::DIMENSIONS
        .iter()
        .filter(|d| matches!(d.kind, super::Kind::Facets))
        .map(|d| d.name.to_string())
        .collect();
    debug_assert_eq!(names.len(), 2);
    names
}

fn sum_by<K: std::hash::Hash + Eq>(counts: impl Iterator<Item = (K, i64)>) -> HashMap<K, i64> {
    let mut out = HashMap::new();
    for (k, n) in counts {
        *out.entry(k).or_default() += n;
    }
    out
}

impl<'c> Census<'c> {
    pub(crate) async fn begin(pool: &'c sqlx::AnyPool, backend: Backend) -> Result<Census<'c>> {
        let mut tx = pool.begin().await?;
        if backend == Backend::Postgres {
            // One snapshot for every query of the request, so that the tables agree.
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                .execute(&mut *tx)
                .await?;
        }
        Ok(Census {
            tx,
            backend,
            persons: None,
            single: HashMap::new(),
            single_where: HashMap::new(),
            single_by_single: HashMap::new(),
            flags: HashMap::new(),
            flags_by: HashMap::new(),
            facets: HashMap::new(),
            facets_by: HashMap::new(),
        })
    }

    pub(crate) async fn finish(self) -> Result<()> {
        self.tx.commit().await?;
        Ok(())
    }

    async fn rows(&mut self, sql: String, bind: &[String]) -> Result<Vec<sqlx::any::AnyRow>> {
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for b in bind {
            q = q.bind(b.clone());
        }
        Ok(q.fetch_all(&mut *self.tx).await?)
    }

    /// Every person counted.
    pub(crate) async fn persons(&mut self) -> Result<i64> {
        if let Some(n) = self.persons {
            return Ok(n);
        }
        let n = match (self.single.values().next(), self.flags.get(&None)) {
            (Some(counts), _) => counts.values().sum(),
            (None, Some((n, _))) => *n,
            (None, None) => {
                let rows = self
                    .rows("SELECT COUNT(*) AS n FROM persons p".into(), &[])
                    .await?;
                let row = rows.first().ok_or_else(no_count)?;
                row.try_get::<i64, _>("n")?
            }
        };
        self.persons = Some(n);
        Ok(n)
    }

    /// The persons by the value of a single-valued column, `NOT_RECORDED` for empty.
    pub(crate) async fn single(&mut self, column: &'static str) -> Result<Counts> {
        if let Some(c) = self.single.get(column) {
            return Ok(c.clone());
        }
        let sql = format!(
            "SELECT p.\"{column}\" AS v, COUNT(*) AS n FROM persons p GROUP BY p.\"{column}\""
        );
        let counts = self.value_counts(sql, &[]).await?;
        self.single.insert(column, counts.clone());
        Ok(counts)
    }

    /// The persons for whom `holds`, by the value of a single-valued column (and, in the same
    /// scan, all persons by it, kept for `single`).
    pub(crate) async fn single_where(
        &mut self,
        column: &'static str,
        holds: &Holds,
    ) -> Result<Counts> {
        if let Some(c) = self.single_where.get(&(column, holds.clone())) {
            return Ok(c.clone());
        }
        let (condition, bind) = holds.sql(1);
        let sql = format!(
            "SELECT p.\"{column}\" AS v, COUNT(*) AS n, COUNT(CASE WHEN {condition} THEN 1 END) AS h FROM persons p GROUP BY p.\"{column}\""
        );
        let (mut all, mut within) = (Counts::new(), Counts::new());
        for row in self.rows(sql, &bind).await? {
            let v = value_name(row.try_get("v")?);
            *all.entry(v.clone()).or_default() += row.try_get::<i64, _>("n")?;
            *within.entry(v).or_default() += row.try_get::<i64, _>("h")?;
        }
        self.single.entry(column).or_insert(all);
        self.single_where
            .insert((column, holds.clone()), within.clone());
        Ok(within)
    }

    /// The persons by the values of two single-valued columns: (value of `a`, value of `b`).
    pub(crate) async fn single_by_single(
        &mut self,
        a: &'static str,
        b: &'static str,
    ) -> Result<PairCounts> {
        if let Some(c) = self.single_by_single.get(&(a, b)) {
            return Ok(c.clone());
        }
        let sql = format!(
            "SELECT p.\"{a}\" AS a, p.\"{b}\" AS b, COUNT(*) AS n FROM persons p GROUP BY p.\"{a}\", p.\"{b}\""
        );
        let mut out = HashMap::new();
        for row in self.rows(sql, &[]).await? {
            let key = (value_name(row.try_get("a")?), value_name(row.try_get("b")?));
            *out.entry(key).or_default() += row.try_get::<i64, _>("n")?;
        }
        self.single
            .entry(a)
            .or_insert_with(|| sum_by(out.iter().map(|((x, _), n)| (x.clone(), *n))));
        self.single
            .entry(b)
            .or_insert_with(|| sum_by(out.iter().map(|((_, y), n)| (y.clone(), *n))));
        self.single_by_single.insert((a, b), out.clone());
        Ok(out)
    }

    /// The persons (for whom `holds`, if given), and how many of them have each flag of
    /// `all_flags()`.
    pub(crate) async fn flags(&mut self, holds: Option<&Holds>) -> Result<(i64, Vec<i64>)> {
        let key = holds.cloned();
        if let Some(c) = self.flags.get(&key) {
            return Ok(c.clone());
        }
        let (condition, bind) = match holds {
            Some(h) => {
                let (c, b) = h.sql(1);
                (format!(" WHERE {c}"), b)
            }
            None => (String::new(), Vec::new()),
        };
        let sql = format!(
            "SELECT COUNT(*) AS n, {} FROM persons p{condition}",
            flag_counts()
        );
        let rows = self.rows(sql, &bind).await?;
        let row = rows.first().ok_or_else(no_count)?;
        let n = row.try_get::<i64, _>("n")?;
        let counts = flag_values(row)?;
        self.flags.insert(key, (n, counts.clone()));
        Ok((n, counts))
    }

    /// By the value of a single-valued column: its persons, and how many of them have each
    /// flag of `all_flags()`.
    pub(crate) async fn flags_by(
        &mut self,
        column: &'static str,
    ) -> Result<HashMap<String, (i64, Vec<i64>)>> {
        if let Some(c) = self.flags_by.get(column) {
            return Ok(c.clone());
        }
        let sql = format!(
            "SELECT p.\"{column}\" AS v, COUNT(*) AS n, {} FROM persons p GROUP BY p.\"{column}\"",
            flag_counts()
        );
        let mut out: HashMap<String, (i64, Vec<i64>)> = HashMap::new();
        for row in self.rows(sql, &[]).await? {
            let counts = flag_values(&row)?;
            let n = row.try_get::<i64, _>("n")?;
            let entry = out
                .entry(value_name(row.try_get("v")?))
                .or_insert_with(|| (0, vec![0; counts.len()]));
            entry.0 += n;
            for (sum, c) in entry.1.iter_mut().zip(counts) {
                *sum += c;
            }
        }
        self.single
            .entry(column)
            .or_insert_with(|| out.iter().map(|(v, (n, _))| (v.clone(), *n)).collect());
        self.flags.entry(None).or_insert_with(|| {
            let mut sums = vec![0; all_flags().len()];
            for (_, counts) in out.values() {
                for (sum, c) in sums.iter_mut().zip(counts) {
                    *sum += c;
                }
            }
            (out.values().map(|(n, _)| n).sum(), sums)
        });
        self.flags_by.insert(column, out.clone());
        Ok(out)
    }

    /// How many persons hold a facet value: from the facets' one-way table where it was read,
    /// else counted alone.
    pub(crate) async fn holding(&mut self, dimension: &'static str, holds: &Holds) -> Result<i64> {
        let Holds::Facet(_, value) = holds else {
            return Err(crate::RegistryError::storage("a facet count of a flag"));
        };
        if let Some(by) = self.facets.get(&None) {
            return Ok(by
                .get(dimension)
                .and_then(|c| c.get(value))
                .copied()
                .unwrap_or(0));
        }
        let (condition, bind) = holds.sql(1);
        let sql = format!("SELECT COUNT(*) AS n FROM persons p WHERE {condition}");
        let rows = self.rows(sql, &bind).await?;
        Ok(rows.first().ok_or_else(no_count)?.try_get::<i64, _>("n")?)
    }

    /// The persons (for whom `holds`, if given) with each value of the facet dimension.
    pub(crate) async fn facets(
        &mut self,
        dimension: &'static str,
        holds: Option<&Holds>,
    ) -> Result<Counts> {
        let key = holds.cloned();
        if let Some(c) = self.facets.get(&key) {
            return Ok(c.get(dimension).cloned().unwrap_or_default());
        }
        let mut bind = facet_dimensions();
        let condition = match holds {
            Some(h) => {
                let (c, b) = h.sql(3);
                bind.extend(b);
                format!(" AND {c}")
            }
            None => String::new(),
        };
        let sql = format!(
            "SELECT g.dimension AS d, g.value AS v, COUNT(*) AS n FROM {}{condition} GROUP BY g.dimension, g.value",
            facets_from(self.backend)
        );
        let mut out: HashMap<String, Counts> = HashMap::new();
        for row in self.rows(sql, &bind).await? {
            let counts = out.entry(row.try_get("d")?).or_default();
            *counts.entry(row.try_get("v")?).or_default() += row.try_get::<i64, _>("n")?;
        }
        let mine = out.get(dimension).cloned().unwrap_or_default();
        self.facets.insert(key, out);
        Ok(mine)
    }

    /// The persons with each value of a facet dimension, by the value of a single-valued
    /// column: (facet value, column value).
    pub(crate) async fn facets_by(
        &mut self,
        dimension: &'static str,
        column: &'static str,
    ) -> Result<PairCounts> {
        if !self.facets_by.contains_key(column) {
            let sql = format!(
                "SELECT g.dimension AS d, g.value AS a, p.\"{column}\" AS b, COUNT(*) AS n FROM {} GROUP BY g.dimension, g.value, p.\"{column}\"",
                facets_from(self.backend)
            );
            let mut out = HashMap::new();
            for row in self.rows(sql, &facet_dimensions()).await? {
                let key: (String, String, String) = (
                    row.try_get("d")?,
                    row.try_get("a")?,
                    value_name(row.try_get("b")?),
                );
                *out.entry(key).or_default() += row.try_get::<i64, _>("n")?;
            }
            self.facets.entry(None).or_insert_with(|| {
                let mut by: HashMap<String, Counts> = HashMap::new();
                for ((d, v, _), n) in &out {
                    *by.entry(d.clone())
                        .or_default()
                        .entry(v.clone())
                        .or_default() += n;
                }
                by
            });
            self.facets_by.insert(column, out);
        }
        Ok(self.facets_by[column]
            .iter()
            .filter(|((d, _, _), _)| d == dimension)
            .map(|((_, v, w), n)| ((v.clone(), w.clone()), *n))
            .collect())
    }

    async fn value_counts(&mut self, sql: String, bind: &[String]) -> Result<Counts> {
        let mut out = Counts::new();
        for row in self.rows(sql, bind).await? {
            *out.entry(value_name(row.try_get("v")?)).or_default() += row.try_get::<i64, _>("n")?;
        }
        Ok(out)
    }
}

fn no_count() -> crate::RegistryError {
    crate::RegistryError::storage("a count query returned no row")
}

/// The `f0, f1, …` columns of `flag_counts()`.
fn flag_values(row: &sqlx::any::AnyRow) -> Result<Vec<i64>> {
    Ok((0..all_flags().len())
        .map(|i| row.try_get::<i64, _>(format!("f{i}").as_str()))
        .collect::<std::result::Result<Vec<_>, _>>()?)
}

/// `COUNT(CASE WHEN p."isForcedLabour" = '1' THEN 1 END) AS f0, …` for `all_flags()`.
fn flag_counts() -> String {
    all_flags()
        .iter()
        .enumerate()
        .map(|(i, f)| format!("COUNT(CASE WHEN p.\"{f}\" = '1' THEN 1 END) AS f{i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Where the flags of a flag dimension sit in `all_flags()`.
pub(crate) fn flag_index(column: &str) -> Option<usize> {
    all_flags().iter().position(|f| *f == column)
}
