//! Text taller than its room: shown from a line offset (never past the
//! end), with one position line at the bottom when not all of it shows.
//! Every scrolling pane and dialog draws through [`Scrolled`], so the
//! position line reads the same everywhere:
//! `lines 3–12 of 40 · ↓ more`, and at the end `end · lines 31–40 · ↑ back`.
//!
//! A draw returns what it measured ([`Scroll`]): how far the text can
//! scroll in the room it had. The model keeps that for its keys, so a key
//! past the end does nothing and the next key back moves at once.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Text};
use ratatui::widgets::{Paragraph, Widget, Wrap};

/// What a [`Scrolled`] draw measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Scroll {
    /// The first line showing: the offset asked for, kept within the text.
    pub offset: u16,
    /// How far the text can scroll in this room (0 when it all fits).
    pub max: u16,
    /// Lines in all, after wrapping.
    pub total: u16,
    /// Lines of text showing (the room less the position line, if any).
    pub rows: u16,
}

impl Scroll {
    /// Whether the text is taller than its room (a position line shows).
    pub fn scrolls(&self) -> bool {
        self.max > 0
    }

    /// Whether the last line shows.
    pub fn at_end(&self) -> bool {
        self.offset >= self.max
    }
}

/// Text drawn from line `offset`, with a position line when it does not all
/// fit. The position line names the keys for more and for back, as the
/// view's key table writes them.
pub struct Scrolled<'a> {
    text: Text<'a>,
    offset: u16,
    wrap: bool,
    more: &'a str,
    back: &'a str,
    style: Style,
}

impl<'a> Scrolled<'a> {
    /// `text`, unwrapped, from its first line; the position line says
    /// "↓ more" and "↑ back".
    pub fn new(text: impl Into<Text<'a>>) -> Self {
        Scrolled {
            text: text.into(),
            offset: 0,
            wrap: false,
            more: "↓ more",
            back: "↑ back",
            style: Style::default(),
        }
    }

    /// Shown from line `offset` (kept within the text when drawn).
    pub fn offset(mut self, offset: u16) -> Self {
        self.offset = offset;
        self
    }

    /// Long lines wrap at word boundaries (leading spaces kept).
    pub fn wrapped(mut self) -> Self {
        self.wrap = true;
        self
    }

    /// The words after the position line: `more` while there is more
    /// below, `back` at the end.
    pub fn keys(mut self, more: &'a str, back: &'a str) -> Self {
        self.more = more;
        self.back = back;
        self
    }

    /// The position line's style.
    pub fn style(mut self, style: Style) -> Self {
        self.style = style;
        self
    }

    fn paragraph(&self) -> Paragraph<'a> {
        let paragraph = Paragraph::new(self.text.clone());
        if self.wrap {
            paragraph.wrap(Wrap { trim: false })
        } else {
            paragraph
        }
    }

    /// The text, for a caller that draws it otherwise when it fits.
    pub fn into_text(self) -> Text<'a> {
        self.text
    }

    /// What a draw in `area` would show, without drawing.
    pub fn measure(&self, area: Rect) -> Scroll {
        let total = if self.wrap {
            self.paragraph().line_count(area.width.max(1))
        } else {
            self.text.lines.len()
        };
        let total = u16::try_from(total).unwrap_or(u16::MAX);
        if total <= area.height {
            return Scroll {
                offset: 0,
                max: 0,
                total,
                rows: total,
            };
        }
        // One row goes to the position line.
        let rows = area.height.saturating_sub(1);
        let max = total - rows;
        Scroll {
            offset: self.offset.min(max),
            max,
            total,
            rows,
        }
    }

    /// Draws into `buf` and returns what it measured.
    pub fn draw(self, area: Rect, buf: &mut Buffer) -> Scroll {
        let scroll = self.measure(area);
        let paragraph = self.paragraph().scroll((scroll.offset, 0));
        if !scroll.scrolls() {
            paragraph.render(area, buf);
            return scroll;
        }
        paragraph.render(
            Rect {
                height: scroll.rows,
                ..area
            },
            buf,
        );
        if scroll.rows < area.height {
            let line = position_line(&scroll, self.more, self.back);
            Line::styled(line, self.style).right_aligned().render(
                Rect {
                    y: area.y + scroll.rows,
                    height: 1,
                    ..area
                },
                buf,
            );
        }
        scroll
    }
}

