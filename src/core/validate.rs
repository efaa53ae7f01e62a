//! Visibility, validation and progress: what is shown, what is wrong, what is left.
//!
//! Everything here is a pure function of the definition and the answers, so the UI recomputes it
//! from a snapshot and never keeps its own notion of "done".

use crate::core::answers::{Answer, Answers, IdSet, Row};
use crate::core::model::{Field, Kind, Questionnaire};

/// The ids of the questions shown for these answers.
///
/// Conditions only look at earlier questions (checked by [`Questionnaire::check`]), so one pass
/// in order decides everything, including chains of follow-ups.
pub fn visible(q: &Questionnaire, answers: &Answers) -> IdSet<&'static str> {
    let mut shown = IdSet::default();
    for it in q.questions() {
        let show = match &it.question.show_if {
            None => true,
            Some(cond) => cond.holds(answers, &|id| shown.contains(id)),
        };
        if show {
            shown.insert(it.question.id);
        }
    }
    shown
}

/// What is wrong, in a form the UI turns into a sentence in the user's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A required answer is missing.
    Required,
    /// Not a valid email address.
    Email,
    /// Not an http(s) web address; `line` is 1-based for URL lists.
    Url {
        line: Option<usize>,
    },
    /// Not a plausible phone number (digits, spaces, + - ( ) . and an optional extension).
    Phone,
    /// Not a real calendar date.
    Date,
    /// The period ends before it starts.
    PeriodOrder,
    /// Only one end of the period is given.
    PeriodIncomplete,
    /// Not a whole number.
    Number,
    NumberMin(i64),
    NumberMax(i64),
    /// "Other" is chosen but not specified.
    OtherMissing,
    /// An exclusive option ("none") is combined with others; holds the exclusive option id.
    Exclusive(String),
    /// A value that is not one of the question's options (from an edited or older draft).
    UnknownOption(String),
    TooFewRows(u32),
    TooManyRows(u32),
    /// No row has `field` set to `value` (e.g. no primary focal point).
    RequireOne {
        field: String,
        value: String,
    },
}

/// A problem and where it is: a question, or a field of one row of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub question: String,
    /// `(row index, field id)` for a problem inside a repeatable row.
    pub at: Option<(usize, String)>,
    pub problem: Problem,
}

/// The check of a typed answer's syntax: an address, a telephone number, a number.
/// [`validate`] uses [`check_typed`]. The browser's form passes it to [`validate_with`] only once
/// code that can write such answers is here (`ui::lazy`): no question of the first section
/// takes one, so a first visit goes without that code.
pub type TypedCheck = fn(&Kind, &Answer) -> Option<Problem>;

/// All problems of the visible questions, in questionnaire order: those of one question are
/// consecutive ([`of_question`] relies on it).
pub fn validate(q: &Questionnaire, answers: &Answers, shown: &IdSet<&str>) -> Vec<Issue> {
    validate_with(q, answers, shown, Some(check_typed))
}

/// [`validate`], with the syntax of typed answers checked by `typed` (`None`: not checked).
pub fn validate_with(
    q: &Questionnaire,
    answers: &Answers,
    shown: &IdSet<&str>,
    typed: Option<TypedCheck>,
) -> Vec<Issue> {
    let mut out = Vec::new();
    for it in q.questions() {
        let question = it.question;
        if !shown.contains(question.id) {
            continue;
        }
        let answer = answers.get(question.id);
        let answered = answer.is_some_and(Answer::is_answered);
        let mut push = |at: Option<(usize, String)>, problem| {
            out.push(Issue {
                question: question.id.to_owned(),
                at,
                problem,
            })
        };
        if !answered {
            if question.required {
                push(None, Problem::Required);
            }
            continue;
        }
        let answer = answer.expect("answered");
        if let Kind::Group {
            min,
            max,
            require_one,
            ..
        } = &question.kind
        {
            let rows = answer.rows();
            let fields = q.fields(&question.kind);
            for (idx, row) in rows.iter().enumerate() {
                for f in &fields {
                    for p in check_field(q, f, row, typed) {
                        push(Some((idx, f.id.to_owned())), p);
                    }
                }
            }
            if (rows.len() as u32) < *min {
                push(None, Problem::TooFewRows(*min));
            }
            if let Some(max) = max {
                if rows.len() as u32 > *max {
                    push(None, Problem::TooManyRows(*max));
                }
            }
            if let Some(rule) = require_one {
                let ok = rows.iter().any(|r| {
                    r.field(rule.field)
                        .is_some_and(|a| a.selected().iter().any(|s| s == rule.value))
                });
                if !ok {
                    push(
                        None,
                        Problem::RequireOne {
                            field: rule.field.to_owned(),
                            value: rule.value.to_owned(),
                        },
                    );
                }
            }
        } else {
            for p in check_value(q, &question.kind, answer, typed) {
                push(None, p);
            }
        }
    }
    out
}

