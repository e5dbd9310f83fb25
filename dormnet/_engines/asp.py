"""Fixed points and trap spaces with clingo, grounded once and queried many times.

Encoding (after Klarner et al. 2017 and mpbn, Paulevé et al. 2020): a subspace is the set of atoms
``t(V,B)`` "node V can take value B"; a node is fixed when one of its two atoms holds. For every
prime implicant ``p`` of ``f_V`` there is the constraint "if every literal of ``p`` is possible,
``t(V,1)`` must be": the subspace is closed under the update functions, i.e. a trap space. Any DNF
would do; the primes are the smallest one. Fixed points add "no node has both values"; minimal and
maximal trap spaces come from clingo's domain heuristic with ``domRec`` enumeration (subset-minimal
or subset-maximal sets of ``t`` atoms).

For minimal trap spaces the program can also say the converse (``support=True``): "a value a
node can take is one its function can take somewhere in the subspace" (some prime of that value
is possible). Every minimal trap space satisfies it (were ``f_V`` unable to take a value ``V``
can take, fixing ``V`` would give a smaller trap space), so the subset-minimal models are
unchanged; but clasp's search then propagates instead of guessing (bbm_192: 249 choices
instead of 3,196 for 65 minimal trap spaces; a screen of bbm_231 a quarter faster).

Mode ``fixed1`` lists the states where at most one (unclamped) node's value differs from its
function's: the fixed points of the network and, for every node i, the fixed points of the
network with i clamped at the value it has there. One enumeration of them answers a whole
single-perturbation fixed-point screen (:meth:`dormnet._engines.screening.ScreenSolver.
single_fixed_points`).

Clamps (knockouts, overexpressions, contexts) are ``#external clamp(V,B)`` atoms, so one grounded
program answers every perturbation: a screen flips externals and solves again (no re-grounding,
no temporary files, no subprocess).

References
----------
Klarner H, Streck A, Siebert H. PyBoolNet. Bioinformatics 2017. DOI:10.1093/bioinformatics/btw682.
Paulevé L, Kolčák J, Chatain T, Haar S. Reconciling qualitative, abstract, and scalable modeling of
biological networks. Nat Commun 2020. DOI:10.1038/s41467-020-18112-5.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Literal, TypeAlias

from ..errors import BudgetExceeded
from ..network import BooleanNetwork
from ..normal_form import primes
from ..spaces import Subspace
from .asp_models import MASK64, Decoder, block_grabber, solve, symbol_key
from .percolation import set_bits

if TYPE_CHECKING:
    import clingo

__all__ = ["AspEngine", "asp_engine"]


Mode = Literal["fixed", "min", "max", "all", "fixed1"]
#: node -> value, or a ``(fixed, values)`` bitmask pair over the nodes (bit i = node i)
Clamps: TypeAlias = Mapping[str, int] | tuple[int, int]


def asp_engine(net: BooleanNetwork, *, clampable: bool = False) -> AspEngine:
    """The network's clingo engine, built once and kept with the network.

    Parameters
    ----------
    net : BooleanNetwork
    clampable : bool
        Whether queries will hold nodes fixed: every node then gets clamp externals; without
        them the program grounds faster on large networks, so plain queries ask for none.

    Returns
    -------
    AspEngine
    """
    return net.derived(_engine, clampable)


def _engine(net: BooleanNetwork, clampable: bool) -> AspEngine:
    return AspEngine(net, None if clampable else [])


class AspEngine:
    """One grounded program per query mode for a network; clamps are externals.

    Parameters
    ----------
    net : BooleanNetwork
        The unperturbed network.
    clampable : iterable of str, optional
        Nodes that queries may clamp (default: all). Fewer externals ground faster.
    support : bool
        Add the redundant support constraints to the minimal-trap-space program (see the module
        docstring): a screen of bbm_231 (220 enumerations of ~640 minimal trap spaces) runs a
        quarter faster with them, single queries 10-40% slower (bbm_075, bbm_111, bbm_192), so
        only the screens ask for them.
    """

    def __init__(
        self, net: BooleanNetwork, clampable: Iterable[str] | None = None, support: bool = False
    ):
        self.net = net
        self.support = support
        self.nodes = list(net.nodes)
        self.index = {n: i for i, n in enumerate(self.nodes)}
        self.clampable = list(self.nodes if clampable is None else clampable)
        self._clampable_set = set(self.clampable)
        self._clampable_mask = sum(1 << self.index[x] for x in self._clampable_set)
        self._primes = [primes(net, n) for n in self.nodes]
        self._controls: dict[str, clingo.Control] = {}
        self._literals: dict[str, list[list[int]]] = {}
        self._codes: dict[str, dict[int, int]] = {}
        self._externals: dict[str, dict[tuple[int, int], int]] = {}
        self._assigned: dict[str, tuple[int, int]] = {}
        self._decoders: dict[str, Decoder] = {}
        self._grabbers: dict[str, Callable] = {}

    def _control(self, mode: Mode):
        """A clingo control for one query mode, built through clingo's backend.

        The program is ground already, so it is handed to clingo atom by atom and rule by rule
        (no text to parse, no grounding): ten times faster than the same program as text on a
        10,000-node network.
        """
        import clingo
        from clingo import Function, HeuristicType, Number, TruthValue

        ctl = self._controls.get(mode)
        if ctl is not None:
            return ctl
        ctl = clingo.Control(["0", "--warn=none"])
        n = len(self.nodes)
        codes: dict[int, int] = {}
        externals: dict[tuple[int, int], int] = {}
        with ctl.backend() as b:
            t = []
            for i in range(n):
                pair = []
                for v in (0, 1):
                    sym = Function("t", [Number(2 * i + v)])
                    pair.append(b.add_atom(sym))
                    codes[symbol_key(sym) & MASK64] = 2 * i + v
                t.append(pair)
                b.add_rule(pair, [], choice=True)
                b.add_rule([], [-pair[0], -pair[1]])
                if mode in ("fixed", "fixed1"):
                    b.add_rule([], [pair[0], pair[1]])
            clamped = {}
            for name in self.clampable:
                # clamp atoms carry no symbol: they are never read back from a model, and
                # models then hold the t atoms only (a known number of symbols to copy out)
                i = self.index[name]
                c = b.add_atom()
                clamped[i] = c
                for v in (0, 1):
                    e = b.add_atom()
                    b.add_external(e, TruthValue.False_)
                    externals[(i, v)] = e
                    b.add_rule([c], [e])
                    b.add_rule([], [e, t[i][1 - v]])
            viol: list[int] = []
            for i in range(n):
                off, on = self._primes[i]
                guard = [-clamped[i]] if i in clamped else []
                if mode == "fixed1":
                    # a node whose value may differ from its function's (at most one, below);
                    # only where it really does, so that each state is one model
                    bad = b.add_atom()
                    viol.append(bad)
                    b.add_rule([bad], [], choice=True)
                    if i in clamped:
                        b.add_rule([], [bad, clamped[i]])
                    guard = [*guard, -bad]
                for value, cubes in ((1, on), (0, off)):
                    support = b.add_atom() if mode == "min" and self.support else None
                    for cube in cubes:
                        body = [t[self.index[x]][bit] for x, bit in cube.items()]
                        b.add_rule([], [*body, -t[i][value], *guard])
                        if mode == "fixed1":
                            b.add_rule([], [*body, t[i][value], viol[-1]])
                        if support is not None:
                            b.add_rule([support], body)
                    if support is not None:
                        # redundant for minimal trap spaces, and it makes clasp's search
                        # propagate: a value a node can take there is one its function can take
                        b.add_rule([], [t[i][value], -support, *guard])
            if viol:
                b.add_weight_rule([], 2, [(a, 1) for a in viol])
            if mode in ("min", "max"):
                kind = HeuristicType.False_ if mode == "min" else HeuristicType.True_
                for pair in t:
                    for a in pair:
                        b.add_heuristic(a, kind, 1, 1, [])
            if mode == "max":
                anyfixed = b.add_atom()
                for pair in t:
                    b.add_rule([anyfixed], [pair[0], -pair[1]])
                    b.add_rule([anyfixed], [pair[1], -pair[0]])
                b.add_rule([], [-anyfixed])
        if mode in ("min", "max"):
            # clingo types every option group as str | Configuration | None, the groups included
            ctl.configuration.solver[0].heuristic = "Domain"  # type: ignore[index, union-attr]
            ctl.configuration.solve.enum_mode = "domRec"  # type: ignore[union-attr]
        self._controls[mode] = ctl
        self._literals[mode] = t
        self._codes[mode] = codes
        self._externals[mode] = externals
        self._assigned[mode] = (0, 0)
        return ctl

    def _set_clamps(self, mode: Mode, clamps: Clamps) -> None:
        """Assign the clamp externals: ``clamps`` maps node -> value, or is a ``(fixed,
        values)`` bitmask pair over the nodes (bit i = node i). Only externals whose value
        changes since the last query are touched."""
        ctl = self._control(mode)
        if isinstance(clamps, tuple):
            mask, vals = clamps
            if mask & ~self._clampable_mask:
                bad = next(
                    i
                    for i in range(len(self.nodes))
                    if (mask >> i) & 1 and self.nodes[i] not in self._clampable_set
                )
                raise KeyError(self.nodes[bad])
        else:
            mask = vals = 0
            for name, v in clamps.items():
                if name not in self._clampable_set:
                    raise KeyError(name)
                bit = 1 << self.index[name]
                mask |= bit
                if v:
                    vals |= bit
        new = (mask & ~vals, mask & vals)  # clamped at 0, clamped at 1
        old = self._assigned[mode]
        externals = self._externals[mode]
        assign = ctl.assign_external
        for v in (0, 1):
            for i in set_bits(old[v] & ~new[v]):
                assign(externals[(i, v)], False)
            for i in set_bits(new[v] & ~old[v]):
                assign(externals[(i, v)], True)
        self._assigned[mode] = new

    def count(
        self,
        mode: Mode,
        clamps: Clamps | None = None,
        *,
        limit: int | None = None,
        timeout: float | None = None,
        every: int = 0,
        on_progress: Callable[[int], bool] | None = None,
    ) -> int:
        """Number of solutions (at most ``limit``) without decoding them.

        ``on_progress(n)`` is called after every ``every`` solutions; returning False stops the
        count there. :meth:`interrupt` (from another thread) stops it too; the count so far is
        returned either way.
        """
        seen = [0]

        def on_model(model) -> bool:
            seen[0] += 1
            if (
                every
                and on_progress is not None
                and seen[0] % every == 0
                and not on_progress(seen[0])
            ):
                return False
            return limit is None or seen[0] < limit

        self._run(mode, clamps, on_model, timeout, lambda: seen[0])
        return seen[0]

    def interrupt(self, mode: Mode) -> None:
        """Stop a search of ``mode`` that another thread is running (nothing if none runs)."""
        ctl = self._controls.get(mode)
        if ctl is not None:
            ctl.interrupt()

    def _collect(
        self, mode: Mode, clamps: Clamps | None, limit: int | None, timeout: float | None
    ) -> list[bytes]:
        """Every model's true atoms, each copied out of clingo as one block of symbol handles
        (decoding atom by atom through clingo's Python API cost ~100 µs per model and dominated
        enumerations of tens of thousands of fixed points)."""
        chunks: list[bytes] = []
        grab = self._grabbers.get(mode)
        if grab is None:
            # the only atoms with symbols are the 2n t atoms; a fixed point holds exactly n
            n = len(self.nodes)
            grab = self._grabbers[mode] = block_grabber(
                n if mode in ("fixed", "fixed1") else 2 * n, exact=mode in ("fixed", "fixed1")
            )

        def on_model(model) -> bool:
            chunks.append(grab(model))
            return limit is None or len(chunks) < limit

        self._run(mode, clamps, on_model, timeout, chunks.__len__)
        return chunks

    def solve_rows(
        self,
        mode: Mode,
        clamps: Clamps | None = None,
        *,
        limit: int | None = None,
        timeout: float | None = None,
    ) -> list[list[int]]:
        """The solutions as rows over the nodes (in network order): ``1``, ``0``, or ``-1`` for
        a node that is free in a trap space. Rows come sorted (fixed points by their values,
        trap spaces as their ``"01-"`` strings).

        Raises :class:`BudgetExceeded` if ``timeout`` seconds pass first.
        """
        chunks = self._collect(mode, clamps, limit, timeout)
        decoder = self._decoder(mode)
        if decoder.use_numpy(chunks):
            return decoder.matrix(chunks).tolist()
        return decoder.rows(chunks)

    def solve(
        self,
        mode: Mode,
        clamps: Clamps | None = None,
        *,
        limit: int | None = None,
        timeout: float | None = None,
    ) -> list[Subspace]:
        """Fixed points (complete dicts) or trap spaces (fixed nodes only), sorted as in
        :meth:`solve_rows`.

        Raises :class:`BudgetExceeded` if ``timeout`` seconds pass first.
        """
        nodes = self.nodes
        rows = self.solve_rows(mode, clamps, limit=limit, timeout=timeout)
        if mode in ("fixed", "fixed1"):
            # rows hold 0/1 (and -1 for a free node of a trap space), typed as int
            return [dict(zip(nodes, r)) for r in rows]  # type: ignore[arg-type]
        return [{x: v for x, v in zip(nodes, r) if v >= 0} for r in rows]  # type: ignore[misc]

    def solve_matrix(self, mode: Mode, clamps: Clamps | None = None):
        """The solutions as a sorted int8 numpy matrix, one row per solution, one column per
        node (1, 0, or -1 for a node free in a trap space)."""
        import numpy as np

        chunks = self._collect(mode, clamps, None, None)
        if not chunks:
            return np.zeros((0, len(self.nodes)), dtype=np.int8)
        return self._decoder(mode).matrix(chunks)

    def solve_states(
        self, mode: Literal["fixed", "fixed1"], clamps: Clamps | None = None
    ) -> tuple[int, list[int], list[int]]:
        """Every state of a fixed-point mode, without numpy: ``(count, columns, rows)``, where
        bit ``m`` of ``columns[i]`` is node i's value in state m and bit ``i`` of ``rows[m]``
        likewise (states in no particular order; see :meth:`Decoder.states
        <dormnet._engines.asp_models.Decoder.states>`)."""
        chunks = self._collect(mode, clamps, None, None)
        decoder = self._decoder(mode)
        hit = decoder.states(chunks)
        if hit is not None:
            return len(chunks), *hit
        # another atom layout (not seen with clingo 5.8): decode atom by atom
        n = len(self.nodes)
        rows = []
        for r in decoder.rows(chunks):
            rows.append(sum(1 << i for i, v in enumerate(r) if v == 1))
        columns = [sum(1 << m for m, x in enumerate(rows) if (x >> i) & 1) for i in range(n)]
        return len(rows), columns, rows

    def solve_masks(
        self,
        mode: Mode,
        clamps: Clamps | None = None,
        *,
        limit: int | None = None,
        timeout: float | None = None,
    ) -> list[tuple[int, int]]:
        """The solutions as ``(fixed, values)`` bitmasks (bit i = node i), sorted as in
        :meth:`solve_rows`: the form the screens compute with."""
        chunks = self._collect(mode, clamps, limit, timeout)
        decoder = self._decoder(mode)
        if decoder.use_numpy(chunks):
            return decoder.masks(chunks)
        out = []
        for r in decoder.rows(chunks):
            mask = vals = 0
            bit = 1
            for v in r:
                if v >= 0:
                    mask |= bit
                    if v:
                        vals |= bit
                bit <<= 1
            out.append((mask, vals))
        return out

    def _decoder(self, mode: Mode) -> Decoder:
        hit = self._decoders.get(mode)
        if hit is None:
            self._control(mode)
            hit = self._decoders[mode] = Decoder(self._codes[mode], len(self.nodes))
        return hit

    def _run(
        self,
        mode: Mode,
        clamps: Clamps | None,
        on_model,
        timeout: float | None,
        done: Callable[[], int],
    ) -> None:
        """Solve with ``on_model`` called for every model (returning False stops the search);
        a timer interrupts the search after ``timeout`` seconds (``done()`` says how many
        results there were, for the message)."""
        ctl = self._control(mode)
        self._set_clamps(mode, clamps or {})
        timer = expired = None
        if timeout is not None:
            import threading  # only with a time budget: a plain count does without (start-up)

            expired = threading.Event()

            def stop() -> None:
                expired.set()
                ctl.interrupt()

            timer = threading.Timer(timeout, stop)
            timer.daemon = True
            timer.start()
        start = time.monotonic()
        try:
            solve(ctl, on_model)
        finally:
            if timer is not None:
                timer.cancel()
        if expired is not None and expired.is_set():
            raise BudgetExceeded(
                f"time budget of {timeout:g} s exhausted after {done()} results "
                f"({time.monotonic() - start:.1f} s)",
                "raise the budget, fix inputs, or ask for a count",
            )
