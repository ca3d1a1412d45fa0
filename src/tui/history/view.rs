//! Drawing the history browser: the list with a preview, the session as a
//! formatted page, the stats (a bar chart of sessions per week), the key
//! help, and the delete and export questions. Views only read the model;
//! every text from a session passes through [`crate::sanitize`]. Only the
//! rows on screen are built, so ten thousand sessions draw as fast as ten.
//! Footers and the help come from the model's key tables.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Paragraph, Sparkline, Wrap};

use super::model::{BrowserError, BrowserScreen, History};
use super::page::{self, title_of};
use crate::journal::cards::{self, Entry};
use crate::journal::review::{self, CHART_WEEKS};
use crate::journal::{Row, Session};
use crate::practice::level::MAX_RATING;
use crate::practice::progress::Progress;
use crate::sanitize::{for_screen, one_line};
use crate::tui::keys;
use crate::tui::theme::Theme;
use crate::tui::widgets::dialogs::{self, choice};
use crate::tui::widgets::stack::{self, Part};
use crate::tui::widgets::{fits, reading};

pub fn draw(frame: &mut Frame, model: &History, theme: &Theme) {
    let area = frame.area();
    if !fits(frame, theme) {
        return;
    }
    if model.help {
        help(frame, area, model, theme);
        return;
    }
    match &model.screen {
        BrowserScreen::List | BrowserScreen::ConfirmDelete(_) | BrowserScreen::ExportTo(_) => {
            draw_list(frame, area, model, theme)
        }
        BrowserScreen::Full => draw_full(frame, area, model, theme),
        BrowserScreen::Stats => draw_stats(frame, area, model, theme),
    }
    match &model.screen {
        BrowserScreen::ConfirmDelete(id) => confirm_delete(frame, area, model, id, theme),
        BrowserScreen::ExportTo(ids) => export_to(frame, area, model, ids.len(), theme),
        _ => {}
    }
}

/// The footer of what is showing, from its key table.
fn footer(frame: &mut Frame, area: Rect, model: &History, theme: &Theme) {
    let line = keys::footer(model.table(), area.width, theme, |c| model.hint(c));
    frame.render_widget(Paragraph::new(line), area);
}

/// Text cut to `width` cells, with `…` when something was cut.
fn cut(text: &str, width: usize) -> String {
    crate::tui::widgets::ellipsize(text, width)
}

/// One row of the list: date, mode, protocol, what it adds up to (steps
/// done, or a drill's or rehearsal's cards: [`Row::summary`]), the marks.
/// `title_width` lines the titles up so the counts after them align.
/// A session dated after `today` (a clock set ahead when it was saved) is
/// marked, as `notes list` marks it.
fn row(session: &Row, width: u16, title_width: usize, today: chrono::NaiveDate) -> String {
    let wide = width >= 70;
    let mut marks = String::new();
    if session.started_at.date_naive() > today {
        marks.push_str(if wide {
            " ⚠ dated in the future"
        } else {
            " ⚠ future"
        });
    }
    // Narrow windows show the symbols alone; the preview spells them out.
    if session.is_pending_follow_up() {
        marks.push_str(if wide { " ↻ follow-up" } else { " ↻" });
    }
    if session.is_unfinished() {
        // Not `…`: that means "cut to fit" everywhere else.
        marks.push_str(if wide { " ◐ unfinished" } else { " ◐" });
    }
    let mode = one_line(session.mode().as_str());
    let text = if wide {
        // A one-digit day is padded, so every column starts in one place.
        let date = session.started_at.format("%a %e %b %Y %H:%M");
        let title = cut(&one_line(session.title()), title_width);
        let pad = title_width.saturating_sub(Span::raw(title.as_str()).width());
        // Steps stay `4/6` as they always were; cards say what they are
        // (a rehearsal's seats are in the preview: the line has no room).
        let counts = if session.counts_cards() {
            session.cards_summary()
        } else {
            session.short_summary()
        };
        format!(
            "{date}  {mode:<9} {title}{}  {counts}{marks}",
            " ".repeat(pad)
        )
    } else {
        let date = session.started_at.format("%e %b %y %H:%M");
        format!("{date} {mode:<8} {}{marks}", session.short_summary())
    };
    cut(&text, usize::from(width))
}

/// The preview pane's height under the list (its separator line first).
fn preview_height(area: Rect) -> u16 {
    if area.height >= 20 {
        area.height / 3
    } else {
        3
    }
}

