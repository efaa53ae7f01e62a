//! What a verified submission says beyond its answers: who supplied parts of it
//! (`contributors`) and the key rotations that lead to the key that signed it (`rotations`).
//! Read apart from [`verify`], which checks only their shape, so that the signer's worker and the
//! pages that show a submission go without this code.

use std::collections::BTreeMap;

use serde_json::Value;

use super::verify::{invalid, strict};
use super::*;
use crate::core::cycle::Previous;
use crate::core::handoff::Contributor;
use crate::core::trust::Rotation;

/// The optional members of a submission, read and checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extras {
    /// Who supplied which answers; empty if the focal point answered everything.
    pub contributors: Vec<Contributor>,
    /// Statements by which the State's earlier keys vouch for the one that signed, each well
    /// formed, for the file's State, and signed by the old key it names.
    pub rotations: Vec<Rotation>,
    /// The reply this one was carried from, and the questions changed since (`core::cycle`).
    pub previous: Option<Previous>,
}

/// Reads the optional members of a file that [`verify`] accepted as `v`.
pub fn extras(bytes: &[u8], v: &Verified) -> Result<Extras, VerifyError> {
    let text = std::str::from_utf8(bytes).map_err(|e| VerifyError::NotUtf8 {
        offset: e.valid_up_to(),
    })?;
    let Value::Object(top) = strict::parse(text)? else {
        return Err(VerifyError::NotAnObject);
    };
    Ok(Extras {
        contributors: contributors(top.get("contributors"), &v.answers)?,
        rotations: rotations(top.get("rotations"), &v.state)?,
        previous: previous(top.get("previous"))?,
    })
}

/// `previous` (optional): the SHA-256 and signing time of the reply this one was carried from,
/// its questionnaire version, and the ids of the questions changed since, each once.
fn previous(v: Option<&Value>) -> Result<Option<Previous>, VerifyError> {
    let Some(v) = v else { return Ok(None) };
    let expected = "{\"sha256\", \"signed_at\", \"questionnaire_version\", \"changed\"}";
    let p: Previous =
        serde_json::from_str(&v.to_string()).map_err(|_| invalid("previous", expected))?;
    let hex = |s: &str| {
        s.len() == 64
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    let id = |s: &str| (1..=16).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric());
    let once = |i: usize| !p.changed[..i].contains(&p.changed[i]);
    if !hex(&p.sha256)
        || p.questionnaire_version == 0
        || !(0..p.changed.len()).all(|i| id(&p.changed[i]) && once(i))
    {
        return Err(invalid("previous", expected));
    }
    Ok(Some(p))
}

/// `contributors` (optional): who supplied which answers, each a label, a key id and the
/// questions, every one of them answered in the submission.
fn contributors(
    v: Option<&Value>,
    answers: &BTreeMap<String, Submitted>,
) -> Result<Vec<Contributor>, VerifyError> {
    let Some(v) = v else { return Ok(Vec::new()) };
    let expected = "a list of {\"label\", \"key_id\", \"questions\"} naming answered questions";
    let list: Vec<Contributor> =
        serde_json::from_str(&v.to_string()).map_err(|_| invalid("contributors", expected))?;
    let good = |c: &Contributor| {
        let chars = c.label.trim().chars().count();
        (1..=crate::core::handoff::MAX_LABEL_CHARS).contains(&chars)
            && c.key_id.len() == 64
            && c.key_id
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
            && !c.questions.is_empty()
            && c.questions.iter().all(|q| answers.contains_key(q))
    };
    if list.is_empty() || !list.iter().all(good) {
        return Err(invalid("contributors", expected));
    }
    Ok(list)
}

/// `rotations` (optional): signed key rotation statements of the State (`core::trust`).
fn rotations(v: Option<&Value>, state: &str) -> Result<Vec<Rotation>, VerifyError> {
    let Some(v) = v else { return Ok(Vec::new()) };
    let expected = "a list of key rotation statements of the State, each signed by its old key";
    let Value::Array(items) = v else {
        return Err(invalid("rotations", expected));
    };
    if items.is_empty() || items.len() > crate::core::trust::MAX_ROTATIONS {
        return Err(invalid("rotations", expected));
    }
    items
        .iter()
        .map(|item| {
            let text = canonical(item).map_err(VerifyError::NotJson)?;
            match Rotation::read(&text) {
                Ok(r) if r.state == state => Ok(r),
                _ => Err(invalid("rotations", expected)),
            }
        })
        .collect()
}
