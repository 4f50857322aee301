import Foundation
import HWModel
import Quantizers
import Testing

@testable import ModelImport

/// Small models built in code, covering ops and attribute forms the real fixtures do not use.
@Suite("ONNX op mapping")
struct NetworkImportOpTests {
    func constantNode(_ builder: inout ModelBuilder, _ name: String, _ value: Float) {
        builder.node(
            "Constant", name, inputs: [], outputs: [name + "_out"],
            attributes: [attribute("value", tensor: floatTensor("", dims: [], values: [value]))])
    }

    /// Conv (SAME_LOWER, stride 2, external weights), grouped dilated conv, Clip(0, 6) from
    /// Constant nodes, Concat, ReduceMean(keepdims=0), Gemm(transB), Sub by a constant, Softmax.
    func cnn() throws -> ONNXModel {
        var b = ModelBuilder(qonnx: false)
        b.input("x", dims: [1, 3, 16, 16])
        b.initializer(floatTensor("w1", dims: [8, 3, 3, 3], values: [], payload: .external))
        b.initializer(floatTensor("w2", dims: [8, 1, 3, 3], values: [], payload: .external))
        b.initializer(floatTensor("fc_w", dims: [4, 16], values: [], payload: .external))
        b.initializer(floatTensor("fc_b", dims: [4], values: [0, 0, 0, 0]))
        b.scalar("mean", 0.5)
        b.node("Conv", "c1", inputs: ["x", "w1"], outputs: ["c1_out"], attributes: [
            attribute("auto_pad", string: "SAME_LOWER"), attribute("strides", ints: [2, 2]),
        ])
        b.node("Conv", "dw", inputs: ["c1_out", "w2"], outputs: ["dw_out"], attributes: [
            attribute("group", int: 8), attribute("pads", ints: [1, 1, 1, 1]), attribute("dilations", ints: [2, 2]),
        ])
        constantNode(&b, "lo", 0)
        constantNode(&b, "hi", 6)
        b.node("Clip", "relu6", inputs: ["dw_out", "lo_out", "hi_out"], outputs: ["relu6_out"])
        b.node("Concat", "cat", inputs: ["relu6_out", "relu6_out"], outputs: ["cat_out"], attributes: [attribute("axis", int: 1)])
        b.node("ReduceMean", "gap", inputs: ["cat_out"], outputs: ["gap_out"], attributes: [
            attribute("axes", ints: [-2, -1]), attribute("keepdims", int: 0),
        ])
        b.node("Gemm", "fc", inputs: ["gap_out", "fc_w", "fc_b"], outputs: ["fc_out"], attributes: [attribute("transB", int: 1)])
        b.node("Sub", "center", inputs: ["fc_out", "mean"], outputs: ["center_out"])
        b.node("Softmax", "prob", inputs: ["center_out"], outputs: ["y"])
        b.output("y", dims: [1, 4])
        return try b.load(named: "cnn.onnx")
    }

    @Test("CNN ops: kinds, padding, shapes")
    func cnnOps() throws {
        let imported = try cnn().importNetwork()
        let net = imported.network
        func shape(_ name: String) -> [Int]? { net.outputShapes[name]?.dims }
        guard case .convolution(let c1)? = net.layer(named: "c1")?.kind,
              case .convolution(let dw)? = net.layer(named: "dw")?.kind else {
            Issue.record("convolutions missing")
            return
        }
        // SAME_LOWER: 16 → 8 with stride 2 needs one zero, placed before.
        #expect(c1.padding == .explicit(begin: [1, 1], end: [0, 0]))
        #expect(c1.bias == false && c1.outChannels == 8 && c1.kernel == [3, 3])
        #expect(dw.groups == 8 && dw.dilation == [2, 2])
        #expect(shape("c1") == [8, 8, 8])
        #expect(shape("dw") == [8, 6, 6])  // (8 + 2 − 5) / 1 + 1
        #expect(net.layer(named: "relu6")?.kind == .activation(.relu6))
        #expect(shape("cat") == [16, 6, 6])
        #expect(net.layer(named: "gap")?.kind == .globalPool(.average))
        #expect(shape("gap/squeeze") == [16])
        #expect(net.layer(named: "fc")?.kind == .linear(Linear(outFeatures: 4, bias: true)))
        #expect(net.layer(named: "center")?.kind == .multiply)
        #expect(net.layer(named: "prob")?.kind == .softmax(axis: 0))
        #expect(imported.onnxShape(of: "y") == [1, 4])
        #expect(imported.onnxShape(of: "gap_out") == [1, 16])
        let cost = try CostModel.evaluate(net, plan: imported.plan)
        #expect(cost.layers.first { $0.layer == "fc" }.map { $0.weights + $0.biases } == 68)
        #expect(cost.layers.first { $0.layer == "dw" }?.weights == 72)
    }

