//! The knowledge base as static HTML for review by lawyers: an index, and one page per
//! instrument with each provision's text, status and dates, the rules that rest on it in
//! plain words, and where each is used.

use delimit_law::ast::{ArithOp, ReadingKind, RuleKind};
use delimit_law::{Expr, ExprKind, FactType, KnowledgeBase, Provision, Rule, Status, TextKind};
use std::fmt::Write;
use std::path::Path;

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:Georgia,serif;max-width:50rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}\
h1,h2,h3{font-family:system-ui,sans-serif;line-height:1.25}h2{margin-top:2.5rem;border-top:1px solid #ccc;padding-top:1rem}\
blockquote{margin:1rem 0;padding:.5rem 1rem;border-left:4px solid #888;background:#f6f6f6}\
.status{font-family:system-ui,sans-serif;font-size:.8rem;padding:.1rem .4rem;border-radius:.3rem;border:1px solid}\
.verified{color:#0a5d0a;border-color:#0a5d0a}.secondary,.seed,.recalled{color:#8a5a00;border-color:#8a5a00}.unverified{color:#a00;border-color:#a00}\
.caution{color:#8a5a00}.meta{font-family:system-ui,sans-serif;font-size:.85rem;color:#444}\
.rule{border:1px solid #ddd;padding:.5rem 1rem;margin:.5rem 0;border-radius:.3rem}code{font-size:.85rem}\
nav{font-family:system-ui,sans-serif;font-size:.9rem}@media print{nav{display:none}a{color:inherit}}";

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<nav><a href=\"index.html\">delimit: the law</a></nav>\n{body}\n</body>\n</html>\n",
        esc(title)
    )
}

fn status_badge(s: Status) -> String {
    format!("<span class=\"status {0}\">{0}</span>", s.name())
}

/// Where the page of an instrument lives.
fn instrument_file(id: &str) -> String {
    format!("{}.html", id.replace(['/', '\\'], "-"))
}

fn anchor(id: &str) -> String {
    id.replace(['/', '.'], "-")
}

fn provision_link(kb: &KnowledgeBase, id: &str) -> String {
    match kb.provision(id) {
        Some(p) => {
            let prov = &kb.provisions[p];
            format!(
                "<a href=\"{}#{}\">{}</a> {}",
                instrument_file(&prov.instrument),
                anchor(id),
                esc(id),
                status_badge(prov.status)
            )
        }
        None => match kb.sources.iter().find(|s| s.id == id) {
            Some(s) => format!(
                "<a href=\"index.html#{}\">{}</a> {}",
                anchor(id),
                esc(id),
                status_badge(s.status)
            ),
            None => esc(id),
        },
    }
}

fn humanise(name: &str) -> String {
    name.replace('_', " ")
}

/// An expression in plain words, concepts linked to where they are decided.
pub fn plain(kb: &KnowledgeBase, e: &Expr) -> String {
    let wrap = |x: &Expr| {
        let s = plain(kb, x);
        if matches!(x.kind, ExprKind::And(_) | ExprKind::Or(_)) {
            format!("({s})")
        } else {
            s
        }
    };
    let option = |f: usize, i: usize| {
        let fact = &kb.facts[f];
        let label = fact
            .option_labels
            .get(i)
            .map(|t| t.en.clone())
            .filter(|l| !l.is_empty());
        label.unwrap_or_else(|| humanise(&fact.ty.options()[i]))
    };
    match &e.kind {
        ExprKind::Bool(b) => if *b { "yes" } else { "no" }.into(),
        ExprKind::Undetermined => "undetermined (the text that would decide was not read)".into(),
        ExprKind::Number(n) => format!("{n}"),
        ExprKind::Date(d) => d.to_string(),
        ExprKind::AsOf => "the date of assessment".into(),
        ExprKind::Fact(f) => format!("<em>{}</em>", esc(&humanise(&kb.facts[*f].name))),
        ExprKind::Concept(c) => format!(
            "<a href=\"index.html#concept-{0}\">{1}</a>",
            esc(&kb.concepts[*c].name),
            esc(&kb.concepts[*c].label.en)
        ),
        ExprKind::Is(f, i) => format!(
            "<em>{}</em> is “{}”",
            esc(&humanise(&kb.facts[*f].name)),
            esc(&option(*f, *i))
        ),
        ExprKind::Has(f, i) => format!(
            "<em>{}</em> include “{}”",
            esc(&humanise(&kb.facts[*f].name)),
            esc(&option(*f, *i))
        ),
        ExprKind::Not(x) => format!("not {}", wrap(x)),
        ExprKind::And(xs) => xs.iter().map(wrap).collect::<Vec<_>>().join(" and "),
        ExprKind::Or(xs) => {
            // `any(set)` and `x in {..}` read best as a list of the options.
            let fact_of = |x: &Expr| match x.kind {
                ExprKind::Has(f, _) | ExprKind::Is(f, _) => Some(f),
                _ => None,
            };
            let first = xs.first().and_then(fact_of);
            if let Some(f) = first
                && xs.iter().all(|x| fact_of(x) == Some(f))
            {
                let verb = if matches!(xs[0].kind, ExprKind::Has(..)) {
                    "include any of"
                } else {
                    "is one of"
                };
                let options: Vec<String> = xs
                    .iter()
                    .filter_map(|x| match x.kind {
                        ExprKind::Has(_, i) | ExprKind::Is(_, i) => {
                            Some(format!("“{}”", esc(&option(f, i))))
                        }
                        _ => None,
                    })
                    .collect();
                return format!(
                    "<em>{}</em> {verb} {}",
                    esc(&humanise(&kb.facts[f].name)),
                    options.join(", ")
                );
            }
            xs.iter().map(wrap).collect::<Vec<_>>().join(" or ")
        }
        ExprKind::AtLeast(n, xs) => format!(
            "at least {n} of: {}",
            xs.iter().map(wrap).collect::<Vec<_>>().join("; ")
        ),
        ExprKind::Cmp(op, a, b) => {
            let words = match op.symbol() {
                "<" => "is less than",
                "<=" => "is at most",
                ">" => "is more than",
                ">=" => "is at least",
                "=" => "is",
                _ => "is not",
            };
            format!("{} {words} {}", plain(kb, a), plain(kb, b))
        }
        ExprKind::Age(b, on) => format!(
            "the age in whole years from {} to {}",
            plain(kb, b),
            plain(kb, on)
        ),
        ExprKind::Arith(op, a, b) => {
            let sign = if *op == ArithOp::Add { "plus" } else { "minus" };
            format!("{} {sign} {}", plain(kb, a), plain(kb, b))
        }
    }
}

fn rule_html(kb: &KnowledgeBase, r: &Rule) -> String {
    let concept = &kb.concepts[r.concept];
    let mut s = String::from("<div class=\"rule\">");
    let dates = match r.until {
        Some(u) => format!("from {} to {u}", r.from),
        None => format!("from {}", r.from),
    };
    let reading = r
        .doctrine
        .map(|d| {
            let doc = &kb.doctrines[d];
            let kind = if doc.kind == ReadingKind::Reform {
                "reform"
            } else {
                "doctrine"
            };
            format!(
                "; only under the {kind} <a href=\"index.html#reading-{0}\">{0}</a>",
                esc(&doc.id)
            )
        })
        .unwrap_or_default();
    let value = plain(kb, &r.value);
    match (r.kind, &r.when) {
        (RuleKind::Exception, Some(w)) => {
            let _ = write!(
                s,
                "<p><strong>Exception <code>{}</code></strong> to <code>{}</code>: when {}, <a href=\"index.html#concept-{}\">{}</a> is decided as: {}.</p>",
                esc(&r.id),
                esc(r.parent.as_deref().unwrap_or("")),
                plain(kb, w),
                esc(&concept.name),
                esc(&concept.label.en),
                value
            );
        }
        _ => {
            let _ = write!(
                s,
                "<p><strong>Rule <code>{}</code></strong>: <a href=\"index.html#concept-{}\">{}</a> holds when {}.</p>",
                esc(&r.id),
                esc(&concept.name),
                esc(&concept.label.en),
                value
            );
        }
    }
    let cites: Vec<String> = r
        .cites
        .iter()
        .map(|&p| provision_link(kb, &kb.provisions[p].id))
        .collect();
    let _ = write!(
        s,
        "<p class=\"meta\">Applies {dates}{reading}. Cites {}. Written at {}:{}.</p>",
        cites.join(", "),
        esc(&r.origin.file),
        r.origin.line
    );
    if let Some(n) = &r.note {
        let _ = write!(s, "<p class=\"meta\">{}</p>", esc(n));
    }
    s.push_str("</div>");
    s
}

fn provision_html(kb: &KnowledgeBase, p: &Provision) -> String {
    let mut s = String::new();
    let _ = write!(s, "<h2 id=\"{}\">{}</h2>", anchor(&p.id), esc(&p.heading));
    let _ = write!(
        s,
        "<p class=\"meta\"><code>{}</code> · article {} · {}",
        esc(&p.id),
        esc(&p.article),
        status_badge(p.status)
    );
    match (p.in_force_from, p.in_force_until) {
        (Some(f), Some(u)) => {
            let _ = write!(s, " · in force from {f} to {u}");
        }
        (Some(f), None) => {
            let _ = write!(s, " · in force from {f}");
        }
        _ => {}
    }
    s.push_str("</p>");
    let _ = write!(
        s,
        "<p class=\"meta\">{} · {} · {}</p>",
        esc(&p.label.en),
        esc(p.label.ru.as_deref().unwrap_or("")),
        esc(p.label.tg.as_deref().unwrap_or(""))
    );
    if let Some(c) = p.status.caution() {
        let _ = write!(s, "<p class=\"caution\">{}</p>", esc(c));
    }
    match (&p.text, p.text_kind) {
        (Some(t), TextKind::Paraphrase) => {
            let _ = write!(
                s,
                "<p class=\"caution\">Paraphrase, not the words of the instrument:</p><blockquote>{}</blockquote>",
                paragraphs(t)
            );
        }
        (Some(t), _) => {
            let _ = write!(
                s,
                "<blockquote lang=\"{}\">{}</blockquote>",
                esc(&p.language),
                paragraphs(t)
            );
            if let Some(tr) = &p.translation {
                let _ = write!(
                    s,
                    "<p class=\"caution\">delimit's English rendering, not an official text:</p><blockquote class=\"translation\">{}</blockquote>",
                    paragraphs(tr)
                );
            }
        }
        (None, _) => {
            s.push_str("<p class=\"caution\">The text of this provision has not been read.</p>")
        }
    }
    let _ = write!(s, "<p class=\"meta\">Source: {}</p>", esc(&p.source));
    if !p.refs.is_empty() {
        let refs: Vec<String> = p.refs.iter().map(|r| provision_link(kb, r)).collect();
        let _ = write!(s, "<p class=\"meta\">References: {}</p>", refs.join(", "));
    }
    if let Some(n) = &p.note {
        let _ = write!(s, "<p class=\"meta\">{}</p>", esc(n));
    }
    let pid = kb.provision(&p.id);
    let rules: Vec<&Rule> = kb
        .rules
        .iter()
        .filter(|r| pid.is_some_and(|id| r.cites.contains(&id)))
        .collect();
    if rules.is_empty() {
        s.push_str("<p class=\"meta\">No rule rests on this provision.</p>");
    } else {
        s.push_str("<h3>Rules resting on this provision</h3>");
        for r in rules {
            s.push_str(&rule_html(kb, r));
        }
    }
    let cited_by: Vec<String> = kb
        .doctrines
        .iter()
        .filter(|d| d.cites.contains(&p.id))
        .map(|d| format!("<a href=\"index.html#reading-{0}\">{0}</a>", esc(&d.id)))
        .collect();
    if !cited_by.is_empty() {
        let _ = write!(
            s,
            "<p class=\"meta\">Cited by the readings {}.</p>",
            cited_by.join(", ")
        );
    }
    s
}

fn paragraphs(t: &str) -> String {
    t.split("\n\n")
        .map(|p| format!("<p>{}</p>", esc(p)))
        .collect()
}

/// Writes the whole knowledge base as HTML into `out`; returns the files written.
pub fn render(kb: &KnowledgeBase, out: &Path) -> std::io::Result<Vec<String>> {
    std::fs::create_dir_all(out)?;
    let mut written = Vec::new();
    for i in &kb.instruments {
        let mut body = String::new();
        let _ = write!(body, "<h1>{}</h1>", esc(&i.title.en));
        let _ = write!(
            body,
            "<p class=\"meta\">{} · {}</p>",
            esc(i.title.ru.as_deref().unwrap_or("")),
            esc(i.title.tg.as_deref().unwrap_or(""))
        );
        let _ = write!(
            body,
            "<p class=\"meta\"><code>{}</code> · {} · {} · {}",
            esc(&i.id),
            esc(&i.jurisdiction),
            esc(&i.kind),
            status_badge(delimit_law::verification::instrument_status(kb, i))
        );
        if let Some(a) = i.adopted {
            let _ = write!(body, " · adopted {a}");
        }
        if let Some(f) = i.in_force_from {
            let _ = write!(body, " · in force from {f}");
        }
        if let Some(u) = i.in_force_until {
            let _ = write!(body, " until {u}");
        }
        let _ = write!(body, "</p><p class=\"meta\">Source: {}</p>", esc(&i.source));
        if let Some(n) = &i.note {
            let _ = write!(body, "<p class=\"caution\">{}</p>", esc(n));
        }
        for p in kb.provisions.iter().filter(|p| p.instrument == i.id) {
            body.push_str(&provision_html(kb, p));
        }
        let name = instrument_file(&i.id);
        std::fs::write(out.join(&name), page(&i.title.en, &body))?;
        written.push(name);
    }
    std::fs::write(out.join("index.html"), page("delimit: the law", &index(kb)))?;
    written.push("index.html".into());
    Ok(written)
}

fn index(kb: &KnowledgeBase) -> String {
    let mut s = String::from("<h1>The law as delimit applies it</h1>");
    let _ = write!(
        s,
        "<p class=\"meta\">Law version <code>{}</code>. Every provision shows how sure we are of its text: {}.</p>",
        esc(&kb.hash),
        Status::ALL
            .iter()
            .map(|st| status_badge(*st))
            .collect::<Vec<_>>()
            .join(" ")
    );
    s.push_str("<h2 id=\"instruments\">Instruments</h2><ul>");
    for i in &kb.instruments {
        let n = kb
            .provisions
            .iter()
            .filter(|p| p.instrument == i.id)
            .count();
        let _ = write!(
            s,
            "<li><a href=\"{}\">{}</a> <span class=\"meta\">({}, {} provision{}) {}</span></li>",
            instrument_file(&i.id),
            esc(&i.title.en),
            esc(&i.jurisdiction),
            n,
            if n == 1 { "" } else { "s" },
            status_badge(delimit_law::verification::instrument_status(kb, i))
        );
    }
    s.push_str("</ul><h2 id=\"concepts\">Concepts</h2><dl>");
    for c in &kb.concepts {
        let id = kb.concept(&c.name).unwrap_or(0);
        let rules: Vec<String> = kb
            .rules
            .iter()
            .filter(|r| r.concept == id)
            .map(|r| {
                let cites: Vec<String> = r
                    .cites
                    .iter()
                    .map(|&p| provision_link(kb, &kb.provisions[p].id))
                    .collect();
                format!("<code>{}</code> ({})", esc(&r.id), cites.join(", "))
            })
            .collect();
        let _ = write!(
            s,
            "<dt id=\"concept-{}\"><strong>{}</strong> <code>{}</code></dt><dd>{} · {}<br><span class=\"meta\">Decided by {}</span></dd>",
            esc(&c.name),
            esc(&c.label.en),
            esc(&c.name),
            esc(c.label.ru.as_deref().unwrap_or("")),
            esc(c.label.tg.as_deref().unwrap_or("")),
            rules.join("; ")
        );
    }
    s.push_str("</dl><h2 id=\"readings\">Doctrines and reforms</h2><dl>");
    for d in &kb.doctrines {
        let kind = if d.kind == ReadingKind::Reform {
            "reform (a proposal, not law)"
        } else {
            "doctrine"
        };
        let cites: Vec<String> = d.cites.iter().map(|c| provision_link(kb, c)).collect();
        let _ = write!(
            s,
            "<dt id=\"reading-{0}\"><code>{0}</code> <span class=\"meta\">{1}</span></dt><dd>{2}<br><span class=\"meta\">Attributed to {3}</span></dd>",
            esc(&d.id),
            kind,
            esc(&d.label.en),
            cites.join(", ")
        );
    }
    s.push_str("</dl><h2 id=\"terms\">Terminology</h2><dl>");
    for t in &kb.terms {
        let defs: Vec<String> = t.defined_by.iter().map(|d| provision_link(kb, d)).collect();
        let per: Vec<String> = t
            .synonyms_per
            .iter()
            .map(|d| provision_link(kb, d))
            .collect();
        let distinct: Vec<String> = t
            .distinct_per
            .iter()
            .map(|d| provision_link(kb, d))
            .collect();
        let _ = write!(
            s,
            "<dt><strong>{}</strong> · {} · {}</dt><dd>",
            esc(&t.term.en),
            esc(t.term.ru.as_deref().unwrap_or("")),
            esc(t.term.tg.as_deref().unwrap_or(""))
        );
        if !defs.is_empty() {
            let _ = write!(s, "Defined by {}. ", defs.join(", "));
        }
        if !t.synonyms.is_empty() {
            let _ = write!(
                s,
                "Synonyms: {} (according to {}). ",
                esc(&t.synonyms.join(", ")),
                per.join(", ")
            );
        }
        if !distinct.is_empty() {
            let _ = write!(
                s,
                "Distinct meanings according to {}. ",
                distinct.join(", ")
            );
        }
        if let Some(n) = &t.note {
            let _ = write!(s, "<span class=\"meta\">{}</span>", esc(n));
        }
        s.push_str("</dd>");
    }
    s.push_str("</dl><h2 id=\"facts\">Facts a case can give</h2><dl>");
    for f in &kb.facts {
        let options = match &f.ty {
            FactType::OneOf(o) | FactType::SeveralOf(o) => format!(" ({})", esc(&o.join(", "))),
            _ => String::new(),
        };
        let _ = write!(
            s,
            "<dt><code>{}</code> <span class=\"meta\">{}{options}</span></dt><dd>{}<br>{}<br>{}</dd>",
            esc(&f.name),
            esc(&f
                .ty
                .describe()
                .split(' ')
                .take(2)
                .collect::<Vec<_>>()
                .join(" ")),
            esc(&f.question.en),
            esc(f.question.ru.as_deref().unwrap_or("")),
            esc(f.question.tg.as_deref().unwrap_or(""))
        );
    }
    s.push_str("</dl><h2 id=\"context\">Context: figures</h2><p class=\"meta\">Not law; shown for context, each with its source and year.</p><ul>");
    for f in &kb.figures {
        let _ = write!(
            s,
            "<li><strong>{}</strong>: {} {} ({}) · {}",
            esc(&f.label.en),
            esc(&f.value),
            esc(&f.unit),
            esc(&f.year),
            provision_link(kb, &f.source)
        );
        if let Some(q) = &f.quote {
            let _ = write!(s, "<blockquote>{}</blockquote>", paragraphs(q));
        }
        if let Some(n) = &f.note {
            let _ = write!(s, "<span class=\"meta\">{}</span>", esc(n));
        }
        s.push_str("</li>");
    }
    s.push_str("</ul><h2 id=\"bibliography\">Bibliography</h2><ul>");
    for src in &kb.sources {
        let _ = write!(
            s,
            "<li id=\"{}\">{} {} <span class=\"meta\"><code>{}</code></span>",
            anchor(&src.id),
            esc(&src.citation),
            status_badge(src.status),
            esc(&src.id)
        );
        if let Some(n) = &src.note {
            let _ = write!(s, "<br><span class=\"meta\">{}</span>", esc(n));
        }
        s.push_str("</li>");
    }
    s.push_str("</ul>");
    s
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }
}
