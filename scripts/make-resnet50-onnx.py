#!/usr/bin/env python3
"""Build the ResNet-50 ONNX test fixture (shapes only, no weight payloads).

What
    Writes Tests/ModelImportTests/Fixtures/onnx/resnet50_fp32.noweights.onnx: torchvision's
    ResNet-50 v1.5 (stride in the 3x3 convolution of each downsampling bottleneck), ImageNet
    224x224x3 input, batch 1, as the graph of a plain `torch.onnx.export(..., opset_version=13)`
    looks after batch-norm folding:

        Conv(7x7, s2, p3, bias) -> Relu -> MaxPool(3, s2, p1)
        -> 16 bottlenecks [3, 4, 6, 3] of Conv(1x1)+Relu, Conv(3x3, stride)+Relu, Conv(1x1),
           Add(identity or downsample.0 Conv(1x1, stride)), Relu
        -> GlobalAveragePool -> Flatten(axis 1) -> Gemm(transB=1) -> output [1, 1000]

    Nodes and activations are named the way the exporter names them (`/layer1/layer1.0/conv1/Conv`,
    `/layer1/layer1.0/conv1/Conv_output_0`, `/layer1/layer1.0/relu_2/Relu` for the third call of
    the block's shared ReLU module, ...). Initializers carry torchvision parameter names
    (`conv1.weight`, `layer1.0.conv1.weight`, `layer1.0.downsample.0.weight`, `fc.weight`) plus a
    `.bias` for every convolution, the folded batch norm. One deliberate difference from a real
    export: torch names folded tensors `onnx::Conv_<n>` and deduplicates equal-valued biases
    through Identity nodes (see resnet18_fp32.noweights.onnx); with no values there is nothing to
    deduplicate, and readable names make test failures easier to read.

    Every initializer (weights and biases) is a FLOAT TensorProto with dims, data_type,
    data_location = EXTERNAL and external_data {location, offset, length} into
    `resnet50_fp32.weights.bin`, laid out back to back in graph order. That file does not exist
    and is not shipped: the fixture has shapes, no numbers (the same convention as
    resnet18_fp32.noweights.onnx, which keeps only its tiny biases inline).

Why
    The project's shared model set has no ResNet-50 ONNX file and torch cannot be installed
    here; hwsim's import speed benchmark (issue 6) and the ResNet-50 import test need one. The
    graph is built with onnx.helper, so this script needs only the `onnx` package.

How to run
    python3 scripts/make-resnet50-onnx.py [output.onnx]

    The output defaults to the fixture path above (relative to the repository root). The script
    runs onnx.shape_inference.infer_shapes in strict mode (so value_info holds every intermediate
    activation shape) and onnx.checker.check_model (without full_check; the checker wants the
    external file to exist, so it checks a temporary copy beside a sparse all-zero stand-in).
    It is deterministic: the same onnx version writes the same bytes on every run. Tested with
    onnx 1.23.2.
"""
import math
import os
import sys
import tempfile

import onnx
from onnx import TensorProto, helper

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUTPUT = os.path.join(REPO, "Tests", "ModelImportTests", "Fixtures", "onnx", "resnet50_fp32.noweights.onnx")
WEIGHTS_FILE = "resnet50_fp32.weights.bin"  # named, never written

# torchvision resnet50: Bottleneck blocks per stage, and each stage's bottleneck width.
STAGES = [(3, 64), (4, 128), (6, 256), (3, 512)]
EXPANSION = 4
NUM_CLASSES = 1000


class GraphBuilder:
    def __init__(self):
        self.nodes = []
        self.initializers = []
        self.offset = 0  # running byte offset into the (absent) external weights file

    def initializer(self, name, dims):
        """A FLOAT initializer whose payload lives in the external file (not shipped)."""
        t = TensorProto()
        t.name = name
        t.data_type = TensorProto.FLOAT
        t.dims.extend(dims)
        length = 4
        for d in dims:
            length *= d
        t.data_location = TensorProto.EXTERNAL
        for key, value in (("location", WEIGHTS_FILE), ("offset", str(self.offset)), ("length", str(length))):
            entry = t.external_data.add()
            entry.key = key
            entry.value = value
        self.offset += length
        self.initializers.append(t)
        return name

    def conv(self, scope, param, x, cin, cout, kernel, stride=1, padding=0):
        """Conv with BN folded into its bias; scope is the module path of the node name."""
        name = f"{scope}/Conv"
        w = self.initializer(f"{param}.weight", [cout, cin, kernel, kernel])
        b = self.initializer(f"{param}.bias", [cout])
        out = f"{name}_output_0"
        self.nodes.append(helper.make_node(
            "Conv", [x, w, b], [out], name=name,
            dilations=[1, 1], group=1, kernel_shape=[kernel, kernel],
            pads=[padding] * 4, strides=[stride, stride]))
        return out

    def simple(self, op, name, inputs, **attributes):
        out = f"{name}_output_0"
        self.nodes.append(helper.make_node(op, inputs, [out], name=name, **attributes))
        return out


