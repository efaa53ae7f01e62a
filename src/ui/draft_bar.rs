//! The bar under the header: which draft is open, whether it is saved, how many changes are not
//! yet copied to a file.

use leptos::prelude::*;

use super::{form, session, SaveState, View};
use crate::web::intl;

#[component]
pub fn DraftBar() -> impl IntoView {
    let form = form();
    let name = move || {
        form.session.with_meta(|m| {
            if m.name.trim().is_empty() {
                form.text("ui.draft_untitled")()
            } else {
                m.name.clone()
            }
        })
    };
    let state = move || match form.session.save_state() {
        SaveState::Idle => "idle",
        SaveState::Saved { .. } | SaveState::Synced { .. } => "saved",
        SaveState::Failed { .. } => "failed",
    };
    let unsaved_to_file = move || form.session.with_meta(|m| m.changes_since_file);
    view! {
        <section class="draft-bar" aria-label=form.text("ui.draft")>
            <p class="draft-name">
                <span class="draft-label">{form.text("ui.draft")}</span> " "
                <strong>{name}</strong>
            </p>
            <p class="save-status" role="status" aria-live="polite" data-save-state=state>
                {move || match form.session.save_state() {
                    SaveState::Idle => form.text("ui.autosave_on")(),
                    SaveState::Saved { at } => form.cat().format("ui.saved_at", &[("time", &intl::time(&form.cat().lang, at as f64))]),
                    SaveState::Synced { at } => form.cat().format("ui.synced_at", &[("time", &intl::time(&form.cat().lang, at as f64))]),
                    SaveState::Failed { reason } if reason == "QuotaExceededError" => form.text("ui.save_failed_full")(),
                    SaveState::Failed { .. } => form.text("ui.save_failed")(),
                }}
            </p>
            <p class="backup-reminder" data-changes=move || unsaved_to_file().to_string()>
                {move || match unsaved_to_file() {
                    0 => form.text("ui.backup_none")(),
                    n => form.cat().format("ui.backup_count", &[("count", &n.to_string())]),
                }}
            </p>
            <div class="draft-actions">
                <button type="button" class="save-to-file" on:click=move |_| session::save_to_file(form)>
                    {form.text("ui.save_to_file")}
                </button>
                <button type="button" class="open-drafts" aria-pressed=move || (form.shell.view() == View::Drafts).to_string()
                    on:click=move |_| {
                        form.shell.show(View::Drafts);
                        crate::web::dom::focus_later("drafts-title".to_owned());
                    }>
                    {form.text("ui.drafts")}
                </button>
            </div>
        </section>
    }
}
