//! The language menu in the header. Switching never touches the answers; the chosen language's
//! catalog is fetched the first time (from the service worker's cache when offline).

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::form;
use crate::core::i18n::{language, LANGUAGES};
use crate::web::{locales, storage};

#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let form = form();
    let choose = move |tag: String| {
        let Some(lang) = language(&tag) else { return };
        form.loading_language.set(Some(lang.tag));
        spawn_local(async move {
            // The same wording as on screen: the whole of it once the rest has been needed.
            let whole = form.catalog.get_untracked().whole;
            match locales::load(lang.tag, whole).await {
                Ok(cat) => {
                    storage::set_chosen_language(lang.tag);
                    form.catalog.set(cat);
                }
                Err(e) => {
                    // The menu shows the language still on screen again.
                    form.catalog.set(form.catalog.get_untracked());
                    let msg = form
                        .catalog
                        .get_untracked()
                        .format("ui.language_unavailable", &[("language", lang.name)]);
                    form.notice.set(Some(format!("{msg} ({e})")));
                }
            }
            form.loading_language.set(None);
        });
    };
    view! {
        <div class="language-switch">
            <label for="language">{form.text("ui.language")}</label>
            <select
                id="language"
                aria-busy=move || form.loading_language.get().is_some().then_some("true")
                prop:value=move || form.cat().lang.clone()
                on:change=move |ev| choose(event_target_value(&ev))
            >
                {LANGUAGES
                    .iter()
                    .map(|l| view! { <option value=l.tag lang=l.tag>{l.name}</option> })
                    .collect_view()}
            </select>
        </div>
    }
}
