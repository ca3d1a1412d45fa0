//! Drawing the rehearsal: the safety line, the client's private moment, the
//! round in a projector layout (scene and statement large and centred, roles
//! on one line, the countdown to one side), each stage of the review, the
//! reveal and the closing summary. Views only read the model; names and card
//! text pass through [`crate::sanitize`]. Wrapped lines keep their indent,
//! and text cut to fit ends in an ellipsis.

use std::ops::Range;
use std::time::Instant;

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::{
    CONSENT_KEYS, CONSENT_QUESTION, ConsentCmd, EDITOR_KEYS, KEYS, RehearseApp, Row, STOP_KEYS,
    StopCmd,
};
use crate::practice::drill::marker_words;
use crate::practice::level::{MAX_RATING, WARM_UP_LINE};
use crate::practice::rehearse::{
    Continuation, DEROLE_LINE, Improv, ONE_BEAT_LINE, POINT_LEAD, PRIVATE_LINE, Phase, Reaction,
    Rehearsal, Role, SAFETY_LINE, SCAN_CUE, SET_DEROLE_LINE, Stage, card_name, continuation_words,
    inner_step_line,
};
use crate::sanitize::for_screen;
use crate::tui::big;
use crate::tui::keys;
use crate::tui::theme::Theme;
use crate::tui::widgets::dialogs::{choice, dialog};
use crate::tui::widgets::stack::{self, Part};
use crate::tui::widgets::{clock, cut_lines, fits, rows_sign, width_of, wrap_words};

/// Reading text is never wider than this: the walk's reading width.
const READING: u16 = crate::tui::widgets::READING_WIDTH;

/// Draws the rehearsal and returns how far the long page it drew (the
/// page, or the help when that is a page of its own) can scroll; `None`
/// when it drew no long page. The view never writes into the app: the
/// program's draw keeps what it measured, for the keys.
pub fn draw(frame: &mut Frame, app: &RehearseApp, theme: &Theme, now: Instant) -> Option<u16> {
    let area = frame.area();
    if !fits(frame, theme) {
        return None;
    }
    let [body, footer] = stack::rows(area, [Part::AtLeast(1), Part::Fixed(1)]);
    let r = &app.rehearsal;
    let mut page_max = match r.phase() {
        Phase::Safety => Some(safety(frame, body, app, theme)),
        Phase::Direction => Some(direction(frame, body, app, theme)),
        Phase::Ready | Phase::Scan(_) | Phase::Playing(_) => {
            Some(round(frame, body, app, theme, now))
        }
        Phase::Derole => Some(derole(frame, body, app, theme)),
        Phase::Review(Stage::Reveal) => Some(reveal(frame, body, app, theme)),
        Phase::Review(stage) => {
            review(frame, body, app, *stage, theme);
            None
        }
        Phase::Closing => Some(closing(frame, body, app, theme)),
        Phase::Continuation => {
            continuation(frame, body, app, theme);
            None
        }
        Phase::Improvise(part) => improvise(frame, body, app, part, theme, now),
    };
    // The keys as this frame measured the page, not as the last frame did.
    let measured = page_max.unwrap_or(app.page_max);
    let line = |width: u16| {
        if app.asking_consent() {
            keys::footer(CONSENT_KEYS, width, theme, consent_hint)
        } else if app.asking_stop {
            keys::footer(STOP_KEYS, width, theme, stop_hint)
        } else {
            keys::footer(KEYS, width, theme, |c| app.hint_measured(c, measured))
        }
    };
    // Under the centred reading column, not at the window's left edge; on
    // a wide window as wide as the keys need (at least the column).
    let full = line(footer.width);
    let need = READING.max(full.width() as u16);
    if footer.width > need + 4 {
        frame.render_widget(Paragraph::new(full), column(footer, need));
    } else {
        let footer = within_reading(footer);
        frame.render_widget(Paragraph::new(line(footer.width)), footer);
    }
    if app.asking_stop {
        stop_question(frame, body, app, theme);
    }
    if app.asking_consent() {
        consent_question(frame, body, app, theme);
    }
    if app.help {
        page_max = Some(help(frame, area, app, theme));
    }
    page_max
}

fn keys_line(pairs: &[(&'static str, &'static str)], theme: &Theme) -> Line<'static> {
    let mut spans = Vec::new();
    for (i, (key, what)) in pairs.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", theme.dim()));
        }
        spans.push(Span::styled(*key, theme.key()));
        spans.push(Span::styled(format!(" {what}"), theme.dim()));
    }
    Line::from(spans)
}

/// Every key of the table, then the feedback editor's own: in a box when it
/// fits (nothing to scroll: 0 is returned), else as a page of its own that
/// ↑ ↓ and PgUp PgDn scroll (how far it can scroll is returned).
fn help(frame: &mut Frame, area: Rect, app: &RehearseApp, theme: &Theme) -> u16 {
    // A row with no help words is the second key of a pair, named on the
    // row before it.
    let listed = || KEYS.iter().filter(|b| !b.help.is_empty());
    let width = listed().map(|b| width_of(b.label)).max().unwrap_or(0);
    let rows: Vec<(&str, &str)> = listed()
        .map(|b| (b.label, b.help))
        .chain(EDITOR_KEYS.iter().copied())
        .collect();
    let longest = rows.iter().map(|(_, h)| width_of(h)).max().unwrap_or(0);
    let fits_box = usize::from(area.width) >= width + longest + 8
        && usize::from(area.height) >= rows.len() + 2;
    if fits_box {
        let lines: Vec<Line> = rows
            .iter()
            .map(|(key, what)| {
                Line::from(vec![
                    Span::styled(format!("{key:>width$}"), theme.key()),
                    Span::raw(format!("  {what}")),
                ])
            })
            .collect();
        dialog(frame, area, "Keys", Text::from(lines), theme);
        return 0;
    }
    // A narrow window: each key on its line, what it does below, indented.
    frame.render_widget(ratatui::widgets::Clear, area);
    let [body, footer] = stack::rows(area, [Part::AtLeast(1), Part::Fixed(1)]);
    let w = body.width.saturating_sub(2);
    let mut lines = vec![Line::styled("Keys", theme.title())];
    for (key, what) in rows {
        lines.push(Line::styled(key.to_string(), theme.key()));
        wrapped(&mut lines, "    ", what, w, Style::new());
    }
    let max = page_at(frame, column(body, READING), app.help_scroll, lines, theme);
    frame.render_widget(
        Paragraph::new(keys_line(
            &[("↑ ↓", "scroll"), ("any other key", "closes")],
            theme,
        )),
        footer,
    );
    max
}

/// Every row of the stop question's table is offered, in its own words.
fn stop_hint(cmd: StopCmd) -> keys::Hint {
    STOP_KEYS
        .iter()
        .find(|b| b.command == cmd)
        .map_or(keys::Hint::Off, |b| keys::Hint::shown(b.help))
}

/// Every row of the consent question's table is offered, in its own words.
fn consent_hint(cmd: ConsentCmd) -> keys::Hint {
    CONSENT_KEYS
        .iter()
        .find(|b| b.command == cmd)
        .map_or(keys::Hint::Off, |b| keys::Hint::shown(b.help))
}

