//! Reading a timeline case: YAML or JSON to the model, with every mistake located, then
//! checked as a whole (references, country codes, dates, contradictions).

use crate::timeline::*;
use crate::yaml::{self, key_text, span_of};
use delimit_engine::FactValue;
use delimit_law::diag::{Diagnostic, FileId, Sources, Span, did_you_mean};
use saphyr::{MarkedYaml, Scalar, YamlData};
use serde_json::{Map, Number, Value};
use std::collections::{HashMap, HashSet};

/// Whether a parsed document is a timeline case (rather than a flat set of facts).
pub fn is_timeline(node: &MarkedYaml<'_>) -> bool {
    match &node.data {
        YamlData::Mapping(map) => map.keys().any(|k| {
            matches!(key_text(k).as_str(), "persons" | "events" | "actors")
                || (key_text(k) == "schema")
        }),
        _ => false,
    }
}

/// The longest path whose place is remembered. Values deeper in are located at their nearest
/// remembered parent: every value's path is kept, and a path of keys thousands of bytes long
/// over a mapping of many values would otherwise take gigabytes. The paths of real cases
/// (`events[12].place.country`) have some 30 bytes.
const MAX_PATH: usize = 256;

/// Converts marked YAML to JSON, remembering where each value was written, keyed by the
/// path `serde_path_to_error` prints (`events[2].date`); `path` is `None` past [`MAX_PATH`].
/// JSON has no infinite number and no NaN: each such YAML number (`.inf`, `.nan`) is kept in
/// `non_finite`, with its path and where it was written, and becomes `null`.
fn to_json(
    sources: &Sources,
    file: FileId,
    node: &MarkedYaml<'_>,
    path: Option<&str>,
    spans: &mut HashMap<String, Span>,
    non_finite: &mut Vec<(f64, String, Span)>,
) -> Value {
    if let Some(path) = path {
        spans.insert(path.to_string(), span_of(sources, file, node));
    }
    let within = |child: String| (child.len() <= MAX_PATH).then_some(child);
    match &node.data {
        YamlData::Mapping(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                let key = key_text(k);
                let child = path.and_then(|path| {
                    within(if path == "." {
                        key.clone()
                    } else {
                        format!("{path}.{key}")
                    })
                });
                if let Some(child) = &child {
                    spans.insert(format!("{child}#key"), span_of(sources, file, k));
                }
                out.insert(
                    key,
                    to_json(sources, file, v, child.as_deref(), spans, non_finite),
                );
            }
            Value::Object(out)
        }
        YamlData::Sequence(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let child = path.and_then(|path| {
                        within(format!("{}[{i}]", if path == "." { "" } else { path }))
                    });
                    to_json(sources, file, v, child.as_deref(), spans, non_finite)
                })
                .collect(),
        ),
        YamlData::Value(Scalar::Null) => Value::Null,
        YamlData::Value(Scalar::Boolean(b)) => Value::Bool(*b),
        YamlData::Value(Scalar::Integer(i)) => Value::Number((*i).into()),
        YamlData::Value(Scalar::FloatingPoint(f)) => match Number::from_f64(f.into_inner()) {
            Some(n) => Value::Number(n),
            None => {
                non_finite.push((
                    f.into_inner(),
                    path.unwrap_or("a value").to_string(),
                    span_of(sources, file, node),
                ));
                Value::Null
            }
        },
        // `yes` and `no` stay words here: only what takes a boolean reads them as one
        // (`Answer<bool>`, facts of the yes/no kind), so a country code `NO` stays Norway.
        _ => yaml::string(node).map_or(Value::Null, Value::String),
    }
}

/// The nearest recorded place for a path: the value itself, else its closest parent.
fn locate(spans: &HashMap<String, Span>, path: &str, fallback: Span) -> Span {
    let mut p = path.to_string();
    loop {
        if let Some(s) = spans.get(&p) {
            return *s;
        }
        match p.rfind(['.', '[']) {
            Some(i) => p.truncate(i),
            None => return spans.get(".").copied().unwrap_or(fallback),
        }
    }
}

