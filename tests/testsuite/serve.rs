//! `factsite serve` on the sample: the real binary on a free loopback port, a real event
//! stream, real edits of a source, a verdict and an annotation; pages fetched over HTTP and
//! parsed with `scraper`. No timed assertion: waits are bounded only so that a broken server
//! fails the test instead of hanging it.

use crate::support::{sel, TestProject};
use scraper::Html;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A running `factsite serve`, killed when dropped.
struct Server {
    child: Child,
    addr: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Start serving `p` on port 0 (the system picks a free port) and wait for the address.
    fn start(p: &TestProject) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_factsite"))
            .current_dir(p.root())
            .args(["serve", "--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let out = child.stdout.take().unwrap();
        let lines = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("on http://").nth(1) {
                    let _ = tx.send(rest.trim_end_matches(|c| c != '/').trim_end_matches('/').to_string());
                }
                lines.lock().unwrap().push(line);
            }
        });
        let err = child.stderr.take().unwrap();
        let lines = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                lines.lock().unwrap().push(line);
            }
        });
        let addr = rx
            .recv_timeout(Duration::from_secs(120))
            .unwrap_or_else(|_| panic!("serve did not start: {:?}", log.lock().unwrap()));
        Server { child, addr, log }
    }

    /// GET `path` as written (no normalisation): status and body.
    fn get(&self, path: &str) -> (u16, String) {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        write!(s, "GET {path} HTTP/1.0\r\nHost: {}\r\n\r\n", self.addr).unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        let raw = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
        let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        (status, body.to_string())
    }

    fn page(&self, path: &str) -> Html {
        let (status, body) = self.get(path);
        assert_eq!(status, 200, "GET {path}: {body}");
        Html::parse_document(&body)
    }

    /// The page at `path` when it is served, `None` while the build is failing: a file saved
    /// in place is empty for a moment, and a rebuild that reads it then shows the error page
    /// until the next one.
    fn page_if_built(&self, path: &str) -> Option<Html> {
        let (status, body) = self.get(path);
        (status == 200).then(|| Html::parse_document(&body))
    }

    fn events(&self) -> Events {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
        write!(s, "GET /__factsite/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n", self.addr)
            .unwrap();
        let mut events = Events { reader: BufReader::new(s) };
        let mut line = String::new();
        // Read the head and the stream's opening comment: from here on, every event is seen.
        while !line.starts_with(": connected") {
            line.clear();
            assert!(events.reader.read_line(&mut line).unwrap() > 0, "the event stream closed");
        }
        events
    }

    fn rebuilds(&self) -> usize {
        self.log.lock().unwrap().iter().filter(|l| l.starts_with("Rebuilt in")).count()
    }
}

struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    /// Wait for reload events until `done` holds (a save can reach the watcher as two or more
    /// batches of events, on a loaded machine, so one edit may bring several reloads).
    fn reload_until(&mut self, server: &Server, mut done: impl FnMut() -> bool) {
        for _ in 0..8 {
            self.next_reload();
            if done() {
                return;
            }
        }
        panic!("the served site never showed the edit: {:?}", server.log.lock().unwrap());
    }

    /// Block until the next `reload` event (keep-alive comments arrive meanwhile, so the
    /// socket's timeout alone would not end a wait on a server that never rebuilds).
    fn next_reload(&mut self) {
        let give_up = std::time::Instant::now() + Duration::from_secs(180);
        let mut line = String::new();
        loop {
            assert!(std::time::Instant::now() < give_up, "no reload event: the server did not rebuild");
            line.clear();
            assert!(
                self.reader.read_line(&mut line).expect("an event before the timeout") > 0,
                "the event stream closed"
            );
            if line.trim_end() == "event: reload" {
                return;
            }
        }
    }
}

fn text(html: &Html) -> String {
    html.root_element().text().collect()
}

