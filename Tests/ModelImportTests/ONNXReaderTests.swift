import Foundation
import Testing

@testable import ModelImport

/// The facts /work/shared/models/layers.json records for each model (copied into Fixtures/onnx).
struct LayerFacts: Decodable {
    struct Quant: Decodable {
        let op: String
        let bits: Double
        let signed: Int?
        let narrow: Int?
        let scale: Double?
        let zero_point: Double?
        let rounding_mode: String?
    }

    struct Layer: Decodable {
        let name: String
        let op: String
        let weight_shape: [Int]
        let params: Int
        let out_shape: [Int]
        let in_shape: [Int]
        let weight_quant: Quant?
        let input_quant: Quant?
    }

    let file: String
    let ir_version: Int
    let opsets: [String: Int]
    let inputs: [String: [Int]]
    let outputs: [String: [Int]]
    let nodes: Int
    let ops: [String: Int]
    let compute_layers: Int
    let layer_params: Int
    let initializers: Int
    let external_initializers: Int
    let value_info: Int
    let layers: [Layer]

    static func all() throws -> [String: LayerFacts] {
        let data = try Data(contentsOf: Fixture.onnx("layers.json"))
        let list = try JSONDecoder().decode([LayerFacts].self, from: data)
        return Dictionary(uniqueKeysWithValues: list.map { ($0.file, $0) })
    }
}

/// Model files present in Fixtures/onnx.
let fixtureModels = [
    "alexnet_fp32.noweights.onnx", "bnn_pynq_tfc_2w2a.onnx", "lenet5_w1a1.onnx", "lenet5_w4a4.onnx",
    "resnet18_fp32.noweights.onnx", "resnet20_cifar_fp32.onnx",
]