/// Asked on screen at each therapist's first card when recording is on.
fn consent_question(frame: &mut Frame, area: Rect, app: &RehearseApp, theme: &Theme) {
    let r = &app.rehearsal;
    let name = for_screen(r.name(r.round().therapist)).into_owned();
    let mut lines = vec![
        Line::raw(CONSENT_QUESTION.replace("{}", &name)),
        Line::styled(
            "Kept with the session, beside your notes; nothing is recorded without a y.",
            theme.dim(),
        ),
        Line::default(),
    ];
    lines.extend(CONSENT_KEYS.iter().map(|b| choice(b.label, b.help, theme)));
    dialog(frame, area, "Record?", Text::from(lines), theme);
}

fn stop_question(frame: &mut Frame, area: Rect, app: &RehearseApp, theme: &Theme) {
    let reviewed = app.rehearsal.reviewed().len();
    let kept = if app.saving {
        format!(
            "{reviewed} reviewed response{} kept; the one under way is not.",
            if reviewed == 1 { " is" } else { "s are" }
        )
    } else {
        "Nothing is kept (no --save).".to_string()
    };
    let mut lines = vec![
        Line::raw("End the rehearsal now and go to the summary?"),
        Line::styled(kept, theme.dim()),
        Line::default(),
    ];
    // The choices are the rows of the same table the keys and footer use.
    lines.extend(STOP_KEYS.iter().map(|b| choice(b.label, b.help, theme)));
    dialog(frame, area, "End early?", Text::from(lines), theme);
}

/// `text` wrapped to `width` columns at spaces, words longer than a line
/// cut; every line after the first starts with `indent` spaces more. Runs
/// of spaces and line breaks count as one space.
pub fn wrap(text: &str, width: usize, indent: usize) -> Vec<String> {
    let width = width.max(1);
    let words: Vec<&str> = text.split_whitespace().collect();
    let pad = " ".repeat(indent);
    wrap_words(&words.join(" "), width, width.saturating_sub(indent).max(1))
        .into_iter()
        .enumerate()
        .map(|(i, l)| if i == 0 { l } else { format!("{pad}{l}") })
        .collect()
}

/// `text` after `prefix`, wrapped to `width`; the lines after the first
/// are indented to where the text began, so a wrapped line keeps its indent.
pub fn wrap_prefixed(prefix: &str, text: &str, width: usize) -> Vec<String> {
    let indent = width_of(prefix);
    let pad = " ".repeat(indent);
    wrap(text, width.saturating_sub(indent).max(1), 0)
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                format!("{prefix}{l}")
            } else {
                format!("{pad}{l}")
            }
        })
        .collect()
}

/// One logical line, wrapped with a hanging indent, as styled lines.
fn wrapped(lines: &mut Vec<Line<'static>>, prefix: &str, text: &str, width: u16, style: Style) {
    for l in wrap_prefixed(prefix, text, usize::from(width)) {
        lines.push(Line::styled(l, style));
    }
}

/// A centred column of at most `width` inside `area`.
/// A line's row in the reading column where the window is wider than it;
/// the whole row otherwise (as the walk's column at that width).
fn within_reading(area: Rect) -> Rect {
    if area.width > READING {
        column(area, READING)
    } else {
        area
    }
}

fn column(area: Rect, width: u16) -> Rect {
    let w = width.min(area.width.saturating_sub(2)).max(1);
    Rect {
        x: area.x + (area.width - w) / 2,
        width: w,
        ..area
    }
}

/// A long page: scrolled by `app.scroll`, never past its end; a hint line
/// says when there is more. Returns how far it can scroll.
fn page(
    frame: &mut Frame,
    area: Rect,
    app: &RehearseApp,
    lines: Vec<Line<'static>>,
    theme: &Theme,
) -> u16 {
    page_at(frame, area, app.scroll, lines, theme)
}

/// [`page`] at a given scroll (the help keeps its own).
fn page_at(
    frame: &mut Frame,
    area: Rect,
    scroll: u16,
    lines: Vec<Line<'static>>,
    theme: &Theme,
) -> u16 {
    crate::tui::widgets::scrolled::Scrolled::new(lines)
        .offset(scroll)
        .keys("PgDn more", "PgUp back")
        .style(theme.dim())
        .draw(area, frame.buffer_mut())
        .max
}

fn safety(frame: &mut Frame, area: Rect, app: &RehearseApp, theme: &Theme) -> u16 {
    let r = &app.rehearsal;
    let o = r.options();
    let col = column(area, READING);
    let w = col.width;
    let mut lines = vec![Line::styled(
        fit_width(
            &format!("Rehearsal: {}", for_screen(&r.protocol().title)),
            w,
        ),
        theme.title(),
    )];
    // Wrapped, not cut: how to deal the same cards again is worth reading.
    wrapped(
        &mut lines,
        "",
        &format!(
            "Seed {} (--seed {} deals the same cards again)",
            o.seed, o.seed
        ),
        w,
        theme.dim(),
    );
    lines.push(Line::default());
    wrapped(
        &mut lines,
        "",
        SAFETY_LINE,
        w,
        theme.stem().add_modifier(Modifier::BOLD),
    );
    // Said at the start, not only at the end, and high enough to be seen
    // on a small window without scrolling.
    let kept = if app.saving {
        "The rounds are saved as you go (never names)."
    } else {
        "Nothing is saved as you go; you can save at the end (never names)."
    };
    wrapped(&mut lines, "", kept, w, Style::new());
    if let Some(tape) = &app.tape {
        wrapped(
            &mut lines,
            "",
            &format!(
                "Recording is on ({}), for each therapist who agrees at their first card.",
                for_screen(tape.name())
            ),
            w,
            Style::new(),
        );
    }
    if let Some(trainer) = r.trainer_name() {
        wrapped(
            &mut lines,
            "",
            &format!(
                "{} is the trainer: no role; one point after each response, before the reveal.",
                for_screen(trainer)
            ),
            w,
            Style::new(),
        );
    }
    lines.push(Line::default());
    let people = o.people.len();
    wrapped(
        &mut lines,
        "",
        &format!(
            "Each person is the therapist for a set of {} in a row; the client is the next person; everyone else observes. {} people, {}, {}.",
            crate::words::count(o.set as usize, "card", "cards"),
            people,
            crate::words::count(o.rounds as usize, "card", "cards"),
            match o.round_seconds {
                0 => "no timer".to_string(),
                s => format!("{} per response", crate::practice::length_words(s)),
            }
        ),
        w,
        Style::new(),
    );
    lines.push(Line::default());
    wrapped(
        &mut lines,
        "",
        &for_screen(&r.practising()),
        w,
        theme.step(),
    );
    lines.push(Line::default());
    wrapped(
        &mut lines,
        "",
        &format!(
            "Each therapist rates how hard each card was, 0 to {MAX_RATING}: {} or more makes their next card easier, {} or less harder.",
            o.rule.down_at, o.rule.up_at
        ),
        w,
        theme.dim(),
    );
    page(frame, col, app, lines, theme)
}

