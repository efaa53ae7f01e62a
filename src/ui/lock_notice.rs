//! The notice over a locked draft: written for a newer questionnaire version (shown only), or
//! changed in another tab (take the other tab's version, or keep this one as a new draft). Its
//! code comes with the code that reads drafts (`lazy::DraftCode`), its wording with the rest of
//! the catalog, fetched as soon as a draft is locked (the draft's controls are disabled
//! meanwhile); if that code cannot be fetched, `lazy::LockSlot` says the draft is locked.

use leptos::prelude::*;

use super::{form, session, Lock};

#[component]
pub fn LockNotice() -> impl IntoView {
    let form = form();
    // Its wording is in the rest of the catalog: fetched when a draft is locked.
    Effect::new(move |_| {
        if form.session.lock() != Lock::Open {
            super::wording::fetch_rest(form);
        }
    });
    move || {
        if !form.cat().whole {
            return None;
        }
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
