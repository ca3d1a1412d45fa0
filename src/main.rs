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

use repair_practice::cli::{Cli, Command, PracticeArgs, ProtocolsCommand};
use repair_practice::commands::{self, Context};
use repair_practice::sanitize;
use repair_practice::settings::{self, Settings};

fn main() -> ExitCode {
    let cli = Cli::from_args();
    repair_practice::passphrase::set_source(cli.passphrase_fd);
    let practice = cli.practice_args().unwrap_or_else(|error| error.exit());
    cli.check_values().unwrap_or_else(|error| error.exit());
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
            // A command that writes does not guess where notes go or
            // whether they are kept; anything else goes on with warnings.
            Err(error) if error.decisive && writes(&cli.command) => {
                for problem in &error.problems {
                    eprintln!("{problem}");
                }
                eprintln!(
                    "repair: the settings file has a mistake, so repair did not start; \
                     fix what is shown above (docs/guide.md lists every setting)"
                );
                return ExitCode::from(1);
            }
            Err(error) => {
                for warning in error.warnings() {
                    eprintln!("{warning}");
                }
                *error.settings
            }
        }
    } else {
        Settings::default()
    };
    // The composition root: flags, environment and settings weighed once,
    // for every command.
    let choices = settings::resolve(
        &flags(&cli, &practice),
        |name| std::env::var_os(name),
        &file,
    );
    let ctx = Context::new(file, choices);
    let data_dir = ctx.data_dir();
    let result = match &cli.command {
        None | Some(Command::Practice(_)) => commands::practice::run(&ctx, &practice),
        Some(Command::Validate { files }) => Ok(commands::protocols::validate(files)),
        Some(Command::Protocols { command: None }) => commands::protocols::list(data_dir),
        Some(Command::Protocols {
            command: Some(command),
        }) => commands::protocols::run(data_dir, command),
        Some(Command::Prep(args)) => commands::prep::run(&ctx, args),
        Some(Command::Rehearse(args)) => commands::rehearse::run(&ctx, args),
        Some(Command::Drill(args)) => commands::drill::run(&ctx, args),
        Some(Command::Notes { command }) => commands::notes::run(&ctx, command.as_ref()),
        Some(Command::FollowUp { id, plain }) => {
            commands::follow_up::run(&ctx, id.as_deref(), *plain)
        }
        Some(Command::Completions { shell }) => commands::manual::completions(*shell),
        Some(Command::Man) => commands::manual::man(),
        Some(Command::Report(args)) => commands::report::run(&ctx, args),
        Some(Command::Deck {
            command: Some(command),
            ..
        }) => commands::report::deck(&ctx, command),
        Some(Command::Deck {
            command: None,
            view,
        }) => commands::deck::run(&ctx, view),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        // The reader went away (`repair notes list | head`): it has what it
        // wanted, so this is no error to report.
        Err(repair_practice::error::Error::Output(e))
            if e.kind() == std::io::ErrorKind::BrokenPipe =>
        {
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("repair: {}", sanitize::one_line(&error.to_string()));
            ExitCode::from(1)
        }
    }
}

/// Whether the command may write notes or files in the data directory
/// (a mistake in `data_dir` or `save` stops those); reading, listing and
/// exporting notes go on whatever the settings file holds.
fn writes(command: &Option<Command>) -> bool {
    use repair_practice::cli::NotesCommand;
    match command {
        Some(Command::Notes { command }) => !matches!(
            command,
            None | Some(
                NotesCommand::List { .. }
                    | NotesCommand::Show { .. }
                    | NotesCommand::Export { .. }
                    | NotesCommand::Stats { .. }
                    | NotesCommand::Path
            )
        ),
        Some(Command::Protocols { command: None }) => false,
        Some(Command::Deck { command: None, .. }) => false,
        Some(Command::FollowUp { id: None, .. }) => false,
        _ => true,
    }
}

/// The flags that have a setting behind them, from the command line: the
/// practice flags for a walk, each mode's own for prep and drill.
fn flags(cli: &Cli, practice: &PracticeArgs) -> settings::Flags {
    let save = |save: bool, no_save: bool| match (save, no_save) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    };
    let mut flags = settings::Flags {
        data_dir: cli.data_dir.clone(),
        color: cli.color,
        ..settings::Flags::default()
    };
    match &cli.command {
        None | Some(Command::Practice(_)) => {
            flags.protocol = practice.protocol.clone();
            flags.pause_seconds = practice.scan_seconds;
            flags.save = save(practice.save, practice.no_save);
        }
        Some(Command::Prep(args)) => {
            flags.protocol = args.protocol.clone();
            flags.prep_pause_seconds = args.scan_seconds;
            flags.save = save(false, args.no_save);
        }
        Some(Command::Drill(args)) => {
            flags.protocol = args.protocol.clone();
            flags.save = save(false, args.no_save);
        }
        _ => {}
    }
    flags
}
