//! The history browser's model and `update`: keys in, effects out. Pure: no
//! terminal and no disk, so every path is tested without either.
//!
//! Filtering is a substring search over one lowercase string per session
//! (titles, mode, protocol, date, notes), built once when the browser opens,
//! so each keystroke is a scan of memory and keeps up with typing even with
//! ten thousand sessions.

use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::journal::progress::Progress;
use crate::journal::review::{self, Stats};
use crate::journal::{Session, export_markdown};

/// Which screen of the browser is showing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    /// The list with a preview of the selected session.
    List,
    /// Enter: the whole selected session, scrollable.
    Full,
    /// `s`: the stats.
    Stats,
    /// `d`: asking before a delete; names what will go.
    ConfirmDelete(String),
    /// `e` / `E`: the file name to export to, being edited. Holds the ids.
    ExportTo(Vec<String>),
}

/// Something for the runtime to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Delete this session (the answer comes back as [`History::deleted`]).
    Delete(String),
    /// Write this Markdown to this file, refusing to replace one.
    Export {
        path: String,
        markdown: String,
        count: usize,
    },
    Quit(Output),
}

/// How the browser ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    Closed,
    /// `f` on a session waiting for its follow-up.
    FollowUp(String),
    /// `r` on an unfinished session.
    Resume(String),
    /// A signal arrived.
    Signal(i32),
    /// The terminal stopped working (nothing was lost: every change the
    /// browser makes is on disk the moment it is made).
    Failed(String),
}

/// The browser's whole state.
pub struct History {
    /// Newest first.
    sessions: Vec<Session>,
    /// Lowercase text to filter on, one per session, same order.
    haystacks: Vec<String>,
    /// Files that could not be read, with the reason.
    pub unreadable: Vec<(String, String)>,
    /// The filter as typed.
    pub filter: String,
    /// Keys go to the filter (after `/`).
    pub filtering: bool,
    /// Indices into `sessions` that pass the filter, newest first.
    visible: Vec<usize>,
    /// Position in `visible`.
    selected: usize,
    pub screen: Screen,
    pub help: bool,
    pub scroll: u16,
    /// One line of news at the bottom (export written, delete done).
    pub status: Option<String>,
    /// The export file name being edited.
    pub export_name: String,
    stats: Stats,
    /// The practice figures (drill and rehearse) under the stats.
    progress: Progress,
    today: NaiveDate,
}

/// The lowercase text a session is found by.
fn haystack(session: &Session) -> String {
    let mut text = String::with_capacity(256);
    for part in [
        &session.id,
        &session.mode,
        &session.protocol,
        &session.protocol_title,
    ] {
        text.push_str(part);
        text.push('\n');
    }
    text.push_str(&review::when(session));
    text.push('\n');
    for step in &session.steps {
        text.push_str(&step.title);
        text.push('\n');
        text.push_str(&step.notes);
        text.push('\n');
    }
    text.to_lowercase()
}

impl History {
    /// `sessions` oldest first (as the store lists them); `today` for stats
    /// and the default export name.
    pub fn new(
        mut sessions: Vec<Session>,
        unreadable: Vec<(String, String)>,
        today: NaiveDate,
    ) -> Self {
        sessions.reverse();
        let haystacks = sessions.iter().map(haystack).collect();
        let stats = Stats::compute(&sessions, today);
        let progress = Progress::compute(&sessions, today, None);
        let visible = (0..sessions.len()).collect();
        History {
            sessions,
            haystacks,
            unreadable,
            filter: String::new(),
            filtering: false,
            visible,
            selected: 0,
            screen: Screen::List,
            help: false,
            scroll: 0,
            status: None,
            export_name: String::new(),
            stats,
            progress,
            today,
        }
    }

    /// Every session, newest first.
    pub fn sessions(&self) -> &[Session] {
        &self.sessions
    }

