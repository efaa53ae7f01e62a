//! The signer's protocol (`core::signer`), end to end as text messages, exactly as the page and
//! the worker exchange them: what the page sends is signed, checked, locked and unlocked the same
//! way as by the core functions, and a bad message never goes unanswered.

mod common;

use common::*;
use serde_json::Value;
use sha2::{Digest, Sha256};
use untoc_art32::core::handoff::{Book, Part, Recipient};
use untoc_art32::core::keyfile::{lock_with_iterations, KeyFileError};
use untoc_art32::core::model::Questionnaire;
use untoc_art32::core::signer::{handle, message, read_reply, Checked, Done, FileRefused, Job};
use untoc_art32::core::submission::{key_id, public_key, sign, sign_document, to_answers, verify};

/// Sends a job through the message layer, as the page does, and reads the reply.
fn ask(id: u32, job: Job) -> Done {
    let reply = handle(&message(id, &job));
    let (reply_id, done) =
        read_reply(&reply).unwrap_or_else(|| panic!("unreadable reply {reply:?}"));
    assert_eq!(reply_id, id, "the reply carries the request's id");
    done
}

#[test]
fn signing_through_the_worker_gives_the_file_the_core_gives() {
    let q = Questionnaire::builtin();
    let answers = full_reply(q, true);
    let at = ts("2026-11-27T10:20:00Z");
    let done = ask(
        3,
        Job::Sign {
            document: unsigned(q, &answers).into_json(),
            secret: TEST_SECRET,
            signed_at: at.clone(),
            rotations: String::new(),
        },
    );
    let Done::Signed {
        text,
        sha256,
        key_id: id,
    } = done
    else {
        panic!("not signed: {done:?}")
    };
    assert_eq!(text, sign(&unsigned(q, &answers), &TEST_SECRET, &at));
    let digest: String = Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(sha256, digest);
    assert_eq!(id, key_id(&public_key(&TEST_SECRET)));
    assert_eq!(verify(text.as_bytes()).map(|v| v.key_id), Ok(id));
}

#[test]
fn a_verified_file_crosses_the_message_layer_unchanged() {
    let q = Questionnaire::builtin();
    let file = signed_full(true);
    let expected = verify(file.as_bytes()).expect("the sample verifies");
    let Done::Checked(Checked::Valid(v)) = ask(1, Job::Verify { text: file }) else {
        panic!("not valid")
    };
    assert_eq!(*v, expected);
    // Including every answer shape, rows and all: it reads back as the same answers.
    let back = to_answers(q, &v).expect("it reads back");
    assert_eq!(unsigned(q, &back), unsigned(q, &full_reply(q, true)));
}

#[test]
fn a_changed_or_broken_file_gets_its_verdict() {
    let file = signed_small();
    let mut doc: Value = serde_json::from_str(&file).unwrap();
    doc["generated_at"] = Value::String("2026-11-27T10:16:00Z".to_owned());
    let changed = serde_json::to_string(&doc).unwrap();
    assert_eq!(
        ask(2, Job::Verify { text: changed }),
        Done::Checked(Checked::SignatureInvalid)
    );
    let Done::Checked(Checked::Malformed(reason)) = ask(
        2,
        Job::Verify {
            text: "{\"format\": 1".to_owned(),
        },
    ) else {
        panic!("truncated JSON is malformed")
    };
    assert!(reason.contains("not valid JSON"), "{reason}");
}

