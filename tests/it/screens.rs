//! What the render tests share: keys as a view receives them, a frame drawn
//! into ratatui's TestBackend, the text of a drawn buffer, and a macro that
//! snapshots one view at several sizes, and the styled runs of a screen
//! (so a change of colour or emphasis shows in review like a change of words).

use ratatui::backend::TestBackend;
use std::fmt::Write as _;

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::{Color, Modifier, Style};
use ratatui::{Frame, Terminal};

/// A key pressed without modifiers.
pub fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// Ctrl and a letter.
pub fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

/// One frame drawn by `draw` into a `width` x `height` TestBackend.
pub fn drawn(width: u16, height: u16, draw: impl FnOnce(&mut Frame)) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(draw).unwrap();
    terminal
}

/// The text of a buffer, each row followed by a newline.
pub fn text(buffer: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            out.push_str(buffer[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// Snapshots `$draw(width, height)` (a `Terminal<TestBackend>`) as
/// `NAME_WIDTHxHEIGHT` at each size given. A macro, so that insta names the
/// snapshot file after the module that calls it.
macro_rules! snap_sizes {
    ($name:expr, $draw:expr, [$(($w:literal, $h:literal)),+ $(,)?]) => {
        $(
            insta::assert_snapshot!(
                format!("{}_{}x{}", $name, $w, $h),
                ($draw)($w, $h).backend()
            );
        )+
    };
}
pub(crate) use snap_sizes;

/// The walk's reading column in a window `width` wide: at most 76 columns,
/// centred (`repair_practice::tui::widgets::reading`).
pub fn reading_column(width: u16) -> std::ops::Range<u16> {
    let w = width.min(76);
    let x = (width - w) / 2;
    x..x + w
}

/// Every row of `buffer` that has text outside `column`, as
/// `row N: "..."`, for an assertion message.
pub fn outside(buffer: &Buffer, column: std::ops::Range<u16>) -> Vec<String> {
    let mut out = Vec::new();
    for y in 0..buffer.area.height {
        let stray = (0..buffer.area.width)
            .any(|x| !column.contains(&x) && buffer[(x, y)].symbol().trim() != "");
        if stray {
            let row: String = (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect();
            out.push(format!("row {y}: {row:?}"));
        }
    }
    out
}

/// A style in a few words, e.g. `fg=Cyan bold`.
pub fn describe(style: Style) -> String {
    let mut words = Vec::new();
    if let Some(fg) = style.fg.filter(|c| *c != Color::Reset) {
        words.push(format!("fg={fg:?}"));
    }
    if let Some(bg) = style.bg.filter(|c| *c != Color::Reset) {
        words.push(format!("bg={bg:?}"));
    }
    for (modifier, word) in [
        (Modifier::BOLD, "bold"),
        (Modifier::ITALIC, "italic"),
        (Modifier::UNDERLINED, "underlined"),
        (Modifier::REVERSED, "reversed"),
        (Modifier::DIM, "dim"),
    ] {
        if style.add_modifier.contains(modifier) {
            words.push(word.to_string());
        }
    }
    words.join(" ")
}

/// The screen's text, then every run of styled cells on each row.
pub fn styled(buffer: &Buffer) -> String {
    let mut out = text(buffer);
    out.push_str("--- styles ---\n");
    for y in 0..buffer.area.height {
        let mut x = 0;
        while x < buffer.area.width {
            let style = describe(buffer[(x, y)].style());
            let start = x;
            let mut run = String::new();
            while x < buffer.area.width && describe(buffer[(x, y)].style()) == style {
                run.push_str(buffer[(x, y)].symbol());
                x += 1;
            }
            if !style.is_empty() && !run.trim().is_empty() {
                let _ = writeln!(
                    out,
                    "{y:>2} {start:>2}-{:<2} {style}: {}",
                    x - 1,
                    run.trim()
                );
            }
        }
    }
    out
}
