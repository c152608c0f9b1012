//! The routes and their handlers.

use crate::AppState;
use crate::auth::{self, SESSION_SECONDS, Signed, session_cookie};
use crate::error::{ApiError, parse_json};
use crate::interview::{self, State};
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State as Shared};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use delimit_registry::{
    Identity, ImportFormat, NewConsent, Role, StatusDecision, parse_case_value,
};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::HashMap;

type ApiResult = Result<Response, ApiError>;

/// Every route, as `(method, path)` in the OpenAPI description's spelling.
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/health"),
    ("get", "/api/openapi.json"),
    ("post", "/api/setup"),
    ("post", "/api/session"),
    ("delete", "/api/session"),
    ("post", "/api/session/password"),
    ("get", "/api/users"),
    ("post", "/api/users"),
    ("post", "/api/users/{id}/disable"),
    ("post", "/api/users/{id}/enable"),
    ("post", "/api/users/{id}/revoke"),
    ("post", "/api/users/{id}/unlock"),
    ("post", "/api/classify"),
    ("get", "/api/cases"),
    ("post", "/api/cases"),
    ("get", "/api/cases/{id}"),
    ("put", "/api/cases/{id}"),
    ("get", "/api/cases/{id}/revisions"),
    ("get", "/api/cases/{id}/assessments"),
    ("post", "/api/cases/{id}/assessments"),
    ("get", "/api/cases/{id}/decisions"),
    ("post", "/api/cases/{id}/decisions"),
    ("get", "/api/cases/{id}/consents"),
    ("get", "/api/cases/{id}/htcds"),
    ("post", "/api/consents"),
    ("post", "/api/consents/{id}/withdraw"),
    ("post", "/api/interviews"),
    ("get", "/api/interviews/{id}"),
    ("post", "/api/interviews/{id}/answers"),
    ("post", "/api/interviews/{id}/back"),
    ("post", "/api/interviews/{id}/finish"),
    ("get", "/api/law"),
    ("get", "/api/law/instruments"),
    ("get", "/api/law/provisions"),
    ("get", "/api/law/provisions/{id}"),
    ("get", "/api/law/concepts"),
    ("get", "/api/law/doctrines"),
    ("get", "/api/statistics"),
    ("get", "/api/statistics.csv"),
    ("post", "/api/import"),
    ("get", "/api/audit"),
    ("get", "/api/audit/verify"),
];

pub fn router(state: AppState) -> Router {
    let limits = state.limits;
    let import = Router::new()
        .route("/api/import", post(import_cases))
        .layer(DefaultBodyLimit::max(limits.import));
    Router::new()
        .route("/api/health", get(health))
        .route("/api/openapi.json", get(openapi))
        .route("/api/setup", post(setup))
        .route("/api/session", post(sign_in).delete(sign_out))
        .route("/api/session/password", post(change_password))
        .route("/api/users", get(users).post(create_user))
        .route("/api/users/{id}/disable", post(disable_user))
        .route("/api/users/{id}/enable", post(enable_user))
        .route("/api/users/{id}/revoke", post(revoke_user))
        .route("/api/users/{id}/unlock", post(unlock_user))
        .route("/api/classify", post(classify))
        .route("/api/cases", get(list_cases).post(create_case))
        .route("/api/cases/{id}", get(read_case).put(revise_case))
        .route("/api/cases/{id}/revisions", get(revisions))
        .route("/api/cases/{id}/assessments", get(assessments).post(assess))
        .route("/api/cases/{id}/decisions", get(decisions).post(decide))
        .route("/api/cases/{id}/consents", get(consents))
        .route("/api/cases/{id}/htcds", get(htcds))
        .route("/api/consents", post(record_consent))
        .route("/api/consents/{id}/withdraw", post(withdraw_consent))
        .route("/api/interviews", post(start_interview))
        .route("/api/interviews/{id}", get(show_interview))
        .route("/api/interviews/{id}/answers", post(answer_interview))
        .route("/api/interviews/{id}/back", post(back_interview))
        .route("/api/interviews/{id}/finish", post(finish_interview))
        .route("/api/law", get(law))
        .route("/api/law/instruments", get(instruments))
        .route("/api/law/provisions", get(provisions))
        // Provision ids have slashes (`instrument/article`): the rest of the path is the id.
        .route("/api/law/provisions/{*id}", get(provision))
        .route("/api/law/concepts", get(concepts))
        .route("/api/law/doctrines", get(doctrines))
        .route("/api/statistics", get(statistics))
        .route("/api/statistics.csv", get(statistics_csv))
        .route("/api/audit", get(audit))
        .route("/api/audit/verify", get(verify_audit))
        .layer(DefaultBodyLimit::max(limits.body))
        .merge(import)
        .fallback(not_found)
        .layer(axum::middleware::map_response(structure_errors))
        .with_state(state)
}

