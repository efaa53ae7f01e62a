//! A repeatable group: a list of rows of typed fields, with "Add" and "Remove" (and "Undo").

use rustc_hash::{FxHashMap, FxHashSet};

use leptos::prelude::*;

use super::fields::{answer_input, Labels, Slot};
use super::{error_id, form};
use crate::core::answers::{next_row_key, Row};
use crate::core::i18n::{describe, field_owner_of, keys};
use crate::core::model::{Kind, Question};
use wasm_bindgen::JsCast;

#[component]
pub fn RepeatGroup(question: &'static Question, labels: Labels) -> impl IntoView {
    let form = form();
    let id: &'static str = question.id;
    let Kind::Group { max, .. } = &question.kind else {
        unreachable!("RepeatGroup takes groups")
    };
    let max = *max;
    let fields = form.q.fields(&question.kind);
    // Each row's position, with a notice per row: a row's number, legend and "Remove" label
    // re-run only when its own position changes, so adding a row at the end re-runs none of the
    // others (one memo of positions read by every row re-ran all of them, 200 memos and 600
    // effects on each row added).
    let places = StoredValue::new(Places::default());
    // The list of rows changes on add, remove and undo only; typing in a row does not re-run it.
    let all_keys = Memo::new(move |_| {
        form.reply.track(id, None);
        let keys = form.reply.with_untracked(|a| {
            a.get(id)
                .map(|x| x.rows().iter().map(|r| r.key).collect::<Vec<_>>())
                .unwrap_or_default()
        });
        // Before any row is drawn from the new list, which only reading this memo can do.
        let moved = places.try_update_value(|p| p.place(&keys));
        for notice in moved.unwrap_or_default() {
            notice.notify();
        }
        keys
    });
    let count = move || all_keys.with(Vec::len);
    // A row added here is rendered in its first frame (`.added`), then skipped when out of view
    // as the others are (`content-visibility: auto`): found in view by the browser, it would
    // cost a second pass of style and layout in the frame that shows it.
    let first_added = form
        .reply
        .with_untracked(|a| a.get(id).map_or(0, |x| next_row_key(x.rows())));
    // Long lists are drawn a batch per frame, so the section is usable at once with 200 rows.
    let drawn = RwSignal::new(FIRST_ROWS);
    let keys_of_rows = move || all_keys.with(|keys| keys[..keys.len().min(drawn.get())].to_vec());
    Effect::new(move |_| {
        if drawn.get() < count() {
            request_animation_frame(move || {
                drawn.try_update(|n| *n += ROWS_PER_FRAME);
            });
        }
    });
    let full = move || max.is_some_and(|m| count() as u32 >= m);
    let legend_id = format!("q-{id}-legend");
    let err = error_id(&format!("q-{id}-group"));
    let group_messages = Memo::new(move |_| {
        if !form.reply.reveal(id, &group_key(id)) {
            return Vec::new();
        }
        let cat = form.cat();
        form.reply.problems_of(id, |i| {
            i.iter()
                .filter(|i| i.at.is_none())
                .map(|i| describe(cat, form.q, i))
                .collect::<Vec<_>>()
        })
    });
    let add = move |_| {
        drawn.set(usize::MAX);
        let mut new_key = 0;
        form.reply.update_rows(id, |rows| {
            new_key = next_row_key(rows);
            rows.push(Row {
                key: new_key,
                fields: Default::default(),
            });
        });
        // Once the row is painted: it may be skipped when out of view from now on, and the
        // focus moves to it (with the layout that forces) in a later frame, not in this one.
        let row_id = format!("q-{id}-row-{new_key}");
        crate::web::dom::after_paint(move || {
            if let Some(row) = crate::web::dom::document().get_element_by_id(&row_id) {
                let _ = row.set_attribute("class", "row");
            }
            crate::web::dom::focus_first_control_later(row_id);
        });
    };
    let label_key = labels.label_key.clone();
    let help_key = labels.help_key.clone();
    let described = {
        let err = err.clone();
        move || (!group_messages.with(Vec::is_empty)).then(|| err.clone())
    };
    view! {
        <fieldset class="repeat-group" aria-describedby=described on:focusout=move |ev| {
            // Problems of the group as a whole (too few items, no primary) show once focus leaves it.
            let group = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Node>().ok());
            let next = ev.related_target().and_then(|t| t.dyn_into::<web_sys::Node>().ok());
            if group.is_some_and(|g| !g.contains(next.as_ref())) {
                form.reply.touch(group_key(id));
            }
        }>
            <legend id=legend_id>
                <span class="qid">{id}</span> " "
                <span class="label-text">{move || form.lookup(&label_key)}</span>
                {question.required.then(|| view! { " " <span class="required-tag">{form.text("ui.required")}</span> })}
            </legend>
            {help_key.map(|k| view! { <p class="help">{move || form.lookup(&k)}</p> })}
            <ol class="rows">
                <For each=keys_of_rows key=|k| *k let:key>
                    {
                        let index = move || places.try_update_value(|p| p.of(key)).unwrap_or(0);
                        let row_class = if key >= first_added { "row added" } else { "row" };
                        view! {
                            <li class=row_class id=format!("q-{id}-row-{key}") data-row=move || index().to_string()>
                                <fieldset>
                                    <legend>{move || form.cat().format("ui.row_title", &[("n", &(index() + 1).to_string())])}</legend>
                                    {fields
                                        .iter()
                                        .map(|f| {
                                            let field: &'static str = f.id;
                                            let owner = field_owner_of(form.q, id, field);
                                            let labels = Labels { label_key: keys::field_label(&owner), owner, help_key: None, number: "" };
                                            view! { <div class="field" data-field=field>{answer_input::<true>(Slot { question: id, row: Some((key, field)) }, &f.kind, labels, f.required)}</div> }
                                        })
                                        .collect_view()}
                                    <button type="button" class="remove-row" on:click=move |_| {
                                        if form.reply.remove_row(id, index()) {
                                            crate::web::dom::focus_later(format!("q-{id}-undo"));
                                        }
                                    }>
                                        {move || form.cat().format("ui.remove_row", &[("n", &(index() + 1).to_string())])}
                                    </button>
                                </fieldset>
                            </li>
                        }
                    }
                </For>
            </ol>
            {move || form.reply.removed().filter(|(q, ..)| *q == id).map(|(_, at, _)| view! {
                <p class="undo" role="status">
                    {form.cat().format("ui.row_removed", &[("n", &(at + 1).to_string())])} " "
                    <button type="button" id=format!("q-{id}-undo") on:click=move |_| form.reply.undo_remove()>{form.text("ui.undo")()}</button>
                </p>
            })}
            <p class="row-count">
                {move || match max {
                    Some(m) => form.cat().format("ui.rows_count_max", &[("n", &count().to_string()), ("max", &m.to_string())]),
                    None => form.cat().format("ui.rows_count", &[("n", &count().to_string())]),
                }}
            </p>
            <button type="button" class="add-row" prop:disabled=full on:click=add>
                {form.text("ui.add_row")}
            </button>
            {move || {
                let msgs = group_messages.get();
                (!msgs.is_empty()).then(|| view! {
                    <div class="field-error" id=err.clone()>{msgs.into_iter().map(|m| view! { <p>{m}</p> }).collect_view()}</div>
                })
            }}
        </fieldset>
    }
}

