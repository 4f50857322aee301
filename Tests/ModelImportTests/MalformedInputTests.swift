import Foundation
import Testing

@testable import ModelImport

@Suite("Malformed ONNX input: one clear error naming the file and node")
struct MalformedInputTests {
    private func loadError(_ url: URL) -> ONNXImportError? {
        caught(ONNXImportError.self) { _ = try ONNXModel.load(contentsOf: url) }
    }

    @Test("a missing file")
    func missingFile() throws {
        let url = try temporaryDirectory().appendingPathComponent("nowhere.onnx")
        let error = loadError(url)
        #expect(error == .fileNotFound(file: url.path))
        #expect(error?.description.contains("nowhere.onnx") == true)
    }

    @Test("a directory")
    func directory() throws {
        let url = try temporaryDirectory()
        guard case .unreadable(let file, _) = loadError(url) else {
            Issue.record("expected unreadable")
            return
        }
        #expect(file == url.path)
    }

    @Test("files that are not protobuf", arguments: [
        ("text.onnx", Data("this is not an ONNX model\n".utf8)),
        ("json.onnx", Data(#"{"graph": {"node": []}}"#.utf8)),
        ("garbage.onnx", Data([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])),
        ("wiretype7.onnx", Data([0x0F, 0x01, 0x02])),
        ("empty.onnx", Data()),
    ])
    func notProtobuf(name: String, bytes: Data) throws {
        let url = try writeTemporary(bytes, named: name)
        let error = loadError(url)
        guard case .notProtobuf(let file, _) = error else {
            Issue.record("\(name): expected notProtobuf, got \(String(describing: error))")
            return
        }
        #expect(file == url.path)
        #expect(error?.description.contains(name) == true)
    }

    @Test("a real model cut short at many points is reported as truncated",
          arguments: [2, 7, 100, 4096, 500_000, 1_200_000, 2_342_000])
    func truncated(length: Int) throws {
        let full = try Data(contentsOf: Fixture.onnx("lenet5_w4a4.onnx"))
        #expect(length < full.count)
        let url = try writeTemporary(full.prefix(length), named: "cut_\(length).onnx")
        let error = loadError(url)
        guard case .truncated(let file, _) = error else {
            Issue.record("cut at \(length): expected truncated, got \(String(describing: error))")
            return
        }
        #expect(file == url.path)
        #expect(error?.description.contains("cut_\(length).onnx") == true)
    }

    @Test("a small model truncated at every byte never traps and always names the file")
    func truncatedEverywhere() throws {
        let full = try Data(contentsOf: Fixture.onnx("alexnet_fp32.noweights.onnx"))
        for length in stride(from: 1, to: full.count, by: 97) {
            let error = caught(ONNXImportError.self) {
                _ = try ONNXModel(serializedData: full.prefix(length), sourceFile: "alexnet_cut.onnx")
            }
            let e = try #require(error as ONNXImportError?, "cut at \(length) decoded without error")
            #expect(e.description.hasPrefix("alexnet_cut.onnx: "))
        }
    }

    @Test("a model without a graph")
    func noGraph() throws {
        var b = ModelBuilder()
        b.proto.clearGraph()
        let url = try b.write(named: "nograph.onnx")
        #expect(loadError(url) == .noGraph(file: url.path))
    }

    @Test("a dangling node input names the node, op and tensor")
    func danglingInput() throws {
        var b = ModelBuilder(qonnx: false)
        b.input("x", dims: [1, 3, 8, 8])
        b.initializer(floatTensor("w", dims: [4, 3, 3, 3], values: [], payload: .external))
        b.node("Conv", "conv1", inputs: ["x", "w", "ghost_bias"], outputs: ["y"])
        b.output("y", dims: [1, 4, 6, 6])
        let url = try b.write(named: "dangling.onnx")
        let error = loadError(url)
        #expect(error == .danglingInput(file: url.path, node: "conv1", op: "Conv", input: "ghost_bias"))
        #expect(error?.description.contains("dangling.onnx") == true)
        #expect(error?.description.contains("'conv1' (Conv)") == true)
    }

    @Test("a missing attribute names the file, node, op and attribute")
    func missingAttribute() throws {
        let model = try Fixture.model("lenet5_w4a4.onnx")
        let pool = try #require(model.graph.nodes.first { $0.opType == "MaxPool" })
        let error = caught(ONNXImportError.self) { _ = try pool.ints("kernel_size") }
        #expect(error == .missingAttribute(file: model.sourceFile, node: "MaxPool_0", op: "MaxPool", attribute: "kernel_size"))
        let message = error?.description ?? ""
        #expect(message.contains("lenet5_w4a4.onnx") && message.contains("MaxPool_0") && message.contains("kernel_size"))

        // An unnamed node is named by op and position.
        var b = ModelBuilder(qonnx: false)
        b.node("Constant", "", inputs: [], outputs: ["c"])
        b.node("Relu", "r", inputs: ["c"], outputs: ["y"])
        b.output("y", dims: [1])
        let graph = try b.load(named: "constant.onnx").graph
        let constantError = caught(ONNXImportError.self) { _ = try graph.constant("c") }
        guard case .missingAttribute(let file, let node, let op, let attribute) = constantError else {
            Issue.record("got \(String(describing: constantError))")
            return
        }
        #expect(file.hasSuffix("constant.onnx") && node == "Constant#0" && op == "Constant" && attribute == "value")
    }

    @Test("a Quant whose bitwidth is computed at run time names the Quant node")
    func nonConstantBitwidth() throws {
        var b = ModelBuilder()
        b.input("x", dims: [1, 8])
        b.input("runtime_bits", dims: [])
        b.initializer(floatTensor("w", dims: [8, 4], values: Array(repeating: 0, count: 32)))
        b.quant("q_w", input: "w", output: "wq", bits: 4, signed: true, narrow: true)
        b.scalar("s", 1)
        b.scalar("z", 0)
        b.scalar("one", 1)
        b.node("Add", "bits_plus_one", inputs: ["runtime_bits", "one"], outputs: ["bits"])
        b.node("Quant", "q_act", inputs: ["x", "s", "z", "bits"], outputs: ["xq"], domain: "qonnx.custom_op.general")
        b.node("MatMul", "mm", inputs: ["xq", "wq"], outputs: ["y"])
        b.output("y", dims: [1, 4])
        let url = try b.write(named: "runtime_bits.onnx")
        let model = try ONNXModel.load(contentsOf: url)
        let error = caught(ONNXImportError.self) { _ = try model.layerQuantization() }
        #expect(error == .nonConstantQuantParameter(
            file: url.path, node: "q_act", op: "Quant", parameter: "bitwidth", input: "bits"))
        #expect(error?.description.contains("runtime_bits.onnx") == true)
    }

