//! `repair drill` full screen: the model around the [`Drill`] state machine
//! (the selected choice or row, the reveal's scroll, the help overlay), its
//! key table (one [`Binding`] list drives what a key does, the footer and
//! the F1 help), and how the shared [`mode`] program runs it. Drawing is in
//! [`view`].

pub mod view;

use std::io;
use std::time::Instant;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::keys::{self, Binding, Hint, Key, row};
pub use super::mode::SavingEffect;
use super::mode::{self, Model, SavesAsItGoes};
use super::terminal::Ended;
use super::theme::Theme;
use crate::journal::audio::Recorder;
use crate::journal::{Journal, Saved, Session};
use crate::practice::drill::{Action, Drill, MarkerGuess, Phase};
use crate::practice::level::MAX_RATING;

/// How the full-screen drill ended.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// What became of the last save.
    pub saved: Saved,
}

/// What a key can do in the drill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmd {
    /// Enter: end the breath, end the response, choose the marker, go from
    /// the reveal to the assessment, next card, close the summary.
    Go,
    /// Space: hold or resume the response timer.
    Hold,
    /// Space: tick or untick the selected criterion.
    Tick,
    /// a: keep this attempt and try the same card again.
    Again,
    /// s: on a content note, leave the card out.
    Skip,
    /// u: take back the last rating (until the next response is done).
    Undo,
    /// Ctrl-Z: the same, also while a response is being typed.
    UndoTyping,
    /// p: play back the recorded response (with `--record`).
    Play,
    /// ↑: the choice or row above; scroll the reveal back.
    Up,
    /// ↓: the choice or row below; scroll the reveal on.
    Down,
    /// ←: lower the rating.
    Lower,
    /// →: raise the rating.
    Raise,
    /// PgUp: scroll the reveal back a page.
    PageUp,
    /// PgDn: scroll the reveal on a page.
    PageDown,
    /// Esc: to the summary.
    Finish,
    /// F1: the key help.
    Help,
}

/// The drill's keys. Order matters: the footer keeps rows from the top.
/// Each direction is a command of its own; a row with no help words is
/// the second key of the pair named on the row before it, kept out of F1
/// and quiet in the footer, so the pair shows as one entry.
pub const KEYS: &[Binding<Cmd>] = &[
    row(
        &[Key::plain(KeyCode::Enter)],
        "Enter",
        "go on; next card",
        Cmd::Go,
    ),
    row(
        &[Key::plain(KeyCode::Char(' '))],
        "Space",
        "hold the response timer",
        Cmd::Hold,
    ),
    row(
        &[Key::plain(KeyCode::Char(' '))],
        "Space",
        "tick a criterion",
        Cmd::Tick,
    ),
    row(&[Key::ch('a')], "a", "the same card again, now", Cmd::Again),
    row(&[Key::ch('s')], "s", "leave this card out", Cmd::Skip),
    row(&[Key::ch('u')], "u", "undo the last rating", Cmd::Undo),
    row(
        &[Key::ctrl('z')],
        "Ctrl-Z",
        "undo the rating, while typing",
        Cmd::UndoTyping,
    ),
    row(&[Key::ch('p')], "p", "play the recording back", Cmd::Play),
    row(
        &[Key::plain(KeyCode::Up)],
        "↑ ↓",
        "move; scroll the reveal",
        Cmd::Up,
    ),
    row(&[Key::plain(KeyCode::Down)], "↓", "", Cmd::Down),
    row(
        &[Key::plain(KeyCode::Left)],
        "← →",
        "lower or raise the rating",
        Cmd::Lower,
    ),
    row(&[Key::plain(KeyCode::Right)], "→", "", Cmd::Raise),
    row(
        &[Key::plain(KeyCode::PageUp)],
        "PgUp PgDn",
        "scroll the reveal",
        Cmd::PageUp,
    ),
    row(&[Key::plain(KeyCode::PageDown)], "PgDn", "", Cmd::PageDown),
    row(
        &[Key::plain(KeyCode::Esc), Key::ctrl('q')],
        "Esc",
        "finish: the summary",
        Cmd::Finish,
    ),
    row(
        &[Key::plain(KeyCode::F(1))],
        "F1",
        "help; any key closes",
        Cmd::Help,
    ),
];

