import Foundation
import Testing

@testable import ModelImport

/// Fixture files copied into the test bundle (see Fixtures/README.md).
enum Fixture {
    static func url(_ relativePath: String) throws -> URL {
        let base = try #require(Bundle.module.resourceURL, "test bundle has no resource directory")
        let url = base.appendingPathComponent("Fixtures").appendingPathComponent(relativePath)
        try #require(FileManager.default.fileExists(atPath: url.path), "missing fixture \(relativePath)")
        return url
    }

    static func onnx(_ name: String) throws -> URL { try url("onnx/\(name)") }
    static func scalesim(_ name: String) throws -> URL { try url("scalesim/\(name)") }

    static func model(_ name: String) throws -> ONNXModel { try ONNXModel.load(contentsOf: onnx(name)) }

    /// The decoded protobuf of a fixture, for tests that derive variants of a real file.
    static func proto(_ name: String) throws -> Onnx_ModelProto {
        try Onnx_ModelProto(serializedBytes: Data(contentsOf: onnx(name)))
    }
}

/// A fresh temporary directory per test, removed by the caller when it wants.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("hwsim-modelimport-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Writes `data` to a temporary file named `name` and returns its URL.
func writeTemporary(_ data: Data, named name: String) throws -> URL {
    let url = try temporaryDirectory().appendingPathComponent(name)
    try data.write(to: url)
    return url
}

/// Runs `body` and returns the error of type `E` it throws, or `nil`; an error of another type
/// is recorded as a test issue.
func caught<E: Error>(_ errorType: E.Type, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) -> E? {
    do {
        try body()
        return nil
    } catch let error as E {
        return error
    } catch {
        Issue.record("expected \(E.self), got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

// MARK: Building small ONNX models in code

func attribute(_ name: String, int value: Int) -> Onnx_AttributeProto {
    var a = Onnx_AttributeProto()
    a.name = name
    a.type = .int
    a.i = Int64(value)
    return a
}

func attribute(_ name: String, ints values: [Int]) -> Onnx_AttributeProto {
    var a = Onnx_AttributeProto()
    a.name = name
    a.type = .ints
    a.ints = values.map { Int64($0) }
    return a
}

func attribute(_ name: String, string value: String) -> Onnx_AttributeProto {
    var a = Onnx_AttributeProto()
    a.name = name
    a.type = .string
    a.s = Data(value.utf8)
    return a
}

func attribute(_ name: String, float value: Float) -> Onnx_AttributeProto {
    var a = Onnx_AttributeProto()
    a.name = name
    a.type = .float
    a.f = value
    return a
}

func attribute(_ name: String, tensor: Onnx_TensorProto) -> Onnx_AttributeProto {
    var a = Onnx_AttributeProto()
    a.name = name
    a.type = .tensor
    a.t = tensor
    return a
}

/// How a test tensor stores its values.
enum Payload {
    case raw, typed, external, none
}

func floatTensor(_ name: String, dims: [Int], values: [Float], payload: Payload = .raw) -> Onnx_TensorProto {
    var t = Onnx_TensorProto()
    t.name = name
    t.dims = dims.map { Int64($0) }
    t.dataType = 1
    switch payload {
    case .raw:
        var data = Data()
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        t.rawData = data
    case .typed:
        t.floatData = values
    case .external:
        t.dataLocation = .external
        var entry = Onnx_StringStringEntryProto()
        entry.key = "location"
        entry.value = "weights.bin"
        t.externalData = [entry]
    case .none:
        break
    }
    return t
}

func int64Tensor(_ name: String, dims: [Int], values: [Int64], raw: Bool) -> Onnx_TensorProto {
    var t = Onnx_TensorProto()
    t.name = name
    t.dims = dims.map { Int64($0) }
    t.dataType = 7
    if raw {
        var data = Data()
        for v in values { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
        t.rawData = data
    } else {
        t.int64Data = values
    }
    return t
}

func valueInfo(_ name: String, dims: [Int]) -> Onnx_ValueInfoProto {
    var v = Onnx_ValueInfoProto()
    v.name = name
    var tensor = Onnx_TypeProto.Tensor()
    tensor.elemType = 1
    var shape = Onnx_TensorShapeProto()
    shape.dim = dims.map { d in
        var dim = Onnx_TensorShapeProto.Dimension()
        dim.dimValue = Int64(d)
        return dim
    }
    tensor.shape = shape
    v.type.tensorType = tensor
    return v
}

/// A small model under construction; QONNX-style by default (ai.onnx 13 + qonnx domain).
struct ModelBuilder {
    var proto = Onnx_ModelProto()

    init(qonnx: Bool = true) {
        proto.irVersion = 8
        proto.producerName = "hwsim-tests"
        var onnx = Onnx_OperatorSetIdProto()
        onnx.domain = ""
        onnx.version = 13
        proto.opsetImport = [onnx]
        if qonnx {
            var q = Onnx_OperatorSetIdProto()
            q.domain = "qonnx.custom_op.general"
            q.version = 2
            proto.opsetImport.append(q)
        }
        proto.graph.name = "test"
    }

    mutating func input(_ name: String, dims: [Int]) { proto.graph.input.append(valueInfo(name, dims: dims)) }
    mutating func output(_ name: String, dims: [Int]) { proto.graph.output.append(valueInfo(name, dims: dims)) }
    mutating func initializer(_ tensor: Onnx_TensorProto) { proto.graph.initializer.append(tensor) }
    mutating func scalar(_ name: String, _ value: Float) { initializer(floatTensor(name, dims: [], values: [value])) }
    mutating func metadata(_ key: String, _ value: String) {
        var entry = Onnx_StringStringEntryProto()
        entry.key = key
        entry.value = value
        proto.metadataProps.append(entry)
    }

    mutating func node(
        _ op: String, _ name: String, inputs: [String], outputs: [String], domain: String = "",
        attributes: [Onnx_AttributeProto] = []
    ) {
        var n = Onnx_NodeProto()
        n.opType = op
        n.name = name
        n.input = inputs
        n.output = outputs
        n.domain = domain
        n.attribute = attributes
        proto.graph.node.append(n)
    }

    /// A QONNX Quant node with constant scale/zero-point/bitwidth initializers named after it.
    mutating func quant(
        _ name: String, input: String, output: String, bits: Float, signed: Bool, narrow: Bool,
        scaleDims: [Int] = [], extraAttributes: [Onnx_AttributeProto] = []
    ) {
        let count = scaleDims.reduce(1, *)
        initializer(floatTensor("\(name)_scale", dims: scaleDims, values: Array(repeating: 0.5, count: count)))
        scalar("\(name)_zp", 0)
        scalar("\(name)_bits", bits)
        node(
            "Quant", name, inputs: [input, "\(name)_scale", "\(name)_zp", "\(name)_bits"], outputs: [output],
            domain: "qonnx.custom_op.general",
            attributes: [
                attribute("signed", int: signed ? 1 : 0), attribute("narrow", int: narrow ? 1 : 0),
                attribute("rounding_mode", string: "ROUND"),
            ] + extraAttributes)
    }

    func data() throws -> Data { try proto.serializedBytes() }

    func write(named name: String = "synthetic.onnx") throws -> URL { try writeTemporary(data(), named: name) }

    func load(named name: String = "synthetic.onnx") throws -> ONNXModel {
        try ONNXModel.load(contentsOf: write(named: name))
    }
}
