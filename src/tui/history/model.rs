//! The history browser's model and `update`: keys in, effects out. No
//! terminal, and no disk but through a [`Shelf`] (the store's reader, or
//! sessions in memory in tests), so every path is tested without either.
//!
//! Lean at scale: the browser holds one [`Row`] per session (what a list
//! line needs, no notes) and reads a session in full only when it is shown
//! (the preview, the reading page, an export, the stats). The filter
//! (`/`, every word in any case) first looks at the row's own words (id,
//! mode, protocol, title, date) and reads a session's every text (notes,
//! cards, responses, feedback) only when those do not already match; a filter typed longer searches only the
//! sessions that matched before, and the only thing kept between keystrokes
//! is which sessions matched (a few recent filters, as row numbers).
//!
//! Keys are data: each screen has one table (`table`) that decides what a
//! key does, what the footer offers and what F1 lists.

use std::cell::{OnceCell, RefCell};
use std::rc::Rc;

use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::page;
use crate::journal::cards;
use crate::journal::review::Stats;
use crate::journal::{Deleted, Row, Session, SessionMode, session_markdown};
use crate::practice::progress::Progress;
use crate::tui::keys::{Binding, Hint, Key, lookup, row};
use crate::tui::theme::Theme;

/// Which screen of the browser is showing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BrowserScreen {
    /// The list with a preview of the selected session.
    List,
    /// Enter: the whole selected session as a page, scrollable.
    Full,
    /// `s`: the stats.
    Stats,
    /// `d`: asking before a delete; names what will go.
    ConfirmDelete(String),
    /// `e` / `E`: the file name to export to, being edited. Holds the ids.
    ExportTo(Vec<String>),
}

/// Something for the runtime to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BrowserEffect {
    /// Delete this session (the answer comes back as [`History::deleted`]
    /// or, with the files kept to undo it, [`History::deleted_keeping`]).
    Delete(String),
    /// Put back the session deleted last in this browser, whose files
    /// [`History::to_undelete`] holds (the answer comes back as
    /// [`History::undeleted`]).
    Undelete,
    /// Write this Markdown to this file, refusing to replace one (the answer
    /// comes back as [`History::exported`]).
    Export {
        path: String,
        markdown: String,
        count: usize,
    },
    Quit(Output),
}

/// How the browser ended by a key (a signal or a failed terminal ends it
/// too, as every mode: see [`crate::tui::terminal::Ended`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    Closed,
    /// `f` on a session waiting for its follow-up: run it, then come back.
    FollowUp(String),
    /// `r` on an unfinished session: resume it, then come back.
    Resume(String),
}

/// What a key can do in the browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmd {
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Read,
    Filter,
    KeepFilter,
    ClearFilter,
    Erase,
    Stats,
    Export,
    ExportAll,
    Delete,
    Undo,
    Yes,
    No,
    Confirm,
    FollowUp,
    Resume,
    Back,
    Close,
    Help,
}

const UP: &[Key] = &[Key::plain(KeyCode::Up), Key::ch('k')];
const DOWN: &[Key] = &[Key::plain(KeyCode::Down), Key::ch('j')];
const PGUP: &[Key] = &[Key::plain(KeyCode::PageUp)];
const PGDN: &[Key] = &[Key::plain(KeyCode::PageDown), Key::ch(' ')];
const TOP: &[Key] = &[Key::plain(KeyCode::Home), Key::ch('g')];
const BOTTOM: &[Key] = &[Key::plain(KeyCode::End), Key::ch('G')];
const HELP: &[Key] = &[Key::plain(KeyCode::F(1))];
const QUIT: &[Key] = &[Key::ctrl('c'), Key::ctrl('q')];

/// The list of sessions.
pub const LIST: &[Binding<Cmd>] = &[
    row(
        &[Key::plain(KeyCode::Enter)],
        "Enter",
        "read the session",
        Cmd::Read,
    ),
    // Right after a delete, its undo comes first.
    row(&[Key::ch('u')], "u", "undo the last delete", Cmd::Undo),
    row(UP, "↑ ↓", "choose a session (also k j)", Cmd::Up),
    row(DOWN, "↓", "", Cmd::Down),
    row(&[Key::ch('/')], "/", "filter as you type", Cmd::Filter),
    row(&[Key::ch('f')], "f", "do its follow-up now", Cmd::FollowUp),
    row(&[Key::ch('r')], "r", "resume it (unfinished)", Cmd::Resume),
    row(&[Key::ch('s')], "s", "stats", Cmd::Stats),
    row(&[Key::ch('e')], "e", "export it as Markdown", Cmd::Export),
    row(&[Key::ch('E')], "E", "export all shown", Cmd::ExportAll),
    row(
        &[Key::ch('d'), Key::plain(KeyCode::Delete)],
        "d",
        "delete it (asks first)",
        Cmd::Delete,
    ),
    row(PGUP, "PgUp PgDn", "move by ten", Cmd::PageUp),
    row(&[Key::plain(KeyCode::PageDown)], "PgDn", "", Cmd::PageDown),
    row(TOP, "Home End", "first / last (also g G)", Cmd::Top),
    row(BOTTOM, "End", "", Cmd::Bottom),
    row(
        &[Key::plain(KeyCode::Esc)],
        "Esc",
        "clear the filter",
        Cmd::ClearFilter,
    ),
    row(
        &[
            Key::ch('q'),
            Key::plain(KeyCode::Esc),
            Key::ctrl('c'),
            Key::ctrl('q'),
        ],
        "q",
        "close (also Esc, Ctrl-C)",
        Cmd::Close,
    ),
    row(HELP, "F1", "help", Cmd::Help),
];

/// Typing a filter.
pub const FILTER: &[Binding<Cmd>] = &[
    row(
        &[
            Key::plain(KeyCode::Enter),
            Key::plain(KeyCode::Down),
            Key::plain(KeyCode::Tab),
        ],
        "Enter",
        "keep it, back to the list",
        Cmd::KeepFilter,
    ),
    row(
        &[Key::plain(KeyCode::Esc)],
        "Esc",
        "clear the filter",
        Cmd::ClearFilter,
    ),
    row(
        &[Key::plain(KeyCode::Backspace)],
        "Backspace",
        "erase a letter",
        Cmd::Erase,
    ),
    row(QUIT, "Ctrl-C", "close", Cmd::Close),
    row(HELP, "F1", "help", Cmd::Help),
];

/// Reading one session.
pub const READING: &[Binding<Cmd>] = &[
    row(
        &[
            Key::plain(KeyCode::Esc),
            Key::ch('q'),
            Key::plain(KeyCode::Enter),
            Key::plain(KeyCode::Backspace),
        ],
        "Esc",
        "back to the list (also q)",
        Cmd::Back,
    ),
    row(UP, "↑ ↓", "scroll (also k j)", Cmd::Up),
    row(DOWN, "↓", "", Cmd::Down),
    row(PGUP, "PgUp PgDn", "a page (also Space)", Cmd::PageUp),
    row(PGDN, "PgDn", "", Cmd::PageDown),
    row(TOP, "Home End", "top / end (also g G)", Cmd::Top),
    row(BOTTOM, "End", "", Cmd::Bottom),
    row(&[Key::ch('f')], "f", "do its follow-up now", Cmd::FollowUp),
    row(&[Key::ch('r')], "r", "resume it (unfinished)", Cmd::Resume),
    row(QUIT, "Ctrl-C", "close", Cmd::Close),
    row(HELP, "F1", "help", Cmd::Help),
];

/// The stats.
pub const STATS: &[Binding<Cmd>] = &[
    row(
        &[
            Key::plain(KeyCode::Esc),
            Key::ch('q'),
            Key::plain(KeyCode::Enter),
            Key::plain(KeyCode::Backspace),
            Key::ch('s'),
        ],
        "Esc",
        "back to the list (also q)",
        Cmd::Back,
    ),
    row(UP, "↑ ↓", "scroll (also k j)", Cmd::Up),
    row(DOWN, "↓", "", Cmd::Down),
    row(PGUP, "PgUp PgDn", "a page (also Space)", Cmd::PageUp),
    row(PGDN, "PgDn", "", Cmd::PageDown),
    row(TOP, "Home End", "top / end", Cmd::Top),
    row(BOTTOM, "End", "", Cmd::Bottom),
    row(QUIT, "Ctrl-C", "close", Cmd::Close),
    row(HELP, "F1", "help", Cmd::Help),
];

