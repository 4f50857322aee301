import HWModel
import Quantizers

/// The units of a network's dataflow pipeline, in network order: the mapping of docs/dataflow.md
/// §2. Built once per bound network; every folding (given, searched) applies to the same graph.
public struct DataflowGraph: Sendable {
    /// The nodes, producers before consumers.
    public let nodes: [DataflowNode]
    /// The network's name.
    public let network: String

    /// Graph input bits per element when the host sends something other than the stored width
    /// (finn-examples send 8-bit pixels to an input quantizer).
    public let inputBitsOverride: Int?

    /// Per folding key, the positions of its nodes in `nodes`: a search scores every candidate
    /// of every layer, and scanning all nodes for each made it quadratic in the layers.
    let positionsByKey: [String: [Int]]

    /// Maps `bound` (with its batch-1 `workloads`) onto dataflow units.
    public init(_ bound: BoundNetwork, workloads: [Workload], inputBits: Int? = nil) throws(SimulationError) {
        var builder = GraphBuilder(bound: bound, inputBits: inputBits)
        for (position, layer) in bound.layers.enumerated() {
            try builder.add(layer, workload: workloads[position])
        }
        try builder.finish()
        nodes = builder.nodes
        network = bound.network.name
        inputBitsOverride = inputBits
        var positions: [String: [Int]] = [:]
        for (position, node) in builder.nodes.enumerated() { positions[node.key, default: []].append(position) }
        positionsByKey = positions
    }

    /// The nodes a folding key folds, in pipeline order.
    public func nodes(ofKey key: String) -> [DataflowNode] {
        (positionsByKey[key] ?? []).map { nodes[$0] }
    }

    /// Nodes of one family in index order.
    public func nodes(of unit: DataflowUnit) -> [DataflowNode] { nodes.filter { $0.unit == unit } }
}

/// Walks the bound network once, creating nodes and remembering which node streams each layer's output.
private struct GraphBuilder {
    let bound: BoundNetwork
    let inputBits: Int?
    var nodes: [DataflowNode] = []
    /// The node whose output stream is each layer's output.
    var streamOf: [String: Int] = [:]
    var counters: [DataflowUnit: Int] = [:]
    /// Layers each layer feeds, for forks and outputs.
    let consumers: [String: [String]]
    /// Fused BatchNorm/activation layers by the host they fold into.
    let fusedInto: [String: [String]]

    init(bound: BoundNetwork, inputBits: Int?) {
        self.bound = bound
        self.inputBits = inputBits
        var consumers: [String: [String]] = [:]
        var fused: [String: [String]] = [:]
        for layer in bound.layers {
            for input in layer.layer.inputs { consumers[input, default: []].append(layer.name) }
            if case .fused(let host) = layer.role { fused[host, default: []].append(layer.name) }
        }
        self.consumers = consumers
        fusedInto = fused
    }

    mutating func append(_ unit: DataflowUnit, key: String, aliases: [String] = [], geometry: StageGeometry, inputBits: Int, outputBits: Int,
                         producers: [Int], consumerOfWindow: DataflowUnit? = nil) -> Int {
        let index = counters[unit, default: 0]
        counters[unit] = index + 1
        nodes.append(DataflowNode(unit: unit, key: key, aliases: aliases, index: index, geometry: geometry, inputBits: inputBits,
                                  outputBits: outputBits, producers: producers, consumerOfWindow: consumerOfWindow))
        return nodes.count - 1
    }

    /// The node streaming `layer`'s output (forks are inserted by ``finish()``).
    func source(_ name: String, for consumer: String) throws(SimulationError) -> Int {
        guard let node = streamOf[name] else { preconditionFailure("layers come in topological order") }
        return node
    }

    func outputBitsOfStream(_ node: Int) -> Int { nodes[node].outputBits }

    func elements(_ shape: TensorShape, _ layer: String) throws(SimulationError) -> Int64 {
        guard let count = shape.elementCount else { throw .overflow(CountOverflow(quantity: "elements of layer '\(layer)'")) }
        return count
    }

    /// Channels and pixels of a `[C, …]` tensor.
    func channelsAndPixels(_ shape: TensorShape, _ layer: String) throws(SimulationError) -> (Int64, Int64) {
        let total = try elements(shape, layer)
        guard shape.dims.count >= 2 else { return (total, 1) }
        let channels = Int64(shape.dims[0])
        return (channels, total / max(channels, 1))
    }