/// Recording in the full-screen drill (shared with the rehearsal).
pub use super::tape::Tape;

/// A row of the self-assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    Criterion(usize),
    SelfReport,
    Rating,
}

/// The drill plus what only the screen needs.
#[derive(Debug, Clone)]
pub struct DrillApp {
    pub drill: Drill,
    /// The selected marker choice (Guess) or assessment row (Assess).
    pub cursor: usize,
    /// Lines scrolled in the reveal.
    pub scroll: u16,
    /// How far the page drawn last (the first screen, the reveal, the
    /// summary) can scroll, as the view measured it: scrolling stops there.
    pub scroll_max: u16,
    /// The F1 help is open.
    pub help: bool,
    /// Ring the bell after the next frame (the response time ran out).
    pub bell: bool,
    /// Recording spoken responses (`--record`), when on.
    pub tape: Option<Tape>,
    /// Whether attempts are saved, for the summary.
    pub saving: bool,
}

impl DrillApp {
    pub fn new(drill: Drill, saving: bool) -> Self {
        DrillApp {
            drill,
            cursor: 0,
            scroll: 0,
            scroll_max: u16::MAX,
            help: false,
            bell: false,
            tape: None,
            saving,
        }
    }

    /// Records each spoken response with `recorder`.
    pub fn with_recorder(mut self, recorder: Option<Recorder>) -> Self {
        self.tape = recorder.map(Tape::new);
        self
    }

    /// Whether a response is being recorded now (the screen says so).
    pub fn recording_now(&self) -> bool {
        self.tape.as_ref().is_some_and(Tape::running)
    }

    /// What the last playback said, if it could not play.
    pub fn tape_note(&self) -> Option<String> {
        self.tape
            .as_ref()
            .and_then(|t| t.note().map(str::to_string))
    }

    /// Whether `p` plays something back now.
    fn playable(&self) -> bool {
        matches!(self.drill.phase(), Phase::Assess)
            && !self.typing()
            && self.tape.as_ref().is_some_and(|t| t.last().is_some())
    }

    /// Starts a recording as a spoken response begins, and names it as the
    /// response ends (by Enter, the timer, Esc or a signal's stop).
    fn sync_tape(&mut self) {
        let responding =
            matches!(self.drill.phase(), Phase::Respond { .. }) && !self.drill.options().typed;
        let (number, attempt) = (self.drill.current().number, self.drill.current().attempt);
        if let Some(tape) = self.tape.as_mut() {
            tape.sync(responding, number, attempt);
        }
    }

    fn play(&mut self) {
        if let Some(tape) = self.tape.as_mut() {
            tape.play();
        }
    }

    /// The assessment's rows: each criterion, the self-report, the rating.
    pub fn rows(&self) -> Vec<Row> {
        let mut rows: Vec<Row> = (0..self.drill.criteria().len())
            .map(Row::Criterion)
            .collect();
        if self.drill.asks_self_report() {
            rows.push(Row::SelfReport);
        }
        rows.push(Row::Rating);
        rows
    }

    /// The selected assessment row.
    pub fn row(&self) -> Row {
        self.rows().get(self.cursor).copied().unwrap_or(Row::Rating)
    }

    fn typing(&self) -> bool {
        match self.drill.phase() {
            Phase::Respond { .. } => self.drill.options().typed,
            Phase::Assess => self.row() == Row::SelfReport,
            _ => false,
        }
    }

    /// Whether the F1 help lists `command` now: the keys that only ever
    /// apply now and then (leaving out a card, undo, playback) only when
    /// they do, so the help fits a small window.
    pub fn in_help(&self, command: Cmd) -> bool {
        match command {
            Cmd::Skip => *self.drill.phase() == Phase::Notice,
            Cmd::Undo => self.can_undo() && !self.typing(),
            Cmd::UndoTyping => self.can_undo() && self.typing(),
            Cmd::Play => self.tape.is_some(),
            _ => true,
        }
    }

