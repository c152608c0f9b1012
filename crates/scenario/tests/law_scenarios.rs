//! Runs every scenario beside the bundled law, as `delimit test law` does.

use std::path::Path;

#[test]
fn every_scenario_beside_the_law_passes() {
    let law = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../law");
    let files = delimit_law::load::read_dir(&law).expect("law folder is readable");
    let compiled = delimit_law::compile(&files);
    let kb = compiled.kb.unwrap_or_else(|| {
        panic!(
            "the law does not check:\n{}",
            delimit_law::render(&compiled.sources, &compiled.diagnostics, false)
        )
    });
    let scenarios = delimit_scenario::scenario_files(&law).expect("scenarios are readable");
    assert!(
        !scenarios.is_empty(),
        "no scenario files under {}",
        law.display()
    );
    let report = delimit_scenario::run(&scenarios, &kb);
    let mut failures = String::new();
    for o in report.outcomes.iter().filter(|o| !o.passed()) {
        failures.push_str(&format!(
            "{} ({}):\n  {}\n",
            o.name,
            o.location,
            o.failures.join("\n  ")
        ));
    }
    println!("{}", report.summary());
    assert!(
        report.diagnostics.is_empty(),
        "{}",
        delimit_law::render(&report.sources, &report.diagnostics, false)
    );
    assert!(failures.is_empty(), "{failures}");
    assert!(report.ok());
}