fn direction(frame: &mut Frame, area: Rect, app: &RehearseApp, theme: &Theme) -> u16 {
    let r = &app.rehearsal;
    let round = r.round();
    let col = column(area, READING);
    let w = col.width;
    let mut lines = vec![Line::styled(
        fit_width(
            &format!(
                "Card {} of {} · {} is the client",
                round.card_number,
                r.total_rounds(),
                for_screen(r.name(round.client))
            ),
            w,
        ),
        theme.dim(),
    )];
    if let Some(note) = round.card.content_note() {
        wrapped(&mut lines, "", &note, w, theme.dim());
    }
    lines.push(Line::default());
    wrapped(&mut lines, "", PRIVATE_LINE, w, theme.title());
    lines.push(Line::default());
    let text = match &round.card.direction {
        Some(d) => for_screen(d.trim()).into_owned(),
        None => "No direction on this card: play the statement as written.".to_string(),
    };
    wrapped(&mut lines, "  ", &text, w, theme.stem());
    // The next lines go to the client player here, with the direction,
    // so the therapist has not seen them when they are played.
    if round.beats >= 2 {
        lines.push(Line::default());
        wrapped(
            &mut lines,
            "",
            "After the first response, say the line that fits, or improvise:",
            w,
            theme.title(),
        );
        for c in r.continuations(round) {
            if let Some(line) = r.continuation_line(round, c) {
                let when = match c {
                    Continuation::Escalate => "If the therapist defends or explains: ",
                    _ => "If the therapist owns their part or validates: ",
                };
                wrapped(
                    &mut lines,
                    "  ",
                    &format!("{when}“{}”", for_screen(line)),
                    w,
                    theme.stem(),
                );
            }
        }
    } else if r.options().beats >= 2 {
        lines.push(Line::default());
        wrapped(&mut lines, "", ONE_BEAT_LINE, w, theme.dim());
    }
    lines.push(Line::default());
    wrapped(
        &mut lines,
        "",
        "Enter hides the direction and shows the card to everyone.",
        w,
        theme.dim(),
    );
    // A small window scrolls to the end rather than cutting it.
    page(frame, col, app, lines, theme)
}

/// Who plays what, on one line.
fn roles_line(r: &Rehearsal, theme: &Theme) -> Line<'static> {
    let round = r.round();
    let mut spans = Vec::new();
    for (role, label) in [
        (Role::Therapist, "Therapist "),
        (Role::Client, "Client "),
        (Role::Observer, "Observing "),
    ] {
        let who = r.who(role, round);
        if who.is_empty() {
            continue;
        }
        if !spans.is_empty() {
            spans.push(Span::styled(" · ", theme.dim()));
        }
        spans.push(Span::styled(label, theme.dim()));
        spans.push(Span::styled(
            for_screen(&who.join(", ")).into_owned(),
            theme.step(),
        ));
    }
    if let Some(trainer) = r.trainer_name() {
        spans.push(Span::styled(" · Trainer ", theme.dim()));
        spans.push(Span::styled(for_screen(trainer).into_owned(), theme.step()));
    }
    Line::from(spans)
}

/// "Card 2 of 12 · Ana's set 2/4 · try 2" (and the kind with --show-kind).
fn card_line(r: &Rehearsal) -> String {
    let round = r.round();
    let (at, set) = r.place_in_set(round);
    let mut text = format!(
        "Card {} of {} · {}'s set {at}/{set}",
        round.card_number,
        r.total_rounds(),
        for_screen(r.name(round.therapist))
    );
    if round.attempt > 1 {
        text.push_str(&format!(" · try {}", round.attempt));
    }
    if round.beats >= 2 {
        text.push_str(&format!(" · response {} of 2", round.beat));
    } else if r.options().beats >= 2 {
        text.push_str(" · one response");
    }
    if r.options().show_kind {
        text.push_str(&format!(
            " · {} · {}",
            round.card.kind.as_str(),
            round.card.level.as_str()
        ));
    }
    text
}

/// The round in a projector layout.
/// Returns how far the statement can scroll (0 unless it is too long for
/// the window).
fn round(frame: &mut Frame, area: Rect, app: &RehearseApp, theme: &Theme, now: Instant) -> u16 {
    let r = &app.rehearsal;
    // Nothing to scroll unless the statement below says so.
    let mut page_max = 0;
    let wide = area.width >= 100;
    let (timer_text, timer_state) = timer(r, now);
    // Never recorded unseen.
    let card = if app.recording_now() {
        format!("● Recording · {}", card_line(r))
    } else {
        card_line(r)
    };
    // A wide window centres the card and roles lines over the statement.
    let align = if wide {
        Alignment::Center
    } else {
        Alignment::Left
    };
    // Over the statement's part of the window, not the countdown's; on a
    // narrower window, in the reading column.
    let over_text = |rect: Rect| {
        if wide {
            Rect {
                width: rect.width.saturating_sub(32),
                ..rect
            }
        } else {
            within_reading(rect)
        }
    };
    // The card and roles lines wrap rather than cut, so a narrow window
    // still says whose set it is and who observes; the statement below
    // scrolls for the rows they take.
    let small = format!("{timer_text}{timer_state}");
    let text_width = over_text(area).width.max(1);
    let card_width = if wide {
        text_width
    } else {
        text_width
            .saturating_sub(width_of(&small) as u16 + 1)
            .max(1)
    };
    let wrapped = |line: Line<'static>, width: u16| {
        let rows = Paragraph::new(line.clone())
            .wrap(Wrap { trim: true })
            .line_count(width)
            .max(1);
        (line, u16::try_from(rows).unwrap_or(u16::MAX))
    };
    let (card, card_rows) = wrapped(Line::styled(card, theme.dim()), card_width);
    let (roles, roles_rows) = wrapped(roles_line(r, theme), text_width);
    let [head, roles_area, _, middle] = stack::rows(
        area,
        [
            Part::Fixed(card_rows),
            Part::Fixed(roles_rows),
            Part::Fixed(u16::from(area.height >= 20)),
            Part::AtLeast(1),
        ],
    );
    let (head, roles_area) = (over_text(head), over_text(roles_area));
    if wide {
        frame.render_widget(
            Paragraph::new(card)
                .alignment(align)
                .wrap(Wrap { trim: true }),
            head,
        );
    } else {
        // The countdown shares the top line, on the right.
        let [left, right] = stack::columns(
            head,
            [Part::AtLeast(1), Part::Fixed(width_of(&small) as u16 + 1)],
        );
        frame.render_widget(Paragraph::new(card).wrap(Wrap { trim: true }), left);
        frame.render_widget(
            Paragraph::new(Line::styled(small, theme.step())).alignment(Alignment::Right),
            Rect { height: 1, ..right },
        );
    }
    frame.render_widget(
        Paragraph::new(roles)
            .alignment(align)
            .wrap(Wrap { trim: true }),
        roles_area,
    );
    let (text_area, side) = if wide {
        let [text_area, side] = stack::columns(middle, [Part::AtLeast(40), Part::Fixed(32)]);
        (text_area, Some(side))
    } else {
        (middle, None)
    };
    let screen = frame.area();
    let projector = screen.width >= 120 && screen.height >= 36;
    // At warm-up the model to read aloud goes under the statement, so the
    // statement is not drawn big.
    // Likewise the trainer's point on a retry.
    let warm_up = r.warm_up_model(r.round()).is_some() || r.point_on_screen().is_some();
    // The breath: the drill's countdown under the statement.
    let text_area = match r.phase() {
        Phase::Scan(breath) => {
            let rows = crate::tui::drill::view::timer_height(text_area);
            let [text_area, breath_area] =
                stack::rows(text_area, [Part::AtLeast(1), Part::Fixed(rows)]);
            let therapist = for_screen(r.name(r.round().therapist)).into_owned();
            crate::tui::drill::view::countdown(
                frame,
                breath_area,
                breath.display_seconds(now),
                &format!("{therapist}, one breath: {SCAN_CUE}"),
                theme,
            );
            Some(text_area)
        }
        _ => Some(text_area),
    };
    // A small window keeps the client's words during the breath (the
    // scene was read), as the drill does.
    let text_area = match (text_area, r.phase()) {
        (Some(area), Phase::Scan(_)) if !warm_up => {
            let card = &r.round().card;
            let width = usize::from(column(area, READING).width.max(1));
            let said = wrap(&format!("“{}”", for_screen(card.client.trim())), width, 0);
            let scene = card
                .scene
                .as_ref()
                .map_or(0, |s| wrap(&for_screen(s.trim()), width, 0).len() + 1);
            if scene + said.len() > usize::from(area.height) {
                let lines: Vec<Line> = said
                    .into_iter()
                    .map(|l| Line::styled(l, theme.stem().add_modifier(Modifier::BOLD)))
                    .collect();
                frame.render_widget(
                    Paragraph::new(lines).alignment(Alignment::Center),
                    column(area, READING),
                );
                None
            } else {
                Some(area)
            }
        }
        (area, _) => area,
    };
    if let Some(text_area) = text_area
        && !(projector && !warm_up && big_statement(frame, text_area, r, theme))
    {
        page_max = statement(frame, text_area, app, theme);
    }
    if let Some(side) = side {
        countdown(frame, side, &timer_text, &timer_state, theme);
    }
    page_max
}

