//! What the fuzz tests of every signed file share: random edits of a file's bytes, and random
//! JSON to put in its members.

use proptest::prelude::*;
use serde_json::Value;

/// One edit of a file.
#[derive(Debug, Clone)]
pub enum Edit {
    Replace(usize, u8),
    Insert(usize, u8),
    Delete(usize),
    Truncate(usize),
}

pub fn apply(bytes: &mut Vec<u8>, edit: &Edit) {
    let len = bytes.len();
    match *edit {
        Edit::Replace(at, b) if len > 0 => bytes[at % len] = b,
        Edit::Insert(at, b) => bytes.insert(at % (len + 1), b),
        Edit::Delete(at) if len > 0 => drop(bytes.remove(at % len)),
        Edit::Truncate(at) => bytes.truncate(at % (len + 1)),
        _ => {}
    }
}

pub fn edit() -> impl Strategy<Value = Edit> {
    // Bytes: anything, JSON white space (which may leave the content as it was), JSON punctuation.
    let byte = prop_oneof![
        4 => any::<u8>(),
        2 => prop::sample::select(b" \t\r\n".to_vec()),
        2 => prop::sample::select(b"{}[]:,\"\\0123456789-eE.tfn".to_vec()),
    ];
    prop_oneof![
        6 => (any::<usize>(), byte.clone()).prop_map(|(a, b)| Edit::Replace(a, b)),
        3 => (any::<usize>(), byte).prop_map(|(a, b)| Edit::Insert(a, b)),
        2 => any::<usize>().prop_map(Edit::Delete),
        1 => any::<usize>().prop_map(Edit::Truncate),
    ]
}

/// Any JSON value, numbers included of every kind, with strings and member names drawn also from
/// `words` (the format's own, so that some values come close to valid ones) and `names` (a
/// regular expression of member names).
pub fn json_value(words: Vec<&'static str>, names: &'static str) -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f)
            .map(Value::Number)),
        "[a-zA-Z0-9_ \\-+/=]{0,12}".prop_map(Value::String),
        prop::sample::select(words).prop_map(|s| Value::String(s.to_owned())),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(names, inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Whether every number in a document is an integer: no file of this app holds a float.
pub fn no_floats(v: &Value) -> bool {
    match v {
        Value::Number(n) => n.is_i64() || n.is_u64(),
        Value::Array(a) => a.iter().all(no_floats),
        Value::Object(m) => m.values().all(no_floats),
        _ => true,
    }
}

pub fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}
