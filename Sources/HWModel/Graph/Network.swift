/// A network: a directed acyclic graph of named layers with every tensor shape inferred.
///
/// Construction validates the graph — unique names, existing inputs, no cycles, hyper-parameters
/// in range, shapes that agree — so every `Network` value is consistent.
public struct Network: Sendable {
    /// The network's name, as reports print it.
    public let name: String
    /// Layers in a topological order; the given order is kept wherever it is already valid.
    public let layers: [Layer]
    /// Output shape of every layer, by name.
    public let outputShapes: [String: TensorShape]
    /// Each layer's position in `layers`, so that lookups by name are not a scan (binding looks
    /// up every layer's producer).
    private let positionByName: [String: Int]

    /// Validates the graph and infers every shape.
    public init(name: String, layers: [Layer]) throws(GraphError) {
        guard layers.count <= NetworkLimits.maximumLayers else { throw .tooManyLayers(layers.count) }
        var indexByName: [String: Int] = [:]
        for (index, layer) in layers.enumerated() {
            guard indexByName[layer.name] == nil else { throw .duplicateName(layer.name) }
            indexByName[layer.name] = index
        }
        for layer in layers {
            for input in layer.inputs where indexByName[input] == nil {
                throw .missingInput(layer: layer.name, input: input)
            }
            try layer.checkParameters()
        }
        guard layers.contains(where: { if case .input = $0.kind { true } else { false } }) else {
            throw .noInput
        }
        let order = try Self.topologicalOrder(layers, indexByName: indexByName)
        var shapes: [String: TensorShape] = [:]
        var ordered: [Layer] = []
        ordered.reserveCapacity(layers.count)
        for index in order {
            let layer = layers[index]
            let inputShapes = layer.inputs.compactMap { shapes[$0] }
            let shape = try layer.outputShape(for: inputShapes)
            try Self.checkLimits(shape, of: layer)
            shapes[layer.name] = shape
            ordered.append(layer)
        }
        self.name = name
        self.layers = ordered
        self.outputShapes = shapes
        self.positionByName = Dictionary(uniqueKeysWithValues: ordered.enumerated().map { ($1.name, $0) })
    }

    /// Every tensor within ``NetworkLimits``: so the next layer's shape arithmetic, and the
    /// cost model's products of an element count with a size, fit 64 bits.
    private static func checkLimits(_ shape: TensorShape, of layer: Layer) throws(GraphError) {
        guard shape.rank <= NetworkLimits.maximumRank else {
            throw .tooLarge(layer: layer.name, detail: "the output \(shape) has \(shape.rank) dimensions, more than \(NetworkLimits.maximumRank)")
        }
        guard let elements = shape.elementCount, elements <= NetworkLimits.maximumElements else {
            let count = shape.elementCount.map { "\($0) elements" } ?? "more than 2^63 elements"
            throw .tooLarge(layer: layer.name, detail: "the output \(shape) has \(count), more than the limit of 2^40 = \(NetworkLimits.maximumElements)")
        }
    }

    /// The layer with the given name.
    public func layer(named name: String) -> Layer? { positionByName[name].map { layers[$0] } }

    /// Shapes of a layer's inputs, in the layer's input order.
    public func inputShapes(of layer: Layer) -> [TensorShape] {
        layer.inputs.compactMap { outputShapes[$0] }
    }

    /// The output shape of a layer of this network.
    public func outputShape(of layer: Layer) -> TensorShape {
        outputShapes[layer.name] ?? TensorShape([])
    }

    /// Layers whose weights a quantization plan quantizes, in topological order.
    public var weightLayers: [Layer] { layers.filter(\.kind.hasQuantizableWeights) }

    /// The shared Kahn's order (``TopologicalSort``), so a graph already listed in order keeps it.
    private static func topologicalOrder(_ layers: [Layer], indexByName: [String: Int]) throws(GraphError) -> [Int] {
        do {
            return try TopologicalSort.order(count: layers.count) { index in layers[index].inputs.compactMap { indexByName[$0] } }
        } catch {
            throw .cycle(findCycle(layers, indexByName: indexByName, blocked: Set(error.blocked)))
        }
    }

    /// Walks input edges among the layers that never became ready until a layer repeats.
    private static func findCycle(_ layers: [Layer], indexByName: [String: Int], blocked: Set<Int>) -> [String] {
        guard var current = blocked.min() else { return [] }
        var path: [Int] = []
        var seen: [Int: Int] = [:]
        while seen[current] == nil {
            seen[current] = path.count
            path.append(current)
            guard let next = layers[current].inputs.compactMap({ indexByName[$0] }).first(where: blocked.contains) else { break }
            current = next
        }
        let start = seen[current] ?? 0
        // The walk followed edges backwards (layer → its input); report them in data-flow order.
        let cycle = Array(path[start...].map { layers[$0].name }.reversed())
        return cycle + cycle.prefix(1)
    }
}
