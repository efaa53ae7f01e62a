//! The signer: every job that needs Ed25519, SHA-256, PBKDF2/AES or RFC 8785, behind one
//! message-shaped interface.
//!
//! In the browser the signer runs in a Web Worker with its own small wasm (`src/bin/signer.rs`),
//! loaded only when the export or "open a submission" page needs it. The form's wasm therefore
//! carries no cryptography, and the 600,000 PBKDF2 rounds of a key backup never freeze the page.
//!
//! A message is a string: the request id in decimal, one space, then the [`Job`] (or, in the
//! reply, the [`Done`]) as JSON. [`handle`] turns a request into its reply; it is a pure function,
//! so the whole protocol is tested natively.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::core::handoff::{self, HandoffError};
use crate::core::keyfile::{self, KeyFileError};
use crate::core::submission::{self, Timestamp, Unsigned, Verified, VerifyError};
use crate::core::trust;

/// What the page asks of the signer. Random bytes (keys, salts, IVs) come from the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Job {
    /// Sign the members of a submission made by [`submission::build`].
    Sign {
        document: Map<String, Value>,
        secret: [u8; 32],
        signed_at: Timestamp,
        /// The key rotation statements this browser keeps ([`trust::read_kept`]'s text): those
        /// that lead to the signing key from earlier keys of the document's State become its
        /// `rotations` member. Empty for hand-off files.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        rotations: String,
    },
    /// Have the key `old` vouch for the key `new` of `state` ([`trust::rotate`]), given the
    /// statements kept so far (`kept`).
    Rotate {
        old: [u8; 32],
        new: [u8; 32],
        state: String,
        rotated_at: Timestamp,
        kept: String,
    },
    /// Check a file that claims to be a signed submission.
    Verify { text: String },
    /// The key id (fingerprint) of a secret key.
    KeyId { secret: [u8; 32] },
    /// Back a key up under a passphrase ([`keyfile::lock`]).
    Lock {
        secret: [u8; 32],
        passphrase: String,
        salt: [u8; 16],
        iv: [u8; 16],
    },
    /// Open a key backup ([`keyfile::unlock`]).
    Unlock { pem: String, passphrase: String },
    /// Read the secretariat's list of registered keys (`core::trust`): checked, and who signed it.
    ReadList { text: String },
    /// Where a valid submission's key stands by a list signed by the key `secretariat`.
    Standing {
        submission: String,
        list: String,
        secretariat: String,
    },
    /// Check a hand-off file's signature and envelope (`core::handoff::verify_handoff`): a part
    /// if `part`, else a request. The page reads its members.
    ReadHandoff { text: String, part: bool },
}

/// A hand-off file once its signature holds: its members (to be read by the page, which knows
/// the questionnaire), who signed it, and its SHA-256 (lowercase hex).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignedFile {
    pub members: Map<String, Value>,
    pub signer: submission::Signer,
    pub sha256: String,
}

/// Why a hand-off file is refused by the signer, told apart so the page can word each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileRefused {
    /// Well formed, but the signature does not match: changed after signing.
    Tampered,
    /// Another kind of file: a submission, a request where a part was expected, or the reverse.
    OtherKind,
    /// Not a signed file of this app; the reason in English.
    Malformed(String),
}

/// What a trust list is, once checked: who signed it, its number and date, and how many keys of
/// how many States it registers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListInfo {
    pub key_id: String,
    pub sequence: u64,
    pub issued_at: Timestamp,
    pub states: usize,
    pub keys: usize,
}

/// What the signer answers, one variant per [`Job`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Done {
    /// The text of the signed file, its SHA-256 (hex) and the signing key's id.
    Signed {
        text: String,
        sha256: String,
        key_id: String,
    },
    Checked(Checked),
    KeyId(String),
    /// A key backup (PEM) and the key's id, for the file name.
    Locked(Result<(String, String), KeyFileError>),
    Unlocked(Result<[u8; 32], KeyFileError>),
    /// The list, or why it is refused (English, [`trust::TrustError`]'s wording).
    ListRead(Result<ListInfo, String>),
    /// The submission's standing, or why it could not be told (the list or the file refused).
    Standing(Result<trust::Standing, String>),
    Handoff(Result<SignedFile, FileRefused>),
    /// The statements to keep, the new one added; or why none was made.
    Rotated(Result<String, String>),
    /// The request could not be read (a bug in the page, never the user's doing).
    BadRequest(String),
}

/// The verdict on a submission file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Checked {
    Valid(Box<Verified>),
    /// Well formed, but the signature does not match: changed after signing.
    SignatureInvalid,
    /// Not a well-formed submission; the reason in English ([`VerifyError`]'s wording).
    Malformed(String),
}

