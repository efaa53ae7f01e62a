//! Hand-offs: the request and part files (round trips, every refusal, a fuzz of both parsers),
//! and the three-way merge (properties over generated replies, row by row, undo, conflicts).

mod common;

use common::fuzz::{self, apply, config, edit, no_floats};
use common::{full_reply, text, ts, OTHER_SECRET, TEST_SECRET};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde_json::Value;
use sha2::{Digest, Sha256};
use untoc_art32::core::answers::{Answer, Answers, Row};
use untoc_art32::core::handoff::merge::{merge, Outcome};
use untoc_art32::core::handoff::{
    verify_handoff, Book, HandoffError, MergeRefusal, Part, Recipient, Request, PART_FORMAT,
};
use untoc_art32::core::model::Questionnaire;
use untoc_art32::core::submission::{sign_document, Signer, VerifyError};

const REPLY: &str = "reply-fra-2026";

fn q() -> &'static Questionnaire {
    Questionnaire::builtin()
}

fn section(id: &str) -> Vec<String> {
    q().section(id)
        .unwrap()
        .questions
        .iter()
        .map(|x| x.id.to_owned())
        .collect()
}

fn fiu() -> Recipient {
    Recipient {
        label: "Financial Intelligence Unit".to_owned(),
        email: Some("fiu@example.org".to_owned()),
    }
}

/// A reply with every question answered, a book, and a hand-off of section `s`.
fn handed_out(s: &str) -> (Answers, Book, Request) {
    let answers = full_reply(q(), false);
    let mut book = Book::default();
    let req = book.hand_out(
        q(),
        REPLY,
        &answers,
        &format!("h-{s}"),
        fiu(),
        &section(s),
        ts("2026-12-01T09:00:00Z"),
    );
    (answers, book, req)
}

fn signed_request(req: &Request) -> String {
    sign_document(
        &req.to_document(),
        &TEST_SECRET,
        &ts("2026-12-01T09:00:05Z"),
    )
}

fn part_of(req: &Request, answers: Answers) -> Part {
    Part {
        questionnaire_id: req.questionnaire_id.clone(),
        questionnaire_version: req.questionnaire_version,
        reply: req.reply.clone(),
        handoff: req.handoff.clone(),
        contributor: "Financial Intelligence Unit".to_owned(),
        answers,
    }
}

fn signed_part(part: &Part, secret: &[u8; 32], at: &str) -> String {
    sign_document(&part.to_document(), secret, &ts(at))
}

