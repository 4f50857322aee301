import Foundation
import HWModel

/// Sequence-model ops: Gather from a constant table (embedding) and LSTM.
extension NetworkImportBuilder {
    mutating func gather(_ node: ONNXNode) throws(ONNXImportError) {
        let dataName = try node.requireInput(0, role: "data")
        if isDynamic(dataName) {
            throw unsupported(node, "it gathers from a computed tensor; hwsim maps Gather from a constant table (embedding) only")
        }
        let table = try requireStaticShape(node, 0, role: "data")
        guard table.count == 2 else {
            throw unsupported(node, "its table has shape \(table); an embedding table is [vocabulary, dimension]")
        }
        guard try node.int("axis", default: 0) == 0 else {
            throw unsupported(node, "it gathers along axis \(try node.int("axis", default: 0)); an embedding looks up rows (axis 0)")
        }
        let indices = try activation(node, 1, role: "indices")
        guard hwShape(indices).count == 1 else {
            throw unsupported(node, "indices \(onnxShape(indices)) are not a [batch, T] sequence of token ids")
        }
        let name = try emit(
            node, kind: .embedding(Embedding(vocabulary: table[0], dimension: table[1])), inputs: [indices],
            output: node.outputs.first, batchAxis: indices.batchAxis)
        layerForNode[node.index] = name
    }

    mutating func lstm(_ node: ONNXNode) throws(ONNXImportError) {
        let x = try activation(node, 0, role: "X")
        let weight = try requireStaticShape(node, 1, role: "W")
        let recurrent = try requireStaticShape(node, 2, role: "R")
        let layout = try node.int("layout", default: 0)
        guard weight.count == 3, recurrent.count == 3 else {
            throw unsupported(node, "W \(weight) and R \(recurrent) must be [directions, 4·hidden, ·]")
        }
        let hidden = try node.int("hidden_size", default: recurrent[2])
        let direction = try node.string("direction", default: "forward").lowercased()
        let directions = direction == "bidirectional" ? 2 : 1
        // hidden_size is any int64 from the file: 4·hidden must not overflow.
        guard hidden >= 1, hidden <= ONNXTensor.maximumDimension, weight[0] == directions, weight[1] == 4 * hidden,
              recurrent[1] == 4 * hidden, recurrent[2] == hidden else {
            throw unsupported(node, "W \(weight) and R \(recurrent) do not fit hidden_size \(hidden) and direction '\(direction)'")
        }
        let input = hwShape(x)
        guard input.count == 2, x.batchAxis == (layout == 0 ? 1 : 0) else {
            throw unsupported(node, "input X \(onnxShape(x)) is not a [seq, batch, features] (layout 0) or [batch, seq, features] (layout 1) sequence")
        }
        guard weight[2] == input[1] else {
            throw unsupported(node, "W \(weight) expects \(weight[2]) input features, but X has \(input[1])")
        }
        func used(_ position: Int) -> Bool {
            guard position < node.outputs.count, !node.outputs[position].isEmpty else { return false }
            let name = node.outputs[position]
            return !graph.consumers(of: name).isEmpty || graph.outputs.contains { $0.name == name }
        }
        if used(2) { throw unsupported(node, "its cell state Y_c is used; hwsim models the LSTM's hidden outputs only") }
        if used(0) && used(1) {
            throw unsupported(node, "both Y (every step) and Y_h (last step) are used; an hwsim lstm layer emits one of them")
        }
        let sequences = !used(1)
        let kind = LayerKind.lstm(LSTM(
            hiddenSize: hidden, returnSequences: sequences, bidirectional: directions == 2,
            biasVectors: node.input(3) == nil ? 0 : 2))
        let name = try emit(node, kind: kind, inputs: [x], output: nil, batchAxis: 0)
        layerForNode[node.index] = name
        let lstmOutput = ImportedTensor(layer: name, batchAxis: 0)
        // hwsim's lstm emits [T, directions·H] or [directions·H]; ONNX's Y is [T, directions, batch, H]
        // (layout 0) and Y_h [directions, batch, H]: a reshape restores the ONNX layout.
        if sequences, used(0) {
            try emit(
                node, name: "\(name)/Y", kind: .reshape([input[0], directions, hidden]), inputs: [lstmOutput],
                output: node.outputs[0], batchAxis: layout == 0 ? 2 : 0)
        } else if !sequences {
            try emit(
                node, name: "\(name)/Y_h", kind: .reshape([directions, hidden]), inputs: [lstmOutput],
                output: node.outputs[1], batchAxis: layout == 0 ? 1 : 0)
        }
    }
}
