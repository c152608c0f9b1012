//! `delimit`: qualify migration cases under the law, check and test the law itself.
//!
//! A thin layer over the library crates: it parses arguments, reads files, and presents
//! results; every decision is made in the engine, every rule comes from the law files.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod batch;
mod bundled {
    include!(concat!(env!("OUT_DIR"), "/bundled.rs"));
}
mod interview;
mod law;
mod lawdoc;
mod registry;
mod text;

use anstream::{eprintln, print, println};
use clap::{Parser, Subcommand, ValueEnum};
use delimit_case::limits::MAX_CASE_BYTES;
use delimit_engine::{AssessOptions, Assessment, Plan, Query};
use delimit_law::ast::ReadingKind;
use delimit_law::diag::{Diagnostic, Sources, did_you_mean};
use delimit_law::limits::size;
use delimit_law::load::read_text_at_most;
use delimit_law::{DoctrineId, KnowledgeBase};
use jiff::civil::Date;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "delimit",
    version,
    about = "Tells apart irregular migration, migrant smuggling and trafficking in persons, case by case, citing the law"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Text,
    Json,
}

#[derive(clap::Args)]
struct LawArgs {
    /// Law folder to use instead of the bundled knowledge base.
    #[arg(long, value_name = "DIR")]
    law: Option<PathBuf>,
}

#[derive(clap::Args)]
struct QueryArgs {
    /// Apply the law in force on this date (YYYY-MM-DD); default: the case's `as_of`, else today.
    #[arg(long, value_name = "DATE")]
    as_of: Option<Date>,
    /// Read the law under this doctrine (repeatable); see `delimit doctrines`.
    #[arg(long = "doctrine", value_name = "NAME")]
    doctrines: Vec<String>,
    /// Language of labels and questions.
    #[arg(long, default_value = "en", value_parser = ["en", "ru", "tg"])]
    lang: String,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Subcommand)]
