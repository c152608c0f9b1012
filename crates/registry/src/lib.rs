//! The case registry: cases told as timelines and their revisions, dated assessments,
//! screening interviews, consent records, formal status decisions, users with roles, a
//! hash-chained audit log and k-anonymised statistics, in embedded SQLite (the default, one
//! file) or PostgreSQL (shared use), through one interface.
//!
//! Every operation takes the [`Principal`] acting and checks its role and organisation here,
//! so that the command line and the server enforce the same rules. Identifying data and free
//! text are encrypted before they reach the database, and every read of them and every change
//! is written to the audit log in the same transaction as the change.
//!
//! This crate knows the case model, the engine and the knowledge base it is handed; it knows
//! nothing of HTTP, terminals or languages of the interface.

mod audit;
mod bulk;
mod cases;
mod crypto;
mod qualify;
mod rotate;
mod seals;
mod sessions;
mod stats;
pub mod synthetic;
mod users;

pub use audit::{AuditEntry, AuditReport};
pub use bulk::{
    ImpactChange, ImpactReport, ImportFormat, ImportReport, MAX_IMPORT_BYTES, Progress, Reading,
    RequalifyReport,
};
pub use cases::{
    Consent, Identity, InterviewRecord, NewConsent, RevisionInfo, StatusDecision, StoredAssessment,
    StoredCase, StoredCaseSummary, parse_case, parse_case_value,
};
pub use crypto::{Key, KeySource};
pub use qualify::{Qualification, assess, assess_with, summary_of};
pub use rotate::Rotation;
pub use sessions::SESSION_IDLE;
pub use stats::{Cell, NOT_RECORDED, Statistics, StatisticsPolicy, Table, dimensions};
pub use users::{MIN_PASSWORD, Operator, Session, User, Weakness, password_weakness};

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, AssertSqlSafe, Row, SqlSafeStr};
use std::fmt;

/// Which database the registry lives in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// What a user may do, by role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages users, reads the audit log, runs bulk work; reads and writes the cases of the
    /// organisation.
    Administrator,
    /// Creates and changes the organisation's cases, runs interviews, records consent.
    Caseworker,
    /// Reads the organisation's cases, assesses them and records status decisions.
    Investigator,
    /// Sees aggregates only.
    Analyst,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Administrator,
        Role::Caseworker,
        Role::Investigator,
        Role::Analyst,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::Caseworker => "caseworker",
            Role::Investigator => "investigator",
            Role::Analyst => "analyst",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.name() == s)
    }

    /// Whether the role reads cases and interviews (all but the analyst).
    pub fn reads_cases(self) -> bool {
        !matches!(self, Role::Analyst)
    }

    /// Whether the role records and changes cases and interviews.
    pub fn writes_cases(self) -> bool {
        matches!(self, Role::Administrator | Role::Caseworker)
    }

    fn decides_status(self) -> bool {
        matches!(
            self,
            Role::Administrator | Role::Caseworker | Role::Investigator
        )
    }
}

/// Who is acting: a signed-in user, or the command line run by whoever holds the database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    /// The user's id, or `system` for the command line.
    pub id: String,
    pub username: String,
    pub organisation: String,
    pub role: Role,
}

impl Principal {
    /// The command line acting for an organisation: an administrator of it, recorded in the
    /// audit log as `system`.
    pub fn system(organisation: &str) -> Principal {
        Principal {
            id: "system".into(),
            username: "system".into(),
            organisation: organisation.into(),
            role: Role::Administrator,
        }
    }
}

/// What went wrong, with a stable code for programs and a message for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryError {
    pub kind: ErrorKind,
    /// Stable, such as `case.not_found` or `auth.forbidden`.
    pub code: &'static str,
    pub message: String,
    /// Each problem found in the input, located (`case:12:5: …`), when there are several.
    pub details: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Bad input: nothing was changed.
    Invalid,
    /// Not signed in, or a wrong password.
    Unauthenticated,
    /// Signed in, but the role or organisation does not allow it.
    Forbidden,
    NotFound,
    /// The request conflicts with what is stored (a revision moved on, a name taken).
    Conflict,
    /// The database or the key failed.
    Storage,
}

