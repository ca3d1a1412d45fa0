//! `repair validate` and `repair protocols`.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::journal;
use crate::protocol;
use crate::sanitize;

/// `repair validate FILE...`: every problem, one per line, on stderr.
pub fn validate(files: &[PathBuf]) -> u8 {
    let mut ok = true;
    for file in files {
        if let Err(error) = protocol::load_file(file) {
            ok = false;
            for problem in &error.problems {
                eprintln!("{problem}");
            }
        }
    }
    u8::from(!ok)
}

/// `repair protocols`: the built-in one, then the data dir's, errors shown.
pub fn list(data_dir: Option<&Path>) -> Result<u8, Error> {
    let dir = journal::data_dir(data_dir).ok();
    let mut out = io::stdout().lock();
    for entry in protocol::catalogue(dir.as_deref()) {
        let place = entry
            .path
            .as_ref()
            .map_or("built in".to_owned(), |p| p.display().to_string());
        let line = match &entry.outcome {
            Ok(s) => format!(
                "{}  {} step{}  {}  ({})",
                entry.name,
                s.steps,
                if s.steps == 1 { "" } else { "s" },
                s.title,
                place
            ),
            Err(problem) => format!("{}  invalid: {}", entry.name, problem),
        };
        writeln!(out, "{}", sanitize::one_line(&line)).map_err(Error::Output)?;
    }
    Ok(0)
}
