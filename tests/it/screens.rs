//! What the render tests share: keys as a view receives them, a frame drawn
//! into ratatui's TestBackend, the text of a drawn buffer, and a macro that
//! snapshots one view at several sizes.

use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
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