/// `text` cut to `width` cells (wide characters count two), with `…`.
fn fit_width(text: &str, width: u16) -> String {
    crate::tui::widgets::ellipsize(text, usize::from(width))
}

/// The scene and the statement, centred and as large as the window allows
/// (a terminal cannot grow its letters, so the statement gets the space:
/// bold, a short measure, and double spacing on a tall window).
fn statement(frame: &mut Frame, area: Rect, app: &RehearseApp, theme: &Theme) -> u16 {
    let card = &app.rehearsal.round().card;
    let measure = if area.width >= 100 { 64 } else { READING };
    let col = column(area, measure);
    let w = usize::from(col.width);
    let spaced = area.height >= 30;
    let mut lines: Vec<Line<'static>> = Vec::new();
    if let Some(scene) = &card.scene {
        for l in wrap(&for_screen(scene.trim()), w, 0) {
            lines.push(Line::styled(l, theme.dim()).alignment(Alignment::Center));
        }
        lines.push(Line::default());
        if spaced {
            lines.push(Line::default());
        }
    }
    // The scene's rows, which a small window gives up first.
    let mut scene_rows = lines.len();
    let said = format!("“{}”", for_screen(card.client.trim()));
    for (i, l) in wrap(&said, w, 0).into_iter().enumerate() {
        if spaced && i > 0 {
            lines.push(Line::default());
        }
        lines.push(
            Line::styled(l, theme.stem().add_modifier(Modifier::BOLD)).alignment(Alignment::Center),
        );
    }
    if let Some(model) = app.rehearsal.warm_up_model(app.rehearsal.round()) {
        let mut warm_up = vec![Line::default()];
        for l in wrap(WARM_UP_LINE, w, 0) {
            warm_up.push(Line::styled(l, theme.step()).alignment(Alignment::Center));
        }
        for l in wrap(&format!("“{}”", for_screen(model)), w, 0) {
            warm_up.push(Line::styled(l, theme.dim()).alignment(Alignment::Center));
        }
        // A small window keeps the statement and the model to read aloud;
        // the scene goes first.
        if lines.len() + warm_up.len() > usize::from(col.height) && card.scene.is_some() {
            scene_rows = 0;
            lines.clear();
            for (i, l) in wrap(&said, w, 0).into_iter().enumerate() {
                if spaced && i > 0 {
                    lines.push(Line::default());
                }
                lines.push(
                    Line::styled(l, theme.stem().add_modifier(Modifier::BOLD))
                        .alignment(Alignment::Center),
                );
            }
        }
        lines.extend(warm_up);
    }
    // On a retry, the trainer's point stays in view under the statement.
    if let Some((seat, point)) = app.rehearsal.point_on_screen() {
        let mut kept = vec![Line::default()];
        let to = format!(
            "The trainer's point for {}:",
            for_screen(app.rehearsal.name(seat))
        );
        for l in wrap(&to, w, 0) {
            kept.push(Line::styled(l, theme.step()).alignment(Alignment::Center));
        }
        for l in wrap(&for_screen(&point.words()), w, 0) {
            kept.push(Line::styled(l, theme.key()).alignment(Alignment::Center));
        }
        // A small window keeps the statement and the point: the scene goes.
        if lines.len() + kept.len() > usize::from(col.height) {
            lines.drain(..scene_rows);
        }
        lines.extend(kept);
    }
    let height = lines.len() as u16;
    if height > col.height {
        // Too long for a small window: it scrolls to the end, never cut.
        return page(frame, col, app, lines, theme);
    }
    // Centred vertically when there is room.
    let top = col.height.saturating_sub(height) / 2;
    let rect = Rect {
        y: col.y + top.min(col.height.saturating_sub(1)),
        height: col.height - top.min(col.height.saturating_sub(1)),
        ..col
    };
    frame.render_widget(Paragraph::new(lines).alignment(Alignment::Center), rect);
    0
}

/// The statement's text as the big font can draw it: typographic quotes,
/// dashes and the ellipsis as their plain forms; `None` when a character is
/// left that the font has no glyph for (the normal text is drawn then).
fn big_font_text(text: &str) -> Option<String> {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '\u{2018}' | '\u{2019}' => out.push('\''),
            '\u{201C}' | '\u{201D}' => out.push('"'),
            '\u{2013}' | '\u{2014}' => out.push('-'),
            '\u{2026}' => out.push_str("..."),
            c if c.is_whitespace() => out.push(' '),
            ' '..='~' | '\u{A1}'..='\u{FF}' => out.push(c),
            _ => return None,
        }
    }
    Some(out)
}

/// The statement in large block letters (upper and lower case, four cells
/// a letter each way), word-wrapped to the column and centred, the scene in
/// normal text above it: for a projector, read from the back of the room.
/// Returns false, drawing nothing, when the statement does not fit so (too
/// long for the window, a word wider than a line, or a character the font
/// lacks).
fn big_statement(frame: &mut Frame, area: Rect, r: &Rehearsal, theme: &Theme) -> bool {
    // A letter in quadrant pixels: 8x8 pixels, two to a cell each way.
    const GLYPH_W: u16 = big::LETTER_CELLS;
    const GLYPH_H: u16 = big::LETTER_CELLS;
    let card = &r.round().card;
    let col = column(area, area.width.saturating_sub(8));
    let per_line = usize::from(col.width / GLYPH_W);
    let Some(said) = big_font_text(&format!("\"{}\"", for_screen(card.client.trim()))) else {
        return false;
    };
    if per_line < 12 || said.split_whitespace().any(|w| width_of(w) > per_line) {
        return false;
    }
    let big_lines = wrap(&said, per_line, 0);
    let scene: Vec<String> = card
        .scene
        .as_ref()
        .map(|s| {
            wrap(
                &for_screen(s.trim()),
                usize::from(col.width.min(READING)),
                0,
            )
        })
        .unwrap_or_default();
    let scene_h = if scene.is_empty() {
        0
    } else {
        scene.len() as u16 + 2
    };
    let n = big_lines.len() as u16;
    // A blank row between big lines when there is room.
    let gap = u16::from(scene_h + n * (GLYPH_H + 1) <= col.height);
    let big_h = n * GLYPH_H + n.saturating_sub(1) * gap;
    if scene_h + big_h > col.height {
        return false;
    }
    let top = col.y + (col.height - scene_h - big_h) / 2;
    if !scene.is_empty() {
        let lines: Vec<Line> = scene
            .into_iter()
            .map(|l| Line::styled(l, theme.dim()))
            .collect();
        let rect = Rect {
            y: top,
            height: scene_h,
            ..col
        };
        frame.render_widget(Paragraph::new(lines).alignment(Alignment::Center), rect);
    }
    let style = theme.stem().add_modifier(Modifier::BOLD);
    for (i, text) in big_lines.into_iter().enumerate() {
        let rect = Rect {
            y: top + scene_h + i as u16 * (GLYPH_H + gap),
            height: GLYPH_H,
            ..col
        };
        big::draw_letters(frame.buffer_mut(), rect, &text, style);
    }
    true
}

