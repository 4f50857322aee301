import Foundation
import Testing

@testable import ModelImport

/// README notation: `Quant 4b s=1 n=1`, `BipolarQuant(1b)`, `float`.
func readmeNotation(_ q: QONNXQuantizer?) -> String {
    guard let q else { return "float" }
    switch q.kind {
    case .bipolarQuant: return "BipolarQuant(1b)"
    case .quant, .trunc: return "\(q.kind.rawValue) \(q.bits)b s=\(q.signed ? 1 : 0) n=\(q.narrow ? 1 : 0)"
    }
}

@Suite("QONNX quantization")
struct QONNXTests {
    /// The per-layer tables of /work/shared/models/README.md, transcribed:
    /// (op, weight shape, out shape, weight quant, input act quant).
    static let readmeTables: [String: [(String, [Int], [Int], String, String)]] = [
        "bnn_pynq_tfc_2w2a.onnx": [
            ("MatMul", [784, 64], [1, 64], "Quant 2b s=1 n=1", "Quant 2b s=1 n=1"),
            ("MatMul", [64, 64], [1, 64], "Quant 2b s=1 n=1", "Quant 2b s=1 n=1"),
            ("MatMul", [64, 64], [1, 64], "Quant 2b s=1 n=1", "Quant 2b s=1 n=1"),
            ("MatMul", [64, 10], [1, 10], "Quant 2b s=1 n=1", "Quant 2b s=1 n=1"),
        ],
        "lenet5_w1a1.onnx": [
            ("Conv", [32, 1, 5, 5], [1, 32, 24, 24], "BipolarQuant(1b)", "Quant 8b s=1 n=0"),
            ("Conv", [64, 32, 5, 5], [1, 64, 8, 8], "BipolarQuant(1b)", "BipolarQuant(1b)"),
            ("MatMul", [1024, 512], [1, 512], "BipolarQuant(1b)", "BipolarQuant(1b)"),
            ("MatMul", [512, 10], [1, 10], "BipolarQuant(1b)", "BipolarQuant(1b)"),
        ],
        "lenet5_w4a4.onnx": [
            ("Conv", [32, 1, 5, 5], [1, 32, 24, 24], "Quant 4b s=1 n=1", "Quant 8b s=1 n=0"),
            ("Conv", [64, 32, 5, 5], [1, 64, 8, 8], "Quant 4b s=1 n=1", "Quant 4b s=0 n=0"),
            ("MatMul", [1024, 512], [1, 512], "Quant 4b s=1 n=1", "Quant 4b s=0 n=0"),
            ("MatMul", [512, 10], [1, 10], "Quant 4b s=1 n=1", "Quant 4b s=0 n=0"),
        ],
    ]

    @Test("per-layer bitwidths equal the README's tables", arguments: ["bnn_pynq_tfc_2w2a.onnx", "lenet5_w1a1.onnx", "lenet5_w4a4.onnx"])
    func readmeTable(file: String) throws {
        let model = try Fixture.model(file)
        #expect(model.isQONNX)
        let layers = try model.layerQuantization()
        let table = try #require(Self.readmeTables[file])
        #expect(layers.count == table.count)
        for (layer, row) in zip(layers, table) {
            let (op, weightShape, outShape, weightQuant, inputQuant) = row
            #expect(layer.node.opType == op)
            #expect(layer.weightTensor.flatMap { model.graph.shape(of: $0) } == weightShape)
            #expect(model.graph.shape(of: layer.node.outputs[0]) == outShape)
            #expect(readmeNotation(layer.weight) == weightQuant, "\(file) \(layer.node.displayName) weight")
            #expect(readmeNotation(layer.inputQuantizer) == inputQuant, "\(file) \(layer.node.displayName) input")
        }
    }

    @Test("activation quantizers are found through MaxPool and Flatten")
    func traceThroughPooling() throws {
        let model = try Fixture.model("lenet5_w4a4.onnx")
        let layers = try model.layerQuantization()
        // Conv_1 reads MaxPool_0 ← Quant_5; MatMul_0 reads Flatten_0 ← MaxPool_1 ← Quant_6.
        #expect(layers[1].inputTensor == "MaxPool_0_out0")
        #expect(layers[1].inputQuantizer?.node == "Quant_5")
        #expect(layers[2].inputTensor == "Flatten_0_out0")
        #expect(layers[2].inputQuantizer?.node == "Quant_6")
        #expect(layers[0].inputQuantizer?.input == "global_in")
        #expect(layers[0].weight?.node == "Quant_1")
        #expect(layers[0].weightTensor == "Quant_1_param0")
        let quantizers = try model.graph.quantizers()
        #expect(quantizers.count == 8)
        #expect(quantizers.allSatisfy { !$0.isPerChannel && $0.scaleElementCount == 1 })
    }

