import Foundation
import HWModel
import Quantizers
import Testing

@testable import ModelImport

/// One file's entry in layers.json (the shared model set's own per-layer facts).
struct LayersJSONEntry {
    struct Quantizer {
        var op: String
        var bits: Int
        var signed: Bool
        var narrow: Bool
    }

    struct Layer {
        var name: String
        var op: String
        var params: Int64
        var outShape: [Int]
        var weightQuant: Quantizer?
        var inputQuant: Quantizer?
    }

    var file: String
    var layerParams: Int64
    var layers: [Layer]

    /// Every entry of a layers.json file.
    static func load(_ url: URL) throws -> [String: LayersJSONEntry] {
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [[String: Any]])
        func int(_ value: Any?) -> Int? { (value as? NSNumber)?.intValue }
        func quantizer(_ value: Any?) -> Quantizer? {
            guard let dict = value as? [String: Any], let op = dict["op"] as? String, let bits = int(dict["bits"]) else { return nil }
            return Quantizer(op: op, bits: bits, signed: int(dict["signed"]) == 1, narrow: int(dict["narrow"]) == 1)
        }
        var result = [String: LayersJSONEntry]()
        for file in root {
            let name = try #require(file["file"] as? String)
            let layers = try #require(file["layers"] as? [[String: Any]]).map { layer in
                Layer(
                    name: layer["name"] as? String ?? "", op: layer["op"] as? String ?? "",
                    params: Int64(int(layer["params"]) ?? -1),
                    outShape: (layer["out_shape"] as? [NSNumber] ?? []).map(\.intValue),
                    weightQuant: quantizer(layer["weight_quant"]), inputQuant: quantizer(layer["input_quant"]))
            }
            result[name] = LayersJSONEntry(file: name, layerParams: Int64(int(file["layer_params"]) ?? -1), layers: layers)
        }
        return result
    }
}

/// The models the import tests run on: the repo's fixtures, plus the rest of the shared model
/// set when /work/shared/models is present (it is not on a bare clone).
enum ImportCorpus {
    static let sharedDirectory = URL(fileURLWithPath: "/work/shared/models")

    static var files: [String] {
        var names = [
            "alexnet_fp32.noweights.onnx", "bnn_pynq_tfc_2w2a.onnx", "lenet5_w1a1.onnx", "lenet5_w4a4.onnx",
            "resnet18_fp32.noweights.onnx", "resnet20_cifar_fp32.onnx",
        ]
        if let shared = try? FileManager.default.contentsOfDirectory(atPath: sharedDirectory.path) {
            names += shared.filter { $0.hasSuffix(".onnx") && !names.contains($0) }.sorted()
        }
        return names
    }

    static func url(_ name: String) throws -> URL {
        let base = try #require(Bundle.module.resourceURL)
        let fixture = base.appendingPathComponent("Fixtures/onnx/\(name)")
        return FileManager.default.fileExists(atPath: fixture.path) ? fixture : sharedDirectory.appendingPathComponent(name)
    }

    static func layersJSON() throws -> [String: LayersJSONEntry] {
        try LayersJSONEntry.load(Fixture.onnx("layers.json"))
    }
}

@Suite("ONNX → hwsim network")
struct NetworkImportTests {
    @Test("inferred shapes equal the file's value_info", arguments: ImportCorpus.files)
    func shapesMatchValueInfo(file: String) throws {
        let model = try ONNXModel.load(contentsOf: ImportCorpus.url(file))
        let imported = try model.importNetwork()
        var compared = 0
        var constantSide = 0
        for info in model.graph.valueInfo + model.graph.outputs {
            guard let expected = info.concreteShape else { continue }
            if let inferred = imported.onnxShape(of: info.name) {
                #expect(inferred == expected, "\(file): tensor '\(info.name)'")
                compared += 1
            } else {
                // Not an activation: it must be constant-side (a weight, its quantizer, an alias).
                let producer = model.graph.producer(of: info.name)
                let readsActivation = producer?.inputs.contains { imported.tensors[$0] != nil } ?? false
                #expect(!readsActivation, "\(file): activation '\(info.name)' was not mapped")
                #expect(model.graph.shape(of: info.name) == expected)
                constantSide += 1
            }
        }
        #expect(compared > 0)
        print("\(file): \(compared) activation shapes equal value_info; \(constantSide) constant-side entries")
    }

