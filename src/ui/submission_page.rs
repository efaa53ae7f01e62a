//! "Open a submission": checks a signed file and shows plainly whether it is valid, which key
//! signed it, and its answers, read-only. Everything in the file is untrusted: answers are shown
//! as text, and only http(s) addresses become links.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::{form, session, Form, Lock};
use crate::core::draft::{Draft, Opened};
use crate::core::i18n::{field_owner_of, keys, option_label};
use crate::core::model::Kind;
use crate::core::signer::{Checked, Done, Job};
use crate::core::submission::{self, group_key_id, Submitted, Verified};
use crate::core::validate::is_http_url;
use crate::web::{files, intl, signer, storage};

#[derive(Clone)]
enum Outcome {
    Valid(Box<Verified>),
    Invalid,
    /// Not a signed submission. `why`: a catalog key saying more, worded when shown (so it follows
    /// the language); `detail`: the checker's own reason, which is English.
    Malformed {
        why: Option<&'static str>,
        detail: Option<String>,
    },
}

#[component]
pub fn SubmissionPage() -> impl IntoView {
    let form = form();
    signer::warm_up();
    let outcome = RwSignal::new(None::<(String, Outcome)>);
    let on_pick = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        leptos::task::spawn_local(async move {
            let picked = files::read_picked(&input, submission::MAX_SUBMISSION_BYTES).await;
            input.set_value("");
            let result = match picked {
                None => return,
                Some(Err(files::ReadError::TooLarge(_))) => (
                    "".to_owned(),
                    Outcome::Malformed {
                        why: Some("ui.file_too_large"),
                        detail: None,
                    },
                ),
                Some(Err(files::ReadError::Unreadable)) => (
                    "".to_owned(),
                    Outcome::Malformed {
                        why: None,
                        detail: None,
                    },
                ),
                Some(Ok((name, text))) => (
                    name,
                    match signer::run(Job::Verify { text }).await {
                        Ok(Done::Checked(Checked::Valid(v))) => Outcome::Valid(v),
                        Ok(Done::Checked(Checked::SignatureInvalid)) => Outcome::Invalid,
                        Ok(Done::Checked(Checked::Malformed(reason))) => Outcome::Malformed {
                            why: None,
                            detail: Some(reason),
                        },
                        _ => Outcome::Malformed {
                            why: Some("ui.signer_failed"),
                            detail: None,
                        },
                    },
                ),
            };
            outcome.set(Some(result));
        });
    };
    view! {
        <section class="submission" aria-labelledby="submission-title">
            <h2 id="submission-title" tabindex="-1">{form.text("ui.open_submission")}</h2>
            <p>{form.text("ui.open_submission_intro")}</p>
            <label for="submission-file">{form.text("ui.choose_submission")}</label>
            <input type="file" id="submission-file" accept=".json,application/json" on:change=on_pick/>
            // Read again in the new language when it changes (the view below words everything once).
            {move || { form.wording.track_language(); outcome.get() }.map(|(name, o)| match o {
                Outcome::Valid(v) => view! { <ValidSubmission name v=*v/> }.into_any(),
                Outcome::Invalid => view! {
                    <div class="verdict invalid" role="alert" data-verdict="invalid">
                        <p><strong>{form.t("ui.verify_invalid")}</strong></p>
                        <p dir="ltr">{name}</p>
                    </div>
                }.into_any(),
                Outcome::Malformed { why, detail } => view! {
                    <div class="verdict malformed" role="alert" data-verdict="malformed">
                        <p><strong>{form.t("ui.verify_malformed")}</strong></p>
                        <p dir="ltr">{name}</p>
                        {why.map(|key| view! { <p>{form.t(key)}</p> })}
                        {detail.map(|d| view! {
                            <p class="verify-detail">{form.t("ui.verify_detail")} " " <span lang="en" dir="ltr">{d}</span></p>
                        })}
                    </div>
                }.into_any(),
            })}
        </section>
    }
}

