//! Exports of saved sessions.
//!
//! The JSON export is the session records exactly as stored (the field names
//! are a public interface), so another tool can read them. Note text keeps
//! its bytes here; only what reaches a terminal is escaped.

use super::record::Session;

/// serde_json escapes C0 controls but writes DEL and C1 raw; those can still
/// drive a terminal, so they are escaped too. In JSON they can only occur
/// inside strings, where `\u00XX` decodes to the very same character.
pub fn escape_del_and_c1(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 1);
    for c in json.chars() {
        if ('\u{7f}'..='\u{9f}').contains(&c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// The sessions as a pretty-printed JSON array, in the order given (callers
/// pass them oldest first), ending in a newline.
pub fn export_json(sessions: &[Session]) -> String {
    // Serialising plain structs of strings, numbers and dates cannot fail;
    // should serde ever refuse, an empty array is still valid JSON.
    let json = serde_json::to_string_pretty(sessions).unwrap_or_else(|_| "[]".to_string());
    let mut out = escape_del_and_c1(&json);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn del_and_c1_are_escaped_and_decode_back() {
        let notes = "del\u{7f} csi\u{9b}2J esc\u{1b} ok";
        let json = export_json(&[session("20240101-090000-aaaa", notes)]);
        assert!(!json.contains(['\u{7f}', '\u{9b}', '\u{1b}']));
        let back: Vec<Session> = serde_json::from_str(&json).expect("valid JSON");
        assert_eq!(back[0].steps[0].notes, notes);
    }
    use crate::journal::StepStatus;
    use crate::journal::fixtures::{self, step};

    fn session(id: &str, notes: &str) -> Session {
        Session {
            drill: Some("notice".to_string()),
            steps: vec![step("notice", "Notice", StepStatus::FollowUp, notes, None)],
            ..fixtures::session(id, "2024-01-01T09:00:00+01:00")
        }
    }

    #[test]
    fn empty_export_is_an_empty_array() {
        assert_eq!(export_json(&[]), "[]\n");
    }

    #[test]
    fn export_round_trips_in_order_and_ends_in_newline() {
        let sessions = [
            session("20240101-090000-aaaa", "first \u{1f600} \x1b[31m \r\n"),
            session("20240102-090000-bbbb", "second"),
        ];
        let text = export_json(&sessions);
        assert!(text.starts_with("[\n"));
        assert!(text.ends_with("]\n"));
        assert!(!text.contains('\x1b'));
        let back: Vec<Session> = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(back, sessions);
        assert!(text.contains("\"status\": \"follow-up\""));
        assert!(text.contains("\"started_at\": \"2024-01-01T09:00:00+01:00\""));
    }
}
