#!/usr/bin/env python3
"""Makes a small ONNX seed from a model with weights: every graph initializer whose payload is
larger than --keep bytes loses it and is marked data_location=EXTERNAL (the form of the
*.noweights.onnx files, which hwsim imports from dims alone). Small tensors (QONNX scales,
zero-points, bitwidths, Reshape targets, biases under the limit) stay inline.

Works on the protobuf wire format directly (no onnx package needed):
  ModelProto.graph = 7; GraphProto.initializer = 5, GraphProto.node = 1 (subgraphs untouched);
  TensorProto payload fields float_data 4, int32_data 5, int64_data 7, raw_data 9,
  double_data 10, uint64_data 11; external_data 13; data_location 14 (EXTERNAL = 1).

usage: strip-onnx-weights.py IN.onnx OUT.onnx [--keep BYTES]
"""
import sys

def varint(data, i):
    shift = result = 0
    while True:
        b = data[i]; i += 1
        result |= (b & 0x7F) << shift
        if b < 0x80: return result, i
        shift += 7

def enc_varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F; n >>= 7
        if n: out.append(b | 0x80)
        else: out.append(b); return bytes(out)

def fields(data):
    i = 0
    while i < len(data):
        start = i
        key, i = varint(data, i)
        num, wire = key >> 3, key & 7
        if wire == 0: _, i = varint(data, i); value = None
        elif wire == 1: i += 8; value = None
        elif wire == 5: i += 4; value = None
        elif wire == 2:
            n, i = varint(data, i); value = data[i:i + n]; i += n
        else: raise ValueError(f"unsupported wire type {wire}")
        yield num, wire, value, data[start:i]

def field(num, payload):
    return enc_varint(num << 3 | 2) + enc_varint(len(payload)) + payload

PAYLOAD = {4, 5, 7, 9, 10, 11}

def strip_tensor(tensor, keep):
    size = sum(len(v) for n, w, v, _ in fields(tensor) if n in PAYLOAD and w == 2)
    if size <= keep: return tensor
    out = bytearray()
    for n, w, v, raw in fields(tensor):
        if n in PAYLOAD or n in (13, 14): continue
        out += raw
    entry = field(1, b"location") + field(2, b"stripped.bin")
    out += field(13, entry) + enc_varint(14 << 3 | 0) + enc_varint(1)
    return bytes(out)

def rewrite(data, num_wanted, fn):
    out = bytearray()
    for n, w, v, raw in fields(data):
        out += field(n, fn(v)) if (n == num_wanted and w == 2) else raw
    return bytes(out)

def main():
    args = sys.argv[1:]
    keep = 256
    if "--keep" in args:
        k = args.index("--keep"); keep = int(args[k + 1]); del args[k:k + 2]
    src, dst = args
    model = open(src, "rb").read()
    stripped = rewrite(model, 7, lambda graph: rewrite(graph, 5, lambda t: strip_tensor(t, keep)))
    open(dst, "wb").write(stripped)
    print(f"{src}: {len(model)} -> {len(stripped)} bytes")

main()