fn digest(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Reads a signed part, plans its merge: the plan or why not.
fn plan(
    book: &Book,
    answers: &Answers,
    file: &str,
) -> Result<untoc_art32::core::handoff::Plan, MergeRefusal> {
    let (part, signer) = Part::read(q(), file.as_bytes()).expect("a readable part");
    book.plan(REPLY, answers, &part, &signer, &digest(file))
}

// ------------------------------------------------------------------------------------------
// The files
// ------------------------------------------------------------------------------------------

#[test]
fn a_request_round_trips_and_carries_the_base_and_the_context() {
    let (answers, book, req) = handed_out("E");
    assert_eq!(req.questions, section("E"));
    // The base is the reply's answers to the handed-out questions, and nothing else.
    for (id, a) in req.base.0.iter() {
        assert!(req.questions.contains(id));
        assert_eq!(answers.get(id), Some(a));
    }
    // E's follow-ups read E1 and E8 (handed out too): no context needed from elsewhere.
    assert!(req.context.0.keys().all(|id| !req.questions.contains(id)));
    assert_eq!(
        req.state,
        answers
            .get("S1")
            .and_then(|a| a.selected().first().cloned())
    );
    assert!(req.state.is_some());
    assert_eq!(book.handoffs.len(), 1);
    let file = signed_request(&req);
    let (read, signer) = Request::read(q(), file.as_bytes()).unwrap();
    assert_eq!(read, req);
    assert_eq!(signer.signed_at, ts("2026-12-01T09:00:05Z"));
}

#[test]
fn the_context_holds_the_answers_the_show_if_rules_read() {
    let answers = full_reply(q(), false);
    let mut book = Book::default();
    // E2's rule reads E1, which is not handed out: E1 travels as context.
    let req = book.hand_out(
        q(),
        REPLY,
        &answers,
        "h1",
        fiu(),
        &["E2".to_owned()],
        ts("2026-12-01T09:00:00Z"),
    );
    assert_eq!(req.questions, ["E2"]);
    assert!(req.context.get("E1").is_some());
    assert!(req.context.get("E2").is_none());
}

#[test]
fn a_part_round_trips() {
    let (_, _, req) = handed_out("C");
    let part = part_of(&req, req.base.clone());
    let file = signed_part(&part, &OTHER_SECRET, "2026-12-02T10:00:00Z");
    let (read, signer) = Part::read(q(), file.as_bytes()).unwrap();
    assert_eq!(read, part);
    assert_eq!(signer.signed_at, ts("2026-12-02T10:00:00Z"));
    // No float anywhere: every number is an integer (row keys, versions).
    let v: Value = serde_json::from_str(&file).unwrap();
    assert!(no_floats(&v));
}

#[test]
fn reading_is_the_signature_checked_then_the_members_read() {
    // The app checks the signature in its signer and reads the members in the page; together
    // they are `read`, and each half refuses what it should.
    let (_, _, req) = handed_out("F");
    let request = signed_request(&req);
    let part = signed_part(
        &part_of(&req, req.base.clone()),
        &OTHER_SECRET,
        "2026-12-02T10:00:00Z",
    );
    let (members, signer) = verify_handoff(request.as_bytes(), false).unwrap();
    assert_eq!(signer, Request::read(q(), request.as_bytes()).unwrap().1);
    assert_eq!(Request::from_verified(q(), members).unwrap(), req);
    let (members, signer) = verify_handoff(part.as_bytes(), true).unwrap();
    let (read, read_signer) = Part::read(q(), part.as_bytes()).unwrap();
    assert_eq!(signer, read_signer);
    assert_eq!(Part::from_verified(q(), members).unwrap(), read);
    // The kinds are not interchangeable, and the members of one are not read as the other.
    assert!(matches!(
        verify_handoff(request.as_bytes(), true),
        Err(HandoffError::WrongFormat { .. })
    ));
    assert!(matches!(
        verify_handoff(part.as_bytes(), false),
        Err(HandoffError::WrongFormat { .. })
    ));
    let (part_members, _) = verify_handoff(part.as_bytes(), true).unwrap();
    assert!(matches!(
        Request::from_verified(q(), part_members),
        Err(HandoffError::Malformed(_))
    ));
}

#[test]
fn a_request_that_hands_out_nothing_is_refused() {
    let (_, _, mut req) = handed_out("C");
    req.questions.clear();
    req.base = Answers::default();
    req.context = Answers::default();
    let file = signed_request(&req);
    assert!(matches!(
        Request::read(q(), file.as_bytes()),
        Err(HandoffError::Malformed(_))
    ));
}

#[test]
fn sending_again_keeps_the_base_and_takes_the_context_as_it_is_now() {
    let (mut answers, book, req) = handed_out("C");
    // The reply changes after the hand-out: a handed-out answer and one of the context.
    answers.set(
        "C7",
        Answer::Choice {
            selected: vec!["not_known".to_owned()],
            other: String::new(),
        },
    );
    let again = book.request(q(), &req.handoff, &answers).unwrap();
    assert_eq!(again.questions, req.questions);
    assert_eq!(
        again.base, req.base,
        "the next part merges against what was handed out"
    );
    assert_eq!(again.handoff, req.handoff);
    assert_eq!(again.issued_at, req.issued_at);
    assert!(book.request(q(), "h-none", &answers).is_none());
}

#[test]
fn every_refusal_of_a_file_says_why() {
    let (_, _, req) = handed_out("C");
    let part = part_of(&req, req.base.clone());
    let file = signed_part(&part, &TEST_SECRET, "2026-12-02T10:00:00Z");
    let refuse = |text: &str| Part::read(q(), text.as_bytes()).unwrap_err();
    let edited = |f: &dyn Fn(&mut Value)| {
        let mut v: Value = serde_json::from_str(&file).unwrap();
        f(&mut v);
        serde_json::to_string(&v).unwrap()
    };
    let resigned = |f: &dyn Fn(&mut Value)| {
        let mut v: Value = serde_json::from_str(&file).unwrap();
        v.as_object_mut().unwrap().remove("signature");
        f(&mut v);
        sign_document(
            v.as_object().unwrap(),
            &TEST_SECRET,
            &ts("2026-12-02T10:00:00Z"),
        )
    };
    // Tampered: the signature no longer holds.
    let tampered = edited(&|v| v["contributor"]["label"] = Value::from("Ministry of Justice"));
    assert_eq!(
        refuse(&tampered),
        HandoffError::Unsigned(VerifyError::SignatureInvalid)
    );
    // Another kind of file.
    let request = signed_request(&req);
    assert!(
        matches!(refuse(&request), HandoffError::WrongFormat { expected, .. } if expected == PART_FORMAT)
    );
    assert!(matches!(refuse("{}"), HandoffError::WrongFormat { .. }));
    assert!(matches!(
        refuse("not json"),
        HandoffError::Unsigned(VerifyError::NotJson(_))
    ));
    assert_eq!(
        refuse(&file.replacen('{', "{\"x\":1.5,", 1)),
        HandoffError::Unsigned(VerifyError::FloatNumber)
    );
    // Signed, but wrong inside.
    assert!(matches!(
        refuse(&resigned(
            &|v| v["questionnaire"]["id"] = Value::from("other")
        )),
        HandoffError::OtherQuestionnaire(_)
    ));
    assert_eq!(
        refuse(&resigned(
            &|v| v["questionnaire"]["version"] = Value::from(99)
        )),
        HandoffError::NewerQuestionnaire(99)
    );
    assert_eq!(
        refuse(&resigned(&|v| v["contributor"]["label"] = Value::from("  "))),
        HandoffError::BadLabel
    );
    assert!(
        matches!(refuse(&resigned(&|v| v["answers"]["Z9"] = serde_json::json!({"text": "x"}))), HandoffError::UnknownQuestion(id) if id == "Z9")
    );
    assert!(
        matches!(refuse(&resigned(&|v| v["answers"]["C1"] = serde_json::json!({"text": "yes"}))), HandoffError::AnswerShape(id) if id == "C1")
    );
    assert!(matches!(
        refuse(&resigned(&|v| v["contributor"]["extra"] = Value::from(1))),
        HandoffError::Malformed(_)
    ));
    assert!(matches!(
        refuse(&resigned(
            &|v| v["answers"]["C1"] = serde_json::json!({"choice": {"selected": ["yes", "no"]}})
        )),
        HandoffError::AnswerShape(_)
    ));
}

#[test]
fn a_part_for_an_older_version_is_migrated_as_drafts_are() {
    let answers = full_reply(q(), false);
    let mut book = Book::default();
    let req = book.hand_out(
        q(),
        REPLY,
        &answers,
        "h1",
        fiu(),
        &["A4".to_owned()],
        ts("2026-12-01T09:00:00Z"),
    );
    let mut part = part_of(&req, Answers::default());
    part.questionnaire_version = 1;
    part.answers.set(
        "A4",
        Answer::Choice {
            selected: vec!["no".to_owned()],
            other: String::new(),
        },
    );
    let file = signed_part(&part, &TEST_SECRET, "2026-12-02T10:00:00Z");
    let (read, _) = Part::read(q(), file.as_bytes()).unwrap();
    assert_eq!(
        read.answers.get("A4").unwrap().selected(),
        ["secretariat_only"]
    );
    assert_eq!(read.questionnaire_version, q().version);
}

// ------------------------------------------------------------------------------------------
// Merging through the book: refusals change nothing
// ------------------------------------------------------------------------------------------

#[test]
fn every_refusal_of_a_merge_changes_nothing() {
    let (answers, mut book, req) = handed_out("C");
    let before = book.clone();
    let mut theirs = req.base.clone();
    theirs.set("C2a", text("Answered by the unit."));
    let part = part_of(&req, theirs);
    let file = signed_part(&part, &OTHER_SECRET, "2026-12-02T10:00:00Z");
    let (read, signer) = Part::read(q(), file.as_bytes()).unwrap();
    // Another reply.
    assert_eq!(
        book.plan("another-reply", &answers, &read, &signer, &digest(&file))
            .unwrap_err(),
        MergeRefusal::OtherReply
    );
    // An unknown hand-off.
    let mut other = read.clone();
    other.handoff = "h-unknown".to_owned();
    assert_eq!(
        book.plan(REPLY, &answers, &other, &signer, "d")
            .unwrap_err(),
        MergeRefusal::UnknownHandoff
    );
    // A question not handed out.
    let mut extra = read.clone();
    extra.answers.set(
        "E1",
        Answer::Choice {
            selected: vec!["yes".to_owned()],
            other: String::new(),
        },
    );
    assert_eq!(
        book.plan(REPLY, &answers, &extra, &signer, "d")
            .unwrap_err(),
        MergeRefusal::NotAssigned("E1".to_owned())
    );
    assert_eq!(book, before);
    // Merged once; the same file again, an older one, or one by another key: refused.
    let plan = book
        .plan(REPLY, &answers, &read, &signer, &digest(&file))
        .unwrap();
    let (merged, book2) = (plan.merged.answers.clone(), plan.book.clone());
    assert_eq!(
        book2
            .plan(REPLY, &merged, &read, &signer, &digest(&file))
            .unwrap_err(),
        MergeRefusal::AlreadyMerged
    );
    let older = signed_part(&part, &OTHER_SECRET, "2026-12-01T10:00:00Z");
    assert_eq!(
        plan_of(&book2, &merged, &older),
        Err(MergeRefusal::Superseded)
    );
    let by_another = signed_part(&part, &TEST_SECRET, "2026-12-03T10:00:00Z");
    assert_eq!(
        plan_of(&book2, &merged, &by_another),
        Err(MergeRefusal::OtherKey)
    );
    // Cancelled.
    assert!(book.cancel("h-C"));
    assert_eq!(
        plan_of(&book, &answers, &file),
        Err(MergeRefusal::Cancelled)
    );
}

fn plan_of(book: &Book, answers: &Answers, file: &str) -> Result<Answers, MergeRefusal> {
    plan(book, answers, file).map(|p| p.merged.answers)
}

#[test]
fn untouched_answers_are_taken_a_double_change_is_a_conflict_and_undo_restores() {
    let (mut ours, book, req) = handed_out("E");
    // Meanwhile the focal point edits E2a; the contributor changes E2a and E8b.
    ours.set("E2a", text("The focal point's wording."));
    let mut theirs = req.base.clone();
    theirs.set("E2a", text("The unit's wording."));
    let e8b = theirs.get("E8b").cloned();
    theirs.0.remove("E8b");
    let file = signed_part(
        &part_of(&req, theirs),
        &OTHER_SECRET,
        "2026-12-02T10:00:00Z",
    );
    let p = plan(&book, &ours, &file).unwrap();
    let (taken, kept, conflicts) = p.merged.counts();
    assert_eq!(conflicts, 1);
    assert_eq!(taken, usize::from(e8b.is_some()));
    assert_eq!(kept, section("E").len() - taken - 1);
    // The conflict keeps both, the reply keeps its own meanwhile, and the reply cannot be signed.
    let c = &p.book.conflicts[0];
    assert_eq!(
        (c.question.as_str(), c.label.as_str()),
        ("E2a", "Financial Intelligence Unit")
    );
    assert_eq!(c.ours, Some(text("The focal point's wording.")));
    assert_eq!(c.theirs, Some(text("The unit's wording.")));
    assert_eq!(
        p.merged.answers.get("E2a"),
        Some(&text("The focal point's wording."))
    );
    assert!(!p.book.settled());
    // The contributor cleared E8b, which the focal point had not touched: cleared, and sourced.
    assert_eq!(p.merged.answers.get("E8b"), None);
    // Keeping theirs resolves it and names them as the source.
    let mut book2 = p.book.clone();
    assert_eq!(
        book2.resolve("E2a", true),
        Some(Some(text("The unit's wording.")))
    );
    assert!(book2.settled());
    assert_eq!(book2.sources["E2a"].label, "Financial Intelligence Unit");
    // Undo: the reply and the book as they were.
    let mut book3 = p.book.clone();
    assert_eq!(book3.undo_merge(), Some(ours.clone()));
    assert_eq!(book3, book);
}

#[test]
fn a_correction_is_merged_against_the_part_before_it() {
    let (ours, book, req) = handed_out("G");
    let mut first = req.base.clone();
    first.set(
        "G2",
        Answer::Choice {
            selected: vec!["yes".to_owned()],
            other: String::new(),
        },
    );
    let f1 = signed_part(
        &part_of(&req, first.clone()),
        &OTHER_SECRET,
        "2026-12-02T10:00:00Z",
    );
    let p1 = plan(&book, &ours, &f1).unwrap();
    // The correction changes G2 again: taken, not a conflict with the first part's answer.
    let mut second = first.clone();
    second.set(
        "G2",
        Answer::Choice {
            selected: vec!["no".to_owned()],
            other: String::new(),
        },
    );
    let f2 = signed_part(
        &part_of(&req, second),
        &OTHER_SECRET,
        "2026-12-03T10:00:00Z",
    );
    let p2 = plan(&p1.book, &p1.merged.answers, &f2).unwrap();
    assert_eq!(p2.merged.counts().2, 0);
    assert_eq!(p2.merged.answers.get("G2").unwrap().selected(), ["no"]);
}

#[test]
fn contributors_are_listed_with_the_questions_they_supplied() {
    let (ours, book, req) = handed_out("H");
    let mut theirs = req.base.clone();
    theirs.set("H1", text("A. Official"));
    theirs.set("H2", text("Ministry of Finance"));
    let file = signed_part(
        &part_of(&req, theirs),
        &OTHER_SECRET,
        "2026-12-02T10:00:00Z",
    );
    let p = plan(&book, &ours, &file).unwrap();
    let exported: std::collections::BTreeMap<String, ()> =
        p.merged.answers.0.keys().map(|k| (k.clone(), ())).collect();
    let list = p
        .book
        .contributors(q(), &p.merged.answers, |id| exported.contains_key(id));
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].label, "Financial Intelligence Unit");
    assert_eq!(list[0].questions, ["H1", "H2"]);
    // The focal point then rewrites H2: that answer is theirs now.
    let mut edited = p.merged.answers.clone();
    edited.set("H2", text("Ministry of Finance and Economy"));
    let list = p
        .book
        .contributors(q(), &edited, |id| exported.contains_key(id));
    assert_eq!(list[0].questions, ["H1"]);
    // Written back as it was, it is the contributor's again.
    edited.set("H2", text("Ministry of Finance"));
    let list = p
        .book
        .contributors(q(), &edited, |id| exported.contains_key(id));
    assert_eq!(list[0].questions, ["H1", "H2"]);
}

