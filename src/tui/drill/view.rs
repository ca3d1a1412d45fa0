//! Drawing the drill: the card with its breath, the response, the marker
//! question, the reveal, the self-assessment and the summary. Views only
//! read the model; card and protocol text passes through
//! [`crate::sanitize`]. The footer and the F1 help come from the key table.

use std::time::Instant;

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::{DrillApp, KEYS, Row};
use crate::practice::drill::{Drill, MarkerGuess, Phase, SCAN_CUE, SELF_REPORT_PROMPT};
use crate::practice::drill::{card_name, card_origin, focus_words};
use crate::practice::level::{MAX_RATING, WARM_UP_LINE};
use crate::sanitize::for_screen;
use crate::tui::big;
use crate::tui::keys;
use crate::tui::theme::Theme;
use crate::tui::widgets::dialogs::dialog;
use crate::tui::widgets::scrolled::Scrolled;
use crate::tui::widgets::stack::{self, Part};
use crate::tui::widgets::{clock, fits, reading, rows_in_view};

pub fn draw(frame: &mut Frame, app: &DrillApp, theme: &Theme, now: Instant) -> u16 {
    let window = frame.area();
    if !fits(frame, theme) {
        return u16::MAX;
    }
    // The walk's reading column: at most 76 columns, centred.
    let area = reading(window);
    let [head, body, footer] =
        stack::rows(area, [Part::Fixed(1), Part::AtLeast(1), Part::Fixed(1)]);
    let d = &app.drill;
    frame.render_widget(Paragraph::new(heading(d, theme, now)), head);
    // How far the page showing can scroll (only the paged ones do).
    let scroll_max = match d.phase() {
        Phase::Intro => intro(frame, body, app, theme),
        Phase::Notice => notice(frame, body, app, theme),
        Phase::Scan(_) | Phase::Respond { .. } => {
            card(frame, body, app, theme, now);
            u16::MAX
        }
        Phase::Guess => {
            guess(frame, body, app, theme);
            u16::MAX
        }
        Phase::Reveal => reveal(frame, body, app, theme),
        Phase::Assess => {
            assess(frame, body, app, theme);
            u16::MAX
        }
        Phase::Closing => closing(frame, body, app, theme),
    };
    frame.render_widget(
        Paragraph::new(keys::footer(KEYS, footer.width, theme, |c| app.hint(c))),
        footer,
    );
    if app.help {
        dialog(
            frame,
            window,
            "Drill keys",
            Text::from(keys::help_lines(&help_rows(app), theme)),
            theme,
        );
    }
    scroll_max
}

/// The key table's rows the F1 help lists now: those with words (the
/// second key of a pair is named on its first's row).
fn help_rows(app: &DrillApp) -> Vec<keys::Binding<super::Cmd>> {
    KEYS.iter()
        .copied()
        .filter(|b| !b.help.is_empty() && app.in_help(b.command))
        .collect()
}

/// Before a card with a content note: the note, and the choice to deal
/// the card or leave it out. The card's words are not shown yet.
fn notice(frame: &mut Frame, area: Rect, app: &DrillApp, theme: &Theme) -> u16 {
    let d = &app.drill;
    let key = |k: &'static str| Span::styled(k, theme.key());
    let mut lines = Vec::new();
    if let Some(change) = d.last_change() {
        lines.push(Line::styled(change.sentence(d.options().rule), theme.dim()));
        lines.push(Line::default());
    }
    if let Some(note) = d.current().card.content_note() {
        lines.push(Line::styled(for_screen(&note).into_owned(), theme.step()));
    }
    lines.extend([
        Line::default(),
        Line::from(vec![key("Enter"), Span::raw(" deals the card")]),
        Line::from(vec![
            key("s"),
            Span::raw(" leaves it out: another card comes instead"),
        ]),
        Line::default(),
        Line::styled(
            "--exclude-tag risk (or exclude_tags = [\"risk\"] in the settings) leaves out every card with a content note.",
            theme.dim(),
        ),
    ]);
    paged(frame, area, lines, app.scroll, theme)
}

