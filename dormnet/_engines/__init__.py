"""Private backends: clingo ASP (fixed points, trap spaces), biodivine-aeon (symbolic
asynchronous attractors and counting), exhaustive search (synchronous attractors, test oracle)."""