    /// Whether a rating can be taken back now: one was kept, the next
    /// response is not done, and that response is not being recorded (the
    /// recording belongs to the next card).
    fn can_undo(&self) -> bool {
        self.drill.can_undo() && !self.recording_now()
    }

    /// What each command is right now: off, quiet, or in the footer.
    pub fn hint(&self, command: Cmd) -> Hint {
        let phase = self.drill.phase();
        match (command, phase) {
            (Cmd::Help, _) => Hint::shown("help"),
            (Cmd::Finish, Phase::Closing) => Hint::Off,
            (Cmd::Finish, Phase::Intro) => Hint::shown("leave"),
            (Cmd::Finish, _) => Hint::shown("finish"),
            (Cmd::Go, Phase::Intro) => Hint::shown("begin"),
            (Cmd::Go, Phase::Notice) => Hint::shown("deal it"),
            (Cmd::Skip, Phase::Notice) => Hint::shown("leave it out"),
            (Cmd::Undo, _) if self.can_undo() && !self.typing() => Hint::shown("undo rating"),
            (Cmd::UndoTyping, _) if self.can_undo() && self.typing() => Hint::shown("undo rating"),
            (Cmd::UndoTyping, _) if self.can_undo() => Hint::Quiet,
            (Cmd::Go, Phase::Scan(_)) => Hint::shown("go on"),
            (Cmd::Go, Phase::Respond { .. }) => Hint::shown("done"),
            (Cmd::Go, Phase::Guess) => Hint::shown("choose"),
            (Cmd::Go, Phase::Reveal) => Hint::shown("assess"),
            (Cmd::Go, Phase::Assess) => Hint::shown("next card"),
            (Cmd::Go, Phase::Closing) => Hint::shown("close"),
            (Cmd::Hold, Phase::Respond { timer: Some(_), .. }) if !self.typing() => {
                Hint::shown("hold")
            }
            (Cmd::Tick, Phase::Assess) if matches!(self.row(), Row::Criterion(_)) => {
                Hint::shown("tick")
            }
            (Cmd::Again, Phase::Assess) if !self.typing() => Hint::shown("again"),
            (Cmd::Play, Phase::Assess) if self.playable() => Hint::shown("play back"),
            // One footer entry for each pair of keys: the row that names
            // both; its other key works where it does, quietly.
            (Cmd::Up, Phase::Guess | Phase::Assess) => Hint::shown("move"),
            (Cmd::Up, Phase::Reveal) => Hint::shown("scroll"),
            (Cmd::Down, Phase::Guess | Phase::Assess | Phase::Reveal) => Hint::Quiet,
            (Cmd::Lower, Phase::Assess) => Hint::shown("rate"),
            (Cmd::Raise, Phase::Assess) => Hint::Quiet,
            // The first screen scrolls on a small window (it says so).
            (
                Cmd::Up | Cmd::Down | Cmd::PageUp | Cmd::PageDown,
                Phase::Intro | Phase::Notice | Phase::Closing,
            ) => Hint::Quiet,
            // A card too tall for the window: ↑ shows what scrolled away.
            (Cmd::Up | Cmd::Down, Phase::Scan(_) | Phase::Respond { .. }) => Hint::Quiet,
            (Cmd::PageUp | Cmd::PageDown, Phase::Reveal) => Hint::Quiet,
            _ => Hint::Off,
        }
    }

    fn finish(&mut self, now: Instant) -> SavingEffect {
        // Nothing began on the first screen: leave at once.
        if matches!(self.drill.phase(), Phase::Closing | Phase::Intro) {
            return SavingEffect::Quit;
        }
        self.drill.apply(Action::Stop, now);
        self.scroll = 0;
        SavingEffect::Save
    }

