//! Cases and their revisions, assessments, status decisions, consent and interviews.
//!
//! A case's body is stored without its free text; the free text and the identifying data
//! (names, contacts, document numbers, narrative) are sealed with the registry's key, bound to
//! the case and revision. Nothing is overwritten: a change makes a new revision.

use crate::audit::Event;
use crate::qualify::{Qualification, assess, case_persons};
use crate::{
    ErrorKind, Principal, Registry, RegistryError, Result, insert_values, new_id, now_us,
    rows_per_statement, timestamp,
};
use delimit_case::limits::MAX_CASE_BYTES;
use delimit_case::timeline::{CASE_SCHEMA, TimelineCase};
use delimit_law::{DoctrineId, KnowledgeBase, Sources};
use serde::{Deserialize, Serialize};
use sqlx::{Any, AssertSqlSafe, Row, Transaction};
use std::collections::BTreeMap;

/// Identifying data about the persons of a case, kept encrypted and read only by roles that
/// need it, each read recorded.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub narrative: Option<String>,
}

/// The free text of a case, taken out of the body before it is stored.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct FreeText {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    events: BTreeMap<String, String>,
}

/// What a revision keeps under the key: the case itself (without its free text), its free
/// text and the identity given beside it. A revision written before revisions were sealed
/// whole has the case in clear in `body` instead, until the registry is first opened by this
/// version ([`Registry::seal_earlier_revisions`]).
#[derive(Serialize, Deserialize)]
pub(crate) struct Sealed {
    pub identity: Identity,
    pub free_text: FreeText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<TimelineCase>,
}

fn split_free_text(case: &mut TimelineCase) -> FreeText {
    FreeText {
        title: case.title.take(),
        note: case.note.take(),
        events: case
            .events
            .iter_mut()
            .filter_map(|e| e.note.take().map(|n| (e.id.clone(), n)))
            .collect(),
    }
}

fn restore_free_text(case: &mut TimelineCase, text: FreeText) {
    case.title = text.title;
    case.note = text.note;
    for e in &mut case.events {
        if let Some(n) = text.events.get(&e.id) {
            e.note = Some(n.clone());
        }
    }
}

/// A stored case, one revision of it.
#[derive(Clone, Debug, Serialize)]
pub struct StoredCase {
    pub id: String,
    pub organisation: String,
    pub revision: i64,
    /// The latest revision.
    pub latest_revision: i64,
    pub created: String,
    pub created_by: String,
    /// With its free text only when the identity was asked for.
    pub case: TimelineCase,
    /// Present only when asked for, and the reading is in the audit log.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity: Option<Identity>,
}

/// A case in a list.
#[derive(Clone, Debug, Serialize)]
pub struct StoredCaseSummary {
    pub id: String,
    pub revision: i64,
    pub created: String,
    pub persons: usize,
    pub events: usize,
}

/// One revision in a case's history.
#[derive(Clone, Debug, Serialize)]
pub struct RevisionInfo {
    pub revision: i64,
    pub created: String,
    pub created_by: String,
}

/// A stored assessment.
#[derive(Clone, Debug, Serialize)]
pub struct StoredAssessment {
    pub id: String,
    pub case: String,
    pub revision: i64,
    pub created: String,
    pub created_by: String,
    pub knowledge_base: String,
    pub doctrines: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    pub summary: BTreeMap<String, String>,
    /// The full result, with its explanation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<serde_json::Value>,
}

/// A formal status decision, in the values of HTCDS `vic_TraffickingStatus`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StatusDecision {
    #[serde(default)]
    pub id: String,
    pub person: String,
    /// `PossibleVictimOfTrafficking`, `ActualVictimOfTrafficking` or
    /// `NotAVictimOfTrafficking`.
    pub status: String,
    /// HTCDS `vic_TraffickingStatusDecisionMakingOrg`: `Police`, `NGO`,
    /// `CourtOrProsecution`, `NonPoliceGovernmentalOrganization` or `Other`.
    pub decision_maker: String,
    /// The date of the decision (YYYY-MM-DD).
    pub decided_on: String,
    #[serde(default)]
    pub recorded: String,
    #[serde(default)]
    pub recorded_by: String,
}

const STATUSES: [&str; 3] = [
    "PossibleVictimOfTrafficking",
    "ActualVictimOfTrafficking",
    "NotAVictimOfTrafficking",
];
const DECISION_MAKERS: [&str; 5] = [
    "Police",
    "NGO",
    "CourtOrProsecution",
    "NonPoliceGovernmentalOrganization",
    "Other",
];

/// Consent to record.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewConsent {
    #[serde(default)]
    pub case: Option<String>,
    #[serde(default)]
    pub interview: Option<String>,
    #[serde(default)]
    pub person: Option<String>,
    /// What the person agreed to (or refused): screening, storage, referral, sharing…
    pub purpose: String,
    pub given: bool,
}

/// A consent record.
#[derive(Clone, Debug, Serialize)]
pub struct Consent {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interview: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    pub purpose: String,
    pub given: bool,
    pub recorded: String,
    pub recorded_by: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<String>,
}

