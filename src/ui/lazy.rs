//! Code fetched on first use: the lazy pages (still to answer, drafts, sign and
//! export, open a submission, print, hand-offs, the key's registration sheet), and the rows of
//! repeatable questions (none of which is in the first section).
//!
//! With the `split-pages` feature (the release build), each part's code is a split point: the
//! build (the split step of `scripts/build.mjs`, through `wasm-split`) moves it out of the form's wasm into a
//! module of its own, which the browser fetches the first time it is shown and the service
//! worker keeps for offline use. Without the feature (tests, `cargo build`) the same code is
//! linked in and is "fetched" at once; the components are the same either way.

use leptos::prelude::*;

use super::carried::{carried_mark, CarriedNotice};
use super::drafts_page::DraftsPage;
use super::export_page::ExportPage;
use super::fields::Labels;
use super::handoffs_page::HandoffsPage;
use super::lock_notice::LockNotice;
use super::part_notice::PartNotice;
use super::print_page::PrintPage;
use super::registration_sheet::RegistrationSheet;
use super::repeat_group::RepeatGroup;
use super::still_to_answer::StillToAnswer;
use super::submission_page::SubmissionPage;
use super::wording;
use super::{form, session, Form, Lock, View};
use crate::core::draft::{Draft, OpenDraft};
use crate::core::model::{Question, Section};

/// A lazy page.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Page {
    StillToAnswer,
    Drafts,
    Export,
    OpenSubmission,
    Print,
    Handoffs,
    Registration,
}

impl Page {
    /// The page a view shows, if it is one of these.
    pub fn of(view: &View) -> Option<Page> {
        match view {
            View::StillToAnswer => Some(Page::StillToAnswer),
            View::Drafts => Some(Page::Drafts),
            View::Export => Some(Page::Export),
            View::OpenSubmission => Some(Page::OpenSubmission),
            View::Print => Some(Page::Print),
            View::Handoffs => Some(Page::Handoffs),
            View::Registration => Some(Page::Registration),
            View::Section(_) => None,
        }
    }

    /// The id of the page's title, which takes the focus once the page is drawn.
    fn title(self) -> &'static str {
        match self {
            Page::StillToAnswer => "still-to-answer",
            Page::Drafts => "drafts-title",
            Page::Export => "export-title",
            Page::OpenSubmission => "submission-title",
            Page::Print => "print-title",
            Page::Handoffs => "handoffs-title",
            Page::Registration => "registration-title",
        }
    }
}

