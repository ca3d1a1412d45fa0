//! The walk-through as plain lines: every step, its pause and its notes,
//! then the save.
//!
//! The lines `Step N of M: TITLE`, `Press Enter to begin the pause.`,
//! `Pause: ...`, `Pause complete.`, `Notes (end with a line holding only
//! "."):` and `Saved session ID.` are a public interface: scripts wait for them.

use std::io::{self, BufRead, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use chrono::{DateTime, FixedOffset};

use super::{
    Offered, Pausing, offer_pause, output_closed, read_line, run_pause, say_part_way,
    where_notes_are,
};
use crate::journal::{Journal, Session};
use crate::practice::{Action, Stage, Walk};
use crate::protocol::Step;
use crate::sanitize::escape;

/// Saving is off for this run (`--no-save` or `save = false`), and whether
/// notes were typed all the same: the message after a signal says why they
/// were not kept, not that nothing was written.
static SAVING_IS_OFF: AtomicBool = AtomicBool::new(false);
static TYPED_ANY: AtomicBool = AtomicBool::new(false);

/// How often notes from a pipe or file are saved (typed ones: every line).
const PIPED_SAVE_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// The most one step's notes may hold in plain mode; more input is not
/// read (a session file holds at most [`crate::journal::SESSION_MAX`]).
pub const NOTES_MAX: usize = 10_000_000;

/// How the plain walk ended.
#[derive(Debug)]
pub enum PlainExit {
    /// Finished; saved under this id unless `--no-save`.
    Finished { id: String, saved: bool },
    /// Input ended part-way; what was typed was saved under this id.
    Unfinished { id: String },
    /// Input ended before anything worth keeping was typed.
    NothingTyped,
    /// The last save failed; the session was printed so nothing is lost.
    Unsaved { error: crate::journal::StoreError },
}

/// The plain walk, reading answers from `input` and writing to `out`.
pub struct Plain<'a, R, W> {
    walk: Walk,
    journal: &'a mut dyn Journal,
    input: R,
    out: W,
    wall_clock: fn() -> DateTime<FixedOffset>,
    saved_once: bool,
    /// Where the notes are kept, for the line after a save.
    dir: Option<std::path::PathBuf>,
    /// The instruction on what to write is said once, at the first notes.
    instructed: bool,
    /// Notes are encrypted at rest already (nothing to offer).
    encrypted: bool,
    /// Save after every line (input typed at a terminal), or once a second.
    every_line: bool,
    last_save: Instant,
    /// Lines read from a pipe are waiting for the next save (confirmed, so
    /// a signal saves them).
    pending: bool,
}

impl<'a, R: BufRead, W: Write> Plain<'a, R, W> {
    pub fn new(walk: Walk, journal: &'a mut dyn Journal, input: R, out: W) -> Self {
        SAVING_IS_OFF.store(!journal.keeps(), Ordering::SeqCst);
        Plain {
            walk,
            journal,
            input,
            out,
            wall_clock: crate::journal::local_now,
            saved_once: false,
            dir: None,
            instructed: false,
            encrypted: false,
            every_line: io::IsTerminal::is_terminal(&io::stdin()),
            last_save: Instant::now(),
            pending: false,
        }
    }

    /// Notes are encrypted at rest already: the notes instruction says so
    /// instead of offering `repair notes encrypt`.
    pub fn with_encrypted(mut self, encrypted: bool) -> Self {
        self.encrypted = encrypted;
        self
    }

    /// Says after a save that the notes are in `dir`.
    pub fn with_dir(mut self, dir: Option<std::path::PathBuf>) -> Self {
        self.dir = dir;
        self
    }

    /// Walks every step, then saves.
    pub fn run(mut self) -> io::Result<PlainExit> {
        self.intro()?;
        loop {
            if !self.step()? {
                return self.ended_early();
            }
            if self.walk.is_last() {
                break;
            }
            self.walk.apply(Action::Next, Instant::now());
            // Where the walk stands is kept too, so a resume opens here.
            self.keep_position();
        }
        self.finish()
    }

    fn say(&mut self, text: &str) -> io::Result<()> {
        writeln!(self.out, "{}", escape(text))
    }

