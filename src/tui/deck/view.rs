//! Drawing the deck view: the list of cards in columns (as many as the
//! window has room for, the card's id and when it is due first), and one
//! card in full, scrolled. Views only read the model; footers and F1 come
//! from its key tables; every text from the protocol passes
//! [`crate::sanitize`] (in [`crate::practice::deck`] or here).

use chrono::{Datelike, NaiveDate};
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{DeckView, Screen, help_rows};
use crate::practice::deck::{Due, Part, ratings_short};
use crate::sanitize::one_line;
use crate::tui::keys;
use crate::tui::theme::Theme;
use crate::tui::widgets::scrolled::Scrolled;
use crate::tui::widgets::stack::{self, Part as Cut};
use crate::tui::widgets::{ellipsize, fits, more_sign, reading};

pub fn draw(frame: &mut Frame, model: &DeckView, theme: &Theme) {
    if !fits(frame, theme) {
        return;
    }
    let area = frame.area();
    if let Some(scroll) = model.help {
        help(frame, area, model, scroll, theme);
        return;
    }
    match model.screen {
        Screen::List => list(frame, area, model, theme),
        Screen::Card { card, scroll } => card_page(frame, area, model, card, scroll, theme),
    }
}

fn footer(frame: &mut Frame, area: Rect, model: &DeckView, theme: &Theme) {
    let line = keys::footer(model.table(), area.width, theme, |c| model.hint(c));
    frame.render_widget(Paragraph::new(line), area);
}

/// `text` cut or padded to exactly `width` columns.
fn fit(text: &str, width: usize) -> String {
    let text = ellipsize(text, width);
    let pad = width.saturating_sub(Span::raw(text.as_str()).width());
    format!("{text}{}", " ".repeat(pad))
}

/// A list column: its heading, width, and what a card shows in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Id,
    Kind,
    Level,
    Tags,
    Last,
    Rated,
    Due,
    /// The client's statement, in a window wide enough for it.
    Client,
}

impl Column {
    fn heading(self) -> &'static str {
        match self {
            Column::Id => "Card",
            Column::Kind => "Kind",
            Column::Level => "Level",
            Column::Tags => "Tags",
            Column::Last => "Last",
            Column::Rated => "Rated",
            Column::Due => "Due",
            Column::Client => "Client",
        }
    }

    /// The width it takes (the flexible ones their least).
    fn width(self) -> usize {
        match self {
            Column::Id => 16,
            Column::Kind => 13,
            Column::Level => 12,
            Column::Tags => 12,
            Column::Last => 6,
            Column::Rated => 9,
            Column::Due => 12,
            Column::Client => 20,
        }
    }
}

/// The columns a list `width` wide shows, in screen order, with their
/// widths: the id and when it is due always; then the level, the kind, the
/// ratings, the last day and the tags as room allows. The id grows up to
/// 28 columns and the tags up to 36; what is left, when it is enough,
/// shows the client's statement.
fn columns(width: usize) -> Vec<(Column, usize)> {
    use Column::*;
    let gap = 1;
    let mut chosen = vec![Id, Due];
    let mut used = Id.width() + Due.width() + gap;
    for extra in [Level, Kind, Rated, Last, Tags] {
        if used + gap + extra.width() <= width {
            chosen.push(extra);
            used += gap + extra.width();
        }
    }
    let mut spare = width.saturating_sub(used);
    let order = [Id, Kind, Level, Tags, Last, Rated, Due];
    let mut out: Vec<(Column, usize)> = order
        .iter()
        .filter(|c| chosen.contains(c))
        .map(|&c| (c, c.width()))
        .collect();
    // The id first, up to 28, then the tags take the rest.
    if let Some(id) = out.iter_mut().find(|(c, _)| *c == Id) {
        let more = spare.min(12);
        id.1 += more;
        spare -= more;
    }
    if let Some(tags) = out.iter_mut().find(|(c, _)| *c == Tags) {
        let more = spare.min(24);
        tags.1 += more;
        spare -= more;
        if spare > Client.width() + gap {
            out.push((Client, spare - gap));
            spare = 0;
        } else {
            tags.1 += spare;
            spare = 0;
        }
    }
    if spare > 0
        && let Some(id) = out.iter_mut().find(|(c, _)| *c == Id)
    {
        id.1 = (id.1 + spare).min(width.saturating_sub(Due.width() + gap));
    }
    out
}

