//! Hand-offs: parts of one reply answered by other ministries, by file, and merged back.
//!
//! The focal point hands questions out in a signed **request** ([`Request`]); a contributor
//! answers them in a draft of their own and returns a signed **part** ([`Part`]); the focal point
//! merges the part into the reply, question by question against the answers that were handed out
//! ([`merge`], a three-way merge that reports conflicts instead of choosing). The focal point's
//! record of what it handed out, and of where each answer came from, is a [`Book`].
//!
//! Both files follow the submission's rules (`docs/handoff-format.md`): one JSON object, I-JSON,
//! integers only, and the same `signature` member over the RFC 8785 form of the rest, so any
//! verifier of submissions checks their signatures too. Their answers are in the draft's shapes
//! (row keys included: the merge follows rows by key). Nothing here panics on any input.

mod book;
mod files;
pub mod merge;

pub use book::*;
pub use files::*;

/// Value of the request's `format` member.
pub const REQUEST_FORMAT: &str = "untoc-art32-handoff-request";
/// Value of the part's `format` member.
pub const PART_FORMAT: &str = "untoc-art32-handoff-part";
/// The version of both formats this code writes and reads.
pub const HANDOFF_FORMAT_VERSION: u64 = 1;
/// The longest label of a contributor ("Financial Intelligence Unit"), in characters.
pub const MAX_LABEL_CHARS: usize = 120;
