//! `delimit batch`: counts, for a file of many cases, how many are yes, no and undetermined for
//! each concept, evaluated bit-parallel (`delimit_engine::BitProgram`).
//!
//! The file is read in chunks of lines, and each chunk's cases go straight into bit planes,
//! 64 to a word: memory stays bounded whatever the number of cases. CSV has a header row naming
//! the facts (`1`/`0`, `true`/`false`, `yes`/`no`, or an empty cell for unknown; a one-of fact
//! by its option's name); JSON Lines has one object per line (`true`, `false`, `null` for
//! unknown, a string for a one-of fact). A column or key `id` names the case and is not read.
//! Both readers take the common shape of a line on a fast path; a JSON line of another shape
//! (escapes, nesting) is read by serde_json.

use crate::law;
use anstream::println;
use delimit_engine::{Atom, BitProgram, Counts, Plan, Planes, Query};
use delimit_law::diag::did_you_mean;
use delimit_law::{ConceptKind, FactType, KnowledgeBase};
use jiff::civil::Date;
use std::collections::HashMap;
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct BatchArgs {
    /// The cases: CSV with a header row (`.csv`) or JSON Lines (`.jsonl`, `.ndjson`).
    file: PathBuf,
    /// Law folder to use instead of the bundled knowledge base.
    #[arg(long, value_name = "DIR")]
    law: Option<PathBuf>,
    /// The concepts to count, comma separated (default: every status, offence and
    /// consequence).
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    concepts: Vec<String>,
    /// Apply the law in force on this date (YYYY-MM-DD; default: today).
    #[arg(long, value_name = "DATE")]
    as_of: Option<Date>,
    /// Read the law under this doctrine (repeatable); see `delimit doctrines`.
    #[arg(long = "doctrine", value_name = "NAME")]
    doctrines: Vec<String>,
    /// The file's format, when its name does not say.
    #[arg(long, value_enum)]
    format: Option<FileFormat>,
    /// Print one JSON line: counts of yes (and of no and undetermined) per concept, and the
    /// seconds spent reading (`load_s`), evaluating (`eval_s`) and in all (`total_s`).
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
enum FileFormat {
    Csv,
    Jsonl,
}

/// Cases per chunk: what is read and held as bit planes before it is evaluated.
const CHUNK: usize = 64 * 1024;
/// Bytes read from the file at a time.
const READ: usize = 4 << 20;

/// The longest line of a batch file, in bytes, without its end: 1 MiB. A case of the bundled
/// law with every one of its 58 facts given is a line of at most 2.7 KB of JSON, and the CSV
/// header naming them all has 1,358 bytes. A line with no end in sight is refused with its
/// number once this much of it is read, so a file without a newline is never held whole.
pub const MAX_LINE_BYTES: usize = 1 << 20;

const _: () = assert!(MAX_LINE_BYTES < READ, "a whole line fits in the buffer");

pub fn run(args: BatchArgs) -> Result<ExitCode, String> {
    let started = Instant::now();
    let kb = law::load(args.law.as_deref())?;
    let format = match args.format {
        Some(f) => f,
        None => match args.file.extension().and_then(|e| e.to_str()) {
            Some("csv") => FileFormat::Csv,
            Some("jsonl" | "ndjson") => FileFormat::Jsonl,
            _ => {
                return Err(format!(
                    "{}: say which format with --format csv or --format jsonl",
                    args.file.display()
                ));
            }
        },
    };
    let mut doctrines = Vec::new();
    for d in &args.doctrines {
        let id = crate::resolve_reading(&kb, d, None, &Default::default())?;
        if !doctrines.contains(&id) {
            doctrines.push(id);
        }
    }
    let as_of = args.as_of.unwrap_or_else(crate::today);
    let concepts = chosen_concepts(&kb, &args.concepts)?;
    let plan = Plan::new(&kb, Query { as_of, doctrines })
        .map_err(|e| e.to_string())?
        .only(&concepts);
    let program = BitProgram::compile(&plan).map_err(|e| {
        format!(
            "{e}; choose the concepts to count with --concepts, or classify the cases one by one"
        )
    })?;
    let law_s = started.elapsed();

    let file = std::fs::File::open(&args.file)
        .map_err(|e| format!("cannot read {}: {e}", args.file.display()))?;
    let mut sink = Sink {
        planes: Planes::new(&program, CHUNK),
        counts: vec![Counts::default(); program.concepts().count()],
        program: &program,
        in_chunk: 0,
        n: 0,
        eval: Duration::ZERO,
    };
    let name = args.file.display().to_string();
    let columns = Columns::new(&kb, &program);
    match format {
        FileFormat::Csv => read_lines(file, &name, CsvReader::new(columns), &mut sink)?,
        FileFormat::Jsonl => read_lines(file, &name, JsonReader::new(columns), &mut sink)?,
    }
    sink.flush();
    let total = started.elapsed();
    let load = total.saturating_sub(sink.eval).saturating_sub(law_s);

    let outputs: Vec<usize> = program.concepts().collect();
    let rows: Vec<(&str, Counts)> = concepts
        .iter()
        .map(|&c| {
            let k = outputs.iter().position(|&o| o == c).expect("compiled");
            (kb.concepts[c].name.as_str(), sink.counts[k])
        })
        .collect();
    let eval_s = sink.eval.as_secs_f64();
    let eval_rps = if eval_s > 0.0 {
        sink.n as f64 / eval_s
    } else {
        0.0
    };
    if args.json {
        let map = |f: fn(&Counts) -> u64| {
            let mut m = serde_json::Map::new();
            for (name, c) in &rows {
                m.insert(name.to_string(), f(c).into());
            }
            serde_json::Value::Object(m)
        };
        let format_name = match format {
            FileFormat::Csv => "csv",
            FileFormat::Jsonl => "jsonl",
        };
        let line = serde_json::json!({
            "peer": "delimit",
            "variant": format!("{format_name}/kleene-bits"),
            "n": sink.n,
            "counts": map(|c| c.yes),
            "false": map(|c| c.no),
            "unknown": map(|c| c.undetermined),
            "law_s": round(law_s.as_secs_f64(), 4),
            "load_s": round(load.as_secs_f64(), 4),
            "eval_s": round(eval_s, 6),
            "eval_rps": eval_rps.round(),
            "total_s": round(total.as_secs_f64(), 4),
        });
        println!("{line}");
    } else {
        println!(
            "{} case{} from {} (law version {}, as of {as_of})",
            sink.n,
            if sink.n == 1 { "" } else { "s" },
            name,
            kb.short_hash()
        );
        let width = rows.iter().map(|(n, _)| n.len()).max().unwrap_or(0).max(7);
        println!(
            "{:width$}  {:>12}  {:>12}  {:>12}",
            "concept", "yes", "no", "undetermined"
        );
        for (name, c) in &rows {
            println!(
                "{name:width$}  {:>12}  {:>12}  {:>12}",
                c.yes, c.no, c.undetermined
            );
        }
        println!(
            "law read in {:.3} s, cases read in {:.3} s, evaluated in {:.4} s ({:.0} cases/s), {:.3} s in all",
            law_s.as_secs_f64(),
            load.as_secs_f64(),
            eval_s,
            eval_rps,
            total.as_secs_f64()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn round(x: f64, digits: i32) -> f64 {
    let p = 10f64.powi(digits);
    (x * p).round() / p
}

/// The concepts named, or by default every status, offence and consequence.
fn chosen_concepts(kb: &KnowledgeBase, names: &[String]) -> Result<Vec<usize>, String> {
    if names.is_empty() {
        return Ok(kb
            .order
            .iter()
            .copied()
            .filter(|&c| {
                kb.concepts[c]
                    .kinds
                    .iter()
                    .any(|k| *k != ConceptKind::Element)
            })
            .collect());
    }
    let mut out = Vec::new();
    for name in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        let Some(c) = kb.concept(name) else {
            let hint = did_you_mean(name, kb.concepts.iter().map(|c| c.name.as_str()))
                .map(|h| format!("; {h}"))
                .unwrap_or_default();
            return Err(format!("unknown concept `{name}`{hint}"));
        };
        if !out.contains(&c) {
            out.push(c);
        }
    }
    Ok(out)
}

/// Where the cases go: bit planes, evaluated and counted chunk by chunk.
struct Sink<'p> {
    planes: Planes,
    counts: Vec<Counts>,
    program: &'p BitProgram,
    /// Cases in the current chunk.
    in_chunk: usize,
    /// Cases in all.
    n: usize,
    eval: Duration,
}

impl Sink<'_> {
    fn flush(&mut self) {
        if self.in_chunk == 0 {
            return;
        }
        self.planes.set_len(self.in_chunk);
        let t = Instant::now();
        self.program.count(&self.planes, &mut self.counts);
        self.eval += t.elapsed();
        self.n += self.in_chunk;
        self.in_chunk = 0;
    }
}

/// What a column (CSV) or key (JSON) gives the program.
#[derive(Clone, Debug)]
enum Column {
    /// `id`, or a fact the program does not read (its values are still checked).
    Unread(Kind),
    /// A yes/no fact: the program's input for it.
    YesNo(usize),
    /// A one-of fact: the program's input for each option it reads.
    OneOf(Vec<Option<usize>>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Id,
    YesNo,
    OneOf,
    Other,
}

/// The file's names for facts, bound to the program's inputs.
struct Columns<'k> {
    kb: &'k KnowledgeBase,
    program: &'k BitProgram,
}

impl<'k> Columns<'k> {
    fn new(kb: &'k KnowledgeBase, program: &'k BitProgram) -> Columns<'k> {
        Columns { kb, program }
    }

    fn bind(&self, name: &str) -> Result<Column, String> {
        if name == "id" {
            return Ok(Column::Unread(Kind::Id));
        }
        let Some(f) = self.kb.fact(name) else {
            let hint = did_you_mean(name, self.kb.facts.iter().map(|f| f.name.as_str()))
                .map(|h| format!("; {h}"))
                .unwrap_or_default();
            return Err(format!(
                "`{name}` is not a fact of the law (only `id` may name something else){hint}"
            ));
        };
        let reads = |atom| self.program.input(atom);
        Ok(match &self.kb.facts[f].ty {
            FactType::YesNo => match reads(Atom::Fact(f)) {
                Some(i) => Column::YesNo(i),
                None => Column::Unread(Kind::YesNo),
            },
            FactType::OneOf(options) => {
                let inputs: Vec<Option<usize>> =
                    (0..options.len()).map(|o| reads(Atom::Is(f, o))).collect();
                if inputs.iter().all(Option::is_none) {
                    Column::Unread(Kind::OneOf)
                } else {
                    Column::OneOf(inputs)
                }
            }
            ty => {
                let read = self.program.inputs().iter().any(|a| a.fact() == f);
                if read {
                    return Err(format!(
                        "`{name}` is a {} fact: a batch file gives yes/no and one-of facts only",
                        ty.describe()
                    ));
                }
                Column::Unread(Kind::Other)
            }
        })
    }

    fn option(&self, name: &str, value: &[u8]) -> Option<usize> {
        let f = self.kb.fact(name)?;
        self.kb.facts[f]
            .ty
            .options()
            .iter()
            .position(|o| o.as_bytes() == value)
    }
}

