//! Timestamps, public keys and key ids, and the checks of a State code and a language tag.

use std::fmt;

use ed25519_dalek::SigningKey;
use qrcodegen::{QrCode, QrCodeEcc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::core::validate::is_date;

/// A UTC time written `YYYY-MM-DDTHH:MM:SSZ` (RFC 3339, UTC, whole seconds). In serde, the
/// string, checked on the way in.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Timestamp(String);

impl From<Timestamp> for String {
    fn from(t: Timestamp) -> String {
        t.0
    }
}

impl TryFrom<String> for Timestamp {
    type Error = String;
    fn try_from(s: String) -> Result<Timestamp, String> {
        Timestamp::parse(&s).ok_or_else(|| format!("not a UTC timestamp: {s:?}"))
    }
}

impl Timestamp {
    /// Accepts exactly `YYYY-MM-DDTHH:MM:SSZ` with a real date (years 1900–2199), hours 00–23,
    /// minutes 00–59 and seconds 00–60 (a leap second).
    pub fn parse(s: &str) -> Option<Timestamp> {
        let b = s.as_bytes();
        if b.len() != 20 || b[10] != b'T' || b[13] != b':' || b[16] != b':' || b[19] != b'Z' {
            return None;
        }
        let two = |i: usize| -> Option<u32> {
            let (x, y) = (b[i], b[i + 1]);
            (x.is_ascii_digit() && y.is_ascii_digit())
                .then(|| u32::from(x - b'0') * 10 + u32::from(y - b'0'))
        };
        let ok = is_date(s.get(..10)?)
            && two(11).is_some_and(|h| h < 24)
            && two(14).is_some_and(|m| m < 60)
            && two(17).is_some_and(|sec| sec <= 60);
        ok.then(|| Timestamp(s.to_owned()))
    }

    /// The time `secs` seconds after 1970-01-01T00:00:00Z (for callers holding a clock, such as
    /// `Date.now()` in the browser). `None` outside the years 1970–2199.
    pub fn from_unix_seconds(secs: i64) -> Option<Timestamp> {
        if secs < 0 {
            return None;
        }
        let days = secs / 86_400;
        let rem = secs % 86_400;
        // Civil date from days since the epoch (H. Hinnant's algorithm).
        let z = days + 719_468;
        let era = z / 146_097;
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        let text = format!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
            rem / 3_600,
            rem % 3_600 / 60,
            rem % 60
        );
        Timestamp::parse(&text)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The public key of a 32-byte Ed25519 secret key (seed).
pub fn public_key(secret: &[u8; 32]) -> [u8; 32] {
    SigningKey::from_bytes(secret).verifying_key().to_bytes()
}

/// The key id: lowercase hexadecimal SHA-256 of the 32 bytes of the public key.
pub fn key_id(public_key: &[u8; 32]) -> String {
    hex(&Sha256::digest(public_key))
}

/// A key id in groups of four characters separated by spaces, for reading aloud or comparing on
/// paper: `3f2a 9c01 …`.
pub fn group_key_id(key_id: &str) -> String {
    let chars: Vec<char> = key_id.chars().collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The ICAO spelling words for the digits of a key id, as read over radio and telephone.
const SPOKEN: [&str; 16] = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "alfa",
    "bravo", "charlie", "delta", "echo", "foxtrot",
];

/// How many digits of a key id are read aloud: 64 bits, enough for a person on the telephone to
/// tell the registered key from any other.
pub const SPOKEN_DIGITS: usize = 16;

/// The first [`SPOKEN_DIGITS`] digits of a key id as ICAO spelling words, in groups of four
/// (`three foxtrot two alfa`, ...), for the registration sheet.
pub fn spoken_key_id(key_id: &str) -> Vec<String> {
    let digits = key_id.get(..SPOKEN_DIGITS).unwrap_or(key_id);
    let words: Vec<&str> = digits
        .chars()
        .filter_map(|c| c.to_digit(16).map(|d| SPOKEN[d as usize]))
        .collect();
    words.chunks(4).map(|g| g.join(" ")).collect()
}

/// The QR code of a text (level M), as an SVG path of its dark modules (one `M x,y h1v1h-1z`
/// square each), with the code's size in modules.
pub fn qr_path(text: &str) -> Option<(i32, String)> {
    let qr = QrCode::encode_text(text, QrCodeEcc::Medium).ok()?;
    let size = qr.size();
    let mut d = String::new();
    for y in 0..size {
        for x in 0..size {
            if qr.get_module(x, y) {
                d.push_str(&format!("M{x},{y}h1v1h-1z"));
            }
        }
    }
    Some((size, d))
}

/// Lowercase hexadecimal.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// Whether `s` looks like a BCP 47 language tag: a primary subtag of 2–3 letters, then subtags
/// of 1–8 letters or digits separated by `-`, 35 characters at most (`en`, `zh-Hans`, `es-419`).
pub fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let primary = parts.next().unwrap_or("");
    s.len() <= 35
        && (2..=3).contains(&primary.len())
        && primary.bytes().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|c| c.is_ascii_alphanumeric()))
}

/// Whether `s` is three capital ASCII letters, like an ISO 3166-1 alpha-3 code (`FRA`) or `EUU`.
pub fn is_state_code(s: &str) -> bool {
    s.len() == 3 && s.bytes().all(|c| c.is_ascii_uppercase())
}
