//! Signed submissions: building, signing, verifying, reading back; the RFC 8785 vectors; the
//! Python verifier and the `art32` command line against the same files; random mutations.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine as _;
use proptest::prelude::*;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use common::fuzz::{self, apply, config, edit, no_floats, Edit};
use common::*;
use untoc_art32::core::answers::{Answer, Answers, Row};
use untoc_art32::core::model::Questionnaire;
use untoc_art32::core::submission::{
    build, canonical, group_key_id, items, key_id, public_key, sign, to_answers, verify,
    BuildError, ImportError, Submitted, Timestamp, VerifyError, MAX_SAFE_INTEGER,
    MAX_SUBMISSION_BYTES,
};
use untoc_art32::core::validate::{visible, Problem};

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

fn to_text(v: &Value) -> String {
    serde_json::to_string(v).unwrap()
}

/// Edits a signed file as JSON (the signature is left as it was) and verifies the result.
fn verify_edited(file: &str, edit: impl FnOnce(&mut Value)) -> Result<(), VerifyError> {
    let mut v = parse(file);
    edit(&mut v);
    verify(to_text(&v).as_bytes()).map(|_| ())
}

// ------------------------------------------------------------------------------------------
// Round trip
// ------------------------------------------------------------------------------------------

#[test]
fn sign_then_verify_round_trip_with_a_fixed_key() {
    let file = signed_full(true);
    assert_eq!(
        file,
        signed_full(true),
        "Ed25519 with a fixed key and fixed times is deterministic"
    );
    let v = verify(file.as_bytes()).expect("a freshly signed file verifies");

    let public = public_key(&TEST_SECRET);
    let expected_id = format!("{:x}", Sha256::digest(public));
    assert_eq!(v.public_key, public);
    assert_eq!(v.key_id, expected_id);
    assert_eq!(key_id(&public), expected_id);
    assert_eq!(
        (
            v.state.as_str(),
            v.language.as_str(),
            v.app_version.as_str()
        ),
        ("FRA", "en", "0.1.0")
    );
    assert_eq!(v.signed_at, ts("2026-11-27T10:20:00Z"));
    assert_eq!(v.generated_at, ts("2026-11-27T10:15:00Z"));
    let q = Questionnaire::builtin();
    assert_eq!(
        (v.questionnaire_id.as_str(), v.questionnaire_version),
        (q.id, q.version)
    );

    let doc = parse(&file);
    let top: Vec<&str> = doc
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        top,
        [
            "answers",
            "app_version",
            "format",
            "format_version",
            "generated_at",
            "language",
            "questionnaire",
            "signature",
            "state"
        ]
    );
    assert_eq!(doc["format"], "untoc-art32-submission");
    assert_eq!(doc["format_version"], 1);
    let sig = doc["signature"].as_object().unwrap();
    let members: Vec<&str> = sig.keys().map(String::as_str).collect();
    assert_eq!(
        members,
        [
            "algorithm",
            "canonicalization",
            "key_id",
            "public_key",
            "signed_at",
            "value"
        ]
    );
    assert_eq!(sig["algorithm"], "Ed25519");
    assert_eq!(sig["canonicalization"], "RFC8785");
    assert_eq!(
        URL_SAFE_NO_PAD
            .decode(sig["public_key"].as_str().unwrap())
            .unwrap(),
        public
    );
    assert_eq!(sig["key_id"], expected_id.as_str());
    assert_eq!(
        URL_SAFE_NO_PAD
            .decode(sig["value"].as_str().unwrap())
            .unwrap()
            .len(),
        64
    );
    assert!(no_floats(&doc));

    // The file is the canonical form of itself: compact, no insignificant white space.
    assert_eq!(canonical(&doc).unwrap(), file.as_bytes());

    // The signature is over the canonical form less signature.value, checked here independently.
    let mut unsigned = doc.clone();
    let value = unsigned["signature"]
        .as_object_mut()
        .unwrap()
        .remove("value")
        .unwrap();
    let message = serde_json_canonicalizer::to_vec(&unsigned).unwrap();
    let key = ed25519_dalek::VerifyingKey::from_bytes(&public).unwrap();
    let sig_bytes: [u8; 64] = URL_SAFE_NO_PAD
        .decode(value.as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap();
    key.verify_strict(&message, &ed25519_dalek::Signature::from_bytes(&sig_bytes))
        .unwrap();
}

#[test]
fn answers_take_their_export_shapes() {
    let file = signed_small();
    let doc = parse(&file);
    assert_eq!(
        doc["answers"],
        json!({
            "S1": {"selected": "FRA"},
            "E1": {"selected": ["a", "other"], "other": "Port"},
            "E9": [{"year": 2024, "cases": null}],
        }),
        "multi in definition order; the row key is not exported; null is \"no data\""
    );
    assert_eq!(doc["state"], "FRA");

    // Every kind of the shipped questionnaire, from a rich reply.
    let q = Questionnaire::builtin();
    let a = full_reply(q, true);
    let u = unsigned(q, &a);
    let answers = &u.as_json()["answers"];
    assert!(answers["B1a"].is_array(), "urls: an array of lines");
    assert_eq!(
        answers["B1a"],
        json!([
            "https://laws.example.org/act-1",
            "https://laws.example.org/act-2"
        ])
    );
    assert!(
        answers["S4"]["from"].is_string() && answers["S4"]["to"].is_string(),
        "period"
    );
    assert_eq!(answers["H6"], json!(true), "confirm");
    assert!(answers["H3"].is_string(), "email");
    let a3 = answers["A3"].as_array().expect("group: an array of rows");
    assert!(a3.iter().all(|r| r.is_object() && r.get("key").is_none()));
    assert_eq!(a3[0]["role"], json!({"selected": "primary"}));
    let d2 = &answers["D2"];
    assert!(
        d2["selected"].as_array().unwrap().contains(&json!("other")) && d2["other"].is_string()
    );
    let e9 = answers["E9"].as_array().unwrap();
    assert!(
        e9.iter()
            .any(|r| r.as_object().unwrap().values().any(Value::is_null)),
        "no data"
    );
    assert!(
        e9.iter().all(|r| r["year"].is_i64()),
        "numbers are integers"
    );
    assert!(no_floats(&Value::Object(u.as_json().clone())));
}

