"""Stochastic simulation: hand-checked chains, the exact solver against a dense matrix
exponential, the sampler against the exact solver (hypothesis, Bonferroni), clamps and MaBoSS
mutations, percolation, early stopping, reproducibility, and bad input.

Tolerances for the sampler. A window probability is the mean over N trajectories of a fraction
X in [0, 1] with mean m, so Var(X) <= m (1 - m) and the standard error of the mean is at most
sqrt(m (1 - m) / N), with m the exact value. Comparing K probabilities at once, each must be
within z of those bounds, z the two-sided normal quantile for a family-wise error of 1e-4
(Bonferroni): a correct sampler fails such a check once in ten thousand runs, and the seeds are
fixed, so a run that passes always passes.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dormnet import BooleanNetwork
from dormnet.errors import DataFileError, SimulationError, UnknownNodeError
from dormnet.simulate import Transition, frozen_nodes, read_setup, simulate


def z_bonferroni(k: int, alpha: float = 1e-4) -> float:
    from scipy.stats import norm

    return float(norm.isf(alpha / (2 * k)))


def assert_close_to_exact(sampled, exact, alpha: float = 1e-4) -> None:
    """Every node and phenotype probability of every window within the Bonferroni bound."""
    N = sampled.trajectories
    for got, want in (
        (sampled.node_probabilities, exact.node_probabilities),
        (sampled.phenotype_probabilities, exact.phenotype_probabilities),
    ):
        if want.size == 0:
            continue
        bound = np.sqrt(want * (1 - want) / N)
        z = z_bonferroni(sampled.node_probabilities.size + sampled.phenotype_probabilities.size)
        excess = np.abs(got - want) - (z * bound + 1e-9)
        assert excess.max() <= 0, (
            f"window {np.unravel_index(excess.argmax(), excess.shape)}: "
            f"sampled {got.flat[excess.argmax()]:.5f}, exact {want.flat[excess.argmax()]:.5f}"
        )


# -- hand-checked chains ---------------------------------------------------------------------------

DECAY = BooleanNetwork({"a": "0"})  # a switches off at rate d and never back


def decay_windows(d: float, tau: float, W: int) -> np.ndarray:
    """P(a = 1) averaged over [k tau, (k+1) tau) when a starts at 1: (e^-dk tau - e^-d(k+1) tau)
    / (d tau)."""
    k = np.arange(W)
    return (np.exp(-d * k * tau) - np.exp(-d * (k + 1) * tau)) / (d * tau)


def test_exact_decay_matches_the_formula():
    res = simulate(
        DECAY, rates={"a": (1.0, 0.7)}, initial={"a": 1}, max_time=3, time_step=0.5, method="exact"
    )
    assert res.method == "exact"
    assert np.allclose(res.node_probabilities[:, 0], decay_windows(0.7, 0.5, 6), atol=1e-12)
    assert np.allclose(res.times, [0, 0.5, 1, 1.5, 2, 2.5])
    # the fixed point a=0 is reached by t = 3 with probability 1 - e^-2.1
    assert res.fixed_points == [({"a": 0}, pytest.approx(1 - math.exp(-2.1)))]


def test_sampled_decay_matches_the_formula():
    res = simulate(
        DECAY,
        rates={"a": (1.0, 0.7)},
        initial={"a": 1},
        max_time=3,
        time_step=0.5,
        method="sampling",
        trajectories=20_000,
        seed=7,
    )
    assert res.method == "sampling" and res.trajectories == 20_000
    want = decay_windows(0.7, 0.5, 6)
    z = z_bonferroni(6)
    assert np.all(
        np.abs(res.node_probabilities[:, 0] - want) <= z * np.sqrt(want * (1 - want) / 2e4)
    )
    # MaBoSS's standard error: the sample standard deviation of the fractions over sqrt(N)
    assert np.all(res.node_stderr[:, 0] > 0) and np.all(res.node_stderr[:, 0] < 0.004)
    ((state, p),) = res.fixed_points
    assert state == {"a": 0} and abs(p - (1 - math.exp(-2.1))) < z * 0.004


def test_discrete_time_oscillator_alternates_each_step():
    # a = !a, starting at 0: in discrete time each step flips it, so window w holds w mod 2
    net = BooleanNetwork({"a": "!a"})
    for method in ("exact", "sampling"):
        res = simulate(
            net,
            initial={"a": 0},
            max_time=4,
            time_step=1,
            discrete_time=True,
            method=method,
            trajectories=50,
        )
        assert res.node_probabilities[:, 0].tolist() == [0, 1, 0, 1], method
        assert res.fixed_points == []


def test_windows_follow_maboss_count():
    # MaBoSS keeps int(max_time / time_tick) windows: 2.5 / 1 gives 2
    res = simulate(DECAY, initial={"a": 1}, max_time=2.5, time_step=1, method="exact")
    assert res.times.tolist() == [0.0, 1.0]


def test_phenotypes_and_undetermined():
    net = BooleanNetwork({"a": "a", "b": "b"})
    res = simulate(
        net,
        {"a": 1},
        phenotypes={"both": "a & b", "onlya": "a & !b"},
        initial={"b": 0.25},
        max_time=1,
        time_step=1,
        method="exact",
    )
    assert res.phenotypes == ("both", "onlya", "undetermined")
    assert res.final["phenotypes"] == pytest.approx(
        {"both": 0.25, "onlya": 0.75, "undetermined": 0}
    )


def test_to_json_shape():
    net = BooleanNetwork({"a": "a", "b": "a"})
    res = simulate(net, {"a": 1}, phenotypes={"on": "b"}, max_time=2, time_step=1, method="exact")
    data = res.to_json()
    assert list(data)[:5] == ["times", "phenotypes", "nodes", "final", "stderr"]
    assert data["times"] == [0.0, 1.0]
    assert set(data["phenotypes"]) == {"on", "undetermined"}
    assert len(data["nodes"]["b"]) == 2
    assert data["final"]["nodes"]["b"] == data["nodes"]["b"][-1]
    assert data["stderr"]["nodes"] == {"a": 0.0, "b": 0.0}


# -- the exact solver against a dense matrix exponential ------------------------------------------


def dense_windows(net, rates, p0, tau, W):
    """Window averages by scipy.linalg.expm of the dense generator: the integral over a window
    is the top-right block of expm([[Q, I], [0, 0]] tau) (Van Loan 1978)."""
    from scipy.linalg import expm

    from dormnet.expr import evaluate

    nodes = list(net.nodes)
    n = len(nodes)
    S = 1 << n
    Q = np.zeros((S, S))
    for s in range(S):
        state = {x: (s >> i) & 1 for i, x in enumerate(nodes)}
        for i, x in enumerate(nodes):
            f = evaluate(net.rule(x).expr, state)
            u, d = rates.get(x, (1.0, 1.0))
            if state[x] == 0 and f == 1:
                Q[s, s | (1 << i)] += u
            elif state[x] == 1 and f == 0:
                Q[s, s & ~(1 << i)] += d
        Q[s, s] = -Q[s].sum()
    big = np.zeros((2 * S, 2 * S))
    big[:S, :S] = Q
    big[:S, S:] = np.eye(S)
    E = expm(big * tau)
    step, integral = E[:S, :S], E[:S, S:] / tau
    ind = np.array([[(s >> i) & 1 for i in range(n)] for s in range(S)], dtype=float)
    out = []
    p = p0
    for _ in range(W):
        out.append(p @ integral @ ind)
        p = p @ step
    return np.array(out)


def test_exact_solver_agrees_with_dense_expm():
    net = BooleanNetwork({"a": "!b | c", "b": "a & !c", "c": "b | a & c"})
    rates = {"a": (2.0, 0.5), "b": (1.0, 3.0), "c": (0.3, 1.0)}
    res = simulate(
        net, rates=rates, initial={"a": 0.3, "b": 0.9}, max_time=4, time_step=0.8, method="exact"
    )
    # initial distribution over states, a bit 0, b bit 1, c bit 2
    p0 = np.array([(0.3 if s & 1 else 0.7) * (0.9 if s & 2 else 0.1) * 0.5 for s in range(8)])
    want = dense_windows(net, rates, p0, 0.8, 5)
    assert np.allclose(res.node_probabilities, want, atol=1e-10)


# -- the sampler against the exact solver, on random networks --------------------------------------


@st.composite
def random_models(draw, max_nodes: int = 12):
    n = draw(st.integers(2, max_nodes))
    names = [f"x{i}" for i in range(n)]
    rules = {}
    for x in names:
        regs = draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True))
        table = draw(st.lists(st.booleans(), min_size=1 << len(regs), max_size=1 << len(regs)))
        terms = []
        for k, bit in enumerate(table):
            if bit:
                lits = [r if (k >> j) & 1 else f"!{r}" for j, r in enumerate(regs)]
                terms.append("(" + " & ".join(lits) + ")")
        rules[x] = " | ".join(terms) if terms else "0"
    net = BooleanNetwork(rules)
    rates = {
        x: (draw(st.sampled_from([0.5, 1.0, 2.0])), draw(st.sampled_from([0.5, 1.0, 2.0])))
        for x in names
    }
    initial = {x: draw(st.sampled_from([0.0, 0.5, 1.0, 0.2])) for x in names}
    clamps = {}
    if draw(st.booleans()):
        clamps[draw(st.sampled_from(names))] = draw(st.integers(0, 1))
    discrete = draw(st.booleans())
    seed = draw(st.integers(0, 2**31))
    return net, rates, initial, clamps, discrete, seed


@settings(
    max_examples=15, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(random_models())
def test_sampler_agrees_with_exact_solver(model):
    net, rates, initial, clamps, discrete, seed = model
    phenotypes = {"p": f"{net.nodes[0]} & !{net.nodes[-1]}"}
    kw = {
        "rates": rates,
        "initial": initial,
        "phenotypes": phenotypes,
        "max_time": 3.0,
        "time_step": 0.75 if not discrete else 1.0,
        "discrete_time": discrete,
    }
    exact = simulate(net, clamps, method="exact", **kw)
    sampled = simulate(net, clamps, method="sampling", trajectories=4000, seed=seed, **kw)
    assert_close_to_exact(sampled, exact)
    assert sampled.frozen == exact.frozen
    # fixed points: the fraction of trajectories that ended in each, against the exact
    # probability of having reached it by max_time
    want = {tuple(s.values()): p for s, p in exact.fixed_points}
    got = {tuple(s.values()): p for s, p in sampled.fixed_points}
    assert set(got) <= set(want)
    z = z_bonferroni(max(1, len(want)))
    for k, p in want.items():
        assert abs(got.get(k, 0.0) - p) <= z * math.sqrt(p * (1 - p) / 4000) + 1e-9


# -- clamps, MaBoSS mutations, percolation --------------------------------------------------------

CASCADE = BooleanNetwork({"a": "a", "b": "a", "c": "b & !d", "d": "c"})


def test_clamp_holds_the_node_from_time_zero():
    res = simulate(CASCADE, {"b": 0}, max_time=3, time_step=1, method="exact")
    assert np.all(res.node_probabilities[:, 1] == 0)
    assert res.frozen == {"b": 0}


def test_maboss_mutation_equals_clamp_in_continuous_time():
    kw = {"max_time": 3, "time_step": 1, "method": "sampling", "trajectories": 20_000, "seed": 3}
    clamp = simulate(CASCADE, {"b": 0}, **kw)
    mut = simulate(CASCADE, mutations={"b": 0}, **kw)
    # the mutated node leaves 1 after ~1e-308 time units: nothing measurable
    assert np.all(mut.node_probabilities[:, 1] < 1e-12)
    diff = np.abs(mut.node_probabilities - clamp.node_probabilities)
    assert np.all(diff <= z_bonferroni(12) * np.sqrt(2 * 0.25 / 20_000))


def test_maboss_mutation_differs_in_discrete_time():
    # in discrete time MaBoSS's mutant keeps its random initial value for the first step
    kw = {
        "max_time": 3,
        "time_step": 1,
        "discrete_time": True,
        "method": "sampling",
        "trajectories": 4000,
    }
    mut = simulate(CASCADE, mutations={"b": 0}, **kw)
    clamp = simulate(CASCADE, {"b": 0}, **kw)
    assert abs(mut.node_probabilities[0, 1] - 0.5) < 0.05
    assert clamp.node_probabilities[0, 1] == 0
    assert mut.node_probabilities[1, 1] == 0  # the huge rate is always chosen first


def test_percolation_is_exact_and_only_drops_frozen_nodes():
    # a clamped to 0 and b starting at 0: b can never rise, so b is not simulated; c starts
    # random, so it keeps its transient even though it percolates to 0
    res = simulate(CASCADE, {"a": 0}, initial={"b": 0}, max_time=4, time_step=1, method="exact")
    assert res.frozen == {"a": 0, "b": 0}
    full = simulate(
        CASCADE,
        {"a": 0},
        initial={"b": 0},
        max_time=4,
        time_step=1,
        method="sampling",
        trajectories=20_000,
    )
    assert full.frozen == res.frozen
    # c decays from 1/2 at rate 1 (b = 0 forces c down): window averages of e^-t / 2
    want = decay_windows(1.0, 1.0, 4) / 2
    assert np.allclose(res.node_probabilities[:, 2], want, atol=1e-9)


def test_frozen_nodes_need_a_trap_space():
    # b = a with b certain at 0 but a free: b can rise, so it is not frozen
    tr = {"a": ([], []), "b": ([(1.0, [{"a": 1}])], [(1.0, [{"a": 0}])])}
    assert frozen_nodes(tr, {"b": 0}, {}) == {}
    assert frozen_nodes(tr, {"b": 0, "a": 0}, {}) == {"b": 0, "a": 0}


def test_custom_transition_rates():
    # b rises at rate 3 while a holds, at rate 1 otherwise (a state-dependent MaBoSS rate)
    from dormnet.expr import parse_expr

    net = BooleanNetwork({"a": "a", "b": "1"})
    t = Transition(up=((3.0, parse_expr("a")), (1.0, parse_expr("!a"))), down=())
    for a, rate in ((1, 3.0), (0, 1.0)):
        res = simulate(
            net, {"a": a}, rates={"b": t}, initial={"b": 0}, max_time=2, time_step=1, method="exact"
        )
        want = 1 - decay_windows(rate, 1.0, 2)
        assert np.allclose(res.node_probabilities[:, 1], want, atol=1e-10)


# -- running: early stop, processes, seeds -------------------------------------------------------


def test_tolerance_stops_early_and_reaches_the_width():
    res = simulate(
        CASCADE,
        max_time=3,
        time_step=1,
        method="sampling",
        trajectories=100_000,
        tolerance=0.02,
        batch_size=500,
    )
    assert res.trajectories < 100_000 and res.trajectories % 500 == 0
    assert (1.96 * res.node_stderr).max() <= 0.02


def test_results_do_not_depend_on_processes():
    kw = {
        "max_time": 3,
        "time_step": 1,
        "method": "sampling",
        "trajectories": 4000,
        "batch_size": 1000,
        "seed": 11,
    }
    one = simulate(CASCADE, processes=1, **kw)
    two = simulate(CASCADE, processes=2, **kw)
    assert np.array_equal(one.node_probabilities, two.node_probabilities)
    other = simulate(CASCADE, processes=1, **{**kw, "seed": 12})
    assert not np.array_equal(one.node_probabilities, other.node_probabilities)


def test_auto_method_is_exact_for_small_models():
    assert simulate(CASCADE, max_time=2, time_step=1).method == "exact"
    assert (
        simulate(CASCADE, mutations={"a": 1}, max_time=2, time_step=1, trajectories=10).method
        == "sampling"
    )


# -- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "fragment"),
    [
        ({"clamps": {"zz": 1}}, UnknownNodeError, "unknown node 'zz'"),
        ({"clamps": {"a": 2}}, SimulationError, "must be 0 or 1"),
        ({"rates": {"a": -1}}, SimulationError, "finite and >= 0"),
        ({"rates": {"a": (1, 2, 3)}}, SimulationError, "(up, down)"),
        ({"rates": {"q": 1}}, UnknownNodeError, "in rates"),
        ({"initial": {"a": 1.5}}, SimulationError, "probability of 1"),
        ({"initial": {("a", "b"): {(0, 2): 1}}}, SimulationError, "values 0/1"),
        ({"initial": {"a": 1, ("a", "b"): {(0, 0): 1}}}, SimulationError, "given twice"),
        ({"phenotypes": {"p": "a & nope"}}, UnknownNodeError, "in phenotype p"),
        ({"max_time": 0}, SimulationError, "max_time"),
        ({"time_step": 5, "max_time": 1}, SimulationError, "shorter than one time step"),
        ({"trajectories": 0}, SimulationError, "trajectories"),
        ({"method": "magic"}, SimulationError, "method must be"),
        ({"mutations": {"a": 1}, "method": "exact"}, SimulationError, "cannot solve exactly"),
    ],
)
def test_bad_input(kwargs, error, fragment):
    with pytest.raises(error, match=None) as info:
        simulate(CASCADE, **kwargs)
    assert fragment in str(info.value)


# -- the settings file ---------------------------------------------------------------------------


def test_read_setup(tmp_path):
    p = tmp_path / "rates.toml"
    p.write_text(
        "[rates]\na = 2\nb = { up = 0.5 }\n\n[initial]\nc = 0.25\n\n"
        "[[initial.joint]]\nnodes = ['a', 'b']\n"
        "states = [{ p = 0.3, values = [0, 1] }, { p = 0.7, values = [1, 1] }]\n\n"
        "[simulation]\nmax_time = 20\ntime_step = 0.5\ndiscrete_time = true\nseed = 4\n"
    )
    setup = read_setup(p, CASCADE)
    assert setup.rates == {"a": (2.0, 2.0), "b": (0.5, 1.0)}
    assert setup.initial == {"c": 0.25, ("a", "b"): {(0, 1): 0.3, (1, 1): 0.7}}
    assert setup.settings() == {
        "max_time": 20.0,
        "time_step": 0.5,
        "discrete_time": True,
        "seed": 4,
    }
    res = simulate(
        CASCADE, rates=setup.rates, initial=setup.initial, max_time=1, time_step=1, method="exact"
    )
    # b starts at 1 in both joint states; where a = 0 (p 0.3) it leaves at rate 1 (down: default)
    assert res.node_probabilities[0, 1] == pytest.approx(0.7 + 0.3 * (1 - math.exp(-1)))


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("[rates]\nzz = 1\n", 2, "unknown node 'zz'"),
        ("[rates]\na = -1\n", 2, "finite and >= 0"),
        ("[rates]\na = { up = 1, sideways = 2 }\n", 2, "unknown key 'sideways'"),
        ("[initial]\nb = 3\n", 2, "from 0 to 1"),
        ("[simulation]\nmax_tim = 3\n", 2, "unknown setting 'max_tim'"),
        ("[simulation]\ndiscrete_time = 1\n", 2, "true or false"),
        ("[rate]\na = 1\n", 1, "unknown table [rate]"),
        ("[rates\n", 1, "TOML syntax error"),
    ],
)
def test_read_setup_errors(tmp_path, text, line, fragment):
    p = tmp_path / "bad.toml"
    p.write_text(text)
    with pytest.raises(DataFileError) as info:
        read_setup(p, CASCADE)
    assert f"bad.toml:{line}:" in str(info.value)
    assert fragment in str(info.value)


# -- the command line ----------------------------------------------------------------------------


def test_cli_simulate_json_and_errors(tmp_path):
    import json

    from click.testing import CliRunner

    from dormnet.cli import main

    model = tmp_path / "m.bnet"
    model.write_text("a, a\nb, a & !c\nc, b\n")
    rates = tmp_path / "r.toml"
    rates.write_text("[rates]\nb = { up = 2 }\n[simulation]\nmax_time = 4\n")
    out = tmp_path / "res.json"
    runner = CliRunner()
    r = runner.invoke(
        main,
        [
            "simulate",
            str(model),
            "-s",
            "a=1",
            "--rates",
            str(rates),
            "--initial",
            "b=0,c=0",
            "--time-step",
            "2",
            "--format",
            "json",
            "-o",
            str(out),
        ],
    )
    assert r.exit_code == 0, r.output
    data = json.loads(out.read_text())
    assert data["times"] == [0.0, 2.0] and data["method"] == "exact"
    assert set(data) >= {"times", "phenotypes", "nodes", "final", "stderr", "fixed_points"}
    # the same run from the library
    net = BooleanNetwork({"a": "a", "b": "a & !c", "c": "b"})
    res = simulate(
        net, {"a": 1}, rates={"b": (2.0, 1.0)}, initial={"b": 0, "c": 0}, max_time=4, time_step=2
    )
    assert data["final"]["nodes"]["b"] == pytest.approx(res.final["nodes"]["b"], abs=1e-6)
    bad = tmp_path / "bad.toml"
    bad.write_text("[rates]\nzz = 1\n")
    r = runner.invoke(
        main, ["simulate", str(model), "--rates", str(bad), "-o", str(tmp_path / "x.json")]
    )
    assert r.exit_code == 2 and "bad.toml:2:" in r.output and "Traceback" not in r.output
    assert not (tmp_path / "x.json").exists()
    r = runner.invoke(main, ["simulate", str(model), "--initial", "b=2"])
    assert r.exit_code == 2 and "error: initial state 'b=2'" in r.output


# -- stochastic screens --------------------------------------------------------------------------


def test_stochastic_screen_rows_equal_single_simulations():
    """Each row is the exact solution of its scenario (the toggle has 5 nodes), and the deltas are
    against the unperturbed row of the same context."""
    from pathlib import Path

    from dormnet.bundle import load_bundle
    from dormnet.screen import interventions
    from dormnet.stochastic_screen import stochastic_screen

    bundle = load_bundle(Path(__file__).parent / "data" / "toggle" / "toggle.bnet")
    items = interventions(bundle, sizes=(1,), kinds=("ko",))
    kw = {"trajectories": 3000, "max_time": 4.0, "time_step": 1.0, "seed": 5}
    rows = stochastic_screen(bundle, items, processes=1, **kw)
    ctxs = list(bundle.contexts)
    assert len(rows) == len(ctxs) * (len(items) + 1)
    labels = ["none"] + [it.label for it in items]
    for r, (ctx, label) in zip(rows, [(c, x) for c in ctxs for x in labels]):
        assert (r["context"], r["perturbation"]) == (ctx, label)
        clamps = dict(bundle.context(ctx).inputs)
        if label != "none":
            clamps.update(dict(next(it.clamps for it in items if it.label == label)))
        exact = simulate(
            bundle.network,
            clamps,
            phenotypes=bundle.phenotypes,
            method="exact",
            max_time=4.0,
            time_step=1.0,
        )
        for w, p in exact.final["phenotypes"].items():
            bound = z_bonferroni(len(rows) * 3) * math.sqrt(p * (1 - p) / 3000) + 1e-6
            assert abs(r[w] - p) <= bound, (ctx, label, w)
            base = next(x for x in rows if x["context"] == ctx and x["perturbation"] == "none")
            assert r[f"delta_{w}"] == pytest.approx(r[w] - base[w], abs=2e-6)


def test_report_section_shows_each_context():
    from pathlib import Path

    from dormnet.bundle import load_bundle
    from dormnet.report import ReportData, render_report, simulate_contexts

    bundle = load_bundle(Path(__file__).parent / "data" / "toggle" / "toggle.bnet")
    data = ReportData(bundle)
    data.simulation = simulate_contexts(bundle, list(bundle.contexts), processes=1)
    html = render_report(data)
    section = html[html.index('<section id="simulation">') :]
    section = section[: section.index("</section>")]
    for ctx, res in data.simulation:
        f = res.final["phenotypes"]
        cells = "".join(f"<td>{f[w]:.3f} ± 0.000</td>" for w in res.phenotypes)
        assert f"<tr><td>{ctx}</td>{cells}</tr>" in section
    assert "the exact solution" in section and "<img" in section


# -- the stationary distribution -----------------------------------------------------------------


@pytest.mark.parametrize("discrete", [False, True])
def test_stationary_is_the_long_time_average(discrete):
    """A bistable switch, an oscillator and a transient: the exact average over [300, 400)
    (after the transient has died out) equals the stationary distribution. In discrete time each
    transition takes one time step (MaBoSS), so the average is over the last 100 windows of 1."""
    from dormnet.simulate import stationary

    net = BooleanNetwork(
        {"s": "s", "a": "!b & s | a & !s", "b": "!a & s | b & !s", "o": "!o & s", "t": "t & !s"}
    )
    rates = {"o": (2.0, 0.5), "a": (1.0, 3.0)}
    kw = {"phenotypes": {"A": "a & !b"}, "rates": rates, "initial": {"s": 0.6, "t": 1}}
    st = stationary(net, discrete_time=discrete, **kw)
    assert st.method == "stationary" and st.to_json()["times"] == [None]
    step = 1 if discrete else 100
    long = simulate(net, method="exact", max_time=400, time_step=step, discrete_time=discrete, **kw)
    last = slice(300 // step, None)
    assert np.allclose(st.node_probabilities[0], long.node_probabilities[last].mean(0), atol=2e-3)
    assert np.allclose(
        st.phenotype_probabilities[0], long.phenotype_probabilities[last].mean(0), atol=2e-3
    )
    # the oscillator o is on 2 / (2 + 0.5) of the time in continuous time, every other step in
    # discrete time, and only where s = 1 (probability 0.6)
    assert st.final["nodes"]["o"] == pytest.approx(0.6 * (0.5 if discrete else 0.8))
    # with s = 0 the trajectories end in fixed points (o decays, a and b keep their values, t
    # keeps 1): probability 0.4 in all; with s = 1 in the two cycles of o
    assert sum(p for _, p in st.fixed_points) == pytest.approx(0.4)
    assert all(
        state["s"] == 0 and state["o"] == 0 and state["t"] == 1 for state, _ in st.fixed_points
    )


def test_stationary_of_a_cycle_matches_its_rates():
    # o = !o, up at rate 2, down at 0.5: it stays on 1/0.5 = 2 time units and off 1/2, so on
    # 2 / 2.5 = 0.8 of the time in continuous time; half of the steps in discrete time
    from dormnet.simulate import stationary

    net = BooleanNetwork({"o": "!o"})
    assert stationary(net, rates={"o": (2.0, 0.5)}).final["nodes"]["o"] == pytest.approx(0.8)
    disc = stationary(net, rates={"o": (2.0, 0.5)}, discrete_time=True)
    assert disc.final["nodes"]["o"] == pytest.approx(0.5)


def test_cli_stationary_is_valid_json(tmp_path):
    import json

    from click.testing import CliRunner

    from dormnet.cli import main

    toggle = Path(__file__).parent / "data" / "toggle" / "toggle.bnet"
    r = CliRunner().invoke(
        main, ["simulate", str(toggle), "-s", "neutral", "--stationary", "--format", "json"]
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.output, parse_constant=lambda c: pytest.fail(f"not JSON: {c}"))
    assert data["method"] == "stationary" and data["times"] == [None]
    # neutral toggle, u = v = 0: A and B keep their random initial values, except A = B = 1,
    # which moves to (1,0) or (0,1) at equal rates: (1,0) 3/8, (0,1) 3/8, (0,0) 1/4
    assert data["final"]["phenotypes"] == {
        "dormant": 0.375,
        "proliferative": 0.375,
        "undetermined": 0.25,
    }


def test_stochastic_screen_on_a_dask_local_cluster_gives_identical_rows():
    distributed = pytest.importorskip("dask.distributed")
    from dormnet.bundle import load_bundle
    from dormnet.screen import interventions
    from dormnet.stochastic_screen import stochastic_screen

    bundle = load_bundle(Path(__file__).parent / "data" / "toggle" / "toggle.bnet")
    items = interventions(bundle, sizes=(1, 2), kinds=("ko", "oe"))
    kw = {"trajectories": 200, "max_time": 3.0, "seed": 9}
    local = stochastic_screen(bundle, items, processes=1, **kw)
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        remote = stochastic_screen(bundle, items, scheduler=cluster.scheduler_address, **kw)
    assert len(local) > 16 and remote == local


def test_cli_screen_update_stochastic(tmp_path):
    import json

    from click.testing import CliRunner

    from dormnet.cli import main

    toggle = Path(__file__).parent / "data" / "toggle" / "toggle.bnet"
    out = tmp_path / "s.json"
    args = ["screen", str(toggle), "--kinds", "ko", "--update", "stochastic", "--context", "pushA"]
    args += ["--trajectories", "300", "--max-time", "3", "--processes", "1", "--format", "json"]
    r = CliRunner().invoke(main, [*args, "-o", str(out)])
    assert r.exit_code == 0, r.output
    rows = json.loads(out.read_text())["rows"]
    assert rows[0]["perturbation"] == "none"  # the baseline first, then every knockout
    assert {"A-KO", "B-KO", "R-KO"} <= {x["perturbation"] for x in rows}
    # pushA (u = 1) drives A on: knocking A out removes the proliferative phenotype
    a_ko = next(x for x in rows if x["perturbation"] == "A-KO")
    assert a_ko["proliferative"] == 0.0 and a_ko["delta_proliferative"] < -0.5
