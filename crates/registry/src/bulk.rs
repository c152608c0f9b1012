//! Bulk work: importing files of cases, requalifying every stored case, and comparing two
//! readings of the law over the registry.
//!
//! Import and requalification work in batches, each one transaction that also moves the
//! job's cursor: a process killed at any moment leaves every batch either whole or absent,
//! and running the same command again resumes after the last whole batch.

use crate::audit::Event;
use crate::cases::{
    Identity, NewRevision, Prepared, insert_assessments, insert_revisions, prepare,
};
use crate::qualify::{Qualification, assess_with};
use crate::{
    Principal, Registry, RegistryError, Result, Role, insert_values, new_id, now_us,
    rows_per_statement,
};
use delimit_case::findings::PlanCache;
use delimit_case::json::JsonError;
use delimit_case::limits::{MAX_CASE_BYTES, MAX_HTCDS_BYTES};
use delimit_case::read_timeline::problems;
use delimit_case::timeline::TimelineCase;
use delimit_law::limits::size;
use delimit_law::{DoctrineId, KnowledgeBase};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::{Any, AssertSqlSafe, Row, Transaction};
use std::collections::{BTreeMap, HashMap};

/// How far a job has got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    pub done: u64,
    pub total: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportFormat {
    /// One case per line: a `delimit.case/2` object, or `{"case": …, "identity": …}`.
    JsonLines,
    /// HTCDS 2.0 CSV, one row per person (`delimit exchange` documents the mapping).
    HtcdsCsv,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ImportReport {
    pub job: String,
    /// Records in the file.
    pub total: u64,
    /// Stored by this run.
    pub imported: u64,
    /// Not stored by this run: a case of the same id was imported into the organisation
    /// before (by another file, or an earlier version of this one). The notes say which.
    pub skipped: u64,
    /// Taken in by an earlier, interrupted run of the same file (stored, or skipped).
    pub already: u64,
    /// Notes on what the file's format could not carry (HTCDS), and on the cases skipped.
    pub notes: Vec<String>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct RequalifyReport {
    pub job: String,
    pub total: u64,
    pub assessed: u64,
    pub already: u64,
}

/// A reading of the law to assess under: a knowledge base, doctrines or a reform, a date.
#[derive(Clone, Copy)]
pub struct Reading<'k> {
    pub kb: &'k KnowledgeBase,
    pub doctrines: &'k [DoctrineId],
    pub as_of: Option<jiff::civil::Date>,
}

impl Reading<'_> {
    fn describe(&self) -> String {
        let mut names: Vec<&str> = self
            .doctrines
            .iter()
            .map(|d| self.kb.doctrines[*d].id.as_str())
            .collect();
        names.sort();
        format!(
            "law {} doctrines [{}] as of {}",
            self.kb.hash,
            names.join(","),
            self.as_of
                .map(|d| d.to_string())
                .unwrap_or_else(|| "each case's own dates".into())
        )
    }
}

