//! The questions still to answer or to correct, by section, each a link to the question.

use leptos::prelude::*;

use super::carried::{carry, not_reviewed};
use super::changes::WhatChanged;
use super::form;
use crate::core::i18n::{describe, keys};
use crate::core::validate::open_questions;

#[component]
pub fn StillToAnswer() -> impl IntoView {
    let form = form();
    view! {
        <section class="still-to-answer" aria-labelledby="still-to-answer">
            <h2 id="still-to-answer" tabindex="-1">{form.text("ui.still_to_answer")}</h2>
            <CarriedCount/>
            {move || {
                let issues = form.reply.issues.get();
                let open = open_questions(&issues);
                if open.is_empty() {
                    return view! { <p class="all-done">{form.text("ui.nothing_left")()}</p> }.into_any();
                }
                let cat = form.cat();
                let intro = cat.format("ui.still_to_answer_intro", &[("count", &open.len().to_string())]);
                let sections = form.q.sections.iter().filter_map(|section| {
                    let here: Vec<&str> = open
                        .iter()
                        .copied()
                        .filter(|id| section.questions.iter().any(|q| q.id == *id))
                        .collect();
                    if here.is_empty() {
                        return None;
                    }
                    let items = here
                        .into_iter()
                        .map(|qid| {
                            let why: Vec<String> = issues.iter().filter(|i| i.question == qid).map(|i| describe(cat, form.q, i)).collect();
                            let mut why = why;
                            why.dedup();
                            let target = qid.to_owned();
                            view! {
                                <li data-open-question=qid.to_owned()>
                                    <button type="button" class="open-question" on:click=move |_| {
                                        form.reply.touch(target.clone());
                                        form.shell.open_question(form.q, &target);
                                    }>
                                        <span class="qid">{qid.to_owned()}</span> " "
                                        {cat.get(&keys::question_label(qid)).to_owned()}
                                    </button>
                                    <span class="why">{why.join(" ")}</span>
                                </li>
                            }
                        })
                        .collect_view();
                    Some(view! {
                        <h3><span class="section-letter">{section.id}</span> " " {cat.get(&keys::section_title(section.id)).to_owned()}</h3>
                        <ul class="open-questions">{items}</ul>
                    })
                });
                view! { <p>{intro}</p> {sections.collect_view()} }.into_any()
            }}
        </section>
        <WhatChanged/>
    }
}

/// In a reply started from a previous one, the carried answers not yet reviewed: counted apart,
/// since they do not stop the export (which asks for a confirmation while any remain).
#[component]
fn CarriedCount() -> impl IntoView {
    let form = form();
    let carry = carry(form);
    move || {
        let c = carry.get()?;
        let n = not_reviewed(form, &c, None).len();
        let text = if n == 0 {
            form.cat().get("ui.cycle_all_reviewed").to_owned()
        } else {
            form.cat()
                .format("ui.cycle_count", &[("count", &n.to_string())])
        };
        Some(view! { <p class="carried-count" data-not-reviewed=n>{text}</p> })
    }
}
