//! A made-up practice history: drills most days, a walk every few days, a
//! prep a week and a rehearsal a fortnight, on the given protocol's cards,
//! with first-attempt ratings that ease over the months. It holds no real
//! notes; it feeds the report's bench, its tests, and the examples in
//! `docs/` (`cargo run --example report_examples`).
//!
//! Deterministic: the same days and protocol give the same sessions.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate};

use crate::journal::{
    DrillCardRecord, Extra, RoundRecord, Session, SessionMode, StepRecord, StepStatus,
};
use crate::practice::rng::SplitMix64;
use crate::protocol::Protocol;

fn at(date: NaiveDate, hour: u32) -> DateTime<FixedOffset> {
    let offset = FixedOffset::east_opt(3600).expect("one hour east is a valid offset");
    date.and_hms_opt(hour, 0, 0)
        .expect("a whole hour is a valid time")
        .and_local_timezone(offset)
        .single()
        .expect("a fixed offset has one local time")
}

fn shell(mode: SessionMode, protocol: &Protocol, start: DateTime<FixedOffset>, n: u64) -> Session {
    Session {
        id: format!("{}-{:08x}", start.format("%Y%m%d-%H%M%S"), n & 0xffff_ffff),
        mode,
        protocol: protocol.id.clone(),
        protocol_title: protocol.title.clone(),
        drill: None,
        started_at: start,
        finished_at: Some(start + Duration::minutes(12)),
        complete: true,
        steps: Vec::new(),
        extra: Extra::default(),
    }
}

/// Practice on every day from `first` to `last`, both included.
pub fn history(protocol: &Protocol, first: NaiveDate, last: NaiveDate) -> Vec<Session> {
    // A fixed seed: the same days give the same history.
    let mut mix = SplitMix64::new(0x5EED);
    let mut out = Vec::new();
    let total_days = (last - first).num_days().max(1) as f64;
    let observable: Vec<&crate::protocol::Step> = protocol
        .steps
        .iter()
        .filter(|s| {
            !s.criteria.is_empty() && (s.observable || protocol.focus.as_ref() == Some(&s.id))
        })
        .collect();
    let mut day = first;
    let mut n = 0u64;
    while day <= last {
        let progress = (day - first).num_days() as f64 / total_days;
        // Ratings ease from around 7 to around 4 over the whole history.
        let base = 7.0 - 3.0 * progress;
        if !protocol.scenarios.is_empty() && mix.below(7) < 5 && !observable.is_empty() {
            n += 1;
            let step = observable[mix.below(observable.len() as u64) as usize];
            let mut s = shell(SessionMode::Drill, protocol, at(day, 8), n);
            s.drill = Some(step.id.clone());
            for number in 1..=5usize {
                let card = &protocol.scenarios[mix.below(protocol.scenarios.len() as u64) as usize];
                let rating = (base + mix.below(5) as f64 - 2.0).clamp(0.0, 10.0) as u8;
                let (missed, met): (Vec<_>, Vec<_>) =
                    step.criteria.iter().partition(|_| mix.below(10) < 3);
                let texts = |list: &[&crate::protocol::Criterion]| -> Vec<String> {
                    list.iter().map(|c| c.text.clone()).collect()
                };
                let ids = |list: &[&crate::protocol::Criterion]| -> Vec<String> {
                    list.iter().map(|c| c.full_id(&step.id)).collect()
                };
                let guess = match mix.below(10) {
                    0..=5 => card.markers.first().map(|m| m.as_str()),
                    6 => Some(card.kind.as_str()),
                    7 | 8 => crate::protocol::Marker::ALL
                        .get(mix.below(crate::protocol::Marker::ALL.len() as u64) as usize)
                        .map(|m| m.as_str()),
                    _ => None,
                };
                let right = match guess {
                    Some(word) => {
                        card.markers.iter().any(|m| m.as_str() == word)
                            || word == card.kind.as_str()
                    }
                    None => false,
                };
                let record = DrillCardRecord {
                    number,
                    card: card.id.clone(),
                    kind: card.kind.as_str().into(),
                    level: card.level.as_str().into(),
                    client: card.client.clone(),
                    attempt: 1,
                    rating,
                    criteria_met: texts(&met),
                    criteria_missed: texts(&missed),
                    criteria_met_ids: ids(&met),
                    criteria_missed_ids: ids(&missed),
                    self_report: None,
                    marker_guess: guess.map(Into::into),
                    marker_right: right,
                    respond_seconds: 20 + mix.below(40),
                    response: None,
                    next_level: card.level.as_str().into(),
                    newer: Default::default(),
                };
                if number == 5 {
                    let mut retry = record.clone();
                    retry.attempt = 2;
                    retry.rating = rating.saturating_sub(2);
                    s.extra.drill_cards.push(record);
                    s.extra.drill_cards.push(retry);
                } else {
                    s.extra.drill_cards.push(record);
                }
            }
            out.push(s);
        }
        if mix.below(3) == 0 {
            n += 1;
            let mut s = shell(SessionMode::Practice, protocol, at(day, 18), n);
            for (i, step) in protocol.steps.iter().enumerate() {
                let status = if i == 4 && step.follow_up && mix.below(4) == 0 {
                    StepStatus::FollowUp
                } else {
                    StepStatus::Done
                };
                s.steps.push(StepRecord {
                    id: step.id.clone(),
                    title: step.title.clone(),
                    status,
                    notes: if i == 0 {
                        "Noticed my shoulders rise; slowed my breath before answering.".into()
                    } else {
                        String::new()
                    },
                    pause_seconds: (i == 0).then_some(60 + mix.below(60)),
                    newer: Default::default(),
                });
            }
            out.push(s);
        }
        if day.format("%u").to_string() == "1" {
            n += 1;
            let mut s = shell(SessionMode::Prep, protocol, at(day, 7), n);
            s.extra.intention = Some("Go slowly and check what I understood.".into());
            out.push(s);
        }
        if day.format("%u").to_string() == "4" && (day - first).num_days() % 14 < 7 {
            n += 1;
            let mut s = shell(SessionMode::Rehearse, protocol, at(day, 12), n);
            s.finished_at = Some(at(day, 12) + Duration::minutes(45));
            for number in 1..=6usize {
                let card = &protocol.scenarios[mix.below(protocol.scenarios.len() as u64) as usize];
                let named_right = mix.below(3) != 0;
                s.extra.rounds.push(RoundRecord {
                    number,
                    card: card.id.clone(),
                    kind: card.kind.as_str().into(),
                    level: card.level.as_str().into(),
                    roles: vec!["therapist".into(), "client".into(), "observer".into()],
                    difficulty: "about-right".into(),
                    attempt: 1,
                    therapist_seat: Some(1 + number % 3),
                    guess_kind: Some(card.kind.as_str().into()),
                    guess_kind_right: Some(true),
                    guess_marker: card
                        .markers
                        .first()
                        .filter(|_| named_right)
                        .map(|m| m.as_str().into()),
                    guess_marker_right: named_right.then_some(true),
                    rating: Some((base + mix.below(3) as f64 - 1.0).clamp(0.0, 10.0) as u8),
                    ..RoundRecord::default()
                });
            }
            out.push(s);
        }
        day += Duration::days(1);
    }
    out
}
