//! `cargo bench`: how long the things a clinician waits on take, on the
//! divan harness, then the scale figures of the store printed with ratios.
//!
//! Targets from the walk-through issue: first frame within 50 ms of start
//! (load + first render here), a key shown on the next frame (one render),
//! and saves that do not stall typing. The history cases run over 10,000
//! sessions written to a temporary directory first.
//!
//! After divan's table, `scale:` lines time the real binary's `repair notes
//! list` (release build: `cargo bench` builds it) over 10,000 sessions
//! (several years of daily practice and drills), with its peak memory and
//! processor time (user + system: the cost of a run whatever else the
//! machine does; on Unix only, from wait4: elsewhere the lines say they
//! give the wall time alone). Target: 10,000 in 50 ms or less, under 15 MB,
//! on 2 cores.
//!
//! Then `scale: browser` lines time opening the notes browser in process
//! as `repair notes` does (the store opened to write, rows read, model
//! made, first frame drawn; the store's open is also shown alone: it
//! checks the mode of every session file) over 10,000 sessions, with the
//! heap it holds at its peak (counted by the benches' allocator,
//! `benches/common`), the same for the first letter of a filter (which
//! reads every file's notes once); for comparison, the same open done the
//! old way (every session held in full).
//!
//! Run one case: `cargo bench -- render`; only the scale lines:
//! `cargo bench -- scale`.

// A measuring harness, not the program: it counts allocations through the
// global allocator and reads a child's CPU time with wait4. The rule that
// only `src/platform` uses unsafe code is for the program.
#![allow(unsafe_code)]

use std::hint::black_box;
use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use chrono::DateTime;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use repair_practice::journal::{Listed, Session, Store};
use repair_practice::practice::{Walk, WalkOptions};
use repair_practice::protocol::{self, BUILTIN_ORIGIN, BUILTIN_TEXT};
use repair_practice::tui::theme::Theme;
use repair_practice::tui::walk;
use repair_practice::tui::walk::model::{App, Msg};

mod common;

use common::heap_of;

/// Counts the heap, so the scale lines can say what the browser holds.
#[global_allocator]
static ALLOCATOR: common::Counting = common::Counting;

fn main() {
    let scale_only = std::env::args().skip(1).any(|a| a == "scale");
    if !scale_only {
        divan::main();
    }
    let filter = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    if filter.as_deref().is_none_or(|f| f == "scale") {
        scale_report();
    }
}

fn theme() -> Theme {
    Theme::from_env()
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

fn view_app(name: &str) -> App {
    match name {
        "offer" => fresh(),
        "pause" => app(true),
        "notes" => app(false),
        _ => {
            let mut a = app(false);
            a.update(
                Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
                Instant::now(),
            );
            a
        }
    }
}

#[divan::bench]
fn protocol_parse_builtin() {
    black_box(protocol::parse(black_box(BUILTIN_TEXT), BUILTIN_ORIGIN).unwrap());
}

/// What a walk reads at start: the built-in protocol's steps (its cards
/// were set aside when the program was built) and the cards' ids.
#[divan::bench]
fn protocol_builtin_without_deck() {
    black_box(protocol::builtin_without_deck());
}

#[divan::bench(args = [
    "offer 80x24", "offer 200x60", "pause 80x24", "pause 200x60",
    "notes 80x24", "notes 200x60", "summary 80x24", "summary 200x60",
])]
fn render(bencher: divan::Bencher, case: &str) {
    let (name, size) = case.split_once(' ').unwrap();
    let (w, h) = size.split_once('x').unwrap();
    let app = view_app(name);
    let theme = theme();
    let mut terminal =
        Terminal::new(TestBackend::new(w.parse().unwrap(), h.parse().unwrap())).unwrap();
    bencher.bench_local(|| {
        terminal
            .draw(|frame| {
                walk::draw(frame, &app, &theme, Instant::now());
            })
            .unwrap();
    });
}

