/// The three engines of the tile-level simulation — load DMA, compute, store DMA — with
/// double buffers between them (docs/simulation.md §3).
///
/// Tile i's load needs the input half-buffer tile i − 2 used, so it waits for compute of
/// tile i − 2; compute of tile i waits for its load, for compute of tile i − 1, and for the
/// output half-buffer, i.e. the store of tile i − 2. Loads and stores share one DDR port and
/// are issued in order load i, store i − 1, so neither overtakes the other.
struct TilePipeline {
    private(set) var ddrFree: Int64 = 0
    private var computeEndBack2: Int64 = 0
    private var computeEndBack1: Int64 = 0
    /// End of the last store issued: the store of tile i − 2 while tile i is pushed.
    private var storeEndBack1: Int64 = 0
    /// Store cycles of the previous tile, issued after the next load.
    private var pendingStore: Int64?
    private(set) var busy: Int64 = 0
    private(set) var loadStall: Int64 = 0
    private(set) var storeStall: Int64 = 0
    private(set) var loadCycles: Int64 = 0
    private(set) var storeCycles: Int64 = 0
    private(set) var tiles: Int64 = 0

    /// Adds a tile; times are cycles from the layer's start.
    mutating func push(load: Int64, compute: Int64, store: Int64) {
        let loadStart = max(ddrFree, computeEndBack2)
        let loadEnd = loadStart &+ load
        ddrFree = loadEnd
        // The output half tile i writes is free once the store of tile i − 2 has finished.
        let storeEndTwoBack = storeEndBack1
        if let previous = pendingStore {
            let start = max(ddrFree, computeEndBack1)
            storeEndBack1 = start &+ previous
            ddrFree = storeEndBack1
        }
        let ready = max(loadEnd, storeEndTwoBack)
        let start = max(ready, computeEndBack1)
        if start > computeEndBack1 {
            let gap = start &- computeEndBack1
            if loadEnd >= storeEndTwoBack { loadStall &+= gap } else { storeStall &+= gap }
        }
        let end = start &+ compute
        busy &+= compute
        loadCycles &+= load
        storeCycles &+= store
        tiles &+= 1
        computeEndBack2 = computeEndBack1
        computeEndBack1 = end
        pendingStore = store
    }

    /// The engine times, in a fixed order: DDR free, compute ends of the last two tiles, end
    /// of the last store.
    var clock: [Int64] { [ddrFree, computeEndBack2, computeEndBack1, storeEndBack1] }
    /// Store cycles of the previous tile, still to be issued.
    var pendingStoreCycles: Int64? { pendingStore }
    /// The counters, in a fixed order.
    var counters: [Int64] { [busy, loadStall, storeStall, loadCycles, storeCycles, tiles] }

    /// Sets the engine times and counters (as `clock` and `counters` order them), e.g. after
    /// advancing a settled pipeline in closed form.
    mutating func set(clock: [Int64], counters: [Int64]) {
        precondition(clock.count == 4 && counters.count == 6, "the pipeline has four engine times and six counters")
        (ddrFree, computeEndBack2, computeEndBack1, storeEndBack1) = (clock[0], clock[1], clock[2], clock[3])
        (busy, loadStall, storeStall, loadCycles, storeCycles, tiles) = (counters[0], counters[1], counters[2], counters[3], counters[4], counters[5])
    }

    /// Issues the last store; returns the cycle the layer ends and charges the wait for the
    /// final store to store stalls.
    mutating func finish() -> Int64 {
        var end = computeEndBack1
        if let last = pendingStore {
            let start = max(ddrFree, computeEndBack1)
            end = start &+ last
            ddrFree = end
            pendingStore = nil
        }
        storeStall &+= end &- computeEndBack1
        return end
    }
}
