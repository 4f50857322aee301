import Foundation

/// A QONNX quantizer node: `Quant`/`IntQuant` (integer quantization), `BipolarQuant` (±scale)
/// or `Trunc` (drops low bits after an average pool).
public struct QONNXQuantizer: Equatable, Sendable {
    /// Which QONNX op.
    public enum Kind: String, Sendable, CaseIterable {
        /// `Quant`, or `IntQuant`, which hwsim reads the same way: integer quantization with scale and zero point.
        case quant = "Quant"
        /// `BipolarQuant`: 1-bit ±scale.
        case bipolarQuant = "BipolarQuant"
        /// `Trunc`: drops low bits of an already quantized tensor (after an average pool).
        case trunc = "Trunc"
    }

    /// The op.
    public let kind: Kind
    /// The node's display name (see ``ONNXNode/displayName``).
    public let node: String
    /// The quantized tensor (input 0).
    public let input: String
    /// The node's output tensor.
    public let output: String
    /// Bit width: the constant `bitwidth` input of Quant, `out_bitwidth` of Trunc, 1 for
    /// BipolarQuant.
    public let bits: Int
    /// Whether the integer grid is signed (`signed` attribute; BipolarQuant: true).
    public let signed: Bool
    /// Whether the grid drops its most negative level, e.g. 4 bits → [-7, 7] (`narrow`
    /// attribute; BipolarQuant: false, since its two levels are ±scale).
    public let narrow: Bool
    /// `rounding_mode` (`ROUND`, `FLOOR`, ...; QONNX's default is `ROUND` for Quant and `FLOOR`
    /// for Trunc); `nil` for BipolarQuant, which has none.
    public let roundingMode: String?
    /// Shape of the `scale` input: `[]` or `[1]` per tensor, e.g. `[C,1,1,1]` per channel.
    public let scaleShape: [Int]
    /// Scale values when the scale is a constant with inline data, else `nil`.
    public let scale: [Double]?
    /// Zero-point values when constant and inline, else `nil` (BipolarQuant: `nil`).
    public let zeroPoint: [Double]?

    /// Number of scale elements (product of ``scaleShape``; 1 for a scalar). Reading the node
    /// checks the shape (``ONNXTensor/shapeProblem(_:)``), so the product cannot overflow.
    public var scaleElementCount: Int { scaleShape.reduce(1) { $0.multipliedReportingOverflow(by: $1).partialValue } }
    /// Whether the scale has more than one element (per-channel or otherwise per-slice).
    public var isPerChannel: Bool { scaleElementCount > 1 }
}

/// Where a compute layer's input activation comes from, traced upstream through MaxPool,
/// AveragePool, Reshape, Flatten, Transpose and Identity.
public enum QONNXActivationSource: Equatable, Sendable {
    /// A QONNX quantizer.
    case quantizer(QONNXQuantizer)
    /// The graph input of that name, unquantized.
    case graphInput(String)
    /// A node that is neither a quantizer nor a pass-through op: the activation is unquantized
    /// as far as QONNX says.
    case op(node: String, opType: String)
    /// A constant tensor (initializer or Constant node).
    case constant(String)

    /// The quantizer, or `nil` ("none") for every other source.
    public var quantizer: QONNXQuantizer? {
        if case .quantizer(let q) = self { return q }
        return nil
    }
}

/// How a layer's weights are to be interpreted. QONNX itself only has integer (uniform)
/// quantizers; `pot` / `post` come from hwsim's own marks (see docs/model-import.md).
public enum QONNXWeightScheme: String, Sendable, CaseIterable {
    /// Uniform integer levels, QONNX's own meaning of Quant.
    case uniform
    /// Power-of-two levels at the Quant's bitwidth.
    case pot
    /// Powers of √2 at the Quant's bitwidth.
    case post
}

