//! Drawing the rehearsal: the round screen (who plays what, the card, a big
//! countdown), the observers' review, and the closing summary. Views only
//! read the model; names and card text pass through [`crate::sanitize`].

use std::time::Instant;

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::{RehearseApp, Row};
use crate::practice::rehearse::{Difficulty, Phase, Rehearsal, Role};
use crate::sanitize::for_screen;
use crate::tui::big;
use crate::tui::theme::Theme;
use crate::tui::view::{clock, fits, hints};

pub fn draw(frame: &mut Frame, app: &RehearseApp, theme: &Theme, now: Instant) {
    let area = frame.area();
    if !fits(frame, theme) {
        return;
    }
    let [body, footer] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    let r = &app.rehearsal;
    let keys: &[(&str, &str)] = match r.phase() {
        Phase::Ready => {
            round(frame, body, r, theme, now);
            &[("Enter", "start the round"), ("Esc", "finish")]
        }
        Phase::Playing(Some(_)) => {
            round(frame, body, r, theme, now);
            &[
                ("Enter", "end the round"),
                ("Space", "hold"),
                ("Esc", "finish"),
            ]
        }
        Phase::Playing(None) => {
            round(frame, body, r, theme, now);
            &[("Enter", "end the round"), ("Esc", "finish")]
        }
        Phase::Review => {
            review(frame, body, app, theme);
            &[
                ("Enter", "next round"),
                ("↑↓", "move"),
                ("Space", "tick"),
                ("r", "same card again"),
                ("Esc", "finish"),
            ]
        }
        Phase::Closing => {
            closing(frame, body, app, theme);
            &[("Enter", "close")]
        }
    };
    frame.render_widget(Paragraph::new(hints(keys, footer.width, theme)), footer);
}

/// Who plays what, in one line per role.
fn roles_lines<'a>(r: &Rehearsal, number: usize, theme: &Theme) -> Vec<Line<'a>> {
    [
        (Role::Therapist, "Therapist"),
        (Role::Client, "Client"),
        (Role::Observer, "Observing"),
    ]
    .into_iter()
    .filter_map(|(role, label)| {
        let who = r.who(role, number);
        (!who.is_empty()).then(|| {
            Line::from(vec![
                Span::styled(format!("{label:<10}"), theme.dim()),
                Span::styled(for_screen(&who.join(", ")).into_owned(), theme.step()),
            ])
        })
    })
    .collect()
}

/// The round screen: heading, roles, the card, the countdown.
fn round(frame: &mut Frame, area: Rect, r: &Rehearsal, theme: &Theme, now: Instant) {
    let current = r.round();
    let again = if current.repeated { " · again" } else { "" };
    let heading = Line::from(vec![
        Span::styled(
            format!("Round {} of {}", current.number, r.total_rounds()),
            theme.title(),
        ),
        Span::styled(
            format!(
                "  {} · {}{again}",
                current.card.kind.as_str(),
                current.card.level.as_str()
            ),
            theme.dim(),
        ),
    ]);
    let roles = roles_lines(r, current.number, theme);
    let [head, roles_area, card_area, timer_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(roles.len() as u16),
        Constraint::Min(4),
        Constraint::Length(timer_height(area)),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(heading), head);
    frame.render_widget(Paragraph::new(roles), roles_area);

    let mut card = vec![Line::styled(
        format!("“{}”", for_screen(current.card.client.trim())),
        theme.stem().add_modifier(Modifier::BOLD),
    )];
    if let Some(context) = &current.card.scene {
        card.push(Line::default());
        card.push(Line::styled(
            for_screen(context.trim()).into_owned(),
            theme.dim(),
        ));
    }
    let block = Block::new()
        .borders(Borders::TOP)
        .border_style(theme.border())
        .title(Span::styled(
            format!(" The client says ({}) ", for_screen(&current.card.id)),
            theme.title(),
        ));
    frame.render_widget(
        Paragraph::new(Text::from(card))
            .wrap(Wrap { trim: true })
            .block(block),
        card_area,
    );
    countdown(frame, timer_area, r, theme, now);
}

/// Rows for the countdown: big digits when the window is tall enough.
fn timer_height(area: Rect) -> u16 {
    if area.height >= 22 {
        11
    } else if area.height >= 14 {
        6
    } else {
        1
    }
}

fn countdown(frame: &mut Frame, area: Rect, r: &Rehearsal, theme: &Theme, now: Instant) {
    let (seconds, state) = match r.phase() {
        Phase::Playing(Some(timer)) => (
            Some(timer.display_seconds(now)),
            if timer.is_running() { "" } else { " · held" },
        ),
        Phase::Playing(None) => (None, ""),
        _ => (r.round_length().map(|d| d.as_secs()), " · Enter starts it"),
    };
    let Some(seconds) = seconds else {
        frame.render_widget(
            Paragraph::new(Line::styled(
                "No timer: take the time you need.",
                theme.dim(),
            ))
            .alignment(Alignment::Center),
            area,
        );
        return;
    };
    let text = clock(seconds);
    let waiting = *r.phase() == Phase::Ready;
    let note = if waiting {
        "Enter starts the timer".to_string()
    } else {
        format!("left{state}")
    };
    let [digits, label] = if area.height > 1 {
        Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area)
    } else {
        [Rect::default(), area]
    };
    if let Some(rows) = big::render(&text, digits.width, digits.height) {
        let lines: Vec<Line> = rows
            .into_iter()
            .map(|row| Line::styled(row, theme.gauge()))
            .collect();
        frame.render_widget(Paragraph::new(lines).alignment(Alignment::Center), digits);
        frame.render_widget(
            Paragraph::new(Line::styled(note, theme.dim())).alignment(Alignment::Center),
            label,
        );
    } else {
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(text, theme.step()),
                Span::styled(
                    if waiting {
                        format!(" · {note}")
                    } else {
                        format!(" {note}")
                    },
                    theme.dim(),
                ),
            ]))
            .alignment(Alignment::Center),
            label,
        );
    }
}

