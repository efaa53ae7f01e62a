//! Who signed: the secretariat's signed list of the keys States registered (`docs/trust-list.md`),
//! key rotation statements, and the check of a verified file against them.
//!
//! A signature shows which key signed a file, not whose key it is. States register their key's
//! id with the secretariat through an official channel (a note verbale); the secretariat keeps
//! a [`TrustList`], signed with its own key as submissions are. A State that replaces a key it
//! still holds signs a [`Rotation`] statement with the old key for the new one, so the new key
//! needs no new letter. Nothing here panics on any input.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::core::submission::{
    self, canonical, is_state_code, sign_document, verify_document, Signer, Timestamp, VerifyError,
};
use crate::core::validate::is_date;

/// Value of the list's `format` member.
pub const TRUST_LIST_FORMAT: &str = "untoc-art32-trust-list";
/// Value of a rotation statement's `format` member.
pub const ROTATION_FORMAT: &str = "untoc-art32-key-rotation";
/// The version of both formats this code writes and reads.
pub const TRUST_FORMAT_VERSION: u64 = 1;
/// The longest chain of rotations followed from a registered key.
pub const MAX_ROTATIONS: usize = 16;

/// Why a registration ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Replaced by a new key (registered, or reached by a rotation statement).
    Rotated,
    /// No longer in the State's hands.
    Lost,
    /// Withdrawn by the State or the secretariat.
    Withdrawn,
}

/// When and why a registration ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ended {
    pub reason: Reason,
    /// From this date (`YYYY-MM-DD`) on, a file signed with the key is not the State's.
    pub since: String,
}

/// One registered key of a State.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    pub key_id: String,
    /// The date (`YYYY-MM-DD`) from which files signed with the key are the State's.
    pub since: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended: Option<Ended>,
}

/// The secretariat's list, without its signature.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustList {
    /// Raised by each signing: a reader keeps the list with the highest number.
    pub sequence: u64,
    /// When it was signed (absent in a list being edited).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_at: Option<Timestamp>,
    /// By State code, each State's keys in the order registered.
    pub states: BTreeMap<String, Vec<Registration>>,
}

/// A rotation statement: the old key vouches for the new one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rotation {
    pub state: String,
    pub old_key_id: String,
    pub new_key_id: String,
    /// When the new key took over (RFC 3339, UTC).
    pub rotated_at: Timestamp,
}

/// What is wrong with a list or a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrustError {
    /// Not a signed document of this app, or its signature does not hold.
    Unsigned(VerifyError),
    /// Signed, but not in the shape of the format.
    Malformed(String),
    /// A list signed by another key than the secretariat's the user confirmed.
    OtherSecretariat { signed_by: String },
}

impl fmt::Display for TrustError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrustError::Unsigned(e) => write!(f, "{e}"),
            TrustError::Malformed(why) => {
                write!(f, "the file is signed but not well-formed: {why}")
            }
            TrustError::OtherSecretariat { signed_by } => write!(
                f,
                "the list is signed by key {signed_by}, not by the secretariat's key"
            ),
        }
    }
}

impl std::error::Error for TrustError {}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListWire {
    format: String,
    format_version: u64,
    sequence: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    issued_at: Option<Timestamp>,
    states: BTreeMap<String, Vec<Registration>>,
    /// Checked by `verify_document` before the members are read, straight from the text (a
    /// `serde_json::Value` reader would weigh on the signer's worker).
    #[serde(default, skip_serializing, rename = "signature")]
    _signature: Option<serde::de::IgnoredAny>,
}

impl ListWire {
    fn of(list: &TrustList) -> ListWire {
        ListWire {
            format: TRUST_LIST_FORMAT.to_owned(),
            format_version: TRUST_FORMAT_VERSION,
            sequence: list.sequence,
            issued_at: list.issued_at.clone(),
            states: list.states.clone(),
            _signature: None,
        }
    }

