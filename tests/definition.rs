//! The shipped questionnaire definition, its wording in every language, and its coverage of the
//! seed resolution's annex.

use std::collections::{BTreeMap, BTreeSet};

use untoc_art32::core::answers::Answer;
use untoc_art32::core::i18n::{questionnaire_keys, Catalog, LANGUAGES};
use untoc_art32::core::model::{Kind, Prefill, Questionnaire};

/// Every question id of the Article 32 outline: they are the stable keys of answers.
const OUTLINE_IDS: &str = "S1 S2 S3 S4 S5 A1 A2 A3 A4 A5 A6 A7 B1 B1a B1b B2 B2a B3 B4 B4a \
    C1 C2 C2a C3 C4 C5 C6 C7 D1 D2 D2a D3 E1 E1a E2 E2a E3 E4 E5 E6 E7 E8 E8a E8b E8c E9 E10 E11 E12 \
    F1 F1a F2 F2a F2b F2c F3 F4 F5 F5a F6 F7 F8 F9 F9a F10 F10a F11 F12 G1 G2 G3 H1 H2 H3 H4 H5 H6";

#[test]
fn builtin_definition_parses_and_passes_its_checks() {
    let q = Questionnaire::builtin();
    assert_eq!(q.id, "untoc-art32");
    assert!(q.version >= 1);
    let sections: Vec<&str> = q.sections.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(sections, ["S", "A", "B", "C", "D", "E", "F", "G", "H"]);
}

#[test]
fn every_outline_question_exists_in_order() {
    let q = Questionnaire::builtin();
    let ids: Vec<&str> = q.questions().map(|it| it.question.id.as_str()).collect();
    let outline: Vec<&str> = OUTLINE_IDS.split_whitespace().collect();
    assert_eq!(outline.len(), 77);
    for id in &outline {
        assert!(ids.contains(id), "question {id} is missing");
    }
    // Outline questions keep their relative order.
    let positions: Vec<usize> = outline
        .iter()
        .map(|id| ids.iter().position(|x| x == id).unwrap())
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "outline order changed"
    );
}

