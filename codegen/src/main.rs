//! `cargo sdk`: the generator as a cargo subcommand (`cargo install --path
//! codegen`). The command line is [`codegen::cli`]; the work is in
//! [`codegen::commands`].

fn main() -> std::process::ExitCode {
    codegen::cli::main()
}
