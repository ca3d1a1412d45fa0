//! The report in Markdown: the same sections as the HTML page, with text
//! tables in place of charts and a Unicode sparkline beside each line of
//! the difficulty chart.

use std::fmt::Write;

use super::html::{
    CRITERIA_INTRO, DIFFICULTY_INTRO, FOOTER, INTRO, MARKER_INTRO, card_words, month_words,
};
use super::{Report, Series, marker_words, number, share};

/// A table cell: one line, pipes and backslashes escaped, control
/// characters dropped.
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn table(out: &mut String, headers: &[&str], right: impl Fn(usize) -> bool, rows: &[Vec<String>]) {
    let _ = writeln!(
        out,
        "| {} |",
        headers
            .iter()
            .map(|h| cell(h))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    let rule: Vec<&str> = (0..headers.len())
        .map(|i| if right(i) { "---:" } else { "---" })
        .collect();
    let _ = writeln!(out, "| {} |", rule.join(" | "));
    for r in rows {
        let _ = writeln!(
            out,
            "| {} |",
            r.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
        );
    }
    out.push('\n');
}

/// Eight heights for values 0 to 10; a gap where a period has none.
pub fn sparkline(points: &[Option<f64>]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    points
        .iter()
        .map(|p| match p {
            Some(v) => BARS[((v.clamp(0.0, 10.0) / 10.0) * 7.0).round() as usize],
            None => '·',
        })
        .collect()
}

fn difficulty(out: &mut String, report: &Report, title: &str, lines: &[Series]) {
    let _ = writeln!(out, "### {title}\n");
    let _ = writeln!(out, "{}\n", Report::difficulty_sentence(lines));
    if lines.is_empty() {
        return;
    }
    for s in lines {
        let _ = writeln!(out, "- {}: `{}`", cell(&s.name), sparkline(&s.points));
    }
    out.push('\n');
    let mut headers = vec![report.period.heading()];
    headers.extend(lines.iter().map(|s| s.name.as_str()));
    let rows: Vec<Vec<String>> = report
        .practice
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut r = vec![report.period.label(p.start)];
            r.extend(lines.iter().map(|s| {
                s.points
                    .get(i)
                    .copied()
                    .flatten()
                    .map_or("-".into(), number)
            }));
            r
        })
        .collect();
    table(out, &headers, |i| i >= 1, &rows);
}

