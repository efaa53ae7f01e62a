//! Thin browser glue: local storage and a few DOM helpers. No questionnaire logic lives here.

pub mod dom;
pub mod storage;
