//! Show-if rules, validation and progress, on small definitions written for each test and on the
//! shipped questionnaire.

use untoc_art32::core::answers::{next_row_key, Answer, Answers, Row};
use untoc_art32::core::i18n::{describe, Catalog};
use untoc_art32::core::model::Questionnaire;
use untoc_art32::core::validate::{
    is_date, is_email, is_http_url, is_phone, of_question, open_questions, progress, validate,
    visible, Issue, Problem,
};

fn def(questions: &str) -> Questionnaire {
    let text = format!(
        r#"{{"id":"t","version":2,"option_sets":{{"YNP":[{{"id":"yes"}},{{"id":"partial"}},{{"id":"no"}}]}},
        "sections":[{{"id":"S","questions":[{questions}]}}]}}"#
    );
    Questionnaire::from_json(&text).unwrap()
}

fn choice(v: &[&str]) -> Answer {
    Answer::Choice {
        selected: v.iter().map(|s| s.to_string()).collect(),
        other: String::new(),
    }
}

fn text(s: &str) -> Answer {
    Answer::Text(s.to_owned())
}

fn answers(items: &[(&str, Answer)]) -> Answers {
    let mut a = Answers::default();
    for (id, x) in items {
        a.set(id, x.clone());
    }
    a
}

fn problems(q: &Questionnaire, a: &Answers) -> Vec<(String, Problem)> {
    validate(q, a, &visible(q, a))
        .into_iter()
        .map(|i| (i.question, i.problem))
        .collect()
}

const CHAIN: &str = r#"
    {"id":"Q1","kind":{"type":"single","set":"YNP"},"required":true},
    {"id":"Q1a","kind":{"type":"text"},"required":true,"show_if":{"ne":["Q1","no"]}},
    {"id":"Q1b","kind":{"type":"multi","options":[{"id":"pre"},{"id":"trial"},{"id":"none","exclusive":true}]},"required":true,"show_if":{"ne":["Q1","no"]}},
    {"id":"Q1c","kind":{"type":"long"},"show_if":{"ne":["Q1b","pre"]}},
    {"id":"Q2","kind":{"type":"text"},"show_if":{"any":[{"eq":["Q1","yes"]},{"answered":"Q1a"}]}}
"#;

#[test]
fn follow_ups_wait_for_their_root_question() {
    let q = def(CHAIN);
    let shown = visible(&q, &Answers::default());
    assert_eq!(shown.iter().copied().collect::<Vec<_>>(), ["Q1"]);
}

#[test]
fn follow_ups_appear_when_the_condition_holds() {
    let q = def(CHAIN);
    let a = answers(&[("Q1", choice(&["partial"]))]);
    let shown = visible(&q, &a);
    assert!(shown.contains("Q1a") && shown.contains("Q1b"));
    assert!(
        !shown.contains("Q1c"),
        "Q1b unanswered: its follow-up waits"
    );
    assert!(!shown.contains("Q2"));
    let a = answers(&[
        ("Q1", choice(&["partial"])),
        ("Q1a", text("Act 12")),
        ("Q1b", choice(&["trial"])),
    ]);
    let shown = visible(&q, &a);
    assert!(shown.contains("Q1c") && shown.contains("Q2"));
}

#[test]
fn a_chain_collapses_when_its_root_changes_but_answers_are_kept() {
    let q = def(CHAIN);
    let a = answers(&[
        ("Q1", choice(&["no"])),
        ("Q1a", text("kept")),
        ("Q1b", choice(&["trial"])),
        ("Q1c", text("x")),
    ]);
    let shown = visible(&q, &a);
    assert_eq!(
        shown.len(),
        1,
        "Q1=no hides the whole chain, including Q1c which hangs off hidden Q1b"
    );
    assert_eq!(a.get("Q1a"), Some(&text("kept")));
    // Hidden answers are not counted, neither as done nor as problems.
    assert!(problems(&q, &a).is_empty());
}

#[test]
fn required_if_shown() {
    let q = def(CHAIN);
    let a = answers(&[("Q1", choice(&["yes"]))]);
    let p = problems(&q, &a);
    assert_eq!(
        p,
        [
            ("Q1a".into(), Problem::Required),
            ("Q1b".into(), Problem::Required)
        ]
    );
    let a = answers(&[("Q1", choice(&["no"]))]);
    assert!(problems(&q, &a).is_empty());
}

#[test]
fn blank_text_is_not_an_answer() {
    let q = def(CHAIN);
    let a = answers(&[
        ("Q1", choice(&["yes"])),
        ("Q1a", text("   ")),
        ("Q1b", choice(&["pre"])),
    ]);
    assert_eq!(problems(&q, &a), [("Q1a".into(), Problem::Required)]);
}

