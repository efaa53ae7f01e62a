//! The questionnaire's versions as data: `questionnaire/versions.json` declares, for each step
//! from one version to the next, which questions were renamed, split, merged or removed and
//! which had their options changed. [`migrate`] carries answers forward by those declarations
//! alone. It never deletes an answer: what it cannot carry stays where it was, under a question
//! id or an option id the new version no longer has (the form does not show it, the reply does
//! not export it, and validation asks for a choice again), and is returned ([`SetApart`]) to be
//! listed for the user.
//!
//! `questionnaire/CHANGES.md` says the same in words; `tests/versions.rs` compiles the
//! declarations to `src/core/versions_data.rs` and keeps them, the words and the definition in
//! step.

use serde::{Deserialize, Serialize};

use crate::core::answers::{Answer, Answers};

/// The history of the questionnaire's versions: `questionnaire/versions.json` compiled to Rust
/// statics (`src/core/versions_data.rs`, written by `tests/versions.rs`), so that the app never
/// parses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct History {
    pub questionnaire: &'static str,
    pub steps: &'static [Step],
}

/// What changed from version `from` to `from + 1`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub from: u32,
    pub changes: &'static [Change],
}

/// One declared change. A question not named by any change of a step keeps its id and meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The question has a new id; its answer moves there.
    Renamed {
        question: &'static str,
        to: &'static str,
    },
    /// One question became several. Its answer is copied to each of `answer_to` (questions of
    /// the same kind, which then need review); the others of `into` start unanswered.
    Split {
        question: &'static str,
        into: &'static [&'static str],
        answer_to: &'static [&'static str],
    },
    /// Several questions (texts) became one: their answers are joined, in the order given,
    /// separated by a blank line. An answer that is not a text is set apart.
    Merged {
        questions: &'static [&'static str],
        into: &'static str,
    },
    /// The question is no longer asked: its answer is set apart.
    Removed { question: &'static str },
    /// Options of a choice changed: `renamed` maps an old id to the new ones that replace it (one
    /// for a rename, several for a split); a selection of a `removed` option is set apart, and
    /// the rest of the answer stays.
    Options {
        question: &'static str,
        renamed: &'static [(&'static str, &'static [&'static str])],
        removed: &'static [&'static str],
    },
}

/// An answer, or a part of one, that a step could not carry: left where it was, to be listed.
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
    &super::versions_data::HISTORY
}

/// Carries answers given against version `from` to version `to` (not before) by the built-in
/// history; what cannot be carried is returned.
pub fn migrate(answers: &mut Answers, from: u32, to: u32) -> Vec<SetApart> {
    migrate_by(history().steps, answers, from, to)
}

/// [`migrate`] by the steps given.
pub fn migrate_by(steps: &[Step], answers: &mut Answers, from: u32, to: u32) -> Vec<SetApart> {
    let mut apart = Vec::new();
    for version in from..to {
        if let Some(step) = steps.iter().find(|s| s.from == version) {
            for change in step.changes {
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
    match *change {
        Change::Renamed { question, to } => {
            if let Some(a) = answers.0.remove(question) {
                answers.0.insert(to.to_owned(), a);
            }
        }
        Change::Split {
            question,
            answer_to,
            ..
        } => {
            if answer_to.is_empty() {
                if let Some(a) = answers.0.get(question) {
                    set_apart(question, a.clone(), Why::Split);
                }
            } else if let Some(a) = answers.0.remove(question) {
                for id in answer_to {
                    answers.0.insert((*id).to_owned(), a.clone());
                }
            }
        }
        Change::Merged { questions, into } => {
            let mut texts = Vec::new();
            for id in questions {
                match answers.0.get(*id) {
                    Some(Answer::Text(_)) => {
                        if let Some(Answer::Text(t)) = answers.0.remove(*id) {
                            if !t.trim().is_empty() {
                                texts.push(t);
                            }
                        }
                    }
                    Some(other) => set_apart(id, other.clone(), Why::NotMerged),
                    None => {}
                }
            }
            if !texts.is_empty() {
                answers
                    .0
                    .insert(into.to_owned(), Answer::Text(texts.join("\n\n")));
            }
        }
        Change::Removed { question } => {
            if let Some(a) = answers.0.get(question) {
                set_apart(question, a.clone(), Why::QuestionRemoved);
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
                if let Some((_, new)) = renamed.iter().find(|(old, _)| *old == s) {
                    for n in *new {
                        if !next.iter().any(|x| x == n) {
                            next.push((*n).to_owned());
                        }
                    }
                } else if removed.contains(&s.as_str()) {
                    // Stays selected: validation asks for a choice again.
                    gone.push(s.clone());
                    next.push(s);
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
    successors_by(history().steps, id, from, to)
}

/// [`successors`] by the steps given.
pub fn successors_by(steps: &[Step], id: &str, from: u32, to: u32) -> Vec<String> {
    let mut ids = vec![id.to_owned()];
    for version in from..to {
        let Some(step) = steps.iter().find(|s| s.from == version) else {
            continue;
        };
        let mut next: Vec<String> = Vec::new();
        for id in ids {
            let mut after: Vec<String> = vec![id.clone()];
            for change in step.changes {
                match *change {
                    Change::Renamed { question, to } if question == id => {
                        after = vec![to.to_owned()]
                    }
                    Change::Split { question, into, .. } if question == id => {
                        after = into.iter().map(|s| (*s).to_owned()).collect()
                    }
                    Change::Merged { questions, into } if questions.contains(&id.as_str()) => {
                        after = vec![into.to_owned()]
                    }
                    Change::Removed { question } if question == id => after = Vec::new(),
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
