//! The command line: declared here with clap, one file per command. Commands are thin: they
//! parse options, call the pipeline and print.

mod build;
mod check;
mod init;
mod serve;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// factsite: turn a folder of source documents into a fact-check report.
#[derive(Debug, Parser)]
#[command(name = "factsite", version, about, long_about = None)]
pub struct Cli {
    /// The project's folder (the one holding factsite.toml).
    #[arg(short, long, global = true, default_value = ".")]
    pub root: PathBuf,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new project.
    Init {
        /// Folder to create it in.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Build the report: read, extract, annotate, cross-check, render.
    Build {
        /// Absolute URL the site will be published at.
        #[arg(short = 'u', long)]
        base_url: Option<String>,
        /// Where to write the site (default: `output_dir` of factsite.toml).
        #[arg(short, long)]
        output_dir: Option<PathBuf>,
    },
    /// Build, serve the site on a local address and rebuild on changes.
    Serve {
        /// Address to listen on.
        #[arg(short, long, default_value = "127.0.0.1")]
        interface: String,
        /// Port to listen on.
        #[arg(short, long, default_value_t = 1111)]
        port: u16,
    },
    /// Check that citations still match their sources, annotated files are well formed and the
    /// built site's links resolve. Exit code: 0 ok, 1 problems found, 2 could not run.
    Check {
        /// `human` (rustc-style diagnostics) or `json` (for tools).
        #[arg(long, value_enum, default_value_t = check::Format::Human)]
        format: check::Format,
    },
}

/// Run a parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> anyhow::Result<i32> {
    match cli.command {
        Command::Init { dir } => init::run(&dir),
        Command::Build { base_url, output_dir } => build::run(&cli.root, base_url, output_dir),
        Command::Serve { interface, port } => serve::run(&cli.root, &interface, port),
        Command::Check { format } => check::run(&cli.root, format),
    }
}
