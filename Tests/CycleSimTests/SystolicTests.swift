import Foundation
import HWModel
import ModelImport
import Testing

@testable import CycleSim

/// SCALE-Sim's shipped topologies (copied into the ModelImport fixtures).
enum SCALESimFixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ModelImportTests/Fixtures/scalesim")

    static let topologies = ["Resnet18.csv", "Resnet50.csv", "alexnet.csv", "mobilnet_paper.csv", "gpt2.csv", "test_mnk_input.csv"]

    static func layers(_ file: String) throws -> [SCALESimConvLayer] {
        try SCALESimInput.load(contentsOf: directory.appendingPathComponent(file)).convLayers
    }
}

/// SCALE-Sim's compute model written out the long way: per-fold loops over the folds as
/// systolic_compute_{os,ws,is}.py walk them, with their demand-matrix sizes.
struct ReferenceModel {
    var cycles: Int
    var mappingEfficiency: Double
    var computeUtilization: Double

    init(_ row: SCALESimConvLayer, rows r: Int, columns c: Int, dataflow: String) {
        // Output pixels: count the window start positions 0, s, 2s, … below IFMAP − Filter + s.
        func extent(_ ifmap: Int, _ filter: Int, _ stride: Int) -> Int {
            var count = 0
            var start = 0
            while start < ifmap - filter + stride {
                count += 1
                start += stride
            }
            return count
        }
        let p = extent(row.ifmapHeight, row.filterHeight, row.strideHeight) * extent(row.ifmapWidth, row.filterWidth, row.strideWidth)
        let w = row.filterHeight * row.filterWidth * row.channels
        let k = row.numFilters
        let (sr, sc, t) = dataflow == "os" ? (p, k, w) : dataflow == "ws" ? (w, k, p) : (w, p, k)
        var folds = 0
        var efficiencies = [Double]()
        var utilizations = [Double]()
        var columnStart = 0
        while columnStart < sc {
            var rowStart = 0
            while rowStart < sr {
                folds += 1
                let rowUsed = min(r, sr - rowStart)
                let columnUsed = min(c, sc - columnStart)
                efficiencies.append(Double(rowUsed * columnUsed) / Double(r * c))
                // Demand-matrix rows per fold: os (T − 1) + R; ws/is R + (R + C + T − 2); plus C columns − 1.
                let demandRows = dataflow == "os" ? (t - 1) + r : r + (r + c + t - 2)
                utilizations.append(Double(rowUsed * columnUsed * t) / Double(r * c * (demandRows + c - 1)))
                rowStart += r
            }
            columnStart += c
        }
        let perFold = dataflow == "os" ? t + r + c - 2 : 2 * r + c + t - 2
        cycles = folds * perFold - 1
        mappingEfficiency = efficiencies.reduce(0, +) / Double(efficiencies.count)
        computeUtilization = utilizations.reduce(0, +) / Double(utilizations.count)
    }
}

/// The workloads hwsim lowers a network to, with each layer's systolic view.
func systolicWorkloads(_ network: Network) throws -> [String: SystolicWorkload] {
    let bound = try BoundNetwork(network: network, plan: QuantizationPlan())
    let workloads = try Simulator.workloads(of: bound, batch: 1)
    var result: [String: SystolicWorkload] = [:]
    for (layer, workload) in zip(bound.layers, workloads) {
        if case .gemm(let gemm) = workload { result[layer.name] = SystolicWorkload(gemm) }
    }
    return result
}

@Suite("Systolic compute model (SCALE-Sim v3)")
struct SystolicTests {
    @Test("every shipped topology layer, imported and lowered by hwsim, on 32×32 equals SCALE-Sim's per-fold walk, all dataflows",
          arguments: SCALESimFixtures.topologies)
    func shippedTopologies(file: String) throws {
        let input = try SCALESimInput.load(contentsOf: SCALESimFixtures.directory.appendingPathComponent(file))
        let rows = input.convLayers
        #expect(!rows.isEmpty)
        let workloads = try systolicWorkloads(try input.network())
        var checked = 0
        for dataflow in SystolicDataflow.allCases {
            let array = try SystolicArray(rows: 32, columns: 32, dataflow: dataflow)
            for row in rows {
                let workload = try #require(workloads[row.name], "\(file):\(row.line)")
                let result = SystolicCompute.run(workload, on: array)
                let expected = ReferenceModel(row, rows: 32, columns: 32, dataflow: dataflow.rawValue)
                #expect(result.computeCycles == expected.cycles, "\(file):\(row.line) \(dataflow.rawValue)")
                #expect(abs(result.mappingEfficiency - expected.mappingEfficiency) < 1e-12, "\(file):\(row.line) \(dataflow.rawValue)")
                #expect(abs(result.computeUtilization - expected.computeUtilization) < 1e-12, "\(file):\(row.line) \(dataflow.rawValue)")
                checked += 1
            }
        }
        #expect(checked == 3 * rows.count)
    }

