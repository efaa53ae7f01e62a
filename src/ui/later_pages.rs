//! The pages beside the form (drafts, sign and export, open a submission, print), fetched on
//! first use.
//!
//! With the `split-pages` feature (the release build), each page's code is a split point: the
//! build (`scripts/post_build.mjs`, through `wasm-split`) moves it out of the form's wasm into
//! a module of its own, which the browser fetches the first time the page opens and the service
//! worker keeps for offline use. Without the feature (tests, debug builds) the same code is
//! linked in and "loads" at once; the component below is the same either way.

use leptos::prelude::*;

use super::{form, View};

/// One page beside the form: a loading line while its code arrives, the page once it has, or a
/// message with "Try again" if it could not be fetched (the answers are untouched either way).
#[component]
pub fn LaterPage(view: View) -> impl IntoView {
    let form = form();
    let owner = Owner::current().expect("a component runs under an owner");
    let state = RwSignal::new(Loading::Waiting);
    let page = StoredValue::new_local(None::<AnyView>);
    let load = Callback::new(move |()| {
        let owner = owner.clone();
        let view = view.clone();
        state.set(Loading::Waiting);
        leptos::task::spawn_local(async move {
            let built = build(view.clone(), owner).await;
            // The user may have left the page meanwhile: then its signals are gone, and so is
            // the reason to show anything.
            if state.try_get_untracked().is_none() {
                return;
            }
            match built {
                Some(v) => {
                    page.set_value(Some(v));
                    state.set(Loading::Ready);
                    if let Some(target) = heading(&view) {
                        crate::web::dom::focus_later(target.to_owned());
                    }
                }
                None => state.set(Loading::Failed),
            }
        });
    });
    load.run(());
    move || match state.get() {
        Loading::Waiting => view! {
            <p class="page-loading" role="status">{move || form.t("ui.page_loading")}</p>
        }
        .into_any(),
        Loading::Failed => view! {
            <div class="notice page-failed" role="alert">
                <p>{move || form.t("ui.page_failed")}</p>
                <button type="button" class="page-retry" on:click=move |_| load.run(())>{move || form.t("ui.try_again")}</button>
            </div>
        }
        .into_any(),
        Loading::Ready => page.try_update_value(Option::take).flatten().unwrap_or_else(|| ().into_any()),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Loading {
    Waiting,
    Ready,
    Failed,
}

/// The id of the page's heading, which takes the focus once the page is drawn.
fn heading(view: &View) -> Option<&'static str> {
    match view {
        View::Drafts => Some("drafts-title"),
        View::Export => Some("export-title"),
        View::OpenSubmission => Some("submission-title"),
        View::Print => Some("print-title"),
        View::Section(_) | View::StillToAnswer => None,
    }
}

/// The page's view, built under `owner` (the `LaterPage`'s, so it is disposed of with it), or
/// `None` if its code could not be fetched.
async fn build(view: View, owner: Owner) -> Option<AnyView> {
    let built = match view {
        View::Drafts => split::drafts(owner).await,
        View::Export => split::export(owner).await,
        View::OpenSubmission => split::open_submission(owner).await,
        View::Print => split::print(owner).await,
        View::Section(_) | View::StillToAnswer => return None,
    };
    built.ok()
}

/// The split points. Each function's body, and everything only it reaches, leaves the form's
/// wasm; calling it fetches that code first (once; a failed fetch is tried again next time).
#[cfg(feature = "split-pages")]
mod split {
    use leptos::prelude::*;
    use leptos::wasm_split::{wasm_split, SplitLoaderError};

    use crate::ui::{drafts_page::DraftsPage, export_page::ExportPage, print_page::PrintPage};
    use crate::ui::submission_page::SubmissionPage;

    #[wasm_split(drafts_page, wasm_split_path = ::leptos::wasm_split, fallible)]
    pub fn drafts(owner: Owner) -> Result<AnyView, SplitLoaderError> {
        Ok(owner.with(|| view! { <DraftsPage/> }.into_any()))
    }

    #[wasm_split(export_page, wasm_split_path = ::leptos::wasm_split, fallible)]
    pub fn export(owner: Owner) -> Result<AnyView, SplitLoaderError> {
        Ok(owner.with(|| view! { <ExportPage/> }.into_any()))
    }

    #[wasm_split(submission_page, wasm_split_path = ::leptos::wasm_split, fallible)]
    pub fn open_submission(owner: Owner) -> Result<AnyView, SplitLoaderError> {
        Ok(owner.with(|| view! { <SubmissionPage/> }.into_any()))
    }

    #[wasm_split(print_page, wasm_split_path = ::leptos::wasm_split, fallible)]
    pub fn print(owner: Owner) -> Result<AnyView, SplitLoaderError> {
        Ok(owner.with(|| view! { <PrintPage/> }.into_any()))
    }
}

/// Without the feature: the same pages, linked in.
#[cfg(not(feature = "split-pages"))]
mod split {
    use leptos::prelude::*;

    use crate::ui::{drafts_page::DraftsPage, export_page::ExportPage, print_page::PrintPage};
    use crate::ui::submission_page::SubmissionPage;

    pub async fn drafts(owner: Owner) -> Result<AnyView, ()> {
        Ok(owner.with(|| view! { <DraftsPage/> }.into_any()))
    }

    pub async fn export(owner: Owner) -> Result<AnyView, ()> {
        Ok(owner.with(|| view! { <ExportPage/> }.into_any()))
    }

    pub async fn open_submission(owner: Owner) -> Result<AnyView, ()> {
        Ok(owner.with(|| view! { <SubmissionPage/> }.into_any()))
    }

    pub async fn print(owner: Owner) -> Result<AnyView, ()> {
        Ok(owner.with(|| view! { <PrintPage/> }.into_any()))
    }
}
