//! Checking a submission file: [`verify`] reads it as a list of checks, in order, and returns what it says or the first reason it is refused.

use std::collections::BTreeMap;
use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use ed25519_dalek::{Signature, VerifyingKey};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::Digest as _;

use super::*;

/// What a valid submission says, once its signature is checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verified {
    /// Lowercase hexadecimal SHA-256 of the public key (checked against the key).
    pub key_id: String,
    pub public_key: [u8; 32],
    pub signed_at: Timestamp,
    pub generated_at: Timestamp,
    /// ISO 3166-1 alpha-3 code (or `EUU`).
    pub state: String,
    pub questionnaire_id: String,
    pub questionnaire_version: u32,
    /// BCP 47 tag of the language the reply was written in.
    pub language: String,
    pub app_version: String,
    /// The answers, by question id.
    pub answers: BTreeMap<String, Submitted>,
    /// Lowercase hexadecimal SHA-256 of the file as received: what a later reply names as its
    /// `previous`.
    pub sha256: String,
}

/// Why a file is not a valid signed submission. One variant per reason, so that an interface can
/// word each in its own language; [`fmt::Display`] gives the English sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyError {
    /// Larger than [`MAX_SUBMISSION_BYTES`]; checked before anything else.
    TooLarge { size: usize, limit: usize },
    /// Starts with a UTF-8 byte order mark, which the format forbids.
    ByteOrderMark,
    /// Not valid UTF-8; `offset` is the first bad byte.
    NotUtf8 { offset: usize },
    /// Not JSON (syntax error, truncated, too deeply nested); holds the parser's message.
    NotJson(String),
    /// An object holds the same member name twice (anywhere in the document).
    DuplicateMember(String),
    /// A number with a fraction or an exponent (or too large to be an integer): the format has
    /// integers only.
    FloatNumber,
    /// An integer outside ±(2^53 − 1).
    IntegerOutOfRange,
    /// The document is not a JSON object.
    NotAnObject,
    /// `format` is missing or is not `untoc-art32-submission`; holds what was found, as JSON.
    WrongFormat(String),
    /// `format_version` is not 1; holds what was found, as JSON.
    UnsupportedFormatVersion(String),
    /// A required top-level member is missing.
    MissingMember(String),
    /// A top-level member the format does not define.
    UnknownMember(String),
    /// A member has the wrong type or syntax (`member` is a path such as `signature.key_id`).
    InvalidMember {
        member: String,
        expected: &'static str,
    },
    /// A member of `signature` is missing.
    MissingSignatureMember(String),
    /// A member of `signature` the format does not define.
    UnknownSignatureMember(String),
    /// `signature.algorithm` is not `Ed25519`; holds what was found.
    WrongAlgorithm(String),
    /// `signature.canonicalization` is not `RFC8785`; holds what was found.
    WrongCanonicalization(String),
    /// Base64url with `=` padding, which the format forbids.
    Base64Padded { member: &'static str },
    /// Base64 of the standard alphabet (`+` or `/`) instead of the URL-safe one.
    Base64StandardAlphabet { member: &'static str },
    /// Not base64url (a character outside the alphabet, an impossible length, stray bits).
    Base64Invalid { member: &'static str },
    /// Base64url of the wrong number of bytes.
    WrongLength {
        member: &'static str,
        expected: usize,
        found: usize,
    },
    /// The 32 bytes are not an Ed25519 public key.
    InvalidPublicKey,
    /// `signature.key_id` is not the SHA-256 of the public key.
    KeyIdMismatch { stated: String, computed: String },
    /// An answer has none of the export shapes.
    InvalidAnswer(String),
    /// `state` does not match the answer to S1.
    StateMismatch { state: String },
    /// The signature does not match the content: the file was changed after signing, or signed
    /// with another key.
    SignatureInvalid,
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use VerifyError as E;
        match self {
            E::TooLarge { size, limit } => write!(f, "the file is too large ({size} bytes; the limit is {limit} bytes)"),
            E::ByteOrderMark => write!(f, "the file starts with a byte order mark (BOM), which a submission must not have"),
            E::NotUtf8 { offset } => write!(f, "the file is not UTF-8 text (invalid byte at offset {offset})"),
            E::NotJson(msg) => write!(f, "the file is not valid JSON ({msg})"),
            E::DuplicateMember(name) => write!(f, "the member name {name:?} appears twice in the same object"),
            E::FloatNumber => write!(f, "the file holds a number with a fraction or exponent; a submission holds integers only"),
            E::IntegerOutOfRange => write!(f, "the file holds an integer outside ±{MAX_SAFE_INTEGER}"),
            E::NotAnObject => write!(f, "the file is JSON but not an object"),
            E::WrongFormat(found) => write!(f, "this is not a signed Article 32 submission (format is {found}, expected \"{FORMAT}\")"),
            E::UnsupportedFormatVersion(found) => {
                write!(f, "unsupported format_version {found} (this tool reads version {FORMAT_VERSION})")
            }
            E::MissingMember(m) => write!(f, "the member {m:?} is missing"),
            E::UnknownMember(m) => write!(f, "unexpected member {m:?}"),
            E::InvalidMember { member, expected } => write!(f, "the member {member:?} is not valid: expected {expected}"),
            E::MissingSignatureMember(m) => write!(f, "the signature has no {m:?} member"),
            E::UnknownSignatureMember(m) => write!(f, "the signature has an unexpected member {m:?}"),
            E::WrongAlgorithm(a) => write!(f, "unsupported signature algorithm {a} (expected \"{ALGORITHM}\")"),
            E::WrongCanonicalization(c) => write!(f, "unsupported canonicalization {c} (expected \"{CANONICALIZATION}\")"),
            E::Base64Padded { member } => write!(f, "signature.{member} has base64 padding ('='), which the format forbids"),
            E::Base64StandardAlphabet { member } => {
                write!(f, "signature.{member} uses the standard base64 alphabet ('+' or '/'), not base64url")
            }
            E::Base64Invalid { member } => write!(f, "signature.{member} is not valid base64url"),
            E::WrongLength { member, expected, found } => {
                write!(f, "signature.{member} holds {found} bytes instead of {expected}")
            }
            E::InvalidPublicKey => write!(f, "signature.public_key is not a valid Ed25519 public key"),
            E::KeyIdMismatch { stated, computed } => {
                write!(f, "signature.key_id {stated} does not match the public key (its id is {computed})")
            }
            E::InvalidAnswer(q) => write!(f, "the answer to {q} is not in any of the submission's answer shapes"),
            E::StateMismatch { state } => write!(f, "state {state:?} does not match the answer to {STATE_QUESTION}"),
            E::SignatureInvalid => {
                write!(f, "the signature does not match: the file was changed after it was signed")
            }
        }
    }
}

impl std::error::Error for VerifyError {}

/// Checks a submission file and returns what it says.
///
/// In order: size, byte order mark, UTF-8, JSON syntax with no duplicate member names and only
/// safe integers, the envelope (format, members, signature members, base64url, key id), the
/// content (timestamps, State, language, answer shapes), and last the Ed25519 signature
/// (`verify_strict`) over the RFC 8785 form of the object less `signature.value`.
pub fn verify(bytes: &[u8]) -> Result<Verified, VerifyError> {
    let text = text_of(bytes)?;
    let mut doc = strict::parse(text)?;
    let Value::Object(top) = &doc else {
        return Err(VerifyError::NotAnObject);
    };
    envelope(top)?;
    let key = signature_members(top)?;
    let content = content(top)?;
    // The signature, last: it is the one expensive check.
    signature_matches(&mut doc, &key)?;
    Ok(Verified {
        key_id: key.key_id,
        public_key: key.public,
        signed_at: key.signed_at,
        generated_at: content.generated_at,
        state: content.state,
        questionnaire_id: content.questionnaire_id,
        questionnaire_version: content.questionnaire_version,
        language: content.language,
        app_version: content.app_version,
        answers: content.answers,
        sha256: hex(&sha2::Sha256::digest(bytes)),
    })
}

/// Who signed a document, once its signature is checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signer {
    pub key_id: String,
    pub public_key: [u8; 32],
    pub signed_at: Timestamp,
}

