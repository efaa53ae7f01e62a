//! The controls for one answer, by kind: text boxes, choices, dates, numbers with "no data".
//!
//! The same controls serve a question and a field of a repeatable row; a [`Slot`] says where the
//! value lives. Every control has a real label; choices are fieldsets with legends.

use leptos::prelude::*;

use super::{error_id, Form};
use crate::core::answers::Answer;
use crate::core::i18n::{describe, option_label};
use crate::core::model::{ChoiceOption, Kind};

/// Where an answer lives: a question, or one field of one row (by the row's stable key).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub question: &'static str,
    pub row: Option<(u32, &'static str)>,
}

impl Slot {
    pub fn question(question: &'static str) -> Slot {
        Slot {
            question,
            row: None,
        }
    }

    /// The current answer (reactive: to this question, or to this row, only).
    pub fn get(self, form: Form) -> Option<Answer> {
        match self.row {
            None => form.reply.answer(self.question),
            Some((key, field)) => {
                form.reply.track(self.question, Some(key));
                form.reply.with_untracked(|a| {
                    let rows = a.get(self.question)?.rows();
                    rows.iter().find(|r| r.key == key)?.field(field).cloned()
                })
            }
        }
    }

    pub fn set(self, form: Form, answer: Answer) {
        match self.row {
            None => form.reply.set(self.question, answer),
            Some((key, field)) => form.reply.set_field(self.question, key, field, answer),
        }
    }

    /// A unique, stable DOM id for the control.
    pub fn dom_id(self) -> String {
        match self.row {
            None => format!("q-{}-input", self.question),
            Some((key, field)) => format!("q-{}-r{key}-{field}", self.question),
        }
    }

    /// Problems to show for this slot, as sentences in the current language (reactive).
    pub fn messages(self, form: Form) -> Vec<String> {
        if !form.reply.reveal(self.question, &self.dom_id()) {
            return Vec::new();
        }
        let row_idx = self.row.and_then(|(key, _)| {
            form.reply.track(self.question, None);
            form.reply.with_untracked(|a| {
                a.get(self.question)
                    .and_then(|x| x.rows().iter().position(|r| r.key == key))
            })
        });
        let cat = form.cat();
        form.reply.problems_of(self.question, |issues| {
            issues
                .iter()
                .filter(|i| match (&i.at, self.row) {
                    (None, None) => true,
                    (Some((idx, f)), Some((_, field))) => Some(*idx) == row_idx && f == field,
                    _ => false,
                })
                .map(|i| describe(cat, form.q, i))
                .collect()
        })
    }
}

/// Label texts for one control: the labels key and the owner prefix of its inline options.
#[derive(Clone)]
pub struct Labels {
    pub label_key: String,
    pub owner: String,
    pub help_key: Option<String>,
    /// Shown before the label (the question id, e.g. "E8a"), empty for row fields.
    pub number: &'static str,
}

/// The control for one answer of any kind but a group.
///
/// With `ALL` false, only the kinds of the first section (choices and periods): that variant is
/// the form's own, and the code for text boxes, numbers and the like is not in the form's wasm.
/// The other sections, and the rows of repeatable questions, are drawn with `ALL` true, from
/// modules of their own (`later`). `tests/definition.rs` keeps the first section to those kinds.
pub fn answer_input<const ALL: bool>(
    at: Slot,
    kind: &'static Kind,
    labels: Labels,
    required: bool,
) -> impl IntoView {
    untrack(move || answer_input_untracked::<ALL>(at, kind, labels, required))
}

