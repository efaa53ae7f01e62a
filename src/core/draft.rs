//! A draft as stored in the browser: the answers plus what is needed to read them back safely.

use serde::{Deserialize, Serialize};

use crate::core::answers::Answers;
use crate::core::model::Questionnaire;

/// Identifies a draft document (as opposed to a signed submission or anything else).
pub const DRAFT_FORMAT: &str = "untoc-art32-draft";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Draft {
    pub format: String,
    pub questionnaire: String,
    pub version: u32,
    /// Language the user last worked in; answers are language-neutral.
    pub lang: String,
    pub answers: Answers,
}

/// Why a stored value could not be opened as a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DraftError {
    /// Not JSON, truncated, or not shaped like a draft.
    Malformed(String),
    /// A draft of another questionnaire.
    OtherQuestionnaire(String),
    /// A draft written by a newer version of the questionnaire than this app knows.
    NewerVersion(u32),
}

impl Draft {
    pub fn new(q: &Questionnaire, lang: &str) -> Draft {
        Draft {
            format: DRAFT_FORMAT.to_owned(),
            questionnaire: q.id.clone(),
            version: q.version,
            lang: lang.to_owned(),
            answers: Answers::default(),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a draft always serializes")
    }

    /// Reads a stored draft, refusing anything that is not a draft of this questionnaire.
    pub fn from_json(q: &Questionnaire, text: &str) -> Result<Draft, DraftError> {
        let draft: Draft = serde_json::from_str(text).map_err(|e| DraftError::Malformed(e.to_string()))?;
        if draft.format != DRAFT_FORMAT {
            return Err(DraftError::Malformed(format!("format is {:?}", draft.format)));
        }
        if draft.questionnaire != q.id {
            return Err(DraftError::OtherQuestionnaire(draft.questionnaire));
        }
        if draft.version > q.version {
            return Err(DraftError::NewerVersion(draft.version));
        }
        Ok(draft)
    }
}
