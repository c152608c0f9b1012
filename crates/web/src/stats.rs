//! The statistics dashboard: the registry's k-anonymised tables drawn as SVG charts on the
//! server, each with its figures as a table and as CSV, chosen with a form that works without
//! JavaScript.
//!
//! `/statistics` alone is the overview, a small chart for every dimension; with `dimension`
//! it is one table drawn large; `within` and `value` narrow either to the persons with one
//! value of another dimension. `/statistics.csv` serves exactly the table a page shows.
//!
//! Suppression and the minimum cell size are the registry's: this module only draws what
//! `Registry::statistics` publishes, and a suppressed cell reaches it without a count.

mod chart;

use crate::page::{PageResult, Viewer, percent_encode, words};
use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use chart::{BarChart, Entry, Size, bar_chart};
use delimit_i18n::{Arg, Localizer};
use delimit_law::KnowledgeBase;
use delimit_registry::{
    ErrorKind, NOT_RECORDED, Principal, RegistryError, StatisticsPolicy, Table, dimensions,
};
use delimit_server::AppState;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// This module's templates, by name.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("stats.html", include_str!("../templates/stats.html")),
    (
        "stats_figure.html",
        include_str!("../templates/stats_figure.html"),
    ),
    (
        "stats_chart.html",
        include_str!("../templates/stats_chart.html"),
    ),
];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/statistics", get(dashboard))
        .route("/statistics.csv", get(csv))
}

/// The form as typed. Every field stays text, so that a refused value is shown again as it
/// was written.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct Choice {
    dimension: String,
    within: String,
    value: String,
}

/// Errors shown beside the fields of the form, by field name (`form` for the whole form).
type FieldErrors = BTreeMap<&'static str, String>;

/// What a valid choice asks the registry for.
struct Asked {
    /// The dimension counted; `None` for the overview of every dimension.
    dimension: Option<&'static str>,
    /// Only the persons with this value of that dimension.
    filter: Option<(&'static str, String)>,
}

impl Asked {
    fn filter(&self) -> Option<(&str, &str)> {
        self.filter.as_ref().map(|(d, v)| (*d, v.as_str()))
    }
}

fn known_dimension(name: &str) -> Option<&'static str> {
    dimensions().into_iter().find(|d| *d == name)
}

/// A value as the registry writes values of `dimension` (country codes in capitals), or the
/// message key of a hint at the form such a value takes. Checked before the registry is asked,
/// so that a mistyped value is answered beside its field rather than with an empty table.
fn written_as(dimension: &str, value: &str) -> Result<String, &'static str> {
    // The persons for whom the registry records no value: a value of every single-valued
    // dimension, as the registry names it.
    if value == NOT_RECORDED {
        return Ok(value.to_owned());
    }
    let all = |allowed: fn(char) -> bool| value.chars().all(allowed);
    let (fits, hint) = match dimension {
        "year" => (
            value.len() == 4 && all(|c| c.is_ascii_digit()),
            "stats-hint-year",
        ),
        "citizenship" | "country_of_exploitation" => (
            value.len() == 3 && all(|c| c.is_ascii_alphabetic()),
            "stats-hint-country",
        ),
        // The registry knows the flags of these two and refuses any other.
        "exploitation" | "means_of_control" => {
            (all(|c| c.is_ascii_alphabetic()), "stats-hint-flag")
        }
        _ => (
            all(|c| c.is_alphanumeric() || " _-+/:.".contains(c)),
            "stats-hint-code",
        ),
    };
    match (fits, dimension) {
        (false, _) => Err(hint),
        (true, "citizenship" | "country_of_exploitation") => Ok(value.to_ascii_uppercase()),
        (true, _) => Ok(value.to_owned()),
    }
}

