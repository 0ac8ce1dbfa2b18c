//! A static file server on a loopback port, as a static host would serve the built site:
//! `dir/` maps to `dir/index.html`, a missing file gets `404.html` with status 404. Search
//! (fetch, WebAssembly) needs HTTP, not `file://`.
//!
//! It also serves one page of its own, [`JS_PROBE`], which proves whether a session really runs
//! scripts.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};

/// Path of the probe page: its title is `off` unless a script ran and set it to `on`.
pub const JS_PROBE: &str = "/__factsite_test__/js-probe.html";

const PROBE_HTML: &str = "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>off</title>\
<script>document.title = 'on'</script></head><body><p>probe</p></body></html>";

/// Serve `dir` on 127.0.0.1; returns the base URL (`http://127.0.0.1:PORT/`). The server thread
/// lives as long as the test process.
pub fn serve(dir: &Path) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let dir = dir.to_path_buf();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dir = dir.clone();
            std::thread::spawn(move || {
                let _ = respond(&dir, stream);
            });
        }
    });
    format!("http://127.0.0.1:{port}/")
}

fn respond(dir: &Path, mut stream: TcpStream) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Read the headers to the end so closing the socket does not reset the connection.
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header == "\r\n" || header == "\n" {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let (status, mime, body) = if path == JS_PROBE {
        ("200 OK", "text/html; charset=utf-8", PROBE_HTML.as_bytes().to_vec())
    } else {
        match resolve(dir, path) {
            Some(file) => ("200 OK", mime(&file), std::fs::read(&file)?),
            None => match std::fs::read(dir.join("404.html")) {
                Ok(page) => ("404 Not Found", "text/html; charset=utf-8", page),
                Err(_) => ("404 Not Found", "text/plain; charset=utf-8", b"not found".to_vec()),
            },
        }
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {mime}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    if method != "HEAD" {
        stream.write_all(&body)?;
    }
    stream.flush()
}

/// The file a URL path names inside `dir`, refusing anything that climbs out of it.
fn resolve(dir: &Path, path: &str) -> Option<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8().ok()?;
    let mut file = dir.to_path_buf();
    for part in decoded.split('/').filter(|p| !p.is_empty() && *p != ".") {
        if part == ".." || part.contains('\\') {
            return None;
        }
        file.push(part);
    }
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

fn mime(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "atom" => "application/atom+xml",
        "svg" => "image/svg+xml",
        "wasm" => "application/wasm",
        "csv" => "text/csv; charset=utf-8",
        "md" | "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}
