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
#[derive(Debug)]
pub enum SavedExit {
    /// Over; saved under this id, unless nothing is kept.
    Done { saved: Option<String> },
    /// The last save failed: the store's error, or (for a save asked for
    /// at the end) the opening of the store's.
    Unsaved {
        error: Box<dyn std::error::Error + Send + Sync>,
    },
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
    match journal.save(&session) {
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
            SavedExit::Unsaved {
                error: error.into(),
            },
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::StoreError;

    /// A store that refuses every save, as a locked one does.
    struct Refuses;

    impl Journal for Refuses {
        fn save(&mut self, _: &Session) -> Result<(), StoreError> {
            Err(StoreError::Locked)
        }
        fn discard(&mut self, _: &str) -> Result<(), StoreError> {
            Ok(())
        }
    }

    /// A failed last save says the store's sentence, ends with status 1,
    /// and keeps the store's own error (not only its words) for whoever
    /// ends the run.
    #[test]
    fn a_failed_last_save_keeps_the_stores_error() {
        let session = crate::practice::Walk::new(
            crate::protocol::builtin(),
            Default::default(),
            "20261124-090000-abcd".into(),
            chrono::DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap(),
        )
        .session(std::time::Instant::now(), None);
        let words = LastSave {
            off: "off",
            empty: "empty",
            noun: "drill",
        };
        let mut out = Vec::new();
        let exit = last_save(&mut out, &mut Refuses, Some(session), &words).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!("Could not save the drill: {}\n", StoreError::Locked)
        );
        assert_eq!(exit.code(), 1);
        let SavedExit::Unsaved { error } = exit else {
            panic!("the save failed: {exit:?}");
        };
        assert!(matches!(
            error.downcast_ref::<StoreError>(),
            Some(StoreError::Locked)
        ));
    }
}
