//! The report as one self-contained HTML file: inline CSS and SVG, no
//! scripts, nothing fetched, a print stylesheet whose margins fit A4 and
//! Letter alike. Every chart is followed by a table of the same numbers and
//! a sentence, for screen readers and for black-and-white print.
//!
//! The markup is also well-formed XML (every element closed, every
//! attribute quoted), so a strict parser can check it.

use std::fmt::Write;

pub use super::markup::escape;
use super::svg::{self, Line, Stack};
use super::{Report, Series, marker_words, number, share};

/// The page's style: calm on screen, and in print black on white with
/// every section kept whole where it fits.
pub const STYLE: &str = "\
:root{color-scheme:light}\
body{font-family:Georgia,'Times New Roman',serif;color:#1d1d1d;background:#fff;margin:0;line-height:1.45}\
main{max-width:46rem;margin:0 auto;padding:1.5rem}\
h1{font-size:1.6rem;margin:0 0 .2rem}\
h2{font-size:1.2rem;margin:1.8rem 0 .4rem;border-bottom:1px solid #999;padding-bottom:.15rem}\
h3{font-size:1rem;margin:1.2rem 0 .3rem}\
p.range{margin:0;color:#444}\
p.warning{border:2px solid #1d1d1d;padding:.5rem .7rem;font-weight:bold}\
table{border-collapse:collapse;margin:.4rem 0 .8rem;font-size:.9rem}\
th,td{border:1px solid #888;padding:.2rem .45rem;text-align:left;vertical-align:top}\
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}\
caption{text-align:left;font-style:italic;padding:.2rem 0;color:#333}\
figure{margin:.6rem 0}\
figcaption{font-size:.9rem;color:#333}\
svg.chart{width:100%;height:auto;max-width:40rem}\
.note{white-space:pre-wrap;margin:.2rem 0 .6rem 1rem}\
footer{margin-top:2rem;font-size:.85rem;color:#444;border-top:1px solid #999;padding-top:.4rem}\
@media print{\
@page{margin:15mm}\
main{max-width:none;padding:0}\
body{font-size:10.5pt}\
section,figure,table,tr{break-inside:avoid}\
h2,h3{break-after:avoid}\
}";

fn table_head(out: &mut String, caption: &str, headers: &[(&str, bool)]) {
    let _ = write!(
        out,
        "<table><caption>{}</caption><thead><tr>",
        escape(caption)
    );
    for (h, numeric) in headers {
        let _ = write!(
            out,
            "<th scope=\"col\"{}>{}</th>",
            if *numeric { " class=\"n\"" } else { "" },
            escape(h)
        );
    }
    out.push_str("</tr></thead><tbody>");
}

fn row(out: &mut String, first: &str, cells: &[String]) {
    let _ = write!(out, "<tr><th scope=\"row\">{}</th>", escape(first));
    for c in cells {
        let _ = write!(out, "<td class=\"n\">{}</td>", escape(c));
    }
    out.push_str("</tr>");
}

fn ticks(report: &Report) -> Vec<String> {
    report
        .practice
        .iter()
        .map(|p| report.period.tick(p.start))
        .collect()
}

fn difficulty_chart(out: &mut String, report: &Report, id: &str, title: &str, lines: &[Series]) {
    let _ = write!(out, "<h3>{}</h3>", escape(title));
    let sentence = Report::difficulty_sentence(lines);
    if lines.is_empty() {
        let _ = write!(out, "<p>{}</p>", escape(&sentence));
        return;
    }
    let drawn: Vec<Line<'_>> = lines
        .iter()
        .map(|s| Line {
            name: &s.name,
            points: &s.points,
        })
        .collect();
    let _ = write!(
        out,
        "<figure>{}<figcaption>{}</figcaption></figure>",
        svg::lines(id, title, &sentence, &ticks(report), 10.0, &drawn),
        escape(&sentence)
    );
    let mut headers: Vec<(&str, bool)> = vec![(report.period.heading(), false)];
    headers.extend(lines.iter().map(|s| (s.name.as_str(), true)));
    table_head(out, &format!("{title}: the numbers in the chart"), &headers);
    for (i, p) in report.practice.iter().enumerate() {
        let cells: Vec<String> = lines
            .iter()
            .map(|s| {
                s.points
                    .get(i)
                    .copied()
                    .flatten()
                    .map_or("-".into(), number)
            })
            .collect();
        row(out, &report.period.label(p.start), &cells);
    }
    out.push_str("</tbody></table>");
}