// ------------------------------------------------------------------------------------------
// The merge, row by row
// ------------------------------------------------------------------------------------------

fn row(key: u32, v: &str) -> Row {
    let mut r = Row {
        key,
        fields: Default::default(),
    };
    r.set("name", text(v));
    r
}

fn rows(rs: &[Row]) -> Answers {
    let mut a = Answers::default();
    if !rs.is_empty() {
        a.set("G1", Answer::Rows(rs.to_vec()));
    }
    a
}

fn merged_rows(o: &[Row], b: &[Row], t: &[Row]) -> (Vec<Row>, bool) {
    let m = merge(&rows(o), &rows(b), &rows(t), &["G1".to_owned()]);
    let conflict = matches!(m.outcomes[0].1, Outcome::Conflict(_));
    (
        m.answers
            .get("G1")
            .map(|a| a.rows().to_vec())
            .unwrap_or_default(),
        conflict,
    )
}

#[test]
fn rows_added_on_either_side_are_all_kept() {
    let base = [row(1, "a")];
    let (out, conflict) = merged_rows(
        &[row(1, "a"), row(2, "ours")],
        &base,
        &[row(1, "a"), row(2, "theirs")],
    );
    assert!(!conflict);
    let names: Vec<_> = out
        .iter()
        .map(|r| r.field("name").unwrap().text().to_owned())
        .collect();
    assert_eq!(names, ["a", "ours", "theirs"]);
    // The contributor's row took a new key.
    assert_eq!(out.iter().filter(|r| r.key == 2).count(), 1);
}