    /// Gather (embedding) → Transpose to sequence-major → LSTM → Squeeze → Transpose back →
    /// MatMul + bias Add, the shape of a TorchScript-exported text model.
    func sequenceModel() throws -> ONNXModel {
        var b = ModelBuilder(qonnx: false)
        var tokens = valueInfo("tokens", dims: [1, 5])
        tokens.type.tensorType.elemType = 7
        tokens.type.tensorType.shape.dim[0].dimParam = "batch"
        b.proto.graph.input.append(tokens)
        b.initializer(floatTensor("table", dims: [100, 16], values: [], payload: .external))
        b.initializer(floatTensor("W", dims: [1, 32, 16], values: [], payload: .external))
        b.initializer(floatTensor("R", dims: [1, 32, 8], values: [], payload: .external))
        b.initializer(floatTensor("B", dims: [1, 64], values: [], payload: .external))
        b.initializer(int64Tensor("sq_axes", dims: [1], values: [1], raw: true))
        b.initializer(floatTensor("proj_w", dims: [8, 3], values: [], payload: .external))
        b.initializer(floatTensor("proj_b", dims: [3], values: [0, 0, 0]))
        b.node("Gather", "embed", inputs: ["table", "tokens"], outputs: ["emb"])
        b.node("Transpose", "to_seq", inputs: ["emb"], outputs: ["seq"], attributes: [attribute("perm", ints: [1, 0, 2])])
        b.node("LSTM", "lstm", inputs: ["seq", "W", "R", "B"], outputs: ["Y", "", ""], attributes: [attribute("hidden_size", int: 8)])
        b.node("Squeeze", "sq", inputs: ["Y", "sq_axes"], outputs: ["Y2"])
        b.node("Transpose", "back", inputs: ["Y2"], outputs: ["Y3"], attributes: [attribute("perm", ints: [1, 0, 2])])
        b.node("MatMul", "proj", inputs: ["Y3", "proj_w"], outputs: ["mm"])
        b.node("Add", "proj_bias", inputs: ["mm", "proj_b"], outputs: ["out"])
        b.output("out", dims: [1, 5, 3])
        return try b.load(named: "seq.onnx")
    }

    @Test("embedding, LSTM, batch-moving transposes, MatMul + bias")
    func sequenceOps() throws {
        let imported = try sequenceModel().importNetwork()
        let net = imported.network
        #expect(net.layer(named: "tokens")?.kind == .input(TensorShape([5])))
        #expect(net.layer(named: "embed")?.kind == .embedding(Embedding(vocabulary: 100, dimension: 16)))
        #expect(net.layer(named: "to_seq")?.kind == .identity)  // only the size-1 batch moves
        #expect(net.layer(named: "lstm")?.kind == .lstm(LSTM(hiddenSize: 8, returnSequences: true, bidirectional: false, biasVectors: 2)))
        #expect(net.layer(named: "proj")?.kind == .linear(Linear(outFeatures: 3, bias: true)))
        #expect(net.layer(named: "proj_bias") == nil)
        #expect(imported.onnxShape(of: "seq") == [5, 1, 16])
        #expect(imported.onnxShape(of: "Y") == [5, 1, 1, 8])
        #expect(imported.onnxShape(of: "Y2") == [5, 1, 8])
        #expect(imported.onnxShape(of: "Y3") == [1, 5, 8])
        #expect(imported.onnxShape(of: "out") == [1, 5, 3])
        let cost = try CostModel.evaluate(net, plan: imported.plan)
        let params = Dictionary(uniqueKeysWithValues: cost.layers.map { ($0.layer, $0.weights + $0.biases) })
        let lstmParams: Int64 = 32 * 16 + 32 * 8 + 2 * 32  // W, R and both bias vectors, 4·hidden = 32 rows
        #expect(params["lstm"] == lstmParams)
        #expect(params["embed"] == 1600)
        #expect(params["proj"] == 27)
    }

