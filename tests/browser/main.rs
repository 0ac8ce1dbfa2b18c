//! Browser tests (issue 5): the built sample report opened in real headless Chromium, driven
//! over WebDriver by chromedriver, served over loopback HTTP.
//!
//! Its own small runner (`harness = false`): the sample is built once, one chromedriver and one
//! HTTP server serve every check, and all are torn down at the end. Each check opens its own
//! browser session with a fresh profile. Arguments are substring filters on check names, as
//! with libtest.
//!
//! Tools: Chromium and chromedriver (Debian `chromium`, `chromium-driver`; override with
//! `FACTSITE_CHROMIUM`, `FACTSITE_CHROMEDRIVER`) and axe-core (`npm ci` in `tests/vendor`, or
//! `FACTSITE_AXE`). When one is missing the checks that need it are skipped loudly, unless
//! `FACTSITE_REQUIRE_BROWSER=1` (as in CI), where they fail.

#[path = "../testsuite/support.rs"]
mod support;

mod checks;
mod server;
mod webdriver;

use serde_json::Value;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};

/// Everything a check needs.
pub struct Ctx<'a> {
    /// The running chromedriver.
    pub driver: &'a webdriver::Driver,
    /// The built sample.
    pub site: &'a Site,
    /// axe-core's script, if installed.
    pub axe: Option<&'a str>,
}

/// The built sample report and where it is served.
pub struct Site {
    /// `http://127.0.0.1:PORT/`.
    pub base: String,
    /// The project folder (seeds inside).
    pub root: PathBuf,
    /// `claims.json`, the export.
    pub export: Value,
}

impl Site {
    /// Absolute URL of a site-relative path.
    pub fn url(&self, rel: &str) -> String {
        format!("{}{}", self.base, rel.trim_start_matches('/'))
    }

    /// The claims of the export.
    pub fn claims(&self) -> &[Value] {
        self.export["claims"].as_array().map(Vec::as_slice).unwrap_or(&[])
    }

    /// Whether the output has this file.
    pub fn has(&self, rel: &str) -> bool {
        self.root.join("public").join(rel).is_file()
    }
}

/// Whether missing tools are a failure rather than a skip.
pub fn required() -> bool {
    std::env::var("FACTSITE_REQUIRE_BROWSER").is_ok_and(|v| v == "1")
}

/// A missing tool: fail when required, else a loud skip message. Returns normally only to skip.
pub fn missing(what: &str) {
    if required() {
        panic!("{what}, and FACTSITE_REQUIRE_BROWSER=1: install it (see .ci/run)");
    }
    eprintln!(
        "\n{0}\n!!! SKIPPED: {what}.\n!!! Set FACTSITE_REQUIRE_BROWSER=1 to make this a failure.\n{0}\n",
        "!".repeat(78)
    );
}

/// A program on PATH, or the path an environment variable names.
fn tool(env: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(env) {
        return Some(PathBuf::from(p)).filter(|p| p.is_file());
    }
    let path = std::env::var_os("PATH")?;
    names.iter().flat_map(|n| std::env::split_paths(&path).map(move |d| d.join(n))).find(|p| p.is_file())
}

fn axe_script() -> Option<String> {
    let path = std::env::var_os("FACTSITE_AXE")
        .map(PathBuf::from)
        .unwrap_or_else(|| support::repo().join("tests/vendor/node_modules/axe-core/axe.min.js"));
    std::fs::read_to_string(path).ok()
}

type Check = fn(&Ctx);

/// The libtest arguments this runner understands, so `cargo test -- FILTER`, `--skip`,
/// `--exact`, `--list` and `--ignored` behave as for the other test binaries.
#[derive(Default)]
struct Args {
    filters: Vec<String>,
    skips: Vec<String>,
    exact: bool,
    list: bool,
    ignored: bool,
}