#[test]
fn a_row_deleted_on_one_side_and_changed_on_the_other_is_a_conflict() {
    let base = [row(1, "a"), row(2, "b")];
    let (out, conflict) = merged_rows(&[row(1, "a")], &base, &[row(1, "a"), row(2, "b changed")]);
    assert!(conflict);
    // The reply keeps its own side meanwhile; the conflict holds theirs (checked below).
    assert_eq!(out.len(), 1);
    let m = merge(
        &rows(&[row(1, "a")]),
        &rows(&base),
        &rows(&[row(1, "a"), row(2, "b changed")]),
        &["G1".to_owned()],
    );
    let Outcome::Conflict(c) = &m.outcomes[0].1 else {
        panic!()
    };
    assert!(c
        .theirs
        .as_ref()
        .unwrap()
        .rows()
        .iter()
        .any(|r| r.field("name") == Some(&text("b changed"))));
    // Deleted by one side, unchanged by the other: deleted, no conflict.
    let (out, conflict) = merged_rows(&[row(1, "a"), row(2, "b")], &base, &[row(1, "a")]);
    assert!(!conflict);
    assert_eq!(out, [row(1, "a")]);
}

// ------------------------------------------------------------------------------------------
// Properties of the merge over generated replies
// ------------------------------------------------------------------------------------------