    fn intro(&mut self) -> io::Result<()> {
        let protocol = self.walk.protocol().clone();
        self.say(&protocol.title)?;
        if let Some(summary) = &protocol.summary {
            self.say(summary.trim())?;
        }
        if let Some(step) = self.walk.drill() {
            let title = protocol.step(step).map_or(step, |s| &s.title);
            self.say(&format!("Practising one step alone: {title}."))?;
        }
        Ok(())
    }

    /// One step: its text, its pause, its notes. False when input ended.
    fn step(&mut self) -> io::Result<bool> {
        let step = self.walk.step().clone();
        writeln!(self.out)?;
        self.say(&format!(
            "Step {} of {}: {}",
            self.walk.position() + 1,
            self.walk.len(),
            step.title
        ))?;
        self.print_step(&step)?;
        if self.walk.state().stage == Stage::Offer {
            let hint = "(Or type skip and press Enter to go straight to the notes.)";
            match offer_pause(&mut self.out, &mut self.input, Some(hint))? {
                Offered::End => return Ok(false),
                Offered::Skip => {
                    self.walk.apply(Action::SkipPause, Instant::now());
                    self.say("Pause skipped.")?;
                }
                Offered::Begin => self.pause(&step)?,
            }
        }
        self.notes()
    }

    fn print_step(&mut self, step: &Step) -> io::Result<()> {
        // One line a paragraph, for the terminal to wrap at its own width;
        // a blank line between paragraphs.
        for (i, paragraph) in crate::words::paragraphs(&step.guidance).iter().enumerate() {
            if i > 0 {
                writeln!(self.out)?;
            }
            self.say(paragraph)?;
        }
        if !step.prompts.is_empty() {
            self.say("Ask yourself:")?;
            for prompt in &step.prompts {
                self.say(&format!("- {prompt}"))?;
            }
        }
        if !step.stems.is_empty() {
            self.say("Try saying:")?;
            for stem in &step.stems {
                self.say(&format!("- \"{stem}\""))?;
            }
        }
        if step.follow_up {
            self.say("(Leave the notes empty to keep this step open as a follow-up.)")?;
        }
        Ok(())
    }

    /// Runs the pause in real time, printing each cue as its turn comes.
    fn pause(&mut self, step: &Step) -> io::Result<()> {
        let Some(pause) = step.pause.clone() else {
            return Ok(());
        };
        let seconds = self.walk.pause_length().unwrap_or_default().as_secs();
        self.walk.apply(Action::BeginPause, Instant::now());
        run_pause(
            &mut self.out,
            &mut self.walk,
            seconds,
            pause.breath,
            &pause.cues,
        )
    }

    /// Reads notes up to "." or the end of input. False when input ended
    /// before the step was done (not on the last step: there it just ends).
    ///
    /// Linear in the input: lines are appended to one buffer, and the
    /// session is handed to the walk and saved after every line typed at a
    /// terminal, and after every line from a pipe that is followed by a wait
    /// for more; lines that arrive faster than they are saved (a file or a
    /// bulk paste piped in) are saved together, at least once a second and
    /// at the end of the step, so 200,000 piped lines cost a few saves, not
    /// 200,000 rewrites of a growing file.
    fn notes(&mut self) -> io::Result<bool> {
        if !self.instructed {
            self.instructed = true;
            self.say(
                "Write about yourself and the moment; leave out names and anything that identifies a client.",
            )?;
            self.say(
                "Notes stay on this computer; `repair notes encrypt` locks them with a passphrase.",
            )?;
        }
        self.say("Notes (end with a line holding only \".\"):")?;
        // A resumed step keeps the notes it had; new lines go after them.
        let mut notes = String::new();
        let mut any = false;
        let earlier = self.walk.state().notes.clone();
        TYPED_ANY.fetch_or(!earlier.trim().is_empty(), Ordering::SeqCst);
        if !earlier.is_empty() {
            self.say("Notes so far (what you type is added after them):")?;
            for line in earlier.split('\n') {
                self.say(&format!("| {line}"))?;
            }
            notes = earlier;
            any = true;
        }
        self.out.flush()?;
        loop {
            let line = match self.read_line()? {
                None => {
                    self.set_notes(&notes)?;
                    return Ok(self.walk.is_last());
                }
                Some(line) if line == "." => break,
                Some(line) if line == ".." => ".".to_string(),
                Some(line) => line,
            };
            if any {
                notes.push('\n');
            }
            notes.push_str(&line);
            any = true;
            TYPED_ANY.fetch_or(!line.trim().is_empty(), Ordering::SeqCst);
            if notes.len() > NOTES_MAX {
                eprintln!(
                    "repair: the notes of this step are longer than {} MB, the most a step may hold; input stopped there.",
                    NOTES_MAX / 1_000_000
                );
                self.set_notes(&notes)?;
                return Ok(false);
            }
            // Saved now unless more input is already waiting (a bulk paste
            // or a file being piped in): then the save comes when the input
            // pauses, or after a second at most. A kill while the input
            // waits for the next line thus never costs a line.
            if self.every_line || self.last_save.elapsed() >= PIPED_SAVE_EVERY || !stdin_has_input()
            {
                self.set_notes(&notes)?;
            } else if !(self.pending && crate::signals::confirm_more(&format!("\n{line}"))) {
                // The first line waiting: the notes so far are confirmed
                // whole, later ones a line at a time (never the whole text
                // again per line).
                self.confirm(&notes);
                self.pending = true;
            }
        }
        self.set_notes(&notes)?;
        Ok(true)
    }

