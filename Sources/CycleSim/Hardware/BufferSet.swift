import HWModel
import Quantizers

/// The three buffers every overlay accelerator has.
public struct BufferSet: Hashable, Sendable {
    /// Weight tiles.
    public var weights: BufferInstance
    /// Input tiles.
    public var inputs: BufferInstance
    /// Output tiles and partial sums.
    public var outputs: BufferInstance

    /// The buffers of `accelerator`, which must have all three.
    public init(_ accelerator: Accelerator) throws(SimulationError) {
        guard let weights = accelerator.buffer(.weights) else { throw .missingBuffer(.weights) }
        guard let inputs = accelerator.buffer(.inputs) else { throw .missingBuffer(.inputs) }
        guard let outputs = accelerator.buffer(.outputs) else { throw .missingBuffer(.outputs) }
        self.weights = weights
        self.inputs = inputs
        self.outputs = outputs
    }
}