/// A timeline case, or every error in it; warnings come with the case.
pub fn read(
    sources: &Sources,
    file: FileId,
    node: &MarkedYaml<'_>,
) -> Result<(TimelineCase, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut spans = HashMap::new();
    let mut non_finite = Vec::new();
    let value = to_json(sources, file, node, Some("."), &mut spans, &mut non_finite);
    let whole = span_of(sources, file, node);
    let case: TimelineCase = match serde_path_to_error::deserialize(value) {
        Ok(c) => c,
        Err(e) => {
            let path = e.path().to_string();
            let message = e.inner().to_string();
            // serde names the field for unknown or missing ones; point at the key if we can.
            let field = message.split('`').nth(1).unwrap_or("");
            let key_path = if path == "." {
                field.to_string()
            } else if path.ends_with(field) {
                path.clone()
            } else {
                format!("{path}.{field}")
            };
            let span = if message.starts_with("unknown field") {
                spans
                    .get(&format!("{key_path}#key"))
                    .copied()
                    .unwrap_or_else(|| locate(&spans, &path, whole))
            } else {
                locate(&spans, &path, whole)
            };
            let mut d = Diagnostic::error(
                "T100",
                span,
                format!("{}: {message}", if path == "." { "case" } else { &path }),
            )
            .with_label("here");
            if message.starts_with("unknown field") {
                let expected: Vec<&str> = message.split('`').skip(3).step_by(2).collect();
                if let Some(n) = did_you_mean(field, expected) {
                    d = d.with_note(n);
                }
            }
            return Err(vec![d]);
        }
    };
    let mut diagnostics: Vec<Diagnostic> = non_finite
        .into_iter()
        .map(|(x, path, span)| {
            Diagnostic::error(
                "T114",
                span,
                format!(
                    "{path}: the number {x} is outside the numbers a case may give ({})",
                    crate::limits::AMOUNT_RANGE
                ),
            )
            .with_label("not a finite number")
            .with_note("write `unknown` (or leave the value out) when it is not known")
        })
        .collect();
    check(&case, &spans, whole, &mut diagnostics);
    if diagnostics.iter().any(Diagnostic::is_error) {
        Err(diagnostics)
    } else {
        Ok((case, diagnostics))
    }
}

/// The errors [`read`] would report about a case that was built in memory or read by serde
/// without locations (JSON Lines imports, API bodies): each message says which id or field.
pub fn problems(case: &TimelineCase) -> Vec<String> {
    let mut sources = Sources::new();
    let file = sources.add("case", "");
    let mut out = Vec::new();
    check(case, &HashMap::new(), Span::new(file, 0, 0), &mut out);
    out.iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{} ({})", d.message, d.code))
        .collect()
}

