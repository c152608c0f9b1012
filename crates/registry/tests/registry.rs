//! The registry on each back end: revisions, protected data, roles, audit, assessments,
//! statistics, bulk work, impact and backups.

mod common;

use common::*;
use delimit_registry::{
    ErrorKind, Identity, ImportFormat, Key, NewConsent, Reading, Registry, Role, StatusDecision,
    assess, synthetic,
};
use sqlx::{Column, Row};

fn identity() -> Identity {
    Identity {
        names: vec!["Rustam Nazarov".into()],
        contacts: vec!["+992 900 000 000".into()],
        documents: vec!["passport 400123456".into()],
        narrative: Some("Met the recruiter at the bazaar in Kulob.".into()),
    }
}

#[tokio::test]
async fn revisions_keep_history_and_protected_data_is_sealed() {
    for b in backends("revisions").await {
        let w = world(&b, Key::generate().unwrap()).await;
        let r = &w.registry;
        let case = brick_kiln();
        let created = r
            .create_case(&w.caseworker, &case, &identity())
            .await
            .unwrap();
        assert_eq!(created.revision, 1, "{}", b.name);

        // Without the identity: no free text, no names.
        let plain = r
            .case(&w.caseworker, &created.id, None, false)
            .await
            .unwrap();
        assert_eq!(plain.case.title, None);
        assert!(plain.identity.is_none());
        assert_eq!(plain.case.persons, case.persons);

        // With it: everything back, and the reading is in the audit log.
        let full = r
            .case(&w.caseworker, &created.id, None, true)
            .await
            .unwrap();
        assert_eq!(full.case, case, "{}", b.name);
        assert_eq!(full.identity, Some(identity()));
        let log = r.audit_log(&w.admin, 0, 1000).await.unwrap();
        assert!(log.iter().any(|e| e.action == "case.read_identity"
            && e.target == created.id
            && e.actor.contains(&w.caseworker.id)));

        // Nothing identifying lies in the database in clear.
        let rows = sqlx::query("SELECT body, protected FROM case_revisions")
            .fetch_all(r.pool())
            .await
            .unwrap();
        for row in rows {
            let body: String = row.try_get("body").unwrap();
            let sealed: Vec<u8> = row.try_get("protected").unwrap();
            assert!(!body.contains("Smuggled in a lorry"));
            for needle in [b"Nazarov".as_slice(), b"400123456", b"bazaar"] {
                assert!(!sealed.windows(needle.len()).any(|w| w == needle));
            }
        }

        // A change makes revision 2; the first stays as it was.
        let mut changed = case.clone();
        changed.persons[0].gender = delimit_case::timeline::Answer::Refused;
        let second = r
            .revise_case(&w.caseworker, &created.id, 1, &changed, None)
            .await
            .unwrap();
        assert_eq!(second.revision, 2);
        let first = r
            .case(&w.caseworker, &created.id, Some(1), true)
            .await
            .unwrap();
        assert_eq!(first.case, case);
        assert_eq!(first.identity, Some(identity()));
        let latest = r
            .case(&w.caseworker, &created.id, None, false)
            .await
            .unwrap();
        assert_eq!(latest.revision, 2);
        // A change that does not give the identity keeps it.
        let latest_identity = r
            .case(&w.caseworker, &created.id, None, true)
            .await
            .unwrap()
            .identity;
        assert_eq!(latest_identity, Some(identity()));
        assert_eq!(
            latest.case.persons[0].gender,
            delimit_case::timeline::Answer::Refused
        );
        assert_eq!(
            r.revisions(&w.caseworker, &created.id).await.unwrap().len(),
            2
        );

        // A change made from a stale revision is refused and stores nothing.
        let stale = r
            .revise_case(&w.caseworker, &created.id, 1, &case, None)
            .await
            .unwrap_err();
        assert_eq!(stale.kind, ErrorKind::Conflict);
        assert_eq!(
            r.revisions(&w.caseworker, &created.id).await.unwrap().len(),
            2
        );

        // Revisions cannot be changed behind the registry's back.
        let edit = sqlx::query("UPDATE case_revisions SET body = '{}'")
            .execute(r.pool())
            .await;
        assert!(edit.is_err(), "{}: revisions are append-only", b.name);
    }
}