/// One case whose qualification differs between the two readings.
#[derive(Clone, Debug, Serialize)]
pub struct ImpactChange {
    pub case: String,
    pub revision: i64,
    /// `(what, before, after)`: what changed, with its value under each reading.
    pub changes: Vec<(String, String, String)>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ImpactReport {
    pub base: String,
    pub other: String,
    pub cases: u64,
    pub changed: u64,
    /// Per concept: how many findings moved, from which value to which.
    pub by_concept: BTreeMap<String, BTreeMap<String, u64>>,
    pub list: Vec<ImpactChange>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Wrapped {
    case: TimelineCase,
    #[serde(default)]
    identity: Identity,
}

const BATCH: usize = 500;

/// The largest JSON Lines import, in bytes: 256 MiB. The file is held whole while it is checked
/// (each line is read again when its batch is stored), and an import takes some three times
/// its size in memory: the 100,000 synthetic journeys of `bench/registry.sh` (147 MB) are
/// imported in 14 s and 430 MB on a 2-core machine, so this bounds an import near 800 MB. An
/// HTCDS import is held as journeys, larger still: it is bounded by
/// `delimit_case::limits::MAX_HTCDS_BYTES` (64 MiB). Over HTTP, the server's import limit
/// (64 MiB) applies first. A larger file is split into several imports, each all or nothing.
pub const MAX_IMPORT_BYTES: usize = 256 << 20;

/// The most notes on cases skipped that one import reports; past them, how many more.
const MAX_SKIP_NOTES: usize = 100;

/// The records of an import: lines of JSON checked already, or cases read from CSV.
enum Records<'t> {
    Lines(Vec<(usize, &'t str)>),
    Cases(Vec<(usize, TimelineCase, Identity)>),
}

/// One record of an import, prepared for storing.
struct Incoming {
    /// The new case's id in the registry.
    id: String,
    /// The line (JSON Lines) or case (HTCDS) of the file.
    record: usize,
    /// What `cases.source` keeps: where the case comes from (see [`source`]).
    source: String,
    /// The case as messages name it, by its own id.
    name: String,
    prepared: Prepared,
}

/// What identifies an imported case across imports: its own id (`id` of the case,
/// `dlm_CaseId` of HTCDS) with, for HTCDS, its person (`dlm_PersonId`), since each person's
/// row becomes a case of its own. `None` for a case without an id.
fn identity_of(case: &TimelineCase, format: ImportFormat) -> Option<String> {
    let id = case.id.as_deref()?;
    Some(match format {
        ImportFormat::JsonLines => hash_hex(&[b"case", id.as_bytes()]),
        ImportFormat::HtcdsCsv => {
            let person = case.persons.first().map_or("", |p| p.id.as_str());
            hash_hex(&[b"case", id.as_bytes(), person.as_bytes()])
        }
    })
}

/// `cases.source` of an imported case: the organisation and the case's identity, so that a
/// case imported once into an organisation is never stored again by an import (UNIQUE); for a
/// case without an id, the file and the record, so that an interrupted import resumed never
/// stores a record twice.
fn source(organisation: &str, identity: Option<&str>, file_hash: &str, record: usize) -> String {
    match identity {
        Some(identity) => format!("{organisation}:case:{identity}"),
        None => format!("{organisation}:{file_hash}:{record}"),
    }
}

/// A record as messages name it: a line of JSON Lines, a case (a person's row, in the order
/// of the persons' rows) of HTCDS.
fn record_name(format: ImportFormat, record: usize) -> String {
    match format {
        ImportFormat::JsonLines => format!("line {record}"),
        ImportFormat::HtcdsCsv => format!("case {record}"),
    }
}

/// The case as messages name it, by its own id (and person, for HTCDS).
fn own_name(case: &TimelineCase, format: ImportFormat) -> String {
    let Some(id) = case.id.as_deref() else {
        return "the case (without an id)".into();
    };
    match (format, case.persons.first()) {
        (ImportFormat::HtcdsCsv, Some(p)) => format!("case `{id}`, person `{}`,", p.id),
        _ => format!("case `{id}`"),
    }
}

impl Records<'_> {
    fn len(&self) -> usize {
        match self {
            Records::Lines(l) => l.len(),
            Records::Cases(c) => c.len(),
        }
    }

    /// Records `range` read and prepared for storing, on every core, each with a new case id,
    /// its line or row and its source.
    fn prepare(
        &self,
        range: std::ops::Range<usize>,
        organisation: &str,
        file_hash: &str,
        format: ImportFormat,
    ) -> Result<Vec<Incoming>> {
        let stored = |record: usize, case: &TimelineCase, identity: &Identity| {
            let own = identity_of(case, format);
            Ok(Incoming {
                id: new_id("c-")?,
                record,
                source: source(organisation, own.as_deref(), file_hash, record),
                name: own_name(case, format),
                prepared: prepare(case, identity)?,
            })
        };
        match self {
            Records::Lines(lines) => on_every_core(&lines[range], |(n, text)| {
                let (case, identity) = read_record(text, *n)?;
                stored(*n, &case, &identity)
            }),
            Records::Cases(cases) => on_every_core(&cases[range], |(n, case, identity)| {
                stored(*n, case, identity)
            }),
        }
        .into_iter()
        .collect()
    }
}

/// Reads line `line` of a JSON Lines import: a case within the limits of
/// `delimit_case::limits`, as any case the registry reads.
fn read_record(text: &str, line: usize) -> Result<(TimelineCase, Identity)> {
    let located = |e: &dyn std::fmt::Display| {
        RegistryError::invalid("import.record", format!("line {line}: {e}"))
    };
    if text.len() > MAX_CASE_BYTES {
        return Err(located(&format!(
            "the case has {} bytes; a case has at most {} ({})",
            text.len(),
            MAX_CASE_BYTES,
            size(MAX_CASE_BYTES)
        )));
    }
    // A key given twice is refused, not resolved by keeping one of the two.
    let value = delimit_case::json::from_str(text).map_err(|e| match e {
        JsonError::Duplicate { key, column, .. } => RegistryError::invalid(
            "import.record",
            format!(
                "line {line}, column {column}: duplicate key `{key}`: the object gives it twice"
            ),
        ),
        JsonError::Syntax(e) => located(&e),
    })?;
    let (case, identity) = if value.get("schema").is_some() {
        let case: TimelineCase = serde_path_to_error(value).map_err(|e: String| located(&e))?;
        (case, Identity::default())
    } else {
        let w: Wrapped = serde_path_to_error(value).map_err(|e: String| located(&e))?;
        (w.case, w.identity)
    };
    let found = problems(&case);
    if let Some(first) = found.first() {
        return Err(located(first));
    }
    Ok((case, identity))
}

/// A case's identity across imports ([`identity_of`]) and its name for messages, when it has
/// an id.
fn owned(case: &TimelineCase, format: ImportFormat) -> Option<(String, String)> {
    identity_of(case, format).map(|identity| (identity, own_name(case, format)))
}

/// The records that give a case already given by an earlier record of the same file, each
/// named with the first (at most 20): a file gives each case once, so that nothing of it is
/// stored by chance of its order.
fn given_twice(
    records: impl Iterator<Item = (usize, Option<(String, String)>)>,
    format: ImportFormat,
) -> Vec<String> {
    let mut first: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for (record, owned) in records {
        let Some((identity, name)) = owned else {
            continue;
        };
        match first.get(&identity) {
            Some(earlier) => {
                if out.len() < 20 {
                    out.push(format!(
                        "{}: {name} is given twice in the file, first at {}: give each case once",
                        record_name(format, record),
                        record_name(format, *earlier)
                    ));
                }
            }
            None => {
                first.insert(identity, record);
            }
        }
    }
    out
}

fn serde_path_to_error<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
) -> std::result::Result<T, String> {
    serde_json::from_value(value).map_err(|e| e.to_string())
}

fn hash_hex(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p);
    }
    hex::encode(&h.finalize()[..12])
}

