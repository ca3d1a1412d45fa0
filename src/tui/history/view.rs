//! Drawing the history browser: the list with a preview, the full session,
//! the stats (a bar chart of sessions per week), and the delete and export
//! questions. Views only read the model; every text from a session passes
//! through [`crate::sanitize`]. Only the rows on screen are built, so ten
//! thousand sessions draw as fast as ten.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Paragraph, Sparkline, Wrap};

use super::model::{History, Screen};
use crate::journal::progress::Progress;
use crate::journal::review::{self, CHART_WEEKS};
use crate::journal::{Session, session_markdown};
use crate::practice::level::MAX_RATING;
use crate::sanitize::{for_screen, one_line};
use crate::tui::theme::Theme;
use crate::tui::view::dialogs::{self, choice};
use crate::tui::view::{fits, hints};

/// Every key of the browser, for the help overlay (and the README).
pub const KEYS: &[(&str, &str)] = &[
    ("Up Down", "choose a session"),
    ("Enter", "read it all; Esc back"),
    ("/", "filter as you type"),
    ("s", "stats"),
    ("e / E", "export this / all shown"),
    ("d", "delete (asks first)"),
    ("f", "do its follow-up now"),
    ("r", "resume it (unfinished)"),
    ("q, Esc", "close"),
    ("F1", "help; any key closes"),
];

pub fn draw(frame: &mut Frame, model: &History, theme: &Theme) {
    let area = frame.area();
    if !fits(frame, theme) {
        return;
    }
    match &model.screen {
        Screen::List | Screen::ConfirmDelete(_) | Screen::ExportTo(_) => {
            draw_list(frame, area, model, theme)
        }
        Screen::Full => draw_full(frame, area, model, theme),
        Screen::Stats => draw_stats(frame, area, model, theme),
    }
    match &model.screen {
        Screen::ConfirmDelete(id) => confirm_delete(frame, area, model, id, theme),
        Screen::ExportTo(ids) => export_to(frame, area, model, ids.len(), theme),
        _ => {}
    }
    if model.help {
        help(frame, area, theme);
    }
}

fn title_of(session: &Session) -> &str {
    if session.protocol_title.is_empty() {
        &session.protocol
    } else {
        &session.protocol_title
    }
}

/// One row of the list: date, mode, protocol, steps done, follow-up mark.
fn row(session: &Session, width: u16) -> String {
    let (done, total) = review::steps_done(session);
    let wide = width >= 70;
    let mut marks = String::new();
    // Narrow windows show the symbols alone; the preview spells them out.
    if review::is_pending_follow_up(session) {
        marks.push_str(if wide { " ↻ follow-up" } else { " ↻" });
    }
    if review::is_unfinished(session) {
        marks.push_str(if wide { " … unfinished" } else { " …" });
    }
    let date = session.started_at.format("%a %-d %b %Y %H:%M");
    let text = if wide {
        format!(
            "{date}  {:<9} {}  {done}/{total}{marks}",
            session.mode,
            title_of(session)
        )
    } else {
        let date = session.started_at.format("%-d %b %y %H:%M");
        format!("{date} {} {done}/{total}{marks}", session.mode)
    };
    let text = one_line(&text).into_owned();
    text.chars().take(usize::from(width)).collect()
}

