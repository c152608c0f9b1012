//! Cases: the list, a new case, the case view (the journey drawn, findings per person and
//! actor with their citations, explanations folded, the deciding open questions, the
//! history of revisions and assessments, another reading side by side), editing, and the
//! printable qualification memo.

use crate::journey::{event_line, journey_svg, stage_key};
use crate::page::{Fields, PageError, PageResult, Viewer, see_other, words};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use delimit_case::derive::Stage;
use delimit_case::findings::{
    Finding, PlanCache, TimelineAssessment, assess_timeline_with, explain_finding,
    law_changes_during,
};
use delimit_case::timeline::TimelineCase;
use delimit_engine::{Explanation, Tri};
use delimit_i18n::Arg;
use delimit_registry::{Identity, Principal, RegistryError, StoredCase, parse_case};
use delimit_server::AppState;
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

pub async fn list(State(s): State<AppState>, v: Viewer) -> PageResult {
    let (_, principal) = v.signed()?;
    let cases = s
        .registry
        .cases(&principal, "", 1000)
        .await
        .map_err(|e| v.registry_error(e))?;
    v.render(&s, "cases.html", context! { cases => cases })
}

pub async fn new_form(State(s): State<AppState>, v: Viewer) -> PageResult {
    v.writer(&s).await?;
    v.render(&s, "case_new.html", context! { text => EXAMPLE })
}

/// A small journey to start from, in the case file format.
const EXAMPLE: &str = include_str!("../../../examples/brick-kiln-journey.yaml");

/// The problems of a case text, one per line, for the field they belong to.
fn case_errors(e: &RegistryError) -> String {
    let mut lines = vec![e.message.clone()];
    lines.extend(e.details.iter().skip(1).cloned());
    lines.join("\n")
}

pub async fn create(State(s): State<AppState>, v: Viewer, body: Bytes) -> PageResult {
    let (_, principal) = v.signed()?;
    let form = Fields::parse(&body);
    v.check_csrf(&s, form.text("csrf")).await?;
    let text = form.text("case");
    let stored = match parse_case(s.kb, text) {
        Ok(case) => s
            .registry
            .create_case(&principal, &case, &Identity::default())
            .await
            .map_err(|e| v.registry_error(e))?,
        Err(e) => {
            return v.render_status(
                &s,
                StatusCode::UNPROCESSABLE_ENTITY,
                "case_new.html",
                context! { text => text, error => case_errors(&e) },
            );
        }
    };
    Ok(see_other(&format!("/cases/{}", stored.id)))
}

/// The latest revision of a case; with `identity`, its identifying data and free text too
/// (the registry records the reading).
async fn stored_case(
    s: &AppState,
    v: &Viewer,
    id: &str,
    identity: bool,
) -> Result<(Principal, StoredCase), PageError> {
    let (_, principal) = v.signed()?;
    let case = s
        .registry
        .case(&principal, id, None, identity)
        .await
        .map_err(|e| v.registry_error(e))?;
    Ok((principal, case))
}

fn tri(t: Tri) -> &'static str {
    match t {
        Tri::True => "yes",
        Tri::False => "no",
        Tri::Unknown => "undetermined",
    }
}

/// An explanation tree as nested values for the template.
fn tree(e: &Explanation<'_>) -> Value {
    // A concept's node reads `name (label)`: the name marks it for whoever reads the page's data.
    let concept = (e.kind == "concept").then(|| e.text.split(" (").next().unwrap_or(""));
    context! {
        kind => e.kind.as_ref(),
        concept => concept,
        rule => e.rule.as_deref(),
        condition => e.condition.as_deref(),
        given => e.given.as_deref(),
        as_of => e.as_of.as_deref(),
        text => e.text.as_ref(),
        value => e.value.as_ref(),
        cites => e.cites.iter().map(|c| c.as_ref()).collect::<Vec<_>>(),
        children => e.children.iter().map(tree).collect::<Vec<_>>(),
    }
}

/// Where a finding is judged: the person, the state (none for person-level findings,
/// which are judged relative to the destination) and the last stage reached.
struct Judged<'c> {
    case: &'c TimelineCase,
    person: &'c str,
    state: Option<&'c str>,
    last_stage: Stage,
}