/// The clock's text and what state it is in.
fn timer(r: &Rehearsal, now: Instant) -> (String, String) {
    match r.phase() {
        Phase::Playing(Some(t)) => (
            clock(t.display_seconds(now)),
            if t.is_running() {
                " left".into()
            } else {
                " held".into()
            },
        ),
        Phase::Playing(None) => ("no timer".into(), String::new()),
        Phase::Scan(_) => match r.round_length() {
            Some(d) => (clock(d.as_secs()), " · after the breath".into()),
            None => ("no timer".into(), String::new()),
        },
        _ => match r.round_length() {
            Some(d) => (clock(d.as_secs()), " · Enter starts".into()),
            None => ("no timer".into(), String::new()),
        },
    }
}

/// The countdown at the side: block digits, smaller than the statement.
fn countdown(frame: &mut Frame, area: Rect, text: &str, state: &str, theme: &Theme) {
    let height = area.height.min(9);
    let rect = Rect {
        y: area.y + area.height.saturating_sub(height) / 2,
        height,
        ..area
    };
    let [digits, label] = stack::rows(rect, [Part::AtLeast(1), Part::Fixed(1)]);
    if big::draw(frame, digits, text, digits.height.min(5), theme.gauge()) {
        frame.render_widget(
            Paragraph::new(Line::styled(
                state.trim_start_matches(" · ").trim().to_string(),
                theme.dim(),
            ))
            .alignment(Alignment::Center),
            label,
        );
    } else {
        frame.render_widget(
            Paragraph::new(Line::styled(format!("{text}{state}"), theme.step()))
                .alignment(Alignment::Center),
            label,
        );
    }
}

/// `head` then `items` on as many lines as `width` needs, each item whole
/// on a line (one wider than a line by itself wraps at its spaces), lines
/// after the first indented to where the items began.
fn flow(head: Vec<Span<'static>>, items: Vec<Span<'static>>, width: u16) -> Vec<Line<'static>> {
    let width = usize::from(width);
    let indent: usize = head.iter().map(Span::width).sum();
    let mut lines = Vec::new();
    let mut line = head;
    let mut used = indent;
    let mut has_item = false;
    for item in items {
        let w = item.width();
        if has_item && used + w > width {
            lines.push(Line::from(std::mem::take(&mut line)));
            line.push(Span::raw(" ".repeat(indent)));
            used = indent;
        }
        let room = width.saturating_sub(used);
        if w > room {
            // Wider than a line by itself: its words wrap under the first.
            let pieces = wrap(&item.content, room.max(1), 0);
            let last = pieces.len() - 1;
            for (i, piece) in pieces.into_iter().enumerate() {
                used += width_of(&piece);
                line.push(Span::styled(piece, item.style));
                if i < last {
                    lines.push(Line::from(std::mem::take(&mut line)));
                    line.push(Span::raw(" ".repeat(indent)));
                    used = indent;
                }
            }
        } else {
            used += w;
            line.push(item);
        }
        has_item = true;
    }
    lines.push(Line::from(line));
    lines
}

/// The pointer and style for a row.
fn mark(app: &RehearseApp, row: Row) -> (&'static str, Style) {
    if app.row() == Some(row) {
        ("› ", Style::new().add_modifier(Modifier::REVERSED))
    } else {
        ("  ", Style::new())
    }
}