    @Test("POT/POST marks and per-channel scales reach the plan")
    func markedPlan() throws {
        var b = ModelBuilder()
        b.input("x", dims: [1, 4])
        b.quant("in_q", input: "x", output: "xq", bits: 8, signed: true, narrow: false)
        b.initializer(floatTensor("w0", dims: [4, 6], values: [], payload: .external))
        b.quant("w0_q", input: "w0", output: "w0q", bits: 4, signed: true, narrow: true, scaleDims: [1, 6])
        b.node("MatMul", "fc0", inputs: ["xq", "w0q"], outputs: ["h"])
        b.node("Relu", "act", inputs: ["h"], outputs: ["a"])
        b.quant("a_q", input: "a", output: "aq", bits: 3, signed: false, narrow: false)
        b.initializer(floatTensor("w1", dims: [6, 2], values: [], payload: .external))
        b.quant("w1_q", input: "w1", output: "w1q", bits: 4, signed: true, narrow: true)
        b.node("MatMul", "fc1", inputs: ["aq", "w1q"], outputs: ["y"])
        b.output("y", dims: [1, 2])
        b.metadata("hwsim.weight_scheme.fc1", "post")
        let imported = try b.load(named: "marked.onnx").importNetwork()
        let resolved = try imported.plan.resolve(for: imported.network)
        #expect(resolved["fc0"]?.weights == .uniform(bits: 4))
        #expect(resolved["fc0"]?.activations == .uniform(bits: 8))
        #expect(resolved["fc0"]?.scales == .perChannel)
        #expect(resolved["fc1"]?.weights == .post(bits: 4))
        #expect(resolved["fc1"]?.activations == .uniform(bits: 3))
        #expect(resolved["fc1"]?.scales == .perTensor)
    }
}

/// Inputs the import must reject with one message naming the file and the node.
@Suite("ONNX import errors")
struct NetworkImportErrorTests {
    func importing(_ builder: ModelBuilder, named name: String = "bad.onnx") throws -> (ONNXImportError?, String) {
        let url = try builder.write(named: name)
        let error = caught(ONNXImportError.self) { _ = try ImportedNetwork.load(contentsOf: url) }
        return (error, url.path)
    }

    func base() -> ModelBuilder {
        var b = ModelBuilder(qonnx: false)
        b.input("x", dims: [1, 3, 8, 8])
        return b
    }

    @Test("an unsupported op names the node, the op and the file")
    func unsupportedOp() throws {
        var b = base()
        b.node("Relu", "r", inputs: ["x"], outputs: ["r_out"])
        b.node("NonMaxSuppression", "nms_7", inputs: ["r_out"], outputs: ["y"])
        let (error, path) = try importing(b, named: "unsupported.onnx")
        #expect(error == .unsupportedOp(file: path, node: "nms_7", op: "NonMaxSuppression", domain: ""))
        let message = error?.description ?? ""
        #expect(message.hasPrefix(path + ": "))
        #expect(message.contains("'nms_7'") && message.contains("NonMaxSuppression"))
    }

    @Test("an op in a foreign domain is unsupported even with a known name")
    func foreignDomain() throws {
        var b = base()
        b.node("Relu", "custom", inputs: ["x"], outputs: ["y"], domain: "com.example")
        let (error, path) = try importing(b)
        #expect(error == .unsupportedOp(file: path, node: "custom", op: "Relu", domain: "com.example"))
    }

    @Test("a pooling node without kernel_shape")
    func missingAttribute() throws {
        var b = base()
        b.node("MaxPool", "pool1", inputs: ["x"], outputs: ["y"])
        let (error, path) = try importing(b)
        #expect(error == .missingAttribute(file: path, node: "pool1", op: "MaxPool", attribute: "kernel_shape"))
    }

