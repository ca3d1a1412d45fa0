//! `repair prep` full screen: the model around the [`Prep`] state machine
//! (which stem is selected, the words being typed), its keys, and the
//! [`Program`] the shared runtime runs. Drawing is in [`view`].
//!
//! Keys: Enter begins the scan (and ends it early), Tab skips it, Space holds
//! it. For each step, ↑/↓ pick a stem and Enter takes it; typing writes your
//! own words instead; Tab leaves the step without words; Shift-Tab goes back.
//! Then a line of intention and Enter, and the pocket card: Enter closes it,
//! and the card stays printed in the terminal. Esc leaves early, keeping
//! what was chosen as an unfinished session.

pub mod view;

use std::io;
use std::sync::mpsc::Receiver;
use std::time::Instant;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::terminal::{self, Input, Program};
use super::theme::Theme;
use crate::journal::Journal;
use crate::practice::prep::{Action, Prep, Stage};

/// How the full-screen prep ended. The prep is handed back so the pocket
/// card can be printed after the full screen closes.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// The pocket card was closed. `saved`: the id or the error (`None`
    /// with `--no-save`).
    Finished {
        prep: Box<Prep>,
        saved: Option<Result<String, String>>,
    },
    /// Left early; what was chosen is saved as unfinished under `saved`.
    Left {
        prep: Box<Prep>,
        saved: Option<Result<String, String>>,
    },
    Signal {
        number: i32,
        saved: Option<Result<String, String>>,
    },
    Failed(String),
}

/// The prep plus what only the screen needs.
#[derive(Debug, Clone)]
pub struct PrepApp {
    pub prep: Prep,
    /// The selected row on a words step: a stem, or (the last) your own words.
    pub selected: usize,
    /// Your own words for the current step.
    pub own: String,
    /// The intention being typed.
    pub intention: String,
    pub bell: bool,
}

/// What the program must do after a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    None,
    Finish,
    Leave,
}

impl PrepApp {
    pub fn new(prep: Prep) -> Self {
        PrepApp {
            prep,
            selected: 0,
            own: String::new(),
            intention: String::new(),
            bell: false,
        }
    }

    /// How many rows the current words step has (stems, then own words).
    fn rows(&self) -> usize {
        match self.prep.stage() {
            Stage::Words(n) => self.prep.word_step(*n).stems.len() + 1,
            _ => 0,
        }
    }

    /// Whether the own-words row is selected.
    pub fn own_selected(&self) -> bool {
        self.rows() > 0 && self.selected + 1 == self.rows()
    }

    /// Puts the selection where the words already chosen for this step are.
    fn settle_selection(&mut self) {
        self.selected = 0;
        self.own.clear();
        if let Stage::Words(n) = self.prep.stage() {
            let n = *n;
            let chosen = self.prep.words_at(n).unwrap_or("").to_string();
            let stems = &self.prep.word_step(n).stems;
            if let Some(i) = stems.iter().position(|s| *s == chosen) {
                self.selected = i;
            } else if !chosen.is_empty() {
                self.selected = stems.len();
                self.own = chosen;
            }
        }
    }

    pub fn tick(&mut self, now: Instant) {
        if self.prep.tick(now) {
            self.bell = true;
            self.settle_selection();
        }
    }

    pub fn key(&mut self, key: KeyEvent, now: Instant) -> Effect {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if key.code == KeyCode::Esc || (ctrl && matches!(key.code, KeyCode::Char('q' | 'c'))) {
            return if *self.prep.stage() == Stage::Card {
                Effect::Finish
            } else {
                Effect::Leave
            };
        }
        match self.prep.stage().clone() {
            Stage::ScanOffer => match key.code {
                KeyCode::Enter => self.prep.apply(Action::BeginScan, now),
                KeyCode::Tab => {
                    self.prep.apply(Action::SkipScan, now);
                    self.settle_selection();
                }
                _ => {}
            },
            Stage::Scanning(_) => match key.code {
                KeyCode::Enter => {
                    self.prep.apply(Action::EndScan, now);
                    self.settle_selection();
                }
                KeyCode::Char(' ') => self.prep.apply(Action::ToggleHold, now),
                _ => {}
            },
            Stage::Words(n) => self.words_key(key, n, now),
            Stage::Intention => match key.code {
                KeyCode::Enter => self
                    .prep
                    .apply(Action::SetIntention(self.intention.clone()), now),
                KeyCode::BackTab => {
                    self.prep.apply(Action::Back, now);
                    self.settle_selection();
                }
                KeyCode::Backspace => {
                    self.intention.pop();
                }
                KeyCode::Char(c) if !ctrl => self.intention.push(c),
                _ => {}
            },
            Stage::Card => {
                if matches!(key.code, KeyCode::Enter | KeyCode::Char('q')) {
                    return Effect::Finish;
                }
            }
        }
        Effect::None
    }

