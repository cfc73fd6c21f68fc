"""The README's example runs as written and does what its comments say."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import rtmcompat

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_example_runs() -> None:
    """The quick example registers two v1 clients, adds a route (ADDED), tells OSPF, and deregisters RIP."""
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    assert 1 == len(blocks)
    namespace: dict[str, Any] = {}
    exec(compile(blocks[0], "README.md", "exec"), namespace)
    assert rtmcompat.RTM_ROUTE_ADDED == namespace["flags"]
    status, flags, _cur, prev = namespace["shim"].RtmDequeueRouteChangeMessage(namespace["ospf"])
    assert (rtmcompat.NO_ERROR, rtmcompat.RTM_ROUTE_DELETED) == (status, flags)
    assert rtmcompat.ip_network("10.1.0.0/16") == prev.RR_Network
