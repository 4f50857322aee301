import HWModel

/// One GEMM shape a layer lowers to: Y[m×n] = W[m×k]·X[k×n], run `count` times in sequence.
public struct GEMMPass: Hashable, Sendable {
    /// Output rows (output channels, or gate rows of an LSTM).
    public var m: Int64
    /// Reduction length (Cin/groups·kh·kw, input features, F + H for an LSTM step).
    public var k: Int64
    /// Output columns: output positions × batch.
    public var n: Int64
    /// How many times this pass runs (group passes, LSTM steps × directions).
    public var count: Int64
    /// Input elements one pass reads (the feature map once, not im2col-expanded: line
    /// buffers on chip supply the overlapping windows).
    public var inputElements: Int64
    /// Element-wise operations each pass adds on the vector unit (LSTM gate arithmetic).
    public var vectorOperations: Int64
}

/// What a layer asks of the hardware.
public enum Workload: Hashable, Sendable {
    /// Multiply-accumulates on a compute array. `weightsShared`: every pass uses the same
    /// weights (LSTM steps), which stay on chip across passes when they fit.
    case gemm(passes: [GEMMPass], weights: Int64, weightsShared: Bool)
    /// Element-wise work on the vector unit: `operations` over `inputElements` read and
    /// `outputElements` written. `gatherBits` are extra bits fetched from DRAM (embedding rows).
    case vector(operations: Int64, inputElements: Int64, outputElements: Int64, gatherBits: Int64)
    /// Folded into the output stage of the named producer (BatchNorm and activations).
    case fused(into: String)
    /// No data movement or arithmetic (input, flatten, reshape, transpose, concat, identity).
    case none
}

/// Lowering of layers to workloads (docs/simulation.md §1).
public enum Lowering {
    /// The workload of `layer` for a batch of `batch`; `cols` is the array width grouped
    /// convolutions pack their groups across. `cost` supplies vector-operation counts.
    public static func workload(of layer: Layer, in network: Network, cost: LayerCost, batch: Int64, cols: Int,
                                fusedInto producer: String?) throws(SimulationError) -> Workload {
        let inputs = network.inputShapes(of: layer)
        let input = inputs.first ?? TensorShape([])
        let output = network.outputShape(of: layer)
        let what = "layer '\(layer.name)'"
        func elements(_ shape: TensorShape) throws(SimulationError) -> Int64 {
            guard let count = shape.elementCount else { throw .overflow("elements of \(what)") }
            return try Checked.mul(count, batch, "elements of \(what)")
        }
        switch layer.kind {
        case .convolution(let conv):
            let groups = Int64(conv.groups)
            let mPerGroup = Int64(conv.outChannels) / groups
            let inPerGroup = Int64(input.dims[0]) / groups
            let kernelArea = conv.kernel.reduce(Int64(1)) { $0 * Int64($1) }
            let k = inPerGroup * kernelArea
            let positions = try elements(output) / Int64(conv.outChannels)
            let spatialIn = try elements(input) / Int64(input.dims[0])
            // Pack groups narrower than the array side by side across its columns.
            let perPass = mPerGroup < Int64(cols) ? max(min(groups, Int64(cols) / mPerGroup), 1) : 1
            var passes: [GEMMPass] = []
            let full = groups / perPass
            let rest = groups % perPass
            if full > 0 {
                passes.append(GEMMPass(m: mPerGroup * perPass, k: k, n: positions, count: full,
                                       inputElements: try Checked.mul(inPerGroup * perPass, spatialIn, "input of \(what)"), vectorOperations: 0))
            }
            if rest > 0 {
                passes.append(GEMMPass(m: mPerGroup * rest, k: k, n: positions, count: 1,
                                       inputElements: try Checked.mul(inPerGroup * rest, spatialIn, "input of \(what)"), vectorOperations: 0))
            }
            return .gemm(passes: passes, weights: cost.weights, weightsShared: false)

        case .linear(let linear):
            let features = Int64(input.dims.last ?? 1)
            let positions = try elements(input) / max(features, 1)
            return .gemm(passes: [GEMMPass(m: Int64(linear.outFeatures), k: features, n: positions, count: 1,
                                           inputElements: try elements(input), vectorOperations: 0)],
                         weights: cost.weights, weightsShared: false)

        case .lstm(let lstm):
            let steps = Int64(input.dims[0])
            let features = Int64(input.dims[1])
            let hidden = Int64(lstm.hiddenSize)
            let k = features + hidden
            let pass = GEMMPass(m: 4 * hidden, k: k, n: batch, count: try Checked.mul(steps, Int64(lstm.directions), "steps of \(what)"),
                                inputElements: try Checked.mul(k, batch, "input of \(what)"),
                                vectorOperations: try Checked.mul(hidden * VectorOperationCounts.lstmPerHiddenUnitStep, batch, "gate operations of \(what)"))
            return .gemm(passes: [pass], weights: cost.weights, weightsShared: true)

        case .embedding:
            let out = try elements(output)
            return .vector(operations: out, inputElements: try elements(input), outputElements: out,
                           gatherBits: try Checked.mul(out, Int64(cost.quantization?.weights.bits ?? 32), "gathered bits of \(what)"))

        case .batchNorm, .activation:
            if let producer { return .fused(into: producer) }
            return .vector(operations: try Checked.mul(cost.vectorOperations, batch, "operations of \(what)"),
                           inputElements: try elements(input), outputElements: try elements(output), gatherBits: 0)

        case .pool, .globalPool, .add, .multiply, .softmax, .upsample:
            var read: Int64 = 0
            for shape in inputs { read = try Checked.add(read, try elements(shape), "input of \(what)") }
            return .vector(operations: max(try Checked.mul(cost.vectorOperations, batch, "operations of \(what)"), 1),
                           inputElements: read, outputElements: try elements(output), gatherBits: 0)

        case .input, .concat, .flatten, .reshape, .transpose, .identity:
            return .none
        }
    }