/// "Card 2 of 10 · new · 14:12 left" (the drill's minutes).
fn heading<'a>(d: &Drill, theme: &Theme, now: Instant) -> Line<'a> {
    match d.phase() {
        Phase::Closing => return Line::styled("Drill: summary", theme.title()),
        Phase::Intro => {
            return Line::styled(
                format!("Drill: {}", for_screen(&d.protocol().title)),
                theme.title(),
            );
        }
        _ => {}
    }
    let a = d.current();
    let left = d.ends_at().saturating_duration_since(now).as_secs();
    let time = if left == 0 {
        "last card".to_string()
    } else {
        format!("{} min left", left.div_ceil(60))
    };
    Line::from(vec![
        Span::styled(
            format!("Card {} of {}", a.number, d.options().cards),
            theme.title(),
        ),
        Span::styled(format!(" · {} · {time}", card_origin(d)), theme.dim()),
    ])
}

/// The scene and the client's statement.
fn statement(d: &Drill, theme: &Theme) -> Vec<Line<'static>> {
    let card = &d.current().card;
    let mut lines = Vec::new();
    if let Some(scene) = &card.scene {
        lines.push(Line::styled(
            for_screen(scene.trim()).into_owned(),
            theme.dim(),
        ));
        lines.push(Line::default());
    }
    lines.push(Line::styled(
        format!("“{}”", for_screen(card.client.trim())),
        theme.stem().add_modifier(Modifier::BOLD),
    ));
    lines
}

/// The card, with the breath or the response under it.
fn card(frame: &mut Frame, area: Rect, app: &DrillApp, theme: &Theme, now: Instant) {
    let d = &app.drill;
    let mut lines = Vec::new();
    if let (Some(change), Phase::Scan(_), 1) = (d.last_change(), d.phase(), d.current().attempt) {
        lines.push(Line::styled(change.sentence(d.options().rule), theme.dim()));
        lines.push(Line::default());
    }
    let responding = matches!(d.phase(), Phase::Respond { .. });
    if responding && area.height < 16 {
        // Small windows: the client's words stay; the scene was read.
        lines.push(Line::styled(
            format!("“{}”", for_screen(d.current().card.client.trim())),
            theme.stem().add_modifier(Modifier::BOLD),
        ));
    } else {
        lines.extend(statement(d, theme));
    }
    if let (true, Some(model)) = (responding, d.warm_up_model()) {
        lines.push(Line::default());
        lines.push(Line::styled(WARM_UP_LINE, theme.step()));
        lines.push(Line::styled(
            format!("“{}”", for_screen(model)),
            theme.dim(),
        ));
    }
    let typed = d.options().typed && matches!(d.phase(), Phase::Respond { .. });
    let timer_rows = if typed { 4 } else { timer_height(area) };
    // A tall window: the timer stands a line under the card, not at the
    // bottom of the screen.
    let needed = Paragraph::new(Text::from(lines.clone()))
        .wrap(Wrap { trim: false })
        .line_count(area.width.max(1)) as u16;
    let area = if needed + 1 + timer_rows < area.height {
        Rect {
            height: needed + 1 + timer_rows,
            ..area
        }
    } else {
        area
    };
    let [text_area, timer_area] = stack::rows(area, [Part::AtLeast(2), Part::Fixed(timer_rows)]);
    // The client's words (the last line) stay in view in a small window:
    // what is above them scrolls away first, and ↑ brings it back.
    let width = text_area.width.max(1);
    let total = Paragraph::new(Text::from(lines.clone()))
        .wrap(Wrap { trim: false })
        .line_count(width) as u16;
    let overflow = total > text_area.height;
    // A row for the sign saying what is out of sight.
    let (sign, text_area) = if overflow && text_area.height > 2 {
        let [sign, rest] = stack::rows(text_area, [Part::Fixed(1), Part::AtLeast(1)]);
        (Some(sign), rest)
    } else {
        (None, text_area)
    };
    let hidden = total.saturating_sub(text_area.height);
    let up = app.scroll.min(hidden);
    let scroll = hidden - up;
    if let Some(sign) = sign {
        let words = match (scroll > 0, up > 0) {
            (true, true) => "↑ ↓ more",
            (true, false) => "↑ more above",
            _ => "↓ back to the client's words",
        };
        frame.render_widget(
            Paragraph::new(Line::styled(words, theme.dim())).alignment(Alignment::Right),
            sign,
        );
    }
    frame.render_widget(
        Paragraph::new(Text::from(lines))
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        text_area,
    );
    match d.phase() {
        Phase::Scan(timer) => countdown(
            frame,
            timer_area,
            timer.display_seconds(now),
            SCAN_CUE,
            theme,
        ),
        Phase::Respond { timer, .. } if typed => {
            let _ = timer;
            let text = for_screen(&d.current().response).into_owned();
            let block = Block::new()
                .borders(Borders::TOP)
                .border_style(theme.border())
                .title(Span::styled(" Your response ", theme.title()));
            let inner_width = timer_area.width.max(1) as usize;
            // Keep the end of a long response (where the cursor is) in view.
            let shown: String = {
                let chars: Vec<char> = text.chars().collect();
                let room = inner_width * 3 - 1;
                chars[chars.len().saturating_sub(room)..].iter().collect()
            };
            frame.render_widget(
                Paragraph::new(Line::from(vec![
                    Span::raw(shown),
                    Span::styled("▏", theme.key()),
                ]))
                .wrap(Wrap { trim: false })
                .block(block),
                timer_area,
            );
        }
        Phase::Respond {
            timer: Some(timer), ..
        } => {
            let held = if timer.is_running() { "" } else { " · held" };
            countdown(
                frame,
                timer_area,
                timer.display_seconds(now),
                &format!("{}Respond out loud now{held}", rec_mark(app)),
                theme,
            );
        }
        Phase::Respond { timer: None, .. } => {
            frame.render_widget(
                Paragraph::new(Line::styled(
                    format!("{}Respond out loud now; Enter when done.", rec_mark(app)),
                    theme.step(),
                ))
                .alignment(Alignment::Center),
                timer_area,
            );
        }
        _ => {}
    }
}

