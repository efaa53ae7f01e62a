//! Signed submissions: the file a State sends to the secretariat.
//!
//! A submission is one JSON object holding the visible answers in export shapes (see
//! `docs/submission-format.md`, the contract with outside verifiers), signed with Ed25519 over the
//! RFC 8785 (JCS) canonical form of the whole object less `signature.value`.
//!
//! - [`build`] turns a complete, valid reply into an [`Unsigned`] submission;
//! - [`sign`] signs it and returns the file's text;
//! - [`verify`] checks a file's bytes and returns what it says ([`Verified`]) or why not ([`VerifyError`]);
//! - [`to_answers`] reads a verified submission back into [`Answers`] ("continue as a new draft").
//!
//! Nothing here panics on any input to [`verify`].

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::core::answers::{Answer, Answers, Row};
use crate::core::model::{Kind, Questionnaire};
use crate::core::validate::{is_date, url_lines, validate, visible, Issue};

/// Value of the `format` member.
pub const FORMAT: &str = "untoc-art32-submission";
/// Value of the `format_version` member this code writes and reads.
pub const FORMAT_VERSION: u64 = 1;
/// Value of `signature.algorithm`: pure Ed25519 (RFC 8032).
pub const ALGORITHM: &str = "Ed25519";
/// Value of `signature.canonicalization`: the JSON Canonicalization Scheme (RFC 8785).
pub const CANONICALIZATION: &str = "RFC8785";
/// The largest file [`verify`] reads, checked before parsing (8 MiB).
pub const MAX_SUBMISSION_BYTES: usize = 8 * 1024 * 1024;
/// The largest magnitude of an integer in a submission: 2^53 − 1, the I-JSON limit, so that every
/// number survives RFC 8785 canonicalization (which writes numbers as IEEE 754 doubles) unchanged.
pub const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;
/// The question whose answer names the reporting State.
pub const STATE_QUESTION: &str = "S1";

/// Top-level members, all required, no others allowed.
const MEMBERS: [&str; 9] = [
    "format",
    "format_version",
    "questionnaire",
    "state",
    "language",
    "answers",
    "generated_at",
    "app_version",
    "signature",
];
/// Members of `signature`, all required, no others allowed.
const SIGNATURE_MEMBERS: [&str; 6] = [
    "algorithm",
    "canonicalization",
    "public_key",
    "key_id",
    "signed_at",
    "value",
];

// ---------------------------------------------------------------------------------------------
// Timestamps, keys
// ---------------------------------------------------------------------------------------------

/// A UTC time written `YYYY-MM-DDTHH:MM:SSZ` (RFC 3339, UTC, whole seconds). In serde, the
/// string, checked on the way in.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Timestamp(String);

impl From<Timestamp> for String {
    fn from(t: Timestamp) -> String {
        t.0
    }
}

impl TryFrom<String> for Timestamp {
    type Error = String;
    fn try_from(s: String) -> Result<Timestamp, String> {
        Timestamp::parse(&s).ok_or_else(|| format!("not a UTC timestamp: {s:?}"))
    }
}

impl Timestamp {
    /// Accepts exactly `YYYY-MM-DDTHH:MM:SSZ` with a real date (years 1900–2199), hours 00–23,
    /// minutes 00–59 and seconds 00–60 (a leap second).
    pub fn parse(s: &str) -> Option<Timestamp> {
        let b = s.as_bytes();
        if b.len() != 20 || b[10] != b'T' || b[13] != b':' || b[16] != b':' || b[19] != b'Z' {
            return None;
        }
        let two = |i: usize| -> Option<u32> {
            let (x, y) = (b[i], b[i + 1]);
            (x.is_ascii_digit() && y.is_ascii_digit())
                .then(|| u32::from(x - b'0') * 10 + u32::from(y - b'0'))
        };
        let ok = is_date(s.get(..10)?)
            && two(11).is_some_and(|h| h < 24)
            && two(14).is_some_and(|m| m < 60)
            && two(17).is_some_and(|sec| sec <= 60);
        ok.then(|| Timestamp(s.to_owned()))
    }

    /// The time `secs` seconds after 1970-01-01T00:00:00Z (for callers holding a clock, such as
    /// `Date.now()` in the browser). `None` outside the years 1970–2199.
    pub fn from_unix_seconds(secs: i64) -> Option<Timestamp> {
        if secs < 0 {
            return None;
        }
        let days = secs / 86_400;
        let rem = secs % 86_400;
        // Civil date from days since the epoch (H. Hinnant's algorithm).
        let z = days + 719_468;
        let era = z / 146_097;
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        let text = format!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
            rem / 3_600,
            rem % 3_600 / 60,
            rem % 60
        );
        Timestamp::parse(&text)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The public key of a 32-byte Ed25519 secret key (seed).
pub fn public_key(secret: &[u8; 32]) -> [u8; 32] {
    SigningKey::from_bytes(secret).verifying_key().to_bytes()
}

/// The key id: lowercase hexadecimal SHA-256 of the 32 bytes of the public key.
pub fn key_id(public_key: &[u8; 32]) -> String {
    hex(&Sha256::digest(public_key))
}

/// A key id in groups of four characters separated by spaces, for reading aloud or comparing on
/// paper: `3f2a 9c01 …`.
pub fn group_key_id(key_id: &str) -> String {
    let chars: Vec<char> = key_id.chars().collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Lowercase hexadecimal.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// Whether `s` looks like a BCP 47 language tag: a primary subtag of 2–3 letters, then subtags
/// of 1–8 letters or digits separated by `-`, 35 characters at most (`en`, `zh-Hans`, `es-419`).
pub fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let primary = parts.next().unwrap_or("");
    s.len() <= 35
        && (2..=3).contains(&primary.len())
        && primary.bytes().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|c| c.is_ascii_alphanumeric()))
}