    /// For each BatchNorm or activation layer that can fold into the layer feeding it, the
    /// name of the layer whose output stage absorbs it: its single input has no other
    /// consumer and is a weight layer, a vector-unit layer, or itself folded.
    public static func fusions(in network: Network) -> [String: String] {
        var consumers: [String: Int] = [:]
        for layer in network.layers {
            for input in layer.inputs { consumers[input, default: 0] += 1 }
        }
        var host: [String: String] = [:]
        for layer in network.layers {
            switch layer.kind {
            case .batchNorm, .activation:
                guard layer.inputs.count == 1, let source = layer.inputs.first, consumers[source] == 1,
                      let producer = network.layer(named: source) else { continue }
                if let upstream = host[source] {
                    host[layer.name] = upstream
                    continue
                }
                switch producer.kind {
                case .convolution, .linear, .lstm, .add, .multiply, .pool, .globalPool:
                    host[layer.name] = source
                default:
                    continue
                }
            default:
                continue
            }
        }
        return host
    }

    /// Bits of each layer's output tensor as it is stored: the activation width of the
    /// weight layers that read it (through layers without weights), the widest when several
    /// do; 32 when only the network's output reads it.
    public static func tensorBits(in network: Network, quantization: [String: LayerQuantization]) -> [String: Int] {
        var consumers: [String: [Layer]] = [:]
        for layer in network.layers {
            for input in layer.inputs { consumers[input, default: []].append(layer) }
        }
        var bits: [String: Int] = [:]
        for layer in network.layers.reversed() {
            let readers = consumers[layer.name] ?? []
            guard !readers.isEmpty else {
                bits[layer.name] = 32
                continue
            }
            var widest = 1
            for reader in readers {
                if let q = quantization[reader.name] {
                    widest = max(widest, q.activations.bits)
                } else {
                    widest = max(widest, bits[reader.name] ?? 32)
                }
            }
            bits[layer.name] = widest
        }
        return bits
    }
}
