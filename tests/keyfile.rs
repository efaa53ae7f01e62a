//! Key backups: a passphrase-protected PKCS #8 file that opens with the passphrase only, and that
//! standard tools (Python's `cryptography`) read as the same Ed25519 key.

use untoc_art32::core::keyfile::{lock, lock_with_iterations, long_enough, unlock, KeyFileError};
use untoc_art32::core::submission::{key_id, public_key};

const SECRET: [u8; 32] = [7; 32];
const PASS: &str = "correct horse battery staple";

fn locked() -> String {
    lock_with_iterations(&SECRET, PASS, &[1; 16], &[2; 16], 1_000).unwrap()
}

#[test]
fn a_backup_opens_with_its_passphrase_only() {
    let pem = locked();
    assert!(pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"));
    assert_eq!(unlock(&pem, PASS), Ok(SECRET));
    assert_eq!(
        unlock(&pem, "correct horse battery stapler"),
        Err(KeyFileError::WrongPassphrase)
    );
}

#[test]
fn short_passphrases_and_foreign_files_are_refused() {
    assert_eq!(
        lock(&SECRET, "short", &[1; 16], &[2; 16]),
        Err(KeyFileError::PassphraseTooShort)
    );
    // Characters, not bytes: four Chinese characters are twelve bytes of UTF-8, and too short.
    assert!(!long_enough("密码短语") && !long_enough("eleven char"));
    assert!(long_enough("twelve chars") && long_enough("这是一个足够长的密码短语呢"));
    assert_eq!(
        lock_with_iterations(&SECRET, "密码短语", &[1; 16], &[2; 16], 1),
        Err(KeyFileError::PassphraseTooShort)
    );
    assert_eq!(unlock("hello", PASS), Err(KeyFileError::NotAKeyFile));
    let other_label = locked().replace("ENCRYPTED PRIVATE KEY", "CERTIFICATE");
    assert_eq!(unlock(&other_label, PASS), Err(KeyFileError::NotAKeyFile));
    let mut damaged = locked().into_bytes();
    let mid = damaged.len() / 2;
    damaged[mid] = if damaged[mid] == b'A' { b'B' } else { b'A' };
    assert!(unlock(std::str::from_utf8(&damaged).unwrap(), PASS).is_err());
}

#[test]
fn python_cryptography_reads_the_backup_as_the_same_key() {
    let dir = std::env::temp_dir().join(format!("art32-key-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("key.pem");
    std::fs::write(&path, locked()).unwrap();
    let script = r#"
import sys, hashlib
from cryptography.hazmat.primitives import serialization
key = serialization.load_pem_private_key(open(sys.argv[1], 'rb').read(), password=sys.argv[2].encode())
raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
print(hashlib.sha256(raw).hexdigest())
"#;
    let out = std::process::Command::new("python3")
        .args(["-c", script, path.to_str().unwrap(), PASS])
        .output()
        .expect("python3 runs (scripts/setup.sh installs the `cryptography` package)");
    assert!(
        out.status.success(),
        "python could not read the backup: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        key_id(&public_key(&SECRET))
    );
}
