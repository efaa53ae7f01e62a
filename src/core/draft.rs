//! Drafts: the answers of one reply with what is needed to keep them safe — a name, a revision
//! number against lost updates between tabs, a count of changes not yet copied to a file — and
//! the rules for reading drafts back from storage or from a file, including migration of drafts
//! written for older versions of the questionnaire.
//!
//! The same JSON document is used in local storage and in a draft file.

use serde::{Deserialize, Serialize};

use crate::core::answers::Answers;
use crate::core::model::Questionnaire;
use crate::core::versions::migrate;

/// Identifies a draft document (as opposed to a signed submission or anything else).
pub const DRAFT_FORMAT: &str = "untoc-art32-draft";

/// The largest draft file accepted (bytes). A full reply with hundreds of rows is well under 1 MB.
pub const MAX_DRAFT_FILE: usize = 8 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Draft {
    pub format: String,
    pub questionnaire: String,
    /// Version of the questionnaire the answers were written for.
    pub version: u32,
    /// Stable identifier of the draft in this browser.
    #[serde(default)]
    pub id: String,
    /// The user's name for the draft ("Reply 2026", "Copy of ...").
    #[serde(default)]
    pub name: String,
    /// Incremented by every write; a write based on an older revision is refused.
    #[serde(default)]
    pub revision: u64,
    /// When it was last saved (RFC 3339, UTC), empty if never.
    #[serde(default)]
    pub saved_at: String,
    /// Changes saved since the last copy to a file.
    #[serde(default)]
    pub changes_since_file: u32,
    /// Language the user last worked in; answers are language-neutral.
    pub lang: String,
    pub answers: Answers,
    /// The draft's hand-offs (`core::handoff::DraftHandoff`, `docs/handoff-format.md`): for a
    /// focal point, what was handed out of this reply and what came back; in a contributor's
    /// draft, the request it answers. Kept as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handoff: Option<Kept>,
    /// For a reply started from a previous one, what it remembers of it
    /// (`core::cycle::Carry`): the file, its answers, what was reviewed. Kept as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cycle: Option<Kept>,
}

/// A member the form keeps and writes back as it was, without reading it: a JSON text held in a
/// JSON string, which only the code of the pages that use it reads (so the form's own wasm gains
/// no reader or writer for what it holds).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Kept(String);

impl Kept {
    /// Keeps a JSON text; `None` if it is not JSON.
    pub fn new(json: String) -> Option<Kept> {
        serde_json::from_str::<serde::de::IgnoredAny>(&json)
            .is_ok()
            .then_some(Kept(json))
    }

    /// The JSON text, as written.
    pub fn get(&self) -> &str {
        &self.0
    }
}

/// Why a stored value or a file could not be opened as a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DraftError {
    /// Larger than [`MAX_DRAFT_FILE`].
    TooLarge(usize),
    /// Not JSON, truncated, or not shaped like a draft.
    Malformed(String),
    /// A draft of another questionnaire (or another kind of document).
    OtherQuestionnaire(String),
}

/// What reads a draft ([`Draft::open`]). The browser's form is handed it by `ui::lazy`, which
/// fetches the code of reading JSON drafts only when there is a draft to read.
pub type OpenDraft = fn(&Questionnaire, &str) -> Result<Opened, DraftError>;

/// A draft as read: usable, or written for a newer questionnaire than this app knows, in which
/// case it may only be shown, never changed (changing it could drop answers this app cannot see).
#[derive(Debug, Clone, PartialEq)]
pub enum Opened {
    Current(Draft),
    Newer(Draft),
}

impl Draft {
    pub fn new(q: &Questionnaire, id: &str, name: &str, lang: &str) -> Draft {
        Draft {
            format: DRAFT_FORMAT.to_owned(),
            questionnaire: q.id.to_owned(),
            version: q.version,
            id: id.to_owned(),
            name: name.to_owned(),
            revision: 0,
            saved_at: String::new(),
            changes_since_file: 0,
            lang: lang.to_owned(),
            answers: Answers::default(),
            handoff: None,
            cycle: None,
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a draft always serializes")
    }

    /// Reads a draft from storage or a file: refuses anything that is not a draft of this
    /// questionnaire, migrates older versions, and marks newer ones.
    ///
    /// Read straight into [`Draft`] (no `serde_json::Value` in between: that would be a second
    /// JSON reader in the form's wasm); only a text that is not a draft is read again, for its
    /// header, to say what it is.
    pub fn open(q: &Questionnaire, text: &str) -> Result<Opened, DraftError> {
        if text.len() > MAX_DRAFT_FILE {
            return Err(DraftError::TooLarge(text.len()));
        }
        let mut draft = match serde_json::from_str::<Draft>(text) {
            Ok(draft) => draft,
            Err(e) => {
                let head: Head =
                    serde_json::from_str(text).map_err(|_| DraftError::Malformed(e.to_string()))?;
                check_head(q, head.format.as_deref(), head.questionnaire.as_deref())?;
                return Err(DraftError::Malformed(e.to_string()));
            }
        };
        check_head(q, Some(&draft.format), Some(&draft.questionnaire))?;
        if draft.version > q.version {
            // Read as is: nothing is migrated backwards, and the draft stays read-only.
            return Ok(Opened::Newer(draft));
        }
        // What a step cannot carry stays in the answers, under ids the form does not show.
        migrate(&mut draft.answers, draft.version, q.version);
        draft.version = q.version;
        Ok(Opened::Current(draft))
    }
}

/// The members that say what a JSON document is, read from a text that is not a draft.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Head {
    format: Option<String>,
    questionnaire: Option<String>,
}

/// Refuses a document that is not a draft, or a draft of another questionnaire.
fn check_head(
    q: &Questionnaire,
    format: Option<&str>,
    questionnaire: Option<&str>,
) -> Result<(), DraftError> {
    if format != Some(DRAFT_FORMAT) {
        return Err(DraftError::OtherQuestionnaire(
            format.unwrap_or("?").to_owned(),
        ));
    }
    if questionnaire != Some(q.id) {
        return Err(DraftError::OtherQuestionnaire(
            questionnaire.unwrap_or("?").to_owned(),
        ));
    }
    Ok(())
}

/// What to do with a write, given the revision found in storage and the one this copy was based on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Write {
    /// Write, as this revision.
    As(u64),
    /// Storage holds a newer revision written elsewhere (another tab): writing would lose it.
    Conflict { stored: u64 },
}

/// The lost-update rule: a write based on revision `base` goes ahead only if storage still holds
/// `base` (or nothing, for a draft not yet stored, or deleted meanwhile).
pub fn decide_write(stored: Option<u64>, base: u64) -> Write {
    match stored {
        Some(stored) if stored != base => Write::Conflict { stored },
        _ => Write::As(base + 1),
    }
}

/// A file name for a draft: letters, digits (of any script: `validate::is_name_char`) and dashes
/// only, so it is safe on every system.
pub fn file_name(draft: &Draft, date: &str) -> String {
    let name: String = draft
        .name
        .chars()
        .map(|c| {
            if crate::core::validate::is_name_char(c) {
                c
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let name = if name.is_empty() {
        "draft".to_owned()
    } else {
        name.chars().take(60).collect()
    };
    format!("{name}-art32-draft-{date}.json")
}