/// A review stage: its heading, who answers, then its rows.
fn review(frame: &mut Frame, area: Rect, app: &RehearseApp, stage: Stage, theme: &Theme) {
    let r = &app.rehearsal;
    let round = r.round();
    let col = column(area, READING);
    let w = col.width;
    let therapist = for_screen(r.name(round.therapist)).into_owned();
    // Wrapped, not cut: a small window shows the whole question.
    let mut head = Vec::new();
    wrapped(
        &mut head,
        "",
        &format!(
            "Card {} · review {} of {}: {}",
            round.card_number,
            r.stages().iter().position(|s| *s == stage).unwrap_or(0) + 1,
            r.stages().len(),
            stage.title()
        ),
        w,
        theme.title(),
    );
    let who = match stage {
        Stage::Marker => format!("{therapist} (therapist), which marker did you see?"),
        Stage::Rating => format!(
            "{therapist}, how hard was that for you? 0 easy, {MAX_RATING} very hard. Tick any reactions."
        ),
        Stage::Criteria => {
            let what = match r.practised_step() {
                Some(step) => format!("for \"{}\"", for_screen(&step.title)),
                None => "(the steps you can see)".to_string(),
            };
            if r.has_observers() {
                format!("Observers: tick what the response did {what}.")
            } else {
                // Two people: nobody observes, so the therapist ticks.
                format!("{therapist}, tick what your response did {what}.")
            }
        }
        Stage::Feedback => {
            format!("One line of feedback for {therapist}: what worked, one thing to try.")
        }
        Stage::Point => format!(
            "{} (trainer): one point for {therapist} to take into the next try. Type it, or pick a criterion not met yet.",
            for_screen(r.trainer_name().unwrap_or("Trainer"))
        ),
        Stage::Reveal => String::new(),
    };
    wrapped(&mut head, "", &who, w, Style::new());
    if let Some(note) = app.tape_note() {
        wrapped(&mut head, "", &for_screen(note), w, theme.dim());
    } else if app.hint(super::Cmd::Play) != keys::Hint::Off {
        wrapped(
            &mut head,
            "",
            &format!("{therapist}'s response was recorded: p plays it back."),
            w,
            theme.dim(),
        );
    }
    if stage == Stage::Criteria {
        if r.practised_step().is_some_and(|s| !s.observable) {
            wrapped(&mut head, "", &inner_step_line(&therapist), w, theme.dim());
        }
        // On a small window the footer's "next three" says it instead.
        if r.criteria_pages() > 1 && col.height >= 16 {
            let shown = r.shown_criteria();
            wrapped(
                &mut head,
                "",
                &format!(
                    "Criteria {} to {} of {} · PgUp PgDn the others",
                    shown.start + 1,
                    shown.end,
                    r.criteria().len()
                ),
                w,
                theme.dim(),
            );
        }
    }
    let mut rows: Vec<Line<'static>> = Vec::new();
    let mut selected_at = 0usize;
    // The lines of each row one can move to (a row may wrap), for the sign
    // saying how many are out of sight.
    let mut row_lines: Vec<Range<usize>> = Vec::new();
    match stage {
        Stage::Marker => {
            let (p, s) = mark(app, Row::Kind);
            let kinds = [
                (None, "not sure"),
                (
                    Some(crate::protocol::ScenarioKind::Withdrawal),
                    "withdrawal",
                ),
                (
                    Some(crate::protocol::ScenarioKind::Confrontation),
                    "confrontation",
                ),
            ];
            // Every choice shows, wrapping under the first at a narrow
            // width rather than hiding the ones not chosen.
            let items: Vec<Span<'static>> = kinds
                .iter()
                .map(|(kind, label)| {
                    if *kind == round.guess_kind {
                        Span::styled(format!(" ‹{label}›"), theme.key())
                    } else {
                        Span::styled(format!("  {label} "), theme.dim())
                    }
                })
                .collect();
            let head = vec![Span::raw(p), Span::styled("Kind   ", s)];
            let start = rows.len();
            rows.extend(flow(head, items, w));
            row_lines.push(start..rows.len());
            let (p, s) = mark(app, Row::Marker);
            let choices = app.marker_choices();
            let at = choices
                .iter()
                .position(|m| *m == round.guess_marker)
                .unwrap_or(0);
            // The marker in words, as the drill names it.
            let label = round.guess_marker.map_or("none (optional)", marker_words);
            let items = vec![
                Span::styled(format!(" ‹{label}›"), theme.key()),
                Span::styled(format!(" {} of {}", at + 1, choices.len()), theme.dim()),
            ];
            let head = vec![Span::raw(p), Span::styled("Marker ", s)];
            let before = rows.len();
            rows.extend(flow(head, items, w));
            row_lines.push(before..rows.len());
            if app.row() == Some(Row::Marker) {
                selected_at = rows.len() - 1;
            } else if app.row() == Some(Row::Kind) {
                selected_at = before - 1;
            }
        }
        Stage::Rating => {
            let (p, s) = mark(app, Row::Rating);
            let mut spans = vec![Span::raw(p), Span::styled("Difficulty ", s)];
            if w >= 40 {
                for n in 0..=MAX_RATING {
                    if n == round.rating {
                        spans.push(Span::styled(format!("[{n}]"), theme.key()));
                    } else {
                        spans.push(Span::styled(format!(" {n} "), theme.dim()));
                    }
                }
            } else {
                spans.push(Span::styled(
                    format!("‹{}› of {MAX_RATING}", round.rating),
                    theme.key(),
                ));
            }
            row_lines.push(rows.len()..rows.len() + 1);
            rows.push(Line::from(spans));
            for (i, reaction) in Reaction::ALL.iter().enumerate() {
                let (p, s) = mark(app, Row::Reaction(i));
                let tick = if round.reactions.contains(reaction) {
                    "[x]"
                } else {
                    "[ ]"
                };
                row_lines.push(rows.len()..rows.len() + 1);
                rows.push(Line::from(vec![
                    Span::raw(p),
                    Span::styled(format!("{tick} {}", reaction.label()), s),
                ]));
                if app.row() == Some(Row::Reaction(i)) {
                    selected_at = rows.len() - 1;
                }
            }
        }
        Stage::Criteria => {
            let mut last_step = String::new();
            if r.criteria().is_empty() {
                rows.push(Line::styled(
                    "This protocol has no steps to tick. Enter goes on.",
                    theme.dim(),
                ));
            }
            for (i, c) in r
                .criteria()
                .iter()
                .enumerate()
                .filter(|(i, _)| r.shown_criteria().contains(i))
            {
                if c.number > 0 && c.step_id != last_step {
                    rows.push(Line::styled(
                        fit_width(&for_screen(&c.step_title), w),
                        theme.step(),
                    ));
                }
                last_step = c.step_id.clone();
                let (p, s) = mark(app, Row::Criterion(i));
                let tick = if round.criteria.get(i).copied().unwrap_or(false) {
                    "[x] "
                } else {
                    "[ ] "
                };
                let indent = if c.number > 0 { "  " } else { "" };
                let prefix = format!("{indent}{p}{tick}");
                let wrapped_text = wrap_prefixed(&prefix, &for_screen(&c.text), usize::from(w));
                if app.row() == Some(Row::Criterion(i)) {
                    selected_at = rows.len() + wrapped_text.len() - 1;
                }
                row_lines.push(rows.len()..rows.len() + wrapped_text.len());
                for (j, l) in wrapped_text.into_iter().enumerate() {
                    let style = if j == 0 || app.row() == Some(Row::Criterion(i)) {
                        s
                    } else {
                        Style::new()
                    };
                    rows.push(Line::styled(l, style));
                }
            }
        }
        Stage::Feedback => {
            rows.push(Line::default());
            rows.push(Line::default());
            rows.push(Line::default());
            wrapped(
                &mut rows,
                "",
                "Kept as typed with --save: leave names out of it.",
                w,
                theme.dim(),
            );
        }
        Stage::Point => {
            // Rows 0 and 1: the line and its underline, drawn below.
            row_lines.push(rows.len()..rows.len() + 2);
            rows.push(Line::default());
            rows.push(Line::default());
            let choices = r.point_choices(round);
            if !choices.is_empty() {
                wrapped(
                    &mut rows,
                    "",
                    "Or pick one the response did not meet yet:",
                    w,
                    theme.dim(),
                );
            }
            let picked = round.point.as_ref().and_then(|p| p.criterion);
            for i in choices {
                let (p, s) = mark(app, Row::Pick(i));
                let dot = if picked == Some(i) { "(•) " } else { "( ) " };
                let text = for_screen(&r.criteria()[i].text).into_owned();
                let lines = wrap_prefixed(&format!("{p}{dot}"), &text, usize::from(w));
                row_lines.push(rows.len()..rows.len() + lines.len());
                if app.row() == Some(Row::Pick(i)) {
                    selected_at = rows.len() + lines.len() - 1;
                }
                for (j, l) in lines.into_iter().enumerate() {
                    let style = if j == 0 || app.row() == Some(Row::Pick(i)) {
                        s
                    } else {
                        Style::new()
                    };
                    rows.push(Line::styled(l, style));
                }
            }
            rows.push(Line::default());
            let shown = match &round.point {
                Some(point) => format!("{therapist} will see: {}", for_screen(&point.words())),
                None => "No point yet: Enter goes on without one.".to_string(),
            };
            wrapped(&mut rows, "", &shown, w, theme.stem());
        }
        Stage::Reveal => {}
    }
    let statement = format!("“{}”", for_screen(round.card.client.trim()));
    wrapped(&mut head, "", &statement, w, theme.dim());
    head.push(Line::default());
    // At least three rows of answers stay in view under a long head.
    let head_height = (head.len() as u16).min(col.height.saturating_sub(3).max(1));
    let [head_area, rows_area] = stack::rows(col, [Part::Fixed(head_height), Part::AtLeast(1)]);
    // Keep the focused row in view on a short window.
    let scroll = (selected_at + 1).saturating_sub(usize::from(rows_area.height)) as u16;
    // Rows out of sight are said as every list says it, on the head's last
    // line (its blank one, when the head fits), right above the rows.
    let sign = match head_area.height {
        0 | 1 => String::new(),
        _ => rows_sign(
            &row_lines,
            rows.len(),
            usize::from(scroll),
            usize::from(rows_area.height),
            w,
        ),
    };
    let mut head_room = head_area.height;
    if !sign.is_empty() {
        if head.last().is_some_and(|l| l.width() == 0) {
            head.pop();
        }
        head_room -= 1;
        frame.render_widget(
            Paragraph::new(Line::styled(sign, theme.dim())).alignment(Alignment::Right),
            Rect {
                y: head_area.y + head_room,
                height: 1,
                ..head_area
            },
        );
    }
    frame.render_widget(
        Paragraph::new(cut_lines(head, usize::from(head_room), w)),
        head_area,
    );
    frame.render_widget(Paragraph::new(rows).scroll((scroll, 0)), rows_area);
    if stage == Stage::Point && scroll == 0 {
        point_line(frame, rows_area, app, theme);
    }
    if stage == Stage::Feedback {
        let [label, field] = stack::columns(
            Rect {
                height: 1,
                y: rows_area.y + 1,
                ..rows_area
            },
            [Part::Fixed(12), Part::AtLeast(1)],
        );
        frame.render_widget(
            Paragraph::new(Line::styled(
                "› Feedback ",
                Style::new().add_modifier(Modifier::REVERSED),
            )),
            label,
        );
        let mut editor = app.editor.clone();
        editor.set_style(theme.stem());
        editor.set_placeholder_text("type here");
        editor.set_placeholder_style(theme.placeholder());
        frame.render_widget(&editor, field);
        underline(frame, field, rows_area, theme);
    }
}

