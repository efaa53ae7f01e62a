//! Who signed: the trust list and key rotation statements (every outcome of checking a file
//! against a list, the command-line tool's exit statuses, the Python verifier, a fuzz of both
//! parsers).

mod common;

use common::fuzz::{self, apply, config, edit};
use common::{full_reply, ts, unsigned, OTHER_SECRET, TEST_SECRET};
use proptest::prelude::*;
use serde_json::Value;
use untoc_art32::core::model::Questionnaire;
use untoc_art32::core::submission::{
    extras, key_id, public_key, sign_document, verify, VerifyError,
};
use untoc_art32::core::trust::{standing, Reason, Rotation, Standing, TrustError, TrustList};

/// The secretariat's throwaway key, and two more keys of the State.
const SECRETARIAT: [u8; 32] = [21; 32];
const NEW_SECRET: [u8; 32] = [23; 32];
const NEWER_SECRET: [u8; 32] = [25; 32];

fn kid(secret: &[u8; 32]) -> String {
    key_id(&public_key(secret))
}

/// France registered TEST_SECRET's key from 2026-01-01; Germany OTHER_SECRET's.
fn list() -> TrustList {
    let mut l = TrustList::default();
    l.add("FRA", &kid(&TEST_SECRET), "2026-01-01").unwrap();
    l.add("DEU", &kid(&OTHER_SECRET), "2026-01-01").unwrap();
    l
}

fn signed_list(l: &TrustList, secret: &[u8; 32]) -> String {
    let mut l = l.clone();
    l.sequence += 1;
    l.issued_at = Some(ts("2026-12-01T08:00:00Z"));
    sign_document(&l.to_document(), secret, &ts("2026-12-01T08:00:00Z"))
}

fn rotation(old: &[u8; 32], new: &[u8; 32], at: &str) -> String {
    let r = Rotation {
        state: "FRA".to_owned(),
        old_key_id: kid(old),
        new_key_id: kid(new),
        rotated_at: ts(at),
    };
    sign_document(&r.to_document(), old, &ts(at))
}

/// France's full reply signed by `secret` at `at`, carrying `rotations` (signed statements).
fn reply(secret: &[u8; 32], at: &str, rotations: &[String]) -> String {
    let mut doc = unsigned(
        Questionnaire::builtin(),
        &full_reply(Questionnaire::builtin(), false),
    )
    .into_json();
    if !rotations.is_empty() {
        let items = rotations
            .iter()
            .map(|r| serde_json::from_str::<Value>(r).unwrap())
            .collect();
        doc.insert("rotations".to_owned(), Value::Array(items));
    }
    sign_document(&doc, secret, &ts(at))
}

/// The standing of a reply file against a signed list read back with the secretariat's key.
fn standing_of(file: &str, l: &TrustList) -> Standing {
    let (l, _) = TrustList::read(
        signed_list(l, &SECRETARIAT).as_bytes(),
        Some(&kid(&SECRETARIAT)),
    )
    .unwrap();
    let v = verify(file.as_bytes()).expect("a valid reply");
    let x = extras(file.as_bytes(), &v).expect("well-formed rotations");
    standing(&l, &v.state, &v.key_id, &v.signed_at, &x.rotations)
}

#[test]
fn a_registered_key_an_unregistered_one_and_one_of_another_state() {
    assert_eq!(
        standing_of(&reply(&TEST_SECRET, "2026-11-27T10:00:00Z", &[]), &list()),
        Standing::Registered { through: 0 }
    );
    assert_eq!(
        standing_of(&reply(&NEW_SECRET, "2026-11-27T10:00:00Z", &[]), &list()),
        Standing::NotRegistered
    );
    assert_eq!(
        standing_of(&reply(&OTHER_SECRET, "2026-11-27T10:00:00Z", &[]), &list()),
        Standing::OtherState("DEU".to_owned())
    );
}

