//! The checks, each in its own browser session. They read the pages they visit from the export
//! (`claims.json`: claim, source and topic URLs, quotes, citations) so nothing here names the
//! sample corpus.

use crate::webdriver::{wait_for, Session, SessionOptions};
use crate::{missing, seed_lines, server, squash, Check, Ctx, Site};
use serde_json::{json, Value};
use std::time::Duration;

/// Every check, by name.
pub fn all() -> Vec<(&'static str, Check)> {
    vec![
        ("every_page_kind_is_built", every_page_kind_is_built as Check),
        ("citation_link_lands_on_the_highlighted_claim", citation_link_lands_on_the_highlighted_claim),
        ("line_anchor_is_highlighted_on_arrival", line_anchor_is_highlighted_on_arrival),
        ("search_for_a_word_reaches_a_claim", search_for_a_word_reaches_a_claim),
        ("no_console_errors_and_no_failed_requests", no_console_errors_and_no_failed_requests),
        ("axe_finds_no_violations_light_and_dark", axe_finds_no_violations_light_and_dark),
        ("main_content_is_there_without_javascript", main_content_is_there_without_javascript),
        ("dark_mode_changes_the_colours", dark_mode_changes_the_colours),
        ("no_horizontal_scroll_at_390px", no_horizontal_scroll_at_390px),
        ("keyboard_focus_is_always_visible", keyboard_focus_is_always_visible),
        ("no_script_from_a_source_runs", no_script_from_a_source_runs),
    ]
}

/// How long to wait for something a page does after load (search results, a hash change).
const PATIENCE: Duration = Duration::from_secs(20);

/// The pages to visit: one of each kind the issue lists, then every other page at the root of
/// the output (methodology, findings, search...). Kinds not built are left out here and
/// reported by [`every_page_kind_is_built`].
fn pages(site: &Site) -> Vec<(String, String)> {
    let mut pages = vec![("home".to_string(), "index.html".to_string())];
    let first = |key: &str| {
        site.export[key].as_array().and_then(|a| a.first()).and_then(|v| v["url"].as_str()).map(String::from)
    };
    for (kind, key) in [("claim", "claims"), ("source", "sources"), ("topic", "topics")] {
        if let Some(url) = first(key) {
            pages.push((kind.into(), url));
        }
    }
    if let Some(entity) = entity_pages(site).into_iter().find(|p| site.has(p)) {
        pages.push(("entity".into(), entity));
    }
    let mut root: Vec<String> = std::fs::read_dir(site.root.join("public"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".html") && n != "index.html")
        .collect();
    root.sort();
    pages.extend(root.into_iter().map(|n| (n.trim_end_matches(".html").to_string(), n)));
    // Section indexes (`entities/index.html`...).
    let mut indexes: Vec<String> = std::fs::read_dir(site.root.join("public"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().join("index.html").is_file())
        .map(|e| format!("{}/index.html", e.file_name().to_string_lossy()))
        .collect();
    indexes.sort();
    pages.extend(indexes.into_iter().map(|p| (p.trim_end_matches("/index.html").to_string() + " index", p)));
    pages
}

/// The entity pages the export implies (`entities/<id>.html`, as `render::urls` lays them out).
fn entity_pages(site: &Site) -> Vec<String> {
    let entities = site.export["entities"].as_array().cloned().unwrap_or_default();
    entities.iter().filter_map(|e| e["id"].as_str()).map(|id| format!("entities/{id}.html")).collect()
}

/// The page of every kind the issue asks for exists.
fn every_page_kind_is_built(ctx: &Ctx) {
    let site = ctx.site;
    let mut absent = Vec::new();
    for (what, rel) in [("home", "index.html"), ("findings page", "findings.html"), ("404 page", "404.html")] {
        if !site.has(rel) {
            absent.push(format!("{what} ({rel})"));
        }
    }
    for key in ["claims", "sources", "topics"] {
        for item in site.export[key].as_array().into_iter().flatten() {
            // A claim's details may be a part of a page: `page.html#id`.
            let url = item["url"].as_str().unwrap_or("");
            let (file, id) = url.split_once('#').unwrap_or((url, ""));
            if !site.has(file) {
                absent.push(format!("{key} page {url}"));
            } else if !id.is_empty() {
                let html = std::fs::read_to_string(site.root.join("public").join(file)).unwrap_or_default();
                let sel = scraper::Selector::parse(&format!("[id='{id}']")).unwrap();
                if scraper::Html::parse_document(&html).select(&sel).next().is_none() {
                    absent.push(format!("{key} element {url}"));
                }
            }
        }
    }
    let entities = entity_pages(site);
    assert!(!entities.is_empty(), "the export lists no entity, so no entity page can be checked");
    absent.extend(entities.into_iter().filter(|p| !site.has(p)).map(|p| format!("entity page {p}")));
    // The methodology page has no fixed file name: the home page links to it.
    let home = std::fs::read_to_string(site.root.join("public/index.html")).unwrap_or_default();
    let home = scraper::Html::parse_document(&home);
    let methodology = home.select(&scraper::Selector::parse("a[href]").unwrap()).any(|a| {
        let said = format!("{} {}", a.value().attr("href").unwrap_or(""), a.text().collect::<String>()).to_lowercase();
        said.replace('é', "e").contains("method")
    });
    if !methodology {
        absent.push("methodology page (no link from the home page whose text or address says method…)".into());
    }
    assert!(absent.is_empty(), "pages missing from the built sample:\n  {}", absent.join("\n  "));
}

fn session<'a>(ctx: &Ctx<'a>) -> Session<'a> {
    ctx.driver.session(SessionOptions::default())
}

