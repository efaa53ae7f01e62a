//! "Sign and export": what is missing, the signing key (create, back up, restore, replace), a
//! summary of the reply, the signed file, the hand-off by email and a printable receipt.
//!
//! The cryptography runs in the signer's worker ([`crate::web::signer`]); this page builds the
//! reply, asks the worker, and shows what came back.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::carried::{carry_now, not_reviewed};
use super::handoffs_page::book_of;
use super::part_notice::request_of;
use super::still_to_answer::StillToAnswer;
use super::View;
use super::{form, Form};
use crate::core::answers::Answers;
use crate::core::keyfile::{self, KeyFileError};
use crate::core::signer::{Done, Job};
use crate::core::submission::{self, group_key_id, Timestamp, STATE_QUESTION};
use crate::web::{dom, files, intl, keys, signer};
use serde_json::Value;

/// What the last export produced, for the receipt and the email.
#[derive(Clone, PartialEq)]
struct Exported {
    state: String,
    file_name: String,
    sha256: String,
    key_id: String,
    date: String,
    text: String,
}

/// The reply on screen, signed.
struct Signed {
    state: String,
    answers: usize,
    text: String,
    sha256: String,
    key_id: String,
}

pub(super) fn now() -> Timestamp {
    Timestamp::from_unix_seconds((js_sys::Date::now() / 1000.0) as i64)
        .expect("the clock is after 1970")
}

/// Builds the reply on screen and has the signer sign it. The error is a sentence for the user.
async fn sign_current(form: Form, secret: [u8; 32]) -> Result<Signed, String> {
    let now = now();
    let lang = form.cat().lang.clone();
    let unsigned = form
        .reply
        .with_untracked(|a| submission::build(form.q, a, &lang, &now, env!("CARGO_PKG_VERSION")))
        .map_err(|e| e.to_string())?;
    let mut document = unsigned.into_json();
    // Who supplied which answers, when parts of the reply were merged (`core::handoff`).
    let book = form
        .session
        .with_meta_untracked(|m| book_of(m.handoff.as_ref()));
    if let Some(Value::Object(answers)) = document.get("answers") {
        let contributors = form
            .reply
            .with_untracked(|a| book.contributors(form.q, a, |id| answers.contains_key(id)));
        if !contributors.is_empty() {
            let value = serde_json::to_value(contributors).expect("contributors serialize");
            document.insert("contributors".to_owned(), value);
        }
    }
    // The reply it was carried from, and the questions changed since (`core::cycle`).
    if let (Some(c), Some(Value::Object(exported))) = (carry_now(form), document.get("answers")) {
        let answers = form.reply.with_untracked(|a| {
            Answers(
                a.0.iter()
                    .filter(|(id, _)| exported.contains_key(*id))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            )
        });
        let previous =
            serde_json::to_value(c.previous_of(form.q, &answers)).expect("previous serializes");
        document.insert("previous".to_owned(), previous);
    }
    let members = &document;
    let state = members
        .get("state")
        .and_then(|s| s.as_str())
        .unwrap_or("XXX")
        .to_owned();
    let answers = members
        .get("answers")
        .and_then(|a| a.as_object())
        .map_or(0, |a| a.len());
    match signer::run(Job::Sign {
        document,
        secret,
        signed_at: now,
        rotations: keys::rotations(),
    })
    .await
    {
        Ok(Done::Signed {
            text,
            sha256,
            key_id,
        }) => Ok(Signed {
            state,
            answers,
            text,
            sha256,
            key_id,
        }),
        _ => Err(form.text("ui.signer_failed")()),
    }
}

