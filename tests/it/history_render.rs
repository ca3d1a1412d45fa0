//! Render tests of the history browser and its stats view (TestBackend at
//! 80x24 and 40x12, snapshotted with insta), and of the start screen's
//! follow-up notice; plus the start screen's offers and a resumed walk's
//! discard, through the app's pure update.

use std::time::Instant;

use chrono::{DateTime, NaiveDate};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use repair_practice::journal::{Session, StepRecord, StepStatus};
use repair_practice::practice::{Walk, WalkOptions};
use repair_practice::protocol::builtin;
use repair_practice::tui::history::{model::History, view as history_view};
use repair_practice::tui::theme::Theme;
use repair_practice::tui::walk;
use repair_practice::tui::walk::model::{App, Exit, Msg, Offer, SaveKind, WalkEffect};

use crate::screens::{drawn, key};

const TITLES: [(&str, &str); 6] = [
    ("scan", "Pause and scan inward"),
    ("reflect", "Reflect tentatively, and check"),
    ("validate", "Validate"),
    ("mend", "Make it better"),
    ("ask-later", "Later, ask what it was like"),
    ("enjoy", "Enjoy the stronger relationship"),
];

fn session(
    id: &str,
    at: &str,
    mode: &str,
    statuses: [StepStatus; 6],
    notes: [&str; 6],
    finished: bool,
) -> Session {
    let started = DateTime::parse_from_rfc3339(at).unwrap();
    Session {
        id: id.into(),
        mode: mode.into(),
        protocol: "rupture-repair".into(),
        protocol_title: "Rupture and Repair".into(),
        drill: None,
        started_at: started,
        finished_at: finished.then_some(started + chrono::Duration::minutes(20)),
        complete: finished,
        steps: TITLES
            .iter()
            .zip(statuses.iter().zip(notes.iter()))
            .map(|((id, title), (status, notes))| StepRecord {
                id: id.to_string(),
                title: title.to_string(),
                status: status.clone(),
                notes: notes.to_string(),
                pause_seconds: (*id == "scan" && *status == StepStatus::Done).then_some(90),
                newer: Default::default(),
            })
            .collect(),
        extra: Default::default(),
    }
}

fn sessions() -> Vec<Session> {
    use StepStatus::*;
    vec![
        session(
            "20261026-090000-aaaa",
            "2026-10-26T09:00:00+01:00",
            "practice",
            [Done, Done, Done, Done, Done, Done],
            [
                "tight chest",
                "I wonder if I got that wrong",
                "that makes sense",
                "sorry",
                "it was hard",
                "closer",
            ],
            true,
        ),
        session(
            "20261110-090000-bbbb",
            "2026-11-10T09:00:00+01:00",
            "practice",
            [Done, Done, Skipped, Skipped, FollowUp, Skipped],
            [
                "jaw tight, hot face \u{1b}[31m",
                "It sounds like that landed badly.",
                "",
                "",
                "",
                "",
            ],
            true,
        ),
        session(
            "20261117-183000-cccc",
            "2026-11-17T18:30:00+01:00",
            "rehearse",
            [Done, Done, Done, NotReached, NotReached, NotReached],
            [
                "shoulders up",
                "checking in",
                "of course you were angry",
                "",
                "",
                "",
            ],
            false,
        ),
        session(
            "20261124-090000-dddd",
            "2026-11-24T09:00:00+01:00",
            "practice",
            [Done, Done, Done, Done, FollowUp, Skipped],
            [
                "breath\nslower now, shoulders down",
                "guess lightly",
                "you had every reason",
                "I'll change how I start",
                "",
                "",
            ],
            true,
        ),
    ]
}

fn history() -> History {
    History::new(
        sessions(),
        vec![(
            "/data/sessions/20261101-000000-eeee.json".into(),
            "not valid JSON, at line 1 column 2".into(),
        )],
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(),
    )
}

fn render(model: &History, width: u16, height: u16) -> Terminal<TestBackend> {
    drawn(width, height, |frame| {
        history_view::draw(frame, model, &Theme::monochrome())
    })
}

