//! The walk-through's keys: the walk itself, its summary, the quit question
//! and a failed save. Each table drives what a key does (in
//! [`super::model`]), the footer and the F1 help; the guide's Keys section
//! is checked against [`WALK`] by a test.

use ratatui::crossterm::event::KeyCode;

use crate::tui::keys::{Binding, Key, row};

/// What a key does on the walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WalkCmd {
    /// Ctrl-F on the start screen: the follow-up waiting.
    FollowUp,
    /// Ctrl-R on the start screen: the unfinished walk.
    Resume,
    /// Enter (or Ctrl-D) on the start screen of a protocol with a focus:
    /// practise that step alone (a one-step walk).
    DrillFocus,
    /// Tab on the start screen of a protocol with a focus: close the offer
    /// and walk every step, from the first with its pause offered.
    WalkAll,
    BeginPause,
    Hold,
    EndPause,
    Extend,
    /// `b` during a pause that offers a pacer: the pacer on or off.
    Pacer,
    Next,
    Finish,
    Prev,
    PauseAgain,
    /// Alt-1 to Alt-9 (or the digit alone during a pause): go to that step.
    Jump,
    ScrollUp,
    ScrollDown,
    About,
    Quit,
    Help,
    /// The notes editor's own keys: listed in the help, handled by the editor.
    Edit,
}

impl WalkCmd {
    /// The start screen's own keys: once their moment has passed they are
    /// left out of F1 too, not only the footer.
    pub fn is_start_screen(self) -> bool {
        matches!(
            self,
            WalkCmd::FollowUp | WalkCmd::Resume | WalkCmd::DrillFocus | WalkCmd::WalkAll
        )
    }
}

const fn alt_digits() -> [Key; 9] {
    [
        Key::alt('1'),
        Key::alt('2'),
        Key::alt('3'),
        Key::alt('4'),
        Key::alt('5'),
        Key::alt('6'),
        Key::alt('7'),
        Key::alt('8'),
        Key::alt('9'),
    ]
}

const fn digits() -> [Key; 9] {
    [
        Key::ch('1'),
        Key::ch('2'),
        Key::ch('3'),
        Key::ch('4'),
        Key::ch('5'),
        Key::ch('6'),
        Key::ch('7'),
        Key::ch('8'),
        Key::ch('9'),
    ]
}

const ALT_DIGITS: [Key; 9] = alt_digits();
const DIGITS: [Key; 9] = digits();

/// The walk's keys, most important first (the footer drops from the end and
/// keeps F1, which is last among the commands).
pub const WALK: &[Binding<WalkCmd>] = &[
    row(
        &[Key::ctrl('f')],
        "Ctrl-F",
        "start screen: open the follow-up waiting",
        WalkCmd::FollowUp,
    ),
    row(
        &[Key::ctrl('r')],
        "Ctrl-R",
        "start screen: resume the unfinished walk",
        WalkCmd::Resume,
    ),
    row(
        &[Key::plain(KeyCode::Enter), Key::ctrl('d')],
        "Enter",
        "start screen: only this month's step (or Ctrl-D)",
        WalkCmd::DrillFocus,
    ),
    row(
        &[Key::plain(KeyCode::Tab)],
        "Tab",
        "start screen: walk all the steps",
        WalkCmd::WalkAll,
    ),
    row(
        &[Key::plain(KeyCode::Enter), Key::ch(' ')],
        "Enter",
        "begin the pause offered (or Space)",
        WalkCmd::BeginPause,
    ),
    row(
        &[Key::ch(' ')],
        "Space",
        "hold or resume the pause",
        WalkCmd::Hold,
    ),
    row(
        &[Key::plain(KeyCode::Enter)],
        "Enter",
        "end the pause now",
        WalkCmd::EndPause,
    ),
    row(
        &[Key::ch('+'), Key::ch('=')],
        "+",
        "add 30 seconds to the pause",
        WalkCmd::Extend,
    ),
    row(
        &[Key::ch('b'), Key::ch('B')],
        "b",
        "breathing pacer on/off (during a pause)",
        WalkCmd::Pacer,
    ),
    row(
        &[Key::plain(KeyCode::Tab)],
        "Tab",
        "next step; skips a pause offered",
        WalkCmd::Next,
    ),
    row(
        &[Key::ctrl('s')],
        "Ctrl-S",
        "finish: the summary, then Enter saves",
        WalkCmd::Finish,
    ),
    row(
        &[Key::plain(KeyCode::BackTab)],
        "Shift-Tab",
        "previous step",
        WalkCmd::Prev,
    ),
    row(
        &[Key::ctrl('t')],
        "Ctrl-T",
        "take this step's pause again",
        WalkCmd::PauseAgain,
    ),
    row(&ALT_DIGITS, "Alt-1…9", "go to that step", WalkCmd::Jump),
    row(
        &DIGITS,
        "1…9",
        "go to that step (during a pause)",
        WalkCmd::Jump,
    ),
    row(
        &[Key::plain(KeyCode::PageUp)],
        "PgUp",
        "scroll the guidance up",
        WalkCmd::ScrollUp,
    ),
    row(
        &[Key::plain(KeyCode::PageDown)],
        "PgDn",
        "scroll the guidance down",
        WalkCmd::ScrollDown,
    ),
    row(
        &[Key::plain(KeyCode::F(2))],
        "F2",
        "about: source, readings",
        WalkCmd::About,
    ),
    row(
        &[Key::plain(KeyCode::Esc), Key::ctrl('q'), Key::ctrl('c')],
        "Esc",
        "quit (or Ctrl-Q); asks about notes",
        WalkCmd::Quit,
    ),
    row(
        &[Key::plain(KeyCode::F(1))],
        "F1",
        "this help",
        WalkCmd::Help,
    ),
    row(&[], "typing", "writes this step's notes", WalkCmd::Edit),
    row(
        &[Key::ctrl('u')],
        "Ctrl-U",
        "undo (Ctrl-R redoes)",
        WalkCmd::Edit,
    ),
    row(
        &[Key::ctrl('k')],
        "Ctrl-K",
        "delete to the end of the line",
        WalkCmd::Edit,
    ),
    row(
        &[Key::ctrl('j')],
        "Ctrl-J",
        "delete to the start of the line",
        WalkCmd::Edit,
    ),
    row(
        &[Key::ctrl('w')],
        "Ctrl-W",
        "delete the word before",
        WalkCmd::Edit,
    ),
    row(
        &[Key::ctrl('y')],
        "Ctrl-Y",
        "paste what was deleted",
        WalkCmd::Edit,
    ),
    row(
        &[Key::plain(KeyCode::Home), Key::plain(KeyCode::End)],
        "Home End",
        "start or end of the line",
        WalkCmd::Edit,
    ),
];

