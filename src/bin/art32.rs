//! `art32`: checks signed Article 32 submissions (format: `docs/submission-format.md`).
//!
//! ```text
//! art32 verify FILE...   one line per file: OK or FAIL with the reason; exit 1 if any fails
//! art32 summary FILE     what one submission says, with its key id grouped for reading aloud
//! art32 csv FILE...      the answers of every valid submission as CSV on standard output
//! art32 merge DRAFT PART [-o OUT]
//!                        merge a hand-off part into the draft that handed it out
//! art32 diff OLD NEW [--json]
//!                        what changed between two submissions of a State
//! art32 verify --trust LIST [--secretariat KEY_ID] FILE...
//!                        also say whether each file's key is registered to its State
//! art32 trust keygen|init|add|revoke|sign|show ...
//!                        the secretariat's list of registered keys (docs/trust-list.md)
//! ```
//!
//! `verify` also checks hand-off requests and parts (`docs/handoff-format.md`).
//!
//! Exit codes: 0 every file valid, 1 at least one file invalid or unreadable, 2 wrong usage or
//! output that could not be written.

#[cfg(target_arch = "wasm32")]
fn main() {
    println!("art32 is a command-line tool: build and run it natively, e.g. `cargo run --bin art32 -- verify reply.json`.");
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    let code = cli::run(&args, &mut std::io::stdout().lock(), &mut std::io::stderr());
    std::process::exit(code);
}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use std::ffi::OsString;
    use std::fs::File;
    use std::io::{self, Read, Write};
    use std::path::Path;

    use sha2::{Digest, Sha256};
    use untoc_art32::core::answers::{Answer, Answers};
    use untoc_art32::core::cycle::{carry, Carried, Previous};
    use untoc_art32::core::diff;
    use untoc_art32::core::draft::{Draft, Kept, Opened};
    use untoc_art32::core::handoff::merge::Outcome;
    use untoc_art32::core::handoff::{
        Book, DraftHandoff, Part, Request, PART_FORMAT, REQUEST_FORMAT,
    };
    use untoc_art32::core::model::Questionnaire;
    use untoc_art32::core::submission::{
        answered_per_section, extras, group_key_id, items, verify, Verified, VerifyError,
        MAX_SUBMISSION_BYTES,
    };
    use untoc_art32::core::versions::SetApart;

    const USAGE: &str = "\
usage: art32 verify FILE...   check each signed submission: one OK or FAIL line per file
       art32 summary FILE     show what a signed submission says
       art32 csv FILE...      write the answers of the valid submissions as CSV to standard output
       art32 merge DRAFT PART [-o OUT]
                              merge a hand-off part into the draft file that handed it out:
                              print what would change, and with -o write the merged draft
       art32 diff OLD NEW [--json]
                              what changed from one signed submission to the next (both checked),
                              and whether NEW declares OLD as its previous reply; --json for tools
       art32 verify --trust LIST [--secretariat KEY_ID] FILE...
                              check each submission and whether its key is registered to its
                              State by the signed list (signed by KEY_ID, if given)
       art32 trust keygen KEY_FILE             make the secretariat's key (keep it secret)
       art32 trust init [--list FILE]           start an empty list (default trust-list.json)
       art32 trust add STATE KEY_ID --since DATE [--list FILE]
       art32 trust revoke KEY_ID --reason rotated|lost|withdrawn --since DATE [--list FILE]
       art32 trust sign --key KEY_FILE [--list FILE] [-o SIGNED]
       art32 trust show [FILE]                  what a list says, and who signed it

