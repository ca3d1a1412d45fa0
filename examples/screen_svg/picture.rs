//! The README's picture, `docs/screen.svg`, drawn from the real
//! walk-through screen: the built-in protocol's first step with its pause
//! running, drawn by the same view code the program uses into ratatui's test
//! backend at 120×32, then written cell by cell as SVG text with the
//! theme's colours. Shared by the example that writes the file and the test
//! that checks it is up to date.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use chrono::DateTime;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::{Color, Modifier};

use repair_practice::palette::Palette;
use repair_practice::practice::{Walk, WalkOptions};
use repair_practice::protocol;
use repair_practice::tui::theme::Theme;
use repair_practice::tui::walk;
use repair_practice::tui::walk::model::{App, Msg};

const COLS: u16 = 120;
const ROWS: u16 = 32;
const CELL_W: f64 = 9.0;
const CELL_H: f64 = 19.0;
const BACKGROUND: &str = "#1e1f24";
const FOREGROUND: &str = "#d8d8d8";

fn colour(c: Color, fallback: &str) -> String {
    match c {
        Color::Reset => fallback.to_string(),
        Color::Black => "#1e1f24".into(),
        Color::Red => "#d0605e".into(),
        Color::Green => "#8fb573".into(),
        Color::Yellow => "#d8b46a".into(),
        Color::Blue => "#6f9fd8".into(),
        Color::Magenta => "#b48ead".into(),
        Color::Cyan => "#72b8c0".into(),
        Color::Gray => "#b8b8b8".into(),
        Color::DarkGray => "#7a7a7a".into(),
        Color::LightRed => "#e88683".into(),
        Color::LightGreen => "#a8d08d".into(),
        Color::LightYellow => "#ebcb8b".into(),
        Color::LightBlue => "#8fb8e8".into(),
        Color::LightMagenta => "#c9a0dc".into(),
        Color::LightCyan => "#93d0d8".into(),
        Color::White => "#f0f0f0".into(),
        Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
        Color::Indexed(i) => format!("#{0:02x}{0:02x}{0:02x}", 40 + u16::from(i) * 200 / 255),
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The picture, as the text of an SVG file.
pub fn picture() -> Result<String, Box<dyn std::error::Error>> {
    let started = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00")?;
    let walk = Walk::new(
        protocol::builtin(),
        WalkOptions::default(),
        "20261124-090000-abcd".into(),
        started,
    );
    let mut app = App::new(walk, true);
    let start = Instant::now();
    let key = |code| Msg::Key(KeyEvent::new(code, KeyModifiers::NONE));
    // Walk all six steps from the first, then begin its pause and let
    // 38 seconds pass, so the picture shows the countdown and a cue.
    app.update(key(KeyCode::Tab), start);
    app.update(key(KeyCode::Enter), start);
    let now = start + Duration::from_secs(38);
    app.update(Msg::Tick, now);
    let theme = Theme::new(Palette::Default);
    let mut terminal = Terminal::new(TestBackend::new(COLS, ROWS))?;
    terminal.draw(|frame| {
        walk::draw(frame, &app, &theme, now);
    })?;
    let buffer = terminal.backend().buffer();

    let mut svg = String::new();
    let (w, h) = (
        f64::from(COLS) * CELL_W + 24.0,
        f64::from(ROWS) * CELL_H + 24.0,
    );
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" font-family=\"'DejaVu Sans Mono', Menlo, Consolas, monospace\" font-size=\"15\" role=\"img\" aria-label=\"The walk-through at 120 by 32: the first step, Pause and scan inward, with its pause counting down\"><rect width=\"{w}\" height=\"{h}\" rx=\"8\" fill=\"{BACKGROUND}\"/>"
    );
    for y in 0..ROWS {
        let mut x = 0;
        while x < COLS {
            let cell = &buffer[(x, y)];
            let style = (cell.fg, cell.bg, cell.modifier);
            let mut text = String::new();
            let first = x;
            while x < COLS {
                let c = &buffer[(x, y)];
                if (c.fg, c.bg, c.modifier) != style {
                    break;
                }
                text.push_str(c.symbol());
                x += 1;
            }
            let left = 12.0 + f64::from(first) * CELL_W;
            let top = 12.0 + f64::from(y) * CELL_H;
            let width = f64::from(x - first) * CELL_W;
            let (mut fg, mut bg) = (style.0, style.1);
            if style.2.contains(Modifier::REVERSED) {
                std::mem::swap(&mut fg, &mut bg);
            }
            if bg != Color::Reset {
                let _ = write!(
                    svg,
                    "<rect x=\"{left}\" y=\"{top}\" width=\"{width}\" height=\"{CELL_H}\" fill=\"{}\"/>",
                    colour(bg, BACKGROUND)
                );
            }
            if text.trim().is_empty() {
                continue;
            }
            let mut attributes = format!("fill=\"{}\"", colour(fg, FOREGROUND));
            if style.2.contains(Modifier::BOLD) {
                attributes.push_str(" font-weight=\"bold\"");
            }
            if style.2.contains(Modifier::ITALIC) {
                attributes.push_str(" font-style=\"italic\"");
            }
            if style.2.contains(Modifier::DIM) {
                attributes.push_str(" opacity=\"0.7\"");
            }
            let _ = write!(
                svg,
                "<text x=\"{left}\" y=\"{}\" textLength=\"{width}\" lengthAdjust=\"spacingAndGlyphs\" xml:space=\"preserve\" {attributes}>{}</text>",
                top + CELL_H * 0.75,
                escape(&text)
            );
        }
    }
    svg.push_str("</svg>\n");
    Ok(svg)
}

/// Where the picture lives in the repository.
pub const PATH: &str = "docs/screen.svg";