/// Checks the form: every refusal is a message beside its field, in the viewer's language.
fn check(choice: &Choice, t: &Localizer) -> Result<Asked, FieldErrors> {
    let mut errors = FieldErrors::new();
    let unknown = |typed: &str| t.text("stats-error-dimension", &[("value", Arg::Text(typed))]);
    let dimension = match choice.dimension.trim() {
        "" => None,
        typed => {
            let known = known_dimension(typed);
            if known.is_none() {
                errors.insert("dimension", unknown(typed));
            }
            known
        }
    };
    let within = match choice.within.trim() {
        "" => None,
        typed => match known_dimension(typed) {
            None => {
                errors.insert("within", unknown(typed));
                None
            }
            Some(w) if Some(w) == dimension => {
                errors.insert("within", t.text("stats-error-within-same", &[]));
                None
            }
            known => known,
        },
    };
    let value = choice.value.trim();
    let filter = match (choice.within.trim().is_empty(), value.is_empty()) {
        (true, true) => None,
        (true, false) => {
            errors.insert("within", t.text("stats-error-within-missing", &[]));
            None
        }
        (false, true) => {
            errors.insert("value", t.text("stats-error-value-missing", &[]));
            None
        }
        (false, false) => within.and_then(|w| match written_as(w, value) {
            Ok(v) => Some((w, v)),
            Err(hint) => {
                let hint = t.text(hint, &[]);
                let message = t.text(
                    "stats-error-value-form",
                    &[("value", Arg::Text(value)), ("hint", Arg::Text(&hint))],
                );
                errors.insert("value", message);
                None
            }
        }),
    };
    if errors.is_empty() {
        Ok(Asked { dimension, filter })
    } else {
        Err(errors)
    }
}

/// Whether the registry refused the filter's value (a flag it does not know, too long).
fn refused_value(e: &RegistryError) -> bool {
    e.kind == ErrorKind::Invalid && e.code == "statistics.filter"
}

/// A registry name as part of a message key: `means_of_control` → `means-of-control`,
/// `isForcedLabour` → `is-forced-labour`, `exit or return` → `exit-or-return`.
fn key_part(name: &str) -> String {
    let mut out = String::new();
    let mut after_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() && after_lower {
            out.push('-');
        }
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        after_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
    }
    out.trim_end_matches('-').to_owned()
}

/// The words for dimensions and their values. Qualifications are concepts of the law, named
/// by the knowledge base in each language; coded values, and the value of those for whom none
/// is recorded, have messages in `stats.ftl`; years and country codes are shown as they are.
struct Labels<'a> {
    t: &'a Localizer,
    kb: &'a KnowledgeBase,
    lang: &'a str,
}

impl Labels<'_> {
    fn dimension(&self, name: &str) -> String {
        self.word(&format!("stats-dimension-{}", key_part(name)), name)
    }

    /// The message `key`, or `fallback` where there is none (a value this version does not
    /// know, such as one imported from another data set).
    fn word(&self, key: &str, fallback: &str) -> String {
        if self.t.has(key) {
            self.t.text(key, &[])
        } else {
            fallback.to_owned()
        }
    }

    fn concept(&self, name: &str) -> String {
        self.kb
            .concept(name)
            .and_then(|id| self.kb.concepts.get(id))
            .map_or_else(|| name.to_owned(), |c| c.label.get(self.lang).to_owned())
    }

    /// A CTDC age band, `09--17` or `48+`, in words.
    fn age(&self, band: &str) -> String {
        let years = |text: &str| text.parse::<u32>().ok();
        if let Some((from, to)) = band.split_once("--")
            && let (Some(from), Some(to)) = (years(from), years(to))
        {
            return self.t.text(
                "stats-age-range",
                &[("from", Arg::from(from)), ("to", Arg::from(to))],
            );
        }
        match band.strip_suffix('+').and_then(years) {
            Some(from) => self.t.text("stats-age-from", &[("from", Arg::from(from))]),
            None => band.to_owned(),
        }
    }

    fn value(&self, dimension: &str, value: &str) -> String {
        if value == NOT_RECORDED {
            return self.t.text("stats-value-not-recorded", &[]);
        }
        match dimension {
            "qualification" => self.concept(value),
            // A stage facet is `concept: stage`, as the registry records it.
            "stage" => match value.split_once(": ") {
                Some((concept, stage)) => format!(
                    "{}: {}",
                    self.concept(concept),
                    self.word(&format!("stats-stage-{}", key_part(stage)), stage)
                ),
                None => value.to_owned(),
            },
            "age" => self.age(value),
            _ => self.word(
                &format!("stats-value-{}-{}", key_part(dimension), key_part(value)),
                value,
            ),
        }
    }

    fn status(&self, status: &str) -> String {
        self.word(&format!("stats-status-{}", key_part(status)), status)
    }
}

