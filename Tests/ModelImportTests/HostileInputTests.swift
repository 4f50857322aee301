import Foundation
import Testing

@testable import ModelImport

/// Regression tests for the classes of input a fuzzer (mutated ONNX, QONNX and SCALE-Sim files)
/// found trapping: each must now be one typed error naming the file and the node, field or line.
@Suite("Hostile input: typed errors, never a trap")
struct HostileInputTests {
    private func importError(_ builder: ModelBuilder, _ name: String) -> ONNXImportError? {
        caught(ONNXImportError.self) { _ = try builder.load(named: name).importNetwork() }
    }

    /// x[1, 4, 8, 8] → Conv(w) with the given weight dims and attributes.
    private func conv(weight: [Int], attributes: [Onnx_AttributeProto] = [], input: [Int] = [1, 4, 8, 8]) -> ModelBuilder {
        var b = ModelBuilder(qonnx: false)
        b.input("x", dims: input)
        b.initializer(floatTensor("w", dims: weight, values: [], payload: .external))
        b.node("Conv", "conv", inputs: ["x", "w"], outputs: ["y"], attributes: attributes)
        b.output("y", dims: [])
        return b
    }

    @Test("Conv group whose product with the weight's channels overflows 64 bits")
    func convGroupOverflow() {
        let error = importError(conv(weight: [4, 2, 3, 3], attributes: [attribute("group", int: 1 << 62)]), "group.onnx")
        guard case .unsupportedNode(let file, let node, _, let reason) = error else {
            Issue.record("got \(String(describing: error))"); return
        }
        #expect(file.hasSuffix("group.onnx") && node == "conv")
        #expect(reason.contains("more than 2^63"))
        let negative = importError(conv(weight: [4, 2, 3, 3], attributes: [attribute("group", int: -3)]), "negative_group.onnx")
        #expect(negative?.description.contains("group=-3 must be at least 1") == true)
    }

    @Test("weight dims of 0, −1, 2^31 or 2^62", arguments: [[4, 0, 3, 3], [4, -1, 3, 3], [1 << 31, 4, 3, 3], [1 << 62, 4, 1, 1]])
    func hostileWeightDims(dims: [Int]) {
        let error = importError(conv(weight: dims), "dims.onnx")
        guard case .unsupportedNode(_, let node, let op, _) = error else {
            Issue.record("\(dims): got \(String(describing: error))"); return
        }
        #expect(node == "conv" && op == "Conv")
    }

    @Test("graph input whose dims multiply past 2^40 or exceed 2^31 − 1",
          arguments: [[1, 1 << 20, 1 << 20, 2], [1, 3, 1 << 31, 1], [1, 1 << 30, 1 << 30, 1 << 30]])
    func hugeInput(dims: [Int]) {
        let error = importError(conv(weight: [4, 4, 1, 1], input: dims), "input.onnx")
        guard case .unsupportedInput(let file, let input, _) = error else {
            Issue.record("\(dims): got \(String(describing: error))"); return
        }
        #expect(file.hasSuffix("input.onnx") && input == "x")
    }

    @Test("strides, dilations and pads far beyond any tensor are errors on the node")
    func hugeWindowAttributes() {
        for attr in [attribute("strides", ints: [1 << 62, 1]), attribute("dilations", ints: [1 << 40, 1 << 40]),
                     attribute("pads", ints: [Int.max, 0, 0, 0]), attribute("strides", ints: [1])] {
            let error = importError(conv(weight: [4, 4, 3, 3], attributes: [attr]), "window.onnx")
            guard case .unsupportedNode(_, let node, _, _) = error else {
                Issue.record("\(attr.name): got \(String(describing: error))"); continue
            }
            #expect(node == "conv")
        }
    }

    @Test("a convolution whose output would exceed 2^40 elements")
    func hugeOutput() {
        // 2^20 channels over a 2^11 × 2^11 input: every dim fits, the 2^42-element output does not.
        let error = importError(conv(weight: [1 << 20, 1, 1, 1], input: [1, 1, 1 << 11, 1 << 11]), "output.onnx")
        guard case .invalidNetwork(_, let node, _, let reason) = error else {
            Issue.record("got \(String(describing: error))"); return
        }
        #expect(node == "conv" && reason.contains("2^40"))
    }

    @Test("Reshape targets that are NaN, ±∞, fractional or beyond 2^53")
    func reshapeTargets() {
        for target: Float in [.nan, .infinity, 2.5, 1e30] {
            var b = ModelBuilder(qonnx: false)
            b.input("x", dims: [1, 4, 2, 2])
            b.initializer(floatTensor("shape", dims: [2], values: [1, target]))
            b.node("Reshape", "reshape", inputs: ["x", "shape"], outputs: ["y"])
            b.output("y", dims: [])
            let error = importError(b, "reshape.onnx")
            guard case .unsupportedNode(_, let node, _, let reason) = error else {
                Issue.record("\(target): got \(String(describing: error))"); continue
            }
            #expect(node == "reshape" && reason.contains("not a whole number"))
        }
    }

