//! The deck view (`repair deck` in a terminal): every card with its kind,
//! level, tags, when it was last practised, its last first-attempt ratings
//! and when it is next due; filters by tag, kind, level and due; Enter shows
//! a card in full. What a card *is* and where it stands come from
//! [`crate::practice::deck`]; this file holds the view's state, its key
//! tables (dispatch, footer and F1) and runs it on the shared runtime. The
//! drawing is in [`view`]. Nothing here writes anything.

pub mod view;

use std::io;
use std::time::Instant;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind};

use crate::practice::deck::{Deck, Filter, History, Part};
use crate::protocol::{Level, ScenarioKind};
use crate::tui::keys::{Binding, Hint, Key, lookup, row};
use crate::tui::terminal::{self, Ended, Input, Kept, Program};
use crate::tui::theme::Theme;

/// Which screen of the view is showing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// The list of cards the filters keep.
    List,
    /// Enter: one card in full (a position in the deck), scrolled.
    Card { card: usize, scroll: u16 },
}

/// What a key can do in the deck view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmd {
    Open,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Tag,
    Kind,
    Level,
    Due,
    Previous,
    Next,
    ClearFilters,
    Back,
    Quit,
    Help,
}

const ESC: &[Key] = &[Key::plain(KeyCode::Esc)];
const QUIT: &[Key] = &[Key::ch('q'), Key::ctrl('c'), Key::ctrl('q')];
const HELP: &[Key] = &[Key::plain(KeyCode::F(1))];

/// The list of cards. A `help` left empty keeps a row out of F1 (its keys
/// are said on the row before).
pub const LIST: &[Binding<Cmd>] = &[
    row(
        &[Key::plain(KeyCode::Enter)],
        "Enter",
        "the card in full",
        Cmd::Open,
    ),
    row(&[Key::plain(KeyCode::Up)], "↑ ↓", "choose a card", Cmd::Up),
    row(&[Key::plain(KeyCode::Down)], "↓", "", Cmd::Down),
    row(
        &[Key::ch('t')],
        "t",
        "filter by tag, one at a time",
        Cmd::Tag,
    ),
    row(&[Key::ch('k')], "k", "filter by kind", Cmd::Kind),
    row(&[Key::ch('l')], "l", "filter by level", Cmd::Level),
    row(&[Key::ch('d')], "d", "only the cards due today", Cmd::Due),
    row(
        &[Key::plain(KeyCode::PageUp)],
        "PgUp PgDn",
        "move by a page",
        Cmd::PageUp,
    ),
    row(&[Key::plain(KeyCode::PageDown)], "PgDn", "", Cmd::PageDown),
    row(
        &[Key::plain(KeyCode::Home)],
        "Home End",
        "first / last card",
        Cmd::Top,
    ),
    row(&[Key::plain(KeyCode::End)], "End", "", Cmd::Bottom),
    row(ESC, "Esc", "clear filters, else leave", Cmd::ClearFilters),
    row(ESC, "Esc", "", Cmd::Back),
    row(QUIT, "q", "leave (also Ctrl-C)", Cmd::Quit),
    row(HELP, "F1", "help", Cmd::Help),
];

/// One card in full. The way back comes first: the footer keeps it at any
/// width.
pub const CARD: &[Binding<Cmd>] = &[
    row(ESC, "Esc", "back to the list", Cmd::Back),
    row(&[Key::plain(KeyCode::Up)], "↑ ↓", "scroll", Cmd::Up),
    row(&[Key::plain(KeyCode::Down)], "↓", "", Cmd::Down),
    row(
        &[Key::plain(KeyCode::PageUp)],
        "PgUp PgDn",
        "scroll by a page",
        Cmd::PageUp,
    ),
    row(&[Key::plain(KeyCode::PageDown)], "PgDn", "", Cmd::PageDown),
    row(
        &[Key::plain(KeyCode::Home)],
        "Home End",
        "top / end of the card",
        Cmd::Top,
    ),
    row(&[Key::plain(KeyCode::End)], "End", "", Cmd::Bottom),
    row(
        &[Key::plain(KeyCode::Left)],
        "← →",
        "previous / next card",
        Cmd::Previous,
    ),
    row(&[Key::plain(KeyCode::Right)], "→", "", Cmd::Next),
    row(QUIT, "q", "leave (also Ctrl-C)", Cmd::Quit),
    row(HELP, "F1", "help", Cmd::Help),
];

