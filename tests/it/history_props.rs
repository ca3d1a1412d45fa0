//! Property tests of the notes browser's model (`History`): random session
//! sets (empty, one, many, unreadable files among them; walks, drills with
//! cards and retries, rehearsals with and without rounds), random key
//! sequences and random window sizes, with the runtime's answers to its
//! effects simulated (deletes and exports that succeed or fail, follow-ups
//! and resumes that come back). Nothing panics, drawing included; the
//! selection is always in bounds; the page never scrolls past its end; and
//! no session disappears except by a delete that was confirmed and done.
//!
//! The browser holds rows and reads a session only when it shows one, so a
//! second set of properties lists sessions and then makes some of them
//! unreadable (deleted or damaged) before they are shown: nothing panics,
//! the preview and the reading page say so, and the filter (which reads the
//! files) matches exactly what a search over every session held in memory
//! matches, however it is typed and erased.
//!
//! 64 cases by default; `PROPTEST_CASES=5000 cargo test --test
//! history_props` goes deeper.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use repair_practice::journal::review::Stats;
use repair_practice::journal::{
    DrillCardRecord, Extra, RoundRecord, Row, Session, StepRecord, StepStatus, Store, StoreError,
    Unreadable,
};
use repair_practice::practice::progress::Progress;
use repair_practice::tui::history::model::{BrowserEffect, BrowserError, History, Output, Shelf};
use repair_practice::tui::history::view;
use repair_practice::tui::theme::Theme;

fn status(n: u8) -> StepStatus {
    match n % 4 {
        0 => StepStatus::Done,
        1 => StepStatus::Skipped,
        2 => StepStatus::FollowUp,
        _ => StepStatus::NotReached,
    }
}

/// A drill's cards or a rehearsal's rounds for session `i` (a third of
/// the sessions are rehearsals, half of them with rounds; a sixth are
/// drills), holding `note` as a typed response, a self-report or feedback,
/// with a retry when there are two.
fn practice(i: usize, statuses: &[u8], note: &str) -> Extra {
    let tries = 1 + statuses.len() % 2;
    let rating = statuses.first().map_or(5, |s| s % 11);
    let mut extra = Extra::default();
    if i.is_multiple_of(3) && i.is_multiple_of(2) {
        extra.rounds = (1..=tries)
            .map(|n| RoundRecord {
                number: n,
                card: format!("card-{}", i % 7),
                kind: "withdrawal".into(),
                level: "beginner".into(),
                roles: vec!["therapist".into(), "client".into(), "observer".into()],
                checklist: vec!["step0".into()],
                feedback: note.to_string(),
                difficulty: "about-right".into(),
                attempt: n as u32,
                therapist_seat: Some(1),
                rating: (n == 1).then_some(rating),
                reactions: vec!["went-blank".into()],
                ..RoundRecord::default()
            })
            .collect();
    } else if i % 6 == 1 {
        extra.drill_cards = (1..=tries)
            .map(|n| DrillCardRecord {
                number: 1,
                card: format!("card-{}", i % 7),
                kind: "confrontation".into(),
                level: "advanced".into(),
                client: "You never listen.".into(),
                attempt: n as u32,
                rating,
                criteria_met: vec!["names it".into()],
                criteria_missed: Vec::new(),
                criteria_met_ids: vec!["reflect.guess".into()],
                criteria_missed_ids: Vec::new(),
                self_report: (n == 1).then(|| note.to_string()),
                marker_guess: Some("denial".into()),
                marker_right: false,
                respond_seconds: 30,
                response: Some(note.to_string()),
                next_level: "advanced".into(),
                newer: Default::default(),
            })
            .collect();
    }
    extra
}

