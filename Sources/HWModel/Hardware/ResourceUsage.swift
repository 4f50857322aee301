/// What an accelerator uses against what its device has and its budget allows: the figures
/// every report and sweep shows, computed in one place.
public struct ResourceUsage: Hashable, Sendable {
    /// Resources used, rounded up to whole primitives.
    public let used: ResourceVector
    /// Resources used before rounding, for the budget test.
    public let exact: ResourceVector
    /// Resources of the device.
    public let device: ResourceVector
    /// Resources the utilisation budget allows.
    public let budget: ResourceVector

    /// Usage of `resources` on `device`.
    public init(resources: ResourceVector, device: Device) {
        exact = resources
        used = resources.roundedUp
        self.device = device.resources
        budget = device.usable
    }

    /// Used over the device's total, in percent; `nil` for a resource the device has none of.
    /// Never infinite or NaN, so that no report prints `inf %`.
    public func percentOfDevice(_ kind: ResourceKind) -> Double? {
        guard device[kind] > 0 else { return nil }
        let percent = 100 * used[kind] / device[kind]
        return percent.isFinite ? percent : nil
    }

    /// Whether everything fits the utilisation budget.
    public var fitsBudget: Bool { exact.fits(within: budget) }

    /// Whether everything fits the device at all.
    public var fitsDevice: Bool { exact.fits(within: device) }

    /// Resources over budget, with the amount used and allowed.
    public var overBudget: [(kind: ResourceKind, used: Double, limit: Double)] {
        ResourceKind.allCases.compactMap { kind in
            exact[kind] > budget[kind] + 1e-6 ? (kind, exact[kind], budget[kind]) : nil
        }
    }

    /// The resource with the largest share of its budget: what limits a larger design.
    public var limitingResource: ResourceKind? {
        // A zero budget divides nothing; a NaN share (infinite use) never compares, so skip it.
        ResourceKind.allCases.filter { budget[$0] > 0 && !(exact[$0] / budget[$0]).isNaN }
            .max { exact[$0] / budget[$0] < exact[$1] / budget[$1] }
    }
}

extension Accelerator {
    /// Resources used against the device and the budget.
    public var usage: ResourceUsage { ResourceUsage(resources: resources, device: template.device) }
}
