//! The start screen's offers (Ctrl-F a follow-up waiting, Ctrl-R an
//! unfinished walk): open only until the walk has begun, and what is said
//! when a walk they opened is left with nothing kept.

use std::time::{Duration, Instant};

use chrono::DateTime;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::{Value, json};

use repair_practice::practice::{Walk, WalkOptions};
use repair_practice::protocol::builtin;
use repair_practice::tui::keys::Hint;
use repair_practice::tui::theme::Theme;
use repair_practice::tui::walk;
use repair_practice::tui::walk::keys::WalkCmd;
use repair_practice::tui::walk::model::{App, Exit, Msg, Offer, WalkEffect};

use crate::common::{self, Pty, Sandbox, keys};
use crate::screens::{drawn, text};

const WAITING: &str = "20261124-090000-dddd";
const UNFINISHED: &str = "20261125-090000-eeee";

/// A new walk whose start screen offers both a follow-up and a resume.
fn offering() -> App {
    let started = DateTime::parse_from_rfc3339("2026-11-28T09:00:00+01:00").unwrap();
    let options = WalkOptions {
        pause_seconds: Some(2),
        ..Default::default()
    };
    let walk = Walk::new(builtin(), options, "20261128-090000-abcd".into(), started);
    let mut app = App::new(walk, true);
    app.notice = Some((
        "1 repair is waiting for its follow-up, from Tue 24 Nov · Ctrl-F opens it\n\
         Unfinished from Wed 25 Nov · Ctrl-R resumes it"
            .into(),
        vec![
            Offer::FollowUp(WAITING.into()),
            Offer::Resume(UNFINISHED.into()),
        ],
    ));
    app
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn screen(app: &App, now: Instant) -> String {
    let terminal = drawn(80, 24, |frame| {
        walk::draw(frame, app, &Theme::monochrome(), now);
    });
    text(terminal.backend().buffer())
}

/// Ctrl-F and Ctrl-R once the walk has begun: off for the keys, gone from
/// the footer, the notice and F1's list of what works now.
fn assert_offers_off(app: &mut App, now: Instant, how: &str) {
    assert_eq!(app.walk_hint(WalkCmd::FollowUp), Hint::Off, "{how}");
    assert_eq!(app.walk_hint(WalkCmd::Resume), Hint::Off, "{how}");
    let shown = screen(app, now);
    for gone in ["Ctrl-F", "Ctrl-R", "opens it", "resumes it"] {
        assert!(!shown.contains(gone), "{how}: {gone} still shown:\n{shown}");
    }
    app.update(key(KeyCode::F(1)), now);
    let help = screen(app, now);
    assert!(
        !help.contains("follow-up waiting") && !help.contains("resume the unfinished"),
        "{how}: F1 still lists them:\n{help}"
    );
    app.update(key(KeyCode::Esc), now);
    for c in ['f', 'r'] {
        let effects = app.update(ctrl(c), now);
        assert!(
            !effects.iter().any(|e| matches!(e, WalkEffect::Quit(_))),
            "{how}: Ctrl-{c} left the walk: {effects:?}"
        );
    }
}

#[test]
fn ctrl_f_and_ctrl_r_work_until_the_walk_has_begun() {
    let t0 = Instant::now();
    let mut app = offering();
    assert_eq!(app.walk_hint(WalkCmd::FollowUp), Hint::shown("follow-up"));
    let shown = screen(&app, t0);
    assert!(shown.contains("Ctrl-F opens it"), "{shown}");
    assert_eq!(
        app.update(ctrl('r'), t0),
        vec![WalkEffect::Quit(Exit::Open(Offer::Resume(
            UNFINISHED.into()
        )))]
    );
    // Skipping the offered pause has not begun anything yet.
    let mut app = offering();
    app.update(key(KeyCode::Tab), t0);
    app.update(key(KeyCode::Tab), t0);
    assert_eq!(app.walk.position(), 0, "{:?}", app.walk.state().stage);

    // A pause taken.
    let mut app = offering();
    app.update(key(KeyCode::Tab), t0); // the month's offer: walk all
    app.update(key(KeyCode::Enter), t0);
    app.update(key(KeyCode::Enter), t0 + Duration::from_secs(1));
    assert!(app.walk.state_at(0).paused.is_some());
    assert_offers_off(&mut app, t0 + Duration::from_secs(1), "after a pause");

    // A step moved, with nothing written and no pause.
    let mut app = offering();
    app.update(key(KeyCode::Tab), t0);
    app.update(key(KeyCode::Tab), t0);
    app.update(key(KeyCode::Tab), t0);
    assert_eq!(app.walk.position(), 1);
    assert_offers_off(&mut app, t0, "after a step");
    app.update(key(KeyCode::BackTab), t0);
    assert_offers_off(&mut app, t0, "back on the first step");

    // Notes typed (and then deleted).
    let mut app = offering();
    app.update(key(KeyCode::Char('x')), t0);
    assert_offers_off(&mut app, t0, "after notes");
}

/// The session file of a walk finished yesterday, waiting for its follow-up.
fn waiting_yesterday() -> (String, Value) {
    let yesterday = chrono::Local::now().fixed_offset() - chrono::Duration::days(1);
    let id = format!("{}-abcd", yesterday.format("%Y%m%d-%H%M%S"));
    let at = yesterday.format("%Y-%m-%dT%H:%M:%S%:z").to_string();
    let steps: Vec<Value> = [
        ("scan", "Pause and scan inward", "done", "tight chest"),
        ("reflect", "Reflect tentatively, and check", "done", "I wonder"),
        ("validate", "Validate", "skipped", ""),
        ("mend", "Make it better", "done", "sorry"),
        ("ask-later", "Later, ask what it was like", "follow-up", ""),
        ("enjoy", "Enjoy the stronger relationship", "not-reached", ""),
    ]
    .iter()
    .map(|(sid, title, status, notes)| {
        json!({"id": sid, "title": title, "status": status, "notes": notes, "pause_seconds": null})
    })
    .collect();
    let session = json!({
        "id": id, "mode": "practice", "protocol": "rupture-repair",
        "protocol_title": "Rupture and Repair", "drill": null,
        "started_at": at, "finished_at": at, "complete": true, "steps": steps,
    });
    (id, session)
}

/// Ctrl-F on the start screen opens the follow-up; Esc there with nothing
/// typed leaves, says the follow-up still waits and how to open it, and
/// leaves no new session behind.
#[test]
fn esc_in_a_follow_up_opened_from_the_start_screen_says_what_happened() {
    let sandbox = Sandbox::new();
    let (id, session) = waiting_yesterday();
    sandbox.put_sessions(std::slice::from_ref(&session));
    let mut args: Vec<String> = sandbox.data_arg().to_vec();
    args.extend(["--scan-seconds".to_string(), "1".to_string()]);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut pty = Pty::spawn(&sandbox, &refs);
    pty.wait_for_text("Ctrl-F opens it");
    pty.send("\x06");
    pty.wait_for_text("Follow-up for the session");
    pty.send(keys::ESC);
    assert_eq!(pty.exit_code(), 0);
    let said = pty.screen();
    assert!(
        said.contains(&format!(
            "Nothing changed: session {id} still waits for its follow-up"
        )) && said.contains(&format!("repair follow-up {id}")),
        "{said}"
    );
    assert_eq!(sandbox.session_files().len(), 1, "no session left behind");
    let kept = common::read_json(&sandbox.session_files()[0]);
    assert_eq!(kept, session, "the follow-up is as it was");
}

/// A new walk left with Esc before anything was written says so.
#[test]
fn esc_on_a_new_walk_says_nothing_was_kept() {
    let sandbox = Sandbox::new();
    let args: Vec<String> = sandbox.data_arg().to_vec();
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut pty = Pty::spawn(&sandbox, &refs);
    pty.wait_for_text("Pause and scan inward");
    pty.send(keys::ESC);
    assert_eq!(pty.exit_code(), 0);
    assert!(
        pty.screen().contains("Nothing was kept."),
        "{}",
        pty.screen()
    );
    assert!(sandbox.session_files().is_empty());
}