#[test]
fn a_revoked_key_counts_before_its_end_and_not_after() {
    let mut l = list();
    assert!(l
        .revoke(&kid(&TEST_SECRET), Reason::Lost, "2026-06-01")
        .unwrap());
    assert_eq!(
        standing_of(&reply(&TEST_SECRET, "2026-05-31T23:59:59Z", &[]), &l),
        Standing::Registered { through: 0 }
    );
    assert_eq!(
        standing_of(&reply(&TEST_SECRET, "2026-06-01T00:00:00Z", &[]), &l),
        Standing::NotInForce {
            reason: Some(Reason::Lost),
            since: "2026-06-01".to_owned()
        }
    );
    // Before the registration began.
    assert!(matches!(
        standing_of(&reply(&TEST_SECRET, "2025-12-31T10:00:00Z", &[]), &list()),
        Standing::NotInForce { reason: None, .. }
    ));
    // Ending it twice, or a key not on the list: nothing to revoke.
    assert!(!l
        .revoke(&kid(&TEST_SECRET), Reason::Withdrawn, "2026-07-01")
        .unwrap());
    assert!(!l
        .revoke(&kid(&NEW_SECRET), Reason::Withdrawn, "2026-07-01")
        .unwrap());
}

#[test]
fn a_chain_of_two_rotations_leads_to_the_registered_key() {
    let steps = [
        rotation(&TEST_SECRET, &NEW_SECRET, "2026-09-01T09:00:00Z"),
        rotation(&NEW_SECRET, &NEWER_SECRET, "2026-10-01T09:00:00Z"),
    ];
    let file = reply(&NEWER_SECRET, "2026-11-27T10:00:00Z", &steps);
    assert_eq!(
        standing_of(&file, &list()),
        Standing::Registered { through: 2 }
    );
    // The registered key rotated (its registration ended by rotation on the day): still holds.
    let mut l = list();
    l.revoke(&kid(&TEST_SECRET), Reason::Rotated, "2026-09-01")
        .unwrap();
    assert_eq!(standing_of(&file, &l), Standing::Registered { through: 2 });
    // Lost before it vouched for the next key: the chain does not hold.
    let mut l = list();
    l.revoke(&kid(&TEST_SECRET), Reason::Lost, "2026-08-01")
        .unwrap();
    assert!(matches!(
        standing_of(&file, &l),
        Standing::NotInForce {
            reason: Some(Reason::Lost),
            ..
        }
    ));
}

#[test]
fn a_broken_chain_does_not_register_the_key() {
    // The middle statement is missing.
    let file = reply(
        &NEWER_SECRET,
        "2026-11-27T10:00:00Z",
        &[rotation(&NEW_SECRET, &NEWER_SECRET, "2026-10-01T09:00:00Z")],
    );
    assert_eq!(standing_of(&file, &list()), Standing::NotRegistered);
    // A statement made after the file was signed does not count.
    let file = reply(
        &NEW_SECRET,
        "2026-08-27T10:00:00Z",
        &[rotation(&TEST_SECRET, &NEW_SECRET, "2026-09-01T09:00:00Z")],
    );
    assert_eq!(standing_of(&file, &list()), Standing::NotRegistered);
    // A statement not signed by the old key it names makes the file invalid.
    let forged = {
        let r = Rotation {
            state: "FRA".to_owned(),
            old_key_id: kid(&TEST_SECRET),
            new_key_id: kid(&NEW_SECRET),
            rotated_at: ts("2026-09-01T09:00:00Z"),
        };
        sign_document(&r.to_document(), &NEW_SECRET, &ts("2026-09-01T09:00:00Z"))
    };
    let file = reply(&NEW_SECRET, "2026-11-27T10:00:00Z", &[forged]);
    let v = verify(file.as_bytes()).expect("signed, and of the right shape");
    assert!(
        matches!(extras(file.as_bytes(), &v), Err(VerifyError::InvalidMember { member, .. }) if member == "rotations")
    );
}

#[test]
fn a_list_is_checked_before_it_is_believed() {
    let good = signed_list(&list(), &SECRETARIAT);
    assert!(TrustList::read(good.as_bytes(), Some(&kid(&SECRETARIAT))).is_ok());
    // Its own signature fails.
    let tampered = good.replace(&kid(&OTHER_SECRET), &kid(&NEW_SECRET));
    assert_eq!(
        TrustList::read(tampered.as_bytes(), None).unwrap_err(),
        TrustError::Unsigned(VerifyError::SignatureInvalid)
    );
    // Signed by another key than the secretariat's.
    let other = signed_list(&list(), &OTHER_SECRET);
    assert_eq!(
        TrustList::read(other.as_bytes(), Some(&kid(&SECRETARIAT))).unwrap_err(),
        TrustError::OtherSecretariat {
            signed_by: kid(&OTHER_SECRET)
        }
    );
    // Bad content, even signed: a key twice, a date that is not one.
    let mut twice = list();
    assert!(twice.add("ITA", &kid(&TEST_SECRET), "2026-01-01").is_err());
    assert_eq!(twice, list(), "a refused change changes nothing");
    let mut doc: Value = serde_json::from_str(&good).unwrap();
    doc.as_object_mut().unwrap().remove("signature");
    doc["states"]["FRA"][0]["since"] = Value::from("2026-13-01");
    let bad = sign_document(
        doc.as_object().unwrap(),
        &SECRETARIAT,
        &ts("2026-12-01T08:00:00Z"),
    );
    assert!(matches!(
        TrustList::read(bad.as_bytes(), None),
        Err(TrustError::Malformed(_))
    ));
}