/// The whole page.
pub fn render(report: &Report) -> String {
    let mut out = String::with_capacity(32 * 1024);
    let title = format!("Practice report, {}", report.range_words());
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/><title>{}</title><style>{STYLE}</style></head><body><main>",
        escape(&title)
    );
    if let Some(warning) = report.notes_warning() {
        let _ = write!(out, "<p class=\"warning\">{}</p>", escape(&warning));
    }
    let _ = write!(
        out,
        "<h1>Practice report</h1><p class=\"range\">{} · {} · made {}</p>",
        escape(&report.range_words()),
        escape(&report.protocol),
        report.made.format("%-d %b %Y")
    );
    out.push_str(&format!("<p>{}</p>", escape(INTRO)));

    // Practice per period.
    out.push_str("<section><h2>Practice</h2>");
    let sentence = report.practice_sentence();
    let stacks = [
        Stack {
            name: "walks",
            values: report.practice.iter().map(|p| p.walks).collect(),
        },
        Stack {
            name: "preps",
            values: report.practice.iter().map(|p| p.preps).collect(),
        },
        Stack {
            name: "drills",
            values: report.practice.iter().map(|p| p.drills).collect(),
        },
        Stack {
            name: "rehearsals",
            values: report.practice.iter().map(|p| p.rehearsals).collect(),
        },
    ];
    let chart_title = format!("Sessions per {}", report.period.heading().to_lowercase());
    let _ = write!(
        out,
        "<figure>{}<figcaption>{}</figcaption></figure>",
        svg::bars("practice", &chart_title, &sentence, &ticks(report), &stacks),
        escape(&sentence)
    );
    table_head(
        &mut out,
        &format!("{chart_title}: the numbers in the chart"),
        &[
            (report.period.heading(), false),
            ("Walks", true),
            ("Preps", true),
            ("Drills", true),
            ("Rehearsals", true),
            ("Minutes", true),
        ],
    );
    for p in &report.practice {
        row(
            &mut out,
            &report.period.label(p.start),
            &[
                p.walks.to_string(),
                p.preps.to_string(),
                p.drills.to_string(),
                p.rehearsals.to_string(),
                p.minutes.to_string(),
            ],
        );
    }
    out.push_str("</tbody></table></section>");

    // Difficulty.
    out.push_str("<section><h2>How hard the first attempts felt</h2><p>");
    out.push_str(&escape(DIFFICULTY_INTRO));
    out.push_str("</p>");
    difficulty_chart(
        &mut out,
        report,
        "by-kind",
        "By kind of rupture",
        &report.difficulty_by_kind,
    );
    difficulty_chart(
        &mut out,
        report,
        "by-step",
        "By step",
        &report.difficulty_by_step,
    );
    out.push_str("</section>");

    // Markers.
    out.push_str("<section><h2>Recognising the marker</h2>");
    if report.kinds.is_empty() {
        out.push_str("<p>No cards were answered in this range.</p>");
    } else {
        out.push_str(&format!("<p>{}</p>", escape(MARKER_INTRO)));
        table_head(
            &mut out,
            "Kinds: what the card was (rows) and what you named (columns)",
            &[
                ("The card was", false),
                ("named withdrawal", true),
                ("named confrontation", true),
                ("not named", true),
                ("right", true),
            ],
        );
        for k in &report.kinds {
            row(
                &mut out,
                &k.kind,
                &[
                    k.named_withdrawal.to_string(),
                    k.named_confrontation.to_string(),
                    k.not_named.to_string(),
                    share(k.right(), k.tries()),
                ],
            );
        }
        out.push_str("</tbody></table>");
        if !report.markers.is_empty() {
            table_head(
                &mut out,
                "Markers: what the card showed (rows) and what you named (columns)",
                &[
                    ("The card showed", false),
                    ("named it", true),
                    ("named another", true),
                    ("named only the kind", true),
                    ("not named", true),
                ],
            );
            for m in &report.markers {
                row(
                    &mut out,
                    &marker_words(&m.marker),
                    &[
                        m.named_it.to_string(),
                        m.named_other.to_string(),
                        m.kind_only.to_string(),
                        m.not_named.to_string(),
                    ],
                );
            }
            out.push_str("</tbody></table>");
        }
        table_head(
            &mut out,
            "Share of first attempts that named the marker (or its kind) rightly, per month",
            &[
                ("Month", false),
                ("first attempts", true),
                ("right", true),
                ("share", true),
            ],
        );
        for m in &report.recognition_by_month {
            row(
                &mut out,
                &month_words(&m.month),
                &[
                    m.tries.to_string(),
                    m.right.to_string(),
                    share(m.right, m.tries),
                ],
            );
        }
        out.push_str("</tbody></table>");
    }
    out.push_str("</section>");

    // Criteria.
    out.push_str("<section><h2>Criteria most often not yet met</h2>");
    if report.criteria_missed.is_empty() {
        out.push_str("<p>No drill in this range answered a step's criteria.</p>");
    } else {
        out.push_str(&format!("<p>{}</p>", escape(CRITERIA_INTRO)));
        for step in &report.criteria_missed {
            let _ = write!(
                out,
                "<h3>{} <small>({})</small></h3>",
                escape(&step.title),
                escape(&crate::words::count(
                    step.checked,
                    "first attempt",
                    "first attempts"
                ))
            );
            if step.criteria.is_empty() {
                out.push_str("<p>Every criterion was met each time.</p>");
                continue;
            }
            out.push_str("<ul>");
            for c in &step.criteria {
                let _ = write!(
                    out,
                    "<li>{} <small>(not yet met {} of {})</small></li>",
                    escape(&c.criterion),
                    c.times,
                    step.checked
                );
            }
            out.push_str("</ul>");
        }
    }
    out.push_str("</section>");

    // Hardest cards.
    out.push_str("<section><h2>Cards rated hardest</h2>");
    if report.hardest_cards.is_empty() {
        out.push_str("<p>No card was rated in this range.</p>");
    } else {
        table_head(
            &mut out,
            "The cards with the highest mean first-attempt rating in this range (0 easy to 10 very hard), and their latest ratings",
            &[
                ("Card", false),
                ("kind", false),
                ("times", true),
                ("mean", true),
                ("ratings, oldest first", false),
                ("first", true),
                ("latest", true),
            ],
        );
        for c in &report.hardest_cards {
            let _ = write!(
                out,
                "<tr><th scope=\"row\">{}</th><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                escape(&card_words(&c.client, &c.card)),
                escape(&c.kind),
                c.ratings.len(),
                number((c.mean() * 10.0).round() / 10.0),
                escape(&c.ratings_words()),
                c.first(),
                c.latest()
            );
        }
        out.push_str("</tbody></table>");
    }
    out.push_str("</section>");

    // Follow-ups.
    out.push_str("<section><h2>Follow-ups still waiting</h2>");
    if report.follow_ups_waiting.is_empty() {
        out.push_str("<p>None from this range.</p>");
    } else {
        out.push_str("<ul>");
        for w in &report.follow_ups_waiting {
            let _ = write!(
                out,
                "<li>{}: {} <small>({})</small></li>",
                w.started.format("%a %-d %b %Y"),
                escape(&w.step),
                escape(&w.id)
            );
        }
        out.push_str("</ul>");
    }
    out.push_str("</section>");

    if report.include_notes {
        out.push_str("<section><h2>Your notes</h2>");
        for s in report.notes.iter().filter(|s| !s.entries.is_empty()) {
            let _ = write!(
                out,
                "<h3>{} · {} <small>({})</small></h3>",
                s.started.format("%a %-d %b %Y"),
                escape(&s.mode),
                escape(&s.id)
            );
            for (heading, text) in &s.entries {
                let _ = write!(
                    out,
                    "<p><strong>{}</strong></p><p class=\"note\">{}</p>",
                    escape(heading),
                    escape(text)
                );
            }
        }
        out.push_str("</section>");
    }
    let _ = write!(out, "<footer>{}</footer>", escape(FOOTER));
    out.push_str("</main></body></html>\n");
    out
}

