//! The guided interview in the browser: consent first, then one question at a time, with
//! "don't know", "prefer not to say", going back, "why are you asking?", a panel of what is
//! established, indicated and open, and a stop that saves what was gathered as a case.
//!
//! The interview is the terminal's engine; what is stored is the consent and the answers as
//! typed, after every answer, so that a lost session or a restart loses nothing.

use crate::page::{Fields, PageError, PageResult, Viewer, percent_encode, see_other, words};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use delimit_engine::Tri;
use delimit_i18n::Arg;
use delimit_law::{FactType, Topic};
use delimit_registry::{Identity, NewConsent, Principal};
use delimit_screening::input::{Typed, read, read_yes_no};
use delimit_screening::{Interview, Next, Question};
use delimit_server::AppState;
use delimit_server::interview::{INDICATOR_KEY, State as Answers, replay, today};
use minijinja::context;
use serde::{Deserialize, Serialize};

fn topic_key(t: Topic) -> &'static str {
    match t {
        Topic::Identity => "topic-identity",
        Topic::Migration => "topic-migration",
        Topic::Work => "topic-work",
        Topic::Control => "topic-control",
        Topic::Sensitive => "topic-sensitive",
    }
}

fn tri_name(t: Tri) -> &'static str {
    match t {
        Tri::True => "yes",
        Tri::False => "no",
        Tri::Unknown => "open",
    }
}

pub async fn consent_form(State(s): State<AppState>, v: Viewer) -> PageResult {
    // Only those who may record an interview are offered one.
    v.writer(&s).await?;
    consent_page(&s, &v)
}

fn consent_page(s: &AppState, v: &Viewer) -> PageResult {
    let lists: Vec<_> = s
        .indicators()
        .map(|i| {
            i.lists
                .iter()
                .filter(|l| s.screen(Some(&l.id)).is_some())
                .map(|l| context! { id => l.id, title => l.title.get(v.lang), status => l.status.name() })
                .collect()
        })
        .unwrap_or_default();
    v.render(s, "consent.html", context! { lists => lists })
}

/// Consent given: the interview starts and is stored; refused: nothing is kept but the
/// refusal itself, recorded as a consent record.
pub async fn start(State(s): State<AppState>, v: Viewer, body: Bytes) -> PageResult {
    let (_, principal) = v.writer(&s).await?;
    let form = Fields::parse(&body);
    v.check_csrf(&s, form.text("csrf")).await?;
    let given = form.get("consent") == Some("yes");
    if !given {
        record_consent(&s, &v, &principal, None, false).await?;
        return v.render(&s, "consent.html", context! { declined => true });
    }
    let list = form
        .get("list")
        .filter(|l| s.screen(Some(l)).is_some())
        .map(str::to_owned);
    let answers = Answers {
        consent: Some(true),
        answers: Vec::new(),
        list,
    };
    let id = s
        .registry
        .save_interview(&principal, None, v.lang, &json(&answers), false)
        .await
        .map_err(|e| v.registry_error(e))?;
    record_consent(&s, &v, &principal, Some(&id), true).await?;
    Ok(see_other(&format!("/interviews/{id}")))
}

async fn record_consent(
    s: &AppState,
    v: &Viewer,
    principal: &Principal,
    interview: Option<&str>,
    given: bool,
) -> Result<(), PageError> {
    let consent = NewConsent {
        case: None,
        interview: interview.map(str::to_owned),
        person: None,
        purpose: "screening".into(),
        given,
    };
    s.registry
        .record_consent(principal, &consent)
        .await
        .map(|_| ())
        .map_err(|e| v.registry_error(e))
}

fn json(answers: &Answers) -> serde_json::Value {
    serde_json::to_value(answers).unwrap_or_default()
}

/// Stores the interview's answers, and whether it is finished.
async fn save(
    s: &AppState,
    v: &Viewer,
    principal: &Principal,
    id: &str,
    answers: &Answers,
    finished: bool,
) -> Result<(), PageError> {
    s.registry
        .save_interview(principal, Some(id), v.lang, &json(answers), finished)
        .await
        .map(|_| ())
        .map_err(|e| v.registry_error(e))
}

/// The interview a form changes: only for those who record interviews, and only with the
/// session's token. A lost session has been dealt with before.
async fn to_change(
    s: &AppState,
    v: &Viewer,
    id: &str,
    form: &Fields,
) -> Result<(Principal, Stored), PageError> {
    v.writer(s).await?;
    let loaded = load(s, v, id).await?;
    v.check_csrf(s, form.text("csrf")).await?;
    Ok(loaded)
}

