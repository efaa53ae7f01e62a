//! The Leptos interface. Components are named after what the user sees.
//!
//! State lives in one [`Form`] (provided as context): the answers signal is the single source of
//! truth; visibility, problems and progress are memos derived from it by the core.

mod app;
mod draft_bar;
mod drafts_page;
mod export_page;
mod fields;
mod language_switch;
mod lazy;
mod print_page;
mod question_card;
mod repeat_group;
mod section_nav;
mod section_view;
pub mod session;
mod still_to_answer;
mod submission_page;
mod wording;

use rustc_hash::FxHashMap as HashMap;

use leptos::prelude::*;

use crate::core::answers::{Answer, Answers, IdSet, Row};
use crate::core::draft::Draft;
use crate::core::i18n::{language, Catalog, DEFAULT_LANGUAGE};
use crate::core::model::Questionnaire;
use crate::core::submission::STATE_QUESTION;
use crate::core::validate::{self, Issue, Progress};

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

/// The problems of the reply, and a change notice per question.
#[derive(Default)]
struct ProblemIndex {
    /// As `validate` lists them: a question's are consecutive.
    all: Vec<Issue>,
    /// By question, keyed as [`Form::changes`] is (the row always `None`), so that the two share
    /// one copy of the map's code.
    notices: HashMap<(&'static str, Option<u32>), ArcTrigger>,
}

impl ProblemIndex {
    /// Takes the new list of problems; returns the notices of the questions whose problems changed.
    fn replace(&mut self, all: &[Issue]) -> Vec<ArcTrigger> {
        // Most keystrokes change no problem: then there is nothing to compare question by question.
        if self.all == all {
            return Vec::new();
        }
        let old = std::mem::replace(&mut self.all, all.to_vec());
        self.notices
            .iter()
            .filter(|((q, _), _)| {
                validate::of_question(&old, q) != validate::of_question(&self.all, q)
            })
            .map(|(_, notice)| notice.clone())
            .collect()
    }
}

/// The controls left and questions opened (see [`Form::reveal`]), with a change notice per id.
/// One signal read by every control made the first departure from each control re-run the
/// problems of all of them (some 1,600 with 200 rows on screen), and each of those re-runs
/// unsubscribes from that signal in time proportional to its number of readers.
#[derive(Default)]
struct Touched {
    ids: IdSet<String>,
    notices: HashMap<String, ArcTrigger>,
}

impl Touched {
    fn notice(&mut self, id: &str) -> ArcTrigger {
        if let Some(notice) = self.notices.get(id) {
            return notice.clone();
        }
        self.notices.entry(id.to_owned()).or_default().clone()
    }
}

thread_local! {
    static TYPED_CHECK: std::cell::Cell<Option<validate::TypedCheck>> = const { std::cell::Cell::new(None) };
}

/// How the form checks typed answers (addresses, telephone numbers, numbers): not at all until
/// code that can write one is here. No question of the first section takes one, and every part
/// fetched later (the other sections, rows, pages, the code that reads drafts) brings the check
/// with it ([`bring_typed_check`], from `ui::lazy`), before anything of it can write an answer:
/// so its code is not part of a first visit.
fn typed_check() -> Option<validate::TypedCheck> {
    TYPED_CHECK.get()
}

/// Called by the code of every lazy part, with `validate::check_typed`.
pub(crate) fn bring_typed_check(check: validate::TypedCheck) {
    TYPED_CHECK.set(Some(check));
}

/// Everything the components share. `Copy`: signals are handles, the definition and each loaded
/// catalog live for the whole page.
#[derive(Clone, Copy)]
pub struct Form {
    pub q: &'static Questionnaire,
    /// The catalog of the language on screen.
    pub catalog: RwSignal<&'static Catalog>,
    /// A language being loaded (its tag), for the menu's busy state.
    pub loading_language: RwSignal<Option<&'static str>>,
    /// Every answer. Whole-reply work (visibility, checks, progress, autosave) tracks this;
    /// controls track [`Form::changes`] instead.
    pub answers: RwSignal<Answers>,
    /// Change notices per question and per row: a control subscribes to the one answer it
    /// shows, so a keystroke re-runs the controls of that answer only, not of 200 rows.
    changes: StoredValue<HashMap<(&'static str, Option<u32>), ArcTrigger>>,
    pub shown: Memo<IdSet<&'static str>>,
    pub issues: Memo<Vec<Issue>>,
    /// [`Form::issues`] grouped by question, with a notice per question that its problems
    /// changed: a control shows its problems through [`Form::problems_of`], so a keystroke that
    /// changes no problem re-runs no control, however many are on screen.
    problems: StoredValue<ProblemIndex>,
    pub progress: Memo<Vec<(String, Progress)>>,
    pub view: RwSignal<View>,
    /// Controls (by DOM id) the user has left at least once, and questions opened from the
    /// "still to answer" list (by question id): their problems are shown. Read through
    /// [`Form::reveal`], which subscribes to the notices of one control and its question only.
    touched: StoredValue<Touched>,
    /// Set by "Check my answers": every problem is shown.
    pub check_all: RwSignal<bool>,
    pub save_state: RwSignal<SaveState>,
    /// The last removed row, for "Undo": (question, position, row).
    pub removed: RwSignal<Option<(&'static str, usize, Row)>>,
    /// A message for the user (an unreadable draft, a refused file), until dismissed.
    pub notice: RwSignal<Option<String>>,
    pub meta: RwSignal<Meta>,
    pub lock: RwSignal<Lock>,
    /// The answers as last written to storage (`None`: never written, write at the next chance).
    pub last_saved: StoredValue<Option<Answers>>,
    /// Whether the browser granted persistent storage (`None`: not asked yet).
    pub persisted: RwSignal<Option<bool>>,
    /// Bumped whenever the stored drafts change, so the list is read again.
    pub drafts_changed: RwSignal<u32>,
    /// The last deleted draft, for "Undo".
    pub deleted: RwSignal<Option<Draft>>,
    /// A new version of the app is installed and waits for the user to choose to update.
    pub update_ready: RwSignal<bool>,
    /// Notified by "Try again" on a part of the app whose code could not be fetched (a page, a
    /// group's rows), and when the browser is back online: every such part tries again.
    pub retry_fetches: Trigger,
    /// The rest of the wording of the language on screen, when the catalog is not whole yet.
    pub rest: RwSignal<wording::Rest>,
}

impl Form {
    /// The form for a questionnaire that lives as long as the page.
    pub fn new(q: &'static Questionnaire, catalog: &'static Catalog) -> Form {
        let answers = RwSignal::new(Answers::default());
        let shown = Memo::new(move |_| answers.with(|a| validate::visible(q, a)));
        let issues = Memo::new(move |_| {
            answers.with(|a| shown.with(|s| validate::validate_with(q, a, s, typed_check())))
        });
        let progress =
            Memo::new(move |_| shown.with(|s| issues.with(|i| validate::progress(q, s, i))));
        let problems = StoredValue::new(ProblemIndex::default());
        Effect::new(move |_| {
            let changed = issues
                .with(|all| problems.try_update_value(|index| index.replace(all)))
                .unwrap_or_default();
            for notice in changed {
                notice.notify();
            }
        });
        Form {
            q,
            catalog: RwSignal::new(catalog),
            loading_language: RwSignal::new(None),
            answers,
            changes: StoredValue::new(HashMap::default()),
            shown,
            issues,
            problems,
            progress,
            view: RwSignal::new(View::Section(q.sections[0].id)),
            touched: StoredValue::new(Touched::default()),
            check_all: RwSignal::new(false),
            save_state: RwSignal::new(SaveState::Idle),
            removed: RwSignal::new(None),
            notice: RwSignal::new(None),
            meta: RwSignal::new(Meta::default()),
            lock: RwSignal::new(Lock::Open),
            last_saved: StoredValue::new(None),
            persisted: RwSignal::new(None),
            drafts_changed: RwSignal::new(0),
            deleted: RwSignal::new(None),
            update_ready: RwSignal::new(false),
            retry_fetches: Trigger::new(),
            rest: RwSignal::new(wording::Rest::Idle),
        }
    }

    /// The catalog of the current language (reactive).
    pub fn cat(&self) -> &'static Catalog {
        self.catalog.get()
    }

    /// A text of the current language (reactive).
    pub fn t(&self, key: &str) -> String {
        self.cat().get(key).to_owned()
    }

    /// A text of the current language as a view or attribute value that follows the language.
    /// Every call returns the same type, so the code that draws and updates it is generated once,
    /// not once per `move || form.t(..)` closure (each closure is a type of its own).
    pub fn text(self, key: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
        move || self.t(key)
    }

    /// Subscribes the running effect to changes of one question (`row: None`: its answer, or
    /// for a group the list of its rows) or of one row of a group.
    pub fn track(&self, question: &'static str, row: Option<u32>) {
        let trigger = self
            .changes
            .try_update_value(|c| c.entry((question, row)).or_default().clone());
        if let Some(t) = trigger {
            t.track();
        }
    }

    fn notify(&self, question: &'static str, row: Option<u32>) {
        if let Some(t) = self
            .changes
            .with_value(|c| c.get(&(question, row)).cloned())
        {
            t.notify();
        }
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

    /// Calls `f` with the problems of one question (reactive: to that question's problems only).
    pub fn problems_of<T>(&self, question: &'static str, f: impl FnOnce(&[Issue]) -> T) -> T {
        let notice = self
            .problems
            .try_update_value(|index| index.notices.entry((question, None)).or_default().clone());
        if let Some(n) = notice {
            n.track();
        }
        self.problems
            .with_value(|index| f(validate::of_question(&index.all, question)))
    }

    /// An answer to a question (reactive: to this question only).
    pub fn answer(&self, id: &'static str) -> Option<Answer> {
        self.track(id, None);
        self.answers.with_untracked(|a| a.get(id).cloned())
    }

    pub fn set(&self, id: &'static str, answer: Answer) {
        self.answers.update(|a| a.set(id, answer));
        self.notify(id, None);
    }

    /// Sets one field of one row (by the row's key), in place.
    pub fn set_field(&self, id: &'static str, key: u32, field: &str, answer: Answer) {
        self.answers.update(|a| {
            if let Some(r) = a
                .rows_mut(id)
                .and_then(|rows| rows.iter_mut().find(|r| r.key == key))
            {
                r.set(field, answer);
            }
        });
        self.notify(id, Some(key));
    }

    /// Changes the list of rows of a group (add, remove, restore).
    pub fn update_rows(&self, id: &'static str, f: impl FnOnce(&mut Vec<Row>)) {
        self.answers.update(|a| {
            let mut rows = a.rows_mut(id).map(std::mem::take).unwrap_or_default();
            f(&mut rows);
            // A group with no rows left is no answer at all (`set` drops it).
            a.set(id, Answer::Rows(rows));
        });
        self.notify(id, None);
    }

    /// Replaces every answer (a draft opened, or updated from another tab).
    pub fn replace_answers(&self, answers: Answers) {
        self.answers.set(answers);
        let all: Vec<ArcTrigger> = self.changes.with_value(|c| c.values().cloned().collect());
        for t in all {
            t.notify();
        }
    }

    /// Whether problems of a control are to be shown (reactive: to "Check my answers", and to
    /// this control and its question being left or opened): after "Check my answers", once the
    /// user has left the control, or when the question was opened from "still to answer".
    pub fn reveal(&self, question: &str, control: &str) -> bool {
        if self.check_all.get() {
            return true;
        }
        let notices = self
            .touched
            .try_update_value(|t| (t.notice(control), t.notice(question)));
        if let Some((of_control, of_question)) = notices {
            of_control.track();
            of_question.track();
        }
        self.touched
            .try_with_value(|t| t.ids.contains(control) || t.ids.contains(question))
            .unwrap_or(false)
    }

    /// Records that the user has left a control (or opened a question: its id). Its problems show
    /// once no press is under way (`dom::after_press`), so they cannot move a control being clicked.
    pub fn touch(&self, id: String) {
        let form = *self;
        crate::web::dom::after_press(move || form.touch_now(id));
    }

    fn touch_now(&self, id: String) {
        let newly = self.touched.try_update_value(|t| {
            let notice = t.notices.get(&id).cloned();
            t.ids.insert(id).then_some(notice).flatten()
        });
        if let Some(notice) = newly.flatten() {
            notice.notify();
        }
    }

    /// Forgets which controls were left (another draft is shown).
    pub fn untouch_all(&self) {
        let all = self.touched.try_update_value(|t| {
            t.ids.clear();
            t.notices.values().cloned().collect::<Vec<_>>()
        });
        for notice in all.unwrap_or_default() {
            notice.notify();
        }
    }

    /// Goes to a section and moves focus to its heading.
    pub fn open_section(&self, id: &'static str) {
        self.view.set(View::Section(id));
        crate::web::dom::focus_later(section_heading_id(id));
    }

    /// Goes to a question's section and focuses the question.
    pub fn open_question(&self, id: &str) {
        if let Some(it) = self.q.question(id) {
            self.view.set(View::Section(it.section.id));
            crate::web::dom::focus_first_control_later(question_dom_id(id));
        }
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