/// Every browser view is snapshotted at four sizes (40x12, 80x24, 120x40, 200x60).
macro_rules! snap_both {
    ($name:literal, $model:expr) => {
        for (w, h) in [(40, 12), (80, 24), (120, 40), (200, 60)] {
            $model.resize(w, h);
            insta::assert_snapshot!(
                format!("{}_{w}x{h}", $name),
                render(&$model, w, h).backend()
            );
        }
    };
}

#[test]
fn browser_list() {
    let mut h = history();
    snap_both!("browser_list", h);
    h.key(key(KeyCode::Down));
    snap_both!("browser_list_second", h);
}

/// A list longer than the window says what is scrolled out of sight: the
/// first row hidden gets a "more above" sign, rows below a "more below".
#[test]
fn browser_list_says_when_rows_are_hidden_above_or_below() {
    let many: Vec<Session> = (1..=12)
        .map(|day| {
            let mut s = sessions()[0].clone();
            s.id = format!("202611{day:02}-090000-aaaa");
            s.started_at =
                DateTime::parse_from_rfc3339(&format!("2026-11-{day:02}T09:00:00+01:00")).unwrap();
            s.finished_at = Some(s.started_at + chrono::Duration::minutes(20));
            s
        })
        .collect();
    let mut h = History::new(
        many,
        Vec::new(),
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(),
    );
    h.resize(40, 12);
    let header = |h: &History| {
        crate::screens::text(render(h, 40, 12).backend().buffer())
            .lines()
            .next()
            .unwrap()
            .to_string()
    };
    let top = header(&h);
    assert!(top.contains('↓') && !top.contains('↑'), "{top}");
    for _ in 0..11 {
        h.key(key(KeyCode::Down));
    }
    let bottom = header(&h);
    assert!(bottom.contains("↑") && !bottom.contains('↓'), "{bottom}");
    insta::assert_snapshot!("browser_list_scrolled_40x12", render(&h, 40, 12).backend());
    // With room, the words in full.
    h.resize(80, 12);
    let text = crate::screens::text(render(&h, 80, 12).backend().buffer());
    assert!(
        text.lines().next().unwrap().contains("more above"),
        "{text}"
    );
}

/// A session dated after today (saved with the clock set ahead) is marked
/// in the list, in words where there is room, as `notes list` marks it;
/// today's and earlier sessions are not.
#[test]
fn a_session_dated_in_the_future_is_marked_in_the_list() {
    let dated = |id: &str, at: &str| {
        let mut s = sessions()[0].clone();
        s.id = id.to_string();
        s.started_at = DateTime::parse_from_rfc3339(at).unwrap();
        s.finished_at = Some(s.started_at + chrono::Duration::minutes(20));
        s
    };
    let ahead = dated("20271128-090000-aaaa", "2027-11-28T09:00:00+01:00");
    let today = dated("20261128-090000-bbbb", "2026-11-28T09:00:00+01:00");
    let h = History::new(
        vec![ahead, today],
        Vec::new(),
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(),
    );
    for (cols, words) in [(100, "⚠ dated in the future"), (40, "⚠ future")] {
        let text = crate::screens::text(render(&h, cols, 24).backend().buffer());
        let row_of = |year: &str| {
            text.lines()
                .find(|l| l.contains(year) && l.contains("Nov"))
                .unwrap_or_else(|| panic!("no {year} row:\n{text}"))
                .to_string()
        };
        let year = |y: &str| {
            if cols >= 70 {
                y.to_string()
            } else {
                y[2..].to_string()
            }
        };
        assert!(row_of(&year("2027")).contains(words), "{text}");
        assert!(!row_of(&year("2026")).contains('⚠'), "{text}");
    }
}

#[test]
fn browser_filter() {
    let mut h = history();
    h.key(key(KeyCode::Char('/')));
    for c in "landed".chars() {
        h.key(key(KeyCode::Char(c)));
    }
    snap_both!("browser_filter", h);
}

