//! The domain core: questionnaire model, answers, rules, validation, drafts and wording.
//!
//! Nothing in here knows about the browser: it builds and is tested natively with `cargo test`,
//! and is shared by the web app (`crate::ui`, `crate::web`) and, later, command-line tools.

pub mod answers;
// Generated from questionnaire/art32.json (see tests/definition.rs), laid out by prettyplease.
#[rustfmt::skip]
mod art32;
pub mod cycle;
pub mod diff;
pub mod draft;
pub mod handoff;
pub mod i18n;
pub mod keyfile;
pub mod model;
pub mod rules;
pub mod signer;
pub mod submission;
pub mod trust;
pub mod validate;
pub mod versions;
// Generated from questionnaire/versions.json (see tests/versions.rs).
#[rustfmt::skip]
mod versions_data;