impl RegistryError {
    pub fn new(kind: ErrorKind, code: &'static str, message: impl Into<String>) -> Self {
        RegistryError {
            kind,
            code,
            message: message.into(),
            details: Vec::new(),
        }
    }

    pub fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Invalid, code, message)
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Forbidden, "auth.forbidden", message)
    }

    pub fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotFound, code, message)
    }

    /// A record of another organisation, answered as an unknown one so that its id tells
    /// nothing; the refusal recorded in the audit log says what it was.
    pub fn elsewhere(code: &'static str, what: &str, id: &str) -> Self {
        let mut e = Self::not_found(code, format!("no {what} {id}"));
        e.details
            .push(format!("the {what} belongs to another organisation"));
        e
    }

    pub fn storage(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Storage, "storage.failed", message)
    }
}

impl fmt::Display for RegistryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

impl std::error::Error for RegistryError {}

impl From<sqlx::Error> for RegistryError {
    fn from(e: sqlx::Error) -> Self {
        RegistryError::storage(format!("database: {e}"))
    }
}

pub type Result<T, E = RegistryError> = std::result::Result<T, E>;

/// The registry: a pool of connections to one database, and the key of its protected data.
#[derive(Clone)]
pub struct Registry {
    pool: AnyPool,
    backend: Backend,
    key: Key,
    /// The key of the audit chain's MACs and of the revisions' seals, derived from `key`.
    audit_key: [u8; 32],
    seal_key: [u8; 32],
    /// Audit entries up to this one predate the keyed chain.
    audit_keyed_after: i64,
    /// The chain keys of earlier registry keys (see `rotate`), each with the last entry it
    /// made, oldest first; later entries are under `audit_key`.
    audit_epochs: Vec<(i64, [u8; 32])>,
    /// How long a session may go without a request, in microseconds.
    session_idle_us: i64,
    policy: StatisticsPolicy,
}

impl fmt::Debug for Registry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Registry")
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

/// What the keys derived from the registry's key are for.
pub(crate) const AUDIT_PURPOSE: &str = "delimit audit chain";
pub(crate) const SEAL_PURPOSE: &str = "delimit case revision seal";

const SCHEMA: &str = include_str!("../migrations/0001_registry.sql");
const APPEND_ONLY_SQLITE: &str = include_str!("../migrations/0002_append_only.sqlite.sql");
const APPEND_ONLY_POSTGRES: &str = include_str!("../migrations/0002_append_only.postgres.sql");
const TENANCY_SQLITE: &str = include_str!("../migrations/0003_tenancy_seals.sqlite.sql");
const TENANCY_POSTGRES: &str = include_str!("../migrations/0003_tenancy_seals.postgres.sql");
const IDLE_SESSIONS: &str = include_str!("../migrations/0004_idle_sessions.sql");

fn migrator(backend: Backend) -> Migrator {
    let (schema, append_only, tenancy) = match backend {
        Backend::Sqlite => (SCHEMA.to_string(), APPEND_ONLY_SQLITE, TENANCY_SQLITE),
        Backend::Postgres => (
            SCHEMA.replace(" BLOB ", " BYTEA "),
            APPEND_ONLY_POSTGRES,
            TENANCY_POSTGRES,
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
        Migration::new(
            3,
            "tenancy-and-seals".into(),
            MigrationType::Simple,
            AssertSqlSafe(tenancy.to_string()).into_sql_str(),
            false,
        ),
        Migration::new(
            4,
            "idle-sessions".into(),
            MigrationType::Simple,
            AssertSqlSafe(IDLE_SESSIONS.to_string()).into_sql_str(),
            false,
        ),
    ])
}

/// The connection URL of a SQLite database in a file, created when missing.
pub fn sqlite_url(path: &std::path::Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}

