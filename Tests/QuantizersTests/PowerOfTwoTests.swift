import Foundation
import Testing
@testable import Quantizers

@Suite struct PowerOfTwoTests {
    /// ASQ Eq. 3 and Eq. 17 for b = 3 and 4, written out term by term.
    @Test func formulaLevelSetsForThreeAndFourBits() throws {
        let r = 2.0.squareRoot()
        let pot3 = [0.125, 0.25, 0.5, 1]
        let pot4 = [1.0 / 128, 1.0 / 64, 1.0 / 32, 1.0 / 16, 0.125, 0.25, 0.5, 1]
        let post3 = [1 / (r * r * r), 0.5, 1 / r, 1]
        let post4 = (0...7).reversed().map { pow(r, -Double($0)) }
        func symmetric(_ positive: [Double]) -> [Double] { positive.reversed().map { -$0 } + [0] + positive }
        #expect(try PowerFamily.pot.formulaLevels(bits: 3).levels == symmetric(pot3))
        #expect(try PowerFamily.pot.formulaLevels(bits: 4).levels == symmetric(pot4))
        for (got, want) in zip(try PowerFamily.post.formulaLevels(bits: 3).levels, symmetric(post3)) { #expect(abs(got - want) < 1e-15) }
        for (got, want) in zip(try PowerFamily.post.formulaLevels(bits: 4).levels, symmetric(post4)) { #expect(abs(got - want) < 1e-15) }
        #expect(try PowerFamily.pot.formulaLevels(bits: 3).levels.count == 9) // 2^b + 1
    }

    /// b-bit codes keep every formula level except the smallest magnitude, which gives way to zero.
    @Test func representableLevelsAndCodeLayout() throws {
        for family in [PowerFamily.pot, .post] {
            for bits in 2...8 {
                let quantizer = try PowerQuantizer(family: family, bits: bits)
                let formula = try family.formulaLevels(bits: bits).levels
                let smallest = formula.filter { $0 > 0 }.min()!
                #expect(quantizer.levelSet.levels == formula.filter { abs($0) != smallest })
                #expect(quantizer.levelSet.levels.count == (1 << bits) - 1)
                #expect(quantizer.codeBits == bits)
                #expect(quantizer.zeroField == (1 << (bits - 1)) - 1)
                // Field W holds magnitude base^(−W).
                for w in 0..<quantizer.zeroField {
                    #expect(quantizer.fieldMagnitudes[w] == family.exponentMagnitude(-w))
                }
            }
        }
        // POT:3 codes: sign bit 4, field 0 → 1, 1 → 1/2, 2 → 1/4, 3 → 0.
        let pot3 = try PowerQuantizer(family: .pot, bits: 3)
        #expect(pot3.codeLevels == [1, 0.5, 0.25, 0, -1, -0.5, -0.25, 0])
        // 2-bit POT is ternary, as ASQ §4.1.1 remarks.
        #expect(try PowerQuantizer(family: .pot, bits: 2).levelSet.levels == [-1, 0, 1])
    }

    @Test func apotLevelsFollowLiEtAl() throws {
        // 5-bit weights: 4 magnitude bits, two terms {0, 2^0, 2^−2, 2^−4} + {0, 2^−1, 2^−3, 2^−5} (×1/2).
        let terms0 = [0.0, 0.5, 0.125, 0.03125], terms1 = [0.0, 0.25, 0.0625, 0.015625]
        var sums: [Double] = []
        for a in terms0 { for b in terms1 { sums.append(a + b) } }
        let top = sums.max()!
        let expected = Set(sums.map { $0 / top })
        let apot5 = try PowerQuantizer(family: .apot, bits: 5)
        #expect(Set(apot5.fieldMagnitudes) == expected)
        #expect(apot5.fieldMagnitudes == apot5.fieldMagnitudes.sorted())
        #expect(apot5.levelSet.levels.count == 31)
        // 3-bit weights: a single 2-bit term is plain POT {0, 1/4, 1/2, 1}.
        #expect(try PowerQuantizer(family: .apot, bits: 3).fieldMagnitudes == [0, 0.25, 0.5, 1])
        for bits in 2...8 {
            let q = try PowerQuantizer(family: .apot, bits: bits)
            #expect(Set(q.fieldMagnitudes).count == 1 << (bits - 1)) // all sums distinct
            #expect(q.fieldMagnitudes.last == 1)
        }
    }

    /// The table-driven projection picks the nearest level for every family and width.
    @Test func projectionIsNearestLevel() throws {
        var generator = SplitMix64(seed: 13)
        let values: [Float] = (0..<3000).map { _ in
            let u = generator.nextOpenUnit()
            return Float((u - 0.5) * 2.4) * Float(pow(2, -Double(generator.next() % 12))) // many octaves
        }
        for family in PowerFamily.allCases {
            for bits in 2...8 {
                let quantizer = try PowerQuantizer(family: family, bits: bits)
                var codes = [UInt32](repeating: 0, count: values.count)
                let alpha = 0.9
                values.withUnsafeBufferPointer { v in codes.withUnsafeMutableBufferPointer { quantizer.encode(v, codes: $0, alpha: alpha) } }
                let levels = quantizer.levelSet.levels.map { Float($0) }
                for (index, x) in values.enumerated() {
                    let m = x * Float(1 / alpha)
                    let got = Float(quantizer.codeLevels[Int(codes[index])])
                    let best = levels.map { abs($0 - m) }.min()!
                    #expect(abs(got - m) <= best * (1 + 1e-6) + 1e-30, "\(family):\(bits) x=\(x) got \(got)")
                }
            }
        }
    }

    /// The α search is L2-optimal: no α on a fine exhaustive grid does better than 0.1 %.
    @Test func scaleSearchMinimisesL2() throws {
        let samples = SplitMix64.standardNormal(count: 4000, seed: 17)
        for scheme in ["pot:3", "pot:4", "post:4", "apot:4"] {
            guard let quantizer = try QuantScheme(parsing: scheme).quantizer() as? PowerQuantizer else { Issue.record("not a power quantizer"); continue }
            let levels = quantizer.levelSet
            func error(_ alpha: Double) -> Double {
                samples.reduce(0) { total, w in
                    let q = alpha * levels.nearest(to: Double(w) / alpha)
                    return total + (Double(w) - q) * (Double(w) - q)
                }
            }
            let chosen = samples.withUnsafeBufferPointer { quantizer.fitScale($0) }
            let maxAbs = Double(samples.map { abs($0) }.max()!)
            let bestOnGrid = stride(from: 0.005, through: 1.0, by: 0.005).map { error($0 * maxAbs) }.min()!
            #expect(error(chosen) <= bestOnGrid * 1.001, "\(scheme): α = \(chosen)")
        }
    }

    @Test func rejectsWidthsOutsideTwoToEight() {
        #expect(throws: QuantizerError.unsupportedBits(scheme: "pot", bits: 1, allowed: 2...8)) { try PowerQuantizer(family: .pot, bits: 1) }
        #expect(throws: QuantizerError.unsupportedBits(scheme: "post", bits: 9, allowed: 2...8)) { try PowerQuantizer(family: .post, bits: 9) }
        #expect(throws: QuantizerError.unsupportedBits(scheme: "apot", bits: 0, allowed: 2...8)) { try PowerFamily.apot.formulaLevels(bits: 0) }
    }
}

@Suite struct POSTArithmeticTests {
    @Test func integerSquareRootIsExactAcrossTheWholeRange() {
        let cases: [(UInt64, UInt64)] = [
            (0, 0), (1, 1), (3, 1), (4, 2), (99, 9), (100, 10),
            (UInt64(UInt32.max) * UInt64(UInt32.max), UInt64(UInt32.max)),
            (UInt64(UInt32.max) * UInt64(UInt32.max) - 1, UInt64(UInt32.max) - 1),
            (UInt64.max, UInt64(UInt32.max)),
        ]
        for (n, root) in cases { #expect(POSTArithmetic.integerSquareRoot(n) == root, "√\(n)") }
    }

    /// For every weight code and every 8-bit activation, the integer path equals the real product
    /// within the stated bound.
    @Test(arguments: [(3, 0), (4, 0), (4, 3), (5, 2), (8, 0), (8, 15)])
    func integerPathWithinBound(weightBits: Int, fractionBits: Int) throws {
        let arithmetic = try POSTArithmetic(weightBits: weightBits, activationBits: 8, fractionBits: fractionBits)
        let quantizer = try PowerQuantizer(family: .post, bits: weightBits)
        let ulp = pow(2.0, -Double(fractionBits))
        for code in 0..<(UInt32(1) << UInt32(weightBits)) {
            let bound = arithmetic.errorBound(weightCode: code)
            #expect(bound <= ulp)
            let level = quantizer.codeLevels[Int(code)]
            for a in 0..<256 {
                let integer = try arithmetic.multiply(weightCode: code, activation: a)
                let real = level * Double(a)
                #expect(abs(Double(integer) * ulp - real) <= bound + 1e-12, "code \(code), A \(a)")
            }
        }
    }

    @Test func tableEntriesAreRoundedProducts() throws {
        let arithmetic = try POSTArithmetic(weightBits: 6, activationBits: 8, fractionBits: 4)
        for a in 0..<256 {
            for (column, w) in arithmetic.oddExponents.enumerated() {
                let expected = (Double(a) * 16 * pow(2, -Double(w) / 2)).rounded()
                #expect(Double(arithmetic.table[a * arithmetic.oddExponents.count + column]) == expected)
            }
        }
    }

    @Test func evenExponentsShiftAndZeroFieldIsZero() throws {
        let arithmetic = try POSTArithmetic(weightBits: 4, activationBits: 8)
        #expect(try arithmetic.multiply(weightCode: 0, activation: 200) == 200)     // W = 0
        #expect(try arithmetic.multiply(weightCode: 2, activation: 200) == 100)     // A ≫ 1
        #expect(try arithmetic.multiply(weightCode: 4, activation: 201) == 50)      // A ≫ 2 truncates
        #expect(try arithmetic.multiply(weightCode: 1, activation: 100) == 71)      // LUT: round(100/√2)
        #expect(try arithmetic.multiply(weightCode: 8 | 1, activation: 100) == -71) // sign bit
        #expect(try arithmetic.multiply(weightCode: 7, activation: 255) == 0)       // all-ones field = 0
    }

    @Test func tableSizeAsAFunctionOfBits() throws {
        let paper = POSTArithmetic.paperTableShape(weightBits: 3, activationBits: 3)
        #expect(paper.rows == 8 && paper.columns == 4) // the paper's [8, 4] for 3 bits
        let size = try QuantScheme.postLookUpTable(weightBits: 3, activationBits: 3)
        #expect(size.rows == 8 && size.columns == 1)    // only W = 1 is odd among W ∈ {0, 1, 2}
        #expect(size.paperRows == 8 && size.paperColumns == 4)
        #expect(size.entryBits == 3)                    // round(7/√2) = 5
        let four = try QuantScheme.postLookUpTable(weightBits: 4, activationBits: 8, fractionBits: 2)
        #expect(four.rows == 256 && four.columns == 3)  // W ∈ {1, 3, 5}
        #expect(four.entryBits == 10)                   // round(255·4/√2) = 721
        #expect(four.totalBits == 256 * 3 * 10)
    }

    @Test func rejectsOutOfRangeInputs() throws {
        let arithmetic = try POSTArithmetic(weightBits: 3, activationBits: 8)
        #expect(throws: QuantizerError.invalidParameter(name: "weightCode", value: 8, reason: "does not fit in 3 bits")) {
            try arithmetic.multiply(weightCode: 8, activation: 1)
        }
        #expect(throws: QuantizerError.invalidParameter(name: "activation", value: 256, reason: "must be in 0..<256 for 8-bit activations")) {
            try arithmetic.multiply(weightCode: 1, activation: 256)
        }
        #expect(throws: QuantizerError.invalidParameter(name: "activation", value: -1, reason: "must be in 0..<256 for 8-bit activations")) {
            try arithmetic.multiply(weightCode: 1, activation: -1)
        }
        #expect(throws: QuantizerError.unsupportedBits(scheme: "post weights", bits: 1, allowed: 2...8)) { try POSTArithmetic(weightBits: 1, activationBits: 8) }
        #expect(throws: QuantizerError.unsupportedBits(scheme: "post activations", bits: 17, allowed: 1...16)) {
            try POSTArithmetic(weightBits: 4, activationBits: 17)
        }
        #expect(throws: QuantizerError.invalidParameter(name: "fractionBits", value: 16, reason: "use 0…15 fractional bits")) {
            try POSTArithmetic(weightBits: 4, activationBits: 8, fractionBits: 16)
        }
    }
}