fn finding(
    plans: &PlanCache<'static>,
    at: &Judged<'_>,
    f: &Finding<'_>,
    lang: &str,
    explain: bool,
) -> Value {
    let citations: Vec<Value> = f
        .citations
        .iter()
        .map(|c| {
            context! {
                provision => c.provision.as_ref(),
                instrument => c.instrument.as_ref(),
                article => c.article.as_ref(),
                status => c.status.as_ref(),
            }
        })
        .collect();
    let explanation = explain
        .then(|| {
            let concept = plans.kb().concept(&f.concept)?;
            let stage = f.from_stage.unwrap_or(at.last_stage);
            explain_finding(plans, at.case, at.person, at.state, stage, concept, lang)
        })
        .flatten()
        .map(|e| tree(&e));
    context! {
        concept => f.concept,
        label => f.label,
        kind => f.kind,
        value => tri(f.value),
        from_stage => f.from_stage.map(|s| words(lang).text(stage_key(s), &[])),
        law_of => f.law_of,
        citations => citations,
        unchecked_basis => f.unchecked_basis,
        established_by => f.established_by,
        explanation => explanation,
    }
}

/// The findings of an assessment, person by person, for the template.
fn persons(
    plans: &PlanCache<'static>,
    case: &TimelineCase,
    a: &TimelineAssessment<'_>,
    lang: &str,
    explain: bool,
) -> Vec<Value> {
    a.persons
        .iter()
        .map(|p| {
            let last_stage = p.stages.last().map_or(Stage::Recruitment, |s| s.stage);
            let home = p
                .destination
                .as_deref()
                .or_else(|| p.states.first().and_then(|s| s.state.as_deref()));
            let person_level = Judged {
                case,
                person: &p.person,
                state: home,
                last_stage,
            };
            let findings: Vec<Value> = p
                .findings
                .iter()
                .map(|f| finding(plans, &person_level, f, lang, explain))
                .collect();
            let states: Vec<Value> = p
                .states
                .iter()
                .map(|st| {
                    let at = Judged {
                        case,
                        person: &p.person,
                        state: st.state.as_deref(),
                        last_stage,
                    };
                    context! {
                        state => st.state,
                        findings => st.findings.iter().map(|f| finding(plans, &at, f, lang, explain)).collect::<Vec<_>>(),
                    }
                })
                .collect();
            let stages: Vec<Value> = p
                .stages
                .iter()
                .map(|s| {
                    let events: Vec<String> = s
                        .events
                        .iter()
                        .filter_map(|id| case.events.iter().find(|e| &e.id == id))
                        .map(|e| event_line(e, words(lang)))
                        .collect();
                    context! { stage => words(lang).text(stage_key(s.stage), &[]), summary => events }
                })
                .collect();
            context! {
                person => p.person,
                origin => p.origin,
                destination => p.destination,
                stages => stages,
                findings => findings,
                states => states,
                open_questions => p.open_questions,
                interrelations => p.interrelations.iter().map(|i| context! { label => i.label, sentence => i.sentence }).collect::<Vec<_>>(),
            }
        })
        .collect()
}

fn actors(a: &TimelineAssessment<'_>) -> Vec<Value> {
    a.actors
        .iter()
        .filter(|actor| !actor.offences.is_empty())
        .map(|actor| {
            let offences: Vec<Value> = actor
                .offences
                .iter()
                .map(|o| {
                    context! {
                        person => o.person,
                        state => o.state,
                        label => o.finding.label,
                        concept => o.finding.concept,
                        value => tri(o.finding.value),
                        unchecked_basis => o.finding.unchecked_basis,
                        citations => o.finding.citations.iter().map(|c| context! { provision => c.provision.as_ref(), status => c.status.as_ref() }).collect::<Vec<_>>(),
                    }
                })
                .collect();
            context! { actor => actor.actor, offences => offences }
        })
        .collect()
}

#[derive(Deserialize)]
pub struct CaseQuery {
    /// A doctrine or reform to compare with the current reading.
    compare: Option<String>,
    /// Show the identifying data and free text (`1`).
    identity: Option<String>,
}

