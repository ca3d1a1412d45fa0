//! Drawing the prep: the first screen, the scan (a big countdown, the cue,
//! the breathing pacer when the protocol's pause has one), the words for
//! each step, the intention, the pocket card, and the F1 help. Views only
//! read the model; protocol text and typed words pass through
//! [`crate::sanitize`].
//!
//! Everything sits in one column at most [`READING_WIDTH`] wide, centred in
//! wide windows and vertically centred when it is shorter than the window.
//! Wrapped lines keep their indent, and text cut to fit ends in `…`.

use std::time::Instant;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::Paragraph;

use super::{Cmd, KEYS, Overlay, PrepApp};
use crate::practice::prep::{ABOUT_SCAN, Prep, Stage};
use crate::sanitize::for_screen;
use crate::tui::big;
use crate::tui::keys;
use crate::tui::theme::Theme;
use crate::tui::widgets::dialogs::{choice, dialog, scrolling_dialog};
use crate::tui::widgets::scrolled::Scrolled;
use crate::tui::widgets::stack::{self, Part};
use crate::tui::widgets::{clock, cut_lines, fits, reading, rows_in_view, width_of, wrap_words};

/// The widest the text gets, for reading: the walk's reading width.
pub use crate::tui::widgets::READING_WIDTH;

/// What a draw measured, for the keys: how far the screen's text and the
/// open box can scroll (`None` where this frame drew no such text).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Measured {
    pub scroll_max: Option<u16>,
    pub overlay_max: Option<u16>,
}

/// Draws the prep and returns what it measured; the view never writes into
/// the app ([`PrepApp::draw`] keeps the measures).
pub fn draw(frame: &mut Frame, app: &PrepApp, theme: &Theme, now: Instant) -> Measured {
    let mut measured = Measured::default();
    if !fits(frame, theme) {
        return measured;
    }
    let area = column(frame.area());
    let [head, _, body, footer] = stack::rows(
        area,
        [
            Part::Fixed(1),
            Part::Fixed(1),
            Part::AtLeast(1),
            Part::Fixed(1),
        ],
    );
    frame.render_widget(
        Paragraph::new(Line::styled("Before the session", theme.title())),
        head,
    );
    measured.scroll_max = match app.prep.stage() {
        Stage::ScanOffer => Some(offer(frame, body, app, theme)),
        Stage::Scanning(_) => {
            // The digits may use the whole width; the words stay in the column.
            let wide = Rect {
                x: frame.area().x + 1,
                width: frame.area().width.saturating_sub(2),
                ..body
            };
            scan(frame, wide, &app.prep, theme, now);
            None
        }
        Stage::Words(n) => {
            words(frame, body, app, *n, theme);
            None
        }
        Stage::Intention => Some(intention(frame, body, app, theme)),
        Stage::Card => Some(card(frame, body, app, theme)),
    };
    if app.leaving {
        leave(frame, frame.area(), app, theme);
    }
    let keys_line = if app.overlay.is_some() {
        Line::styled("Any key closes this.", theme.dim())
    } else {
        // The keys as this frame measured the text, not as the last did.
        let scroll_max = measured.scroll_max.unwrap_or(app.scroll_max);
        keys::footer(KEYS, footer.width, theme, |c| {
            app.hint_measured(c, scroll_max)
        })
    };
    frame.render_widget(Paragraph::new(keys_line), footer);
    measured.overlay_max = match app.overlay {
        Some(Overlay::Help) => Some(help(frame, frame.area(), app, theme)),
        Some(Overlay::About) => {
            let width = overlay_width(frame.area());
            let mut lines = wrap(vec![], ABOUT_SCAN, Style::new(), width, 0);
            let protocol = app.prep.protocol();
            lines.push(Line::default());
            lines.extend(wrap(
                vec![Span::styled("Protocol: ", theme.step())],
                &for_screen(&protocol.title),
                Style::new(),
                width,
                0,
            ));
            if let Some(source) = &protocol.source {
                // The source is written in paragraphs, one a line.
                for paragraph in source.lines() {
                    lines.extend(wrap(vec![], &for_screen(paragraph), theme.dim(), width, 0));
                }
            }
            Some(overlay(frame, frame.area(), "About", lines, app, theme))
        }
        None => None,
    };
    measured
}

/// The reading column: the walk's ([`reading`]) inside one cell of margin,
/// so at most [`READING_WIDTH`] wide and centred, as the walk's from 78
/// columns.
fn column(area: Rect) -> Rect {
    reading(Rect {
        x: area.x + 1,
        width: area.width.saturating_sub(2),
        ..area
    })
}

