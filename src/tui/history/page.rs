//! The pages the browser scrolls: a session as a formatted page (headings,
//! steps with their status, notes with their line breaks), the stats text
//! and the key help. Each is built already wrapped to a width, so the model
//! knows exactly how many lines there are and scrolling stops at the end.
//! Pure: text in, lines out; every text from a session passes through
//! [`crate::sanitize`].

use crate::tui::widgets::{width_of, wrap_words};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::journal::cards::{self, Entry, EntryKind};
use crate::journal::review::{self, Stats};
use crate::journal::{Session, StepStatus};
use crate::practice::progress::Progress;
use crate::sanitize::{for_screen, one_line};
use crate::tui::theme::Theme;
use crate::words::count;

/// Reading text is never wider than this; wider windows centre it.
pub const READING_WIDTH: u16 = 76;

/// How tall the stats chart is in a window `height` rows high.
pub fn chart_height(height: u16) -> u16 {
    (height / 2).clamp(5, 12)
}

/// The width text is wrapped to in a window `width` columns wide.
pub fn text_width(width: u16) -> u16 {
    width.clamp(1, READING_WIDTH)
}

/// Word-wraps one logical line to `width` columns, every wrapped line
/// starting at `indent` spaces (so notes keep their indent).
pub fn wrap(text: &str, width: usize, indent: usize) -> Vec<String> {
    let room = width.max(indent + 8) - indent;
    let pad = " ".repeat(indent);
    wrap_words(text, room, room)
        .into_iter()
        .map(|line| format!("{pad}{line}"))
        .collect()
}

fn push_wrapped(
    lines: &mut Vec<Line<'static>>,
    text: &str,
    width: usize,
    indent: usize,
    style: Style,
) {
    for piece in wrap(text, width, indent) {
        lines.push(Line::styled(piece, style));
    }
}

/// The title a session is known by.
pub fn title_of(session: &Session) -> &str {
    if session.protocol_title.is_empty() {
        &session.protocol
    } else {
        &session.protocol_title
    }
}

/// A step's status as a symbol and a word, so it does not rest on colour;
/// a word this version does not know is shown as it is.
pub fn status_mark(status: &StepStatus) -> std::borrow::Cow<'static, str> {
    match status {
        StepStatus::Done => "✓ done".into(),
        StepStatus::Skipped => "– skipped".into(),
        StepStatus::FollowUp => "↻ follow-up open".into(),
        StepStatus::NotReached => "· not reached".into(),
        StepStatus::Other(word) => format!("? {}", one_line(word)).into(),
    }
}

/// A whole session as a page `width` columns wide.
pub fn session_page(session: &Session, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let width = usize::from(text_width(width));
    let mut lines = Vec::new();
    push_wrapped(
        &mut lines,
        &one_line(title_of(session)),
        width,
        0,
        theme.title(),
    );
    push_wrapped(
        &mut lines,
        &format!("{} · {}", review::when(session), what_it_was(session)),
        width,
        0,
        theme.dim(),
    );
    let state = match session.finished_at {
        Some(at) => format!("Finished {}", at.format("%a %-d %b %Y %H:%M")),
        None if session.resumable() => "Unfinished: r resumes it".to_string(),
        None => "Unfinished".to_string(),
    };
    let mut marks = vec![state];
    if review::is_pending_follow_up(session) {
        marks.push("↻ follow-up waiting: f does it now".into());
    }
    push_wrapped(&mut lines, &marks.join(" · "), width, 0, theme.step());
    if let Some(intention) = &session.extra.intention {
        push_wrapped(
            &mut lines,
            &format!("Intention: {}", one_line(intention)),
            width,
            0,
            Style::default(),
        );
    }
    for (i, step) in session.steps.iter().enumerate() {
        lines.push(Line::default());
        let paused = match step.pause_seconds {
            Some(s) => format!(" · paused {}:{:02}", s / 60, s % 60),
            None => String::new(),
        };
        let heading = format!("{}. {}", i + 1, one_line(&step.title));
        push_wrapped(&mut lines, &heading, width, 0, theme.step());
        push_wrapped(
            &mut lines,
            &format!("{}{paused}", status_mark(&step.status)),
            width,
            3,
            theme.dim(),
        );
        let notes = for_screen(step.notes.trim_end());
        if notes.trim().is_empty() {
            push_wrapped(&mut lines, "No notes.", width, 3, theme.dim());
        } else {
            for line in notes.lines() {
                push_wrapped(&mut lines, line, width, 3, Style::default());
            }
        }
    }
    for entry in cards::entries(session) {
        lines.push(Line::default());
        entry_lines(&mut lines, &entry, width, theme);
    }
    lines
}

/// The mode and what the session adds up to: `practice · 3 of 6 steps
/// done`, `drill (drilling validate) · 6 cards · median 6/10`.
pub fn what_it_was(session: &Session) -> String {
    let mode = match &session.drill {
        // A walk of one step is practised alone; "drilling" is the card
        // drill's word.
        Some(step) if session.mode == crate::journal::SessionMode::Practice => {
            format!("{} (one step: {})", session.mode, one_line(step))
        }
        Some(step) => format!("{} (drilling {})", session.mode, one_line(step)),
        None => one_line(session.mode.as_str()).into_owned(),
    };
    format!("{mode} · {}", adds_up_to(session))
}

