//! Components in a real browser (headless Chromium through wasm-bindgen-test): the app mounts,
//! follow-ups react to choices, and every change reaches local storage.
#![cfg(target_arch = "wasm32")]

use gloo_storage::{LocalStorage, Storage};
use untoc_art32::core::answers::Answer;
use untoc_art32::core::draft::Draft;
use untoc_art32::core::i18n::Catalog;
use untoc_art32::core::model::Questionnaire;
use untoc_art32::ui::App;
use untoc_art32::web::storage::{current_id, draft_key, scan, stored_revision, unreadable_key};
use untoc_art32::web::{intl, locales};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Event, EventInit, HtmlElement, HtmlInputElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Mounts a fresh app in its own container; the handle unmounts it when dropped.
async fn mount() -> (
    HtmlElement,
    leptos::mount::UnmountHandle<impl leptos::tachys::view::Mountable>,
) {
    let container: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&container).unwrap();
    // The runner's page has no `locales/` to fetch from: the English catalog comes with the test.
    let catalog: &'static Catalog = Box::leak(Box::new(
        Catalog::from_json(
            include_str!("../locales/en/ui.json"),
            include_str!("../locales/en/start.json"),
        )
        .and_then(|c| {
            c.with_rest(
                include_str!("../locales/en/questionnaire.json"),
                include_str!("../locales/en/pages.json"),
            )
        })
        .unwrap(),
    ));
    let handle =
        leptos::mount::mount_to(container.clone(), move || leptos::view! { <App catalog/> });
    leptos::task::tick().await;
    (container, handle)
}

fn fire(el: &web_sys::Element, kind: &str) {
    let init = EventInit::new();
    init.set_bubbles(true);
    el.dispatch_event(&Event::new_with_event_init_dict(kind, &init).unwrap())
        .unwrap();
}

fn find(root: &HtmlElement, selector: &str) -> web_sys::Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
}

/// The stored text of the draft the app has open.
fn stored_current() -> Option<String> {
    LocalStorage::raw()
        .get_item(&draft_key(&current_id()?))
        .unwrap()
}

/// The element, once it is there: a section other than the first is drawn a few tasks later
/// (`ui::lazy`; in these builds nothing is fetched, but the steps are the same).
async fn arrived(root: &HtmlElement, selector: &str) -> web_sys::Element {
    for _ in 0..100 {
        if let Some(el) = root.query_selector(selector).unwrap() {
            return el;
        }
        leptos::task::tick().await;
    }
    panic!("nothing matches {selector}, even after 100 ticks")
}

fn hidden(root: &HtmlElement, question: &str) -> bool {
    find(root, &format!("[data-question=\"{question}\"]")).has_attribute("hidden")
}

#[wasm_bindgen_test]
async fn renders_sections_and_the_first_section() {
    LocalStorage::clear();
    let (root, _app) = mount().await;
    assert_eq!(
        root.query_selector_all(".section-nav li").unwrap().length(),
        9
    );
    // S1: the reporting State is a labelled drop-down of every State (plus the placeholder).
    let select = find(&root, "[data-question=\"S1\"] select");
    let label = find(&root, &format!("label[for=\"{}\"]", select.id()));
    assert!(label.text_content().unwrap().contains("S1"));
    assert!(select.query_selector_all("option").unwrap().length() > 190);
    // Choices are fieldsets with legends.
    assert!(root
        .query_selector("[data-question=\"S2\"] fieldset > legend")
        .unwrap()
        .is_some());
    root.remove();
}

#[wasm_bindgen_test]
async fn a_choice_reveals_its_follow_up_and_every_change_is_saved() {
    LocalStorage::clear();
    let (root, _app) = mount().await;
    assert!(hidden(&root, "S3"));
    tick_box(&root, "S2", "party", true).await;
    assert!(!hidden(&root, "S3"), "S3 follows S2 = party");

    let stored = stored_current().expect("saved at once");
    assert!(
        stored.contains("\"S2\"") && stored.contains("party"),
        "{stored}"
    );

    tick_box(&root, "S2", "signatory", true).await;
    assert!(hidden(&root, "S3"), "S3 hides again");
    root.remove();
}

/// The stored selection of a multiple-choice question, from the open draft.
fn stored_selection(question: &str) -> Vec<String> {
    let draft: Draft = serde_json::from_str(&stored_current().unwrap()).unwrap();
    match draft.answers.0.get(question) {
        Some(Answer::Choice { selected, .. }) => selected.clone(),
        other => panic!("{question}: {other:?}"),
    }
}