#[tokio::test]
async fn roles_organisations_and_passwords_are_enforced_and_audited() {
    for b in backends("roles").await {
        let w = world(&b, Key::generate().unwrap()).await;
        let r = &w.registry;
        let created = r
            .create_case(&w.caseworker, &brick_kiln(), &identity())
            .await
            .unwrap();

        let denied = |e: delimit_registry::RegistryError| e.kind;
        // The analyst sees aggregates only.
        assert_eq!(
            denied(
                r.case(&w.analyst, &created.id, None, false)
                    .await
                    .unwrap_err()
            ),
            ErrorKind::Forbidden
        );
        assert!(r.cases(&w.analyst, "", 10).await.is_err());
        assert!(r.statistics(&w.analyst, "gender", None).await.is_ok());
        // Another organisation's caseworker sees nothing of this one's cases: not even that
        // the id exists.
        assert_eq!(
            denied(
                r.case(&w.stranger, &created.id, None, true)
                    .await
                    .unwrap_err()
            ),
            ErrorKind::NotFound
        );
        assert!(r.cases(&w.stranger, "", 10).await.unwrap().is_empty());
        // The investigator reads and decides, but does not change the case.
        assert!(
            r.case(&w.investigator, &created.id, None, true)
                .await
                .is_ok()
        );
        assert_eq!(
            denied(
                r.revise_case(&w.investigator, &created.id, 1, &brick_kiln(), None)
                    .await
                    .unwrap_err()
            ),
            ErrorKind::Forbidden
        );
        // Only administrators manage users and read the log.
        assert!(r.users(&w.caseworker).await.is_err());
        assert!(r.audit_log(&w.caseworker, 0, 10).await.is_err());
        assert!(
            r.create_user(&w.caseworker, "x1", PASSWORD, Role::Administrator)
                .await
                .is_err()
        );
        // The first-run path is closed once an administrator exists.
        let again = r
            .first_administrator("Field office", "intruder", PASSWORD)
            .await
            .unwrap_err();
        assert_eq!(again.kind, ErrorKind::Forbidden);

        // Passwords.
        assert!(r.sign_in("caseworker", PASSWORD).await.is_ok());
        let wrong = r
            .sign_in("caseworker", "not the password")
            .await
            .unwrap_err();
        assert_eq!(wrong.kind, ErrorKind::Unauthenticated);
        let nobody = r.sign_in("nobody", PASSWORD).await.unwrap_err();
        assert_eq!(
            nobody.message, wrong.message,
            "no hint which part was wrong"
        );
        let short = r
            .create_user(&w.admin, "short", "short", Role::Analyst)
            .await
            .unwrap_err();
        assert_eq!(short.code, "user.password");
        let stored: String =
            sqlx::query("SELECT password_hash FROM users WHERE username = 'caseworker'")
                .fetch_one(r.pool())
                .await
                .unwrap()
                .try_get("password_hash")
                .unwrap();
        assert!(stored.starts_with("$argon2id$"));

        // Sessions: the token opens it, another does not.
        let session = r.sign_in("investigator", PASSWORD).await.unwrap();
        let (user, csrf) = r.session(&session.token).await.unwrap();
        assert_eq!(user.role, Role::Investigator);
        assert_eq!(csrf, session.csrf);
        assert!(r.session("forged").await.is_err());
        r.sign_out(&session.token).await.unwrap();
        assert!(r.session(&session.token).await.is_err());

        // Every refusal above is in the log, with who tried (the stranger's in their own
        // organisation's entries, read here with every organisation's).
        let log = r
            .audit_log_everywhere(&delimit_registry::Operator::command_line(), 0, 1000)
            .await
            .unwrap();
        let refusals: Vec<_> = log.iter().filter(|e| e.outcome == "denied").collect();
        for (who, action) in [
            (&w.analyst.id, "case.read"),
            (&w.stranger.id, "case.read"),
            (&w.investigator.id, "case.revise"),
            (&w.caseworker.id, "audit.read"),
            (&w.caseworker.id, "auth.sign_in"),
        ] {
            assert!(
                refusals
                    .iter()
                    .any(|e| e.actor.contains(who.as_str()) && e.action == action),
                "{}: no refusal of {action} by {who} in {refusals:?}",
                b.name
            );
        }
        assert!(
            refusals
                .iter()
                .any(|e| e.action == "auth.sign_in" && e.actor.contains("nobody"))
        );
        assert_eq!(r.verify_audit(None).await.unwrap().broken_at, None);
    }
}

