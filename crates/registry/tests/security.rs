//! Tamper evidence and data at rest, on each back end: the audit chain cannot be rewritten
//! without the key (edits, deletions, reorderings, a cut tail against a kept head), a case
//! revision changed in the database is refused and reported, a registry of the earlier
//! version opens, keys its chain and seals its revisions, files are private, and consent
//! names a person of the case.

mod common;

use common::*;
use delimit_registry::{ErrorKind, Identity, Key, NewConsent, Registry};
use sha2::{Digest, Sha256};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, AssertSqlSafe, Row, SqlSafeStr};

fn identity() -> Identity {
    Identity {
        names: vec!["Rustam Nazarov".into()],
        ..Identity::default()
    }
}

/// Lifts the database's refusal to change the audit log and the revisions, as whoever holds
/// the database file or its superuser could.
async fn lift_guards(pool: &AnyPool, backend: &str) {
    let statements: &[&str] = match backend {
        "sqlite" => &[
            "DROP TRIGGER audit_log_no_update",
            "DROP TRIGGER audit_log_no_delete",
            "DROP TRIGGER case_revisions_no_update",
        ],
        _ => &[
            "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
            "ALTER TABLE case_revisions DISABLE TRIGGER case_revisions_append_only",
        ],
    };
    for s in statements {
        sqlx::query(AssertSqlSafe(s.to_string()))
            .execute(pool)
            .await
            .unwrap();
    }
}

/// The chain as one without the key would recompute it: SHA-256 over the same fields.
fn unkeyed(prev: &str, fields: &[String]) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    for f in fields {
        h.update((f.len() as u64).to_le_bytes());
        h.update(f.as_bytes());
    }
    hex::encode(h.finalize())
}

