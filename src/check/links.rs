//! Internal links of the built site: every `href`/`src` that stays on the site must name a file
//! of the output, and its `#fragment` an `id` of that page. Pages are parsed with html5ever
//! (through `scraper`), so entities and unquoted attributes read as a browser reads them.

use super::BuiltSite;
use crate::diagnostic::Diagnostic;
use crate::span::{line_at, Span};
use percent_encoding::percent_decode_str;
use rayon::prelude::*;
use scraper::{Html, Selector};
use std::collections::{BTreeMap, BTreeSet};

/// Attributes that point at another file of the site.
const REFERENCES: &[(&str, &str)] = &[
    ("a[href]", "href"),
    ("area[href]", "href"),
    ("link[href]", "href"),
    ("img[src]", "src"),
    ("script[src]", "src"),
    ("source[src]", "src"),
];

/// Check every internal link and anchor of the site. Pages are parsed in parallel, and only
/// their ids and references are kept, not their trees (a large site's trees would not fit).
pub fn check_links(site: &BuiltSite) -> Vec<Diagnostic> {
    let pages: BTreeMap<&str, (BTreeSet<String>, Vec<String>)> = site
        .files
        .par_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| {
            let html = Html::parse_document(&String::from_utf8_lossy(b));
            (p.as_str(), (ids_of(&html), references(&html)))
        })
        .collect();
    let mut diags = Vec::new();
    for (page, (_, refs)) in &pages {
        for value in refs {
            let Some((target, fragment)) = resolve(page, value) else { continue };
            let problem = match site.files.get(&target).map(|_| target.clone()).or_else(|| index_of(site, &target)) {
                None => Some(("broken-link", format!("link to {value:?}: no file {target} in the site"))),
                Some(t) if !fragment.is_empty() && t.ends_with(".html") && !pages[t.as_str()].0.contains(&fragment) => {
                    Some(("broken-anchor", format!("link to {value:?}: {t} has no element with id {fragment:?}")))
                }
                Some(_) => None,
            };
            if let Some((code, message)) = problem {
                let raw = String::from_utf8_lossy(&site.files[*page]);
                let path = format!("{}/{page}", site.dir);
                let at = locate(&raw, value);
                let line = at.map(|s| line_at(&raw, s.start)).unwrap_or(1);
                let mut d = Diagnostic::error(code, &path, line, message)
                    .help("a template or an editor's link points at a page or anchor that is not built; fix the link, or rebuild if the output is stale");
                if let Some(span) = at {
                    d = d.at(span, "this link");
                }
                diags.push(d);
            }
        }
    }
    diags
}

/// The values of a page's attributes that point at another file, in document order per kind.
fn references(html: &Html) -> Vec<String> {
    let mut out = Vec::new();
    for (sel, attr) in REFERENCES {
        let selector = Selector::parse(sel).expect("valid selector");
        out.extend(html.select(&selector).filter_map(|el| el.value().attr(attr)).map(str::to_string));
    }
    out
}

fn ids_of(html: &Html) -> BTreeSet<String> {
    let sel = Selector::parse("[id], a[name]").expect("valid selector");
    html.select(&sel)
        .filter_map(|e| e.value().attr("id").or_else(|| e.value().attr("name")))
        .map(str::to_string)
        .collect()
}

/// A directory link (`topics/`) or an extension-less one serves the folder's `index.html`.
fn index_of(site: &BuiltSite, target: &str) -> Option<String> {
    let index = if target.is_empty() || target.ends_with('/') {
        format!("{target}index.html")
    } else {
        format!("{target}/index.html")
    };
    site.files.contains_key(&index).then_some(index)
}

