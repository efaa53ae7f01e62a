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
            // One button type for the pages with a fixed label: a page more is a line more here,
            // not more code.
            {[
                ("export-link", View::Export, "export-title", "ui.sign_and_export"),
                ("print-link", View::Print, "print-title", "ui.print_reply"),
                ("handoffs-link", View::Handoffs, "handoffs-title", "ui.handoffs"),
                ("open-submission-link", View::OpenSubmission, "submission-title", "ui.open_submission"),
            ]
            .into_iter()
            .map(|(class, view, target, key)| view! { <PageButton class view target>{form.text(key)}</PageButton> })
            .collect_view()}
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