#[test]
fn browser_full_session() {
    let mut h = history();
    h.key(key(KeyCode::Down));
    h.key(key(KeyCode::Down));
    h.key(key(KeyCode::Enter));
    snap_both!("browser_full", h);
}

#[test]
fn browser_confirm_delete_and_export() {
    let mut h = history();
    h.key(key(KeyCode::Char('d')));
    snap_both!("browser_delete", h);
    h.key(key(KeyCode::Esc));
    h.key(key(KeyCode::Char('E')));
    snap_both!("browser_export", h);
}

#[test]
fn browser_stats() {
    let mut h = history();
    h.key(key(KeyCode::Char('s')));
    snap_both!("browser_stats", h);
}

#[test]
fn browser_help_and_empty() {
    let mut h = history();
    h.key(key(KeyCode::F(1)));
    snap_both!("browser_help", h);
    let mut empty = History::new(
        Vec::new(),
        Vec::new(),
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(),
    );
    snap_both!("browser_empty", empty);
}

fn start_app() -> App {
    let started = DateTime::parse_from_rfc3339("2026-11-28T09:00:00+01:00").unwrap();
    let walk = Walk::new(
        builtin(),
        WalkOptions::default(),
        "20261128-090000-abcd".into(),
        started,
    );
    let mut app = App::new(walk, true);
    app.notice = Some((
        "1 repair is waiting for its follow-up, from Tue 24 Nov · Ctrl-F opens it".into(),
        vec![Offer::FollowUp("20261124-090000-dddd".into())],
    ));
    app
}

#[test]
fn start_screen_notice() {
    let app = start_app();
    let now = Instant::now();
    for (w, h) in [(80, 24), (40, 12)] {
        let terminal = drawn(w, h, |frame| {
            walk::draw(frame, &app, &Theme::monochrome(), now);
        });
        insta::assert_snapshot!(format!("start_notice_{w}x{h}"), terminal.backend());
    }
}

#[test]
fn ctrl_f_opens_the_follow_up_until_notes_are_written() {
    let now = Instant::now();
    let ctrl_f = Msg::Key(KeyEvent::new(KeyCode::Char('f'), KeyModifiers::CONTROL));
    let mut app = start_app();
    assert_eq!(
        app.update(ctrl_f.clone(), now),
        vec![WalkEffect::Quit(Exit::Open(Offer::FollowUp(
            "20261124-090000-dddd".into()
        )))]
    );
    let mut app = start_app();
    app.update(Msg::Key(key(KeyCode::Char('x'))), now);
    let effects = app.update(ctrl_f, now);
    assert!(
        !effects.iter().any(|e| matches!(e, WalkEffect::Quit(_))),
        "{effects:?}"
    );
    assert!(app.offer('f').is_none());
}

