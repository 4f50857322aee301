import Testing
import Quantizers
@testable import HWModel

/// The unit library against its sources, unit selection, and resource accounting.
@Suite struct HardwareUnitTests {
    /// Per-lane LUTs of a FINN-R PE without the per-matrix-unit c0: the breakdown of one
    /// copy of `rows` lanes and one column, minus control.
    func finnLUTPerLane(_ unit: ArithmeticUnit, rows: Int, weightDepth: Int, maximumReduction: Int) -> Double {
        let items = ArrayCostModel.copyBreakdown(unit: unit, realization: .lut, rows: rows, cols: 1, dataflow: .weightStationary,
                                                 weightDepth: weightDepth, fp32Adder: .fabric, maximumReduction: maximumReduction, dspType: .dsp48e2)
        return items.filter { $0.name != "control" }.reduce(0) { $0 + $1.total.lut } / Double(rows)
    }

    /// fpga-unit-costs.md §4.3: FINN-R gives 7.24 LUT/MAC for W1A1 at Q = 64 with BRAM
    /// weights, 9.24 and 11.24 with 128 and 256 weights in LUTRAM, 14.94 / 22.94 for W2A2
    /// (MW = 1152, thresholds in LUTRAM).
    @Test func reproducesTheFINNRTable() {
        let binary = ArithmeticUnit(multiplier: .xnor, weightBits: 1, activationBits: 1)
        let ternary = ArithmeticUnit(multiplier: .ternary, weightBits: 2, activationBits: 2)
        #expect(abs(finnLUTPerLane(binary, rows: 64, weightDepth: 0, maximumReduction: 1152) - 7.24) < 0.01)
        #expect(abs(finnLUTPerLane(binary, rows: 64, weightDepth: 128, maximumReduction: 1152) - 9.24) < 0.01)
        #expect(abs(finnLUTPerLane(binary, rows: 64, weightDepth: 256, maximumReduction: 1152) - 11.24) < 0.01)
        #expect(abs(finnLUTPerLane(ternary, rows: 64, weightDepth: 0, maximumReduction: 1152) - 14.94) < 0.02)
        #expect(abs(finnLUTPerLane(ternary, rows: 64, weightDepth: 256, maximumReduction: 1152) - 22.94) < 0.02)
    }

    /// The FINN multiplier column of §4.3 for W = A = 1…8.
    @Test func finnMultiplierTerm() {
        let expected: [Double] = [2, 4, 6, 24, 30, 36, 70, 80]
        for bits in 1...8 {
            let unit = ArithmeticUnit(multiplier: bits == 1 ? .xnor : .integer(bits: bits), weightBits: bits, activationBits: bits)
            #expect(unit.multiplierLUT == expected[bits - 1])
        }
    }

    @Test func dspPacking() {
        func unit(_ w: Int, _ a: Int) -> ArithmeticUnit { ArithmeticUnit(multiplier: .integer(bits: w), weightBits: w, activationBits: a) }
        #expect(unit(4, 4).macsPerDSP(.dsp48e2) == 4)
        #expect(unit(2, 3).macsPerDSP(.dsp48e2) == 4)
        #expect(unit(5, 4).macsPerDSP(.dsp48e2) == 2)
        #expect(unit(8, 8).macsPerDSP(.dsp48e2) == 2)
        #expect(unit(16, 8).macsPerDSP(.dsp48e2) == 1)
        #expect(unit(8, 8).macsPerDSP(.dsp58) == 3)
        #expect(ArithmeticUnit(multiplier: .ternary, weightBits: 2, activationBits: 2).macsPerDSP(.dsp48e2) == 4)
        #expect(ArithmeticUnit(multiplier: .fp32, weightBits: 32, activationBits: 32).macsPerDSP(.dsp48e2) == nil)
    }

    /// POT per §4.3: 2(k + 7) LUT at E = 3 (4-bit codes: 8 shift amounts); POST (ASQ Eq. 18):
    /// the shifter over the even exponents on √2-scaled operands plus the √2·a table.
    @Test func shiftUnits() {
        let pot = UnitSelection.unit(weights: .pot(bits: 4), activations: .uniform(bits: 4))
        #expect(pot.multiplier == .shift(positions: 8))
        #expect(pot.multiplierLUT == 22)
        let post = UnitSelection.unit(weights: .post(bits: 4), activations: .uniform(bits: 4))
        #expect(post.multiplier == .shiftSqrt2(positions: 8))
        // Shifter: 5-bit operand over 4 amounts → 8 outputs × 1 mux level; table: ⌈5/2⌉ = 3.
        #expect(post.multiplierLUT == 8 + 3)
        // POST costs a few LUTs more than POT of one fewer exponent bit, far less than INT4 × 4.
        #expect(post.coreLUTPerMAC < ArithmeticUnit(multiplier: .integer(bits: 4), weightBits: 4, activationBits: 4).coreLUTPerMAC)
    }