#[test]
fn serve_rebuilds_a_changed_source_and_verdict_and_reloads_the_browser() {
    let p = TestProject::sample();
    let server = Server::start(&p);
    let export: serde_json::Value = serde_json::from_str(&server.get("/claims.json").1).unwrap();
    let claim =
        export["claims"].as_array().unwrap().iter().find(|c| c["source"] == "002-508add9b65c0fc47").unwrap().clone();
    let source_url = format!("/{}", claim["cite_url"].as_str().unwrap().split('#').next().unwrap());
    let (claim_page, claim_anchor) = claim["url"].as_str().unwrap().split_once('#').unwrap();
    let (claim_url, claim_anchor) = (format!("/{claim_page}"), claim_anchor.to_string());
    let details = |html: &Html| text(&crate::support::fragment_of(html, &claim_anchor).expect("the claim's details"));

    // The served HTML carries the reload script; the built file does not.
    let page = server.page(&source_url);
    assert!(page.select(&sel("script")).any(|s| s.inner_html().contains("/__factsite/events")));
    assert!(!p.read(&format!("public{source_url}")).contains("/__factsite/events"));

    // A source edited: its page is rebuilt and served, and the browser told to reload.
    let mut events = server.events();
    let seed = "seeds/002_508add9b65c0fc47.txt";
    let added = "Paragraphe ajouté pendant le service, avec 4 321 véhicules livrés en mars 2024.";
    p.write(seed, &format!("{}\n{added}\n", p.read(seed)));
    events.reload_until(&server, || server.page_if_built(&source_url).is_some_and(|p| text(&p).contains(added)));
    let other = export["claims"].as_array().unwrap().iter().find(|c| c["source"] != "002-508add9b65c0fc47").unwrap();
    let other_page = other["url"].as_str().unwrap().split('#').next().unwrap();
    assert_eq!(server.get(&format!("/{other_page}")).0, 200, "the other pages are still served");

    // A verdict edited in the annotated file: the claim page shows it.
    let md_path = "content/sources/002-508add9b65c0fc47.md";
    let md = p.read(md_path);
    let id = claim["id"].as_str().unwrap();
    let at = md.find(&format!("id = \"{id}\"")).unwrap();
    let review = md[at..].find("[review]").unwrap() + at + "[review]".len();
    p.write(md_path, &format!("{}\nverdict = \"trompeur\"\n{}", &md[..review], &md[review + 1..]));
    events.reload_until(&server, || server.page_if_built(&claim_url).is_some_and(|p| details(&p).contains("trompeur")));

    // A broken annotation: the error page names the file and line; the server stays up.
    let good = p.read(md_path);
    p.write(md_path, &good.replacen("verdict = \"trompeur\"", "verdict = ", 1));
    // (Its error, not that of the file read while it was being saved.)
    events.reload_until(&server, || matches!(server.get("/index.html"), (500, body) if body.contains("verdict = ")));
    let (status, body) = server.get("/index.html");
    assert_eq!(status, 500);
    let error = Html::parse_document(&body);
    let heading: String = error.select(&sel("h2")).next().expect("one problem").text().collect();
    assert!(heading.starts_with(&format!("{md_path}:")), "{heading}");
    assert!(text(&error).contains("verdict = "), "the snippet shows the line");
    assert_eq!(server.get("/style.css").0, 200, "the server is still up");

    // Fixed: the site is back.
    p.write(md_path, &good);
    events.reload_until(&server, || server.get(&claim_url).0 == 200);
    assert!(details(&server.page(&claim_url)).contains("trompeur"));
    // Three successful rebuilds (source, verdict, fix), at most two per save; a rebuild loop
    // caused by serve's own writes would show many more.
    let rebuilds = server.rebuilds();
    assert!((3..=6).contains(&rebuilds), "{rebuilds} rebuilds: {:?}", server.log.lock().unwrap());
}

/// Reading the project's files is not a change: the watcher reports reads too, and a rebuild
/// reads every file it watches, so taking reads for changes rebuilt for ever.
#[test]
fn serve_does_not_rebuild_when_files_are_only_read() {
    let p = TestProject::sample();
    let server = Server::start(&p);
    for dir in ["seeds", "content", "content/sources"] {
        for entry in std::fs::read_dir(p.path(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                std::fs::read(&path).unwrap();
            }
        }
    }
    std::fs::read(p.path("factsite.toml")).unwrap();
    // A rebuild would start within the watcher's 100 ms; a second is ample.
    std::thread::sleep(Duration::from_secs(1));
    assert_eq!(server.rebuilds(), 0, "{:?}", server.log.lock().unwrap());
}

