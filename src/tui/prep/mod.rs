//! `repair prep` full screen: the model around the [`Prep`] state machine
//! (which stem is selected, the words being typed, the overlays), its keys,
//! and the [`Program`] the shared runtime runs. Drawing is in [`view`].
//!
//! The keys are one table, [`KEYS`]: the same rows decide what a key does
//! ([`PrepApp::key`]), what the footer offers and what F1 lists, through
//! [`PrepApp::hint`], so the three cannot disagree.
//!
//! Tab always means "next" and Shift-Tab "back"; neither changes what was
//! chosen. Enter takes the selected stem (or your own words); Ctrl-D leaves a
//! step empty, the one explicit way to drop a choice. Esc (or Ctrl-C,
//! Ctrl-Q) leaves early: at once when nothing was chosen and no scan taken,
//! else after asking, as the walk does (s save as unfinished, d discard, k
//! keep going). An unfinished prep resumes where it stopped: Ctrl-R on the
//! first screen offers the newest one.

pub mod view;

use std::io;
use std::time::Instant;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::keys::scroll_key;
use super::keys::{self, Binding, Hint, Key, row};
use super::mode::{ModeEffect, Model};
use super::terminal::{self, Ended, Input, Kept, Program};
use super::theme::Theme;
use crate::journal::{Journal, Saved};
use crate::practice::prep::{Action, Prep, Stage, offered};

/// How the full-screen prep ended. The prep is handed back so the pocket
/// card can be printed after the full screen closes.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// The pocket card was closed. `saved`: what became of the save
    /// (nothing with `--no-save`, or when the prep is empty).
    Finished { prep: Box<Prep>, saved: Saved },
    /// Left early; what was chosen is saved as unfinished under `saved`.
    Left { prep: Box<Prep>, saved: Saved },
    /// Left with **discard**: nothing of this run was saved (a resumed
    /// prep's session is as it was).
    Discarded { prep: Box<Prep> },
    /// Ctrl-R on the first screen: resume this unfinished prep instead.
    Resume(String),
}

/// What a key can do in the prep. Rows of [`KEYS`] give them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmd {
    /// Enter on the first screen.
    Begin,
    /// Enter during the scan.
    EndScan,
    /// Space during the scan.
    Hold,
    /// `b` during the scan, when its pause offers a pacer.
    Pacer,
    /// Enter on a step: take the selected stem or your own words.
    Take,
    /// Enter on the intention.
    Done,
    /// Enter on the pocket card.
    Close,
    /// Esc or `q` on the pocket card: close it too.
    CloseToo,
    /// Tab on the first screen: skip the scan.
    Skip,
    /// Tab: the next step, keeping what was chosen.
    Next,
    /// Shift-Tab: the step before, keeping what was chosen.
    Back,
    /// ↑ ↓ on a step.
    Pick,
    /// Typing (no key of its own: letters fall through to the text).
    Type,
    /// Backspace in a line being typed.
    Erase,
    /// Ctrl-D: leave this step empty.
    Clear,
    /// `i` on the first screen: the study the scan is modelled on, and the
    /// protocol's source.
    About,
    /// Esc: leave early (asking first when something would be lost).
    Leave,
    /// `s` in the leave question: save as unfinished, then leave.
    SaveLeave,
    /// `d` in the leave question: leave, keeping nothing of this run.
    Discard,
    /// `k` (or Esc, Enter) in the leave question: back to the prep.
    KeepGoing,
    /// Ctrl-R on the first screen: resume the unfinished prep offered.
    Resume,
    /// ↑ ↓ PgUp PgDn where the screen holds more than the window shows.
    Scroll,
    /// F1.
    Help,
}

const ENTER: &[Key] = &[Key::plain(KeyCode::Enter)];

