//! The next cycle: a new reply started from the State's previous signed one. Every answer is
//! carried to the current questionnaire version (`core::versions`), what cannot be carried is set
//! apart, and the new reply remembers which file it came from ([`Previous`]), which its
//! submission declares in its `previous` member with the questions changed since
//! (`docs/submission-format.md`).

use serde::{Deserialize, Serialize};

use crate::core::answers::{Answer, Answers, Row};
use crate::core::model::Questionnaire;
use crate::core::submission::{self, ImportError, Timestamp, Verified};
use crate::core::versions::{migrate, SetApart};

/// A submission's `previous` member: the reply it was carried from, and what changed since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Previous {
    /// SHA-256 of the previous signed file, as received (64 lowercase hex digits).
    pub sha256: String,
    /// When it was signed (its `signature.signed_at`).
    pub signed_at: Timestamp,
    /// The questionnaire version it answered.
    pub questionnaire_version: u32,
    /// The questions whose answers differ from it (answered, changed or no longer answered), in
    /// the questionnaire's order.
    pub changed: Vec<String>,
}

/// A reply carried from a previous one, before anything is reviewed.
#[derive(Debug, Clone, PartialEq)]
pub struct Carried {
    /// The answers, in the current version; every one is carried, not yet reviewed.
    pub answers: Answers,
    /// What the versions in between could not carry: shown to the user, never dropped.
    pub set_apart: Vec<SetApart>,
    /// The file it came from (`changed` empty: nothing has changed yet).
    pub previous: Previous,
}

/// Carries a verified submission (`v`, whose file's SHA-256 is `sha256`) into the answers of a
/// new reply of questionnaire `q`.
pub fn carry(q: &Questionnaire, v: &Verified, sha256: &str) -> Result<Carried, ImportError> {
    let mut answers = submission::to_answers(q, v)?;
    let set_apart = migrate(&mut answers, v.questionnaire_version, q.version);
    Ok(Carried {
        answers,
        set_apart,
        previous: Previous {
            sha256: sha256.to_owned(),
            signed_at: v.signed_at.clone(),
            questionnaire_version: v.questionnaire_version,
            changed: Vec::new(),
        },
    })
}

/// The questions of `q` whose answer in `now` differs from the one in `before`, in order: an
/// answer given, changed or taken back. Blank answers count as none, and rows are compared by
/// their fields in order, not by their keys (which are local to a draft).
pub fn changed_since(q: &Questionnaire, before: &Answers, now: &Answers) -> Vec<String> {
    q.questions()
        .map(|it| it.question.id)
        .filter(|id| !same(before.get(id), now.get(id)))
        .map(str::to_owned)
        .collect()
}

/// Whether two answers say the same (see [`changed_since`]).
pub fn same(a: Option<&Answer>, b: Option<&Answer>) -> bool {
    let a = a.filter(|a| a.is_answered());
    let b = b.filter(|b| b.is_answered());
    match (a, b) {
        (None, None) => true,
        (Some(Answer::Rows(x)), Some(Answer::Rows(y))) => {
            x.len() == y.len() && x.iter().zip(y).all(|(r, s)| same_row(r, s))
        }
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

/// Whether two rows hold the same fields (keys aside).
pub fn same_row(a: &Row, b: &Row) -> bool {
    let answered = |r: &Row| {
        r.fields
            .iter()
            .filter(|(_, a)| a.is_answered())
            .map(|(k, a)| (k.clone(), a.clone()))
            .collect::<Vec<_>>()
    };
    answered(a) == answered(b)
}
