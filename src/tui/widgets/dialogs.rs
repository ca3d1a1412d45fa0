//! Overlays: the quit question, the F1 help, and the too-small message.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::tui::walk::view::LEGEND;
use super::{MIN_HEIGHT, MIN_WIDTH, centered};
use crate::sanitize::for_screen;
use crate::tui::walk::model::{App, WalkScreen};
use crate::tui::walk::keys::{FAILED, QUIT, QuitCmd, SUMMARY, WALK};
use crate::tui::keys::{Hint, help_lines};
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
    let width = 64.min(area.width);
    let inner_width = width.saturating_sub(4).max(1);
    let paragraph = Paragraph::new(text).wrap(Wrap { trim: false });
    let height = paragraph.line_count(inner_width) as u16 + 2;
    let rect = centered(area, width, height);
    let padded = framed(frame, rect, title, theme);
    frame.render_widget(paragraph, padded);
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
    let width = 64.min(area.width);
    let inner_width = width.saturating_sub(4).max(1);
    let paragraph = Paragraph::new(text).wrap(Wrap { trim: false });
    let height = (paragraph.line_count(inner_width) as u16 + 2).min(area.height);
    let mut rect = centered(area, width, height);
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
    } else {
        lines.push(Line::raw("Nothing is kept in this run: saving is off."));
    }
    lines.push(Line::default());
    // The choices are the quit table's rows that apply, as the footer says.
    for binding in QUIT.iter().filter(|b| b.command != QuitCmd::Help) {
        if let Hint::Shown(words) = app.quit_hint(binding.command) {
            let what = if binding.command == QuitCmd::Keep {
                "keep going (also Esc)".to_owned()
            } else {
                words.into_owned()
            };
            lines.push(Line::from(vec![
                Span::styled(format!(" {} ", binding.label), theme.key()),
                Span::raw(format!(" {what}")),
            ]));
        }
    }
    dialog(frame, area, "Quit?", Text::from(lines), theme);
}

/// A bordered box in the middle of `area` holding `text`, scrolled by
/// `scroll` lines when it does not fit; how far it can scroll is left in
/// `max` for the keys. A last row says where, when there is more.
pub(crate) fn scrolling_dialog(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    text: Text<'static>,
    theme: &Theme,
    scroll: u16,
    max: &std::cell::Cell<u16>,
) {
    let width = 64.min(area.width);
    let inner_width = width.saturating_sub(4).max(1);
    let paragraph = Paragraph::new(text).wrap(Wrap { trim: false });
    let total = paragraph.line_count(inner_width) as u16;
    let height = (total + 2).min(area.height);
    let rect = centered(area, width, height);
    let padded = framed(frame, rect, title, theme);
    if total <= padded.height {
        max.set(0);
        frame.render_widget(paragraph, padded);
        return;
    }
    let rows = padded.height.saturating_sub(1);
    let limit = total.saturating_sub(rows);
    max.set(limit);
    let scroll = scroll.min(limit);
    frame.render_widget(
        paragraph.scroll((scroll, 0)),
        Rect {
            height: rows,
            ..padded
        },
    );
    let hint = if scroll < limit {
        format!("{}–{} of {total} · ↓ more", scroll + 1, scroll + rows)
    } else {
        "end · ↑ back · any key closes".to_string()
    };
    frame.render_widget(
        Line::styled(hint, theme.dim()).right_aligned(),
        Rect {
            y: padded.y + rows,
            height: 1,
            ..padded
        },
    );
}

