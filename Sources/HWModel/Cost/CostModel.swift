import Quantizers

/// Element-wise operations counted per element for layers without weights. These feed the
/// vector-unit estimate; the papers' OPS count only multiplications of weight layers.
public enum VectorOperationCounts {
    /// BatchNorm at inference: one multiply by the folded scale, one add of the shift.
    public static let batchNormPerElement: Int64 = 2
    /// One evaluation per element for every activation function.
    public static let activationPerElement: Int64 = 1
    /// Softmax: exponent, running sum, division.
    public static let softmaxPerElement: Int64 = 3
    /// Bilinear upsampling: a weighted sum of four neighbours per output element.
    public static let bilinearPerOutput: Int64 = 4
    /// LSTM per hidden unit, step and direction: 3 sigmoid gates + 1 tanh candidate, the cell
    /// tanh, 3 element products (f⊙c, i⊙g, o⊙tanh c) and 1 sum.
    public static let lstmPerHiddenUnitStep: Int64 = 9
}

/// Why a cost could not be computed.
public enum CostError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A count exceeded 64 bits.
    case overflow(CountOverflow)
    /// The plan's overrides do not fit the network.
    case plan(PlanError)
    /// A scheme name (e.g. one built for a reference-table row) is invalid.
    case scheme(QuantSchemeError)

    /// The wrapped error's message, unchanged.
    public var description: String {
        switch self {
        case .overflow(let error): error.description
        case .plan(let error): error.description
        case .scheme(let error): error.description
        }
    }
}

/// The analytic cost model: parameters, OPS, QOPS, BOPs and storage per layer (ASQ §3.3,
/// Eq. 10–16; VecQ §6.1.2 model sizes). Pure functions of a network and a plan.
public enum CostModel {
    /// Costs every layer of `network` under `plan`.
    public static func evaluate(_ network: Network, plan: QuantizationPlan) throws(CostError) -> NetworkCost {
        let resolved: [String: LayerQuantization]
        do {
            resolved = try plan.resolve(for: network)
        } catch {
            throw .plan(error)
        }
        var costs: [LayerCost] = []
        costs.reserveCapacity(network.layers.count)
        do {
            for layer in network.layers {
                costs.append(try cost(of: layer, in: network, quantization: resolved[layer.name], adapter: plan.adapter))
            }
        } catch {
            throw .overflow(error)
        }
        do {
            try NetworkCost.checkTotals(costs)
        } catch {
            throw .overflow(error)
        }
        return NetworkCost(network: network.name, layers: costs)
    }