/// Errors raised before a handler runs (a body over the limit, a query that does not
/// parse) come back in the same structured shape as the handlers' own.
async fn structure_errors(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let code = match status {
        StatusCode::PAYLOAD_TOO_LARGE => "request.too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "request.media_type",
        StatusCode::METHOD_NOT_ALLOWED => "request.method",
        s if s.is_server_error() => "server.failed",
        _ => "request.invalid",
    };
    let text = axum::body::to_bytes(response.into_body(), 64 * 1024)
        .await
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let message = if text.is_empty() {
        status.canonical_reason().unwrap_or("error").to_string()
    } else {
        text
    };
    ApiError::new(status, code, message).into_response()
}

fn ok(value: impl serde::Serialize) -> ApiResult {
    Ok(Json(value).into_response())
}

fn created(value: impl serde::Serialize) -> ApiResult {
    Ok((StatusCode::CREATED, Json(value)).into_response())
}

async fn not_found(method: Method, uri: axum::http::Uri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "route.not_found",
        format!(
            "no route {method} {}; GET /api/openapi.json lists them",
            uri.path()
        ),
    )
}

async fn health(Shared(s): Shared<AppState>) -> ApiResult {
    ok(json!({
        "status": "ok",
        "backend": format!("{:?}", s.registry.backend()).to_lowercase(),
        "knowledge_base": s.kb.hash,
    }))
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], crate::OPENAPI).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Credentials {
    username: String,
    password: String,
    #[serde(default)]
    organisation: Option<String>,
    #[serde(default)]
    role: Option<Role>,
}

async fn setup(Shared(s): Shared<AppState>, body: Bytes) -> ApiResult {
    let c: Credentials = parse_json(&body)?;
    let org = c.organisation.unwrap_or_else(|| "Main office".into());
    let user = s
        .registry
        .first_administrator(&org, &c.username, &c.password)
        .await?;
    created(user)
}

async fn sign_in(Shared(s): Shared<AppState>, client: crate::ClientAddr, body: Bytes) -> ApiResult {
    let c: Credentials = parse_json(&body)?;
    match auth::sign_in(&s, client.key(), &c.username, &c.password).await {
        Ok(session) => {
            let cookie = session_cookie(&session.token, SESSION_SECONDS);
            Ok(([(header::SET_COOKIE, cookie)], Json(session)).into_response())
        }
        Err(refusal) => refused(refusal),
    }
}

