//! The list of sections with their progress, and the "still to answer" entry.

use leptos::prelude::*;

use super::{form, View};
use crate::core::i18n::keys;

#[component]
pub fn SectionNav() -> impl IntoView {
    let form = form();
    let open_count = move || {
        form.reply
            .issues
            .with(|i| crate::core::validate::open_questions(i).len())
    };
    view! {
        <nav class="section-nav" aria-labelledby="section-nav-title">
            <h2 id="section-nav-title" class="visually-hidden">{form.text("ui.sections")}</h2>
            <ol>
                {form
                    .q
                    .sections
                    .iter()
                    .map(|s| {
                        let id: &'static str = s.id;
                        let current = move || form.shell.view() == View::Section(id);
                        let counts = move || {
                            form.reply.progress.with(|p| p.iter().find(|(s, _)| s == id).map(|(_, p)| *p)).unwrap_or_default()
                        };
                        view! {
                            <li data-section=id>
                                <button
                                    type="button"
                                    aria-current=move || current().then_some("step")
                                    on:click=move |_| form.shell.open_section(id)
                                >
                                    <span class="section-letter">{id}</span>
                                    <span class="section-name">{move || form.lookup(&keys::section_title(id))}</span>
                                    <span class="section-progress">
                                        {move || {
                                            let p = counts();
                                            if p.required == 0 {
                                                form.text("ui.progress_optional")()
                                            } else {
                                                form.cat().format("ui.progress", &[("done", &p.done.to_string()), ("required", &p.required.to_string())])
                                            }
                                        }}
                                    </span>
                                    <progress
                                        max=move || counts().required.max(1).to_string()
                                        value=move || { let p = counts(); if p.required == 0 { 1 } else { p.done }.to_string() }
                                        aria-hidden="true"
                                    ></progress>
                                </button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            <PageButton class="still-to-answer-link" view=View::StillToAnswer target="still-to-answer">
                {move || form.cat().format("ui.still_to_answer_count", &[("count", &open_count().to_string())])}
            </PageButton>
            <PageButton class="export-link" view=View::Export target="export-title">{form.text("ui.sign_and_export")}</PageButton>
            <PageButton class="print-link" view=View::Print target="print-title">{form.text("ui.print_reply")}</PageButton>
            <PageButton class="open-submission-link" view=View::OpenSubmission target="submission-title">
                {form.text("ui.open_submission")}
            </PageButton>
            <button type="button" class="check-answers" on:click=move |_| {
                form.reply.check_all(true);
                form.shell.show(View::StillToAnswer);
                crate::web::dom::focus_later("still-to-answer".to_owned());
            }>
                {form.text("ui.check_answers")}
            </button>
        </nav>
    }
}

/// The button to one of the lazy pages; it moves focus to the page's heading. A button, not a
/// link: the page is not a place in the document until it is shown.
#[component]
fn PageButton(
    class: &'static str,
    view: View,
    target: &'static str,
    children: Children,
) -> impl IntoView {
    let form = form();
    let here = view.clone();
    view! {
        <button type="button" class=class aria-current=move || form.shell.with_view(|v| *v == here).then_some("page")
            on:click=move |_| {
                form.shell.show(view.clone());
                crate::web::dom::focus_later(target.to_owned());
            }>{children()}</button>
    }
}