/// Whether `s` is three capital ASCII letters, like an ISO 3166-1 alpha-3 code (`FRA`) or `EUU`.
pub fn is_state_code(s: &str) -> bool {
    s.len() == 3 && s.bytes().all(|c| c.is_ascii_uppercase())
}

// ---------------------------------------------------------------------------------------------
// Answers as exported
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Building and signing
// ---------------------------------------------------------------------------------------------

/// Why a reply cannot be made into a submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuildError {
    /// The reply still has problems (missing or invalid answers); nothing incomplete is signed.
    NotReady(Vec<Issue>),
    /// The State (question S1) is not answered with a three-letter code.
    NoState,
    /// The language is not a BCP 47 tag.
    BadLanguage(String),
    /// The application version is empty.
    NoAppVersion,
    /// A number that is not within ±(2^53 − 1), the range every JSON reader keeps exactly.
    NumberOutOfRange {
        question: String,
        at: Option<(usize, String)>,
        value: String,
    },
    /// A number that is not a whole number.
    NotANumber {
        question: String,
        at: Option<(usize, String)>,
        value: String,
    },
    /// A stored answer whose shape does not fit its question's kind (an edited draft).
    WrongShape {
        question: String,
        at: Option<(usize, String)>,
    },
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let place = |question: &str, at: &Option<(usize, String)>| match at {
            None => question.to_owned(),
            Some((row, field)) => format!("{question}[{}].{field}", row + 1),
        };
        match self {
            BuildError::NotReady(issues) => {
                let mut open: Vec<&str> = issues.iter().map(|i| i.question.as_str()).collect();
                open.dedup();
                write!(f, "the reply is not complete: {} still to answer or correct", open.join(", "))
            }
            BuildError::NoState => write!(f, "question {STATE_QUESTION} (the State) is not answered with a three-letter code"),
            BuildError::BadLanguage(l) => write!(f, "{l:?} is not a BCP 47 language tag"),
            BuildError::NoAppVersion => write!(f, "the application version is empty"),
            BuildError::NumberOutOfRange { question, at, value } => write!(
                f,
                "{}: {value} is outside the range of numbers a submission can hold (±{MAX_SAFE_INTEGER})",
                place(question, at)
            ),
            BuildError::NotANumber { question, at, value } => write!(f, "{}: {value:?} is not a whole number", place(question, at)),
            BuildError::WrongShape { question, at } => {
                write!(f, "{}: the stored answer does not fit the question", place(question, at))
            }
        }
    }
}

impl std::error::Error for BuildError {}

/// A submission before signing: every member but `signature`. Only [`build`] makes one.
#[derive(Debug, Clone, PartialEq)]
pub struct Unsigned {
    doc: Map<String, Value>,
}

impl Unsigned {
    /// The members as JSON (for a preview).
    pub fn as_json(&self) -> &Map<String, Value> {
        &self.doc
    }

    /// The members, to hand to the signer ([`crate::core::signer`]), which signs them as they are.
    pub fn into_json(self) -> Map<String, Value> {
        self.doc
    }

    /// Members that [`build`] made, back from the signer's message.
    pub(crate) fn from_built(doc: Map<String, Value>) -> Unsigned {
        Unsigned { doc }
    }
}

/// Builds the unsigned submission of a complete, valid reply: the visible, answered questions in
/// export shapes, with the State (from S1), the language of the reply, the time it was generated
/// and the version of the application.
pub fn build(
    q: &Questionnaire,
    answers: &Answers,
    language: &str,
    generated_at: &Timestamp,
    app_version: &str,
) -> Result<Unsigned, BuildError> {
    if !is_language_tag(language) {
        return Err(BuildError::BadLanguage(language.to_owned()));
    }
    if app_version.is_empty() {
        return Err(BuildError::NoAppVersion);
    }
    let shown = visible(q, answers);
    let issues = validate(q, answers, &shown);
    if !issues.is_empty() {
        return Err(BuildError::NotReady(issues));
    }
    let mut exported = Map::new();
    for it in q.questions() {
        let question = it.question;
        if !shown.contains(question.id) {
            continue;
        }
        let Some(answer) = answers.get(question.id).filter(|a| a.is_answered()) else {
            continue;
        };
        if let Some(value) = export(q, &question.kind, answer, question.id, None)? {
            exported.insert(question.id.to_owned(), value.to_json());
        }
    }
    let state = match exported
        .get(STATE_QUESTION)
        .and_then(|v| Submitted::from_json(v, false))
    {
        Some(Submitted::Single { selected, .. }) if is_state_code(&selected) => selected,
        _ => return Err(BuildError::NoState),
    };
    let mut questionnaire = Map::new();
    questionnaire.insert("id".to_owned(), Value::String(q.id.to_owned()));
    questionnaire.insert("version".to_owned(), Value::from(q.version));
    let mut doc = Map::new();
    doc.insert("format".to_owned(), Value::String(FORMAT.to_owned()));
    doc.insert("format_version".to_owned(), Value::from(FORMAT_VERSION));
    doc.insert("questionnaire".to_owned(), Value::Object(questionnaire));
    doc.insert("state".to_owned(), Value::String(state));
    doc.insert("language".to_owned(), Value::String(language.to_owned()));
    doc.insert("answers".to_owned(), Value::Object(exported));
    doc.insert(
        "generated_at".to_owned(),
        Value::String(generated_at.as_str().to_owned()),
    );
    doc.insert(
        "app_version".to_owned(),
        Value::String(app_version.to_owned()),
    );
    Ok(Unsigned { doc })
}

