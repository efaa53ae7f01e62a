//! "Hand-offs": the focal point hands questions out to other offices by signed request files,
//! sees what went to whom, merges the signed parts that come back (a summary first, then "Undo
//! this merge"), and settles the conflicts; a contributor opens a request here, and, in the draft
//! it becomes, returns their part.
//!
//! The record of hand-offs is the draft's `core::handoff::Book`, kept in the draft as JSON and
//! written with it. The merge itself is `core::handoff` (native, tested there); signatures are
//! made and checked in the signer's worker.

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::export_page::{now, open_mail, share_file, KeyPanel};
use super::part_notice::request_of;
use super::{form, session, Form, Lock, View};
use crate::core::answers::{Answer, Answers};
use crate::core::draft::{Draft, Kept};
use crate::core::handoff::{
    merge::Outcome, Book, DraftHandoff, HandoffError, MergeRefusal, Part, Plan, Recipient, Request,
};
use crate::core::i18n::{self, keys};
use crate::core::signer::{Done, FileRefused, Job, SignedFile};
use crate::core::submission::{group_key_id, Signer};
use crate::web::{dom, files, intl, storage};

/// The largest request or part file opened, in bytes: a whole reply with its rows fits well.
const MAX_FILE: usize = 4 << 20;

/// The book of the draft on screen (reactive); empty for a draft nothing was handed out of.
fn book(form: Form) -> Book {
    form.session.with_meta(|m| book_of(m.handoff.as_ref()))
}

pub(super) fn book_of(kept: Option<&Kept>) -> Book {
    match kept.and_then(|k| serde_json::from_str::<DraftHandoff>(k.get()).ok()) {
        Some(DraftHandoff::Book(mut b)) => {
            // Of the questionnaire version the draft was migrated from, if older.
            b.migrate(crate::core::model::Questionnaire::builtin());
            b
        }
        _ => Book::default(),
    }
}

/// Keeps `book` in the draft, with `answers` if they changed, and writes the draft.
fn keep(form: Form, book: &Book, answers: Option<Answers>) {
    let json =
        serde_json::to_string(&DraftHandoff::Book(book.clone())).expect("a book always serializes");
    session::set_handoff(form, Kept::new(json));
    if let Some(a) = answers {
        form.reply.replace_answers(a);
    }
    session::save_now(form, true);
}

/// Signs `document` with `secret` in the signer's worker: the file's text and the key id.
async fn sign(
    form: Form,
    secret: [u8; 32],
    document: serde_json::Map<String, serde_json::Value>,
) -> Result<(String, String), String> {
    match crate::web::signer::run(Job::Sign {
        document,
        secret,
        signed_at: now(),
        rotations: String::new(),
    })
    .await
    {
        Ok(Done::Signed { text, key_id, .. }) => Ok((text, key_id)),
        _ => Err(form.text("ui.signer_failed")()),
    }
}

/// Reads a picked request or part file and has its signature checked; the error is a sentence.
async fn read_signed(
    form: Form,
    input: web_sys::HtmlInputElement,
    part: bool,
) -> Option<Result<(String, SignedFile), String>> {
    let picked = files::read_picked(&input, MAX_FILE).await;
    input.set_value("");
    let (_, text) = match picked? {
        Ok(p) => p,
        Err(files::ReadError::TooLarge(_)) => return Some(Err(form.text("ui.file_too_large")())),
        Err(files::ReadError::Unreadable) => return Some(Err(refused_text(form, part, None))),
    };
    Some(
        match crate::web::signer::run(Job::ReadHandoff {
            text: text.clone(),
            part,
        })
        .await
        {
            Ok(Done::Handoff(Ok(file))) => Ok((text, file)),
            Ok(Done::Handoff(Err(FileRefused::Tampered))) => Err(form.text("ui.hand_tampered")()),
            Ok(Done::Handoff(Err(FileRefused::OtherKind))) => Err(form.text(if part {
                "ui.hand_not_part"
            } else {
                "ui.hand_not_request"
            })()),
            Ok(Done::Handoff(Err(FileRefused::Malformed(why)))) => {
                Err(refused_text(form, part, Some(&why)))
            }
            _ => Err(form.text("ui.signer_failed")()),
        },
    )
}