#[component]
fn ValidSubmission(name: String, v: Verified) -> impl IntoView {
    let form = form();
    let cat = form.cat();
    let q = form.q;
    let v2 = v.clone();
    let continue_as_draft = move |_| {
        let answers = match submission::to_answers(q, &v2) {
            Ok(a) => a,
            Err(e) => return form.shell.say(e.to_string()),
        };
        // Through `Draft::open`, so a reply to an older questionnaire version is migrated like any draft.
        let mut d = Draft::new(
            q,
            &storage::new_id(),
            &cat.format("ui.draft_from_file", &[("name", &v2.state)]),
            &cat.lang,
        );
        d.version = v2.questionnaire_version;
        d.answers = answers;
        let Ok(Opened::Current(mut d)) = Draft::open(q, &d.to_json()) else {
            return form.shell.say(form.t("ui.draft_cannot_open"));
        };
        session::save_now(form, false);
        d.saved_at = files::now_utc();
        d.revision = 1;
        session::add_and_show(form, d, Lock::Open);
        form.shell.open_section(q.sections[0].id);
    };
    let rows = q
        .questions()
        .filter_map(|it| {
            let a = v.answers.get(it.question.id)?;
            let label = cat.get(&keys::question_label(it.question.id)).to_owned();
            Some(view! {
                <tr data-answer=it.question.id>
                    <th scope="row"><span class="qid">{it.question.id}</span> " " {label}</th>
                    <td>{answer_view(form, it.question.id, &it.question.kind, a)}</td>
                </tr>
            })
        })
        .collect_view();
    view! {
        <div class="verdict valid" role="status" data-verdict="valid">
            <p><strong>{cat.get("ui.verify_valid").to_owned()}</strong></p>
            <dl>
                <dt>{cat.get("ui.receipt_file").to_owned()}</dt><dd dir="ltr">{name}</dd>
                <dt>{cat.get("ui.summary_state").to_owned()}</dt><dd>{v.state.clone()}</dd>
                <dt>{cat.get("ui.key_fingerprint").to_owned()}</dt><dd dir="ltr" class="fingerprint">{group_key_id(&v.key_id)}</dd>
                <dt>{cat.get("ui.signed_at").to_owned()}</dt><dd>{intl::date_time(&cat.lang, v.signed_at.as_str())}</dd>
            </dl>
            <p class="help">{cat.get("ui.verify_key_check").to_owned()}</p>
            // Who owns a key is for the secretariat's list of registered keys to say; with none
            // here, the page says it cannot tell rather than let a valid signature pass for it.
            <p class="owner-unknown" data-standing="unknown">
                <strong>{cat.format("ui.owner_unknown", &[("state", &form.state_name(&v.state))])}</strong>
            </p>
            <button type="button" class="continue-draft" on:click=continue_as_draft>{cat.get("ui.continue_as_draft").to_owned()}</button>
        </div>
        <table class="submitted-answers">
            <caption>{cat.get("ui.submitted_answers").to_owned()}</caption>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// One submitted answer, as text (and links for http(s) addresses only).
pub(super) fn answer_view(form: Form, question: &str, kind: &Kind, a: &Submitted) -> AnyView {
    let cat = form.cat();
    let owner = keys::question_owner(question);
    let choice = |selected: &[String], other: &Option<String>, owner: &str| {
        choice_text(cat, kind, owner, selected, other)
    };
    let link_or_text = |s: &str| {
        if is_http_url(s) {
            view! { <a href=s.to_owned() rel="noopener noreferrer" target="_blank" dir="ltr">{s.to_owned()}</a> }.into_any()
        } else {
            view! { <span>{s.to_owned()}</span> }.into_any()
        }
    };
    match (kind, a) {
        (Kind::Url, Submitted::Text(s)) => link_or_text(s),
        (Kind::Date, Submitted::Text(s)) => intl::date(&cat.lang, s).into_any(),
        (Kind::Email | Kind::Phone, Submitted::Text(s)) => view! { <span dir="ltr">{s.clone()}</span> }.into_any(),
        (_, Submitted::Text(s)) => view! { <span class="text-answer" dir="auto">{s.clone()}</span> }.into_any(),
        (_, Submitted::Lines(lines)) => view! {
            <ul class="links">{lines.iter().map(|l| view! { <li>{link_or_text(l)}</li> }).collect_view()}</ul>
        }
        .into_any(),
        (_, Submitted::Single { selected, other }) => choice(std::slice::from_ref(selected), other, &owner).into_any(),
        (_, Submitted::Multi { selected, other }) => choice(selected, other, &owner).into_any(),
        (_, Submitted::Number(Some(n))) => intl::number(&cat.lang, *n).into_any(),
        (_, Submitted::Number(None)) => cat.get("ui.no_data").to_owned().into_any(),
        (_, Submitted::Period { from, to }) => {
            format!("{} – {}", intl::date(&cat.lang, from), intl::date(&cat.lang, to)).into_any()
        }
        (_, Submitted::Confirmed) => "✓".into_any(),
        (Kind::Group { .. }, Submitted::Rows(rows)) => {
            let fields = form.q.fields(kind);
            view! {
                <ol class="submitted-rows">
                    {rows.iter().map(|row| view! {
                        <li><dl>
                            {fields.iter().filter_map(|f| {
                                let value = row.get(f.id)?;
                                let fowner = field_owner_of(form.q, question, f.id);
                                let label = cat.get(&keys::field_label(&fowner)).to_owned();
                                Some(view! { <dt>{label}</dt><dd>{field_view(form, question, &f.kind, &fowner, value)}</dd> })
                            }).collect_view()}
                        </dl></li>
                    }).collect_view()}
                </ol>
            }
            .into_any()
        }
        (_, Submitted::Rows(rows)) => rows.len().to_string().into_any(),
    }
}

/// One field of a row: its options are worded under the field's owner (`b.CASE.outcome`), not
/// the question's.
pub(super) fn field_view(
    form: Form,
    question: &str,
    kind: &Kind,
    owner: &str,
    value: &Submitted,
) -> AnyView {
    let cat = form.cat();
    match (kind, value) {
        (Kind::Single { .. }, Submitted::Single { selected, other }) => {
            choice_text(cat, kind, owner, std::slice::from_ref(selected), other).into_any()
        }
        (Kind::Multi { .. }, Submitted::Multi { selected, other }) => {
            choice_text(cat, kind, owner, selected, other).into_any()
        }
        _ => answer_view(form, question, kind, value),
    }
}

/// Chosen options by their labels, and the "please specify" text.
fn choice_text(
    cat: &crate::core::i18n::Catalog,
    kind: &Kind,
    owner: &str,
    selected: &[String],
    other: &Option<String>,
) -> String {
    let mut parts: Vec<String> = selected
        .iter()
        .map(|s| option_label(cat, kind, owner, s))
        .collect();
    if let Some(o) = other {
        parts.push(format!("{}: {o}", cat.get("ui.other_specify")));
    }
    parts.join("; ")
}