/// A sign-in or password change refused: held back by the limiter (429 with `Retry-After`),
/// or by the registry.
fn refused(refusal: auth::SignInRefusal) -> ApiResult {
    match refusal {
        auth::SignInRefusal::Held(wait) => {
            let seconds = wait.as_secs().max(1);
            let mut e = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "auth.rate_limited",
                format!("too many failed sign-ins; try again in {seconds} seconds"),
            );
            e.details.push(format!("retry_after: {seconds}"));
            Ok(([(header::RETRY_AFTER, seconds.to_string())], e).into_response())
        }
        auth::SignInRefusal::Refused(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PasswordChange {
    current: String,
    new: String,
}

/// Changes the signed-in user's password; every session of theirs ends, this one too.
async fn change_password(
    Shared(s): Shared<AppState>,
    Signed(p): Signed,
    client: crate::ClientAddr,
    body: Bytes,
) -> ApiResult {
    let c: PasswordChange = parse_json(&body)?;
    let ended = match auth::change_password(&s, client.key(), &p, &c.current, &c.new).await {
        Ok(ended) => ended,
        Err(refusal) => return refused(refusal),
    };
    Ok((
        [(header::SET_COOKIE, session_cookie("", 0))],
        Json(json!({"changed": true, "sessions_ended": ended})),
    )
        .into_response())
}

async fn sign_out(Shared(s): Shared<AppState>, method: Method, headers: HeaderMap) -> ApiResult {
    if let Some((token, from_cookie)) = auth::token(&headers) {
        // A browser's sign-out carries the session's CSRF token like any change, so that
        // another site cannot end the session.
        if from_cookie {
            auth::user(&s, &method, &headers).await?;
        }
        s.registry.sign_out(&token).await?;
    }
    Ok((
        [(header::SET_COOKIE, session_cookie("", 0))],
        Json(json!({"signed_out": true})),
    )
        .into_response())
}

async fn users(Shared(s): Shared<AppState>, Signed(p): Signed) -> ApiResult {
    ok(s.registry.users(&p).await?)
}

async fn create_user(Shared(s): Shared<AppState>, Signed(p): Signed, body: Bytes) -> ApiResult {
    let c: Credentials = parse_json(&body)?;
    let role = c
        .role
        .ok_or_else(|| ApiError::bad_request("user.role", "give the new user's role"))?;
    // A new user joins the administrator's own organisation, and no other: the field is
    // accepted only when it names that organisation.
    if let Some(name) = &c.organisation {
        let own = s.registry.organisation_name(&p.organisation).await?;
        if name.trim() != own {
            return Err(s
                .registry
                .deny(
                    &p,
                    "user.create",
                    &c.username,
                    delimit_registry::RegistryError::forbidden(format!(
                        "an administrator creates users in their own organisation ({own}) only"
                    )),
                )
                .await
                .into());
        }
    }
    created(
        s.registry
            .create_user(&p, &c.username, &c.password, role)
            .await?,
    )
}

async fn disable_user(
    Shared(s): Shared<AppState>,
    Signed(p): Signed,
    Path(id): Path<String>,
) -> ApiResult {
    ok(s.registry.set_disabled(&p, &id, true).await?)
}

async fn enable_user(
    Shared(s): Shared<AppState>,
    Signed(p): Signed,
    Path(id): Path<String>,
) -> ApiResult {
    ok(s.registry.set_disabled(&p, &id, false).await?)
}

async fn revoke_user(
    Shared(s): Shared<AppState>,
    Signed(p): Signed,
    Path(id): Path<String>,
) -> ApiResult {
    let ended = s.registry.revoke_sessions(&p, &id).await?;
    ok(json!({ "user": id, "sessions_ended": ended }))
}

async fn unlock_user(
    Shared(s): Shared<AppState>,
    Signed(p): Signed,
    Path(id): Path<String>,
) -> ApiResult {
    let user = s.registry.unlock(&p, &id).await?;
    s.sign_in_limiter().unlock(&user.username);
    ok(json!({ "user": id, "unlocked": true }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseBody {
    /// A key given twice in the case is refused, not read as its last value.
    #[serde(deserialize_with = "delimit_case::json::unique_value")]
    case: Value,
    /// Absent on a change: the identity of the base revision is kept.
    #[serde(default)]
    identity: Option<Identity>,
    #[serde(default)]
    base_revision: Option<i64>,
    #[serde(default)]
    doctrines: Vec<String>,
    #[serde(default)]
    as_of: Option<String>,
}

/// The one check of a case sent to be classified or stored: the case reads, the reading it
/// asks (the body's `doctrines` and `as_of`, which go into the case, and the case's own) is
/// one the law knows. A case that passes classifies; one that does not is neither classified
/// nor stored. Returns the case and the doctrines it is read under.
fn checked_case(
    s: &AppState,
    b: &CaseBody,
) -> Result<(delimit_case::timeline::TimelineCase, Vec<usize>), ApiError> {
    let mut case = parse_case_value(s.kb, &b.case)?;
    if let Some(as_of) = date(b.as_of.as_deref())? {
        case.as_of = Some(as_of);
    }
    for name in &b.doctrines {
        if !case.doctrines.contains(name) {
            case.doctrines.push(name.clone());
        }
    }
    let doctrines = readings(s, &case.doctrines)?;
    Ok((case, doctrines))
}

fn readings(s: &AppState, names: &[String]) -> Result<Vec<usize>, ApiError> {
    names
        .iter()
        .map(|n| {
            s.kb.doctrine(n).ok_or_else(|| {
                ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "law.unknown_doctrine",
                    format!("no doctrine or reform `{n}`; GET /api/law/doctrines lists them"),
                )
            })
        })
        .collect()
}

fn date(text: Option<&str>) -> Result<Option<jiff::civil::Date>, ApiError> {
    text.map(|t| {
        t.parse().map_err(|_| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "request.date",
                format!("`{t}` is not a date (YYYY-MM-DD)"),
            )
        })
    })
    .transpose()
}

/// Qualifies a case without storing anything; no sign-in needed. The work waits for a turn
/// of [`classify_pool`] and runs on a thread of its own, so that the server answers other
/// requests meanwhile; past the pool's queue, `503 server.busy`. Without sign-in the answer
/// is at most `Limits::classify_answer` bytes (`422 classify.answer_too_large` past it). A
/// credential that is sent is checked: one that is not a live session's is refused.
async fn classify(
    Shared(s): Shared<AppState>,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let signed = match auth::token(&headers) {
        Some(_) => Some(auth::user(&s, &method, &headers).await?),
        None => None,
    };
    let Some(_turn) = classify_pool(&s.limits).turn().await else {
        return Ok(crate::guard::busy("classifications"));
    };
    let state = s.clone();
    let answer = tokio::task::spawn_blocking(move || classify_answer(&state, &body))
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "server.failed",
                "the classification stopped before its answer",
            )
        })??;
    let most = s.limits.classify_answer;
    if signed.is_none() && answer.len() > most {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "classify.answer_too_large",
            format!(
                "the answer has {} bytes; without sign-in an answer has at most {most} bytes \
                 ({} MiB): sign in (POST /api/session) and send the token, or classify the \
                 journey in parts (fewer persons, actors or events at once)",
                answer.len(),
                most >> 20
            ),
        ));
    }
    Ok(([(header::CONTENT_TYPE, "application/json")], answer).into_response())
}