/// One answer as it would be exported, for showing a reply that may not be complete (the print
/// view): `Ok(None)` when it says nothing, an error when it cannot be exported as it stands.
pub fn export_answer(
    q: &Questionnaire,
    kind: &Kind,
    answer: &Answer,
    question: &str,
) -> Result<Option<Submitted>, BuildError> {
    export(q, kind, answer, question, None)
}

/// One answer in its export shape; `None` when it says nothing (blank text, an empty row field).
fn export(
    q: &Questionnaire,
    kind: &Kind,
    answer: &Answer,
    question: &str,
    at: Option<(usize, String)>,
) -> Result<Option<Submitted>, BuildError> {
    if !answer.is_answered() {
        return Ok(None);
    }
    let wrong = || BuildError::WrongShape {
        question: question.to_owned(),
        at: at.clone(),
    };
    let out = match (kind, answer) {
        (Kind::Urls, Answer::Text(s)) => {
            Submitted::Lines(url_lines(s).map(|(_, l)| l.to_owned()).collect())
        }
        (
            Kind::Text | Kind::Long | Kind::Email | Kind::Phone | Kind::Date | Kind::Url,
            Answer::Text(s),
        ) => Submitted::Text(s.trim().to_owned()),
        (Kind::Single { .. } | Kind::Multi { .. }, Answer::Choice { selected, other }) => {
            let options = q.options(kind);
            // In the definition's order, once each, so the export does not depend on click order.
            let chosen: Vec<_> = options
                .iter()
                .filter(|o| selected.iter().any(|s| s == o.id))
                .collect();
            if chosen.len() != selected.iter().collect::<BTreeSet<_>>().len() {
                return Err(wrong());
            }
            let other = other.trim();
            let other =
                (chosen.iter().any(|o| o.other) && !other.is_empty()).then(|| other.to_owned());
            match kind {
                Kind::Single { .. } => match chosen.as_slice() {
                    [one] => Submitted::Single {
                        selected: one.id.to_owned(),
                        other,
                    },
                    _ => return Err(wrong()),
                },
                _ => Submitted::Multi {
                    selected: chosen.iter().map(|o| o.id.to_owned()).collect(),
                    other,
                },
            }
        }
        (Kind::Number { .. }, Answer::Number { no_data: true, .. }) => Submitted::Number(None),
        (Kind::Number { .. }, Answer::Number { value, .. }) => {
            let text = value.trim();
            let n: i64 = text.parse().map_err(|_| BuildError::NotANumber {
                question: question.to_owned(),
                at: at.clone(),
                value: text.to_owned(),
            })?;
            if n.unsigned_abs() > MAX_SAFE_INTEGER as u64 {
                return Err(BuildError::NumberOutOfRange {
                    question: question.to_owned(),
                    at,
                    value: text.to_owned(),
                });
            }
            Submitted::Number(Some(n))
        }
        (Kind::Period, Answer::Period { from, to }) => Submitted::Period {
            from: from.clone(),
            to: to.clone(),
        },
        (Kind::Confirm, Answer::Confirm(true)) => Submitted::Confirmed,
        (Kind::Group { .. }, Answer::Rows(rows)) => {
            let fields = q.fields(kind);
            let mut out = Vec::with_capacity(rows.len());
            for (idx, row) in rows.iter().enumerate() {
                let mut obj = BTreeMap::new();
                for (id, value) in &row.fields {
                    let Some(field) = fields.iter().find(|f| f.id == id) else {
                        return Err(BuildError::WrongShape {
                            question: question.to_owned(),
                            at: Some((idx, id.clone())),
                        });
                    };
                    if let Some(v) =
                        export(q, &field.kind, value, question, Some((idx, id.clone())))?
                    {
                        obj.insert(id.clone(), v);
                    }
                }
                out.push(obj);
            }
            Submitted::Rows(out)
        }
        _ => return Err(wrong()),
    };
    Ok(Some(out))
}

/// Signs a submission with a 32-byte Ed25519 secret key (the RFC 8032 seed) and returns the text
/// of the file: the RFC 8785 canonical form of the whole object, signature included.
pub fn sign(unsigned: &Unsigned, secret: &[u8; 32], signed_at: &Timestamp) -> String {
    let key = SigningKey::from_bytes(secret);
    let public = key.verifying_key().to_bytes();
    let mut signature = Map::new();
    signature.insert("algorithm".to_owned(), Value::String(ALGORITHM.to_owned()));
    signature.insert(
        "canonicalization".to_owned(),
        Value::String(CANONICALIZATION.to_owned()),
    );
    signature.insert(
        "public_key".to_owned(),
        Value::String(URL_SAFE_NO_PAD.encode(public)),
    );
    signature.insert("key_id".to_owned(), Value::String(key_id(&public)));
    signature.insert(
        "signed_at".to_owned(),
        Value::String(signed_at.as_str().to_owned()),
    );
    let mut doc = unsigned.doc.clone();
    doc.insert("signature".to_owned(), Value::Object(signature));
    let mut doc = Value::Object(doc);
    let message = canonical(&doc).expect(
        "a submission holds only strings, safe integers, booleans, null, arrays and objects",
    );
    let value = URL_SAFE_NO_PAD.encode(key.sign(&message).to_bytes());
    if let Some(Value::Object(sig)) = doc.get_mut("signature") {
        sig.insert("value".to_owned(), Value::String(value));
    }
    let text = canonical(&doc).expect("as above");
    String::from_utf8(text).expect("RFC 8785 output is UTF-8")
}

