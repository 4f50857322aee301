import HWModel
import Quantizers

/// Lowering of bound layers to workloads: the one conv→GEMM rule every architecture consumes
/// (docs/simulation.md §1).
public enum Lowering {
    /// The workload of `bound` for a batch of `batch` samples.
    ///
    /// A convolution is `groups` GEMMs of M = out/groups, K = Cin/groups · kernel area,
    /// N = output positions · batch; a linear layer one GEMM of M = out features, K = in
    /// features, N = positions · batch; an LSTM one GEMM per step and direction of M = 4H,
    /// K = F + H, N = batch, whose weights every step shares.
    public static func workload(of bound: BoundLayer, batch: Int64) throws(SimulationError) -> Workload {
        let layer = bound.layer
        let what = "layer '\(layer.name)'"
        let input = bound.inputShapes.first ?? TensorShape([])
        func elements(_ shape: TensorShape) throws(SimulationError) -> Int64 {
            guard let count = shape.elementCount else { throw .overflow(CountOverflow(quantity: "elements of \(what)")) }
            return try SimulationError.counting(Checked.mul(count, batch, "elements of \(what)"))
        }
        switch bound.role {
        case .addressing:
            return .none
        case .fused(let host):
            return .fused(into: host)
        case .lookup(let quantization):
            let out = try elements(bound.outputShape)
            return .vector(VectorWorkload(operations: out, inputElements: try elements(input), outputElements: out,
                                          gatherBits: try SimulationError.counting(Checked.mul(out, Int64(quantization.weights.bits), "gathered bits of \(what)")),
                                          precision: LayerPrecision(weightBits: 0, inputBits: 32, outputBits: bound.outputBits),
                                          dataBits: bound.outputBits))
        case .elementwise:
            var read: Int64 = 0
            switch layer.kind {
            case .batchNorm, .activation:
                read = try elements(input)
            default:
                for shape in bound.inputShapes {
                    let count = try elements(shape)
                    read = try SimulationError.counting(Checked.add(read, count, "input of \(what)"))
                }
            }
            var operations = try SimulationError.counting(Checked.mul(bound.cost.vectorOperations, batch, "operations of \(what)"))
            // Pooling, adds and the like do at least one operation; a standalone activation may not.
            if case .batchNorm = layer.kind {} else if case .activation = layer.kind {} else { operations = max(operations, 1) }
            return .vector(VectorWorkload(operations: operations, inputElements: read, outputElements: try elements(bound.outputShape), gatherBits: 0,
                                          precision: LayerPrecision(weightBits: 0, inputBits: bound.inputBits, outputBits: bound.outputBits),
                                          dataBits: max(bound.inputBits, bound.outputBits)))
        case .multiplyAccumulate(let quantization, _):
            let precision = LayerPrecision(weightBits: quantization.weights.bits, inputBits: quantization.activations.bits, outputBits: bound.outputBits)
            let adapterMACs = try SimulationError.counting(Checked.mul(bound.cost.adapter?.macs ?? 0, batch, "adapter MACs of \(what)"))
            switch layer.kind {
            case .convolution(let conv):
                let groups = Int64(conv.groups)
                let channels = Int64(input.dims[0])
                let kernelArea = try SimulationError.counting(Checked.product(conv.kernel.map(Int64.init), "kernel of \(what)"))
                let k = try SimulationError.counting(Checked.mul(channels / groups, kernelArea, "reduction of \(what)"))
                let positions = try elements(bound.outputShape) / Int64(conv.outChannels)
                let spatialIn = try elements(input) / channels
                return .gemm(GEMMWorkload(m: Int64(conv.outChannels) / groups, k: k, n: positions, groups: groups, steps: 1,
                                          inputElementsPerGroup: try SimulationError.counting(Checked.mul(channels / groups, spatialIn, "input of \(what)")),
                                          vectorOperationsPerStep: 0, weights: bound.cost.weights, weightsShared: false,
                                          precision: precision, adapterMACs: adapterMACs))
            case .linear(let linear):
                let features = Int64(input.dims.last ?? 1)
                let all = try elements(input)
                return .gemm(GEMMWorkload(m: Int64(linear.outFeatures), k: features, n: all / max(features, 1), groups: 1, steps: 1,
                                          inputElementsPerGroup: all, vectorOperationsPerStep: 0, weights: bound.cost.weights, weightsShared: false,
                                          precision: precision, adapterMACs: adapterMACs))
            case .lstm(let lstm):
                let hidden = Int64(lstm.hiddenSize)
                let k = Int64(input.dims[1]) + hidden
                let gateRows = try SimulationError.counting(Checked.mul(4, hidden, "gate rows of \(what)"))
                let steps = try SimulationError.counting(Checked.mul(Int64(input.dims[0]), Int64(lstm.directions), "steps of \(what)"))
                let gateOperations = try SimulationError.counting(Checked.product([hidden, VectorOperationCounts.lstmPerHiddenUnitStep, batch], "gate operations of \(what)"))
                return .gemm(GEMMWorkload(m: gateRows, k: k, n: batch, groups: 1, steps: steps,
                                          inputElementsPerGroup: try SimulationError.counting(Checked.mul(k, batch, "input of \(what)")),
                                          vectorOperationsPerStep: gateOperations, weights: bound.cost.weights, weightsShared: true,
                                          precision: precision, adapterMACs: adapterMACs))
            default:
                preconditionFailure("only convolution, linear and LSTM layers multiply-accumulate")
            }
        }
    }
}