/// Every key of the prep, most important first (the footer drops rows from
/// the end on a narrow window, always keeping F1).
pub const KEYS: &[Binding<Cmd>] = &[
    row(
        &[Key::ch('s'), Key::ch('S')],
        "s",
        "leaving: save as unfinished",
        Cmd::SaveLeave,
    ),
    row(
        &[Key::ch('d'), Key::ch('D')],
        "d",
        "leaving: discard this prep",
        Cmd::Discard,
    ),
    row(
        &[
            Key::ch('k'),
            Key::ch('K'),
            Key::plain(KeyCode::Esc),
            Key::plain(KeyCode::Enter),
        ],
        "k",
        "leaving: keep going (also Esc)",
        Cmd::KeepGoing,
    ),
    row(ENTER, "Enter", "begin the scan", Cmd::Begin),
    row(
        &[Key::ctrl('r')],
        "Ctrl-R",
        "first screen: resume the unfinished prep",
        Cmd::Resume,
    ),
    row(ENTER, "Enter", "end the scan early", Cmd::EndScan),
    row(
        &[Key::ch(' ')],
        "Space",
        "hold or resume the scan",
        Cmd::Hold,
    ),
    row(
        &[Key::ch('b'), Key::ch('B')],
        "b",
        "breathing pacer on/off",
        Cmd::Pacer,
    ),
    row(ENTER, "Enter", "take the selected words", Cmd::Take),
    row(ENTER, "Enter", "done: the pocket card", Cmd::Done),
    row(ENTER, "Enter", "close; card stays printed", Cmd::Close),
    row(
        &[
            Key::plain(KeyCode::Esc),
            Key::ch('q'),
            Key::ctrl('q'),
            Key::ctrl('c'),
        ],
        "Esc, q",
        "close, as Enter does",
        Cmd::CloseToo,
    ),
    row(&[], "type", "write your own words", Cmd::Type),
    row(
        &[Key::plain(KeyCode::Up), Key::plain(KeyCode::Down)],
        "↑ ↓",
        "pick stem or own words",
        Cmd::Pick,
    ),
    row(
        &[Key::plain(KeyCode::Tab)],
        "Tab",
        "skip the scan",
        Cmd::Skip,
    ),
    row(
        &[Key::plain(KeyCode::Tab)],
        "Tab",
        "next; keeps the choice",
        Cmd::Next,
    ),
    row(
        &[Key::plain(KeyCode::BackTab)],
        "Shift-Tab",
        "back; keeps the choice",
        Cmd::Back,
    ),
    row(
        &[Key::ctrl('d'), Key::plain(KeyCode::Delete)],
        "Ctrl-D",
        "leave step empty (or Del)",
        Cmd::Clear,
    ),
    row(
        &[Key::plain(KeyCode::Backspace)],
        "Backspace",
        "delete a character",
        Cmd::Erase,
    ),
    row(&[Key::ch('i')], "i", "about: study and source", Cmd::About),
    row(
        &[
            Key::plain(KeyCode::Up),
            Key::plain(KeyCode::Down),
            Key::plain(KeyCode::PageUp),
            Key::plain(KeyCode::PageDown),
        ],
        "↑ ↓",
        "scroll when there is more (PgUp PgDn)",
        Cmd::Scroll,
    ),
    row(
        &[Key::plain(KeyCode::Esc), Key::ctrl('q'), Key::ctrl('c')],
        "Esc",
        "leave (asks first; or Ctrl-Q)",
        Cmd::Leave,
    ),
    row(
        &[Key::plain(KeyCode::F(1))],
        "F1",
        "this help; any key closes",
        Cmd::Help,
    ),
];

/// A box over the screen: ↑ ↓ PgUp PgDn Home End scroll it when it is
/// longer than the window, any other key closes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    Help,
    About,
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
    pub overlay: Option<Overlay>,
    /// How far the open overlay is scrolled.
    pub overlay_scroll: u16,
    /// How far the open overlay can scroll, as last drawn.
    pub overlay_max: u16,
    pub bell: bool,
    /// The leave question is open (s save as unfinished, d discard, k keep
    /// going).
    pub leaving: bool,
    /// Whether anything is kept on disk (false with `--no-save`): the
    /// question then offers no save.
    pub keeps: bool,
    /// The first screen's offer of an unfinished prep: the line shown and
    /// the session's id (Ctrl-R resumes it).
    pub resume_offer: Option<(String, String)>,
    /// The prep was resumed from a saved session: leaving with discard puts
    /// nothing new on disk, and says the session is as it was.
    pub resumed: bool,
    /// Lines the screen's text is scrolled (a short window).
    pub scroll: u16,
    /// How far it can scroll, as last drawn (0: it all fits).
    pub scroll_max: u16,
}

