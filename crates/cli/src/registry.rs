//! The registry's commands: serve, users, import, requalify, impact, statistics, backup,
//! audit. They open the registry named by `--db` (or `DELIMIT_DB`), by default the SQLite
//! file `delimit.db` in the current folder, with its key from `DELIMIT_KEY`,
//! `DELIMIT_KEY_FILE` or the key file beside the database (made on first use).

use crate::law;
use clap::{Args, Subcommand};
use delimit_registry::{
    ImportFormat, Key, KeySource, Operator, Principal, Progress, Reading, Registry, Role,
    sqlite_url,
};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Clone)]
pub struct DbArgs {
    /// The registry: a `sqlite://FILE` or `postgres://…` URL, or a file path for SQLite.
    #[arg(
        long,
        env = "DELIMIT_DB",
        default_value = "delimit.db",
        value_name = "URL"
    )]
    db: String,
    /// The organisation the command acts for.
    #[arg(long, default_value = "Main office", value_name = "NAME")]
    organisation: String,
    /// The file of the registry's key (by default `FILE.key` beside a SQLite file, or
    /// `delimit.key` for PostgreSQL): keep it apart from the data and from its backups.
    #[arg(long, env = "DELIMIT_KEY_FILE", value_name = "FILE")]
    key_file: Option<PathBuf>,
}

/// How the server is reached: over TLS it ends itself, or behind a reverse proxy.
#[derive(Args, Clone)]
pub struct TransportArgs {
    /// The certificate chain to serve HTTPS with (PEM); with `--tls-key`.
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// The certificate's private key (PEM), readable by its owner alone.
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// The address of a reverse proxy that ends HTTPS in front of the server: its
    /// X-Forwarded-For names the client, cookies are Secure and HSTS is sent; forwarded
    /// headers from any other address are refused. Repeat for several.
    #[arg(long, value_name = "IP", conflicts_with = "tls_cert")]
    behind_proxy: Vec<std::net::IpAddr>,
}

impl TransportArgs {
    fn transport(&self) -> Result<delimit_server::Transport, String> {
        let tls = match (&self.tls_cert, &self.tls_key) {
            (Some(cert), Some(key)) => Some(delimit_server::transport::tls_config(cert, key)?),
            _ => None,
        };
        Ok(delimit_server::Transport {
            tls,
            proxies: self.behind_proxy.clone(),
        })
    }
}