/// Another signed document of this app (a hand-off request or part, `core::handoff`), read under
/// the submission's rules: the same limits on the text and the JSON (I-JSON, integers only), the
/// same `signature` member, checked the same way. `members` are its top-level members, all
/// required, no others allowed (`signature` among them). Returns its members (without
/// `signature`) for the caller to read, and who signed it. A `format` other than `format` is
/// [`VerifyError::WrongFormat`], checked before anything but the JSON.
pub fn verify_document(
    bytes: &[u8],
    format: &str,
    format_version: u64,
    members: &[&str],
) -> Result<(Map<String, Value>, Signer), VerifyError> {
    let text = text_of(bytes)?;
    let mut doc = strict::parse(text)?;
    let Value::Object(top) = &doc else {
        return Err(VerifyError::NotAnObject);
    };
    envelope_of(top, format, format_version, members, &[])?;
    let key = signature_members(top)?;
    signature_matches(&mut doc, &key)?;
    let Value::Object(mut top) = doc else {
        unreachable!("checked above")
    };
    top.remove("signature");
    Ok((
        top,
        Signer {
            key_id: key.key_id,
            public_key: key.public,
            signed_at: key.signed_at,
        },
    ))
}

/// The file as text: not too large, no byte order mark, UTF-8.
fn text_of(bytes: &[u8]) -> Result<&str, VerifyError> {
    if bytes.len() > MAX_SUBMISSION_BYTES {
        return Err(VerifyError::TooLarge {
            size: bytes.len(),
            limit: MAX_SUBMISSION_BYTES,
        });
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err(VerifyError::ByteOrderMark);
    }
    std::str::from_utf8(bytes).map_err(|e| VerifyError::NotUtf8 {
        offset: e.valid_up_to(),
    })
}

