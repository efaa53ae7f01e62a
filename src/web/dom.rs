//! DOM helpers the components need: focusing and scrolling to an element by id, holding back a
//! change of layout until a click has landed, reading an input by id, asking to confirm.

use wasm_bindgen::JsCast;

pub(crate) fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a browser document")
}

/// Adds the stylesheet of the pages fetched later, once: its address is `<html data-pages-css>`,
/// which the build writes (the one-file edition has those styles inline, and no attribute). Not
/// awaited: it is small, and comes while the page's code does.
pub fn page_styles() {
    let doc = document();
    let Some(root) = doc.document_element() else {
        return;
    };
    let Some(href) = root.get_attribute("data-pages-css") else {
        return;
    };
    let _ = root.remove_attribute("data-pages-css");
    if let Some(head) = doc.head() {
        // The address is the build's own file name: nothing in it needs escaping.
        let _ = head.insert_adjacent_html(
            "beforeend",
            &format!(r#"<link rel="stylesheet" href="{href}">"#),
        );
    }
}

/// The input element with this id, if present.
pub fn input(id: &str) -> Option<web_sys::HtmlInputElement> {
    document().get_element_by_id(id)?.dyn_into().ok()
}

/// The value of the input with this id (empty if there is none).
pub fn input_value(id: &str) -> String {
    input(id).map(|i| i.value()).unwrap_or_default()
}

/// Whether the checkbox with this id is ticked (false if there is none).
pub fn checked(id: &str) -> bool {
    // Read as a property (`Reflect`, which the form imports already): `HtmlInputElement::checked`
    // would be one more import in the glue of every first visit.
    input(id).is_some_and(|i| {
        js_sys::Reflect::get(&i, &wasm_bindgen::JsValue::from_str("checked"))
            .is_ok_and(|v| v.as_bool() == Some(true))
    })
}

/// Asks the user to confirm, in the browser's own dialog; false if it cannot be shown.
pub fn confirm(question: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(question).ok())
        .unwrap_or(false)
}

/// Focuses the element with this id, if present (after the next frame, so it has been rendered).
pub fn focus_later(id: String) {
    leptos::prelude::request_animation_frame(move || {
        focus_and_show(document().get_element_by_id(&id))
    });
}

/// Focuses the first control inside the element with this id, from the next frame on: a control
/// whose code or wording is still on its way (a section's questions, a repeatable question's
/// rows) is waited for, up to `CONTROL_WAIT_FRAMES` frames (5 s at 60 Hz), unless the user puts
/// the focus somewhere meanwhile; failing that, the element is scrolled into view.
pub fn focus_first_control_later(id: String) {
    focus_first_control_within(id, CONTROL_WAIT_FRAMES);
}

const CONTROL_WAIT_FRAMES: u32 = 300;

fn focus_first_control_within(id: String, frames: u32) {
    leptos::prelude::request_animation_frame(move || {
        let container = document().get_element_by_id(&id);
        let control = container.as_ref().and_then(|c| {
            c.query_selector("input, select, textarea, button")
                .ok()
                .flatten()
        });
        // The link that asked is gone with its page: focus anywhere but the page itself is the
        // user's own doing, and wins.
        let user_moved = frames < CONTROL_WAIT_FRAMES
            && document()
                .active_element()
                .is_some_and(|e| e.tag_name() != "BODY");
        match control {
            Some(control) if !user_moved => focus_and_show(Some(control)),
            None if frames > 0 && !user_moved => focus_first_control_within(id, frames - 1),
            _ if user_moved => {}
            _ => focus_and_show(container),
        }
    });
}

/// Runs `f` at the start of the frame after the next one, once the next one is painted.
pub fn after_paint(f: impl FnOnce() + 'static) {
    leptos::prelude::request_animation_frame(move || leptos::prelude::request_animation_frame(f));
}

fn focus_and_show(el: Option<web_sys::Element>) {
    if let Some(el) = el.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = el.focus();
        let opts = web_sys::ScrollIntoViewOptions::new();
        opts.set_block(web_sys::ScrollLogicalPosition::Center);
        el.scroll_into_view_with_scroll_into_view_options(&opts);
    }
}