/// A day as short as it reads: `24 Nov`, or `Nov 2025` in another year.
fn short_day(day: NaiveDate, today: NaiveDate) -> String {
    if day.year() == today.year() {
        day.format("%-d %b").to_string()
    } else {
        day.format("%b %Y").to_string()
    }
}

/// What card `i` shows in `column`.
fn cell(model: &DeckView, i: usize, column: Column) -> String {
    let deck = &model.deck;
    let card = deck.card(i);
    let today = deck.today;
    match column {
        Column::Id => one_line(&card.id).into_owned(),
        Column::Kind => card.kind.as_str().into(),
        Column::Level => card.level.as_str().into(),
        Column::Tags => {
            let tags: Vec<&str> = card.tags.iter().map(|t| t.as_str()).collect();
            tags.join(", ")
        }
        Column::Last => deck
            .practised(i)
            .map_or(String::new(), |p| short_day(p.last, today)),
        Column::Rated => deck
            .practised(i)
            .map_or(String::new(), |p| ratings_short(&p.ratings, 3)),
        Column::Client => format!("“{}”", one_line(&card.client)),
        Column::Due => match deck.due(i) {
            Due::New => "new".into(),
            // The column is headed "Due": a day alone is when it will be.
            Due::Now { since } if since == today => "today".into(),
            Due::Now { since } => format!("since {}", short_day(since, today)),
            Due::Later(day) => short_day(day, today),
            Due::Unknown => "–".into(),
        },
    }
}

fn row_text(model: &DeckView, i: usize, columns: &[(Column, usize)]) -> String {
    columns
        .iter()
        .map(|&(c, w)| fit(&cell(model, i, c), w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The header: the title, what is shown, and the filters, cut to fit.
fn heading(model: &DeckView, theme: &Theme) -> Vec<Span<'static>> {
    let total = model.deck.len();
    let count = model.shown().len();
    let mut spans = vec![Span::styled("Deck", theme.title())];
    let shown = if model.filter().is_empty() {
        format!(" · {}", crate::words::count(total, "card", "cards"))
    } else {
        format!(" · {count} of {total}")
    };
    spans.push(Span::styled(shown, theme.dim()));
    if let Some(words) = model.filter().words() {
        spans.push(Span::styled(format!(" · {words}"), theme.step()));
    }
    spans
}

fn list(frame: &mut Frame, area: Rect, model: &DeckView, theme: &Theme) {
    let [top, names, body, status, foot] = stack::rows(
        area,
        [
            Cut::Fixed(1),
            Cut::Fixed(1),
            Cut::AtLeast(1),
            Cut::Fixed(1),
            Cut::Fixed(1),
        ],
    );
    let width = usize::from(area.width.saturating_sub(2));
    let columns = columns(width);
    let rows = usize::from(body.height);
    let count = model.shown().len();
    let selected = model.selected();
    let offset = (selected + 1).saturating_sub(rows);
    let end = (offset + rows).min(count);
    // Cards out of sight are said at the header's right, as in the notes
    // browser; where even the short sign does not fit, the header is cut.
    let spans = heading(model, theme);
    let text: String = spans.iter().map(|s| s.content.as_ref()).collect();
    let used = Span::raw(text.as_str()).width();
    let sign = more_sign(
        offset,
        rows,
        count,
        usize::from(top.width).saturating_sub(used + 1),
    );
    let sign_width = if sign.is_empty() {
        0
    } else {
        Span::raw(sign.as_str()).width() + 1
    };
    let room = usize::from(top.width).saturating_sub(sign_width);
    let header = if used <= room {
        Line::from(spans)
    } else {
        Line::styled(ellipsize(&text, room), theme.title())
    };
    frame.render_widget(Paragraph::new(header), top);
    if !sign.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled(sign, theme.dim())).alignment(Alignment::Right),
            top,
        );
    }
    let names_text = columns
        .iter()
        .map(|&(c, w)| fit(c.heading(), w))
        .collect::<Vec<_>>()
        .join(" ");
    frame.render_widget(
        Paragraph::new(Line::styled(format!("  {names_text}"), theme.dim())),
        names,
    );
    let mut lines: Vec<Line> = Vec::with_capacity(rows);
    for pos in offset..end {
        let i = model.shown()[pos];
        let text = row_text(model, i, &columns);
        lines.push(crate::tui::widgets::list_row(text, pos == selected, theme));
    }
    if count == 0 {
        let empty =
            if model.filter().due && model.deck.history != crate::practice::deck::History::Read {
                "Nothing is due: no practice history was read."
            } else if model.filter().due {
                "No card is due today. Esc clears the filters."
            } else {
                "No card matches the filters. Esc clears them."
            };
        lines.push(Line::styled(
            ellipsize(empty, usize::from(body.width)),
            theme.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), body);
    if let Some(text) = model.status() {
        let style = match model.deck.history {
            crate::practice::deck::History::Read => theme.dim(),
            crate::practice::deck::History::NotUnlocked => theme.warn(),
        };
        frame.render_widget(
            Paragraph::new(Line::styled(
                ellipsize(&text, usize::from(status.width)),
                style,
            )),
            status,
        );
    }
    footer(frame, foot, model, theme);
}