    @Test("LSTM hidden_size whose 4× overflows")
    func lstmHiddenOverflow() {
        var b = ModelBuilder(qonnx: false)
        b.input("x", dims: [1, 5, 8])
        b.initializer(floatTensor("W", dims: [1, 64, 8], values: [], payload: .external))
        b.initializer(floatTensor("R", dims: [1, 64, 16], values: [], payload: .external))
        b.node("LSTM", "lstm", inputs: ["x", "W", "R"], outputs: ["y"], attributes: [
            attribute("hidden_size", int: 1 << 62), attribute("layout", int: 1),
        ])
        b.output("y", dims: [])
        let error = importError(b, "lstm.onnx")
        guard case .unsupportedNode(_, let node, _, _) = error else {
            Issue.record("got \(String(describing: error))"); return
        }
        #expect(node == "lstm")
    }

    @Test("a QONNX scale whose element count overflows is an unusable quantizer parameter")
    func qonnxScaleShape() throws {
        var b = ModelBuilder()
        b.input("x", dims: [1, 4])
        b.initializer(floatTensor("w", dims: [4, 4], values: [Float](repeating: 0.1, count: 16)))
        b.initializer(floatTensor("q_scale", dims: [1 << 32, 1 << 32], values: [], payload: .external))
        b.scalar("q_zp", 0)
        b.scalar("q_bits", 4)
        b.node("Quant", "q", inputs: ["w", "q_scale", "q_zp", "q_bits"], outputs: ["wq"], domain: "qonnx.custom_op.general")
        b.node("MatMul", "mm", inputs: ["x", "wq"], outputs: ["y"])
        b.output("y", dims: [1, 4])
        let error = caught(ONNXImportError.self) { _ = try b.load(named: "scale.onnx").layerQuantization() }
        guard case .invalidQuantParameter(_, let node, _, let parameter, _) = error else {
            Issue.record("got \(String(describing: error))"); return
        }
        #expect(node == "q" && parameter == "scale")
    }

    @Test("a node name with control characters and 10,000 characters stays one short line")
    func hostileNames() {
        var b = conv(weight: [4, 2, 3, 3])
        b.proto.graph.node[0].name = "evil\n\u{1b}[31m" + String(repeating: "n", count: 10_000)
        let message = importError(b, "names.onnx")?.description ?? ""
        #expect(!message.contains("\n") && !message.contains("\u{1b}"))
        #expect(message.count < 400 && message.contains("(10010 characters)"))
    }
}

@Suite("Hostile SCALE-Sim CSV: typed errors naming the line")
struct HostileSCALESimTests {
    private let header = "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,"

    private func error(_ csv: String) -> SCALESimError? {
        caught(SCALESimError.self) { _ = try SCALESimInput(csv: csv, sourceFile: "t.csv").network() }
    }

    @Test("cells beyond 2^31 − 1 or beyond 64 bits", arguments: ["2147483648", "9223372036854775807", "99999999999999999999"])
    func hugeCells(cell: String) {
        let result = error("\(header)\nConv1,224,224,3,3,\(cell),64,1,\n")
        #expect(result == .cellTooLarge(file: "t.csv", line: 2, column: "Channels", text: cell))
        #expect(result?.description.hasPrefix("t.csv:2: column 'Channels'") == true)
    }

    @Test("a row whose IFMAP or filters exceed 2^40 elements")
    func hugeRow() {
        guard case .invalidLayer(_, let line, let reason) = error("\(header)\nConv1,65536,65536,3,3,1048576,64,1,\n") else {
            Issue.record("expected invalidLayer"); return
        }
        #expect(line == 2 && reason.contains("2^40"))
        guard case .invalidLayer(let file, 3, _) = error("Layer Name, M, N, K,\ng,4,4,4,\nh,2147483647,2147483647,1,\n") else {
            Issue.record("expected invalidLayer on line 3"); return
        }
        #expect(file == "t.csv")
    }

    @Test("what used to overflow ofmap arithmetic now fails at the cell")
    func ofmapOverflow() {
        let result = error("\(header)\nConv1,9223372036854775807,224,3,3,3,64,9223372036854775807,\n")
        #expect(result == .cellTooLarge(file: "t.csv", line: 2, column: "IFMAP Height", text: "9223372036854775807"))
    }

    @Test("zero, negative, non-numeric and missing cells, and extra cells")
    func otherCells() {
        #expect(error("\(header)\nConv1,0,224,3,3,3,64,1,\n") == .nonPositiveCell(file: "t.csv", line: 2, column: "IFMAP Height", value: 0))
        #expect(error("\(header)\nConv1,-5,224,3,3,3,64,1,\n") == .nonPositiveCell(file: "t.csv", line: 2, column: "IFMAP Height", value: -5))
        #expect(error("\(header)\nConv1,1e3,224,3,3,3,64,1,\n") == .nonNumericCell(file: "t.csv", line: 2, column: "IFMAP Height", text: "1e3"))
        #expect(error("\(header)\nConv1,224,224,3\n") == .missingCell(file: "t.csv", line: 2, column: "Filter Width"))
        #expect(error("\(header)\nConv1,8,8,3,3,3,4,1,5,6,7,8\n") == nil)
    }
}
