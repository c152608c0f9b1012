//! `delimit interview`: the guided interview on a terminal, or from a file of scripted answers
//! (one line per answer, as typed), in English, Russian or Tajik.

use anstream::eprintln;
use delimit_engine::{FactValue, Plan, Query, Tri};
use delimit_i18n::{Arg, Localizer};
use delimit_law::{FactType, KnowledgeBase, Topic};
use delimit_screening::indicators::Indicators;
use delimit_screening::input::{Command, Refusal, Typed, read, read_yes_no};
use delimit_screening::{Interview, Next, Question, Reply, Screen};
use jiff::civil::Date;
use std::io::{BufRead, Read, Write};
use std::path::Path;

/// The largest file of scripted answers (`--answers`), in bytes: 1 MiB. An interview asks at
/// most some 130 questions, each answered in a word, a number or a date: the scripts of the
/// tests have under 1 KB.
pub const MAX_ANSWERS_BYTES: usize = 1 << 20;

/// The longest answer read from the keyboard, in bytes: 4 KiB. Beyond it the rest of the line
/// is skipped, and what was read is answered like any answer that does not fit: a line piped
/// in without an end is never held whole.
pub const MAX_ANSWER_BYTES: usize = 4 << 10;

/// Where answers come from: a person at the keyboard, or a file read line by line.
pub enum Source<'a> {
    Keyboard(Box<dyn BufRead + 'a>),
    Script { lines: Vec<String>, next: usize },
}

impl Source<'_> {
    /// The next line, with its number in a script.
    fn line(&mut self) -> Option<(String, Option<usize>)> {
        match self {
            Source::Keyboard(input) => {
                let mut line = Vec::new();
                let read = (&mut **input)
                    .take(MAX_ANSWER_BYTES as u64 + 1)
                    .read_until(b'\n', &mut line);
                match read {
                    Ok(0) | Err(_) => None,
                    Ok(_) => {
                        if line.len() > MAX_ANSWER_BYTES && line.last() != Some(&b'\n') {
                            let _ = input.skip_until(b'\n');
                        }
                        let line = String::from_utf8_lossy(&line);
                        Some((line.trim_end_matches(['\n', '\r']).to_string(), None))
                    }
                }
            }
            Source::Script { lines, next } => {
                // Blank lines and `#` comments in a script are not answers.
                while *next < lines.len() {
                    let line = lines[*next].trim().to_string();
                    *next += 1;
                    if !line.is_empty() && !line.starts_with('#') {
                        return Some((line, Some(*next)));
                    }
                }
                None
            }
        }
    }
}

fn args<'a>(refusal: &'a Refusal) -> Vec<(&'a str, Arg<'a>)> {
    refusal
        .args
        .iter()
        .map(|(k, v)| match v.parse::<f64>() {
            Ok(n) if *k == "count" => (*k, Arg::Number(n)),
            _ => (*k, Arg::Text(v.as_str())),
        })
        .collect()
}

fn topic_key(t: Topic) -> &'static str {
    match t {
        Topic::Identity => "topic-identity",
        Topic::Migration => "topic-migration",
        Topic::Work => "topic-work",
        Topic::Control => "topic-control",
        Topic::Sensitive => "topic-sensitive",
    }
}

/// The screen for indicator list `list`, read with the first combination rule that covers it.
pub fn screen<'a>(indicators: &'a Indicators, list: &str) -> Result<Screen<'a>, String> {
    Screen::of(indicators, list)
}

