"""Outputs written safely: a regular file is replaced atomically, anything else is written to.

A regular file (or a name that does not exist yet) is written to a temporary file in the same
directory and then renamed over the target, so a failed or interrupted run never leaves a
half-written output. The rename is aimed at the file the path leads to, not at the name given:

- a symbolic link is followed, hop by hop, and the file it finally names is replaced; the link
  itself stays a link;
- a path to something that is not a regular file (a FIFO a reader waits on, a character device
  such as ``/dev/null`` or a terminal, a socket) is opened and written directly: renaming over it
  would destroy it (as root, the system's ``/dev/null`` itself) and the reader would get nothing;
- a name for one of this process's open descriptors (``/dev/stdout``, ``/dev/stderr``,
  ``/dev/fd/N``, ``/proc/self/fd/N``, a shell's process substitution ``>(...)``) is written to
  that descriptor (a duplicate of it), not reopened: reopening would truncate a file the shell
  opened for appending (``>> log``) and renaming would leave the shell's file behind;
- any other name in ``/dev`` itself or under ``/proc`` is opened and written directly.

A replaced file keeps its permission bits (an output made private with ``chmod 600`` stays
private); a new file gets the permissions a plain ``open()`` would give it. A file with several
hard links is replaced under the name given (or the link's target): its other names keep the
old content, as with any writer that renames.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, NamedTuple

__all__ = ["atomic_open", "atomic_write_bytes", "atomic_write_text", "writes_through"]

#: symbolic links followed before giving up (Linux's own limit is 40)
_MAX_LINKS = 40
#: the directories of this process's descriptors, as os.path.realpath gives them
_FD_DIR = re.compile(r"/proc/(\d+)(?:/task/\d+)?/fd")


class _Target(NamedTuple):
    how: str  # "replace" (atomically), "open" (directly) or "fd" (a duplicate of ``fd``)
    path: str
    fd: int = -1


def _resolve(path: str | os.PathLike[str]) -> _Target:
    """How to write to ``path``, and the file or descriptor it leads to.

    Links are followed one at a time (not with :func:`os.path.realpath` on the whole path), so
    that a link into ``/proc`` is seen before the kernel's magic links turn a descriptor into the
    name of whatever file it has open.
    """
    p = os.path.join(os.getcwd(), os.fspath(path))  # not abspath: 'link/..' must follow the link
    for _ in range(_MAX_LINKS):
        head, name = os.path.split(p)
        parent = os.path.realpath(head)
        p = os.path.join(parent, name)
        fd_dir = _FD_DIR.fullmatch(parent)
        if fd_dir is not None and name.isdigit():
            if int(fd_dir.group(1)) == os.getpid():
                return _Target("fd", p, int(name))
            return _Target("open", p)  # another process's descriptor: reopened
        special = parent in ("/dev", "/proc") or parent.startswith("/proc/")
        try:
            st = os.lstat(p)
        except FileNotFoundError:
            # a new file (or a dangling link's target) is created by the rename
            return _Target("open" if special else "replace", p)
        if stat.S_ISLNK(st.st_mode):
            p = os.path.join(parent, os.readlink(p))  # an absolute link target replaces parent
            continue
        if special or not stat.S_ISREG(st.st_mode):
            return _Target("open", p)
        return _Target("replace", p)
    raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), os.fspath(path))


def writes_through(path: str | os.PathLike[str]) -> bool:
    """Whether output to ``path`` is written directly instead of replacing a file atomically.

    True for FIFOs, devices, sockets, directories, this process's descriptors (``/dev/stdout``,
    ``/dev/fd/3``) and other names in ``/dev`` or under ``/proc``, also behind symbolic links;
    False for regular files and names that do not exist yet.

    Parameters
    ----------
    path : path-like
        The output path as given.

    Returns
    -------
    bool
        Whether :func:`atomic_open` would open ``path`` directly.

    Examples
    --------
    >>> writes_through("/dev/null"), writes_through("/dev/stdout")
    (True, True)
    """
    return _resolve(path).how != "replace"


@contextmanager
def atomic_open(path: str | os.PathLike[str], mode: str = "w") -> Iterator[IO]:
    """Open ``path`` for writing so that a failure never leaves a half-written regular file.

    For a regular file (or a new name), a temporary file beside the file ``path`` leads to is
    opened; on success it replaces that file, on error it is removed. A name for one of this
    process's descriptors is written to a duplicate of that descriptor; anything else (see
    :func:`writes_through`) is opened directly.

    Parameters
    ----------
    path : path-like
        The output path; symbolic links are followed.
    mode : {"w", "wb"}
        Text (UTF-8, newlines untranslated) or binary.

    Yields
    ------
    IO
        The file object to write to.
    """
    binary = "b" in mode
    kwargs: dict = {} if binary else {"encoding": "utf-8", "newline": ""}
    target = _resolve(path)
    if target.how == "fd":
        for stream in (sys.stdout, sys.stderr):  # what Python buffered goes first
            if stream is not None and not stream.closed:
                stream.flush()
        with os.fdopen(os.dup(target.fd), "wb" if binary else "w", **kwargs) as fh:
            yield fh
        return
    if target.how == "open":
        with open(path, "wb" if binary else "w", **kwargs) as fh:
            yield fh
        return
    directory, name = os.path.split(target.path)
    try:
        keep = stat.S_IMODE(os.stat(target.path).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        keep = 0o666 & ~umask  # mkstemp creates 0600; give what a plain open() would
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb" if binary else "w", **kwargs) as fh:
            os.fchmod(fh.fileno(), keep)
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target.path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write text to ``path`` (see :func:`atomic_open`).

    Parameters
    ----------
    path : path-like
        The output path.
    text : str
        Written as UTF-8.
    """
    with atomic_open(path, "w") as fh:
        fh.write(text)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write bytes to ``path`` (see :func:`atomic_open`).

    Parameters
    ----------
    path : path-like
        The output path.
    data : bytes
        The content.
    """
    with atomic_open(path, "wb") as fh:
        fh.write(data)
