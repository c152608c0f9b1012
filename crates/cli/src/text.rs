//! Text for people. Styles are ANSI; `anstream` strips them when output is not a terminal.

use anstyle::{AnsiColor, Style};
use delimit_engine::{Assessment, Conclusion, Explanation, Tri};
use delimit_law::{FactType, KnowledgeBase};
use delimit_scenario::Report;
use std::fmt::Write;

pub const ERROR: Style = AnsiColor::Red.on_default().bold();
const YES: Style = AnsiColor::Green.on_default().bold();
const NO: Style = AnsiColor::Blue.on_default().bold();
const OPEN: Style = AnsiColor::Yellow.on_default().bold();
const DIM: Style = Style::new().dimmed();
const BOLD: Style = Style::new().bold();
const WARN: Style = AnsiColor::Yellow.on_default();

fn paint(style: Style, text: &str) -> String {
    format!("{}{text}{}", style.render(), style.render_reset())
}

fn value(t: Tri) -> String {
    match t {
        Tri::True => paint(YES, "yes         "),
        Tri::False => paint(NO, "no          "),
        Tri::Unknown => paint(OPEN, "undetermined"),
    }
}

/// The qualification report for one case.
pub fn report(kb: &KnowledgeBase, case: &str, a: &Assessment, lang: &str, explain: bool) -> String {
    let mut out = String::new();
    let doctrines = if a.doctrines.is_empty() {
        "none".to_string()
    } else {
        a.doctrines.join(", ")
    };
    let _ = writeln!(out, "{}", paint(BOLD, &format!("Case {case}")));
    let _ = writeln!(
        out,
        "{}",
        paint(
            DIM,
            &format!(
                "law in force on {}; doctrines: {doctrines}; law version {}",
                a.as_of,
                &a.knowledge_base.hash[..12]
            )
        )
    );
    let _ = writeln!(out);
    let mut cautions: Vec<(String, String)> = Vec::new();
    // People read what holds for the person and the actors first; the elements come last.
    let kind_of = |name: &str| {
        kb.concept(name)
            .and_then(|c| kb.concepts[c].kinds.first().copied())
            .unwrap_or(delimit_law::ConceptKind::Element)
    };
    let sections = [
        (delimit_law::ConceptKind::Status, "Statuses"),
        (delimit_law::ConceptKind::Offence, "Offences"),
        (delimit_law::ConceptKind::Consequence, "Consequences"),
        (delimit_law::ConceptKind::Element, "Elements"),
    ];
    let ordered: Vec<(&str, &delimit_engine::Conclusion<'_>)> = sections
        .iter()
        .flat_map(|(kind, title)| {
            a.conclusions
                .iter()
                .filter(move |c| kind_of(&c.concept) == *kind)
                .map(move |c| (*title, c))
        })
        .collect();
    let headline: Vec<&Conclusion<'_>> = ordered
        .iter()
        .filter(|(_, c)| {
            matches!(
                kind_of(&c.concept),
                delimit_law::ConceptKind::Status | delimit_law::ConceptKind::Offence
            )
        })
        .map(|(_, c)| *c)
        .collect();
    in_short(&mut out, &headline, a);
    let mut section = "";
    for (title, c) in ordered {
        if title != section {
            section = title;
            let _ = writeln!(out, "{}", paint(BOLD, title));
        }
        let _ = writeln!(
            out,
            "  {}  {} {}",
            value(c.value),
            paint(BOLD, &c.label),
            paint(DIM, &format!("({})", c.concept))
        );
        if let Some(rule) = c
            .rules
            .iter()
            .find(|r| r.applied == Tri::True)
            .or(c.rules.last())
        {
            let dated = match &rule.until {
                Some(u) => format!("{} to {u}", rule.from),
                None => format!("from {}", rule.from),
            };
            let doctrine = rule
                .doctrine
                .as_ref()
                .map(|d| format!(", doctrine {d}"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "                {}",
                paint(
                    DIM,
                    &format!("{} {} ({dated}{doctrine})", rule.kind, rule.id)
                )
            );
            // What the rule's source leaves open is said where the answer stays open.
            if c.value == Tri::Unknown
                && let Some(note) = &rule.note
            {
                let _ = writeln!(out, "                {}", paint(DIM, note));
            }
        }
        if !c.citations.is_empty() {
            let cites: Vec<String> = c
                .citations
                .iter()
                .map(|ci| {
                    if let Some(caution) = &ci.caution
                        && !cautions.iter().any(|(p, _)| *p == ci.provision)
                    {
                        cautions.push((ci.provision.to_string(), caution.to_string()));
                    }
                    format!("{} [{}]", ci.provision, ci.status)
                })
                .collect();
            let _ = writeln!(out, "                cites {}", cites.join(", "));
        }
        if c.unchecked_basis {
            let _ = writeln!(out, "                {}", paint(WARN, UNCHECKED_BASIS));
        }
        if let Some(note) = &c.note {
            let _ = writeln!(out, "                {}", paint(WARN, note));
        }
        if !c.deciding_facts.is_empty() {
            let caveat = if c.deciding_facts_exact {
                ""
            } else {
                " (one of these may turn out not to matter)"
            };
            let _ = writeln!(
                out,
                "                {}",
                paint(
                    OPEN,
                    &format!(
                        "would be decided by: {}{caveat}",
                        c.deciding_facts.join(", ")
                    )
                )
            );
        }
        if explain && let Some(e) = &c.explanation {
            tree(&mut out, e, "                ", true, true);
        }
    }
    if !a.deciding_facts.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            paint(BOLD, "Open questions, most decisive first")
        );
        for (i, d) in a.deciding_facts.iter().enumerate() {
            let kind = kb
                .fact(&d.fact)
                .map(|f| kind_hint(&kb.facts[f].ty))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {:>2}. {} {}",
                i + 1,
                d.question,
                paint(DIM, &format!("[{}{kind}; settles {}]", d.fact, d.settles))
            );
        }
    }
    if !cautions.is_empty() {
        let _ = writeln!(out, "\n{}", paint(WARN, "Cautions on the sources"));
        for (p, c) in cautions {
            let _ = writeln!(out, "  {p}: {c}");
        }
    }
    let _ = writeln!(
        out,
        "\n{}",
        paint(
            DIM,
            &format!(
                "Labels in `{lang}`. A legal qualification from the facts given; not a substitute for a decision by a competent authority."
            )
        )
    );
    out
}

