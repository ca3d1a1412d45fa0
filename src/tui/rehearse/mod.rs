//! `repair rehearse` full screen: the model around the [`Rehearsal`] state
//! machine (which row of a review stage is focused, the feedback editor,
//! the help, the stop question, and the closing screen that only its own
//! keys leave: `q`, or `s` to save when nothing was being saved), its keys as one table ([`KEYS`]: what a
//! key does, the footer and the F1 help come from it), and how the shared
//! [`mode`] program runs it. Drawing is in [`view`].

pub mod view;

use std::collections::HashMap;
use std::io;
use std::time::Instant;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::TextArea;

use super::keys::{self, Binding, Hint, Key, row};
pub use super::mode::SavingEffect;
use super::mode::{self, Model, SavesAsItGoes};
use super::tape::Tape;
use super::terminal::Ended;
use super::theme::Theme;
use crate::journal::audio::Recorder;
use crate::journal::{Journal, Saved, Session};
use crate::practice::level::MAX_RATING;
use crate::practice::rehearse::{Action, Continuation, Improv, Phase, Reaction, Rehearsal, Stage};
use crate::protocol::{Marker, ScenarioKind};

/// How the full-screen rehearsal ended.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// With `--save`, what became of the last save.
    pub saved: Saved,
    /// Whether any response was reviewed.
    pub played: bool,
    /// The closing summary, to print on the terminal once the screen has
    /// closed (as prep prints its pocket card).
    pub summary: Vec<String>,
    /// The rounds to save now: asked for on the closing screen (`s`) when
    /// nothing was being saved.
    pub save: Option<Session>,
}

/// A command of the rehearsal screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmd {
    /// Typing into the feedback line (no key of its own: what is left over).
    Type,
    /// Enter: forward.
    Next,
    /// Space while a response runs.
    Hold,
    /// Space on a row that ticks.
    Tick,
    /// Left on a row that chooses: the choice before.
    ChooseBack,
    /// Right on a row that chooses: the choice after.
    ChooseOn,
    /// Up: the row above, or scrolling a long page back.
    Up,
    /// Down or Tab: the row below, or scrolling a long page on.
    Down,
    /// PgUp: a long page back by ten lines; the criteria before.
    PageUp,
    /// PgDn: a long page on by ten lines; the criteria after.
    PageDown,
    Back,
    Retry,
    /// `p` in the review: play back the recorded response (`--record`).
    Play,
    /// Esc: end the rehearsal early (asks first).
    Finish,
    /// `s` on the closing screen: save the rounds (nothing was being
    /// saved) and close.
    Save,
    /// `q` on the closing screen: close it. A key of its own, so the Enter
    /// pressed all session cannot skip the summary.
    Close,
    /// `s` at the improvised segment: skip it.
    Skip,
    Help,
}

/// Every key of every rehearse screen, most important first (F1 last).
/// Each direction is a command of its own; a row with no help words is
/// the second key of the pair named on the row before it, kept out of F1
/// and quiet in the footer, so the pair shows as one entry.
pub const KEYS: &[Binding<Cmd>] = &[
    row(
        &[],
        "type",
        "writes the feedback line or the point",
        Cmd::Type,
    ),
    row(
        &[Key::plain(KeyCode::Enter)],
        "Enter",
        "go on: start, end, the next part, card or set",
        Cmd::Next,
    ),
    row(
        &[Key::ch('s'), Key::ch('S')],
        "s",
        "at the end: save the rounds, close",
        Cmd::Save,
    ),
    row(
        &[Key::ch('s'), Key::ch('S')],
        "s",
        "at an improvised segment: skip it",
        Cmd::Skip,
    ),
    row(
        &[Key::ch('q'), Key::ch('Q')],
        "q",
        "at the end: close the summary",
        Cmd::Close,
    ),
    row(
        &[Key::ch('r'), Key::ch('R')],
        "r",
        "same therapist, same card, again",
        Cmd::Retry,
    ),
    row(
        &[Key::ch('p'), Key::ch('P')],
        "p",
        "play the recorded response back",
        Cmd::Play,
    ),
    row(
        &[Key::ch(' ')],
        "Space",
        "hold or resume the timer",
        Cmd::Hold,
    ),
    row(
        &[Key::ch(' ')],
        "Space",
        "tick or untick the row; pick a point",
        Cmd::Tick,
    ),
    row(
        &[Key::plain(KeyCode::Left)],
        "← →",
        "choose: the kind, marker or rating",
        Cmd::ChooseBack,
    ),
    row(&[Key::plain(KeyCode::Right)], "→", "", Cmd::ChooseOn),
    row(
        &[Key::plain(KeyCode::Up)],
        "↑ ↓ Tab",
        "the row above or below; scroll",
        Cmd::Up,
    ),
    row(
        &[Key::plain(KeyCode::Down), Key::plain(KeyCode::Tab)],
        "↓ Tab",
        "",
        Cmd::Down,
    ),
    row(
        &[Key::plain(KeyCode::PageUp)],
        "PgUp PgDn",
        "scroll a long page; the other criteria",
        Cmd::PageUp,
    ),
    row(&[Key::plain(KeyCode::PageDown)], "PgDn", "", Cmd::PageDown),
    row(
        &[Key::plain(KeyCode::BackTab)],
        "Shift-Tab",
        "back to the last part of the review",
        Cmd::Back,
    ),
    row(
        &[Key::plain(KeyCode::Esc), Key::ctrl('q'), Key::ctrl('c')],
        "Esc Ctrl-Q",
        "end early (asks); close at the end",
        Cmd::Finish,
    ),
    row(
        &[Key::plain(KeyCode::F(1))],
        "F1",
        "these keys; any key closes",
        Cmd::Help,
    ),
];

