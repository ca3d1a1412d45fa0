//! The walk-through's keys: the walk itself, its summary, the quit question
//! and a failed save. Each table drives what a key does (in
//! [`super::model`]), the footer and the F1 help; the guide's Keys section
//! is checked against [`WALK`] by a test.

use ratatui::crossterm::event::KeyCode;

use crate::tui::keys::{Binding, Key};

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
    Binding {
        keys: &[Key::ctrl('f')],
        label: "Ctrl-F",
        help: "start screen: open the follow-up waiting",
        command: WalkCmd::FollowUp,
    },
    Binding {
        keys: &[Key::ctrl('r')],
        label: "Ctrl-R",
        help: "start screen: resume the unfinished walk",
        command: WalkCmd::Resume,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Enter), Key::ctrl('d')],
        label: "Enter",
        help: "start screen: only this month's step (or Ctrl-D)",
        command: WalkCmd::DrillFocus,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Tab)],
        label: "Tab",
        help: "start screen: walk all the steps",
        command: WalkCmd::WalkAll,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Enter), Key::ch(' ')],
        label: "Enter",
        help: "begin the pause offered (or Space)",
        command: WalkCmd::BeginPause,
    },
    Binding {
        keys: &[Key::ch(' ')],
        label: "Space",
        help: "hold or resume the pause",
        command: WalkCmd::Hold,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Enter)],
        label: "Enter",
        help: "end the pause now",
        command: WalkCmd::EndPause,
    },
    Binding {
        keys: &[Key::ch('+'), Key::ch('=')],
        label: "+",
        help: "add 30 seconds to the pause",
        command: WalkCmd::Extend,
    },
    Binding {
        keys: &[Key::ch('b'), Key::ch('B')],
        label: "b",
        help: "breathing pacer on/off (during a pause)",
        command: WalkCmd::Pacer,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Tab)],
        label: "Tab",
        help: "next step; skips a pause offered",
        command: WalkCmd::Next,
    },
    Binding {
        keys: &[Key::ctrl('s')],
        label: "Ctrl-S",
        help: "finish: the summary, then Enter saves",
        command: WalkCmd::Finish,
    },
    Binding {
        keys: &[Key::plain(KeyCode::BackTab)],
        label: "Shift-Tab",
        help: "previous step",
        command: WalkCmd::Prev,
    },
    Binding {
        keys: &[Key::ctrl('t')],
        label: "Ctrl-T",
        help: "take this step's pause again",
        command: WalkCmd::PauseAgain,
    },
    Binding {
        keys: &ALT_DIGITS,
        label: "Alt-1…9",
        help: "go to that step",
        command: WalkCmd::Jump,
    },
    Binding {
        keys: &DIGITS,
        label: "1…9",
        help: "go to that step (during a pause)",
        command: WalkCmd::Jump,
    },
    Binding {
        keys: &[Key::plain(KeyCode::PageUp)],
        label: "PgUp",
        help: "scroll the guidance up",
        command: WalkCmd::ScrollUp,
    },
    Binding {
        keys: &[Key::plain(KeyCode::PageDown)],
        label: "PgDn",
        help: "scroll the guidance down",
        command: WalkCmd::ScrollDown,
    },
    Binding {
        keys: &[Key::plain(KeyCode::F(2))],
        label: "F2",
        help: "about: source, readings",
        command: WalkCmd::About,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Esc), Key::ctrl('q'), Key::ctrl('c')],
        label: "Esc",
        help: "quit (or Ctrl-Q); asks about notes",
        command: WalkCmd::Quit,
    },
    Binding {
        keys: &[Key::plain(KeyCode::F(1))],
        label: "F1",
        help: "this help",
        command: WalkCmd::Help,
    },
    Binding {
        keys: &[],
        label: "typing",
        help: "writes this step's notes",
        command: WalkCmd::Edit,
    },
    Binding {
        keys: &[Key::ctrl('u')],
        label: "Ctrl-U",
        help: "undo (Ctrl-R redoes)",
        command: WalkCmd::Edit,
    },
    Binding {
        keys: &[Key::ctrl('k')],
        label: "Ctrl-K",
        help: "delete to the end of the line",
        command: WalkCmd::Edit,
    },
    Binding {
        keys: &[Key::ctrl('j')],
        label: "Ctrl-J",
        help: "delete to the start of the line",
        command: WalkCmd::Edit,
    },
    Binding {
        keys: &[Key::ctrl('w')],
        label: "Ctrl-W",
        help: "delete the word before",
        command: WalkCmd::Edit,
    },
    Binding {
        keys: &[Key::ctrl('y')],
        label: "Ctrl-Y",
        help: "paste what was deleted",
        command: WalkCmd::Edit,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Home), Key::plain(KeyCode::End)],
        label: "Home End",
        help: "start or end of the line",
        command: WalkCmd::Edit,
    },
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
    Binding {
        keys: &[Key::plain(KeyCode::Enter)],
        label: "Enter",
        help: "save and quit",
        command: SummaryCmd::Save,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Up)],
        label: "↑",
        help: "scroll up",
        command: SummaryCmd::Up,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Down)],
        label: "↓",
        help: "scroll down",
        command: SummaryCmd::Down,
    },
    Binding {
        keys: &[Key::plain(KeyCode::PageUp)],
        label: "PgUp",
        help: "a page up",
        command: SummaryCmd::PageUp,
    },
    Binding {
        keys: &[Key::plain(KeyCode::PageDown), Key::ch(' ')],
        label: "PgDn",
        help: "a page down (or Space)",
        command: SummaryCmd::PageDown,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Home)],
        label: "Home",
        help: "the top",
        command: SummaryCmd::Top,
    },
    Binding {
        keys: &[Key::plain(KeyCode::End)],
        label: "End",
        help: "the end",
        command: SummaryCmd::Bottom,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Esc)],
        label: "Esc",
        help: "back to the steps",
        command: SummaryCmd::Back,
    },
    Binding {
        keys: &[Key::ctrl('q'), Key::ctrl('c')],
        label: "Ctrl-Q",
        help: "quit; asks about notes",
        command: SummaryCmd::Quit,
    },
    Binding {
        keys: &[Key::plain(KeyCode::F(1))],
        label: "F1",
        help: "this help",
        command: SummaryCmd::Help,
    },
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
    Binding {
        keys: &[Key::ch('s'), Key::ch('S')],
        label: "s",
        help: "save as unfinished",
        command: QuitCmd::Save,
    },
    Binding {
        keys: &[Key::ch('d'), Key::ch('D')],
        label: "d",
        help: "discard these notes",
        command: QuitCmd::Discard,
    },
    Binding {
        keys: &[
            Key::ch('k'),
            Key::ch('K'),
            Key::plain(KeyCode::Esc),
            Key::plain(KeyCode::Enter),
        ],
        label: "k",
        help: "keep going (also Esc)",
        command: QuitCmd::Keep,
    },
    Binding {
        keys: &[Key::plain(KeyCode::F(1))],
        label: "F1",
        help: "this help",
        command: QuitCmd::Help,
    },
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
    Binding {
        keys: &[Key::plain(KeyCode::Enter), Key::ch('r')],
        label: "Enter",
        help: "try the save again",
        command: FailedCmd::Retry,
    },
    Binding {
        keys: &[Key::ch('n')],
        label: "n",
        help: "keep the notes as a new session (when the saved one changed elsewhere)",
        command: FailedCmd::Copy,
    },
    Binding {
        keys: &[Key::ch('q'), Key::plain(KeyCode::Esc)],
        label: "q",
        help: "quit and print the notes",
        command: FailedCmd::Quit,
    },
    Binding {
        keys: &[Key::plain(KeyCode::F(1))],
        label: "F1",
        help: "this help",
        command: FailedCmd::Help,
    },
];

/// The digit of a number key (1 to 9), if it is one.
pub fn digit(event: &ratatui::crossterm::event::KeyEvent) -> Option<usize> {
    match event.code {
        KeyCode::Char(c @ '1'..='9') => Some(c as usize - '1' as usize),
        _ => None,
    }
}