    @Test("per-channel scales, Trunc after AveragePool, Transpose and Reshape pass-through, MatMul with constant A")
    func synthetic() throws {
        var b = ModelBuilder()
        b.input("x", dims: [1, 4, 8, 8])
        b.quant("q_in", input: "x", output: "xq", bits: 8, signed: true, narrow: false)
        b.initializer(floatTensor("w", dims: [6, 4, 3, 3], values: [], payload: .external))
        b.quant("q_w", input: "w", output: "wq", bits: 3, signed: true, narrow: true, scaleDims: [6, 1, 1, 1])
        b.node("Conv", "conv", inputs: ["xq", "wq"], outputs: ["c"], attributes: [attribute("kernel_shape", ints: [3, 3])])
        b.node("AveragePool", "pool", inputs: ["c"], outputs: ["p"], attributes: [attribute("kernel_shape", ints: [2, 2])])
        for name in ["t_scale", "t_zp", "t_inbits", "t_outscale"] { b.scalar(name, 1) }
        b.scalar("t_outbits", 5)
        b.node(
            "Trunc", "trunc", inputs: ["p", "t_scale", "t_zp", "t_inbits", "t_outscale", "t_outbits"], outputs: ["t"],
            domain: "qonnx.custom_op.general",
            attributes: [attribute("signed", int: 0), attribute("narrow", int: 0), attribute("rounding_mode", string: "FLOOR")])
        b.node("Transpose", "tr", inputs: ["t"], outputs: ["tt"], attributes: [attribute("perm", ints: [0, 1, 3, 2])])
        b.initializer(int64Tensor("shape", dims: [2], values: [1, -1], raw: true))
        b.node("Reshape", "rs", inputs: ["tt", "shape"], outputs: ["r"])
        b.initializer(floatTensor("w2", dims: [54, 10], values: [], payload: .external))
        b.quant("q_w2", input: "w2", output: "w2q", bits: 2, signed: true, narrow: true)
        b.node("Identity", "w2alias", inputs: ["w2q"], outputs: ["w2qa"])
        // MatMul with the weight as A: the activation is input 1.
        b.node("MatMul", "mm", inputs: ["w2qa", "r"], outputs: ["y"])
        b.output("y", dims: [1, 10])
        let model = try b.load()
        let layers = try model.layerQuantization()
        #expect(layers.count == 2)

        let conv = layers[0]
        let w = try #require(conv.weight)
        #expect(w.bits == 3 && w.signed && w.narrow)
        #expect(w.isPerChannel && w.scaleElementCount == 6 && w.scaleShape == [6, 1, 1, 1])
        #expect(w.scale?.count == 6)
        #expect(conv.weightTensor == "w")
        #expect(model.graph.shape(of: "w") == [6, 4, 3, 3])
        #expect(conv.inputQuantizer?.bits == 8)

        let mm = layers[1]
        #expect(mm.inputTensor == "r")
        #expect(mm.weightTensor == "w2")
        #expect(mm.weight?.bits == 2)
        let trunc = try #require(mm.inputQuantizer)
        #expect(trunc.kind == .trunc && trunc.bits == 5 && !trunc.signed && trunc.roundingMode == "FLOOR")
    }

    @Test("Trunc v1 (five inputs) takes its bits from out_bitwidth and floors by default")
    func truncV1() throws {
        var b = ModelBuilder()
        b.input("x", dims: [1, 4, 4, 4])
        for name in ["s", "z", "in_bits"] { b.scalar(name, 1) }
        b.scalar("out_bits", 3)
        b.node("Trunc", "t1", inputs: ["x", "s", "z", "in_bits", "out_bits"], outputs: ["y"], domain: "finn.custom_op.general")
        b.output("y", dims: [1, 4, 4, 4])
        let q = try #require(try b.load().graph.quantizers().first)
        #expect(q.kind == .trunc && q.bits == 3 && q.roundingMode == "FLOOR" && q.signed && !q.narrow)
    }

