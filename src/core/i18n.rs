//! Language catalogs: every piece of wording, for the interface and the questionnaire.
//!
//! A language is a folder in `locales/` with four JSON files:
//! - `ui.json` (`{"lang", "name", "dir", "messages": {key: text}}`), the form's interface;
//! - `start.json` (`{"messages": {key: text}}`), the questionnaire's wording that the first
//!   screen needs: every section's title and the whole first section ([`start_keys`]);
//! - `questionnaire.json` (`{"messages": {key: text}}`), the rest of the questionnaire's wording;
//! - `pages.json` (`{"messages": {key: text}}`), the interface of the lazy pages
//!   (drafts, sign and export, open a submission, print, still to answer), which are drawn only
//!   once the whole wording is there (`ui::lazy`); a test keeps there exactly the keys that only
//!   those pages' code uses.
//!
//! Adding a language is adding a folder, one line to [`LANGUAGES`] and its tag to the list in `index.html` (which fetches the catalogs ahead; `tests/definition.rs` checks the two agree): no code changes.
//! The catalogs are not compiled in: the app fetches the one in use (`web::locales`), so six
//! languages cost the first download one language; and of that language, a first visit fetches
//! `ui.json` and `start.json` only, the other two when another section or page is first shown.
//! Texts may hold `{name}` placeholders, filled by [`Catalog::format`].
//! Nothing falls back silently: a missing key shows as the key itself, and a test checks that
//! every catalog has every key the questionnaire and the interface use, each in its file.

use rustc_hash::FxHashMap as HashMap;

use serde::Deserialize;

use crate::core::model::{Kind, Questionnaire, Section};

/// A shipped language: what the language menu needs before its catalog is loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Language {
    /// BCP 47 tag, also the folder name in `locales/`.
    pub tag: &'static str,
    /// The language's own name.
    pub name: &'static str,
    pub dir: Direction,
}

/// Languages the app ships, in the UN order (by English name); the first is the default.
/// A test checks each entry against its `ui.json`.
pub const LANGUAGES: &[Language] = &[
    Language {
        tag: "ar",
        name: "العربية",
        dir: Direction::Rtl,
    },
    Language {
        tag: "zh",
        name: "中文",
        dir: Direction::Ltr,
    },
    Language {
        tag: "en",
        name: "English",
        dir: Direction::Ltr,
    },
    Language {
        tag: "fr",
        name: "Français",
        dir: Direction::Ltr,
    },
    Language {
        tag: "ru",
        name: "Русский",
        dir: Direction::Ltr,
    },
    Language {
        tag: "es",
        name: "Español",
        dir: Direction::Ltr,
    },
];

/// The language used when the browser prefers none of the shipped ones.
pub const DEFAULT_LANGUAGE: &str = "en";

/// The shipped language with this tag (or the primary subtag of it: `fr-CA` is `fr`).
pub fn language(tag: &str) -> Option<&'static Language> {
    let primary = tag
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    LANGUAGES.iter().find(|l| l.tag == primary)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Ltr,
    Rtl,
}

impl Direction {
    /// The direction a catalog names (`"ltr"` or `"rtl"`).
    pub fn named(name: &str) -> Option<Direction> {
        match name {
            "ltr" => Some(Direction::Ltr),
            "rtl" => Some(Direction::Rtl),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    /// BCP 47 tag, e.g. `en`, `zh`, `ar`.
    pub lang: String,
    /// The language's own name, for the language switch.
    pub name: String,
    pub dir: Direction,
    pub messages: HashMap<String, String>,
    /// Whether it holds all of the language's wording (`questionnaire.json` and `pages.json`
    /// too), or only what the first screen needs.
    #[serde(skip)]
    pub whole: bool,
}

impl Catalog {
    /// Reads what the first screen of a language needs: `ui.json` and `start.json`.
    /// A key present in both is an error.
    pub fn from_json(ui: &str, start: &str) -> Result<Catalog, String> {
        let mut catalog: Catalog = serde_json::from_str(ui).map_err(|e| format!("ui.json: {e}"))?;
        catalog.add(start, "start.json")?;
        Ok(catalog)
    }

    /// This catalog with the rest of the language's wording added: the rest of the
    /// questionnaire (`questionnaire.json`) and the lazy pages (`pages.json`).
    pub fn with_rest(&self, questionnaire: &str, pages: &str) -> Result<Catalog, String> {
        let mut catalog = self.clone();
        catalog.add(questionnaire, "questionnaire.json")?;
        catalog.add(pages, "pages.json")?;
        catalog.whole = true;
        Ok(catalog)
    }

    fn add(&mut self, json: &str, file: &str) -> Result<(), String> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Texts {
            messages: HashMap<String, String>,
        }
        let texts: Texts = serde_json::from_str(json).map_err(|e| format!("{file}: {e}"))?;
        self.add_texts(file, texts.messages)
    }

    /// A catalog with no texts yet, for a reader other than [`Catalog::from_json`] (the browser
    /// reads the files with its own JSON parser: `web::locales`).
    pub fn new(lang: String, name: String, dir: Direction) -> Catalog {
        Catalog {
            lang,
            name,
            dir,
            messages: HashMap::default(),
            whole: false,
        }
    }

    /// Adds the texts of one file of the language. A key already there is an error.
    pub fn add_texts(
        &mut self,
        file: &str,
        texts: impl IntoIterator<Item = (String, String)>,
    ) -> Result<(), String> {
        for (key, text) in texts {
            if self.messages.insert(key.clone(), text).is_some() {
                return Err(format!(
                    "{}: key {key} is in {file} and another file",
                    self.lang
                ));
            }
        }
        Ok(())
    }

    /// The shipped catalog for a language tag, read from `locales/` of the source tree (native
    /// builds: the tests and the command-line tool).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn builtin(lang: &str) -> Option<Catalog> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("locales")
            .join(lang);
        let read = |file: &str| std::fs::read_to_string(dir.join(file)).ok();
        let (ui, start, rest, pages) = (
            read("ui.json")?,
            read("start.json")?,
            read("questionnaire.json")?,
            read("pages.json")?,
        );
        let whole = Catalog::from_json(&ui, &start).and_then(|c| c.with_rest(&rest, &pages));
        Some(whole.expect("shipped catalog is valid"))
    }

