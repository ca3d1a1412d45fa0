//! The full-screen app's model and its `update`: keys and time in, effects
//! out. No terminal and no disk here: the event loop in `tui::run` carries out
//! the effects and reports back, so every path can be tested without a
//! terminal.

use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui_textarea::{TextArea, WrapMode};

use crate::journal::{Journal, Session};
use crate::practice::{Action, Outcome, Stage, Walk};

/// How soon after a keystroke the notes are autosaved.
pub const AUTOSAVE_AFTER: Duration = Duration::from_secs(1);

/// Which screen is showing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    Walk,
    /// Ctrl-S: the steps and their notes, before saving.
    Summary,
    /// Asking what to do with unsaved notes before quitting.
    ConfirmQuit,
    /// A save on the way out failed: the notes stay on screen. Holds the
    /// error and the save to retry.
    SaveFailed(String, SaveKind),
}

/// Why a save was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveKind {
    /// Keeping an unfinished walk safe while it goes on.
    Autosave,
    /// Enter on the summary: the finished session.
    Finish,
    /// Quitting part-way, keeping the notes as an unfinished session.
    Unfinished,
    /// A signal arrived: save what there is, then exit.
    Signal(i32),
}

/// Something for the event loop to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Save(Session, SaveKind),
    /// Remove an autosaved session the clinician chose to discard.
    Discard(String),
    /// Ring the terminal bell once.
    Bell,
    Quit(Exit),
}

/// How the app ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Exit {
    /// The finished session was saved (or, with `--no-save`, shown and let go).
    Finished { id: String, saved: bool },
    /// Quit part-way with the notes saved as an unfinished session.
    Unfinished { id: String },
    /// Quit with nothing kept.
    Discarded,
    /// The last save failed: the session must be printed so nothing is lost.
    Unsaved { session: Session, error: String },
    /// The terminal failed; the session was saved under `id`, or is
    /// `unsaved` and must be printed.
    Failed {
        error: String,
        id: Option<String>,
        unsaved: Option<Session>,
    },
    /// A signal ended the run; saved under `id`, or `unsaved` to be printed.
    Signal {
        number: i32,
        id: Option<String>,
        unsaved: Option<Session>,
    },
    /// Before any notes were written, the clinician took the start screen's
    /// offer: open this instead.
    Open(Offer),
}

/// What the start screen offers, each on one key (shown in the notice line
/// and the footer) while no notes have been written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Offer {
    /// Ctrl-F: do the follow-up of this session.
    FollowUp(String),
    /// Ctrl-R: resume this unfinished session.
    Resume(String),
}

/// An input to the app.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    /// The terminal changed size; just redraw.
    Resize,
    /// Time passed (a deadline came).
    Tick,
    Signal(i32),
    /// The result of an [`Effect::Save`].
    Saved(SaveKind, Result<(), String>),
}

/// The whole state of the full-screen walk-through.
pub struct App {
    pub walk: Walk,
    /// One editor per step of the walk, so notes stay with their step.
    pub editors: Vec<TextArea<'static>>,
    pub screen: Screen,
    pub help: bool,
    /// Whether anything is kept on disk (false with `--no-save`).
    pub keeps: bool,
    /// Lines scrolled in the guidance pane (and the summary).
    pub scroll: u16,
    /// A one-line message at the top, e.g. a notice or an autosave problem.
    pub status: Option<String>,
    /// A quiet line at the start (follow-ups waiting, an unfinished session)
    /// and what its keys open; shown only until notes are written.
    pub notice: Option<(String, Vec<Offer>)>,
    /// For a resumed walk or a follow-up: the session as it was, so that
    /// "discard" puts it back instead of deleting it.
    pub original: Option<Session>,
    autosave_due: Option<Instant>,
    /// An unfinished copy exists on disk (so discarding must remove it).
    on_disk: bool,
    /// Notes changed since the last save.
    dirty: bool,
    wall_clock: fn() -> DateTime<FixedOffset>,
    /// The `reduce_motion` setting: the breathing pacer is a text cue that
    /// changes once a second, not a moving bar redrawn ten times a second.
    pub reduce_motion: bool,
}

/// A notes editor as every step gets it: word wrap on.
pub fn new_editor(text: &str) -> TextArea<'static> {
    let lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
    let mut editor = TextArea::new(lines);
    editor.set_wrap_mode(WrapMode::WordOrGlyph);
    editor.set_placeholder_text("Type your notes here.");
    // Resumed notes: typing goes on after what is there.
    editor.move_cursor(ratatui_textarea::CursorMove::Bottom);
    editor.move_cursor(ratatui_textarea::CursorMove::End);
    editor
}