// ------------------------------------------------------------------------------------------
// The command-line tool and the Python verifier
// ------------------------------------------------------------------------------------------

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("art32-trust-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn art32(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_art32"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn art32_manages_a_list_and_verifies_against_it_with_an_exit_status_for_each_case() {
    let dir = scratch("cli");
    std::fs::write(dir.join("secretariat.key"), hex(&SECRETARIAT) + "\n").unwrap();
    let run = |args: &[&str]| {
        let out = art32(&dir, args);
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr),
        )
    };
    assert_eq!(run(&["trust", "init"]).0, Some(0));
    assert_eq!(
        run(&[
            "trust",
            "add",
            "FRA",
            &kid(&TEST_SECRET),
            "--since",
            "2026-01-01"
        ])
        .0,
        Some(0)
    );
    assert_eq!(
        run(&[
            "trust",
            "add",
            "DEU",
            &kid(&OTHER_SECRET),
            "--since",
            "2026-01-01"
        ])
        .0,
        Some(0)
    );
    // A bad date or key is refused, and the list stays as it was.
    let before = std::fs::read_to_string(dir.join("trust-list.json")).unwrap();
    assert_eq!(
        run(&["trust", "add", "ITA", "notakey", "--since", "2026-01-01"]).0,
        Some(1)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("trust-list.json")).unwrap(),
        before
    );
    let (code, out) = run(&[
        "trust",
        "sign",
        "--key",
        "secretariat.key",
        "-o",
        "signed-list.json",
    ]);
    assert_eq!(code, Some(0), "{out}");
    let (code, out) = run(&["trust", "show", "signed-list.json"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("FRA") && out.contains(&kid(&SECRETARIAT)),
        "{out}"
    );
    std::fs::write(
        dir.join("fra.json"),
        reply(&TEST_SECRET, "2026-11-27T10:00:00Z", &[]),
    )
    .unwrap();
    std::fs::write(
        dir.join("new-key.json"),
        reply(&NEW_SECRET, "2026-11-27T10:00:00Z", &[]),
    )
    .unwrap();
    std::fs::write(
        dir.join("rotated.json"),
        reply(
            &NEW_SECRET,
            "2026-11-27T10:00:00Z",
            &[rotation(&TEST_SECRET, &NEW_SECRET, "2026-09-01T09:00:00Z")],
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("broken.json"),
        reply(&TEST_SECRET, "2026-11-27T10:00:00Z", &[]).replace("FRA", "DEU"),
    )
    .unwrap();
    let secretariat = kid(&SECRETARIAT);
    let verify = |file: &str| {
        run(&[
            "verify",
            "--trust",
            "signed-list.json",
            "--secretariat",
            &secretariat,
            file,
        ])
    };
    let (code, out) = verify("fra.json");
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("registered to its State"), "{out}");
    let (code, out) = verify("rotated.json");
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("through 1 key rotation"), "{out}");
    let (code, out) = verify("new-key.json");
    assert_eq!(code, Some(3), "{out}");
    assert!(out.contains("not registered"), "{out}");
    assert_eq!(verify("broken.json").0, Some(1));
    // A rotation statement not signed by the old key it names: invalid.
    let forged = {
        let r = Rotation {
            state: "FRA".to_owned(),
            old_key_id: kid(&TEST_SECRET),
            new_key_id: kid(&NEW_SECRET),
            rotated_at: ts("2026-09-01T09:00:00Z"),
        };
        sign_document(&r.to_document(), &NEW_SECRET, &ts("2026-09-01T09:00:00Z"))
    };
    std::fs::write(
        dir.join("forged.json"),
        reply(&NEW_SECRET, "2026-11-27T10:00:00Z", &[forged]),
    )
    .unwrap();
    let (code, out) = verify("forged.json");
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("INVALID") && out.contains("rotations"),
        "{out}"
    );
    // A list signed by another key than the one given: nothing is believed.
    let (code, out) = run(&[
        "verify",
        "--trust",
        "signed-list.json",
        "--secretariat",
        &kid(&OTHER_SECRET),
        "fra.json",
    ]);
    assert_eq!(code, Some(1), "{out}");
    // Revoked from a date before the signing: valid, not registered.
    assert_eq!(
        run(&[
            "trust",
            "revoke",
            &kid(&TEST_SECRET),
            "--reason",
            "lost",
            "--since",
            "2026-06-01"
        ])
        .0,
        Some(0)
    );
    assert_eq!(
        run(&[
            "trust",
            "sign",
            "--key",
            "secretariat.key",
            "-o",
            "signed-list.json"
        ])
        .0,
        Some(0)
    );
    let (code, out) = verify("fra.json");
    assert_eq!(code, Some(3), "{out}");
}

