//! The focal point's record of a reply's hand-offs: what was handed to whom, what came back, where
//! each answer came from, the conflicts still open, and the reply as it was before the last merge.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::merge::{merge, Conflict, Merged, Outcome};
use super::{Part, Recipient, Request};
use crate::core::answers::{Answer, Answers};
use crate::core::model::Questionnaire;
use crate::core::submission::{Signer, Timestamp};
use crate::core::versions::{migrate, successors};

fn version_2() -> u32 {
    2
}

/// Kept with the draft ([`DraftHandoff::Book`]). `Default`: a reply nothing was handed out of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Book {
    /// The reply's id in requests and parts: made at the first hand-out, and kept when the draft
    /// is saved to a file and opened again (which gives the draft a new id).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reply: String,
    /// The questionnaire version its question ids and answers are of ([`Book::migrate`]); books
    /// written before it was recorded are of version 2, the version hand-offs came with.
    #[serde(default = "version_2")]
    pub version: u32,
    #[serde(default)]
    pub handoffs: Vec<Handoff>,
    /// Where answers came from, by question; a question not here was answered by the focal point.
    #[serde(default)]
    pub sources: BTreeMap<String, Source>,
    /// Conflicts a person has not resolved yet; the reply cannot be signed while any is open.
    #[serde(default)]
    pub conflicts: Vec<OpenConflict>,
    /// The answers and the book before the last merge, for "Undo this merge".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undo: Option<Box<Undo>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Handoff {
    pub id: String,
    pub to: Recipient,
    pub questions: Vec<String>,
    /// The answers the next part is merged against: as handed out, then as the last part gave.
    pub base: Answers,
    pub issued_at: Timestamp,
    #[serde(default)]
    pub cancelled: bool,
    /// The last part merged, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returned: Option<Returned>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Returned {
    pub contributor: String,
    pub key_id: String,
    pub signed_at: Timestamp,
    /// SHA-256 of the part file, lowercase hex: the same file merged again changes nothing.
    pub digest: String,
}

/// Who supplied an answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub handoff: String,
    pub label: String,
    pub key_id: String,
    /// The answer as merged: once the reply's differs, the focal point has answered instead.
    /// (Books written before it was kept have none: the answer counts as the contributor's.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<Answer>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenConflict {
    pub question: String,
    pub handoff: String,
    /// The contributor's label, shown beside their answer.
    pub label: String,
    pub key_id: String,
    pub ours: Option<Answer>,
    pub theirs: Option<Answer>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Undo {
    pub answers: Answers,
    pub book: Book,
}

/// What a draft keeps of hand-offs (`Draft::handoff`, a JSON text of this).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum DraftHandoff {
    /// A focal point's reply: what it handed out and what came back.
    Book(Book),
    /// A contributor's draft: the signed request it answers, as received (the file's text).
    PartOf(String),
}

/// A contributor in a signed submission's `contributors` list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contributor {
    pub label: String,
    pub key_id: String,
    /// The questions whose answers they supplied, in the questionnaire's order.
    pub questions: Vec<String>,
}

/// Why a part is not merged. Nothing changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MergeRefusal {
    /// A part of another reply.
    OtherReply,
    /// No hand-off of this reply has its id.
    UnknownHandoff,
    /// Its hand-off was cancelled.
    Cancelled,
    /// It answers a question its hand-off did not give.
    NotAssigned(String),
    /// Signed by another key than the parts already merged for its hand-off.
    OtherKey,
    /// This very file was merged already.
    AlreadyMerged,
    /// A newer part of the same hand-off was merged already.
    Superseded,
}

impl fmt::Display for MergeRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use MergeRefusal as R;
        match self {
            R::OtherReply => write!(f, "the part is for another reply"),
            R::UnknownHandoff => write!(f, "the part answers no hand-off of this reply"),
            R::Cancelled => write!(f, "the part's hand-off was cancelled"),
            R::NotAssigned(q) => write!(f, "the part answers {q}, which its hand-off did not give"),
            R::OtherKey => write!(
                f,
                "the part is signed by another key than the earlier parts of its hand-off"
            ),
            R::AlreadyMerged => write!(f, "this part was merged already"),
            R::Superseded => write!(f, "a newer part of the same hand-off was merged already"),
        }
    }
}

impl std::error::Error for MergeRefusal {}

/// A merge worked out but not applied: what the summary shows before the user confirms.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub merged: Merged,
    /// The book after the merge (its `undo` holding the reply and book before it).
    pub book: Book,
}

impl Default for Book {
    fn default() -> Book {
        Book {
            reply: String::new(),
            version: Questionnaire::builtin().version,
            handoffs: Vec::new(),
            sources: BTreeMap::new(),
            conflicts: Vec::new(),
            undo: None,
        }
    }
}