/// "2026-11" as "Nov 2026".
pub fn month_words(month: &str) -> String {
    chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
        .map_or_else(|_| month.to_string(), |d| d.format("%b %Y").to_string())
}

/// A card named by its client line, cut to a readable length, or its id.
pub fn card_words(client: &str, id: &str) -> String {
    const LONGEST: usize = 70;
    let line = client.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.is_empty() {
        return id.to_string();
    }
    if line.chars().count() <= LONGEST {
        return format!("“{line}”");
    }
    let cut: String = line.chars().take(LONGEST - 1).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("“{cut}…”")
}

pub const INTRO: &str = "A summary of your practice, for you, and for your supervisor if you choose to share it. \
It holds no names. It is a practice aid; it does not replace supervision.";

pub const DIFFICULTY_INTRO: &str = "The median of your own 0-10 ratings of the first attempt at each card \
(0 easy, 10 very hard). A retry straight after the models is left out: it is easier by design.";

pub const MARKER_INTRO: &str = "Before each reveal you named the marker you saw, or only its kind, or said \
you were not sure. First attempts only.";

pub const CRITERIA_INTRO: &str = "From drills, where each criterion of the step is answered after every \
first attempt. Rehearsal ticks are left out: observers tick what they saw met, not what they missed.";

pub const FOOTER: &str = "Made by repair-practice on your own computer. Ratings are your own; \
they show how practice felt, not how well anyone did.";
