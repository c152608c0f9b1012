//! Tamper evidence for what the database holds: the seal of every case revision (an HMAC,
//! under a key derived from the registry's key, of the case, revision, body and protected
//! data as stored), checked whenever a revision is read and by `verify_audit`; the point from
//! which the audit chain is keyed; and files only their owner can read.

use crate::cases::{Sealed, seal_context};
use crate::{Backend, ErrorKind, Registry, RegistryError, Result};
use sqlx::Row;
use std::path::{Path, PathBuf};

/// The statements that lift, inside a transaction, the refusal of case revisions to change,
/// and put it back: for re-sealing alone.
pub(crate) fn lift_revision_guard(backend: Backend) -> (&'static str, &'static str) {
    match backend {
        Backend::Sqlite => (
            "DROP TRIGGER case_revisions_no_update",
            "CREATE TRIGGER case_revisions_no_update BEFORE UPDATE ON case_revisions BEGIN SELECT RAISE(ABORT, 'case revisions are never changed'); END",
        ),
        Backend::Postgres => (
            "ALTER TABLE case_revisions DISABLE TRIGGER case_revisions_append_only",
            "ALTER TABLE case_revisions ENABLE TRIGGER case_revisions_append_only",
        ),
    }
}

/// The seal of one revision as stored.
pub(crate) fn seal(
    key: &[u8; 32],
    case_id: &str,
    revision: i64,
    body: &str,
    protected: &[u8],
) -> String {
    crate::crypto::mac_of(
        key,
        &[
            case_id.as_bytes(),
            revision.to_string().as_bytes(),
            body.as_bytes(),
            protected,
        ],
    )
}

/// A revision as a report names it: `CASE revision N`.
pub(crate) fn revision_name((case_id, revision): &(String, i64)) -> String {
    format!("{case_id} revision {revision}")
}

/// The error for a revision whose seal does not match.
pub(crate) fn tampered(case_id: &str, revision: i64) -> RegistryError {
    RegistryError::new(
        ErrorKind::Storage,
        "case.tampered",
        format!(
            "revision {revision} of case {case_id} was changed in the database outside delimit (its seal does not match); it is not shown or assessed: restore it from a backup"
        ),
    )
}

impl Registry {
    /// Whether a revision read back is the one delimit wrote.
    pub(crate) fn check_seal(
        &self,
        case_id: &str,
        revision: i64,
        body: &str,
        protected: &[u8],
        stored: Option<&str>,
    ) -> Result<()> {
        let expected = seal(&self.seal_key, case_id, revision, body, protected);
        match stored {
            Some(s) if constant_time_eq(s.as_bytes(), expected.as_bytes()) => Ok(()),
            _ => Err(tampered(case_id, revision)),
        }
    }

    /// The audit entry after which entries are keyed: recorded once, when a registry of an
    /// earlier version is first opened by this one (its entries so far keep their plain
    /// chain), or 0 for a new registry.
    pub(crate) async fn key_the_audit_chain(&self) -> Result<i64> {
        let stored: Option<String> =
            sqlx::query("SELECT value FROM settings WHERE name = 'audit_keyed_after'")
                .fetch_optional(&self.pool)
                .await?
                .map(|r| r.try_get("value"))
                .transpose()?;
        if let Some(v) = stored {
            return v.parse().map_err(|_| {
                RegistryError::storage(format!("the setting audit_keyed_after is `{v}`"))
            });
        }
        let mut tx = self.pool.begin().await?;
        let seq: i64 = sqlx::query("SELECT seq FROM audit_head WHERE id = 1")
            .fetch_one(&mut *tx)
            .await?
            .try_get("seq")?;
        sqlx::query(
            "INSERT INTO settings (name, value) VALUES ('audit_keyed_after', $1) ON CONFLICT (name) DO NOTHING",
        )
        .bind(seq.to_string())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        // Another process may have recorded it first.
        let v: String = sqlx::query("SELECT value FROM settings WHERE name = 'audit_keyed_after'")
            .fetch_one(&self.pool)
            .await?
            .try_get("value")?;
        v.parse()
            .map_err(|_| RegistryError::storage(format!("the setting audit_keyed_after is `{v}`")))
    }

