//! Statistics: counts of persons by one dimension, optionally within one value of another,
//! over the whole registry. Every published cell counts at least k persons; smaller cells
//! are suppressed, and when one suppressed cell could be recovered from the total, the next
//! smallest is suppressed with it. Only coded values are counted, never free text.

use crate::{Principal, Registry, RegistryError, Result};
use delimit_case::htcds::ctdc_columns;
use saphyr::{LoadableYamlNode, Yaml};
use serde::Serialize;
use sqlx::{AssertSqlSafe, Row};

const POLICY: &str = include_str!("../data/statistics.yaml");

/// The rules statistics follow, from `data/statistics.yaml`.
#[derive(Clone, Debug, Serialize)]
pub struct StatisticsPolicy {
    /// The minimum number of persons in a published cell.
    pub k: u32,
    pub k_source: String,
    pub k_status: String,
    /// Concept → (ICCS code, label).
    pub iccs: Vec<(String, String, String)>,
    pub iccs_source: String,
    pub iccs_status: String,
}

fn text(y: &Yaml<'_>, key: &str) -> Option<String> {
    y.as_mapping_get(key)
        .and_then(|v| v.as_str())
        .map(String::from)
}

impl StatisticsPolicy {
    pub(crate) fn bundled() -> Result<StatisticsPolicy> {
        let bad = |what: &str| RegistryError::storage(format!("data/statistics.yaml: {what}"));
        let docs = Yaml::load_from_str(POLICY).map_err(|e| bad(&e.to_string()))?;
        let doc = docs.first().ok_or_else(|| bad("empty"))?;
        let cell = doc
            .as_mapping_get("minimum_cell")
            .ok_or_else(|| bad("no minimum_cell"))?;
        let k = cell
            .as_mapping_get("k")
            .and_then(|v| v.as_integer())
            .and_then(|k| u32::try_from(k).ok())
            .ok_or_else(|| bad("minimum_cell.k is not a number"))?;
        let iccs = doc.as_mapping_get("iccs").ok_or_else(|| bad("no iccs"))?;
        let codes = iccs
            .as_mapping_get("codes")
            .and_then(|c| c.as_mapping())
            .ok_or_else(|| bad("no iccs.codes"))?;
        let mut mapping = Vec::new();
        for (concept, entry) in codes {
            mapping.push((
                concept
                    .as_str()
                    .ok_or_else(|| bad("a concept name"))?
                    .to_string(),
                text(entry, "code").ok_or_else(|| bad("an ICCS code"))?,
                text(entry, "label").unwrap_or_default(),
            ));
        }
        Ok(StatisticsPolicy {
            k,
            k_source: text(cell, "source").unwrap_or_default(),
            k_status: text(cell, "status").unwrap_or_default(),
            iccs: mapping,
            iccs_source: text(iccs, "source").unwrap_or_default(),
            iccs_status: text(iccs, "status").unwrap_or_default(),
        })
    }
}

/// A dimension statistics can count by: its name in the API, its CTDC column (or the
/// name written in CSV when CTDC has none), and, for multi-valued ones, the prefix of the CTDC
/// flag columns it gathers (`1` in the column).
struct Dimension {
    name: &'static str,
    column: &'static str,
    flag_prefix: Option<&'static str>,
}

impl Dimension {
    /// The CTDC flag columns counted as this dimension's values; none when single-valued.
    fn flags(&self) -> Vec<&'static str> {
        match self.flag_prefix {
            Some(prefix) => ctdc_columns()
                .iter()
                .copied()
                .filter(|c| c.starts_with(prefix))
                .collect(),
            None => Vec::new(),
        }
    }
}

const fn single(name: &'static str, column: &'static str) -> Dimension {
    Dimension {
        name,
        column,
        flag_prefix: None,
    }
}

const DIMENSIONS: &[Dimension] = &[
    single("year", "yearOfRegistration"),
    single("gender", "gender"),
    single("age", "ageBroad"),
    single("citizenship", "citizenship"),
    single("country_of_exploitation", "CountryOfExploitation"),
    Dimension {
        name: "exploitation",
        column: "typeOfExploitation",
        flag_prefix: Some("is"),
    },
    Dimension {
        name: "means_of_control",
        column: "meansOfControl",
        flag_prefix: Some("means"),
    },
    single("qualification", "qualification"),
    single("stage", "stage"),
];

/// The dimensions statistics count by.
pub fn dimensions() -> Vec<&'static str> {
    DIMENSIONS.iter().map(|d| d.name).collect()
}

fn dimension(name: &str) -> Result<&'static Dimension> {
    DIMENSIONS.iter().find(|d| d.name == name).ok_or_else(|| {
        RegistryError::invalid(
            "statistics.dimension",
            format!(
                "unknown dimension `{name}`; one of {}",
                dimensions().join(", ")
            ),
        )
    })
}