fn check(
    case: &TimelineCase,
    spans: &HashMap<String, Span>,
    whole: Span,
    out: &mut Vec<Diagnostic>,
) {
    let at = |path: &str| locate(spans, path, whole);
    // Beyond the limits, nothing else is checked: the checks below take time in the product
    // of persons, actors and events.
    if too_large(case, &at, out) {
        return;
    }
    if case.schema != CASE_SCHEMA {
        out.push(
            Diagnostic::error(
                "T101",
                at("schema"),
                format!("unknown case format `{}`", case.schema),
            )
            .with_label(format!("expected `{CASE_SCHEMA}`")),
        );
    }
    if case.persons.is_empty() {
        out.push(
            Diagnostic::error("T102", whole, "a timeline case names at least one person")
                .with_label("no `persons`"),
        );
    }
    out_of_range(case, &at, out);
    let mut ids: HashMap<String, String> = HashMap::new();
    let mut declare = |id: &str, path: String, out: &mut Vec<Diagnostic>| {
        if let Some(first) = ids.insert(id.to_string(), path.clone()) {
            out.push(
                Diagnostic::error(
                    "T103",
                    at(&format!("{path}.id")),
                    format!("`{id}` is used twice as an id"),
                )
                .with_secondary(at(&format!("{first}.id")), "first used here"),
            );
        }
    };
    for (i, p) in case.persons.iter().enumerate() {
        declare(&p.id, format!("persons[{i}]"), out);
    }
    for (i, a) in case.actors.iter().enumerate() {
        declare(&a.id, format!("actors[{i}]"), out);
    }
    for (i, e) in case.events.iter().enumerate() {
        declare(&e.id, format!("events[{i}]"), out);
    }
    let persons: HashSet<&str> = case.persons.iter().map(|p| p.id.as_str()).collect();
    let actors: HashSet<&str> = case.actors.iter().map(|a| a.id.as_str()).collect();
    let reference =
        |kind: &str, id: &str, known: &HashSet<&str>, path: &str, out: &mut Vec<Diagnostic>| {
            if !known.contains(id) {
                let mut d = Diagnostic::error(
                    "T104",
                    at(path),
                    format!("{kind} `{id}` is referred to but not declared"),
                )
                .with_label(format!("no {kind} has this id"));
                if let Some(n) = did_you_mean(id, known.iter().copied()) {
                    d = d.with_note(n);
                }
                out.push(d);
            }
        };
    let country = |code: &str, path: &str, out: &mut Vec<Diagnostic>| {
        if isocountry::CountryCode::for_alpha2(code).is_err() {
            out.push(
                Diagnostic::error(
                    "T105",
                    at(path),
                    format!("`{code}` is not an ISO 3166-1 alpha-2 country code"),
                )
                .with_label("such as TJ, RU, AF, KZ"),
            );
        }
    };
    for (i, p) in case.persons.iter().enumerate() {
        let path = format!("persons[{i}]");
        for (list, key) in [
            (&p.citizenships, "citizenships"),
            (&p.permanent_residence, "permanent_residence"),
        ] {
            if let Answer::Known(codes) = list {
                for (j, c) in codes.iter().enumerate() {
                    country(c, &format!("{path}.{key}[{j}]"), out);
                }
            }
        }
        if let (Answer::Known(true), Answer::Known(c)) = (&p.stateless, &p.citizenships)
            && !c.is_empty()
        {
            out.push(
                Diagnostic::error(
                    "T106",
                    at(&format!("{path}.stateless")),
                    format!(
                        "person `{}` is said to be stateless and to have a citizenship",
                        p.id
                    ),
                )
                .with_label("contradicts `citizenships`"),
            );
        }
        let latest_event = case.events.iter().filter_map(|e| e.date.latest()).max();
        if let Answer::Known(Birth::Date(b)) = &p.birth
            && let Some(last) = case.as_of.or(latest_event)
            && *b > last
        {
            out.push(
                Diagnostic::error(
                    "T107",
                    at(&format!("{path}.birth")),
                    format!("person `{}` is born after the events of the case", p.id),
                )
                .with_label(format!("born {b}, after {last}")),
            );
        }
    }
    for (i, a) in case.actors.iter().enumerate() {
        for (j, r) in a.relations.iter().enumerate() {
            reference(
                "person",
                &r.person,
                &persons,
                &format!("actors[{i}].relations[{j}].person"),
                out,
            );
        }
    }
    let mut previous: Option<(usize, jiff::civil::Date)> = None;
    for (i, e) in case.events.iter().enumerate() {
        let path = format!("events[{i}]");
        for (j, p) in e.persons.iter().enumerate() {
            reference("person", p, &persons, &format!("{path}.persons[{j}]"), out);
        }
        for (j, a) in e.actors.iter().enumerate() {
            reference("actor", a, &actors, &format!("{path}.actors[{j}]"), out);
        }
        let everyone: HashSet<&str> = persons.union(&actors).copied().collect();
        for (key, id) in [("payer", &e.payer), ("payee", &e.payee)] {
            if let Some(id) = id {
                reference(
                    "person or actor",
                    id,
                    &everyone,
                    &format!("{path}.{key}"),
                    out,
                );
            }
        }
        if let When::Range { from, to } = e.date
            && to < from
        {
            out.push(
                Diagnostic::error(
                    "T108",
                    at(&format!("{path}.date")),
                    format!("event `{}` ends before it starts", e.id),
                )
                .with_label(format!("{to} is before {from}")),
            );
        }
        if let Some(place) = &e.place {
            country(&place.country, &format!("{path}.place.country"), out);
        }
        for (key, code) in [("from", &e.from), ("to", &e.to)] {
            if let Some(code) = code {
                country(code, &format!("{path}.{key}"), out);
            }
        }
        if e.kind == EventKind::BorderCrossing && (e.from.is_none() || e.to.is_none()) {
            out.push(
                Diagnostic::warning(
                    "T109",
                    at(&path),
                    format!(
                        "border crossing `{}` does not say which states it joins",
                        e.id
                    ),
                )
                .with_label("add `from:` and `to:`"),
            );
        }
        if e.kind != EventKind::BorderCrossing && (e.from.is_some() || e.to.is_some()) {
            out.push(Diagnostic::warning("T110", at(&path), format!("event `{}` is a {:?} but has `from`/`to`, which only a border crossing reads", e.id, e.kind)).with_label("ignored"));
        }
        if e.persons.is_empty() && !matches!(e.kind, EventKind::Payment) {
            out.push(
                Diagnostic::warning(
                    "T111",
                    at(&path),
                    format!("event `{}` concerns no person", e.id),
                )
                .with_label("add `persons:`"),
            );
        }
        // Events are told in order; one that must lie wholly before the one told before it
        // is worth a look.
        if let (Some(latest), Some(earliest)) = (e.date.latest(), e.date.earliest()) {
            if let Some((j, prev)) = previous
                && latest < prev
            {
                out.push(
                    Diagnostic::warning("T112", at(&format!("{path}.date")), format!("event `{}` is dated before `{}`, which comes earlier in the timeline", e.id, case.events[j].id))
                        .with_label(format!("{latest} is before {prev}"))
                        .with_note("events are read in the order written; reorder them if this is not intended"),
                );
            }
            previous = Some((i, earliest));
        }
    }
}

