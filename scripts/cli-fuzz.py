#!/usr/bin/env python3
"""Black-box fuzzing of the hwsim command line, the way an outside tester would do it.

Mutates shipped configs, hardware files, SCALE-Sim CSVs, ONNX and .npy fixtures and flags, runs
each case through the built `hwsim` with a time limit, and records every case that ends with a
signal (a trap: exit status >= 128) or runs past the limit. Complements the coverage-guided
libFuzzer targets in Fuzz/ (docs/fuzzing.md): this one drives the whole process, flags included.

    scripts/cli-fuzz.py --binary .build/debug/hwsim --cases 2000 --out /tmp/cli-fuzz

Each finding is saved as a folder holding the command, the inputs and stderr; a summary groups
the findings by the first hwsim source line in the backtrace.
"""
import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter

EXTREMES = [0, -1, 1, 2, 3, 7, 2**31 - 1, 2**31, 2**32, 2**53 + 1, 2**62, 2**63 - 1, -2**63,
            1e20, 1e-300, 1e308, -1e308, 0.5, 1e-6, 99999999999, 4294967296, 65536, 1e6]
ODD = [None, True, "x", "", [], {}, "auto", "$p", [1, 2], "\u001b[31m", "a" * 3000]


def leaves(value, path=()):
    """Yields (path, value) for every leaf of a JSON value."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, path + (index,))
    yield path, value


def put(root, path, new):
    if not path:
        return new
    node = root
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = new
    return root


def mutate_json(text, rng):
    try:
        root = json.loads(text)
    except ValueError:
        return mutate_bytes(text.encode(), rng).decode("utf-8", "replace")
    for _ in range(rng.choice([1, 1, 2, 3])):
        spots = list(leaves(root))
        path, value = rng.choice(spots)
        roll = rng.random()
        if roll < 0.55 and isinstance(value, (int, float)) and not isinstance(value, bool):
            root = put(root, path, rng.choice(EXTREMES))
        elif roll < 0.7:
            root = put(root, path, rng.choice(EXTREMES + ODD))
        elif roll < 0.8 and path and isinstance(path[-1], str):
            parent = root
            for step in path[:-1]:
                parent = parent[step]
            parent.pop(path[-1], None)
        elif roll < 0.88 and isinstance(value, list) and value:
            value.extend(value * rng.choice([1, 3, 50]))
        elif roll < 0.94 and path and isinstance(path[-1], str):
            if path[-1] == "repeat" or rng.random() < 0.3:
                root = put(root, path, rng.choice([10**9, 10**5, 4096]))
        else:
            text = json.dumps(root)
            return mutate_text(text, rng)
    text = json.dumps(root, indent=1)
    if rng.random() < 0.1:
        text = mutate_text(text, rng)
    return text


def mutate_text(text, rng):
    roll = rng.random()
    if roll < 0.3:
        i = rng.randrange(len(text) + 1)
        return text[:i] + rng.choice([",", "}", "]", "\"", "1e400", "-", "\u0000", "{\"a\":1,\"a\":2}", ",]"]) + text[i:]
    if roll < 0.5:
        return text[: rng.randrange(len(text) + 1)]
    if roll < 0.7:
        return "[" * rng.choice([100, 1000, 100000]) + text
    nums = [m for m in re.finditer(r"\d+", text)]
    if nums:
        m = rng.choice(nums)
        return text[: m.start()] + str(rng.choice(EXTREMES)) + text[m.end():]
    return text


def mutate_bytes(data, rng):
    data = bytearray(data)
    for _ in range(rng.choice([1, 2, 4, 16])):
        roll = rng.random()
        if not data:
            break
        i = rng.randrange(len(data))
        if roll < 0.4:
            data[i] ^= 1 << rng.randrange(8)
        elif roll < 0.6:
            data[i] = rng.choice([0, 0xFF, 0x7F, 0x80, 0x01])
        elif roll < 0.75:
            del data[i:]
        elif roll < 0.9:
            j = min(len(data), i + 8)
            data[i:j] = bytes([rng.choice([0xFF, 0x00, 0x7F])]) * (j - i)
        else:
            data[i:i] = data[max(0, i - 64):i]
    return bytes(data)


def mutate_csv(text, rng):
    lines = text.splitlines()
    for _ in range(rng.choice([1, 2, 3])):
        if not lines:
            break
        i = rng.randrange(len(lines))
        cells = lines[i].split(",")
        j = rng.randrange(len(cells))
        cells[j] = str(rng.choice(EXTREMES + ["", "x", "-5", "1.5", "nan", "inf"]))
        if rng.random() < 0.1:
            cells.append("9")
        lines[i] = ",".join(cells)
    return "\n".join(lines) + "\n"


FLAG_VALUES = {
    "--batch": ["0", "-1", "2147483648", "99999999999", "1073741824", "9223372036854775807"],
    "--clock": ["0", "1e-6", "1e300", "nan", "-5", "inf", "0.0001"],
    "--bandwidth": ["0", "1e-300", "1e300", "nan", "-1"],
    "--array": ["4294967296x4294967296", "0x0", "1x1", "65536x65536", "x", "3x", "-1x4", "99999999999x2"],
    "--target-fps": ["0", "1e300", "nan", "1e-9", "-3"],
    "--max-latency-ms": ["0", "1e-300", "1e300", "nan"],
    "--weights": ["qn:" + ",".join(str(i) for i in range(-2000, 2000)), "uniform:64", "uniform:0", "pot:99", "vecq:-1", "post:3", "binary", "int:1000"],
    "--activations": ["uniform:0", "uniform:33", "binary", "fp32", "99"],
    "--input-bits": ["0", "65", "-1", "1000000"],
}


def build_case(rng, seeds, work):
    """Returns (argv, description) for one case, writing mutated inputs into `work`."""
    kind = rng.choice(["net", "net", "hw", "hw", "csv", "onnx", "npy", "flags", "table", "folding", "results"])
    net = rng.choice(seeds["net"])
    hw = rng.choice(seeds["hw"])
    args = []
    if kind == "net":
        path = os.path.join(work, "net.json")
        open(path, "w").write(mutate_json(open(net).read(), rng))
        cmd = rng.choice([["run", path, "--hw", hw], ["cost", path], ["convert", path], ["run", path, "--hw", hw, "--arch", "dataflow"]])
    elif kind == "hw":
        path = os.path.join(work, "hw.json")
        open(path, "w").write(mutate_json(open(hw).read(), rng))
        cmd = ["run", rng.choice(seeds["small"]), "--hw", path]
        if rng.random() < 0.3:
            cmd = ["compare", rng.choice(seeds["small"]), "--hw", path + "," + hw, "--weights", "uniform:4,binary"]
    elif kind == "csv":
        path = os.path.join(work, "topo.csv")
        open(path, "w").write(mutate_csv(open(rng.choice(seeds["csv"])).read(), rng))
        cmd = rng.choice([["run", path, "--hw", hw], ["run", path, "--hw", hw, "--arch", "systolic", "--array", "32x32"], ["cost", path]])
    elif kind == "onnx":
        path = os.path.join(work, "model.onnx")
        open(path, "wb").write(mutate_bytes(open(rng.choice(seeds["onnx"]), "rb").read(), rng))
        cmd = rng.choice([["cost", path], ["run", path, "--hw", hw], ["convert", path]])
    elif kind == "npy":
        path = os.path.join(work, "w.npy")
        open(path, "wb").write(mutate_bytes(open(rng.choice(seeds["npy"]), "rb").read(), rng))
        cmd = ["quantize", path] + rng.choice([["--all"], ["--scheme", "pot:4"], ["--scheme", "vecq:2", "--per-channel"], ["--scheme", "post:3"]])
    elif kind == "folding":
        name = rng.choice(seeds["folding"])
        path = os.path.join(work, "folding.json")
        open(path, "w").write(mutate_json(open(name).read(), rng))
        network = name.replace(".folding.json", ".json").replace("-u250", "").replace("-zcu104", "")
        if not os.path.exists(network):
            network = seeds["small"][1]
        cmd = ["run", network, "--arch", "dataflow", "--hw", rng.choice(seeds["hw"]), "--folding", path]
    elif kind == "results":
        path = os.path.join(work, "results.csv")
        open(path, "w").write(mutate_csv(open(seeds["results"]).read(), rng))
        cmd = rng.choice([["merge", path], ["compare", seeds["small"][0], "--weights", "binary,uniform:4", "--output", path, "--resume"]])
    elif kind == "table":
        cmd = ["table", "complexity", "--batch", rng.choice(FLAG_VALUES["--batch"])]
    else:
        cmd = rng.choice([["run", net, "--hw", hw], ["cost", net], ["compare", net, "--hw", hw], ["run", net, "--hw", hw, "--arch", "systolic"]])
        for flag in rng.sample(sorted(FLAG_VALUES), rng.choice([1, 1, 2])):
            if cmd[0] == "cost" and flag not in ("--weights", "--activations"):
                continue
            cmd += [flag, rng.choice(FLAG_VALUES[flag])]
    return cmd + args, kind


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=".build/debug/hwsim")
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--timeout", type=float, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default="/tmp/cli-fuzz")
    parser.add_argument("--kinds", default="", help="comma-separated subset of net,hw,csv,onnx,npy,flags,table")
    ns = parser.parse_args()
    rng = random.Random(ns.seed)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    def files(folder, ext):
        base = os.path.join(root, folder)
        return sorted(os.path.join(base, f) for f in os.listdir(base) if f.endswith(ext))
    seeds = {
        "net": files("configs", ".json") + files("configs/finn", "w1a1.json"),
        "small": [os.path.join(root, "configs/lenet5.json"), os.path.join(root, "configs/finn/tfc-w1a1.json")],
        "hw": files("configs/hw", ".json"),
        "csv": files("configs/scalesim", ".csv"),
        "onnx": [p for p in files("Tests/ModelImportTests/Fixtures/onnx", ".onnx") if os.path.getsize(p) < 2_000_000],
        "npy": files("Tests/QuantizersTests/Fixtures", ".npy"),
        "folding": files("configs/finn", ".folding.json"),
        "results": os.path.join(ns.out, "seed-results.csv"),
    }
    os.makedirs(ns.out, exist_ok=True)
    if not os.path.exists(seeds["results"]):
        subprocess.run([ns.binary, "compare", seeds["small"][0], "--weights", "binary,uniform:4", "--activations", "2,8",
                        "--output", seeds["results"]], capture_output=True, cwd=root)
    os.makedirs(ns.out, exist_ok=True)
    findings = Counter()
    statuses = Counter()
    wanted = set(filter(None, ns.kinds.split(",")))
    done = 0
    while done < ns.cases:
        work = tempfile.mkdtemp(prefix="case-", dir=ns.out)
        cmd, kind = build_case(rng, seeds, work)
        if wanted and kind not in wanted:
            shutil.rmtree(work)
            continue
        done += 1
        try:
            proc = subprocess.run([ns.binary] + cmd, capture_output=True, timeout=ns.timeout, cwd=root)
            status = proc.returncode
            err = proc.stderr.decode("utf-8", "replace")
        except subprocess.TimeoutExpired:
            status, err = "timeout", ""
        statuses[status if status in (0, 1, 2, 64, "timeout") else ("signal" if (isinstance(status, int) and (status < 0 or status >= 128)) else "other")] += 1
        bad = status == "timeout" or (isinstance(status, int) and (status < 0 or status >= 128))
        # Exit 64 is the argument parser's usage error, which prints its usage lines by design.
        long_line = isinstance(status, int) and 0 < status < 128 and status != 64 and (len(err) > 2000 or err.count("\n") > 3)
        if bad or long_line:
            frame = "timeout" if status == "timeout" else "long-error" if long_line else "?"
            match = re.search(r"(Sources/[\w/+.-]+\.swift:\d+)", err)
            if match:
                frame = match.group(1)
            elif bad and status != "timeout":
                first = err.strip().splitlines()[:1]
                frame = f"signal {status}: {first[0][:100] if first else ''}"
            findings[(kind, frame)] += 1
            open(os.path.join(work, "command"), "w").write(" ".join(cmd) + "\n")
            open(os.path.join(work, "stderr"), "w").write(err[:20000])
        else:
            shutil.rmtree(work)
    print("statuses:", dict(statuses))
    for (kind, frame), count in sorted(findings.items(), key=lambda item: -item[1]):
        print(f"{count:5d}  {kind:6s} {frame}")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
