//! The notice over a contributor's part: whose reply it is a part of, for whom, what it asks,
//! and the way to return it. Its code comes with the code that reads drafts (`lazy::DraftCode`):
//! a part is always a draft that was read.

use leptos::prelude::*;
use serde_json::{Map, Value};

use super::{form, View};
use crate::core::answers::IdSet;
use crate::core::draft::Kept;
use crate::core::handoff::{DraftHandoff, Request};
use crate::core::model::Questionnaire;

/// The request a contributor's draft answers, if the draft is one (`DraftHandoff::PartOf`). Its
/// signature was checked when it was opened; the draft keeps it as received.
pub fn request_of(kept: &Kept) -> Option<Request> {
    request_in(kept.get())
}

fn request_in(kept: &str) -> Option<Request> {
    match serde_json::from_str::<DraftHandoff>(kept).ok()? {
        DraftHandoff::PartOf(text) => {
            let members = serde_json::from_str::<Map<String, Value>>(&text).ok()?;
            Request::from_verified(Questionnaire::builtin(), members).ok()
        }
        DraftHandoff::Book(_) => None,
    }
}

/// The questions a contributor's part may answer.
fn questions_of(request: &Request) -> IdSet<&'static str> {
    let q = Questionnaire::builtin();
    let mut only = IdSet::default();
    for id in &request.questions {
        if let Some(it) = q.question(id) {
            only.insert(it.question.id);
        }
    }
    only
}

#[component]
pub fn PartNotice() -> impl IntoView {
    let form = form();
    // Its styles come with the pages fetched later.
    crate::web::dom::page_styles();
    // Read again only when the draft's hand-off member changes. Every save sets the draft's
    // metadata, at every keystroke, and reading the request there (its base answers too: 200
    // rows with section E handed out) cost more than the rest of the keystroke.
    let kept = Memo::new(move |_| {
        form.session
            .with_meta(|m| m.handoff.as_ref().map(|k| k.get().to_owned()))
    });
    let request = Memo::new(move |_| kept.with(|k| k.as_deref().and_then(request_in)));
    // In a part, the form shows, checks and counts the questions handed out only; drawn while
    // a draft with hand-offs is shown (`lazy::LockSlot`), so its end gives the whole form back.
    Effect::new(move |_| {
        form.reply
            .show_only(request.with(|r| r.as_ref().map(questions_of).unwrap_or_default()));
    });
    on_cleanup(move || form.reply.show_only(IdSet::default()));
    // A part opens where its questions are: the first section asks none of them, most often,
    // and the way there brings the wording this notice needs.
    Effect::new(move |_| {
        let q = form.q;
        let first_section = q.sections[0].id;
        let Some((first, asks_first)) = request.with(|r| {
            let r = r.as_ref()?;
            let asks_first = r.questions.iter().any(|id| {
                q.question(id)
                    .is_some_and(|it| it.section.id == first_section)
            });
            Some((r.questions.first()?.clone(), asks_first))
        }) else {
            return;
        };
        let on_first = untrack(|| form.shell.view() == View::Section(first_section));
        if on_first && !asks_first {
            form.shell.open_question(form.q, &first);
        }
    });
    move || {
        let r = request.get()?;
        // Its wording is in the rest of the catalog, which showing a part's section brings.
        if !form.cat().whole {
            return None;
        }
        let state = r
            .state
            .as_deref()
            .map(|s| form.state_name(s))
            .unwrap_or_else(|| form.text("ui.part_no_state")());
        Some(view! {
            <section class="notice part-notice" aria-labelledby="part-notice-title">
                <h2 id="part-notice-title">{form.cat().format("ui.part_title", &[("state", &state), ("label", &r.to.label)])}</h2>
                <p>{form.cat().format("ui.part_body", &[("count", &r.questions.len().to_string())])}</p>
                <button type="button" class="return-part-link" on:click=move |_| {
                    form.shell.show(View::Handoffs);
                    crate::web::dom::focus_later("handoffs-title".to_owned());
                }>{form.text("ui.part_return")}</button>
            </section>
        })
    }
}