/// The RFC 8785 canonical form of a JSON value.
pub fn canonical(value: &Value) -> Result<Vec<u8>, String> {
    serde_json_canonicalizer::to_vec(value).map_err(|e| e.to_string())
}

// ---------------------------------------------------------------------------------------------
// Verifying
// ---------------------------------------------------------------------------------------------

/// What a valid submission says, once its signature is checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verified {
    /// Lowercase hexadecimal SHA-256 of the public key (checked against the key).
    pub key_id: String,
    pub public_key: [u8; 32],
    pub signed_at: Timestamp,
    pub generated_at: Timestamp,
    /// ISO 3166-1 alpha-3 code (or `EUU`).
    pub state: String,
    pub questionnaire_id: String,
    pub questionnaire_version: u32,
    /// BCP 47 tag of the language the reply was written in.
    pub language: String,
    pub app_version: String,
    /// The answers, by question id.
    pub answers: BTreeMap<String, Submitted>,
}

/// Why a file is not a valid signed submission. One variant per reason, so that an interface can
/// word each in its own language; [`fmt::Display`] gives the English sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyError {
    /// Larger than [`MAX_SUBMISSION_BYTES`]; checked before anything else.
    TooLarge { size: usize, limit: usize },
    /// Starts with a UTF-8 byte order mark, which the format forbids.
    ByteOrderMark,
    /// Not valid UTF-8; `offset` is the first bad byte.
    NotUtf8 { offset: usize },
    /// Not JSON (syntax error, truncated, too deeply nested); holds the parser's message.
    NotJson(String),
    /// An object holds the same member name twice (anywhere in the document).
    DuplicateMember(String),
    /// A number with a fraction or an exponent (or too large to be an integer): the format has
    /// integers only.
    FloatNumber,
    /// An integer outside ±(2^53 − 1).
    IntegerOutOfRange,
    /// The document is not a JSON object.
    NotAnObject,
    /// `format` is missing or is not `untoc-art32-submission`; holds what was found, as JSON.
    WrongFormat(String),
    /// `format_version` is not 1; holds what was found, as JSON.
    UnsupportedFormatVersion(String),
    /// A required top-level member is missing.
    MissingMember(String),
    /// A top-level member the format does not define.
    UnknownMember(String),
    /// A member has the wrong type or syntax (`member` is a path such as `signature.key_id`).
    InvalidMember {
        member: String,
        expected: &'static str,
    },
    /// A member of `signature` is missing.
    MissingSignatureMember(String),
    /// A member of `signature` the format does not define.
    UnknownSignatureMember(String),
    /// `signature.algorithm` is not `Ed25519`; holds what was found.
    WrongAlgorithm(String),
    /// `signature.canonicalization` is not `RFC8785`; holds what was found.
    WrongCanonicalization(String),
    /// Base64url with `=` padding, which the format forbids.
    Base64Padded { member: &'static str },
    /// Base64 of the standard alphabet (`+` or `/`) instead of the URL-safe one.
    Base64StandardAlphabet { member: &'static str },
    /// Not base64url (a character outside the alphabet, an impossible length, stray bits).
    Base64Invalid { member: &'static str },
    /// Base64url of the wrong number of bytes.
    WrongLength {
        member: &'static str,
        expected: usize,
        found: usize,
    },
    /// The 32 bytes are not an Ed25519 public key.
    InvalidPublicKey,
    /// `signature.key_id` is not the SHA-256 of the public key.
    KeyIdMismatch { stated: String, computed: String },
    /// An answer has none of the export shapes.
    InvalidAnswer(String),
    /// `state` does not match the answer to S1.
    StateMismatch { state: String },
    /// The signature does not match the content: the file was changed after signing, or signed
    /// with another key.
    SignatureInvalid,
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use VerifyError as E;
        match self {
            E::TooLarge { size, limit } => write!(f, "the file is too large ({size} bytes; the limit is {limit} bytes)"),
            E::ByteOrderMark => write!(f, "the file starts with a byte order mark (BOM), which a submission must not have"),
            E::NotUtf8 { offset } => write!(f, "the file is not UTF-8 text (invalid byte at offset {offset})"),
            E::NotJson(msg) => write!(f, "the file is not valid JSON ({msg})"),
            E::DuplicateMember(name) => write!(f, "the member name {name:?} appears twice in the same object"),
            E::FloatNumber => write!(f, "the file holds a number with a fraction or exponent; a submission holds integers only"),
            E::IntegerOutOfRange => write!(f, "the file holds an integer outside ±{MAX_SAFE_INTEGER}"),
            E::NotAnObject => write!(f, "the file is JSON but not an object"),
            E::WrongFormat(found) => write!(f, "this is not a signed Article 32 submission (format is {found}, expected \"{FORMAT}\")"),
            E::UnsupportedFormatVersion(found) => {
                write!(f, "unsupported format_version {found} (this tool reads version {FORMAT_VERSION})")
            }
            E::MissingMember(m) => write!(f, "the member {m:?} is missing"),
            E::UnknownMember(m) => write!(f, "unexpected member {m:?}"),
            E::InvalidMember { member, expected } => write!(f, "the member {member:?} is not valid: expected {expected}"),
            E::MissingSignatureMember(m) => write!(f, "the signature has no {m:?} member"),
            E::UnknownSignatureMember(m) => write!(f, "the signature has an unexpected member {m:?}"),
            E::WrongAlgorithm(a) => write!(f, "unsupported signature algorithm {a} (expected \"{ALGORITHM}\")"),
            E::WrongCanonicalization(c) => write!(f, "unsupported canonicalization {c} (expected \"{CANONICALIZATION}\")"),
            E::Base64Padded { member } => write!(f, "signature.{member} has base64 padding ('='), which the format forbids"),
            E::Base64StandardAlphabet { member } => {
                write!(f, "signature.{member} uses the standard base64 alphabet ('+' or '/'), not base64url")
            }
            E::Base64Invalid { member } => write!(f, "signature.{member} is not valid base64url"),
            E::WrongLength { member, expected, found } => {
                write!(f, "signature.{member} holds {found} bytes instead of {expected}")
            }
            E::InvalidPublicKey => write!(f, "signature.public_key is not a valid Ed25519 public key"),
            E::KeyIdMismatch { stated, computed } => {
                write!(f, "signature.key_id {stated} does not match the public key (its id is {computed})")
            }
            E::InvalidAnswer(q) => write!(f, "the answer to {q} is not in any of the submission's answer shapes"),
            E::StateMismatch { state } => write!(f, "state {state:?} does not match the answer to {STATE_QUESTION}"),
            E::SignatureInvalid => {
                write!(f, "the signature does not match: the file was changed after it was signed")
            }
        }
    }
}

impl std::error::Error for VerifyError {}

/// Checks a submission file and returns what it says.
///
/// In order: size, byte order mark, UTF-8, JSON syntax with no duplicate member names and only
/// safe integers, the envelope (format, members, signature members, base64url, key id), the
/// content (timestamps, State, language, answer shapes), and last the Ed25519 signature
/// (`verify_strict`) over the RFC 8785 form of the object less `signature.value`.
pub fn verify(bytes: &[u8]) -> Result<Verified, VerifyError> {
    if bytes.len() > MAX_SUBMISSION_BYTES {
        return Err(VerifyError::TooLarge {
            size: bytes.len(),
            limit: MAX_SUBMISSION_BYTES,
        });
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err(VerifyError::ByteOrderMark);
    }
    let text = std::str::from_utf8(bytes).map_err(|e| VerifyError::NotUtf8 {
        offset: e.valid_up_to(),
    })?;
    let mut doc = strict::parse(text)?;
    let Value::Object(top) = &doc else {
        return Err(VerifyError::NotAnObject);
    };

    // The envelope.
    match top.get("format") {
        Some(Value::String(s)) if s == FORMAT => {}
        other => return Err(VerifyError::WrongFormat(found(other))),
    }
    match top.get("format_version") {
        Some(v) if v.as_u64() == Some(FORMAT_VERSION) => {}
        other => return Err(VerifyError::UnsupportedFormatVersion(found(other))),
    }
    if let Some(m) = MEMBERS.iter().find(|m| !top.contains_key(**m)) {
        return Err(VerifyError::MissingMember((*m).to_owned()));
    }
    if let Some(m) = top.keys().find(|k| !MEMBERS.contains(&k.as_str())) {
        return Err(VerifyError::UnknownMember(m.clone()));
    }
    let Some(Value::Object(sig)) = top.get("signature") else {
        return Err(invalid("signature", "an object"));
    };
    if let Some(m) = SIGNATURE_MEMBERS.iter().find(|m| !sig.contains_key(**m)) {
        return Err(VerifyError::MissingSignatureMember((*m).to_owned()));
    }
    if let Some(m) = sig
        .keys()
        .find(|k| !SIGNATURE_MEMBERS.contains(&k.as_str()))
    {
        return Err(VerifyError::UnknownSignatureMember(m.clone()));
    }
    let sig_str = |m: &'static str| -> Result<&str, VerifyError> {
        sig.get(m)
            .and_then(Value::as_str)
            .ok_or_else(|| invalid(&format!("signature.{m}"), "a string"))
    };
    if sig_str("algorithm").ok() != Some(ALGORITHM) {
        return Err(VerifyError::WrongAlgorithm(found(sig.get("algorithm"))));
    }
    if sig_str("canonicalization").ok() != Some(CANONICALIZATION) {
        return Err(VerifyError::WrongCanonicalization(found(
            sig.get("canonicalization"),
        )));
    }
    let public: [u8; 32] = base64url::<32>(sig_str("public_key")?, "public_key")?;
    let signature: [u8; 64] = base64url::<64>(sig_str("value")?, "value")?;
    let stated = sig_str("key_id")?;
    if stated.len() != 64
        || !stated
            .bytes()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
    {
        return Err(invalid(
            "signature.key_id",
            "64 lowercase hexadecimal digits",
        ));
    }
    let computed = key_id(&public);
    if stated != computed {
        return Err(VerifyError::KeyIdMismatch {
            stated: stated.to_owned(),
            computed,
        });
    }
    let signed_at = timestamp(sig_str("signed_at")?, "signature.signed_at")?;

    // The content.
    let string = |m: &str| {
        top.get(m)
            .and_then(Value::as_str)
            .ok_or_else(|| invalid(m, "a string"))
    };
    let generated_at = timestamp(string("generated_at")?, "generated_at")?;
    let state = string("state")?;
    if !is_state_code(state) {
        return Err(invalid("state", "a three-letter code such as \"FRA\""));
    }
    let language = string("language")?;
    if !is_language_tag(language) {
        return Err(invalid("language", "a BCP 47 language tag such as \"en\""));
    }
    let app_version = string("app_version")?;
    if app_version.is_empty() {
        return Err(invalid("app_version", "a non-empty string"));
    }
    let (questionnaire_id, questionnaire_version) = match top.get("questionnaire") {
        Some(Value::Object(m)) if m.len() == 2 => {
            let id = m
                .get("id")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty());
            let version = m
                .get("version")
                .and_then(Value::as_u64)
                .and_then(|v| u32::try_from(v).ok());
            match (id, version) {
                (Some(id), Some(version)) => (id.to_owned(), version),
                _ => {
                    return Err(invalid(
                        "questionnaire",
                        "{\"id\": string, \"version\": integer}",
                    ))
                }
            }
        }
        _ => {
            return Err(invalid(
                "questionnaire",
                "{\"id\": string, \"version\": integer}",
            ))
        }
    };
    let Some(Value::Object(raw_answers)) = top.get("answers") else {
        return Err(invalid("answers", "an object keyed by question id"));
    };
    let mut answers = BTreeMap::new();
    for (id, v) in raw_answers {
        let a =
            Submitted::from_json(v, false).ok_or_else(|| VerifyError::InvalidAnswer(id.clone()))?;
        answers.insert(id.clone(), a);
    }
    match answers.get(STATE_QUESTION) {
        Some(Submitted::Single { selected, .. }) if selected == state => {}
        _ => {
            return Err(VerifyError::StateMismatch {
                state: state.to_owned(),
            })
        }
    }
    let (state, language, app_version) = (
        state.to_owned(),
        language.to_owned(),
        app_version.to_owned(),
    );

    // The signature, last: it is the one expensive check.
    let key = VerifyingKey::from_bytes(&public).map_err(|_| VerifyError::InvalidPublicKey)?;
    if let Some(Value::Object(sig)) = doc.get_mut("signature") {
        sig.remove("value");
    }
    let message = canonical(&doc).map_err(VerifyError::NotJson)?;
    key.verify_strict(&message, &Signature::from_bytes(&signature))
        .map_err(|_| VerifyError::SignatureInvalid)?;

    Ok(Verified {
        key_id: computed,
        public_key: public,
        signed_at,
        generated_at,
        state,
        questionnaire_id,
        questionnaire_version,
        language,
        app_version,
        answers,
    })
}

