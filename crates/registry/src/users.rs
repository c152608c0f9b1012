//! Organisations and users. Passwords are hashed with Argon2id; sessions are in `sessions`.
//!
//! Tenancy is decided here and nowhere else: a user acting through [`Principal`] creates,
//! lists, disables and unlocks users of their own organisation only; only an [`Operator`],
//! the holder of the database and its key at the command line, acts across organisations.

use crate::audit::Event;
use crate::{
    ErrorKind, Principal, Registry, RegistryError, Result, Role, new_id, now_us, timestamp,
};
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;
use std::sync::OnceLock;

/// A user as shown to administrators (never the password hash).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub username: String,
    pub organisation: String,
    pub organisation_name: String,
    pub role: Role,
    pub created: String,
    pub disabled: bool,
}

impl User {
    pub fn principal(&self) -> Principal {
        Principal {
            id: self.id.clone(),
            username: self.username.clone(),
            organisation: self.organisation.clone(),
            role: self.role,
        }
    }
}

/// A session: the token goes to the client once; `csrf` must accompany every change a
/// browser sends with the session cookie.
#[derive(Clone, Debug, Serialize)]
pub struct Session {
    pub token: String,
    pub csrf: String,
    pub expires: String,
    pub user: User,
}

pub const MIN_PASSWORD: usize = 10;
pub(crate) const SESSION_HOURS: i64 = 12;

/// Passwords found in public breach corpora, lower-cased and sorted (see the file's head).
const COMMON_PASSWORDS: &str = include_str!("../data/common-passwords.txt");

fn common_passwords() -> &'static [&'static str] {
    static LIST: OnceLock<Vec<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| {
        COMMON_PASSWORDS
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .collect()
    })
}

/// Why a password would be easy to guess.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Weakness {
    TooShort,
    Blank,
    FewCharacters,
    Run,
    ContainsUsername,
    Common,
}

impl Weakness {
    /// The error code of the refusal, one per reason, so that a page can say it in its
    /// language.
    pub fn code(self) -> &'static str {
        match self {
            Weakness::TooShort => "user.password",
            Weakness::Blank => "user.password_blank",
            Weakness::FewCharacters => "user.password_variety",
            Weakness::Run => "user.password_run",
            Weakness::ContainsUsername => "user.password_username",
            Weakness::Common => "user.password_common",
        }
    }

    pub fn message(self) -> String {
        match self {
            Weakness::TooShort => format!("a password has at least {MIN_PASSWORD} characters"),
            Weakness::Blank => "a password is more than spaces".into(),
            Weakness::FewCharacters => "a password has at least 4 different characters".into(),
            Weakness::Run => {
                "a password is not a run of neighbouring characters such as 1234567890".into()
            }
            Weakness::ContainsUsername => "a password does not contain the username".into(),
            Weakness::Common => {
                "this password is among the most common ones and is guessed first; choose another"
                    .into()
            }
        }
    }
}

/// Why `password` would be easy to guess for `username`, if it would.
pub fn password_weakness(username: &str, password: &str) -> Option<Weakness> {
    if password.chars().count() < MIN_PASSWORD {
        return Some(Weakness::TooShort);
    }
    if password.trim().is_empty() {
        return Some(Weakness::Blank);
    }
    let mut distinct: Vec<char> = password.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < 4 {
        return Some(Weakness::FewCharacters);
    }
    let codes: Vec<i64> = password.chars().map(|c| i64::from(u32::from(c))).collect();
    let step = codes[1] - codes[0];
    if step.abs() <= 1 && codes.windows(2).all(|w| w[1] - w[0] == step) {
        return Some(Weakness::Run);
    }
    let lower = password.to_lowercase();
    let name = username.trim().to_lowercase();
    if name.chars().count() >= 3 && lower.contains(&name) {
        return Some(Weakness::ContainsUsername);
    }
    if common_passwords().binary_search(&lower.as_str()).is_ok() {
        return Some(Weakness::Common);
    }
    None
}

pub(crate) fn check_password(username: &str, password: &str) -> Result<()> {
    match password_weakness(username, password) {
        Some(why) => Err(RegistryError::invalid(why.code(), why.message())),
        None => Ok(()),
    }
}

/// A hash no password matches, checked when the name is unknown so that a refusal takes as
/// long whether or not the name exists.
pub(crate) fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        let mut secret = [0u8; 32];
        let _ = getrandom::fill(&mut secret);
        Argon2::default()
            .hash_password(&secret)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

