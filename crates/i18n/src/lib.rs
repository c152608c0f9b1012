//! The words of delimit's user interface, in English, Russian and Tajik.
//!
//! This crate localises the strings that the guided interview shows a person (the consent text,
//! section headings, answer hints, error messages, the "why is this asked" panel and the closing
//! lines) and the words of the web application's pages. It is shared by every front end, the
//! terminal and the web, so that a person reads the same careful wording wherever they are
//! interviewed.
//!
//! Translations are [Fluent](https://projectfluent.org) resources, a few files per language in
//! `locales/{en,ru,tg}/` (see [`FILES`]): one bundle per language holds them all, and a key
//! defined twice is refused. They are embedded in the binary with `include_str!`, so a
//! program that uses this crate needs no files at run time. Plural forms are chosen by Fluent's
//! selectors with the plural rules of each language.
//!
//! **What this crate must not know.** It knows no law and no case: no provision, no concept, no
//! fact, no question of the questionnaire and no answer. Whatever the law or a case contributes to
//! a message (the conclusions a question serves, the provisions it rests on, a file name, a value
//! the person typed) arrives as an already-rendered argument. Deciding what to ask, and what an
//! answer means, happens elsewhere; this crate only says it in the person's language.
//!
//! ```
//! use delimit_i18n::{Arg, Localizer};
//!
//! let ru = Localizer::new("ru").unwrap();
//! let line = ru.text("prompt-progress", &[("asked", Arg::from(3)), ("left", Arg::from(5))]);
//! assert_eq!(line, "Вопрос 3; осталось не более 5 вопросов.");
//! assert!(Localizer::new("fr").is_err());
//! ```

use std::fmt;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

/// The languages this crate speaks, as language codes, in the order they are offered.
const LANGUAGES: &[&str] = &["en", "ru", "tg"];

/// The Fluent sources of each language, embedded at build time: the interview's words, and
/// those of the web application's pages (common words, the law browser, the statistics).
const SOURCES: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            include_str!("../locales/en/interview.ftl"),
            include_str!("../locales/en/web.ftl"),
            include_str!("../locales/en/law.ftl"),
            include_str!("../locales/en/stats.ftl"),
        ],
    ),
    (
        "ru",
        &[
            include_str!("../locales/ru/interview.ftl"),
            include_str!("../locales/ru/web.ftl"),
            include_str!("../locales/ru/law.ftl"),
            include_str!("../locales/ru/stats.ftl"),
        ],
    ),
    (
        "tg",
        &[
            include_str!("../locales/tg/interview.ftl"),
            include_str!("../locales/tg/web.ftl"),
            include_str!("../locales/tg/law.ftl"),
            include_str!("../locales/tg/stats.ftl"),
        ],
    ),
];

/// The file names of each language's sources, in the order of [`SOURCES`].
pub const FILES: &[&str] = &["interview.ftl", "web.ftl", "law.ftl", "stats.ftl"];

/// Every message key the interview may ask for. The tests check that each language defines
/// exactly these keys, so a front end can rely on them.
pub const KEYS: &[&str] = &[
    "consent-title",
    "consent-purpose",
    "consent-rights",
    "consent-question",
    "consent-declined",
    "topic-identity",
    "topic-migration",
    "topic-work",
    "topic-control",
    "topic-sensitive",
    "prompt-progress",
    "answer-hint-yesno",
    "answer-hint-choice",
    "answer-hint-several",
    "answer-hint-date",
    "answer-hint-number",
    "answer-commands",
    "answer-dont-know",
    "answer-prefer-not",
    "answer-yes",
    "answer-no",
    "answer-none",
    "command-back",
    "command-why",
    "command-stop",
    "why-title",
    "why-serves",
    "why-provisions",
    "why-indicators",
    "why-indicator-only",
    "error-yesno",
    "error-date",
    "error-date-future",
    "error-number",
    "error-age",
    "error-option",
    "error-country",
    "error-script-line",
    "panel-title",
    "panel-established",
    "panel-indicated",
    "panel-open",
    "panel-none",
    "panel-reading-positive",
    "panel-reading-negative",
    "panel-reading-open",
    "panel-dimensions",
    "profile-title",
    "profile-positive",
    "profile-negative",
    "profile-open",
    "indicator-established",
    "done-nothing-more",
    "done-stopped",
    "done-saved",
    "done-summary",
];

