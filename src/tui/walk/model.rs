//! The walk-through's model and its `update`: keys and time in, effects
//! out. No terminal and no disk here: [`super::WalkProgram`] carries out the
//! effects and reports back, so every path can be tested without a
//! terminal.

use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};
use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::{Position, Rect};
use ratatui_textarea::{TextArea, WrapMode};

use crate::journal::{Journal, Session};
use crate::practice::{Action, Outcome, Stage, Walk};
use crate::tui::keys::scroll_key;
use crate::tui::keys::{self, Hint};
use crate::tui::terminal::Kept;
use crate::tui::walk::keys::{
    FAILED, FailedCmd, QUIT, QuitCmd, SUMMARY, SummaryCmd, WALK, WalkCmd,
};

/// How soon after a keystroke the notes are autosaved.
pub const AUTOSAVE_AFTER: Duration = Duration::from_secs(1);

/// How often a save is tried again while another repair command holds the
/// store (an encrypt, decrypt or import): the screen never waits on it.
pub const BUSY_RETRY: Duration = Duration::from_millis(250);

/// The status line while a save waits for another command.
/// Short enough for one line of the 76-column reading width.
pub const WAITING_LINE: &str =
    "Waiting to save: another repair command is busy. Your notes are safe here.";

/// What the status line at the top is about: what clears it is decided by
/// its kind, never by its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKind {
    /// Something to read (a notice, a copy kept, a save not made): it stays
    /// until another line replaces it.
    Notice,
    /// A save is waiting for another command or has failed: the next
    /// autosave (or restore) that succeeds clears it.
    Saving,
}

/// The one-line message at the top of the walk and what it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub kind: StatusKind,
    pub text: String,
}

impl Status {
    pub fn notice(text: impl Into<String>) -> Self {
        Status {
            kind: StatusKind::Notice,
            text: text.into(),
        }
    }

    pub fn saving(text: impl Into<String>) -> Self {
        Status {
            kind: StatusKind::Saving,
            text: text.into(),
        }
    }
}

/// Which screen is showing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WalkScreen {
    Walk,
    /// Ctrl-S: the steps and their notes, before saving.
    Summary,
    /// Asking what to do with unsaved notes before quitting.
    ConfirmQuit,
    /// A save on the way out failed: the notes stay on screen. Holds the
    /// error and the save to retry.
    SaveFailed(SaveError, SaveKind),
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
    /// "Discard" on a resumed session or follow-up: put back the session as
    /// it was before this run.
    Restore,
}

impl SaveKind {
    /// Whether this save waits for another command holding the store. Only
    /// the saves made on the way out do (a signal, a restore on discard):
    /// the others are tried again on a timer so the screen stays live.
    pub fn waits(self) -> bool {
        matches!(self, SaveKind::Signal(_) | SaveKind::Restore)
    }
}

/// Why a save of the walk failed: the store's error (already one sentence
/// saying what to do), shared so that a message, a screen or an exit
/// holding it can be copied. Two are equal when they say the same words:
/// that is all a clinician can tell apart.
#[derive(Debug, Clone, thiserror::Error)]
#[error(transparent)]
pub struct SaveError(std::sync::Arc<dyn std::error::Error + Send + Sync>);

impl SaveError {
    pub fn new(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        SaveError(std::sync::Arc::new(error))
    }
}

impl From<crate::journal::StoreError> for SaveError {
    fn from(error: crate::journal::StoreError) -> Self {
        SaveError::new(error)
    }
}

impl PartialEq for SaveError {
    fn eq(&self, other: &Self) -> bool {
        self.to_string() == other.to_string()
    }
}

impl Eq for SaveError {}

/// Something for the event loop to do.
#[derive(Debug, Clone, PartialEq)]
pub enum WalkEffect {
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
    /// Finished with nothing written and no pause taken: nothing was kept.
    NothingKept,
    /// The last save failed: the session must be printed so nothing is lost.
    Unsaved { session: Session, error: SaveError },
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
    /// The result of a [`WalkEffect::Save`].
    Saved(SaveKind, Result<(), SaveError>),
    /// A [`WalkEffect::Save`] that does not wait ([`SaveKind::waits`]) found
    /// the store held by another command: nothing was written.
    SaveWaiting(Box<Session>, SaveKind),
    /// The wheel or a click (only with the `mouse` setting on).
    Mouse(MouseEvent),
    /// A [`WalkEffect::Save`] found the session on disk changed or deleted
    /// elsewhere since this window opened or last saved it: nothing was
    /// written (the message says what happened; `deleted`: it is gone).
    Stale {
        kind: SaveKind,
        error: SaveError,
        deleted: bool,
    },
}