/// The turns at classification without storing: one pool for the process, sized by the
/// `Limits` of the first request, since the cores it shares out are the process's.
fn classify_pool(limits: &crate::Limits) -> &'static crate::guard::WorkPool {
    static POOL: std::sync::OnceLock<crate::guard::WorkPool> = std::sync::OnceLock::new();
    POOL.get_or_init(|| crate::guard::WorkPool::new(limits.classify_workers, limits.classify_queue))
}

/// The answer of [`classify`] to `body`, as JSON.
fn classify_answer(s: &AppState, body: &[u8]) -> Result<Vec<u8>, ApiError> {
    let b: CaseBody = parse_json(body)?;
    let (case, doctrines) = checked_case(s, &b)?;
    let result = if doctrines.is_empty() {
        delimit_case::findings::assess_timeline_with(&s.plans, &case, "en")
    } else {
        delimit_case::findings::assess_timeline(s.kb, &case, &doctrines, "en")
    };
    serde_json::to_vec(&result).map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "server.failed",
            format!("the answer could not be written: {e}"),
        )
    })
}

async fn list_cases(
    Shared(s): Shared<AppState>,
    Signed(p): Signed,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult {
    let limit = q
        .get("limit")
        .map(|l| l.parse::<i64>())
        .transpose()
        .map_err(|_| ApiError::bad_request("request.limit", "limit is a number"))?
        .unwrap_or(100);
    ok(s.registry
        .cases(&p, q.get("after").map(String::as_str).unwrap_or(""), limit)
        .await?)
}

async fn create_case(Shared(s): Shared<AppState>, Signed(p): Signed, body: Bytes) -> ApiResult {
    let b: CaseBody = parse_json(&body)?;
    let (case, _) = checked_case(&s, &b)?;
    created(
        s.registry
            .create_case(&p, &case, &b.identity.unwrap_or_default())
            .await?,
    )
}

async fn read_case(
    Shared(s): Shared<AppState>,
    Signed(p): Signed,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult {
    let revision = q
        .get("revision")
        .map(|r| r.parse::<i64>())
        .transpose()
        .map_err(|_| ApiError::bad_request("request.revision", "revision is a number"))?;
    let identity = q.get("identity").is_some_and(|v| v == "true");
    ok(s.registry.case(&p, &id, revision, identity).await?)
}

async fn revise_case(
    Shared(s): Shared<AppState>,
    Signed(p): Signed,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let b: CaseBody = parse_json(&body)?;
    let base = b.base_revision.ok_or_else(|| {
        ApiError::bad_request(
            "case.base_revision",
            "give base_revision: the revision the change was made from",
        )
    })?;
    let (case, _) = checked_case(&s, &b)?;
    ok(s.registry
        .revise_case(&p, &id, base, &case, b.identity.as_ref())
        .await?)
}

async fn revisions(
    Shared(s): Shared<AppState>,
    Signed(p): Signed,
    Path(id): Path<String>,
) -> ApiResult {
    ok(s.registry.revisions(&p, &id).await?)
}

async fn assessments(
    Shared(s): Shared<AppState>,
    Signed(p): Signed,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult {
    let full = q.get("results").is_some_and(|v| v == "true");
    ok(s.registry.assessments(&p, &id, full).await?)
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct AssessBody {
    #[serde(default)]
    doctrines: Vec<String>,
    #[serde(default)]
    as_of: Option<String>,
}

async fn assess(
    Shared(s): Shared<AppState>,
    Signed(p): Signed,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let b: AssessBody = if body.is_empty() {
        AssessBody::default()
    } else {
        parse_json(&body)?
    };
    let doctrines = readings(&s, &b.doctrines)?;
    let as_of = date(b.as_of.as_deref())?;
    created(
        s.registry
            .assess_case(&p, s.kb, &id, &doctrines, as_of)
            .await?,
    )
}

async fn decisions(
    Shared(s): Shared<AppState>,
    Signed(p): Signed,
    Path(id): Path<String>,
) -> ApiResult {
    ok(s.registry.status_decisions(&p, &id).await?)
}

async fn decide(
    Shared(s): Shared<AppState>,
    Signed(p): Signed,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let d: StatusDecision = parse_json(&body)?;
    created(s.registry.decide_status(&p, &id, &d).await?)
}

async fn consents(
    Shared(s): Shared<AppState>,
    Signed(p): Signed,
    Path(id): Path<String>,
) -> ApiResult {
    ok(s.registry.consents(&p, &id).await?)
}

async fn htcds(
    Shared(s): Shared<AppState>,
    Signed(p): Signed,
    Path(id): Path<String>,
) -> ApiResult {
    let stored = s.registry.case(&p, &id, None, false).await?;
    let csv = delimit_case::htcds::to_htcds(&stored.case).map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "exchange.htcds",
            e.to_string(),
        )
    })?;
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], csv).into_response())
}

