"""Fuzz target for dormnet's model readers (BNET, BoolNet, SBML-qual).

The property: any input either parses into a network, or raises dormnet's own
:class:`~dormnet.errors.ModelError` — never another exception, never a hang.

With atheris installed (``pip install atheris``; coverage-guided, libFuzzer) it runs as a
libFuzzer target; without it, a mutation fuzzer seeded with the corpus models runs instead.

Usage::

    python fuzz/fuzz_readers.py --runs 100000            # mutation fuzzer, prints the count
    python fuzz/fuzz_readers.py --atheris -atheris_runs=100000   # coverage-guided
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__":  # run as a script from a checkout (imported, it uses what is installed)
    sys.path.insert(0, str(ROOT))
#: seed models: the full bench corpus where present, else the corpus vendored for the tests
CORPUS = next(
    p
    for p in (
        Path(os.environ.get("DORMNET_CORPUS") or ROOT.parent / "shared" / "bench"),
        ROOT / "tests" / "corpus",
    )
    if (p / "models").is_dir()
)

from dormnet.errors import ModelError
from dormnet.io.bnet import parse_bnet
from dormnet.io.boolnet import parse_boolnet
from dormnet.io.sbml import parse_sbml

READERS = {"bnet": parse_bnet, "boolnet": parse_boolnet, "sbml": parse_sbml}
#: one input may take at most this long (a hang is a failure)
PER_INPUT_SECONDS = 10


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang()


def check(reader: str, data: bytes) -> None:
    """Run one reader on one input; raise AssertionError on a property violation."""
    fn = READERS[reader]
    arg = data if reader == "sbml" else data.decode("utf-8", "replace")
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(PER_INPUT_SECONDS)
    try:
        fn(arg, "fuzz-input")
    except ModelError as e:
        if not e.problems or not all(str(p).startswith("fuzz-input") for p in e.problems):
            raise AssertionError(f"{reader}: error without location: {e!r}") from None
    except Hang:
        raise AssertionError(f"{reader}: input took more than {PER_INPUT_SECONDS} s") from None
    except RecursionError as e:
        raise AssertionError(f"{reader}: RecursionError") from e
    except Exception as e:
        raise AssertionError(f"{reader}: {type(e).__name__}: {e}") from e
    finally:
        signal.alarm(0)


def seeds() -> dict[str, list[bytes]]:
    out: dict[str, list[bytes]] = {
        "bnet": [b"a, !b\nb, a\n"],
        "boolnet": [b"targets, factors\na, !b\nb, a\n"],
        "sbml": [],
    }
    models = sorted((CORPUS / "models").glob("*.bnet"))
    for p in models[:30]:
        data = p.read_bytes()[:20_000]
        out["bnet"].append(data)
        out["boolnet"].append(data)
    for p in sorted((CORPUS / "sbml").glob("*.sbml"))[:4]:
        out["sbml"].append(p.read_bytes()[:200_000])
    if not out["sbml"]:
        out["sbml"].append(b"<?xml version='1.0'?><sbml/>")
    return out


TOKENS = [
    b"!",
    b"&",
    b"|",
    b"(",
    b")",
    b",",
    b"\n",
    b"#",
    b"0",
    b"1",
    b"true",
    b"<",
    b">",
    b"<!DOCTYPE x [<!ENTITY a 'aaaa'>]>",
    b"&a;",
    b"\x00",
    b"\xff",
    b"targets, factors",
    b"<qual:transition>",
    b"</math>",
    b'maxLevel="2"',
]


def mutate(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        op = rng.random()
        pos = rng.randrange(len(b) + 1)
        if op < 0.3 and b:
            del b[pos : pos + rng.randint(1, 16)]
        elif op < 0.6:
            b[pos:pos] = rng.choice(TOKENS)
        elif op < 0.8 and b:
            i = rng.randrange(len(b))
            b[i] = rng.randrange(256)
        else:
            a, c = sorted(rng.randrange(len(b) + 1) for _ in range(2))
            b[pos:pos] = b[a:c]
    return bytes(b)


def run_mutation(runs: int, seed: int) -> int:
    rng = random.Random(seed)
    pool = seeds()
    tried = 0
    t0 = time.time()
    for i in range(runs):
        reader = ("bnet", "boolnet", "sbml")[i % 3]
        data = mutate(rng.choice(pool[reader]), rng)
        check(reader, data)
        tried += 1
    print(
        f"{tried} inputs tried ({tried // 3} per reader) in {time.time() - t0:.0f} s: no violation"
    )
    return tried


def atheris_main(argv: list[str]) -> None:
    import atheris

    def one(data: bytes) -> None:
        if not data:
            return
        reader = ("bnet", "boolnet", "sbml")[data[0] % 3]
        check(reader, data[1:])

    atheris.Setup(argv, one)
    atheris.Fuzz()


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=30_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--atheris", action="store_true")
    args, rest = ap.parse_known_args()
    if args.atheris:
        atheris_main([sys.argv[0], *rest])
    else:
        run_mutation(args.runs, args.seed)
