//! Statistics: counts of persons by one dimension, optionally within one value of another,
//! over the whole registry, k-anonymised so that the published figures, taken together, tell
//! no count of 1 to k − 1 persons. Only coded values are counted, never free text.
//!
//! Every dimension is made of variables of which each person has exactly one value. A
//! single-valued dimension (year, gender, age, citizenship, country of exploitation) is one
//! variable whose values include [`NOT_RECORDED`], so that its cells count every person; a
//! multi-valued one (the CTDC flags of exploitation and of means of control; the statuses and
//! stages of the latest assessment) is one yes-or-no variable per value. A query publishes
//! either the one-way table of a dimension's variables, over all persons, or one column of the
//! two-way table of a variable of the dimension and the variable of the filter, whose margins
//! are the two one-way tables. Each table is suppressed as a whole (`suppress`), from its own
//! counts and its margins' suppression only, so that every query that shows a cell shows the
//! same figure or the same suppression. `docs/statistics.md` says what this defends against,
//! and what not.

mod census;
mod suppress;

use crate::{Principal, Registry, RegistryError, Result};
use census::{Census, Counts, Holds, flag_index};
use delimit_case::htcds::ctdc_columns;
use saphyr::{LoadableYamlNode, Yaml};
use serde::Serialize;
use std::collections::HashMap;
use suppress::{Margin, one_way, total_published, two_way};

const POLICY: &str = include_str!("../../data/statistics.yaml");

/// The value of a single-valued dimension for the persons whose CTDC column is empty.
pub const NOT_RECORDED: &str = "not_recorded";

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

/// How a dimension's values make variables.
#[derive(Debug)]
enum Kind {
    /// One CTDC column, one value per person: one variable.
    Single,
    /// The CTDC flag columns of this prefix (`1` in the column): one yes-or-no variable each.
    Flags(&'static str),
    /// The values the latest assessment found (`facets`): one yes-or-no variable each.
    Facets,
}

/// A dimension statistics can count by: its name in the API, its CTDC column (or the name
/// written in CSV when CTDC has none), and how its values make variables.
#[derive(Debug)]
struct Dimension {
    name: &'static str,
    column: &'static str,
    kind: Kind,
}

impl Dimension {
    /// The CTDC flag columns counted as this dimension's values; none when not a flag one.
    fn flags(&self) -> Vec<&'static str> {
        match self.kind {
            Kind::Flags(prefix) => ctdc_columns()
                .iter()
                .copied()
                .filter(|c| c.starts_with(prefix))
                .collect(),
            _ => Vec::new(),
        }
    }
}

const fn dim(name: &'static str, column: &'static str, kind: Kind) -> Dimension {
    Dimension { name, column, kind }
}

