//! The home page, first run, signing in and out, the language, one's own account (the
//! password), and the administrator's list of users.

use crate::page::{PageError, PageResult, Viewer, local_path, see_other, supported, words};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use delimit_i18n::Arg;
use delimit_registry::{MIN_PASSWORD, RegistryError, Role};
use delimit_server::AppState;
use delimit_server::ClientAddr;
use delimit_server::auth::{self, COOKIE, SESSION_SECONDS, SignInRefusal, cookie, session_cookie};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Errors shown beside the fields of a form, by field name (`form` for the whole form).
pub type FieldErrors = BTreeMap<&'static str, String>;

/// The field a registry error is about, and its message in the viewer's language.
fn field_error(lang: &str, e: &RegistryError) -> (&'static str, String) {
    let t = words(lang);
    match e.code {
        "user.username" => ("username", t.text("error-username", &[])),
        "user.password" => (
            "password",
            t.text("error-password", &[("min", Arg::from(MIN_PASSWORD))]),
        ),
        "user.password_blank" => ("password", t.text("error-password-blank", &[])),
        "user.password_variety" => ("password", t.text("error-password-variety", &[])),
        "user.password_run" => ("password", t.text("error-password-run", &[])),
        "user.password_username" => ("password", t.text("error-password-username", &[])),
        "user.password_common" => ("password", t.text("error-password-common", &[])),
        "user.exists" | "user.taken" => ("username", t.text("error-username-taken", &[])),
        "organisation.name" => ("organisation", t.text("error-organisation", &[])),
        // Only a password change asks for the current password.
        "auth.failed" => ("current", t.text("error-current-password", &[])),
        _ => ("form", e.message.clone()),
    }
}

/// Whether anyone uses the registry yet: until then the first run creates the administrator.
async fn has_users(s: &AppState, v: &Viewer) -> Result<bool, PageError> {
    let count = s
        .registry
        .user_count()
        .await
        .map_err(|e| v.registry_error(e))?;
    Ok(count > 0)
}

pub async fn home(State(s): State<AppState>, v: Viewer) -> PageResult {
    if v.user.is_none() {
        return Err(PageError::Redirect(
            if has_users(&s, &v).await? {
                "/sign-in"
            } else {
                "/setup"
            }
            .into(),
        ));
    }
    v.signed()?;
    v.render(&s, "home.html", ())
}

#[derive(Default, Deserialize, serde::Serialize)]
pub struct SetupForm {
    #[serde(default)]
    organisation: String,
    #[serde(default)]
    username: String,
    #[serde(default, skip_serializing)]
    password: String,
}

pub async fn setup_form(State(s): State<AppState>, v: Viewer) -> PageResult {
    if has_users(&s, &v).await? {
        return Err(PageError::Redirect("/sign-in".into()));
    }
    let form = SetupForm {
        organisation: words(v.lang).text("setup-default-organisation", &[]),
        ..SetupForm::default()
    };
    v.render(
        &s,
        "setup.html",
        minijinja::context! { form => form, min_password => MIN_PASSWORD },
    )
}

pub async fn setup(
    State(s): State<AppState>,
    v: Viewer,
    Form(form): Form<SetupForm>,
) -> PageResult {
    // Once the administrator exists, the first run is over, whatever the form says.
    if has_users(&s, &v).await? {
        return Err(PageError::Redirect("/sign-in".into()));
    }
    let mut errors = FieldErrors::new();
    if form.organisation.trim().is_empty() {
        errors.insert(
            "organisation",
            words(v.lang).text("error-organisation", &[]),
        );
    }
    if errors.is_empty() {
        match s
            .registry
            .first_administrator(form.organisation.trim(), &form.username, &form.password)
            .await
        {
            Ok(_) => return start_session(&s, &v, &form.username, &form.password, "/").await,
            Err(e) if e.code == "setup.done" => return Err(PageError::Redirect("/sign-in".into())),
            Err(e) => {
                let (field, message) = field_error(v.lang, &e);
                errors.insert(field, message);
            }
        }
    }
    v.render_status(
        &s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "setup.html",
        minijinja::context! { form => form, errors => errors, min_password => MIN_PASSWORD },
    )
}