    mutating func add(_ bound: BoundLayer, workload: Workload) throws(SimulationError) {
        let layer = bound.layer
        let type = layer.kind.typeName
        switch layer.kind {
        case .input:
            let bits = inputBits ?? bound.outputBits
            let inputElements = try elements(bound.outputShape, layer.name)
            let frameBits = try SimulationError.counting(Checked.mul(inputElements, Int64(bits), "input bits of '\(layer.name)'"))
            streamOf[layer.name] = append(.inputDMA, key: layer.name, geometry: .dma(bits: frameBits), inputBits: bits, outputBits: bits, producers: [])
        case .convolution(let conv):
            guard case .gemm(let gemm) = workload else { preconditionFailure("a convolution lowers to a GEMM") }
            try addConvolution(bound, conv: conv, gemm: gemm)
        case .linear:
            guard case .gemm(let gemm) = workload else { preconditionFailure("a linear layer lowers to a GEMM") }
            let producer = try source(layer.inputs[0], for: layer.name)
            try addMatrix(bound, geometry: MatrixGeometry(width: gemm.k, height: gemm.m, vectors: gemm.n), producer: producer)
        case .batchNorm, .activation:
            try addElementwiseActivation(bound)
        case .pool(let pool):
            try addPool(bound, pool: pool)
        case .globalPool(let mode):
            let producer = try source(layer.inputs[0], for: layer.name)
            let (channels, pixels) = try channelsAndPixels(bound.inputShapes[0], layer.name)
            let bits = outputBitsOfStream(producer)
            // An average accumulates: its sum needs log2(pixels) more bits than an input.
            let out = mode == .max ? bits : bits + ceilLog2(pixels)
            let node = append(.globalPool, key: layer.name, geometry: .channels(channels: channels, vectors: pixels, thresholds: 0),
                              inputBits: bits, outputBits: out, producers: [producer])
            streamOf[layer.name] = try thresholdsAfter(bound, host: node, channels: channels, vectors: 1)
        case .add:
            guard layer.inputs.count == 2 else {
                throw .dataflow(.unsupportedLayer(layer: layer.name, type: type, reason: "FINN's AddStreams adds two streams; split the \(layer.inputs.count)-input add into two-input adds"))
            }
            let left = try source(layer.inputs[0], for: layer.name)
            let right = try source(layer.inputs[1], for: layer.name)
            let (channels, pixels) = try channelsAndPixels(bound.outputShape, layer.name)
            let bits = max(outputBitsOfStream(left), outputBitsOfStream(right)) + 1
            let node = append(.addStreams, key: layer.name, geometry: .channels(channels: channels, vectors: pixels, thresholds: 0),
                              inputBits: bits - 1, outputBits: bits, producers: [left, right])
            streamOf[layer.name] = try thresholdsAfter(bound, host: node, channels: channels, vectors: pixels)
        case .softmax:
            let producer = try source(layer.inputs[0], for: layer.name)
            let (channels, pixels) = try channelsAndPixels(bound.inputShapes[0], layer.name)
            // Classification keeps only the arg-max: FINN replaces the softmax by LabelSelect, whose
            // output is one class index.
            streamOf[layer.name] = append(.labelSelect, key: layer.name, geometry: .channels(channels: channels, vectors: pixels, thresholds: 0),
                                          inputBits: outputBitsOfStream(producer), outputBits: max(ceilLog2(channels), 1), producers: [producer])
        case .flatten, .reshape, .transpose, .identity:
            streamOf[layer.name] = try source(layer.inputs[0], for: layer.name)
        case .concat:
            throw .dataflow(.unsupportedLayer(layer: layer.name, type: type, reason: "concatenation (FINN's StreamingConcat) is not modelled"))
        case .multiply:
            throw .dataflow(.unsupportedLayer(layer: layer.name, type: type, reason: "element-wise products have no FINN streaming unit"))
        case .lstm:
            throw .dataflow(.unsupportedLayer(layer: layer.name, type: type, reason: "recurrent layers have no FINN streaming unit (FINN-L's LSTM cell is not modelled); use --arch tile"))
        case .embedding:
            throw .dataflow(.unsupportedLayer(layer: layer.name, type: type, reason: "table look-ups are not modelled; use --arch tile"))
        case .upsample:
            throw .dataflow(.unsupportedLayer(layer: layer.name, type: type, reason: "upsampling is not modelled"))
        case .transposedConvolution:
            throw .dataflow(.unsupportedLayer(layer: layer.name, type: type, reason: "transposed convolutions (FINN's Deconvolution) are not modelled; use --arch tile"))
        }
    }

