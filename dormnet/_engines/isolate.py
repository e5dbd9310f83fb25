"""Run a computation in a forked child process, with a deadline.

Symbolic engines run native code that Python cannot interrupt, may exhaust memory on models far
beyond their reach, and (biodivine-aeon on some published models) can crash the interpreter. In a
child they can be stopped at a deadline and their failure reported as a :class:`DormnetError`
instead of taking the caller down.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from typing import Any

from ..errors import BudgetExceeded, DormnetError

__all__ = ["Pending", "can_fork", "first_of", "memory_limit", "run_isolated", "start_isolated"]


def memory_limit() -> int | None:
    """Bytes a child may allocate beyond what it inherits from its parent: DORMNET_MEMORY_LIMIT
    (in GB), else 80% of physical memory.

    Returns
    -------
    int or None
        None where the platform does not say.
    """
    env = os.environ.get("DORMNET_MEMORY_LIMIT")
    if env:
        return int(float(env) * 1024**3)
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") * 0.8)
    except (ValueError, OSError, AttributeError):
        return None


def _address_space() -> int:
    """This process's address space in bytes (``/proc/self/statm``), 0 where it is not known."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this child when its parent dies (``PR_SET_PDEATHSIG``): a child is in
    a process group of its own, so neither a Ctrl-C nor a kill of the parent's group reaches
    it, and an orphaned search could run for hours. If the parent died before the request was
    made, exit now. Elsewhere, nothing."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        return
    if os.getppid() != parent:  # pragma: no cover - the parent is gone already
        os._exit(1)


def _child(
    write_fd: int,
    fn: Callable[..., Any],
    args: tuple,
    kwargs: dict,
    memory: int | None,
    niceness: int = 0,
    parent: int = 0,
) -> None:
    """In the forked child: compute, send ``(status, value)`` pickled down the pipe, exit."""
    code = 0
    try:
        os.setpgrp()
        if parent:
            _die_with_parent(parent)
        if niceness:
            os.nice(niceness)
        if memory is not None:
            try:
                import resource

                # on top of the address space inherited from the parent: a parent that holds
                # more than the share (a long notebook session, a test run's caches) must not
                # leave its children unable to allocate anything
                limit = memory + _address_space()
                resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            except (ImportError, ValueError, OSError):
                pass
        try:
            result: tuple[str, Any] = ("ok", fn(*args, **kwargs))
        except DormnetError as e:
            result = ("dormnet", e)
        except MemoryError:
            result = ("error", "out of memory")
        except BaseException as e:  # noqa: BLE001 - reported to the parent, never swallowed
            result = ("error", f"{type(e).__name__}: {e}\n{traceback.format_exc()}")
        try:
            data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            data = pickle.dumps(("error", "out of memory"))
        view = memoryview(data)
        while view:
            view = view[os.write(write_fd, view) :]
    except BaseException:  # noqa: BLE001 - the parent reports a child that sent nothing
        code = 1
    finally:
        os._exit(code)  # no atexit handlers, no flushing of the parent's buffers