/// An argument of a message: a piece of text, or a number (numbers choose plural forms).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Arg<'a> {
    /// Text shown as given (a file name, a value the person typed, a rendered list).
    Text(&'a str),
    /// A number: a count, a question number, a line number, an age. Counts must be passed as
    /// numbers, not as text, or plural forms cannot be chosen.
    Number(f64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(text: &'a str) -> Self {
        Arg::Text(text)
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(text: &'a String) -> Self {
        Arg::Text(text)
    }
}

macro_rules! arg_from_number {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg<'_> {
            fn from(n: $t) -> Self {
                // Counts and ages are far below 2^53, where every integer is exact.
                Arg::Number(n as f64)
            }
        }
    )*};
}
arg_from_number!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize, f32, f64);

/// What can go wrong when choosing a language or formatting a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum I18nError {
    /// The requested language is not one of [`Localizer::languages`].
    UnsupportedLanguage {
        /// The code that was asked for.
        requested: String,
    },
    /// An embedded resource does not parse or clashes with itself (a build defect).
    Resource {
        /// The language of the resource.
        lang: &'static str,
        /// What Fluent reported.
        detail: String,
    },
    /// The language has no message with this key.
    MissingKey {
        /// The language asked.
        lang: &'static str,
        /// The key asked for.
        key: String,
    },
    /// The message exists but did not format cleanly (for instance, an argument is missing).
    Format {
        /// The language asked.
        lang: &'static str,
        /// The key asked for.
        key: String,
        /// What Fluent reported.
        detail: String,
    },
}

impl fmt::Display for I18nError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            I18nError::UnsupportedLanguage { requested } => write!(
                f,
                "unsupported language `{requested}`: the supported languages are {}",
                LANGUAGES.join(", ")
            ),
            I18nError::Resource { lang, detail } => {
                write!(f, "the built-in `{lang}` translations are broken: {detail}")
            }
            I18nError::MissingKey { lang, key } => {
                write!(f, "no message `{key}` in the `{lang}` translations")
            }
            I18nError::Format { lang, key, detail } => {
                write!(f, "message `{key}` in `{lang}` did not format: {detail}")
            }
        }
    }
}

impl std::error::Error for I18nError {}

/// The messages of one language, ready to format. It is `Send` and `Sync`, so one localizer per
/// language can serve many interviews at once.
pub struct Localizer {
    lang: &'static str,
    bundle: FluentBundle<FluentResource>,
}

impl fmt::Debug for Localizer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Localizer")
            .field("lang", &self.lang)
            .finish_non_exhaustive()
    }
}

impl Localizer {
    /// The messages of `lang`, one of [`Localizer::languages`] (`en`, `ru`, `tg`). The code is
    /// matched without regard to case and surrounding spaces; anything else is an
    /// [`I18nError::UnsupportedLanguage`] whose message lists the supported languages.
    pub fn new(lang: &str) -> Result<Localizer, I18nError> {
        let wanted = lang.trim().to_ascii_lowercase();
        let (lang, sources) = SOURCES
            .iter()
            .copied()
            .find(|(code, _)| *code == wanted)
            .ok_or_else(|| I18nError::UnsupportedLanguage {
                requested: lang.to_owned(),
            })?;
        let resource_error = |detail: String| I18nError::Resource { lang, detail };
        let id: LanguageIdentifier = lang
            .parse()
            .map_err(|e| resource_error(format!("language identifier: {e}")))?;
        let mut bundle = FluentBundle::new_concurrent(vec![id]);
        // Unicode bidi isolation marks around arguments would litter a terminal.
        bundle.set_use_isolating(false);
        for (source, file) in sources.iter().zip(FILES) {
            let resource = FluentResource::try_new((*source).to_owned())
                .map_err(|(_, errors)| resource_error(format!("{file}: {errors:?}")))?;
            // A key defined twice, in one file or in two, is a defect of the build.
            bundle
                .add_resource(resource)
                .map_err(|errors| resource_error(format!("{file}: {errors:?}")))?;
        }
        Ok(Localizer { lang, bundle })
    }