#[test]
fn exclusive_options_stand_alone() {
    let q = def(CHAIN);
    let a = answers(&[
        ("Q1", choice(&["yes"])),
        ("Q1a", text("x")),
        ("Q1b", choice(&["pre", "none"])),
    ]);
    assert_eq!(
        problems(&q, &a),
        [("Q1b".into(), Problem::Exclusive("none".into()))]
    );
}

#[test]
fn other_needs_a_specification_and_unknown_options_are_flagged() {
    let q = def(
        r#"{"id":"Q","kind":{"type":"multi","options":[{"id":"a"},{"id":"other","other":true}]}}"#,
    );
    let a = answers(&[("Q", choice(&["other"]))]);
    assert_eq!(problems(&q, &a), [("Q".into(), Problem::OtherMissing)]);
    let a = answers(&[(
        "Q",
        Answer::Choice {
            selected: vec!["other".into()],
            other: "Customs".into(),
        },
    )]);
    assert!(problems(&q, &a).is_empty());
    let a = answers(&[("Q", choice(&["zzz"]))]);
    assert_eq!(
        problems(&q, &a),
        [("Q".into(), Problem::UnknownOption("zzz".into()))]
    );
}

#[test]
fn period_end_not_before_start() {
    let q = def(r#"{"id":"P","kind":{"type":"period"},"required":true}"#);
    let period = |f: &str, t: &str| {
        answers(&[(
            "P",
            Answer::Period {
                from: f.into(),
                to: t.into(),
            },
        )])
    };
    assert!(problems(&q, &period("2024-01-01", "2024-12-31")).is_empty());
    assert!(problems(&q, &period("2024-01-01", "2024-01-01")).is_empty());
    assert_eq!(
        problems(&q, &period("2024-12-31", "2024-01-01")),
        [("P".into(), Problem::PeriodOrder)]
    );
    assert_eq!(
        problems(&q, &period("2024-01-01", "")),
        [("P".into(), Problem::PeriodIncomplete)]
    );
    assert_eq!(
        problems(&q, &period("2024-02-30", "2024-03-01")),
        [("P".into(), Problem::Date)]
    );
    assert_eq!(
        problems(&q, &Answers::default()),
        [("P".into(), Problem::Required)]
    );
}

#[test]
fn numbers_distinguish_zero_from_no_data() {
    let q = def(r#"{"id":"N","kind":{"type":"number","min":0},"required":true}"#);
    let num = |v: &str, no_data| {
        answers(&[(
            "N",
            Answer::Number {
                value: v.into(),
                no_data,
            },
        )])
    };
    assert!(
        problems(&q, &num("0", false)).is_empty(),
        "zero is an answer"
    );
    assert!(
        problems(&q, &num("", true)).is_empty(),
        "no data is an answer"
    );
    assert_eq!(
        problems(&q, &num("", false)),
        [("N".into(), Problem::Required)]
    );
    assert_eq!(
        problems(&q, &num("1.5", false)),
        [("N".into(), Problem::Number)]
    );
    assert_eq!(
        problems(&q, &num("-3", false)),
        [("N".into(), Problem::NumberMin(0))]
    );
}

const GROUP: &str = r#"
    {"id":"G","kind":{"type":"group","min":1,"max":2,"require_one":{"field":"role","value":"primary"},"fields":[
        {"id":"role","kind":{"type":"single","options":[{"id":"primary"},{"id":"alternate"}]},"required":true},
        {"id":"name","kind":{"type":"text"},"required":true},
        {"id":"email","kind":{"type":"email"},"required":true},
        {"id":"site","kind":{"type":"url"}}
    ]},"required":true}
"#;

fn row(key: u32, fields: &[(&str, Answer)]) -> Row {
    let mut r = Row {
        key,
        fields: Default::default(),
    };
    for (f, a) in fields {
        r.set(f, a.clone());
    }
    r
}

#[test]
fn repeatable_rows_are_checked_field_by_field_with_their_position() {
    let q = def(GROUP);
    let good = row(
        7,
        &[
            ("role", choice(&["primary"])),
            ("name", text("A. Official")),
            ("email", text("a@mfa.example.org")),
        ],
    );
    let bad = row(
        3,
        &[
            ("role", choice(&["alternate"])),
            ("email", text("not-an-email")),
            ("site", text("javascript:alert(1)")),
        ],
    );
    let a = answers(&[("G", Answer::Rows(vec![good.clone(), bad]))]);
    let issues = validate(&q, &a, &visible(&q, &a));
    let at: Vec<(Option<(usize, String)>, Problem)> =
        issues.into_iter().map(|i| (i.at, i.problem)).collect();
    assert_eq!(
        at,
        [
            (Some((1, "name".into())), Problem::Required),
            (Some((1, "email".into())), Problem::Email),
            (Some((1, "site".into())), Problem::Url { line: None }),
        ]
    );
    let a = answers(&[("G", Answer::Rows(vec![good.clone(), good.clone(), good]))]);
    assert_eq!(problems(&q, &a), [("G".into(), Problem::TooManyRows(2))]);
}

#[test]
fn a_question_s_problems_are_found_together() {
    // Problems in questions before a group, in three of its rows (a name and an address each),
    // in the group itself (too many rows, no primary) and in a question after it: each question's are consecutive, and `of_question` finds exactly those.
    let q = def(&format!(
        "{CHAIN},{GROUP},{{\"id\":\"E\",\"kind\":{{\"type\":\"email\"}}}}"
    ));
    let bad = |key| {
        row(
            key,
            &[("role", choice(&["alternate"])), ("email", text("x"))],
        )
    };
    let a = answers(&[
        ("Q1", choice(&["yes"])),
        ("G", Answer::Rows(vec![bad(1), bad(2), bad(3)])),
        ("E", text("not-an-email")),
    ]);
    let all = validate(&q, &a, &visible(&q, &a));
    let ids: Vec<&str> = all.iter().map(|i| i.question.as_str()).collect();
    assert_eq!(ids.iter().filter(|&&id| id == "G").count(), 8, "{ids:?}");
    for id in ["Q1", "Q1a", "Q1b", "G", "E", "Q2"] {
        let expected: Vec<Issue> = all.iter().filter(|i| i.question == id).cloned().collect();
        assert_eq!(of_question(&all, id), expected.as_slice(), "{id}");
    }
    assert!(of_question(&all, "Q1").is_empty());
    assert!(of_question(&[], "G").is_empty());
}

#[test]
fn at_least_one_primary_focal_point() {
    let q = def(GROUP);
    let alt = row(
        0,
        &[
            ("role", choice(&["alternate"])),
            ("name", text("B")),
            ("email", text("b@x.org")),
        ],
    );
    let a = answers(&[("G", Answer::Rows(vec![alt]))]);
    assert_eq!(
        problems(&q, &a),
        [(
            "G".into(),
            Problem::RequireOne {
                field: "role".into(),
                value: "primary".into()
            }
        )]
    );
    assert_eq!(
        problems(&q, &Answers::default()),
        [("G".into(), Problem::Required)]
    );
}

#[test]
fn row_keys_stay_unique_after_removal() {
    let rows = vec![row(0, &[]), row(1, &[]), row(2, &[])];
    let mut rows = rows;
    rows.remove(1);
    assert_eq!(next_row_key(&rows), 3);
    assert_eq!(next_row_key(&[]), 0);
}

#[test]
fn url_lists_report_the_bad_line() {
    let q = def(r#"{"id":"U","kind":{"type":"urls"}}"#);
    let a = answers(&[(
        "U",
        text("https://laws.example.gov/\n\nftp://old.example.gov\n"),
    )]);
    assert_eq!(
        problems(&q, &a),
        [("U".into(), Problem::Url { line: Some(3) })]
    );
}

#[test]
fn syntax_checks() {
    // Every script's words, with their combining marks (the virama of `सम्पर्क`).
    for ok in [
        "focal.point@mfa.gov.example",
        "a+b@x.co",
        "名字@例子.中国",
        "सम्पर्क@उदाहरण.भारत",
    ] {
        assert!(is_email(ok), "{ok}");
    }
    for bad in [
        "",
        "a@",
        "@b.org",
        "a b@c.org",
        "a@b",
        "a@@b.org",
        "a@b..org",
        ".a@b.org",
        "a@-b.org",
        // Invisible characters that reorder or hide part of an address.
        "a\u{202e}b@c.org",
        "a@b\u{200b}c.org",
        "a@b\u{3000}c.org",
    ] {
        assert!(!is_email(bad), "{bad}");
    }
    for ok in [
        "https://sherloc.unodc.org/cld/en/legislation.html",
        "http://laws.gov.example:8080/x?y=1#z",
        "https://सम्पर्क.भारत/कानून",
    ] {
        assert!(is_http_url(ok), "{ok}");
    }
    for bad in [
        "javascript:alert(1)",
        "ftp://x.org",
        "https://",
        "https:// x.org",
        "www.x.org",
        "data:text/html,x",
        "https://a..b/",
        "https://exa\u{202e}mple.org/",
        // ASCII controls, spaces and characters a host name cannot hold.
        "https://x.org/a\tb",
        "https://x.org/\u{7f}",
        "https://x.org/a b",
        "https://x_y.org/",
        "https://x.org./",
        "https://.x.org/",
        "https://user@/",
    ] {
        assert!(!is_http_url(bad), "{bad}");
    }
    for ok in [
        "https://user:pw@x-y.example.org:443/p?q=1&r=~2#f",
        "https://x.org/ü",
        "http://127.0.0.1/",
    ] {
        assert!(is_http_url(ok), "{ok}");
    }
    for ok in ["+43 1 26060 0", "(01) 234-5678", "+1 212 963 1234 ext. 12"] {
        assert!(is_phone(ok), "{ok}");
    }
    for bad in ["12", "call me", "+43 1 2606 ext", "1234567890123456789012"] {
        assert!(!is_phone(bad), "{bad}");
    }
    for ok in ["2024-02-29", "2000-02-29", "2023-12-31"] {
        assert!(is_date(ok), "{ok}");
    }
    for bad in [
        "2023-02-29",
        "1900-02-29",
        "2024-13-01",
        "2024-1-01",
        "24-01-01",
        "2024-01-00",
        "abcd-ef-gh",
    ] {
        assert!(!is_date(bad), "{bad}");
    }
}

#[test]
fn progress_counts_required_visible_questions_and_open_list_follows_order() {
    let q = def(CHAIN);
    let a = answers(&[("Q1", choice(&["yes"])), ("Q1a", text("x"))]);
    let shown = visible(&q, &a);
    let issues = validate(&q, &a, &shown);
    let p = progress(&q, &shown, &issues);
    assert_eq!(p.len(), 1);
    assert_eq!((p[0].1.required, p[0].1.done), (3, 2));
    assert_eq!(open_questions(&issues), ["Q1b"]);
}

#[test]
fn optional_question_with_a_bad_answer_is_still_to_correct() {
    let q = def(r#"{"id":"E","kind":{"type":"email"}}"#);
    let a = answers(&[("E", text("nope"))]);
    let shown = visible(&q, &a);
    let issues = validate(&q, &a, &shown);
    assert_eq!(open_questions(&issues), ["E"]);
    let p = progress(&q, &shown, &issues);
    assert_eq!((p[0].1.required, p[0].1.with_problems), (0, 1));
}

#[test]
fn problems_read_as_sentences_in_each_language() {
    let q = Questionnaire::builtin();
    let issue = |problem| Issue {
        question: "A3".into(),
        at: None,
        problem,
    };
    let en = Catalog::builtin("en").unwrap();
    let zh = Catalog::builtin("zh").unwrap();
    let primary = issue(Problem::RequireOne {
        field: "role".into(),
        value: "primary".into(),
    });
    let en_text = describe(&en, q, &primary);
    assert!(
        !en_text.contains('{') && !en_text.contains("err."),
        "{en_text}"
    );
    assert!(describe(&zh, q, &primary)
        .chars()
        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));
    assert!(describe(&en, q, &issue(Problem::Url { line: Some(4) })).contains('4'));
}

#[test]
fn shipped_questionnaire_reveals_follow_ups() {
    let q = Questionnaire::builtin();
    let empty = visible(q, &Answers::default());
    assert!(!empty.contains("E1a") && !empty.contains("A3") && !empty.contains("F10a"));
    let a = answers(&[("E1", choice(&["yes"])), ("A2", choice(&["yes"]))]);
    let shown = visible(q, &a);
    for id in ["E1a", "E2", "E3", "E4", "E5", "E6", "A3", "A4"] {
        assert!(shown.contains(id), "{id} should follow");
    }
    let a = answers(&[("E1", choice(&["no"]))]);
    assert!(!visible(q, &a).contains("E1a"));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]

    /// `is_http_url` checks an ASCII address byte by byte and any other character by character:
    /// the two agree. A path of "/é" after an ASCII address makes it non-ASCII without touching
    /// its host, so both ways judge the same address.
    #[test]
    fn an_ascii_address_is_judged_as_the_same_address_with_a_non_ascii_path(
        scheme in proptest::sample::select(vec!["http://", "https://"]),
        rest in "[ -~\t\n\u{7f}]{0,24}",
    ) {
        let ascii = format!("{scheme}{rest}");
        proptest::prop_assert_eq!(is_http_url(&ascii), is_http_url(&format!("{ascii}/é")), "{:?}", ascii);
    }
}