impl Registry {
    /// Opens (and creates, for SQLite) the database at `url`, applies the migrations it lacks,
    /// and checks that `key` is the key its protected data was written with.
    pub async fn open(url: &str, key: Key) -> Result<Registry> {
        install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(RegistryError::invalid(
                "registry.url",
                format!("`{url}` is neither a sqlite: nor a postgres: URL"),
            ));
        };
        if let Some(file) = seals::sqlite_file(url) {
            seals::create_private(&file)?;
            private_files(&file);
        }
        let connections = match backend {
            // One writer at a time in any case; readers share the write-ahead log.
            Backend::Sqlite => 4,
            Backend::Postgres => 16,
        };
        let pool = AnyPoolOptions::new()
            .max_connections(connections)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        sqlx::query("PRAGMA journal_mode = WAL")
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("PRAGMA foreign_keys = ON")
                            .execute(&mut *conn)
                            .await?;
                        // Index pages are read through memory maps and a larger cache rather
                        // than a system call each: bulk work touches indexes all over.
                        sqlx::query("PRAGMA mmap_size = 1073741824")
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("PRAGMA cache_size = -32768")
                            .execute(&mut *conn)
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect(url)
            .await
            .map_err(|e| RegistryError::storage(format!("cannot open the registry: {e}")))?;
        migrator(backend)
            .run(&pool)
            .await
            .map_err(|e| RegistryError::storage(format!("cannot migrate the registry: {e}")))?;
        let mut registry = Registry {
            pool,
            backend,
            audit_key: key.derive(AUDIT_PURPOSE),
            seal_key: key.derive(SEAL_PURPOSE),
            key,
            audit_keyed_after: 0,
            audit_epochs: Vec::new(),
            session_idle_us: i64::try_from(SESSION_IDLE.as_micros()).unwrap_or(i64::MAX),
            policy: StatisticsPolicy::bundled()?,
        };
        registry.check_key().await?;
        registry.audit_keyed_after = registry.key_the_audit_chain().await?;
        registry.audit_epochs = registry.read_audit_epochs().await?;
        registry.seal_earlier_revisions().await?;
        registry.seal_earlier_interviews().await?;
        Ok(registry)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The statistics policy (minimum cell size, crime codes) in force.
    pub fn policy(&self) -> &StatisticsPolicy {
        &self.policy
    }

    /// Sets the minimum cell size of published statistics.
    pub fn set_minimum_cell(&mut self, k: u32) -> Result<()> {
        if k < 2 {
            return Err(RegistryError::invalid(
                "statistics.k",
                "a minimum cell size under 2 publishes single persons",
            ));
        }
        self.policy.k = k;
        Ok(())
    }

    /// Records the key's fingerprint on first use and refuses another key later: data written
    /// under two keys could not all be read.
    async fn check_key(&self) -> Result<()> {
        let fingerprint = self.key.fingerprint();
        let stored: Option<String> =
            sqlx::query("SELECT value FROM settings WHERE name = 'key_fingerprint'")
                .fetch_optional(&self.pool)
                .await?
                .map(|r| r.try_get("value"))
                .transpose()?;
        match stored {
            Some(f) if f == fingerprint => Ok(()),
            Some(_) => Err(RegistryError::new(
                ErrorKind::Storage,
                "registry.wrong_key",
                "this registry's protected data was written with another key; give the key it was created with (DELIMIT_KEY or DELIMIT_KEY_FILE)",
            )),
            None => {
                sqlx::query(
                    "INSERT INTO settings (name, value) VALUES ('key_fingerprint', $1) ON CONFLICT (name) DO NOTHING",
                )
                .bind(fingerprint)
                .execute(&self.pool)
                .await?;
                Ok(())
            }
        }
    }

