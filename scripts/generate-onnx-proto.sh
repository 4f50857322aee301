#!/usr/bin/env bash
# Regenerates Sources/ModelImport/Generated/onnx.pb.swift from ONNX's own onnx.proto.
#
# Developer tool only. The generated file is committed; CI and `swift build` never run this.
#
# Inputs, pinned so that a rerun produces the same file:
#   * onnx.proto from the `onnx` PyPI wheel, version $ONNX_VERSION (default 1.23.2). The wheel
#     ships onnx/onnx.proto and onnx/onnx-ml.proto (both proto2); since ONNX merged its ML types
#     into the main IR they differ only in one comment, so we take onnx.proto. No proto3 variant
#     ships any more. proto2 keeps field presence (has_raw_data, has_data_location, ...).
#   * protoc from Debian's `protobuf-compiler` package (any protoc >= 3.x reads proto2).
#   * protoc-gen-swift built from apple/swift-protobuf $SWIFT_PROTOBUF_VERSION (default 1.39.0),
#     the same version Package.swift resolves, so generated code and runtime match.
#
# Overrides (environment):
#   ONNX_VERSION, ONNX_PROTO_SHA256   pin another onnx release (set the new proto's sha256)
#   SWIFT_PROTOBUF_REPO               git URL or path of swift-protobuf
#                                     (default: local mirror if present, else GitHub)
#   SWIFT_PROTOBUF_VERSION            tag to build protoc-gen-swift from
#   PROTOC_GEN_SWIFT                  an already-built protoc-gen-swift (skips the build)
#   PYTHON                            python interpreter with pip (default python3)
set -euo pipefail

ONNX_VERSION="${ONNX_VERSION:-1.23.2}"
# sha256 of onnx/onnx.proto inside onnx-1.23.2 wheels; guards against a silently different input.
ONNX_PROTO_SHA256="${ONNX_PROTO_SHA256:-547214dd049486a4d5ecbae593e9c72d90b5e8d603944b722eff469e0b5a9cc9}"
SWIFT_PROTOBUF_VERSION="${SWIFT_PROTOBUF_VERSION:-1.39.0}"
if [[ -z "${SWIFT_PROTOBUF_REPO:-}" ]]; then
    if [[ -d /opt/swift-packages/apple/swift-protobuf.git ]]; then
        SWIFT_PROTOBUF_REPO=/opt/swift-packages/apple/swift-protobuf.git
    else
        SWIFT_PROTOBUF_REPO=https://github.com/apple/swift-protobuf.git
    fi
fi
PYTHON="${PYTHON:-python3}"

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT_DIR="$ROOT/Sources/ModelImport/Generated"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

log() { printf '[generate-onnx-proto] %s\n' "$*" >&2; }

# 1. protoc
if ! command -v protoc >/dev/null 2>&1; then
    log "protoc not found; installing Debian's protobuf-compiler"
    SUDO=""
    if [[ "$(id -u)" -ne 0 ]]; then SUDO="sudo"; fi
    $SUDO apt-get update
    $SUDO apt-get install -y protobuf-compiler
fi
log "using $(protoc --version)"

# 2. onnx.proto from the onnx wheel (any platform's wheel carries the same .proto files)
log "downloading onnx==$ONNX_VERSION wheel"
"$PYTHON" -m pip download --quiet --no-deps --only-binary=:all: \
    "onnx==$ONNX_VERSION" -d "$WORK/wheel"
WHEEL="$(ls "$WORK"/wheel/onnx-"$ONNX_VERSION"-*.whl | head -n 1)"
mkdir -p "$WORK/proto"
"$PYTHON" - "$WHEEL" "$WORK/proto/onnx.proto" <<'PY'
import sys, zipfile
wheel, dest = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z, open(dest, "wb") as f:
    f.write(z.read("onnx/onnx.proto"))
PY
ACTUAL_SHA="$(sha256sum "$WORK/proto/onnx.proto" | cut -d' ' -f1)"
if [[ "$ACTUAL_SHA" != "$ONNX_PROTO_SHA256" ]]; then
    log "onnx.proto sha256 is $ACTUAL_SHA, expected $ONNX_PROTO_SHA256"
    log "(set ONNX_PROTO_SHA256 when deliberately moving to another onnx release)"
    exit 1
fi
log "onnx.proto from $(basename "$WHEEL") (sha256 $ACTUAL_SHA)"

# 3. protoc-gen-swift, built from the same swift-protobuf release the package depends on
if [[ -z "${PROTOC_GEN_SWIFT:-}" ]]; then
    log "building protoc-gen-swift $SWIFT_PROTOBUF_VERSION from $SWIFT_PROTOBUF_REPO (a few minutes)"
    git clone --quiet "$SWIFT_PROTOBUF_REPO" "$WORK/swift-protobuf"
    git -C "$WORK/swift-protobuf" -c advice.detachedHead=false checkout --quiet "$SWIFT_PROTOBUF_VERSION"
    (cd "$WORK/swift-protobuf" && swift build -c release --product protoc-gen-swift >&2)
    PROTOC_GEN_SWIFT="$WORK/swift-protobuf/.build/release/protoc-gen-swift"
fi
log "using protoc-gen-swift $("$PROTOC_GEN_SWIFT" --version 2>/dev/null || echo '(unknown version)')"

# 4. generate. Internal visibility: the generated types are an implementation detail of
#    ModelImport; its public API is hand-written on top of them.
mkdir -p "$OUT_DIR"
protoc \
    --plugin=protoc-gen-swift="$PROTOC_GEN_SWIFT" \
    --proto_path="$WORK/proto" \
    --swift_out="$OUT_DIR" \
    --swift_opt=Visibility=Internal \
    --swift_opt=FileNaming=DropPath \
    onnx.proto
log "wrote $OUT_DIR/onnx.pb.swift (onnx $ONNX_VERSION, swift-protobuf $SWIFT_PROTOBUF_VERSION)"