#[test]
fn the_python_verifier_checks_a_file_against_a_list() {
    let dir = scratch("python");
    std::fs::write(dir.join("list.json"), signed_list(&list(), &SECRETARIAT)).unwrap();
    std::fs::write(
        dir.join("fra.json"),
        reply(&TEST_SECRET, "2026-11-27T10:00:00Z", &[]),
    )
    .unwrap();
    std::fs::write(
        dir.join("new-key.json"),
        reply(&NEW_SECRET, "2026-11-27T10:00:00Z", &[]),
    )
    .unwrap();
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/verify_submission.py");
    let run = |file: &str, secretariat: &str| {
        let out = std::process::Command::new("python3")
            .current_dir(&dir)
            .arg(&script)
            .args([file, "--trust", "list.json", "--secretariat", secretariat])
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr),
        )
    };
    let (code, out) = run("fra.json", &kid(&SECRETARIAT));
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("registered to FRA"), "{out}");
    let (code, out) = run("new-key.json", &kid(&SECRETARIAT));
    assert_eq!(code, Some(3), "{out}");
    let (code, out) = run("fra.json", &kid(&OTHER_SECRET));
    assert_eq!(code, Some(1), "{out}");
}

// ------------------------------------------------------------------------------------------
// Fuzz: 100,000 cases over the list and statement parsers
// ------------------------------------------------------------------------------------------

thread_local! {
    static FILES: (Vec<u8>, Vec<u8>) = (
        signed_list(&list(), &SECRETARIAT).into_bytes(),
        rotation(&TEST_SECRET, &NEW_SECRET, "2026-09-01T09:00:00Z").into_bytes(),
    );
}

fn json_value() -> impl Strategy<Value = Value> {
    fuzz::json_value(
        vec![
            "FRA",
            "2026-01-01",
            "2026-09-01T09:00:00Z",
            "lost",
            "rotated",
            "key_id",
            "since",
        ],
        "[a-z_]{1,8}|key_id|since|ended|reason",
    )
}

proptest! {
    #![proptest_config(config(35_000))]
    #[test]
    fn edits_of_a_signed_list_never_read_as_another_list(edits in prop::collection::vec(edit(), 1..5)) {
        FILES.with(|(l, _)| {
            let mut b = l.clone();
            for e in &edits { apply(&mut b, e); }
            if let Ok((read, _)) = TrustList::read(&b, None) {
                prop_assert_eq!(Some(read), TrustList::read(l, None).ok().map(|x| x.0));
            }
            Ok(())
        })?;
    }
}

proptest! {
    #![proptest_config(config(35_000))]
    #[test]
    fn edits_of_a_statement_never_read_as_another(edits in prop::collection::vec(edit(), 1..5)) {
        FILES.with(|(_, r)| {
            let mut b = r.clone();
            for e in &edits { apply(&mut b, e); }
            if let Ok(read) = Rotation::read(&b) {
                prop_assert_eq!(Some(read), Rotation::read(r).ok());
            }
            Ok(())
        })?;
    }
}

