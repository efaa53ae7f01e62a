//! Drafts in local storage, through `gloo-storage`.
//!
//! Layout (all keys start with `untoc-art32/`):
//! - `draft/<id>`: one draft, as its JSON document (the same text as a draft file);
//! - `unreadable/<id>`: a stored draft that could not be read, kept verbatim, never deleted by the app
//!   unless the user asks;
//! - `rev/<id>`: the revision of that draft, so a write can check it without reading the draft
//!   (the draft document holds it too, and is read when this key is missing);
//! - `current`: the id of the draft opened last;
//! - `language`: the language chosen in the menu (the browser's preference applies until then).
//!
//! There is no separate index to fall out of step: the list of drafts is the list of keys.

use gloo_storage::{LocalStorage, Storage};
use wasm_bindgen::JsCast;

use crate::core::draft::{Draft, DraftError, OpenDraft, Opened};
use crate::core::model::Questionnaire;

const PREFIX: &str = "untoc-art32/";
const CURRENT_KEY: &str = "untoc-art32/current";
const LANGUAGE_KEY: &str = "untoc-art32/language";

pub fn draft_key(id: &str) -> String {
    format!("{PREFIX}draft/{id}")
}

fn revision_key(id: &str) -> String {
    format!("{PREFIX}rev/{id}")
}

pub fn unreadable_key(id: &str) -> String {
    format!("{PREFIX}unreadable/{id}")
}

/// The draft id a storage key belongs to, if it is a draft key.
pub fn id_of_draft_key(key: &str) -> Option<&str> {
    key.strip_prefix(PREFIX)?.strip_prefix("draft/")
}

/// One entry of the draft list.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    /// A draft this app can open (migrated if it was older).
    Draft(Draft),
    /// Written for a newer questionnaire: shown read-only.
    Newer(Draft),
    /// Could not be read; the raw text is under [`unreadable_key`].
    Unreadable { id: String, bytes: usize },
}

impl Entry {
    pub fn id(&self) -> &str {
        match self {
            Entry::Draft(d) | Entry::Newer(d) => &d.id,
            Entry::Unreadable { id, .. } => id,
        }
    }
}

fn raw() -> web_sys::Storage {
    LocalStorage::raw()
}

fn keys() -> Vec<String> {
    let storage = raw();
    let n = storage.length().unwrap_or(0);
    (0..n)
        .filter_map(|i| storage.key(i).ok().flatten())
        .collect()
}

/// Whether storage holds any draft, readable or not (without reading one).
pub fn has_drafts() -> bool {
    keys().iter().any(|key| {
        key.strip_prefix(PREFIX)
            .is_some_and(|k| k.starts_with("draft/") || k.starts_with("unreadable/"))
    })
}

/// Every draft in storage, newest first, read by `open`. A value that cannot be read is moved
/// aside (copied to its `unreadable/` key, then removed from the drafts) and listed as unreadable.
pub fn scan(open: OpenDraft, q: &Questionnaire) -> Vec<Entry> {
    let mut out = Vec::new();
    for key in keys() {
        if let Some(id) = id_of_draft_key(&key) {
            let Ok(Some(text)) = raw().get_item(&key) else {
                continue;
            };
            match open(q, &text) {
                Ok(Opened::Current(mut d)) => {
                    d.id = id.to_owned();
                    out.push(Entry::Draft(d));
                }
                Ok(Opened::Newer(mut d)) => {
                    d.id = id.to_owned();
                    out.push(Entry::Newer(d));
                }
                Err(_) => {
                    let id = id.to_owned();
                    if raw().set_item(&unreadable_key(&id), &text).is_ok() {
                        let _ = raw().remove_item(&key);
                    }
                    out.push(Entry::Unreadable {
                        id,
                        bytes: text.len(),
                    });
                }
            }
        } else if let Some(id) = key
            .strip_prefix(PREFIX)
            .and_then(|k| k.strip_prefix("unreadable/"))
        {
            let bytes = raw().get_item(&key).ok().flatten().map_or(0, |t| t.len());
            if !out.iter().any(|e| e.id() == id) {
                out.push(Entry::Unreadable {
                    id: id.to_owned(),
                    bytes,
                });
            }
        }
    }
    // Ordered by insertion: a handful of drafts, and each use of the generic sort is 3 KB of wasm.
    let mut sorted: Vec<Entry> = Vec::with_capacity(out.len());
    for entry in out {
        let at = sorted.partition_point(|e| newest_first(e, &entry).is_lt());
        sorted.insert(at, entry);
    }
    sorted
}

