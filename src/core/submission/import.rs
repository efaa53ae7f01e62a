//! Reading a verified submission back as answers of this questionnaire ("continue as a new draft").

use std::fmt;

use crate::core::answers::{Answer, Answers, Row};
use crate::core::model::{Kind, Questionnaire};

use super::*;

/// Why a verified submission cannot be read back as answers of this questionnaire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// A submission for another questionnaire; holds its id.
    OtherQuestionnaire(String),
    /// Written for a newer version of the questionnaire than this app knows.
    NewerVersion(u32),
    /// An answer to a question this questionnaire does not have.
    UnknownQuestion(String),
    /// A row field the group does not have.
    UnknownField { question: String, field: String },
    /// An answer whose shape does not fit its question's kind.
    WrongShape {
        question: String,
        field: Option<String>,
    },
    /// An option the question does not offer.
    UnknownOption {
        question: String,
        field: Option<String>,
        option: String,
    },
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = |q: &str, field: &Option<String>| match field {
            Some(fd) => format!("{q}.{fd}"),
            None => q.to_owned(),
        };
        match self {
            ImportError::OtherQuestionnaire(id) => {
                write!(f, "the submission answers another questionnaire ({id})")
            }
            ImportError::NewerVersion(v) => write!(
                f,
                "the submission answers version {v} of the questionnaire, newer than this app"
            ),
            ImportError::UnknownQuestion(q) => write!(
                f,
                "the submission answers {q}, which this questionnaire does not have"
            ),
            ImportError::UnknownField { question, field } => {
                write!(f, "{question} has no field {field}")
            }
            ImportError::WrongShape { question, field } => write!(
                f,
                "the answer to {} does not fit the question",
                at(question, field)
            ),
            ImportError::UnknownOption {
                question,
                field,
                option,
            } => {
                write!(f, "{} has no option {option}", at(question, field))
            }
        }
    }
}

impl std::error::Error for ImportError {}

/// Reads a verified submission's answers back into draft answers: the inverse of the export
/// shapes (rows get keys 0, 1, 2 …; URL lists become one address per line; `null` becomes
/// "no data").
///
/// Option ids are checked only for a submission of this very questionnaire version: the answers of
/// an older version are returned as they are, to be put in a draft of that version so the draft
/// migrations bring them up to date.
pub fn to_answers(q: &Questionnaire, v: &Verified) -> Result<Answers, ImportError> {
    if v.questionnaire_id != q.id {
        return Err(ImportError::OtherQuestionnaire(v.questionnaire_id.clone()));
    }
    if v.questionnaire_version > q.version {
        return Err(ImportError::NewerVersion(v.questionnaire_version));
    }
    let check_options = v.questionnaire_version == q.version;
    let mut out = Answers::default();
    for (id, submitted) in &v.answers {
        // A question of an older version that a later one renamed, split or merged is read with
        // the kind of what it became; the draft's migration then moves it (`core::versions`).
        let question = q
            .question(id)
            .or_else(|| {
                crate::core::versions::successors(id, v.questionnaire_version, q.version)
                    .iter()
                    .find_map(|next| q.question(next))
            })
            .ok_or_else(|| ImportError::UnknownQuestion(id.clone()))?
            .question;
        let answer = match (&question.kind, submitted) {
            (kind @ Kind::Group { .. }, Submitted::Rows(rows)) => {
                let fields = q.fields(kind);
                let mut out_rows = Vec::with_capacity(rows.len());
                for (key, row) in rows.iter().enumerate() {
                    let mut r = Row {
                        key: u32::try_from(key).unwrap_or(u32::MAX),
                        fields: Default::default(),
                    };
                    for (fid, value) in row {
                        let field = fields.iter().find(|f| f.id == fid).ok_or_else(|| {
                            ImportError::UnknownField {
                                question: id.clone(),
                                field: fid.clone(),
                            }
                        })?;
                        r.fields.insert(
                            fid.clone(),
                            import(q, &field.kind, value, id, Some(fid), check_options)?,
                        );
                    }
                    out_rows.push(r);
                }
                Answer::Rows(out_rows)
            }
            (kind, value) => import(q, kind, value, id, None, check_options)?,
        };
        out.0.insert(id.clone(), answer);
    }
    Ok(out)
}

fn import(
    q: &Questionnaire,
    kind: &Kind,
    value: &Submitted,
    question: &str,
    field: Option<&String>,
    check_options: bool,
) -> Result<Answer, ImportError> {
    let wrong = || ImportError::WrongShape {
        question: question.to_owned(),
        field: field.cloned(),
    };
    let choice = |selected: Vec<String>, other: &Option<String>| -> Result<Answer, ImportError> {
        if check_options {
            let options = q.options(kind);
            for s in &selected {
                if !options.iter().any(|o| o.id == s) {
                    return Err(ImportError::UnknownOption {
                        question: question.to_owned(),
                        field: field.cloned(),
                        option: s.clone(),
                    });
                }
            }
            let has_other = options
                .iter()
                .any(|o| o.other && selected.iter().any(|s| s == o.id));
            if other.is_some() && !has_other {
                return Err(wrong());
            }
        }
        Ok(Answer::Choice {
            selected,
            other: other.clone().unwrap_or_default(),
        })
    };
    match (kind, value) {
        (
            Kind::Text | Kind::Long | Kind::Email | Kind::Phone | Kind::Date | Kind::Url,
            Submitted::Text(s),
        ) => Ok(Answer::Text(s.clone())),
        (Kind::Urls, Submitted::Lines(lines)) => Ok(Answer::Text(lines.join("\n"))),
        (Kind::Single { .. }, Submitted::Single { selected, other }) => {
            choice(vec![selected.clone()], other)
        }
        (Kind::Multi { .. }, Submitted::Multi { selected, other }) => {
            choice(selected.clone(), other)
        }
        (Kind::Number { .. }, Submitted::Number(Some(n))) => Ok(Answer::Number {
            value: n.to_string(),
            no_data: false,
        }),
        (Kind::Number { .. }, Submitted::Number(None)) => Ok(Answer::Number {
            value: String::new(),
            no_data: true,
        }),
        (Kind::Period, Submitted::Period { from, to }) => Ok(Answer::Period {
            from: from.clone(),
            to: to.clone(),
        }),
        (Kind::Confirm, Submitted::Confirmed) => Ok(Answer::Confirm(true)),
        _ => Err(wrong()),
    }
}
