import Foundation
import HWModel

extension SCALESimInput {
    /// The rows as an hwsim network of independent layers, one graph input per row.
    ///
    /// * Topology row `name` → input `name/ifmap` of shape `[Channels, IFMAP Height, IFMAP Width]`
    ///   and a `conv2d` layer `name` (`Num Filter` outputs, filter and stride as given, no bias).
    ///   SCALE-Sim's IFMAP sizes already include the padding, so nothing is padded in front;
    ///   but SCALE-Sim counts ⌈(IFMAP − Filter + Stride)/Stride⌉ output pixels, one more than
    ///   ⌊(IFMAP − Filter)/Stride⌋ + 1 when the stride does not divide IFMAP − Filter (a last,
    ///   partial window). To agree, the layer pads (E − 1)·Stride + Filter − IFMAP zeros at the
    ///   end (0 … Stride − 1), so its output is exactly SCALE-Sim's E.
    /// * GEMM row `name` (M×K by K×N) → input `name/A` of shape `[M, K]` and a `linear` layer
    ///   `name` with N outputs and no bias, run at each of the M rows: M·N·K MACs.
    ///
    /// A name used twice gets `#<line>` appended. The file's name (without extension) names the
    /// network unless `name` is given.
    /// - Throws: ``SCALESimError/invalidLayer(file:line:reason:)`` naming the row's line.
    public func network(name: String? = nil) throws(SCALESimError) -> Network {
        let file: String
        var layers = [Layer]()
        var lineOfLayer = [String: Int]()
        var used = Set<String>()
        func unique(_ proposed: String, line: Int) -> String {
            let name = used.contains(proposed) ? "\(proposed)#\(line)" : proposed
            used.insert(name)
            return name
        }
        switch self {
        case .convolution(let topology):
            file = topology.sourceFile
            for row in topology.layers {
                let layerName = unique(row.name, line: row.line)
                let inputName = unique("\(layerName)/ifmap", line: row.line)
                layers.append(Layer(
                    name: inputName, kind: .input(TensorShape([row.channels, row.ifmapHeight, row.ifmapWidth])), inputs: []))
                layers.append(Layer(
                    name: layerName,
                    kind: .convolution(Convolution(
                        outChannels: row.numFilters, kernel: [row.filterHeight, row.filterWidth],
                        stride: [row.strideHeight, row.strideWidth],
                        padding: .explicit(
                            begin: [0, 0],
                            end: [
                                (row.ofmapHeight - 1) * row.strideHeight + row.filterHeight - row.ifmapHeight,
                                (row.ofmapWidth - 1) * row.strideWidth + row.filterWidth - row.ifmapWidth,
                            ]),
                        dilation: [1, 1], groups: 1, bias: false)),
                    inputs: [inputName]))
                lineOfLayer[inputName] = row.line
                lineOfLayer[layerName] = row.line
            }
        case .gemm(let topology):
            file = topology.sourceFile
            for row in topology.layers {
                let layerName = unique(row.name, line: row.line)
                let inputName = unique("\(layerName)/A", line: row.line)
                layers.append(Layer(name: inputName, kind: .input(TensorShape([row.m, row.k])), inputs: []))
                layers.append(Layer(name: layerName, kind: .linear(Linear(outFeatures: row.n, bias: false)), inputs: [inputName]))
                lineOfLayer[inputName] = row.line
                lineOfLayer[layerName] = row.line
            }
        }
        do {
            return try Network(name: name ?? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent, layers: layers)
        } catch {
            throw .invalidLayer(file: file, line: error.layerName.flatMap { lineOfLayer[$0] } ?? 0, reason: error.description)
        }
    }
}
