//! The signing key and the secretariat address, kept in this browser only.
//!
//! The key is 32 bytes from the browser's cryptographic random source, stored (hex) under
//! `untoc-art32/signing-key`. It never leaves the browser except in a passphrase-protected backup
//! the user saves on purpose.

use gloo_storage::{LocalStorage, Storage};

const KEY: &str = "untoc-art32/signing-key";
const RECIPIENT: &str = "untoc-art32/recipient";
/// The key id of the key last backed up to a file, and the date: `<key id> <YYYY-MM-DD>`.
const BACKUP: &str = "untoc-art32/key-backup";
/// The secretariat's signed list of registered keys, as imported, and the secretariat's key id.
const TRUST_LIST: &str = "untoc-art32/trust-list";
const SECRETARIAT: &str = "untoc-art32/secretariat";
/// The key rotation statements made in this browser: a JSON array of signed statements
/// (`core::trust::read_kept`), which the signer reads.
const ROTATIONS: &str = "untoc-art32/key-rotations";

/// `n` bytes from `crypto.getRandomValues`.
pub fn random<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .expect("the browser has a cryptographic random source")
        .get_random_values_with_u8_array(&mut buf)
        .expect("random bytes");
    buf
}

pub fn load() -> Option<[u8; 32]> {
    let text = LocalStorage::raw().get_item(KEY).ok().flatten()?;
    let bytes: Vec<u8> = (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect::<Option<_>>()?;
    bytes.try_into().ok()
}

pub fn store(secret: &[u8; 32]) -> Result<(), String> {
    let hex: String = secret.iter().map(|b| format!("{b:02x}")).collect();
    LocalStorage::raw()
        .set_item(KEY, &hex)
        .map_err(|_| "storage".to_owned())
}

/// When the key with this id was last backed up to a file (`YYYY-MM-DD`), if it was: a
/// replaced key's backup does not count for the new one.
pub fn backed_up(key_id: &str) -> Option<String> {
    let text = LocalStorage::raw().get_item(BACKUP).ok().flatten()?;
    let (id, date) = text.split_once(' ')?;
    (id == key_id).then(|| date.to_owned())
}

/// Records that the key with this id is in a backup file made (or opened) on `date`.
pub fn set_backed_up(key_id: &str, date: &str) {
    let _ = LocalStorage::raw().set_item(BACKUP, &format!("{key_id} {date}"));
}

/// The secretariat's list of registered keys (its text) and the secretariat's key id the user
/// confirmed for it, if a list was imported.
pub fn trust_list() -> Option<(String, String)> {
    let storage = LocalStorage::raw();
    let key = storage.get_item(SECRETARIAT).ok().flatten()?;
    let list = storage.get_item(TRUST_LIST).ok().flatten()?;
    Some((key, list))
}

/// Keeps an imported list, with the secretariat's key id the user confirmed.
pub fn set_trust_list(secretariat: &str, text: &str) -> Result<(), String> {
    let storage = LocalStorage::raw();
    storage
        .set_item(TRUST_LIST, text)
        .and_then(|()| storage.set_item(SECRETARIAT, secretariat))
        .map_err(|_| "storage".to_owned())
}

/// The key rotation statements made here (empty: none).
pub fn rotations() -> String {
    LocalStorage::raw()
        .get_item(ROTATIONS)
        .ok()
        .flatten()
        .unwrap_or_default()
}

/// Keeps the key rotation statements, a new one added (`core::trust::rotate`).
pub fn set_rotations(text: &str) -> Result<(), String> {
    LocalStorage::raw()
        .set_item(ROTATIONS, text)
        .map_err(|_| "storage".to_owned())
}

pub fn recipient() -> String {
    LocalStorage::raw()
        .get_item(RECIPIENT)
        .ok()
        .flatten()
        .unwrap_or_default()
}

pub fn set_recipient(address: &str) {
    let _ = LocalStorage::raw().set_item(RECIPIENT, address);
}