/// The quantization of one compute node (Conv, Gemm or MatMul).
public struct QONNXLayerQuantization: Equatable, Sendable {
    /// The compute node.
    public let node: ONNXNode
    /// The activation operand: input 0, or input 1 of a Gemm/MatMul whose constant operand is A.
    public let inputTensor: String
    /// The weight initializer's name (after Identity aliases), or `nil` when no operand is constant.
    public let weightTensor: String?
    /// The weight quantizer (the Quant/BipolarQuant whose input 0 is the weight initializer);
    /// `nil` for float weights.
    public let weight: QONNXQuantizer?
    /// The weight scheme: `.uniform` unless marked `pot`/`post`.
    public let weightScheme: QONNXWeightScheme
    /// The nearest upstream source of the input activation.
    public let input: QONNXActivationSource

    /// The input activation quantizer, or `nil` for "none".
    public var inputQuantizer: QONNXQuantizer? { input.quantizer }
}

/// QONNX constants.
public enum QONNX {
    /// Domains whose `Quant`, `BipolarQuant` and `Trunc` nodes are QONNX quantizers: QONNX's
    /// own, FINN's older name for it, and Brevitas' pre-cleanup export domain.
    public static let domains: Set<String> = ["qonnx.custom_op.general", "finn.custom_op.general", "onnx.brevitas"]
    /// Compute ops whose quantization ``ONNXModel/layerQuantization()`` reports.
    public static let computeOps: Set<String> = ["Conv", "Gemm", "MatMul"]
    /// Ops an activation is traced through to find its quantizer.
    public static let activationPassThroughOps: Set<String> = [
        "MaxPool", "AveragePool", "Reshape", "Flatten", "Transpose", "Identity",
    ]
    /// Ops a weight is traced through from a compute node to its quantizer.
    static let weightPassThroughOps: Set<String> = ["Identity", "Transpose", "Reshape"]
    /// Prefix of the `metadata_props` keys that mark weights as POT/POST; the rest of the key
    /// names a compute node, weight initializer or weight Quant node.
    public static let weightSchemeMetadataPrefix = "hwsim.weight_scheme."
    /// `metadata_props` key giving the scheme of every Quant-quantized weight not marked more
    /// specifically.
    public static let weightSchemeMetadataDefaultKey = "hwsim.weight_scheme"
    /// STRING node attribute, on a compute node or its weight's Quant node, with the same meaning.
    public static let weightSchemeAttribute = "hwsim_weight_scheme"
}

extension ONNXNode {
    /// The QONNX quantizer kind of this node, or `nil` when it is not a quantizer. `IntQuant`,
    /// QONNX's newer name for `Quant`, is a `.quant`.
    public var qonnxQuantizerKind: QONNXQuantizer.Kind? {
        guard QONNX.domains.contains(domain) else { return nil }
        if opType == "IntQuant" { return .quant }
        return QONNXQuantizer.Kind(rawValue: opType)
    }

    var isDefaultDomain: Bool { domain.isEmpty || domain == "ai.onnx" }
}

extension ONNXImportError {
    /// The message without the leading `file: `, for nesting in another error.
    var messageWithoutFile: String {
        let text = description
        if let range = text.range(of: ": ") { return String(text[range.upperBound...]) }
        return text
    }
}

extension ONNXGraph {
    /// Whether any node is a QONNX quantizer.
    public var hasQONNXQuantizers: Bool { nodes.contains { $0.qonnxQuantizerKind != nil } }

