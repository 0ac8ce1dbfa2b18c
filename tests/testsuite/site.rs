//! The built site as a whole (issue 5): every HTML page passes the Nu HTML Checker, and every
//! internal link and `#fragment` of every page resolves.
//!
//! The checker is vnu-jar from npm (`npm ci` in `tests/vendor`, or `FACTSITE_VNU_JAR`), run
//! with the machine's `java`. When either is missing the test is skipped loudly, unless
//! `FACTSITE_REQUIRE_BROWSER=1` (as in CI), where it fails. The link check needs no tool.

use crate::support::{repo, sel, TestProject};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every HTML file of a folder, as `/`-separated relative paths, sorted.
fn html_pages(dir: &Path) -> Vec<String> {
    let mut pages: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/"))
        .collect();
    pages.sort();
    pages
}

fn require_or_skip(what: &str) {
    if std::env::var("FACTSITE_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
        panic!("{what}, and FACTSITE_REQUIRE_BROWSER=1: install it (see .ci/run)");
    }
    // Straight to stderr: libtest captures `eprintln!` of a passing test, and a skip must show.
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "\n{0}\n!!! SKIPPED: {what}.\n!!! Set FACTSITE_REQUIRE_BROWSER=1 to make this a failure.\n{0}\n",
        "!".repeat(78)
    );
}