/// Code fetched on first use: a lazy page, the questions of a section other than the
/// first, or the rows of a repeatable question.
#[derive(Clone)]
pub enum Part {
    Page(Page),
    Questions(&'static str, &'static Section),
    Rows(&'static Question, Labels),
}

/// One lazy page: a line while its code arrives, then the page (and the focus on its
/// title); or, if the code could not be fetched, a message and "Try again". The answers are
/// untouched either way.
#[component]
pub fn LazyPage(page: Page) -> impl IntoView {
    lazy(
        Part::Page(page),
        Box::new(|| waiting_line("page-loading", Some("page-loading"), "ui.page_loading")),
        Box::new(|retry| {
            failed_notice("page-failed", Some("page-failed"), "ui.page_failed", retry)
        }),
    )
}

/// The line shown while a part is on its way. A page's has an `id` and takes the focus.
/// Pages, rows and sections share these two views, so their code is generated once.
pub(super) fn waiting_line(
    class: &'static str,
    id: Option<&'static str>,
    key: &'static str,
) -> AnyView {
    let form = form();
    view! { <p class=class id=id tabindex=id.map(|_| "-1") role="status">{form.text(key)}</p> }
        .into_any()
}

/// The message shown when a part could not be fetched, with "Try again" (which retries every
/// part that failed).
pub(super) fn failed_notice(
    class: &'static str,
    id: Option<&'static str>,
    key: &'static str,
    retry: Callback<()>,
) -> AnyView {
    let form = form();
    view! {
        <div class=format!("notice {class}") id=id tabindex=id.map(|_| "-1") role="alert">
            <p>{form.text(key)}</p>
            <button type="button" class="retry" on:click=move |_| retry.run(())>{form.text("ui.try_again")}</button>
        </div>
    }
    .into_any()
}

/// The introduction and questions of a section other than the first: a line while their code and
/// the rest of the wording arrive, then the questions; or a message and "Try again". The focus
/// stays on the section's heading.
#[component]
pub fn LazyQuestions(id: &'static str, section: &'static Section) -> impl IntoView {
    lazy(
        Part::Questions(id, section),
        Box::new(|| waiting_line("section-loading", None, "ui.section_loading")),
        Box::new(|retry| failed_notice("section-failed", None, "ui.section_failed", retry)),
    )
}

/// A repeatable question's rows, add and remove (`RepeatGroup`): its label and a line while their
/// code arrives (the first time a section with such a question opens), then the group; or a
/// message and "Try again". The focus stays where the user put it.
#[component]
pub fn LazyRepeatGroup(question: &'static Question, labels: Labels) -> impl IntoView {
    let form = form();
    let id: &'static str = question.id;
    let label_key = labels.label_key.clone();
    let label = move || {
        let label_key = label_key.clone();
        view! { <p class="rows-label"><span class="qid">{id}</span> " " <span class="label-text">{move || form.lookup(&label_key)}</span></p> }
    };
    let label_too = label.clone();
    lazy(
        Part::Rows(question, labels),
        Box::new(move || {
            view! { {label()} {waiting_line("rows-loading", None, "ui.rows_loading")} }.into_any()
        }),
        Box::new(move |retry| {
            view! { {label_too()} {failed_notice("rows-failed", None, "ui.rows_failed", retry)} }
                .into_any()
        }),
    )
}

/// Fetches a part's code, then draws it under the caller's owner (so it is disposed of with it).
/// A page or a section's questions are drawn once the whole wording is there too (`wording`),
/// which is fetched meanwhile.
/// `waiting` is shown meanwhile, `failed` (given "try again") if the code or the wording could
/// not be fetched. Every part that failed tries again when one's "Try again" is pressed or the
/// browser is back online ([`Shell::retry_fetches`](super::shell::Shell::retry_fetches)).
/// Not generic (its two views are boxed, and it returns an `AnyView`): pages, sections and rows
/// share one copy of its code.
fn lazy(
    part: Part,
    waiting: Box<dyn Fn() -> AnyView + Send + Sync>,
    failed: Box<dyn Fn(Callback<()>) -> AnyView + Send + Sync>,
) -> AnyView {
    let form = form();
    let shell = form.shell;
    let owner = Owner::current().expect("a component runs under an owner");
    let state = RwSignal::new(Loading::Waiting);
    let drawn = StoredValue::new_local(None::<AnyView>);
    // A page takes the focus: where the user looks after asking for it (the link may be far down
    // the page).
    let page = match part {
        Part::Page(page) => Some(page),
        Part::Questions(..) | Part::Rows(..) => None,
    };
    // Pages and questions show the whole questionnaire's wording; rows are in a section's
    // questions, which have waited for it already.
    let needs_wording = !matches!(part, Part::Rows(..));
    let whole = wording::whole(form);
    let wording_failed = move || needs_wording && !whole.get() && form.wording.rest_failed();
    let part = StoredValue::new_local(part);
    let fetch = Callback::new(move |()| {
        let Some(part) = part.try_get_value() else {
            return;
        };
        state.set(Loading::Waiting);
        // The styles of pages and rows come while their code does.
        crate::web::dom::page_styles();
        if page.is_some() {
            crate::web::dom::focus_later("page-loading".to_owned());
        }
        leptos::task::spawn_local(async move {
            let fetched = split::fetch(&part).await;
            // The user may have left meanwhile: then the signals are gone, and so is the reason
            // to draw.
            if state.try_get_untracked().is_none() {
                return;
            }
            state.set(if fetched.is_ok() {
                Loading::Fetched
            } else {
                Loading::Failed
            });
        });
    });
    fetch.run(());
    // Drawn once: when the code is here and, for a page, the whole wording. A page that cannot be
    // shown says so where the focus is.
    Effect::new(move |_| {
        let state_now = state.get();
        if page.is_some() && (state_now == Loading::Failed || wording_failed()) {
            crate::web::dom::focus_later("page-failed".to_owned());
        }
        if state_now != Loading::Fetched || (needs_wording && !whole.get()) {
            return;
        }
        let Some(part) = part.try_get_value() else {
            return;
        };
        state.set(Loading::Drawing);
        let owner = owner.clone();
        leptos::task::spawn_local(async move {
            let drawn_view = split::draw(part, owner).await;
            if state.try_get_untracked().is_none() {
                return;
            }
            match drawn_view {
                Ok(view) => {
                    drawn.set_value(Some(view));
                    state.set(Loading::Ready);
                    if let Some(page) = page {
                        crate::web::dom::focus_later(page.title().to_owned());
                    }
                }
                Err(()) => state.set(Loading::Failed),
            }
        });
    });
    Effect::new(move |before: Option<()>| {
        shell.track_retries();
        if before.is_some() && state.try_get_untracked() == Some(Loading::Failed) {
            fetch.run(());
        }
    });
    let retry = Callback::new(move |()| shell.retry_fetches());
    (move || match state.get() {
        Loading::Failed => failed(retry),
        Loading::Waiting | Loading::Fetched | Loading::Drawing if wording_failed() => failed(retry),
        Loading::Waiting | Loading::Fetched | Loading::Drawing => waiting(),
        // Drawn once: `state` changes no more after `Ready`.
        Loading::Ready => drawn
            .try_update_value(Option::take)
            .flatten()
            .unwrap_or_else(|| ().into_any()),
    })
    .into_any()
}

/// What the form needs only once a draft is read: the code that reads one, what resumes the
/// stored draft at start-up and follows another tab's revision of it, and the notice of a draft
/// that may not be changed (a lock comes from a draft read: one written by a newer version, or a
/// newer revision from another tab), with its choices.
///
/// Reading a draft is `serde_json`'s reader with the code for every type of a draft, 33 KB gzip
/// (in modules it shares with the drafts and submission pages) that a first visit does not need:
/// there is no draft to read yet. So it is a split point of its own. `ui::start` fetches it before
/// the app starts when storage holds drafts; the drafts page, with its own code.
#[derive(Clone, Copy)]
pub struct DraftCode {
    pub open: OpenDraft,
    /// Draws [`LockNotice`] and [`PartNotice`], which read the draft in context.
    pub notices: fn() -> AnyView,
    /// [`session::resume`].
    pub resume: fn(Form) -> bool,
    /// [`session::follow`].
    pub follow: fn(Form, String),
    /// [`carried_mark`]: a question's controls with what its card shows of a carried reply.
    pub mark: fn(&'static str, AnyView) -> AnyView,
}

/// The one place that names the code [`DraftCode`] carries: reached only from its split point.
fn draft_code() -> DraftCode {
    typed_check_here();
    DraftCode {
        open: Draft::open,
        notices,
        resume: session::resume,
        follow: session::follow,
        mark: carried_mark,
    }
}

fn notices() -> AnyView {
    view! { <LockNotice/> <PartNotice/> <CarriedNotice/> }.into_any()
}

/// A question's controls, with what the code that reads drafts adds to them if it is here: a
/// carried answer's mark (drawn there, so the card's own view stays as it was). A carried reply
/// is shown only once that code is here, and the cards are drawn anew with their section, so
/// they need not wait for it.
pub fn with_mark(id: &'static str, body: AnyView) -> AnyView {
    match loaded_draft_code() {
        Some(code) => (code.mark)(id, body),
        None => body,
    }
}

/// Runs `f` with the code that reads drafts: at once when it is here, else once fetched (`None`:
/// it could not be fetched). Every draft the form reads, it reads through this.
pub fn with_draft_reader(f: impl FnOnce(Option<OpenDraft>) + 'static) {
    with_draft_code(move |code| f(code.map(|c| c.open)));
}

/// [`with_draft_reader`], for the rest of [`DraftCode`].
pub fn with_draft_code(f: impl FnOnce(Option<DraftCode>) + 'static) {
    match loaded_draft_code() {
        Some(code) => f(Some(code)),
        None => leptos::task::spawn_local(async move { f(draft_code_fetched().await.ok()) }),
    }
}

/// Shows the stored draft to go on with, if the code that reads drafts is here (`ui::start`
/// fetched it if storage holds any); whether there was one.
pub fn resume_stored_draft(form: Form) -> bool {
    loaded_draft_code().is_some_and(|code| (code.resume)(form))
}

/// The code that reads drafts, if it is here.
pub fn loaded_draft_reader() -> Option<OpenDraft> {
    loaded_draft_code().map(|code| code.open)
}

/// The code that reads drafts, fetched once.
pub async fn draft_reader() -> Result<OpenDraft, ()> {
    draft_code_fetched().await.map(|code| code.open)
}

fn loaded_draft_code() -> Option<DraftCode> {
    READER.get().or_else(split::linked_draft_code)
}

async fn draft_code_fetched() -> Result<DraftCode, ()> {
    if let Some(code) = loaded_draft_code() {
        return Ok(code);
    }
    let code = split::draft_code().await?;
    READER.set(Some(code));
    Ok(code)
}

thread_local! {
    static READER: std::cell::Cell<Option<DraftCode>> = const { std::cell::Cell::new(None) };
}

/// Where the notice of a locked draft goes, and the notice of a contributor's part. Their code
/// comes with the code that reads drafts, which is here whenever a draft was read (a part is
/// a draft that was read, or made by the hand-offs page, which fetches that code first); they
/// are drawn once it is here. A conflict with another tab may come first (this tab's next save
/// finds a newer revision before the other tab's change is read): then the code is fetched, or
/// the lock is explained with "Try again" if it cannot be.
#[component]
pub fn LockSlot() -> impl IntoView {
    let form = form();
    let failed = RwSignal::new(false);
    let arrived = Trigger::new();
    let fetch = move || {
        leptos::task::spawn_local(async move {
            match draft_code_fetched().await {
                // Drawn again, now with the code.
                Ok(_) => arrived.notify(),
                Err(()) => failed.set(true),
            }
        })
    };
    // Runs again whenever a draft is shown (`session::show` sets the lock).
    move || {
        arrived.track();
        let locked = form.session.lock() != Lock::Open;
        match loaded_draft_code() {
            // The notices say nothing while there is nothing to say.
            Some(code) => Some((code.notices)()),
            None if !locked => None,
            None if failed.get() => Some(failed_notice(
                "lock-notice",
                None,
                "ui.lock_conflict",
                Callback::new(move |()| failed.set(false)),
            )),
            None => {
                fetch();
                None
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Loading {
    /// The code is on its way.
    Waiting,
    /// The code is here; the whole wording may not be.
    Fetched,
    Drawing,
    Ready,
    Failed,
}

// One function per part, each reached from its own split point only, so that each part's code
// goes to its own module. Each brings the check of typed answers, which the form's own code goes
// without (`ui::typed_check`): the parts that write answers need it, and the others then need
// not be told apart.
fn still_to_answer() -> AnyView {
    typed_check_here();
    view! { <StillToAnswer/> }.into_any()
}

fn drafts() -> AnyView {
    typed_check_here();
    view! { <DraftsPage/> }.into_any()
}

/// The export page, or the key's registration sheet when that is the page on screen: the sheet is
/// reached from the export page only and shares its module and split point (one of its own, or
/// an argument to this one, would cost the form's own wasm some 150 bytes gzip).
fn export() -> AnyView {
    typed_check_here();
    if untrack(|| form().shell.shows(&View::Registration)) {
        view! { <RegistrationSheet/> }.into_any()
    } else {
        view! { <ExportPage/> }.into_any()
    }
}

fn open_submission() -> AnyView {
    typed_check_here();
    view! { <SubmissionPage/> }.into_any()
}

fn print() -> AnyView {
    typed_check_here();
    view! { <PrintPage/> }.into_any()
}

fn handoffs() -> AnyView {
    typed_check_here();
    view! { <HandoffsPage/> }.into_any()
}

fn questions(id: &'static str, section: &'static Section) -> AnyView {
    typed_check_here();
    super::section_view::questions::<true>(id, section).into_any()
}

fn rows(question: &'static Question, labels: Labels) -> AnyView {
    typed_check_here();
    view! { <RepeatGroup question labels/> }.into_any()
}

/// Reached only from the parts above and [`draft_code`]: `check_typed` stays out of the form's
/// own wasm.
fn typed_check_here() {
    super::bring_typed_check(crate::core::validate::check_typed);
}

/// The split points: each `draw_*` function's body, and all that only it reaches, leaves the
/// form's wasm. Its `fetch_*` companion fetches that code (once; a failed fetch is not
/// remembered, so the next call tries again), after which `draw_*` runs at once.
#[cfg(feature = "split-pages")]
mod split {
    use leptos::prelude::*;
    use leptos::wasm_split::{wasm_split, SplitLoaderError};

    use super::{DraftCode, Labels, Page, Part, Question, Section};

    pub async fn fetch(part: &Part) -> Result<(), ()> {
        let fetched = match part {
            Part::Page(Page::StillToAnswer) => fetch_still_to_answer().await,
            // The drafts page reads drafts as it is drawn.
            Part::Page(Page::Drafts) => {
                fetch_drafts().await.map_err(|_| ())?;
                return super::draft_reader().await.map(|_| ());
            }
            Part::Page(Page::Export | Page::Registration) => fetch_export().await,
            Part::Page(Page::OpenSubmission) => fetch_open_submission().await,
            Part::Page(Page::Print) => fetch_print().await,
            Part::Page(Page::Handoffs) => fetch_handoffs().await,
            Part::Questions(..) => fetch_questions().await,
            Part::Rows(..) => fetch_rows().await,
        };
        fetched.map_err(|_| ())
    }

    /// The part's view, built under `owner` (the caller's, so it is disposed of with it).
    pub async fn draw(part: Part, owner: Owner) -> Result<AnyView, ()> {
        let drawn = match part {
            Part::Page(Page::StillToAnswer) => draw_still_to_answer(owner).await,
            Part::Page(Page::Drafts) => draw_drafts(owner).await,
            Part::Page(Page::Export | Page::Registration) => draw_export(owner).await,
            Part::Page(Page::OpenSubmission) => draw_open_submission(owner).await,
            Part::Page(Page::Print) => draw_print(owner).await,
            Part::Page(Page::Handoffs) => draw_handoffs(owner).await,
            Part::Questions(id, section) => draw_questions(owner, id, section).await,
            Part::Rows(question, labels) => draw_rows(owner, question, labels).await,
        };
        drawn.map_err(|_| ())
    }

    pub fn linked_draft_code() -> Option<DraftCode> {
        None
    }

    pub async fn draft_code() -> Result<DraftCode, ()> {
        reader().await.map_err(|_| ())
    }

    #[wasm_split(draft_reader, wasm_split_path = ::leptos::wasm_split, fallible)]
    fn reader() -> Result<DraftCode, SplitLoaderError> {
        Ok(super::draft_code())
    }

    #[wasm_split(still_to_answer, wasm_split_path = ::leptos::wasm_split, fallible, preload(fetch_still_to_answer))]
    fn draw_still_to_answer(owner: Owner) -> Result<AnyView, SplitLoaderError> {
        Ok(owner.with(super::still_to_answer))
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

    #[wasm_split(handoffs_page, wasm_split_path = ::leptos::wasm_split, fallible, preload(fetch_handoffs))]
    fn draw_handoffs(owner: Owner) -> Result<AnyView, SplitLoaderError> {
        Ok(owner.with(super::handoffs))
    }

    #[wasm_split(questions, wasm_split_path = ::leptos::wasm_split, fallible, preload(fetch_questions))]
    fn draw_questions(
        owner: Owner,
        id: &'static str,
        section: &'static Section,
    ) -> Result<AnyView, SplitLoaderError> {
        Ok(owner.with(move || super::questions(id, section)))
    }

    #[wasm_split(repeat_group, wasm_split_path = ::leptos::wasm_split, fallible, preload(fetch_rows))]
    fn draw_rows(
        owner: Owner,
        question: &'static Question,
        labels: Labels,
    ) -> Result<AnyView, SplitLoaderError> {
        Ok(owner.with(move || super::rows(question, labels)))
    }
}

/// Without the feature: the parts are linked in, so there is nothing to fetch.
#[cfg(not(feature = "split-pages"))]
mod split {
    use leptos::prelude::*;

    use super::{DraftCode, Page, Part};

    pub async fn fetch(_: &Part) -> Result<(), ()> {
        Ok(())
    }

    pub fn linked_draft_code() -> Option<DraftCode> {
        Some(super::draft_code())
    }

    pub async fn draft_code() -> Result<DraftCode, ()> {
        Ok(super::draft_code())
    }

    pub async fn draw(part: Part, owner: Owner) -> Result<AnyView, ()> {
        Ok(owner.with(move || match part {
            Part::Page(Page::StillToAnswer) => super::still_to_answer(),
            Part::Page(Page::Drafts) => super::drafts(),
            Part::Page(Page::Export | Page::Registration) => super::export(),
            Part::Page(Page::OpenSubmission) => super::open_submission(),
            Part::Page(Page::Print) => super::print(),
            Part::Page(Page::Handoffs) => super::handoffs(),
            Part::Questions(id, section) => super::questions(id, section),
            Part::Rows(question, labels) => super::rows(question, labels),
        }))
    }
}