async fn record_consent(Shared(s): Shared<AppState>, Signed(p): Signed, body: Bytes) -> ApiResult {
    let c: NewConsent = parse_json(&body)?;
    created(s.registry.record_consent(&p, &c).await?)
}

async fn withdraw_consent(
    Shared(s): Shared<AppState>,
    Signed(p): Signed,
    Path(id): Path<String>,
) -> ApiResult {
    s.registry.withdraw_consent(&p, &id).await?;
    ok(json!({"withdrawn": id}))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InterviewStart {
    #[serde(default = "english")]
    lang: String,
}

fn english() -> String {
    "en".into()
}

fn check_lang(lang: &str) -> Result<(), ApiError> {
    if ["en", "ru", "tg"].contains(&lang) {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "interview.lang",
            "the interview speaks en, ru or tg",
        ))
    }
}

async fn load_interview(
    s: &AppState,
    p: &delimit_registry::Principal,
    id: &str,
) -> Result<(State, String, bool), ApiError> {
    let record = s.registry.interview(p, id).await?;
    let state: State = serde_json::from_value(record.state).map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "interview.state",
            e.to_string(),
        )
    })?;
    Ok((state, record.lang, record.finished))
}

fn interview_view(s: &AppState, id: &str, state: &State, lang: &str, finished: bool) -> ApiResult {
    let interview = interview::replay(s.kb, state, s.screen(state.list.as_deref()))?;
    let mut view = interview::present(&interview, lang);
    view["id"] = json!(id);
    view["lang"] = json!(lang);
    view["finished"] = json!(finished);
    view["answers"] = json!(state.answers);
    ok(view)
}

