//! The three translations against each other and against the list of keys the interview uses.

use std::collections::{BTreeMap, BTreeSet};

use delimit_i18n::{Arg, I18nError, KEYS, Localizer};
use fluent_syntax::ast::{
    CallArguments, Entry, Expression, InlineExpression, Pattern, PatternElement,
};

/// Every Fluent file of every language: `(language, file, source)`.
const SOURCES: &[(&str, &str, &str)] = &[
    (
        "en",
        "interview.ftl",
        include_str!("../locales/en/interview.ftl"),
    ),
    (
        "ru",
        "interview.ftl",
        include_str!("../locales/ru/interview.ftl"),
    ),
    (
        "tg",
        "interview.ftl",
        include_str!("../locales/tg/interview.ftl"),
    ),
    ("en", "web.ftl", include_str!("../locales/en/web.ftl")),
    ("ru", "web.ftl", include_str!("../locales/ru/web.ftl")),
    ("tg", "web.ftl", include_str!("../locales/tg/web.ftl")),
    ("en", "law.ftl", include_str!("../locales/en/law.ftl")),
    ("ru", "law.ftl", include_str!("../locales/ru/law.ftl")),
    ("tg", "law.ftl", include_str!("../locales/tg/law.ftl")),
    ("en", "stats.ftl", include_str!("../locales/en/stats.ftl")),
    ("ru", "stats.ftl", include_str!("../locales/ru/stats.ftl")),
    ("tg", "stats.ftl", include_str!("../locales/tg/stats.ftl")),
];

/// Words a Russian or Tajik page may write in Latin letters: names of formats and standards.
const LATIN_WORDS: &[&str] = &[
    "CSV", "HTCDS", "CTDC", "ICCS", "ILO", "PDF", "YAML", "JSON", "SVG", "k", "UN", "ECHR",
    // The language menu names English in English.
    "English",
];

/// Keys whose text may be the same in a translation as in English: the names of the languages,
/// each written in its own language so that a reader finds theirs whatever the page's language.
const SAME_AS_ENGLISH: &[&str] = &["language-en", "language-ru", "language-tg"];

/// The numbers that exercise every plural category of English, Russian and Tajik:
/// 0 (ru many), 1 (one), 2 (ru few), 5 (ru many), 21 (ru one).
const PLURAL_SAMPLES: &[i64] = &[0, 1, 2, 5, 21];

/// What one message reads: the variables it uses, those it selects on, the messages it refers to.
#[derive(Debug, Default, PartialEq, Eq)]
struct Uses {
    variables: BTreeSet<String>,
    selectors: BTreeSet<String>,
    messages: BTreeSet<String>,
}

fn walk_pattern(p: &Pattern<&str>, uses: &mut Uses) {
    for element in &p.elements {
        if let PatternElement::Placeable { expression } = element {
            walk_expression(expression, uses);
        }
    }
}

fn walk_expression(e: &Expression<&str>, uses: &mut Uses) {
    match e {
        Expression::Select { selector, variants } => {
            if let InlineExpression::VariableReference { id } = selector {
                uses.selectors.insert(id.name.to_owned());
            }
            walk_inline(selector, uses);
            for v in variants {
                walk_pattern(&v.value, uses);
            }
        }
        Expression::Inline(inline) => walk_inline(inline, uses),
    }
}

fn walk_arguments(a: &CallArguments<&str>, uses: &mut Uses) {
    for p in &a.positional {
        walk_inline(p, uses);
    }
    for n in &a.named {
        walk_inline(&n.value, uses);
    }
}

fn walk_inline(e: &InlineExpression<&str>, uses: &mut Uses) {
    match e {
        InlineExpression::VariableReference { id } => {
            uses.variables.insert(id.name.to_owned());
        }
        InlineExpression::MessageReference { id, .. } => {
            uses.messages.insert(id.name.to_owned());
        }
        InlineExpression::FunctionReference { arguments, .. } => walk_arguments(arguments, uses),
        InlineExpression::TermReference { arguments, .. } => {
            if let Some(a) = arguments {
                walk_arguments(a, uses);
            }
        }
        InlineExpression::Placeable { expression } => walk_expression(expression, uses),
        InlineExpression::StringLiteral { .. } | InlineExpression::NumberLiteral { .. } => {}
    }
}

