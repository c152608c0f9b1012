//! JSON read with each key of an object given once. serde_json, like most readers, keeps the
//! last of two values given under one key and drops the other without a word; a case that says
//! two things about one key is refused instead, at the second, as the YAML reader does
//! ([`crate::yaml::load`]). Used where a case is read as JSON without the located reader: the
//! lines of a JSON Lines import, the facts of a journey read by serde, and (through
//! [`unique_value`]) a case inside a larger JSON text.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::collections::BTreeMap;
use std::fmt;

/// The start of the message of a key given twice, to tell it from serde_json's own errors.
const GIVEN_TWICE: &str = "duplicate key ";

/// Why a text is not read as JSON.
#[derive(Debug)]
pub enum JsonError {
    /// An object gives `key` twice; `line` and `column` (from 1, in characters) are where the
    /// second one starts.
    Duplicate {
        key: String,
        line: usize,
        column: usize,
    },
    /// Not JSON, as serde_json says.
    Syntax(serde_json::Error),
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonError::Duplicate { key, line, column } => write!(
                f,
                "duplicate key `{key}` at line {line} column {column}: the object gives it twice"
            ),
            JsonError::Syntax(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for JsonError {}

/// Reads `text` as one JSON value, refusing an object that gives a key twice. Objects and
/// arrays nest at most as deep as serde_json reads (127 levels, as
/// [`crate::limits::MAX_CASE_DEPTH`]).
pub fn from_str(text: &str) -> Result<Value, JsonError> {
    match serde_json::from_str::<Unique>(text) {
        Ok(Unique(v)) => Ok(v),
        Err(e) if e.is_data() && e.to_string().starts_with(GIVEN_TWICE) => {
            Err(duplicate(text, &e).unwrap_or(JsonError::Syntax(e)))
        }
        Err(e) => Err(JsonError::Syntax(e)),
    }
}

/// The key given twice and where it starts: serde_json stops just past it (and any space
/// after it), from where the key's opening quote is found back.
fn duplicate(text: &str, e: &serde_json::Error) -> Option<JsonError> {
    let line_start = if e.line() <= 1 {
        0
    } else {
        text.match_indices('\n').nth(e.line() - 2)?.0 + 1
    };
    let bytes = text.as_bytes();
    let mut end = (line_start + e.column()).min(bytes.len());
    while end > line_start && bytes[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    if end == line_start || bytes[end - 1] != b'"' {
        return None;
    }
    // Back to the first quote not escaped: a JSON string holds no other.
    let mut start = end - 1;
    loop {
        start = text[line_start..start].rfind('"')? + line_start;
        let backslashes = bytes[line_start..start]
            .iter()
            .rev()
            .take_while(|b| **b == b'\\')
            .count();
        if backslashes % 2 == 0 {
            break;
        }
    }
    let key: String = serde_json::from_str(&text[start..end]).ok()?;
    Some(JsonError::Duplicate {
        key,
        line: e.line(),
        column: text[line_start..start].chars().count() + 1,
    })
}

/// A JSON value whose objects give each key once.
struct Unique(Value);

impl<'de> Deserialize<'de> for Unique {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(UniqueVisitor).map(Unique)
    }
}

struct UniqueVisitor;

impl<'de> Visitor<'de> for UniqueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, i: i64) -> Result<Value, E> {
        Ok(Value::Number(i.into()))
    }

    fn visit_u64<E>(self, u: u64) -> Result<Value, E> {
        Ok(Value::Number(u.into()))
    }

    fn visit_f64<E>(self, x: f64) -> Result<Value, E> {
        Ok(Number::from_f64(x).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_string()))
    }

    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Unique::deserialize(d).map(|u| u.0)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(Unique(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(de::Error::custom(format!("{GIVEN_TWICE}`{key}`")));
            }
            let Unique(v) = map.next_value()?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

/// A JSON value whose objects give each key once, for `#[serde(deserialize_with)]` on a field
/// of type [`Value`] read straight from text (a request's body): a key given twice is an
/// error ("duplicate key …"), where `Value` would keep the last.
pub fn unique_value<'de, D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
    Unique::deserialize(d).map(|u| u.0)
}

/// The facts of a person or an event, each fact named once, and each object in a fact's
/// value giving each key once (for `#[serde(deserialize_with)]`).
pub(crate) fn unique_facts<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, Value>, D::Error> {
    struct Facts;
    impl<'de> Visitor<'de> for Facts {
        type Value = BTreeMap<String, Value>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a mapping of fact names to values")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some(key) = map.next_key::<String>()? {
                if out.contains_key(&key) {
                    return Err(de::Error::custom(format!("{GIVEN_TWICE}`{key}`")));
                }
                let Unique(v) = map.next_value()?;
                out.insert(key, v);
            }
            Ok(out)
        }
    }
    d.deserialize_map(Facts)
}
