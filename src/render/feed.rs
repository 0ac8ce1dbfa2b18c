//! The feeds of the site: an Atom feed of claims and the sitemap, with absolute URLs built
//! from `base_url`.

use super::escape::xml;
use super::urls;
use super::views::{shorten, Ctx};
use crate::report::Document;
use std::fmt::Write;

/// An Atom timestamp from an ISO date or date-time of a source (`2024-03-14`,
/// `2024-03-14T08:30`); sources give no time zone, so UTC is stated.
pub fn atom_time(iso: &str) -> String {
    match iso.len() {
        10 => format!("{iso}T00:00:00Z"),
        16 => format!("{iso}:00Z"),
        _ => format!("{}Z", iso.trim_end_matches('Z')),
    }
}

/// How many claims the feed holds: the latest, as feed readers expect, not the whole archive.
pub const FEED_ENTRIES: usize = 200;

/// The Atom feed: one entry for each of the latest [`FEED_ENTRIES`] claims, dated by its
/// source's publication (newest first; in report order within a date).
pub fn atom(ctx: &Ctx, report_date: Option<&str>) -> String {
    let report = ctx.report;
    let base = &report.config.base_url;
    let updated = atom_time(report_date.unwrap_or("1970-01-01"));
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        out,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n<title>{}</title>\n<subtitle>{}</subtitle>\n\
         <id>{}</id>\n<link rel=\"self\" href=\"{}\"/>\n<link href=\"{}\"/>\n<updated>{updated}</updated>\n\
         <author><name>{}</name></author>\n<generator>{}</generator>",
        xml(&ctx.lang().code),
        xml(&report.config.title),
        xml(&report.config.description),
        xml(&urls::absolute(base, urls::HOME)),
        xml(&urls::absolute(base, urls::FEED)),
        xml(&urls::absolute(base, urls::HOME)),
        xml(&report.config.author),
        xml(&report.generator),
    );
    fn date<'d>(d: &'d Document, report_date: Option<&'d str>) -> &'d str {
        d.record.meta.published.as_deref().or(report_date).unwrap_or_default()
    }
    // A document's claims share its date and follow one another in the report: the claims in
    // feed order are those of the documents newest first (in report order within a date),
    // one document after the other. So the documents are ordered, not the claims, and only
    // as many of them as hold the entries: the newest FEED_ENTRIES picked out and sorted,
    // the others too only when those hold fewer claims than that.
    let mut docs: Vec<(usize, &Document)> = report.docs.iter().map(|d| &**d).enumerate().collect();
    let newest_first = |a: &(usize, &Document), b: &(usize, &Document)| {
        date(b.1, report_date).cmp(date(a.1, report_date)).then(a.0.cmp(&b.0))
    };
    let picked = FEED_ENTRIES.min(docs.len());
    if picked < docs.len() {
        docs.select_nth_unstable_by(picked, newest_first);
    }
    docs[..picked].sort_by(newest_first);
    if docs[..picked].iter().map(|(_, d)| d.reported_claims().count()).sum::<usize>() < FEED_ENTRIES {
        docs[picked..].sort_by(newest_first);
    }
    let latest = docs.iter().flat_map(|&(_, d)| d.reported_claims().map(move |c| (d, c))).take(FEED_ENTRIES);
    for (d, c) in latest {
        let url = urls::absolute(base, &urls::claim(&d.source.id, &c.id));
        let when = atom_time(d.record.meta.published.as_deref().or(report_date).unwrap_or("1970-01-01"));
        let verdict = ctx.verdict_label(ctx.shown_label(c));
        let _ = writeln!(
            out,
            "<entry>\n<title>{}</title>\n<id>{}</id>\n<link href=\"{}\"/>\n<updated>{when}</updated>\n\
             <category term=\"{}\"/>\n<summary>{}</summary>\n</entry>",
            xml(&shorten(&c.quote, 100)),
            xml(&url),
            xml(&url),
            xml(&verdict),
            xml(&format!("{verdict} : « {} »", c.quote)),
        );
    }
    out.push_str("</feed>\n");
    out
}

/// The sitemap of the given site paths.
pub fn sitemap(base_url: &str, paths: &[&str]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    // (Most URLs have nothing to escape: they are written as they are, without a copy.)
    let plain = |s: &str| s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_./:~%".contains(&b));
    let base = base_url.trim_end_matches('/');
    let base_plain = plain(base);
    for p in paths {
        if base_plain && plain(p) {
            for part in ["<url><loc>", base, "/", p.trim_start_matches('/'), "</loc></url>\n"] {
                out.push_str(part);
            }
        } else {
            let _ = writeln!(out, "<url><loc>{}</loc></url>", xml(&urls::absolute(base_url, p)));
        }
    }
    out.push_str("</urlset>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atom_times_are_rfc3339() {
        assert_eq!(atom_time("2024-03-14"), "2024-03-14T00:00:00Z");
        assert_eq!(atom_time("2024-03-14T08:30"), "2024-03-14T08:30:00Z");
    }

    #[test]
    fn sitemap_urls_are_absolute_and_escaped() {
        let s = sitemap("https://ex.org/r/", &["index.html", "claims/a&b.html"]);
        assert!(s.contains("<loc>https://ex.org/r/index.html</loc>"), "{s}");
        assert!(s.contains("<loc>https://ex.org/r/claims/a&amp;b.html</loc>"), "{s}");
        // Written as they are or escaped, the same lines.
        let each = |p: &str| format!("<url><loc>{}</loc></url>\n", xml(&urls::absolute("https://ex.org/r/", p)));
        assert_eq!(s.lines().nth(2).map(|l| format!("{l}\n")), Some(each("index.html")));
        assert_eq!(s.lines().nth(3).map(|l| format!("{l}\n")), Some(each("claims/a&b.html")));
    }
}
