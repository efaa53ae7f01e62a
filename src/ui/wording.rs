//! The questionnaire's wording beyond the first screen.
//!
//! The app starts with the part of its language's catalog that the first screen needs (the
//! interface, every section's title, the whole first section: `ui.json` and `start.json`). The
//! rest (`questionnaire.json`, and `pages.json`, the interface of the lazy pages) is
//! fetched the first time another section or a lazy page is shown, and the catalog on
//! screen is replaced by the whole one; what needs it waits meanwhile (`lazy::later`: pages and
//! sections' questions).

use leptos::prelude::*;

use super::{Form, View};
use crate::core::i18n::language;

/// The rest of the wording: not asked for (or arrived), on its way, or not fetched.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Rest {
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
/// it; after a failure, when a part is retried ([`Form::retry_fetches`]: "Try again", or the
/// browser back online). Started once, by `App`.
pub fn fetch_when_needed(form: Form) {
    Effect::new(move |before: Option<()>| {
        form.retry_fetches.track();
        if before.is_some() && form.rest.get_untracked() == Rest::Failed {
            form.rest.set(Rest::Idle);
        }
    });
    Effect::new(move |_| {
        let needed =
            form.view.with(|v| v.needs_whole_wording(form)) && !form.catalog.with(|c| c.whole);
        if !needed || form.rest.get() != Rest::Idle {
            return;
        }
        let Some(tag) = form
            .catalog
            .with_untracked(|c| language(&c.lang))
            .map(|l| l.tag)
        else {
            return;
        };
        form.rest.set(Rest::Loading);
        leptos::task::spawn_local(async move {
            let loaded = crate::web::locales::load(tag, true).await;
            // Another language may have been chosen meanwhile: then this one is not shown (and
            // the effect runs again for the new one once this fetch is over).
            match loaded {
                Ok(cat) if form.catalog.with_untracked(|c| c.lang == cat.lang) => {
                    form.catalog.set(cat);
                    form.rest.set(Rest::Idle);
                }
                Ok(_) => form.rest.set(Rest::Idle),
                Err(_) => form.rest.set(Rest::Failed),
            }
        });
    });
}

/// Whether the catalog on screen holds the whole wording (reactive; changes only when that does,
/// not with every change of language).
pub fn whole(form: Form) -> Memo<bool> {
    Memo::new(move |_| form.catalog.with(|c| c.whole))
}
