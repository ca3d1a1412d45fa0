//! Undoing a delete in the history browser, through a pseudo-terminal: the
//! session comes back byte for byte and owner-only while the browser is
//! open, and nothing of a delete is left on disk once it closes. Each test
//! has its own temporary data directory; waits poll for conditions.

use std::fs;

use crate::common;

use common::{Pty, Sandbox};

fn sessions(sb: &Sandbox) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(sb.data().join("sessions"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn u_puts_back_a_deleted_session_until_the_browser_closes() {
    let sb = Sandbox::new();
    let newer = "20261102-090000-bbbb";
    let older = "20261101-090000-aaaa";
    let mut second = common::session(newer, "the newer one");
    second["started_at"] = "2026-11-02T09:00:00+01:00".into();
    sb.put_sessions(&[common::session(older, "the older one"), second]);
    let path = sb.data().join("sessions").join(format!("{newer}.json"));
    let before = fs::read(&path).unwrap();
    let dir = sb.data().display().to_string();
    let mut pty = Pty::spawn(&sb, &["--data-dir", &dir, "notes"]);
    pty.wait_for_text("Notes · 2 sessions");
    // Nothing to undo yet: not offered, in the footer nor in F1.
    assert!(!pty.screen().contains("undo"), "{}", pty.screen());
    pty.send(common::keys::F1);
    pty.wait_for_text("Keys · the list of sessions");
    assert!(!pty.screen().contains("undo"), "{}", pty.screen());
    pty.send("q");
    pty.wait_gone("Keys · the list of sessions");
    pty.send("d");
    pty.wait_for_text("Delete?");
    pty.send("y");
    pty.wait_for_all(&["Notes · 1 session", "u undoes it until"], &[]);
    assert!(!path.exists(), "deleted at once");
    // The footer offers it once the line of news has been read.
    pty.send("\x1b[B");
    pty.wait_for_text("u undo delete");
    pty.send(common::keys::F1);
    pty.wait_for_text("undo the last delete");
    pty.send("q");
    pty.wait_gone("Keys · the list of sessions");
    assert_eq!(sessions(&sb), [format!("{older}.json")]);
    pty.send("u");
    pty.wait_for_all(
        &["Notes · 2 sessions", "Put back the session of"],
        &["u undo delete"],
    );
    assert_eq!(fs::read(&path).unwrap(), before, "the same bytes");
    common::assert_mode(&path, 0o600);
    // Delete both; undo one; close: what is still deleted stays deleted,
    // and nothing else is left in the folder.
    pty.send("d");
    pty.wait_for_text("Delete?");
    pty.send("y");
    pty.wait_for_text("Notes · 1 session");
    pty.send("d");
    pty.wait_for_text("Delete?");
    pty.send("y");
    pty.wait_for_all(&["u undoes it until"], &["Notes · 1 session"]);
    assert!(
        sessions(&sb).iter().all(|n| !n.ends_with(".json")),
        "{:?}",
        sessions(&sb)
    );
    pty.send("u");
    pty.wait_for_text("Notes · 1 session");
    pty.send("q");
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    assert!(!pty.alternate_screen());
    #[cfg(unix)]
    assert!(pty.termios_restored());
    // One session back (the last deleted), the other gone for good.
    assert_eq!(
        sessions(&sb)
            .iter()
            .filter(|n| n.ends_with(".json"))
            .count(),
        1,
        "{:?}",
        sessions(&sb)
    );
    let mut again = Pty::spawn(&sb, &["--data-dir", &dir, "notes"]);
    again.wait_for_text("Notes · 1 session");
    assert!(!again.screen().contains("undo"), "{}", again.screen());
    again.send("q");
    assert_eq!(again.exit_code(), 0);
}
