//! `repair`: parse the command line, run the command, and turn the outcome
//! into one line on stderr and an exit status. Errors are printed here only.

use std::process::ExitCode;

// A closed or full stderr or stdout (`2>/dev/full`) never panics: these
// shadow the standard macros (see the library's own).
macro_rules! eprintln {
    ($($arg:tt)*) => { repair_practice::write_stderr(format_args!("{}\n", format_args!($($arg)*))) };
}
#[allow(unused_macros)]
macro_rules! println {
    ($($arg:tt)*) => { repair_practice::write_stdout(format_args!("{}\n", format_args!($($arg)*))) };
}

use clap::error::ErrorKind;
use clap::{CommandFactory, Parser};

use repair_practice::cli::{Cli, Command, ProtocolsCommand};
use repair_practice::commands;
use repair_practice::sanitize;
use repair_practice::settings::{self, Settings};
use repair_practice::tui::Presentation;

fn main() -> ExitCode {
    let mut cli = Cli::parse();
    repair_practice::passphrase::set_source(cli.passphrase_fd);
    if cli.practice_flags_given() && !matches!(cli.command, None | Some(Command::Practice(_))) {
        Cli::command()
            .error(ErrorKind::ArgumentConflict, cli.misplaced_practice_flags())
            .exit();
    }
    // The settings are read before anything else runs; a settings file with
    // a mistake stops every command that uses it. Commands that need no
    // settings (validate, protocols schema, completions, man) work whatever
    // the file says, so the manual can always be read.
    let uses_settings = !matches!(
        cli.command,
        Some(
            Command::Validate { .. }
                | Command::Protocols {
                    command: Some(ProtocolsCommand::Schema)
                }
                | Command::Completions { .. }
                | Command::Man
        )
    );
    let file = if uses_settings {
        match settings::load(|name| std::env::var_os(name)) {
            Ok(file) => file,
            Err(error) => {
                for problem in &error.problems {
                    eprintln!("{problem}");
                }
                eprintln!(
                    "repair: the settings file has a mistake, so repair did not start; \
                     fix what is shown above (the README lists every setting)"
                );
                return ExitCode::from(1);
            }
        }
    } else {
        Settings::default()
    };
    let practice_flags = match &cli.command {
        Some(Command::Practice(args)) => args.or(&cli.practice),
        _ => cli.practice.clone(),
    };
    if practice_flags.save && practice_flags.no_save {
        Cli::command()
            .error(
                ErrorKind::ArgumentConflict,
                "--save and --no-save say opposite things; give only one",
            )
            .exit();
    }
    let choices = settings::resolve(
        &commands::practice::flags(&cli, &practice_flags),
        |name| std::env::var_os(name),
        &file,
    );
    // Every command sees the data directory the settings chose, as if it
    // had been given with --data-dir.
    cli.data_dir = choices.data_dir.clone();
    let result = match cli.command {
        None => commands::practice::run(cli.data_dir.as_deref(), &cli.practice, &file, &choices),
        Some(Command::Practice(ref args)) => {
            let args = args.or(&cli.practice);
            if args.step.is_some() && args.focus {
                Cli::command()
                    .error(
                        ErrorKind::ArgumentConflict,
                        "--step and --focus both pick the step to drill; give only one",
                    )
                    .exit();
            }
            if args.resume.is_some() && (args.step.is_some() || args.focus) {
                Cli::command()
                    .error(
                        ErrorKind::ArgumentConflict,
                        "--resume continues a session as it was; it cannot be combined with --step or --focus",
                    )
                    .exit();
            }
            commands::practice::run(cli.data_dir.as_deref(), &args, &file, &choices)
        }
        Some(Command::Validate { ref files }) => Ok(commands::protocols::validate(files)),
        Some(Command::Protocols { command: None }) => {
            commands::protocols::list(cli.data_dir.as_deref())
        }
        Some(Command::Protocols {
            command: Some(ref command),
        }) => commands::protocols::run(cli.data_dir.as_deref(), command),
        Some(Command::Prep(ref args)) => commands::prep::run(
            cli.data_dir.as_deref(),
            args,
            &file,
            Presentation::from_choices(&choices),
        ),
        Some(Command::Rehearse(ref args)) => commands::rehearse::run(
            cli.data_dir.as_deref(),
            args,
            Presentation::from_choices(&choices),
        ),
        Some(Command::Drill(ref args)) => commands::drill::run(
            cli.data_dir.as_deref(),
            args,
            &file,
            Presentation::from_choices(&choices),
        ),
        Some(Command::Notes { ref command }) => {
            commands::notes::run(cli.data_dir.as_deref(), command.as_ref(), &file, &choices)
        }
        Some(Command::FollowUp { ref id, plain }) => commands::follow_up::run(
            cli.data_dir.as_deref(),
            id.as_deref(),
            plain,
            &file,
            &choices,
        ),
        Some(Command::Completions { shell }) => commands::manual::completions(shell),
        Some(Command::Man) => commands::manual::man(),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprintln!("repair: {}", sanitize::one_line(&error.to_string()));
            ExitCode::from(1)
        }
    }
}