fn vnu_jar() -> PathBuf {
    std::env::var_os("FACTSITE_VNU_JAR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("tests/vendor/node_modules/vnu-jar/build/dist/vnu.jar"))
}

/// One Nu HTML Checker message: `(file, line, message)`.
type Message = (String, u64, String);

/// Run vnu once over all `files`; its error messages (warnings are not asked for).
fn nu_errors(jar: &Path, files: &[PathBuf]) -> Vec<Message> {
    let out = Command::new("java")
        .args(["-Xss16m", "-jar"])
        .arg(jar)
        .args(["--errors-only", "--format", "json"])
        .args(files)
        .output()
        .expect("java runs");
    // vnu writes its JSON report on stderr.
    let report: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap_or_else(|e| {
        panic!(
            "vnu gave no JSON report ({e}):\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    report["messages"]
        .as_array()
        .expect("vnu report has messages")
        .iter()
        .filter(|m| matches!(m["type"].as_str(), Some("error" | "non-document-error")))
        .map(|m| {
            let url = m["url"].as_str().unwrap_or("").to_string();
            (url, m["lastLine"].as_u64().unwrap_or(0), m["message"].as_str().unwrap_or("").to_string())
        })
        .collect()
}

#[test]
fn every_page_passes_the_nu_html_checker() {
    let jar = vnu_jar();
    if !jar.is_file() {
        return require_or_skip(&format!(
            "the Nu HTML Checker is not at {} (run `npm ci` in tests/vendor)",
            jar.display()
        ));
    }
    if Command::new("java").arg("-version").output().map(|o| !o.status.success()).unwrap_or(true) {
        return require_or_skip("java is not installed (the Nu HTML Checker needs it)");
    }
    let p = TestProject::sample();
    p.build();
    let public = p.path("public");
    let pages = html_pages(&public);
    assert!(pages.iter().any(|p| p == "index.html"), "the build has no index.html");
    // A page known to be invalid, checked in the same run: proves the checker's errors reach us.
    let canary = p.path("canary.html");
    std::fs::write(
        &canary,
        "<!DOCTYPE html><html lang=en><head><title>c</title></head><body><p><div></p></body></html>",
    )
    .unwrap();
    let mut files: Vec<PathBuf> = pages.iter().map(|rel| public.join(rel)).collect();
    files.push(canary);
    let (canary_errors, errors): (Vec<Message>, Vec<Message>) =
        nu_errors(&jar, &files).into_iter().partition(|(url, _, _)| url.ends_with("/canary.html"));
    assert!(!canary_errors.is_empty(), "the checker reported nothing on a page known to be invalid");
    let errors: Vec<String> = errors
        .iter()
        .map(|(url, line, msg)| {
            let file = url.strip_prefix("file:").unwrap_or(url);
            let rel = file.split_once("/public/").map(|(_, r)| r).unwrap_or(file);
            format!("{rel}:{line}: {msg}")
        })
        .collect();
    assert!(
        errors.is_empty(),
        "{} Nu HTML Checker errors in {} pages:\n  {}",
        errors.len(),
        pages.len(),
        errors.iter().take(80).cloned().collect::<Vec<_>>().join("\n  ")
    );
}

/// Link-bearing attributes, and whether an absolute URL there is a resource the page loads
/// (which must never be external: the site makes no external requests).
const LINKS: &[(&str, &str, bool)] = &[
    ("a[href]", "href", false),
    ("area[href]", "href", false),
    ("link[href]", "href", true),
    ("script[src]", "src", true),
    ("img[src]", "src", true),
    ("iframe[src]", "src", true),
    ("source[src]", "src", true),
    ("video[src]", "src", true),
    ("audio[src]", "src", true),
    ("object[data]", "data", true),
    ("form[action]", "action", false),
];

/// Every broken internal link of the site in `public`, whose canonical address is `base_url`.
/// An absolute URL on `base_url` counts as internal; other absolute URLs are skipped, except
/// resources the page loads (styles, scripts, images), which are reported as external requests.
/// `link` elements that only name the page (canonical, alternate) are links, not requests.
fn broken_links(public: &Path, base_url: &str) -> Vec<String> {
    let base = format!("{}/", base_url.trim_end_matches('/'));
    let pages = html_pages(public);
    let mut ids: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut ids_of = |rel: &str| -> BTreeSet<String> {
        ids.entry(rel.to_string())
            .or_insert_with(|| {
                let html = scraper::Html::parse_document(&std::fs::read_to_string(public.join(rel)).unwrap());
                let mut set: BTreeSet<String> =
                    html.select(&sel("[id]")).filter_map(|e| e.value().attr("id")).map(String::from).collect();
                set.extend(html.select(&sel("a[name]")).filter_map(|e| e.value().attr("name")).map(String::from));
                set
            })
            .clone()
    };
    let mut broken = Vec::new();
    for page in &pages {
        let html = scraper::Html::parse_document(&std::fs::read_to_string(public.join(page)).unwrap());
        for (css, attr, loads) in LINKS {
            for element in html.select(&sel(css)) {
                let raw = element.value().attr(attr).unwrap().trim();
                let rel_attr = element.value().attr("rel").unwrap_or("").to_ascii_lowercase();
                let is_request = *loads
                    && (*css != "link[href]"
                        || rel_attr.split_whitespace().any(|r| {
                            matches!(r, "stylesheet" | "icon" | "preload" | "modulepreload" | "manifest" | "prefetch")
                        }));
                let target = if let Some(rest) = raw.strip_prefix(&base) {
                    format!("/{rest}")
                } else if raw == base.trim_end_matches('/') {
                    "/".to_string()
                } else if raw.starts_with("//") || has_scheme(raw) {
                    if is_request && !raw.starts_with("data:") {
                        broken.push(format!("{page}: <{css}> {raw}: an external request"));
                    }
                    continue;
                } else {
                    raw.to_string()
                };
                if let Err(why) = resolve(public, page, &target, &mut ids_of) {
                    broken.push(format!("{page}: <{css}> {raw}: {why}"));
                }
            }
        }
    }
    broken
}

fn has_scheme(s: &str) -> bool {
    match s.split_once(':') {
        Some((scheme, _)) => {
            !scheme.is_empty()
                && !scheme.contains(['/', '?', '#'])
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// Check one internal URL of `page`: the file exists inside the site and the fragment, if any,
/// is an id of the target page.
fn resolve(
    public: &Path,
    page: &str,
    url: &str,
    ids_of: &mut impl FnMut(&str) -> BTreeSet<String>,
) -> Result<(), String> {
    let (rest, fragment) = url.split_once('#').map(|(a, b)| (a, Some(b))).unwrap_or((url, None));
    let path = rest.split('?').next().unwrap_or("");
    let path = percent_encoding::percent_decode_str(path).decode_utf8().map_err(|e| e.to_string())?;
    let target = if path.is_empty() {
        page.to_string()
    } else {
        let mut parts: Vec<&str> = if path.starts_with('/') {
            Vec::new()
        } else {
            page.split('/').collect::<Vec<_>>().split_last().map(|(_, dir)| dir.to_vec()).unwrap_or_default()
        };
        for part in path.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    parts.pop().ok_or("climbs out of the site")?;
                }
                p => parts.push(p),
            }
        }
        let mut target = parts.join("/");
        if path.ends_with('/') || target.is_empty() || public.join(&target).is_dir() {
            target = format!("{}index.html", if target.is_empty() { String::new() } else { format!("{target}/") });
        }
        target
    };
    if !public.join(&target).is_file() {
        return Err(format!("no file {target}"));
    }
    let Some(fragment) = fragment else { return Ok(()) };
    let fragment = percent_encoding::percent_decode_str(fragment).decode_utf8().map_err(|e| e.to_string())?;
    // An empty fragment and `#top` mean the top of the page; text fragments are not ids.
    if fragment.is_empty()
        || fragment.eq_ignore_ascii_case("top")
        || fragment.starts_with(":~:")
        || !target.ends_with(".html")
    {
        return Ok(());
    }
    if ids_of(&target).contains(fragment.as_ref()) {
        Ok(())
    } else {
        Err(format!("no id {fragment:?} in {target}"))
    }
}

fn base_url(p: &TestProject) -> String {
    let config: toml::Table = toml::from_str(&p.read("factsite.toml")).unwrap();
    config.get("base_url").and_then(|v| v.as_str()).unwrap_or("").to_string()
}

#[test]
fn every_internal_link_and_fragment_resolves() {
    let p = TestProject::sample();
    p.build();
    let public = p.path("public");
    assert!(html_pages(&public).len() > 1, "the build has almost no page");
    let broken = broken_links(&public, &base_url(&p));
    assert!(
        broken.is_empty(),
        "{} broken links:\n  {}",
        broken.len(),
        broken.iter().take(80).cloned().collect::<Vec<_>>().join("\n  ")
    );
}

/// The link checker itself finds what it must: a missing file, a missing fragment, a link out
/// of the site, an external stylesheet; and accepts what is fine.
#[test]
fn link_checker_reports_broken_links() {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, body: &str| {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, format!("<!DOCTYPE html><html><head><title>t</title>{body}")).unwrap();
    };
    write(
        "index.html",
        r##"<link rel="stylesheet" href="https://fonts.example/f.css"><link rel="canonical" href="https://site.example/"></head><body><a href="a/b.html#x">ok</a> <a href="a/">ok</a> <a href="https://site.example/a/b.html#y">bad fragment</a> <a href="https://elsewhere.example/">external link</a> <a href="#top">top</a> <a href="a/%C3%A9t%C3%A9.html">encoded</a></body></html>"##,
    );
    write(
        "a/index.html",
        r#"</head><body><a href="../missing.html">missing</a> <a href="../../out.html">out</a> <a href="b.html#x">ok</a></body></html>"#,
    );
    write("a/b.html", r#"</head><body><p id="x">x</p></body></html>"#);
    write("a/été.html", "</head><body></body></html>");
    let broken = broken_links(dir.path(), "https://site.example");
    let expected = [
        "a/index.html: <a[href]> ../missing.html: no file missing.html",
        "a/index.html: <a[href]> ../../out.html: climbs out of the site",
        "index.html: <a[href]> https://site.example/a/b.html#y: no id \"y\" in a/b.html",
        "index.html: <link[href]> https://fonts.example/f.css: an external request",
    ];
    let got: BTreeSet<&str> = broken.iter().map(String::as_str).collect();
    assert_eq!(got, expected.into_iter().collect::<BTreeSet<_>>(), "{broken:#?}");
}