/// Every key of both tables that F1 lists, once per label: what
/// docs/guide.md's table of deck keys lists.
pub fn all_keys() -> Vec<Binding<Cmd>> {
    let mut out: Vec<Binding<Cmd>> = Vec::new();
    for b in LIST.iter().chain(CARD).filter(|b| !b.help.is_empty()) {
        if !out.iter().any(|o| o.label == b.label) {
            out.push(*b);
        }
    }
    out
}

/// The rows F1 lists: those with words.
pub fn help_rows(table: &[Binding<Cmd>]) -> Vec<Binding<Cmd>> {
    table
        .iter()
        .filter(|b| !b.help.is_empty())
        .copied()
        .collect()
}

/// The deck view's state: the deck, the filters, the cards they keep, the
/// selection, the screen and the window size. Keys in, an exit out.
#[derive(Debug, Clone)]
pub struct DeckView {
    pub deck: Deck,
    filter: Filter,
    /// The cards the filters keep, as deck positions, in deck order.
    shown: Vec<usize>,
    /// A position in `shown` (0 when it is empty).
    selected: usize,
    pub screen: Screen,
    /// F1's help is open, scrolled this far.
    pub help: Option<u16>,
    width: u16,
    height: u16,
}

/// How the view ended by a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Left,
}

impl DeckView {
    /// The view on `deck` with the filters given on the command line, in a
    /// window `width` x `height`.
    pub fn new(deck: Deck, filter: Filter, width: u16, height: u16) -> DeckView {
        let shown = deck.chosen(&filter);
        DeckView {
            deck,
            filter,
            shown,
            selected: 0,
            screen: Screen::List,
            help: None,
            width,
            height,
        }
    }

    /// Opens card `card` (a deck position) in full, selecting it in the list
    /// when the filters keep it.
    pub fn open(&mut self, card: usize) {
        if card >= self.deck.len() {
            return;
        }
        if let Some(pos) = self.shown.iter().position(|&c| c == card) {
            self.selected = pos;
        }
        self.screen = Screen::Card { card, scroll: 0 };
    }

    pub fn filter(&self) -> &Filter {
        &self.filter
    }

    /// The cards shown, as deck positions.
    pub fn shown(&self) -> &[usize] {
        &self.shown
    }

    /// The selected position in [`DeckView::shown`].
    pub fn selected(&self) -> usize {
        self.selected
    }

    pub fn size(&self) -> (u16, u16) {
        (self.width, self.height)
    }

    pub fn resize(&mut self, width: u16, height: u16) {
        self.width = width;
        self.height = height;
        self.clamp();
    }

    /// The rows the list has room for (header, column names, status and
    /// footer take four).
    pub fn list_rows(&self) -> usize {
        usize::from(self.height.saturating_sub(4)).max(1)
    }

    /// The lines of a card in full, wrapped to this window: what the card
    /// screen scrolls through.
    pub fn page(&self, card: usize) -> Vec<(Part, String)> {
        page(&self.deck, card, self.width)
    }

    /// How far the card screen scrolls: its last line at the bottom.
    pub fn max_scroll(&self) -> u16 {
        match self.screen {
            Screen::Card { card, .. } => {
                let lines = self.page(card).len();
                let room = usize::from(self.body_height());
                // As the shared Scrolled measures it: a page taller than its
                // room gives one row to the position line.
                let max = if lines > room {
                    lines - room.saturating_sub(1)
                } else {
                    0
                };
                u16::try_from(max).unwrap_or(u16::MAX)
            }
            Screen::List => 0,
        }
    }

    /// The rows of the card screen between its header and footer.
    pub fn body_height(&self) -> u16 {
        self.height.saturating_sub(2).max(1)
    }

