import HWModel
import Quantizers

/// VecQ Table 1: the optimal interval λ*(k) for φ ∼ N(0, 1), as hwsim's solver computes it.
public enum LambdaTable {
    /// The paper prints four decimals; a cell reproduces it when it rounds to the same value.
    public static let tolerance = 0.00005

    /// One row per bitwidth of `reference`, with the solver's λ beside the paper's.
    public static func rows(reference: ReferenceTable) -> [PaperComparison] {
        reference.column("k").enumerated().compactMap { row, text in
            guard let bits = Int(text) else { return nil }
            return PaperComparison(item: "N(0,1)", setting: "k=\(bits)", quantity: "λ*",
                                   computed: VecQ.solveTemplateLambda(bits: bits),
                                   paper: Double(reference.column("lambda")[row]), tolerance: tolerance)
        }
    }
}