/// `text` in `style`, word-wrapped to `width` columns: the first line after
/// `prefix`, every further line indented by `indent` spaces, so wrapped
/// lines keep their indent. Words longer than a line are broken.
pub fn wrap(
    prefix: Vec<Span<'static>>,
    text: &str,
    style: Style,
    width: u16,
    indent: usize,
) -> Vec<Line<'static>> {
    let width = usize::from(width).max(indent + 1);
    let first = width.saturating_sub(prefix.iter().map(Span::width).sum());
    let mut lead = Some(prefix);
    wrap_words(text, first, width - indent)
        .into_iter()
        .map(|words| {
            let mut spans = lead
                .take()
                .unwrap_or_else(|| vec![Span::raw(" ".repeat(indent))]);
            if !words.is_empty() {
                spans.push(Span::styled(words, style));
            }
            Line::from(spans)
        })
        .collect()
}

/// Renders `lines` in `area`, vertically centred when they are fewer than
/// its rows, cut with `…` when they are more.
fn place(frame: &mut Frame, area: Rect, lines: Vec<Line<'static>>) {
    let height = usize::from(area.height);
    let lines = cut_lines(lines, height, area.width);
    let top = (height - lines.len()) / 2;
    let rect = Rect {
        y: area.y + top as u16,
        height: lines.len() as u16,
        ..area
    };
    frame.render_widget(Paragraph::new(lines), rect);
}

/// `lines` in `area` as [`place`] puts them when they fit; when they do
/// not, scrolled by the app's `scroll` (counted from the end when
/// `from_end`, so a line being typed at the bottom stays in view), with a
/// last row that says where (the shared [`Scrolled`] position line).
/// Returns how far it can scroll (0: it all fits), for the keys.
fn place_scrolled(
    frame: &mut Frame,
    area: Rect,
    lines: Vec<Line<'static>>,
    app: &PrepApp,
    theme: &Theme,
    from_end: bool,
) -> u16 {
    let scrolled = Scrolled::new(lines).style(theme.dim());
    let measure = scrolled.measure(area);
    // A single row has no room for a position line: cut, as `place` does.
    if !measure.scrolls() || area.height < 2 {
        let Text { lines, .. } = scrolled.into_text();
        place(frame, area, lines);
        return 0;
    }
    let asked = app.scroll.min(measure.max);
    let top = if from_end { measure.max - asked } else { asked };
    scrolled.offset(top).draw(area, frame.buffer_mut()).max
}

/// The leave question, over the prep: save as unfinished, discard, or keep
/// going, as the footer offers them.
fn leave(frame: &mut Frame, area: Rect, app: &PrepApp, theme: &Theme) {
    let mut lines = vec![if app.keeps {
        Line::raw("What you have chosen is not saved yet.")
    } else {
        Line::raw("Nothing is kept in this run: saving is off.")
    }];
    lines.push(Line::default());
    for binding in KEYS
        .iter()
        .filter(|b| matches!(b.command, Cmd::SaveLeave | Cmd::Discard | Cmd::KeepGoing))
    {
        if let keys::Hint::Shown(words) = app.hint(binding.command) {
            let what = if binding.command == Cmd::KeepGoing {
                "keep going (also Esc)".to_owned()
            } else {
                words.into_owned()
            };
            lines.push(choice(binding.label, &what, theme));
        }
    }
    dialog(frame, area, "Leave the prep?", Text::from(lines), theme);
}

fn offer(frame: &mut Frame, area: Rect, app: &PrepApp, theme: &Theme) -> u16 {
    let prep = &app.prep;
    let w = area.width;
    let length = crate::practice::length_words(prep.scan_length().as_secs() as u32);
    let mut lines = Vec::new();
    if let Some((line, _)) = &app.resume_offer
        && app.hint(Cmd::Resume) != keys::Hint::Off
    {
        lines.extend(wrap(vec![], &for_screen(line), theme.dim(), w, 0));
        lines.push(Line::default());
    }
    lines.extend(wrap(
        vec![],
        "A few minutes before a difficult session.",
        theme.step(),
        w,
        0,
    ));
    lines.extend(wrap(
        vec![],
        "The scan, your words for each step, one line of intention; it ends with a pocket \
         card. Esc leaves at any time.",
        Style::new(),
        w,
        0,
    ));
    lines.push(Line::default());
    lines.extend(wrap(
        vec![],
        &format!("First, the internal scan: {length}."),
        theme.step(),
        w,
        0,
    ));
    lines.extend(wrap(
        vec![],
        "Slow down and feel, if needed: to notice what is there, not to fix it.",
        Style::new(),
        w,
        0,
    ));
    // Where the scan comes from, when there is room; the `i` box otherwise.
    let mut about = vec![Line::default()];
    about.extend(wrap(vec![], ABOUT_SCAN, theme.dim(), w, 0));
    if lines.len() + about.len() <= usize::from(area.height) {
        lines.extend(about);
    }
    place_scrolled(frame, area, lines, app, theme, false)
}

