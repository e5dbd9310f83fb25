"""Fixed points and trap spaces with clingo, grounded once and queried many times.

Encoding (after Klarner et al. 2017 and mpbn, Paulevé et al. 2020): a subspace is the set of atoms
``t(V,B)`` "node V can take value B"; a node is fixed when one of its two atoms holds. For every
prime implicant ``p`` of ``f_V`` there is the constraint "if every literal of ``p`` is possible,
``t(V,1)`` must be": the subspace is closed under the update functions, i.e. a trap space. Any DNF
would do; the primes are the smallest one. Fixed points add "no node has both values"; minimal and
maximal trap spaces come from clingo's domain heuristic with ``domRec`` enumeration (subset-minimal
or subset-maximal sets of ``t`` atoms).

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

import threading
import time
from typing import Iterator, Literal, Mapping

from ..errors import BudgetExceeded
from ..network import BooleanNetwork
from ..normal_form import primes
from ..spaces import Subspace

__all__ = ["AspEngine"]

Mode = Literal["fixed", "min", "max", "all"]


class AspEngine:
    """One grounded program per query mode for a network; clamps are externals.

    Parameters
    ----------
    net : BooleanNetwork
        The unperturbed network.
    clampable : iterable of str, optional
        Nodes that queries may clamp (default: all). Fewer externals ground faster.
    """

    def __init__(self, net: BooleanNetwork, clampable: object = None):
        self.net = net
        self.nodes = list(net.nodes)
        self.index = {n: i for i, n in enumerate(self.nodes)}
        self.clampable = list(self.nodes if clampable is None else clampable)
        self._program = self._encode()
        self._controls: dict[str, object] = {}
        self._assigned: dict[str, dict[tuple[int, int], bool]] = {}

    def _encode(self) -> str:
        lines = ["{t(V,0); t(V,1)} :- node(V).", ":- node(V), not t(V,0), not t(V,1).",
                 f"node(0..{len(self.nodes) - 1}).", "clamped(V) :- clamp(V,B).",
                 ":- clamp(V,B), t(V,1-B).",
                 # shown as one number per atom: decoding a Number is one C call, a Function three
                 "#show.", "#show 2*V+B : t(V,B)."]
        for n in self.clampable:
            i = self.index[n]
            lines.append(f"#external clamp({i},0). #external clamp({i},1).")
        for n in self.nodes:
            i = self.index[n]
            off, on = primes(self.net, n)
            guard = f"not clamped({i})" if n in self._clampable_set else ""
            for value, cubes in ((1, on), (0, off)):
                for cube in cubes:
                    body = [f"t({self.index[x]},{b})" for x, b in cube.items()]
                    body.append(f"not t({i},{value})")
                    if guard:
                        body.append(guard)
                    lines.append(":- " + ", ".join(body) + ".")
        return "\n".join(lines)

    @property
    def _clampable_set(self) -> set[str]:
        s = self.__dict__.get("_cs")
        if s is None:
            s = self.__dict__["_cs"] = set(self.clampable)
        return s

    def _control(self, mode: Mode):
        import clingo

        ctl = self._controls.get(mode)
        if ctl is None:
            ctl = clingo.Control(["0", "--warn=none"])
            extra = ""
            if mode == "fixed":
                extra = ":- t(V,0), t(V,1)."
            elif mode == "min":
                extra = "#heuristic t(V,B) : node(V), B=0..1. [1,false]"
            elif mode == "max":
                extra = ("#heuristic t(V,B) : node(V), B=0..1. [1,true]\n"
                         "fixedany :- t(V,B), not t(V,1-B).\n:- not fixedany.")
            ctl.add("base", [], self._program + "\n" + extra)
            ctl.ground([("base", [])])
            if mode in ("min", "max"):
                ctl.configuration.solver[0].heuristic = "Domain"
                ctl.configuration.solve.enum_mode = "domRec"
            self._controls[mode] = ctl
            self._assigned[mode] = {}
        return ctl

    def _set_clamps(self, mode: Mode, clamps: Mapping[str, int]) -> None:
        import clingo

        ctl = self._control(mode)
        want = {}
        for n, v in clamps.items():
            if n not in self._clampable_set:
                raise KeyError(n)
            want[(self.index[n], int(v))] = True
        assigned = self._assigned[mode]
        for key in list(assigned):
            if key not in want:
                ctl.assign_external(clingo.Function("clamp", [clingo.Number(key[0]),
                                                               clingo.Number(key[1])]), False)
                del assigned[key]
        for key in want:
            if key not in assigned:
                ctl.assign_external(clingo.Function("clamp", [clingo.Number(key[0]),
                                                               clingo.Number(key[1])]), True)
                assigned[key] = True

    def count(self, mode: Mode, clamps: Mapping[str, int] | None = None, *,
              limit: int | None = None, timeout: float | None = None) -> int:
        """Number of solutions (at most ``limit``) without decoding them."""
        return sum(1 for _ in self.solve(mode, clamps, limit=limit, timeout=timeout, decode=False))

    def solve(self, mode: Mode, clamps: Mapping[str, int] | None = None, *,
              limit: int | None = None, timeout: float | None = None,
              decode: bool = True) -> Iterator[Subspace]:
        """Yield fixed points (complete dicts) or trap spaces (fixed nodes only).

        Raises :class:`BudgetExceeded` if ``timeout`` seconds pass first; what was yielded
        before is certain.
        """
        ctl = self._control(mode)
        self._set_clamps(mode, clamps or {})
        n = len(self.nodes)
        count = 0
        timer = None
        expired = threading.Event()
        if timeout is not None:
            def stop() -> None:
                expired.set()
                ctl.interrupt()
            timer = threading.Timer(timeout, stop)
            timer.daemon = True
            timer.start()
        start = time.monotonic()
        try:
            with ctl.solve(yield_=True) as handle:
                for model in handle:
                    if decode:
                        seen = [0] * n
                        for sym in model.symbols(shown=True):
                            code = sym.number
                            seen[code >> 1] |= 1 << (code & 1)
                        yield {self.nodes[i]: (1 if s == 2 else 0) for i, s in enumerate(seen)
                               if s != 3}  # type: ignore[misc]
                    else:
                        yield {}
                    count += 1
                    if limit is not None and count >= limit:
                        break
                    if expired.is_set():
                        break
                if expired.is_set():
                    raise BudgetExceeded(
                        f"time budget of {timeout:g} s exhausted after {count} results "
                        f"({time.monotonic() - start:.1f} s)",
                        "the results listed so far are certain; raise the budget or fix inputs")
        finally:
            if timer is not None:
                timer.cancel()