#[tokio::test]
async fn the_audit_chain_shows_tampering() {
    for b in backends("audit").await {
        let w = world(&b, Key::generate().unwrap()).await;
        let r = &w.registry;
        for _ in 0..3 {
            r.create_case(&w.caseworker, &brick_kiln(), &Identity::default())
                .await
                .unwrap();
        }
        let report = r.verify_audit(None).await.unwrap();
        assert!(report.entries >= 8, "{report:?}");
        assert_eq!(report.broken_at, None);
        // The database refuses a change...
        assert!(
            sqlx::query("UPDATE audit_log SET detail = 'nothing' WHERE seq = 3")
                .execute(r.pool())
                .await
                .is_err()
        );
        assert!(
            sqlx::query("DELETE FROM audit_log WHERE seq = 3")
                .execute(r.pool())
                .await
                .is_err()
        );
        // ...and one made around the guard shows in the chain.
        match b.name {
            "sqlite" => {
                sqlx::query("DROP TRIGGER audit_log_no_update")
                    .execute(r.pool())
                    .await
                    .unwrap();
            }
            _ => {
                sqlx::query("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")
                    .execute(r.pool())
                    .await
                    .unwrap();
            }
        }
        sqlx::query("UPDATE audit_log SET detail = 'nothing' WHERE seq = 3")
            .execute(r.pool())
            .await
            .unwrap();
        assert_eq!(
            r.verify_audit(None).await.unwrap().broken_at,
            Some(3),
            "{}",
            b.name
        );
    }
}

#[tokio::test]
async fn the_wrong_key_is_refused_before_anything_is_written() {
    for b in backends("key").await {
        let key = Key::generate().unwrap();
        let w = world(&b, key.clone()).await;
        w.registry
            .create_case(&w.caseworker, &brick_kiln(), &identity())
            .await
            .unwrap();
        w.registry.close().await;
        let err = Registry::open(&b.url, Key::generate().unwrap())
            .await
            .unwrap_err();
        assert_eq!(err.code, "registry.wrong_key", "{}", b.name);
        assert!(Registry::open(&b.url, key).await.is_ok());
    }
}

fn jsonl(cases: impl IntoIterator<Item = delimit_case::timeline::TimelineCase>) -> String {
    cases
        .into_iter()
        .map(|c| serde_json::to_string(&c).unwrap() + "\n")
        .collect()
}

#[tokio::test]
async fn imports_resume_never_duplicate_and_refuse_bad_files_whole() {
    for b in backends("import").await {
        let w = world(&b, Key::generate().unwrap()).await;
        let r = &w.registry;
        let file = jsonl((0..1200).map(|n| synthetic::journey(n).unwrap()));
        let mut seen = Vec::new();
        let report = r
            .import(
                &w.caseworker,
                file.as_bytes(),
                ImportFormat::JsonLines,
                &mut |p| seen.push(p.done),
            )
            .await
            .unwrap();
        assert_eq!(
            (report.total, report.imported, report.already),
            (1200, 1200, 0)
        );
        assert_eq!(seen.first(), Some(&0));
        assert_eq!(seen.last(), Some(&1200));
        // The same file again stores nothing twice.
        let again = r
            .import(
                &w.caseworker,
                file.as_bytes(),
                ImportFormat::JsonLines,
                &mut |_| {},
            )
            .await
            .unwrap();
        assert_eq!((again.imported, again.already), (0, 1200));
        let count: i64 = sqlx::query("SELECT COUNT(*) AS n FROM cases")
            .fetch_one(r.pool())
            .await
            .unwrap()
            .try_get("n")
            .unwrap();
        assert_eq!(count, 1200, "{}", b.name);

        // A bad record anywhere: nothing of the file is stored, and the line is named.
        let mut lines: Vec<String> = (5000..5010)
            .map(|n| serde_json::to_string(&synthetic::journey(n).unwrap()).unwrap())
            .collect();
        lines[7] = lines[7].replace("\"kind\":\"stay\"", "\"kind\":\"holiday\"");
        let bad = lines.join("\n");
        let err = r
            .import(
                &w.caseworker,
                bad.as_bytes(),
                ImportFormat::JsonLines,
                &mut |_| {},
            )
            .await
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::Invalid);
        assert!(err.message.contains("line 8"), "{}", err.message);
        let after: i64 = sqlx::query("SELECT COUNT(*) AS n FROM cases")
            .fetch_one(r.pool())
            .await
            .unwrap()
            .try_get("n")
            .unwrap();
        assert_eq!(after, 1200);
        // Another organisation may import the same file: its own cases.
        let theirs = r
            .import(
                &w.stranger,
                file.as_bytes(),
                ImportFormat::JsonLines,
                &mut |_| {},
            )
            .await
            .unwrap();
        assert_eq!((theirs.imported, theirs.already), (1200, 0), "{}", b.name);
        assert_eq!(r.cases(&w.caseworker, "", 1000).await.unwrap().len(), 1000);
        // The analyst may not import.
        assert!(
            r.import(
                &w.analyst,
                file.as_bytes(),
                ImportFormat::JsonLines,
                &mut |_| {}
            )
            .await
            .is_err()
        );
    }
}