#[divan::bench]
fn first_frame_load_app_render_80x24() {
    let theme = theme();
    let protocol = protocol::parse(BUILTIN_TEXT, BUILTIN_ORIGIN).unwrap();
    let started = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap();
    let walk = Walk::new(protocol, WalkOptions::default(), "x".into(), started);
    let app = App::new(walk, true);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|frame| {
            walk::draw(frame, &app, &theme, Instant::now());
        })
        .unwrap();
    black_box(terminal);
}

/// What start-up does before the first frame of a walk on the built-in
/// protocol, as `repair` does it now: the protocol without its deck (the
/// cards' ids only), the walk, the app, one render. Beside
/// `first_frame_load_app_render_80x24`, which reads the whole deck as
/// start-up did before.
#[divan::bench]
fn startup_to_first_frame_80x24() {
    let theme = theme();
    let (protocol, deck) = protocol::builtin_without_deck();
    let started = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap();
    let walk = Walk::new(protocol, WalkOptions::default(), "x".into(), started);
    let app = App::new(walk, true);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|frame| {
            walk::draw(frame, &app, &theme, Instant::now());
        })
        .unwrap();
    black_box((terminal, deck));
}

#[divan::bench]
fn keystroke_update_render_80x24(bencher: divan::Bencher) {
    let theme = theme();
    let mut typing = app(false);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    bencher.bench_local(|| {
        typing.update(key(KeyCode::Char('a')), Instant::now());
        terminal
            .draw(|frame| {
                walk::draw(frame, &typing, &theme, Instant::now());
            })
            .unwrap();
    });
}

#[divan::bench(sample_count = 20)]
fn save_one_session_atomic_fsync(bencher: divan::Bencher) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let session = app(false).walk.session(Instant::now(), None);
    bencher.bench_local(|| store.save_over(black_box(&session)).unwrap());
}

#[divan::bench(sample_count = 20)]
fn store_open_checks_sweep_probe(bencher: divan::Bencher) {
    let dir = tempfile::tempdir().unwrap();
    Store::open(dir.path()).unwrap();
    bencher.bench_local(|| black_box(Store::open(dir.path()).unwrap()));
}

/// How many sessions the history cases run over (the scale target).
const MANY: usize = 10_000;

/// Writes `count` sessions of a few hundred bytes of notes each, one every
/// seven hours going back in time, straight to `sessions/` (no fsync: this
/// is setup).
fn many_sessions(dir: &Path, count: usize) -> Store {
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
    for n in 0..count {
        let at = start - chrono::Duration::hours(7 * n as i64);
        base.id = format!("{}-{:08x}", at.format("%Y%m%d-%H%M%S"), n);
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

/// The 10,000-session store the history cases share.
fn history_store() -> &'static (tempfile::TempDir, Store) {
    static STORE: OnceLock<(tempfile::TempDir, Store)> = OnceLock::new();
    STORE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let store = many_sessions(dir.path(), MANY);
        (dir, store)
    })
}

/// The 10,000 sessions of [`many_sessions`] with every third (the newest
/// among them) a typed drill of six cards (client lines, responses,
/// self-reports, criteria), as the browser and the filter meet them.
fn drill_store() -> &'static (tempfile::TempDir, Store) {
    static STORE: OnceLock<(tempfile::TempDir, Store)> = OnceLock::new();
    STORE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let store = many_sessions(dir.path(), MANY);
        let start = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap();
        for n in (0..MANY).step_by(3) {
            let at = start - chrono::Duration::hours(7 * n as i64);
            let id = format!("{}-{:08x}", at.format("%Y%m%d-%H%M%S"), n);
            let cards: Vec<serde_json::Value> = (1..=6)
                .map(|k| {
                    serde_json::json!({"number": k, "card": format!("card-{k}"),
                        "kind": "withdrawal", "level": "beginner",
                        "client": "It was no big deal, really. I'm over it.", "attempt": 1,
                        "rating": (n + k) % 11, "criteria_met": ["names it as a guess"],
                        "criteria_missed": ["asks whether it fits"],
                        "self_report": format!("shoulders up (session {n})"),
                        "marker_guess": "denial", "marker_right": true, "respond_seconds": 30,
                        "response": "I moved on fast just then; can we go back?",
                        "next_level": "beginner"})
                })
                .collect();
            let drill = serde_json::json!({"id": id, "mode": "drill",
                "protocol": "rupture-repair", "protocol_title": "Rupture and Repair",
                "drill": "reflect", "started_at": at.to_rfc3339(),
                "finished_at": at.to_rfc3339(), "complete": true, "steps": [],
                "drill_cards": cards});
            std::fs::write(
                dir.path().join("sessions").join(format!("{id}.json")),
                serde_json::to_vec_pretty(&drill).unwrap(),
            )
            .unwrap();
        }
        (dir, store)
    })
}