#[component]
pub fn ExportPage() -> impl IntoView {
    let form = form();
    let secret = RwSignal::new(keys::load());
    let exported = RwSignal::new(None::<Exported>);
    let message = RwSignal::new(None::<String>);
    // A contributor's part is returned, not signed as a submission; a reply with conflicts
    // from merged parts is signed once they are settled.
    let part = Memo::new(move |_| {
        form.session
            .with_meta(|m| m.handoff.as_ref().and_then(request_of).is_some())
    });
    let conflicts = Memo::new(move |_| {
        form.session
            .with_meta(|m| book_of(m.handoff.as_ref()).conflicts.len())
    });
    let ready =
        move || form.reply.issues.with(Vec::is_empty) && !part.get() && conflicts.get() == 0;

    let signing = RwSignal::new(false);
    signer::warm_up();

    let export = move |_| {
        let Some(sk) = secret.get_untracked() else {
            return;
        };
        if signing.get_untracked() {
            return;
        }
        // Carried answers not yet reviewed do not stop the export, but are named first.
        if let Some(c) = carry_now(form) {
            let n = untrack(|| not_reviewed(form, &c, None).len());
            let ask = form
                .cat()
                .format("ui.cycle_export_confirm", &[("count", &n.to_string())]);
            if n > 0 && !dom::confirm(&ask) {
                return;
            }
        }
        signing.set(true);
        message.set(None);
        spawn_local(async move {
            let signed = sign_current(form, sk).await;
            signing.set(false);
            match signed {
                Ok(Signed {
                    state,
                    text,
                    sha256,
                    key_id,
                    ..
                }) => {
                    let date = files::today();
                    let file_name = format!("{state}-art32-{date}.json");
                    if files::download(&file_name, "application/json", &text).is_err() {
                        message.set(Some(form.text("ui.file_save_failed")()));
                        return;
                    }
                    exported.set(Some(Exported {
                        state,
                        file_name,
                        sha256,
                        key_id,
                        date,
                        text,
                    }));
                    crate::web::dom::focus_later("receipt-title".to_owned());
                }
                Err(e) => message.set(Some(e)),
            }
        });
    };

    view! {
        <section class="export" aria-labelledby="export-title">
            <h2 id="export-title" tabindex="-1">{form.text("ui.export_title")}</h2>
            <p>{form.text("ui.export_intro")}</p>
            <KeyPanel secret/>
            {move || if part.get() {
                view! {
                    <div class="export-blocked" data-export="part">
                        <p><strong>{form.text("ui.export_part")()}</strong></p>
                        <button type="button" class="open-handoffs" on:click=move |_| form.shell.show(View::Handoffs)>{form.text("ui.part_return")()}</button>
                    </div>
                }.into_any()
            } else if conflicts.get() > 0 {
                view! {
                    <div class="export-blocked" data-export="conflicts">
                        <p><strong>{form.cat().format("ui.export_conflicts", &[("count", &conflicts.get().to_string())])}</strong></p>
                        <button type="button" class="open-handoffs" on:click=move |_| form.shell.show(View::Handoffs)>{form.text("ui.handoffs_title")()}</button>
                    </div>
                }.into_any()
            } else if !ready() {
                view! {
                    <div class="export-blocked" data-export="blocked">
                        <p><strong>{form.text("ui.export_incomplete")()}</strong></p>
                        <StillToAnswer/>
                    </div>
                }.into_any()
            } else {
                view! { <Summary secret/> }.into_any()
            }}
            {move || message.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
            <button type="button" class="sign-export"
                prop:disabled=move || !ready() || secret.get().is_none()
                aria-disabled=move || signing.get().then_some("true")
                on:click=export>{form.text("ui.sign_and_export")}</button>
            {move || exported.get().map(|e| view! { <Receipt e/> })}
        </section>
    }
}

/// The summary shown before signing: State, questionnaire version, answers, file size. Signed
/// again (with the real key, or a zero key while there is none) whenever the answers change.
#[component]
fn Summary(secret: RwSignal<Option<[u8; 32]>>) -> impl IntoView {
    let form = form();
    let preview = RwSignal::new(None::<(String, usize, usize)>);
    let latest = StoredValue::new(0u32);
    Effect::new(move |_| {
        let sk = secret.get().unwrap_or([0; 32]);
        form.reply.track_all();
        let this = latest.get_value().wrapping_add(1);
        latest.set_value(this);
        spawn_local(async move {
            let signed = sign_current(form, sk).await.ok();
            // A newer preview may have started while this one was in the worker (and the page
            // may have been left: nothing here may panic on a disposed value).
            if latest.try_get_value() == Some(this) {
                preview.set(signed.map(|s| (s.state, s.answers, s.text.len())));
            }
        });
    });
    view! {
        {move || preview.get().map(|(state, count, bytes)| {
            let cat = form.cat();
            view! {
                <dl class="summary" data-export="ready">
                    <dt>{cat.get("ui.summary_state").to_owned()}</dt>
                    <dd>{form.state_name(&state)} " (" {state.clone()} ")"</dd>
                    <dt>{cat.get("ui.summary_questionnaire").to_owned()}</dt>
                    <dd>{format!("{} v{}", form.q.id, form.q.version)}</dd>
                    <dt>{cat.get("ui.summary_answers").to_owned()}</dt>
                    <dd class="answer-count">{count.to_string()}</dd>
                    <dt>{cat.get("ui.summary_size").to_owned()}</dt>
                    <dd>{cat.format("ui.bytes", &[("n", &bytes.to_string())])}</dd>
                </dl>
            }
        })}
    }
}

/// The signing key: its fingerprint, and create / back up / restore / replace. The worker's
/// replies may come after the page was left: they only `set` signals, or use `try_` reads.
/// What the parts of the key panel share: the key in use, the line that says what happened, and
/// whether the signer's worker is busy with a backup or a restore.
#[derive(Clone, Copy)]
struct KeyState {
    form: Form,
    secret: RwSignal<Option<[u8; 32]>>,
    note: RwSignal<Option<String>>,
    /// While the worker is busy, the buttons say so (`aria-disabled`) and ignore clicks, but stay
    /// focusable: disabling the focused button would drop a keyboard user's place in the page.
    working: RwSignal<bool>,
    /// Notified when a backup of the key is made or opened: its date is read again.
    backed_up: Trigger,
}

impl KeyState {
    /// Creates a key in this browser and keeps it.
    fn create(self) {
        let sk = keys::random::<32>();
        match keys::store(&sk) {
            Ok(()) => self.secret.set(Some(sk)),
            Err(_) => self.note.set(Some(self.form.text("ui.save_failed")())),
        }
    }

    fn say(self, text: String) {
        self.note.set(Some(text));
    }
}

/// The signing key: create one, or its fingerprint and the tools to back it up, restore it and
/// replace it.
#[component]
pub(super) fn KeyPanel(secret: RwSignal<Option<[u8; 32]>>) -> impl IntoView {
    let form = form();
    let key = KeyState {
        form,
        secret,
        note: RwSignal::new(None),
        working: RwSignal::new(false),
        backed_up: Trigger::new(),
    };
    let fingerprint = fingerprint_of(key);
    // Whether the key in use has a backup, and since when: a key without one is one lost browser
    // away from a new registration with the secretariat.
    let backup_date = move || {
        key.backed_up.track();
        fingerprint.get().map(|id| keys::backed_up(&id))
    };
    view! {
        <div class="key-panel">
            <h3>{form.text("ui.key_title")}</h3>
            {move || match secret.get() {
                None => view! {
                    <p>{form.text("ui.key_none")()}</p>
                    <button type="button" class="create-key" on:click=move |_| key.create()>{form.text("ui.key_create")()}</button>
                }.into_any(),
                Some(_) => view! {
                    <p>{form.text("ui.key_fingerprint")()}</p>
                    {move || fingerprint.get().map(|id| view! {
                        <p class="fingerprint" dir="ltr" data-key-id=id.clone()>{group_key_id(&id)}</p>
                    })}
                    <p class="help">{form.text("ui.key_register")()}</p>
                    <button type="button" class="register-key" on:click=move |_| form.shell.show(View::Registration)>{form.text("ui.register_key")()}</button>
                    {move || backup_date().map(|date| match date {
                        Some(d) => view! {
                            <p class="key-health" data-backup="yes">
                                {form.cat().format("ui.key_backup_date", &[("date", &intl::date(&form.cat().lang, &d))])}
                            </p>
                        }.into_any(),
                        None => view! {
                            <p class="key-health warning" data-backup="none" role="note">{form.text("ui.key_backup_never")()}</p>
                        }.into_any(),
                    })}
                    <p class="help">{form.text("ui.key_loss_warning")()}</p>
                    <KeyTools key/>
                }.into_any(),
            }}
            {move || key.note.get().map(|n| view! { <p class="key-note" role="status">{n}</p> })}
        </div>
    }
}

/// The fingerprint of the key in use, from the worker (`None` while it is asked for).
fn fingerprint_of(key: KeyState) -> RwSignal<Option<String>> {
    let fingerprint = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        fingerprint.set(None);
        let Some(sk) = key.secret.get() else { return };
        spawn_local(async move {
            match signer::run(Job::KeyId { secret: sk }).await {
                // The key may have been replaced while the worker was busy.
                Ok(Done::KeyId(id)) if key.secret.try_get_untracked() == Some(Some(sk)) => {
                    fingerprint.set(Some(id))
                }
                Ok(_) => {}
                Err(_) => key.say(key.form.text("ui.signer_failed")()),
            }
        });
    });
    fingerprint
}