impl Book {
    /// Carries a book of an older questionnaire version to `q`'s, as its draft's answers are
    /// (`core::versions`): each hand-off's questions become what they became, its base is
    /// migrated, and the sources and open conflicts follow their questions.
    pub fn migrate(&mut self, q: &Questionnaire) {
        let (from, to) = (self.version, q.version);
        if from >= to {
            return;
        }
        let next = |id: &str| successors(id, from, to);
        for h in &mut self.handoffs {
            let mut questions: Vec<String> = Vec::new();
            for id in &h.questions {
                for n in next(id) {
                    if !questions.contains(&n) {
                        questions.push(n);
                    }
                }
            }
            h.questions = questions;
            migrate(&mut h.base, from, to);
        }
        let carried = |id: &str, a: &Option<Answer>| -> Vec<(String, Option<Answer>)> {
            let mut one = Answers::default();
            if let Some(a) = a {
                one.set(id, a.clone());
            }
            migrate(&mut one, from, to);
            next(id)
                .into_iter()
                .map(|n| (n.clone(), one.get(&n).cloned()))
                .collect()
        };
        self.sources = std::mem::take(&mut self.sources)
            .into_iter()
            .flat_map(|(id, s)| {
                let kept = s.answer.is_some();
                carried(&id, &s.answer)
                    .into_iter()
                    .map(move |(n, answer)| {
                        let answer = if kept { answer } else { None };
                        (
                            n,
                            Source {
                                answer,
                                ..s.clone()
                            },
                        )
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        self.conflicts = std::mem::take(&mut self.conflicts)
            .into_iter()
            .flat_map(|c| {
                let ours = carried(&c.question, &c.ours);
                let theirs = carried(&c.question, &c.theirs);
                ours.into_iter()
                    .zip(theirs)
                    .map(|((question, ours), (_, theirs))| OpenConflict {
                        question,
                        ours,
                        theirs,
                        ..c.clone()
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        if let Some(undo) = &mut self.undo {
            migrate(&mut undo.answers, from, to);
            undo.book.migrate(q);
        }
        self.version = to;
    }

    /// Hands `questions` of the reply out to `to`: records the hand-off and returns the request to
    /// sign. The base is the reply's answers to those questions; the context, its answers to the
    /// questions their show-if rules read (others than those handed out).
    #[allow(clippy::too_many_arguments)]
    pub fn hand_out(
        &mut self,
        q: &Questionnaire,
        reply: &str,
        answers: &Answers,
        id: &str,
        to: Recipient,
        questions: &[String],
        issued_at: Timestamp,
    ) -> Request {
        // In the questionnaire's order, each once, known questions only.
        let questions: Vec<String> = q
            .questions()
            .map(|it| it.question.id)
            .filter(|id| questions.iter().any(|q| q == id))
            .map(str::to_owned)
            .collect();
        let pick = |ids: &mut dyn Iterator<Item = &str>| {
            let mut out = Answers::default();
            for id in ids {
                if let Some(a) = answers.get(id) {
                    out.set(id, a.clone());
                }
            }
            out
        };
        let base = pick(&mut questions.iter().map(String::as_str));
        let mut deps: Vec<&str> = questions
            .iter()
            .filter_map(|id| q.question(id)?.question.show_if.as_ref())
            .flat_map(|c| c.dependencies())
            .filter(|d| !questions.iter().any(|q| q == d))
            .collect();
        deps.dedup();
        let context = pick(&mut deps.into_iter());
        let state = answers
            .get(crate::core::submission::STATE_QUESTION)
            .and_then(|a| a.selected().first().cloned());
        self.handoffs.push(Handoff {
            id: id.to_owned(),
            to: to.clone(),
            questions: questions.clone(),
            base: base.clone(),
            issued_at: issued_at.clone(),
            cancelled: false,
            returned: None,
        });
        Request {
            questionnaire_id: q.id.to_owned(),
            questionnaire_version: q.version,
            reply: reply.to_owned(),
            handoff: id.to_owned(),
            state,
            to,
            questions,
            base,
            context,
            issued_at,
        }
    }

    /// The request of a hand-off again ("Send again"), from what the book keeps: its questions,
    /// the answers the next part will be merged against, and the context as the reply has it
    /// now. `None`: no hand-off has that id.
    pub fn request(&self, q: &Questionnaire, id: &str, answers: &Answers) -> Option<Request> {
        let h = self.handoffs.iter().find(|h| h.id == id)?;
        let mut scratch = Book::default();
        let mut request = scratch.hand_out(
            q,
            &self.reply,
            answers,
            id,
            h.to.clone(),
            &h.questions,
            h.issued_at.clone(),
        );
        request.base = h.base.clone();
        Some(request)
    }

    /// Cancels a hand-off: a part of it is refused from now on. Whether there was one to cancel.
    pub fn cancel(&mut self, id: &str) -> bool {
        match self
            .handoffs
            .iter_mut()
            .find(|h| h.id == id && !h.cancelled)
        {
            Some(h) => {
                h.cancelled = true;
                true
            }
            None => false,
        }
    }

    /// Works out the merge of a checked part (`Part::read`) into the reply `answers`, or why it
    /// is refused. `digest` is the SHA-256 of the part file. Nothing changes until the caller
    /// takes the plan's answers and book.
    pub fn plan(
        &self,
        reply: &str,
        answers: &Answers,
        part: &Part,
        signer: &Signer,
        digest: &str,
    ) -> Result<Plan, MergeRefusal> {
        if part.reply != reply {
            return Err(MergeRefusal::OtherReply);
        }
        let h = self
            .handoffs
            .iter()
            .find(|h| h.id == part.handoff)
            .ok_or(MergeRefusal::UnknownHandoff)?;
        if h.cancelled {
            return Err(MergeRefusal::Cancelled);
        }
        if let Some(id) = part.answers.0.keys().find(|id| !h.questions.contains(id)) {
            return Err(MergeRefusal::NotAssigned(id.clone()));
        }
        if let Some(r) = &h.returned {
            if r.digest == digest {
                return Err(MergeRefusal::AlreadyMerged);
            }
            if r.key_id != signer.key_id {
                return Err(MergeRefusal::OtherKey);
            }
            if signer.signed_at <= r.signed_at {
                return Err(MergeRefusal::Superseded);
            }
        }
        let merged = merge(answers, &h.base, &part.answers, &h.questions);
        let mut book = self.clone();
        book.undo = Some(Box::new(Undo {
            answers: answers.clone(),
            book: Book {
                undo: None,
                ..self.clone()
            },
        }));
        let source = Source {
            handoff: h.id.clone(),
            label: part.contributor.clone(),
            key_id: signer.key_id.clone(),
            answer: None,
        };
        for (id, outcome) in &merged.outcomes {
            // A newer part's outcome replaces what an older one left open.
            book.conflicts.retain(|c| &c.question != id);
            match outcome {
                Outcome::Taken => {
                    let answer = merged.answers.get(id).cloned();
                    book.sources.insert(
                        id.clone(),
                        Source {
                            answer,
                            ..source.clone()
                        },
                    );
                }
                Outcome::Kept => {}
                Outcome::Conflict(Conflict { ours, theirs, .. }) => {
                    book.conflicts.push(OpenConflict {
                        question: id.clone(),
                        handoff: h.id.clone(),
                        label: part.contributor.clone(),
                        key_id: signer.key_id.clone(),
                        ours: ours.clone(),
                        theirs: theirs.clone(),
                    });
                }
            }
        }
        if let Some(h) = book.handoffs.iter_mut().find(|x| x.id == h.id) {
            h.base = part.answers.clone();
            h.returned = Some(Returned {
                contributor: part.contributor.clone(),
                key_id: signer.key_id.clone(),
                signed_at: signer.signed_at.clone(),
                digest: digest.to_owned(),
            });
        }
        Ok(Plan { merged, book })
    }

    /// Undoes the last merge: the answers to put back, with the book as it was. `None`: nothing
    /// to undo.
    pub fn undo_merge(&mut self) -> Option<Answers> {
        let undo = self.undo.take()?;
        let Undo { answers, book } = *undo;
        *self = book;
        Some(answers)
    }

    /// Resolves the open conflict of `question`: `theirs` true keeps the contributor's answer
    /// (returned, for the caller to set), false keeps the reply's. Whether there was one.
    pub fn resolve(&mut self, question: &str, theirs: bool) -> Option<Option<Answer>> {
        let at = self.conflicts.iter().position(|c| c.question == question)?;
        let c = self.conflicts.remove(at);
        if theirs {
            self.sources.insert(
                question.to_owned(),
                Source {
                    handoff: c.handoff,
                    label: c.label,
                    key_id: c.key_id,
                    answer: c.theirs.clone(),
                },
            );
            Some(c.theirs)
        } else {
            self.sources.remove(question);
            Some(c.ours)
        }
    }

    /// Whether the reply may be signed: no conflict is open.
    pub fn settled(&self) -> bool {
        self.conflicts.is_empty()
    }

    /// The contributors of the questions `answered` says yes to (those of a signed submission:
    /// its `contributors`), in order of first question, each with the questions they supplied:
    /// those whose answer in `answers` is still the one merged (rows compared by content).
    pub fn contributors(
        &self,
        q: &Questionnaire,
        answers: &Answers,
        answered: impl Fn(&str) -> bool,
    ) -> Vec<Contributor> {
        let mut out: Vec<Contributor> = Vec::new();
        for it in q.questions() {
            let id = it.question.id;
            let (Some(source), true) = (self.sources.get(id), answered(id)) else {
                continue;
            };
            if let Some(given) = &source.answer {
                if !crate::core::cycle::same(Some(given), answers.get(id)) {
                    continue;
                }
            }
            match out
                .iter_mut()
                .find(|c| c.label == source.label && c.key_id == source.key_id)
            {
                Some(c) => c.questions.push(id.to_owned()),
                None => out.push(Contributor {
                    label: source.label.clone(),
                    key_id: source.key_id.clone(),
                    questions: vec![id.to_owned()],
                }),
            }
        }
        out
    }
}