    fn list(self) -> TrustList {
        TrustList {
            sequence: self.sequence,
            issued_at: self.issued_at,
            states: self.states,
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RotationWire {
    format: String,
    format_version: u64,
    state: String,
    old_key_id: String,
    new_key_id: String,
    rotated_at: Timestamp,
    #[serde(default, skip_serializing, rename = "signature")]
    _signature: Option<serde::de::IgnoredAny>,
}

const LIST_MEMBERS: [&str; 6] = [
    "format",
    "format_version",
    "sequence",
    "issued_at",
    "states",
    "signature",
];
const ROTATION_MEMBERS: [&str; 7] = [
    "format",
    "format_version",
    "state",
    "old_key_id",
    "new_key_id",
    "rotated_at",
    "signature",
];

fn is_key_id(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
}

/// The text of a file `verify_document` accepted (so UTF-8).
fn text_of(bytes: &[u8]) -> Result<&str, TrustError> {
    std::str::from_utf8(bytes).map_err(|_| malformed("not UTF-8"))
}

fn malformed(why: impl Into<String>) -> TrustError {
    TrustError::Malformed(why.into())
}

impl TrustList {
    /// The members to sign (`core::submission::sign_document`): `issued_at` must be set.
    pub fn to_document(&self) -> Map<String, Value> {
        match serde_json::to_value(ListWire::of(self)) {
            Ok(Value::Object(map)) => map,
            _ => unreachable!("a list serializes to an object"),
        }
    }

    /// The list as it is edited (`art32 trust`): the same members, unsigned, pretty-printed.
    pub fn to_editable(&self) -> String {
        serde_json::to_string_pretty(&Value::Object(self.to_document())).expect("a list serializes")
            + "\n"
    }

    /// Reads a list being edited (unsigned).
    pub fn from_editable(text: &str) -> Result<TrustList, TrustError> {
        let wire: ListWire = serde_json::from_str(text).map_err(|e| malformed(e.to_string()))?;
        if wire.format != TRUST_LIST_FORMAT || wire.format_version != TRUST_FORMAT_VERSION {
            return Err(malformed("not a trust list of this format and version"));
        }
        let list = wire.list();
        list.check()?;
        Ok(list)
    }

    /// Reads a signed list and checks it: signed by `secretariat` (a key id), if given, and well
    /// formed. Returns the list and who signed it.
    pub fn read(
        bytes: &[u8],
        secretariat: Option<&str>,
    ) -> Result<(TrustList, Signer), TrustError> {
        let (_, signer) = verify_document(
            bytes,
            TRUST_LIST_FORMAT,
            TRUST_FORMAT_VERSION,
            &LIST_MEMBERS,
        )
        .map_err(TrustError::Unsigned)?;
        if let Some(expected) = secretariat {
            if signer.key_id != expected {
                return Err(TrustError::OtherSecretariat {
                    signed_by: signer.key_id,
                });
            }
        }
        let wire: ListWire =
            serde_json::from_str(text_of(bytes)?).map_err(|e| malformed(e.to_string()))?;
        let list = wire.list();
        if list.issued_at.is_none() {
            return Err(malformed("a signed list has issued_at"));
        }
        list.check()?;
        Ok((list, signer))
    }

    /// States are State codes, key ids 64 hex digits and each registered once, dates real,
    /// and no registration ends before it starts.
    fn check(&self) -> Result<(), TrustError> {
        let mut seen: Vec<&str> = Vec::new();
        for (state, regs) in &self.states {
            if !is_state_code(state) {
                return Err(malformed(format!("{state:?} is not a State code")));
            }
            for r in regs {
                if !is_key_id(&r.key_id) {
                    return Err(malformed(format!("{:?} is not a key id", r.key_id)));
                }
                if seen.contains(&r.key_id.as_str()) {
                    return Err(malformed(format!(
                        "the key {} is registered twice",
                        r.key_id
                    )));
                }
                seen.push(&r.key_id);
                if !is_date(&r.since) {
                    return Err(malformed(format!("{:?} is not a date", r.since)));
                }
                if let Some(e) = &r.ended {
                    if !is_date(&e.since) || e.since < r.since {
                        return Err(malformed(format!(
                            "the registration of {} ends before it starts",
                            r.key_id
                        )));
                    }
                }
            }
        }
        Ok(())
    }

    /// Registers `key_id` for `state` from `since`.
    pub fn add(&mut self, state: &str, key_id: &str, since: &str) -> Result<(), TrustError> {
        let mut next = self.clone();
        next.states
            .entry(state.to_owned())
            .or_default()
            .push(Registration {
                key_id: key_id.to_owned(),
                since: since.to_owned(),
                ended: None,
            });
        next.check()?;
        *self = next;
        Ok(())
    }

    /// Ends the registration of `key_id` from `since`, for `reason`. Whether it was registered
    /// (and not ended already).
    pub fn revoke(
        &mut self,
        key_id: &str,
        reason: Reason,
        since: &str,
    ) -> Result<bool, TrustError> {
        let mut next = self.clone();
        let Some(r) = next
            .states
            .values_mut()
            .flatten()
            .find(|r| r.key_id == key_id && r.ended.is_none())
        else {
            return Ok(false);
        };
        r.ended = Some(Ended {
            reason,
            since: since.to_owned(),
        });
        next.check()?;
        *self = next;
        Ok(true)
    }

    /// The registration of a key, with its State.
    pub fn registration(&self, key_id: &str) -> Option<(&str, &Registration)> {
        self.states.iter().find_map(|(s, regs)| {
            regs.iter()
                .find(|r| r.key_id == key_id)
                .map(|r| (s.as_str(), r))
        })
    }
}

impl Rotation {
    /// The members to sign with the old key.
    pub fn to_document(&self) -> Map<String, Value> {
        match serde_json::to_value(RotationWire {
            format: ROTATION_FORMAT.to_owned(),
            format_version: TRUST_FORMAT_VERSION,
            state: self.state.clone(),
            old_key_id: self.old_key_id.clone(),
            new_key_id: self.new_key_id.clone(),
            rotated_at: self.rotated_at.clone(),
            _signature: None,
        }) {
            Ok(Value::Object(map)) => map,
            _ => unreachable!("a statement serializes to an object"),
        }
    }

    /// Reads a signed statement: well formed, and signed by the old key it names.
    pub fn read(bytes: &[u8]) -> Result<Rotation, TrustError> {
        let (_, signer) = verify_document(
            bytes,
            ROTATION_FORMAT,
            TRUST_FORMAT_VERSION,
            &ROTATION_MEMBERS,
        )
        .map_err(TrustError::Unsigned)?;
        let wire: RotationWire =
            serde_json::from_str(text_of(bytes)?).map_err(|e| malformed(e.to_string()))?;
        let r = Rotation {
            state: wire.state,
            old_key_id: wire.old_key_id,
            new_key_id: wire.new_key_id,
            rotated_at: wire.rotated_at,
        };
        if !is_state_code(&r.state) || !is_key_id(&r.old_key_id) || !is_key_id(&r.new_key_id) {
            return Err(malformed("a State code and two key ids are expected"));
        }
        if r.old_key_id == r.new_key_id {
            return Err(malformed("a key cannot replace itself"));
        }
        if signer.key_id != r.old_key_id {
            return Err(malformed("the statement is not signed by the old key"));
        }
        Ok(r)
    }
}

/// Who a valid file's key belongs to, by the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Standing {
    /// Registered to the State the file names, and not ended at the signing date; `through`
    /// is the number of rotation statements followed (0: the key itself is registered).
    Registered { through: usize },
    /// Not on the list, nor reached by rotations from a key on it.
    NotRegistered,
    /// Registered to another State.
    OtherState(String),
    /// Registered to the State, but the registration had not begun, or had ended, at the
    /// signing date.
    NotInForce {
        reason: Option<Reason>,
        since: String,
    },
}

impl Standing {
    pub fn is_registered(&self) -> bool {
        matches!(self, Standing::Registered { .. })
    }
}

impl fmt::Display for Standing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Standing::Registered { through: 0 } => write!(f, "registered to its State"),
            Standing::Registered { through } => {
                write!(
                    f,
                    "registered to its State through {through} key rotation(s)"
                )
            }
            Standing::NotRegistered => write!(f, "valid, but the key is not registered"),
            Standing::OtherState(s) => write!(f, "valid, but the key is registered to {s}"),
            Standing::NotInForce {
                reason: Some(r),
                since,
            } => {
                write!(
                    f,
                    "valid, but the key's registration ended on {since} ({r:?})"
                )
            }
            Standing::NotInForce {
                reason: None,
                since,
            } => {
                write!(f, "valid, but the key was registered only from {since}")
            }
        }
    }
}