/// A screening interview as stored: its answers, so that it can be taken up again.
#[derive(Clone, Debug, Serialize)]
pub struct InterviewRecord {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
    pub lang: String,
    pub created: String,
    pub updated: String,
    pub finished: bool,
    pub state: serde_json::Value,
}

/// Reads a case from JSON or YAML text, with every problem located (`case:line:column`).
/// A case beyond the limits of `delimit_case::limits` is refused as `case.too_large`.
pub fn parse_case(kb: &KnowledgeBase, text: &str) -> Result<TimelineCase> {
    within_case_size(text.len())?;
    // JSON that fits reads directly; anything else goes through the reader that locates
    // problems, which gives the same case for JSON and says where a bad one goes wrong.
    if let Ok(case) = serde_json::from_str::<TimelineCase>(text)
        && delimit_case::read_timeline::problems(&case).is_empty()
    {
        return known_reading(kb, case);
    }
    known_reading(kb, locate_problems(kb, text)?)
}

/// The case, if every doctrine it asks for is one the law has: a stored case always
/// classifies.
fn known_reading(kb: &KnowledgeBase, case: TimelineCase) -> Result<TimelineCase> {
    if let Some(unknown) = case.doctrines.iter().find(|d| kb.doctrine(d).is_none()) {
        let known: Vec<&str> = kb.doctrines.iter().map(|d| d.id.as_str()).collect();
        return Err(RegistryError::invalid(
            "case.doctrine",
            format!(
                "the case asks for the doctrine `{unknown}`, which the law does not have; known: {}",
                known.join(", ")
            ),
        ));
    }
    Ok(case)
}

/// Reads a case sent as JSON already parsed (a request's body), within the same limits as
/// its text. The limit applies to the case as sent, written compactly; a case that does not
/// read is written again indented, one value a line, so that its problems are located by
/// line as well as by path.
pub fn parse_case_value(kb: &KnowledgeBase, value: &serde_json::Value) -> Result<TimelineCase> {
    let compact = serde_json::to_string(value)
        .map_err(|e| RegistryError::invalid("case.invalid", e.to_string()))?;
    within_case_size(compact.len())?;
    if let Ok(case) = TimelineCase::deserialize(value)
        && delimit_case::read_timeline::problems(&case).is_empty()
    {
        return known_reading(kb, case);
    }
    let indented = serde_json::to_string_pretty(value)
        .map_err(|e| RegistryError::invalid("case.invalid", e.to_string()))?;
    known_reading(kb, locate_problems(kb, &indented)?)
}

fn within_case_size(bytes: usize) -> Result<()> {
    if bytes > MAX_CASE_BYTES {
        return Err(RegistryError::invalid(
            "case.too_large",
            format!(
                "the case has {bytes} bytes; a case has at most {} ({}): tell a larger journey as several cases",
                MAX_CASE_BYTES,
                delimit_law::limits::size(MAX_CASE_BYTES)
            ),
        ));
    }
    Ok(())
}

/// A case through the reader that locates every problem, as the error it gives, or the case.
fn locate_problems(kb: &KnowledgeBase, text: &str) -> Result<TimelineCase> {
    let mut sources = Sources::new();
    match delimit_case::read_any(&mut sources, "case", text, kb) {
        Ok(delimit_case::AnyCase::Timeline(case, _warnings)) => Ok(case),
        Ok(delimit_case::AnyCase::Flat(_)) => Err(RegistryError::invalid(
            "case.not_timeline",
            format!(
                "the registry keeps cases told as timelines (`schema: {CASE_SCHEMA}` with persons, actors and events)"
            ),
        )),
        Err(diagnostics) => {
            let details: Vec<String> = diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| format!("{}: {} ({})", d.location(&sources), d.message, d.code))
                .collect();
            let too_large = diagnostics
                .iter()
                .any(|d| d.is_error() && delimit_case::limits::CODES.contains(&d.code));
            let mut e = RegistryError::invalid(
                if too_large {
                    "case.too_large"
                } else {
                    "case.invalid"
                },
                format!(
                    "the case has {} error{}: {}",
                    details.len(),
                    if details.len() == 1 { "" } else { "s" },
                    details.first().cloned().unwrap_or_default()
                ),
            );
            e.details = details;
            Err(e)
        }
    }
}

/// A row of `cases` as the access checks need it.
struct CaseHead {
    organisation: String,
    revision: i64,
}

/// A case prepared for storage: the body without free text (compared, never stored in
/// clear), what is sealed (the body, the free text, the identity), facets.
pub(crate) struct Prepared {
    pub body: String,
    pub sealed: PlainProtected,
    /// Each person in the CTDC columns.
    pub persons: Vec<(String, Vec<String>)>,
}

/// The plain text to seal, until the case id and revision are known.
pub(crate) struct PlainProtected(Vec<u8>);