/// What a session adds up to, in words: `3 of 6 steps done`, or a drill's
/// or rehearsal's [`crate::journal::Row::summary`] (`6 cards · median 6/10`).
pub fn adds_up_to(session: &Session) -> String {
    let row = crate::journal::Row::of(session);
    if row.counts_cards() {
        row.summary()
    } else {
        let (done, total) = review::steps_done(session);
        format!("{done} of {} done", count(total, "step", "steps"))
    }
}

/// One card of a drill or round of a rehearsal, laid out for reading: the
/// card by its client line (or its id, when the record has no line), what
/// kind of card and which try, then each fact on lines of its own.
fn entry_lines(lines: &mut Vec<Line<'static>>, entry: &Entry, width: usize, theme: &Theme) {
    let word = match entry.what {
        EntryKind::Card => "Card",
        EntryKind::Round => "Round",
    };
    push_wrapped(
        lines,
        &format!("{word} {} · {}", entry.number, one_line(&entry.named())),
        width,
        0,
        theme.step(),
    );
    let mut about = Vec::new();
    if entry.client.is_some() {
        about.push(one_line(&entry.card).into_owned());
    }
    about.push(one_line(&entry.kind).into_owned());
    about.push(one_line(&entry.level).into_owned());
    if entry.attempt > 1 {
        about.push(format!("↻ retry, try {}", entry.attempt));
    } else if entry.repeated {
        about.push("↻ repeated".to_string());
    }
    push_wrapped(lines, &about.join(" · "), width, 3, theme.dim());
    for fact in &entry.facts {
        push_wrapped(lines, &one_line(&fact.line()), width, 3, Style::default());
    }
}

/// The stats below the chart, `width` columns wide.
/// Rows under the stats text for the median-difficulty sparkline: none
/// before any practice, fewer in a short window.
pub fn spark_height(height: u16, progress: &Progress) -> u16 {
    if progress.is_empty() {
        return 0;
    }
    let text = height.saturating_sub(2 + chart_height(height));
    if text >= 14 {
        4
    } else if text >= 6 {
        2
    } else {
        0
    }
}

/// The stats as lines: sessions, the run of weeks, each step's counts, then
/// the practice section (drill and rehearse) once there is any.
pub fn stats_page(
    stats: &Stats,
    progress: &Progress,
    width: u16,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let width = usize::from(text_width(width));
    let mut lines = vec![
        Line::raw(format!(
            "{} · {} min in pauses",
            count(stats.sessions, "session", "sessions"),
            stats.pause_minutes()
        )),
        Line::raw(format!(
            "{} in a row · {} waiting",
            count(stats.streak_weeks, "week", "weeks"),
            count(stats.pending_follow_ups, "follow-up", "follow-ups")
        )),
        Line::styled("in a whole walk / alone, per step", theme.dim()),
    ];
    let wide = stats
        .steps
        .iter()
        .map(|s| s.practised.max(s.drilled).to_string().len())
        .max()
        .unwrap_or(1)
        .max(3);
    for step in &stats.steps {
        let numbers = format!("{:>wide$} / {:<wide$} ", step.practised, step.drilled);
        let indent = width_of(&numbers);
        let pieces = wrap(&one_line(&step.title), width.saturating_sub(indent), 0);
        for (i, piece) in pieces.into_iter().enumerate() {
            let lead = if i == 0 {
                numbers.clone()
            } else {
                " ".repeat(indent)
            };
            lines.push(Line::raw(format!("{lead}{piece}")));
        }
    }
    if !progress.is_empty() {
        lines.extend(practice_lines(progress, theme));
    }
    lines
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
    let per_week = |count: fn(&crate::practice::progress::PracticeWeek) -> usize| {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_the_indent_and_cuts_long_words() {
        assert_eq!(
            wrap("one two three four", 14, 3),
            ["   one two", "   three four"]
        );
        let long = wrap(&"x".repeat(30), 12, 2);
        assert!(long.iter().all(|l| l.starts_with("  ") && l.len() <= 12));
        assert_eq!(long.concat().replace(' ', "").len(), 30);
    }

    /// The page offers `r` only on a session that resumes: an unfinished
    /// walk or prep, never an unfinished drill or rehearsal.
    #[test]
    fn the_page_offers_resume_only_where_the_mode_resumes() {
        use crate::journal::{SessionMode, fixtures};
        let text = |mode: SessionMode| {
            let session = Session {
                mode,
                ..fixtures::session("20261130-090000-0000", "2026-11-30T09:00:00+01:00")
            };
            session_page(&session, 80, &Theme::monochrome())
                .iter()
                .map(|l| l.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        };
        for mode in [SessionMode::Practice, SessionMode::Prep] {
            assert!(text(mode).contains("Unfinished: r resumes it"));
        }
        for mode in [SessionMode::Drill, SessionMode::Rehearse] {
            let page = text(mode);
            assert!(page.contains("Unfinished"), "{page}");
            assert!(!page.contains("r resumes"), "{page}");
        }
    }
}
