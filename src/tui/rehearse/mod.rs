//! `repair rehearse` full screen: the model around the [`Rehearsal`] state
//! machine (which review row is selected), its key handling, and the
//! [`Program`] that the shared runtime runs. Drawing is in [`view`].
//!
//! Keys: on the round screen Enter starts the round (and again ends it
//! early), Space holds the timer. On the review, ↑/↓ move between rows,
//! Space or a step's number ticks a step, typing on the feedback row writes
//! the note, ←/→ change the difficulty and the next-card choice, `r` plays
//! the same card again, Enter goes on. Esc finishes early (with a summary).

pub mod view;

use std::io;
use std::sync::mpsc::Receiver;
use std::time::Instant;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::terminal::{self, Input, Program};
use super::theme::Theme;
use crate::journal::Journal;
use crate::practice::rehearse::{Action, Difficulty, Phase, Rehearsal};

/// How the full-screen rehearsal ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The closing screen was left. `saved`: with `--save`, the id or the error.
    Done {
        saved: Option<Result<String, String>>,
    },
    Signal(i32),
    Failed(String),
}

/// A row of the review screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    Step(usize),
    Feedback,
    Difficulty,
    NextCard,
}

/// The rehearsal plus what only the screen needs.
#[derive(Debug, Clone)]
pub struct RehearseApp {
    pub rehearsal: Rehearsal,
    /// The selected review row, as an index into [`RehearseApp::rows`].
    pub cursor: usize,
    /// Ring the bell after the next frame (the timer ran out).
    pub bell: bool,
    /// Whether rounds are saved (`--save`), for the closing screen.
    pub saving: bool,
}

/// What the program must do after a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    None,
    /// A round was reviewed: save the rounds so far (with `--save`).
    Save,
    /// Leave the closing screen.
    Quit,
}

impl RehearseApp {
    pub fn new(rehearsal: Rehearsal, saving: bool) -> Self {
        RehearseApp {
            rehearsal,
            cursor: 0,
            bell: false,
            saving,
        }
    }

    /// The review rows: each step, then feedback, difficulty, next card.
    pub fn rows(&self) -> Vec<Row> {
        let mut rows: Vec<Row> = (0..self.rehearsal.protocol().steps.len())
            .map(Row::Step)
            .collect();
        rows.extend([Row::Feedback, Row::Difficulty, Row::NextCard]);
        rows
    }

    pub fn row(&self) -> Row {
        self.rows()
            .get(self.cursor)
            .copied()
            .unwrap_or(Row::Feedback)
    }

    /// The passing of time.
    pub fn tick(&mut self, now: Instant) {
        if self.rehearsal.tick(now).time_up {
            self.bell = true;
            self.cursor = 0;
        }
    }

    pub fn key(&mut self, key: KeyEvent, now: Instant) -> Effect {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let stop = matches!(key.code, KeyCode::Esc)
            || (ctrl && matches!(key.code, KeyCode::Char('q' | 'c')));
        if *self.rehearsal.phase() == Phase::Closing {
            return match key.code {
                KeyCode::Enter | KeyCode::Esc | KeyCode::Char('q') => Effect::Quit,
                _ if stop => Effect::Quit,
                _ => Effect::None,
            };
        }
        if stop {
            // To the closing summary; with --save the rounds are saved
            // once more, now as finished.
            self.rehearsal.apply(Action::Stop, now);
            return Effect::Save;
        }
        match self.rehearsal.phase().clone() {
            Phase::Ready => {
                if key.code == KeyCode::Enter {
                    self.rehearsal.apply(Action::Start, now);
                }
                Effect::None
            }
            Phase::Playing(_) => {
                match key.code {
                    KeyCode::Enter => {
                        self.rehearsal.apply(Action::EndRound, now);
                        self.cursor = 0;
                    }
                    KeyCode::Char(' ') => {
                        self.rehearsal.apply(Action::ToggleHold, now);
                    }
                    _ => {}
                }
                Effect::None
            }
            Phase::Review => self.review_key(key, now),
            Phase::Closing => Effect::None,
        }
    }

