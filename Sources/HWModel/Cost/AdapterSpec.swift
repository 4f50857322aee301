/// The shape of ASQ's adapter: the small network that turns a statistic of a layer's input
/// activations into the factor β scaling the activation step (ASQ §3.2, Fig. 2).
///
/// The paper says only "one or two linear layers"; every choice here is therefore a modelling
/// assumption, documented with the table it reproduces in docs/cost-model.md.
public struct AdapterSpec: Hashable, Sendable {
    /// What the adapter reads from the input activation tensor.
    public enum Statistic: String, Hashable, Sendable, CaseIterable {
        /// The mean of each channel: C features (C = input channels, or features of a vector).
        case channelMean = "channel-mean"
        /// Mean and standard deviation of each channel: 2·C features.
        case channelMeanAndStd = "channel-mean-std"
        /// Mean and standard deviation of the whole tensor: 2 features.
        case tensorMeanAndStd = "tensor-mean-std"
    }

    /// Which activation-quantized layers carry an adapter.
    public enum Placement: String, Hashable, Sendable, CaseIterable {
        /// Every activation-quantized weight layer except the network's first and last, whose
        /// inputs ASQ (like LSQ) quantizes with a fixed step.
        case innerLayers = "inner"
        /// Every activation-quantized weight layer.
        case allLayers = "all"
    }

    /// What the adapter reads; sets its input width (`featureCount(channels:)`).
    public var statistic: Statistic
    /// Widths of the hidden linear layers: `[]` is one linear layer features → 1, `[h]` two
    /// layers features → h → 1.
    public var hiddenWidths: [Int]
    /// Most hidden layers a config may give an adapter (ASQ uses one).
    public static let maximumHiddenLayers = 64
    /// Bits each adapter parameter is stored in (the adapter is not quantized: 32).
    public var parameterBits: Int
    /// Operations counted per multiply-accumulate of the adapter's linear layers: 2 counts the
    /// multiply and the add separately, as FLOP counters do for an FP32 unit.
    public var operationsPerMAC: Int
    /// Whether the reduction computing the statistic counts as adapter operations. Off by
    /// default: the statistic is accumulated as the previous layer writes its output.
    public var countsStatisticOperations: Bool
    /// Which activation-quantized layers get an adapter.
    public var placement: Placement

    /// Creates an adapter shape. The defaults are hwsim's documented choice (docs/cost-model.md):
    /// per-channel mean → 20 → 1, FP32, two operations per MAC, adapters on inner layers.
    public init(statistic: Statistic = .channelMean, hiddenWidths: [Int] = [20], parameterBits: Int = 32,
                operationsPerMAC: Int = 2, countsStatisticOperations: Bool = false,
                placement: Placement = .innerLayers) {
        self.statistic = statistic
        self.hiddenWidths = hiddenWidths
        self.parameterBits = parameterBits
        self.operationsPerMAC = operationsPerMAC
        self.countsStatisticOperations = countsStatisticOperations
        self.placement = placement
    }

    /// Features the statistic yields for an input with `channels` channels (a convolution's
    /// input channels, or the features a linear or LSTM layer reads).
    public func featureCount(channels: Int) -> Int {
        switch statistic {
        case .channelMean: channels
        case .channelMeanAndStd: 2 * channels
        case .tensorMeanAndStd: 2
        }
    }
}
