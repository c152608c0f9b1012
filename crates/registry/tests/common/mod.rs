//! What the registry tests share: the law of this checkout, and a fresh registry on each
//! back end: SQLite in a temporary file always, PostgreSQL when `DELIMIT_TEST_POSTGRES_URL`
//! names a server (`.ci/run` starts one; `DELIMIT_REQUIRE_POSTGRES=1` makes its absence an
//! error rather than a skipped back end).

#![allow(dead_code)] // each test file uses part of it

use delimit_law::KnowledgeBase;
use delimit_registry::{Key, Operator, Principal, Registry, Role, sqlite_url};
use sqlx::Connection;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub fn kb() -> &'static KnowledgeBase {
    static KB: OnceLock<KnowledgeBase> = OnceLock::new();
    KB.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../law");
        delimit_law::compile(&delimit_law::load::read_dir(&dir).expect("law"))
            .kb
            .expect("law checks")
    })
}

/// A folder that is removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let mut bytes = [0u8; 6];
        getrandom::fill(&mut bytes).unwrap();
        let dir = std::env::temp_dir().join(format!("delimit-{name}-{}", hex::encode(bytes)));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Where a test's registry lives; keeps its temporary folder alive.
pub struct Backend {
    pub name: &'static str,
    pub url: String,
    pub dir: TempDir,
}

async fn fresh_postgres(admin: &str) -> String {
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(admin)
        .await
        .expect("the PostgreSQL server of DELIMIT_TEST_POSTGRES_URL answers");
    let mut bytes = [0u8; 6];
    getrandom::fill(&mut bytes).unwrap();
    let name = format!("delimit_test_{}", hex::encode(bytes));
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .expect("create a test database");
    let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(admin);
    format!("{base}/{name}")
}

/// A fresh, empty registry location on every back end available.
pub async fn backends(test: &str) -> Vec<Backend> {
    let dir = TempDir::new(test);
    let mut out = vec![Backend {
        name: "sqlite",
        url: sqlite_url(&dir.0.join("registry.db")),
        dir,
    }];
    match std::env::var("DELIMIT_TEST_POSTGRES_URL") {
        Ok(admin) => out.push(Backend {
            name: "postgres",
            url: fresh_postgres(&admin).await,
            dir: TempDir::new(test),
        }),
        Err(_)
            if std::env::var("DELIMIT_REQUIRE_POSTGRES").is_ok_and(|v| v == "1")
                || std::env::var_os("CI").is_some() =>
        {
            panic!("DELIMIT_REQUIRE_POSTGRES=1 or CI, but DELIMIT_TEST_POSTGRES_URL is not set")
        }
        Err(_) => eprintln!(
            "{test}: PostgreSQL not tested (set DELIMIT_TEST_POSTGRES_URL; scripts/test-postgres.sh starts a server)"
        ),
    }
    out
}

/// A registry with one organisation, its administrator and a caseworker, and a second
/// organisation with its caseworker; and an analyst.
pub struct World {
    pub registry: Registry,
    pub admin: Principal,
    pub caseworker: Principal,
    pub investigator: Principal,
    pub analyst: Principal,
    pub stranger: Principal,
    /// The administrator of the other organisation.
    pub other_admin: Principal,
}

pub const PASSWORD: &str = "correct horse battery";

/// Who asks, in the access tests: no session, each role, and a caseworker of another
/// organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    Nobody,
    Admin,
    Caseworker,
    Investigator,
    Analyst,
    /// A caseworker of another organisation.
    Stranger,
    /// The administrator of another organisation.
    OtherAdmin,
}

pub const EVERYONE: [Who; 7] = [
    Who::Nobody,
    Who::Admin,
    Who::Caseworker,
    Who::Investigator,
    Who::Analyst,
    Who::Stranger,
    Who::OtherAdmin,
];

impl World {
    /// The example journey, stored by the field office's caseworker.
    pub async fn example_case(&self) -> delimit_registry::StoredCaseSummary {
        self.registry
            .create_case(&self.caseworker, &brick_kiln(), &Default::default())
            .await
            .expect("the example journey is stored")
    }

    /// The user of `who`, if any.
    pub fn principal(&self, who: Who) -> Option<&Principal> {
        Some(match who {
            Who::Nobody => return None,
            Who::Admin => &self.admin,
            Who::Caseworker => &self.caseworker,
            Who::Investigator => &self.investigator,
            Who::Analyst => &self.analyst,
            Who::Stranger => &self.stranger,
            Who::OtherAdmin => &self.other_admin,
        })
    }

    /// A fresh session of `who`, if any.
    pub async fn session(&self, who: Who) -> Option<delimit_registry::Session> {
        let user = self.principal(who)?;
        Some(
            self.registry
                .sign_in(&user.username, PASSWORD)
                .await
                .expect("sign-in"),
        )
    }

    /// How many refusals of `who` the audit log holds.
    pub async fn denials(&self, who: Who) -> usize {
        let Some(p) = self.principal(who) else {
            return 0;
        };
        self.registry
            .audit_log_everywhere(&Operator::command_line(), 0, 100_000)
            .await
            .expect("the audit log")
            .iter()
            .filter(|e| e.outcome == "denied" && e.actor.contains(&p.id))
            .count()
    }
}

pub async fn world(backend: &Backend, key: Key) -> World {
    let registry = Registry::open(&backend.url, key).await.expect("open");
    let admin = registry
        .first_administrator("Field office", "admin", PASSWORD)
        .await
        .expect("first administrator")
        .principal();
    // Users of the first organisation are made by its administrator; those of another only
    // by the command line's operator, as no administrator can reach another organisation.
    let make = |name: &'static str, org: &'static str, role: Role| {
        let registry = registry.clone();
        let admin = admin.clone();
        async move {
            let user = if org == "Field office" {
                registry.create_user(&admin, name, PASSWORD, role).await
            } else {
                registry
                    .create_user_in(&Operator::command_line(), org, name, PASSWORD, role)
                    .await
            };
            user.expect("user").principal()
        }
    };
    World {
        caseworker: make("caseworker", "Field office", Role::Caseworker).await,
        investigator: make("investigator", "Field office", Role::Investigator).await,
        analyst: make("analyst", "Field office", Role::Analyst).await,
        stranger: make("stranger", "Other office", Role::Caseworker).await,
        other_admin: make("other-admin", "Other office", Role::Administrator).await,
        registry,
        admin,
    }
}

/// The example journey of the repository (shared scenario S5).
pub fn brick_kiln() -> delimit_case::timeline::TimelineCase {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/brick-kiln-journey.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    delimit_registry::parse_case(kb(), &text).expect("the example reads")
}