/// A rule under a one-line text field, when the row below it is still
/// inside `rows_area`.
fn underline(frame: &mut Frame, field: Rect, rows_area: Rect, theme: &Theme) {
    let under = Rect {
        y: field.y + 1,
        ..field
    };
    if under.y < rows_area.y + rows_area.height {
        frame.render_widget(
            Block::new()
                .borders(Borders::TOP)
                .border_style(theme.border()),
            under,
        );
    }
}

/// The trainer's point line: "Next time, try:" and the editor, underlined,
/// on the first row of `rows_area`.
fn point_line(frame: &mut Frame, rows_area: Rect, app: &RehearseApp, theme: &Theme) {
    let lead = format!("{POINT_LEAD} ");
    let width = width_of(&lead) as u16 + 2;
    let [label, field] = stack::columns(
        Rect {
            height: 1,
            ..rows_area
        },
        [Part::Fixed(width), Part::AtLeast(1)],
    );
    let (p, s) = mark(app, Row::Point);
    frame.render_widget(Paragraph::new(Line::styled(format!("{p}{lead}"), s)), label);
    let mut editor = app.point_editor.clone();
    editor.set_style(theme.stem());
    editor.set_placeholder_text(if app.row() == Some(Row::Point) {
        "type here"
    } else {
        ""
    });
    editor.set_placeholder_style(theme.placeholder());
    if app.row() != Some(Row::Point) {
        // The cursor shows only where typing goes.
        editor.set_cursor_style(Style::new());
    }
    frame.render_widget(&editor, field);
    underline(frame, field, rows_area, theme);
}

fn reveal(frame: &mut Frame, area: Rect, app: &RehearseApp, theme: &Theme) -> u16 {
    let r = &app.rehearsal;
    let round = r.round();
    let col = column(area, READING);
    let w = col.width;
    let mut lines = vec![Line::styled(
        fit_width(
            &format!(
                "Card {} · review {n} of {n}: {}",
                round.card_number,
                Stage::Reveal.title(),
                n = r.stages().len()
            ),
            w,
        ),
        theme.title(),
    )];
    let statement = format!("“{}”", for_screen(round.card.client.trim()));
    wrapped(&mut lines, "", &statement, w, theme.stem());
    for part in r.reveal(round) {
        lines.push(Line::default());
        wrapped(&mut lines, "", &part.heading, w, theme.step());
        let bullet = if part.is_list() { "  • " } else { "  " };
        for (i, item) in part.items.iter().enumerate() {
            let item = item.line("\u{201c}", "\u{201d}");
            wrapped(&mut lines, bullet, &for_screen(&item), w, Style::new());
            if let Some(under) = part.under_item(i) {
                wrapped(&mut lines, "    ", &for_screen(under), w, theme.dim());
            }
        }
    }
    page(frame, col, app, lines, theme)
}

/// After a set: the client player steps out of the role before the roles
/// move on.
fn derole(frame: &mut Frame, area: Rect, app: &RehearseApp, theme: &Theme) -> u16 {
    let r = &app.rehearsal;
    let round = r.round();
    let col = column(area, READING);
    let w = col.width;
    let mut lines = Vec::new();
    wrapped(
        &mut lines,
        "",
        &format!("End of {}'s set", for_screen(r.name(round.therapist))),
        w,
        theme.title(),
    );
    lines.push(Line::default());
    wrapped(
        &mut lines,
        "",
        &SET_DEROLE_LINE.replace("{}", &for_screen(r.name(round.client))),
        w,
        theme.stem().add_modifier(Modifier::BOLD),
    );
    lines.push(Line::default());
    wrapped(
        &mut lines,
        "",
        "Enter goes on to the next set, when the client is back as themselves.",
        w,
        theme.dim(),
    );
    page(frame, col, app, lines, theme)
}

fn closing(frame: &mut Frame, area: Rect, app: &RehearseApp, theme: &Theme) -> u16 {
    let r = &app.rehearsal;
    let col = column(area, READING);
    let w = col.width;
    let rounds = r.reviewed();
    let cards = rounds.iter().filter(|x| x.attempt == 1).count();
    let mut lines = vec![Line::styled("Rehearsal over", theme.title())];
    wrapped(
        &mut lines,
        "",
        &format!(
            "{cards} of {}, {} · seed {}",
            crate::words::count(r.total_rounds() as usize, "card", "cards"),
            crate::words::count(rounds.len(), "response", "responses"),
            r.options().seed
        ),
        w,
        Style::new(),
    );
    for s in r.summaries() {
        lines.push(Line::default());
        lines.push(Line::styled(
            fit_width(
                &format!("{} (seat {})", for_screen(r.name(s.seat)), s.seat + 1),
                w,
            ),
            theme.step(),
        ));
        wrapped(&mut lines, "  ", &for_screen(&s.text()), w, Style::new());
        for round in rounds
            .iter()
            .filter(|x| x.therapist == s.seat && !x.feedback.is_empty())
        {
            wrapped(
                &mut lines,
                "  ",
                &format!(
                    "{} (try {}): {}",
                    for_screen(&card_name(&round.card)),
                    round.attempt,
                    for_screen(&round.feedback)
                ),
                w,
                theme.stem(),
            );
        }
        for (round, point) in r.points_of(s.seat) {
            wrapped(
                &mut lines,
                "  ",
                &format!(
                    "Trainer's point on {} (try {}): {}",
                    for_screen(&card_name(&round.card)),
                    round.attempt,
                    for_screen(&point.words())
                ),
                w,
                theme.key(),
            );
        }
    }
    lines.push(Line::default());
    wrapped(
        &mut lines,
        "",
        DEROLE_LINE,
        w,
        theme.stem().add_modifier(Modifier::BOLD),
    );
    lines.push(Line::default());
    let kept = if rounds.is_empty() {
        "No response was reviewed, so nothing is kept."
    } else if app.offers_save() {
        "Nothing is saved yet: s saves these rounds with your notes (seats and answers, never names); q closes without saving."
    } else {
        "The rounds are saved with your notes: seats and answers, never names."
    };
    wrapped(&mut lines, "", kept, w, theme.dim());
    wrapped(
        &mut lines,
        "",
        "On closing, this summary is printed in the terminal.",
        w,
        theme.dim(),
    );
    if app.nudged {
        // Enter was pressed here: at the top, where it is seen.
        let nudge = if app.offers_save() {
            "Enter does not close this page: s saves and closes, q closes."
        } else {
            "Enter does not close this page: q closes it."
        };
        let mut top = Vec::new();
        wrapped(&mut top, "", nudge, w, theme.key());
        for (i, l) in top.into_iter().enumerate() {
            lines.insert(1 + i, l);
        }
    }
    page(frame, col, app, lines, theme)
}