/// The statuses and offences that hold, those that do not, how many are open and the question
/// that decides most, before the detail: what a reader needs first.
fn in_short(out: &mut String, headline: &[&Conclusion<'_>], a: &Assessment) {
    let labels = |v: Tri| -> Vec<&str> {
        headline
            .iter()
            .filter(|c| c.value == v)
            .map(|c| &*c.label)
            .collect()
    };
    let _ = writeln!(out, "{}", paint(BOLD, "In short"));
    for (v, list) in [
        (Tri::True, labels(Tri::True)),
        (Tri::False, labels(Tri::False)),
    ] {
        for (i, label) in list.iter().enumerate() {
            let shown = if i == 0 { value(v) } else { " ".repeat(12) };
            let _ = writeln!(out, "  {shown}  {label}");
        }
    }
    let open = labels(Tri::Unknown).len();
    if open > 0 {
        let first = a
            .deciding_facts
            .first()
            .map(|d| format!("; the question that decides most: {}", d.question))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {}  {open} of the statuses and offences{first}",
            value(Tri::Unknown)
        );
    }
    let _ = writeln!(out);
}

fn kind_hint(ty: &FactType) -> String {
    match ty {
        FactType::YesNo => String::new(),
        other => format!(": {}", other.describe()),
    }
}