proptest! {
    #![proptest_config(config(30_000))]
    /// Any JSON as a State's registrations, re-signed: refused, or a list that passes its checks.
    #[test]
    fn any_json_in_a_resigned_list_is_refused_or_well_formed(v in json_value()) {
        FILES.with(|(l, _)| {
            let mut doc: Value = serde_json::from_slice(l).unwrap();
            doc.as_object_mut().unwrap().remove("signature");
            doc["states"]["ITA"] = v;
            let text = sign_document(doc.as_object().unwrap(), &SECRETARIAT, &ts("2026-12-01T08:00:00Z"));
            if let Ok((read, _)) = TrustList::read(text.as_bytes(), None) {
                for regs in read.states.values() {
                    for r in regs {
                        prop_assert_eq!(r.key_id.len(), 64);
                        prop_assert!(r.ended.as_ref().is_none_or(|e| e.since >= r.since));
                    }
                }
            }
            Ok(())
        })?;
    }
}

/// The documented example: France's key registered, an earlier German key lost.
fn example_list() -> String {
    let mut l = TrustList::default();
    l.add("FRA", &kid(&TEST_SECRET), "2026-01-15").unwrap();
    l.add("DEU", &kid(&OTHER_SECRET), "2025-03-01").unwrap();
    l.revoke(&kid(&OTHER_SECRET), Reason::Lost, "2026-06-01")
        .unwrap();
    l.sequence = 7;
    l.issued_at = Some(ts("2026-12-01T08:00:00Z"));
    sign_document(&l.to_document(), &SECRETARIAT, &ts("2026-12-01T08:00:00Z"))
}

#[test]
fn the_format_document_shows_a_list_the_tool_writes() {
    let doc = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/trust-list.md"),
    )
    .unwrap();
    let marker = "<!-- trust list example";
    let rest = &doc[doc.find(marker).unwrap()..];
    let start = rest.find("```json\n").unwrap() + "```json\n".len();
    let shown = &rest[start..start + rest[start..].find("```\n").unwrap()];
    let pretty =
        serde_json::to_string_pretty(&serde_json::from_str::<Value>(&example_list()).unwrap())
            .unwrap()
            + "\n";
    if std::env::var_os("ART32_WRITE_EXAMPLES").is_some() {
        println!("LIST\n{pretty}END");
    }
    assert_eq!(
        shown, pretty,
        "regenerate the example (ART32_WRITE_EXAMPLES=1)"
    );
    let (l, s) = TrustList::read(shown.as_bytes(), Some(&kid(&SECRETARIAT))).unwrap();
    assert_eq!(l.sequence, 7);
    assert!(doc.contains(&s.key_id));
}

/// The signer's worker reads a list and tells a file's standing, as the app asks it to.
#[test]
fn the_signer_reads_a_list_and_tells_a_standing() {
    use untoc_art32::core::signer::{run, Done, Job};
    let list = signed_list(&list(), &SECRETARIAT);
    let Done::ListRead(Ok(info)) = run(Job::ReadList { text: list.clone() }) else {
        panic!("the list reads")
    };
    assert_eq!(
        (info.key_id.as_str(), info.sequence, info.states, info.keys),
        (kid(&SECRETARIAT).as_str(), 1, 2, 2)
    );
    assert!(matches!(
        run(Job::ReadList {
            text: list.replace("FRA", "ITA")
        }),
        Done::ListRead(Err(_))
    ));
    let standing = |file: String, secretariat: &[u8; 32]| match run(Job::Standing {
        submission: file,
        list: list.clone(),
        secretariat: kid(secretariat),
    }) {
        Done::Standing(s) => s,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        standing(
            reply(&TEST_SECRET, "2026-11-27T10:00:00Z", &[]),
            &SECRETARIAT
        ),
        Ok(Standing::Registered { through: 0 })
    );
    assert_eq!(
        standing(
            reply(&NEW_SECRET, "2026-11-27T10:00:00Z", &[]),
            &SECRETARIAT
        ),
        Ok(Standing::NotRegistered)
    );
    // A list not signed by the secretariat's key the user confirmed tells nothing.
    assert!(standing(
        reply(&TEST_SECRET, "2026-11-27T10:00:00Z", &[]),
        &OTHER_SECRET
    )
    .is_err());
}

