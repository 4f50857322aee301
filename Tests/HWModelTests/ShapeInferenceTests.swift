import Testing
@testable import HWModel

@Suite struct ShapeInferenceTests {
    private func network(_ input: [Int], _ layers: [(String, LayerKind)]) throws -> Network {
        var list = [Layer(name: "in", kind: .input(TensorShape(input)), inputs: [])]
        for (name, kind) in layers { list.append(Layer(name: name, kind: kind, inputs: [list.last!.name])) }
        return try Network(name: "t", layers: list)
    }

    private func conv(_ out: Int, _ k: Int, stride: Int = 1, pad: Int = 0, dilation: Int = 1, groups: Int = 1) -> LayerKind {
        .convolution(Convolution(outChannels: out, kernel: [k, k], stride: [stride, stride],
                                 padding: .explicit(begin: [pad, pad], end: [pad, pad]),
                                 dilation: [dilation, dilation], groups: groups, bias: false))
    }

    @Test func convolutionFollowsThePyTorchFormula() throws {
        let net = try network([3, 224, 224], [("c", conv(64, 7, stride: 2, pad: 3))])
        #expect(net.outputShapes["c"] == TensorShape([64, 112, 112]))
        // ⌊(32 + 2·2 − 2·(3 − 1) − 1) / 1⌋ + 1 = 32 with dilation 2, padding 2.
        let dilated = try network([8, 32, 32], [("c", conv(8, 3, pad: 2, dilation: 2))])
        #expect(dilated.outputShapes["c"] == TensorShape([8, 32, 32]))
        let depthwise = try network([32, 56, 56], [("dw", conv(32, 3, stride: 2, pad: 1, groups: 32))])
        #expect(depthwise.outputShapes["dw"] == TensorShape([32, 28, 28]))
    }

    @Test func samePaddingGivesCeilOfInputOverStride() throws {
        let same = LayerKind.convolution(Convolution(outChannels: 4, kernel: [5, 5], stride: [2, 2], padding: .same,
                                                     dilation: [1, 1], groups: 1, bias: true))
        let net = try network([1, 27, 28], [("c", same)])
        #expect(net.outputShapes["c"] == TensorShape([4, 14, 14]))
    }

    @Test func poolingWithCeilModeAndGlobalPooling() throws {
        let pool = LayerKind.pool(Pooling(mode: .max, kernel: [3, 3], stride: [2, 2],
                                          padding: .explicit(begin: [0, 0], end: [0, 0]), ceilMode: true))
        let net = try network([64, 112, 112], [("p", pool), ("g", .globalPool(.average)), ("f", .flatten(startAxis: 0))])
        #expect(net.outputShapes["p"] == TensorShape([64, 56, 56]))
        #expect(net.outputShapes["g"] == TensorShape([64, 1, 1]))
        #expect(net.outputShapes["f"] == TensorShape([64]))
    }

    @Test func sequenceLayers() throws {
        let net = try network([100], [
            ("e", .embedding(Embedding(vocabulary: 20000, dimension: 128))),
            ("t", .transpose([1, 0])),
            ("c", .convolution(Convolution(outChannels: 64, kernel: [5], stride: [1], padding: .explicit(begin: [0], end: [0]),
                                           dilation: [1], groups: 1, bias: true))),
            ("p", .pool(Pooling(mode: .max, kernel: [4], stride: [4], padding: .explicit(begin: [0], end: [0]), ceilMode: false))),
            ("t2", .transpose([1, 0])),
            ("l", .lstm(LSTM(hiddenSize: 70, returnSequences: true, bidirectional: true, biasVectors: 2))),
            ("r", .reshape([-1, 20])),
        ])
        #expect(net.outputShapes["e"] == TensorShape([100, 128]))
        #expect(net.outputShapes["c"] == TensorShape([64, 96]))
        #expect(net.outputShapes["p"] == TensorShape([64, 24]))
        #expect(net.outputShapes["l"] == TensorShape([24, 140]))
        #expect(net.outputShapes["r"] == TensorShape([168, 20]))
    }