    @Test func unitSelectionFollowsThePlan() throws {
        func unit(_ w: String, _ a: String) throws -> ArithmeticUnit {
            UnitSelection.unit(weights: try QuantScheme(parsing: w), activations: try QuantScheme(parsing: a))
        }
        #expect(try unit("binary", "binary").multiplier == .xnor)
        #expect(try unit("binary", "uniform:4").multiplier == .signSelect)
        #expect(try unit("ternary", "uniform:2").multiplier == .ternary)
        for family in ["uniform", "lsq", "vecq", "asq"] {
            #expect(try unit("\(family):4", "uniform:4").multiplier == .integer(bits: 4))
        }
        #expect(try unit("pot:3", "uniform:4").family == .pot)
        #expect(try unit("post:4", "asq:4").family == .post)
        #expect(try unit("post:4", "asq:4").adaptiveActivationStep)
        #expect(try unit("apot:4", "uniform:4").family == .apot)
        #expect(try unit("uniform:4", "fp32").multiplier == .fp32)
        #expect(try unit("fp32", "uniform:8").multiplier == .fp32)
        // Quantization Networks level sets take the cheapest unit that realises them.
        #expect(try unit("qn:ternary", "uniform:2").multiplier == .ternary)
        #expect(try unit("qn:binary", "binary").multiplier == .xnor)
        #expect(try unit("qn:{-0.5,0.5}", "uniform:3").multiplier == .signSelect)
        #expect(try unit("qn:3bit-pm4", "uniform:4").multiplier == .shift(positions: 3))
        #expect(try unit("qn:5bit", "uniform:4").multiplier == .integer(bits: 5))
        #expect(try unit("qn:{-1.3,0.2,0.7}", "uniform:4").multiplier == .codebook(bits: 2))
    }

    /// A known array: 2 copies of 64 × 64 binary LUT lanes with 256 LUTRAM weights, summed by
    /// hand from the formulas, equals the array's total, which equals the sum of its items.
    @Test func arrayTotalIsTheSumOfItsUnits() {
        let unit = ArithmeticUnit(multiplier: .xnor, weightBits: 1, activationBits: 1)
        let array = ComputeArray(name: "a", unit: unit, geometry: ArrayGeometry(rows: 64, cols: 64, copies: 2), dataflow: .weightStationary,
                                 weightDepth: 256, fp32Adder: .fabric, maximumReduction: 4608, dspType: .dsp48e2)
        let acc = Double(unit.accumulatorBits(maximumReduction: 4608))
        let lanes = 64.0 * 64 * 2, pes = 64.0 * 2
        let lut = lanes * 1.1 * 2            // XNOR lanes
            + pes * 1.1 * 2 * 127            // adder trees: (W + A)(2Q − 1)
            + pes * 1.1 * acc                // accumulators
            + pes * 1.1 * 1 * acc * 2        // 1-bit thresholds + comparators
            + lanes * 1 * 4                  // 256 weights in LUTRAM: W·⌈256/64⌉
            + 2 * 300                        // c0 per copy
        let ff = lanes * 2.2 + pes * 2.2 * 127 + pes * acc + pes * acc + 2 * 300
        #expect(abs(array.resources.lut - lut) < 1e-6)
        #expect(abs(array.resources.ff - ff) < 1e-6)
        #expect(array.resources.dsp == 0)
        let summed = array.breakdown.reduce(ResourceVector.zero) { $0 + Double($1.count) * $1.each }
        #expect(summed == array.resources)
        #expect(array.lanes == 8192)
    }

    @Test func fp32LanesUseTheHLSCosts() {
        let unit = ArithmeticUnit(multiplier: .fp32, weightBits: 32, activationBits: 32)
        let items = ArrayCostModel.copyBreakdown(unit: unit, realization: .dsp, rows: 1, cols: 1, dataflow: .weightStationary, weightDepth: 0,
                                                 fp32Adder: .fabric, maximumReduction: 4608, dspType: .dsp48e2)
        #expect(items[0].each == ResourceVector(lut: 78 + 338, ff: 143 + 243, dsp: 3))
        let dspAdder = ArrayCostModel.copyBreakdown(unit: unit, realization: .dsp, rows: 1, cols: 1, dataflow: .weightStationary, weightDepth: 0,
                                                    fp32Adder: .dsp, maximumReduction: 4608, dspType: .dsp48e2)
        #expect(dspAdder[0].each == ResourceVector(lut: 78 + 219, ff: 143 + 205, dsp: 5))
    }

    @Test func sizingRespectsTheBudgetAndReportsWhatDoesNotFit() throws {
        let unit = ArithmeticUnit(multiplier: .fp32, weightBits: 32, activationBits: 32)
        let budget = ResourceVector(lut: 500_000, ff: 1_000_000, dsp: 3_000, bram36: 1_000, uram: 500)
        let spec = ArraySpec(name: "main", rows: .fixed(16), cols: .fixed(16))
        let candidates = try ArraySizing.candidates(spec: spec, name: "main", unit: unit, dataflow: .weightStationary, budget: budget,
                                                    maximumReduction: 4608, dspType: .dsp48e2, file: "hw.json")
        let array = try #require(candidates.first)
        #expect(array.resources.fits(within: budget))
        // One more copy would not fit.
        var bigger = array.geometry
        bigger.copies += 1
        bigger.dspCopies += 1
        let over = ComputeArray(name: "main", unit: unit, geometry: bigger, dataflow: .weightStationary, weightDepth: 0, fp32Adder: .fabric,
                                maximumReduction: 4608, dspType: .dsp48e2)
        #expect(!over.resources.fits(within: budget))
        // Nothing fits a zero budget, and binary lanes cannot live in DSPs.
        #expect(try ArraySizing.candidates(spec: spec, name: "main", unit: unit, dataflow: .weightStationary, budget: .zero,
                                           maximumReduction: 4608, dspType: .dsp48e2, file: "hw.json").isEmpty)
        #expect(throws: HardwareError.unsupportedRealization(array: "d", unit: "xnor-popcount", policy: "dsp", supported: ["lut"], file: "hw.json")) {
            try ArraySizing.candidates(spec: ArraySpec(name: "d", realization: .dsp), name: "d", unit: ArithmeticUnit(multiplier: .xnor, weightBits: 1, activationBits: 1),
                                       dataflow: .weightStationary, budget: budget, maximumReduction: 4608, dspType: .dsp48e2, file: "hw.json")
        }
    }
}
