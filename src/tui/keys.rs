//! Keys as data: each full-screen view keeps one table of [`Binding`]s, and
//! the same table decides what a key does ([`lookup`]), what the footer
//! offers ([`footer`]) and what the F1 help lists ([`help_lines`]), so the
//! three can never disagree.
//!
//! The view says, for its current state, which commands apply and what each
//! is called in the footer right now ([`Hint`]); the table says which keys
//! give a command and how those keys are written. One notation everywhere:
//! `Ctrl-S`, `Shift-Tab`, `Enter`, `Esc`, `F1`, `Up`/`Down` (shown as arrows).

use std::borrow::Cow;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::text::{Line, Span};

use super::theme::Theme;

/// A key as matched: a code and the modifiers that must be held. Shift is
/// ignored for characters (the character already says it) and `Char` keys
/// with no modifier also match when only Shift is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    pub const fn plain(code: KeyCode) -> Key {
        Key {
            code,
            mods: KeyModifiers::NONE,
        }
    }

    pub const fn ch(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }

    pub const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            mods: KeyModifiers::CONTROL,
        }
    }

    pub const fn alt(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            mods: KeyModifiers::ALT,
        }
    }

    /// Whether `event` is this key.
    pub fn matches(&self, event: &KeyEvent) -> bool {
        let held = event.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
        let wanted = self.mods & (KeyModifiers::CONTROL | KeyModifiers::ALT);
        let code_matches = match (self.code, event.code) {
            // Ctrl-letters arrive in either case depending on the terminal.
            (KeyCode::Char(a), KeyCode::Char(b)) if !wanted.is_empty() => {
                a.eq_ignore_ascii_case(&b)
            }
            // Shift-Tab arrives as BackTab on most terminals.
            (KeyCode::BackTab, KeyCode::Tab) => event.modifiers.contains(KeyModifiers::SHIFT),
            (a, b) => a == b,
        };
        code_matches && held == wanted
    }
}

/// One row of a view's key table.
#[derive(Debug, Clone, Copy)]
pub struct Binding<C: 'static> {
    /// Every key that gives this command.
    pub keys: &'static [Key],
    /// How the keys are written in the footer and help: "Ctrl-S", "↑ ↓".
    pub label: &'static str,
    /// One line for the F1 help, short enough for a 40-column window.
    pub help: &'static str,
    pub command: C,
}

/// One row of a key table, short: the keys, how they are written, the F1
/// line and the command. Every table is a list of these.
pub const fn row<C>(
    keys: &'static [Key],
    label: &'static str,
    help: &'static str,
    command: C,
) -> Binding<C> {
    Binding {
        keys,
        label,
        help,
        command,
    }
}

/// What a command is in the current state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hint {
    /// Does nothing here: its keys fall through (to the text field, say).
    Off,
    /// Works, but is not worth footer room right now.
    Quiet,
    /// Works, and the footer offers it with these words.
    Shown(Cow<'static, str>),
}

impl Hint {
    pub fn shown(words: &'static str) -> Hint {
        Hint::Shown(Cow::Borrowed(words))
    }
}

/// The command a key gives in the current state, if any: the first row of
/// the table whose keys include it and whose command is not [`Hint::Off`].
pub fn lookup<C: Copy>(
    table: &[Binding<C>],
    event: &KeyEvent,
    state: impl Fn(C) -> Hint,
) -> Option<C> {
    table
        .iter()
        .filter(|b| b.keys.iter().any(|k| k.matches(event)))
        .map(|b| b.command)
        .find(|&c| state(c) != Hint::Off)
}

/// The footer for the current state: the table's rows in order (most
/// important first) that are [`Hint::Shown`], dropped from the end to fit
/// `width`, the last row always kept (put F1 last).
pub fn footer<C: Copy>(
    table: &[Binding<C>],
    width: u16,
    theme: &Theme,
    state: impl Fn(C) -> Hint,
) -> Line<'static> {
    let owned: Vec<(&'static str, String)> = table
        .iter()
        .filter_map(|b| match state(b.command) {
            Hint::Shown(words) => Some((b.label, words.into_owned())),
            _ => None,
        })
        .collect();
    let pairs: Vec<(&str, &str)> = owned.iter().map(|(k, w)| (*k, w.as_str())).collect();
    let line = hints(&pairs, width, theme);
    Line::from(
        line.spans
            .into_iter()
            .map(|s| Span::styled(s.content.into_owned(), s.style))
            .collect::<Vec<_>>(),
    )
}

/// Every row of the table as a help line, keys right-aligned.
pub fn help_lines<C>(table: &[Binding<C>], theme: &Theme) -> Vec<Line<'static>> {
    let width = table
        .iter()
        .map(|b| b.label.chars().count())
        .max()
        .unwrap_or(0);
    table
        .iter()
        .map(|b| {
            Line::from(vec![
                Span::styled(format!("{:>width$}", b.label), theme.key()),
                Span::raw(format!("  {}", b.help)),
            ])
        })
        .collect()
}