pub(crate) fn verify_password(stored: &str, password: &str) -> bool {
    PasswordHash::new(stored)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// The holder of the database and its key at the command line: the one principal that acts
/// across organisations (creating users anywhere, listing every user, reading the whole audit
/// log). Network-facing layers never make one; every act of it is audited as `operator`.
#[derive(Debug)]
pub struct Operator(Principal);

impl Operator {
    pub fn command_line() -> Operator {
        Operator(Principal {
            id: "operator".into(),
            username: "operator".into(),
            organisation: String::new(),
            role: Role::Administrator,
        })
    }

    pub fn principal(&self) -> &Principal {
        &self.0
    }
}

pub(crate) fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub(crate) fn random_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| RegistryError::storage(format!("no randomness: {e}")))?;
    Ok(hex::encode(bytes))
}

pub(crate) fn user_from_row(r: &sqlx::any::AnyRow) -> Result<User> {
    let role: String = r.try_get("role")?;
    Ok(User {
        id: r.try_get("id")?,
        username: r.try_get("username")?,
        organisation: r.try_get("organisation")?,
        organisation_name: r.try_get("organisation_name")?,
        role: Role::parse(&role)
            .ok_or_else(|| RegistryError::storage(format!("unknown role `{role}` stored")))?,
        created: timestamp(r.try_get("created_us")?),
        disabled: r.try_get::<i64, _>("disabled")? != 0,
    })
}

pub(crate) const USER_COLUMNS: &str = "u.id, u.username, u.organisation, o.name AS organisation_name, u.role, u.created_us, u.disabled";

impl Registry {
    /// The organisation of that name, created when missing. Its id is returned.
    pub async fn organisation(&self, name: &str) -> Result<String> {
        let name = name.trim();
        if name.is_empty() || name.len() > 200 {
            return Err(RegistryError::invalid(
                "organisation.name",
                "an organisation's name has 1 to 200 characters",
            ));
        }
        if let Some(r) = sqlx::query("SELECT id FROM organisations WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?
        {
            return Ok(r.try_get("id")?);
        }
        let id = new_id("o-")?;
        sqlx::query(
            "INSERT INTO organisations (id, name, created_us) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING",
        )
        .bind(&id)
        .bind(name)
        .bind(now_us())
        .execute(&self.pool)
        .await?;
        let r = sqlx::query("SELECT id FROM organisations WHERE name = $1")
            .bind(name)
            .fetch_one(&self.pool)
            .await?;
        Ok(r.try_get("id")?)
    }

    /// The name of the organisation with this id.
    pub async fn organisation_name(&self, id: &str) -> Result<String> {
        let row = sqlx::query("SELECT name FROM organisations WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| {
                RegistryError::not_found("organisation.not_found", format!("no organisation {id}"))
            })?;
        Ok(row.try_get("name")?)
    }

    /// How many users exist (none: the first-run set-up may create the administrator).
    pub async fn user_count(&self) -> Result<i64> {
        Ok(sqlx::query("SELECT COUNT(*) AS n FROM users")
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?)
    }

    /// Creates a user in the organisation of `by`, an administrator of it. No route leads to
    /// another organisation: the organisation is the administrator's own, by construction.
    pub async fn create_user(
        &self,
        by: &Principal,
        username: &str,
        password: &str,
        role: Role,
    ) -> Result<User> {
        let username = valid_username(username)?;
        self.allow(
            by,
            by.role == Role::Administrator,
            "user.create",
            username,
            "create users",
        )
        .await?;
        check_password(username, password)?;
        let name = self.organisation_name(&by.organisation).await?;
        self.insert_user(by, &by.organisation, &name, username, password, role, false)
            .await
    }

    /// Creates the very first user, an administrator of a new organisation, while there is
    /// no user at all (the first run).
    pub async fn first_administrator(
        &self,
        organisation_name: &str,
        username: &str,
        password: &str,
    ) -> Result<User> {
        let username = valid_username(username)?;
        let first_run = Principal {
            id: "first-run".into(),
            username: username.into(),
            organisation: String::new(),
            role: Role::Administrator,
        };
        if self.user_count().await? > 0 {
            return Err(self
                .deny(
                    &first_run,
                    "user.create",
                    username,
                    RegistryError::new(
                        ErrorKind::Forbidden,
                        "setup.done",
                        "the administrator exists already; sign in",
                    ),
                )
                .await);
        }
        check_password(username, password)?;
        let organisation = self.organisation(organisation_name).await?;
        let actor = Principal {
            organisation: organisation.clone(),
            ..first_run
        };
        self.insert_user(
            &actor,
            &organisation,
            organisation_name.trim(),
            username,
            password,
            Role::Administrator,
            true,
        )
        .await
    }

    /// Creates a user in any organisation (made when missing): the command line's operator
    /// only. The very first user made so must be an administrator.
    pub async fn create_user_in(
        &self,
        operator: &Operator,
        organisation_name: &str,
        username: &str,
        password: &str,
        role: Role,
    ) -> Result<User> {
        let username = valid_username(username)?;
        if self.user_count().await? == 0 && role != Role::Administrator {
            return Err(RegistryError::invalid(
                "user.first",
                "the first user is an administrator",
            ));
        }
        check_password(username, password)?;
        let organisation = self.organisation(organisation_name).await?;
        self.insert_user(
            operator.principal(),
            &organisation,
            organisation_name.trim(),
            username,
            password,
            role,
            false,
        )
        .await
    }

