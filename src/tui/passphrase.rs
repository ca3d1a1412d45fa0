//! The passphrase for encrypted notes, asked on the full screen: a masked
//! field in a quiet box, before the walk-through, the browser or the prep
//! opens. Each character shows as `*`; three tries, and nothing is written
//! in between (the store only reads its key file while checking).
//!
//! [`Form`] is the box as a pure model in the walk's convention ([`Model`]:
//! a message in, a [`PromptEffect`] out); [`Prompt`] runs it and does the one
//! effect that needs the store, the check. Its keys are one table, [`KEYS`],
//! which also makes the footer and the F1 help.
//!
//! The typed text lives in a [`Zeroizing`] buffer and is wiped when the
//! prompt ends. Checking takes about a second (age's scrypt), so Enter first
//! draws "Checking…" and the check runs on the next wake.

use std::io;
use std::time::Instant;

use age::secrecy::SecretString;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::text::{Line, Text};
use zeroize::Zeroizing;

use super::keys::{self, Binding, Hint, Key, row};
use super::mode::{ModeEffect, Model};
use super::terminal::{Ended, Input, Kept, Program};
use super::theme::Theme;
use super::widgets::dialogs::dialog;
use super::widgets::fits;
use crate::journal::{Store, StoreError};

/// How many times a wrong passphrase may be given (as on the plain prompt).
pub const TRIES: usize = 3;

/// How the prompt ended.
#[derive(Debug)]
pub enum Asked {
    /// The store is unlocked.
    Unlocked,
    /// Three wrong passphrases.
    Wrong,
    /// Esc or Ctrl-C: nothing was changed.
    Cancelled,
}

/// What a key does in the passphrase box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmd {
    Unlock,
    Cancel,
    Clear,
    Erase,
    Help,
}

/// The passphrase box's keys: what they do, the footer and the F1 help.
pub const KEYS: &[Binding<Cmd>] = &[
    row(
        &[Key::plain(KeyCode::Enter)],
        "Enter",
        "unlock your notes",
        Cmd::Unlock,
    ),
    row(
        &[Key::plain(KeyCode::Esc), Key::ctrl('c'), Key::ctrl('d')],
        "Esc",
        "cancel; nothing changes",
        Cmd::Cancel,
    ),
    row(
        &[Key::ctrl('u')],
        "Ctrl-U",
        "clear what is typed",
        Cmd::Clear,
    ),
    row(
        &[Key::plain(KeyCode::Backspace)],
        "Backspace",
        "erase a character",
        Cmd::Erase,
    ),
    row(&[Key::plain(KeyCode::F(1))], "F1", "help", Cmd::Help),
];

/// What the program must do after a message to the box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptEffect {
    None,
    /// Check [`Form::take_secret`] against the store, and hand the result
    /// to [`Form::checked`].
    Check,
    /// The prompt is over.
    Done(AskedKind),
    /// A signal (its number) ends the prompt.
    Stop(i32),
}

/// How the box ended, as the model decides it ([`Asked`] for the command).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AskedKind {
    Unlocked,
    Wrong,
    Cancelled,
}

impl ModeEffect for PromptEffect {
    const NOTHING: PromptEffect = PromptEffect::None;

    fn stopped(number: i32) -> PromptEffect {
        PromptEffect::Stop(number)
    }
}

/// Why the key could not be read for another reason than the passphrase:
/// the store's sentence, shared so a check's result can be copied. Two are
/// equal when they say the same words.
#[derive(Debug, Clone, thiserror::Error)]
#[error(transparent)]
pub struct KeyError(std::sync::Arc<StoreError>);

impl From<StoreError> for KeyError {
    fn from(error: StoreError) -> Self {
        KeyError(std::sync::Arc::new(error))
    }
}

impl PartialEq for KeyError {
    fn eq(&self, other: &Self) -> bool {
        self.to_string() == other.to_string()
    }
}

impl Eq for KeyError {}

/// What checking a passphrase found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Checked {
    Right,
    Wrong,
    /// The key could not be read for another reason.
    Failed(KeyError),
}

/// The passphrase box as a pure model: what is typed (wiped when taken or
/// dropped), the tries left, and what to say. No terminal and no store.
pub struct Form {
    typed: Zeroizing<String>,
    tries_left: usize,
    checking: bool,
    message: Option<String>,
    help: bool,
}

impl Default for Form {
    fn default() -> Self {
        Form {
            typed: Zeroizing::new(String::new()),
            tries_left: TRIES,
            checking: false,
            message: None,
            help: false,
        }
    }
}

impl Form {
    /// How many characters are typed (what the box shows, as `*`).
    pub fn typed_len(&self) -> usize {
        self.typed.chars().count()
    }

    pub fn tries_left(&self) -> usize {
        self.tries_left
    }