    /// The window of a convolution or pooling layer, padding included (FINN's FMPadding is
    /// folded into the window: docs/dataflow.md §2).
    func window(_ layer: Layer, input: TensorShape, output: TensorShape, kernel: [Int], stride: [Int], dilation: [Int], padding: Padding,
                depthwise: Bool) -> WindowGeometry {
        let spatial = Array(input.dims.dropFirst())
        let pads = layer.resolvedPadding(inputSpatial: spatial, kernel: kernel, stride: stride, dilation: dilation, padding: padding)
        let outSpatial = Array(output.dims.dropFirst())
        let twoD = spatial.count == 2
        func axis(_ values: [Int], _ index: Int, _ fallback: Int) -> Int64 { Int64(values.count > index ? values[index] : fallback) }
        let heightIndex = 0, widthIndex = twoD ? 1 : 0
        // Dilated taps are spread out: the window spans dilation·(k − 1) + 1 inputs.
        let kh = twoD ? Int64(dilation[0] * (kernel[0] - 1) + 1) : 1
        let kw = Int64(dilation[widthIndex] * (kernel[widthIndex] - 1) + 1)
        return WindowGeometry(channels: Int64(input.dims[0]),
                              inputHeight: twoD ? axis(spatial, heightIndex, 1) + Int64(pads.begin[0] + pads.end[0]) : 1,
                              inputWidth: axis(spatial, widthIndex, 1) + Int64(pads.begin[widthIndex] + pads.end[widthIndex]),
                              kernelHeight: kh, kernelWidth: kw,
                              strideHeight: twoD ? Int64(stride[0]) : 1, strideWidth: Int64(stride[widthIndex]),
                              outputHeight: twoD ? axis(outSpatial, 0, 1) : 1, outputWidth: axis(outSpatial, widthIndex, 1),
                              depthwise: depthwise)
    }

    mutating func addConvolution(_ bound: BoundLayer, conv: Convolution, gemm: GEMMWorkload) throws(SimulationError) {
        let layer = bound.layer
        let input = bound.inputShapes[0]
        let channels = Int64(input.dims[0])
        let depthwise = conv.groups > 1 && Int64(conv.groups) == channels && Int64(conv.outChannels) == channels
        guard conv.groups == 1 || depthwise else {
            throw .dataflow(.unsupportedLayer(layer: layer.name, type: layer.kind.typeName,
                                              reason: "a grouped convolution with \(conv.groups) groups of \(channels / Int64(conv.groups)) channels is neither dense nor depthwise (FINN has MVAU and VVAU only)"))
        }
        var producer = try source(layer.inputs[0], for: layer.name)
        let geometry = window(layer, input: input, output: bound.outputShape, kernel: conv.kernel, stride: conv.stride, dilation: conv.dilation,
                              padding: conv.padding, depthwise: depthwise)
        let area = geometry.kernelHeight * geometry.kernelWidth
        let padded = geometry.inputHeight * geometry.inputWidth != Int64(input.dims.dropFirst().reduce(1, *))
        let bits = outputBitsOfStream(producer)
        if area > 1 || padded {
            producer = append(.slidingWindow, key: layer.name, geometry: .window(geometry), inputBits: bits, outputBits: bits, producers: [producer],
                              consumerOfWindow: depthwise ? .vector : .matrix)
        } else if geometry.strideHeight > 1 || geometry.strideWidth > 1 {
            producer = append(.downSampler, key: layer.name, geometry: .window(geometry), inputBits: bits, outputBits: bits, producers: [producer],
                              consumerOfWindow: .matrix)
        }
        if depthwise {
            try addVector(bound, channels: channels, kernel: gemm.k, vectors: gemm.n, producer: producer)
        } else {
            try addMatrix(bound, geometry: MatrixGeometry(width: gemm.k, height: gemm.m, vectors: gemm.n), producer: producer)
        }
    }

    /// Output thresholds of a weight layer: 2^B − 1 per channel when its output is stored at B
    /// ≤ ``DataflowConstants/maximumThresholdBits`` bits (FINN's multi-threshold activation),
    /// none when it feeds the network output or wider inputs.
    static func thresholds(outputBits: Int) -> Int64 {
        outputBits <= DataflowConstants.maximumThresholdBits ? (Int64(1) << outputBits) - 1 : 0
    }

    /// A unit's output element: the stored width when thresholded or requantized (a stored
    /// width below 32 and narrower than the accumulator), else the accumulator in whole bytes.
    static func outputBits(stored: Int, thresholds: Int64, accumulator: Int) -> Int {
        if thresholds > 0 { return stored }
        let raw = DataflowConstants.unthresholdedOutputBits(accumulator)
        return stored < 32 ? min(stored, raw) : raw
    }