fn draw_list(frame: &mut Frame, area: Rect, model: &History, theme: &Theme) {
    let preview_height = preview_height(area);
    let [header, list, preview, status, foot] = stack::rows(
        area,
        [
            Part::Fixed(1),
            Part::AtLeast(2),
            Part::Fixed(preview_height),
            Part::Fixed(u16::from(model.status.is_some())),
            Part::Fixed(1),
        ],
    );

    // Header: what is shown, and the filter.
    let count = model.visible_len();
    let total = model.sessions().len();
    let mut spans = vec![Span::styled("Notes", theme.title())];
    let shown = if count == total {
        format!(" · {}", crate::words::count(total, "session", "sessions"))
    } else {
        format!(" · {count} of {total}")
    };
    spans.push(Span::styled(shown, theme.dim()));
    if model.filtering || !model.filter.is_empty() {
        spans.push(Span::raw(" · /"));
        spans.push(Span::styled(
            one_line(&model.filter).into_owned(),
            theme.step(),
        ));
        if model.filtering {
            spans.push(Span::styled("▏", theme.key()));
        }
    }
    // The rows on screen only, scrolled so the selection is visible.
    let rows = usize::from(list.height);
    let selected = model.selected_pos();
    let offset = (selected + 1).saturating_sub(rows);
    let end = (offset + rows).min(count);
    // Rows scrolled out of sight are said, at the header's right: the
    // first row hidden is otherwise easy to miss.
    let used = Line::from(spans.clone()).width();
    let room = usize::from(header.width).saturating_sub(used + 1);
    let sign = crate::tui::widgets::more_sign(offset, rows, count, room);
    frame.render_widget(Paragraph::new(Line::from(spans)), header);
    if !sign.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled(sign, theme.dim())).alignment(Alignment::Right),
            header,
        );
    }
    let title_width = (offset..end)
        .filter_map(|pos| model.visible_at(pos))
        .map(|s| Span::raw(one_line(s.title()).into_owned()).width())
        .max()
        .unwrap_or(0)
        .min(usize::from(list.width.saturating_sub(40)).max(8));
    let mut lines: Vec<Line> = Vec::with_capacity(rows);
    for pos in offset..end {
        let Some(session) = model.visible_at(pos) else {
            break;
        };
        let text = row(
            session,
            list.width.saturating_sub(2),
            title_width,
            model.today(),
        );
        lines.push(crate::tui::widgets::list_row(text, pos == selected, theme));
    }
    if count == 0 {
        let empty = if total == 0 {
            "No saved sessions yet. Start one with `repair`."
        } else {
            "Nothing matches the filter. Esc clears it."
        };
        lines.push(Line::styled(empty, theme.dim()));
    }
    if !model.unreadable.is_empty() && lines.len() < rows {
        let n = model.unreadable.len();
        lines.push(Line::styled(
            format!(
                "{} unreadable: repair notes list",
                crate::words::count(n, "file", "files")
            ),
            theme.warn(),
        ));
    }
    // Rows are cut to the width already; wrapping only helps the messages.
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), list);

    // Preview of the selected session.
    let block = Block::new()
        .borders(Borders::TOP)
        .border_style(theme.border());
    let inner = block.inner(preview);
    frame.render_widget(block, preview);
    if let Some(session) = model.shown() {
        let text = match &*session {
            Ok(session) => preview_text(session, model.is_open_elsewhere(&session.id), theme),
            Err(reason) => Text::from(gone_line(reason, theme)),
        };
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), inner);
    }
    status_line(frame, status, model, theme);
    footer(frame, foot, model, theme);
}

fn status_line(frame: &mut Frame, area: Rect, model: &History, theme: &Theme) {
    if let Some(message) = &model.status {
        frame.render_widget(
            Paragraph::new(Line::styled(
                cut(&one_line(message), usize::from(area.width)),
                theme.warn(),
            )),
            area,
        );
    }
}

/// What shows instead of a session deleted or damaged on disk since the
/// list was read.
fn gone_line(reason: &BrowserError, theme: &Theme) -> Line<'static> {
    Line::styled(
        format!(
            "This session can no longer be read: {}.",
            one_line(reason.to_string().trim_end_matches('.'))
        ),
        theme.warn(),
    )
}

