//! Screening indicators as data (`screening/*.md`): lists of indicators, each with its
//! dimension and grade, and the rule that combines them; and the indicator profile of a
//! person's answers. A profile is indicative, never a legal finding: it is shown apart from
//! the law's conclusions everywhere.

use delimit_engine::Tri;
use delimit_law::diag::{Diagnostic, Sources, Span, did_you_mean};
use delimit_law::literate::{BlockKind, Entry, Piece, entries, pieces};
use delimit_law::{FactType, KnowledgeBase, Status, Texts, Topic};
use std::collections::HashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Grade {
    Strong,
    Medium,
    Weak,
}

impl Grade {
    fn parse(s: &str) -> Option<Grade> {
        match s {
            "strong" => Some(Grade::Strong),
            "medium" => Some(Grade::Medium),
            "weak" => Some(Grade::Weak),
            _ => None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct IndicatorList {
    pub id: String,
    pub title: Texts,
    pub status: Status,
    pub source: String,
}

#[derive(Clone, Debug)]
pub struct Indicator {
    pub id: String,
    pub list: String,
    pub dimension: Option<String>,
    pub grade: Option<Grade>,
    pub label: Texts,
    pub question: Texts,
    /// Where the question falls in the interview's order of topics.
    pub topic: Option<Topic>,
    pub status: Status,
    pub source: String,
    /// A conclusion of the law that, once established, marks the indicator present, so that
    /// the interview does not ask it again.
    pub established_by: Option<Link>,
}

/// An indicator's link to a conclusion of the law resting on the same facts (`established-by`),
/// with the reason, which is delimit's reading and says so (`established-by-note`).
#[derive(Clone, Debug)]
pub struct Link {
    /// A concept of the law, or a fact of the yes/no kind.
    pub name: String,
    pub note: String,
    pub span: Span,
}

/// A dimension of a list, with its name in three languages.
#[derive(Clone, Debug)]
pub struct Dimension {
    pub id: String,
    pub list: String,
    pub label: Texts,
    pub status: Status,
}

/// How graded indicators make a dimension positive, and positive dimensions a reading.
#[derive(Clone, Debug)]
pub struct Combination {
    pub id: String,
    pub lists: Vec<String>,
    /// Alternatives, each a number of indicators of each grade: `1 strong + 1 medium`.
    pub dimension_positive: Vec<Vec<(usize, Grade)>>,
    /// `(a or b) and c`: over dimension names.
    pub adult_victim: String,
    pub status: Status,
    pub note: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Indicators {
    pub lists: Vec<IndicatorList>,
    pub dimensions: Vec<Dimension>,
    pub indicators: Vec<Indicator>,
    pub combinations: Vec<Combination>,
}

fn texts(e: &[Entry], key: &str) -> Texts {
    let get = |k: &str| e.iter().find(|x| x.key == k).map(|x| x.value.clone());
    Texts {
        en: get(key).unwrap_or_default(),
        ru: get(&format!("{key}.ru")),
        tg: get(&format!("{key}.tg")),
    }
}

/// Reads indicator files; problems are reported with their place.
pub fn read(files: &[(String, String)]) -> (Indicators, Sources, Vec<Diagnostic>) {
    let mut sources = Sources::new();
    let mut diagnostics = Vec::new();
    let mut out = Indicators::default();
    for (name, text) in files {
        let file = sources.add(name.clone(), text.clone());
        for piece in pieces(text, file) {
            let Piece::Block {
                kind: BlockKind::Other,
                info,
                content,
                offset,
                span,
            } = piece
            else {
                continue;
            };
            let e = entries(&content, file, offset, &mut diagnostics);
            let get = |k: &str| e.iter().find(|x| x.key == k).map(|x| x.value.clone());
            let need = |k: &str, d: &mut Vec<Diagnostic>| {
                get(k).unwrap_or_else(|| {
                    d.push(
                        Diagnostic::error("I001", span, format!("`{info}` block has no `{k}`"))
                            .with_label(format!("add `{k}:`")),
                    );
                    String::new()
                })
            };
            let status = match get("status").as_deref().and_then(Status::parse) {
                Some(s) => s,
                None => {
                    diagnostics.push(
                        Diagnostic::error("I002", span, "no valid `status`")
                            .with_label("verified, secondary, seed, recalled or unverified"),
                    );
                    Status::Unverified
                }
            };
            match info.as_str() {
                "indicator-list" => out.lists.push(IndicatorList {
                    id: need("id", &mut diagnostics),
                    title: texts(&e, "title"),
                    status,
                    source: need("source", &mut diagnostics),
                }),
                "dimension" => out.dimensions.push(Dimension {
                    id: need("id", &mut diagnostics),
                    list: need("list", &mut diagnostics),
                    label: texts(&e, "label"),
                    status,
                }),
                "indicator" => {
                    let grade = get("grade").map(|g| {
                        Grade::parse(&g).unwrap_or_else(|| {
                            diagnostics.push(
                                Diagnostic::error("I003", span, format!("unknown grade `{g}`"))
                                    .with_label("strong, medium or weak"),
                            );
                            Grade::Weak
                        })
                    });
                    let topic = match get("topic") {
                        None => {
                            if get("question").is_some() {
                                diagnostics.push(
                                    Diagnostic::error(
                                        "I006",
                                        span,
                                        "indicator with a question has no `topic`",
                                    )
                                    .with_label("identity, migration, work, control or sensitive"),
                                );
                            }
                            None
                        }
                        Some(t) => {
                            let topic = Topic::ALL.into_iter().find(|x| x.name() == t);
                            if topic.is_none() {
                                diagnostics.push(
                                    Diagnostic::error("I006", span, format!("unknown topic `{t}`"))
                                        .with_label(
                                            "identity, migration, work, control or sensitive",
                                        ),
                                );
                            }
                            topic
                        }
                    };
                    let established_by =
                        e.iter().find(|x| x.key == "established-by").map(|x| Link {
                            name: x.value.clone(),
                            note: need("established-by-note", &mut diagnostics),
                            span: x.value_span,
                        });
                    out.indicators.push(Indicator {
                        established_by,
                        id: need("id", &mut diagnostics),
                        list: need("list", &mut diagnostics),
                        dimension: get("dimension"),
                        grade,
                        label: texts(&e, "label"),
                        question: texts(&e, "question"),
                        topic,
                        status,
                        source: need("source", &mut diagnostics),
                    });
                }
                "combination" => {
                    let rule = need("dimension-positive", &mut diagnostics);
                    let mut alternatives = Vec::new();
                    for alt in rule.split(';') {
                        let mut parts = Vec::new();
                        for part in alt.split('+') {
                            let mut words = part.split_whitespace();
                            match (
                                words.next().and_then(|n| n.parse::<usize>().ok()),
                                words.next().and_then(Grade::parse),
                            ) {
                                (Some(n), Some(g)) => parts.push((n, g)),
                                _ => diagnostics.push(
                                    Diagnostic::error(
                                        "I004",
                                        span,
                                        format!("cannot read `{}`", part.trim()),
                                    )
                                    .with_label("write `2 strong + 1 medium; 3 medium`"),
                                ),
                            }
                        }
                        alternatives.push(parts);
                    }
                    out.combinations.push(Combination {
                        id: need("id", &mut diagnostics),
                        lists: need("list", &mut diagnostics)
                            .split(',')
                            .map(|s| s.trim().to_string())
                            .collect(),
                        dimension_positive: alternatives,
                        adult_victim: need("adult-victim", &mut diagnostics),
                        status,
                        note: get("note"),
                    });
                }
                _ => {}
            }
        }
    }
    let lists: Vec<&str> = out.lists.iter().map(|l| l.id.as_str()).collect();
    for d in &out.dimensions {
        if !lists.contains(&d.list.as_str()) {
            diagnostics.push(Diagnostic::error(
                "I005",
                Span::default(),
                format!("dimension `{}` names an unknown list `{}`", d.id, d.list),
            ));
        }
    }
    for i in &out.indicators {
        if !lists.contains(&i.list.as_str()) {
            diagnostics.push(Diagnostic::error(
                "I005",
                Span::default(),
                format!("indicator `{}` names an unknown list `{}`", i.id, i.list),
            ));
        }
    }
    (out, sources, diagnostics)
}

/// Checks every indicator's `established-by` against the law: it must name a concept, or a
/// fact of the yes/no kind.
pub fn check_links(indicators: &Indicators, kb: &KnowledgeBase) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for link in indicators
        .indicators
        .iter()
        .filter_map(|i| i.established_by.as_ref())
    {
        if kb.concept(&link.name).is_some() {
            continue;
        }
        match kb.facts.iter().find(|f| f.name == link.name) {
            Some(f) if f.ty == FactType::YesNo => {}
            Some(_) => out.push(
                Diagnostic::error(
                    "I007",
                    link.span,
                    format!("`{}` is not a yes/no fact", link.name),
                )
                .with_label("a concept, or a fact of the yes/no kind"),
            ),
            None => {
                let names = kb
                    .concepts
                    .iter()
                    .map(|c| c.name.as_str())
                    .chain(kb.facts.iter().map(|f| f.name.as_str()));
                let mut d = Diagnostic::error(
                    "I007",
                    link.span,
                    format!("the law has no concept or fact `{}`", link.name),
                )
                .with_label("not a concept or fact of the law");
                if let Some(note) = did_you_mean(&link.name, names) {
                    d = d.with_note(note);
                }
                out.push(d);
            }
        }
    }
    out
}

/// One dimension of a profile.
#[derive(Clone, Debug, PartialEq)]
pub struct DimensionReading {
    pub dimension: String,
    /// The indicators answered yes.
    pub present: Vec<String>,
    pub positive: Tri,
}

/// The indicator profile of a person's answers under one combination rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    pub combination: String,
    pub dimensions: Vec<DimensionReading>,
    /// Whether the answers fit the pattern of a victim: indicative only.
    pub indicative_reading: Tri,
}

fn satisfied(alternatives: &[Vec<(usize, Grade)>], counts: &HashMap<Grade, usize>) -> bool {
    alternatives.iter().any(|alt| {
        alt.iter()
            .all(|(n, g)| counts.get(g).copied().unwrap_or(0) >= *n)
    })
}

impl Indicators {
    /// The name of `dimension` of `list` in `lang`; its id where no name is given.
    pub fn dimension_label<'a>(&'a self, list: &str, dimension: &'a str, lang: &str) -> &'a str {
        self.dimensions
            .iter()
            .find(|d| d.list == list && d.id == dimension)
            .map_or(dimension, |d| d.label.get(lang))
    }

    /// The profile of `answers` (indicator id to yes, no or undetermined) for one list.
    pub fn profile(
        &self,
        combination: &Combination,
        list: &str,
        answers: &HashMap<String, Tri>,
    ) -> Profile {
        let mut dims: Vec<String> = Vec::new();
        for i in self.indicators.iter().filter(|i| i.list == list) {
            if let Some(d) = &i.dimension
                && !dims.contains(d)
            {
                dims.push(d.clone());
            }
        }
        let mut readings = Vec::new();
        for d in &dims {
            let members: Vec<&Indicator> = self
                .indicators
                .iter()
                .filter(|i| i.list == list && i.dimension.as_ref() == Some(d))
                .collect();
            let mut yes: HashMap<Grade, usize> = HashMap::new();
            let mut maybe: HashMap<Grade, usize> = HashMap::new();
            let mut present = Vec::new();
            for i in &members {
                let Some(g) = i.grade else { continue };
                match answers.get(&i.id).copied().unwrap_or(Tri::Unknown) {
                    Tri::True => {
                        *yes.entry(g).or_default() += 1;
                        *maybe.entry(g).or_default() += 1;
                        present.push(i.id.clone());
                    }
                    Tri::Unknown => *maybe.entry(g).or_default() += 1,
                    Tri::False => {}
                }
            }
            // Positive on what is known; negative if even every open indicator could not make it.
            let positive = if satisfied(&combination.dimension_positive, &yes) {
                Tri::True
            } else if !satisfied(&combination.dimension_positive, &maybe) {
                Tri::False
            } else {
                Tri::Unknown
            };
            readings.push(DimensionReading {
                dimension: d.clone(),
                present,
                positive,
            });
        }
        let value = |name: &str| {
            readings
                .iter()
                .find(|r| r.dimension == name)
                .map_or(Tri::Unknown, |r| r.positive)
        };
        Profile {
            combination: combination.id.clone(),
            indicative_reading: evaluate(&combination.adult_victim, &value),
            dimensions: readings,
        }
    }
}

/// Three-valued `and`/`or` over names, with brackets: the combination rule's reading.
fn evaluate(expr: &str, value: &dyn Fn(&str) -> Tri) -> Tri {
    let spaced = expr.replace('(', " ( ").replace(')', " ) ");
    let tokens: Vec<&str> = spaced.split_whitespace().collect();
    let mut pos = 0;
    fn or(t: &[&str], pos: &mut usize, value: &dyn Fn(&str) -> Tri) -> Tri {
        let mut acc = and(t, pos, value);
        while t.get(*pos) == Some(&"or") {
            *pos += 1;
            acc = acc.or(and(t, pos, value));
        }
        acc
    }
    fn and(t: &[&str], pos: &mut usize, value: &dyn Fn(&str) -> Tri) -> Tri {
        let mut acc = atom(t, pos, value);
        while t.get(*pos) == Some(&"and") {
            *pos += 1;
            acc = acc.and(atom(t, pos, value));
        }
        acc
    }
    fn atom(t: &[&str], pos: &mut usize, value: &dyn Fn(&str) -> Tri) -> Tri {
        match t.get(*pos) {
            Some(&"(") => {
                *pos += 1;
                let v = or(t, pos, value);
                if t.get(*pos) == Some(&")") {
                    *pos += 1;
                }
                v
            }
            Some(name) => {
                *pos += 1;
                value(name)
            }
            None => Tri::Unknown,
        }
    }
    or(&tokens, &mut pos, value)
}
