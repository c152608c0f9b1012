//! `delimit batch` as a user meets it: the benchmark's sample file counted in CSV and in JSON
//! Lines, the reference counts reproduced, and every malformed record refused with its line.

mod support;

use std::path::PathBuf;
use std::process::Output;
use support::{delimit, root, text};

/// Writes a file in a fresh temporary folder and returns its path.
fn temp_file(name: &str, contents: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("delimit-batch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("write");
    path
}

const SAMPLE: &str = "bench/data/sample/facts.csv";
const LAW: &str = "bench/peer-law";
const OUTCOMES: &str = "trafficking,smuggling,irregular_migration";

fn expected() -> serde_json::Value {
    let text = std::fs::read_to_string(root().join("bench/data/sample/expected.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The `--json` line of a run, checked against the reference counts.
fn assert_reference_counts(o: &Output) {
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    let line: serde_json::Value = serde_json::from_str(out.trim()).expect("one JSON line");
    let want = expected();
    assert_eq!(line["n"], want["n"]);
    for (name, counts) in want["counts"].as_object().unwrap() {
        assert_eq!(line["counts"][name], counts["true"], "{name}");
        assert_eq!(line["false"][name], counts["false"], "{name}");
        assert_eq!(line["unknown"][name], counts["unknown"], "{name}");
    }
    for key in ["load_s", "eval_s", "eval_rps", "total_s"] {
        assert!(line[key].is_number(), "{key} in {out}");
    }
}

#[test]
fn the_sample_gives_the_reference_counts_in_csv() {
    assert_reference_counts(&delimit(&[
        "batch",
        "--law",
        LAW,
        SAMPLE,
        "--concepts",
        OUTCOMES,
        "--json",
    ]));
    // Without --concepts: every status and offence, which here are the three outcomes.
    let o = delimit(&["batch", "--law", LAW, SAMPLE]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.starts_with("2500 cases from"), "{out}");
    let want = expected();
    for (name, c) in want["counts"].as_object().unwrap() {
        let row = out
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("{name} in {out}"));
        let numbers: Vec<&str> = row.split_whitespace().skip(1).collect();
        let want: Vec<String> = ["true", "false", "unknown"]
            .iter()
            .map(|k| c[k].to_string())
            .collect();
        assert_eq!(numbers, want, "{row}");
    }
    assert!(
        !out.contains("trafficking_act"),
        "elements are not counted unless asked"
    );
}

#[test]
fn the_sample_gives_the_reference_counts_in_json_lines() {
    // The same cases as JSON Lines; a few lines in other shapes: keys in another order,
    // spaces, a string id, an escaped key, a key left out (unknown).
    let csv = std::fs::read_to_string(root().join(SAMPLE)).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let mut out = String::new();
    for (i, row) in lines.enumerate() {
        let cells: Vec<&str> = row.split(',').collect();
        let mut pairs: Vec<String> = header
            .iter()
            .zip(&cells)
            .map(|(k, v)| {
                let v = match *v {
                    "1" => "true",
                    "0" => "false",
                    _ => "null",
                };
                if *k == "id" {
                    format!("\"id\":{}", cells[0])
                } else {
                    format!("\"{k}\":{v}")
                }
            })
            .collect();
        match i % 7 {
            1 => pairs.reverse(),
            2 => pairs[0] = format!("\"id\": \"case-{}\"", cells[0]),
            3 => pairs[1] = pairs[1].replacen("act_", "act\\u005f", 1),
            4 => pairs.retain(|p| !p.ends_with("null")),
            _ => {}
        }
        let sep = if i % 5 == 0 { ", " } else { "," };
        out.push_str(&format!("{{{}}}\n", pairs.join(sep)));
        if i % 100 == 0 {
            out.push('\n');
        }
    }
    let path = temp_file("sample.jsonl", &out);
    assert_reference_counts(&delimit(&[
        "batch",
        "--law",
        LAW,
        path.to_str().unwrap(),
        "--concepts",
        OUTCOMES,
        "--json",
    ]));
}

#[test]
fn a_malformed_record_is_refused_with_its_line() {
    let header = "id,act_recruitment,act_transport,crossed_border\n";
    for (name, body, line, says) in [
        (
            "bad-value.csv",
            "1,1,0,1\n2,1,2,0\n",
            3,
            "`act_transport` is `2`",
        ),
        ("short.csv", "1,1,0,1\n2,1,0\n", 3, "no `crossed_border`"),
        ("long.csv", "1,1,0,1,1\n", 2, "more cells than the 4"),
        ("quote.csv", "1,\"1,0,1\n", 2, "not closed"),
    ] {
        let path = temp_file(name, &format!("{header}{body}"));
        let o = delimit(&["batch", "--law", LAW, path.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{name}");
        let err = text(&o.stderr);
        assert!(err.contains(&format!("{name}:{line}: ")), "{name}: {err}");
        assert!(err.contains(says), "{name}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    for (name, body, line, says) in [
        (
            "broken.jsonl",
            "{\"act_transport\":true}\n{\"act_transport\":tru}\n",
            2,
            "not a JSON object",
        ),
        (
            "number.jsonl",
            "{\"act_transport\":1}\n",
            1,
            "a yes/no fact is true, false or null",
        ),
        (
            "twice.jsonl",
            "{}\n{\"act_transport\":true,\"act_transport\":false}\n",
            2,
            "given twice",
        ),
        (
            "typo.jsonl",
            "{\"act_transprot\":true}\n",
            1,
            "did you mean `act_transport`",
        ),
        ("array.jsonl", "[true]\n", 1, "not a JSON object"),
    ] {
        let path = temp_file(name, body);
        let o = delimit(&["batch", "--law", LAW, path.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{name}");
        let err = text(&o.stderr);
        assert!(err.contains(&format!("{name}:{line}: ")), "{name}: {err}");
        assert!(err.contains(says), "{name}: {err}");
    }
    let path = temp_file("unknown-column.csv", "id,colour\n1,red\n");
    let o = delimit(&["batch", "--law", LAW, path.to_str().unwrap()]);
    assert!(text(&o.stderr).contains("`colour` is not a fact of the law"));
}

#[test]
fn what_bits_cannot_evaluate_is_refused_and_the_rest_is_counted() {
    // The bundled law decides a child by age, from dates: not for bit planes.
    let path = temp_file(
        "law.csv",
        "id,crossed_border,entry_met_requirements,entry_procured_by_another,benefit_sought,person_is_national,person_is_permanent_resident\n\
         1,1,0,1,1,0,0\n2,1,1,1,1,0,0\n3,1,0,,1,0,0\n",
    );
    let file = path.to_str().unwrap();
    let o = delimit(&["batch", file, "--concepts", "trafficking_in_persons"]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(err.contains("cannot be evaluated bit-parallel"), "{err}");
    assert!(err.contains("age(birth_date, date_of_act) < 18"), "{err}");
    let o = delimit(&[
        "batch",
        file,
        "--concepts",
        "smuggling_of_migrants",
        "--as-of",
        "2024-06-01",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    let row = out
        .lines()
        .find(|l| l.starts_with("smuggling_of_migrants"))
        .unwrap_or_else(|| panic!("{out}"));
    assert_eq!(
        row.split_whitespace().skip(1).collect::<Vec<_>>(),
        ["1", "1", "1"],
        "{out}"
    );
}

/// The longest line of a batch file (1 MiB, without its end) is counted; a byte more, and the
/// file is refused with the line's number.
#[test]
fn a_line_of_the_most_bytes_is_read_and_one_byte_more_is_refused() {
    const MAX: usize = 1 << 20;
    // CSV: the `id` cell takes the room; JSON Lines: the `id` string.
    let csv = |len: usize| format!("id,act_transport\n1,0\n{},1\n", "x".repeat(len - 2));
    let jsonl = |len: usize| {
        let shell = "{\"id\":\"\",\"act_transport\":true}".len();
        format!(
            "{{}}\n{{\"id\":\"{}\",\"act_transport\":true}}\r\n",
            "x".repeat(len - shell)
        )
    };
    for (name, file, line) in [
        ("longest-line.csv", csv as fn(usize) -> String, 3),
        ("longest-line.jsonl", jsonl, 2),
    ] {
        let path = temp_file(name, &file(MAX));
        let o = delimit(&["batch", "--law", LAW, path.to_str().unwrap(), "--json"]);
        assert!(o.status.success(), "{name}: {}", text(&o.stderr));
        let out: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(out["n"], 2, "{name}");
        let path = temp_file(name, &file(MAX + 1));
        let o = delimit(&["batch", "--law", LAW, path.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{name}");
        let err = text(&o.stderr);
        assert!(
            err.contains(&format!(
                "{name}:{line}: the line is longer than 1 MiB, the most a line of a batch file may have"
            )),
            "{name}: {err}"
        );
    }
}

/// A file without a line end is refused once a line's worth is read, never read whole: a
/// sparse file of 4 GiB, zeros without a newline, is refused at once.
#[test]
fn a_file_without_a_newline_is_not_read_whole() {
    let path = temp_file("endless.csv", "");
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(4 << 30)
        .unwrap();
    let started = std::time::Instant::now();
    let o = delimit(&["batch", "--law", LAW, path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(
        err.contains("endless.csv:1: the line is longer than 1 MiB"),
        "{err}"
    );
    assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());
    std::fs::remove_file(&path).unwrap();
}
