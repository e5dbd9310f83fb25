"""Running a clingo search and reading its models, for :mod:`dormnet._engines.asp`.

A search runs in the leanest loop this clingo offers (its cffi bindings: three C calls per
model, no ``Model`` object), and each model is copied out as a block of 64-bit symbol handles,
decoded in bulk into rows of node values (with numpy past :data:`NUMPY_FROM` models). Where the
bindings are absent (another clingo version), clingo's public API does the same, slower.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["MASK64", "NUMPY_FROM", "Decoder", "block_grabber", "solve", "symbol_key"]


def symbol_key(sym: object) -> int:
    """An integer that identifies a clingo symbol: its interned handle where the bindings expose
    it (a plain attribute read), else its hash."""
    rep = getattr(sym, "_rep", None)
    return rep if isinstance(rep, int) else hash(sym)


MASK64 = (1 << 64) - 1


def _solve_public(ctl, on_model: Callable[[object], bool]) -> None:
    ctl.solve(on_model=on_model)


_Solver = Callable[[Any, Callable[[object], bool]], None]
#: the search loop, made on first use (clingo is imported lazily)
_solver: _Solver | None = None


def _make_solver() -> _Solver:
    """The leanest way this clingo offers to run a search and see every model.

    Through clingo's cffi bindings (``clingo._internal``): the search runs in yield mode and is
    resumed from a loop that hands each raw ``clingo_model_t*`` to ``on_model``, three C calls
    per model. clingo's own ``Control.solve(on_model=...)`` goes through two Python layers and
    builds a ``Model`` object per model: a sixth of the time of a screen that enumerates
    hundreds of thousands of minimal trap spaces. Where the bindings are absent (another clingo
    version), ``Control.solve`` with the callback.
    """
    try:
        from clingo._internal import _ffi, _handle_error, _lib

        start, resume = _lib.clingo_control_solve, _lib.clingo_solve_handle_resume
        next_model, close = _lib.clingo_solve_handle_model, _lib.clingo_solve_handle_close
        yield_mode = _lib.clingo_solve_mode_yield
    except (ImportError, AttributeError):  # pragma: no cover - other clingo versions
        return _solve_public
    NULL = _ffi.NULL

    def loop(ctl, on_model: Callable[[object], bool]) -> None:
        p_handle = _ffi.new("clingo_solve_handle_t**")
        _handle_error(start(ctl._rep, yield_mode, NULL, 0, NULL, NULL, p_handle))
        handle = p_handle[0]
        p_model = _ffi.new("clingo_model_t**")
        try:
            while True:
                _handle_error(resume(handle))
                _handle_error(next_model(handle, p_model))
                model = p_model[0]
                if model == NULL or not on_model(model):
                    break
        finally:
            _handle_error(close(handle))

    return loop


def solve(ctl: Any, on_model: Callable[[object], bool]) -> None:
    """Run a search on ``ctl``, calling ``on_model`` with every model (a ``clingo_model_t*``, or
    a :class:`clingo.Model` without clingo's cffi bindings) until it returns False."""
    global _solver
    if _solver is None:
        _solver = _make_solver()
    _solver(ctl, on_model)


def _block_public(model) -> bytes:
    """A model's true atoms as packed 64-bit symbol keys, through clingo's public API (``model``
    a :class:`clingo.Model` or the raw pointer behind one)."""
    import sys

    if not hasattr(model, "symbols"):
        from clingo.solving import Model

        model = Model(model)
    order = sys.byteorder  # native, as the C buffer of the fast path
    return b"".join((symbol_key(s) & MASK64).to_bytes(8, order) for s in model.symbols(atoms=True))


def block_grabber(cap: int, exact: bool) -> Callable[[object], bytes]:
    """A function copying a model's true atoms out as one block of 64-bit symbol handles.

    Every model has at most ``cap`` true atoms with symbols, exactly ``cap`` if ``exact``. The
    fast path makes one C call per model into a reused buffer (clingo's cffi bindings,
    ``clingo._internal``): clingo only checks that the buffer is large enough, so with a known
    bound the call that asks for the size (as much work again) is skipped; a block of a model
    with fewer atoms is padded with zero handles, which are no symbol. Where those bindings are
    absent (another clingo version), clingo's public, symbol-by-symbol API.
    """
    try:
        from clingo._internal import _ffi, _handle_error, _lib

        show, symbols = _lib.clingo_show_type_atoms, _lib.clingo_model_symbols
    except (ImportError, AttributeError):  # pragma: no cover - other clingo versions
        return _block_public
    cap = max(cap, 1)
    buf = _ffi.new("clingo_symbol_t[]", cap)
    view = _ffi.buffer(buf)
    zeros = bytes(8 * cap)
    memmove = _ffi.memmove

    def grab(model) -> bytes:
        if not exact:
            memmove(buf, zeros, 8 * cap)
        try:
            # the raw pointer of the fast search loop (a getattr(model, "_rep", model) on it
            # cost 4 µs per model, a fifth of the copy: 56 ms of bbm_284's 13,238 states)
            error = symbols(model, show, buf, cap)
        except TypeError:  # a clingo.Model
            error = symbols(model._rep, show, buf, cap)
        _handle_error(error)
        return view[:]

    return grab


#: above this many models, decode with numpy even if it is not imported yet (its import costs
#: more than decoding a few models in Python)
NUMPY_FROM = 256


#: a byte as an ASCII binary digit: 0 -> "0", anything else -> "1"
_ASCII_BITS = b"0" + b"1" * 255
#: an ASCII binary digit as a full byte: "1" -> 0xFF, anything else -> 0
_FULL_BYTES = bytes(255 if b == ord("1") else 0 for b in range(256))


class Decoder:
    """Turns blocks of true-atom symbol handles into rows over the nodes.

    ``codes`` maps the handle of atom ``t(2i + v)`` ("node i can take value v") to ``2i + v``;
    other atoms (clamps) are ignored. A node with both values is free (``-1``).
    """

    def __init__(self, codes: dict[int, int], n: int) -> None:
        self.n = n
        self.lookup = dict(codes)
        self.keys = sorted(codes)
        self.codes = [codes[k] for k in self.keys]
        self._np: tuple | None = None
        self._by_node: tuple | None = None

    @staticmethod
    def use_numpy(chunks: list[bytes]) -> bool:
        import sys

        return len(chunks) >= NUMPY_FROM or (len(chunks) >= 8 and "numpy" in sys.modules)

    def rows(self, chunks: list[bytes]) -> list[list[int]]:
        """Sorted rows, decoded in Python (few models)."""
        n, lookup = self.n, self.lookup
        rows = []
        for chunk in chunks:
            seen = [0] * n
            # memoryview, not the array module: importing that extension costs ~1 ms cold
            for k in memoryview(chunk).cast("Q"):
                code = lookup.get(k)
                if code is not None:
                    seen[code >> 1] |= 1 << (code & 1)
            rows.append([1 if v == 2 else 0 if v == 1 else -1 for v in seen])
        rows.sort()
        return rows

    def _bits(self, chunks: list[bytes]):
        """Boolean matrices ``(zero, one)``: node can be 0 / 1, one row per model (numpy)."""
        import numpy as np

        if self._np is None:
            # a last key no handle equals (the largest uint64), so that every search position
            # is a valid index: no bounds fix-up per element
            self._np = (
                np.asarray([*self.keys, MASK64], dtype=np.uint64),
                np.asarray([*self.codes, 0], dtype=np.int64),
            )
        keys, codes = self._np
        lens = np.fromiter((len(c) for c in chunks), dtype=np.int64, count=len(chunks)) // 8
        data = np.frombuffer(b"".join(chunks), dtype=np.uint64)
        n = self.n
        if n and len(lens) and lens.min() == lens.max() == n:
            # fixed points: one true atom per node; clingo lists them in the order they were
            # added (node order), so a row is read by comparing it with the atoms of value 1,
            # with no search, once the order is checked to hold for every row
            if self._by_node is None:
                by_code = dict(zip(self.codes, self.keys))
                self._by_node = (
                    np.asarray([by_code.get(2 * i, 0) for i in range(n)], np.uint64),
                    np.asarray([by_code.get(2 * i + 1, 0) for i in range(n)], np.uint64),
                )
            zero_keys, one_keys = self._by_node
            table = data.reshape(len(chunks), n)
            one = table == one_keys
            zero = table == zero_keys
            if (one | zero).all():
                return zero, one
        model = np.repeat(np.arange(len(chunks)), lens)
        pos = np.searchsorted(keys, data)
        hit = keys[pos] == data
        true = np.zeros((len(chunks), 2 * self.n), dtype=bool)
        true[model[hit], codes[pos[hit]]] = True
        return true[:, 0::2], true[:, 1::2]

    def states(self, chunks: list[bytes]) -> tuple[list[int], list[int]] | None:
        """Fixed points decoded without numpy: ``(columns, rows)`` where bit ``m`` of
        ``columns[i]`` is node i's value in model m, and bit ``i`` of ``rows[m]`` likewise (models
        in enumeration order, not sorted). None unless every block holds exactly one atom per
        node, in node order (as clingo lists the atoms of a fixed-point program).

        Importing numpy costs a whole process 0.1-0.2 s of CPU, a third of a single fixed-point
        screen of bbm_151 (1,814 states). Here every step is a C loop over all the models at
        once: for each of the 8 byte positions of a handle, a step slice of the joined blocks
        gives that byte of every atom (model by model, node by node), read as one integer and
        XORed with the same byte of the nodes' value-0 handles. A lane (byte) that is not zero
        in any position is a node at 1; every lane must then be 0 in all positions (the value-0
        handle) or equal the XOR of the node's two handles in all of them (the value-1 handle),
        which one AND per position checks. The lanes become ASCII ``0``/``1`` (one byte
        translation), and each model's run of n of them, reversed, is read as a base-2 integer;
        each node's every n-th, likewise.
        """
        import sys

        n, count = self.n, len(chunks)
        by_code = dict(zip(self.codes, self.keys))
        if not n or not count or len(by_code) != 2 * n:
            return None
        data = b"".join(chunks)
        if len(data) != 8 * n * count:
            return None
        order = sys.byteorder  # handles are copied out in native byte order
        zero = b"".join(by_code[2 * i].to_bytes(8, order) for i in range(n))
        one = b"".join(by_code[2 * i + 1].to_bytes(8, order) for i in range(n))
        frm = int.from_bytes
        planes = []
        differ = 0
        for q in range(8):
            got, low = data[q::8], zero[q::8]
            flip = bytes(a ^ b for a, b in zip(low, one[q::8]))
            if not any(flip):
                # a byte the two handles of every node share (most bytes: the handles of a
                # node's two atoms are neighbouring addresses): compared as bytes
                if got != low * count:
                    return None
                continue
            x = frm(got, "little") ^ frm(low * count, "little")
            planes.append((x, frm(flip * count, "little")))
            differ |= x
        text = differ.to_bytes(n * count, "little").translate(_ASCII_BITS)
        ones = frm(text.translate(_FULL_BYTES), "little")
        if any(x != ones & flip for x, flip in planes):
            return None
        rows = [int(text[m * n : (m + 1) * n][::-1], 2) for m in range(count)]
        columns = [int(text[i::n][::-1], 2) for i in range(n)]
        return columns, rows

    def matrix(self, chunks: list[bytes]):
        """Sorted rows as an int8 matrix (1, 0, -1), decoded with numpy."""
        import numpy as np

        zero, one = self._bits(chunks)
        rows = np.where(zero & one, -1, one).astype(np.int8)
        return rows[np.lexsort(rows.T[::-1])] if len(rows) > 1 else rows

    def masks(self, chunks: list[bytes]) -> list[tuple[int, int]]:
        """``(fixed, values)`` bitmask pairs in the order of :meth:`matrix`."""
        import numpy as np

        rows = self.matrix(chunks)
        fixed = np.packbits(rows >= 0, axis=1, bitorder="little")
        ones = np.packbits(rows == 1, axis=1, bitorder="little")
        frm = int.from_bytes
        return [
            (frm(f, "little"), frm(v, "little"))
            for f, v in zip(map(bytes, fixed), map(bytes, ones))
        ]