/// "● Recording · " while a response is being recorded, so it is never
/// recorded unseen.
fn rec_mark(app: &DrillApp) -> &'static str {
    if app.recording_now() {
        "● Recording · "
    } else {
        ""
    }
}

/// Rows for the countdown: big digits when the window is tall enough.
pub(crate) fn timer_height(area: Rect) -> u16 {
    if area.height >= 20 {
        7
    } else if area.height >= 14 {
        6
    } else {
        2
    }
}

/// The drill's countdown (the one-breath scan and the response): big digits
/// with a line under them, or the time as text on a small window. The
/// rehearsal's breath uses it too.
pub(crate) fn countdown(frame: &mut Frame, area: Rect, seconds: u64, note: &str, theme: &Theme) {
    let text = clock(seconds);
    let [digits, label] = stack::rows(area, [Part::AtLeast(1), Part::Fixed(1)]);
    if big::draw(frame, digits, &text, digits.height, theme.gauge()) {
        frame.render_widget(
            Paragraph::new(Line::styled(note.to_string(), theme.step()))
                .alignment(Alignment::Center),
            label,
        );
    } else {
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(format!("{text} "), theme.gauge()),
                Span::styled(note.to_string(), theme.step()),
            ]))
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
            Rect {
                y: area.y,
                height: area.height,
                ..area
            },
        );
    }
}

/// Lines, scrolled so that line `keep` (and what it wraps to) is visible,
/// the rows out of sight said as every list says them.
fn scrolled(frame: &mut Frame, area: Rect, lines: Vec<Line<'static>>, keep: usize, theme: &Theme) {
    let width = area.width.max(1);
    let mut items = Vec::with_capacity(lines.len());
    let mut total = 0;
    for line in &lines {
        let height = Paragraph::new(line.clone())
            .wrap(Wrap { trim: false })
            .line_count(width);
        items.push(total..total + height);
        total += height;
    }
    rows_in_view(frame, area, lines, &items, (keep, true), theme);
}