/// The problems of one question in a list from [`validate`], where each question's are
/// consecutive (the questions in the definition's order, a group's rows in theirs).
pub fn of_question<'a>(all: &'a [Issue], question: &str) -> &'a [Issue] {
    let start = all
        .iter()
        .position(|i| i.question == question)
        .unwrap_or(all.len());
    let len = all[start..]
        .iter()
        .take_while(|i| i.question == question)
        .count();
    &all[start..start + len]
}

fn check_field(
    q: &Questionnaire,
    field: &Field,
    row: &Row,
    typed: Option<TypedCheck>,
) -> Vec<Problem> {
    match row.field(field.id) {
        Some(a) if a.is_answered() => check_value(q, &field.kind, a, typed),
        _ if field.required => vec![Problem::Required],
        _ => Vec::new(),
    }
}

/// Problems of one answered value against its kind.
fn check_value(
    q: &Questionnaire,
    kind: &Kind,
    answer: &Answer,
    typed: Option<TypedCheck>,
) -> Vec<Problem> {
    let mut out = Vec::new();
    match (kind, answer) {
        (Kind::Single { .. } | Kind::Multi { .. }, Answer::Choice { selected, other }) => {
            let options = q.options(kind);
            for s in selected {
                match options.iter().find(|o| o.id == s) {
                    None => out.push(Problem::UnknownOption(s.clone())),
                    Some(o) if o.other && other.trim().is_empty() => {
                        out.push(Problem::OtherMissing)
                    }
                    Some(o) if o.exclusive && selected.len() > 1 => {
                        out.push(Problem::Exclusive(o.id.to_owned()))
                    }
                    Some(_) => {}
                }
            }
            if matches!(kind, Kind::Single { .. }) && selected.len() > 1 {
                out.push(Problem::UnknownOption(selected.join(",")));
            }
        }
        (Kind::Period, Answer::Period { from, to }) => {
            if from.is_empty() || to.is_empty() {
                out.push(Problem::PeriodIncomplete);
            } else if !is_date(from) || !is_date(to) {
                out.push(Problem::Date);
            } else if to < from {
                // ISO dates compare correctly as strings.
                out.push(Problem::PeriodOrder);
            }
        }
        (
            Kind::Text
            | Kind::Long
            | Kind::Email
            | Kind::Url
            | Kind::Urls
            | Kind::Phone
            | Kind::Date,
            Answer::Text(_),
        )
        | (Kind::Number { .. }, Answer::Number { .. }) => {
            out.extend(typed.and_then(|check| check(kind, answer)))
        }
        (Kind::Confirm, Answer::Confirm(_)) => {}
        // A stored answer of the wrong shape (an edited draft): say so rather than guess.
        _ => out.push(Problem::UnknownOption(String::new())),
    }
    out
}

/// The syntax of a typed answer ([`TypedCheck`]): an address, a list of addresses, a telephone
/// number, a date, a number within its bounds. Free text has none.
pub fn check_typed(kind: &Kind, answer: &Answer) -> Option<Problem> {
    match (kind, answer) {
        (Kind::Email, Answer::Text(s)) if !is_email(s.trim()) => Some(Problem::Email),
        (Kind::Url, Answer::Text(s)) if !is_http_url(s.trim()) => Some(Problem::Url { line: None }),
        (Kind::Urls, Answer::Text(s)) => url_lines(s)
            .find(|(_, l)| !is_http_url(l))
            .map(|(line, _)| Problem::Url { line: Some(line) }),
        (Kind::Phone, Answer::Text(s)) if !is_phone(s.trim()) => Some(Problem::Phone),
        (Kind::Date, Answer::Text(s)) if !is_date(s.trim()) => Some(Problem::Date),
        (
            Kind::Number { min, max },
            Answer::Number {
                value,
                no_data: false,
            },
        ) => match value.trim().parse::<i64>() {
            Err(_) => Some(Problem::Number),
            Ok(n) if min.is_some_and(|m| n < m) => {
                Some(Problem::NumberMin(min.unwrap_or_default()))
            }
            Ok(n) if max.is_some_and(|m| n > m) => {
                Some(Problem::NumberMax(max.unwrap_or_default()))
            }
            Ok(_) => None,
        },
        _ => None,
    }
}

/// Non-blank lines of a URL list, with 1-based line numbers.
pub fn url_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
}