/// A script giving the style signature of an element and of the line holding it: what a
/// highlight can change.
const STYLE_OF: &str = r#"
const el = document.getElementById(arguments[0]);
if (!el) return null;
const props = ['background-color', 'background-image', 'outline-style', 'outline-color', 'outline-width',
  'box-shadow', 'border-left-color', 'border-left-width', 'border-left-style', 'color', 'font-weight',
  'text-decoration-line'];
const sig = e => e ? props.map(p => p + ':' + getComputedStyle(e).getPropertyValue(p)).join(';') : '';
const line = el.parentElement && el.parentElement.closest('[id^="L"]');
return sig(el) + ' | ' + sig(line);
"#;

/// Whether the element with this id is the document's `:target` and on screen.
const TARGET_STATE: &str = r#"
const el = document.getElementById(arguments[0]);
if (!el) return 'no element with this id';
if (document.querySelector(':target') !== el) return 'not the :target of the document';
const r = el.getBoundingClientRect();
if (r.width === 0 || r.height === 0) return 'has no size';
if (r.bottom <= 0 || r.top >= innerHeight) return 'is off screen (top ' + r.top + ', viewport ' + innerHeight + ')';
return 'ok';
"#;

/// The element `id` of `page` is the target, visible, and styled differently than when the
/// same page is loaded without the fragment.
fn assert_highlighted(s: &Session, site: &Site, page: &str, id: &str) {
    let state = s.js(TARGET_STATE, json!([id]));
    assert_eq!(state, json!("ok"), "{page}#{id}: the cited element {}", state.as_str().unwrap_or("?"));
    let targeted = s.js(STYLE_OF, json!([id]));
    s.goto(&site.url(page));
    let plain = s.js(STYLE_OF, json!([id]));
    assert_ne!(
        targeted, plain,
        "{page}#{id}: arriving on the citation does not highlight it (computed style identical with and without the fragment)"
    );
}

fn fragment(url: &str) -> (&str, &str) {
    url.split_once('#').unwrap_or((url, ""))
}