#[test]
fn structural_checks_reject_bad_definitions() {
    let base = r#"{"id":"x","version":1,"option_sets":{"YN":[{"id":"yes"},{"id":"no"}]},"sections":[{"id":"S","questions":[QS]}]}"#;
    let bad = [
        // Duplicate id.
        r#"{"id":"Q1","kind":{"type":"text"}},{"id":"Q1","kind":{"type":"text"}}"#,
        // Rule referring to a later question.
        r#"{"id":"Q1","kind":{"type":"text"},"show_if":{"answered":"Q2"}},{"id":"Q2","kind":{"type":"text"}}"#,
        // Unknown option set.
        r#"{"id":"Q1","kind":{"type":"single","set":"NOPE"}}"#,
        // Choice without options.
        r#"{"id":"Q1","kind":{"type":"multi"}}"#,
        // Unknown block.
        r#"{"id":"Q1","kind":{"type":"group","block":"NOPE"}}"#,
        // Nested group.
        r#"{"id":"Q1","kind":{"type":"group","fields":[{"id":"g","kind":{"type":"group"}}]}}"#,
        // require_one naming a value the field does not offer.
        r#"{"id":"Q1","kind":{"type":"group","fields":[{"id":"r","kind":{"type":"single","set":"YN"}}],"require_one":{"field":"r","value":"maybe"}}}"#,
        // Unknown member (typo in the data).
        r#"{"id":"Q1","kind":{"type":"text"},"requird":true}"#,
        // A kind with a member its type does not take, an unknown member or type, a negative row count.
        r#"{"id":"Q1","kind":{"type":"text","set":"YN"}}"#,
        r#"{"id":"Q1","kind":{"type":"number","block":"LEG"}}"#,
        r#"{"id":"Q1","kind":{"type":"single","set":"YN","colour":"red"}}"#,
        r#"{"id":"Q1","kind":{"type":"essay"}}"#,
        r#"{"id":"Q1","kind":{"set":"YN"}}"#,
        r#"{"id":"Q1","kind":{"type":"group","fields":[{"id":"n","kind":{"type":"text"}}],"min":-1}}"#,
        // "Today" as the default of something that is not a date; an unknown default.
        r#"{"id":"Q1","kind":{"type":"text"},"default":"today"}"#,
        r#"{"id":"Q1","kind":{"type":"date"},"default":"tomorrow"}"#,
    ];
    for qs in bad {
        assert!(
            Questionnaire::from_json(&base.replace("QS", qs)).is_err(),
            "accepted: {qs}"
        );
    }
    let good = r#"{"id":"Q1","kind":{"type":"single","set":"YN"}},{"id":"Q2","kind":{"type":"text"},"show_if":{"eq":["Q1","yes"]}},{"id":"Q3","kind":{"type":"date"},"default":"today"}"#;
    Questionnaire::from_json(&base.replace("QS", good)).expect("a valid definition");
    let err = Questionnaire::from_json(
        &base.replace("QS", r#"{"id":"Q1","kind":{"type":"text","set":"YN"}}"#),
    )
    .unwrap_err();
    assert!(err.contains("a text answer does not take `set`"), "{err}");
    let kinds = r#"{"id":"N","kind":{"type":"number","min":0,"max":9}},{"id":"G","kind":{"type":"group","block":null,"fields":[{"id":"n","kind":{"type":"text"}}],"min":1,"max":3}}"#;
    let q = Questionnaire::from_json(&base.replace("QS", kinds)).expect("a valid definition");
    assert_eq!(
        q.question("N").unwrap().question.kind,
        Kind::Number {
            min: Some(0),
            max: Some(9)
        }
    );
    assert!(matches!(
        q.question("G").unwrap().question.kind,
        Kind::Group {
            min: 1,
            max: Some(3),
            block: None,
            ..
        }
    ));
}

#[test]
fn answer_kinds_cover_the_outline() {
    let q = Questionnaire::builtin();
    let kind = |id: &str| &q.question(id).unwrap().question.kind;
    assert!(matches!(kind("S1"), Kind::Single { .. }));
    assert!(matches!(kind("S4"), Kind::Period));
    assert!(matches!(
        kind("A3"),
        Kind::Group {
            max: Some(2),
            require_one: Some(_),
            ..
        }
    ));
    assert!(matches!(kind("B1a"), Kind::Urls));
    assert!(matches!(kind("H3"), Kind::Email));
    assert!(matches!(kind("H4"), Kind::Date));
    assert!(matches!(kind("H6"), Kind::Confirm));
    let e9 = q.fields(kind("E9"));
    assert!(
        e9.iter().any(|f| matches!(f.kind, Kind::Number { .. })),
        "statistics are numbers"
    );
    let a3 = q.fields(kind("A3"));
    assert!(a3.iter().any(|f| f.kind == Kind::Email) && a3.iter().any(|f| f.kind == Kind::Phone));
    // Reusable blocks.
    for (question, block) in [
        ("E1a", "LEG"),
        ("E10", "CASE"),
        ("E12", "TAN"),
        ("F12", "TAN"),
        ("G1", "TAN"),
    ] {
        assert!(
            matches!(kind(question), Kind::Group { block: Some(b), .. } if b == block),
            "{question} uses {block}"
        );
    }
    // "Other, please specify" exists where the outline has "other".
    let crime = &q.option_sets["CRIME"];
    assert!(crime.iter().any(|o| o.id == "other" && o.other));
}

#[test]
fn every_language_has_every_text_and_no_stray_ones() {
    let q = Questionnaire::builtin();
    let needed: BTreeSet<String> = questionnaire_keys(&q).into_iter().collect();
    let english = Catalog::builtin("en").unwrap();
    let ui_keys: BTreeSet<String> = english
        .messages
        .keys()
        .filter(|k| k.starts_with("ui.") || k.starts_with("err."))
        .cloned()
        .collect();
    assert!(ui_keys.len() > 30);
    for lang in LANGUAGES {
        let tag = lang.tag;
        let cat = Catalog::builtin(tag).unwrap_or_else(|| panic!("{tag}: no catalog in locales/"));
        // The menu shows the language before loading it: its entry agrees with the catalog.
        assert_eq!(
            (cat.lang.as_str(), cat.name.as_str(), cat.dir),
            (tag, lang.name, lang.dir)
        );
        for key in needed.iter().chain(&ui_keys) {
            let text = cat.messages.get(key).map(String::as_str).unwrap_or("");
            assert!(!text.trim().is_empty(), "{tag}: missing text for {key}");
        }
        for key in cat.messages.keys() {
            assert!(
                needed.contains(key) || ui_keys.contains(key),
                "{tag}: unused key {key}"
            );
        }
        // Placeholders match English, so no sentence loses a number.
        for key in &ui_keys {
            assert_eq!(
                placeholders(english.get(key)),
                placeholders(cat.get(key)),
                "{tag}: placeholders of {key}"
            );
        }
    }
}

/// Every question and section is really translated: not a copy of the English, and written in
/// the language's script.
#[test]
fn every_language_is_really_translated() {
    let en = Catalog::builtin("en").unwrap();
    let q = Questionnaire::builtin();
    let script = |tag: &str, c: char| match tag {
        "zh" => ('\u{4e00}'..='\u{9fff}').contains(&c),
        "ar" => ('\u{0600}'..='\u{06ff}').contains(&c),
        "ru" => ('\u{0400}'..='\u{04ff}').contains(&c),
        _ => "àâçéèêëîïôœùûüÿáíñóúü¿¡".contains(c.to_lowercase().next().unwrap_or(c)),
    };
    for lang in LANGUAGES.iter().filter(|l| l.tag != "en") {
        let cat = Catalog::builtin(lang.tag).unwrap();
        let mut keys: Vec<String> = q
            .questions()
            .map(|it| format!("q.{}.label", it.question.id))
            .collect();
        keys.extend(q.sections.iter().map(|s| format!("sec.{}.intro", s.id)));
        let mut with_script = 0;
        for key in &keys {
            assert_ne!(
                cat.get(key),
                en.get(key),
                "{}: {key} is not translated",
                lang.tag
            );
            with_script += usize::from(cat.get(key).chars().any(|c| script(lang.tag, c)));
        }
        // French and Spanish share the Latin script with English: most texts carry an accent.
        let needed = if matches!(lang.tag, "fr" | "es") {
            keys.len() / 2
        } else {
            keys.len()
        };
        assert!(
            with_script >= needed,
            "{}: only {with_script} of {} texts in its script",
            lang.tag,
            keys.len()
        );
    }
}

#[test]
fn languages_resolve_from_browser_tags() {
    use untoc_art32::core::i18n::language;
    assert_eq!(language("fr-CA").map(|l| l.tag), Some("fr"));
    assert_eq!(language("zh-Hans-CN").map(|l| l.tag), Some("zh"));
    assert_eq!(language("AR_eg").map(|l| l.tag), Some("ar"));
    assert_eq!(language("de"), None);
    assert_eq!(language(""), None);
}

fn placeholders(text: &str) -> BTreeSet<&str> {
    text.split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(name, _)| name))
        .collect()
}

