// Generated from questionnaire/versions.json by tests/versions.rs: do not edit.
use super::versions::{Change, History, Step};

pub static HISTORY: History = History {
    questionnaire: "untoc-art32",
    steps: &[
        Step {
            from: 1,
            changes: &[
                Change::Options { question: "A4", renamed: &[("no", &["secretariat_only"])], removed: &[] },
                Change::Options { question: "F2b", renamed: &[("art5_8_23", &["art5", "art8", "art23"])], removed: &[] },
            ],
        },
        Step {
            from: 2,
            changes: &[
                Change::Split { question: "D2a", into: &["D2b", "D2c"], answer_to: &["D2b", "D2c"] },
                Change::Options { question: "F10", renamed: &[("considering", &["under_consideration"])], removed: &[] },
            ],
        },
    ],
};
