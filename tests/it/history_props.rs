//! Property tests of the notes browser's model (`History`): random session
//! sets (empty, one, many, unreadable files among them), random key
//! sequences and random window sizes, with the runtime's answers to its
//! effects simulated (deletes and exports that succeed or fail, follow-ups
//! and resumes that come back). Nothing panics, drawing included; the
//! selection is always in bounds; the page never scrolls past its end; and
//! no session disappears except by a delete that was confirmed and done.
//!
//! 64 cases by default; `PROPTEST_CASES=5000 cargo test --test
//! history_props` goes deeper.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use repair_practice::journal::{Session, StepRecord, StepStatus};
use repair_practice::tui::history::model::{Effect, History, Output};
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

/// A session from a few random numbers and a note.
fn session(i: usize, day: u32, statuses: &[u8], note: &str, finished: bool) -> Session {
    let started =
        DateTime::parse_from_rfc3339(&format!("2026-11-{:02}T09:{:02}:00+01:00", day, i % 60))
            .unwrap();
    Session {
        id: format!("202611{day:02}-09{:02}00-{i:04}", i % 60),
        mode: if i.is_multiple_of(3) {
            "rehearse"
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
            })
            .collect(),
        extra: Default::default(),
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
    #![proptest_config(ProptestConfig::with_cases(64))]

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
                    Effect::Delete(id) => {
                        if ok {
                            deleted.insert(id.clone());
                            model.deleted(&id, Ok(()));
                        } else {
                            model.deleted(&id, Err("permission denied".into()));
                        }
                    }
                    Effect::Export { path, count, .. } => {
                        let result = if ok { Ok(()) } else { Err(format!("{path} already exists")) };
                        let free = (!ok).then(|| format!("{path}-2.md"));
                        model.exported(&path, count, result, free);
                    }
                    Effect::Quit(Output::Closed) => closed = true,
                    Effect::Quit(Output::FollowUp(_) | Output::Resume(_)) => {
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
                    Effect::Quit(other) => panic!("the model never ends with {other:?}"),
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