/// F1: every key of the screen showing, from its table.
pub fn help(frame: &mut Frame, area: Rect, app: &App, scroll: u16, theme: &Theme) {
    // The dialog's text width, so each key's words wrap under themselves.
    let width = 64.min(area.width).saturating_sub(4);
    let mut lines = vec![Line::styled(
        "Press any key to close; ↑ ↓ scroll.",
        theme.dim(),
    )];
    lines.extend(match app.screen {
        WalkScreen::Summary => hanging(help_lines(SUMMARY, theme), width),
        WalkScreen::ConfirmQuit => hanging(help_lines(QUIT, theme), width),
        WalkScreen::SaveFailed(..) => hanging(help_lines(FAILED, theme), width),
        WalkScreen::Walk => {
            // The start screen's keys are listed only while they work.
            let rows: Vec<_> = WALK
                .iter()
                .filter(|b| !b.command.is_start_screen() || app.walk_hint(b.command) != Hint::Off)
                .copied()
                .collect();
            let mut lines = hanging(help_lines(&rows, theme), width);
            lines.push(Line::default());
            lines.push(Line::styled(format!("Steps: {LEGEND}"), theme.dim()));
            lines
        }
    });
    lines.push(Line::default());
    lines.push(Line::styled(
        "Notes are saved on this computer only.",
        theme.dim(),
    ));
    scrolling_dialog(
        frame,
        area,
        "Keys",
        Text::from(lines),
        theme,
        scroll,
        &app.overlay_max,
    );
}

/// Help lines (a key span, then its words) wrapped to `width` with the
/// words' continuation lines indented under the words, not under the key.
fn hanging(lines: Vec<Line<'static>>, width: u16) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for line in lines {
        let mut spans = line.spans.into_iter();
        let (Some(key), Some(words)) = (spans.next(), spans.next()) else {
            continue;
        };
        let indent = " ".repeat(key.width() + 2);
        let text = words.content.trim_start().to_owned();
        let room = width.saturating_sub(key.width() as u16 + 2).max(8);
        let wrapped = super::wrap_indented(&text, room, "", words.style);
        for (i, part) in wrapped.into_iter().enumerate() {
            let lead = if i == 0 {
                vec![key.clone(), Span::raw("  ")]
            } else {
                vec![Span::raw(indent.clone())]
            };
            out.push(Line::from([lead, part.spans].concat()));
        }
    }
    out
}

/// F2: what the protocol is, where it comes from, what to read next.
pub fn about(frame: &mut Frame, area: Rect, app: &App, scroll: u16, theme: &Theme) {
    let protocol = app.walk.protocol();
    let mut lines = vec![Line::styled(
        for_screen(&protocol.title).into_owned(),
        theme.title(),
    )];
    if let Some(summary) = &protocol.summary {
        lines.push(Line::default());
        // One line of the file is one paragraph.
        lines.extend(
            for_screen(summary.trim())
                .lines()
                .map(|p| Line::raw(p.to_owned())),
        );
    }
    let source = protocol.source.as_deref().unwrap_or("");
    if !source.trim().is_empty() {
        lines.push(Line::default());
        lines.push(Line::styled("Source", theme.title()));
        lines.extend(
            for_screen(source.trim())
                .lines()
                .map(|p| Line::raw(p.to_owned())),
        );
    }
    if !protocol.resources.is_empty() {
        lines.push(Line::default());
        lines.push(Line::styled("Readings and videos", theme.title()));
        for resource in &protocol.resources {
            let mut text = format!(
                "• {}: {}",
                for_screen(&resource.title),
                for_screen(&resource.location)
            );
            if let Some(note) = &resource.note {
                text.push_str(&format!(" ({})", for_screen(note)));
            }
            lines.push(Line::raw(text));
        }
    }
    if !source.contains("not a substitute for supervision") {
        lines.push(Line::default());
        lines.push(Line::raw(
            "A practice aid, not a substitute for supervision.",
        ));
    }
    scrolling_dialog(
        frame,
        area,
        "About this protocol",
        Text::from(lines),
        theme,
        scroll,
        &app.overlay_max,
    );
}

pub fn too_small(frame: &mut Frame, area: Rect, theme: &Theme) {
    let message = format!("Make the window larger ({MIN_WIDTH}×{MIN_HEIGHT}).");
    let paragraph = Paragraph::new(Line::styled(message, theme.warn())).wrap(Wrap { trim: true });
    frame.render_widget(paragraph, area);
}