    @Test("AlexNet conv1 (224×224, 11×11, stride 4, 3→96) by hand")
    func alexnetConv1() throws {
        // E = ⌈(224 − 11 + 4)/4⌉ = 55: P = 3025, W = 363, K = 96.
        let workload = SystolicWorkload(pixels: 3025, window: 363, filters: 96)
        let os = SystolicCompute.run(workload, on: try SystolicArray(rows: 32, columns: 32, dataflow: .outputStationary))
        #expect(os.rowFolds == 95 && os.columnFolds == 3 && os.cyclesPerFold == 425)
        #expect(os.computeCycles == 121_124)  // 285 · 425 − 1
        let ws = SystolicCompute.run(workload, on: try SystolicArray(rows: 32, columns: 32, dataflow: .weightStationary))
        #expect(ws.rowFolds == 12 && ws.columnFolds == 3 && ws.cyclesPerFold == 3119)
        #expect(ws.computeCycles == 112_283)  // 36 · 3119 − 1
        let inputStationary = SystolicCompute.run(workload, on: try SystolicArray(rows: 32, columns: 32, dataflow: .inputStationary))
        #expect(inputStationary.rowFolds == 12 && inputStationary.columnFolds == 95 && inputStationary.cyclesPerFold == 190)
        #expect(inputStationary.computeCycles == 216_599)  // 1140 · 190 − 1
        // WS mapping efficiency: 363 · 96 / (1024 · 36).
        #expect(abs(ws.mappingEfficiency - 34_848.0 / 36_864.0) < 1e-12)
        #expect(os.macs == 3025 * 363 * 96)
    }

    @Test("a layer that fits one fold: 8×8 output, 3×3×4 window, 16 filters on 32×32")
    func singleFold() throws {
        let os = SystolicCompute.run(SystolicWorkload(pixels: 64, window: 36, filters: 16),
                                     on: try SystolicArray(rows: 32, columns: 32, dataflow: .outputStationary))
        // Sr = 64 → 2 row folds, Sc = 16 → 1, T = 36: 2 · (36 + 62) − 1.
        #expect(os.computeCycles == 195)
        #expect(abs(os.mappingEfficiency - 0.5) < 1e-12)  // 32·16 of 1024 PEs in both folds
        #expect(abs(os.computeUtilization - 16.0 * 36 / (32 * 98)) < 1e-12)
        #expect(os.overallUtilization(totalCycles: os.computeCycles) == Double(64 * 36 * 16) / (195.0 * 1024))
    }

    @Test("invalid arrays are errors")
    func invalid() {
        #expect(throws: SystolicError.nonPositive(field: "array rows", value: 0)) {
            try SystolicArray(rows: 0, columns: 8, dataflow: .weightStationary)
        }
    }

    @Test("grouped convolutions run once per group; linear layers at every position")
    func groupedAndLinear() throws {
        let network = try Network(name: "n", layers: [
            Layer(name: "x", kind: .input(TensorShape([32, 16, 16])), inputs: []),
            Layer(name: "dw", kind: .convolution(Convolution(outChannels: 32, kernel: [3, 3], stride: [1, 1], padding: .explicit(begin: [1, 1], end: [1, 1]), dilation: [1, 1], groups: 32, bias: false)), inputs: ["x"]),
            Layer(name: "seq", kind: .reshape([256, 32]), inputs: ["dw"]),
            Layer(name: "fc", kind: .linear(Linear(outFeatures: 10, bias: true)), inputs: ["seq"]),
        ])
        let workloads = try systolicWorkloads(network)
        let dw = try #require(workloads["dw"])
        #expect(dw == SystolicWorkload(pixels: 256, window: 9, filters: 1, repeats: 32))
        #expect(workloads["fc"] == SystolicWorkload(pixels: 256, window: 32, filters: 10))
        #expect(workloads["seq"] == nil)
        let result = SystolicCompute.run(dw, on: try SystolicArray(rows: 8, columns: 8, dataflow: .outputStationary))
        // Per group: Sr = 256 → 32 folds, Sc = 1, T = 9: 32 · (9 + 14) − 1 = 735.
        #expect(result.computeCycles == 32 * 735)
    }
}
