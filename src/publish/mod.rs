//! Stage 7, **publish**: write what the pipeline made. Content files are written atomically
//! (temporary file, then rename) and only when their bytes change; the site is written to a
//! fresh folder that replaces the output folder only once every file is in place, so a failed
//! or killed build leaves the previous output as it was.

use crate::render::OutputFile;
use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

/// What publishing changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Written {
    /// Files whose bytes changed (or were new).
    pub changed: usize,
    /// Files left as they were.
    pub unchanged: usize,
}

/// Join a relative output path to `dir`, refusing anything that could leave it.
pub fn safe_join(dir: &Path, rel: &str) -> io::Result<PathBuf> {
    let path = Path::new(rel);
    let ok = !rel.is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)));
    if !ok {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("refusing to write outside the output folder: {rel:?}"),
        ));
    }
    Ok(dir.join(path))
}

/// Write `bytes` to `path` through a temporary file renamed over it, so that a reader (a
/// browser, a static host's sync) sees the old file or the new one, never half of one. With
/// `durable`, the file reaches the disk before the rename (an editor's file survives a power
/// cut); site files, which a build remakes, skip that wait.
fn write_atomic(path: &Path, bytes: &[u8], durable: bool) -> io::Result<()> {
    let tmp = write_temporary(path, bytes, durable)?;
    fs::rename(&tmp, path).inspect_err(|_| {
        let _ = fs::remove_file(&tmp);
    })
}

/// The path of a temporary file beside `path` (a hidden name, this process's), its folder made.
fn temporary_beside(path: &Path) -> io::Result<PathBuf> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(dir.join(format!(".{name}.factsite-{}.tmp", std::process::id())))
}