/// Ticks or clears one option of a choice question, as a click does, once it is on screen.
async fn tick_box(root: &HtmlElement, question: &str, value: &str, on: bool) {
    let selector = format!("[data-question=\"{question}\"] input[value=\"{value}\"]");
    let input: HtmlInputElement = arrived(root, &selector).await.unchecked_into();
    input.set_checked(on);
    fire(&input, "change");
    leptos::task::tick().await;
}

#[wasm_bindgen_test]
async fn ticked_options_are_kept_in_the_definitions_order_and_exclusive_ones_stand_alone() {
    LocalStorage::clear();
    let (root, _app) = mount().await;
    tick_box(&root, "S2", "party", true).await;
    // S3's options, ticked last to first.
    for value in ["firearms", "som", "untoc"] {
        tick_box(&root, "S3", value, true).await;
    }
    assert_eq!(stored_selection("S3"), ["untoc", "som", "firearms"]);
    tick_box(&root, "S3", "som", false).await;
    tick_box(&root, "S3", "tip", true).await;
    assert_eq!(stored_selection("S3"), ["untoc", "tip", "firearms"]);

    // A1: "None" clears the rest, and another option clears "None".
    let link: HtmlElement =
        find(&root, ".section-nav [data-section=\"A\"] button").unchecked_into();
    link.click();
    tick_box(&root, "A1", "review_saq", true).await;
    tick_box(&root, "A1", "omnibus", true).await;
    assert_eq!(stored_selection("A1"), ["omnibus", "review_saq"]);
    tick_box(&root, "A1", "none", true).await;
    assert_eq!(stored_selection("A1"), ["none"]);
    tick_box(&root, "A1", "cop_questionnaires", true).await;
    assert_eq!(stored_selection("A1"), ["cop_questionnaires"]);
    root.remove();
}

/// A6's text box (a long answer, required), reached through the navigation, as a user would.
async fn a6(root: &HtmlElement) -> HtmlTextAreaElement {
    let link: HtmlElement = find(root, ".section-nav [data-section=\"A\"] button").unchecked_into();
    link.click();
    arrived(root, "[data-question=\"A6\"] textarea")
        .await
        .unchecked_into()
}

#[wasm_bindgen_test]
async fn typed_text_reaches_storage_synchronously() {
    LocalStorage::clear();
    let (root, _app) = mount().await;
    let area = a6(&root).await;
    area.set_value("Plan d’action national 2024–2028");
    fire(&area, "input");
    leptos::task::tick().await;
    let stored = stored_current().unwrap();
    assert!(stored.contains("Plan d’action national 2024–2028"));
    assert_eq!(
        find(&root, ".save-status")
            .get_attribute("data-save-state")
            .as_deref(),
        Some("saved")
    );
    root.remove();
}

/// Resolves in a task of its own, after the tasks already queued.
async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback(&resolve)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// A keystroke is stored in its own task; the checks follow in the next one, so that a frame due
/// shows the text first: section A's progress counts A6 (required) only then.
#[wasm_bindgen_test]
async fn the_checks_follow_a_keystroke_in_the_next_task() {
    LocalStorage::clear();
    let (root, _app) = mount().await;
    let area = a6(&root).await;
    let done = || {
        find(&root, ".section-nav [data-section=\"A\"] progress")
            .get_attribute("value")
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap()
    };
    let before = done();
    area.set_value("Plan national");
    fire(&area, "input");
    leptos::task::tick().await;
    assert!(stored_current().unwrap().contains("Plan national"));
    assert_eq!(done(), before, "not checked in the keystroke's task");
    next_task().await;
    leptos::task::tick().await;
    assert_eq!(done(), before + 1, "checked in the next task");
    root.remove();
}

#[wasm_bindgen_test]
fn the_list_of_drafts_is_newest_first_then_by_id() {
    LocalStorage::clear();
    let q = Questionnaire::builtin();
    for (id, saved_at) in [
        ("b", "2026-03-01T10:00:00Z"),
        ("d", "2026-05-01T10:00:00Z"),
        ("a", "2026-03-01T10:00:00Z"),
        ("c", "2026-04-01T10:00:00Z"),
    ] {
        let mut draft = Draft::new(q, id, id, "en");
        draft.saved_at = saved_at.to_owned();
        LocalStorage::raw()
            .set_item(&draft_key(id), &draft.to_json())
            .unwrap();
    }
    let ids: Vec<String> = scan(Draft::open, q)
        .iter()
        .map(|e| e.id().to_owned())
        .collect();
    assert_eq!(ids, ["d", "c", "a", "b"]);
    LocalStorage::clear();
}

