//! The next cycle (`core::cycle`, `core::diff`, `art32 diff`): a reply carried from a signed
//! one of an older version; the questions changed since; the submission's `previous` member,
//! covered by the signature and checked; what changed between two replies, word by word and row
//! by row; and the command that prints it for the secretariat.

mod common;

use common::{full_reply, ts, unsigned, OTHER_SECRET, TEST_SECRET};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use untoc_art32::core::answers::{Answer, Answers, Row};
use untoc_art32::core::cycle::{carry, changed_since, new_questions, Carry, Previous, Status};
use untoc_art32::core::diff::{diff, rows, words, Change, Rows, Words};
use untoc_art32::core::model::Questionnaire;
use untoc_art32::core::submission::{extras, sign_document, to_answers, verify, VerifyError};

fn q() -> &'static Questionnaire {
    Questionnaire::builtin()
}

fn sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn text(s: &str) -> Answer {
    Answer::Text(s.to_owned())
}

/// A complete reply signed at `at`, with `members` added to what the exporter writes.
fn signed(answers: &Answers, members: &[(&str, Value)], secret: &[u8; 32], at: &str) -> String {
    let mut doc = unsigned(q(), answers).into_json();
    for (k, v) in members {
        doc.insert((*k).to_owned(), v.clone());
    }
    sign_document(&doc, secret, &ts(at))
}

const D2A: &str = "Too few specialized prosecutors; a training plan was adopted in 2025.";

/// A complete reply that names difficulties (D2) and answers both halves of D2a.
fn this_cycle() -> Answers {
    let mut a = full_reply(q(), false);
    a.0.insert(
        "D2".to_owned(),
        Answer::Choice {
            selected: vec!["resources".to_owned()],
            other: String::new(),
        },
    );
    a.0.insert("D2b".to_owned(), text(D2A));
    a.0.insert("D2c".to_owned(), text(D2A));
    a.0.insert(
        "F10".to_owned(),
        Answer::Choice {
            selected: vec!["under_consideration".to_owned()],
            other: String::new(),
        },
    );
    a
}

/// The same reply as the version 2 app signed it: D2a not yet split, F10 `considering`.
fn last_cycle() -> String {
    let mut doc = unsigned(q(), &this_cycle()).into_json();
    let answers = doc["answers"].as_object_mut().unwrap();
    assert!(answers.remove("D2b").is_some() && answers.remove("D2c").is_some());
    answers.insert("D2a".to_owned(), json!(D2A));
    answers.insert("F10".to_owned(), json!({ "selected": "considering" }));
    doc.insert(
        "questionnaire".to_owned(),
        json!({ "id": "untoc-art32", "version": 2 }),
    );
    sign_document(&doc, &TEST_SECRET, &ts("2025-11-20T09:00:00Z"))
}

#[test]
fn a_reply_of_an_older_version_is_carried_whole() {
    let file = last_cycle();
    let v = verify(file.as_bytes()).unwrap();
    let c = carry(q(), &v).unwrap();
    assert_eq!(
        c.previous,
        Previous {
            sha256: sha256(&file),
            signed_at: ts("2025-11-20T09:00:00Z"),
            questionnaire_version: 2,
            changed: vec![],
        }
    );
    assert!(c.set_apart.is_empty());
    assert_eq!(c.answers.get("D2b"), Some(&text(D2A)));
    assert_eq!(
        c.answers.get("D2c"),
        Some(&text(D2A)),
        "D2a's answer goes to both halves"
    );
    assert_eq!(
        c.answers.get("F10").unwrap().selected(),
        ["under_consideration"]
    );
    // The whole reply is what the version 3 app reads from the same reply signed today.
    let today = signed(&this_cycle(), &[], &TEST_SECRET, "2026-11-27T10:20:00Z");
    let v3 = to_answers(q(), &verify(today.as_bytes()).unwrap()).unwrap();
    assert_eq!(changed_since(q(), &v3, &c.answers), Vec::<String>::new());
}

