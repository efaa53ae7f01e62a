//! Answers, keyed by question id, as kept in a draft.
//!
//! The maps are [`LiteMap`]s, sorted `Vec`s of pairs: they serialize as a `BTreeMap` does (an
//! object with its keys in order), and their code is a binary search and a `Vec` insert, where a
//! `BTreeMap`'s node balancing costs several KB of wasm per key and value type. A reply has
//! about a hundred answers, a row a dozen fields.

use litemap::LiteMap;
use serde::{Deserialize, Serialize};

/// All answers of one reply. Answers to hidden questions stay here; they are only left out of
/// completeness (and, later, of the exported submission).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Answers(
    #[serde(serialize_with = "write_answers", deserialize_with = "read_answers")]
    pub  LiteMap<String, Answer>,
);

/// One answer. The representation is the draft's storage format: change it only with a migration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// Text, long text, URL list (one per line), URL, date (`YYYY-MM-DD`), email, phone.
    Text(String),
    /// Single or multiple choice; `other` is the "please specify" text.
    Choice {
        selected: Vec<String>,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        other: String,
    },
    /// A whole number as typed (ASCII digits, optional minus), or "no data".
    Number {
        #[serde(default)]
        value: String,
        #[serde(default)]
        no_data: bool,
    },
    Period {
        from: String,
        to: String,
    },
    Confirm(bool),
    Rows(Vec<Row>),
}

/// One row of a repeatable group. `key` is stable for the row's life (for the UI and for undo),
/// unrelated to its position.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub key: u32,
    #[serde(serialize_with = "write_answers", deserialize_with = "read_answers")]
    pub fields: LiteMap<String, Answer>,
}

impl Answer {
    /// Whether the answer says something: blank text, no selection, an empty number or an
    /// unticked box are not answers.
    pub fn is_answered(&self) -> bool {
        match self {
            Answer::Text(s) => !s.trim().is_empty(),
            Answer::Choice { selected, .. } => !selected.is_empty(),
            Answer::Number { value, no_data } => *no_data || !value.trim().is_empty(),
            Answer::Period { from, to } => !from.is_empty() || !to.is_empty(),
            Answer::Confirm(b) => *b,
            Answer::Rows(rows) => !rows.is_empty(),
        }
    }

    /// Whether there is nothing at all to keep (unlike [`Answer::is_answered`], spaces and an
    /// unchosen "other" text are kept, so typing is never undone under the user's fingers).
    pub fn is_empty(&self) -> bool {
        match self {
            Answer::Text(s) => s.is_empty(),
            Answer::Choice { selected, other } => selected.is_empty() && other.is_empty(),
            Answer::Number { value, no_data } => !*no_data && value.is_empty(),
            Answer::Period { from, to } => from.is_empty() && to.is_empty(),
            Answer::Confirm(b) => !*b,
            Answer::Rows(rows) => rows.is_empty(),
        }
    }

    pub fn text(&self) -> &str {
        match self {
            Answer::Text(s) => s,
            _ => "",
        }
    }

    pub fn selected(&self) -> &[String] {
        match self {
            Answer::Choice { selected, .. } => selected,
            _ => &[],
        }
    }

    pub fn rows(&self) -> &[Row] {
        match self {
            Answer::Rows(rows) => rows,
            _ => &[],
        }
    }
}

impl Answers {
    pub fn get(&self, id: &str) -> Option<&Answer> {
        self.0.get(id)
    }

    /// The rows of a group question, to change in place (none while it has no rows).
    pub fn rows_mut(&mut self, id: &str) -> Option<&mut Vec<Row>> {
        match self.0.get_mut(id) {
            Some(Answer::Rows(rows)) => Some(rows),
            _ => None,
        }
    }

    /// Sets an answer; an empty one is removed rather than stored.
    pub fn set(&mut self, id: &str, answer: Answer) {
        if answer.is_empty() {
            self.0.remove(id);
        } else {
            self.0.insert(id.to_owned(), answer);
        }
    }
}

impl Row {
    pub fn field(&self, id: &str) -> Option<&Answer> {
        self.fields.get(id)
    }

    /// Sets a field; an empty answer is removed rather than stored.
    pub fn set(&mut self, id: &str, answer: Answer) {
        if answer.is_empty() {
            self.fields.remove(id);
        } else {
            self.fields.insert(id.to_owned(), answer);
        }
    }
}

/// Writes answers by id as an object, as a `BTreeMap` does, in id order. `LiteMap`'s own writer
/// writes an empty map as `[]`.
fn write_answers<S: serde::Serializer>(
    answers: &LiteMap<String, Answer>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_map(answers.iter())
}

/// Reads answers by id from an object, as a `BTreeMap` does (a repeated id: the last one wins).
/// `LiteMap`'s own reader also takes an array of pairs, through serde's generic path, which
/// costs several KB of wasm for each type it reads.
fn read_answers<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<LiteMap<String, Answer>, D::Error> {
    struct Entries;
    impl<'de> serde::de::Visitor<'de> for Entries {
        type Value = LiteMap<String, Answer>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an object of answers by id")
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut answers = LiteMap::new();
            while let Some((id, answer)) = map.next_entry::<String, Answer>()? {
                // In order (as written), appended; else put in its place.
                if let Some((id, answer)) = answers.try_append(id, answer) {
                    answers.insert(id, answer);
                }
            }
            Ok(answers)
        }
    }
    deserializer.deserialize_map(Entries)
}

/// The key for a new row: one more than any key in use.
pub fn next_row_key(rows: &[Row]) -> u32 {
    rows.iter().map(|r| r.key + 1).max().unwrap_or(0)
}

/// A set of ids (questions shown, controls left), as a sorted `Vec` like the maps above.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdSet<T>(LiteMap<T, ()>);

impl<T> IdSet<T> {
    /// The empty set, in a `const` (a thread-local with no code to start it).
    pub const fn new() -> IdSet<T> {
        IdSet(LiteMap::new_vec())
    }
}

impl<T: Ord> IdSet<T> {
    /// Adds an id; whether it was new.
    pub fn insert(&mut self, id: T) -> bool {
        self.0.insert(id, ()).is_none()
    }

    pub fn contains<Q: Ord + ?Sized>(&self, id: &Q) -> bool
    where
        T: std::borrow::Borrow<Q>,
    {
        self.0.contains_key(id)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }

    /// The ids, in order.
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.0.keys()
    }
}
