"""biodivine-aeon as the symbolic backend: exact asynchronous attractors and exact counts.

AEON (Beneš et al.) represents sets of states as BDDs; dormnet uses it for what needs the whole
state space: complete asynchronous attractors, and counting fixed points or minimal trap spaces
that are too many to enumerate (4×10^10 fixed points of bbm_217 in milliseconds).

The network is handed over as BNET whose functions are the prime-implicant DNFs: flat formulas
that AEON parses quickly, also for published rules of a million characters and 10,000 nested
parentheses (which crash its own parser).

Attractor search is trap-space guided: every minimal trap space holds at least one attractor, and
attractors inside a trap space are attractors of the whole network, so the minimal trap spaces
that are not fixed points are searched (small ones by listing their states, the others as one
union, a trap set) rather than the state space. Attractors outside every minimal trap space
("motif-avoidant", rare) are then found exactly: the states that cannot reach any minimal trap
space form a trap set, and AEON searches it; usually the backward reach covers the state space
and this step is one BDD fixpoint.

References
----------
Beneš N, Brim L, Huvar O, Pastva S, Šafránek D. Boolean network sketches. Bioinformatics 2023.
DOI:10.1093/bioinformatics/btad158.
Trinh VG, Benhamou B, Paulevé L, Pastva S. Mapping the attractor landscape of Boolean networks
with biobalm. 2024. DOI:10.1007/978-3-031-71671-3_5.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import suppress

from ..errors import BudgetExceeded
from ..network import BooleanNetwork
from ..normal_form import primes
from ..spaces import Subspace
from .bitsets import BUDGET, STATE_CAP, explicit_attractors
from .percolation import BitSpace, percolator

__all__ = [
    "ColouredSearch",
    "aeon_bnet",
    "async_attractors",
    "coloured_attractors",
    "coloured_count",
    "count_fixed_points",
    "count_min_trap_spaces",
    "describe",
    "quiet_aeon",
    "variable_positions",
]


def _dnf(cubes: Sequence[Mapping[str, int]]) -> str:
    if not cubes:
        return "false"
    if cubes == [{}]:
        return "true"
    return " | ".join(
        "(" + " & ".join(k if v else "!" + k for k, v in c.items()) + ")" for c in cubes
    )


def aeon_bnet(net: BooleanNetwork) -> str:
    """BNET text for AEON with flat DNF functions (prime implicants)."""
    lines = ["targets, factors"]
    for n in net.nodes:
        lines.append(f"{n}, {_dnf(primes(net, n)[1])}")
    return "\n".join(lines) + "\n"


def quiet_aeon():
    """``biodivine_aeon``, its progress reports silenced: they are not dormnet's output. AEON
    prints some itself (``LOG_LEVEL``) and sends others to Python's logging, under
    ``biodivine_algo_bdd_scc`` at INFO, which a program that configured logging (pyboolnet
    does, on import) would print: hundreds of lines per attractor search."""
    import logging

    import biodivine_aeon as ba

    ba.LOG_LEVEL = ba.LOG_NOTHING
    logging.getLogger("biodivine_algo_bdd_scc").setLevel(logging.WARNING)
    return ba


def aeon_network(net: BooleanNetwork):
    """The network as a ``biodivine_aeon.BooleanNetwork`` (through :func:`aeon_bnet`)."""
    ba = quiet_aeon()
    return ba.BooleanNetwork.from_bnet(aeon_bnet(net), repair_graph=True)


def _graph(net: BooleanNetwork):
    import biodivine_aeon as ba

    bn = aeon_network(net)
    return bn, ba.AsynchronousGraph(bn)


def count_fixed_points(net: BooleanNetwork) -> int:
    """Exact number of fixed points (symbolic).

    Parameters
    ----------
    net : BooleanNetwork
        With any clamps already applied.

    Returns
    -------
    int
    """
    import biodivine_aeon as ba

    _, g = _graph(net)
    return int(ba.FixedPoints.symbolic(g).cardinality())


def count_min_trap_spaces(net: BooleanNetwork) -> int:
    """Exact number of minimal trap spaces (symbolic).

    Parameters
    ----------
    net : BooleanNetwork
        With any clamps already applied.

    Returns
    -------
    int
    """
    import biodivine_aeon as ba

    bn = aeon_network(net)
    ctx = ba.SymbolicSpaceContext(bn)
    g = ba.AsynchronousGraph(bn, ctx)
    return int(ba.TrapSpaces.minimal_symbolic(ctx, g).cardinality())


def _union(g, sets: list):
    """The union of many symbolic sets, merged pairwise (one by one, each union works on an
    ever larger BDD: 32,768 trap spaces of bbm_019 took seconds)."""
    if not sets:
        return g.mk_empty_colored_vertices()
    while len(sets) > 1:
        sets = [
            sets[i].union(sets[i + 1]) if i + 1 < len(sets) else sets[i]
            for i in range(0, len(sets), 2)
        ]
    return sets[0]


def describe(vertices, var_index: dict, cap: int) -> tuple[Subspace, int, list[BitSpace] | None]:
    """Enclosing subspace, number of states and, up to ``cap`` states, the states as disjoint
    cubes: the paths of AEON's BDD of the set (usually a handful, however many states), which
    the caller expands only if the states are asked for. Listing 45,280 states one by one
    through AEON's Python API took 6.7 of 7.7 s on bbm_020."""
    space = {k: int(v) for k, v in (vertices.enclosing_named_subspace() or {}).items()}
    size = int(vertices.cardinality())
    cubes = None
    if size <= cap:
        cubes = []
        for clause in vertices.to_bdd().clause_iterator():
            mask = vals = 0
            for var, value in clause.items():
                bit = 1 << var_index[var]
                mask |= bit
                if value:
                    vals |= bit
            cubes.append((mask, vals))
    return space, size, cubes  # type: ignore[return-value]


