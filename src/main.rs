//! `repair`: parse the command line, run the command, and turn the outcome
//! into one line on stderr and an exit status. Errors are printed here only.

use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{CommandFactory, Parser};

use repair_practice::cli::{Cli, Command};
use repair_practice::commands;
use repair_practice::sanitize;

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.practice_flags_given() && !matches!(cli.command, None | Some(Command::Practice(_))) {
        Cli::command()
            .error(
                ErrorKind::ArgumentConflict,
                "the practice flags (--protocol, --step, --focus, --scan-seconds, --no-save, --plain) \
                 go with `repair` or `repair practice` only",
            )
            .exit();
    }
    let result = match cli.command {
        None => commands::practice::run(cli.data_dir.as_deref(), &cli.practice),
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
            commands::practice::run(cli.data_dir.as_deref(), &args)
        }
        Some(Command::Validate { ref files }) => Ok(commands::protocols::validate(files)),
        Some(Command::Protocols) => commands::protocols::list(cli.data_dir.as_deref()),
        Some(Command::Notes { ref command }) => {
            commands::notes::run(cli.data_dir.as_deref(), command.as_ref())
        }
        Some(Command::FollowUp { ref id, plain }) => {
            commands::follow_up::run(cli.data_dir.as_deref(), id.as_deref(), plain)
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprintln!("repair: {}", sanitize::one_line(&error.to_string()));
            ExitCode::from(error.exit_code() as u8)
        }
    }
}
