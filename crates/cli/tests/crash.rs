//! `delimit import` and `delimit requalify` killed with SIGKILL at many points: afterwards
//! every batch the job acknowledged is whole, nothing is half-written, and running the same
//! command again finishes the work without storing anything twice. On each back end.

#[path = "../../registry/tests/common/mod.rs"]
mod common;

use common::backends;
use delimit_registry::{Key, Registry, synthetic};
use sqlx::Row;
use std::process::{Command, Stdio};
use std::time::Duration;

const CASES: u64 = 4000;

fn delimit(args: &[&str], key: &str) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_delimit"))
        .args(args)
        .env("DELIMIT_KEY", key)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("delimit starts")
}

async fn count(r: &Registry, sql: &'static str) -> i64 {
    sqlx::query(sql)
        .fetch_one(r.pool())
        .await
        .unwrap()
        .try_get("n")
        .unwrap()
}

/// What must hold after any kill: whole cases only, and the job's count is what is stored.
async fn check_whole(r: &Registry, kind: &str) -> (i64, bool) {
    let cases = count(r, "SELECT COUNT(*) AS n FROM cases").await;
    let revisions = count(r, "SELECT COUNT(*) AS n FROM case_revisions").await;
    assert_eq!(
        cases, revisions,
        "a case without its revision, or the reverse"
    );
    let orphans = count(
        r,
        "SELECT COUNT(*) AS n FROM cases c WHERE NOT EXISTS (SELECT 1 FROM persons p WHERE p.case_id = c.id)",
    )
    .await;
    assert_eq!(orphans, 0, "a case stored without its statistics rows");
    let job = sqlx::query("SELECT done, finished FROM jobs WHERE kind = $1")
        .bind(kind)
        .fetch_optional(r.pool())
        .await
        .unwrap();
    let (done, finished) = job
        .map(|j| {
            (
                j.try_get::<i64, _>("done").unwrap(),
                j.try_get::<i64, _>("finished").unwrap() != 0,
            )
        })
        .unwrap_or((0, false));
    let stored = match kind {
        "import" => cases,
        _ => count(r, "SELECT COUNT(*) AS n FROM assessments").await,
    };
    assert_eq!(
        done, stored,
        "{kind}: the job acknowledged {done}, {stored} are stored"
    );
    assert_eq!(r.verify_audit(None).await.unwrap().broken_at, None);
    (stored, finished)
}

#[tokio::test]
async fn killed_imports_and_requalifications_lose_nothing_and_resume() {
    let file_dir = common::TempDir::new("crash-file");
    let file = file_dir.0.join("cases.jsonl");
    let lines: String = (0..CASES)
        .map(|n| serde_json::to_string(&synthetic::journey(n).unwrap()).unwrap() + "\n")
        .collect();
    std::fs::write(&file, lines).unwrap();
    let file = file.display().to_string();
    let key = Key::generate().unwrap();
    let key_hex = key.to_hex();
    for b in backends("crash").await {
        // Create the registry and its organisation first, as a server would have.
        Registry::open(&b.url, key.clone())
            .await
            .unwrap()
            .close()
            .await;
        let mut kills = 0;
        let mut partial = Vec::new();
        for (kind, args) in [
            (
                "import",
                vec!["import", file.as_str(), "--db", b.url.as_str()],
            ),
            ("requalify", vec!["requalify", "--db", b.url.as_str()]),
        ] {
            // Kill at growing delays until a run finishes before its kill.
            let mut delay = 150;
            loop {
                let mut child = delimit(&args, &key_hex);
                std::thread::sleep(Duration::from_millis(delay));
                let finished_early = child.try_wait().unwrap().is_some();
                let _ = child.kill();
                let _ = child.wait();
                let r = Registry::open(&b.url, key.clone()).await.unwrap();
                let (stored, finished) = check_whole(&r, kind).await;
                r.close().await;
                if finished_early || finished {
                    break;
                }
                kills += 1;
                partial.push(stored);
                delay += 120;
                assert!(kills < 60, "{}: {kind} never finished", b.name);
            }
            // Running it again completes the work, once.
            let status = delimit(&args, &key_hex).wait().unwrap();
            assert!(status.success(), "{}: {kind} resumed", b.name);
            let r = Registry::open(&b.url, key.clone()).await.unwrap();
            let (stored, finished) = check_whole(&r, kind).await;
            assert!(finished);
            assert_eq!(
                stored, CASES as i64,
                "{}: {kind} stored every case once",
                b.name
            );
            r.close().await;
        }
        assert!(
            kills >= 2,
            "{}: the runs were killed part-way ({partial:?})",
            b.name
        );
        assert!(
            partial.iter().any(|&n| n > 0 && n < CASES as i64),
            "{}: some kill fell in the middle of the work: {partial:?}",
            b.name
        );
        eprintln!("{}: {kills} kills, stored at each: {partial:?}", b.name);
    }
}