/// One published cell.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Cell {
    pub value: String,
    /// Absent when suppressed.
    pub count: Option<i64>,
    pub suppressed: bool,
    /// The ICCS code of a qualification, where one applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iccs: Option<String>,
}

/// Counts by one dimension.
#[derive(Clone, Debug, Serialize)]
pub struct Table {
    pub dimension: String,
    /// The CTDC column name of the dimension.
    pub column: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter: Option<(String, String)>,
    pub k: u32,
    /// Persons counted, when at least k.
    pub total: Option<i64>,
    pub cells: Vec<Cell>,
}

/// Everything a dashboard shows: one table per dimension.
#[derive(Clone, Debug, Serialize)]
pub struct Statistics {
    pub k: u32,
    pub k_source: String,
    pub tables: Vec<Table>,
}

impl Table {
    /// CSV with the CTDC column name, the count and whether the cell was suppressed.
    pub fn to_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record([self.column.as_str(), "count", "suppressed"]);
        for c in &self.cells {
            let _ = w.write_record([
                c.value.as_str(),
                &c.count.map(|n| n.to_string()).unwrap_or_default(),
                if c.suppressed { "1" } else { "" },
            ]);
        }
        let _ = w.write_record([
            "total",
            &self.total.map(|n| n.to_string()).unwrap_or_default(),
            if self.total.is_none() { "1" } else { "" },
        ]);
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }
}

/// Suppresses cells under `k`, and a second cell where one alone would be recoverable
/// from the published total.
pub(crate) fn suppress(counts: Vec<(String, i64)>, total: i64, k: u32) -> (Vec<Cell>, Option<i64>) {
    let k = i64::from(k);
    let mut cells: Vec<Cell> = counts
        .into_iter()
        .map(|(value, n)| Cell {
            value,
            count: (n >= k).then_some(n),
            suppressed: n < k,
            iccs: None,
        })
        .collect();
    let total = (total >= k).then_some(total);
    let hidden = cells.iter().filter(|c| c.suppressed).count();
    if hidden == 1
        && total.is_some()
        && let Some(next) = cells
            .iter_mut()
            .filter(|c| !c.suppressed)
            .min_by_key(|c| c.count)
    {
        next.count = None;
        next.suppressed = true;
    }
    (cells, total)
}

/// Whether a dimension comes from assessments (`facets`) rather than the case (`persons`).
fn assessed(d: &Dimension) -> bool {
    matches!(d.name, "qualification" | "stage")
}

