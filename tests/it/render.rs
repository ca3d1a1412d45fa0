//! Render tests: each view drawn into ratatui's TestBackend at 80x24 and
//! 40x12 (and below), snapshotted with insta. Time is fixed by passing
//! instants relative to one start, so every frame is reproducible.

use std::time::{Duration, Instant};

use chrono::DateTime;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use repair_practice::practice::{Walk, WalkOptions};
use repair_practice::protocol::builtin;
use repair_practice::tui::theme::Theme;
use repair_practice::tui::walk;
use repair_practice::tui::walk::model::{App, Msg, SaveError, SaveKind, WalkEffect, WalkScreen};

use crate::screens::{drawn, snap_sizes, text};

fn app(options: WalkOptions) -> App {
    let started = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap();
    let walk = Walk::new(
        builtin_with_pacer_on(),
        options,
        "20261124-090000-abcd".into(),
        started,
    );
    let mut app = App::new(walk, true)
        .with_wall_clock(|| DateTime::parse_from_rfc3339("2026-11-24T09:20:00+01:00").unwrap());
    // Past the start screen's offer of this month's step (shown on its own).
    app.start_open = false;
    app
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn type_text(app: &mut App, text: &str, now: Instant) {
    for c in text.chars() {
        let code = if c == '\n' {
            KeyCode::Enter
        } else {
            KeyCode::Char(c)
        };
        app.update(key(code), now);
    }
}

fn render(app: &App, width: u16, height: u16, now: Instant) -> Terminal<TestBackend> {
    drawn(width, height, |frame| {
        walk::draw(frame, app, &Theme::monochrome(), now);
    })
}

/// Snapshots a view at the sizes the layout is judged at: the smallest,
/// the classic terminal, and two wide windows (two columns and the rail).
macro_rules! snap_both {
    ($name:literal, $app:expr, $now:expr) => {
        snap_sizes!(
            $name,
            |w, h| render(&$app, w, h, $now),
            [(80, 24), (40, 12), (120, 40), (200, 60)]
        );
    };
}

/// The screen's text, rows joined by newlines.
/// Draws as the program does, keeping what the draw measured (how far the
/// page scrolls, where the rail's steps are) for the keys and clicks after.
fn render_kept(app: &mut App, width: u16, height: u16, now: Instant) {
    let mut measured = None;
    drawn(width, height, |frame| {
        measured = Some(walk::draw(frame, app, &Theme::monochrome(), now));
    });
    app.measured(measured.expect("drawn"));
}

fn screen_text(app: &App, width: u16, height: u16, now: Instant) -> String {
    text(render(app, width, height, now).backend().buffer())
}

#[test]
fn pause_offered() {
    let app = app(WalkOptions::default());
    snap_both!("pause_offered", app, Instant::now());
}

#[test]
fn pause_running_with_cue_and_pacer() {
    let mut app = app(WalkOptions::default());
    let t0 = Instant::now();
    app.update(key(KeyCode::Enter), t0);
    // 31.5 s into 90: the third of six cues, breathing out.
    snap_both!("pause_running", app, t0 + Duration::from_millis(31_500));
}

#[test]
fn pause_held() {
    let mut app = app(WalkOptions::default());
    let t0 = Instant::now();
    app.update(key(KeyCode::Enter), t0);
    app.update(key(KeyCode::Char(' ')), t0 + Duration::from_secs(10));
    snap_both!("pause_held", app, t0 + Duration::from_secs(50));
}

/// The built-in scan ships with its pacer off; `b` during the
/// pause brings it in, `b` again takes it away, and the footer offers the
/// key only while the pause has a pacer to offer.
#[test]
fn b_turns_the_pacer_on_and_off_during_the_pause() {
    let started = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap();
    let walk = Walk::new(
        builtin(),
        WalkOptions::default(),
        "20261124-090000-abcd".into(),
        started,
    );
    let mut app = App::new(walk, true)
        .with_wall_clock(|| DateTime::parse_from_rfc3339("2026-11-24T09:20:00+01:00").unwrap());
    app.start_open = false;
    let t0 = Instant::now();
    let at = t0 + Duration::from_millis(31_500);
    let offered = screen_text(&app, 80, 24, t0);
    assert!(!offered.contains("pacer"), "not on the offer:\n{offered}");
    app.update(key(KeyCode::Char(' ')), t0);
    let off = screen_text(&app, 80, 24, at);
    assert!(
        !off.contains("Breathe"),
        "the scan begins without it:\n{off}"
    );
    assert!(off.contains("b pacer on"), "the footer offers it:\n{off}");
    app.update(key(KeyCode::Char('b')), t0 + Duration::from_secs(1));
    let on = screen_text(&app, 80, 24, at);
    assert!(on.contains("Breathe in"), "the pacer is in:\n{on}");
    assert!(on.contains("▮"), "as a moving bar:\n{on}");
    assert!(on.contains("b pacer off"), "{on}");
    insta::assert_snapshot!("pacer_turned_on_80x24", render(&app, 80, 24, at).backend());
    // reduce_motion: the same pacer in words.
    app.reduce_motion = true;
    let still = screen_text(&app, 80, 24, at);
    assert!(still.contains("Breathe in… "), "{still}");
    assert!(!still.contains("▮"), "{still}");
    app.reduce_motion = false;
    app.update(key(KeyCode::Char('B')), t0 + Duration::from_secs(2));
    let gone = screen_text(&app, 80, 24, at);
    assert!(!gone.contains("Breathe"), "and gone again:\n{gone}");
    assert!(gone.contains("b pacer on"), "{gone}");
    // Not a letter of the notes: the pause takes no typing, and the notes
    // stay empty once it ends.
    app.update(key(KeyCode::Enter), t0 + Duration::from_secs(3));
    assert_eq!(app.editor().lines().join(""), "");
    let notes = screen_text(&app, 80, 24, t0 + Duration::from_secs(3));
    assert!(
        !notes.contains("pacer"),
        "gone from the footer with the pause:\n{notes}"
    );
}

#[test]
fn notes_with_wide_characters() {
    let mut app = app(WalkOptions::default());
    let now = Instant::now();
    app.update(key(KeyCode::Tab), now);
    type_text(
        &mut app,
        "Tight chest, jaw clenched. 停一下 🌿\nWanted to explain myself fast.",
        now,
    );
    snap_both!("notes", app, now);
}

#[test]
fn a_step_without_a_pause_in_a_drill() {
    let app = app(WalkOptions {
        drill: Some("validate".into()),
        pause_seconds: None,
    });
    snap_both!("drill_validate", app, Instant::now());
}

#[test]
fn summary_before_saving() {
    let mut app = app(WalkOptions {
        pause_seconds: Some(60),
        ..Default::default()
    });
    let t0 = Instant::now();
    app.update(key(KeyCode::Enter), t0);
    let t1 = t0 + Duration::from_secs(61);
    app.update(Msg::Tick, t1);
    type_text(&mut app, "Heat in my face. Stayed with it.", t1);
    app.update(key(KeyCode::Tab), t1);
    type_text(&mut app, "It sounds like that landed as dismissive?", t1);
    app.update(ctrl('s'), t1);
    assert_eq!(app.screen, WalkScreen::Summary);
    snap_both!("summary", app, t1);
}

#[test]
fn quit_question() {
    let mut app = app(WalkOptions::default());
    let now = Instant::now();
    type_text(&mut app, "a note", now);
    app.update(key(KeyCode::Esc), now);
    assert_eq!(app.screen, WalkScreen::ConfirmQuit);
    snap_both!("confirm_quit", app, now);
}

#[test]
fn help_overlay() {
    let mut app = app(WalkOptions::default());
    let now = Instant::now();
    app.update(key(KeyCode::F(1)), now);
    snap_both!("help", app, now);
}

#[test]
fn save_failed_keeps_the_notes_on_screen() {
    let mut app = app(WalkOptions::default());
    let now = Instant::now();
    type_text(&mut app, "Notes that must not be lost.", now);
    app.update(ctrl('s'), now);
    let effects = app.update(key(KeyCode::Enter), now);
    assert!(matches!(
        effects.as_slice(),
        [WalkEffect::Save(_, SaveKind::Finish)]
    ));
    app.update(
        Msg::Saved(
            SaveKind::Finish,
            Err(SaveError::new(std::io::Error::other("disk full"))),
        ),
        now,
    );
    snap_both!("save_failed", app, now);
}

#[test]
fn too_small_says_so_and_recovers() {
    let app = app(WalkOptions::default());
    let now = Instant::now();
    insta::assert_snapshot!("too_small_39x11", render(&app, 39, 11, now).backend());
    insta::assert_snapshot!("too_small_20x3", render(&app, 20, 3, now).backend());
    // The same app draws normally once the window is large enough again.
    let big = render(&app, 40, 12, now);
    assert!(format!("{:?}", big.backend()).contains("Step 1 of 6"));
}

#[test]
fn large_window() {
    let app = app(WalkOptions::default());
    let terminal = render(&app, 200, 60, Instant::now());
    let text = format!("{:?}", terminal.backend());
    assert!(text.contains("Step 1 of 6"));
    assert!(text.contains("Try saying"), "everything fits at 200x60");
    assert!(!text.contains("more ↓"));
}

#[test]
fn passphrase_prompt_is_masked() {
    use repair_practice::journal::Store;
    use repair_practice::tui::passphrase::Prompt;
    use repair_practice::tui::terminal::{Input, Program};
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let mut prompt = Prompt::new(&mut store, Theme::monochrome());
    let now = Instant::now();
    for c in "tender".chars() {
        prompt.handle(
            Input::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
            now,
        );
    }
    for (name, w, h) in [("passphrase_80x24", 80, 24), ("passphrase_40x12", 40, 12)] {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal.draw(|frame| prompt.draw(frame, now)).unwrap();
        let text = format!("{:?}", terminal.backend());
        assert!(!text.contains("tender"), "the passphrase is never shown");
        insta::assert_snapshot!(name, terminal.backend());
    }
}

/// The built-in protocol with the scan's breathing pacer on, as a user who
/// turned it on sees it (it ships off: the scan is to feel, not to fix).
fn builtin_with_pacer_on() -> repair_practice::protocol::Protocol {
    let mut protocol = builtin();
    for pause in protocol.steps.iter_mut().filter_map(|s| s.pause.as_mut()) {
        pause.breath = pause.pacer;
    }
    protocol
}

#[test]
fn start_screen_says_what_the_walk_is_and_offers_the_focus() {
    let mut app = app(WalkOptions::default());
    app.start_open = true;
    let now = Instant::now();
    let text = screen_text(&app, 80, 24, now);
    assert!(text.contains("This month: Pause and scan inward"));
    assert!(text.contains("Tab moves on, Ctrl-S finishes"));
    assert!(text.contains("Rupture is part of most real relationships"));
    assert!(!text.contains("First time here"), "later runs stay quiet");
    snap_both!("start_screen", app, now);
    app.first_run = true;
    let text = screen_text(&app, 80, 24, now);
    assert!(text.contains("First time here"), "{text}");
}

/// The one-step walk is "practised alone", never a "drill" (that word is
/// `repair drill`'s): on the start screen's offer, its footer, the F1 help
/// and the one-step walk's header, at every size.
#[test]
fn the_one_step_walk_is_never_called_a_drill() {
    let now = Instant::now();
    let mut app = app(WalkOptions::default());
    app.start_open = true;
    for (w, h) in [(40, 12), (80, 24), (120, 40), (200, 60)] {
        let text = screen_text(&app, w, h, now);
        assert!(!text.to_lowercase().contains("drill"), "{w}x{h}:\n{text}");
        assert!(text.contains("practise"), "{w}x{h}:\n{text}");
    }
    app.update(key(KeyCode::F(1)), now);
    let text = screen_text(&app, 120, 40, now);
    assert!(text.contains("only this month's step"), "{text}");
    assert!(!text.to_lowercase().contains("drill"), "{text}");
    app.update(key(KeyCode::Esc), now);
    assert!(
        app.focus_offer().is_some(),
        "the help closed, the offer stays"
    );
    app.update(key(KeyCode::Enter), now);
    for (w, h) in [(40, 12), (80, 24), (120, 40), (200, 60)] {
        let text = screen_text(&app, w, h, now);
        assert!(!text.to_lowercase().contains("drill"), "{w}x{h}:\n{text}");
    }
    assert!(screen_text(&app, 80, 24, now).contains("Step 1 of 1 (one step)"));
}

#[test]
fn the_rail_shows_each_state_in_symbols() {
    let mut app = app(WalkOptions::default());
    let now = Instant::now();
    type_text(&mut app, "Heat in my face.", now);
    for _ in 0..3 {
        app.update(key(KeyCode::Tab), now);
    }
    let text = screen_text(&app, 80, 24, now);
    assert!(
        text.contains("✓––●○○"),
        "done, skipped, here, not yet:\n{text}"
    );
    app.update(key(KeyCode::Tab), now);
    app.update(key(KeyCode::Tab), now);
    let text = screen_text(&app, 80, 24, now);
    assert!(text.contains("✓–––↻●"), "a follow-up left open:\n{text}");
    let wide = screen_text(&app, 120, 40, now);
    assert!(wide.contains("✓ 1 Pause and scan inward"), "{wide}");
    snap_both!("rail", app, now);
}

#[test]
fn about_page_shows_source_and_supervision_line() {
    let mut app = app(WalkOptions::default());
    let now = Instant::now();
    app.update(key(KeyCode::F(2)), now);
    let text = screen_text(&app, 80, 24, now);
    assert!(text.contains("About this protocol"), "{text}");
    assert!(text.contains("Source"), "{text}");
    snap_both!("about", app, now);
}

#[test]
fn long_titles_end_in_an_ellipsis() {
    let mut protocol = builtin();
    protocol.title = "A very long protocol title that goes on and on past any window".into();
    protocol.steps[0].title = "A step title far too long to fit on one narrow line at all".into();
    let started = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap();
    let walk = Walk::new(
        protocol,
        WalkOptions::default(),
        "20261124-090000-abcd".into(),
        started,
    );
    let mut app = App::new(walk, true);
    app.start_open = false;
    let text = screen_text(&app, 40, 12, Instant::now());
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].contains('…'), "{text}");
    assert!(lines[1].contains('…'), "{text}");
}