/// From each source's first claim page, click the citation link: the browser lands on the
/// source page with the claim as `:target`, on screen and highlighted.
fn citation_link_lands_on_the_highlighted_claim(ctx: &Ctx) {
    let site = ctx.site;
    let s = session(ctx);
    let mut seen = std::collections::BTreeSet::new();
    let claims: Vec<&Value> =
        site.claims().iter().filter(|c| seen.insert(c["source"].as_str().unwrap_or(""))).collect();
    assert!(!claims.is_empty(), "the export has no claim");
    for claim in claims {
        let (url, cite) = (claim["url"].as_str().unwrap(), claim["cite_url"].as_str().unwrap());
        let (page, id) = fragment(cite);
        assert!(!id.is_empty(), "cite_url {cite} has no fragment");
        s.goto(&site.url(url));
        let want = site.url(cite);
        let link = s
            .find_all("a[href]")
            .into_iter()
            .find(|a| s.js("return arguments[0].href", json!([Session::arg(a)])) == json!(want))
            .unwrap_or_else(|| panic!("{url}: no link to its citation {cite}"));
        s.click(&link);
        let landed = wait_for(PATIENCE, || Some(s.url()).filter(|u| u == &want));
        assert!(landed.is_some(), "{url}: clicking the citation went to {} instead of {want}", s.url());
        let id = percent_encoding::percent_decode_str(id).decode_utf8_lossy().into_owned();
        assert_highlighted(&s, site, page, &id);
    }
}

/// Arriving on `source.html#L<n>` targets and highlights that line.
fn line_anchor_is_highlighted_on_arrival(ctx: &Ctx) {
    let site = ctx.site;
    let claim = site.claims().first().expect("the export has no claim");
    let page = fragment(claim["cite_url"].as_str().unwrap()).0;
    let line = claim["lines"][0].as_u64().expect("claim lines");
    let id = format!("L{line}");
    let s = session(ctx);
    s.goto(&site.url(&format!("{page}#{id}")));
    assert_highlighted(&s, site, page, &id);
}

/// A word to search for: in the fewest claim quotes (so that claim ranks high), the longest,
/// then the first alphabetically; letters only, at least 6 of them.
fn search_word(site: &Site) -> (String, Vec<String>) {
    let quotes: Vec<(String, String)> = site
        .claims()
        .iter()
        .map(|c| (c["url"].as_str().unwrap().to_string(), c["quote"].as_str().unwrap().to_lowercase()))
        .collect();
    let mut words: Vec<String> = quotes
        .iter()
        .flat_map(|(_, q)| q.split(|c: char| !c.is_alphabetic()).map(String::from).collect::<Vec<_>>())
        .filter(|w| w.chars().count() >= 6)
        .collect();
    words.sort();
    words.dedup();
    let containing = |w: &str| -> Vec<String> {
        quotes
            .iter()
            .filter(|(_, q)| q.split(|c: char| !c.is_alphabetic()).any(|x| x == w))
            .map(|(u, _)| u.clone())
            .collect()
    };
    let word = words
        .iter()
        .min_by_key(|w| (containing(w).len(), std::cmp::Reverse(w.chars().count()), (*w).clone()))
        .expect("no word of 6 letters in any quote")
        .clone();
    let urls = containing(&word);
    (word, urls)
}

/// The search field of the page: a searchbox, or a text field inside a search landmark, with an
/// accessible name; found through the accessibility tree, not a class name.
const SEARCH_FIELD: &str = r#"
const found = [...document.querySelectorAll('input, textarea, [role="searchbox"], [role="combobox"]')]
  .filter(e => e.getClientRects().length > 0 && !e.disabled && (e.type || 'text') !== 'hidden');
return found;
"#;

fn find_search_field(s: &Session) -> Option<crate::webdriver::Element> {
    let candidates = s.js(SEARCH_FIELD, json!([]));
    let elements: Vec<_> = candidates
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_object()?.values().next()?.as_str().map(|id| crate::webdriver::Element(id.into())))
        .collect();
    elements.into_iter().find(|e| {
        let role = s.role(e);
        let in_search =
            s.js("return !!arguments[0].closest('search, [role=\"search\"]')", json!([Session::arg(e)])) == json!(true);
        (role == "searchbox" || (in_search && (role == "textbox" || role == "combobox")))
            && !s.label(e).trim().is_empty()
    })
}

