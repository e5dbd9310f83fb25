"""A small reduced ordered BDD for the functions of single rules.

Why not a library: the functions dormnet needs BDDs for are those of one rule at a time
(tens of variables), and the algorithms it runs on them — semantic regulator signs, essential
regulators, prime implicants by the Coudert–Madre recursion, equivalence checks — are short
recursions over nodes. A pure-Python table of ``(var, low, high)`` triples with memoised
``apply`` does them in microseconds and keeps the core free of compiled dependencies; the
network-wide symbolic work (asynchronous attractors) is left to biodivine-aeon's Rust BDDs.

Node ``0`` is false, node ``1`` is true; inner nodes are ints >= 2. Variable ``i`` is tested
before variable ``j`` when ``i < j``.

References
----------
Bryant RE. Graph-based algorithms for Boolean function manipulation. IEEE Trans Comput 1986.
DOI:10.1109/TC.1986.1676819.
Coudert O, Madre JC. Implicit and incremental computation of primes and essential primes of
Boolean functions. DAC 1992. DOI:10.1109/DAC.1992.227866.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import boolean

from .expr import fold
from .spaces import Subspace

__all__ = ["BDD", "DEFAULT_MAX_NODES", "DEFAULT_MAX_PRIMES"]

#: size budgets of one rule's BDD and of the prime implicants built for it (all recursion levels)
DEFAULT_MAX_NODES = 2_000_000
DEFAULT_MAX_PRIMES = 250_000


class BDD:
    """A manager of reduced ordered BDD nodes over named variables.

    Examples
    --------
    >>> from dormnet.expr import parse_expr
    >>> m = BDD(["a", "b", "c"])
    >>> f = m.from_expr(parse_expr("a & !b | a & c"))
    >>> sorted(sorted(p.items()) for p in m.primes(f))
    [[('a', 1), ('b', 0)], [('a', 1), ('c', 1)]]
    """

    def __init__(
        self,
        variables: Sequence[str],
        *,
        max_nodes: int | None = None,
        max_primes: int | None = None,
    ):
        self.max_nodes = DEFAULT_MAX_NODES if max_nodes is None else max_nodes
        self.max_primes = DEFAULT_MAX_PRIMES if max_primes is None else max_primes
        self._prime_count = 0
        self.variables = list(variables)
        self.index = {v: i for i, v in enumerate(self.variables)}
        n = len(self.variables)
        self._var = [n, n]
        self._lo = [0, 1]
        self._hi = [0, 1]
        self._unique: dict[tuple[int, int, int], int] = {}
        self._and: dict[tuple[int, int], int] = {}
        self._not: dict[int, int] = {}
        self._primes: dict[int, frozenset] = {}

    def __len__(self) -> int:
        return len(self._var)

    def mk(self, var: int, lo: int, hi: int) -> int:
        """The node testing ``var`` with the given children (reduced, hash-consed).

        Parameters
        ----------
        var : int
            The variable's index.
        lo, hi : int
            The nodes for ``var = 0`` and ``var = 1``.

        Returns
        -------
        int
            ``lo`` itself when ``lo == hi``, else the one node with these parts.

        Raises
        ------
        BudgetExceeded
            More than ``max_nodes`` nodes.
        """
        if lo == hi:
            return lo
        key = (var, lo, hi)
        node = self._unique.get(key)
        if node is None:
            node = len(self._var)
            if self.max_nodes is not None and node > self.max_nodes:
                from .errors import BudgetExceeded

                raise BudgetExceeded(
                    f"a rule's BDD grew past {self.max_nodes:,} nodes "
                    f"({len(self.variables)} variables)",
                    "simplify the rule or split it with intermediate nodes",
                )
            self._var.append(var)
            self._lo.append(lo)
            self._hi.append(hi)
            self._unique[key] = node
        return node

    def var(self, name: str) -> int:
        """The function that is the variable ``name``.

        Parameters
        ----------
        name : str

        Returns
        -------
        int
            A node.
        """
        return self.mk(self.index[name], 0, 1)

    def neg(self, u: int) -> int:
        """Negation.

        Parameters
        ----------
        u : int

        Returns
        -------
        int
            The node of ``!u``.
        """
        if u < 2:
            return 1 - u
        r = self._not.get(u)
        if r is None:
            r = self.mk(self._var[u], self.neg(self._lo[u]), self.neg(self._hi[u]))
            self._not[u] = r
        return r

    def conj(self, u: int, w: int) -> int:
        """Conjunction.

        Parameters
        ----------
        u, w : int

        Returns
        -------
        int
            The node of ``u & w``.
        """
        if u == 0 or w == 0:
            return 0
        if u == 1:
            return w
        if w == 1 or u == w:
            return u
        if u > w:
            u, w = w, u
        key = (u, w)
        r = self._and.get(key)
        if r is not None:
            return r
        vu, vw = self._var[u], self._var[w]
        v = min(vu, vw)
        u0, u1 = (self._lo[u], self._hi[u]) if vu == v else (u, u)
        w0, w1 = (self._lo[w], self._hi[w]) if vw == v else (w, w)
        r = self.mk(v, self.conj(u0, w0), self.conj(u1, w1))
        self._and[key] = r
        return r

    def disj(self, u: int, w: int) -> int:
        """Disjunction.

        Parameters
        ----------
        u, w : int

        Returns
        -------
        int
            The node of ``u | w``.
        """
        return self.neg(self.conj(self.neg(u), self.neg(w)))

    def restrict(self, u: int, name: str, value: int) -> int:
        """Cofactor of ``u`` with ``name`` set to ``value``.

        Parameters
        ----------
        u : int
        name : str
        value : int
            0 or 1.

        Returns
        -------
        int
        """
        v = self.index[name]
        memo: dict[int, int] = {}

        def go(x: int) -> int:
            if x < 2 or self._var[x] > v:
                return x
            if self._var[x] == v:
                return self._hi[x] if value else self._lo[x]
            r = memo.get(x)
            if r is None:
                r = self.mk(self._var[x], go(self._lo[x]), go(self._hi[x]))
                memo[x] = r
            return r

        return go(u)

    def implies(self, u: int, w: int) -> bool:
        """Whether every model of ``u`` is a model of ``w``.

        Parameters
        ----------
        u, w : int

        Returns
        -------
        bool
        """
        return self.conj(u, self.neg(w)) == 0

    def support(self, u: int) -> set[str]:
        """The variables ``u`` depends on.

        Parameters
        ----------
        u : int

        Returns
        -------
        set of str
        """
        seen: set[int] = set()
        out: set[int] = set()
        todo = [u]
        while todo:
            x = todo.pop()
            if x < 2 or x in seen:
                continue
            seen.add(x)
            out.add(self._var[x])
            todo.append(self._lo[x])
            todo.append(self._hi[x])
        return {self.variables[i] for i in out}

    def from_expr(self, expr: boolean.Expression) -> int:
        """Build the BDD of a boolean.py expression (iteratively: deep trees are fine).

        Parameters
        ----------
        expr : boolean.Expression
            Over variables of this manager.

        Returns
        -------
        int
        """

        def conj_all(args: list[int]) -> int:
            r = 1
            for a in args:
                r = self.conj(r, a)
            return r

        def disj_all(args: list[int]) -> int:
            r = 0
            for a in args:
                r = self.disj(r, a)
            return r

        return fold(expr, self.var, lambda c: c, self.neg, conj_all, disj_all)

    def from_cubes(self, cubes: Iterable[Mapping[str, int]]) -> int:
        """The disjunction of cubes.

        Parameters
        ----------
        cubes : iterable of mappings
            Each a mapping name -> 0/1.

        Returns
        -------
        int
        """
        r = 0
        for cube in cubes:
            c = 1
            for name in sorted(cube, key=self.index.__getitem__, reverse=True):
                x = self.var(name)
                c = self.conj(c, x if cube[name] else self.neg(x))
            r = self.disj(r, c)
        return r

    def evaluate(self, u: int, state: Mapping[str, int]) -> int:
        """Value of ``u`` in a state.

        Parameters
        ----------
        u : int
        state : mapping
            Name -> 0/1, for every variable ``u`` depends on.

        Returns
        -------
        int
            0 or 1.
        """
        while u >= 2:
            u = self._hi[u] if state[self.variables[self._var[u]]] else self._lo[u]
        return u

    def count(self, u: int, nvars: int | None = None) -> int:
        """Number of models over the first ``nvars`` variables.

        Parameters
        ----------
        u : int
        nvars : int, optional
            Default: every variable of the manager.

        Returns
        -------
        int
        """
        n = len(self.variables) if nvars is None else nvars
        memo: dict[int, int] = {}

        def go(x: int) -> int:  # models over variables var(x)..n-1
            if x < 2:
                return x
            r = memo.get(x)
            if r is None:
                v = self._var[x]
                lo, hi = self._lo[x], self._hi[x]
                r = (go(lo) << (self._level(lo, n) - v - 1)) + (
                    go(hi) << (self._level(hi, n) - v - 1)
                )
                memo[x] = r
            return r

        return go(u) << self._level(u, n)

    def _level(self, x: int, n: int) -> int:
        return n if x < 2 else self._var[x]

    def primes(self, u: int) -> list[Subspace]:
        """All prime implicants of ``u`` as cubes (Coudert–Madre recursion on the BDD).

        A prime of f = x·f1 + !x·f0 is a prime of f0·f1, or x·p with p a prime of f1 that is no
        implicant of f0, or !x·p likewise.

        Parameters
        ----------
        u : int

        Returns
        -------
        list of dict
            Each prime as a subspace (name -> 0/1).

        Raises
        ------
        BudgetExceeded
            More than ``max_primes`` primes built over the recursion.
        """
        return [
            {self.variables[v]: val for v, val in sorted(cube)}
            for cube in sorted(self._primes_of(u), key=lambda c: (len(c), sorted(c)))
        ]

    def _primes_of(self, u: int) -> frozenset:
        if u == 0:
            return frozenset()
        if u == 1:
            return frozenset([frozenset()])
        r = self._primes.get(u)
        if r is not None:
            return r
        v, f0, f1 = self._var[u], self._lo[u], self._hi[u]
        both = self._primes_of(self.conj(f0, f1))
        out = set(both)
        for p in self._primes_of(f1):
            if p not in both:
                out.add(p | {(v, 1)})
        for p in self._primes_of(f0):
            if p not in both:
                out.add(p | {(v, 0)})
        r = frozenset(out)
        self._prime_count += len(r)
        if self.max_primes is not None and self._prime_count > self.max_primes:
            from .errors import BudgetExceeded

            raise BudgetExceeded(
                f"more than {self.max_primes:,} prime implicants while computing the normal form "
                f"of a rule over {len(self.variables)} variables",
                "such rules (e.g. a parity of many regulators) have exponentially many primes; "
                "simplify the rule or split it with intermediate nodes",
            )
        self._primes[u] = r
        return r