enum Command {
    /// Check law files and report every problem with its location.
    Check {
        /// Law folder (default: the bundled knowledge base).
        dir: Option<PathBuf>,
    },
    /// Qualify a case: every concept with its value, citations and open questions.
    Classify {
        /// Case file, YAML or JSON.
        case: PathBuf,
        #[command(flatten)]
        query: QueryArgs,
        #[command(flatten)]
        law: LawArgs,
        /// Include the explanation tree of every concept (always in JSON).
        #[arg(long)]
        explain: bool,
        /// Show the case under every doctrine side by side, and where they disagree.
        #[arg(long, conflicts_with = "explain")]
        compare_doctrines: bool,
        /// Show the case under current law and under this reform, side by side.
        #[arg(long, value_name = "NAME", conflicts_with = "explain")]
        reform: Option<String>,
    },
    /// Explain how one concept was decided for a case.
    Explain {
        case: PathBuf,
        concept: String,
        #[command(flatten)]
        query: QueryArgs,
        #[command(flatten)]
        law: LawArgs,
    },
    /// List the facts a case can give, with their types and questions.
    Facts {
        #[arg(long, default_value = "en", value_parser = ["en", "ru", "tg"])]
        lang: String,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        #[command(flatten)]
        law: LawArgs,
    },
    /// List the doctrines and reforms that can be chosen with `--doctrine` and `--reform`.
    Doctrines {
        #[command(flatten)]
        law: LawArgs,
    },
    /// The terminology: which words name what, who defines them, who treats them as synonyms.
    Terms {
        /// A word to look up, in English, Russian or Tajik (default: every entry).
        word: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        #[command(flatten)]
        law: LawArgs,
    },
    /// Run the scenario tests beside the law.
    Test {
        /// Law folder with its scenarios (default: the bundled knowledge base).
        dir: Option<PathBuf>,
        /// Also report which rules and exceptions no scenario applies; fail unless all are.
        #[arg(long)]
        coverage: bool,
    },
    /// Print a JSON Schema: of `classify --format json` output (default), of timeline case
    /// files (`case`), of a timeline's findings (`timeline-assessment`), of comparisons.
    Schema {
        #[arg(value_enum, default_value_t = SchemaKind::Assessment)]
        kind: SchemaKind,
    },
    /// The guided interview: consent first, then the questions that decide most, in the order
    /// practitioners ask; from the keyboard, or from a file of scripted answers.
    Interview {
        #[arg(long, default_value = "en", value_parser = ["en", "ru", "tg"])]
        lang: String,
        /// Save the answers as a case file.
        #[arg(long, value_name = "CASE")]
        save: Option<PathBuf>,
        /// Read the answers from this file, one per line, as they would be typed.
        #[arg(long, value_name = "FILE")]
        answers: Option<PathBuf>,
        /// Apply the law in force on this date (default: today).
        #[arg(long, value_name = "DATE")]
        as_of: Option<Date>,
        /// Also screen with this indicator list (e.g. `ilo-ec-2009/adult-labour`), while
        /// its indicative reading is open; the profile is shown apart from the law.
        #[arg(long, value_name = "LIST")]
        indicators: Option<String>,
    },
    /// Count, for a file of many cases (CSV or JSON Lines), how many are yes, no and
    /// undetermined for each concept, evaluated 64 cases at a time.
    Batch(batch::BatchArgs),
    /// Work with the knowledge base as a document.
    #[command(subcommand)]
    Law(LawCommand),
    /// Exchange journeys with the IOM Human Trafficking Case Data Standard (HTCDS 2.0) and the
    /// CTDC columns; `docs/htcds-mapping.md` says what maps and what does not.
    #[command(subcommand)]
    Exchange(ExchangeCommand),
    /// Serve the web application and the HTTP API over the registry (SQLite file `delimit.db` by default)
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
        listen: String,
        #[command(flatten)]
        transport: registry::TransportArgs,
        #[command(flatten)]
        db: registry::DbArgs,
        #[command(flatten)]
        law: LawArgs,
    },
    /// Manage the registry's users.
    #[command(subcommand)]
    User(registry::UserCommand),
    /// The registry's key: rotate it.
    #[command(subcommand)]
    Key(registry::KeyCommand),
    /// Import cases into the registry: JSON Lines of journeys, or HTCDS CSV. All or nothing;
    /// run it again to resume an interrupted import.
    Import {
        file: PathBuf,
        /// Read the file as HTCDS 2.0 CSV (the default for `.csv` files).
        #[arg(long)]
        htcds: bool,
        #[command(flatten)]
        db: registry::DbArgs,
    },
    /// Assess every case of the registry under the law (or a reading of it) and store the
    /// assessments; run it again to resume.
    Requalify {
        #[command(flatten)]
        db: registry::DbArgs,
        #[command(flatten)]
        reading: registry::ReadingArgs,
    },
    /// Which cases of the registry qualify differently under another reading (knowledge base,
    /// doctrine or reform), and why.
    Impact(registry::ImpactArgs),
    /// k-anonymised statistics of the registry.
    Stats {
        /// One dimension (default: all).
        dimension: Option<String>,
        /// Count within one value of another dimension (`gender:Woman`).
        #[arg(long, value_name = "DIMENSION:VALUE")]
        filter: Option<String>,
        /// CSV with CTDC column names.
        #[arg(long)]
        csv: bool,
        /// Minimum cell size (default from the statistics policy).
        #[arg(long)]
        k: Option<u32>,
        #[command(flatten)]
        db: registry::DbArgs,
    },
    /// Copy a SQLite registry into a new file while it is in use.
    Backup {
        to: PathBuf,
        #[command(flatten)]
        db: registry::DbArgs,
    },
    /// Check the registry's audit log.
    #[command(subcommand)]
    Audit(registry::AuditCommand),
}