/// The whole report.
pub fn render(report: &Report) -> String {
    let mut out = String::with_capacity(8 * 1024);
    if let Some(warning) = report.notes_warning() {
        let _ = writeln!(out, "**{warning}**\n");
    }
    let _ = writeln!(out, "# Practice report\n");
    let _ = writeln!(
        out,
        "{} · {} · made {}\n",
        report.range_words(),
        cell(&report.protocol),
        report.made.format("%-d %b %Y")
    );
    let _ = writeln!(out, "{INTRO}\n");

    let _ = writeln!(out, "## Practice\n");
    let _ = writeln!(out, "{}\n", report.practice_sentence());
    let rows: Vec<Vec<String>> = report
        .practice
        .iter()
        .map(|p| {
            vec![
                report.period.label(p.start),
                p.walks.to_string(),
                p.preps.to_string(),
                p.drills.to_string(),
                p.rehearsals.to_string(),
                p.minutes.to_string(),
            ]
        })
        .collect();
    table(
        &mut out,
        &[
            report.period.heading(),
            "Walks",
            "Preps",
            "Drills",
            "Rehearsals",
            "Minutes",
        ],
        |i| i >= 1,
        &rows,
    );

    let _ = writeln!(out, "## How hard the first attempts felt\n");
    let _ = writeln!(out, "{DIFFICULTY_INTRO}\n");
    difficulty(
        &mut out,
        report,
        "By kind of rupture",
        &report.difficulty_by_kind,
    );
    difficulty(&mut out, report, "By step", &report.difficulty_by_step);

    let _ = writeln!(out, "## Recognising the marker\n");
    if report.kinds.is_empty() {
        let _ = writeln!(out, "No cards were answered in this range.\n");
    } else {
        let _ = writeln!(out, "{MARKER_INTRO}\n");
        let rows: Vec<Vec<String>> = report
            .kinds
            .iter()
            .map(|k| {
                vec![
                    k.kind.clone(),
                    k.named_withdrawal.to_string(),
                    k.named_confrontation.to_string(),
                    k.not_named.to_string(),
                    share(k.right(), k.tries()),
                ]
            })
            .collect();
        table(
            &mut out,
            &[
                "The card was",
                "named withdrawal",
                "named confrontation",
                "not named",
                "right",
            ],
            |i| i >= 1,
            &rows,
        );
        if !report.markers.is_empty() {
            let rows: Vec<Vec<String>> = report
                .markers
                .iter()
                .map(|m| {
                    vec![
                        marker_words(&m.marker),
                        m.named_it.to_string(),
                        m.named_other.to_string(),
                        m.kind_only.to_string(),
                        m.not_named.to_string(),
                    ]
                })
                .collect();
            table(
                &mut out,
                &[
                    "The card showed",
                    "named it",
                    "named another",
                    "named only the kind",
                    "not named",
                ],
                |i| i >= 1,
                &rows,
            );
        }
        let rows: Vec<Vec<String>> = report
            .recognition_by_month
            .iter()
            .map(|m| {
                vec![
                    month_words(&m.month),
                    m.tries.to_string(),
                    m.right.to_string(),
                    share(m.right, m.tries),
                ]
            })
            .collect();
        table(
            &mut out,
            &["Month", "first attempts", "right", "share"],
            |i| i >= 1,
            &rows,
        );
    }

    let _ = writeln!(out, "## Criteria most often not yet met\n");
    if report.criteria_missed.is_empty() {
        let _ = writeln!(out, "No drill in this range answered a step's criteria.\n");
    } else {
        let _ = writeln!(out, "{CRITERIA_INTRO}\n");
        for step in &report.criteria_missed {
            let _ = writeln!(
                out,
                "### {} ({})\n",
                cell(&step.title),
                crate::words::count(step.checked, "first attempt", "first attempts")
            );
            if step.criteria.is_empty() {
                let _ = writeln!(out, "Every criterion was met each time.\n");
                continue;
            }
            for c in &step.criteria {
                let _ = writeln!(
                    out,
                    "- {} (not yet met {} of {})",
                    cell(&c.criterion),
                    c.times,
                    step.checked
                );
            }
            out.push('\n');
        }
    }

    let _ = writeln!(out, "## Cards rated hardest\n");
    if report.hardest_cards.is_empty() {
        let _ = writeln!(out, "No card was rated in this range.\n");
    } else {
        let rows: Vec<Vec<String>> = report
            .hardest_cards
            .iter()
            .map(|c| {
                vec![
                    card_words(&c.client, &c.card),
                    c.kind.clone(),
                    c.ratings.len().to_string(),
                    number((c.mean() * 10.0).round() / 10.0),
                    c.ratings_words(),
                    c.first().to_string(),
                    c.latest().to_string(),
                ]
            })
            .collect();
        table(
            &mut out,
            &[
                "Card",
                "kind",
                "times",
                "mean",
                "ratings, oldest first",
                "first",
                "latest",
            ],
            |i| i == 2 || i == 3 || i >= 5,
            &rows,
        );
    }

    let _ = writeln!(out, "## Follow-ups still waiting\n");
    if report.follow_ups_waiting.is_empty() {
        let _ = writeln!(out, "None from this range.\n");
    } else {
        for w in &report.follow_ups_waiting {
            let _ = writeln!(
                out,
                "- {}: {} ({})",
                w.started.format("%a %-d %b %Y"),
                cell(&w.step),
                w.id
            );
        }
        out.push('\n');
    }

    if report.include_notes {
        let _ = writeln!(out, "## Your notes\n");
        for s in report.notes.iter().filter(|s| !s.entries.is_empty()) {
            let _ = writeln!(
                out,
                "### {} · {} ({})\n",
                s.started.format("%a %-d %b %Y"),
                s.mode,
                s.id
            );
            for (heading, text) in &s.entries {
                let _ = writeln!(out, "**{}**\n", cell(heading));
                for line in text.lines() {
                    let _ = writeln!(out, "> {}", line.trim_end());
                }
                out.push('\n');
            }
        }
    }
    let _ = writeln!(out, "---\n\n{FOOTER}");
    out
}
