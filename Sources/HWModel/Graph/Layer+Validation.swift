extension Layer {
    /// Checks hyper-parameters that no input shape can make valid: non-positive sizes, window
    /// vectors of the wrong length, zero groups.
    /// Every size is also held to ``NetworkLimits/maximumSize``, whichever reader built the
    /// layer, so that the shape and cost arithmetic on it stays within 64 bits.
    public func checkParameters() throws(GraphError) {
        func bounded(_ value: Int, _ field: String) throws(GraphError) {
            guard value <= NetworkLimits.maximumSize else {
                throw .invalidParameter(layer: name, field: field, detail: "must be at most \(NetworkLimits.maximumSize) (docs/limits.md), got \(value)")
            }
        }
        func positive(_ value: Int, _ field: String) throws(GraphError) {
            guard value > 0 else { throw .invalidParameter(layer: name, field: field, detail: "must be a positive whole number, got \(value)") }
            try bounded(value, field)
        }
        func rank(_ values: [Int], _ field: String) throws(GraphError) {
            guard values.count <= NetworkLimits.maximumRank else {
                throw .invalidParameter(layer: name, field: field, detail: "has \(values.count) dimensions, more than \(NetworkLimits.maximumRank)")
            }
        }
        guard inputs.count <= NetworkLimits.maximumInputs else {
            throw .tooLarge(layer: name, detail: "\(inputs.count) inputs are more than \(NetworkLimits.maximumInputs)")
        }
        func window(_ values: [Int], _ field: String, rank: Int) throws(GraphError) {
            guard values.count == rank else {
                throw .invalidParameter(layer: name, field: field, detail: "needs \(rank) value(s), got \(values)")
            }
            for value in values { try positive(value, field) }
        }
        func padding(_ padding: Padding, rank: Int) throws(GraphError) {
            guard case .explicit(let begin, let end) = padding else { return }
            guard begin.count == rank, end.count == rank, (begin + end).allSatisfy({ $0 >= 0 }) else {
                throw .invalidParameter(layer: name, field: "padding", detail: "needs \(rank) non-negative value(s) per side, got \(begin) and \(end)")
            }
            for value in begin + end { try bounded(value, "padding") }
        }
        switch kind {
        case .input(let shape):
            guard !shape.dims.isEmpty else { throw .invalidParameter(layer: name, field: "shape", detail: "must have at least one dimension") }
            try rank(shape.dims, "shape")
            for dim in shape.dims { try positive(dim, "shape") }
        case .convolution(let conv):
            let rank = conv.kernel.count
            guard rank == 1 || rank == 2 else {
                throw .invalidParameter(layer: name, field: "kernel", detail: "must have 1 or 2 values, got \(conv.kernel)")
            }
            try positive(conv.outChannels, "out_channels")
            try window(conv.kernel, "kernel", rank: rank)
            try window(conv.stride, "stride", rank: rank)
            try window(conv.dilation, "dilation", rank: rank)
            try positive(conv.groups, "groups")
            try padding(conv.padding, rank: rank)
        case .transposedConvolution(let conv):
            guard conv.kernel.count == 2 else {
                throw .invalidParameter(layer: name, field: "kernel", detail: "must have 2 values, got \(conv.kernel)")
            }
            try positive(conv.outChannels, "out_channels")
            try window(conv.kernel, "kernel", rank: 2)
            try window(conv.stride, "stride", rank: 2)
            try window(conv.dilation, "dilation", rank: 2)
            try positive(conv.groups, "groups")
            try padding(conv.padding, rank: 2)
            // PyTorch's rule: the extra output rows must be fewer than the stride or the dilation.
            for axis in 0..<2 where conv.outputPadding.count != 2 || conv.outputPadding[axis] < 0
                || conv.outputPadding[axis] >= max(conv.stride[axis], conv.dilation[axis])
                || conv.outputPadding[axis] > NetworkLimits.maximumSize {
                throw .invalidParameter(layer: name, field: "output_padding", detail: "needs 2 values each ≥ 0 and below the stride or the dilation, got \(conv.outputPadding)")
            }
        case .linear(let linear):
            try positive(linear.outFeatures, "out_features")
        case .pool(let pool):
            let rank = pool.kernel.count
            guard rank == 1 || rank == 2 else {
                throw .invalidParameter(layer: name, field: "kernel", detail: "must have 1 or 2 values, got \(pool.kernel)")
            }
            try window(pool.kernel, "kernel", rank: rank)
            try window(pool.stride, "stride", rank: rank)
            try padding(pool.padding, rank: rank)
        case .embedding(let embedding):
            try positive(embedding.vocabulary, "vocabulary")
            try positive(embedding.dimension, "dimension")
        case .lstm(let lstm):
            try positive(lstm.hiddenSize, "hidden_size")
            guard lstm.biasVectors == 0 || lstm.biasVectors == 1 || lstm.biasVectors == 2 else {
                throw .invalidParameter(layer: name, field: "bias_vectors", detail: "must be 0, 1 (Keras) or 2 (PyTorch), got \(lstm.biasVectors)")
            }
        case .upsample(let scale, _):
            try positive(scale, "scale")
        case .concat(let axis), .softmax(let axis):
            guard axis >= -NetworkLimits.maximumRank, axis <= NetworkLimits.maximumRank else {
                throw .invalidParameter(layer: name, field: "axis", detail: "\(axis) is outside any tensor of at most \(NetworkLimits.maximumRank) dimensions")
            }
        case .flatten(let axis):
            try bounded(axis, "start_axis")
        case .reshape(let target):
            try rank(target, "shape")
            for dim in target where dim > 0 { try bounded(dim, "shape") }
        case .transpose(let permutation):
            try rank(permutation, "perm")
        case .batchNorm, .activation, .globalPool, .add, .multiply, .identity:
            break
        }
    }
}
