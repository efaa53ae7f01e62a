//! The reply for printing: every section with every visible answer, required questions still open
//! marked in words, repeatable groups as tables. The print stylesheet drops the rest of the page;
//! the State and the date head every printed page (a repeated table header) and the page numbers
//! are in the page margin (`@page`).

use leptos::prelude::*;

use super::carried::carry;
use super::handoffs_page::book_of;
use super::submission_page::{answer_view, field_view, ContributorList};
use super::{form, Form};
use crate::core::answers::{Answer, Row};
use crate::core::cycle::Status;
use crate::core::i18n::{describe, field_owner_of, keys};
use crate::core::model::{Kind, Question};
use crate::core::submission::{export_answer, STATE_QUESTION};
use crate::core::validate::Problem;
use crate::web::intl;

#[component]
pub fn PrintPage() -> impl IntoView {
    let form = form();
    let state = move || {
        let code = form
            .reply
            .answer(STATE_QUESTION)
            .and_then(|a| a.selected().first().cloned());
        code.map(|c| form.state_name(&c))
            .unwrap_or_else(|| form.text("ui.print_no_state")())
    };
    view! {
        <div class="print-page">
            <div class="print-actions">
                <h2 id="print-title" tabindex="-1">{form.text("ui.print_title")}</h2>
                <p>{form.text("ui.print_intro")}</p>
                <button type="button" class="print-now" on:click=move |_| {
                    if let Some(w) = web_sys::window() {
                        let _ = w.print();
                    }
                }>{form.text("ui.print_now")}</button>
            </div>
            // A table only for its header row, which the browser repeats at the top of every page.
            <table class="print-layout" role="presentation">
                <thead>
                    <tr><td>
                        <div class="print-header">
                            <span>{form.text("ui.app_title")}</span>
                            <span class="print-state">{state}</span>
                            <span>{move || intl::today(&form.cat().lang)}</span>
                        </div>
                    </td></tr>
                </thead>
                <tbody>
                    <tr><td>{move || sections(form)} {move || contributors(form)}</td></tr>
                </tbody>
            </table>
        </div>
    }
}

fn sections(form: Form) -> impl IntoView {
    form.wording.track_language();
    form.q
        .sections
        .iter()
        .map(|s| {
            let questions = s
                .questions
                .iter()
                .filter(|q| form.reply.shown.with(|shown| shown.contains(q.id)))
                .map(|q| item(form, q))
                .collect_view();
            view! {
                <section class="print-section" data-section=s.id>
                    <h3><span class="section-letter">{s.id}</span>" " {form.lookup(&keys::section_title(s.id))}</h3>
                    <dl>{questions}</dl>
                </section>
            }
        })
        .collect_view()
}

/// Who supplied which of the answers printed, when parts of the reply were handed out.
fn contributors(form: Form) -> impl IntoView {
    let book = form.session.with_meta(|m| book_of(m.handoff.as_ref()));
    let contributors = form
        .reply
        .with(|a| book.contributors(form.q, a, |id| a.get(id).is_some_and(Answer::is_answered)));
    view! { <ContributorList contributors/> }
}

/// One question: its label, then its answer, or a word on why there is none.
fn item(form: Form, question: &'static Question) -> impl IntoView {
    let cat = form.cat();
    let id = question.id;
    let answer = form
        .reply
        .with(|a| a.get(id).cloned())
        .filter(Answer::is_answered);
    // In a reply started from a previous one, the answers changed since are marked.
    let changed = carry(form)
        .get()
        .and_then(|c| c.status(id, answer.as_ref()))
        == Some(Status::Changed);
    let body = match (&question.kind, answer) {
        (Kind::Group { .. }, Some(Answer::Rows(rows))) => group_table(form, question, &rows).into_any(),
        (_, Some(a)) => value_view(form, id, &question.kind, None, &a),
        (_, None) => view! { <span class="not-answered">{cat.get("ui.print_not_answered").to_owned()}</span> }.into_any(),
    };
    let (open_required, others) = form.reply.problems_of(id, |issues| {
        let open_required = issues.iter().any(|i| i.problem == Problem::Required);
        let others: Vec<String> = issues
            .iter()
            .filter(|i| i.problem != Problem::Required)
            .map(|i| describe(cat, form.q, i))
            .collect();
        (open_required, others)
    });
    view! {
        <div class="print-item" class:open-required=open_required data-question=id>
            <dt><span class="qid">{id}</span>" " {cat.get(&keys::question_label(id)).to_owned()}
                {changed.then(|| view! { " " <span class="changed-mark">{cat.get("ui.cycle_mark_changed").to_owned()}</span> })}
            </dt>
            <dd>
                {if open_required {
                    view! { <strong class="print-flag">{cat.get("ui.print_open_required").to_owned()}</strong> }.into_any()
                } else {
                    body
                }}
                {(!others.is_empty()).then(|| view! {
                    <ul class="print-problems">{others.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                })}
            </dd>
        </div>
    }
}

pub(super) fn group_table(form: Form, question: &'static Question, rows: &[Row]) -> impl IntoView {
    let cat = form.cat();
    let id = question.id;
    let fields = form.q.fields(&question.kind);
    let head = fields
        .iter()
        .map(|f| view! { <th scope="col">{cat.get(&keys::field_label(&field_owner_of(form.q, id, f.id))).to_owned()}</th> })
        .collect_view();
    let body = rows
        .iter()
        .enumerate()
        .map(|(n, row)| {
            let cells = fields
                .iter()
                .map(|f| {
                    let owner = field_owner_of(form.q, id, f.id);
                    let value = row
                        .fields
                        .get(f.id)
                        .filter(|a| a.is_answered())
                        .map(|a| value_view(form, id, &f.kind, Some(&owner), a));
                    view! { <td>{value}</td> }
                })
                .collect_view();
            view! { <tr><th scope="row">{n + 1}</th>{cells}</tr> }
        })
        .collect_view();
    view! {
        <table class="print-rows">
            <thead><tr><th scope="col">"#"</th>{head}</tr></thead>
            <tbody>{body}</tbody>
        </table>
    }
}

/// An answered question or row field, as the submission would say it; as typed when it could not
/// be exported as it stands (a number with letters in it).
pub(super) fn value_view(
    form: Form,
    question: &str,
    kind: &'static Kind,
    field_owner: Option<&str>,
    a: &Answer,
) -> AnyView {
    match export_answer(form.q, kind, a, question) {
        Ok(Some(value)) => match field_owner {
            Some(owner) => field_view(form, question, kind, owner, &value),
            None => answer_view(form, question, kind, &value),
        },
        Ok(None) => ().into_any(),
        Err(_) => {
            let typed = match a {
                Answer::Text(s) | Answer::Number { value: s, .. } => s.clone(),
                Answer::Period { from, to } => format!("{from} – {to}"),
                Answer::Choice { selected, other } => {
                    [selected.join("; "), other.clone()].join(" ")
                }
                Answer::Confirm(_) | Answer::Rows(_) => String::new(),
            };
            view! { <span class="text-answer">{typed}</span> }.into_any()
        }
    }
}