/// The registration sheet reads a key id aloud in ICAO spelling words, and draws it as a QR code.
#[test]
fn a_key_id_is_read_aloud_and_drawn_as_a_qr_code() {
    use untoc_art32::core::submission::{qr_path, spoken_key_id};
    let id = "3f2a9c01be47d865".to_owned() + &"0".repeat(48);
    assert_eq!(
        spoken_key_id(&id),
        [
            "three foxtrot two alfa",
            "nine charlie zero one",
            "bravo echo four seven",
            "delta eight six five"
        ]
    );
    let id = kid(&TEST_SECRET);
    let (size, path) = qr_path(&id).unwrap();
    // 64 bytes at level M: version 5, 37 modules a side, its finder patterns in the corners.
    assert_eq!(size, 37);
    assert!(path.starts_with("M0,0h1v1h-1z"));
    let qr = qrcodegen::QrCode::encode_text(&id, qrcodegen::QrCodeEcc::Medium).unwrap();
    let dark = (0..size)
        .flat_map(|y| (0..size).map(move |x| (x, y)))
        .filter(|&(x, y)| qr.get_module(x, y))
        .count();
    assert_eq!(path.matches('M').count(), dark);
}

/// The browser's side of a rotation: the signer makes the statements and keeps them, and signs
/// with the new key a reply that carries the chain leading to it.
mod in_the_browser {
    use super::*;
    use untoc_art32::core::signer::{run, Done, Job};
    use untoc_art32::core::trust::{chain_to, read_kept, rotate};

    fn rotated(kept: &str, old: &[u8; 32], new: &[u8; 32], at: &str) -> String {
        match run(Job::Rotate {
            old: *old,
            new: *new,
            state: "FRA".to_owned(),
            rotated_at: ts(at),
            kept: kept.to_owned(),
        }) {
            Done::Rotated(Ok(kept)) => kept,
            other => panic!("no statement: {other:?}"),
        }
    }

    fn signed(secret: &[u8; 32], kept: &str) -> String {
        let document = unsigned(
            Questionnaire::builtin(),
            &full_reply(Questionnaire::builtin(), false),
        )
        .into_json();
        match run(Job::Sign {
            document,
            secret: *secret,
            signed_at: ts("2026-11-27T10:00:00Z"),
            rotations: kept.to_owned(),
        }) {
            Done::Signed { text, .. } => text,
            other => panic!("not signed: {other:?}"),
        }
    }

    #[test]
    fn two_replacements_in_the_app_keep_the_new_key_registered() {
        let once = rotated("", &TEST_SECRET, &NEW_SECRET, "2026-09-01T09:00:00Z");
        let twice = rotated(&once, &NEW_SECRET, &NEWER_SECRET, "2026-10-01T09:00:00Z");
        assert_eq!(read_kept(&twice).unwrap().len(), 2);
        assert_eq!(
            standing_of(&signed(&NEWER_SECRET, &twice), &list()),
            Standing::Registered { through: 2 }
        );
        assert_eq!(
            standing_of(&signed(&NEW_SECRET, &twice), &list()),
            Standing::Registered { through: 1 }
        );
        // The registered key itself carries no statement; a key never rotated to, none either.
        let file = signed(&TEST_SECRET, &twice);
        assert!(!file.contains("\"rotations\""));
        assert_eq!(
            standing_of(&file, &list()),
            Standing::Registered { through: 0 }
        );
        assert!(!signed(&OTHER_SECRET, &twice).contains("\"rotations\""));
    }

    #[test]
    fn the_chain_is_the_states_own_oldest_first_and_ends_at_a_loop() {
        let kept = read_kept(&rotated(
            &rotated("", &TEST_SECRET, &NEW_SECRET, "2026-09-01T09:00:00Z"),
            &NEW_SECRET,
            &NEWER_SECRET,
            "2026-10-01T09:00:00Z",
        ))
        .unwrap();
        let chain = chain_to(&kept, "FRA", &kid(&NEWER_SECRET));
        let olds: Vec<_> = chain
            .iter()
            .map(|s| s["old_key_id"].as_str().unwrap())
            .collect();
        assert_eq!(olds, [kid(&TEST_SECRET), kid(&NEW_SECRET)]);
        assert!(chain_to(&kept, "DEU", &kid(&NEWER_SECRET)).is_empty());
        // Back to the first key: the loop is not followed twice.
        let looped = read_kept(
            &rotate(
                &serde_json::to_string(&kept).unwrap(),
                &NEWER_SECRET,
                &TEST_SECRET,
                "FRA",
                &ts("2026-11-01T09:00:00Z"),
            )
            .unwrap(),
        )
        .unwrap();
        assert_eq!(chain_to(&looped, "FRA", &kid(&TEST_SECRET)).len(), 2);
    }

