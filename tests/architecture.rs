//! ARCHITECTURE.md stays short and true.
//!
//! The document names files, folders and modules in backticks. Code moves; a name left behind
//! sends a reader to something that is not there. So every path-like name in backticks (one
//! containing a `/`, or ending in a file extension) must exist relative to the crate root, every
//! `core::x`, `web::x` and `ui::x` must be a module `src/<layer>/x.rs` or `src/<layer>/x/mod.rs`,
//! and the file stays within 12,000 bytes, so that it is read whole.
//! A placeholder such as `locales/<lang>/` is checked up to the placeholder (`locales/`).

use std::path::Path;

const MAX_BYTES: usize = 12_000;
const EXTENSIONS: &[&str] = &[
    "rs", "mjs", "js", "sh", "md", "json", "toml", "html", "css", "py", "lock", "svg",
];

fn document() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("ARCHITECTURE.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The text of every inline code span, outside fenced code blocks (the diagram).
fn code_spans(doc: &str) -> Vec<&str> {
    let mut spans = Vec::new();
    let mut fenced = false;
    for line in doc.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if !fenced {
            // Between backticks: the odd pieces.
            spans.extend(line.split('`').skip(1).step_by(2));
        }
    }
    spans
}

/// The path a word of a code span names, if it looks like one.
fn path_in(word: &str) -> Option<&str> {
    let word = word.trim_matches(|c| matches!(c, ',' | ';' | ':' | '(' | ')'));
    let has_extension = word
        .rsplit_once('.')
        .is_some_and(|(stem, ext)| !stem.is_empty() && EXTENSIONS.contains(&ext));
    if !word.contains('/') && !has_extension {
        return None;
    }
    // A placeholder (`<lang>`, `*`): check the folders before it.
    match word.find(['<', '*']) {
        Some(at) => word[..at].rfind('/').map(|slash| &word[..=slash]),
        None => Some(word),
    }
}

/// Every `layer::module` named in a code span (`ui::lazy::LazyPage` gives `("ui", "lazy")`).
/// Only lowercase names count: `ui::View` is a type of the layer's `mod.rs`.
fn modules_in(span: &str) -> Vec<(&'static str, &str)> {
    let mut found = Vec::new();
    for layer in ["core", "web", "ui"] {
        let prefix = format!("{layer}::");
        for (at, _) in span.match_indices(&prefix) {
            let before = span[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue; // part of a longer name
            }
            let rest = &span[at + prefix.len()..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            let module = &rest[..end];
            if module.starts_with(|c: char| c.is_ascii_lowercase()) {
                found.push((layer, module));
            }
        }
    }
    found
}

#[test]
fn architecture_md_is_at_most_12000_bytes() {
    let bytes = document().len();
    assert!(
        bytes <= MAX_BYTES,
        "ARCHITECTURE.md is {bytes} bytes, over {MAX_BYTES}: move detail to the code's own comments or to docs/"
    );
}

#[test]
fn every_path_in_architecture_md_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = document();
    let missing: Vec<&str> = code_spans(&doc)
        .into_iter()
        .flat_map(str::split_whitespace)
        .filter_map(path_in)
        .filter(|path| !root.join(path).exists())
        .collect();
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md names paths that do not exist: {missing:?}"
    );
}

#[test]
fn every_module_in_architecture_md_exists() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let doc = document();
    let missing: Vec<String> = code_spans(&doc)
        .into_iter()
        .flat_map(modules_in)
        .filter(|(layer, module)| {
            !src.join(layer).join(format!("{module}.rs")).exists()
                && !src.join(layer).join(module).join("mod.rs").exists()
        })
        .map(|(layer, module)| format!("{layer}::{module} (src/{layer}/{module}.rs)"))
        .collect();
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md names modules that do not exist: {missing:?}"
    );
}

#[test]
fn the_checks_find_what_they_look_for() {
    assert_eq!(path_in("scripts/build.mjs"), Some("scripts/build.mjs"));
    assert_eq!(path_in("tests/e2e/"), Some("tests/e2e/"));
    assert_eq!(path_in("index.html"), Some("index.html"));
    assert_eq!(path_in("locales/<lang>/ui.json"), Some("locales/"));
    assert_eq!(path_in("Draft::open"), None);
    assert_eq!(path_in("--strict"), None);
    assert_eq!(
        modules_in("crate::ui::lazy::LazyPage and web::signer::serve"),
        vec![("web", "signer"), ("ui", "lazy")]
    );
    assert_eq!(modules_in("ui::View"), vec![]);
    let spans = code_spans("a `x` b `y z`\n```\n`not this`\n```\n`w`");
    assert_eq!(spans, vec!["x", "y z", "w"]);
}
