//! The shell around the reply: which page is shown, the message of the moment, the update that
//! waits, and the retry of parts whose code or wording could not be fetched.

use leptos::prelude::*;

use super::{question_dom_id, section_heading_id, View};
use crate::core::model::Questionnaire;

/// The shell's store. `Copy`: its signals are handles.
#[derive(Clone, Copy)]
pub struct Shell {
    view: RwSignal<View>,
    /// A message for the user (an unreadable draft, a refused file), until dismissed.
    notice: RwSignal<Option<String>>,
    /// A new version of the app is installed and waits for the user to choose to update.
    update_ready: RwSignal<bool>,
    /// Notified by "Try again" on a part of the app whose code could not be fetched (a page, a
    /// group's rows), and when the browser is back online: every such part tries again.
    retry_fetches: Trigger,
}

impl Shell {
    pub fn new(q: &'static Questionnaire) -> Shell {
        Shell {
            view: RwSignal::new(View::Section(q.sections[0].id)),
            notice: RwSignal::new(None),
            update_ready: RwSignal::new(false),
            retry_fetches: Trigger::new(),
        }
    }

    /// The page shown (reactive).
    #[inline]
    pub fn view(&self) -> View {
        self.view.get()
    }

    /// Whether the page shown is `view` (reactive).
    #[inline]
    pub fn shows(&self, view: &View) -> bool {
        self.view.with(|v| v == view)
    }

    /// Calls `f` with the page shown (reactive).
    #[inline]
    pub fn with_view<T>(&self, f: impl FnOnce(&View) -> T) -> T {
        self.view.with(f)
    }

    #[inline]
    pub fn show(&self, view: View) {
        self.view.set(view);
    }

    /// Goes to a section and moves focus to its heading.
    pub fn open_section(&self, id: &'static str) {
        self.view.set(View::Section(id));
        crate::web::dom::focus_later(section_heading_id(id));
    }

    /// Goes to a question's section and focuses the question.
    pub fn open_question(&self, q: &'static Questionnaire, id: &str) {
        if let Some(it) = q.question(id) {
            self.view.set(View::Section(it.section.id));
            crate::web::dom::focus_first_control_later(question_dom_id(id));
        }
    }

    /// The message shown (reactive).
    #[inline]
    pub fn notice(&self) -> Option<String> {
        self.notice.get()
    }

    /// Shows a message until dismissed (or replaced).
    #[inline]
    pub fn say(&self, text: String) {
        self.notice.set(Some(text));
    }

    #[inline]
    pub fn dismiss(&self) {
        self.notice.set(None);
    }

    /// Whether a new version waits (reactive).
    #[inline]
    pub fn update_ready(&self) -> bool {
        self.update_ready.get()
    }

    #[inline]
    pub fn update_arrived(&self) {
        self.update_ready.set(true);
    }

    /// Subscribes the running effect to "try again".
    #[inline]
    pub fn track_retries(&self) {
        self.retry_fetches.track();
    }

    /// Every part that could not be fetched tries again.
    #[inline]
    pub fn retry_fetches(&self) {
        self.retry_fetches.notify();
    }
}