def variable_positions(g, nodes: list[str]) -> dict:
    """AEON's BDD variable of each node -> the node's position in ``nodes``."""
    ctx = g.symbolic_context()
    position = {n: i for i, n in enumerate(nodes)}
    return {
        var: position[name]
        for var, name in zip(ctx.network_bdd_variables(), ctx.network_variable_names())
    }


#: attractors inside a minimal trap space with at most this many free nodes are found on its
#: explicit state graph (:mod:`.bitsets`); larger ones symbolically by AEON
EXPLICIT_FREE_NODES = 10
#: ... as long as the explicit search covers at most this many states in all
EXPLICIT_STATES = 1 << 16


def async_attractors(
    net: BooleanNetwork,
    min_trap_spaces: Sequence[Mapping[str, int]],
    *,
    on_primes: list[list[BitSpace]] | None = None,
    limit: int | None = None,
    state_cap: int = STATE_CAP,
) -> list[tuple[Subspace, int, list[BitSpace] | None]]:
    """Every attractor of the fully asynchronous dynamics, exactly.

    ``on_primes`` (prime implicants of each node's function as bitmask pairs, in node order)
    lets small minimal trap spaces be searched by listing their states.

    Returns a list of (enclosing subspace, number of states, the states as disjoint cubes over
    ``nodes`` or None if more than ``state_cap`` states).
    """
    import biodivine_aeon as ba

    nodes = list(net.nodes)
    _, g = _graph(net)
    var_index = variable_positions(g, nodes)
    full = (1 << len(nodes)) - 1
    out: list[tuple[Subspace, int, list[BitSpace] | None]] = []
    fixed_points = 0
    listed = 0  # states listed by the explicit search so far
    cyclic_spaces = []  # the minimal trap spaces searched symbolically
    listed_spaces = []  # and those whose states were listed
    for space in min_trap_spaces:
        if len(space) == len(nodes):
            vals = sum(1 << i for i, n in enumerate(nodes) if space[n])
            out.append(({k: 1 if v else 0 for k, v in space.items()}, 1, [(full, vals)]))
            fixed_points += 1
        else:
            sub = g.mk_subspace({k: bool(v) for k, v in space.items()})
            states = 1 << (len(nodes) - len(space))
            found = None
            if (
                on_primes is not None
                and len(nodes) - len(space) <= EXPLICIT_FREE_NODES
                and listed + states <= EXPLICIT_STATES
            ):
                bits = percolator(net).space_of(space)
                with suppress(BudgetExceeded):  # else searched symbolically, below
                    found = explicit_attractors(on_primes, bits, nodes, None, state_cap, BUDGET)
            if found is None:
                cyclic_spaces.append(sub)
            else:
                listed += states
                listed_spaces.append(sub)
                out.extend(found)
        if limit is not None and len(out) >= limit:
            return out[:limit]
    cyclic = _union(g, cyclic_spaces)
    # every fixed point is a minimal trap space: the fixed points, computed symbolically in one
    # step, and the other minimal trap spaces cover the whole union
    covered = cyclic.union(_union(g, listed_spaces)) if listed_spaces else cyclic
    if fixed_points:
        covered = ba.FixedPoints.symbolic(g).union(covered)
    if not cyclic.is_empty():
        # one search over the union of the trap spaces (itself a trap set): one AEON call
        # instead of one per trap space (142 calls on bbm_025: 0.64 s, one call: 0.24 s)
        for a in ba.Attractors.attractors(g, cyclic):
            out.append(describe(a.vertices(), var_index, state_cap))
            if limit is not None and len(out) >= limit:
                return out[:limit]
    basin = ba.Reachability.reach_bwd(g, covered) if not covered.is_empty() else covered
    rest = g.mk_unit_colored_vertices().minus(basin)
    if not rest.is_empty():
        for a in ba.Attractors.attractors(g, rest):
            out.append(describe(a.vertices(), var_index, state_cap))
    return out if limit is None else out[:limit]


