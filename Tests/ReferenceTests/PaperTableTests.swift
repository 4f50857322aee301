import Testing
import HWModel
import TestSupport
@testable import Reference

/// The papers' tables recomputed from the shipped configs. Tolerances are the issue's
/// acceptance criteria, stated here independently of the library's own.
@Suite struct PaperTableTests {
    private func networks(_ columns: [ModelSizeTable.Column]) throws -> [String: Network] {
        var result: [String: Network] = [:]
        for column in columns { result[column.config] = try shippedNetwork(column.config).network }
        return result
    }

    @Test func vecqTable5ModelSizes() throws {
        let rows = try ModelSizeTable.rows(reference: try ReferenceTable.load(.vecqModelSizes),
                                           columns: ModelSizeTable.imageColumns,
                                           networks: try networks(ModelSizeTable.imageColumns))
        #expect(rows.count == 45)
        for row in rows {
            let paper = try #require(row.paper)
            if row.item == "resnet18" && row.setting == "W2/A32" {
                // The paper prints 2.68; every other ResNet-18 step is +1.39 MiB per bit, which
                // puts 2 bits at 2.86 — a digit transposition in the paper (docs/cost-model.md).
                #expect(abs(row.computed - 2.86) <= 0.01)
                continue
            }
            let tolerance = max(0.03 * paper, 0.01)
            #expect(abs(row.computed - paper) <= tolerance, "\(row.item) \(row.setting): \(row.computed) vs \(paper)")
        }
    }

    @Test func vecqTable6LSTMModelSizes() throws {
        let rows = try ModelSizeTable.rows(reference: try ReferenceTable.load(.vecqLSTMSizes),
                                           columns: ModelSizeTable.lstmColumns,
                                           networks: try networks(ModelSizeTable.lstmColumns))
        #expect(rows.count == 8)
        for row in rows {
            let paper = try #require(row.paper)
            #expect(abs(row.computed - paper) <= max(0.03 * paper, 0.01), "\(row.item) \(row.setting)")
        }
    }

    @Test func asqTable1AdapterOverhead() throws {
        let rows = try AdapterOverheadTable.rows(reference: try ReferenceTable.load(.asqOverhead),
                                                 network: try shippedNetwork("resnet18").network, adapter: AdapterSpec())
        #expect(rows.count == 8)
        for row in rows {
            let paper = try #require(row.paper)
            let tolerance = row.quantity.hasPrefix("adapter parameters") ? 0.1 : 0.02
            #expect(abs(row.computed - paper) <= tolerance, "\(row.setting) \(row.quantity): \(row.computed) vs \(paper)")
        }
    }

    @Test func fp32SizesImplyFourFP32ValuesPerBatchNormChannel() throws {
        // MobileNetV2 at FP32: 13.50 MiB = (3,504,872 trainable + 34,112 running statistics) × 4 B.
        let cost = try CostModel.evaluate(try shippedNetwork("mobilenetv2").network, plan: QuantizationPlan())
        #expect(cost.normBuffers == 34_112)
        #expect(abs(cost.modelSizeMiB - 13.50) < 0.005)
    }
}

@Suite struct LambdaTableTests {
    @Test func vecqTable1ToFourDecimals() throws {
        let rows = LambdaTable.rows(reference: try ReferenceTable.load(.vecqLambda))
        #expect(rows.map(\.setting) == (2...8).map { "k=\($0)" })
        for row in rows {
            let paper = try #require(row.paper)
            #expect(abs(row.computed - paper) < 0.00005, "\(row.setting): \(row.computed) vs \(paper)")
        }
    }
}
