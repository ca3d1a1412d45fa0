//! The walk-through's overlays: the quit question, the F1 help and the F2
//! page about the protocol.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span, Text};

use super::keys::{FAILED, QUIT, QuitCmd, SUMMARY, WALK};
use super::model::{App, WalkScreen};
use super::view::LEGEND;
use crate::sanitize::for_screen;
use crate::tui::keys::{Hint, help_lines};
use crate::tui::theme::Theme;
use crate::tui::widgets::dialogs::{choice, dialog, scrolling_dialog};
use crate::tui::widgets::wrap_indented;

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
            lines.push(choice(binding.label, &what, theme));
        }
    }
    dialog(frame, area, "Quit?", Text::from(lines), theme);
}

/// F1: every key of the screen showing, from its table.
/// Returns how far the page can scroll.
pub fn help(frame: &mut Frame, area: Rect, app: &App, scroll: u16, theme: &Theme) -> u16 {
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
    scrolling_dialog(frame, area, "Keys", Text::from(lines), theme, scroll)
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
        let wrapped = wrap_indented(&text, room, "", words.style);
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
/// Returns how far the page can scroll.
pub fn about(frame: &mut Frame, area: Rect, app: &App, scroll: u16, theme: &Theme) -> u16 {
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
    )
}
