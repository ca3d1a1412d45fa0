//! The summary before saving (Ctrl-S), and the same list when a save failed
//! so the notes stay in front of the clinician.

use std::time::Instant;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::{clock, hints};
use crate::journal::StepStatus;
use crate::sanitize::for_screen;
use crate::tui::app::App;
use crate::tui::theme::Theme;

/// Every step with its status and notes, as they will be saved.
fn steps_text(app: &App, theme: &Theme, now: Instant) -> Text<'static> {
    let mut text = Text::default();
    for (pos, record) in app.walk.records(now, true).iter().enumerate() {
        let mut facts = vec![match record.status {
            StepStatus::Done => "done".to_owned(),
            StepStatus::Skipped => "skipped".to_owned(),
            StepStatus::FollowUp => "stays open as a follow-up".to_owned(),
            StepStatus::NotReached => "not reached".to_owned(),
        }];
        if let Some(seconds) = record.pause_seconds {
            facts.push(format!("paused {}", clock(seconds)));
        }
        text.push_line(Line::from(vec![
            Span::styled(
                format!("{}. {}", pos + 1, for_screen(&record.title)),
                theme.step(),
            ),
            Span::styled(format!("  ({})", facts.join(", ")), theme.dim()),
        ]));
        if record.notes.trim().is_empty() {
            text.push_line(Line::styled("   (no notes)", theme.dim()));
        } else {
            for line in for_screen(&record.notes).lines() {
                text.push_line(Line::raw(format!("   {line}")));
            }
        }
        text.push_line(Line::default());
    }
    text
}

fn draw_list(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    theme: &Theme,
    title: Line<'static>,
    now: Instant,
) {
    let paragraph = Paragraph::new(steps_text(app, theme, now))
        .wrap(Wrap { trim: false })
        .block(
            Block::new()
                .borders(Borders::TOP)
                .border_style(theme.border())
                .title(title),
        );
    let total = paragraph.line_count(area.width.max(1)) as u16;
    let scroll = app
        .scroll
        .min(total.saturating_sub(area.height.saturating_sub(1)));
    frame.render_widget(paragraph.scroll((scroll, 0)), area);
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, now: Instant) {
    let [head, body, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    let title = format!("Summary · {}", for_screen(&app.walk.protocol().title));
    frame.render_widget(Paragraph::new(Span::styled(title, theme.title())), head);
    let title = Line::styled(" Your steps ", theme.title());
    draw_list(frame, body, app, theme, title, now);
    let pairs: &[(&str, &str)] = if app.keeps {
        &[
            ("Enter", "save and quit"),
            ("↑↓", "scroll"),
            ("Esc", "back"),
        ]
    } else {
        &[
            ("Enter", "close (nothing is saved)"),
            ("↑↓", "scroll"),
            ("Esc", "back"),
        ]
    };
    frame.render_widget(Paragraph::new(hints(pairs, foot.width, theme)), foot);
}

pub fn save_failed(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    error: &str,
    theme: &Theme,
    now: Instant,
) {
    let message = Text::from(vec![
        Line::styled(
            format!("Your notes could not be saved: {}", for_screen(error)),
            theme.warn(),
        ),
        Line::raw("They are safe on this screen. If you quit, they are printed to the terminal."),
    ]);
    let paragraph = Paragraph::new(message).wrap(Wrap { trim: false });
    let height = (paragraph.line_count(area.width.max(1)) as u16).min(area.height / 2);
    let [head, body, foot] = Layout::vertical([
        Constraint::Length(height),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    frame.render_widget(paragraph, head);
    let title = Line::styled(" Your notes ", theme.title());
    draw_list(frame, body, app, theme, title, now);
    let pairs = [("Enter", "retry"), ("q", "quit, print notes")];
    frame.render_widget(Paragraph::new(hints(&pairs, foot.width, theme)), foot);
}
