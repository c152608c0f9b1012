//! Sessions: signing in and out, changing a password, and when a session ends. A token is
//! random and only its SHA-256 is stored. A session ends on sign-out, after its lifetime,
//! after a time without requests (idle), when its user changes or is given a new password,
//! and when an administrator disables the user or revokes their sessions.

use crate::audit::Event;
use crate::users::{
    SESSION_HOURS, USER_COLUMNS, check_password, dummy_hash, random_token, token_hash,
    user_from_row, verify_password,
};
use crate::{
    ErrorKind, Operator, Principal, Registry, RegistryError, Result, Role, Session, User, now_us,
    timestamp,
};
use argon2::Argon2;
use argon2::password_hash::PasswordHasher;
use sqlx::Row;

/// How often a live session's last request is written down: the idle time is known to
/// within this, and a busy session does not write on every request.
const SEEN_EVERY_US: i64 = 60_000_000;

/// How long a session may go without a request: an hour, long enough for an interview
/// taken down on paper between questions, short enough for a computer left unlocked.
pub const SESSION_IDLE: std::time::Duration = std::time::Duration::from_secs(3600);

impl Registry {
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
        // An unknown name costs one password check too, against a hash nothing matches, so
        // that the time of the answer does not tell whether the name exists.
        let Some(row) = row else {
            verify_password(dummy_hash(), password);
            return Err(self
                .deny(&anonymous, "auth.sign_in", "session", refused())
                .await);
        };
        let user = user_from_row(&row)?;
        let stored: String = row.try_get("password_hash")?;
        let ok = verify_password(&stored, password);
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
        self.append(
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

    /// The user and CSRF token of a live session. A session unused for longer than the idle
    /// time ends here.
    pub async fn session(&self, token: &str) -> Result<(User, String)> {
        let hash = token_hash(token);
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS}, s.csrf, s.expires_us, s.created_us, s.seen_us FROM sessions s JOIN users u ON u.id = s.user_id JOIN organisations o ON o.id = u.organisation WHERE s.token_hash = $1"
        )))
        .bind(&hash)
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
        let now = now_us();
        let seen = row
            .try_get::<i64, _>("seen_us")?
            .max(row.try_get::<i64, _>("created_us")?);
        if row.try_get::<i64, _>("expires_us")? < now || user.disabled {
            return Err(expired());
        }
        if now - seen > self.session_idle_us {
            self.sign_out(token).await?;
            return Err(RegistryError::new(
                ErrorKind::Unauthenticated,
                "auth.session",
                "the session ended after a time without use; sign in again",
            ));
        }
        if now - seen > SEEN_EVERY_US {
            sqlx::query("UPDATE sessions SET seen_us = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(&hash)
                .execute(&self.pool)
                .await?;
        }
        Ok((user, row.try_get("csrf")?))
    }

    /// Ends sessions after `idle` without a request (by default [`SESSION_IDLE`]).
    pub fn set_session_idle(&mut self, idle: std::time::Duration) {
        self.session_idle_us = i64::try_from(idle.as_micros()).unwrap_or(i64::MAX);
    }

    /// Ends a session.
    pub async fn sign_out(&self, token: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash(token))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Changes the signed-in user's own password, given the current one; every session of
    /// theirs ends, this one included.
    pub async fn change_password(
        &self,
        actor: &Principal,
        current: &str,
        new: &str,
    ) -> Result<u64> {
        let stored: Option<String> = sqlx::query("SELECT password_hash FROM users WHERE id = $1")
            .bind(&actor.id)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| r.try_get("password_hash"))
            .transpose()?;
        if !stored.is_some_and(|h| verify_password(&h, current)) {
            return Err(self
                .deny(
                    actor,
                    "user.password",
                    &actor.id,
                    RegistryError::new(
                        ErrorKind::Unauthenticated,
                        "auth.failed",
                        "the current password is wrong",
                    ),
                )
                .await);
        }
        check_password(&actor.username, new)?;
        let user = self.user(&actor.id).await?;
        self.replace_password(actor, &user, new).await
    }

    /// Gives a user of any organisation a new password at the command line (a forgotten
    /// one); their sessions end.
    pub async fn set_password_by_operator(
        &self,
        operator: &Operator,
        id: &str,
        new: &str,
    ) -> Result<u64> {
        let user = self.user(id).await?;
        check_password(&user.username, new)?;
        self.replace_password(operator.principal(), &user, new)
            .await
    }

    async fn replace_password(&self, actor: &Principal, user: &User, new: &str) -> Result<u64> {
        let hash = Argon2::default()
            .hash_password(new.as_bytes())
            .map_err(|e| RegistryError::storage(format!("cannot hash the password: {e}")))?
            .to_string();
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(&user.id)
            .execute(&mut *tx)
            .await?;
        let ended = self
            .end_sessions_in(&mut tx, actor, user, "user.password")
            .await?;
        tx.commit().await?;
        Ok(ended)
    }
}