/// What the program must do after a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrepEffect {
    None,
    Finish,
    Leave,
    /// Leave keeping nothing of this run.
    Discard,
    /// Resume the unfinished prep the first screen offers.
    Resume,
    /// A signal (its number): keep what was chosen as unfinished, and end.
    Stop(i32),
}

impl PrepApp {
    pub fn new(prep: Prep) -> Self {
        let mut app = PrepApp {
            prep,
            selected: 0,
            own: String::new(),
            intention: String::new(),
            overlay: None,
            overlay_scroll: 0,
            overlay_max: 0,
            bell: false,
            leaving: false,
            keeps: true,
            resume_offer: None,
            resumed: false,
            scroll: 0,
            scroll_max: 0,
        };
        app.settle();
        app
    }

    /// The prep has begun: a scan begun, a stage past the first screen, or
    /// anything chosen. The first screen's offer to resume another prep is
    /// off from then on.
    pub fn has_begun(&self) -> bool {
        self.resumed || *self.prep.stage() != Stage::ScanOffer || !self.prep.is_empty()
    }

    /// Whether leaving now would lose something: the leave question asks
    /// first then (a scan taken, words chosen or being typed, an intention).
    pub fn would_lose(&self) -> bool {
        !self.prep.is_empty()
            || !self.own.trim().is_empty()
            || !self.intention.trim().is_empty()
            || self.resumed
    }

    /// How many rows the current words step has (the words offered, then
    /// own words).
    fn rows(&self) -> usize {
        match self.prep.stage() {
            Stage::Words(n) => offered(self.prep.word_step(*n)).len() + 1,
            _ => 0,
        }
    }

    /// Whether the own-words row is selected.
    pub fn own_selected(&self) -> bool {
        self.rows() > 0 && self.selected + 1 == self.rows()
    }

    /// The words chosen for the current step, if it is a words step and
    /// something is chosen.
    pub fn chosen(&self) -> Option<&str> {
        match self.prep.stage() {
            Stage::Words(n) => self.prep.words_at(*n).filter(|w| !w.is_empty()),
            _ => None,
        }
    }

    /// Loads the screen's fields from the model after the stage changed:
    /// the selection where this step's chosen words are, the intention.
    fn settle(&mut self) {
        self.selected = 0;
        self.scroll = 0;
        self.own.clear();
        match self.prep.stage() {
            Stage::Words(n) => {
                let n = *n;
                let chosen = self.prep.words_at(n).unwrap_or("").to_string();
                let offered_words = offered(self.prep.word_step(n));
                if let Some(i) = offered_words.iter().position(|s| *s == chosen) {
                    self.selected = i;
                } else if !chosen.is_empty() {
                    self.selected = offered_words.len();
                    self.own = chosen;
                }
            }
            Stage::Intention => self.intention = self.prep.intention().to_string(),
            _ => {}
        }
    }

    /// Hands what is being typed to the model, staying where it is, so
    /// nothing typed is lost by moving on, going back or leaving. Own words
    /// typed on a step become its words; an empty field changes nothing.
    pub fn commit_typing(&mut self, now: Instant) {
        match self.prep.stage() {
            Stage::Words(_) if !self.own.trim().is_empty() => {
                self.prep.apply(Action::SetWords(self.own.clone()), now);
            }
            Stage::Intention => self
                .prep
                .apply(Action::NoteIntention(self.intention.clone()), now),
            _ => {}
        }
    }

    /// Draws the prep and keeps what the view measured, for the keys.
    pub fn draw(&mut self, frame: &mut Frame, theme: &Theme, now: Instant) {
        let measured = view::draw(frame, self, theme, now);
        if let Some(max) = measured.scroll_max {
            self.scroll_max = max;
        }
        if let Some(max) = measured.overlay_max {
            self.overlay_max = max;
        }
    }

    /// What `cmd` is in the current state: off, quiet, or offered in the
    /// footer with these words. The one place that says which keys work.
    pub fn hint(&self, cmd: Cmd) -> Hint {
        self.hint_measured(cmd, self.scroll_max)
    }