fn pass_too_short(form: Form) -> String {
    form.cat().format(
        "ui.pass_too_short",
        &[("n", &keyfile::MIN_PASSPHRASE_CHARS.to_string())],
    )
}

/// Backs the key up to a file, encrypted under the passphrase typed twice: the sentence that says
/// how it went.
async fn back_up(form: Form, sk: [u8; 32], passphrase: String, again: String) -> String {
    if passphrase != again {
        return form.text("ui.pass_mismatch")();
    }
    if !keyfile::long_enough(&passphrase) {
        return pass_too_short(form);
    }
    let job = Job::Lock {
        secret: sk,
        passphrase,
        salt: keys::random::<16>(),
        iv: keys::random::<16>(),
    };
    match signer::run(job).await {
        Ok(Done::Locked(Ok((pem, key_id)))) => {
            let name = format!("art32-signing-key-{}.pem", &key_id[..8]);
            match files::download(&name, "application/x-pem-file", &pem) {
                Ok(()) => {
                    keys::set_backed_up(&key_id, &files::today());
                    form.text("ui.backup_done")()
                }
                Err(_) => form.text("ui.file_save_failed")(),
            }
        }
        Ok(Done::Locked(Err(KeyFileError::PassphraseTooShort))) => pass_too_short(form),
        Ok(Done::Locked(Err(_))) => form.text("ui.key_file_bad")(),
        _ => form.text("ui.signer_failed")(),
    }
}