/// Builds the planes of one chunk a word at a time: 64 cases' bits for every input are
/// gathered here, then written whole.
struct Words {
    yes: Vec<u64>,
    no: Vec<u64>,
}

impl Words {
    fn new(inputs: usize) -> Words {
        Words {
            yes: vec![0; inputs],
            no: vec![0; inputs],
        }
    }

    #[inline]
    fn set(&mut self, input: usize, case: usize, value: bool) {
        let bit = 1u64 << (case % 64);
        if value {
            self.yes[input] |= bit;
        } else {
            self.no[input] |= bit;
        }
    }
}

/// A reader of one line format.
trait LineReader {
    /// Reads one line (without its end), a case or a header.
    fn line(&mut self, line: &[u8], words: &mut Words, case: usize) -> Result<bool, String>;
}

fn read_lines(
    mut file: std::fs::File,
    name: &str,
    mut reader: impl LineReader,
    sink: &mut Sink,
) -> Result<(), String> {
    let inputs = sink.program.inputs().len();
    let mut words = Words::new(inputs);
    let mut buf = vec![0u8; READ];
    let (mut filled, mut line_no) = (0usize, 0usize);
    let mut eof = false;
    while !eof {
        let got = file
            .read(&mut buf[filled..])
            .map_err(|e| format!("cannot read {name}: {e}"))?;
        eof = got == 0;
        filled += got;
        // Complete lines, or at the end of the file whatever is left.
        let end = if eof {
            filled
        } else {
            match memchr::memrchr(b'\n', &buf[..filled]) {
                Some(i) => i + 1,
                // No line ends yet; past the longest line (and a `\r`), none will in time.
                None if filled > MAX_LINE_BYTES + 1 => {
                    return Err(too_long(name, line_no + 1));
                }
                None => continue,
            }
        };
        let mut rest = &buf[..end];
        while !rest.is_empty() {
            let (mut line, next) = match memchr::memchr(b'\n', rest) {
                Some(i) => (&rest[..i], &rest[i + 1..]),
                None => (rest, &rest[rest.len()..]),
            };
            rest = next;
            line_no += 1;
            if let [head @ .., b'\r'] = line {
                line = head;
            }
            if line.len() > MAX_LINE_BYTES {
                return Err(too_long(name, line_no));
            }
            let case = sink.in_chunk;
            let is_case = reader
                .line(line, &mut words, case)
                .map_err(|e| format!("{name}:{line_no}: {e}"))?;
            if !is_case {
                continue;
            }
            sink.in_chunk += 1;
            if sink.in_chunk.is_multiple_of(64) {
                store(&mut words, &mut sink.planes, case / 64);
                if sink.in_chunk == CHUNK {
                    sink.flush();
                }
            }
        }
        buf.copy_within(end..filled, 0);
        filled -= end;
        // The start of the next line, its end not yet read (a `\r` may still come before it).
        if filled > MAX_LINE_BYTES + 1 {
            return Err(too_long(name, line_no + 1));
        }
    }
    if !sink.in_chunk.is_multiple_of(64) {
        store(&mut words, &mut sink.planes, sink.in_chunk / 64);
    }
    Ok(())
}

