//! The test builder: a project in a temporary folder, built by the real binary.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (the sample project).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A project in a temporary folder.
pub struct TestProject {
    pub dir: tempfile::TempDir,
}

impl TestProject {
    /// The sample project: the repository's factsite.toml, seeds and content data files,
    /// without its generated annotations (a cold build).
    pub fn sample() -> TestProject {
        let p = TestProject::empty();
        std::fs::copy(repo().join("factsite.toml"), p.path("factsite.toml")).unwrap();
        copy_dir(&repo().join("seeds"), &p.path("seeds"));
        let content = repo().join("content");
        std::fs::create_dir_all(p.path("content")).unwrap();
        for entry in std::fs::read_dir(&content).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_file() {
                std::fs::copy(entry.path(), p.path("content").join(entry.file_name())).unwrap();
            }
        }
        p
    }

    /// A fresh project made by `factsite init`.
    pub fn init() -> TestProject {
        let p = TestProject::empty();
        let out = factsite(&p.root(), &["init", "."]);
        assert!(out.status.success(), "init failed: {}", String::from_utf8_lossy(&out.stderr));
        p
    }

    pub fn empty() -> TestProject {
        TestProject { dir: tempfile::tempdir().unwrap() }
    }

    pub fn root(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// Run a factsite command in the project.
    pub fn run(&self, args: &[&str]) -> Output {
        factsite(&self.root(), args)
    }

    /// `factsite build`, which must succeed.
    pub fn build(&self) -> &Self {
        let out = self.run(&["build"]);
        assert!(
            out.status.success(),
            "build failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        self
    }

    /// A JSON file of the output.
    pub fn json(&self, rel: &str) -> serde_json::Value {
        serde_json::from_str(&self.read(&format!("public/{rel}"))).unwrap()
    }

    /// Every file of the output and content folders, by path: what a build wrote.
    pub fn snapshot(&self) -> std::collections::BTreeMap<String, Vec<u8>> {
        let mut out = std::collections::BTreeMap::new();
        for dir in ["public", "content"] {
            for e in walkdir::WalkDir::new(self.path(dir)).sort_by_file_name() {
                let e = e.unwrap();
                if e.file_type().is_file() {
                    let rel = e.path().strip_prefix(self.root()).unwrap().display().to_string();
                    out.insert(rel, std::fs::read(e.path()).unwrap());
                }
            }
        }
        out
    }

    /// An HTML page of the output, parsed.
    pub fn html(&self, rel: &str) -> scraper::Html {
        scraper::Html::parse_document(&self.read(&format!("public/{rel}")))
    }

    /// The element a site URL with a fragment (`sources/x.html#claim-y`) points at, as HTML.
    pub fn fragment(&self, url: &str) -> scraper::Html {
        let (file, id) = url.split_once('#').unwrap_or_else(|| panic!("{url} has no fragment"));
        fragment_of(&self.html(file), id).unwrap_or_else(|| panic!("no element #{id} in {file}"))
    }
}

/// The element with id `id` in `page`, as its own HTML fragment.
pub fn fragment_of(page: &scraper::Html, id: &str) -> Option<scraper::Html> {
    let sel = scraper::Selector::parse(&format!("[id='{id}']")).unwrap();
    page.select(&sel).next().map(|e| scraper::Html::parse_fragment(&e.html()))
}

/// Run the factsite binary in `dir`.
pub fn factsite(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_factsite")).current_dir(dir).args(args).output().unwrap()
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// CSS selector helper.
pub fn sel(s: &str) -> scraper::Selector {
    scraper::Selector::parse(s).unwrap()
}