/// The stored interview: its answers, whether it is finished and the case it became.
struct Stored {
    answers: Answers,
    finished: bool,
    case: Option<String>,
}

async fn load(s: &AppState, v: &Viewer, id: &str) -> Result<(Principal, Stored), PageError> {
    let (_, principal) = v.signed()?;
    let record = s
        .registry
        .interview(&principal, id)
        .await
        .map_err(|e| v.registry_error(e))?;
    let answers: Answers = serde_json::from_value(record.state).map_err(|e| {
        v.error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "error-storage",
            e.to_string(),
        )
    })?;
    Ok((
        principal,
        Stored {
            answers,
            finished: record.finished,
            case: record.case,
        },
    ))
}

fn rebuild(s: &AppState, v: &Viewer, answers: &Answers) -> Result<Interview<'static>, PageError> {
    replay(s.kb, answers, s.screen(answers.list.as_deref())).map_err(|e| {
        v.error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "error-storage",
            e.message,
        )
    })
}

/// An answer sent when the session had ended, carried through the sign-in page.
#[derive(Deserialize)]
pub struct Pending {
    question: Option<String>,
    typed: Option<String>,
}

pub async fn show(
    State(s): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    Query(pending): Query<Pending>,
) -> PageResult {
    let (_, stored) = load(&s, &v, &id).await?;
    let interview = rebuild(&s, &v, &stored.answers)?;
    // The answer that could not be kept is shown again, to be checked and sent.
    let echo = match (pending.question, pending.typed) {
        (Some(key), Some(typed)) => question_of(&s, &interview, &key).map(|q| Echo {
            message: words(v.lang).text("interview-pending", &[]),
            typed,
            question: Some(q),
            refused: false,
        }),
        _ => None,
    };
    page(&s, &v, &id, &interview, &stored, echo, StatusCode::OK)
}

/// An answer shown again: refused (with the reason), or sent when the session had ended.
struct Echo {
    message: String,
    typed: String,
    /// The question answered, when it is one of this interview's.
    question: Option<Question>,
    refused: bool,
}

/// The question of this interview that `key` names: a fact, or `indicator:<id>`.
fn question_of(s: &AppState, interview: &Interview<'_>, key: &str) -> Option<Question> {
    match key.strip_prefix(INDICATOR_KEY) {
        Some(indicator) => interview.screen().and_then(|screen| {
            screen
                .askable()
                .find(|(_, ind)| ind.id == indicator)
                .map(|(i, _)| Question::Indicator(i))
        }),
        None => s.kb.fact(key).map(Question::Fact),
    }
}

/// The options of a several-of answer as typed (`name: yes, other: no`), by name.
fn option_answers(typed: &str) -> std::collections::BTreeMap<&str, &str> {
    typed
        .split(',')
        .filter_map(|part| part.split_once(':'))
        .map(|(name, answer)| (name.trim(), answer.trim()))
        .collect()
}

#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
}

/// The page: the question (or the outcome), the "why" and the panel.
fn page(
    s: &AppState,
    v: &Viewer,
    id: &str,
    interview: &Interview<'_>,
    stored: &Stored,
    echo: Option<Echo>,
    status: StatusCode,
) -> PageResult {
    let kb = s.kb;
    let lang = v.lang;
    let t = words(lang);
    let label = |c: usize| context! { concept => kb.concepts[c].name, label => kb.concepts[c].label.get(lang) };
    let standing = interview.standing();
    let established: Vec<_> = standing.established.iter().map(|&c| label(c)).collect();
    let open: Vec<_> = standing.open.iter().map(|&c| label(c)).collect();
    let indicated = interview
        .screen()
        .zip(interview.profile())
        .map(|(screen, profile)| {
            let dimensions: Vec<_> = profile
                .dimensions
                .iter()
                .map(|d| {
                    let present: Vec<String> = interview
                        .present_in(d, lang)
                        .into_iter()
                        .map(|(indicator, by)| t.indicator_present(indicator, by))
                        .collect();
                    context! {
                        label => screen.indicators.dimension_label(screen.list, &d.dimension, lang),
                        reading => tri_name(d.positive),
                        present => present,
                    }
                })
                .collect();
            context! { reading => tri_name(profile.indicative_reading), dimensions => dimensions }
        });
    let next = if stored.finished {
        Next::Complete
    } else {
        interview.next()
    };
    // An answer shown again shows the question it answered.
    let question = match (&echo, next) {
        (Some(r), _) if r.question.is_some() => r.question,
        (_, Next::Ask(f)) => Some(Question::Fact(f)),
        (_, Next::AskIndicator(i)) => Some(Question::Indicator(i)),
        _ => None,
    };
    let question = question.and_then(|q| question_context(s, v, interview, q));
    let summary = t.text(
        "done-summary",
        &[
            ("asked", Arg::from(interview.asked())),
            ("total", Arg::from(interview.full_questionnaire())),
        ],
    );
    let progress = t.text(
        "prompt-progress",
        &[
            ("asked", Arg::from(interview.asked() + 1)),
            ("left", Arg::from(interview.remaining_at_most())),
        ],
    );
    let (error, pending, typed) = match &echo {
        Some(e) if e.refused => (Some(e.message.as_str()), None, Some(e.typed.as_str())),
        Some(e) => (None, Some(e.message.as_str()), Some(e.typed.as_str())),
        None => (None, None, None),
    };
    let typed_options = typed.map(option_answers).unwrap_or_default();
    v.render_status(
        s,
        status,
        "interview.html",
        context! {
            id => id,
            question => question,
            error => error,
            pending => pending,
            typed => typed,
            typed_options => typed_options,
            progress => progress,
            summary => summary,
            established => established,
            open => open,
            indicated => indicated,
            finished => stored.finished,
            case => stored.case,
            answered => interview.asked(),
        },
    )
}

