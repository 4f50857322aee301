import Quantizers

/// Why an accelerator cannot be built for a network (as opposed to built but not fitting,
/// which `Accelerator.overBudget` reports with numbers).
public enum HardwareError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No array of the config serves the unit a layer needs.
    case noArrayServes(layer: String, unit: String, file: String)
    /// The array's realization policy excludes every realization the unit admits.
    case unsupportedRealization(array: String, unit: String, policy: String, supported: [String], file: String)
    /// A count overflowed 64 bits.
    case overflow(String)
    /// A clock outside (0, the device's maximum] MHz.
    case clockOutOfRange(clockMHz: Double, device: String, maximumMHz: Double)
    /// A bandwidth outside ``HardwareLimits/bandwidthGBps``.
    case nonPositiveBandwidth(Double)

    /// A message naming the config file, the array or layer, and a fix.
    public var description: String {
        switch self {
        case .noArrayServes(let layer, let unit, let file):
            "\(file): arrays: no array serves layer \(MessageText.quoted(layer)), which needs \(unit) lanes; add an array whose \"serves\" includes its family or omit \"serves\""
        case .unsupportedRealization(let array, let unit, let policy, let supported, let file):
            "\(file): arrays.\(array).realization: \(unit) lanes cannot be realised with \"\(policy)\"; use \(supported.map { "\"\($0)\"" }.joined(separator: " or ")) or \"both\""
        case .overflow(let quantity):
            "\(quantity) does not fit in a 64-bit count"
        case .clockOutOfRange(let clock, let device, let maximum):
            clock >= HardwareLimits.clockMHz.lowerBound
                ? "clock \(formatted(clock)) MHz exceeds \(device)'s maximum of \(formatted(maximum)) MHz (clocks.max_mhz in its device file)"
                : "clock must be at least \(formatted(HardwareLimits.clockMHz.lowerBound)) MHz, got \(formatted(clock))"
        case .nonPositiveBandwidth(let bandwidth):
            "bandwidth must be a number of GB/s in [\(formatted(HardwareLimits.bandwidthGBps.lowerBound)), \(formatted(HardwareLimits.bandwidthGBps.upperBound))], got \(formatted(bandwidth))"
        }
    }
}