/// A job's cursor and count, creating the job when new.
async fn start_job(
    registry: &Registry,
    id: &str,
    kind: &str,
    params: &str,
    total: u64,
) -> Result<(String, u64, bool)> {
    let now = now_us();
    sqlx::query(
        "INSERT INTO jobs (id, kind, params, started_us, updated_us, total, done, cursor, finished) VALUES ($1, $2, $3, $4, $4, $5, 0, '', 0) ON CONFLICT (id) DO NOTHING",
    )
    .bind(id)
    .bind(kind)
    .bind(params)
    .bind(now)
    .bind(total as i64)
    .execute(&registry.pool)
    .await?;
    let row = sqlx::query("SELECT cursor, done, finished FROM jobs WHERE id = $1")
        .bind(id)
        .fetch_one(&registry.pool)
        .await?;
    Ok((
        row.try_get("cursor")?,
        row.try_get::<i64, _>("done")? as u64,
        row.try_get::<i64, _>("finished")? != 0,
    ))
}

async fn move_job(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    cursor: &str,
    done: u64,
    finished: bool,
) -> Result<()> {
    sqlx::query(
        "UPDATE jobs SET cursor = $1, done = $2, finished = $3, updated_us = $4 WHERE id = $5",
    )
    .bind(cursor)
    .bind(done as i64)
    .bind(i64::from(finished))
    .bind(now_us())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Registry {
    /// Imports a file of cases into the principal's organisation. The whole file is checked
    /// first, and nothing is stored if any record is bad or two records give the same case
    /// (the same `id`; for HTCDS, the same `dlm_CaseId` and `dlm_PersonId`); then the cases
    /// are stored in batches. Importing the same file again resumes an interrupted import and
    /// never stores a record twice; a case imported into the organisation before, by any
    /// file, is skipped, and the report says so (and whether the file gives it otherwise).
    /// A case without an id is stored as a new case by each file that holds it.
    pub async fn import(
        &self,
        actor: &Principal,
        content: &[u8],
        format: ImportFormat,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<ImportReport> {
        self.allow(
            actor,
            actor.role.writes_cases(),
            "case.import",
            "import",
            "import cases",
        )
        .await?;
        let most = match format {
            ImportFormat::JsonLines => MAX_IMPORT_BYTES,
            ImportFormat::HtcdsCsv => MAX_HTCDS_BYTES,
        };
        if content.len() > most {
            return Err(RegistryError::invalid(
                "import.too_large",
                format!(
                    "nothing was imported: the file has {} bytes; an import of this format has at most {} ({}): split it into several imports",
                    content.len(),
                    most,
                    size(most)
                ),
            ));
        }
        let text = std::str::from_utf8(content).map_err(|e| {
            RegistryError::invalid("import.encoding", format!("the file is not UTF-8: {e}"))
        })?;
        let file_hash = hash_hex(&[content]);
        let job = format!("import-{}-{file_hash}", actor.organisation);
        // JSON Lines are checked whole first and read again batch by batch, so that memory
        // holds one batch of cases, not the file.
        let mut notes = Vec::new();
        let records = match format {
            ImportFormat::JsonLines => {
                let lines: Vec<(usize, &str)> = text
                    .lines()
                    .enumerate()
                    .filter(|(_, line)| !line.trim().is_empty())
                    .map(|(i, line)| (i + 1, line))
                    .collect();
                let read = blocking(|| {
                    on_every_core(&lines, |(n, line)| {
                        read_record(line, *n).map(|(case, _)| owned(&case, format))
                    })
                });
                let mut errors: Vec<String> = read
                    .iter()
                    .filter_map(|r| r.as_ref().err())
                    .take(20)
                    .map(|e| e.message.clone())
                    .collect();
                if errors.is_empty() {
                    let owns = lines
                        .iter()
                        .zip(read)
                        .map(|((n, _), r)| (*n, r.ok().flatten()));
                    errors = given_twice(owns, format);
                }
                if !errors.is_empty() {
                    let mut e = RegistryError::invalid(
                        "import.invalid",
                        format!("nothing was imported: {}", errors[0]),
                    );
                    e.details = errors;
                    return Err(e);
                }
                Records::Lines(lines)
            }
            ImportFormat::HtcdsCsv => {
                let (cases, losses) = delimit_case::htcds::from_htcds(text).map_err(|e| {
                    RegistryError::invalid("import.invalid", format!("nothing was imported: {e}"))
                })?;
                notes = losses;
                let mut out = Vec::new();
                for (i, c) in cases.into_iter().enumerate() {
                    if let Some(p) = problems(&c).first() {
                        return Err(RegistryError::invalid(
                            "import.invalid",
                            format!("nothing was imported: case {}: {p}", i + 1),
                        ));
                    }
                    out.push((i + 1, c, Identity::default()));
                }
                let errors =
                    given_twice(out.iter().map(|(n, c, _)| (*n, owned(c, format))), format);
                if !errors.is_empty() {
                    let mut e = RegistryError::invalid(
                        "import.invalid",
                        format!("nothing was imported: {}", errors[0]),
                    );
                    e.details = errors;
                    return Err(e);
                }
                Records::Cases(out)
            }
        };
        let total = records.len() as u64;
        let (cursor, already, finished) =
            start_job(self, &job, "import", &format!("{format:?}"), total).await?;
        let start: usize = cursor.parse().unwrap_or(0);
        let mut done = already;
        progress(Progress { done, total });
        if finished {
            return Ok(ImportReport {
                job,
                total,
                imported: 0,
                skipped: 0,
                already,
                notes,
            });
        }
        let mut from = start.min(records.len());
        let mut skipped = Vec::new();
        let mut writing: Option<tokio::task::JoinHandle<Result<Vec<String>>>> = None;
        while from < records.len() {
            let to = (from + BATCH).min(records.len());
            let prepared =
                blocking(|| records.prepare(from..to, &actor.organisation, &file_hash, format))?;
            // This batch is written while the next is read and prepared.
            if let Some(previous) = writing.take() {
                skipped.extend(finish(previous).await?);
                progress(Progress { done, total });
            }
            done += (to - from) as u64;
            writing = Some(tokio::spawn(write_imported(
                self.clone(),
                actor.clone(),
                job.clone(),
                file_hash.clone(),
                format,
                prepared,
                to,
                done,
                total,
            )));
            from = to;
        }
        if let Some(previous) = writing.take() {
            skipped.extend(finish(previous).await?);
            progress(Progress { done, total });
        }
        let skipped_count = skipped.len() as u64;
        if skipped.len() > MAX_SKIP_NOTES {
            let more = skipped.len() - MAX_SKIP_NOTES;
            skipped.truncate(MAX_SKIP_NOTES);
            skipped.push(format!("and {more} more cases skipped, already imported"));
        }
        notes.extend(skipped);
        if total == already {
            let mut tx = self.pool.begin().await?;
            move_job(&mut tx, &job, &cursor, done, true).await?;
            tx.commit().await?;
        }
        Ok(ImportReport {
            job,
            total,
            imported: done - already - skipped_count,
            skipped: skipped_count,
            already,
            notes,
        })
    }

    /// Cases of the organisation after `after`, at most `limit`, with their latest bodies.
    async fn case_batch(
        &self,
        organisation: &str,
        after: &str,
        limit: usize,
    ) -> Result<Vec<(String, i64, TimelineCase)>> {
        let rows = sqlx::query(
            "SELECT c.id, c.revision, r.body, r.protected, r.seal FROM cases c JOIN case_revisions r ON r.case_id = c.id AND r.revision = c.revision WHERE c.organisation = $1 AND c.id > $2 ORDER BY c.id LIMIT $3",
        )
        .bind(organisation)
        .bind(after)
        .bind(limit as i64)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let id: String = r.try_get("id")?;
                let revision: i64 = r.try_get("revision")?;
                // A revision changed outside delimit stops the batch: nothing is assessed
                // from what delimit did not write.
                let (case, _) = self.open_row(&id, revision, r)?;
                Ok((id, revision, case))
            })
            .collect()
    }

    async fn count_cases(&self, organisation: &str) -> Result<u64> {
        let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM cases WHERE organisation = $1")
            .bind(organisation)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
        Ok(n as u64)
    }

    /// Assesses every case of the organisation under `reading` and stores the assessments.
    /// Running it again with the same reading resumes where an interrupted run stopped.
    pub async fn requalify(
        &self,
        actor: &Principal,
        reading: Reading<'_>,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<RequalifyReport> {
        self.allow(
            actor,
            actor.role == Role::Administrator,
            "case.requalify",
            "all cases",
            "requalify the registry",
        )
        .await?;
        let params = reading.describe();
        let job = format!(
            "requalify-{}-{}",
            actor.organisation,
            hash_hex(&[params.as_bytes()])
        );
        let total = self.count_cases(&actor.organisation).await?;
        let plans = PlanCache::new(reading.kb, reading.doctrines);
        let (mut cursor, already, finished) =
            start_job(self, &job, "requalify", &params, total).await?;
        let mut done = already;
        progress(Progress { done, total });
        if finished {
            return Ok(RequalifyReport {
                job,
                total,
                assessed: 0,
                already,
            });
        }
        // Each batch is written while the next is assessed: the writer is one thread, the
        // assessments use the others.
        let mut writing: Option<tokio::task::JoinHandle<Result<()>>> = None;
        loop {
            let batch = self.case_batch(&actor.organisation, &cursor, BATCH).await?;
            let Some((last, _, _)) = batch.last() else {
                break;
            };
            let last = last.clone();
            let results = blocking(|| assess_all(&plans, reading.as_of, &batch));
            if let Some(previous) = writing.take() {
                finish(previous).await?;
                progress(Progress {
                    done,
                    total: total.max(done),
                });
            }
            done += batch.len() as u64;
            writing = Some(tokio::spawn(write_assessments(
                self.clone(),
                actor.clone(),
                job.clone(),
                batch,
                results,
                last.clone(),
                done,
            )));
            cursor = last;
        }
        if let Some(previous) = writing.take() {
            finish(previous).await?;
            progress(Progress {
                done,
                total: total.max(done),
            });
        }
        let mut tx = self.pool.begin().await?;
        move_job(&mut tx, &job, &cursor, done, true).await?;
        tx.commit().await?;
        Ok(RequalifyReport {
            job,
            total: total.max(done),
            assessed: done - already,
            already,
        })
    }

    /// Which of the organisation's cases qualify differently under `other` than under
    /// `base`, and how. Nothing is stored but an audit entry.
    pub async fn impact(
        &self,
        actor: &Principal,
        base: Reading<'_>,
        other: Reading<'_>,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<ImpactReport> {
        self.allow(
            actor,
            actor.role.reads_cases(),
            "registry.impact",
            "all cases",
            "compare readings over the registry",
        )
        .await?;
        let total = self.count_cases(&actor.organisation).await?;
        let mut report = ImpactReport {
            base: base.describe(),
            other: other.describe(),
            cases: 0,
            changed: 0,
            by_concept: BTreeMap::new(),
            list: Vec::new(),
        };
        let mut cursor = String::new();
        let base_plans = PlanCache::new(base.kb, base.doctrines);
        let other_plans = PlanCache::new(other.kb, other.doctrines);
        progress(Progress { done: 0, total });
        loop {
            let batch = self.case_batch(&actor.organisation, &cursor, BATCH).await?;
            let Some((last, _, _)) = batch.last() else {
                break;
            };
            cursor = last.clone();
            let before = blocking(|| assess_all(&base_plans, base.as_of, &batch));
            let after = blocking(|| assess_all(&other_plans, other.as_of, &batch));
            for (((id, revision, _), b), a) in batch.iter().zip(&before).zip(&after) {
                report.cases += 1;
                let changes = differences(&b.summary, &a.summary);
                if changes.is_empty() {
                    continue;
                }
                report.changed += 1;
                for (what, from, to) in &changes {
                    let concept = what.rsplit(": ").next().unwrap_or(what).to_string();
                    *report
                        .by_concept
                        .entry(concept)
                        .or_default()
                        .entry(format!("{from} → {to}"))
                        .or_default() += 1;
                }
                report.list.push(ImpactChange {
                    case: id.clone(),
                    revision: *revision,
                    changes,
                });
            }
            progress(Progress {
                done: report.cases,
                total: total.max(report.cases),
            });
        }
        self.audit(
            actor,
            "registry.impact",
            "all cases",
            "ok",
            format!("{} of {} cases change", report.changed, report.cases),
        )
        .await?;
        Ok(report)
    }
}