/// Restores a key from a backup file, asking first if it would replace another key: the sentence
/// that says how it went (`None`: the user kept the key in use).
async fn restore_from(key: KeyState, pem: String, passphrase: String) -> Option<String> {
    let form = key.form;
    key.working.set(true);
    key.say(form.text("ui.key_restore_busy")());
    let done = signer::run(Job::Unlock { pem, passphrase }).await;
    key.working.set(false);
    Some(match done {
        Ok(Done::Unlocked(Ok(sk))) => {
            let replaces = key
                .secret
                .try_get_untracked()
                .flatten()
                .is_some_and(|old| old != sk);
            if replaces && !dom::confirm(&form.text("ui.confirm_replace_key")()) {
                return None;
            }
            if keys::store(&sk).is_ok() {
                key.secret.set(Some(sk));
                // Opened from a backup file: the key has one.
                if let Ok(Done::KeyId(id)) = signer::run(Job::KeyId { secret: sk }).await {
                    keys::set_backed_up(&id, &files::today());
                    key.backed_up.notify();
                }
                form.text("ui.restore_done")()
            } else {
                form.text("ui.save_failed")()
            }
        }
        Ok(Done::Unlocked(Err(KeyFileError::WrongPassphrase))) => {
            form.text("ui.wrong_passphrase")()
        }
        Ok(Done::Unlocked(Err(_))) => form.text("ui.key_file_bad")(),
        _ => form.text("ui.signer_failed")(),
    })
}

