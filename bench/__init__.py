"""Benchmarks of the v2model RTMv2 model on real Internet routing tables, each next to a dict-based baseline.

Run ``python -m bench`` (or ``make bench``). The benchmarks report numbers and never decide pass or fail;
see ``bench/README.md`` for what each number means.
"""