@Suite("ONNX reader")
struct ONNXReaderTests {
    @Test("graph facts equal layers.json", arguments: fixtureModels)
    func graphFacts(file: String) throws {
        let facts = try #require(try LayerFacts.all()[file])
        let model = try Fixture.model(file)
        let graph = model.graph

        #expect(model.irVersion == facts.ir_version)
        #expect(model.producerName == "pytorch")
        #expect(graph.nodes.count == facts.nodes)
        #expect(graph.initializers.count == facts.initializers)
        #expect(graph.initializers.filter(\.isExternal).count == facts.external_initializers)
        #expect(graph.valueInfo.count == facts.value_info)

        var ops = [String: Int]()
        for node in graph.nodes { ops[node.opType, default: 0] += 1 }
        #expect(ops == facts.ops)

        for (domain, version) in facts.opsets {
            #expect(model.opsetVersion(domain: domain) == version, "opset \(domain)")
        }
        #expect(model.opsetImports.count == facts.opsets.count)

        #expect(graph.dataInputs.map(\.name) == Array(facts.inputs.keys))
        for (name, shape) in facts.inputs { #expect(graph.shape(of: name) == shape) }
        for (name, shape) in facts.outputs { #expect(graph.shape(of: name) == shape) }
        #expect(graph.outputs.allSatisfy { $0.elementType == .float })
    }

    @Test("every value_info shape is concrete and read", arguments: fixtureModels)
    func valueInfoShapes(file: String) throws {
        let graph = try Fixture.model(file).graph
        #expect(!graph.valueInfo.isEmpty)
        for info in graph.valueInfo {
            let shape = try #require(info.concreteShape, "\(info.name) has no concrete shape")
            #expect(graph.shape(of: info.name) == shape)
        }
        // Every node output except the graph outputs has value_info in these exports.
        let outputs = Set(graph.outputs.map(\.name))
        for node in graph.nodes {
            for output in node.outputs where !outputs.contains(output) {
                #expect(graph.valueInfo(for: output) != nil, "\(output) of \(node.displayName)")
            }
        }
    }

    @Test("compute layers: shapes, parameter counts and quantization equal layers.json", arguments: fixtureModels)
    func computeLayers(file: String) throws {
        let facts = try #require(try LayerFacts.all()[file])
        let model = try Fixture.model(file)
        let graph = model.graph
        let layers = try model.layerQuantization()
        #expect(layers.count == facts.compute_layers)
        #expect(layers.map(\.node.displayName) == facts.layers.map(\.name))

        var totalParams = 0
        for (layer, expected) in zip(layers, facts.layers) {
            let context = Comment(rawValue: "\(file) \(expected.name)")
            #expect(layer.node.opType == expected.op, context)
            let weight = try #require(layer.weightTensor, context)
            let weightShape = try #require(graph.shape(of: weight), context)
            #expect(weightShape == expected.weight_shape, context)
            #expect(graph.shape(of: layer.node.outputs[0]) == expected.out_shape, context)

            #expect(graph.shape(of: layer.inputTensor) == expected.in_shape, context)

            // Weight + bias elements, biases resolved through Identity aliases.
            var params = weightShape.reduce(1, *)
            if layer.node.opType != "MatMul", let bias = layer.node.input(2) {
                params += try #require(graph.shape(of: bias), context).reduce(1, *)
            }
            #expect(params == expected.params, context)
            totalParams += params

            try expectQuantizer(layer.weight, equals: expected.weight_quant, context)
            try expectQuantizer(layer.inputQuantizer, equals: expected.input_quant, context)
            #expect(layer.weightScheme == .uniform, context)
        }
        #expect(totalParams == facts.layer_params)
    }

    private func expectQuantizer(_ actual: QONNXQuantizer?, equals expected: LayerFacts.Quant?, _ context: Comment) throws {
        guard let expected else {
            #expect(actual == nil, context)
            return
        }
        let q = try #require(actual, context)
        #expect(q.kind.rawValue == expected.op, context)
        #expect(Double(q.bits) == expected.bits, context)
        #expect((q.signed ? 1 : 0) == expected.signed, context)
        if let narrow = expected.narrow { #expect((q.narrow ? 1 : 0) == narrow, context) }
        #expect(q.roundingMode == expected.rounding_mode, context)
        #expect(!q.isPerChannel, context)
        if let scale = expected.scale {
            let values = try #require(q.scale, context)
            #expect(values.count == 1 && abs(values[0] - scale) <= 1e-6 * abs(scale), context)
        }
        if let zeroPoint = expected.zero_point { #expect(q.zeroPoint == [zeroPoint], context) }
    }

    @Test("plain ONNX exports have float weights and no activation quantizers")
    func plainONNXHasNoQuantizers() throws {
        let model = try Fixture.model("resnet20_cifar_fp32.onnx")
        #expect(!model.isQONNX)
        let layers = try model.layerQuantization()
        #expect(layers.allSatisfy { $0.weight == nil && $0.inputQuantizer == nil })
        #expect(layers.first?.input == .graphInput("input"))
        // Every later layer reads a Relu or Add output directly: "none".
        for layer in layers.dropFirst() {
            guard case .op(_, let opType) = layer.input else {
                Issue.record("\(layer.node.displayName): \(layer.input)")
                continue
            }
            #expect(["Relu", "GlobalAveragePool"].contains(opType), "\(layer.node.displayName) reads \(opType)")
        }
    }

    @Test("Identity nodes alias shared initializers (resnet18)")
    func identityAliasing() throws {
        let graph = try Fixture.model("resnet18_fp32.noweights.onnx").graph
        // Torch's exporter emits Identity_0..15 that re-export shared bias initializers.
        #expect(graph.nodes.filter { $0.opType == "Identity" }.count == 16)
        #expect(graph.initializer(named: "onnx::Conv_251") == nil)
        #expect(graph.resolvingIdentity("onnx::Conv_251") == "onnx::Conv_239")
        let bias = try #require(graph.resolvedInitializer("onnx::Conv_251"))
        #expect(bias.name == "onnx::Conv_239")
        #expect(bias.dims == [512])
        #expect(graph.shape(of: "onnx::Conv_251") == [512])
        #expect(try graph.constant("onnx::Conv_251")?.values().count == 512)
        // A name that no Identity produces resolves to itself.
        #expect(graph.resolvingIdentity("input") == "input")

        // The last conv takes its bias through an Identity alias.
        let conv = try #require(graph.nodes.first { $0.name == "/layer4/layer4.1/conv2/Conv" })
        let biasName = try #require(conv.input(2))
        #expect(graph.initializer(named: biasName) == nil)
        #expect(graph.resolvedInitializer(biasName)?.dims == [512])
    }

    @Test("external weights without payload: dims give shapes, values() says why it cannot read")
    func absentPayloads() throws {
        let model = try Fixture.model("alexnet_fp32.noweights.onnx")
        let external = model.graph.initializers.filter(\.isExternal)
        #expect(external.count == 10)
        for tensor in external {
            #expect(!tensor.hasPayload)
            #expect(tensor.dataType == .float)
            #expect(tensor.elementCount ?? 0 > 0)
            let error = caught(ONNXImportError.self) { _ = try tensor.values() }
            guard case .tensorPayloadMissing(let file, let name, _) = error else {
                Issue.record("expected tensorPayloadMissing, got \(String(describing: error))")
                continue
            }
            #expect(file.hasSuffix("alexnet_fp32.noweights.onnx"))
            #expect(name == tensor.name)
        }
        // Inline biases stay readable.
        let firstConv = try #require(model.graph.nodes.first { $0.opType == "Conv" })
        let weight = try #require(model.graph.initializer(named: firstConv.inputs[1]))
        #expect(weight.dims == [64, 3, 11, 11])
        #expect(weight.isExternal)
        let bias = try #require(model.graph.initializer(named: firstConv.inputs[2]))
        #expect(!bias.isExternal && bias.hasPayload)
        #expect(try bias.values().count == 64)
    }

    @Test("attributes read with their ONNX types")
    func attributes() throws {
        let graph = try Fixture.model("resnet18_fp32.noweights.onnx").graph
        let conv = try #require(graph.nodes.first { $0.name == "/conv1/Conv" })
        #expect(try conv.ints("kernel_shape") == [7, 7])
        #expect(try conv.ints("strides") == [2, 2])
        #expect(try conv.ints("pads") == [3, 3, 3, 3])
        #expect(try conv.int("group") == 1)
        #expect(try conv.int("missing_but_defaulted", default: 4) == 4)
        #expect(try conv.ints("dilations", default: [9]) == [1, 1])

        let quant = try #require(try Fixture.model("lenet5_w4a4.onnx").graph.nodes.first { $0.opType == "Quant" })
        #expect(try quant.string("rounding_mode") == "ROUND")
        #expect(quant.domain == "qonnx.custom_op.general")
        #expect(quant.qonnxQuantizerKind == .quant)

        let error = caught(ONNXImportError.self) { _ = try conv.int("kernel_shape") }
        #expect(error == .attributeTypeMismatch(
            file: conv.sourceFile, node: "/conv1/Conv", op: "Conv", attribute: "kernel_shape",
            expected: "INT", found: "INTS"))
    }

    @Test("small scalar tensors read from raw_data, float_data and int64_data, and from Constant nodes")
    func scalarValues() throws {
        var b = ModelBuilder(qonnx: false)
        b.input("x", dims: [1, 4])
        b.initializer(floatTensor("raw", dims: [], values: [2.5]))
        b.initializer(floatTensor("typed", dims: [1], values: [-3], payload: .typed))
        b.initializer(int64Tensor("shape_raw", dims: [2], values: [1, -1], raw: true))
        b.initializer(int64Tensor("shape_typed", dims: [2], values: [4, 5], raw: false))
        // ReLU6 the way torch exports it: Clip with min/max from Constant nodes (TENSOR, raw_data).
        b.node("Constant", "c_min", inputs: [], outputs: ["min"],
               attributes: [attribute("value", tensor: floatTensor("", dims: [], values: [0]))])
        b.node("Constant", "c_max", inputs: [], outputs: ["max"],
               attributes: [attribute("value", tensor: floatTensor("", dims: [], values: [6]))])
        b.node("Constant", "c_f", inputs: [], outputs: ["alpha"], attributes: [attribute("value_float", float: 0.25)])
        b.node("Constant", "c_is", inputs: [], outputs: ["axes"], attributes: [attribute("value_ints", ints: [0, 2])])
        b.node("Identity", "alias", inputs: ["max"], outputs: ["max_alias"])
        b.node("Clip", "relu6", inputs: ["x", "min", "max_alias"], outputs: ["y"])
        b.output("y", dims: [1, 4])
        let graph = try b.load().graph

        #expect(try graph.constant("raw")?.scalarValue() == 2.5)
        #expect(try graph.constant("typed")?.scalarValue() == -3)
        #expect(try graph.constant("shape_raw")?.values() == [1, -1])
        #expect(try graph.constant("shape_typed")?.values() == [4, 5])
        #expect(try graph.constant("min")?.scalarValue() == 0)
        #expect(try graph.constant("max_alias")?.scalarValue() == 6)
        #expect(try graph.constant("max_alias")?.name == "max")
        #expect(try graph.constant("alpha")?.scalarValue() == 0.25)
        #expect(try graph.constant("axes")?.values() == [0, 2])
        #expect(try graph.constant("axes")?.dims == [2])
        #expect(try graph.constant("x") == nil)
        #expect(try graph.constant("y") == nil)
        let clip = try #require(graph.producer(of: "y"))
        #expect(clip.opType == "Clip")
        #expect(graph.consumers(of: "x").map(\.name) == ["relu6"])
    }

    @Test("raw_data whose size disagrees with dims is an error naming the tensor")
    func payloadSizeMismatch() throws {
        var t = floatTensor("w", dims: [2, 2], values: [1, 2, 3])
        t.name = "w"
        let tensor = ONNXTensor(t, sourceFile: "bad.onnx")
        let error = caught(ONNXImportError.self) { _ = try tensor.values() }
        guard case .invalidTensorPayload(let file, let name, let reason) = error else {
            Issue.record("got \(String(describing: error))")
            return
        }
        #expect(file == "bad.onnx" && name == "w")
        #expect(reason.contains("12 bytes"))
    }

    @Test("dims past 2^31 − 1 or 2^40 elements are an error, not a trap")
    func payloadSizeOverflow() throws {
        var t = floatTensor("w", dims: [2], values: [1, 2])
        t.dims = [1 << 61]  // 2^61 elements of 4 bytes would overflow a 64-bit byte count
        let tensor = ONNXTensor(t, sourceFile: "huge.onnx")
        #expect(tensor.elementCount == nil)
        let error = caught(ONNXImportError.self) { _ = try tensor.values() }
        #expect(error == .invalidTensorPayload(
            file: "huge.onnx", tensor: "w", reason: "dims [2305843009213693952] hold 2305843009213693952, outside 0…2147483647"))
        t.dims = [1 << 21, 1 << 20]  // each dim fits, the 2^41 elements do not
        let product = caught(ONNXImportError.self) { _ = try ONNXTensor(t, sourceFile: "huge.onnx").values() }
        #expect(product?.description == "huge.onnx: tensor 'w': dims [2097152, 1048576] describe more than 2^40 elements")
        t.dims = [-1]
        #expect(ONNXTensor(t, sourceFile: "huge.onnx").elementCount == nil)
        t.dims = [1 << 20, 1 << 20]  // exactly 2^40 is allowed
        #expect(ONNXTensor(t, sourceFile: "huge.onnx").elementCount == 1 << 40)
    }

    @Test("float16 and bfloat16 decode")
    func halfPrecision() throws {
        #expect(ONNXTensor.halfToFloat(0x3C00) == 1)
        #expect(ONNXTensor.halfToFloat(0xC000) == -2)
        #expect(ONNXTensor.halfToFloat(0x3555) == Float(0.333251953125))
        #expect(ONNXTensor.halfToFloat(0x0001) == Float(5.960464477539063e-08))
        var t = Onnx_TensorProto()
        t.name = "h"
        t.dataType = 16
        t.dims = [2]
        t.rawData = Data([0x80, 0x3F, 0x00, 0xC0])  // bfloat16 1.0, -2.0
        #expect(try ONNXTensor(t, sourceFile: "f").values() == [1, -2])
    }
}