/// One conclusion's explanation tree.
pub fn explanation(c: &Conclusion) -> String {
    let mut out = String::new();
    match &c.explanation {
        Some(e) => tree(&mut out, e, "", true, true),
        None => {
            let _ = writeln!(out, "{}: {}", c.concept, c.value.word());
        }
    }
    if !c.citations.is_empty() {
        let _ = writeln!(out, "\n{}", paint(BOLD, "Provisions"));
        for ci in &c.citations {
            let article = if ci.article.starts_with(|c: char| c.is_ascii_digit()) {
                format!("art. {}", ci.article)
            } else {
                ci.article.to_string()
            };
            let _ = writeln!(
                out,
                "  {} ({} {article}) [{}]",
                ci.provision, ci.instrument, ci.status
            );
            if let Some(caution) = &ci.caution {
                let _ = writeln!(out, "    {}", paint(WARN, caution));
            }
        }
    }
    if !c.deciding_facts.is_empty() {
        let _ = writeln!(
            out,
            "\n{} {}",
            paint(OPEN, "Would be decided by:"),
            c.deciding_facts.join(", ")
        );
    }
    out
}

fn tree(out: &mut String, e: &Explanation, prefix: &str, last: bool, root: bool) {
    let branch = if root {
        ""
    } else if last {
        "└─ "
    } else {
        "├─ "
    };
    let v = match e.value.as_ref() {
        "yes" => paint(YES, "yes"),
        "no" => paint(NO, "no"),
        "undetermined" | "unknown" => paint(OPEN, &e.value),
        other => other.to_string(),
    };
    let cites = if e.cites.is_empty() {
        String::new()
    } else {
        paint(DIM, &format!("  [{}]", e.cites.join(", ")))
    };
    let _ = writeln!(out, "{prefix}{branch}{}: {v}{cites}", e.text);
    let child_prefix = if root {
        prefix.to_string()
    } else {
        format!("{prefix}{}", if last { "   " } else { "│  " })
    };
    for (i, c) in e.children.iter().enumerate() {
        tree(out, c, &child_prefix, i + 1 == e.children.len(), false);
    }
}

/// The fact vocabulary with questions.
pub fn facts(kb: &KnowledgeBase, lang: &str) -> String {
    let mut out = String::new();
    for f in &kb.facts {
        let _ = writeln!(
            out,
            "{} {}",
            paint(BOLD, &f.name),
            paint(DIM, &format!("({})", f.ty.describe()))
        );
        let _ = writeln!(out, "    {}", f.question.get(lang));
        for (i, o) in f.ty.options().iter().enumerate() {
            let label = f
                .option_labels
                .get(i)
                .map(|t| t.get(lang))
                .filter(|s| !s.is_empty())
                .unwrap_or("");
            let _ = writeln!(
                out,
                "      - {o}{}",
                if label.is_empty() {
                    String::new()
                } else {
                    format!(": {label}")
                }
            );
        }
    }
    out
}

pub fn doctrines(kb: &KnowledgeBase) -> String {
    let mut out = String::new();
    if kb.doctrines.is_empty() {
        let _ = writeln!(out, "no doctrines in this knowledge base");
    }
    for d in &kb.doctrines {
        let kind = match d.kind {
            delimit_law::ast::ReadingKind::Doctrine => "doctrine",
            delimit_law::ast::ReadingKind::Reform => "reform (a proposal, not law)",
        };
        let _ = writeln!(out, "{}  {}", paint(BOLD, &d.id), paint(DIM, kind));
        let _ = writeln!(out, "    {}", d.label.en);
        let _ = writeln!(out, "    cites {}", d.cites.join(", "));
        if let Some(n) = &d.note {
            let _ = writeln!(out, "    {}", paint(DIM, n));
        }
    }
    out
}

