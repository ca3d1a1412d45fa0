//! Looking back over saved sessions: which ones wait for their follow-up,
//! which were left unfinished, one-line summaries for lists, and the stats
//! (sessions per week, time in pauses, steps practised, the weekly streak).
//!
//! Everything here is pure: sessions and "today" in, numbers out.

use chrono::{Datelike, Duration, NaiveDate};

use super::record::{Session, SessionMode, StepStatus};

/// How many weeks the stats chart covers.
pub const CHART_WEEKS: usize = 12;

/// How far back the start screens (the walk's and prep's) look for
/// follow-ups and unfinished sessions: ids begin with the date, so older
/// files are not even read and the first frame stays fast with years of
/// sessions on disk. (`repair follow-up` and `repair notes` show all of
/// them.)
pub const NOTICE_DAYS: i64 = 28;

/// Where a saved session stands: always exactly one of these, so no list
/// calls a session both "unfinished" and "waiting for its follow-up".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionState {
    /// Quit or killed part-way (no `finished_at`): it can be resumed.
    Unfinished,
    /// Finished, with a follow-up step left open for later.
    FollowUpWaiting,
    /// Finished, nothing left to do.
    Finished,
}

impl SessionState {
    /// The rule, in one place. A follow-up is due only when the session was
    /// finished and a follow-up step was left open right after a step that
    /// was gone through (done, or left without notes; or as the first step
    /// walked, as when it alone is practised): ending early never leaves a
    /// reminder for a step the clinician did not reach, and an unfinished
    /// session is only that. `open_after_done` is what [`follow_up_after`]
    /// finds over the steps.
    pub fn of(finished: bool, open_after_done: bool) -> SessionState {
        match (finished, open_after_done) {
            (false, _) => SessionState::Unfinished,
            (true, true) => SessionState::FollowUpWaiting,
            (true, false) => SessionState::Finished,
        }
    }
}

/// One step of the follow-up rule, for steps read in record order:
/// whether the step with `status` is a follow-up left open right after a
/// step gone through (`previous` is the step before it, `None` for the
/// first; a step never reached does not count).
pub fn follow_up_after(previous: Option<&StepStatus>, status: &StepStatus) -> bool {
    *status == StepStatus::FollowUp && previous != Some(&StepStatus::NotReached)
}

/// What a saved session of one mode allows: a row of [`allows`], the one
/// table that says which modes resume, which take a follow-up, and how a
/// list sums a session up. A new mode adds its row there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allows {
    /// An unfinished session continues where it stopped (`--resume`, `r`
    /// in the browser, Ctrl-R on the mode's own first screen).
    pub resume: bool,
    /// A follow-up step left open is offered later (`repair follow-up`,
    /// Ctrl-F, `f` in the browser).
    pub follow_up: bool,
    /// What its list line and preview count.
    pub counts: Counts,
}

/// What a session's list line counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counts {
    /// Steps done of the steps walked: `4/6`.
    Steps,
    /// Cards played: `6 cards`, after the seats (`3 seats · `) when
    /// `seats`; `none` is the preview's line when it has none.
    Cards { seats: bool, none: &'static str },
}

/// The per-mode table.
pub fn allows(mode: &SessionMode) -> Allows {
    let steps = |resume| Allows {
        resume,
        follow_up: true,
        counts: Counts::Steps,
    };
    // A drill or a rehearsal is short and starts again; neither has steps
    // to leave open.
    let cards = |seats, none| Allows {
        resume: false,
        follow_up: false,
        counts: Counts::Cards { seats, none },
    };
    match mode {
        SessionMode::Practice => steps(true),
        SessionMode::Prep => steps(true),
        SessionMode::Drill => cards(false, "No cards drilled."),
        SessionMode::Rehearse => cards(true, "No rounds played."),
        // A newer version's mode: shown, and its open follow-up step
        // offered as any walk's, but never continued by this version.
        SessionMode::Other(_) => steps(false),
    }
}

impl Session {
    /// Whether this session can be continued where it stopped: unfinished,
    /// and of a mode that resumes ([`allows`]).
    pub fn resumable(&self) -> bool {
        is_unfinished(self) && allows(&self.mode).resume
    }
}

/// Where `session` stands (see [`SessionState::of`]).
pub fn state(session: &Session) -> SessionState {
    let mut previous = None;
    let mut open = false;
    for step in &session.steps {
        open |= follow_up_after(previous, &step.status);
        previous = Some(&step.status);
    }
    SessionState::of(
        session.complete || session.finished_at.is_some(),
        open && allows(&session.mode).follow_up,
    )
}