#[test]
fn hidden_and_unanswered_questions_are_left_out() {
    let q = Questionnaire::builtin();
    let mut a = full_reply(q, false);
    a.set("E1", choice(&["no"]));
    // E1a hangs off E1; its rows are kept in the draft but hidden now.
    assert!(a.get("E1a").is_some() && !visible(q, &a).contains("E1a"));
    let u = unsigned(q, &a);
    let answers = u.as_json()["answers"].as_object().unwrap();
    assert!(
        !answers.contains_key("E1a"),
        "hidden answers are not exported"
    );
    assert!(
        !answers.contains_key("D3"),
        "unanswered questions are not exported"
    );
    let shown = visible(q, &a);
    assert!(answers.keys().all(|k| shown.contains(k.as_str())));

    // Blank text and blank row fields are not answers.
    let small = small_questionnaire();
    let mut a = small_answers();
    a.set(
        "E1",
        Answer::Choice {
            selected: vec!["a".into()],
            other: "  stale  ".into(),
        },
    );
    let mut row = Row {
        key: 1,
        fields: Default::default(),
    };
    row.set(
        "year",
        Answer::Number {
            value: " 2020 ".into(),
            no_data: false,
        },
    );
    row.set(
        "cases",
        Answer::Number {
            value: "  ".into(),
            no_data: false,
        },
    );
    a.set("E9", Answer::Rows(vec![row]));
    let u = unsigned(&small, &a);
    assert_eq!(
        u.as_json()["answers"]["E1"],
        json!({"selected": ["a"]}),
        "other only with an other option"
    );
    assert_eq!(u.as_json()["answers"]["E9"], json!([{"year": 2020}]));
}

#[test]
fn building_refuses_what_cannot_be_signed_faithfully() {
    let q = small_questionnaire();
    let at = ts("2026-01-01T00:00:00Z");
    let with_cases = |value: &str| {
        let mut a = small_answers();
        let mut row = Row {
            key: 0,
            fields: Default::default(),
        };
        row.set(
            "year",
            Answer::Number {
                value: "2024".into(),
                no_data: false,
            },
        );
        row.set(
            "cases",
            Answer::Number {
                value: value.into(),
                no_data: false,
            },
        );
        a.set("E9", Answer::Rows(vec![row]));
        build(&q, &a, "en", &at, "1.0.0")
    };
    let max = MAX_SAFE_INTEGER.to_string();
    let u = with_cases(&max).expect("2^53 - 1 is allowed");
    assert_eq!(
        u.as_json()["answers"]["E9"][0]["cases"],
        json!(MAX_SAFE_INTEGER)
    );
    assert!(with_cases("0").is_ok());
    for big in ["9007199254740992", "9223372036854775807"] {
        assert!(
            matches!(with_cases(big), Err(BuildError::NumberOutOfRange { ref question, at: Some((0, ref f)), .. }) if question == "E9" && f == "cases"),
            "{big}"
        );
    }
    // Not a whole number (or beyond i64): the reply does not validate, so nothing is signed.
    for bad in ["1.5", "1e3", "99999999999999999999"] {
        match with_cases(bad) {
            Err(BuildError::NotReady(issues)) => {
                assert_eq!(issues[0].problem, Problem::Number, "{bad}")
            }
            other => panic!("{bad}: {other:?}"),
        }
    }
    // Negative numbers: a question without a minimum.
    let neg = Questionnaire::from_json(
        r#"{"id":"t","version":1,"option_sets":{},"sections":[{"id":"S","questions":[
        {"id":"S1","kind":{"type":"single","options":[{"id":"FRA"}]},"required":true},
        {"id":"N","kind":{"type":"number"}}]}]}"#,
    )
    .unwrap();
    let mut a = Answers::default();
    a.set("S1", choice(&["FRA"]));
    a.set(
        "N",
        Answer::Number {
            value: format!("-{MAX_SAFE_INTEGER}"),
            no_data: false,
        },
    );
    assert!(build(&neg, &a, "en", &at, "1").is_ok());
    a.set(
        "N",
        Answer::Number {
            value: format!("-{}", MAX_SAFE_INTEGER + 1),
            no_data: false,
        },
    );
    assert!(matches!(
        build(&neg, &a, "en", &at, "1"),
        Err(BuildError::NumberOutOfRange { .. })
    ));

    // Incomplete replies are not signed.
    let mut a = small_answers();
    a.0.remove("S1");
    assert!(matches!(
        build(&q, &a, "en", &at, "1"),
        Err(BuildError::NotReady(_))
    ));
    // The State must be a three-letter code.
    let odd = Questionnaire::from_json(
        r#"{"id":"t","version":1,"option_sets":{},"sections":[{"id":"S","questions":[
        {"id":"S1","kind":{"type":"single","options":[{"id":"france"}]},"required":true}]}]}"#,
    )
    .unwrap();
    let mut a = Answers::default();
    a.set("S1", choice(&["france"]));
    assert_eq!(
        build(&odd, &a, "en", &at, "1").unwrap_err(),
        BuildError::NoState
    );
    assert!(matches!(
        build(&q, &small_answers(), "english!", &at, "1"),
        Err(BuildError::BadLanguage(_))
    ));
    assert_eq!(
        build(&q, &small_answers(), "en", &at, "").unwrap_err(),
        BuildError::NoAppVersion
    );
    assert!(!BuildError::NoState.to_string().is_empty());
}

// ------------------------------------------------------------------------------------------
// Tampering
// ------------------------------------------------------------------------------------------

/// The file is written in canonical form, so it has no insignificant white space and no
/// alternative spelling of any character: every single-byte change alters the content (or breaks
/// the syntax) and must fail. (A `\u00XX` escape would be the one exception: the case of its hex
/// letters can change without changing the character. Canonical form only uses such escapes for
/// control characters, and the sample has none.)
#[test]
fn every_single_bit_flip_of_a_signed_file_fails() {
    let file = signed_small();
    assert!(
        !file.contains("\\u"),
        "the sample must not hold \\u escapes (see above)"
    );
    verify(file.as_bytes()).unwrap();
    let bytes = file.as_bytes();
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    for pos in 0..bytes.len() {
        for bit in 0..8 {
            let mut changed = bytes.to_vec();
            changed[pos] ^= 1 << bit;
            match verify(&changed) {
                Ok(_) => panic!(
                    "flipping bit {bit} of byte {pos} ({:?}) still verifies",
                    bytes[pos] as char
                ),
                Err(e) => {
                    *reasons
                        .entry(
                            format!("{e:?}")
                                .split([' ', '(', '{'])
                                .next()
                                .unwrap()
                                .to_owned(),
                        )
                        .or_default() += 1
                }
            }
        }
    }
    assert!(
        reasons.contains_key("SignatureInvalid"),
        "some flips reach the signature check: {reasons:?}"
    );
}