/// The position of each row, by key, with a change notice per row.
#[derive(Default)]
struct Places(FxHashMap<u32, (usize, ArcTrigger)>);

impl Places {
    /// Takes the new list of keys; returns the notices of the rows whose position changed.
    fn place(&mut self, keys: &[u32]) -> Vec<ArcTrigger> {
        let mut moved = Vec::new();
        for (i, k) in keys.iter().enumerate() {
            let (at, notice) = self.0.entry(*k).or_insert_with(|| (i, ArcTrigger::new()));
            if *at != i {
                *at = i;
                moved.push(notice.clone());
            }
        }
        // Rows removed.
        if self.0.len() > keys.len() {
            let live: FxHashSet<u32> = keys.iter().copied().collect();
            self.0.retain(|k, _| live.contains(k));
        }
        moved
    }

    /// The position of the row with this key (reactive: to changes of that position).
    fn of(&mut self, key: u32) -> usize {
        match self.0.get(&key) {
            Some((at, notice)) => {
                notice.track();
                *at
            }
            None => 0,
        }
    }
}

/// Rows drawn with the section, then per animation frame.
const FIRST_ROWS: usize = 10;
const ROWS_PER_FRAME: usize = 5;

/// The key under which leaving a whole group is recorded (`Reply::touch`).
fn group_key(question: &str) -> String {
    format!("q-{question}-group")
}