fn load(store: &Store) -> Vec<Session> {
    store
        .list()
        .into_iter()
        .filter_map(|l| match l {
            Listed::Session(s) => Some(s),
            Listed::Unreadable { .. } => None,
        })
        .collect()
}

mod history {
    use super::*;
    use repair_practice::tui::history::{model::History, view as history_view};

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    /// Every session in full (what the browser loads today).
    #[divan::bench(sample_count = 10)]
    fn list_10k_full_sessions(bencher: divan::Bencher) {
        let (_, store) = history_store();
        bencher.bench_local(|| black_box(load(store)));
    }

    /// What `repair notes list` reads: rows, no notes.
    #[divan::bench(sample_count = 10)]
    fn rows_10k(bencher: divan::Bencher) {
        let (_, store) = history_store();
        bencher.bench_local(|| black_box(store.rows()));
    }

    /// The browser as it opened before: every session in full, indexed.
    #[divan::bench(sample_count = 10)]
    fn open_browser_10k_old_full_sessions_frame(bencher: divan::Bencher) {
        let (_, store) = history_store();
        let theme = theme();
        bencher.bench_local(|| {
            let model = History::new(load(store), Vec::new(), today());
            let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
            terminal
                .draw(|frame| history_view::draw(frame, &model, &theme))
                .unwrap();
            black_box(terminal);
        });
    }

    /// The browser as it opens now: rows, then the first frame (which reads
    /// the selected session for its preview).
    #[divan::bench(sample_count = 10)]
    fn open_browser_10k_rows_frame(bencher: divan::Bencher) {
        let (_, store) = history_store();
        let theme = theme();
        bencher.bench_local(|| {
            let model = super::open_browser(store);
            let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
            terminal
                .draw(|frame| history_view::draw(frame, &model, &theme))
                .unwrap();
            black_box(terminal);
        });
    }

    /// The same over 10,000 of which a third are typed drills (the first
    /// frame shows a drill's preview).
    #[divan::bench(sample_count = 10)]
    fn open_browser_10k_with_drills_frame(bencher: divan::Bencher) {
        let (_, store) = drill_store();
        let theme = theme();
        bencher.bench_local(|| {
            let model = super::open_browser(store);
            let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
            terminal
                .draw(|frame| history_view::draw(frame, &model, &theme))
                .unwrap();
            black_box(terminal);
        });
    }

