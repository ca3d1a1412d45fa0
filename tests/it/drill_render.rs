//! Render tests for `repair drill`: every view (the breath, the spoken and
//! typed response, the marker question, the reveal, the self-assessment
//! with criteria and with the self-report, the summary, the F1 help) drawn
//! into ratatui's TestBackend at 80x24 and 40x12 and snapshotted, and a
//! property test over random keys. Time is fixed by passing instants
//! relative to one start.

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent};

use repair_practice::practice::drill::{Drill, DrillOptions, MarkerGuess, Phase};
use repair_practice::practice::level::LevelRule;
use repair_practice::practice::schedule::Schedule;
use repair_practice::protocol::load_file;
use repair_practice::tui::drill::{DrillApp, Row, view};
use repair_practice::tui::mode::Model;
use repair_practice::tui::theme::Theme;

use crate::screens::{drawn, key, snap_sizes};

fn options(step: Option<&str>, typed: bool) -> DrillOptions {
    DrillOptions {
        cards: 10,
        minutes: 15,
        scan_seconds: 8,
        respond_seconds: 45,
        typed,
        kind: None,
        tag: None,
        level: None,
        step: step.map(Into::into),
        seed: 3,
        rule: LevelRule::default(),
        today: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        due_only: false,
        exclude: Default::default(),
    }
}

/// A drill at its first card's breath (past the first screen, at `now`).
fn app(step: Option<&str>, typed: bool, now: Instant) -> DrillApp {
    let mut a = app_at_intro(step, typed, now);
    a.key(key(KeyCode::Enter), now);
    assert!(matches!(a.drill.phase(), Phase::Scan(_)));
    a
}

/// A drill on its first screen.
fn app_at_intro(step: Option<&str>, typed: bool, now: Instant) -> DrillApp {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/drill-protocol.toml");
    let protocol = load_file(&path).expect("the fixture is valid");
    let drill = Drill::new(
        protocol,
        options(step, typed),
        Schedule::default(),
        "20261130-090000-abcd".into(),
        DateTime::parse_from_rfc3339("2026-11-30T09:00:00+01:00").unwrap(),
        now,
    )
    .expect("cards");
    DrillApp::new(drill, true)
}

fn draw(app: &DrillApp, w: u16, h: u16, now: Instant) -> Terminal<TestBackend> {
    drawn(w, h, |f| {
        view::draw(f, app, &Theme::monochrome(), now);
    })
}

macro_rules! snap_both {
    ($name:literal, $app:expr, $now:expr) => {
        snap_sizes!(
            $name,
            |w, h| draw(&$app, w, h, $now),
            [(80, 24), (40, 12), (120, 40), (200, 60)]
        );
    };
}

#[test]
fn every_drill_view_at_four_sizes() {
    let t0 = Instant::now();
    let mut a = app(Some("reflect"), false, t0);
    // Three seconds into the breath.
    snap_both!("drill_scan", a, t0 + Duration::from_secs(3));
    a.key(key(KeyCode::Enter), t0 + Duration::from_secs(4));
    // Twenty seconds into the response: 25 left.
    snap_both!("drill_respond", a, t0 + Duration::from_secs(24));
    a.key(key(KeyCode::Enter), t0 + Duration::from_secs(30));
    for _ in 0..7 {
        a.key(key(KeyCode::Down), t0);
    }
    snap_both!("drill_guess", a, t0 + Duration::from_secs(31));
    a.key(key(KeyCode::Enter), t0 + Duration::from_secs(32));
    snap_both!("drill_reveal", a, t0 + Duration::from_secs(33));
    a.key(key(KeyCode::Enter), t0 + Duration::from_secs(34));
    a.key(key(KeyCode::Char(' ')), t0);
    a.key(key(KeyCode::Down), t0);
    a.key(key(KeyCode::Down), t0);
    a.key(key(KeyCode::Down), t0);
    a.key(key(KeyCode::Right), t0);
    a.key(key(KeyCode::Right), t0);
    a.key(key(KeyCode::Right), t0);
    assert_eq!(a.row(), Row::Rating);
    snap_both!("drill_assess_criteria", a, t0 + Duration::from_secs(40));
    a.key(key(KeyCode::Enter), t0 + Duration::from_secs(41));
    // The next card's breath states the rule that moved the level.
    snap_both!("drill_scan_after_a_rating", a, t0 + Duration::from_secs(42));
    a.key(key(KeyCode::F(1)), t0);
    snap_both!("drill_help", a, t0 + Duration::from_secs(42));
    a.key(key(KeyCode::Esc), t0);
    a.key(key(KeyCode::Esc), t0 + Duration::from_secs(43));
    assert_eq!(*a.drill.phase(), Phase::Closing);
    snap_both!("drill_summary", a, t0 + Duration::from_secs(44));
}

