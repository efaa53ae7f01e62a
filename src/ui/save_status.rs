//! "Saved at 14:32" in the header, or a warning when the browser refused to store the draft.

use leptos::prelude::*;

use super::{form, SaveState};

#[component]
pub fn SaveStatus() -> impl IntoView {
    let form = form();
    view! {
        <p class="save-status" role="status" aria-live="polite" data-save-state=move || match form.save_state.get() {
            SaveState::Idle => "idle",
            SaveState::Saved { .. } => "saved",
            SaveState::Failed { .. } => "failed",
        }>
            {move || match form.save_state.get() {
                SaveState::Idle => form.t("ui.autosave_on"),
                SaveState::Saved { at } => form.cat().format("ui.saved_at", &[("time", &at)]),
                SaveState::Failed { reason } if reason == "QuotaExceededError" => form.t("ui.save_failed_full"),
                SaveState::Failed { .. } => form.t("ui.save_failed"),
            }}
        </p>
    }
}
