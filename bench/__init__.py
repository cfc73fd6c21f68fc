"""Benchmarks of the v2model RTMv2 model and the V1Shim on Internet routing tables, each next to a lean baseline.

Run ``python -m bench.report`` (``make bench``) for the numbers of issue 10 in one run; ``python -m bench``,
``python -m bench.shim`` and ``python -m bench.scan`` go into detail. The benchmarks report numbers and never
decide pass or fail; see ``bench/README.md`` for what each number means.
"""
