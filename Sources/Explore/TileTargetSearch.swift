import CycleSim
import Foundation
import HWModel
import Quantizers

/// What a design must achieve (docs/simulation.md §4).
public enum DesignTarget: Hashable, Sendable, CustomStringConvertible {
    /// At least this many frames per second in the steady state.
    case framesPerSecond(Double)
    /// At most this latency of the batch, in milliseconds, in the steady state.
    case latencyMs(Double)

    /// `3000 frames/s` or `2.5 ms`.
    public var description: String {
        switch self {
        case .framesPerSecond(let fps): "\(TileTargetSearch.format(fps)) frames/s"
        case .latencyMs(let ms): "\(TileTargetSearch.format(ms)) ms"
        }
    }

    /// Whether `simulation` achieves the target.
    public func isMet(by simulation: NetworkSimulation) -> Bool {
        switch self {
        case .framesPerSecond(let fps): simulation.framesPerSecond >= fps
        case .latencyMs(let ms): simulation.latencySeconds * 1e3 <= ms
        }
    }
}

/// Why no design meets a target.
public enum TargetSearchError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Even the fastest design within the budget misses the target; it reaches `best`.
    case unreachable(target: String, best: String)
    /// A design could not be simulated.
    case simulation(SimulationError)

    /// A message saying what the fastest design reaches.
    public var description: String {
        switch self {
        case .unreachable(let target, let best):
            "no design within the utilisation budget reaches \(target); the fastest reaches \(best)"
        case .simulation(let error): error.description
        }
    }
}

/// The smallest tile-array design that meets a target: the fastest design within a fraction
/// of the utilisation budget, for fractions 2^(−j/4), j = 0 … 56, and of those that meet the
/// target the one with the fewest LUTs (ties: fewer DSPs, then the larger fraction).
///
/// Every fraction's design is fixed by the network and the config alone, so a looser target
/// chooses from a superset of designs and never costs more LUTs.
public enum TileTargetSearch {
    /// Fractions of the budget tried, largest first.
    public static let budgetFractions: [Double] = (0...56).map { Foundation.pow(2, -Double($0) / 4) }

    /// The chosen design and its simulation.
    public static func smallest(meeting target: DesignTarget, network: BoundNetwork, workloads: [Workload], template: AcceleratorTemplate,
                                batch: Int) throws(TargetSearchError) -> (built: BuiltAccelerator, simulation: NetworkSimulation) {
        var best: (built: BuiltAccelerator, simulation: NetworkSimulation, lut: Double, dsp: Double)?
        var fastest: NetworkSimulation?
        for fraction in budgetFractions {
            var scaled = template
            scaled.device.budget = template.device.budget.scaled(by: ResourceVector(lut: fraction, ff: fraction, dsp: fraction, bram36: fraction, uram: fraction))
            let built: BuiltAccelerator
            let simulation: NetworkSimulation
            do throws(SimulationError) {
                built = try Simulator.build(template: scaled, network: network, workloads: workloads, batch: batch)
                simulation = try built.simulate(network, workloads: workloads, batch: batch)
            } catch {
                // A fraction too small for some tile or array is not a design; larger ones remain.
                if case .tileDoesNotFit = error { continue }
                throw .simulation(error)
            }
            if fastest.map({ simulation.cycles < $0.cycles }) ?? true { fastest = simulation }
            guard target.isMet(by: simulation) else { continue }
            // Reported against the real budget: the scaled one only bounded the search.
            let restored = built.reported(against: template)
            let used = restored.accelerator.resources
            if let current = best, used.lut > current.lut + 1e-6 || (abs(used.lut - current.lut) <= 1e-6 && used.dsp >= current.dsp) { continue }
            do throws(SimulationError) {
                best = (restored, try restored.simulate(network, workloads: workloads, batch: batch), used.lut, used.dsp)
            } catch {
                throw .simulation(error)
            }
        }
        guard let best else {
            let reached = fastest.map { "\(format($0.framesPerSecond)) frames/s (\(format($0.latencySeconds * 1e3)) ms)" } ?? "nothing"
            throw .unreachable(target: target.description, best: reached)
        }
        return (best.built, best.simulation)
    }

    static func format(_ value: Double) -> String { DesignSpace.number((value * 1000).rounded() / 1000) }
}