def build_model():
    g = GraphBuilder()
    x = g.conv("/conv1", "conv1", "input", 3, 64, 7, stride=2, padding=3)
    x = g.simple("Relu", "/relu/Relu", [x])
    x = g.simple("MaxPool", "/maxpool/MaxPool", [x], ceil_mode=0, dilations=[1, 1], kernel_shape=[3, 3],
                 pads=[1, 1, 1, 1], strides=[2, 2])
    cin = 64
    for stage, (blocks, width) in enumerate(STAGES, start=1):
        cout = width * EXPANSION
        for block in range(blocks):
            stride = 2 if (stage > 1 and block == 0) else 1
            module = f"layer{stage}.{block}"
            scope = f"/layer{stage}/{module}"
            identity = x
            # Bottleneck.forward: conv1, bn1, relu, conv2, bn2, relu, conv3, bn3, downsample, add, relu.
            y = g.conv(f"{scope}/conv1", f"{module}.conv1", x, cin, width, 1)
            y = g.simple("Relu", f"{scope}/relu/Relu", [y])
            y = g.conv(f"{scope}/conv2", f"{module}.conv2", y, width, width, 3, stride=stride, padding=1)  # v1.5
            y = g.simple("Relu", f"{scope}/relu_1/Relu", [y])
            y = g.conv(f"{scope}/conv3", f"{module}.conv3", y, width, cout, 1)
            if block == 0:  # channel change (and stride from stage 2 on): projection shortcut
                identity = g.conv(f"{scope}/downsample/downsample.0", f"{module}.downsample.0", x, cin, cout, 1,
                                  stride=stride)
            y = g.simple("Add", f"{scope}/Add", [y, identity])
            x = g.simple("Relu", f"{scope}/relu_2/Relu", [y])
            cin = cout
    x = g.simple("GlobalAveragePool", "/avgpool/GlobalAveragePool", [x])
    x = g.simple("Flatten", "/Flatten", [x], axis=1)
    w = g.initializer("fc.weight", [NUM_CLASSES, cin])
    b = g.initializer("fc.bias", [NUM_CLASSES])
    g.nodes.append(helper.make_node("Gemm", [x, w, b], ["output"], name="/fc/Gemm", alpha=1.0, beta=1.0, transB=1))

    graph = helper.make_graph(
        g.nodes, "main_graph",
        inputs=[helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 3, 224, 224])],
        outputs=[helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, NUM_CLASSES])],
        initializer=g.initializers)
    # The same header as the exported resnet18 fixture: IR 7, opset 13, producer pytorch. The
    # producer says who wrote the file, so it names this script instead.
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)],
                              producer_name="hwsim scripts/make-resnet50-onnx.py", producer_version="1")
    model.ir_version = 7
    return model


def check(model):
    """onnx.checker.check_model, which insists that each external-data location be a regular file
    next to the model. The payload is absent by design, so the check runs on a copy of the model in
    a temporary directory beside a sparse, all-zero stand-in of the right size (never shipped)."""
    total = max(int(dict((e.key, e.value) for e in t.external_data)["offset"]) + 4 * math.prod(t.dims)
                for t in model.graph.initializer)
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "model.onnx")
        onnx.save_model(model, path)
        with open(os.path.join(directory, WEIGHTS_FILE), "wb") as stand_in:
            stand_in.truncate(total)
        onnx.checker.check_model(path)  # full_check off: the shapes were just inferred strictly


def main():
    output = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUTPUT
    model = onnx.shape_inference.infer_shapes(build_model(), strict_mode=True)
    check(model)
    missing = {n.output[0] for n in model.graph.node} - {v.name for v in model.graph.value_info} - {"output"}
    if missing:
        sys.exit(f"shape inference left out {sorted(missing)}")
    data = model.SerializeToString(deterministic=True)
    with open(output, "wb") as f:
        f.write(data)
    params = sum(math.prod(t.dims) for t in model.graph.initializer)
    print(f"wrote {output}: {len(model.graph.node)} nodes, {len(model.graph.initializer)} initializers, "
          f"{params} parameters, {len(model.graph.value_info)} value_info, {len(data)} bytes")


if __name__ == "__main__":
    main()