/// The cases of the organisation, stored.
async fn cases_of(r: &Registry, organisation: &str) -> i64 {
    sqlx::query("SELECT COUNT(*) AS n FROM cases WHERE organisation = $1")
        .bind(organisation)
        .fetch_one(r.pool())
        .await
        .unwrap()
        .try_get("n")
        .unwrap()
}

/// An import is idempotent by the case's own id: a case imported into an organisation before,
/// by any file, is skipped and said to be; a file that gives one case twice is refused whole.
#[tokio::test]
async fn imports_store_each_case_id_once_per_organisation() {
    for b in backends("import-ids").await {
        let w = world(&b, Key::generate().unwrap()).await;
        let r = &w.registry;
        let org = w.caseworker.organisation.clone();
        let import = |who, text: String, format| async move {
            r.import(who, text.as_bytes(), format, &mut |_| {}).await
        };
        let journeys =
            |range: std::ops::Range<u64>| jsonl(range.map(|n| synthetic::journey(n).unwrap()));
        let first = import(&w.caseworker, journeys(0..300), ImportFormat::JsonLines)
            .await
            .unwrap();
        assert_eq!((first.imported, first.skipped), (300, 0), "{}", b.name);
        // The same file twice: nothing more is stored.
        let again = import(&w.caseworker, journeys(0..300), ImportFormat::JsonLines)
            .await
            .unwrap();
        assert_eq!((again.imported, again.skipped, again.already), (0, 0, 300));
        assert_eq!(cases_of(r, &org).await, 300, "{}", b.name);
        // Another file holding 100 of those cases and 100 new ones: the new ones are stored,
        // the others skipped, each named.
        let overlap = import(&w.caseworker, journeys(200..400), ImportFormat::JsonLines)
            .await
            .unwrap();
        assert_eq!(
            (overlap.total, overlap.imported, overlap.skipped),
            (200, 100, 100),
            "{}",
            b.name
        );
        assert_eq!(overlap.notes.len(), 100);
        assert!(
            overlap.notes[0].starts_with("line 1: case `synthetic-200` was imported before, as c-")
                && overlap.notes[0].ends_with("; skipped (the same as its revision 1)"),
            "{}",
            overlap.notes[0]
        );
        assert_eq!(cases_of(r, &org).await, 400, "{}", b.name);
        // A case given otherwise than stored is skipped too, and the note says so.
        let mut changed = synthetic::journey(7).unwrap();
        changed.persons[0].gender = delimit_case::timeline::Answer::Refused;
        let otherwise = import(&w.caseworker, jsonl([changed]), ImportFormat::JsonLines)
            .await
            .unwrap();
        assert_eq!((otherwise.imported, otherwise.skipped), (0, 1));
        assert!(
            otherwise.notes[0].contains(
                "skipped, though the file gives it otherwise than its revision 1: to change the stored case, revise it"
            ),
            "{}",
            otherwise.notes[0]
        );
        // Every line given twice: nothing of the file is stored, and each second line is
        // named with the first.
        let doubled: String = (5000..5010)
            .flat_map(|n| {
                let line = serde_json::to_string(&synthetic::journey(n).unwrap()).unwrap();
                [line.clone(), line]
            })
            .map(|line| line + "\n")
            .collect();
        let e = import(&w.caseworker, doubled, ImportFormat::JsonLines)
            .await
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Invalid);
        assert_eq!(
            e.message,
            "nothing was imported: line 2: case `synthetic-5000` is given twice in the file, first at line 1: give each case once"
        );
        assert_eq!(e.details.len(), 10);
        assert!(e.details[9].starts_with("line 20: case `synthetic-5009`"));
        assert_eq!(cases_of(r, &org).await, 400, "{}", b.name);
        // A key given twice in a line: refused, at the second.
        let line = r#"{"schema":"delimit.case/2","id":"k","persons":[{"id":"p"}],"id":"k2"}"#;
        let e = import(&w.caseworker, format!("{line}\n"), ImportFormat::JsonLines)
            .await
            .unwrap_err();
        assert_eq!(
            e.message,
            "nothing was imported: line 1, column 60: duplicate key `id`: the object gives it twice"
        );
        // HTCDS: a case is a person's row, by `dlm_CaseId` and `dlm_PersonId`.
        let head = "dlm_CaseId,dlm_PersonId,prs_Gender\n";
        let rows = "c1,p1,Feminine\nc1,p2,Masculine\n";
        let csv = import(
            &w.caseworker,
            format!("{head}{rows}"),
            ImportFormat::HtcdsCsv,
        )
        .await
        .unwrap();
        assert_eq!((csv.imported, csv.skipped), (2, 0), "{}", b.name);
        let more = import(
            &w.caseworker,
            format!("{head}{rows}c2,p1,Feminine\n"),
            ImportFormat::HtcdsCsv,
        )
        .await
        .unwrap();
        assert_eq!((more.imported, more.skipped), (1, 2), "{}", b.name);
        let e = import(
            &w.caseworker,
            format!("{head}c3,p1,Feminine\nc3,p1,Feminine\n"),
            ImportFormat::HtcdsCsv,
        )
        .await
        .unwrap_err();
        assert_eq!(
            e.message,
            "nothing was imported: case 2: case `c3`, person `p1`, is given twice in the file, first at case 1: give each case once"
        );
        assert_eq!(cases_of(r, &org).await, 403, "{}", b.name);
        // Another organisation stores its own cases of the same ids.
        let theirs = import(&w.stranger, journeys(0..300), ImportFormat::JsonLines)
            .await
            .unwrap();
        assert_eq!((theirs.imported, theirs.skipped), (300, 0), "{}", b.name);
        assert_eq!(cases_of(r, &org).await, 403, "{}", b.name);
    }
}

