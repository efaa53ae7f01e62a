//! The questionnaire definition: sections, questions, answer kinds, option sets and show-if rules.
//!
//! The definition is data (`questionnaire/art32.json`), read once at start-up.
//! It carries no wording: every label lives in the language catalogs (`locales/*.json`),
//! under keys derived from the ids here (see [`crate::core::i18n::keys`]).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::core::answers::Answer;
use crate::core::rules::Condition;
use crate::core::validate::is_date;

/// The whole questionnaire, as shipped in `questionnaire/art32.json`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Questionnaire {
    /// Stable identifier of the questionnaire, e.g. `untoc-art32`.
    pub id: String,
    /// Version of the definition; answers are keyed by question id, which never changes meaning within an id.
    pub version: u32,
    /// Reusable option sets, by name (`YNP`, `CRIME`, `TA`, ...).
    pub option_sets: BTreeMap<String, Vec<ChoiceOption>>,
    /// Reusable repeatable-row shapes (`LEG`, `CASE`, `TAN`), by name.
    #[serde(default)]
    pub blocks: BTreeMap<String, Vec<Field>>,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// One letter: `S`, `A` ... `H`.
    pub id: String,
    /// Annex paragraphs of the seed resolution this section answers (for the docs and the coverage test).
    #[serde(default)]
    pub paragraphs: Vec<u8>,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Stable key of the answer, e.g. `E8a`. Never reused for another meaning.
    pub id: String,
    pub kind: Kind,
    /// Required when shown.
    #[serde(default)]
    pub required: bool,
    /// The question is shown only while this holds; answers to hidden questions are kept but not counted.
    #[serde(default)]
    pub show_if: Option<Condition>,
    /// Annex paragraphs of the seed this question answers.
    #[serde(default)]
    pub paragraphs: Vec<u8>,
    /// Whether the catalogs hold a help text (`q.<id>.help`) for this question.
    #[serde(default)]
    pub help: bool,
    /// What the form fills in when the question is shown unanswered (see [`Question::prefill`]).
    #[serde(default)]
    pub default: Option<Prefill>,
}

/// A value filled in for the user, who can change it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Prefill {
    /// Today's date (dates only), e.g. the date a reply is certified.
    Today,
}

impl Question {
    /// The answer to fill in now that the question is shown with `current` as its answer: its
    /// default, only while it is unanswered. `today` is the user's local date, `YYYY-MM-DD`.
    pub fn prefill(&self, current: Option<&Answer>, today: &str) -> Option<Answer> {
        match self.default? {
            Prefill::Today if is_date(today) && !current.is_some_and(Answer::is_answered) => {
                Some(Answer::Text(today.to_owned()))
            }
            Prefill::Today => None,
        }
    }
}

/// What kind of answer a question (or a field of a repeatable row) takes.
///
/// Written in the definition as one object, `{"type": "single", "set": "YNP"}`; read through
/// [`KindFields`], which costs the app far less code than an internally tagged enum.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(try_from = "KindFields")]
pub enum Kind {
    /// One option; options come from a named set or are listed inline.
    Single {
        options: Options,
    },
    /// Any number of options; `exclusive` options (such as "none") cannot be combined with others.
    Multi {
        options: Options,
    },
    /// One line of text.
    Text,
    /// Several paragraphs of text.
    Long,
    /// A list of web addresses, one per line (http or https).
    Urls,
    /// One web address (only as a field of a repeatable row).
    Url,
    /// A calendar date, stored as `YYYY-MM-DD`.
    Date,
    /// Two dates, `from` and `to`, with `to` not before `from`.
    Period,
    Email,
    Phone,
    /// A whole number, with a distinct "no data" state (zero is a number, not "unknown").
    Number {
        min: Option<i64>,
        max: Option<i64>,
    },
    /// A single tick box that must be ticked to confirm a statement.
    Confirm,
    /// Repeatable rows of typed fields.
    Group {
        /// Fields of each row: listed inline, or the fields of a named block followed by extra fields.
        block: Option<String>,
        fields: Vec<Field>,
        min: u32,
        max: Option<u32>,
        /// Cross-row check: at least one row must have this field equal to this value.
        require_one: Option<FieldValue>,
    },
}