    @Test("parameter counts equal layers.json", arguments: ImportCorpus.files)
    func parameterCounts(file: String) throws {
        let facts = try #require(try ImportCorpus.layersJSON()[file])
        let imported = try ImportedNetwork.load(contentsOf: ImportCorpus.url(file))
        let cost = try CostModel.evaluate(imported.network, plan: imported.plan)
        let costByLayer = Dictionary(uniqueKeysWithValues: cost.layers.map { ($0.layer, $0) })
        let computeLayers = imported.network.layers.filter {
            if case .convolution = $0.kind { return true }
            if case .linear = $0.kind { return true }
            return false
        }
        #expect(computeLayers.count == facts.layers.count)
        var total: Int64 = 0
        for layer in computeLayers {
            let c = try #require(costByLayer[layer.name])
            total += c.weights + c.biases
        }
        #expect(total == facts.layerParams, "\(file)")
        for expected in facts.layers {
            let c = try #require(costByLayer[expected.name], "\(file): no layer named \(expected.name)")
            #expect(c.weights + c.biases == expected.params, "\(file): \(expected.name)")
            #expect([1] + c.outputShape.dims == expected.outShape, "\(file): \(expected.name)")
        }
    }

    /// The scheme layers.json's quantizer facts call for (see docs/model-import.md).
    static func expectedScheme(_ q: LayersJSONEntry.Quantizer?) -> String {
        guard let q else { return "fp32" }
        if q.op == "BipolarQuant" { return "binary" }
        if q.bits == 2 && q.signed && q.narrow { return "ternary" }
        return "uniform:\(q.bits)"
    }

    @Test("QONNX bitwidths equal the per-layer tables", arguments: ImportCorpus.files)
    func quantizationPlan(file: String) throws {
        let facts = try #require(try ImportCorpus.layersJSON()[file])
        let imported = try ImportedNetwork.load(contentsOf: ImportCorpus.url(file))
        let resolved = try imported.plan.resolve(for: imported.network)
        for layer in facts.layers {
            let q = try #require(resolved[layer.name], "\(file): \(layer.name)")
            #expect(q.weights.description == Self.expectedScheme(layer.weightQuant), "\(file): \(layer.name) weights")
            #expect(q.activations.description == Self.expectedScheme(layer.inputQuant), "\(file): \(layer.name) input")
            #expect(q.weights.bits == (layer.weightQuant?.bits ?? 32))
            #expect(q.activations.bits == (layer.inputQuant?.bits ?? 32))
        }
    }

    @Test("the written config reads back to the same network and plan", arguments: ImportCorpus.files)
    func configRoundTrip(file: String) throws {
        let imported = try ImportedNetwork.load(contentsOf: ImportCorpus.url(file))
        let text = NetworkConfig.json(for: imported.network, plan: imported.plan, description: "from \(file)")
        let reread = try NetworkConfig.parse(Data(text.utf8), file: "converted.json")
        #expect(reread.network.layers == imported.network.layers)
        #expect(reread.network.outputShapes == imported.network.outputShapes)
        #expect(reread.plan == imported.plan)
    }

    @Test("QONNX w4a4: defaults and overrides")
    func w4a4Plan() throws {
        let imported = try ImportedNetwork.load(contentsOf: Fixture.onnx("lenet5_w4a4.onnx"))
        #expect(imported.plan.weights == .uniform(bits: 4))
        #expect(imported.plan.activations == .uniform(bits: 4))
        #expect(imported.plan.scales == .perTensor)
        // Only the first layer reads the 8-bit input quantizer.
        #expect(imported.plan.overrides == ["Conv_0": LayerOverride(activations: .uniform(bits: 8))])
        // Quantizers on activations are identity layers named after the node.
        #expect(imported.network.layer(named: "Quant_5")?.kind == .identity)
        #expect(imported.network.layer(named: "Quant_1") == nil)  // weight quantizer folds away
        #expect(imported.network.layer(named: "global_in")?.kind == .input(TensorShape([1, 28, 28])))
    }

    @Test("plain ONNX gives an FP32 plan; MatMul + bias Add and Identity aliases fold")
    func plainPlan() throws {
        let imported = try ImportedNetwork.load(contentsOf: Fixture.onnx("resnet18_fp32.noweights.onnx"))
        #expect(imported.plan == QuantizationPlan())
        #expect(!imported.network.layers.contains { $0.name.hasPrefix("Identity_") })
        let cost = try CostModel.evaluate(imported.network, plan: imported.plan)
        #expect(cost.macs == 1_814_073_344)  // torchvision resnet18 on 224×224, BN folded
    }
}