/// The preview: protocol and the notes written, each line of a note on a
/// line of its own.
fn preview_text(session: &Session, open_elsewhere: bool, theme: &Theme) -> Text<'static> {
    let mut lines = vec![Line::from(vec![
        Span::styled(one_line(title_of(session)).into_owned(), theme.step()),
        Span::styled(format!(" · {}", page::adds_up_to(session)), theme.dim()),
    ])];
    let mut marks = Vec::new();
    if open_elsewhere {
        // Named, never offered: see `History::with_open_check`.
        marks.push("open in another window");
    } else if review::is_pending_follow_up(session) {
        marks.push("↻ follow-up waiting (f)");
    }
    if open_elsewhere && review::is_unfinished(session) {
        marks.push("◐ unfinished");
    } else if session.resumable() {
        marks.push("◐ unfinished (r resumes)");
    } else if review::is_unfinished(session) {
        marks.push("◐ unfinished");
    }
    if !marks.is_empty() {
        lines.push(Line::styled(marks.join(" · "), theme.step()));
    }
    for step in &session.steps {
        let notes = for_screen(step.notes.trim());
        if notes.is_empty() {
            continue;
        }
        for (i, line) in notes.lines().enumerate() {
            let lead = if i == 0 {
                Span::styled(format!("{}: ", one_line(&step.title)), theme.dim())
            } else {
                Span::raw("  ")
            };
            lines.push(Line::from(vec![lead, Span::raw(line.to_string())]));
        }
    }
    let entries = cards::entries(session);
    for entry in &entries {
        lines.extend(entry_preview(entry, theme));
    }
    let practice = crate::journal::Row::of(session).counts_cards();
    if let (true, review::Counts::Cards { none, .. }) = (
        practice && entries.is_empty(),
        review::allows(&session.mode).counts,
    ) {
        lines.push(Line::styled(none, theme.dim()));
    } else if !practice && !session.steps.iter().any(|s| !s.notes.trim().is_empty()) {
        lines.push(Line::styled("No notes written.", theme.dim()));
    }
    Text::from(lines)
}

/// A card or round in the preview: its number, the card by its client
/// line, the rating and whether it was a retry; then what was typed
/// (a response, a self-report, feedback), each on a line.
fn entry_preview(entry: &Entry, theme: &Theme) -> Vec<Line<'static>> {
    let mut about = Vec::new();
    if let Some(rating) = entry.rating {
        about.push(format!("rated {rating}/10"));
    }
    if entry.is_retry() {
        about.push("↻ retry".to_string());
    }
    let about = if about.is_empty() {
        String::new()
    } else {
        format!(" · {}", about.join(" · "))
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{}. ", entry.number), theme.dim()),
        Span::raw(one_line(&entry.named()).into_owned()),
        Span::styled(about, theme.dim()),
    ])];
    for fact in entry.facts.iter().filter(|f| f.typed) {
        lines.push(Line::from(vec![
            Span::styled(format!("  {}: ", one_line(&fact.label)), theme.dim()),
            Span::raw(one_line(&fact.value).into_owned()),
        ]));
    }
    lines
}

/// Where a page is: "lines 1–20 of 45 · ↓ more", "end · lines 26–45 ·
/// ↑ back" (and a short form, "20/45 ↓"), or nothing when it all fits.
fn position(scroll: u16, shown: usize, total: usize) -> Option<(String, String)> {
    if total <= shown {
        return None;
    }
    let first = usize::from(scroll) + 1;
    let last = (usize::from(scroll) + shown).min(total);
    let arrows = match (first > 1, last < total) {
        (true, true) => "↑↓",
        (false, true) => "↓",
        (true, false) => "↑",
        (false, false) => "",
    };
    let cells = |n: usize| u16::try_from(n).unwrap_or(u16::MAX);
    let at = crate::tui::widgets::scrolled::Scroll {
        offset: scroll,
        max: cells(total - shown),
        total: cells(total),
        rows: cells(shown),
    };
    // The one position line every scrolling view shows.
    let long = crate::tui::widgets::scrolled::position_line(&at, "↓ more", "↑ back");
    Some((long, format!("{last}/{total} {arrows}")))
}

/// A header line: the title on the left, a position hint on the right
/// (shortened to "12/40 ↓" when both do not fit).
fn header(
    frame: &mut Frame,
    area: Rect,
    title: Vec<Span<'static>>,
    hint: Option<(String, String)>,
    theme: &Theme,
) {
    let title = Line::from(title);
    let title_width = title.width();
    let hint = hint.map(|(long, short)| {
        let room = usize::from(area.width).saturating_sub(title_width + 1);
        if Span::raw(long.as_str()).width() <= room {
            long
        } else {
            short
        }
    });
    // The hint keeps its place; a title too long for what is left is cut.
    let hint_width = hint
        .as_ref()
        .map_or(0, |h| Span::raw(h.as_str()).width() as u16 + 1);
    let title_area = Rect {
        width: area.width.saturating_sub(hint_width),
        ..area
    };
    let title = if title_width > usize::from(title_area.width) {
        let text: String = title.spans.iter().map(|s| s.content.as_ref()).collect();
        Line::styled(cut(&text, usize::from(title_area.width)), theme.title())
    } else {
        title
    };
    frame.render_widget(Paragraph::new(title), title_area);
    if let Some(hint) = hint {
        frame.render_widget(
            Paragraph::new(Line::styled(hint, theme.dim())).alignment(Alignment::Right),
            area,
        );
    }
}