    fn go(&mut self, now: Instant) -> SavingEffect {
        match self.drill.phase() {
            Phase::Intro => {
                self.drill.apply(Action::Begin, now);
                self.scroll = 0;
            }
            Phase::Notice => {
                self.drill.apply(Action::Deal, now);
                self.scroll = 0;
            }
            Phase::Scan(_) => {
                self.drill.apply(Action::EndScan, now);
                self.scroll = 0;
            }
            Phase::Respond { .. } => {
                self.drill.apply(Action::EndResponse, now);
                self.cursor = 0;
            }
            Phase::Guess => {
                let choices = MarkerGuess::choices();
                let guess = choices
                    .get(self.cursor)
                    .copied()
                    .unwrap_or(MarkerGuess::Unsure);
                self.drill.apply(Action::Guess(guess), now);
                self.cursor = 0;
                self.scroll = 0;
            }
            Phase::Reveal => {
                self.drill.apply(Action::Assess, now);
                self.cursor = 0;
            }
            Phase::Assess => {
                self.drill.apply(Action::Next, now);
                self.cursor = 0;
                self.scroll = 0;
                return SavingEffect::Save;
            }
            Phase::Closing => return SavingEffect::Quit,
        }
        SavingEffect::None
    }

    fn shift(&mut self, up: bool) {
        let len = match self.drill.phase() {
            // Counted upwards from the client's words (the view stops it).
            Phase::Scan(_) | Phase::Respond { .. } => {
                self.scroll = if up {
                    self.scroll.saturating_add(1).min(50)
                } else {
                    self.scroll.saturating_sub(1)
                };
                return;
            }
            Phase::Guess => MarkerGuess::choices().len(),
            Phase::Assess => self.rows().len(),
            Phase::Reveal | Phase::Intro | Phase::Notice | Phase::Closing => {
                self.scroll = if up {
                    self.scroll.saturating_sub(1)
                } else {
                    self.scroll.saturating_add(1).min(self.scroll_max)
                };
                return;
            }
        };
        self.cursor = if up {
            self.cursor.saturating_sub(1)
        } else {
            (self.cursor + 1).min(len.saturating_sub(1))
        };
    }

    /// Text keys: the typed response, or the self-report.
    fn type_key(&mut self, key: KeyEvent, now: Instant) {
        if !self.typing()
            || key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return;
        }
        let mut text = self.text().to_string();
        match key.code {
            KeyCode::Char(c) if !crate::sanitize::is_forbidden(c) => text.push(c),
            KeyCode::Backspace => {
                text.pop();
            }
            _ => return,
        }
        self.set_text(text, now);
    }

    fn text(&self) -> &str {
        match self.drill.phase() {
            Phase::Respond { .. } => &self.drill.current().response,
            _ => &self.drill.current().self_report,
        }
    }

    fn set_text(&mut self, text: String, now: Instant) {
        let action = match self.drill.phase() {
            Phase::Respond { .. } => Action::SetResponse(text),
            _ => Action::SetSelfReport(text),
        };
        self.drill.apply(action, now);
    }
}

impl Model for DrillApp {
    type Effect = SavingEffect;

    fn key(&mut self, key: KeyEvent, now: Instant) -> SavingEffect {
        let effect = self.key_inner(key, now);
        self.sync_tape();
        effect
    }

    /// Pasted text goes into the field being typed, as one line.
    fn paste(&mut self, pasted: &str, now: Instant) {
        if !self.typing() || self.help {
            return;
        }
        let mut text = self.text().to_string();
        for c in pasted.chars() {
            if c == '\n' || c == '\t' || c == '\r' {
                text.push(' ');
            } else if !crate::sanitize::is_forbidden(c) {
                text.push(c);
            }
        }
        self.set_text(text, now);
    }

    /// The passing of time.
    fn tick(&mut self, now: Instant) {
        if self.drill.tick(now).time_up {
            self.bell = true;
            self.cursor = 0;
        }
        self.sync_tape();
    }
}