#[test]
fn serve_binds_to_loopback_and_serves_nothing_outside_the_output_folder() {
    let p = TestProject::sample();
    let server = Server::start(&p);
    assert!(server.addr.starts_with("127.0.0.1:"), "{}", server.addr);
    assert_eq!(server.get("/").0, 200);
    for path in [
        "/../factsite.toml",
        "/%2e%2e/factsite.toml",
        "/..%2ffactsite.toml",
        "/sources/..%2f..%2ffactsite.toml",
        "/..\\factsite.toml",
    ] {
        let (status, body) = server.get(path);
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("base_url"), "{path} leaked the project file");
    }
}

/// What serve publishes after each edit is, byte for byte, what a full build of the edited
/// project gives (but for an annotated file the editor saved, which serve leaves as saved): the
/// pages an incremental rebuild did not render again are the ones that did not change. Edits: a figure changed, a paragraph added, a verdict set, a paragraph removed,
/// the same figures given by a second source, a line without a claim added.
#[test]
fn incremental_rebuild_equals_full_build() {
    use factsite::config::Project;
    use factsite::pipeline::Session;

    let p = TestProject::sample();
    let open = |root: &std::path::Path| Project::open(root).unwrap();
    let (mut session, _) = Session::start(open(&p.root())).unwrap();
    let seed = |n: &str| {
        let name = std::fs::read_dir(p.path("seeds"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .find(|f| f.starts_with(n))
            .unwrap();
        format!("seeds/{name}")
    };
    let added = "Selon la préfecture, 4 321 véhicules ont été livrés en mars 2024 dans la région.";
    let edits: Vec<Box<dyn Fn() -> String>> = vec![
        Box::new(|| {
            let path = seed("002");
            let text = p.read(&path);
            let at = text.find(|c: char| c.is_ascii_digit()).unwrap();
            let digit = text.as_bytes()[at];
            let changed = if digit == b'9' { '1' } else { (digit + 1) as char };
            p.write(&path, &format!("{}{changed}{}", &text[..at], &text[at + 1..]));
            path
        }),
        Box::new(|| {
            let path = seed("000");
            p.write(&path, &format!("{}\n{added}\n", p.read(&path)));
            path
        }),
        Box::new(|| {
            let path = "content/sources/001-4fefc9d52be29d23.md".to_string();
            let md = p.read(&path);
            let block = md.find("\nid = \"").unwrap();
            let review = md[block..].find("[review]").unwrap() + block + "[review]".len();
            p.write(&path, &format!("{}\nverdict = \"trompeur\"\n{}", &md[..review], &md[review + 1..]));
            path
        }),
        Box::new(|| {
            let path = "content/sources/002-508add9b65c0fc47.md".to_string();
            let md = p.read(&path);
            let block = md.rfind("\nid = \"").unwrap();
            let review = md[block..].find("[review]").unwrap() + block + "[review]".len();
            p.write(&path, &format!("{}\nverdict = \"faux\"\n{}", &md[..review], &md[review + 1..]));
            path
        }),
        Box::new(|| {
            let path = seed("003");
            let text = p.read(&path);
            let paragraphs: Vec<&str> = text.trim_end().split("\n\n").collect();
            p.write(&path, &format!("{}\n", paragraphs[..paragraphs.len() - 1].join("\n\n")));
            path
        }),
        Box::new(|| {
            let path = seed("004");
            p.write(&path, &format!("{}\n{}\n", p.read(&path), added.replace("4 321", "5 100")));
            path
        }),
        // A line without a claim: the claims say the same (the last one's surrounding text
        // changes), and the rebuild keeps the last analysis.
        Box::new(|| {
            let path = seed("000");
            p.write(&path, &format!("{}\nLire aussi : notre dossier sur la région.\n", p.read(&path)));
            path
        }),
    ];
    assert_incremental_equals_full(&p, &mut session, &edits);
}

/// A source saved without a change is a rebuild with nothing to do: no file written, however
/// often (an annotated file saved as serve wrote it is no change at all); and the next real
/// edit is rebuilt as usual.
#[test]
fn a_file_saved_unchanged_rewrites_nothing() {
    use factsite::config::Project;
    use factsite::pipeline::Session;

    let p = TestProject::sample();
    let (mut session, _) = Session::start(Project::open(&p.root()).unwrap()).unwrap();
    let seed = std::fs::read_dir(p.path("seeds"))
        .unwrap()
        .map(|e| format!("seeds/{}", e.unwrap().file_name().into_string().unwrap()))
        .min()
        .unwrap();
    let id = seed.trim_start_matches("seeds/").trim_end_matches(".txt").to_string();
    let annotated = std::fs::read_dir(p.path("content/sources"))
        .unwrap()
        .map(|e| format!("content/sources/{}", e.unwrap().file_name().into_string().unwrap()))
        .find(|f| f.contains(&id[..3]))
        .unwrap();
    let before = p.snapshot();
    for _ in 0..2 {
        p.write(&seed, &p.read(&seed));
        let change = session.classify(&[p.path(&seed)]);
        assert_eq!(change.sources.len(), 1, "{change:?}");
        let summary = session.rebuild(&change, || unreachable!("not a full rebuild")).unwrap();
        assert_eq!((summary.site.changed, summary.content.changed), (0, 0));
        assert_eq!(p.snapshot(), before);
        // Nor are the exports (every claim) to make again.
        assert!(!session.exports_stale());
    }
    p.write(&annotated, &p.read(&annotated));
    assert!(session.classify(&[p.path(&annotated)]).is_empty());
    let text = p.read(&seed);
    p.write(&seed, &format!("{text}\nSelon la préfecture, 4 321 véhicules ont été livrés en mars 2024.\n"));
    let summary = session.rebuild(&session.classify(&[p.path(&seed)]), || unreachable!("not a full rebuild")).unwrap();
    assert!(summary.site.changed > 0 && summary.content.changed == 1, "{:?}", summary.site);
}

/// Apply each edit (which returns the path it changed), let the session rebuild, and compare
/// every file of the output and content folders with a full build of a copy of the project.
fn assert_incremental_equals_full(
    p: &TestProject,
    session: &mut factsite::pipeline::Session,
    edits: &[Box<dyn Fn() -> String + '_>],
) {
    use factsite::config::Project;
    let open = |root: &std::path::Path| Project::open(root).unwrap();
    for (n, edit) in edits.iter().enumerate() {
        let path = edit();
        let change = session.classify(&[p.path(&path)]);
        assert!(!change.everything && !change.is_empty(), "edit {n}: {change:?}");
        session.rebuild(&change, || Ok(open(&p.root()))).unwrap();
        // Exports stopped (serve stops them when the editor saves again), at once or after a
        // few writes, leave the old ones in place and are still to make.
        let old = std::fs::read(p.path("public/claims.json")).unwrap();
        for after in [0, 3] {
            let asked = std::sync::atomic::AtomicUsize::new(0);
            let stop = || asked.fetch_add(1, std::sync::atomic::Ordering::Relaxed) >= after;
            assert!(session.publish_exports_until(&stop).unwrap().is_none(), "edit {n}: stopped");
            assert!(session.exports_stale(), "edit {n}: still to make");
            assert_eq!(std::fs::read(p.path("public/claims.json")).unwrap(), old, "edit {n}: left in place");
        }
        session.publish_exports().unwrap();
        assert!(!session.exports_stale());

        let full = TestProject::empty();
        for entry in std::fs::read_dir(p.root()).unwrap() {
            let entry = entry.unwrap();
            if entry.file_name() == "public" {
                continue;
            }
            if entry.file_type().unwrap().is_dir() {
                crate::support::copy_dir(&entry.path(), &full.path(&entry.file_name().to_string_lossy()));
            } else {
                std::fs::copy(entry.path(), full.path(&entry.file_name().to_string_lossy())).unwrap();
            }
        }
        factsite::pipeline::build(open(&full.root())).unwrap();
        let (served, built) = (p.snapshot(), full.snapshot());
        assert_eq!(served.keys().collect::<Vec<_>>(), built.keys().collect::<Vec<_>>(), "edit {n}: the same files");
        for (file, bytes) in &built {
            // An annotated file the editor saved is left as saved (serve never writes over an
            // editor's file); the full build lays it out again.
            if *file == path {
                continue;
            }
            assert!(served[file] == *bytes, "edit {n} ({path}): {file} differs from a full build's");
        }
    }
}

/// A dispatch of a generated project: places, bodies and figures that recur across
/// dispatches, so that topics, entities and findings run over several pages.
fn dispatch(i: usize, figure: usize) -> String {
    const PLACES: &[&str] = &["Valbrune", "Saint-Orlan", "Mervic", "Castelroc"];
    const BODIES: &[&str] = &["la préfecture", "les pompiers", "la mairie"];
    let (place, body) = (PLACES[i % PLACES.len()], BODIES[(i / 4) % BODIES.len()]);
    format!(
        "Crue à {place} : le point de la situation (dépêche {i})\n\n\
         Par la rédaction, le {} avril 2024\n\n\
         Selon {body}, {figure} personnes ont été évacuées à {place} depuis lundi.\n\n\
         Dans la soirée, {body} a indiqué que {} personnes avaient été évacuées à {place}.\n\n\
         Le maire a indiqué que {} foyers seraient encore privés d'électricité.\n\n\
         Une réunion publique est prévue le {} mars 2024 à {place}.\n",
        1 + i % 27,
        figure + 13,
        40 + (i * 7) % 300,
        2 + i % 26,
    )
}

/// The same on a generated project whose lists run over several pages (topics and entities of
/// more than a hundred claims, more than a hundred findings): a figure changed (its claim, its
/// findings and every page after it in a list shift), a paragraph removed, a new place named, a
/// verdict set.
#[test]
fn incremental_rebuild_equals_full_build_on_paginated_lists() {
    use factsite::config::Project;
    use factsite::pipeline::Session;

    let p = TestProject::empty();
    p.write("factsite.toml", "title = \"Banc\"\nsources_dir = \"sources\"\nbase_url = \"http://127.0.0.1:1111\"\n");
    let count = 240;
    for i in 0..count {
        p.write(&format!("sources/{i:04}.txt"), &dispatch(i, 100 + (i * 37) % 900));
    }
    let (mut session, summary) = Session::start(Project::open(&p.root()).unwrap()).unwrap();
    assert!(summary.claims > 300 && summary.findings > 100, "{} claims, {} findings", summary.claims, summary.findings);
    let edits: Vec<Box<dyn Fn() -> String>> = vec![
        Box::new(|| {
            p.write("sources/0100.txt", &dispatch(100, 5));
            "sources/0100.txt".into()
        }),
        Box::new(|| {
            let text = dispatch(7, 100 + 7 * 37);
            let cut = text.find("Le maire").unwrap();
            p.write("sources/0007.txt", &text[..cut]);
            "sources/0007.txt".into()
        }),
        Box::new(|| {
            let text = format!(
                "{}\nSelon la gendarmerie, 75 personnes ont été hébergées à Port-Aubel.\n",
                dispatch(3, 100 + 3 * 37)
            );
            p.write("sources/0003.txt", &text);
            "sources/0003.txt".into()
        }),
        Box::new(|| {
            let path = "content/sources/0200.md".to_string();
            let md = p.read(&path);
            let block = md.find("\nid = \"").unwrap();
            let review = md[block..].find("[review]").unwrap() + block + "[review]".len();
            p.write(&path, &format!("{}\nverdict = \"faux\"\n{}", &md[..review], &md[review + 1..]));
            path
        }),
    ];
    assert_incremental_equals_full(&p, &mut session, &edits);
}
