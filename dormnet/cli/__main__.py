"""``python -m dormnet.cli``: the same as the ``dormnet`` command."""

from . import run

run()
