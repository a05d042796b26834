//! Atomic replacement of an output file: write a temporary file in the target's directory,
//! sync it, then rename it over the target.
//!
//! [`TempTarget`] owns the temporary path. Until [`TempTarget::commit`] succeeds, the target
//! is untouched; if the `TempTarget` is dropped uncommitted (an error, a panic, an early
//! return), the temporary file is removed. The temporary name is
//! `.<target file name>.tmp-<pid>-<n>`, so it is hidden, recognisably ours, and unique
//! within a process.
//!
//! A process killed mid-write (SIGKILL, power loss) cannot remove its temporary file. The
//! next [`TempTarget::new`] for the same target removes such leftovers: files of that
//! name pattern whose process is gone. Whether a process is gone is only known on Linux
//! (`/proc/<pid>`); elsewhere leftovers stay until removed by hand. A live process's file,
//! or one of this process, is never touched.
//!
//! A large file written over a long time can be flushed while it is written
//! ([`TempTarget::sync_in_background`]), so that the sync before the rename has little left
//! to do.
//!
//! This module does not write the contents itself and does not lock the target against
//! concurrent writers: the last rename wins.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::Duration;

use super::ExportError;

/// Distinguishes temporary files of one process writing the same target twice at once.
static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A temporary file beside a target, renamed over the target by [`commit`](Self::commit)
/// and removed on drop otherwise.
#[derive(Debug)]
pub(crate) struct TempTarget {
    tmp: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl TempTarget {
    /// Reserves a temporary path beside `target`. Creates nothing yet, but removes a stale
    /// file of the same name left by a crashed process with a recycled pid.
    ///
    /// Fails, naming `target`, when its directory does not exist or is not a directory,
    /// or when `target` has no file name.
    pub(crate) fn new(target: &Path) -> Result<TempTarget, ExportError> {
        let io_err = |kind: io::ErrorKind, msg: String| ExportError::Io {
            path: target.to_path_buf(),
            source: io::Error::new(kind, msg),
        };
        let Some(name) = target.file_name() else {
            return Err(io_err(
                io::ErrorKind::InvalidInput,
                "the output path has no file name".to_string(),
            ));
        };
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        match fs::metadata(&dir) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                return Err(io_err(
                    io::ErrorKind::NotADirectory,
                    format!("{} is not a directory", dir.display()),
                ))
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(io_err(
                    io::ErrorKind::NotFound,
                    format!("directory {} does not exist", dir.display()),
                ))
            }
            Err(e) => {
                return Err(ExportError::Io {
                    path: target.to_path_buf(),
                    source: e,
                })
            }
        }
        remove_stale(&dir, name);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let mut tmp_name = std::ffi::OsString::from(".");
        tmp_name.push(name);
        tmp_name.push(format!(".tmp-{}-{n}", std::process::id()));
        let tmp = dir.join(tmp_name);
        match fs::remove_file(&tmp) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(ExportError::Io {
                    path: target.to_path_buf(),
                    source: e,
                })
            }
        }
        Ok(TempTarget {
            tmp,
            target: target.to_path_buf(),
            committed: false,
        })
    }

    /// The temporary file's path, to write to.
    pub(crate) fn path(&self) -> &Path {
        &self.tmp
    }

    /// The final target's path, for error messages.
    pub(crate) fn target(&self) -> &Path {
        &self.target
    }

    /// Starts a thread that flushes what has been written to the temporary file to disk
    /// every `every`, until the returned handle is dropped: the writes reach the disk while
    /// the rest is computed, instead of all in [`commit`](Self::commit). Best effort: a
    /// failed flush is ignored (the one in `commit` reports errors).
    pub(crate) fn sync_in_background(&self, every: Duration) -> BackgroundSync {
        let (stop, stopped) = mpsc::channel::<()>();
        let path = self.tmp.clone();
        let thread = std::thread::spawn(move || {
            while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(every) {
                if let Ok(file) = File::open(&path) {
                    let _ = file.sync_data();
                }
            }
        });
        BackgroundSync {
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// Flushes the temporary file to disk, renames it over the target and syncs the
    /// directory (on Unix). The file must be complete and closed by its writer.
    ///
    /// Returns the target path. On error the temporary file is removed (on drop) and the
    /// target is as it was, unless the rename itself happened.
    pub(crate) fn commit(mut self) -> Result<PathBuf, ExportError> {
        let io = |source: io::Error| ExportError::Io {
            path: self.target.clone(),
            source,
        };
        File::open(&self.tmp)
            .and_then(|f| f.sync_all())
            .map_err(io)?;
        fs::rename(&self.tmp, &self.target).map_err(io)?;
        self.committed = true;
        #[cfg(unix)]
        if let Some(dir) = self.target.parent() {
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            // Best effort: the rename is done; a failed directory sync only weakens
            // durability across a power loss, so it is not reported.
            let _ = File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(self.target.clone())
    }
}

/// The thread started by [`TempTarget::sync_in_background`]; dropping this stops it (after
/// a flush in progress) and waits for it.
#[derive(Debug)]
pub(crate) struct BackgroundSync {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Drop for BackgroundSync {
    fn drop(&mut self) {
        // Disconnecting the channel ends the thread's wait at once.
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            // The thread only flushes; a panic there has nothing to report.
            let _ = thread.join();
        }
    }
}

impl Drop for TempTarget {
    fn drop(&mut self) {
        if !self.committed {
            // Nothing useful can be done if removal fails; the name marks it as ours.
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

/// Removes the temporary files of `target_name` in `dir` left by processes that are gone
/// (see the module documentation). Best effort: errors are ignored, since a leftover only
/// wastes space.
fn remove_stale(dir: &Path, target_name: &std::ffi::OsStr) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let prefix = format!(".{}.tmp-", target_name.to_string_lossy());
    let ours = std::process::id();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix))
            .and_then(temp_owner)
        else {
            continue;
        };
        if pid != ours && process_is_gone(pid) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The pid in the `<pid>-<n>` tail of a temporary name (SQLite's `-journal`, `-wal` and
/// `-shm` companions included); `None` for any other name.
fn temp_owner(tail: &str) -> Option<u32> {
    let mut parts = tail.split('-');
    let pid = parts.next()?.parse().ok()?;
    parts.next()?.parse::<usize>().ok()?;
    match parts.next() {
        None | Some("journal" | "wal" | "shm") if parts.next().is_none() => Some(pid),
        _ => None,
    }
}

/// Whether process `pid` is known to have ended: Linux only, through `/proc`.
fn process_is_gone(pid: u32) -> bool {
    cfg!(target_os = "linux")
        && Path::new("/proc/self").exists()
        && !Path::new("/proc").join(pid.to_string()).exists()
}

/// Writes `bytes` to `target` atomically; returns the target path.
pub(crate) fn write_atomic(target: &Path, bytes: &[u8]) -> Result<PathBuf, ExportError> {
    let tmp = TempTarget::new(target)?;
    let io = |source: io::Error| ExportError::Io {
        path: target.to_path_buf(),
        source,
    };
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(tmp.path())
        .map_err(io)?;
    file.write_all(bytes).map_err(io)?;
    file.sync_all().map_err(io)?;
    drop(file);
    tmp.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn write_atomic_replaces_target_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.dot");
        fs::write(&target, "old").unwrap();
        let got = write_atomic(&target, b"new").unwrap();
        assert_eq!(got, target);
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(entries(dir.path()), vec!["out.dot".to_string()]);
    }

    /// Flushing while writing leaves the contents intact, and stopping does not wait for
    /// the next flush: with an hour between flushes, this would hang otherwise.
    #[test]
    fn background_sync_flushes_while_writing_and_stops_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("kg.sqlite");
        let tmp = TempTarget::new(&target).unwrap();
        let flushing = tmp.sync_in_background(Duration::from_millis(1));
        let mut file = File::create(tmp.path()).unwrap();
        let block = vec![7u8; 64 * 1024];
        for _ in 0..64 {
            file.write_all(&block).unwrap();
            std::thread::sleep(Duration::from_millis(1));
        }
        drop(file);
        drop(flushing);
        tmp.commit().unwrap();
        let written = fs::read(&target).unwrap();
        assert_eq!(written.len(), 64 * block.len());
        assert!(written.iter().all(|&b| b == 7));
        let idle = TempTarget::new(&dir.path().join("other")).unwrap();
        drop(idle.sync_in_background(Duration::from_secs(3600)));
    }

    #[test]
    fn dropped_temp_target_is_removed_and_target_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("kg.sqlite");
        fs::write(&target, "old").unwrap();
        let tmp = TempTarget::new(&target).unwrap();
        let name = tmp
            .path()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        assert!(name.starts_with(".kg.sqlite.tmp-"), "{name}");
        fs::write(tmp.path(), "partial").unwrap();
        drop(tmp);
        assert_eq!(fs::read_to_string(&target).unwrap(), "old");
        assert_eq!(entries(dir.path()), vec!["kg.sqlite".to_string()]);
    }

    #[test]
    fn temp_owner_reads_only_our_names() {
        assert_eq!(temp_owner("123-0"), Some(123));
        assert_eq!(temp_owner("123-4-journal"), Some(123));
        assert_eq!(temp_owner("123"), None);
        assert_eq!(temp_owner("123-x"), None);
        assert_eq!(temp_owner("abc-0"), None);
        assert_eq!(temp_owner("123-0-backup"), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn leftovers_of_ended_processes_are_removed_others_kept() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("kg.sqlite");
        fs::write(&target, "old").unwrap();
        // A process that has ended (and was reaped), pid 1 (always alive), this process.
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let ended = child.id();
        child.wait().unwrap();
        let me = std::process::id();
        let names = [
            format!(".kg.sqlite.tmp-{ended}-0"),
            format!(".kg.sqlite.tmp-{ended}-3-journal"),
            ".kg.sqlite.tmp-1-0".to_string(),
            format!(".kg.sqlite.tmp-{me}-999999"),
            format!(".graph.dot.tmp-{ended}-0"),
            format!(".kg.sqlite.tmp-{ended}-0.keep"),
        ];
        for name in &names {
            fs::write(dir.path().join(name), "partial").unwrap();
        }
        let tmp = TempTarget::new(&target).unwrap();
        drop(tmp);
        let mut kept: Vec<String> = names[2..].to_vec();
        kept.push("kg.sqlite".to_string());
        kept.sort();
        assert_eq!(entries(dir.path()), kept);
    }

    #[test]
    fn missing_directory_is_an_error_naming_the_target() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("nope").join("out.dot");
        let err = write_atomic(&target, b"x").unwrap_err();
        assert!(
            err.to_string().contains(&target.display().to_string()),
            "{err}"
        );
        let source = std::error::Error::source(&err).unwrap().to_string();
        assert!(source.contains("does not exist"), "{source}");
    }
}