    /// [`PrepApp::hint`] with how far the text can scroll as the frame
    /// being drawn measured it, so its footer is true to that frame.
    pub(crate) fn hint_measured(&self, cmd: Cmd, scroll_max: u16) -> Hint {
        if self.overlay.is_some() {
            return Hint::Off;
        }
        if self.leaving {
            return match cmd {
                Cmd::SaveLeave if self.keeps => Hint::shown("save as unfinished"),
                Cmd::Discard if self.keeps => Hint::shown("discard"),
                Cmd::Discard => Hint::shown("leave, let it go"),
                Cmd::KeepGoing => Hint::shown("keep going"),
                Cmd::Help => Hint::shown("help"),
                _ => Hint::Off,
            };
        }
        let stage = self.prep.stage();
        match (cmd, stage) {
            (Cmd::SaveLeave | Cmd::Discard | Cmd::KeepGoing, _) => Hint::Off,
            (Cmd::Resume, Stage::ScanOffer) if self.resume_offer.is_some() && !self.has_begun() => {
                Hint::shown("resume")
            }
            (Cmd::Resume, _) => Hint::Off,
            // On a words step ↑ ↓ pick; elsewhere they scroll what is cut.
            (Cmd::Scroll, Stage::Words(_) | Stage::Scanning(_)) => Hint::Off,
            (Cmd::Scroll, _) if scroll_max > 0 => Hint::shown("more"),
            (Cmd::Scroll, _) => Hint::Off,
            (Cmd::Help, _) => Hint::shown("help"),
            (Cmd::Begin, Stage::ScanOffer) => Hint::shown("begin"),
            (Cmd::Skip, Stage::ScanOffer) => Hint::shown("skip"),
            (Cmd::About, Stage::ScanOffer) => Hint::shown("about"),
            (Cmd::EndScan, Stage::Scanning(_)) => Hint::shown("end early"),
            (Cmd::Hold, Stage::Scanning(timer)) => {
                if timer.is_running() {
                    Hint::shown("hold")
                } else {
                    Hint::shown("resume")
                }
            }
            (Cmd::Pacer, Stage::Scanning(_)) if self.prep.pacer_offered() => {
                if self.prep.breath().is_some() {
                    Hint::shown("pacer off")
                } else {
                    Hint::shown("pacer on")
                }
            }
            (Cmd::Take, Stage::Words(_)) => {
                if self.own_selected() && self.own.trim().is_empty() {
                    // Nothing to take: Enter moves on, as Tab does.
                    Hint::shown("next")
                } else {
                    Hint::shown("take")
                }
            }
            (Cmd::Pick, Stage::Words(_)) => Hint::shown("pick"),
            (Cmd::Type, Stage::Words(_)) => Hint::shown("own words"),
            (Cmd::Next, Stage::Words(_)) => Hint::shown("next"),
            (Cmd::Back, Stage::Words(n)) if *n > 0 => Hint::shown("back"),
            (Cmd::Clear, Stage::Words(_)) => {
                if self.chosen().is_some() {
                    Hint::shown("leave empty")
                } else {
                    Hint::Quiet
                }
            }
            (Cmd::Erase, Stage::Words(_)) => Hint::Quiet,
            (Cmd::Done, Stage::Intention) => Hint::shown("done"),
            (Cmd::Type, Stage::Intention) => Hint::Quiet,
            (Cmd::Erase, Stage::Intention) => Hint::Quiet,
            (Cmd::Next, Stage::Intention) => Hint::Quiet,
            (Cmd::Back, Stage::Intention) if self.prep.word_count() > 0 => Hint::shown("back"),
            (Cmd::Close, Stage::Card) => Hint::shown("close"),
            (Cmd::CloseToo, Stage::Card) => Hint::Quiet,
            (Cmd::Back, Stage::Card) => Hint::shown("back"),
            (Cmd::Leave, Stage::Card) => Hint::Off,
            (Cmd::Leave, _) => Hint::shown("leave"),
            _ => Hint::Off,
        }
    }

    /// The rows of [`KEYS`] that work right now, for the F1 help.
    pub fn live_keys(&self) -> Vec<Binding<Cmd>> {
        let mut app = self.clone();
        app.overlay = None;
        KEYS.iter()
            .filter(|b| app.hint(b.command) != Hint::Off)
            .copied()
            .collect()
    }

    /// A key no row of the table took: a character typed into the line
    /// being written, if there is one.
    fn type_key(&mut self, key: KeyEvent) {
        let KeyCode::Char(c) = key.code else {
            return;
        };
        if key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
            || crate::sanitize::is_forbidden(c)
        {
            return;
        }
        match self.prep.stage() {
            Stage::Words(_) => {
                // Typing anywhere writes your own words.
                self.selected = self.rows() - 1;
                self.own.push(c);
            }
            Stage::Intention => self.intention.push(c),
            _ => {}
        }
    }