#[test]
fn discarding_a_resumed_walk_puts_the_original_back() {
    let now = Instant::now();
    let original = sessions().remove(2);
    let walk = Walk::resume(builtin(), &original, None);
    let mut app = App::new(walk, true);
    app.original = Some(original.clone());
    assert_eq!(
        app.editor().lines().last().map(String::as_str),
        Some("of course you were angry")
    );
    app.update(Msg::Key(key(KeyCode::Char('!'))), now);
    // The autosave lands, so an edited copy is on disk...
    let later = now + std::time::Duration::from_secs(2);
    let effects = app.update(Msg::Tick, later);
    let [WalkEffect::Save(edited, SaveKind::Autosave)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(
        edited.steps[2].notes, "of course you were angry!",
        "typing goes on at the end"
    );
    app.update(Msg::Saved(SaveKind::Autosave, Ok(())), later);
    // ...and discarding restores the session as it was, never deletes it.
    app.update(Msg::Key(key(KeyCode::Esc)), later);
    let effects = app.update(Msg::Key(key(KeyCode::Char('d'))), later);
    assert_eq!(
        effects,
        vec![
            WalkEffect::Save(original, SaveKind::Restore),
            WalkEffect::Quit(Exit::Discarded)
        ]
    );
}

/// The delete and export dialogs never lay a border on the line above the
/// preview, nor against it: at every size the line reads whole, or is
/// covered, with a blank row between it and a border.
#[test]
fn browser_dialogs_keep_their_borders_off_the_preview_line() {
    for open in ['d', 'E'] {
        let mut h = history();
        h.key(key(KeyCode::Char(open)));
        for (w, h_) in [(40u16, 12u16), (80, 24), (100, 30), (120, 40), (200, 60)] {
            let t = render(&h, w, h_);
            let rows: Vec<String> = (0..h_)
                .map(|y| {
                    (0..w)
                        .map(|x| t.backend().buffer()[(x, y)].symbol().to_string())
                        .collect()
                })
                .collect();
            let Some(rule) = rows
                .iter()
                .position(|r| r.starts_with("──") && r.ends_with("──"))
            else {
                continue; // covered by the dialog
            };
            for near in rule.saturating_sub(1)..=(rule + 1).min(rows.len() - 1) {
                assert!(
                    !rows[near].contains('┘') && !rows[near].contains('┌'),
                    "{open} at {w}x{h_}: a border on or against the line:\n{}",
                    rows.join("\n")
                );
            }
        }
    }
}

/// A typed drill (a retry, a self-report) and a rehearsal (rating,
/// reactions, marker named, feedback, a retry), as `repair drill --type`
/// and `repair rehearse --save` keep them.
fn practice_sessions() -> Vec<Session> {
    let drill = r#"{"id":"20261127-090000-aaaaaaaa","mode":"drill","protocol":"rupture-repair",
        "protocol_title":"Rupture and Repair","drill":"validate",
        "started_at":"2026-11-27T09:00:00+01:00","finished_at":"2026-11-27T09:12:00+01:00",
        "complete":true,"steps":[],"drill_cards":[
        {"number":1,"card":"file-read","kind":"confrontation","level":"beginner",
         "client":"You haven't even read my file, have you?","attempt":1,"rating":7,
         "criteria_met":["names what the client felt"],"criteria_missed":["says why it makes sense"],
         "self_report":"tight jaw, wanted to explain","marker_guess":"complaint-therapist",
         "marker_right":true,"respond_seconds":48,
         "response":"You're right to ask; it sounds like you felt unseen.","next_level":"beginner"},
        {"number":1,"card":"file-read","kind":"confrontation","level":"beginner",
         "client":"You haven't even read my file, have you?","attempt":2,"rating":4,
         "criteria_met":["names what the client felt","says why it makes sense"],"criteria_missed":[],
         "marker_guess":null,"marker_right":false,"respond_seconds":30,
         "response":"Of course that stung: you told me last week.","next_level":"intermediate"}]}"#;
    let rehearsal = r#"{"id":"20261128-090000-bbbbbbbb","mode":"rehearse","protocol":"rupture-repair",
        "protocol_title":"Rupture and Repair","drill":null,
        "started_at":"2026-11-28T09:00:00+01:00","finished_at":"2026-11-28T09:40:00+01:00",
        "complete":true,"steps":[],"rounds":[
        {"number":1,"card":"pop-quiz","kind":"withdrawal","level":"beginner","repeated":false,
         "roles":["therapist","client","observer"],"checklist":["validate"],
         "feedback":"Slowed down before answering.","difficulty":"about-right","attempt":1,
         "therapist_seat":1,"therapist_level":"beginner","next_level":"beginner",
         "guess_kind":"withdrawal","guess_kind_right":true,"guess_marker":"minimal-response",
         "guess_marker_right":false,"rating":6,"reactions":["heart-racing"],
         "criteria_met":[{"step":"validate","number":1,"text":"says why it makes sense"}]},
        {"number":2,"card":"pop-quiz","kind":"withdrawal","level":"beginner","repeated":false,
         "roles":["therapist","client","observer"],"checklist":[],"feedback":"",
         "difficulty":"too-easy","attempt":2,"therapist_seat":1,"therapist_level":"beginner",
         "next_level":"intermediate","guess_kind":null,"guess_kind_right":null,
         "guess_marker":null,"guess_marker_right":null,"rating":2,"reactions":[],"criteria_met":[]}]}"#;
    [drill, rehearsal]
        .iter()
        .map(|json| serde_json::from_str(json).expect("the record reads"))
        .collect()
}

