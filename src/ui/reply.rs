//! The reply: every answer, what the core derives from them (which questions are shown, their
//! problems, progress), and a change notice per question and per row.
//!
//! The answers are private to this module: every write goes through a method here, which sends
//! the change notice of what it changed, so no control can miss a change (and no code elsewhere
//! can write an answer without its notice: the signal is not reachable).

use leptos::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use crate::core::answers::{Answer, Answers, IdSet, Row};
use crate::core::model::Questionnaire;
use crate::core::validate::{self, Issue, Progress};

/// The reply's store. `Copy`: its signals are handles.
#[derive(Clone, Copy)]
pub struct Reply {
    /// Every answer. Whole-reply work (visibility, checks, progress, autosave) tracks this
    /// ([`Reply::track_all`]); controls track [`Reply::track`] instead.
    answers: RwSignal<Answers>,
    /// Change notices per question and per row: a control subscribes to the one answer it
    /// shows, so a keystroke re-runs the controls of that answer only, not of 200 rows.
    changes: StoredValue<HashMap<(&'static str, Option<u32>), ArcTrigger>>,
    pub shown: Memo<IdSet<&'static str>>,
    pub issues: Memo<Vec<Issue>>,
    /// [`Reply::issues`] with a notice per question that its problems changed: a control shows
    /// its problems through [`Reply::problems_of`], so a keystroke that changes no problem
    /// re-runs no control, however many are on screen.
    problems: StoredValue<ProblemIndex>,
    pub progress: Memo<Vec<(String, Progress)>>,
    /// Controls (by DOM id) the user has left at least once, and questions opened from the
    /// "still to answer" list (by question id): their problems are shown. Read through
    /// [`Reply::reveal`], which subscribes to the notices of one control and its question only.
    touched: StoredValue<Touched>,
    /// Set by "Check my answers": every problem is shown.
    check_all: RwSignal<bool>,
    /// The last removed row, for "Undo": (question, position, row).
    removed: RwSignal<Option<(&'static str, usize, Row)>>,
}

impl Reply {
    pub fn new(q: &'static Questionnaire) -> Reply {
        let answers = RwSignal::new(Answers::default());
        let shown = Memo::new(move |_| {
            let shown = answers.with(|a| validate::visible(q, a));
            RULES_CHANGED.with(|t| t.track());
            ONLY.with_borrow(|only| {
                if only.is_empty() {
                    return shown;
                }
                let mut part = IdSet::default();
                for id in shown.iter().filter(|id| only.contains(*id)) {
                    part.insert(*id);
                }
                part
            })
        });
        // The checks follow the answers a task later ([`check_soon`]): a keystroke's frame shows
        // the text typed without waiting for the checks of every answer, then the problems and
        // progress follow. A change of what is shown is checked at once.
        let issues = Memo::new(move |_| {
            CHECK.with(|t| t.track());
            let check = typed_check();
            answers.with_untracked(|a| shown.with(|s| validate::validate_with(q, a, s, check)))
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
        Reply {
            answers,
            changes: StoredValue::new(HashMap::default()),
            shown,
            issues,
            problems,
            progress,
            touched: StoredValue::new(Touched::default()),
            check_all: RwSignal::new(false),
            removed: RwSignal::new(None),
        }
    }

    /// Shows, checks and counts only `questions` (a contributor's part), or every question
    /// (empty).
    pub fn show_only(&self, questions: IdSet<&'static str>) {
        ONLY.set(questions);
        RULES_CHANGED.with(|t| t.notify());
    }

    /// Subscribes the running effect to every change of any answer (whole-reply work: autosave,
    /// the export's checks).
    #[inline]
    pub fn track_all(&self) {
        self.answers.track();
    }

    /// Calls `f` with every answer (reactive: to any change).
    #[inline]
    pub fn with<T>(&self, f: impl FnOnce(&Answers) -> T) -> T {
        self.answers.with(f)
    }

    /// Calls `f` with every answer, followed as the checks follow them: a task after any change
    /// ([`check_soon`]), at once for a draft opened. For work over the whole reply that the page
    /// shows beside the answers (a carried reply's marks and count), kept out of a keystroke's
    /// frame.
    #[inline]
    pub fn with_checked<T>(&self, f: impl FnOnce(&Answers) -> T) -> T {
        CHECK.with(|t| t.track());
        self.answers.with_untracked(f)
    }

    /// A copy of every answer, without subscribing.
    #[inline]
    pub fn answers_untracked(&self) -> Answers {
        self.answers.get_untracked()
    }

    /// Lends every answer to `f`, which gives them back: no copy (the autosave writes them on
    /// every keystroke, 90 KB with 200 rows) and no notice (nothing changes). Meanwhile the reply
    /// reads as empty: `f` must not reach code that reads it. `None` once the form is gone.
    pub fn lend<T>(&self, f: impl FnOnce(Answers) -> (Answers, T)) -> Option<T> {
        let answers = self.answers.try_update_untracked(std::mem::take)?;
        let (answers, out) = f(answers);
        self.answers.try_update_untracked(|a| *a = answers);
        Some(out)
    }

    /// How many times the answers were written since the page opened: the autosave compares it
    /// with the count it last wrote, instead of comparing every answer.
    #[inline]
    pub fn edits(&self) -> u64 {
        EDITS.get()
    }

    /// Every write of the answers goes through here.
    fn edit(&self, f: impl FnOnce(&mut Answers)) {
        EDITS.set(EDITS.get() + 1);
        self.answers.update(f);
        check_soon();
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

    /// An answer to a question (reactive: to this question only).
    pub fn answer(&self, id: &'static str) -> Option<Answer> {
        self.track(id, None);
        self.answers.with_untracked(|a| a.get(id).cloned())
    }

    /// Reads one question's answer or rows without subscribing (a control reads what it shows,
    /// and subscribes with [`Reply::track`]).
    pub fn with_untracked<T>(&self, f: impl FnOnce(&Answers) -> T) -> T {
        self.answers.with_untracked(f)
    }

    pub fn set(&self, id: &'static str, answer: Answer) {
        self.edit(|a| a.set(id, answer));
        self.notify(id, None);
    }

    /// Sets one field of one row (by the row's key), in place.
    pub fn set_field(&self, id: &'static str, key: u32, field: &str, answer: Answer) {
        self.edit(|a| {
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
        self.edit(|a| {
            let mut rows = a.rows_mut(id).map(std::mem::take).unwrap_or_default();
            f(&mut rows);
            // A group with no rows left is no answer at all (`set` drops it).
            a.set(id, Answer::Rows(rows));
        });
        self.notify(id, None);
    }

    /// Replaces every answer (a draft opened, or updated from another tab).
    pub fn replace_answers(&self, answers: Answers) {
        self.edit(|a| *a = answers);
        // Checked at once: another draft's problems and progress are not shown for a frame.
        CHECK.with(|t| t.notify());
        let all: Vec<ArcTrigger> = self.changes.with_value(|c| c.values().cloned().collect());
        for t in all {
            t.notify();
        }
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

    /// Whether "Check my answers" was pressed (reactive).
    #[inline]
    pub fn checking_all(&self) -> bool {
        self.check_all.get()
    }

    /// "Check my answers": every problem is shown; `false` when another draft is shown.
    #[inline]
    pub fn check_all(&self, on: bool) {
        self.check_all.set(on);
    }

    /// Records that the user has left a control (or opened a question: its id). Its problems show
    /// once no press is under way (`dom::after_press`), so they cannot move a control being clicked.
    pub fn touch(&self, id: String) {
        let reply = *self;
        crate::web::dom::after_press(move || reply.touch_now(id));
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

    /// The last removed row, for "Undo" (reactive).
    #[inline]
    pub fn removed(&self) -> Option<(&'static str, usize, Row)> {
        self.removed.get()
    }

    /// Removes row `index` of a group, kept for "Undo"; whether there was one.
    pub fn remove_row(&self, id: &'static str, index: usize) -> bool {
        let mut taken = None;
        self.update_rows(id, |rows| {
            if index < rows.len() {
                taken = Some(rows.remove(index));
            }
        });
        let removed = taken.is_some();
        if let Some(row) = taken {
            self.removed.set(Some((id, index, row)));
        }
        removed
    }

    /// Puts the last removed row back where it was.
    pub fn undo_remove(&self) {
        if let Some((id, index, row)) = self.removed.get_untracked() {
            self.update_rows(id, |rows| rows.insert(index.min(rows.len()), row));
            self.removed.set(None);
        }
    }

    /// Forgets the last removed row (the notice dismissed, or another row added).
    #[inline]
    pub fn forget_removed(&self) {
        self.removed.set(None);
    }
}

/// The problems of the reply, and a change notice per question.
#[derive(Default)]
struct ProblemIndex {
    /// As `validate` lists them: a question's are consecutive.
    all: Vec<Issue>,
    /// By question, keyed as [`Reply::changes`] is (the row always `None`), so that the two share
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

/// The controls left and questions opened (see [`Reply::reveal`]), with a change notice per id.
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
    /// In a contributor's part (`core::handoff`), the questions handed to them: the only ones
    /// shown, checked and counted; empty in a reply of one's own (a part hands out at least one).
    /// Not a signal: a signal of a type of its own costs the first visit its code, and the page
    /// has one form.
    static ONLY: std::cell::RefCell<IdSet<&'static str>> = const { std::cell::RefCell::new(IdSet::new()) };
    /// Notified when what the reply is checked against changes: the check of typed answers
    /// arrives, or the questions of a part are set. What is shown and the problems are worked
    /// out again.
    static RULES_CHANGED: ArcTrigger = ArcTrigger::new();
    /// Notified a task after the answers change: the reply's checks run again.
    static CHECK: ArcTrigger = ArcTrigger::new();
    static CHECK_DUE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// See [`Reply::edits`]. Not a field: `Reply` is `Copy`, and the page has one form.
    static EDITS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Checks the answers again in a task of their own, once for all the changes of this one: when a
/// frame is due, the browser draws it first, so a keystroke shows without waiting for the checks
/// of every answer (0.2-0.3 ms with 200 rows).
fn check_soon() {
    if !CHECK_DUE.replace(true) {
        set_timeout(
            || {
                CHECK_DUE.set(false);
                CHECK.with(|t| t.notify());
            },
            std::time::Duration::ZERO,
        );
    }
}

/// How the reply checks typed answers (addresses, telephone numbers, numbers): not at all until
/// code that can write one is here (reactive: to its arrival). No question of the first section
/// takes one, and every part fetched later (the other sections, rows, pages, the code that reads
/// drafts) brings the check with it ([`bring_typed_check`], from `ui::lazy`), before anything of
/// it can write an answer: so its code is not part of a first visit.
fn typed_check() -> Option<validate::TypedCheck> {
    RULES_CHANGED.with(|t| t.track());
    TYPED_CHECK.get()
}

/// Called by the code of every lazy part, with `validate::check_typed`.
pub(crate) fn bring_typed_check(check: validate::TypedCheck) {
    if TYPED_CHECK.replace(Some(check)).is_none() {
        RULES_CHANGED.with(|t| t.notify());
    }
}
