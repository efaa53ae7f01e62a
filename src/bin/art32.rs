//! `art32`: checks signed Article 32 submissions (format: `docs/submission-format.md`).
//!
//! ```text
//! art32 verify FILE...   one line per file: OK or FAIL with the reason; exit 1 if any fails
//! art32 summary FILE     what one submission says, with its key id grouped for reading aloud
//! art32 csv FILE...      the answers of every valid submission as CSV on standard output
//! art32 merge DRAFT PART [-o OUT]
//!                        merge a hand-off part into the draft that handed it out
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
    use untoc_art32::core::draft::{Draft, Kept, Opened};
    use untoc_art32::core::handoff::merge::Outcome;
    use untoc_art32::core::handoff::{
        Book, DraftHandoff, Part, Request, PART_FORMAT, REQUEST_FORMAT,
    };
    use untoc_art32::core::model::Questionnaire;
    use untoc_art32::core::submission::{
        answered_per_section, group_key_id, items, verify, Verified, VerifyError,
        MAX_SUBMISSION_BYTES,
    };

    const USAGE: &str = "\
usage: art32 verify FILE...   check each signed submission: one OK or FAIL line per file
       art32 summary FILE     show what a signed submission says
       art32 csv FILE...      write the answers of the valid submissions as CSV to standard output
       art32 merge DRAFT PART [-o OUT]
                              merge a hand-off part into the draft file that handed it out:
                              print what would change, and with -o write the merged draft

Exit status: 0 if every file is valid (merge: the part is merged, or could be), 1 if any is not,
2 on wrong usage.
Formats: docs/submission-format.md, docs/handoff-format.md";

    /// Runs one command; returns the exit code.
    pub fn run(args: &[OsString], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
        let command = args.first().and_then(|a| a.to_str()).unwrap_or("");
        let files: Vec<&Path> = args.iter().skip(1).map(Path::new).collect();
        let result = match command {
            "verify" if !files.is_empty() => verify_files(&files, out),
            "summary" if files.len() == 1 => summary(files[0], out),
            "csv" if !files.is_empty() => csv(&files, out),
            "merge" if files.len() == 2 => merge(files[0], files[1], None, out),
            "merge" if files.len() == 4 && args[3] == "-o" => {
                merge(files[0], files[1], Some(files[3]), out)
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
        match result.and_then(|ok| out.flush().map(|()| ok)) {
            Ok(true) => 0,
            Ok(false) => 1,
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
            Some(Ok(DraftHandoff::Book(book))) => book,
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
}
