//! Fetching language catalogs. The first visit loads only the language in use, and of it only
//! what the first screen needs (`ui.json`, `start.json`); the rest of its wording
//! (`questionnaire.json`, `pages.json`) is fetched when first needed, and other languages when
//! chosen (the service worker has them all cached, so this works offline too).
//! The one-file edition carries every catalog inside the page, as JSON `<script>` elements
//! `locale-<tag>-<part>`; they are read before any fetch.

use std::cell::RefCell;
use std::future::Future;

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::core::i18n::{Catalog, Direction};
use crate::web::json;

thread_local! {
    /// Catalogs loaded so far, with their language and wholeness, kept for the life of the page
    /// (two per language at most: a list is enough).
    static LOADED: RefCell<Vec<(&'static str, bool, &'static Catalog)>> = const { RefCell::new(Vec::new()) };
}

/// The catalog of a shipped language, loaded once: what the first screen needs, or (`whole`) all
/// of its wording. The parts missing travel in parallel.
pub async fn load(tag: &'static str, whole: bool) -> Result<&'static Catalog, String> {
    let loaded = |whole| {
        LOADED.with(|l| {
            l.borrow()
                .iter()
                .find(|&&(t, w, _)| t == tag && w == whole)
                .map(|&(_, _, cat)| cat)
        })
    };
    if let Some(cat) = loaded(whole) {
        return Ok(cat);
    }
    let rest = whole.then(|| (part(tag, "questionnaire"), part(tag, "pages")));
    let start = match loaded(false) {
        Some(cat) => cat,
        None => {
            let (ui, start) = (part(tag, "ui"), part(tag, "start"));
            let cat = first_screen(&ui.await?, &start.await?)?;
            keep(tag, cat)
        }
    };
    match rest {
        None => Ok(start),
        Some((rest, pages)) => Ok(keep(tag, with_rest(start, &rest.await?, &pages.await?)?)),
    }
}

/// What `Catalog::from_json` reads, read with the browser's JSON parser (`web::json`): the
/// language and its first screen's texts. Unknown members are refused, as there.
pub fn first_screen(ui: &str, start: &str) -> Result<Catalog, String> {
    let head = |e: String| format!("ui.json: {e}");
    let object = json::object(ui).map_err(head)?;
    only_members(&object, &["lang", "name", "dir", "messages"]).map_err(head)?;
    let dir = json::string(&object, "dir").map_err(head)?;
    let dir = Direction::named(&dir).ok_or_else(|| head(format!("unknown direction {dir}")))?;
    let mut catalog = Catalog::new(
        json::string(&object, "lang").map_err(head)?,
        json::string(&object, "name").map_err(head)?,
        dir,
    );
    add(&mut catalog, object, "ui.json")?;
    add_file(&mut catalog, start, "start.json")?;
    Ok(catalog)
}

/// What `Catalog::with_rest` reads, read with the browser's JSON parser.
pub fn with_rest(start: &Catalog, questionnaire: &str, pages: &str) -> Result<Catalog, String> {
    let mut catalog = start.clone();
    add_file(&mut catalog, questionnaire, "questionnaire.json")?;
    add_file(&mut catalog, pages, "pages.json")?;
    catalog.whole = true;
    Ok(catalog)
}

fn only_members(object: &js_sys::Object, allowed: &[&str]) -> Result<(), String> {
    match json::names(object)
        .into_iter()
        .find(|n| !allowed.contains(&n.as_str()))
    {
        Some(name) => Err(format!("unknown member \"{name}\"")),
        None => Ok(()),
    }
}

/// Adds the texts of a file that holds texts only (`{"messages": {..}}`).
fn add_file(catalog: &mut Catalog, text: &str, file: &str) -> Result<(), String> {
    let object = json::object(text).map_err(|e| format!("{file}: {e}"))?;
    only_members(&object, &["messages"]).map_err(|e| format!("{file}: {e}"))?;
    add(catalog, object, file)
}

/// Adds the `messages` of one file.
fn add(catalog: &mut Catalog, file_object: js_sys::Object, file: &str) -> Result<(), String> {
    let messages =
        json::member(&file_object, "messages").ok_or_else(|| format!("{file}: no \"messages\""))?;
    let texts = json::strings(messages).map_err(|e| format!("{file}: {e}"))?;
    catalog.add_texts(file, texts)
}

fn keep(tag: &'static str, cat: Catalog) -> &'static Catalog {
    let cat: &'static Catalog = Box::leak(Box::new(cat));
    LOADED.with(|l| l.borrow_mut().push((tag, cat.whole, cat)));
    cat
}

/// One file of a language, from the page if it is there, else fetched (the request starts at
/// once). Says on the root element where it came from, for the tests and anyone inspecting the
/// page (`data-catalog-from`: `page` or `fetch`).
fn part(tag: &str, part: &str) -> impl Future<Output = Result<String, String>> {
    let embedded = embedded(tag, part);
    let from = if embedded.is_some() { "page" } else { "fetch" };
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-catalog-from", from);
    }
    let text = embedded.ok_or_else(|| fetch_text(&format!("locales/{tag}/{part}.json")));
    async move {
        match text {
            Ok(text) => Ok(text),
            Err(request) => request.await,
        }
    }
}

fn embedded(tag: &str, part: &str) -> Option<String> {
    let doc = web_sys::window()?.document()?;
    doc.get_element_by_id(&format!("locale-{tag}-{part}"))?
        .text_content()
}

/// Starts the request at once (both files of a language travel in parallel) and reads the body.
fn fetch_text(url: &str) -> impl Future<Output = Result<String, String>> {
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