/// A key on a scrolling box (the walk's F1 help and F2 page, the prep's
/// help and About, all drawn by `widgets::dialogs::scrolling_dialog`): where
/// it scrolls to from `at`, at most `max` (as last drawn), or `None` when
/// the key closes the box. ↑ ↓ by a line, PgUp PgDn by five, Home End to
/// either end.
pub fn scroll_key(key: &KeyEvent, at: u16, max: u16) -> Option<u16> {
    let at = at.min(max);
    match key.code {
        KeyCode::Up => Some(at.saturating_sub(1)),
        KeyCode::Down => Some(at.saturating_add(1).min(max)),
        KeyCode::PageUp => Some(at.saturating_sub(5)),
        KeyCode::PageDown => Some(at.saturating_add(5).min(max)),
        KeyCode::Home => Some(0),
        KeyCode::End => Some(max),
        _ => None,
    }
}

/// A key event written in the one notation ("Ctrl-S", "Shift-Tab").
pub fn name(event: &KeyEvent) -> String {
    let mut out = String::new();
    if event.modifiers.contains(KeyModifiers::CONTROL) {
        out.push_str("Ctrl-");
    }
    if event.modifiers.contains(KeyModifiers::ALT) {
        out.push_str("Alt-");
    }
    match event.code {
        KeyCode::Char(c) if event.modifiers.contains(KeyModifiers::CONTROL) => {
            out.push(c.to_ascii_uppercase())
        }
        KeyCode::Char(' ') => out.push_str("Space"),
        KeyCode::Char(c) => out.push(c),
        KeyCode::BackTab => out.push_str("Shift-Tab"),
        KeyCode::Enter => out.push_str("Enter"),
        KeyCode::Esc => out.push_str("Esc"),
        KeyCode::Tab => out.push_str("Tab"),
        KeyCode::F(n) => out.push_str(&format!("F{n}")),
        other => out.push_str(&format!("{other:?}")),
    }
    out
}

/// A footer line of key hints: `[("Tab", "next step"), ...]`, most
/// important first. Hints that do not fit in `width` are dropped from the
/// end, but the last one (F1 help) always stays.
fn hints<'a>(pairs: &[(&'a str, &'a str)], width: u16, theme: &Theme) -> Line<'a> {
    let mut pairs = pairs.to_vec();
    let len = |pairs: &[(&str, &str)]| -> usize {
        pairs
            .iter()
            .map(|(k, w)| k.chars().count() + w.chars().count() + 1)
            .sum::<usize>()
            + 3 * pairs.len().saturating_sub(1)
    };
    while pairs.len() > 1 && len(&pairs) > usize::from(width) {
        pairs.remove(pairs.len() - 2);
    }
    let mut spans = Vec::with_capacity(pairs.len() * 3);
    for (i, (key, what)) in pairs.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", theme.dim()));
        }
        spans.push(Span::styled(*key, theme.key()));
        // A key with no words ("type") stands alone.
        if !what.is_empty() {
            spans.push(Span::styled(format!(" {what}"), theme.dim()));
        }
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyEvent;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Cmd {
        Next,
        Finish,
        Help,
    }

    const TABLE: &[Binding<Cmd>] = &[
        row(&[Key::plain(KeyCode::Tab)], "Tab", "next step", Cmd::Next),
        row(&[Key::ctrl('s')], "Ctrl-S", "finish", Cmd::Finish),
        row(&[Key::plain(KeyCode::F(1))], "F1", "help", Cmd::Help),
    ];

    fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn lookup_follows_the_table_and_the_state() {
        let all = |_| Hint::Quiet;
        assert_eq!(
            lookup(TABLE, &key(KeyCode::Char('S'), KeyModifiers::CONTROL), all),
            Some(Cmd::Finish)
        );
        assert_eq!(
            lookup(TABLE, &key(KeyCode::Char('s'), KeyModifiers::NONE), all),
            None
        );
        let no_finish = |c| {
            if c == Cmd::Finish {
                Hint::Off
            } else {
                Hint::Quiet
            }
        };
        assert_eq!(
            lookup(
                TABLE,
                &key(KeyCode::Char('s'), KeyModifiers::CONTROL),
                no_finish
            ),
            None
        );
    }

    #[test]
    fn footer_shows_only_what_is_offered_and_keeps_the_last() {
        let theme = Theme::monochrome();
        let state = |c| match c {
            Cmd::Next => Hint::shown("next"),
            Cmd::Finish => Hint::Quiet,
            Cmd::Help => Hint::shown("help"),
        };
        let text = |width| -> String {
            footer(TABLE, width, &theme, state)
                .spans
                .iter()
                .map(|s| s.content.as_ref())
                .collect()
        };
        assert_eq!(text(80), "Tab next · F1 help");
        assert_eq!(text(8), "F1 help");
    }

    #[test]
    fn names_use_one_notation() {
        assert_eq!(
            name(&key(KeyCode::Char('s'), KeyModifiers::CONTROL)),
            "Ctrl-S"
        );
        assert_eq!(
            name(&key(KeyCode::BackTab, KeyModifiers::SHIFT)),
            "Shift-Tab"
        );
        assert_eq!(name(&key(KeyCode::F(1), KeyModifiers::NONE)), "F1");
    }
}