fn selected(on: bool) -> (&'static str, Style) {
    if on {
        ("›", Style::new().add_modifier(Modifier::REVERSED))
    } else {
        (" ", Style::new())
    }
}

/// Which marker was it: the question (and the statement, where there is
/// room) stay put; the choices scroll.
fn guess(frame: &mut Frame, area: Rect, app: &DrillApp, theme: &Theme) {
    let d = &app.drill;
    let mut head = Vec::new();
    if area.height >= 20 {
        head.push(Line::styled(
            format!("“{}”", for_screen(d.current().card.client.trim())),
            theme.stem(),
        ));
        head.push(Line::default());
    }
    head.push(Line::styled("Which marker did you see?", theme.title()));
    let head_height = Paragraph::new(Text::from(head.clone()))
        .wrap(Wrap { trim: true })
        .line_count(area.width.max(1)) as u16;
    let [head_area, list_area] = stack::rows(
        area,
        [
            Part::Fixed(head_height.min(area.height / 2)),
            Part::AtLeast(1),
        ],
    );
    frame.render_widget(
        Paragraph::new(Text::from(head)).wrap(Wrap { trim: true }),
        head_area,
    );
    let mut lines = Vec::new();
    for (i, choice) in MarkerGuess::choices().into_iter().enumerate() {
        let (pointer, style) = selected(i == app.cursor);
        let indent = if matches!(choice, MarkerGuess::Marker(_)) {
            "  "
        } else {
            ""
        };
        lines.push(Line::from(vec![
            Span::raw(pointer),
            Span::styled(format!("{indent}{}", choice.label()), style),
        ]));
    }
    scrolled(frame, list_area, lines, app.cursor, theme);
}

/// A list item: `• ` then `text`, wrapped to `width` with its continuation
/// lines under the text, not under the bullet.
fn bullet(text: &str, width: u16, style: Style) -> Vec<Line<'static>> {
    let mut lines = crate::tui::widgets::wrap_indented(text, width, "  ", style);
    if let Some(first) = lines.first_mut() {
        let words: String = first.spans.iter().map(|s| s.content.as_ref()).collect();
        *first = Line::styled(format!("• {}", &words[2..]), style);
    }
    lines
}

/// The reveal's lines, wrapped to `width` where a list keeps its indent
/// (also what the summary of a card would show): the drill's one reveal
/// model under the client's words, which have scrolled away by now.
pub fn reveal_lines(d: &Drill, theme: &Theme, width: u16) -> Vec<Line<'static>> {
    let r = crate::practice::reveal::drill(d);
    let quoted = |words: &str| format!("“{}”", for_screen(words));
    let mut lines = vec![
        Line::styled(quoted(d.current().card.client.trim()), theme.stem()),
        Line::from(vec![
            Span::styled(format!("{} ", r.kind.as_str()), theme.step()),
            Span::styled(format!("({})", r.level.as_str()), theme.dim()),
        ]),
    ];
    if !r.markers.is_empty() {
        lines.push(Line::raw(format!("Markers: {}", r.markers.join(", "))));
    }
    lines.push(Line::styled(r.verdict, theme.dim()));
    if let Some(response) = &r.response {
        lines.push(Line::default());
        lines.push(Line::styled("You said", theme.title()));
        lines.push(Line::raw(quoted(response)));
    }
    for part in &r.parts {
        lines.push(Line::default());
        lines.push(Line::styled(
            for_screen(&part.heading).into_owned(),
            theme.title(),
        ));
        for item in &part.items {
            match (&item.says, &item.about) {
                (Some(says), Some(about)) => lines.push(Line::from(vec![
                    Span::raw(format!("{} ", quoted(says))),
                    Span::styled(for_screen(about).into_owned(), theme.dim()),
                ])),
                (Some(says), None) => lines.push(Line::styled(quoted(says), theme.stem())),
                (None, Some(text)) if part.is_list() => {
                    lines.extend(bullet(&for_screen(text), width, Style::default()));
                }
                (None, Some(text)) => lines.push(Line::raw(for_screen(text).into_owned())),
                (None, None) => {}
            }
            if let Some(under) = &item.under {
                lines.extend(crate::tui::widgets::wrap_indented(
                    &for_screen(under),
                    width,
                    "  ",
                    theme.dim(),
                ));
            }
        }
    }
    lines
}