fn invalid(member: &str, expected: &'static str) -> VerifyError {
    VerifyError::InvalidMember {
        member: member.to_owned(),
        expected,
    }
}

/// What was found where a fixed value was expected, as JSON (short), or `(missing)`.
fn found(v: Option<&Value>) -> String {
    match v {
        None => "(missing)".to_owned(),
        Some(v) => {
            let text = v.to_string();
            if text.chars().count() > 60 {
                format!("{}…", text.chars().take(60).collect::<String>())
            } else {
                text
            }
        }
    }
}

fn timestamp(s: &str, member: &str) -> Result<Timestamp, VerifyError> {
    Timestamp::parse(s).ok_or_else(|| {
        invalid(
            member,
            "an RFC 3339 UTC time such as \"2026-11-27T10:15:00Z\"",
        )
    })
}

/// Strict base64url (RFC 4648 §5) without padding, of exactly `N` bytes.
fn base64url<const N: usize>(s: &str, member: &'static str) -> Result<[u8; N], VerifyError> {
    if s.contains('=') {
        return Err(VerifyError::Base64Padded { member });
    }
    if s.contains(['+', '/']) {
        return Err(VerifyError::Base64StandardAlphabet { member });
    }
    // The engine also rejects non-zero trailing bits, so each byte string has one encoding only.
    let bytes = URL_SAFE_NO_PAD
        .decode(s)
        .map_err(|_| VerifyError::Base64Invalid { member })?;
    <[u8; N]>::try_from(bytes.as_slice()).map_err(|_| VerifyError::WrongLength {
        member,
        expected: N,
        found: bytes.len(),
    })
}