#[tokio::test]
async fn requalification_statistics_and_impact_agree_with_the_engine() {
    let kb = kb();
    for b in backends("requalify").await {
        let w = world(&b, Key::generate().unwrap()).await;
        let r = &w.registry;
        let cases: Vec<_> = (0..400).map(|n| synthetic::journey(n).unwrap()).collect();
        r.import(
            &w.caseworker,
            jsonl(cases.clone()).as_bytes(),
            ImportFormat::JsonLines,
            &mut |_| {},
        )
        .await
        .unwrap();
        let reading = Reading {
            kb,
            doctrines: &[],
            as_of: None,
        };
        let report = r.requalify(&w.admin, reading, &mut |_| {}).await.unwrap();
        assert_eq!((report.total, report.assessed), (400, 400), "{}", b.name);
        // Resuming a finished job assesses nothing more.
        let again = r.requalify(&w.admin, reading, &mut |_| {}).await.unwrap();
        assert_eq!(again.assessed, 0);
        assert!(
            r.requalify(&w.caseworker, reading, &mut |_| {})
                .await
                .is_err()
        );

        // Statistics count what the engine finds, cell by cell, with small cells hidden.
        let mut expected: std::collections::BTreeMap<String, i64> = Default::default();
        for c in &cases {
            let q = assess(kb, c, &[], None);
            let mut mine: Vec<&String> = q
                .facets
                .iter()
                .filter(|(_, d, _)| d == "qualification")
                .map(|(_, _, v)| v)
                .collect();
            mine.dedup();
            for v in mine {
                *expected.entry(v.clone()).or_default() += 1;
            }
        }
        assert!(!expected.is_empty());
        let table = r
            .statistics(&w.analyst, "qualification", None)
            .await
            .unwrap();
        let k = i64::from(table.k);
        for cell in &table.cells {
            let n = expected[&cell.value];
            match cell.count {
                Some(c) => assert_eq!(c, n, "{}: {}", b.name, cell.value),
                None => assert!(cell.suppressed),
            }
            if n < k {
                assert!(cell.suppressed, "{} counts {n} < {k}", cell.value);
            }
        }
        assert_eq!(table.cells.len(), expected.len());
        let trafficking = table
            .cells
            .iter()
            .find(|c| c.value == "trafficking_in_persons");
        if let Some(c) = trafficking {
            assert_eq!(c.iccs.as_deref(), Some("0204"));
        }
        let genders = r.statistics(&w.analyst, "gender", None).await.unwrap();
        let unknown = cases
            .iter()
            .filter(|c| {
                c.persons[0].gender
                    == delimit_case::timeline::Answer::Known(
                        delimit_case::timeline::Gender::NonSpecifiedUnknown,
                    )
            })
            .count() as i64;
        // The total counts everyone: the persons whose gender is not recorded count under a
        // value of their own (they were left out before, which a filter's total then told).
        assert_eq!(genders.total, Some(400), "{}", b.name);
        let not_recorded = genders
            .cells
            .iter()
            .find(|c| c.value == delimit_registry::NOT_RECORDED)
            .unwrap();
        assert!(not_recorded.count.is_none_or(|n| n == unknown));
        let within = r
            .statistics(&w.analyst, "age", Some(("gender", "Woman")))
            .await
            .unwrap();
        let women = genders.cells.iter().find(|c| c.value == "Woman").unwrap();
        // Within a value, the total is that value's cell of its own table, published or
        // suppressed alike (it was counted apart, and could differ, before).
        assert_eq!(within.total, women.count);
        assert!(r.statistics(&w.analyst, "names", None).await.is_err());
        assert!(table.to_csv().starts_with("qualification,count,suppressed"));

        // Impact of the reform: every change listed is a real difference of the engine's.
        let reform = kb
            .doctrines
            .iter()
            .position(|d| d.kind == delimit_law::ast::ReadingKind::Reform)
            .expect("the knowledge base has a reform");
        let with_reform = [reform];
        let impact = r
            .impact(
                &w.caseworker,
                reading,
                Reading {
                    kb,
                    doctrines: &with_reform,
                    as_of: None,
                },
                &mut |_| {},
            )
            .await
            .unwrap();
        assert_eq!(impact.cases, 400);
        let mut changed = 0;
        for c in &cases {
            let before = assess(kb, c, &[], None).summary;
            let after = assess(kb, c, &with_reform, None).summary;
            changed += u64::from(before != after);
        }
        assert_eq!(impact.changed, changed, "{}", b.name);
        assert_eq!(impact.list.len() as u64, changed);
        for change in &impact.list {
            assert!(!change.changes.is_empty());
        }
    }
}