    #[test]
    fn a_rotation_is_refused_and_nothing_made_from_unreadable_or_forged_statements() {
        let at = ts("2026-09-01T09:00:00Z");
        for bad in [
            "{",
            "{}",
            "[1]",
            "[{\"format\":\"untoc-art32-key-rotation\"}]",
        ] {
            assert!(
                rotate(bad, &TEST_SECRET, &NEW_SECRET, "FRA", &at).is_err(),
                "{bad}"
            );
        }
        let kept = rotate("", &TEST_SECRET, &NEW_SECRET, "FRA", &at).unwrap();
        let forged = kept.replace(&kid(&NEW_SECRET), &kid(&OTHER_SECRET));
        assert!(matches!(read_kept(&forged), Err(TrustError::Unsigned(_))));
        assert!(rotate(&forged, &NEW_SECRET, &NEWER_SECRET, "FRA", &at).is_err());
        // A key cannot vouch for itself, and the statement needs a State code.
        assert!(rotate("", &TEST_SECRET, &TEST_SECRET, "FRA", &at).is_err());
        assert!(rotate("", &TEST_SECRET, &NEW_SECRET, "France", &at).is_err());
        // Through the signer: refused in words, and signing with such a text adds nothing.
        assert!(matches!(
            run(Job::Rotate {
                old: TEST_SECRET,
                new: NEW_SECRET,
                state: "FRA".to_owned(),
                rotated_at: at,
                kept: forged.clone(),
            }),
            Done::Rotated(Err(_))
        ));
        assert!(!signed(&NEW_SECRET, &forged).contains("\"rotations\""));
    }
}

/// The statements a browser keeps (`read_kept`), made by two rotations, and each canonical.
fn kept_statements() -> &'static (String, Vec<Vec<u8>>) {
    static KEPT: std::sync::OnceLock<(String, Vec<Vec<u8>>)> = std::sync::OnceLock::new();
    KEPT.get_or_init(|| {
        use untoc_art32::core::submission::canonical;
        use untoc_art32::core::trust::{read_kept, rotate};
        let at = ts("2026-09-01T09:00:00Z");
        let once = rotate("", &TEST_SECRET, &NEW_SECRET, "FRA", &at).unwrap();
        let twice = rotate(&once, &NEW_SECRET, &NEWER_SECRET, "FRA", &at).unwrap();
        let each = read_kept(&twice)
            .unwrap()
            .iter()
            .map(|s| canonical(s).unwrap())
            .collect();
        (twice, each)
    })
}

proptest! {
    #![proptest_config(config(20_000))]
    /// Edits of the kept statements: refused, or the same statements (spacing may change).
    #[test]
    fn edits_of_kept_statements_never_read_as_other_statements(edits in prop::collection::vec(edit(), 1..5)) {
        use untoc_art32::core::submission::canonical;
        let (kept, each) = kept_statements();
        let mut b = kept.clone().into_bytes();
        for e in &edits { apply(&mut b, e); }
        if let Ok(read) = untoc_art32::core::trust::read_kept(&String::from_utf8_lossy(&b)) {
            for s in &read {
                prop_assert!(each.contains(&canonical(s).unwrap()));
            }
        }
    }
}

/// The documented statement: France's registered key vouches for a new one, made as the app does.
#[test]
fn the_format_document_shows_a_statement_the_app_makes() {
    let doc = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/trust-list.md"),
    )
    .unwrap();
    let kept = untoc_art32::core::trust::rotate(
        "",
        &TEST_SECRET,
        &NEW_SECRET,
        "FRA",
        &ts("2026-09-01T09:00:00Z"),
    )
    .unwrap();
    let statement = &untoc_art32::core::trust::read_kept(&kept).unwrap()[0];
    let pretty = serde_json::to_string_pretty(statement).unwrap() + "\n";
    if std::env::var_os("ART32_WRITE_EXAMPLES").is_some() {
        println!("STATEMENT\n{pretty}END");
    }
    let marker = "<!-- rotation statement example";
    let rest = &doc[doc.find(marker).expect("the example is in the document")..];
    let start = rest.find("```json\n").unwrap() + "```json\n".len();
    let shown = &rest[start..start + rest[start..].find("```\n").unwrap()];
    assert_eq!(
        shown, pretty,
        "regenerate the example (ART32_WRITE_EXAMPLES=1)"
    );
    let read = Rotation::read(shown.as_bytes()).unwrap();
    assert_eq!(read.old_key_id, kid(&TEST_SECRET));
}
