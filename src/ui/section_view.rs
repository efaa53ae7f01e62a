//! One section of the questionnaire: heading, introduction, its questions, and previous/next.

use leptos::prelude::*;

use super::question_card::QuestionCard;
use super::wording::WholeWording;
use super::{form, section_heading_id};
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
                <span class="section-letter">{id}</span> " " {move || form.t(&keys::section_title(id))}
            </h2>
            // The first section's wording comes with the app; another's may still be on its way.
            <WholeWording needed=pos != 0>{move || questions(id, section)}</WholeWording>
            <div class="section-pager">
                {prev.map(|p| view! {
                    <button type="button" class="prev" on:click=move |_| form.open_section(p)>
                        {move || form.cat().format("ui.prev_section", &[("section", &form.t(&keys::section_title(p)))])}
                    </button>
                })}
                {next.map(|n| view! {
                    <button type="button" class="next" on:click=move |_| form.open_section(n)>
                        {move || form.cat().format("ui.next_section", &[("section", &form.t(&keys::section_title(n)))])}
                    </button>
                })}
            </div>
        </section>
    }
    .into_any()
}

/// A section's introduction and questions.
fn questions(id: &'static str, section: &'static Section) -> impl IntoView {
    let form = form();
    view! {
        <p class="intro">{move || form.t(&keys::section_intro(id))}</p>
        {section.questions.iter().map(|question| view! { <QuestionCard question/> }).collect_view()}
    }
}