/// Replaces the key in use by a new one that it vouches for: the old key signs a rotation
/// statement (`core::trust::rotate`), which every submission signed by the new key then carries,
/// so the secretariat needs no new letter. The statement names the State: without one chosen
/// (question S1), nothing changes.
fn rotate(key: KeyState, old: [u8; 32]) {
    let form = key.form;
    let Some(state) = form.reply.with_untracked(|a| {
        a.get(STATE_QUESTION)
            .and_then(|a| a.selected().first().cloned())
    }) else {
        key.say(form.text("ui.key_rotation_state")());
        return;
    };
    let new = keys::random::<32>();
    key.working.set(true);
    key.say(form.text("ui.key_rotation_busy")());
    spawn_local(async move {
        let job = Job::Rotate {
            old,
            new,
            state,
            rotated_at: now(),
            kept: keys::rotations(),
        };
        let said = match signer::run(job).await {
            // The statement first: kept for a key never stored, it is never followed.
            Ok(Done::Rotated(Ok(kept))) => {
                match keys::set_rotations(&kept).and_then(|()| keys::store(&new)) {
                    Ok(()) => {
                        key.secret.set(Some(new));
                        form.text("ui.key_rotated")()
                    }
                    Err(_) => form.text("ui.save_failed")(),
                }
            }
            Ok(Done::Rotated(Err(_))) => form.text("ui.key_rotation_failed")(),
            _ => form.text("ui.signer_failed")(),
        };
        key.working.set(false);
        key.say(said);
    });
}

/// Back up, restore and replace the key in use, behind a disclosure.
#[component]
fn KeyTools(key: KeyState) -> impl IntoView {
    let form = key.form;
    let working = key.working;
    let backup = move |_| {
        let Some(sk) = key.secret.get_untracked() else {
            return;
        };
        if working.get_untracked() {
            return;
        }
        let (p1, p2) = (
            dom::input_value("backup-pass"),
            dom::input_value("backup-pass2"),
        );
        // Checked at once; the busy state only while the worker encrypts.
        let quick = p1 != p2 || !keyfile::long_enough(&p1);
        if !quick {
            working.set(true);
            key.say(form.text("ui.key_backup_busy")());
        }
        spawn_local(async move {
            let said = back_up(form, sk, p1, p2).await;
            working.set(false);
            key.backed_up.notify();
            key.say(said);
        });
    };
    let restore = move |_| {
        if working.get_untracked() {
            return;
        }
        let Some(input) = dom::input("restore-file") else {
            return;
        };
        let pass = dom::input_value("restore-pass");
        spawn_local(async move {
            let Some(Ok((_, pem))) = files::read_picked(&input, 64 * 1024).await else {
                key.say(form.text("ui.key_file_bad")());
                return;
            };
            key.note.set(restore_from(key, pem, pass).await);
        });
    };
    let replace = move |_| {
        if working.get_untracked() || !dom::confirm(&form.text("ui.confirm_replace_key")()) {
            return;
        }
        match (key.secret.get_untracked(), dom::checked("vouch")) {
            (Some(old), true) => rotate(key, old),
            _ => {
                key.create();
                key.say(form.text("ui.key_replaced")());
            }
        }
    };
    view! {
        <details class="key-tools">
            <summary>{form.text("ui.key_manage")()}</summary>
            <p class="warning">{form.text("ui.key_backup_warning")()}</p>
            // Each box inside its label, so it keeps it in a closed `details` too.
            <label>{form.cat().format("ui.passphrase_min", &[("n", &keyfile::MIN_PASSPHRASE_CHARS.to_string())])}
                <input type="password" id="backup-pass" autocomplete="new-password"/></label>
            <label>{form.text("ui.passphrase_again")()}
                <input type="password" id="backup-pass2" autocomplete="new-password"/></label>
            <button type="button" class="backup-key" aria-disabled=move || working.get().then_some("true") on:click=backup>{form.text("ui.key_backup")()}</button>
            <hr/>
            <label>{form.text("ui.key_restore_file")()}
                <input type="file" id="restore-file" accept=".pem"/></label>
            <label>{form.text("ui.passphrase")()}
                <input type="password" id="restore-pass" autocomplete="current-password"/></label>
            <button type="button" class="restore-key" aria-disabled=move || working.get().then_some("true") on:click=restore>{form.text("ui.key_restore")()}</button>
            <hr/>
            <p class="warning">{form.text("ui.key_replace_warning")()}</p>
            <label class="inline"><input type="checkbox" id="vouch" checked/>{form.text("ui.key_vouch")()}</label>
            <button type="button" class="replace-key" aria-disabled=move || working.get().then_some("true") on:click=replace>{form.text("ui.key_replace")()}</button>
        </details>
    }
}

