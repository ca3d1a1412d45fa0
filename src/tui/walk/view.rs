//! The walk-through view: the step rail, the step's guidance, prompts and
//! stems, and the pause or the notes editor. Text is never wider than
//! [`READING_WIDTH`]: a wide window centres it, and from about 120 columns
//! the rail stands on the left and the notes (or the pause) on the right.

use std::time::Instant;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Paragraph, Wrap};

use super::pause;
use crate::journal::StepStatus;
use crate::practice::Stage;
use crate::sanitize::for_screen;
use crate::tui::theme::Theme;
use crate::tui::walk::model::{App, Measured};
use crate::tui::widgets::scrolled::Scrolled;
use crate::tui::widgets::stack::{self, Part};
use crate::tui::widgets::{
    READING_WIDTH, ellipsize, ellipsize_line, mark_cut, reading, ruled, width_of, wrap_indented,
};
use crate::tui::{keys, walk::keys::WALK};

/// From this width the rail, the guidance and the notes stand side by side.
pub const TWO_COLUMNS: u16 = 120;
/// The rail's width in the wide layout (more when the window has room to
/// spare and a step's title needs it).
const RAIL_WIDTH: u16 = 28;

/// What the notes ask for, shown where they are written.
pub const NOTES_INSTRUCTION: &str =
    "About you and the moment. No names, nothing that identifies a client.";

/// The notes pane's title with the instruction in it, where it fits; the
/// short one for narrow windows.
const NOTES_TITLE_LONG: &str =
    " Your notes · about you and the moment; nothing that identifies a client ";
const NOTES_TITLE_SHORT: &str = " Notes · about you; no client names ";

/// Whether the notes pane's title carries the instruction at this width.
fn instruction_in_title(width: u16) -> bool {
    width_of(NOTES_TITLE_LONG) + 2 <= usize::from(width)
}

pub fn draw(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    theme: &Theme,
    now: Instant,
    m: &mut Measured,
) {
    m.rail_hits.clear();
    if area.width >= TWO_COLUMNS && area.height >= 20 {
        draw_wide(frame, area, app, theme, now, m);
    } else {
        draw_narrow(frame, area, app, theme, now, m);
    }
}

/// Up to 119 columns: one column, centred, the rail as symbols on the
/// second line.
fn draw_narrow(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    theme: &Theme,
    now: Instant,
    m: &mut Measured,
) {
    let area = reading(area);
    let status = status_lines(
        app,
        theme,
        if area.height >= 16 { 2 } else { 1 },
        area.width,
    );
    let [header, status_rows, body, footer] = stack::rows(
        area,
        [
            Part::Fixed(2),
            Part::Fixed(status.len() as u16),
            Part::Rest,
            Part::Fixed(1),
        ],
    );
    draw_header(frame, header, app, theme, true, m);
    draw_status(frame, status_rows, status);
    // The pause needs only a few rows (more, with big digits, where the
    // window is tall); the notes start small and grow with what is written,
    // so the stems stay in view. At least four rows of guidance stay.
    let lower = match app.walk.state().stage {
        Stage::Offer => pause::OFFER_HEIGHT,
        Stage::Pausing(_) if body.height >= 30 => pause::BIG_HEIGHT,
        Stage::Pausing(_) => pause::RUNNING_HEIGHT,
        Stage::Notes => notes_height(app, body.width).min(body.height / 2).max(3),
    }
    .min(body.height.saturating_sub(4));
    let [upper, lower] = stack::rows(body, [Part::Rest, Part::Fixed(lower)]);
    draw_guidance(frame, upper, app, theme, m);
    draw_lower(frame, lower, app, theme, now);
    frame.render_widget(
        Paragraph::new(footer_line(app, footer.width, theme)),
        footer,
    );
}

