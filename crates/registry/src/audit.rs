//! The audit log: every read of identifying data, every change and every refusal, appended
//! in the transaction of what it records. Each entry's MAC (HMAC-SHA256 under a key derived
//! from the registry's key, which the database never holds) covers the previous entry's MAC
//! and its own fields, the organisation included, so that changing, removing or reordering an
//! entry breaks the chain from there on, and whoever holds the database without the key cannot
//! recompute it. Entries written before the chain was keyed (registries of earlier versions)
//! keep their plain SHA-256 chain, which the first keyed entry covers. The database also
//! refuses updates and deletions (migration 2). Each organisation's administrators read their
//! organisation's entries only.

use crate::users::Operator;
use crate::{
    Principal, Registry, RegistryError, Result, insert_values, now_us, require, rows_per_statement,
    timestamp,
};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::{Any, AssertSqlSafe, Row, Transaction};

/// One entry, as read back.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: String,
    /// `ok` or `denied`.
    pub outcome: String,
    pub detail: String,
    pub hash: String,
}

/// The result of checking the chain and the seals of the case revisions.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct AuditReport {
    pub entries: i64,
    /// The first entry whose hash does not follow, if any.
    pub broken_at: Option<i64>,
    /// Entries up to this one were written before the chain was keyed (plain SHA-256).
    pub keyed_after: i64,
    /// The last entry, `SEQ:MAC`: kept apart from the database, it lets a later check tell
    /// that no entry was cut from the end (`delimit audit verify --head`).
    pub head: String,
    /// Whether the head given to check against is still in the chain (`None`: none given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub head_matches: Option<bool>,
    /// Case revisions whose seal does not match what is stored: changed outside delimit.
    pub tampered_revisions: Vec<String>,
}

impl AuditReport {
    /// Whether nothing was found wrong.
    pub fn intact(&self) -> bool {
        self.broken_at.is_none()
            && self.head_matches != Some(false)
            && self.tampered_revisions.is_empty()
    }
}

/// An entry to append.
pub(crate) struct Event<'a> {
    pub action: &'a str,
    pub target: &'a str,
    pub outcome: &'a str,
    pub detail: String,
}

