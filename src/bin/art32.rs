//! `art32`: checks signed Article 32 submissions (format: `docs/submission-format.md`).
//!
//! ```text
//! art32 verify FILE...   one line per file: OK or FAIL with the reason; exit 1 if any fails
//! art32 summary FILE     what one submission says, with its key id grouped for reading aloud
//! art32 csv FILE...      the answers of every valid submission as CSV on standard output
//! ```
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

    use untoc_art32::core::model::Questionnaire;
    use untoc_art32::core::submission::{
        answered_per_section, group_key_id, items, verify, Verified, VerifyError,
        MAX_SUBMISSION_BYTES,
    };

    const USAGE: &str = "\
usage: art32 verify FILE...   check each signed submission: one OK or FAIL line per file
       art32 summary FILE     show what a signed submission says
       art32 csv FILE...      write the answers of the valid submissions as CSV to standard output

Exit status: 0 if every file is a valid submission, 1 if any is not, 2 on wrong usage.
Format: docs/submission-format.md";

    /// Runs one command; returns the exit code.
    pub fn run(args: &[OsString], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
        let command = args.first().and_then(|a| a.to_str()).unwrap_or("");
        let files: Vec<&Path> = args.iter().skip(1).map(Path::new).collect();
        let result = match command {
            "verify" if !files.is_empty() => verify_files(&files, out),
            "summary" if files.len() == 1 => summary(files[0], out),
            "csv" if !files.is_empty() => csv(&files, out),
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

    /// Reads and verifies one file; the error is the sentence to show.
    fn check(path: &Path) -> Result<Verified, String> {
        let file = File::open(path).map_err(|e| format!("cannot read the file: {e}"))?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        let mut bytes = Vec::new();
        // Never read more than the limit, whatever the file's size.
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
        verify(&bytes).map_err(|e| e.to_string())
    }

    fn verify_files(files: &[&Path], out: &mut dyn Write) -> io::Result<bool> {
        let mut all_ok = true;
        for path in files {
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
