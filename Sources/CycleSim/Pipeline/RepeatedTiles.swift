import Quantizers

/// What the timing loop accumulates besides the pipeline: the bits moved, the fold cycles and
/// the compute model's cycles so far.
struct TimingState {
    var pipeline = TilePipeline()
    var foldCycles: Int64 = 0
    var loadedBits: Int64 = 0
    var weightBits: Int64 = 0
    var storedBits: Int64 = 0
    var modelCycles: Int64 = 0

    /// Runs `group` `times` times. Work that repeats — the batch's columns, LSTM steps, the
    /// M blocks of a layer — is not timed group by group once the pipeline has settled: when
    /// two successive identical groups advance every engine time by one and the same δ and
    /// every count by the same amounts, each later group does exactly that again (the engines'
    /// times are max-plus functions of the last ones), so the rest is added in closed form.
    /// Every compute model's tile cycles depend on the tile's extent alone, so identical groups
    /// are identical work.
    /// `closedForm: false` times every group (for checking the closed form).
    mutating func repeating(_ times: Int64, closedForm: Bool = true, what: @autoclosure () -> String,
                            _ group: (inout TimingState) throws(SimulationError) -> Void) throws(SimulationError) {
        var done: Int64 = 0
        var previous: Advance?
        while done < times {
            let before = self
            try group(&self)
            done += 1
            guard closedForm, done < times else { continue }
            let advance = Advance(from: before, to: self)
            if let previous, advance == previous, advance.isUniform {
                try apply(advance, times: times - done, what())
                return
            }
            previous = advance
        }
    }

    /// How one group moved the state.
    struct Advance: Equatable {
        var times: [Int64]
        var pendingStoreBefore: Int64?
        var pendingStoreAfter: Int64?
        var counts: [Int64]

        init(from a: TimingState, to b: TimingState) {
            times = zip(a.pipeline.clock, b.pipeline.clock).map { $1 &- $0 }
            pendingStoreBefore = a.pipeline.pendingStoreCycles
            pendingStoreAfter = b.pipeline.pendingStoreCycles
            counts = zip(a.counters, b.counters).map { $1 &- $0 }
        }

        /// Every engine time moved by the same δ and the state between groups is the same.
        var isUniform: Bool {
            guard let first = times.first else { return false }
            return times.allSatisfy { $0 == first } && pendingStoreBefore == pendingStoreAfter
        }
    }

    /// Every counter in a fixed order, for advancing them together.
    var counters: [Int64] {
        pipeline.counters + [foldCycles, loadedBits, weightBits, storedBits, modelCycles]
    }

    mutating func apply(_ advance: Advance, times: Int64, _ what: String) throws(SimulationError) {
        var clock = pipeline.clock
        for index in clock.indices {
            let step = try SimulationError.counting(Checked.mul(advance.times[index], times, "cycles of \(what)"))
            clock[index] = try SimulationError.counting(Checked.add(clock[index], step, "cycles of \(what)"))
        }
        var counts = counters
        for index in counts.indices {
            let step = try SimulationError.counting(Checked.mul(advance.counts[index], times, "counts of \(what)"))
            counts[index] = try SimulationError.counting(Checked.add(counts[index], step, "counts of \(what)"))
        }
        pipeline.set(clock: clock, counters: Array(counts.prefix(pipeline.counters.count)))
        let own = counts.suffix(5).map { $0 }
        (foldCycles, loadedBits, weightBits, storedBits, modelCycles) = (own[0], own[1], own[2], own[3], own[4])
    }
}

/// Index ranges of a loop whose first and last iterations differ from the ones between:
/// `[first]`, `[middle] × (count − 2)`, `[last]`, as (index, repetitions).
func loopSegments(_ count: Int64) -> [(index: Int64, times: Int64)] {
    switch count {
    case ...0: []
    case 1: [(0, 1)]
    case 2: [(0, 1), (1, 1)]
    default: [(0, 1), (1, count - 2), (count - 1, 1)]
    }
}