/// "Not a request / part file", with the reason in English where there is one.
fn refused_text(form: Form, part: bool, why: Option<&str>) -> String {
    let text = form.text(if part {
        "ui.hand_not_part"
    } else {
        "ui.hand_not_request"
    })();
    match why {
        Some(why) => format!("{text} ({why})"),
        None => text,
    }
}

/// Why a file was refused once read, in the user's language (with the detail in English).
fn handoff_error_text(form: Form, part: bool, e: &HandoffError) -> String {
    match e {
        HandoffError::OtherQuestionnaire(_) => form.text("ui.hand_other_questionnaire")(),
        HandoffError::NewerQuestionnaire(v) => form
            .cat()
            .format("ui.hand_newer", &[("version", &v.to_string())]),
        e => refused_text(form, part, Some(&e.to_string())),
    }
}

fn refusal_text(form: Form, r: &MergeRefusal) -> String {
    let key = match r {
        MergeRefusal::OtherReply => "ui.hand_other_reply",
        MergeRefusal::UnknownHandoff => "ui.hand_unknown",
        MergeRefusal::Cancelled => "ui.hand_cancelled",
        MergeRefusal::NotAssigned(q) => {
            return form
                .cat()
                .format("ui.hand_not_assigned", &[("question", q)])
        }
        MergeRefusal::OtherKey => "ui.hand_other_key",
        MergeRefusal::AlreadyMerged => "ui.hand_already",
        MergeRefusal::Superseded => "ui.hand_superseded",
    };
    form.text(key)()
}

/// A file name's part made of a label: letters and digits, the rest as dashes.
fn slug(label: &str) -> String {
    let s: String = label
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let s = s
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if s.is_empty() {
        "part".to_owned()
    } else {
        s.chars().take(40).collect()
    }
}

#[component]
pub fn HandoffsPage() -> impl IntoView {
    let form = form();
    let request = Memo::new(move |_| {
        form.session
            .with_meta(|m| m.handoff.as_ref().and_then(request_of))
    });
    crate::web::signer::warm_up();
    view! {
        <section class="handoffs" aria-labelledby="handoffs-title">
            <h2 id="handoffs-title" tabindex="-1">{move || form.text(if request.with(Option::is_some) { "ui.part_return_title" } else { "ui.handoffs_title" })()}</h2>
            {move || match request.get() {
                Some(r) => view! { <ReturnPart request=r/> }.into_any(),
                None => view! {
                    <p>{form.text("ui.handoffs_intro")}</p>
                    <HandOut/>
                    <HandoffList/>
                    <MergePart/>
                    <Conflicts/>
                    <AnswerRequest/>
                }.into_any(),
            }}
        </section>
    }
}

/// What a signed file just written is, for "Send by email".
#[derive(Clone)]
struct Written {
    file_name: String,
    text: String,
    to: String,
    subject: String,
    body: String,
}

/// The file just written, and the way to send it.
fn written_view(form: Form, w: Written) -> impl IntoView {
    let send = move |_| {
        if !share_file(&w.file_name, &w.text) {
            open_mail(&w.to, &w.subject, &w.body);
        }
    };
    view! {
        <p class="handoff-written" role="status">{form.text("ui.hand_written")}</p>
        <button type="button" class="send-email" on:click=send>{form.text("ui.send_email")}</button>
    }
}

/// The signing key of this browser, shared by the page's parts.
fn secret() -> RwSignal<Option<[u8; 32]>> {
    RwSignal::new(crate::web::keys::load())
}