#[derive(Subcommand)]
pub enum KeyCommand {
    /// Seal everything sealed under the registry's key again under a new one, in one
    /// transaction; the old key file is kept as FILE.retired-FINGERPRINT for the backups
    /// made under it. Interrupted, run it again.
    Rotate {
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create a user; the password is read from DELIMIT_PASSWORD or standard input.
    Add {
        username: String,
        #[arg(long, value_parser = ["administrator", "caseworker", "investigator", "analyst"])]
        role: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// List the users of every organisation.
    List {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Disable a user: their sessions end and they cannot sign in.
    Disable {
        username: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Enable a disabled user again.
    Enable {
        username: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// End every session of a user (they can sign in again).
    Revoke {
        username: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Give a user a new password (read from DELIMIT_PASSWORD or standard input); their
    /// sessions end.
    Password {
        username: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Check the audit log's keyed chain and the seal of every case revision; prints the
    /// head to keep apart from the database.
    Verify {
        /// A head printed by an earlier check (`SEQ:MAC`): fails if it is no longer in the
        /// chain, as when entries were cut from the end.
        #[arg(long, value_name = "SEQ:MAC")]
        head: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
}

fn url(db: &str) -> String {
    if db.contains("://") || db.starts_with("sqlite:") {
        db.to_string()
    } else {
        sqlite_url(std::path::Path::new(db))
    }
}

/// The key file used when the environment names none: beside a SQLite file, or in the
/// current folder for PostgreSQL.
fn default_key_file(db: &str) -> PathBuf {
    let u = url(db);
    match u.strip_prefix("sqlite://") {
        Some(rest) => {
            let path = rest.split('?').next().unwrap_or(rest);
            PathBuf::from(format!("{path}.key"))
        }
        None => PathBuf::from("delimit.key"),
    }
}

pub fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))
}

pub async fn open(db: &DbArgs) -> Result<Registry, String> {
    let (key, source) = Key::from_environment(db.key_file.as_deref(), &default_key_file(&db.db))
        .map_err(|e| e.message)?;
    if let KeySource::Created(path) = &source {
        eprintln!(
            "A new key for identifying data was written to {}; keep it safe and apart from backups of the database: without it they cannot be read.",
            path.display()
        );
    }
    Registry::open(&url(&db.db), key)
        .await
        .map_err(|e| e.to_string())
}

fn system(db: &DbArgs) -> Principal {
    Principal::system(&db.organisation)
}

/// The system principal with the organisation's id in place of its name.
async fn acting(registry: &Registry, db: &DbArgs) -> Result<Principal, String> {
    let mut p = system(db);
    p.organisation = registry
        .organisation(&db.organisation)
        .await
        .map_err(|e| e.to_string())?;
    Ok(p)
}

fn bar(what: &'static str) -> impl FnMut(Progress) + Send {
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({per_sec}, {eta} left)")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(what);
    move |p: Progress| {
        bar.set_length(p.total);
        bar.set_position(p.done);
        if p.done >= p.total {
            bar.finish();
        }
    }
}

pub fn serve(
    db: DbArgs,
    listen: String,
    transport: TransportArgs,
    law_dir: Option<PathBuf>,
) -> Result<ExitCode, String> {
    // A certificate that does not read is refused before anything is served.
    let transport = transport.transport()?;
    let scheme = if transport.tls.is_some() {
        "https"
    } else {
        "http"
    };
    // The server keeps the law for as long as the process runs.
    let kb: &'static delimit_law::KnowledgeBase =
        Box::leak(Box::new(law::load(law_dir.as_deref())?));
    runtime()?.block_on(async {
        let registry = open(&db).await?;
        let listener = tokio::net::TcpListener::bind(&listen)
            .await
            .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
        let users = registry.user_count().await.map_err(|e| e.to_string())?;
        let address = format!(
            "{scheme}://{}",
            listener
                .local_addr()
                .map(|a| a.to_string())
                .unwrap_or(listen.clone())
        );
        eprintln!(
            "delimit serves on {address}/ ({:?} registry, law {})",
            registry.backend(),
            &kb.hash[..12]
        );
        if users == 0 {
            eprintln!(
                "  Open {address}/ in a browser: there is no user yet, so the first page creates the organisation's administrator."
            );
        } else {
            eprintln!("  Open {address}/ in a browser and sign in.");
        }
        eprintln!(
            "  The HTTP API is described at {address}/api/openapi.json. Stop the server with ctrl-c (or SIGTERM)."
        );
        let indicators: &'static _ = Box::leak(Box::new(law::bundled_indicators(kb)?));
        let limits = delimit_server::Limits::default();
        let state =
            delimit_server::AppState::new(registry, kb, limits).with_indicators(indicators);
        let app = delimit_server::app(state.clone(), delimit_web::router(state));
        delimit_server::serve_with(listener, app, limits, transport, stop_signal())
            .await
            .map_err(|e| format!("the server stopped: {e}"))?;
        Ok(ExitCode::SUCCESS)
    })
}

/// Ctrl-c, or SIGTERM as systemd and container runtimes send it: either stops the server after
/// the requests under way.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// The longest password read from standard input by `user add`, in bytes: 1 KiB, some 30 times
/// a long passphrase. The line is read no further, whatever is piped in.
const MAX_PASSWORD_BYTES: usize = 1024;

/// A password from `DELIMIT_PASSWORD`, else one line of standard input, read no further
/// than a password may go.
fn read_password() -> Result<String, String> {
    if let Ok(p) = std::env::var("DELIMIT_PASSWORD") {
        return Ok(p);
    }
    let mut line = String::new();
    let mut input = std::io::Read::take(std::io::stdin().lock(), MAX_PASSWORD_BYTES as u64 + 2);
    std::io::BufRead::read_line(&mut input, &mut line)
        .map_err(|e| format!("cannot read the password: {e}"))?;
    let line = line.trim_end_matches(['\r', '\n']);
    if line.len() > MAX_PASSWORD_BYTES {
        return Err(format!(
            "the password is longer than {MAX_PASSWORD_BYTES} bytes"
        ));
    }
    Ok(line.to_string())
}

pub fn user(cmd: UserCommand) -> Result<ExitCode, String> {
    runtime()?.block_on(async {
        match cmd {
            UserCommand::Add { username, role, db } => {
                let registry = open(&db).await?;
                let password = read_password()?;
                let role = Role::parse(&role).ok_or("unknown role")?;
                let user = registry
                    .create_user_in(
                        &Operator::command_line(),
                        &db.organisation,
                        &username,
                        &password,
                        role,
                    )
                    .await
                    .map_err(|e| e.to_string())?;
                println!(
                    "{} ({}) in {}",
                    user.username,
                    user.role.name(),
                    user.organisation_name
                );
            }
            UserCommand::List { db } => {
                let registry = open(&db).await?;
                for u in registry
                    .all_users(&Operator::command_line())
                    .await
                    .map_err(|e| e.to_string())?
                {
                    println!(
                        "{}\t{}\t{}{}",
                        u.username,
                        u.role.name(),
                        u.organisation_name,
                        if u.disabled { "\tdisabled" } else { "" }
                    );
                }
            }
            UserCommand::Disable { username, db } => set_disabled(&db, &username, true).await?,
            UserCommand::Enable { username, db } => set_disabled(&db, &username, false).await?,
            UserCommand::Revoke { username, db } => {
                let (registry, operator, user) = named_user(&db, &username).await?;
                let ended = registry
                    .revoke_sessions_by_operator(&operator, &user.id)
                    .await
                    .map_err(|e| e.to_string())?;
                println!("{ended} sessions of {} ended", user.username);
            }
            UserCommand::Password { username, db } => {
                let (registry, operator, user) = named_user(&db, &username).await?;
                let password = read_password()?;
                let ended = registry
                    .set_password_by_operator(&operator, &user.id, &password)
                    .await
                    .map_err(|e| e.to_string())?;
                println!(
                    "{} has a new password; {ended} sessions ended",
                    user.username
                );
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// The registry, the operator at the command line, and the user of that name in any
/// organisation: what every command on one user starts from.
async fn named_user(
    db: &DbArgs,
    username: &str,
) -> Result<(Registry, Operator, delimit_registry::User), String> {
    let registry = open(db).await?;
    let operator = Operator::command_line();
    let user = registry
        .user_named(&operator, username)
        .await
        .map_err(|e| e.to_string())?;
    Ok((registry, operator, user))
}

async fn set_disabled(db: &DbArgs, username: &str, disable: bool) -> Result<(), String> {
    let (registry, operator, user) = named_user(db, username).await?;
    registry
        .set_disabled_by_operator(&operator, &user.id, disable)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "{} is {}",
        user.username,
        if disable {
            "disabled; their sessions ended"
        } else {
            "enabled"
        }
    );
    Ok(())
}

pub fn import(db: DbArgs, file: PathBuf, htcds: bool) -> Result<ExitCode, String> {
    let format = if htcds || file.extension().is_some_and(|e| e == "csv") {
        ImportFormat::HtcdsCsv
    } else {
        ImportFormat::JsonLines
    };
    let most = match format {
        ImportFormat::JsonLines => delimit_registry::MAX_IMPORT_BYTES,
        ImportFormat::HtcdsCsv => delimit_case::limits::MAX_HTCDS_BYTES,
    };
    let too_large = || {
        format!(
            "{} is larger than {}, the most one import of {} may have: split it into several \
             imports (each is all or nothing, and can be resumed){}",
            file.display(),
            delimit_law::limits::size(most),
            match format {
                ImportFormat::JsonLines => "JSON Lines",
                ImportFormat::HtcdsCsv => "HTCDS CSV",
            },
            match format {
                ImportFormat::JsonLines => "",
                ImportFormat::HtcdsCsv => ", keeping the rows of one `dlm_CaseId` together",
            }
        )
    };
    // Refused by its size before it is read, when the file says its size; else read up to it.
    if std::fs::metadata(&file).is_ok_and(|m| m.len() > most as u64) {
        return Err(too_large());
    }
    let content = delimit_law::load::read_at_most(&file, most)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    if content.len() > most {
        return Err(too_large());
    }
    runtime()?.block_on(async {
        let registry = open(&db).await?;
        let actor = acting(&registry, &db).await?;
        let report = registry
            .import(&actor, &content, format, &mut bar("import"))
            .await
            .map_err(|e| {
                let mut m = e.message;
                for d in e.details.iter().skip(1) {
                    m.push_str(&format!("\n  {}: {d}", file.display()));
                }
                m
            })?;
        println!(
            "{} cases stored, {} skipped as imported before, {} taken in by an earlier run, {} in the file",
            report.imported, report.skipped, report.already, report.total
        );
        for n in &report.notes {
            println!("note: {n}");
        }
        Ok(ExitCode::SUCCESS)
    })
}

#[derive(Args, Clone)]
pub struct ReadingArgs {
    /// Law folder for this reading (default: the bundled knowledge base).
    #[arg(long, value_name = "DIR")]
    law: Option<PathBuf>,
    /// Doctrine or reform (repeatable).
    #[arg(long = "doctrine", value_name = "NAME")]
    doctrines: Vec<String>,
    /// Judge every case under the law of this date (default: each case's own dates).
    #[arg(long, value_name = "DATE")]
    as_of: Option<jiff::civil::Date>,
}

fn doctrine_ids(kb: &delimit_law::KnowledgeBase, names: &[String]) -> Result<Vec<usize>, String> {
    names
        .iter()
        .map(|n| {
            kb.doctrine(n).ok_or_else(|| {
                format!("unknown doctrine or reform `{n}`; `delimit doctrines` lists them")
            })
        })
        .collect()
}

pub fn requalify(db: DbArgs, reading: ReadingArgs) -> Result<ExitCode, String> {
    let kb = law::load(reading.law.as_deref())?;
    let doctrines = doctrine_ids(&kb, &reading.doctrines)?;
    runtime()?.block_on(async {
        let registry = open(&db).await?;
        let actor = acting(&registry, &db).await?;
        let r = Reading {
            kb: &kb,
            doctrines: &doctrines,
            as_of: reading.as_of,
        };
        let report = registry
            .requalify(&actor, r, &mut bar("requalify"))
            .await
            .map_err(|e| e.to_string())?;
        println!(
            "{} cases assessed, {} assessed by an earlier run of the same requalification, {} in all",
            report.assessed, report.already, report.total
        );
        Ok(ExitCode::SUCCESS)
    })
}

#[derive(Args)]
pub struct ImpactArgs {
    #[command(flatten)]
    db: DbArgs,
    /// The other reading's law folder (default: the bundled knowledge base).
    #[arg(long, value_name = "DIR")]
    other_law: Option<PathBuf>,
    /// The other reading's doctrines or reform (repeatable).
    #[arg(long = "other-doctrine", value_name = "NAME")]
    other_doctrines: Vec<String>,
    /// The base reading.
    #[command(flatten)]
    base: ReadingArgs,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub fn impact(args: ImpactArgs) -> Result<ExitCode, String> {
    let base_kb = law::load(args.base.law.as_deref())?;
    let other_kb = match &args.other_law {
        Some(dir) => law::load(Some(dir))?,
        None => law::load(args.base.law.as_deref())?,
    };
    let base_d = doctrine_ids(&base_kb, &args.base.doctrines)?;
    let other_d = doctrine_ids(&other_kb, &args.other_doctrines)?;
    runtime()?.block_on(async {
        let registry = open(&args.db).await?;
        let actor = acting(&registry, &args.db).await?;
        let report = registry
            .impact(
                &actor,
                Reading {
                    kb: &base_kb,
                    doctrines: &base_d,
                    as_of: args.base.as_of,
                },
                Reading {
                    kb: &other_kb,
                    doctrines: &other_d,
                    as_of: args.base.as_of,
                },
                &mut bar("compare"),
            )
            .await
            .map_err(|e| e.to_string())?;
        if args.json {
            println!(
                "{}",
                serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?
            );
            return Ok(ExitCode::SUCCESS);
        }
        println!("base:  {}\nother: {}", report.base, report.other);
        println!(
            "{} of {} cases change qualification",
            report.changed, report.cases
        );
        for (concept, moves) in &report.by_concept {
            let moves: Vec<String> = moves.iter().map(|(m, n)| format!("{m}: {n}")).collect();
            println!("  {concept}: {}", moves.join(", "));
        }
        for c in &report.list {
            println!("case {} (revision {}):", c.case, c.revision);
            for (what, from, to) in &c.changes {
                println!("  {what}: {from} → {to}");
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

pub fn stats(
    db: DbArgs,
    dimension: Option<String>,
    filter: Option<String>,
    csv: bool,
    k: Option<u32>,
) -> Result<ExitCode, String> {
    runtime()?.block_on(async {
        let mut registry = open(&db).await?;
        if let Some(k) = k {
            registry.set_minimum_cell(k).map_err(|e| e.message)?;
        }
        let actor = acting(&registry, &db).await?;
        let f = filter
            .as_deref()
            .map(|f| f.split_once(':').ok_or("--filter is dimension:value"))
            .transpose()?;
        let tables = match &dimension {
            Some(d) => vec![
                registry
                    .statistics(&actor, d, f)
                    .await
                    .map_err(|e| e.message)?,
            ],
            None => {
                registry
                    .all_statistics(&actor, f)
                    .await
                    .map_err(|e| e.message)?
                    .tables
            }
        };
        for t in tables {
            if csv {
                print!("{}", t.to_csv());
                continue;
            }
            println!(
                "{} (k = {}; total {})",
                t.dimension,
                t.k,
                t.total
                    .map(|n| n.to_string())
                    // Under k, or hidden with such a count in the filter's own table.
                    .unwrap_or_else(|| "suppressed".into())
            );
            for c in &t.cells {
                let n = c
                    .count
                    .map(|n| n.to_string())
                    .unwrap_or_else(|| "suppressed".into());
                let iccs = c
                    .iccs
                    .as_ref()
                    .map(|x| format!(" [ICCS {x}]"))
                    .unwrap_or_default();
                println!("  {:<40} {n}{iccs}", c.value);
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

pub fn backup(db: DbArgs, to: PathBuf) -> Result<ExitCode, String> {
    runtime()?.block_on(async {
        let registry = open(&db).await?;
        registry.backup(&to).await.map_err(|e| e.to_string())?;
        println!("backed up to {}", to.display());
        Ok(ExitCode::SUCCESS)
    })
}

pub fn audit(cmd: AuditCommand) -> Result<ExitCode, String> {
    let AuditCommand::Verify { head, db } = cmd;
    runtime()?.block_on(async {
        let registry = open(&db).await?;
        let report = registry
            .verify_audit(head.as_deref())
            .await
            .map_err(|e| e.to_string())?;
        match report.broken_at {
            None => println!(
                "the audit log's {} entries chain correctly ({})",
                report.entries,
                if report.keyed_after == 0 {
                    "every entry keyed".to_string()
                } else {
                    format!(
                        "entries after {} keyed; those before, written by an earlier version, chained without a key",
                        report.keyed_after
                    )
                }
            ),
            Some(seq) => println!(
                "the audit log breaks at entry {seq}: it was changed, removed or reordered ({} entries check before it)",
                report.entries
            ),
        }
        match report.head_matches {
            Some(true) => println!("the head given is in the chain"),
            Some(false) => println!(
                "the head given is not in the chain: entries were removed or rewritten since it was taken"
            ),
            None => {}
        }
        for r in &report.tampered_revisions {
            println!("case {r} was changed in the database outside delimit");
        }
        println!("head: {} (keep it apart from the database; check against it with --head)", report.head);
        Ok(if report.intact() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        })
    })
}

/// `delimit key rotate`: the new key is written beside the old one first (`FILE.new`), the
/// registry sealed again under it in one transaction, and then the files are swapped. Run
/// again after an interruption, it finds where it stopped: before the commit the registry
/// is still under the old key and the rotation is done again with the same new key; after
/// it, only the files are left to swap.
/// `path` with `suffix` added to its file name, whatever bytes the name has.
fn with_suffix(path: &std::path::Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

pub fn key(cmd: KeyCommand) -> Result<ExitCode, String> {
    let KeyCommand::Rotate { db } = cmd;
    if std::env::var_os("DELIMIT_KEY").is_some() {
        return Err(
            "the key is given in DELIMIT_KEY: a rotation writes the new key to a file; give the key as a file (--key-file) instead".into(),
        );
    }
    let path = db
        .key_file
        .clone()
        .unwrap_or_else(|| default_key_file(&db.db));
    let pending = with_suffix(&path, ".new");
    let new = if pending.exists() {
        Key::read(&pending).map_err(|e| e.message)?
    } else {
        let key = Key::generate().map_err(|e| e.message)?;
        key.write_new(&pending).map_err(|e| e.message)?;
        key
    };
    if !path.exists() && pending.exists() {
        // Stopped between the two renames: the old key was retired already.
        std::fs::rename(&pending, &path).map_err(|e| e.to_string())?;
        println!(
            "the key is now in {} (fingerprint {})",
            path.display(),
            new.fingerprint()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let old = Key::read(&path).map_err(|e| e.message)?;
    let url = url(&db.db);
    let retired = with_suffix(&path, &format!(".retired-{}", old.fingerprint()));
    runtime()?.block_on(async {
        match Registry::open(&url, old.clone()).await {
            Ok(registry) => {
                let r = registry
                    .rotate_key(&Operator::command_line(), &new)
                    .await
                    .map_err(|e| e.to_string())?;
                registry.close().await;
                println!(
                    "sealed again under the new key: {} case revisions and {} interviews; the audit log's {} entries so far keep the old key's MACs, kept sealed under the new one",
                    r.revisions, r.interviews, r.audit_entries_before
                );
            }
            Err(e) if e.code == "registry.wrong_key" => {
                // Committed before: is the registry under the new key?
                Registry::open(&url, new.clone())
                    .await
                    .map_err(|_| format!("the registry opens with neither {} nor {}", path.display(), pending.display()))?
                    .close()
                    .await;
                println!("the registry was already sealed under the new key; finishing");
            }
            Err(e) => return Err(e.to_string()),
        }
        Ok::<(), String>(())
    })?;
    std::fs::rename(&path, &retired)
        .and_then(|()| std::fs::rename(&pending, &path))
        .map_err(|e| {
            format!(
                "the registry is under the new key in {}, but the files could not be swapped: {e}",
                pending.display()
            )
        })?;
    println!(
        "the key is now in {} (fingerprint {}); the old key is in {}: backups made before now need it, destroy it when none is kept",
        path.display(),
        new.fingerprint(),
        retired.display()
    );
    Ok(ExitCode::SUCCESS)
}