    /// `notes` are confirmed for this step: a signal before the next save
    /// saves them.
    fn confirm(&self, notes: &str) {
        if !self.journal.keeps() {
            // Nothing will be kept, but a signal says that what was
            // typed was not kept, and why.
            crate::signals::entered();
            return;
        }
        let mut walk = self.walk.clone();
        let saved_once = self.saved_once;
        crate::signals::confirm(notes.to_string(), move |notes| {
            walk.apply(Action::SetNotes(notes), Instant::now());
            // As the walk itself would: nothing worth keeping is not saved.
            (walk.worth_keeping() || saved_once).then(|| walk.session(Instant::now(), None))
        });
    }

    fn set_notes(&mut self, notes: &str) -> io::Result<()> {
        self.confirm(notes);
        let outcome = self
            .walk
            .apply(Action::SetNotes(notes.to_string()), Instant::now());
        if outcome.changed && self.journal.keeps() {
            let session = self.walk.session(Instant::now(), None);
            // An autosave that fails is not fatal: the final save says so.
            if self.save(&session).is_ok() {
                self.saved_once = true;
            }
        }
        self.last_save = Instant::now();
        self.pending = false;
        Ok(())
    }

    /// After a step change: saves where the walk stands, once there is
    /// anything worth keeping.
    fn keep_position(&mut self) {
        if self.journal.keeps() && (self.walk.worth_keeping() || self.saved_once) {
            let session = self.walk.session(Instant::now(), None);
            if self.save(&session).is_ok() {
                self.saved_once = true;
            }
        }
    }

    /// Saves `session`. If the session on disk was changed by another
    /// window since this walk opened or last saved it, nothing is written
    /// over it: the walk's notes become a new session (a conflict copy
    /// naming the original), said in one line, and are saved as that. Plain
    /// mode cannot stop to ask mid-walk (its input may be a pipe), and this
    /// way both versions are kept. A session deleted meanwhile is not
    /// brought back: the save fails, and the end of the walk prints the
    /// notes.
    fn save(&mut self, session: &Session) -> Result<(), crate::journal::StoreError> {
        // Said before waiting on another command's lock (an encrypt or an
        // import of thousands of sessions), as the full screen says it.
        let first = match self.journal.save_if_free(session) {
            Err(crate::journal::StoreError::Busy) => {
                eprintln!("repair: {}.", crate::journal::StoreError::Busy);
                self.journal.save(session)
            }
            other => other,
        };
        match first {
            Err(e @ crate::journal::StoreError::ChangedMeanwhile { .. }) => {
                let original = session.id.clone();
                self.walk
                    .become_copy(crate::journal::new_session_id(&(self.wall_clock)()));
                let mut copy = session.clone();
                copy.id = self.walk.session_id().to_owned();
                copy.extra.copy_of = Some(
                    self.walk
                        .copy_of()
                        .map_or_else(|| original.clone(), str::to_owned),
                );
                let saved = self.journal.save(&copy);
                if saved.is_ok() {
                    let line = format!(
                        "{} Your notes are kept as a new session {}, a conflict copy of {original}.",
                        sentence(&e.to_string()),
                        copy.id
                    );
                    eprintln!("repair: {}", escape(&line));
                    let _ = self.say(&line);
                }
                saved
            }
            result => result,
        }
    }

    fn read_line(&mut self) -> io::Result<Option<String>> {
        read_line(&mut self.input)
    }