    /// An online copy of a SQLite registry into a new file, consistent even while the server
    /// writes (`VACUUM INTO`). PostgreSQL registries are backed up with `pg_dump`.
    pub async fn backup(&self, to: &std::path::Path) -> Result<()> {
        if self.backend != Backend::Sqlite {
            return Err(RegistryError::invalid(
                "backup.postgres",
                "back up a PostgreSQL registry with pg_dump (see docs/registry.md)",
            ));
        }
        if to.exists() {
            return Err(RegistryError::new(
                ErrorKind::Conflict,
                "backup.exists",
                format!("{} exists already; choose a new file", to.display()),
            ));
        }
        let path = to.display().to_string();
        if path.contains('\'') {
            return Err(RegistryError::invalid(
                "backup.path",
                "the backup path may not contain a quote",
            ));
        }
        // Made empty and private first: SQLite writes into an empty file as into a new one.
        seals::create_private(to)?;
        sqlx::query(AssertSqlSafe(format!("VACUUM INTO '{path}'")))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Closes the pool, waiting for connections to finish.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Makes a SQLite registry's files (the database, its write-ahead log and shared memory)
/// readable by their owner only, where they were made readable by others.
fn private_files(db: &std::path::Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for suffix in ["", "-wal", "-shm"] {
            let mut name = db.as_os_str().to_owned();
            name.push(suffix);
            let path = std::path::PathBuf::from(name);
            if let Ok(meta) = std::fs::metadata(&path)
                && meta.permissions().mode() & 0o077 != 0
            {
                let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600));
            }
        }
    }
}

/// `INSERT INTO … VALUES (…), (…)…` for `rows` rows of `columns` values, with the
/// placeholders of the connection's back end: `$1, $2…` for PostgreSQL, `?` for SQLite, where
/// numbered placeholders are looked up by name one by one, at a cost quadratic in their number
/// (sqlx's query builder writes `?` for the `Any` driver, which PostgreSQL does not read).
pub(crate) fn insert_values(
    conn: &sqlx::AnyConnection,
    head: &str,
    columns: usize,
    rows: usize,
) -> String {
    let numbered = !sqlite(conn);
    let mut sql = String::with_capacity(head.len() + rows * columns * 6);
    sql.push_str(head);
    sql.push_str(" VALUES ");
    let mut n = 0;
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..columns {
            if c > 0 {
                sql.push_str(", ");
            }
            n += 1;
            if numbered {
                sql.push('$');
                sql.push_str(&n.to_string());
            } else {
                sql.push('?');
            }
        }
        sql.push(')');
    }
    sql
}

fn sqlite(conn: &sqlx::AnyConnection) -> bool {
    conn.backend_name().eq_ignore_ascii_case("sqlite")
}

/// How many rows of `columns` values one multi-row statement binds: about 240 values, which
/// keeps a statement's text and its bound values small while a transaction holds many.
pub(crate) fn rows_per_statement(columns: usize) -> usize {
    const BOUND_VALUES: usize = 240;
    (BOUND_VALUES / columns.max(1)).max(1)
}

/// Microseconds since the Unix epoch, now.
pub(crate) fn now_us() -> i64 {
    jiff::Timestamp::now().as_microsecond()
}

/// A time stored as microseconds, in RFC 3339.
pub fn timestamp(us: i64) -> String {
    jiff::Timestamp::from_microsecond(us)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// A fresh identifier: `prefix`, the time in milliseconds (12 hexadecimal digits) and 48
/// random bits (12 more). Identifiers made later sort later, so rows keyed by them are added
/// at the end of their indexes, where a bulk import touches a few pages, rather than all
/// over them, where it would write nearly every page of every index once per batch.
pub(crate) fn new_id(prefix: &str) -> Result<String> {
    let mut random = [0u8; 6];
    getrandom::fill(&mut random)
        .map_err(|e| RegistryError::storage(format!("no randomness: {e}")))?;
    let ms = (now_us() / 1000).max(0) as u64 & 0xffff_ffff_ffff;
    Ok(format!("{prefix}{ms:012x}{}", hex::encode(random)))
}

pub(crate) fn require(principal: &Principal, allowed: bool, what: &str) -> Result<()> {
    if allowed {
        Ok(())
    } else {
        Err(RegistryError::forbidden(format!(
            "the role {} may not {what}",
            principal.role.name()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::new_id;

    #[test]
    fn identifiers_made_later_sort_later_and_do_not_repeat() {
        let first = new_id("c-").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(2));
        let burst: Vec<String> = (0..10_000).map(|_| new_id("c-").unwrap()).collect();
        assert_eq!(first.len(), 2 + 24);
        assert!(first[2..].chars().all(|c| c.is_ascii_hexdigit()));
        assert!(burst.iter().all(|id| *id > first), "{first} {:?}", burst[0]);
        let mut unique = burst.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), burst.len());
    }
}