fn question_context(
    s: &AppState,
    v: &Viewer,
    interview: &Interview<'_>,
    question: Question,
) -> Option<minijinja::Value> {
    let kb = s.kb;
    let lang = v.lang;
    let t = words(lang);
    Some(match question {
        Question::Fact(f) => {
            let fact = &kb.facts[f];
            let why = interview.why(f);
            let options = |o: &[String]| -> Vec<Choice> {
                o.iter()
                    .enumerate()
                    .map(|(i, name)| Choice {
                        value: name.clone(),
                        label: fact
                            .option_labels
                            .get(i)
                            .map(|l| l.get(lang))
                            .filter(|l| !l.is_empty())
                            .unwrap_or(name)
                            .to_owned(),
                    })
                    .collect()
            };
            let (ty, options) = match &fact.ty {
                FactType::YesNo => ("yes_no", Vec::new()),
                FactType::Date => ("date", Vec::new()),
                FactType::Number => ("number", Vec::new()),
                FactType::OneOf(o) => ("one_of", options(o)),
                FactType::SeveralOf(o) => ("several_of", options(o)),
            };
            let concepts: Vec<&str> = why
                .concepts
                .iter()
                .map(|&c| kb.concepts[c].label.get(lang))
                .collect();
            let provisions: Vec<_> = why
                .provisions
                .iter()
                .map(|&p| context! { id => kb.provisions[p].id, status => kb.provisions[p].status.name() })
                .collect();
            context! {
                kind => "fact",
                id => fact.name,
                key => fact.name,
                type => ty,
                text => fact.question.get(lang),
                topic => t.text(topic_key(fact.topic), &[]),
                options => options,
                serves => t.text("why-serves", &[("conclusions", Arg::Text(&concepts.join("; ")))]),
                provisions => provisions,
                max_date => today().to_string(),
            }
        }
        Question::Indicator(i) => {
            let screen = interview.screen()?;
            let ind = interview.indicator(i)?;
            let dimension = ind.dimension.as_deref().map_or("", |d| {
                screen.indicators.dimension_label(&ind.list, d, lang)
            });
            let label = format!("{}; {dimension}", ind.label.get(lang));
            context! {
                kind => "indicator",
                id => ind.id,
                key => format!("{INDICATOR_KEY}{}", ind.id),
                type => "yes_no",
                text => ind.question.get(lang),
                topic => t.text(topic_key(ind.topic.unwrap_or(Topic::Sensitive)), &[]),
                options => Vec::<Choice>::new(),
                serves => t.text("why-indicator-only", &[
                    ("list", Arg::Text(&ind.list)),
                    ("indicator", Arg::Text(&label)),
                    ("status", Arg::Text(ind.status.name())),
                ]),
                provisions => Vec::<()>::new(),
            }
        }
    })
}

/// To the sign-in page, saying the session ended, and back to `page` afterwards (a form's
/// own address would be asked for with GET, which it does not answer).
fn signed_out(page: &str) -> PageError {
    PageError::Redirect(format!("/sign-in?expired=1&next={}", percent_encode(page)))
}

