//! The widgets every full-screen view shares: the reading column, fitting
//! text to cells (width, `…`, word wrap), the too-small check, the clock,
//! a ruled pane, the dialogs ([`dialogs`]) and scrolling ([`scrolled`]). Widgets only draw; every
//! text from a protocol file or a note passes through [`crate::sanitize`]
//! before it reaches them.

pub(crate) mod dialogs;
pub mod scrolled;
pub(crate) mod stack;

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::theme::Theme;

/// The smallest window the layout is made for.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 12;

/// The widest text is read comfortably at: wider windows centre it.
pub const READING_WIDTH: u16 = 76;

/// `area` narrowed to at most [`READING_WIDTH`] columns, centred.
pub(crate) fn reading(area: Rect) -> Rect {
    let width = area.width.min(READING_WIDTH);
    Rect {
        x: area.x + (area.width - width) / 2,
        width,
        ..area
    }
}

/// The display width of `text` in cells.
pub(crate) fn width_of(text: &str) -> usize {
    Span::raw(text).width()
}

/// `text` cut to `width` cells, ending in `…` when anything was cut.
pub(crate) fn ellipsize(text: &str, width: usize) -> String {
    if width_of(text) <= width {
        return text.to_owned();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = width_of(c.encode_utf8(&mut [0; 4]));
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

/// A styled `line` cut to `width` cells, ending in `…` (in the style of
/// the span it cuts) when anything was cut; each span keeps its style.
pub(crate) fn ellipsize_line(line: Line<'static>, width: usize) -> Line<'static> {
    if line.width() <= width {
        return line;
    }
    mark_cut(line, width)
}

/// A styled `line` that always ends in `…` (lines below it were cut),
/// shortened to fit `width` cells with the mark. Counts cells, so wide
/// characters never run past the room.
pub(crate) fn mark_cut(line: Line<'static>, width: usize) -> Line<'static> {
    if width == 0 {
        return Line::default();
    }
    let room = width - 1;
    let mut used = 0;
    let mut spans = Vec::new();
    let mut style = Style::new();
    let alignment = line.alignment;
    for span in line.spans {
        style = span.style;
        let mut kept = String::new();
        for c in span.content.chars() {
            let cw = width_of(c.encode_utf8(&mut [0; 4]));
            if used + cw > room {
                break;
            }
            kept.push(c);
            used += cw;
        }
        let full = kept.len() == span.content.len();
        spans.push(Span::styled(kept, span.style));
        if !full {
            break;
        }
    }
    // Trailing spaces before the mark read as a gap, not a cut.
    while let Some(last) = spans.pop() {
        let trimmed = last.content.trim_end().to_string();
        if trimmed.is_empty() && !spans.is_empty() {
            continue;
        }
        spans.push(Span::styled(trimmed, last.style));
        break;
    }
    spans.push(Span::styled("…", style));
    let mut cut = Line::from(spans);
    cut.alignment = alignment;
    cut
}

/// At most `height` of `lines`; when some are cut, the last one shown ends
/// in `…` (within `width`).
pub(crate) fn cut_lines(
    mut lines: Vec<Line<'static>>,
    height: usize,
    width: u16,
) -> Vec<Line<'static>> {
    if lines.len() <= height {
        return lines;
    }
    lines.truncate(height);
    if let Some(last) = lines.pop() {
        lines.push(mark_cut(last, usize::from(width)));
    }
    lines
}

/// `text` broken at spaces into lines of at most `first` cells for the
/// first line and `rest` for the others; a word longer than its line is
/// broken between characters (by cells, so a wide character never runs
/// past the room). Spaces are kept as written inside a line. The one word
/// wrap every view's wrapping goes through.
pub(crate) fn wrap_words(text: &str, first: usize, rest: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    let mut used = 0;
    let room = |lines: &Vec<String>| if lines.is_empty() { first } else { rest };
    for word in text.split(' ') {
        let w = width_of(word);
        let gap = usize::from(used > 0);
        if used + gap + w <= room(&lines) {
            if gap == 1 {
                current.push(' ');
            }
            current.push_str(word);
            used += gap + w;
            continue;
        }
        if used > 0 {
            lines.push(std::mem::take(&mut current));
            used = 0;
        }
        for c in word.chars() {
            let cw = width_of(c.encode_utf8(&mut [0; 4]));
            if used + cw > room(&lines) && used > 0 {
                lines.push(std::mem::take(&mut current));
                used = 0;
            }
            current.push(c);
            used += cw;
        }
    }
    lines.push(current);
    lines
}

/// `text` word-wrapped to `width` cells, every line (the first included)
/// starting with `indent`, so wrapped lines keep their indent. Each input
/// line is wrapped on its own ([`wrap_words`]).
pub(crate) fn wrap_indented(
    text: &str,
    width: u16,
    indent: &str,
    style: Style,
) -> Vec<Line<'static>> {
    let room = usize::from(width).saturating_sub(width_of(indent)).max(1);
    text.split('\n')
        .flat_map(|source| wrap_words(source, room, room))
        .map(|line| Line::styled(format!("{indent}{line}"), style))
        .collect()
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

/// One row of a list: the selected row marked `▶` and reversed, the others
/// indented to line up with it.
pub(crate) fn list_row(text: String, selected: bool, theme: &Theme) -> Line<'static> {
    if selected {
        Line::styled(
            format!("▶ {text}"),
            theme
                .step()
                .add_modifier(ratatui::style::Modifier::REVERSED),
        )
    } else {
        Line::raw(format!("  {text}"))
    }
}

/// The sign a selection list puts at its header's right for rows out of
/// sight, when the rows from `first` (`visible` of them) show of `total`:
/// "↑ 3 more above · ↓ 12 more below", or "↑3 ↓12" when that is wider than
/// `room` cells, or nothing when every row shows. One wording for every
/// list (the notes browser's, which its users already know).
pub(crate) fn more_sign(first: usize, visible: usize, total: usize, room: usize) -> String {
    let above = first.min(total);
    let below = total.saturating_sub(first.saturating_add(visible));
    let join = |parts: [Option<String>; 2], by: &str| {
        parts.into_iter().flatten().collect::<Vec<_>>().join(by)
    };
    let long = join(
        [
            (above > 0).then(|| format!("↑ {above} more above")),
            (below > 0).then(|| format!("↓ {below} more below")),
        ],
        " · ",
    );
    if width_of(&long) <= room {
        return long;
    }
    join(
        [
            (above > 0).then(|| format!("↑{above}")),
            (below > 0).then(|| format!("↓{below}")),
        ],
        " ",
    )
}

/// The sign over rows that wrap to several lines, scrolled by `scroll`
/// lines in a window `height` lines tall: a row (`items`, the lines of
/// each) whose first line is hidden counts as above, one whose last line
/// is hidden (and first is not) as below. Nothing when every line shows.
pub(crate) fn rows_sign(
    items: &[std::ops::Range<usize>],
    lines: usize,
    scroll: usize,
    height: usize,
    width: u16,
) -> String {
    if lines <= height || items.is_empty() {
        return String::new();
    }
    let (mut above, mut below) = (0, 0);
    for item in items {
        if item.start < scroll {
            above += 1;
        } else if item.end > scroll + height {
            below += 1;
        }
    }
    let visible = items.len() - above - below;
    more_sign(above, visible, items.len(), usize::from(width))
}

/// A list whose rows may not all fit in `area`: scrolled so that row
/// `keep` ends in view, its first line saying how many rows are out of
/// sight above and below ([`rows_sign`]) when they do not all fit. `items`
/// are the rows' lines among `lines`, counted in screen lines: `wrap` says
/// whether `lines` still wrap to the width (else each is one screen line).
pub(crate) fn rows_in_view(
    frame: &mut Frame,
    area: Rect,
    lines: Vec<Line<'static>>,
    items: &[std::ops::Range<usize>],
    (keep, wrap): (usize, bool),
    theme: &Theme,
) {
    let total = items.last().map_or(0, |item| item.end);
    let mut list = area;
    if total > usize::from(area.height) && area.height >= 3 {
        list.y += 1;
        list.height -= 1;
    }
    let end = items.get(keep).map_or(total, |item| item.end);
    let scroll = end.saturating_sub(usize::from(list.height));
    if list != area {
        let sign = rows_sign(items, total, scroll, usize::from(list.height), area.width);
        frame.render_widget(
            Paragraph::new(Line::styled(sign, theme.dim())).alignment(Alignment::Right),
            Rect { height: 1, ..area },
        );
    }
    let mut rows = Paragraph::new(lines).scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0));
    if wrap {
        rows = rows.wrap(Wrap { trim: false });
    }
    frame.render_widget(rows, list);
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

/// A pane under a rule across the top of `area` (with `title` on it, if
/// any); returns the room below the rule.
pub(crate) fn ruled(
    frame: &mut Frame,
    area: Rect,
    title: Option<Line<'static>>,
    theme: &Theme,
) -> Rect {
    let mut block = Block::new()
        .borders(Borders::TOP)
        .border_style(theme.border());
    if let Some(title) = title {
        block = block.title(title);
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    inner
}

#[cfg(test)]
mod tests {
    use super::{ellipsize, ellipsize_line, mark_cut, more_sign, rows_sign, width_of, wrap_words};
    use proptest::prelude::*;
    use ratatui::style::{Modifier, Style};
    use ratatui::text::{Line, Span};

    /// The numbers a sign gives: rows above, rows below (0 when unsaid).
    fn said(sign: &str) -> (usize, usize) {
        let mut above = 0;
        let mut below = 0;
        for part in sign.split(['·', ' ']).filter(|p| !p.is_empty()) {
            if let Some(n) = part.strip_prefix('↑') {
                above = n.parse().unwrap_or(above);
            } else if let Some(n) = part.strip_prefix('↓') {
                below = n.parse().unwrap_or(below);
            }
        }
        // The long form puts the number after a space: "↑ 3 more above".
        let words: Vec<&str> = sign.split(' ').collect();
        for pair in words.windows(2) {
            match (pair[0], pair[1].parse::<usize>()) {
                ("↑", Ok(n)) => above = n,
                ("↓", Ok(n)) => below = n,
                _ => {}
            }
        }
        (above, below)
    }

    /// Rows of several lines: a row counts as above once its first line is
    /// scrolled off, as below while its last line is; a row cut at the
    /// bottom is below, and all of them fitting says nothing.
    #[test]
    fn rows_that_wrap_count_as_rows() {
        let items = [0..2, 2..5, 5..6, 6..9];
        assert_eq!(rows_sign(&items, 9, 0, 9, 80), "");
        assert_eq!(rows_sign(&items, 9, 0, 4, 80), "↓ 3 more below");
        assert_eq!(
            rows_sign(&items, 9, 1, 5, 80),
            "↑ 1 more above · ↓ 1 more below"
        );
        assert_eq!(rows_sign(&items, 9, 5, 4, 80), "↑ 2 more above");
    }

    #[test]
    fn the_sign_in_words_and_short() {
        assert_eq!(more_sign(0, 10, 10, 80), "");
        assert_eq!(more_sign(0, 10, 4, 80), "", "fewer rows than room");
        assert_eq!(more_sign(0, 10, 86, 80), "↓ 76 more below");
        assert_eq!(more_sign(3, 5, 20, 80), "↑ 3 more above · ↓ 12 more below");
        assert_eq!(more_sign(15, 5, 20, 80), "↑ 15 more above");
        assert_eq!(more_sign(3, 5, 20, 20), "↑3 ↓12", "too wide: short");
        assert_eq!(more_sign(0, 10, 86, 14), "↓76");
    }

    proptest! {
        /// Whatever the text and the room: no line is wider than its room
        /// unless it is one character, nothing but spaces is lost, and a
        /// text that fits stays one line.
        #[test]
        fn the_word_wrap_keeps_every_word_within_its_room(
            text in "[a-z界 ]{0,80}",
            first in 1usize..30,
            rest in 1usize..30,
        ) {
            let lines = wrap_words(&text, first, rest);
            for (i, line) in lines.iter().enumerate() {
                let room = if i == 0 { first } else { rest };
                prop_assert!(
                    width_of(line) <= room || line.chars().count() == 1,
                    "{:?} in {:?}", line, lines
                );
            }
            let kept: String = lines.concat().chars().filter(|&c| c != ' ').collect();
            let given: String = text.chars().filter(|&c| c != ' ').collect();
            prop_assert_eq!(kept, given);
            if width_of(&text) <= first {
                prop_assert_eq!(lines.len(), 1);
            }
        }
    }

    proptest! {
        /// "above" iff rows start past the first, "below" iff rows end
        /// before the last; above, shown and below add up to the total,
        /// in the long form and the short.
        #[test]
        fn the_sign_says_what_is_out_of_sight(
            total in 0usize..500,
            first in 0usize..500,
            visible in 1usize..60,
            room in 0usize..60,
        ) {
            let first = first.min(total.saturating_sub(1));
            let long = more_sign(first, visible, total, usize::MAX);
            prop_assert_eq!(long.contains("above"), first > 0, "{}", long);
            prop_assert_eq!(long.contains("below"), first + visible < total, "{}", long);
            let shown = visible.min(total - first);
            let (above, below) = said(&long);
            prop_assert_eq!(above + shown + below, total, "{}", long);
            let fitted = more_sign(first, visible, total, room);
            prop_assert_eq!(said(&fitted), (above, below), "{}", fitted);
            prop_assert_eq!(fitted.contains('↑'), first > 0);
            prop_assert_eq!(fitted.contains('↓'), first + visible < total);
            if fitted != long {
                prop_assert!(width_of(&long) > room);
                prop_assert!(!fitted.contains("more"));
            }
        }
    }

    /// Wide characters (CJK, emoji) take two cells: the cut counts cells,
    /// so the text never runs past its room.
    #[test]
    fn ellipsize_counts_cells_not_characters() {
        for (text, width) in [
            ("会話の断絶を修復する練習", 9),
            ("会話の断絶を修復する練習", 10),
            ("🙂🙂🙂🙂🙂🙂", 7),
            ("a 🙂 b 会話 c", 6),
        ] {
            let cut = ellipsize(text, width);
            assert!(width_of(&cut) <= width, "{cut:?} is wider than {width}");
            assert!(cut.ends_with('…'), "{cut:?}");
        }
        assert_eq!(ellipsize("会話", 4), "会話", "fits as it is");
        assert_eq!(ellipsize("会話の", 4), "会…");
    }

    /// Styled lines are cut by cells too, across spans, keeping each
    /// span's style; a line that fits is left as it is.
    #[test]
    fn styled_lines_are_cut_by_cells() {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let line = || {
            Line::from(vec![
                Span::raw("› "),
                Span::styled("会話の断絶を修復する", bold),
            ])
        };
        for width in 0..24 {
            let cut = ellipsize_line(line(), width);
            assert!(cut.width() <= width, "{width}: {cut:?}");
            let marked = mark_cut(line(), width);
            assert!(marked.width() <= width, "{width}: {marked:?}");
        }
        assert_eq!(ellipsize_line(line(), 22), line(), "fits as it is");
        let cut = ellipsize_line(line(), 9);
        assert_eq!(cut.to_string(), "› 会話の…");
        assert_eq!(cut.spans[1].style, bold);
        assert_eq!(mark_cut(line(), 40).to_string(), "› 会話の断絶を修復する…");
    }
}