/// The full screen opens on a first screen: which step is drilled, say
/// each response out loud, the keys, Enter to begin. Nothing runs there:
/// no breath, no minutes counting down, however long it stays open.
#[test]
fn the_drill_opens_on_a_first_screen_and_enter_begins() {
    let t0 = Instant::now();
    let mut a = app_at_intro(Some("reflect"), false, t0);
    assert_eq!(*a.drill.phase(), Phase::Intro);
    let later = t0 + Duration::from_secs(600);
    a.tick(later);
    assert_eq!(*a.drill.phase(), Phase::Intro, "no breath runs out");
    snap_both!("drill_intro", a, later);
    for (w, h) in [(80, 24), (120, 40), (200, 60)] {
        let text = crate::screens::text(draw(&a, w, h, later).backend().buffer());
        for line in [
            "Drilling the step",
            "Say each response out loud, briefly.",
            "Enter begins the first card.",
            "Space holds the response timer",
            "Enter begin",
        ] {
            assert!(text.contains(line), "{line} at {w}x{h}:\n{text}");
        }
    }
    // 40x12: the end of the page is reached by scrolling.
    let small = crate::screens::text(draw(&a, 40, 12, later).backend().buffer());
    assert!(small.contains("↓ PgDn more"), "{small}");
    let mut scrolled = a.clone();
    for _ in 0..5 {
        scrolled.key(key(KeyCode::PageDown), later);
    }
    let small = crate::screens::text(draw(&scrolled, 40, 12, later).backend().buffer());
    assert!(small.contains("begins the first card."), "{small}");
    a.key(key(KeyCode::Enter), later);
    assert!(matches!(a.drill.phase(), Phase::Scan(_)));
    // The drill's minutes count from the first card.
    assert_eq!(
        a.drill.ends_at(),
        later + Duration::from_secs(15 * 60),
        "the minutes start at Enter"
    );
    // Esc on the first screen leaves at once.
    let mut b = app_at_intro(Some("reflect"), false, t0);
    assert_eq!(
        b.key(key(KeyCode::Esc), t0),
        repair_practice::tui::mode::SavingEffect::Quit
    );
}

/// At 40x12 a card whose text is taller than the window keeps the client's
/// words in view and says what scrolled away above; ↑ brings it back.
#[test]
fn a_tall_card_scrolls_up_at_40x12() {
    let t0 = Instant::now();
    let mut a = app(Some("reflect"), false, t0);
    // A rating first, so the next card's breath carries the rule's sentence.
    for _ in 0..4 {
        a.key(key(KeyCode::Enter), t0);
    }
    a.key(key(KeyCode::Enter), t0);
    assert!(matches!(a.drill.phase(), Phase::Scan(_)));
    let text = |a: &DrillApp| crate::screens::text(draw(a, 40, 12, t0).backend().buffer());
    let first = text(&a);
    assert!(first.contains("↑ more above"), "{first}");
    assert!(
        first.contains(
            a.drill
                .current()
                .card
                .client
                .split_whitespace()
                .next()
                .unwrap()
        )
    );
    for _ in 0..5 {
        a.key(key(KeyCode::Up), t0);
    }
    let top = text(&a);
    assert!(top.contains("Rated "), "the top is back: {top}");
    assert!(!top.contains("↑ more above"), "{top}");
}