# --------------------------------------------------------------------------- inputs as colours


def _reduced_bnet(nodes: list[str], on_primes: list[list[BitSpace]], fixed: BitSpace) -> str:
    """BNET of the nodes left free by ``fixed`` (a trap space holding every attractor, e.g. the
    percolated space), each function restricted to it: its prime implicants that agree with the
    fixed values, without the fixed literals (the network whose attractors are those of the
    original inside ``fixed``)."""
    fmask, fvals = fixed
    lines = ["targets, factors"]
    for i, name in enumerate(nodes):
        if (fmask >> i) & 1:
            continue
        terms = []
        for pm, pv in on_primes[i]:
            if (pm & fmask) & (pv ^ fvals):
                continue  # contradicts a fixed value: this implicant is false in the space
            rest = pm & ~fmask
            if not rest:
                terms = ["true"]  # pragma: no cover - percolation would have fixed the node
                break
            lits = [nodes[j] if (pv >> j) & 1 else "!" + nodes[j] for j in _bits_of(rest)]
            terms.append("(" + " & ".join(lits) + ")")
        lines.append(f"{name}, {' | '.join(terms) if terms else 'false'}")
    return "\n".join(lines) + "\n"


def _bits_of(x: int) -> list[int]:
    out = []
    while x:
        low = x & -x
        out.append(low.bit_length() - 1)
        x ^= low
    return out


def _submasks(mask: int) -> list[int]:
    """Every subset of the bits of ``mask`` (as ints), 0 included."""
    out = [0]
    sub = mask
    while sub:
        out.append(sub)
        sub = (sub - 1) & mask
    return out