/// A character of a name in any script: an ASCII letter or digit, or any character beyond ASCII
/// but spaces, controls and the invisible ones that reorder or hide text (bidirectional
/// overrides, zero-width characters), which only serve to disguise an address or a file name.
/// Broader than `char::is_alphanumeric`, which refuses the combining marks some scripts write
/// words with (the virama of Devanagari, in `सम्पर्क`), and needs no Unicode tables of its own:
/// those were 2 KB of the form's wasm.
pub fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || (!c.is_ascii()
            && !c.is_whitespace()
            && !c.is_control()
            && !matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{206f}' | '\u{feff}'))
}

/// A practical email check: one `@`, a non-empty local part, a dotted domain, no spaces.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let label_ok = |l: &str| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| is_name_char(c) || c == '-')
    };
    !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| is_name_char(c) || "!#$%&'*+/=?^_`{|}~.-".contains(c))
        && domain.contains('.')
        && domain.split('.').all(label_ok)
}

/// An absolute `http` or `https` address with a host; nothing else becomes a link.
pub fn is_http_url(s: &str) -> bool {
    let rest = if let Some(r) = s.strip_prefix("https://") {
        r
    } else if let Some(r) = s.strip_prefix("http://") {
        r
    } else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or("");
    let host = host.split(':').next().unwrap_or("");
    // The usual address is ASCII: the same rules byte by byte, without decoding characters (the
    // checks run over every row's address on each keystroke).
    if s.is_ascii() {
        return !host.is_empty()
            && s.bytes().all(|b| b > b' ' && b != 0x7f)
            && host.split('.').all(|l| {
                !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            });
    }
    !host.is_empty()
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        && host
            .split('.')
            .all(|l| !l.is_empty() && l.chars().all(|c| is_name_char(c) || c == '-'))
}

/// Digits with the usual separators, an optional leading `+` and an optional extension;
/// between 6 and 20 digits in all.
pub fn is_phone(s: &str) -> bool {
    let (main, ext) = match s.to_ascii_lowercase().split_once("ext") {
        Some((m, e)) => (
            m.to_owned(),
            Some(e.trim_start_matches('.').trim().to_owned()),
        ),
        None => (s.to_owned(), None),
    };
    let main = main.trim();
    let body = main.strip_prefix('+').unwrap_or(main);
    let digits = body.chars().filter(char::is_ascii_digit).count();
    body.chars()
        .all(|c| c.is_ascii_digit() || " -().".contains(c))
        && (6..=20).contains(&digits)
        && ext
            .is_none_or(|e| !e.is_empty() && e.len() <= 6 && e.chars().all(|c| c.is_ascii_digit()))
}

/// A real calendar date written `YYYY-MM-DD`, years 1900 to 2199.
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| {
        s.get(r)
            .filter(|p| p.bytes().all(|c| c.is_ascii_digit()))?
            .parse::<u32>()
            .ok()
    };
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1900..2200).contains(&y) && (1..=days).contains(&d)
}

/// Progress of one section: required questions shown, and how many of them are answered
/// without problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    pub required: usize,
    pub done: usize,
    /// Visible questions (required or not) with at least one problem.
    pub with_problems: usize,
}

/// Per-section progress, in section order.
pub fn progress(
    q: &Questionnaire,
    shown: &IdSet<&str>,
    issues: &[Issue],
) -> Vec<(String, Progress)> {
    // Inserted one by one: `collect` into a set sorts first, one more copy of the generic sort.
    let mut failing = IdSet::default();
    for issue in issues {
        failing.insert(issue.question.as_str());
    }
    q.sections
        .iter()
        .map(|s| {
            let mut p = Progress::default();
            for question in s.questions.iter().filter(|q| shown.contains(q.id)) {
                let bad = failing.contains(question.id);
                if question.required {
                    p.required += 1;
                    p.done += usize::from(!bad);
                }
                p.with_problems += usize::from(bad);
            }
            (s.id.to_owned(), p)
        })
        .collect()
}

/// The questions still to answer or to correct, in order, once each.
pub fn open_questions(issues: &[Issue]) -> Vec<&str> {
    let mut seen = IdSet::default();
    issues
        .iter()
        .map(|i| i.question.as_str())
        .filter(|q| seen.insert(*q))
        .collect()
}

/// Required questions answered without problems, and required questions shown, over the whole
/// questionnaire (for the list of drafts).
pub fn completeness(q: &Questionnaire, answers: &Answers) -> (usize, usize) {
    let shown = visible(q, answers);
    let issues = validate(q, answers, &shown);
    progress(q, &shown, &issues)
        .iter()
        .fold((0, 0), |(d, r), (_, p)| (d + p.done, r + p.required))
}
