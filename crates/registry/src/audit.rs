//! The audit log: every read of identifying data, every change and every refusal, appended
//! in the transaction of what it records. Each entry's hash covers the previous entry's hash
//! and its own fields, so changing, removing or reordering an entry breaks the chain from
//! there on; the database also refuses updates and deletions (migration 2).

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

/// The result of checking the chain.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct AuditReport {
    pub entries: i64,
    /// The first entry whose hash does not follow, if any.
    pub broken_at: Option<i64>,
}

/// An entry to append.
pub(crate) struct Event<'a> {
    pub action: &'a str,
    pub target: &'a str,
    pub outcome: &'a str,
    pub detail: String,
}

fn chain_hash(prev: &str, seq: i64, at_us: i64, actor: &str, e: &Event<'_>) -> String {
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

/// Appends entries inside `tx`. Moving the head first takes its row lock (PostgreSQL) or
/// the write lock (SQLite), so concurrent writers take turns and the chain never forks.
pub(crate) async fn append(
    tx: &mut Transaction<'_, Any>,
    actor: &Principal,
    events: &[Event<'_>],
) -> Result<()> {
    if events.is_empty() {
        return Ok(());
    }
    let n = events.len() as i64;
    let row = sqlx::query("UPDATE audit_head SET seq = seq + $1 WHERE id = 1 RETURNING seq, hash")
        .bind(n)
        .fetch_one(&mut **tx)
        .await?;
    let last: i64 = row.try_get("seq")?;
    let mut prev: String = row.try_get("hash")?;
    let at_us = now_us();
    let actor_name = format!("{} ({})", actor.username, actor.id);
    let mut seq = last - n;
    for chunk in events.chunks(rows_per_statement(9)) {
        let sql = insert_values(
            tx,
            "INSERT INTO audit_log (seq, at_us, actor, action, target, outcome, detail, prev_hash, hash)",
            9,
            chunk.len(),
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for e in chunk {
            seq += 1;
            let hash = chain_hash(&prev, seq, at_us, &actor_name, e);
            q = q
                .bind(seq)
                .bind(at_us)
                .bind(actor_name.clone())
                .bind(e.action.to_string())
                .bind(e.target.to_string())
                .bind(e.outcome.to_string())
                .bind(e.detail.clone())
                .bind(std::mem::replace(&mut prev, hash.clone()))
                .bind(hash);
        }
        q.execute(&mut **tx).await?;
    }
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(prev)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

impl Registry {
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
        append(
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
        let _ = self
            .audit(actor, action, target, "denied", error.message.clone())
            .await;
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

    /// The entries after `after` (oldest first), at most `limit`. Administrators only.
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
        let rows = sqlx::query(
            "SELECT seq, at_us, actor, action, target, outcome, detail, hash FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(after)
        .bind(limit.clamp(1, 10_000))
        .fetch_all(&self.pool)
        .await?;
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

    /// Recomputes the chain from the first entry and reports where it breaks, if it does.
    pub async fn verify_audit(&self) -> Result<AuditReport> {
        let mut prev = "0".repeat(64);
        let mut entries = 0;
        let mut after = 0i64;
        loop {
            let rows = sqlx::query(
                "SELECT seq, at_us, actor, action, target, outcome, detail, prev_hash, hash FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT 5000",
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
                let event = Event {
                    action: &action,
                    target: &target,
                    outcome: &outcome,
                    detail: r.try_get("detail")?,
                };
                let actor: String = r.try_get("actor")?;
                let expected = chain_hash(&prev, seq, r.try_get("at_us")?, &actor, &event);
                let hash: String = r.try_get("hash")?;
                let prev_hash: String = r.try_get("prev_hash")?;
                if seq != entries + 1 || hash != expected || prev_hash != prev {
                    return Ok(AuditReport {
                        entries,
                        broken_at: Some(seq),
                    });
                }
                entries += 1;
                prev = hash;
                after = seq;
            }
        }
        let head: String = sqlx::query("SELECT hash FROM audit_head WHERE id = 1")
            .fetch_one(&self.pool)
            .await?
            .try_get("hash")?;
        Ok(AuditReport {
            entries,
            broken_at: (head != prev).then_some(entries + 1),
        })
    }
}