fn practice_history() -> History {
    History::new(
        practice_sessions(),
        Vec::new(),
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(),
    )
}

/// A drill and a rehearsal show what was practised: in the list, the
/// preview and the reading page, the same content `notes show` has.
#[test]
fn browser_drill_and_rehearse() {
    let mut h = practice_history();
    snap_both!("browser_practice_list_rehearse", h);
    h.key(key(KeyCode::Enter));
    snap_both!("browser_practice_full_rehearse", h);
    h.key(key(KeyCode::Esc));
    h.key(key(KeyCode::Down));
    snap_both!("browser_practice_list_drill", h);
    h.key(key(KeyCode::Enter));
    snap_both!("browser_practice_full_drill", h);
}

/// The reading page says every line `notes show` says of each card and
/// round (laid out its own way).
#[test]
fn the_reading_page_has_every_line_notes_show_has() {
    for session in practice_sessions() {
        let markdown = repair_practice::journal::session_markdown(&session);
        let mut h = History::new(
            vec![session.clone()],
            Vec::new(),
            NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(),
        );
        h.resize(200, 200);
        h.key(key(KeyCode::Enter));
        let page = format!("{:?}", render(&h, 200, 200).backend());
        for line in markdown.lines().filter(|l| l.starts_with("- ")) {
            let said = line.trim_start_matches("- ");
            // Header lines of the Markdown (id, protocol, status) are the
            // page's title and date lines, said in other words.
            if ["Session:", "Mode:", "Protocol:", "Status:"]
                .iter()
                .any(|h| said.starts_with(h))
            {
                continue;
            }
            let said = said.trim_start_matches("Client: ");
            assert!(
                page.contains(said),
                "{said:?} missing from the page:\n{page}"
            );
        }
    }
}

/// The filter finds drill and rehearse sessions by every text they hold:
/// a self-report, a card id, a typed response, feedback, a client line.
#[test]
fn the_filter_searches_cards_responses_and_feedback() {
    for (filter, found) in [
        ("jaw", &["20261127-090000-aaaaaaaa"][..]),
        ("quiz", &["20261128-090000-bbbbbbbb"]),
        ("file-read", &["20261127-090000-aaaaaaaa"]),
        ("felt unseen", &["20261127-090000-aaaaaaaa"]),
        ("haven't even", &["20261127-090000-aaaaaaaa"]),
        ("slowed", &["20261128-090000-bbbbbbbb"]),
        (
            "makes sense",
            &["20261128-090000-bbbbbbbb", "20261127-090000-aaaaaaaa"],
        ),
        ("nowhere", &[]),
    ] {
        let mut h = practice_history();
        h.key(key(KeyCode::Char('/')));
        for c in filter.chars() {
            h.key(key(KeyCode::Char(c)));
        }
        let ids: Vec<&str> = h.visible().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, found, "/{filter}");
    }
}

/// The browser's list and a session's page in the default theme, with
/// their styled runs; the words are the monochrome screen's.
#[test]
fn browser_screens_in_colour() {
    use crate::screens::{styled, text};
    use repair_practice::tui::theme::Palette;
    let mut h = history();
    h.resize(80, 24);
    let mut shots = Vec::new();
    for name in ["list", "page"] {
        if name == "page" {
            h.key(key(KeyCode::Down));
            h.key(key(KeyCode::Down));
            h.key(key(KeyCode::Enter));
        }
        let colour = drawn(80, 24, |f| {
            history_view::draw(f, &h, &Theme::new(Palette::Default))
        });
        let buffer = colour.backend().buffer().clone();
        assert_eq!(
            text(&buffer),
            text(render(&h, 80, 24).backend().buffer()),
            "{name}"
        );
        shots.push((name, styled(&buffer)));
    }
    for (name, screen) in shots {
        insta::assert_snapshot!(format!("browser_styled_{name}"), screen);
    }
}