/// `path?name=value&…`, leaving out empty values.
fn link(path: &str, pairs: &[(&str, &str)]) -> String {
    let query: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", percent_encode(v)))
        .collect();
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

/// A name and the words for it: a dimension, or a value offered in the form.
#[derive(Serialize)]
struct Named {
    name: String,
    label: String,
}

#[derive(Serialize)]
struct RowView {
    value: String,
    label: String,
    /// `None` when suppressed.
    count: Option<i64>,
    iccs: Option<String>,
    /// The overview of the persons with this value.
    breakdown_href: String,
    breakdown_label: String,
}

/// One table as the page shows it: chart, figures, CSV link.
#[derive(Serialize)]
struct TableView {
    dimension: String,
    name: String,
    caption: String,
    rows: Vec<RowView>,
    has_iccs: bool,
    total: Option<i64>,
    total_note: String,
    page_href: String,
    csv_href: String,
    csv_label: String,
    chart: BarChart,
}

/// What a chart says to those who cannot see it; the table under it has every figure.
fn describe(t: &Localizer, entries: &[Entry<'_>]) -> String {
    let shown = entries.iter().filter(|e| e.count.is_some()).count();
    let hidden = entries.len() - shown;
    let mut parts = vec![
        t.text("stats-chart-shown", &[("shown", Arg::from(shown))]),
        t.text("stats-chart-hidden", &[("hidden", Arg::from(hidden))]),
    ];
    if let Some((label, count)) = entries
        .iter()
        .filter_map(|e| e.count.map(|n| (e.label, n)))
        .max_by_key(|(_, n)| *n)
    {
        parts.push(t.text(
            "stats-chart-largest",
            &[("label", Arg::Text(label)), ("count", Arg::from(count))],
        ));
    }
    parts.push(t.text("stats-chart-table", &[]));
    parts.join(" ")
}

fn table_view(labels: &Labels<'_>, table: &Table, size: Size) -> TableView {
    let t = labels.t;
    let name = labels.dimension(&table.dimension);
    let filter = table.filter.as_ref();
    let caption = match filter {
        None => t.text("stats-caption", &[("dimension", Arg::Text(&name))]),
        Some((within, value)) => t.text(
            "stats-caption-within",
            &[
                ("dimension", Arg::Text(&name)),
                ("within", Arg::Text(&labels.dimension(within))),
                ("value", Arg::Text(&labels.value(within, value))),
            ],
        ),
    };
    let rows: Vec<RowView> = table
        .cells
        .iter()
        .map(|cell| {
            let label = labels.value(&table.dimension, &cell.value);
            RowView {
                breakdown_href: link(
                    "/statistics",
                    &[("within", &table.dimension), ("value", &cell.value)],
                ),
                breakdown_label: t.text(
                    "stats-breakdown-label",
                    &[
                        ("dimension", Arg::Text(&name)),
                        ("value", Arg::Text(&label)),
                    ],
                ),
                value: cell.value.clone(),
                label,
                // The registry leaves a suppressed cell without a count; never look further.
                count: if cell.suppressed { None } else { cell.count },
                iccs: cell.iccs.clone(),
            }
        })
        .collect();
    let entries: Vec<Entry<'_>> = rows
        .iter()
        .map(|r| Entry {
            value: &r.value,
            label: &r.label,
            count: r.count,
        })
        .collect();
    let chart = bar_chart(
        &format!("chart-{}", table.dimension),
        caption.clone(),
        describe(t, &entries),
        t.text("stats-suppressed", &[]),
        &entries,
        size,
    );
    let (within, value) = filter.map_or(("", ""), |(w, v)| (w.as_str(), v.as_str()));
    let query = [
        ("dimension", table.dimension.as_str()),
        ("within", within),
        ("value", value),
    ];
    TableView {
        total_note: match table.total {
            Some(n) => t.text("stats-total-counted", &[("count", Arg::from(n))]),
            None => t.text("stats-total-suppressed", &[("k", Arg::from(table.k))]),
        },
        has_iccs: rows.iter().any(|r| r.iccs.is_some()),
        page_href: link("/statistics", &query),
        csv_href: link("/statistics.csv", &query),
        csv_label: t.text("stats-csv-label", &[("dimension", Arg::Text(&name))]),
        dimension: table.dimension.clone(),
        name,
        caption,
        total: table.total,
        rows,
        chart,
    }
}

#[derive(Serialize)]
struct CodeView {
    concept: String,
    code: String,
    label: String,
}

/// The rules the figures follow, with their sources, as the registry's policy data says.
#[derive(Serialize)]
struct PolicyView {
    k: u32,
    k_source: String,
    k_status: String,
    codes: Vec<CodeView>,
    iccs_source: String,
    iccs_status: String,
}

fn policy_view(labels: &Labels<'_>, policy: &StatisticsPolicy) -> PolicyView {
    PolicyView {
        k: policy.k,
        k_source: policy.k_source.clone(),
        k_status: labels.status(&policy.k_status),
        codes: policy
            .iccs
            .iter()
            .map(|(concept, code, label)| CodeView {
                concept: labels.concept(concept),
                code: code.clone(),
                label: label.clone(),
            })
            .collect(),
        iccs_source: policy.iccs_source.clone(),
        iccs_status: labels.status(&policy.iccs_status),
    }
}

/// The filter in force, in words, and the way back to everyone.
#[derive(Serialize)]
struct WithinView {
    text: String,
    everyone_href: String,
}

/// Everything `stats.html` shows.
#[derive(Serialize)]
struct Page {
    title: String,
    form: Choice,
    errors: FieldErrors,
    dimensions: Vec<Named>,
    /// Values of the `within` dimension, offered while typing.
    suggestions: Vec<Named>,
    policy: PolicyView,
    /// Whether figures are shown: not when the form was refused.
    results: bool,
    overview: bool,
    tables: Vec<TableView>,
    within: Option<WithinView>,
    /// Why there is nothing to draw, when nothing is counted.
    empty: Option<String>,
}

impl Page {
    fn new(labels: &Labels<'_>, policy: &StatisticsPolicy, form: Choice) -> Page {
        Page {
            title: labels.t.text("stats-title", &[]),
            form,
            errors: FieldErrors::new(),
            dimensions: dimensions()
                .into_iter()
                .map(|d| Named {
                    name: d.to_owned(),
                    label: labels.dimension(d),
                })
                .collect(),
            suggestions: Vec::new(),
            policy: policy_view(labels, policy),
            results: false,
            overview: false,
            tables: Vec::new(),
            within: None,
            empty: None,
        }
    }
}

/// The values of `within` the registry counts, to offer in the form.
async fn suggestions(
    s: &AppState,
    actor: &Principal,
    labels: &Labels<'_>,
    within: &str,
) -> Result<Vec<Named>, RegistryError> {
    let table = s.registry.statistics(actor, within, None).await?;
    Ok(table
        .cells
        .iter()
        .map(|c| Named {
            label: labels.value(within, &c.value),
            name: c.value.clone(),
        })
        .collect())
}

/// The form again, with each refusal beside its field.
async fn refuse(
    s: &AppState,
    v: &Viewer,
    actor: &Principal,
    labels: &Labels<'_>,
    mut page: Page,
    errors: FieldErrors,
) -> PageResult {
    if let Some(within) = known_dimension(page.form.within.trim()) {
        page.suggestions = suggestions(s, actor, labels, within)
            .await
            .map_err(|e| v.registry_error(e))?;
    }
    page.errors = errors;
    v.render_status(s, StatusCode::UNPROCESSABLE_ENTITY, "stats.html", page)
}

/// Whether a table counts no one: no value is counted, or its total is zero (a filter value no
/// one has gives a zero for every value of the dimension).
fn counts_no_one(table: &Table) -> bool {
    table.cells.is_empty() || table.total == Some(0)
}

async fn dashboard(
    State(s): State<AppState>,
    v: Viewer,
    query: Result<Query<Choice>, QueryRejection>,
) -> PageResult {
    let (_, actor) = v.signed()?;
    let t = words(v.lang);
    let labels = Labels {
        t,
        kb: s.kb,
        lang: v.lang,
    };
    let policy = s.registry.policy();
    let Ok(Query(choice)) = query else {
        let page = Page::new(&labels, policy, Choice::default());
        let errors = FieldErrors::from([("form", t.text("stats-error-query", &[]))]);
        return refuse(&s, &v, &actor, &labels, page, errors).await;
    };
    let mut page = Page::new(&labels, policy, choice);
    let asked = match check(&page.form, t) {
        Ok(asked) => asked,
        Err(errors) => return refuse(&s, &v, &actor, &labels, page, errors).await,
    };
    let counted = match asked.dimension {
        Some(d) => s
            .registry
            .statistics(&actor, d, asked.filter())
            .await
            .map(|table| vec![table]),
        None => s
            .registry
            .all_statistics(&actor, asked.filter())
            .await
            .map(|all| all.tables),
    };
    let tables = match counted {
        Ok(tables) => tables,
        Err(e) if refused_value(&e) => {
            let typed = page.form.value.trim().to_owned();
            let message = t.text("stats-error-value-unknown", &[("value", Arg::Text(&typed))]);
            let errors = FieldErrors::from([("value", message)]);
            return refuse(&s, &v, &actor, &labels, page, errors).await;
        }
        Err(e) => return Err(v.registry_error(e)),
    };
    if let Some((within, value)) = &asked.filter {
        page.suggestions = suggestions(&s, &actor, &labels, within)
            .await
            .map_err(|e| v.registry_error(e))?;
        let within_name = labels.dimension(within);
        let value_label = labels.value(within, value);
        page.within = Some(WithinView {
            text: t.text(
                "stats-within",
                &[
                    ("within", Arg::Text(&within_name)),
                    ("value", Arg::Text(&value_label)),
                ],
            ),
            everyone_href: link(
                "/statistics",
                &[("dimension", asked.dimension.unwrap_or(""))],
            ),
        });
        if tables.iter().all(counts_no_one) {
            page.empty = Some(t.text(
                "stats-empty-within",
                &[
                    ("within", Arg::Text(&within_name)),
                    ("value", Arg::Text(&value_label)),
                ],
            ));
        }
    } else if tables.iter().all(counts_no_one) {
        page.empty = Some(match asked.dimension {
            None => t.text("stats-empty", &[]),
            Some(d) => t.text(
                "stats-empty-dimension",
                &[("dimension", Arg::Text(&labels.dimension(d)))],
            ),
        });
    }
    let size = match asked.dimension {
        Some(_) => Size::Full,
        None => Size::Compact,
    };
    page.tables = tables
        .iter()
        .map(|table| table_view(&labels, table, size))
        .collect();
    if let Some(d) = asked.dimension {
        page.title = t.text(
            "stats-title-dimension",
            &[("dimension", Arg::Text(&labels.dimension(d)))],
        );
    }
    page.overview = asked.dimension.is_none();
    page.results = true;
    v.render(&s, "stats.html", page)
}

/// Exactly the table a page shows, as the registry writes it in CSV.
async fn csv(
    State(s): State<AppState>,
    v: Viewer,
    query: Result<Query<Choice>, QueryRejection>,
) -> PageResult {
    let (_, actor) = v.signed()?;
    let t = words(v.lang);
    let unusable =
        |detail: String| v.error(StatusCode::UNPROCESSABLE_ENTITY, "error-invalid", detail);
    let Ok(Query(choice)) = query else {
        return Err(unusable(t.text("stats-error-query", &[])));
    };
    let asked = check(&choice, t)
        .map_err(|errors| unusable(errors.into_values().collect::<Vec<_>>().join(" ")))?;
    let Some(dimension) = asked.dimension else {
        return Err(unusable(t.text("stats-error-csv-dimension", &[])));
    };
    let table = s
        .registry
        .statistics(&actor, dimension, asked.filter())
        .await
        .map_err(|e| v.registry_error(e))?;
    let name = match &asked.filter {
        Some((within, _)) => format!("statistics-{dimension}-within-{within}.csv"),
        None => format!("statistics-{dimension}.csv"),
    };
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        table.to_csv(),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_names_become_message_keys() {
        assert_eq!(key_part("means_of_control"), "means-of-control");
        assert_eq!(key_part("isForcedLabour"), "is-forced-labour");
        assert_eq!(key_part("meansAbusePsyPhySex"), "means-abuse-psy-phy-sex");
        assert_eq!(
            key_part("Trans/Transgender/NonConforming"),
            "trans-transgender-non-conforming"
        );
        assert_eq!(key_part("exit or return"), "exit-or-return");
    }

    #[test]
    fn values_are_checked_against_the_form_of_their_dimension() {
        assert_eq!(written_as("year", "2023"), Ok("2023".into()));
        assert_eq!(written_as("year", "20x3"), Err("stats-hint-year"));
        assert_eq!(written_as("citizenship", "tjk"), Ok("TJK".into()));
        assert_eq!(written_as("citizenship", "TJ"), Err("stats-hint-country"));
        assert_eq!(
            written_as("exploitation", "is forced"),
            Err("stats-hint-flag")
        );
        assert_eq!(
            written_as("stage", "trafficking_in_persons: exit or return"),
            Ok("trafficking_in_persons: exit or return".into())
        );
        assert_eq!(written_as("gender", "<script>"), Err("stats-hint-code"));
        // Those for whom no value is recorded, in every single-valued dimension.
        for d in ["year", "citizenship", "age"] {
            assert_eq!(written_as(d, NOT_RECORDED), Ok(NOT_RECORDED.into()));
        }
    }

    #[test]
    fn every_dimension_and_known_value_has_words_in_every_language() {
        for lang in delimit_i18n::Localizer::languages() {
            let t = words(lang);
            for d in dimensions() {
                let key = format!("stats-dimension-{}", key_part(d));
                assert!(t.has(&key), "{lang}: {key}");
            }
            assert!(t.has("stats-value-not-recorded"), "{lang}");
        }
    }

    #[test]
    fn the_form_refuses_beside_each_field() {
        let t = words("en");
        let choice = |dimension: &str, within: &str, value: &str| Choice {
            dimension: dimension.into(),
            within: within.into(),
            value: value.into(),
        };
        let refused = |c: Choice| check(&c, t).err().unwrap_or_default();
        assert!(refused(choice("names", "", "")).contains_key("dimension"));
        assert!(refused(choice("age", "age", "x")).contains_key("within"));
        assert!(refused(choice("age", "", "Woman")).contains_key("within"));
        assert!(refused(choice("age", "gender", "")).contains_key("value"));
        assert!(refused(choice("", "year", "twenty")).contains_key("value"));
        let asked = check(&choice("age", "gender", " Woman "), t).unwrap();
        assert_eq!(asked.dimension, Some("age"));
        assert_eq!(asked.filter(), Some(("gender", "Woman")));
        let overview = check(&Choice::default(), t).unwrap();
        assert!(overview.dimension.is_none() && overview.filter.is_none());
    }
}
