//! Reading an answer as typed: words for yes and no in three languages, option numbers or
//! names, dates, numbers, "don't know" and "prefer not to say". A reply that does not fit is
//! refused with a reason the caller can say in the interview's language.

use crate::Reply;
use delimit_engine::FactValue;
use delimit_law::{FactId, FactType, KnowledgeBase};
use jiff::civil::Date;

/// Why a typed answer was refused: a message key of the interview's texts and its arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl Refusal {
    fn new(key: &'static str, args: &[(&'static str, String)]) -> Self {
        Refusal {
            key,
            args: args.to_vec(),
        }
    }
}

/// A command typed instead of an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    Back,
    Why,
    Stop,
}

/// What was typed: an answer or a command.
#[derive(Clone, Debug, PartialEq)]
pub enum Typed {
    Reply(Reply),
    Command(Command),
}

const YES: &[&str] = &["yes", "y", "да", "ҳа", "ha"];
const NO: &[&str] = &["no", "n", "нет", "не", "не.", "na"];
const DONT_KNOW: &[&str] = &[
    "don't know",
    "dont know",
    "?",
    "не знаю",
    "намедонам",
    "unknown",
];
const PREFER_NOT: &[&str] = &[
    "prefer not to say",
    "prefer not",
    "refuse",
    "refused",
    "не хочу говорить",
    "намехоҳам бигӯям",
];
const NONE: &[&str] = &["none", "нет", "ничего", "ҳеҷ", "ҳеҷ кадом"];

/// Folds Tajik letters to their Russian-keyboard look-alikes, so that "ха" reads as "ҳа".
fn fold(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .map(|c| match c {
            'ҳ' => 'х',
            'ҷ' => 'ч',
            'қ' => 'к',
            'ғ' => 'г',
            'ӣ' => 'и',
            'ӯ' => 'у',
            other => other,
        })
        .collect()
}

fn one_of(word: &str, list: &[&str]) -> bool {
    let word = fold(word);
    list.iter().any(|w| fold(w) == word)
}

/// A command, or an answer any question accepts ("don't know", "prefer not to say").
fn command_or_any_answer(lower: &str) -> Option<Typed> {
    if one_of(lower, &["back", "назад", "ақиб"]) {
        return Some(Typed::Command(Command::Back));
    }
    if one_of(lower, &["why", "почему", "чаро"]) {
        return Some(Typed::Command(Command::Why));
    }
    if one_of(lower, &["stop", "стоп", "бас"]) {
        return Some(Typed::Command(Command::Stop));
    }
    if one_of(lower, DONT_KNOW) {
        return Some(Typed::Reply(Reply::DontKnow));
    }
    if one_of(lower, PREFER_NOT) {
        return Some(Typed::Reply(Reply::PreferNotToSay));
    }
    None
}

fn yes_no(lower: &str) -> Result<FactValue, Refusal> {
    if one_of(lower, YES) {
        Ok(FactValue::Bool(true))
    } else if one_of(lower, NO) {
        Ok(FactValue::Bool(false))
    } else {
        Err(Refusal::new("error-yesno", &[]))
    }
}

/// Reads a typed line for a yes-or-no question that is not a fact of the law (an indicator).
pub fn read_yes_no(line: &str) -> Result<Typed, Refusal> {
    let lower = line.trim().to_lowercase();
    match command_or_any_answer(&lower) {
        Some(typed) => Ok(typed),
        None => yes_no(&lower).map(|v| Typed::Reply(Reply::Value(v))),
    }
}

/// Reads a typed line for a question about `fact`; `today` bounds dates.
pub fn read(kb: &KnowledgeBase, fact: FactId, line: &str, today: Date) -> Result<Typed, Refusal> {
    let text = line.trim();
    let lower = text.to_lowercase();
    if let Some(typed) = command_or_any_answer(&lower) {
        return Ok(typed);
    }
    let value = match &kb.facts[fact].ty {
        FactType::YesNo => yes_no(&lower)?,
        FactType::Date => {
            let d: Date = text
                .parse()
                .map_err(|_| Refusal::new("error-date", &[("value", text.to_string())]))?;
            if d > today {
                return Err(Refusal::new(
                    "error-date-future",
                    &[("value", text.to_string())],
                ));
            }
            FactValue::Date(d)
        }
        FactType::Number => {
            let n: f64 = text
                .replace(',', ".")
                .parse()
                .map_err(|_| Refusal::new("error-number", &[("value", text.to_string())]))?;
            if !n.is_finite() || !(0.0..=1.0e12).contains(&n) {
                return Err(Refusal::new("error-number", &[("value", text.to_string())]));
            }
            FactValue::Number(n)
        }
        FactType::OneOf(options) => FactValue::Choice(option(options, text)?),
        FactType::SeveralOf(options) => {
            let all = if options.len() >= 64 {
                u64::MAX
            } else {
                (1u64 << options.len()) - 1
            };
            if text.contains([':', '=']) {
                // Option by option, `deception: yes, force: no`: those not named stay open.
                let (mut known, mut value) = (0u64, 0u64);
                for part in text.split([',', ';']).filter(|p| !p.trim().is_empty()) {
                    let (name, answer) = part.split_once([':', '=']).unwrap_or((part, ""));
                    let i = option(options, name.trim())?;
                    let answer = answer.trim().to_lowercase();
                    if one_of(&answer, DONT_KNOW) {
                        continue;
                    }
                    known |= 1 << i;
                    value |= u64::from(yes_no(&answer)? == FactValue::Bool(true)) << i;
                }
                if known == 0 {
                    return Ok(Typed::Reply(Reply::DontKnow));
                }
                FactValue::Set { known, value }
            } else {
                let mut value = 0u64;
                if !one_of(&lower, NONE) {
                    for part in text.split([',', ';', ' ']).filter(|p| !p.trim().is_empty()) {
                        value |= 1 << option(options, part.trim())?;
                    }
                }
                FactValue::Set { known: all, value }
            }
        }
    };
    Ok(Typed::Reply(Reply::Value(value)))
}

/// An option by its number (from 1) or its name.
fn option(options: &[String], text: &str) -> Result<usize, Refusal> {
    let refusal = || {
        Refusal::new(
            "error-option",
            &[
                ("value", text.to_string()),
                ("count", options.len().to_string()),
            ],
        )
    };
    if let Ok(n) = text.parse::<usize>() {
        return (1..=options.len())
            .contains(&n)
            .then(|| n - 1)
            .ok_or_else(refusal);
    }
    options
        .iter()
        .position(|o| o.eq_ignore_ascii_case(text))
        .ok_or_else(refusal)
}