    /// Costs one layer; `quantization` is `nil` for layers without weights.
    public static func cost(of layer: Layer, in network: Network, quantization: LayerQuantization?,
                            adapter spec: AdapterSpec) throws(CountOverflow) -> LayerCost {
        let inputShapes = network.inputShapes(of: layer)
        let input = inputShapes.first ?? TensorShape([])
        let output = network.outputShape(of: layer)
        var cost = LayerCost(layer: layer.name, type: layer.kind.typeName, outputShape: output, quantization: quantization)
        let what = { (quantity: String) in "\(quantity) of layer \(MessageText.quoted(layer.name))" }
        let outputElements = try count(output, what("output elements"))
        let inputElements = try count(input, what("input elements"))
        // Element counts of each weight tensor, packed separately; output channels for scales.
        var weightTensors: [Int64] = []
        var outputChannels: Int64 = 1

        switch layer.kind {
        case .convolution(let conv):
            let perGroupInputs = Int64(input.dims[0] / conv.groups)
            let kernelArea = try Checked.product(conv.kernel.map(Int64.init), what("kernel area"))
            cost.weights = try Checked.product([Int64(conv.outChannels), perGroupInputs, kernelArea], what("weights"))
            cost.biases = conv.bias ? Int64(conv.outChannels) : 0
            cost.equationParameters = cost.weights
            cost.macs = try Checked.product([outputElements, perGroupInputs, kernelArea], what("MACs"))
            weightTensors = [cost.weights]
            outputChannels = Int64(conv.outChannels)

        case .transposedConvolution(let conv):
            // Every input element meets Cout/groups filters of kernel-area taps (thop and fvcore count the same).
            let perGroupOutputs = Int64(conv.outChannels / conv.groups)
            let kernelArea = try Checked.product(conv.kernel.map(Int64.init), what("kernel area"))
            cost.weights = try Checked.product([Int64(input.dims[0]), perGroupOutputs, kernelArea], what("weights"))
            cost.biases = conv.bias ? Int64(conv.outChannels) : 0
            cost.equationParameters = cost.weights
            cost.macs = try Checked.product([inputElements, perGroupOutputs, kernelArea], what("MACs"))
            weightTensors = [cost.weights]
            outputChannels = Int64(conv.outChannels)

        case .linear(let linear):
            let inFeatures = Int64(input.dims.last ?? 1)
            let positions = try Checked.product(input.dims.dropLast().map(Int64.init), what("positions"))
            cost.weights = try Checked.product([inFeatures, Int64(linear.outFeatures)], what("weights"))
            cost.biases = linear.bias ? Int64(linear.outFeatures) : 0
            cost.equationParameters = try Checked.sum([cost.weights, cost.biases], what("parameters"))
            cost.macs = try Checked.product([positions, cost.weights], what("MACs"))
            weightTensors = [cost.weights]
            outputChannels = Int64(linear.outFeatures)

        case .embedding(let embedding):
            cost.weights = try Checked.product([Int64(embedding.vocabulary), Int64(embedding.dimension)], what("weights"))
            cost.equationParameters = cost.weights
            weightTensors = [cost.weights]
            outputChannels = Int64(embedding.vocabulary)

        case .lstm(let lstm):
            let steps = Int64(input.dims[0])
            let features = Int64(input.dims[1])
            let hidden = Int64(lstm.hiddenSize)
            let directions = Int64(lstm.directions)
            let gates = try Checked.mul(4, hidden, what("gates"))
            let inputWeights = try Checked.product([gates, features], what("weights"))
            let recurrentWeights = try Checked.product([gates, hidden], what("weights"))
            weightTensors = Array(repeating: [inputWeights, recurrentWeights], count: lstm.directions).flatMap { $0 }
            cost.weights = try Checked.sum(weightTensors, what("weights"))
            cost.biases = try Checked.product([directions, Int64(lstm.biasVectors), gates], what("biases"))
            cost.equationParameters = try Checked.sum([cost.weights, cost.biases], what("parameters"))
            cost.macs = try Checked.product([steps, cost.weights], what("MACs"))
            cost.vectorOperations = try Checked.product([steps, directions, hidden, VectorOperationCounts.lstmPerHiddenUnitStep], what("vector operations"))
            outputChannels = try Checked.product([directions, 2, gates], what("scale factors"))

        case .batchNorm(let norm):
            let channels = Int64(input.dims[0])
            cost.normParameters = norm.affine ? try Checked.mul(2, channels, what("parameters")) : 0
            cost.normBuffers = try Checked.mul(2, channels, what("buffers"))
            cost.vectorOperations = try Checked.product([outputElements, VectorOperationCounts.batchNormPerElement], what("vector operations"))
            cost.fp32StorageBits = try Checked.mul(try Checked.add(cost.normParameters, cost.normBuffers, what("storage bits")), 32, what("storage bits"))

        case .activation:
            cost.vectorOperations = try Checked.product([outputElements, VectorOperationCounts.activationPerElement], what("vector operations"))
        case .softmax:
            cost.vectorOperations = try Checked.product([outputElements, VectorOperationCounts.softmaxPerElement], what("vector operations"))
        case .pool(let pool):
            let window = try Checked.product(pool.kernel.map(Int64.init), what("pooling window"))
            cost.vectorOperations = try Checked.product([outputElements, window], what("vector operations"))
        case .globalPool:
            cost.vectorOperations = inputElements
        case .add, .multiply:
            cost.vectorOperations = try Checked.product([outputElements, Int64(max(inputShapes.count - 1, 1))], what("vector operations"))
        case .upsample(_, let mode):
            cost.vectorOperations = mode == .bilinear
                ? try Checked.product([outputElements, VectorOperationCounts.bilinearPerOutput], what("vector operations"))
                : 0
        case .input, .concat, .flatten, .reshape, .transpose, .identity:
            break
        }

        guard let quantization else { return try checkedTotals(cost) }
        let weightBits = quantization.weights.bits
        let activationBits = quantization.activations.bits
        if layer.kind.isMultiplyAccumulate {
            cost.bops = try Checked.product([cost.macs, Int64(weightBits), Int64(activationBits)], what("BOPs"))
        }
        var packedBits: [Int64] = []
        for tensor in weightTensors {
            if quantization.weights.isQuantized {
                do {
                    packedBits.append(try Checked.product([try BitPacking.packedByteCount(count: tensor, bits: weightBits), 8], what("weight storage bits")))
                } catch {
                    throw CountOverflow(quantity: what("weight storage bits"))
                }
            } else {
                packedBits.append(try Checked.product([tensor, 32], what("weight storage bits")))
            }
        }
        cost.weightStorageBits = try Checked.sum(packedBits, what("weight storage bits"))
        if quantization.weights.isQuantized {
            cost.scaleFactors = quantization.scales == .perChannel ? outputChannels : Int64(weightTensors.count)
        }
        let activationSteps: Int64 = quantization.activations.isQuantized ? 1 : 0
        cost.fp32StorageBits = try Checked.mul(try Checked.sum([cost.biases, cost.scaleFactors, activationSteps], what("storage bits")), 32, what("storage bits"))

        if case .asq = quantization.activations,
           spec.placement == .allLayers || !quantization.isFirstOrLast {
            let channels = layer.kind.isConvolution ? input.dims[0] : (input.dims.last ?? 1)
            cost.adapter = try adapterCost(spec, channels: channels, inputElements: inputElements, layer: layer.name)
        }
        return try checkedTotals(cost)
    }

