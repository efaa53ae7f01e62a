//! The page: header, notices, navigation, and the current view.

use leptos::prelude::*;

use super::draft_bar::DraftBar;
use super::language_switch::LanguageSwitch;
use super::lazy::{LazyPage, LockSlot, Page};
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
    crate::web::offline::register(move || form.shell.update_arrived());
    // Back online: what could not be fetched is fetched again, without a click.
    let back_online =
        window_event_listener(leptos::ev::online, move |_| form.shell.retry_fetches());
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
        // In the banner landmark, so that no content stands outside a landmark; still the first
        // stop of the Tab key.
        <header class="app-header">
            <a class="skip-link" href="#main">{form.text("ui.skip_to_content")}</a>
            <div class="app-title">
                <h1>{form.text("ui.app_title")}</h1>
                <p class="app-subtitle">{form.text("ui.app_subtitle")}</p>
            </div>
            <LanguageSwitch/>
        </header>
        <DraftBar/>
        {move || form.shell.notice().map(|n| {
            notice("notice", "alert", n, "dismiss", form.text("ui.dismiss")(), Box::new(move || form.shell.dismiss()))
        })}
        <LockSlot/>
        {move || form.shell.update_ready().then(|| {
            notice("notice update-notice", "status", form.text("ui.update_available")(), "apply-update", form.text("ui.update_now")(), Box::new(move || {
                // Write anything pending first: the new version opens the same drafts.
                session::save_now(form, false);
                crate::web::offline::apply_update();
            }))
        })}
        <div class="layout">
            <SectionNav/>
            <main id="main" tabindex="-1">
                {move || match form.shell.view() {
                    View::Section(id) => view! { <SectionView id=id/> }.into_any(),
                    View::StillToAnswer | View::Drafts | View::Export | View::OpenSubmission | View::Print | View::Handoffs | View::Registration => ().into_any(),
                }}
                {move || form.shell.with_view(Page::of).map(|page| view! { <LazyPage page/> })}
            </main>
        </div>
    }
}

/// A notice under the draft bar: a message and one button. One function for both (a message
/// for the user, a new version ready), so that their views share one copy of Leptos's code.
fn notice(
    class: &'static str,
    role: &'static str,
    message: String,
    button_class: &'static str,
    button: String,
    on_click: Box<dyn Fn() + Send + Sync>,
) -> AnyView {
    view! {
        <div class=class role=role>
            <p>{message}</p>
            <button type="button" class=button_class on:click=move |_| on_click()>{button}</button>
        </div>
    }
    .into_any()
}
