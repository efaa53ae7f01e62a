//! The two files of a hand-off: the request the focal point sends, the part a contributor returns.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{HANDOFF_FORMAT_VERSION, MAX_LABEL_CHARS, PART_FORMAT, REQUEST_FORMAT};
use crate::core::answers::{Answer, Answers, Row};
use crate::core::model::{Kind, Questionnaire};
use crate::core::submission::{is_state_code, verify_document, Signer, Timestamp, VerifyError};
use crate::core::versions::{migrate, successors, SetApart, Why};

/// Who a request is for: a free label, and an email address if the focal point gave one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recipient {
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// A hand-off request: questions of one reply handed to a contributor.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub questionnaire_id: String,
    pub questionnaire_version: u32,
    /// The reply's id (the focal point's draft).
    pub reply: String,
    /// This hand-off's id, unique within the reply.
    pub handoff: String,
    /// The reporting State, if the reply names it yet (question S1).
    pub state: Option<String>,
    pub to: Recipient,
    /// The questions handed out, in the questionnaire's order.
    pub questions: Vec<String>,
    /// Their answers as handed out: the base of the merge.
    pub base: Answers,
    /// The answers the handed-out questions' show-if rules read, to be shown, not changed.
    pub context: Answers,
    pub issued_at: Timestamp,
}

/// A part: a contributor's answers to the questions of one hand-off.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub questionnaire_id: String,
    pub questionnaire_version: u32,
    pub reply: String,
    pub handoff: String,
    /// The contributor's label, as the request named them (they may correct it).
    pub contributor: String,
    /// Answers to questions of the hand-off only; a question left out is unanswered.
    pub answers: Answers,
}

/// Why a request or part file is refused. Reading it changes nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HandoffError {
    /// Not a signed document of this app, or its signature does not hold.
    Unsigned(VerifyError),
    /// Another kind of file (`format` holds what was found, as JSON): a submission, a request
    /// where a part was expected, or the reverse.
    WrongFormat {
        found: String,
        expected: &'static str,
    },
    /// Signed, but its members do not have the shapes of the format.
    Malformed(String),
    /// For another questionnaire.
    OtherQuestionnaire(String),
    /// For a newer version of the questionnaire than this app knows.
    NewerQuestionnaire(u32),
    /// Names a question the questionnaire does not have.
    UnknownQuestion(String),
    /// An answer that is not of its question's kind.
    AnswerShape(String),
    /// A label that is empty or longer than [`MAX_LABEL_CHARS`].
    BadLabel,
}

impl fmt::Display for HandoffError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use HandoffError as E;
        match self {
            E::Unsigned(e) => write!(f, "{e}"),
            E::WrongFormat { found, expected } => {
                write!(f, "this is not a {expected} file (format is {found})")
            }
            E::Malformed(why) => write!(f, "the file is signed but not well-formed: {why}"),
            E::OtherQuestionnaire(id) => write!(f, "the file is for another questionnaire ({id})"),
            E::NewerQuestionnaire(v) => write!(
                f,
                "the file is for version {v} of the questionnaire, newer than this app's"
            ),
            E::UnknownQuestion(id) => write!(
                f,
                "the file names a question this questionnaire does not have ({id})"
            ),
            E::AnswerShape(id) => write!(f, "the answer to {id} is not of its question's kind"),
            E::BadLabel => write!(
                f,
                "the contributor's label is empty or longer than {MAX_LABEL_CHARS} characters"
            ),
        }
    }
}

impl std::error::Error for HandoffError {}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionnaireRef {
    id: String,
    version: u32,
}

const REQUEST_MEMBERS: [&str; 12] = [
    "format",
    "format_version",
    "questionnaire",
    "reply",
    "handoff",
    "state",
    "to",
    "questions",
    "base",
    "context",
    "issued_at",
    "signature",
];