/// A finished session with a follow-up step waiting (see [`SessionState`]).
pub fn is_pending_follow_up(session: &Session) -> bool {
    state(session) == SessionState::FollowUpWaiting
}

/// A session quit or killed part-way (no `finished_at`), which can be resumed.
pub fn is_unfinished(session: &Session) -> bool {
    state(session) == SessionState::Unfinished
}

/// Steps done, and steps in the record.
pub fn steps_done(session: &Session) -> (usize, usize) {
    let done = session
        .steps
        .iter()
        .filter(|s| s.status == StepStatus::Done)
        .count();
    (done, session.steps.len())
}

/// "Tue 24 Nov 2026 09:00": how sessions are named to people.
pub fn when(session: &Session) -> String {
    session.started_at.format("%a %-d %b %Y %H:%M").to_string()
}

/// "Tue 24 Nov": the short form used in notices.
pub fn day(session: &Session) -> String {
    session.started_at.format("%a %-d %b").to_string()
}

/// The notice shown when `repair` starts with follow-ups waiting, naming the
/// newest; `None` when nothing waits.
pub fn follow_up_notice(pending: &[&Session]) -> Option<String> {
    let newest = pending.iter().max_by_key(|s| (s.started_at, &s.id))?;
    Some(match pending.len() {
        1 => format!(
            "1 repair is waiting for its follow-up, from {}",
            day(newest)
        ),
        n => format!(
            "{n} repairs are waiting for their follow-up, the newest from {}",
            day(newest)
        ),
    })
}

/// The numbers behind `repair notes stats` and the stats view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stats {
    pub sessions: usize,
    /// Monday of each of the last [`CHART_WEEKS`] weeks, oldest first, with
    /// the number of sessions started that week; the last is this week.
    pub weeks: Vec<(NaiveDate, usize)>,
    /// Seconds spent in pauses, over all sessions: a u128, since each step
    /// may hold up to u64::MAX (a file edited by hand), so no sum of them
    /// overflows.
    pub pause_seconds: u128,
    /// Per step (by id, in order of first appearance): its title, how many
    /// whole walk-throughs had it done, and how many sessions drilled it.
    pub steps: Vec<StepCount>,
    pub pending_follow_ups: usize,
    pub unfinished: usize,
    /// Weeks in a row with at least one session, counting back from this
    /// week (or from last week, when this week has none yet: a week still
    /// under way does not break the run).
    pub streak_weeks: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepCount {
    pub id: String,
    pub title: String,
    pub practised: usize,
    pub drilled: usize,
}

/// The Monday of the week holding `date`.
fn week_of(date: NaiveDate) -> NaiveDate {
    date - Duration::days(i64::from(date.weekday().num_days_from_monday()))
}

impl Stats {
    /// Stats over `sessions` as of `today` (the local date).
    /// Any iterator of sessions will do, owned or borrowed: the browser
    /// streams them from disk, one in memory at a time.
    pub fn compute<S: std::borrow::Borrow<Session>>(
        sessions: impl IntoIterator<Item = S>,
        today: NaiveDate,
    ) -> Stats {
        let this_week = week_of(today);
        let first_week = this_week - Duration::weeks(CHART_WEEKS as i64 - 1);
        let mut weeks: Vec<(NaiveDate, usize)> = (0..CHART_WEEKS)
            .map(|i| (first_week + Duration::weeks(i as i64), 0))
            .collect();
        let mut active = std::collections::BTreeSet::new();
        let mut stats = Stats {
            sessions: 0,
            weeks: Vec::new(),
            pause_seconds: 0,
            steps: Vec::new(),
            pending_follow_ups: 0,
            unfinished: 0,
            streak_weeks: 0,
        };
        for session in sessions {
            let session: &Session = std::borrow::Borrow::borrow(&session);
            stats.sessions += 1;
            let week = week_of(session.started_at.date_naive());
            active.insert(week);
            if week >= first_week && week <= this_week {
                let i = ((week - first_week).num_days() / 7) as usize;
                weeks[i].1 += 1;
            }
            stats.pending_follow_ups += usize::from(is_pending_follow_up(session));
            stats.unfinished += usize::from(is_unfinished(session));
            for step in &session.steps {
                stats.pause_seconds += u128::from(step.pause_seconds.unwrap_or(0));
                let at = match stats.steps.iter().position(|c| c.id == step.id) {
                    Some(at) => at,
                    None => {
                        stats.steps.push(StepCount {
                            id: step.id.clone(),
                            title: step.title.clone(),
                            practised: 0,
                            drilled: 0,
                        });
                        stats.steps.len() - 1
                    }
                };
                let count = &mut stats.steps[at];
                if session.drill.as_deref() == Some(step.id.as_str()) {
                    count.drilled += 1;
                } else if step.status == StepStatus::Done {
                    count.practised += 1;
                }
            }
        }
        let mut week = if active.contains(&this_week) {
            this_week
        } else {
            this_week - Duration::weeks(1)
        };
        while active.contains(&week) {
            stats.streak_weeks += 1;
            week -= Duration::weeks(1);
        }
        stats.weeks = weeks;
        stats
    }