#[tokio::test]
async fn decisions_consent_and_interviews_are_recorded_apart() {
    for b in backends("decisions").await {
        let w = world(&b, Key::generate().unwrap()).await;
        let r = &w.registry;
        let created = r
            .create_case(&w.caseworker, &brick_kiln(), &identity())
            .await
            .unwrap();
        let decision = StatusDecision {
            id: String::new(),
            person: "worker".into(),
            status: "PossibleVictimOfTrafficking".into(),
            decision_maker: "NGO".into(),
            decided_on: "2024-07-01".into(),
            recorded: String::new(),
            recorded_by: String::new(),
        };
        let stored = r
            .decide_status(&w.investigator, &created.id, &decision)
            .await
            .unwrap();
        assert_eq!(stored.recorded_by, w.investigator.id);
        for (field, bad) in [
            (
                "status",
                StatusDecision {
                    status: "Victim".into(),
                    ..decision.clone()
                },
            ),
            (
                "decision_maker",
                StatusDecision {
                    decision_maker: "Me".into(),
                    ..decision.clone()
                },
            ),
            (
                "date",
                StatusDecision {
                    decided_on: "2999-01-01".into(),
                    ..decision.clone()
                },
            ),
            (
                "person",
                StatusDecision {
                    person: "nobody".into(),
                    ..decision.clone()
                },
            ),
        ] {
            let e = r
                .decide_status(&w.investigator, &created.id, &bad)
                .await
                .unwrap_err();
            assert_eq!(e.kind, ErrorKind::Invalid, "{field}");
        }
        assert_eq!(
            r.status_decisions(&w.caseworker, &created.id)
                .await
                .unwrap()
                .len(),
            1
        );
        assert!(
            r.decide_status(&w.analyst, &created.id, &decision)
                .await
                .is_err()
        );

        let consent = r
            .record_consent(
                &w.caseworker,
                &NewConsent {
                    case: Some(created.id.clone()),
                    interview: None,
                    person: Some("worker".into()),
                    purpose: "storage of the case".into(),
                    given: true,
                },
            )
            .await
            .unwrap();
        r.withdraw_consent(&w.caseworker, &consent.id)
            .await
            .unwrap();
        let consents = r.consents(&w.caseworker, &created.id).await.unwrap();
        assert_eq!(consents.len(), 1);
        assert!(consents[0].withdrawn.is_some());
        assert!(
            r.withdraw_consent(&w.caseworker, &consent.id)
                .await
                .is_err()
        );

        let state = serde_json::json!({"answers": [["consent", "yes"]]});
        let id = r
            .save_interview(&w.caseworker, None, "ru", &state, false)
            .await
            .unwrap();
        let back = r.interview(&w.caseworker, &id).await.unwrap();
        assert_eq!(
            (back.state, back.lang.as_str(), back.finished),
            (state, "ru", false)
        );
        assert!(r.interview(&w.stranger, &id).await.is_err());

        // An assessment keeps the law's hash and the full result; decisions stay apart.
        let a = r
            .assess_case(&w.investigator, kb(), &created.id, &[], None)
            .await
            .unwrap();
        assert_eq!(a.knowledge_base, kb().hash);
        assert!(a.result.is_some());
        assert!(a.summary.keys().any(|k| k.starts_with("person worker")));
        let history = r
            .assessments(&w.caseworker, &created.id, false)
            .await
            .unwrap();
        assert_eq!(history.len(), 1);
        assert!(history[0].result.is_none());
    }
}