    /// The text for a key; the key itself when missing, so a gap is visible, never hidden.
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.messages.get(key).map(String::as_str).unwrap_or(key)
    }

    /// The text for a key with `{name}` placeholders replaced.
    pub fn format(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut out = self.get(key).to_owned();
        for (name, value) in args {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }
}

/// How catalog keys are formed from questionnaire ids.
pub mod keys {
    pub fn section_title(section: &str) -> String {
        format!("sec.{section}.title")
    }
    pub fn section_intro(section: &str) -> String {
        format!("sec.{section}.intro")
    }
    pub fn question_label(question: &str) -> String {
        format!("q.{question}.label")
    }
    pub fn question_help(question: &str) -> String {
        format!("q.{question}.help")
    }
    /// An option of a named set (`opt.YNP.yes`) or of one question or field (`q.A2.opt.yes`).
    pub fn option(set: Option<&str>, owner: &str, option: &str) -> String {
        match set {
            Some(set) => format!("opt.{set}.{option}"),
            None => format!("{owner}.opt.{option}"),
        }
    }
    /// The owner prefix for a question's inline options.
    pub fn question_owner(question: &str) -> String {
        format!("q.{question}")
    }
    /// The owner prefix of a group field: `b.<block>.<field>` for block fields, `f.<question>.<field>` otherwise.
    pub fn field_owner(block: Option<&str>, question: &str, field: &str) -> String {
        match block {
            Some(block) => format!("b.{block}.{field}"),
            None => format!("f.{question}.{field}"),
        }
    }
    pub fn field_label(owner: &str) -> String {
        format!("{owner}.label")
    }
}

/// Every key the questionnaire needs in a catalog, for the completeness test.
pub fn questionnaire_keys(q: &Questionnaire) -> Vec<String> {
    let mut out = Vec::new();
    for section in q.sections {
        section_keys(q, section, &mut out);
    }
    out.sort();
    out.dedup();
    out
}

/// The keys of the questionnaire's wording that the first screen needs, and so `start.json`
/// holds: every section's title (the navigation, "next section") and all of the first section.
pub fn start_keys(q: &Questionnaire) -> Vec<String> {
    let mut out: Vec<String> = q
        .sections
        .iter()
        .map(|s| keys::section_title(s.id))
        .collect();
    if let Some(first) = q.sections.first() {
        section_keys(q, first, &mut out);
    }
    out.sort();
    out.dedup();
    out
}

fn section_keys(q: &Questionnaire, section: &Section, out: &mut Vec<String>) {
    out.push(keys::section_title(section.id));
    out.push(keys::section_intro(section.id));
    for question in section.questions {
        out.push(keys::question_label(question.id));
        if question.help {
            out.push(keys::question_help(question.id));
        }
        push_option_keys(q, &question.kind, &keys::question_owner(question.id), out);
        if let Kind::Group { block, fields, .. } = &question.kind {
            let block_fields = block.and_then(|b| q.block(b)).into_iter().flatten();
            for f in block_fields {
                let owner = keys::field_owner(*block, question.id, f.id);
                out.push(keys::field_label(&owner));
                push_option_keys(q, &f.kind, &owner, out);
            }
            for f in fields.iter() {
                let owner = keys::field_owner(None, question.id, f.id);
                out.push(keys::field_label(&owner));
                push_option_keys(q, &f.kind, &owner, out);
            }
        }
    }
}