fn too_long(name: &str, line: usize) -> String {
    format!(
        "{name}:{line}: the line is longer than {}, the most a line of a batch file may have",
        delimit_law::limits::size(MAX_LINE_BYTES)
    )
}

/// Writes the gathered words as word `w` of every input, and starts the next ones.
fn store(words: &mut Words, planes: &mut Planes, w: usize) {
    for i in 0..words.yes.len() {
        let (t, f) = planes.input_mut(i);
        t[w] = std::mem::take(&mut words.yes[i]);
        f[w] = std::mem::take(&mut words.no[i]);
    }
}

fn yes_no(cell: &[u8]) -> Option<Option<bool>> {
    match cell {
        b"1" | b"true" | b"yes" => Some(Some(true)),
        b"0" | b"false" | b"no" => Some(Some(false)),
        b"" => Some(None),
        _ => None,
    }
}

fn shown(cell: &[u8]) -> String {
    let s = String::from_utf8_lossy(cell);
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s.into_owned()
    }
}

struct CsvReader<'k> {
    columns: Columns<'k>,
    /// Per column of the header: its name and what it gives; none before the header is read.
    header: Option<Vec<(String, Column)>>,
    cell: Vec<u8>,
}

impl<'k> CsvReader<'k> {
    fn new(columns: Columns<'k>) -> CsvReader<'k> {
        CsvReader {
            columns,
            header: None,
            cell: Vec::new(),
        }
    }
}

/// The next cell of a CSV line from `pos`: its contents (unquoted into `scratch` when
/// quoted) and where the next cell starts (past the comma), or `None` at the line's end.
#[inline]
fn csv_cell<'a>(
    line: &'a [u8],
    pos: usize,
    scratch: &'a mut Vec<u8>,
) -> Result<(&'a [u8], Option<usize>), String> {
    let rest = &line[pos..];
    match rest {
        // The common shapes: nothing, or one character.
        [b',', ..] => Ok((&rest[..0], Some(pos + 1))),
        [] => Ok((rest, None)),
        [c, b',', ..] if *c != b'"' => Ok((&rest[..1], Some(pos + 2))),
        [c] if *c != b'"' => Ok((rest, None)),
        [b'"', ..] => {
            scratch.clear();
            let mut i = 1;
            loop {
                match rest.get(i) {
                    None => return Err("a quoted cell is not closed on its line".into()),
                    Some(b'"') if rest.get(i + 1) == Some(&b'"') => {
                        scratch.push(b'"');
                        i += 2;
                    }
                    Some(b'"') => break,
                    Some(c) => {
                        scratch.push(*c);
                        i += 1;
                    }
                }
            }
            match rest.get(i + 1) {
                None => Ok((scratch.as_slice(), None)),
                Some(b',') => Ok((scratch.as_slice(), Some(pos + i + 2))),
                Some(_) => Err("text after a quoted cell's closing quote".into()),
            }
        }
        _ => match memchr::memchr(b',', rest) {
            Some(i) => Ok((&rest[..i], Some(pos + i + 1))),
            None => Ok((rest, None)),
        },
    }
}

