//! The summary before saving (Ctrl-S), and the same list when a save failed
//! so the notes stay in front of the clinician.

use std::time::Instant;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Paragraph, Wrap};

use super::view::scrolled;
use crate::journal::StepStatus;
use crate::sanitize::for_screen;
use crate::tui::keys;
use crate::tui::theme::Theme;
use crate::tui::walk::keys::{FAILED, SUMMARY};
use crate::tui::walk::model::App;
use crate::tui::widgets::stack::{self, Part};
use crate::tui::widgets::{clock, ellipsize, reading, ruled, width_of, wrap_indented};
use ratatui::style::Style;

/// Every step with its status and notes, as they will be saved, wrapped to
/// `width` with the notes' indent kept on every line.
fn steps_text(app: &App, theme: &Theme, now: Instant, width: u16) -> Text<'static> {
    let mut text = Text::default();
    for (pos, record) in app.walk.records(now, true).iter().enumerate() {
        let mut facts = vec![match &record.status {
            StepStatus::Done => "done".to_owned(),
            StepStatus::Skipped => "skipped".to_owned(),
            StepStatus::FollowUp => "stays open as a follow-up".to_owned(),
            StepStatus::NotReached => "not reached".to_owned(),
            other => for_screen(other.as_str()).into_owned(),
        }];
        if let Some(seconds) = record.pause_seconds {
            facts.push(format!("paused {}", clock(seconds)));
        }
        let title = format!("{}. {}", pos + 1, for_screen(&record.title));
        let facts = format!("  ({})", facts.join(", "));
        if width_of(&title) + width_of(&facts) <= usize::from(width) {
            text.push_line(Line::from(vec![
                Span::styled(title, theme.step()),
                Span::styled(facts, theme.dim()),
            ]));
        } else {
            text.extend(wrap_indented(&title, width, "", theme.step()));
            text.extend(wrap_indented(facts.trim(), width, "   ", theme.dim()));
        }
        if record.notes.trim().is_empty() {
            text.push_line(Line::styled("   (no notes)", theme.dim()));
        } else {
            let notes = for_screen(&record.notes);
            text.extend(wrap_indented(&notes, width, "   ", Style::default()));
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
) -> u16 {
    let inner = ruled(frame, area, Some(title), theme);
    let text = steps_text(app, theme, now, inner.width.max(1));
    scrolled(frame, inner, text, app, theme, ("↓ more", "↑ back"))
}

/// Returns how far the list can scroll.
pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, now: Instant) -> u16 {
    let area = reading(area);
    // A save waiting for another command (or one that failed) says so
    // under the title: Enter here is what started it.
    let status = app.status_line().map(|message| {
        Paragraph::new(Span::styled(for_screen(message), theme.warn())).wrap(Wrap { trim: false })
    });
    let status_height = status.as_ref().map_or(0, |p| {
        (p.line_count(area.width.max(1)) as u16).min(area.height.saturating_sub(3) / 2)
    });
    let [head, status_row, body, foot] = stack::rows(
        area,
        [
            Part::Fixed(1),
            Part::Fixed(status_height),
            Part::Rest,
            Part::Fixed(1),
        ],
    );
    let title = format!("Summary · {}", for_screen(&app.walk.protocol().title));
    let title = ellipsize(&title, usize::from(head.width));
    frame.render_widget(Paragraph::new(Span::styled(title, theme.title())), head);
    if let Some(status) = status {
        frame.render_widget(status, status_row);
    }
    let title = Line::styled(" Your steps ", theme.title());
    let scroll_max = draw_list(frame, body, app, theme, title, now);
    let footer = keys::footer(SUMMARY, foot.width, theme, |c| {
        app.summary_hint_measured(c, scroll_max)
    });
    frame.render_widget(Paragraph::new(footer), foot);
    scroll_max
}

pub fn save_failed(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    error: &str,
    theme: &Theme,
    now: Instant,
) -> u16 {
    let area = reading(area);
    let message = Text::from(vec![
        Line::styled(
            format!("Your notes could not be saved: {}", for_screen(error)),
            theme.warn(),
        ),
        Line::raw(if app.copy_offer {
            "They are safe on this screen: n keeps them as a new session (a conflict copy naming that one); if you quit, they are printed to the terminal."
        } else {
            "They are safe on this screen. If you quit, they are printed to the terminal."
        }),
    ]);
    let paragraph = Paragraph::new(message).wrap(Wrap { trim: false });
    let height = (paragraph.line_count(area.width.max(1)) as u16).min(area.height / 2);
    let [head, body, foot] = stack::rows(area, [Part::Fixed(height), Part::Rest, Part::Fixed(1)]);
    frame.render_widget(paragraph, head);
    let title = Line::styled(" Your notes ", theme.title());
    let scroll_max = draw_list(frame, body, app, theme, title, now);
    let footer = keys::footer(FAILED, foot.width, theme, |c| app.failed_hint(c));
    frame.render_widget(Paragraph::new(footer), foot);
    scroll_max
}
