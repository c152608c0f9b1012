//! Writes N synthetic journeys (`delimit.case/2`) as JSON Lines on standard output, for the
//! registry benchmarks: `cargo run --release -p delimit-bench --bin gen-journeys -- 100000`.

use std::io::Write;

fn main() -> std::process::ExitCode {
    let n: u64 = match std::env::args().nth(1).map(|a| a.parse()) {
        Some(Ok(n)) => n,
        _ => {
            eprintln!("usage: gen-journeys N");
            return std::process::ExitCode::FAILURE;
        }
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for i in 0..n {
        let line = delimit_registry::synthetic::journey(i)
            .and_then(|c| serde_json::to_string(&c).map_err(|e| e.to_string()));
        match line {
            Ok(l) => {
                if writeln!(out, "{l}").is_err() {
                    return std::process::ExitCode::FAILURE;
                }
            }
            Err(e) => {
                eprintln!("{e}");
                return std::process::ExitCode::FAILURE;
            }
        }
    }
    std::process::ExitCode::SUCCESS
}