async fn start_interview(Shared(s): Shared<AppState>, Signed(p): Signed, body: Bytes) -> ApiResult {
    let start: InterviewStart = if body.is_empty() {
        InterviewStart { lang: english() }
    } else {
        parse_json(&body)?
    };
    check_lang(&start.lang)?;
    let state = State::default();
    let id = s
        .registry
        .save_interview(&p, None, &start.lang, &json!(state), false)
        .await?;
    let mut r = interview_view(&s, &id, &state, &start.lang, false)?;
    *r.status_mut() = StatusCode::CREATED;
    Ok(r)
}

async fn show_interview(
    Shared(s): Shared<AppState>,
    Signed(p): Signed,
    Path(id): Path<String>,
) -> ApiResult {
    let (state, lang, finished) = load_interview(&s, &p, &id).await?;
    interview_view(&s, &id, &state, &lang, finished)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnswerBody {
    /// `consent`, or the fact the question was about.
    question: String,
    /// As typed: `yes`, `no`, a date, a number, an option, `don't know`, `prefer not to say`.
    answer: String,
}

async fn answer_interview(
    Shared(s): Shared<AppState>,
    Signed(p): Signed,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let a: AnswerBody = parse_json(&body)?;
    let (mut state, lang, _) = load_interview(&s, &p, &id).await?;
    if a.question == "consent" {
        let typed = delimit_screening::input::read_yes_no(&a.answer);
        let given = match typed {
            Ok(delimit_screening::input::Typed::Reply(delimit_screening::Reply::Value(
                delimit_engine::FactValue::Bool(b),
            ))) => b,
            _ => {
                return Err(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "interview.consent",
                    "consent is yes or no",
                ));
            }
        };
        state.consent = Some(given);
    } else {
        if state.consent != Some(true) {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "interview.no_consent",
                "consent comes first; nothing is asked without it",
            ));
        }
        let mut interview = interview::replay(s.kb, &state, s.screen(state.list.as_deref()))?;
        interview::apply(s.kb, &mut interview, &a.question, &a.answer)?;
        state.record(a.question, a.answer);
    }
    let declined = state.consent == Some(false);
    if declined {
        // Consent refused: nothing is kept but the refusal.
        state.answers.clear();
    }
    s.registry
        .save_interview(&p, Some(&id), &lang, &json!(state), declined)
        .await?;
    interview_view(&s, &id, &state, &lang, declined)
}

