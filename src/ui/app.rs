//! The page: header, section navigation, the current section or the "still to answer" list.

use leptos::prelude::*;

use super::language_switch::LanguageSwitch;
use super::save_status::SaveStatus;
use super::section_nav::SectionNav;
use super::section_view::SectionView;
use super::still_to_answer::StillToAnswer;
use super::{Form, SaveState, View};
use crate::core::draft::{Draft, DraftError};
use crate::core::i18n::{Direction, LANGUAGES};
use crate::core::model::Questionnaire;
use crate::web::{dom, storage};

#[component]
pub fn App() -> impl IntoView {
    let q: &'static Questionnaire = Box::leak(Box::new(Questionnaire::builtin()));
    let (draft, problem) = match storage::load(q) {
        storage::Loaded::Fresh => (None, None),
        storage::Loaded::Draft(d) => (Some(d), None),
        storage::Loaded::Unreadable(e) => (None, Some(e)),
    };
    let lang = draft
        .as_ref()
        .and_then(|d| LANGUAGES.iter().position(|(tag, ..)| *tag == d.lang))
        .or_else(browser_language)
        .unwrap_or(0);
    let form = Form::new(q, lang, draft.map(|d| d.answers).unwrap_or_default());
    provide_context(form);

    if let Some(e) = problem {
        let cat = &form.catalogs[lang];
        let msg = match e {
            DraftError::NewerVersion(v) => cat.format("ui.storage_newer", &[("version", &v.to_string())]),
            DraftError::Malformed(_) | DraftError::OtherQuestionnaire(_) => cat.get("ui.storage_unreadable").to_owned(),
        };
        form.notice.set(Some(msg));
    }

    // Language: the root element follows it, so screen readers and fonts switch too.
    Effect::new(move |_| {
        let cat = form.cat();
        dom::set_document_language(&cat.lang, cat.dir == Direction::Rtl);
        dom::set_title(cat.get("ui.app_title"));
    });

    // Autosave: every change of answers or language is written at once, synchronously, so closing
    // the tab right after typing loses nothing.
    let first = std::cell::Cell::new(true);
    Effect::new(move |_| {
        let lang = form.cat().lang.clone();
        let mut draft = Draft::new(form.q, &lang);
        draft.answers = form.answers.get();
        if first.replace(false) {
            return; // What was just loaded needs no writing.
        }
        form.save_state.set(match storage::save(&draft) {
            Ok(()) => SaveState::Saved { at: dom::local_time_hhmm() },
            Err(reason) => SaveState::Failed { reason },
        });
    });

    view! {
        <a class="skip-link" href="#main">{move || form.t("ui.skip_to_content")}</a>
        <header class="app-header">
            <div class="app-title">
                <h1>{move || form.t("ui.app_title")}</h1>
                <p class="app-subtitle">{move || form.t("ui.app_subtitle")}</p>
            </div>
            <div class="app-tools">
                <SaveStatus/>
                <LanguageSwitch/>
            </div>
        </header>
        {move || form.notice.get().map(|n| view! {
            <div class="notice" role="alert">
                <p>{n}</p>
                <button type="button" on:click=move |_| form.notice.set(None)>{form.t("ui.dismiss")}</button>
            </div>
        })}
        <div class="layout">
            <SectionNav/>
            <main id="main" tabindex="-1">
                {move || match form.view.get() {
                    View::Section(id) => view! { <SectionView id=id/> }.into_any(),
                    View::StillToAnswer => view! { <StillToAnswer/> }.into_any(),
                }}
            </main>
        </div>
    }
}

/// The first shipped language the browser prefers, if any.
fn browser_language() -> Option<usize> {
    let langs = web_sys::window()?.navigator().languages();
    langs.iter().filter_map(|l| l.as_string()).find_map(|l| {
        let primary = l.split('-').next().unwrap_or("").to_ascii_lowercase();
        LANGUAGES.iter().position(|(tag, ..)| *tag == primary)
    })
}