/// Whether a file of `state`, signed by `key_id` at `signed_at`, is the State's by the list,
/// following `rotations` (statements already checked with [`Rotation::read`]) from a registered
/// key: each statement for the same State, made before the signing, by a key in force (or
/// rotated no earlier than the statement) when it was made.
pub fn standing(
    list: &TrustList,
    state: &str,
    key_id: &str,
    signed_at: &Timestamp,
    rotations: &[Rotation],
) -> Standing {
    let day = &signed_at.as_str()[..10];
    let in_force = |r: &Registration, on: &str, allow_rotated: bool| {
        r.since.as_str() <= on
            && match &r.ended {
                None => true,
                Some(e) => {
                    on < e.since.as_str()
                        || (allow_rotated && e.reason == Reason::Rotated && on <= e.since.as_str())
                }
            }
    };
    if let Some((s, r)) = list.registration(key_id) {
        if s != state {
            return Standing::OtherState(s.to_owned());
        }
        if in_force(r, day, false) {
            return Standing::Registered { through: 0 };
        }
        return Standing::NotInForce {
            reason: r.ended.as_ref().map(|e| e.reason),
            since: r
                .ended
                .as_ref()
                .map_or_else(|| r.since.clone(), |e| e.since.clone()),
        };
    }
    // Back along the statements: which key vouched for this one, and for that one...
    let mut key = key_id;
    let mut before = signed_at.clone();
    for through in 1..=MAX_ROTATIONS.min(rotations.len()) {
        let Some(rot) = rotations
            .iter()
            .filter(|r| r.new_key_id == key && r.state == state && r.rotated_at <= before)
            .max_by(|a, b| a.rotated_at.cmp(&b.rotated_at))
        else {
            break;
        };
        let at = &rot.rotated_at.as_str()[..10];
        match list.registration(&rot.old_key_id) {
            Some((s, r)) if s == state => {
                return if in_force(r, at, true) {
                    Standing::Registered { through }
                } else {
                    Standing::NotInForce {
                        reason: r.ended.as_ref().map(|e| e.reason),
                        since: r
                            .ended
                            .as_ref()
                            .map_or_else(|| r.since.clone(), |e| e.since.clone()),
                    }
                };
            }
            Some((s, _)) => return Standing::OtherState(s.to_owned()),
            None => {
                key = &rot.old_key_id;
                before = rot.rotated_at.clone();
            }
        }
    }
    Standing::NotRegistered
}

