"""``python -m bench.scan``: how fast ``rtmcompat scan`` reads a large generated tree (files/s, MB/s).

The tree is generated from a seed into a temporary directory (or ``--keep DIR``): thousands of C, C++ and header
files in nested directories, written the way Windows routing code is (``WINAPI``, SAL annotations, ``IN``/``OUT``,
``#ifdef`` blocks, comments, log strings), with RTMv1 calls, rtm.h constants and types, user macros wrapping v1
calls, wrapper functions, some RTMv2 calls, and now and then a file that does not compile (a missing semicolon,
an ``#ifdef`` that splits braces, an MFC message map). Then one ``Scanner`` run over it is timed, from walking
the tree to the finished report (JSON rendering included), in this process, with the cyclic garbage collector
paused as the command pauses it (``collector_paused``).

Numbers only: nothing is asserted. The report gives files, bytes, findings, the time, files per second and MB per
second, the share of files parsed completely, and the peak resident memory of the process.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from rtmcompat.scan import Scanner, collector_paused, report_json

_V1_CALLS = (
    "RtmAddRoute(hRtm, &route, {ttl}, &dwFlags, &cur, &prev)",
    "RtmDeleteRoute(hRtm, &route, &dwFlags, &cur)",
    "RtmIsRoute(RTM_PROTOCOL_FAMILY_IP, &route.RR_Network, &cur)",
    "RtmGetNetworkCount(RTM_PROTOCOL_FAMILY_IP)",
    "RtmCreateEnumerationHandle(RTM_PROTOCOL_FAMILY_IP, RTM_ONLY_THIS_NETWORK | RTM_ONLY_BEST_ROUTES, &route)",
    "RtmGetFirstRoute(RTM_PROTOCOL_FAMILY_IP, 0x{flags:x}, &route)",
    "RtmBlockDeleteRoutes(hRtm, RTM_ONLY_THIS_INTERFACE, &route)",
    "RtmDequeueRouteChangeMessage(hRtm, &dwFlags, &cur, &prev)",
)
_V2_CALLS = (
    "RtmAddRouteToDest(hEntity, &hRoute, &dest, &info, {ttl}000, NULL, 0, NULL, &change)",
    "RtmGetExactMatchDestination(hEntity, &dest, RTM_THIS_PROTOCOL, RTM_VIEW_MASK_UCAST, &destInfo)",
    "RtmReleaseDestInfo(hEntity, &destInfo)",
)
_PLAIN_CALLS = (
    "ZeroMemory(&route, sizeof(route))",
    'TraceEvent(TRACE_ROUTE, "route %lu via %lu", route.RR_Network.N_NetNumber, dwIf)',
    "dwErr = ProcessPacket(pPacket, cbPacket, dwIf)",
    "memcpy(pBuffer + offset, &header, sizeof(header))",
    "EnterCriticalSection(&g_lock)",
    "LeaveCriticalSection(&g_lock)",
    "UpdateStatistics(&g_stats, dwIf, cbPacket)",
)


def _function(rng: random.Random, name: str, v1_density: float, broken: bool) -> str:
    lines = [
        f"/*\n * {name}: handles one batch (see RtmAddRoute in the v1 documentation).\n */",
        "DWORD",
        "WINAPI",
        f"{name}(",
        "    IN HANDLE hRtm,",
        "    _In_reads_(cbPacket) PBYTE pPacket,",
        "    IN DWORD cbPacket,",
        "    _Out_opt_ PDWORD pdwCount",
        "    )",
        "{",
        "    DWORD dwErr = NO_ERROR, dwFlags = 0, dwIf = 0, offset = 0;",
        "    RTM_IP_ROUTE route, cur, prev;",
    ]
    for _ in range(rng.randint(8, 30)):
        roll = rng.random()
        if roll < v1_density:
            call = rng.choice(_V1_CALLS).format(ttl=rng.choice((60, 180, 300)), flags=rng.randint(0, 15))
        elif roll < v1_density + 0.03:
            call = rng.choice(_V2_CALLS).format(ttl=rng.randint(1, 300))
        elif roll < v1_density + 0.08:
            call = f"ADD_ROUTE_{rng.randint(0, 4)}(&route)"
        else:
            call = rng.choice(_PLAIN_CALLS)
        lines.append(f"    {call};" + (" // keep in step with RtmDeleteRoute" if rng.random() < 0.05 else ""))
        if rng.random() < 0.15:
            lines += [
                "    if (dwErr != NO_ERROR && dwErr != ERROR_NO_MORE_ROUTES) {",
                '        Log("RtmEnumerateGetNextRoute failed: %lu", dwErr);',
                "        goto done;",
                "    }",
            ]
    if broken:
        lines += [
            "#ifdef RIP_DEBUG",
            "    if (g_debug) {",
            "#else",
            "    if (g_verbose) {",
            "#endif",
            "        DumpRoute(&route)",
            "    }",
        ]
    lines += ["done:", "    if (pdwCount) *pdwCount = offset;", "    return dwErr;", "}", ""]
    return "\n".join(lines)


def _source(rng: random.Random, index: int, target: int) -> str:
    parts = [
        f"/* generated file {index}: a routing protocol module (RtmRegisterClient in comments does not count) */",
        "#include <windows.h>",
        "#include <rtm.h>" if rng.random() < 0.7 else "#include <rtmv2.h>",
        f'#include "module{index % 97}.h"',
        "",
        f"#define ADD_ROUTE_{index % 5}(r) RtmAddRoute(g_hRtm, (r), 180, &g_flags, NULL, NULL)",
        "",
        "static HANDLE g_hRtm;",
        "static DWORD g_flags;",
        "",
    ]
    if rng.random() < 0.05:
        parts += [
            "BEGIN_MESSAGE_MAP(CRouteView, CView)",
            "    ON_COMMAND(ID_REFRESH, OnRefresh)",
            "END_MESSAGE_MAP()",
            "",
        ]
    size = sum(len(part) + 1 for part in parts)
    number = 0
    while size < target:
        text = _function(rng, f"Module{index}Handler{number}", 0.06, broken=rng.random() < 0.03)
        parts.append(text)
        size += len(text) + 1
        number += 1
    parts.append(f"DWORD APIENTRY Module{index}Start(VOID) {{ return Module{index}Handler0(g_hRtm, NULL, 0, NULL); }}")
    return "\n".join(parts) + "\n"


def _header(rng: random.Random, index: int) -> str:
    lines = [f"#ifndef MODULE{index}_H", f"#define MODULE{index}_H", "#include <rtm.h>", ""]
    for number in range(rng.randint(5, 40)):
        lines.append(f"#define MODULE{index}_VALUE_{number} ({number} * 4)")
    lines += [
        f"#define MODULE{index}_FLAGS (RTM_ONLY_THIS_PROTOCOL | RTM_ONLY_BEST_ROUTES)",
        f"DWORD WINAPI Module{index}Handler0(IN HANDLE hRtm, _In_ PBYTE p, IN DWORD n, _Out_opt_ PDWORD c);",
        "typedef struct _MODULE_STATE {",
        "    RTM_IP_ROUTE Last;",
        "    DWORD Count;",
        "} MODULE_STATE, *PMODULE_STATE;",
        "#endif",
        "",
    ]
    return "\n".join(lines)


def generate(root: Path, files: int, megabytes: float, seed: int) -> tuple[int, int]:
    """Write the tree; return (files, bytes)."""
    rng = random.Random(seed)
    headers = max(1, files // 4)
    sources = files - headers
    per_file = int(megabytes * 1024 * 1024 / max(1, sources))
    total = 0
    for index in range(files):
        folder = root / f"component{index % 23}" / f"part{index % 7}"
        folder.mkdir(parents=True, exist_ok=True)
        if index < headers:
            path, text = folder / f"module{index}.h", _header(rng, index)
        else:
            suffix = ".cpp" if rng.random() < 0.15 else ".c"
            path = folder / f"module{index}{suffix}"
            text = _source(rng, index, int(per_file * rng.uniform(0.5, 1.5)))
        data = text.encode()
        path.write_bytes(data)
        total += len(data)
    return files, total


def main(argv: list[str] | None = None) -> int:
    """Generate, scan, report."""
    parser = argparse.ArgumentParser(prog="python -m bench.scan", description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=3000, help="number of files (default 3000)")
    parser.add_argument("--mb", type=float, default=30.0, help="approximate size of the tree in MB (default 30)")
    parser.add_argument("--seed", type=int, default=8, help="seed of the generator (default 8)")
    parser.add_argument("--keep", metavar="DIR", help="generate into DIR and keep it (default: a temporary folder)")
    parser.add_argument("--json", metavar="PATH", help="also write the numbers as JSON")
    args = parser.parse_args(argv)

    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="rtmcompat-scan-bench-"))
    try:
        started = time.perf_counter()
        files, size = generate(root, args.files, args.mb, args.seed)
        generated = time.perf_counter() - started
        print(f"generated {files} files, {size / 1e6:.1f} MB in {generated:.1f} s under {root}", file=sys.stderr)

        started = time.perf_counter()
        with collector_paused():  # as the command runs it
            scanner = Scanner()
            report = scanner.run(scanner.collect([str(root)]))
            document = json.dumps(report_json(report))
        elapsed = time.perf_counter() - started
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)

    summary = report.summary
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    numbers = {
        "files": summary["files"]["scanned"],
        "bytes": size,
        "findings": summary["findings"],
        "by_level": summary["by_level"],
        "parsed_completely": summary["files"]["parsed_completely"],
        "seconds": round(elapsed, 3),
        "files_per_second": round(summary["files"]["scanned"] / elapsed, 1),
        "mb_per_second": round(size / 1e6 / elapsed, 2),
        "json_report_mb": round(len(document) / 1e6, 1),
        "peak_rss_mib": round(peak_mib, 1),
        "seed": args.seed,
    }
    print(f"scan of a generated tree (seed {args.seed})")
    print(f"  files              {numbers['files']}")
    print(f"  size               {size / 1e6:.1f} MB")
    print(f"  findings           {numbers['findings']} {numbers['by_level']}")
    print(f"  parsed completely  {numbers['parsed_completely']} of {numbers['files']}")
    print(f"  time               {elapsed:.2f} s")
    print(f"  files per second   {numbers['files_per_second']}")
    print(f"  MB per second      {numbers['mb_per_second']}")
    print(f"  JSON report        {numbers['json_report_mb']} MB")
    print(f"  peak memory        {numbers['peak_rss_mib']} MiB (resident, whole process)")
    if args.json:
        Path(args.json).write_text(json.dumps(numbers, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