    /// The sessions shown (passing the filter), newest first.
    pub fn visible(&self) -> impl ExactSizeIterator<Item = &Session> + '_ {
        self.visible.iter().map(|&i| &self.sessions[i])
    }

    pub fn visible_len(&self) -> usize {
        self.visible.len()
    }

    /// The shown session at a position of the list.
    pub fn visible_at(&self, pos: usize) -> Option<&Session> {
        self.visible.get(pos).map(|&i| &self.sessions[i])
    }

    /// The position of the selection in the shown list.
    pub fn selected_pos(&self) -> usize {
        self.selected
    }

    pub fn selected(&self) -> Option<&Session> {
        self.visible_at(self.selected)
    }

    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    /// Re-runs the filter: every word must occur (any case, any order).
    fn refilter(&mut self) {
        let query = self.filter.to_lowercase();
        let words: Vec<&str> = query.split_whitespace().collect();
        let keep_id = self.selected().map(|s| s.id.clone());
        self.visible = (0..self.sessions.len())
            .filter(|&i| words.iter().all(|w| self.haystacks[i].contains(w)))
            .collect();
        self.selected = keep_id
            .and_then(|id| self.visible.iter().position(|&i| self.sessions[i].id == id))
            .unwrap_or(0);
    }

    /// Handles one key; returns what the runtime must do.
    pub fn key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if key.kind == KeyEventKind::Release {
            return Vec::new();
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl && matches!(key.code, KeyCode::Char('c' | 'q')) {
            return vec![Effect::Quit(Output::Closed)];
        }
        if self.help {
            self.help = false;
            return Vec::new();
        }
        if key.code == KeyCode::F(1) {
            self.help = true;
            return Vec::new();
        }
        match self.screen.clone() {
            Screen::List if self.filtering => self.filter_key(key),
            Screen::List => return self.list_key(key),
            Screen::Full | Screen::Stats => self.reading_key(key.code),
            Screen::ConfirmDelete(id) => return self.confirm_key(key.code, id),
            Screen::ExportTo(ids) => return self.export_key(key.code, ids),
        }
        Vec::new()
    }

    fn filter_key(&mut self, key: KeyEvent) {
        match key.code {
            KeyCode::Esc => {
                self.filtering = false;
                self.filter.clear();
                self.refilter();
            }
            KeyCode::Enter | KeyCode::Down | KeyCode::Tab => self.filtering = false,
            KeyCode::Backspace => {
                self.filter.pop();
                self.refilter();
            }
            KeyCode::Char(c) if !crate::sanitize::is_forbidden(c) => {
                self.filter.push(c);
                self.refilter();
            }
            _ => {}
        }
    }

    fn list_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let last = self.visible.len().saturating_sub(1);
        self.status = None;
        match key.code {
            KeyCode::Esc if !self.filter.is_empty() => {
                self.filter.clear();
                self.refilter();
            }
            KeyCode::Esc | KeyCode::Char('q') => return vec![Effect::Quit(Output::Closed)],
            KeyCode::Up | KeyCode::Char('k') => self.selected = self.selected.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => self.selected = (self.selected + 1).min(last),
            KeyCode::PageUp => self.selected = self.selected.saturating_sub(10),
            KeyCode::PageDown => self.selected = (self.selected + 10).min(last),
            KeyCode::Home | KeyCode::Char('g') => self.selected = 0,
            KeyCode::End | KeyCode::Char('G') => self.selected = last,
            KeyCode::Char('/') => self.filtering = true,
            KeyCode::Enter if self.selected().is_some() => {
                self.screen = Screen::Full;
                self.scroll = 0;
            }
            KeyCode::Char('s') => {
                self.screen = Screen::Stats;
                self.scroll = 0;
            }
            KeyCode::Char('d') | KeyCode::Delete => {
                if let Some(id) = self.selected().map(|s| s.id.clone()) {
                    self.screen = Screen::ConfirmDelete(id);
                }
            }
            KeyCode::Char('e') => {
                if let Some(id) = self.selected().map(|s| s.id.clone()) {
                    self.ask_export(vec![id]);
                }
            }
            KeyCode::Char('E') => {
                let ids: Vec<String> = self.visible().map(|s| s.id.clone()).collect();
                if !ids.is_empty() {
                    self.ask_export(ids);
                }
            }
            KeyCode::Char('f') => match self.selected() {
                Some(s) if review::is_pending_follow_up(s) => {
                    return vec![Effect::Quit(Output::FollowUp(s.id.clone()))];
                }
                Some(_) => self.status = Some("This session has no follow-up waiting.".into()),
                None => {}
            },
            KeyCode::Char('r') => match self.selected() {
                Some(s) if review::is_unfinished(s) => {
                    return vec![Effect::Quit(Output::Resume(s.id.clone()))];
                }
                Some(_) => {
                    self.status =
                        Some("This session is finished; only unfinished ones resume.".into())
                }
                None => {}
            },
            _ => {}
        }
        Vec::new()
    }

    fn reading_key(&mut self, code: KeyCode) {
        match code {
            KeyCode::Esc | KeyCode::Char('q') | KeyCode::Enter | KeyCode::Backspace => {
                self.screen = Screen::List;
                self.scroll = 0;
            }
            KeyCode::Up | KeyCode::Char('k') => self.scroll = self.scroll.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => self.scroll = self.scroll.saturating_add(1),
            KeyCode::PageUp => self.scroll = self.scroll.saturating_sub(10),
            KeyCode::PageDown | KeyCode::Char(' ') => self.scroll = self.scroll.saturating_add(10),
            KeyCode::Home => self.scroll = 0,
            _ => {}
        }
    }

    fn confirm_key(&mut self, code: KeyCode, id: String) -> Vec<Effect> {
        match code {
            KeyCode::Char('y' | 'Y') => {
                self.screen = Screen::List;
                vec![Effect::Delete(id)]
            }
            KeyCode::Char('n' | 'N') | KeyCode::Esc | KeyCode::Enter => {
                self.screen = Screen::List;
                self.status = Some("Nothing was deleted.".into());
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn ask_export(&mut self, ids: Vec<String>) {
        self.export_name = format!("repair-notes-{}.md", self.today.format("%Y-%m-%d"));
        self.screen = Screen::ExportTo(ids);
    }

    fn export_key(&mut self, code: KeyCode, ids: Vec<String>) -> Vec<Effect> {
        match code {
            KeyCode::Esc => {
                self.screen = Screen::List;
                self.status = Some("Nothing was exported.".into());
            }
            KeyCode::Backspace => {
                self.export_name.pop();
            }
            KeyCode::Char(c) if !crate::sanitize::is_forbidden(c) => self.export_name.push(c),
            KeyCode::Enter if !self.export_name.trim().is_empty() => {
                self.screen = Screen::List;
                // Oldest first, like every export.
                let chosen: Vec<Session> = self
                    .sessions
                    .iter()
                    .rev()
                    .filter(|s| ids.contains(&s.id))
                    .cloned()
                    .collect();
                return vec![Effect::Export {
                    path: self.export_name.trim().to_string(),
                    markdown: export_markdown(&chosen),
                    count: chosen.len(),
                }];
            }
            _ => {}
        }
        Vec::new()
    }

    /// The answer to an [`Effect::Delete`].
    pub fn deleted(&mut self, id: &str, result: Result<(), String>) {
        match result {
            Ok(()) => {
                let when = self
                    .sessions
                    .iter()
                    .find(|s| s.id == id)
                    .map(review::when)
                    .unwrap_or_default();
                if let Some(i) = self.sessions.iter().position(|s| s.id == id) {
                    self.sessions.remove(i);
                    self.haystacks.remove(i);
                }
                self.stats = Stats::compute(&self.sessions, self.today);
                self.progress = Progress::compute(&self.sessions, self.today, None);
                self.refilter();
                self.selected = self.selected.min(self.visible.len().saturating_sub(1));
                self.status = Some(format!("Deleted the session of {when}."));
            }
            Err(e) => self.status = Some(format!("Could not delete it: {e}")),
        }
    }

    /// The answer to an [`Effect::Export`].
    pub fn exported(&mut self, path: &str, count: usize, result: Result<(), String>) {
        self.status = Some(match result {
            Ok(()) => format!(
                "Exported {count} session{} to {path}.",
                if count == 1 { "" } else { "s" }
            ),
            Err(e) => format!("Not exported: {e}"),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{StepRecord, StepStatus};
    use chrono::DateTime;

    fn session(id: &str, day: u32, notes: &str) -> Session {
        Session {
            id: id.into(),
            mode: "practice".into(),
            protocol: "rupture-repair".into(),
            protocol_title: "Rupture and Repair".into(),
            drill: None,
            started_at: DateTime::parse_from_rfc3339(&format!("2026-11-{day:02}T09:00:00+01:00"))
                .unwrap(),
            finished_at: None,
            complete: false,
            steps: vec![StepRecord {
                id: "later".into(),
                title: "Later".into(),
                status: StepStatus::FollowUp,
                notes: notes.into(),
                pause_seconds: None,
            }],
            extra: Default::default(),
        }
    }

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn history() -> History {
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        History::new(
            vec![
                session("a", 1, "Tight CHEST"),
                session("b", 2, "guess lightly"),
                session("c", 3, ""),
            ],
            Vec::new(),
            today,
        )
    }

    #[test]
    fn filter_narrows_as_you_type_and_esc_clears() {
        let mut h = history();
        assert_eq!(h.selected().unwrap().id, "c", "newest first");
        h.key(key(KeyCode::Char('/')));
        for c in "chest".chars() {
            h.key(key(KeyCode::Char(c)));
        }
        assert_eq!(
            h.visible().map(|s| s.id.as_str()).collect::<Vec<_>>(),
            ["a"]
        );
        h.key(key(KeyCode::Backspace));
        assert_eq!(h.visible_len(), 1);
        h.key(key(KeyCode::Esc));
        assert_eq!(h.visible_len(), 3);
        assert!(!h.filtering);
    }

    #[test]
    fn delete_asks_then_removes() {
        let mut h = history();
        assert!(h.key(key(KeyCode::Char('d'))).is_empty());
        assert_eq!(h.screen, Screen::ConfirmDelete("c".into()));
        assert!(h.key(key(KeyCode::Char('n'))).is_empty());
        h.key(key(KeyCode::Char('d')));
        assert_eq!(
            h.key(key(KeyCode::Char('y'))),
            vec![Effect::Delete("c".into())]
        );
        h.deleted("c", Ok(()));
        assert_eq!(h.visible_len(), 2);
        assert_eq!(h.selected().unwrap().id, "b");
        assert_eq!(h.stats().sessions, 2);
    }

    #[test]
    fn export_of_the_filtered_sessions_is_oldest_first() {
        let mut h = history();
        h.key(key(KeyCode::Char('E')));
        assert_eq!(h.export_name, "repair-notes-2026-11-28.md");
        let effects = h.key(key(KeyCode::Enter));
        let [
            Effect::Export {
                markdown, count, ..
            },
        ] = effects.as_slice()
        else {
            panic!("{effects:?}")
        };
        assert_eq!(*count, 3);
        let a = markdown.find("Sun 1 Nov").unwrap();
        let c = markdown.find("Tue 3 Nov").unwrap();
        assert!(a < c);
    }

    #[test]
    fn follow_up_and_resume_leave_the_browser() {
        let mut h = history();
        assert_eq!(
            h.key(key(KeyCode::Char('f'))),
            vec![Effect::Quit(Output::FollowUp("c".into()))]
        );
        assert_eq!(
            h.key(key(KeyCode::Char('r'))),
            vec![Effect::Quit(Output::Resume("c".into()))]
        );
    }
}