    /// Whole minutes in pauses (rounded).
    pub fn pause_minutes(&self) -> u128 {
        (self.pause_seconds + 30) / 60
    }

    /// The stats as plain text, for `repair notes stats` (no escapes; step
    /// titles come from files, so the caller sanitises for a terminal).
    pub fn to_text(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let s = |n: usize, one: &str, many: &str| {
            if n == 1 {
                one.to_string()
            } else {
                many.to_string()
            }
        };
        let _ = writeln!(out, "Sessions: {}", self.sessions);
        let _ = writeln!(out, "Sessions per week, the last {CHART_WEEKS} weeks:");
        let most = self.weeks.iter().map(|w| w.1).max().unwrap_or(0).max(1);
        for (monday, n) in &self.weeks {
            let bar = "#".repeat((n * 30).div_ceil(most));
            let date = monday.format("%-d %b %Y").to_string();
            let line = format!("  week of {date:<11}  {n:>3}  {bar}");
            let _ = writeln!(out, "{}", line.trim_end());
        }
        let _ = writeln!(out, "Minutes in pauses: {}", self.pause_minutes());
        let _ = writeln!(
            out,
            "Steps (practised in a whole walk-through / practised alone):"
        );
        // Numbers first, in columns, so the titles line up.
        let wide = self
            .steps
            .iter()
            .map(|s| s.practised.max(s.drilled).to_string().len())
            .max()
            .unwrap_or(1);
        if self.steps.is_empty() {
            // Drills and rehearsals count in the practice section below.
            let _ = writeln!(out, "  none yet");
        }
        for step in &self.steps {
            let _ = writeln!(
                out,
                "  {:>wide$} / {:<wide$}  {}",
                step.practised, step.drilled, step.title
            );
        }
        let _ = writeln!(
            out,
            "Waiting for a follow-up: {} {}",
            self.pending_follow_ups,
            s(self.pending_follow_ups, "session", "sessions")
        );
        let _ = writeln!(
            out,
            "Unfinished: {} {}",
            self.unfinished,
            s(self.unfinished, "session", "sessions")
        );
        let _ = writeln!(out, "Weeks in a row with practice: {}", self.streak_weeks);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::fixtures::{self, step};
    use chrono::DateTime;

    /// The per-mode table: a walk and a prep resume, a drill and a
    /// rehearsal do not; a session resumes only while unfinished; the
    /// session and its list row agree.
    #[test]
    fn what_each_mode_allows() {
        use crate::journal::Row;
        let modes = [
            (SessionMode::Practice, true),
            (SessionMode::Prep, true),
            (SessionMode::Drill, false),
            (SessionMode::Rehearse, false),
            (SessionMode::Other("future".into()), false),
        ];
        for (mode, resumes) in modes {
            assert_eq!(allows(&mode).resume, resumes, "{mode:?}");
            let mut s = fixtures::session("20261130-090000-0000", "2026-11-30T09:00:00+01:00");
            s.mode = mode.clone();
            assert_eq!(s.resumable(), resumes, "{mode:?}");
            assert_eq!(Row::of(&s).resumable(), resumes, "{mode:?}");
            s.complete = true;
            s.finished_at = Some(s.started_at);
            assert!(!s.resumable() && !Row::of(&s).resumable(), "{mode:?}");
        }
        assert_eq!(
            allows(&SessionMode::Drill).counts,
            Counts::Cards {
                seats: false,
                none: "No cards drilled."
            }
        );
        assert_eq!(allows(&SessionMode::Prep).counts, Counts::Steps);
        assert!(allows(&SessionMode::Practice).follow_up);
        assert!(!allows(&SessionMode::Rehearse).follow_up);
    }

    /// A session whose second step has `status`; one with that step open
    /// as a follow-up is finished, as a follow-up is due only then.
    pub(crate) fn session(id: &str, at: &str, status: StepStatus, drill: Option<&str>) -> Session {
        let finished = status == StepStatus::FollowUp;
        let started = DateTime::parse_from_rfc3339(at).unwrap();
        Session {
            finished_at: finished.then_some(started),
            complete: finished,
            protocol_title: "Rupture and Repair".into(),
            drill: drill.map(Into::into),
            steps: vec![
                step("scan", "Pause", StepStatus::Done, "x", Some(90)),
                step("later", "Later", status, "", None),
            ],
            ..fixtures::session(id, at)
        }
    }

    #[test]
    fn weeks_streak_and_counts() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(); // a Saturday
        let sessions = [
            session("a", "2026-11-02T09:00:00+01:00", StepStatus::Done, None),
            session("b", "2026-11-10T09:00:00+01:00", StepStatus::FollowUp, None),
            session(
                "c",
                "2026-11-17T09:00:00+01:00",
                StepStatus::Done,
                Some("scan"),
            ),
            session("d", "2026-11-18T09:00:00+01:00", StepStatus::Done, None),
            session("e", "2025-01-01T09:00:00+01:00", StepStatus::Done, None),
        ];
        let stats = Stats::compute(&sessions, today);
        assert_eq!(stats.sessions, 5);
        assert_eq!(stats.weeks.len(), CHART_WEEKS);
        assert_eq!(
            stats.weeks[11].0,
            NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
        );
        let last4: Vec<usize> = stats.weeks[8..].iter().map(|w| w.1).collect();
        assert_eq!(last4, [1, 1, 2, 0]);
        // This week has none yet; the run counts back from last week.
        assert_eq!(stats.streak_weeks, 3);
        assert_eq!(stats.pending_follow_ups, 1);
        assert_eq!(stats.pause_seconds, 450);
        assert_eq!(stats.pause_minutes(), 8);
        assert_eq!(stats.steps[0].id, "scan");
        assert_eq!((stats.steps[0].practised, stats.steps[0].drilled), (4, 1));
        assert_eq!(stats.steps[1].practised, 4);
        let text = stats.to_text();
        assert!(text.contains("week of 23 Nov 2026    0\n"), "{text}");
        assert!(text.contains("week of 9 Nov 2026     1  ###"), "{text}");
        assert!(text.contains("Weeks in a row with practice: 3"));
    }