pub fn test_report(r: &Report) -> String {
    let mut out = String::new();
    for o in &r.outcomes {
        if o.passed() {
            let _ = writeln!(
                out,
                "{} {} {}",
                paint(YES, "pass"),
                o.name,
                paint(DIM, &o.location)
            );
        } else {
            let _ = writeln!(
                out,
                "{} {} {}",
                paint(ERROR, "FAIL"),
                o.name,
                paint(DIM, &o.location)
            );
            for f in &o.failures {
                let _ = writeln!(out, "       {f}");
            }
        }
    }
    let _ = writeln!(out, "{}", r.summary());
    out
}

/// Readings side by side: every concept, and what changed and why.
pub fn comparison(c: &delimit_engine::Comparison) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        paint(BOLD, &format!("Case {}", c.case.as_deref().unwrap_or("")))
    );
    let _ = writeln!(
        out,
        "{}",
        paint(
            DIM,
            &format!(
                "law in force on {}; law version {}",
                c.as_of,
                &c.knowledge_base[..12]
            )
        )
    );
    for (i, r) in c.readings.iter().enumerate() {
        let extra = if r.doctrines.is_empty() {
            String::new()
        } else {
            format!(" ({})", r.doctrines.join(" + "))
        };
        let _ = writeln!(out, "  [{}] {}{extra}", i + 1, r.name);
        if let Some(e) = &r.error {
            let _ = writeln!(
                out,
                "      {}",
                paint(WARN, &format!("cannot be applied: {e}"))
            );
        }
    }
    let _ = writeln!(out);
    let width = c
        .rows
        .iter()
        .map(|r| r.label.chars().count())
        .max()
        .unwrap_or(10)
        .min(60);
    for row in &c.rows {
        let mut label: String = row.label.chars().take(width).collect();
        while label.chars().count() < width {
            label.push(' ');
        }
        let cells: Vec<String> = row
            .cells
            .iter()
            .enumerate()
            .map(|(i, cell)| match cell {
                Some(cell) => format!("[{}] {}", i + 1, value(cell.value)),
                None => format!("[{}] {}", i + 1, paint(DIM, "—           ")),
            })
            .collect();
        let mark = if row.differs {
            paint(WARN, " ◀ differs")
        } else {
            String::new()
        };
        let _ = writeln!(out, "  {label}  {}{mark}", cells.join("  "));
    }
    let differences: Vec<_> = c.differences().collect();
    let _ = writeln!(out);
    if differences.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            paint(BOLD, "The readings agree on every concept for this case.")
        );
        return out;
    }
    let _ = writeln!(
        out,
        "{}",
        paint(
            BOLD,
            &format!(
                "What changed and why ({} concept{})",
                differences.len(),
                if differences.len() == 1 { "" } else { "s" }
            )
        )
    );
    for row in differences {
        let _ = writeln!(
            out,
            "  {} {}",
            paint(BOLD, &row.label),
            paint(DIM, &format!("({})", row.concept))
        );
        for (i, cell) in row.cells.iter().enumerate() {
            if let Some(cell) = cell {
                let _ = writeln!(
                    out,
                    "    [{}] {}  by {}  citing {}",
                    i + 1,
                    cell.value.word(),
                    cell.rule.as_deref().unwrap_or("no rule in force"),
                    if cell.cites.is_empty() {
                        "nothing".to_string()
                    } else {
                        cell.cites.join(", ")
                    }
                );
            }
        }
    }
    out
}

/// Which rules and exceptions the scenarios apply.
pub fn coverage(kb: &KnowledgeBase, r: &Report) -> String {
    let mut out = String::new();
    let missing: Vec<usize> = r.unexercised().collect();
    let total = r.exercised.len();
    let _ = writeln!(
        out,
        "coverage: {} of {total} rule versions and exceptions applied by some scenario ({:.1}%)",
        total - missing.len(),
        r.coverage_percent()
    );
    for id in missing {
        let rule = &kb.rules[id];
        let _ = writeln!(
            out,
            "  {} {} (from {}) {}",
            paint(WARN, "not exercised:"),
            rule.id,
            rule.from,
            paint(DIM, &format!("{}:{}", rule.origin.file, rule.origin.line))
        );
    }
    out
}