fn draw_list(frame: &mut Frame, area: Rect, model: &History, theme: &Theme) {
    let preview_height = if area.height >= 20 {
        area.height / 3
    } else {
        3
    };
    let [header, list, preview, status, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(2),
        Constraint::Length(preview_height),
        Constraint::Length(u16::from(model.status.is_some())),
        Constraint::Length(1),
    ])
    .areas(area);

    // Header: what is shown, and the filter.
    let count = model.visible_len();
    let total = model.sessions().len();
    let mut spans = vec![Span::styled("Notes", theme.title())];
    let shown = if count == total {
        format!(" · {total} session{}", if total == 1 { "" } else { "s" })
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
    frame.render_widget(Paragraph::new(Line::from(spans)), header);

    // The rows on screen only, scrolled so the selection is visible.
    let rows = usize::from(list.height);
    let selected = model.selected_pos();
    let offset = (selected + 1).saturating_sub(rows);
    let mut lines: Vec<Line> = Vec::with_capacity(rows);
    for pos in offset..(offset + rows).min(count) {
        let Some(session) = model.visible_at(pos) else {
            break;
        };
        let text = row(session, list.width.saturating_sub(2));
        if pos == selected {
            lines.push(Line::styled(
                format!("▶ {text}"),
                theme.step().add_modifier(Modifier::REVERSED),
            ));
        } else {
            lines.push(Line::raw(format!("  {text}")));
        }
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
                "{n} file{} unreadable: repair notes list",
                if n == 1 { "" } else { "s" }
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
    if let Some(session) = model.selected() {
        frame.render_widget(
            Paragraph::new(preview_text(session, theme)).wrap(Wrap { trim: false }),
            inner,
        );
    }
    if let Some(message) = &model.status {
        frame.render_widget(
            Paragraph::new(Line::styled(one_line(message).into_owned(), theme.warn())),
            status,
        );
    }
    let pairs: &[(&str, &str)] = if model.filtering {
        &[("Enter", "keep filter"), ("Esc", "clear"), ("F1", "help")]
    } else {
        &[
            ("Enter", "read"),
            ("/", "filter"),
            ("s", "stats"),
            ("e", "export"),
            ("d", "delete"),
            ("q", "close"),
            ("F1", "help"),
        ]
    };
    frame.render_widget(Paragraph::new(hints(pairs, footer.width, theme)), footer);
}

/// The preview: protocol and the first notes written.
fn preview_text(session: &Session, theme: &Theme) -> Text<'static> {
    let (done, total) = review::steps_done(session);
    let mut lines = vec![Line::from(vec![
        Span::styled(one_line(title_of(session)).into_owned(), theme.step()),
        Span::styled(format!(" · {done} of {total} steps done"), theme.dim()),
    ])];
    let mut marks = Vec::new();
    if review::is_pending_follow_up(session) {
        marks.push("↻ follow-up waiting (f)");
    }
    if review::is_unfinished(session) {
        marks.push("… unfinished (r resumes)");
    }
    if !marks.is_empty() {
        lines.push(Line::styled(marks.join(" · "), theme.step()));
    }
    for step in &session.steps {
        if step.notes.trim().is_empty() {
            continue;
        }
        lines.push(Line::from(vec![
            Span::styled(format!("{}: ", one_line(&step.title)), theme.dim()),
            Span::raw(one_line(step.notes.trim()).into_owned()),
        ]));
    }
    if !session.steps.iter().any(|s| !s.notes.trim().is_empty()) {
        lines.push(Line::styled("No notes written.", theme.dim()));
    }
    Text::from(lines)
}

fn draw_full(frame: &mut Frame, area: Rect, model: &History, theme: &Theme) {
    let [body, footer] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    if let Some(session) = model.selected() {
        let text = for_screen(&session_markdown(session)).into_owned();
        let lines: Vec<Line> = text
            .lines()
            .map(|l| {
                // Headings lose their Markdown marks on screen.
                match l.strip_prefix("## ").or_else(|| l.strip_prefix("### ")) {
                    Some(heading) => Line::styled(heading.to_string(), theme.title()),
                    None => Line::raw(l.to_string()),
                }
            })
            .collect();
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .scroll((model.scroll, 0)),
            body,
        );
    }
    let pairs = [("Esc", "back"), ("↑↓ PgUp PgDn", "scroll"), ("F1", "help")];
    frame.render_widget(Paragraph::new(hints(&pairs, footer.width, theme)), footer);
}

fn draw_stats(frame: &mut Frame, area: Rect, model: &History, theme: &Theme) {
    let stats = model.stats();
    let chart_height = (area.height / 2).clamp(5, 12);
    let [header, chart, text, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(chart_height),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled("Stats", theme.title()),
            Span::styled(
                format!(" · sessions per week ({CHART_WEEKS} weeks)"),
                theme.dim(),
            ),
        ])),
        header,
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
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!("{}", stats.sessions), theme.step()),
            Span::raw(" sessions · "),
            Span::styled(format!("{}", stats.pause_minutes()), theme.step()),
            Span::raw(" min in pauses"),
        ]),
        Line::from(vec![
            Span::styled(format!("{}", stats.streak_weeks), theme.step()),
            Span::raw(" weeks in a row · "),
            Span::styled(format!("{}", stats.pending_follow_ups), theme.step()),
            Span::raw(" follow-ups waiting"),
        ]),
        Line::styled("practised / drilled, per step", theme.dim()),
    ];
    for step in &stats.steps {
        lines.push(Line::raw(format!(
            "{:>4} / {:<3} {}",
            step.practised,
            step.drilled,
            one_line(&step.title)
        )));
    }
    let progress = model.progress();
    let text = if progress.is_empty() {
        text
    } else {
        lines.extend(practice_lines(progress, theme));
        let [text, spark] = Layout::vertical([
            Constraint::Min(1),
            Constraint::Length(if text.height >= 10 { 4 } else { 2 }),
        ])
        .areas(text);
        difficulty_sparkline(frame, spark, progress, theme);
        text
    };
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((model.scroll, 0)),
        text,
    );
    let pairs = [("Esc", "back"), ("↑↓", "scroll"), ("F1", "help")];
    frame.render_widget(Paragraph::new(hints(&pairs, footer.width, theme)), footer);
}

