//! The three-way merge of a part into a reply, question by question against the base that was
//! handed out, and row by row (by stable row key) within repeatable questions.
//!
//! For each question: if only one side changed it since the base, that side's answer stands; if
//! both changed it alike, that answer stands; if both changed it differently, the question is a
//! [`Conflict`] and the reply keeps its own answer until a person chooses. Nothing either side
//! gave is ever dropped without a conflict saying so.

use crate::core::answers::{next_row_key, Answer, Answers, Row};

/// What the merge did with one question.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The contributor's answer was taken (the reply had not changed it since the hand-out).
    Taken,
    /// The reply's answer stays: the contributor did not change it, or gave the same.
    Kept,
    /// Both changed it differently: a person chooses.
    Conflict(Conflict),
}

/// Two answers to one question that the merge will not choose between. `None` is "no answer"
/// (one side cleared it, or deleted every row).
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub question: String,
    /// The reply's answer (kept in the reply meanwhile). For a repeatable question: the rows
    /// merged, every conflicting row as the reply has it.
    pub ours: Option<Answer>,
    /// The contributor's. For a repeatable question: the same rows, every conflicting row as the
    /// contributor has it.
    pub theirs: Option<Answer>,
}

/// The merge of a part: the reply's new answers (conflicts keep the reply's side) and what
/// happened to each question the part could change.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    pub answers: Answers,
    /// By question, in the order of `questions` given to [`merge`].
    pub outcomes: Vec<(String, Outcome)>,
}

impl Merged {
    pub fn conflicts(&self) -> impl Iterator<Item = &Conflict> {
        self.outcomes.iter().filter_map(|(_, o)| match o {
            Outcome::Conflict(c) => Some(c),
            _ => None,
        })
    }

    /// How many questions ended each way: (taken, kept, conflicts).
    pub fn counts(&self) -> (usize, usize, usize) {
        self.outcomes
            .iter()
            .fold((0, 0, 0), |(t, k, c), (_, o)| match o {
                Outcome::Taken => (t + 1, k, c),
                Outcome::Kept => (t, k + 1, c),
                Outcome::Conflict(_) => (t, k, c + 1),
            })
    }
}

/// Merges `theirs` (a part's answers) into `ours` (the reply) for `questions`, against `base`
/// (what was handed out). Questions outside `questions` are left as `ours` has them.
pub fn merge(ours: &Answers, base: &Answers, theirs: &Answers, questions: &[String]) -> Merged {
    let mut answers = ours.clone();
    let mut outcomes = Vec::with_capacity(questions.len());
    for id in questions {
        let (o, b, t) = (given(ours, id), given(base, id), given(theirs, id));
        let outcome = match (o, b, t) {
            (Some(Answer::Rows(o)), b, Some(Answer::Rows(t))) => {
                let b = match b {
                    Some(Answer::Rows(b)) => b.as_slice(),
                    _ => &[],
                };
                merge_rows(&mut answers, id, o, b, t)
            }
            _ if t == b || t == o => Outcome::Kept,
            _ if o == b => {
                set(&mut answers, id, t.cloned());
                Outcome::Taken
            }
            _ => Outcome::Conflict(Conflict {
                question: id.clone(),
                ours: o.cloned(),
                theirs: t.cloned(),
            }),
        };
        outcomes.push((id.clone(), outcome));
    }
    Merged { answers, outcomes }
}

/// An answer that says something (`core::answers::Answer::is_answered`); an empty one is none.
fn given<'a>(answers: &'a Answers, id: &str) -> Option<&'a Answer> {
    answers.get(id).filter(|a| a.is_answered())
}

fn set(answers: &mut Answers, id: &str, answer: Option<Answer>) {
    match answer {
        Some(a) => answers.set(id, a),
        None => {
            answers.0.remove(id);
        }
    }
}

/// Row by row, by key: rows added on either side are all kept (the contributor's renumbered if
/// the reply took the same key for another row); a row changed on one side only takes that
/// change; a row deleted on one side and unchanged on the other goes; a row changed on both sides
/// differently, or deleted on one and changed on the other, makes the question a conflict.
fn merge_rows(
    answers: &mut Answers,
    id: &str,
    ours: &[Row],
    base: &[Row],
    theirs: &[Row],
) -> Outcome {
    let find = |rows: &[Row], key: u32| rows.iter().position(|r| r.key == key);
    // Two versions of the merged rows: each conflicting row as we have it, and as they do.
    let mut mine: Vec<Row> = Vec::new();
    let mut their: Vec<Row> = Vec::new();
    let mut conflict = false;
    let mut changed = false;
    for o in ours {
        let b = find(base, o.key).map(|i| &base[i]);
        let t = find(theirs, o.key).map(|i| &theirs[i]);
        match (b, t) {
            // Added by us, or both added one with the same key: ours stays; theirs, if
            // different, is added below under a new key.
            (None, _) => {
                mine.push(o.clone());
                their.push(o.clone());
            }
            (Some(b), Some(t)) => {
                if t == b || t == o {
                    mine.push(o.clone());
                    their.push(o.clone());
                } else if o == b {
                    mine.push(t.clone());
                    their.push(t.clone());
                    changed = true;
                } else {
                    mine.push(o.clone());
                    their.push(t.clone());
                    conflict = true;
                }
            }
            // Deleted by them.
            (Some(b), None) => {
                if o == b {
                    changed = true;
                } else {
                    mine.push(o.clone());
                    conflict = true;
                }
            }
        }
    }
    // Rows of theirs that ours lacks: added by them, or deleted by us.
    for t in theirs {
        if find(ours, t.key).is_some() && find(base, t.key).is_some() {
            continue;
        }
        match find(base, t.key).map(|i| &base[i]) {
            // Deleted by us, changed by them.
            Some(b) if b != t => {
                their.push(t.clone());
                conflict = true;
            }
            // Deleted by us, unchanged by them: stays deleted.
            Some(_) => {}
            None => {
                // Added by them (or by both under one key): kept, unless ours is the same row.
                if find(ours, t.key).is_some_and(|i| ours[i].fields == t.fields) {
                    continue;
                }
                let mut row = t.clone();
                if find(ours, t.key).is_some() || find(&mine, t.key).is_some() {
                    row.key = next_row_key(&mine).max(next_row_key(&their));
                }
                mine.push(row.clone());
                their.push(row);
                changed = true;
            }
        }
    }
    let as_answer = |rows: Vec<Row>| (!rows.is_empty()).then_some(Answer::Rows(rows));
    if conflict {
        set(answers, id, as_answer(mine.clone()));
        return Outcome::Conflict(Conflict {
            question: id.to_owned(),
            ours: as_answer(mine),
            theirs: as_answer(their),
        });
    }
    if changed {
        set(answers, id, as_answer(mine));
        Outcome::Taken
    } else {
        Outcome::Kept
    }
}
