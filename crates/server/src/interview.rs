//! The screening interview over HTTP, one question at a time, with the engine the terminal
//! uses. What is stored is the consent and the answers as typed; the interview is rebuilt
//! from them on each request, so a lost session or a restarted server loses nothing.

use crate::error::ApiError;
use delimit_engine::{Plan, Query};
use delimit_law::KnowledgeBase;
use delimit_screening::input::{Typed, read, read_yes_no};
use delimit_screening::{Interview, Next, Screen};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// How an answer to an indicator is keyed among the answers: `indicator:<id>`.
pub const INDICATOR_KEY: &str = "indicator:";

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct State {
    pub consent: Option<bool>,
    /// `(fact, answer as typed)`, in the order given; an indicator's answer is keyed
    /// `indicator:<id>`.
    pub answers: Vec<(String, String)>,
    /// The indicator list asked alongside the law, if one was chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list: Option<String>,
}

impl State {
    /// Records an answer, replacing an earlier one to the same question.
    pub fn record(&mut self, question: String, typed: String) {
        self.answers.retain(|(q, _)| *q != question);
        self.answers.push((question, typed));
    }
}

pub fn today() -> jiff::civil::Date {
    jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date()
}

/// Rebuilds the interview from its stored answers, with `screen` when it asks indicators.
pub fn replay<'k>(
    kb: &'k KnowledgeBase,
    state: &State,
    screen: Option<Screen<'k>>,
) -> Result<Interview<'k>, ApiError> {
    let plan = Plan::new(
        kb,
        Query {
            as_of: today(),
            doctrines: Vec::new(),
        },
    )
    .map_err(|e| ApiError::bad_request("interview.plan", e.to_string()))?;
    let mut interview = match screen {
        Some(screen) => Interview::with_screen(plan, screen),
        None => Interview::new(plan),
    };
    if let Some(c) = state.consent {
        interview.consent(c);
    }
    for (fact, text) in &state.answers {
        apply(kb, &mut interview, fact, text)?;
    }
    Ok(interview)
}

/// Applies one typed answer to a fact, or to an indicator (`indicator:<id>`) of the
/// interview's screen; a refused answer gives the reason's key and the question stays.
pub fn apply(
    kb: &KnowledgeBase,
    interview: &mut Interview<'_>,
    question: &str,
    text: &str,
) -> Result<(), ApiError> {
    let unknown =
        || ApiError::bad_request("interview.fact", format!("no question about `{question}`"));
    let (typed, target) = match question.strip_prefix(INDICATOR_KEY) {
        Some(id) => {
            let screen = interview.screen().ok_or_else(unknown)?;
            let i = screen
                .askable()
                .find(|(_, ind)| ind.id == id)
                .map(|(i, _)| i)
                .ok_or_else(unknown)?;
            (read_yes_no(text), delimit_screening::Question::Indicator(i))
        }
        None => {
            let f = kb.fact(question).ok_or_else(unknown)?;
            (
                read(kb, f, text, today()),
                delimit_screening::Question::Fact(f),
            )
        }
    };
    match typed {
        Ok(Typed::Reply(reply)) => {
            match target {
                delimit_screening::Question::Fact(f) => interview.answer(f, reply),
                delimit_screening::Question::Indicator(i) => interview.answer_indicator(i, reply),
            }
            Ok(())
        }
        Ok(Typed::Command(_)) => Err(ApiError::bad_request(
            "interview.command",
            "use POST …/back to go back; `why` is part of every question",
        )),
        Err(refusal) => {
            let mut e = ApiError::new(
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                "interview.answer_refused",
                format!("the answer does not fit the question ({})", refusal.key),
            );
            e.details = refusal
                .args
                .iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect();
            e.details.insert(0, refusal.key.to_string());
            Err(e)
        }
    }
}

/// What the client shows: the next question (or why there is none) and the panel.
pub fn present(interview: &Interview<'_>, lang: &str) -> Value {
    let kb = interview.kb();
    let standing = interview.standing();
    let names = |cs: &[usize]| -> Vec<Value> {
        cs.iter()
            .map(|&c| json!({"concept": kb.concepts[c].name, "label": kb.concepts[c].label.get(lang)}))
            .collect()
    };
    let panel = json!({
        "established": names(&standing.established),
        "open": names(&standing.open),
        "asked": interview.asked(),
    });
    let question = |f: usize| {
        let fact = &kb.facts[f];
        let why = interview.why(f);
        json!({
            "fact": fact.name,
            "text": fact.question.get(lang),
            "type": fact.ty.describe(),
            "options": fact.ty.options(),
            "topic": fact.topic.name(),
            "why": {
                "concepts": why.concepts.iter().map(|&c| &kb.concepts[c].name).collect::<Vec<_>>(),
                "provisions": why.provisions.iter().map(|&p| json!({
                    "id": kb.provisions[p].id,
                    "status": kb.provisions[p].status,
                })).collect::<Vec<_>>(),
            },
        })
    };
    let (status, q) = match interview.next() {
        Next::Consent => ("consent", Value::Null),
        Next::Ask(f) => ("ask", question(f)),
        // The API asks the law's questions; indicator lists are asked on the terminal.
        Next::AskIndicator(_) => ("complete", Value::Null),
        Next::Declined => ("declined", Value::Null),
        Next::Complete => ("complete", Value::Null),
    };
    json!({ "status": status, "question": q, "panel": panel })
}