/// A [`Kind`] as written in the definition: its `type` and every member any kind may have.
/// [`Kind::try_from`] accepts only the members that the type takes.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KindFields {
    #[serde(rename = "type")]
    ty: KindType,
    set: Option<String>,
    options: Option<Vec<ChoiceOption>>,
    min: Option<i64>,
    max: Option<i64>,
    block: Option<String>,
    fields: Option<Vec<Field>>,
    require_one: Option<FieldValue>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum KindType {
    Single,
    Multi,
    Text,
    Long,
    Urls,
    Url,
    Date,
    Period,
    Email,
    Phone,
    Number,
    Confirm,
    Group,
}

impl TryFrom<KindFields> for Kind {
    type Error = String;

    fn try_from(k: KindFields) -> Result<Kind, String> {
        use KindType as T;
        let takes: &[&str] = match k.ty {
            T::Single | T::Multi => &["set", "options"],
            T::Number => &["min", "max"],
            T::Group => &["block", "fields", "min", "max", "require_one"],
            _ => &[],
        };
        let given = [
            ("set", k.set.is_some()),
            ("options", k.options.is_some()),
            ("min", k.min.is_some()),
            ("max", k.max.is_some()),
            ("block", k.block.is_some()),
            ("fields", k.fields.is_some()),
            ("require_one", k.require_one.is_some()),
        ];
        if let Some((member, _)) = given.iter().find(|(m, on)| *on && !takes.contains(m)) {
            return Err(format!("a {:?} answer does not take `{member}`", k.ty).to_lowercase());
        }
        let options = Options {
            set: k.set,
            options: k.options.unwrap_or_default(),
        };
        let count = |n: Option<i64>, what: &str| {
            n.map(|n| {
                u32::try_from(n).map_err(|_| format!("a group's `{what}` is a row count, not {n}"))
            })
            .transpose()
        };
        Ok(match k.ty {
            T::Single => Kind::Single { options },
            T::Multi => Kind::Multi { options },
            T::Text => Kind::Text,
            T::Long => Kind::Long,
            T::Urls => Kind::Urls,
            T::Url => Kind::Url,
            T::Date => Kind::Date,
            T::Period => Kind::Period,
            T::Email => Kind::Email,
            T::Phone => Kind::Phone,
            T::Number => Kind::Number {
                min: k.min,
                max: k.max,
            },
            T::Confirm => Kind::Confirm,
            T::Group => Kind::Group {
                min: count(k.min, "min")?.unwrap_or(0),
                max: count(k.max, "max")?,
                block: k.block,
                fields: k.fields.unwrap_or_default(),
                require_one: k.require_one,
            },
        })
    }
}

/// Where a choice question takes its options from.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Name of an option set in [`Questionnaire::option_sets`].
    pub set: Option<String>,
    /// Options specific to this question.
    pub options: Vec<ChoiceOption>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    /// Stable value stored in answers.
    pub id: String,
    /// Choosing it asks for a "please specify" text.
    #[serde(default)]
    pub other: bool,
    /// Cannot be combined with other options of a multiple choice ("none", "not known").
    #[serde(default)]
    pub exclusive: bool,
}

/// One typed field of a repeatable row.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Field {
    pub id: String,
    pub kind: Kind,
    #[serde(default)]
    pub required: bool,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FieldValue {
    pub field: String,
    pub value: String,
}

/// Where a question lives: its section and its position.
#[derive(Debug, Clone, Copy)]
pub struct QuestionRef<'a> {
    pub section: &'a Section,
    pub question: &'a Question,
}

impl Questionnaire {
    /// The questionnaire this app ships, parsed from the embedded definition.
    ///
    /// Panics only if the embedded file is malformed, which `cargo test` rules out.
    pub fn builtin() -> Questionnaire {
        Self::from_json(include_str!("../../questionnaire/art32.json"))
            .expect("embedded questionnaire definition is valid")
    }

