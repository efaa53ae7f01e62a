//! One question: its controls, help and problems, shown only while its show-if rule holds.

use leptos::prelude::*;

use super::fields::{answer_input, Labels, Slot};
use super::lazy::LazyRepeatGroup;
use super::{form, question_dom_id, Lock};
use crate::core::i18n::keys;
use crate::core::model::{Kind, Question};

/// One question. `ALL`: as for [`answer_input`] (false for the first section only).
pub fn question_card<const ALL: bool>(question: &'static Question) -> impl IntoView {
    untrack(move || question_card_untracked::<ALL>(question))
}

fn question_card_untracked<const ALL: bool>(question: &'static Question) -> impl IntoView {
    let form = form();
    let id: &'static str = question.id;
    let shown = move || form.reply.shown.with(|s| s.contains(id));
    let labels = Labels {
        label_key: keys::question_label(id),
        owner: keys::question_owner(id),
        help_key: question.help.then(|| keys::question_help(id)),
        number: id,
    };
    // A default (H4: today) is filled in when the question is shown unanswered, in a draft that
    // can be written.
    if question.default.is_some() {
        Effect::new(move |_| {
            if shown() && form.session.lock_untracked() == Lock::Open {
                let today = crate::web::files::today();
                if let Some(answer) = form
                    .reply
                    .with_untracked(|a| question.prefill(a.get(id), &today))
                {
                    form.reply.set(id, answer);
                }
            }
        });
    }
    let body = match &question.kind {
        Kind::Group { .. } => view! { <LazyRepeatGroup question labels/> }.into_any(),
        kind => answer_input::<ALL>(Slot::question(id), kind, labels, question.required).into_any(),
    };
    let body = super::lazy::with_mark(id, body);
    view! {
        <div
            class="question"
            class:follow-up=question.show_if.is_some()
            id=question_dom_id(id)
            data-question=id
            hidden=move || !shown()
        >
            {body}
        </div>
    }
}
