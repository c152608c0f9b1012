//! Synthetic journeys for tests, benchmarks and demonstrations: deterministic from their
//! number, varied enough that statistics, assessments and comparisons have something to
//! count. They describe no real person.

use delimit_case::timeline::TimelineCase;
use serde_json::{Value, json};

/// A small deterministic generator (SplitMix64).
struct Draw(u64);

impl Draw {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    /// A yes, no or unknown answer.
    fn answer(&mut self, yes_percent: u64) -> Value {
        match self.next() % 100 {
            n if n < 10 => Value::Null,
            n if n < 10 + yes_percent * 9 / 10 => json!(true),
            _ => json!(false),
        }
    }
}

/// Journey number `n`.
pub fn journey(n: u64) -> Result<TimelineCase, String> {
    let mut d = Draw(n.wrapping_mul(0xA076_1D64_78BD_642F) ^ 0x5EED);
    let citizenship = *d.pick(&["TJ", "TJ", "TJ", "UZ", "KG", "AF"]);
    let destination = *d.pick(&["RU", "RU", "KZ", "TR", "AE"]);
    let gender = *d.pick(&[
        "Masculine",
        "Masculine",
        "Feminine",
        "Feminine",
        "NonSpecifiedUnknown",
    ]);
    let born = 1965 + (d.next() % 44) as i64;
    let year = 2019 + (d.next() % 6) as i64;
    let at = |m: u64, day: u64| format!("{year}-{m:02}-{day:02}");
    let mut events = vec![json!({
        "id": "recruited", "kind": "recruitment", "date": at(2, 1),
        "place": {"country": citizenship}, "persons": ["p"], "actors": ["recruiter"],
        "means": if d.chance(40) { json!(["deception"]) } else { json!([]) },
        "purpose": if d.chance(50) { json!(["ForcedLabour"]) } else if d.chance(20) { json!(["SexualExploitation"]) } else { json!([]) },
        "consent": d.answer(80),
    })];
    if d.chance(60) {
        events.push(json!({
            "id": "fee", "kind": "payment", "date": at(2, 10), "persons": ["p"],
            "payer": "p", "payee": "recruiter", "payment_purpose": "journey",
            "amount_usd": 500 + d.next() % 3000,
        }));
    }
    events.push(json!({
        "id": "crossing", "kind": "border_crossing", "date": at(3, 1), "persons": ["p"],
        "actors": ["recruiter"], "from": citizenship, "to": destination,
        "at_checkpoint": d.answer(60),
        "documents": d.pick(&["own_valid", "own_valid", "falsified", "none", "someone_elses"]),
    }));
    events.push(json!({
        "id": "stay", "kind": "stay", "date": {"from": at(3, 2), "to": at(9, 1)},
        "place": {"country": destination}, "persons": ["p"], "lawful": d.answer(50),
    }));
    events.push(json!({
        "id": "work", "kind": "work", "date": {"from": at(3, 5), "to": at(9, 1)},
        "place": {"country": destination}, "persons": ["p"], "actors": ["employer"],
        "lawful": d.answer(40), "sector": d.pick(&["F", "A", "T", "I", "C"]),
    }));
    if d.chance(55) {
        let controls = [
            "WithholdsDocuments",
            "DebtBondage",
            "PhysicalThreats",
            "TakesEarnings",
            "ExcessiveWorkingHours",
            "RestrictsFinancialAccess",
            "PsychologicalAbuse",
        ];
        let chosen: Vec<&str> = controls.iter().copied().filter(|_| d.chance(35)).collect();
        events.push(json!({
            "id": "control", "kind": "control", "date": at(4, 1),
            "place": {"country": destination}, "persons": ["p"], "actors": ["employer"],
            "control": chosen, "means": if d.chance(50) { json!(["other_coercion"]) } else { json!([]) },
        }));
        events.push(json!({
            "id": "exploited", "kind": "exploitation", "date": {"from": at(4, 1), "to": at(9, 1)},
            "place": {"country": destination}, "persons": ["p"], "actors": ["employer"],
            "exploitation": [d.pick(&["ForcedLabour", "ForcedLabour", "SexualExploitation", "Servitude"])],
        }));
    }
    events.push(json!({
        "id": "identified", "kind": "identification", "date": at(10, 1),
        "place": {"country": destination}, "persons": ["p"],
    }));
    let value = json!({
        "schema": delimit_case::timeline::CASE_SCHEMA,
        "id": format!("synthetic-{n}"),
        "persons": [{
            "id": "p", "citizenships": [citizenship], "stateless": false,
            "permanent_residence": [citizenship], "birth": {"year": born}, "gender": gender,
        }],
        "actors": [
            {"id": "recruiter", "roles": ["RecruiterOrIntermediary", "Transporter"]},
            {"id": "employer", "roles": ["Employer"]},
        ],
        "events": events,
    });
    serde_json::from_value(value).map_err(|e| format!("synthetic journey {n}: {e}"))
}
