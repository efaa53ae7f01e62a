//! One section of the questionnaire: heading, introduction, its questions, and previous/next.

use leptos::prelude::*;

use super::lazy::LazyQuestions;
use super::question_card::question_card;
use super::{form, section_heading_id, Lock};
use crate::core::i18n::keys;
use crate::core::model::Section;

#[component]
pub fn SectionView(id: &'static str) -> impl IntoView {
    let form = form();
    let q = form.q;
    let Some(pos) = q.sections.iter().position(|s| s.id == id) else {
        return view! { <p>{id}</p> }.into_any();
    };
    let section = &q.sections[pos];
    let prev = pos.checked_sub(1).map(|i| q.sections[i].id);
    let next = q.sections.get(pos + 1).map(|s| s.id);
    view! {
        <section class="section" aria-labelledby=section_heading_id(id) data-section-view=id>
            <h2 id=section_heading_id(id) tabindex="-1">
                <span class="section-letter">{id}</span> " " {move || form.lookup(&keys::section_title(id))}
            </h2>
            // The first section comes with the app; another's code and wording may still be on their way.
            {if pos == 0 {
                questions::<false>(id, section).into_any()
            } else {
                view! { <LazyQuestions id section/> }.into_any()
            }}
            <div class="section-pager">
                {prev.map(|p| view! {
                    <button type="button" class="prev" on:click=move |_| form.shell.open_section(p)>
                        {move || form.cat().format("ui.prev_section", &[("section", &form.lookup(&keys::section_title(p)))])}
                    </button>
                })}
                {next.map(|n| view! {
                    <button type="button" class="next" on:click=move |_| form.shell.open_section(n)>
                        {move || form.cat().format("ui.next_section", &[("section", &form.lookup(&keys::section_title(n)))])}
                    </button>
                })}
            </div>
        </section>
    }
    .into_any()
}

/// A section's introduction and questions (`ALL`: as for `fields::answer_input`; false for the
/// first section only).
pub fn questions<const ALL: bool>(id: &'static str, section: &'static Section) -> impl IntoView {
    let form = form();
    // A locked draft is shown, never changed: every control of its questions is disabled. What
    // is around them (the buttons to the next section, "Try again" while they are on their way)
    // still works. The group is named by the section's heading, as screen readers announce it.
    view! {
        <fieldset class="form-body" aria-labelledby=section_heading_id(id) disabled=move || form.session.lock() != Lock::Open>
            <p class="intro">{move || form.lookup(&keys::section_intro(id))}</p>
            {section.questions.iter().map(question_card::<ALL>).collect_view()}
        </fieldset>
    }
}