const IDS: [&str; 5] = ["C2a", "D2b", "D3", "E2a", "F5a"];

fn answers_strategy() -> impl Strategy<Value = Answers> {
    prop::collection::vec(
        prop::option::of(prop::sample::select(vec!["x", "y", "z"])),
        IDS.len(),
    )
    .prop_map(|vs| {
        let mut a = Answers::default();
        for (id, v) in IDS.iter().zip(vs) {
            if let Some(v) = v {
                a.set(id, text(v));
            }
        }
        a
    })
}

fn rows_strategy() -> impl Strategy<Value = Vec<Row>> {
    prop::collection::btree_map(1u32..6, prop::sample::select(vec!["a", "b", "c"]), 0..5)
        .prop_map(|m| m.into_iter().map(|(k, v)| row(k, v)).collect())
}

proptest! {
    #![proptest_config(config(2_000))]

    /// No answer either side changed is dropped without a conflict; the merge is idempotent.
    #[test]
    fn no_change_is_lost_and_merging_again_changes_nothing(o in answers_strategy(), b in answers_strategy(), t in answers_strategy()) {
        let ids: Vec<String> = IDS.iter().map(|s| s.to_string()).collect();
        let m = merge(&o, &b, &t, &ids);
        for (id, outcome) in &m.outcomes {
            let (ov, bv, tv, rv) = (o.get(id), b.get(id), t.get(id), m.answers.get(id));
            match outcome {
                Outcome::Conflict(c) => {
                    prop_assert!(ov != bv && tv != bv && ov != tv);
                    prop_assert_eq!((c.ours.as_ref(), c.theirs.as_ref()), (ov, tv));
                    prop_assert_eq!(rv, ov);
                }
                _ => {
                    if ov != bv { prop_assert_eq!(rv, ov, "{} lost the reply's change", id); }
                    if tv != bv { prop_assert_eq!(rv, tv, "{} lost the contributor's change", id); }
                }
            }
        }
        // Merged again against the part it took (the book's next base): nothing changes.
        let again = merge(&m.answers, &t, &t, &ids);
        prop_assert_eq!(&again.answers, &m.answers);
    }

    /// Row by row: every row either side changed or added is in the result, or a conflict says so.
    #[test]
    fn no_row_is_lost(o in rows_strategy(), b in rows_strategy(), t in rows_strategy()) {
        let m = merge(&rows(&o), &rows(&b), &rows(&t), &["G1".to_owned()]);
        if matches!(m.outcomes[0].1, Outcome::Conflict(_)) { return Ok(()); }
        let out = m.answers.get("G1").map(|a| a.rows().to_vec()).unwrap_or_default();
        let has = |r: &Row| out.iter().any(|x| x.fields == r.fields);
        for side in [&o, &t] {
            for r in side.iter() {
                let in_base = b.iter().find(|x| x.key == r.key);
                if in_base != Some(r) {
                    prop_assert!(has(r), "a changed or added row was dropped: {:?}", r);
                }
            }
        }
        let keys: Vec<u32> = out.iter().map(|r| r.key).collect();
        let mut unique = keys.clone();
        unique.dedup();
        prop_assert_eq!(keys.len(), { unique.sort(); unique.dedup(); unique.len() }, "row keys are unique");
    }

    /// Parts of disjoint hand-offs give the same reply in either order.
    #[test]
    fn disjoint_parts_merge_in_any_order(o in answers_strategy(), t1 in answers_strategy(), t2 in answers_strategy()) {
        let mut book = Book::default();
        let r1 = book.hand_out(q(), REPLY, &o, "h1", fiu(), &["C2a".to_owned(), "D2b".to_owned()], ts("2026-12-01T09:00:00Z"));
        let r2 = book.hand_out(q(), REPLY, &o, "h2", fiu(), &["D3".to_owned(), "E2a".to_owned()], ts("2026-12-01T09:00:00Z"));
        let keep = |t: &Answers, r: &Request| {
            let mut a = Answers::default();
            for id in &r.questions { if let Some(v) = t.get(id) { a.set(id, v.clone()); } }
            a
        };
        let (p1, p2) = (part_of(&r1, keep(&t1, &r1)), part_of(&r2, keep(&t2, &r2)));
        let s = |k: u8| Signer { key_id: format!("{k:064x}"), public_key: [k; 32], signed_at: ts("2026-12-02T10:00:00Z") };
        let ab = {
            let x = book.plan(REPLY, &o, &p1, &s(1), "d1").unwrap();
            x.book.plan(REPLY, &x.merged.answers, &p2, &s(2), "d2").unwrap()
        };
        let ba = {
            let x = book.plan(REPLY, &o, &p2, &s(2), "d2").unwrap();
            x.book.plan(REPLY, &x.merged.answers, &p1, &s(1), "d1").unwrap()
        };
        prop_assert_eq!(&ab.merged.answers, &ba.merged.answers);
        prop_assert_eq!(&ab.book.sources, &ba.book.sources);
    }
}

