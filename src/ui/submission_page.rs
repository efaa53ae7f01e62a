//! "Open a submission": checks a signed file and shows plainly whether it is valid, which key
//! signed it, and its answers, read-only. Everything in the file is untrusted: answers are shown
//! as text, and only http(s) addresses become links.

use leptos::prelude::*;

use super::{form, Form};
use crate::core::cycle::Previous;
use crate::core::handoff::Contributor;
use crate::core::i18n::{field_owner_of, keys, option_label};
use crate::core::model::Kind;
use crate::core::signer::{Checked, Done, Job, ListInfo};
use crate::core::submission::{self, group_key_id, Submitted, Verified};
use crate::core::trust::Standing;
use crate::core::validate::is_http_url;
use crate::web::keys as key_store;
use crate::web::{files, intl, signer};

#[derive(Clone)]
enum Outcome {
    /// With the file's text, to tell its key's standing by the list of registered keys.
    Valid(Box<Verified>, String),
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
    // The secretariat's list of registered keys and its key, as imported in this browser.
    let trusted = RwSignal::new(key_store::trust_list());
    let on_pick = move |ev: leptos::ev::Event| {
        let Some(input) = files::input_of(&ev) else {
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
                    match signer::run(Job::Verify { text: text.clone() }).await {
                        Ok(Done::Checked(Checked::Valid(v))) => Outcome::Valid(v, text),
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
            <RegisteredKeys trusted/>
            // Read again in the new language when it changes (the view below words everything once).
            {move || { form.wording.track_language(); outcome.get() }.map(|(name, o)| match o {
                Outcome::Valid(v, text) => view! { <ValidSubmission name v=*v text trusted/> }.into_any(),
                Outcome::Invalid => view! {
                    <div class="verdict invalid" role="alert" data-verdict="invalid">
                        <p><strong>{form.text("ui.verify_invalid")()}</strong></p>
                        <p dir="ltr">{name}</p>
                    </div>
                }.into_any(),
                Outcome::Malformed { why, detail } => view! {
                    <div class="verdict malformed" role="alert" data-verdict="malformed">
                        <p><strong>{form.text("ui.verify_malformed")()}</strong></p>
                        <p dir="ltr">{name}</p>
                        {why.map(|key| view! { <p>{form.text(key)()}</p> })}
                        {detail.map(|d| view! {
                            <p class="verify-detail">{form.text("ui.verify_detail")()} " " <span lang="en" dir="ltr">{d}</span></p>
                        })}
                    </div>
                }.into_any(),
            })}
        </section>
    }
}

#[component]
fn ValidSubmission(
    name: String,
    v: Verified,
    text: String,
    trusted: RwSignal<Option<(String, String)>>,
) -> impl IntoView {
    let form = form();
    // `verify` checked the list's shape; an unreadable one shows as none.
    let Listed {
        contributors,
        previous,
    } = serde_json::from_str::<Listed>(&text).unwrap_or_default();
    let changed: Vec<String> = previous
        .as_ref()
        .map(|p| p.changed.clone())
        .unwrap_or_default();
    let standing = standing_of(text, trusted);
    let state_name = form.state_name(&v.state);
    let cat = form.cat();
    let q = form.q;
    let v2 = v.clone();
    // The next cycle starts from it: its answers carried over, each to be reviewed.
    let continue_as_draft = move |_| {
        if let Err(message) = super::carried::start_from(form, &v2) {
            form.shell.say(message);
        }
    };
    let rows = q
        .questions()
        .filter_map(|it| {
            let a = v.answers.get(it.question.id)?;
            let label = cat.get(&keys::question_label(it.question.id)).to_owned();
            let mark = changed.iter().any(|c| c == it.question.id).then(|| view! {
                " " <span class="changed-mark">{cat.get("ui.cycle_mark_changed").to_owned()}</span>
            });
            Some(view! {
                <tr data-answer=it.question.id>
                    <th scope="row"><span class="qid">{it.question.id}</span> " " {label} {mark}</th>
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
            {move || match standing.get() {
                None => view! {
                    <p class="owner-unknown" data-standing="unknown">
                        <strong>{form.cat().format("ui.owner_unknown", &[("state", &state_name)])}</strong>
                    </p>
                }.into_any(),
                Some(s) => standing_view(form, &state_name, s).into_any(),
            }}
            <button type="button" class="continue-draft" on:click=continue_as_draft>{cat.get("ui.continue_as_draft").to_owned()}</button>
        </div>
        <table class="submitted-answers">
            <caption>{cat.get("ui.submitted_answers").to_owned()}</caption>
            <tbody>{rows}</tbody>
        </table>
        <ContributorList contributors/>
        <CompareWithEarlier v=v.clone() previous/>
    }
}

/// "Compare with an earlier reply": a second signed file of the State, checked, and what
/// changed from it to the one shown; and whether the one shown names it as its previous reply.
#[component]
fn CompareWithEarlier(v: Verified, previous: Option<Previous>) -> impl IntoView {
    let form = form();
    let result = RwSignal::new(None::<Result<(Box<Verified>, String), String>>);
    let on_pick = move |ev: leptos::ev::Event| {
        let Some(input) = files::input_of(&ev) else {
            return;
        };
        leptos::task::spawn_local(async move {
            if let Some(r) = super::carried::read_verified(form, &input).await {
                result.set(Some(r));
            }
        });
    };
    let q = form.q;
    let carried = |v: &Verified| crate::core::cycle::carry(q, v).ok().map(|c| c.answers);
    let new = carried(&v);
    view! {
        <section class="compare" aria-labelledby="compare-title">
            <h3 id="compare-title">{form.text("ui.cycle_compare_title")}</h3>
            <label for="compare-file">{form.text("ui.cycle_compare_choose")}</label>
            <input type="file" id="compare-file" accept=".json,application/json" on:change=on_pick/>
            {move || { form.wording.track_language(); result.get() }.map(|r| match r {
                Err(message) => view! { <p class="compare-error" role="alert">{message}</p> }.into_any(),
                Ok((old, name)) => {
                    let cat = form.cat();
                    let declared = match &previous {
                        Some(p) if p.sha256 == old.sha256 => cat.get("ui.cycle_declares_previous"),
                        Some(_) => cat.get("ui.cycle_declares_other"),
                        None => cat.get("ui.cycle_declares_none"),
                    }.to_owned();
                    let body = match (carried(&old), &new) {
                        (Some(o), Some(n)) => super::changes::compared(form, &o, n),
                        _ => view! { <p>{cat.get("ui.verify_malformed").to_owned()}</p> }.into_any(),
                    };
                    view! {
                        <div class="comparison" role="status">
                            <p><span dir="ltr">{name}</span> ": " {cat.format("ui.cycle_compare_of", &[("state", &old.state), ("date", &intl::date(&cat.lang, &old.signed_at.as_str()[..10]))])}</p>
                            <p class="declared">{declared}</p>
                            {body}
                        </div>
                    }.into_any()
                }
            })}
        </section>
    }
}

/// A submission's `contributors`, the one member of it read here.
#[derive(Default, serde::Deserialize)]
struct Listed {
    #[serde(default)]
    contributors: Vec<Contributor>,
    #[serde(default)]
    previous: Option<Previous>,
}

/// Who supplied which answers, one line each; nothing when the focal point answered everything.
#[component]
pub(super) fn ContributorList(contributors: Vec<Contributor>) -> impl IntoView {
    let cat = form().cat();
    (!contributors.is_empty()).then(|| {
        let lines = contributors
            .iter()
            .map(|c| {
                let line = cat.format(
                    "ui.contributor_line",
                    &[
                        ("label", &c.label),
                        ("key", &group_key_id(&c.key_id)),
                        ("questions", &c.questions.join(", ")),
                    ],
                );
                view! { <li>{line}</li> }
            })
            .collect_view();
        view! {
            <section class="contributors">
                <h3>{cat.get("ui.contributors_title").to_owned()}</h3>
                <ul>{lines}</ul>
            </section>
        }
    })
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

/// A valid file's standing by the list of registered keys, once the signer has told it (`None`:
/// no list here, or not told yet; `Err`: the list could not be used).
fn standing_of(
    text: String,
    trusted: RwSignal<Option<(String, String)>>,
) -> RwSignal<Option<Result<Standing, String>>> {
    let standing = RwSignal::new(None);
    Effect::new(move |_| {
        standing.set(None);
        let Some((secretariat, list)) = trusted.get() else {
            return;
        };
        let submission = text.clone();
        leptos::task::spawn_local(async move {
            let job = Job::Standing {
                submission,
                list,
                secretariat,
            };
            if let Ok(Done::Standing(s)) = signer::run(job).await {
                let _ = standing.try_set(Some(s));
            }
        });
    });
    standing
}

/// The standing in words (and in `data-standing`, not only in colour).
fn standing_view(form: Form, state: &str, s: Result<Standing, String>) -> impl IntoView {
    let cat = form.cat();
    let (kind, words) = match s {
        Ok(Standing::Registered { through: 0 }) => (
            "registered",
            cat.format("ui.standing_registered", &[("state", state)]),
        ),
        Ok(Standing::Registered { through }) => (
            "registered",
            cat.format(
                "ui.standing_rotated",
                &[("state", state), ("count", &through.to_string())],
            ),
        ),
        Ok(Standing::NotRegistered) => (
            "unregistered",
            cat.get("ui.standing_unregistered").to_owned(),
        ),
        Ok(Standing::OtherState(other)) => (
            "other-state",
            cat.format(
                "ui.standing_other_state",
                &[("state", state), ("other", &form.state_name(&other))],
            ),
        ),
        Ok(Standing::NotInForce { since, .. }) => (
            "not-in-force",
            cat.format(
                "ui.standing_not_in_force",
                &[("date", &intl::date(&cat.lang, &since))],
            ),
        ),
        Err(reason) => (
            "unknown",
            cat.format("ui.standing_failed", &[("reason", &reason)]),
        ),
    };
    view! { <p class="standing" data-standing=kind><strong>{words}</strong></p> }
}

/// The secretariat's list of registered keys: which one is here, and importing a newer one. The
/// first list is trusted only once the user confirms the fingerprint of the key that signed it;
/// later lists must be signed by the same key.
#[component]
fn RegisteredKeys(trusted: RwSignal<Option<(String, String)>>) -> impl IntoView {
    let form = form();
    let info = RwSignal::new(None::<ListInfo>);
    // A list read but not yet trusted: its text and what it is, until the user confirms its key.
    let pending = RwSignal::new(None::<(String, ListInfo)>);
    let note = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let Some((_, list)) = trusted.get() else {
            return;
        };
        leptos::task::spawn_local(async move {
            if let Ok(Done::ListRead(Ok(i))) = signer::run(Job::ReadList { text: list }).await {
                let _ = info.try_set(Some(i));
            }
        });
    });
    let keep = move |text: String, i: ListInfo| match key_store::set_trust_list(&i.key_id, &text) {
        Ok(()) => {
            trusted.set(Some((i.key_id.clone(), text)));
            pending.set(None);
            note.set(None);
        }
        Err(_) => note.set(Some(form.text("ui.save_failed")())),
    };
    let on_pick = move |ev: leptos::ev::Event| {
        let Some(input) = files::input_of(&ev) else {
            return;
        };
        leptos::task::spawn_local(async move {
            let picked = files::read_picked(&input, submission::MAX_SUBMISSION_BYTES).await;
            input.set_value("");
            let Some(Ok((_, text))) = picked else {
                note.set(Some(form.cat().format("ui.trust_bad", &[("reason", "")])));
                return;
            };
            match signer::run(Job::ReadList { text: text.clone() }).await {
                Ok(Done::ListRead(Ok(i))) => match trusted.get_untracked() {
                    // The secretariat's key is known: the same key, and not an older list.
                    Some((key, _)) if key != i.key_id => note.set(Some(form.cat().format(
                        "ui.trust_other_key",
                        &[("fingerprint", &group_key_id(&key))],
                    ))),
                    Some(_)
                        if info
                            .get_untracked()
                            .is_some_and(|old| old.sequence > i.sequence) =>
                    {
                        note.set(Some(form.text("ui.trust_older")()))
                    }
                    Some(_) => keep(text, i),
                    None => pending.set(Some((text, i))),
                },
                Ok(Done::ListRead(Err(reason))) => note.set(Some(
                    form.cat().format("ui.trust_bad", &[("reason", &reason)]),
                )),
                _ => note.set(Some(form.text("ui.signer_failed")())),
            }
        });
    };
    view! {
        <section class="registered-keys" aria-labelledby="registered-keys-title">
            <h3 id="registered-keys-title">{form.text("ui.trust_title")}</h3>
            <p class="trust-status" data-list=move || info.get().map_or(0, |i| i.sequence).to_string()>
                {move || match info.get() {
                    None => form.text("ui.trust_none")(),
                    Some(i) => form.cat().format("ui.trust_status", &[
                        ("sequence", &i.sequence.to_string()),
                        ("date", &intl::date(&form.cat().lang, &i.issued_at.as_str()[..10])),
                        ("fingerprint", &group_key_id(&i.key_id)),
                    ]),
                }}
            </p>
            <label for="trust-file">{form.text("ui.trust_import")}</label>
            <input type="file" id="trust-file" accept=".json,application/json" on:change=on_pick/>
            {move || pending.get().map(|(text, i)| {
                let fingerprint = group_key_id(&i.key_id);
                view! {
                    <div class="trust-confirm" role="group" aria-labelledby="trust-confirm-intro">
                        <p id="trust-confirm-intro">{form.text("ui.trust_confirm_intro")()}</p>
                        <p class="fingerprint" dir="ltr" data-key-id=i.key_id.clone()>{fingerprint}</p>
                        <button type="button" class="trust-confirm-key" on:click=move |_| keep(text.clone(), i.clone())>
                            {form.text("ui.trust_confirm")()}
                        </button>
                        <button type="button" class="trust-cancel" on:click=move |_| pending.set(None)>
                            {form.text("ui.trust_cancel")()}
                        </button>
                    </div>
                }
            })}
            {move || note.get().map(|n| view! { <p class="trust-note" role="status">{n}</p> })}
        </section>
    }
}