/// What a draw of the walk measured, handed to the app by the program
/// ([`App::measured`]): how far the page and an open overlay can scroll,
/// and where each step stands on the rail, for the keys and the mouse.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Measured {
    pub scroll_max: u16,
    pub overlay_max: u16,
    pub rail_hits: Vec<(Rect, usize)>,
}

/// The whole state of the full-screen walk-through.
pub struct App {
    pub walk: Walk,
    /// One editor per step of the walk, so notes stay with their step.
    pub editors: Vec<TextArea<'static>>,
    pub screen: WalkScreen,
    /// The F1 help, open, scrolled this far.
    pub help: Option<u16>,
    /// The F2 page about the protocol (summary, source, readings), open,
    /// scrolled this far.
    pub about: Option<u16>,
    /// How far the help or about page can scroll, as last drawn.
    pub overlay_max: u16,
    /// How far the guidance (or the summary) can scroll, as last drawn: the
    /// view measures, the keys stop there.
    pub scroll_max: u16,
    /// The start screen's question (practise this month's step alone, or walk all)
    /// is open until the first key that answers it.
    pub start_open: bool,
    /// Nothing has been saved before: the first screen says once more,
    /// plainly, what to do.
    pub first_run: bool,
    /// Notes are encrypted at rest already.
    pub encrypted: bool,
    /// Where each step stands on the rail, as last drawn: a click there
    /// goes to that step.
    pub rail_hits: Vec<(Rect, usize)>,
    /// Whether anything is kept on disk (false with `--no-save`).
    pub keeps: bool,
    /// Lines scrolled in the guidance pane (and the summary).
    pub scroll: u16,
    /// A one-line message at the top, e.g. a notice or an autosave problem.
    pub status: Option<Status>,
    /// A quiet line at the start (follow-ups waiting, an unfinished session)
    /// and what its keys open; shown only until the walk has begun.
    pub notice: Option<(String, Vec<Offer>)>,
    /// For a resumed walk or a follow-up: the session as it was, so that
    /// "discard" puts it back instead of deleting it.
    pub original: Option<Session>,
    autosave_due: Option<Instant>,
    /// A save on the way out (finish or unfinished) to try again at this
    /// time, because another command held the store.
    retry: Option<(Instant, Session, SaveKind)>,
    /// The last pause noticed as taken (step and time), so it is kept once.
    seen_pause: Option<(usize, Option<Duration>)>,
    /// An unfinished copy exists on disk (so discarding must remove it).
    on_disk: bool,
    /// The saved session was changed or deleted elsewhere: the save-failed
    /// screen offers to keep the notes as a new session instead of a retry.
    pub copy_offer: bool,
    /// A save on a signal already turned the notes into a new session
    /// once (a second refusal prints them instead).
    copied_on_signal: bool,
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
    /// Keeps what the last draw measured, so keys and clicks act on the
    /// screen as drawn.
    pub fn measured(&mut self, measured: Measured) {
        self.scroll_max = measured.scroll_max;
        self.overlay_max = measured.overlay_max;
        self.rail_hits = measured.rail_hits;
    }

    /// What a draw starts from: the measurements a screen it does not draw
    /// (the walk under the summary, say) keeps.
    pub fn last_measured(&self) -> Measured {
        Measured {
            scroll_max: self.scroll_max,
            overlay_max: self.overlay_max,
            rail_hits: self.rail_hits.clone(),
        }
    }

    /// The words of the status line, if one shows.
    pub fn status_line(&self) -> Option<&str> {
        self.status.as_ref().map(|s| s.text.as_str())
    }

    pub fn new(walk: Walk, keeps: bool) -> Self {
        let editors = (0..walk.len())
            .map(|i| new_editor(&walk.state_at(i).notes))
            .collect();
        App {
            walk,
            editors,
            screen: WalkScreen::Walk,
            help: None,
            about: None,
            overlay_max: 0,
            scroll_max: u16::MAX,
            start_open: true,
            rail_hits: Default::default(),
            first_run: false,
            encrypted: false,
            keeps,
            scroll: 0,
            status: None,
            notice: None,
            original: None,
            autosave_due: None,
            retry: None,
            seen_pause: None,
            on_disk: false,
            copy_offer: false,
            copied_on_signal: false,
            dirty: false,
            wall_clock: crate::journal::local_now,
            reduce_motion: false,
        }
    }

