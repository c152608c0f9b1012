//! The indicator lists under `screening/` read cleanly, and the profile follows the
//! combination rule: positive dimensions from graded indicators, an indicative reading.

mod common;

use common::kb;

use delimit_engine::Tri;
use delimit_screening::indicators::{Grade, Indicators, check_links, read};
use std::collections::HashMap;

fn load() -> &'static Indicators {
    common::lists()
}

#[test]
fn the_lists_read_with_their_counts_statuses_and_three_languages() {
    let set = load();
    let adult: Vec<_> = set
        .indicators
        .iter()
        .filter(|i| i.list == "ilo-ec-2009/adult-labour")
        .collect();
    assert_eq!(adult.len(), 67);
    let per = |d: &str| {
        adult
            .iter()
            .filter(|i| i.dimension.as_deref() == Some(d))
            .count()
    };
    assert_eq!(
        [
            per("deceptive-recruitment"),
            per("coercive-recruitment"),
            per("recruitment-abuse-of-vulnerability"),
            per("exploitative-conditions"),
            per("coercion-at-destination"),
            per("abuse-of-vulnerability-at-destination")
        ],
        [10, 10, 16, 9, 15, 7]
    );
    assert_eq!(
        set.indicators
            .iter()
            .filter(|i| i.list == "ilo-2012-forced-labour")
            .count(),
        11
    );
    for i in &set.indicators {
        assert!(
            !i.question.en.is_empty() && i.question.ru.is_some() && i.question.tg.is_some(),
            "{}",
            i.id
        );
    }
    // Every dimension an indicator names is named itself, in three languages.
    for i in &set.indicators {
        if let Some(d) = &i.dimension {
            let named = set
                .dimensions
                .iter()
                .find(|x| x.list == i.list && &x.id == d)
                .unwrap_or_else(|| panic!("dimension {d} of {} has no name", i.list));
            assert!(named.label.ru.is_some() && named.label.tg.is_some(), "{d}");
        }
    }
    assert!(!set.combinations.is_empty());
}

#[test]
fn the_profile_follows_the_combination_rule() {
    let set = load();
    let rule = set
        .combinations
        .iter()
        .find(|c| c.id == "ilo-ec-2009/combination")
        .expect("the rule");
    let list = "ilo-ec-2009/adult-labour";
    let strong = |dim: &str| -> Vec<String> {
        set.indicators
            .iter()
            .filter(|i| {
                i.list == list
                    && i.dimension.as_deref() == Some(dim)
                    && i.grade == Some(Grade::Strong)
            })
            .map(|i| i.id.clone())
            .collect()
    };
    let medium = |dim: &str| -> Vec<String> {
        set.indicators
            .iter()
            .filter(|i| {
                i.list == list
                    && i.dimension.as_deref() == Some(dim)
                    && i.grade == Some(Grade::Medium)
            })
            .map(|i| i.id.clone())
            .collect()
    };
    // Nothing answered: every dimension and the reading are open.
    let p = set.profile(rule, list, &HashMap::new());
    assert!(p.dimensions.iter().all(|d| d.positive == Tri::Unknown));
    assert_eq!(p.indicative_reading, Tri::Unknown);
    // Everything answered no: nothing positive, the reading is no.
    let all_no: HashMap<String, Tri> = set
        .indicators
        .iter()
        .filter(|i| i.list == list)
        .map(|i| (i.id.clone(), Tri::False))
        .collect();
    assert_eq!(
        set.profile(rule, list, &all_no).indicative_reading,
        Tri::False
    );
    // One strong and one medium indicator in each needed dimension: positive, reading yes.
    let mut answers = all_no.clone();
    for dim in [
        "deceptive-recruitment",
        "exploitative-conditions",
        "coercion-at-destination",
    ] {
        let mut picks = strong(dim);
        picks.truncate(1);
        let mut m = medium(dim);
        m.truncate(if picks.is_empty() { 3 } else { 1 });
        for id in picks.into_iter().chain(m) {
            answers.insert(id, Tri::True);
        }
    }
    let p = set.profile(rule, list, &answers);
    assert_eq!(p.indicative_reading, Tri::True, "{p:?}");
    // A single medium indicator is not enough for a dimension.
    let mut one = all_no.clone();
    one.insert(medium("coercion-at-destination")[0].clone(), Tri::True);
    let p = set.profile(rule, list, &one);
    let d = p
        .dimensions
        .iter()
        .find(|d| d.dimension == "coercion-at-destination")
        .unwrap();
    assert_eq!(d.positive, Tri::False);
    assert_eq!(d.present.len(), 1);
}

#[test]
fn bad_indicator_blocks_are_reported_with_their_place() {
    let text = "# A list\n\n```indicator-list\nid: l\nsource: s\nstatus: seed\n```\n\n\
```indicator\nid: l/a\nlist: l\ndimension: d\ngrade: huge\nquestion: Asked?\nstatus: seed\nsource: s\n```\n\n\
```indicator\nid: l/b\nlist: l\ndimension: d\ngrade: weak\nquestion: Asked?\ntopic: elsewhere\nstatus: seed\nsource: s\n```\n";
    let (_, sources, diagnostics) = read(&[("bad.md".to_string(), text.to_string())]);
    let codes: Vec<&str> = diagnostics.iter().map(|d| d.code).collect();
    assert!(codes.contains(&"I003"), "{codes:?}");
    assert_eq!(
        codes.iter().filter(|c| **c == "I006").count(),
        2,
        "{codes:?}"
    );
    let rendered = delimit_law::render(&sources, &diagnostics, false);
    assert!(rendered.contains("bad.md:9:1"), "{rendered}");
    assert!(rendered.contains("unknown topic `elsewhere`"), "{rendered}");
}

#[test]
fn a_link_to_the_law_must_name_a_conclusion_or_a_yes_no_fact_and_give_its_reason() {
    let block = |id: &str, link: &str| {
        format!(
            "```indicator\nid: l/{id}\nlist: l\ndimension: d\ngrade: weak\ntopic: work\nquestion: Asked?\nstatus: seed\nsource: s\n{link}```\n\n"
        )
    };
    let text = [
        "```indicator-list\nid: l\nsource: s\nstatus: seed\n```\n\n".to_string(),
        block(
            "a",
            "established-by: debt_bondag\nestablished-by-note: same facts\n",
        ),
        block(
            "b",
            "established-by: birth_date\nestablished-by-note: same facts\n",
        ),
        block("c", "established-by: debt_bondage\n"),
        block(
            "d",
            "established-by: debt_bondage\nestablished-by-note: same facts\n",
        ),
    ]
    .concat();
    let (indicators, sources, mut diagnostics) = read(&[("links.md".to_string(), text)]);
    // The link without its reason is refused as it is read.
    let codes: Vec<&str> = diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["I001"], "{codes:?}");
    diagnostics.extend(check_links(&indicators, kb()));
    let rendered = delimit_law::render(&sources, &diagnostics, false);
    assert!(rendered.contains("links.md:16:17"), "{rendered}");
    assert!(
        rendered.contains("the law has no concept or fact `debt_bondag`"),
        "{rendered}"
    );
    assert!(
        rendered.contains("did you mean `debt_bondage`?"),
        "{rendered}"
    );
    assert!(
        rendered.contains("`birth_date` is not a yes/no fact"),
        "{rendered}"
    );
    assert_eq!(diagnostics.len(), 3, "{rendered}");
}
