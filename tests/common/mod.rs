//! Test helpers for signed submissions: complete, valid replies built from the definition itself
//! (so they follow changes to the questionnaire), fixed throwaway keys, signed samples.
#![allow(dead_code)]

pub mod fuzz;

use untoc_art32::core::answers::{Answer, Answers, Row};
use untoc_art32::core::model::{Kind, Questionnaire};
use untoc_art32::core::submission::{build, sign, Timestamp, Unsigned};
use untoc_art32::core::validate::{validate, visible};

/// A throwaway secret key for tests: never use it for anything real.
pub const TEST_SECRET: [u8; 32] = [7; 32];
/// Another throwaway key, to sign "someone else's" files.
pub const OTHER_SECRET: [u8; 32] = [9; 32];

pub fn ts(s: &str) -> Timestamp {
    Timestamp::parse(s).unwrap_or_else(|| panic!("bad test timestamp {s}"))
}

pub fn text(s: &str) -> Answer {
    Answer::Text(s.to_owned())
}

pub fn choice(v: &[&str]) -> Answer {
    Answer::Choice {
        selected: v.iter().map(|s| s.to_string()).collect(),
        other: String::new(),
    }
}

/// A valid value for a kind (not a group). `rich` also picks "other" options (with a text) where
/// there are some, and "no data" for statistics, to exercise every export shape.
pub fn value_for(q: &Questionnaire, kind: &Kind, rich: bool, seed: usize) -> Answer {
    match kind {
        Kind::Single { .. } | Kind::Multi { .. } => {
            let options = q.options(kind);
            let plain: Vec<_> = options
                .iter()
                .filter(|o| !o.other && !o.exclusive)
                .collect();
            let other = options.iter().find(|o| o.other);
            match (kind, other) {
                (Kind::Multi { .. }, Some(o)) if rich => Answer::Choice {
                    selected: vec![plain[seed % plain.len()].id.to_owned(), o.id.to_owned()],
                    other: "Customs, \"port\" authority".to_owned(),
                },
                // The first option of a single choice ("yes" mostly), so follow-ups are shown.
                (Kind::Single { .. }, _) => choice(&[plain[0].id]),
                _ => choice(&[plain[seed % plain.len()].id]),
            }
        }
        Kind::Text => text(&format!("Sample text {seed}")),
        Kind::Long => text(&format!(
            "First paragraph {seed}.\n\nSecond paragraph, with a comma."
        )),
        Kind::Urls => {
            text("https://laws.example.org/act-1\n\n  https://laws.example.org/act-2  \n")
        }
        Kind::Url => text("https://laws.example.org/act"),
        Kind::Date => text("2025-03-14"),
        Kind::Period => Answer::Period {
            from: "2024-01-01".into(),
            to: "2025-12-31".into(),
        },
        Kind::Email => text("focal.point@mfa.example.org"),
        Kind::Phone => text("+33 1 23 45 67 89"),
        Kind::Number { min, max } => {
            let v: i64 = if min.is_some_and(|m| m >= 1900) {
                2024
            } else {
                12 + seed as i64
            };
            let v = v.clamp(min.unwrap_or(i64::MIN), max.unwrap_or(i64::MAX));
            if rich && seed % 2 == 1 && min.is_none_or(|m| m < 1900) {
                Answer::Number {
                    value: String::new(),
                    no_data: true,
                }
            } else {
                Answer::Number {
                    value: v.to_string(),
                    no_data: false,
                }
            }
        }
        Kind::Confirm => Answer::Confirm(true),
        Kind::Group { .. } => panic!("groups are filled row by row"),
    }
}

/// Answers every visible question the reply needs: required ones always, optional ones too when
/// `rich`. The State is France. Panics if the result does not validate, so a change to the
/// definition that this filler cannot follow shows up here.
pub fn full_reply(q: &Questionnaire, rich: bool) -> Answers {
    let mut a = Answers::default();
    for (n, it) in q.questions().enumerate() {
        let question = it.question;
        // Rules only look backwards: what is answered so far decides.
        if !visible(q, &a).contains(&question.id) || !(question.required || rich) {
            continue;
        }
        let answer = match &question.kind {
            Kind::Group {
                min, require_one, ..
            } => {
                let count = (*min).max(1) as usize + usize::from(rich);
                let fields = q.fields(&question.kind);
                let rows = (0..count)
                    .map(|r| {
                        let mut row = Row {
                            key: r as u32 * 10,
                            fields: Default::default(),
                        };
                        for f in fields.iter().filter(|f| f.required || rich) {
                            row.set(f.id, value_for(q, &f.kind, rich, n + r));
                        }
                        if let Some(rule) = require_one {
                            if r == 0 {
                                row.set(rule.field, choice(&[rule.value]));
                            } else if let Some(f) = fields.iter().find(|f| f.id == rule.field) {
                                // The other rows take another value where the group limits the count.
                                let alt =
                                    q.options(&f.kind).into_iter().find(|o| o.id != rule.value);
                                if let Some(o) = alt {
                                    row.set(rule.field, choice(&[o.id]));
                                }
                            }
                        }
                        row
                    })
                    .collect();
                Answer::Rows(rows)
            }
            kind => value_for(q, kind, rich, n),
        };
        a.set(question.id, answer);
    }
    a.set("S1", choice(&["FRA"]));
    let issues = validate(q, &a, &visible(q, &a));
    assert!(
        issues.is_empty(),
        "the test reply does not validate: {issues:?}"
    );
    a
}