// ------------------------------------------------------------------------------------------
// Fuzz: 100,000 cases over both parsers; none panics, none reads as something else
// ------------------------------------------------------------------------------------------

thread_local! {
    static FILES: (Vec<u8>, Vec<u8>) = {
        let (_, _, req) = handed_out("F");
        let part = part_of(&req, req.base.clone());
        (signed_request(&req).into_bytes(), signed_part(&part, &OTHER_SECRET, "2026-12-02T10:00:00Z").into_bytes())
    };
}

/// An edited file that still reads must say what the original says.
fn same_or_refused(
    original: &[u8],
    edited: &[u8],
    read: impl Fn(&[u8]) -> Option<String>,
) -> Result<(), TestCaseError> {
    if let Some(said) = read(edited) {
        prop_assert_eq!(
            Some(said),
            read(original),
            "an edited file read as something else"
        );
    }
    Ok(())
}

fn read_request(b: &[u8]) -> Option<String> {
    Request::read(q(), b)
        .ok()
        .map(|(r, s)| format!("{r:?}{s:?}"))
}

fn read_part(b: &[u8]) -> Option<String> {
    Part::read(q(), b).ok().map(|(p, s)| format!("{p:?}{s:?}"))
}

fn json_value() -> impl Strategy<Value = Value> {
    fuzz::json_value(
        vec![
            "text",
            "choice",
            "rows",
            "key",
            "fields",
            "selected",
            "F1",
            "yes",
            PART_FORMAT,
        ],
        "[a-z_]{1,10}|F1|F2a|text|choice|rows",
    )
}

const PATHS: [&[&str]; 7] = [
    &["answers"],
    &["answers", "F1"],
    &["contributor"],
    &["contributor", "label"],
    &["questionnaire"],
    &["reply"],
    &["handoff"],
];

proptest! {
    #![proptest_config(config(35_000))]
    #[test]
    fn edits_of_a_signed_request_never_read_as_something_else(edits in prop::collection::vec(edit(), 1..6)) {
        FILES.with(|(req, _)| {
            let mut b = req.clone();
            for e in &edits { apply(&mut b, e); }
            same_or_refused(req, &b, read_request)
        })?;
    }
}

proptest! {
    #![proptest_config(config(35_000))]
    #[test]
    fn edits_of_a_signed_part_never_read_as_something_else(edits in prop::collection::vec(edit(), 1..6)) {
        FILES.with(|(_, part)| {
            let mut b = part.clone();
            for e in &edits { apply(&mut b, e); }
            same_or_refused(part, &b, read_part)
        })?;
    }
}

proptest! {
    #![proptest_config(config(30_000))]
    /// Any JSON in any member of a part, re-signed (so the content checks are reached): read
    /// without panicking, and what is read is well-formed (every answer fits its question).
    #[test]
    fn any_json_in_a_resigned_part_is_refused_or_well_formed(path in prop::sample::select(PATHS.to_vec()), v in json_value()) {
        FILES.with(|(_, part)| {
            let mut doc: Value = serde_json::from_slice(part).unwrap();
            doc.as_object_mut().unwrap().remove("signature");
            let mut at = &mut doc;
            for key in &path[..path.len() - 1] { at = &mut at[*key]; }
            at[path[path.len() - 1]] = v;
            if let Some(map) = doc.as_object() {
                let text = sign_document(map, &OTHER_SECRET, &ts("2026-12-02T10:00:00Z"));
                if let Ok((p, _)) = Part::read(q(), text.as_bytes()) {
                    for (id, a) in p.answers.0.iter() {
                        let it = q().question(id).unwrap();
                        prop_assert!(untoc_art32::core::handoff::fits(q(), &it.question.kind, a));
                    }
                }
            }
            Ok(())
        })?;
    }
}

