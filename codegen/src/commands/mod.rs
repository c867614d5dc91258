//! The subcommands, as plain functions from arguments to a report (or an
//! error message), shared by the `cargo sdk` binary (`src/main.rs`, which
//! only parses flags into these arguments; see [`crate::cli`]) and this
//! repository's `cargo xtask` (which fills in the repository's paths).
//!
//! - [`codegen`]: generate a client crate into a folder, or check that the
//!   folder already holds exactly it;
//! - [`init`]: set up a new SDK repository from a description;
//! - [`mock_test`]: generate a client and a program that calls every
//!   operation through it, run it against mock servers of the
//!   description, and report what the mock refused or what did not decode.

mod codegen;
mod init;
mod init_text;
pub mod mock_test;
mod schema_check;

pub use codegen::{CodegenArgs, codegen};
pub use init::{InitArgs, SCHEMA_FILE, WORKFLOW, init};
pub use mock_test::{MockArgs, MockReport, mock_test};

/// How the installed binary is run (it is a cargo subcommand), for the
/// commands that generated files and reports name.
pub const BIN: &str = "cargo sdk";