/// The observers' checklist, feedback, difficulty and next card.
fn review(frame: &mut Frame, area: Rect, app: &RehearseApp, theme: &Theme) {
    let r = &app.rehearsal;
    let current = r.round();
    let therapist = r.who(Role::Therapist, current.number).join(", ");
    let mut lines = vec![
        Line::styled(
            format!("Round {} of {}: review", current.number, r.total_rounds()),
            theme.title(),
        ),
        Line::raw(format!(
            "Observers: what did {} do?",
            for_screen(&therapist)
        )),
    ];
    let selected = app.row();
    let mark = |row: Row| -> (&'static str, Style) {
        if row == selected {
            ("›", Style::new().add_modifier(Modifier::REVERSED))
        } else {
            (" ", Style::new())
        }
    };
    for (i, step) in r.protocol().steps.iter().enumerate() {
        let (pointer, style) = mark(Row::Step(i));
        let tick = if current.checklist.get(i).copied().unwrap_or(false) {
            "[x]"
        } else {
            "[ ]"
        };
        lines.push(Line::from(vec![
            Span::raw(pointer),
            Span::styled(
                format!("{tick} {} {}", i + 1, for_screen(&step.title)),
                style,
            ),
        ]));
    }
    let (pointer, style) = mark(Row::Feedback);
    let cursor = if selected == Row::Feedback { "▏" } else { "" };
    lines.push(Line::from(vec![
        Span::raw(pointer),
        Span::styled("Feedback: ", style),
        Span::styled(
            format!("{}{cursor}", for_screen(&current.feedback)),
            theme.stem(),
        ),
    ]));
    let (pointer, style) = mark(Row::Difficulty);
    let mut difficulty = vec![Span::raw(pointer), Span::styled("Difficulty:", style)];
    if area.width < 50 {
        // Too narrow for all three: the one chosen, with the keys to change it.
        difficulty.push(Span::styled(
            format!(" ‹{}›", current.difficulty.label()),
            theme.key(),
        ));
        difficulty.push(Span::styled(" ←→", theme.dim()));
    }
    for d in Difficulty::ALL.into_iter().filter(|_| area.width >= 50) {
        let label = if d == current.difficulty {
            Span::styled(format!(" [{}]", d.label()), theme.key())
        } else {
            Span::styled(format!("  {} ", d.label()), theme.dim())
        };
        difficulty.push(label);
    }
    lines.push(Line::from(difficulty));
    let (pointer, style) = mark(Row::NextCard);
    let next = if current.repeat_next {
        "the same card again"
    } else {
        "a new card"
    };
    lines.push(Line::from(vec![
        Span::raw(pointer),
        Span::styled("Next round: ", style),
        Span::styled(next, theme.key()),
    ]));
    // Keep the selected row in view on a short window.
    let selected_line = 2 + app.cursor;
    let scroll = selected_line.saturating_sub(usize::from(area.height).saturating_sub(1));
    frame.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), area);
}

/// The closing summary: one line per round.
fn closing(frame: &mut Frame, area: Rect, app: &RehearseApp, theme: &Theme) {
    let r = &app.rehearsal;
    let rounds = r.reviewed();
    let steps = r.protocol().steps.len();
    let mut lines = vec![
        Line::styled("Rehearsal over", theme.title()),
        Line::raw(format!(
            "{} of {} rounds played. Thank you, everyone.",
            rounds.len(),
            r.total_rounds()
        )),
        Line::default(),
    ];
    for round in rounds {
        let ticked = round.checklist.iter().filter(|t| **t).count();
        let therapist = r.who(Role::Therapist, round.number).join(", ");
        lines.push(Line::from(vec![
            Span::styled(format!("{:>2}. ", round.number), theme.dim()),
            Span::styled(for_screen(&therapist).into_owned(), theme.step()),
            Span::raw(format!(
                ": {} ({}), {ticked}/{steps} steps, {}",
                for_screen(&round.card.id),
                round.card.level.as_str(),
                round.difficulty.label()
            )),
        ]));
        if !round.feedback.is_empty() {
            lines.push(Line::styled(
                format!("    “{}”", for_screen(&round.feedback)),
                theme.stem(),
            ));
        }
    }
    lines.push(Line::default());
    lines.push(Line::styled(
        if app.saving {
            "The rounds are saved with your notes: roles and checklists, never names."
        } else {
            "Nothing is saved (use --save to keep the rounds; names are never kept)."
        },
        theme.dim(),
    ));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}