    /// Seals the revisions written before revisions were sealed, once, as they are then: the
    /// case kept in clear in `body` goes under the key with the identity and free text, and
    /// the revision gets its seal. Revisions refuse change, so the refusal is lifted for this
    /// alone, inside the transaction.
    pub(crate) async fn seal_earlier_revisions(&self) -> Result<()> {
        let done = sqlx::query("SELECT value FROM settings WHERE name = 'revisions_sealed'")
            .fetch_optional(&self.pool)
            .await?
            .is_some();
        if done {
            return Ok(());
        }
        let mut tx = self.pool.begin().await?;
        let rows = sqlx::query(
            "SELECT case_id, revision, body, protected FROM case_revisions WHERE seal IS NULL",
        )
        .fetch_all(&mut *tx)
        .await?;
        if !rows.is_empty() {
            let (lift, restore) = lift_revision_guard(self.backend);
            sqlx::query(lift).execute(&mut *tx).await?;
            for r in &rows {
                let case_id: String = r.try_get("case_id")?;
                let revision: i64 = r.try_get("revision")?;
                let body: String = r.try_get("body")?;
                let protected: Vec<u8> = r.try_get("protected")?;
                let context = seal_context(&case_id, revision);
                let opened = self.key.open(&context, &protected)?;
                let mut sealed: Sealed = serde_json::from_slice(&opened).map_err(|e| {
                    RegistryError::storage(format!(
                        "case {case_id}: protected data unreadable: {e}"
                    ))
                })?;
                if sealed.case.is_none() {
                    sealed.case = Some(serde_json::from_str(&body).map_err(|e| {
                        RegistryError::storage(format!("case {case_id} cannot be read: {e}"))
                    })?);
                }
                let plain = serde_json::to_vec(&sealed).map_err(|e| {
                    RegistryError::storage(format!("cannot write the protected data: {e}"))
                })?;
                let protected = self.key.seal(&context, &plain)?;
                sqlx::query(
                    "UPDATE case_revisions SET body = '', protected = $1, seal = $2 WHERE case_id = $3 AND revision = $4",
                )
                .bind(&protected)
                .bind(seal(&self.seal_key, &case_id, revision, "", &protected))
                .bind(&case_id)
                .bind(revision)
                .execute(&mut *tx)
                .await?;
            }
            sqlx::query(restore).execute(&mut *tx).await?;
        }
        sqlx::query(
            "INSERT INTO settings (name, value) VALUES ('revisions_sealed', $1) ON CONFLICT (name) DO NOTHING",
        )
        .bind(rows.len().to_string())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every revision whose seal does not match, as (case id, revision).
    pub(crate) async fn tampered_revisions(&self) -> Result<Vec<(String, i64)>> {
        let mut found = Vec::new();
        let mut after = None;
        loop {
            let page = revisions_after(&self.pool, after.as_ref()).await?;
            let Some(last) = page.last() else { break };
            after = Some((last.case_id.clone(), last.revision));
            for r in &page {
                if self
                    .check_seal(
                        &r.case_id,
                        r.revision,
                        &r.body,
                        &r.protected,
                        r.seal.as_deref(),
                    )
                    .is_err()
                {
                    found.push((r.case_id.clone(), r.revision));
                }
            }
        }
        Ok(found)
    }
}

/// A case revision as its seal covers it.
pub(crate) struct StoredRevision {
    pub case_id: String,
    pub revision: i64,
    pub body: String,
    pub protected: Vec<u8>,
    pub seal: Option<String>,
}

/// The next page of revisions after `after` (a case id and revision; `None`: from the first),
/// in that order, so that every revision is read once however many there are.
pub(crate) async fn revisions_after<'e, E>(
    executor: E,
    after: Option<&(String, i64)>,
) -> Result<Vec<StoredRevision>>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let (case_id, revision) = after.map_or(("", 0), |(c, r)| (c.as_str(), *r));
    let rows = sqlx::query(
        "SELECT case_id, revision, body, protected, seal FROM case_revisions WHERE case_id > $1 OR (case_id = $1 AND revision > $2) ORDER BY case_id, revision LIMIT 1000",
    )
    .bind(case_id)
    .bind(revision)
    .fetch_all(executor)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(StoredRevision {
                case_id: r.try_get("case_id")?,
                revision: r.try_get("revision")?,
                body: r.try_get("body")?,
                protected: r.try_get("protected")?,
                seal: r.try_get("seal")?,
            })
        })
        .collect()
}

/// An interview's answers sealed under `key`, as stored.
pub(crate) fn seal_interview_with(key: &crate::Key, id: &str, state: &str) -> Result<String> {
    let sealed = key.seal(&interview_context(id), state.as_bytes())?;
    Ok(format!("{SEALED_STATE}{}", hex::encode(sealed)))
}

/// How a sealed interview state begins in its text column (a state in clear is JSON).
const SEALED_STATE: &str = "sealed:";

fn interview_context(id: &str) -> String {
    format!("interview {id}")
}

impl Registry {
    /// An interview's answers as stored: sealed, in hexadecimal after [`SEALED_STATE`].
    pub(crate) fn seal_interview_state(&self, id: &str, state: &str) -> Result<String> {
        seal_interview_with(&self.key, id, state)
    }

    /// An interview's answers as stored, read back (in clear when written by an earlier
    /// version and not yet sealed).
    pub(crate) fn open_interview_state(&self, id: &str, stored: &str) -> Result<serde_json::Value> {
        let text = self.open_interview_text(id, stored)?;
        Ok(serde_json::from_str(&text).unwrap_or(serde_json::Value::Null))
    }

    /// The text of an interview's answers as stored.
    pub(crate) fn open_interview_text(&self, id: &str, stored: &str) -> Result<String> {
        let Some(hexed) = stored.strip_prefix(SEALED_STATE) else {
            return Ok(stored.to_string());
        };
        let damaged =
            || RegistryError::storage(format!("the answers of interview {id} are damaged"));
        let sealed = hex::decode(hexed).map_err(|_| damaged())?;
        String::from_utf8(self.key.open(&interview_context(id), &sealed)?).map_err(|_| damaged())
    }

    /// Seals the answers of interviews written in clear by an earlier version.
    pub(crate) async fn seal_earlier_interviews(&self) -> Result<()> {
        let rows = sqlx::query("SELECT id, state FROM interviews WHERE state NOT LIKE 'sealed:%'")
            .fetch_all(&self.pool)
            .await?;
        for r in &rows {
            let id: String = r.try_get("id")?;
            let state: String = r.try_get("state")?;
            sqlx::query("UPDATE interviews SET state = $1 WHERE id = $2 AND state = $3")
                .bind(self.seal_interview_state(&id, &state)?)
                .bind(&id)
                .bind(&state)
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The file of a SQLite URL (`sqlite://PATH?…` or `sqlite:PATH`), unless it is in memory.
pub(crate) fn sqlite_file(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && !path.contains(":memory:")).then(|| PathBuf::from(path))
}

/// Creates `path` empty, readable by its owner only, unless it exists; SQLite gives its
/// write-ahead log and shared-memory files the database file's permissions.
pub(crate) fn create_private(path: &Path) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(RegistryError::storage(format!(
            "cannot create {}: {e}",
            path.display()
        ))),
    }
}