    fn finish(mut self) -> io::Result<PlainExit> {
        let session = self.walk.session(Instant::now(), Some((self.wall_clock)()));
        writeln!(self.out)?;
        if !self.walk.worth_keeping() && !self.saved_once && !self.walk.is_follow_up() {
            self.say("Nothing was written and no pause was taken, so nothing was kept.")?;
            return Ok(PlainExit::NothingTyped);
        }
        if !self.journal.keeps() {
            // Nothing is kept, so there is no session to come back to.
            self.say(crate::journal::SAVING_OFF)?;
            return Ok(PlainExit::Finished {
                id: session.id,
                saved: false,
            });
        }
        // A follow-up is offered only for a session that is kept.
        let follow_ups: Vec<String> = session
            .steps
            .iter()
            .filter(|s| s.status == crate::journal::StepStatus::FollowUp)
            .map(|s| s.title.clone())
            .collect();
        match self.save(&session) {
            Ok(()) => {
                for title in follow_ups {
                    self.say(&format!("Open as a follow-up: {title}."))?;
                }
                // The walk's id: a conflict copy has a new one.
                self.say(&format!("Saved session {}.", self.walk.session_id()))?;
                let mut line = Vec::new();
                where_notes_are(&mut line, self.dir.as_deref())?;
                self.say(String::from_utf8_lossy(&line).trim_end())?;
                Ok(PlainExit::Finished {
                    id: self.walk.session_id().to_owned(),
                    saved: true,
                })
            }
            Err(error) => self.unsaved(&session, error),
        }
    }

    fn ended_early(mut self) -> io::Result<PlainExit> {
        writeln!(self.out)?;
        if !self.walk.worth_keeping() && !self.saved_once {
            self.say("Input ended before any notes were written; nothing was saved.")?;
            return Ok(PlainExit::NothingTyped);
        }
        if !self.journal.keeps() {
            say_part_way(&mut self.out, None)?;
            return Ok(PlainExit::NothingTyped);
        }
        let session = self.walk.session(Instant::now(), None);
        match self.save(&session) {
            Ok(()) => {
                let id = self.walk.session_id().to_owned();
                say_part_way(&mut self.out, Some(&id))?;
                let mut line = Vec::new();
                where_notes_are(&mut line, self.dir.as_deref())?;
                self.say(String::from_utf8_lossy(&line).trim_end())?;
                Ok(PlainExit::Unfinished { id })
            }
            Err(error) => self.unsaved(&session, error),
        }
    }

    /// The save failed: print the notes so they are not lost.
    fn unsaved(
        &mut self,
        session: &Session,
        error: crate::journal::StoreError,
    ) -> io::Result<PlainExit> {
        let words = error.to_string();
        // On stderr too, where errors are looked for (stdout may be a file).
        eprintln!("repair: could not save your notes: {}", escape(&words));
        self.say(&format!("Could not save your notes: {words}"))?;
        self.say("Here they are, so nothing is lost:")?;
        write_notes(&mut self.out, session)?;
        if output_closed() {
            // Nobody reads stdout any more: stderr is the last place left.
            eprintln!("repair: your notes, so nothing is lost:");
            write_notes(&mut io::stderr().lock(), session)?;
        }
        Ok(PlainExit::Unsaved { error })
    }
}

/// An error message as a sentence of its own: capitalised, with its stop.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    let first: String = chars
        .next()
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default();
    format!("{first}{}.", chars.as_str().trim_end_matches('.'))
}

/// Whether more input is ready on stdin without waiting (data, or its end).
fn stdin_has_input() -> bool {
    crate::platform::stdin_has_input()
}

/// Every step's notes as plain text (for a failed save).
pub fn write_notes(out: &mut impl Write, session: &Session) -> io::Result<()> {
    for step in &session.steps {
        if step.notes.trim().is_empty() {
            continue;
        }
        writeln!(out, "== {} ==", escape(&step.title))?;
        writeln!(out, "{}", escape(&step.notes))?;
    }
    out.flush()
}

impl Pausing for Walk {
    fn timer(&self) -> Option<&crate::practice::PauseTimer> {
        match &self.state().stage {
            Stage::Pausing(timer) => Some(timer),
            _ => None,
        }
    }

    fn tick(&mut self, now: Instant) {
        Walk::tick(self, now);
    }
}
