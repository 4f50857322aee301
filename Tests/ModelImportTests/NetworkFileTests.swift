import Foundation
import HWModel
import Testing

@testable import ModelImport

@Suite("Network files chosen by extension")
struct NetworkFileTests {
    @Test("ONNX, SCALE-Sim CSV and JSON configs each go to their reader")
    func readers() throws {
        let onnx = try Fixture.onnx("lenet5_w4a4.onnx")
        let imported = try ImportedNetwork.load(contentsOf: onnx)
        let viaONNX = try NetworkFile.load(path: onnx.path)
        #expect(viaONNX.network.layers == imported.network.layers && viaONNX.plan == imported.plan && viaONNX.file == onnx.path)

        let csv = try Fixture.scalesim("alexnet.csv")
        let viaCSV = try NetworkFile.load(path: csv.path)
        #expect(viaCSV.network.layers == (try SCALESimInput.load(contentsOf: csv).network()).layers)
        #expect(viaCSV.plan == QuantizationPlan())

        let json = try writeTemporary(Data(NetworkConfig.json(for: imported.network, plan: imported.plan).utf8), named: "lenet.json")
        let viaJSON = try NetworkFile.load(path: json.path)
        #expect(viaJSON.network.layers == imported.network.layers && viaJSON.plan == imported.plan)
        // The extension's case does not matter.
        let upper = try writeTemporary(Data(contentsOf: onnx), named: "LENET.ONNX")
        #expect(try NetworkFile.load(path: upper.path).network.layers == imported.network.layers)
    }

    @Test("each failure is the reader's own one-line message")
    func failures() throws {
        let dir = try temporaryDirectory()
        let onnx = dir.appendingPathComponent("none.onnx").path
        #expect(throws: NetworkFileError.onnx(.fileNotFound(file: onnx))) { try NetworkFile.load(path: onnx) }
        let csv = dir.appendingPathComponent("none.csv").path
        #expect(throws: NetworkFileError.scaleSim(.fileNotFound(file: csv))) { try NetworkFile.load(path: csv) }
        let json = dir.appendingPathComponent("none.json").path
        let error = caught(NetworkFileError.self) { _ = try NetworkFile.load(path: json) }
        #expect(error == .config(ConfigError(file: json, path: "", message: "no such file")))
        #expect(error?.description == "\(json): no such file")

        let bad = try writeTemporary(Data("a,b\n1,2\n".utf8), named: "bad.csv")
        let csvError = caught(NetworkFileError.self) { _ = try NetworkFile.load(path: bad.path) }
        #expect(csvError?.description == SCALESimError.unrecognizedHeader(file: bad.path, line: 1, header: "a,b").description)
    }
}
