//! What the plain modes say and ask the same way: a line said (escaped), a
//! prompt (said, then flushed so a script sees it before answering), an
//! answer asked for again until it reads, numbers from a list, and the last
//! save of a mode that saves as it goes. The lines are a public interface;
//! one copy keeps the modes from drifting apart.

use std::io::{self, Write};

use super::lines::Lines;
use crate::journal::{Journal, Session};
use crate::sanitize::escape;

/// One line, escaped.
pub fn say(out: &mut impl Write, text: &str) -> io::Result<()> {
    writeln!(out, "{}", escape(text))
}

/// A prompt: said, then flushed so a script sees it before answering.
pub fn ask(out: &mut impl Write, text: &str) -> io::Result<()> {
    say(out, text)?;
    out.flush()
}

/// Reads lines until `parse` accepts one, saying `again` after each it
/// does not. `None` when input ended.
pub fn answer<T>(
    out: &mut impl Write,
    lines: &Lines,
    again: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> io::Result<Option<T>> {
    loop {
        out.flush()?;
        let Some(line) = lines.next() else {
            return Ok(None);
        };
        match parse(&line) {
            Some(value) => return Ok(Some(value)),
            None => say(out, again)?,
        }
    }
}

/// Numbers from 1 to `count` (separated by spaces, commas or tabs) as
/// sorted positions, each once; `None` if any is not one.
pub fn numbers(line: &str, count: usize) -> Option<Vec<usize>> {
    let mut ticked = Vec::new();
    for word in line.split([' ', ',', '\t']).filter(|w| !w.is_empty()) {
        let n: usize = word.parse().ok()?;
        if !(1..=count).contains(&n) {
            return None;
        }
        if !ticked.contains(&(n - 1)) {
            ticked.push(n - 1);
        }
    }
    ticked.sort_unstable();
    Some(ticked)
}

/// How a plain mode that saves as it goes ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SavedExit {
    /// Over; saved under this id, unless nothing is kept.
    Done { saved: Option<String> },
    /// The last save failed.
    Unsaved { error: String },
}

impl SavedExit {
    /// The exit status: 1 when the last save failed.
    pub fn code(&self) -> u8 {
        match self {
            SavedExit::Done { .. } => 0,
            SavedExit::Unsaved { .. } => 1,
        }
    }
}

/// What a mode says at its last save.
pub struct LastSave<'a> {
    /// Nothing is kept (no save).
    pub off: &'a str,
    /// Saving, but there is nothing to save.
    pub empty: &'a str,
    /// What was saved, in `Saved NOUN ID.` and `Could not save the NOUN: ...`.
    pub noun: &'a str,
}

/// The last save of a mode that saves as it goes: `session` is `None` when
/// there is nothing to keep. Says what became of it.
pub fn last_save<W: Write>(
    out: &mut W,
    journal: &mut dyn Journal,
    session: Option<Session>,
    words: &LastSave,
) -> io::Result<SavedExit> {
    let said = |out: &mut W, line: &str, exit: SavedExit| {
        say(out, line)?;
        out.flush()?;
        Ok(exit)
    };
    let nothing = SavedExit::Done { saved: None };
    let session = match session {
        _ if !journal.keeps() => return said(out, words.off, nothing),
        None => return said(out, words.empty, nothing),
        Some(session) => session,
    };
    match journal.save(&session).map_err(|e| e.to_string()) {
        Ok(()) => said(
            out,
            &format!("Saved {} {}.", words.noun, session.id),
            SavedExit::Done {
                saved: Some(session.id),
            },
        ),
        Err(error) => said(
            out,
            &format!("Could not save the {}: {error}", words.noun),
            SavedExit::Unsaved { error },
        ),
    }
}