impl App {
    pub fn new(walk: Walk, keeps: bool) -> Self {
        let editors = (0..walk.len())
            .map(|i| new_editor(&walk.state_at(i).notes))
            .collect();
        App {
            walk,
            editors,
            screen: Screen::Walk,
            help: false,
            keeps,
            scroll: 0,
            status: None,
            notice: None,
            original: None,
            autosave_due: None,
            on_disk: false,
            dirty: false,
            wall_clock: crate::journal::local_now,
            reduce_motion: false,
        }
    }

    /// The terminal failed and the walk-through cannot go on: save what
    /// there is as an unfinished session, or hand it back to be printed.
    pub fn rescue(&mut self, journal: &mut dyn Journal, error: String, now: Instant) -> Exit {
        if !self.worth_keeping() || !self.keeps {
            return Exit::Failed {
                error,
                id: None,
                unsaved: None,
            };
        }
        let session = self.walk.session(now, None);
        match journal.save(&session) {
            Ok(()) => Exit::Failed {
                error,
                id: Some(session.id),
                unsaved: None,
            },
            Err(_) => Exit::Failed {
                error,
                id: None,
                unsaved: Some(session),
            },
        }
    }

    /// Fixes the wall clock used for `finished_at` (tests and snapshots).
    pub fn with_wall_clock(mut self, clock: fn() -> DateTime<FixedOffset>) -> Self {
        self.wall_clock = clock;
        self
    }

