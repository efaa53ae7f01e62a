//! "What changed": for a reply started from a previous one, per section, the answers changed
//! since (the last reply's and this one's side by side, text word by word, rows added, removed
//! and changed), the carried answers reviewed and not yet reviewed, and the new questions; and,
//! for two signed files of a State, the answers that differ between them (`compared`).
//! The differences are `core::diff`'s.

use leptos::prelude::*;

use super::carried::{carry, WHAT_CHANGED_NEXT};
use super::print_page::{group_table, value_view};
use super::{form, Form, View};
use crate::core::answers::{Answer, Answers};
use crate::core::cycle::{new_questions, Carry, Status};
use crate::core::diff::{diff, Change, QuestionDiff, Words};
use crate::core::i18n::keys;
use crate::core::model::Kind;
use crate::core::versions::SetApart;
use crate::web::intl;

/// "What changed" for the reply on screen, if it was started from a previous one.
#[component]
pub fn WhatChanged() -> impl IntoView {
    let form = form();
    let carry = carry(form);
    // Asked for from the notice over the form: the page opens here.
    Effect::new(move |_| {
        if carry.is_some() && WHAT_CHANGED_NEXT.take() {
            crate::web::dom::focus_later("what-changed".to_owned());
        }
    });
    move || {
        // On the still-to-answer page only, not where the export page lists what is missing.
        if !form.shell.shows(&View::StillToAnswer) {
            return None;
        }
        let c = carry.get()?;
        form.wording.track_language();
        let now = form.reply.with(Answers::clone);
        let shown = form.reply.shown.get();
        Some(changes_of(form, &c, &now, |id| shown.contains(id)))
    }
}

fn changes_of(form: Form, c: &Carry, now: &Answers, shown: impl Fn(&str) -> bool) -> AnyView {
    let cat = form.cat();
    let q = form.q;
    let changed = diff(q, &c.before, now);
    let new = new_questions(c.previous.questionnaire_version, q.version);
    let sections = q
        .sections
        .iter()
        .filter_map(|section| {
            let ids = || section.questions.iter().map(|x| x.id).filter(|id| shown(id));
            let changed_here: Vec<&QuestionDiff> = changed
                .iter()
                .filter(|d| d.section == section.id && shown(d.question))
                .collect();
            let with = |s: Status| -> Vec<&'static str> {
                ids().filter(|id| c.status(id, now.get(id)) == Some(s)).collect()
            };
            let (reviewed, waiting) = (with(Status::Reviewed), with(Status::NotReviewed));
            let new_here: Vec<&'static str> = ids().filter(|id| new.contains(id)).collect();
            if changed_here.is_empty() && reviewed.is_empty() && waiting.is_empty() && new_here.is_empty() {
                return None;
            }
            let changed_view = (!changed_here.is_empty())
                .then(|| changed_list(form, cat.get("ui.cycle_changed").to_owned(), changed_here));
            Some(view! {
                <div class="changes-section" data-changes=section.id>
                    <h3><span class="section-letter">{section.id}</span> " " {cat.get(&keys::section_title(section.id)).to_owned()}</h3>
                    {changed_view}
                    {id_list(form, "ui.cycle_reviewed", "reviewed", &reviewed)}
                    {id_list(form, "ui.cycle_not_reviewed", "not-reviewed", &waiting)}
                    {id_list(form, "ui.cycle_new", "new", &new_here)}
                </div>
            })
        })
        .collect_view();
    let intro = cat.format(
        "ui.cycle_changes_intro",
        &[
            (
                "date",
                &intl::date(&cat.lang, &c.previous.signed_at.as_str()[..10]),
            ),
            ("version", &c.previous.questionnaire_version.to_string()),
        ],
    );
    view! {
        <section class="what-changed" aria-labelledby="what-changed">
            <h2 id="what-changed" tabindex="-1">{cat.get("ui.cycle_what_changed").to_owned()}</h2>
            <p>{intro}</p>
            {sections}
            <SetApartList set_apart=c.set_apart.clone()/>
        </section>
    }
    .into_any()
}

