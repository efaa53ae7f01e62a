//! Fetching language catalogs. The first visit loads only the language in use; the others are
//! fetched when chosen (the service worker has them cached, so this works offline too).
//! The one-file edition carries every catalog inside the page, as JSON `<script>` elements
//! `locale-<tag>-ui` and `locale-<tag>-questionnaire`; they are read before any fetch.

use std::cell::RefCell;
use std::collections::HashMap;

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::core::i18n::Catalog;

thread_local! {
    /// Catalogs loaded so far, kept for the life of the page (at most six).
    static LOADED: RefCell<HashMap<&'static str, &'static Catalog>> = RefCell::new(HashMap::new());
}

/// The catalog of a shipped language, loaded once.
pub async fn load(tag: &'static str) -> Result<&'static Catalog, String> {
    if let Some(cat) = LOADED.with(|l| l.borrow().get(tag).copied()) {
        return Ok(cat);
    }
    let (ui, questionnaire, from) =
        if let (Some(ui), Some(q)) = (embedded(tag, "ui"), embedded(tag, "questionnaire")) {
            (ui, q, "page")
        } else {
            let ui = fetch_text(&format!("locales/{tag}/ui.json"));
            let q = fetch_text(&format!("locales/{tag}/questionnaire.json"));
            (ui.await?, q.await?, "fetch")
        };
    // Where the last catalog came from, for the tests and for anyone inspecting the page.
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-catalog-from", from);
    }
    let cat: &'static Catalog = Box::leak(Box::new(Catalog::from_json(&ui, &questionnaire)?));
    LOADED.with(|l| l.borrow_mut().insert(tag, cat));
    Ok(cat)
}

fn embedded(tag: &str, part: &str) -> Option<String> {
    let doc = web_sys::window()?.document()?;
    doc.get_element_by_id(&format!("locale-{tag}-{part}"))?
        .text_content()
}

/// Starts the request at once (both files of a language travel in parallel) and reads the body.
fn fetch_text(url: &str) -> impl std::future::Future<Output = Result<String, String>> {
    let request = web_sys::window().map(|w| JsFuture::from(w.fetch_with_str(url)));
    let url = url.to_owned();
    async move {
        let failed = |_| format!("{url}: not reachable");
        let response: web_sys::Response = request
            .ok_or("no window")?
            .await
            .map_err(failed)?
            .dyn_into()
            .map_err(|_| "not a response".to_owned())?;
        if !response.ok() {
            return Err(format!("{url}: HTTP {}", response.status()));
        }
        let text = JsFuture::from(response.text().map_err(failed)?)
            .await
            .map_err(failed)?;
        text.as_string().ok_or_else(|| format!("{url}: not text"))
    }
}