/// Dates, ages, amounts and numbers outside the ranges of [`crate::limits`], each reported
/// (`T114`) where it was written, naming the person, event or fact.
fn out_of_range(case: &TimelineCase, at: &dyn Fn(&str) -> Span, out: &mut Vec<Diagnostic>) {
    use crate::limits::{
        AMOUNT_RANGE, DATE_RANGE, EARLIEST_DATE, LATEST_DATE, MAX_AGE_YEARS, age_within,
        amount_within, date_within, number_text, year_within,
    };
    let refuse = |out: &mut Vec<Diagnostic>, path: &str, message: String, label: String, hint| {
        out.push(
            Diagnostic::error("T114", at(path), message)
                .with_label(label)
                .with_note(hint),
        );
    };
    let date = |out: &mut Vec<Diagnostic>, path: &str, what: String, d: jiff::civil::Date| {
        if !date_within(d) {
            refuse(
                out,
                path,
                format!("{what} is {d}, outside the dates a case may give ({DATE_RANGE})"),
                format!("a date from {DATE_RANGE}"),
                "check the year; a date not known exactly is written as a range \
                 (`{from: …, to: …}`) or `unknown`",
            );
        }
    };
    let not_known = "write `unknown` (or leave the fact out) when it is not known";
    if let Some(d) = case.as_of {
        date(
            out,
            "as_of",
            "`as_of`, the date the law is applied as of,".into(),
            d,
        );
    }
    for (i, p) in case.persons.iter().enumerate() {
        let path = format!("persons[{i}].birth");
        let Answer::Known(birth) = &p.birth else {
            continue;
        };
        match birth {
            Birth::Date(d) => date(
                out,
                &format!("{path}.date"),
                format!("the birth date of person `{}`", p.id),
                *d,
            ),
            Birth::Year(y) if !year_within(*y) => {
                let (first, last) = (EARLIEST_DATE.year(), LATEST_DATE.year());
                refuse(
                    out,
                    &format!("{path}.year"),
                    format!(
                        "the birth year of person `{}` is {y}, outside the years a case may give ({first} to {last})",
                        p.id
                    ),
                    format!("a year from {first} to {last}"),
                    "check the year; write `unknown` when it is not known",
                );
            }
            Birth::Year(_) => {}
            Birth::Age { years, on } => {
                if !age_within(*years) {
                    refuse(
                        out,
                        &format!("{path}.age.years"),
                        format!(
                            "the age of person `{}` is {years} years, outside the ages a case may give (0 to {MAX_AGE_YEARS})",
                            p.id
                        ),
                        format!("an age from 0 to {MAX_AGE_YEARS}"),
                        "an age is in whole years, on the date `on`; write `unknown` when it is not known",
                    );
                }
                date(
                    out,
                    &format!("{path}.age.on"),
                    format!("the date on which person `{}` was of the age given", p.id),
                    *on,
                );
            }
        }
    }
    for (i, e) in case.events.iter().enumerate() {
        let path = format!("events[{i}]");
        match e.date {
            When::Exact(d) => date(
                out,
                &format!("{path}.date"),
                format!("the date of event `{}`", e.id),
                d,
            ),
            When::Range { from, to } => {
                date(
                    out,
                    &format!("{path}.date.from"),
                    format!("the first day of event `{}`", e.id),
                    from,
                );
                date(
                    out,
                    &format!("{path}.date.to"),
                    format!("the last day of event `{}`", e.id),
                    to,
                );
            }
            When::Unknown => {}
        }
        if let Some(x) = e.amount_usd
            && !amount_within(x)
        {
            refuse(
                out,
                &format!("{path}.amount_usd"),
                format!(
                    "the amount of event `{}` is {} US dollars, outside the amounts a case may give ({AMOUNT_RANGE})",
                    e.id,
                    number_text(x)
                ),
                format!("an amount from {AMOUNT_RANGE}"),
                "an amount is in US dollars, not negative; leave `amount_usd` out when it is not known",
            );
        }
    }
    // Facts stated directly: a number is the value of a fact that is a number (an amount or a
    // count), a text that reads as a date the value of a fact that is a date.
    let stated = case
        .persons
        .iter()
        .enumerate()
        .map(|(i, p)| {
            (
                format!("persons[{i}]"),
                format!("person `{}`", p.id),
                &p.facts,
            )
        })
        .chain(case.events.iter().enumerate().map(|(i, e)| {
            (
                format!("events[{i}]"),
                format!("event `{}`", e.id),
                &e.facts,
            )
        }));
    for (path, owner, facts) in stated {
        for (name, v) in facts {
            let value = match v {
                serde_json::Value::Number(n) => n.as_f64().map(FactValue::Number),
                serde_json::Value::String(s) => s.parse().ok().map(FactValue::Date),
                _ => None,
            };
            if let Some(problem) = value.as_ref().and_then(crate::value_out_of_range) {
                refuse(
                    out,
                    &format!("{path}.facts.{name}"),
                    format!("fact `{name}` of {owner} is {problem}"),
                    "out of range".into(),
                    not_known,
                );
            }
        }
    }
}

