//! The list of drafts kept in this browser: open, rename, duplicate, delete (with undo), save to
//! a file, open a draft file, and the state of the browser's storage.

use leptos::prelude::*;

use super::{form, session, Form, View};
use crate::core::draft::{DraftError, MAX_DRAFT_FILE};
use crate::core::submission::STATE_QUESTION;
use crate::core::validate::completeness;
use crate::web::storage::{self, Entry};
use crate::web::{files, intl};

#[component]
pub fn DraftsPage() -> impl IntoView {
    let form = form();
    let entries = Memo::new(move |_| {
        form.session.track_drafts();
        // The page is drawn once the code that reads drafts is here (`later`).
        super::lazy::loaded_draft_reader()
            .map(|open| storage::scan(open, form.q))
            .unwrap_or_default()
    });
    let usage = RwSignal::new(None::<(f64, f64)>);
    Effect::new(move |_| {
        form.session.track_drafts();
        leptos::task::spawn_local(async move { usage.set(crate::web::persist::estimate().await) });
    });
    view! {
        <section class="drafts" aria-labelledby="drafts-title">
            <h2 id="drafts-title" tabindex="-1">{form.text("ui.drafts_title")}</h2>
            <p>{form.text("ui.drafts_intro")}</p>
            <div class="drafts-actions">
                <button type="button" class="new-draft" on:click=move |_| {
                    session::new_draft(form);
                    form.shell.open_section(form.q.sections[0].id);
                }>{form.text("ui.new_draft")}</button>
                // The label before its input, as readers expect; the stylesheet shows the hidden
                // input's focus on it.
                <label class="file-button" for="open-draft-file">{form.text("ui.open_draft_file")}</label>
                <input type="file" id="open-draft-file" class="visually-hidden-file" accept=".json,application/json"
                    on:change=move |ev| {
                        if let Some(input) = files::input_of(&ev) {
                            open_file(form, input);
                        }
                    }/>
                <label class="file-button" for="previous-reply-file">{form.text("ui.cycle_start")}</label>
                <input type="file" id="previous-reply-file" class="visually-hidden-file" accept=".json,application/json"
                    aria-describedby="previous-reply-help"
                    on:change=move |ev| {
                        if let Some(input) = files::input_of(&ev) {
                            start_from_file(form, input);
                        }
                    }/>
            </div>
            <p id="previous-reply-help" class="help">{form.text("ui.cycle_start_help")}</p>
            {move || form.session.deleted().map(|d| view! {
                <p class="undo" role="status">
                    {form.cat().format("ui.draft_deleted", &[("name", &d.name)])} " "
                    <button type="button" class="undo-delete" on:click=move |_| session::undo_delete(form)>{form.text("ui.undo")()}</button>
                </p>
            })}
            <table class="draft-list">
                <caption class="visually-hidden">{form.text("ui.drafts_title")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{form.text("ui.draft_col_name")}</th>
                        <th scope="col">{form.text("ui.draft_col_state")}</th>
                        <th scope="col">{form.text("ui.draft_col_saved")}</th>
                        <th scope="col">{form.text("ui.draft_col_complete")}</th>
                        <th scope="col">{form.text("ui.draft_col_actions")}</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || entries.get() key=entry_key let:entry>
                        <DraftRow entry form/>
                    </For>
                </tbody>
            </table>
            <h3>{form.text("ui.storage_title")}</h3>
            <p class="persistence" data-persisted=move || format!("{:?}", form.session.persisted())>
                {move || match form.session.persisted() {
                    Some(true) => form.text("ui.storage_persistent")(),
                    _ => form.text("ui.storage_not_persistent")(),
                }}
            </p>
            {move || usage.get().map(|(used, quota)| view! {
                <p class="usage">{
                    let cat = form.cat();
                    cat.format("ui.storage_usage", &[("used", &intl::bytes(&cat.lang, used)), ("quota", &intl::bytes(&cat.lang, quota))])
                }</p>
            })}
        </section>
    }
}

/// Rows are rebuilt when what they show changes.
fn entry_key(e: &Entry) -> String {
    match e {
        Entry::Draft(d) | Entry::Newer(d) => format!("{}:{}:{}", d.id, d.revision, d.name),
        Entry::Unreadable { id, bytes } => format!("{id}:unreadable:{bytes}"),
    }
}

#[component]
fn DraftRow(entry: Entry, form: Form) -> impl IntoView {
    let (d, newer) = match entry {
        Entry::Draft(d) => (d, false),
        Entry::Newer(d) => (d, true),
        Entry::Unreadable { id, bytes } => {
            let (save_id, delete_id) = (id.clone(), id.clone());
            return view! {
                <tr class="damaged" data-draft=id.clone()>
                    <td colspan="3">
                        <strong>{form.text("ui.draft_damaged")}</strong> " "
                        {move || form.cat().format("ui.draft_damaged_detail", &[("bytes", &bytes.to_string())])}
                    </td>
                    <td>"—"</td>
                    <td class="row-actions">
                        <button type="button" class="save-raw" on:click=move |_| session::save_unreadable_to_file(form, &save_id)>
                            {form.text("ui.save_raw")}
                        </button>
                        <button type="button" class="delete-raw" on:click=move |_| {
                            if crate::web::dom::confirm(&form.text("ui.confirm_delete_damaged")()) {
                                session::delete_stored(form, &delete_id, true);
                            }
                        }>{form.text("ui.delete")}</button>
                    </td>
                </tr>
            }
            .into_any();
        }
    };
    let id = d.id.clone();
    let is_current = {
        let id = id.clone();
        move || form.session.with_meta(|m| m.id == id)
    };
    let (done, required) = completeness(form.q, &d.answers);
    let state_code = d
        .answers
        .get(STATE_QUESTION)
        .and_then(|a| a.selected().first().cloned());
    let renaming = RwSignal::new(false);
    let name = d.name.clone();
    let saved_at = d.saved_at.clone();
    let saved = move || intl::date_time(&form.cat().lang, &saved_at);
    let input_id = format!("rename-{id}");
    let (open_id, rename_id, dup_id, del_id) = (id.clone(), id.clone(), id.clone(), id.clone());
    view! {
        <tr data-draft=id.clone() class:current=is_current.clone()>
            <td>
                {let is_current = is_current.clone(); move || if renaming.get() {
                    let rename_id = rename_id.clone();
                    let input_id = input_id.clone();
                    view! {
                        <form class="rename" on:submit=move |ev| {
                            ev.prevent_default();
                            let value = crate::web::dom::input_value(&input_id);
                            session::rename(form, &rename_id, value.trim().to_owned());
                            renaming.set(false);
                        }>
                            <label for=input_id.clone() class="visually-hidden">{form.text("ui.draft_col_name")()}</label>
                            <input type="text" id=input_id.clone() value=name.clone()/>
                            <button type="submit">{form.text("ui.save")()}</button>
                        </form>
                    }.into_any()
                } else {
                    let shown = if name.trim().is_empty() { form.text("ui.draft_untitled")() } else { name.clone() };
                    view! {
                        <span class="draft-title">{shown}</span>
                        {is_current().then(|| view! { " " <span class="tag">{form.text("ui.draft_open_now")()}</span> })}
                        {newer.then(|| view! { " " <span class="tag">{form.text("ui.draft_newer")()}</span> })}
                    }.into_any()
                }}
            </td>
            <td>{move || state_code.as_ref().map(|c| form.state_name(c)).unwrap_or_else(|| "—".to_owned())}</td>
            <td>{saved}</td>
            <td>{move || form.cat().format("ui.progress", &[("done", &done.to_string()), ("required", &required.to_string())])}</td>
            <td class="row-actions">
                <button type="button" class="open-draft" on:click=move |_| {
                    session::open(form, &open_id);
                    form.shell.show(View::Section(form.q.sections[0].id));
                }>{form.text("ui.open")}</button>
                <button type="button" class="rename-draft" disabled=newer on:click=move |_| {
                    renaming.set(true);
                }>{form.text("ui.rename")}</button>
                <button type="button" class="duplicate-draft" disabled=newer on:click=move |_| session::duplicate(form, &dup_id)>{form.text("ui.duplicate")}</button>
                <button type="button" class="delete-draft" on:click=move |_| session::delete(form, &del_id)>{form.text("ui.delete")}</button>
            </td>
        </tr>
    }
    .into_any()
}

/// Reads a draft file picked by the user into a new draft. Nothing existing is changed.
fn open_file(form: Form, input: web_sys::HtmlInputElement) {
    leptos::task::spawn_local(async move {
        let picked = files::read_picked(&input, MAX_DRAFT_FILE).await;
        input.set_value("");
        let message = match picked {
            None => return,
            Some(Err(files::ReadError::TooLarge(_))) => form.text("ui.file_too_large")(),
            Some(Err(files::ReadError::Unreadable)) => form.text("ui.file_not_draft")(),
            Some(Ok((file, text))) => match super::lazy::draft_reader().await {
                Err(()) => form.text("ui.draft_cannot_open")(),
                Ok(open) => match open(form.q, &text) {
                    Ok(opened) => {
                        session::save_now(form, false);
                        let (mut d, lock) = session::with_lock(opened);
                        d.id = storage::new_id();
                        let base = if d.name.trim().is_empty() {
                            file
                        } else {
                            d.name.clone()
                        };
                        d.name = form.cat().format("ui.draft_from_file", &[("name", &base)]);
                        d.revision = 1;
                        d.changes_since_file = 0;
                        d.saved_at = files::now_utc();
                        session::add_and_show(form, d, lock);
                        form.shell.show(View::Section(form.q.sections[0].id));
                        return;
                    }
                    Err(DraftError::TooLarge(_)) => form.text("ui.file_too_large")(),
                    Err(DraftError::Malformed(_)) => form.text("ui.file_not_draft")(),
                    Err(DraftError::OtherQuestionnaire(_)) => {
                        form.text("ui.file_other_questionnaire")()
                    }
                },
            },
        };
        form.shell.say(message);
    });
}

/// "Start from a previous reply": checks the signed file in the signer's worker, then carries
/// it into a new draft (`carried::start_from`). A file that is not a valid signed reply changes
/// nothing and says why.
fn start_from_file(form: Form, input: web_sys::HtmlInputElement) {
    leptos::task::spawn_local(async move {
        let message = match super::carried::read_verified(form, &input).await {
            None => return,
            Some(Ok((v, _))) => match super::carried::start_from(form, &v) {
                Ok(()) => return,
                Err(message) => message,
            },
            Some(Err(message)) => message,
        };
        form.shell.say(message);
    });
}
