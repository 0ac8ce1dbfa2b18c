//! Site-relative URLs of every page, in one place so links and files always agree.

/// Home page.
pub const HOME: &str = "index.html";

/// The findings page.
pub const FINDINGS: &str = "findings.html";

/// The methodology page.
pub const METHODOLOGY: &str = "methodology.html";

/// The search page (a list of every claim, filtered by script).
pub const SEARCH: &str = "search.html";

/// The page a static host serves for a missing path.
pub const NOT_FOUND: &str = "404.html";

/// The list of entities.
pub const ENTITIES: &str = "entities/index.html";

/// The stylesheet.
pub const STYLE: &str = "style.css";

/// The site's icon.
pub const FAVICON: &str = "favicon.svg";

/// The search index, loaded by the search script.
pub const SEARCH_INDEX: &str = "search.json";

/// The search script.
pub const SEARCH_JS: &str = "search.js";

/// The machine-readable export.
pub const CLAIMS_JSON: &str = "claims.json";

/// The spreadsheet export.
pub const CLAIMS_CSV: &str = "claims.csv";

/// The Atom feed of claims.
pub const FEED: &str = "feed.xml";

/// The sitemap.
pub const SITEMAP: &str = "sitemap.xml";

/// The parts laid end to end, in a string of their length: URLs are made by the hundred
/// thousand, and `format!` pads each part through a formatter.
fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        out.push_str(p);
    }
    out
}

/// A source page.
pub fn source(id: &str) -> String {
    concat(&["sources/", id, ".html"])
}

/// A line of a source page.
pub fn line(source_id: &str, line: usize) -> String {
    concat(&["sources/", source_id, ".html#L", itoa::Buffer::new().format(line)])
}

/// The annotated Markdown of a source, shown highlighted.
pub fn annotated(source_id: &str) -> String {
    concat(&["annotated/", source_id, ".html"])
}

/// The citation target of a claim on its source page.
pub fn cite(source_id: &str, claim_id: &str) -> String {
    concat(&["sources/", source_id, ".html#", claim_id])
}

/// A claim's details, on its source's page below the text (one page per source, not per
/// claim: an archive of 10,000 articles holds hundreds of thousands of claims).
pub fn claim(source_id: &str, claim_id: &str) -> String {
    concat(&["sources/", source_id, ".html#claim-", claim_id])
}

/// The fragment id of a claim's details on its source page (the claim id itself marks the
/// quote in the text: the citation target).
pub fn claim_anchor(claim_id: &str) -> String {
    concat(&["claim-", claim_id])
}

/// A topic page.
pub fn topic(id: &str) -> String {
    concat(&["topics/", id, ".html"])
}

/// An entity page.
pub fn entity(id: &str) -> String {
    concat(&["entities/", id, ".html"])
}

/// How many findings a findings page lists; more go on `findings/2.html`...
pub const FINDINGS_PER_PAGE: usize = 100;

/// The findings page holding the finding at `position` (0-based, in the report's order).
pub fn findings_page(position: usize) -> String {
    match position / FINDINGS_PER_PAGE {
        0 => FINDINGS.to_string(),
        k => format!("findings/{}.html", k + 1),
    }
}

/// The finding at `position` (0-based, in the report's order), on its findings page.
pub fn finding(position: usize, id: &str) -> String {
    concat(&[&findings_page(position), "#", id])
}

/// A comparison on its topic page.
pub fn comparison(topic_id: &str, comparison_id: &str) -> String {
    concat(&["topics/", topic_id, ".html#", comparison_id])
}

/// The prefix that leads from the page at `path` back to the site root (`""`, `"../"`...).
pub fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// The path of the site's root on its host, from `base_url` (`https://x.org/report/` gives
/// `/report/`). The 404 page links with it: a host serves that page at any depth.
pub fn base_path(base_url: &str) -> String {
    let after_scheme = base_url.split_once("://").map_or(base_url, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
    let path = path.split(['?', '#']).next().unwrap_or_default().trim_end_matches('/');
    format!("{path}/")
}

/// The absolute URL of a site path, for the feed, the sitemap and JSON-LD.
pub fn absolute(base_url: &str, path: &str) -> String {
    concat(&[base_url.trim_end_matches('/'), "/", path.trim_start_matches('/')])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths() {
        assert_eq!(base_path("http://127.0.0.1:1111"), "/");
        assert_eq!(base_path("https://example.org/report/"), "/report/");
        assert_eq!(base_path("https://example.org/a/b"), "/a/b/");
        assert_eq!(base_path(""), "/");
    }

    #[test]
    fn roots_and_absolute_urls() {
        assert_eq!(root_of(HOME), "");
        assert_eq!(root_of(&claim("s", "a")), "../");
        assert_eq!(
            absolute("https://ex.org/rapport/", &claim("s", "a")),
            "https://ex.org/rapport/sources/s.html#claim-a"
        );
        assert_eq!(absolute("https://ex.org", HOME), "https://ex.org/index.html");
    }
}