impl LineReader for CsvReader<'_> {
    fn line(&mut self, line: &[u8], words: &mut Words, case: usize) -> Result<bool, String> {
        let Some(header) = &self.header else {
            let line = line.strip_prefix(b"\xef\xbb\xbf").unwrap_or(line);
            let mut names = Vec::new();
            let mut pos = Some(0);
            while let Some(p) = pos {
                let (cell, next) = csv_cell(line, p, &mut self.cell)?;
                let name = std::str::from_utf8(cell)
                    .map_err(|_| "the header is not UTF-8".to_string())?
                    .trim()
                    .to_string();
                if names.iter().any(|(n, _)| *n == name) {
                    return Err(format!("the header names `{name}` twice"));
                }
                let column = self
                    .columns
                    .bind(&name)
                    .map_err(|e| format!("header: {e}"))?;
                names.push((name, column));
                pos = next;
            }
            self.header = Some(names);
            return Ok(false);
        };
        if line.is_empty() {
            return Ok(false);
        }
        let mut pos = Some(0);
        for (k, (name, column)) in header.iter().enumerate() {
            let Some(p) = pos else {
                return Err(format!(
                    "{k} cells, the header names {}: no `{name}`",
                    header.len()
                ));
            };
            let (cell, next) = csv_cell(line, p, &mut self.cell)?;
            pos = next;
            match column {
                Column::YesNo(input) => match yes_no(cell) {
                    Some(Some(v)) => words.set(*input, case, v),
                    Some(None) => {}
                    None => return Err(bad_yes_no(name, cell)),
                },
                Column::Unread(Kind::YesNo) => {
                    if yes_no(cell).is_none() {
                        return Err(bad_yes_no(name, cell));
                    }
                }
                Column::OneOf(inputs) => {
                    if !cell.is_empty() {
                        let chosen = self
                            .columns
                            .option(name, cell)
                            .ok_or_else(|| bad_option(name, cell))?;
                        for (o, input) in inputs.iter().enumerate() {
                            if let Some(i) = input {
                                words.set(*i, case, o == chosen);
                            }
                        }
                    }
                }
                Column::Unread(Kind::OneOf) => {
                    if !cell.is_empty() && self.columns.option(name, cell).is_none() {
                        return Err(bad_option(name, cell));
                    }
                }
                Column::Unread(_) => {}
            }
        }
        if pos.is_some() {
            return Err(format!(
                "more cells than the {} the header names",
                header.len()
            ));
        }
        Ok(true)
    }
}

