//! What changed between two replies of a State, question by question, in the questionnaire's
//! order: answers given, taken back or changed; for text a word-level difference, for
//! repeatable questions the rows added, removed and changed. Both replies are first carried to
//! the current questionnaire version (`core::versions`), so a question renamed or split between
//! them is compared with what it became. Used by `art32 diff` and the app's comparison views.

use serde::Serialize;
use similar::{capture_diff_slices, Algorithm, ChangeTag, DiffOp, TextDiff};

use crate::core::answers::{Answer, Answers, Row};
use crate::core::cycle::{same, same_row};
use crate::core::model::Questionnaire;

/// One question whose answer differs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionDiff {
    pub section: &'static str,
    pub question: &'static str,
    #[serde(flatten)]
    pub change: Change,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    /// Answered now, not before.
    Added { new: Answer },
    /// Answered before, not now.
    Removed { old: Answer },
    /// Answered both times, differently.
    Changed {
        old: Answer,
        new: Answer,
        /// For text: the words kept, removed and added, in order.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        words: Vec<Words>,
        /// For repeatable questions: which rows changed.
        #[serde(skip_serializing_if = "Option::is_none")]
        rows: Option<Rows>,
    },
}

/// A run of words of a text difference (with the spaces between them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Words {
    Same(String),
    Removed(String),
    Added(String),
}

/// Rows of a repeatable question, by position (from 0) in the old and the new answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Rows {
    /// New rows: positions in the new answer.
    pub added: Vec<usize>,
    /// Rows gone: positions in the old answer.
    pub removed: Vec<usize>,
    /// Rows in the same place of the sequence whose fields changed: (old, new) positions.
    pub changed: Vec<(usize, usize)>,
}

/// The differences from `old` to `new`, both answers of questionnaire `q`.
pub fn diff(q: &Questionnaire, old: &Answers, new: &Answers) -> Vec<QuestionDiff> {
    let mut out = Vec::new();
    for section in q.sections {
        for question in section.questions {
            let id = question.id;
            let (a, b) = (old.get(id), new.get(id));
            if same(a, b) {
                continue;
            }
            let a = a.filter(|a| a.is_answered());
            let b = b.filter(|b| b.is_answered());
            let change = match (a, b) {
                (None, Some(b)) => Change::Added { new: b.clone() },
                (Some(a), None) => Change::Removed { old: a.clone() },
                (Some(a), Some(b)) => Change::Changed {
                    words: match (a, b) {
                        (Answer::Text(x), Answer::Text(y)) => words(x, y),
                        _ => Vec::new(),
                    },
                    rows: match (a, b) {
                        (Answer::Rows(x), Answer::Rows(y)) => Some(rows(x, y)),
                        _ => None,
                    },
                    old: a.clone(),
                    new: b.clone(),
                },
                (None, None) => continue,
            };
            out.push(QuestionDiff {
                section: section.id,
                question: id,
                change,
            });
        }
    }
    out
}

/// A word-level difference of two texts, runs of one kind merged.
pub fn words(old: &str, new: &str) -> Vec<Words> {
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Patience)
        .diff_words(old, new);
    let mut out: Vec<Words> = Vec::new();
    for change in diff.iter_all_changes() {
        let text = change.value();
        match (change.tag(), out.last_mut()) {
            (ChangeTag::Equal, Some(Words::Same(s)))
            | (ChangeTag::Delete, Some(Words::Removed(s)))
            | (ChangeTag::Insert, Some(Words::Added(s))) => s.push_str(text),
            (ChangeTag::Equal, _) => out.push(Words::Same(text.to_owned())),
            (ChangeTag::Delete, _) => out.push(Words::Removed(text.to_owned())),
            (ChangeTag::Insert, _) => out.push(Words::Added(text.to_owned())),
        }
    }
    out
}

/// Rows added, removed and changed, matched by their fields (a row's key is local to a draft):
/// a sequence difference of the rows, where a run replaced by a run pairs its rows in order as
/// changed and leaves the rest added or removed.
pub fn rows(old: &[Row], new: &[Row]) -> Rows {
    #[derive(PartialEq, Eq, Hash, PartialOrd, Ord)]
    struct Fields(String);
    let fields = |rows: &[Row]| -> Vec<Fields> {
        rows.iter()
            .map(|r| {
                let answered: Vec<_> = r.fields.iter().filter(|(_, a)| a.is_answered()).collect();
                Fields(serde_json::to_string(&answered).expect("answers serialize"))
            })
            .collect()
    };
    let (a, b) = (fields(old), fields(new));
    let mut out = Rows::default();
    for op in capture_diff_slices(Algorithm::Myers, &a, &b) {
        match op {
            DiffOp::Equal { .. } => {}
            DiffOp::Delete {
                old_index, old_len, ..
            } => out.removed.extend(old_index..old_index + old_len),
            DiffOp::Insert {
                new_index, new_len, ..
            } => out.added.extend(new_index..new_index + new_len),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                let paired = old_len.min(new_len);
                for i in 0..paired {
                    debug_assert!(!same_row(&old[old_index + i], &new[new_index + i]));
                    out.changed.push((old_index + i, new_index + i));
                }
                out.removed.extend(old_index + paired..old_index + old_len);
                out.added.extend(new_index + paired..new_index + new_len);
            }
        }
    }
    out
}