#[test]
fn changed_content_fails_the_signature() {
    let file = signed_full(false);
    assert_eq!(
        verify_edited(&file, |v| v["answers"]["H1"] = json!("Someone else")),
        Err(VerifyError::SignatureInvalid)
    );
    assert_eq!(
        verify_edited(&file, |v| v["language"] = json!("fr")),
        Err(VerifyError::SignatureInvalid)
    );
    assert_eq!(
        verify_edited(&file, |v| v["signature"]["signed_at"] =
            json!("2027-01-01T00:00:00Z")),
        Err(VerifyError::SignatureInvalid),
        "the other signature members are signed too"
    );
    assert_eq!(
        verify_edited(&file, |v| v["answers"]
            .as_object_mut()
            .unwrap()
            .remove("H2")
            .map(drop)
            .unwrap()),
        Err(VerifyError::SignatureInvalid)
    );
    // Someone else's key with this signature, consistently labelled.
    let other = public_key(&OTHER_SECRET);
    assert_eq!(
        verify_edited(&file, |v| {
            v["signature"]["public_key"] = json!(URL_SAFE_NO_PAD.encode(other));
            v["signature"]["key_id"] = json!(key_id(&other));
        }),
        Err(VerifyError::SignatureInvalid)
    );
    // Formatting does not matter: verification works on the canonical form.
    let pretty = serde_json::to_string_pretty(&parse(&file)).unwrap();
    assert!(verify(pretty.as_bytes()).is_ok());
    let reordered = format!(
        "{{\"state\":\"FRA\",{}",
        &file[1..].replace(",\"state\":\"FRA\"", "")
    );
    assert_ne!(reordered, file);
    assert!(
        verify(reordered.as_bytes()).is_ok(),
        "member order does not matter"
    );
}

// ------------------------------------------------------------------------------------------
// Malformed input
// ------------------------------------------------------------------------------------------