#[test]
fn changed_since_is_in_order_ignores_row_keys_and_blank_answers() {
    let before = full_reply(q(), true);
    let mut now = before.clone();
    // Rows renumbered, same contents: no change.
    let group = before
        .0
        .iter()
        .find_map(|(id, a)| matches!(a, Answer::Rows(r) if !r.is_empty()).then(|| id.clone()))
        .expect("the rich reply has rows");
    if let Some(Answer::Rows(rows)) = now.0.get_mut(&group) {
        for r in rows.iter_mut() {
            r.key += 100;
        }
    }
    now.0
        .insert("A6".to_owned(), text("A new national plan, 2026–2030."));
    now.0.remove("H1");
    now.0.insert("D3".to_owned(), text("   "));
    let changed = changed_since(q(), &before, &now);
    let expected: Vec<String> = ["A6", "D3", "H1"]
        .into_iter()
        .filter(|id| *id != "D3" || before.get("D3").is_some_and(|a| a.is_answered()))
        .map(str::to_owned)
        .collect();
    assert_eq!(changed, expected);
}

#[test]
fn the_previous_member_is_signed_checked_and_read() {
    let old = last_cycle();
    let answers = full_reply(q(), false);
    let previous = json!({
        "sha256": sha256(&old), "signed_at": "2025-11-20T09:00:00Z",
        "questionnaire_version": 2, "changed": ["D2c", "F10"]
    });
    let file = signed(
        &answers,
        &[("previous", previous.clone())],
        &OTHER_SECRET,
        "2026-11-27T10:20:00Z",
    );
    let v = verify(file.as_bytes()).unwrap();
    let x = extras(file.as_bytes(), &v).unwrap();
    assert_eq!(
        x.previous,
        Some(serde_json::from_value::<Previous>(previous.clone()).unwrap())
    );
    // Covered by the signature: changing what it declares breaks it.
    let edited = file.replace("\"F10\"]", "\"A6\"]");
    assert_ne!(edited, file);
    assert_eq!(
        verify(edited.as_bytes()).unwrap_err(),
        VerifyError::SignatureInvalid
    );
    // Signed but ill-formed: refused, by name.
    for bad in [
        json!("not an object"),
        json!({ "sha256": "ABC", "signed_at": "2025-11-20T09:00:00Z", "questionnaire_version": 2, "changed": [] }),
        json!({ "sha256": sha256(&old), "signed_at": "2025-11-20T09:00:00Z", "questionnaire_version": 2, "changed": ["A6", "A6"] }),
        json!({ "sha256": sha256(&old), "signed_at": "yesterday", "questionnaire_version": 2, "changed": [] }),
        json!({ "sha256": sha256(&old), "signed_at": "2025-11-20T09:00:00Z", "questionnaire_version": 0, "changed": [] }),
        json!({ "sha256": sha256(&old), "signed_at": "2025-11-20T09:00:00Z", "questionnaire_version": 2, "changed": [], "more": 1 }),
    ] {
        let file = signed(
            &answers,
            &[("previous", bad.clone())],
            &OTHER_SECRET,
            "2026-11-27T10:20:00Z",
        );
        let err = verify(file.as_bytes())
            .and_then(|v| extras(file.as_bytes(), &v).map(|_| ()))
            .unwrap_err();
        assert!(
            matches!(&err, VerifyError::InvalidMember { member, .. } if member == "previous"),
            "{bad}: {err:?}"
        );
    }
}

#[test]
fn text_differs_word_by_word() {
    assert_eq!(
        words(
            "The national plan of 2024 covers witnesses.",
            "The national plan of 2026 covers witnesses and experts."
        ),
        vec![
            Words::Same("The national plan of ".to_owned()),
            Words::Removed("2024".to_owned()),
            Words::Added("2026".to_owned()),
            Words::Same(" covers ".to_owned()),
            Words::Removed("witnesses.".to_owned()),
            Words::Added("witnesses and experts.".to_owned()),
        ]
    );
    // A long text with one word changed in the middle says just that.
    let long: String = (0..2000).map(|i| format!("word{i} ")).collect();
    let changed = long.replace("word1000 ", "WORD ");
    let w = words(&long, &changed);
    assert_eq!(w.iter().filter(|w| !matches!(w, Words::Same(_))).count(), 2);
    assert!(w.contains(&Words::Removed("word1000".to_owned())));
}

