//! Drafts: reading back, migration of older versions, newer versions, the lost-update rule and
//! draft files with every kind of bad input.

use untoc_art32::core::answers::{Answer, Answers};
use untoc_art32::core::draft::{
    decide_write, file_name, Draft, DraftError, Kept, Opened, Write, MAX_DRAFT_FILE,
};
use untoc_art32::core::model::Questionnaire;

fn q() -> &'static Questionnaire {
    Questionnaire::builtin()
}

fn sample() -> Draft {
    let mut d = Draft::new(q(), "d1", "Reply 2026", "zh");
    d.answers
        .set("A6", Answer::Text("第 23 条 — “plan”".into()));
    d.answers.set(
        "S2",
        Answer::Choice {
            selected: vec!["party".into()],
            other: String::new(),
        },
    );
    d.revision = 7;
    d
}

fn selected(a: &Answers, id: &str) -> Vec<String> {
    a.get(id).map(|x| x.selected().to_vec()).unwrap_or_default()
}

#[test]
fn a_draft_round_trips() {
    let d = sample();
    assert_eq!(Draft::open(q(), &d.to_json()), Ok(Opened::Current(d)));
}

/// The hand-offs of a draft (a focal point's record, or the request a contributor answers) are
/// kept as written, byte for byte, through reading and writing: the form never reads them (a JSON
/// text in a string).
#[test]
fn a_drafts_hand_offs_are_kept_as_written() {
    let mut d = sample();
    d.handoff = Kept::new(
        r#"{"book":{"handoffs":[],"sources":{"E2a":{"handoff":"h1","label":"Ministry of Justice","key_id":"ab"}},"conflicts":[]}}"#.to_owned(),
    );
    let text = d.to_json();
    // As a JSON text in a string: `"handoff":"{\"book\":{..."`.
    assert!(
        text.contains(r#""handoff":"{\"book\":{\"handoffs\":[],\"sources\":{\"E2a\""#),
        "{text}"
    );
    let Ok(Opened::Current(back)) = Draft::open(q(), &text) else {
        panic!()
    };
    assert_eq!(back, d);
    assert_eq!(back.to_json(), text);
    // A draft without it does not write the member.
    assert!(!sample().to_json().contains("handoff"));
    assert!(Kept::new("not json".to_owned()).is_none());
}

/// Answers (and a row's fields) are an object by id, kept in id order, and written back in that
/// order, as objects even when empty; a repeated id keeps its last answer, as a map does. Nothing
/// else is taken for them.
#[test]
fn answers_are_read_as_an_object_by_id() {
    let read = |answers: &str| -> Answers { serde_json::from_str(answers).expect("answers") };
    let a = read(
        r#"{"S2": {"text": "b"}, "A6": {"text": "a"}, "S2": {"text": "c"},
            "A5": {"rows": [{"key": 0, "fields": {"z": {"text": "1"}, "b": {"text": "2"}}}]}}"#,
    );
    assert_eq!(a.get("S2"), Some(&Answer::Text("c".into())));
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        r#"{"A5":{"rows":[{"key":0,"fields":{"b":{"text":"2"},"z":{"text":"1"}}}]},"A6":{"text":"a"},"S2":{"text":"c"}}"#
    );
    // None at all, and a row with none: still objects (`LiteMap` alone writes an empty map as `[]`).
    let empty = Draft::new(q(), "e", "Empty", "en");
    assert!(empty.to_json().contains(r#""answers":{}"#));
    assert_eq!(
        Draft::open(q(), &empty.to_json()),
        Ok(Opened::Current(empty))
    );
    let mut row = read(r#"{"A5": {"rows": [{"key": 0, "fields": {}}]}}"#);
    assert_eq!(
        serde_json::to_string(&row).unwrap(),
        r#"{"A5":{"rows":[{"key":0,"fields":{}}]}}"#
    );
    row.rows_mut("A5").unwrap()[0].set("z", Answer::Text("1".into()));
    assert_eq!(row.rows_mut("A5").unwrap()[0].fields.len(), 1);
    for not_an_object in [r#"[["A6", {"text": "a"}]]"#, "[]", r#""A6""#, "null"] {
        assert!(
            serde_json::from_str::<Answers>(not_an_object).is_err(),
            "{not_an_object}"
        );
    }
}

#[test]
fn a_version_1_draft_is_migrated() {
    let text = include_str!("fixtures/draft-v1.json");
    let Ok(Opened::Current(d)) = Draft::open(q(), text) else {
        panic!("a v1 draft opens")
    };
    assert_eq!(d.version, q().version);
    assert_eq!(selected(&d.answers, "A4"), ["secretariat_only"]);
    assert_eq!(
        selected(&d.answers, "F2b"),
        ["serious_crime", "art5", "art8", "art23", "drugs"]
    );
    // Everything else is untouched.
    assert_eq!(
        d.answers.get("A6"),
        Some(&Answer::Text("Plan national 2024–2028".into()))
    );
    assert_eq!(selected(&d.answers, "S1"), ["FRA"]);
    assert_eq!(d.answers.get("E9").unwrap().rows().len(), 1);
    // The migrated answers are valid against the current definition.
    let shown = untoc_art32::core::validate::visible(q(), &d.answers);
    let issues = untoc_art32::core::validate::validate(q(), &d.answers, &shown);
    assert!(
        issues.iter().all(|i| !matches!(
            i.problem,
            untoc_art32::core::validate::Problem::UnknownOption(_)
        )),
        "{issues:?}"
    );
}

#[test]
fn migration_does_not_duplicate_options() {
    let text = include_str!("fixtures/draft-v1.json")
        .replace(r#""art5_8_23","drugs""#, r#""art5_8_23","art8""#);
    let Ok(Opened::Current(d)) = Draft::open(q(), &text) else {
        panic!()
    };
    assert_eq!(
        selected(&d.answers, "F2b"),
        ["serious_crime", "art5", "art8", "art23"]
    );
}

#[test]
fn a_newer_draft_opens_read_only_and_unchanged() {
    let mut d = sample();
    d.version = q().version + 1;
    d.answers.set(
        "Z99",
        Answer::Text("a question this version does not know".into()),
    );
    assert_eq!(Draft::open(q(), &d.to_json()), Ok(Opened::Newer(d)));
}

#[test]
fn bad_inputs_are_refused_with_a_reason() {
    let good = sample().to_json();
    let cases: Vec<(String, fn(&DraftError) -> bool)> = vec![
        ("not json at all".into(), |e| {
            matches!(e, DraftError::Malformed(_))
        }),
        (good[..good.len() / 2].to_owned(), |e| {
            matches!(e, DraftError::Malformed(_))
        }),
        ("[]".into(), |e| {
            matches!(e, DraftError::OtherQuestionnaire(_))
        }),
        ("{}".into(), |e| {
            matches!(e, DraftError::OtherQuestionnaire(_))
        }),
        (
            good.replace("untoc-art32-draft", "untoc-art32-submission"),
            |e| matches!(e, DraftError::OtherQuestionnaire(f) if f == "untoc-art32-submission"),
        ),
        (
            good.replace(
                "\"questionnaire\":\"untoc-art32\"",
                "\"questionnaire\":\"uncac-saq\"",
            ),
            |e| matches!(e, DraftError::OtherQuestionnaire(q) if q == "uncac-saq"),
        ),
        (
            good.replace(
                &format!("\"version\":{}", q().version),
                "\"version\":\"two\"",
            ),
            |e| matches!(e, DraftError::Malformed(_)),
        ),
        (
            good.replace("\"answers\":{", "\"answers\":{\"S1\":{\"colour\":1},"),
            |e| matches!(e, DraftError::Malformed(_)),
        ),
        (good.replace("\"lang\"", "\"surprise\":1,\"lang\""), |e| {
            matches!(e, DraftError::Malformed(_))
        }),
        ("\u{feff}".to_owned() + &good, |e| {
            matches!(e, DraftError::Malformed(_))
        }),
    ];
    for (text, expected) in cases {
        let res = Draft::open(q(), &text);
        assert!(
            matches!(&res, Err(e) if expected(e)),
            "{:.80} gave {res:?}",
            text
        );
    }
}

#[test]
fn a_50_mb_file_is_refused_before_parsing() {
    let huge = format!(
        "{{\"format\":\"untoc-art32-draft\",\"pad\":\"{}\"}}",
        "x".repeat(50 * 1024 * 1024)
    );
    assert_eq!(
        Draft::open(q(), &huge),
        Err(DraftError::TooLarge(huge.len()))
    );
    assert!(huge.len() > MAX_DRAFT_FILE);
}

#[test]
fn a_stale_write_never_replaces_a_newer_revision() {
    assert_eq!(decide_write(None, 0), Write::As(1), "a new draft");
    assert_eq!(decide_write(Some(4), 4), Write::As(5), "nobody else wrote");
    assert_eq!(
        decide_write(Some(5), 4),
        Write::Conflict { stored: 5 },
        "another tab wrote 5"
    );
    assert_eq!(
        decide_write(Some(3), 4),
        Write::Conflict { stored: 3 },
        "storage went back: restored elsewhere"
    );
    assert_eq!(
        decide_write(None, 9),
        Write::As(10),
        "deleted elsewhere: writing brings it back, nothing is lost"
    );
}

#[test]
fn file_names_are_safe() {
    let mut d = sample();
    d.name = "Réponse / 2026: \"final\"".into();
    assert_eq!(
        file_name(&d, "2026-11-27"),
        "Réponse-2026-final-art32-draft-2026-11-27.json"
    );
    d.name = "\u{202e}fdp.exe सम्पर्क".into();
    assert_eq!(
        file_name(&d, "2026-11-27"),
        "fdp-exe-सम्पर्क-art32-draft-2026-11-27.json"
    );
    d.name = "../..".into();
    assert_eq!(
        file_name(&d, "2026-11-27"),
        "draft-art32-draft-2026-11-27.json"
    );
}