fn draw_full(frame: &mut Frame, area: Rect, model: &History, theme: &Theme) {
    let [top, body, status, foot] = stack::rows(
        area,
        [
            Part::Fixed(1),
            Part::AtLeast(1),
            Part::Fixed(u16::from(model.status.is_some())),
            Part::Fixed(1),
        ],
    );
    if let Some(session) = model.shown() {
        let lines = match &*session {
            Ok(session) => page::session_page(session, area.width, theme),
            Err(reason) => vec![gone_line(reason, theme)],
        };
        let total = lines.len();
        let shown = usize::from(body.height);
        let title = vec![
            Span::styled("Notes", theme.title()),
            Span::styled(
                format!(
                    " · session {} of {}",
                    model.selected_pos() + 1,
                    model.visible_len()
                ),
                theme.dim(),
            ),
        ];
        header(
            frame,
            top,
            title,
            position(model.scroll, shown, total),
            theme,
        );
        let gone = session.is_err();
        let visible: Vec<Line> = lines
            .into_iter()
            .skip(usize::from(model.scroll))
            .take(shown)
            .collect();
        let text = Paragraph::new(visible);
        // The one line saying why a session cannot be read wraps.
        let text = if gone {
            text.wrap(Wrap { trim: false })
        } else {
            text
        };
        frame.render_widget(text, reading(body));
    }
    status_line(frame, status, model, theme);
    footer(frame, foot, model, theme);
}

fn draw_stats(frame: &mut Frame, area: Rect, model: &History, theme: &Theme) {
    let stats = model.stats();
    let chart_height = page::chart_height(area.height);
    let progress = model.progress();
    let [top, chart, text, spark, foot] = stack::rows(
        area,
        [
            Part::Fixed(1),
            Part::Fixed(chart_height),
            Part::AtLeast(1),
            Part::Fixed(page::spark_height(area.height, progress)),
            Part::Fixed(1),
        ],
    );
    if spark.height > 0 {
        difficulty_sparkline(frame, spark, progress, theme);
    }
    let lines = page::stats_page(stats, progress, area.width, theme);
    header(
        frame,
        top,
        vec![
            Span::styled("Stats", theme.title()),
            Span::styled(
                format!(" · sessions per week ({CHART_WEEKS} weeks)"),
                theme.dim(),
            ),
        ],
        position(model.scroll, usize::from(text.height), lines.len()),
        theme,
    );
    // Twelve bars share the width; wide windows get labels under each.
    let bar_width = ((chart.width / CHART_WEEKS as u16).saturating_sub(1)).clamp(1, 5);
    let bars: Vec<Bar> = stats
        .weeks
        .iter()
        .map(|(monday, n)| {
            let label = if bar_width >= 5 {
                monday.format("%-d/%-m").to_string()
            } else {
                monday.format("%-d").to_string()
            };
            Bar::default()
                .value(*n as u64)
                .label(Line::from(label))
                .text_value(n.to_string())
                .style(theme.gauge())
                .value_style(theme.gauge().add_modifier(Modifier::REVERSED))
        })
        .collect();
    frame.render_widget(
        BarChart::default()
            .data(BarGroup::default().bars(&bars))
            .bar_width(bar_width)
            .bar_gap(1),
        chart,
    );
    let visible: Vec<Line> = lines
        .into_iter()
        .skip(usize::from(model.scroll))
        .take(usize::from(text.height))
        .collect();
    frame.render_widget(Paragraph::new(visible), reading(text));
    footer(frame, foot, model, theme);
}

