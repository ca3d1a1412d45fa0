//! Drawing: one file per view. Views only read the model; every text from a
//! protocol file or a note passes through [`crate::sanitize`] on its way in.

pub(crate) mod dialogs;
mod pause;
mod summary;
mod walk;

use std::time::Instant;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::app::{App, Screen};
use super::theme::Theme;

/// The smallest window the layout is made for.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 12;

/// Draws the whole app.
pub fn draw(frame: &mut Frame, app: &App, theme: &Theme, now: Instant) {
    let area = frame.area();
    if !fits(frame, theme) {
        return;
    }
    match &app.screen {
        Screen::Walk => walk::draw(frame, area, app, theme, now),
        Screen::ConfirmQuit => {
            walk::draw(frame, area, app, theme, now);
            dialogs::confirm_quit(frame, area, app, theme);
        }
        Screen::Summary => summary::draw(frame, area, app, theme, now),
        Screen::SaveFailed(error, _) => summary::save_failed(frame, area, app, error, theme, now),
    }
    if app.help {
        dialogs::help(frame, area, theme);
    }
}

/// Whether the window is large enough for the layouts; when it is not,
/// the one-line "make the window larger" message is drawn instead.
pub(crate) fn fits(frame: &mut Frame, theme: &Theme) -> bool {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        dialogs::too_small(frame, area, theme);
        return false;
    }
    true
}

/// A footer line of key hints: `[("Tab", "next step"), ...]`, most
/// important first. Hints that do not fit in `width` are dropped from the
/// end, but the last one (F1 help) always stays.
pub(crate) fn hints<'a>(pairs: &[(&'a str, &'a str)], width: u16, theme: &Theme) -> Line<'a> {
    let mut pairs = pairs.to_vec();
    let len = |pairs: &[(&str, &str)]| -> usize {
        pairs
            .iter()
            .map(|(k, w)| k.chars().count() + w.chars().count() + 1)
            .sum::<usize>()
            + 3 * pairs.len().saturating_sub(1)
    };
    while pairs.len() > 1 && len(&pairs) > usize::from(width) {
        pairs.remove(pairs.len() - 2);
    }
    let mut spans = Vec::with_capacity(pairs.len() * 3);
    for (i, (key, what)) in pairs.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", theme.dim()));
        }
        spans.push(Span::styled(*key, theme.key()));
        // A key with no words ("type") stands alone.
        if !what.is_empty() {
            spans.push(Span::styled(format!(" {what}"), theme.dim()));
        }
    }
    Line::from(spans)
}

/// A rectangle of at most `width` x `height`, centred in `area`.
pub(crate) fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// `m:ss` for a number of seconds.
pub(crate) fn clock(seconds: u64) -> String {
    format!("{}:{:02}", seconds / 60, seconds % 60)
}