    /// Reads a QONNX quantizer node; `nil` when `node` is not one.
    /// - Throws: ``ONNXImportError/nonConstantQuantParameter(file:node:op:parameter:input:)`` when
    ///   the bitwidth is computed at run time, ``ONNXImportError/invalidQuantParameter(file:node:op:parameter:reason:)``
    ///   when it is not a whole number from 1 to 32 or has no inline value, and input/attribute
    ///   errors naming the node.
    public func quantizer(for node: ONNXNode) throws(ONNXImportError) -> QONNXQuantizer? {
        guard let kind = node.qonnxQuantizerKind else { return nil }
        let x = try node.requireInput(0, role: "x")
        let output = node.outputs.first ?? ""
        let scaleName = try node.requireInput(1, role: "scale")
        let scaleShape = try parameterShape(scaleName, parameter: "scale", of: node)
        let scale = try optionalValues(scaleName)
        switch kind {
        case .bipolarQuant:
            return QONNXQuantizer(
                kind: kind, node: node.displayName, input: x, output: output, bits: 1, signed: true,
                narrow: false, roundingMode: nil, scaleShape: scaleShape, scale: scale, zeroPoint: nil)
        case .quant, .trunc:
            let zeroPointName = try node.requireInput(2, role: "zero_point")
            let bitsIndex: Int
            let bitsParameter: String
            if kind == .quant {
                (bitsIndex, bitsParameter) = (3, "bitwidth")
            } else {
                // Trunc v2: [x, scale, zero_point, in_bitwidth, out_scale, out_bitwidth];
                // v1: [x, scale, zero_point, in_bitwidth, out_bitwidth].
                (bitsIndex, bitsParameter) = (node.inputs.count >= 6 ? 5 : 4, "out_bitwidth")
            }
            let bitsName = try node.requireInput(bitsIndex, role: bitsParameter)
            let bits = try constantBits(bitsName, parameter: bitsParameter, of: node)
            return QONNXQuantizer(
                kind: kind, node: node.displayName, input: x, output: output, bits: bits,
                signed: try node.int("signed", default: 1) != 0,
                narrow: try node.int("narrow", default: 0) != 0,
                // QONNX defaults: Quant rounds to nearest, Trunc floors.
                roundingMode: try node.string("rounding_mode", default: kind == .quant ? "ROUND" : "FLOOR"),
                scaleShape: scaleShape, scale: scale, zeroPoint: try optionalValues(zeroPointName))
        }
    }

    /// Every QONNX quantizer in node order. Reading them all validates every Quant node, so a
    /// non-constant bitwidth anywhere is reported.
    public func quantizers() throws(ONNXImportError) -> [QONNXQuantizer] {
        var result = [QONNXQuantizer]()
        for node in nodes {
            if let q = try quantizer(for: node) { result.append(q) }
        }
        return result
    }

    private func constantBits(_ tensor: String, parameter: String, of node: ONNXNode) throws(ONNXImportError) -> Int {
        guard let constant = try constant(tensor) else {
            throw .nonConstantQuantParameter(
                file: sourceFile, node: node.displayName, op: node.opType, parameter: parameter, input: tensor)
        }
        let value: Double
        do {
            value = try constant.scalarValue()
        } catch {
            throw .invalidQuantParameter(
                file: sourceFile, node: node.displayName, op: node.opType, parameter: parameter,
                reason: error.messageWithoutFile)
        }
        guard value.isFinite, value.rounded() == value, value >= 1, value <= 32 else {
            throw .invalidQuantParameter(
                file: sourceFile, node: node.displayName, op: node.opType, parameter: parameter,
                reason: "\(value) is not a whole number of bits from 1 to 32")
        }
        return Int(value)
    }

    private func parameterShape(_ tensor: String, parameter: String, of node: ONNXNode) throws(ONNXImportError) -> [Int] {
        var found: [Int]?
        if let constant = try constant(tensor) {
            found = constant.dims
        } else if let shape = valueInfo(for: tensor)?.concreteShape {
            found = shape
        }
        if let found {
            if let problem = ONNXTensor.shapeProblem(found) {
                throw .invalidQuantParameter(
                    file: sourceFile, node: node.displayName, op: node.opType, parameter: parameter, reason: problem)
            }
            return found
        }
        throw .unknownShape(file: sourceFile, tensor: tensor, neededBy: "\(parameter) of node '\(node.displayName)' (\(node.opType))")
    }

    private func optionalValues(_ tensor: String) throws(ONNXImportError) -> [Double]? {
        guard let constant = try constant(tensor), constant.hasPayload else { return nil }
        // Scale and zero-point values are informational: unreadable ones are absent (nil), as documented.
        return try? constant.values()
    }

