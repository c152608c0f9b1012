//! The statistics of the registry over 100,000 persons of many values, stored straight in
//! the tables statistics read: one table a request (the API's, a CSV, a dimension's page),
//! and every dimension at once (the overview page), on SQLite.
//!
//! Run with `cargo bench -p delimit-bench --bench statistics`; it prints each request's time.

use delimit_registry::{Key, Principal, Registry, dimensions, sqlite_url};
use sqlx::AssertSqlSafe;
use std::time::{Duration, Instant};

const STATUSES: [&str; 2] = ["trafficking_in_persons", "smuggling_of_migrants"];

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(run());
}

/// Persons drawn from a fixed sequence, so that every run measures the same population.
async fn fill(r: &Registry) {
    let columns = delimit_case::htcds::ctdc_columns();
    let names: Vec<String> = columns.iter().map(|c| format!("\"{c}\"")).collect();
    let mut draw = 0x5eed_u64;
    let mut next = move |n: u64| {
        draw ^= draw << 13;
        draw ^= draw >> 7;
        draw ^= draw << 17;
        draw % n
    };
    let countries: Vec<String> = (0..60)
        .map(|i| format!("C{}{}", (b'A' + i / 26) as char, (b'A' + i % 26) as char))
        .collect();
    let ages = [
        "00--08", "09--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+", "",
    ];
    let mut tx = r.pool().begin().await.unwrap();
    let per = 500;
    for chunk in 0..(100_000 / per) {
        let mut rows = Vec::new();
        let mut values: Vec<String> = Vec::new();
        for i in 0..per {
            let mut marks = Vec::new();
            let id = format!("c{chunk}-{i}");
            values.extend([id, "p".into()]);
            for c in columns {
                let v = match *c {
                    "yearOfRegistration" => (2018 + next(7)).to_string(),
                    "gender" => ["Man", "Woman", "Man", "Trans/Transgender/NonConforming", ""]
                        [next(5) as usize]
                        .into(),
                    "ageBroad" => ages[next(10) as usize].into(),
                    // A skewed spread: a few large countries, a long tail of small ones.
                    "citizenship" | "CountryOfExploitation" => {
                        countries[(next(60) * next(60) / 60) as usize].clone()
                    }
                    f if f.starts_with("is") || f.starts_with("means") => {
                        if next(4) == 0 {
                            "1".into()
                        } else {
                            String::new()
                        }
                    }
                    _ => String::new(),
                };
                values.push(v);
            }
            for _ in 0..columns.len() + 2 {
                marks.push(format!(
                    "${}",
                    values.len() - columns.len() - 2 + marks.len() + 1
                ));
            }
            rows.push(format!("({})", marks.join(", ")));
        }
        let sql = format!(
            "INSERT INTO persons (case_id, person, {}) VALUES {}",
            names.join(", "),
            rows.join(", ")
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for v in values {
            q = q.bind(v);
        }
        q.execute(&mut *tx).await.unwrap();
        let mut facet_rows = Vec::new();
        let mut facet_values: Vec<String> = Vec::new();
        for i in 0..per {
            for (dim, value) in [
                ("qualification", STATUSES[next(2) as usize]),
                (
                    "stage",
                    [
                        "trafficking_in_persons: recruitment",
                        "trafficking_in_persons: destination",
                        "smuggling_of_migrants: transit",
                        "smuggling_of_migrants: exit or return",
                    ][next(4) as usize],
                ),
            ] {
                let at = facet_values.len();
                facet_rows.push(format!(
                    "(${}, ${}, ${}, ${})",
                    at + 1,
                    at + 2,
                    at + 3,
                    at + 4
                ));
                facet_values.extend([
                    format!("c{chunk}-{i}"),
                    "p".into(),
                    dim.into(),
                    value.into(),
                ]);
            }
        }
        let sql = format!(
            "INSERT INTO facets (case_id, person, dimension, value) VALUES {}",
            facet_rows.join(", ")
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for v in facet_values {
            q = q.bind(v);
        }
        q.execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();
}

async fn run() {
    let dir = std::env::temp_dir().join(format!("delimit-stats-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a folder");
    let r = Registry::open(
        &sqlite_url(&dir.join("registry.db")),
        Key::generate().unwrap(),
    )
    .await
    .expect("a registry");
    fill(&r).await;
    let actor = Principal::system("timing");
    let time = |what: String, started: Instant| {
        let took = started.elapsed();
        println!("{what:<70} {:>6} ms", took.as_millis());
        took
    };
    let mut one_table = Duration::ZERO;
    let mut every_dimension = Duration::ZERO;
    let started = Instant::now();
    r.all_statistics(&actor, None).await.unwrap();
    every_dimension = every_dimension.max(time("every dimension".into(), started));
    for (f, v) in [
        ("citizenship", "CAA"),
        ("gender", "Woman"),
        ("exploitation", "isForcedLabour"),
        ("qualification", "trafficking_in_persons"),
    ] {
        let started = Instant::now();
        r.all_statistics(&actor, Some((f, v))).await.unwrap();
        every_dimension =
            every_dimension.max(time(format!("every dimension within {f}:{v}"), started));
    }
    for d in dimensions() {
        for filter in [
            None,
            Some(("country_of_exploitation", "CAB")),
            Some(("qualification", "trafficking_in_persons")),
        ] {
            let started = Instant::now();
            r.statistics(&actor, d, filter).await.unwrap();
            one_table = one_table.max(time(format!("{d} within {filter:?}"), started));
        }
    }
    println!("slowest single table: {} ms", one_table.as_millis());
    println!(
        "slowest request of every dimension: {} ms",
        every_dimension.as_millis()
    );
    r.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