/// What a key does on the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryCmd {
    Save,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Back,
    Quit,
    Help,
}

pub const SUMMARY: &[Binding<SummaryCmd>] = &[
    row(
        &[Key::plain(KeyCode::Enter)],
        "Enter",
        "save and quit",
        SummaryCmd::Save,
    ),
    row(&[Key::plain(KeyCode::Up)], "↑", "scroll up", SummaryCmd::Up),
    row(
        &[Key::plain(KeyCode::Down)],
        "↓",
        "scroll down",
        SummaryCmd::Down,
    ),
    row(
        &[Key::plain(KeyCode::PageUp)],
        "PgUp",
        "a page up",
        SummaryCmd::PageUp,
    ),
    row(
        &[Key::plain(KeyCode::PageDown), Key::ch(' ')],
        "PgDn",
        "a page down (or Space)",
        SummaryCmd::PageDown,
    ),
    row(
        &[Key::plain(KeyCode::Home)],
        "Home",
        "the top",
        SummaryCmd::Top,
    ),
    row(
        &[Key::plain(KeyCode::End)],
        "End",
        "the end",
        SummaryCmd::Bottom,
    ),
    row(
        &[Key::plain(KeyCode::Esc)],
        "Esc",
        "back to the steps",
        SummaryCmd::Back,
    ),
    row(
        &[Key::ctrl('q'), Key::ctrl('c')],
        "Ctrl-Q",
        "quit; asks about notes",
        SummaryCmd::Quit,
    ),
    row(
        &[Key::plain(KeyCode::F(1))],
        "F1",
        "this help",
        SummaryCmd::Help,
    ),
];

/// What a key does in the quit question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuitCmd {
    Save,
    Discard,
    Keep,
    Help,
}

pub const QUIT: &[Binding<QuitCmd>] = &[
    row(
        &[Key::ch('s'), Key::ch('S')],
        "s",
        "save as unfinished",
        QuitCmd::Save,
    ),
    row(
        &[Key::ch('d'), Key::ch('D')],
        "d",
        "discard these notes",
        QuitCmd::Discard,
    ),
    row(
        &[
            Key::ch('k'),
            Key::ch('K'),
            Key::plain(KeyCode::Esc),
            Key::plain(KeyCode::Enter),
        ],
        "k",
        "keep going (also Esc)",
        QuitCmd::Keep,
    ),
    row(
        &[Key::plain(KeyCode::F(1))],
        "F1",
        "this help",
        QuitCmd::Help,
    ),
];

/// What a key does when the save on the way out failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailedCmd {
    Retry,
    /// The session on disk was changed or deleted elsewhere: keep these
    /// notes as a new session (a conflict copy naming the original).
    Copy,
    Quit,
    Help,
}

pub const FAILED: &[Binding<FailedCmd>] = &[
    row(
        &[Key::plain(KeyCode::Enter), Key::ch('r')],
        "Enter",
        "try the save again",
        FailedCmd::Retry,
    ),
    row(
        &[Key::ch('n')],
        "n",
        "keep the notes as a new session (when the saved one changed elsewhere)",
        FailedCmd::Copy,
    ),
    row(
        &[Key::ch('q'), Key::plain(KeyCode::Esc)],
        "q",
        "quit and print the notes",
        FailedCmd::Quit,
    ),
    row(
        &[Key::plain(KeyCode::F(1))],
        "F1",
        "this help",
        FailedCmd::Help,
    ),
];

/// The digit of a number key (1 to 9), if it is one.
pub fn digit(event: &ratatui::crossterm::event::KeyEvent) -> Option<usize> {
    match event.code {
        KeyCode::Char(c @ '1'..='9') => Some(c as usize - '1' as usize),
        _ => None,
    }
}
