//! The list of questions still to answer or to correct, each a link to the question.

use leptos::prelude::*;

use super::form;
use crate::core::i18n::{describe, keys};
use crate::core::validate::open_questions;

#[component]
pub fn StillToAnswer() -> impl IntoView {
    let form = form();
    view! {
        <section class="still-to-answer" aria-labelledby="still-to-answer">
            <h2 id="still-to-answer" tabindex="-1">{move || form.t("ui.still_to_answer")}</h2>
            {move || {
                let issues = form.issues.get();
                let open: Vec<String> = open_questions(&issues).into_iter().map(str::to_owned).collect();
                if open.is_empty() {
                    return view! { <p class="all-done">{form.t("ui.nothing_left")}</p> }.into_any();
                }
                let cat = form.cat();
                view! {
                    <p>{cat.format("ui.still_to_answer_intro", &[("count", &open.len().to_string())])}</p>
                    <ul class="open-questions">
                        {open
                            .into_iter()
                            .map(|qid| {
                                let section = form.q.question(&qid).map(|it| it.section.id.clone()).unwrap_or_default();
                                let why = issues
                                    .iter()
                                    .find(|i| i.question == qid)
                                    .map(|i| describe(cat, form.q, i))
                                    .unwrap_or_default();
                                let target = qid.clone();
                                view! {
                                    <li data-open-question=qid.clone()>
                                        <a href=format!("#q-{qid}") on:click=move |ev| {
                                            ev.prevent_default();
                                            form.touched.update(|t| { t.insert(target.clone()); });
                                            form.open_question(&target);
                                        }>
                                            <span class="qid">{qid.clone()}</span>
                                            " "
                                            {cat.get(&keys::question_label(&qid)).to_owned()}
                                        </a>
                                        <span class="why">
                                            {cat.get(&keys::section_title(&section)).to_owned()} " — " {why}
                                        </span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
}
