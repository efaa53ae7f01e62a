//! Thin browser glue: local storage, files, durable storage and a few DOM helpers.
//! No questionnaire logic lives here.

pub mod dom;
pub mod files;
pub mod intl;
pub mod json;
pub mod keys;
pub mod locales;
pub mod offline;
pub mod persist;
pub mod signer;
pub mod storage;