#[component]
fn Receipt(e: Exported) -> impl IntoView {
    let form = form();
    let recipient = RwSignal::new(keys::recipient());
    let e2 = e.clone();
    let send = move |_| {
        let e = e2.clone();
        if !share_file(&e.file_name, &e.text) {
            // No file sharing here: the file was downloaded; open the mail program with the details.
            let cat = form.cat();
            let subject = cat.format("ui.mail_subject", &[("state", &e.state), ("date", &e.date)]);
            let body = cat.format(
                "ui.mail_body",
                &[
                    ("file", &e.file_name),
                    ("key", &group_key_id(&e.key_id)),
                    ("sha256", &e.sha256),
                ],
            );
            open_mail(&recipient.get_untracked(), &subject, &body);
        }
    };
    view! {
        <div class="receipt" aria-labelledby="receipt-title">
            <h3 id="receipt-title" tabindex="-1">{form.text("ui.receipt_title")}</h3>
            <dl>
                <dt>{form.text("ui.summary_state")}</dt><dd>{e.state.clone()}</dd>
                <dt>{form.text("ui.receipt_date")}</dt><dd>{let date = e.date.clone(); move || crate::web::intl::date(&form.cat().lang, &date)}</dd>
                <dt>{form.text("ui.receipt_file")}</dt><dd dir="ltr" class="receipt-file">{e.file_name.clone()}</dd>
                <dt>{form.text("ui.receipt_sha256")}</dt><dd dir="ltr" class="receipt-sha256">{e.sha256.clone()}</dd>
                <dt>{form.text("ui.key_fingerprint")}</dt><dd dir="ltr">{group_key_id(&e.key_id)}</dd>
            </dl>
            <button type="button" class="print-receipt" on:click=move |_| print_receipt()>{form.text("ui.print_receipt")}</button>
            <h3>{form.text("ui.send_title")}</h3>
            <label for="recipient">{form.text("ui.recipient")}</label>
            <input type="email" id="recipient" dir="ltr" prop:value=move || recipient.get()
                on:input=move |ev| { let v = event_target_value(&ev); keys::set_recipient(&v); recipient.set(v); }/>
            <p class="help">{form.text("ui.recipient_help")}</p>
            <button type="button" class="send-email" on:click=send>{form.text("ui.send_email")}</button>
        </div>
    }
}

/// Opens the mail program with a message to `to` (which may be empty).
pub(super) fn open_mail(to: &str, subject: &str, body: &str) {
    let href = format!(
        "mailto:{}?subject={}&body={}",
        String::from(js_sys::encode_uri_component(to)),
        String::from(js_sys::encode_uri_component(subject)),
        String::from(js_sys::encode_uri_component(body)),
    );
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_href(&href);
    }
}

/// Shares a JSON file through the system share sheet where the browser can share files.
pub(super) fn share_file(file_name: &str, text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let navigator = window.navigator();
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::FilePropertyBag::new();
    options.set_type("application/json");
    let Ok(file) = web_sys::File::new_with_str_sequence_and_options(&parts, file_name, &options)
    else {
        return false;
    };
    let data = web_sys::ShareData::new();
    data.set_files(&js_sys::Array::of1(&file));
    data.set_title(file_name);
    if !navigator.can_share_with_data(&data) {
        return false;
    }
    let _ = navigator.share_with_data(&data);
    true
}

/// Prints only the receipt.
fn print_receipt() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let root = window.document().and_then(|d| d.document_element());
    if let Some(r) = &root {
        let _ = r.set_attribute("data-print", "receipt");
    }
    let _ = window.print();
    if let Some(r) = &root {
        let _ = r.remove_attribute("data-print");
    }
}
