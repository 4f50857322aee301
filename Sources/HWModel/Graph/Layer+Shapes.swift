import Quantizers

extension Layer {
    /// The layer's output shape for the given input shapes, checking that they fit.
    public func outputShape(for inputShapes: [TensorShape]) throws(GraphError) -> TensorShape {
        func requireInputs(_ count: Int) throws(GraphError) {
            guard inputShapes.count == count else {
                throw .inputCount(layer: name, type: kind.typeName, expected: "\(count)", actual: inputShapes.count)
            }
        }
        func mismatch(_ detail: String) -> GraphError { .shapeMismatch(layer: name, detail: detail) }
        func invalid(_ field: String, _ detail: String) -> GraphError {
            .invalidParameter(layer: name, field: field, detail: detail)
        }

        switch kind {
        case .input(let shape):
            try requireInputs(0)
            return shape

        case .convolution(let conv):
            try requireInputs(1)
            let input = inputShapes[0]
            let spatialRank = conv.kernel.count
            guard input.rank == spatialRank + 1 else {
                throw mismatch("a \(spatialRank)-D convolution expects a [C\(spatialRank == 2 ? ", H, W" : ", L")] input, got \(input)")
            }
            let inChannels = input.dims[0]
            guard inChannels % conv.groups == 0 else {
                throw mismatch("input channels \(inChannels) of \(input) are not divisible by groups = \(conv.groups)")
            }
            guard conv.outChannels % conv.groups == 0 else {
                throw invalid("out_channels", "\(conv.outChannels) is not divisible by groups = \(conv.groups)")
            }
            let spatial = try windowOutput(input: Array(input.dims.dropFirst()), kernel: conv.kernel,
                                           stride: conv.stride, dilation: conv.dilation,
                                           padding: conv.padding, ceilMode: false, inputShape: input)
            return TensorShape([conv.outChannels] + spatial)

        case .transposedConvolution(let conv):
            try requireInputs(1)
            let input = inputShapes[0]
            guard input.rank == conv.kernel.count + 1 else {
                throw mismatch("a transposed convolution expects a [C, H, W] input, got \(input)")
            }
            guard input.dims[0] % conv.groups == 0 else {
                throw mismatch("input channels \(input.dims[0]) of \(input) are not divisible by groups = \(conv.groups)")
            }
            guard conv.outChannels % conv.groups == 0 else {
                throw invalid("out_channels", "\(conv.outChannels) is not divisible by groups = \(conv.groups)")
            }
            let extents: [Int]?
            do {
                extents = try conv.checkedOutputExtents(input: Array(input.dims.dropFirst()))
            } catch {
                throw .tooLarge(layer: name, detail: "the output extent of a transposed convolution of \(input) does not fit in 64 bits")
            }
            guard let spatial = extents else {
                throw mismatch("the padding crops the whole output of \(input)")
            }
            return TensorShape([conv.outChannels] + spatial)

        case .linear(let linear):
            try requireInputs(1)
            let input = inputShapes[0]
            guard input.rank >= 1 else { throw mismatch("linear needs at least one dimension, got \(input)") }
            return TensorShape(Array(input.dims.dropLast()) + [linear.outFeatures])

        case .batchNorm:
            try requireInputs(1)
            guard inputShapes[0].rank >= 1 else { throw mismatch("batchnorm needs a channel dimension, got \(inputShapes[0])") }
            return inputShapes[0]

        case .activation, .softmax, .identity:
            try requireInputs(1)
            if case .softmax(let axis) = kind {
                _ = try normalizedAxis(axis, rank: inputShapes[0].rank)
            }
            return inputShapes[0]

        case .pool(let pool):
            try requireInputs(1)
            let input = inputShapes[0]
            let spatialRank = pool.kernel.count
            guard input.rank == spatialRank + 1 else {
                throw mismatch("\(spatialRank)-D pooling expects a [C, ...] input of rank \(spatialRank + 1), got \(input)")
            }
            let spatial = try windowOutput(input: Array(input.dims.dropFirst()), kernel: pool.kernel,
                                           stride: pool.stride, dilation: pool.kernel.map { _ in 1 },
                                           padding: pool.padding, ceilMode: pool.ceilMode, inputShape: input)
            return TensorShape([input.dims[0]] + spatial)

        case .globalPool:
            try requireInputs(1)
            let input = inputShapes[0]
            guard input.rank >= 2 else { throw mismatch("global pooling expects [C, spatial...], got \(input)") }
            return TensorShape([input.dims[0]] + input.dims.dropFirst().map { _ in 1 })

        case .add, .multiply:
            guard inputShapes.count >= 1, kind == .multiply || inputShapes.count >= 2 else {
                throw .inputCount(layer: name, type: kind.typeName, expected: "2 or more", actual: inputShapes.count)
            }
            let first = inputShapes[0]
            for (index, other) in inputShapes.enumerated().dropFirst() where other != first {
                throw mismatch("inputs must have equal shapes, but input 0 (\(MessageText.quoted(inputs[0]))) is \(first) and input \(index) (\(MessageText.quoted(inputs[index]))) is \(other)")
            }
            return first

        case .concat(let axis):
            guard inputShapes.count >= 1 else {
                throw .inputCount(layer: name, type: "concat", expected: "1 or more", actual: 0)
            }
            let first = inputShapes[0]
            let resolved = try normalizedAxis(axis, rank: first.rank)
            var total: Int64 = 0
            for (index, other) in inputShapes.enumerated() {
                guard other.rank == first.rank,
                      other.dims.indices.allSatisfy({ $0 == resolved || other.dims[$0] == first.dims[$0] }) else {
                    throw mismatch("concat along axis \(axis) needs equal other dimensions, but input 0 (\(MessageText.quoted(inputs[0]))) is \(first) and input \(index) (\(MessageText.quoted(inputs[index]))) is \(other)")
                }
                total = Int64(try sized("the concatenated extent") { () throws(CountOverflow) in try Checked.add(total, Int64(other.dims[resolved]), "") })
            }
            var dims = first.dims
            dims[resolved] = Int(total)
            return TensorShape(dims)

        case .flatten(let startAxis):
            try requireInputs(1)
            let input = inputShapes[0]
            guard startAxis >= 0, startAxis < max(input.rank, 1) else {
                throw invalid("start_axis", "\(startAxis) is outside the input's \(input.rank) dimensions \(input)")
            }
            guard let tail = TensorShape(Array(input.dims[startAxis...])).elementCount, tail <= Int64(Int.max) else {
                throw mismatch("flattening \(input) overflows 64 bits")
            }
            return TensorShape(Array(input.dims[..<startAxis]) + [Int(tail)])

        case .reshape(let target):
            try requireInputs(1)
            let input = inputShapes[0]
            guard let count = input.elementCount else { throw mismatch("\(input) overflows 64 bits") }
            let inferred = target.filter { $0 == -1 }.count
            guard inferred <= 1, target.allSatisfy({ $0 > 0 || $0 == -1 }) else {
                throw invalid("shape", "\(target) must hold positive sizes and at most one -1")
            }
            guard let known = TensorShape(target.filter { $0 != -1 }).elementCount, known > 0 else {
                throw invalid("shape", "\(target) overflows 64 bits")
            }
            var dims = target
            if let slot = dims.firstIndex(of: -1) {
                guard count % known == 0 else {
                    throw mismatch("cannot reshape \(input) (\(count) elements) to \(target)")
                }
                dims[slot] = Int(count / known)
            } else if known != count {
                throw mismatch("cannot reshape \(input) (\(count) elements) to \(TensorShape(target)) (\(known) elements)")
            }
            return TensorShape(dims)

        case .transpose(let permutation):
            try requireInputs(1)
            let input = inputShapes[0]
            guard permutation.sorted() == Array(0..<input.rank) else {
                throw mismatch("permutation \(permutation) does not fit input \(input) of rank \(input.rank)")
            }
            return TensorShape(permutation.map { input.dims[$0] })

        case .embedding(let embedding):
            try requireInputs(1)
            let input = inputShapes[0]
            guard input.rank == 1 else { throw mismatch("embedding expects token ids [T], got \(input)") }
            return TensorShape([input.dims[0], embedding.dimension])

        case .lstm(let lstm):
            try requireInputs(1)
            let input = inputShapes[0]
            guard input.rank == 2 else { throw mismatch("lstm expects a sequence [T, F], got \(input)") }
            let width = try sized("the output width") { () throws(CountOverflow) in try Checked.mul(Int64(lstm.hiddenSize), Int64(lstm.directions), "") }
            return TensorShape(lstm.returnSequences ? [input.dims[0], width] : [width])

        case .upsample(let scale, _):
            try requireInputs(1)
            let input = inputShapes[0]
            guard input.rank >= 2 else { throw mismatch("upsample expects [C, spatial...], got \(input)") }
            var dims = [input.dims[0]]
            for extent in input.dims.dropFirst() {
                dims.append(try sized("the upsampled extent \(extent) × \(scale)") { () throws(CountOverflow) in try Checked.mul(Int64(extent), Int64(scale), "") })
            }
            return TensorShape(dims)
        }
    }