#[test]
fn malformed_files_give_their_own_reason() {
    use VerifyError as E;
    let file = signed_small();
    let check = |bytes: &[u8], expected: E| {
        let got = verify(bytes);
        assert_eq!(
            got.as_ref().err(),
            Some(&expected),
            "{:?}",
            String::from_utf8_lossy(&bytes[..bytes.len().min(300)])
        );
        assert!(!expected.to_string().is_empty());
    };
    let edited = |edit: &dyn Fn(&mut Value)| {
        let mut v = parse(&file);
        edit(&mut v);
        to_text(&v)
    };
    let sig_edit = |member: &'static str, value: Value| {
        edited(&move |v| v["signature"][member] = value.clone())
    };

    // Size, checked before parsing: 50 MB of anything.
    let huge = vec![b' '; 50_000_000];
    check(
        &huge,
        E::TooLarge {
            size: 50_000_000,
            limit: MAX_SUBMISSION_BYTES,
        },
    );
    let mut just_over = file.clone().into_bytes();
    just_over.resize(MAX_SUBMISSION_BYTES + 1, b' ');
    check(
        &just_over,
        E::TooLarge {
            size: MAX_SUBMISSION_BYTES + 1,
            limit: MAX_SUBMISSION_BYTES,
        },
    );
    let mut at_limit = file.clone().into_bytes();
    at_limit.resize(MAX_SUBMISSION_BYTES, b' ');
    assert!(
        verify(&at_limit).is_ok(),
        "trailing white space up to the limit is only formatting"
    );

    // Encoding.
    check(format!("\u{feff}{file}").as_bytes(), E::ByteOrderMark);
    let mut latin1 = file.clone().into_bytes();
    let pos = file.find("Port").unwrap();
    latin1[pos] = 0xE9;
    check(&latin1, E::NotUtf8 { offset: pos });

    // Syntax.
    for not_json in [
        &file[..file.len() - 1],
        "",
        "{",
        "nul",
        "{\"a\":1}x",
        "{'a':1}",
    ] {
        assert!(
            matches!(verify(not_json.as_bytes()), Err(E::NotJson(_))),
            "{not_json}"
        );
    }
    for lone in ["\\ud800", "\\udc00x", "\\ud800\\u0041"] {
        let text = file.replace("\"Port\"", &format!("\"{lone}\""));
        assert!(
            matches!(verify(text.as_bytes()), Err(E::NotJson(_))),
            "lone surrogate {lone}"
        );
    }
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(
        matches!(verify(deep.as_bytes()), Err(E::NotJson(_))),
        "deep nesting is refused, not a stack overflow"
    );
    check(b"[]", E::NotAnObject);
    check(b"\"untoc-art32-submission\"", E::NotAnObject);

    // Duplicate member names, at the top and nested (serde_json alone would keep the last).
    check(
        file.replacen("{", "{\"state\":\"DEU\",", 1).as_bytes(),
        E::DuplicateMember("state".into()),
    );
    check(
        file.replace(
            "\"algorithm\":\"Ed25519\"",
            "\"algorithm\":\"Ed25519\",\"algorithm\":\"Ed25519\"",
        )
        .as_bytes(),
        E::DuplicateMember("algorithm".into()),
    );
    check(
        file.replace("\"year\":2024}", "\"year\":2024,\"year\":2025}")
            .as_bytes(),
        E::DuplicateMember("year".into()),
    );
    check(
        file.replace(
            "\"other\":\"Port\"",
            "\"other\":\"Port\",\"\\u006fther\":\"Dock\"",
        )
        .as_bytes(),
        E::DuplicateMember("other".into()),
    );

    // Numbers: integers only, within ±(2^53 − 1).
    check(
        file.replace("\"format_version\":1", "\"format_version\":1.0")
            .as_bytes(),
        E::FloatNumber,
    );
    check(
        file.replace("\"year\":2024", "\"year\":2.024e3").as_bytes(),
        E::FloatNumber,
    );
    check(
        file.replace("\"year\":2024", "\"year\":-0").as_bytes(),
        E::FloatNumber,
    );
    check(
        file.replace("\"year\":2024", "\"year\":9007199254740992")
            .as_bytes(),
        E::IntegerOutOfRange,
    );
    check(
        file.replace("\"year\":2024", "\"year\":-9007199254740992")
            .as_bytes(),
        E::IntegerOutOfRange,
    );
    check(
        file.replace("\"year\":2024", "\"year\":123456789012345678901234567890")
            .as_bytes(),
        E::FloatNumber,
    );

    // The envelope.
    let draft = r#"{"format":"untoc-art32-draft","questionnaire":"untoc-art32","version":2,"lang":"en","answers":{}}"#;
    check(
        draft.as_bytes(),
        E::WrongFormat("\"untoc-art32-draft\"".into()),
    );
    check(
        edited(&|v| drop(v.as_object_mut().unwrap().remove("format"))).as_bytes(),
        E::WrongFormat("(missing)".into()),
    );
    check(
        edited(&|v| v["format_version"] = json!(2)).as_bytes(),
        E::UnsupportedFormatVersion("2".into()),
    );
    check(
        edited(&|v| v["format_version"] = json!("1")).as_bytes(),
        E::UnsupportedFormatVersion("\"1\"".into()),
    );
    check(
        edited(&|v| drop(v.as_object_mut().unwrap().remove("app_version"))).as_bytes(),
        E::MissingMember("app_version".into()),
    );
    check(
        edited(&|v| v["comment"] = json!("x")).as_bytes(),
        E::UnknownMember("comment".into()),
    );
    check(
        edited(&|v| v["signature"] = json!("x")).as_bytes(),
        E::InvalidMember {
            member: "signature".into(),
            expected: "an object",
        },
    );

    // Signature members: exactly six.
    check(
        edited(&|v| drop(v["signature"].as_object_mut().unwrap().remove("signed_at"))).as_bytes(),
        E::MissingSignatureMember("signed_at".into()),
    );
    check(
        edited(&|v| drop(v["signature"].as_object_mut().unwrap().remove("value"))).as_bytes(),
        E::MissingSignatureMember("value".into()),
    );
    check(
        sig_edit("comment", json!("x")).as_bytes(),
        E::UnknownSignatureMember("comment".into()),
    );
    check(
        sig_edit("algorithm", json!("EdDSA")).as_bytes(),
        E::WrongAlgorithm("\"EdDSA\"".into()),
    );
    check(
        sig_edit("algorithm", json!("ed25519")).as_bytes(),
        E::WrongAlgorithm("\"ed25519\"".into()),
    );
    check(
        sig_edit("canonicalization", json!("JCS")).as_bytes(),
        E::WrongCanonicalization("\"JCS\"".into()),
    );

    // Base64url, strictly.
    let doc = parse(&file);
    let pk = doc["signature"]["public_key"].as_str().unwrap().to_owned();
    let value = doc["signature"]["value"].as_str().unwrap().to_owned();
    let pk_bytes = URL_SAFE_NO_PAD.decode(&pk).unwrap();
    let value_bytes = URL_SAFE_NO_PAD.decode(&value).unwrap();
    check(
        sig_edit("public_key", json!(URL_SAFE.encode(&pk_bytes))).as_bytes(),
        E::Base64Padded {
            member: "public_key",
        },
    );
    check(
        sig_edit("value", json!(URL_SAFE.encode(&value_bytes))).as_bytes(),
        E::Base64Padded { member: "value" },
    );
    check(
        sig_edit("value", json!(format!("{value}=="))).as_bytes(),
        E::Base64Padded { member: "value" },
    );
    // The standard alphabet: bytes chosen so that their encoding has both '+' and '/'.
    let std_bytes = [0xfb_u8, 0xff, 0xbf].repeat(11)[..32].to_vec();
    let std_text = STANDARD_NO_PAD.encode(&std_bytes);
    assert!(std_text.contains('+') && std_text.contains('/'));
    check(
        sig_edit("public_key", json!(std_text)).as_bytes(),
        E::Base64StandardAlphabet {
            member: "public_key",
        },
    );
    check(
        sig_edit(
            "value",
            json!(value.replacen(|c: char| c.is_ascii_alphanumeric(), "+", 1)),
        )
        .as_bytes(),
        E::Base64StandardAlphabet { member: "value" },
    );
    check(
        sig_edit(
            "value",
            json!(value.replacen(|c: char| c.is_ascii_alphanumeric(), "/", 1)),
        )
        .as_bytes(),
        E::Base64StandardAlphabet { member: "value" },
    );
    check(
        sig_edit("public_key", json!(format!("{}!", &pk[1..]))).as_bytes(),
        E::Base64Invalid {
            member: "public_key",
        },
    );
    check(
        sig_edit("public_key", json!(format!("{pk}AA"))).as_bytes(),
        E::Base64Invalid {
            member: "public_key",
        },
    );
    check(
        sig_edit("public_key", json!(format!("{pk} "))).as_bytes(),
        E::Base64Invalid {
            member: "public_key",
        },
    );
    check(
        sig_edit("public_key", json!(12)).as_bytes(),
        E::InvalidMember {
            member: "signature.public_key".into(),
            expected: "a string",
        },
    );
    // Non-zero unused bits in the last character: another spelling of the same bytes, refused.
    const ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let last = ALPHABET.find(value.chars().last().unwrap()).unwrap();
    assert_eq!(
        last & 0b1111,
        0,
        "64 bytes leave 4 unused bits in the last character"
    );
    let sibling = ALPHABET.chars().nth(last | 1).unwrap();
    check(
        sig_edit(
            "value",
            json!(format!("{}{sibling}", &value[..value.len() - 1])),
        )
        .as_bytes(),
        E::Base64Invalid { member: "value" },
    );
    // Wrong lengths.
    check(
        sig_edit("public_key", json!(URL_SAFE_NO_PAD.encode(&pk_bytes[..31]))).as_bytes(),
        E::WrongLength {
            member: "public_key",
            expected: 32,
            found: 31,
        },
    );
    check(
        sig_edit(
            "public_key",
            json!(URL_SAFE_NO_PAD.encode([pk_bytes.clone(), vec![0]].concat())),
        )
        .as_bytes(),
        E::WrongLength {
            member: "public_key",
            expected: 32,
            found: 33,
        },
    );
    check(
        sig_edit("value", json!(URL_SAFE_NO_PAD.encode(&value_bytes[..63]))).as_bytes(),
        E::WrongLength {
            member: "value",
            expected: 64,
            found: 63,
        },
    );
    check(
        sig_edit("value", json!("")).as_bytes(),
        E::WrongLength {
            member: "value",
            expected: 64,
            found: 0,
        },
    );

    // The key id.
    let other_id = key_id(&public_key(&OTHER_SECRET));
    check(
        sig_edit("key_id", json!(other_id)).as_bytes(),
        E::KeyIdMismatch {
            stated: other_id.clone(),
            computed: key_id(&pk_bytes.clone().try_into().unwrap()),
        },
    );
    let upper = doc["signature"]["key_id"].as_str().unwrap().to_uppercase();
    check(
        sig_edit("key_id", json!(upper)).as_bytes(),
        E::InvalidMember {
            member: "signature.key_id".into(),
            expected: "64 lowercase hexadecimal digits",
        },
    );
    // 32 bytes that are not a point of the curve, consistently labelled.
    let not_a_point = (0u8..=255)
        .map(|b| {
            let mut k = [0u8; 32];
            k[0] = b;
            k[1] = 1;
            k
        })
        .find(|k| ed25519_dalek::VerifyingKey::from_bytes(k).is_err())
        .unwrap();
    check(
        edited(&|v| {
            v["signature"]["public_key"] = json!(URL_SAFE_NO_PAD.encode(not_a_point));
            v["signature"]["key_id"] = json!(key_id(&not_a_point));
        })
        .as_bytes(),
        E::InvalidPublicKey,
    );

    // The content.
    let bad_time = |member: &str| E::InvalidMember {
        member: member.into(),
        expected: "an RFC 3339 UTC time such as \"2026-11-27T10:15:00Z\"",
    };
    check(
        sig_edit("signed_at", json!("2026-11-27 10:20:00")).as_bytes(),
        bad_time("signature.signed_at"),
    );
    check(
        edited(&|v| v["generated_at"] = json!("2026-11-27T10:15:00+01:00")).as_bytes(),
        bad_time("generated_at"),
    );
    check(
        edited(&|v| v["state"] = json!("fr")).as_bytes(),
        E::InvalidMember {
            member: "state".into(),
            expected: "a three-letter code such as \"FRA\"",
        },
    );
    check(
        edited(&|v| v["state"] = json!("DEU")).as_bytes(),
        E::StateMismatch {
            state: "DEU".into(),
        },
    );
    check(
        edited(&|v| v["language"] = json!("")).as_bytes(),
        E::InvalidMember {
            member: "language".into(),
            expected: "a BCP 47 language tag such as \"en\"",
        },
    );
    check(
        edited(&|v| v["questionnaire"] = json!("untoc-art32")).as_bytes(),
        E::InvalidMember {
            member: "questionnaire".into(),
            expected: "{\"id\": string, \"version\": integer}",
        },
    );
    check(
        edited(&|v| v["answers"] = json!([])).as_bytes(),
        E::InvalidMember {
            member: "answers".into(),
            expected: "an object keyed by question id",
        },
    );
    for (bad, why) in [
        (json!(false), "false is not an answer"),
        (json!(""), "empty text"),
        (json!([]), "empty list"),
        (json!({"selected": []}), "empty selection"),
        (json!({"selected": ["a", "a"]}), "repeated option"),
        (json!({"selected": "a", "other": ""}), "empty other"),
        (json!({"selected": "a", "note": "x"}), "unknown member"),
        (
            json!({"from": "2024-01-01", "to": "2024-13-01"}),
            "not a date",
        ),
        (json!([{"year": [{"year": 1}]}]), "nested rows"),
        (json!([{"year": 2024}, "x"]), "mixed rows"),
        (json!({"value": 3}), "not a shape"),
    ] {
        check(
            edited(&|v| v["answers"]["E1"] = bad.clone()).as_bytes(),
            E::InvalidAnswer("E1".into()),
        );
        let _ = why;
    }
    check(
        edited(&|v| v["answers"]["E9"][0]["key"] = json!({"k": 1})).as_bytes(),
        E::InvalidAnswer("E9".into()),
    );

    // Every message is a sentence.
    let samples = [
        E::SignatureInvalid,
        E::FloatNumber,
        E::ByteOrderMark,
        E::Base64Padded { member: "value" },
    ];
    for e in samples {
        let text = e.to_string();
        assert!(text.len() > 20 && !text.contains("Error"), "{text}");
    }
}