    /// The first letter of a filter over 10,000: the rows' own words, then
    /// every file's notes read once (the cache of matches is emptied before
    /// each run, which also copies the rows).
    #[divan::bench(sample_count = 10)]
    fn filter_first_letter_10k_reads_files(bencher: divan::Bencher) {
        let (_, store) = history_store();
        let (rows, _) = store.rows();
        let mut model = super::open_browser(store);
        bencher.bench_local(|| {
            model.reload_rows(rows.clone(), Vec::new());
            model.key(KeyEvent::new(KeyCode::Char('/'), KeyModifiers::NONE));
            model.key(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE));
            black_box(model.visible_len());
            model.key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
        });
    }

    /// The first letter of a filter over 10,000 of which a third are
    /// typed drills (their cards are searched too).
    #[divan::bench(sample_count = 10)]
    fn filter_first_letter_10k_with_drills(bencher: divan::Bencher) {
        let (_, store) = drill_store();
        let (rows, _) = store.rows();
        let mut model = super::open_browser(store);
        bencher.bench_local(|| {
            model.reload_rows(rows.clone(), Vec::new());
            model.key(KeyEvent::new(KeyCode::Char('/'), KeyModifiers::NONE));
            model.key(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE));
            black_box(model.visible_len());
            model.key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
        });
    }

    /// Moving the selection down one row: the preview reads that session.
    #[divan::bench(sample_count = 20)]
    fn move_down_10k_reads_one_render(bencher: divan::Bencher) {
        let (_, store) = history_store();
        let theme = theme();
        let mut model = super::open_browser(store);
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        bencher.bench_local(|| {
            model.key(KeyEvent::new(KeyCode::Down, KeyModifiers::NONE));
            terminal
                .draw(|frame| history_view::draw(frame, &model, &theme))
                .unwrap();
        });
    }

    /// Two keystrokes: a letter and Backspace, over a filter of 10,000
    /// already narrowed to a word (later runs find both in the cache).
    #[divan::bench(sample_count = 20)]
    fn filter_keystroke_10k_render(bencher: divan::Bencher) {
        let (_, store) = history_store();
        let theme = theme();
        let mut model = super::open_browser(store);
        model.key(KeyEvent::new(KeyCode::Char('/'), KeyModifiers::NONE));
        for c in "landed".chars() {
            model.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        bencher.bench_local(|| {
            model.key(KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE));
            model.key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
            terminal
                .draw(|frame| history_view::draw(frame, &model, &theme))
                .unwrap();
        });
    }
}

/// The notes browser's model as `repair notes` opens it: rows, and a reader.
fn open_browser(store: &Store) -> repair_practice::tui::history::model::History {
    let (rows, unreadable) = store.rows();
    let unreadable = unreadable
        .into_iter()
        .map(|(path, reason)| (path.display().to_string(), reason))
        .collect();
    repair_practice::tui::history::model::History::open(
        rows,
        unreadable,
        chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(),
        Box::new(store.reader()),
    )
}

/// Opening the browser in process over the store in `dir` as `repair
/// notes` does (the store opened to write, which sweeps and checks every
/// file's mode; rows; model; first frame): the median time of `runs`, the
/// peak heap and the heap it holds open, and the median time of the store's
/// open alone.
fn browser_open(dir: &Path, runs: usize) -> (Duration, usize, usize, Duration) {
    let theme = Theme::monochrome();
    let mut times = Vec::new();
    let mut opens = Vec::new();
    let (mut peak, mut held) = (0, 0);
    for _ in 0..=runs {
        let ((model, terminal, store, opened), took, p, h) = heap_of(|| {
            let start = Instant::now();
            let store = Store::open(dir).unwrap();
            let opened = start.elapsed();
            let model = open_browser(&store);
            let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
            terminal
                .draw(|frame| repair_practice::tui::history::view::draw(frame, &model, &theme))
                .unwrap();
            (model, terminal, store, opened)
        });
        drop((model, terminal, store));
        times.push(took);
        opens.push(opened);
        peak = peak.max(p);
        held = held.max(h);
    }
    times.remove(0); // the warm-up
    opens.remove(0);
    times.sort();
    opens.sort();
    (times[times.len() / 2], peak, held, opens[opens.len() / 2])
}

/// The old open (every session in full), for comparison: time, peak heap.
fn browser_open_old(store: &Store) -> (Duration, usize) {
    let (model, took, peak, _) = heap_of(|| {
        repair_practice::tui::history::model::History::new(
            load(store),
            Vec::new(),
            chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(),
        )
    });
    drop(model);
    (took, peak)
}

