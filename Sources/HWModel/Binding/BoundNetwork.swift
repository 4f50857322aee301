import Quantizers

/// Why a plan could not be bound to a network.
public enum BindingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The plan's overrides do not fit the network.
    case plan(PlanError)
    /// The cost model failed (a count overflowed or a scheme is invalid).
    case cost(CostError)

    /// The wrapped error's message, unchanged.
    public var description: String {
        switch self {
        case .plan(let error): error.description
        case .cost(let error): error.description
        }
    }
}

/// What a layer asks of the hardware, decided by the graph and the plan alone.
public enum LayerRole: Hashable, Sendable {
    /// Multiply-accumulates on weights (convolution, linear, LSTM), with the quantization the
    /// plan resolved for it and the arithmetic unit that quantization needs.
    case multiplyAccumulate(LayerQuantization, unit: ArithmeticUnit)
    /// A table look-up of quantized weights (embedding).
    case lookup(LayerQuantization)
    /// Folded into the output stage of the named producer (BatchNorm and activations).
    case fused(into: String)
    /// Element-wise work (pooling, adds, softmax, unfused BatchNorm and activations).
    case elementwise
    /// No arithmetic and no data movement of its own (input, flatten, reshape, concat, …).
    case addressing
}

/// One layer of a ``BoundNetwork``: the layer, its shapes, its analytic cost, its role and the
/// widths its tensors are stored at. Every field is a fact; nothing is looked up by name.
public struct BoundLayer: Hashable, Sendable {
    /// The layer as the network holds it.
    public let layer: Layer
    /// Shapes of its inputs, in input order (one sample).
    public let inputShapes: [TensorShape]
    /// Shape of its output (one sample).
    public let outputShape: TensorShape
    /// The cost model's entry for the layer (one sample).
    public let cost: LayerCost
    /// What it asks of the hardware.
    public let role: LayerRole
    /// Bits of its widest input tensor as stored (32 for a graph input: FP32 pixels).
    public let inputBits: Int
    /// Bits of its output tensor as stored.
    public let outputBits: Int

    /// The layer's name.
    public var name: String { layer.name }

    /// The resolved quantization of a weight layer; `nil` for layers without weights.
    public var quantization: LayerQuantization? {
        switch role {
        case .multiplyAccumulate(let quantization, _), .lookup(let quantization): quantization
        default: nil
        }
    }

    /// The arithmetic unit of a multiply-accumulate layer.
    public var unit: ArithmeticUnit? {
        if case .multiplyAccumulate(_, let unit) = role { return unit }
        return nil
    }
}

/// A network bound to a quantization plan: one record per layer, in the network's order, with
/// the analytic cost. Building it once lets every architecture, sweep and search reuse it.
public struct BoundNetwork: Sendable {
    /// The network.
    public let network: Network
    /// The plan as given, before it was resolved per layer.
    public let plan: QuantizationPlan
    /// The analytic cost under the plan, per sample.
    public let cost: NetworkCost
    /// One record per layer, in the network's order.
    public let layers: [BoundLayer]

    /// Resolves `plan` for `network`: quantization and unit of every weight layer, fusions,
    /// stored tensor widths and costs.
    public init(network: Network, plan: QuantizationPlan) throws(BindingError) {
        let resolved: [String: LayerQuantization]
        do {
            resolved = try plan.resolve(for: network)
        } catch {
            throw .plan(error)
        }
        let cost: NetworkCost
        do {
            cost = try CostModel.evaluate(network, plan: plan)
        } catch {
            throw .cost(error)
        }
        precondition(cost.layers.count == network.layers.count, "the cost model has one entry per layer, in network order")
        let fusions = LayerFusion.hosts(in: network)
        let widths = TensorWidths.storedBits(in: network, quantization: resolved, outputBits: plan.output?.bits ?? 32)
        var layers: [BoundLayer] = []
        layers.reserveCapacity(network.layers.count)
        for (layer, layerCost) in zip(network.layers, cost.layers) {
            let role: LayerRole
            if let quantization = resolved[layer.name] {
                role = layer.kind.isMultiplyAccumulate
                    ? .multiplyAccumulate(quantization, unit: UnitSelection.unit(for: quantization)) : .lookup(quantization)
            } else if let host = fusions[layer.name] {
                role = .fused(into: host)
            } else {
                switch layer.kind {
                case .input, .concat, .flatten, .reshape, .transpose, .identity: role = .addressing
                default: role = .elementwise
                }
            }
            // Every layer has a stored width (TensorWidths covers the whole graph); a graph
            // input has no producer and reads FP32.
            let inputBits = layer.inputs.compactMap { widths[$0] }.max() ?? 32
            layers.append(BoundLayer(layer: layer, inputShapes: network.inputShapes(of: layer), outputShape: network.outputShape(of: layer),
                                     cost: layerCost, role: role, inputBits: inputBits, outputBits: widths[layer.name] ?? 32))
        }
        self.network = network
        self.plan = plan
        self.cost = cost
        self.layers = layers
    }

    /// Whether any layer carries an ASQ adapter.
    public var hasAdapters: Bool { cost.layers.contains { $0.adapter != nil } }
}