/// Write `bytes` to a temporary file beside `path` (flushed to the disk with `durable`), for a
/// rename over `path`. Returns the temporary file's path.
fn write_temporary(path: &Path, bytes: &[u8], durable: bool) -> io::Result<PathBuf> {
    let tmp = temporary_beside(path)?;
    let written = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        if durable {
            f.sync_all()?;
        }
        Ok(())
    })();
    match written {
        Ok(()) => Ok(tmp),
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// The files last written to a folder, by relative path: what an incremental rebuild compares
/// its new files with, so that it never reads the folder back.
pub type WrittenFiles = std::collections::BTreeMap<String, Vec<u8>>;

/// Bring the content folder `dir` up to date after an incremental rebuild: of `fresh` (the
/// annotated files made again), write those whose bytes differ from what `last` says the
/// folder holds, each atomically and flushed to the disk, and bring `last` up to date. The
/// other files are left alone.
pub fn update_content(dir: &Path, last: &mut WrittenFiles, fresh: Vec<OutputFile>) -> io::Result<Written> {
    let mut changed = 0;
    for f in fresh {
        let target = safe_join(dir, &f.path)?;
        if last.get(&f.path) == Some(&f.bytes) && target.is_file() {
            continue;
        }
        write_atomic(&target, &f.bytes, true)?;
        changed += 1;
        last.insert(f.path, f.bytes);
    }
    Ok(Written { changed, unchanged: last.len().saturating_sub(changed) })
}

/// Bring the site in `dir` up to date after an incremental rebuild: of `fresh` (the files made
/// again), write those whose bytes differ from the file there, each atomically, and delete the
/// files named in `gone`. The other files are left alone. `total` is the number of files the
/// site now has, for the count of unchanged ones.
pub fn update_site(dir: &Path, fresh: Vec<OutputFile>, gone: &[&String], total: usize) -> io::Result<Written> {
    let mut changed = 0;
    for f in fresh {
        let target = safe_join(dir, &f.path)?;
        if !same_bytes(&target, &f.bytes) {
            write_atomic(&target, &f.bytes, false)?;
            changed += 1;
        }
    }
    for path in gone {
        match fs::remove_file(safe_join(dir, path)?) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    Ok(Written { changed, unchanged: total.saturating_sub(changed) })
}

/// A file of an output folder written anew, piece by piece, to a temporary file beside it:
/// [`Pending::place`] puts it in place if its bytes changed; dropped unplaced, the temporary
/// file is removed and the file left as it was. Several of them placed together change a
/// folder all or nothing, but for the time between their renames.
#[derive(Debug)]
pub struct Pending {
    tmp: Option<PathBuf>,
    target: PathBuf,
}

impl Pending {
    /// Write the file `path` of the folder `dir` with `write`, to a temporary file. When
    /// `write` fails, the temporary file is removed.
    pub fn write(dir: &Path, path: &str, write: &mut crate::render::WriteFn) -> io::Result<Pending> {
        let target = safe_join(dir, path)?;
        let tmp = temporary_beside(&target)?;
        // From here on, a failure drops it, which removes the temporary file.
        let pending = Pending { tmp: Some(tmp.clone()), target };
        let mut out = io::BufWriter::with_capacity(1 << 20, fs::File::create(&tmp)?);
        write(&mut out)?;
        out.flush()?;
        Ok(pending)
    }

    /// Rename the file into place if its bytes changed (else the old file is left, its date
    /// too): returns whether it changed.
    pub fn place(mut self) -> io::Result<bool> {
        let Some(tmp) = self.tmp.take() else { return Ok(false) };
        let placed = if same_files(&self.target, &tmp) {
            fs::remove_file(&tmp).map(|()| false)
        } else {
            fs::rename(&tmp, &self.target).map(|()| true)
        };
        if placed.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        placed
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if let Some(tmp) = self.tmp.take() {
            let _ = fs::remove_file(tmp);
        }
    }
}

/// A new output folder being filled, file by file, from several threads; it replaces the
/// output folder on [`Staging::commit`]. Dropped without a commit (a failed build), it is
/// deleted and the previous output stays as it was.
pub struct Staging {
    output_dir: PathBuf,
    staging: PathBuf,
    retired: PathBuf,
    changed: std::sync::atomic::AtomicUsize,
    unchanged: std::sync::atomic::AtomicUsize,
    committed: bool,
}

impl Staging {
    /// Start a new output for `output_dir`, removing what a killed build left behind.
    pub fn begin(output_dir: &Path) -> io::Result<Staging> {
        let parent = output_dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        fs::create_dir_all(parent)?;
        let name = output_dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
        let staging = parent.join(format!(".{name}.factsite-new"));
        let retired = parent.join(format!(".{name}.factsite-old"));
        for stale in [&staging, &retired] {
            if stale.exists() {
                fs::remove_dir_all(stale)?;
            }
        }
        fs::create_dir_all(&staging)?;
        Ok(Staging {
            output_dir: output_dir.to_path_buf(),
            staging,
            retired,
            changed: Default::default(),
            unchanged: Default::default(),
            committed: false,
        })
    }

    /// Add a file. One whose bytes did not change is linked from the previous output (same
    /// inode, same modification time), so a static host that syncs by date uploads only what
    /// changed.
    pub fn put(&self, file: &OutputFile) -> io::Result<()> {
        use std::sync::atomic::Ordering::Relaxed;
        let target = safe_join(&self.staging, &file.path)?;
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir)?;
        }
        let previous = safe_join(&self.output_dir, &file.path)?;
        if same_bytes(&previous, &file.bytes) && fs::hard_link(&previous, &target).is_ok() {
            self.unchanged.fetch_add(1, Relaxed);
            return Ok(());
        }
        fs::write(&target, &file.bytes)?;
        self.changed.fetch_add(1, Relaxed);
        Ok(())
    }

    /// Swap the new output in for the old one.
    pub fn commit(mut self) -> io::Result<Written> {
        let output_dir = &self.output_dir;
        if output_dir.exists() {
            fs::rename(output_dir, &self.retired)?;
        }
        if let Err(e) = fs::rename(&self.staging, output_dir) {
            let _ = fs::rename(&self.retired, output_dir);
            return Err(e);
        }
        self.committed = true;
        if self.retired.exists() {
            fs::remove_dir_all(&self.retired)?;
        }
        Ok(Written { changed: *self.changed.get_mut(), unchanged: *self.unchanged.get_mut() })
    }
}