// ------------------------------------------------------------------------------------------
// The format document, the command-line tool and the Python verifier
// ------------------------------------------------------------------------------------------

/// The documented example: the focal point hands F4 (statistics, rows) and F5a (a follow-up of
/// F5) to the Financial Intelligence Unit, which returns both answered.
fn example() -> (Answers, Book, String, String) {
    let mut reply = Answers::default();
    reply.set(
        "S1",
        Answer::Choice {
            selected: vec!["FRA".to_owned()],
            other: String::new(),
        },
    );
    reply.set(
        "F5",
        Answer::Choice {
            selected: vec!["some_cases".to_owned()],
            other: String::new(),
        },
    );
    let mut r1 = Row {
        key: 1,
        fields: Default::default(),
    };
    r1.set(
        "year",
        Answer::Number {
            value: "2024".to_owned(),
            no_data: false,
        },
    );
    reply.set("F4", Answer::Rows(vec![r1.clone()]));
    let mut book = Book::default();
    let to = Recipient {
        label: "Financial Intelligence Unit".to_owned(),
        email: Some("fiu@example.gov".to_owned()),
    };
    let req = book.hand_out(
        q(),
        REPLY,
        &reply,
        "h1",
        to,
        &["F4".to_owned(), "F5a".to_owned()],
        ts("2026-12-01T09:00:00Z"),
    );
    let request = sign_document(
        &req.to_document(),
        &TEST_SECRET,
        &ts("2026-12-01T09:00:00Z"),
    );
    let mut answers = req.base.clone();
    r1.set(
        "investigations",
        Answer::Number {
            value: "41".to_owned(),
            no_data: false,
        },
    );
    r1.set(
        "prosecutions",
        Answer::Number {
            value: String::new(),
            no_data: true,
        },
    );
    let mut r2 = Row {
        key: 2,
        fields: Default::default(),
    };
    r2.set(
        "year",
        Answer::Number {
            value: "2025".to_owned(),
            no_data: false,
        },
    );
    r2.set(
        "investigations",
        Answer::Number {
            value: "37".to_owned(),
            no_data: false,
        },
    );
    answers.set("F4", Answer::Rows(vec![r1, r2]));
    answers.set("F5a", text("Parallel financial investigations are opened by the unit on request of the prosecutor."));
    let part = part_of(&req, answers);
    let part = sign_document(
        &part.to_document(),
        &OTHER_SECRET,
        &ts("2026-12-03T15:30:00Z"),
    );
    (reply, book, request, part)
}

fn pretty(text: &str) -> String {
    serde_json::to_string_pretty(&serde_json::from_str::<Value>(text).unwrap()).unwrap() + "\n"
}

fn doc_block(doc: &str, marker: &str) -> String {
    let rest = &doc[doc
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} missing"))..];
    let start = rest.find("```json\n").unwrap() + "```json\n".len();
    rest[start..start + rest[start..].find("\n```\n").unwrap() + 1].to_owned()
}