#[wasm_bindgen_test]
async fn an_unreadable_draft_is_kept_aside_and_the_app_still_starts() {
    LocalStorage::clear();
    let garbage = "{\"format\":\"untoc-art32-draft\",\"answers\":{tru";
    LocalStorage::raw()
        .set_item(&draft_key("bad1"), garbage)
        .unwrap();
    let (root, _app) = mount().await;
    assert!(root
        .query_selector("[data-question=\"S1\"]")
        .unwrap()
        .is_some());
    let notice = find(&root, ".notice");
    assert!(
        notice.text_content().unwrap().contains("Damaged drafts"),
        "{:?}",
        notice.text_content()
    );
    assert_eq!(
        LocalStorage::raw()
            .get_item(&unreadable_key("bad1"))
            .unwrap()
            .as_deref(),
        Some(garbage)
    );
    assert_eq!(
        LocalStorage::raw().get_item(&draft_key("bad1")).unwrap(),
        None,
        "moved aside, not left to be overwritten"
    );
    root.remove();
}

/// The one-file edition carries its catalogs as JSON elements in the page: they are read, not fetched.
#[wasm_bindgen_test]
async fn a_catalog_in_the_page_is_used_without_fetching() {
    let parts = [
        ("ui", include_str!("../locales/zh/ui.json")),
        ("start", include_str!("../locales/zh/start.json")),
        (
            "questionnaire",
            include_str!("../locales/zh/questionnaire.json"),
        ),
        ("pages", include_str!("../locales/zh/pages.json")),
    ];
    for (part, text) in parts {
        let el = document().create_element("script").unwrap();
        el.set_attribute("type", "application/json").unwrap();
        el.set_id(&format!("locale-zh-{part}"));
        el.set_text_content(Some(text));
        document().body().unwrap().append_child(&el).unwrap();
    }
    let first = locales::load("zh", false)
        .await
        .expect("the embedded catalog loads");
    assert_eq!((first.lang.as_str(), first.whole), ("zh", false));
    let expected = Catalog::from_json(parts[0].1, parts[1].1).unwrap();
    assert_eq!(first.get("q.S1.label"), expected.get("q.S1.label"));
    // The first screen's catalog lacks the rest; the whole one has it, and the same first part.
    assert_eq!(first.get("q.A1.label"), "q.A1.label");
    assert_eq!(first.get("ui.still_to_answer"), "ui.still_to_answer");
    let whole = locales::load("zh", true)
        .await
        .expect("the whole catalog loads");
    assert!(whole.whole);
    let expected = expected.with_rest(parts[2].1, parts[3].1).unwrap();
    for key in ["q.A1.label", "ui.still_to_answer"] {
        assert_eq!(whole.get(key), expected.get(key));
        assert_ne!(whole.get(key), key);
    }
    assert_eq!(whole.get("q.S1.label"), first.get("q.S1.label"));
    // Loaded once: the same catalogs again, even once the elements are gone.
    for (part, _) in parts {
        document()
            .get_element_by_id(&format!("locale-zh-{part}"))
            .unwrap()
            .remove();
    }
    assert!(std::ptr::eq(
        first,
        locales::load("zh", false).await.unwrap()
    ));
    assert!(std::ptr::eq(
        whole,
        locales::load("zh", true).await.unwrap()
    ));
    // A language that is neither in the page nor on the server is an error, not a panic.
    assert!(locales::load("xx", false).await.is_err());
    assert!(locales::load("xx", true).await.is_err());
}

/// Dates and numbers are shown the reader's way, from canonical values.
#[wasm_bindgen_test]
fn dates_and_numbers_follow_the_language() {
    assert_eq!(intl::date("en-GB", "2024-03-01"), "1 March 2024");
    assert_eq!(intl::date("fr", "2024-01-01"), "1 janvier 2024");
    assert!(intl::date("zh", "2024-03-12").contains("2024年3月12日"));
    assert_eq!(intl::date("en", "not a date"), "not a date");
    // Shown in UTC whatever the reader's time zone, as the labels beside them say.
    assert_eq!(
        intl::date_time("en-GB", "2026-01-01T23:30:00Z"),
        "1 Jan 2026, 23:30"
    );
    assert_eq!(intl::number("en", 2024), "2024", "a year is not grouped");
    assert_eq!(intl::number("en", 12345), "12,345");
    assert_eq!(
        intl::number("fr", 12345).replace(['\u{202f}', '\u{a0}'], " "),
        "12 345"
    );
    // Sizes (the browser's storage): in the largest unit they fill, in the language's words.
    let spaced = |s: String| s.replace(['\u{202f}', '\u{a0}'], " ");
    assert_eq!(spaced(intl::bytes("en", 2_500.0)), "2.5 kB");
    assert_eq!(spaced(intl::bytes("en", 3_400_000.0)), "3.4 MB");
    assert_eq!(spaced(intl::bytes("en", 10_737_418_240.0)), "10.7 GB");
    assert_eq!(spaced(intl::bytes("fr", 10_737_418_240.0)), "10,7 Go");
}

