import HWModel

/// Why a simulation could not run. Never a trap: every case names what to change.
public enum SimulationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Even the smallest tile of a layer does not fit a buffer.
    case tileDoesNotFit(layer: String, buffer: BufferRole, neededBits: Int64, halfCapacityBits: Int64, file: String)
    /// The batch size is not positive.
    case invalidBatch(Int)
    /// The accelerator lacks one of the weight, input and output buffers.
    case missingBuffer(BufferRole)
    /// The plan's overrides do not fit the network.
    case plan(PlanError)
    /// The cost model failed (a count overflowed or a scheme is invalid).
    case cost(CostError)
    /// The accelerator cannot be built: no array serves a layer's unit, or a count overflowed.
    case hardware(HardwareError)
    /// A cycle or byte count overflowed 64 bits.
    case overflow(String)

    /// A message naming the layer or config field and what to change.
    public var description: String {
        switch self {
        case .tileDoesNotFit(let layer, let buffer, let needed, let half, let file):
            "layer '\(layer)': its smallest tile needs \(needed) bits of \(buffer.rawValue) buffer, but half of the buffer (the other half double-buffers) holds \(half) bits; give buffers.\(buffer.rawValue).blocks more blocks in \(file)"
        case .invalidBatch(let batch):
            "batch size must be a positive whole number, got \(batch)"
        case .missingBuffer(let role):
            "the accelerator has no \(role.rawValue) buffer; add buffers.\(role.rawValue) to the hardware config"
        case .plan(let error): error.description
        case .cost(let error): error.description
        case .hardware(let error): error.description
        case .overflow(let quantity): "\(quantity) does not fit in a 64-bit count"
        }
    }
}

/// Overflow-checked 64-bit arithmetic for cycles and bits.
enum Checked {
    static func mul(_ a: Int64, _ b: Int64, _ what: @autoclosure () -> String) throws(SimulationError) -> Int64 {
        let (value, overflow) = a.multipliedReportingOverflow(by: b)
        guard !overflow else { throw .overflow(what()) }
        return value
    }

    static func add(_ a: Int64, _ b: Int64, _ what: @autoclosure () -> String) throws(SimulationError) -> Int64 {
        let (value, overflow) = a.addingReportingOverflow(b)
        guard !overflow else { throw .overflow(what()) }
        return value
    }

    /// ⌈a / b⌉ for positive b.
    static func divUp(_ a: Int64, _ b: Int64) -> Int64 { b <= 0 ? a : (a + b - 1) / b }

    /// A non-negative Double rounded up to a count, or an overflow error.
    static func count(_ value: Double, _ what: @autoclosure () -> String) throws(SimulationError) -> Int64 {
        guard value.isFinite, value >= 0, value < 9.0e18 else { throw .overflow(what()) }
        return Int64(value.rounded(.up))
    }
}
