//! The report's two charts as inline SVG: stacked bars (practice per
//! period) and lines (difficulty over time). Each series differs in more
//! than colour (a hatch or a dash and a point shape), so a chart prints
//! readably in black and white; every chart carries a `<title>` and a
//! `<desc>`, and the page puts a table beside it.

use std::fmt::Write;

use super::markup::escape;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 36.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 40.0;

/// One stacked part of the bars.
pub struct Stack<'a> {
    pub name: &'a str,
    pub values: Vec<usize>,
}

/// Fills for up to four stacks: colour plus a hatch pattern.
const FILLS: [(&str, &str); 4] = [
    ("#2f6f8f", "solid"),
    ("#c77d2e", "diagonal"),
    ("#5b8c4a", "dots"),
    ("#7a5a9e", "cross"),
];

/// Dashes and point shapes for up to six lines.
const LINES: [(&str, &str, Shape); 6] = [
    ("#2f6f8f", "", Shape::Circle),
    ("#c77d2e", "6 3", Shape::Square),
    ("#5b8c4a", "2 3", Shape::Diamond),
    ("#7a5a9e", "8 3 2 3", Shape::Circle),
    ("#8f2f4a", "4 4", Shape::Square),
    ("#4a4a4a", "1 2", Shape::Diamond),
];

#[derive(Clone, Copy)]
enum Shape {
    Circle,
    Square,
    Diamond,
}

/// Where each legend entry goes: its x and its row, wrapping before the
/// right edge so no name is cut.
fn legend_places(names: &[&str]) -> Vec<(f64, usize)> {
    let mut places = Vec::new();
    let (mut x, mut row) = (LEFT, 0);
    for name in names {
        let width = 24.0 + 6.5 * name.chars().count() as f64;
        if x > LEFT && x + width > WIDTH - RIGHT {
            x = LEFT;
            row += 1;
        }
        places.push((x, row));
        x += width;
    }
    places
}

const LEGEND_ROW: f64 = 14.0;

fn open(out: &mut String, id: &str, title: &str, desc: &str, names: &[&str]) {
    let rows = legend_places(names).last().map_or(0, |&(_, row)| row);
    let height = HEIGHT + LEGEND_ROW * rows as f64;
    let _ = write!(
        out,
        r#"<svg viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{id}-t {id}-d" class="chart"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        escape(title),
        escape(desc)
    );
}