/// The median difficulty of each week's drills (0 to 10), oldest first; a
/// week without drills is left blank.
fn difficulty_sparkline(frame: &mut Frame, area: Rect, progress: &Progress, theme: &Theme) {
    let [title, spark] = stack::rows(area, [Part::Fixed(1), Part::AtLeast(1)]);
    frame.render_widget(
        Paragraph::new(Line::styled(
            "median difficulty per week (0-10)",
            theme.dim(),
        )),
        title,
    );
    let data: Vec<Option<u64>> = progress
        .weeks
        .iter()
        .map(|w| w.median_difficulty.map(|m| m.round() as u64))
        .collect();
    // Each week as wide as the chart above allows, so the two line up.
    let width = ((spark.width / CHART_WEEKS as u16).saturating_sub(1)).clamp(1, 5);
    let mut stretched = Vec::new();
    for value in data {
        for _ in 0..width {
            stretched.push(value);
        }
        stretched.push(None);
    }
    frame.render_widget(
        Sparkline::default()
            .data(stretched)
            .max(MAX_RATING as u64)
            .style(theme.gauge()),
        spark,
    );
}

/// A bordered box in the middle holding `lines` (the walk-through's
/// dialog), over the list: its borders kept off the line above the preview.
fn dialog(
    frame: &mut Frame,
    area: Rect,
    model: &History,
    title: &str,
    lines: Vec<Line<'static>>,
    theme: &Theme,
) {
    let rule = area.y + area.height - 1 - u16::from(model.status.is_some()) - preview_height(area);
    dialogs::dialog_clear_of(frame, area, rule, title, Text::from(lines), theme);
}

fn confirm_delete(frame: &mut Frame, area: Rect, model: &History, id: &str, theme: &Theme) {
    let Some(row) = model.sessions().iter().find(|s| s.id == id) else {
        return;
    };
    let practice = row.counts_cards();
    // The selected session (the one asked about) as read for its preview.
    let notes = model
        .shown()
        .and_then(|s| match &*s {
            Ok(session) if session.id == id => Some(
                session
                    .steps
                    .iter()
                    .filter(|s| !s.notes.trim().is_empty())
                    .count(),
            ),
            _ => None,
        })
        .map_or_else(
            || "its file can no longer be read".to_string(),
            |n| format!("notes on {}", crate::words::count(n, "step", "steps")),
        );
    // A drill or rehearsal is named by what it holds, not by steps.
    let holds = if practice {
        format!("{}: {}", one_line(row.mode().as_str()), row.summary())
    } else {
        let (done, total) = (row.counts.done, row.counts.total);
        format!("{done} of {total} steps done, {notes}")
    };
    let lines = vec![
        Line::raw(format!(
            "The session of {} ({}, {holds}) will be gone for good.",
            row.when(),
            one_line(row.title()),
        )),
        Line::default(),
        choice("y", "delete it", theme),
        choice("n", "keep it (also Esc)", theme),
    ];
    dialog(frame, area, model, "Delete?", lines, theme);
}

fn export_to(frame: &mut Frame, area: Rect, model: &History, count: usize, theme: &Theme) {
    let mut lines = vec![
        Line::raw(format!(
            "Export {} as Markdown to this file (in the folder you started from):",
            crate::words::count(count, "session", "sessions")
        )),
        Line::from(vec![
            Span::styled(one_line(&model.export_name).into_owned(), theme.step()),
            Span::styled("▏", theme.key()),
        ]),
    ];
    if let Some(error) = &model.export_error {
        lines.push(Line::styled(one_line(error).into_owned(), theme.warn()));
    }
    lines.push(Line::default());
    lines.push(choice("Enter", "export", theme));
    lines.push(choice("Esc", "cancel", theme));
    dialog(frame, area, model, "Export", lines, theme);
}

/// F1: every key of the screen under the help, from its table, scrollable.
fn help(frame: &mut Frame, area: Rect, model: &History, theme: &Theme) {
    let [top, body, foot] = stack::rows(area, [Part::Fixed(1), Part::AtLeast(1), Part::Fixed(1)]);
    let rows = model.help_rows_now();
    let lines = keys::help_lines(&rows, theme);
    let what = match &model.screen {
        BrowserScreen::List if model.filtering => "typing a filter",
        BrowserScreen::List => "the list of sessions",
        BrowserScreen::Full => "reading a session",
        BrowserScreen::Stats => "the stats",
        BrowserScreen::ConfirmDelete(_) => "deleting",
        BrowserScreen::ExportTo(_) => "exporting",
    };
    header(
        frame,
        top,
        vec![
            Span::styled("Keys", theme.title()),
            Span::styled(format!(" · {what}"), theme.dim()),
        ],
        position(model.help_scroll, usize::from(body.height), lines.len()),
        theme,
    );
    let visible: Vec<Line> = lines
        .into_iter()
        .skip(usize::from(model.help_scroll))
        .take(usize::from(body.height))
        .collect();
    frame.render_widget(Paragraph::new(visible), reading(body));
    footer(frame, foot, model, theme);
}
