//! Durable storage: asking the browser not to evict this site's data, and how much is used.

use wasm_bindgen_futures::JsFuture;

fn manager() -> Option<web_sys::StorageManager> {
    Some(web_sys::window()?.navigator().storage())
}

/// Asks for persistent storage; `Some(true)` if granted (or already granted).
pub async fn request_persistence() -> Option<bool> {
    let m = manager()?;
    if JsFuture::from(m.persisted().ok()?).await.ok()?.as_bool() == Some(true) {
        return Some(true);
    }
    JsFuture::from(m.persist().ok()?).await.ok()?.as_bool()
}

/// Bytes used and available to this site, as the browser estimates them.
pub async fn estimate() -> Option<(f64, f64)> {
    let m = manager()?;
    let e: web_sys::StorageEstimate = JsFuture::from(m.estimate().ok()?).await.ok()?.into();
    Some((e.get_usage()?, e.get_quota()?))
}