/// Stores one batch of imported cases with their audit entries and moves the job's cursor
/// past them, in one transaction. A case whose source is taken already (a case of the same id
/// imported into the organisation before, by any file) is not stored: what is said of each
/// such case is returned.
#[allow(clippy::too_many_arguments)]
async fn write_imported(
    registry: Registry,
    actor: Principal,
    job: String,
    file_hash: String,
    format: ImportFormat,
    prepared: Vec<Incoming>,
    to: usize,
    done: u64,
    total: u64,
) -> Result<Vec<String>> {
    let mut tx = registry.pool.begin().await?;
    let now = now_us();
    // Each row is inserted unless its source is taken, even by an import running at the same
    // time: the UNIQUE source decides, and the rows inserted come back.
    let mut inserted: std::collections::HashSet<String> = std::collections::HashSet::new();
    for chunk in prepared.chunks(rows_per_statement(6)) {
        let mut sql = insert_values(
            &tx,
            "INSERT INTO cases (id, organisation, created_us, created_by, revision, source)",
            6,
            chunk.len(),
        );
        sql.push_str(" ON CONFLICT (source) DO NOTHING RETURNING id");
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for c in chunk {
            q = q
                .bind(c.id.clone())
                .bind(actor.organisation.clone())
                .bind(now)
                .bind(actor.id.clone())
                .bind(1i64)
                .bind(c.source.clone());
        }
        for row in q.fetch_all(&mut *tx).await? {
            inserted.insert(row.try_get("id")?);
        }
    }
    let (stored, taken): (Vec<&Incoming>, Vec<&Incoming>) =
        prepared.iter().partition(|c| inserted.contains(&c.id));
    let revisions: Vec<NewRevision<'_>> = stored
        .iter()
        .map(|c| NewRevision {
            id: &c.id,
            revision: 1,
            prepared: &c.prepared,
        })
        .collect();
    insert_revisions(&registry, &mut tx, &actor, &revisions).await?;
    let events: Vec<Event<'_>> = stored
        .iter()
        .map(|c| Event {
            action: "case.import",
            target: &c.id,
            outcome: "ok",
            detail: format!("record {} of {file_hash}", c.record),
        })
        .collect();
    registry.append(&mut tx, &actor, &events).await?;
    let skipped = skipped_notes(&registry, &mut tx, format, &taken).await?;
    move_job(&mut tx, &job, &to.to_string(), done, done == total).await?;
    tx.commit().await?;
    Ok(skipped)
}

