//! The draft being edited and its life in storage: autosave, the lost-update rule between tabs,
//! live updates from other tabs, flush on page hide, and the draft actions (new, open, rename,
//! duplicate, delete, to and from a file).
//!
//! Every write of the open draft goes through [`save_now`], which applies
//! `core::draft::decide_write`; every write to storage, through [`write`] or [`delete_stored`],
//! which tell the drafts list ([`Session::track_drafts`]).

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use super::{lazy, Form, Lock, Meta, SaveState};
use crate::core::draft::{decide_write, file_name, Draft, Kept, Opened, Write};
use crate::web::{dom, files, persist, storage};

/// The draft's session: which draft is open and how it stands in storage. Its signals are
/// written only by this module's functions.
#[derive(Clone, Copy)]
pub struct Session {
    meta: RwSignal<Meta>,
    lock: RwSignal<Lock>,
    save_state: RwSignal<SaveState>,
    /// Whether the browser granted persistent storage (`None`: not asked yet).
    persisted: RwSignal<Option<bool>>,
    /// The last deleted draft, for "Undo".
    deleted: RwSignal<Option<Draft>>,
    /// Notified by every write of this tab to storage: the drafts list follows it (another tab's
    /// writes show when the list is next drawn).
    stored: Trigger,
}

impl Default for Session {
    fn default() -> Session {
        Session {
            meta: RwSignal::new(Meta::default()),
            lock: RwSignal::new(Lock::Open),
            save_state: RwSignal::new(SaveState::Idle),
            persisted: RwSignal::new(None),
            deleted: RwSignal::new(None),
            stored: Trigger::new(),
        }
    }
}

impl Session {
    /// Calls `f` with the open draft's metadata (reactive).
    #[inline]
    pub fn with_meta<T>(&self, f: impl FnOnce(&Meta) -> T) -> T {
        self.meta.with(f)
    }

    /// Calls `f` with the open draft's metadata, without subscribing.
    #[inline]
    pub fn with_meta_untracked<T>(&self, f: impl FnOnce(&Meta) -> T) -> T {
        self.meta.with_untracked(f)
    }

    /// Whether the open draft may be changed (reactive).
    #[inline]
    pub fn lock(&self) -> Lock {
        self.lock.get()
    }

    #[inline]
    pub fn lock_untracked(&self) -> Lock {
        self.lock.get_untracked()
    }

    /// How the last autosave went (reactive).
    #[inline]
    pub fn save_state(&self) -> SaveState {
        self.save_state.get()
    }

    /// Whether the browser granted persistent storage (reactive).
    #[inline]
    pub fn persisted(&self) -> Option<bool> {
        self.persisted.get()
    }

    /// The last deleted draft, for "Undo" (reactive).
    #[inline]
    pub fn deleted(&self) -> Option<Draft> {
        self.deleted.get()
    }

    /// Subscribes the running effect to every change of the drafts in storage.
    #[inline]
    pub fn track_drafts(&self) {
        self.stored.track();
    }
}

/// Writes a draft to storage; a failure is shown in the draft bar (the answers stay in memory).
pub fn write(form: Form, d: &Draft) -> bool {
    let written = storage::write(d);
    form.session.stored.notify();
    match written {
        Ok(()) => true,
        Err(reason) => {
            show_save_state(form, SaveState::Failed { reason });
            false
        }
    }
}

/// Keeps a draft made from a file or a submission (its id new) and shows it: shown even if it
/// could not be written, since its answers are in memory and can be saved to a file.
pub fn add_and_show(form: Form, d: Draft, lock: Lock) {
    write(form, &d);
    show(form, d, lock);
}

/// Sets the draft's hand-offs (`core::handoff::DraftHandoff`); written with the next save.
pub fn set_handoff(form: Form, handoff: Option<Kept>) {
    form.session.meta.update(|m| m.handoff = handoff);
}

/// Sets what the draft remembers of the reply it was started from (`core::cycle::Carry`);
/// written with the next save.
pub fn set_cycle(form: Form, cycle: Option<Kept>) {
    form.session.meta.update(|m| m.cycle = cycle);
}

/// Deletes a stored draft (`unreadable`: one that could not be read, by its raw text's key).
pub fn delete_stored(form: Form, id: &str, unreadable: bool) {
    if unreadable {
        storage::delete_unreadable(id);
    } else {
        storage::delete(id);
    }
    form.session.stored.notify();
}

