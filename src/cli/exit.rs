//! Exit codes, documented in `--help` (see `EXIT_CODES_HELP`) and the README.
//!
//! * 0: success.
//! * 1 ([`ERROR`]): the command failed (bad input with nothing usable, an unreadable or
//!   outdated database, …); the message is on stderr.
//! * 2: usage error (unknown flag or command, bad value), reported by clap.
//! * 3 ([`NOT_FOUND`]): an explore command was given a name that matches no entity; the
//!   closest names are suggested on stderr.
//! * 4 ([`NO_PATH`]): `paperkg path` found both entities but nothing connects them.

/// The command failed (bad input with nothing usable, an unreadable database, …).
pub const ERROR: u8 = 1;

/// An explore command's NAME matches no entity (suggestions are printed on stderr).
pub const NOT_FOUND: u8 = 3;

/// `paperkg path`: both names resolved, but no chain of relations connects them.
pub const NO_PATH: u8 = 4;

/// The exit-code paragraph of `paperkg --help`.
pub const EXIT_CODES_HELP: &str = "Exit codes: 0 success, 1 error, 2 usage error, \
3 name not found (closest names suggested on stderr), 4 no path between the two entities \
(paperkg path).";
