import HWModel
import Quantizers

/// A stream between two stages and the FIFO on it.
public struct DataflowLink: Hashable, Sendable {
    /// Index of the producing stage.
    public var producer: Int
    /// Index of the consuming stage.
    public var consumer: Int
    /// FIFO depth in words; 2 or less means no FIFO (the stream's handshake registers).
    public var depth: Int64
    /// Whether the depth came from the folding (`inFIFODepths`/`outFIFODepths`) rather than hwsim's sizing.
    public var given: Bool
    /// Bits of one word.
    public var width: Int64
    /// The consumer's frame period when this FIFO is too shallow for the consumer's burst reads
    /// (docs/dataflow.md §3.2); 0 when the FIFO does not limit it.
    public var coupledCycles: Int64
}

/// The streaming pipeline's timing: each stage's period, the FIFO coupling, the frame latency
/// and the FIFO depths hwsim sizes (docs/dataflow.md §3).
public struct DataflowPipeline: Hashable, Sendable {
    /// Per stage, its own cycles per frame and traffic.
    public var timings: [StageTiming]
    /// Every stream, with its FIFO.
    public var links: [DataflowLink]
    /// Cycles between frames in steady state: the slowest stage, or a FIFO-coupled pair.
    public var initiationInterval: Int64
    /// The stage whose period (own or coupled) sets the interval.
    public var bottleneck: Int
    /// Cycles from the first input word of a frame to its last output word.
    public var latency: Int64
    /// Per stage, the cycle its first input word arrives (frame 0).
    public var start: [Int64]

    /// Times `stages` at `bytesPerCycle` of DRAM bandwidth over `portBits`-wide DMA words.
    public init(stages: [DataflowStage], bytesPerCycle: Double, portBits: Int) throws(SimulationError) {
        let timings = stages.map { StageTiming.of($0, bytesPerCycle: bytesPerCycle, portBits: portBits) }
        var consumers = Array(repeating: [Int](), count: stages.count)
        for (index, stage) in stages.enumerated() {
            for producer in stage.producers { consumers[producer].append(index) }
        }
        // Effective frame time: a stage runs no faster than what feeds it.
        var effective = Array(repeating: Int64(0), count: stages.count)
        for (index, stage) in stages.enumerated() {
            effective[index] = stage.producers.reduce(timings[index].cycles) { max($0, effective[$1]) }
        }
        var links: [DataflowLink] = []
        var interval = Int64(0)
        var bottleneck = 0
        for (index, timing) in timings.enumerated() where timing.cycles > interval {
            interval = timing.cycles
            bottleneck = index
        }
        for (index, stage) in stages.enumerated() {
            for producer in stage.producers {
                let given = Self.givenDepth(producer: stages[producer], consumer: stage)
                var link = DataflowLink(producer: producer, consumer: index, depth: given ?? DataflowConstants.shallowFIFODepth,
                                        given: given != nil, width: stages[producer].outputStreamBits, coupledCycles: 0)
                // A converter in front of a burst reader is part of it (FINN's WidthAdjustedInputStream):
                // its FIFO is the one before the converter.
                let insideConverter = stages[producer].unit == .widthConverter && (stage.unit == .matrix || stage.unit == .vector) && given == nil
                // Only a unit that itself emits in bursts starves a burst reader: a sliding window or
                // a per-channel unit keeps pace with its own input and has buffers of its own.
                let bursty = stages[producer].unit == .matrix || stages[producer].unit == .vector
                if bursty, !insideConverter, let burst = Self.burst(into: index, stages: stages, consumers: consumers, timings: timings) {
                    let perWord = Double(max(effective[producer], 1)) / Double(max(timings[producer].outputWords, 1))
                    let words = Checked.divUp(burst.words * burst.consumerWordBits, max(link.width, 1))
                    let readCycles = max(Double(link.width) / Double(max(burst.consumerWordBits, 1)), 1)
                    let idle = Double(burst.cyclesPerVector) - Double(words) * readCycles
                    if given != nil {
                        let held = link.depth + DataflowConstants.fifoExtraWords
                        if held < words, perWord > readCycles, idle > 0 {
                            // The FIFO fills while the consumer computes and the producer then stalls;
                            // the words beyond it arrive at the producer's pace (§3.2).
                            let period = Double(words - held) * perWord + Double(held) * readCycles + idle
                            let frame = try SimulationError.counting(Checked.count(period * Double(burst.vectors), "coupled cycles of \(stage.name)"))
                            link.coupledCycles = max(frame, timings[burst.consumer].cycles)
                        }
                    } else if perWord > readCycles, idle > 0 {
                        // hwsim sizes the FIFO to hold one whole vector, so the burst never waits.
                        link.depth = max(words, DataflowConstants.shallowFIFODepth)
                    }
                }
                if link.coupledCycles > interval {
                    interval = link.coupledCycles
                    bottleneck = Self.burst(into: index, stages: stages, consumers: consumers, timings: timings)?.consumer ?? index
                }
                links.append(link)
            }
        }
        // Frame latency over the DAG: a stage starts at its inputs' first words, emits its first
        // word after its fill (read at the upstream pace) and ends no earlier than its producers
        // plus its tail.
        var start = Array(repeating: Int64(0), count: stages.count)
        var firstOut = Array(repeating: Int64(0), count: stages.count)
        var finish = Array(repeating: Int64(0), count: stages.count)
        for (index, stage) in stages.enumerated() {
            let timing = timings[index]
            var pace = 1.0
            for producer in stage.producers {
                start[index] = max(start[index], firstOut[producer])
                pace = max(pace, Double(effective[producer]) / Double(max(timings[producer].outputWords, 1)))
            }
            // A stage cannot wait for more words than a frame brings it.
            let words = min(timing.fill, max(timing.inputWords, 1))
            let fill = try SimulationError.counting(Checked.count(Double(max(words - 1, 0)) * pace, "fill of \(stage.name)"))
            firstOut[index] = start[index] + fill + 1
            finish[index] = stage.producers.reduce(start[index] + effective[index]) { max($0, finish[$1] + timing.tail) }
        }
        // The skip branch of an add holds its words until the other branch's first word arrives.
        for position in links.indices where stages[links[position].consumer].unit == .addStreams && !links[position].given {
            let link = links[position]
            let arrival = stages[link.consumer].producers.map { firstOut[$0] }.max() ?? 0
            let early = arrival - firstOut[link.producer]
            guard early > 0 else { continue }
            let perWord = Double(max(effective[link.producer], 1)) / Double(max(timings[link.producer].outputWords, 1))
            let words = try SimulationError.counting(Checked.count(Double(early) / perWord, "skip FIFO of \(stages[link.consumer].name)"))
            links[position].depth = max(link.depth, min(words, timings[link.producer].outputWords) + DataflowConstants.shallowFIFODepth)
        }
        self.timings = timings
        self.links = links
        initiationInterval = interval
        self.bottleneck = bottleneck
        latency = finish.max() ?? 0
        self.start = start
    }