impl Meta {
    fn of(d: &Draft) -> Meta {
        Meta {
            id: d.id.clone(),
            name: d.name.clone(),
            revision: d.revision,
            saved_at: d.saved_at.clone(),
            changes_since_file: d.changes_since_file,
            handoff: d.handoff.clone(),
            cycle: d.cycle.clone(),
        }
    }
}

/// Builds the draft document for what is on screen now.
fn snapshot(form: Form) -> Draft {
    let mut d = heading(form);
    d.answers = form.reply.answers_untracked();
    d
}

/// The draft document for what is on screen now, without its answers.
fn heading(form: Form) -> Draft {
    let meta = form.session.meta.get_untracked();
    let q = form.q;
    let mut d = Draft::new(
        q,
        &meta.id,
        &meta.name,
        &form.wording.catalog_untracked().lang,
    );
    d.revision = meta.revision;
    d.saved_at = meta.saved_at;
    d.changes_since_file = meta.changes_since_file;
    d.handoff = meta.handoff;
    d.cycle = meta.cycle;
    d
}

/// Shows a draft in the form. Nothing is written.
pub fn show(form: Form, d: Draft, lock: Lock) {
    storage::set_current_id(&d.id);
    form.session.meta.set(Meta::of(&d));
    form.session.lock.set(lock);
    form.reply.untouch_all();
    form.reply.check_all(false);
    form.reply.forget_removed();
    show_save_state(form, SaveState::Idle);
    form.reply.replace_answers(d.answers);
    SAVED_EDITS.set(Some(form.reply.edits()));
}

/// Writes the draft if anything changed since the last write (or if `force`), unless the form is
/// locked. A write based on a stale revision is refused and locks the form instead.
pub fn save_now(form: Form, force: bool) {
    if form.session.lock.get_untracked() != Lock::Open {
        return;
    }
    let edits = form.reply.edits();
    let unchanged = SAVED_EDITS.get() == Some(edits);
    if unchanged && !force {
        return;
    }
    let timing = dom::Timing::start("art32:autosave");
    let mut d = heading(form);
    match decide_write(storage::stored_revision(&d.id), d.revision) {
        Write::Conflict { .. } => {
            form.session.lock.set(Lock::Conflict);
        }
        Write::As(revision) => {
            d.revision = revision;
            d.saved_at = files::now_utc();
            if !unchanged {
                d.changes_since_file += 1;
            }
            let written = form.reply.lend(|answers| {
                d.answers = answers;
                let written = write(form, &d);
                (std::mem::take(&mut d.answers), written)
            });
            if written == Some(true) {
                timing.end();
                SAVED_EDITS.set(Some(edits));
                form.session.meta.set(Meta::of(&d));
                // To the minute, as it is shown: saves within a minute leave the page as it is.
                let minute = js_sys::Date::now() as u64 / 60_000 * 60_000;
                if SAVED_MINUTE.get() != minute {
                    show_save_state(form, SaveState::Saved { at: minute });
                }
                ask_persistence_once(form);
            }
            // Otherwise the answers stay in memory and on screen; the next change tries again.
        }
    }
}