/// The one position line: which lines show, of how many, and the keys to
/// see the rest.
pub fn position_line(scroll: &Scroll, more: &str, back: &str) -> String {
    let first = scroll.offset + 1;
    let last = (scroll.offset + scroll.rows).min(scroll.total);
    if scroll.at_end() {
        format!("end · lines {first}–{last} · {back}")
    } else {
        format!("lines {first}–{last} of {} · {more}", scroll.total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn numbered(n: usize) -> Text<'static> {
        Text::from(
            (1..=n)
                .map(|i| Line::raw(format!("line {i}")))
                .collect::<Vec<_>>(),
        )
    }

    /// The rows of `buf` as strings.
    fn rows(buf: &Buffer) -> Vec<String> {
        let area = buf.area;
        (0..area.height)
            .map(|y| {
                (0..area.width)
                    .map(|x| buf[(area.x + x, area.y + y)].symbol().to_owned())
                    .collect::<String>()
            })
            .collect()
    }

    #[test]
    fn text_that_fits_has_no_position_line() {
        let area = Rect::new(0, 0, 20, 5);
        let mut buf = Buffer::empty(area);
        let scroll = Scrolled::new(numbered(5)).offset(3).draw(area, &mut buf);
        assert_eq!(
            scroll,
            Scroll {
                offset: 0,
                max: 0,
                total: 5,
                rows: 5
            }
        );
        assert_eq!(rows(&buf)[4].trim_end(), "line 5");
    }

    #[test]
    fn a_scroll_past_the_end_stops_at_the_end_and_says_so() {
        let area = Rect::new(0, 0, 40, 4);
        let mut buf = Buffer::empty(area);
        let scroll = Scrolled::new(numbered(10))
            .offset(500)
            .keys("PgDn more", "PgUp back")
            .draw(area, &mut buf);
        assert_eq!((scroll.offset, scroll.max, scroll.rows), (7, 7, 3));
        let shown = rows(&buf);
        assert_eq!(shown[0].trim_end(), "line 8");
        assert_eq!(shown[3].trim(), "end · lines 8–10 · PgUp back");
    }

    proptest! {
        /// Random keys (one line, a page, either way, to either end) over
        /// random text in random rooms: the offset stays within the text,
        /// and the position line names the lines that really show.
        #[test]
        fn the_offset_stays_in_range_and_the_position_line_is_true(
            lines in 0usize..80,
            width in 1u16..60,
            height in 1u16..30,
            keys in prop::collection::vec(0u8..6, 0..40),
        ) {
            let area = Rect::new(0, 0, width, height);
            let mut offset = 0u16;
            for key in keys {
                let mut buf = Buffer::empty(area);
                let scroll = Scrolled::new(numbered(lines)).offset(offset).draw(area, &mut buf);
                prop_assert!(scroll.offset <= scroll.max);
                prop_assert!(scroll.rows <= height);
                prop_assert_eq!(usize::from(scroll.total), lines);
                let shown = rows(&buf);
                if scroll.scrolls() {
                    let line = position_line(&scroll, "↓ more", "↑ back");
                    // The words fit: the position line is the last row.
                    if line.chars().count() <= usize::from(width) {
                        prop_assert_eq!(shown[usize::from(height) - 1].trim(), line.as_str());
                    }
                    // Every line it names as showing shows, in order.
                    for (row, n) in (scroll.offset + 1..=scroll.offset + scroll.rows).enumerate() {
                        let want = format!("line {n}");
                        let have = shown[row].trim_end();
                        prop_assert!(want.starts_with(have), "row {} shows {:?}, not {:?}", row, have, want);
                    }
                } else {
                    prop_assert_eq!(scroll.offset, 0);
                }
                // The model keeps the measured offset and moves from there.
                offset = match key {
                    0 => scroll.offset.saturating_sub(1),
                    1 => scroll.offset.saturating_add(1).min(scroll.max),
                    2 => scroll.offset.saturating_sub(scroll.rows),
                    3 => scroll.offset.saturating_add(scroll.rows).min(scroll.max),
                    4 => 0,
                    _ => u16::MAX,
                };
            }
        }
    }
}