/// Terminology entries with their definitions quoted and the sources behind each claim.
pub fn terms(kb: &KnowledgeBase, found: &[&delimit_law::Term]) -> String {
    let mut out = String::new();
    let cite = |id: &str| -> String {
        match kb.provision(id) {
            Some(p) => format!("{id} [{}]", kb.provisions[p].status.name()),
            None => match kb.sources.iter().find(|s| s.id == id) {
                Some(s) => format!("{id} [{}]", s.status.name()),
                None => id.to_string(),
            },
        }
    };
    for t in found {
        let _ = writeln!(
            out,
            "{} {}",
            paint(BOLD, &t.term.en),
            paint(DIM, &format!("({})", t.id))
        );
        let _ = writeln!(
            out,
            "  ru: {}   tg: {}",
            t.term.ru.as_deref().unwrap_or("—"),
            t.term.tg.as_deref().unwrap_or("—")
        );
        if let Some(c) = &t.concept
            && let Some(id) = kb.concept(c)
        {
            let _ = writeln!(out, "  decided as: {c} ({})", kb.concepts[id].label.en);
        }
        for d in &t.defined_by {
            if let Some(p) = kb.provision(d) {
                let prov = &kb.provisions[p];
                let _ = writeln!(out, "  defined by {}:", cite(d));
                if let Some(text) = &prov.text {
                    for line in text.lines() {
                        let _ = writeln!(out, "    > {line}");
                    }
                }
                if let Some(c) = prov.status.caution() {
                    let _ = writeln!(out, "    {}", paint(WARN, c));
                }
            }
        }
        if !t.synonyms.is_empty() {
            let per: Vec<String> = t.synonyms_per.iter().map(|s| cite(s)).collect();
            let _ = writeln!(out, "  synonyms: {}", t.synonyms.join(", "));
            if !per.is_empty() {
                let _ = writeln!(out, "    according to {}", per.join("; "));
            }
        }
        if !t.distinct_per.is_empty() {
            let per: Vec<String> = t.distinct_per.iter().map(|s| cite(s)).collect();
            let _ = writeln!(out, "  distinct meanings according to {}", per.join("; "));
        }
        if let Some(n) = &t.note {
            let _ = writeln!(out, "  {}", paint(DIM, n));
        }
        let _ = writeln!(out);
    }
    out
}