// ------------------------------------------------------------------------------------------
// Reading back
// ------------------------------------------------------------------------------------------

#[test]
fn a_verified_submission_reads_back_as_the_same_answers() {
    let q = Questionnaire::builtin();
    for rich in [false, true] {
        let answers = full_reply(q, rich);
        let v = verify(
            sign(
                &unsigned(q, &answers),
                &TEST_SECRET,
                &ts("2026-11-27T10:20:00Z"),
            )
            .as_bytes(),
        )
        .unwrap();
        let back = to_answers(q, &v).unwrap();
        // Not byte for byte the draft (row keys are renumbered, text is trimmed), but the same submission.
        assert_eq!(unsigned(q, &back), unsigned(q, &answers));
        assert_eq!(back.get("S1"), Some(&choice(&["FRA"])));
        if rich {
            let rows = back.get("A3").unwrap().rows();
            assert_eq!(rows.iter().map(|r| r.key).collect::<Vec<_>>(), [0, 1]);
            assert!(back.0.values().any(|a| a.rows().iter().any(|r| r
                .fields
                .values()
                .any(|f| matches!(f, Answer::Number { no_data: true, .. })))));
            assert_eq!(
                back.get("B1a"),
                Some(&text(
                    "https://laws.example.org/act-1\nhttps://laws.example.org/act-2"
                ))
            );
        }
    }
}

#[test]
fn reading_back_refuses_what_this_questionnaire_does_not_have() {
    let q = Questionnaire::builtin();
    let good = verify(signed_full(false).as_bytes()).unwrap();
    let with = |id: &str, a: Submitted| {
        let mut v = good.clone();
        v.answers.insert(id.to_owned(), a);
        to_answers(q, &v)
    };
    assert_eq!(
        with("Z9", Submitted::Confirmed),
        Err(ImportError::UnknownQuestion("Z9".into()))
    );
    assert_eq!(
        with("H1", Submitted::Number(Some(3))),
        Err(ImportError::WrongShape {
            question: "H1".into(),
            field: None
        })
    );
    assert_eq!(
        with("B1a", Submitted::Text("https://x.org".into())),
        Err(ImportError::WrongShape {
            question: "B1a".into(),
            field: None
        })
    );
    assert_eq!(
        with(
            "E1",
            Submitted::Single {
                selected: "perhaps".into(),
                other: None
            }
        ),
        Err(ImportError::UnknownOption {
            question: "E1".into(),
            field: None,
            option: "perhaps".into()
        })
    );
    assert_eq!(
        with(
            "E1",
            Submitted::Single {
                selected: "yes".into(),
                other: Some("x".into())
            }
        ),
        Err(ImportError::WrongShape {
            question: "E1".into(),
            field: None
        })
    );
    let row = |k: &str, v: Submitted| Submitted::Rows(vec![BTreeMap::from([(k.to_owned(), v)])]);
    assert_eq!(
        with("E9", row("colour", Submitted::Text("red".into()))),
        Err(ImportError::UnknownField {
            question: "E9".into(),
            field: "colour".into()
        })
    );
    assert_eq!(
        with("E9", row("year", Submitted::Text("2024".into()))),
        Err(ImportError::WrongShape {
            question: "E9".into(),
            field: Some("year".into())
        })
    );
    assert!(with("E9", row("year", Submitted::Number(Some(2024)))).is_ok());

    let mut other = good.clone();
    other.questionnaire_id = "untoc-art33".into();
    assert_eq!(
        to_answers(q, &other),
        Err(ImportError::OtherQuestionnaire("untoc-art33".into()))
    );
    let mut newer = good.clone();
    newer.questionnaire_version = q.version + 1;
    assert_eq!(
        to_answers(q, &newer),
        Err(ImportError::NewerVersion(q.version + 1))
    );
    // An older version: options are left for the draft migrations to rename.
    let mut older = good;
    older.questionnaire_version = q.version - 1;
    older.answers.insert(
        "E1".into(),
        Submitted::Single {
            selected: "retired_option".into(),
            other: None,
        },
    );
    assert!(to_answers(q, &older).is_ok());
}

