//! The current draft in local storage, through `gloo-storage`.
//!
//! Values are stored as the draft's JSON text. A value that cannot be read as a draft is never
//! deleted: it is copied aside under [`QUARANTINE_KEY`] before anything else is written.

use gloo_storage::{LocalStorage, Storage};
use wasm_bindgen::JsCast;

use crate::core::draft::{Draft, DraftError};
use crate::core::model::Questionnaire;

/// Key of the one current draft.
pub const DRAFT_KEY: &str = "untoc-art32/draft/current";
/// Where an unreadable draft is kept, untouched, for the user to rescue.
pub const QUARANTINE_KEY: &str = "untoc-art32/draft/unreadable";

/// What was found in storage at start-up.
pub enum Loaded {
    Fresh,
    Draft(Draft),
    /// The stored value was unreadable; it has been kept aside.
    Unreadable(DraftError),
}

pub fn load(q: &Questionnaire) -> Loaded {
    let Ok(raw) = LocalStorage::raw().get_item(DRAFT_KEY) else { return Loaded::Fresh };
    let Some(raw) = raw else { return Loaded::Fresh };
    match Draft::from_json(q, &raw) {
        Ok(d) => Loaded::Draft(d),
        Err(e) => {
            // Keep the bad value where nothing overwrites it; if even that fails, leave it in place.
            if LocalStorage::raw().set_item(QUARANTINE_KEY, &raw).is_ok() {
                LocalStorage::delete(DRAFT_KEY);
            }
            Loaded::Unreadable(e)
        }
    }
}

/// Writes the draft synchronously. The error names what went wrong (`QuotaExceededError`,
/// `SecurityError` when storage is disabled) so the UI can tell the user.
pub fn save(draft: &Draft) -> Result<(), String> {
    LocalStorage::raw().set_item(DRAFT_KEY, &draft.to_json()).map_err(|e| {
        e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.name())).unwrap_or_else(|| "Error".to_owned())
    })
}
