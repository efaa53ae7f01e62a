//! Signed submissions: the file a State sends to the secretariat.
//!
//! A submission is one JSON object holding the visible answers in export shapes (see
//! `docs/submission-format.md`, the contract with outside verifiers), signed with Ed25519 over the
//! RFC 8785 (JCS) canonical form of the whole object less `signature.value`.
//!
//! - [`build`] turns a complete, valid reply into an [`Unsigned`] submission;
//! - [`sign`] signs it and returns the file's text;
//! - [`verify`] checks a file's bytes and returns what it says ([`Verified`]) or why not ([`VerifyError`]);
//! - [`extras`] reads what a verified submission says beyond its answers (contributors, key rotations);
//! - [`to_answers`] reads a verified submission back into [`Answers`](crate::core::answers::Answers) ("continue as a new draft").
//!
//! Nothing here panics on any input to [`verify`].

mod build;
mod exported;
mod extras;
mod import;
mod keys;
mod report;
mod verify;

pub use build::*;
pub use exported::*;
pub use extras::*;
pub use import::*;
pub use keys::*;
pub use report::*;
pub use verify::*;

/// Value of the `format` member.
pub const FORMAT: &str = "untoc-art32-submission";
/// Value of the `format_version` member this code writes and reads.
pub const FORMAT_VERSION: u64 = 1;
/// Value of `signature.algorithm`: pure Ed25519 (RFC 8032).
pub const ALGORITHM: &str = "Ed25519";
/// Value of `signature.canonicalization`: the JSON Canonicalization Scheme (RFC 8785).
pub const CANONICALIZATION: &str = "RFC8785";
/// The largest file [`verify`] reads, checked before parsing (8 MiB).
pub const MAX_SUBMISSION_BYTES: usize = 8 * 1024 * 1024;
/// The largest magnitude of an integer in a submission: 2^53 − 1, the I-JSON limit, so that every
/// number survives RFC 8785 canonicalization (which writes numbers as IEEE 754 doubles) unchanged.
pub const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;
/// The question whose answer names the reporting State.
pub const STATE_QUESTION: &str = "S1";

/// Top-level members, all required, no others allowed.
const MEMBERS: [&str; 9] = [
    "format",
    "format_version",
    "questionnaire",
    "state",
    "language",
    "answers",
    "generated_at",
    "app_version",
    "signature",
];
/// Top-level members a submission may have: who supplied parts of the reply
/// (`core::handoff`), and the statements by which the State's earlier keys vouch for the one
/// that signed (`core::trust`).
const OPTIONAL_MEMBERS: [&str; 3] = ["contributors", "previous", "rotations"];
/// Members of `signature`, all required, no others allowed.
const SIGNATURE_MEMBERS: [&str; 6] = [
    "algorithm",
    "canonicalization",
    "public_key",
    "key_id",
    "signed_at",
    "value",
];
