//! The language menu in the header. Switching never touches the answers.

use leptos::prelude::*;

use super::form;

#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let form = form();
    view! {
        <div class="language-switch">
            <label for="language">{move || form.t("ui.language")}</label>
            <select
                id="language"
                prop:value=move || form.lang.get().to_string()
                on:change=move |ev| {
                    if let Ok(i) = event_target_value(&ev).parse::<usize>() {
                        form.lang.set(i);
                    }
                }
            >
                {form
                    .catalogs
                    .iter()
                    .enumerate()
                    .map(|(i, c)| view! { <option value=i.to_string() lang=c.lang.clone()>{c.name.clone()}</option> })
                    .collect_view()}
            </select>
        </div>
    }
}