impl DrillApp {
    fn key_inner(&mut self, key: KeyEvent, now: Instant) -> SavingEffect {
        if self.help {
            self.help = false;
            return SavingEffect::None;
        }
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            return self.finish(now);
        }
        let command = keys::lookup(KEYS, &key, |c| self.hint(c));
        match command {
            Some(Cmd::Help) => {
                self.help = true;
                SavingEffect::None
            }
            Some(Cmd::Finish) => self.finish(now),
            Some(Cmd::Go) => self.go(now),
            Some(Cmd::Hold) => {
                self.drill.apply(Action::ToggleHold, now);
                SavingEffect::None
            }
            Some(Cmd::Tick) => {
                if let Row::Criterion(i) = self.row() {
                    self.drill.apply(Action::Toggle(i), now);
                }
                SavingEffect::None
            }
            Some(Cmd::Again) => {
                self.drill.apply(Action::Again, now);
                self.cursor = 0;
                self.scroll = 0;
                SavingEffect::Save
            }
            Some(Cmd::Play) => {
                self.play();
                SavingEffect::None
            }
            Some(Cmd::Skip) => {
                self.drill.apply(Action::Skip, now);
                self.scroll = 0;
                SavingEffect::None
            }
            Some(Cmd::Undo | Cmd::UndoTyping) => {
                let undone = self.drill.apply(Action::Undo, now).kept;
                // Back on the assessment, at the rating that was kept.
                self.cursor = self.rows().len().saturating_sub(1);
                self.scroll = 0;
                if undone {
                    SavingEffect::Save
                } else {
                    SavingEffect::None
                }
            }
            Some(way @ (Cmd::Up | Cmd::Down)) => {
                self.shift(way == Cmd::Up);
                SavingEffect::None
            }
            Some(way @ (Cmd::Lower | Cmd::Raise)) => {
                let rating = self.drill.current().rating;
                let rating = if way == Cmd::Lower {
                    rating.saturating_sub(1)
                } else {
                    (rating + 1).min(MAX_RATING)
                };
                self.drill.apply(Action::SetRating(rating), now);
                SavingEffect::None
            }
            Some(Cmd::PageUp) => {
                self.scroll = self.scroll.saturating_sub(5);
                SavingEffect::None
            }
            Some(Cmd::PageDown) => {
                self.scroll = self.scroll.saturating_add(5).min(self.scroll_max);
                SavingEffect::None
            }
            None => {
                self.type_key(key, now);
                SavingEffect::None
            }
        }
    }
}

impl SavesAsItGoes for DrillApp {
    type Outcome = Outcome;

    fn draw(&mut self, frame: &mut Frame, theme: &Theme, now: Instant) {
        self.scroll_max = view::draw(frame, self, theme, now);
    }

    fn deadline(&self, now: Instant) -> Option<Instant> {
        // The heading's minutes left change once a minute.
        let left = self.drill.ends_at().saturating_duration_since(now);
        let minute = (left.as_secs() % 60) as u32;
        // Nothing runs on the first screen or the summary.
        let running = !matches!(self.drill.phase(), Phase::Closing | Phase::Intro);
        let next_minute = (!left.is_zero() && running)
            .then(|| now + std::time::Duration::new(u64::from(minute), left.subsec_nanos()));
        match (self.drill.next_change(now), next_minute) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    fn take_bell(&mut self) -> bool {
        std::mem::take(&mut self.bell)
    }

    fn session(&self) -> Option<Session> {
        (!self.drill.records().is_empty()).then(|| self.drill.session(crate::journal::local_now()))
    }

    fn outcome(&self, saved: Saved) -> Outcome {
        Outcome { saved }
    }
}

/// Runs the drill full screen until the summary is left.
pub fn run(
    drill: Drill,
    journal: &mut dyn Journal,
    presentation: crate::tui::Presentation,
) -> io::Result<Ended<Outcome>> {
    run_recording(drill, journal, presentation, None)
}

/// [`run`], recording each spoken response with `recorder`.
pub fn run_recording(
    drill: Drill,
    journal: &mut dyn Journal,
    presentation: crate::tui::Presentation,
    recorder: Option<Recorder>,
) -> io::Result<Ended<Outcome>> {
    let saving = journal.keeps();
    let app = DrillApp::new(drill, saving).with_recorder(recorder);
    mode::run(app, journal, presentation)
}