/// Asking before a delete.
pub const CONFIRM: &[Binding<Cmd>] = &[
    row(&[Key::ch('y'), Key::ch('Y')], "y", "delete it", Cmd::Yes),
    row(
        &[Key::ch('n'), Key::ch('N'), Key::plain(KeyCode::Esc)],
        "n",
        "keep it (also Esc)",
        Cmd::No,
    ),
    row(QUIT, "Ctrl-C", "close", Cmd::Close),
    row(HELP, "F1", "help", Cmd::Help),
];

/// Typing the export file's name.
pub const EXPORT: &[Binding<Cmd>] = &[
    row(
        &[Key::plain(KeyCode::Enter)],
        "Enter",
        "export",
        Cmd::Confirm,
    ),
    row(&[Key::plain(KeyCode::Esc)], "Esc", "cancel", Cmd::No),
    row(
        &[Key::plain(KeyCode::Backspace)],
        "Backspace",
        "erase a letter",
        Cmd::Erase,
    ),
    row(QUIT, "Ctrl-C", "close", Cmd::Close),
    row(HELP, "F1", "help", Cmd::Help),
];

/// The keys of the help page itself.
pub const HELP_PAGE: &[Binding<Cmd>] = &[
    row(UP, "↑ ↓", "scroll", Cmd::Up),
    row(DOWN, "↓", "", Cmd::Down),
    row(
        &[
            Key::plain(KeyCode::Esc),
            Key::plain(KeyCode::F(1)),
            Key::ch('q'),
        ],
        "Esc",
        "close the help (also F1)",
        Cmd::Back,
    ),
    row(QUIT, "Ctrl-C", "close the browser", Cmd::Close),
];

/// Why the browser could not read, delete, put back or export what was
/// asked: shown in a few words on its status line or in its dialog.
#[derive(Debug, thiserror::Error)]
pub enum BrowserError {
    /// A session held in memory is not there any more.
    #[error("it is no longer kept")]
    NoLongerKept,
    /// An export never writes over a file.
    #[error("{} already exists", crate::sanitize::one_line(&.0.display().to_string()))]
    AlreadyExists(std::path::PathBuf),
    /// The store's own sentence, which names the path and what to do.
    #[error(transparent)]
    Store(#[from] crate::journal::StoreError),
}

/// Where the browser reads a whole session when it shows one: the store's
/// [`crate::journal::Reader`] on disk, or sessions held in memory.
pub trait Shelf: Sync {
    /// The session in full, or in a few words why it cannot be read now
    /// (deleted or damaged since it was listed, say).
    fn session(&self, id: &str) -> Result<Session, BrowserError>;
}

/// Sessions held in memory (what [`History::new`] is given).
pub struct Held(pub Vec<Session>);

impl Shelf for Held {
    fn session(&self, id: &str) -> Result<Session, BrowserError> {
        self.0
            .iter()
            .find(|s| s.id == id)
            .cloned()
            .ok_or(BrowserError::NoLongerKept)
    }
}

impl Shelf for crate::journal::Reader {
    fn session(&self, id: &str) -> Result<Session, BrowserError> {
        Ok(self.load(id)?)
    }
}

/// From how many candidates a search of the notes is read on two threads.
const SEARCH_SPLIT_AT: usize = 2_000;

/// How many candidates a search's thread reads before it takes more.
const SEARCH_RUN: usize = 64;

/// How many recent filters keep their matches.
const FILTERS_KEPT: usize = 32;

/// A session as read when shown, or why it could not be.
pub type Read = Rc<Result<Session, BrowserError>>;

/// The stats and the practice figures, worked out when first shown.
type Figures = (Stats, Progress);

/// The browser's whole state.
pub struct History {
    /// Newest first.
    sessions: Vec<Row>,
    /// Where a whole session is read when it is shown.
    shelf: Box<dyn Shelf>,
    /// The session shown (selected) as last read, by id.
    shown: RefCell<Option<(String, Read)>>,
    /// Each row's own lowercase words (id, mode, protocol, title, date),
    /// made at the first filter.
    row_words: OnceCell<Vec<String>>,
    /// Recent filters (as lowercase words) and the rows that matched them.
    matches: Vec<(Vec<String>, Vec<u32>)>,
    /// Files that could not be read, with the reason.
    pub unreadable: Vec<(String, String)>,
    /// The filter as typed.
    pub filter: String,
    /// Keys go to the filter (after `/`).
    pub filtering: bool,
    /// Indices into `sessions` that pass the filter, newest first.
    visible: Vec<usize>,
    /// Position in `visible`.
    selected: usize,
    pub screen: BrowserScreen,
    pub help: bool,
    /// Lines scrolled in the help page.
    pub help_scroll: u16,
    /// Lines scrolled in the reading view or the stats.
    pub scroll: u16,
    /// One line of news at the bottom (export written, delete done).
    pub status: Option<String>,
    /// The export file name being edited.
    pub export_name: String,
    /// Why the last export failed, shown in the export dialog.
    pub export_error: Option<String>,
    /// The window, for how far the pages scroll.
    width: u16,
    height: u16,
    /// The stats and the practice figures (drill and rehearse) under them,
    /// read when first wanted.
    figures: OnceCell<Figures>,
    today: NaiveDate,
    /// Whether a file name is taken, so an export is offered a free name
    /// first (nothing is taken until [`History::with_name_check`]).
    name_taken: Box<dyn Fn(&std::path::Path) -> bool>,
    /// Whether a session is open in another window now (the runtime asks
    /// the store's per-session locks), so `r` and `f` are not offered for
    /// it: two windows on one session would each keep only their own notes.
    open_elsewhere: Box<dyn Fn(&str) -> bool>,
    /// Sessions deleted here, the last one last: `u` puts it back.
    undeletable: Vec<Undeletable>,
}

/// The lowercase words of a row alone: its id, mode, protocol, title and
/// date. A search tests these first, and reads the session only when they
/// do not hold every word.
fn row_words(row: &Row) -> String {
    let mut text = String::with_capacity(128);
    for part in [
        &row.id,
        row.mode().as_str(),
        row.protocol(),
        row.protocol_title(),
    ] {
        text.push_str(part);
        text.push('\n');
    }
    text.push_str(&row.when());
    lowercase(text)
}

/// The lowercase text a session is found by beyond its row's words
/// ([`row_words`]): every text it holds ([`cards::each_text`]: notes, a
/// drill's typed responses and self-reports, a rehearsal's feedback, card
/// ids and client lines, ...). Each part ends in a line break, and a
/// filter's words hold none, so no word is found across two parts, nor
/// across these and the row's words.
fn haystack(session: &Session) -> String {
    let mut text = String::with_capacity(256);
    cards::each_text(session, |part| {
        text.push_str(part);
        text.push('\n');
    });
    lowercase(text)
}

/// `text` in lower case, in place when it is all ASCII (most notes are),
/// so a search does not copy every session's text a second time.
fn lowercase(mut text: String) -> String {
    if text.is_ascii() {
        text.make_ascii_lowercase();
        text
    } else {
        text.to_lowercase()
    }
}

/// The table's rows that have a line of their own in the F1 help (a row with
/// no help text is described by the row before it: "↑ ↓").
pub fn help_rows(table: &[Binding<Cmd>]) -> Vec<Binding<Cmd>> {
    table
        .iter()
        .filter(|b| !b.help.is_empty())
        .copied()
        .collect()
}

/// A session deleted in this browser, with its files held in memory so
/// the delete can be undone until the browser closes (see
/// [`crate::journal::Deleted`] for why in memory and not on disk).
struct Undeletable {
    /// Where its row stood, newest first.
    at: usize,
    row: Row,
    files: Deleted,
}

impl History {
    /// `sessions` oldest first (as the store lists them), held in memory;
    /// `today` for stats and the default export name.
    pub fn new(
        sessions: Vec<Session>,
        unreadable: Vec<(String, String)>,
        today: NaiveDate,
    ) -> Self {
        let rows = sessions.iter().rev().map(Row::of).collect();
        History::open(rows, unreadable, today, Box::new(Held(sessions)))
    }

