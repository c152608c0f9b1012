//! Rotating the registry's key: everything sealed under it (every case revision with its
//! identity and free text, every interview's answers) is opened and sealed again under a new
//! key, in one transaction, so that the registry is wholly under the one key or the other.
//! The audit chain is not rewritten: its entries so far keep their MACs, and the key they
//! were made with is kept, sealed under the new key, as an epoch `verify_audit` checks them
//! by. Interrupted, the transaction leaves the registry under the old key, and the rotation
//! can be run again.

use crate::audit::Event;
use crate::cases::seal_context;
use crate::seals::{lift_revision_guard, revisions_after, seal};
use crate::{Key, Operator, Registry, RegistryError, Result};
use serde::{Deserialize, Serialize};
use sqlx::Row;

/// What a rotation re-sealed.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Rotation {
    pub revisions: u64,
    pub interviews: u64,
    /// The audit entries whose MACs stay under the old key (the last one records the
    /// rotation).
    pub audit_entries_before: i64,
    pub old_fingerprint: String,
    pub new_fingerprint: String,
}

/// One earlier key of the audit chain: it made the MACs of the entries up to `through`, after
/// the previous epoch's.
#[derive(Serialize, Deserialize)]
struct StoredEpoch {
    through: i64,
    /// The chain key, sealed under the registry's key, in hexadecimal.
    key: String,
}

const EPOCH_CONTEXT: &str = "audit chain key epoch";

impl Registry {
    /// The earlier keys of the audit chain, each with the last entry it made, oldest first.
    pub(crate) async fn read_audit_epochs(&self) -> Result<Vec<(i64, [u8; 32])>> {
        let stored = self.stored_epochs(None).await?;
        stored
            .into_iter()
            .map(|e| Ok((e.through, open_epoch_key(&self.key, &e.key)?)))
            .collect()
    }

    async fn stored_epochs(
        &self,
        tx: Option<&mut sqlx::Transaction<'_, sqlx::Any>>,
    ) -> Result<Vec<StoredEpoch>> {
        let query = sqlx::query("SELECT value FROM settings WHERE name = 'audit_epochs'");
        let row = match tx {
            Some(tx) => query.fetch_optional(&mut **tx).await?,
            None => query.fetch_optional(&self.pool).await?,
        };
        let Some(row) = row else {
            return Ok(Vec::new());
        };
        let text: String = row.try_get("value")?;
        serde_json::from_str(&text)
            .map_err(|e| RegistryError::storage(format!("the setting audit_epochs: {e}")))
    }

    /// Re-seals everything under `new` in one transaction, and records the rotation in the
    /// audit log. Afterwards the registry opens with `new` only: this value of the registry
    /// must not be used again.
    pub async fn rotate_key(&self, operator: &Operator, new: &Key) -> Result<Rotation> {
        if new.fingerprint() == self.key.fingerprint() {
            return Err(RegistryError::invalid(
                "key.same",
                "the new key is the key in use",
            ));
        }
        // A revision changed outside delimit is not blessed with a new seal: all are checked
        // before anything is changed, and each again as it is sealed anew.
        let tampered = self.tampered_revisions().await?;
        if let Some((case_id, revision)) = tampered.first() {
            let names: Vec<String> = tampered.iter().map(crate::seals::revision_name).collect();
            let mut e = crate::seals::tampered(case_id, *revision);
            e.message = format!(
                "{} revisions were changed in the database outside delimit ({}); restore them from a backup before rotating the key",
                tampered.len(),
                names.join(", ")
            );
            return Err(e);
        }
        let new_seal_key = new.derive(crate::SEAL_PURPOSE);
        let mut tx = self.pool.begin().await?;
        let (lift, restore) = lift_revision_guard(self.backend);
        sqlx::query(lift).execute(&mut *tx).await?;
        let mut revisions = 0u64;
        let mut after = None;
        loop {
            let page = revisions_after(&mut *tx, after.as_ref()).await?;
            let Some(last) = page.last() else { break };
            after = Some((last.case_id.clone(), last.revision));
            for r in &page {
                self.check_seal(
                    &r.case_id,
                    r.revision,
                    &r.body,
                    &r.protected,
                    r.seal.as_deref(),
                )?;
                let context = seal_context(&r.case_id, r.revision);
                let plain = self.key.open(&context, &r.protected)?;
                let resealed = new.seal(&context, &plain)?;
                sqlx::query(
                    "UPDATE case_revisions SET protected = $1, seal = $2 WHERE case_id = $3 AND revision = $4",
                )
                .bind(&resealed)
                .bind(seal(&new_seal_key, &r.case_id, r.revision, &r.body, &resealed))
                .bind(&r.case_id)
                .bind(r.revision)
                .execute(&mut *tx)
                .await?;
                revisions += 1;
            }
        }
        sqlx::query(restore).execute(&mut *tx).await?;

        let rows = sqlx::query("SELECT id, state FROM interviews")
            .fetch_all(&mut *tx)
            .await?;
        let mut interviews = 0u64;
        for r in &rows {
            let id: String = r.try_get("id")?;
            let state: String = r.try_get("state")?;
            let plain = self.open_interview_text(&id, &state)?;
            let resealed = crate::seals::seal_interview_with(new, &id, &plain)?;
            sqlx::query("UPDATE interviews SET state = $1 WHERE id = $2")
                .bind(resealed)
                .bind(&id)
                .execute(&mut *tx)
                .await?;
            interviews += 1;
        }

        // The rotation is the last entry under the old chain key.
        let detail = format!(
            "key {} replaced by {}: {revisions} revisions, {interviews} interviews sealed again",
            self.key.fingerprint(),
            new.fingerprint()
        );
        self.append(
            &mut tx,
            operator.principal(),
            &[Event {
                action: "key.rotate",
                target: "registry",
                outcome: "ok",
                detail,
            }],
        )
        .await?;
        let through: i64 = sqlx::query("SELECT seq FROM audit_head WHERE id = 1")
            .fetch_one(&mut *tx)
            .await?
            .try_get("seq")?;
        let mut epochs = Vec::new();
        for e in self.stored_epochs(Some(&mut tx)).await? {
            let key = open_epoch_key(&self.key, &e.key)?;
            epochs.push(StoredEpoch {
                through: e.through,
                key: seal_epoch_key(new, &key)?,
            });
        }
        epochs.push(StoredEpoch {
            through,
            key: seal_epoch_key(new, &self.audit_key)?,
        });
        let epochs = serde_json::to_string(&epochs)
            .map_err(|e| RegistryError::storage(format!("cannot write the epochs: {e}")))?;
        for (name, value) in [
            ("audit_epochs", epochs),
            ("key_fingerprint", new.fingerprint()),
        ] {
            sqlx::query(
                "INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            )
            .bind(name)
            .bind(value)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(Rotation {
            revisions,
            interviews,
            audit_entries_before: through,
            old_fingerprint: self.key.fingerprint(),
            new_fingerprint: new.fingerprint(),
        })
    }
}

fn seal_epoch_key(master: &Key, key: &[u8; 32]) -> Result<String> {
    Ok(hex::encode(master.seal(EPOCH_CONTEXT, key)?))
}

fn open_epoch_key(master: &Key, hexed: &str) -> Result<[u8; 32]> {
    let damaged = || RegistryError::storage("an earlier key of the audit chain is damaged");
    let sealed = hex::decode(hexed).map_err(|_| damaged())?;
    master
        .open(EPOCH_CONTEXT, &sealed)?
        .try_into()
        .map_err(|_| damaged())
}
