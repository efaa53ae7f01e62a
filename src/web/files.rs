//! Files: saving text as a download, and reading a file the user picked.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Offers `text` as a download named `name`.
pub fn download(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "blob".to_owned())?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| "url".to_owned())?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("document")?;
    let a: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| "a")?
        .unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.set_hidden(true);
    document
        .body()
        .ok_or("body")?
        .append_child(&a)
        .map_err(|_| "append")?;
    a.click();
    a.remove();
    // Revoke later: some browsers start the download asynchronously.
    let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    if let Some(w) = web_sys::window() {
        let _ =
            w.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 10_000);
    }
    Ok(())
}

/// Why a picked file could not be read.
pub enum ReadError {
    TooLarge(f64),
    Unreadable,
}

/// The file input an event (a file picked) came from.
pub fn input_of(ev: &web_sys::Event) -> Option<web_sys::HtmlInputElement> {
    ev.target()?.dyn_into().ok()
}

/// Reads the first file of a file input as text, refusing files over `max` bytes without reading them.
pub async fn read_picked(
    input: &web_sys::HtmlInputElement,
    max: usize,
) -> Option<Result<(String, String), ReadError>> {
    let file = input.files()?.get(0)?;
    let name = file.name();
    if file.size() > max as f64 {
        return Some(Err(ReadError::TooLarge(file.size())));
    }
    let text = JsFuture::from(file.text())
        .await
        .ok()
        .and_then(|v| v.as_string());
    Some(text.map(|t| (name, t)).ok_or(ReadError::Unreadable))
}

/// Today's date as `YYYY-MM-DD` (local time), for file names.
pub fn today() -> String {
    let d = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date()
    )
}

/// Now as RFC 3339 in UTC, to the second.
pub fn now_utc() -> String {
    let iso = String::from(js_sys::Date::new_0().to_iso_string());
    // `2026-11-27T10:15:00.123Z` -> `2026-11-27T10:15:00Z`
    match iso.split_once('.') {
        Some((head, _)) => format!("{head}Z"),
        None => iso,
    }
}
