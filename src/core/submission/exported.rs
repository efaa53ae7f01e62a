//! Answers as a submission writes them: [`Submitted`], the export shapes of `docs/submission-format.md`.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::core::validate::is_date;

use super::*;

/// One answer as it appears in a submission (see the format document for the JSON shapes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Submitted {
    /// text, long, email, phone, date, url: a non-empty string.
    Text(String),
    /// urls: the non-blank lines, trimmed; never empty.
    Lines(Vec<String>),
    /// single: `{"selected": "<option>"}`, with `"other"` when an "other" option is specified.
    Single {
        selected: String,
        other: Option<String>,
    },
    /// multi: `{"selected": ["a", "b"]}`, with `"other"` as for single; never empty.
    Multi {
        selected: Vec<String>,
        other: Option<String>,
    },
    /// number: an integer, or `null` for "no data".
    Number(Option<i64>),
    /// period: `{"from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}`.
    Period { from: String, to: String },
    /// confirm: `true`.
    Confirmed,
    /// group: one object per row, keyed by field id, holding the answered fields only.
    Rows(Vec<BTreeMap<String, Submitted>>),
}

impl Submitted {
    /// The JSON form written in a submission.
    pub fn to_json(&self) -> Value {
        let choice = |selected: Value, other: &Option<String>| {
            let mut m = Map::new();
            m.insert("selected".to_owned(), selected);
            if let Some(o) = other {
                m.insert("other".to_owned(), Value::String(o.clone()));
            }
            Value::Object(m)
        };
        match self {
            Submitted::Text(s) => Value::String(s.clone()),
            Submitted::Lines(lines) => {
                Value::Array(lines.iter().cloned().map(Value::String).collect())
            }
            Submitted::Single { selected, other } => choice(Value::String(selected.clone()), other),
            Submitted::Multi { selected, other } => choice(
                Value::Array(selected.iter().cloned().map(Value::String).collect()),
                other,
            ),
            Submitted::Number(Some(n)) => Value::from(*n),
            Submitted::Number(None) => Value::Null,
            Submitted::Period { from, to } => {
                let mut m = Map::new();
                m.insert("from".to_owned(), Value::String(from.clone()));
                m.insert("to".to_owned(), Value::String(to.clone()));
                Value::Object(m)
            }
            Submitted::Confirmed => Value::Bool(true),
            Submitted::Rows(rows) => Value::Array(
                rows.iter()
                    .map(|r| {
                        Value::Object(r.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
                    })
                    .collect(),
            ),
        }
    }

    /// Reads an answer from its JSON form; `None` if it has none of the export shapes.
    /// Rows cannot hold rows (groups are never nested).
    pub fn from_json(v: &Value, in_row: bool) -> Option<Submitted> {
        let text = |v: &Value| v.as_str().filter(|s| !s.is_empty()).map(str::to_owned);
        match v {
            Value::String(s) if !s.is_empty() => Some(Submitted::Text(s.clone())),
            Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_string) => items
                .iter()
                .map(text)
                .collect::<Option<Vec<_>>>()
                .map(Submitted::Lines),
            Value::Array(items) if !in_row && !items.is_empty() => items
                .iter()
                .map(|row| {
                    row.as_object()?
                        .iter()
                        .map(|(k, v)| Some((k.clone(), Submitted::from_json(v, true)?)))
                        .collect::<Option<BTreeMap<_, _>>>()
                })
                .collect::<Option<Vec<_>>>()
                .map(Submitted::Rows),
            Value::Object(m) if m.contains_key("selected") => {
                if m.keys().any(|k| k != "selected" && k != "other") {
                    return None;
                }
                let other = match m.get("other") {
                    None => None,
                    Some(o) => Some(text(o)?),
                };
                match m.get("selected")? {
                    Value::String(s) if !s.is_empty() => Some(Submitted::Single {
                        selected: s.clone(),
                        other,
                    }),
                    Value::Array(items) if !items.is_empty() => {
                        let selected = items.iter().map(text).collect::<Option<Vec<_>>>()?;
                        let unique: BTreeSet<&String> = selected.iter().collect();
                        (unique.len() == selected.len())
                            .then_some(Submitted::Multi { selected, other })
                    }
                    _ => None,
                }
            }
            Value::Object(m) if m.len() == 2 => {
                let from = m.get("from")?.as_str().filter(|d| is_date(d))?;
                let to = m.get("to")?.as_str().filter(|d| is_date(d))?;
                Some(Submitted::Period {
                    from: from.to_owned(),
                    to: to.to_owned(),
                })
            }
            Value::Number(n) => n
                .as_i64()
                .filter(|n| n.unsigned_abs() <= MAX_SAFE_INTEGER as u64)
                .map(|n| Submitted::Number(Some(n))),
            Value::Null => Some(Submitted::Number(None)),
            Value::Bool(true) => Some(Submitted::Confirmed),
            _ => None,
        }
    }
}

/// In serde, the export shape ([`Submitted::to_json`]); reading accepts exactly what
/// [`Submitted::from_json`] accepts for a question.
impl Serialize for Submitted {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Submitted {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Submitted, D::Error> {
        let v = Value::deserialize(deserializer)?;
        Submitted::from_json(&v, false)
            .ok_or_else(|| serde::de::Error::custom("not an answer in an export shape"))
    }
}