    /// The table of the screen showing.
    pub fn table(&self) -> &'static [Binding<Cmd>] {
        match self.screen {
            Screen::List => LIST,
            Screen::Card { .. } => CARD,
        }
    }

    /// What each command is right now: the footer's words, or off.
    pub fn hint(&self, cmd: Cmd) -> Hint {
        let any = !self.shown.is_empty();
        match (self.screen, cmd) {
            (_, Cmd::Help) => Hint::shown("help"),
            (_, Cmd::Quit) => Hint::shown("leave"),
            (Screen::List, Cmd::Open) if any => Hint::shown("open"),
            (Screen::List, Cmd::Up | Cmd::Down | Cmd::PageUp | Cmd::PageDown) if any => Hint::Quiet,
            (Screen::List, Cmd::Top | Cmd::Bottom) if any => Hint::Quiet,
            (Screen::List, Cmd::Tag) if !self.deck.tags_used().is_empty() => Hint::shown("tag"),
            (Screen::List, Cmd::Kind) => Hint::shown("kind"),
            (Screen::List, Cmd::Level) => Hint::shown("level"),
            (Screen::List, Cmd::Due) => Hint::shown("due"),
            (Screen::List, Cmd::ClearFilters) if !self.filter.is_empty() => Hint::shown("clear"),
            (Screen::List, Cmd::Back) if self.filter.is_empty() => Hint::Quiet,
            (Screen::Card { .. }, Cmd::Back) => Hint::shown("list"),
            // One footer entry for each pair of keys: the row that names both.
            (Screen::Card { .. }, Cmd::Up) if self.max_scroll() > 0 => Hint::shown("scroll"),
            (Screen::Card { .. }, Cmd::Down | Cmd::PageUp | Cmd::PageDown)
                if self.max_scroll() > 0 =>
            {
                Hint::Quiet
            }
            (Screen::Card { .. }, Cmd::Top | Cmd::Bottom) => Hint::Quiet,
            (Screen::Card { card, .. }, Cmd::Previous)
                if self.shown.len() > 1 && self.shown.contains(&card) =>
            {
                Hint::shown("other cards")
            }
            (Screen::Card { card, .. }, Cmd::Next)
                if self.shown.len() > 1 && self.shown.contains(&card) =>
            {
                Hint::Quiet
            }
            _ => Hint::Off,
        }
    }

    /// Handles one key; `Some` when the view is left.
    pub fn key(&mut self, key: KeyEvent) -> Option<Exit> {
        if key.kind != KeyEventKind::Press {
            return None;
        }
        if let Some(at) = self.help {
            // Help scrolls with the arrows; any other key closes it.
            let max = u16::try_from(help_rows(self.table()).len())
                .unwrap_or(u16::MAX)
                .saturating_sub(self.body_height());
            self.help = crate::tui::keys::scroll_key(&key, at, max);
            return None;
        }
        let cmd = lookup(self.table(), &key, |c| self.hint(c))?;
        self.run(cmd)
    }

    /// Carries out one command (what [`DeckView::key`] found for a key).
    pub fn run(&mut self, cmd: Cmd) -> Option<Exit> {
        if self.hint(cmd) == Hint::Off {
            return None;
        }
        let page = self.list_rows();
        let last = self.shown.len().saturating_sub(1);
        match (self.screen, cmd) {
            (_, Cmd::Quit) => return Some(Exit::Left),
            (_, Cmd::Help) => self.help = Some(0),
            (Screen::List, Cmd::Back) => return Some(Exit::Left),
            (Screen::List, Cmd::Open) => {
                if let Some(&card) = self.shown.get(self.selected) {
                    self.screen = Screen::Card { card, scroll: 0 };
                }
            }
            (Screen::List, Cmd::Up) => self.selected = self.selected.saturating_sub(1),
            (Screen::List, Cmd::Down) => self.selected = (self.selected + 1).min(last),
            (Screen::List, Cmd::PageUp) => self.selected = self.selected.saturating_sub(page),
            (Screen::List, Cmd::PageDown) => self.selected = (self.selected + page).min(last),
            (Screen::List, Cmd::Top) => self.selected = 0,
            (Screen::List, Cmd::Bottom) => self.selected = last,
            (Screen::List, Cmd::Tag) => {
                let used = self.deck.tags_used();
                let next = match self.filter.tags.as_slice() {
                    [] => used.first().copied(),
                    [one] => used
                        .iter()
                        .position(|t| t == one)
                        .and_then(|i| used.get(i + 1))
                        .copied(),
                    _ => None,
                };
                self.filter.tags = next.into_iter().collect();
                self.refilter();
            }
            (Screen::List, Cmd::Kind) => {
                self.filter.kind = match self.filter.kind {
                    None => Some(ScenarioKind::Withdrawal),
                    Some(ScenarioKind::Withdrawal) => Some(ScenarioKind::Confrontation),
                    Some(ScenarioKind::Confrontation) => None,
                };
                self.refilter();
            }
            (Screen::List, Cmd::Level) => {
                self.filter.level = match self.filter.level {
                    None => Some(Level::Beginner),
                    Some(Level::WarmUp | Level::Beginner) => Some(Level::Intermediate),
                    Some(Level::Intermediate) => Some(Level::Advanced),
                    Some(Level::Advanced) => None,
                };
                self.refilter();
            }
            (Screen::List, Cmd::Due) => {
                self.filter.due = !self.filter.due;
                self.refilter();
            }
            (Screen::List, Cmd::ClearFilters) => {
                self.filter = Filter::default();
                self.refilter();
            }
            (Screen::Card { .. }, Cmd::Back) => self.screen = Screen::List,
            (Screen::Card { card, scroll }, _) => {
                let max = self.max_scroll();
                let step = self.body_height().saturating_sub(1).max(1);
                let scroll = match cmd {
                    Cmd::Up => scroll.saturating_sub(1),
                    Cmd::Down => scroll.saturating_add(1).min(max),
                    Cmd::PageUp => scroll.saturating_sub(step),
                    Cmd::PageDown => scroll.saturating_add(step).min(max),
                    Cmd::Top => 0,
                    Cmd::Bottom => max,
                    _ => scroll,
                };
                self.screen = Screen::Card { card, scroll };
                if matches!(cmd, Cmd::Previous | Cmd::Next)
                    && let Some(pos) = self.shown.iter().position(|&c| c == card)
                {
                    let pos = if cmd == Cmd::Previous {
                        pos.checked_sub(1).unwrap_or(last)
                    } else if pos >= last {
                        0
                    } else {
                        pos + 1
                    };
                    self.selected = pos;
                    self.screen = Screen::Card {
                        card: self.shown[pos],
                        scroll: 0,
                    };
                }
            }
            _ => {}
        }
        None
    }

    /// The filters changed: the same card stays selected when it is still
    /// shown, else the one now at its place.
    fn refilter(&mut self) {
        let was = self.shown.get(self.selected).copied();
        self.shown = self.deck.chosen(&self.filter);
        self.selected = match was {
            Some(card) => self
                .shown
                .iter()
                .position(|&c| c >= card)
                .unwrap_or(self.shown.len().saturating_sub(1)),
            None => 0,
        };
        self.clamp();
    }

    fn clamp(&mut self) {
        self.selected = self.selected.min(self.shown.len().saturating_sub(1));
        if let Screen::Card { card, scroll } = self.screen {
            let max = self.max_scroll();
            self.screen = Screen::Card {
                card,
                scroll: scroll.min(max),
            };
        }
    }

    /// A short line under the list: why there is no practice history, or
    /// where the drill's level stands.
    pub fn status(&self) -> Option<String> {
        match self.deck.history {
            History::NotUnlocked => {
                Some("No practice history shown: the passphrase was not given.".into())
            }
            History::Read => self.deck.levels_line(),
        }
    }
}