    pub fn from_json(text: &str) -> Result<Questionnaire, String> {
        let q: Questionnaire = serde_json::from_str(text).map_err(|e| e.to_string())?;
        q.check()?;
        Ok(q)
    }

    pub fn questions(&self) -> impl Iterator<Item = QuestionRef<'_>> {
        self.sections.iter().flat_map(|section| {
            section
                .questions
                .iter()
                .map(move |question| QuestionRef { section, question })
        })
    }

    pub fn question(&self, id: &str) -> Option<QuestionRef<'_>> {
        self.questions().find(|it| it.question.id == id)
    }

    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }

    /// The options of a choice kind, resolving a named set. Empty for other kinds.
    pub fn options<'a>(&'a self, kind: &'a Kind) -> Vec<&'a ChoiceOption> {
        let opts = match kind {
            Kind::Single { options } | Kind::Multi { options } => options,
            _ => return Vec::new(),
        };
        let from_set = opts
            .set
            .as_ref()
            .and_then(|name| self.option_sets.get(name));
        from_set
            .into_iter()
            .flatten()
            .chain(opts.options.iter())
            .collect()
    }

    /// The fields of each row of a group: the named block's fields first, then the group's own.
    pub fn fields<'a>(&'a self, kind: &'a Kind) -> Vec<&'a Field> {
        match kind {
            Kind::Group { block, fields, .. } => {
                let from_block = block.as_ref().and_then(|name| self.blocks.get(name));
                from_block
                    .into_iter()
                    .flatten()
                    .chain(fields.iter())
                    .collect()
            }
            _ => Vec::new(),
        }
    }

    /// Structural checks the type system cannot express: unique ids, known sets, blocks and
    /// question references in rules, rules that only look backwards.
    pub fn check(&self) -> Result<(), String> {
        let mut seen = std::collections::BTreeSet::new();
        for QuestionRef { question: q, .. } in self.questions() {
            if !seen.insert(q.id.as_str()) {
                return Err(format!("duplicate question id {}", q.id));
            }
            if let Some(cond) = &q.show_if {
                for dep in cond.dependencies() {
                    if !seen.contains(dep) {
                        return Err(format!(
                            "{}: show_if refers to {dep}, which is not an earlier question",
                            q.id
                        ));
                    }
                }
            }
            self.check_kind(&q.id, &q.kind)?;
            if q.default == Some(Prefill::Today) && q.kind != Kind::Date {
                return Err(format!("{}: only a date can default to today", q.id));
            }
            for f in self.fields(&q.kind) {
                if matches!(f.kind, Kind::Group { .. }) {
                    return Err(format!("{}: groups cannot be nested ({})", q.id, f.id));
                }
                self.check_kind(&format!("{}.{}", q.id, f.id), &f.kind)?;
            }
            if let Kind::Group { block: Some(b), .. } = &q.kind {
                if !self.blocks.contains_key(b) {
                    return Err(format!("{}: unknown block {b}", q.id));
                }
            }
            if let Kind::Group {
                require_one: Some(fv),
                ..
            } = &q.kind
            {
                let field = self.fields(&q.kind).into_iter().find(|f| f.id == fv.field);
                let ok =
                    field.is_some_and(|f| self.options(&f.kind).iter().any(|o| o.id == fv.value));
                if !ok {
                    return Err(format!(
                        "{}: require_one names an unknown field or value",
                        q.id
                    ));
                }
            }
        }
        Ok(())
    }

    fn check_kind(&self, at: &str, kind: &Kind) -> Result<(), String> {
        if let Kind::Single { options } | Kind::Multi { options } = kind {
            if let Some(set) = &options.set {
                if !self.option_sets.contains_key(set) {
                    return Err(format!("{at}: unknown option set {set}"));
                }
            }
            let opts = self.options(kind);
            if opts.is_empty() {
                return Err(format!("{at}: a choice without options"));
            }
            let mut ids = std::collections::BTreeSet::new();
            for o in &opts {
                if !ids.insert(&o.id) {
                    return Err(format!("{at}: duplicate option {}", o.id));
                }
            }
        }
        Ok(())
    }
}