pub fn unsigned(q: &Questionnaire, a: &Answers) -> Unsigned {
    build(q, a, "en", &ts("2026-11-27T10:15:00Z"), "0.1.0").expect("a complete reply builds")
}

/// A complete reply to the shipped questionnaire, signed with [`TEST_SECRET`].
pub fn signed_full(rich: bool) -> String {
    let q = Questionnaire::builtin();
    sign(
        &unsigned(q, &full_reply(q, rich)),
        &TEST_SECRET,
        &ts("2026-11-27T10:20:00Z"),
    )
}

/// A small questionnaire (same id as the shipped one) with one question of each kind but
/// groups, and one group: small signed files for exhaustive and random mutation.
pub const SMALL: &str = r#"{"id":"untoc-art32","version":2,
  "option_sets":{"STATE":[{"id":"FRA"},{"id":"DEU"}]},
  "sections":[
    {"id":"S","questions":[{"id":"S1","kind":{"type":"single","set":"STATE"},"required":true}]},
    {"id":"E","questions":[
      {"id":"E1","kind":{"type":"multi","options":[{"id":"a"},{"id":"other","other":true}]}},
      {"id":"E9","kind":{"type":"group","fields":[
        {"id":"year","kind":{"type":"number","min":1990,"max":2100},"required":true},
        {"id":"cases","kind":{"type":"number","min":0}}]}}
    ]}
  ]}"#;

pub fn small_questionnaire() -> Questionnaire {
    Questionnaire::from_json(SMALL).unwrap()
}

pub fn small_answers() -> Answers {
    let mut a = Answers::default();
    a.set("S1", choice(&["FRA"]));
    a.set(
        "E1",
        Answer::Choice {
            selected: vec!["other".into(), "a".into()],
            other: "Port".into(),
        },
    );
    let mut row = Row {
        key: 4,
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
            value: String::new(),
            no_data: true,
        },
    );
    a.set("E9", Answer::Rows(vec![row]));
    a
}

/// A signed file of about 600 bytes.
pub fn signed_small() -> String {
    let q = small_questionnaire();
    sign(
        &unsigned(&q, &small_answers()),
        &TEST_SECRET,
        &ts("2026-11-27T10:20:00Z"),
    )
}

/// The reply of the example in `docs/submission-format.md`: complete, with most follow-ups
/// closed so it stays short, and one answer of most shapes.
pub fn example_reply() -> Answers {
    let mut a = Answers::default();
    let number = |v: &str| Answer::Number {
        value: v.into(),
        no_data: false,
    };
    a.set("S1", choice(&["FRA"]));
    a.set("S2", choice(&["party"]));
    a.set("S3", choice(&["untoc", "tip"]));
    a.set(
        "S4",
        Answer::Period {
            from: "2024-01-01".into(),
            to: "2025-12-31".into(),
        },
    );
    a.set("S5", choice(&["fr"]));
    a.set("A2", choice(&["no"]));
    a.set(
        "A6",
        text("Ministry of Justice, with the Ministry of the Interior."),
    );
    a.set("B1", choice(&["partly"]));
    a.set(
        "B1a",
        text("https://laws.example.org/penal-code\n\nhttps://laws.example.org/mla-act\n"),
    );
    a.set(
        "B1b",
        Answer::Choice {
            selected: vec!["other".into(), "resources".into()],
            other: "Awaiting a new law".into(),
        },
    );
    a.set("B2", choice(&["no"]));
    a.set("B3", choice(&["given_now"]));
    a.set("C1", choice(&["yes"]));
    a.set("C2", choice(&["no"]));
    a.set("C3", choice(&["no_data"]));
    a.set("E1", choice(&["no"]));
    a.set("E8", choice(&["no"]));
    let mut row = Row {
        key: 0,
        fields: Default::default(),
    };
    row.set("year", number("2024"));
    row.set("investigations", number("12"));
    row.set(
        "prosecutions",
        Answer::Number {
            value: String::new(),
            no_data: true,
        },
    );
    a.set("E9", Answer::Rows(vec![row]));
    a.set("F1", choice(&["no"]));
    a.set("F5", choice(&["no"]));
    a.set("F6", choice(&["none"]));
    a.set("F7", choice(&["no"]));
    a.set("F9", choice(&["none"]));
    a.set("F10", choice(&["no"]));
    a.set("G2", choice(&["no"]));
    a.set("H1", text("A. Official"));
    a.set("H2", text("Head of Unit, Ministry of Justice"));
    a.set("H3", text("a.official@justice.example.org"));
    a.set("H4", text("2026-11-20"));
    a.set("H5", choice(&["publish"]));
    a.set("H6", Answer::Confirm(true));
    a
}

/// The example file of the format document, as written (one line).
pub fn signed_example() -> String {
    let q = Questionnaire::builtin();
    let u = build(
        q,
        &example_reply(),
        "fr",
        &ts("2026-11-27T10:15:00Z"),
        "0.1.0",
    )
    .expect("the example is complete");
    sign(&u, &TEST_SECRET, &ts("2026-11-27T10:16:30Z"))
}