    /// The editor of the current step.
    pub fn editor(&self) -> &TextArea<'static> {
        &self.editors[self.walk.position()]
    }

    /// When the loop must wake next, if nothing else happens first.
    pub fn deadline(&self, now: Instant) -> Option<Instant> {
        let pause = match self.screen {
            Screen::Walk | Screen::ConfirmQuit if self.reduce_motion => {
                self.walk.next_deadline_without_pacer(now)
            }
            Screen::Walk | Screen::ConfirmQuit => self.walk.next_deadline(now),
            _ => None,
        };
        match (pause, self.autosave_due) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Handles one message; returns what the loop must do, in order.
    pub fn update(&mut self, msg: Msg, now: Instant) -> Vec<Effect> {
        let mut effects = Vec::new();
        let outcome = self.walk.tick(now);
        self.after(outcome, now, &mut effects);
        match msg {
            Msg::Key(key) if key.kind != KeyEventKind::Release => self.key(key, now, &mut effects),
            Msg::Key(_) | Msg::Resize => {}
            Msg::Paste(text) => self.paste(&text, now, &mut effects),
            Msg::Tick => self.autosave_if_due(now, &mut effects),
            Msg::Signal(number) => {
                if self.worth_keeping() && self.keeps {
                    effects.push(Effect::Save(
                        self.walk.session(now, None),
                        SaveKind::Signal(number),
                    ));
                } else {
                    self.discard_copy(&mut effects);
                    effects.push(Effect::Quit(Exit::Signal {
                        number,
                        id: None,
                        unsaved: None,
                    }));
                }
            }
            Msg::Saved(kind, result) => self.saved(kind, result, now, &mut effects),
        }
        effects
    }

    fn key(&mut self, key: KeyEvent, now: Instant, effects: &mut Vec<Effect>) {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if self.help {
            // Any key closes the help; it never does anything else.
            self.help = false;
            return;
        }
        match (&self.screen, key.code) {
            (Screen::ConfirmQuit, code) => self.confirm_key(code, now, effects),
            (Screen::SaveFailed(_, kind), KeyCode::Enter | KeyCode::Char('r')) => {
                let kind = *kind;
                effects.push(self.save_for(kind, now));
            }
            (Screen::SaveFailed(error, kind), KeyCode::Esc | KeyCode::Char('q')) => {
                let finished = (*kind == SaveKind::Finish).then(|| (self.wall_clock)());
                let session = self.walk.session(now, finished);
                let error = error.clone();
                effects.push(Effect::Quit(Exit::Unsaved { session, error }));
            }
            (Screen::SaveFailed(..), _) => {}
            (_, KeyCode::F(1)) => self.help = true,
            (_, KeyCode::Char('q' | 'c')) if ctrl => self.quit(now, effects),
            (Screen::Summary, KeyCode::Esc) => {
                self.screen = Screen::Walk;
                self.scroll = 0;
            }
            (Screen::Summary, KeyCode::Enter) => effects.push(self.finish_save(now)),
            (Screen::Summary, code) => self.scroll_key(code),
            (Screen::Walk, KeyCode::Esc) => self.quit(now, effects),
            (Screen::Walk, KeyCode::Char('s')) if ctrl => self.open_summary(now, effects),
            (Screen::Walk, KeyCode::Char(c @ ('f' | 'r'))) if ctrl && self.offer(c).is_some() => {
                if let Some(offer) = self.offer(c) {
                    effects.push(Effect::Quit(Exit::Open(offer)));
                }
            }
            (Screen::Walk, _) => self.walk_key(key, now, effects),
        }
    }

    fn walk_key(&mut self, key: KeyEvent, now: Instant, effects: &mut Vec<Effect>) {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let action = match (&self.walk.state().stage, key.code) {
            (_, KeyCode::BackTab) => Some(Action::Prev),
            (Stage::Notes, KeyCode::Tab) if self.walk.is_last() => {
                self.open_summary(now, effects);
                return;
            }
            (_, KeyCode::Tab) => Some(Action::Next),
            (Stage::Offer, KeyCode::Enter) => Some(Action::BeginPause),
            (Stage::Pausing(_), KeyCode::Char(' ')) => Some(Action::TogglePause),
            (Stage::Pausing(_), KeyCode::Char('+' | '=')) => Some(Action::Extend),
            (Stage::Pausing(_), KeyCode::Enter) => Some(Action::EndPause),
            (Stage::Pausing(_), _) => None,
            (_, KeyCode::PageUp) => {
                self.scroll = self.scroll.saturating_sub(5);
                None
            }
            (_, KeyCode::PageDown) => {
                self.scroll = self.scroll.saturating_add(5);
                None
            }
            // Typing on an offered pause goes to the notes, like anywhere else.
            (Stage::Offer, KeyCode::Char(_)) if !ctrl => {
                self.edit(|e| e.input(key), now, effects);
                None
            }
            (Stage::Offer, _) => None,
            (Stage::Notes, _) => {
                self.edit(|e| e.input(key), now, effects);
                None
            }
        };
        if let Some(action) = action {
            let outcome = self.walk.apply(action, now);
            if outcome.moved {
                self.scroll = 0;
            }
            self.after(outcome, now, effects);
        }
    }

    /// Runs an edit on the current editor and tells the walk the new text.
    fn edit(
        &mut self,
        f: impl FnOnce(&mut TextArea<'static>) -> bool,
        now: Instant,
        effects: &mut Vec<Effect>,
    ) {
        let pos = self.walk.position();
        if !f(&mut self.editors[pos]) && self.walk.state().stage != Stage::Offer {
            return;
        }
        let text = self.editors[pos].lines().join("\n");
        let outcome = self.walk.apply(Action::SetNotes(text), now);
        if outcome.changed {
            self.dirty = true;
            self.autosave_due.get_or_insert(now + AUTOSAVE_AFTER);
        }
        self.after(outcome, now, effects);
    }

    fn paste(&mut self, text: &str, now: Instant, effects: &mut Vec<Effect>) {
        if self.screen != Screen::Walk || self.help {
            return;
        }
        if matches!(self.walk.state().stage, Stage::Pausing(_)) {
            return;
        }
        // Pasted control characters (other than newline and tab) would be
        // stored and redrawn raw; they are dropped. CRLF becomes LF.
        let clean: String = text
            .replace("\r\n", "\n")
            .replace('\r', "\n")
            .chars()
            .filter(|&c| !crate::sanitize::is_forbidden(c))
            .collect();
        self.edit(|e| e.insert_str(clean), now, effects);
    }

    fn confirm_key(&mut self, code: KeyCode, now: Instant, effects: &mut Vec<Effect>) {
        match code {
            KeyCode::Char('s' | 'S') if self.keeps => {
                effects.push(self.save_for(SaveKind::Unfinished, now))
            }
            KeyCode::Char('d' | 'D') => {
                self.discard_copy(effects);
                effects.push(Effect::Quit(Exit::Discarded));
            }
            KeyCode::Char('k' | 'K') | KeyCode::Esc | KeyCode::Enter => self.screen = Screen::Walk,
            _ => {}
        }
    }

    fn scroll_key(&mut self, code: KeyCode) {
        self.scroll = match code {
            KeyCode::Up => self.scroll.saturating_sub(1),
            KeyCode::Down => self.scroll.saturating_add(1),
            KeyCode::PageUp => self.scroll.saturating_sub(10),
            KeyCode::PageDown | KeyCode::Char(' ') => self.scroll.saturating_add(10),
            KeyCode::Home => 0,
            _ => self.scroll,
        };
    }

    /// Ctrl-S (or Tab on the last step). A running pause ends here: the
    /// summary shows what will be saved.
    fn open_summary(&mut self, now: Instant, effects: &mut Vec<Effect>) {
        let outcome = self.walk.apply(Action::EndPause, now);
        self.after(outcome, now, effects);
        self.screen = Screen::Summary;
        self.scroll = 0;
    }

    /// Esc, Ctrl-Q, Ctrl-C: ask first when there are notes to lose.
    fn quit(&mut self, _now: Instant, effects: &mut Vec<Effect>) {
        if self.walk.has_notes() {
            self.screen = Screen::ConfirmQuit;
        } else {
            self.discard_copy(effects);
            effects.push(Effect::Quit(Exit::Discarded));
        }
    }

    /// The start screen's offer on Ctrl-`c`, while no notes are written.
    pub fn offer(&self, c: char) -> Option<Offer> {
        if self.walk.has_notes() {
            return None;
        }
        let (_, offers) = self.notice.as_ref()?;
        offers
            .iter()
            .find(|o| matches!((o, c), (Offer::FollowUp(_), 'f') | (Offer::Resume(_), 'r')))
            .cloned()
    }

    fn discard_copy(&mut self, effects: &mut Vec<Effect>) {
        if self.on_disk {
            match &self.original {
                // A resumed session existed before this run: discarding
                // drops only what this run changed.
                Some(original) => effects.push(Effect::Save(original.clone(), SaveKind::Autosave)),
                None => effects.push(Effect::Discard(self.walk.session_id().to_owned())),
            }
            self.on_disk = false;
        }
    }

    /// The save that ends the run: finished, or kept as unfinished.
    fn save_for(&self, kind: SaveKind, now: Instant) -> Effect {
        let finished = (kind == SaveKind::Finish).then(|| (self.wall_clock)());
        Effect::Save(self.walk.session(now, finished), kind)
    }

    fn finish_save(&mut self, now: Instant) -> Effect {
        if self.keeps {
            self.save_for(SaveKind::Finish, now)
        } else {
            let session = self.walk.session(now, None);
            Effect::Quit(Exit::Finished {
                id: session.id,
                saved: false,
            })
        }
    }

    /// Is there anything a clinician would miss if it were not kept?
    fn worth_keeping(&self) -> bool {
        self.walk.has_notes() || self.on_disk
    }

    fn after(&mut self, outcome: Outcome, now: Instant, effects: &mut Vec<Effect>) {
        if outcome.pause_completed {
            effects.push(Effect::Bell);
        }
        if outcome.moved && self.keeps && (self.dirty || self.walk.has_notes()) {
            self.autosave(now, effects);
        }
    }

    fn autosave_if_due(&mut self, now: Instant, effects: &mut Vec<Effect>) {
        if self.autosave_due.is_some_and(|due| due <= now) {
            self.autosave(now, effects);
        }
    }

    fn autosave(&mut self, now: Instant, effects: &mut Vec<Effect>) {
        self.autosave_due = None;
        if !self.keeps || !self.dirty {
            return;
        }
        effects.push(Effect::Save(
            self.walk.session(now, None),
            SaveKind::Autosave,
        ));
    }

    fn saved(
        &mut self,
        kind: SaveKind,
        result: Result<(), String>,
        now: Instant,
        effects: &mut Vec<Effect>,
    ) {
        let id = self.walk.session_id().to_owned();
        match (kind, result) {
            (SaveKind::Autosave, Ok(())) => {
                self.on_disk = true;
                self.dirty = false;
                if self
                    .status
                    .as_deref()
                    .is_some_and(|s| s.starts_with("Autosave"))
                {
                    self.status = None;
                }
            }
            (SaveKind::Autosave, Err(e)) => {
                // Keep going: the notes are still here, and the next save retries.
                self.status = Some(format!("Autosave failed: {e}. Your notes are still here."));
                self.autosave_due = Some(now + AUTOSAVE_AFTER * 5);
            }
            (SaveKind::Finish, Ok(())) => {
                effects.push(Effect::Quit(Exit::Finished { id, saved: true }))
            }
            (SaveKind::Unfinished, Ok(())) => effects.push(Effect::Quit(Exit::Unfinished { id })),
            (SaveKind::Finish | SaveKind::Unfinished, Err(e)) => {
                self.screen = Screen::SaveFailed(e, kind);
            }
            (SaveKind::Signal(number), result) => {
                let unsaved = result.is_err().then(|| self.walk.session(now, None));
                effects.push(Effect::Quit(Exit::Signal {
                    number,
                    id: result.is_ok().then_some(id),
                    unsaved,
                }));
            }
        }
    }
}
