//! `factsite serve`: build, serve the output folder over HTTP (`tiny_http`, one thread per
//! request), watch the project (`notify`, debounced) and rebuild only what a change touches
//! ([`pipeline::Session`]), then tell the browser to reload through a server-sent events
//! endpoint. The reload script is added to HTML responses only, never to the built files. A
//! failed build is shown in the page, with file, line and message, and the server keeps
//! running.

use super::build::open;
use crate::diagnostic::{self, Diagnostic};
use crate::pipeline::{BuildError, Change, Session};
use anyhow::{anyhow, Context};
use notify::{RecursiveMode, Watcher};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{channel, RecvTimeoutError, Sender, TryRecvError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The path of the server-sent events endpoint.
const EVENTS: &str = "/__factsite/events";

/// Tells the page to reload when the server says so. Kept tiny and dependency-free.
const RELOAD_SCRIPT: &str =
    "<script>new EventSource(\"/__factsite/events\").addEventListener(\"reload\",()=>location.reload());</script>";

/// What the HTTP threads share with the watch loop.
struct State {
    output_dir: PathBuf,
    /// The page shown instead of every HTML page while the last build failed.
    error_page: Mutex<Option<String>>,
    /// One sender per open event stream.
    clients: Mutex<Vec<Sender<&'static str>>>,
}

impl State {
    fn broadcast(&self, event: &'static str) {
        self.clients.lock().expect("clients lock").retain(|c| c.send(event).is_ok());
    }
}

pub fn run(root: &Path, interface: &str, port: u16) -> anyhow::Result<i32> {
    crate::keep_freed_memory();
    let server =
        tiny_http::Server::http((interface, port)).map_err(|e| anyhow!("cannot listen on {interface}:{port}: {e}"))?;
    let addr = server.server_addr().to_ip().ok_or_else(|| anyhow!("not listening on an IP address"))?;
    if !addr.ip().is_loopback() {
        eprintln!("warning: serving on {addr}: other machines on the network can read the site");
    }
    let base_url = format!("http://{addr}");
    // Watchers report absolute paths: the project's folders must be absolute to match them.
    let root = &std::fs::canonicalize(root).with_context(|| format!("cannot open {}", root.display()))?;
    let reopen = || open(root, Some(base_url.clone()), None).map_err(to_build_error);
    let project = reopen()?;
    let state = Arc::new(State {
        output_dir: project.output_dir(),
        error_page: Mutex::new(None),
        clients: Mutex::new(Vec::new()),
    });
    let started = Instant::now();
    let mut session = match Session::start(project.clone()) {
        Ok((session, summary)) => {
            println!(
                "Built {} claims from {} sources in {} ms.",
                summary.claims,
                summary.sources,
                started.elapsed().as_millis()
            );
            Some(session)
        }
        Err(e) => {
            report_failure(&state, &project.root, &e);
            None
        }
    };

    let (tx, rx) = channel::<Vec<PathBuf>>();
    // How many changes the watcher has reported: the exports stop when it moves.
    let reported = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&reported);
    // Changes only: notify also reports a file opened or read, and every rebuild reads the
    // files it watches, so reads taken for changes would rebuild for ever (and a rebuild
    // racing an editor's save could read the file half-written).
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        let read = matches!(
            event.kind,
            notify::EventKind::Access(kind) if kind != notify::event::AccessKind::Close(notify::event::AccessMode::Write)
        );
        if !read {
            counter.fetch_add(1, Ordering::Relaxed);
            let _ = tx.send(event.paths);
        }
    })?;
    // The root without recursion (factsite.toml), then the folders the build reads. The output
    // folder is not watched: serve's own writes must not trigger a rebuild.
    watcher.watch(&project.root, RecursiveMode::NonRecursive)?;
    for dir in [project.sources_dir(), project.content_dir(), project.templates_dir()] {
        if dir.is_dir() {
            watcher.watch(&dir, RecursiveMode::Recursive)?;
        }
    }

    let http_state = Arc::clone(&state);
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let state = Arc::clone(&http_state);
            std::thread::spawn(move || respond(&state, request));
        }
    });
    println!("Serving {} on http://{addr}/ (Ctrl+C to stop)", state.output_dir.display());

    loop {
        let mut paths = match rx.try_recv() {
            Ok(paths) => paths,
            Err(TryRecvError::Disconnected) => break,
            // Nothing waiting: the exports (every claim), left by the last rebuild, then wait.
            Err(TryRecvError::Empty) => {
                if let Some(s) = session.as_mut().filter(|s| s.exports_stale()) {
                    publish_exports(s, &reported, &state, &project.root);
                }
                match rx.recv() {
                    Ok(paths) => paths,
                    Err(_) => break,
                }
            }
        };
        // Debounced: a save comes as several events; take them all, until 100 ms pass quietly.
        while let Ok(more) = rx.recv_timeout(Duration::from_millis(100)) {
            paths.extend(more);
        }
        let change = match &session {
            Some(s) => s.classify(&paths),
            None => Change { everything: true, ..Change::default() },
        };
        if change.is_empty() {
            continue;
        }
        let started = Instant::now();
        let result = match session.as_mut() {
            Some(s) => s.rebuild(&change, reopen),
            None => reopen().and_then(Session::start).map(|(s, summary)| {
                session = Some(s);
                summary
            }),
        };
        match result {
            Ok(summary) => {
                *state.error_page.lock().expect("error lock") = None;
                println!(
                    "Rebuilt in {} ms: {} site file(s) and {} annotated file(s) written.",
                    started.elapsed().as_millis(),
                    summary.site.changed,
                    summary.content.changed
                );
                // The exports come next, unless another change is waiting.
                state.broadcast("reload");
            }
            Err(e) => report_failure(&state, &project.root, &e),
        }
    }
    Ok(0)
}

