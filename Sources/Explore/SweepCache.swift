import CycleSim
import Foundation
import HWModel
import Quantizers

/// What a sweep's points share, computed once and safe to use from many tasks at once
/// (docs/compare.md, "Speed"):
///
/// * the network bound to each plan and lowered (``BoundNetworkCache``);
/// * per (plan, hardware config without its clock and bandwidth): the build steps before the
///   search among `auto` arrays — units, buffers, vector and adapter units, candidates, weight
///   residency — which no clock or bandwidth changes;
/// * per (plan, that config, DMA bytes per cycle, architecture): the whole simulation of a tile
///   or systolic point, since clock and bandwidth enter it only through that rate (a dataflow
///   point is folded to a frame rate the clock sets, so only its binding is shared). A point at another clock with the
///   same rate (9.6 GB/s at 150 MHz and 19.2 GB/s at 300 MHz) reuses it, reclocked; so does a
///   point whose `--array` choice leaves the config as it is (`auto` on an `auto` config).
///
/// Every entry is a pure function of its key, so the results are those of the uncached
/// evaluation whatever order the points run in; two tasks that miss the same key at once both
/// compute it and store equal values.
public final class SweepCache: @unchecked Sendable {
    /// How often the cache answered.
    public struct Statistics: Hashable, Sendable {
        /// Points asked for.
        public var points = 0
        /// Distinct simulations among them: the points that had to be simulated.
        public var simulations = 0
        /// Distinct prepared builds (plan and hardware config without clock and bandwidth).
        public var preparedBuilds = 0

        /// Points whose simulation another point had already given.
        public var hits: Int { points - simulations }

        /// Hits over points (0 when none were asked for).
        public var hitRate: Double { points > 0 ? Double(hits) / Double(points) : 0 }
    }

    private struct PreparedKey: Hashable {
        var plan: QuantizationPlan
        var hardware: AcceleratorTemplate
    }

    private struct SimulationKey: Hashable {
        var prepared: PreparedKey
        var dmaBytesPerCycle: Double
        var architecture: SweepArchitecture
        var array: ArrayChoice?
    }

    /// Bound networks and workloads per plan.
    public let bound: BoundNetworkCache
    private var prepared: [PreparedKey: PreparedBuild] = [:]
    /// A simulation's totals held by reference, so that the table's growth moves pointers.
    private final class Totals: Sendable {
        let result: Result<NetworkSimulation, any Error>
        init(_ result: Result<NetworkSimulation, any Error>) { self.result = result }
    }

    private var simulations: [SimulationKey: Totals] = [:]
    private var lookups = 0
    /// Simulations run after the table was full, so the counts stay right.
    private var unstored = 0
    /// Most simulations kept (each holds a design's totals, a few kB): a sweep of millions of
    /// distinct points keeps the first ones and simulates the rest without storing them.
    public let simulationLimit: Int
    private let lock = NSLock()

    /// A cache for one network and batch size, keeping at most `simulationLimit` simulations.
    public init(network: Network, batch: Int, simulationLimit: Int = 200_000) {
        bound = BoundNetworkCache(network: network, batch: batch)
        self.simulationLimit = simulationLimit
    }

    /// How often the cache has answered so far.
    /// Counts of distinct entries, so the same sweep gives the same figures however its points
    /// were scheduled (until ``simulationLimit`` is reached).
    public var statistics: Statistics {
        lock.withLock { Statistics(points: lookups, simulations: simulations.count + unstored, preparedBuilds: prepared.count) }
    }

    /// The steady-state simulation of `plan` on `template` (the template a point runs on).
    func simulation(of plan: QuantizationPlan, on template: AcceleratorTemplate, architecture: SweepArchitecture,
                    array: ArrayChoice, targetFPS: Double?) throws -> NetworkSimulation {
        // A dataflow design is folded to a frame rate, which the clock sets: only its binding is shared.
        if case .dataflow = architecture {
            lock.withLock { lookups += 1; unstored += 1 }
            return try DesignSpace.simulate(plan: plan, template: template, architecture: architecture, array: array, targetFPS: targetFPS,
                                            entry: try bound.entry(for: plan), prepared: nil)
        }
        let preparedKey = PreparedKey(plan: plan, hardware: template.buildKey)
        // A systolic point's template is its array's; the tile architecture's is the config's.
        let key = SimulationKey(prepared: preparedKey, dmaBytesPerCycle: template.dmaBytesPerCycle, architecture: architecture,
                                array: architecture == .tile ? nil : array)
        if let known = lock.withLock({ () -> Totals? in
            lookups += 1
            return simulations[key]
        }) {
            return try known.result.get().reclocked(clockMHz: template.clockMHz, bandwidthGBps: template.board.bandwidthGBps)
        }
        let entry = try bound.entry(for: plan)
        let result: Result<NetworkSimulation, any Error>
        do {
            var build: PreparedBuild?
            if architecture == .tile {
                build = lock.withLock { prepared[preparedKey] }
                if build == nil {
                    let made = try Simulator.prepare(template: template, network: entry.bound, workloads: entry.workloads, batch: entry.batch)
                    lock.withLock { prepared[preparedKey] = made }
                    build = made
                }
            }
            result = .success(try DesignSpace.simulate(plan: plan, template: template, architecture: architecture, array: array,
                                                       targetFPS: targetFPS, entry: entry, prepared: build).totalsOnly())
        } catch {
            result = .failure(error)
        }
        lock.withLock {
            if simulations.count < simulationLimit || simulations[key] != nil {
                simulations[key] = Totals(result)
            } else {
                unstored += 1
            }
        }
        return try result.get()
    }
}

/// Bound networks and their workloads, shared by the points with the same plan; safe to use
/// from many tasks at once.
public final class BoundNetworkCache: @unchecked Sendable {
    /// A network bound to one plan and lowered for the sweep's batch.
    public struct Entry: Sendable {
        /// The bound network.
        public let bound: BoundNetwork
        /// Its workloads at the sweep's batch.
        public let workloads: [Workload]
        /// The batch the workloads are lowered for.
        public let batch: Int

        /// Binds and lowers.
        public init(network: Network, plan: QuantizationPlan, batch: Int) throws(SimulationError) {
            do {
                bound = try BoundNetwork(network: network, plan: plan)
            } catch {
                throw .binding(error)
            }
            workloads = try Simulator.workloads(of: bound, batch: batch)
            self.batch = batch
        }
    }

    private let network: Network
    /// Samples per simulation.
    public let batch: Int
    private var entries: [QuantizationPlan: Entry] = [:]
    private let lock = NSLock()

    /// A cache for one network and batch size.
    public init(network: Network, batch: Int) {
        self.network = network
        self.batch = batch
    }

    /// The entry for `plan`, built on first use.
    public func entry(for plan: QuantizationPlan) throws(SimulationError) -> Entry {
        if let hit = lock.withLock({ entries[plan] }) { return hit }
        let entry = try Entry(network: network, plan: plan, batch: batch)
        lock.withLock { entries[plan] = entry }
        return entry
    }
}
