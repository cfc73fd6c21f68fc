"""The stress scenario: v1 clients and native RTMv2 entities on many threads at once, with the system clock, checked
at quiescent points (M-STRESS; run briefly by ``test_stress.py`` in CI and for minutes by ``make soak``)."""