/// The coverage table in `docs/coverage.md` maps every annex paragraph 2-20 to existing questions,
/// and agrees with the `paragraphs` each question declares in the definition.
#[test]
fn coverage_table_maps_every_paragraph_to_existing_questions() {
    let q = Questionnaire::builtin();
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/coverage.md")).unwrap();
    let mut table: BTreeMap<u8, BTreeSet<String>> = BTreeMap::new();
    for line in doc.lines().filter(|l| l.starts_with('|')) {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let Ok(para) = cells[0].parse::<u8>() else {
            continue;
        };
        let ids = cells
            .last()
            .unwrap()
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|s| !s.is_empty());
        table
            .entry(para)
            .or_default()
            .extend(ids.map(|s| s.trim_matches('`').to_owned()));
    }
    for para in 2..=20u8 {
        let ids = table
            .get(&para)
            .unwrap_or_else(|| panic!("paragraph {para} is not in the table"));
        assert!(!ids.is_empty(), "paragraph {para} maps to no question");
        for id in ids {
            let it = q
                .question(id)
                .unwrap_or_else(|| panic!("paragraph {para} maps to unknown question {id}"));
            assert!(
                it.question.paragraphs.contains(&para),
                "{id} does not declare paragraph {para}"
            );
        }
    }
    for it in q.questions() {
        for para in &it.question.paragraphs {
            let listed = table
                .get(para)
                .is_some_and(|ids| ids.contains(&it.question.id));
            assert!(
                listed,
                "{} declares paragraph {para} but the table does not list it",
                it.question.id
            );
        }
    }
}

/// Every interface key the code asks for exists in every language (a typo would show the key).
#[test]
fn every_key_used_by_the_interface_exists() {
    let mut used = BTreeSet::new();
    let mut stack = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src"
    ))];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for part in text.split('"').skip(1).step_by(2) {
                let is_key = (part.starts_with("ui.") || part.starts_with("err."))
                    && part.len() > 4
                    && !part.ends_with(".json")
                    && part.chars().all(|c| {
                        c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.'
                    });
                if is_key {
                    used.insert(part.to_owned());
                }
            }
        }
    }
    assert!(used.len() > 40, "found {} keys", used.len());
    for lang in LANGUAGES {
        let (tag, cat) = (lang.tag, Catalog::builtin(lang.tag).unwrap());
        for key in &used {
            assert!(
                cat.messages.contains_key(key),
                "{tag}: {key} is used but missing"
            );
        }
    }
}

#[test]
fn the_certification_date_defaults_to_today_until_answered() {
    let q = Questionnaire::builtin();
    let with_default: Vec<&str> = q
        .questions()
        .filter(|r| r.question.default.is_some())
        .map(|r| r.question.id.as_str())
        .collect();
    assert_eq!(with_default, ["H4"]);
    let h4 = q
        .questions()
        .find(|r| r.question.id == "H4")
        .unwrap()
        .question;
    assert_eq!(h4.default, Some(Prefill::Today));
    let today = Some(Answer::Text("2026-11-27".to_owned()));
    assert_eq!(h4.prefill(None, "2026-11-27"), today);
    assert_eq!(
        h4.prefill(Some(&Answer::Text("  ".to_owned())), "2026-11-27"),
        today
    );
    // An answer, even one that does not check, is the user's: never replaced.
    assert_eq!(
        h4.prefill(Some(&Answer::Text("2025-01-31".to_owned())), "2026-11-27"),
        None
    );
    assert_eq!(
        h4.prefill(Some(&Answer::Text("31/01/2025".to_owned())), "2026-11-27"),
        None
    );
    // A clock that gives no real date fills nothing.
    assert_eq!(h4.prefill(None, "2026-02-30"), None);
    // Questions without a default are never filled.
    let h3 = q
        .questions()
        .find(|r| r.question.id == "H3")
        .unwrap()
        .question;
    assert_eq!(h3.prefill(None, "2026-11-27"), None);
}
