//! Practice you can see: the figures behind the practice section of
//! `repair notes stats` and the browser's stats view, from saved drill and
//! rehearsal sessions. Cards drilled and rehearsed per week, the median
//! difficulty per week, the level each kind of card has reached, the
//! criteria most often not yet met, how often the marker was recognised,
//! and the cards due today.
//!
//! Pure: sessions and "today" in, numbers out. Only first attempts count
//! for difficulty, criteria and markers: the cold try is what shows
//! change over weeks; a retry right after the reveal is easier by design.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;

use crate::journal::Session;
use crate::journal::review::{CHART_WEEKS, Stats};
use crate::practice::level::LevelRule;
use crate::practice::schedule::Schedule;
use crate::protocol::ScenarioKind;

/// How many criteria the "not yet met" list shows.
pub const NOT_MET_SHOWN: usize = 3;

/// One week of practice.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PracticeWeek {
    /// The Monday, as YYYY-MM-DD.
    pub week: NaiveDate,
    /// Cards drilled (first attempts).
    pub drilled: usize,
    /// Rehearsal rounds played.
    pub rehearsed: usize,
    /// The median difficulty of the week's first attempts, 0 to 10; null
    /// in a week without drills.
    pub median_difficulty: Option<f64>,
}

/// A criterion and how many first attempts left it not yet met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotMet {
    pub criterion: String,
    pub times: usize,
}

/// The practice figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Progress {
    /// The last [`CHART_WEEKS`] weeks, oldest first.
    pub weeks: Vec<PracticeWeek>,
    /// The level the next card of each kind is dealt at (null: never drilled).
    pub levels: BTreeMap<&'static str, Option<&'static str>>,
    /// Most often first, at most [`NOT_MET_SHOWN`].
    pub criteria_not_yet_met: Vec<NotMet>,
    /// First attempts, and those where the marker named fitted the card.
    pub marker_first_attempts: usize,
    pub marker_recognised: usize,
    /// Cards of the deck due today (all scheduled cards when no deck is given).
    pub cards_due_today: usize,
}

fn week_of(date: NaiveDate) -> NaiveDate {
    date - Duration::days(i64::from(date.weekday().num_days_from_monday()))
}

/// The median of `values` (sorted in place); `None` for none.
pub(crate) fn median(values: &mut [u8]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let n = values.len();
    Some(if n % 2 == 1 {
        f64::from(values[n / 2])
    } else {
        (f64::from(values[n / 2 - 1]) + f64::from(values[n / 2])) / 2.0
    })
}

impl Progress {
    /// The figures over `sessions` as of `today`; `deck`: the card ids of
    /// the protocol drilled, for what is due.
    pub fn compute(sessions: &[Session], today: NaiveDate, deck: Option<&[String]>) -> Progress {
        let this_week = week_of(today);
        let first_week = this_week - Duration::weeks(CHART_WEEKS as i64 - 1);
        let mut weeks: Vec<PracticeWeek> = (0..CHART_WEEKS)
            .map(|i| PracticeWeek {
                week: first_week + Duration::weeks(i as i64),
                drilled: 0,
                rehearsed: 0,
                median_difficulty: None,
            })
            .collect();
        let mut ratings: Vec<Vec<u8>> = vec![Vec::new(); CHART_WEEKS];
        let mut not_met: Vec<NotMet> = Vec::new();
        let (mut firsts, mut right) = (0, 0);
        for session in sessions {
            let week = week_of(session.started_at.date_naive());
            let slot = (week >= first_week && week <= this_week)
                .then(|| ((week - first_week).num_days() / 7) as usize);
            if let Some(i) = slot {
                weeks[i].rehearsed += session.extra.rounds.len();
            }
            if session.mode != crate::journal::SessionMode::Drill {
                continue;
            }
            for card in session.extra.drill_cards.iter().filter(|c| c.attempt == 1) {
                firsts += 1;
                right += usize::from(card.marker_right);
                for missed in &card.criteria_missed {
                    match not_met.iter_mut().find(|n| &n.criterion == missed) {
                        Some(n) => n.times += 1,
                        None => not_met.push(NotMet {
                            criterion: missed.clone(),
                            times: 1,
                        }),
                    }
                }
                if let Some(i) = slot {
                    weeks[i].drilled += 1;
                    ratings[i].push(card.rating);
                }
            }
        }
        for (week, mut r) in weeks.iter_mut().zip(ratings) {
            week.median_difficulty = median(&mut r);
        }
        // Most often first; ties keep the order they were first missed in.
        not_met.sort_by_key(|n| std::cmp::Reverse(n.times));
        not_met.truncate(NOT_MET_SHOWN);
        let schedule = Schedule::from_sessions(sessions, LevelRule::default(), today);
        let cards_due_today = match deck {
            Some(ids) => schedule.due_count(ids.iter().map(String::as_str), today),
            None => schedule.due_count(
                sessions
                    .iter()
                    .flat_map(|s| s.extra.drill_cards.iter().map(|c| c.card.as_str()))
                    .collect::<std::collections::BTreeSet<_>>(),
                today,
            ),
        };
        Progress {
            weeks,
            levels: ScenarioKind::ALL
                .iter()
                .map(|k| (k.as_str(), schedule.level(*k).map(|l| l.as_str())))
                .collect(),
            criteria_not_yet_met: not_met,
            marker_first_attempts: firsts,
            marker_recognised: right,
            cards_due_today,
        }
    }

