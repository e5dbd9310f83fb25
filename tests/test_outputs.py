"""Outputs respect what they are given (dormnet/io/_atomic.py), in the library and through the
CLI: a regular file is replaced atomically (its mode kept); a symbolic link is followed and its
target replaced, the link stays; a FIFO, a character device, ``/dev/stdout`` and ``/dev/fd/N``
are written to, never renamed over.

Safety: a broken ``_atomic`` run as root would rename over the system's ``/dev/stdout`` or
``/dev/null``. The character device written here is a null device made in ``tmp_path``
(as root; otherwise ``/dev/null``, which a non-root rename cannot touch), and every test that
writes to ``/dev/stdout`` first checks, without writing, that ``/dev/stdout`` would be written
to directly.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from dormnet.cli import main
from dormnet.io._atomic import atomic_open, atomic_write_text, writes_through

from .conftest import cli_command

GOOD = "# toggle\na, !b\nb, !a\nc, a & c\n"
SIF = "b\tinhibits\ta"


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def model(tmp_path: Path) -> Path:
    m = tmp_path / "m.bnet"
    m.write_text(GOOD)
    return m


class FifoReader:
    """Reads a FIFO in a thread, as a downstream process would."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data: bytes | None = None
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        with open(self.path, "rb") as fh:  # blocks until a writer opens the FIFO
            self.data = fh.read()

    def result(self, timeout: float = 60) -> bytes:
        self.thread.join(timeout)
        assert not self.thread.is_alive(), f"nothing was written to the FIFO {self.path}"
        assert self.data is not None
        return self.data


def safe_dev_stdout() -> None:
    """Refuse to run a /dev/stdout test if the library would rename over /dev/stdout."""
    assert writes_through("/dev/stdout"), "atomic_open would replace /dev/stdout: not run"


def cli(*args: str, **kwargs) -> subprocess.CompletedProcess:
    """The installed console script in a child process."""
    kwargs.setdefault("capture_output", True)
    return subprocess.run([*cli_command(), *args], check=False, text=True, timeout=300, **kwargs)


# -- regular files ------------------------------------------------------------------------------


def test_a_new_file_gets_the_permissions_of_a_plain_open(tmp_path):
    out = tmp_path / "new.txt"
    atomic_write_text(out, "x\n")
    assert out.read_text() == "x\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask()
    assert leftovers(tmp_path) == []


def test_a_replaced_file_keeps_its_mode_and_is_a_new_inode(tmp_path):
    out = tmp_path / "private.tsv"
    out.write_text("old\n")
    out.chmod(0o600)
    before = out.stat().st_ino
    atomic_write_text(out, "new\n")
    assert out.read_text() == "new\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.stat().st_ino != before  # replaced by a rename, not rewritten in place
    assert leftovers(tmp_path) == []


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    out = tmp_path / "keep.txt"
    out.write_text("old\n")
    with pytest.raises(RuntimeError), atomic_open(out) as fh:
        fh.write("half")
        raise RuntimeError("interrupted")
    assert out.read_text() == "old\n"
    assert leftovers(tmp_path) == []


def test_binary_mode_and_a_directory_target(tmp_path):
    out = tmp_path / "b.bin"
    with atomic_open(out, "wb") as fh:
        fh.write(b"\x00\x01")
    assert out.read_bytes() == b"\x00\x01"
    with pytest.raises(IsADirectoryError):
        atomic_write_text(tmp_path, "x")


# -- symbolic links -----------------------------------------------------------------------------