#[derive(Deserialize)]
pub struct ReportQuery {
    identity: Option<String>,
}

/// The rules that changed during the journey, worded in the viewer's language.
fn law_changes(s: &AppState, case: &TimelineCase, lang: &str) -> Vec<String> {
    law_changes_during(s.kb, case)
        .iter()
        .map(|c| {
            let on = c.on.map(|d| d.to_string()).unwrap_or_default();
            let key = if c.came_into_force {
                "case-law-came-into-force"
            } else {
                "case-law-ceased"
            };
            let first = c.first_event.to_string();
            let last = c.last_event.to_string();
            words(lang).text(
                key,
                &[
                    ("rule", Arg::Text(c.rule)),
                    ("concept", Arg::Text(c.concept)),
                    ("date", Arg::Text(&on)),
                    ("first", Arg::Text(&first)),
                    ("last", Arg::Text(&last)),
                ],
            )
        })
        .collect()
}

fn identity_context(stored: &StoredCase) -> Option<Value> {
    stored.identity.as_ref().map(|i| {
        context! {
            names => i.names,
            contacts => i.contacts,
            documents => i.documents,
            narrative => i.narrative,
        }
    })
}

/// One row of a side-by-side comparison: a finding under each reading.
#[derive(Serialize)]
struct Compared {
    whom: String,
    label: String,
    values: Vec<&'static str>,
    changed: bool,
}