    fn words_key(&mut self, key: KeyEvent, n: usize, now: Instant) {
        let rows = self.rows();
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Up => self.selected = self.selected.saturating_sub(1),
            KeyCode::Down => self.selected = (self.selected + 1).min(rows - 1),
            KeyCode::Enter => {
                let words = if self.own_selected() {
                    self.own.clone()
                } else {
                    self.prep.word_step(n).stems[self.selected].clone()
                };
                self.prep.apply(Action::Choose(words), now);
                self.settle_selection();
            }
            KeyCode::Tab => {
                self.prep.apply(Action::Choose(String::new()), now);
                self.settle_selection();
            }
            KeyCode::BackTab => {
                self.prep.apply(Action::Back, now);
                self.settle_selection();
            }
            KeyCode::Backspace => {
                self.selected = rows - 1;
                self.own.pop();
            }
            KeyCode::Char(c) if !ctrl => {
                // Typing anywhere writes your own words.
                self.selected = rows - 1;
                self.own.push(c);
            }
            _ => {}
        }
    }

    /// Pasted text goes into whatever line is being typed, as one line.
    pub fn paste(&mut self, text: &str) {
        let clean: String = text
            .chars()
            .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
            .filter(|c| !crate::sanitize::is_forbidden(*c))
            .collect();
        match self.prep.stage() {
            Stage::Words(_) => {
                self.selected = self.rows() - 1;
                self.own.push_str(&clean);
            }
            Stage::Intention => self.intention.push_str(&clean),
            _ => {}
        }
    }
}

struct PrepProgram<'a> {
    app: PrepApp,
    journal: &'a mut dyn Journal,
    theme: Theme,
    /// The bell setting: ring when the scan runs its full length.
    bell: bool,
}

impl PrepProgram<'_> {
    /// Saves the prep (finished or not); `None` with `--no-save`.
    fn save(&mut self, finished: bool, now: Instant) -> Option<Result<String, String>> {
        if !self.journal.keeps() {
            return None;
        }
        let session = self
            .app
            .prep
            .session(now, finished.then(crate::journal::local_now));
        Some(
            self.journal
                .save(&session)
                .map(|_| session.id.clone())
                .map_err(|e| e.to_string()),
        )
    }

    /// Leaving early keeps what was chosen; with nothing chosen, nothing.
    fn save_unfinished(&mut self, now: Instant) -> Option<Result<String, String>> {
        if self.app.prep.has_answers() {
            self.save(false, now)
        } else {
            None
        }
    }
}

impl Program for PrepProgram<'_> {
    type Output = Outcome;

    fn draw(&self, frame: &mut Frame, now: Instant) {
        view::draw(frame, &self.app, &self.theme, now);
    }

    fn deadline(&self, now: Instant) -> Option<Instant> {
        // The prep's pacer is words and whole seconds (phases are whole
        // seconds long), so it never needs more than the per-second wake.
        self.app.prep.next_change(now, false)
    }

    fn handle(&mut self, input: Input, now: Instant) -> Option<Outcome> {
        match input {
            Input::Key(key) => match self.app.key(key, now) {
                Effect::Finish => {
                    let saved = self.save(true, now);
                    return Some(Outcome::Finished {
                        prep: Box::new(self.app.prep.clone()),
                        saved,
                    });
                }
                Effect::Leave => {
                    let saved = self.save_unfinished(now);
                    return Some(Outcome::Left {
                        prep: Box::new(self.app.prep.clone()),
                        saved,
                    });
                }
                Effect::None => {}
            },
            Input::Paste(text) => self.app.paste(&text),
            Input::Tick | Input::Resize => self.app.tick(now),
            Input::Signal(number) => {
                let saved = self.save_unfinished(now);
                return Some(Outcome::Signal { number, saved });
            }
        }
        None
    }

    fn take_bell(&mut self) -> bool {
        std::mem::take(&mut self.app.bell) && self.bell
    }

    fn rescue(&mut self, error: io::Error, now: Instant) -> Outcome {
        let _ = self.save_unfinished(now);
        Outcome::Failed(error.to_string())
    }
}

/// Runs the prep full screen until the pocket card is closed or it is left.
pub fn run(
    prep: Prep,
    journal: &mut dyn Journal,
    signals: Receiver<i32>,
    presentation: crate::tui::Presentation,
) -> io::Result<Outcome> {
    crate::tui::force_color(&presentation.theme);
    let mut program = PrepProgram {
        app: PrepApp::new(prep),
        journal,
        theme: presentation.theme,
        bell: presentation.bell,
    };
    terminal::run(&mut program, signals)
}