/// The site file and fragment a reference from `page` points at; `None` for a link that leaves
/// the site (a scheme, a protocol-relative URL) or a link that climbs out of it is reported as
/// the target `..`.
pub(crate) fn resolve(page: &str, reference: &str) -> Option<(String, String)> {
    let reference = reference.trim();
    if reference.starts_with("//") || has_scheme(reference) {
        return None;
    }
    let (rest, fragment) = reference.split_once('#').unwrap_or((reference, ""));
    let path = rest.split('?').next().unwrap_or_default();
    let fragment = percent_decode_str(fragment).decode_utf8_lossy().into_owned();
    if path.is_empty() {
        return Some((page.to_string(), fragment));
    }
    let path = percent_decode_str(path).decode_utf8_lossy();
    let mut parts: Vec<&str> = if path.starts_with('/') {
        Vec::new()
    } else {
        page.split('/').collect::<Vec<_>>()[..page.matches('/').count()].to_vec()
    };
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Some(("..".into(), fragment));
                }
            }
            s => parts.push(s),
        }
    }
    let mut target = parts.join("/");
    if path.ends_with('/') && !target.is_empty() {
        target.push('/');
    }
    Some((target, fragment))
}

fn has_scheme(reference: &str) -> bool {
    match reference.find(':') {
        Some(i) => {
            let scheme = &reference[..i];
            !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !reference[..i].contains('/')
        }
        None => false,
    }
}

/// Where the attribute value sits in the page's text, to point a diagnostic at it. The page was
/// parsed by a real parser; this only finds the bytes to underline.
fn locate(raw: &str, value: &str) -> Option<Span> {
    let escaped = value.replace('&', "&amp;");
    [value, escaped.as_str()].iter().find_map(|v| {
        ["\"", "'"].iter().find_map(|q| {
            let needle = format!("={q}{v}{q}");
            raw.find(&needle).map(|i| Span::new(i + 2, i + 2 + v.len()))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> BuiltSite {
        BuiltSite {
            dir: "public".into(),
            files: files.iter().map(|(p, t)| (p.to_string(), t.as_bytes().to_vec())).collect(),
        }
    }

    #[test]
    fn references_resolve_against_the_page() {
        assert_eq!(resolve("claims/a.html", "../sources/b.html#L3"), Some(("sources/b.html".into(), "L3".into())));
        assert_eq!(resolve("claims/a.html", "#x"), Some(("claims/a.html".into(), "x".into())));
        assert_eq!(resolve("a.html", "/topics/"), Some(("topics/".into(), String::new())));
        assert_eq!(resolve("a.html", "b%20c.html?x=1#d%C3%A9"), Some(("b c.html".into(), "dé".into())));
        assert_eq!(resolve("a.html", "../../x.html"), Some(("..".into(), String::new())));
        assert_eq!(resolve("a.html", "https://example.org/"), None);
        assert_eq!(resolve("a.html", "mailto:a@b.c"), None);
        assert_eq!(resolve("a.html", "//cdn.example.org/x.js"), None);
    }

    #[test]
    fn broken_links_and_anchors_are_reported_with_their_line() {
        let s = site(&[
            ("index.html", "<!doctype html><title>t</title>\n<a href=\"sources/a.html#L1\">ok</a>\n<a href='sources/a.html#L9'>bad anchor</a>\n<a href=\"missing.html\">gone</a>\n<a href=\"topics/\">dir</a>\n<a href=\"https://example.org/nowhere\">out</a>"),
            ("sources/a.html", "<!doctype html><title>a</title><p id=\"L1\">x</p><a href=\"../index.html\">home</a><a href=#L1>self</a>"),
            ("topics/index.html", "<!doctype html><title>t</title>"),
        ]);
        let diags = check_links(&s);
        let got: Vec<(&str, &str, usize)> = diags.iter().map(|d| (d.code.as_str(), d.path.as_str(), d.line)).collect();
        assert_eq!(got, [("broken-anchor", "public/index.html", 3), ("broken-link", "public/index.html", 4)]);
        assert_eq!(diags[1].span.map(|sp| &s.files["index.html"][sp.start..sp.end]), Some(&b"missing.html"[..]));
    }
}