#[derive(Subcommand)]
enum ExchangeCommand {
    /// Write a journey as HTCDS 2.0 rows (CSV) on standard output; what does not map is listed.
    ToHtcds { case: PathBuf },
    /// Read HTCDS 2.0 rows (CSV) and write one journey per case into a folder, as JSON.
    FromHtcds {
        file: PathBuf,
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Write journeys as CTDC (2024 release) rows, CSV on standard output.
    ToCtdc {
        #[arg(required = true)]
        cases: Vec<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum SchemaKind {
    Assessment,
    Case,
    TimelineAssessment,
    Comparison,
}

#[derive(Subcommand)]
enum LawCommand {
    /// Write the knowledge base as static HTML for review: an index and one page per instrument.
    Render {
        /// Folder to write into (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        #[command(flatten)]
        law: LawArgs,
    },
    /// How much of the law was read in an official text: provisions by status per instrument,
    /// and the rules that rest on text that was not.
    Status {
        #[command(flatten)]
        law: LawArgs,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(code) => code,
        Err(message) => {
            eprintln!(
                "{}error{}: {message}",
                text::ERROR.render(),
                text::ERROR.render_reset()
            );
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> Result<ExitCode, String> {
    match command {
        Command::Check { dir } => {
            let (compiled, origin) = law::compile(dir.as_deref())?;
            law::print_diagnostics(&compiled.sources, &compiled.diagnostics);
            let summary = law::summary(&compiled, &origin);
            if compiled.kb.is_some() {
                println!("{summary}");
                Ok(ExitCode::SUCCESS)
            } else {
                eprintln!("{summary}");
                Ok(ExitCode::FAILURE)
            }
        }
        Command::Classify {
            case,
            query,
            law,
            explain,
            compare_doctrines,
            reform,
        } => {
            let kb = law::load(law.law.as_deref())?;
            let loaded = load_case(&kb, &case, &query)?;
            if let Some(timeline) = &loaded.timeline {
                if compare_doctrines || reform.is_some() || explain {
                    return Err("--compare-doctrines, --reform and --explain work on flat cases for now; a timeline case gives its findings per person, state and stage".into());
                }
                // `--as-of` fixes one date for every stage, as the case's own `as_of` does.
                let mut timeline = timeline.clone();
                timeline.as_of = query.as_of.or(timeline.as_of);
                let assessment = delimit_case::findings::assess_timeline(
                    &kb,
                    &timeline,
                    &loaded.doctrines,
                    &query.lang,
                );
                match query.format {
                    Format::Json => println!("{}", to_json(&assessment)?),
                    Format::Text => print!("{}", text::timeline(&loaded.label, &assessment)),
                }
                return Ok(ExitCode::SUCCESS);
            }
            if compare_doctrines || reform.is_some() {
                let mut readings = vec![("current reading".to_string(), loaded.doctrines.clone())];
                if compare_doctrines {
                    for (d, doctrine) in kb.doctrines.iter().enumerate() {
                        if doctrine.kind == ReadingKind::Doctrine && !loaded.doctrines.contains(&d)
                        {
                            let mut set = loaded.doctrines.clone();
                            set.push(d);
                            readings.push((format!("doctrine {}", doctrine.id), set));
                        }
                    }
                }
                if let Some(name) = &reform {
                    let r = resolve_reading(&kb, name, None, &Sources::new())?;
                    if kb.doctrines[r].kind != ReadingKind::Reform {
                        return Err(format!(
                            "`{name}` is a doctrine, not a reform: use --doctrine"
                        ));
                    }
                    let mut set = loaded.doctrines.clone();
                    set.push(r);
                    readings.push((format!("reform {name}"), set));
                }
                let comparison = delimit_engine::compare(
                    &kb,
                    Some(&loaded.label),
                    loaded.as_of,
                    &readings,
                    &loaded.case.facts,
                    &query.lang,
                );
                match query.format {
                    Format::Json => println!("{}", to_json(&comparison)?),
                    Format::Text => print!("{}", text::comparison(&comparison)),
                }
                return Ok(ExitCode::SUCCESS);
            }
            let assessment =
                loaded.assess(&kb, &query, explain || query.format == Format::Json, &[])?;
            match query.format {
                Format::Json => println!("{}", to_json(&assessment)?),
                Format::Text => print!(
                    "{}",
                    text::report(&kb, &loaded.label, &assessment, &query.lang, explain)
                ),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain {
            case,
            concept,
            query,
            law,
        } => {
            let kb = law::load(law.law.as_deref())?;
            let Some(c) = kb.concept(&concept) else {
                let hint = did_you_mean(&concept, kb.concepts.iter().map(|c| c.name.as_str()))
                    .map(|h| format!("; {h}"))
                    .unwrap_or_default();
                return Err(format!("unknown concept `{concept}`{hint}"));
            };
            let loaded = load_case(&kb, &case, &query)?;
            if loaded.timeline.is_some() {
                return Err("`explain` works on flat cases for now; `classify` gives a timeline's findings with the events behind each".into());
            }
            let assessment = loaded.assess(&kb, &query, true, &[c])?;
            let conclusion = &assessment.conclusions[0];
            match query.format {
                Format::Json => println!("{}", to_json(conclusion)?),
                Format::Text => print!("{}", text::explanation(conclusion)),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Facts { lang, format, law } => {
            let kb = law::load(law.law.as_deref())?;
            match format {
                Format::Json => println!("{}", to_json(&kb.facts)?),
                Format::Text => print!("{}", text::facts(&kb, &lang)),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Terms { word, format, law } => {
            let kb = law::load(law.law.as_deref())?;
            let needle = word.as_deref().map(str::to_lowercase);
            let found: Vec<&delimit_law::Term> = kb
                .terms
                .iter()
                .filter(|t| {
                    needle.as_deref().is_none_or(|n| {
                        t.id.to_lowercase().contains(n)
                            || [Some(&t.term.en), t.term.ru.as_ref(), t.term.tg.as_ref()]
                                .into_iter()
                                .flatten()
                                .any(|x| x.to_lowercase().contains(n))
                    })
                })
                .collect();
            if found.is_empty() {
                let hint = did_you_mean(
                    word.as_deref().unwrap_or(""),
                    kb.terms.iter().map(|t| t.id.as_str()),
                )
                .map(|h| format!("; {h}"))
                .unwrap_or_default();
                return Err(format!(
                    "no term matches `{}`{hint}",
                    word.unwrap_or_default()
                ));
            }
            match format {
                Format::Json => println!("{}", to_json(&found)?),
                Format::Text => print!("{}", text::terms(&kb, &found)),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Doctrines { law } => {
            let kb = law::load(law.law.as_deref())?;
            print!("{}", text::doctrines(&kb));
            Ok(ExitCode::SUCCESS)
        }
        Command::Test { dir, coverage } => {
            let kb = law::load(dir.as_deref())?;
            let files = match &dir {
                Some(d) => delimit_scenario::scenario_files(d)
                    .map_err(|e| format!("cannot read {}: {e}", d.display()))?,
                None => law::bundled_scenarios(),
            };
            let report = delimit_scenario::run(&files, &kb);
            law::print_diagnostics(&report.sources, &report.diagnostics);
            print!("{}", text::test_report(&report));
            if coverage {
                print!("{}", text::coverage(&kb, &report));
                if report.unexercised().next().is_some() {
                    return Ok(ExitCode::FAILURE);
                }
            }
            Ok(if report.ok() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Command::Law(LawCommand::Render { out, law }) => {
            let kb = law::load(law.law.as_deref())?;
            let files = lawdoc::render(&kb, &out)
                .map_err(|e| format!("cannot write to {}: {e}", out.display()))?;
            println!(
                "wrote {} pages to {} (open {})",
                files.len(),
                out.display(),
                out.join("index.html").display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Law(LawCommand::Status { law }) => {
            let kb = law::load(law.law.as_deref())?;
            print!("{}", law::status_report(&kb));
            Ok(ExitCode::SUCCESS)
        }
        Command::Exchange(cmd) => exchange(cmd),
        Command::Serve {
            listen,
            transport,
            db,
            law,
        } => registry::serve(db, listen, transport, law.law),
        Command::Key(cmd) => registry::key(cmd),
        Command::User(cmd) => registry::user(cmd),
        Command::Import { file, htcds, db } => registry::import(db, file, htcds),
        Command::Requalify { db, reading } => registry::requalify(db, reading),
        Command::Impact(args) => registry::impact(args),
        Command::Stats {
            dimension,
            filter,
            csv,
            k,
            db,
        } => registry::stats(db, dimension, filter, csv, k),
        Command::Backup { to, db } => registry::backup(db, to),
        Command::Audit(cmd) => registry::audit(cmd),
        Command::Batch(args) => batch::run(args),
        Command::Interview {
            lang,
            save,
            answers,
            as_of,
            indicators,
        } => {
            let kb = law::load(None)?;
            let lists = match &indicators {
                Some(_) => law::bundled_indicators(&kb)?,
                None => Default::default(),
            };
            let screen = match &indicators {
                None => None,
                Some(list) => Some(interview::screen(&lists, list)?),
            };
            let source = match &answers {
                Some(path) => {
                    let text = read_text_at_most(path, interview::MAX_ANSWERS_BYTES)
                        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                    if text.len() > interview::MAX_ANSWERS_BYTES {
                        return Err(format!(
                            "{} is larger than {}, the most a file of answers may have",
                            path.display(),
                            size(interview::MAX_ANSWERS_BYTES)
                        ));
                    }
                    interview::Source::Script {
                        lines: text.lines().map(str::to_string).collect(),
                        next: 0,
                    }
                }
                None => interview::Source::Keyboard(Box::new(std::io::stdin().lock())),
            };
            let mut stdout = std::io::stdout().lock();
            let ok = interview::run(
                &kb,
                as_of.unwrap_or_else(today),
                &lang,
                source,
                &mut stdout,
                save.as_deref(),
                screen,
            )?;
            Ok(if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Command::Schema { kind } => {
            let schema = match kind {
                SchemaKind::Assessment => schemars::schema_for!(Assessment<'static>),
                SchemaKind::Case => schemars::schema_for!(delimit_case::timeline::TimelineCase),
                SchemaKind::TimelineAssessment => {
                    schemars::schema_for!(delimit_case::findings::TimelineAssessment<'static>)
                }
                SchemaKind::Comparison => schemars::schema_for!(delimit_engine::Comparison),
            };
            println!("{}", to_json(&schema)?);
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// A journey from a case file, or why not.
fn read_journey(path: &Path) -> Result<delimit_case::timeline::TimelineCase, String> {
    let kb = law::load(None)?;
    // A file too large is read one byte past the limit, for the reader to refuse it (F011).
    let text = read_text_at_most(path, MAX_CASE_BYTES)
        .map_err(|e| format!("cannot read case file {}: {e}", path.display()))?;
    let mut sources = Sources::new();
    let name = path.display().to_string();
    match delimit_case::read_any(&mut sources, &name, &text, &kb) {
        Ok(delimit_case::AnyCase::Timeline(t, warnings)) => {
            law::print_diagnostics(&sources, &warnings);
            Ok(t)
        }
        Ok(delimit_case::AnyCase::Flat(_)) => Err(format!(
            "{name} is a flat case: exchange formats carry journeys (persons, actors, events)"
        )),
        Err(diagnostics) => {
            law::print_diagnostics(&sources, &diagnostics);
            Err(format!("{name}: the case file has errors"))
        }
    }
}

fn exchange(cmd: ExchangeCommand) -> Result<ExitCode, String> {
    use delimit_case::htcds;
    match cmd {
        ExchangeCommand::ToHtcds { case } => {
            let journey = read_journey(&case)?;
            let csv = htcds::to_htcds(&journey).map_err(|e| e.to_string())?;
            print!("{csv}");
            for loss in htcds::htcds_losses(&journey) {
                eprintln!("not exported: {loss}");
            }
        }
        ExchangeCommand::FromHtcds { file, out } => {
            let text = read_text_at_most(&file, delimit_case::limits::MAX_HTCDS_BYTES)
                .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let (cases, warnings) =
                htcds::from_htcds(&text).map_err(|e| format!("{}: {e}", file.display()))?;
            for w in &warnings {
                eprintln!("warning: {w}");
            }
            std::fs::create_dir_all(&out)
                .map_err(|e| format!("cannot create {}: {e}", out.display()))?;
            for (i, case) in cases.iter().enumerate() {
                let stem = case.id.clone().unwrap_or_else(|| format!("case-{}", i + 1));
                let safe: String = stem
                    .chars()
                    .map(|c| {
                        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                            c
                        } else {
                            '-'
                        }
                    })
                    .collect();
                let path = out.join(format!("{safe}.json"));
                std::fs::write(&path, to_json(case)?)
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            }
            println!(
                "wrote {} case{} to {}",
                cases.len(),
                if cases.len() == 1 { "" } else { "s" },
                out.display()
            );
        }
        ExchangeCommand::ToCtdc { cases } => {
            let journeys: Vec<_> = cases
                .iter()
                .map(|c| read_journey(c))
                .collect::<Result<_, _>>()?;
            print!("{}", htcds::to_ctdc(&journeys).map_err(|e| e.to_string())?);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, String> {
    serde_json::to_string_pretty(value).map_err(|e| format!("cannot write JSON: {e}"))
}

/// A case file read and bound, with the readings and date it is to be assessed under.
struct LoadedCase {
    label: String,
    case: delimit_case::CaseFile,
    /// Set when the file tells a journey; `case` is then empty of facts.
    timeline: Option<delimit_case::timeline::TimelineCase>,
    doctrines: Vec<DoctrineId>,
    as_of: Date,
}

impl LoadedCase {
    fn assess<'k>(
        &self,
        kb: &'k KnowledgeBase,
        query: &QueryArgs,
        explain: bool,
        concepts: &[usize],
    ) -> Result<Assessment<'k>, String> {
        let plan = Plan::new(
            kb,
            Query {
                as_of: self.as_of,
                doctrines: self.doctrines.clone(),
            },
        )
        .map_err(|e| e.to_string())?;
        let options = AssessOptions {
            explain,
            lang: query.lang.clone(),
            concepts: concepts.to_vec(),
        };
        Ok(plan.assess(Some(&self.label), &self.case.facts, &options))
    }
}

/// Reads a case file; diagnostics for a bad file are printed here.
fn load_case(kb: &KnowledgeBase, path: &Path, query: &QueryArgs) -> Result<LoadedCase, String> {
    // A file too large is read one byte past the limit, for the reader to refuse it (F011).
    let text = read_text_at_most(path, MAX_CASE_BYTES)
        .map_err(|e| format!("cannot read case file {}: {e}", path.display()))?;
    let mut sources = Sources::new();
    let name = path.display().to_string();
    let (case, timeline) = match delimit_case::read_any(&mut sources, &name, &text, kb) {
        Ok(delimit_case::AnyCase::Flat(c)) => (c, None),
        Ok(delimit_case::AnyCase::Timeline(t, warnings)) => {
            law::print_diagnostics(&sources, &warnings);
            let flat = delimit_case::CaseFile {
                id: t.id.clone(),
                title: t.title.clone(),
                as_of: t.as_of,
                doctrines: Vec::new(),
                facts: delimit_engine::Facts::unknown(kb),
                file: 0,
            };
            for d in &t.doctrines {
                if !query.doctrines.contains(d) {
                    resolve_reading(kb, d, None, &sources)?;
                }
            }
            (flat, Some(t))
        }
        Err(diagnostics) => {
            law::print_diagnostics(&sources, &diagnostics);
            let n = diagnostics.iter().filter(|d| d.is_error()).count();
            return Err(format!(
                "{name}: {n} error{} in the case file",
                if n == 1 { "" } else { "s" }
            ));
        }
    };
    let mut doctrines = Vec::new();
    for (d, span) in &case.doctrines {
        let id = resolve_reading(kb, d, Some(*span), &sources)?;
        if !doctrines.contains(&id) {
            doctrines.push(id);
        }
    }
    let timeline_doctrines = timeline.iter().flat_map(|t| t.doctrines.iter());
    for d in query.doctrines.iter().chain(timeline_doctrines) {
        let id = resolve_reading(kb, d, None, &sources)?;
        if !doctrines.contains(&id) {
            doctrines.push(id);
        }
    }
    Ok(LoadedCase {
        timeline,
        label: case.id.clone().unwrap_or_else(|| name.clone()),
        as_of: query.as_of.or(case.as_of).unwrap_or_else(today),
        case,
        doctrines,
    })
}

/// A doctrine or reform by name, or an error naming the nearest ones.
fn resolve_reading(
    kb: &KnowledgeBase,
    name: &str,
    span: Option<delimit_law::Span>,
    sources: &Sources,
) -> Result<DoctrineId, String> {
    if let Some(id) = kb.doctrine(name) {
        return Ok(id);
    }
    let hint = did_you_mean(name, kb.doctrines.iter().map(|x| x.id.as_str()));
    if let Some(span) = span {
        let mut diag = Diagnostic::error("F009", span, format!("unknown doctrine `{name}`"))
            .with_label("no such doctrine or reform");
        if let Some(h) = &hint {
            diag = diag.with_note(h.clone());
        }
        law::print_diagnostics(sources, &[diag]);
    }
    Err(format!(
        "unknown doctrine or reform `{name}`{}; `delimit doctrines` lists them",
        hint.map(|h| format!(" ({h})")).unwrap_or_default()
    ))
}

fn today() -> Date {
    jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date()
}
