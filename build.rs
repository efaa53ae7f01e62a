//! Links the app's wasm with its relocations, which `wasm-split` needs to move the pages beside
//! the form into modules of their own (the split step of scripts/build.mjs). Only that binary: the signer's
//! worker and the tests are linked as usual.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo::rustc-link-arg-bin=untoc-art32=--emit-relocs");
    }
}
