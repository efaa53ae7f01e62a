//! The wording on screen: the catalog of the language in use, the language being loaded, and the
//! questionnaire's wording beyond the first screen.
//!
//! The app starts with the part of its language's catalog that the first screen needs (the
//! interface, every section's title, the whole first section: `ui.json` and `start.json`). The
//! rest (`questionnaire.json`, and `pages.json`, the interface of the lazy pages) is
//! fetched the first time another section or a lazy page is shown, and the catalog on
//! screen is replaced by the whole one; what needs it waits meanwhile (`lazy::later`: pages and
//! sections' questions).

use leptos::prelude::*;

use super::{Form, View};
use crate::core::i18n::{language, Catalog};
use crate::web::{locales, storage};

/// The wording's store. `Copy`: its signals are handles, each loaded catalog lives for the page.
#[derive(Clone, Copy)]
pub struct Wording {
    /// The catalog of the language on screen.
    catalog: RwSignal<&'static Catalog>,
    /// A language being loaded (its tag), for the menu's busy state.
    loading: RwSignal<Option<&'static str>>,
    /// The rest of the wording of the language on screen, when the catalog is not whole yet.
    rest: RwSignal<Rest>,
}

impl Wording {
    pub fn new(catalog: &'static Catalog) -> Wording {
        Wording {
            catalog: RwSignal::new(catalog),
            loading: RwSignal::new(None),
            rest: RwSignal::new(Rest::Idle),
        }
    }

    /// The catalog of the language on screen (reactive).
    #[inline]
    pub fn catalog(&self) -> &'static Catalog {
        self.catalog.get()
    }

    #[inline]
    pub fn catalog_untracked(&self) -> &'static Catalog {
        self.catalog.get_untracked()
    }

    /// Subscribes the running effect to changes of language (and of the wording's wholeness).
    #[inline]
    pub fn track_language(&self) {
        self.catalog.track();
    }

    /// The language being loaded, if any (reactive).
    #[inline]
    pub fn loading(&self) -> Option<&'static str> {
        self.loading.get()
    }

    /// Whether the rest of the wording could not be fetched (reactive).
    #[inline]
    pub fn rest_failed(&self) -> bool {
        self.rest.get() == Rest::Failed
    }
}

/// Shows the language `tag`, fetching its catalog the first time; if it cannot be fetched, the
/// language on screen stays and a message says why.
pub fn choose_language(form: Form, tag: &str) {
    let Some(lang) = language(tag) else { return };
    let wording = form.wording;
    wording.loading.set(Some(lang.tag));
    leptos::task::spawn_local(async move {
        // The same wording as on screen: the whole of it once the rest has been needed.
        let whole = wording.catalog.get_untracked().whole;
        match locales::load(lang.tag, whole).await {
            Ok(cat) => {
                storage::set_chosen_language(lang.tag);
                wording.catalog.set(cat);
            }
            Err(e) => {
                // The menu shows the language still on screen again.
                wording.catalog.set(wording.catalog.get_untracked());
                let msg = wording
                    .catalog
                    .get_untracked()
                    .format("ui.language_unavailable", &[("language", lang.name)]);
                form.shell.say(format!("{msg} ({e})"));
            }
        }
        wording.loading.set(None);
    });
}

/// The rest of the wording: not asked for (or arrived), on its way, or not fetched.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Rest {
    Idle,
    Loading,
    Failed,
}

impl View {
    /// Whether this view shows wording beyond the first screen's.
    pub fn needs_whole_wording(&self, form: Form) -> bool {
        !matches!(self, View::Section(id) if *id == form.q.sections[0].id)
    }
}

/// Fetches the rest of the wording whenever the view needs it and the catalog on screen lacks
/// it; after a failure, when a part is retried ([`Shell::retry_fetches`]: "Try again", or the
/// browser back online). Started once, by `App`.
///
/// [`Shell::retry_fetches`]: super::shell::Shell::retry_fetches
pub fn fetch_when_needed(form: Form) {
    let wording = form.wording;
    Effect::new(move |before: Option<()>| {
        form.shell.track_retries();
        if before.is_some() && wording.rest.get_untracked() == Rest::Failed {
            wording.rest.set(Rest::Idle);
        }
    });
    Effect::new(move |_| {
        let needed = form.shell.with_view(|v| v.needs_whole_wording(form))
            && !wording.catalog.with(|c| c.whole);
        if needed && wording.rest.get() == Rest::Idle {
            fetch_rest(form);
        }
    });
}

/// Fetches the rest of the wording of the language on screen (see [`fetch_when_needed`]); also
/// for a notice over the first section that needs it (a carried reply's).
pub fn fetch_rest(form: Form) {
    let wording = form.wording;
    if untrack(|| wording.catalog.with(|c| c.whole) || wording.rest.get() != Rest::Idle) {
        return;
    }
    let Some(tag) = wording
        .catalog
        .with_untracked(|c| language(&c.lang))
        .map(|l| l.tag)
    else {
        return;
    };
    wording.rest.set(Rest::Loading);
    leptos::task::spawn_local(async move {
        let loaded = locales::load(tag, true).await;
        // Another language may have been chosen meanwhile: then this one is not shown (and
        // the effect runs again for the new one once this fetch is over).
        match loaded {
            Ok(cat) if wording.catalog.with_untracked(|c| c.lang == cat.lang) => {
                wording.catalog.set(cat);
                wording.rest.set(Rest::Idle);
            }
            Ok(_) => wording.rest.set(Rest::Idle),
            Err(_) => wording.rest.set(Rest::Failed),
        }
    });
}

/// Whether the catalog on screen holds the whole wording (reactive; changes only when that does,
/// not with every change of language).
pub fn whole(form: Form) -> Memo<bool> {
    let catalog = form.wording.catalog;
    Memo::new(move |_| catalog.with(|c| c.whole))
}