/// 120 columns and more: the rail on the left, the guidance in the middle,
/// the notes or the pause on the right.
fn draw_wide(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    theme: &Theme,
    now: Instant,
    m: &mut Measured,
) {
    // The rail and two reading columns, centred when the window is wider;
    // room to spare goes first to the rail, so step titles are not cut.
    let columns = 2 + READING_WIDTH + 2 + READING_WIDTH;
    let titles = (0..app.walk.len())
        .map(|pos| width_of(&for_screen(&app.walk.step_at(pos).title)))
        .max()
        .unwrap_or(0) as u16;
    let rail_width = (titles + 6)
        .min(area.width.saturating_sub(columns))
        .max(RAIL_WIDTH);
    let most = rail_width + columns;
    let area = Rect {
        x: area.x + area.width.saturating_sub(most) / 2,
        width: area.width.min(most),
        ..area
    };
    let [main, footer] = stack::rows(area, [Part::Rest, Part::Fixed(1)]);
    let [rail, _, middle, _, right] = Layout::horizontal([
        Constraint::Length(rail_width),
        Constraint::Length(2),
        Constraint::Fill(1),
        Constraint::Length(2),
        Constraint::Fill(1),
    ])
    .areas(main);
    let middle = Rect {
        width: middle.width.min(READING_WIDTH),
        ..middle
    };
    let right = Rect {
        width: right.width.min(READING_WIDTH),
        ..right
    };
    draw_rail(frame, rail, app, theme, m);
    // A tall window has room for a notice wrapped over more lines.
    let room = if area.height >= 30 { 4 } else { 2 };
    let status = status_lines(app, theme, room, middle.width);
    let [header, status_rows, guidance] = stack::rows(
        middle,
        [Part::Fixed(2), Part::Fixed(status.len() as u16), Part::Rest],
    );
    draw_header(frame, header, app, theme, false, m);
    draw_status(frame, status_rows, status);
    draw_guidance(frame, guidance, app, theme, m);
    let right = Rect {
        y: right.y + 2,
        height: right.height.saturating_sub(2),
        ..right
    };
    let right = match app.walk.state().stage {
        // The offer sits at the top; a running pause is centred in its column.
        Stage::Offer => Rect {
            height: pause::OFFER_HEIGHT.min(right.height),
            ..right
        },
        _ => right,
    };
    draw_lower(frame, right, app, theme, now);
    let footer = Rect {
        x: area.x + rail_width + 2,
        width: area.width.saturating_sub(rail_width + 2),
        ..footer
    };
    frame.render_widget(
        Paragraph::new(footer_line(app, footer.width, theme)),
        footer,
    );
}

fn draw_lower(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, now: Instant) {
    match &app.walk.state().stage {
        Stage::Offer => pause::offer(frame, area, app, theme),
        Stage::Pausing(timer) => pause::running(frame, area, app, timer, theme, now),
        Stage::Notes => draw_notes(frame, area, app, theme),
    }
}

/// The footer: the quit question's keys while it is open, else the walk's.
fn footer_line(app: &App, width: u16, theme: &Theme) -> Line<'static> {
    if app.screen == crate::tui::walk::model::WalkScreen::ConfirmQuit {
        use crate::tui::walk::keys::QUIT;
        return keys::footer(QUIT, width, theme, |c| app.quit_hint(c));
    }
    keys::footer(WALK, width, theme, |c| app.walk_hint(c))
}

