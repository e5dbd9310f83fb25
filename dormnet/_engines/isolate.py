"""Run a computation in a forked child process, with a deadline.

Symbolic engines run native code that Python cannot interrupt, may exhaust memory on models far
beyond their reach, and (biodivine-aeon on some published models) can crash the interpreter. In a
child they can be stopped at a deadline and their failure reported as a :class:`DormnetError`
instead of taking the caller down.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import time
import traceback
from collections.abc import Callable
from typing import Any

from ..errors import BudgetExceeded, DormnetError

__all__ = ["run_isolated"]


def _memory_limit() -> int | None:
    """Bytes a child may allocate: DORMNET_MEMORY_LIMIT (in GB), else 80% of physical memory."""
    env = os.environ.get("DORMNET_MEMORY_LIMIT")
    if env:
        return int(float(env) * 1024**3)
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") * 0.8)
    except (ValueError, OSError, AttributeError):
        return None


def _child(
    write_fd: int, fn: Callable[..., Any], args: tuple, kwargs: dict, memory: int | None
) -> None:
    """In the forked child: compute, send ``(status, value)`` pickled down the pipe, exit."""
    code = 0
    try:
        os.setpgrp()
        if memory is not None:
            try:
                import resource

                resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
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
    chunks = []
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
    """
    if not hasattr(os, "fork") or os.environ.get("DORMNET_NO_FORK"):
        return fn(*args, **kwargs)
    memory = _memory_limit()
    deadline = None if timeout is None else time.monotonic() + timeout
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child; its work is checked through the parent
        os.close(read_fd)
        _child(write_fd, fn, args, kwargs, memory)
    os.close(write_fd)
    reaped = False
    try:
        data = _read_until(read_fd, deadline)
        if data is None:
            raise BudgetExceeded(
                f"{what} did not finish within the time budget of {timeout:g} s",
                hint
                or "raise the time budget (--timeout), fix some inputs "
                "(--context/--set), or try another engine",
            )
        _, status_code = os.waitpid(pid, 0)
        reaped = True
        if not data:
            limit = f"{memory / 1024**3:.1f} GB" if memory else "the machine's memory"
            how = (
                f"killed by signal {-os.waitstatus_to_exitcode(status_code)}"
                if os.WIFSIGNALED(status_code)
                else f"exit code {os.waitstatus_to_exitcode(status_code)}"
            )
            raise BudgetExceeded(
                f"{what} stopped ({how}), most likely out of memory "
                f"(limit {limit}; set DORMNET_MEMORY_LIMIT in GB to change it)",
                hint or "fix some inputs (--context/--set) or try another engine",
            )
        status, value = pickle.loads(data)
    finally:
        os.close(read_fd)
        if not reaped:
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            os.waitpid(pid, 0)
    if status == "ok":
        return value
    if status == "dormnet":
        raise value
    if value == "out of memory":
        raise BudgetExceeded(
            f"{what} ran out of memory", hint or "fix some inputs (--context/--set)"
        )
    raise DormnetError(f"{what} failed: {value.splitlines()[0]}")