    /// Pasted text goes into whatever line is being typed, as one line
    /// (none while the leave question is open).
    pub fn paste(&mut self, text: &str) {
        if self.leaving {
            return;
        }
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

impl ModeEffect for PrepEffect {
    const NOTHING: PrepEffect = PrepEffect::None;

    fn stopped(number: i32) -> PrepEffect {
        PrepEffect::Stop(number)
    }
}

impl Model for PrepApp {
    type Effect = PrepEffect;

    fn key(&mut self, key: KeyEvent, now: Instant) -> PrepEffect {
        if self.overlay.is_some() {
            // ↑ ↓ PgUp PgDn Home End scroll an overlay too long for the
            // window; any other key closes it, and does nothing else.
            match scroll_key(&key, self.overlay_scroll, self.overlay_max) {
                Some(to) => self.overlay_scroll = to,
                None => self.overlay = None,
            }
            return PrepEffect::None;
        }
        let Some(cmd) = keys::lookup(KEYS, &key, |c| self.hint(c)) else {
            // Under the leave question a key answers it or does nothing.
            if !self.leaving {
                self.type_key(key);
            }
            return PrepEffect::None;
        };
        match cmd {
            Cmd::Help | Cmd::About => {
                self.overlay = Some(if cmd == Cmd::Help {
                    Overlay::Help
                } else {
                    Overlay::About
                });
                self.overlay_scroll = 0;
                self.overlay_max = 0;
            }
            Cmd::Leave => {
                self.commit_typing(now);
                if !self.would_lose() {
                    return PrepEffect::Leave;
                }
                self.leaving = true;
            }
            Cmd::SaveLeave => return PrepEffect::Leave,
            Cmd::Discard => return PrepEffect::Discard,
            Cmd::KeepGoing => self.leaving = false,
            Cmd::Resume => return PrepEffect::Resume,
            Cmd::Scroll => {
                let by: i32 = match key.code {
                    KeyCode::Up => -1,
                    KeyCode::Down => 1,
                    KeyCode::PageUp => -5,
                    _ => 5,
                };
                // The intention is scrolled counting from its end (the line
                // being typed stays in view), so Up goes further from it.
                let by = if *self.prep.stage() == Stage::Intention {
                    -by
                } else {
                    by
                };
                let to = i32::from(self.scroll) + by;
                self.scroll = to.clamp(0, i32::from(self.scroll_max)) as u16;
            }
            Cmd::Close | Cmd::CloseToo => return PrepEffect::Finish,
            Cmd::Begin => self.prep.apply(Action::BeginScan, now),
            Cmd::Hold => self.prep.apply(Action::ToggleHold, now),
            Cmd::Pacer => self.prep.apply(Action::TogglePacer, now),
            Cmd::EndScan => {
                self.prep.apply(Action::EndScan, now);
                self.settle();
            }
            Cmd::Take => {
                if let Stage::Words(n) = *self.prep.stage() {
                    let words = if self.own_selected() {
                        self.own.clone()
                    } else {
                        offered(self.prep.word_step(n))[self.selected].clone()
                    };
                    self.prep.apply(Action::Choose(words), now);
                    self.settle();
                }
            }
            Cmd::Done => {
                self.prep
                    .apply(Action::SetIntention(self.intention.clone()), now);
                self.settle();
            }
            Cmd::Skip | Cmd::Next | Cmd::Back => {
                self.commit_typing(now);
                let action = if cmd != Cmd::Back {
                    Action::Next
                } else {
                    Action::Back
                };
                self.prep.apply(action, now);
                self.settle();
            }
            Cmd::Pick => {
                let last = self.rows().saturating_sub(1);
                self.selected = match key.code {
                    KeyCode::Up => self.selected.saturating_sub(1),
                    _ => (self.selected + 1).min(last),
                };
            }
            Cmd::Clear => {
                self.prep.apply(Action::Clear, now);
                self.own.clear();
            }
            Cmd::Erase => match self.prep.stage() {
                Stage::Words(_) => {
                    self.selected = self.rows() - 1;
                    self.own.pop();
                }
                Stage::Intention => {
                    self.intention.pop();
                }
                _ => {}
            },
            Cmd::Type => {}
        }
        PrepEffect::None
    }

    fn paste(&mut self, text: &str, _now: Instant) {
        // The prep's own `paste` (which needs no time), not this one.
        PrepApp::paste(self, text);
    }

    /// The passing of time.
    fn tick(&mut self, now: Instant) {
        if self.prep.tick(now) {
            self.bell = true;
            self.settle();
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
    /// Saves the prep (finished or not); `None` with `--no-save`, or when
    /// nothing was chosen and no scan taken (an empty prep keeps nothing).
    fn save(&mut self, finished: bool, now: Instant) -> Saved {
        if !self.journal.keeps() || self.app.prep.is_empty() {
            return Saved::Nothing;
        }
        let session = self
            .app
            .prep
            .session(now, finished.then(crate::journal::local_now));
        Saved::of(self.journal.save(&session), &session.id)
    }

    /// Leaving early keeps what was chosen (and what was being typed).
    fn save_unfinished(&mut self, now: Instant) -> Saved {
        self.app.commit_typing(now);
        self.save(false, now)
    }
}

impl Program for PrepProgram<'_> {
    type Output = Ended<Outcome>;

    fn draw(&mut self, frame: &mut Frame, now: Instant) {
        self.app.draw(frame, &self.theme, now);
    }

    fn deadline(&self, now: Instant) -> Option<Instant> {
        // The prep's pacer is words and whole seconds (phases are whole
        // seconds long), so it never needs more than the per-second wake.
        self.app.prep.next_change(now, false)
    }

    fn handle(&mut self, input: Input, now: Instant) -> Option<Ended<Outcome>> {
        match self.app.update(input, now) {
            PrepEffect::Finish => {
                let saved = self.save(true, now);
                return Some(Ended::Done(Outcome::Finished {
                    prep: Box::new(self.app.prep.clone()),
                    saved,
                }));
            }
            PrepEffect::Leave => {
                let saved = self.save_unfinished(now);
                return Some(Ended::Done(Outcome::Left {
                    prep: Box::new(self.app.prep.clone()),
                    saved,
                }));
            }
            PrepEffect::Discard => {
                return Some(Ended::Done(Outcome::Discarded {
                    prep: Box::new(self.app.prep.clone()),
                }));
            }
            PrepEffect::Resume => {
                if let Some((_, id)) = &self.app.resume_offer {
                    return Some(Ended::Done(Outcome::Resume(id.clone())));
                }
            }
            PrepEffect::Stop(number) => {
                let saved = self.save_unfinished(now);
                return Some(Ended::Signal {
                    number,
                    kept: Kept {
                        id: saved.id().map(str::to_string),
                        unsaved: None,
                    },
                });
            }
            PrepEffect::None => {}
        }
        None
    }

    fn take_bell(&mut self) -> bool {
        std::mem::take(&mut self.app.bell) && self.bell
    }

    fn rescue(&mut self, error: io::Error, now: Instant) -> Ended<Outcome> {
        let _ = self.save_unfinished(now);
        Ended::Failed {
            error,
            kept: Kept::default(),
        }
    }
}

/// How the prep screen opens: a resumed prep, or the first screen's offer
/// of an unfinished one (its line and id).
#[derive(Debug, Clone, Default)]
pub struct Opening {
    pub resumed: bool,
    pub resume_offer: Option<(String, String)>,
}

/// Runs the prep full screen until the pocket card is closed or it is left.
pub fn run(
    prep: Prep,
    journal: &mut dyn Journal,
    presentation: crate::tui::Presentation,
) -> io::Result<Ended<Outcome>> {
    run_opened(prep, journal, presentation, Opening::default())
}

/// [`run`], opened as `opening` says.
pub fn run_opened(
    prep: Prep,
    journal: &mut dyn Journal,
    presentation: crate::tui::Presentation,
    opening: Opening,
) -> io::Result<Ended<Outcome>> {
    let mut app = PrepApp::new(prep);
    app.keeps = journal.keeps();
    app.resumed = opening.resumed;
    app.resume_offer = opening.resume_offer;
    let mut program = PrepProgram {
        app,
        journal,
        theme: presentation.theme,
        bell: presentation.bell,
    };
    terminal::run(&mut program, &presentation.theme)
}