    fn review_key(&mut self, key: KeyEvent, now: Instant) -> Effect {
        let rows = self.rows().len();
        let row = self.row();
        let round = self.rehearsal.round().clone();
        match key.code {
            KeyCode::Enter => {
                self.rehearsal.apply(Action::Next, now);
                self.cursor = 0;
                return Effect::Save;
            }
            KeyCode::Up | KeyCode::BackTab => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Down | KeyCode::Tab => self.cursor = (self.cursor + 1).min(rows - 1),
            KeyCode::Backspace if row == Row::Feedback => {
                let mut text = round.feedback.clone();
                text.pop();
                self.rehearsal.apply(Action::SetFeedback(text), now);
            }
            KeyCode::Char(c) if row == Row::Feedback => {
                let mut text = round.feedback.clone();
                text.push(c);
                self.rehearsal.apply(Action::SetFeedback(text), now);
            }
            KeyCode::Char(' ') => match row {
                Row::Step(i) => {
                    self.rehearsal.apply(Action::Toggle(i), now);
                }
                Row::Difficulty => self.shift_difficulty(1, now),
                Row::NextCard => {
                    self.rehearsal
                        .apply(Action::SetRepeat(!round.repeat_next), now);
                }
                Row::Feedback => {}
            },
            KeyCode::Char(c @ '1'..='9') => {
                let i = c as usize - '1' as usize;
                self.rehearsal.apply(Action::Toggle(i), now);
            }
            KeyCode::Char('r' | 'R') => {
                self.rehearsal
                    .apply(Action::SetRepeat(!round.repeat_next), now);
            }
            KeyCode::Left | KeyCode::Right => {
                let by = if key.code == KeyCode::Left { -1 } else { 1 };
                match row {
                    Row::Difficulty => self.shift_difficulty(by, now),
                    Row::NextCard => {
                        self.rehearsal
                            .apply(Action::SetRepeat(!round.repeat_next), now);
                    }
                    _ => {}
                }
            }
            _ => {}
        }
        Effect::None
    }

    fn shift_difficulty(&mut self, by: isize, now: Instant) {
        let all = Difficulty::ALL;
        let at = all
            .iter()
            .position(|d| *d == self.rehearsal.round().difficulty)
            .unwrap_or(1) as isize;
        let to = (at + by).clamp(0, all.len() as isize - 1) as usize;
        self.rehearsal.apply(Action::SetDifficulty(all[to]), now);
    }

    /// Pasted text goes into the feedback line, as one line.
    pub fn paste(&mut self, text: &str, now: Instant) {
        if *self.rehearsal.phase() != Phase::Review || self.row() != Row::Feedback {
            return;
        }
        let mut feedback = self.rehearsal.round().feedback.clone();
        for c in text.chars() {
            if c == '\n' || c == '\t' {
                feedback.push(' ');
            } else if !crate::sanitize::is_forbidden(c) {
                feedback.push(c);
            }
        }
        self.rehearsal.apply(Action::SetFeedback(feedback), now);
    }
}

struct RehearseProgram<'a> {
    app: RehearseApp,
    journal: &'a mut dyn Journal,
    theme: Theme,
    /// The bell setting: ring when a round's time is up.
    bell: bool,
    /// The last save's result, for the closing message.
    saved: Option<Result<String, String>>,
}

impl RehearseProgram<'_> {
    fn save(&mut self) {
        if !self.journal.keeps() {
            return;
        }
        let finished =
            (*self.app.rehearsal.phase() == Phase::Closing).then(crate::journal::local_now);
        let session = self.app.rehearsal.session(finished);
        self.saved = Some(
            self.journal
                .save(&session)
                .map(|_| session.id.clone())
                .map_err(|e| e.to_string()),
        );
    }
}

impl Program for RehearseProgram<'_> {
    type Output = Outcome;

    fn draw(&self, frame: &mut Frame, now: Instant) {
        view::draw(frame, &self.app, &self.theme, now);
    }

    fn deadline(&self, now: Instant) -> Option<Instant> {
        self.app.rehearsal.next_change(now)
    }

    fn handle(&mut self, input: Input, now: Instant) -> Option<Outcome> {
        match input {
            Input::Key(key) => match self.app.key(key, now) {
                Effect::Quit => {
                    return Some(Outcome::Done {
                        saved: self.saved.clone(),
                    });
                }
                Effect::Save => self.save(),
                Effect::None => {}
            },
            Input::Paste(text) => self.app.paste(&text, now),
            Input::Tick | Input::Resize => self.app.tick(now),
            Input::Signal(number) => {
                // The rounds reviewed so far are already saved with --save.
                return Some(Outcome::Signal(number));
            }
        }
        None
    }

    fn take_bell(&mut self) -> bool {
        std::mem::take(&mut self.app.bell) && self.bell
    }

    fn rescue(&mut self, error: io::Error, _now: Instant) -> Outcome {
        Outcome::Failed(error.to_string())
    }
}

/// Runs the rehearsal full screen until the closing screen is left.
pub fn run(
    rehearsal: Rehearsal,
    journal: &mut dyn Journal,
    signals: Receiver<i32>,
    presentation: crate::tui::Presentation,
) -> io::Result<Outcome> {
    crate::tui::force_color(&presentation.theme);
    let saving = journal.keeps();
    let mut program = RehearseProgram {
        app: RehearseApp::new(rehearsal, saving),
        journal,
        theme: presentation.theme,
        bell: presentation.bell,
        saved: None,
    };
    terminal::run(&mut program, signals)
}