/// What a key does while the stop question ("End early?") is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopCmd {
    /// `y` or Enter: end now and go to the summary.
    End,
    /// Every other key: keep going (no key of its own).
    Keep,
}

/// The stop question's keys: what they do, the dialog's choices and the
/// footer under it all come from these rows.
pub const STOP_KEYS: &[Binding<StopCmd>] = &[
    row(
        &[Key::ch('y'), Key::ch('Y'), Key::plain(KeyCode::Enter)],
        "y, Enter",
        "end now",
        StopCmd::End,
    ),
    row(&[], "other keys", "keep going", StopCmd::Keep),
];

/// What a key does while a therapist is asked whether their responses may
/// be recorded (`--record`, at their first card).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentCmd {
    /// `y`: record this therapist's responses.
    Record,
    /// Every other key: do not (no key of its own: nothing is recorded
    /// without a `y`).
    Decline,
}

/// The consent question's keys: the dialog's choices and the footer under
/// it come from these rows.
pub const CONSENT_KEYS: &[Binding<ConsentCmd>] = &[
    row(
        &[Key::ch('y'), Key::ch('Y')],
        "y",
        "record",
        ConsentCmd::Record,
    ),
    row(&[], "other keys", "do not record", ConsentCmd::Decline),
];

/// The consent question, `{}` the therapist's name (the plain question's
/// words, without its line-reading part).
pub const CONSENT_QUESTION: &str =
    "{}, may your responses be recorded, to play back at the review? Only you decide.";

/// The feedback editor's own keys, listed in the F1 help under the table.
pub const EDITOR_KEYS: &[(&str, &str)] = &[
    ("Home End", "start or end of the line"),
    ("Ctrl-U", "undo (Ctrl-R redo)"),
    ("Ctrl-K", "delete to the end"),
    ("Ctrl-W", "delete a word"),
];

/// A row of a review stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    /// Marker: which kind.
    Kind,
    /// Marker: which marker, if any.
    Marker,
    /// Rating: 0 to 10.
    Rating,
    /// Rating: a reaction to tick.
    Reaction(usize),
    /// Criteria: a criterion to tick.
    Criterion(usize),
    /// Feedback: the line.
    Feedback,
    /// The trainer's point: the line to type it on.
    Point,
    /// The trainer's point: a criterion not met to pick (its place in the
    /// rehearsal's criteria).
    Pick(usize),
    /// Reveal: a page to scroll.
    Page,
    /// Between the two responses: which line the client played.
    Played,
    /// The improvised segment's rating: 0 to 10.
    ImproviseRating,
}