    /// Whether "Checking…" is showing (the check runs on the next wake).
    pub fn is_checking(&self) -> bool {
        self.checking
    }

    /// What the typed passphrase is, for the check; the field is emptied.
    pub fn take_secret(&mut self) -> SecretString {
        let secret = SecretString::from(self.typed.as_str().to_owned());
        self.typed.clear();
        secret
    }

    /// The check's result: the prompt is over, or another try is asked for.
    pub fn checked(&mut self, result: Checked) -> Result<Option<AskedKind>, KeyError> {
        self.checking = false;
        match result {
            Checked::Right => Ok(Some(AskedKind::Unlocked)),
            Checked::Failed(error) => Err(error),
            Checked::Wrong => {
                self.tries_left = self.tries_left.saturating_sub(1);
                if self.tries_left == 0 {
                    return Ok(Some(AskedKind::Wrong));
                }
                let left = self.tries_left;
                self.message = Some(format!(
                    "That passphrase is not right. {left} {} left.",
                    if left == 1 { "try" } else { "tries" }
                ));
                Ok(None)
            }
        }
    }

    fn hint(&self, cmd: Cmd) -> Hint {
        match cmd {
            Cmd::Unlock => Hint::shown("unlock"),
            Cmd::Cancel => Hint::shown("cancel"),
            Cmd::Help => Hint::shown("help"),
            Cmd::Clear | Cmd::Erase => Hint::Quiet,
        }
    }
}

impl Model for Form {
    type Effect = PromptEffect;

    fn key(&mut self, key: KeyEvent, _now: Instant) -> PromptEffect {
        if self.help {
            // Any key closes the help and does nothing else.
            self.help = false;
            return PromptEffect::None;
        }
        match keys::lookup(KEYS, &key, |c| self.hint(c)) {
            Some(Cmd::Cancel) => return PromptEffect::Done(AskedKind::Cancelled),
            Some(Cmd::Clear) => self.typed.clear(),
            Some(Cmd::Erase) => {
                self.typed.pop();
            }
            Some(Cmd::Help) => self.help = true,
            Some(Cmd::Unlock) => self.checking = !self.typed.is_empty(),
            None => {
                // As before the table: any character but a Ctrl one is typed.
                let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
                if let KeyCode::Char(c) = key.code
                    && !ctrl
                {
                    self.typed.push(c);
                    self.message = None;
                }
            }
        }
        PromptEffect::None
    }

    fn paste(&mut self, text: &str, _now: Instant) {
        if !self.help {
            self.typed.extend(text.chars().filter(|c| !c.is_control()));
        }
    }

    fn tick(&mut self, _now: Instant) {}

    /// While "Checking…" shows, the next message (the wake asked for, or
    /// anything else) runs the check; a signal still ends the prompt.
    fn update(&mut self, msg: Input, now: Instant) -> PromptEffect {
        match msg {
            Input::Signal(number) => PromptEffect::Stop(number),
            _ if self.checking => PromptEffect::Check,
            Input::Key(key) => self.key(key, now),
            Input::Paste(text) => {
                self.paste(&text, now);
                PromptEffect::None
            }
            Input::Tick | Input::Resize => PromptEffect::None,
        }
    }
}

/// The prompt on the full screen: the [`Form`] and the store it unlocks.
pub struct Prompt<'a> {
    store: &'a mut Store,
    form: Form,
    theme: Theme,
}

impl<'a> Prompt<'a> {
    pub fn new(store: &'a mut Store, theme: Theme) -> Self {
        Prompt {
            store,
            form: Form::default(),
            theme,
        }
    }
}

impl Program for Prompt<'_> {
    type Output = Ended<Asked>;

    fn draw(&mut self, frame: &mut Frame, _now: Instant) {
        draw(frame, &self.form, &self.theme);
    }

    fn deadline(&self, now: Instant) -> Option<Instant> {
        // Checking waits one wake, so "Checking…" is drawn first.
        self.form.checking.then_some(now)
    }

    fn handle(&mut self, input: Input, now: Instant) -> Option<Ended<Asked>> {
        let asked = match self.form.update(input, now) {
            PromptEffect::None => return None,
            PromptEffect::Stop(number) => {
                return Some(Ended::Signal {
                    number,
                    kept: Kept::default(),
                });
            }
            PromptEffect::Done(asked) => asked,
            PromptEffect::Check => {
                let secret = self.form.take_secret();
                let result = match self.store.unlock(&secret) {
                    Ok(()) => Checked::Right,
                    Err(StoreError::WrongPassphrase) => Checked::Wrong,
                    Err(other) => Checked::Failed(other.into()),
                };
                match self.form.checked(result) {
                    Ok(Some(asked)) => asked,
                    Ok(None) => return None,
                    // Reading the key failed for another reason than the
                    // passphrase.
                    Err(error) => {
                        return Some(Ended::Failed {
                            error: io::Error::other(error),
                            kept: Kept::default(),
                        });
                    }
                }
            }
        };
        Some(Ended::Done(match asked {
            AskedKind::Unlocked => Asked::Unlocked,
            AskedKind::Wrong => Asked::Wrong,
            AskedKind::Cancelled => Asked::Cancelled,
        }))
    }

    fn rescue(&mut self, error: io::Error, _now: Instant) -> Ended<Asked> {
        Ended::Failed {
            error,
            kept: Kept::default(),
        }
    }
}