/// The practice section of the stats, as lines under the step counts.
fn practice_lines(progress: &Progress, theme: &Theme) -> Vec<Line<'static>> {
    let this_week = progress.weeks.last();
    let mut lines = vec![
        Line::styled("practice (drill and rehearse)", theme.dim()),
        Line::from(vec![
            Span::styled(
                format!("{}", this_week.map_or(0, |w| w.drilled)),
                theme.step(),
            ),
            Span::raw(" drilled · "),
            Span::styled(
                format!("{}", this_week.map_or(0, |w| w.rehearsed)),
                theme.step(),
            ),
            Span::raw(" rehearsed this week · "),
            Span::styled(format!("{}", progress.cards_due_today), theme.step()),
            Span::raw(" due today"),
        ]),
    ];
    let levels: Vec<String> = progress
        .levels
        .iter()
        .map(|(kind, level)| format!("{kind} {}", level.unwrap_or("-")))
        .collect();
    lines.push(Line::raw(format!("level: {}", levels.join(" · "))));
    let per_week = |count: fn(&crate::journal::progress::PracticeWeek) -> usize| {
        progress
            .weeks
            .iter()
            .map(|w| count(w).to_string())
            .collect::<Vec<_>>()
            .join(" ")
    };
    lines.push(Line::raw(format!(
        "drilled per week:   {}",
        per_week(|w| w.drilled)
    )));
    lines.push(Line::raw(format!(
        "rehearsed per week: {}",
        per_week(|w| w.rehearsed)
    )));
    if progress.marker_first_attempts > 0 {
        lines.push(Line::raw(format!(
            "markers recognised: {} of {}",
            progress.marker_recognised, progress.marker_first_attempts
        )));
    }
    for n in &progress.criteria_not_yet_met {
        lines.push(Line::raw(format!(
            "{:>4}× not yet: {}",
            n.times,
            one_line(&n.criterion)
        )));
    }
    lines
}

/// The median difficulty of each week's drills (0 to 10), oldest first; a
/// week without drills is left blank.
fn difficulty_sparkline(frame: &mut Frame, area: Rect, progress: &Progress, theme: &Theme) {
    let [title, spark] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
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

/// A bordered box in the middle holding `lines` (the walk-through's dialog).
fn dialog(frame: &mut Frame, area: Rect, title: &str, lines: Vec<Line<'static>>, theme: &Theme) {
    dialogs::dialog(frame, area, title, Text::from(lines), theme);
}

fn confirm_delete(frame: &mut Frame, area: Rect, model: &History, id: &str, theme: &Theme) {
    let Some(session) = model.sessions().iter().find(|s| s.id == id) else {
        return;
    };
    let (done, total) = review::steps_done(session);
    let notes = session
        .steps
        .iter()
        .filter(|s| !s.notes.trim().is_empty())
        .count();
    let lines = vec![
        Line::raw(format!(
            "The session of {} ({}, {done} of {total} steps done, notes on {notes} step{}) will be gone for good.",
            review::when(session),
            one_line(title_of(session)),
            if notes == 1 { "" } else { "s" }
        )),
        Line::default(),
        choice("y", "delete it", theme),
        choice("n", "keep it (also Esc)", theme),
    ];
    dialog(frame, area, "Delete?", lines, theme);
}

fn export_to(frame: &mut Frame, area: Rect, model: &History, count: usize, theme: &Theme) {
    let lines = vec![
        Line::raw(format!(
            "Export {count} session{} as Markdown to this file (in the folder you started from):",
            if count == 1 { "" } else { "s" }
        )),
        Line::from(vec![
            Span::styled(one_line(&model.export_name).into_owned(), theme.step()),
            Span::styled("▏", theme.key()),
        ]),
        Line::default(),
        choice("Enter", "export", theme),
        choice("Esc", "cancel", theme),
    ];
    dialog(frame, area, "Export", lines, theme);
}

fn help(frame: &mut Frame, area: Rect, theme: &Theme) {
    let width = KEYS.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let lines = KEYS
        .iter()
        .map(|(key, what)| {
            Line::from(vec![
                Span::styled(format!("{key:>width$}"), theme.key()),
                Span::raw(format!("  {what}")),
            ])
        })
        .collect();
    dialog(frame, area, "Keys", lines, theme);
}
