//! Prints synthetic cases for the repository's law as JSON Lines, one
//! `{"id":…,"facts":{…}}` per line.
//!
//! Usage: gen-cases [--n N] [--seed S] [--unknown-rate R]

use delimit_bench::{cases, load_bundled_law, write_json_line};
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

const USAGE: &str = "usage: gen-cases [--n N] [--seed S] [--unknown-rate R]
  --n N             how many cases (default 1000)
  --seed S          seed of the random numbers (default 0)
  --unknown-rate R  probability that a fact is left unknown, 0 to 1 (default 0)";

struct Args {
    n: u64,
    seed: u64,
    unknown_rate: f64,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut out = Args {
        n: 1000,
        seed: 0,
        unknown_rate: 0.0,
    };
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg, None),
        };
        if flag == "-h" || flag == "--help" {
            return Ok(None);
        }
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or(format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--n" => out.n = value()?.parse().map_err(|e| format!("--n: {e}"))?,
            "--seed" => out.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--unknown-rate" => {
                let r: f64 = value()?
                    .parse()
                    .map_err(|e| format!("--unknown-rate: {e}"))?;
                if !(0.0..=1.0).contains(&r) {
                    return Err(format!("--unknown-rate must be between 0 and 1, got {r}"));
                }
                out.unknown_rate = r;
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(Some(out))
}

fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("gen-cases: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let kb = load_bundled_law();
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let written = (1..=args.n)
        .zip(cases(&kb, args.seed, args.unknown_rate))
        .try_for_each(|(id, facts)| write_json_line(&mut out, &kb, id, &facts))
        .and_then(|()| out.flush());
    match written {
        Ok(()) => ExitCode::SUCCESS,
        // The reader stopped early (`| head`): not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen-cases: {e}");
            ExitCode::FAILURE
        }
    }
}
