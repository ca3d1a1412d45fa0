//! Dialogs every view shares: a framed box, a dialog sized to its text
//! (kept clear of a pane's rule if need be, or scrolling when it is too
//! tall), a line offering a key, and the too-small message.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::scrolled::Scrolled;
use super::{MIN_HEIGHT, MIN_WIDTH, centered};
use crate::tui::theme::Theme;

/// Clears `rect`, draws a bordered box titled `title` around it, and gives
/// the room inside, one column in from each side: the frame every dialog,
/// help page and the prep's overlays share.
pub(crate) fn framed(frame: &mut Frame, rect: Rect, title: &str, theme: &Theme) -> Rect {
    frame.render_widget(Clear, rect);
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.border())
        .title(Span::styled(format!(" {title} "), theme.title()));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    Rect {
        x: inner.x + 1,
        width: inner.width.saturating_sub(2),
        ..inner
    }
}

/// A bordered box in the middle of `area` holding `text`, sized to it.
pub(crate) fn dialog(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    text: Text<'static>,
    theme: &Theme,
) {
    let (paragraph, rect) = sized(area, text);
    let padded = framed(frame, rect, title, theme);
    frame.render_widget(paragraph, padded);
}

/// `text` as a dialog's wrapped paragraph, and the box that holds it in
/// the middle of `area` (at most 64 columns wide, no taller than `area`).
fn sized(area: Rect, text: Text<'static>) -> (Paragraph<'static>, Rect) {
    let width = 64.min(area.width);
    let inner_width = width.saturating_sub(4).max(1);
    let paragraph = Paragraph::new(text).wrap(Wrap { trim: false });
    let height = paragraph.line_count(inner_width) as u16 + 2;
    (paragraph, centered(area, width, height))
}

/// [`dialog`], kept clear of a full-width line at row `rule` (a pane's
/// separator): a border never lies on that line or against it. Moved up
/// (else down) until one blank row parts them, or over the line entirely.
pub(crate) fn dialog_clear_of(
    frame: &mut Frame,
    area: Rect,
    rule: u16,
    title: &str,
    text: Text<'static>,
    theme: &Theme,
) {
    let (paragraph, mut rect) = sized(area, text);
    let height = rect.height;
    let top = rect.y;
    let bottom = rect.y + rect.height - 1;
    // A border within a row of the rule touches it.
    let touches = |y: u16| y + 1 >= rule && y <= rule + 1;
    if touches(top) || touches(bottom) {
        let above = rule.saturating_sub(2).checked_sub(height - 1);
        let below = rule + 2;
        rect.y = match above {
            Some(y) if y > area.y => y,
            _ if below + height <= area.y + area.height => below,
            _ => rect.y,
        };
    }
    let padded = framed(frame, rect, title, theme);
    frame.render_widget(paragraph, padded);
}

/// A line offering a key: ` s  save as unfinished`.
pub(crate) fn choice(key: &str, what: &str, theme: &Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!(" {key} "), theme.key()),
        Span::raw(format!(" {what}")),
    ])
}

/// A bordered box in the middle of `area` holding `text`, scrolled by
/// `scroll` lines when it does not fit; returns how far it can scroll, for
/// the keys. A last row says where, when there is more.
pub(crate) fn scrolling_dialog(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    text: Text<'static>,
    theme: &Theme,
    scroll: u16,
) -> u16 {
    let width = 64.min(area.width);
    let inner_width = width.saturating_sub(4).max(1);
    // The first line says how to close; the position line how to scroll.
    let scrolled = Scrolled::new(text)
        .wrapped()
        .offset(scroll)
        .style(theme.dim());
    let total = scrolled
        .measure(Rect::new(0, 0, inner_width, u16::MAX))
        .total;
    let height = total.saturating_add(2).min(area.height);
    let rect = centered(area, width, height);
    let padded = framed(frame, rect, title, theme);
    scrolled.draw(padded, frame.buffer_mut()).max
}

pub fn too_small(frame: &mut Frame, area: Rect, theme: &Theme) {
    let message = format!("Make the window larger ({MIN_WIDTH}×{MIN_HEIGHT}).");
    let paragraph = Paragraph::new(Line::styled(message, theme.warn())).wrap(Wrap { trim: true });
    frame.render_widget(paragraph, area);
}
