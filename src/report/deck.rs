//! `repair deck print`: the deck as printed slips for a group that prefers
//! paper, in one self-contained HTML file (inline CSS, no scripts, nothing
//! fetched), with the same rules as the report.
//!
//! Each card takes two pages, each cut in two along a dashed line:
//! - the role-player's slip (its content note, scene, direction, the
//!   client's line, the two continuation lines) above the therapist's card
//!   (the content note, the scene and the client's line only, so the
//!   therapist meets the statement fresh);
//! - two copies of the observer's sheet (the step's criteria with tick
//!   boxes, lines for feedback), for one or two observers.
//!
//! A half page is sized to fit both A4 and Letter and is never split by a
//! page break.

use std::fmt::Write;

use super::markup::escape;
use crate::protocol::{Level, Protocol, Scenario, ScenarioKind, Step};

/// Which cards and which step's criteria to print.
#[derive(Debug, Clone, Default)]
pub struct Choice {
    /// Every one of these tags (none: any card).
    pub tags: Vec<String>,
    pub kind: Option<ScenarioKind>,
    pub level: Option<Level>,
    /// The step whose criteria the observer's sheet lists (none: every
    /// observable step that has criteria).
    pub step: Option<String>,
}

/// Why nothing could be printed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrintError {
    #[error("the protocol has no step '{0}'; its steps are: {1}")]
    NoStep(String, String),
    #[error("the step '{0}' lists no criteria for observers to tick; choose one of: {1}")]
    StepWithoutCriteria(String, String),
    #[error("no card matches those choices; `repair deck print` with fewer of them prints more")]
    NoCards,
    #[error("the protocol has no cards to print")]
    EmptyDeck,
}

/// The cards chosen, in deck order.
pub fn chosen<'a>(protocol: &'a Protocol, choice: &Choice) -> Vec<&'a Scenario> {
    protocol
        .scenarios
        .iter()
        .filter(|c| choice.kind.is_none_or(|k| c.kind == k))
        .filter(|c| choice.level.is_none_or(|l| c.level == l))
        .filter(|c| {
            choice
                .tags
                .iter()
                .all(|t| c.tags.iter().any(|have| have.as_str() == t))
        })
        .collect()
}

