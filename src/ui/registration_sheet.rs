//! "Register this key": a sheet to print (or save as PDF) and attach to the note verbale that
//! registers the signing key with the secretariat. It names the State, the focal point and their
//! office, the date, the key's fingerprint in groups of four, its first sixteen digits as
//! spelling words for reading aloud by telephone, and holds a QR code of the key id.
//!
//! Drawn by the export page's module; the QR code's encoder (`qrcodegen`) is a split point of its
//! own, fetched when the sheet first shows a key.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{form, View};
use crate::core::answers::Answers;
use crate::core::signer::{Done, Job};
use crate::core::submission::{group_key_id, qr_path, spoken_key_id, STATE_QUESTION};
use crate::web::{intl, keys, signer};

/// The reply's question of focal points, whose primary row names who registers the key; without
/// one, the official who certifies the reply (their name, their position and institution).
const FOCAL_POINTS: &str = "A3";
const CERTIFIER: [&str; 2] = ["H1", "H2"];

/// The focal point's name and office (position and institution), as the reply gives them.
fn focal_point(answers: &Answers) -> (String, String) {
    let rows = answers.get(FOCAL_POINTS).map(|a| a.rows()).unwrap_or(&[]);
    let primary = rows
        .iter()
        .find(|r| r.field("role").is_some_and(|a| a.selected() == ["primary"]))
        .or(rows.first());
    let field = |id| {
        primary
            .and_then(|r| r.field(id))
            .map_or("", |a| a.text().trim())
    };
    let answer = |id| answers.get(id).map_or("", |a| a.text().trim());
    let or = |a: String, b: &str| if a.is_empty() { b.to_owned() } else { a };
    let office = [field("title"), field("institution")]
        .into_iter()
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    (
        or(field("name").to_owned(), answer(CERTIFIER[0])),
        or(office, answer(CERTIFIER[1])),
    )
}

#[component]
pub fn RegistrationSheet() -> impl IntoView {
    let form = form();
    // The key's id, from the signer's worker; empty when this browser has no key. (A signal of a
    // type the form has already: a new one would cost the form's own wasm some bytes.)
    let key_id = RwSignal::new(None::<String>);
    let signer_failed = RwSignal::new(false);
    match keys::load() {
        None => key_id.set(Some(String::new())),
        Some(secret) => spawn_local(async move {
            match signer::run(Job::KeyId { secret }).await {
                Ok(Done::KeyId(id)) => drop(key_id.try_set(Some(id))),
                _ => drop(signer_failed.try_set(true)),
            }
        }),
    }
    let (name, office) = form.reply.with_untracked(focal_point);
    let state = form.reply.with_untracked(|a| {
        a.get(STATE_QUESTION)
            .and_then(|a| a.selected().first().cloned())
    });
    let print = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <section class="registration-sheet" aria-labelledby="registration-title">
            <h2 id="registration-title" tabindex="-1">{form.text("ui.sheet_title")}</h2>
            <p>{form.text("ui.sheet_intro")}</p>
            <dl class="sheet-facts">
                <dt>{form.text("ui.summary_state")}</dt>
                <dd>{move || state.as_ref().map_or_else(String::new, |c| format!("{} ({c})", form.state_name(c)))}</dd>
                <dt><label for="sheet-name">{form.text("ui.sheet_name")}</label></dt>
                <dd><input type="text" id="sheet-name" value=name/></dd>
                <dt><label for="sheet-office">{form.text("ui.sheet_office")}</label></dt>
                <dd><input type="text" id="sheet-office" value=office/></dd>
                <dt>{form.text("ui.receipt_date")}</dt>
                <dd>{move || intl::today(&form.cat().lang)}</dd>
            </dl>
            {move || match key_id.get() {
                None if signer_failed.get() => view! {
                    <p class="field-error" role="alert">{form.text("ui.signer_failed")}</p>
                }.into_any(),
                None => view! { <p role="status">{form.text("ui.page_loading")}</p> }.into_any(),
                Some(id) if id.is_empty() => view! {
                    <p class="field-error" role="alert">{form.text("ui.sheet_no_key")}</p>
                }.into_any(),
                Some(id) => view! { <KeyFacts id/> }.into_any(),
            }}
            <p class="sheet-signature">{form.text("ui.sheet_signature")}</p>
            <div class="sheet-actions">
                <button type="button" class="print-sheet" on:click=print>{form.text("ui.sheet_print")}</button>
                <button type="button" class="back-to-export" on:click=move |_| form.shell.show(View::Export)>{form.text("ui.sheet_back")}</button>
            </div>
        </section>
    }
}

/// The key: its fingerprint, its first digits in words, its QR code.
#[component]
fn KeyFacts(id: String) -> impl IntoView {
    let form = form();
    let qr = RwSignal::new(None::<String>);
    let key = id.clone();
    spawn_local(async move {
        if let Ok(image) = qr_code(key).await {
            let _ = qr.try_set(Some(image));
        }
    });
    let groups = group_key_id(&id);
    let words = groups
        .split(' ')
        .zip(spoken_key_id(&id))
        .map(|(digits, words)| view! { <li><span dir="ltr" class="digits">{digits.to_owned()}</span> " " {words}</li> })
        .collect_view();
    view! {
        <div class="sheet-key">
            <h3>{form.text("ui.key_fingerprint")}</h3>
            <p class="fingerprint" dir="ltr" data-key-id=id.clone()>{groups.clone()}</p>
            <h3>{form.text("ui.sheet_words")}</h3>
            <ol class="sheet-words" dir="ltr">{words}</ol>
            {move || qr.get().map(|src| view! {
                <figure class="sheet-qr">
                    <img src=src alt=form.text("ui.sheet_qr")/>
                    <figcaption aria-hidden="true">{form.text("ui.sheet_qr")}</figcaption>
                </figure>
            })}
        </div>
    }
}

/// The QR code of a key id as an image: an SVG document in a `data:` address (the CSP allows
/// images from there). An image rather than SVG elements: the form's own wasm then needs no code
/// for elements of another namespace.
fn qr_image(key_id: &str) -> String {
    let (size, path) = qr_path(key_id).unwrap_or_default();
    let side = size + 8;
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"-4 -4 {side} {side}\" \
         shape-rendering=\"crispEdges\"><rect x=\"-4\" y=\"-4\" width=\"{side}\" \
         height=\"{side}\" fill=\"#fff\"/><path d=\"{path}\"/></svg>"
    );
    format!(
        "data:image/svg+xml,{}",
        String::from(js_sys::encode_uri_component(&svg))
    )
}

/// The QR code's image, once its code is here (a split point: `qrcodegen` leaves the export
/// page's module). Without the `split-pages` feature it is linked in.
#[cfg(feature = "split-pages")]
#[leptos::wasm_split::wasm_split(qr_code, wasm_split_path = ::leptos::wasm_split, fallible)]
fn qr_code(key_id: String) -> Result<String, leptos::wasm_split::SplitLoaderError> {
    Ok(qr_image(&key_id))
}

#[cfg(not(feature = "split-pages"))]
async fn qr_code(key_id: String) -> Result<String, ()> {
    Ok(qr_image(&key_id))
}
