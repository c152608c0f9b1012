//! Loading the knowledge base, bundled or from a folder, and printing diagnostics.

use crate::bundled;
use anstream::eprint;
use delimit_law::diag::{Diagnostic, Sources, render};
use delimit_law::{Compiled, KnowledgeBase, LawFile};
use std::io::IsTerminal;
use std::path::Path;

pub fn bundled_law() -> Vec<LawFile> {
    bundled::FILES
        .iter()
        .filter(|(name, _)| name.ends_with(".md") && !name.ends_with("README.md"))
        .map(|(name, text)| LawFile {
            name: format!("law/{name}"),
            text: text.to_string(),
        })
        .collect()
}

/// The bundled indicator lists, read and their links checked against `kb`; an error if they
/// do not read cleanly.
pub fn bundled_indicators(
    kb: &KnowledgeBase,
) -> Result<delimit_screening::indicators::Indicators, String> {
    let files: Vec<(String, String)> = bundled::SCREENING
        .iter()
        .filter(|(name, _)| name.ends_with(".md") && !name.ends_with("README.md"))
        .map(|(name, text)| (format!("screening/{name}"), text.to_string()))
        .collect();
    let (indicators, sources, mut diagnostics) = delimit_screening::indicators::read(&files);
    diagnostics.extend(delimit_screening::indicators::check_links(&indicators, kb));
    if diagnostics.is_empty() {
        Ok(indicators)
    } else {
        print_diagnostics(&sources, &diagnostics);
        Err("the bundled indicator lists do not read".to_string())
    }
}

pub fn bundled_scenarios() -> Vec<(String, String)> {
    bundled::FILES
        .iter()
        .filter(|(name, _)| name.ends_with(".yaml") || name.ends_with(".yml"))
        .map(|(name, text)| (format!("law/{name}"), text.to_string()))
        .collect()
}

/// Compiles the law from `dir`, or the bundled law; says which.
pub fn compile(dir: Option<&Path>) -> Result<(Compiled, String), String> {
    match dir {
        Some(d) => {
            if !d.is_dir() {
                return Err(format!("{} is not a folder of law files", d.display()));
            }
            let files = delimit_law::load::read_dir(d)
                .map_err(|e| format!("cannot read law folder {}: {e}", d.display()))?;
            if files.is_empty() {
                return Err(format!("{} holds no law files (*.md)", d.display()));
            }
            Ok((delimit_law::compile(&files), d.display().to_string()))
        }
        None => Ok((
            delimit_law::compile(&bundled_law()),
            "bundled law".to_string(),
        )),
    }
}

/// The knowledge base, or every error in it.
pub fn load(dir: Option<&Path>) -> Result<KnowledgeBase, String> {
    let (compiled, origin) = compile(dir)?;
    match compiled.kb {
        Some(kb) => Ok(kb),
        None => {
            print_diagnostics(&compiled.sources, &compiled.diagnostics);
            Err(format!(
                "the law does not check: {}",
                summary(&compiled, &origin)
            ))
        }
    }
}

pub fn summary(c: &Compiled, origin: &str) -> String {
    let (errors, warnings) = (c.errors(), c.warnings());
    let counts = match &c.kb {
        Some(kb) => format!(
            "{} instruments, {} provisions, {} facts, {} concepts, {} rules, {} doctrines; law version {}",
            kb.instruments.len(),
            kb.provisions.len(),
            kb.facts.len(),
            kb.concepts.len(),
            kb.rules.len(),
            kb.doctrines.len(),
            kb.short_hash()
        ),
        None => format!("{} files", c.sources.len()),
    };
    format!(
        "{origin}: {errors} error{}, {warnings} warning{} ({counts})",
        plural(errors),
        plural(warnings)
    )
}

/// `delimit law status`: how much of the law was read in an official text, per instrument,
/// and which rules rest on text that was not.
pub fn status_report(kb: &KnowledgeBase) -> String {
    use delimit_law::Status;
    use delimit_law::verification::report;
    use std::fmt::Write;
    let r = report(kb);
    let width = r
        .instruments
        .iter()
        .map(|i| i.instrument.id.len())
        .max()
        .unwrap_or(0)
        .max("all instruments".len());
    let mut out = String::new();
    let _ = writeln!(
        out,
        "How much of the law (version {}) was read in an official text\n",
        kb.short_hash()
    );
    let _ = writeln!(
        out,
        "{:width$}  {:10}  {:>8}  {:>5}  provisions",
        "instrument", "status", "verified", "rules"
    );
    for i in &r.instruments {
        let _ = writeln!(
            out,
            "{:width$}  {:10}  {:>7}%  {:>5}  {}",
            i.instrument.id,
            i.status.name(),
            i.provisions.verified_percent(),
            i.rules,
            i.provisions.describe()
        );
    }
    let _ = writeln!(
        out,
        "{:width$}  {:10}  {:>7}%  {:>5}  {}",
        "all instruments",
        "",
        r.provisions.verified_percent(),
        kb.rules.len(),
        r.provisions.describe()
    );
    let _ = writeln!(
        out,
        "\nAn instrument's status is the weakest of its own (title, dates) and its provisions'.\n\nRules by the best text they rest on:"
    );
    for s in Status::ALL {
        let rules = &r.rules_by_basis[s as usize];
        let _ = write!(out, "  {:10} {:>3}", s.name(), rules.len());
        if s != Status::Verified && s != Status::Secondary && !rules.is_empty() {
            let ids: Vec<&str> = rules.iter().map(|r| r.id.as_str()).collect();
            let _ = write!(out, "  {}", ids.join(", "));
        }
        out.push('\n');
    }
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

pub fn print_diagnostics(sources: &Sources, diagnostics: &[Diagnostic]) {
    if diagnostics.is_empty() {
        return;
    }
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    eprint!("{}", render(sources, diagnostics, colour));
}
