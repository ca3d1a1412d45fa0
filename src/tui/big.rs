//! Big digits for a countdown that can be read across a room: a 3×5 block
//! font, scaled up to fit the space it is given. When even the smallest size
//! does not fit, the caller shows the time as ordinary text.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

/// The glyphs, five rows of three cells; `#` is filled.
fn glyph(c: char) -> Option<[&'static str; 5]> {
    Some(match c {
        '0' => ["###", "# #", "# #", "# #", "###"],
        '1' => [" # ", "## ", " # ", " # ", "###"],
        '2' => ["###", "  #", "###", "#  ", "###"],
        '3' => ["###", "  #", "###", "  #", "###"],
        '4' => ["# #", "# #", "###", "  #", "  #"],
        '5' => ["###", "#  ", "###", "  #", "###"],
        '6' => ["###", "#  ", "###", "# #", "###"],
        '7' => ["###", "  #", "  #", "  #", "  #"],
        '8' => ["###", "# #", "###", "# #", "###"],
        '9' => ["###", "# #", "###", "  #", "###"],
        ':' => [" ", "#", " ", "#", " "],
        _ => return None,
    })
}

/// Rows and columns of `text` drawn at scale 1 (one cell per pixel, a blank
/// column between glyphs).
fn natural_size(text: &str) -> (usize, usize) {
    let width: usize = text.chars().filter_map(glyph).map(|g| g[0].len() + 1).sum();
    (5, width.saturating_sub(1))
}

/// `text` (digits and colons) as rows of block characters, as large as fits
/// in `width` × `height` (each pixel twice as wide as tall, so the digits
/// look square), or `None` if it does not fit at all.
pub fn render(text: &str, width: u16, height: u16) -> Option<Vec<String>> {
    if text.chars().any(|c| glyph(c).is_none()) {
        return None;
    }
    let (rows, cols) = natural_size(text);
    let scale = (1..=4)
        .rev()
        .find(|&s| rows * s <= usize::from(height) && cols * 2 * s <= usize::from(width))?;
    let (sx, sy) = (2 * scale, scale);
    let mut lines = Vec::with_capacity(rows * sy);
    for row in 0..rows {
        let mut line = String::new();
        for (i, g) in text.chars().filter_map(glyph).enumerate() {
            if i > 0 {
                line.push_str(&" ".repeat(sx));
            }
            for pixel in g[row].chars() {
                let cell = if pixel == '#' { '█' } else { ' ' };
                line.extend(std::iter::repeat_n(cell, sx));
            }
        }
        for _ in 0..sy {
            lines.push(line.clone());
        }
    }
    Some(lines)
}

/// Big digits as a widget: `text` as large as fits, centred in the area,
/// or as ordinary text when even the smallest size does not fit.
pub struct BigText<'a> {
    pub text: &'a str,
    pub style: ratatui::style::Style,
}

impl ratatui::widgets::Widget for BigText<'_> {
    fn render(self, area: ratatui::layout::Rect, buf: &mut ratatui::buffer::Buffer) {
        use ratatui::text::Line;
        use ratatui::widgets::Paragraph;
        let lines: Vec<Line> = match render(self.text, area.width, area.height) {
            Some(rows) => {
                let top = (usize::from(area.height) - rows.len()) / 2;
                std::iter::repeat_n(Line::default(), top)
                    .chain(rows.into_iter().map(|r| Line::styled(r, self.style)))
                    .collect()
            }
            None => vec![Line::styled(self.text.to_owned(), self.style)],
        };
        Paragraph::new(lines).centered().render(area, buf);
    }
}

/// The rows [`BigText`] needs for `text` at its smallest size.
pub fn min_height() -> u16 {
    5
}

/// `text` in block digits `height` rows high at most, centred across
/// `area`, in `style`. False when even the smallest size does not fit: the
/// caller then shows the time as ordinary text.
pub fn draw(frame: &mut Frame, area: Rect, text: &str, height: u16, style: Style) -> bool {
    let Some(rows) = render(text, area.width, height) else {
        return false;
    };
    let lines: Vec<Line> = rows
        .into_iter()
        .map(|row| Line::styled(row, style))
        .collect();
    frame.render_widget(Paragraph::new(lines).alignment(Alignment::Center), area);
    true
}

/// The cells one letter of [`draw_letters`] takes each way: an 8x8 glyph
/// drawn two pixels to a cell each way.
pub const LETTER_CELLS: u16 = 4;