// ------------------------------------------------------------------------------------------
// Keys, times
// ------------------------------------------------------------------------------------------

#[test]
fn key_ids_and_their_grouping() {
    // RFC 8032 §7.1, test 1: the secret key and its public key.
    let secret: [u8; 32] =
        hex32("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    assert_eq!(
        public_key(&secret),
        hex32("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
    );
    let id = key_id(&public_key(&secret));
    assert_eq!(id.len(), 64);
    assert!(id
        .bytes()
        .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c)));
    let grouped = group_key_id(&id);
    assert_eq!(grouped.split(' ').count(), 16);
    assert!(grouped.split(' ').all(|g| g.len() == 4));
    assert_eq!(grouped.replace(' ', ""), id);
    assert_eq!(group_key_id("0123456789"), "0123 4567 89");
}

fn hex32(s: &str) -> [u8; 32] {
    let v: Vec<u8> = (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect();
    v.try_into().unwrap()
}

#[test]
fn timestamps_are_rfc3339_utc_to_the_second() {
    for ok in [
        "2026-11-27T10:15:00Z",
        "2024-02-29T23:59:60Z",
        "1970-01-01T00:00:00Z",
    ] {
        assert!(Timestamp::parse(ok).is_some(), "{ok}");
    }
    for bad in [
        "2026-11-27T10:15:00",
        "2026-11-27t10:15:00z",
        "2026-11-27T10:15:00.5Z",
        "2026-11-27T24:00:00Z",
        "2023-02-29T00:00:00Z",
        "2026-11-27T10:15:00+00:00",
        "",
        "2026-11-27T1:15:00Z",
    ] {
        assert!(Timestamp::parse(bad).is_none(), "{bad}");
    }
    assert_eq!(
        Timestamp::from_unix_seconds(0).unwrap().as_str(),
        "1970-01-01T00:00:00Z"
    );
    assert_eq!(
        Timestamp::from_unix_seconds(951_782_400).unwrap().as_str(),
        "2000-02-29T00:00:00Z"
    );
    assert_eq!(
        Timestamp::from_unix_seconds(1_795_774_500)
            .unwrap()
            .as_str(),
        "2026-11-27T10:15:00Z"
    );
    assert_eq!(Timestamp::from_unix_seconds(-1), None);
}

// ------------------------------------------------------------------------------------------
// RFC 8785
// ------------------------------------------------------------------------------------------

fn jcs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/jcs")
}

fn canonical_of_file(path: &Path) -> Vec<u8> {
    let input: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    serde_json_canonicalizer::to_vec(&input).unwrap()
}

fn hex_file(path: &Path) -> Vec<u8> {
    std::fs::read_to_string(path)
        .unwrap()
        .split_whitespace()
        .map(|h| u8::from_str_radix(h, 16).unwrap())
        .collect()
}

#[test]
fn rfc8785_examples_canonicalize_exactly() {
    let dir = jcs_dir();
    let example = canonical_of_file(&dir.join("rfc8785-3.2.2.input.json"));
    assert_eq!(
        example,
        std::fs::read(dir.join("rfc8785-3.2.2.expected.json")).unwrap()
    );
    assert_eq!(
        example,
        hex_file(&dir.join("rfc8785-3.2.4.outhex.txt")),
        "RFC 8785 §3.2.4 hex dump"
    );

    let sorted = canonical_of_file(&dir.join("rfc8785-3.2.3.input.json"));
    assert_eq!(
        sorted,
        std::fs::read(dir.join("rfc8785-3.2.3.expected.json")).unwrap()
    );
    // The order RFC 8785 §3.2.3 lists (by UTF-16 code units, so the emoji's surrogates sort before U+FB33).
    // Values in document order: split on the canonical separators (these strings hold no commas).
    let text = String::from_utf8(sorted).unwrap();
    let values: Vec<&str> = text
        .trim_matches(['{', '}'])
        .split(',')
        .map(|m| m.split_once("\":\"").unwrap().1.trim_end_matches('"'))
        .collect();
    assert_eq!(
        values,
        [
            "Carriage Return",
            "One",
            "Control",
            "Latin Small Letter O With Diaeresis",
            "Euro Sign",
            "Emoji: Grinning Face",
            "Hebrew Letter Dalet With Dagesh"
        ]
    );
}

#[test]
fn rfc8785_reference_test_data_canonicalizes_exactly() {
    let dir = jcs_dir().join("cyberphone");
    let names = [
        "arrays",
        "french",
        "structures",
        "unicode",
        "values",
        "weird",
    ];
    for name in names {
        let got = canonical_of_file(&dir.join(format!("input/{name}.json")));
        let expected = std::fs::read(dir.join(format!("output/{name}.json"))).unwrap();
        assert_eq!(got, expected, "{name}");
        assert_eq!(
            got,
            hex_file(&dir.join(format!("outhex/{name}.txt"))),
            "{name} (hex)"
        );
    }
    let files = std::fs::read_dir(dir.join("input")).unwrap().count();
    assert_eq!(files, names.len(), "every vector is checked");
}