async fn back_interview(
    Shared(s): Shared<AppState>,
    Signed(p): Signed,
    Path(id): Path<String>,
) -> ApiResult {
    let (mut state, lang, _) = load_interview(&s, &p, &id).await?;
    if state.answers.pop().is_none() {
        state.consent = None;
    }
    s.registry
        .save_interview(&p, Some(&id), &lang, &json!(state), false)
        .await?;
    interview_view(&s, &id, &state, &lang, false)
}

async fn finish_interview(
    Shared(s): Shared<AppState>,
    Signed(p): Signed,
    Path(id): Path<String>,
) -> ApiResult {
    let (state, lang, _) = load_interview(&s, &p, &id).await?;
    s.registry
        .save_interview(&p, Some(&id), &lang, &json!(state), true)
        .await?;
    interview_view(&s, &id, &state, &lang, true)
}

async fn law(Shared(s): Shared<AppState>) -> ApiResult {
    let kb = s.kb;
    ok(json!({
        "knowledge_base": kb.hash,
        "instruments": kb.instruments.len(),
        "provisions": kb.provisions.len(),
        "facts": kb.facts.len(),
        "concepts": kb.concepts.len(),
        "rules": kb.rules.len(),
        "doctrines": kb.doctrines.len(),
    }))
}

async fn instruments(Shared(s): Shared<AppState>) -> ApiResult {
    ok(&s.kb.instruments)
}

async fn provisions(Shared(s): Shared<AppState>) -> ApiResult {
    ok(&s.kb.provisions)
}

async fn provision(Shared(s): Shared<AppState>, Path(id): Path<String>) -> ApiResult {
    let p = s.kb.provisions.iter().find(|p| p.id == id).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "law.provision_not_found",
            format!("no provision `{id}`"),
        )
    })?;
    ok(p)
}

async fn concepts(Shared(s): Shared<AppState>) -> ApiResult {
    ok(&s.kb.concepts)
}

async fn doctrines(Shared(s): Shared<AppState>) -> ApiResult {
    ok(&s.kb.doctrines)
}

fn filter(q: &HashMap<String, String>) -> Result<Option<(&str, &str)>, ApiError> {
    q.get("filter")
        .map(|f| {
            f.split_once(':').ok_or_else(|| {
                ApiError::bad_request("statistics.filter", "filter is dimension:value")
            })
        })
        .transpose()
}

async fn statistics(
    Shared(s): Shared<AppState>,
    Signed(p): Signed,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult {
    let f = filter(&q)?;
    match q.get("dimension") {
        Some(d) => ok(s.registry.statistics(&p, d, f).await?),
        None => ok(s.registry.all_statistics(&p, f).await?),
    }
}

async fn statistics_csv(
    Shared(s): Shared<AppState>,
    Signed(p): Signed,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult {
    let d = q
        .get("dimension")
        .ok_or_else(|| ApiError::bad_request("statistics.dimension", "give ?dimension="))?;
    let table = s.registry.statistics(&p, d, filter(&q)?).await?;
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8")],
        table.to_csv(),
    )
        .into_response())
}

async fn import_cases(
    Shared(s): Shared<AppState>,
    Signed(p): Signed,
    h: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let csv = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/csv"));
    let format = if csv {
        ImportFormat::HtcdsCsv
    } else {
        ImportFormat::JsonLines
    };
    let report = s.registry.import(&p, &body, format, &mut |_| {}).await?;
    created(report)
}

async fn audit(
    Shared(s): Shared<AppState>,
    Signed(p): Signed,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult {
    let after = q.get("after").and_then(|a| a.parse().ok()).unwrap_or(0);
    let limit = q.get("limit").and_then(|a| a.parse().ok()).unwrap_or(1000);
    ok(s.registry.audit_log(&p, after, limit).await?)
}

async fn verify_audit(
    Shared(s): Shared<AppState>,
    Signed(p): Signed,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult {
    if p.role != Role::Administrator {
        // Goes through the registry so that the refusal is recorded.
        s.registry.audit_log(&p, 0, 1).await?;
    }
    ok(s.registry
        .verify_audit(q.get("head").map(String::as_str))
        .await?)
}