/// The messages of one resource, parsed strictly: no syntax error, no junk, no terms, no
/// attributes, no duplicate, every message with a value.
fn messages(lang: &str, source: &'static str) -> BTreeMap<String, Uses> {
    let resource = fluent_syntax::parser::parse(source)
        .unwrap_or_else(|(_, errors)| panic!("{lang}: syntax errors: {errors:?}"));
    let mut out = BTreeMap::new();
    for entry in &resource.body {
        match entry {
            Entry::Message(m) => {
                let id = m.id.name;
                assert!(m.attributes.is_empty(), "{lang}: {id} has attributes");
                let value = m
                    .value
                    .as_ref()
                    .unwrap_or_else(|| panic!("{lang}: {id} has no value"));
                let mut uses = Uses::default();
                walk_pattern(value, &mut uses);
                assert!(
                    out.insert(id.to_owned(), uses).is_none(),
                    "{lang}: {id} is defined twice"
                );
            }
            Entry::Term(t) => panic!("{lang}: unexpected term -{}", t.id.name),
            Entry::Junk { content } => panic!("{lang}: junk: {content}"),
            Entry::Comment(_) | Entry::GroupComment(_) | Entry::ResourceComment(_) => {}
        }
    }
    out
}

fn all_messages() -> BTreeMap<&'static str, BTreeMap<String, Uses>> {
    let mut all: BTreeMap<&'static str, BTreeMap<String, Uses>> = BTreeMap::new();
    for (lang, file, source) in SOURCES {
        let messages = messages(&format!("{lang}/{file}"), source);
        let merged = all.entry(lang).or_default();
        for (key, uses) in messages {
            assert!(
                !merged.contains_key(&key),
                "{lang}/{file}: {key} is defined in another file too"
            );
            merged.insert(key, uses);
        }
    }
    all
}

/// The keys of one file of one language.
fn file_keys(lang: &str, file: &str) -> BTreeSet<String> {
    SOURCES
        .iter()
        .filter(|(l, f, _)| *l == lang && *f == file)
        .flat_map(|(l, f, source)| messages(&format!("{l}/{f}"), source).into_keys())
        .collect()
}

#[test]
fn every_file_has_the_same_keys_in_every_language() {
    assert_eq!(
        delimit_i18n::FILES,
        &["interview.ftl", "web.ftl", "law.ftl", "stats.ftl"]
    );
    for file in delimit_i18n::FILES {
        let english = file_keys("en", file);
        for lang in ["ru", "tg"] {
            let keys = file_keys(lang, file);
            let missing: Vec<_> = english.difference(&keys).collect();
            let extra: Vec<_> = keys.difference(&english).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{lang}/{file}: missing {missing:?}, not in English {extra:?}"
            );
        }
    }
}

/// A sample for a text argument: no letters, so that any letter in a formatted message comes from
/// the translation itself.
fn text_sample(name: &str) -> String {
    format!("#{}", name.len())
}

#[test]
fn every_language_has_exactly_the_interview_keys() {
    let expected: BTreeSet<String> = KEYS.iter().map(|k| k.to_string()).collect();
    assert_eq!(expected.len(), KEYS.len(), "KEYS lists a key twice");
    for lang in Localizer::languages() {
        let found = file_keys(lang, "interview.ftl");
        let missing: Vec<_> = expected.difference(&found).collect();
        let extra: Vec<_> = found.difference(&expected).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{lang}: missing keys {missing:?}, extra keys {extra:?}"
        );
    }
}

#[test]
fn translations_use_the_same_arguments_as_english() {
    let all = all_messages();
    let en = &all["en"];
    for (lang, messages) in &all {
        for (key, uses) in messages {
            let Some(english) = en.get(key) else { continue };
            assert_eq!(
                uses.variables, english.variables,
                "{lang}: {key} uses other arguments than English"
            );
            for m in &uses.messages {
                assert!(
                    messages.contains_key(m),
                    "{lang}: {key} refers to unknown {m}"
                );
            }
        }
    }
}

#[test]
fn plural_selectors_have_a_number_to_select_on() {
    // Every selector must be a variable (a number given by the caller), never a literal.
    for (lang, messages) in all_messages() {
        for (key, uses) in &messages {
            assert!(
                uses.selectors.is_subset(&uses.variables),
                "{lang}: {key}: selectors {:?}",
                uses.selectors
            );
        }
    }
}

/// An argument owned by a test.
enum Sample {
    Text(String),
    Number(i64),
}

