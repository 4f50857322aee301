/// The largest networks hwsim accepts, from a config or an importer. docs/limits.md gives each
/// limit with its reason.
///
/// They are far above any real network and low enough that every sum or product of sizes the
/// shape inference and the cost model form is either exact in 64 bits or caught by a checked
/// operation, and that no input can make hwsim work for hours before answering.
public enum NetworkLimits {
    /// Largest layer hyper-parameter or input dimension (channels, spatial extents, kernel,
    /// stride, padding, dilation, groups, features, hidden sizes, vocabulary, scale, sequence
    /// length): 2^31 − 1, so a sum of a few of them, or a product of two, fits 64 bits.
    public static let maximumSize = Int(Int32.max)

    /// Most elements one tensor (one sample) may hold: 2^40, i.e. 1 Ti values, about 4 TB in
    /// FP32. A layer of 2^40 MACs still costs and simulates; a product of two such counts
    /// would not fit 64 bits, which is why a tensor is capped.
    public static let maximumElements: Int64 = 1 << 40

    /// Most dimensions a tensor may have; real layouts have at most six.
    public static let maximumRank = 16

    /// Most layers a network may have after template and `repeat` expansion. The largest
    /// shipped network has a few hundred (ResNet-1001 has about 3,000); every report and
    /// simulation is at least linear in this count, so it bounds the time any config can take:
    /// at 98,000 layers a debug build took 9 s to run the tile overlay and 53 s to fit a
    /// dataflow folding on the 2-core machine, at 20,000 about a fifth of that.
    public static let maximumLayers = 20_000

    /// Most copies one `repeat` may ask for: each copy is at least one layer, so a larger
    /// count could never fit ``maximumLayers`` and is refused before anything is expanded.
    public static let maximumRepeat = maximumLayers

    /// Most inputs one layer (add, concat, mul) may take.
    public static let maximumInputs = 65_536
}