    #[allow(clippy::too_many_arguments)]
    async fn insert_user(
        &self,
        actor: &Principal,
        organisation: &str,
        organisation_name: &str,
        username: &str,
        password: &str,
        role: Role,
        first: bool,
    ) -> Result<User> {
        let hash = Argon2::default()
            .hash_password(password.as_bytes())
            .map_err(|e| RegistryError::storage(format!("cannot hash the password: {e}")))?
            .to_string();
        let id = new_id("u-")?;
        let mut tx = self.pool.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO users (id, organisation, username, role, password_hash, created_us, disabled) VALUES ($1, $2, $3, $4, $5, $6, 0) ON CONFLICT (username) DO NOTHING",
        )
        .bind(&id)
        .bind(organisation)
        .bind(username)
        .bind(role.name())
        .bind(hash)
        .bind(now_us())
        .execute(&mut *tx)
        .await?;
        if inserted.rows_affected() == 0 {
            return Err(RegistryError::new(
                ErrorKind::Conflict,
                "user.exists",
                format!("the username `{username}` is taken"),
            ));
        }
        if first {
            // The first administrator's own creation: checked inside the transaction too,
            // so that two first-run requests cannot both succeed.
            let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM users")
                .fetch_one(&mut *tx)
                .await?
                .try_get("n")?;
            if n != 1 {
                return Err(RegistryError::new(
                    ErrorKind::Forbidden,
                    "setup.done",
                    "the administrator exists already; sign in",
                ));
            }
        }
        self.append(
            &mut tx,
            actor,
            &[Event {
                action: "user.create",
                target: &id,
                outcome: "ok",
                detail: format!("{username} as {} in {organisation_name}", role.name()),
            }],
        )
        .await?;
        tx.commit().await?;
        self.user(&id).await
    }

    pub(crate) async fn user(&self, id: &str) -> Result<User> {
        let r = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM users u JOIN organisations o ON o.id = u.organisation WHERE u.id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| RegistryError::not_found("user.not_found", format!("no user {id}")))?;
        user_from_row(&r)
    }

    /// The user `id` of the administrator's own organisation; another organisation's user is
    /// answered as unknown, so that ids cannot be probed.
    async fn own_user(&self, actor: &Principal, id: &str, action: &str) -> Result<User> {
        self.allow(
            actor,
            actor.role == Role::Administrator,
            action,
            id,
            "manage users",
        )
        .await?;
        match self.user(id).await {
            Ok(u) if u.organisation == actor.organisation => Ok(u),
            Ok(_) | Err(_) => Err(self
                .deny(
                    actor,
                    action,
                    id,
                    RegistryError::not_found("user.not_found", format!("no user {id}")),
                )
                .await),
        }
    }

    /// The users of the administrator's own organisation.
    pub async fn users(&self, actor: &Principal) -> Result<Vec<User>> {
        self.allow(
            actor,
            actor.role == Role::Administrator,
            "user.list",
            "users",
            "list users",
        )
        .await?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM users u JOIN organisations o ON o.id = u.organisation WHERE u.organisation = $1 ORDER BY u.username"
        )))
        .bind(&actor.organisation)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(user_from_row).collect()
    }

    /// Every user of every organisation: the command line's operator only.
    pub async fn all_users(&self, operator: &Operator) -> Result<Vec<User>> {
        self.audit(
            operator.principal(),
            "user.list",
            "users",
            "ok",
            "every organisation".into(),
        )
        .await?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM users u JOIN organisations o ON o.id = u.organisation ORDER BY o.name, u.username"
        )))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(user_from_row).collect()
    }

    /// The user of that name, in any organisation: the command line's operator only.
    pub async fn user_named(&self, _operator: &Operator, username: &str) -> Result<User> {
        let r = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM users u JOIN organisations o ON o.id = u.organisation WHERE u.username = $1"
        )))
        .bind(username.trim())
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| {
            RegistryError::not_found("user.not_found", format!("no user named `{username}`"))
        })?;
        user_from_row(&r)
    }

    /// Disables (or enables again) a user of the administrator's organisation; disabling ends
    /// every session of theirs at once. An administrator cannot disable themselves, so that
    /// an organisation is never left without one by mistake.
    pub async fn set_disabled(&self, actor: &Principal, id: &str, disabled: bool) -> Result<User> {
        let action = if disabled {
            "user.disable"
        } else {
            "user.enable"
        };
        let user = self.own_user(actor, id, action).await?;
        self.change_disabled(actor, &user, disabled).await
    }

    /// [`Registry::set_disabled`] for the command line's operator, in any organisation.
    pub async fn set_disabled_by_operator(
        &self,
        operator: &Operator,
        id: &str,
        disabled: bool,
    ) -> Result<User> {
        let user = self.user(id).await?;
        self.change_disabled(operator.principal(), &user, disabled)
            .await
    }

    async fn change_disabled(
        &self,
        actor: &Principal,
        user: &User,
        disabled: bool,
    ) -> Result<User> {
        let action = if disabled {
            "user.disable"
        } else {
            "user.enable"
        };
        if disabled && user.id == actor.id {
            return Err(self
                .deny(
                    actor,
                    action,
                    &user.id,
                    RegistryError::invalid(
                        "user.self",
                        "an administrator cannot disable their own account",
                    ),
                )
                .await);
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
            .bind(i64::from(disabled))
            .bind(&user.id)
            .execute(&mut *tx)
            .await?;
        let ended = if disabled {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(&user.id)
                .execute(&mut *tx)
                .await?
                .rows_affected()
        } else {
            0
        };
        self.append(
            &mut tx,
            actor,
            &[Event {
                action,
                target: &user.id,
                outcome: "ok",
                detail: format!("{}; {ended} sessions ended", user.username),
            }],
        )
        .await?;
        tx.commit().await?;
        self.user(&user.id).await
    }

    /// Ends every session of a user of the administrator's organisation (a lost telephone, a
    /// shared computer); they can sign in again. Returns how many sessions ended.
    pub async fn revoke_sessions(&self, actor: &Principal, id: &str) -> Result<u64> {
        let user = self.own_user(actor, id, "user.revoke").await?;
        self.end_sessions(actor, &user).await
    }

    /// [`Registry::revoke_sessions`] for the command line's operator, in any organisation.
    pub async fn revoke_sessions_by_operator(&self, operator: &Operator, id: &str) -> Result<u64> {
        let user = self.user(id).await?;
        self.end_sessions(operator.principal(), &user).await
    }

    async fn end_sessions(&self, actor: &Principal, user: &User) -> Result<u64> {
        let mut tx = self.pool.begin().await?;
        let ended = self
            .end_sessions_in(&mut tx, actor, user, "user.revoke")
            .await?;
        tx.commit().await?;
        Ok(ended)
    }

    /// Ends every session of `user` within `tx` and records it in the audit log as `action`
    /// (a revocation, a password change); returns how many ended.
    pub(crate) async fn end_sessions_in(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        actor: &Principal,
        user: &User,
        action: &'static str,
    ) -> Result<u64> {
        let ended = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(&user.id)
            .execute(&mut **tx)
            .await?
            .rows_affected();
        self.append(
            tx,
            actor,
            &[Event {
                action,
                target: &user.id,
                outcome: "ok",
                detail: format!("{}; {ended} sessions ended", user.username),
            }],
        )
        .await?;
        Ok(ended)
    }

    /// Records that an administrator lifted the hold on a user's sign-ins (the hold itself is
    /// kept by the server, in memory) and returns the user, whose name the server clears.
    pub async fn unlock(&self, actor: &Principal, id: &str) -> Result<User> {
        let user = self.own_user(actor, id, "user.unlock").await?;
        self.audit(actor, "user.unlock", &user.id, "ok", user.username.clone())
            .await?;
        Ok(user)
    }
}

