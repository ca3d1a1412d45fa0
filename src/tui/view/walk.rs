//! The walk-through view: header with progress, the step's guidance, prompts
//! and stems, and below them the pause or the notes editor.

use std::time::Instant;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::{clock, hints, pause};
use crate::practice::Stage;
use crate::sanitize::for_screen;
use crate::tui::app::App;
use crate::tui::theme::Theme;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, now: Instant) {
    // The start screen's quiet notice, until notes are written.
    let notice = app
        .notice
        .as_ref()
        .filter(|_| app.status.is_none() && !app.walk.has_notes())
        .map(|(text, _)| text);
    let status_height = u16::from(app.status.is_some() || notice.is_some());
    let [header, status, body, footer] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(status_height),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_header(frame, header, app, theme);
    if let Some(message) = &app.status {
        let line = Line::styled(for_screen(message).into_owned(), theme.warn());
        frame.render_widget(Paragraph::new(line), status);
    } else if let Some(text) = notice {
        let line = Line::styled(for_screen(text).into_owned(), theme.dim());
        frame.render_widget(Paragraph::new(line), status);
    }
    // The pause needs only a few rows, leaving the guidance room; the notes
    // editor gets about half the body.
    // At least three rows of guidance stay visible.
    let lower = match app.walk.state().stage {
        Stage::Offer => pause::OFFER_HEIGHT,
        Stage::Pausing(_) => pause::RUNNING_HEIGHT,
        Stage::Notes => (body.height / 2).max(5),
    }
    .min(body.height.saturating_sub(4));
    let [upper, lower] =
        Layout::vertical([Constraint::Min(0), Constraint::Length(lower)]).areas(body);
    draw_guidance(frame, upper, app, theme);
    match &app.walk.state().stage {
        Stage::Offer => pause::offer(frame, lower, app, theme),
        Stage::Pausing(timer) => pause::running(frame, lower, app, timer, theme, now),
        Stage::Notes => draw_notes(frame, lower, app, theme),
    }
    frame.render_widget(
        Paragraph::new(footer_hints(app, footer.width, theme)),
        footer,
    );
}

fn draw_header(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let walk = &app.walk;
    let progress = format!("Step {} of {}", walk.position() + 1, walk.len());
    let title = for_screen(&walk.protocol().title).into_owned();
    let drill = if walk.drill().is_some() {
        " (drill)"
    } else {
        ""
    };
    let [top, bottom] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(area);
    let [left, right] = Layout::horizontal([
        Constraint::Min(0),
        Constraint::Length(progress.len() as u16 + drill.len() as u16 + 1),
    ])
    .areas(top);
    frame.render_widget(Paragraph::new(Span::styled(title, theme.title())), left);
    frame.render_widget(
        Paragraph::new(format!("{progress}{drill}")).right_aligned(),
        right,
    );
    // A marker per step: filled for visited, a ring for the current one.
    let markers: String = (0..walk.len())
        .map(|i| {
            if i == walk.position() {
                '◉'
            } else if walk.state_at(i).visited {
                '●'
            } else {
                '○'
            }
        })
        .collect();
    let step_title = for_screen(&walk.step().title).into_owned();
    let width = markers.chars().count() as u16 + 1;
    let [left, right] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(width)]).areas(bottom);
    frame.render_widget(Paragraph::new(Span::styled(step_title, theme.step())), left);
    frame.render_widget(
        Paragraph::new(Span::styled(markers, theme.gauge())).right_aligned(),
        right,
    );
}

/// The guidance, then prompts and stems, scrollable with PgUp/PgDn.
fn draw_guidance(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let step = app.walk.step();
    let mut text = Text::default();
    // A follow-up shows the session it follows up first: which rupture.
    if app.walk.is_follow_up()
        && let Some(original) = &app.original
    {
        for line in crate::tui::history::page::original_notes(original, &step.id, theme) {
            text.push_line(line);
        }
    }
    for line in for_screen(step.guidance.trim()).lines() {
        text.push_line(Line::raw(line.to_owned()));
    }
    if !step.prompts.is_empty() {
        text.push_line(Line::default());
        text.push_line(Line::styled("Ask yourself", theme.title()));
        for prompt in &step.prompts {
            text.push_line(Line::raw(format!("• {}", for_screen(prompt))));
        }
    }
    if !step.stems.is_empty() {
        text.push_line(Line::default());
        text.push_line(Line::styled("Try saying", theme.title()));
        for stem in &step.stems {
            text.push_line(Line::styled(
                format!("“{}”", for_screen(stem)),
                theme.stem(),
            ));
        }
    }
    let block = Block::new()
        .borders(Borders::TOP)
        .border_style(theme.border());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let paragraph = Paragraph::new(text).wrap(Wrap { trim: false });
    let total = paragraph.line_count(inner.width.max(1)) as u16;
    if total <= inner.height {
        frame.render_widget(paragraph, inner);
        return;
    }
    // Not all of it fits: the last row says there is more, and where.
    let [text_area, more_row] =
        Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(inner);
    let max_scroll = total.saturating_sub(text_area.height);
    let scroll = app.scroll.min(max_scroll);
    frame.render_widget(paragraph.scroll((scroll, 0)), text_area);
    let more = if scroll < max_scroll {
        "more below: PgDn"
    } else {
        "end: PgUp to go back"
    };
    frame.render_widget(Line::styled(more, theme.dim()).right_aligned(), more_row);
}

fn draw_notes(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let block = Block::new()
        .borders(Borders::TOP)
        .border_style(theme.border())
        .title(Span::styled(" Your notes ", theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
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

fn footer_hints(app: &App, width: u16, theme: &Theme) -> Line<'static> {
    let walk = &app.walk;
    let next = if walk.is_last() { "finish" } else { "next" };
    // Most important first; `hints` drops from the end to fit, keeping F1.
    let mut pairs: Vec<(&str, &str)> = match &walk.state().stage {
        Stage::Offer => vec![
            ("Enter", "begin pause"),
            ("Tab", "skip"),
            ("Esc", "quit"),
            ("F1", "help"),
        ],
        Stage::Pausing(timer) => vec![
            ("Space", if timer.is_running() { "hold" } else { "resume" }),
            ("Enter", "end"),
            ("+", "30 s"),
            ("F1", "help"),
        ],
        Stage::Notes => vec![
            ("Tab", next),
            ("^S", "finish"),
            ("S-Tab", "back"),
            ("Esc", "quit"),
            ("F1", "help"),
        ],
    };
    // The start screen's offers come first while they can be taken.
    if app.offer('r').is_some() {
        pairs.insert(0, ("^R", "resume"));
    }
    if app.offer('f').is_some() {
        pairs.insert(0, ("^F", "follow-up"));
    }
    hints(&pairs, width, theme)
}

/// Time left, for the offer line.
pub(crate) fn length_words(seconds: u64) -> String {
    if seconds == 1 {
        "1 second".to_owned()
    } else if seconds < 60 {
        format!("{seconds} seconds")
    } else if seconds.is_multiple_of(60) {
        let m = seconds / 60;
        format!("{m} minute{}", if m == 1 { "" } else { "s" })
    } else {
        clock(seconds)
    }
}