/// The claim links a user sees: `(absolute URL without query or fragment, new since the search
/// began)`; `None` while the page is being replaced.
fn visible_claim_links(s: &Session, claims: &[String]) -> Option<Vec<(String, bool)>> {
    let links = s.try_js(
        "return [...document.querySelectorAll('a[href]')].filter(a => a.checkVisibility())
           .map(a => [a.href.split('?')[0], !a.hasAttribute('data-factsite-test-before')])",
        json!([]),
    )?;
    let mut out: Vec<(String, bool)> = links
        .as_array()?
        .iter()
        .filter_map(|l| Some((l[0].as_str()?.to_string(), l[1].as_bool()?)))
        .filter(|(h, _)| claims.contains(h))
        .collect();
    out.sort();
    out.dedup();
    Some(out)
}

/// Type a word of a claim into the search field and follow a result to that claim's page.
fn search_for_a_word_reaches_a_claim(ctx: &Ctx) {
    let site = ctx.site;
    let (word, expected) = search_word(site);
    let expected: Vec<String> = expected.iter().map(|u| site.url(u)).collect();
    let claim_urls: Vec<String> = site.claims().iter().map(|c| site.url(c["url"].as_str().unwrap())).collect();
    let s = session(ctx);
    s.goto(&site.url("index.html"));
    // The field may be mounted by a script after load; else it may be on a page the home links
    // to as search.
    let mut field = wait_for(Duration::from_secs(5), || find_search_field(&s));
    if field.is_none() {
        let search_page = s
            .js("return [...document.querySelectorAll('a[href]')].map(a => a.href).find(h => /search|recherche/i.test(h.split('#')[0])) || null", json!([]));
        if let Some(href) = search_page.as_str() {
            s.goto(href);
            field = wait_for(Duration::from_secs(5), || find_search_field(&s));
        }
    }
    let field = field.expect(
        "no search field on the home page (nor on a search page it links to): want an input whose \
         accessible role is searchbox, or a text field inside a search landmark, with an accessible name",
    );
    // Links already on the page are not search results, unless the search filters them in
    // place (then the visible claim links must narrow down).
    s.js("document.querySelectorAll('a').forEach(a => a.setAttribute('data-factsite-test-before', ''))", json!([]));
    let before = visible_claim_links(&s, &claim_urls).unwrap_or_default();
    s.click(&field);
    // The word, then Enter: live search shows results as one types, a form submits.
    s.type_text(&field, &format!("{word}\u{E007}"));
    let strip = |h: &str| h.split('?').next().unwrap_or("").to_string();
    let mut last = Vec::new();
    let found = wait_for(PATIENCE, || {
        let after = visible_claim_links(&s, &claim_urls)?;
        last = after.clone();
        let shown = |new_only: bool| -> Vec<&String> {
            after.iter().filter(|(_, new)| *new || !new_only).map(|(h, _)| h).collect()
        };
        let new = shown(true);
        let listed_new = !new.is_empty() && new.len() < claim_urls.len() && new.iter().any(|h| expected.contains(h));
        let all = shown(false);
        let filtered = new.is_empty()
            && all.len() < before.len()
            && all.iter().all(|h| before.iter().any(|(b, _)| b == *h))
            && all.iter().any(|h| expected.contains(h));
        (listed_new || filtered).then(|| all.into_iter().find(|h| expected.contains(h)).unwrap().clone())
    });
    let Some(href) = found else {
        panic!(
            "searching for {word:?} (in the quotes of {expected:?}) does not narrow the claims down to it: \
             {} claim links visible before, {} after ({} of them new) at {}; console: {:?}",
            before.len(),
            last.len(),
            last.iter().filter(|(_, new)| *new).count(),
            s.url(),
            s.console()
        )
    };
    let link = s.js(
        "return [...document.querySelectorAll('a[href]')].find(a => a.href.split('?')[0] === arguments[0] && a.checkVisibility())",
        json!([href]),
    );
    let link = crate::webdriver::Element(link.as_object().and_then(|o| o.values().next()?.as_str()).unwrap().into());
    s.click(&link);
    let landed = wait_for(PATIENCE, || Some(s.url()).filter(|u| strip(u) == href));
    assert!(landed.is_some(), "clicking the result {href} went to {}", s.url());
    let claim = site.claims().iter().find(|c| site.url(c["url"].as_str().unwrap()) == href).unwrap();
    let main = s.find("main").map(|m| s.text(&m)).unwrap_or_default();
    assert!(
        squash(&main).contains(&squash(claim["quote"].as_str().unwrap())),
        "the claim page reached by search, {href}, does not show its quote"
    );
    let errors: Vec<_> = s.console().into_iter().filter(|(level, _)| level == "SEVERE").collect();
    assert!(errors.is_empty(), "console errors while searching: {errors:#?}");
}