/// What is said of each record not stored because its case was imported before: the stored
/// case it is, and whether the file gives it otherwise than its latest revision.
async fn skipped_notes(
    registry: &Registry,
    tx: &mut Transaction<'_, Any>,
    format: ImportFormat,
    taken: &[&Incoming],
) -> Result<Vec<String>> {
    let mut stored: HashMap<String, (String, i64, String)> = HashMap::new();
    for chunk in taken.chunks(rows_per_statement(1)) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT c.source, c.id, c.revision, r.body, r.protected, r.seal FROM cases c JOIN case_revisions r ON r.case_id = c.id AND r.revision = c.revision WHERE c.source IN ({})",
            marks.join(", ")
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for c in chunk {
            q = q.bind(c.source.clone());
        }
        for row in q.fetch_all(&mut **tx).await? {
            let id: String = row.try_get("id")?;
            let revision: i64 = row.try_get("revision")?;
            let (case, _) = registry.open_row(&id, revision, &row)?;
            let body = serde_json::to_string(&case)
                .map_err(|e| RegistryError::storage(format!("case {id}: {e}")))?;
            stored.insert(row.try_get("source")?, (id, revision, body));
        }
    }
    Ok(taken
        .iter()
        .map(|c| {
            let (at, name) = (record_name(format, c.record), &c.name);
            match stored.get(&c.source) {
                Some((id, revision, body)) if *body == c.prepared.body => format!(
                    "{at}: {name} was imported before, as {id}; skipped (the same as its revision {revision})"
                ),
                Some((id, revision, _)) => format!(
                    "{at}: {name} was imported before, as {id}; skipped, though the file gives it otherwise than its revision {revision}: to change the stored case, revise it"
                ),
                None => format!("{at}: {name} was imported before; skipped"),
            }
        })
        .collect())
}