/// The rehearsal plus what only the screen needs.
#[derive(Debug, Clone)]
pub struct RehearseApp {
    pub rehearsal: Rehearsal,
    /// The focused row of the current review stage.
    pub cursor: usize,
    /// How far a long page (the safety line, the reveal, the closing) is
    /// scrolled.
    pub scroll: u16,
    /// How far the page drawn last can scroll, as the view measured it
    /// (kept by the draw), so scrolling stops at the end; `u16::MAX` until
    /// a new page is drawn.
    pub page_max: u16,
    /// The feedback line, a single-line editor that scrolls sideways.
    pub editor: TextArea<'static>,
    /// The trainer's point as typed, the same kind of editor.
    pub point_editor: TextArea<'static>,
    /// The F1 help is open.
    pub help: bool,
    /// How far the help is scrolled when it is a page of its own.
    pub help_scroll: u16,
    /// Esc was pressed: asking whether to end the rehearsal.
    pub asking_stop: bool,
    /// Ring the bell after the next frame (the timer ran out).
    pub bell: bool,
    /// Whether responses are saved (`--save`), for the closing screen.
    pub saving: bool,
    /// Enter was pressed on the closing screen: it says which key closes.
    pub nudged: bool,
    /// `s` was pressed on the closing screen: save the rounds on leaving.
    pub save_asked: bool,
    /// Recording spoken responses (`--record`), when on.
    pub tape: Option<Tape>,
    /// Each therapist's answer to the consent question, by seat, for this
    /// run only (never saved).
    pub consent: HashMap<usize, bool>,
}

fn new_editor() -> TextArea<'static> {
    let mut editor = TextArea::default();
    editor.set_cursor_line_style(ratatui::style::Style::new());
    editor
}

/// The second key of a pair: it works where the first does, but the
/// footer names both on the first's row.
fn quietly(first: Hint) -> Hint {
    match first {
        Hint::Shown(_) => Hint::Quiet,
        other => other,
    }
}

/// Keys the one-line editors never take: their own ways to break a line,
/// and ↑ ↓ (which move between rows).
fn breaks_line(key: &KeyEvent) -> bool {
    matches!(key.code, KeyCode::Char('\n' | '\r'))
        || (key.modifiers.contains(KeyModifiers::CONTROL)
            && matches!(key.code, KeyCode::Char('m' | 'M')))
        || matches!(key.code, KeyCode::Up | KeyCode::Down)
}

/// The kinds in the order ← → walks them: not sure first.
const KINDS: [Option<ScenarioKind>; 3] = [
    None,
    Some(ScenarioKind::Withdrawal),
    Some(ScenarioKind::Confrontation),
];

impl RehearseApp {
    pub fn new(rehearsal: Rehearsal, saving: bool) -> Self {
        RehearseApp {
            rehearsal,
            cursor: 0,
            scroll: 0,
            page_max: u16::MAX,
            editor: new_editor(),
            point_editor: new_editor(),
            help: false,
            help_scroll: 0,
            asking_stop: false,
            bell: false,
            saving,
            nudged: false,
            save_asked: false,
            tape: None,
            consent: HashMap::new(),
        }
    }

    /// Records each agreeing therapist's spoken responses with `recorder`.
    pub fn with_recorder(mut self, recorder: Option<Recorder>) -> Self {
        self.tape = recorder.map(Tape::new);
        self
    }

    /// Whether the therapist is being asked now whether their responses may
    /// be recorded: recording is on and this is their first card.
    pub fn asking_consent(&self) -> bool {
        self.tape.is_some()
            && *self.rehearsal.phase() == Phase::Ready
            && !self.consent.contains_key(&self.rehearsal.round().therapist)
    }

    /// Whether a response is being recorded now (the screen says so).
    pub fn recording_now(&self) -> bool {
        self.tape.as_ref().is_some_and(Tape::running)
    }

    /// The recording of the response under review, if it was recorded.
    pub fn recorded(&self) -> Option<&std::path::Path> {
        let round = self.rehearsal.round();
        self.tape
            .as_ref()
            .and_then(|t| t.recorded(round.number, round.attempt))
    }

    /// What the recorder or the player said about the response under
    /// review, when it went wrong.
    pub fn tape_note(&self) -> Option<&str> {
        let round = self.rehearsal.round();
        self.tape
            .as_ref()
            .and_then(|t| t.note_for(round.number, round.attempt))
    }

    /// Starts recording as an agreeing therapist's response begins, and
    /// keeps it as the response ends (Enter, the timer, or stopping).
    fn sync_tape(&mut self) {
        let round = self.rehearsal.round();
        let responding = matches!(self.rehearsal.phase(), Phase::Playing(_))
            && self.consent.get(&round.therapist) == Some(&true);
        let (number, attempt) = (round.number, round.attempt);
        if let Some(tape) = self.tape.as_mut() {
            tape.sync(responding, number, attempt);
        }
    }