impl Args {
    fn parse(args: impl Iterator<Item = String>) -> Args {
        let mut out = Args::default();
        let mut args = args.peekable();
        while let Some(a) = args.next() {
            match a.as_str() {
                "--skip" => out.skips.extend(args.next()),
                "--exact" => out.exact = true,
                "--list" => out.list = true,
                "--ignored" => out.ignored = true,
                // Options whose value is the next argument, not a filter.
                "--test-threads" | "--format" | "--color" | "--logfile" | "--shuffle-seed" | "-Z" => {
                    args.next();
                }
                _ if a.starts_with('-') => {}
                _ => out.filters.push(a),
            }
        }
        out
    }

    /// Whether to run the check of this name (none is `#[ignore]`d).
    fn runs(&self, name: &str) -> bool {
        let matches = |f: &String| if self.exact { name == f } else { name.contains(f.as_str()) };
        !self.ignored
            && (self.filters.is_empty() || self.filters.iter().any(matches))
            && !self.skips.iter().any(matches)
    }
}

fn main() {
    let args = Args::parse(std::env::args().skip(1));
    let all = checks::all();
    if args.list {
        if !args.ignored {
            for (name, _) in &all {
                println!("{name}: test");
            }
        }
        return;
    }
    let chosen: Vec<(&str, Check)> = all.into_iter().filter(|(name, _)| args.runs(name)).collect();
    if chosen.is_empty() {
        println!("running 0 tests");
        return;
    }

    let (chromium, chromedriver) = (
        tool("FACTSITE_CHROMIUM", &["chromium", "chromium-browser", "google-chrome"]),
        tool("FACTSITE_CHROMEDRIVER", &["chromedriver"]),
    );
    let (Some(chromium), Some(chromedriver)) = (chromium, chromedriver) else {
        missing("Chromium or chromedriver is not installed (Debian: apt-get install chromium chromium-driver)");
        println!("test result: ok. 0 passed; 0 failed; {} skipped (no browser)", chosen.len());
        return;
    };

    let start = std::time::Instant::now();
    let project = support::TestProject::sample();
    project.build();
    println!("built the sample in {:.1} s", start.elapsed().as_secs_f32());
    let site = Site {
        base: server::serve(&project.path("public")),
        root: project.root(),
        export: project.json("claims.json"),
    };
    // The log stays after the run, for a failure to be looked into.
    let log = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("chromedriver.log");
    let driver = webdriver::Driver::start(&chromedriver, &chromium, log);
    let axe = axe_script();
    let ctx = Ctx { driver: &driver, site: &site, axe: axe.as_deref() };

    // A failed check prints its message, not a backtrace of the runner.
    std::panic::set_hook(Box::new(|info| eprintln!("\n{info}\n")));
    println!("\nrunning {} browser tests", chosen.len());
    let mut failed = Vec::new();
    for (name, check) in &chosen {
        println!("test {name} ...");
        let start = std::time::Instant::now();
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| check(&ctx)));
        let took = start.elapsed().as_secs_f32();
        match outcome {
            Ok(()) => println!("test {name} ... ok ({took:.1} s)"),
            Err(_) => {
                println!("test {name} ... FAILED ({took:.1} s)");
                failed.push(*name);
            }
        }
    }
    drop(driver);
    let passed = chosen.len() - failed.len();
    if failed.is_empty() {
        println!("\ntest result: ok. {passed} passed; 0 failed");
    } else {
        println!("\nfailures:");
        for name in &failed {
            println!("    {name}");
        }
        println!("\ntest result: FAILED. {passed} passed; {} failed", failed.len());
        std::process::exit(1);
    }
}

/// Collapse runs of whitespace (including no-break spaces) to one space, and trim.
pub fn squash(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c == '\u{a0}' || c == '\u{202f}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A seed file's lines, numbered from 1 as the source pages number them.
pub fn seed_lines(root: &Path, path: &str) -> Vec<String> {
    let text = std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.trim_start_matches('\u{feff}').split('\n').map(|l| l.trim_end_matches('\r').to_string()).collect()
}