const PART_MEMBERS: [&str; 8] = [
    "format",
    "format_version",
    "questionnaire",
    "reply",
    "handoff",
    "contributor",
    "answers",
    "signature",
];

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RequestWire {
    format: String,
    format_version: u64,
    questionnaire: QuestionnaireRef,
    reply: String,
    handoff: String,
    state: Option<String>,
    to: Recipient,
    questions: Vec<String>,
    base: Answers,
    context: Answers,
    issued_at: Timestamp,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Contributor {
    label: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PartWire {
    format: String,
    format_version: u64,
    questionnaire: QuestionnaireRef,
    reply: String,
    handoff: String,
    contributor: Contributor,
    answers: Answers,
}

fn document<T: Serialize>(wire: &T) -> Map<String, Value> {
    match serde_json::to_value(wire) {
        Ok(Value::Object(map)) => map,
        _ => unreachable!("a wire struct serializes to an object"),
    }
}

/// Checks a signed hand-off file (a part if `part`, else a request): its signature and its
/// envelope, as [`verify_document`] does. Its members are read next by [`Request::from_verified`]
/// or [`Part::from_verified`]. This half needs Ed25519, so in the browser it runs in the signer.
pub fn verify_handoff(
    bytes: &[u8],
    part: bool,
) -> Result<(Map<String, Value>, Signer), HandoffError> {
    let (format, members): (&'static str, &[&str]) = if part {
        (PART_FORMAT, &PART_MEMBERS)
    } else {
        (REQUEST_FORMAT, &REQUEST_MEMBERS)
    };
    verify_document(bytes, format, HANDOFF_FORMAT_VERSION, members).map_err(|e| match e {
        VerifyError::WrongFormat(found) => HandoffError::WrongFormat {
            found,
            expected: format,
        },
        e => HandoffError::Unsigned(e),
    })
}

/// Refuses a file of an older version whose answers could not all be carried to this one: a
/// merge would lose them.
fn carried(apart: Vec<SetApart>) -> Result<(), HandoffError> {
    match apart.into_iter().next() {
        None => Ok(()),
        Some(a) if a.why == Why::OptionsRemoved => Err(HandoffError::AnswerShape(a.question)),
        Some(a) => Err(HandoffError::UnknownQuestion(a.question)),
    }
}

/// Reads the members of a checked file into `T` (a `signature` member is left aside).
fn members_of<T: for<'de> Deserialize<'de>>(
    mut map: Map<String, Value>,
) -> Result<T, HandoffError> {
    map.remove("signature");
    serde_json::from_value(Value::Object(map)).map_err(|e| HandoffError::Malformed(e.to_string()))
}

impl Request {
    /// The members to sign (`core::submission::sign_document`).
    pub fn to_document(&self) -> Map<String, Value> {
        document(&RequestWire {
            format: REQUEST_FORMAT.to_owned(),
            format_version: HANDOFF_FORMAT_VERSION,
            questionnaire: QuestionnaireRef {
                id: self.questionnaire_id.clone(),
                version: self.questionnaire_version,
            },
            reply: self.reply.clone(),
            handoff: self.handoff.clone(),
            state: self.state.clone(),
            to: self.to.clone(),
            questions: self.questions.clone(),
            base: self.base.clone(),
            context: self.context.clone(),
            issued_at: self.issued_at.clone(),
        })
    }

    /// Reads and checks a request file for questionnaire `q`: signed, well-formed, for `q` at
    /// its version or an older one (its answers then migrated as a draft's are), naming only
    /// questions `q` has, with answers of their questions' kinds.
    pub fn read(q: &Questionnaire, bytes: &[u8]) -> Result<(Request, Signer), HandoffError> {
        let (map, signer) = verify_handoff(bytes, false)?;
        Ok((Request::from_verified(q, map)?, signer))
    }

    /// The second half of [`Request::read`]: the members of a file [`verify_handoff`] checked
    /// (or of one checked before and kept, such as a contributor's draft's request).
    pub fn from_verified(
        q: &Questionnaire,
        map: Map<String, Value>,
    ) -> Result<Request, HandoffError> {
        let w: RequestWire = members_of(map)?;
        let version = questionnaire(q, &w.questionnaire)?;
        check_label(&w.to.label)?;
        if let Some(state) = &w.state {
            if !is_state_code(state) {
                return Err(HandoffError::Malformed(
                    "state is not a State code".to_owned(),
                ));
            }
        }
        check_ids(&w.reply, &w.handoff)?;
        let (mut base, mut context) = (w.base, w.context);
        carried(migrate(&mut base, version, q.version))?;
        // The context only shows: what no longer exists is simply not shown.
        migrate(&mut context, version, q.version);
        let mut questions = Vec::new();
        for id in &w.questions {
            for new in successors(id, version, q.version) {
                if !questions.contains(&new) {
                    questions.push(new);
                }
            }
        }
        if questions.is_empty() {
            return Err(HandoffError::Malformed(
                "no question is handed out".to_owned(),
            ));
        }
        for id in &questions {
            if q.question(id).is_none() {
                return Err(HandoffError::UnknownQuestion(id.clone()));
            }
        }
        check_answers(q, &base)?;
        check_answers(q, &context)?;
        if let Some(id) = base.0.keys().find(|id| !questions.contains(id)) {
            return Err(HandoffError::Malformed(format!(
                "the base answers {id}, which is not handed out"
            )));
        }
        Ok(Request {
            questionnaire_id: w.questionnaire.id,
            questionnaire_version: q.version,
            reply: w.reply,
            handoff: w.handoff,
            state: w.state,
            to: w.to,
            questions,
            base,
            context,
            issued_at: w.issued_at,
        })
    }
}

impl Part {
    /// The members to sign (`core::submission::sign_document`).
    pub fn to_document(&self) -> Map<String, Value> {
        document(&PartWire {
            format: PART_FORMAT.to_owned(),
            format_version: HANDOFF_FORMAT_VERSION,
            questionnaire: QuestionnaireRef {
                id: self.questionnaire_id.clone(),
                version: self.questionnaire_version,
            },
            reply: self.reply.clone(),
            handoff: self.handoff.clone(),
            contributor: Contributor {
                label: self.contributor.clone(),
            },
            answers: self.answers.clone(),
        })
    }

    /// Reads and checks a part file for questionnaire `q`, as [`Request::read`] does. Whether it
    /// belongs to a hand-off of the reply is for the [`Book`](super::Book) to say.
    pub fn read(q: &Questionnaire, bytes: &[u8]) -> Result<(Part, Signer), HandoffError> {
        let (map, signer) = verify_handoff(bytes, true)?;
        Ok((Part::from_verified(q, map)?, signer))
    }

    /// The second half of [`Part::read`], as [`Request::from_verified`].
    pub fn from_verified(q: &Questionnaire, map: Map<String, Value>) -> Result<Part, HandoffError> {
        let w: PartWire = members_of(map)?;
        let version = questionnaire(q, &w.questionnaire)?;
        check_label(&w.contributor.label)?;
        check_ids(&w.reply, &w.handoff)?;
        let mut answers = w.answers;
        carried(migrate(&mut answers, version, q.version))?;
        check_answers(q, &answers)?;
        Ok(Part {
            questionnaire_id: w.questionnaire.id,
            questionnaire_version: q.version,
            reply: w.reply,
            handoff: w.handoff,
            contributor: w.contributor.label,
            answers,
        })
    }
}

/// The version a file was written for, if `q` can read it.
fn questionnaire(q: &Questionnaire, r: &QuestionnaireRef) -> Result<u32, HandoffError> {
    if r.id != q.id {
        return Err(HandoffError::OtherQuestionnaire(r.id.clone()));
    }
    if r.version > q.version {
        return Err(HandoffError::NewerQuestionnaire(r.version));
    }
    Ok(r.version)
}

/// A reply and a hand-off are named: both ids are non-empty.
fn check_ids(reply: &str, handoff: &str) -> Result<(), HandoffError> {
    if reply.is_empty() || handoff.is_empty() {
        return Err(HandoffError::Malformed(
            "an empty reply or hand-off id".to_owned(),
        ));
    }
    Ok(())
}

fn check_label(label: &str) -> Result<(), HandoffError> {
    let chars = label.trim().chars().count();
    if chars == 0 || chars > MAX_LABEL_CHARS || label.chars().any(char::is_control) {
        return Err(HandoffError::BadLabel);
    }
    Ok(())
}

/// Every answer is to a question of `q`, of its kind.
fn check_answers(q: &Questionnaire, answers: &Answers) -> Result<(), HandoffError> {
    for (id, answer) in answers.0.iter() {
        let it = q
            .question(id)
            .ok_or_else(|| HandoffError::UnknownQuestion(id.clone()))?;
        if !fits(q, &it.question.kind, answer) {
            return Err(HandoffError::AnswerShape(id.clone()));
        }
    }
    Ok(())
}

/// Whether an answer has the shape its kind stores (`core::answers`).
pub fn fits(q: &Questionnaire, kind: &Kind, answer: &Answer) -> bool {
    match (kind, answer) {
        (
            Kind::Text
            | Kind::Long
            | Kind::Urls
            | Kind::Url
            | Kind::Date
            | Kind::Email
            | Kind::Phone,
            Answer::Text(_),
        ) => true,
        (Kind::Single { .. }, Answer::Choice { selected, .. }) => selected.len() <= 1,
        (Kind::Multi { .. }, Answer::Choice { .. }) => true,
        (Kind::Number { .. }, Answer::Number { value, .. }) => {
            let digits = value.strip_prefix('-').unwrap_or(value);
            value.is_empty() || (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        }
        (Kind::Period, Answer::Period { .. }) | (Kind::Confirm, Answer::Confirm(_)) => true,
        (Kind::Group { .. }, Answer::Rows(rows)) => {
            let fields = q.fields(kind);
            let unique = rows
                .iter()
                .enumerate()
                .all(|(i, r)| !rows[..i].iter().any(|o| o.key == r.key));
            unique && rows.iter().all(|row| row_fits(q, &fields, row))
        }
        _ => false,
    }
}

fn row_fits(q: &Questionnaire, fields: &[&crate::core::model::Field], row: &Row) -> bool {
    row.fields.iter().all(|(id, a)| {
        fields
            .iter()
            .find(|f| f.id == id)
            .is_some_and(|f| !matches!(f.kind, Kind::Group { .. }) && fits(q, &f.kind, a))
    })
}