/// Requests the page made: `(url, status)`; status 0 when the browser could not say.
const RESOURCES: &str = r#"
const nav = performance.getEntriesByType('navigation').map(e => [e.name, e.responseStatus || 0]);
const res = performance.getEntriesByType('resource').map(e => [e.name, e.responseStatus || 0]);
return nav.concat(res);
"#;

/// Wait until the page has stopped asking for resources (three polls with the same count).
fn settle(s: &Session) {
    let mut last = (u64::MAX, 0);
    wait_for(PATIENCE, || {
        let n = s.js(
            "return document.readyState === 'complete' ? performance.getEntriesByType('resource').length : -1",
            json!([]),
        );
        let n = n.as_u64().unwrap_or(u64::MAX);
        last = if n == last.0 { (n, last.1 + 1) } else { (n, 0) };
        (n != u64::MAX && last.1 >= 3).then_some(())
    });
}

/// Every kind of page loads with nothing in the console at error level, every request
/// answered (status below 400) and every request to the site's own origin.
fn no_console_errors_and_no_failed_requests(ctx: &Ctx) {
    let site = ctx.site;
    let origin = site.base.trim_end_matches('/');
    let s = session(ctx);
    let mut problems = Vec::new();
    for (kind, rel) in pages(site) {
        s.goto(&site.url(&rel));
        settle(&s);
        for (level, message) in s.console() {
            if level == "SEVERE" {
                problems.push(format!("{kind} ({rel}): console {level}: {message}"));
            }
        }
        for entry in s.js(RESOURCES, json!([])).as_array().into_iter().flatten() {
            let (url, status) = (entry[0].as_str().unwrap_or(""), entry[1].as_u64().unwrap_or(0));
            if !url.starts_with(&format!("{origin}/")) {
                problems.push(format!("{kind} ({rel}): external request {url}"));
            } else if status >= 400 {
                problems.push(format!("{kind} ({rel}): {url} answered {status}"));
            }
        }
    }
    assert!(problems.is_empty(), "problems in the browser:\n  {}", problems.join("\n  "));
}

/// Run axe-core on the current page; returns its violations, readable.
fn axe(s: &Session, script: &str) -> Vec<String> {
    if s.js("return typeof window.axe", json!([])) != json!("object") {
        s.js(&format!("{script}\n;return typeof window.axe"), json!([]));
    }
    let result = s.js_async(
        r#"const done = arguments[arguments.length - 1];
        axe.run(document, { resultTypes: ['violations'] })
          .then(r => done(r.violations.map(v => v.impact + ' ' + v.id + ': ' + v.help + ' at '
            + v.nodes.slice(0, 4).map(n => n.target.join(' ')).join(', ')
            + (v.nodes.length > 4 ? ' and ' + (v.nodes.length - 4) + ' more' : ''))))
          .catch(e => done(['axe failed: ' + e]));"#,
        json!([]),
    );
    result.as_array().into_iter().flatten().filter_map(|v| v.as_str().map(String::from)).collect()
}

/// axe-core finds no violation on the home, claim, source, topic and other pages, in the light
/// and the dark colour scheme.
fn axe_finds_no_violations_light_and_dark(ctx: &Ctx) {
    let Some(script) = ctx.axe else {
        missing("axe-core is not installed (run `npm ci` in tests/vendor)");
        return;
    };
    let site = ctx.site;
    let s = session(ctx);
    let mut problems = Vec::new();
    for scheme in ["light", "dark"] {
        s.cdp(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
        );
        for (kind, rel) in pages(site) {
            s.goto(&site.url(&rel));
            settle(&s);
            problems.extend(axe(&s, script).into_iter().map(|v| format!("{kind} ({rel}, {scheme}): {v}")));
        }
    }
    assert!(problems.is_empty(), "axe-core violations:\n  {}", problems.join("\n  "));
}

