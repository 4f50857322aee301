import Foundation
import Testing
import HWModel

import ModelImport

@Suite("SCALE-Sim topology and GEMM CSVs")
struct SCALESimTests {
    @Test("SCALE-Sim's alexnet.csv (padded spacing, trailing commas)")
    func alexnet() throws {
        let topology = try SCALESimTopology.load(contentsOf: Fixture.scalesim("alexnet.csv"))
        #expect(topology.layers.count == 5)
        #expect(topology.layers[0] == SCALESimConvLayer(
            name: "Conv1", ifmapHeight: 224, ifmapWidth: 224, filterHeight: 11, filterWidth: 11, channels: 3,
            numFilters: 96, strideHeight: 4, strideWidth: 4, line: 2))
        #expect(topology.layers[0].ofmapHeight == 55 && topology.layers[0].ofmapWidth == 55)
        #expect(topology.layers.map(\.name) == ["Conv1", "Conv2", "Conv3", "Conv4", "Conv5"])
        #expect(topology.layers.map(\.numFilters) == [96, 256, 384, 384, 256])
        #expect(topology.layers[1].ofmapHeight == 23)
        #expect(topology.layers.allSatisfy { !$0.isSCALESimDepthwise })
    }

    @Test("SCALE-Sim's Resnet18.csv (an extra Target column)")
    func resnet18() throws {
        let topology = try SCALESimTopology.load(contentsOf: Fixture.scalesim("Resnet18.csv"))
        #expect(topology.layers.count == 21)
        #expect(topology.layers.first?.name == "Conv1")
        #expect(topology.layers.first?.strideHeight == 2)
        #expect(topology.layers.first?.ofmapHeight == 110)  // ⌈(224 − 7 + 2) / 2⌉
        let fc = try #require(topology.layers.last)
        #expect(fc.name == "FC" && fc.channels == 512 && fc.numFilters == 1000 && fc.line == 22)
        // Total MACs as SCALE-Sim computes them: ofmap pixels × window × filters.
        let macs = topology.layers.reduce(0) {
            $0 + $1.ofmapHeight * $1.ofmapWidth * $1.filterHeight * $1.filterWidth * $1.channels * $1.numFilters
        }
        #expect(macs > 1_000_000_000)
    }

    @Test("SCALE-Sim's mobilnet_paper.csv (#dw notes after the last comma)")
    func mobilenet() throws {
        let topology = try SCALESimTopology.load(contentsOf: Fixture.scalesim("mobilnet_paper.csv"))
        #expect(topology.layers.count == 28)
        let dw = topology.layers[1]
        #expect(dw.name == "Conv2_dw" && dw.channels == 1 && dw.numFilters == 1 && dw.strideHeight == 1)
        #expect(topology.layers[3].strideHeight == 2)
        #expect(topology.layers.last?.name == "FC")
    }

    @Test("scale-sim-v2's Resnet50.csv (extra columns and a row of bare commas)")
    func resnet50() throws {
        let topology = try SCALESimTopology.load(contentsOf: Fixture.scalesim("Resnet50.csv"))
        #expect(topology.layers.count == 54)
        #expect(topology.layers.first?.line == 3)
        #expect(topology.layers.last?.name == "FC6")
        #expect(topology.layers.last?.numFilters == 1000)
    }

    @Test("GEMM CSVs in both header spellings")
    func gemm() throws {
        let small = try SCALESimGEMMTopology.load(contentsOf: Fixture.scalesim("test_mnk_input.csv"))
        #expect(small.layers == [SCALESimGEMMLayer(name: "Test 1", m: 256, n: 128, k: 256, line: 2)])
        let gpt2 = try SCALESimGEMMTopology.load(contentsOf: Fixture.scalesim("gpt2.csv"))
        #expect(gpt2.layers.count == 6)
        #expect(gpt2.layers[2] == SCALESimGEMMLayer(name: "Linear1", m: 1024, n: 4800, k: 1600, line: 4))

        // SCALE-Sim's GEMM-as-convolution: OFMAP pixels = M, window = K, filters = N.
        let conv = small.layers[0].asConvLayer
        #expect(conv.ofmapHeight * conv.ofmapWidth == 256)
        #expect(conv.filterHeight * conv.filterWidth * conv.channels == 256)
        #expect(conv.numFilters == 128)
    }

    @Test("the header decides between topology and GEMM")
    func detection() throws {
        guard case .convolution(let t) = try SCALESimInput.load(contentsOf: Fixture.scalesim("alexnet.csv")) else {
            Issue.record("alexnet.csv not read as a topology")
            return
        }
        #expect(t.layers.count == 5)
        let gemm = try SCALESimInput.load(contentsOf: Fixture.scalesim("gpt2.csv"))
        guard case .gemm(let g) = gemm else {
            Issue.record("gpt2.csv not read as GEMM")
            return
        }
        #expect(g.layers.count == 6)
        #expect(gemm.convLayers.count == 6)
    }

    @Test("quoted cells follow RFC 4180")
    func quotedCells() throws {
        let csv = "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\r\n"
            + "\"conv, \"\"first\"\"\",\"8\", 8, 3, 3, 1, 4, 1,\r\n"
        let layer = try #require(try SCALESimTopology(csv: csv, sourceFile: "q.csv").layers.first)
        #expect(layer.name == "conv, \"first\"" && layer.ifmapHeight == 8 && layer.line == 2)
    }

    @Test("an optional Stride width column")
    func strideWidth() throws {
        let csv = """
            Layer name,IFMAP height,IFMAP width,Filter height,Filter width,Channels,Num filter,Stride height,Stride width,
            c,10,20,3,3,4,8,1,2,
            """
        let layer = try #require(try SCALESimTopology(csv: csv, sourceFile: "s.csv").layers.first)
        #expect(layer.strideHeight == 1 && layer.strideWidth == 2)
        #expect(layer.ofmapHeight == 8 && layer.ofmapWidth == 10)  // ⌈(20 − 3 + 2) / 2⌉
    }

    // MARK: Bad input

    private static let header = "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,"

    static let badTopologies: [(String, SCALESimError)] = [
        ("Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Strides,\nc,8,8,3,3,1,1,\n",
         .missingHeaderColumn(file: "t.csv", line: 1, column: "Num Filter", expectedHeader: SCALESimTopology.expectedHeader)),
        (header + "\nConv1, 224, 224, 3, 3, 3, 32\n",
         .missingCell(file: "t.csv", line: 2, column: "Strides")),
        (header + "\nConv1, 224, 224, 3, 3, 3, 32, 2,\n\nConv2, 224, 224, 3x3, 3, 3, 32, 2,\n",
         .nonNumericCell(file: "t.csv", line: 4, column: "Filter Height", text: "3x3")),
        (header + "\nConv1, 224, 224, 3, 3, 3, 32, 1.5,\n",
         .nonNumericCell(file: "t.csv", line: 2, column: "Strides", text: "1.5")),
        (header + "\nConv1, 224, , 3, 3, 3, 32, 1,\n",
         .missingCell(file: "t.csv", line: 2, column: "IFMAP Width")),
        (header + "\nConv1, 224, 224, 3, 3, 0, 32, 1,\n",
         .nonPositiveCell(file: "t.csv", line: 2, column: "Channels", value: 0)),
        (header + "\nConv1, 2, 224, 3, 3, 3, 32, 1,\n",
         .filterLargerThanIFMAP(file: "t.csv", line: 2, dimension: "height", filter: 3, ifmap: 2)),
        (header + "\n\n", .noLayers(file: "t.csv")),
        (header + "\n\"Conv1, 224, 224, 3, 3, 3, 32, 1,\nConv2, 8, 8, 3, 3, 3, 32, 1,\n",
         .unterminatedQuote(file: "t.csv", line: 2)),
        ("\n \n", .empty(file: "t.csv")),
    ]

    static let badGEMMs: [(String, SCALESimError)] = [
        ("Layer Name, M, N,\nfc, 1, 2,\n",
         .missingHeaderColumn(file: "g.csv", line: 1, column: "K", expectedHeader: SCALESimGEMMTopology.expectedHeader)),
        ("Layer Name, M, N, K,\nfc, 1, 2, many,\n", .nonNumericCell(file: "g.csv", line: 2, column: "K", text: "many")),
        ("Layer Name, M, N, K,\nfc, 1, 2\n", .missingCell(file: "g.csv", line: 2, column: "K")),
    ]

    @Test("malformed topologies name the file and line", arguments: badTopologies)
    func badTopology(csv: String, expected: SCALESimError) {
        let error = caught(SCALESimError.self) { _ = try SCALESimTopology(csv: csv, sourceFile: "t.csv") }
        #expect(error == expected)
        #expect(error?.description.hasPrefix("t.csv") == true)
    }

    @Test("malformed GEMM files name the file and line", arguments: badGEMMs)
    func badGEMM(csv: String, expected: SCALESimError) {
        let error = caught(SCALESimError.self) { _ = try SCALESimGEMMTopology(csv: csv, sourceFile: "g.csv") }
        #expect(error == expected)
    }

    @Test("error messages a user can act on")
    func messages() throws {
        let error = caught(SCALESimError.self) {
            _ = try SCALESimTopology(csv: Self.header + "\nConv1, 224, 224, x, 3, 3, 32, 2,\n", sourceFile: "net.csv")
        }
        #expect(error?.description == "net.csv:2: column 'Filter Height' holds 'x', which is not a whole number")
        let unknown = caught(SCALESimError.self) { _ = try SCALESimInput(csv: "a,b,c\n1,2,3\n", sourceFile: "u.csv") }
        #expect(unknown == .unrecognizedHeader(file: "u.csv", line: 1, header: "a,b,c"))
    }

    @Test("a missing file, and a file that is not text")
    func files() throws {
        let dir = try temporaryDirectory()
        let missing = dir.appendingPathComponent("none.csv")
        #expect(caught(SCALESimError.self) { _ = try SCALESimInput.load(contentsOf: missing) } == .fileNotFound(file: missing.path))
        let binary = try writeTemporary(Data([0xFF, 0xFE, 0xC0, 0x00]), named: "binary.csv")
        #expect(caught(SCALESimError.self) { _ = try SCALESimTopology.load(contentsOf: binary) } == .notText(file: binary.path))
    }
}

