//! The Leptos interface. Components are named after what the user sees.
//!
//! State lives in four stores, grouped in one [`Form`] (provided as context): the reply (whose
//! answers are the single source of truth; visibility, problems and progress are memos derived
//! from them by the core), the draft's session, the shell, and the wording.

mod app;
mod carried;
mod changes;
mod draft_bar;
mod drafts_page;
mod export_page;
mod fields;
mod handoffs_page;
mod language_switch;
mod lazy;
mod lock_notice;
mod part_notice;
mod print_page;
mod question_card;
mod registration_sheet;
mod repeat_group;
mod reply;
mod section_nav;
mod section_view;
pub mod session;
mod shell;
mod still_to_answer;
mod submission_page;
mod wording;

use leptos::prelude::*;

use crate::core::draft::Kept;
use crate::core::i18n::{language, Catalog, DEFAULT_LANGUAGE};
use crate::core::model::Questionnaire;
use crate::core::submission::STATE_QUESTION;

pub(crate) use reply::bring_typed_check;
use reply::Reply;
use session::Session;
use shell::Shell;
use wording::Wording;

pub use app::App;

/// Loads the language in use, then mounts the app on the page body.
pub fn start() {
    console_error_panic_hook::set_once();
    // Before mounting, Leptos has no executor yet: the browser's own runs this.
    wasm_bindgen_futures::spawn_local(async {
        let tag = starting_language();
        let catalog = match crate::web::locales::load(tag, false).await {
            Ok(cat) => Ok(cat),
            // A catalog that cannot be fetched: the default language is the next best thing.
            Err(_) if tag != DEFAULT_LANGUAGE => {
                crate::web::locales::load(DEFAULT_LANGUAGE, false).await
            }
            Err(e) => Err(e),
        };
        // The drafts in storage are read as the app starts, so the code that reads them comes
        // first; a first visit has none, and goes without it.
        let reader = if crate::web::storage::has_drafts() {
            lazy::draft_reader()
                .await
                .map(Some)
                .map_err(|()| "the code that reads drafts: not reachable".to_owned())
        } else {
            Ok(None)
        };
        match catalog.and_then(|c| reader.map(|_| c)) {
            Ok(catalog) => {
                crate::web::dom::boot_done(None);
                leptos::mount::mount_to_body(move || view! { <App catalog/> });
            }
            Err(e) => crate::web::dom::boot_done(Some(&e)),
        }
    });
}

/// The language chosen in the menu before, else the first shipped one the browser prefers.
fn starting_language() -> &'static str {
    let chosen = crate::web::storage::chosen_language();
    let preferred = web_sys::window()
        .map(|w| {
            w.navigator()
                .languages()
                .iter()
                .filter_map(|l| l.as_string())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    chosen
        .iter()
        .chain(&preferred)
        .find_map(|tag| language(tag))
        .map_or(DEFAULT_LANGUAGE, |l| l.tag)
}

/// Which page of the form is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum View {
    Section(&'static str),
    StillToAnswer,
    Drafts,
    Export,
    OpenSubmission,
    /// The whole reply, laid out for printing.
    Print,
    /// Hand questions out to other offices and merge their parts back; in a contributor's part,
    /// return it.
    Handoffs,
    /// The sheet that registers the signing key with the secretariat.
    Registration,
}

/// What is known of the open draft besides its answers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meta {
    pub id: String,
    pub name: String,
    /// The revision the answers on screen are based on.
    pub revision: u64,
    pub saved_at: String,
    pub changes_since_file: u32,
    /// The draft's hand-offs, carried from one save to the next unread (`Draft::handoff`).
    pub handoff: Option<Kept>,
    /// What a reply started from a previous one remembers of it (`Draft::cycle`), likewise.
    pub cycle: Option<Kept>,
}

/// Whether the open draft may be changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lock {
    Open,
    /// Written for a newer questionnaire version: shown only.
    Newer(u32),
    /// Another tab wrote a newer revision; this tab stopped saving until the user chooses.
    Conflict,
}

/// Whether the last autosave worked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveState {
    /// Nothing typed yet in this session.
    Idle,
    /// `at`: milliseconds since 1970, shown in the reader's language.
    Saved {
        at: u64,
    },
    /// Updated from another tab.
    Synced {
        at: u64,
    },
    Failed {
        reason: String,
    },
}

/// What the components share, provided as context: the definition and the four stores, each in
/// its own module with its signals private to it (written only through its methods): the reply
/// ([`reply`]), the draft's session ([`session`]), the shell ([`shell`]) and the wording
/// ([`wording`]). `Copy`: signals are handles, the definition and each loaded catalog live for
/// the whole page.
#[derive(Clone, Copy)]
pub struct Form {
    pub q: &'static Questionnaire,
    pub reply: Reply,
    pub session: Session,
    pub shell: Shell,
    pub wording: Wording,
}

impl Form {
    /// The form for a questionnaire that lives as long as the page.
    pub fn new(q: &'static Questionnaire, catalog: &'static Catalog) -> Form {
        Form {
            q,
            reply: Reply::new(q),
            session: Session::default(),
            shell: Shell::new(q),
            wording: Wording::new(catalog),
        }
    }

    /// The catalog of the current language (reactive).
    #[inline]
    pub fn cat(&self) -> &'static Catalog {
        self.wording.catalog()
    }

    /// A text of the current language, as a view or attribute value that follows the language;
    /// called (`form.text(key)()`), the text now (reactive). The one way to get an interface
    /// text by its key: every call returns the same type, so the code that draws and updates it
    /// is generated once, not once per closure (each closure is a type of its own). Keys made at
    /// run time (a question's label, a section's title) are looked up with [`Form::lookup`].
    pub fn text(self, key: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
        move || self.lookup(key)
    }

    /// The text of a key made at run time, in the current language (reactive).
    pub fn lookup(&self, key: &str) -> String {
        self.cat().get(key).to_owned()
    }

    /// The name of a State (an option of question S1) in the current language (reactive).
    pub fn state_name(&self, code: &str) -> String {
        let s1 = STATE_QUESTION;
        let kind = &self
            .q
            .question(s1)
            .expect("the questionnaire asks for the State")
            .question
            .kind;
        crate::core::i18n::option_label(
            self.cat(),
            kind,
            &crate::core::i18n::keys::question_owner(s1),
            code,
        )
    }
}

pub fn form() -> Form {
    expect_context::<Form>()
}

pub fn section_heading_id(section: &str) -> String {
    format!("section-{section}")
}

/// The id of a question's container element.
pub fn question_dom_id(question: &str) -> String {
    format!("q-{question}")
}

pub fn error_id(base: &str) -> String {
    format!("{base}-error")
}