/// The envelope: this format and version, and exactly the top-level members it defines.
fn envelope(top: &Map<String, Value>) -> Result<(), VerifyError> {
    envelope_of(top, FORMAT, FORMAT_VERSION, &MEMBERS, &OPTIONAL_MEMBERS)
}

fn envelope_of(
    top: &Map<String, Value>,
    format: &str,
    format_version: u64,
    members: &[&str],
    optional: &[&str],
) -> Result<(), VerifyError> {
    match top.get("format") {
        Some(Value::String(s)) if s == format => {}
        other => return Err(VerifyError::WrongFormat(found(other))),
    }
    match top.get("format_version") {
        Some(v) if v.as_u64() == Some(format_version) => {}
        other => return Err(VerifyError::UnsupportedFormatVersion(found(other))),
    }
    if let Some(m) = members.iter().find(|m| !top.contains_key(**m)) {
        return Err(VerifyError::MissingMember((*m).to_owned()));
    }
    if let Some(m) = top
        .keys()
        .find(|k| !members.contains(&k.as_str()) && !optional.contains(&k.as_str()))
    {
        return Err(VerifyError::UnknownMember(m.clone()));
    }
    Ok(())
}

/// What `signature` says of the key and the signing, checked but for the signature itself.
struct SignedBy {
    public: [u8; 32],
    signature: [u8; 64],
    key_id: String,
    signed_at: Timestamp,
}

/// The `signature` object: exactly its members, the algorithm and canonicalization this format
/// uses, a public key and a signature in base64url, a key id that is the key's, a timestamp.
fn signature_members(top: &Map<String, Value>) -> Result<SignedBy, VerifyError> {
    let Some(Value::Object(sig)) = top.get("signature") else {
        return Err(invalid("signature", "an object"));
    };
    if let Some(m) = SIGNATURE_MEMBERS.iter().find(|m| !sig.contains_key(**m)) {
        return Err(VerifyError::MissingSignatureMember((*m).to_owned()));
    }
    if let Some(m) = sig
        .keys()
        .find(|k| !SIGNATURE_MEMBERS.contains(&k.as_str()))
    {
        return Err(VerifyError::UnknownSignatureMember(m.clone()));
    }
    let sig_str = |m: &'static str| -> Result<&str, VerifyError> {
        sig.get(m)
            .and_then(Value::as_str)
            .ok_or_else(|| invalid(&format!("signature.{m}"), "a string"))
    };
    if sig_str("algorithm").ok() != Some(ALGORITHM) {
        return Err(VerifyError::WrongAlgorithm(found(sig.get("algorithm"))));
    }
    if sig_str("canonicalization").ok() != Some(CANONICALIZATION) {
        return Err(VerifyError::WrongCanonicalization(found(
            sig.get("canonicalization"),
        )));
    }
    let public: [u8; 32] = base64url::<32>(sig_str("public_key")?, "public_key")?;
    let signature: [u8; 64] = base64url::<64>(sig_str("value")?, "value")?;
    let key_id = stated_key_id(sig_str("key_id")?, &public)?;
    let signed_at = timestamp(sig_str("signed_at")?, "signature.signed_at")?;
    Ok(SignedBy {
        public,
        signature,
        key_id,
        signed_at,
    })
}