extension SCALESimTests {
    @Test("a row without its trailing comma keeps its last value (scale-sim-v2 mobilnet_paper.csv, Conv11)")
    func missingTrailingComma() throws {
        let csv = """
            Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,
            Conv10_dw,28,28,3,3,1,1,1,#dw
            Conv11,28,28,1,1,256,256,1
            \tConv14_dw_0,14,14,3,3,1,1,2,
            """
        let layers = try SCALESimTopology(csv: csv, sourceFile: "m.csv").layers
        #expect(layers.map(\.strideHeight) == [1, 1, 2])
        #expect(layers.map(\.name) == ["Conv10_dw", "Conv11", "Conv14_dw_0"])
        #expect(layers[1].numFilters == 256)
    }
}

@Suite("SCALE-Sim → hwsim network")
struct SCALESimNetworkTests {
    @Test("topology rows become unpadded convolutions with SCALE-Sim's output sizes and MACs",
          arguments: ["Resnet18.csv", "Resnet50.csv", "alexnet.csv", "mobilnet_paper.csv"])
    func topologyNetwork(file: String) throws {
        let input = try SCALESimInput.load(contentsOf: Fixture.scalesim(file))
        let network = try input.network()
        let cost = try CostModel.evaluate(network, plan: QuantizationPlan())
        let macs = Dictionary(uniqueKeysWithValues: cost.layers.map { ($0.layer, $0.macs) })
        #expect(network.layers.count == 2 * input.convLayers.count)
        for row in input.convLayers {
            let name = network.layers.contains { $0.name == "\(row.name)#\(row.line)" } ? "\(row.name)#\(row.line)" : row.name
            #expect(network.outputShapes[name]?.dims == [row.numFilters, row.ofmapHeight, row.ofmapWidth], "\(file):\(row.line)")
            let expected = Int64(row.ofmapHeight * row.ofmapWidth * row.numFilters * row.filterHeight * row.filterWidth * row.channels)
            #expect(macs[name] == expected, "\(file):\(row.line)")
        }
    }

    @Test("GEMM rows become linear layers of M·N·K MACs")
    func gemmNetwork() throws {
        let input = try SCALESimInput.load(contentsOf: Fixture.scalesim("gpt2.csv"))
        guard case .gemm(let gemm) = input else {
            Issue.record("gpt2.csv is a GEMM file")
            return
        }
        let cost = try CostModel.evaluate(try input.network(), plan: QuantizationPlan())
        for row in gemm.layers {
            #expect(cost.layers.first { $0.layer == row.name }?.macs == Int64(row.m * row.n * row.k))
        }
    }
}
