//! What every page shares: who is looking and in which language, the templates, the layout's
//! context, and errors shown as pages.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use delimit_i18n::{Arg, Localizer};
use delimit_registry::{ErrorKind, Principal, RegistryError, Role, User};
use delimit_server::AppState;
use delimit_server::auth::{COOKIE, cookie};
use minijinja::value::{Kwargs, Value};
use minijinja::{Environment, State};
use serde::Serialize;
use std::convert::Infallible;
use std::sync::OnceLock;

/// The cookie that keeps the chosen language (not a secret; a year long).
pub const LANG_COOKIE: &str = "delimit_lang";

/// The templates of the common pages, by name. The law browser and the statistics keep their
/// own lists beside their handlers.
const CORE_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("macros.html", include_str!("../templates/macros.html")),
    ("error.html", include_str!("../templates/error.html")),
    ("home.html", include_str!("../templates/home.html")),
    ("setup.html", include_str!("../templates/setup.html")),
    ("sign_in.html", include_str!("../templates/sign_in.html")),
    ("users.html", include_str!("../templates/users.html")),
    ("account.html", include_str!("../templates/account.html")),
    ("cases.html", include_str!("../templates/cases.html")),
    ("case_new.html", include_str!("../templates/case_new.html")),
    ("case.html", include_str!("../templates/case.html")),
    ("report.html", include_str!("../templates/report.html")),
    ("consent.html", include_str!("../templates/consent.html")),
    (
        "interview.html",
        include_str!("../templates/interview.html"),
    ),
];

/// Every template, by name.
pub fn templates() -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    CORE_TEMPLATES
        .iter()
        .chain(crate::law::TEMPLATES)
        .chain(crate::stats::TEMPLATES)
}

fn localizers() -> &'static [Localizer] {
    static ALL: OnceLock<Vec<Localizer>> = OnceLock::new();
    ALL.get_or_init(|| {
        Localizer::languages()
            .iter()
            // The embedded translations are checked by the i18n crate's tests.
            .filter_map(|l| Localizer::new(l).ok())
            .collect()
    })
}

/// The words of `lang` (English when the language is unknown, which the callers prevent).
pub fn words(lang: &str) -> &'static Localizer {
    let all = localizers();
    all.iter().find(|l| l.lang() == lang).unwrap_or(&all[0])
}

/// `t("key", name=value, …)` in a template: the message in the page's language.
fn translate(state: &State, key: &str, kwargs: Kwargs) -> Result<String, minijinja::Error> {
    let lang = state
        .lookup("lang")
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| "en".to_owned());
    let mut owned: Vec<(String, Value)> = Vec::new();
    for name in kwargs.args() {
        owned.push((name.to_owned(), kwargs.get::<Value>(name)?));
    }
    let texts: Vec<String> = owned.iter().map(|(_, v)| v.to_string()).collect();
    let args: Vec<(&str, Arg)> = owned
        .iter()
        .zip(&texts)
        .map(|((name, value), text)| {
            let arg = match value.as_i64() {
                Some(n) => Arg::from(n),
                None => Arg::Text(text),
            };
            (name.as_str(), arg)
        })
        .collect();
    Ok(words(&lang).text(key, &args))
}

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        for (name, source) in templates() {
            if let Err(e) = env.add_template(name, source) {
                // A broken template is a defect of the build; the tests render every one.
                eprintln!("template {name}: {e}");
            }
        }
        env.add_function("t", translate);
        env
    })
}

/// Who is looking, in which language, and where.
pub struct Viewer {
    pub lang: &'static str,
    pub user: Option<User>,
    pub csrf: Option<String>,
    /// The path and query of the page asked for, to come back to after signing in.
    pub here: String,
    /// The request itself, method and path, as a refusal's audit entry names it.
    pub request: String,
}

/// The first language of `Accept-Language` that delimit speaks.
fn accepted(headers: &HeaderMap) -> Option<&'static str> {
    let accept = headers.get(header::ACCEPT_LANGUAGE)?.to_str().ok()?;
    accept
        .split(',')
        .map(|part| part.split(';').next().unwrap_or("").trim())
        .map(|tag| tag.split('-').next().unwrap_or("").to_ascii_lowercase())
        .find_map(|code| supported(&code))
}

/// The page of this site a form was sent from (`Referer`), as a path and query.
fn referring_page(headers: &HeaderMap) -> Option<String> {
    let referer = headers.get(header::REFERER)?.to_str().ok()?;
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let rest = referer.split_once("://")?.1;
    let path = rest.strip_prefix(host)?;
    path.starts_with('/').then(|| path.to_owned())
}