/// Runs an interview; returns whether it ended without error.
pub fn run<'kb>(
    kb: &'kb KnowledgeBase,
    as_of: Date,
    lang: &str,
    mut source: Source<'_>,
    out: &mut dyn Write,
    save: Option<&Path>,
    screen: Option<Screen<'kb>>,
) -> Result<bool, String> {
    let t = Localizer::new(lang).map_err(|e| e.to_string())?;
    let plan = Plan::new(
        kb,
        Query {
            as_of,
            doctrines: vec![],
        },
    )
    .map_err(|e| e.to_string())?;
    let mut interview = match screen {
        Some(screen) => Interview::with_screen(plan, screen),
        None => Interview::new(plan),
    };
    let say = |out: &mut dyn Write, text: String| {
        let _ = writeln!(out, "{text}");
    };
    // Consent first, with the purpose and the right to stop.
    say(out, t.text("consent-title", &[]));
    say(out, t.text("consent-purpose", &[]));
    say(out, t.text("consent-rights", &[]));
    loop {
        say(
            out,
            format!(
                "{} ({} / {})",
                t.text("consent-question", &[]),
                t.text("answer-yes", &[]),
                t.text("answer-no", &[])
            ),
        );
        let Some((line, number)) = source.line() else {
            say(out, t.text("consent-declined", &[]));
            return Ok(true);
        };
        // Yes and no in any of the three languages; "stop" declines too.
        match read_yes_no(&line) {
            Ok(Typed::Reply(Reply::Value(FactValue::Bool(true)))) => {
                interview.consent(true);
                break;
            }
            Ok(Typed::Reply(Reply::Value(FactValue::Bool(false))))
            | Ok(Typed::Command(Command::Stop)) => {
                say(out, t.text("consent-declined", &[]));
                return Ok(true);
            }
            _ => {}
        }
        let refusal = t.text("error-yesno", &[]);
        if let Some(n) = number {
            eprintln!(
                "{}",
                t.text(
                    "error-script-line",
                    &[
                        ("line", Arg::Number(n as f64)),
                        ("question", Arg::Text(&t.text("consent-question", &[]))),
                        ("reason", Arg::Text(&refusal))
                    ]
                )
            );
            return Ok(false);
        }
        say(out, refusal);
    }
    let mut topic: Option<Topic> = None;
    let ok = loop {
        let question = match interview.next() {
            Next::Ask(f) => Question::Fact(f),
            Next::AskIndicator(i) => Question::Indicator(i),
            Next::Complete => {
                say(out, t.text("done-nothing-more", &[]));
                break true;
            }
            Next::Declined | Next::Consent => break true,
        };
        let (this_topic, text) = match question {
            Question::Fact(f) => (kb.facts[f].topic, kb.facts[f].question.get(lang)),
            Question::Indicator(i) => match interview.indicator(i) {
                Some(ind) => (
                    ind.topic.unwrap_or(Topic::Sensitive),
                    ind.question.get(lang),
                ),
                None => break true,
            },
        };
        if topic != Some(this_topic) {
            topic = Some(this_topic);
            say(
                out,
                format!("\n== {} ==", t.text(topic_key(this_topic), &[])),
            );
        }
        say(
            out,
            t.text(
                "prompt-progress",
                &[
                    ("asked", Arg::Number((interview.asked() + 1) as f64)),
                    ("left", Arg::Number(interview.remaining_at_most() as f64)),
                ],
            ),
        );
        say(out, text.to_string());
        let ty = match question {
            Question::Fact(f) => &kb.facts[f].ty,
            Question::Indicator(_) => &FactType::YesNo,
        };
        let hint = match ty {
            FactType::YesNo => t.text("answer-hint-yesno", &[]),
            FactType::Date => t.text("answer-hint-date", &[]),
            FactType::Number => t.text("answer-hint-number", &[]),
            FactType::OneOf(o) | FactType::SeveralOf(o) => {
                let Question::Fact(fact) = question else {
                    break true;
                };
                for (i, option) in o.iter().enumerate() {
                    let label = kb.facts[fact]
                        .option_labels
                        .get(i)
                        .map(|l| l.get(lang))
                        .filter(|l| !l.is_empty())
                        .unwrap_or(option);
                    say(out, format!("  {}. {label}", i + 1));
                }
                if matches!(ty, FactType::OneOf(_)) {
                    t.text("answer-hint-choice", &[])
                } else {
                    t.text("answer-hint-several", &[])
                }
            }
        };
        if matches!(ty, FactType::YesNo) {
            say(out, format!("({hint})"));
        } else {
            say(
                out,
                format!(
                    "({hint}; {} / {})",
                    t.text("answer-dont-know", &[]),
                    t.text("answer-prefer-not", &[])
                ),
            );
        }
        let Some((line, number)) = source.line() else {
            say(out, t.text("done-stopped", &[]));
            break true;
        };
        let typed = match question {
            Question::Fact(f) => read(kb, f, &line, as_of),
            Question::Indicator(_) => read_yes_no(&line),
        };
        match typed {
            Ok(Typed::Reply(reply)) => {
                match question {
                    Question::Fact(f) => interview.answer(f, reply),
                    Question::Indicator(i) => interview.answer_indicator(i, reply),
                }
                panel(&interview, &t, lang, out);
            }
            Ok(Typed::Command(Command::Back)) => {
                interview.back();
            }
            Ok(Typed::Command(Command::Why)) => {
                let fact = match question {
                    Question::Fact(f) => f,
                    Question::Indicator(i) => {
                        if let Some(ind) = interview.indicator(i) {
                            say(out, t.text("why-title", &[]));
                            let dimension = match (interview.screen(), &ind.dimension) {
                                (Some(screen), Some(d)) => {
                                    screen.indicators.dimension_label(&ind.list, d, lang)
                                }
                                _ => "",
                            };
                            let label = format!("{}; {dimension}", ind.label.get(lang));
                            say(
                                out,
                                t.text(
                                    "why-indicator-only",
                                    &[
                                        ("list", Arg::Text(&ind.list)),
                                        ("indicator", Arg::Text(&label)),
                                        ("status", Arg::Text(ind.status.name())),
                                    ],
                                ),
                            );
                        }
                        continue;
                    }
                };
                let why = interview.why(fact);
                let concepts: Vec<&str> = why
                    .concepts
                    .iter()
                    .map(|&c| kb.concepts[c].label.get(lang))
                    .collect();
                let provisions: Vec<String> = why
                    .provisions
                    .iter()
                    .map(|&p| {
                        format!(
                            "{} [{}]",
                            kb.provisions[p].id,
                            kb.provisions[p].status.name()
                        )
                    })
                    .collect();
                say(out, t.text("why-title", &[]));
                say(
                    out,
                    t.text(
                        "why-serves",
                        &[("conclusions", Arg::Text(&concepts.join("; ")))],
                    ),
                );
                say(
                    out,
                    t.text(
                        "why-provisions",
                        &[("provisions", Arg::Text(&provisions.join(", ")))],
                    ),
                );
            }
            Ok(Typed::Command(Command::Stop)) => {
                say(out, t.text("done-stopped", &[]));
                break true;
            }
            Err(refusal) => {
                let reason = t.text(refusal.key, &args(&refusal));
                if let Some(n) = number {
                    // A script that does not fit the questions stops at the line at fault.
                    eprintln!(
                        "{}",
                        t.text(
                            "error-script-line",
                            &[
                                ("line", Arg::Number(n as f64)),
                                ("question", Arg::Text(text)),
                                ("reason", Arg::Text(&reason))
                            ]
                        )
                    );
                    break false;
                }
                say(out, reason);
            }
        }
    };
    profile_summary(&interview, &t, lang, out);
    say(
        out,
        t.text(
            "done-summary",
            &[
                ("asked", Arg::Number(interview.asked() as f64)),
                ("total", Arg::Number(interview.full_questionnaire() as f64)),
            ],
        ),
    );
    if let Some(path) = save {
        let mut text = delimit_case::facts_to_yaml(kb, &interview.facts(), Some(as_of));
        let refused: Vec<&str> = interview
            .replies()
            .filter(|(_, r)| *r == Reply::PreferNotToSay)
            .map(|(f, _)| kb.facts[f].name.as_str())
            .collect();
        if !refused.is_empty() {
            text = format!(
                "# asked, and the person preferred not to say: {}\n{text}",
                refused.join(", ")
            );
        }
        // Indicator answers are not facts of the law: they travel as comments, with the reading.
        if let (Some(screen), Some(profile)) = (interview.screen(), interview.profile()) {
            let mut lines = vec![format!(
                "# indicators of {} (indicative, not a legal finding): reading {}",
                screen.list,
                match profile.indicative_reading {
                    Tri::True => "positive",
                    Tri::False => "negative",
                    Tri::Unknown => "open",
                }
            )];
            let established = interview.established_indicators();
            for (i, reply) in interview.indicator_replies() {
                if established.contains(&i) {
                    continue;
                }
                let answer = match reply {
                    Reply::Value(FactValue::Bool(true)) => "yes",
                    Reply::Value(_) => "no",
                    Reply::DontKnow => "don't know",
                    Reply::PreferNotToSay => "prefer not to say",
                };
                lines.push(format!(
                    "#   {}: {answer}",
                    screen.indicators.indicators[i].id
                ));
            }
            for i in established {
                let indicator = &screen.indicators.indicators[i];
                let by = indicator
                    .established_by
                    .as_ref()
                    .map_or("", |link| link.name.as_str());
                lines.push(format!(
                    "#   {}: yes, from the law's answers ({by}; a link of delimit's reading)",
                    indicator.id
                ));
            }
            text = format!("{}\n{text}", lines.join("\n"));
        }
        std::fs::write(path, text).map_err(|e| format!("cannot save {}: {e}", path.display()))?;
        say(
            out,
            t.text(
                "done-saved",
                &[("path", Arg::Text(&path.display().to_string()))],
            ),
        );
    }
    Ok(ok)
}