/// The rotation statements a browser keeps, as `web::keys` stores them: a JSON array of the
/// signed statements (empty text: none). Each must read as a statement ([`Rotation::read`]).
pub fn read_kept(text: &str) -> Result<Vec<Value>, TrustError> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let kept: Vec<Value> =
        serde_json::from_str(text).map_err(|_| malformed("the kept statements are not a list"))?;
    for statement in &kept {
        let bytes = canonical(statement).map_err(|_| malformed("a kept statement is not JSON"))?;
        Rotation::read(&bytes)?;
    }
    Ok(kept)
}

/// Has the key `old` vouch for the key `new`, both of `state`, at `at`: the kept statements
/// (`kept`, as [`read_kept`] reads them) with the new one added, as the text to keep. Refused,
/// and nothing made, if the kept statements cannot be read or the two keys are one.
pub fn rotate(
    kept: &str,
    old: &[u8; 32],
    new: &[u8; 32],
    state: &str,
    at: &Timestamp,
) -> Result<String, TrustError> {
    let mut statements = read_kept(kept)?;
    let key_id = |secret| submission::key_id(&submission::public_key(secret));
    let rotation = Rotation {
        state: state.to_owned(),
        old_key_id: key_id(old),
        new_key_id: key_id(new),
        rotated_at: at.clone(),
    };
    if rotation.old_key_id == rotation.new_key_id || !is_state_code(state) {
        return Err(malformed(
            "a State code and two different keys are expected",
        ));
    }
    let signed = sign_document(&rotation.to_document(), old, at);
    statements.push(serde_json::from_str(&signed).expect("a signed statement is JSON"));
    Ok(serde_json::to_string(&statements).expect("statements serialize"))
}

/// Of the kept statements, those that lead to `key_id` from earlier keys of `state`, oldest first:
/// what a submission of that State signed by that key carries as `rotations` (none if the key
/// was not made by a rotation here). A later statement for the same key wins; a loop ends it.
pub fn chain_to(kept: &[Value], state: &str, key_id: &str) -> Vec<Value> {
    let member = |s: &Value, name: &str| s.get(name).and_then(Value::as_str).map(str::to_owned);
    let mut chain: Vec<Value> = Vec::new();
    let mut seen = vec![key_id.to_owned()];
    while chain.len() < MAX_ROTATIONS {
        let key = seen.last().cloned().unwrap_or_default();
        let Some(statement) = kept.iter().rev().find(|s| {
            member(s, "state").as_deref() == Some(state)
                && member(s, "new_key_id").as_deref() == Some(key.as_str())
        }) else {
            break;
        };
        let Some(old) = member(statement, "old_key_id") else {
            break;
        };
        if seen.contains(&old) {
            break;
        }
        chain.push(statement.clone());
        seen.push(old);
    }
    chain.reverse();
    chain
}