fn valid_username(username: &str) -> Result<&str> {
    let username = username.trim();
    if username.is_empty()
        || username.len() > 64
        || !username
            .chars()
            .all(|c| c.is_alphanumeric() || "._-@".contains(c))
    {
        return Err(RegistryError::invalid(
            "user.username",
            "a username has 1 to 64 letters, digits, dots, dashes, underscores or @",
        ));
    }
    Ok(username)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guessable_passwords_are_refused_with_a_reason() {
        for weak in [
            "aaaaaaaaaa",
            "          ",
            "abababababab",
            "1234567890",
            "abcdefghijk",
            "qwertyuiop",
            "Password123",
            "maria.k-2024-maria.k",
            "short",
        ] {
            assert!(
                password_weakness("maria.k", weak).is_some(),
                "`{weak}` was accepted"
            );
        }
        assert_eq!(
            password_weakness("maria.k", "Password123"),
            Some(Weakness::Common)
        );
        for strong in ["correct horse battery", "Dushanbe-lilac-71-river"] {
            assert_eq!(password_weakness("maria.k", strong), None, "{strong}");
        }
    }

    #[test]
    fn the_common_password_list_is_sorted_for_its_binary_search() {
        let list = common_passwords();
        assert!(list.len() > 100_000);
        assert!(list.windows(2).all(|w| w[0] < w[1]));
        assert!(list.iter().all(|p| p.chars().count() >= MIN_PASSWORD));
    }
}