/// The reading width the card screen wraps to (the walk's, centred).
pub fn text_width(width: u16) -> u16 {
    crate::tui::history::page::text_width(width)
}

/// Card `card` of `deck` in full, wrapped to a window `width` wide: the
/// model's scroll and the view's drawing use these same lines.
pub fn page(deck: &Deck, card: usize, width: u16) -> Vec<(Part, String)> {
    let width = usize::from(text_width(width));
    let mut out = Vec::new();
    for (part, text) in deck.full(card) {
        // Wrapped lines keep under their own text: a model's after its
        // number, a criterion under the model, a pitfall after its dash.
        let (lead, indent) = match part {
            Part::Meets => (5, 5),
            Part::Model => (0, 3),
            Part::Pitfall => (0, 2),
            _ => (0, 0),
        };
        if text.is_empty() {
            out.push((part, String::new()));
            continue;
        }
        let wrapped = crate::tui::history::page::wrap(&text, width, indent);
        for (n, line) in wrapped.into_iter().enumerate() {
            // The first line starts at `lead`, the rest at `indent`.
            let line = if n == 0 {
                format!("{}{}", " ".repeat(lead), &line[indent..])
            } else {
                line
            };
            out.push((part, line));
        }
    }
    out
}

struct Viewer<'a> {
    model: &'a mut DeckView,
    theme: Theme,
}