#[test]
fn summary_notes_keep_their_indent_when_wrapped() {
    let mut app = app(WalkOptions::default());
    let now = Instant::now();
    app.update(key(KeyCode::Tab), now);
    type_text(
        &mut app,
        "A long note that will certainly wrap at forty columns, more than once over.",
        now,
    );
    app.update(ctrl('s'), now);
    let text = screen_text(&app, 40, 12, now);
    let body: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.contains("1. Pause"))
        .skip(1)
        .take(3)
        .collect();
    for line in &body {
        assert!(line.starts_with("   "), "indent kept: {line:?}\n{text}");
    }
}

#[test]
fn summary_scrolling_stops_at_the_end() {
    let mut app = app(WalkOptions::default());
    let now = Instant::now();
    type_text(&mut app, "note", now);
    app.update(ctrl('s'), now);
    render_kept(&mut app, 40, 12, now);
    for _ in 0..10 {
        app.update(key(KeyCode::PageDown), now);
    }
    let at_end = app.scroll;
    assert!(at_end > 0 && at_end == app.scroll_max);
    app.update(key(KeyCode::Up), now);
    assert_eq!(app.scroll, at_end - 1, "one key moves at once");
    app.update(key(KeyCode::End), now);
    assert_eq!(app.scroll, at_end);
    let text = screen_text(&app, 40, 12, now);
    assert!(text.contains("end · lines"), "{text}");
}

