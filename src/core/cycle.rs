//! The next cycle: a new reply started from the State's previous signed one. Every answer is
//! carried to the current questionnaire version (`core::versions`), what cannot be carried is set
//! apart, and the new reply remembers which file it came from ([`Previous`]), which its
//! submission declares in its `previous` member with the questions changed since
//! (`docs/submission-format.md`).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::core::answers::{Answer, Answers, Row};
use crate::core::model::Questionnaire;
use crate::core::submission::{self, ImportError, Timestamp, Verified};
use crate::core::versions::{self, migrate, SetApart};

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

/// Carries a verified submission into the answers of a new reply of questionnaire `q`.
pub fn carry(q: &Questionnaire, v: &Verified) -> Result<Carried, ImportError> {
    let mut answers = submission::to_answers(q, v)?;
    let set_apart = migrate(&mut answers, v.questionnaire_version, q.version);
    Ok(Carried {
        answers,
        set_apart,
        previous: Previous {
            sha256: v.sha256.clone(),
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

/// What a draft started from a previous reply remembers of it (kept in the draft as JSON,
/// `Draft::cycle`): the file it came from, its answers as carried (to tell what changed since),
/// the questions the user declared still correct, and what the versions in between could not
/// carry. Its answers are the carried ones, then the user's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Carry {
    /// The questionnaire version `before` and `reviewed` are in (a draft kept across an upgrade
    /// is migrated when read: [`Carry::migrate`]).
    pub version: u32,
    /// The file it came from; `changed` is filled at export.
    pub previous: Previous,
    /// The previous reply's answers, carried to `version`.
    pub before: Answers,
    /// Carried answers declared still correct, by question id.
    #[serde(default)]
    pub reviewed: BTreeSet<String>,
    /// What could not be carried: listed, never dropped.
    #[serde(default)]
    pub set_apart: Vec<SetApart>,
}

/// Where a question of a carried reply stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Answered otherwise than in the previous reply (given, changed or taken back): editing a
    /// carried answer reviews it.
    Changed,
    /// Carried unchanged, and declared still correct.
    Reviewed,
    /// Carried unchanged, not yet reviewed.
    NotReviewed,
}

impl Carry {
    /// The state of a draft just carried: nothing reviewed.
    pub fn new(q: &Questionnaire, carried: &Carried) -> Carry {
        Carry {
            version: q.version,
            previous: carried.previous.clone(),
            before: carried.answers.clone(),
            reviewed: BTreeSet::new(),
            set_apart: carried.set_apart.clone(),
        }
    }

    /// Carries `before` and `reviewed` to `q`'s version, as the draft's answers were; what a
    /// step sets apart joins the list. A reviewed question stays reviewed under its new ids.
    pub fn migrate(&mut self, q: &Questionnaire) {
        let (from, to) = (self.version, q.version);
        if from >= to {
            return;
        }
        let apart = migrate(&mut self.before, from, to);
        self.set_apart.extend(apart);
        self.reviewed = std::mem::take(&mut self.reviewed)
            .iter()
            .flat_map(|id| versions::successors(id, from, to))
            .collect();
        self.version = to;
    }

    /// Where question `id` stands, its answer being `now`; `None` if it was not answered then
    /// and is not now.
    pub fn status(&self, id: &str, now: Option<&Answer>) -> Option<Status> {
        let before = self.before.get(id).filter(|a| a.is_answered());
        if !same(before, now) {
            Some(Status::Changed)
        } else if before.is_none() {
            None
        } else if self.reviewed.contains(id) {
            Some(Status::Reviewed)
        } else {
            Some(Status::NotReviewed)
        }
    }

    /// The carried answers of the questions `shown` not yet reviewed, in the questionnaire's
    /// order (hidden questions do not count, as for what is still to answer).
    pub fn not_reviewed(
        &self,
        q: &Questionnaire,
        now: &Answers,
        shown: impl Fn(&str) -> bool,
    ) -> Vec<&'static str> {
        q.questions()
            .map(|it| it.question.id)
            .filter(|id| shown(id))
            .filter(|id| self.status(id, now.get(id)) == Some(Status::NotReviewed))
            .collect()
    }

    /// Declares the answers of `ids` still correct.
    pub fn review<'a>(&mut self, ids: impl IntoIterator<Item = &'a str>) {
        self.reviewed.extend(ids.into_iter().map(str::to_owned));
    }

    /// The submission's `previous` member for a reply whose exported answers are `exported` (the
    /// questions it answers, shown and answered).
    pub fn previous_of(&self, q: &Questionnaire, exported: &Answers) -> Previous {
        Previous {
            changed: changed_since(q, &self.before, exported),
            ..self.previous.clone()
        }
    }
}

/// The questions of version `to` that version `from` did not ask (the new ones of splits and
/// merges on the way), in the order declared.
pub fn new_questions(from: u32, to: u32) -> Vec<&'static str> {
    let mut ids: Vec<&'static str> = Vec::new();
    for step in versions::history().steps {
        if step.from < from || step.from >= to {
            continue;
        }
        for change in step.changes {
            let (old, new): (&[&str], &[&'static str]) = match change {
                versions::Change::Split { question, into, .. } => {
                    (std::slice::from_ref(question), into)
                }
                versions::Change::Merged { questions, into } => {
                    (questions, std::slice::from_ref(into))
                }
                versions::Change::Renamed { .. }
                | versions::Change::Removed { .. }
                | versions::Change::Options { .. } => continue,
            };
            for id in new {
                if !old.contains(id) && !ids.contains(id) {
                    ids.push(id);
                }
            }
        }
    }
    ids
}