Exit status: 0 if every file is valid (merge: the part is merged, or could be; verify --trust:
and registered to its State), 3 if every file is valid but some key is not registered to its
State, 1 if any file is invalid, 2 on wrong usage.
Formats: docs/submission-format.md, docs/handoff-format.md, docs/trust-list.md";

    /// Runs one command; returns the exit code.
    pub fn run(args: &[OsString], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
        let command = args.first().and_then(|a| a.to_str()).unwrap_or("");
        let files: Vec<&Path> = args.iter().skip(1).map(Path::new).collect();
        if command == "trust" {
            let code = trust::run(&args[1..], out);
            return finish(code, out, err);
        }
        if command == "verify" && args.get(1).and_then(|a| a.to_str()) == Some("--trust") {
            let code = trust::verify(&args[1..], out);
            return finish(code, out, err);
        }
        let result = match command {
            "verify" if !files.is_empty() => verify_files(&files, out),
            "summary" if files.len() == 1 => summary(files[0], out),
            "csv" if !files.is_empty() => csv(&files, out),
            "merge" if files.len() == 2 => merge(files[0], files[1], None, out),
            "merge" if files.len() == 4 && args[3] == "-o" => {
                merge(files[0], files[1], Some(files[3]), out)
            }
            "diff" if files.len() == 2 => diff(files[0], files[1], false, out),
            "diff" if files.len() == 3 && args[3] == "--json" => {
                diff(files[0], files[1], true, out)
            }
            "help" | "-h" | "--help" => writeln!(out, "{USAGE}").map(|()| true),
            "--version" | "-V" => {
                writeln!(out, "art32 {}", env!("CARGO_PKG_VERSION")).map(|()| true)
            }
            _ => {
                let _ = writeln!(err, "{USAGE}");
                return 2;
            }
        };
        finish(result.map(|ok| if ok { 0 } else { 1 }), out, err)
    }

    /// The exit code of a command's result: its own, 2 if the output could not be written.
    fn finish(result: io::Result<i32>, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
        match result.and_then(|code| out.flush().map(|()| code)) {
            Ok(code) => code,
            // The reader went away (`art32 csv ... | head`): nothing to say, the output is cut.
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => 2,
            Err(e) => {
                let _ = writeln!(err, "art32: cannot write the output: {e}");
                2
            }
        }
    }

    /// Reads a file, never more than the limit, whatever its size.
    fn read_limited(path: &Path) -> Result<Vec<u8>, String> {
        let file = File::open(path).map_err(|e| format!("cannot read the file: {e}"))?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        let mut bytes = Vec::new();
        file.take(MAX_SUBMISSION_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read the file: {e}"))?;
        if bytes.len() > MAX_SUBMISSION_BYTES {
            let size = usize::try_from(size).unwrap_or(usize::MAX).max(bytes.len());
            return Err(VerifyError::TooLarge {
                size,
                limit: MAX_SUBMISSION_BYTES,
            }
            .to_string());
        }
        Ok(bytes)
    }

    /// The `format` a file declares, if it is a JSON object that has one (to tell hand-off files
    /// from submissions before checking either).
    fn declared_format(bytes: &[u8]) -> Option<String> {
        #[derive(serde::Deserialize)]
        struct Head {
            format: Option<String>,
        }
        serde_json::from_slice::<Head>(bytes).ok()?.format
    }

    /// A hand-off request or part, checked: the line `verify` prints for it.
    fn check_handoff(bytes: &[u8], format: &str) -> Result<String, String> {
        let q = Questionnaire::builtin();
        if format == REQUEST_FORMAT {
            let (r, s) = Request::read(q, bytes).map_err(|e| e.to_string())?;
            Ok(format!(
                "hand-off request {} of reply {} to {:?}, {} questions, key_id={} signed_at={}",
                r.handoff,
                r.reply,
                r.to.label,
                r.questions.len(),
                s.key_id,
                s.signed_at
            ))
        } else {
            let (p, s) = Part::read(q, bytes).map_err(|e| e.to_string())?;
            Ok(format!(
                "hand-off part {} of reply {} from {:?}, {} answers, key_id={} signed_at={}",
                p.handoff,
                p.reply,
                p.contributor,
                p.answers.0.len(),
                s.key_id,
                s.signed_at
            ))
        }
    }

    /// Reads and verifies one file; the error is the sentence to show.
    fn check(path: &Path) -> Result<Verified, String> {
        verify(&read_limited(path)?).map_err(|e| e.to_string())
    }

    fn verify_files(files: &[&Path], out: &mut dyn Write) -> io::Result<bool> {
        let mut all_ok = true;
        for path in files {
            let handoff = read_limited(path).ok().and_then(|bytes| {
                let format = declared_format(&bytes)?;
                [REQUEST_FORMAT, PART_FORMAT]
                    .contains(&format.as_str())
                    .then(|| check_handoff(&bytes, &format))
            });
            match handoff {
                Some(Ok(line)) => {
                    writeln!(out, "OK {} {line}", path.display())?;
                    continue;
                }
                Some(Err(reason)) => {
                    all_ok = false;
                    writeln!(out, "FAIL {}: {reason}", path.display())?;
                    continue;
                }
                None => {}
            }
            match check(path) {
                Ok(v) => writeln!(
                    out,
                    "OK {} state={} key_id={} signed_at={}",
                    path.display(),
                    v.state,
                    v.key_id,
                    v.signed_at
                )?,
                Err(reason) => {
                    all_ok = false;
                    writeln!(out, "FAIL {}: {reason}", path.display())?;
                }
            }
        }
        Ok(all_ok)
    }

    /// A submission checked for `diff`: what it says, its SHA-256, its answers carried to this
    /// questionnaire version, and what the versions between could not carry.
    struct Compared {
        v: Verified,
        previous: Option<Previous>,
        answers: Answers,
        set_apart: Vec<SetApart>,
    }

    fn compared(path: &Path) -> Result<Compared, String> {
        let q = Questionnaire::builtin();
        let bytes = read_limited(path)?;
        let v = verify(&bytes).map_err(|e| e.to_string())?;
        let previous = extras(&bytes, &v).map_err(|e| e.to_string())?.previous;
        let Carried {
            answers, set_apart, ..
        } = carry(q, &v).map_err(|e| e.to_string())?;
        Ok(Compared {
            v,
            previous,
            answers,
            set_apart,
        })
    }

    /// An answer in a few words, as the text output shows it.
    fn said(a: &Answer) -> String {
        match a {
            Answer::Text(t) => t.clone(),
            Answer::Choice { selected, other } if other.is_empty() => selected.join(", "),
            Answer::Choice { selected, other } => format!("{} ({other})", selected.join(", ")),
            Answer::Number { no_data: true, .. } => "no data".to_owned(),
            Answer::Number { value, .. } => value.clone(),
            Answer::Period { from, to } => format!("{from} to {to}"),
            Answer::Confirm(yes) => if *yes { "confirmed" } else { "not confirmed" }.to_owned(),
            Answer::Rows(rows) => format!("{} rows", rows.len()),
        }
    }

    /// Positions from 0, shown from 1.
    fn row_list(rows: impl Iterator<Item = usize>) -> String {
        rows.map(|r| (r + 1).to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// What changed from `old` to `new`, both verified; `false` if either is not a valid
    /// submission (each such file gets a FAIL line).
    fn diff(old: &Path, new: &Path, json: bool, out: &mut dyn Write) -> io::Result<bool> {
        let q = Questionnaire::builtin();
        let (a, b) = match (compared(old), compared(new)) {
            (Ok(a), Ok(b)) => (a, b),
            (a, b) => {
                for (path, r) in [(old, a.err()), (new, b.err())] {
                    if let Some(reason) = r {
                        writeln!(out, "FAIL {}: {reason}", path.display())?;
                    }
                }
                return Ok(false);
            }
        };
        let changes = diff::diff(q, &a.answers, &b.answers);
        let declares = b.previous.as_ref().map(|p| p.sha256 == a.v.sha256);
        if json {
            let side = |path: &Path, c: &Compared| {
                serde_json::json!({
                    "file": path.display().to_string(),
                    "sha256": c.v.sha256,
                    "state": c.v.state,
                    "key_id": c.v.key_id,
                    "signed_at": c.v.signed_at,
                    "questionnaire_version": c.v.questionnaire_version,
                    "set_apart": c.set_apart,
                })
            };
            let doc = serde_json::json!({
                "old": side(old, &a),
                "new": side(new, &b),
                "new_declares_old_as_previous": declares == Some(true),
                "changes": changes,
            });
            let text = serde_json::to_string_pretty(&doc).expect("a diff serializes");
            writeln!(out, "{text}")?;
            return Ok(true);
        }
        for (name, path, c) in [("OLD", old, &a), ("NEW", new, &b)] {
            writeln!(
                out,
                "{name} {}: valid, {} signed_at={} key_id={} questionnaire version {}",
                path.display(),
                c.v.state,
                c.v.signed_at,
                c.v.key_id,
                c.v.questionnaire_version
            )?;
        }
        if a.v.state != b.v.state {
            writeln!(out, "The two files are replies of different States.")?;
        }
        match (declares, &b.previous) {
            (Some(true), _) => writeln!(out, "NEW declares OLD as its previous reply.")?,
            (Some(false), Some(p)) => writeln!(
                out,
                "NEW declares another file as its previous reply (sha256 {}, signed_at {}).",
                p.sha256, p.signed_at
            )?,
            _ => writeln!(out, "NEW declares no previous reply.")?,
        }
        for s in &a.set_apart {
            writeln!(
                out,
                "OLD {}: no longer asked since version {} ({})",
                s.question,
                s.version + 1,
                said(&s.answer)
            )?;
        }
        if changes.is_empty() {
            writeln!(out, "No answer changed.")?;
            return Ok(true);
        }
        let mut section = "";
        for c in &changes {
            if c.section != section {
                section = c.section;
                writeln!(out, "\nSection {section}")?;
            }
            match &c.change {
                diff::Change::Added { new } => {
                    writeln!(out, "  {} answered: {}", c.question, said(new))?
                }
                diff::Change::Removed { old } => writeln!(
                    out,
                    "  {} no longer answered (was: {})",
                    c.question,
                    said(old)
                )?,
                diff::Change::Changed {
                    old,
                    new,
                    words,
                    rows,
                } => {
                    if let Some(r) = rows {
                        writeln!(
                            out,
                            "  {} rows: {} before, {} now; added {}; removed {}; changed {}",
                            c.question,
                            said(old),
                            said(new),
                            if r.added.is_empty() {
                                "none".to_owned()
                            } else {
                                row_list(r.added.iter().copied())
                            },
                            if r.removed.is_empty() {
                                "none".to_owned()
                            } else {
                                row_list(r.removed.iter().copied())
                            },
                            if r.changed.is_empty() {
                                "none".to_owned()
                            } else {
                                row_list(r.changed.iter().map(|p| p.1))
                            },
                        )?;
                    } else if !words.is_empty() {
                        // As `git diff --word-diff` marks it: [-removed-]{+added+}.
                        let marked: String = words
                            .iter()
                            .map(|w| match w {
                                diff::Words::Same(s) => s.clone(),
                                diff::Words::Removed(s) => format!("[-{s}-]"),
                                diff::Words::Added(s) => format!("{{+{s}+}}"),
                            })
                            .collect();
                        writeln!(out, "  {} changed: {marked}", c.question)?;
                    } else {
                        writeln!(
                            out,
                            "  {} changed: {} -> {}",
                            c.question,
                            said(old),
                            said(new)
                        )?;
                    }
                }
            }
        }
        writeln!(out, "\n{} questions changed.", changes.len())?;
        Ok(true)
    }

    /// Merges a part into a draft file that handed it out; prints the outcome of each question,
    /// and with `to`, writes the merged draft there (never over either input).
    fn merge(
        draft: &Path,
        part: &Path,
        to: Option<&Path>,
        out: &mut dyn Write,
    ) -> io::Result<bool> {
        let q = Questionnaire::builtin();
        let fail = |out: &mut dyn Write, what: &Path, why: &str| {
            writeln!(out, "FAIL {}: {why}", what.display()).map(|()| false)
        };
        let text = match read_limited(draft)
            .and_then(|b| String::from_utf8(b).map_err(|e| e.to_string()))
        {
            Ok(t) => t,
            Err(why) => return fail(out, draft, &why),
        };
        let mut d = match Draft::open(q, &text) {
            Ok(Opened::Current(d)) => d,
            Ok(Opened::Newer(d)) => {
                return fail(
                    out,
                    draft,
                    &format!(
                        "written for version {} of the questionnaire, newer than this tool's",
                        d.version
                    ),
                )
            }
            Err(e) => {
                return fail(
                    out,
                    draft,
                    &format!("not a draft of this questionnaire ({e:?})"),
                )
            }
        };
        let book: Book = match d.handoff.as_ref().map(|k| serde_json::from_str(k.get())) {
            Some(Ok(DraftHandoff::Book(mut book))) => {
                book.migrate(q);
                book
            }
            Some(Ok(DraftHandoff::PartOf(_))) => {
                return fail(
                    out,
                    draft,
                    "this is a contributor's draft: it merges no part",
                )
            }
            Some(Err(e)) => {
                return fail(out, draft, &format!("its hand-offs cannot be read ({e})"))
            }
            None => return fail(out, draft, "this draft handed nothing out"),
        };
        let bytes = match read_limited(part) {
            Ok(b) => b,
            Err(why) => return fail(out, part, &why),
        };
        let (p, signer) = match Part::read(q, &bytes) {
            Ok(x) => x,
            Err(e) => return fail(out, part, &e.to_string()),
        };
        let digest: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let plan = match book.plan(&d.id, &d.answers, &p, &signer, &digest) {
            Ok(plan) => plan,
            Err(refusal) => return fail(out, part, &refusal.to_string()),
        };
        let (taken, kept, conflicts) = plan.merged.counts();
        writeln!(
            out,
            "OK {}: from {:?} (key_id={}): {taken} taken, {kept} kept, {conflicts} in conflict",
            part.display(),
            p.contributor,
            signer.key_id
        )?;
        for (id, outcome) in &plan.merged.outcomes {
            let word = match outcome {
                Outcome::Taken => "taken",
                Outcome::Kept => "kept",
                Outcome::Conflict(_) => "CONFLICT (the draft keeps its answer; choose in the app)",
            };
            writeln!(out, "  {id:<5} {word}")?;
        }
        let Some(to) = to else { return Ok(true) };
        if to == draft || to == part {
            writeln!(
                out,
                "FAIL {}: the merged draft is not written over an input",
                to.display()
            )?;
            return Ok(false);
        }
        d.answers = plan.merged.answers;
        d.handoff = Kept::new(
            serde_json::to_string(&DraftHandoff::Book(plan.book)).expect("a book serializes"),
        );
        d.revision += 1;
        std::fs::write(to, d.to_json())?;
        writeln!(out, "wrote {}", to.display())?;
        Ok(true)
    }

    fn summary(path: &Path, out: &mut dyn Write) -> io::Result<bool> {
        let v = match check(path) {
            Ok(v) => v,
            Err(reason) => {
                writeln!(out, "FAIL {}: {reason}", path.display())?;
                return Ok(false);
            }
        };
        let q = Questionnaire::builtin();
        writeln!(out, "OK {}", path.display())?;
        writeln!(out, "State:          {}", v.state)?;
        writeln!(out, "Language:       {}", v.language)?;
        writeln!(
            out,
            "Questionnaire:  {} version {}",
            v.questionnaire_id, v.questionnaire_version
        )?;
        writeln!(out, "Key id:         {}", group_key_id(&v.key_id))?;
        writeln!(out, "Signed at:      {}", v.signed_at)?;
        writeln!(out, "Generated at:   {}", v.generated_at)?;
        writeln!(out, "App version:    {}", v.app_version)?;
        writeln!(out, "Answers:        {}", v.answers.len())?;
        let (per_section, unknown) = answered_per_section(q, &v);
        writeln!(out, "Answered questions per section:")?;
        for (section, n) in per_section {
            writeln!(out, "  {section:<3} {n:>3}")?;
        }
        if unknown > 0 {
            writeln!(
                out,
                "  not in this app's questionnaire (version {}): {unknown}",
                q.version
            )?;
        }
        Ok(true)
    }

    fn csv(files: &[&Path], out: &mut dyn Write) -> io::Result<bool> {
        let q = Questionnaire::builtin();
        let mut all_ok = true;
        row(
            out,
            &[
                "file",
                "state",
                "key_id",
                "signed_at",
                "valid",
                "section",
                "question",
                "value",
            ],
        )?;
        for path in files {
            let file = path.display().to_string();
            match check(path) {
                Ok(v) => {
                    let signed_at = v.signed_at.to_string();
                    for item in items(q, &v) {
                        row(
                            out,
                            &[
                                &file,
                                &v.state,
                                &v.key_id,
                                &signed_at,
                                "true",
                                &item.section,
                                &item.question,
                                &item.value,
                            ],
                        )?;
                    }
                }
                Err(reason) => {
                    all_ok = false;
                    row(out, &[&file, "", "", "", "false", "", "", &reason])?;
                }
            }
        }
        Ok(all_ok)
    }

    /// One CSV record (RFC 4180): fields holding a comma, a quote or a line break are quoted,
    /// quotes doubled; records end with CRLF.
    ///
    /// A field that a spreadsheet would take for a formula (it starts with `=`, `+`, `-`, `@`, a
    /// tab or a carriage return) gets a leading `'`, as OWASP advises: answers come from outside
    /// and reviewers open this file in spreadsheets.
    fn row(out: &mut dyn Write, fields: &[&str]) -> io::Result<()> {
        let line: Vec<String> = fields
            .iter()
            .map(|f| {
                let f = if f.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                    format!("'{f}")
                } else {
                    (*f).to_owned()
                };
                if f.contains([',', '"', '\n', '\r']) {
                    format!("\"{}\"", f.replace('"', "\"\""))
                } else {
                    f
                }
            })
            .collect();
        write!(out, "{}\r\n", line.join(","))
    }

    /// `art32 trust ...` and `art32 verify --trust ...` (`docs/trust-list.md`).
    mod trust {
        use std::ffi::OsString;
        use std::io::{self, Write};
        use std::path::Path;

        use untoc_art32::core::submission::{
            extras, key_id, public_key, sign_document, verify as verify_submission, Timestamp,
        };
        use untoc_art32::core::trust::{standing, Reason, TrustList};
        use untoc_art32::core::validate::is_date;

        use super::read_limited;

        const DEFAULT_LIST: &str = "trust-list.json";

        /// Splits `--name value` options from the positional arguments.
        fn options(args: &[OsString]) -> Option<(Vec<String>, Vec<(String, String)>)> {
            let mut positional = Vec::new();
            let mut named = Vec::new();
            let mut it = args.iter().map(|a| a.to_str().map(str::to_owned));
            while let Some(a) = it.next() {
                let a = a?;
                if a.starts_with('-') && a.len() > 1 {
                    named.push((a, it.next()??));
                } else {
                    positional.push(a);
                }
            }
            Some((positional, named))
        }

        fn named<'a>(named: &'a [(String, String)], name: &str) -> Option<&'a str> {
            named
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        }

        fn usage(out: &mut dyn Write) -> io::Result<i32> {
            writeln!(out, "usage: see `art32 help` (art32 trust ...)")?;
            Ok(2)
        }

        fn fail(out: &mut dyn Write, why: &str) -> io::Result<i32> {
            writeln!(out, "FAIL {why}")?;
            Ok(1)
        }

        fn today() -> Timestamp {
            let secs = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            Timestamp::from_unix_seconds(i64::try_from(secs).unwrap_or(0))
                .expect("the clock is between 1970 and 2199")
        }

        fn load(path: &str) -> Result<TrustList, String> {
            let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
            TrustList::from_editable(&text).map_err(|e| format!("{path}: {e}"))
        }

        fn save(path: &str, list: &TrustList) -> io::Result<()> {
            std::fs::write(path, list.to_editable())
        }

        fn read_secret(path: &str) -> Result<[u8; 32], String> {
            let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
            let text = text.trim();
            let bytes: Option<Vec<u8>> = (text.len() == 64)
                .then(|| {
                    (0..32)
                        .map(|i| u8::from_str_radix(text.get(i * 2..i * 2 + 2)?, 16).ok())
                        .collect()
                })
                .flatten();
            bytes
                .and_then(|b| <[u8; 32]>::try_from(b).ok())
                .ok_or_else(|| format!("{path}: not a key file (64 hexadecimal digits)"))
        }

        pub fn run(args: &[OsString], out: &mut dyn Write) -> io::Result<i32> {
            let Some((pos, opts)) = options(args) else {
                return usage(out);
            };
            let list_path = named(&opts, "--list").unwrap_or(DEFAULT_LIST).to_owned();
            match pos
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .as_slice()
            {
                ["keygen", file] => {
                    let mut secret = [0u8; 32];
                    if getrandom::getrandom(&mut secret).is_err() {
                        return fail(out, "no random numbers from the system");
                    }
                    if Path::new(file).exists() {
                        return fail(out, &format!("{file} exists: a key is never overwritten"));
                    }
                    let hex: String = secret.iter().map(|b| format!("{b:02x}")).collect();
                    write_private(file, &(hex + "\n"))?;
                    writeln!(out, "wrote {file}; key_id={}", key_id(&public_key(&secret)))?;
                    Ok(0)
                }
                ["init"] => {
                    if Path::new(&list_path).exists() {
                        return fail(out, &format!("{list_path} exists"));
                    }
                    save(&list_path, &TrustList::default())?;
                    writeln!(out, "wrote {list_path}")?;
                    Ok(0)
                }
                ["add", state, key] => {
                    let Some(since) = named(&opts, "--since").filter(|d| is_date(d)) else {
                        return usage(out);
                    };
                    let mut list = match load(&list_path) {
                        Ok(l) => l,
                        Err(e) => return fail(out, &e),
                    };
                    if let Err(e) = list.add(state, key, since) {
                        return fail(out, &e.to_string());
                    }
                    save(&list_path, &list)?;
                    writeln!(out, "{state}: {key} registered from {since}")?;
                    Ok(0)
                }
                ["revoke", key] => {
                    let reason = match named(&opts, "--reason") {
                        Some("rotated") => Reason::Rotated,
                        Some("lost") => Reason::Lost,
                        Some("withdrawn") => Reason::Withdrawn,
                        _ => return usage(out),
                    };
                    let Some(since) = named(&opts, "--since").filter(|d| is_date(d)) else {
                        return usage(out);
                    };
                    let mut list = match load(&list_path) {
                        Ok(l) => l,
                        Err(e) => return fail(out, &e),
                    };
                    match list.revoke(key, reason, since) {
                        Ok(true) => {}
                        Ok(false) => {
                            return fail(out, &format!("{key} is not registered, or ended already"))
                        }
                        Err(e) => return fail(out, &e.to_string()),
                    }
                    save(&list_path, &list)?;
                    writeln!(out, "{key}: ended from {since} ({reason:?})")?;
                    Ok(0)
                }
                ["sign"] => {
                    let Some(key_file) = named(&opts, "--key") else {
                        return usage(out);
                    };
                    let secret = match read_secret(key_file) {
                        Ok(s) => s,
                        Err(e) => return fail(out, &e),
                    };
                    let mut list = match load(&list_path) {
                        Ok(l) => l,
                        Err(e) => return fail(out, &e),
                    };
                    let now = today();
                    list.sequence += 1;
                    list.issued_at = Some(now.clone());
                    let signed = sign_document(&list.to_document(), &secret, &now);
                    let to = named(&opts, "-o").unwrap_or("trust-list.signed.json");
                    std::fs::write(to, signed)?;
                    // The edited list keeps the sequence, so the next signing goes on from it.
                    list.issued_at = None;
                    save(&list_path, &list)?;
                    writeln!(
                        out,
                        "wrote {to}: list {} signed by key_id={}",
                        list.sequence,
                        key_id(&public_key(&secret))
                    )?;
                    Ok(0)
                }
                ["show"] | ["show", _] => {
                    let path = pos.get(1).map_or(list_path.as_str(), String::as_str);
                    let bytes = match read_limited(Path::new(path)) {
                        Ok(b) => b,
                        Err(e) => return fail(out, &format!("{path}: {e}")),
                    };
                    let (list, signer) = match TrustList::read(&bytes, None) {
                        Ok((l, s)) => (l, Some(s)),
                        Err(signed_error) => match std::str::from_utf8(&bytes)
                            .ok()
                            .map(TrustList::from_editable)
                        {
                            Some(Ok(l)) => (l, None),
                            _ => return fail(out, &format!("{path}: {signed_error}")),
                        },
                    };
                    match &signer {
                        Some(s) => writeln!(
                            out,
                            "list {} signed at {} by key_id={}",
                            list.sequence, s.signed_at, s.key_id
                        )?,
                        None => writeln!(out, "list {} (not signed)", list.sequence)?,
                    }
                    for (state, regs) in &list.states {
                        for r in regs {
                            match &r.ended {
                                None => writeln!(out, "{state} {} from {}", r.key_id, r.since)?,
                                Some(e) => writeln!(
                                    out,
                                    "{state} {} from {} to {} ({:?})",
                                    r.key_id, r.since, e.since, e.reason
                                )?,
                            }
                        }
                    }
                    Ok(0)
                }
                _ => usage(out),
            }
        }

        /// `verify --trust LIST [--secretariat KEY_ID] FILE...`: 0 all registered, 3 all valid
        /// but some not registered, 1 any invalid.
        pub fn verify(args: &[OsString], out: &mut dyn Write) -> io::Result<i32> {
            let Some((files, opts)) = options(args) else {
                return usage(out);
            };
            let (Some(list_path), false) = (named(&opts, "--trust"), files.is_empty()) else {
                return usage(out);
            };
            let bytes = match read_limited(Path::new(list_path)) {
                Ok(b) => b,
                Err(e) => return fail(out, &format!("{list_path}: {e}")),
            };
            let (list, signer) = match TrustList::read(&bytes, named(&opts, "--secretariat")) {
                Ok(x) => x,
                Err(e) => return fail(out, &format!("{list_path}: {e}")),
            };
            let pinned = if named(&opts, "--secretariat").is_some() {
                ""
            } else {
                " (not checked against a known secretariat key)"
            };
            writeln!(
                out,
                "list {} of {} signed by key_id={}{pinned}",
                list.sequence, signer.signed_at, signer.key_id
            )?;
            let mut code = 0;
            for file in &files {
                let checked = read_limited(Path::new(file)).and_then(|b| {
                    let v = verify_submission(&b).map_err(|e| e.to_string())?;
                    let x = extras(&b, &v).map_err(|e| e.to_string())?;
                    Ok((v, x))
                });
                let (v, x) = match checked {
                    Ok(vx) => vx,
                    Err(e) => {
                        writeln!(out, "INVALID {file}: {e}")?;
                        code = 1;
                        continue;
                    }
                };
                let s = standing(&list, &v.state, &v.key_id, &v.signed_at, &x.rotations);
                if s.is_registered() {
                    writeln!(
                        out,
                        "REGISTERED {file} state={} key_id={}: {s}",
                        v.state, v.key_id
                    )?;
                } else {
                    writeln!(
                        out,
                        "UNREGISTERED {file} state={} key_id={}: {s}",
                        v.state, v.key_id
                    )?;
                    if code == 0 {
                        code = 3;
                    }
                }
            }
            Ok(code)
        }

        /// Writes a secret: readable by its owner only, where the system has such permissions.
        fn write_private(path: &str, text: &str) -> io::Result<()> {
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o600);
            }
            options.open(path)?.write_all(text.as_bytes())
        }
    }
}
