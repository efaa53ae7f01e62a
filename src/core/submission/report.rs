//! What the secretariat's tool prints of a verified submission: its answered items as text, and counts per section.

use crate::core::model::{Kind, Questionnaire};

use super::*;

/// One answered item of a submission as text: a question, or a field of one row of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The section the question belongs to; empty for a question this questionnaire does not have.
    pub section: String,
    /// `E8a`, or `E9[2].year` for a row field (rows counted from 1).
    pub question: String,
    /// The answer as text: option ids, `no data` for a number without data, `from/to` for a period.
    pub value: String,
}

/// Every answered item in questionnaire order (questions this questionnaire does not have come
/// last), group rows flattened field by field.
pub fn items(q: &Questionnaire, v: &Verified) -> Vec<Item> {
    let mut out = Vec::new();
    let known: Vec<(&str, &str, &Kind)> = q
        .questions()
        .map(|it| (it.section.id, it.question.id, &it.question.kind))
        .collect();
    let unknown = v
        .answers
        .keys()
        .filter(|id| !known.iter().any(|(_, k, _)| k == id));
    let order = known
        .iter()
        .map(|(s, id, kind)| (*s, *id, Some(*kind)))
        .chain(unknown.map(|id| ("", id.as_str(), None)));
    for (section, id, kind) in order {
        let Some(answer) = v.answers.get(id) else {
            continue;
        };
        let push = |out: &mut Vec<Item>, question: String, value: String| {
            out.push(Item {
                section: section.to_owned(),
                question,
                value,
            })
        };
        match answer {
            Submitted::Rows(rows) => {
                let fields = kind.map(|k| q.fields(k)).unwrap_or_default();
                for (n, row) in rows.iter().enumerate() {
                    // Fields in the definition's order, then any it does not know.
                    let mut ids: Vec<&String> = fields
                        .iter()
                        .filter_map(|f| row.get_key_value(f.id).map(|(k, _)| k))
                        .collect();
                    ids.extend(row.keys().filter(|k| !fields.iter().any(|f| &f.id == k)));
                    for fid in ids {
                        let fkind = fields.iter().find(|f| f.id == fid).map(|f| &f.kind);
                        let text = as_text(q, fkind, &row[fid]);
                        push(&mut out, format!("{id}[{}].{fid}", n + 1), text);
                    }
                }
            }
            other => push(&mut out, id.to_owned(), as_text(q, kind, other)),
        }
    }
    out
}

/// An answer as one line (or paragraph) of text.
fn as_text(q: &Questionnaire, kind: Option<&Kind>, a: &Submitted) -> String {
    // The "other" text replaces the id of the option it specifies, when the definition says which.
    let choice = |selected: &[String], other: &Option<String>| {
        let other_id = kind.and_then(|k| {
            q.options(k)
                .into_iter()
                .find(|o| o.other && selected.iter().any(|s| s == o.id))
        });
        let mut parts: Vec<String> = selected
            .iter()
            .map(|s| match (other, other_id) {
                (Some(text), Some(o)) if o.id == s => format!("{s}: {text}"),
                _ => s.clone(),
            })
            .collect();
        if let (Some(text), None) = (other, other_id) {
            parts.push(format!("other: {text}"));
        }
        parts.join("; ")
    };
    match a {
        Submitted::Text(s) => s.clone(),
        Submitted::Lines(lines) => lines.join("\n"),
        Submitted::Single { selected, other } => choice(std::slice::from_ref(selected), other),
        Submitted::Multi { selected, other } => choice(selected, other),
        Submitted::Number(Some(n)) => n.to_string(),
        Submitted::Number(None) => "no data".to_owned(),
        Submitted::Period { from, to } => format!("{from}/{to}"),
        Submitted::Confirmed => "true".to_owned(),
        Submitted::Rows(rows) => format!("{} rows", rows.len()),
    }
}

/// The number of answered questions per section of this questionnaire, in section order, and the
/// number of answers to questions it does not have.
pub fn answered_per_section(q: &Questionnaire, v: &Verified) -> (Vec<(String, usize)>, usize) {
    let per_section = q
        .sections
        .iter()
        .map(|s| {
            (
                s.id.to_owned(),
                s.questions
                    .iter()
                    .filter(|x| v.answers.contains_key(x.id))
                    .count(),
            )
        })
        .collect();
    let unknown = v
        .answers
        .keys()
        .filter(|id| q.question(id).is_none())
        .count();
    (per_section, unknown)
}