    mutating func addMatrix(_ bound: BoundLayer, geometry: MatrixGeometry, producer: Int) throws(SimulationError) {
        guard let unit = bound.unit else { preconditionFailure("a multiply-accumulate layer has a unit") }
        let thresholds = Self.thresholds(outputBits: bound.outputBits)
        let accumulator = unit.accumulatorBits(maximumReduction: Int(clamping: geometry.width))
        let out = Self.outputBits(stored: bound.outputBits, thresholds: thresholds, accumulator: accumulator)
        streamOf[bound.name] = append(.matrix, key: bound.name, aliases: fusedInto[bound.name] ?? [],
                                      geometry: .matrix(geometry, unit: unit, thresholds: thresholds, accumulatorBits: accumulator),
                                      inputBits: unit.activationBits, outputBits: out, producers: [producer])
    }

    mutating func addVector(_ bound: BoundLayer, channels: Int64, kernel: Int64, vectors: Int64, producer: Int) throws(SimulationError) {
        guard let unit = bound.unit else { preconditionFailure("a multiply-accumulate layer has a unit") }
        let thresholds = Self.thresholds(outputBits: bound.outputBits)
        let accumulator = unit.accumulatorBits(maximumReduction: Int(clamping: kernel))
        let out = Self.outputBits(stored: bound.outputBits, thresholds: thresholds, accumulator: accumulator)
        streamOf[bound.name] = append(.vector, key: bound.name, aliases: fusedInto[bound.name] ?? [],
                                      geometry: .vector(channels: channels, kernel: kernel, vectors: vectors, unit: unit, thresholds: thresholds,
                                                        accumulatorBits: accumulator),
                                      inputBits: unit.activationBits, outputBits: out, producers: [producer])
    }

    /// A host without thresholds of its own (add, pooling) whose output is requantized by fused
    /// BatchNorm/activation layers gets a Thresholding node after it, as FINN places a
    /// MultiThreshold after AddStreams.
    mutating func thresholdsAfter(_ bound: BoundLayer, host: Int, channels: Int64, vectors: Int64) throws(SimulationError) -> Int {
        guard let fused = fusedInto[bound.name], let last = fused.last else { return host }
        let thresholds = Self.thresholds(outputBits: bound.outputBits)
        guard thresholds > 0 else { return host }
        return append(.thresholding, key: last, aliases: fused.dropLast() + [bound.name + DataflowArchitecture.StageSuffix.thresholds],
                      geometry: .channels(channels: channels, vectors: vectors, thresholds: thresholds),
                      inputBits: nodes[host].outputBits, outputBits: bound.outputBits, producers: [host])
    }

    /// A BatchNorm or activation not folded into a producer: a Thresholding node, merged with an
    /// unfolded one just before it (FINN folds BatchNorm + quantizer into one MultiThreshold).
    mutating func addElementwiseActivation(_ bound: BoundLayer) throws(SimulationError) {
        let layer = bound.layer
        let producer = try source(layer.inputs[0], for: layer.name)
        // Folded into its producer's thresholds: the producer's stream is this layer's output.
        if case .fused = bound.role {
            streamOf[layer.name] = producer
            return
        }
        let thresholds = Self.thresholds(outputBits: bound.outputBits)
        // A float activation at the network output leaves the stream as it is.
        guard thresholds > 0 else {
            streamOf[layer.name] = producer
            return
        }
        let (channels, pixels) = try channelsAndPixels(bound.outputShape, layer.name)
        if let previous = layer.inputs.first, nodes[producer].unit == .thresholding, nodes[producer].key == previous,
           (consumers[previous]?.count ?? 0) == 1 {
            nodes[producer].aliases.append(previous)
            nodes[producer].key = layer.name
            nodes[producer].outputBits = bound.outputBits
            nodes[producer].geometry = .channels(channels: channels, vectors: pixels, thresholds: thresholds)
            streamOf[layer.name] = producer
            return
        }
        streamOf[layer.name] = append(.thresholding, key: layer.name, geometry: .channels(channels: channels, vectors: pixels, thresholds: thresholds),
                                      inputBits: outputBitsOfStream(producer), outputBits: bound.outputBits, producers: [producer])
    }

