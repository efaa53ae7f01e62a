//! The service worker that keeps the app available offline (`sw.js`, written at build time by
//! the stamp step of `scripts/build.mjs`), and the "update available" signal.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorker, ServiceWorkerRegistration, ServiceWorkerState};

/// Registers the service worker (over http(s) only: a page opened from a file has none) and calls
/// `on_update` when a new version is installed and waiting for the user.
pub fn register(on_update: impl Fn() + Clone + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let protocol = window.location().protocol().unwrap_or_default();
    if protocol != "http:" && protocol != "https:" {
        return;
    }
    let container = window.navigator().service_worker();
    leptos::task::spawn_local(async move {
        let Ok(reg) = JsFuture::from(container.register("./sw.js")).await else {
            return;
        };
        // Not a registration where something stubs service workers out (privacy tools, test
        // browsers): then the app simply runs without one.
        let Ok(reg) = reg.dyn_into::<ServiceWorkerRegistration>() else {
            return;
        };
        let has_controller = move || {
            web_sys::window()
                .and_then(|w| w.navigator().service_worker().controller())
                .is_some()
        };
        // Tells the page when this worker has installed (the first install of all is not an
        // update: there is no older version in control then).
        let watch = move |worker: ServiceWorker, on_update: Box<dyn Fn()>| {
            let w2 = worker.clone();
            let on_state = Closure::<dyn Fn()>::new(move || {
                if w2.state() == ServiceWorkerState::Installed && has_controller() {
                    on_update();
                }
            });
            worker.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
            on_state.forget();
        };
        // A version that installed, or started installing, before this page was listening.
        if reg.waiting().is_some() && has_controller() {
            on_update();
        }
        if let Some(worker) = reg.installing() {
            watch(worker, Box::new(on_update.clone()));
        }
        let reg2 = reg.clone();
        let on_found = Closure::<dyn Fn()>::new(move || {
            if let Some(worker) = reg2.installing() {
                watch(worker, Box::new(on_update.clone()));
            }
        });
        reg.set_onupdatefound(Some(on_found.as_ref().unchecked_ref()));
        on_found.forget();
    });
}

/// Activates the waiting version and reloads the page once it is in control.
pub fn apply_update() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let container = window.navigator().service_worker();
    let reload = Closure::<dyn Fn()>::new(move || {
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    });
    container.set_oncontrollerchange(Some(reload.as_ref().unchecked_ref()));
    reload.forget();
    leptos::task::spawn_local(async move {
        let Ok(reg) = JsFuture::from(container.get_registration()).await else {
            return;
        };
        let Some(reg) = reg.dyn_ref::<ServiceWorkerRegistration>() else {
            return;
        };
        if let Some(waiting) = reg.waiting() {
            let _ = ServiceWorker::post_message(&waiting, &"skipWaiting".into());
        }
    });
}