fn bad_yes_no(name: &str, cell: &[u8]) -> String {
    format!(
        "`{name}` is `{}`: a yes/no fact is 1, 0, true, false, yes, no, or empty for unknown",
        shown(cell)
    )
}

fn bad_option(name: &str, cell: &[u8]) -> String {
    format!(
        "`{name}` is `{}`, which is not one of its options",
        shown(cell)
    )
}

struct JsonReader<'k> {
    columns: Columns<'k>,
    /// Every key met so far, with what it gives.
    keys: HashMap<Vec<u8>, usize>,
    bound: Vec<(String, Column)>,
    /// The key met at each position of the previous line: the likely one at this line's.
    expected: Vec<usize>,
    /// Per key, the last case that gave it: a key given twice in one object is an error.
    seen: Vec<usize>,
    /// Cases read so far, counting from 1 (for `seen`).
    stamp: usize,
}

impl<'k> JsonReader<'k> {
    fn new(columns: Columns<'k>) -> JsonReader<'k> {
        JsonReader {
            columns,
            keys: HashMap::new(),
            bound: Vec::new(),
            expected: Vec::new(),
            seen: Vec::new(),
            stamp: 0,
        }
    }

    /// The key's index; `position` is where the key stands in a line the fast path reads.
    fn key(&mut self, key: &[u8], position: Option<usize>) -> Result<usize, String> {
        if let Some(p) = position
            && let Some(&k) = self.expected.get(p)
            && self.bound[k].0.as_bytes() == key
        {
            return Ok(k);
        }
        let k = match self.keys.get(key) {
            Some(&k) => k,
            None => {
                let name = std::str::from_utf8(key)
                    .map_err(|_| "a key is not UTF-8".to_string())?
                    .to_string();
                let column = self.columns.bind(&name)?;
                self.bound.push((name, column));
                self.seen.push(0);
                self.keys.insert(key.to_vec(), self.bound.len() - 1);
                self.bound.len() - 1
            }
        };
        match position {
            Some(p) if p < self.expected.len() => self.expected[p] = k,
            Some(_) => self.expected.push(k),
            None => {}
        }
        Ok(k)
    }

    fn value(
        &mut self,
        k: usize,
        value: Json,
        words: &mut Words,
        case: usize,
    ) -> Result<(), String> {
        if std::mem::replace(&mut self.seen[k], self.stamp) == self.stamp {
            return Err(format!("`{}` is given twice", self.bound[k].0));
        }
        let (name, column) = &self.bound[k];
        match (column, value) {
            (Column::Unread(Kind::Id | Kind::Other), _) => {}
            (Column::YesNo(_) | Column::Unread(Kind::YesNo), Json::Null) => {}
            (Column::YesNo(input), Json::Bool(b)) => words.set(*input, case, b),
            (Column::Unread(Kind::YesNo), Json::Bool(_)) => {}
            (Column::OneOf(_) | Column::Unread(Kind::OneOf), Json::Null) => {}
            (Column::OneOf(inputs), Json::Str(s)) => {
                let chosen = self
                    .columns
                    .option(name, s)
                    .ok_or_else(|| bad_option(name, s))?;
                for (o, input) in inputs.iter().enumerate() {
                    if let Some(i) = input {
                        words.set(*i, case, o == chosen);
                    }
                }
            }
            (Column::Unread(Kind::OneOf), Json::Str(s)) => {
                if self.columns.option(name, s).is_none() {
                    return Err(bad_option(name, s));
                }
            }
            (Column::OneOf(_) | Column::Unread(Kind::OneOf), v) => {
                return Err(format!(
                    "`{name}` is {}: a one-of fact is the name of an option, or null",
                    v.describe()
                ));
            }
            (_, v) => {
                return Err(format!(
                    "`{name}` is {}: a yes/no fact is true, false or null",
                    v.describe()
                ));
            }
        }
        Ok(())
    }

    /// The fast path: a flat object of plain keys and scalar values. `None` when the line
    /// has another shape, for serde_json to read.
    fn fast(&mut self, line: &[u8], words: &mut Words, case: usize) -> Option<Result<(), String>> {
        let mut p = Cursor { s: line, i: 0 };
        p.ws();
        if !p.eat(b'{') {
            return None;
        }
        p.ws();
        if p.eat(b'}') {
            return p.end();
        }
        let mut position = 0;
        loop {
            if !p.eat(b'"') {
                return None;
            }
            // Most lines give their keys in the order of the line before.
            let likely = self
                .expected
                .get(position)
                .map(|&k| self.bound[k].0.as_bytes());
            let k = match likely {
                Some(name)
                    if p.s[p.i..].starts_with(name) && p.s.get(p.i + name.len()) == Some(&b'"') =>
                {
                    p.i += name.len() + 1;
                    self.expected[position]
                }
                _ => {
                    let key = p.plain_string()?;
                    match self.key(key, Some(position)) {
                        Ok(k) => k,
                        Err(e) => return Some(Err(e)),
                    }
                }
            };
            p.ws();
            if !p.eat(b':') {
                return None;
            }
            p.ws();
            let value = p.scalar()?;
            if let Err(e) = self.value(k, value, words, case) {
                return Some(Err(e));
            }
            position += 1;
            p.ws();
            if p.eat(b',') {
                p.ws();
                continue;
            }
            if p.eat(b'}') {
                return p.end();
            }
            return None;
        }
    }
}

impl LineReader for JsonReader<'_> {
    fn line(&mut self, line: &[u8], words: &mut Words, case: usize) -> Result<bool, String> {
        if line.iter().all(u8::is_ascii_whitespace) {
            return Ok(false);
        }
        self.stamp += 1;
        match self.fast(line, words, case) {
            Some(result) => result.map(|()| true),
            None => {
                // The fast path may have set some of this case's bits before it gave up:
                // clear them and read the line again.
                let bit = 1u64 << (case % 64);
                for w in words.yes.iter_mut().chain(words.no.iter_mut()) {
                    *w &= !bit;
                }
                self.stamp += 1;
                let object: serde_json::Map<String, serde_json::Value> =
                    serde_json::from_slice(line)
                        .map_err(|e| format!("not a JSON object of facts: {e}"))?;
                for (key, value) in &object {
                    let k = self.key(key.as_bytes(), None)?;
                    let value = match value {
                        serde_json::Value::Null => Json::Null,
                        serde_json::Value::Bool(b) => Json::Bool(*b),
                        serde_json::Value::String(s) => Json::Str(s.as_bytes()),
                        serde_json::Value::Number(_) => Json::Number,
                        _ if self.bound[k].1.is_id() => Json::Number,
                        _ => Json::Other,
                    };
                    self.value(k, value, words, case)?;
                }
                Ok(true)
            }
        }
    }
}