    @Test("a MatMul of two activations")
    func matMulOfActivations() throws {
        var b = base()
        b.node("MatMul", "scores", inputs: ["x", "x"], outputs: ["y"])
        let (error, path) = try importing(b)
        guard case .unsupportedNode(let file, let node, let op, _)? = error else {
            Issue.record("expected unsupportedNode, got \(String(describing: error))")
            return
        }
        #expect(file == path && node == "scores" && op == "MatMul")
    }

    @Test("a batch other than 1")
    func batchOfFour() throws {
        var b = ModelBuilder(qonnx: false)
        b.input("x", dims: [4, 3, 8, 8])
        b.node("Relu", "r", inputs: ["x"], outputs: ["y"])
        let (error, _) = try importing(b)
        guard case .unsupportedInput(_, let input, let reason)? = error else {
            Issue.record("expected unsupportedInput, got \(String(describing: error))")
            return
        }
        #expect(input == "x" && reason.contains("batch dimension is 4"))
    }

    @Test("an opset outside 11–20")
    func oldOpset() throws {
        var b = base()
        b.proto.opsetImport[0].version = 9
        b.node("Relu", "r", inputs: ["x"], outputs: ["y"])
        let (error, path) = try importing(b)
        #expect(error == .unsupportedOpset(file: path, version: 9))
    }

    @Test("shapes that do not fit name the node")
    func shapeMismatch() throws {
        var b = base()
        b.initializer(floatTensor("w", dims: [4, 3, 3, 3], values: [], payload: .external))
        b.node("Conv", "conv", inputs: ["x", "w"], outputs: ["c"])
        b.node("Add", "residual", inputs: ["c", "x"], outputs: ["y"])
        let (error, path) = try importing(b)
        guard case .invalidNetwork(let file, let node, let op, _)? = error else {
            Issue.record("expected invalidNetwork, got \(String(describing: error))")
            return
        }
        #expect(file == path && node == "residual" && op == "Add")
    }

    @Test("a conv whose weight does not fit its input channels")
    func channelMismatch() throws {
        var b = base()
        b.initializer(floatTensor("w", dims: [4, 5, 3, 3], values: [], payload: .external))
        b.node("Conv", "conv", inputs: ["x", "w"], outputs: ["y"])
        let (error, _) = try importing(b)
        guard case .unsupportedNode(_, let node, _, let reason)? = error else {
            Issue.record("expected unsupportedNode, got \(String(describing: error))")
            return
        }
        #expect(node == "conv" && reason.contains("input channels"))
    }

    @Test("a Reshape whose target is computed at run time")
    func dynamicReshape() throws {
        var b = base()
        b.node("Flatten", "flat", inputs: ["x"], outputs: ["target"])
        b.node("Reshape", "view", inputs: ["x", "target"], outputs: ["y"])
        let (error, _) = try importing(b)
        guard case .unsupportedNode(_, let node, let op, _)? = error else {
            Issue.record("expected unsupportedNode, got \(String(describing: error))")
            return
        }
        #expect(node == "view" && op == "Reshape")
    }

    @Test("a Reshape that merges the batch")
    func reshapeMergingBatch() throws {
        var b = base()
        b.initializer(int64Tensor("target", dims: [2], values: [3, -1], raw: true))
        b.node("Reshape", "view", inputs: ["x", "target"], outputs: ["y"])
        let (error, _) = try importing(b)
        guard case .unsupportedNode(_, "view", "Reshape", let reason)? = error else {
            Issue.record("expected unsupportedNode, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("batch"))
    }

    @Test("a weight-quantizer bitwidth hwsim has no scheme for")
    func bitwidthWithoutScheme() throws {
        var b = ModelBuilder()
        b.input("x", dims: [1, 4])
        b.initializer(floatTensor("w", dims: [4, 2], values: [], payload: .external))
        b.quant("wq", input: "w", output: "wq_out", bits: 24, signed: true, narrow: false)
        b.node("MatMul", "fc", inputs: ["x", "wq_out"], outputs: ["y"])
        let (error, path) = try importing(b)
        guard case .invalidQuantParameter(let file, "wq", "Quant", "bitwidth", _)? = error else {
            Issue.record("expected invalidQuantParameter, got \(String(describing: error))")
            return
        }
        #expect(file == path)
    }
}
