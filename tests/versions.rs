//! The questionnaire's versions as data (`questionnaire/versions.json`, `core::versions`): the
//! compiled history matches the JSON and agrees with the definition and with
//! `questionnaire/CHANGES.md`; each kind of change carries answers as declared; no answer is
//! dropped, and what is not carried is listed (a property over generated histories); drafts,
//! submissions and hand-off requests of older versions reach the current one.

mod common;

use std::collections::BTreeMap;

use common::{ts, TEST_SECRET};
use proptest::prelude::*;
use serde::Deserialize;
use serde_json::{json, Value};
use untoc_art32::core::answers::{Answer, Answers};
use untoc_art32::core::draft::{Draft, Opened};
use untoc_art32::core::handoff::Request;
use untoc_art32::core::model::Questionnaire;
use untoc_art32::core::submission::{self, sign_document, verify};
use untoc_art32::core::versions::{
    history, migrate_by, successors, successors_by, Change, SetApart, Step, Why,
};

fn q() -> &'static Questionnaire {
    Questionnaire::builtin()
}

fn text(s: &str) -> Answer {
    Answer::Text(s.to_owned())
}

fn choice(v: &[&str]) -> Answer {
    Answer::Choice {
        selected: v.iter().map(|s| (*s).to_owned()).collect(),
        other: String::new(),
    }
}

fn answers(pairs: &[(&str, Answer)]) -> Answers {
    let mut a = Answers::default();
    for (id, answer) in pairs {
        a.0.insert((*id).to_owned(), answer.clone());
    }
    a
}

fn names(change: &Change) -> Vec<&'static str> {
    match *change {
        Change::Renamed { question, to } => vec![question, to],
        Change::Split { question, into, .. } => std::iter::once(question)
            .chain(into.iter().copied())
            .collect(),
        Change::Merged { questions, into } => questions
            .iter()
            .copied()
            .chain(std::iter::once(into))
            .collect(),
        Change::Removed { question } | Change::Options { question, .. } => vec![question],
    }
}

fn leak<T>(v: Vec<T>) -> &'static [T] {
    Vec::leak(v)
}

fn leak_str(s: String) -> &'static str {
    String::leak(s)
}

// ------------------------------------------------------------------------------------------
// questionnaire/versions.json, compiled
// ------------------------------------------------------------------------------------------

/// `questionnaire/versions.json` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HistoryJson {
    questionnaire: String,
    steps: Vec<StepJson>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StepJson {
    from: u32,
    changes: Vec<ChangeJson>,
}

#[derive(Deserialize)]
#[serde(tag = "change", rename_all = "snake_case", deny_unknown_fields)]
enum ChangeJson {
    Renamed {
        question: String,
        to: String,
    },
    Split {
        question: String,
        into: Vec<String>,
        answer_to: Vec<String>,
    },
    Merged {
        questions: Vec<String>,
        into: String,
    },
    Removed {
        question: String,
    },
    Options {
        question: String,
        #[serde(default)]
        renamed: BTreeMap<String, Vec<String>>,
        #[serde(default)]
        removed: Vec<String>,
    },
}