/// The plain chain of entries written before the chain was keyed.
fn legacy_hash(prev: &str, seq: i64, at_us: i64, actor: &str, e: &Event<'_>) -> String {
    let mut h = Sha256::new();
    for part in [
        prev,
        &seq.to_string(),
        &at_us.to_string(),
        actor,
        e.action,
        e.target,
        e.outcome,
        &e.detail,
    ] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

/// One entry's MAC under the audit key, chained to the previous one.
#[allow(clippy::too_many_arguments)]
fn keyed_hash(
    key: &[u8; 32],
    prev: &str,
    seq: i64,
    at_us: i64,
    actor: &str,
    organisation: &str,
    e: &Event<'_>,
) -> String {
    crate::crypto::mac_of(
        key,
        &[
            prev.as_bytes(),
            seq.to_string().as_bytes(),
            at_us.to_string().as_bytes(),
            actor.as_bytes(),
            organisation.as_bytes(),
            e.action.as_bytes(),
            e.target.as_bytes(),
            e.outcome.as_bytes(),
            e.detail.as_bytes(),
        ],
    )
}

impl Registry {
    /// Appends entries inside `tx`, under the actor's organisation. Moving the head first takes
    /// its row lock (PostgreSQL) or the write lock (SQLite), so concurrent writers take turns and
    /// the chain never forks.
    pub(crate) async fn append(
        &self,
        tx: &mut Transaction<'_, Any>,
        actor: &Principal,
        events: &[Event<'_>],
    ) -> Result<()> {
        if events.is_empty() {
            return Ok(());
        }
        let n = events.len() as i64;
        let row =
            sqlx::query("UPDATE audit_head SET seq = seq + $1 WHERE id = 1 RETURNING seq, hash")
                .bind(n)
                .fetch_one(&mut **tx)
                .await?;
        let last: i64 = row.try_get("seq")?;
        let mut prev: String = row.try_get("hash")?;
        let at_us = now_us();
        let actor_name = format!("{} ({})", actor.username, actor.id);
        let mut seq = last - n;
        for chunk in events.chunks(rows_per_statement(10)) {
            let sql = insert_values(
                tx,
                "INSERT INTO audit_log (seq, at_us, actor, action, target, outcome, detail, prev_hash, hash, organisation)",
                10,
                chunk.len(),
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for e in chunk {
                seq += 1;
                let hash = keyed_hash(
                    &self.audit_key,
                    &prev,
                    seq,
                    at_us,
                    &actor_name,
                    &actor.organisation,
                    e,
                );
                q = q
                    .bind(seq)
                    .bind(at_us)
                    .bind(actor_name.clone())
                    .bind(e.action.to_string())
                    .bind(e.target.to_string())
                    .bind(e.outcome.to_string())
                    .bind(e.detail.clone())
                    .bind(std::mem::replace(&mut prev, hash.clone()))
                    .bind(hash)
                    .bind(actor.organisation.clone());
            }
            q.execute(&mut **tx).await?;
        }
        sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
            .bind(prev)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// Records one event in a transaction of its own (reads and refusals).
    pub(crate) async fn audit(
        &self,
        actor: &Principal,
        action: &str,
        target: &str,
        outcome: &str,
        detail: String,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        self.append(
            &mut tx,
            actor,
            &[Event {
                action,
                target,
                outcome,
                detail,
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a refusal and returns the error to give: a refusal the log cannot record is
    /// still a refusal. Layers above the registry that refuse on grounds of their own (a form
    /// without its session's token) record the refusal through this.
    pub async fn deny(
        &self,
        actor: &Principal,
        action: &str,
        target: &str,
        error: RegistryError,
    ) -> RegistryError {
        // A record of another organisation is answered as unknown; the log says why.
        let detail = if error.kind == crate::ErrorKind::NotFound && !error.details.is_empty() {
            let mut e = error.clone();
            let why = e.details.remove(0);
            let _ = self.audit(actor, action, target, "denied", why).await;
            return e;
        } else {
            error.message.clone()
        };
        let _ = self.audit(actor, action, target, "denied", detail).await;
        error
    }

    /// Checks the principal may do `what`; when not, records the refusal. Layers above the
    /// registry that refuse by role before asking it (the pages) refuse through this, so that
    /// every refusal is in the log.
    pub async fn allow(
        &self,
        actor: &Principal,
        allowed: bool,
        action: &str,
        target: &str,
        what: &str,
    ) -> Result<()> {
        match require(actor, allowed, what) {
            Ok(()) => Ok(()),
            Err(e) => Err(self.deny(actor, action, target, e).await),
        }
    }

    /// The entries of the administrator's own organisation after `after` (oldest first), at
    /// most `limit`.
    pub async fn audit_log(
        &self,
        actor: &Principal,
        after: i64,
        limit: i64,
    ) -> Result<Vec<AuditEntry>> {
        self.allow(
            actor,
            actor.role == crate::Role::Administrator,
            "audit.read",
            "audit log",
            "read the audit log",
        )
        .await?;
        self.entries(Some(&actor.organisation), after, limit).await
    }

    /// The entries of every organisation, and those of no organisation (sign-ins under
    /// unknown names, the first run): the command line's operator only.
    pub async fn audit_log_everywhere(
        &self,
        _operator: &Operator,
        after: i64,
        limit: i64,
    ) -> Result<Vec<AuditEntry>> {
        self.entries(None, after, limit).await
    }

    async fn entries(
        &self,
        organisation: Option<&str>,
        after: i64,
        limit: i64,
    ) -> Result<Vec<AuditEntry>> {
        const COLUMNS: &str = "seq, at_us, actor, action, target, outcome, detail, hash";
        let limit = limit.clamp(1, 10_000);
        let rows = match organisation {
            Some(org) => {
                sqlx::query(AssertSqlSafe(format!(
                    "SELECT {COLUMNS} FROM audit_log WHERE organisation = $1 AND seq > $2 ORDER BY seq LIMIT $3"
                )))
                .bind(org.to_string())
                .bind(after)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?
            }
            None => {
                sqlx::query(AssertSqlSafe(format!(
                    "SELECT {COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2"
                )))
                .bind(after)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?
            }
        };
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    seq: r.try_get("seq")?,
                    at: timestamp(r.try_get("at_us")?),
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    target: r.try_get("target")?,
                    outcome: r.try_get("outcome")?,
                    detail: r.try_get("detail")?,
                    hash: r.try_get("hash")?,
                })
            })
            .collect()
    }

    /// Recomputes the chain from the first entry and reports where it breaks, if it does;
    /// checks that the head `expected_head` (`SEQ:MAC`, as an earlier report gave it) is still
    /// in the chain; and checks the seal of every case revision.
    pub async fn verify_audit(&self, expected_head: Option<&str>) -> Result<AuditReport> {
        let keyed_after = self.audit_keyed_after;
        let mut prev = "0".repeat(64);
        let mut entries = 0;
        let mut after = 0i64;
        let mut broken_at = None;
        let mut seen_head = None;
        let expected = match expected_head {
            Some(h) => Some(parse_head(h)?),
            None => None,
        };
        'chain: loop {
            let rows = sqlx::query(
                "SELECT seq, at_us, actor, action, target, outcome, detail, prev_hash, hash, organisation FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT 5000",
            )
            .bind(after)
            .fetch_all(&self.pool)
            .await?;
            if rows.is_empty() {
                break;
            }
            for r in &rows {
                let seq: i64 = r.try_get("seq")?;
                let action: String = r.try_get("action")?;
                let target: String = r.try_get("target")?;
                let outcome: String = r.try_get("outcome")?;
                let organisation: String = r.try_get("organisation")?;
                let event = Event {
                    action: &action,
                    target: &target,
                    outcome: &outcome,
                    detail: r.try_get("detail")?,
                };
                let actor: String = r.try_get("actor")?;
                let at_us: i64 = r.try_get("at_us")?;
                let computed = if seq <= keyed_after {
                    legacy_hash(&prev, seq, at_us, &actor, &event)
                } else {
                    keyed_hash(
                        self.audit_key_of(seq),
                        &prev,
                        seq,
                        at_us,
                        &actor,
                        &organisation,
                        &event,
                    )
                };
                let hash: String = r.try_get("hash")?;
                let prev_hash: String = r.try_get("prev_hash")?;
                if seq != entries + 1 || hash != computed || prev_hash != prev {
                    broken_at = Some(seq);
                    break 'chain;
                }
                if let Some((s, h)) = &expected
                    && *s == seq
                {
                    seen_head = Some(*h == hash);
                }
                entries += 1;
                prev = hash;
                after = seq;
            }
        }
        if broken_at.is_none() {
            let head: String = sqlx::query("SELECT hash FROM audit_head WHERE id = 1")
                .fetch_one(&self.pool)
                .await?
                .try_get("hash")?;
            if head != prev {
                broken_at = Some(entries + 1);
            }
        }
        let head_matches = expected.map(|_| seen_head.unwrap_or(false));
        Ok(AuditReport {
            entries,
            broken_at,
            keyed_after,
            head: format!("{entries}:{prev}"),
            head_matches,
            tampered_revisions: self
                .tampered_revisions()
                .await?
                .iter()
                .map(crate::seals::revision_name)
                .collect(),
        })
    }
}

impl Registry {
    /// The key that made the MAC of entry `seq`: an earlier key's for entries before a
    /// rotation, else the registry's own.
    fn audit_key_of(&self, seq: i64) -> &[u8; 32] {
        self.audit_epochs
            .iter()
            .find(|(through, _)| seq <= *through)
            .map_or(&self.audit_key, |(_, key)| key)
    }
}

/// `SEQ:MAC`, as [`AuditReport::head`] writes it.
fn parse_head(text: &str) -> Result<(i64, String)> {
    let bad = || {
        RegistryError::invalid(
            "audit.head",
            format!(
                "`{text}` is not a head of the audit log: give SEQ:MAC as `delimit audit verify` printed it"
            ),
        )
    };
    let (seq, mac) = text.trim().split_once(':').ok_or_else(bad)?;
    let seq: i64 = seq.parse().map_err(|_| bad())?;
    if mac.len() != 64 || !mac.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(bad());
    }
    Ok((seq, mac.to_ascii_lowercase()))
}