/// The lines under the header: a problem first, else the start screen's
/// offer of this month's step and its quiet notice, one line for each thing
/// it offers (follow-ups waiting, an unfinished walk, cards due), so every
/// offer and its key stays readable. The step's offer takes two lines only
/// when `room` holds them and the notice; the notice gets up to two lines
/// more than `room`, and an offer too long for its line wraps where those
/// lines leave room (else it is cut, its key kept).
fn status_lines(app: &App, theme: &Theme, room: usize, width: u16) -> Vec<Line<'static>> {
    if let Some(message) = app.status_line() {
        return vec![Line::styled(for_screen(message).into_owned(), theme.warn())];
    }
    let mut lines = Vec::new();
    let offers: Vec<&str> = match app.notice.as_ref() {
        Some((text, _)) if !app.walk.has_begun() => {
            text.lines().filter(|l| !l.trim().is_empty()).collect()
        }
        _ => Vec::new(),
    };
    let notice = offers.len();
    // Each offer wrapped to fit, and how many lines more that takes.
    let wrapped: Vec<Vec<Line<'static>>> = offers
        .iter()
        .map(|offer| notice_lines(offer, width, room >= 2, theme))
        .collect();
    let extra: usize = wrapped.iter().map(|w| w.len() - 1).sum();
    if let Some(step) = app.focus_offer() {
        let title = for_screen(&step.title).into_owned();
        let walk_all = app.all_steps().replacen("walk", "walks", 1);
        let wide = format!("This month: {title}. Enter practises it; Tab {walk_all}.");
        let split = format!("This month: {title}.");
        let keys_line = format!("Enter practises it; Tab {walk_all}.");
        let fits = |text: &str| width_of(text) <= usize::from(width);
        if !fits(&wide) && room >= 2 + notice + extra && fits(&split) && fits(&keys_line) {
            // Too long for one line but room for two: the step, then the keys.
            lines.push(Line::styled(split, theme.title()));
            lines.push(Line::from(vec![
                Span::styled("Enter", theme.key()),
                Span::raw(" practises it; "),
                Span::styled("Tab", theme.key()),
                Span::raw(format!(" {walk_all}.")),
            ]));
        } else {
            lines.push(if fits(&wide) {
                Line::from(vec![
                    Span::styled(format!("This month: {title}. "), theme.title()),
                    Span::styled("Enter", theme.key()),
                    Span::raw(" practises it; "),
                    Span::styled("Tab", theme.key()),
                    Span::raw(format!(" {walk_all}.")),
                ])
            } else {
                // Narrow: the key first, so it is never what gets cut.
                Line::from(vec![
                    Span::styled("Enter", theme.key()),
                    Span::raw(" practises this month's: "),
                    Span::styled(title, theme.title()),
                ])
            });
        }
    }
    // Lines to spare under the limit go to offers that wrap, in order.
    let limit = room + 2;
    let mut spare = limit.saturating_sub(lines.len() + notice);
    for (offer, wrapped) in offers.into_iter().zip(wrapped) {
        if wrapped.len() - 1 <= spare {
            spare -= wrapped.len() - 1;
            lines.extend(wrapped);
        } else {
            lines.extend(notice_lines(offer, width, false, theme));
        }
    }
    lines.truncate(limit);
    lines
}

/// One offer of the start screen's notice, `what · KEY words`: one line
/// where it fits, the key in its own style; else, with `tall` room, two
/// lines (the key's on the second, indented); else the key first
/// ("Ctrl-R resumes it: Unfinished from…") so the cut never takes it.
fn notice_lines(text: &str, width: u16, tall: bool, theme: &Theme) -> Vec<Line<'static>> {
    let text = for_screen(text).into_owned();
    let Some((what, offer)) = text
        .rsplit_once(" · ")
        .filter(|(_, offer)| offer.starts_with("Ctrl-"))
    else {
        return vec![Line::styled(text, theme.dim())];
    };
    let (key, words) = offer.split_once(' ').unwrap_or((offer, ""));
    let fits = |text: &str| width_of(text) <= usize::from(width);
    let offered = |lead: &str| {
        Line::from(vec![
            Span::styled(lead.to_owned(), theme.dim()),
            Span::styled(key.to_owned(), theme.key()),
            Span::styled(format!(" {words}"), theme.dim()),
        ])
    };
    if fits(&text) {
        vec![offered(&format!("{what} · "))]
    } else if tall && fits(&format!("  {offer}")) {
        let mut lines = wrap_indented(what, width, "", theme.dim());
        if lines.len() > 2 {
            lines.truncate(2);
            if let Some(last) = lines.pop() {
                lines.push(mark_cut(last, usize::from(width)));
            }
        }
        lines.push(offered("  "));
        lines
    } else {
        vec![Line::from(vec![
            Span::styled(key.to_owned(), theme.key()),
            Span::styled(format!(" {words}: {what}"), theme.dim()),
        ])]
    }
}