// ------------------------------------------------------------------------------------------
// The Python verifier and the command line, on the same files
// ------------------------------------------------------------------------------------------

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("submission-tests")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A valid file and a tampered copy (one answer changed after signing).
fn valid_and_tampered(dir: &Path) -> (PathBuf, PathBuf) {
    let file = signed_full(true);
    let valid = dir.join("reply.json");
    std::fs::write(&valid, &file).unwrap();
    let tampered = dir.join("tampered.json");
    let mut doc = parse(&file);
    doc["answers"]["H1"] = json!("Someone else");
    std::fs::write(&tampered, to_text(&doc)).unwrap();
    (valid, tampered)
}

#[test]
fn the_python_verifier_accepts_the_file_and_refuses_a_tampered_copy() {
    let ready = Command::new("python3")
        .args(["-c", "import cryptography, rfc8785"])
        .status();
    assert!(
        ready.is_ok_and(|s| s.success()),
        "python3 with the packages cryptography and rfc8785 is needed: run `bash scripts/setup.sh`"
    );
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/verify_submission.py");
    let dir = scratch("python");
    let (valid, tampered) = valid_and_tampered(&dir);
    let run = |path: &Path| {
        Command::new("python3")
            .arg(&script)
            .arg(path)
            .output()
            .unwrap()
    };

    let ok = run(&valid);
    let stdout = String::from_utf8_lossy(&ok.stdout);
    assert!(
        ok.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(
        stdout.starts_with("OK ") && stdout.contains("state=FRA"),
        "{stdout}"
    );
    let key = key_id(&public_key(&TEST_SECRET));
    assert!(stdout.contains(&key), "{stdout}");

    let bad = run(&tampered);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("FAIL"));

    // The pretty-printed file verifies too (canonical form), a duplicate member does not.
    let pretty = dir.join("pretty.json");
    std::fs::write(
        &pretty,
        serde_json::to_string_pretty(&parse(&signed_full(false))).unwrap(),
    )
    .unwrap();
    assert!(run(&pretty).status.success());
    let dup = dir.join("dup.json");
    std::fs::write(&dup, signed_small().replacen("{", "{\"state\":\"DEU\",", 1)).unwrap();
    assert!(!run(&dup).status.success());
    let small = dir.join("small.json");
    std::fs::write(&small, signed_small()).unwrap();
    assert!(run(&small).status.success());
}

fn art32(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_art32"))
        .args(args)
        .output()
        .unwrap()
}

/// Parses CSV as written by `art32 csv` (RFC 4180, CRLF).
fn read_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = vec![];
    let mut row = vec![];
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {
                assert_eq!(chars.next(), Some('\n'));
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(
        field.is_empty() && row.is_empty(),
        "the last record ends with CRLF"
    );
    rows
}