    @Test("an unquantized graph input and a Quant bitwidth from a Constant node")
    func constantBitwidthAndFloatInput() throws {
        var b = ModelBuilder()
        b.input("x", dims: [1, 16])
        b.initializer(floatTensor("w", dims: [16, 4], values: Array(repeating: 0.1, count: 64)))
        b.scalar("s", 0.1)
        b.scalar("z", 0)
        b.node("Constant", "bits_const", inputs: [], outputs: ["bits"],
               attributes: [attribute("value", tensor: floatTensor("", dims: [], values: [6], payload: .typed))])
        // IntQuant: QONNX's newer name for Quant.
        b.node("IntQuant", "qw", inputs: ["w", "s", "z", "bits"], outputs: ["wq"], domain: "qonnx.custom_op.general")
        b.node("Gemm", "fc", inputs: ["x", "wq"], outputs: ["y"])
        b.output("y", dims: [1, 4])
        let layers = try b.load().layerQuantization()
        #expect(layers.count == 1)
        #expect(layers[0].input == .graphInput("x"))
        #expect(layers[0].inputQuantizer == nil)
        // Attribute defaults from the QONNX spec: signed=1, narrow=0, rounding_mode=ROUND.
        let w = try #require(layers[0].weight)
        #expect(w.kind == .quant && w.node == "qw")
        #expect(w.bits == 6 && w.signed && !w.narrow && w.roundingMode == "ROUND")
    }

    // MARK: hwsim weight-scheme marks

    /// lenet5_w4a4 with extra metadata_props / attributes.
    private func markedLeNet(
        metadata: [(String, String)] = [], quantAttribute: (node: String, value: String)? = nil, file: String = "lenet5_w4a4.onnx"
    ) throws -> URL {
        var proto = try Fixture.proto(file)
        for (key, value) in metadata {
            var entry = Onnx_StringStringEntryProto()
            entry.key = key
            entry.value = value
            proto.metadataProps.append(entry)
        }
        if let quantAttribute, let i = proto.graph.node.firstIndex(where: { $0.name == quantAttribute.node }) {
            proto.graph.node[i].attribute.append(attribute(QONNX.weightSchemeAttribute, string: quantAttribute.value))
        }
        return try writeTemporary(proto.serializedBytes(), named: "marked_\(file)")
    }

    @Test("POT/POST marks by compute node, weight initializer, weight Quant node and attribute")
    func weightSchemeMarks() throws {
        let url = try markedLeNet(
            metadata: [("hwsim.weight_scheme.Conv_1", "pot"), ("hwsim.weight_scheme.Quant_3_param0", "POST")],
            quantAttribute: ("Quant_4", "pot"))
        let layers = try ONNXModel.load(contentsOf: url).layerQuantization()
        #expect(layers.map(\.weightScheme) == [.uniform, .pot, .post, .pot])
        #expect(layers.map { $0.weight?.bits } == [4, 4, 4, 4])
    }

    @Test("a model-wide default applies to Quant weights, and a specific mark overrides it")
    func weightSchemeDefault() throws {
        let url = try markedLeNet(metadata: [("hwsim.weight_scheme", "post"), ("hwsim.weight_scheme.Quant_1", "uniform")])
        let layers = try ONNXModel.load(contentsOf: url).layerQuantization()
        #expect(layers.map(\.weightScheme) == [.uniform, .post, .post, .post])
    }

    @Test("bad weight-scheme marks are errors naming the file and key", arguments: [
        ([("hwsim.weight_scheme.Conv_1", "log2")], "log2"),
        ([("hwsim.weight_scheme.Conv_9", "pot")], "Conv_9"),
        ([("hwsim.weight_scheme.Conv_1", "pot"), ("hwsim.weight_scheme.Quant_2", "post")], "disagree"),
        ([("hwsim.weight_scheme.", "pot")], "names no node"),
    ])
    func badWeightSchemeMarks(metadata: [(String, String)], fragment: String) throws {
        let url = try markedLeNet(metadata: metadata)
        let error = caught(ONNXImportError.self) { _ = try ONNXModel.load(contentsOf: url).layerQuantization() }
        guard case .invalidWeightSchemeMark = error else {
            Issue.record("expected invalidWeightSchemeMark, got \(String(describing: error))")
            return
        }
        let message = error?.description ?? ""
        #expect(message.contains("marked_lenet5_w4a4.onnx"))
        #expect(message.contains(fragment), "\(message)")
    }

    @Test("a POT mark on binary weights is an error")
    func potOnBipolarWeights() throws {
        let url = try markedLeNet(metadata: [("hwsim.weight_scheme.Conv_0", "pot")], file: "lenet5_w1a1.onnx")
        let error = caught(ONNXImportError.self) { _ = try ONNXModel.load(contentsOf: url).layerQuantization() }
        #expect(error?.description.contains("BipolarQuant") == true, "\(String(describing: error))")
    }
}