const DIMENSIONS: &[Dimension] = &[
    dim("year", "yearOfRegistration", Kind::Single),
    dim("gender", "gender", Kind::Single),
    dim("age", "ageBroad", Kind::Single),
    dim("citizenship", "citizenship", Kind::Single),
    dim(
        "country_of_exploitation",
        "CountryOfExploitation",
        Kind::Single,
    ),
    dim("exploitation", "typeOfExploitation", Kind::Flags("is")),
    dim("means_of_control", "meansOfControl", Kind::Flags("means")),
    dim("qualification", "qualification", Kind::Facets),
    dim("stage", "stage", Kind::Facets),
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

/// Counts by one dimension, of every person or of those with one value of another dimension.
/// A multi-valued dimension's cells may count a person several times or not at all; the
/// total counts each person once.
#[derive(Clone, Debug, Serialize)]
pub struct Table {
    pub dimension: String,
    /// The CTDC column name of the dimension.
    pub column: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter: Option<(String, String)>,
    pub k: u32,
    /// Persons counted: everyone, or those with the filter's value; absent where suppressed
    /// (fewer than k, or hidden with such a count in the filter's own table).
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

/// A variable: what each person has exactly one value of.
#[derive(Clone, Debug)]
enum Var {
    /// A single-valued dimension.
    Single(&'static Dimension),
    /// Whether a person has one value of a multi-valued dimension: values "has" and "has not".
    Binary(&'static Dimension, String, Holds),
}

impl Var {
    /// The name that orders the two variables of a two-way table.
    fn name(&self) -> String {
        match self {
            Var::Single(d) => d.name.to_string(),
            Var::Binary(d, value, _) => format!("{}={value}", d.name),
        }
    }

    fn binary(d: &'static Dimension, value: &str) -> Var {
        let holds = match d.kind {
            Kind::Flags(_) => {
                let column = d.flags().into_iter().find(|f| *f == value);
                Holds::Flag(column.unwrap_or(""))
            }
            _ => Holds::Facet(d.name, value.to_string()),
        };
        Var::Binary(d, value.to_string(), holds)
    }
}

/// A variable's one-way table: its values (for a yes-or-no variable, has and has not), their
/// counts, and which are suppressed.
#[derive(Clone, Debug)]
struct OneWay {
    values: Vec<String>,
    counts: Vec<i64>,
    hidden: Vec<bool>,
}

impl OneWay {
    fn new(values: Vec<String>, counts: Vec<i64>, persons: i64, k: i64) -> OneWay {
        let hidden = one_way(&counts, persons, k);
        OneWay {
            values,
            counts,
            hidden,
        }
    }

    /// The values a single-valued dimension takes (ordered, `NOT_RECORDED` last).
    fn single(counts: &Counts, persons: i64, k: i64) -> OneWay {
        let mut values: Vec<&String> = counts.keys().filter(|v| counts[*v] > 0).collect();
        values.sort_by_key(|v| (v.as_str() == NOT_RECORDED, v.as_str()));
        let n = values.iter().map(|v| counts[*v]).collect();
        OneWay::new(values.into_iter().cloned().collect(), n, persons, k)
    }

    fn binary(has: i64, persons: i64, k: i64) -> OneWay {
        OneWay::new(
            vec!["has".into(), "has not".into()],
            vec![has, persons - has],
            persons,
            k,
        )
    }

    fn margins(&self) -> Vec<Margin> {
        self.counts
            .iter()
            .zip(&self.hidden)
            .map(|(&count, &suppressed)| Margin { count, suppressed })
            .collect()
    }

    fn position(&self, value: &str) -> Option<usize> {
        self.values.iter().position(|v| v == value)
    }
}

/// A filter, checked: a value of another dimension, as the variable it is a value of.
struct Filter {
    dimension: &'static Dimension,
    value: String,
    var: Var,
}

impl Filter {
    fn parse(dimension_name: &str, value: &str) -> Result<Filter> {
        let f = dimension(dimension_name)?;
        if value.len() > 100 {
            return Err(RegistryError::invalid(
                "statistics.filter",
                "a filter value has at most 100 characters",
            ));
        }
        let var = match f.kind {
            Kind::Single => Var::Single(f),
            Kind::Flags(_) if !f.flags().contains(&value) => {
                return Err(RegistryError::invalid(
                    "statistics.filter",
                    format!("`{dimension_name}` takes one of {}", f.flags().join(", ")),
                ));
            }
            _ => Var::binary(f, value),
        };
        Ok(Filter {
            dimension: f,
            value: value.to_string(),
            var,
        })
    }
}

/// The storage error of counts that do not add up, which one snapshot never gives.
fn inconsistent() -> RegistryError {
    RegistryError::storage("the counts of the statistics do not add up; ask again")
}

/// The two-way table of `x` (rows) and `y` (columns), its cells row-major: suppressed in the
/// orientation of the variables' names, so that every query reading it sees one pattern.
/// Returns which cells are suppressed, row-major in the orientation asked.
fn suppress_cross(
    x: (&Var, &OneWay),
    y: (&Var, &OneWay),
    cells: &[i64],
    persons: i64,
    k: i64,
) -> Result<Vec<bool>> {
    let (r, c) = (x.1.counts.len(), y.1.counts.len());
    let adds_up = cells.len() == r * c
        && cells.iter().all(|&n| n >= 0)
        && (0..r).all(|i| cells[i * c..(i + 1) * c].iter().sum::<i64>() == x.1.counts[i])
        && (0..c).all(|j| (0..r).map(|i| cells[i * c + j]).sum::<i64>() == y.1.counts[j]);
    if !adds_up {
        return Err(inconsistent());
    }
    if x.0.name() <= y.0.name() {
        Ok(two_way(&x.1.margins(), &y.1.margins(), cells, persons, k))
    } else {
        let transposed: Vec<i64> = (0..c * r).map(|t| cells[(t % r) * c + t / r]).collect();
        let hidden = two_way(&y.1.margins(), &x.1.margins(), &transposed, persons, k);
        Ok((0..r * c).map(|t| hidden[(t % c) * r + t / c]).collect())
    }
}

impl Census<'_> {
    /// Asks first the two-way query a filtered table reads, so that the one-way tables it
    /// gives by adding up are not asked again.
    async fn prefetch(&mut self, d: &'static Dimension, f: &Filter) -> Result<()> {
        match (&d.kind, &f.var) {
            (Kind::Single, Var::Single(by)) if d.name != by.name => {
                self.single_by_single(d.column, by.column).await?;
            }
            (Kind::Flags(_), Var::Single(by)) => {
                self.flags_by(by.column).await?;
            }
            (Kind::Facets, Var::Single(by)) => {
                self.facets_by(d.name, by.column).await?;
            }
            (Kind::Single, Var::Binary(_, _, holds)) => {
                self.single_where(d.column, holds).await?;
            }
            _ => {}
        }
        Ok(())
    }
}

/// What a query counts: the dimension's variables, each with its one-way table.
enum Shape {
    Single(OneWay),
    /// Value, variable, one-way table (has, has not), for the values someone has.
    Binary(Vec<(String, Var, OneWay)>),
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
        let filter = filter.map(|(f, v)| Filter::parse(f, v)).transpose()?;
        let mut census = Census::begin(&self.pool, self.backend).await?;
        let table = self.table(&mut census, d, filter.as_ref()).await?;
        census.finish().await?;
        Ok(table)
    }

    /// One table per dimension (but the filter's own), from one snapshot.
    pub async fn all_statistics(
        &self,
        _actor: &Principal,
        filter: Option<(&str, &str)>,
    ) -> Result<Statistics> {
        let filter = filter.map(|(f, v)| Filter::parse(f, v)).transpose()?;
        let mut census = Census::begin(&self.pool, self.backend).await?;
        let mut tables = Vec::new();
        for d in DIMENSIONS {
            if filter.as_ref().is_some_and(|f| f.dimension.name == d.name) {
                continue;
            }
            tables.push(self.table(&mut census, d, filter.as_ref()).await?);
        }
        census.finish().await?;
        Ok(Statistics {
            k: self.policy.k,
            k_source: self.policy.k_source.clone(),
            tables,
        })
    }

    async fn shape(&self, census: &mut Census<'_>, d: &'static Dimension) -> Result<Shape> {
        let k = i64::from(self.policy.k);
        Ok(match d.kind {
            Kind::Single => {
                let counts = census.single(d.column).await?;
                Shape::Single(OneWay::single(&counts, census.persons().await?, k))
            }
            Kind::Flags(_) => {
                let (persons, counts) = census.flags(None).await?;
                let mut vars = Vec::new();
                for flag in d.flags() {
                    let has = flag_index(flag).map_or(0, |i| counts[i]);
                    if has > 0 {
                        let one = OneWay::binary(has, persons, k);
                        vars.push((flag.to_string(), Var::binary(d, flag), one));
                    }
                }
                Shape::Binary(vars)
            }
            Kind::Facets => {
                let counts = census.facets(d.name, None).await?;
                let persons = census.persons().await?;
                let mut values: Vec<&String> = counts.keys().filter(|v| counts[*v] > 0).collect();
                values.sort();
                let vars = values
                    .into_iter()
                    .map(|v| {
                        let one = OneWay::binary(counts[v], persons, k);
                        (v.clone(), Var::binary(d, v), one)
                    })
                    .collect();
                Shape::Binary(vars)
            }
        })
    }

    /// The one-way table of the filter's variable.
    async fn filter_one_way(&self, census: &mut Census<'_>, f: &Filter) -> Result<OneWay> {
        let k = i64::from(self.policy.k);
        let persons = census.persons().await?;
        Ok(match &f.var {
            Var::Single(d) => OneWay::single(&census.single(d.column).await?, persons, k),
            Var::Binary(d, value, holds) => {
                let has = match d.kind {
                    Kind::Flags(_) => {
                        let (_, counts) = census.flags(None).await?;
                        flag_index(value).map_or(0, |i| counts[i])
                    }
                    _ => census.holding(d.name, holds).await?,
                };
                OneWay::binary(has, persons, k)
            }
        })
    }

    /// The cells of the two-way table of `x` (a variable of the dimension counted, rows) and
    /// the filter's variable (columns), row-major.
    async fn cross(
        &self,
        census: &mut Census<'_>,
        x: (&Var, &OneWay),
        y: (&Var, &OneWay),
        persons: i64,
    ) -> Result<Vec<i64>> {
        let (xs, ys) = (x.1, y.1);
        let mut cells = Vec::with_capacity(xs.counts.len() * ys.counts.len());
        match (x.0, y.0) {
            (Var::Single(a), Var::Single(b)) => {
                let by = census.single_by_single(a.column, b.column).await?;
                for xv in &xs.values {
                    for yv in &ys.values {
                        let key = (xv.clone(), yv.clone());
                        cells.push(by.get(&key).copied().unwrap_or(0));
                    }
                }
            }
            (Var::Single(a), Var::Binary(_, _, holds)) => {
                let within = census.single_where(a.column, holds).await?;
                for (xv, n) in xs.values.iter().zip(&xs.counts) {
                    let has = within.get(xv).copied().unwrap_or(0);
                    cells.extend([has, n - has]);
                }
            }
            (Var::Binary(a, value, _), Var::Single(b)) => {
                let has: Vec<i64> = match a.kind {
                    Kind::Flags(_) => {
                        let by = census.flags_by(b.column).await?;
                        let i = flag_index(value).ok_or_else(inconsistent)?;
                        ys.values
                            .iter()
                            .map(|yv| by.get(yv).map_or(0, |(_, f)| f[i]))
                            .collect()
                    }
                    _ => {
                        let by = census.facets_by(a.name, b.column).await?;
                        ys.values
                            .iter()
                            .map(|yv| by.get(&(value.clone(), yv.clone())).copied().unwrap_or(0))
                            .collect()
                    }
                };
                cells.extend(&has);
                cells.extend(ys.counts.iter().zip(&has).map(|(n, h)| n - h));
            }
            (Var::Binary(a, value, _), Var::Binary(_, _, holds)) => {
                let both = match a.kind {
                    Kind::Flags(_) => {
                        let (_, counts) = census.flags(Some(holds)).await?;
                        flag_index(value).map_or(0, |i| counts[i])
                    }
                    _ => census
                        .facets(a.name, Some(holds))
                        .await?
                        .get(value)
                        .copied()
                        .unwrap_or(0),
                };
                let (x_has, y_has) = (xs.counts[0], ys.counts[0]);
                cells.extend([
                    both,
                    x_has - both,
                    y_has - both,
                    persons - x_has - y_has + both,
                ]);
            }
        }
        Ok(cells)
    }

    async fn table(
        &self,
        census: &mut Census<'_>,
        d: &'static Dimension,
        filter: Option<&Filter>,
    ) -> Result<Table> {
        let k = i64::from(self.policy.k);
        if let Some(f) = filter {
            census.prefetch(d, f).await?;
        }
        let shape = self.shape(census, d).await?;
        let persons = census.persons().await?;
        let cell = |value: &str, count: i64, suppressed: bool| Cell {
            value: value.to_string(),
            count: (!suppressed).then_some(count),
            suppressed,
            iccs: None,
        };
        let (total, mut cells) = match filter {
            None => {
                let cells = match &shape {
                    Shape::Single(one) => (0..one.values.len())
                        .map(|i| cell(&one.values[i], one.counts[i], one.hidden[i]))
                        .collect(),
                    Shape::Binary(vars) => vars
                        .iter()
                        .map(|(v, _, one)| cell(v, one.counts[0], one.hidden[0]))
                        .collect(),
                };
                (total_published(persons, k).then_some(persons), cells)
            }
            Some(f) => self.within(census, d, &shape, f, persons).await?,
        };
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
            filter: filter.map(|f| (f.dimension.name.to_string(), f.value.clone())),
            k: self.policy.k,
            total,
            cells,
        })
    }

    /// The cells of `d` within the filter's value: one column of each two-way table.
    async fn within(
        &self,
        census: &mut Census<'_>,
        d: &'static Dimension,
        shape: &Shape,
        f: &Filter,
        persons: i64,
    ) -> Result<(Option<i64>, Vec<Cell>)> {
        let k = i64::from(self.policy.k);
        let fy = self.filter_one_way(census, f).await?;
        // The filter's value as a column of its variable: "has" for a yes-or-no one.
        let column = match f.var {
            Var::Single(_) => fy.position(&f.value),
            Var::Binary(..) => Some(0),
        };
        let margin = column.map_or(0, |j| fy.counts[j]);
        let published = column.is_none_or(|j| !fy.hidden[j]);
        let total = published.then_some(margin);
        let values: Vec<(&String, i64)> = match shape {
            Shape::Single(one) => one.values.iter().zip(one.counts.iter().copied()).collect(),
            Shape::Binary(vars) => vars.iter().map(|(v, _, one)| (v, one.counts[0])).collect(),
        };
        let Some(j) = column.filter(|_| margin > 0) else {
            // No one has the value: every cell is zero.
            let cells = values
                .iter()
                .map(|(v, _)| Cell {
                    value: (*v).clone(),
                    count: Some(0),
                    suppressed: false,
                    iccs: None,
                })
                .collect();
            return Ok((total, cells));
        };
        let mut out = Vec::with_capacity(values.len());
        // Each variable of the dimension, with the row of the table the cell lies in.
        let mut rows: Vec<(&String, Var, &OneWay, usize)> = Vec::new();
        match shape {
            Shape::Single(one) => {
                for (i, v) in one.values.iter().enumerate() {
                    rows.push((v, Var::Single(d), one, i));
                }
            }
            Shape::Binary(vars) => {
                for (v, var, one) in vars {
                    rows.push((v, var.clone(), one, 0));
                }
            }
        }
        let mut patterns: HashMap<String, (Vec<i64>, Vec<bool>)> = HashMap::new();
        for (value, var, one, i) in rows {
            let same_variable = var.name() == f.var.name();
            let (count, suppressed) = if same_variable {
                // The filter's own variable: its value counts the margin, others no one.
                if i == j {
                    (margin, fy.hidden[j])
                } else {
                    (0, false)
                }
            } else {
                let name = var.name();
                if !patterns.contains_key(&name) {
                    let cells = self
                        .cross(census, (&var, one), (&f.var, &fy), persons)
                        .await?;
                    let hidden = suppress_cross((&var, one), (&f.var, &fy), &cells, persons, k)?;
                    patterns.insert(name.clone(), (cells, hidden));
                }
                let (cells, hidden) = &patterns[&name];
                let at = i * fy.counts.len() + j;
                (cells[at], hidden[at])
            };
            out.push(Cell {
                value: value.clone(),
                count: (!suppressed).then_some(count),
                suppressed,
                iccs: None,
            });
        }
        Ok((total, out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn a_table_is_suppressed_alike_in_either_orientation() {
        let k = 11;
        let gender = Var::Single(dimension("gender").unwrap());
        let age = Var::Single(dimension("age").unwrap());
        let counts = |c: &[i64]| OneWay::new(vec![String::new(); c.len()], c.to_vec(), 100, k);
        // gender (rows) × age (columns)
        let cells = [30, 5, 15, 2, 40, 8];
        let rows = counts(&[50, 50]);
        let cols = counts(&[32, 45, 23]);
        let one = suppress_cross((&gender, &rows), (&age, &cols), &cells, 100, k).unwrap();
        let transposed = [30, 2, 5, 40, 15, 8];
        let other = suppress_cross((&age, &cols), (&gender, &rows), &transposed, 100, k).unwrap();
        for r in 0..2 {
            for c in 0..3 {
                assert_eq!(one[r * 3 + c], other[c * 2 + r], "({r}, {c})");
            }
        }
        assert!(one[1] && one[3], "the small cells");
        // Counts that do not add up to their margins are refused, not suppressed.
        assert!(suppress_cross((&gender, &rows), (&age, &cols), &[0; 6], 100, k).is_err());
    }
}