/// A session from a few random numbers and a note.
fn session(i: usize, day: u32, statuses: &[u8], note: &str, finished: bool) -> Session {
    let started =
        DateTime::parse_from_rfc3339(&format!("2026-11-{:02}T09:{:02}:00+01:00", day, i % 60))
            .unwrap();
    Session {
        id: format!("202611{day:02}-09{:02}00-{i:04}", i % 60),
        mode: if i.is_multiple_of(3) {
            "rehearse"
        } else if i % 6 == 1 {
            "drill"
        } else {
            "practice"
        }
        .into(),
        protocol: "rupture-repair".into(),
        protocol_title: if i.is_multiple_of(5) {
            String::new()
        } else {
            "Rupture and Repair".into()
        },
        drill: None,
        started_at: started,
        finished_at: finished.then_some(started),
        complete: finished,
        steps: statuses
            .iter()
            .enumerate()
            .map(|(k, &s)| StepRecord {
                id: format!("step{k}"),
                title: format!("Step {k} with a title long enough to wrap somewhere"),
                status: status(s),
                notes: if k == 0 {
                    note.to_string()
                } else {
                    String::new()
                },
                pause_seconds: (s % 2 == 0).then_some(u64::from(s) * 7),
                newer: Default::default(),
            })
            .collect(),
        extra: practice(i, statuses, note),
    }
}

fn sessions() -> impl Strategy<Value = Vec<Session>> {
    prop::collection::vec(
        (
            1u32..=28,
            prop::collection::vec(any::<u8>(), 0..8),
            // Notes with line breaks, control characters, wide characters.
            "[a-z \\n\\t\u{1b}é停🌿]{0,80}",
            any::<bool>(),
        ),
        0..25,
    )
    .prop_map(|raw| {
        let mut list: Vec<Session> = raw
            .into_iter()
            .enumerate()
            .map(|(i, (day, statuses, note, finished))| session(i, day, &statuses, &note, finished))
            .collect();
        // The store lists oldest first.
        list.sort_by(|a, b| a.started_at.cmp(&b.started_at).then(a.id.cmp(&b.id)));
        list
    })
}

#[derive(Debug, Clone)]
enum Step {
    Key(KeyEvent),
    Resize(u16, u16),
}

fn keys() -> impl Strategy<Value = Step> {
    let plain = |c| KeyEvent::new(c, KeyModifiers::NONE);
    prop_oneof![
        8 => prop::sample::select(vec![
            KeyCode::Up,
            KeyCode::Down,
            KeyCode::PageUp,
            KeyCode::PageDown,
            KeyCode::Home,
            KeyCode::End,
            KeyCode::Enter,
            KeyCode::Esc,
            KeyCode::Backspace,
            KeyCode::Tab,
            KeyCode::Delete,
            KeyCode::F(1),
            KeyCode::Left,
        ])
        .prop_map(move |c| Step::Key(plain(c))),
        8 => prop::sample::select(vec![
            'j', 'k', 'g', 'G', '/', 's', 'e', 'E', 'd', 'y', 'n', 'f', 'r', 'q', ' ', 'a',
            'x', '2', 'é',
        ])
        .prop_map(move |c| Step::Key(plain(KeyCode::Char(c)))),
        1 => Just(Step::Key(KeyEvent::new(
            KeyCode::Char('c'),
            KeyModifiers::CONTROL
        ))),
        2 => (1u16..220, 1u16..70).prop_map(|(w, h)| Step::Resize(w, h)),
    ]
}

fn check(model: &History, deleted: &BTreeSet<String>, all: &BTreeSet<String>) {
    let len = model.visible_len();
    if len == 0 {
        assert!(model.selected().is_none());
    } else {
        assert!(model.selected_pos() < len, "selection out of bounds");
        assert!(model.selected().is_some());
    }
    assert!(model.scroll <= model.max_scroll(), "scrolled past the end");
    let now: BTreeSet<String> = model.sessions().iter().map(|s| s.id.clone()).collect();
    let expected: BTreeSet<String> = all.difference(deleted).cloned().collect();
    assert_eq!(now, expected, "only a done delete removes a session");
}