    /// `body`'s size, or `.tooLarge` naming this layer and `what` when its arithmetic overflows
    /// (the quantity named inside `body` is unused: the layer-level message replaces it).
    private func sized(_ what: @autoclosure () -> String, _ body: () throws(CountOverflow) -> Int64) throws(GraphError) -> Int {
        do {
            return Int(try body())
        } catch {
            throw .tooLarge(layer: name, detail: "\(what()) does not fit in 64 bits")
        }
    }

    private func normalizedAxis(_ axis: Int, rank: Int) throws(GraphError) -> Int {
        let resolved = axis < 0 ? axis + rank : axis
        guard resolved >= 0, resolved < rank else {
            throw .invalidParameter(layer: name, field: "axis", detail: "\(axis) is outside a tensor of rank \(rank)")
        }
        return resolved
    }

    /// Output extents of a sliding window, PyTorch/ONNX semantics:
    /// ⌊(in + padBegin + padEnd − dilation·(kernel − 1) − 1) / stride⌋ + 1 (⌈⌉ in ceil mode).
    private func windowOutput(input: [Int], kernel: [Int], stride: [Int], dilation: [Int],
                              padding: Padding, ceilMode: Bool, inputShape: TensorShape) throws(GraphError) -> [Int] {
        var output: [Int] = []
        for axis in input.indices {
            let extent = input[axis]
            let span = try sized("the window along axis \(axis + 1)") { () throws(CountOverflow) in
                try Checked.add(try Checked.mul(Int64(dilation[axis]), Int64(kernel[axis]) - 1, ""), 1, "")
            }
            let padded: Int
            switch padding {
            case .same:
                output.append(Padding.sameOutputExtent(input: extent, stride: stride[axis]))
                continue
            case .explicit(let begin, let end):
                padded = try sized("the padded extent along axis \(axis + 1)") { () throws(CountOverflow) in
                    try Checked.sum([Int64(extent), Int64(begin[axis]), Int64(end[axis])], "")
                }
            }
            guard padded >= span else {
                throw .shapeMismatch(layer: name, detail: "window of \(span) (kernel \(kernel[axis]), dilation \(dilation[axis])) does not fit the padded input extent \(padded) along axis \(axis + 1) of \(inputShape)")
            }
            let numerator = padded - span
            // ⌈n / s⌉ without the n + s − 1 that could overflow.
            var out = (ceilMode ? Int(Checked.divUp(Int64(numerator), Int64(stride[axis]))) : numerator / stride[axis]) + 1
            if ceilMode, case .explicit(let begin, _) = padding, (out - 1) * stride[axis] >= extent + begin[axis] {
                out -= 1  // PyTorch drops a last window that would start in the right padding.
            }
            output.append(out)
        }
        return output
    }

    /// Zero padding the layer applies before and after each spatial axis, resolving `same`
    /// (SAME_UPPER: the odd extra zero goes after).
    public func resolvedPadding(inputSpatial: [Int], kernel: [Int], stride: [Int], dilation: [Int],
                                padding: Padding) -> (begin: [Int], end: [Int]) {
        switch padding {
        case .explicit(let begin, let end):
            return (begin, end)
        case .same:
            return Padding.sameZeros(input: inputSpatial, kernel: kernel, stride: stride, dilation: dilation)
        }
    }
}