/// A summary longer than a 40x12 window scrolls to its last line.
#[test]
fn a_long_summary_scrolls_at_40x12() {
    let t0 = Instant::now();
    let mut a = app(Some("reflect"), false, t0);
    for _ in 0..6 {
        // Breath, response, marker, reveal, then keep and try again.
        for _ in 0..4 {
            a.key(key(KeyCode::Enter), t0);
        }
        a.key(key(KeyCode::Char('a')), t0);
    }
    a.key(key(KeyCode::Esc), t0);
    assert_eq!(*a.drill.phase(), Phase::Closing);
    let text = |a: &DrillApp| crate::screens::text(draw(a, 40, 12, t0).backend().buffer());
    let top = text(&a);
    assert!(top.contains("↓ PgDn more"), "{top}");
    for _ in 0..10 {
        a.key(key(KeyCode::PageDown), t0);
    }
    let end = text(&a);
    assert!(end.contains("hard cards come"), "{end}");
    assert!(end.contains("end · lines"), "{end}");
}

#[test]
fn typed_response_and_self_report_views() {
    let t0 = Instant::now();
    // The fixture's focus is the scan: alone, the trainee checks its
    // criteria, and the self-report follows them.
    let mut a = app(Some("scan"), true, t0);
    a.key(key(KeyCode::Enter), t0);
    for c in "It sounds like I steered us again. Did that feel that way?".chars() {
        a.key(key(KeyCode::Char(c)), t0);
    }
    snap_both!("drill_respond_typed", a, t0 + Duration::from_secs(12));
    a.key(key(KeyCode::Enter), t0);
    a.key(key(KeyCode::Enter), t0);
    a.key(key(KeyCode::Enter), t0);
    assert_eq!(a.row(), Row::Criterion(0));
    a.key(key(KeyCode::Char(' ')), t0);
    assert_eq!(a.drill.current().met, [true, false]);
    a.key(key(KeyCode::Down), t0);
    a.key(key(KeyCode::Down), t0);
    assert_eq!(a.row(), Row::SelfReport);
    for c in "jaw tight, urge to explain".chars() {
        a.key(key(KeyCode::Char(c)), t0);
    }
    snap_both!("drill_assess_self_report", a, t0 + Duration::from_secs(30));
    let kept = &a.drill.current().self_report;
    assert_eq!(kept, "jaw tight, urge to explain", "'a' and space typed");
}

fn any_key() -> impl Strategy<Value = KeyEvent> {
    prop_oneof![
        Just(key(KeyCode::Enter)),
        Just(key(KeyCode::Esc)),
        Just(key(KeyCode::Up)),
        Just(key(KeyCode::Down)),
        Just(key(KeyCode::Left)),
        Just(key(KeyCode::Right)),
        Just(key(KeyCode::PageUp)),
        Just(key(KeyCode::PageDown)),
        Just(key(KeyCode::Backspace)),
        Just(key(KeyCode::F(1))),
        Just(key(KeyCode::Char(' '))),
        Just(key(KeyCode::Char('a'))),
        proptest::char::range('b', 'z').prop_map(|c| key(KeyCode::Char(c))),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::common::proptest_cases(64)))]

    /// Random keys and ticks: no panic, the cursor stays on a choice or a
    /// row, a rating stays 0 to 10, every kept attempt is a card of the
    /// deck, and typed letters are never lost while typing.
    #[test]
    fn random_keys_keep_the_model_sound(
        typed in any::<bool>(),
        focus in prop_oneof![Just(None), Just(Some("reflect")), Just(Some("scan"))],
        keys in proptest::collection::vec((any_key(), 0u64..20), 1..120),
    ) {
        let t0 = Instant::now();
        // From the first screen, so random keys cover it too.
        let mut a = app_at_intro(focus, typed, t0);
        let mut now = t0;
        for (k, secs) in keys {
            now += Duration::from_secs(secs);
            a.tick(now);
            let typing = match a.drill.phase() {
                Phase::Respond { .. } => typed,
                Phase::Assess => a.row() == Row::SelfReport,
                _ => false,
            };
            let before = match a.drill.phase() {
                Phase::Respond { .. } => a.drill.current().response.clone(),
                _ => a.drill.current().self_report.clone(),
            };
            let help = a.help;
            a.key(k, now);
            if typing && !help
                && let KeyCode::Char(c) = k.code
            {
                let after = match a.drill.phase() {
                    Phase::Respond { .. } => a.drill.current().response.clone(),
                    Phase::Assess => a.drill.current().self_report.clone(),
                    _ => format!("{before}{c}"),
                };
                prop_assert_eq!(after, format!("{before}{c}"));
            }
            match a.drill.phase() {
                Phase::Guess => prop_assert!(a.cursor < MarkerGuess::choices().len()),
                Phase::Assess => prop_assert!(a.cursor < a.rows().len()),
                _ => {}
            }
            prop_assert!(a.drill.current().rating <= 10);
            prop_assert!(a.drill.current().met.len() == a.drill.criteria().len());
            let _ = draw(&a, 40, 12, now);
        }
        for r in a.drill.records() {
            prop_assert!(a.drill.protocol().scenarios.iter().any(|s| s.id == r.card));
            prop_assert!(r.rating <= 10);
        }
    }
}