/// A JSON parser that refuses what `serde_json` lets through silently: a member name repeated in
/// one object (serde_json keeps the last), numbers that are not safe integers.
mod strict {
    use std::cell::RefCell;
    use std::fmt;

    use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
    use serde_json::{Map, Value};

    use super::{VerifyError, MAX_SAFE_INTEGER};

    pub(super) fn parse(text: &str) -> Result<Value, VerifyError> {
        let trouble = RefCell::new(None);
        let mut de = serde_json::Deserializer::from_str(text);
        let result = Seed(&trouble)
            .deserialize(&mut de)
            .and_then(|v| de.end().map(|()| v));
        match (result, trouble.into_inner()) {
            (_, Some(reason)) => Err(reason),
            (Ok(v), None) => Ok(v),
            (Err(e), None) => Err(VerifyError::NotJson(e.to_string())),
        }
    }

    #[derive(Clone, Copy)]
    struct Seed<'a>(&'a RefCell<Option<VerifyError>>);

    impl Seed<'_> {
        fn fail<E: de::Error>(self, reason: VerifyError) -> E {
            let msg = reason.to_string();
            self.0.borrow_mut().get_or_insert(reason);
            E::custom(msg)
        }
    }

    impl<'de> DeserializeSeed<'de> for Seed<'_> {
        type Value = Value;
        fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
            d.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for Seed<'_> {
        type Value = Value;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON value")
        }
        fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
            Ok(Value::Bool(b))
        }
        fn visit_i64<E: de::Error>(self, n: i64) -> Result<Value, E> {
            if n.unsigned_abs() > MAX_SAFE_INTEGER as u64 {
                return Err(self.fail(VerifyError::IntegerOutOfRange));
            }
            Ok(Value::from(n))
        }
        fn visit_u64<E: de::Error>(self, n: u64) -> Result<Value, E> {
            if n > MAX_SAFE_INTEGER as u64 {
                return Err(self.fail(VerifyError::IntegerOutOfRange));
            }
            Ok(Value::from(n))
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Value, E> {
            Err(self.fail(VerifyError::FloatNumber))
        }
        fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
            Ok(Value::String(s.to_owned()))
        }
        fn visit_string<E: de::Error>(self, s: String) -> Result<Value, E> {
            Ok(Value::String(s))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
            let mut out = Vec::new();
            while let Some(v) = seq.next_element_seed(self)? {
                out.push(v);
            }
            Ok(Value::Array(out))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
            let mut out = Map::new();
            while let Some(key) = map.next_key::<String>()? {
                if out.contains_key(&key) {
                    return Err(self.fail(VerifyError::DuplicateMember(key)));
                }
                let v = map.next_value_seed(self)?;
                out.insert(key, v);
            }
            Ok(Value::Object(out))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Reading back, summaries
// ---------------------------------------------------------------------------------------------

/// Why a verified submission cannot be read back as answers of this questionnaire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// A submission for another questionnaire; holds its id.
    OtherQuestionnaire(String),
    /// Written for a newer version of the questionnaire than this app knows.
    NewerVersion(u32),
    /// An answer to a question this questionnaire does not have.
    UnknownQuestion(String),
    /// A row field the group does not have.
    UnknownField { question: String, field: String },
    /// An answer whose shape does not fit its question's kind.
    WrongShape {
        question: String,
        field: Option<String>,
    },
    /// An option the question does not offer.
    UnknownOption {
        question: String,
        field: Option<String>,
        option: String,
    },
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = |q: &str, field: &Option<String>| match field {
            Some(fd) => format!("{q}.{fd}"),
            None => q.to_owned(),
        };
        match self {
            ImportError::OtherQuestionnaire(id) => {
                write!(f, "the submission answers another questionnaire ({id})")
            }
            ImportError::NewerVersion(v) => write!(
                f,
                "the submission answers version {v} of the questionnaire, newer than this app"
            ),
            ImportError::UnknownQuestion(q) => write!(
                f,
                "the submission answers {q}, which this questionnaire does not have"
            ),
            ImportError::UnknownField { question, field } => {
                write!(f, "{question} has no field {field}")
            }
            ImportError::WrongShape { question, field } => write!(
                f,
                "the answer to {} does not fit the question",
                at(question, field)
            ),
            ImportError::UnknownOption {
                question,
                field,
                option,
            } => {
                write!(f, "{} has no option {option}", at(question, field))
            }
        }
    }
}