fn draw_status(frame: &mut Frame, area: Rect, lines: Vec<Line<'static>>) {
    let lines: Vec<Line> = lines
        .into_iter()
        .map(|l| ellipsize_line(l, usize::from(area.width)))
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

/// The symbol and style of a step's state on the rail: symbols as well as
/// colour, so the states read without colour too.
fn marker(app: &App, pos: usize, theme: &Theme) -> (char, Style) {
    if pos == app.walk.position() {
        return ('●', theme.step());
    }
    match app.walk.status_at(pos) {
        StepStatus::Done => ('✓', theme.gauge()),
        StepStatus::Skipped => ('–', theme.dim()),
        StepStatus::FollowUp => ('↻', theme.key()),
        StepStatus::NotReached => ('○', theme.dim()),
        // Only a file from a newer version has another word.
        StepStatus::Other(_) => ('?', theme.dim()),
    }
}

/// The rail's legend, for the wide layout and the help.
pub const LEGEND: &str = "● here  ✓ done  – skipped  ↻ follow-up  ○ not yet";

fn draw_header(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    theme: &Theme,
    with_rail: bool,
    m: &mut Measured,
) {
    let walk = &app.walk;
    let drill = if walk.drill().is_some() {
        " (one step)"
    } else {
        ""
    };
    let progress = format!("Step {} of {}{drill}", walk.position() + 1, walk.len());
    let [top, bottom] = stack::rows(area, [Part::Fixed(1), Part::Fixed(1)]);
    let room = usize::from(top.width).saturating_sub(width_of(&progress) + 1);
    let title = ellipsize(&for_screen(&walk.protocol().title), room);
    let [left, right] = stack::columns(top, [Part::Rest, Part::Fixed(width_of(&progress) as u16)]);
    frame.render_widget(Paragraph::new(Span::styled(title, theme.title())), left);
    frame.render_widget(Paragraph::new(progress).right_aligned(), right);
    // The step's title, and in one column the rail as symbols after it.
    let mut spans = Vec::new();
    let mut used = 0;
    if with_rail && walk.len() > 1 {
        for pos in 0..walk.len() {
            let (symbol, style) = marker(app, pos, theme);
            spans.push(Span::styled(symbol.to_string(), style));
            let cell = Rect::new(bottom.x + pos as u16, bottom.y, 1, 1).intersection(bottom);
            m.rail_hits.push((cell, pos));
            used += 1;
        }
        spans.push(Span::raw(" "));
        used += 1;
    }
    let step_title = ellipsize(
        &for_screen(&walk.step().title),
        usize::from(bottom.width).saturating_sub(used),
    );
    spans.push(Span::styled(step_title, theme.step()));
    frame.render_widget(Paragraph::new(Line::from(spans)), bottom);
}

/// The wide layout's rail: every step with its state and number.
fn draw_rail(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, m: &mut Measured) {
    let walk = &app.walk;
    let mut lines = vec![Line::styled("Steps", theme.title()), Line::default()];
    for pos in 0..walk.len() {
        let (symbol, style) = marker(app, pos, theme);
        let title = ellipsize(
            &for_screen(&walk.step_at(pos).title),
            usize::from(area.width).saturating_sub(6),
        );
        let title_style = if pos == walk.position() {
            theme.step()
        } else {
            Style::default()
        };
        lines.push(Line::from(vec![
            Span::styled(format!(" {symbol} "), style),
            Span::styled(format!("{} ", pos + 1), theme.dim()),
            Span::styled(title, title_style),
        ]));
        let row = Rect::new(area.x, area.y + 2 + pos as u16, area.width, 1).intersection(area);
        m.rail_hits.push((row, pos));
    }
    lines.push(Line::default());
    for part in LEGEND.split("  ") {
        lines.push(Line::styled(format!(" {part}"), theme.dim()));
    }
    if walk.len() > 1 {
        lines.push(Line::default());
        lines.push(Line::styled(" Alt-1…9 or a click", theme.dim()));
        lines.push(Line::styled(" goes to a step", theme.dim()));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// The first screen of a new walk says what it is and how it ends.
fn orientation(app: &App, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let walk = &app.walk;
    let first = walk.position() == 0
        && app.original.is_none()
        && !walk.is_follow_up()
        && !walk.worth_keeping();
    if !first {
        return Vec::new();
    }
    let mut lines = Vec::new();
    // The summary's first and last paragraphs (one a line in the file) say
    // what this is and what it practises; the whole of it is on F2.
    if let Some(summary) = &walk.protocol().summary {
        let summary = for_screen(summary.trim());
        let paragraphs: Vec<&str> = summary.lines().filter(|l| !l.trim().is_empty()).collect();
        let shown = match paragraphs.as_slice() {
            [] => String::new(),
            [only] => (*only).to_owned(),
            [first, .., last] => format!("{first} {last}"),
        };
        lines.extend(wrap_indented(&shown, width, "", theme.dim()));
    }
    let how = if app.encrypted {
        "Tab moves on, Ctrl-S finishes, notes stay on this computer, encrypted. \
         F2: source and readings."
    } else {
        "Tab moves on, Ctrl-S finishes, notes stay on this computer \
         (`repair notes encrypt` locks them). F2: source and readings."
    };
    lines.extend(wrap_indented(how, width, "", theme.dim()));
    if app.first_run {
        lines.extend(wrap_indented(
            "First time here: read the step, take the pause if you like, write a line \
             or two about yourself, then press Tab. F1 lists every key.",
            width,
            "",
            Style::default(),
        ));
    }
    lines.push(Line::default());
    lines
}

/// The guidance, then prompts and stems, scrollable with PgUp/PgDn (during
/// a pause too). The view measures how far it can scroll, so the keys stop
/// at the end.
fn draw_guidance(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, m: &mut Measured) {
    let inner = ruled(frame, area, None, theme);
    let width = inner.width.max(1);
    let step = app.walk.step();
    // The orientation only where it leaves room for the step itself.
    let mut lines = if inner.height >= 12 {
        orientation(app, width, theme)
    } else {
        Vec::new()
    };
    // A follow-up shows the session it follows up first: which rupture.
    if app.walk.is_follow_up()
        && let Some(original) = &app.original
    {
        lines.extend(original_notes(original, &step.id, theme));
    }
    // Paragraphs reflowed to the column: the file's line breaks are for
    // its editor, its blank lines part paragraphs.
    for (i, paragraph) in crate::words::paragraphs(&step.guidance).iter().enumerate() {
        if i > 0 {
            lines.push(Line::default());
        }
        lines.extend(wrap_indented(
            &for_screen(paragraph),
            width,
            "",
            Style::default(),
        ));
    }
    if !step.prompts.is_empty() {
        lines.push(Line::default());
        lines.push(Line::styled("Ask yourself", theme.title()));
        for prompt in &step.prompts {
            let text = for_screen(prompt).replace('\n', " ");
            let mut wrapped = wrap_indented(&text, width, "  ", Style::default());
            if let Some(first) = wrapped.first_mut() {
                *first = Line::raw(format!("•{}", &first.to_string()[1..]));
            }
            lines.extend(wrapped);
        }
    }
    let mut stems = Vec::new();
    if !step.stems.is_empty() {
        stems.push(Line::styled("Try saying", theme.title()));
        for stem in &step.stems {
            let text = format!("“{}”", for_screen(stem).replace('\n', " "));
            stems.extend(wrap_indented(&text, width, " ", theme.stem()));
        }
    }
    // When it does not all fit, the stems stay in view under the guidance
    // (the words to say matter most mid-rupture) and the guidance above
    // them scrolls: it gives way first. Only when even the stems would take
    // all but a few rows do they scroll with the rest.
    let pinned = stems.len() + 1;
    if !stems.is_empty()
        && lines.len() + pinned > usize::from(inner.height)
        && pinned + GUIDANCE_ROWS <= usize::from(inner.height)
    {
        let [top, _, bottom] = stack::rows(
            inner,
            [Part::Rest, Part::Fixed(1), Part::Fixed(stems.len() as u16)],
        );
        m.scroll_max = scrolled(
            frame,
            top,
            Text::from(lines),
            app,
            theme,
            ("PgDn more", "PgUp back"),
        );
        frame.render_widget(Paragraph::new(stems), bottom);
        return;
    }
    if !stems.is_empty() {
        lines.push(Line::default());
        lines.extend(stems);
    }
    let text = Text::from(lines);
    m.scroll_max = scrolled(frame, inner, text, app, theme, ("PgDn more", "PgUp back"));
}

/// The fewest rows of guidance kept above stems held in view.
const GUIDANCE_ROWS: usize = 4;

/// Rows the notes pane wants: its border, the instruction, and the notes
/// as wrapped, with room for two more lines.
fn notes_height(app: &App, width: u16) -> u16 {
    let width = usize::from(width.max(1));
    let wrapped: usize = app
        .editor()
        .lines()
        .iter()
        .map(|l| width_of(l) / width + 1)
        .sum();
    let instruction = if width_of(NOTES_TITLE_SHORT) + 2 <= width {
        // In the pane's title.
        0
    } else {
        width_of(NOTES_INSTRUCTION).div_ceil(width)
    };
    // Border and title, the instruction, the notes, and a line to go on.
    (1 + instruction + wrapped + 1) as u16
}

fn draw_notes(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let in_title = instruction_in_title(area.width);
    let short_fits = width_of(NOTES_TITLE_SHORT) + 2 <= usize::from(area.width);
    let title = if in_title {
        Line::from(vec![
            Span::styled(" Your notes ", theme.title()),
            Span::styled(&NOTES_TITLE_LONG[" Your notes ".len()..], theme.dim()),
        ])
    } else if short_fits {
        Line::from(vec![
            Span::styled(" Notes ", theme.title()),
            Span::styled(&NOTES_TITLE_SHORT[" Notes ".len()..], theme.dim()),
        ])
    } else {
        Line::from(Span::styled(" Your notes ", theme.title()))
    };
    let inner = ruled(frame, area, Some(title), theme);
    // Otherwise the instruction stays above the notes while there is room.
    let instruction =
        Paragraph::new(Line::styled(NOTES_INSTRUCTION, theme.dim())).wrap(Wrap { trim: true });
    let rows = instruction.line_count(inner.width.max(1)) as u16;
    let inner = if !in_title && !short_fits && inner.height >= rows + 2 {
        let [top, rest] = stack::rows(inner, [Part::Fixed(rows), Part::Rest]);
        frame.render_widget(instruction, top);
        rest
    } else {
        inner
    };
    let editor = app.editor();
    if editor.is_empty() {
        // The placeholder is drawn in the theme's style (the editor's own is
        // dark grey, a colour even under NO_COLOR). Only an empty editor
        // shows it, so the copy is of one empty line.
        let mut empty = editor.clone();
        empty.set_placeholder_style(theme.placeholder());
        frame.render_widget(&empty, inner);
    } else {
        frame.render_widget(editor, inner);
    }
    // Put the terminal's own cursor where the editor's is, so screen readers
    // and wide characters (CJK, emoji) agree on the cell.
    let cursor = editor.screen_cursor();
    let (top, left) = editor.scroll_offset();
    let row = (cursor.row as u16).saturating_sub(top);
    // At the end of a line that fills the editor exactly, the editor puts
    // the cursor one past the edge; keep it visible on the last cell.
    let col = (cursor.col as u16)
        .saturating_sub(left)
        .min(inner.width.saturating_sub(1));
    if row < inner.height {
        frame.set_cursor_position(Position::new(inner.x + col, inner.y + row));
    }
}

/// For a follow-up: the notes of the session it follows up (every step but
/// the open one), then a blank line, so the clinician knows which rupture
/// it was before the follow-up step's own guidance.
fn original_notes(
    session: &crate::journal::Session,
    open_step: &str,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled(
        format!(
            "From the session of {}",
            crate::journal::review::when(session)
        ),
        theme.title(),
    )];
    let mut any = false;
    for step in session.steps.iter().filter(|s| s.id != open_step) {
        let notes = for_screen(step.notes.trim());
        if notes.is_empty() {
            continue;
        }
        any = true;
        lines.push(Line::styled(
            format!("{}:", crate::sanitize::one_line(&step.title)),
            theme.dim(),
        ));
        for line in notes.lines() {
            lines.push(Line::raw(format!("  {line}")));
        }
    }
    if !any {
        lines.push(Line::styled("No notes were written then.", theme.dim()));
    }
    lines.push(Line::default());
    lines
}

/// `text` in `area`, scrolled as far as `app.scroll` says. When it does not
/// all fit, the last row says which lines show and how to see the rest
/// (`keys`: the words for more and for back); returns how
/// far it can scroll, so the keys stop at the end.
pub(crate) fn scrolled(
    frame: &mut Frame,
    area: Rect,
    text: Text<'static>,
    app: &App,
    theme: &Theme,
    keys: (&str, &str),
) -> u16 {
    let scroll = Scrolled::new(text)
        .offset(app.scroll)
        .keys(keys.0, keys.1)
        .style(theme.dim())
        .draw(area, frame.buffer_mut());
    scroll.max
}