fn draw(model: &History) {
    let (w, h) = model.size();
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal
        .draw(|frame| view::draw(frame, model, &Theme::monochrome()))
        .unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::common::proptest_cases(64)))]

    #[test]
    fn the_browser_holds_under_any_keys(
        list in sessions(),
        unreadable in 0usize..3,
        steps in prop::collection::vec(keys(), 0..80),
        answers in prop::collection::vec(any::<bool>(), 80),
    ) {
        let all: BTreeSet<String> = list.iter().map(|s| s.id.clone()).collect();
        let unreadable = (0..unreadable)
            .map(|i| (format!("/data/sessions/bad-{i}.json"), "not JSON".to_string()))
            .collect();
        let mut model = History::new(
            list.clone(),
            unreadable,
            NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(),
        );
        let mut deleted = BTreeSet::new();
        check(&model, &deleted, &all);
        draw(&model);
        for (n, step) in steps.into_iter().enumerate() {
            let ok = answers[n % answers.len()];
            let effects = match step {
                Step::Resize(w, h) => {
                    model.resize(w, h);
                    Vec::new()
                }
                Step::Key(key) => model.key(key),
            };
            let mut closed = false;
            for effect in effects {
                match effect {
                    BrowserEffect::Delete(id) => {
                        if ok {
                            deleted.insert(id.clone());
                            model.deleted(&id, Ok(()));
                        } else {
                            model.deleted(&id, Err(refused()));
                        }
                    }
                    BrowserEffect::Export { path, count, .. } => {
                        let result = if ok { Ok(()) } else { Err(BrowserError::AlreadyExists(path.clone().into())) };
                        let free = (!ok).then(|| format!("{path}-2.md"));
                        model.exported(&path, count, result, free);
                    }
                    // Deletes here keep no files: undo is never offered.
                    BrowserEffect::Undelete => panic!("undo offered with nothing held"),
                    BrowserEffect::Quit(Output::Closed) => closed = true,
                    BrowserEffect::Quit(Output::FollowUp(_) | Output::Resume(_)) => {
                        // The view on top ran and the browser comes back on
                        // what is on disk, which is what it had.
                        let on_disk: Vec<Session> = list
                            .iter()
                            .filter(|s| !deleted.contains(&s.id))
                            .cloned()
                            .collect();
                        model.reload(on_disk, Vec::new());
                        model.status = Some("Saved · follow-up done.".into());
                    }
                    // The model cannot end with a signal or a failure: those
                    // are the runtime's (`Ended`), which the type now says.
                }
            }
            check(&model, &deleted, &all);
            draw(&model);
            if closed {
                break;
            }
        }
    }
}

/// Sessions listed, of which some are gone from disk or damaged by the
/// time they are shown.
struct Flaky {
    sessions: Vec<Session>,
    gone: BTreeSet<String>,
    damaged: BTreeSet<String>,
}

impl Shelf for Flaky {
    fn session(&self, id: &str) -> Result<Session, BrowserError> {
        let path = std::path::PathBuf::from(format!("/data/sessions/{id}.json"));
        if self.gone.contains(id) {
            return Err(StoreError::NoSuchSession {
                id: id.to_owned(),
                path,
            }
            .into());
        }
        if self.damaged.contains(id) {
            return Err(StoreError::Corrupt {
                path,
                reason: Unreadable::NotASession {
                    what: "not valid JSON",
                    line: 1,
                    column: 1,
                },
            }
            .into());
        }
        self.sessions
            .iter()
            .find(|s| s.id == id)
            .cloned()
            .ok_or(BrowserError::NoLongerKept)
    }
}

/// A delete the file system refuses.
fn refused() -> BrowserError {
    StoreError::Io {
        path: "/data/sessions".into(),
        source: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
    }
    .into()
}

fn rows_of(list: &[Session]) -> Vec<Row> {
    list.iter().rev().map(Row::of).collect()
}

fn flaky(list: &[Session], unreadable: &[bool]) -> History {
    let mut gone = BTreeSet::new();
    let mut damaged = BTreeSet::new();
    for (i, s) in list.iter().enumerate() {
        match (unreadable.get(i).copied().unwrap_or(false), i % 2) {
            (true, 0) => gone.insert(s.id.clone()),
            (true, _) => damaged.insert(s.id.clone()),
            _ => false,
        };
    }
    History::open(
        rows_of(list),
        Vec::new(),
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(),
        Box::new(Flaky {
            sessions: list.to_vec(),
            gone,
            damaged,
        }),
    )
}

