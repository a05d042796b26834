//! Exit codes, documented in `--help` and the README.

/// The command failed (bad input with nothing usable, an unreadable database, …).
pub const ERROR: u8 = 1;