/// The first letter of a filter (every file's notes read once): the median
/// time of `runs` and the peak heap above the open browser.
fn browser_filter(store: &Store, runs: usize) -> (Duration, usize) {
    let mut model = open_browser(store);
    let (rows, _) = store.rows();
    let mut times = Vec::new();
    let mut peak = 0;
    for _ in 0..=runs {
        model.reload_rows(rows.clone(), Vec::new());
        let ((), took, p, _) = heap_of(|| {
            model.key(KeyEvent::new(KeyCode::Char('/'), KeyModifiers::NONE));
            model.key(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE));
        });
        model.key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
        times.push(took);
        peak = peak.max(p);
    }
    times.remove(0);
    times.sort();
    (times[times.len() / 2], peak)
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1_048_576.0
}

/// What a finished child used, as the system counts it.
struct Usage {
    /// Peak memory (KiB); `exact` unless it is the upper bound wait4 gives.
    peak: i64,
    exact: bool,
    /// Processor time, user and system, every thread.
    cpu: Duration,
}

/// One run of the real binary: wall time, and on Unix its peak memory and
/// processor time (user and system, every thread: what the run costs
/// whatever else the machine is doing, where the wall time on a shared
/// machine is not).
///
/// The peak is measured by `/usr/bin/time -f %M` where it exists: a child
/// forked straight from this (large) bench process would count the bench's
/// own pages in its peak. Without it, the child's `ru_maxrss` from wait4 is
/// printed, marked as an upper bound.
// The child is reaped by wait4 (for its rusage), which clippy cannot see.
#[cfg(unix)]
#[allow(clippy::zombie_processes)]
fn run_list(bin: &str, dir: &Path) -> (Duration, Option<Usage>) {
    let time = Path::new("/usr/bin/time");
    let exact = time.exists();
    let mut cmd = if exact {
        let mut cmd = std::process::Command::new(time);
        cmd.args(["-f", "%M", "--"]).arg(bin);
        cmd
    } else {
        std::process::Command::new(bin)
    };
    cmd.args(["--data-dir"])
        .arg(dir)
        .args(["notes", "list"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    let start = Instant::now();
    let mut child = cmd.spawn().unwrap();
    let mut stderr = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    let mut status = 0;
    // SAFETY: a zeroed rusage is valid; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for the child spawned above; pointers are to locals.
    unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let took = start.elapsed();
    let cpu = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    // The child's (and, with /usr/bin/time, its own child's) processor time.
    let cpu = cpu(usage.ru_utime) + cpu(usage.ru_stime);
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "notes list failed: {stderr}"
    );
    let peak = if exact {
        stderr
            .trim()
            .lines()
            .last()
            .and_then(|l| l.parse().ok())
            .unwrap_or(0)
    } else {
        usage.ru_maxrss
    };
    (took, Some(Usage { peak, exact, cpu }))
}

/// One run of the real binary, timed on the clock only: without wait4
/// there is no portable way to ask what a finished child used.
#[cfg(not(unix))]
fn run_list(bin: &str, dir: &Path) -> (Duration, Option<Usage>) {
    let start = Instant::now();
    let out = std::process::Command::new(bin)
        .args(["--data-dir"])
        .arg(dir)
        .args(["notes", "list"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    let took = start.elapsed();
    assert!(
        out.status.success(),
        "notes list failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (took, None)
}

/// What [`measure`] finds of `runs` runs.
struct Figures {
    /// The median and the least wall time.
    median: Duration,
    least: Duration,
    /// The largest peak memory and the median processor time, where the
    /// system says them (Unix).
    usage: Option<Usage>,
}

/// The median and least of `runs` timings, the largest peak memory and
/// the median processor time.
fn measure(bin: &str, dir: &Path, runs: usize) -> Figures {
    let _ = run_list(bin, dir); // warm the page cache
    let mut times = Vec::new();
    let mut usages = Vec::new();
    for _ in 0..runs {
        let (t, usage) = run_list(bin, dir);
        times.push(t);
        usages.extend(usage);
    }
    times.sort();
    let usage = (usages.len() == runs).then(|| {
        let mut cpus: Vec<Duration> = usages.iter().map(|u| u.cpu).collect();
        cpus.sort();
        Usage {
            peak: usages.iter().map(|u| u.peak).max().unwrap_or(0),
            exact: usages.iter().all(|u| u.exact),
            cpu: cpus[cpus.len() / 2],
        }
    });
    Figures {
        median: times[times.len() / 2],
        least: times[0],
        usage,
    }
}

/// How many sessions the scale lines read: about five years of daily
/// practice plus drills, with room to spare (a clinician has about 1,800
/// sessions in five years; drills add a few thousand).
const SCALE: [usize; 1] = [10_000];

/// `repair notes list` over [`SCALE`] sessions, timed as a user runs it,
/// with peak memory.
fn scale_report() {
    let bin = env!("CARGO_BIN_EXE_repair");
    println!();
    println!(
        "scale: `repair notes list` ({bin}), median (and least) of 9 runs after a warm-up; \
         cpu is user + system time of all its threads"
    );
    let mut figures = Vec::new();
    let mut browser = Vec::new();
    for count in SCALE {
        let dir = tempfile::tempdir().unwrap();
        let store = many_sessions(dir.path(), count);
        let (open, peak, held, store_open) = browser_open(dir.path(), 5);
        let (filter, filter_peak) = browser_filter(&store, 3);
        let (old, old_peak) = browser_open_old(&store);
        println!(
            "scale: browser open {count:>6} sessions: {:>8.1} ms (the store's open to write {:.1} ms of it)   \
             peak heap {:>6.1} MB, held {:>5.1} MB (every session held in full: {:.1} ms, {:.1} MB)",
            open.as_secs_f64() * 1e3,
            store_open.as_secs_f64() * 1e3,
            mb(peak),
            mb(held),
            old.as_secs_f64() * 1e3,
            mb(old_peak)
        );
        println!(
            "scale: browser first filter letter {count:>6} sessions (reads every file): {:>8.1} ms   peak heap {:>6.1} MB",
            filter.as_secs_f64() * 1e3,
            mb(filter_peak)
        );
        browser.push((open, peak));
        let f = measure(bin, dir.path(), 9);
        let used = match &f.usage {
            Some(u) => format!(
                "cpu {:.1} ms)   peak memory {}{:>6.1} MB",
                u.cpu.as_secs_f64() * 1e3,
                if u.exact { "" } else { "at most " },
                u.peak as f64 / 1024.0
            ),
            None => "cpu and peak memory not measured: wait4 is Unix's)".to_string(),
        };
        println!(
            "scale: notes list {count:>6} sessions: {:>8.1} ms (least {:.1}, {used}",
            f.median.as_secs_f64() * 1e3,
            f.least.as_secs_f64() * 1e3,
        );
        figures.push(f);
    }
    println!(
        "scale: browser targets 10k <= 50 ms: {}; 10k heap < 15 MB: {}",
        if browser[0].0 <= Duration::from_millis(50) {
            "met"
        } else {
            "NOT met"
        },
        if browser[0].1 < 15 * 1_048_576 {
            "met"
        } else {
            "NOT met"
        },
    );
    println!(
        "scale: targets 10k <= 50 ms: {} (least {}); 10k < 15 MB: {}",
        if figures[0].median <= Duration::from_millis(50) {
            "met"
        } else {
            "NOT met"
        },
        if figures[0].least <= Duration::from_millis(50) {
            "met"
        } else {
            "NOT met"
        },
        match &figures[0].usage {
            Some(u) if u.peak < 15 * 1024 => "met",
            Some(_) => "NOT met",
            None => "not measured here",
        },
    );
}