pub(crate) fn prepare(case: &TimelineCase, identity: &Identity) -> Result<Prepared> {
    if case.schema != CASE_SCHEMA {
        return Err(RegistryError::invalid(
            "case.schema",
            format!("`schema` must be `{CASE_SCHEMA}`"),
        ));
    }
    // Whatever path a case takes to be stored (a file, a request, an interview saved as a
    // case), it is held to what a case file may say: a date in year 1, say, is refused.
    let found = delimit_case::read_timeline::problems(case);
    if let Some(first) = found.first() {
        let mut e = RegistryError::invalid("case.invalid", first.clone());
        e.details = found;
        return Err(e);
    }
    let mut body = case.clone();
    let free_text = split_free_text(&mut body);
    let plain = serde_json::to_vec(&Sealed {
        identity: identity.clone(),
        free_text,
        case: Some(body.clone()),
    })
    .map_err(|e| RegistryError::storage(format!("cannot write the protected data: {e}")))?;
    let year = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .year();
    Ok(Prepared {
        persons: case_persons(&body, year),
        body: serde_json::to_string(&body)
            .map_err(|e| RegistryError::storage(format!("cannot write the case: {e}")))?,
        sealed: PlainProtected(plain),
    })
}

pub(crate) fn seal_context(id: &str, revision: i64) -> String {
    format!("case {id} revision {revision}")
}

/// One revision to store: the case's id, the revision number, the case prepared.
pub(crate) struct NewRevision<'p> {
    pub id: &'p str,
    pub revision: i64,
    pub prepared: &'p Prepared,
}