/// The language code as delimit spells it, if it speaks it.
pub fn supported(code: &str) -> Option<&'static str> {
    Localizer::languages().iter().copied().find(|l| *l == code)
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        let lang = cookie(&parts.headers, LANG_COOKIE)
            .and_then(|c| supported(&c))
            .or_else(|| accepted(&parts.headers))
            .unwrap_or("en");
        let (user, csrf) = match cookie(&parts.headers, COOKIE) {
            Some(token) => match state.registry.session(&token).await {
                Ok((user, csrf)) => (Some(user), Some(csrf)),
                Err(_) => (None, None),
            },
            None => (None, None),
        };
        let here = if matches!(parts.method, Method::GET | Method::HEAD) {
            parts
                .uri
                .path_and_query()
                .map_or("/".to_owned(), |p| p.as_str().to_owned())
        } else {
            // A form's own address answers only its method: come back to the page it was on.
            referring_page(&parts.headers).unwrap_or_else(|| "/".to_owned())
        };
        let request = format!("{} {}", parts.method, parts.uri.path());
        Ok(Viewer {
            lang,
            user,
            csrf,
            here,
            request,
        })
    }
}

/// A page that could not be shown: a redirect, or an error page.
pub enum PageError {
    Redirect(String),
    Status(StatusCode, &'static str, String, &'static str),
}

pub type PageResult = Result<Response, PageError>;

impl Viewer {
    /// The signed-in user, or a redirect to the sign-in page that comes back here.
    pub fn signed(&self) -> Result<(&User, Principal), PageError> {
        match &self.user {
            Some(u) => Ok((u, u.principal())),
            None => Err(PageError::Redirect(format!(
                "/sign-in?next={}",
                percent_encode(&self.here)
            ))),
        }
    }

    /// The signed-in user with one of `roles`, or an error page; a refusal is audited.
    pub async fn with_role(
        &self,
        state: &AppState,
        roles: &[Role],
        what: &str,
    ) -> Result<(&User, Principal), PageError> {
        let (user, principal) = self.signed()?;
        self.allowed(state, &principal, roles.contains(&user.role), what)
            .await?;
        Ok((user, principal))
    }

    /// The signed-in user, if their role records and changes cases and interviews (the
    /// registry's rule), or an error page; a refusal is audited.
    pub async fn writer(&self, state: &AppState) -> Result<(&User, Principal), PageError> {
        let (user, principal) = self.signed()?;
        let what = "record or change cases and interviews";
        self.allowed(state, &principal, user.role.writes_cases(), what)
            .await?;
        Ok((user, principal))
    }

    /// Refuses through the registry, which records the refusal in the audit log.
    async fn allowed(
        &self,
        state: &AppState,
        principal: &Principal,
        allowed: bool,
        what: &str,
    ) -> Result<(), PageError> {
        state
            .registry
            .allow(principal, allowed, "page.open", &self.request, what)
            .await
            .map_err(|e| self.registry_error(e))
    }

    /// Checks the form's CSRF token against the session's. A form sent in a signed-in user's
    /// session without its token is what a forged form looks like: refused, and audited.
    pub async fn check_csrf(&self, state: &AppState, sent: &str) -> Result<(), PageError> {
        match (&self.csrf, &self.user) {
            (Some(csrf), _) if csrf == sent => Ok(()),
            (_, Some(user)) => {
                let reason =
                    RegistryError::forbidden("the form does not carry its session's token");
                state
                    .registry
                    .deny(&user.principal(), "page.form", &self.request, reason)
                    .await;
                Err(self.error(StatusCode::FORBIDDEN, "error-csrf", String::new()))
            }
            (_, None) => Err(self.error(StatusCode::FORBIDDEN, "error-csrf", String::new())),
        }
    }

    pub fn error(&self, status: StatusCode, key: &'static str, detail: String) -> PageError {
        PageError::Status(status, key, detail, self.lang)
    }