fn scan(frame: &mut Frame, area: Rect, prep: &Prep, theme: &Theme, now: Instant) {
    let Stage::Scanning(timer) = prep.stage() else {
        return;
    };
    let w = area.width.min(READING_WIDTH);
    let h = usize::from(area.height);
    let left = clock(timer.display_seconds(now));
    let cues = prep.cues();
    // Room for the longest cue, so the digits do not jump as cues change.
    let cue_rows = cues
        .iter()
        .map(|c| wrap(vec![], &for_screen(c), Style::new(), w, 0).len())
        .max()
        .unwrap_or(0)
        .min(3);
    let mut cue = match timer.cue_index(now, cues.len()) {
        Some(i) => wrap(vec![], &for_screen(&cues[i]), theme.stem(), w, 0),
        None => Vec::new(),
    };
    cue = cut_lines(cue, cue_rows, w);
    cue.resize(cue_rows, Line::default());
    let pacer = prep.breath().map(|breath| {
        let phase = timer.breath(now, breath);
        let word = if phase.inhaling {
            "Breathe in"
        } else {
            "Breathe out"
        };
        Line::styled(format!("{word}… {}", phase.seconds_left), theme.dim())
    });
    let held = !timer.is_running();
    let fixed = 1 + cue_rows + usize::from(pacer.is_some());
    // Blank lines between the parts, when the window has rows to spare.
    let gaps = if h >= fixed + 5 + 3 { 1 } else { 0 };
    let digit_rows = h.saturating_sub(fixed + gaps * (1 + usize::from(pacer.is_some())));
    // A margin either side, so the digits never run edge to edge.
    let big_rows = big::render(&left, area.width.saturating_sub(10), digit_rows as u16);
    let state = match (&big_rows, held) {
        (Some(_), false) => "left".to_string(),
        (Some(_), true) => "held · Space resumes".to_string(),
        (None, false) => format!("{left} left"),
        (None, true) => format!("{left} left · held · Space resumes"),
    };
    let mut lines = Vec::new();
    if let Some(rows) = big_rows {
        lines.extend(rows.into_iter().map(|r| Line::styled(r, theme.gauge())));
    }
    lines.push(Line::styled(state, theme.dim()));
    for _ in 0..gaps {
        lines.push(Line::default());
    }
    lines.extend(cue);
    if let Some(pacer) = pacer {
        for _ in 0..gaps {
            lines.push(Line::default());
        }
        lines.push(pacer);
    }
    let lines = lines.into_iter().map(Line::centered).collect();
    place(frame, area, lines);
}

fn words(frame: &mut Frame, area: Rect, app: &PrepApp, n: usize, theme: &Theme) {
    let w = area.width;
    let step = app.prep.word_step(n);
    let chosen = app.prep.words_at(n).filter(|w| !w.is_empty());
    let mut lines = vec![Line::styled(
        format!(
            "Your words for this step ({} of {})",
            n + 1,
            app.prep.word_count()
        ),
        theme.dim(),
    )];
    lines.extend(wrap(vec![], &for_screen(&step.title), theme.step(), w, 0));
    lines.push(Line::default());
    let prefix = |i: usize, is_chosen: bool| -> Vec<Span<'static>> {
        let pointer = if i == app.selected { "› " } else { "  " };
        let mark = if is_chosen { "✓ " } else { "  " };
        vec![Span::raw(pointer), Span::styled(mark, theme.key())]
    };
    let style = |i: usize| {
        if i == app.selected {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        }
    };
    // Where each row starts, to keep the selected one in view.
    let mut starts = Vec::new();
    let offered = crate::practice::prep::offered(step);
    for (i, stem) in offered.iter().enumerate() {
        starts.push(lines.len());
        let text = format!("“{}”", for_screen(stem));
        lines.extend(wrap(
            prefix(i, chosen == Some(stem.as_str())),
            &text,
            style(i),
            w,
            5,
        ));
    }
    let own_row = offered.len();
    let own_chosen = chosen.is_some_and(|c| !offered.iter().any(|s| s == c));
    starts.push(lines.len());
    let mut own = prefix(own_row, own_chosen);
    own.push(Span::styled("Your own words:", style(own_row)));
    own.push(Span::raw(" "));
    let cursor = if app.own_selected() { "▏" } else { "" };
    lines.extend(wrap(
        own,
        &format!("{}{cursor}", for_screen(&app.own)),
        theme.stem(),
        w,
        4,
    ));
    let h = usize::from(area.height);
    if lines.len() <= h {
        place(frame, area, lines);
        return;
    }
    // Keep the selection in view on a short window, saying how many
    // choices are out of sight, as every list does.
    let mut items: Vec<std::ops::Range<usize>> = starts.windows(2).map(|s| s[0]..s[1]).collect();
    items.extend(starts.last().map(|&last| last..lines.len()));
    rows_in_view(frame, area, lines, &items, (app.selected, false), theme);
}

