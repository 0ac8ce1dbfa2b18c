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

/// How many findings a findings page lists, on average (see [`FindingPages`]).
pub const FINDINGS_PER_PAGE: usize = FINDINGS_MIN + CUT_ONE_IN as usize;

/// The fewest findings a findings page lists, the last page aside.
pub const FINDINGS_MIN: usize = 25;

/// The most findings a findings page lists.
pub const FINDINGS_MAX: usize = 250;

/// A finding past the first [`FINDINGS_MIN`] of a page starts a new page one time in this many
/// (as its id's hash says).
const CUT_ONE_IN: u64 = 75;

/// The findings pages: the report's findings in order, cut into pages of about
/// [`FINDINGS_PER_PAGE`]. A page ends before a finding whose id's hash says so, not every
/// hundred findings (cut by content, as rsync cuts files into blocks), and each page but the
/// first is named by its first finding's id. So a finding added or removed changes its own
/// page, and the URL of no finding on other pages: every source page links the findings of
/// its claims, and a single new finding would otherwise move the links of every finding
/// after it that sits at the end of a page, and with them thousands of source pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingPages {
    /// Each page's first finding, by its place in the report's order.
    starts: Vec<usize>,
    /// Each page's path.
    paths: Vec<String>,
    /// How many findings.
    len: usize,
}

impl FindingPages {
    /// The pages of the findings whose ids are `ids`, in the report's order.
    pub fn new<'a>(ids: impl IntoIterator<Item = &'a str>) -> FindingPages {
        let mut pages = FindingPages { starts: vec![0], paths: vec![FINDINGS.to_string()], len: 0 };
        for (i, id) in ids.into_iter().enumerate() {
            pages.len = i + 1;
            let open = i - pages.starts[pages.starts.len() - 1];
            if i > 0 && (open >= FINDINGS_MAX || (open >= FINDINGS_MIN && fnv1a(id) % CUT_ONE_IN == 0)) {
                pages.starts.push(i);
                pages.paths.push(concat(&["findings/", id, ".html"]));
            }
        }
        pages
    }

    /// How many pages (one at least, for a report without findings).
    pub fn count(&self) -> usize {
        self.starts.len()
    }

    /// The places of the findings page `k` lists.
    pub fn range(&self, k: usize) -> std::ops::Range<usize> {
        self.starts[k]..self.starts.get(k + 1).copied().unwrap_or(self.len)
    }

    /// The page that lists the finding at `position` (0-based, in the report's order).
    pub fn page_of(&self, position: usize) -> usize {
        self.starts.partition_point(|&s| s <= position).saturating_sub(1)
    }

    /// The path of page `k`.
    pub fn path(&self, k: usize) -> &str {
        &self.paths[k]
    }

    /// The finding `id`, at `position`, on its findings page.
    pub fn finding(&self, position: usize, id: &str) -> String {
        concat(&[self.path(self.page_of(position)), "#", id])
    }
}

/// The 64-bit FNV-1a hash of `s`: fixed for good, as the pages it cuts must be from one
/// version to the next.
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
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

    fn ids(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("constat-{i:05}")).collect()
    }

    fn pages(ids: &[String]) -> FindingPages {
        FindingPages::new(ids.iter().map(String::as_str))
    }

    /// Each page's path and the ids it lists.
    fn listed(ids: &[String], p: &FindingPages) -> Vec<(String, Vec<String>)> {
        (0..p.count()).map(|k| (p.path(k).to_string(), ids[p.range(k)].to_vec())).collect()
    }

    #[test]
    fn findings_pages_hold_every_finding_once_in_order_and_between_the_bounds() {
        for n in [0, 1, FINDINGS_MIN, 3_000] {
            let ids = ids(n);
            let p = pages(&ids);
            assert_eq!(p.path(0), FINDINGS);
            let mut next = 0;
            for k in 0..p.count() {
                let r = p.range(k);
                assert_eq!(r.start, next, "{n} findings: pages follow each other");
                next = r.end;
                assert!(r.len() <= FINDINGS_MAX);
                assert!(r.len() >= FINDINGS_MIN || k + 1 == p.count(), "{n} findings: page {k} holds {}", r.len());
                for i in r {
                    assert_eq!(p.page_of(i), k);
                    assert!(p.finding(i, &ids[i]).starts_with(p.path(k)));
                }
            }
            assert_eq!(next, n);
        }
        // About a hundred a page.
        let p = pages(&ids(3_000));
        assert!((15..=60).contains(&p.count()), "{} pages", p.count());
    }

    #[test]
    fn a_finding_added_or_removed_changes_its_own_page_and_no_other_findings_url() {
        let ids = ids(3_000);
        let before = pages(&ids);
        let old = listed(&ids, &before);
        for at in [0, 1, 700, 1_500, 2_999] {
            for added in [true, false] {
                let mut changed = ids.clone();
                if added {
                    changed.insert(at, "constat-nouveau".to_string());
                } else {
                    changed.remove(at);
                }
                let after = pages(&changed);
                let new = listed(&changed, &after);
                // Pages listed the same way before and after, by path.
                let same = new.iter().filter(|page| old.contains(page)).count();
                assert!(same + 3 >= old.len().max(new.len()), "at {at}: {same} of {} pages kept", old.len());
                // Every finding but one keeps its URL, but for a few.
                let url = |p: &FindingPages, ids: &[String], id: &str| {
                    ids.iter().position(|i| i == id).map(|i| p.finding(i, id))
                };
                let moved = ids.iter().filter(|id| url(&before, &ids, id) != url(&after, &changed, id)).count();
                assert!(moved <= 2 * FINDINGS_MAX, "at {at}: {moved} findings moved");
            }
        }
    }
}