    /// A registry error as a page: a lost session sends to the sign-in page.
    pub fn registry_error(&self, e: RegistryError) -> PageError {
        let (status, key) = match e.kind {
            ErrorKind::Invalid => (StatusCode::UNPROCESSABLE_ENTITY, "error-invalid"),
            ErrorKind::Unauthenticated => {
                return PageError::Redirect(format!(
                    "/sign-in?next={}",
                    percent_encode(&self.here)
                ));
            }
            ErrorKind::Forbidden => (StatusCode::FORBIDDEN, "error-forbidden"),
            ErrorKind::NotFound => (StatusCode::NOT_FOUND, "error-not-found"),
            ErrorKind::Conflict => (StatusCode::CONFLICT, "error-conflict"),
            ErrorKind::Storage => (StatusCode::INTERNAL_SERVER_ERROR, "error-storage"),
        };
        self.error(status, key, e.message)
    }

    /// The context every page has: language, user, CSRF token, where it is.
    pub fn context(&self, state: &AppState) -> Value {
        let user = self.user.as_ref().map(|u| {
            minijinja::context! {
                username => u.username,
                role => u.role.name(),
                organisation => u.organisation_name,
                administrator => u.role == Role::Administrator,
                analyst => u.role == Role::Analyst,
            }
        });
        minijinja::context! {
            lang => self.lang,
            languages => Localizer::languages(),
            user => user,
            csrf => self.csrf,
            here => self.here,
            here_encoded => percent_encode(&self.here),
            law_version => state.kb.hash.get(..12).unwrap_or(&state.kb.hash),
        }
    }

    /// Renders `template` with the page context merged with `extra`.
    pub fn render(&self, state: &AppState, template: &str, extra: impl Serialize) -> PageResult {
        self.render_status(state, StatusCode::OK, template, extra)
    }

    pub fn render_status(
        &self,
        state: &AppState,
        status: StatusCode,
        template: &str,
        extra: impl Serialize,
    ) -> PageResult {
        let ctx = minijinja::context! { ..Value::from_serialize(extra), ..self.context(state) };
        match render(template, ctx) {
            Ok(html) => Ok((status, html).into_response()),
            Err(detail) => {
                Err(self.error(StatusCode::INTERNAL_SERVER_ERROR, "error-storage", detail))
            }
        }
    }
}

fn render(template: &str, ctx: Value) -> Result<Html<String>, String> {
    environment()
        .get_template(template)
        .and_then(|t| t.render(ctx))
        .map(Html)
        .map_err(|e| format!("{e:#}"))
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::Redirect(to) => Redirect::to(&to).into_response(),
            PageError::Status(status, key, detail, lang) => {
                let ctx = minijinja::context! {
                    lang => lang,
                    languages => Localizer::languages(),
                    status => status.as_u16(),
                    key => key,
                    detail => detail,
                };
                match render("error.html", ctx) {
                    Ok(html) => (status, html).into_response(),
                    Err(e) => (status, format!("{}: {e}", status.as_u16())).into_response(),
                }
            }
        }
    }
}

/// A redirect after a form was handled (303: the browser follows with GET).
pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// A form's fields, read by hand where a fixed form type will not do: a question of several
/// options sends one field per option, named after it.
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    pub fn parse(body: &[u8]) -> Fields {
        Fields(
            form_urlencoded::parse(body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// The first value of field `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of field `name`, or nothing.
    pub fn text(&self, name: &str) -> &str {
        self.get(name).unwrap_or("")
    }
}

/// Only a path on this site may be a `next`: never another site.
pub fn local_path(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/".to_owned(),
    }
}

/// Percent-encodes a path for use as a query value.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_path(Some("/cases/1")), "/cases/1");
        assert_eq!(local_path(Some("//evil.example")), "/");
        assert_eq!(local_path(Some("https://evil.example")), "/");
        assert_eq!(local_path(Some("/\\evil.example")), "/");
        assert_eq!(local_path(None), "/");
    }

    #[test]
    fn a_form_returns_to_the_page_of_this_site_it_was_sent_from() {
        let headers = |referer: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::HOST, "127.0.0.1:8080".parse().unwrap());
            h.insert(header::REFERER, referer.parse().unwrap());
            h
        };
        assert_eq!(
            referring_page(&headers("http://127.0.0.1:8080/cases/c-1?compare=x")).as_deref(),
            Some("/cases/c-1?compare=x")
        );
        assert_eq!(referring_page(&headers("http://evil.example/cases")), None);
        assert_eq!(
            referring_page(&headers("http://127.0.0.1:8080.evil.example/x")),
            None
        );
    }

    #[test]
    fn every_template_parses() {
        let env = environment();
        for (name, _) in templates() {
            assert!(env.get_template(name).is_ok(), "{name} does not parse");
        }
    }
}