/// With scripts disabled, every claim page shows its quote and every source page every line
/// of its source, each in the element `#L<n>`.
fn main_content_is_there_without_javascript(ctx: &Ctx) {
    let site = ctx.site;
    let s = ctx.driver.session(SessionOptions { javascript: false });
    s.goto(&site.url(server::JS_PROBE));
    assert_eq!(s.title(), "off", "the session was meant to run without JavaScript, but the probe page's script ran");
    let mut problems = Vec::new();
    for claim in site.claims() {
        let url = claim["url"].as_str().unwrap();
        s.goto(&site.url(url));
        let main = s.find("main").map(|m| s.text(&m)).unwrap_or_default();
        let quote = squash(claim["quote"].as_str().unwrap());
        if !squash(&main).contains(&quote) {
            problems.push(format!("{url}: quote not shown: {quote:?}"));
        }
    }
    for source in site.export["sources"].as_array().into_iter().flatten() {
        let (url, path) = (source["url"].as_str().unwrap(), source["path"].as_str().unwrap());
        s.goto(&site.url(url));
        for (i, line) in seed_lines(&site.root, path).iter().enumerate() {
            let want = squash(line);
            if want.is_empty() {
                continue;
            }
            let n = i + 1;
            match s.find(&format!("[id=\"L{n}\"]")) {
                None => problems.push(format!("{url}: no element #L{n}")),
                Some(e) if !squash(&s.text(&e)).contains(&want) => {
                    problems.push(format!("{url}#L{n}: line text not shown: {want:?}"))
                }
                Some(_) => {}
            }
        }
    }
    assert!(problems.is_empty(), "main content missing without JavaScript:\n  {}", problems.join("\n  "));
}

/// The page's background and text colours, as computed.
const COLOURS: &str =
    "const b = getComputedStyle(document.body); return b.backgroundColor + ' / ' + getComputedStyle(document.documentElement).backgroundColor + ' / ' + b.color;";

/// `prefers-color-scheme: dark` gives every kind of page other colours.
fn dark_mode_changes_the_colours(ctx: &Ctx) {
    let site = ctx.site;
    let s = session(ctx);
    let mut same = Vec::new();
    for (kind, rel) in pages(site) {
        s.cdp(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-color-scheme", "value": "light" }] }),
        );
        s.goto(&site.url(&rel));
        let light = s.js(COLOURS, json!([]));
        s.cdp(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-color-scheme", "value": "dark" }] }),
        );
        let dark = s.js(COLOURS, json!([]));
        if light == dark {
            same.push(format!("{kind} ({rel}): {light}"));
        }
    }
    assert!(same.is_empty(), "pages whose colours do not change in dark mode:\n  {}", same.join("\n  "));
}

/// At 390 CSS pixels wide (a phone), no page scrolls sideways.
fn no_horizontal_scroll_at_390px(ctx: &Ctx) {
    let site = ctx.site;
    // Headless Chromium will not make a window that narrow: emulate the phone's viewport.
    let s = session(ctx);
    s.cdp(
        "Emulation.setDeviceMetricsOverride",
        json!({ "width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": true }),
    );
    let mut wide = Vec::new();
    for (kind, rel) in pages(site) {
        s.goto(&site.url(&rel));
        let sizes = s.js(
            "const d = document.documentElement; return [d.clientWidth, d.scrollWidth, document.body.scrollWidth]",
            json!([]),
        );
        let (client, scroll, body) =
            (sizes[0].as_u64().unwrap(), sizes[1].as_u64().unwrap(), sizes[2].as_u64().unwrap());
        assert_eq!(client, 390, "the viewport is {client} px wide, not a phone's 390");
        if scroll > client || body > client {
            wide.push(format!("{kind} ({rel}): content {} px wide in a {client} px viewport", scroll.max(body)));
        }
    }
    assert!(wide.is_empty(), "pages that scroll sideways at 390 px:\n  {}", wide.join("\n  "));
}