fn observer_steps<'a>(
    protocol: &'a Protocol,
    choice: &Choice,
) -> Result<Vec<&'a Step>, PrintError> {
    let with_criteria = || {
        protocol
            .steps
            .iter()
            .filter(|s| !s.criteria.is_empty())
            .map(|s| s.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match &choice.step {
        Some(id) => {
            let step = protocol.step(id).ok_or_else(|| {
                PrintError::NoStep(
                    id.clone(),
                    protocol
                        .steps
                        .iter()
                        .map(|s| s.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                )
            })?;
            if step.criteria.is_empty() {
                return Err(PrintError::StepWithoutCriteria(id.clone(), with_criteria()));
            }
            Ok(vec![step])
        }
        None => Ok(protocol
            .steps
            .iter()
            .filter(|s| s.observable && !s.criteria.is_empty())
            .collect()),
    }
}

const STYLE: &str = "\
body{font-family:Georgia,'Times New Roman',serif;color:#111;background:#fff;margin:0;line-height:1.4}\
.intro{max-width:42rem;margin:1.5rem auto;padding:0 1rem}\
.page{break-after:page;page-break-after:always}\
.half{height:124mm;box-sizing:border-box;padding:8mm 10mm;break-inside:avoid;page-break-inside:avoid;position:relative}\
.cut{border-top:1px dashed #000;height:0;position:relative;margin:0}\
.cut span{position:absolute;left:4mm;top:-0.75em;background:#fff;padding:0 2mm;font-size:10pt}\
.who{font-size:9pt;text-transform:uppercase;letter-spacing:.08em;margin:0 0 2mm;color:#333}\
h2{font-size:13pt;margin:0 0 2mm}\
.meta{font-size:9pt;color:#333;margin:0 0 3mm}\
.client{font-size:13pt;font-weight:bold;margin:3mm 0}\
.content{border:1px solid #000;padding:1mm 2mm;font-size:9.5pt}\
.line{border-bottom:1px solid #777;height:8mm}\
ul.ticks{list-style:none;padding:0;margin:2mm 0}\
ul.ticks li{margin:1.5mm 0;padding-left:7mm;text-indent:-7mm}\
.box{display:inline-block;width:4mm;height:4mm;border:1px solid #000;margin-right:3mm;vertical-align:-0.5mm}\
@media screen{.page{border-bottom:4px solid #ccc;max-width:190mm;margin:0 auto 1rem}}\
@media print{@page{margin:10mm}.intro{margin:0 0 4mm;max-width:none}}";

fn meta(card: &Scenario) -> String {
    let mut parts = vec![
        card.kind.as_str().to_string(),
        card.level.as_str().to_string(),
    ];
    if !card.tags.is_empty() {
        parts.push(
            card.tags
                .iter()
                .map(|t| t.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    parts.join(" · ")
}

/// The card's content note, boxed at the top of a slip, so the group can
/// leave the card out before anyone plays it.
fn content_note(out: &mut String, card: &Scenario) {
    if let Some(note) = card.content_note() {
        let _ = write!(out, "<p class=\"content\">{}</p>", escape(&note));
    }
}

fn role_player(out: &mut String, number: usize, card: &Scenario) {
    let _ = write!(
        out,
        "<section class=\"half\"><p class=\"who\">Role-player's slip · card {number}</p><h2>{}</h2><p class=\"meta\">{}</p>",
        escape(&card.id),
        escape(&meta(card))
    );
    content_note(out, card);
    if let Some(scene) = &card.scene {
        let _ = write!(out, "<p><strong>Scene.</strong> {}</p>", escape(scene));
    }
    if let Some(direction) = &card.direction {
        let _ = write!(
            out,
            "<p><strong>How to play it.</strong> {}</p>",
            escape(direction)
        );
    }
    let _ = write!(out, "<p class=\"client\">“{}”</p>", escape(&card.client));
    if let Some(escalate) = &card.escalate {
        let _ = write!(
            out,
            "<p><strong>If the response misses:</strong> “{}”</p>",
            escape(escalate)
        );
    }
    if let Some(soften) = &card.soften {
        let _ = write!(
            out,
            "<p><strong>If the response lands:</strong> “{}”</p>",
            escape(soften)
        );
    }
    out.push_str(
        "<p class=\"meta\">Keep your own history out of the role. After the set, step out of it: say your own name.</p></section>",
    );
}

fn therapist(out: &mut String, number: usize, card: &Scenario) {
    let _ = write!(
        out,
        "<section class=\"half\"><p class=\"who\">Therapist's card · card {number}</p><h2>{}</h2>",
        escape(&card.id)
    );
    content_note(out, card);
    if let Some(scene) = &card.scene {
        let _ = write!(out, "<p><strong>Scene.</strong> {}</p>", escape(scene));
    }
    let _ = write!(
        out,
        "<p class=\"client\">“{}”</p><p class=\"meta\">Pause, notice what happens in you, then answer briefly, out loud.</p></section>",
        escape(&card.client)
    );
}

fn observer(out: &mut String, number: usize, card: &Scenario, steps: &[&Step]) {
    let _ = write!(
        out,
        "<section class=\"half\"><p class=\"who\">Observer's sheet · card {number}</p><h2>{}</h2>",
        escape(&card.id)
    );
    for step in steps {
        let _ = write!(
            out,
            "<p><strong>{}</strong></p><ul class=\"ticks\">",
            escape(&step.title)
        );
        for criterion in &step.criteria {
            let _ = write!(
                out,
                "<li><span class=\"box\"></span>{}</li>",
                escape(&criterion.text)
            );
        }
        out.push_str("</ul>");
    }
    out.push_str(
        "<p><strong>One thing that worked, one thing to try next time:</strong></p><div class=\"line\"></div><div class=\"line\"></div><div class=\"line\"></div></section>",
    );
}

fn cut(out: &mut String) {
    out.push_str("<div class=\"cut\" aria-hidden=\"true\"><span>✂</span></div>");
}

/// The printable deck.
pub fn render(protocol: &Protocol, choice: &Choice) -> Result<String, PrintError> {
    if protocol.scenarios.is_empty() {
        return Err(PrintError::EmptyDeck);
    }
    let steps = observer_steps(protocol, choice)?;
    let cards = chosen(protocol, choice);
    if cards.is_empty() {
        return Err(PrintError::NoCards);
    }
    let mut out = String::with_capacity(cards.len() * 4096);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/><title>{}: printed deck</title><style>{STYLE}</style></head><body>",
        escape(&protocol.title)
    );
    let _ = write!(
        out,
        "<div class=\"intro page\"><h1>{}: printed deck</h1><p>{}.</p><p>Each card takes two pages. Cut along the dashed lines. The role-player keeps the slip with the direction; the therapist sees only their card; each observer takes a sheet. Say each response out loud, briefly. After every set, the role-player steps out of the role.</p><p>A practice aid; it does not replace supervision.</p></div>",
        escape(&protocol.title),
        escape(&crate::words::count(cards.len(), "card", "cards"))
    );
    for (i, card) in cards.iter().enumerate() {
        let number = i + 1;
        out.push_str("<div class=\"page\">");
        role_player(&mut out, number, card);
        cut(&mut out);
        therapist(&mut out, number, card);
        out.push_str("</div><div class=\"page\">");
        observer(&mut out, number, card, &steps);
        cut(&mut out);
        observer(&mut out, number, card, &steps);
        out.push_str("</div>");
    }
    out.push_str("</body></html>\n");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_chosen_and_a_step_without_criteria_are_said_not_printed() {
        let mut protocol = crate::protocol::builtin();
        let none = Choice {
            tags: vec!["no-such-tag".into()],
            ..Choice::default()
        };
        assert_eq!(render(&protocol, &none), Err(PrintError::NoCards));
        protocol.steps[0].criteria.clear();
        let id = protocol.steps[0].id.clone();
        let bare = Choice {
            step: Some(id.clone()),
            ..Choice::default()
        };
        assert!(matches!(
            render(&protocol, &bare),
            Err(PrintError::StepWithoutCriteria(step, _)) if step == id
        ));
        protocol.scenarios.clear();
        assert_eq!(
            render(&protocol, &Choice::default()),
            Err(PrintError::EmptyDeck)
        );
    }
}