    /// Whether the closing screen offers to save: nothing was being saved
    /// and there is a reviewed response to keep.
    pub fn offers_save(&self) -> bool {
        !self.saving && self.rehearsal.has_rounds()
    }

    /// The rows of the current stage.
    pub fn rows(&self) -> Vec<Row> {
        match self.rehearsal.phase() {
            Phase::Review(Stage::Marker) => vec![Row::Kind, Row::Marker],
            Phase::Review(Stage::Rating) => std::iter::once(Row::Rating)
                .chain((0..Reaction::ALL.len()).map(Row::Reaction))
                .collect(),
            // Only the page of criteria shown.
            Phase::Review(Stage::Criteria) => self
                .rehearsal
                .shown_criteria()
                .map(Row::Criterion)
                .collect(),
            Phase::Review(Stage::Feedback) => vec![Row::Feedback],
            // The line first, so the trainer can type at once; the criteria
            // not met below it.
            Phase::Review(Stage::Point) => std::iter::once(Row::Point)
                .chain(
                    self.rehearsal
                        .point_choices(self.rehearsal.round())
                        .into_iter()
                        .map(Row::Pick),
                )
                .collect(),
            Phase::Continuation => vec![Row::Played],
            Phase::Improvise(Improv::Rating) => vec![Row::ImproviseRating],
            _ => vec![Row::Page],
        }
    }

    /// The focused row (`None` when the stage has no rows, as criteria with
    /// a protocol that has none).
    pub fn row(&self) -> Option<Row> {
        self.rows().get(self.cursor).copied()
    }

    /// The markers ← → walks on the marker row: none first, then
    /// those of the kind named (all of them when not sure).
    pub fn marker_choices(&self) -> Vec<Option<Marker>> {
        let kind = self.rehearsal.round().guess_kind;
        std::iter::once(None)
            .chain(
                Marker::ALL
                    .iter()
                    .filter(|m| kind.is_none_or(|k| m.kind() == k))
                    .map(|m| Some(*m)),
            )
            .collect()
    }

    /// The choices ← → walks between the two responses: not marked
    /// first, then the card's lines, then improvised.
    pub fn played_choices(&self) -> Vec<Option<Continuation>> {
        let round = self.rehearsal.round();
        std::iter::once(None)
            .chain(self.rehearsal.continuations(round).into_iter().map(Some))
            .collect()
    }

    /// The feedback as typed, on one line.
    pub fn feedback(&self) -> String {
        self.editor.lines().join(" ")
    }

    /// What each command is in the current state: what the keys do, the
    /// footer's words and the help all follow from this.
    pub fn hint(&self, cmd: Cmd) -> Hint {
        self.hint_measured(cmd, self.page_max)
    }