impl Program for Viewer<'_> {
    type Output = Ended<Exit>;

    fn draw(&mut self, frame: &mut Frame, _now: Instant) {
        view::draw(frame, self.model, &self.theme);
    }

    fn deadline(&self, _now: Instant) -> Option<Instant> {
        None
    }

    fn handle(&mut self, input: Input, _now: Instant) -> Option<Ended<Exit>> {
        if let Ok((width, height)) = ratatui::crossterm::terminal::size() {
            self.model.resize(width, height);
        }
        match input {
            Input::Key(key) => self.model.key(key).map(Ended::Done),
            Input::Signal(number) => Some(Ended::Signal {
                number,
                kept: Kept::default(),
            }),
            Input::Paste(_) | Input::Resize | Input::Tick => None,
        }
    }

    fn rescue(&mut self, error: io::Error, _now: Instant) -> Ended<Exit> {
        // The view only reads: nothing is held that could be lost.
        Ended::Failed {
            error,
            kept: Kept::default(),
        }
    }
}

/// Runs the deck view full screen until it is left (or a signal comes, or
/// the terminal fails).
pub fn run(model: &mut DeckView, theme: Theme) -> io::Result<Ended<Exit>> {
    if let Ok((width, height)) = ratatui::crossterm::terminal::size() {
        model.resize(width, height);
    }
    let mut viewer = Viewer { model, theme };
    terminal::run(&mut viewer, &theme)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use proptest::prelude::*;
    use ratatui::crossterm::event::KeyModifiers;

    fn deck() -> Deck {
        Deck::without_history(
            crate::protocol::builtin(),
            NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        )
    }

    /// The built-in deck with a drill of its first `n` cards on each of
    /// the days given (some cards due, some not, some new).
    fn practised(days: &[u32], n: usize) -> Deck {
        use crate::journal::{DrillCardRecord, Extra, Session, SessionMode, fixtures};
        let protocol = crate::protocol::builtin();
        let sessions: Vec<Session> = days
            .iter()
            .map(|&d| Session {
                extra: Extra {
                    drill_cards: protocol.scenarios[..n]
                        .iter()
                        .enumerate()
                        .map(|(i, c)| DrillCardRecord {
                            rating: ((d as usize + i) % 11) as u8,
                            ..fixtures::drill_card(&c.id)
                        })
                        .collect(),
                    ..Extra::default()
                },
                ..fixtures::on_day(SessionMode::Drill, &format!("2026-11-{d:02}"))
            })
            .collect();
        Deck::new(
            protocol,
            &sessions,
            crate::practice::level::LevelRule::default(),
            NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            History::Read,
        )
    }

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn enter_opens_the_selected_card_esc_goes_back_and_q_leaves() {
        let mut v = DeckView::new(deck(), Filter::default(), 80, 24);
        v.key(press(KeyCode::Down));
        v.key(press(KeyCode::Enter));
        assert_eq!(v.screen, Screen::Card { card: 1, scroll: 0 });
        v.key(press(KeyCode::Right));
        assert_eq!(v.screen, Screen::Card { card: 2, scroll: 0 });
        v.key(press(KeyCode::Esc));
        assert_eq!((v.screen, v.selected()), (Screen::List, 2));
        assert_eq!(v.key(press(KeyCode::Char('q'))), Some(Exit::Left));
    }

    #[test]
    fn esc_clears_the_filters_first_and_keeps_the_card_selected() {
        let mut v = DeckView::new(deck(), Filter::default(), 80, 24);
        v.key(press(KeyCode::Char('k')));
        v.key(press(KeyCode::Char('k')));
        assert_eq!(v.filter().kind, Some(ScenarioKind::Confrontation));
        v.key(press(KeyCode::Down));
        let card = v.shown()[v.selected()];
        assert_eq!(v.key(press(KeyCode::Esc)), None);
        assert!(v.filter().is_empty());
        assert_eq!(v.shown()[v.selected()], card);
        assert_eq!(v.key(press(KeyCode::Esc)), Some(Exit::Left));
    }

    #[test]
    fn the_tag_key_steps_through_the_tags_in_use_then_none() {
        let mut v = DeckView::new(deck(), Filter::default(), 80, 24);
        let used = v.deck.tags_used();
        for tag in &used {
            v.key(press(KeyCode::Char('t')));
            assert_eq!(v.filter().tags, [*tag]);
        }
        v.key(press(KeyCode::Char('t')));
        assert!(v.filter().tags.is_empty());
    }

    fn any_key() -> impl Strategy<Value = KeyEvent> {
        prop_oneof![
            Just(press(KeyCode::Enter)),
            Just(press(KeyCode::Esc)),
            Just(press(KeyCode::Up)),
            Just(press(KeyCode::Down)),
            Just(press(KeyCode::Left)),
            Just(press(KeyCode::Right)),
            Just(press(KeyCode::PageUp)),
            Just(press(KeyCode::PageDown)),
            Just(press(KeyCode::Home)),
            Just(press(KeyCode::End)),
            Just(press(KeyCode::F(1))),
            Just(press(KeyCode::Char('t'))),
            Just(press(KeyCode::Char('k'))),
            Just(press(KeyCode::Char('l'))),
            Just(press(KeyCode::Char('d'))),
            Just(press(KeyCode::Char('x'))),
        ]
    }

    fn any_filter(tags: usize) -> impl Strategy<Value = Filter> {
        (
            proptest::collection::vec(0..tags, 0..3),
            proptest::option::of(0usize..2),
            proptest::option::of(0usize..3),
            any::<bool>(),
        )
            .prop_map(|(tags, kind, level, due)| Filter {
                tags: tags
                    .into_iter()
                    .map(|i| crate::protocol::Tag::ALL[i])
                    .collect(),
                kind: kind.map(|i| ScenarioKind::ALL[i]),
                level: level.map(|i| Level::ALL[i]),
                due,
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::practice::proptest_cases(48)))]
        /// Random start filters, keys and window sizes (drawn too): nothing
        /// panics, the selection is always a shown card, the card screen
        /// shows a card of the deck and never scrolls past its end, and the
        /// shown cards are exactly those the filter keeps.
        #[test]
        fn the_view_never_panics_and_the_selection_stays_in_range(
            filter in any_filter(crate::protocol::Tag::ALL.len()),
            steps in proptest::collection::vec(
                (any_key(), proptest::option::of((1u16..220, 1u16..70))),
                0..50,
            ),
            size in (1u16..220, 1u16..70),
            with_history in any::<bool>(),
            days in proptest::collection::vec(1u32..=30, 0..4),
            cards in 0usize..40,
        ) {
            use ratatui::{Terminal, backend::TestBackend};
            let deck = if with_history { practised(&days, cards) } else { deck() };
            let mut v = DeckView::new(deck, filter, size.0, size.1);
            for (key, resize) in steps {
                if let Some((w, h)) = resize {
                    v.resize(w, h);
                }
                let left = v.key(key).is_some();
                prop_assert!(v.shown().is_empty() || v.selected() < v.shown().len());
                let kept = v.deck.chosen(v.filter());
                prop_assert_eq!(v.shown(), kept.as_slice());
                if let Screen::Card { card, scroll } = v.screen {
                    prop_assert!(card < v.deck.len());
                    prop_assert!(scroll <= v.max_scroll());
                }
                let (w, h) = v.size();
                let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
                t.draw(|f| view::draw(f, &v, &Theme::monochrome())).unwrap();
                if left {
                    break;
                }
            }
        }
    }
}
