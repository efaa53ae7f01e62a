//! The questionnaire's versions as data: `questionnaire/versions.json` declares, for each step
//! from one version to the next, which questions were renamed, split, merged or removed and
//! which had their options changed. [`migrate`] carries answers forward by those declarations
//! alone, and returns what it could not carry ([`SetApart`]) rather than drop it.
//!
//! `questionnaire/CHANGES.md` says the same in words; `tests/versions.rs` keeps the two, and the
//! declarations and the definition, in step.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::core::answers::{Answer, Answers};

/// The history of the questionnaire's versions, as declared in `questionnaire/versions.json`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct History {
    pub questionnaire: String,
    pub steps: Vec<Step>,
}

/// What changed from version `from` to `from + 1`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub from: u32,
    pub changes: Vec<Change>,
}

/// One declared change. A question not named by any change of a step keeps its id and meaning.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case", deny_unknown_fields)]
pub enum Change {
    /// The question has a new id; its answer moves there.
    Renamed { question: String, to: String },
    /// One question became several. Its answer is copied to each of `answer_to` (questions of
    /// the same kind, which then need review); the others of `into` start unanswered.
    Split {
        question: String,
        into: Vec<String>,
        answer_to: Vec<String>,
    },
    /// Several questions (texts) became one: their answers are joined, in the order given,
    /// separated by a blank line. An answer that is not a text is set apart.
    Merged {
        questions: Vec<String>,
        into: String,
    },
    /// The question is no longer asked: its answer is set apart.
    Removed { question: String },
    /// Options of a choice changed: `renamed` maps an old id to the new ones that replace it (one
    /// for a rename, several for a split); a selection of a `removed` option is set apart, and
    /// the rest of the answer stays.
    Options {
        question: String,
        #[serde(default)]
        renamed: BTreeMap<String, Vec<String>>,
        #[serde(default)]
        removed: Vec<String>,
    },
}

/// An answer, or a part of one, that a step could not carry: kept, to be shown to the user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetApart {
    /// The question, by its id in version `version`.
    pub question: String,
    /// The version the answer was given for.
    pub version: u32,
    pub answer: Answer,
    pub why: Why,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Why {
    /// The question is no longer asked.
    QuestionRemoved,
    /// The options selected are no longer offered (the answer holds them only).
    OptionsRemoved,
    /// Not a text, so it could not be joined into the merged question.
    NotMerged,
    /// The question was split, and the declaration copies its answer to none of the new ones.
    Split,
}

/// The history of the built-in questionnaire.
pub fn history() -> &'static History {
    static HISTORY: OnceLock<History> = OnceLock::new();
    HISTORY.get_or_init(|| {
        serde_json::from_str(include_str!("../../questionnaire/versions.json"))
            .expect("questionnaire/versions.json is checked by tests/versions.rs")
    })
}

/// Carries answers given against version `from` to version `to` (not before) by the built-in
/// history; what cannot be carried is returned.
pub fn migrate(answers: &mut Answers, from: u32, to: u32) -> Vec<SetApart> {
    migrate_by(&history().steps, answers, from, to)
}

/// [`migrate`] by the steps given.
pub fn migrate_by(steps: &[Step], answers: &mut Answers, from: u32, to: u32) -> Vec<SetApart> {
    let mut apart = Vec::new();
    for version in from..to {
        if let Some(step) = steps.iter().find(|s| s.from == version) {
            for change in &step.changes {
                apply(change, version, answers, &mut apart);
            }
        }
    }
    apart
}

fn apply(change: &Change, version: u32, answers: &mut Answers, apart: &mut Vec<SetApart>) {
    let mut set_apart = |question: &str, answer: Answer, why: Why| {
        apart.push(SetApart {
            question: question.to_owned(),
            version,
            answer,
            why,
        })
    };
    match change {
        Change::Renamed { question, to } => {
            if let Some(a) = answers.0.remove(question) {
                answers.0.insert(to.clone(), a);
            }
        }
        Change::Split {
            question,
            answer_to,
            ..
        } => {
            if let Some(a) = answers.0.remove(question) {
                if answer_to.is_empty() {
                    set_apart(question, a, Why::Split);
                } else {
                    for id in answer_to {
                        answers.0.insert(id.clone(), a.clone());
                    }
                }
            }
        }
        Change::Merged { questions, into } => {
            let mut texts = Vec::new();
            for id in questions {
                match answers.0.remove(id) {
                    Some(Answer::Text(t)) if !t.trim().is_empty() => texts.push(t),
                    Some(Answer::Text(_)) | None => {}
                    Some(other) => set_apart(id, other, Why::NotMerged),
                }
            }
            if !texts.is_empty() {
                answers
                    .0
                    .insert(into.clone(), Answer::Text(texts.join("\n\n")));
            }
        }
        Change::Removed { question } => {
            if let Some(a) = answers.0.remove(question) {
                set_apart(question, a, Why::QuestionRemoved);
            }
        }
        Change::Options {
            question,
            renamed,
            removed,
        } => {
            let Some(Answer::Choice { selected, other }) = answers.0.get_mut(question) else {
                return;
            };
            let mut gone = Vec::new();
            let mut next: Vec<String> = Vec::with_capacity(selected.len());
            for s in selected.drain(..) {
                if let Some(new) = renamed.get(&s) {
                    for n in new {
                        if !next.contains(n) {
                            next.push(n.clone());
                        }
                    }
                } else if removed.contains(&s) {
                    gone.push(s);
                } else if !next.contains(&s) {
                    next.push(s);
                }
            }
            *selected = next;
            if !gone.is_empty() {
                let kept = Answer::Choice {
                    selected: gone,
                    other: other.clone(),
                };
                set_apart(question, kept, Why::OptionsRemoved);
            }
        }
    }
}

/// The ids, in version `to`, of the question `id` of version `from`: itself, or where renames,
/// splits (every new question) and merges took it; none if it was removed on the way.
pub fn successors(id: &str, from: u32, to: u32) -> Vec<String> {
    successors_by(&history().steps, id, from, to)
}

/// [`successors`] by the steps given.
pub fn successors_by(steps: &[Step], id: &str, from: u32, to: u32) -> Vec<String> {
    let mut ids = vec![id.to_owned()];
    for version in from..to {
        let Some(step) = steps.iter().find(|s| s.from == version) else {
            continue;
        };
        let mut next = Vec::new();
        for id in ids {
            let mut after = vec![id.clone()];
            for change in &step.changes {
                match change {
                    Change::Renamed { question, to } if *question == id => after = vec![to.clone()],
                    Change::Split { question, into, .. } if *question == id => after = into.clone(),
                    Change::Merged { questions, into } if questions.contains(&id) => {
                        after = vec![into.clone()]
                    }
                    Change::Removed { question } if *question == id => after = Vec::new(),
                    _ => {}
                }
            }
            for a in after {
                if !next.contains(&a) {
                    next.push(a);
                }
            }
        }
        ids = next;
    }
    ids
}
