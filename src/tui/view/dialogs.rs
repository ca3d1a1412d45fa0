//! Overlays: the quit question, the F1 help, and the too-small message.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::{MIN_HEIGHT, MIN_WIDTH, centered};
use crate::tui::app::App;
use crate::tui::theme::Theme;

/// Every key, for the help overlay (and kept in step with the README).
/// Short enough to fit a 40-column window.
pub const KEYS: &[(&str, &str)] = &[
    ("typing", "writes this step's notes"),
    ("Tab", "next step; skips a pause"),
    ("Shift-Tab", "previous step"),
    ("Enter", "begin or end the pause"),
    ("Space", "hold or resume the pause"),
    ("+", "add 30 seconds"),
    ("PgUp PgDn", "scroll the guidance"),
    ("Ctrl-S", "finish, then Enter saves"),
    ("Esc, ^Q", "quit; asks about notes"),
    ("F1", "help; any key closes"),
];

/// A bordered box in the middle of `area` holding `text`, sized to it.
pub(crate) fn dialog(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    text: Text<'static>,
    theme: &Theme,
) {
    let width = 64.min(area.width);
    let inner_width = width.saturating_sub(4).max(1);
    let paragraph = Paragraph::new(text).wrap(Wrap { trim: false });
    let height = paragraph.line_count(inner_width) as u16 + 2;
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.border())
        .title(Span::styled(format!(" {title} "), theme.title()));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let padded = Rect {
        x: inner.x + 1,
        width: inner.width.saturating_sub(2),
        ..inner
    };
    frame.render_widget(paragraph, padded);
}

/// A line offering a key: ` s  save as unfinished`.
pub(crate) fn choice(key: &'static str, what: &'static str, theme: &Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!(" {key} "), theme.key()),
        Span::raw(format!(" {what}")),
    ])
}

pub fn confirm_quit(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let mut lines = vec![];
    if app.keeps {
        lines.push(Line::raw("Your notes are not finished yet."));
        lines.push(Line::default());
        lines.push(choice("s", "save as unfinished", theme));
        lines.push(choice("d", "discard these notes", theme));
    } else {
        lines.push(Line::raw("Nothing is kept in this run: saving is off."));
        lines.push(Line::default());
        lines.push(choice("d", "quit and let the notes go", theme));
    }
    lines.push(choice("k", "keep going (also Esc)", theme));
    dialog(frame, area, "Quit?", Text::from(lines), theme);
}

pub fn help(frame: &mut Frame, area: Rect, theme: &Theme) {
    let width = KEYS.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let mut lines: Vec<Line> = KEYS
        .iter()
        .map(|(key, what)| {
            Line::from(vec![
                Span::styled(format!("{key:>width$}"), theme.key()),
                Span::raw(format!("  {what}")),
            ])
        })
        .collect();
    // The footnote only where there is room: the keys come first.
    if area.height >= KEYS.len() as u16 + 4 {
        lines.push(Line::default());
        lines.push(Line::styled(
            "Notes are saved on this computer only.",
            theme.dim(),
        ));
    }
    dialog(frame, area, "Keys", Text::from(lines), theme);
}

pub fn too_small(frame: &mut Frame, area: Rect, theme: &Theme) {
    let message = format!("Make the window larger ({MIN_WIDTH}×{MIN_HEIGHT}).");
    let paragraph = Paragraph::new(Line::styled(message, theme.warn())).wrap(Wrap { trim: true });
    frame.render_widget(paragraph, area);
}