/// Ten weeks of drills, ratings falling from 8 to 4 as the weeks go by, and
/// one rehearsal.
fn practice_history() -> Vec<repair_practice::journal::Session> {
    use repair_practice::journal::{DrillCardRecord, Extra, Session};
    let start = NaiveDate::from_ymd_opt(2026, 9, 14).unwrap();
    (0..10)
        .map(|week| {
            let day = start + chrono::Duration::weeks(week);
            let at = DateTime::parse_from_rfc3339(&format!("{day}T09:00:00+01:00")).unwrap();
            let cards = (0..3)
                .map(|n| DrillCardRecord {
                    number: n + 1,
                    card: format!("card-{n}"),
                    kind: "withdrawal".into(),
                    level: "beginner".into(),
                    client: "…".into(),
                    attempt: 1,
                    rating: (8 - week / 2) as u8,
                    criteria_met: vec!["Asks whether it fits.".into()],
                    criteria_missed: if week < 6 {
                        vec!["Stops and listens to the answer.".into()]
                    } else {
                        Vec::new()
                    },
                    criteria_met_ids: Vec::new(),
                    criteria_missed_ids: Vec::new(),
                    self_report: None,
                    marker_guess: Some("withdrawal".into()),
                    marker_right: n > 0,
                    respond_seconds: 30,
                    response: None,
                    next_level: "intermediate".into(),
                    newer: Default::default(),
                })
                .collect();
            Session {
                id: format!("{}-090000-00{week:02}", day.format("%Y%m%d")),
                mode: "drill".into(),
                protocol: "drill-fixture".into(),
                protocol_title: "Drill fixture".into(),
                drill: Some("reflect".into()),
                started_at: at,
                finished_at: Some(at),
                complete: true,
                steps: Vec::new(),
                extra: Extra {
                    drill_cards: cards,
                    ..Extra::default()
                },
            }
        })
        .collect()
}

#[test]
fn the_stats_view_charts_practice_at_two_sizes() {
    use repair_practice::tui::history::model::{BrowserScreen, History};
    use repair_practice::tui::history::view as history_view;
    let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    let mut model = History::new(practice_history(), Vec::new(), today);
    model.screen = BrowserScreen::Stats;
    let draw = |w, h| {
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|f| history_view::draw(f, &model, &Theme::monochrome()))
            .unwrap();
        t
    };
    insta::assert_snapshot!("drill_stats_chart_80x24", draw(80, 24).backend());
    insta::assert_snapshot!("drill_stats_chart_40x12", draw(40, 12).backend());
    // Scrolled: the practice lines under the step counts.
    model.scroll = 3;
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    t.draw(|f| history_view::draw(f, &model, &Theme::monochrome()))
        .unwrap();
    insta::assert_snapshot!("drill_stats_practice_lines_80x24", t.backend());
}

