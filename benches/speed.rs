//! `cargo bench`: how long the things a clinician waits on take.
//!
//! A small std-only harness (no benchmark framework to build): each case runs
//! for about half a second after a warm-up, and the median and the slowest of
//! its timed batches are printed. Targets from the walk-through issue: first
//! frame within 50 ms of start (load + first render here), a key shown on the
//! next frame (one render), and saves that do not stall typing.
//!
//! The history cases write 10,000 sessions to a temporary directory first
//! (targets: list and browser open within 300 ms, filtering keeps up with
//! typing).
//!
//! Run one case: `cargo bench -- render`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::DateTime;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use repair_practice::journal::Store;
use repair_practice::practice::{Walk, WalkOptions};
use repair_practice::protocol::{self, BUILTIN_ORIGIN, BUILTIN_TEXT};
use repair_practice::tui::app::{App, Msg};
use repair_practice::tui::theme::Theme;
use repair_practice::tui::view;

/// Times `f` in batches for about `budget`, after a warm-up.
fn bench(name: &str, filter: &Option<String>, mut f: impl FnMut()) {
    if filter.as_ref().is_some_and(|w| !name.contains(w.as_str())) {
        return;
    }
    let budget = Duration::from_millis(500);
    let warm = Instant::now();
    let mut per_batch = 0u32;
    while warm.elapsed() < Duration::from_millis(50) {
        f();
        per_batch += 1;
    }
    let per_batch = (per_batch / 10).max(1);
    let mut samples = Vec::new();
    let start = Instant::now();
    while start.elapsed() < budget || samples.len() < 5 {
        let t = Instant::now();
        for _ in 0..per_batch {
            f();
        }
        samples.push(t.elapsed() / per_batch);
    }
    samples.sort();
    let median = samples[samples.len() / 2];
    let worst = samples[samples.len() - 1];
    println!("{name:<40} median {median:>12.2?}   slowest batch {worst:>12.2?}");
}

/// The app on the first step, its pause offered.
fn fresh() -> App {
    let started = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap();
    let walk = Walk::new(
        protocol::builtin(),
        WalkOptions::default(),
        "20261124-090000-abcd".into(),
        started,
    );
    App::new(walk, true)
}

/// The app with its pause running, or with notes typed.
fn app(pause: bool) -> App {
    let mut app = fresh();
    let now = Instant::now();
    if pause {
        app.update(key(KeyCode::Enter), now);
    } else {
        app.update(key(KeyCode::Tab), now);
        for c in "Tight chest. 停一下 🌿 wanting to hide, and staying anyway.".chars() {
            app.update(key(KeyCode::Char(c)), now);
        }
    }
    app
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn main() {
    // `cargo bench -- NAME` passes NAME (and cargo's own --bench flag).
    let filter = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let theme = Theme::from_env();

    bench("protocol: parse + validate built-in", &filter, || {
        black_box(protocol::parse(black_box(BUILTIN_TEXT), BUILTIN_ORIGIN).unwrap());
    });

    type MakeApp = fn() -> App;
    let views: [(&str, MakeApp); 4] = [
        ("offer", fresh),
        ("pause", || app(true)),
        ("notes", || app(false)),
        ("summary", || {
            let mut a = app(false);
            a.update(
                Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
                Instant::now(),
            );
            a
        }),
    ];
    for (name, make) in views {
        let app = make();
        for (w, h) in [(80, 24), (200, 60)] {
            let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
            bench(&format!("render: {name} {w}x{h}"), &filter, || {
                terminal
                    .draw(|frame| view::draw(frame, &app, &theme, Instant::now()))
                    .unwrap();
            });
        }
    }

    bench("first frame: load + app + render 80x24", &filter, || {
        let protocol = protocol::parse(BUILTIN_TEXT, BUILTIN_ORIGIN).unwrap();
        let started = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap();
        let walk = Walk::new(protocol, WalkOptions::default(), "x".into(), started);
        let app = App::new(walk, true);
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal
            .draw(|frame| view::draw(frame, &app, &theme, Instant::now()))
            .unwrap();
        black_box(terminal);
    });

    let mut typing = app(false);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    bench("keystroke: update + render 80x24", &filter, || {
        typing.update(key(KeyCode::Char('a')), Instant::now());
        terminal
            .draw(|frame| view::draw(frame, &typing, &theme, Instant::now()))
            .unwrap();
    });

    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let session = app(false).walk.session(Instant::now(), None);
    bench("save: one session, atomic + fsync", &filter, || {
        store.save(black_box(&session)).unwrap();
    });
    bench("store: open (checks, sweep, probe)", &filter, || {
        black_box(Store::open(dir.path()).unwrap());
    });

    history_cases(&filter, &theme);
}

/// How many sessions the history cases run over (the scale target).
const MANY: usize = 10_000;

/// Writes `MANY` sessions of a few hundred bytes of notes each, one a day
/// going back in time, straight to `sessions/` (no fsync: this is setup).
fn many_sessions(dir: &std::path::Path) -> Store {
    let store = Store::open(dir).unwrap();
    let mut base = app(false).walk.session(Instant::now(), None);
    let words = [
        "tight chest",
        "I wonder if that landed badly",
        "they went quiet",
        "sorry I hurried",
        "felt defensive, stayed",
        "their jaw relaxed",
    ];
    let start = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap();
    for n in 0..MANY {
        let at = start - chrono::Duration::hours(7 * n as i64);
        base.id = format!("{}-{:04x}", at.format("%Y%m%d-%H%M%S"), n & 0xffff);
        base.started_at = at;
        for (i, step) in base.steps.iter_mut().enumerate() {
            step.notes = format!(
                "{} (session {n}). {}",
                words[(n + i) % words.len()],
                words[i % words.len()].repeat(3)
            );
        }
        let bytes = serde_json::to_vec_pretty(&base).unwrap();
        std::fs::write(
            dir.join("sessions").join(format!("{}.json", base.id)),
            bytes,
        )
        .unwrap();
    }
    store
}

/// The history at scale: listing, opening the browser, a filter keystroke.
fn history_cases(filter: &Option<String>, theme: &Theme) {
    use repair_practice::journal::Listed;
    use repair_practice::tui::history::{model::History, view as history_view};
    if filter
        .as_ref()
        .is_some_and(|w| !"history".contains(w.as_str()) && !w.contains("history"))
    {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let made = Instant::now();
    let store = many_sessions(dir.path());
    println!("(wrote {MANY} sessions in {:.2?})", made.elapsed());
    let load = || -> Vec<_> {
        store
            .list()
            .into_iter()
            .filter_map(|l| match l {
                Listed::Session(s) => Some(s),
                Listed::Unreadable { .. } => None,
            })
            .collect()
    };
    assert_eq!(load().len(), MANY);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    bench("history: list 10k sessions from disk", filter, || {
        black_box(load());
    });
    bench(
        "history: open browser 10k (load + index + frame)",
        filter,
        || {
            let model = History::new(load(), Vec::new(), today);
            let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
            terminal
                .draw(|frame| history_view::draw(frame, &model, theme))
                .unwrap();
            black_box(terminal);
        },
    );
    let mut model = History::new(load(), Vec::new(), today);
    model.key(KeyEvent::new(KeyCode::Char('/'), KeyModifiers::NONE));
    for c in "landed".chars() {
        model.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    bench("history: filter keystroke 10k + render", filter, || {
        model.key(KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE));
        model.key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
        terminal
            .draw(|frame| history_view::draw(frame, &model, theme))
            .unwrap();
    });
    println!("(the filter case is two keystrokes: a letter and Backspace)");
}
