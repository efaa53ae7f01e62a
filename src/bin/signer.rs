//! The signer's Web Worker: Ed25519, SHA-256, PBKDF2/AES and RFC 8785 for the page, in a wasm of
//! its own that is loaded only when the page signs, verifies or backs up a key
//! (see `src/core/signer.rs` for the protocol and `src/web/signer.rs` for both ends).

#[cfg(target_arch = "wasm32")]
fn main() {
    untoc_art32::web::signer::serve();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The signer runs in the browser, as the web app's worker (see README.md).");
    std::process::exit(2);
}