    /// [`RehearseApp::hint`] with how far the page can scroll as the frame
    /// being drawn measured it, so its footer is true to that frame.
    pub(crate) fn hint_measured(&self, cmd: Cmd, page_max: u16) -> Hint {
        if self.help {
            return Hint::Quiet;
        }
        let phase = self.rehearsal.phase();
        let last_card = self.rehearsal.round().card_number as u32 >= self.rehearsal.total_rounds();
        let row = self.row();
        let more_criteria = *phase == Phase::Review(Stage::Criteria)
            && self.rehearsal.criteria_page() + 1 < self.rehearsal.criteria_pages();
        match cmd {
            Cmd::Type => match row {
                Some(Row::Feedback | Row::Point) => Hint::shown(""),
                _ => Hint::Off,
            },
            // Enter does not close the summary; pressed there it says what
            // does.
            Cmd::Next if *phase == Phase::Closing => Hint::Quiet,
            Cmd::Next if more_criteria => Hint::shown("next three"),
            Cmd::Next => Hint::shown(match phase {
                Phase::Scan(_) => "end the breath",
                Phase::Derole => "next set",
                Phase::Safety => "begin",
                Phase::Direction => "hide it, show the card",
                Phase::Ready => "start",
                Phase::Playing(_) => "end the response",
                // An improvised segment follows a set's last card.
                Phase::Review(Stage::Reveal) if self.rehearsal.improvise_follows() => "next",
                Phase::Review(Stage::Reveal) if last_card => "finish",
                Phase::Review(Stage::Reveal) => "next card",
                Phase::Review(_) | Phase::Closing => "next",
                Phase::Continuation => "second response",
                Phase::Improvise(Improv::Offer) => "start",
                Phase::Improvise(Improv::Playing(_)) => "end it",
                Phase::Improvise(Improv::Rating) if last_card => "finish",
                Phase::Improvise(Improv::Rating) => "next card",
            }),
            Cmd::Skip => match phase {
                Phase::Improvise(_) => Hint::shown("skip"),
                _ => Hint::Off,
            },
            Cmd::Save => match phase {
                Phase::Closing if self.offers_save() => Hint::shown("save and close"),
                _ => Hint::Off,
            },
            Cmd::Close => match phase {
                Phase::Closing => Hint::shown("close"),
                _ => Hint::Off,
            },
            Cmd::Hold => match phase {
                Phase::Playing(Some(timer)) | Phase::Improvise(Improv::Playing(Some(timer)))
                    if timer.is_running() =>
                {
                    Hint::shown("hold")
                }
                Phase::Playing(Some(_)) | Phase::Improvise(Improv::Playing(Some(_))) => {
                    Hint::shown("resume")
                }
                _ => Hint::Off,
            },
            Cmd::Tick => match row {
                Some(Row::Reaction(_) | Row::Criterion(_)) => Hint::shown("tick"),
                Some(Row::Pick(_)) => Hint::shown("pick"),
                _ => Hint::Off,
            },
            // The second key of a pair works where the first does, quietly.
            Cmd::ChooseOn => quietly(self.hint(Cmd::ChooseBack)),
            Cmd::Down => quietly(self.hint(Cmd::Up)),
            Cmd::PageDown => quietly(self.hint(Cmd::PageUp)),
            Cmd::ChooseBack => match row {
                Some(
                    Row::Kind | Row::Marker | Row::Rating | Row::Played | Row::ImproviseRating,
                ) => Hint::shown("choose"),
                _ => Hint::Off,
            },
            Cmd::Up => match row {
                Some(Row::Feedback) | None => Hint::Off,
                Some(Row::Point) if self.rows().len() < 2 => Hint::Off,
                // A page that fits has nothing to scroll.
                Some(Row::Page) if !self.scrolls() || page_max == 0 => Hint::Off,
                Some(Row::Page) => Hint::shown("scroll"),
                _ if self.rows().len() < 2 => Hint::Off,
                _ => Hint::shown("move"),
            },
            Cmd::PageUp => match row {
                Some(Row::Page) if self.scrolls() && page_max > 0 => Hint::Quiet,
                Some(Row::Criterion(_)) if self.rehearsal.criteria_pages() > 1 => {
                    Hint::shown("other criteria")
                }
                _ => Hint::Off,
            },
            Cmd::Back => match phase {
                Phase::Review(Stage::Marker) => Hint::Off,
                Phase::Review(_) => Hint::shown("back"),
                _ => Hint::Off,
            },
            Cmd::Retry => match phase {
                Phase::Review(Stage::Reveal) => Hint::shown("try again"),
                _ => Hint::Off,
            },
            // In the review, wherever `p` is not typed.
            Cmd::Play => match (phase, row) {
                (Phase::Review(_), Some(Row::Feedback | Row::Point)) => Hint::Off,
                (Phase::Review(_), _) if self.recorded().is_some() => Hint::shown("play back"),
                _ => Hint::Off,
            },
            Cmd::Finish => match phase {
                Phase::Closing => Hint::Quiet,
                _ => Hint::shown("end early"),
            },
            Cmd::Help => Hint::shown("help"),
        }
    }

    /// Pages that may be longer than the window scroll.
    fn scrolls(&self) -> bool {
        // The direction and the card scroll only on a window too small
        // for them (the view says how far).
        matches!(
            self.rehearsal.phase(),
            Phase::Safety
                | Phase::Direction
                | Phase::Ready
                | Phase::Scan(_)
                | Phase::Derole
                | Phase::Playing(_)
                | Phase::Review(Stage::Reveal)
                | Phase::Closing
                | Phase::Improvise(Improv::Offer | Improv::Playing(_))
        )
    }