/// What the form says, as the terminal would have read it typed. A question of several
/// options is answered option by option (`option:<name>` = yes, no or unknown): those left
/// unknown stay open.
fn typed_answer(form: &Fields) -> String {
    match form.get("action") {
        Some("dont_know") => "don't know".to_owned(),
        Some("prefer_not") => "prefer not to say".to_owned(),
        _ => {
            let options: Vec<String> = form
                .0
                .iter()
                .filter_map(|(k, v)| Some((k.strip_prefix("option:")?, v.as_str())))
                .filter(|(_, v)| matches!(*v, "yes" | "no"))
                .map(|(name, v)| format!("{name}: {v}"))
                .collect();
            if !options.is_empty() {
                options.join(", ")
            } else if form.0.iter().any(|(k, _)| k.starts_with("option:")) {
                "don't know".to_owned()
            } else {
                form.get("answer").unwrap_or("").trim().to_owned()
            }
        }
    }
}

pub async fn answer(
    State(s): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> PageResult {
    let form = Fields::parse(&body);
    if v.user.is_none() {
        // The session ended while the question was on screen: sign in, then see the
        // answer again on the interview's page, nothing lost.
        let mut back = format!("/interviews/{id}");
        if let Some(key) = form.get("question") {
            back = format!(
                "{back}?question={}&typed={}",
                percent_encode(key),
                percent_encode(&typed_answer(&form))
            );
        }
        return Err(signed_out(&back));
    }
    let (principal, mut stored) = to_change(&s, &v, &id, &form).await?;
    if stored.finished {
        return Ok(see_other(&format!("/interviews/{id}")));
    }
    let key = form.get("question").unwrap_or("").to_owned();
    let typed = typed_answer(&form);
    let mut interview = rebuild(&s, &v, &stored.answers)?;
    let asked = question_of(&s, &interview, &key);
    let reading = asked.map(|q| match q {
        Question::Indicator(_) => read_yes_no(&typed),
        Question::Fact(f) => read(s.kb, f, &typed, today()),
    });
    let refusal = match reading {
        None => Some(words(v.lang).text("error-invalid", &[])),
        Some(Ok(Typed::Reply(_))) => None,
        Some(Ok(Typed::Command(_))) => Some(words(v.lang).text("error-yesno", &[])),
        Some(Err(r)) => {
            let args: Vec<(&str, Arg)> = r
                .args
                .iter()
                .map(|(k, val)| match val.parse::<i64>() {
                    Ok(n) => (*k, Arg::from(n)),
                    Err(_) => (*k, Arg::Text(val)),
                })
                .collect();
            Some(words(v.lang).text(r.key, &args))
        }
    };
    if let Some(message) = refusal {
        return page(
            &s,
            &v,
            &id,
            &interview,
            &stored,
            Some(Echo {
                message,
                typed,
                question: asked,
                refused: true,
            }),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    delimit_server::interview::apply(s.kb, &mut interview, &key, &typed)
        .map_err(|e| v.error(StatusCode::UNPROCESSABLE_ENTITY, "error-invalid", e.message))?;
    stored.answers.record(key, typed);
    save(&s, &v, &principal, &id, &stored.answers, false).await?;
    Ok(see_other(&format!("/interviews/{id}")))
}

pub async fn back(
    State(s): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> PageResult {
    if v.user.is_none() {
        return Err(signed_out(&format!("/interviews/{id}")));
    }
    let (principal, mut stored) = to_change(&s, &v, &id, &Fields::parse(&body)).await?;
    if !stored.finished && stored.answers.answers.pop().is_some() {
        save(&s, &v, &principal, &id, &stored.answers, false).await?;
    }
    Ok(see_other(&format!("/interviews/{id}")))
}

/// Stops the interview and keeps what was gathered: the answers become a case (one person
/// stating the facts, identified at this interview), which the interview is linked to.
pub async fn stop(
    State(s): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> PageResult {
    if v.user.is_none() {
        return Err(signed_out(&format!("/interviews/{id}")));
    }
    let (principal, stored) = to_change(&s, &v, &id, &Fields::parse(&body)).await?;
    if let Some(case) = &stored.case {
        return Ok(see_other(&format!("/cases/{case}")));
    }
    let interview = rebuild(&s, &v, &stored.answers)?;
    let on = today();
    let title = words(v.lang).text(
        "interview-case-title",
        &[("date", Arg::Text(&on.to_string()))],
    );
    let case = delimit_case::timeline::told_in_interview(s.kb, &interview.facts(), on, &title);
    let created = s
        .registry
        .create_case(&principal, &case, &Identity::default())
        .await
        .map_err(|e| v.registry_error(e))?;
    s.registry
        .link_interview(&principal, &id, &created.id)
        .await
        .map_err(|e| v.registry_error(e))?;
    save(&s, &v, &principal, &id, &stored.answers, true).await?;
    Ok(see_other(&format!("/cases/{}", created.id)))
}
