//! Writes the built-in protocol's steps as Rust (`builtin_steps.rs`), so a
//! start builds them instead of parsing and checking TOML: that parse was
//! over half of the work before the first frame. The file is made from
//! `steps/rupture-repair.toml` by this module and kept in the repository;
//! `builtin_steps_are_the_files_steps` fails when the two differ and says
//! how to make it again. Test-only: a released program never writes it.

use std::fmt::Write;

use super::{Breath, Criterion, Pause, Protocol, Resource, ScenarioKind, Step};

/// The whole of `builtin_steps.rs` for `protocol`, which must have no cards
/// (they are set aside and read only when a mode deals them).
pub fn builtin_steps_file(protocol: &Protocol) -> String {
    assert!(
        protocol.scenarios.is_empty(),
        "the steps' form holds no cards"
    );
    let mut out = String::new();
    out.push_str(
        "// @generated from steps/rupture-repair.toml by src/protocol/rust_form.rs.\n\
         // Do not edit: change the TOML file, then run\n\
         //     REPAIR_REGENERATE=1 cargo test --lib builtin_steps\n\
         // (the test fails while this file and the TOML file differ).\n\n\
         use super::*;\n\n\
         /// The built-in protocol's steps, checked when this file was made.\n\
         pub fn protocol() -> Protocol {\n",
    );
    out.push_str("    Protocol {\n");
    field(&mut out, 2, "format", &protocol.format.to_string());
    field(&mut out, 2, "id", &string(&protocol.id));
    field(&mut out, 2, "title", &string(&protocol.title));
    field(&mut out, 2, "summary", &option(&protocol.summary));
    field(&mut out, 2, "source", &option(&protocol.source));
    field(&mut out, 2, "focus", &option(&protocol.focus));
    let steps: Vec<String> = protocol.steps.iter().map(step).collect();
    field(&mut out, 2, "steps", &list(&steps, 3));
    field(&mut out, 2, "scenarios", "Vec::new()");
    let resolution: Vec<String> = protocol
        .resolution
        .iter()
        .map(|(kind, text)| format!("({}, {})", kind_path(*kind), string(text)))
        .collect();
    field(&mut out, 2, "resolution", &list(&resolution, 3));
    let resources: Vec<String> = protocol.resources.iter().map(resource).collect();
    field(&mut out, 2, "resources", &list(&resources, 3));
    out.push_str("    }\n}\n");
    out
}

fn step(step: &Step) -> String {
    let mut out = String::from("Step {\n");
    field(&mut out, 4, "id", &string(&step.id));
    field(&mut out, 4, "title", &string(&step.title));
    field(&mut out, 4, "guidance", &string(&step.guidance));
    field(&mut out, 4, "prompts", &strings(&step.prompts, 5));
    field(&mut out, 4, "stems", &strings(&step.stems, 5));
    field(&mut out, 4, "follow_up", &step.follow_up.to_string());
    let pause = match &step.pause {
        Some(p) => format!("Some({})", pause(p)),
        None => "None".to_string(),
    };
    field(&mut out, 4, "pause", &pause);
    let criteria: Vec<String> = step.criteria.iter().map(criterion).collect();
    field(&mut out, 4, "criteria", &list(&criteria, 5));
    field(&mut out, 4, "observable", &step.observable.to_string());
    out.push_str(&indent(3));
    out.push('}');
    out
}

fn pause(pause: &Pause) -> String {
    let mut out = String::from("Pause {\n");
    field(&mut out, 5, "seconds", &pause.seconds.to_string());
    field(&mut out, 5, "cues", &strings(&pause.cues, 6));
    field(&mut out, 5, "breath", &breath(pause.breath));
    field(&mut out, 5, "pacer", &breath(pause.pacer));
    out.push_str(&indent(4));
    out.push('}');
    out
}

fn breath(breath: Option<Breath>) -> String {
    match breath {
        Some(Breath { inhale, exhale }) => {
            format!("Some(Breath {{ inhale: {inhale}, exhale: {exhale} }})")
        }
        None => "None".to_string(),
    }
}

fn criterion(criterion: &Criterion) -> String {
    format!(
        "Criterion {{ id: {}, text: {} }}",
        string(&criterion.id),
        string(&criterion.text)
    )
}

fn resource(resource: &Resource) -> String {
    format!(
        "Resource {{ title: {}, location: {}, note: {} }}",
        string(&resource.title),
        string(&resource.location),
        option(&resource.note)
    )
}

fn kind_path(kind: ScenarioKind) -> &'static str {
    match kind {
        ScenarioKind::Withdrawal => "ScenarioKind::Withdrawal",
        ScenarioKind::Confrontation => "ScenarioKind::Confrontation",
    }
}

/// A Rust expression making `text` as a `String`. `{:?}` writes a string
/// as a Rust literal would (quotes, backslashes, newlines and invisible
/// characters escaped), so any text the checker lets through reads back
/// unchanged.
fn string(text: &str) -> String {
    format!("String::from({text:?})")
}

fn option(text: &Option<String>) -> String {
    match text {
        Some(text) => format!("Some({})", string(text)),
        None => "None".to_string(),
    }
}

fn strings(texts: &[String], depth: usize) -> String {
    let items: Vec<String> = texts.iter().map(|t| string(t)).collect();
    list(&items, depth)
}

fn list(items: &[String], depth: usize) -> String {
    if items.is_empty() {
        return "Vec::new()".to_string();
    }
    let mut out = String::from("vec![\n");
    for item in items {
        let _ = writeln!(out, "{}{item},", indent(depth));
    }
    out.push_str(&indent(depth - 1));
    out.push(']');
    out
}

fn field(out: &mut String, depth: usize, name: &str, value: &str) {
    let _ = writeln!(out, "{}{name}: {value},", indent(depth));
}

fn indent(depth: usize) -> String {
    "    ".repeat(depth)
}