    /// Whether any drill or rehearsal was ever saved.
    pub fn is_empty(&self) -> bool {
        self.marker_first_attempts == 0 && self.weeks.iter().all(|w| w.rehearsed == 0)
    }

    /// The practice section of `repair notes stats` (plain text; criteria
    /// come from files, so the caller sanitises for a terminal).
    pub fn to_text(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let _ = writeln!(out, "Practice (drill and rehearse):");
        if self.is_empty() {
            let _ = writeln!(out, "  No drills yet; `repair drill` starts one.");
            return out;
        }
        let _ = writeln!(
            out,
            "  Cards per week, the last {CHART_WEEKS} weeks (drilled, rehearsed, median difficulty 0-10):"
        );
        for w in &self.weeks {
            let median = w
                .median_difficulty
                .map_or("-".to_string(), |m| format!("{m}"));
            let date = w.week.format("%-d %b %Y").to_string();
            let _ = writeln!(
                out,
                "    week of {date:<11}  {:>3}  {:>3}  {median:>4}",
                w.drilled, w.rehearsed
            );
        }
        let levels: Vec<String> = ScenarioKind::ALL
            .iter()
            .map(|k| {
                let level = self
                    .levels
                    .get(k.as_str())
                    .copied()
                    .flatten()
                    .unwrap_or("not drilled yet");
                format!("{} {level}", k.as_str())
            })
            .collect();
        let _ = writeln!(out, "  Level now: {}", levels.join("; "));
        if !self.criteria_not_yet_met.is_empty() {
            let _ = writeln!(out, "  Criteria most often not yet met:");
            for n in &self.criteria_not_yet_met {
                let _ = writeln!(out, "    {:>3}×  {}", n.times, n.criterion);
            }
        }
        if self.marker_first_attempts > 0 {
            let _ = writeln!(
                out,
                "  Markers recognised: {} of {} first tries ({}%)",
                self.marker_recognised,
                self.marker_first_attempts,
                self.marker_recognised * 100 / self.marker_first_attempts
            );
        }
        let _ = writeln!(out, "  Cards due today: {}", self.cards_due_today);
        out
    }
}