/// The focused element's description and its style signature focused and then blurred (the
/// browser keeps the blurred element as the starting point of the next Tab).
const FOCUS_STATE: &str = r#"
const el = document.activeElement;
if (!el || el === document.body || el === document.documentElement) return null;
const props = ['outline-style', 'outline-width', 'outline-color', 'box-shadow', 'background-color', 'color',
  'text-decoration-line', 'border-bottom-color', 'border-bottom-width'];
const sig = () => props.map(p => getComputedStyle(el).getPropertyValue(p)).join(';');
const focused = sig();
el.blur();
const blurred = sig();
const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "' + (el.textContent || el.value || '').trim().slice(0, 40) + '"';
return [name, focused, blurred];
"#;

/// Tabbing through each kind of page reaches its links and fields one by one, and every one
/// shows that it has the focus.
fn keyboard_focus_is_always_visible(ctx: &Ctx) {
    let site = ctx.site;
    let s = session(ctx);
    let mut problems = Vec::new();
    for (kind, rel) in pages(site) {
        s.goto(&site.url(&rel));
        let mut reached = 0;
        for _ in 0..12 {
            s.press("\u{E004}");
            let state = s.js(FOCUS_STATE, json!([]));
            // Nothing focused: the press went to the browser itself (the first press after a
            // navigation can, while the page takes the focus); the next one is tried.
            let Some([name, focused, blurred]) = state.as_array().map(|a| a.as_slice()) else { continue };
            reached += 1;
            if focused == blurred {
                problems.push(format!("{kind} ({rel}): no visible focus on {}", name.as_str().unwrap_or("?")));
            }
        }
        if reached < 3 {
            problems.push(format!("{kind} ({rel}): Tab reaches only {reached} elements"));
        }
    }
    assert!(problems.is_empty(), "keyboard focus problems:\n  {}", problems.join("\n  "));
}

/// Sources written to run a script if any page let their text through unescaped: in element
/// text, in attributes, in JSON-LD, in a link, in a file name.
const HOSTILE: &[(&str, &str)] = &[
    (
        "script.txt",
        "Un titre <script>window.__pwned = 'title'</script>\n\nSelon le ministère, 1 200 personnes <script>window.__pwned = 'prose'</script> ont été évacuées en mai 2024.\n\nLe préfet a indiqué que </script><script>window.__pwned = 'jsonld'</script> 300 maisons seraient détruites.\n",
    ),
    (
        "attributes.txt",
        "Selon l'agence \"><img src=x onerror=\"window.__pwned='attr'\">, 45 000 tonnes auraient été livrées en 2023.\n\nD'après le rapport, <a href=\"javascript:window.__pwned='href'\">1 000 euros</a> ont été versés lundi.\n\n<svg onload=\"window.__pwned='svg'\"></svg> Le maire estime que 12 écoles fermeront en septembre 2025.\n",
    ),
    ("<img src=x onerror=window.__pwned=1>.txt", "Le ministre a déclaré que 3 500 emplois seraient créés en 2026.\n"),
];

/// Every page of a report built from hostile sources is opened in Chromium: no script of theirs
/// runs (the sources set `window.__pwned` if it did).
fn no_script_from_a_source_runs(ctx: &Ctx) {
    let project = crate::support::TestProject::init();
    for (name, text) in HOSTILE {
        project.write(&format!("sources/{name}"), text);
    }
    project.build();
    let public = project.path("public");
    let base = server::serve(&public);
    let mut pages: Vec<String> = walkdir::WalkDir::new(&public)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.path().strip_prefix(&public).unwrap().to_string_lossy().replace('\\', "/"))
        .collect();
    pages.sort();
    assert!(pages.len() > 5, "the hostile project built only {pages:?}");
    let s = session(ctx);
    let mut ran = Vec::new();
    for page in &pages {
        s.goto(&format!("{base}{page}"));
        settle(&s);
        // An alert left open by a script makes the script call fail: that counts as run too.
        match s.try_js("return window.__pwned === undefined ? null : String(window.__pwned);", json!([])) {
            Some(Value::Null) => {}
            Some(v) => ran.push(format!("{page}: {v}")),
            None => ran.push(format!("{page}: the page could not be scripted (an alert?)")),
        }
    }
    assert!(ran.is_empty(), "scripts from sources ran:\n  {}", ran.join("\n  "));
}
