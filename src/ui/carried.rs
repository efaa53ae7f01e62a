//! A reply started from a previous one (`core::cycle`): the notice over the form (which reply,
//! how many carried answers are not yet reviewed, "All of this section is still correct", "What
//! changed"), and each carried answer's mark with "Still correct". Their code comes with the
//! code that reads drafts (`lazy::DraftCode`): a carried reply is always a draft that was read or
//! made by a page that fetched that code first.

use std::cell::{Cell, RefCell};
use std::sync::Arc;

use leptos::prelude::*;

use super::{form, session, Form, Lock, View};
use crate::core::cycle::{Carry, Status};
use crate::core::draft::{Draft, Kept};
use crate::core::i18n::keys;
use crate::core::model::Questionnaire;
use crate::core::signer::{Checked, Done, Job};
use crate::core::submission::{ImportError, Verified, MAX_SUBMISSION_BYTES};
use crate::web::{files, intl, signer, storage};

/// The carried state of a draft, as kept (`Draft::cycle`), migrated to `q` if older; `None` if
/// the draft was not started from a previous reply or the member cannot be read.
pub fn read(q: &Questionnaire, kept: Option<&Kept>) -> Option<Carry> {
    let mut c = serde_json::from_str::<Carry>(kept?.get()).ok()?;
    c.migrate(q);
    Some(c)
}

/// The open draft's carried state, read from its `cycle` member once per change of it.
///
/// Over a memo of the member's text, a type the form's own code has already: a memo of a new
/// type would bring its reactive machinery into the form's wasm (its vtables stay there), for
/// every first visit.
#[derive(Clone, Copy)]
pub struct CarryState {
    kept: Memo<Option<String>>,
}

impl CarryState {
    /// The carried state (reactive: changes with the member).
    pub fn get(self) -> Option<Arc<Carry>> {
        self.kept.with(|k| parsed(KEPT_CHANGES.get(), k.as_deref()))
    }

    /// Whether the open draft was started from a previous reply (reactive).
    pub fn is_some(self) -> bool {
        self.kept.with(Option::is_some)
    }
}

thread_local! {
    static KEPT: Cell<Option<Memo<Option<String>>>> = const { Cell::new(None) };
    /// How many times the member's text changed: the marks of a section, and the notice, all
    /// read the same carried state again at every change of the answers, and comparing the
    /// text each time (110 KB with 200 rows) cost more than the marks themselves.
    static KEPT_CHANGES: Cell<u64> = const { Cell::new(0) };
    /// The carried state read at that count.
    static PARSED: RefCell<Option<(u64, Option<Arc<Carry>>)>> = const { RefCell::new(None) };
}

fn parsed(changes: u64, text: Option<&str>) -> Option<Arc<Carry>> {
    let text = text?;
    PARSED.with_borrow_mut(|cache| match cache {
        Some((n, c)) if *n == changes => c.clone(),
        _ => {
            let c = read(
                Questionnaire::builtin(),
                Kept::new(text.to_owned()).as_ref(),
            )
            .map(Arc::new);
            *cache = Some((changes, c.clone()));
            c
        }
    })
}

/// The open draft's carried state, read now and not followed: for event handlers and tasks,
/// which run under no owner.
pub fn carry_now(form: Form) -> Option<Carry> {
    form.session
        .with_meta_untracked(|m| read(form.q, m.cycle.as_ref()))
}

/// The open draft's carried state, for components (it needs an owner the first time: its memo
/// then belongs to the app's root owner, so it lives as long as the app, whichever component
/// asked first; an app mounted again, as the component tests do, makes its own).
pub fn carry(form: Form) -> CarryState {
    let alive = KEPT
        .get()
        .filter(|kept| kept.try_with_untracked(|_| ()).is_some());
    let kept = alive.unwrap_or_else(|| {
        let mut root = Owner::current().expect("called inside the app");
        while let Some(parent) = root.parent() {
            root = parent;
        }
        let kept = root.with(|| {
            Memo::new(move |before: Option<&Option<String>>| {
                let now = form
                    .session
                    .with_meta(|m| m.cycle.as_ref().map(|k| k.get().to_owned()));
                if before != Some(&now) {
                    KEPT_CHANGES.set(KEPT_CHANGES.get() + 1);
                }
                now
            })
        });
        KEPT.set(Some(kept));
        kept
    });
    CarryState { kept }
}