/// The findings of several readings of one case side by side, those that differ first. A
/// finding an assessment leaves out does not hold under that reading.
fn comparison(readings: &[TimelineAssessment<'_>]) -> Vec<Compared> {
    let mut rows: Vec<((String, String), String, Vec<Tri>)> = Vec::new();
    for (r, a) in readings.iter().enumerate() {
        for p in &a.persons {
            let states = p.states.iter().map(|st| {
                let whom = format!("{} · {}", p.person, st.state.as_deref().unwrap_or("—"));
                (whom, &st.findings)
            });
            for (whom, findings) in std::iter::once((p.person.clone(), &p.findings)).chain(states) {
                for f in findings {
                    let key = (whom.clone(), f.concept.clone());
                    let at = match rows.iter().position(|(k, _, _)| *k == key) {
                        Some(at) => at,
                        None => {
                            rows.push((key, f.label.clone(), vec![Tri::False; readings.len()]));
                            rows.len() - 1
                        }
                    };
                    rows[at].2[r] = f.value;
                }
            }
        }
    }
    let mut rows: Vec<Compared> = rows
        .into_iter()
        .map(|((whom, _), label, values)| Compared {
            whom,
            label,
            changed: values.iter().any(|v| *v != values[0]),
            values: values.into_iter().map(tri).collect(),
        })
        .collect();
    rows.sort_by_key(|r| !r.changed);
    rows
}

pub async fn show(
    State(s): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    Query(q): Query<CaseQuery>,
) -> PageResult {
    let identity = q.identity.as_deref() == Some("1");
    let (principal, stored) = stored_case(&s, &v, &id, identity).await?;
    let case = &stored.case;
    let assessment = assess_timeline_with(s.plans(), case, v.lang);
    let revisions = s
        .registry
        .revisions(&principal, &id)
        .await
        .map_err(|e| v.registry_error(e))?;
    let history = s
        .registry
        .assessments(&principal, &id, false)
        .await
        .map_err(|e| v.registry_error(e))?;
    let doctrines: Vec<Value> =
        s.kb.doctrines
            .iter()
            .map(|d| context! { id => d.id, label => d.label.get(v.lang) })
            .collect();
    // Another reading, or every doctrine and reform at once, beside the law in force.
    let chosen: Vec<usize> = match q.compare.as_deref().filter(|c| !c.is_empty()) {
        None => Vec::new(),
        Some("all") => (0..s.kb.doctrines.len()).collect(),
        Some(name) => match s.kb.doctrine(name) {
            Some(d) => vec![d],
            None => {
                return Err(v.error(StatusCode::NOT_FOUND, "error-not-found", name.to_owned()));
            }
        },
    };
    let compared = (!chosen.is_empty()).then(|| {
        let mut readings = vec![assess_timeline_with(s.plans(), case, v.lang)];
        readings.extend(
            chosen
                .iter()
                .map(|&d| assess_timeline_with(&PlanCache::new(s.kb, &[d]), case, v.lang)),
        );
        let labels: Vec<&str> = chosen
            .iter()
            .map(|&d| s.kb.doctrines[d].label.get(v.lang))
            .collect();
        context! { labels => labels, rows => comparison(&readings) }
    });
    v.render(
        &s,
        "case.html",
        context! {
            id => id,
            title => case.title,
            revision => stored.revision,
            created => stored.created,
            journey => journey_svg(case, words(v.lang)),
            persons => persons(s.plans(), case, &assessment, v.lang, true),
            actors => actors(&assessment),
            warnings => assessment.warnings,
            law_changes => law_changes(&s, case, v.lang),
            revisions => revisions,
            history => history,
            doctrines => doctrines,
            compared => compared,
            compare => q.compare,
            identity => identity_context(&stored),
        },
    )
}

/// The case as text to edit: JSON, which the reader takes as it takes YAML.
fn case_text(case: &TimelineCase) -> String {
    serde_json::to_string_pretty(case).unwrap_or_default()
}

pub async fn edit_form(State(s): State<AppState>, v: Viewer, Path(id): Path<String>) -> PageResult {
    v.writer(&s).await?;
    // The text to edit holds the case's free text (its title, notes), so it is read whole.
    let (_, stored) = stored_case(&s, &v, &id, true).await?;
    v.render(
        &s,
        "case_new.html",
        context! { id => id, base => stored.revision, text => case_text(&stored.case) },
    )
}

pub async fn edit(
    State(s): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> PageResult {
    let (_, principal) = v.signed()?;
    let form = Fields::parse(&body);
    v.check_csrf(&s, form.text("csrf")).await?;
    let text = form.text("case");
    let base: i64 = form.text("base").parse().unwrap_or(0);
    let refused = |error: String| {
        v.render_status(
            &s,
            StatusCode::UNPROCESSABLE_ENTITY,
            "case_new.html",
            context! { id => id, base => base, text => text, error => error },
        )
    };
    let case = match parse_case(s.kb, text) {
        Ok(case) => case,
        Err(e) => return refused(case_errors(&e)),
    };
    // The identifying data is not edited here: the new revision keeps it as it was.
    match s
        .registry
        .revise_case(&principal, &id, base, &case, None)
        .await
    {
        Ok(_) => Ok(see_other(&format!("/cases/{id}"))),
        Err(e) if e.code == "case.revision_conflict" => {
            refused(words(v.lang).text("error-conflict", &[]))
        }
        Err(e) => Err(v.registry_error(e)),
    }
}

/// Stores an assessment of the latest revision under the current law.
pub async fn assess(
    State(s): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> PageResult {
    let (_, principal) = v.signed()?;
    v.check_csrf(&s, Fields::parse(&body).text("csrf")).await?;
    s.registry
        .assess_case(&principal, s.kb, &id, &[], None)
        .await
        .map_err(|e| v.registry_error(e))?;
    Ok(see_other(&format!("/cases/{id}#history")))
}

/// The qualification memo for the case file: what holds, what is open and what would settle
/// it, with every citation and its status, under a stated law version and date.
pub async fn report(
    State(s): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    Query(q): Query<ReportQuery>,
) -> PageResult {
    let identity = q.identity.as_deref() == Some("1");
    let (_, stored) = stored_case(&s, &v, &id, identity).await?;
    let case = &stored.case;
    let assessment = assess_timeline_with(s.plans(), case, v.lang);
    let today = delimit_server::interview::today().to_string();
    v.render(
        &s,
        "report.html",
        context! {
            id => id,
            title => case.title,
            revision => stored.revision,
            today => today,
            law_hash => s.kb.hash,
            doctrines => assessment.doctrines,
            persons => persons(s.plans(), case, &assessment, v.lang, false),
            actors => actors(&assessment),
            warnings => assessment.warnings,
            law_changes => law_changes(&s, case, v.lang),
            identity => identity_context(&stored),
        },
    )
}