/// The text on screen, row by row.
fn screen_text(model: &History) -> String {
    let (w, h) = model.size();
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal
        .draw(|frame| view::draw(frame, model, &Theme::monochrome()))
        .unwrap();
    let buffer = terminal.backend().buffer();
    let mut text = String::new();
    for y in 0..h {
        for x in 0..w {
            text.push_str(buffer[(x, y)].symbol());
        }
        text.push('\n');
    }
    text
}

/// What the filter matched before the browser went lean: every word, in
/// any case, somewhere in the session's text held in memory.
fn naive_matches(list: &[Session], filter: &str) -> Vec<String> {
    let query = filter.to_lowercase();
    let words: Vec<&str> = query.split_whitespace().collect();
    list.iter()
        .rev()
        .filter(|s| {
            let mut text = format!(
                "{}\n{}\n{}\n{}\n{}\n",
                s.id,
                s.mode,
                s.protocol,
                s.protocol_title,
                s.started_at.format("%a %-d %b %Y %H:%M")
            );
            for step in &s.steps {
                text.push_str(&format!("{}\n{}\n", step.title, step.notes));
            }
            // A drill's and a rehearsal's words are searched too.
            for c in &s.extra.drill_cards {
                let typed = [&c.response, &c.self_report].into_iter().flatten();
                let marker = c.marker_guess.iter().map(|m| m.as_str().to_string());
                for part in [
                    c.card.clone(),
                    c.client.clone(),
                    c.kind.to_string(),
                    c.level.to_string(),
                ]
                .into_iter()
                .chain(typed.cloned())
                .chain(c.criteria_met.iter().chain(&c.criteria_missed).cloned())
                .chain(marker)
                {
                    text.push_str(&format!("{part}\n"));
                }
            }
            for r in &s.extra.rounds {
                let reactions = r.reactions.iter().map(|x| x.as_str().to_string());
                for part in [
                    r.card.clone(),
                    r.kind.to_string(),
                    r.level.to_string(),
                    r.feedback.clone(),
                ]
                .into_iter()
                .chain(r.checklist.iter().cloned())
                .chain(r.criteria_met.iter().map(|c| c.text.clone()))
                .chain(r.guess_kind.iter().map(|k| k.to_string()))
                .chain(r.guess_marker.iter().map(|m| m.to_string()))
                .chain(reactions)
                {
                    text.push_str(&format!("{part}\n"));
                }
            }
            let text = text.to_lowercase();
            words.iter().all(|w| text.contains(w))
        })
        .map(|s| s.id.clone())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::common::proptest_cases(64)))]

    /// Sessions deleted or damaged between listing and showing: any keys,
    /// no panic, the selection in bounds, and a shown one that cannot be
    /// read says so where its notes would be.
    #[test]
    fn sessions_gone_after_listing_are_said_not_fatal(
        list in sessions(),
        unreadable in prop::collection::vec(any::<bool>(), 25),
        steps in prop::collection::vec(keys(), 0..60),
    ) {
        let all: BTreeSet<String> = list.iter().map(|s| s.id.clone()).collect();
        let mut model = flaky(&list, &unreadable);
        for step in steps {
            let effects = match step {
                Step::Resize(w, h) => {
                    model.resize(w, h);
                    Vec::new()
                }
                Step::Key(key) => model.key(key),
            };
            let mut closed = false;
            for effect in effects {
                match effect {
                    // Deletes fail here: the list keeps everything.
                    BrowserEffect::Delete(id) => model.deleted(&id, Err(refused())),
                    BrowserEffect::Export { path, count, markdown } => {
                        prop_assert!(count > 0);
                        prop_assert!(markdown.starts_with("# Repair practice notes"));
                        model.exported(&path, count, Ok(()), None);
                    }
                    BrowserEffect::Undelete => prop_assert!(false, "undo offered with nothing held"),
                    BrowserEffect::Quit(Output::Closed) => closed = true,
                    BrowserEffect::Quit(_) => {}
                }
            }
            check(&model, &BTreeSet::new(), &all);
            let text = screen_text(&model);
            if let Some(read) = model.shown() {
                let (w, h) = model.size();
                let showing = model.screen == repair_practice::tui::history::model::BrowserScreen::List
                    || model.screen == repair_practice::tui::history::model::BrowserScreen::Full;
                if read.is_err() && showing && !model.help && w >= 80 && h >= 24 {
                    prop_assert!(
                        text.contains("can no longer be read"),
                        "an unreadable session is said:\n{text}"
                    );
                }
            }
            if closed {
                break;
            }
        }
    }

    /// The filter reads the files instead of holding every note, and a
    /// filter typed longer searches only what matched before: it still
    /// shows exactly what a search over every note in memory shows, after
    /// every letter typed or erased.
    #[test]
    fn the_streaming_filter_matches_what_memory_would(
        list in sessions(),
        typed in prop::collection::vec(
            prop_oneof![
                6 => prop::sample::select(vec!['a', 'e', 'é', ' ', 'r', 'p', '9', '2', 't', '停']).prop_map(Some),
                2 => Just(None),
            ],
            0..14,
        ),
    ) {
        let mut model = flaky(&list, &[]);
        // The stats and practice figures, read one session at a time, are
        // the figures over every session held in memory, newest first.
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let newest_first: Vec<Session> = list.iter().rev().cloned().collect();
        prop_assert_eq!(model.stats(), &Stats::compute(&newest_first, today));
        prop_assert_eq!(model.progress(), &Progress::compute(&newest_first, today, None));
        let plain = |c| KeyEvent::new(c, KeyModifiers::NONE);
        model.key(plain(KeyCode::Char('/')));
        for key in typed {
            match key {
                Some(c) => model.key(plain(KeyCode::Char(c))),
                None => model.key(plain(KeyCode::Backspace)),
            };
            let shown: Vec<String> = model.visible().map(|r| r.id.clone()).collect();
            prop_assert_eq!(shown, naive_matches(&list, &model.filter), "filter {:?}", model.filter);
        }
    }
}

