import HWModel
import Quantizers

/// Why a simulation could not run. Never a trap: every case names what to change.
public enum SimulationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Even the smallest tile of a layer does not fit a buffer.
    case tileDoesNotFit(layer: String, buffer: BufferRole, neededBits: Int64, halfCapacityBits: Int64, file: String)
    /// The batch size is not positive.
    case invalidBatch(Int)
    /// The accelerator lacks one of the weight, input and output buffers.
    case missingBuffer(BufferRole)
    /// The plan does not fit the network, or its cost could not be computed.
    case binding(BindingError)
    /// The accelerator cannot be built: no array serves a layer's unit, or a count overflowed.
    case hardware(HardwareError)
    /// A cycle, bit or byte count does not fit 64 bits.
    case overflow(CountOverflow)
    /// The dataflow pipeline cannot be built or its folding does not fit the network.
    case dataflow(DataflowError)

    /// A message naming the layer or config field and what to change.
    public var description: String {
        switch self {
        case .tileDoesNotFit(let layer, let buffer, let needed, let half, let file):
            "layer '\(layer)': its smallest tile needs \(needed) bits of \(buffer.rawValue) buffer, but half of the buffer (the other half double-buffers) holds \(half) bits; give buffers.\(buffer.rawValue).blocks more blocks in \(file)"
        case .invalidBatch(let batch):
            "batch size must be a positive whole number, got \(batch)"
        case .missingBuffer(let role):
            "the accelerator has no \(role.rawValue) buffer; add buffers.\(role.rawValue) to the hardware config"
        case .binding(let error): error.description
        case .hardware(let error): error.description
        case .overflow(let error): error.description
        case .dataflow(let error): error.description
        }
    }

    /// Evaluates checked arithmetic (`Checked`), reporting an overflow as ``overflow(_:)``.
    @inlinable
    public static func counting<T>(_ body: @autoclosure () throws(CountOverflow) -> T) throws(SimulationError) -> T {
        do {
            return try body()
        } catch {
            throw .overflow(error)
        }
    }
}
