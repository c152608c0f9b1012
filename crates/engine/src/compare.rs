//! The same case under several readings of the law: the default reading, each doctrine, a
//! reform. Rows list every concept with its value under each reading and the rule that
//! decided it, so that a difference can be traced to the provisions behind it.

use crate::assess::AssessOptions;
use crate::plan::{Plan, Query};
use crate::value::{Facts, Tri};
use delimit_law::{DoctrineId, KnowledgeBase};
use jiff::civil::Date;
use schemars::JsonSchema;
use serde::Serialize;

pub const COMPARISON_SCHEMA: &str = "delimit.comparison/1";

/// One way of reading the law: a set of chosen doctrines or reforms.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Reading {
    /// A name for people: `current law`, a doctrine's or a reform's id.
    pub name: String,
    pub doctrines: Vec<String>,
    /// Why this reading could not be applied, if it could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Cell {
    pub value: Tri,
    /// The rule or exception that decided the value (or was reached last), with its citations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    pub cites: Vec<String>,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Row {
    pub concept: String,
    pub label: String,
    /// One cell per reading, in the order of `readings`.
    pub cells: Vec<Option<Cell>>,
    /// Whether the readings disagree on the value.
    pub differs: bool,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Comparison {
    /// Always `delimit.comparison/1`.
    pub schema: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
    pub as_of: String,
    pub knowledge_base: String,
    pub readings: Vec<Reading>,
    pub rows: Vec<Row>,
}

impl Comparison {
    /// The rows where the readings disagree.
    pub fn differences(&self) -> impl Iterator<Item = &Row> {
        self.rows.iter().filter(|r| r.differs)
    }
}

/// Assesses `facts` under each reading (a list of doctrine sets) and lines the results up.
pub fn compare(
    kb: &KnowledgeBase,
    case: Option<&str>,
    as_of: Date,
    readings: &[(String, Vec<DoctrineId>)],
    facts: &Facts,
    lang: &str,
) -> Comparison {
    let options = AssessOptions {
        explain: false,
        lang: lang.to_string(),
        concepts: Vec::new(),
    };
    let mut header = Vec::new();
    let mut columns = Vec::new();
    for (name, doctrines) in readings {
        let names = doctrines
            .iter()
            .map(|&d| kb.doctrines[d].id.clone())
            .collect();
        match Plan::new(
            kb,
            Query {
                as_of,
                doctrines: doctrines.clone(),
            },
        ) {
            Ok(plan) => {
                header.push(Reading {
                    name: name.clone(),
                    doctrines: names,
                    error: None,
                });
                columns.push(Some(plan.assess(case, facts, &options)));
            }
            Err(e) => {
                header.push(Reading {
                    name: name.clone(),
                    doctrines: names,
                    error: Some(e.to_string()),
                });
                columns.push(None);
            }
        }
    }
    let rows = (0..kb.concepts.len())
        .map(|c| {
            let cells: Vec<Option<Cell>> = columns
                .iter()
                .map(|col| {
                    col.as_ref().map(|a| {
                        let conclusion = &a.conclusions[c];
                        let decided = conclusion
                            .rules
                            .iter()
                            .find(|r| r.applied == Tri::True)
                            .or(conclusion.rules.last());
                        Cell {
                            value: conclusion.value,
                            rule: decided.map(|r| r.id.to_string()),
                            cites: conclusion
                                .citations
                                .iter()
                                .map(|ci| ci.provision.to_string())
                                .collect(),
                        }
                    })
                })
                .collect();
            let mut values = cells.iter().flatten().map(|cell| cell.value);
            let first = values.next();
            let differs = values.any(|v| Some(v) != first);
            Row {
                concept: kb.concepts[c].name.clone(),
                label: kb.concepts[c].label.get(lang).to_string(),
                cells,
                differs,
            }
        })
        .collect();
    Comparison {
        schema: COMPARISON_SCHEMA.into(),
        case: case.map(str::to_string),
        as_of: as_of.to_string(),
        knowledge_base: kb.hash.clone(),
        readings: header,
        rows,
    }
}