/// A submission's standing by a list: both checked first.
fn standing(submission: &str, list: &str, secretariat: &str) -> Result<trust::Standing, String> {
    let (list, _) =
        trust::TrustList::read(list.as_bytes(), Some(secretariat)).map_err(|e| e.to_string())?;
    let v = submission::verify(submission.as_bytes()).map_err(|e| e.to_string())?;
    let extras = submission::extras(submission.as_bytes(), &v).map_err(|e| e.to_string())?;
    Ok(trust::standing(
        &list,
        &v.state,
        &v.key_id,
        &v.signed_at,
        &extras.rotations,
    ))
}

/// Does one job.
pub fn run(job: Job) -> Done {
    match job {
        Job::Sign {
            mut document,
            secret,
            signed_at,
            rotations,
        } => {
            // Unreadable kept statements were refused when the last one was made: none is added.
            if let Ok(kept) = trust::read_kept(&rotations) {
                let state = document.get("state").and_then(Value::as_str).unwrap_or("");
                let chain = trust::chain_to(&kept, state, &key_id(&secret));
                if !chain.is_empty() {
                    document.insert("rotations".to_owned(), Value::Array(chain));
                }
            }
            let text = submission::sign(&Unsigned::from_built(document), &secret, &signed_at);
            let sha256 = submission::hex(&Sha256::digest(text.as_bytes()));
            Done::Signed {
                text,
                sha256,
                key_id: key_id(&secret),
            }
        }
        Job::Verify { text } => Done::Checked(match submission::verify(text.as_bytes()) {
            Ok(v) => Checked::Valid(Box::new(v)),
            Err(VerifyError::SignatureInvalid) => Checked::SignatureInvalid,
            Err(e) => Checked::Malformed(e.to_string()),
        }),
        Job::KeyId { secret } => Done::KeyId(key_id(&secret)),
        Job::Lock {
            secret,
            passphrase,
            salt,
            iv,
        } => Done::Locked(
            keyfile::lock(&secret, &passphrase, &salt, &iv).map(|pem| (pem, key_id(&secret))),
        ),
        Job::Unlock { pem, passphrase } => Done::Unlocked(keyfile::unlock(&pem, &passphrase)),
        Job::ReadList { text } => Done::ListRead(
            trust::TrustList::read(text.as_bytes(), None)
                .map(|(list, signer)| ListInfo {
                    key_id: signer.key_id,
                    sequence: list.sequence,
                    issued_at: signer.signed_at,
                    states: list.states.len(),
                    keys: list.states.values().map(Vec::len).sum(),
                })
                .map_err(|e| e.to_string()),
        ),
        Job::Standing {
            submission,
            list,
            secretariat,
        } => Done::Standing(standing(&submission, &list, &secretariat)),
        Job::Rotate {
            old,
            new,
            state,
            rotated_at,
            kept,
        } => Done::Rotated(
            trust::rotate(&kept, &old, &new, &state, &rotated_at).map_err(|e| e.to_string()),
        ),
        Job::ReadHandoff { text, part } => Done::Handoff(
            handoff::verify_handoff(text.as_bytes(), part)
                .map(|(members, signer)| SignedFile {
                    members,
                    signer,
                    sha256: submission::hex(&Sha256::digest(text.as_bytes())),
                })
                .map_err(|e| match e {
                    HandoffError::Unsigned(VerifyError::SignatureInvalid) => FileRefused::Tampered,
                    HandoffError::WrongFormat { .. } => FileRefused::OtherKind,
                    e => FileRefused::Malformed(e.to_string()),
                }),
        ),
    }
}

/// Turns a request message into its reply message. A request that cannot be read gets
/// [`Done::BadRequest`] under its id (or id 0 when even that is unreadable).
pub fn handle(request: &str) -> String {
    let (id, done) = match split(request) {
        Some((id, job)) => match serde_json::from_str::<Job>(job) {
            Ok(job) => (id, run(job)),
            Err(e) => (id, Done::BadRequest(e.to_string())),
        },
        None => (0, Done::BadRequest("no request id".to_owned())),
    };
    message(id, &done)
}

/// A message: `id`, a space, the value as JSON.
pub fn message<T: Serialize>(id: u32, body: &T) -> String {
    format!(
        "{id} {}",
        serde_json::to_string(body).expect("jobs and outcomes always serialize")
    )
}

/// Reads a reply message: its id and what it says.
pub fn read_reply(message: &str) -> Option<(u32, Done)> {
    let (id, done) = split(message)?;
    Some((id, serde_json::from_str(done).ok()?))
}

/// A message's id and its JSON, not yet read.
pub fn split(message: &str) -> Option<(u32, &str)> {
    let (id, json) = message.split_once(' ')?;
    Some((id.parse().ok()?, json))
}

fn key_id(secret: &[u8; 32]) -> String {
    submission::key_id(&submission::public_key(secret))
}