def test_a_symlink_is_followed_and_stays_a_link(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (real / "target.sif").write_text("old\n")
    link = tmp_path / "link.sif"
    link.symlink_to(Path("real") / "target.sif")  # relative, as ln -s writes it
    atomic_write_text(link, "new\n")
    assert link.is_symlink() and os.readlink(link) == "real/target.sif"
    assert (real / "target.sif").read_text() == "new\n"
    assert leftovers(tmp_path) == [] and leftovers(real) == []


def test_a_chain_of_links_and_a_dangling_link(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "file").write_text("old")
    (tmp_path / "d" / "hop").symlink_to("file")
    first = tmp_path / "first"
    first.symlink_to(tmp_path / "d" / "hop")  # absolute, then relative in another directory
    atomic_write_text(first, "new")
    assert (tmp_path / "d" / "file").read_text() == "new"
    assert first.is_symlink() and (tmp_path / "d" / "hop").is_symlink()
    dangling = tmp_path / "dangling"
    dangling.symlink_to("d/created")
    atomic_write_text(dangling, "made")
    assert dangling.is_symlink() and (tmp_path / "d" / "created").read_text() == "made"


def test_a_link_loop_is_an_os_error(tmp_path):
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    with pytest.raises(OSError, match="symbolic links"):
        atomic_write_text(tmp_path / "a", "x")


# -- things that are not regular files ----------------------------------------------------------


def test_a_fifo_is_written_to_and_stays_a_fifo(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = FifoReader(fifo)
    atomic_write_text(fifo, "through the pipe\n")
    assert reader.result() == b"through the pipe\n"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert leftovers(tmp_path) == []


@pytest.fixture
def null_device(tmp_path) -> Path:
    """A character device to write to: a null device made in tmp_path as root (so that a broken
    writer cannot destroy the system's /dev/null), else /dev/null itself (which a non-root
    process cannot rename over)."""
    if os.geteuid() != 0:
        return Path("/dev/null")
    dev = tmp_path / "null"
    os.mknod(dev, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    return dev


def test_a_character_device_is_written_to_and_stays_a_device(null_device):
    assert writes_through(null_device)
    atomic_write_text(null_device, "discarded\n")
    assert stat.S_ISCHR(os.lstat(null_device).st_mode)
    assert leftovers(null_device.parent) == [] or null_device.parent == Path("/dev")


def test_dev_fd_and_proc_self_fd_of_a_pipe(tmp_path):
    r, w = os.pipe()
    try:
        for path in (f"/dev/fd/{w}", f"/proc/self/fd/{w}"):
            assert writes_through(path)
            atomic_write_text(path, f"{path}\n")
            assert os.read(r, 4096).decode() == f"{path}\n"
    finally:
        os.close(r)
        os.close(w)


def test_a_link_to_dev_stdout_is_written_through(tmp_path):
    link = tmp_path / "out"
    link.symlink_to("/dev/stdout")
    assert writes_through(link)
    assert not writes_through(tmp_path / "plain")


def test_dev_stdout_appended_to_a_file_keeps_what_was_there(tmp_path):
    """``>> log``: /dev/stdout names the shell's open file; replacing the file would lose the
    earlier content and the append."""
    safe_dev_stdout()
    log = tmp_path / "log"
    log.write_text("before\n")
    code = "from dormnet.io._atomic import atomic_write_text as w; w('/dev/stdout', 'after\\n')"
    with log.open("a") as fh:
        subprocess.run([sys.executable, "-c", code], stdout=fh, check=True, cwd=tmp_path)
    assert log.read_text() == "before\nafter\n"
    assert Path("/dev/stdout").is_symlink() or not Path("/dev/stdout").is_file()


# -- through the CLI ----------------------------------------------------------------------------


def test_cli_graph_onto_a_symlink_replaces_the_target_and_keeps_the_link(tmp_path):
    target = tmp_path / "graphs" / "g.sif"
    target.parent.mkdir()
    target.write_text("stale\n")
    link = tmp_path / "link.sif"
    link.symlink_to(target)
    r = CliRunner().invoke(
        main, ["graph", str(model(tmp_path)), "--format", "sif", "-o", str(link)]
    )
    assert r.exit_code == 0, r.output
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert SIF in target.read_text()
    assert leftovers(tmp_path) == [] and leftovers(target.parent) == []


def test_cli_graph_into_a_fifo_read_by_a_thread(tmp_path):
    fifo = tmp_path / "graph.fifo"
    os.mkfifo(fifo)
    reader = FifoReader(fifo)
    r = CliRunner().invoke(
        main, ["graph", str(model(tmp_path)), "--format", "sif", "-o", str(fifo)]
    )
    assert r.exit_code == 0, r.output
    assert SIF in reader.result().decode()
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_cli_graph_to_dev_stdout(tmp_path):
    safe_dev_stdout()
    r = cli("graph", str(model(tmp_path)), "--format", "sif", "-o", "/dev/stdout", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert SIF in r.stdout
    assert Path("/dev/stdout").is_symlink() or not Path("/dev/stdout").is_file()


SCREEN = ["screen", "--single", "--context", "bone_marrow", "--nodes", "p38,NR2F1"]


def test_cli_screen_onto_a_symlink_writes_the_target_and_removes_its_journal(tmp_path):
    target = tmp_path / "rows" / "s.tsv"
    target.parent.mkdir()
    link = tmp_path / "s.tsv"
    link.symlink_to(target)
    r = CliRunner().invoke(main, [*SCREEN, "--processes", "1", "-o", str(link)])
    assert r.exit_code == 0, r.output
    assert link.is_symlink()
    rows = target.read_text().splitlines()
    assert rows[0].startswith("context\tperturbation") and len(rows) == 1 + 4
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rows", "s.tsv"]  # no journal left


def test_cli_screen_to_an_open_descriptor_writes_rows_and_no_journal(tmp_path):
    """``-o /dev/fd/1``: the rows go to the descriptor; no journal is made beside a name that
    stands for an open file, and --resume (which needs that journal) is refused."""
    r = cli(*SCREEN, "--processes", "1", "-o", "/dev/fd/1", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    lines = [x for x in r.stdout.splitlines() if x.startswith("bone_marrow\t")]
    assert len(lines) == 4 and "Traceback" not in r.stderr
    r = cli(*SCREEN, "--resume", "-o", "/dev/fd/1", cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.startswith("error: --resume needs -o FILE, a regular file")