/// Bring the exports up to date after the pages, which the browser is reloading: they hold
/// every claim, so they take long in a large project, and they stop as soon as the watcher
/// reports another change (the next rebuild then does not wait for them; they are made after
/// it).
fn publish_exports(session: &mut Session, reported: &AtomicU64, state: &State, root: &Path) {
    let started = Instant::now();
    let seen = reported.load(Ordering::Relaxed);
    match session.publish_exports_until(&|| reported.load(Ordering::Relaxed) != seen) {
        Ok(Some(w)) if w.changed > 0 => println!("Exports updated in {} ms.", started.elapsed().as_millis()),
        Ok(Some(_)) => {}
        Ok(None) => println!("Exports stopped after {} ms: another change came.", started.elapsed().as_millis()),
        Err(e) => report_failure(state, root, &e),
    }
}

fn to_build_error(e: anyhow::Error) -> BuildError {
    match e.downcast::<crate::config::ConfigError>() {
        Ok(c) => BuildError::Config(c),
        Err(e) => BuildError::Io { path: String::new(), source: std::io::Error::other(e.to_string()) },
    }
}

fn report_failure(state: &State, root: &Path, error: &BuildError) {
    let read = |path: &str| (!path.is_empty()).then(|| std::fs::read_to_string(root.join(path)).ok()).flatten();
    let diags = diagnostic::with_line_spans(diagnostic::from_build_error(error), read);
    let rendered: Vec<String> = diags.iter().map(|d| d.render(read(&d.path).as_deref())).collect();
    for r in &rendered {
        eprintln!("{r}");
    }
    eprintln!("The build failed; the server keeps serving and will rebuild on the next change.");
    *state.error_page.lock().expect("error lock") = Some(error_page(&diags, &rendered));
    state.broadcast("reload");
}