impl Registry {
    /// Counts persons by `dimension`, within `filter` (another dimension and one of its
    /// values) if given. Every role may read statistics: they are aggregates.
    pub async fn statistics(
        &self,
        _actor: &Principal,
        dimension_name: &str,
        filter: Option<(&str, &str)>,
    ) -> Result<Table> {
        let d = dimension(dimension_name)?;
        // The persons counted: `p` rows of `persons`, narrowed by the filter.
        let mut condition = String::from("1 = 1");
        let mut bind: Vec<String> = Vec::new();
        if let Some((fd, fv)) = filter {
            let f = dimension(fd)?;
            if fv.len() > 100 {
                return Err(RegistryError::invalid(
                    "statistics.filter",
                    "a filter value has at most 100 characters",
                ));
            }
            condition = if assessed(f) {
                bind.extend([f.column.to_string(), fv.to_string()]);
                "EXISTS (SELECT 1 FROM facets g WHERE g.dimension = $1 AND g.case_id = p.case_id AND g.person = p.person AND g.value = $2)".into()
            } else if f.flags().is_empty() {
                bind.push(fv.to_string());
                format!("p.\"{}\" = $1", f.column)
            } else if f.flags().contains(&fv) {
                format!("p.\"{fv}\" = '1'")
            } else {
                return Err(RegistryError::invalid(
                    "statistics.filter",
                    format!("`{fd}` takes one of {}", f.flags().join(", ")),
                ));
            };
        }
        let next = bind.len() + 1;
        let (cells_sql, total_sql) = if assessed(d) && filter.is_none() {
            // Without a filter, the indexes on `facets` alone answer.
            bind.push(d.column.to_string());
            (
                "SELECT f.value AS v, COUNT(*) AS n FROM facets f WHERE f.dimension = $1 GROUP BY f.value ORDER BY f.value".to_string(),
                "SELECT COUNT(*) AS n FROM (SELECT DISTINCT f.case_id, f.person FROM facets f WHERE f.dimension = $1) t".to_string(),
            )
        } else if assessed(d) {
            // The persons first, then their facets (SQLite keeps a CROSS JOIN's order).
            bind.push(d.column.to_string());
            (
                format!(
                    "SELECT f.value AS v, COUNT(*) AS n FROM persons p CROSS JOIN facets f WHERE f.dimension = ${next} AND f.case_id = p.case_id AND f.person = p.person AND {condition} GROUP BY f.value ORDER BY f.value"
                ),
                format!(
                    "SELECT COUNT(*) AS n FROM persons p WHERE EXISTS (SELECT 1 FROM facets h WHERE h.dimension = ${next} AND h.case_id = p.case_id AND h.person = p.person) AND {condition}"
                ),
            )
        } else if d.flags().is_empty() {
            (
                format!(
                    "SELECT p.\"{c}\" AS v, COUNT(*) AS n FROM persons p WHERE p.\"{c}\" <> '' AND {condition} GROUP BY p.\"{c}\" ORDER BY p.\"{c}\"",
                    c = d.column
                ),
                format!(
                    "SELECT COUNT(*) AS n FROM persons p WHERE p.\"{c}\" <> '' AND {condition}",
                    c = d.column
                ),
            )
        } else {
            let flags: Vec<String> = d
                .flags()
                .iter()
                .map(|f| format!("SELECT '{f}' AS v, COUNT(*) AS n FROM persons p WHERE p.\"{f}\" = '1' AND {condition}"))
                .collect();
            let any: Vec<String> = d
                .flags()
                .iter()
                .map(|f| format!("p.\"{f}\" = '1'"))
                .collect();
            (
                flags.join(" UNION ALL "),
                format!(
                    "SELECT COUNT(*) AS n FROM persons p WHERE ({}) AND {condition}",
                    any.join(" OR ")
                ),
            )
        };
        let mut q = sqlx::query(AssertSqlSafe(cells_sql));
        let mut t = sqlx::query(AssertSqlSafe(total_sql));
        for b in &bind {
            q = q.bind(b.clone());
            t = t.bind(b.clone());
        }
        let rows = q.fetch_all(&self.pool).await?;
        let total: i64 = t.fetch_one(&self.pool).await?.try_get("n")?;
        let counts = rows
            .iter()
            .map(|r| Ok((r.try_get::<String, _>("v")?, r.try_get::<i64, _>("n")?)))
            .filter(|c: &Result<(String, i64)>| c.as_ref().map_or(true, |(_, n)| *n > 0))
            .collect::<Result<Vec<_>>>()?;
        let (mut cells, total) = suppress(counts, total, self.policy.k);
        if d.name == "qualification" {
            for c in &mut cells {
                c.iccs = self
                    .policy
                    .iccs
                    .iter()
                    .find(|(concept, _, _)| *concept == c.value)
                    .map(|(_, code, _)| code.clone());
            }
        }
        Ok(Table {
            dimension: d.name.into(),
            column: d.column.into(),
            filter: filter.map(|(a, b)| (a.to_string(), b.to_string())),
            k: self.policy.k,
            total,
            cells,
        })
    }

    /// One table per dimension.
    pub async fn all_statistics(
        &self,
        actor: &Principal,
        filter: Option<(&str, &str)>,
    ) -> Result<Statistics> {
        let mut tables = Vec::new();
        for d in DIMENSIONS {
            if filter.is_some_and(|(f, _)| f == d.name) {
                continue;
            }
            tables.push(self.statistics(actor, d.name, filter).await?);
        }
        Ok(Statistics {
            k: self.policy.k,
            k_source: self.policy.k_source.clone(),
            tables,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_cells_are_suppressed_and_a_lone_one_gets_company() {
        let (cells, total) = suppress(
            vec![("a".into(), 30), ("b".into(), 12), ("c".into(), 3)],
            45,
            11,
        );
        assert_eq!(total, Some(45));
        let shown: Vec<Option<i64>> = cells.iter().map(|c| c.count).collect();
        // c alone would be 45 - 30 - 12: b is suppressed with it.
        assert_eq!(shown, vec![Some(30), None, None]);
        let (cells, total) = suppress(vec![("a".into(), 5), ("b".into(), 4)], 9, 11);
        assert_eq!(total, None);
        assert!(cells.iter().all(|c| c.suppressed && c.count.is_none()));
        let (cells, _) = suppress(vec![("a".into(), 11), ("b".into(), 20)], 31, 11);
        assert!(cells.iter().all(|c| !c.suppressed));
    }

    #[test]
    fn flag_dimensions_gather_the_ctdc_flag_columns() {
        let flags = |name: &str| dimension(name).unwrap().flags();
        assert_eq!(
            flags("exploitation"),
            ["isForcedLabour", "isSexualExploit", "isOtherExploit"]
        );
        assert_eq!(flags("means_of_control").len(), 8);
        assert!(
            flags("means_of_control")
                .iter()
                .all(|c| c.starts_with("means"))
        );
        assert!(flags("gender").is_empty());
    }

    #[test]
    fn the_bundled_policy_reads() {
        let p = StatisticsPolicy::bundled().unwrap();
        assert!(p.k >= 2);
        assert!(!p.iccs.is_empty());
        assert!(!p.k_source.is_empty() && !p.iccs_status.is_empty());
    }
}