    /// A depth the folding gives for the stream: the consumer's `inFIFODepths` or the
    /// producer's `outFIFODepths`, the larger when both (FINN's `InsertFIFO`).
    static func givenDepth(producer: DataflowStage, consumer: DataflowStage) -> Int64? {
        let into = consumer.unit == .widthConverter ? nil : consumer.folding.inputFIFODepth
        let out = producer.unit == .widthConverter ? nil : producer.folding.outputFIFODepth
        switch (into, out) {
        case (nil, nil): return nil
        case (let a?, nil): return Int64(a)
        case (nil, let b?): return Int64(b)
        case (let a?, let b?): return Int64(max(a, b))
        }
    }

    /// The burst-reading unit a stream feeds (directly or through one converter): a matrix or
    /// vector unit that reads a vector's words and then computes without reading.
    static func burst(into index: Int, stages: [DataflowStage], consumers: [[Int]], timings: [StageTiming])
        -> (consumer: Int, words: Int64, consumerWordBits: Int64, cyclesPerVector: Int64, vectors: Int64)? {
        var target = index
        if stages[index].unit == .widthConverter, consumers[index].count == 1 { target = consumers[index][0] }
        let timing = timings[target]
        guard stages[target].unit == .matrix || stages[target].unit == .vector, timing.cyclesPerVector > timing.wordsPerVector,
              timing.wordsPerVector > 0 else { return nil }
        return (target, timing.wordsPerVector, stages[target].inputStreamBits, timing.cyclesPerVector, timing.inputWords / timing.wordsPerVector)
    }
}
