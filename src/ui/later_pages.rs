//! The pages beside the form (drafts, sign and export, open a submission, print), fetched on
//! first use.
//!
//! With the `split-pages` feature (the release build), each page's code is a split point: the
//! build (`scripts/split_pages.mjs`, through `wasm-split`) moves it out of the form's wasm into a
//! module of its own, which the browser fetches the first time the page opens and the service
//! worker keeps for offline use. Without the feature (tests, `cargo build`) the same code is
//! linked in and is "fetched" at once; the component is the same either way.

use leptos::prelude::*;

use super::drafts_page::DraftsPage;
use super::export_page::ExportPage;
use super::print_page::PrintPage;
use super::submission_page::SubmissionPage;
use super::{form, View};

/// A page beside the form.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Page {
    Drafts,
    Export,
    OpenSubmission,
    Print,
}

impl Page {
    /// The page a view shows, if it is one of these.
    pub fn of(view: &View) -> Option<Page> {
        match view {
            View::Drafts => Some(Page::Drafts),
            View::Export => Some(Page::Export),
            View::OpenSubmission => Some(Page::OpenSubmission),
            View::Print => Some(Page::Print),
            View::Section(_) | View::StillToAnswer => None,
        }
    }

    /// The id of the page's title, which takes the focus once the page is drawn.
    fn title(self) -> &'static str {
        match self {
            Page::Drafts => "drafts-title",
            Page::Export => "export-title",
            Page::OpenSubmission => "submission-title",
            Page::Print => "print-title",
        }
    }
}

/// One page beside the form: a line while its code arrives, then the page; or, if the code could
/// not be fetched, a message and "Try again". The answers are untouched either way.
#[component]
pub fn LaterPage(page: Page) -> impl IntoView {
    let form = form();
    let owner = Owner::current().expect("a component runs under an owner");
    let state = RwSignal::new(Loading::Waiting);
    let drawn = StoredValue::new_local(None::<AnyView>);
    let load = Callback::new(move |()| {
        let owner = owner.clone();
        state.set(Loading::Waiting);
        // Where the user looks after asking for the page (the link may be far down the page).
        // If the page is there at once, its title takes the focus just after.
        crate::web::dom::focus_later("page-loading".to_owned());
        let failed = move || {
            state.set(Loading::Failed);
            crate::web::dom::focus_later("page-failed".to_owned());
        };
        leptos::task::spawn_local(async move {
            let fetched = split::fetch(page).await;
            // The user may have left the page meanwhile: then its signals are gone, and so is
            // the reason to draw it.
            if state.try_get_untracked().is_none() {
                return;
            }
            match fetched {
                Ok(()) => match split::draw(page, owner).await {
                    Ok(view) => {
                        drawn.set_value(Some(view));
                        state.set(Loading::Ready);
                        crate::web::dom::focus_later(page.title().to_owned());
                    }
                    Err(()) => failed(),
                },
                Err(()) => failed(),
            }
        });
    });
    load.run(());
    move || {
        match state.get() {
        Loading::Waiting => view! {
            <p class="page-loading" id="page-loading" tabindex="-1" role="status">{move || form.t("ui.page_loading")}</p>
        }
        .into_any(),
        Loading::Failed => view! {
            <div class="notice page-failed" id="page-failed" tabindex="-1" role="alert">
                <p>{move || form.t("ui.page_failed")}</p>
                <button type="button" class="page-retry" on:click=move |_| load.run(())>{move || form.t("ui.try_again")}</button>
            </div>
        }
        .into_any(),
        // Drawn once: `state` changes no more after `Ready`.
        Loading::Ready => drawn.try_update_value(Option::take).flatten().unwrap_or_else(|| ().into_any()),
    }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Loading {
    Waiting,
    Ready,
    Failed,
}

// One function per page, each reached from its own split point only, so that each page's code
// goes to its own module.
fn drafts() -> AnyView {
    view! { <DraftsPage/> }.into_any()
}

fn export() -> AnyView {
    view! { <ExportPage/> }.into_any()
}

fn open_submission() -> AnyView {
    view! { <SubmissionPage/> }.into_any()
}

fn print() -> AnyView {
    view! { <PrintPage/> }.into_any()
}

/// The split points: each `draw_*` function's body, and all that only it reaches, leaves the
/// form's wasm. Its `fetch_*` companion fetches that code (once; a failed fetch is not
/// remembered, so the next call tries again), after which `draw_*` runs at once.
#[cfg(feature = "split-pages")]
mod split {
    use leptos::prelude::*;
    use leptos::wasm_split::{wasm_split, SplitLoaderError};

    use super::Page;

    pub async fn fetch(page: Page) -> Result<(), ()> {
        let fetched = match page {
            Page::Drafts => fetch_drafts().await,
            Page::Export => fetch_export().await,
            Page::OpenSubmission => fetch_open_submission().await,
            Page::Print => fetch_print().await,
        };
        fetched.map_err(|_| ())
    }

    /// The page's view, built under `owner` (the `LaterPage`'s, so it is disposed of with it).
    pub async fn draw(page: Page, owner: Owner) -> Result<AnyView, ()> {
        let drawn = match page {
            Page::Drafts => draw_drafts(owner).await,
            Page::Export => draw_export(owner).await,
            Page::OpenSubmission => draw_open_submission(owner).await,
            Page::Print => draw_print(owner).await,
        };
        drawn.map_err(|_| ())
    }

    #[wasm_split(drafts_page, wasm_split_path = ::leptos::wasm_split, fallible, preload(fetch_drafts))]
    fn draw_drafts(owner: Owner) -> Result<AnyView, SplitLoaderError> {
        Ok(owner.with(super::drafts))
    }

    #[wasm_split(export_page, wasm_split_path = ::leptos::wasm_split, fallible, preload(fetch_export))]
    fn draw_export(owner: Owner) -> Result<AnyView, SplitLoaderError> {
        Ok(owner.with(super::export))
    }

    #[wasm_split(submission_page, wasm_split_path = ::leptos::wasm_split, fallible, preload(fetch_open_submission))]
    fn draw_open_submission(owner: Owner) -> Result<AnyView, SplitLoaderError> {
        Ok(owner.with(super::open_submission))
    }

    #[wasm_split(print_page, wasm_split_path = ::leptos::wasm_split, fallible, preload(fetch_print))]
    fn draw_print(owner: Owner) -> Result<AnyView, SplitLoaderError> {
        Ok(owner.with(super::print))
    }
}

/// Without the feature: the pages are linked in, so there is nothing to fetch.
#[cfg(not(feature = "split-pages"))]
mod split {
    use leptos::prelude::*;

    use super::Page;

    pub async fn fetch(_: Page) -> Result<(), ()> {
        Ok(())
    }

    pub async fn draw(page: Page, owner: Owner) -> Result<AnyView, ()> {
        Ok(owner.with(match page {
            Page::Drafts => super::drafts,
            Page::Export => super::export,
            Page::OpenSubmission => super::open_submission,
            Page::Print => super::print,
        }))
    }
}