    /// A new stage or phase: the first row, the top of the page.
    fn enter_stage(&mut self) {
        self.cursor = 0;
        self.scroll = 0;
        // Unknown until the new page is drawn.
        self.page_max = u16::MAX;
        if self.rehearsal.phase() == &Phase::Review(Stage::Feedback) {
            // Back to the feedback: the editor holds what was typed.
            let text = self.rehearsal.round().feedback.clone();
            if self.feedback() != text {
                self.editor = new_editor();
                self.editor.insert_str(&text);
            }
        }
        if self.rehearsal.phase() == &Phase::Review(Stage::Point) {
            // Back to the point: the editor holds a typed one (a picked one
            // shows as picked).
            let typed = match &self.rehearsal.round().point {
                Some(p) if p.criterion.is_none() => p.text.clone(),
                _ => String::new(),
            };
            if crate::practice::rehearse::TrainerPoint::typed(&self.point_typed())
                .map(|p| p.text)
                .unwrap_or_default()
                != typed
            {
                self.point_editor = new_editor();
                self.point_editor.insert_str(&typed);
            }
        }
    }

    /// The trainer's point as typed, on one line.
    pub fn point_typed(&self) -> String {
        self.point_editor.lines().join(" ")
    }

    fn stop(&mut self, now: Instant) -> SavingEffect {
        self.sync_feedback(now);
        self.rehearsal.apply(Action::Stop, now);
        self.enter_stage();
        SavingEffect::Save
    }

    fn command(&mut self, cmd: Cmd, now: Instant) -> SavingEffect {
        let phase = self.rehearsal.phase().clone();
        match cmd {
            Cmd::Type => {}
            Cmd::Help => {
                self.help = true;
                self.help_scroll = 0;
                self.page_max = u16::MAX;
            }
            Cmd::Finish => {
                if phase == Phase::Closing {
                    return SavingEffect::Quit;
                }
                self.asking_stop = true;
            }
            Cmd::Next => {
                if phase == Phase::Closing {
                    self.nudged = true;
                    self.scroll = 0;
                    return SavingEffect::None;
                }
                self.sync_feedback(now);
                let was_reveal = phase == Phase::Review(Stage::Reveal);
                self.rehearsal.apply(Action::Next, now);
                self.enter_stage();
                if was_reveal {
                    self.editor = new_editor();
                    self.point_editor = new_editor();
                    return SavingEffect::Save;
                }
                if phase == Phase::Improvise(Improv::Rating) {
                    return SavingEffect::Save;
                }
            }
            Cmd::Skip => {
                self.rehearsal.apply(Action::Skip, now);
                self.enter_stage();
            }
            Cmd::Save => {
                self.save_asked = true;
                return SavingEffect::Quit;
            }
            Cmd::Close => return SavingEffect::Quit,
            Cmd::Retry => {
                self.rehearsal.apply(Action::Retry, now);
                self.editor = new_editor();
                self.point_editor = new_editor();
                self.enter_stage();
                return SavingEffect::Save;
            }
            Cmd::Play => {
                if let Some(tape) = self.tape.as_mut() {
                    tape.play();
                }
            }
            Cmd::Back => {
                self.sync_feedback(now);
                self.rehearsal.apply(Action::Back, now);
                self.enter_stage();
            }
            Cmd::Hold => {
                self.rehearsal.apply(Action::ToggleHold, now);
            }
            Cmd::Tick => match self.row() {
                Some(Row::Reaction(i)) => {
                    self.rehearsal
                        .apply(Action::ToggleReaction(Reaction::ALL[i]), now);
                }
                Some(Row::Criterion(i)) => {
                    self.rehearsal.apply(Action::ToggleCriterion(i), now);
                }
                Some(Row::Pick(i)) => {
                    // A pick replaces what was typed.
                    self.point_editor = new_editor();
                    self.rehearsal.apply(Action::PickPoint(i), now);
                }
                _ => {}
            },
            Cmd::ChooseBack => self.choose(-1, now),
            Cmd::ChooseOn => self.choose(1, now),
            Cmd::Up | Cmd::Down => {
                let by: i8 = if cmd == Cmd::Up { -1 } else { 1 };
                match self.row() {
                    Some(Row::Page) => self.scroll_by(i32::from(by)),
                    _ => {
                        let last = self.rows().len().saturating_sub(1);
                        self.cursor = if by < 0 {
                            self.cursor.saturating_sub(1)
                        } else {
                            (self.cursor + 1).min(last)
                        };
                    }
                }
            }
            Cmd::PageUp | Cmd::PageDown => {
                let by: i8 = if cmd == Cmd::PageUp { -1 } else { 1 };
                match self.row() {
                    Some(Row::Criterion(_)) => {
                        self.rehearsal.apply(Action::CriteriaPage(by), now);
                        self.cursor = 0;
                    }
                    _ => self.scroll_by(i32::from(by) * 10),
                }
            }
        }
        SavingEffect::None
    }