#[tokio::test]
async fn statistics_rows_have_the_ctdc_columns() {
    for b in backends("columns").await {
        let w = world(&b, Key::generate().unwrap()).await;
        let r = &w.registry;
        r.create_case(&w.caseworker, &brick_kiln(), &Identity::default())
            .await
            .unwrap();
        let row = sqlx::query("SELECT * FROM persons")
            .fetch_one(r.pool())
            .await
            .unwrap();
        let names: Vec<&str> = row.columns().iter().map(|c| c.name()).collect();
        let mut expected = vec!["case_id", "person"];
        expected.extend(delimit_case::htcds::ctdc_columns());
        assert_eq!(names, expected, "{}", b.name);
        // The example's worker, counted once in each dimension the case tells.
        let gender = r.statistics(&w.analyst, "gender", None).await.unwrap();
        assert_eq!(gender.total, None, "one person is under k");
        assert!(gender.cells.iter().all(|c| c.suppressed));
        let mut open = r.clone();
        open.set_minimum_cell(2).unwrap();
        assert!(open.set_minimum_cell(1).is_err());
    }
}

#[tokio::test]
async fn a_sqlite_registry_is_backed_up_online() {
    let b = backends("backup").await.remove(0);
    let key = Key::generate().unwrap();
    let w = world(&b, key.clone()).await;
    let created = w
        .registry
        .create_case(&w.caseworker, &brick_kiln(), &identity())
        .await
        .unwrap();
    let copy = b.dir.0.join("copy.db");
    w.registry.backup(&copy).await.unwrap();
    assert_eq!(
        w.registry.backup(&copy).await.unwrap_err().code,
        "backup.exists",
        "a backup never overwrites"
    );
    let restored = Registry::open(&delimit_registry::sqlite_url(&copy), key)
        .await
        .unwrap();
    let back = restored
        .case(&w.caseworker, &created.id, None, true)
        .await
        .unwrap();
    assert_eq!(back.identity, Some(identity()));
    assert_eq!(restored.verify_audit(None).await.unwrap().broken_at, None);
}
