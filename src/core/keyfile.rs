//! Backing up the signing key: a passphrase-protected file in a standard format.
//!
//! The file is an RFC 5958 `ENCRYPTED PRIVATE KEY` (PKCS #8) in PEM, with PBES2: PBKDF2-HMAC-SHA256
//! and AES-256-CBC (RFC 8018), around the RFC 8410 Ed25519 private key. OpenSSL
//! (`openssl pkey -in key.pem`) and Python's `cryptography` read it as it is.

use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey, KeypairBytes};
use pkcs8::der::pem::LineEnding;
use pkcs8::{EncryptedPrivateKeyInfo, PrivateKeyInfo, SecretDocument};

/// PBKDF2 iterations: OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256.
pub const PBKDF2_ITERATIONS: u32 = 600_000;
/// The shortest passphrase accepted for a key backup.
pub const MIN_PASSPHRASE_CHARS: usize = 12;

const PEM_LABEL: &str = "ENCRYPTED PRIVATE KEY";

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum KeyFileError {
    /// The passphrase is shorter than [`MIN_PASSPHRASE_CHARS`].
    PassphraseTooShort,
    /// Not a PEM `ENCRYPTED PRIVATE KEY`, or not an Ed25519 key.
    NotAKeyFile,
    /// The passphrase does not open the file (or the file was altered).
    WrongPassphrase,
}

/// Encrypts the 32-byte secret key under a passphrase; `salt` and `iv` must be fresh random bytes.
pub fn lock(
    secret: &[u8; 32],
    passphrase: &str,
    salt: &[u8; 16],
    iv: &[u8; 16],
) -> Result<String, KeyFileError> {
    lock_with_iterations(secret, passphrase, salt, iv, PBKDF2_ITERATIONS)
}

/// Whether a passphrase is long enough to protect a key: [`MIN_PASSPHRASE_CHARS`] characters.
/// (The page asks before it starts the worker, so a short one is refused at once.)
pub fn long_enough(passphrase: &str) -> bool {
    passphrase.chars().count() >= MIN_PASSPHRASE_CHARS
}

/// [`lock`] with a chosen iteration count (tests use fewer: the format is the same).
pub fn lock_with_iterations(
    secret: &[u8; 32],
    passphrase: &str,
    salt: &[u8; 16],
    iv: &[u8; 16],
    iterations: u32,
) -> Result<String, KeyFileError> {
    if !long_enough(passphrase) {
        return Err(KeyFileError::PassphraseTooShort);
    }
    let plain = KeypairBytes {
        secret_key: *secret,
        public_key: None,
    }
    .to_pkcs8_der()
    .expect("an Ed25519 key always encodes");
    let info = PrivateKeyInfo::try_from(plain.as_bytes()).expect("just encoded");
    let params = pkcs8::pkcs5::pbes2::Parameters::pbkdf2_sha256_aes256cbc(iterations, salt, iv)
        .expect("valid PBES2 parameters");
    let encrypted: SecretDocument = info
        .encrypt_with_params(params, passphrase.as_bytes())
        .expect("encryption succeeds");
    Ok(encrypted
        .to_pem(PEM_LABEL, LineEnding::LF)
        .expect("PEM encoding succeeds")
        .to_string())
}

/// Opens a key backup with its passphrase.
pub fn unlock(pem: &str, passphrase: &str) -> Result<[u8; 32], KeyFileError> {
    let (label, doc) =
        SecretDocument::from_pem(pem.trim()).map_err(|_| KeyFileError::NotAKeyFile)?;
    if label != PEM_LABEL {
        return Err(KeyFileError::NotAKeyFile);
    }
    let info =
        EncryptedPrivateKeyInfo::try_from(doc.as_bytes()).map_err(|_| KeyFileError::NotAKeyFile)?;
    let plain = info
        .decrypt(passphrase.as_bytes())
        .map_err(|_| KeyFileError::WrongPassphrase)?;
    let pair =
        KeypairBytes::from_pkcs8_der(plain.as_bytes()).map_err(|_| KeyFileError::NotAKeyFile)?;
    Ok(pair.secret_key)
}