#[derive(Deserialize)]
pub struct Next {
    next: Option<String>,
    expired: Option<String>,
}

pub async fn sign_in_form(
    State(s): State<AppState>,
    v: Viewer,
    Query(q): Query<Next>,
) -> PageResult {
    if !has_users(&s, &v).await? {
        return Err(PageError::Redirect("/setup".into()));
    }
    let next = local_path(q.next.as_deref());
    if v.user.is_some() {
        return Ok(see_other(&next));
    }
    v.render(
        &s,
        "sign_in.html",
        minijinja::context! {
            next => next,
            expired => q.expired.is_some(),
            form => minijinja::context! { username => "" },
        },
    )
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

/// Signs in and sends the browser on to `next` with the session cookie.
async fn start_session(
    s: &AppState,
    v: &Viewer,
    username: &str,
    password: &str,
    next: &str,
) -> PageResult {
    let session = s
        .registry
        .sign_in(username, password)
        .await
        .map_err(|e| v.registry_error(e))?;
    Ok(with_session_cookie(next, &session.token, SESSION_SECONDS))
}

/// A redirect to `next` that sets (or, with an empty token, clears) the session cookie.
fn with_session_cookie(next: &str, token: &str, max_age: i64) -> axum::response::Response {
    let mut response = see_other(next);
    if let Ok(value) = HeaderValue::from_str(&session_cookie(token, max_age)) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

pub async fn sign_in(
    State(s): State<AppState>,
    v: Viewer,
    client: ClientAddr,
    Form(form): Form<SignInForm>,
) -> PageResult {
    let next = local_path(form.next.as_deref());
    let message = match auth::sign_in(&s, client.key(), &form.username, &form.password).await {
        Ok(session) => return Ok(with_session_cookie(&next, &session.token, SESSION_SECONDS)),
        Err(SignInRefusal::Held(wait)) => words(v.lang).text(
            "error-sign-in-held",
            &[("seconds", Arg::from(wait.as_secs().max(1)))],
        ),
        Err(SignInRefusal::Refused(_)) => words(v.lang).text("error-sign-in", &[]),
    };
    v.render_status(
        &s,
        StatusCode::UNAUTHORIZED,
        "sign_in.html",
        minijinja::context! {
            next => next,
            form => minijinja::context! { username => form.username },
            errors => minijinja::context! { form => message },
        },
    )
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub async fn sign_out(
    State(s): State<AppState>,
    v: Viewer,
    headers: axum::http::HeaderMap,
    Form(form): Form<CsrfForm>,
) -> PageResult {
    // Without a session there is nothing to end.
    if v.user.is_none() {
        return Ok(with_session_cookie("/sign-in", "", 0));
    }
    v.check_csrf(&s, &form.csrf).await?;
    if let Some(token) = cookie(&headers, COOKIE) {
        s.registry
            .sign_out(&token)
            .await
            .map_err(|e| v.registry_error(e))?;
    }
    Ok(with_session_cookie("/sign-in", "", 0))
}

#[derive(Deserialize)]
pub struct LanguageQuery {
    next: Option<String>,
}

/// Chooses the language of every page, kept in a cookie for a year.
pub async fn language(
    v: Viewer,
    Path(code): Path<String>,
    Query(q): Query<LanguageQuery>,
) -> PageResult {
    let Some(lang) = supported(&code) else {
        return Err(v.error(StatusCode::NOT_FOUND, "error-language", code));
    };
    let mut response = see_other(&local_path(q.next.as_deref()));
    let cookie = format!(
        "{}={lang}; SameSite=Lax; Path=/; Max-Age=31536000",
        crate::LANG_COOKIE
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response.into_response())
}

#[derive(Deserialize)]
pub struct AccountQuery {
    changed: Option<String>,
}

/// One's own account: who one is, and the form that changes the password.
pub async fn account(
    State(s): State<AppState>,
    v: Viewer,
    Query(q): Query<AccountQuery>,
) -> PageResult {
    v.signed()?;
    account_page(
        &s,
        &v,
        StatusCode::OK,
        FieldErrors::new(),
        q.changed.is_some(),
    )
}

fn account_page(
    s: &AppState,
    v: &Viewer,
    status: StatusCode,
    errors: FieldErrors,
    changed: bool,
) -> PageResult {
    v.render_status(
        s,
        status,
        "account.html",
        minijinja::context! { errors => errors, changed => changed, min_password => MIN_PASSWORD },
    )
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current: String,
    #[serde(default)]
    password: String,
}

/// Changes one's own password. Every session of the user ends, this one too; this browser is
/// signed in again with the new password, so that only the others have to.
pub async fn change_password(
    State(s): State<AppState>,
    v: Viewer,
    client: ClientAddr,
    Form(form): Form<PasswordForm>,
) -> PageResult {
    let (user, principal) = v.signed()?;
    v.check_csrf(&s, &form.csrf).await?;
    let t = words(v.lang);
    let mut errors = FieldErrors::new();
    match auth::change_password(&s, client.key(), &principal, &form.current, &form.password).await {
        Ok(_) => {
            let username = user.username.clone();
            return start_session(&s, &v, &username, &form.password, "/account?changed=1").await;
        }
        Err(SignInRefusal::Held(wait)) => {
            errors.insert(
                "current",
                t.text(
                    "error-sign-in-held",
                    &[("seconds", Arg::from(wait.as_secs().max(1)))],
                ),
            );
        }
        Err(SignInRefusal::Refused(e)) => {
            let (field, message) = field_error(v.lang, &e);
            errors.insert(field, message);
        }
    }
    account_page(&s, &v, StatusCode::UNPROCESSABLE_ENTITY, errors, false)
}

#[derive(Default, Deserialize, serde::Serialize)]
pub struct NewUserForm {
    #[serde(default, skip_serializing)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default, skip_serializing)]
    password: String,
    #[serde(default)]
    role: String,
}

const ROLES: &[&str] = &["caseworker", "investigator", "analyst", "administrator"];

async fn users_page(
    s: &AppState,
    v: &Viewer,
    status: StatusCode,
    form: NewUserForm,
    errors: FieldErrors,
    created: Option<String>,
) -> PageResult {
    let (_, principal) = v
        .with_role(s, &[Role::Administrator], "manage users")
        .await?;
    let users = s
        .registry
        .users(&principal)
        .await
        .map_err(|e| v.registry_error(e))?;
    let users: Vec<_> = users
        .iter()
        .map(|u| minijinja::context! { username => u.username, role => u.role.name(), created => u.created })
        .collect();
    v.render_status(
        s,
        status,
        "users.html",
        minijinja::context! {
            users => users, roles => ROLES, form => form, errors => errors,
            created => created, min_password => MIN_PASSWORD,
        },
    )
}

pub async fn list(State(s): State<AppState>, v: Viewer) -> PageResult {
    let form = NewUserForm {
        role: "caseworker".into(),
        ..NewUserForm::default()
    };
    users_page(&s, &v, StatusCode::OK, form, FieldErrors::new(), None).await
}

pub async fn create(
    State(s): State<AppState>,
    v: Viewer,
    Form(form): Form<NewUserForm>,
) -> PageResult {
    let (_, principal) = v
        .with_role(&s, &[Role::Administrator], "manage users")
        .await?;
    v.check_csrf(&s, &form.csrf).await?;
    let mut errors = FieldErrors::new();
    match Role::parse(&form.role) {
        None => {
            errors.insert("form", words(v.lang).text("error-role", &[]));
        }
        Some(role) => match s
            .registry
            .create_user(&principal, &form.username, &form.password, role)
            .await
        {
            Ok(created) => {
                let form = NewUserForm {
                    role: form.role,
                    ..NewUserForm::default()
                };
                return users_page(&s, &v, StatusCode::OK, form, errors, Some(created.username))
                    .await;
            }
            Err(e) => {
                let (field, message) = field_error(v.lang, &e);
                errors.insert(field, message);
            }
        },
    }
    users_page(&s, &v, StatusCode::UNPROCESSABLE_ENTITY, form, errors, None).await
}