impl Column {
    fn is_id(&self) -> bool {
        matches!(self, Column::Unread(Kind::Id | Kind::Other))
    }
}

/// A scalar JSON value, as the fast path reads it.
#[derive(Clone, Copy, Debug)]
enum Json<'a> {
    Null,
    Bool(bool),
    Str(&'a [u8]),
    Number,
    Other,
}

impl Json<'_> {
    fn describe(self) -> String {
        match self {
            Json::Null => "null".into(),
            Json::Bool(b) => b.to_string(),
            Json::Str(s) => format!("\"{}\"", shown(s)),
            Json::Number => "a number".into(),
            Json::Other => "an array or an object".into(),
        }
    }
}

struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

impl<'a> Cursor<'a> {
    #[inline]
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\r' | b'\n') = self.s.get(self.i) {
            self.i += 1;
        }
    }

    #[inline]
    fn eat(&mut self, c: u8) -> bool {
        if self.s.get(self.i) == Some(&c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn end(&mut self) -> Option<Result<(), String>> {
        self.ws();
        (self.i == self.s.len()).then_some(Ok(()))
    }

    /// The rest of a string without escapes, after its opening quote.
    #[inline]
    fn plain_string(&mut self) -> Option<&'a [u8]> {
        let rest = &self.s[self.i..];
        let end = memchr::memchr2(b'"', b'\\', rest)?;
        if rest[end] != b'"' {
            return None;
        }
        self.i += end + 1;
        Some(&rest[..end])
    }

    #[inline]
    fn scalar(&mut self) -> Option<Json<'a>> {
        let rest = &self.s[self.i..];
        let (value, len) = match rest.first()? {
            b't' if rest.starts_with(b"true") => (Json::Bool(true), 4),
            b'f' if rest.starts_with(b"false") => (Json::Bool(false), 5),
            b'n' if rest.starts_with(b"null") => (Json::Null, 4),
            b'"' => {
                self.i += 1;
                return self.plain_string().map(Json::Str);
            }
            b'1'..=b'9' => {
                let len = rest
                    .iter()
                    .position(|c| !c.is_ascii_digit())
                    .unwrap_or(rest.len());
                if matches!(rest.get(len), Some(b'.' | b'e' | b'E')) {
                    return None;
                }
                (Json::Number, len)
            }
            b'-' | b'0' => {
                let len = rest
                    .iter()
                    .position(|c| !matches!(c, b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'))
                    .unwrap_or(rest.len());
                // Leave anything unusual (`01`, `1-2`) to serde_json.
                std::str::from_utf8(&rest[..len])
                    .ok()?
                    .parse::<f64>()
                    .ok()?;
                (Json::Number, len)
            }
            _ => return None,
        };
        self.i += len;
        Some(value)
    }
}