/// Between the two responses: the client player has said the line that
/// fits (or improvised); the screen asks which, then the second response.
fn continuation(frame: &mut Frame, area: Rect, app: &RehearseApp, theme: &Theme) {
    let r = &app.rehearsal;
    let round = r.round();
    let col = column(area, READING);
    let w = col.width;
    let therapist = for_screen(r.name(round.therapist)).into_owned();
    let client = for_screen(r.name(round.client)).into_owned();
    let mut lines = Vec::new();
    wrapped(
        &mut lines,
        "",
        &format!("Card {} · the client's next line", round.card_number),
        w,
        theme.title(),
    );
    let statement = format!("“{}”", for_screen(round.card.client.trim()));
    wrapped(&mut lines, "", &statement, w, theme.dim());
    lines.push(Line::default());
    wrapped(
        &mut lines,
        "",
        &format!(
            "{client} (client): say the line that fits what {therapist} just said, or improvise. Then {therapist} answers once more."
        ),
        w,
        Style::new(),
    );
    lines.push(Line::default());
    let (p, s) = mark(app, Row::Played);
    let items: Vec<Span<'static>> = app
        .played_choices()
        .into_iter()
        .map(|c| {
            let label = c.map_or("not marked", Continuation::as_str);
            if c == round.continuation {
                Span::styled(format!(" ‹{label}›"), theme.key())
            } else {
                Span::styled(format!("  {label} "), theme.dim())
            }
        })
        .collect();
    lines.extend(flow(
        vec![Span::raw(p), Span::styled("Played ", s)],
        items,
        w,
    ));
    if let Some(c) = round.continuation {
        let said = match r.continuation_line(round, c) {
            Some(line) => format!("{}: “{}”", continuation_words(c), for_screen(line)),
            None => "something the client made up".to_string(),
        };
        wrapped(&mut lines, "  ", &said, w, theme.dim());
    }
    lines.push(Line::default());
    wrapped(
        &mut lines,
        "",
        "← → marks which line was played (the review says it). Enter starts the second response.",
        w,
        theme.dim(),
    );
    frame.render_widget(
        Paragraph::new(cut_lines(lines, usize::from(col.height), w)),
        col,
    );
}

/// The improvised segment after a set: what it is, the segment under way
/// with its timer and the criteria, and its rating. Returns how far the
/// segment's page can scroll (`None` for the rating, which does not).
fn improvise(
    frame: &mut Frame,
    area: Rect,
    app: &RehearseApp,
    part: &Improv,
    theme: &Theme,
    now: Instant,
) -> Option<u16> {
    let r = &app.rehearsal;
    let round = r.round();
    let therapist = for_screen(r.name(round.therapist)).into_owned();
    let client = for_screen(r.name(round.client)).into_owned();
    let minutes = r.options().improvise_minutes;
    let (clock_text, state) = match part {
        Improv::Playing(Some(t)) => (
            clock(t.display_seconds(now)),
            if t.is_running() { " left" } else { " held" },
        ),
        Improv::Playing(None) => ("no timer".to_string(), ""),
        _ => (clock(u64::from(minutes) * 60), ""),
    };
    // A wide window keeps the countdown at the side in block digits.
    let wide = area.width >= 100 && matches!(part, Improv::Playing(_));
    let (text_area, side) = if wide {
        let [text_area, side] = stack::columns(area, [Part::AtLeast(40), Part::Fixed(32)]);
        (text_area, Some(side))
    } else {
        (area, None)
    };
    let col = column(text_area, READING);
    let w = col.width;
    let mut page_max = None;
    let mut lines = Vec::new();
    let title = match part {
        Improv::Offer => format!("Improvised segment · {therapist}'s set is done"),
        Improv::Playing(_) if side.is_some() => "Improvising".to_string(),
        Improv::Playing(_) => format!("Improvising · {clock_text}{state}"),
        Improv::Rating => "Improvised segment · how hard was it?".to_string(),
    };
    wrapped(&mut lines, "", &title, w, theme.title());
    match part {
        Improv::Offer | Improv::Playing(_) => {
            if let Improv::Offer = part {
                wrapped(
                    &mut lines,
                    "",
                    &format!(
                        "{client} (client): go on freely from the last scene, as that client. {therapist} responds. {} · Enter starts, s skips.",
                        crate::practice::length_words(minutes * 60)
                    ),
                    w,
                    Style::new(),
                );
            } else {
                wrapped(
                    &mut lines,
                    "",
                    &format!("{client} goes on as the client; {therapist} responds."),
                    w,
                    Style::new(),
                );
            }
            lines.push(Line::default());
            if let Some(scene) = &round.card.scene {
                wrapped(&mut lines, "", &for_screen(scene.trim()), w, theme.dim());
            }
            let statement = format!("“{}”", for_screen(round.card.client.trim()));
            wrapped(&mut lines, "", &statement, w, theme.stem());
            lines.push(Line::default());
            if !r.criteria().is_empty() {
                wrapped(&mut lines, "", "What to keep doing", w, theme.step());
                for c in r.criteria() {
                    wrapped(&mut lines, "  • ", &for_screen(&c.text), w, Style::new());
                }
            }
            page_max = Some(page(frame, col, app, lines, theme));
        }
        Improv::Rating => {
            wrapped(
                &mut lines,
                "",
                &format!(
                    "{therapist}, how hard was that for you? 0 easy, {MAX_RATING} very hard. It is kept with the rounds and does not move a level."
                ),
                w,
                Style::new(),
            );
            lines.push(Line::default());
            let (p, s) = mark(app, Row::ImproviseRating);
            let rating = r.improvise_rating();
            let mut spans = vec![Span::raw(p), Span::styled("Difficulty ", s)];
            if w >= 40 {
                for n in 0..=MAX_RATING {
                    if n == rating {
                        spans.push(Span::styled(format!("[{n}]"), theme.key()));
                    } else {
                        spans.push(Span::styled(format!(" {n} "), theme.dim()));
                    }
                }
            } else {
                spans.push(Span::styled(
                    format!("‹{rating}› of {MAX_RATING}"),
                    theme.key(),
                ));
            }
            lines.push(Line::from(spans));
            frame.render_widget(
                Paragraph::new(cut_lines(lines, usize::from(col.height), w)),
                col,
            );
        }
    }
    if let Some(side) = side {
        countdown(frame, side, &clock_text, state, theme);
    }
    page_max
}

#[cfg(test)]
mod tests {
    use super::wrap;
    use crate::tui::widgets::width_of;

    /// Wide characters (CJK, emoji) take two cells: wrapping counts cells,
    /// so no line runs past its room, and nothing is lost.
    #[test]
    fn wrap_counts_cells_not_characters() {
        let text = "会話の断絶を修復する練習をしましょう 🙂🙂🙂 and some words";
        for width in 2..30 {
            // Room for at least one wide character after the indent.
            for indent in [0, 2].into_iter().filter(|i| width >= i + 2) {
                let lines = wrap(text, width, indent);
                for line in &lines {
                    assert!(width_of(line) <= width, "{width}: {line:?} of {lines:?}");
                }
                let joined: String = lines.concat().split_whitespace().collect();
                let want: String = text.split_whitespace().collect();
                assert_eq!(joined, want, "{width}");
            }
        }
    }
}