/// Hand out: to whom, and which sections or single questions.
#[component]
fn HandOut() -> impl IntoView {
    let form = form();
    let q = form.q;
    let chosen = RwSignal::new(BTreeSet::<&'static str>::new());
    let label = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let written = RwSignal::new(None::<Written>);
    let secret = secret();
    let busy = RwSignal::new(false);
    let locked = move || form.session.lock() != Lock::Open;

    let hand_out = move |_| {
        if busy.get_untracked() {
            return;
        }
        written.set(None);
        let to = Recipient {
            label: label.get_untracked().trim().to_owned(),
            email: Some(email.get_untracked().trim().to_owned()).filter(|e| !e.is_empty()),
        };
        let questions: Vec<String> =
            chosen.with_untracked(|c| c.iter().map(|s| s.to_string()).collect());
        if to.label.is_empty() {
            message.set(Some(form.text("ui.hand_need_label")()));
            dom::focus_later("handoff-label".to_owned());
            return;
        }
        if questions.is_empty() {
            message.set(Some(form.text("ui.hand_need_questions")()));
            return;
        }
        let Some(sk) = secret.get_untracked() else {
            message.set(Some(form.text("ui.hand_need_key")()));
            return;
        };
        message.set(None);
        busy.set(true);
        spawn_local(async move {
            let mut book = untrack(|| book(form));
            if book.reply.is_empty() {
                book.reply = submission_hex(&crate::web::keys::random::<16>());
            }
            let id = submission_hex(&crate::web::keys::random::<8>());
            let reply = book.reply.clone();
            let request = form.reply.with_untracked(|a| {
                book.hand_out(q, &reply, a, &id, to.clone(), &questions, now())
            });
            let signed = sign(form, sk, request.to_document()).await;
            busy.set(false);
            match signed {
                Ok((text, key_id)) => {
                    let state = request.state.clone().unwrap_or_else(|| "XXX".to_owned());
                    let file_name = format!("{state}-art32-request-{}.json", slug(&to.label));
                    if files::download(&file_name, "application/json", &text).is_err() {
                        message.set(Some(form.text("ui.file_save_failed")()));
                        return;
                    }
                    // Recorded only once the file is written: a refusal changes nothing.
                    keep(form, &book, None);
                    written.set(Some(Written {
                        subject: form
                            .cat()
                            .format("ui.hand_mail_subject", &[("label", &to.label)]),
                        body: form.cat().format(
                            "ui.hand_mail_body",
                            &[("file", &file_name), ("key", &group_key_id(&key_id))],
                        ),
                        to: to.email.clone().unwrap_or_default(),
                        file_name,
                        text,
                    }));
                    chosen.set(BTreeSet::new());
                    label.set(String::new());
                    email.set(String::new());
                }
                Err(e) => message.set(Some(e)),
            }
        });
    };

    let sections = q
        .sections
        .iter()
        .map(|s| {
            let sid: &'static str = s.id;
            let ids: Vec<&'static str> = q
                .questions()
                .filter(|it| it.section.id == sid)
                .map(|it| it.question.id)
                .collect();
            let all = ids.clone();
            let whole = move || chosen.with(|c| all.iter().all(|id| c.contains(id)));
            let all = ids.clone();
            let toggle_all = move |ev: leptos::ev::Event| {
                let on = event_target_checked(&ev);
                chosen.update(|c| {
                    for id in &all {
                        if on {
                            c.insert(id);
                        } else {
                            c.remove(id);
                        }
                    }
                });
            };
            let singles = ids
                .into_iter()
                .map(|id| {
                    let box_id = format!("hand-q-{id}");
                    view! {
                        // Wrapped, so the box keeps its label in a closed `details` too.
                        <li><label>
                            <input type="checkbox" id=box_id data-question=id
                                prop:checked=move || chosen.with(|c| c.contains(id))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    chosen.update(|c| { if on { c.insert(id); } else { c.remove(id); } });
                                }/>
                            <span class="qid">{id}</span>" " {move || form.lookup(&keys::question_label(id))}
                        </label></li>
                    }
                })
                .collect_view();
            let section_box = format!("hand-s-{sid}");
            view! {
                <li class="hand-section" data-section=sid>
                    <input type="checkbox" id=section_box.clone() prop:checked=whole on:change=toggle_all/>
                    <label for=section_box><span class="section-letter">{sid}</span>" " {move || form.lookup(&keys::section_title(sid))}</label>
                    <details>
                        <summary>{form.text("ui.hand_single_questions")}</summary>
                        <ul class="hand-questions">{singles}</ul>
                    </details>
                </li>
            }
        })
        .collect_view();

    view! {
        <div class="hand-out">
            <h3>{form.text("ui.hand_out_title")}</h3>
            <p class="help">{form.text("ui.hand_out_help")}</p>
            <label for="handoff-label">{form.text("ui.hand_label")}</label>
            <input type="text" id="handoff-label" maxlength="120" prop:value=move || label.get()
                on:input=move |ev| label.set(event_target_value(&ev))/>
            <label for="handoff-email">{form.text("ui.hand_email")}</label>
            <input type="email" id="handoff-email" dir="ltr" prop:value=move || email.get()
                on:input=move |ev| email.set(event_target_value(&ev))/>
            <fieldset class="hand-choice">
                <legend>{form.text("ui.hand_what")}</legend>
                <ul class="hand-sections">{sections}</ul>
            </fieldset>
            {move || secret.get().is_none().then(|| view! { <KeyPanel secret/> })}
            {move || message.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
            <button type="button" class="write-request" prop:disabled=locked
                aria-disabled=move || busy.get().then_some("true") on:click=hand_out>
                {form.text("ui.hand_write")}
            </button>
            {move || written.get().map(|w| written_view(form, w))}
        </div>
    }
}

fn submission_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Every hand-off of the reply: to whom, what, when, returned or not; send again, cancel.
#[component]
fn HandoffList() -> impl IntoView {
    let form = form();
    let book = Memo::new(move |_| book(form));
    let again = move |id: String| {
        let Some(sk) = crate::web::keys::load() else {
            form.shell.say(form.text("ui.hand_need_key")());
            return;
        };
        spawn_local(async move {
            let b = untrack(|| book.get());
            let Some(request) = form.reply.with_untracked(|a| b.request(form.q, &id, a)) else {
                return;
            };
            match sign(form, sk, request.to_document()).await {
                Ok((text, _)) => {
                    let state = request.state.clone().unwrap_or_else(|| "XXX".to_owned());
                    let name = format!("{state}-art32-request-{}.json", slug(&request.to.label));
                    if files::download(&name, "application/json", &text).is_err() {
                        form.shell.say(form.text("ui.file_save_failed")());
                    }
                }
                Err(e) => form.shell.say(e),
            }
        });
    };
    let cancel = move |id: String| {
        if !dom::confirm(&form.text("ui.hand_cancel_confirm")()) {
            return;
        }
        let mut b = untrack(|| book.get());
        if b.cancel(&id) {
            keep(form, &b, None);
        }
    };
    move || {
        let b = book.get();
        if b.handoffs.is_empty() {
            return view! { <p class="handoffs-none">{form.text("ui.hand_none")()}</p> }.into_any();
        }
        let lang = form.cat().lang.clone();
        let rows = b
            .handoffs
            .iter()
            .map(|h| {
                let (id, id2) = (h.id.clone(), h.id.clone());
                let status = if h.cancelled {
                    form.text("ui.hand_status_cancelled")()
                } else if let Some(r) = &h.returned {
                    form.cat().format(
                        "ui.hand_status_returned",
                        &[("date", &intl::date_time(&lang, r.signed_at.as_str())), ("key", &group_key_id(&r.key_id))],
                    )
                } else {
                    form.text("ui.hand_status_waiting")()
                };
                let state = if h.cancelled { "cancelled" } else if h.returned.is_some() { "returned" } else { "waiting" };
                view! {
                    <tr data-handoff=h.id.clone() data-status=state>
                        <td>{h.to.label.clone()}{h.to.email.clone().map(|e| view! { <br/><span dir="ltr">{e}</span> })}</td>
                        <td>{h.questions.join(", ")}</td>
                        <td>{intl::date_time(&lang, h.issued_at.as_str())}</td>
                        <td>{status}</td>
                        <td>
                            {(!h.cancelled).then(|| view! {
                                <button type="button" class="send-again" on:click=move |_| again(id.clone())>{form.text("ui.hand_send_again")()}</button>
                                <button type="button" class="cancel-handoff" on:click=move |_| cancel(id2.clone())>{form.text("ui.hand_cancel")()}</button>
                            })}
                        </td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class="handoff-list">
                <caption>{form.text("ui.hand_list_title")()}</caption>
                <thead><tr>
                    <th scope="col">{form.text("ui.hand_col_to")()}</th>
                    <th scope="col">{form.text("ui.hand_col_questions")()}</th>
                    <th scope="col">{form.text("ui.hand_col_sent")()}</th>
                    <th scope="col">{form.text("ui.hand_col_status")()}</th>
                    <th scope="col">{form.text("ui.draft_col_actions")()}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    }
}

/// Open a returned part: checked, then a summary of what it would change; applied only when
/// asked, and undone on request.
#[component]
fn MergePart() -> impl IntoView {
    let form = form();
    let plan = RwSignal::new(None::<(Plan, Signer)>);
    let message = RwSignal::new(None::<String>);
    let open = move |ev: leptos::ev::Event| {
        let Some(input) = files::input_of(&ev) else {
            return;
        };
        plan.set(None);
        message.set(None);
        spawn_local(async move {
            let Some(read) = read_signed(form, input, true).await else {
                return;
            };
            let outcome = read.and_then(|(_, file)| {
                let part = Part::from_verified(form.q, file.members)
                    .map_err(|e| handoff_error_text(form, true, &e))?;
                let b = untrack(|| book(form));
                let planned = form
                    .reply
                    .with_untracked(|a| b.plan(&b.reply, a, &part, &file.signer, &file.sha256))
                    .map_err(|r| refusal_text(form, &r))?;
                Ok((planned, file.signer))
            });
            match outcome {
                Ok(p) => {
                    plan.set(Some(p));
                    dom::focus_later("merge-summary".to_owned());
                }
                Err(m) => message.set(Some(m)),
            }
        });
    };
    let apply = move |_| {
        let Some((p, _)) = plan.get_untracked() else {
            return;
        };
        if form.session.lock_untracked() != Lock::Open {
            return;
        }
        keep(form, &p.book, Some(p.merged.answers));
        plan.set(None);
        message.set(Some(form.text("ui.hand_merged")()));
    };
    let undo = move |_| {
        let mut b = untrack(|| book(form));
        if let Some(answers) = b.undo_merge() {
            keep(form, &b, Some(answers));
            message.set(Some(form.text("ui.hand_undone")()));
        }
    };
    let can_undo = move || {
        form.session
            .with_meta(|m| book_of(m.handoff.as_ref()).undo.is_some())
    };
    view! {
        <div class="merge-part">
            <h3>{form.text("ui.hand_merge_title")}</h3>
            <p class="help">{form.text("ui.hand_merge_help")}</p>
            <label for="part-file">{form.text("ui.hand_open_part")}</label>
            <input type="file" id="part-file" accept=".json,application/json" on:change=open/>
            {move || message.get().map(|m| view! { <p class="merge-message" role="alert">{m}</p> })}
            {move || plan.get().map(|(p, signer)| {
                let (taken, kept, conflicts) = p.merged.counts();
                let label = p.book.handoffs.iter().find_map(|h| h.returned.as_ref().filter(|r| r.key_id == signer.key_id).map(|r| r.contributor.clone())).unwrap_or_default();
                let lines = p.merged.outcomes.iter().map(|(id, o)| {
                    let (class, key) = match o {
                        Outcome::Taken => ("taken", "ui.hand_taken"),
                        Outcome::Kept => ("kept", "ui.hand_kept"),
                        Outcome::Conflict(_) => ("conflict", "ui.hand_conflict"),
                    };
                    view! { <li data-outcome=class><span class="qid">{id.clone()}</span>" " {form.text(key)}</li> }
                }).collect_view();
                view! {
                    <div class="merge-summary" id="merge-summary" tabindex="-1" role="region" aria-label=form.text("ui.hand_summary_title")>
                        <h4>{form.text("ui.hand_summary_title")}</h4>
                        <p>{form.cat().format("ui.hand_summary", &[("label", &label), ("key", &group_key_id(&signer.key_id)), ("taken", &taken.to_string()), ("kept", &kept.to_string()), ("conflicts", &conflicts.to_string())])}</p>
                        <ul class="merge-outcomes">{lines}</ul>
                        <button type="button" class="apply-merge" on:click=apply>{form.text("ui.hand_apply")}</button>
                        <button type="button" class="drop-merge" on:click=move |_| plan.set(None)>{form.text("ui.hand_drop")}</button>
                    </div>
                }
            })}
            {move || can_undo().then(|| view! {
                <button type="button" class="undo-merge" on:click=undo>{form.text("ui.hand_undo")}</button>
            })}
        </div>
    }
}

/// An answer in a few words, for the side-by-side view of a conflict.
fn answer_text(form: Form, question: &str, answer: Option<&Answer>) -> String {
    let cat = form.cat();
    let Some(a) = answer.filter(|a| a.is_answered()) else {
        return form.text("ui.print_not_answered")();
    };
    let kind = form.q.question(question).map(|it| &it.question.kind);
    let owner = keys::question_owner(question);
    match a {
        Answer::Text(s) => s.clone(),
        Answer::Number { value, no_data } => {
            if *no_data {
                form.text("ui.no_data")()
            } else {
                value.clone()
            }
        }
        Answer::Period { from, to } => format!("{from} – {to}"),
        Answer::Choice { selected, other } => {
            let mut parts: Vec<String> = selected
                .iter()
                .map(|o| kind.map_or_else(|| o.clone(), |k| i18n::option_label(cat, k, &owner, o)))
                .collect();
            if !other.is_empty() {
                parts.push(other.clone());
            }
            parts.join("; ")
        }
        Answer::Confirm(b) => form.text(if *b {
            "ui.hand_confirmed"
        } else {
            "ui.print_not_answered"
        })(),
        Answer::Rows(rows) => rows
            .iter()
            .enumerate()
            .map(|(n, r)| {
                let fields: Vec<String> = r
                    .fields
                    .iter()
                    .filter(|(_, a)| a.is_answered())
                    .map(|(_, a)| match a {
                        Answer::Text(s) | Answer::Number { value: s, .. } => s.clone(),
                        Answer::Choice { selected, .. } => selected.join(", "),
                        Answer::Period { from, to } => format!("{from} – {to}"),
                        Answer::Confirm(b) => b.to_string(),
                        Answer::Rows(_) => String::new(),
                    })
                    .collect();
                format!("{}. {}", n + 1, fields.join(" / "))
            })
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

/// The conflicts still open: both answers side by side, and who gave them; keep one, or edit.
#[component]
fn Conflicts() -> impl IntoView {
    let form = form();
    let book = Memo::new(move |_| book(form));
    let resolve = move |question: String, theirs: bool| {
        let mut b = untrack(|| book.get());
        let Some(answer) = b.resolve(&question, theirs) else {
            return;
        };
        let answers = theirs.then(|| {
            let mut a = form.reply.answers_untracked();
            match answer {
                Some(x) => a.set(&question, x),
                None => a.set(&question, Answer::Text(String::new())),
            }
            a
        });
        keep(form, &b, answers);
    };
    move || {
        let b = book.get();
        if b.conflicts.is_empty() {
            return None;
        }
        let items = b
            .conflicts
            .iter()
            .map(|c| {
                let (q1, q2, q3) = (c.question.clone(), c.question.clone(), c.question.clone());
                let ours_now = form.reply.with(|a| a.get(&c.question).cloned());
                view! {
                    <li class="conflict" data-question=c.question.clone()>
                        <h4><span class="qid">{c.question.clone()}</span>" " {form.lookup(&keys::question_label(&c.question))}</h4>
                        <div class="conflict-sides">
                            <div class="conflict-ours">
                                <h5>{form.text("ui.hand_yours")()}</h5>
                                <p class="conflict-answer">{answer_text(form, &c.question, ours_now.as_ref())}</p>
                            </div>
                            <div class="conflict-theirs">
                                <h5>{form.cat().format("ui.hand_theirs", &[("label", &c.label)])}</h5>
                                <p class="conflict-answer">{answer_text(form, &c.question, c.theirs.as_ref())}</p>
                                <p class="help" dir="ltr">{group_key_id(&c.key_id)}</p>
                            </div>
                        </div>
                        <button type="button" class="keep-ours" on:click=move |_| resolve(q1.clone(), false)>{form.text("ui.hand_keep_ours")()}</button>
                        <button type="button" class="take-theirs" on:click=move |_| resolve(q2.clone(), true)>{form.text("ui.hand_take_theirs")()}</button>
                        <button type="button" class="edit-conflict" on:click=move |_| form.shell.open_question(form.q, &q3)>{form.text("ui.hand_edit")()}</button>
                    </li>
                }
            })
            .collect_view();
        Some(view! {
            <div class="conflicts" role="region" aria-labelledby="conflicts-title">
                <h3 id="conflicts-title">{form.cat().format("ui.hand_conflicts_title", &[("count", &b.conflicts.len().to_string())])}</h3>
                <p class="help">{form.text("ui.hand_conflicts_help")()}</p>
                <ul class="conflict-list">{items}</ul>
            </div>
        })
    }
}

/// A contributor: open a request received, which becomes a draft of its own.
#[component]
fn AnswerRequest() -> impl IntoView {
    let form = form();
    let message = RwSignal::new(None::<String>);
    let open = move |ev: leptos::ev::Event| {
        let Some(input) = files::input_of(&ev) else {
            return;
        };
        message.set(None);
        spawn_local(async move {
            let Some(read) = read_signed(form, input, false).await else {
                return;
            };
            let opened = read.and_then(|(text, file)| {
                let request = Request::from_verified(form.q, file.members)
                    .map_err(|e| handoff_error_text(form, false, &e))?;
                Ok((text, request))
            });
            match opened {
                // The notice over a part comes with the code that reads drafts.
                Ok((text, request)) => match super::lazy::draft_reader().await {
                    Ok(_) => open_part(form, text, request),
                    Err(()) => message.set(Some(form.text("ui.draft_cannot_open")())),
                },
                Err(m) => message.set(Some(m)),
            }
        });
    };
    view! {
        <div class="answer-request">
            <h3>{form.text("ui.hand_answer_title")}</h3>
            <p class="help">{form.text("ui.hand_answer_help")}</p>
            <label for="request-file">{form.text("ui.hand_open_request")}</label>
            <input type="file" id="request-file" accept=".json,application/json" on:change=open/>
            {move || message.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
        </div>
    }
}

/// Makes a contributor's draft of a checked request and shows it at its first question.
fn open_part(form: Form, text: String, request: Request) {
    session::save_now(form, false);
    let lang = form.cat().lang.clone();
    let name = form
        .cat()
        .format("ui.part_draft_name", &[("label", &request.to.label)]);
    let mut d = Draft::new(form.q, &storage::new_id(), &name, &lang);
    let mut answers = request.context.clone();
    for (id, a) in request.base.0.iter() {
        answers.set(id, a.clone());
    }
    d.answers = answers;
    d.revision = 1;
    d.saved_at = files::now_utc();
    d.handoff = serde_json::to_string(&DraftHandoff::PartOf(text))
        .ok()
        .and_then(Kept::new);
    session::add_and_show(form, d, Lock::Open);
    match request.questions.first() {
        Some(first) => form.shell.open_question(form.q, first),
        None => form.shell.show(View::Section(form.q.sections[0].id)),
    }
}

/// A contributor's draft: what was asked, and "Return my part".
#[component]
fn ReturnPart(request: Request) -> impl IntoView {
    let form = form();
    let secret = secret();
    let label = RwSignal::new(request.to.label.clone());
    let message = RwSignal::new(None::<String>);
    let written = RwSignal::new(None::<Written>);
    let busy = RwSignal::new(false);
    let open_problems = move || form.reply.issues.with(Vec::len);
    // Who handed it out: the request's signature, checked again.
    let issuer = RwSignal::new(None::<String>);
    let kept_text = form.session.with_meta_untracked(|m| {
        m.handoff.as_ref().and_then(|k| {
            match serde_json::from_str::<DraftHandoff>(k.get()).ok()? {
                DraftHandoff::PartOf(text) => Some(text),
                DraftHandoff::Book(_) => None,
            }
        })
    });
    if let Some(text) = kept_text {
        spawn_local(async move {
            if let Ok(Done::Handoff(Ok(file))) =
                crate::web::signer::run(Job::ReadHandoff { text, part: false }).await
            {
                issuer.try_set(Some(file.signer.key_id));
            }
        });
    }
    let r = request.clone();
    let give_back = move |_| {
        if busy.get_untracked() {
            return;
        }
        let Some(sk) = secret.get_untracked() else {
            message.set(Some(form.text("ui.hand_need_key")()));
            return;
        };
        let contributor = label.get_untracked().trim().to_owned();
        if contributor.is_empty() {
            message.set(Some(form.text("ui.hand_need_label")()));
            return;
        }
        let mut answers = Answers::default();
        form.reply.with_untracked(|a| {
            for id in &r.questions {
                if let Some(x) = a.get(id) {
                    answers.set(id, x.clone());
                }
            }
        });
        let part = Part {
            questionnaire_id: r.questionnaire_id.clone(),
            questionnaire_version: r.questionnaire_version,
            reply: r.reply.clone(),
            handoff: r.handoff.clone(),
            contributor: contributor.clone(),
            answers,
        };
        let state = r.state.clone().unwrap_or_else(|| "XXX".to_owned());
        message.set(None);
        busy.set(true);
        spawn_local(async move {
            let signed = sign(form, sk, part.to_document()).await;
            busy.set(false);
            match signed {
                Ok((text, key_id)) => {
                    let file_name = format!(
                        "{state}-art32-part-{}-{}.json",
                        slug(&contributor),
                        files::today()
                    );
                    if files::download(&file_name, "application/json", &text).is_err() {
                        message.set(Some(form.text("ui.file_save_failed")()));
                        return;
                    }
                    written.set(Some(Written {
                        subject: form
                            .cat()
                            .format("ui.part_mail_subject", &[("label", &contributor)]),
                        body: form.cat().format(
                            "ui.hand_mail_body",
                            &[("file", &file_name), ("key", &group_key_id(&key_id))],
                        ),
                        to: String::new(),
                        file_name,
                        text,
                    }));
                }
                Err(e) => message.set(Some(e)),
            }
        });
    };
    let state = request
        .state
        .as_deref()
        .map(|s| form.state_name(s))
        .unwrap_or_else(|| form.text("ui.part_no_state")());
    let lang = form.cat().lang.clone();
    view! {
        <div class="return-part">
            <dl class="part-facts">
                <dt>{form.text("ui.summary_state")}</dt><dd>{state}</dd>
                <dt>{form.text("ui.hand_sent_on")}</dt><dd>{intl::date_time(&lang, request.issued_at.as_str())}</dd>
                <dt>{form.text("ui.hand_col_questions")}</dt><dd class="part-questions">{request.questions.join(", ")}</dd>
                <dt>{form.text("ui.hand_issuer")}</dt>
                <dd dir="ltr" class="part-issuer">{move || issuer.get().map(|k| group_key_id(&k))}</dd>
            </dl>
            <p class="help">{form.text("ui.part_return_help")}</p>
            {move || (open_problems() > 0).then(|| view! {
                <p class="part-open" role="note">{form.cat().format("ui.part_open", &[("count", &open_problems().to_string())])}</p>
            })}
            <label for="part-label">{form.text("ui.hand_your_label")}</label>
            <input type="text" id="part-label" maxlength="120" prop:value=move || label.get()
                on:input=move |ev| label.set(event_target_value(&ev))/>
            <KeyPanel secret/>
            {move || message.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
            <button type="button" class="return-part" aria-disabled=move || busy.get().then_some("true")
                prop:disabled=move || secret.get().is_none() on:click=give_back>
                {form.text("ui.part_return")}
            </button>
            {move || written.get().map(|w| written_view(form, w))}
        </div>
    }
}