/// Keeps `c` in the open draft and writes the draft.
pub fn keep(form: Form, c: &Carry) {
    let json = serde_json::to_string(c).expect("a carried state always serializes");
    session::set_cycle(form, Kept::new(json));
    session::save_now(form, true);
}

/// Declares the carried answers of `ids` still correct.
fn review(form: Form, ids: &[&str]) {
    if form.session.lock_untracked() != Lock::Open {
        return;
    }
    if let Some(mut c) = carry_now(form) {
        c.review(ids.iter().copied());
        keep(form, &c);
    }
}

/// The carried answers not yet reviewed among the questions shown, of one section or all
/// (reactive: a task after a change of the answers, as the checks).
pub fn not_reviewed(form: Form, c: &Carry, section: Option<&str>) -> Vec<&'static str> {
    let q = form.q;
    let shown = form.reply.shown.get();
    form.reply.with_checked(|a| {
        c.not_reviewed(q, a, |id| {
            shown.contains(id)
                && section.is_none_or(|s| q.question(id).is_some_and(|it| it.section.id == s))
        })
    })
}

/// The notice over the form of a carried reply.
#[component]
pub fn CarriedNotice() -> impl IntoView {
    let form = form();
    let carry = carry(form);
    Effect::new(move |_| {
        // Its wording is in the rest of the catalog.
        if carry.is_some() {
            super::wording::fetch_rest(form);
            crate::web::dom::page_styles();
        }
    });
    move || {
        let c = carry.get()?;
        if !form.cat().whole {
            return None;
        }
        let cat = form.cat();
        let all = not_reviewed(form, &c, None).len();
        let section = match form.shell.view() {
            View::Section(id) => Some(id),
            _ => None,
        };
        let here = section
            .map(|s| not_reviewed(form, &c, Some(s)))
            .unwrap_or_default();
        let summary = cat.format(
            "ui.cycle_notice",
            &[
                (
                    "date",
                    &intl::date(&cat.lang, &c.previous.signed_at.as_str()[..10]),
                ),
                ("count", &all.to_string()),
            ],
        );
        let section_button = (!here.is_empty()).then(|| {
            let label = cat.format(
                "ui.cycle_section_ok",
                &[
                    ("section", &form.lookup(&keys::section_title(section.unwrap_or_default()))),
                    ("count", &here.len().to_string()),
                ],
            );
            view! {
                <button type="button" class="review-section" on:click=move |_| review(form, &here)>{label}</button>
            }
        });
        Some(view! {
            <aside class="carried-notice" aria-label=cat.get("ui.cycle_title").to_owned() data-not-reviewed=all>
                <p>{summary}</p>
                {section_button}
                <button type="button" class="open-what-changed" on:click=move |_| {
                    form.shell.show(View::StillToAnswer);
                    WHAT_CHANGED_NEXT.set(true);
                }>{cat.get("ui.cycle_what_changed").to_owned()}</button>
            </aside>
        })
    }
}