fn row(key: u32, title: &str) -> Row {
    let mut r = Row {
        key,
        fields: Default::default(),
    };
    r.fields.insert("title".to_owned(), text(title));
    r
}

#[test]
fn rows_are_matched_by_content_not_by_key() {
    let old = [row(0, "A"), row(1, "B"), row(2, "C"), row(3, "D")];
    // B changed, C removed, E added at the end; keys renumbered.
    let new = [row(7, "A"), row(8, "B2"), row(9, "D"), row(10, "E")];
    assert_eq!(
        rows(&old, &new),
        Rows {
            added: vec![3],
            removed: vec![2],
            changed: vec![(1, 1)],
        }
    );
    assert_eq!(rows(&old, &old), Rows::default());
}

#[test]
fn the_difference_lists_questions_in_order_with_their_kind_of_change() {
    let before = full_reply(q(), true);
    let mut now = before.clone();
    now.0.insert("A6".to_owned(), text("A new plan."));
    now.0.remove("H2");
    let d = diff(q(), &before, &now);
    let ids: Vec<&str> = d.iter().map(|c| c.question).collect();
    assert_eq!(ids, ["A6", "H2"]);
    assert!(matches!(&d[0].change, Change::Changed { words, .. } if !words.is_empty()));
    assert!(matches!(&d[1].change, Change::Removed { .. }));
    assert_eq!(d[0].section, "A");
    // For tools: a tagged JSON object per question.
    let v = serde_json::to_value(&d).unwrap();
    assert_eq!(v[0]["question"], "A6");
    assert_eq!(v[0]["change"], "changed");
    assert_eq!(v[1]["change"], "removed");
    assert!(diff(q(), &before, &before).is_empty());
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("art32-cycle-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn art32(args: &[&std::path::Path]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_art32"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn art32_diff_says_what_changed_and_whether_new_declares_old() {
    let dir = scratch("diff");
    let old = last_cycle();
    let v = verify(old.as_bytes()).unwrap();
    let mut answers = carry(q(), &v).unwrap().answers;
    answers
        .0
        .insert("A6".to_owned(), text("National action plan, 2026–2030."));
    let previous = json!({
        "sha256": sha256(&old), "signed_at": "2025-11-20T09:00:00Z",
        "questionnaire_version": 2, "changed": ["A6", "F10"]
    });
    let new = signed(
        &answers,
        &[("previous", previous)],
        &TEST_SECRET,
        "2026-11-27T10:20:00Z",
    );
    let unrelated = signed(&answers, &[], &TEST_SECRET, "2026-11-27T10:21:00Z");
    let (o, n, u, bad) = (
        dir.join("old.json"),
        dir.join("new.json"),
        dir.join("unrelated.json"),
        dir.join("bad.json"),
    );
    std::fs::write(&o, &old).unwrap();
    std::fs::write(&n, &new).unwrap();
    std::fs::write(&u, &unrelated).unwrap();
    std::fs::write(&bad, new.replace("2026–2030", "2026–2031")).unwrap();

    let out = art32(&["diff".as_ref(), &o, &n]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("NEW declares OLD as its previous reply."),
        "{text}"
    );
    assert!(text.contains("\nSection A\n"), "{text}");
    assert!(text.contains("A6 changed: "), "{text}");
    assert!(
        text.contains("{+2026–2030.+}") || text.contains("2026–2030.+}"),
        "{text}"
    );
    // F10 was renamed between the versions: the same answer, no change.
    assert!(!text.contains("F10"), "{text}");

    let out = art32(&["diff".as_ref(), &o, &u]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("NEW declares no previous reply."), "{text}");

    let out = art32(&["diff".as_ref(), &o, &n, "--json".as_ref()]);
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["new_declares_old_as_previous"], true);
    assert_eq!(v["old"]["questionnaire_version"], 2);
    assert_eq!(v["old"]["sha256"], sha256(&old));
    let changes = v["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0]["question"], "A6");

    // A file changed after signing: said, with exit status 1.
    let out = art32(&["diff".as_ref(), &o, &bad]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text.starts_with("FAIL "), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_carried_answer_is_not_reviewed_until_declared_still_correct_or_edited() {
    let v = verify(last_cycle().as_bytes()).unwrap();
    let carried = carry(q(), &v).unwrap();
    let mut c = Carry::new(q(), &carried);
    let mut now = carried.answers.clone();
    let all = |_: &str| true;
    let before = c.not_reviewed(q(), &now, all);
    assert!(before.contains(&"D2b") && before.contains(&"F10"));
    assert_eq!(
        before.len(),
        now.0.values().filter(|a| a.is_answered()).count()
    );
    assert_eq!(c.status("D2b", now.get("D2b")), Some(Status::NotReviewed));
    // One click: still correct.
    c.review(["D2b"]);
    assert_eq!(c.status("D2b", now.get("D2b")), Some(Status::Reviewed));
    // Editing counts as reviewed; so does taking an answer back, and answering a new one.
    now.set("D2c", text("Two posts were filled in 2026."));
    assert_eq!(c.status("D2c", now.get("D2c")), Some(Status::Changed));
    let removed = now.0.remove("F10");
    assert!(removed.is_some());
    assert_eq!(c.status("F10", None), Some(Status::Changed));
    assert_eq!(
        c.status("F10", Some(&text("  "))),
        Some(Status::Changed),
        "a blank answer is none"
    );
    let after = c.not_reviewed(q(), &now, all);
    assert_eq!(after.len(), before.len() - 3);
    // Hidden questions do not count.
    let hidden = after[0];
    assert_eq!(
        c.not_reviewed(q(), &now, |id| id != hidden).len(),
        after.len() - 1
    );
    // The submission's `previous` names exactly what changed, in order.
    let p = c.previous_of(q(), &now);
    assert_eq!(p.changed, ["D2c", "F10"]);
    assert_eq!(
        (p.sha256.as_str(), p.questionnaire_version),
        (v.sha256.as_str(), 2)
    );
    // The state round-trips through the draft's JSON.
    let json = serde_json::to_string(&c).unwrap();
    assert_eq!(serde_json::from_str::<Carry>(&json).unwrap(), c);
}

#[test]
fn a_carried_draft_kept_across_an_upgrade_follows_its_questions() {
    // A draft carried under version 2 (D2a not yet split) and reviewed there.
    let mut before = Answers::default();
    before.set("D2a", text(D2A));
    before.set(
        "F10",
        Answer::Choice {
            selected: vec!["considering".to_owned()],
            other: String::new(),
        },
    );
    let mut c = Carry {
        version: 2,
        previous: Previous {
            sha256: "0".repeat(64),
            signed_at: ts("2025-11-20T09:00:00Z"),
            questionnaire_version: 1,
            changed: vec![],
        },
        before,
        reviewed: ["D2a".to_owned()].into_iter().collect(),
        set_apart: vec![],
    };
    c.migrate(q());
    assert_eq!(c.version, q().version);
    assert_eq!(c.before.get("D2b"), Some(&text(D2A)));
    assert_eq!(c.before.get("D2c"), Some(&text(D2A)));
    assert_eq!(
        c.before.get("F10").unwrap().selected(),
        ["under_consideration"]
    );
    assert!(
        c.reviewed.contains("D2b") && c.reviewed.contains("D2c") && !c.reviewed.contains("D2a")
    );
    let again = c.clone();
    c.migrate(q());
    assert_eq!(c, again, "migrating twice changes nothing");
}

#[test]
fn new_questions_are_the_ones_the_steps_declare() {
    assert_eq!(new_questions(2, 3), ["D2b", "D2c"]);
    assert_eq!(new_questions(1, 3), ["D2b", "D2c"]);
    assert!(new_questions(1, 2).is_empty());
    assert!(new_questions(3, 3).is_empty());
}