/// The box: the masked field and what to say, or the F1 help in its place.
pub fn draw(frame: &mut Frame, form: &Form, theme: &Theme) {
    if !fits(frame, theme) {
        return;
    }
    let area = frame.area();
    // The box is at most 64 columns, with a border and a space each side.
    let inside = 64.min(area.width).saturating_sub(4);
    let footer = keys::footer(KEYS, inside, theme, |c| form.hint(c));
    if form.help {
        let mut lines = keys::help_lines(KEYS, theme);
        lines.push(Line::default());
        lines.push(Line::raw(format!(
            "The passphrase is never shown or saved. {TRIES} tries."
        )));
        lines.push(Line::styled("Any key closes this.", theme.dim()));
        dialog(frame, area, "Keys", Text::from(lines), theme);
        return;
    }
    let mut lines = vec![
        Line::raw("Your notes are encrypted."),
        Line::default(),
        Line::raw("Passphrase for your notes:"),
        Line::styled(format!("{}▏", "*".repeat(form.typed_len())), theme.key()),
        Line::default(),
    ];
    match (&form.message, form.checking) {
        (_, true) => lines.push(Line::styled("Checking…", theme.dim())),
        (Some(message), false) => lines.push(Line::styled(message.clone(), theme.warn())),
        (None, false) => lines.push(Line::default()),
    }
    lines.push(footer);
    dialog(frame, area, "Passphrase", Text::from(lines), theme);
}

/// Asks on the full screen until the store opens, at most three times.
pub fn ask(store: &mut Store, theme: Theme) -> io::Result<Ended<Asked>> {
    let mut prompt = Prompt::new(store, theme);
    super::terminal::run(&mut prompt, &theme)
}

#[cfg(test)]
mod tests {
    use super::*;
    use age::secrecy::ExposeSecret;
    use proptest::prelude::*;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    fn press(form: &mut Form, code: KeyCode, mods: KeyModifiers) -> PromptEffect {
        form.update(Input::Key(KeyEvent::new(code, mods)), Instant::now())
    }

    fn typed(form: &mut Form, text: &str) {
        for c in text.chars() {
            press(form, KeyCode::Char(c), KeyModifiers::NONE);
        }
    }

    #[test]
    fn every_key_of_the_table_does_what_its_row_says() {
        let mut form = Form::default();
        typed(&mut form, "tender");
        assert_eq!(form.typed_len(), 6);
        press(&mut form, KeyCode::Backspace, KeyModifiers::NONE);
        assert_eq!(form.typed_len(), 5);
        press(&mut form, KeyCode::Char('u'), KeyModifiers::CONTROL);
        assert_eq!(form.typed_len(), 0, "Ctrl-U clears");
        // Enter on nothing typed checks nothing.
        press(&mut form, KeyCode::Enter, KeyModifiers::NONE);
        assert!(!form.is_checking());
        // F1 opens the help; the next key only closes it.
        press(&mut form, KeyCode::F(1), KeyModifiers::NONE);
        assert!(form.help);
        assert_eq!(
            press(&mut form, KeyCode::Esc, KeyModifiers::NONE),
            PromptEffect::None
        );
        assert!(!form.help);
        for (code, mods) in [
            (KeyCode::Esc, KeyModifiers::NONE),
            (KeyCode::Char('c'), KeyModifiers::CONTROL),
            (KeyCode::Char('d'), KeyModifiers::CONTROL),
        ] {
            assert_eq!(
                press(&mut Form::default(), code, mods),
                PromptEffect::Done(AskedKind::Cancelled)
            );
        }
    }