    /// Two sessions with the largest pause a file can hold: the total is
    /// their true sum, not an overflow (which wrapped to 0, or panicked).
    #[test]
    fn the_largest_pauses_add_up_without_overflowing() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let mut sessions = vec![
            session("a", "2026-11-24T09:00:00+01:00", StepStatus::Done, None),
            session("b", "2026-11-25T09:00:00+01:00", StepStatus::Done, None),
        ];
        for s in &mut sessions {
            for step in &mut s.steps {
                step.pause_seconds = None;
            }
            s.steps[0].pause_seconds = Some(u64::MAX);
        }
        let stats = Stats::compute(&sessions, today);
        let total = 2 * u128::from(u64::MAX);
        assert_eq!(stats.pause_seconds, total);
        assert_eq!(stats.pause_minutes(), (total + 30) / 60);
        let text = stats.to_text();
        assert!(
            text.contains(&format!("Minutes in pauses: {}\n", (total + 30) / 60)),
            "{text}"
        );
    }

    #[test]
    fn no_steps_yet_says_so_under_its_heading() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let text = Stats::compute(&[], today).to_text();
        assert!(
            text.contains(
                "Steps (practised in a whole walk-through / practised alone):\n  none yet\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn notice_names_the_newest() {
        let a = session("a", "2026-11-24T09:00:00+01:00", StepStatus::FollowUp, None);
        let b = session("b", "2026-11-20T09:00:00+01:00", StepStatus::FollowUp, None);
        assert_eq!(follow_up_notice(&[]), None);
        assert_eq!(
            follow_up_notice(&[&a]).unwrap(),
            "1 repair is waiting for its follow-up, from Tue 24 Nov"
        );
        assert!(
            follow_up_notice(&[&b, &a])
                .unwrap()
                .starts_with("2 repairs")
        );
        assert!(is_pending_follow_up(&a) && !is_unfinished(&a));
        assert_eq!(steps_done(&a), (1, 2));
    }
}
