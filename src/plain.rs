//! The plain front end: the same walk as plain lines on stdout, for screen
//! readers, pipes and scripts. No escape sequences are ever written; every
//! text from the protocol passes through [`crate::sanitize`].
//!
//! The lines `Step N of M: TITLE`, `Press Enter to begin the pause.`,
//! `Pause: ...`, `Pause complete.`, `Notes (end with a line holding only
//! "."):` and `Saved session ID.` are a public interface: scripts wait for them.
//!
//! The plain forms of `repair prep` and `repair rehearse` live in [`prep`] and
//! [`rehearse`].

pub mod drill;
pub mod lines;
pub mod prep;
pub mod rehearse;

use std::io::{self, BufRead, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Receiver;
use std::thread;
use std::time::Instant;

use chrono::{DateTime, FixedOffset};

use crate::journal::{Journal, Session};
use crate::practice::{Action, Stage, Walk};
use crate::protocol::Step;
use crate::sanitize::escape;

/// Held while a save is under way, so a signal never ends the process in the
/// middle of one (the write is atomic anyway; this keeps the message honest).
static SAVING: Mutex<()> = Mutex::new(());

/// Whether this run has saved anything, for the message after a signal.
static SAVED_ANY: AtomicBool = AtomicBool::new(false);

/// How the plain walk ended.
#[derive(Debug, Clone, PartialEq)]
pub enum PlainExit {
    /// Finished; saved under this id unless `--no-save`.
    Finished { id: String, saved: bool },
    /// Input ended part-way; what was typed was saved under this id.
    Unfinished { id: String },
    /// Input ended before anything worth keeping was typed.
    NothingTyped,
    /// The last save failed; the session was printed so nothing is lost.
    Unsaved { error: String },
}

/// After a signal, exit once any save under way is done. The session was
/// saved after the last full line, so what was typed is on disk.
pub fn exit_on_signal(signals: Receiver<i32>) {
    thread::spawn(move || {
        if let Ok(number) = signals.recv() {
            let _held = SAVING.lock();
            if SAVED_ANY.load(Ordering::SeqCst) {
                eprintln!("Stopped by a signal; notes up to the last full line are saved.");
            } else {
                eprintln!("Stopped by a signal; nothing had been written, so nothing was saved.");
            }
            std::process::exit(128 + number);
        }
    });
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
}

impl<'a, R: BufRead, W: Write> Plain<'a, R, W> {
    pub fn new(walk: Walk, journal: &'a mut dyn Journal, input: R, out: W) -> Self {
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
            self.say(&format!("Drilling one step: {title}."))?;
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
            self.say("Press Enter to begin the pause.")?;
            self.say("(Or type skip and press Enter to go straight to the notes.)")?;
            self.out.flush()?;
            match self.read_line()? {
                None => return Ok(false),
                Some(answer) if answer.trim().eq_ignore_ascii_case("skip") => {
                    self.walk.apply(Action::SkipPause, Instant::now());
                    self.say("Pause skipped.")?;
                }
                Some(_) => self.pause(&step)?,
            }
        }
        self.notes()
    }

    fn print_step(&mut self, step: &Step) -> io::Result<()> {
        self.say(step.guidance.trim())?;
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
        let length = self.walk.pause_length().unwrap_or_default();
        let start = Instant::now();
        self.walk.apply(Action::BeginPause, start);
        let seconds = length.as_secs();
        let unit = if seconds == 1 { "second" } else { "seconds" };
        self.say(&format!("Pause: {seconds} {unit}. Slow down, and feel."))?;
        if let Some(b) = pause.breath {
            self.say(&format!(
                "Breathe in for {} seconds and out for {}.",
                b.inhale, b.exhale
            ))?;
        }
        let mut shown = None;
        loop {
            let now = Instant::now();
            let Stage::Pausing(timer) = &self.walk.state().stage else {
                break;
            };
            let cue = timer.cue_index(now, pause.cues.len());
            let wake = timer.next_change(now, pause.cues.len(), false);
            if cue != shown {
                if let Some(i) = cue {
                    self.say(&format!("  {}", pause.cues[i]))?;
                }
                shown = cue;
            }
            self.out.flush()?;
            // Sleep to the next cue or the end; plain mode has no pacer frames.
            match wake {
                Some(at) => thread::sleep(at.saturating_duration_since(now)),
                None => break,
            }
            self.walk.tick(Instant::now());
        }
        self.say("Pause complete.")
    }

    /// Reads notes up to "." or the end of input. False when input ended
    /// before the step was done (not on the last step: there it just ends).
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
        let mut lines: Vec<String> = Vec::new();
        let earlier = self.walk.state().notes.clone();
        if !earlier.is_empty() {
            self.say("Notes so far (what you type is added after them):")?;
            for line in earlier.split('\n') {
                self.say(&format!("| {line}"))?;
            }
            lines.extend(earlier.split('\n').map(str::to_owned));
        }
        self.out.flush()?;
        loop {
            match self.read_line()? {
                None => {
                    self.set_notes(&lines)?;
                    return Ok(self.walk.is_last());
                }
                Some(line) if line == "." => break,
                Some(line) if line == ".." => lines.push(".".into()),
                Some(line) => lines.push(line),
            }
            self.set_notes(&lines)?;
        }
        self.set_notes(&lines)?;
        Ok(true)
    }

    fn set_notes(&mut self, lines: &[String]) -> io::Result<()> {
        let outcome = self
            .walk
            .apply(Action::SetNotes(lines.join("\n")), Instant::now());
        if outcome.changed && self.journal.keeps() {
            let session = self.walk.session(Instant::now(), None);
            // An autosave that fails is not fatal: the final save says so.
            if self.save(&session).is_ok() {
                self.saved_once = true;
            }
        }
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

    fn save(&mut self, session: &Session) -> Result<(), String> {
        let _held = SAVING.lock();
        let result = self.journal.save(session).map_err(|e| e.to_string());
        if result.is_ok() && self.journal.keeps() {
            SAVED_ANY.store(true, Ordering::SeqCst);
        }
        result
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
                self.say(&format!("Saved session {}.", session.id))?;
                let mut line = Vec::new();
                crate::commands::practice::where_notes_are(&mut line, self.dir.as_deref())?;
                self.say(String::from_utf8_lossy(&line).trim_end())?;
                Ok(PlainExit::Finished {
                    id: session.id,
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
            self.say(&format!(
                "Input ended part-way. {}",
                crate::journal::SAVING_OFF
            ))?;
            return Ok(PlainExit::NothingTyped);
        }
        let session = self.walk.session(Instant::now(), None);
        match self.save(&session) {
            Ok(()) => {
                self.say(&format!(
                    "Input ended part-way. Saved unfinished session {}.",
                    session.id
                ))?;
                let mut line = Vec::new();
                crate::commands::practice::where_notes_are(&mut line, self.dir.as_deref())?;
                self.say(String::from_utf8_lossy(&line).trim_end())?;
                Ok(PlainExit::Unfinished { id: session.id })
            }
            Err(error) => self.unsaved(&session, error),
        }
    }

    /// The save failed: print the notes so they are not lost.
    fn unsaved(&mut self, session: &Session, error: String) -> io::Result<PlainExit> {
        self.say(&format!("Could not save your notes: {error}"))?;
        self.say("Here they are, so nothing is lost:")?;
        write_notes(&mut self.out, session)?;
        Ok(PlainExit::Unsaved { error })
    }
}

/// One line of input without its line ending (LF or CRLF); `None` at the
/// end of input. Bytes that are not UTF-8 become U+FFFD.
pub(crate) fn read_line(input: &mut impl BufRead) -> io::Result<Option<String>> {
    let mut bytes = Vec::new();
    if input.read_until(b'\n', &mut bytes)? == 0 {
        return Ok(None);
    }
    if bytes.ends_with(b"\n") {
        bytes.pop();
        if bytes.ends_with(b"\r") {
            bytes.pop();
        }
    }
    Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
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