    /// `rows` newest first (as [`crate::journal::Store::rows`] gives them),
    /// each session read from `shelf` when it is shown.
    pub fn open(
        rows: Vec<Row>,
        unreadable: Vec<(String, String)>,
        today: NaiveDate,
        shelf: Box<dyn Shelf>,
    ) -> Self {
        let visible = (0..rows.len()).collect();
        History {
            sessions: rows,
            shelf,
            shown: RefCell::new(None),
            row_words: OnceCell::new(),
            matches: Vec::new(),
            unreadable,
            filter: String::new(),
            filtering: false,
            visible,
            selected: 0,
            screen: BrowserScreen::List,
            help: false,
            help_scroll: 0,
            scroll: 0,
            status: None,
            export_name: String::new(),
            export_error: None,
            width: 80,
            height: 24,
            figures: OnceCell::new(),
            today,
            name_taken: Box::new(|_| false),
            open_elsewhere: Box::new(|_| false),
            undeletable: Vec::new(),
        }
    }

    /// How to tell that an export's file name is taken (the runtime looks
    /// on disk), so the name offered first is one that is free.
    pub fn with_name_check(mut self, taken: impl Fn(&std::path::Path) -> bool + 'static) -> Self {
        self.name_taken = Box::new(taken);
        self
    }

    /// How to tell that a session is open in another window (the runtime
    /// asks the store), so the browser names it instead of offering it.
    pub fn with_open_check(mut self, open: impl Fn(&str) -> bool + 'static) -> Self {
        self.open_elsewhere = Box::new(open);
        self
    }

    /// Whether session `id` is open in another window now.
    pub fn is_open_elsewhere(&self, id: &str) -> bool {
        (self.open_elsewhere)(id)
    }

    /// [`History::reload_rows`] from sessions held in memory (oldest first).
    pub fn reload(&mut self, sessions: Vec<Session>, unreadable: Vec<(String, String)>) {
        let rows = sessions.iter().rev().map(Row::of).collect();
        self.shelf = Box::new(Held(sessions));
        self.reload_rows(rows, unreadable);
    }

    /// The sessions as they are on disk now (after a follow-up or a resume
    /// the browser handed over to), keeping the filter, the selected session
    /// and the screen where they still make sense.
    pub fn reload_rows(&mut self, rows: Vec<Row>, unreadable: Vec<(String, String)>) {
        let keep = self.selected().map(|s| s.id.clone());
        let at = self.selected;
        self.sessions = rows;
        self.unreadable = unreadable;
        self.forget();
        self.visible.clear();
        self.selected = 0;
        self.refilter();
        self.selected = keep
            .and_then(|id| self.visible.iter().position(|&i| self.sessions[i].id == id))
            .unwrap_or_else(|| at.min(self.visible.len().saturating_sub(1)));
        if self.screen != BrowserScreen::Full || self.selected().is_none() {
            self.screen = BrowserScreen::List;
        }
        self.help = false;
        self.clamp_scroll();
    }

    /// Drops everything read or worked out from the sessions (after they
    /// changed on disk): the shown session, the filter's matches, the stats.
    fn forget(&mut self) {
        self.shown = RefCell::new(None);
        self.row_words = OnceCell::new();
        self.matches.clear();
        self.figures = OnceCell::new();
    }

    /// The window changed size.
    pub fn resize(&mut self, width: u16, height: u16) {
        self.width = width;
        self.height = height;
        self.clamp_scroll();
    }

    pub fn size(&self) -> (u16, u16) {
        (self.width, self.height)
    }

    pub fn today(&self) -> NaiveDate {
        self.today
    }

    /// Every session's row, newest first.
    pub fn sessions(&self) -> &[Row] {
        &self.sessions
    }

    /// The rows shown (passing the filter), newest first.
    pub fn visible(&self) -> impl ExactSizeIterator<Item = &Row> + '_ {
        self.visible.iter().map(|&i| &self.sessions[i])
    }

    pub fn visible_len(&self) -> usize {
        self.visible.len()
    }

    /// The shown row at a position of the list.
    pub fn visible_at(&self, pos: usize) -> Option<&Row> {
        self.visible.get(pos).map(|&i| &self.sessions[i])
    }

    /// The position of the selection in the shown list.
    pub fn selected_pos(&self) -> usize {
        self.selected
    }

    pub fn selected(&self) -> Option<&Row> {
        self.visible_at(self.selected)
    }

    /// The selected session in full, read when it is first shown (again
    /// only when the selection moves): or why it cannot be read now.
    pub fn shown(&self) -> Option<Read> {
        let row = self.selected()?;
        let mut cache = self.shown.borrow_mut();
        if let Some((id, session)) = cache.as_ref()
            && *id == row.id
        {
            return Some(Rc::clone(session));
        }
        let session = Rc::new(self.shelf.session(&row.id));
        *cache = Some((row.id.clone(), Rc::clone(&session)));
        Some(session)
    }

    /// The stats, worked out on first use by reading one session at a time.
    pub fn stats(&self) -> &Stats {
        &self.figures().0
    }

    fn figures(&self) -> &Figures {
        self.figures.get_or_init(|| {
            // Newest first, one session in memory at a time; the practice
            // figures need only drills and rehearsals (kept without notes).
            let mut practice = Vec::new();
            let stats = Stats::compute(
                self.sessions.iter().filter_map(|row| {
                    let session = self.shelf.session(&row.id).ok()?;
                    let counts = session.mode == SessionMode::Drill
                        || !session.extra.rounds.is_empty()
                        || !session.extra.drill_cards.is_empty();
                    if counts {
                        let mut lean = session.clone();
                        for step in &mut lean.steps {
                            step.notes = String::new();
                        }
                        practice.push(lean);
                    }
                    Some(session)
                }),
                self.today,
            );
            let progress = Progress::compute(&practice, self.today, None);
            (stats, progress)
        })
    }