    @Test("a Quant with a fractional or missing-payload bitwidth names the node",
          arguments: [(Float(2.5), Payload.raw, "2.5"), (Float(4), Payload.external, "externally")])
    func invalidBitwidth(bits: Float, payload: Payload, fragment: String) throws {
        var b = ModelBuilder()
        b.input("x", dims: [1, 8])
        b.scalar("s", 1)
        b.scalar("z", 0)
        b.initializer(floatTensor("bits", dims: [], values: [bits], payload: payload))
        b.node("Quant", "q", inputs: ["x", "s", "z", "bits"], outputs: ["y"], domain: "qonnx.custom_op.general")
        b.output("y", dims: [1, 8])
        let graph = try b.load().graph
        let error = caught(ONNXImportError.self) { _ = try graph.quantizers() }
        guard case .invalidQuantParameter(_, let node, let op, let parameter, let reason) = error else {
            Issue.record("got \(String(describing: error))")
            return
        }
        #expect(node == "q" && op == "Quant" && parameter == "bitwidth")
        #expect(reason.contains(fragment), "\(reason)")
    }

    @Test("a Quant with too few inputs names the missing input")
    func quantMissingInput() throws {
        var b = ModelBuilder()
        b.input("x", dims: [1, 8])
        b.scalar("s", 1)
        b.node("Quant", "q", inputs: ["x", "s"], outputs: ["y"], domain: "qonnx.custom_op.general")
        b.output("y", dims: [1, 8])
        let url = try b.write(named: "short_quant.onnx")
        let error = caught(ONNXImportError.self) { _ = try ONNXModel.load(contentsOf: url).graph.quantizers() }
        #expect(error == .missingInput(file: url.path, node: "q", op: "Quant", index: 2, role: "zero_point"))
    }
}
