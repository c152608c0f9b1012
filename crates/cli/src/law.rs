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