/// The same on a real store: a session deleted, and one damaged, on disk
/// after the browser listed them; showing either says so, and nothing
/// panics (the preview, the reading page, the stats, an export).
#[test]
fn a_session_changed_on_disk_after_listing_is_said() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let list: Vec<Session> = (0..3)
        .map(|i| session(i, 10 + i as u32, &[0, 2], "a note", false))
        .collect();
    for s in &list {
        store.save_over(s).unwrap();
    }
    let (rows, unreadable) = store.rows();
    assert!(unreadable.is_empty());
    let mut model = History::open(
        rows,
        Vec::new(),
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(),
        Box::new(store.reader()),
    );
    // Newest first: list[2], list[1], list[0].
    std::fs::remove_file(store.session_path(&list[1].id)).unwrap();
    std::fs::write(store.session_path(&list[0].id), b"{ not json").unwrap();
    let plain = |c| KeyEvent::new(c, KeyModifiers::NONE);
    assert!(screen_text(&model).contains("a note"), "the first reads");
    model.key(plain(KeyCode::Down));
    let text = screen_text(&model);
    assert!(text.contains("can no longer be read"), "{text}");
    assert!(!text.contains("r resume"), "not offered: {text}");
    assert!(
        model.key(plain(KeyCode::Char('r'))).is_empty(),
        "nothing to resume"
    );
    model.key(plain(KeyCode::Enter));
    assert!(screen_text(&model).contains("can no longer be read"));
    model.key(plain(KeyCode::Esc));
    model.key(plain(KeyCode::Down));
    let text = screen_text(&model);
    assert!(text.contains("can no longer be read"), "{text}");
    assert!(text.contains("not valid"), "{text}");
    model.key(plain(KeyCode::Char('s')));
    assert_eq!(model.stats().sessions, 1, "the stats count what reads");
    screen_text(&model);
    model.key(plain(KeyCode::Esc));
    model.key(plain(KeyCode::Char('E')));
    let effects = model.key(plain(KeyCode::Enter));
    let [BrowserEffect::Export { count, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(*count, 1, "what still reads is exported");
}
