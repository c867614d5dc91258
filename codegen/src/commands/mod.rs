//! The subcommands, as plain functions from arguments to a report (or an
//! error message), shared by the `cargo sdk` binary (`src/main.rs`, which
//! only parses flags into these arguments; see [`crate::cli`]) and this
//! repository's `cargo xtask` (which fills in the repository's paths).
//!
//! - [`codegen`]: generate a client crate into a folder, or check that the
//!   folder already holds exactly it;
//! - [`init`]: set up a new SDK repository from a description;
//! - `mock-test` (once it lands): one more module here with its arguments
//!   and a function, and one variant of `cli::Command` that calls it.

mod codegen;
mod init;
mod init_text;

pub use codegen::{CodegenArgs, codegen};
pub use init::{InitArgs, SCHEMA_FILE, WORKFLOW, init};

/// How the installed binary is run (it is a cargo subcommand), for the
/// commands that generated files and reports name.
pub const BIN: &str = "cargo sdk";