fn answer_input_untracked<const ALL: bool>(
    at: Slot,
    kind: &'static Kind,
    labels: Labels,
    required: bool,
) -> impl IntoView {
    let slot = at;
    let form = super::form();
    let id = slot.dom_id();
    let err = error_id(&id);
    let help_id = format!("{id}-help");
    let messages = Memo::new(move |_| slot.messages(form));
    let invalid = move || (!messages.with(Vec::is_empty)).then_some("true");
    let has_help = labels.help_key.is_some();
    let described = {
        let (err, help_id) = (err.clone(), help_id.clone());
        move || {
            let mut ids = Vec::new();
            if has_help {
                ids.push(help_id.clone());
            }
            if !messages.with(Vec::is_empty) {
                ids.push(err.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let label = {
        let key = labels.label_key.clone();
        let number = labels.number;
        move || {
            let text = form.lookup(&key);
            view! {
                {(!number.is_empty()).then(|| view! { <span class="qid">{number}</span> " " })}
                <span class="label-text">{text}</span>
                {required.then(|| view! { " " <span class="required-tag">{form.text("ui.required")()}</span> })}
            }
        }
    };
    let help = labels.help_key.clone().map(|key| {
        let help_id = help_id.clone();
        view! { <p class="help" id=help_id>{move || form.lookup(&key)}</p> }
    });
    let errors = {
        let err = err.clone();
        move || {
            let msgs = messages.get();
            (!msgs.is_empty()).then(|| {
                view! {
                    <div class="field-error" id=err.clone()>
                        {msgs.into_iter().map(|m| view! { <p>{m}</p> }).collect_view()}
                    </div>
                }
            })
        }
    };

    let control = match kind {
        Kind::Single { .. } | Kind::Multi { .. } => view! {
            <ChoiceInput at=slot kind owner=labels.owner.clone() label=label.into_any() help=help.into_any()
                required invalid=Signal::derive(move || invalid().is_some()) described=Signal::derive(described)
                other_input=ALL.then(|| other_input(slot, kind))/>
        }
        .into_any(),
        Kind::Period => {
            let part = move |which: bool| match slot.get(form) {
                Some(Answer::Period { from, to }) => if which { to } else { from },
                _ => String::new(),
            };
            let set_part = move |which: bool, v: String| {
                let (mut from, mut to) = (part(false), part(true));
                if which { to = v } else { from = v }
                slot.set(form, Answer::Period { from, to });
            };
            let (from_id, to_id) = (format!("{id}-from"), format!("{id}-to"));
            view! {
                <fieldset aria-describedby=described aria-invalid=invalid>
                    <legend>{label}</legend>
                    {help}
                    <div class="period">
                        <span>
                            <label for=from_id.clone()>{form.text("ui.period_from")}</label>
                            <input type="date" id=from_id aria-required=required.then_some("true")
                                prop:value=move || part(false) on:input=move |ev| set_part(false, event_target_value(&ev))/>
                        </span>
                        <span>
                            <label for=to_id.clone()>{form.text("ui.period_to")}</label>
                            <input type="date" id=to_id aria-required=required.then_some("true")
                                prop:value=move || part(true) on:input=move |ev| set_part(true, event_target_value(&ev))/>
                        </span>
                    </div>
                </fieldset>
            }
            .into_any()
        }
        // Never in the first section (see above).
        _ if !ALL => ().into_any(),
        Kind::Text | Kind::Email | Kind::Phone | Kind::Url | Kind::Date => {
            text_input(form, kind, Parts { slot, id: id.clone(), required, invalid, described }, label, help)
        }
        Kind::Long | Kind::Urls => long_text_input(form, kind, Parts { slot, id: id.clone(), required, invalid, described }, label, help),
        Kind::Number { .. } => number_input(form, Parts { slot, id: id.clone(), required, invalid, described }, label, help),
        Kind::Confirm => confirm_input(form, Parts { slot, id: id.clone(), required, invalid, described }, label, help),
        Kind::Group { .. } => unreachable!("groups are rendered by RepeatGroup"),
    };
    let control_id = slot.dom_id();
    view! {
        <div class="answer" on:focusout=move |_| form.reply.touch(control_id.clone())>
            {control}
            // Always in the page, so a problem that appears is announced by screen readers.
            <div class="field-error-live" aria-live="polite">{errors}</div>
        </div>
    }
}

/// A control's `aria-invalid` value (reactive).
trait InvalidAttr: Fn() -> Option<&'static str> + Clone + Send + Sync + 'static {}
impl<F: Fn() -> Option<&'static str> + Clone + Send + Sync + 'static> InvalidAttr for F {}

/// A control's `aria-describedby` value (reactive).
trait DescribedAttr: Fn() -> Option<String> + Clone + Send + Sync + 'static {}
impl<F: Fn() -> Option<String> + Clone + Send + Sync + 'static> DescribedAttr for F {}

/// What every control of a lazy kind (text boxes, numbers, the confirm box) shares: where its
/// value lives, its DOM id, whether it is required, and its `aria-invalid` and
/// `aria-describedby` values. The first section's kinds are drawn in [`answer_input_untracked`].
struct Parts<I: InvalidAttr, D: DescribedAttr> {
    slot: Slot,
    id: String,
    required: bool,
    invalid: I,
    described: D,
}

/// The text of a text answer (reactive), and the way to set it.
fn text_of(
    form: Form,
    slot: Slot,
) -> (
    impl Fn() -> String + Copy + Send + Sync + 'static,
    impl Fn(String) + Copy + 'static,
) {
    let text = move || {
        slot.get(form)
            .map(|a| a.text().to_owned())
            .unwrap_or_default()
    };
    let set_text = move |v: String| slot.set(form, Answer::Text(v));
    (text, set_text)
}

/// One line of text: free text, an email address, a telephone number, an address, a date.
fn text_input(
    form: Form,
    kind: &'static Kind,
    parts: Parts<impl InvalidAttr, impl DescribedAttr>,
    label: impl IntoView + 'static,
    help: Option<impl IntoView + 'static>,
) -> AnyView {
    let Parts {
        slot,
        id,
        required,
        invalid,
        described,
    } = parts;
    let (text, set_text) = text_of(form, slot);
    let (ty, auto) = match kind {
        Kind::Email => ("email", "email"),
        Kind::Phone => ("tel", "tel"),
        Kind::Url => ("url", "url"),
        Kind::Date => ("date", "off"),
        _ => ("text", "off"),
    };
    view! {
        <label for=id.clone()>{label}</label>
        {help}
        <input
            type=ty
            id=id.clone()
            autocomplete=auto
            // Addresses and numbers read left to right even in Arabic; free text follows
            // whatever the user types.
            dir=match kind { Kind::Email | Kind::Url | Kind::Phone => Some("ltr"), Kind::Text => Some("auto"), _ => None }
            aria-required=required.then_some("true")
            aria-invalid=invalid
            aria-describedby=described
            prop:value=text
            on:input=move |ev| set_text(event_target_value(&ev))
        />
    }
    .into_any()
}

/// Several lines of text, or a list of addresses one per line.
fn long_text_input(
    form: Form,
    kind: &'static Kind,
    parts: Parts<impl InvalidAttr, impl DescribedAttr>,
    label: impl IntoView + 'static,
    help: Option<impl IntoView + 'static>,
) -> AnyView {
    let Parts {
        slot,
        id,
        required,
        invalid,
        described,
    } = parts;
    let (text, set_text) = text_of(form, slot);
    view! {
        <label for=id.clone()>{label}</label>
        {help}
        <textarea
            id=id.clone()
            rows=if matches!(kind, Kind::Urls) { "3" } else { "5" }
            dir=if matches!(kind, Kind::Urls) { "ltr" } else { "auto" }
            aria-required=required.then_some("true")
            aria-invalid=invalid
            aria-describedby=described
            prop:value=text
            on:input=move |ev| set_text(event_target_value(&ev))
        ></textarea>
    }
    .into_any()
}

/// A number, or "no data".
fn number_input(
    form: Form,
    parts: Parts<impl InvalidAttr, impl DescribedAttr>,
    label: impl IntoView + 'static,
    help: Option<impl IntoView + 'static>,
) -> AnyView {
    let Parts {
        slot,
        id,
        required,
        invalid,
        described,
    } = parts;
    let value = move || match slot.get(form) {
        Some(Answer::Number { value, .. }) => value,
        _ => String::new(),
    };
    let no_data = move || matches!(slot.get(form), Some(Answer::Number { no_data: true, .. }));
    let no_data_id = format!("{id}-nodata");
    view! {
        <label for=id.clone()>{label}</label>
        {help}
        <div class="number-row">
            <input
                type="text"
                inputmode="numeric"
                id=id.clone()
                class="number"
                dir="ltr"
                aria-required=required.then_some("true")
                aria-invalid=invalid
                aria-describedby=described
                prop:disabled=no_data
                prop:value=value
                on:input=move |ev| slot.set(form, Answer::Number { value: event_target_value(&ev), no_data: false })
            />
            <input
                type="checkbox"
                id=no_data_id.clone()
                prop:checked=no_data
                on:change=move |ev| {
                    let checked = event_target_checked(&ev);
                    slot.set(form, Answer::Number { value: if checked { String::new() } else { value() }, no_data: checked });
                }
            />
            <label for=no_data_id class="inline">{form.text("ui.no_data")}</label>
        </div>
    }
    .into_any()
}

/// A box to tick to confirm.
fn confirm_input(
    form: Form,
    parts: Parts<impl InvalidAttr, impl DescribedAttr>,
    label: impl IntoView + 'static,
    help: Option<impl IntoView + 'static>,
) -> AnyView {
    let Parts {
        slot,
        id,
        required,
        invalid,
        described,
    } = parts;
    view! {
        <div class="confirm">
            <input
                type="checkbox"
                id=id.clone()
                aria-required=required.then_some("true")
                aria-invalid=invalid
                aria-describedby=described
                prop:checked=move || matches!(slot.get(form), Some(Answer::Confirm(true)))
                on:change=move |ev| slot.set(form, Answer::Confirm(event_target_checked(&ev)))
            />
            <label for=id.clone() class="inline">{label}</label>
        </div>
        {help}
    }
    .into_any()
}

/// The text box that asks to specify "other", shown while that option is chosen. No question of
/// the first section has such an option (`tests/definition.rs`), so the form's own variant of
/// [`answer_input`] (`ALL` false) goes without it.
fn other_input(slot: Slot, kind: &'static Kind) -> AnyView {
    let form = super::form();
    let other_option = form
        .q
        .options(kind)
        .into_iter()
        .find(|o| o.other)
        .map(|o| o.id);
    let chosen = move || match slot.get(form) {
        Some(Answer::Choice { selected, other }) => (selected, other),
        _ => Default::default(),
    };
    let other_shown = move || other_option.is_some_and(|o| chosen().0.iter().any(|s| s == o));
    let other_id = format!("{}-other", slot.dom_id());
    view! {
        <Show when=other_shown>
            <div class="other-specify">
                <label for=other_id.clone()>{form.text("ui.other_specify")}</label>
                <input type="text" id=other_id.clone() aria-required="true"
                    prop:value=move || chosen().1
                    on:input=move |ev| slot.set(form, Answer::Choice { selected: chosen().0, other: event_target_value(&ev) })/>
            </div>
        </Show>
    }
    .into_any()
}

/// Radio buttons, tick boxes or (for long lists) a drop-down, with "please specify" for "other".
#[component]
fn ChoiceInput(
    at: Slot,
    kind: &'static Kind,
    owner: String,
    label: AnyView,
    help: AnyView,
    required: bool,
    invalid: Signal<bool>,
    described: Signal<Option<String>>,
    /// "Please specify", from [`other_input`] (none in the first section).
    other_input: Option<AnyView>,
) -> impl IntoView {
    let slot = at;
    let form = super::form();
    let id = slot.dom_id();
    let multi = matches!(kind, Kind::Multi { .. });
    let options: std::sync::Arc<Vec<&'static ChoiceOption>> =
        std::sync::Arc::new(form.q.options(kind));
    // One memo per question: every option reads it, so a keystroke elsewhere costs one comparison.
    let current = Memo::new(move |_| {
        slot.get(form)
            .map(|a| a.selected().to_vec())
            .unwrap_or_default()
    });
    let selected = move || current.get();
    let other_text = move || match slot.get(form) {
        Some(Answer::Choice { other, .. }) => other,
        _ => String::new(),
    };
    let set = {
        let options = options.clone();
        move |selected: Vec<String>| {
            let keep_other = options
                .iter()
                .any(|o| o.other && selected.iter().any(|s| s == o.id));
            let other = if keep_other {
                other_text()
            } else {
                String::new()
            };
            slot.set(form, Answer::Choice { selected, other });
        }
    };
    let aria_invalid = move || invalid.get().then_some("true");

    if !multi && options.len() > 8 {
        // A long list (196 States) costs two effects, not two per option: the options are drawn
        // once per language, the chosen one marked `selected`, and `prop:value` keeps the choice
        // in step when the answer changes elsewhere (another tab, a file, "Undo"). Redrawn in
        // another language, the options stay in place and only their text changes.
        let list = {
            let options = options.clone();
            move || {
                let cat = form.cat();
                let chosen = current.with_untracked(|c| c.first().cloned());
                options
                    .iter()
                    .map(|o| {
                        let value = o.id;
                        view! { <option value=value selected=chosen.as_deref() == Some(value)>{option_label(cat, kind, &owner, value)}</option> }
                    })
                    .collect_view()
            }
        };
        return view! {
            <label for=id.clone()>{label}</label>
            {help}
            <select
                id=id.clone()
                aria-required=required.then_some("true")
                aria-invalid=aria_invalid
                aria-describedby=move || described.get()
                prop:value=move || current.with(|c| c.first().cloned().unwrap_or_default())
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    set(if v.is_empty() { Vec::new() } else { vec![v] });
                }
            >
                <option value="" selected=current.with_untracked(Vec::is_empty)>{form.text("ui.choose")}</option>
                {list}
            </select>
            {other_input}
        }
        .into_any();
    }

    let name = id.clone();
    view! {
        // One of several radios is a radio group, which can be required; tick boxes are a plain
        // group (their legend says "required").
        <fieldset class="choices" role=(!multi).then_some("radiogroup") aria-describedby=move || described.get()
            aria-invalid=aria_invalid aria-required=(required && !multi).then_some("true")>
            <legend>{label}</legend>
            {help}
            // Drawn once per language (the labels' text), not an effect per label.
            {move || {
                let cat = form.cat();
                options
                    .iter()
                    .enumerate()
                    .map(|(i, o)| {
                        let opt_id = format!("{id}-o{i}");
                        let value = o.id;
                        let exclusive = o.exclusive;
                        let checked = move || current.with(|c| c.iter().any(|s| s == value));
                        let on_change = {
                            let options = options.clone();
                            let set = set.clone();
                            move |ev: leptos::ev::Event| {
                                let on = event_target_checked(&ev);
                                let next = if !multi {
                                    vec![value.to_owned()]
                                } else {
                                    let mut cur = selected();
                                    cur.retain(|s| s != value);
                                    if on {
                                        // "None" and the like stand alone: choosing one clears the rest, and the reverse.
                                        if exclusive {
                                            cur.clear()
                                        } else {
                                            cur.retain(|s| !options.iter().any(|o| o.exclusive && o.id == s))
                                        }
                                        // In the definition's order, so answers read the same everywhere
                                        // (values it does not know stay, first). Not a sort: each use of
                                        // the generic sort is 3 KB of wasm.
                                        let known = |s: &String| options.iter().any(|o| o.id == s);
                                        let mut next: Vec<String> = cur.iter().filter(|s| !known(s)).cloned().collect();
                                        next.extend(
                                            options
                                                .iter()
                                                .filter(|o| o.id == value || cur.iter().any(|s| s == o.id))
                                                .map(|o| o.id.to_owned()),
                                        );
                                        cur = next;
                                    }
                                    cur
                                };
                                set(next);
                            }
                        };
                        view! {
                            <div class="choice">
                                <input type=if multi { "checkbox" } else { "radio" } id=opt_id.clone() name=name.clone()
                                    value=value prop:checked=checked on:change=on_change/>
                                <label for=opt_id class="inline">{option_label(cat, kind, &owner, value)}</label>
                            </div>
                        }
                    })
                    .collect_view()
            }}
        </fieldset>
        {other_input}
    }
    .into_any()
}