impl crate::render::Sink for Staging {
    fn put(&self, file: OutputFile) -> io::Result<()> {
        Staging::put(self, &file)
    }

    /// Written straight into the staging folder through a buffer; then, when the previous
    /// output holds the same bytes, replaced by a link to it (as [`Staging::put`] does).
    fn put_streamed(&self, path: &str, write: &mut crate::render::WriteFn) -> io::Result<()> {
        use std::sync::atomic::Ordering::Relaxed;
        let target = safe_join(&self.staging, path)?;
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir)?;
        }
        let mut write_out = || -> io::Result<()> {
            let mut out = io::BufWriter::with_capacity(1 << 20, fs::File::create(&target)?);
            write(&mut out)?;
            out.flush()
        };
        write_out()?;
        let previous = safe_join(&self.output_dir, path)?;
        if same_files(&previous, &target) {
            fs::remove_file(&target)?;
            if fs::hard_link(&previous, &target).is_ok() {
                self.unchanged.fetch_add(1, Relaxed);
                return Ok(());
            }
            // No link between these folders: the file is written again.
            write_out()?;
        }
        self.changed.fetch_add(1, Relaxed);
        Ok(())
    }
}

/// True when the files `a` and `b` hold the same bytes, read a block at a time.
fn same_files(a: &Path, b: &Path) -> bool {
    use std::io::Read;
    let (Ok(ma), Ok(mb)) = (fs::metadata(a), fs::metadata(b)) else { return false };
    if ma.len() != mb.len() {
        return false;
    }
    let (Ok(fa), Ok(fb)) = (fs::File::open(a), fs::File::open(b)) else { return false };
    let (mut ra, mut rb) = (io::BufReader::with_capacity(1 << 20, fa), io::BufReader::with_capacity(1 << 20, fb));
    let (mut ba, mut bb) = (vec![0u8; 1 << 16], vec![0u8; 1 << 16]);
    loop {
        let n = match ra.read(&mut ba) {
            Ok(0) => return rb.read(&mut bb).is_ok_and(|m| m == 0),
            Ok(n) => n,
            Err(_) => return false,
        };
        if rb.read_exact(&mut bb[..n]).is_err() || ba[..n] != bb[..n] {
            return false;
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// True when the file at `path` holds exactly `bytes` (its size is checked before it is read).
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    fs::metadata(path).is_ok_and(|m| m.len() == bytes.len() as u64) && fs::read(path).is_ok_and(|old| old == bytes)
}

/// Write annotated Markdown files under the content folder as they come, from several threads,
/// each atomically and only when its bytes changed. The new files are written to temporary
/// files first, then flushed to the disk many at a time (one wait a file, in turn, costs more
/// than the build at archive scale), then renamed into place: a crash leaves each file whole,
/// old or new.
pub fn write_content_each(
    content_dir: &Path,
    files: impl rayon::iter::ParallelIterator<Item = OutputFile>,
) -> io::Result<Written> {
    use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
    let unchanged = AtomicUsize::new(0);
    let pending = std::sync::Mutex::new(Vec::new());
    let written = files.try_for_each(|f| {
        let target = safe_join(content_dir, &f.path)?;
        if same_bytes(&target, &f.bytes) {
            unchanged.fetch_add(1, Relaxed);
            return Ok(());
        }
        let tmp = write_temporary(&target, &f.bytes, false)?;
        pending.lock().expect("no panic while holding the lock").push((tmp, target));
        Ok::<(), io::Error>(())
    });
    let pending = pending.into_inner().expect("no panic while holding the lock");
    let placed = written.and_then(|()| {
        flush_files(&pending.iter().map(|(tmp, _)| tmp.as_path()).collect::<Vec<_>>())?;
        pending.iter().try_for_each(|(tmp, target)| fs::rename(tmp, target))
    });
    if let Err(e) = placed {
        for (tmp, _) in &pending {
            let _ = fs::remove_file(tmp);
        }
        return Err(e);
    }
    Ok(Written { changed: pending.len(), unchanged: unchanged.into_inner() })
}

/// Flush `files` to the disk, many at a time: the disk then commits them in a few batches
/// instead of one wait a file.
fn flush_files(files: &[&Path]) -> io::Result<()> {
    const AT_ONCE: usize = 32;
    let per = files.len().div_ceil(AT_ONCE).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(per)
            .map(|chunk| scope.spawn(move || chunk.iter().try_for_each(|f| fs::File::open(f)?.sync_all())))
            .collect();
        handles
            .into_iter()
            .try_for_each(|h| h.join().unwrap_or_else(|_| Err(io::Error::other("flush thread panicked"))))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_escape() {
        let d = Path::new("/out");
        assert!(safe_join(d, "../x").is_err());
        assert!(safe_join(d, "/etc/passwd").is_err());
        assert!(safe_join(d, "a/../../x").is_err());
        assert!(safe_join(d, "").is_err());
        assert_eq!(safe_join(d, "a/b.html").unwrap(), Path::new("/out/a/b.html"));
    }

    #[test]
    fn update_writes_only_what_changed() {
        let tmp = tempfile::tempdir().unwrap();
        let f = |p: &str, b: &str| OutputFile { path: p.into(), bytes: b.as_bytes().to_vec() };
        let mut last = WrittenFiles::new();
        let w = update_content(tmp.path(), &mut last, vec![f("a.md", "1"), f("b/old.md", "x")]);
        assert_eq!(w.unwrap(), Written { changed: 2, unchanged: 0 });
        let a_before = fs::metadata(tmp.path().join("a.md")).unwrap().modified().unwrap();
        let w = update_content(tmp.path(), &mut last, vec![f("a.md", "1"), f("c.md", "2")]).unwrap();
        assert_eq!(w, Written { changed: 1, unchanged: 2 });
        assert_eq!(fs::metadata(tmp.path().join("a.md")).unwrap().modified().unwrap(), a_before);
        assert_eq!(fs::read_to_string(tmp.path().join("c.md")).unwrap(), "2");
        assert_eq!(last.keys().collect::<Vec<_>>(), ["a.md", "b/old.md", "c.md"]);
        // A file deleted behind the build's back is written again.
        fs::remove_file(tmp.path().join("a.md")).unwrap();
        let w = update_content(tmp.path(), &mut last, vec![f("a.md", "1")]).unwrap();
        assert_eq!(w, Written { changed: 1, unchanged: 2 });
        assert!(update_content(tmp.path(), &mut last, vec![f("../x", "")]).is_err());
    }

    #[test]
    fn the_site_is_updated_against_the_disk_and_loses_what_is_gone() {
        let tmp = tempfile::tempdir().unwrap();
        let f = |p: &str, b: &str| OutputFile { path: p.into(), bytes: b.as_bytes().to_vec() };
        update_site(tmp.path(), vec![f("a.html", "1"), f("old.html", "x")], &[], 2).unwrap();
        let gone = "old.html".to_string();
        let w = update_site(tmp.path(), vec![f("a.html", "1"), f("b.html", "2")], &[&gone], 2).unwrap();
        assert_eq!(w, Written { changed: 1, unchanged: 1 });
        assert!(!tmp.path().join("old.html").exists());
        assert_eq!(fs::read_to_string(tmp.path().join("b.html")).unwrap(), "2");
    }

    #[test]
    fn a_streamed_file_that_did_not_change_is_linked_from_the_previous_output() {
        use crate::render::Sink;
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let build = |text: &'static str| {
            let staging = Staging::begin(&out).unwrap();
            staging.put_streamed("data/big.json", &mut |w| w.write_all(text.as_bytes())).unwrap();
            staging.commit().unwrap()
        };
        assert_eq!(build("[1, 2]"), Written { changed: 1, unchanged: 0 });
        assert_eq!(build("[1, 2]"), Written { changed: 0, unchanged: 1 });
        assert_eq!(build("[1, 3]"), Written { changed: 1, unchanged: 0 });
        assert_eq!(fs::read_to_string(out.join("data/big.json")).unwrap(), "[1, 3]");
    }

    #[test]
    fn a_file_written_piece_by_piece_replaces_the_old_one_only_when_placed_and_changed() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("data/big.json");
        let write = |pieces: &[&str]| {
            Pending::write(tmp.path(), "data/big.json", &mut |w| {
                pieces.iter().try_for_each(|p| w.write_all(p.as_bytes()))
            })
        };
        let files = || fs::read_dir(tmp.path().join("data")).unwrap().count();
        assert!(write(&["[1, ", "2]"]).unwrap().place().unwrap());
        let written = fs::metadata(&path).unwrap().modified().unwrap();
        assert!(!write(&["[1, 2", "]"]).unwrap().place().unwrap(), "the same bytes in other pieces");
        assert_eq!(fs::metadata(&path).unwrap().modified().unwrap(), written);
        assert!(write(&["[1, 3]"]).unwrap().place().unwrap());
        assert_eq!(fs::read_to_string(&path).unwrap(), "[1, 3]");
        assert_eq!(files(), 1);
        // Written but not placed (another export was stopped by the next save): the file is as
        // it was, and no temporary file is left.
        let pending = write(&["[5]"]).unwrap();
        assert_eq!(files(), 2);
        drop(pending);
        assert_eq!((fs::read_to_string(&path).unwrap().as_str(), files()), ("[1, 3]", 1));
        // A writer that fails half-way: the same.
        let failed = Pending::write(tmp.path(), "data/big.json", &mut |w| {
            w.write_all(b"[4, ")?;
            Err(io::Error::other("stopped"))
        });
        assert!(failed.is_err());
        assert_eq!((fs::read_to_string(&path).unwrap().as_str(), files()), ("[1, 3]", 1));
        assert!(Pending::write(tmp.path(), "../x", &mut |_| Ok(())).is_err());
    }

    #[test]
    fn content_files_are_written_when_changed_and_leave_no_temporary_file() {
        use rayon::prelude::*;
        let tmp = tempfile::tempdir().unwrap();
        let f = |p: &str, b: &str| OutputFile { path: p.into(), bytes: b.as_bytes().to_vec() };
        let write = |files: Vec<OutputFile>| write_content_each(tmp.path(), files.into_par_iter()).unwrap();
        assert_eq!(write(vec![f("sources/a.md", "1"), f("sources/b.md", "2")]), Written { changed: 2, unchanged: 0 });
        assert_eq!(write(vec![f("sources/a.md", "1"), f("sources/b.md", "3")]), Written { changed: 1, unchanged: 1 });
        assert_eq!(fs::read_to_string(tmp.path().join("sources/b.md")).unwrap(), "3");
        let names: Vec<String> = fs::read_dir(tmp.path().join("sources"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
        assert!(write_content_each(tmp.path(), vec![f("../x.md", "")].into_par_iter()).is_err());
    }

    #[test]
    fn site_is_replaced_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let f = |p: &str, b: &str| OutputFile { path: p.into(), bytes: b.as_bytes().to_vec() };
        let write_site = |files: &[OutputFile]| {
            let staging = Staging::begin(&out).unwrap();
            files.iter().for_each(|f| staging.put(f).unwrap());
            staging.commit().unwrap()
        };
        write_site(&[f("a.html", "1"), f("old.html", "x")]);
        let w = write_site(&[f("a.html", "1"), f("b/c.html", "2")]);
        assert_eq!(w, Written { changed: 1, unchanged: 1 });
        assert!(!out.join("old.html").exists());
        assert_eq!(fs::read_to_string(out.join("b/c.html")).unwrap(), "2");
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1, "no staging folder left behind");
    }
}