/// Whether the case is beyond a limit of [`crate::limits`], each one found reported (`T113`)
/// at the first item past it.
fn too_large(case: &TimelineCase, at: &dyn Fn(&str) -> Span, out: &mut Vec<Diagnostic>) -> bool {
    use crate::limits::{MAX_ACTORS, MAX_EVENTS, MAX_FACTS, MAX_PERSONS, MAX_REFERENCES};
    let before = out.len();
    let split = "split the case: tell each person's journey, or each group's, as a case of its own";
    for (what, n, most, key) in [
        ("persons", case.persons.len(), MAX_PERSONS, "persons"),
        ("actors", case.actors.len(), MAX_ACTORS, "actors"),
        ("events", case.events.len(), MAX_EVENTS, "events"),
    ] {
        if n > most {
            out.push(
                Diagnostic::error(
                    "T113",
                    at(&format!("{key}[{most}]")),
                    format!("the case names {n} {what}; a case names at most {most}"),
                )
                .with_label(format!("{what} from here on are too many"))
                .with_note(split),
            );
        }
    }
    // References and facts are counted item by item, to point at the one past the limit.
    let references = past_limit(
        case.actors
            .iter()
            .map(|a| a.relations.len())
            .chain(case.events.iter().map(|e| e.persons.len() + e.actors.len())),
        MAX_REFERENCES,
    )
    .map(|(total, i)| match i.checked_sub(case.actors.len()) {
        None => (total, format!("actors[{i}].relations")),
        Some(e) => (total, format!("events[{e}]")),
    });
    let facts = past_limit(
        case.persons
            .iter()
            .map(|p| p.facts.len())
            .chain(case.events.iter().map(|e| e.facts.len())),
        MAX_FACTS,
    )
    .map(|(total, i)| match i.checked_sub(case.persons.len()) {
        None => (total, format!("persons[{i}].facts")),
        Some(e) => (total, format!("events[{e}].facts")),
    });
    for (what, how, most, past) in [
        (
            "references from events and actors to persons and actors",
            "each name in an event's `persons` and `actors`, and each actor's relation, counts",
            MAX_REFERENCES,
            references,
        ),
        (
            "facts",
            "the facts of every person and event count",
            MAX_FACTS,
            facts,
        ),
    ] {
        if let Some((total, path)) = past {
            out.push(
                Diagnostic::error(
                    "T113",
                    at(&path),
                    format!("the case has {total} {what}; a case has at most {most}"),
                )
                .with_label("the limit is passed here")
                .with_note(how)
                .with_note(split),
            );
        }
    }
    out.len() > before
}

/// The total of counts, and the index of the one with which it passes `most`, if it does.
fn past_limit(counts: impl Iterator<Item = usize>, most: usize) -> Option<(usize, usize)> {
    let mut total = 0usize;
    let mut past = None;
    for (i, n) in counts.enumerate() {
        total += n;
        if total > most && past.is_none() {
            past = Some(i);
        }
    }
    past.map(|i| (total, i))
}