    /// `cost` once its unchecked sums (``LayerCost/parameters``, ``LayerCost/storageBits``,
    /// adapter storage) are known to fit 64 bits, so that reading them cannot trap.
    private static func checkedTotals(_ cost: LayerCost) throws(CountOverflow) -> LayerCost {
        let what = { (quantity: String) in "\(quantity) of layer \(MessageText.quoted(cost.layer))" }
        _ = try Checked.sum([cost.weights, cost.biases, cost.normParameters], what("parameters"))
        let storage = try Checked.add(cost.weightStorageBits, cost.fp32StorageBits, what("storage bits"))
        _ = try Checked.add(storage, cost.adapter?.storageBits ?? 0, what("storage bits with the adapter"))
        return cost
    }

    /// Parameters and operations of one adapter: a chain of linear layers
    /// features → hidden… → 1 (each with a bias), plus the statistic when the spec counts it.
    public static func adapterCost(_ spec: AdapterSpec, channels: Int, inputElements: Int64, layer: String) throws(CountOverflow) -> AdapterCost {
        // channels ≤ NetworkLimits.maximumElements, so doubling it cannot overflow.
        let features = spec.featureCount(channels: channels)
        let widths = [features] + spec.hiddenWidths + [1]
        var parameters: Int64 = 0
        var macs: Int64 = 0
        for (fanIn, fanOut) in zip(widths, widths.dropFirst()) {
            let products = try Checked.product([Int64(fanIn), Int64(fanOut)], "adapter MACs of layer \(MessageText.quoted(layer))")
            macs = try Checked.sum([macs, products], "adapter MACs of layer \(MessageText.quoted(layer))")
            parameters = try Checked.sum([parameters, products, Int64(fanOut)], "adapter parameters of layer \(MessageText.quoted(layer))")
        }
        var operations = try Checked.product([macs, Int64(spec.operationsPerMAC)], "adapter operations of layer \(MessageText.quoted(layer))")
        if spec.countsStatisticOperations {
            let perElement: Int64 = spec.statistic == .channelMean ? 1 : 3
            operations = try Checked.sum([operations, try Checked.product([inputElements, perElement], "adapter operations of layer \(MessageText.quoted(layer))")], "adapter operations of layer \(MessageText.quoted(layer))")
        }
        return AdapterCost(features: features, parameters: parameters, macs: macs, operations: operations,
                           storageBits: try Checked.product([parameters, Int64(spec.parameterBits)], "adapter storage of layer \(MessageText.quoted(layer))"))
    }

    private static func count(_ shape: TensorShape, _ quantity: String) throws(CountOverflow) -> Int64 {
        guard let elements = shape.elementCount else { throw CountOverflow(quantity: quantity) }
        return elements
    }
}

extension LayerKind {
    /// Convolutions, transposed ones included: layers whose input channels are dimension 0.
    var isConvolution: Bool {
        switch self {
        case .convolution, .transposedConvolution: true
        default: false
        }
    }
}