class ColouredSearch:
    """biodivine-aeon's whole-graph attractor search with the free inputs as colours.

    The network handed to AEON is the percolated one (nodes fixed by percolation removed, their
    values substituted), and every input left free (``x, x``) is inlined by AEON as a parameter:
    one symbolic search covers every input valuation at once instead of one per valuation.
    Each set AEON returns holds, for each colour (input valuation) in it, exactly one attractor of
    that valuation (its pivot is picked per colour). Inputs that regulate nothing are dropped by
    ``inline_inputs``: each of them doubles the attractors (it is constant in every trajectory).
    """

    def __init__(self, net: BooleanNetwork, on_primes: list[list[BitSpace]], fixed: BitSpace):
        ba = quiet_aeon()
        self.nodes = list(net.nodes)
        self.fixed = fixed
        self.full = (1 << len(self.nodes)) - 1
        bn = ba.BooleanNetwork.from_bnet(
            _reduced_bnet(self.nodes, on_primes, fixed), repair_graph=True
        )
        inlined = bn.inline_inputs(infer_inputs=True, repair_graph=True)
        self.graph = ba.AsynchronousGraph(inlined)
        ctx = self.graph.symbolic_context()
        position = {n: i for i, n in enumerate(self.nodes)}
        #: AEON's BDD variable -> bit of the node (state variables and input parameters alike)
        self.bit: dict = {
            var: 1 << position[name]
            for var, name in zip(ctx.network_bdd_variables(), ctx.network_variable_names())
        }
        self.colour_bits = 0
        for name in inlined.explicit_parameter_names():
            var = ctx.get_function_table(name)[0][1]
            self.bit[var] = 1 << position[name]
            self.colour_bits |= 1 << position[name]
        known = set(inlined.variable_names()) | set(inlined.explicit_parameter_names())
        free = [i for i in range(len(self.nodes)) if not (fixed[0] >> i) & 1]
        #: inputs that regulate nothing, dropped by inline_inputs: free in every attractor
        self.dropped = sum(1 << i for i in free if self.nodes[i] not in known)
        self.sets: list = []
        #: attractors found without AEON (by :meth:`guided`: fixed points), over every node
        self.fixed_points: list[tuple[Subspace, int, list[BitSpace]]] = []

    def search(self) -> None:
        """Run AEON's attractor search on the whole graph (the costly step)."""
        import biodivine_aeon as ba

        self.sets = ba.Attractors.attractors(self.graph)

    def guided(self, min_trap_spaces: Sequence[Mapping[str, int]]) -> None:
        """The search of :func:`async_attractors`, in the coloured graph: the fixed points among
        the minimal trap spaces are kept as they are, the other minimal trap spaces are searched
        as one union (each input valuation's attractors side by side), then the states that
        reach no minimal trap space."""
        import biodivine_aeon as ba

        g = self.graph
        index = {n: i for i, n in enumerate(self.nodes)}
        var_of = {bit.bit_length() - 1: var for var, bit in self.bit.items()}
        n = len(self.nodes)
        full = (1 << n) - 1
        clauses = []
        for space in min_trap_spaces:
            if len(space) == n:
                vals = sum(1 << index[k] for k, v in space.items() if v)
                point: Subspace = {k: 1 if v else 0 for k, v in space.items()}
                self.fixed_points.append((point, 1, [(full, vals)]))
            else:
                clauses.append(
                    {var_of[index[k]]: bool(v) for k, v in space.items() if index[k] in var_of}
                )
        unit = g.mk_unit_colored_vertices()
        ctx = g.symbolic_context()
        cyclic = ba.ColoredVertexSet(ctx, ctx.bdd_variable_set().mk_dnf(clauses)).intersect(unit)
        covered = cyclic
        if self.fixed_points:
            covered = ba.FixedPoints.symbolic(g).union(covered)
        self.sets = ba.Attractors.attractors(g, cyclic) if not cyclic.is_empty() else []
        basin = ba.Reachability.reach_bwd(g, covered) if not covered.is_empty() else covered
        rest = unit.minus(basin)
        if not rest.is_empty():
            self.sets += ba.Attractors.attractors(g, rest)

    def count(self) -> int:
        """The exact number of attractors, without listing them."""
        per_set = sum(int(s.colors().cardinality()) for s in self.sets)
        return len(self.fixed_points) + (per_set << self.dropped.bit_count())

    def attractors(
        self, limit: int | None = None, state_cap: int = STATE_CAP
    ) -> list[tuple[Subspace, int, list[BitSpace] | None]]:
        """Every attractor, one per (set, colour, value of the dropped inputs)."""
        out: list[tuple[Subspace, int, list[BitSpace] | None]] = list(self.fixed_points[:limit])
        if limit is not None and len(out) >= limit:
            return out
        fmask, fvals = self.fixed
        extra = _submasks(self.dropped)
        base_mask = fmask | self.colour_bits | self.dropped
        for s in self.sets:
            want = None if limit is None else -(-(limit - len(out)) // len(extra))
            for colour, cubes in self._per_colour(s, want).items():
                for d in extra:
                    values = fvals | colour | d
                    full_cubes = [(m | base_mask, v | values) for m, v in cubes]
                    out.append(_summary(self.nodes, full_cubes, state_cap))
                    if limit is not None and len(out) >= limit:
                        return out
        return out

    def _cube(self, clause: Mapping) -> BitSpace:
        """A BDD path (AEON variable -> bool) as a bitmask cube over the network's nodes."""
        mask = vals = 0
        for var, value in clause.items():
            b = self.bit[var]
            mask |= b
            if value:
                vals |= b
        return mask, vals

    def _per_colour(self, s, want: int | None) -> dict[int, list[BitSpace]]:
        """The state cubes of each colour of ``s`` (at most ``want`` colours): the paths of its
        BDD, their unfixed input parameters expanded. Paths of a BDD are disjoint, so each
        colour's cubes are disjoint."""
        allowed: set[int] | None = None
        if want is not None and int(s.colors().cardinality()) > want:
            allowed = set()
            for clause in s.colors().to_bdd().clause_iterator():
                cmask, cvals = self._cube(clause)
                for sub in _submasks(self.colour_bits & ~cmask):
                    allowed.add(cvals | sub)
                    if len(allowed) >= want:
                        break
                if len(allowed) >= want:
                    break
        per: dict[int, list[BitSpace]] = {}
        for clause in s.to_bdd().clause_iterator():
            mask, vals = self._cube(clause)
            cmask, cvals = mask & self.colour_bits, vals & self.colour_bits
            smask, svals = mask & ~self.colour_bits, vals & ~self.colour_bits
            open_ = self.colour_bits & ~cmask
            if allowed is not None and len(allowed) < (1 << open_.bit_count()):
                colours = [c for c in allowed if c & cmask == cvals]
            else:
                colours = [cvals | sub for sub in _submasks(open_)]
                if allowed is not None:
                    colours = [c for c in colours if c in allowed]
            for c in colours:
                per.setdefault(c, []).append((smask, svals))
        return per


def _summary(
    nodes: list[str], cubes: list[BitSpace], cap: int
) -> tuple[Subspace, int, list[BitSpace] | None]:
    """(enclosing subspace, number of states, cubes or None past ``cap``) of disjoint cubes."""
    n = len(nodes)
    ones = zeros = (1 << n) - 1
    size = 0
    for m, v in cubes:
        ones &= m & v
        zeros &= m & ~v
        size += 1 << (n - m.bit_count())
    space = {
        x: 1 if (ones >> i) & 1 else 0 for i, x in enumerate(nodes) if ((ones | zeros) >> i) & 1
    }
    return space, size, (cubes if size <= cap else None)  # type: ignore[return-value]


def coloured_attractors(
    net: BooleanNetwork,
    on_primes: list[list[BitSpace]],
    fixed: BitSpace,
    *,
    limit: int | None = None,
    state_cap: int = STATE_CAP,
) -> list[tuple[Subspace, int, list[BitSpace] | None]]:
    """Every attractor by AEON's whole-graph search, the free inputs as colours
    (:class:`ColouredSearch`), listed per input valuation over every node."""
    search = ColouredSearch(net, on_primes, fixed)
    search.search()
    return search.attractors(limit, state_cap)


def coloured_count(net: BooleanNetwork, on_primes: list[list[BitSpace]], fixed: BitSpace) -> int:
    """The number of attractors by :class:`ColouredSearch`, without listing them."""
    search = ColouredSearch(net, on_primes, fixed)
    search.search()
    return search.count()