/// The guide's table of drill keys and the drill's key table say the same:
/// every key of the table has a row, and every row names a key of the table.
#[test]
fn the_readme_lists_every_drill_key() {
    let readme = include_str!("../../docs/guide.md");
    let section = readme
        .split("## Drilling alone")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("the drill section");
    let start = section
        .find("| Key | What it does |")
        .expect("the drill keys table");
    let rows: Vec<String> = section[start..]
        .lines()
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|l| l.split('|').nth(1).unwrap_or("").trim().replace('`', ""))
        .collect();
    // A row with no help words is the second key of a pair, named on the
    // row before it (as F1 shows it).
    for binding in repair_practice::tui::drill::KEYS
        .iter()
        .filter(|b| !b.help.is_empty())
    {
        assert!(
            rows.iter().any(|r| r == binding.label),
            "the guide's drill keys have no row for {}: {rows:?}",
            binding.label
        );
    }
    for row in &rows {
        assert!(
            repair_practice::tui::drill::KEYS
                .iter()
                .any(|b| b.label == row),
            "the guide's drill keys list {row}, which the drill's key table does not have"
        );
    }
}

/// The drill keeps the walk's reading width at every window width: text
/// never wider than 76 columns, centred (at 77 to 83 columns it used to
/// fill the window).
#[test]
fn the_drill_keeps_the_walk_reading_width() {
    use crate::screens::{outside, reading_column};
    let t0 = Instant::now();
    let mut phases = vec![app_at_intro(Some("reflect"), false, t0)];
    let mut a = app(Some("reflect"), false, t0);
    phases.push(a.clone());
    a.key(key(KeyCode::Enter), t0 + Duration::from_secs(4));
    phases.push(a.clone());
    a.key(key(KeyCode::Enter), t0 + Duration::from_secs(30));
    phases.push(a.clone());
    a.key(key(KeyCode::Enter), t0 + Duration::from_secs(32));
    phases.push(a.clone());
    a.key(key(KeyCode::Enter), t0 + Duration::from_secs(34));
    phases.push(a.clone());
    for (i, a) in phases.iter().enumerate() {
        for w in [40, 60, 76, 77, 78, 80, 83, 84, 90, 119] {
            let terminal = draw(a, w, 24, t0 + Duration::from_secs(34));
            let stray = outside(terminal.backend().buffer(), reading_column(w));
            assert!(
                stray.is_empty(),
                "phase {i} at {w}x24:\n{}",
                stray.join("\n")
            );
        }
    }
}

/// The first card's reveal (drilling reflect), drawn `width` wide and 200
/// rows tall so nothing scrolls: the app and the screen's rows.
fn reveal_rows(width: u16) -> (DrillApp, Vec<String>) {
    let t0 = Instant::now();
    let mut a = app(Some("reflect"), false, t0);
    a.key(key(KeyCode::Enter), t0 + Duration::from_secs(4));
    a.key(key(KeyCode::Enter), t0 + Duration::from_secs(30));
    a.key(key(KeyCode::Enter), t0 + Duration::from_secs(32));
    assert!(matches!(a.drill.phase(), Phase::Reveal));
    let t = draw(&a, width, 200, t0 + Duration::from_secs(33));
    let rows = (0..200u16)
        .map(|y| {
            (0..width)
                .map(|x| t.backend().buffer()[(x, y)].symbol().to_string())
                .collect::<String>()
        })
        .collect();
    (a, rows)
}

/// The reveal's criteria are a list: a criterion wrapped in a narrow window
/// goes on under its words, not under the bullet.
#[test]
fn wrapped_criteria_in_the_reveal_keep_their_indent() {
    let (_, rows) = reveal_rows(40);
    let start = rows
        .iter()
        .position(|r| r.trim_start().starts_with("Criteria for "))
        .expect("the criteria heading");
    // Past the heading (which may wrap too), to the first bullet.
    let list: Vec<&String> = rows[start + 1..]
        .iter()
        .skip_while(|r| !r.starts_with("• "))
        .take_while(|r| !r.trim().is_empty())
        .collect();
    assert!(list.len() > 3, "the criteria wrap at 40 columns: {list:?}");
    for row in &list {
        let text = row.trim_start_matches(' ');
        let lead = row.len() - text.len();
        assert!(
            text.starts_with("• ") || lead >= 2,
            "a wrapped criterion lost its indent: {list:?}"
        );
    }
}