#[test]
fn hand_off_files_get_their_verdict_through_the_worker() {
    let q = Questionnaire::builtin();
    let answers = full_reply(q, false);
    let to = Recipient {
        label: "Financial Intelligence Unit".to_owned(),
        email: None,
    };
    let questions = vec!["F8".to_owned()];
    let req = Book::default().hand_out(
        q,
        "r-1",
        &answers,
        "h-1",
        to,
        &questions,
        ts("2026-12-01T09:00:00Z"),
    );
    let request = sign_document(
        &req.to_document(),
        &TEST_SECRET,
        &ts("2026-12-01T09:00:05Z"),
    );
    let part = Part {
        questionnaire_id: req.questionnaire_id.clone(),
        questionnaire_version: req.questionnaire_version,
        reply: req.reply.clone(),
        handoff: req.handoff.clone(),
        contributor: req.to.label.clone(),
        answers: req.base.clone(),
    };
    let part = sign_document(
        &part.to_document(),
        &OTHER_SECRET,
        &ts("2026-12-02T10:00:00Z"),
    );
    let read = |text: &str, part: bool| match ask(
        5,
        Job::ReadHandoff {
            text: text.to_owned(),
            part,
        },
    ) {
        Done::Handoff(result) => result,
        other => panic!("not a hand-off verdict: {other:?}"),
    };
    // Good: the members as signed, who signed, and the file's SHA-256.
    let file = read(&part, true).unwrap();
    assert_eq!(file.signer.key_id, key_id(&public_key(&OTHER_SECRET)));
    assert_eq!(
        file.sha256,
        format!("{:x}", Sha256::digest(part.as_bytes()))
    );
    assert_eq!(
        Part::from_verified(q, file.members).unwrap(),
        Part::read(q, part.as_bytes()).unwrap().0
    );
    assert_eq!(
        read(&request, false).unwrap().signer.key_id,
        key_id(&public_key(&TEST_SECRET))
    );
    // Each refusal, told apart for the page to word.
    assert_eq!(
        read(&part.replace("Financial", "Financiai"), true),
        Err(FileRefused::Tampered)
    );
    assert_eq!(read(&request, true), Err(FileRefused::OtherKind));
    assert_eq!(read(&part, false), Err(FileRefused::OtherKind));
    assert_eq!(read(&signed_small(), true), Err(FileRefused::OtherKind));
    assert!(matches!(
        read("{\"format\": 1", true),
        Err(FileRefused::Malformed(_))
    ));
}

#[test]
fn key_ids_backups_and_restores_go_through_the_worker() {
    assert_eq!(
        ask(
            9,
            Job::KeyId {
                secret: TEST_SECRET
            }
        ),
        Done::KeyId(key_id(&public_key(&TEST_SECRET)))
    );
    let pem = lock_with_iterations(
        &TEST_SECRET,
        "correct horse battery staple",
        &[1; 16],
        &[2; 16],
        1_000,
    )
    .unwrap();
    let unlock = |passphrase: &str| {
        ask(
            4,
            Job::Unlock {
                pem: pem.clone(),
                passphrase: passphrase.to_owned(),
            },
        )
    };
    assert_eq!(
        unlock("correct horse battery staple"),
        Done::Unlocked(Ok(TEST_SECRET))
    );
    assert_eq!(
        unlock("correct horse battery stable"),
        Done::Unlocked(Err(KeyFileError::WrongPassphrase))
    );
    // Refused before any key derivation, so this is quick even at the full iteration count.
    let short = Job::Lock {
        secret: TEST_SECRET,
        passphrase: "too short".to_owned(),
        salt: [1; 16],
        iv: [2; 16],
    };
    assert_eq!(
        ask(5, short),
        Done::Locked(Err(KeyFileError::PassphraseTooShort))
    );
}

#[test]
fn every_bad_request_is_answered() {
    for (request, id) in [
        ("", 0),
        ("nonsense", 0),
        ("x {}", 0),
        ("12 {\"Sign\": {}}", 12),
        ("7 {\"Explode\": null}", 7),
    ] {
        let (reply_id, done) = read_reply(&handle(request)).expect("a readable reply");
        assert_eq!(reply_id, id, "{request:?}");
        assert!(
            matches!(done, Done::BadRequest(_)),
            "{request:?} gave {done:?}"
        );
    }
    // A timestamp is checked on its way in, like everywhere else.
    let job = message(
        1,
        &Job::KeyId {
            secret: TEST_SECRET,
        },
    )
    .replace("KeyId", "Sign");
    assert!(matches!(
        read_reply(&handle(&job)),
        Some((1, Done::BadRequest(_)))
    ));
    let bad_time = r#"1 {"Sign":{"document":{},"secret":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],"signed_at":"yesterday"}}"#;
    let Some((1, Done::BadRequest(reason))) = read_reply(&handle(bad_time)) else {
        panic!("a bad time is refused")
    };
    assert!(reason.contains("not a UTC timestamp"), "{reason}");
}