fn newest_first(a: &Entry, b: &Entry) -> std::cmp::Ordering {
    saved_at(b)
        .cmp(saved_at(a))
        .then_with(|| a.id().cmp(b.id()))
}

fn saved_at(e: &Entry) -> &str {
    match e {
        Entry::Draft(d) | Entry::Newer(d) => &d.saved_at,
        Entry::Unreadable { .. } => "",
    }
}

/// Reads one draft by id, with `open`.
pub fn read(open: OpenDraft, q: &Questionnaire, id: &str) -> Option<Result<Opened, DraftError>> {
    let text = raw().get_item(&draft_key(id)).ok().flatten()?;
    Some(open(q, &text).map(|opened| match opened {
        Opened::Current(mut d) => {
            d.id = id.to_owned();
            Opened::Current(d)
        }
        Opened::Newer(mut d) => {
            d.id = id.to_owned();
            Opened::Newer(d)
        }
    }))
}

/// The revision stored for a draft (`None` if there is no such draft), without reading the
/// whole draft when its revision key is there.
pub fn stored_revision(id: &str) -> Option<u64> {
    if let Some(rev) = raw()
        .get_item(&revision_key(id))
        .ok()
        .flatten()
        .and_then(|r| r.parse().ok())
    {
        return Some(rev);
    }
    // A draft written before revisions had their own key: its `revision` member (0 if none).
    let text = raw().get_item(&draft_key(id)).ok().flatten()?;
    let draft = crate::web::json::object(&text).ok()?;
    match crate::web::json::member(&draft, "revision") {
        None => Some(0),
        Some(n) => n
            .as_f64()
            .filter(|n| n.fract() == 0.0 && (0.0..=9_007_199_254_740_991.0).contains(n))
            .map(|n| n as u64),
    }
}

/// Writes a draft. The error names what went wrong (`QuotaExceededError`, or `SecurityError`
/// when storage is disabled) so the user can be told.
pub fn write(draft: &Draft) -> Result<(), String> {
    raw()
        .set_item(&draft_key(&draft.id), &draft.to_json())
        .map_err(|e| error_name(&e))?;
    if raw()
        .set_item(&revision_key(&draft.id), &draft.revision.to_string())
        .is_err()
    {
        // Without it, the revision is read from the draft itself: slower, never wrong.
        LocalStorage::delete(revision_key(&draft.id));
    }
    Ok(())
}

pub fn delete(id: &str) {
    LocalStorage::delete(draft_key(id));
    LocalStorage::delete(revision_key(id));
}

/// The raw text of an unreadable draft, for the user to save to a file.
pub fn unreadable_text(id: &str) -> Option<String> {
    raw().get_item(&unreadable_key(id)).ok().flatten()
}

pub fn delete_unreadable(id: &str) {
    LocalStorage::delete(unreadable_key(id));
}

pub fn current_id() -> Option<String> {
    raw().get_item(CURRENT_KEY).ok().flatten()
}

pub fn set_current_id(id: &str) {
    let _ = raw().set_item(CURRENT_KEY, id);
}

pub fn chosen_language() -> Option<String> {
    raw().get_item(LANGUAGE_KEY).ok().flatten()
}

pub fn set_chosen_language(tag: &str) {
    let _ = raw().set_item(LANGUAGE_KEY, tag);
}

/// A new draft id: time plus randomness, unique across tabs.
pub fn new_id() -> String {
    let now = js_sys::Date::now() as u64;
    let rand = (js_sys::Math::random() * 1e9) as u64;
    format!("{now:x}-{rand:x}")
}

fn error_name(e: &wasm_bindgen::JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.name()))
        .unwrap_or_else(|| "Error".to_owned())
}