/// The full-screen reveal uses the reveal's one wording, the words plain
/// mode prints: the verdict, the criteria heading, how the kind tends to
/// resolve.
#[test]
fn the_reveal_on_screen_uses_the_one_wording() {
    let (a, rows) = reveal_rows(76);
    let has = |start: &str| rows.iter().any(|r| r.trim().starts_with(start));
    assert!(has("You saw: ") || has("You were not sure."), "{rows:#?}");
    assert!(has("Criteria for the step "), "{rows:#?}");
    assert!(
        has("How a withdrawal tends to resolve") || has("How a confrontation tends to resolve"),
        "{rows:#?}"
    );
    // Every heading and every item of the one reveal model is drawn.
    let screen = rows
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let words = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let model = repair_practice::practice::reveal::drill(&a.drill);
    for part in &model.parts {
        assert!(screen.contains(&words(&part.heading)), "{}", part.heading);
        for item in &part.items {
            for text in [&item.says, &item.about, &item.under].into_iter().flatten() {
                assert!(screen.contains(&words(text)), "{text:?} in {screen}");
            }
        }
    }
}

/// Scrolling past the end of the reveal stops at the end (the view measures
/// it and the program's draw keeps it), so the first PgUp after it moves
/// the page at once instead of seeming dead.
#[test]
fn pgup_after_scrolling_past_the_end_of_the_reveal_moves_at_once() {
    use repair_practice::tui::mode::SavesAsItGoes;
    let t0 = Instant::now();
    let mut a = app(Some("reflect"), false, t0);
    a.key(key(KeyCode::Enter), t0 + Duration::from_secs(4));
    a.key(key(KeyCode::Enter), t0 + Duration::from_secs(30));
    a.key(key(KeyCode::Enter), t0 + Duration::from_secs(32));
    assert!(matches!(a.drill.phase(), Phase::Reveal));
    let now = t0 + Duration::from_secs(33);
    let frame = |a: &mut DrillApp| {
        let mut t = Terminal::new(TestBackend::new(40, 12)).unwrap();
        t.draw(|f| SavesAsItGoes::draw(a, f, &Theme::monochrome(), now))
            .unwrap();
        crate::screens::text(t.backend().buffer())
    };
    frame(&mut a);
    for _ in 0..60 {
        a.key(key(KeyCode::PageDown), now);
        frame(&mut a);
    }
    let end = frame(&mut a);
    assert!(end.contains("end · lines"), "{end}");
    let at_end = a.scroll;
    assert!(at_end > 5, "the reveal is taller than 40x12");
    a.key(key(KeyCode::PageUp), now);
    assert_eq!(a.scroll, at_end - 5, "one PgUp moves at once");
    let back = frame(&mut a);
    assert!(!back.contains("end · lines"), "{back}");
}

/// A card with a content note waits on its note: Enter deals it, `s`
/// leaves it out; the F1 help then lists `s`.
#[test]
fn a_content_note_comes_before_its_card() {
    let t0 = Instant::now();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/drill-protocol.toml");
    let mut protocol = load_file(&path).expect("the fixture is valid");
    for card in &mut protocol.scenarios {
        card.content = vec![repair_practice::protocol::Content::Bereavement];
    }
    let drill = Drill::new(
        protocol,
        options(Some("reflect"), false),
        Schedule::default(),
        "20261130-090000-abcd".into(),
        DateTime::parse_from_rfc3339("2026-11-30T09:00:00+01:00").unwrap(),
        t0,
    )
    .expect("cards");
    let mut a = DrillApp::new(drill, true);
    a.key(key(KeyCode::Enter), t0);
    assert_eq!(*a.drill.phase(), Phase::Notice);
    snap_both!("drill_content_note", a, t0 + Duration::from_secs(1));
    let text = crate::screens::text(draw(&a, 80, 24, t0).backend().buffer());
    assert!(
        !text.contains(&a.drill.current().card.client[..20]),
        "the card is not shown yet: {text}"
    );
    a.key(key(KeyCode::F(1)), t0);
    let help = crate::screens::text(draw(&a, 80, 24, t0).backend().buffer());
    assert!(help.contains("s  leave this card out"), "{help}");
    a.key(key(KeyCode::Esc), t0);
    let first = a.drill.current().card.id.clone();
    a.key(key(KeyCode::Char('s')), t0);
    assert_eq!(*a.drill.phase(), Phase::Notice);
    assert_ne!(a.drill.current().card.id, first);
    a.key(key(KeyCode::Enter), t0);
    assert!(matches!(a.drill.phase(), Phase::Scan(_)));
}

