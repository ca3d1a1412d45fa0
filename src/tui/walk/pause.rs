//! The pause: offered, then running with the time left, a gauge, the cues in
//! turn and, where set, the breathing pacer.

use std::time::Instant;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Gauge, Paragraph, Wrap};

use crate::practice::PauseTimer;
use crate::sanitize::for_screen;
use crate::tui::big::{self, BigText};
use crate::tui::theme::Theme;
use crate::tui::walk::model::App;
use crate::tui::widgets::clock;
use crate::tui::widgets::stack::{self, Part};

/// Rows the offered pause needs, border included.
pub const OFFER_HEIGHT: u16 = 5;
/// Rows a running pause needs: border, time, gauge, gap, two of cue, pacer.
pub const RUNNING_HEIGHT: u16 = 7;
/// Rows a running pause takes where the window is tall: room for big digits.
pub const BIG_HEIGHT: u16 = 14;

fn pane(title: &str, theme: &Theme) -> Block<'static> {
    Block::new()
        .borders(Borders::TOP)
        .border_style(theme.border())
        .title(Span::styled(format!(" {title} "), theme.title()))
}

/// The pause on offer: begin it, skip it, or just start writing.
pub fn offer(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let seconds = app.walk.pause_length().map_or(0, |d| d.as_secs());
    let mut lines = vec![
        Line::raw(format!(
            "This step begins with a pause of {}.",
            offer_length(seconds)
        )),
        Line::raw("Slow down, and feel."),
        Line::default(),
    ];
    // While the start screen asks about this month's step, Enter and Tab
    // answer that question first.
    if app.focus_offer().is_none() {
        lines.push(Line::from(vec![
            Span::styled("Enter", theme.key()),
            Span::raw(" or "),
            Span::styled("Space", theme.key()),
            Span::raw(": begin. "),
            Span::styled("Tab", theme.key()),
            Span::raw(": skip to notes."),
        ]));
    }
    let text = Text::from(lines);
    frame.render_widget(
        Paragraph::new(text)
            .wrap(Wrap { trim: false })
            .block(pane("Pause", theme)),
        area,
    );
}

/// A pause under way.
pub fn running(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    timer: &PauseTimer,
    theme: &Theme,
    now: Instant,
) {
    let block = pane("Pause", theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let left = clock(timer.display_seconds(now));
    // With room, the time left in big digits, and the rest centred beneath.
    let digits_fit = inner.height >= big::min_height() + 7
        && big::render(&left, inner.width, big::min_height()).is_some();
    let inner = if digits_fit {
        // As large as the room allows, leaving the rest its seven rows.
        let room = (inner.height - 7).min(big::min_height() * 3);
        let digits = big::render(&left, inner.width, room).map_or(room, |rows| rows.len() as u16);
        let content = digits + 7;
        let top = inner.y + (inner.height - content) / 2;
        let digits_area = Rect {
            y: top,
            height: digits,
            ..inner
        };
        frame.render_widget(
            BigText {
                text: &left,
                style: if timer.is_running() {
                    theme.gauge()
                } else {
                    theme.dim()
                },
            },
            digits_area,
        );
        // The rest in a centred column under the digits.
        let width = inner.width.min(48);
        Rect {
            x: inner.x + (inner.width - width) / 2,
            y: top + digits + 1,
            width,
            height: 6,
        }
    } else {
        inner
    };
    let [time, gauge, cue, pacer] = stack::rows(
        inner,
        [
            Part::Fixed(1),
            Part::Fixed(1),
            Part::AtLeast(1),
            Part::Fixed(1),
        ],
    );
    // A blank row above the cue when there is room for one.
    let cue = if cue.height >= 3 {
        Rect {
            y: cue.y + 1,
            height: cue.height - 1,
            ..cue
        }
    } else {
        cue
    };

    let state = if timer.is_running() {
        Span::raw(format!("{left} left"))
    } else {
        Span::styled(format!("{left} left · held (Space to resume)"), theme.key())
    };
    frame.render_widget(Paragraph::new(Line::from(state)), time);

    let progress = timer.progress(now).clamp(0.0, 1.0);
    frame.render_widget(
        Gauge::default()
            .gauge_style(theme.gauge())
            .ratio(progress)
            .label(format!("{}%", (progress * 100.0) as u32))
            .use_unicode(true),
        gauge,
    );

    let pause = app.walk.step().pause.as_ref();
    let cues = pause.map_or(&[][..], |p| &p.cues[..]);
    if let Some(i) = timer.cue_index(now, cues.len()) {
        let text = for_screen(&cues[i]).replace('\n', " ");
        let wrapped = crate::tui::widgets::wrap_indented(&text, cue.width.max(1), "", theme.stem());
        let lines = if wrapped.len() > usize::from(cue.height) {
            // Not enough rows: one line, cut with an ellipsis.
            vec![Line::styled(
                crate::tui::widgets::ellipsize(&text, usize::from(cue.width)),
                theme.stem(),
            )]
        } else {
            wrapped
        };
        frame.render_widget(Paragraph::new(lines), cue);
    }

    if let Some(breath) = app.walk.breath() {
        let phase = timer.breath(now, breath);
        // The bar fills while breathing in and empties while breathing out.
        let level = if phase.inhaling {
            phase.fraction
        } else {
            1.0 - phase.fraction
        };
        let word = if phase.inhaling {
            "Breathe in "
        } else {
            "Breathe out"
        };
        if app.reduce_motion {
            // Nothing moves: the same words and count, no bar.
            let word = if phase.inhaling {
                "Breathe in…"
            } else {
                "Breathe out…"
            };
            let line = Line::styled(format!("{word} {}", phase.seconds_left), theme.gauge());
            frame.render_widget(Paragraph::new(line), pacer);
            return;
        }
        let room = pacer.width.saturating_sub(16) as usize;
        let filled = (level * room as f64).round() as usize;
        let bar = format!("{}{}", "▮".repeat(filled), "·".repeat(room - filled));
        let line = Line::from(vec![
            Span::raw(format!("{word} {:>2} ", phase.seconds_left)),
            Span::styled(bar, theme.gauge()),
        ]);
        frame.render_widget(Paragraph::new(line), pacer);
    }
}

/// Time left, for the offer line: "90 seconds" is "1:30" here (see
/// `practice::length_words` for the spelled-out form).
pub(crate) fn offer_length(seconds: u64) -> String {
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