fn style_of(part: Part, theme: &Theme) -> Style {
    match part {
        Part::Title => theme.title(),
        Part::Heading => theme.step(),
        Part::Warn => theme.warn(),
        Part::Client | Part::Model => theme.stem(),
        Part::Meets => theme.dim(),
        Part::Text | Part::Pitfall | Part::Gap => Style::default(),
    }
}

fn card_page(
    frame: &mut Frame,
    area: Rect,
    model: &DeckView,
    card: usize,
    scroll: u16,
    theme: &Theme,
) {
    let [top, body, foot] = stack::rows(area, [Cut::Fixed(1), Cut::AtLeast(1), Cut::Fixed(1)]);
    let lines: Vec<Line> = model
        .page(card)
        .into_iter()
        .map(|(part, text)| Line::styled(text, style_of(part, theme)))
        .collect();
    let place = model
        .shown()
        .iter()
        .position(|&c| c == card)
        .map(|pos| format!(" · {} of {}", pos + 1, model.shown().len()))
        .unwrap_or_default();
    let title = format!("Deck · {}{place}", one_line(&model.deck.card(card).id));
    frame.render_widget(
        Paragraph::new(Line::styled(
            ellipsize(&title, usize::from(top.width)),
            theme.title(),
        )),
        top,
    );
    // The one scrolling pane every view draws through: its position line
    // reads as the walk's and the drill's do.
    Scrolled::new(lines)
        .offset(scroll)
        .style(theme.dim())
        .draw(reading(body), frame.buffer_mut());
    footer(frame, foot, model, theme);
}

fn help(frame: &mut Frame, area: Rect, model: &DeckView, scroll: u16, theme: &Theme) {
    let [top, body, foot] = stack::rows(area, [Cut::Fixed(1), Cut::AtLeast(1), Cut::Fixed(1)]);
    let what = match model.screen {
        Screen::List => "the list of cards",
        Screen::Card { .. } => "a card in full",
    };
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled("Keys", theme.title()),
            Span::styled(format!(" · {what}"), theme.dim()),
        ])),
        top,
    );
    let lines: Vec<Line> = keys::help_lines(&help_rows(model.table()), theme)
        .into_iter()
        .skip(usize::from(scroll))
        .take(usize::from(body.height))
        .collect();
    frame.render_widget(Paragraph::new(lines), reading(body));
    frame.render_widget(
        Paragraph::new(Line::styled(
            ellipsize("↑ ↓ scroll · other keys close it", usize::from(foot.width)),
            theme.dim(),
        )),
        foot,
    );
}
