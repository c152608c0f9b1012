//! Organisations, users and sessions. Passwords are hashed with Argon2id; session tokens are
//! random and only their SHA-256 is stored.

use crate::audit::{Event, append};
use crate::{
    ErrorKind, Principal, Registry, RegistryError, Result, Role, new_id, now_us, timestamp,
};
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

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
const SESSION_HOURS: i64 = 12;

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn random_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| RegistryError::storage(format!("no randomness: {e}")))?;
    Ok(hex::encode(bytes))
}

fn user_from_row(r: &sqlx::any::AnyRow) -> Result<User> {
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

const USER_COLUMNS: &str = "u.id, u.username, u.organisation, o.name AS organisation_name, u.role, u.created_us, u.disabled";

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

    /// Creates a user. `by` is the administrator doing it, or `None` for the very first
    /// user, who must be an administrator and can only be made while there is no user.
    pub async fn create_user(
        &self,
        by: Option<&Principal>,
        organisation_name: &str,
        username: &str,
        password: &str,
        role: Role,
    ) -> Result<User> {
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
        if password.chars().count() < MIN_PASSWORD {
            return Err(RegistryError::invalid(
                "user.password",
                format!("a password has at least {MIN_PASSWORD} characters"),
            ));
        }
        let first_run = Principal {
            id: "first-run".into(),
            username: username.into(),
            organisation: String::new(),
            role,
        };
        let actor = match by {
            Some(p) => {
                self.allow(
                    p,
                    p.role == Role::Administrator,
                    "user.create",
                    username,
                    "create users",
                )
                .await?;
                p.clone()
            }
            None => {
                if role != Role::Administrator {
                    return Err(RegistryError::invalid(
                        "user.first",
                        "the first user is an administrator",
                    ));
                }
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
                first_run
            }
        };
        let organisation = self.organisation(organisation_name).await?;
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
        .bind(&organisation)
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
        if by.is_none() {
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
        append(
            &mut tx,
            &actor,
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

    async fn user(&self, id: &str) -> Result<User> {
        let r = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM users u JOIN organisations o ON o.id = u.organisation WHERE u.id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| RegistryError::not_found("user.not_found", format!("no user {id}")))?;
        user_from_row(&r)
    }

    /// All users. Administrators only.
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
            "SELECT {USER_COLUMNS} FROM users u JOIN organisations o ON o.id = u.organisation ORDER BY u.username"
        )))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(user_from_row).collect()
    }

    /// Checks a password and opens a session. A wrong name and a wrong password give the same
    /// answer, and both are recorded.
    pub async fn sign_in(&self, username: &str, password: &str) -> Result<Session> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS}, u.password_hash FROM users u JOIN organisations o ON o.id = u.organisation WHERE u.username = $1"
        )))
        .bind(username)
        .fetch_optional(&self.pool)
        .await?;
        let refused = || {
            RegistryError::new(
                ErrorKind::Unauthenticated,
                "auth.failed",
                "wrong username or password",
            )
        };
        let anonymous = Principal {
            id: "anonymous".into(),
            username: username.chars().take(64).collect(),
            organisation: String::new(),
            role: Role::Analyst,
        };
        let Some(row) = row else {
            return Err(self
                .deny(&anonymous, "auth.sign_in", "session", refused())
                .await);
        };
        let user = user_from_row(&row)?;
        let stored: String = row.try_get("password_hash")?;
        let ok = PasswordHash::new(&stored)
            .map(|h| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &h)
                    .is_ok()
            })
            .unwrap_or(false);
        if !ok || user.disabled {
            return Err(self
                .deny(&user.principal(), "auth.sign_in", &user.id, refused())
                .await);
        }
        let token = random_token()?;
        let csrf = random_token()?;
        let expires = now_us() + SESSION_HOURS * 3_600_000_000;
        let mut tx = self.pool.begin().await?;
        // Expired sessions go as new ones come.
        sqlx::query("DELETE FROM sessions WHERE expires_us < $1")
            .bind(now_us())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf, created_us, expires_us) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash(&token))
        .bind(&user.id)
        .bind(&csrf)
        .bind(now_us())
        .bind(expires)
        .execute(&mut *tx)
        .await?;
        append(
            &mut tx,
            &user.principal(),
            &[Event {
                action: "auth.sign_in",
                target: &user.id,
                outcome: "ok",
                detail: String::new(),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(Session {
            token,
            csrf,
            expires: timestamp(expires),
            user,
        })
    }

    /// The user and CSRF token of a live session.
    pub async fn session(&self, token: &str) -> Result<(User, String)> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS}, s.csrf, s.expires_us FROM sessions s JOIN users u ON u.id = s.user_id JOIN organisations o ON o.id = u.organisation WHERE s.token_hash = $1"
        )))
        .bind(token_hash(token))
        .fetch_optional(&self.pool)
        .await?;
        let expired = || {
            RegistryError::new(
                ErrorKind::Unauthenticated,
                "auth.session",
                "no session or the session has expired; sign in",
            )
        };
        let row = row.ok_or_else(expired)?;
        let user = user_from_row(&row)?;
        if row.try_get::<i64, _>("expires_us")? < now_us() || user.disabled {
            return Err(expired());
        }
        Ok((user, row.try_get("csrf")?))
    }

    /// Ends a session.
    pub async fn sign_out(&self, token: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash(token))
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