/// Renumbers the log from 1 and recomputes every hash without the key, then moves the head.
async fn rewrite_chain(pool: &AnyPool) {
    let rows = sqlx::query(
        "SELECT seq, at_us, actor, action, target, outcome, detail, organisation FROM audit_log ORDER BY seq",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut prev = "0".repeat(64);
    for (i, r) in rows.iter().enumerate() {
        let seq: i64 = r.try_get("seq").unwrap();
        let fields: Vec<String> = [
            "actor",
            "action",
            "target",
            "outcome",
            "detail",
            "organisation",
        ]
        .iter()
        .map(|c| r.try_get::<String, _>(*c).unwrap())
        .chain([r.try_get::<i64, _>("at_us").unwrap().to_string()])
        .collect();
        let hash = unkeyed(&prev, &fields);
        sqlx::query("UPDATE audit_log SET seq = $1, prev_hash = $2, hash = $3 WHERE seq = $4")
            .bind(-(i as i64) - 1)
            .bind(&prev)
            .bind(&hash)
            .bind(seq)
            .execute(pool)
            .await
            .unwrap();
        prev = hash;
    }
    sqlx::query("UPDATE audit_log SET seq = -seq")
        .execute(pool)
        .await
        .unwrap();
    sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
        .bind(rows.len() as i64)
        .bind(prev)
        .execute(pool)
        .await
        .unwrap();
}

async fn busy_world(b: &Backend) -> World {
    let w = world(b, Key::generate().unwrap()).await;
    for _ in 0..3 {
        let c = w
            .registry
            .create_case(&w.caseworker, &brick_kiln(), &identity())
            .await
            .unwrap();
        w.registry
            .case(&w.caseworker, &c.id, None, true)
            .await
            .unwrap();
    }
    w
}

#[tokio::test]
async fn the_audit_chain_cannot_be_rewritten_without_the_key() {
    for b in backends("tamper-audit").await {
        // Deleting an entry and recomputing the chain.
        let w = busy_world(&b).await;
        let r = &w.registry;
        let report = r.verify_audit(None).await.unwrap();
        assert!(report.intact(), "{}: {report:?}", b.name);
        assert_eq!(report.keyed_after, 0, "a new registry is keyed throughout");
        lift_guards(r.pool(), b.name).await;
        sqlx::query("DELETE FROM audit_log WHERE seq = 4")
            .execute(r.pool())
            .await
            .unwrap();
        assert!(!r.verify_audit(None).await.unwrap().intact());
        rewrite_chain(r.pool()).await;
        let report = r.verify_audit(None).await.unwrap();
        assert_eq!(report.broken_at, Some(1), "{}: {report:?}", b.name);
    }
    for b in backends("tamper-audit-edit").await {
        // Editing an entry (who read whose identity) and recomputing.
        let w = busy_world(&b).await;
        let r = &w.registry;
        lift_guards(r.pool(), b.name).await;
        sqlx::query(
            "UPDATE audit_log SET actor = 'nobody (u-0)' WHERE action = 'case.read_identity'",
        )
        .execute(r.pool())
        .await
        .unwrap();
        rewrite_chain(r.pool()).await;
        assert!(!r.verify_audit(None).await.unwrap().intact(), "{}", b.name);
    }
    for b in backends("tamper-audit-order").await {
        // Swapping two entries.
        let w = busy_world(&b).await;
        let r = &w.registry;
        lift_guards(r.pool(), b.name).await;
        for (from, to) in [(3, -1), (4, 3), (-1, 4)] {
            sqlx::query("UPDATE audit_log SET seq = $1 WHERE seq = $2")
                .bind(to)
                .bind(from)
                .execute(r.pool())
                .await
                .unwrap();
        }
        assert_eq!(
            r.verify_audit(None).await.unwrap().broken_at,
            Some(3),
            "{}",
            b.name
        );
    }
    for b in backends("tamper-audit-tail").await {
        // Cutting the last entries and moving the head back: only a head kept apart from the
        // database tells.
        let w = busy_world(&b).await;
        let r = &w.registry;
        let kept = r.verify_audit(None).await.unwrap().head;
        lift_guards(r.pool(), b.name).await;
        let last: i64 = sqlx::query("SELECT seq FROM audit_head WHERE id = 1")
            .fetch_one(r.pool())
            .await
            .unwrap()
            .try_get("seq")
            .unwrap();
        let prev: String = sqlx::query("SELECT prev_hash FROM audit_log WHERE seq = $1")
            .bind(last)
            .fetch_one(r.pool())
            .await
            .unwrap()
            .try_get("prev_hash")
            .unwrap();
        sqlx::query("DELETE FROM audit_log WHERE seq = $1")
            .bind(last)
            .execute(r.pool())
            .await
            .unwrap();
        sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
            .bind(last - 1)
            .bind(prev)
            .execute(r.pool())
            .await
            .unwrap();
        let report = r.verify_audit(Some(&kept)).await.unwrap();
        assert_eq!(report.broken_at, None, "the rest still chains");
        assert_eq!(report.head_matches, Some(false), "{}", b.name);
        assert!(!report.intact());
        let bad = r.verify_audit(Some("12")).await.unwrap_err();
        assert_eq!(bad.code, "audit.head");
    }
}

#[tokio::test]
async fn a_revision_changed_in_the_database_is_refused_and_reported() {
    for b in backends("tamper-revision").await {
        let w = world(&b, Key::generate().unwrap()).await;
        let r = &w.registry;
        let c = r
            .create_case(&w.caseworker, &brick_kiln(), &identity())
            .await
            .unwrap();
        assert!(r.case(&w.caseworker, &c.id, None, false).await.is_ok());
        lift_guards(r.pool(), b.name).await;
        // The journey is sealed: nothing of it is in clear.
        let body: String = sqlx::query("SELECT body FROM case_revisions WHERE case_id = $1")
            .bind(&c.id)
            .fetch_one(r.pool())
            .await
            .unwrap()
            .try_get("body")
            .unwrap();
        assert_eq!(body, "", "{}", b.name);
        // A journey put in clear in its place, the person's citizenship changed.
        let mut forged = brick_kiln();
        forged.persons[0].citizenships = delimit_case::timeline::Answer::Known(vec!["AF".into()]);
        sqlx::query("UPDATE case_revisions SET body = $1 WHERE case_id = $2")
            .bind(serde_json::to_string(&forged).unwrap())
            .bind(&c.id)
            .execute(r.pool())
            .await
            .unwrap();
        let refused = r.case(&w.caseworker, &c.id, None, false).await.unwrap_err();
        assert_eq!(refused.code, "case.tampered", "{}", b.name);
        assert_eq!(refused.kind, ErrorKind::Storage);
        let assessed = r
            .assess_case(&w.caseworker, kb(), &c.id, &[], None)
            .await
            .unwrap_err();
        assert_eq!(assessed.code, "case.tampered");
        let report = r.verify_audit(None).await.unwrap();
        assert_eq!(
            report.tampered_revisions,
            [format!("{} revision 1", c.id)],
            "{}",
            b.name
        );
        assert!(!report.intact());
        // Removing the seal does not help.
        sqlx::query("UPDATE case_revisions SET seal = NULL WHERE case_id = $1")
            .bind(&c.id)
            .execute(r.pool())
            .await
            .unwrap();
        assert!(r.case(&w.caseworker, &c.id, None, false).await.is_err());
    }
}

/// The registry's first two migrations, exactly as the earlier version applied them.
fn earlier_migrator(backend: &str) -> Migrator {
    let schema = include_str!("../migrations/0001_registry.sql");
    let (schema, append_only) = match backend {
        "sqlite" => (
            schema.to_string(),
            include_str!("../migrations/0002_append_only.sqlite.sql"),
        ),
        _ => (
            schema.replace(" BLOB ", " BYTEA "),
            include_str!("../migrations/0002_append_only.postgres.sql"),
        ),
    };
    Migrator::with_migrations(vec![
        Migration::new(
            1,
            "registry".into(),
            MigrationType::Simple,
            AssertSqlSafe(schema).into_sql_str(),
            false,
        ),
        Migration::new(
            2,
            "append-only".into(),
            MigrationType::Simple,
            AssertSqlSafe(append_only.to_string()).into_sql_str(),
            false,
        ),
    ])
}

/// The earlier version's chain: SHA-256 of the previous hash, the sequence number, the time,
/// the actor and the event, each preceded by its length.
fn earlier_hash(prev: &str, seq: i64, at_us: i64, actor: &str, event: [&str; 4]) -> String {
    let mut h = Sha256::new();
    let seq = seq.to_string();
    let at = at_us.to_string();
    for part in [
        prev, &seq, &at, actor, event[0], event[1], event[2], event[3],
    ] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

#[tokio::test]
async fn a_registry_of_the_earlier_version_opens_keys_its_chain_and_seals_its_revisions() {
    for b in backends("earlier-version").await {
        sqlx::any::install_default_drivers();
        let pool = sqlx::any::AnyPoolOptions::new()
            .max_connections(1)
            .connect(&b.url)
            .await
            .unwrap();
        earlier_migrator(b.name).run(&pool).await.unwrap();
        // What the earlier version wrote: an organisation, its administrator, a case with one
        // revision, and three audit entries chained without a key.
        let key = Key::generate().unwrap();
        for sql in [
            "INSERT INTO settings (name, value) VALUES ('key_fingerprint', $1)",
            "INSERT INTO organisations (id, name, created_us) VALUES ('o-1', 'Field office', 1)",
            "INSERT INTO users (id, organisation, username, role, password_hash, created_us, disabled) VALUES ('u-1', 'o-1', 'admin', 'administrator', 'x', 1, 0)",
            "INSERT INTO cases (id, organisation, created_us, created_by, revision) VALUES ('c-1', 'o-1', 1, 'u-1', 1)",
        ] {
            let q = sqlx::query(AssertSqlSafe(sql.to_string()));
            let q = if sql.contains("$1") {
                q.bind(key.fingerprint())
            } else {
                q
            };
            q.execute(&pool).await.unwrap();
        }
        sqlx::query("INSERT INTO interviews (id, organisation, created_us, created_by, updated_us, lang, state, finished) VALUES ('i-1', 'o-1', 1, 'u-1', 1, 'ru', '{\"answers\":[[\"name\",\"Rustam\"]]}', 0)")
            .execute(&pool)
            .await
            .unwrap();
        // The earlier version kept the case in clear without its free text, and sealed the
        // free text with the identity.
        let mut clear = brick_kiln();
        let title = clear.title.take().unwrap();
        let body = serde_json::to_string(&clear).unwrap();
        let sealed = serde_json::json!({
            "identity": {"names": ["Rustam Nazarov"]},
            "free_text": {"title": title},
        });
        let protected = key
            .seal("case c-1 revision 1", sealed.to_string().as_bytes())
            .unwrap();
        sqlx::query("INSERT INTO case_revisions (case_id, revision, created_us, created_by, body, protected) VALUES ('c-1', 1, 1, 'u-1', $1, $2)")
            .bind(&body)
            .bind(protected)
            .execute(&pool)
            .await
            .unwrap();
        let mut prev = "0".repeat(64);
        for seq in 1..=3i64 {
            let event = ["case.create", "c-1", "ok", "revision 1"];
            let hash = earlier_hash(&prev, seq, 10 + seq, "admin (u-1)", event);
            sqlx::query("INSERT INTO audit_log (seq, at_us, actor, action, target, outcome, detail, prev_hash, hash) VALUES ($1, $2, 'admin (u-1)', $3, $4, $5, $6, $7, $8)")
                .bind(seq)
                .bind(10 + seq)
                .bind(event[0])
                .bind(event[1])
                .bind(event[2])
                .bind(event[3])
                .bind(&prev)
                .bind(&hash)
                .execute(&pool)
                .await
                .unwrap();
            prev = hash;
        }
        sqlx::query("UPDATE audit_head SET seq = 3, hash = $1 WHERE id = 1")
            .bind(&prev)
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;

        // This version opens it: the earlier entries keep their chain, new ones are keyed,
        // and the revision is sealed as it was found.
        let r = Registry::open(&b.url, key.clone()).await.unwrap();
        let report = r.verify_audit(None).await.unwrap();
        assert!(report.intact(), "{}: {report:?}", b.name);
        assert_eq!(report.keyed_after, 3);
        let admin = delimit_registry::Principal {
            id: "u-1".into(),
            username: "admin".into(),
            organisation: "o-1".into(),
            role: delimit_registry::Role::Administrator,
        };
        let stored = r.case(&admin, "c-1", None, true).await.unwrap();
        assert_eq!(stored.case, brick_kiln());
        assert_eq!(stored.identity.unwrap().names, ["Rustam Nazarov"]);
        // The journey kept in clear by the earlier version is now sealed with it.
        let clear: String = sqlx::query("SELECT body FROM case_revisions WHERE case_id = 'c-1'")
            .fetch_one(r.pool())
            .await
            .unwrap()
            .try_get("body")
            .unwrap();
        assert_eq!(clear, "");
        // The interview written in clear is sealed, and reads back the same.
        let clear: String = sqlx::query("SELECT state FROM interviews WHERE id = 'i-1'")
            .fetch_one(r.pool())
            .await
            .unwrap()
            .try_get("state")
            .unwrap();
        assert!(!clear.contains("Rustam"), "{clear}");
        let interview = r.interview(&admin, "i-1").await.unwrap();
        assert_eq!(interview.state["answers"][0][1], "Rustam");
        // The earlier entries are the organisation's, from their actor.
        let log = r.audit_log(&admin, 0, 100).await.unwrap();
        assert_eq!(
            log.iter().filter(|e| e.action == "case.create").count(),
            3,
            "{}: {log:?}",
            b.name
        );
        r.create_case(&admin, &brick_kiln(), &identity())
            .await
            .unwrap();
        r.close().await;
        // Opened again, nothing is sealed twice and the chain still checks.
        let r = Registry::open(&b.url, key).await.unwrap();
        let report = r.verify_audit(None).await.unwrap();
        assert!(report.intact(), "{}: {report:?}", b.name);
        assert_eq!(report.keyed_after, 3);
    }
}

#[cfg(unix)]
#[tokio::test]
async fn registry_files_and_backups_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("private-files");
    let db = dir.0.join("registry.db");
    let w = world(
        &Backend {
            name: "sqlite",
            url: delimit_registry::sqlite_url(&db),
            dir: TempDir::new("unused"),
        },
        Key::generate().unwrap(),
    )
    .await;
    w.registry
        .create_case(&w.caseworker, &brick_kiln(), &identity())
        .await
        .unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let wal = dir.0.join("registry.db-wal");
    assert!(wal.exists());
    for p in [&db, &wal] {
        assert_eq!(mode(p), 0o600, "{}", p.display());
    }
    let backup = dir.0.join("backup.db");
    w.registry.backup(&backup).await.unwrap();
    assert_eq!(mode(&backup), 0o600);
    w.registry.close().await;
    // A registry made readable by others is made private again when opened.
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (key, _) = (Key::generate().unwrap(), ());
    let _ = Registry::open(&delimit_registry::sqlite_url(&db), key).await;
    assert_eq!(mode(&db), 0o600);
}

#[tokio::test]
async fn interview_answers_are_sealed_in_the_database() {
    for b in backends("sealed-interview").await {
        let w = world(&b, Key::generate().unwrap()).await;
        let r = &w.registry;
        let state =
            serde_json::json!({"answers": [["birth_date", "1996-02-11"], ["name", "Nazarov"]]});
        let id = r
            .save_interview(&w.caseworker, None, "ru", &state, false)
            .await
            .unwrap();
        r.save_interview(&w.caseworker, Some(&id), "ru", &state, true)
            .await
            .unwrap();
        let stored: String = sqlx::query("SELECT state FROM interviews WHERE id = $1")
            .bind(&id)
            .fetch_one(r.pool())
            .await
            .unwrap()
            .try_get("state")
            .unwrap();
        assert!(
            !stored.contains("Nazarov") && !stored.contains("1996"),
            "{}",
            b.name
        );
        assert_eq!(r.interview(&w.caseworker, &id).await.unwrap().state, state);
    }
}

#[tokio::test]
async fn consent_names_a_person_of_the_case() {
    for b in backends("consent-person").await {
        let w = world(&b, Key::generate().unwrap()).await;
        let r = &w.registry;
        let c = r
            .create_case(&w.caseworker, &brick_kiln(), &identity())
            .await
            .unwrap();
        let consent = |person: &str| NewConsent {
            case: Some(c.id.clone()),
            interview: None,
            person: Some(person.into()),
            purpose: "referral".into(),
            given: true,
        };
        let e = r
            .record_consent(&w.caseworker, &consent("somebody-else"))
            .await
            .unwrap_err();
        assert_eq!(e.code, "consent.person", "{}", b.name);
        assert!(e.message.contains("worker"), "{}", e.message);
        let person = brick_kiln().persons[0].id.clone();
        assert!(
            r.record_consent(&w.caseworker, &consent(&person))
                .await
                .is_ok()
        );
    }
}

#[tokio::test]
async fn a_case_built_in_memory_is_held_to_what_a_case_file_may_say() {
    // An interview saved as a case never passes through the file reader: the registry
    // checks it all the same, and stores nothing.
    for b in backends("in-memory-case").await {
        let w = world(&b, Key::generate().unwrap()).await;
        let mut case = brick_kiln();
        case.events[0].date = delimit_case::timeline::When::Exact(jiff::civil::date(1, 1, 1));
        let e = w
            .registry
            .create_case(&w.caseworker, &case, &identity())
            .await
            .unwrap_err();
        assert_eq!(e.code, "case.invalid", "{}: {e:?}", b.name);
        assert!(e.message.contains("1900"), "{}", e.message);
        assert!(
            w.registry
                .cases(&w.caseworker, "", 10)
                .await
                .unwrap()
                .is_empty()
        );
    }
}

#[tokio::test]
async fn a_key_rotation_does_not_seal_a_tampered_revision_again() {
    for b in backends("rotate-tampered").await {
        let w = world(&b, Key::generate().unwrap()).await;
        let r = &w.registry;
        let c = r
            .create_case(&w.caseworker, &brick_kiln(), &identity())
            .await
            .unwrap();
        lift_guards(r.pool(), b.name).await;
        sqlx::query("UPDATE case_revisions SET seal = NULL WHERE case_id = $1")
            .bind(&c.id)
            .execute(r.pool())
            .await
            .unwrap();
        let new = Key::generate().unwrap();
        let e = r
            .rotate_key(&delimit_registry::Operator::command_line(), &new)
            .await
            .unwrap_err();
        assert_eq!(e.code, "case.tampered", "{}", b.name);
        // Nothing changed: the registry is still under its old key.
        assert!(Registry::open(&b.url, new).await.is_err(), "{}", b.name);
    }
}