/// Stores one batch of assessments with their audit entries and moves the job's cursor, in
/// one transaction.
async fn write_assessments(
    registry: Registry,
    actor: Principal,
    job: String,
    batch: Vec<(String, i64, TimelineCase)>,
    results: Vec<Qualification>,
    last: String,
    done: u64,
) -> Result<()> {
    let mut tx = registry.pool.begin().await?;
    let assessed: Vec<(&str, i64, &Qualification)> = batch
        .iter()
        .zip(&results)
        .map(|((id, revision, _), q)| (id.as_str(), *revision, q))
        .collect();
    let stored = insert_assessments(&mut tx, &actor, &assessed).await?;
    let events: Vec<Event<'_>> = batch
        .iter()
        .zip(&stored)
        .map(|((id, _, _), a)| Event {
            action: "case.assess",
            target: id,
            outcome: "ok",
            detail: format!("{a} by requalification"),
        })
        .collect();
    registry.append(&mut tx, &actor, &events).await?;
    move_job(&mut tx, &job, &last, done, false).await?;
    tx.commit().await?;
    Ok(())
}

async fn finish<T>(task: tokio::task::JoinHandle<Result<T>>) -> Result<T> {
    task.await
        .map_err(|e| RegistryError::storage(format!("a batch could not be written: {e}")))?
}