    @Test func concatAndUpsample() throws {
        let layers = [
            Layer(name: "in", kind: .input(TensorShape([8, 16, 16])), inputs: []),
            Layer(name: "a", kind: conv(4, 1), inputs: ["in"]),
            Layer(name: "b", kind: conv(12, 1), inputs: ["in"]),
            Layer(name: "cat", kind: .concat(axis: 0), inputs: ["a", "b"]),
            Layer(name: "up", kind: .upsample(scale: 2, mode: .nearest), inputs: ["cat"]),
        ]
        let net = try Network(name: "t", layers: layers)
        #expect(net.outputShapes["cat"] == TensorShape([16, 16, 16]))
        #expect(net.outputShapes["up"] == TensorShape([16, 32, 32]))
    }

    @Test func mismatchNamesTheLayerAndBothShapes() {
        let layers = [
            Layer(name: "in", kind: .input(TensorShape([8, 16, 16])), inputs: []),
            Layer(name: "a", kind: conv(4, 3, pad: 1), inputs: ["in"]),
            Layer(name: "b", kind: conv(4, 3), inputs: ["in"]),
            Layer(name: "sum", kind: .add, inputs: ["a", "b"]),
        ]
        #expect {
            try Network(name: "t", layers: layers)
        } throws: { error in
            guard case GraphError.shapeMismatch(layer: "sum", let detail) = error else { return false }
            let text = "\(error)"
            return text.contains("'sum'") && detail.contains("[4×16×16]") && detail.contains("[4×14×14]")
        }
    }

    @Test func layersMayBeListedOutOfOrderButNotInACycle() throws {
        let outOfOrder = [
            Layer(name: "relu", kind: .activation(.relu), inputs: ["c"]),
            Layer(name: "c", kind: conv(4, 3), inputs: ["in"]),
            Layer(name: "in", kind: .input(TensorShape([3, 8, 8])), inputs: []),
        ]
        #expect(try Network(name: "t", layers: outOfOrder).layers.map(\.name) == ["in", "c", "relu"])
        let cyclic = [
            Layer(name: "in", kind: .input(TensorShape([3, 8, 8])), inputs: []),
            Layer(name: "a", kind: .add, inputs: ["in", "b"]),
            Layer(name: "b", kind: .activation(.relu), inputs: ["a"]),
        ]
        #expect(throws: GraphError.cycle(["b", "a", "b"])) { try Network(name: "t", layers: cyclic) }
    }

    @Test func windowLargerThanInputIsAnError() {
        #expect(throws: GraphError.shapeMismatch(
            layer: "c", detail: "window of 5 (kernel 5, dilation 1) does not fit the padded input extent 4 along axis 1 of [3×4×4]")) {
            try network([3, 4, 4], [("c", conv(8, 5))])
        }
    }

    @Test func samePaddingSplitsItsZerosWithTheOddOneAtTheChosenSide() {
        // 16 → 8 with a 3×3 kernel at stride 2 needs (8 − 1)·2 + 3 − 16 = 1 zero; 7 → 7 at stride 1, 5 taps dilated by 2 need 8.
        let upper = Padding.sameZeros(input: [16, 7], kernel: [3, 5], stride: [2, 1], dilation: [1, 2])
        #expect(upper.begin == [0, 4] && upper.end == [1, 4])
        let lower = Padding.sameZeros(input: [16, 7], kernel: [3, 5], stride: [2, 1], dilation: [1, 2], oddZero: .begin)
        #expect(lower.begin == [1, 4] && lower.end == [0, 4])
        #expect(Padding.sameOutputExtent(input: 15, stride: 4) == 4)
        // A kernel smaller than the stride needs no zeros at all.
        #expect(Padding.sameZeros(input: [8], kernel: [1], stride: [2], dilation: [1]).end == [0])
    }
}