    #[test]
    fn enter_shows_checking_then_the_next_wake_checks_what_was_typed() {
        let mut form = Form::default();
        typed(&mut form, "tender");
        assert_eq!(
            press(&mut form, KeyCode::Enter, KeyModifiers::NONE),
            PromptEffect::None
        );
        assert!(form.is_checking());
        assert_eq!(
            form.update(Input::Tick, Instant::now()),
            PromptEffect::Check
        );
        assert_eq!(form.take_secret().expose_secret(), "tender");
        assert_eq!(form.typed_len(), 0);
        assert_eq!(form.checked(Checked::Wrong), Ok(None));
        assert_eq!(form.tries_left(), TRIES - 1);
        assert!(form.message.as_deref().unwrap().contains("2 tries left"));
        let gone = || {
            KeyError::from(StoreError::IdentityDamaged {
                path: "/data/identity.age".into(),
            })
        };
        assert_eq!(form.checked(Checked::Failed(gone())), Err(gone()));
        assert_eq!(form.checked(Checked::Right), Ok(Some(AskedKind::Unlocked)));
    }

    #[test]
    fn a_paste_keeps_no_control_characters_and_a_signal_always_ends() {
        let mut form = Form::default();
        form.update(Input::Paste("ab\u{1b}[2J\ncd".into()), Instant::now());
        assert_eq!(form.take_secret().expose_secret(), "ab[2Jcd");
        typed(&mut form, "x");
        press(&mut form, KeyCode::Enter, KeyModifiers::NONE);
        assert_eq!(
            form.update(Input::Signal(15), Instant::now()),
            PromptEffect::Stop(15)
        );
    }

    #[derive(Debug, Clone)]
    enum Step {
        Key(KeyCode, KeyModifiers),
        Paste(String),
        Tick,
        Draw(u16, u16),
    }

    fn any_step() -> impl Strategy<Value = Step> {
        let code = prop_oneof![
            Just(KeyCode::Enter),
            Just(KeyCode::Esc),
            Just(KeyCode::Backspace),
            Just(KeyCode::F(1)),
            Just(KeyCode::Tab),
            prop::char::range('a', 'z').prop_map(KeyCode::Char),
        ];
        let mods = prop_oneof![
            8 => Just(KeyModifiers::NONE),
            1 => Just(KeyModifiers::CONTROL),
            1 => Just(KeyModifiers::ALT),
        ];
        prop_oneof![
            8 => (code, mods).prop_map(|(c, m)| Step::Key(c, m)),
            1 => "[a-z\n\u{1b}]{0,8}".prop_map(Step::Paste),
            2 => Just(Step::Tick),
            1 => (1u16..200, 1u16..60).prop_map(|(w, h)| Step::Draw(w, h)),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::practice::proptest_cases(64)))]

        /// Whatever is pressed, with the check (done at once, as the
        /// program does) answering right or wrong at random: nothing panics
        /// at any size, what is typed is never drawn, an empty passphrase
        /// is never checked, tries only go down, and the box ends as Wrong
        /// exactly on the last wrong answer.
        #[test]
        fn the_box_holds_under_random_input(
            steps in prop::collection::vec(any_step(), 1..80),
            answers in prop::collection::vec(any::<bool>(), 1..8),
        ) {
            let mut form = Form::default();
            typed(&mut form, "zqxj");
            let mut answers = answers.into_iter().cycle();
            let mut wrong = 0;
            for step in steps {
                let tries = form.tries_left();
                let effect = match step {
                    Step::Key(code, mods) => form.update(Input::Key(KeyEvent::new(code, mods)), Instant::now()),
                    Step::Paste(text) => form.update(Input::Paste(text), Instant::now()),
                    Step::Tick => form.update(Input::Tick, Instant::now()),
                    Step::Draw(w, h) => {
                        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
                        terminal.draw(|frame| draw(frame, &form, &Theme::monochrome())).unwrap();
                        let text = format!("{:?}", terminal.backend());
                        prop_assert!(!text.contains("zqxj"), "the passphrase is never shown");
                        continue;
                    }
                };
                prop_assert!(form.tries_left() <= tries);
                match effect {
                    PromptEffect::Check => {
                        let secret = form.take_secret();
                        prop_assert!(!secret.expose_secret().is_empty(), "an empty passphrase is never checked");
                        prop_assert_eq!(form.typed_len(), 0);
                        let right = answers.next().unwrap_or(true);
                        let result = form.checked(if right { Checked::Right } else { Checked::Wrong });
                        prop_assert!(!form.is_checking());
                        if right {
                            prop_assert_eq!(result, Ok(Some(AskedKind::Unlocked)));
                            break;
                        }
                        wrong += 1;
                        if wrong == TRIES {
                            prop_assert_eq!(result, Ok(Some(AskedKind::Wrong)));
                            break;
                        }
                        prop_assert_eq!(result, Ok(None));
                        prop_assert_eq!(form.tries_left(), TRIES - wrong);
                    }
                    PromptEffect::Done(AskedKind::Cancelled) | PromptEffect::Stop(_) => break,
                    PromptEffect::Done(other) => prop_assert!(false, "only a check ends it so: {:?}", other),
                    PromptEffect::None => {}
                }
            }
        }
    }
}