    /// Follows pass-through ops upstream from `tensor` to the first node not in `passThrough`.
    func traceUpstream(from tensor: String, through passThrough: Set<String>) -> (tensor: String, producer: ONNXNode?) {
        var name = tensor
        var seen = Set<String>()
        while seen.insert(name).inserted {
            if initializer(named: name) != nil { return (name, nil) }
            guard let node = producer(of: name) else { return (name, nil) }
            guard node.isDefaultDomain, passThrough.contains(node.opType), let next = node.input(0) else {
                return (name, node)
            }
            name = next
        }
        return (name, nil)
    }
}

extension ONNXModel {
    /// Whether the model imports a QONNX domain or contains QONNX quantizer nodes.
    public var isQONNX: Bool {
        opsetImports.contains { QONNX.domains.contains($0.domain) } || graph.hasQONNXQuantizers
    }

    /// The quantization of every Conv, Gemm and MatMul node, in node order: weight quantizer,
    /// input activation source, signedness, narrow range, per-tensor/per-channel scale and the
    /// hwsim weight scheme. Plain ONNX models yield float weights and no activation quantizers.
    /// - Throws: quantizer errors (see ``ONNXGraph/quantizer(for:)``) for any quantizer in the
    ///   graph, and ``ONNXImportError/invalidWeightSchemeMark(file:key:reason:)`` for a bad mark.
    public func layerQuantization() throws(ONNXImportError) -> [QONNXLayerQuantization] {
        let graph = self.graph
        var byOutput = [String: QONNXQuantizer]()
        for q in try graph.quantizers() { byOutput[q.output] = q }

        struct Partial {
            var node: ONNXNode
            var weightTensor: String?
            var weight: QONNXQuantizer?
            var inputTensor: String
            var input: QONNXActivationSource
        }
        var partials = [Partial]()

        func weightInfo(_ tensor: String) throws(ONNXImportError) -> (name: String, quantizer: QONNXQuantizer?)? {
            let (end, producer) = graph.traceUpstream(from: tensor, through: QONNX.weightPassThroughOps)
            if let constant = try graph.constant(end), producer == nil || producer?.opType == "Constant" {
                return (constant.name, nil)
            }
            guard let producer, let q = byOutput[end], producer.qonnxQuantizerKind != .trunc,
                  let source = producer.input(0), let constant = try graph.constant(source) else { return nil }
            return (constant.name, q)
        }

        for node in graph.nodes where node.isDefaultDomain && QONNX.computeOps.contains(node.opType) {
            var activationTensor = try node.requireInput(0, role: node.opType == "Conv" ? "X" : "A")
            var weight: (name: String, quantizer: QONNXQuantizer?)?
            if node.opType == "Conv" {
                weight = try weightInfo(try node.requireInput(1, role: "W"))
            } else {
                let b = try node.requireInput(1, role: "B")
                if let w = try weightInfo(b) {
                    weight = w
                } else if let w = try weightInfo(activationTensor) {
                    weight = w
                    activationTensor = b
                }
            }
            partials.append(Partial(
                node: node, weightTensor: weight?.name, weight: weight?.quantizer, inputTensor: activationTensor,
                input: activationSource(activationTensor, quantizers: byOutput)))
        }

        let schemes = try weightSchemes(for: partials.map { ($0.node, $0.weightTensor, $0.weight) })
        return partials.enumerated().map { i, p in
            QONNXLayerQuantization(
                node: p.node, inputTensor: p.inputTensor, weightTensor: p.weightTensor, weight: p.weight, weightScheme: schemes[i], input: p.input)
        }
    }

    private func activationSource(_ tensor: String, quantizers: [String: QONNXQuantizer]) -> QONNXActivationSource {
        let (end, producer) = graph.traceUpstream(from: tensor, through: QONNX.activationPassThroughOps)
        guard let producer else {
            return graph.initializer(named: end) != nil ? .constant(end) : .graphInput(end)
        }
        if let q = quantizers[end] { return .quantizer(q) }
        if producer.opType == "Constant" && producer.isDefaultDomain { return .constant(end) }
        return .op(node: producer.displayName, opType: producer.opType)
    }

}