#[test]
fn the_command_line_verifies_summarizes_and_exports() {
    let dir = scratch("cli");
    let (valid, tampered) = valid_and_tampered(&dir);
    let key = key_id(&public_key(&TEST_SECRET));

    let out = art32(&["verify".as_ref(), valid.as_os_str(), tampered.as_os_str()]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert_eq!(
        lines[0],
        format!(
            "OK {} state=FRA key_id={key} signed_at=2026-11-27T10:20:00Z",
            valid.display()
        )
    );
    assert_eq!(
        lines[1],
        format!(
            "FAIL {}: {}",
            tampered.display(),
            VerifyError::SignatureInvalid
        )
    );

    let out = art32(&["verify".as_ref(), valid.as_os_str()]);
    assert_eq!(out.status.code(), Some(0));
    let missing = dir.join("missing.json");
    let out = art32(&["verify".as_ref(), missing.as_os_str()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("FAIL "));
    assert_eq!(art32(&[]).status.code(), Some(2));
    assert_eq!(art32(&["verify".as_ref()]).status.code(), Some(2));
    assert_eq!(art32(&["frobnicate".as_ref()]).status.code(), Some(2));

    // Summary.
    let out = art32(&["summary".as_ref(), valid.as_os_str()]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("State:          FRA"), "{text}");
    assert!(text.contains(&group_key_id(&key)), "{text}");
    let q = Questionnaire::builtin();
    let v = verify(&std::fs::read(&valid).unwrap()).unwrap();
    assert!(
        text.contains(&format!("Answers:        {}", v.answers.len())),
        "{text}"
    );
    for s in q.sections {
        let n = s
            .questions
            .iter()
            .filter(|x| v.answers.contains_key(x.id))
            .count();
        assert!(
            text.contains(&format!("\n  {:<3} {n:>3}\n", s.id)),
            "section {}: {text}",
            s.id
        );
    }
    let out = art32(&["summary".as_ref(), tampered.as_os_str()]);
    assert_eq!(out.status.code(), Some(1));

    // CSV: the valid file's answers, one row for the invalid one.
    let out = art32(&["csv".as_ref(), valid.as_os_str(), tampered.as_os_str()]);
    assert_eq!(out.status.code(), Some(1));
    let rows = read_csv(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(
        rows[0],
        [
            "file",
            "state",
            "key_id",
            "signed_at",
            "valid",
            "section",
            "question",
            "value"
        ]
    );
    let valid_name = valid.display().to_string();
    let good: Vec<&Vec<String>> = rows[1..].iter().filter(|r| r[0] == valid_name).collect();
    assert_eq!(good.len(), items(q, &v).len());
    assert!(good
        .iter()
        .all(|r| r.len() == 8 && r[1] == "FRA" && r[2] == key && r[4] == "true"));
    let find = |question: &str| {
        good.iter()
            .find(|r| r[6] == question)
            .unwrap_or_else(|| panic!("{question}"))[7]
            .clone()
    };
    assert_eq!(find("S1"), "FRA");
    assert_eq!(find("S4"), "2024-01-01/2025-12-31");
    assert_eq!(
        find("B1a"),
        "https://laws.example.org/act-1\nhttps://laws.example.org/act-2"
    );
    assert_eq!(find("A3[1].role"), "primary");
    assert_eq!(find("A3[2].role"), "alternate");
    assert_eq!(
        find("D2").split("; ").last().unwrap(),
        "other: Customs, \"port\" authority"
    );
    assert_eq!(find("H6"), "true");
    assert!(good
        .iter()
        .any(|r| r[6].starts_with("E9[") && r[7] == "no data"));
    assert_eq!(
        good.iter().find(|r| r[6] == "A1").map(|r| r[5].as_str()),
        Some("A")
    );
    let bad: Vec<&Vec<String>> = rows[1..].iter().filter(|r| r[0] != valid_name).collect();
    assert_eq!(bad.len(), 1);
    assert_eq!(
        bad[0][..7],
        [
            tampered.display().to_string(),
            "".into(),
            "".into(),
            "".into(),
            "false".into(),
            "".into(),
            "".into()
        ]
    );
    assert_eq!(bad[0][7], VerifyError::SignatureInvalid.to_string());
}

/// The format document's example verifies, and the script it shows is the one in `scripts/`.
#[test]
fn the_format_document_shows_a_valid_example_and_the_real_script() {
    let doc = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/submission-format.md"),
    )
    .unwrap();
    let block_after = |marker: &str, fence: &str| -> String {
        let rest = &doc[doc
            .find(marker)
            .unwrap_or_else(|| panic!("{marker} missing"))..];
        let start = rest.find(fence).unwrap() + fence.len();
        rest[start..start + rest[start..].find("\n```\n").unwrap() + 1].to_owned()
    };
    if std::env::var_os("ART32_WRITE_EXAMPLES").is_some() {
        println!("EXAMPLE (canonical)\n{}", signed_example());
    }
    let example = block_after("<!-- example:", "```json\n");
    let v = verify(example.as_bytes())
        .unwrap_or_else(|e| panic!("the documented example does not verify: {e}"));
    assert_eq!(
        v.key_id,
        key_id(&public_key(&TEST_SECRET)),
        "signed with the documented throwaway key"
    );
    assert!(doc.contains(&group_key_id(&v.key_id)));
    // The app's own output for the same reply, today: if the exporter changes, update the example.
    let q = Questionnaire::builtin();
    if v.questionnaire_version == q.version {
        assert_eq!(
            canonical(&parse(&example)).unwrap(),
            signed_example().as_bytes(),
            "regenerate the example (common::signed_example)"
        );
    }
    let script = block_after("<!-- verify_submission.py:", "```python\n");
    let file = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/verify_submission.py"),
    )
    .unwrap();
    assert_eq!(
        script, file,
        "the document shows scripts/verify_submission.py as it is"
    );
}

// ------------------------------------------------------------------------------------------
// Random mutations and random JSON
// ------------------------------------------------------------------------------------------

fn json_value() -> impl Strategy<Value = Value> {
    fuzz::json_value(
        vec![
            "Ed25519",
            "RFC8785",
            "FRA",
            "untoc-art32-submission",
            "2026-11-27T10:15:00Z",
            "en",
        ],
        "[a-z_]{1,10}",
    )
}

/// The top-level members and the signature members, for targeted replacements.
const PATHS: [&[&str]; 15] = [
    &["format"],
    &["format_version"],
    &["questionnaire"],
    &["state"],
    &["language"],
    &["answers"],
    &["generated_at"],
    &["app_version"],
    &["signature"],
    &["signature", "algorithm"],
    &["signature", "canonicalization"],
    &["signature", "public_key"],
    &["signature", "key_id"],
    &["signature", "signed_at"],
    &["answers", "E1"],
];

fn set_path(doc: &mut Value, path: &[&str], v: Value) {
    let mut at = doc;
    for key in &path[..path.len() - 1] {
        at = &mut at[*key];
    }
    at[path[path.len() - 1]] = v;
}

thread_local! {
    static SMALL_FILE: Vec<u8> = signed_small().into_bytes();
}

/// A mutated file that verifies must say exactly what the original says.
fn check_mutated(original: &[u8], bytes: &[u8]) -> Result<(), TestCaseError> {
    if verify(bytes).is_ok() {
        let parsed: Value =
            serde_json::from_slice(bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(
            canonical(&parsed).unwrap(),
            original.to_vec(),
            "a changed file verified"
        );
    }
    Ok(())
}

/// Applies the edits to the small signed sample and checks the result never verifies as
/// something else.
fn check_edits(edits: &[Edit]) -> Result<(), TestCaseError> {
    SMALL_FILE.with(|original| {
        let mut bytes = original.clone();
        for e in edits {
            apply(&mut bytes, e);
        }
        check_mutated(original, &bytes)
    })
}

// 100,000 cases in all, in four tests so that the two cores share them. Most mutations fail
// before the signature check (which costs about 14 ms in a debug build); the timings are in the
// report of `cargo test --test submission`.
proptest! {
    #![proptest_config(config(35_000))]
    #[test]
    fn random_edits_of_a_signed_file_never_verify_as_something_else(edits in prop::collection::vec(edit(), 1..4)) {
        check_edits(&edits)?;
    }
}

proptest! {
    #![proptest_config(config(35_000))]
    #[test]
    fn random_edits_and_truncations_never_panic(edits in prop::collection::vec(edit(), 1..12)) {
        check_edits(&edits)?;
    }
}

proptest! {
    #![proptest_config(config(15_000))]
    #[test]
    fn random_json_never_verifies(v in json_value()) {
        prop_assert!(verify(to_text(&v).as_bytes()).is_err());
        prop_assert!(verify(serde_json::to_string_pretty(&v).unwrap().as_bytes()).is_err());
    }
}

proptest! {
    #![proptest_config(config(15_000))]
    #[test]
    fn random_json_in_a_signed_file_never_verifies_as_something_else(path in prop::sample::select(PATHS.to_vec()), v in json_value()) {
        SMALL_FILE.with(|original| {
            let mut doc: Value = serde_json::from_slice(original).unwrap();
            set_path(&mut doc, path, v);
            check_mutated(original, to_text(&doc).as_bytes())
        })?;
    }
}

/// Answers come from outside: in the CSV for reviewers, a cell a spreadsheet would run as a
/// formula is neutralised with a leading apostrophe.
#[test]
fn the_csv_export_neutralises_spreadsheet_formulas() {
    let dir = scratch("csv-formula");
    let q = Questionnaire::builtin();
    let mut a = full_reply(q, false);
    a.set("A6", text("=HYPERLINK(\"https://evil.example\",\"Click\")"));
    a.set("H1", text("@SUM(1+1)"));
    let file = dir.join("formula.json");
    std::fs::write(
        &file,
        sign(&unsigned(q, &a), &TEST_SECRET, &ts("2026-11-27T10:20:00Z")),
    )
    .unwrap();
    let out = art32(&["csv".as_ref(), file.as_os_str()]);
    assert_eq!(out.status.code(), Some(0));
    let rows = read_csv(&String::from_utf8(out.stdout).unwrap());
    let cell = |question: &str| rows.iter().find(|r| r[6] == question).unwrap()[7].clone();
    assert_eq!(
        cell("A6"),
        "'=HYPERLINK(\"https://evil.example\",\"Click\")"
    );
    assert_eq!(cell("H1"), "'@SUM(1+1)");
    assert_eq!(cell("S1"), "FRA", "ordinary values are untouched");
}