    mutating func addPool(_ bound: BoundLayer, pool: Pooling) throws(SimulationError) {
        let layer = bound.layer
        var producer = try source(layer.inputs[0], for: layer.name)
        let input = bound.inputShapes[0]
        let geometry = window(layer, input: input, output: bound.outputShape, kernel: pool.kernel, stride: pool.stride,
                              dilation: pool.kernel.map { _ in 1 }, padding: pool.padding, depthwise: true)
        let bits = outputBitsOfStream(producer)
        let streaming = pool.mode == .max && pool.kernel == pool.stride && geometry.inputHeight == Int64(input.dims.count > 2 ? input.dims[1] : 1)
            && geometry.inputWidth == Int64(input.dims.last ?? 1)
        let node: Int
        if streaming {
            node = append(.maxPool, key: layer.name, geometry: .pooling(geometry), inputBits: bits, outputBits: bits, producers: [producer])
        } else {
            producer = append(.slidingWindow, key: layer.name, geometry: .window(geometry), inputBits: bits, outputBits: bits, producers: [producer],
                              consumerOfWindow: .pool)
            let area = geometry.kernelHeight * geometry.kernelWidth
            let out = pool.mode == .max ? bits : bits + ceilLog2(area)
            node = append(.pool, key: layer.name, geometry: .pooling(geometry), inputBits: bits, outputBits: out, producers: [producer])
        }
        streamOf[layer.name] = try thresholdsAfter(bound, host: node, channels: geometry.channels, vectors: geometry.outputHeight * geometry.outputWidth)
    }

    /// Forks (DuplicateStreams) where a stream feeds several nodes, and an output DMA for each
    /// stream the network leaves.
    mutating func finish() throws(SimulationError) {
        // Output streams: layers nobody reads.
        var outputs: [Int] = []
        for layer in bound.layers where (consumers[layer.name] ?? []).isEmpty {
            if let node = streamOf[layer.name], !outputs.contains(node) { outputs.append(node) }
        }
        for node in outputs {
            let stream = nodes[node]
            let elements = try SimulationError.counting(Checked.mul(outputElements(of: stream), Int64(stream.outputBits), "output bits of \(network)"))
            _ = append(.outputDMA, key: stream.key + DataflowArchitecture.StageSuffix.output, geometry: .dma(bits: elements), inputBits: stream.outputBits,
                       outputBits: stream.outputBits, producers: [node])
        }
        var readers: [Int: [Int]] = [:]
        for (index, node) in nodes.enumerated() {
            for producer in node.producers { readers[producer, default: []].append(index) }
        }
        var rebuilt: [DataflowNode] = []
        var renumber: [Int: Int] = [:]
        var forkOf: [Int: Int] = [:]
        for (index, node) in nodes.enumerated() {
            var node = node
            node.producers = node.producers.map { forkOf[$0] ?? renumber[$0] ?? $0 }
            renumber[index] = rebuilt.count
            rebuilt.append(node)
            if (readers[index]?.count ?? 0) > 1 {
                let elements = outputElementsPair(of: node)
                let duplicateIndex = counters[.duplicateStreams, default: 0]
                counters[.duplicateStreams] = duplicateIndex + 1
                rebuilt.append(DataflowNode(unit: .duplicateStreams, key: node.key + DataflowArchitecture.StageSuffix.duplicate, aliases: [], index: duplicateIndex,
                                            geometry: .channels(channels: elements.channels, vectors: elements.vectors, thresholds: 0),
                                            inputBits: node.outputBits, outputBits: node.outputBits, producers: [rebuilt.count - 1]))
                forkOf[index] = rebuilt.count - 1
            }
        }
        nodes = rebuilt
    }

    var network: String { bound.network.name }

    /// Elements a node emits per frame.
    func outputElements(of node: DataflowNode) -> Int64 {
        let pair = outputElementsPair(of: node)
        return pair.channels * pair.vectors
    }

    func outputElementsPair(of node: DataflowNode) -> (channels: Int64, vectors: Int64) {
        switch node.geometry {
        case .matrix(let matrix, _, _, _): (matrix.height, matrix.vectors)
        case .vector(let channels, _, let vectors, _, _, _): (channels, vectors)
        case .window(let window): (window.channels * window.kernelHeight * window.kernelWidth, window.outputHeight * window.outputWidth)
        case .channels(let channels, let vectors, _):
            node.unit == .globalPool ? (channels, 1) : node.unit == .labelSelect ? (1, vectors) : (channels, vectors)
        case .pooling(let window): (window.channels, window.outputHeight * window.outputWidth)
        case .converter, .fifo, .dma: (1, 1)
        }
    }
}

func ceilLog2(_ value: Int64) -> Int {
    var bits = 0
    while (Int64(1) << bits) < value { bits += 1 }
    return bits
}