fn intention(frame: &mut Frame, area: Rect, app: &PrepApp, theme: &Theme) -> u16 {
    let w = area.width;
    let mut lines = wrap(
        vec![],
        "One line of intention for the session.",
        theme.step(),
        w,
        0,
    );
    lines.extend(wrap(
        vec![],
        "What do you want to remember when it gets hard?",
        theme.dim(),
        w,
        0,
    ));
    lines.push(Line::default());
    lines.extend(wrap(
        vec![Span::raw("› ")],
        &format!("{}▏", for_screen(&app.intention)),
        theme.stem(),
        w,
        2,
    ));
    place_scrolled(frame, area, lines, app, theme, true)
}

fn card(frame: &mut Frame, area: Rect, app: &PrepApp, theme: &Theme) -> u16 {
    let prep = &app.prep;
    // Inside the border, one blank column each side: the text never touches it.
    let inner_w = area.width.saturating_sub(4);
    let chosen = prep.card();
    let intention = for_screen(prep.intention()).into_owned();
    let build = |compact: bool| {
        let mut lines = Vec::new();
        if chosen.is_empty() {
            lines.push(Line::styled("No words chosen.", theme.dim()));
        }
        for (title, words) in &chosen {
            if compact {
                lines.extend(wrap(
                    vec![Span::raw("• ")],
                    &for_screen(words),
                    theme.stem(),
                    inner_w,
                    2,
                ));
            } else {
                lines.extend(wrap(vec![], &for_screen(title), theme.step(), inner_w, 0));
                lines.extend(wrap(
                    vec![Span::raw("  ")],
                    &for_screen(words),
                    theme.stem(),
                    inner_w,
                    2,
                ));
            }
        }
        if !intention.is_empty() {
            lines.extend(wrap(
                vec![Span::styled("Intention: ", theme.step())],
                &intention,
                Style::new(),
                inner_w,
                2,
            ));
        }
        lines
    };
    let room = usize::from(area.height.saturating_sub(2));
    // Each step's title over its words when that fits; on a small window,
    // the words alone; and when even those do not fit, the card scrolls
    // (↑ ↓), so the intention at its end can always be reached.
    let mut lines = build(false);
    if lines.len() > room {
        lines = build(true);
    }
    let shown = lines.len().min(room);
    let rect = Rect {
        y: area.y + (area.height - (shown as u16 + 2)) / 2,
        height: shown as u16 + 2,
        ..area
    };
    let padded = crate::tui::widgets::dialogs::framed(frame, rect, "Pocket card", theme);
    place_scrolled(frame, padded, lines, app, theme, false)
}

/// The inner text width of an overlay box in `area`.
fn overlay_width(area: Rect) -> u16 {
    64.min(area.width).saturating_sub(4)
}

/// A bordered box in the middle of `area` holding `lines` (already wrapped
/// to [`overlay_width`]): the walk's scrolling box, so a box taller than the
/// window scrolls (the keys: [`PrepApp`]'s overlay) with a position hint.
/// Returns how far it can scroll.
fn overlay(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    lines: Vec<Line<'static>>,
    app: &PrepApp,
    theme: &Theme,
) -> u16 {
    scrolling_dialog(
        frame,
        area,
        title,
        Text::from(lines),
        theme,
        app.overlay_scroll,
    )
}

/// F1: every key that works on this screen, from the same table as the
/// keys themselves and the footer.
fn help(frame: &mut Frame, area: Rect, app: &PrepApp, theme: &Theme) -> u16 {
    let rows = app.live_keys();
    let label_w = rows.iter().map(|b| width_of(b.label)).max().unwrap_or(0);
    let inner_w = overlay_width(area);
    let mut lines = Vec::new();
    for b in &rows {
        lines.extend(wrap(
            vec![
                Span::styled(format!("{:>label_w$}", b.label), theme.key()),
                Span::raw("  "),
            ],
            b.help,
            Style::new(),
            inner_w,
            label_w + 2,
        ));
    }
    overlay(frame, area, "Keys", lines, app, theme)
}
