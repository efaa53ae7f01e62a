//! Building a submission from a complete, valid reply, signing it, and the RFC 8785 form that is signed.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use ed25519_dalek::{Signer, SigningKey};

use serde_json::{Map, Value};

use crate::core::answers::{Answer, Answers};
use crate::core::model::{Kind, Questionnaire};
use crate::core::validate::{url_lines, validate, visible, Issue};

use super::*;

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
    sign_document(&unsigned.doc, secret, signed_at)
}

/// Signs any document of this app (a JSON object of strings, safe integers, booleans, null,
/// arrays and objects, without `signature`) as a submission is signed, and returns the text of
/// the file. Hand-off requests and parts (`core::handoff`) are signed with it.
pub fn sign_document(doc: &Map<String, Value>, secret: &[u8; 32], signed_at: &Timestamp) -> String {
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
    let mut doc = doc.clone();
    doc.insert("signature".to_owned(), Value::Object(signature));
    let mut doc = Value::Object(doc);
    let message = canonical(&doc)
        .expect("a document holds only strings, safe integers, booleans, null, arrays and objects");
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