fn push_option_keys(q: &Questionnaire, kind: &Kind, owner: &str, out: &mut Vec<String>) {
    if let Kind::Single { options } | Kind::Multi { options } = kind {
        if let Some(set) = &options.set {
            for o in q.option_set(set).into_iter().flatten() {
                out.push(keys::option(Some(set), owner, o.id));
            }
        }
        for o in options.options {
            out.push(keys::option(None, owner, o.id));
        }
    }
}

/// The label of a field of a group question, in this catalog.
pub fn field_label(cat: &Catalog, q: &Questionnaire, question: &str, field: &str) -> String {
    let owner = field_owner_of(q, question, field);
    cat.get(&keys::field_label(&owner)).to_owned()
}

/// The catalog owner prefix of a group field: block fields are worded once for every group using the block.
pub fn field_owner_of(q: &Questionnaire, question: &str, field: &str) -> String {
    let block = q.question(question).and_then(|it| match &it.question.kind {
        Kind::Group { block: Some(b), .. }
            if q.block(b)
                .is_some_and(|fs| fs.iter().any(|f| f.id == field)) =>
        {
            Some(*b)
        }
        _ => None,
    });
    keys::field_owner(block, question, field)
}

/// The wording of an option of a choice kind owned by `owner` (see [`keys::option`]).
pub fn option_label(cat: &Catalog, kind: &Kind, owner: &str, option: &str) -> String {
    let set = match kind {
        Kind::Single { options } | Kind::Multi { options } => options
            .set
            .filter(|_| !options.options.iter().any(|o| o.id == option)),
        _ => None,
    };
    cat.get(&keys::option(set, owner, option)).to_owned()
}

/// One sentence saying what is wrong, in the catalog's language.
pub fn describe(cat: &Catalog, q: &Questionnaire, issue: &crate::core::validate::Issue) -> String {
    use crate::core::validate::Problem as P;
    match &issue.problem {
        P::Required => cat.get("err.required").to_owned(),
        P::Email => cat.get("err.email").to_owned(),
        P::Url { line: None } => cat.get("err.url").to_owned(),
        P::Url { line: Some(n) } => cat.format("err.url_line", &[("line", &n.to_string())]),
        P::Phone => cat.get("err.phone").to_owned(),
        P::Date => cat.get("err.date").to_owned(),
        P::PeriodOrder => cat.get("err.period_order").to_owned(),
        P::PeriodIncomplete => cat.get("err.period_incomplete").to_owned(),
        P::Number => cat.get("err.number").to_owned(),
        P::NumberMin(n) => cat.format("err.number_min", &[("min", &n.to_string())]),
        P::NumberMax(n) => cat.format("err.number_max", &[("max", &n.to_string())]),
        P::OtherMissing => cat.get("err.other_missing").to_owned(),
        P::Exclusive(opt) => {
            let kind = issue_kind(q, issue);
            let owner = issue_owner(q, issue);
            let label = kind
                .map(|k| option_label(cat, k, &owner, opt))
                .unwrap_or_else(|| opt.clone());
            cat.format("err.exclusive", &[("option", &label)])
        }
        P::UnknownOption(_) => cat.get("err.unknown_option").to_owned(),
        P::TooFewRows(n) => cat.format("err.too_few_rows", &[("min", &n.to_string())]),
        P::TooManyRows(n) => cat.format("err.too_many_rows", &[("max", &n.to_string())]),
        P::RequireOne { field, value } => {
            let label = field_label(cat, q, &issue.question, field);
            let owner = field_owner_of(q, &issue.question, field);
            let field_kind = q.question(&issue.question).and_then(|it| {
                q.fields(&it.question.kind)
                    .into_iter()
                    .find(|f| f.id == field)
                    .map(|f| &f.kind)
            });
            let value = field_kind
                .map(|k| option_label(cat, k, &owner, value))
                .unwrap_or_else(|| value.clone());
            cat.format("err.require_one", &[("field", &label), ("value", &value)])
        }
    }
}

fn issue_kind<'a>(q: &'a Questionnaire, issue: &crate::core::validate::Issue) -> Option<&'a Kind> {
    let question = q.question(&issue.question)?.question;
    match &issue.at {
        None => Some(&question.kind),
        Some((_, field)) => q
            .fields(&question.kind)
            .into_iter()
            .find(|f| f.id == field)
            .map(|f| &f.kind),
    }
}

fn issue_owner(q: &Questionnaire, issue: &crate::core::validate::Issue) -> String {
    match &issue.at {
        None => keys::question_owner(&issue.question),
        Some((_, field)) => field_owner_of(q, &issue.question, field),
    }
}