/// The page shown while the build is broken: each problem's file, line, message and snippet.
fn error_page(diags: &[Diagnostic], rendered: &[String]) -> String {
    let mut body = String::new();
    for (d, text) in diags.iter().zip(rendered) {
        body.push_str(&format!(
            "<section class=\"build-error\"><h2><code>{}:{}</code></h2><p>{}</p><pre>{}</pre></section>\n",
            escape(&d.path),
            d.line,
            escape(&d.message),
            escape(text)
        ));
    }
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed</title>\
         <style>body{{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}pre{{background:#f4f4f4;padding:1rem;overflow:auto}}</style></head>\
         <body><h1>The build failed</h1><p>factsite serve keeps running: fix the file and save it, and this page reloads.</p>\n{body}</body></html>\n"
    )
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn respond(state: &State, request: tiny_http::Request) {
    let url = request.url().to_string();
    let path = url.split(['?', '#']).next().unwrap_or("/");
    if path == EVENTS {
        return stream_events(state, request);
    }
    let (status, mime, body) = match file_for(&state.output_dir, path) {
        Some(file) => match std::fs::read(&file) {
            Ok(bytes) => (200, mime_of(&file), bytes),
            Err(_) => not_found(&state.output_dir),
        },
        None => not_found(&state.output_dir),
    };
    let (status, body) = match (mime.starts_with("text/html"), state.error_page.lock().expect("error lock").clone()) {
        (true, Some(page)) => (500, page.into_bytes()),
        _ => (status, body),
    };
    let body = if mime.starts_with("text/html") { with_reload_script(body) } else { body };
    let response = tiny_http::Response::from_data(body)
        .with_status_code(status)
        .with_header(header("Content-Type", mime))
        .with_header(header("Cache-Control", "no-store"));
    let _ = request.respond(response);
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name, value).expect("valid header")
}

fn not_found(output_dir: &Path) -> (u16, &'static str, Vec<u8>) {
    let page = std::fs::read(output_dir.join("404.html"))
        .unwrap_or_else(|_| b"<!doctype html><title>Not found</title><h1>Not found</h1>".to_vec());
    (404, "text/html; charset=utf-8", page)
}

/// The file of the output folder a request path names, or `None` when the path is not a file
/// there: `..`, an absolute or encoded escape, a link leading out of the folder.
fn file_for(output_dir: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(url_path).decode_utf8().ok()?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let rel = decoded.trim_start_matches('/');
    let rel = if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel.to_string() };
    let mut file = crate::publish::safe_join(output_dir, &rel).ok()?;
    if file.is_dir() {
        file = file.join("index.html");
    }
    let real = file.canonicalize().ok()?;
    real.starts_with(output_dir.canonicalize().ok()?).then_some(real).filter(|p| p.is_file())
}

fn mime_of(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("csv") => "text/csv; charset=utf-8",
        Some("xml") => "application/xml",
        Some("svg") => "image/svg+xml",
        Some("txt") | Some("md") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The page with the reload script before its last `</body>` (or at its end).
fn with_reload_script(mut html: Vec<u8>) -> Vec<u8> {
    let at = html.windows(7).rposition(|w| w.eq_ignore_ascii_case(b"</body>")).unwrap_or(html.len());
    html.splice(at..at, RELOAD_SCRIPT.bytes());
    html
}

/// A server-sent events stream: a `reload` event after each rebuild (or failed build), and a
/// comment every 15 seconds so that a closed tab is noticed and its thread ends.
fn stream_events(state: &State, request: tiny_http::Request) {
    let (tx, rx) = channel();
    state.clients.lock().expect("clients lock").push(tx);
    let mut w = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n: connected\n\n";
    if w.write_all(head.as_bytes()).and_then(|_| w.flush()).is_err() {
        return;
    }
    loop {
        let chunk = match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(event) => format!("event: {event}\ndata: {event}\n\n"),
            Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if w.write_all(chunk.as_bytes()).and_then(|_| w.flush()).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_cannot_leave_the_output_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        std::fs::create_dir_all(out.join("sources")).unwrap();
        std::fs::write(out.join("index.html"), "home").unwrap();
        std::fs::write(out.join("sources/a.html"), "a").unwrap();
        std::fs::write(tmp.path().join("secret.txt"), "no").unwrap();
        assert_eq!(file_for(&out, "/"), Some(out.canonicalize().unwrap().join("index.html")));
        assert_eq!(file_for(&out, "/sources/a.html"), Some(out.canonicalize().unwrap().join("sources/a.html")));
        for bad in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/sources/..%2f..%2fsecret.txt",
            "/..\\secret.txt",
            "//etc/passwd",
            "/a%00",
        ] {
            assert_eq!(file_for(&out, bad), None, "{bad}");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(tmp.path().join("secret.txt"), out.join("link.txt")).unwrap();
            assert_eq!(file_for(&out, "/link.txt"), None, "a link out of the folder is not followed");
        }
    }

    #[test]
    fn the_reload_script_goes_before_the_end_of_the_body() {
        let page = String::from_utf8(with_reload_script(b"<html><body><p>x</p></BODY></html>".to_vec())).unwrap();
        assert!(
            page.starts_with("<html><body><p>x</p><script>") && page.ends_with("</script></BODY></html>"),
            "{page}"
        );
    }
}
