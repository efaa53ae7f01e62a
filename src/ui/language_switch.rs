//! The language menu in the header. Switching never touches the answers; the chosen language's
//! catalog is fetched the first time (from the service worker's cache when offline).

use leptos::prelude::*;

use super::{form, wording};
use crate::core::i18n::LANGUAGES;

#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let form = form();
    view! {
        <div class="language-switch">
            <label for="language">{form.text("ui.language")}</label>
            <select
                id="language"
                aria-busy=move || form.wording.loading().is_some().then_some("true")
                prop:value=move || form.cat().lang.clone()
                on:change=move |ev| wording::choose_language(form, &event_target_value(&ev))
            >
                {LANGUAGES
                    .iter()
                    .map(|l| view! { <option value=l.tag lang=l.tag>{l.name}</option> })
                    .collect_view()}
            </select>
        </div>
    }
}
