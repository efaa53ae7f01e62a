//! Both ends of the signer's worker (`crate::core::signer` has the protocol).
//!
//! - [`run`], in the page: starts the worker the first time it is needed, sends it a job and
//!   waits for the reply. The worker's address is the `data-signer` attribute of `<html>`, which
//!   the build writes (a content-hashed file of the build; a `blob:` address in the one-file
//!   edition).
//! - [`serve`], in the worker: answers every message with [`crate::core::signer::handle`].
//!
//! If the worker cannot start or dies, every waiting job gets [`Unavailable`] and the next job
//! starts a new worker.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::core::signer::{self, Done, Job};

/// The worker could not be started, or stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unavailable;

type Settle = (js_sys::Function, js_sys::Function);

struct Client {
    worker: web_sys::Worker,
    /// Settles once the worker's wasm is running.
    ready: js_sys::Promise,
    waiting: Rc<RefCell<HashMap<u32, Settle>>>,
    next_id: Cell<u32>,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

thread_local! {
    static CLIENT: RefCell<Option<Rc<Client>>> = const { RefCell::new(None) };
    /// A client whose worker failed, kept until the next failure: its error handler may still be
    /// running when it is replaced.
    static RETIRED: RefCell<Option<Rc<Client>>> = const { RefCell::new(None) };
}

/// Starts the worker now, so that the first job does not wait for it (the export page calls this
/// when it opens).
pub fn warm_up() {
    let _ = client();
}

/// Sends `job` to the worker and waits for what it did.
pub async fn run(job: Job) -> Result<Done, Unavailable> {
    let client = client().ok_or(Unavailable)?;
    JsFuture::from(client.ready.clone())
        .await
        .map_err(|_| Unavailable)?;
    let id = client.next_id.get();
    client.next_id.set(id.wrapping_add(1).max(1));
    let (reply, settle) = deferred();
    client.waiting.borrow_mut().insert(id, settle);
    client
        .worker
        .post_message(&JsValue::from_str(&signer::message(id, &job)))
        .map_err(|_| Unavailable)?;
    let text = JsFuture::from(reply)
        .await
        .map_err(|_| Unavailable)?
        .as_string()
        .ok_or(Unavailable)?;
    signer::read_reply(&text)
        .map(|(_, done)| done)
        .ok_or(Unavailable)
}

fn client() -> Option<Rc<Client>> {
    if let Some(c) = CLIENT.with_borrow(Clone::clone) {
        return Some(c);
    }
    let url = web_sys::window()?
        .document()?
        .document_element()?
        .get_attribute("data-signer")?;
    let worker = web_sys::Worker::new(&url).ok()?;
    let waiting: Rc<RefCell<HashMap<u32, Settle>>> = Rc::default();
    let (ready, (ready_resolve, ready_reject)) = deferred();

    let on_message = {
        let waiting = waiting.clone();
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let Some(text) = ev.data().as_string() else {
                return;
            };
            if text == "ready" {
                let _ = ready_resolve.call0(&JsValue::NULL);
                return;
            }
            let id = signer::split(&text).map_or(0, |(id, _)| id);
            let settle = waiting.borrow_mut().remove(&id);
            match settle {
                Some((resolve, _)) => {
                    let _ = resolve.call1(&JsValue::NULL, &JsValue::from_str(&text));
                }
                // A reply no job waits for means the two ends disagree: fail everything waiting.
                None => fail_all(&waiting),
            }
        })
    };
    let on_error = {
        let waiting = waiting.clone();
        Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
            ev.prevent_default();
            let _ = ready_reject.call0(&JsValue::NULL);
            fail_all(&waiting);
            if let Some(c) = CLIENT.with_borrow_mut(Option::take) {
                c.worker.terminate();
                RETIRED.with_borrow_mut(|r| *r = Some(c));
            }
        })
    };
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let client = Rc::new(Client {
        worker,
        ready,
        waiting,
        next_id: Cell::new(1),
        _on_message: on_message,
        _on_error: on_error,
    });
    CLIENT.with_borrow_mut(|c| *c = Some(client.clone()));
    Some(client)
}

/// A promise and the two functions that settle it.
fn deferred() -> (js_sys::Promise, Settle) {
    let mut settle = None;
    let promise = js_sys::Promise::new(&mut |resolve, reject| settle = Some((resolve, reject)));
    (
        promise,
        settle.expect("the promise's executor runs at once"),
    )
}

fn fail_all(waiting: &RefCell<HashMap<u32, Settle>>) {
    let all: Vec<Settle> = waiting.borrow_mut().drain().map(|(_, s)| s).collect();
    for (_, reject) in all {
        let _ = reject.call0(&JsValue::NULL);
    }
}

/// The worker's side: answers every job, then says it is ready.
pub fn serve() {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_to = scope.clone();
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            if let Some(request) = ev.data().as_string() {
                let _ = reply_to.post_message(&JsValue::from_str(&signer::handle(&request)));
            }
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let _ = scope.post_message(&JsValue::from_str("ready"));
}