/// Formats every message of every language strictly with `args_for`, and checks the result.
fn format_everything(args_for: impl Fn(&Uses, i64) -> Vec<(String, Sample)>) {
    let all = all_messages();
    let en = &all["en"];
    for lang in Localizer::languages() {
        let l10n = Localizer::new(lang).unwrap();
        for (key, uses) in en {
            for &n in PLURAL_SAMPLES {
                let owned = args_for(uses, n);
                let args: Vec<(&str, Arg)> = owned
                    .iter()
                    .map(|(k, v)| {
                        let arg = match v {
                            Sample::Text(t) => Arg::from(t),
                            Sample::Number(n) => Arg::from(*n),
                        };
                        (k.as_str(), arg)
                    })
                    .collect();
                let text = l10n
                    .format(key, &args)
                    .unwrap_or_else(|e| panic!("{lang} {key} with {n}: {e}"));
                assert_eq!(text, l10n.text(key, &args), "{lang} {key}");
                assert!(!text.trim().is_empty(), "{lang} {key}: empty");
                assert!(
                    !text.contains(['{', '}', '⟨', '⟩', '\u{2068}', '\u{2069}']),
                    "{lang} {key} with {n}: unresolved or isolated: {text:?}"
                );
                assert!(!text.contains('\n'), "{lang} {key}: more than one line");
                if *lang != "en" {
                    let words = text
                        .split(|c: char| !c.is_ascii_alphanumeric())
                        .filter(|w| !LATIN_WORDS.contains(w))
                        .collect::<String>();
                    assert!(
                        !words.chars().any(|c| c.is_ascii_alphabetic()),
                        "{lang} {key} with {n}: Latin letters, untranslated? {text:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn every_message_formats_with_numbers_for_selectors_and_text_for_the_rest() {
    format_everything(|uses, n| {
        let mut args = Vec::new();
        for v in &uses.variables {
            let arg = if uses.selectors.contains(v) {
                Sample::Number(n)
            } else {
                Sample::Text(text_sample(v))
            };
            args.push((v.clone(), arg));
        }
        args
    });
}

#[test]
fn every_message_formats_with_numbers_everywhere() {
    format_everything(|uses, n| {
        uses.variables
            .iter()
            .map(|v| (v.clone(), Sample::Number(n)))
            .collect()
    });
}

#[test]
fn translations_are_not_copies_of_english_or_of_each_other() {
    let all = all_messages();
    let en_l10n = Localizer::new("en").unwrap();
    let ru_l10n = Localizer::new("ru").unwrap();
    let tg_l10n = Localizer::new("tg").unwrap();
    for (key, uses) in &all["en"] {
        let key = key.as_str();
        let owned: Vec<(String, String)> = uses
            .variables
            .iter()
            .map(|v| (v.clone(), text_sample(v)))
            .collect();
        let args: Vec<(&str, Arg)> = owned
            .iter()
            .map(|(k, v)| (k.as_str(), Arg::Text(v)))
            .collect();
        let en = en_l10n.format(key, &args).unwrap();
        let ru = ru_l10n.format(key, &args).unwrap();
        let tg = tg_l10n.format(key, &args).unwrap();
        if SAME_AS_ENGLISH.contains(&key) {
            continue;
        }
        assert_ne!(ru, en, "ru {key} is the English text");
        assert_ne!(tg, en, "tg {key} is the English text");
        assert_ne!(tg, ru, "tg {key} is the Russian text");
    }
}

#[test]
fn tajik_is_written_with_tajik_letters() {
    // Tajik Cyrillic has letters Russian lacks; a Tajik file without them would be Russian.
    let tajik_only = ['ғ', 'ӣ', 'қ', 'ӯ', 'ҳ', 'ҷ'];
    let tg = Localizer::new("tg").unwrap();
    let with_tajik_letters = KEYS
        .iter()
        .filter(|k| tg.text(k, &[]).contains(tajik_only))
        .count();
    assert!(
        with_tajik_letters * 2 > KEYS.len(),
        "only {with_tajik_letters} of {} Tajik messages use Tajik letters",
        KEYS.len()
    );
    let ru = Localizer::new("ru").unwrap();
    for key in KEYS {
        assert!(
            !ru.text(key, &[]).contains(tajik_only),
            "ru {key} has Tajik letters"
        );
    }
}

#[test]
fn unknown_language_is_refused_with_the_supported_ones() {
    for lang in ["fr", "", "english", "uz", "en-US"] {
        let err = Localizer::new(lang).unwrap_err();
        assert_eq!(
            err,
            I18nError::UnsupportedLanguage {
                requested: lang.to_owned()
            }
        );
        let message = err.to_string();
        for supported in Localizer::languages() {
            assert!(message.contains(supported), "{message}");
        }
    }
    assert_eq!(Localizer::languages(), ["en", "ru", "tg"]);
    for lang in Localizer::languages() {
        assert_eq!(Localizer::new(lang).unwrap().lang(), *lang);
    }
}

#[test]
fn missing_key_is_marked_and_not_fatal() {
    for lang in Localizer::languages() {
        let l10n = Localizer::new(lang).unwrap();
        assert_eq!(l10n.text("topic-nonexistent", &[]), "⟨topic-nonexistent⟩");
        assert!(l10n.format("topic-nonexistent", &[]).is_err());
        for key in KEYS {
            assert!(l10n.has(key), "{lang} lacks {key}");
        }
    }
}

fn progress(l10n: &Localizer, asked: i64, left: i64) -> String {
    l10n.format(
        "prompt-progress",
        &[("asked", Arg::from(asked)), ("left", Arg::from(left))],
    )
    .unwrap()
}

#[test]
fn russian_plurals_follow_russian_grammar() {
    let ru = Localizer::new("ru").unwrap();
    assert_eq!(progress(&ru, 4, 0), "Вопрос 4; это последний вопрос.");
    assert_eq!(
        progress(&ru, 4, 1),
        "Вопрос 4; осталось не более 1 вопроса."
    );
    assert_eq!(
        progress(&ru, 4, 2),
        "Вопрос 4; осталось не более 2 вопросов."
    );
    assert_eq!(
        progress(&ru, 4, 5),
        "Вопрос 4; осталось не более 5 вопросов."
    );
    assert_eq!(
        progress(&ru, 4, 21),
        "Вопрос 4; осталось не более 21 вопроса."
    );
    let summary = |asked: i64| {
        ru.format(
            "done-summary",
            &[("asked", Arg::from(asked)), ("total", Arg::from(120))],
        )
        .unwrap()
    };
    assert_eq!(summary(0), "Задано 0 вопросов из 120 в полном опроснике.");
    assert_eq!(summary(1), "Задан 1 вопрос из 120 в полном опроснике.");
    assert_eq!(summary(2), "Задано 2 вопроса из 120 в полном опроснике.");
    assert_eq!(summary(5), "Задано 5 вопросов из 120 в полном опроснике.");
    assert_eq!(summary(21), "Задан 21 вопрос из 120 в полном опроснике.");
    assert_eq!(summary(11), "Задано 11 вопросов из 120 в полном опроснике.");
}

#[test]
fn english_and_tajik_plurals() {
    let en = Localizer::new("en").unwrap();
    assert_eq!(progress(&en, 3, 0), "Question 3; this is the last one.");
    assert_eq!(progress(&en, 3, 1), "Question 3; at most one more.");
    assert_eq!(progress(&en, 3, 21), "Question 3; at most about 21 more.");
    let tg = Localizer::new("tg").unwrap();
    assert_eq!(progress(&tg, 3, 0), "Савол 3; ин саволи охирин аст.");
    // Tajik keeps the noun singular after a number.
    assert_eq!(
        progress(&tg, 3, 1),
        "Савол 3; боз на бештар аз 1 савол мондааст."
    );
    assert_eq!(
        progress(&tg, 3, 21),
        "Савол 3; боз на бештар аз 21 савол мондааст."
    );
    // "The only option" is said for exactly one option, not for 21 (Russian "one").
    for lang in Localizer::languages() {
        let l10n = Localizer::new(lang).unwrap();
        let option = |count: i64| {
            l10n.format(
                "error-option",
                &[("value", Arg::Text("7")), ("count", Arg::from(count))],
            )
            .unwrap()
        };
        assert!(option(21).contains("21"), "{lang}: {}", option(21));
        assert_ne!(option(21).replace("21", "1"), option(1), "{lang}");
        assert_ne!(option(21).replace("21", "0"), option(0), "{lang}");
    }
}

#[test]
fn no_bidi_isolation_marks() {
    let en = Localizer::new("en").unwrap();
    assert_eq!(
        en.text("done-saved", &[("path", Arg::Text("answers.yaml"))]),
        "Saved to answers.yaml."
    );
}