/// The stated key id: 64 lowercase hexadecimal digits, equal to the id of `public`.
fn stated_key_id(stated: &str, public: &[u8; 32]) -> Result<String, VerifyError> {
    if stated.len() != 64
        || !stated
            .bytes()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
    {
        return Err(invalid(
            "signature.key_id",
            "64 lowercase hexadecimal digits",
        ));
    }
    let computed = key_id(public);
    if stated != computed {
        return Err(VerifyError::KeyIdMismatch {
            stated: stated.to_owned(),
            computed,
        });
    }
    Ok(computed)
}

/// What the submission says, checked member by member.
struct Content {
    generated_at: Timestamp,
    state: String,
    language: String,
    app_version: String,
    questionnaire_id: String,
    questionnaire_version: u32,
    answers: BTreeMap<String, Submitted>,
}

/// The content: timestamps, the State, the language, the app's version, the questionnaire, and
/// answers in export shapes, the State's among them.
fn content(top: &Map<String, Value>) -> Result<Content, VerifyError> {
    let string = |m: &str| {
        top.get(m)
            .and_then(Value::as_str)
            .ok_or_else(|| invalid(m, "a string"))
    };
    let generated_at = timestamp(string("generated_at")?, "generated_at")?;
    let state = string("state")?;
    if !is_state_code(state) {
        return Err(invalid("state", "a three-letter code such as \"FRA\""));
    }
    let language = string("language")?;
    if !is_language_tag(language) {
        return Err(invalid("language", "a BCP 47 language tag such as \"en\""));
    }
    let app_version = string("app_version")?;
    if app_version.is_empty() {
        return Err(invalid("app_version", "a non-empty string"));
    }
    let (questionnaire_id, questionnaire_version) = questionnaire(top.get("questionnaire"))?;
    let answers = answers(top.get("answers"), state)?;
    // The optional members' shape; what they say is read by `extras`, where it is needed.
    for m in OPTIONAL_MEMBERS {
        match top.get(m) {
            None => {}
            Some(Value::Object(_)) if m == "previous" => {}
            Some(_) if m == "previous" => return Err(invalid(m, "an object")),
            Some(Value::Array(items))
                if !items.is_empty() && items.iter().all(Value::is_object) => {}
            Some(_) => return Err(invalid(m, "a non-empty list of objects")),
        }
    }
    Ok(Content {
        generated_at,
        state: state.to_owned(),
        language: language.to_owned(),
        app_version: app_version.to_owned(),
        questionnaire_id,
        questionnaire_version,
        answers,
    })
}

/// `questionnaire`: exactly an id and a version.
fn questionnaire(v: Option<&Value>) -> Result<(String, u32), VerifyError> {
    let expected = || invalid("questionnaire", "{\"id\": string, \"version\": integer}");
    let Some(Value::Object(m)) = v else {
        return Err(expected());
    };
    if m.len() != 2 {
        return Err(expected());
    }
    let id = m
        .get("id")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty());
    let version = m
        .get("version")
        .and_then(Value::as_u64)
        .and_then(|v| u32::try_from(v).ok());
    match (id, version) {
        (Some(id), Some(version)) => Ok((id.to_owned(), version)),
        _ => Err(expected()),
    }
}

/// `answers`: each in an export shape, and the State question's answer naming `state`.
fn answers(v: Option<&Value>, state: &str) -> Result<BTreeMap<String, Submitted>, VerifyError> {
    let Some(Value::Object(raw)) = v else {
        return Err(invalid("answers", "an object keyed by question id"));
    };
    let mut answers = BTreeMap::new();
    for (id, v) in raw {
        let a =
            Submitted::from_json(v, false).ok_or_else(|| VerifyError::InvalidAnswer(id.clone()))?;
        answers.insert(id.clone(), a);
    }
    match answers.get(STATE_QUESTION) {
        Some(Submitted::Single { selected, .. }) if selected == state => Ok(answers),
        _ => Err(VerifyError::StateMismatch {
            state: state.to_owned(),
        }),
    }
}

/// The Ed25519 signature (`verify_strict`), over the RFC 8785 form of the document less
/// `signature.value`.
fn signature_matches(doc: &mut Value, by: &SignedBy) -> Result<(), VerifyError> {
    let key = VerifyingKey::from_bytes(&by.public).map_err(|_| VerifyError::InvalidPublicKey)?;
    if let Some(Value::Object(sig)) = doc.get_mut("signature") {
        sig.remove("value");
    }
    let message = canonical(doc).map_err(VerifyError::NotJson)?;
    key.verify_strict(&message, &Signature::from_bytes(&by.signature))
        .map_err(|_| VerifyError::SignatureInvalid)
}

