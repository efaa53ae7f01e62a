//! The bar under the header: which draft is open, whether it is saved, how many changes are not
//! yet copied to a file, and the notice when the draft is locked.

use leptos::prelude::*;

use super::{form, session, Lock, SaveState, View};
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

#[component]
pub fn LockNotice() -> impl IntoView {
    let form = form();
    move || {
        match form.session.lock() {
        Lock::Open => None,
        Lock::Newer(v) => Some(
            view! {
                <div class="notice lock-notice" role="alert" data-lock="newer">
                    <p>{form.cat().format("ui.lock_newer", &[("version", &v.to_string())])}</p>
                </div>
            }
            .into_any(),
        ),
        Lock::Conflict => Some(
            view! {
                <div class="notice lock-notice" role="alert" data-lock="conflict">
                    <p>{form.text("ui.lock_conflict")()}</p>
                    <div class="notice-actions">
                        <button type="button" class="take-newer" on:click=move |_| session::take_newer(form)>{form.text("ui.take_newer")()}</button>
                        <button type="button" class="keep-mine" on:click=move |_| session::save_mine_as_new(form)>{form.text("ui.keep_mine")()}</button>
                    </div>
                </div>
            }
            .into_any(),
        ),
    }
    }
}
