//! A repeatable group: a list of rows of typed fields, with "Add" and "Remove" (and "Undo").

use std::collections::HashMap;

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
    // The list of rows changes on add, remove and undo only; typing in a row does not re-run it.
    let all_keys = Memo::new(move |_| {
        form.reply.track(id, None);
        form.reply.with_untracked(|a| {
            a.get(id)
                .map(|x| x.rows().iter().map(|r| r.key).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    let count = move || all_keys.with(Vec::len);
    // Each row's position, worked out once per change of the list: a row's number, legend and
    // "Remove" label update only when its own position changes (not when a row is added at the end).
    let positions = Memo::new(move |_| {
        all_keys.with(|keys| {
            keys.iter()
                .enumerate()
                .map(|(i, k)| (*k, i))
                .collect::<HashMap<u32, usize>>()
        })
    });
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
        crate::web::dom::focus_first_control_later(format!("q-{id}-row-{new_key}"));
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
                        let position = Memo::new(move |_| positions.with(|p| p.get(&key).copied().unwrap_or(0)));
                        let index = move || position.get();
                        view! {
                            <li class="row" id=format!("q-{id}-row-{key}") data-row=move || index().to_string()>
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

/// Rows drawn with the section, then per animation frame.
const FIRST_ROWS: usize = 10;
const ROWS_PER_FRAME: usize = 5;

/// The key under which leaving a whole group is recorded (`Reply::touch`).
fn group_key(question: &str) -> String {
    format!("q-{question}-group")
}