#[test]
fn the_format_document_shows_the_files_the_app_writes() {
    let doc = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/handoff-format.md"),
    )
    .unwrap();
    let (_, _, request, part) = example();
    let (shown_request, shown_part) = (
        doc_block(&doc, "<!-- request example"),
        doc_block(&doc, "<!-- part example"),
    );
    if std::env::var_os("ART32_WRITE_EXAMPLES").is_some() {
        println!("REQUEST\n{}\nPART\n{}", pretty(&request), pretty(&part));
    }
    assert_eq!(
        shown_request,
        pretty(&request),
        "regenerate the request example (ART32_WRITE_EXAMPLES=1)"
    );
    assert_eq!(
        shown_part,
        pretty(&part),
        "regenerate the part example (ART32_WRITE_EXAMPLES=1)"
    );
    // What a reader of the document checks: both read, pretty-printed as shown.
    Request::read(q(), shown_request.as_bytes()).unwrap();
    let (p, s) = Part::read(q(), shown_part.as_bytes()).unwrap();
    assert!(doc.contains(&s.key_id));
    assert_eq!(p.answers.get("F4").unwrap().rows().len(), 2);
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("art32-handoff-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn art32(args: &[&std::ffi::OsStr]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_art32"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn art32_verifies_hand_off_files_and_merges_a_part_into_a_draft_file() {
    let dir = scratch("cli");
    let (reply, book, request, part) = example();
    let (rf, pf) = (dir.join("request.json"), dir.join("part.json"));
    std::fs::write(&rf, &request).unwrap();
    std::fs::write(&pf, &part).unwrap();
    let tampered = dir.join("tampered.json");
    std::fs::write(&tampered, part.replace("41", "42")).unwrap();
    let out = art32(&["verify".as_ref(), rf.as_os_str(), pf.as_os_str()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains("hand-off request h1") && stdout.contains("hand-off part h1"),
        "{stdout}"
    );
    let out = art32(&["verify".as_ref(), tampered.as_os_str()]);
    assert_eq!(out.status.code(), Some(1));
    // A draft file that handed it out, as the app saves it.
    let mut d = untoc_art32::core::draft::Draft::new(q(), REPLY, "Reply 2026", "en");
    d.answers = reply;
    let kept = untoc_art32::core::handoff::DraftHandoff::Book(book);
    d.handoff = untoc_art32::core::draft::Kept::new(serde_json::to_string(&kept).unwrap());
    let df = dir.join("draft.json");
    std::fs::write(&df, d.to_json()).unwrap();
    let merged = dir.join("merged.json");
    let out = art32(&[
        "merge".as_ref(),
        df.as_os_str(),
        pf.as_os_str(),
        "-o".as_ref(),
        merged.as_os_str(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains("2 taken, 0 kept, 0 in conflict"),
        "{stdout}"
    );
    let m = untoc_art32::core::draft::Draft::open(q(), &std::fs::read_to_string(&merged).unwrap())
        .unwrap();
    let untoc_art32::core::draft::Opened::Current(m) = m else {
        panic!()
    };
    assert_eq!(m.answers.get("F4").unwrap().rows().len(), 2);
    // The same part into the merged draft: refused, nothing written.
    let again = dir.join("again.json");
    let out = art32(&[
        "merge".as_ref(),
        merged.as_os_str(),
        pf.as_os_str(),
        "-o".as_ref(),
        again.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("merged already"));
    assert!(!again.exists());
    // A tampered part: refused.
    let out = art32(&["merge".as_ref(), df.as_os_str(), tampered.as_os_str()]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn the_python_verifier_checks_hand_off_files() {
    let dir = scratch("python");
    let (_, _, request, part) = example();
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/verify_submission.py");
    for (name, text, ok) in [
        ("request.json", request.clone(), true),
        ("part.json", part.clone(), true),
        ("bad.json", part.replace("41", "42"), false),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let out = std::process::Command::new("python3")
            .arg(&script)
            .arg(&path)
            .output()
            .expect("python3 runs (scripts/setup.sh installs its packages)");
        assert_eq!(
            out.status.success(),
            ok,
            "{name}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn a_book_of_version_2_follows_its_questions_to_version_3() {
    // Section D handed out under version 2 (D2a not yet split); the app is then upgraded.
    let key = untoc_art32::core::submission::key_id(&untoc_art32::core::submission::public_key(
        &OTHER_SECRET,
    ));
    let v2 = serde_json::json!({
        "reply": REPLY,
        "handoffs": [{ "id": "h-D", "to": { "label": "Ministry of Justice" }, "questions": ["D2a", "D3"],
                       "base": { "D2a": { "text": "Delays." } }, "issued_at": "2026-01-10T09:00:00Z" }],
        "sources": { "D2a": { "handoff": "h-0", "label": "Prosecution Service", "key_id": key } },
        "conflicts": [{ "question": "D2a", "handoff": "h-0", "label": "Prosecution Service", "key_id": key,
                        "ours": { "text": "Ours." }, "theirs": { "text": "Theirs." } }]
    });
    let mut book: Book = serde_json::from_value(v2).unwrap();
    assert_eq!(book.version, 2, "a book without a version is of version 2");
    book.migrate(q());
    assert_eq!(book.version, q().version);
    let h = &book.handoffs[0];
    assert_eq!(h.questions, ["D2b", "D2c", "D3"]);
    assert_eq!(h.base.get("D2b"), Some(&text("Delays.")));
    assert_eq!(h.base.get("D2c"), Some(&text("Delays.")));
    assert_eq!(book.sources.keys().collect::<Vec<_>>(), ["D2b", "D2c"]);
    let conflicts: Vec<(&str, Option<&Answer>)> = book
        .conflicts
        .iter()
        .map(|c| (c.question.as_str(), c.theirs.as_ref()))
        .collect();
    assert_eq!(
        conflicts,
        [
            ("D2b", Some(&text("Theirs."))),
            ("D2c", Some(&text("Theirs.")))
        ]
    );
    // Migrating again changes nothing.
    let once = book.clone();
    book.migrate(q());
    assert_eq!(book, once);

    // A part of that hand-off, returned by a contributor still on version 2, merges.
    book.conflicts.clear();
    let mut answers = Answers::default();
    answers.set("D2b", text("Delays."));
    answers.set("D2c", text("Delays."));
    let mut theirs = Answers::default();
    theirs.set("D2a", text("Fewer delays since 2026."));
    let part = Part {
        questionnaire_id: q().id.to_owned(),
        questionnaire_version: 2,
        reply: REPLY.to_owned(),
        handoff: "h-D".to_owned(),
        contributor: "Ministry of Justice".to_owned(),
        answers: theirs,
    };
    let file = signed_part(&part, &OTHER_SECRET, "2026-02-01T10:00:00Z");
    let merged = plan(&book, &answers, &file)
        .expect("the part merges")
        .merged;
    assert_eq!(
        merged.answers.get("D2b"),
        Some(&text("Fewer delays since 2026."))
    );
    assert_eq!(
        merged.answers.get("D2c"),
        Some(&text("Fewer delays since 2026."))
    );
}