impl std::error::Error for ImportError {}

/// Reads a verified submission's answers back into draft answers: the inverse of the export
/// shapes (rows get keys 0, 1, 2 …; URL lists become one address per line; `null` becomes
/// "no data").
///
/// Option ids are checked only for a submission of this very questionnaire version: the answers of
/// an older version are returned as they are, to be put in a draft of that version so the draft
/// migrations bring them up to date.
pub fn to_answers(q: &Questionnaire, v: &Verified) -> Result<Answers, ImportError> {
    if v.questionnaire_id != q.id {
        return Err(ImportError::OtherQuestionnaire(v.questionnaire_id.clone()));
    }
    if v.questionnaire_version > q.version {
        return Err(ImportError::NewerVersion(v.questionnaire_version));
    }
    let check_options = v.questionnaire_version == q.version;
    let mut out = Answers::default();
    for (id, submitted) in &v.answers {
        let question = q
            .question(id)
            .ok_or_else(|| ImportError::UnknownQuestion(id.clone()))?
            .question;
        let answer = match (&question.kind, submitted) {
            (kind @ Kind::Group { .. }, Submitted::Rows(rows)) => {
                let fields = q.fields(kind);
                let mut out_rows = Vec::with_capacity(rows.len());
                for (key, row) in rows.iter().enumerate() {
                    let mut r = Row {
                        key: u32::try_from(key).unwrap_or(u32::MAX),
                        fields: Default::default(),
                    };
                    for (fid, value) in row {
                        let field = fields.iter().find(|f| f.id == fid).ok_or_else(|| {
                            ImportError::UnknownField {
                                question: id.clone(),
                                field: fid.clone(),
                            }
                        })?;
                        r.fields.insert(
                            fid.clone(),
                            import(q, &field.kind, value, id, Some(fid), check_options)?,
                        );
                    }
                    out_rows.push(r);
                }
                Answer::Rows(out_rows)
            }
            (kind, value) => import(q, kind, value, id, None, check_options)?,
        };
        out.0.insert(id.clone(), answer);
    }
    Ok(out)
}