/// Sets `lang` and `dir` on the root element, so the whole page follows the chosen language.
pub fn set_document_language(lang: &str, rtl: bool) {
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("lang", lang);
        let _ = root.set_attribute("dir", if rtl { "rtl" } else { "ltr" });
    }
}

/// Ends the page's loading notice (`#boot` in `index.html`): removed once the app is mounted,
/// or, when no language could be loaded, replaced by the page's own failure text and the reason.
pub fn boot_done(error: Option<&str>) {
    let doc = document();
    let Some(boot) = doc.get_element_by_id("boot") else {
        return;
    };
    match error {
        None => boot.remove(),
        Some(e) => {
            if let Some(failed) = doc.get_element_by_id("boot-failed") {
                let _ = failed.remove_attribute("hidden");
                if let Some(detail) = doc.get_element_by_id("boot-detail") {
                    detail.set_text_content(Some(e));
                }
            }
            if let Some(busy) = doc.get_element_by_id("boot-busy") {
                busy.remove();
            }
        }
    }
}

pub fn set_title(title: &str) {
    document().set_title(title);
}

/// A User Timing measure (visible in the browser's performance tools, and read by the benchmark):
/// only the latest measure of each name is kept, so a long session does not accumulate entries.
pub struct Timing {
    name: &'static str,
    performance: Option<web_sys::Performance>,
}

impl Timing {
    pub fn start(name: &'static str) -> Timing {
        let performance = web_sys::window().and_then(|w| w.performance());
        if let Some(p) = &performance {
            let _ = p.mark(name);
        }
        Timing { name, performance }
    }

    pub fn end(self) {
        if let Some(p) = &self.performance {
            p.clear_measures_with_measure_name(self.name);
            let _ = p.measure_with_start_mark(self.name, self.name);
            p.clear_marks_with_mark_name(self.name);
        }
    }
}

/// Runs `f` once no mouse button, finger or pen is pressed on the page: at once, or when the press
/// ends, after its click. The problems a field shows when it is left are shown this way: pressing
/// on the control below a field leaves the field, and a message shown then would push that
/// control down before the release, so the click would land on something else, or nowhere.
pub fn after_press(f: impl FnOnce() + 'static) {
    if PRESS.with(|p| p.pressed.get()) {
        PRESS.with(|p| p.waiting.borrow_mut().push(Box::new(f)));
    } else {
        f();
    }
}

/// Follows presses on the page from now on, for [`after_press`]. Called once, at start-up.
pub fn watch_presses() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let listen = |event: &str, f: Box<dyn Fn()>| {
        let f = wasm_bindgen::closure::Closure::<dyn Fn()>::wrap(f);
        // Capturing, so that no handler can keep the page from seeing it.
        let _ = window.add_event_listener_with_callback_and_bool(
            event,
            f.as_ref().unchecked_ref(),
            true,
        );
        f.forget();
    };
    listen(
        "pointerdown",
        Box::new(|| PRESS.with(|p| p.pressed.set(true))),
    );
    // The click comes after the release: in the same task for a mouse, in a later one for a tap.
    // What waits runs after the click, or a moment after a release that makes none (a drag).
    let released = || {
        PRESS.with(|p| p.pressed.set(false));
        run_waiting_after(300);
    };
    listen("pointerup", Box::new(released));
    listen("pointercancel", Box::new(released));
    listen("click", Box::new(|| run_waiting_after(0)));
}

fn run_waiting_after(ms: u64) {
    // Most presses hold nothing back: no timer for them.
    if PRESS.with(|p| p.waiting.borrow().is_empty()) {
        return;
    }
    leptos::prelude::set_timeout(
        || {
            if PRESS.with(|p| p.pressed.get()) {
                return;
            }
            let waiting = PRESS.with(|p| std::mem::take(&mut *p.waiting.borrow_mut()));
            for f in waiting {
                f();
            }
        },
        std::time::Duration::from_millis(ms),
    );
}

#[derive(Default)]
struct Press {
    pressed: std::cell::Cell<bool>,
    waiting: std::cell::RefCell<Vec<Box<dyn FnOnce()>>>,
}

thread_local! {
    static PRESS: Press = Press::default();
}
