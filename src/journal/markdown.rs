//! The Markdown export: a readable document to take to supervision. Each
//! session has a heading with its date and protocol, then each step with its
//! status, the time paused and the notes exactly as typed (byte for byte:
//! the caller escapes control characters only when printing to a terminal).

use std::fmt::Write;

use super::cards;
use super::record::{Session, StepStatus};
use super::review::{self, steps_done};

/// The whole document, sessions in the order given (oldest first).
pub fn export_markdown(sessions: &[Session]) -> String {
    let mut out = Vec::new();
    // Writing into memory cannot fail.
    let _ = write_markdown_export(&mut out, sessions.len(), sessions.iter());
    String::from_utf8(out).unwrap_or_default()
}

/// [`export_markdown`] written as it is made, one session at a time: `n`
/// is the count its heading gives.
pub fn write_markdown_export<S: std::borrow::Borrow<Session>>(
    out: &mut impl std::io::Write,
    n: usize,
    sessions: impl IntoIterator<Item = S>,
) -> std::io::Result<()> {
    write!(
        out,
        "# Repair practice notes\n\n{n} session{}.\n",
        if n == 1 { "" } else { "s" }
    )?;
    for session in sessions {
        out.write_all(b"\n")?;
        out.write_all(session_markdown(session.borrow()).as_bytes())?;
    }
    Ok(())
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
        // A walk of one step is practised alone; "drilling" is the card
        // drill's word.
        Some(step) if session.mode == super::SessionMode::Practice => {
            format!("{} (one step: {step})", session.mode)
        }
        Some(step) => format!("{} (drilling {step})", session.mode),
        None => session.mode.to_string(),
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
        let status = match &step.status {
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
    entries_markdown(&mut out, session);
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

/// A drill's cards and a rehearsal's rounds ([`super::cards`], the same
/// model the browser reads): a heading each, then the client's line and
/// the facts as a list.
fn entries_markdown(out: &mut String, session: &Session) {
    for entry in cards::entries(session) {
        let _ = writeln!(out, "\n### {}\n", entry.heading());
        if let Some(client) = &entry.client {
            let _ = writeln!(out, "- Client: \"{client}\"");
        }
        for fact in &entry.facts {
            let _ = writeln!(out, "- {}", fact.line());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drill_reads_as_cards_with_the_client_line_response_criteria_and_rating() {
        use crate::journal::DrillCardRecord;
        let card = DrillCardRecord {
            number: 1,
            card: "fine-really".into(),
            kind: "withdrawal".into(),
            level: "beginner".into(),
            client: "It's fine. Whatever.".into(),
            attempt: 2,
            rating: 8,
            criteria_met: vec!["Asks whether it fits.".into()],
            criteria_missed: vec!["Stops and listens.".into()],
            criteria_met_ids: Vec::new(),
            criteria_missed_ids: Vec::new(),
            self_report: Some("tight jaw".into()),
            marker_guess: Some("denial".into()),
            marker_right: true,
            respond_seconds: 42,
            response: Some("I moved on fast just then.".into()),
            next_level: "beginner".into(),
            newer: Default::default(),
        };
        let session = Session {
            id: "20261130-090000-abcd".into(),
            mode: crate::journal::SessionMode::Drill,
            protocol: "p".into(),
            protocol_title: "P".into(),
            drill: Some("reflect".into()),
            started_at: DateTime::parse_from_rfc3339("2026-11-30T09:00:00+01:00").unwrap(),
            finished_at: None,
            complete: false,
            steps: Vec::new(),
            extra: crate::journal::Extra {
                drill_cards: vec![card],
                ..Default::default()
            },
        };
        let md = session_markdown(&session);
        assert!(md.contains("- Mode: drill (drilling reflect)\n"), "{md}");
        // A walk of one step is not called drilling.
        let one_step = Session {
            mode: crate::journal::SessionMode::Practice,
            ..session.clone()
        };
        let text = session_markdown(&one_step);
        assert!(
            text.contains("- Mode: practice (one step: reflect)\n"),
            "{text}"
        );
        assert!(
            md.contains(
                "### Card 1: fine-really (withdrawal, beginner, try 2)\n\n\
                 - Client: \"It's fine. Whatever.\"\n\
                 - You said: \"I moved on fast just then.\"\n\
                 - Marker seen: denial (fits)\n\
                 - Met 1 of 2: Asks whether it fits.\n\
                 - Not yet: Stops and listens.\n\
                 - Noticed in yourself: tight jaw\n\
                 - Rated 8 of 10; next withdrawal card: beginner\n\
                 - Time to respond: 0:42\n"
            ),
            "{md}"
        );
    }
    use crate::journal::StepRecord;
    use chrono::DateTime;

    #[test]
    fn notes_keep_their_bytes_and_steps_show_status_and_pause() {
        let notes = "tight chest\n# not a heading of ours\x1b[31m \u{1f33f}";
        let session = Session {
            id: "20261124-090000-abcd".into(),
            mode: crate::journal::SessionMode::Rehearse,
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
                    newer: Default::default(),
                },
                StepRecord {
                    id: "later".into(),
                    title: "Later".into(),
                    status: StepStatus::FollowUp,
                    notes: String::new(),
                    pause_seconds: None,
                    newer: Default::default(),
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
        // Unfinished: not also waiting for its follow-up.
        assert!(
            md.contains("- Status: unfinished\n- Steps done: 1 of 2\n\n### 1."),
            "{md}"
        );
    }

    #[test]
    fn hard_breaks_only_between_written_lines() {
        assert_eq!(hard_breaks("a\nb"), "a  \nb");
        assert_eq!(hard_breaks("a\n\nb\n"), "a\n\nb\n");
        assert_eq!(hard_breaks("one line"), "one line");
        assert_eq!(hard_breaks("a  \nb"), "a  \nb");
    }

    fn rehearsal(rounds_json: &str) -> Session {
        serde_json::from_str(&format!(
            r#"{{"id": "20261124-090000-abcd", "mode": "rehearse", "protocol": "rupture-repair",
               "protocol_title": "Rupture and Repair", "drill": null,
               "started_at": "2026-11-24T09:00:00+01:00", "finished_at": null,
               "complete": false, "steps": [], "rounds": {rounds_json}}}"#
        ))
        .expect("reads")
    }

    #[test]
    fn a_version_1_round_still_reads_and_shows() {
        let session = rehearsal(
            r#"[{"number": 1, "card": "quiet-yes", "kind": "withdrawal", "level": "beginner",
                "repeated": false, "roles": ["therapist", "client", "observer"],
                "checklist": ["scan", "validate"], "feedback": "Slow.", "difficulty": "too-hard"}]"#,
        );
        let round = &session.extra.rounds[0];
        assert_eq!(round.attempt, 1);
        assert_eq!(round.rating, None);
        assert!(round.criteria_met.is_empty());
        let md = session_markdown(&session);
        assert!(
            md.contains("### Round 1: card quiet-yes (withdrawal, beginner)\n"),
            "{md}"
        );
        assert!(md.contains("- Observers ticked: scan, validate\n"), "{md}");
        assert!(md.contains("- Difficulty: too-hard\n"), "{md}");
        assert!(!md.contains("Named"), "{md}");
    }

    #[test]
    fn a_deliberate_practice_round_shows_every_answer() {
        let session = rehearsal(
            r#"[{"number": 2, "card": "quiet-yes", "kind": "withdrawal", "level": "beginner",
                "repeated": true, "roles": ["therapist", "client"], "checklist": ["reflect"],
                "feedback": "Asked, then waited.", "difficulty": "too-hard", "attempt": 2,
                "therapist_seat": 1, "therapist_level": "beginner", "next_level": "beginner",
                "guess_kind": "withdrawal", "guess_kind_right": true,
                "guess_marker": "denial", "guess_marker_right": false, "rating": 9,
                "reactions": ["heart-racing", "urge-to-explain"],
                "criteria_met": [{"step": "reflect", "number": 2, "text": "asks whether it fits"}]}]"#,
        );
        let md = session_markdown(&session);
        for line in [
            "### Round 2: card quiet-yes (withdrawal, beginner, try 2)\n",
            "- Therapist: seat 1 (at beginner; next card beginner)\n",
            "- Named: withdrawal (right); marker denial (not the card's)\n",
            "- Difficulty: 9 of 10 (too-hard)\n",
            "- Reactions: heart racing, urge to explain\n",
            "- Criteria met: asks whether it fits (reflect)\n",
            "- Feedback: Asked, then waited.\n",
        ] {
            assert!(md.contains(line), "{line:?} missing in\n{md}");
        }
    }
}