/// One line of `text` (printable ASCII and Latin-1, which the 8x8 font has)
/// in quadrant block letters, [`LETTER_CELLS`] each way, centred across
/// `area`, in `style`; letters past the right edge are left out, and a
/// character the font lacks is a blank letter. For a statement read from
/// the back of a room.
pub fn draw_letters(buf: &mut ratatui::buffer::Buffer, area: Rect, text: &str, style: Style) {
    use font8x8::UnicodeFonts;
    let count = u16::try_from(text.chars().count()).unwrap_or(u16::MAX);
    let offset = (area.width / 2).saturating_sub(count.saturating_mul(LETTER_CELLS) / 2);
    let height = area.height.min(LETTER_CELLS);
    let starts =
        (area.left().saturating_add(offset)..area.right()).step_by(usize::from(LETTER_CELLS));
    for (c, x) in text.chars().zip(starts) {
        let cell = Rect::new(x, area.top(), (area.right() - x).min(LETTER_CELLS), height);
        buf.set_style(cell, style);
        let glyph = font8x8::BASIC_FONTS
            .get(c)
            .or_else(|| font8x8::LATIN_FONTS.get(c));
        let Some(glyph) = glyph else { continue };
        for (dy, y) in (cell.top()..cell.bottom()).enumerate() {
            for (dx, x) in (cell.left()..cell.right()).enumerate() {
                let symbol = quadrant(&glyph, 2 * dy, 2 * dx);
                buf[(x, y)].set_char(symbol);
            }
        }
    }
}

/// The block character for the 2x2 pixels of `glyph` whose top left is at
/// `row`, `col` (bit `col` of a row is its pixel `col` from the left).
fn quadrant(glyph: &[u8; 8], row: usize, col: usize) -> char {
    const SYMBOLS: [char; 16] = [
        ' ', '▘', '▝', '▀', '▖', '▌', '▞', '▛', '▗', '▚', '▐', '▜', '▄', '▙', '▟', '█',
    ];
    let on = |r: usize, c: usize| usize::from(glyph[r] & (1 << c) != 0);
    let index = on(row, col)
        | (on(row, col + 1) << 1)
        | (on(row + 1, col) << 2)
        | (on(row + 1, col + 1) << 3);
    SYMBOLS[index]
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::buffer::Buffer;

    fn letters(text: &str, width: u16) -> Vec<String> {
        let area = Rect::new(0, 0, width, LETTER_CELLS);
        let mut buf = Buffer::empty(area);
        draw_letters(&mut buf, area, text, Style::default());
        (0..area.height)
            .map(|y| (0..area.width).map(|x| buf[(x, y)].symbol()).collect())
            .collect()
    }

    proptest::proptest! {
        /// Any text in any area of any buffer: nothing is drawn outside the
        /// area, and every cell drawn is a quadrant character or blank.
        #[test]
        fn letters_stay_in_their_area(
            text in "[ -~\u{a1}-\u{ff}\u{2603}]{0,12}",
            x in 0u16..10, y in 0u16..6, width in 0u16..50, height in 0u16..8,
        ) {
            let whole = Rect::new(0, 0, 60, 14);
            let area = Rect::new(x, y, width, height);
            let blank = Buffer::empty(whole);
            let mut buf = blank.clone();
            draw_letters(&mut buf, area, &text, Style::default().bold());
            for row in whole.rows() {
                for pos in row.positions() {
                    let cell = &buf[pos];
                    if !area.contains(pos) {
                        proptest::prop_assert_eq!(cell, &blank[pos]);
                    } else {
                        let c = cell.symbol().chars().next().unwrap_or(' ');
                        proptest::prop_assert!(c == ' ' || ('\u{2580}'..='\u{259f}').contains(&c), "{:?}", c);
                    }
                }
            }
        }
    }

    #[test]
    fn letters_are_quadrants_of_the_8x8_font_centred() {
        // "I" in the 8x8 font is rows 0x1E, 0x0C x5, 0x1E, 0x00: pixels 1-4
        // wide at top and bottom, 2-3 between. Centred in 8 cells: from 2.
        assert_eq!(
            letters("I", 8),
            ["  ▝█▘   ", "   █    ", "   █    ", "  ▝▀▘   "]
        );
        // Two letters in a 6-cell area: the centre less half their width is
        // below 0, so they start at 0, and the second is cut after 2 cells.
        let cut = letters("II", 6);
        assert!(cut.iter().all(|row| row.chars().count() == 6));
        assert_eq!(cut[1], " █   █");
        // Latin-1 comes from the second table; a character neither has is
        // blank.
        assert_ne!(letters("é", 4), letters(" ", 4));
        assert_eq!(letters("\u{2603}", 4), letters(" ", 4));
    }

    #[test]
    fn digits_scale_to_the_space() {
        let small = render("3:00", 26, 5).expect("fits at scale 1");
        assert_eq!(small.len(), 5);
        assert_eq!(small[0].chars().count(), 26);
        assert_eq!(small[0], "██████      ██████  ██████");
        let big = render("3:00", 80, 12).expect("fits at scale 2");
        assert_eq!(big.len(), 10);
        assert!(render("3:00", 25, 5).is_none());
        assert!(render("3:00", 80, 4).is_none());
        assert!(render("3m", 80, 24).is_none());
    }
}