fn import(
    q: &Questionnaire,
    kind: &Kind,
    value: &Submitted,
    question: &str,
    field: Option<&String>,
    check_options: bool,
) -> Result<Answer, ImportError> {
    let wrong = || ImportError::WrongShape {
        question: question.to_owned(),
        field: field.cloned(),
    };
    let choice = |selected: Vec<String>, other: &Option<String>| -> Result<Answer, ImportError> {
        if check_options {
            let options = q.options(kind);
            for s in &selected {
                if !options.iter().any(|o| o.id == s) {
                    return Err(ImportError::UnknownOption {
                        question: question.to_owned(),
                        field: field.cloned(),
                        option: s.clone(),
                    });
                }
            }
            let has_other = options
                .iter()
                .any(|o| o.other && selected.iter().any(|s| s == o.id));
            if other.is_some() && !has_other {
                return Err(wrong());
            }
        }
        Ok(Answer::Choice {
            selected,
            other: other.clone().unwrap_or_default(),
        })
    };
    match (kind, value) {
        (
            Kind::Text | Kind::Long | Kind::Email | Kind::Phone | Kind::Date | Kind::Url,
            Submitted::Text(s),
        ) => Ok(Answer::Text(s.clone())),
        (Kind::Urls, Submitted::Lines(lines)) => Ok(Answer::Text(lines.join("\n"))),
        (Kind::Single { .. }, Submitted::Single { selected, other }) => {
            choice(vec![selected.clone()], other)
        }
        (Kind::Multi { .. }, Submitted::Multi { selected, other }) => {
            choice(selected.clone(), other)
        }
        (Kind::Number { .. }, Submitted::Number(Some(n))) => Ok(Answer::Number {
            value: n.to_string(),
            no_data: false,
        }),
        (Kind::Number { .. }, Submitted::Number(None)) => Ok(Answer::Number {
            value: String::new(),
            no_data: true,
        }),
        (Kind::Period, Submitted::Period { from, to }) => Ok(Answer::Period {
            from: from.clone(),
            to: to.clone(),
        }),
        (Kind::Confirm, Submitted::Confirmed) => Ok(Answer::Confirm(true)),
        _ => Err(wrong()),
    }
}

/// One answered item of a submission as text: a question, or a field of one row of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The section the question belongs to; empty for a question this questionnaire does not have.
    pub section: String,
    /// `E8a`, or `E9[2].year` for a row field (rows counted from 1).
    pub question: String,
    /// The answer as text: option ids, `no data` for a number without data, `from/to` for a period.
    pub value: String,
}

/// Every answered item in questionnaire order (questions this questionnaire does not have come
/// last), group rows flattened field by field.
pub fn items(q: &Questionnaire, v: &Verified) -> Vec<Item> {
    let mut out = Vec::new();
    let known: Vec<(&str, &str, &Kind)> = q
        .questions()
        .map(|it| (it.section.id, it.question.id, &it.question.kind))
        .collect();
    let unknown = v
        .answers
        .keys()
        .filter(|id| !known.iter().any(|(_, k, _)| k == id));
    let order = known
        .iter()
        .map(|(s, id, kind)| (*s, *id, Some(*kind)))
        .chain(unknown.map(|id| ("", id.as_str(), None)));
    for (section, id, kind) in order {
        let Some(answer) = v.answers.get(id) else {
            continue;
        };
        let push = |out: &mut Vec<Item>, question: String, value: String| {
            out.push(Item {
                section: section.to_owned(),
                question,
                value,
            })
        };
        match answer {
            Submitted::Rows(rows) => {
                let fields = kind.map(|k| q.fields(k)).unwrap_or_default();
                for (n, row) in rows.iter().enumerate() {
                    // Fields in the definition's order, then any it does not know.
                    let mut ids: Vec<&String> = fields
                        .iter()
                        .filter_map(|f| row.get_key_value(f.id).map(|(k, _)| k))
                        .collect();
                    ids.extend(row.keys().filter(|k| !fields.iter().any(|f| &f.id == k)));
                    for fid in ids {
                        let fkind = fields.iter().find(|f| f.id == fid).map(|f| &f.kind);
                        let text = as_text(q, fkind, &row[fid]);
                        push(&mut out, format!("{id}[{}].{fid}", n + 1), text);
                    }
                }
            }
            other => push(&mut out, id.to_owned(), as_text(q, kind, other)),
        }
    }
    out
}

/// An answer as one line (or paragraph) of text.
fn as_text(q: &Questionnaire, kind: Option<&Kind>, a: &Submitted) -> String {
    // The "other" text replaces the id of the option it specifies, when the definition says which.
    let choice = |selected: &[String], other: &Option<String>| {
        let other_id = kind.and_then(|k| {
            q.options(k)
                .into_iter()
                .find(|o| o.other && selected.iter().any(|s| s == o.id))
        });
        let mut parts: Vec<String> = selected
            .iter()
            .map(|s| match (other, other_id) {
                (Some(text), Some(o)) if o.id == s => format!("{s}: {text}"),
                _ => s.clone(),
            })
            .collect();
        if let (Some(text), None) = (other, other_id) {
            parts.push(format!("other: {text}"));
        }
        parts.join("; ")
    };
    match a {
        Submitted::Text(s) => s.clone(),
        Submitted::Lines(lines) => lines.join("\n"),
        Submitted::Single { selected, other } => choice(std::slice::from_ref(selected), other),
        Submitted::Multi { selected, other } => choice(selected, other),
        Submitted::Number(Some(n)) => n.to_string(),
        Submitted::Number(None) => "no data".to_owned(),
        Submitted::Period { from, to } => format!("{from}/{to}"),
        Submitted::Confirmed => "true".to_owned(),
        Submitted::Rows(rows) => format!("{} rows", rows.len()),
    }
}

/// The number of answered questions per section of this questionnaire, in section order, and the
/// number of answers to questions it does not have.
pub fn answered_per_section(q: &Questionnaire, v: &Verified) -> (Vec<(String, usize)>, usize) {
    let per_section = q
        .sections
        .iter()
        .map(|s| {
            (
                s.id.to_owned(),
                s.questions
                    .iter()
                    .filter(|x| v.answers.contains_key(x.id))
                    .count(),
            )
        })
        .collect();
    let unknown = v
        .answers
        .keys()
        .filter(|id| q.question(id).is_none())
        .count();
    (per_section, unknown)
}