/// A timeline's findings: per person and state, what holds and from which stage; per actor,
/// the offences their conduct meets.
pub fn timeline(case: &str, a: &delimit_case::findings::TimelineAssessment<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", paint(BOLD, &format!("Case {case}")));
    let doctrines = if a.doctrines.is_empty() {
        "none".to_string()
    } else {
        a.doctrines.join(", ")
    };
    let _ = writeln!(
        out,
        "{}",
        paint(
            DIM,
            &format!(
                "a journey; each stage judged under the law of its own date; doctrines: {doctrines}; law version {}",
                &a.knowledge_base[..12]
            )
        )
    );
    for p in &a.persons {
        let route: Vec<&str> = [p.origin.as_deref(), p.destination.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        let _ = writeln!(
            out,
            "\n{} {}",
            paint(BOLD, &format!("Person {}", p.person)),
            paint(DIM, &route.join(" → "))
        );
        for s in &p.stages {
            let _ = writeln!(out, "  {}", paint(BOLD, s.stage.name()));
            for line in &s.summary {
                let _ = writeln!(out, "    {line}");
            }
        }
        for r in &p.interrelations {
            let cites: Vec<String> = r
                .citations
                .iter()
                .map(|c| format!("{} [{}]", c.provision, c.status))
                .collect();
            let _ = writeln!(
                out,
                "\n  {} {}",
                paint(BOLD, &format!("{}:", r.label)),
                r.sentence
            );
            if !cites.is_empty() {
                let _ = writeln!(
                    out,
                    "  {}",
                    paint(DIM, &format!("cites {}", cites.join(", ")))
                );
            }
        }
        let _ = writeln!(out);
        findings(&mut out, &p.findings, "  ");
        for s in &p.states {
            let _ = writeln!(
                out,
                "\n  {}",
                paint(
                    BOLD,
                    &format!(
                        "Relative to {}",
                        s.state.as_deref().unwrap_or("the state concerned")
                    )
                )
            );
            findings(&mut out, &s.findings, "    ");
        }
        if !p.open_questions.is_empty() {
            let _ = writeln!(
                out,
                "\n  {}",
                paint(OPEN, "Open questions, most decisive first")
            );
            for q in &p.open_questions {
                let _ = writeln!(out, "    - {q}");
            }
        }
    }
    for actor in &a.actors {
        let roles: Vec<String> = actor.roles.iter().map(|r| format!("{r:?}")).collect();
        let _ = writeln!(
            out,
            "\n{} {}",
            paint(BOLD, &format!("Actor {}", actor.actor)),
            paint(DIM, &roles.join(", "))
        );
        if actor.offences.is_empty() {
            let _ = writeln!(
                out,
                "    {}",
                paint(
                    DIM,
                    "no offence established or open on the events they took part in"
                )
            );
        }
        for o in &actor.offences {
            let place = o
                .state
                .as_deref()
                .map(|s| format!(" in {s}"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "    {}  {} {}",
                value(o.finding.value),
                o.finding.label,
                paint(DIM, &format!("(towards {}{place})", o.person))
            );
        }
    }
    if !a.law_changes.is_empty() {
        let _ = writeln!(out, "\n{}", paint(WARN, "The law changed during the case"));
        for c in &a.law_changes {
            let _ = writeln!(out, "  {c}");
        }
    }
    if !a.warnings.is_empty() {
        let _ = writeln!(out, "\n{}", paint(WARN, "Warnings"));
        for w in &a.warnings {
            let _ = writeln!(out, "  {w}");
        }
    }
    out
}

/// Findings that hold in detail, those still open on one line each.
fn findings(out: &mut String, list: &[delimit_case::findings::Finding<'_>], indent: &str) {
    let established: Vec<_> = list.iter().filter(|f| f.value == Tri::True).collect();
    let open: Vec<_> = list.iter().filter(|f| f.value == Tri::Unknown).collect();
    if established.is_empty() && open.is_empty() {
        let _ = writeln!(out, "{indent}{}", paint(DIM, "nothing established or open"));
    }
    for f in established {
        let when = f
            .from_stage
            .map(|st| format!(" from {}", st.name()))
            .unwrap_or_default();
        let law = f
            .law_of
            .as_deref()
            .map(|d| format!("; law of {d}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{indent}{}  {} {}",
            value(f.value),
            f.label,
            paint(DIM, &format!("({}{when}{law})", f.kind))
        );
        let cites: Vec<String> = f
            .citations
            .iter()
            .map(|c| format!("{} [{}]", c.provision, c.status))
            .collect();
        if !cites.is_empty() {
            let _ = writeln!(out, "{indent}                cites {}", cites.join(", "));
        }
        if f.unchecked_basis {
            let _ = writeln!(
                out,
                "{indent}                {}",
                paint(WARN, UNCHECKED_BASIS)
            );
        }
        if !f.established_by.is_empty() {
            let _ = writeln!(
                out,
                "{indent}                {}",
                paint(
                    DIM,
                    &format!("established by events {}", f.established_by.join(", "))
                )
            );
        }
    }
    for f in open {
        let _ = writeln!(
            out,
            "{indent}{}  {} {}",
            value(f.value),
            f.label,
            paint(DIM, &format!("({})", f.kind))
        );
    }
}

/// Said beside a conclusion whose every provision is recalled or unverified.
const UNCHECKED_BASIS: &str =
    "warning: rests only on text recalled or not found; read the provisions before relying on it";