fn strs(v: &[String]) -> String {
    format!(
        "&[{}]",
        v.iter()
            .map(|s| format!("{s:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// The Rust source of `src/core/versions_data.rs` for a history.
fn compiled(h: &HistoryJson) -> String {
    let mut out = String::from(
        "// Generated from questionnaire/versions.json by tests/versions.rs: do not edit.\n\
         use super::versions::{Change, History, Step};\n\n\
         pub static HISTORY: History = History {\n",
    );
    out += &format!("    questionnaire: {:?},\n    steps: &[\n", h.questionnaire);
    for step in &h.steps {
        out += &format!(
            "        Step {{\n            from: {},\n            changes: &[\n",
            step.from
        );
        for c in &step.changes {
            let line = match c {
                ChangeJson::Renamed { question, to } => {
                    format!("Change::Renamed {{ question: {question:?}, to: {to:?} }}")
                }
                ChangeJson::Split {
                    question,
                    into,
                    answer_to,
                } => format!(
                    "Change::Split {{ question: {question:?}, into: {}, answer_to: {} }}",
                    strs(into),
                    strs(answer_to)
                ),
                ChangeJson::Merged { questions, into } => {
                    format!(
                        "Change::Merged {{ questions: {}, into: {into:?} }}",
                        strs(questions)
                    )
                }
                ChangeJson::Removed { question } => {
                    format!("Change::Removed {{ question: {question:?} }}")
                }
                ChangeJson::Options {
                    question,
                    renamed,
                    removed,
                } => format!(
                    "Change::Options {{ question: {question:?}, renamed: &[{}], removed: {} }}",
                    renamed
                        .iter()
                        .map(|(k, v)| format!("({k:?}, {})", strs(v)))
                        .collect::<Vec<_>>()
                        .join(", "),
                    strs(removed)
                ),
            };
            out += &format!("                {line},\n");
        }
        out += "            ],\n        },\n";
    }
    out += "    ],\n};\n";
    out
}

/// `src/core/versions_data.rs` is `questionnaire/versions.json` compiled. When the JSON changes,
/// this test rewrites the file and fails, so that the new file is built and committed.
#[test]
fn compiled_history_matches_the_json() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let json = std::fs::read_to_string(root.join("questionnaire/versions.json")).unwrap();
    let h: HistoryJson =
        serde_json::from_str(&json).expect("questionnaire/versions.json is well-formed");
    let source = compiled(&h);
    let path = root.join("src/core/versions_data.rs");
    if std::fs::read_to_string(&path).ok().as_deref() != Some(source.as_str()) {
        std::fs::write(&path, &source).unwrap();
        panic!("src/core/versions_data.rs did not match questionnaire/versions.json; it is now rewritten: build again and commit it");
    }
}

// ------------------------------------------------------------------------------------------
// The declarations
// ------------------------------------------------------------------------------------------

#[test]
fn every_version_step_is_declared_and_lands_on_the_definition() {
    let h = history();
    assert_eq!(h.questionnaire, q().id);
    let froms: Vec<u32> = h.steps.iter().map(|s| s.from).collect();
    assert_eq!(
        froms,
        (1..q().version).collect::<Vec<_>>(),
        "one step per version, in order"
    );
    for step in h.steps {
        let after = step.from + 1;
        for change in step.changes {
            // Whatever a question became exists in the current definition.
            let targets: Vec<&str> = match *change {
                Change::Renamed { to, .. } => vec![to],
                Change::Split {
                    into, answer_to, ..
                } => {
                    assert!(
                        !answer_to.is_empty() && answer_to.iter().all(|a| into.contains(a)),
                        "{change:?}"
                    );
                    into.to_vec()
                }
                Change::Merged { into, .. } => vec![into],
                Change::Removed { .. } | Change::Options { .. } => vec![],
            };
            for t in targets {
                for now in successors(t, after, q().version) {
                    assert!(
                        q().question(&now).is_some(),
                        "{t} (version {after}) is {now}, which the definition lacks"
                    );
                }
            }
            // A question that left is not in the definition any more (ids never change meaning).
            if let Change::Renamed { question, .. }
            | Change::Split { question, .. }
            | Change::Removed { question } = *change
            {
                assert!(
                    q().question(question).is_none(),
                    "{question} left in version {after} but is still defined"
                );
            }
            // Renamed options exist, unless a later step changes that question's options again.
            if let Change::Options {
                question, renamed, ..
            } = *change
            {
                let later = h.steps.iter().filter(|s| s.from > step.from).any(|s| {
                    s.changes.iter().any(
                        |c| matches!(*c, Change::Options { question: q2, .. } if q2 == question),
                    )
                });
                let now = successors(question, after, q().version);
                if later || now.len() != 1 {
                    continue;
                }
                let it = q()
                    .question(&now[0])
                    .expect("an options change names a current question");
                let options: Vec<&str> = q()
                    .options(&it.question.kind)
                    .iter()
                    .map(|o| o.id)
                    .collect();
                for (old, new) in renamed {
                    assert!(
                        !options.contains(old),
                        "{question}: option {old} is still defined"
                    );
                    for n in *new {
                        assert!(options.contains(n), "{question}: option {n} is not defined");
                    }
                }
            }
        }
    }
}

#[test]
fn changes_md_says_in_words_what_each_step_declares() {
    let md = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/questionnaire/CHANGES.md"
    ))
    .unwrap();
    for step in history().steps {
        let heading = format!("## Version {}\n", step.from + 1);
        let at = md
            .find(&heading)
            .unwrap_or_else(|| panic!("CHANGES.md has no {heading:?}"));
        let section = &md[at + heading.len()..];
        let section = &section[..section.find("\n## ").unwrap_or(section.len())];
        for change in step.changes {
            for id in names(change) {
                assert!(
                    section.contains(id),
                    "CHANGES.md, version {}: {id} is not mentioned",
                    step.from + 1
                );
            }
            if let Change::Options {
                renamed, removed, ..
            } = *change
            {
                let options = renamed
                    .iter()
                    .flat_map(|(old, new)| std::iter::once(old).chain(new.iter()))
                    .chain(removed);
                for option in options {
                    assert!(
                        section.contains(&format!("`{option}`")),
                        "CHANGES.md, version {}: option `{option}`",
                        step.from + 1
                    );
                }
            }
        }
    }
}

// ------------------------------------------------------------------------------------------
// Each kind of change, on fixtures
// ------------------------------------------------------------------------------------------

#[test]
fn every_kind_of_change_carries_what_it_declares_and_sets_apart_the_rest() {
    let steps = [Step {
        from: 1,
        changes: &[
            Change::Renamed {
                question: "X1",
                to: "Y1",
            },
            Change::Split {
                question: "X2",
                into: &["Y2a", "Y2b"],
                answer_to: &["Y2a"],
            },
            Change::Split {
                question: "X3",
                into: &["Y3a", "Y3b"],
                answer_to: &[],
            },
            Change::Merged {
                questions: &["X4", "X5", "X8"],
                into: "Y4",
            },
            Change::Removed { question: "X6" },
            Change::Options {
                question: "X7",
                renamed: &[("a", &["b"]), ("c", &["d", "e"])],
                removed: &["f"],
            },
            Change::Options {
                question: "X9",
                renamed: &[],
                removed: &["g"],
            },
        ],
    }];
    let mut a = answers(&[
        ("X1", text("one")),
        ("X2", text("two")),
        ("X3", text("three")),
        ("X4", text("four")),
        ("X5", choice(&["yes"])),
        ("X8", text("eight")),
        (
            "X6",
            Answer::Number {
                value: "6".to_owned(),
                no_data: false,
            },
        ),
        (
            "X7",
            Answer::Choice {
                selected: vec!["a".into(), "c".into(), "f".into(), "d".into()],
                other: "more".into(),
            },
        ),
        ("X9", choice(&["g"])),
        ("Z", text("untouched")),
    ]);
    let apart = migrate_by(&steps, &mut a, 1, 2);
    // What cannot be carried stays where it was (a removed option stays selected).
    let expected = answers(&[
        ("Y1", text("one")),
        ("Y2a", text("two")),
        ("X3", text("three")),
        ("Y4", text("four\n\neight")),
        ("X5", choice(&["yes"])),
        (
            "X6",
            Answer::Number {
                value: "6".to_owned(),
                no_data: false,
            },
        ),
        (
            "X7",
            Answer::Choice {
                selected: vec!["b".into(), "d".into(), "e".into(), "f".into()],
                other: "more".into(),
            },
        ),
        ("X9", choice(&["g"])),
        ("Z", text("untouched")),
    ]);
    assert_eq!(a, expected);
    let why: BTreeMap<&str, Why> = apart.iter().map(|s| (s.question.as_str(), s.why)).collect();
    assert_eq!(
        why,
        BTreeMap::from([
            ("X3", Why::Split),
            ("X5", Why::NotMerged),
            ("X6", Why::QuestionRemoved),
            ("X7", Why::OptionsRemoved),
            ("X9", Why::OptionsRemoved),
        ])
    );
    let x7 = apart.iter().find(|s| s.question == "X7").unwrap();
    assert_eq!(
        x7.answer,
        Answer::Choice {
            selected: vec!["f".into()],
            other: "more".into()
        }
    );
    assert!(apart.iter().all(|s| s.version == 1));
    // Where each question went, as `successors` tells it.
    assert_eq!(successors_by(&steps, "X2", 1, 2), ["Y2a", "Y2b"]);
    assert_eq!(successors_by(&steps, "X5", 1, 2), ["Y4"]);
    assert!(successors_by(&steps, "X6", 1, 2).is_empty());
    assert_eq!(successors_by(&steps, "Z", 1, 2), ["Z"]);
}

#[test]
fn steps_apply_in_order_and_only_from_the_answers_version() {
    let steps = [
        Step {
            from: 1,
            changes: &[Change::Renamed {
                question: "X",
                to: "Y",
            }],
        },
        Step {
            from: 2,
            changes: &[Change::Split {
                question: "Y",
                into: &["Z1", "Z2"],
                answer_to: &["Z1", "Z2"],
            }],
        },
    ];
    let mut a = answers(&[("X", text("t"))]);
    assert!(migrate_by(&steps, &mut a, 1, 3).is_empty());
    assert_eq!(a, answers(&[("Z1", text("t")), ("Z2", text("t"))]));
    // Answers of version 2 skip the first step: an X there is another question.
    let mut b = answers(&[("X", text("t")), ("Y", text("u"))]);
    migrate_by(&steps, &mut b, 2, 3);
    assert_eq!(
        b,
        answers(&[("X", text("t")), ("Z1", text("u")), ("Z2", text("u"))])
    );
    // Nothing to do within a version.
    let mut c = answers(&[("X", text("t"))]);
    migrate_by(&steps, &mut c, 3, 3);
    assert_eq!(c, answers(&[("X", text("t"))]));
}

// ------------------------------------------------------------------------------------------
// Nothing is dropped without being listed, over generated histories
// ------------------------------------------------------------------------------------------

const OLD: [&str; 6] = ["Q1", "Q2", "Q3", "Q4", "Q5", "Q6"];

fn answer_strategy() -> impl Strategy<Value = Answer> {
    prop_oneof![
        "[a-z ]{0,8}".prop_map(Answer::Text),
        proptest::sample::subsequence(vec!["a", "b", "c", "d"], 0..4).prop_map(|v| choice(&v)),
        any::<bool>().prop_map(Answer::Confirm),
    ]
}

/// A change to old question `q`, whose new ids are made fresh from `n` (declarations always
/// name new ids: ids never change meaning).
fn change_strategy(q: &'static str, n: usize) -> impl Strategy<Value = Change> {
    let fresh = move |k: usize| leak_str(format!("N{n}_{k}"));
    prop_oneof![
        Just(Change::Renamed {
            question: q,
            to: fresh(0)
        }),
        (1usize..3, any::<bool>()).prop_map(move |(extra, copy)| {
            let into = leak((0..=extra).map(fresh).collect());
            let answer_to = if copy { leak(vec![into[0]]) } else { &[] };
            Change::Split {
                question: q,
                into,
                answer_to,
            }
        }),
        Just(Change::Removed { question: q }),
        (
            proptest::sample::subsequence(vec!["a", "b"], 0..2),
            proptest::sample::subsequence(vec!["c", "d"], 0..2)
        )
            .prop_map(move |(renamed, removed)| Change::Options {
                question: q,
                renamed: leak(
                    renamed
                        .into_iter()
                        .map(|o| (o, leak(vec![leak_str(format!("{o}2"))])))
                        .collect()
                ),
                removed: leak(removed),
            }),
    ]
}

fn history_strategy() -> impl Strategy<Value = (Vec<Change>, Option<Vec<&'static str>>)> {
    let per_question: Vec<_> = OLD
        .iter()
        .enumerate()
        .map(|(n, q)| proptest::option::of(change_strategy(q, n)))
        .collect();
    let merge = proptest::option::of(proptest::sample::subsequence(OLD.to_vec(), 2..4));
    (per_question, merge)
        .prop_map(|(changes, merge)| (changes.into_iter().flatten().collect(), merge))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn no_answer_is_dropped_without_being_set_apart(
        given in proptest::collection::btree_map(proptest::sample::select(OLD.to_vec()), answer_strategy(), 0..6),
        (mut changes, merge) in history_strategy(),
    ) {
        // A question merged is changed by nothing else.
        if let Some(qs) = merge {
            changes.retain(|c| !names(c).iter().any(|n| qs.contains(n)));
            changes.push(Change::Merged { questions: leak(qs), into: "M" });
        }
        let steps = [Step { from: 1, changes: leak(changes) }];
        let before = answers(&given.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>());
        let mut after = before.clone();
        let apart: Vec<SetApart> = migrate_by(&steps, &mut after, 1, 2);
        for (id, answer) in before.0.iter() {
            // Listed, and left where it was.
            let listed = apart.iter().any(|s| &s.question == id) && after.0.get(id).is_some();
            let carried = successors_by(&steps, id, 1, 2).iter().any(|n| after.0.get(n).is_some_and(|a| {
                // The answer as it was, or its text inside a merged one, or its options renamed.
                a == answer || matches!((a, answer), (Answer::Text(t), Answer::Text(s)) if t.contains(s.as_str()))
                    || matches!((a, answer), (Answer::Choice { .. }, Answer::Choice { .. }))
            }));
            let blank = !answer.is_answered();
            prop_assert!(listed || carried || blank, "{id} = {answer:?} is gone: {after:?}, set apart {apart:?}");
            // A choice keeps every option it had: renamed, kept, or set apart.
            if let Answer::Choice { selected, .. } = answer {
                for option in selected {
                    let kept = successors_by(&steps, id, 1, 2).iter().filter_map(|n| after.0.get(n)).any(|a| {
                        matches!(a, Answer::Choice { selected: s, .. } if s.contains(option) || s.contains(&format!("{option}2")))
                    });
                    let set_apart = apart.iter().any(|s| &s.question == id && (s.answer == *answer
                        || matches!(&s.answer, Answer::Choice { selected: s, .. } if s.contains(option))))
                        && matches!(after.0.get(id), Some(Answer::Choice { selected: s, .. }) if s.contains(option));
                    prop_assert!(kept || set_apart, "{id}: option {option} is gone");
                }
            }
        }
    }
}

// ------------------------------------------------------------------------------------------
// The real history: version 2 (and 1) files reach version 3
// ------------------------------------------------------------------------------------------

fn draft_text(version: u32, answers: Value) -> String {
    json!({ "format": "untoc-art32-draft", "questionnaire": "untoc-art32", "version": version,
            "id": "d", "name": "Reply", "lang": "en", "answers": answers })
    .to_string()
}

#[test]
fn a_version_2_draft_opens_with_d2a_split_and_f10_renamed() {
    let text = draft_text(
        2,
        json!({
            "D2": { "choice": { "selected": ["resources"] } },
            "D2a": { "text": "Too few prosecutors; a training plan was adopted in 2025." },
            "F10": { "choice": { "selected": ["considering"] } }
        }),
    );
    let Ok(Opened::Current(d)) = Draft::open(q(), &text) else {
        panic!("opens")
    };
    assert_eq!(d.version, 3);
    let t = text_of(&d.answers, "D2b");
    assert_eq!(
        t,
        "Too few prosecutors; a training plan was adopted in 2025."
    );
    assert_eq!(text_of(&d.answers, "D2c"), t);
    assert!(d.answers.get("D2a").is_none());
    assert_eq!(
        d.answers.get("F10"),
        Some(&choice(&["under_consideration"]))
    );
    // Written again, it reads the same.
    let Ok(Opened::Current(again)) = Draft::open(q(), &d.to_json()) else {
        panic!("reopens")
    };
    assert_eq!(again, d);
}

fn text_of(a: &Answers, id: &str) -> String {
    match a.get(id) {
        Some(Answer::Text(t)) => t.clone(),
        other => panic!("{id}: {other:?}"),
    }
}

#[test]
fn a_version_1_draft_crosses_both_steps() {
    let text = draft_text(
        1,
        json!({
            "A4": { "choice": { "selected": ["no"] } },
            "F2b": { "choice": { "selected": ["serious_crime", "art5_8_23"] } },
            "D2a": { "text": "Coordination." },
            "F10": { "choice": { "selected": ["considering"] } }
        }),
    );
    let Ok(Opened::Current(d)) = Draft::open(q(), &text) else {
        panic!("opens")
    };
    assert_eq!(d.answers.get("A4"), Some(&choice(&["secretariat_only"])));
    assert_eq!(
        d.answers.get("F2b"),
        Some(&choice(&["serious_crime", "art5", "art8", "art23"]))
    );
    assert_eq!(text_of(&d.answers, "D2c"), "Coordination.");
    assert_eq!(
        d.answers.get("F10"),
        Some(&choice(&["under_consideration"]))
    );
}

#[test]
fn a_version_2_submission_continues_as_a_version_3_draft() {
    // A reply signed under version 2, as that app wrote it.
    let d2 = text("Too few prosecutors; a training plan was adopted in 2025.");
    let mut doc = common::unsigned(q(), &common::full_reply(q(), false)).into_json();
    doc.insert(
        "answers".to_owned(),
        json!({ "S1": doc["answers"]["S1"].clone(), "D2a": "Too few prosecutors; a training plan was adopted in 2025.", "F10": { "selected": "considering" } }),
    );
    doc.insert(
        "questionnaire".to_owned(),
        json!({ "id": "untoc-art32", "version": 2 }),
    );
    let file = sign_document(&doc, &TEST_SECRET, &ts("2026-01-15T10:00:00Z"));
    let v = verify(file.as_bytes()).expect("a version 2 submission verifies");
    assert_eq!(v.questionnaire_version, 2);
    // Read back with the kinds of what its questions became, then migrated as a draft.
    let answers = submission::to_answers(q(), &v).expect("imports");
    assert!(matches!(answers.get("D2a"), Some(Answer::Text(_))));
    let mut d = Draft::new(q(), "d", "Reply", "en");
    d.version = 2;
    d.answers = answers;
    let Ok(Opened::Current(d)) = Draft::open(q(), &d.to_json()) else {
        panic!("opens")
    };
    assert_eq!(Some(&d2), d.answers.get("D2b"));
    assert_eq!(Some(&d2), d.answers.get("D2c"));
    assert_eq!(
        d.answers.get("F10"),
        Some(&choice(&["under_consideration"]))
    );
}

#[test]
fn a_version_2_request_hands_out_what_its_questions_became() {
    let doc = json!({
        "format": "untoc-art32-handoff-request", "format_version": 1,
        "questionnaire": { "id": "untoc-art32", "version": 2 },
        "reply": "r-1", "handoff": "h-1", "state": "FRA",
        "to": { "label": "Ministry of Justice" },
        "questions": ["D2a", "D3"],
        "base": { "D2a": { "text": "Delays." } },
        "context": { "D2": { "choice": { "selected": ["resources"] } } },
        "issued_at": "2026-01-10T09:00:00Z"
    });
    let file = sign_document(
        doc.as_object().unwrap(),
        &TEST_SECRET,
        &ts("2026-01-10T09:00:05Z"),
    );
    let (r, _) = Request::read(q(), file.as_bytes()).expect("a version 2 request reads");
    assert_eq!(r.questionnaire_version, 3);
    assert_eq!(r.questions, ["D2b", "D2c", "D3"]);
    assert_eq!(r.base.get("D2b"), Some(&text("Delays.")));
    assert_eq!(r.base.get("D2c"), Some(&text("Delays.")));
}
