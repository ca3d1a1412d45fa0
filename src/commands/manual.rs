//! `repair completions SHELL` and `repair man`: the command line describing
//! itself, generated from the same clap definitions that parse it, so the
//! completions and the manual page can never fall out of step with it.
//!
//! The manual is one page: every command and its options (from clap), the
//! keys (from the same tables the views use), the environment, the files
//! and the exit status. It refers to no other page of its own.

use std::fmt::Write as _;
use std::io::{self, Write};

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;
use crate::error::Error;
use crate::tui::history::model as browser;

/// Prints the completion script for `shell` on stdout.
pub fn completions(shell: Shell) -> Result<u8, Error> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "repair", &mut out);
    write_out(&out)
}

/// Prints the manual page (roff, for `man`) on stdout.
pub fn man() -> Result<u8, Error> {
    write_out(page().as_bytes())
}

/// Text made safe for roff: backslashes and leading dots or quotes.
fn roff(text: &str) -> String {
    let text = text.replace('\\', "\\e").replace('-', "\\-");
    if text.starts_with('.') || text.starts_with('\'') {
        format!("\\&{text}")
    } else {
        text
    }
}

/// The options of one command, as a tagged list.
fn options(out: &mut String, command: &clap::Command) {
    for arg in command.get_arguments() {
        if arg.is_hide_set() {
            continue;
        }
        let mut names = Vec::new();
        if let Some(short) = arg.get_short() {
            names.push(format!("\\fB\\-{short}\\fR"));
        }
        if let Some(long) = arg.get_long() {
            names.push(format!("\\fB\\-\\-{}\\fR", roff(long)));
        }
        let takes = arg.get_action().takes_values();
        let value = match arg.get_value_names() {
            Some(values) if takes => format!(
                " \\fI{}\\fR",
                values
                    .iter()
                    .map(|v| roff(v.as_str()))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            _ if takes && names.is_empty() => {
                format!("\\fI{}\\fR", roff(&arg.get_id().as_str().to_uppercase()))
            }
            _ => String::new(),
        };
        let help = arg
            .get_long_help()
            .or_else(|| arg.get_help())
            .map(|h| roff(&h.to_string()))
            .unwrap_or_default();
        let _ = writeln!(out, ".TP\n{}{value}\n{help}", names.join(", "));
    }
}

/// Every command under `command`, depth first, each with its options.
fn commands(out: &mut String, command: &clap::Command, path: &str) {
    for sub in command.get_subcommands() {
        if sub.is_hide_set() || sub.get_name() == "help" {
            continue;
        }
        let name = format!("{path} {}", sub.get_name());
        let _ = writeln!(out, ".SS \"{}\"", roff(&name));
        if let Some(about) = sub.get_long_about().or_else(|| sub.get_about()) {
            let _ = writeln!(out, "{}", roff(&about.to_string()));
        }
        options(out, sub);
        commands(out, sub, &name);
    }
}

/// A key table as a tagged list.
fn keys(out: &mut String, title: &str, rows: &[(&str, &str)]) {
    let _ = writeln!(out, ".SS \"{}\"", roff(title));
    for (key, what) in rows {
        let _ = writeln!(out, ".TP\n\\fB{}\\fR\n{}", roff(key), roff(what));
    }
}

/// The whole manual page.
pub fn page() -> String {
    let cli = Cli::command();
    let mut out = String::new();
    let version = cli.get_version().unwrap_or("");
    let _ = writeln!(
        out,
        ".TH repair 1 \"\" \"repair-practice {}\" \"User Commands\"",
        roff(version)
    );
    let _ = writeln!(
        out,
        ".SH NAME\nrepair \\- {}",
        roff(&cli.get_about().map(|a| a.to_string()).unwrap_or_default())
    );
    let _ = writeln!(
        out,
        ".SH SYNOPSIS\n\\fBrepair\\fR [\\fIOPTIONS\\fR] [\\fICOMMAND\\fR] [\\fICOMMAND OPTIONS\\fR]"
    );
    let description: Vec<String> = [
        cli.get_long_about(),
        cli.get_after_long_help().or_else(|| cli.get_after_help()),
    ]
    .into_iter()
    .flatten()
    .map(|text| roff(&text.to_string()))
    .collect();
    if !description.is_empty() {
        let _ = writeln!(out, ".SH DESCRIPTION\n{}", description.join("\n.PP\n"));
    }
    let _ = writeln!(out, ".SH OPTIONS");
    options(&mut out, &cli);
    let _ = writeln!(
        out,
        ".SH COMMANDS\nWith no command, \\fBrepair\\fR is \\fBrepair practice\\fR. \
         Each command's own options go after its name."
    );
    commands(&mut out, &cli, "repair");

    let _ = writeln!(
        out,
        ".SH KEYS\nEvery full\\-screen view shows its keys in a footer and lists them all with \\fBF1\\fR."
    );
    let walk: Vec<(&str, &str)> = crate::tui::walk::keys::WALK
        .iter()
        .map(|b| (b.label, b.help))
        .collect();
    keys(&mut out, "The walk-through", &walk);
    for (title, table) in [
        ("The notes browser: the list", browser::LIST),
        ("The notes browser: typing a filter", browser::FILTER),
        ("The notes browser: reading a session", browser::READING),
        ("The notes browser: the stats", browser::STATS),
    ] {
        let rows: Vec<(&str, &str)> = browser::help_rows(table)
            .iter()
            .map(|b| (b.label, b.help))
            .collect();
        keys(&mut out, title, &rows);
    }

    let _ = writeln!(
        out,
        ".SH ENVIRONMENT\n\
         .TP\n\\fBREPAIR_DATA_DIR\\fR\nThe data directory, unless \\fB\\-\\-data\\-dir\\fR is given.\n\
         .TP\n\\fBREPAIR_CONFIG\\fR\nThe settings file to read instead of the usual one.\n\
         .TP\n\\fBNO_COLOR\\fR\nNo colour (set to anything but empty), whatever the theme setting says, unless \\fB\\-\\-color always\\fR is given.\n\
         .TP\n\\fBXDG_CONFIG_HOME\\fR, \\fBXDG_DATA_HOME\\fR\nWhere the settings and the data directory are looked for on Linux."
    );
    let _ = writeln!(
        out,
        ".SH FILES\n\
         .TP\n\\fI~/.config/repair\\-practice/config.toml\\fR\nThe settings (optional; every key is optional).\n\
         .TP\n\\fI~/.local/share/repair\\-practice/\\fR\nThe data directory (\\fBrepair notes path\\fR prints the one in use), mode 0700.\n\
         .TP\n\\fI<data dir>/sessions/*.json\\fR\nOne file per session, mode 0600; \\fI*.json.age\\fR when encrypted.\n\
         .TP\n\\fI<data dir>/identity.age\\fR\nThe key that seals encrypted notes, wrapped with your passphrase.\n\
         .TP\n\\fI<data dir>/protocols/*.toml\\fR\nYour own protocols (\\fBrepair protocols new\\fR)."
    );
    let _ = writeln!(
        out,
        ".SH \"EXIT STATUS\"\n\
         .TP\n\\fB0\\fR\nDone (also: a session quit and kept as unfinished).\n\
         .TP\n\\fB1\\fR\nA problem, said in one line on standard error (notes that could not be saved are printed first).\n\
         .TP\n\\fB2\\fR\nA mistake on the command line.\n\
         .TP\n\\fB128 + N\\fR\nStopped by signal N (SIGINT, SIGTERM, SIGHUP), after saving what there was."
    );
    let _ = writeln!(
        out,
        ".SH NOTES\nPractice with this tool is not a substitute for supervision. \
         Notes stay on this computer; nothing is sent anywhere."
    );
    out
}

fn write_out(bytes: &[u8]) -> Result<u8, Error> {
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.flush())
        .map_err(Error::Output)?;
    Ok(0)
}