    /// The key table of what is showing now.
    pub fn table(&self) -> &'static [Binding<Cmd>] {
        if self.help {
            HELP_PAGE
        } else {
            self.help_table()
        }
    }

    /// The key table the F1 help describes: the screen's own, under the
    /// help.
    pub fn help_table(&self) -> &'static [Binding<Cmd>] {
        match &self.screen {
            BrowserScreen::List if self.filtering => FILTER,
            BrowserScreen::List => LIST,
            BrowserScreen::Full => READING,
            BrowserScreen::Stats => STATS,
            BrowserScreen::ConfirmDelete(_) => CONFIRM,
            BrowserScreen::ExportTo(_) => EXPORT,
        }
    }

    /// What a command is right now: off, quiet, or shown in the footer.
    pub fn hint(&self, cmd: Cmd) -> Hint {
        // A session that can no longer be read offers no follow-up or resume.
        let selected = self.selected().filter(|_| {
            !matches!(cmd, Cmd::FollowUp | Cmd::Resume) || !self.shown().is_some_and(|s| s.is_err())
        });
        let more = self.max_scroll() > 0;
        if self.help {
            return match cmd {
                Cmd::Up | Cmd::Down if self.help_lines() > self.page_height() => {
                    if cmd == Cmd::Up {
                        Hint::shown("scroll")
                    } else {
                        Hint::Quiet
                    }
                }
                Cmd::Back => Hint::shown("close help"),
                Cmd::Close => Hint::Quiet,
                _ => Hint::Off,
            };
        }
        match (&self.screen, cmd) {
            (_, Cmd::Help) => Hint::shown("help"),
            (_, Cmd::Close) if self.filtering || self.screen != BrowserScreen::List => Hint::Quiet,
            (BrowserScreen::List, _) if self.filtering => match cmd {
                Cmd::KeepFilter => Hint::shown("keep filter"),
                Cmd::ClearFilter => Hint::shown("clear"),
                Cmd::Erase => Hint::Quiet,
                _ => Hint::Off,
            },
            (BrowserScreen::List, Cmd::Read) if selected.is_some() => Hint::shown("read"),
            (BrowserScreen::List, Cmd::FollowUp | Cmd::Resume | Cmd::Export | Cmd::Delete)
                if selected.is_none() =>
            {
                Hint::Off
            }
            (BrowserScreen::List | BrowserScreen::Full, Cmd::FollowUp | Cmd::Resume)
                if selected.is_some_and(|s| self.is_open_elsewhere(&s.id)) =>
            {
                // Not offered; `f` or `r` still says why not.
                Hint::Quiet
            }
            (BrowserScreen::List, Cmd::FollowUp) => match selected {
                Some(s) if s.is_pending_follow_up() => Hint::shown("follow-up"),
                _ => Hint::Quiet,
            },
            (BrowserScreen::List, Cmd::Resume) => match selected {
                Some(s) if s.resumable() => Hint::shown("resume"),
                // Not offered, but `r` still says why not.
                _ => Hint::Quiet,
            },
            (BrowserScreen::List, Cmd::Filter) => Hint::shown("filter"),
            (BrowserScreen::List, Cmd::Stats) => Hint::shown("stats"),
            (BrowserScreen::List, Cmd::Export) => Hint::shown("export"),
            (BrowserScreen::List, Cmd::Delete) => Hint::shown("delete"),
            (BrowserScreen::List, Cmd::Undo) if self.can_undelete() => Hint::shown("undo delete"),
            (BrowserScreen::List, Cmd::ExportAll) if self.visible.is_empty() => Hint::Off,
            (BrowserScreen::List, Cmd::ClearFilter) if self.filter.is_empty() => Hint::Off,
            (BrowserScreen::List, Cmd::ClearFilter) => Hint::shown("clear filter"),
            (BrowserScreen::List, Cmd::Close) => Hint::shown("close"),
            (
                BrowserScreen::List,
                Cmd::Up
                | Cmd::Down
                | Cmd::PageUp
                | Cmd::PageDown
                | Cmd::Top
                | Cmd::Bottom
                | Cmd::ExportAll,
            ) => Hint::Quiet,
            (BrowserScreen::Full | BrowserScreen::Stats, Cmd::Back) => Hint::shown("back"),
            (BrowserScreen::Full | BrowserScreen::Stats, Cmd::Up) if more => Hint::shown("scroll"),
            (BrowserScreen::Full | BrowserScreen::Stats, Cmd::Top) if more => {
                Hint::shown("top/end")
            }
            (
                BrowserScreen::Full | BrowserScreen::Stats,
                Cmd::Down | Cmd::PageUp | Cmd::PageDown,
            ) if more => Hint::Quiet,
            (BrowserScreen::Full | BrowserScreen::Stats, Cmd::Bottom) if more => Hint::Quiet,
            (BrowserScreen::Full | BrowserScreen::Stats, Cmd::Up | Cmd::Down | Cmd::PageUp) => {
                Hint::Quiet
            }
            (
                BrowserScreen::Full | BrowserScreen::Stats,
                Cmd::PageDown | Cmd::Top | Cmd::Bottom,
            ) => Hint::Quiet,
            (BrowserScreen::Full, Cmd::FollowUp) => match selected {
                Some(s) if s.is_pending_follow_up() => Hint::shown("follow-up"),
                _ => Hint::Off,
            },
            (BrowserScreen::Full, Cmd::Resume) => match selected {
                Some(s) if s.resumable() => Hint::shown("resume"),
                // Another mode's unfinished session: `r` says why not.
                Some(s) if s.is_unfinished() => Hint::Quiet,
                _ => Hint::Off,
            },
            (BrowserScreen::ConfirmDelete(_), Cmd::Yes) => Hint::shown("delete"),
            (BrowserScreen::ConfirmDelete(_), Cmd::No) => Hint::shown("keep"),
            (BrowserScreen::ExportTo(_), Cmd::Confirm) if !self.export_name.trim().is_empty() => {
                Hint::shown("export")
            }
            (BrowserScreen::ExportTo(_), Cmd::Confirm) => Hint::Quiet,
            (BrowserScreen::ExportTo(_), Cmd::No) => Hint::shown("cancel"),
            (BrowserScreen::ExportTo(_), Cmd::Erase) => Hint::Quiet,
            _ => Hint::Off,
        }
    }

    /// Lines a page can show in this window (the reading view and the help
    /// keep a top line and the footer).
    pub fn page_height(&self) -> usize {
        usize::from(self.height.saturating_sub(2)).max(1)
    }

    /// Lines the stats text can show under its chart.
    pub fn stats_height(&self) -> usize {
        let chart = page::chart_height(self.height);
        let spark = page::spark_height(self.height, self.progress());
        usize::from(self.height.saturating_sub(2 + chart + spark)).max(1)
    }

    /// How many lines the page showing now has.
    pub fn page_lines(&self) -> usize {
        let mono = Theme::monochrome();
        match &self.screen {
            BrowserScreen::Full => self.shown().map_or(0, |s| match &*s {
                Ok(s) => page::session_page(s, self.width, &mono).len(),
                Err(_) => 1,
            }),
            BrowserScreen::Stats => {
                page::stats_page(self.stats(), self.progress(), self.width, &mono).len()
            }
            _ => 0,
        }
    }

    fn help_lines(&self) -> usize {
        self.help_rows_now().len()
    }

    /// How far the page showing now scrolls: its end is on the last line.
    pub fn max_scroll(&self) -> u16 {
        let view = match &self.screen {
            BrowserScreen::Stats => self.stats_height(),
            _ => self.page_height(),
        };
        u16::try_from(self.page_lines().saturating_sub(view)).unwrap_or(u16::MAX)
    }

    fn clamp_scroll(&mut self) {
        self.scroll = self.scroll.min(self.max_scroll());
        let help_max = self.help_lines().saturating_sub(self.page_height());
        self.help_scroll = self
            .help_scroll
            .min(u16::try_from(help_max).unwrap_or(u16::MAX));
    }

    pub fn progress(&self) -> &Progress {
        &self.figures().1
    }

    /// Re-runs the filter: every word must occur (any case, any order). The
    /// selected session stays selected if it still shows.
    fn refilter(&mut self) {
        let keep_id = self.selected().map(|s| s.id.clone());
        self.filter_again();
        self.selected = keep_id
            .and_then(|id| self.visible.iter().position(|&i| self.sessions[i].id == id))
            .unwrap_or(0);
    }

    /// Recomputes which sessions show, leaving the selection to the caller.
    fn filter_again(&mut self) {
        let query = self.filter.to_lowercase();
        let words: Vec<String> = query.split_whitespace().map(str::to_string).collect();
        if words.is_empty() {
            self.visible = (0..self.sessions.len()).collect();
            return;
        }
        if let Some((_, hits)) = self.matches.iter().find(|(w, _)| *w == words) {
            self.visible = hits.iter().map(|&i| i as usize).collect();
            return;
        }
        // A filter whose every word is inside a word of this one matched a
        // superset: search only what it matched (the fewest such).
        let narrower = self
            .matches
            .iter()
            .filter(|(old, _)| {
                old.iter()
                    .all(|o| words.iter().any(|w| w.contains(o.as_str())))
            })
            .map(|(_, hits)| hits)
            .min_by_key(|hits| hits.len());
        let candidates: Vec<u32> = match narrower {
            Some(hits) => hits.clone(),
            None => (0..self.sessions.len() as u32).collect(),
        };
        let rows = &self.sessions;
        let own = self.row_words.get_or_init(|| {
            // Made on the first search, on two threads for a long list:
            // the dates' formatting is most of the work.
            if rows.len() < SEARCH_SPLIT_AT {
                return rows.iter().map(row_words).collect();
            }
            let (first, second) = rows.split_at(rows.len() / 2);
            std::thread::scope(|scope| {
                let other = scope.spawn(|| second.iter().map(row_words).collect::<Vec<_>>());
                let mut words: Vec<String> = first.iter().map(row_words).collect();
                words.extend(
                    other
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                );
                words
            })
        });
        let (shelf, words_ref) = (&*self.shelf, &words);
        let test = |&i: &u32| {
            let i = i as usize;
            let own = own[i].as_str();
            let missing = || words_ref.iter().filter(move |w| !own.contains(w.as_str()));
            if missing().next().is_none() {
                return true;
            }
            // The steps and notes are read only for this test, and let go.
            shelf.session(&rows[i].id).is_ok_and(|s| {
                let text = haystack(&s);
                missing().all(|w| text.contains(w.as_str()))
            })
        };
        // Reading and parsing a file per candidate took about 72 ms for
        // 10,000 sessions on one thread, over the 50 ms a keystroke may
        // take: a long search is read on two threads, one per core of a
        // modest laptop, as a long list is (`journal::Store::rows`). Each
        // takes the next run of candidates when done with its last: runs
        // differ in cost (a drill's typed responses make it several times
        // a walk's size), so fixed halves, or every other candidate for
        // someone who walks and drills each day, left one thread with most
        // of the work.
        let hits: Vec<u32> = if candidates.len() >= SEARCH_SPLIT_AT {
            let runs: Vec<&[u32]> = candidates.chunks(SEARCH_RUN).collect();
            let next = std::sync::atomic::AtomicUsize::new(0);
            let work = || {
                let mut found: Vec<(usize, Vec<u32>)> = Vec::new();
                loop {
                    let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(run) = runs.get(k) else {
                        return found;
                    };
                    found.push((k, run.iter().filter(|i| test(i)).copied().collect()));
                }
            };
            let mut found = std::thread::scope(|scope| {
                let other = scope.spawn(work);
                let mut found = work();
                found.extend(
                    other
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                );
                found
            });
            found.sort_unstable_by_key(|&(k, _)| k);
            found.into_iter().flat_map(|(_, hits)| hits).collect()
        } else {
            candidates.into_iter().filter(test).collect()
        };
        if self.matches.len() >= FILTERS_KEPT {
            self.matches.remove(0);
        }
        self.visible = hits.iter().map(|&i| i as usize).collect();
        self.matches.push((words, hits));
    }

    /// Handles one key; returns what the runtime must do.
    pub fn key(&mut self, key: KeyEvent) -> Vec<BrowserEffect> {
        if key.kind == KeyEventKind::Release {
            return Vec::new();
        }
        let Some(cmd) = lookup(self.table(), &key, |c| self.hint(c)) else {
            return self.typed(key);
        };
        if self.help {
            self.help_key(cmd);
            return Vec::new();
        }
        if cmd == Cmd::Help {
            self.help = true;
            self.help_scroll = 0;
            return Vec::new();
        }
        if cmd == Cmd::Close {
            return vec![BrowserEffect::Quit(Output::Closed)];
        }
        match self.screen.clone() {
            BrowserScreen::List if self.filtering => self.filter_key(cmd),
            BrowserScreen::List => return self.list_key(cmd),
            BrowserScreen::Full | BrowserScreen::Stats => return self.reading_key(cmd),
            BrowserScreen::ConfirmDelete(id) => return self.confirm_key(cmd, id),
            BrowserScreen::ExportTo(ids) => return self.export_key(cmd, ids),
        }
        Vec::new()
    }

    /// A key no row of the table takes: text for the filter or the file
    /// name; anything else closes the help and is otherwise let go.
    fn typed(&mut self, key: KeyEvent) -> Vec<BrowserEffect> {
        if self.help {
            self.help = false;
            return Vec::new();
        }
        let plain = !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        let KeyCode::Char(c) = key.code else {
            return Vec::new();
        };
        if !plain || crate::sanitize::is_forbidden(c) {
            return Vec::new();
        }
        match &self.screen {
            BrowserScreen::List if self.filtering => {
                self.filter.push(c);
                self.refilter();
            }
            BrowserScreen::ExportTo(_) => {
                self.export_name.push(c);
                self.export_error = None;
            }
            _ => {}
        }
        Vec::new()
    }

    fn help_key(&mut self, cmd: Cmd) {
        let max =
            u16::try_from(self.help_lines().saturating_sub(self.page_height())).unwrap_or(u16::MAX);
        match cmd {
            Cmd::Up => self.help_scroll = self.help_scroll.saturating_sub(1),
            Cmd::Down => self.help_scroll = (self.help_scroll + 1).min(max),
            _ => self.help = false,
        }
    }

    fn filter_key(&mut self, cmd: Cmd) {
        match cmd {
            Cmd::ClearFilter => {
                self.filtering = false;
                self.filter.clear();
                self.refilter();
            }
            Cmd::KeepFilter => self.filtering = false,
            Cmd::Erase => {
                self.filter.pop();
                self.refilter();
            }
            _ => {}
        }
    }

    fn list_key(&mut self, cmd: Cmd) -> Vec<BrowserEffect> {
        let last = self.visible.len().saturating_sub(1);
        self.status = None;
        match cmd {
            Cmd::ClearFilter => {
                self.filter.clear();
                self.refilter();
            }
            Cmd::Up => self.selected = self.selected.saturating_sub(1),
            Cmd::Down => self.selected = (self.selected + 1).min(last),
            Cmd::PageUp => self.selected = self.selected.saturating_sub(10),
            Cmd::PageDown => self.selected = (self.selected + 10).min(last),
            Cmd::Top => self.selected = 0,
            Cmd::Bottom => self.selected = last,
            Cmd::Filter => self.filtering = true,
            Cmd::Read => {
                self.screen = BrowserScreen::Full;
                self.scroll = 0;
            }
            Cmd::Stats => {
                self.screen = BrowserScreen::Stats;
                self.scroll = 0;
            }
            Cmd::Undo if self.can_undelete() => return vec![BrowserEffect::Undelete],
            Cmd::Delete => {
                if let Some(id) = self.selected().map(|s| s.id.clone()) {
                    self.screen = BrowserScreen::ConfirmDelete(id);
                }
            }
            Cmd::Export => {
                if let Some(id) = self.selected().map(|s| s.id.clone()) {
                    self.ask_export(vec![id]);
                }
            }
            Cmd::ExportAll => {
                let ids: Vec<String> = self.visible().map(|s| s.id.clone()).collect();
                self.ask_export(ids);
            }
            Cmd::FollowUp | Cmd::Resume => return self.hand_over(cmd),
            _ => {}
        }
        Vec::new()
    }

    /// `f` and `r`: a follow-up or a resume runs as its own view, and the
    /// browser comes back when it is done.
    fn hand_over(&mut self, cmd: Cmd) -> Vec<BrowserEffect> {
        // A session gone or damaged on disk since the list was read has
        // nothing to follow up or resume: say so here.
        if self.shown().is_some_and(|s| s.is_err()) {
            self.status = Some("This session can no longer be read.".into());
            return Vec::new();
        }
        if self
            .selected()
            .is_some_and(|s| self.is_open_elsewhere(&s.id))
        {
            self.status = Some("This session is open in another window.".into());
            return Vec::new();
        }
        match (self.selected(), cmd) {
            (Some(s), Cmd::FollowUp) if s.is_pending_follow_up() => {
                vec![BrowserEffect::Quit(Output::FollowUp(s.id.clone()))]
            }
            (Some(_), Cmd::FollowUp) => {
                self.status = Some("This session has no follow-up waiting.".into());
                Vec::new()
            }
            (Some(s), Cmd::Resume) if s.resumable() => {
                vec![BrowserEffect::Quit(Output::Resume(s.id.clone()))]
            }
            (Some(s), Cmd::Resume) if s.is_unfinished() => {
                // Only a walk or a prep resumes; say so here rather than
                // after the browser has closed.
                self.status = Some(format!(
                    "Only a practice walk or a prep resumes; start a new {} with `repair {}`.",
                    crate::sanitize::one_line(s.mode().as_str()),
                    crate::sanitize::one_line(s.mode().as_str())
                ));
                Vec::new()
            }
            (Some(_), Cmd::Resume) => {
                self.status = Some("This session is finished; only unfinished ones resume.".into());
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn reading_key(&mut self, cmd: Cmd) -> Vec<BrowserEffect> {
        let max = self.max_scroll();
        let page = u16::try_from(match self.screen {
            BrowserScreen::Stats => self.stats_height(),
            _ => self.page_height(),
        })
        .unwrap_or(u16::MAX)
        .saturating_sub(1)
        .max(1);
        match cmd {
            Cmd::Back => {
                self.screen = BrowserScreen::List;
                self.scroll = 0;
            }
            Cmd::Up => self.scroll = self.scroll.saturating_sub(1),
            Cmd::Down => self.scroll = self.scroll.saturating_add(1).min(max),
            Cmd::PageUp => self.scroll = self.scroll.saturating_sub(page),
            Cmd::PageDown => self.scroll = self.scroll.saturating_add(page).min(max),
            Cmd::Top => self.scroll = 0,
            Cmd::Bottom => self.scroll = max,
            Cmd::FollowUp | Cmd::Resume => return self.hand_over(cmd),
            _ => {}
        }
        Vec::new()
    }

    fn confirm_key(&mut self, cmd: Cmd, id: String) -> Vec<BrowserEffect> {
        match cmd {
            Cmd::Yes => {
                self.screen = BrowserScreen::List;
                vec![BrowserEffect::Delete(id)]
            }
            Cmd::No => {
                self.screen = BrowserScreen::List;
                self.status = Some("Nothing was deleted.".into());
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// The name an export is offered first.
    pub fn default_export_name(&self) -> String {
        format!("repair-notes-{}.md", self.today.format("%Y-%m-%d"))
    }

    fn ask_export(&mut self, ids: Vec<String>) {
        if ids.is_empty() {
            return;
        }
        // Today's name, or the first free one after it (`-2`, `-3`, ...):
        // never a name that is refused on Enter.
        let name = self.default_export_name();
        self.export_name = super::free_name(&name, &*self.name_taken).unwrap_or(name);
        self.export_error = None;
        self.screen = BrowserScreen::ExportTo(ids);
    }

    fn export_key(&mut self, cmd: Cmd, ids: Vec<String>) -> Vec<BrowserEffect> {
        match cmd {
            Cmd::No => {
                self.screen = BrowserScreen::List;
                self.export_error = None;
                self.status = Some("Nothing was exported.".into());
            }
            Cmd::Erase => {
                self.export_name.pop();
                self.export_error = None;
            }
            Cmd::Confirm if !self.export_name.trim().is_empty() => {
                // Oldest first, like every export. The dialog stays open
                // until the answer says the file is written.
                // Read one at a time: only the Markdown is held.
                let wanted: std::collections::HashSet<&str> =
                    ids.iter().map(String::as_str).collect();
                let mut body = String::new();
                let mut count = 0;
                let mut missing = 0;
                for row in self.sessions.iter().rev() {
                    if !wanted.contains(row.id.as_str()) {
                        continue;
                    }
                    match self.shelf.session(&row.id) {
                        Ok(session) => {
                            body.push('\n');
                            body.push_str(&session_markdown(&session));
                            count += 1;
                        }
                        Err(_) => missing += 1,
                    }
                }
                if count == 0 {
                    self.export_error = Some(format!(
                        "Not exported: {} could no longer be read.",
                        crate::words::count(missing, "session", "sessions")
                    ));
                    return Vec::new();
                }
                // The same document as `export_markdown` over these sessions.
                let mut markdown = String::from("# Repair practice notes\n");
                markdown.push_str(&format!(
                    "\n{count} session{}.\n",
                    if count == 1 { "" } else { "s" }
                ));
                markdown.push_str(&body);
                return vec![BrowserEffect::Export {
                    path: self.export_name.trim().to_string(),
                    markdown,
                    count,
                }];
            }
            _ => {}
        }
        Vec::new()
    }

    /// The files of the session `u` puts back, held since its delete.
    pub fn to_undelete(&self) -> Option<&Deleted> {
        self.undeletable.last().map(|u| &u.files)
    }

    /// The rows the F1 help lists now: the screen's, less the undo while
    /// there is no delete to undo.
    pub fn help_rows_now(&self) -> Vec<Binding<Cmd>> {
        let mut rows = help_rows(self.help_table());
        if !self.can_undelete() {
            rows.retain(|b| b.command != Cmd::Undo);
        }
        rows
    }

    /// Whether `u` puts a deleted session back now.
    pub fn can_undelete(&self) -> bool {
        !self.undeletable.is_empty()
    }

    /// [`History::deleted`], with the deleted files held so `u` can put
    /// them back until the browser closes.
    pub fn deleted_keeping(&mut self, id: &str, result: Result<Deleted, BrowserError>) {
        let at = self.sessions.iter().position(|s| s.id == id);
        match (result, at) {
            (Ok(files), Some(at)) => {
                let row = self.sessions[at].clone();
                self.deleted(id, Ok(()));
                self.undeletable.push(Undeletable { at, row, files });
                if let Some(status) = self.status.as_mut() {
                    status.push_str(" u undoes it until you close the browser.");
                }
            }
            (Ok(_), None) => {}
            (Err(e), _) => self.deleted(id, Err(e)),
        }
    }

    /// The answer to an [`BrowserEffect::Undelete`]: back in the list, selected,
    /// or why not (the files stay held, to try again).
    pub fn undeleted(&mut self, result: Result<(), BrowserError>) {
        match result {
            Ok(()) => {
                let Some(back) = self.undeletable.pop() else {
                    return;
                };
                let at = back.at.min(self.sessions.len());
                let words = format!(
                    "Put back the session of {} ({}).",
                    back.row.when(),
                    crate::sanitize::one_line(back.row.title())
                );
                self.sessions.insert(at, back.row);
                self.forget();
                self.filter_again();
                if let Some(i) = self.visible.iter().position(|&v| v == at) {
                    self.selected = i;
                }
                self.status = Some(words);
            }
            Err(e) => self.status = Some(format!("Could not put it back: {e}")),
        }
    }

    /// The answer to an [`BrowserEffect::Delete`]: the list stays open with the
    /// nearest row selected, and a line says what was deleted.
    pub fn deleted(&mut self, id: &str, result: Result<(), BrowserError>) {
        match result {
            Ok(()) => {
                let at = self.selected;
                let Some(i) = self.sessions.iter().position(|s| s.id == id) else {
                    return;
                };
                let gone = self.sessions.remove(i);
                self.forget();
                self.filter_again();
                self.selected = at.min(self.visible.len().saturating_sub(1));
                self.status = Some(format!(
                    "Deleted the session of {} ({}).",
                    gone.when(),
                    crate::sanitize::one_line(gone.title())
                ));
            }
            Err(e) => self.status = Some(format!("Could not delete it: {e}")),
        }
    }

    /// The answer to a [`BrowserEffect::Export`]. On failure the dialog stays
    /// open with the reason, and `free` (a name not taken, if the runtime
    /// found one) replaces the name.
    pub fn exported(
        &mut self,
        path: &str,
        count: usize,
        result: Result<(), BrowserError>,
        free: Option<String>,
    ) {
        match result {
            Ok(()) => {
                self.screen = BrowserScreen::List;
                self.export_error = None;
                self.status = Some(format!(
                    "Exported {} to {}.",
                    crate::words::count(count, "session", "sessions"),
                    crate::sanitize::one_line(path)
                ));
            }
            Err(e) => {
                let offer = match &free {
                    Some(name) => format!(" Enter exports to {name}."),
                    None => String::new(),
                };
                self.export_error = Some(format!("Not exported: {e}.{offer}"));
                if let Some(name) = free {
                    self.export_name = name;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{StepRecord, StepStatus};
    use chrono::DateTime;

    fn session(id: &str, day: u32, notes: &str) -> Session {
        Session {
            id: id.into(),
            mode: SessionMode::Practice,
            protocol: "rupture-repair".into(),
            protocol_title: "Rupture and Repair".into(),
            drill: None,
            started_at: DateTime::parse_from_rfc3339(&format!("2026-11-{day:02}T09:00:00+01:00"))
                .unwrap(),
            finished_at: None,
            complete: false,
            steps: vec![StepRecord {
                id: "later".into(),
                title: "Later".into(),
                status: StepStatus::FollowUp,
                notes: notes.into(),
                pause_seconds: None,
                newer: Default::default(),
            }],
            extra: Default::default(),
        }
    }

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn history() -> History {
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        History::new(
            vec![
                session("a", 1, "Tight CHEST"),
                session("b", 2, "guess lightly"),
                session("c", 3, ""),
            ],
            Vec::new(),
            today,
        )
    }

    /// A history longer than a list reads in one go finds every session
    /// whose notes alone (not the row's own words) hold the word, the last
    /// included, in the list's order.
    #[test]
    fn a_long_history_filter_finds_every_match_in_order() {
        let count: usize = 2_003;
        let sessions: Vec<Session> = (0..count)
            .map(|n| {
                let word = if n.is_multiple_of(7) || n == count - 1 {
                    "quillwort"
                } else {
                    "calm"
                };
                session(&format!("s{n:05}"), 1 + (n % 28) as u32, word)
            })
            .collect();
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let mut h = History::new(sessions, Vec::new(), today);
        let listed: Vec<String> = h.visible().map(|s| s.id.clone()).collect();
        let expected: Vec<String> = listed
            .iter()
            .filter(|id| {
                let n: usize = id[1..].parse().unwrap();
                n.is_multiple_of(7) || n == count - 1
            })
            .cloned()
            .collect();
        h.key(key(KeyCode::Char('/')));
        for c in "quillwort".chars() {
            h.key(key(KeyCode::Char(c)));
        }
        let found: Vec<String> = h.visible().map(|s| s.id.clone()).collect();
        assert_eq!(found.len(), expected.len());
        assert_eq!(found, expected);
    }

    #[test]
    fn filter_narrows_as_you_type_and_esc_clears() {
        let mut h = history();
        assert_eq!(h.selected().unwrap().id, "c", "newest first");
        h.key(key(KeyCode::Char('/')));
        for c in "chest".chars() {
            h.key(key(KeyCode::Char(c)));
        }
        assert_eq!(
            h.visible().map(|s| s.id.as_str()).collect::<Vec<_>>(),
            ["a"]
        );
        h.key(key(KeyCode::Backspace));
        assert_eq!(h.visible_len(), 1);
        h.key(key(KeyCode::Esc));
        assert_eq!(h.visible_len(), 3);
        assert!(!h.filtering);
    }

    /// A filter's words may be found part in the row's own words (its
    /// date) and part in the notes; a word in neither finds nothing.
    #[test]
    fn a_filter_finds_words_part_in_the_date_and_part_in_the_notes() {
        let mut h = history();
        let mut found = |filter: &str| {
            h.key(key(KeyCode::Esc));
            h.key(key(KeyCode::Char('/')));
            for c in filter.chars() {
                h.key(key(KeyCode::Char(c)));
            }
            h.visible().map(|s| s.id.clone()).collect::<Vec<_>>()
        };
        // Sun 1 Nov 2026 holds "Tight CHEST"; Mon 2 Nov "guess lightly".
        assert_eq!(found("chest sun"), ["a"]);
        assert_eq!(found("SUN tight chest"), ["a"]);
        assert_eq!(found("mon lightly"), ["b"]);
        assert!(found("mon chest").is_empty());
        assert!(found("sunday chest").is_empty(), "a word in neither");
    }

    /// A long search is read in two halves, one thread each: what it
    /// finds, and the order, are what one session at a time finds. No
    /// row's own words hold a `z`, so the first letter reads every session.
    #[test]
    fn a_long_search_finds_what_one_at_a_time_would_in_the_same_order() {
        let count = SEARCH_SPLIT_AT + 101;
        let sessions: Vec<Session> = (0..count)
            .map(|n| {
                let notes = if n % 7 == 3 { "a zen pause" } else { "busy" };
                session(&format!("s{n:05}"), 1 + (n % 28) as u32, notes)
            })
            .collect();
        let expected: Vec<String> = sessions
            .iter()
            .rev()
            .filter(|s| s.steps[0].notes.contains("zen"))
            .map(|s| s.id.clone())
            .collect();
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let mut h = History::new(sessions, Vec::new(), today);
        h.key(key(KeyCode::Char('/')));
        for (typed, c) in "zen".chars().enumerate() {
            h.key(key(KeyCode::Char(c)));
            let found: Vec<String> = h.visible().map(|s| s.id.clone()).collect();
            assert_eq!(found, expected, "after {} letters", typed + 1);
        }
    }

    #[test]
    fn delete_asks_then_removes() {
        let mut h = history();
        assert!(h.key(key(KeyCode::Char('d'))).is_empty());
        assert_eq!(h.screen, BrowserScreen::ConfirmDelete("c".into()));
        assert!(h.key(key(KeyCode::Char('n'))).is_empty());
        h.key(key(KeyCode::Char('d')));
        assert_eq!(
            h.key(key(KeyCode::Char('y'))),
            vec![BrowserEffect::Delete("c".into())]
        );
        h.deleted("c", Ok(()));
        assert_eq!(h.visible_len(), 2);
        assert_eq!(h.selected().unwrap().id, "b");
        assert_eq!(h.stats().sessions, 2);
    }

    #[test]
    fn export_of_the_filtered_sessions_is_oldest_first() {
        let mut h = history();
        h.key(key(KeyCode::Char('E')));
        assert_eq!(h.export_name, "repair-notes-2026-11-28.md");
        let effects = h.key(key(KeyCode::Enter));
        let [
            BrowserEffect::Export {
                markdown, count, ..
            },
        ] = effects.as_slice()
        else {
            panic!("{effects:?}")
        };
        assert_eq!(*count, 3);
        let a = markdown.find("Sun 1 Nov").unwrap();
        let c = markdown.find("Tue 3 Nov").unwrap();
        assert!(a < c);
    }

    #[test]
    fn follow_up_and_resume_leave_the_browser() {
        // One state per session: the unfinished one resumes and offers no
        // follow-up; a finished one with its follow-up open does it.
        let mut h = history();
        assert_eq!(h.key(key(KeyCode::Char('f'))), vec![]);
        assert_eq!(
            h.key(key(KeyCode::Char('r'))),
            vec![BrowserEffect::Quit(Output::Resume("c".into()))]
        );
        let mut done = session("d", 4, "");
        done.finished_at = Some(done.started_at);
        done.complete = true;
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let mut h = History::new(vec![session("c", 3, ""), done], Vec::new(), today);
        assert_eq!(
            h.key(key(KeyCode::Char('f'))),
            vec![BrowserEffect::Quit(Output::FollowUp("d".into()))]
        );
    }
}

#[cfg(test)]
mod repro {
    use super::*;
    use crate::journal::{StepRecord, StepStatus};
    use chrono::DateTime;

    fn one(id: &str, day: u32) -> Session {
        Session {
            id: id.into(),
            mode: SessionMode::Practice,
            protocol: "rupture-repair".into(),
            protocol_title: "Rupture and Repair".into(),
            drill: None,
            started_at: DateTime::parse_from_rfc3339(&format!("2026-11-{day:02}T09:00:00+01:00"))
                .unwrap(),
            finished_at: None,
            complete: false,
            steps: vec![StepRecord {
                id: "scan".into(),
                title: "Scan".into(),
                status: StepStatus::Done,
                notes: "x".into(),
                pause_seconds: None,
                newer: Default::default(),
            }],
            extra: Default::default(),
        }
    }

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    /// Deleting the bottom row panicked in the refilter.
    #[test]
    fn deleting_the_only_session_keeps_the_list_open() {
        let mut h = History::new(vec![one("a", 1)], Vec::new(), today());
        h.key(key(KeyCode::Char('d')));
        let effects = h.key(key(KeyCode::Char('y')));
        assert_eq!(effects, vec![BrowserEffect::Delete("a".into())]);
        h.deleted("a", Ok(()));
        assert_eq!(h.visible_len(), 0);
        assert!(h.selected().is_none());
        assert_eq!(h.screen, BrowserScreen::List);
        assert!(
            h.status
                .as_deref()
                .unwrap()
                .starts_with("Deleted the session of")
        );
    }

    #[test]
    fn deleting_the_bottom_row_selects_the_nearest() {
        let mut h = History::new(
            vec![one("a", 1), one("b", 2), one("c", 3)],
            Vec::new(),
            today(),
        );
        h.key(key(KeyCode::End));
        assert_eq!(h.selected().unwrap().id, "a");
        h.key(key(KeyCode::Char('d')));
        h.key(key(KeyCode::Char('y')));
        h.deleted("a", Ok(()));
        assert_eq!(h.visible_len(), 2);
        assert_eq!(h.selected().unwrap().id, "b", "the nearest row");
        assert!(h.status.as_deref().unwrap().contains("Sun 1 Nov 2026"));
    }

    /// The reading view scrolled past the end into a
    /// blank screen, and End did nothing.
    #[test]
    fn reading_stops_at_the_end_and_end_goes_there() {
        let mut long = one("a", 1);
        long.steps[0].notes = (0..60).map(|i| format!("line {i}\n")).collect();
        let mut h = History::new(vec![long], Vec::new(), today());
        h.resize(80, 24);
        h.key(key(KeyCode::Enter));
        assert_eq!(h.screen, BrowserScreen::Full);
        let max = h.max_scroll();
        assert!(max > 0);
        for _ in 0..50 {
            h.key(key(KeyCode::PageDown));
        }
        assert_eq!(h.scroll, max, "stops at the end");
        h.key(key(KeyCode::PageUp));
        assert!(h.scroll < max, "one PgUp moves at once");
        h.key(key(KeyCode::Home));
        assert_eq!(h.scroll, 0);
        h.key(key(KeyCode::End));
        assert_eq!(h.scroll, max);
        // A taller window needs less scrolling: the scroll follows.
        h.resize(80, 200);
        assert_eq!(h.scroll, 0);
    }

    /// A second export on the same day failed on the
    /// default name and closed the dialog.
    #[test]
    fn a_failed_export_keeps_the_dialog_and_offers_a_free_name() {
        let mut h = History::new(vec![one("a", 1)], Vec::new(), today());
        h.key(key(KeyCode::Char('e')));
        let effects = h.key(key(KeyCode::Enter));
        assert!(matches!(effects.as_slice(), [BrowserEffect::Export { .. }]));
        h.exported(
            "repair-notes-2026-11-28.md",
            1,
            Err(BrowserError::AlreadyExists(
                "repair-notes-2026-11-28.md".into(),
            )),
            Some("repair-notes-2026-11-28-2.md".into()),
        );
        assert!(matches!(h.screen, BrowserScreen::ExportTo(_)), "still open");
        assert_eq!(h.export_name, "repair-notes-2026-11-28-2.md");
        assert!(
            h.export_error
                .as_deref()
                .unwrap()
                .contains("already exists")
        );
        let effects = h.key(key(KeyCode::Enter));
        let [BrowserEffect::Export { path, .. }] = effects.as_slice() else {
            panic!("{effects:?}")
        };
        assert_eq!(path, "repair-notes-2026-11-28-2.md");
        h.exported(path, 1, Ok(()), None);
        assert_eq!(h.screen, BrowserScreen::List);
        assert_eq!(
            h.status.as_deref(),
            Some("Exported 1 session to repair-notes-2026-11-28-2.md.")
        );
    }

    /// `r` on an unfinished prep resumes it (as a prep); on an unfinished
    /// rehearsal it is refused here, in one line, and not offered.
    #[test]
    fn resume_opens_an_unfinished_prep_and_refuses_a_rehearsal_in_the_browser() {
        let mut prep = one("p", 2);
        prep.mode = SessionMode::Prep;
        let mut group = one("g", 3);
        group.mode = SessionMode::Rehearse;
        let mut h = History::new(vec![one("a", 1), prep, group], Vec::new(), today());
        assert_eq!(h.selected().unwrap().id, "g");
        assert_eq!(h.hint(Cmd::Resume), Hint::Quiet, "not offered");
        assert!(
            h.key(key(KeyCode::Char('r'))).is_empty(),
            "the browser stays"
        );
        let status = h.status.clone().unwrap();
        assert!(
            status.contains("Only a practice walk or a prep resumes"),
            "{status}"
        );
        assert!(status.contains("repair rehearse"), "{status}");
        assert!(!status.contains('\n'));
        h.key(key(KeyCode::Enter));
        assert!(
            h.key(key(KeyCode::Char('r'))).is_empty(),
            "nor from the page"
        );
        assert!(h.status.is_some());
        h.key(key(KeyCode::Esc));
        h.key(key(KeyCode::Down));
        assert_eq!(h.selected().unwrap().id, "p");
        assert_eq!(h.hint(Cmd::Resume), Hint::shown("resume"));
        assert_eq!(
            h.key(key(KeyCode::Char('r'))),
            vec![BrowserEffect::Quit(Output::Resume("p".into()))],
            "a prep resumes"
        );
        let mut h = History::new(vec![one("a", 1)], Vec::new(), today());
        assert_eq!(
            h.key(key(KeyCode::Char('r'))),
            vec![BrowserEffect::Quit(Output::Resume("a".into()))],
            "a practice walk still resumes"
        );
    }

    /// A session open in another window is named, never offered: `r` is
    /// not in the footer for it and, pressed, says why instead of leaving
    /// the browser to open it.
    #[test]
    fn a_session_open_in_another_window_is_not_offered() {
        let h = History::new(vec![one("a", 1)], Vec::new(), today());
        assert!(
            matches!(h.hint(Cmd::Resume), Hint::Shown(_)),
            "offered when free"
        );
        let mut h = h.with_open_check(|id| id == "a");
        assert_eq!(h.hint(Cmd::Resume), Hint::Quiet);
        assert_eq!(h.hint(Cmd::FollowUp), Hint::Quiet);
        assert!(h.key(key(KeyCode::Char('r'))).is_empty(), "nothing opened");
        assert_eq!(
            h.status.as_deref(),
            Some("This session is open in another window.")
        );
    }

    /// A second export on the same day proposes a free name at once,
    /// instead of today's name that Enter would refuse.
    #[test]
    fn export_proposes_a_free_name_first() {
        let taken = |p: &std::path::Path| {
            p == std::path::Path::new("repair-notes-2026-11-28.md")
                || p == std::path::Path::new("repair-notes-2026-11-28-2.md")
        };
        let mut h = History::new(vec![one("a", 1)], Vec::new(), today()).with_name_check(taken);
        h.key(key(KeyCode::Char('E')));
        assert_eq!(h.export_name, "repair-notes-2026-11-28-3.md");
        h.key(key(KeyCode::Esc));
        h.key(key(KeyCode::Char('e')));
        assert_eq!(h.export_name, "repair-notes-2026-11-28-3.md");
        // Nothing taken: today's name.
        let mut h = History::new(vec![one("a", 1)], Vec::new(), today());
        h.key(key(KeyCode::Char('E')));
        assert_eq!(h.export_name, "repair-notes-2026-11-28.md");
    }

    #[test]
    fn free_names_count_up() {
        let taken = ["n.md", "n-2.md"];
        let is_taken = |p: &std::path::Path| taken.iter().any(|t| p == std::path::Path::new(t));
        assert_eq!(
            super::super::free_name("n.md", is_taken).as_deref(),
            Some("n-3.md")
        );
        assert_eq!(super::super::free_name("m.md", is_taken), None);
    }

    #[test]
    fn the_footer_and_the_help_come_from_the_same_table() {
        let h = History::new(vec![one("a", 1)], Vec::new(), today());
        for binding in h.table() {
            if let Hint::Shown(_) = h.hint(binding.command) {
                assert!(
                    help_rows(h.help_table())
                        .iter()
                        .any(|b| b.label.split(' ').next() == binding.label.split(' ').next()),
                    "{} is in the help",
                    binding.label
                );
            }
        }
    }
}