/// The drill's breath, reveal and assessment in the default theme, with
/// their styled runs; the words are the monochrome screen's.
#[test]
fn drill_screens_in_colour() {
    use crate::screens::{styled, text};
    use repair_practice::tui::theme::Palette;
    let t0 = Instant::now();
    let mut a = app(Some("reflect"), false, t0);
    let mut shots = Vec::new();
    let mut shoot = |name: &str, a: &DrillApp, now: Instant| {
        let colour = drawn(80, 24, |f| {
            view::draw(f, a, &Theme::new(Palette::Default), now);
        });
        let buffer = colour.backend().buffer().clone();
        assert_eq!(
            text(&buffer),
            text(draw(a, 80, 24, now).backend().buffer()),
            "{name}"
        );
        shots.push((name.to_string(), styled(&buffer)));
    };
    shoot("scan", &a, t0 + Duration::from_secs(3));
    a.key(key(KeyCode::Enter), t0 + Duration::from_secs(4));
    a.key(key(KeyCode::Enter), t0 + Duration::from_secs(30));
    a.key(key(KeyCode::Enter), t0 + Duration::from_secs(32));
    shoot("reveal", &a, t0 + Duration::from_secs(33));
    a.key(key(KeyCode::Enter), t0 + Duration::from_secs(34));
    a.key(key(KeyCode::Char(' ')), t0);
    shoot("assess", &a, t0 + Duration::from_secs(40));
    for (name, screen) in shots {
        insta::assert_snapshot!(format!("drill_styled_{name}"), screen);
    }
}

/// The key table is the drill's only source of truth: each arrow and page
/// key gives a command of its own (the command says the direction), while
/// the footer and F1 still show each pair as one entry.
#[test]
fn each_direction_is_a_command_of_its_own() {
    use repair_practice::tui::drill::{Cmd, KEYS};
    use repair_practice::tui::keys::{self, Hint};
    let t0 = Instant::now();
    let mut a = app(Some("reflect"), false, t0);
    a.key(key(KeyCode::Enter), t0 + Duration::from_secs(4));
    a.key(key(KeyCode::Enter), t0 + Duration::from_secs(30));
    a.key(key(KeyCode::Enter), t0 + Duration::from_secs(32));
    let apart = |a: &DrillApp, pairs: &[(KeyCode, KeyCode)]| {
        let command = |code| keys::lookup(KEYS, &key(code), |c: Cmd| a.hint(c));
        for &(one, other) in pairs {
            let (one, other) = (command(one), command(other));
            assert!(one.is_some() && other.is_some(), "{one:?} {other:?}");
            assert_ne!(one, other, "one command for both directions");
        }
    };
    while *a.drill.phase() != Phase::Reveal {
        a.key(key(KeyCode::Enter), t0 + Duration::from_secs(34));
    }
    apart(
        &a,
        &[
            (KeyCode::Up, KeyCode::Down),
            (KeyCode::PageUp, KeyCode::PageDown),
        ],
    );
    a.key(key(KeyCode::Enter), t0 + Duration::from_secs(36));
    assert_eq!(*a.drill.phase(), Phase::Assess);
    apart(
        &a,
        &[
            (KeyCode::Up, KeyCode::Down),
            (KeyCode::Left, KeyCode::Right),
        ],
    );
    // One footer entry and one help line per pair, as before.
    let listed: Vec<&str> = KEYS
        .iter()
        .filter(|b| !b.help.is_empty())
        .map(|b| b.label)
        .collect();
    for pair in ["↑ ↓", "← →", "PgUp PgDn"] {
        assert_eq!(listed.iter().filter(|l| **l == pair).count(), 1, "{pair}");
    }
    let shown: Vec<&str> = KEYS
        .iter()
        .filter(|b| matches!(a.hint(b.command), Hint::Shown(_)))
        .map(|b| b.label)
        .collect();
    assert!(
        shown.contains(&"↑ ↓") && shown.contains(&"← →"),
        "{shown:?}"
    );
    assert!(!shown.contains(&"↓") && !shown.contains(&"→"), "{shown:?}");
}