pub(super) fn invalid(member: &str, expected: &'static str) -> VerifyError {
    VerifyError::InvalidMember {
        member: member.to_owned(),
        expected,
    }
}

/// What was found where a fixed value was expected, as JSON (short), or `(missing)`.
fn found(v: Option<&Value>) -> String {
    match v {
        None => "(missing)".to_owned(),
        Some(v) => {
            let text = v.to_string();
            if text.chars().count() > 60 {
                format!("{}…", text.chars().take(60).collect::<String>())
            } else {
                text
            }
        }
    }
}

fn timestamp(s: &str, member: &str) -> Result<Timestamp, VerifyError> {
    Timestamp::parse(s).ok_or_else(|| {
        invalid(
            member,
            "an RFC 3339 UTC time such as \"2026-11-27T10:15:00Z\"",
        )
    })
}

/// Strict base64url (RFC 4648 §5) without padding, of exactly `N` bytes.
fn base64url<const N: usize>(s: &str, member: &'static str) -> Result<[u8; N], VerifyError> {
    if s.contains('=') {
        return Err(VerifyError::Base64Padded { member });
    }
    if s.contains(['+', '/']) {
        return Err(VerifyError::Base64StandardAlphabet { member });
    }
    // The engine also rejects non-zero trailing bits, so each byte string has one encoding only.
    let bytes = URL_SAFE_NO_PAD
        .decode(s)
        .map_err(|_| VerifyError::Base64Invalid { member })?;
    <[u8; N]>::try_from(bytes.as_slice()).map_err(|_| VerifyError::WrongLength {
        member,
        expected: N,
        found: bytes.len(),
    })
}

/// A JSON parser that refuses what `serde_json` lets through silently: a member name repeated in
/// one object (serde_json keeps the last), numbers that are not safe integers.
pub(super) mod strict {
    use std::cell::RefCell;
    use std::fmt;

    use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
    use serde_json::{Map, Value};

    use super::{VerifyError, MAX_SAFE_INTEGER};

    pub(in crate::core::submission) fn parse(text: &str) -> Result<Value, VerifyError> {
        let trouble = RefCell::new(None);
        let mut de = serde_json::Deserializer::from_str(text);
        let result = Seed(&trouble)
            .deserialize(&mut de)
            .and_then(|v| de.end().map(|()| v));
        match (result, trouble.into_inner()) {
            (_, Some(reason)) => Err(reason),
            (Ok(v), None) => Ok(v),
            (Err(e), None) => Err(VerifyError::NotJson(e.to_string())),
        }
    }

    #[derive(Clone, Copy)]
    struct Seed<'a>(&'a RefCell<Option<VerifyError>>);

    impl Seed<'_> {
        fn fail<E: de::Error>(self, reason: VerifyError) -> E {
            let msg = reason.to_string();
            self.0.borrow_mut().get_or_insert(reason);
            E::custom(msg)
        }
    }

    impl<'de> DeserializeSeed<'de> for Seed<'_> {
        type Value = Value;
        fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
            d.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for Seed<'_> {
        type Value = Value;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON value")
        }
        fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
            Ok(Value::Bool(b))
        }
        fn visit_i64<E: de::Error>(self, n: i64) -> Result<Value, E> {
            if n.unsigned_abs() > MAX_SAFE_INTEGER as u64 {
                return Err(self.fail(VerifyError::IntegerOutOfRange));
            }
            Ok(Value::from(n))
        }
        fn visit_u64<E: de::Error>(self, n: u64) -> Result<Value, E> {
            if n > MAX_SAFE_INTEGER as u64 {
                return Err(self.fail(VerifyError::IntegerOutOfRange));
            }
            Ok(Value::from(n))
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Value, E> {
            Err(self.fail(VerifyError::FloatNumber))
        }
        fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
            Ok(Value::String(s.to_owned()))
        }
        fn visit_string<E: de::Error>(self, s: String) -> Result<Value, E> {
            Ok(Value::String(s))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
            let mut out = Vec::new();
            while let Some(v) = seq.next_element_seed(self)? {
                out.push(v);
            }
            Ok(Value::Array(out))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
            let mut out = Map::new();
            while let Some(key) = map.next_key::<String>()? {
                if out.contains_key(&key) {
                    return Err(self.fail(VerifyError::DuplicateMember(key)));
                }
                let v = map.next_value_seed(self)?;
                out.insert(key, v);
            }
            Ok(Value::Object(out))
        }
    }
}
