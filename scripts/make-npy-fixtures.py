#!/usr/bin/env python3
"""Writes the .npy fixtures for Tests/QuantizersTests (well-formed files by numpy itself, malformed
ones by editing numpy's output). Re-run from the repository root:
    python3 scripts/make-npy-fixtures.py
"""
import io
import os

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "QuantizersTests", "Fixtures")
os.makedirs(OUT, exist_ok=True)


def save(name, array, **kwargs):
    np.save(os.path.join(OUT, name), array, **kwargs)


def raw(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def npy_bytes(array, version=None):
    buffer = io.BytesIO()
    if version is None:
        np.save(buffer, array)
    else:
        np.lib.format.write_array(buffer, array, version=version)
    return buffer.getvalue()


# Well-formed: values chosen so the test can recompute them (0.25·i − 1 is exact in float32).
save("f32_2x3.npy", (np.arange(6, dtype=np.float32) * 0.25 - 1).reshape(2, 3))
save("f64_2x2x2.npy", (np.arange(8, dtype=np.float64) / 8 - 0.5).reshape(2, 2, 2))
save("f32_scalar.npy", np.array(1.5, dtype=np.float32))
save("f32_empty.npy", np.zeros((0, 4), dtype=np.float32))
raw("f32_v2.npy", npy_bytes(np.array([1, -2, 3], dtype=np.float32), version=(2, 0)))
save("f32_nan.npy", np.array([1.0, np.nan, -1.0], dtype=np.float32))

# Malformed or unsupported.
save("int32.npy", np.arange(4, dtype=np.int32))
save("f16.npy", np.arange(4, dtype=np.float16))
save("f32_big_endian.npy", np.arange(4, dtype=">f4"))
save("f32_fortran.npy", np.asfortranarray(np.arange(6, dtype=np.float32).reshape(2, 3)))
good = npy_bytes(np.arange(10, dtype=np.float32))
raw("f32_truncated_data.npy", good[:-6])
raw("f32_truncated_header.npy", good[:20])
raw("f32_trailing.npy", good + b"\x00\x00\x00\x00")
raw("not_npy.npy", b"PK\x03\x04 this is a zip file, not npy")
