"""Run a computation in a forked child process, with a deadline.

Symbolic engines run native code that Python cannot interrupt, may exhaust memory on models far
beyond their reach, and (biodivine-aeon on some published models) can crash the interpreter. In a
child they can be stopped at a deadline and their failure reported as a :class:`DormnetError`
instead of taking the caller down.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import traceback
from typing import Any, Callable

from ..errors import BudgetExceeded, DormnetError

__all__ = ["run_isolated"]


def _memory_limit() -> int | None:
    """Bytes a child may allocate: DORMNET_MEMORY_LIMIT (in GB), else 80% of physical memory."""
    env = os.environ.get("DORMNET_MEMORY_LIMIT")
    if env:
        return int(float(env) * 1024 ** 3)
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") * 0.8)
    except (ValueError, OSError, AttributeError):
        return None


def _child(conn: Any, fn: Callable[..., Any], args: tuple, kwargs: dict,
           memory: int | None) -> None:
    os.setpgrp()
    if memory is not None:
        try:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        except (ImportError, ValueError, OSError):
            pass
    try:
        conn.send(("ok", fn(*args, **kwargs)))
    except DormnetError as e:
        conn.send(("dormnet", e))
    except MemoryError:
        conn.send(("error", "out of memory"))
    except BaseException as e:  # noqa: BLE001 - reported to the parent, never swallowed
        conn.send(("error", f"{type(e).__name__}: {e}\n{traceback.format_exc()}"))
    finally:
        conn.close()


def run_isolated(fn: Callable[..., Any], *args: Any, timeout: float | None = None,
                 what: str = "computation", hint: str = "", **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)`` in a forked child; :class:`BudgetExceeded` after ``timeout`` s.

    Falls back to a direct call where ``fork`` is unavailable (then without a deadline).
    """
    if "fork" not in mp.get_all_start_methods() or os.environ.get("DORMNET_NO_FORK"):
        return fn(*args, **kwargs)
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    memory = _memory_limit()
    proc = ctx.Process(target=_child, args=(child, fn, args, kwargs, memory), daemon=True)
    proc.start()
    child.close()
    try:
        ready = parent.poll(timeout)
        if not ready:
            raise BudgetExceeded(f"{what} did not finish within the time budget of {timeout:g} s",
                                 hint or "raise the time budget (--timeout), fix some inputs "
                                 "(--context/--set), or try another engine")
        try:
            status, value = parent.recv()
        except EOFError:
            proc.join()
            limit = f"{memory / 1024 ** 3:.1f} GB" if memory else "the machine's memory"
            raise BudgetExceeded(
                f"{what} stopped (exit code {proc.exitcode}), most likely out of memory "
                f"(limit {limit}; set DORMNET_MEMORY_LIMIT in GB to change it)",
                hint or "fix some inputs (--context/--set) or try another engine") from None
    finally:
        if proc.is_alive():
            try:
                os.killpg(proc.pid, 9)
            except OSError:
                proc.kill()
        proc.join()
        parent.close()
    if status == "ok":
        return value
    if status == "dormnet":
        raise value
    if value == "out of memory":
        raise BudgetExceeded(f"{what} ran out of memory", hint or "fix some inputs (--context/--set)")
    raise DormnetError(f"{what} failed: {value.splitlines()[0]}")