/// Inserts revisions (their `cases` rows exist) and replaces the facets their cases take from
/// the case body, in as few statements as the back ends allow.
pub(crate) async fn insert_revisions(
    registry: &Registry,
    tx: &mut Transaction<'_, Any>,
    actor: &Principal,
    revisions: &[NewRevision<'_>],
) -> Result<()> {
    let now = now_us();
    for chunk in revisions.chunks(rows_per_statement(7)) {
        let sql = insert_values(
            tx,
            "INSERT INTO case_revisions (case_id, revision, created_us, created_by, body, protected, seal)",
            7,
            chunk.len(),
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for r in chunk {
            let sealed = registry
                .key
                .seal(&seal_context(r.id, r.revision), &r.prepared.sealed.0)?;
            // The case is in `protected`, sealed: `body` stays empty.
            let seal = crate::seals::seal(&registry.seal_key, r.id, r.revision, "", &sealed);
            q = q
                .bind(r.id.to_string())
                .bind(r.revision)
                .bind(now)
                .bind(actor.id.clone())
                .bind(String::new())
                .bind(sealed)
                .bind(seal);
        }
        q.execute(&mut **tx).await?;
    }
    let revised: Vec<&str> = revisions
        .iter()
        .filter(|r| r.revision > 1)
        .map(|r| r.id)
        .collect();
    for chunk in revised.chunks(rows_per_statement(1)) {
        let ids: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!("DELETE FROM persons WHERE case_id IN ({})", ids.join(", "));
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for id in chunk {
            q = q.bind(id.to_string());
        }
        q.execute(&mut **tx).await?;
    }
    let persons: Vec<(&str, &(String, Vec<String>))> = revisions
        .iter()
        .flat_map(|r| r.prepared.persons.iter().map(move |p| (r.id, p)))
        .collect();
    let columns = delimit_case::htcds::ctdc_columns();
    let head = format!(
        "INSERT INTO persons (case_id, person, {})",
        columns
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ")
    );
    for chunk in persons.chunks(rows_per_statement(columns.len() + 2)) {
        let sql = insert_values(tx, &head, columns.len() + 2, chunk.len());
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for (id, (person, row)) in chunk {
            q = q.bind(id.to_string()).bind(person.clone());
            for value in row {
                q = q.bind(value.clone());
            }
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Deletes what earlier assessments of `cases` gave statistics.
async fn delete_facets(tx: &mut Transaction<'_, Any>, cases: &[&str]) -> Result<()> {
    for chunk in cases.chunks(rows_per_statement(1)) {
        let ids: Vec<String> = (1..=chunk.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "DELETE FROM facets WHERE dimension IN ($1, $2) AND case_id IN ({})",
            ids.join(", ")
        );
        let mut q = sqlx::query(AssertSqlSafe(sql))
            .bind("qualification")
            .bind("stage");
        for id in chunk {
            q = q.bind(id.to_string());
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

async fn insert_facets(
    tx: &mut Transaction<'_, Any>,
    facets: &[(&str, &(String, String, String))],
) -> Result<()> {
    for chunk in facets.chunks(rows_per_statement(4)) {
        let sql = insert_values(
            tx,
            "INSERT INTO facets (case_id, person, dimension, value)",
            4,
            chunk.len(),
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for (id, (person, dimension, value)) in chunk {
            q = q
                .bind(id.to_string())
                .bind(person.clone())
                .bind(dimension.clone())
                .bind(value.clone());
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Stores assessments of `(case, revision, qualification)` and makes their qualifications the
/// ones statistics count. Returns the new assessments' ids, in order.
pub(crate) async fn insert_assessments(
    tx: &mut Transaction<'_, Any>,
    actor: &Principal,
    assessed: &[(&str, i64, &Qualification)],
) -> Result<Vec<String>> {
    let now = now_us();
    let mut ids = Vec::with_capacity(assessed.len());
    for chunk in assessed.chunks(rows_per_statement(10)) {
        let sql = insert_values(
            tx,
            "INSERT INTO assessments (id, case_id, revision, created_us, created_by, knowledge_base, doctrines, as_of, summary, result)",
            10,
            chunk.len(),
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for (case, revision, qualification) in chunk {
            let id = new_id("a-")?;
            q = q
                .bind(id.clone())
                .bind(case.to_string())
                .bind(*revision)
                .bind(now)
                .bind(actor.id.clone())
                .bind(qualification.knowledge_base.clone())
                .bind(qualification.doctrines.join(","))
                .bind(qualification.as_of.clone())
                .bind(qualification.summary_json.clone())
                .bind(qualification.result.clone());
            ids.push(id);
        }
        q.execute(&mut **tx).await?;
    }
    let cases: Vec<&str> = assessed.iter().map(|(c, _, _)| *c).collect();
    delete_facets(tx, &cases).await?;
    let facets: Vec<(&str, &(String, String, String))> = assessed
        .iter()
        .flat_map(|(c, _, q)| q.facets.iter().map(move |f| (*c, f)))
        .collect();
    insert_facets(tx, &facets).await?;
    Ok(ids)
}

fn assessment_from_row(r: &sqlx::any::AnyRow, with_result: bool) -> Result<StoredAssessment> {
    let doctrines: String = r.try_get("doctrines")?;
    let summary: String = r.try_get("summary")?;
    Ok(StoredAssessment {
        id: r.try_get("id")?,
        case: r.try_get("case_id")?,
        revision: r.try_get("revision")?,
        created: timestamp(r.try_get("created_us")?),
        created_by: r.try_get("created_by")?,
        knowledge_base: r.try_get("knowledge_base")?,
        doctrines: doctrines
            .split(',')
            .filter(|d| !d.is_empty())
            .map(String::from)
            .collect(),
        as_of: r.try_get("as_of")?,
        summary: serde_json::from_str(&summary).unwrap_or_default(),
        result: if with_result {
            let packed: Vec<u8> = r.try_get("result")?;
            let text = lz4_flex::decompress_size_prepended(&packed).map_err(|e| {
                RegistryError::storage(format!("a stored assessment cannot be read: {e}"))
            })?;
            Some(serde_json::from_slice(&text).map_err(|e| {
                RegistryError::storage(format!("a stored assessment cannot be read: {e}"))
            })?)
        } else {
            None
        },
    })
}

impl Registry {
    /// The case's organisation and latest revision, after checking the principal may see it.
    async fn head(&self, actor: &Principal, id: &str, action: &str) -> Result<CaseHead> {
        let row = sqlx::query("SELECT organisation, revision FROM cases WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else {
            return Err(RegistryError::not_found(
                "case.not_found",
                format!("no case {id}"),
            ));
        };
        let head = CaseHead {
            organisation: row.try_get("organisation")?,
            revision: row.try_get("revision")?,
        };
        if head.organisation != actor.organisation {
            return Err(self
                .deny(
                    actor,
                    action,
                    id,
                    RegistryError::elsewhere("case.not_found", "case", id),
                )
                .await);
        }
        Ok(head)
    }

    /// The case's head, after checking the principal may read the organisation's cases.
    async fn readable(&self, actor: &Principal, id: &str) -> Result<CaseHead> {
        let head = self.head(actor, id, "case.read").await?;
        self.allow(
            actor,
            actor.role.reads_cases(),
            "case.read",
            id,
            "read cases",
        )
        .await?;
        Ok(head)
    }

    /// Stores a new case; its first revision is 1.
    pub async fn create_case(
        &self,
        actor: &Principal,
        case: &TimelineCase,
        identity: &Identity,
    ) -> Result<StoredCaseSummary> {
        self.allow(
            actor,
            actor.role.writes_cases(),
            "case.create",
            "new case",
            "create cases",
        )
        .await?;
        let prepared = prepare(case, identity)?;
        let id = new_id("c-")?;
        let mut tx = self.pool.begin().await?;
        let now = now_us();
        sqlx::query(
            "INSERT INTO cases (id, organisation, created_us, created_by, revision) VALUES ($1, $2, $3, $4, 1)",
        )
        .bind(&id)
        .bind(&actor.organisation)
        .bind(now)
        .bind(&actor.id)
        .execute(&mut *tx)
        .await?;
        insert_revisions(
            self,
            &mut tx,
            actor,
            &[NewRevision {
                id: &id,
                revision: 1,
                prepared: &prepared,
            }],
        )
        .await?;
        self.append(
            &mut tx,
            actor,
            &[Event {
                action: "case.create",
                target: &id,
                outcome: "ok",
                detail: "revision 1".into(),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(StoredCaseSummary {
            id,
            revision: 1,
            created: timestamp(now),
            persons: case.persons.len(),
            events: case.events.len(),
        })
    }

    /// Stores a new revision. `base` is the revision the change was made from: when another
    /// change came first, nothing is stored and the caller is told. Without `identity`, the
    /// identifying data of the base revision is kept: a change to the journey never loses it.
    pub async fn revise_case(
        &self,
        actor: &Principal,
        id: &str,
        base: i64,
        case: &TimelineCase,
        identity: Option<&Identity>,
    ) -> Result<StoredCaseSummary> {
        self.head(actor, id, "case.revise").await?;
        self.allow(
            actor,
            actor.role.writes_cases(),
            "case.revise",
            id,
            "change cases",
        )
        .await?;
        let kept;
        let identity = match identity {
            Some(i) => i,
            None => {
                kept = self.stored_identity(id, base).await?;
                &kept
            }
        };
        let prepared = prepare(case, identity)?;
        let mut tx = self.pool.begin().await?;
        let moved =
            sqlx::query("UPDATE cases SET revision = revision + 1 WHERE id = $1 AND revision = $2")
                .bind(id)
                .bind(base)
                .execute(&mut *tx)
                .await?;
        if moved.rows_affected() == 0 {
            return Err(RegistryError::new(
                ErrorKind::Conflict,
                "case.revision_conflict",
                format!(
                    "case {id} has changed since revision {base}; reload it and apply the change again"
                ),
            ));
        }
        let revision = base + 1;
        insert_revisions(
            self,
            &mut tx,
            actor,
            &[NewRevision {
                id,
                revision,
                prepared: &prepared,
            }],
        )
        .await?;
        self.append(
            &mut tx,
            actor,
            &[Event {
                action: "case.revise",
                target: id,
                outcome: "ok",
                detail: format!("revision {revision}"),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(StoredCaseSummary {
            id: id.into(),
            revision,
            created: timestamp(now_us()),
            persons: case.persons.len(),
            events: case.events.len(),
        })
    }

    /// A revision as stored in `row` (its `body`, `protected` and `seal` columns), checked
    /// against its seal and opened: the case (without its free text) and what was sealed with
    /// it.
    pub(crate) fn open_row(
        &self,
        id: &str,
        revision: i64,
        row: &sqlx::any::AnyRow,
    ) -> Result<(TimelineCase, Sealed)> {
        let body: String = row.try_get("body")?;
        let protected: Vec<u8> = row.try_get("protected")?;
        let seal: Option<String> = row.try_get("seal")?;
        self.check_seal(id, revision, &body, &protected, seal.as_deref())?;
        let plain = self.key.open(&seal_context(id, revision), &protected)?;
        let mut sealed: Sealed = serde_json::from_slice(&plain).map_err(|e| {
            RegistryError::storage(format!("case {id}: protected data unreadable: {e}"))
        })?;
        let case = match sealed.case.take() {
            Some(case) => case,
            None => serde_json::from_str(&body)
                .map_err(|e| RegistryError::storage(format!("case {id} cannot be read: {e}")))?,
        };
        Ok((case, sealed))
    }

    /// The row of one revision.
    async fn revision_row(&self, id: &str, revision: i64) -> Result<sqlx::any::AnyRow> {
        sqlx::query(
            "SELECT created_us, created_by, body, protected, seal FROM case_revisions WHERE case_id = $1 AND revision = $2",
        )
        .bind(id)
        .bind(revision)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| {
            RegistryError::not_found(
                "case.revision_not_found",
                format!("case {id} has no revision {revision}"),
            )
        })
    }

    /// The identifying data of one revision, for keeping it in the next one (not shown to
    /// anyone, so not a reading).
    async fn stored_identity(&self, id: &str, revision: i64) -> Result<Identity> {
        let row = self.revision_row(id, revision).await?;
        let (_, sealed) = self.open_row(id, revision, &row)?;
        Ok(sealed.identity)
    }

    /// A revision of a case (the latest when `revision` is `None`). With `identity`, the
    /// identifying data and free text are decrypted and the reading is recorded.
    pub async fn case(
        &self,
        actor: &Principal,
        id: &str,
        revision: Option<i64>,
        identity: bool,
    ) -> Result<StoredCase> {
        let head = self.readable(actor, id).await?;
        let revision = revision.unwrap_or(head.revision);
        let row = self.revision_row(id, revision).await?;
        let (mut case, sealed) = match self.open_row(id, revision, &row) {
            Ok(opened) => opened,
            Err(e) if e.code == "case.tampered" => {
                return Err(self.deny(actor, "case.read", id, e).await);
            }
            Err(e) => return Err(e),
        };
        let mut protected = None;
        if identity {
            self.audit(
                actor,
                "case.read_identity",
                id,
                "ok",
                format!("revision {revision}"),
            )
            .await?;
            restore_free_text(&mut case, sealed.free_text);
            protected = Some(sealed.identity);
        }
        Ok(StoredCase {
            id: id.into(),
            organisation: head.organisation,
            revision,
            latest_revision: head.revision,
            created: timestamp(row.try_get("created_us")?),
            created_by: row.try_get("created_by")?,
            case,
            identity: protected,
        })
    }

    /// The organisation's cases, by id, after `after`, at most `limit`.
    pub async fn cases(
        &self,
        actor: &Principal,
        after: &str,
        limit: i64,
    ) -> Result<Vec<StoredCaseSummary>> {
        self.allow(
            actor,
            actor.role.reads_cases(),
            "case.list",
            "cases",
            "list cases",
        )
        .await?;
        let rows = sqlx::query(
            "SELECT c.id, c.revision, c.created_us, r.body, r.protected, r.seal FROM cases c JOIN case_revisions r ON r.case_id = c.id AND r.revision = c.revision WHERE c.organisation = $1 AND c.id > $2 ORDER BY c.id LIMIT $3",
        )
        .bind(&actor.organisation)
        .bind(after)
        .bind(limit.clamp(1, 1000))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let id: String = r.try_get("id")?;
                let revision: i64 = r.try_get("revision")?;
                let (case, _) = self.open_row(&id, revision, r)?;
                Ok(StoredCaseSummary {
                    id,
                    revision,
                    created: timestamp(r.try_get("created_us")?),
                    persons: case.persons.len(),
                    events: case.events.len(),
                })
            })
            .collect()
    }

    /// The history of a case's revisions.
    pub async fn revisions(&self, actor: &Principal, id: &str) -> Result<Vec<RevisionInfo>> {
        self.readable(actor, id).await?;
        let rows = sqlx::query(
            "SELECT revision, created_us, created_by FROM case_revisions WHERE case_id = $1 ORDER BY revision",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(RevisionInfo {
                    revision: r.try_get("revision")?,
                    created: timestamp(r.try_get("created_us")?),
                    created_by: r.try_get("created_by")?,
                })
            })
            .collect()
    }

    /// Assesses the latest revision of a case under the given readings and date, and
    /// stores the assessment.
    pub async fn assess_case(
        &self,
        actor: &Principal,
        kb: &KnowledgeBase,
        id: &str,
        doctrines: &[DoctrineId],
        as_of: Option<jiff::civil::Date>,
    ) -> Result<StoredAssessment> {
        self.allow(
            actor,
            actor.role.reads_cases(),
            "case.assess",
            id,
            "assess cases",
        )
        .await?;
        let stored = self.case(actor, id, None, false).await?;
        let q = assess(kb, &stored.case, doctrines, as_of);
        let mut tx = self.pool.begin().await?;
        let assessment = insert_assessments(&mut tx, actor, &[(id, stored.revision, &q)])
            .await?
            .remove(0);
        self.append(
            &mut tx,
            actor,
            &[Event {
                action: "case.assess",
                target: id,
                outcome: "ok",
                detail: format!("{assessment} of revision {}", stored.revision),
            }],
        )
        .await?;
        tx.commit().await?;
        let row = sqlx::query("SELECT * FROM assessments WHERE id = $1")
            .bind(&assessment)
            .fetch_one(&self.pool)
            .await?;
        assessment_from_row(&row, true)
    }

    /// A case's assessments, oldest first; the full results only when asked for.
    pub async fn assessments(
        &self,
        actor: &Principal,
        id: &str,
        with_results: bool,
    ) -> Result<Vec<StoredAssessment>> {
        self.readable(actor, id).await?;
        let rows =
            sqlx::query("SELECT * FROM assessments WHERE case_id = $1 ORDER BY created_us, id")
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| assessment_from_row(r, with_results))
            .collect()
    }

    /// Records a formal status decision about a person of a case.
    pub async fn decide_status(
        &self,
        actor: &Principal,
        id: &str,
        decision: &StatusDecision,
    ) -> Result<StatusDecision> {
        self.head(actor, id, "case.decide_status").await?;
        self.allow(
            actor,
            actor.role.decides_status(),
            "case.decide_status",
            id,
            "record status decisions",
        )
        .await?;
        if !STATUSES.contains(&decision.status.as_str()) {
            return Err(RegistryError::invalid(
                "decision.status",
                format!("the status is one of {}", STATUSES.join(", ")),
            ));
        }
        if !DECISION_MAKERS.contains(&decision.decision_maker.as_str()) {
            return Err(RegistryError::invalid(
                "decision.decision_maker",
                format!(
                    "the decision maker is one of {}",
                    DECISION_MAKERS.join(", ")
                ),
            ));
        }
        let date: jiff::civil::Date = decision.decided_on.parse().map_err(|_| {
            RegistryError::invalid("decision.date", "the decision date is YYYY-MM-DD")
        })?;
        let today = jiff::Timestamp::now()
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .date();
        if date > today {
            return Err(RegistryError::invalid(
                "decision.date",
                "the decision date is in the future",
            ));
        }
        let stored = self.case(actor, id, None, false).await?;
        if !stored.case.persons.iter().any(|p| p.id == decision.person) {
            return Err(RegistryError::invalid(
                "decision.person",
                format!("case {id} has no person `{}`", decision.person),
            ));
        }
        let decision_id = new_id("d-")?;
        let now = now_us();
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO status_decisions (id, case_id, person, status, decision_maker, decided_on, recorded_us, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&decision_id)
        .bind(id)
        .bind(&decision.person)
        .bind(&decision.status)
        .bind(&decision.decision_maker)
        .bind(date.to_string())
        .bind(now)
        .bind(&actor.id)
        .execute(&mut *tx)
        .await?;
        self.append(
            &mut tx,
            actor,
            &[Event {
                action: "case.decide_status",
                target: id,
                outcome: "ok",
                detail: format!("{}: {}", decision.person, decision.status),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(StatusDecision {
            id: decision_id,
            decided_on: date.to_string(),
            recorded: timestamp(now),
            recorded_by: actor.id.clone(),
            ..decision.clone()
        })
    }

    /// The status decisions about a case's persons, oldest first.
    pub async fn status_decisions(
        &self,
        actor: &Principal,
        id: &str,
    ) -> Result<Vec<StatusDecision>> {
        self.readable(actor, id).await?;
        let rows = sqlx::query(
            "SELECT * FROM status_decisions WHERE case_id = $1 ORDER BY recorded_us, id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(StatusDecision {
                    id: r.try_get("id")?,
                    person: r.try_get("person")?,
                    status: r.try_get("status")?,
                    decision_maker: r.try_get("decision_maker")?,
                    decided_on: r.try_get("decided_on")?,
                    recorded: timestamp(r.try_get("recorded_us")?),
                    recorded_by: r.try_get("recorded_by")?,
                })
            })
            .collect()
    }

    /// Records consent given or refused.
    pub async fn record_consent(&self, actor: &Principal, c: &NewConsent) -> Result<Consent> {
        self.allow(
            actor,
            actor.role.writes_cases(),
            "consent.record",
            c.case.as_deref().unwrap_or("interview"),
            "record consent",
        )
        .await?;
        if let Some(case) = &c.case {
            self.head(actor, case, "consent.record").await?;
            if let Some(person) = &c.person {
                let stored = self.case(actor, case, None, false).await?;
                if !stored.case.persons.iter().any(|p| p.id == *person) {
                    let known: Vec<&str> =
                        stored.case.persons.iter().map(|p| p.id.as_str()).collect();
                    return Err(RegistryError::invalid(
                        "consent.person",
                        format!(
                            "case {case} has no person `{person}`; its persons are {}",
                            if known.is_empty() {
                                "none".to_string()
                            } else {
                                known.join(", ")
                            }
                        ),
                    ));
                }
            }
        }
        if let Some(interview) = &c.interview {
            self.interview(actor, interview).await?;
        }
        let purpose = c.purpose.trim();
        if purpose.is_empty() || purpose.len() > 200 {
            return Err(RegistryError::invalid(
                "consent.purpose",
                "say in 1 to 200 characters what the consent is for",
            ));
        }
        let id = new_id("k-")?;
        let now = now_us();
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO consents (id, organisation, case_id, interview_id, person, purpose, given, recorded_us, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&id)
        .bind(&actor.organisation)
        .bind(c.case.clone())
        .bind(c.interview.clone())
        .bind(c.person.clone())
        .bind(purpose)
        .bind(i64::from(c.given))
        .bind(now)
        .bind(&actor.id)
        .execute(&mut *tx)
        .await?;
        self.append(
            &mut tx,
            actor,
            &[Event {
                action: "consent.record",
                target: &id,
                outcome: "ok",
                detail: format!("{purpose}: {}", if c.given { "given" } else { "refused" }),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(Consent {
            id,
            case: c.case.clone(),
            interview: c.interview.clone(),
            person: c.person.clone(),
            purpose: purpose.into(),
            given: c.given,
            recorded: timestamp(now),
            recorded_by: actor.id.clone(),
            withdrawn: None,
        })
    }

    /// Records that consent was withdrawn, now. The record itself stays.
    pub async fn withdraw_consent(&self, actor: &Principal, id: &str) -> Result<()> {
        self.allow(
            actor,
            actor.role.writes_cases(),
            "consent.withdraw",
            id,
            "record consent",
        )
        .await?;
        let owner: Option<String> = sqlx::query("SELECT organisation FROM consents WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| r.try_get("organisation"))
            .transpose()?;
        match owner {
            None => {
                return Err(RegistryError::not_found(
                    "consent.not_found",
                    format!("no consent {id}"),
                ));
            }
            Some(o) if o != actor.organisation => {
                return Err(self
                    .deny(
                        actor,
                        "consent.withdraw",
                        id,
                        RegistryError::elsewhere("consent.not_found", "consent", id),
                    )
                    .await);
            }
            Some(_) => {}
        }
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE consents SET withdrawn_us = $1 WHERE id = $2 AND organisation = $3 AND withdrawn_us IS NULL",
        )
        .bind(now_us())
        .bind(id)
        .bind(&actor.organisation)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(RegistryError::new(
                ErrorKind::Conflict,
                "consent.withdrawn",
                format!("consent {id} was withdrawn already"),
            ));
        }
        self.append(
            &mut tx,
            actor,
            &[Event {
                action: "consent.withdraw",
                target: id,
                outcome: "ok",
                detail: String::new(),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The consent records of a case.
    pub async fn consents(&self, actor: &Principal, case: &str) -> Result<Vec<Consent>> {
        self.readable(actor, case).await?;
        let rows =
            sqlx::query("SELECT * FROM consents WHERE case_id = $1 ORDER BY recorded_us, id")
                .bind(case)
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| {
                Ok(Consent {
                    id: r.try_get("id")?,
                    case: r.try_get("case_id")?,
                    interview: r.try_get("interview_id")?,
                    person: r.try_get("person")?,
                    purpose: r.try_get("purpose")?,
                    given: r.try_get::<i64, _>("given")? != 0,
                    recorded: timestamp(r.try_get("recorded_us")?),
                    recorded_by: r.try_get("recorded_by")?,
                    withdrawn: r.try_get::<Option<i64>, _>("withdrawn_us")?.map(timestamp),
                })
            })
            .collect()
    }

    /// Stores an interview's answers (a new interview when `id` is `None`).
    pub async fn save_interview(
        &self,
        actor: &Principal,
        id: Option<&str>,
        lang: &str,
        state: &serde_json::Value,
        finished: bool,
    ) -> Result<String> {
        self.allow(
            actor,
            actor.role.writes_cases(),
            "interview.save",
            id.unwrap_or("new interview"),
            "run interviews",
        )
        .await?;
        let existing = id;
        let now = now_us();
        let id = match id {
            Some(id) => id.to_string(),
            None => new_id("i-")?,
        };
        // The answers say who the person is, where they come from and what happened to
        // them: they are sealed like the identity of a case.
        let state = self.seal_interview_state(&id, &state.to_string())?;
        let mut tx = self.pool.begin().await?;
        let id = match existing {
            Some(_) => {
                let done = sqlx::query(
                    "UPDATE interviews SET state = $1, finished = $2, updated_us = $3, lang = $4 WHERE id = $5 AND organisation = $6 AND finished = 0",
                )
                .bind(&state)
                .bind(i64::from(finished))
                .bind(now)
                .bind(lang)
                .bind(&id)
                .bind(&actor.organisation)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Err(RegistryError::new(
                        ErrorKind::Conflict,
                        "interview.closed",
                        format!("no interview {id} open in this organisation"),
                    ));
                }
                id
            }
            None => {
                sqlx::query(
                    "INSERT INTO interviews (id, organisation, created_us, created_by, updated_us, lang, state, finished) VALUES ($1, $2, $3, $4, $3, $5, $6, $7)",
                )
                .bind(&id)
                .bind(&actor.organisation)
                .bind(now)
                .bind(&actor.id)
                .bind(lang)
                .bind(&state)
                .bind(i64::from(finished))
                .execute(&mut *tx)
                .await?;
                id
            }
        };
        self.append(
            &mut tx,
            actor,
            &[Event {
                action: "interview.save",
                target: &id,
                outcome: "ok",
                detail: if finished {
                    "finished".into()
                } else {
                    String::new()
                },
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Links a finished interview to the case made from it.
    pub async fn link_interview(&self, actor: &Principal, id: &str, case: &str) -> Result<()> {
        self.head(actor, case, "interview.link").await?;
        sqlx::query("UPDATE interviews SET case_id = $1 WHERE id = $2 AND organisation = $3")
            .bind(case)
            .bind(id)
            .bind(&actor.organisation)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// A stored interview of the principal's organisation.
    pub async fn interview(&self, actor: &Principal, id: &str) -> Result<InterviewRecord> {
        self.allow(
            actor,
            actor.role.reads_cases(),
            "interview.read",
            id,
            "read interviews",
        )
        .await?;
        let row = sqlx::query("SELECT * FROM interviews WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| {
                RegistryError::not_found("interview.not_found", format!("no interview {id}"))
            })?;
        let organisation: String = row.try_get("organisation")?;
        if organisation != actor.organisation {
            return Err(self
                .deny(
                    actor,
                    "interview.read",
                    id,
                    RegistryError::elsewhere("interview.not_found", "interview", id),
                )
                .await);
        }
        let state: String = row.try_get("state")?;
        let state = self.open_interview_state(id, &state)?;
        Ok(InterviewRecord {
            id: id.into(),
            case: row.try_get("case_id")?,
            lang: row.try_get("lang")?,
            created: timestamp(row.try_get("created_us")?),
            updated: timestamp(row.try_get("updated_us")?),
            finished: row.try_get::<i64, _>("finished")? != 0,
            state,
        })
    }
}
