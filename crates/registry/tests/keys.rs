//! The registry's key and its sessions, on each back end: a key rotated seals everything again
//! under the new key in one go, keeps the audit chain and its kept heads verifiable, and
//! leaves the old key useless; sessions end on a password change and after a time unused.

mod common;

use common::*;
use delimit_registry::{ErrorKind, Identity, Key, Operator, Registry};
use sqlx::Row;
use std::time::Duration;

fn identity() -> Identity {
    Identity {
        names: vec!["Zarina Karimova".into()],
        ..Identity::default()
    }
}

async fn protected_bytes(r: &Registry) -> Vec<Vec<u8>> {
    sqlx::query("SELECT protected FROM case_revisions ORDER BY case_id, revision")
        .fetch_all(r.pool())
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get("protected").unwrap())
        .collect()
}

#[tokio::test]
async fn a_rotated_key_seals_everything_again_and_the_chain_still_verifies() {
    for b in backends("rotate").await {
        let old = Key::generate().unwrap();
        let w = world(&b, old.clone()).await;
        let r = &w.registry;
        let c = r
            .create_case(&w.caseworker, &brick_kiln(), &identity())
            .await
            .unwrap();
        let answers = serde_json::json!({"answers": [["consent", "yes"]]});
        let interview = r
            .save_interview(&w.caseworker, None, "tg", &answers, false)
            .await
            .unwrap();
        let before = r.verify_audit(None).await.unwrap();
        assert!(before.intact(), "{}", b.name);
        let sealed_before = protected_bytes(r).await;

        let new = Key::generate().unwrap();
        let rotation = r.rotate_key(&Operator::command_line(), &new).await.unwrap();
        assert_eq!(rotation.revisions, 1, "{}", b.name);
        assert_eq!(rotation.interviews, 1, "{}", b.name);
        assert_eq!(rotation.new_fingerprint, new.fingerprint());

        // The old key no longer opens the registry; the new one opens all of it.
        let refused = Registry::open(&b.url, old.clone()).await.unwrap_err();
        assert_eq!(refused.code, "registry.wrong_key", "{}", b.name);
        let r2 = Registry::open(&b.url, new.clone()).await.unwrap();
        let sealed_after = protected_bytes(&r2).await;
        assert_eq!(sealed_before.len(), sealed_after.len());
        assert!(
            sealed_before.iter().zip(&sealed_after).all(|(a, b)| a != b),
            "every revision sealed again"
        );
        let read = r2.case(&w.caseworker, &c.id, None, true).await.unwrap();
        assert_eq!(
            read.identity.map(|i| i.names),
            Some(vec!["Zarina Karimova".to_string()]),
            "{}",
            b.name
        );
        assert_eq!(
            r2.interview(&w.caseworker, &interview).await.unwrap().state,
            answers
        );
        // The chain verifies across the rotation, and the head kept before it is still in it.
        r2.case(&w.caseworker, &c.id, None, false).await.unwrap();
        let after = r2.verify_audit(Some(&before.head)).await.unwrap();
        assert!(after.intact(), "{}: {after:?}", b.name);
        assert_eq!(after.head_matches, Some(true), "{}", b.name);
        let rotated = r2
            .audit_log_everywhere(&Operator::command_line(), 0, 1000)
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.action == "key.rotate")
            .count();
        assert_eq!(rotated, 1, "the rotation is in the audit log");

        // A second rotation keeps the first epoch's entries verifiable.
        let third = Key::generate().unwrap();
        r2.rotate_key(&Operator::command_line(), &third)
            .await
            .unwrap();
        let r3 = Registry::open(&b.url, third).await.unwrap();
        r3.create_case(&w.caseworker, &brick_kiln(), &identity())
            .await
            .unwrap();
        let again = r3.verify_audit(Some(&before.head)).await.unwrap();
        assert!(again.intact(), "{}: {again:?}", b.name);
        assert_eq!(again.head_matches, Some(true));
        assert!(Registry::open(&b.url, new).await.is_err());
    }
}

#[tokio::test]
async fn rotating_to_the_same_key_is_refused() {
    let b = backends("rotate-same").await.remove(0);
    let key = Key::generate().unwrap();
    let w = world(&b, key.clone()).await;
    let e = w
        .registry
        .rotate_key(&Operator::command_line(), &key)
        .await
        .unwrap_err();
    assert_eq!(e.code, "key.same");
}

#[tokio::test]
async fn a_password_change_ends_every_session_of_the_user() {
    for b in backends("password-change").await {
        let w = world(&b, Key::generate().unwrap()).await;
        let r = &w.registry;
        let one = w.session(Who::Caseworker).await.unwrap();
        let two = w.session(Who::Caseworker).await.unwrap();
        let admin = w.session(Who::Admin).await.unwrap();
        let wrong = r
            .change_password(&w.caseworker, "not the password", "lilac river 71 Dushanbe")
            .await
            .unwrap_err();
        assert_eq!(wrong.kind, ErrorKind::Unauthenticated, "{}", b.name);
        let weak = r
            .change_password(&w.caseworker, PASSWORD, "password123")
            .await
            .unwrap_err();
        assert_eq!(weak.code, "user.password_common", "{}", b.name);
        assert!(r.session(&one.token).await.is_ok(), "refusals end nothing");

        let ended = r
            .change_password(&w.caseworker, PASSWORD, "lilac river 71 Dushanbe")
            .await
            .unwrap();
        assert_eq!(ended, 2, "{}", b.name);
        for s in [&one, &two] {
            assert_eq!(r.session(&s.token).await.unwrap_err().code, "auth.session");
        }
        assert!(
            r.session(&admin.token).await.is_ok(),
            "other users keep theirs"
        );
        let user = &w.caseworker.username;
        assert!(r.sign_in(user, PASSWORD).await.is_err());
        let fresh = r.sign_in(user, "lilac river 71 Dushanbe").await.unwrap();

        // The command line's reset ends sessions too.
        let ended = r
            .set_password_by_operator(
                &Operator::command_line(),
                &w.caseworker.id,
                "apricot valley 19 Khujand",
            )
            .await
            .unwrap();
        assert_eq!(ended, 1);
        assert!(r.session(&fresh.token).await.is_err());
        assert!(r.sign_in(user, "apricot valley 19 Khujand").await.is_ok());
    }
}

#[tokio::test]
async fn a_session_left_unused_ends() {
    for b in backends("idle-session").await {
        let w = world(&b, Key::generate().unwrap()).await;
        let mut r = w.registry.clone();
        r.set_session_idle(Duration::from_millis(400));
        let s = w.session(Who::Caseworker).await.unwrap();
        assert!(r.session(&s.token).await.is_ok(), "{}", b.name);
        tokio::time::sleep(Duration::from_millis(700)).await;
        let e = r.session(&s.token).await.unwrap_err();
        assert!(e.message.contains("without use"), "{}: {e:?}", b.name);
        // Ended, not only refused: the default idle time does not bring it back.
        assert!(w.registry.session(&s.token).await.is_err());
    }
}
