//! Offline questionnaire for States reporting under Article 32 of the United Nations Convention
//! against Transnational Organized Crime. See `ARCHITECTURE.md` for the map.

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod ui;
#[cfg(target_arch = "wasm32")]
pub mod web;
