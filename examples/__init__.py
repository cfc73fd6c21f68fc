"""Example RTMv1 workloads: small programs written against the v1 API, each recorded as a committed trace.

Run one to (re)write its trace: ``python -m examples.rip``; compare them all: ``rtmcompat compare examples/*.jsonl``.
"""
