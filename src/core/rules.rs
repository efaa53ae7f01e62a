//! Show-if conditions: when a follow-up question is shown.
//!
//! In the definition a condition is a small JSON term, e.g. `{"ne": ["E1", "no"]}` or
//! `{"any": [{"answered": "B1a"}, {"answered": "B2a"}]}`.
//! A condition about a question that is itself hidden treats that question as unanswered,
//! so a chain of follow-ups collapses as soon as its root is changed.

use serde::Deserialize;

use crate::core::answers::{Answer, Answers};
use crate::core::model::{leak, Id};

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[cfg_attr(not(target_arch = "wasm32"), derive(databake::Bake), databake(path = crate::core::rules))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Condition {
    /// The choice question has this option selected.
    Eq(
        #[serde(deserialize_with = "leak::str")] Id,
        #[serde(deserialize_with = "leak::str")] Id,
    ),
    /// The choice question is answered and does not have this option selected.
    /// (An unanswered question reveals nothing: follow-ups wait for the answer.)
    Ne(
        #[serde(deserialize_with = "leak::str")] Id,
        #[serde(deserialize_with = "leak::str")] Id,
    ),
    /// The choice question has one of these options selected.
    In(
        #[serde(deserialize_with = "leak::str")] Id,
        #[serde(deserialize_with = "leak::strs")] &'static [Id],
    ),
    /// The question has a non-empty answer.
    Answered(#[serde(deserialize_with = "leak::str")] Id),
    All(#[serde(deserialize_with = "leak::list")] &'static [Condition]),
    Any(#[serde(deserialize_with = "leak::list")] &'static [Condition]),
    Not(#[serde(deserialize_with = "leak::boxed")] &'static Condition),
}

impl Condition {
    /// Evaluates against the answers; `visible` says whether a referenced question is shown.
    pub fn holds(&self, answers: &Answers, visible: &dyn Fn(&str) -> bool) -> bool {
        let get = |q: &str| if visible(q) { answers.get(q) } else { None };
        let selected = |q: &str| match get(q) {
            Some(Answer::Choice { selected, .. }) => selected.as_slice(),
            _ => &[],
        };
        match self {
            Condition::Eq(q, v) => selected(q).iter().any(|s| s == v),
            Condition::Ne(q, v) => {
                let sel = selected(q);
                !sel.is_empty() && !sel.iter().any(|s| s == v)
            }
            Condition::In(q, vs) => selected(q).iter().any(|s| vs.contains(&s.as_str())),
            Condition::Answered(q) => get(q).is_some_and(Answer::is_answered),
            Condition::All(cs) => cs.iter().all(|c| c.holds(answers, visible)),
            Condition::Any(cs) => cs.iter().any(|c| c.holds(answers, visible)),
            Condition::Not(c) => !c.holds(answers, visible),
        }
    }

    /// Every question id the condition reads.
    pub fn dependencies(&self) -> Vec<&str> {
        match self {
            Condition::Eq(q, _)
            | Condition::Ne(q, _)
            | Condition::In(q, _)
            | Condition::Answered(q) => vec![q],
            Condition::All(cs) | Condition::Any(cs) => {
                cs.iter().flat_map(Condition::dependencies).collect()
            }
            Condition::Not(c) => c.dependencies(),
        }
    }
}