    /// The terminal failed and the walk-through cannot go on: save what
    /// there is as an unfinished session, or hand it back to be printed.
    /// The terminal's error itself never passes through the model: the
    /// runtime carries it, typed, to where it is printed.
    pub fn rescue(&mut self, journal: &mut dyn Journal, now: Instant) -> Kept {
        if !self.worth_keeping() || !self.keeps {
            return Kept::default();
        }
        let session = self.walk.session(now, None);
        match journal.save(&session) {
            Ok(()) => Kept {
                id: Some(session.id),
                unsaved: None,
            },
            Err(_) => Kept {
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
            WalkScreen::Walk | WalkScreen::ConfirmQuit if self.reduce_motion => {
                self.walk.next_deadline_without_pacer(now)
            }
            WalkScreen::Walk | WalkScreen::ConfirmQuit => self.walk.next_deadline(now),
            _ => None,
        };
        [pause, self.autosave_due, self.retry.as_ref().map(|r| r.0)]
            .into_iter()
            .flatten()
            .min()
    }

    /// Handles one message; returns what the loop must do, in order.
    pub fn update(&mut self, msg: Msg, now: Instant) -> Vec<WalkEffect> {
        let mut effects = Vec::new();
        let outcome = self.walk.tick(now);
        self.after(outcome, now, &mut effects);
        match msg {
            Msg::Key(key) if key.kind != KeyEventKind::Release => {
                self.cancel_retry();
                self.key(key, now, &mut effects)
            }
            Msg::Key(_) | Msg::Resize => {}
            Msg::Paste(text) => {
                self.cancel_retry();
                self.paste(&text, now, &mut effects)
            }
            Msg::Tick => {
                self.autosave_if_due(now, &mut effects);
                self.retry_if_due(now, &mut effects);
            }
            Msg::Signal(number) => {
                if self.worth_keeping() && self.keeps {
                    effects.push(WalkEffect::Save(
                        self.walk.session(now, None),
                        SaveKind::Signal(number),
                    ));
                } else {
                    self.discard_copy(&mut effects);
                    effects.push(WalkEffect::Quit(Exit::Signal {
                        number,
                        id: None,
                        unsaved: None,
                    }));
                }
            }
            Msg::Saved(kind, result) => self.saved(kind, result, now, &mut effects),
            Msg::SaveWaiting(session, kind) => self.save_waiting(*session, kind, now),
            Msg::Stale {
                kind,
                error,
                deleted,
            } => self.stale(kind, error, deleted, now, &mut effects),
            Msg::Mouse(event) => self.mouse(event, now, &mut effects),
        }
        effects
    }

    /// The wheel scrolls what is showing; a click on a step of the rail
    /// goes there.
    fn mouse(&mut self, event: MouseEvent, now: Instant, effects: &mut Vec<WalkEffect>) {
        let overlay = if self.help.is_some() {
            Some(&mut self.help)
        } else if self.about.is_some() {
            Some(&mut self.about)
        } else {
            None
        };
        let step = match event.kind {
            MouseEventKind::ScrollUp => -3,
            MouseEventKind::ScrollDown => 3,
            MouseEventKind::Down(MouseButton::Left) => 0,
            _ => return,
        };
        if let Some(scroll) = overlay {
            let at = i32::from(scroll.unwrap_or(0)) + step;
            *scroll = Some(at.clamp(0, i32::from(self.overlay_max)) as u16);
            return;
        }
        match self.screen {
            WalkScreen::Walk | WalkScreen::Summary if step != 0 => self.scroll_by(step),
            WalkScreen::Walk => {
                let at = Position::new(event.column, event.row);
                let hit = self
                    .rail_hits
                    .iter()
                    .find(|(rect, _)| rect.contains(at))
                    .map(|&(_, pos)| pos);
                if let Some(pos) = hit {
                    self.start_open = false;
                    let outcome = self.walk.apply(Action::GoTo(pos), now);
                    if outcome.moved {
                        self.scroll = 0;
                    }
                    self.after(outcome, now, effects);
                }
            }
            _ => {}
        }
    }

    fn key(&mut self, key: KeyEvent, now: Instant, effects: &mut Vec<WalkEffect>) {
        if self.help.is_some() || self.about.is_some() {
            // Up/Down and the page keys scroll the overlay; any other key
            // closes it and does nothing else.
            let scroll = if self.help.is_some() {
                &mut self.help
            } else {
                &mut self.about
            };
            *scroll = scroll_key(&key, scroll.unwrap_or(0), self.overlay_max);
            return;
        }
        match &self.screen {
            WalkScreen::ConfirmQuit => match keys::lookup(QUIT, &key, |c| self.quit_hint(c)) {
                Some(QuitCmd::Save) => effects.push(self.save_for(SaveKind::Unfinished, now)),
                Some(QuitCmd::Discard) => {
                    self.discard_copy(effects);
                    effects.push(WalkEffect::Quit(Exit::Discarded));
                }
                Some(QuitCmd::Keep) => self.screen = WalkScreen::Walk,
                Some(QuitCmd::Help) => self.help = Some(0),
                None => {}
            },
            WalkScreen::SaveFailed(error, kind) => {
                let kind = *kind;
                match keys::lookup(FAILED, &key, |c| self.failed_hint(c)) {
                    Some(FailedCmd::Retry) => effects.push(self.save_for(kind, now)),
                    Some(FailedCmd::Copy) => self.keep_as_copy(kind, now, effects),
                    Some(FailedCmd::Quit) => {
                        let finished = (kind == SaveKind::Finish).then(|| (self.wall_clock)());
                        let session = self.walk.session(now, finished);
                        let error = error.clone();
                        effects.push(WalkEffect::Quit(Exit::Unsaved { session, error }));
                    }
                    Some(FailedCmd::Help) => self.help = Some(0),
                    None => {}
                }
            }
            WalkScreen::Summary => match keys::lookup(SUMMARY, &key, |c| self.summary_hint(c)) {
                Some(SummaryCmd::Save) => effects.push(self.finish_save(now)),
                Some(SummaryCmd::Back) => {
                    self.screen = WalkScreen::Walk;
                    self.scroll = 0;
                }
                Some(SummaryCmd::Quit) => self.quit(now, effects),
                Some(SummaryCmd::Help) => self.help = Some(0),
                Some(SummaryCmd::Up) => self.scroll_by(-1),
                Some(SummaryCmd::Down) => self.scroll_by(1),
                Some(SummaryCmd::PageUp) => self.scroll_by(-10),
                Some(SummaryCmd::PageDown) => self.scroll_by(10),
                Some(SummaryCmd::Top) => self.scroll = 0,
                Some(SummaryCmd::Bottom) => self.scroll = self.scroll_max,
                None => {}
            },
            WalkScreen::Walk => self.walk_key(key, now, effects),
        }
    }

    /// What a walk command is right now: off, working quietly, or offered
    /// in the footer with these words. The one place that decides, for the
    /// keys, the footer and the help alike.
    pub fn walk_hint(&self, cmd: WalkCmd) -> Hint {
        let stage = &self.walk.state().stage;
        let start = self.focus_offer().is_some();
        match cmd {
            WalkCmd::FollowUp if self.offer('f').is_some() => Hint::shown("follow-up"),
            WalkCmd::Resume if self.offer('r').is_some() => Hint::shown("resume"),
            WalkCmd::FollowUp | WalkCmd::Resume => Hint::Off,
            WalkCmd::DrillFocus if start => Hint::shown("one step"),
            WalkCmd::WalkAll if start => Hint::shown("walk all"),
            WalkCmd::DrillFocus | WalkCmd::WalkAll => Hint::Off,
            // While the start screen offers this month's step, Enter drills
            // it; Space still begins the first pause.
            WalkCmd::BeginPause if start => Hint::Quiet,
            WalkCmd::BeginPause if *stage == Stage::Offer => Hint::shown("begin pause"),
            WalkCmd::Hold => match stage {
                Stage::Pausing(t) if t.is_running() => Hint::shown("hold"),
                Stage::Pausing(_) => Hint::shown("resume"),
                _ => Hint::Off,
            },
            WalkCmd::EndPause | WalkCmd::Extend if !matches!(stage, Stage::Pausing(_)) => Hint::Off,
            WalkCmd::EndPause => Hint::shown("end"),
            WalkCmd::Extend => Hint::shown("30 s"),
            WalkCmd::Pacer if !self.walk.pacer_offered() => Hint::Off,
            WalkCmd::Pacer if self.walk.breath().is_some() => Hint::shown("pacer off"),
            WalkCmd::Pacer => Hint::shown("pacer on"),
            WalkCmd::BeginPause => Hint::Off,
            WalkCmd::Next if start => Hint::Quiet,
            WalkCmd::Next => match stage {
                Stage::Offer => Hint::shown("skip"),
                Stage::Pausing(_) => Hint::Quiet,
                Stage::Notes if self.walk.is_last() => Hint::shown("finish"),
                Stage::Notes => Hint::shown("next"),
            },
            // On the last step Tab already finishes: one way is offered.
            WalkCmd::Finish if self.walk.is_last() || *stage != Stage::Notes => Hint::Quiet,
            WalkCmd::Finish => Hint::shown("finish"),
            WalkCmd::Prev if self.walk.position() == 0 => Hint::Off,
            WalkCmd::Prev if *stage == Stage::Notes => Hint::shown("back"),
            WalkCmd::Prev => Hint::Quiet,
            WalkCmd::PauseAgain if self.walk.step().pause.is_some() && *stage == Stage::Notes => {
                Hint::Quiet
            }
            WalkCmd::PauseAgain => Hint::Off,
            WalkCmd::Jump if self.walk.len() > 1 => Hint::Quiet,
            WalkCmd::Jump => Hint::Off,
            WalkCmd::ScrollUp | WalkCmd::ScrollDown | WalkCmd::About => Hint::Quiet,
            WalkCmd::Quit => Hint::shown("quit"),
            WalkCmd::Help => Hint::shown("help"),
            WalkCmd::Edit => Hint::Off,
        }
    }

    pub fn summary_hint(&self, cmd: SummaryCmd) -> Hint {
        self.summary_hint_measured(cmd, self.scroll_max)
    }

    /// [`App::summary_hint`] with the list's reach as measured this frame
    /// (the view draws the list before the footer).
    pub fn summary_hint_measured(&self, cmd: SummaryCmd, scroll_max: u16) -> Hint {
        match cmd {
            SummaryCmd::Save if self.keeps => Hint::shown("save and quit"),
            SummaryCmd::Save => Hint::shown("close (nothing is saved)"),
            // Offered only when there is more to see.
            SummaryCmd::Down if scroll_max > 0 => Hint::shown("scroll"),
            SummaryCmd::Back => Hint::shown("back"),
            SummaryCmd::Help => Hint::shown("help"),
            _ => Hint::Quiet,
        }
    }

    pub fn quit_hint(&self, cmd: QuitCmd) -> Hint {
        match cmd {
            QuitCmd::Save if !self.keeps => Hint::Off,
            QuitCmd::Save => Hint::shown("save as unfinished"),
            QuitCmd::Discard if self.keeps => Hint::shown("discard these notes"),
            QuitCmd::Discard => Hint::shown("quit, let the notes go"),
            QuitCmd::Keep => Hint::shown("keep going"),
            QuitCmd::Help => Hint::shown("help"),
        }
    }

    fn walk_key(&mut self, key: KeyEvent, now: Instant, effects: &mut Vec<WalkEffect>) {
        let cmd = keys::lookup(WALK, &key, |c| self.walk_hint(c));
        // Digits alone jump only during a pause; while writing they are text.
        let cmd = match cmd {
            Some(WalkCmd::Jump)
                if !key.modifiers.contains(KeyModifiers::ALT)
                    && !matches!(self.walk.state().stage, Stage::Pausing(_)) =>
            {
                None
            }
            other => other,
        };
        if !matches!(cmd, Some(WalkCmd::Help | WalkCmd::About)) {
            // Anything else done on the start screen answers its offer.
            self.start_open = false;
        }
        let action = match cmd {
            Some(WalkCmd::FollowUp | WalkCmd::Resume) => {
                let c = if cmd == Some(WalkCmd::FollowUp) {
                    'f'
                } else {
                    'r'
                };
                if let Some(offer) = self.offer(c) {
                    effects.push(WalkEffect::Quit(Exit::Open(offer)));
                }
                None
            }
            Some(WalkCmd::DrillFocus) => {
                if let Some(id) = self.walk.protocol().focus.clone() {
                    self.drill_instead(&id);
                }
                None
            }
            // The offer is closed above: the walk goes on from step 1.
            Some(WalkCmd::WalkAll) => None,
            Some(WalkCmd::BeginPause) => Some(Action::BeginPause),
            Some(WalkCmd::Hold) => Some(Action::TogglePause),
            Some(WalkCmd::EndPause) => Some(Action::EndPause),
            Some(WalkCmd::Extend) => Some(Action::Extend),
            Some(WalkCmd::Pacer) => Some(Action::TogglePacer),
            Some(WalkCmd::Next)
                if self.walk.is_last() && self.walk.state().stage == Stage::Notes =>
            {
                self.open_summary(now, effects);
                None
            }
            Some(WalkCmd::Next) => Some(Action::Next),
            Some(WalkCmd::Prev) => Some(Action::Prev),
            Some(WalkCmd::Finish) => {
                self.open_summary(now, effects);
                None
            }
            Some(WalkCmd::PauseAgain) => Some(Action::PauseAgain),
            Some(WalkCmd::Jump) => crate::tui::walk::keys::digit(&key)
                .filter(|&d| d < self.walk.len())
                .map(Action::GoTo),
            Some(WalkCmd::ScrollUp) => {
                self.scroll_by(-5);
                None
            }
            Some(WalkCmd::ScrollDown) => {
                self.scroll_by(5);
                None
            }
            Some(WalkCmd::About) => {
                self.about = Some(0);
                None
            }
            Some(WalkCmd::Quit) => {
                self.quit(now, effects);
                None
            }
            Some(WalkCmd::Help) => {
                self.help = Some(0);
                None
            }
            Some(WalkCmd::Edit) | None => {
                let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
                match self.walk.state().stage {
                    // A pause takes no typing.
                    Stage::Pausing(_) => {}
                    // Typing on an offered pause goes to the notes.
                    Stage::Offer if ctrl || !matches!(key.code, KeyCode::Char(_)) => {}
                    Stage::Offer | Stage::Notes => self.edit(|e| e.input(key), now, effects),
                }
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

    /// Scrolls the guidance or summary, never past its end.
    fn scroll_by(&mut self, lines: i32) {
        let to = i32::from(self.scroll) + lines;
        self.scroll = to.clamp(0, i32::from(self.scroll_max)) as u16;
    }

    /// Runs an edit on the current editor and tells the walk the new text.
    fn edit(
        &mut self,
        f: impl FnOnce(&mut TextArea<'static>) -> bool,
        now: Instant,
        effects: &mut Vec<WalkEffect>,
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

    fn paste(&mut self, text: &str, now: Instant, effects: &mut Vec<WalkEffect>) {
        if self.screen != WalkScreen::Walk || self.help.is_some() || self.about.is_some() {
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

    /// Ctrl-S (or Tab on the last step). A running pause ends here: the
    /// summary shows what will be saved.
    fn open_summary(&mut self, now: Instant, effects: &mut Vec<WalkEffect>) {
        let outcome = self.walk.apply(Action::EndPause, now);
        self.after(outcome, now, effects);
        self.screen = WalkScreen::Summary;
        self.scroll = 0;
    }

    /// Esc, Ctrl-Q, Ctrl-C: ask first when there are notes to lose.
    fn quit(&mut self, _now: Instant, effects: &mut Vec<WalkEffect>) {
        if self.walk.has_notes() {
            self.screen = WalkScreen::ConfirmQuit;
        } else {
            self.discard_copy(effects);
            effects.push(WalkEffect::Quit(Exit::Discarded));
        }
    }

    /// The step this month's practice drills, while the start screen offers
    /// it: a whole new walk of a protocol that names a `focus`, nothing done yet.
    pub fn focus_offer(&self) -> Option<&crate::protocol::Step> {
        let id = self.walk.protocol().focus.as_ref()?;
        let fresh = self.start_open
            && self.original.is_none()
            && self.walk.drill().is_none()
            && !self.walk.is_follow_up()
            && self.walk.position() == 0
            && !self.walk.worth_keeping()
            && self.walk.len() > 1;
        if !fresh {
            return None;
        }
        self.walk.protocol().step(id)
    }

    /// "walk all six" (or however many steps the walk has).
    pub fn all_steps(&self) -> String {
        match self.walk.len() {
            6 => "walk all six".to_owned(),
            n => format!("walk all {n}"),
        }
    }

    /// Enter on the start screen's focus offer: the same session, drilling
    /// that step instead of walking all of them.
    fn drill_instead(&mut self, id: &str) {
        self.walk = self.walk.drill_instead(id);
        self.editors = (0..self.walk.len())
            .map(|i| new_editor(&self.walk.state_at(i).notes))
            .collect();
        self.scroll = 0;
        self.start_open = false;
    }

    /// The start screen's offer on Ctrl-`c`, until the walk has begun (a
    /// pause taken, a step moved, notes typed): after that, taking it would
    /// set this walk aside, so the key is off (and gone from the footer).
    pub fn offer(&self, c: char) -> Option<Offer> {
        if self.walk.has_begun() {
            return None;
        }
        let (_, offers) = self.notice.as_ref()?;
        offers
            .iter()
            .find(|o| matches!((o, c), (Offer::FollowUp(_), 'f') | (Offer::Resume(_), 'r')))
            .cloned()
    }

    fn discard_copy(&mut self, effects: &mut Vec<WalkEffect>) {
        if self.on_disk {
            match &self.original {
                // A resumed session existed before this run: discarding
                // drops only what this run changed.
                Some(original) => {
                    effects.push(WalkEffect::Save(original.clone(), SaveKind::Restore))
                }
                None => effects.push(WalkEffect::Discard(self.walk.session_id().to_owned())),
            }
            self.on_disk = false;
        }
    }

    /// The save that ends the run: finished, or kept as unfinished.
    fn save_for(&self, kind: SaveKind, now: Instant) -> WalkEffect {
        let finished = (kind == SaveKind::Finish).then(|| (self.wall_clock)());
        WalkEffect::Save(self.walk.session(now, finished), kind)
    }

    fn finish_save(&mut self, now: Instant) -> WalkEffect {
        if !self.worth_keeping() {
            // No notes, no pause: an empty session would only nag later.
            return WalkEffect::Quit(Exit::NothingKept);
        }
        if self.keeps {
            self.save_for(SaveKind::Finish, now)
        } else {
            let session = self.walk.session(now, None);
            WalkEffect::Quit(Exit::Finished {
                id: session.id,
                saved: false,
            })
        }
    }

    /// Is there anything a clinician would miss if it were not kept?
    pub fn worth_keeping(&self) -> bool {
        self.walk.worth_keeping() || self.on_disk || self.original.is_some()
    }

    fn after(&mut self, outcome: Outcome, now: Instant, effects: &mut Vec<WalkEffect>) {
        if outcome.pause_completed {
            effects.push(WalkEffect::Bell);
        }
        // A pause taken is worth keeping, and where the walk stands is part
        // of what is kept: both count as changes once there is anything.
        let paused = outcome.pause_completed || (outcome.changed && self.pause_just_ended());
        if (outcome.moved || paused) && self.keeps && self.worth_keeping() {
            self.dirty = true;
            if outcome.moved {
                self.autosave(now, effects);
            } else {
                self.autosave_due.get_or_insert(now + AUTOSAVE_AFTER);
            }
        }
    }

    /// The current step's pause has just been taken (it is over, with time).
    fn pause_just_ended(&mut self) -> bool {
        let state = self.walk.state();
        let now_paused = state.stage == Stage::Notes && state.paused.is_some();
        let was = self.seen_pause == Some((self.walk.position(), state.paused));
        if now_paused && !was {
            self.seen_pause = Some((self.walk.position(), state.paused));
            return true;
        }
        false
    }

    /// What the save-failed screen offers: a retry, or (when the saved
    /// session changed or went away elsewhere, so a retry cannot work) a
    /// new session instead.
    pub fn failed_hint(&self, cmd: FailedCmd) -> Hint {
        match cmd {
            FailedCmd::Retry if self.copy_offer => Hint::Off,
            FailedCmd::Retry => Hint::shown("retry"),
            FailedCmd::Copy if self.copy_offer => Hint::shown("keep as a new session"),
            FailedCmd::Copy => Hint::Off,
            FailedCmd::Quit => Hint::shown("quit, print notes"),
            FailedCmd::Help => Hint::shown("help"),
        }
    }

    /// The session on disk is not the one this window opened or last
    /// wrote: nothing is written over it. The notes stay on screen with an
    /// offer to keep them as a new session. On a signal there is no time to
    /// ask: a session changed elsewhere is kept as a conflict copy at once
    /// (both versions stay); one deleted elsewhere is not brought back
    /// unasked, and its notes are printed instead.
    fn stale(
        &mut self,
        kind: SaveKind,
        error: SaveError,
        deleted: bool,
        now: Instant,
        effects: &mut Vec<WalkEffect>,
    ) {
        match kind {
            SaveKind::Signal(_) if !deleted && !self.copied_on_signal => {
                self.copied_on_signal = true;
                self.become_copy();
                effects.push(WalkEffect::Save(self.walk.session(now, None), kind));
            }
            SaveKind::Signal(number) => effects.push(WalkEffect::Quit(Exit::Signal {
                number,
                id: None,
                unsaved: Some(self.walk.session(now, None)),
            })),
            // Discarding this run's changes: what is on disk now is someone
            // else's, and stays as it is.
            SaveKind::Restore => {}
            SaveKind::Autosave | SaveKind::Finish | SaveKind::Unfinished => {
                self.autosave_due = None;
                self.retry = None;
                self.copy_offer = true;
                self.screen = WalkScreen::SaveFailed(error, kind);
            }
        }
    }

    /// `n` on the save-failed screen: the notes become a new session (a
    /// conflict copy naming the original) and the save that failed is made
    /// for it; an autosave goes back to the walk.
    fn keep_as_copy(&mut self, kind: SaveKind, now: Instant, effects: &mut Vec<WalkEffect>) {
        let original = self.walk.session_id().to_owned();
        self.become_copy();
        // Fits the 76-column reading width; the new id is said on leaving.
        self.status = Some(Status::notice(format!(
            "Kept as a new session, a conflict copy of {original}."
        )));
        match kind {
            SaveKind::Finish | SaveKind::Unfinished => effects.push(self.save_for(kind, now)),
            _ => {
                self.screen = WalkScreen::Walk;
                self.dirty = true;
                self.autosave(now, effects);
            }
        }
    }

    /// The walk's notes are from now on a new session, a conflict copy of
    /// the one they were opened from (which this window no longer touches:
    /// a discard removes only the copy).
    fn become_copy(&mut self) {
        let id = crate::journal::new_session_id(&(self.wall_clock)());
        self.walk.become_copy(id);
        self.original = None;
        self.on_disk = false;
        self.copy_offer = false;
    }

    /// Another command holds the store: say so, keep everything, and try
    /// again shortly (an autosave with the notes as they are then).
    fn save_waiting(&mut self, session: Session, kind: SaveKind, now: Instant) {
        self.status = Some(Status::saving(WAITING_LINE));
        match kind {
            SaveKind::Autosave => self.autosave_due = Some(now + BUSY_RETRY),
            _ => self.retry = Some((now + BUSY_RETRY, session, kind)),
        }
    }

    fn retry_if_due(&mut self, now: Instant, effects: &mut Vec<WalkEffect>) {
        if self.retry.as_ref().is_some_and(|r| r.0 <= now)
            && let Some((_, session, kind)) = self.retry.take()
        {
            effects.push(WalkEffect::Save(session, kind));
        }
    }

    /// A key or a paste while a save on the way out waits: the clinician
    /// is doing something else, so that save is not made behind their back.
    fn cancel_retry(&mut self) {
        if self.retry.take().is_some() {
            self.status = Some(Status::notice(
                "Not saved yet: another repair command was changing your notes. Your notes are still here; save again when you are ready.",
            ));
        }
    }

    fn autosave_if_due(&mut self, now: Instant, effects: &mut Vec<WalkEffect>) {
        if self.autosave_due.is_some_and(|due| due <= now) {
            self.autosave(now, effects);
        }
    }

    fn autosave(&mut self, now: Instant, effects: &mut Vec<WalkEffect>) {
        self.autosave_due = None;
        if !self.keeps || !self.dirty {
            return;
        }
        effects.push(WalkEffect::Save(
            self.walk.session(now, None),
            SaveKind::Autosave,
        ));
    }

    fn saved(
        &mut self,
        kind: SaveKind,
        result: Result<(), SaveError>,
        now: Instant,
        effects: &mut Vec<WalkEffect>,
    ) {
        let id = self.walk.session_id().to_owned();
        match (kind, result) {
            (SaveKind::Autosave | SaveKind::Restore, Ok(())) => {
                self.on_disk = true;
                self.dirty = false;
                if self
                    .status
                    .as_ref()
                    .is_some_and(|s| s.kind == StatusKind::Saving)
                {
                    self.status = None;
                }
            }
            (SaveKind::Autosave | SaveKind::Restore, Err(e)) => {
                // Keep going: the notes are still here, and the next save retries.
                self.status = Some(Status::saving(format!(
                    "Autosave failed: {e}. Your notes are still here."
                )));
                self.autosave_due = Some(now + AUTOSAVE_AFTER * 5);
            }
            (SaveKind::Finish, Ok(())) => {
                effects.push(WalkEffect::Quit(Exit::Finished { id, saved: true }))
            }
            (SaveKind::Unfinished, Ok(())) => {
                effects.push(WalkEffect::Quit(Exit::Unfinished { id }))
            }
            (SaveKind::Finish | SaveKind::Unfinished, Err(e)) => {
                self.screen = WalkScreen::SaveFailed(e, kind);
            }
            (SaveKind::Signal(number), result) => {
                let unsaved = result.is_err().then(|| self.walk.session(now, None));
                effects.push(WalkEffect::Quit(Exit::Signal {
                    number,
                    id: result.is_ok().then_some(id),
                    unsaved,
                }));
            }
        }
    }
}