/// `items` joined by `separator`, or the words for "nothing yet".
fn list_or_none(t: &Localizer, items: &[&str], separator: &str) -> String {
    if items.is_empty() {
        t.text("panel-none", &[])
    } else {
        items.join(separator)
    }
}

/// What is established and what is open, beside the questions.
fn panel(interview: &Interview<'_>, t: &Localizer, lang: &str, out: &mut dyn Write) {
    let kb = interview.kb();
    let standing = interview.standing();
    let names = |list: &[usize]| -> String {
        let labels: Vec<&str> = list
            .iter()
            .map(|&c| kb.concepts[c].label.get(lang))
            .collect();
        list_or_none(t, &labels, "; ")
    };
    let _ = writeln!(
        out,
        "   [{}] {}: {}",
        t.text("panel-title", &[]),
        t.text("panel-established", &[]),
        names(&standing.established)
    );
    let _ = writeln!(
        out,
        "   {}: {}",
        t.text("panel-open", &[]),
        standing.open.len()
    );
    // The indicators' reading, apart from the law's conclusions and labelled as indicative.
    if let (Some(screen), Some(profile)) = (interview.screen(), interview.profile()) {
        let reading = match profile.indicative_reading {
            Tri::True => "panel-reading-positive",
            Tri::False => "panel-reading-negative",
            Tri::Unknown => "panel-reading-open",
        };
        let positive: Vec<&str> = profile
            .dimensions
            .iter()
            .filter(|d| d.positive == Tri::True)
            .map(|d| {
                screen
                    .indicators
                    .dimension_label(screen.list, &d.dimension, lang)
            })
            .collect();
        let positive = list_or_none(t, &positive, ", ");
        let _ = writeln!(
            out,
            "   {}: {}; {}",
            t.text("panel-indicated", &[]),
            t.text(reading, &[]),
            t.text("panel-dimensions", &[("dimensions", Arg::Text(&positive))])
        );
    }
}

/// At the end: the indicators present, dimension by dimension, labelled as indicative.
fn profile_summary(interview: &Interview<'_>, t: &Localizer, lang: &str, out: &mut dyn Write) {
    let (Some(screen), Some(profile)) = (interview.screen(), interview.profile()) else {
        return;
    };
    let _ = writeln!(out, "\n{}", t.text("profile-title", &[]));
    for d in &profile.dimensions {
        let reading = match d.positive {
            Tri::True => "profile-positive",
            Tri::False => "profile-negative",
            Tri::Unknown => "profile-open",
        };
        let present: Vec<String> = interview
            .present_in(d, lang)
            .into_iter()
            .map(|(indicator, by)| t.indicator_present(indicator, by))
            .collect();
        let present: Vec<&str> = present.iter().map(String::as_str).collect();
        let present = list_or_none(t, &present, "; ");
        let _ = writeln!(
            out,
            "  {} [{}]: {present}",
            screen
                .indicators
                .dimension_label(screen.list, &d.dimension, lang),
            t.text(reading, &[])
        );
    }
}