/// A language's four catalog files, as shipped.
macro_rules! language_files {
    ($tag:literal) => {
        (
            $tag,
            include_str!(concat!("../locales/", $tag, "/ui.json")),
            include_str!(concat!("../locales/", $tag, "/start.json")),
            include_str!(concat!("../locales/", $tag, "/questionnaire.json")),
            include_str!(concat!("../locales/", $tag, "/pages.json")),
        )
    };
}

#[wasm_bindgen_test]
fn the_browser_reads_every_catalog_as_the_native_reader_does() {
    let languages = [
        language_files!("ar"),
        language_files!("zh"),
        language_files!("en"),
        language_files!("fr"),
        language_files!("ru"),
        language_files!("es"),
    ];
    for (tag, ui, start, rest, pages) in languages {
        let native = Catalog::from_json(ui, start).unwrap();
        let first = locales::first_screen(ui, start).unwrap();
        let whole = locales::with_rest(&first, rest, pages).unwrap();
        let native_whole = native.with_rest(rest, pages).unwrap();
        for (browser, native) in [(&first, &native), (&whole, &native_whole)] {
            assert_eq!(
                (&browser.lang, &browser.name, browser.dir, browser.whole),
                (&native.lang, &native.name, native.dir, native.whole),
                "{tag}"
            );
            assert_eq!(browser.messages, native.messages, "{tag}");
        }
        assert!(whole.messages.len() > first.messages.len(), "{tag}");
    }
    // What the native reader refuses, the browser's refuses too, naming the file.
    let (_, ui, start, rest, _) = language_files!("en");
    let refused = [
        locales::first_screen("not json", start),
        locales::first_screen("[1]", start),
        locales::first_screen(
            &ui.replacen("\"dir\": \"ltr\"", "\"dir\": \"up\"", 1),
            start,
        ),
        locales::first_screen(&ui.replacen("\"name\"", "\"names\"", 1), start),
        locales::first_screen(ui, r#"{"messages": {"a": 1}}"#),
        locales::first_screen(ui, r#"{"messages": {}, "extra": true}"#),
        // A key in two files.
        locales::first_screen(ui, r#"{"messages": {"ui.app_title": "again"}}"#),
    ];
    for (i, outcome) in refused.into_iter().enumerate() {
        match outcome {
            Ok(_) => panic!("case {i} is read, not refused"),
            Err(e) => assert!(e.contains(".json"), "case {i}: {e}"),
        }
    }
    let first = locales::first_screen(ui, start).unwrap();
    assert!(locales::with_rest(&first, rest, r#"{"messages": null}"#)
        .unwrap_err()
        .starts_with("pages.json"));
}

#[wasm_bindgen_test]
fn the_revision_of_a_draft_without_its_own_key_is_read_from_the_draft() {
    let id = "revision-test";
    LocalStorage::delete(format!("untoc-art32/rev/{id}"));
    let store = |text: &str| LocalStorage::raw().set_item(&draft_key(id), text).unwrap();
    store(r#"{"format": "untoc-art32-draft", "revision": 7, "answers": {}}"#);
    assert_eq!(stored_revision(id), Some(7));
    store(r#"{"format": "untoc-art32-draft", "answers": {}}"#);
    assert_eq!(
        stored_revision(id),
        Some(0),
        "no revision member: never written with one"
    );
    for unreadable in [
        "{\"revision\": 7",
        r#"{"revision": -1}"#,
        r#"{"revision": 1.5}"#,
        "[]",
    ] {
        store(unreadable);
        assert_eq!(stored_revision(id), None, "{unreadable}");
    }
    // Its own key, when there, is what counts.
    LocalStorage::raw()
        .set_item(&format!("untoc-art32/rev/{id}"), "9")
        .unwrap();
    assert_eq!(stored_revision(id), Some(9));
    LocalStorage::delete(format!("untoc-art32/rev/{id}"));
    LocalStorage::delete(draft_key(id));
    assert_eq!(stored_revision(id), None);
}
