//! A format-2 protocol built in code for the rehearsal tests (the parser
//! for the new keys lands on its own branch): the built-in steps with
//! criteria, the scan and the later steps not observable, a resolution per
//! kind, and every card with a scene, a private direction, escalate and
//! soften lines, markers, models and pitfalls.
#![allow(dead_code)]

use repair_practice::protocol::{Criterion, Marker, Pitfall, Protocol, ScenarioKind, builtin};

/// The words every card's direction starts with, to look for on screen.
pub const DIRECTION: &str = "SECRET DIRECTION";

pub fn protocol() -> Protocol {
    let mut p = builtin();
    // The 60 cards the snapshots were dealt from: cards added to the deck
    // later would re-deal every seeded rehearsal on screen.
    p.scenarios.truncate(60);
    for step in &mut p.steps {
        match step.id.as_str() {
            "scan" | "ask-later" | "enjoy" => step.observable = false,
            "reflect" => {
                step.criteria = Criterion::numbered(&[
                    "names the client's experience as a guess",
                    "asks whether it fits",
                    "stops and listens",
                ])
            }
            "validate" => {
                step.criteria = Criterion::numbered(&[
                    "finds the sense in the reaction",
                    "owns their own part without grovelling",
                ])
            }
            _ => {}
        }
    }
    p.resolution = vec![
        (
            ScenarioKind::Withdrawal,
            "Invite and welcome the negative feeling, and the client's own wish.".into(),
        ),
        (
            ScenarioKind::Confrontation,
            "Step out of the cycle: own your part, neither counter-attack nor give in, then explore what hurt.".into(),
        ),
    ];
    for card in &mut p.scenarios {
        card.direction = Some(format!(
            "{DIRECTION}: you felt dismissed last week and have not said so."
        ));
        card.escalate = Some("See, you're doing it again.".into());
        card.soften = Some("Maybe. It did sting a bit.".into());
        card.markers = match card.kind {
            ScenarioKind::Withdrawal => vec![Marker::MinimalResponse, Marker::Denial],
            ScenarioKind::Confrontation => vec![Marker::ComplaintTherapist],
        };
        card.examples = vec![
            "I wonder if something I said landed badly. Would you tell me?".into(),
            "It sounds like this isn't quite working for you right now.".into(),
        ];
        card.pitfalls = vec![Pitfall {
            response: "Let me explain what I meant.".into(),
            why: "defends, and leaves the client alone with the hurt".into(),
        }];
    }
    p
}