thread_local! {
    /// [`Reply::edits`](super::reply::Reply::edits) as last written to storage or read from it
    /// (`None`: write at the next chance). Not a field of [`Session`], for the reason given at
    /// `reply::EDITS`.
    static SAVED_EDITS: std::cell::Cell<Option<u64>> = const { std::cell::Cell::new(None) };
    /// The minute of the last "Saved" shown; 0 once another state is shown.
    static SAVED_MINUTE: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Shows whether the draft is saved: every change of it goes through here, so that the minute
/// of "Saved" is forgotten once another state is shown.
fn show_save_state(form: Form, state: SaveState) {
    SAVED_MINUTE.set(match state {
        SaveState::Saved { at } => at,
        _ => 0,
    });
    form.session.save_state.set(state);
}

fn ask_persistence_once(form: Form) {
    if form.session.persisted.get_untracked().is_none() {
        form.session.persisted.set(Some(false));
        leptos::task::spawn_local(async move {
            form.session
                .persisted
                .set(Some(persist::request_persistence().await.unwrap_or(false)));
        });
    }
}

/// Installs autosave, the listener for other tabs, and the flush on page hide.
pub fn install(form: Form) {
    // Autosave: every change of the answers (or of the language) is written at once.
    Effect::new(move |_| {
        form.reply.track_all();
        form.wording.track_language();
        save_now(form, false);
    });

    let window = web_sys::window().expect("a window");
    // Another tab wrote this draft: take its newer revision, unless this tab holds answers that
    // could not be written (then it stays locked, and the user chooses).
    let on_storage =
        Closure::<dyn Fn(web_sys::StorageEvent)>::new(move |ev: web_sys::StorageEvent| {
            let Some(key) = ev.key() else { return };
            let concerns_us = move || {
                let id = form.session.meta.with_untracked(|m| m.id.clone());
                (storage::id_of_draft_key(&key) == Some(id.as_str())
                    && form.session.lock.get_untracked() == Lock::Open)
                    .then_some(id)
            };
            if concerns_us().is_none() {
                return;
            }
            // Asked again once the reader is here (the first time, it may have to be fetched).
            // Without it, this tab does not follow; its next write then finds the newer
            // revision and locks the form, as for any conflict.
            lazy::with_draft_code(move |code| {
                if let (Some(code), Some(id)) = (code, concerns_us()) {
                    (code.follow)(form, id);
                }
            });
        });
    let _ = window.add_event_listener_with_callback("storage", on_storage.as_ref().unchecked_ref());
    on_storage.forget();

    let flush = Closure::<dyn Fn()>::new(move || save_now(form, false));
    let _ = window.add_event_listener_with_callback("pagehide", flush.as_ref().unchecked_ref());
    if let Some(doc) = window.document() {
        let _ = doc
            .add_event_listener_with_callback("visibilitychange", flush.as_ref().unchecked_ref());
    }
    flush.forget();
}

/// Takes another tab's newer revision of the open draft `id`; locks the form if that revision
/// is for a newer version. Part of the code that reads drafts ([`lazy::DraftCode`]).
pub fn follow(form: Form, id: String) {
    let Some(open) = lazy::loaded_draft_reader() else {
        return;
    };
    match storage::read(open, form.q, &id) {
        Some(Ok(Opened::Current(d)))
            if d.revision > form.session.meta.with_untracked(|m| m.revision) =>
        {
            form.session.meta.set(Meta::of(&d));
            form.reply.replace_answers(d.answers);
            SAVED_EDITS.set(Some(form.reply.edits()));
            show_save_state(
                form,
                SaveState::Synced {
                    at: js_sys::Date::now() as u64,
                },
            );
        }
        Some(Ok(Opened::Newer(_))) => form.session.lock.set(Lock::Conflict),
        _ => {}
    }
}

/// A draft name for a new reply, e.g. "Reply 2026-11-27".
fn default_name(form: Form) -> String {
    form.cat()
        .format("ui.draft_default_name", &[("date", &files::today())])
}

/// Shows a new, empty draft, in the language on screen.
fn show_new(form: Form) {
    let d = Draft::new(
        form.q,
        &storage::new_id(),
        &default_name(form),
        &form.cat().lang,
    );
    show(form, d, Lock::Open);
}

/// Starts a new, empty draft and opens it.
pub fn new_draft(form: Form) {
    save_now(form, false);
    show_new(form);
    save_now(form, true);
}

/// A draft as opened, and the lock it is shown under: one written for a newer version of the
/// questionnaire is shown only.
pub fn with_lock(opened: Opened) -> (Draft, Lock) {
    match opened {
        Opened::Current(d) => (d, Lock::Open),
        Opened::Newer(d) => {
            let v = d.version;
            (d, Lock::Newer(v))
        }
    }
}

/// Opens a stored draft by id.
pub fn open(form: Form, id: &str) {
    save_now(form, false);
    let id = id.to_owned();
    lazy::with_draft_reader(move |open| {
        match open.and_then(|open| storage::read(open, form.q, &id)) {
            Some(Ok(opened)) => {
                let (d, lock) = with_lock(opened);
                show(form, d, lock);
            }
            _ => form.shell.say(form.text("ui.draft_cannot_open")()),
        }
    });
}

/// Reloads the newer revision another tab wrote, dropping this tab's unwritten change.
pub fn take_newer(form: Form) {
    let id = form.session.meta.with_untracked(|m| m.id.clone());
    form.session.lock.set(Lock::Open);
    open(form, &id);
}

/// Keeps this tab's answers by saving them as a new draft (after a conflict).
pub fn save_mine_as_new(form: Form) {
    let mut d = snapshot(form);
    d.id = storage::new_id();
    d.name = form.cat().format("ui.draft_copy_of", &[("name", &d.name)]);
    d.revision = 0;
    show(form, d.clone(), Lock::Open);
    SAVED_EDITS.set(None);
    save_now(form, true);
}

pub fn rename(form: Form, id: &str, name: String) {
    if form.session.meta.with_untracked(|m| m.id == id) {
        form.session.meta.update(|m| m.name = name);
        save_now(form, true);
        return;
    }
    let id = id.to_owned();
    lazy::with_draft_reader(move |open| {
        if let Some(Ok(Opened::Current(mut d))) = open.and_then(|o| storage::read(o, form.q, &id)) {
            if decide_write(storage::stored_revision(&id), d.revision) == Write::As(d.revision + 1)
            {
                d.name = name;
                d.revision += 1;
                write(form, &d);
            }
        }
    });
}

pub fn duplicate(form: Form, id: &str) {
    save_now(form, false);
    let id = id.to_owned();
    lazy::with_draft_reader(move |open| {
        let Some(Ok(Opened::Current(mut d))) = open.and_then(|o| storage::read(o, form.q, &id))
        else {
            return;
        };
        d.id = storage::new_id();
        d.name = form.cat().format("ui.draft_copy_of", &[("name", &d.name)]);
        d.revision = 1;
        d.saved_at = files::now_utc();
        write(form, &d);
    });
}

/// Deletes a draft, keeping it in memory for "Undo". Deleting the open draft opens another one.
pub fn delete(form: Form, id: &str) {
    let id = id.to_owned();
    lazy::with_draft_reader(move |open| {
        let Some(open) = open else { return };
        let Some(Ok(Opened::Current(d) | Opened::Newer(d))) = storage::read(open, form.q, &id)
        else {
            return;
        };
        delete_stored(form, &id, false);
        form.session.deleted.set(Some(d));
        if form.session.meta.with_untracked(|m| m.id == id) {
            let next = storage::scan(open, form.q)
                .into_iter()
                .find_map(|e| match e {
                    storage::Entry::Draft(d) => Some(d),
                    _ => None,
                });
            match next {
                Some(d) => show(form, d, Lock::Open),
                None => new_draft(form),
            }
        }
    });
}

pub fn undo_delete(form: Form) {
    if let Some(d) = form.session.deleted.get_untracked() {
        if write(form, &d) {
            form.session.deleted.set(None);
        }
    }
}

/// Saves the open draft as a plain JSON file, and resets the backup reminder.
pub fn save_to_file(form: Form) {
    let d = snapshot(form);
    let name = file_name(&d, &files::today());
    match files::download(&name, "application/json", &d.to_json()) {
        Ok(()) => {
            form.session.meta.update(|m| m.changes_since_file = 0);
            save_now(form, true);
        }
        Err(_) => form.shell.say(form.text("ui.file_save_failed")()),
    }
}

/// Saves the raw text of an unreadable draft to a file, for rescue by hand.
pub fn save_unreadable_to_file(form: Form, id: &str) {
    if let Some(text) = storage::unreadable_text(id) {
        if files::download(&format!("unreadable-draft-{id}.txt"), "text/plain", &text).is_err() {
            form.shell.say(form.text("ui.file_save_failed")());
        }
    }
}

/// Starts the session: opens the last draft (or the newest, or a new one), reporting unreadable ones.
pub fn start(form: Form) {
    // `ui::start` has fetched the code that reads drafts if storage holds any.
    if !lazy::resume_stored_draft(form) {
        // Not written until the first answer (`show` counts it as saved): opening the app
        // leaves no empty drafts behind.
        show_new(form);
    }
    install(form);
}

/// Shows the draft to go on with: the last one open, else the newest readable one; says how many
/// could not be read. Whether there was one. Part of the code that reads drafts
/// ([`lazy::DraftCode`]): a first visit, with no drafts, goes without it.
pub fn resume(form: Form) -> bool {
    let entries = lazy::loaded_draft_reader()
        .map(|open| storage::scan(open, form.q))
        .unwrap_or_default();
    let unreadable = entries
        .iter()
        .filter(|e| matches!(e, storage::Entry::Unreadable { .. }))
        .count();
    if unreadable > 0 {
        form.shell.say(form.cat().format(
            "ui.drafts_unreadable",
            &[("count", &unreadable.to_string())],
        ));
    }
    let wanted = storage::current_id();
    let pick = entries
        .iter()
        .find(|e| {
            Some(e.id()) == wanted.as_deref() && !matches!(e, storage::Entry::Unreadable { .. })
        })
        .or_else(|| {
            entries
                .iter()
                .find(|e| matches!(e, storage::Entry::Draft(_)))
        })
        .cloned();
    match pick {
        Some(storage::Entry::Draft(d)) => show(form, d, Lock::Open),
        Some(storage::Entry::Newer(d)) => {
            let v = d.version;
            show(form, d, Lock::Newer(v));
        }
        _ => return false,
    }
    true
}