    /// Scrolls a long page; the view stops it at the end.
    fn scroll_by(&mut self, by: i32) {
        let max = i32::from(self.page_max);
        self.scroll = (i32::from(self.scroll.min(self.page_max)) + by).clamp(0, max) as u16;
    }

    fn choose(&mut self, by: i8, now: Instant) {
        let round = self.rehearsal.round().clone();
        let step = |at: usize, len: usize| -> usize {
            if by < 0 {
                at.saturating_sub(1)
            } else {
                (at + 1).min(len.saturating_sub(1))
            }
        };
        // The choice a step from `current` in `choices` (from the first
        // when `current` is not one of them).
        fn next_to<T: PartialEq + Copy>(
            choices: &[T],
            current: T,
            step: impl Fn(usize, usize) -> usize,
        ) -> T {
            let at = choices.iter().position(|c| *c == current).unwrap_or(0);
            choices[step(at, choices.len())]
        }
        match self.row() {
            Some(Row::Kind) => {
                let to = next_to(&KINDS, round.guess_kind, step);
                self.rehearsal.apply(Action::GuessKind(to), now);
            }
            Some(Row::Marker) => {
                let to = next_to(&self.marker_choices(), round.guess_marker, step);
                self.rehearsal.apply(Action::GuessMarker(to), now);
            }
            Some(Row::Rating) => {
                let to = step(usize::from(round.rating), usize::from(MAX_RATING) + 1);
                self.rehearsal.apply(Action::Rate(to as u8), now);
            }
            Some(Row::Played) => {
                let to = next_to(&self.played_choices(), round.continuation, step);
                self.rehearsal.apply(Action::Played(to), now);
            }
            Some(Row::ImproviseRating) => {
                let at = usize::from(self.rehearsal.improvise_rating());
                let to = step(at, usize::from(MAX_RATING) + 1);
                self.rehearsal.apply(Action::Rate(to as u8), now);
            }
            _ => {}
        }
    }

    /// A key the table left to the feedback editor.
    fn type_key(&mut self, key: KeyEvent, now: Instant) {
        if breaks_line(&key) {
            return;
        }
        self.editor.input(key);
        self.sync_feedback(now);
    }

    /// A key the table left to the trainer's point line: what is typed
    /// replaces a point picked.
    fn type_point_key(&mut self, key: KeyEvent, now: Instant) {
        if breaks_line(&key) {
            return;
        }
        if self.point_editor.input(key) {
            self.sync_point(now);
        }
    }

    /// The point line into the model, when something is typed on it.
    fn sync_point(&mut self, now: Instant) {
        if self.rehearsal.phase() == &Phase::Review(Stage::Point) {
            self.rehearsal
                .apply(Action::SetPoint(self.point_typed()), now);
        }
    }

    /// The editor's line into the model (while on the feedback stage).
    fn sync_feedback(&mut self, now: Instant) {
        if self.rehearsal.phase() == &Phase::Review(Stage::Feedback) {
            let text = self.feedback();
            if text != self.rehearsal.round().feedback {
                self.rehearsal.apply(Action::SetFeedback(text), now);
            }
        }
    }
}

impl Model for RehearseApp {
    type Effect = SavingEffect;

    fn key(&mut self, key: KeyEvent, now: Instant) -> SavingEffect {
        let effect = self.key_inner(key, now);
        self.sync_tape();
        effect
    }

    /// Pasted text goes into the feedback line, as one line.
    fn paste(&mut self, text: &str, now: Instant) {
        self.paste_inner(text, now);
    }

    /// The passing of time.
    fn tick(&mut self, now: Instant) {
        if self.rehearsal.tick(now).time_up {
            self.bell = true;
            self.enter_stage();
        }
        self.sync_tape();
    }
}