/// `repair notes stats --json`: the stats and the practice figures as one
/// JSON object (the fields are documented in the README).
pub fn stats_json(stats: &Stats, progress: &Progress) -> serde_json::Value {
    serde_json::json!({
        "sessions": stats.sessions,
        "weeks": stats
            .weeks
            .iter()
            .map(|(week, n)| serde_json::json!({ "week": week, "sessions": n }))
            .collect::<Vec<_>>(),
        "pause_minutes": stats.pause_minutes(),
        "steps": stats
            .steps
            .iter()
            .map(|s| serde_json::json!({
                "id": s.id,
                "title": s.title,
                "practised": s.practised,
                "drilled": s.drilled,
            }))
            .collect::<Vec<_>>(),
        "pending_follow_ups": stats.pending_follow_ups,
        "unfinished": stats.unfinished,
        "streak_weeks": stats.streak_weeks,
        "practice": progress,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::fixtures;
    use crate::journal::{DrillCardRecord, Extra, RoundRecord};

    fn card(card: &str, attempt: u32, rating: u8, missed: &[&str], right: bool) -> DrillCardRecord {
        DrillCardRecord {
            attempt,
            rating,
            criteria_missed: missed.iter().map(|m| m.to_string()).collect(),
            marker_right: right,
            respond_seconds: 10,
            next_level: "intermediate".into(),
            ..fixtures::drill_card(card)
        }
    }

    fn session(mode: &str, day: &str, cards: Vec<DrillCardRecord>, rounds: usize) -> Session {
        Session {
            extra: Extra {
                drill_cards: cards,
                rounds: (0..rounds)
                    .map(|i| RoundRecord {
                        number: i + 1,
                        card: "c".into(),
                        kind: "withdrawal".into(),
                        level: "beginner".into(),
                        repeated: false,
                        roles: Vec::new(),
                        checklist: Vec::new(),
                        feedback: String::new(),
                        difficulty: "about-right".into(),
                        ..RoundRecord::default()
                    })
                    .collect(),
                ..Extra::default()
            },
            ..fixtures::on_day(mode.into(), day)
        }
    }

    #[test]
    fn weeks_medians_levels_criteria_markers_and_due() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(); // a Saturday
        let sessions = vec![
            session(
                "drill",
                "2026-11-16",
                vec![
                    card("a", 1, 9, &["Stops and listens."], false),
                    card("a", 2, 2, &["Asks whether it fits."], true),
                    card("b", 1, 4, &["Stops and listens."], true),
                ],
                0,
            ),
            session("drill", "2026-11-24", vec![card("c", 1, 6, &[], true)], 0),
            session("rehearse", "2026-11-25", Vec::new(), 3),
        ];
        let deck: Vec<String> = ["a", "b", "c", "d"].iter().map(|s| s.to_string()).collect();
        let p = Progress::compute(&sessions, today, Some(&deck));
        assert_eq!(p.weeks.len(), CHART_WEEKS);
        let last2: Vec<(usize, usize, Option<f64>)> = p.weeks[10..]
            .iter()
            .map(|w| (w.drilled, w.rehearsed, w.median_difficulty))
            .collect();
        assert_eq!(last2, [(2, 0, Some(6.5)), (1, 3, Some(6.0))]);
        assert_eq!(p.levels["withdrawal"], Some("intermediate"));
        assert_eq!(p.levels["confrontation"], None);
        assert_eq!(
            p.criteria_not_yet_met,
            [NotMet {
                criterion: "Stops and listens.".into(),
                times: 2
            }],
            "retries do not count"
        );
        assert_eq!((p.marker_recognised, p.marker_first_attempts), (2, 3));
        // "a" was hard and "b" missed its one criterion (box 1, due the
        // 17th); "c" went well (box 2, due the 27th); "d" is new.
        assert_eq!(p.cards_due_today, 3);
        let text = p.to_text();
        assert!(
            text.contains("    week of 16 Nov 2026    2    0   6.5\n"),
            "{text}"
        );
        assert!(
            text.contains("    week of 23 Nov 2026    1    3     6\n"),
            "{text}"
        );
        assert!(
            text.contains("  Level now: withdrawal intermediate; confrontation not drilled yet\n")
        );
        assert!(text.contains("      2×  Stops and listens.\n"), "{text}");
        assert!(text.contains("  Markers recognised: 2 of 3 first tries (66%)\n"));
        assert!(text.contains("  Cards due today: 3\n"));
        let json = stats_json(&Stats::compute(&sessions, today), &p);
        assert_eq!(json["practice"]["cards_due_today"], 3);
        assert_eq!(json["practice"]["weeks"][10]["median_difficulty"], 6.5);
        assert_eq!(json["practice"]["weeks"][11]["week"], "2026-11-23");
        assert_eq!(json["weeks"][11]["sessions"], 2);
    }

    #[test]
    fn nothing_yet_says_how_to_start() {
        let p = Progress::compute(&[], NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(), None);
        assert!(p.is_empty());
        assert!(
            p.to_text()
                .contains("No drills yet; `repair drill` starts one.")
        );
    }
}