/// Runs `work`, telling a multi-threaded runtime that this thread is busy for a while.
fn blocking<R>(work: impl FnOnce() -> R) -> R {
    use tokio::runtime::{Handle, RuntimeFlavor};
    match Handle::try_current().map(|h| h.runtime_flavor()) {
        Ok(RuntimeFlavor::MultiThread) => tokio::task::block_in_place(work),
        _ => work(),
    }
}

/// What differs between two short qualifications.
fn differences(
    before: &BTreeMap<String, String>,
    after: &BTreeMap<String, String>,
) -> Vec<(String, String, String)> {
    let absent = "absent".to_string();
    let mut keys: Vec<&String> = before.keys().chain(after.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter_map(|k| {
            let b = before.get(k).unwrap_or(&absent);
            let a = after.get(k).unwrap_or(&absent);
            (a != b).then(|| (k.clone(), b.clone(), a.clone()))
        })
        .collect()
}

/// Assesses a batch on every core.
fn assess_all(
    plans: &PlanCache<'_>,
    as_of: Option<jiff::civil::Date>,
    batch: &[(String, i64, TimelineCase)],
) -> Vec<Qualification> {
    on_every_core(batch, |(_, _, case)| assess_with(plans, case, as_of))
}

/// `work` over `items` on every core, the results in the items' order.
fn on_every_core<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(items.len().max(1));
    let chunk = items.len().div_ceil(threads).max(1);
    let work = &work;
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().map(work).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}
