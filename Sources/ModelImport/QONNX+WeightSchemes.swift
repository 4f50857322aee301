import Foundation
import Quantizers

extension ONNXModel {
    /// Resolves hwsim's POT/POST marks for each layer (node, weight initializer, weight quantizer).
    func weightSchemes(
        for layers: [(node: ONNXNode, weightTensor: String?, weight: QONNXQuantizer?)]
    ) throws(ONNXImportError) -> [QONNXWeightScheme] {
        func parse(_ text: String, key: String) throws(ONNXImportError) -> QONNXWeightScheme {
            let normalized = text.trimmingCharacters(in: .whitespaces).lowercased()
            guard let scheme = QONNXWeightScheme(rawValue: normalized) else {
                throw .invalidWeightSchemeMark(
                    file: sourceFile, key: key,
                    reason: "value '\(text)' is not one of \(QONNXWeightScheme.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return scheme
        }

        // Metadata marks by target name.
        var metadataMarks = [String: (key: String, scheme: QONNXWeightScheme)]()
        var defaultScheme: QONNXWeightScheme?
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            if key == QONNX.weightSchemeMetadataDefaultKey {
                defaultScheme = try parse(value, key: key)
            } else if key.hasPrefix(QONNX.weightSchemeMetadataPrefix) {
                let target = String(key.dropFirst(QONNX.weightSchemeMetadataPrefix.count))
                guard !target.isEmpty else {
                    throw .invalidWeightSchemeMark(
                        file: sourceFile, key: key, reason: "the key names no node or weight after the prefix")
                }
                metadataMarks[target] = (key, try parse(value, key: key))
            }
        }
        var usedTargets = Set<String>()
        var result = [QONNXWeightScheme]()
        for layer in layers {
            var marks = [(key: String, scheme: QONNXWeightScheme)]()
            let quantNode = layer.weight.flatMap { q in graph.nodes.first { $0.displayName == q.node } }
            for node in [layer.node, quantNode].compactMap({ $0 }) where node.hasAttribute(QONNX.weightSchemeAttribute) {
                let key = "attribute \(QONNX.weightSchemeAttribute) of node '\(node.displayName)'"
                marks.append((key, try parse(try node.string(QONNX.weightSchemeAttribute), key: key)))
            }
            for target in [layer.node.name, layer.weightTensor, layer.weight?.node].compactMap({ $0 }) where !target.isEmpty {
                if let mark = metadataMarks[target] {
                    usedTargets.insert(target)
                    marks.append(mark)
                }
            }
            let distinct = Set(marks.map(\.scheme))
            if distinct.count > 1 {
                throw .invalidWeightSchemeMark(
                    file: sourceFile, key: marks.map(\.key).joined(separator: " / "),
                    reason: "marks for node '\(layer.node.displayName)' disagree ("
                        + marks.map { "\($0.key) = \($0.scheme.rawValue)" }.joined(separator: ", ") + ")")
            }
            if let explicit = marks.first {
                if explicit.scheme != .uniform && layer.weight?.kind != .quant {
                    throw .invalidWeightSchemeMark(
                        file: sourceFile, key: explicit.key,
                        reason: "node '\(layer.node.displayName)' has "
                            + (layer.weight == nil ? "no weight Quant node" : "BipolarQuant (binary) weights")
                            + "; \(explicit.scheme.rawValue) needs the bitwidth of a Quant node on the weight")
                }
                result.append(explicit.scheme)
            } else if let defaultScheme, layer.weight?.kind == .quant {
                result.append(defaultScheme)
            } else {
                result.append(.uniform)
            }
        }
        if let unused = metadataMarks.keys.filter({ !usedTargets.contains($0) }).sorted().first,
           let mark = metadataMarks[unused] {
            throw .invalidWeightSchemeMark(
                file: sourceFile, key: mark.key,
                reason: "'\(unused)' is not the name of a Conv/Gemm/MatMul node, its weight initializer or its weight Quant node")
        }
        return result
    }
}