/// The first screen, before anything runs: which step is drilled, how the
/// responses are given, what each card holds, the keys, Enter to begin.
fn intro(frame: &mut Frame, area: Rect, app: &DrillApp, theme: &Theme) -> u16 {
    let d = &app.drill;
    let o = d.options();
    let key = |k: &'static str| Span::styled(k, theme.key());
    let mut lines = vec![
        Line::styled(
            format!("Drilling {}.", for_screen(&focus_words(d))),
            theme.step(),
        ),
        Line::raw(format!(
            "Up to {} or {}, whichever comes first.",
            crate::words::count(o.cards as usize, "card", "cards"),
            crate::words::count(o.minutes as usize, "minute", "minutes")
        )),
        Line::default(),
        Line::styled(
            if o.typed {
                "Type each response, briefly."
            } else {
                "Say each response out loud, briefly."
            },
            theme.stem().add_modifier(Modifier::BOLD),
        ),
        Line::default(),
        Line::raw(
            "Each card: the client's words and one breath; your response; which marker you saw; the reveal, with model responses; then how hard it was, 0 to 10.",
        ),
        Line::default(),
        Line::from(vec![key("Enter"), Span::raw(" goes on at each part")]),
    ];
    if !o.typed && o.respond_seconds > 0 {
        lines.push(Line::from(vec![
            key("Space"),
            Span::raw(" holds the response timer"),
        ]));
    }
    lines.extend([
        Line::from(vec![
            key("a"),
            Span::raw(" tries the same card again, after rating it"),
        ]),
        Line::from(vec![key("Esc"), Span::raw(" finishes: the summary")]),
        Line::from(vec![key("F1"), Span::raw(" every key")]),
        Line::default(),
        Line::from(vec![key("Enter"), Span::raw(" begins the first card.")]),
    ]);
    paged(frame, area, lines, app.scroll, theme)
}

fn reveal(frame: &mut Frame, area: Rect, app: &DrillApp, theme: &Theme) -> u16 {
    paged(
        frame,
        area,
        reveal_lines(&app.drill, theme, area.width.max(1)),
        app.scroll,
        theme,
    )
}

/// `lines` wrapped and scrolled by `scroll` (never past the end), with the
/// position line when not all of it shows; returns how far it can scroll.
fn paged(
    frame: &mut Frame,
    area: Rect,
    lines: Vec<Line<'static>>,
    scroll: u16,
    theme: &Theme,
) -> u16 {
    Scrolled::new(Text::from(lines))
        .wrapped()
        .offset(scroll)
        .keys("↓ PgDn more", "↑ PgUp back")
        .style(theme.dim())
        .draw(area, frame.buffer_mut())
        .max
}