#[test]
fn random_window_sizes_never_panic() {
    let app = app(WalkOptions::default());
    let now = Instant::now();
    for w in [1u16, 2, 5, 39, 40, 41, 79, 119, 120, 121, 250] {
        for h in [1u16, 2, 11, 12, 13, 19, 20, 29, 30, 31, 70] {
            render(&app, w, h, now);
        }
    }
}

/// The guide's Keys table and the walk's key table say the same: every key
/// of the table has a row, and every row names a key of the table.
#[test]
fn the_readme_keys_match_the_table() {
    use repair_practice::tui::walk::keys::WALK;
    let readme = include_str!("../../docs/guide.md");
    let section = readme
        .split("## Keys\n")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("a Keys section");
    let rows: Vec<&str> = section
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| Key ") && !l.starts_with("| ---"))
        .map(|l| l.trim_start_matches("| ").split(" |").next().unwrap_or(""))
        .collect();
    for binding in WALK {
        assert!(
            rows.contains(&binding.label),
            "the guide's Keys table has no row for {}",
            binding.label
        );
    }
    for row in rows {
        assert!(
            WALK.iter().any(|b| b.label == row),
            "the guide's Keys table lists {row}, which the walk's key table does not have"
        );
    }
}

#[test]
fn the_wheel_scrolls_and_a_click_on_the_rail_goes_to_that_step() {
    use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mouse = |kind, column, row| {
        Msg::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    let mut app = app(WalkOptions::default());
    let now = Instant::now();
    // Wide: the rail on the left, step 3 on its fifth row.
    let text = screen_text(&app, 120, 40, now);
    render_kept(&mut app, 120, 40, now);
    let row = text
        .lines()
        .position(|l| l.contains("3 Validate"))
        .expect("the rail lists step 3") as u16;
    app.update(mouse(MouseEventKind::Down(MouseButton::Left), 4, row), now);
    assert_eq!(app.walk.position(), 2);
    // Narrow: the symbols on the second line.
    render_kept(&mut app, 80, 24, now);
    app.update(mouse(MouseEventKind::Down(MouseButton::Left), 2, 1), now);
    assert_eq!(app.walk.position(), 0);
    render_kept(&mut app, 40, 12, now);
    app.update(mouse(MouseEventKind::ScrollDown, 10, 5), now);
    assert_eq!(app.scroll, 3);
    app.update(mouse(MouseEventKind::ScrollUp, 10, 5), now);
    assert_eq!(app.scroll, 0);
}

/// The summary's footer offers scrolling only when there is more to see
/// (as the position hint above it does).
#[test]
fn the_summary_offers_scroll_only_when_there_is_more() {
    let mut app = app(WalkOptions::default());
    let now = Instant::now();
    type_text(&mut app, "note", now);
    app.update(ctrl('s'), now);
    assert_eq!(app.screen, WalkScreen::Summary);
    let footer = |w, h| {
        let text = screen_text(&app, w, h, now);
        text.lines().last().unwrap().to_owned()
    };
    for (w, h) in [(80, 40), (120, 40), (200, 60)] {
        let text = screen_text(&app, w, h, now);
        assert!(!text.contains("lines "), "{w}x{h}: all fits\n{text}");
        assert!(!footer(w, h).contains("scroll"), "{w}x{h}:\n{text}");
    }
    let text = screen_text(&app, 40, 12, now);
    assert!(text.contains("lines 1–"), "{text}");
    assert!(footer(40, 12).contains("↓ scroll"), "{text}");
}

/// With a few lines of notes at 80x24, the first step's first stem stays in
/// view: the guidance above gives way (and scrolls) instead.
#[test]
fn a_few_lines_of_notes_leave_the_first_stem_in_view() {
    let now = Instant::now();
    for notes in [1, 3, 4] {
        let mut app = app(WalkOptions::default());
        app.update(key(KeyCode::Tab), now); // skip the pause
        let text: Vec<String> = (1..=notes).map(|i| format!("line {i}")).collect();
        type_text(&mut app, &text.join("\n"), now);
        let shown = screen_text(&app, 80, 24, now);
        assert!(shown.contains("Try saying"), "{notes} lines:\n{shown}");
        assert!(
            shown.contains("“Can we slow down for a moment?”"),
            "{notes} lines of notes hide the first stem:\n{shown}"
        );
        assert!(shown.contains(&format!("line {notes}")), "{shown}");
        // The guidance scrolls to its end above the stems.
        app.update(key(KeyCode::PageDown), now);
        app.update(key(KeyCode::PageDown), now);
        let shown = screen_text(&app, 80, 24, now);
        assert!(shown.contains("Can I stay with this a moment"), "{shown}");
        assert!(
            shown.contains("“Can we slow down for a moment?”"),
            "{shown}"
        );
    }
}

/// The guidance is reflowed: a paragraph of the file's short lines fills
/// the column in a wide window, and a blank line in the file stays a
/// paragraph break.
#[test]
fn guidance_paragraphs_are_reflowed_to_the_column() {
    let now = Instant::now();
    let mut protocol = builtin();
    protocol.steps[0].guidance =
        "One short line.\nAnother short line.\n\nA second paragraph.".to_string();
    let started = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap();
    let walk = Walk::new(protocol, WalkOptions::default(), "x".into(), started);
    let mut app = App::new(walk, true);
    app.start_open = false;
    for (w, h) in [(80, 24), (120, 40), (200, 60)] {
        let shown = screen_text(&app, w, h, now);
        assert!(
            shown.contains("One short line. Another short line."),
            "{w}x{h}:\n{shown}"
        );
        let rows: Vec<Vec<char>> = shown.lines().map(|r| r.chars().collect()).collect();
        let at = shown
            .lines()
            .position(|r| r.contains("One short line."))
            .unwrap();
        let line = shown.lines().nth(at).unwrap();
        let col = line[..line.find("One short line.").unwrap()]
            .chars()
            .count();
        let under = |row: usize| -> String { rows[row][col..col + 20].iter().collect() };
        assert!(
            under(at + 1).trim().is_empty(),
            "{w}x{h}: a blank line between paragraphs:\n{shown}"
        );
        assert!(
            under(at + 2).starts_with("A second paragraph."),
            "{w}x{h}:\n{shown}"
        );
    }
}

/// At 200 columns the rail uses the room to spare: no step title is cut.
#[test]
fn the_rail_shows_whole_titles_where_there_is_room() {
    let now = Instant::now();
    let app = app(WalkOptions::default());
    let shown = screen_text(&app, 200, 60, now);
    for title in [
        "Reflect tentatively, and check",
        "Later, ask what it was like",
        "Enjoy the stronger relationship",
    ] {
        assert!(shown.contains(title), "{title} cut:\n{shown}");
    }
    // At 120 columns there is no room to spare: titles are cut with `…`.
    assert!(screen_text(&app, 120, 40, now).contains("Reflect tentatively,…"));
}
