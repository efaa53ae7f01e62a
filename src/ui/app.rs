//! The page: header, notices, navigation, and the current view.

use leptos::prelude::*;

use super::draft_bar::DraftBar;
use super::language_switch::LanguageSwitch;
use super::later::{LaterPage, LockSlot, Page};
use super::section_nav::SectionNav;
use super::section_view::SectionView;
use super::{session, Form, View};
use crate::core::i18n::{Catalog, Direction};
use crate::core::model::Questionnaire;
use crate::web::dom;

#[component]
pub fn App(catalog: &'static Catalog) -> impl IntoView {
    let q = Questionnaire::builtin();
    let form = Form::new(q, catalog);
    provide_context(form);
    session::start(form);
    crate::web::offline::register(move || form.update_ready.set(true));
    // Back online: what could not be fetched is fetched again, without a click.
    let back_online =
        window_event_listener(leptos::ev::online, move |_| form.retry_fetches.notify());
    on_cleanup(move || back_online.remove());
    super::wording::fetch_when_needed(form);
    dom::watch_presses();

    // Language: the root element follows it, so screen readers and fonts switch too.
    Effect::new(move |_| {
        let cat = form.cat();
        dom::set_document_language(&cat.lang, cat.dir == Direction::Rtl);
        dom::set_title(cat.get("ui.app_title"));
    });

    view! {
        <a class="skip-link" href="#main">{form.text("ui.skip_to_content")}</a>
        <header class="app-header">
            <div class="app-title">
                <h1>{form.text("ui.app_title")}</h1>
                <p class="app-subtitle">{form.text("ui.app_subtitle")}</p>
            </div>
            <LanguageSwitch/>
        </header>
        <DraftBar/>
        {move || form.notice.get().map(|n| view! {
            <div class="notice" role="alert">
                <p>{n}</p>
                <button type="button" on:click=move |_| form.notice.set(None)>{form.t("ui.dismiss")}</button>
            </div>
        })}
        <LockSlot/>
        {move || form.update_ready.get().then(|| view! {
            <div class="notice update-notice" role="status">
                <p>{form.t("ui.update_available")}</p>
                <button type="button" class="apply-update" on:click=move |_| {
                    // Write anything pending first: the new version opens the same drafts.
                    session::save_now(form, false);
                    crate::web::offline::apply_update();
                }>{form.t("ui.update_now")}</button>
            </div>
        })}
        <div class="layout">
            <SectionNav/>
            <main id="main" tabindex="-1">
                {move || match form.view.get() {
                    View::Section(id) => view! { <SectionView id=id/> }.into_any(),
                    View::StillToAnswer | View::Drafts | View::Export | View::OpenSubmission | View::Print => ().into_any(),
                }}
                {move || form.view.with(Page::of).map(|page| view! { <LaterPage page/> })}
            </main>
        </div>
    }
}