/// Criteria met (or the self-report) and the rating.
fn assess(frame: &mut Frame, area: Rect, app: &DrillApp, theme: &Theme) {
    let d = &app.drill;
    let a = d.current();
    let mut lines = Vec::new();
    let mut keep = 0;
    let row_now = app.row();
    for (i, row) in app.rows().into_iter().enumerate() {
        let (pointer, style) = selected(row == row_now);
        if i == app.cursor {
            keep = lines.len();
        }
        match row {
            Row::Criterion(c) => {
                if c == 0 {
                    lines.push(Line::styled("Did your response…", theme.title()));
                    if i == app.cursor {
                        keep = lines.len();
                    }
                }
                let tick = if a.met.get(c).copied().unwrap_or(false) {
                    "[x]"
                } else {
                    "[ ]"
                };
                let text = d.criteria().get(c).map_or("", |(_, t)| t.as_str());
                // Wrapped lines go on under the text, not under the box.
                let lead = format!("{pointer}{tick} ");
                let indent = crate::tui::widgets::width_of(&lead);
                let room = area.width.saturating_sub(indent as u16).max(8);
                let wrapped =
                    crate::tui::widgets::wrap_indented(&for_screen(text), room, "", style);
                for (j, part) in wrapped.into_iter().enumerate() {
                    let mut spans = if j == 0 {
                        vec![Span::raw(pointer), Span::styled(format!("{tick} "), style)]
                    } else {
                        vec![Span::raw(" ".repeat(indent))]
                    };
                    spans.extend(part.spans);
                    lines.push(Line::from(spans));
                }
                if i == app.cursor {
                    // Scrolled so the whole criterion shows.
                    keep = lines.len() - 1;
                }
            }
            Row::SelfReport => {
                lines.push(Line::styled(SELF_REPORT_PROMPT, theme.title()));
                if i == app.cursor {
                    keep = lines.len();
                }
                let cursor = if row == row_now { "▏" } else { "" };
                let text = for_screen(&a.self_report).into_owned();
                let shown = if text.is_empty() && row != row_now {
                    Span::styled("(nothing noted)", theme.placeholder())
                } else {
                    Span::styled(text, style)
                };
                lines.push(Line::from(vec![
                    Span::raw(pointer),
                    shown,
                    Span::styled(cursor, theme.key()),
                ]));
            }
            Row::Rating => {
                lines.push(Line::styled("How hard was it?", theme.title()));
                if i == app.cursor {
                    keep = lines.len();
                }
                let bar: String = (1..=MAX_RATING)
                    .map(|r| if r <= a.rating { '■' } else { '·' })
                    .collect();
                lines.push(Line::from(vec![
                    Span::raw(pointer),
                    Span::styled(format!("{:>2} of {MAX_RATING} ", a.rating), style),
                    Span::styled(bar, theme.gauge()),
                ]));
                let rule = d.options().rule;
                lines.push(Line::styled(
                    format!(
                        "{} or more: next card easier; {} or less: harder.",
                        rule.down_at, rule.up_at
                    ),
                    theme.dim(),
                ));
            }
        }
    }
    if let Some(note) = app.tape_note() {
        lines.push(Line::styled(note, theme.dim()));
    } else if app.hint(super::Cmd::Play) != crate::tui::keys::Hint::Off {
        lines.push(Line::styled(
            "Your response was recorded: p plays it back.",
            theme.dim(),
        ));
    }
    scrolled(frame, area, lines, keep, theme);
}

/// The summary: one line per kept attempt and the marker rate.
fn closing(frame: &mut Frame, area: Rect, app: &DrillApp, theme: &Theme) -> u16 {
    let d = &app.drill;
    let records = d.records();
    let mut lines = vec![Line::raw(format!(
        "{} {}, {} {}.",
        d.cards_done(),
        if d.cards_done() == 1 { "card" } else { "cards" },
        records.len(),
        if records.len() == 1 {
            "attempt"
        } else {
            "attempts"
        }
    ))];
    let firsts: Vec<_> = records.iter().filter(|r| r.attempt == 1).collect();
    if !firsts.is_empty() {
        let right = firsts.iter().filter(|r| r.marker_right).count();
        lines.push(Line::raw(format!(
            "Markers recognised first time: {right} of {}.",
            firsts.len()
        )));
    }
    lines.push(Line::default());
    for r in records {
        let offered = r.criteria_met.len() + r.criteria_missed.len();
        let criteria = if offered > 0 {
            format!(" · {}/{offered} met", r.criteria_met.len())
        } else {
            String::new()
        };
        let again = if r.attempt > 1 {
            format!(" (try {})", r.attempt)
        } else {
            String::new()
        };
        lines.push(Line::from(vec![
            Span::styled(
                format!("{}{again} ", for_screen(&card_name(&r.client))),
                theme.step(),
            ),
            Span::styled(format!("rated {}{criteria}", r.rating), theme.dim()),
        ]));
    }
    lines.push(Line::default());
    lines.push(Line::styled(
        if !app.saving {
            "Nothing is kept: saving is off (--no-save or save = false in the settings)."
        } else if records.is_empty() {
            "Nothing to save: no card was assessed."
        } else {
            "Saved with your notes; hard cards come back sooner."
        },
        theme.dim(),
    ));
    // A long drill's summary scrolls on a small window.
    paged(frame, area, lines, app.scroll, theme)
}
