//! The Markdown export: a readable document to take to supervision. Each
//! session has a heading with its date and protocol, then each step with its
//! status, the time paused and the notes exactly as typed (byte for byte:
//! the caller escapes control characters only when printing to a terminal).

use std::fmt::Write;

use super::record::{Session, StepStatus};
use super::review::{self, steps_done};

/// The whole document, sessions in the order given (oldest first).
pub fn export_markdown(sessions: &[Session]) -> String {
    let mut out = String::from("# Repair practice notes\n");
    let n = sessions.len();
    let _ = writeln!(out, "\n{n} session{}.", if n == 1 { "" } else { "s" });
    for session in sessions {
        out.push('\n');
        out.push_str(&session_markdown(session));
    }
    out
}

/// One session as a Markdown section (also what `repair notes show` prints).
pub fn session_markdown(session: &Session) -> String {
    let mut out = String::new();
    let title = if session.protocol_title.is_empty() {
        &session.protocol
    } else {
        &session.protocol_title
    };
    let _ = writeln!(out, "## {} · {}\n", review::when(session), title);
    let _ = writeln!(out, "- Session: {}", session.id);
    let mode = match &session.drill {
        Some(step) => format!("{} (drilling {step})", session.mode),
        None => session.mode.clone(),
    };
    let _ = writeln!(out, "- Mode: {mode}");
    let _ = writeln!(out, "- Protocol: {}", session.protocol);
    let state = match session.finished_at {
        Some(at) => format!("finished {}", at.format("%a %-d %b %Y %H:%M")),
        None => "unfinished".to_string(),
    };
    let _ = writeln!(out, "- Status: {state}");
    let (done, total) = steps_done(session);
    if total > 0 {
        let _ = writeln!(out, "- Steps done: {done} of {total}");
    }
    if let Some(intention) = &session.extra.intention {
        let _ = writeln!(out, "- Intention: {intention}");
    }
    if review::is_pending_follow_up(session) {
        let _ = writeln!(out, "- Waiting for its follow-up");
    }
    for (i, step) in session.steps.iter().enumerate() {
        let status = match step.status {
            StepStatus::FollowUp => "open as a follow-up",
            other => other.as_str(),
        };
        let paused = match step.pause_seconds {
            Some(s) => format!(", paused {}:{:02}", s / 60, s % 60),
            None => String::new(),
        };
        let _ = writeln!(out, "\n### {}. {} ({status}{paused})\n", i + 1, step.title);
        if step.notes.trim().is_empty() {
            out.push_str("_No notes._\n");
        } else {
            out.push_str(&hard_breaks(&step.notes));
            if !step.notes.ends_with('\n') {
                out.push('\n');
            }
        }
    }
    rounds_markdown(&mut out, session);
    out
}

/// Notes with their line breaks kept when the Markdown is rendered: a line
/// followed by another non-blank line ends in a hard break (two spaces).
/// Every line's own text is kept byte for byte.
fn hard_breaks(notes: &str) -> String {
    let lines: Vec<&str> = notes.split('\n').collect();
    let mut out = String::with_capacity(notes.len() + 2 * lines.len());
    for (i, line) in lines.iter().enumerate() {
        out.push_str(line);
        let next = lines.get(i + 1);
        if let Some(next) = next {
            if !line.trim().is_empty() && !next.trim().is_empty() && !line.ends_with("  ") {
                out.push_str("  ");
            }
            out.push('\n');
        }
    }
    out
}

/// A rehearsal's rounds: card, roles by seat, what the observers ticked,
/// the feedback line and the difficulty. (Names were never kept.)
fn rounds_markdown(out: &mut String, session: &Session) {
    for round in &session.extra.rounds {
        let repeated = if round.repeated { ", repeated" } else { "" };
        let _ = writeln!(
            out,
            "\n### Round {}: card {} ({}, {}{repeated})\n",
            round.number, round.card, round.kind, round.level
        );
        let seats: Vec<String> = round
            .roles
            .iter()
            .enumerate()
            .map(|(i, role)| format!("seat {} {role}", i + 1))
            .collect();
        let _ = writeln!(out, "- Roles: {}", seats.join(", "));
        let ticked = if round.checklist.is_empty() {
            "nothing ticked".to_string()
        } else {
            round.checklist.join(", ")
        };
        let _ = writeln!(out, "- Observers ticked: {ticked}");
        let _ = writeln!(out, "- Difficulty: {}", round.difficulty);
        if !round.feedback.trim().is_empty() {
            let _ = writeln!(out, "- Feedback: {}", round.feedback);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::StepRecord;
    use chrono::DateTime;

    #[test]
    fn notes_keep_their_bytes_and_steps_show_status_and_pause() {
        let notes = "tight chest\n# not a heading of ours\x1b[31m \u{1f33f}";
        let session = Session {
            id: "20261124-090000-abcd".into(),
            mode: "rehearse".into(),
            protocol: "rupture-repair".into(),
            protocol_title: "Rupture and Repair".into(),
            drill: None,
            started_at: DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap(),
            finished_at: None,
            complete: false,
            steps: vec![
                StepRecord {
                    id: "scan".into(),
                    title: "Pause and scan inward".into(),
                    status: StepStatus::Done,
                    notes: notes.into(),
                    pause_seconds: Some(95),
                },
                StepRecord {
                    id: "later".into(),
                    title: "Later".into(),
                    status: StepStatus::FollowUp,
                    notes: String::new(),
                    pause_seconds: None,
                },
            ],
            extra: Default::default(),
        };
        let md = export_markdown(std::slice::from_ref(&session));
        assert!(md.starts_with("# Repair practice notes\n\n1 session.\n\n## Tue 24 Nov 2026 09:00 · Rupture and Repair\n"));
        assert!(md.contains("- Mode: rehearse\n"));
        assert!(md.contains("### 1. Pause and scan inward (done, paused 1:35)\n\n"));
        // Each line byte for byte, with a hard break so it stays a line
        // of its own when the Markdown is rendered.
        assert!(
            md.contains("tight chest  \n# not a heading of ours\x1b[31m \u{1f33f}\n"),
            "{md}"
        );
        assert!(md.contains("### 2. Later (open as a follow-up)\n\n_No notes._\n"));
        assert!(
            md.contains(
                "- Status: unfinished\n- Steps done: 1 of 2\n- Waiting for its follow-up\n"
            )
        );
    }

    #[test]
    fn hard_breaks_only_between_written_lines() {
        assert_eq!(hard_breaks("a\nb"), "a  \nb");
        assert_eq!(hard_breaks("a\n\nb\n"), "a\n\nb\n");
        assert_eq!(hard_breaks("one line"), "one line");
        assert_eq!(hard_breaks("a  \nb"), "a  \nb");
    }
}
