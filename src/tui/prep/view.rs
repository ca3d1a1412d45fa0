//! Drawing the prep: the scan (a big countdown, the cue, the breathing
//! pacer), the words for each step, the intention, and the pocket card.
//! Views only read the model; protocol text and typed words pass through
//! [`crate::sanitize`].

use std::time::Instant;

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::PrepApp;
use crate::practice::prep::{Prep, Stage};
use crate::sanitize::for_screen;
use crate::tui::big;
use crate::tui::theme::Theme;
use crate::tui::view::{clock, fits, hints};

pub fn draw(frame: &mut Frame, app: &PrepApp, theme: &Theme, now: Instant) {
    let area = frame.area();
    if !fits(frame, theme) {
        return;
    }
    let [head, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(Line::styled("Before the session", theme.title())),
        head,
    );
    let keys: &[(&str, &str)] = match app.prep.stage() {
        Stage::ScanOffer => {
            offer(frame, body, &app.prep, theme);
            &[("Enter", "begin"), ("Tab", "skip"), ("Esc", "leave")]
        }
        Stage::Scanning(_) => {
            scan(frame, body, &app.prep, theme, now);
            &[("Enter", "end early"), ("Space", "hold"), ("Esc", "leave")]
        }
        Stage::Words(n) => {
            words(frame, body, app, *n, theme);
            // Most needed first: narrow windows drop hints from the end.
            &[
                ("Enter", "take"),
                ("type", "own words"),
                ("↑↓", "pick"),
                ("Tab", "none"),
                ("Shift-Tab", "back"),
                ("Esc", "leave"),
            ]
        }
        Stage::Intention => {
            intention(frame, body, app, theme);
            &[("Enter", "done"), ("Shift-Tab", "back"), ("Esc", "leave")]
        }
        Stage::Card => {
            card(frame, body, &app.prep, theme);
            &[("Enter", "close; the card stays printed")]
        }
    };
    frame.render_widget(Paragraph::new(hints(keys, footer.width, theme)), footer);
}

fn offer(frame: &mut Frame, area: Rect, prep: &Prep, theme: &Theme) {
    let seconds = prep.scan_length().as_secs();
    let lines = vec![
        Line::default(),
        Line::styled("First, the internal scan.", theme.step()),
        Line::raw(format!(
            "{} to slow down and feel, before anything else.",
            crate::plain::rehearse::length_words(seconds as u32)
        )),
        Line::default(),
        Line::from(vec![
            Span::styled("Enter", theme.key()),
            Span::raw(": begin. "),
            Span::styled("Tab", theme.key()),
            Span::raw(": skip."),
        ]),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
}

fn scan(frame: &mut Frame, area: Rect, prep: &Prep, theme: &Theme, now: Instant) {
    let Stage::Scanning(timer) = prep.stage() else {
        return;
    };
    let [digits, state, cue, pacer] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(2),
        Constraint::Length(1),
    ])
    .areas(area);
    let left = clock(timer.display_seconds(now));
    let held = if timer.is_running() {
        ""
    } else {
        " · held (Space to resume)"
    };
    match big::render(&left, digits.width, digits.height) {
        Some(rows) => {
            let pad = digits.height.saturating_sub(rows.len() as u16) / 2;
            let mut lines = vec![Line::default(); usize::from(pad)];
            lines.extend(rows.into_iter().map(|r| Line::styled(r, theme.gauge())));
            frame.render_widget(Paragraph::new(lines).alignment(Alignment::Center), digits);
            frame.render_widget(
                Paragraph::new(Line::styled(format!("left{held}"), theme.dim()))
                    .alignment(Alignment::Center),
                state,
            );
        }
        None => frame.render_widget(
            Paragraph::new(Line::raw(format!("{left} left{held}"))).alignment(Alignment::Center),
            state,
        ),
    }
    let cues = prep.cues();
    if let Some(i) = timer.cue_index(now, cues.len()) {
        frame.render_widget(
            Paragraph::new(Line::styled(
                for_screen(&cues[i]).into_owned(),
                theme.stem(),
            ))
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
            cue,
        );
    }
    if let Some(breath) = prep.breath() {
        let phase = timer.breath(now, breath);
        let word = if phase.inhaling {
            "Breathe in"
        } else {
            "Breathe out"
        };
        frame.render_widget(
            Paragraph::new(Line::styled(
                format!("{word} {}", phase.seconds_left),
                theme.dim(),
            ))
            .alignment(Alignment::Center),
            pacer,
        );
    }
}

fn words(frame: &mut Frame, area: Rect, app: &PrepApp, n: usize, theme: &Theme) {
    let step = app.prep.word_step(n);
    let mut lines = vec![
        Line::styled(
            format!(
                "Your words for this step ({} of {})",
                n + 1,
                app.prep.word_count()
            ),
            theme.dim(),
        ),
        Line::styled(for_screen(&step.title).into_owned(), theme.step()),
        Line::default(),
    ];
    let pick = |i: usize| -> (&'static str, Style) {
        if i == app.selected {
            ("› ", Style::new().add_modifier(Modifier::REVERSED))
        } else {
            ("  ", Style::new())
        }
    };
    for (i, stem) in step.stems.iter().enumerate() {
        let (pointer, style) = pick(i);
        lines.push(Line::from(vec![
            Span::raw(pointer),
            Span::styled(format!("“{}”", for_screen(stem)), style),
        ]));
    }
    let (pointer, style) = pick(step.stems.len());
    let cursor = if app.own_selected() { "▏" } else { "" };
    lines.push(Line::from(vec![
        Span::raw(pointer),
        Span::styled("Your own words: ", style),
        Span::styled(format!("{}{cursor}", for_screen(&app.own)), theme.stem()),
    ]));
    // Keep the selection in view on a short window.
    let selected_line = 3 + app.selected;
    let scroll = selected_line.saturating_sub(usize::from(area.height).saturating_sub(1));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll as u16, 0)),
        area,
    );
}

fn intention(frame: &mut Frame, area: Rect, app: &PrepApp, theme: &Theme) {
    let lines = vec![
        Line::default(),
        Line::styled("One line of intention for the session.", theme.step()),
        Line::styled(
            "What do you want to remember when it gets hard?",
            theme.dim(),
        ),
        Line::default(),
        Line::from(vec![
            Span::raw("› "),
            Span::styled(format!("{}▏", for_screen(&app.intention)), theme.stem()),
        ]),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

fn card(frame: &mut Frame, area: Rect, prep: &Prep, theme: &Theme) {
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.border())
        .title(Span::styled(" Pocket card ", theme.title()));
    let inner = block.inner(area);
    let chosen = prep.card();
    let intention = !prep.intention().is_empty();
    // Each step's title over its words when that fits; on a small window,
    // the words alone, numbered by step, so the card stays on one screen.
    let full_rows = chosen.len() * 2 + usize::from(intention);
    let compact = full_rows > usize::from(inner.height);
    let mut lines = Vec::new();
    if chosen.is_empty() {
        lines.push(Line::styled("No words chosen.", theme.dim()));
    }
    for (title, words) in chosen {
        if compact {
            lines.push(Line::styled(
                format!("• {}", for_screen(words)),
                theme.stem(),
            ));
        } else {
            lines.push(Line::styled(for_screen(title).into_owned(), theme.step()));
            lines.push(Line::styled(
                format!("  {}", for_screen(words)),
                theme.stem(),
            ));
        }
    }
    if intention {
        lines.push(Line::from(vec![
            Span::styled("Intention: ", theme.step()),
            Span::raw(for_screen(prep.intention()).into_owned()),
        ]));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        area,
    );
}