/// A list of questions, each a link to it.
fn id_list(
    form: Form,
    title: &'static str,
    data: &'static str,
    ids: &[&'static str],
) -> Option<impl IntoView> {
    if ids.is_empty() {
        return None;
    }
    let cat = form.cat();
    let items = ids
        .iter()
        .map(|&id| {
            view! {
                <li data-question=id>
                    <button type="button" class="open-question" on:click=move |_| form.shell.open_question(form.q, id)>
                        <span class="qid">{id}</span> " " {cat.get(&keys::question_label(id)).to_owned()}
                    </button>
                </li>
            }
        })
        .collect_view();
    Some(view! {
        <h4>{cat.format(title, &[("count", &ids.len().to_string())])}</h4>
        <ul class="changes-ids" data-list=data>{items}</ul>
    })
}

/// A heading and the changed answers under it. One function for "What changed" and the
/// comparison of two files, so that their views share one copy of Leptos's code (each new kind
/// of view costs the form's own wasm, through the function table).
fn changed_list(form: Form, title: String, changes: Vec<&QuestionDiff>) -> impl IntoView {
    let items = changes
        .into_iter()
        .map(|d| change_view(form, d))
        .collect_view();
    view! {
        <h4>{title}</h4>
        <div class="changed-list">{items}</div>
    }
}

/// One changed answer: the last reply's and this one's, side by side.
fn change_view(form: Form, d: &QuestionDiff) -> impl IntoView {
    let cat = form.cat();
    let id = d.question;
    let kind = form.q.question(id).map(|it| &it.question.kind);
    let side = |a: Option<&Answer>, words: Option<(&[Words], bool)>| -> AnyView {
        match (a, words, kind) {
            (None, _, _) => view! { <span class="not-answered">{cat.get("ui.print_not_answered").to_owned()}</span> }.into_any(),
            (Some(_), Some((words, new)), _) if !words.is_empty() => words_view(words, new).into_any(),
            (Some(Answer::Rows(rows)), _, Some(Kind::Group { .. })) => {
                let question = form.q.question(id).expect("a group").question;
                group_table(form, question, rows).into_any()
            }
            (Some(a), _, Some(kind)) => value_view(form, id, kind, None, a),
            (Some(_), _, None) => ().into_any(),
        }
    };
    let (old, new, rows) = match &d.change {
        Change::Added { new } => (side(None, None), side(Some(new), None), None),
        Change::Removed { old } => (side(Some(old), None), side(None, None), None),
        Change::Changed {
            old,
            new,
            words,
            rows,
        } => (
            side(Some(old), Some((words, false))),
            side(Some(new), Some((words, true))),
            rows.as_ref().map(|r| {
                cat.format(
                    "ui.cycle_rows",
                    &[
                        ("added", &r.added.len().to_string()),
                        ("removed", &r.removed.len().to_string()),
                        ("changed", &r.changed.len().to_string()),
                    ],
                )
            }),
        ),
    };
    view! {
        <div class="change" data-changed=id>
            <h5><span class="qid">{id}</span> " " {cat.get(&keys::question_label(id)).to_owned()}</h5>
            {rows.map(|r| view! { <p class="rows-changed">{r}</p> })}
            <div class="sides">
                <div class="side old"><p class="side-title">{cat.get("ui.cycle_then").to_owned()}</p>{old}</div>
                <div class="side new"><p class="side-title">{cat.get("ui.cycle_now").to_owned()}</p>{new}</div>
            </div>
        </div>
    }
}

/// A text as it was (`new` false: the words removed marked) or as it is (the words added marked).
fn words_view(words: &[Words], new: bool) -> impl IntoView {
    let runs = words
        .iter()
        .filter_map(|w| match (w, new) {
            (Words::Same(s), _) => Some(view! { <span>{s.clone()}</span> }.into_any()),
            (Words::Removed(s), false) => Some(view! { <del>{s.clone()}</del> }.into_any()),
            (Words::Added(s), true) => Some(view! { <ins>{s.clone()}</ins> }.into_any()),
            _ => None,
        })
        .collect_view();
    view! { <p class="text-answer words" dir="auto">{runs}</p> }
}

/// The answers the versions in between could not carry: kept in the draft, listed here.
#[component]
fn SetApartList(set_apart: Vec<SetApart>) -> impl IntoView {
    let form = form();
    (!set_apart.is_empty()).then(|| {
        let cat = form.cat();
        let items = set_apart
            .into_iter()
            .map(|s| {
                let text = match &s.answer {
                    Answer::Text(t) => t.clone(),
                    Answer::Choice { selected, other } => [selected.join(", "), other.clone()].join(" "),
                    other => serde_json::to_string(other).unwrap_or_default(),
                };
                view! {
                    <li><span class="qid">{s.question.clone()}</span> " "
                        {cat.format("ui.cycle_set_apart_item", &[("version", &s.version.to_string())])} " "
                        <span class="text-answer">{text}</span>
                    </li>
                }
            })
            .collect_view();
        view! {
            <h3>{cat.get("ui.cycle_set_apart").to_owned()}</h3>
            <ul class="set-apart">{items}</ul>
        }
    })
}

/// What differs between two signed replies of a State, both carried to this questionnaire
/// version ("Open a submission", comparing two files).
pub fn compared(form: Form, old: &Answers, new: &Answers) -> AnyView {
    let cat = form.cat();
    let changes = diff(form.q, old, new);
    if changes.is_empty() {
        return view! { <p class="no-changes">{cat.get("ui.cycle_no_changes").to_owned()}</p> }
            .into_any();
    }
    let title = cat.format(
        "ui.cycle_compare_count",
        &[("count", &changes.len().to_string())],
    );
    changed_list(form, title, changes.iter().collect()).into_any()
}