    /// The supported language codes: `en`, `ru`, `tg`.
    pub fn languages() -> &'static [&'static str] {
        LANGUAGES
    }

    /// The language code of this localizer.
    pub fn lang(&self) -> &'static str {
        self.lang
    }

    /// The message `key` with its arguments, in this language. Never panics and never fails: a
    /// missing key comes back as `⟨key⟩`, and a missing argument shows as `{$name}`, so a defect
    /// is visible on screen instead of hiding a question. Use [`Localizer::format`] to detect
    /// such defects.
    pub fn text(&self, key: &str, args: &[(&str, Arg<'_>)]) -> String {
        match self.render(key, args) {
            Some((text, _)) => text,
            None => format!("⟨{key}⟩"),
        }
    }

    /// An indicator present, by its name, with the name of the conclusion of the law that
    /// established it when the law's answers did rather than an answer to the indicator. Both
    /// arrive already in this language.
    pub fn indicator_present(&self, indicator: &str, established_by: Option<&str>) -> String {
        match established_by {
            Some(conclusion) => self.text(
                "indicator-established",
                &[
                    ("indicator", Arg::Text(indicator)),
                    ("conclusion", Arg::Text(conclusion)),
                ],
            ),
            None => indicator.to_owned(),
        }
    }

    /// The message `key` with its arguments, failing on a missing key or on any formatting error
    /// (such as a missing argument).
    pub fn format(&self, key: &str, args: &[(&str, Arg<'_>)]) -> Result<String, I18nError> {
        match self.render(key, args) {
            None => Err(I18nError::MissingKey {
                lang: self.lang,
                key: key.to_owned(),
            }),
            Some((_, errors)) if !errors.is_empty() => Err(I18nError::Format {
                lang: self.lang,
                key: key.to_owned(),
                detail: errors.join("; "),
            }),
            Some((text, _)) => Ok(text),
        }
    }

    /// Whether this language has a message `key`.
    pub fn has(&self, key: &str) -> bool {
        self.bundle
            .get_message(key)
            .is_some_and(|m| m.value().is_some())
    }

    fn render(&self, key: &str, args: &[(&str, Arg<'_>)]) -> Option<(String, Vec<String>)> {
        let message = self.bundle.get_message(key)?;
        let pattern = message.value()?;
        let mut fluent_args = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            let value = match *value {
                Arg::Text(text) => FluentValue::from(text),
                Arg::Number(n) => FluentValue::from(n),
            };
            fluent_args.set(*name, value);
        }
        let mut errors = Vec::new();
        let text = self
            .bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors);
        let errors = errors.iter().map(ToString::to_string).collect();
        Some((text.into_owned(), errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn localizer_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Localizer>();
    }

    #[test]
    fn missing_key_is_marked() {
        let en = Localizer::new("en").unwrap();
        assert_eq!(en.text("no-such-key", &[]), "⟨no-such-key⟩");
        assert!(!en.has("no-such-key"));
        assert!(matches!(
            en.format("no-such-key", &[]),
            Err(I18nError::MissingKey { .. })
        ));
    }

    #[test]
    fn missing_argument_is_visible_but_does_not_panic() {
        let en = Localizer::new("en").unwrap();
        let text = en.text("done-saved", &[]);
        assert!(text.contains("$path"), "{text}");
        assert!(matches!(
            en.format("done-saved", &[]),
            Err(I18nError::Format { .. })
        ));
    }

    #[test]
    fn language_codes_are_matched_loosely() {
        assert_eq!(Localizer::new(" RU ").unwrap().lang(), "ru");
    }
}