impl RehearseApp {
    fn key_inner(&mut self, key: KeyEvent, now: Instant) -> SavingEffect {
        if self.help {
            // A help page too long for the window scrolls; any other key
            // closes it. Help that fits (in its box) has nothing to scroll,
            // so there every key closes it, as F1 says.
            match key.code {
                KeyCode::Up | KeyCode::Down | KeyCode::PageUp | KeyCode::PageDown
                    if self.page_max > 0 =>
                {
                    let by = match key.code {
                        KeyCode::Up => -1,
                        KeyCode::Down => 1,
                        KeyCode::PageUp => -10,
                        _ => 10,
                    };
                    let max = i32::from(self.page_max);
                    self.help_scroll =
                        (i32::from(self.help_scroll.min(self.page_max)) + by).clamp(0, max) as u16;
                }
                _ => {
                    self.help = false;
                    self.page_max = u16::MAX;
                }
            }
            return SavingEffect::None;
        }
        if self.asking_consent() {
            // Asked at the therapist's first card; only `y` records.
            let therapist = self.rehearsal.round().therapist;
            let agreed =
                keys::lookup(CONSENT_KEYS, &key, |_| Hint::Quiet) == Some(ConsentCmd::Record);
            self.consent.insert(therapist, agreed);
            return SavingEffect::None;
        }
        if self.asking_stop {
            self.asking_stop = false;
            return match keys::lookup(STOP_KEYS, &key, |_| Hint::Quiet) {
                Some(StopCmd::End) => self.stop(now),
                Some(StopCmd::Keep) | None => SavingEffect::None,
            };
        }
        let Some(cmd) = keys::lookup(KEYS, &key, |c| self.hint(c)) else {
            if self.row() == Some(Row::Feedback) {
                self.type_key(key, now);
            } else if self.row() == Some(Row::Point) {
                self.type_point_key(key, now);
            }
            return SavingEffect::None;
        };
        self.command(cmd, now)
    }

    fn paste_inner(&mut self, text: &str, now: Instant) {
        if self.help || self.asking_stop || !matches!(self.row(), Some(Row::Feedback | Row::Point))
        {
            return;
        }
        let clean: String = text
            .chars()
            .map(|c| {
                if c == '\n' || c == '\t' || c == '\r' {
                    ' '
                } else {
                    c
                }
            })
            .filter(|c| !crate::sanitize::is_forbidden(*c))
            .collect();
        if self.row() == Some(Row::Point) {
            self.point_editor.insert_str(clean);
            self.sync_point(now);
        } else {
            self.editor.insert_str(clean);
            self.sync_feedback(now);
        }
    }
}

impl SavesAsItGoes for RehearseApp {
    type Outcome = Outcome;

    fn draw(&mut self, frame: &mut Frame, theme: &Theme, now: Instant) {
        if let Some(max) = view::draw(frame, self, theme, now) {
            self.page_max = max;
        }
    }

    fn deadline(&self, now: Instant) -> Option<Instant> {
        self.rehearsal.next_change(now)
    }

    fn take_bell(&mut self) -> bool {
        std::mem::take(&mut self.bell)
    }

    fn session(&self) -> Option<Session> {
        // Nothing reviewed, nothing kept (a rehearsal quit before any
        // response leaves no empty session behind).
        if !self.rehearsal.has_rounds() {
            return None;
        }
        let finished = (*self.rehearsal.phase() == Phase::Closing).then(crate::journal::local_now);
        Some(self.rehearsal.session(finished))
    }

    fn outcome(&self, saved: Saved) -> Outcome {
        let played = self.rehearsal.has_rounds();
        let finished = (*self.rehearsal.phase() == Phase::Closing).then(crate::journal::local_now);
        Outcome {
            saved,
            played,
            summary: if played {
                self.rehearsal.summary_lines()
            } else {
                Vec::new()
            },
            save: (self.save_asked && self.offers_save()).then(|| self.rehearsal.session(finished)),
        }
    }
}

/// Runs the rehearsal full screen until the closing screen is left.
pub fn run(
    rehearsal: Rehearsal,
    journal: &mut dyn Journal,
    presentation: crate::tui::Presentation,
) -> io::Result<Ended<Outcome>> {
    run_recording(rehearsal, journal, presentation, None)
}

/// [`run`], recording the spoken responses of each therapist who agrees
/// with `recorder`.
pub fn run_recording(
    rehearsal: Rehearsal,
    journal: &mut dyn Journal,
    presentation: crate::tui::Presentation,
    recorder: Option<Recorder>,
) -> io::Result<Ended<Outcome>> {
    let saving = journal.keeps();
    let app = RehearseApp::new(rehearsal, saving).with_recorder(recorder);
    mode::run(app, journal, presentation)
}