fn patterns(out: &mut String, id: &str) {
    out.push_str("<defs>");
    for (i, (colour, hatch)) in FILLS.iter().enumerate() {
        let _ = write!(
            out,
            r#"<pattern id="{id}-p{i}" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="{colour}"/>"#
        );
        match *hatch {
            "diagonal" => {
                out.push_str(r##"<path d="M0 6 L6 0" stroke="#fff" stroke-width="1.2"/>"##)
            }
            "dots" => out.push_str(r##"<circle cx="3" cy="3" r="1.2" fill="#fff"/>"##),
            "cross" => {
                out.push_str(r##"<path d="M0 3 H6 M3 0 V6" stroke="#fff" stroke-width="1"/>"##)
            }
            _ => {}
        }
        out.push_str("</pattern>");
    }
    out.push_str("</defs>");
}

fn axes(out: &mut String, max: f64, ticks: &[String], y_label: &str) {
    let plot_h = HEIGHT - TOP - BOTTOM;
    let _ = write!(
        out,
        r##"<g class="axes" stroke="#555" stroke-width="1"><line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{}"/><line x1="{LEFT}" y1="{}" x2="{}" y2="{}"/></g>"##,
        HEIGHT - BOTTOM,
        HEIGHT - BOTTOM,
        WIDTH - RIGHT,
        HEIGHT - BOTTOM
    );
    for step in 0..=4 {
        let value = max * f64::from(step) / 4.0;
        let y = HEIGHT - BOTTOM - plot_h * f64::from(step) / 4.0;
        let _ = write!(
            out,
            r##"<text x="{}" y="{:.1}" font-size="10" text-anchor="end" fill="#333">{}</text>"##,
            LEFT - 4.0,
            y + 3.0,
            super::number((value * 10.0).round() / 10.0)
        );
    }
    let _ = write!(
        out,
        r##"<text x="4" y="{}" font-size="10" fill="#333" transform="rotate(-90 8 {})">{}</text>"##,
        HEIGHT / 2.0,
        HEIGHT / 2.0,
        escape(y_label)
    );
    let every = ticks.len().div_ceil(8).max(1);
    for (i, tick) in ticks.iter().enumerate().filter(|(i, _)| i % every == 0) {
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{}" font-size="10" text-anchor="middle" fill="#333">{}</text>"##,
            x_of(i, ticks.len()),
            HEIGHT - BOTTOM + 14.0,
            escape(tick)
        );
    }
}

fn x_of(i: usize, n: usize) -> f64 {
    let plot_w = WIDTH - LEFT - RIGHT;
    let slot = plot_w / n.max(1) as f64;
    LEFT + slot * (i as f64 + 0.5)
}

fn legend(out: &mut String, names: &[&str], mut key: impl FnMut(&mut String, usize, f64, f64)) {
    for (i, (name, (x, row))) in names.iter().zip(legend_places(names)).enumerate() {
        let y = HEIGHT - 10.0 + LEGEND_ROW * row as f64;
        key(out, i, x, y);
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{:.1}" font-size="10" fill="#222">{}</text>"##,
            x + 16.0,
            y + 3.5,
            escape(name)
        );
    }
}

/// Stacked bars, one per period.
pub fn bars(id: &str, title: &str, desc: &str, ticks: &[String], stacks: &[Stack<'_>]) -> String {
    let mut out = String::new();
    let names: Vec<&str> = stacks.iter().map(|s| s.name).collect();
    open(&mut out, id, title, desc, &names);
    patterns(&mut out, id);
    let n = ticks.len();
    let totals: Vec<usize> = (0..n)
        .map(|i| {
            stacks
                .iter()
                .map(|s| s.values.get(i).copied().unwrap_or(0))
                .sum()
        })
        .collect();
    let max = totals.iter().copied().max().unwrap_or(0).max(1);
    // A round top for the axis: 4 ticks of whole sessions.
    let top = (max.div_ceil(4) * 4) as f64;
    axes(&mut out, top, ticks, "sessions");
    let plot_h = HEIGHT - TOP - BOTTOM;
    let slot = (WIDTH - LEFT - RIGHT) / n.max(1) as f64;
    let bar_w = (slot * 0.7).max(1.0);
    for (i, tick) in ticks.iter().enumerate() {
        let mut base = HEIGHT - BOTTOM;
        for (k, stack) in stacks.iter().enumerate() {
            let value = stack.values.get(i).copied().unwrap_or(0);
            if value == 0 {
                continue;
            }
            let h = plot_h * value as f64 / top;
            base -= h;
            let _ = write!(
                out,
                r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="url(#{id}-p{})" stroke="#222" stroke-width="0.5"><title>{}: {}</title></rect>"##,
                x_of(i, n) - bar_w / 2.0,
                base,
                bar_w,
                h,
                k % FILLS.len(),
                escape(tick),
                escape(&format!("{value} {}", stack.name))
            );
        }
    }
    legend(&mut out, &names, |out, i, x, y| {
        let _ = write!(
            out,
            r##"<rect x="{x:.1}" y="{:.1}" width="12" height="8" fill="url(#{id}-p{})" stroke="#222" stroke-width="0.5"/>"##,
            y - 2.0,
            i % FILLS.len()
        );
    });
    out.push_str("</svg>");
    out
}

/// A line of a line chart: a name and one optional value per period.
pub struct Line<'a> {
    pub name: &'a str,
    pub points: &'a [Option<f64>],
}

fn point(out: &mut String, shape: Shape, colour: &str, x: f64, y: f64) {
    let _ = match shape {
        Shape::Circle => write!(
            out,
            r#"<circle cx="{x:.1}" cy="{y:.1}" r="3" fill="{colour}"/>"#
        ),
        Shape::Square => write!(
            out,
            r#"<rect x="{:.1}" y="{:.1}" width="6" height="6" fill="{colour}"/>"#,
            x - 3.0,
            y - 3.0
        ),
        Shape::Diamond => write!(
            out,
            r#"<path d="M{x:.1} {:.1} L{:.1} {y:.1} L{x:.1} {:.1} L{:.1} {y:.1} Z" fill="{colour}"/>"#,
            y - 4.0,
            x + 4.0,
            y + 4.0,
            x - 4.0
        ),
    };
}

/// Lines over periods, on a fixed 0 to `max` scale; a period without a
/// value breaks the line.
pub fn lines(
    id: &str,
    title: &str,
    desc: &str,
    ticks: &[String],
    max: f64,
    lines: &[Line<'_>],
) -> String {
    let mut out = String::new();
    let names: Vec<&str> = lines.iter().map(|l| l.name).collect();
    open(&mut out, id, title, desc, &names);
    axes(&mut out, max, ticks, "difficulty 0-10");
    let plot_h = HEIGHT - TOP - BOTTOM;
    let n = ticks.len();
    let y_of = |v: f64| HEIGHT - BOTTOM - plot_h * v.clamp(0.0, max) / max;
    for (k, line) in lines.iter().enumerate() {
        let (colour, dash, shape) = LINES[k % LINES.len()];
        let mut path = String::new();
        let mut pen_down = false;
        for (i, value) in line.points.iter().enumerate() {
            match value {
                Some(v) => {
                    let _ = write!(
                        path,
                        "{}{:.1} {:.1} ",
                        if pen_down { "L" } else { "M" },
                        x_of(i, n),
                        y_of(*v)
                    );
                    pen_down = true;
                }
                None => pen_down = false,
            }
        }
        if !path.is_empty() {
            let _ = write!(
                out,
                r#"<path d="{}" fill="none" stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/>"#,
                path.trim_end()
            );
        }
        for (i, value) in line.points.iter().enumerate() {
            if let Some(v) = value {
                point(&mut out, shape, colour, x_of(i, n), y_of(*v));
            }
        }
    }
    legend(&mut out, &names, |out, i, x, y| {
        let (colour, dash, shape) = LINES[i % LINES.len()];
        let _ = write!(
            out,
            r#"<line x1="{x:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/>"#,
            x + 12.0
        );
        point(out, shape, colour, x + 6.0, y);
    });
    out.push_str("</svg>");
    out
}