thread_local! {
    /// "What changed" was asked for: the still-to-answer page opens at that part.
    pub static WHAT_CHANGED_NEXT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// A question's controls (`body`), and under them the mark of a carried reply: carried and not
/// yet reviewed (with "Still correct"), carried and reviewed, or changed since the last reply;
/// nothing for a question answered neither then nor now, or in a reply not carried.
pub fn carried_mark(id: &'static str, body: AnyView) -> AnyView {
    let form = form();
    let carry = carry(form);
    let mark = move || {
        let c = carry.get()?;
        if !form.cat().whole {
            return None;
        }
        // A task after any change, as the checks: a group's mark follows its rows' fields too,
        // and comparing 200 rows with the last reply's stays out of a keystroke's frame.
        let status = form.reply.with_checked(|a| c.status(id, a.get(id)))?;
        let cat = form.cat();
        let (data, key) = match status {
            Status::NotReviewed => ("not-reviewed", "ui.cycle_mark_not_reviewed"),
            Status::Reviewed => ("reviewed", "ui.cycle_mark_reviewed"),
            Status::Changed => ("changed", "ui.cycle_mark_changed"),
        };
        let button = (status == Status::NotReviewed).then(|| {
            view! {
                <button type="button" class="still-correct" on:click=move |_| review(form, &[id])>
                    {cat.get("ui.cycle_still_correct").to_owned()}
                    <span class="visually-hidden">" " {id}</span>
                </button>
            }
        });
        Some(view! {
            <p class="carried-mark" data-carried=data>
                <span>{cat.get(key).to_owned()}</span> " " {button}
            </p>
        })
    };
    view! { {body} {mark} }.into_any()
}

/// Starts the next cycle from a verified submission: a new draft of this questionnaire version
/// holding its answers carried over, each not yet reviewed, and what could not be carried
/// listed apart; shown at its first section. The error is a sentence for the user.
pub fn start_from(form: Form, v: &Verified) -> Result<(), String> {
    let q = form.q;
    let cat = form.cat();
    let carried = crate::core::cycle::carry(q, v).map_err(|e| match e {
        ImportError::NewerVersion(_) => cat.get("ui.cycle_newer").to_owned(),
        ImportError::OtherQuestionnaire(_) => cat.get("ui.file_other_questionnaire").to_owned(),
        e => format!("{} {e}", cat.get("ui.verify_malformed")),
    })?;
    let name = cat.format(
        "ui.cycle_draft_name",
        &[
            ("state", &form.state_name(&v.state)),
            ("date", &intl::date(&cat.lang, &v.signed_at.as_str()[..10])),
        ],
    );
    let mut d = Draft::new(q, &storage::new_id(), &name, &cat.lang);
    d.answers = carried.answers.clone();
    let json = serde_json::to_string(&Carry::new(q, &carried)).expect("serializes");
    d.cycle = Kept::new(json);
    d.revision = 1;
    d.saved_at = files::now_utc();
    // What is on screen is written first: it stays a draft of its own.
    session::save_now(form, false);
    session::add_and_show(form, d, Lock::Open);
    form.shell.open_section(q.sections[0].id);
    Ok(())
}

/// Reads a picked file as a signed submission, checked in the signer's worker: what it says and
/// the file's name, or why not as a sentence for the user; `None` if no file was picked.
pub async fn read_verified(
    form: Form,
    input: &web_sys::HtmlInputElement,
) -> Option<Result<(Box<Verified>, String), String>> {
    signer::warm_up();
    let picked = files::read_picked(input, MAX_SUBMISSION_BYTES).await;
    input.set_value("");
    Some(match picked? {
        Err(files::ReadError::TooLarge(_)) => Err(form.text("ui.file_too_large")()),
        Err(files::ReadError::Unreadable) => Err(form.text("ui.verify_malformed")()),
        Ok((name, text)) => match signer::run(Job::Verify { text }).await {
            Ok(Done::Checked(Checked::Valid(v))) => Ok((v, name)),
            Ok(Done::Checked(Checked::SignatureInvalid)) => Err(form.text("ui.verify_invalid")()),
            Ok(Done::Checked(Checked::Malformed(reason))) => {
                Err(format!("{} {reason}", form.text("ui.verify_malformed")()))
            }
            _ => Err(form.text("ui.signer_failed")()),
        },
    })
}