def _read_until(read_fd: int, deadline: float | None) -> bytes | None:
    """Everything the child writes, or ``None`` if the deadline passes first."""
    chunks: list[bytes] = []
    poller = select.poll()
    poller.register(read_fd, select.POLLIN | select.POLLHUP)
    while True:
        wait = None if deadline is None else max(0.0, deadline - time.monotonic())
        if not poller.poll(None if wait is None else int(wait * 1000) + 1):
            if deadline is not None and time.monotonic() >= deadline:
                return None
            continue
        chunk = os.read(read_fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


class Pending:
    """A computation running in a forked child (:func:`start_isolated`).

    :meth:`wait` for its value (one thread), :meth:`kill` it (from any thread: the waiting
    thread then sees the child die); :func:`first_of` waits for the first of several.
    """

    def __init__(
        self,
        fn: Callable[..., Any],
        args: tuple,
        kwargs: dict,
        what: str,
        hint: str,
        memory: int | None = None,
        niceness: int = 0,
    ):
        self.what, self.hint = what, hint
        self.memory = memory_limit() if memory is None else memory
        self._lock = threading.Lock()
        self._chunks: list[bytes] = []
        self._read_fd, write_fd = os.pipe()
        # Linux sends the death signal when the *thread* that forked ends: only the main
        # thread lives as long as the process
        parent = os.getpid() if threading.current_thread() is threading.main_thread() else 0
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child; its work is checked through the parent
            os.close(self._read_fd)
            _child(write_fd, fn, args, kwargs, self.memory, niceness, parent)
        self._pid: int | None = pid
        os.close(write_fd)

    def fileno(self) -> int:
        """The pipe the child answers on (for ``select``)."""
        return self._read_fd

    def wait(self, timeout: float | None = None) -> Any:
        """The child's value; :class:`BudgetExceeded` after ``timeout`` seconds (the child is
        then killed), or if the child died; the child's own :class:`DormnetError` re-raised."""
        deadline = None if timeout is None else time.monotonic() + timeout
        data = _read_until(self._read_fd, deadline)
        if data is None:
            self.close()
            raise BudgetExceeded(
                f"{self.what} did not finish within the time budget of {timeout:g} s",
                self.hint
                or "raise the time budget (--timeout), fix some inputs "
                "(--context/--set), or try another engine",
            )
        return self._answer(data)

    def _read(self) -> bytes | None:
        """One read from the pipe (after ``select`` said it is ready): everything the child
        wrote once it has closed the pipe, else ``None``."""
        chunk = os.read(self._read_fd, 1 << 20)
        if chunk:
            self._chunks.append(chunk)
            return None
        return b"".join(self._chunks)

    def _answer(self, data: bytes) -> Any:
        """Reap the child and decode what it sent (``data``, complete)."""
        try:
            status_code = self._reap()
            if not data:
                raise BudgetExceeded(self._death(status_code), self.hint or _DEATH_HINT)
            status, value = pickle.loads(data)
        finally:
            self.close()
        if status == "ok":
            return value
        if status == "dormnet":
            raise value
        if value == "out of memory":
            raise BudgetExceeded(
                f"{self.what} ran out of memory", self.hint or "fix some inputs (--context/--set)"
            )
        raise DormnetError(f"{self.what} failed: {value.splitlines()[0]}")

    def close(self) -> None:
        """Kill the child (if still running), reap it and close the pipe (idempotent)."""
        self.kill()
        self._reap()
        with self._lock:
            fd, self._read_fd = self._read_fd, -1
        if fd >= 0:
            os.close(fd)

    def _reap(self) -> int:
        """Wait for the child to exit (once); its wait status."""
        with self._lock:
            pid, self._pid = self._pid, None
        if pid is None:
            return 0
        return os.waitpid(pid, 0)[1]

    def _death(self, status_code: int) -> str:
        limit = f"{self.memory / 1024**3:.1f} GB" if self.memory else "the machine's memory"
        how = (
            f"killed by signal {-os.waitstatus_to_exitcode(status_code)}"
            if os.WIFSIGNALED(status_code)
            else f"exit code {os.waitstatus_to_exitcode(status_code)}"
        )
        return (
            f"{self.what} stopped ({how}), most likely out of memory "
            f"(limit {limit}; set DORMNET_MEMORY_LIMIT in GB to change it)"
        )

    def kill(self) -> None:
        """Kill the child and its process group if it has not been reaped (any thread)."""
        with self._lock:
            if self._pid is None:
                return
            try:
                os.killpg(self._pid, signal.SIGKILL)
            except OSError:
                with contextlib.suppress(OSError):
                    os.kill(self._pid, signal.SIGKILL)


def first_of(
    pending: list[Pending],
    timeout: float | None = None,
    later: Sequence[tuple[float, Callable[[], Pending]]] = (),
) -> tuple[int, Any]:
    """The first value any of ``pending`` returns, as ``(its index, value)``; the others are
    killed. A child that fails (an error, its own limits, out of memory) drops out of the race
    and the others go on.

    Parameters
    ----------
    pending : list of Pending
        Children already running (:func:`start_isolated`), in order of preference: when they
        all fail, the first one's error is raised (an error other than
        :class:`BudgetExceeded` first: a fault is reported, not hidden behind a time-out).
    timeout : float, optional
        Seconds; then every child is killed and :class:`BudgetExceeded` raised.
    later : sequence of (float, callable)
        Children to start after that many seconds if no answer came by then: ``start()`` starts
        one and returns its :class:`Pending`. Their indices follow ``pending``'s, in this
        order. One whose time has not come when every running child has failed starts at once.

    Returns
    -------
    (int, value)
    """
    started = time.monotonic()
    deadline = None if timeout is None else started + timeout
    running: dict[int, Pending] = {}
    waiting = sorted(
        ((started + delay, len(pending) + k, start) for k, (delay, start) in enumerate(later)),
        key=lambda w: (w[0], w[1]),
    )
    extra: list[Pending] = []  # the children started later
    failures: dict[int, DormnetError] = {}
    poller = select.poll()
    by_fd = {}

    def run(i: int, p: Pending) -> None:
        running[i] = p
        poller.register(p.fileno(), select.POLLIN | select.POLLHUP)
        by_fd[p.fileno()] = i

    for i, p in enumerate(pending):
        run(i, p)
    try:
        while running or waiting:
            now = time.monotonic()
            while waiting and (waiting[0][0] <= now or not running):
                _, i, start = waiting.pop(0)
                extra.append(start())
                run(i, extra[-1])
            wait = None if deadline is None else deadline - now
            if waiting:
                until = waiting[0][0] - now
                wait = until if wait is None else min(wait, until)
            if deadline is not None and deadline - now <= 0:
                raise BudgetExceeded(
                    f"{' and '.join(p.what for p in running.values())} did not finish "
                    f"within the time budget of {timeout:g} s",
                    "raise the time budget (--timeout), fix some inputs (--context/--set), "
                    "or try another engine",
                )
            for fd, _ in poller.poll(None if wait is None else int(wait * 1000) + 1):
                i = by_fd[fd]
                data = running[i]._read()
                if data is None:
                    continue
                poller.unregister(fd)
                child = running.pop(i)
                try:
                    return i, child._answer(data)
                except DormnetError as e:
                    failures[i] = e
        order = sorted(failures)
        worst = [i for i in order if not isinstance(failures[i], BudgetExceeded)]
        raise failures[(worst or order)[0]]
    finally:
        for p in [*pending, *extra]:
            p.close()


_DEATH_HINT = "fix some inputs (--context/--set) or try another engine"


def can_fork() -> bool:
    """Whether computations can run in forked children here (``DORMNET_NO_FORK`` says no)."""
    return hasattr(os, "fork") and not os.environ.get("DORMNET_NO_FORK")


def start_isolated(
    fn: Callable[..., Any],
    *args: Any,
    what: str = "computation",
    hint: str = "",
    memory: int | None = None,
    niceness: int = 0,
    **kwargs: Any,
) -> Pending:
    """Start ``fn(*args, **kwargs)`` in a forked child and return at once (see :class:`Pending`).

    Parameters
    ----------
    fn : callable
        Runs in the child; its value is pickled back.
    what, hint : str
        For error messages: what is computed, and what to try if it fails.
    memory : int, optional
        Bytes of address space the child may use (default: see :func:`memory_limit`).
    niceness : int
        Added to the child's nice value (``os.nice``): a lower priority, so that children
        started at 0 get the CPU first.

    Returns
    -------
    Pending
    """
    return Pending(fn, args, kwargs, what, hint, memory, niceness)


def run_isolated(
    fn: Callable[..., Any],
    *args: Any,
    timeout: float | None = None,
    what: str = "computation",
    hint: str = "",
    **kwargs: Any,
) -> Any:
    """``fn(*args, **kwargs)`` in a forked child; :class:`BudgetExceeded` after ``timeout`` s.

    A plain ``os.fork`` and a pipe (multiprocessing's machinery cost ~5 ms more per call).
    Falls back to a direct call where ``fork`` is unavailable (then without a deadline).

    Parameters
    ----------
    fn : callable
    *args, **kwargs
        Passed to ``fn`` (inherited by the child, not pickled).
    timeout : float, optional
        Seconds before the child is killed.
    what, hint : str
        For error messages.

    Returns
    -------
    The value of ``fn``.
    """
    if not can_fork():
        return fn(*args, **kwargs)
    return start_isolated(fn, *args, what=what, hint=hint, **kwargs).wait(timeout)
