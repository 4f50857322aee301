import CycleSim
import Foundation
import HWModel
import Testing

/// FINN's folding_config.json in all three generations of node names, and its errors
/// (docs/dataflow.md §6).
@Suite struct FoldingFileTests {
    let lfc: DataflowCase

    init() throws { lfc = try DataflowCase("lfc-w1a1") }

    func apply(_ text: String, file: String = "f.json") throws -> (folding: Folding, warnings: [String]) {
        try FoldingFile.parse(Data(text.utf8), file: file).folding(for: lfc.graph)
    }

    /// The same folding under v0.4–v0.7, v0.8–v0.9, v0.10+ names and layer names.
    @Test(arguments: ["StreamingFCLayer_Batch", "MatrixVectorActivation", "MVAU_hls", "MVAU_rtl", "MVAU"])
    func generationsAgree(opType: String) throws {
        let text = #"{"Defaults": {}, "\#(opType)_0": {"PE": 32, "SIMD": 64}, "\#(opType)_3": {"PE": 16, "SIMD": 8, "ram_style": "block", "mem_mode": "const"}}"#
        let folding = try apply(text).folding
        #expect(folding["fc0"].pe == 32 && folding["fc0"].simd == 64)
        #expect(folding["fc3"].pe == 16 && folding["fc3"].simd == 8 && folding["fc3"].ramStyle == .block && folding["fc3"].memoryMode == .embedded)
        #expect(folding["fc1"].pe == 1)
        let byLayer = try apply(#"{"Defaults": {}, "fc0": {"PE": 32, "SIMD": 64}, "fc3": {"PE": 16, "SIMD": 8, "ram_style": "block", "mem_mode": "internal_embedded"}}"#).folding
        #expect(byLayer["fc0"] .pe == folding["fc0"].pe && byLayer["fc3"].memoryMode == .embedded)
        #expect(folding["fc0"].source == FoldingSource(file: "f.json", entry: "\(opType)_0"))
    }

    /// `Defaults` pairs apply to the op types they name before the per-node entries.
    @Test func defaultsApplyFirst() throws {
        let folding = try apply(#"{"Defaults": {"ram_style": ["distributed", ["MVAU_hls"]], "resType": ["dsp", "all"]}, "MVAU_hls_1": {"ram_style": "block"}}"#).folding
        #expect(folding["fc0"].ramStyle == .distributed && folding["fc1"].ramStyle == .block)
        #expect(folding["fc2"].resourceType == .dsp)
    }

    /// Nodes hwsim does not model are named in one warning, not dropped silently, not fatal.
    @Test func unmodelledNodesAreWarned() throws {
        let result = try apply(#"{"Defaults": {}, "StreamingFIFO_rtl_0": {"depth": 32}, "FMPadding_rtl_2": {"SIMD": 2}, "MVAU_hls_0": {"PE": 32, "SIMD": 64, "runtime_writeable_weights": 0, "preferred_impl_style": "hls"}}"#)
        #expect(result.warnings.count == 1)
        #expect(result.warnings[0].hasPrefix("f.json: not modelled by hwsim, ignored: FMPadding_rtl_2, StreamingFIFO_rtl_0"))
        #expect(result.warnings[0].contains("attributes hwsim does not model, ignored: MVAU_hls_0.preferred_impl_style"))
        #expect(result.folding["fc0"].pe == 32)
    }

    /// Bad files: one error naming the file and the entry.
    @Test(arguments: [
        (#"{"Defaults": {}, "Conv_7": {"PE": 2}}"#, "f.json: Conv_7: unknown node"),
        (#"{"Defaults": {}, "MVAU_hls_4": {"PE": 2}}"#, "f.json: MVAU_hls_4: the network has 4 matrix units (dense conv/linear layers) (MVAU_hls_0 … MVAU_hls_3)"),
        (#"{"Defaults": {}, "MVAU_hls_0": {"PE": -4}}"#, "f.json: MVAU_hls_0: PE must be a positive whole number, got -4"),
        (#"{"Defaults": {}, "MVAU_hls_0": {"PE": 2.5}}"#, "f.json: MVAU_hls_0: PE must be a whole number, got 2.5"),
        (#"{"Defaults": {}, "MVAU_hls_0": {"SMID": 2}}"#, "f.json: MVAU_hls_0: unknown attribute 'SMID'"),
        (#"{"Defaults": {}, "MVAU_hls_0": {"ram_style": "fast"}}"#, "f.json: MVAU_hls_0: ram_style 'fast': expected auto, block, distributed, ultra"),
        (#"{"Defaults": {}, "MVAU_hls_0": 3}"#, "f.json: MVAU_hls_0: expected an object of attributes, got a number"),
        (#"{"Defaults": {}, "MVAU_hls_0": {"PE": 1}, "MVAU_rtl_0": {"PE": 1}}"#, "f.json: MVAU_hls_0: mixes MVAU_hls and MVAU_rtl names"),
        (#"{"MVAU_hls_0": {"PE": 1},"#, "f.json: malformed JSON"),
    ])
    func badFilesNameTheEntry(text: String, message: String) {
        #expect {
            _ = try apply(text)
        } throws: { error in
            "\(error)".hasPrefix(message)
        }
    }

    @Test func missingFileIsNamed() {
        #expect {
            _ = try FoldingFile.load(path: "/nonexistent/folding.json")
        } throws: { error in
            "\(error)" == "/nonexistent/folding.json: no such file"
        }
    }

    /// A file mixing spellings of one unit maps in file order (FINN writes graph order).
    @Test func mixedSpellingsMapInFileOrder() throws {
        let folding = try apply(#"{"Defaults": {}, "MVAU_hls_0": {"PE": 32}, "MVAU_hls_1": {"PE": 64}, "MVAU_rtl_0": {"PE": 16}, "MVAU_hls_2": {"PE": 16}}"#).folding
        let pes: [Int] = ["fc0", "fc1", "fc2", "fc3"].map { folding[$0].pe }
        #expect(pes == [32, 64, 16, 16])
    }

    /// Real FINN-written files: finn-examples' MobileNet-v1 (MVAU_hls and MVAU_rtl, FIFOs,
    /// FMPadding) and VGG10 (RTL units with split thresholds) apply with warnings only.
    @Test func finnExamplesFilesApply() throws {
        let mobilenet = try DataflowCase("mobilenet-v1-w4a4", hardware: "u250")
        let result = try mobilenet.folding("mobilenet-v1-u250")
        #expect(result.folding["fc"].pe == 4 && result.folding["fc"].simd == 4)
        #expect(result.folding["dw1"].pe == 32 && result.folding["pw13"].pe == 32 && result.folding["pw13"].simd == 16)
        #expect(result.warnings.first?.contains("StreamingFIFO_rtl_0") == true)
        let radioml = try DataflowCase("vgg10-radioml", hardware: "zcu104").folding("vgg10-radioml-zcu104")
        #expect(radioml.folding["conv1"].pe == 16 && radioml.folding["conv1"].simd == 96)
        #expect(radioml.warnings.contains { $0.contains("Thresholding_rtl_0") })
    }

    /// `--write-folding` writes FINN's format, which reads back to the same folding.
    @Test func writtenFoldingReadsBack() throws {
        let cnv = try DataflowCase("cnv-w1a1")
        let original = try cnv.folding("cnv-w1a1").folding
        let text = FoldingFile.render(original, graph: cnv.graph)
        #expect(text.hasPrefix("{\n  \"Defaults\": {},\n  \"ConvolutionInputGenerator_rtl_0\": {"))
        let back = try FoldingFile.parse(Data(text.utf8), file: "written.json").folding(for: cnv.graph).folding
        for node in cnv.graph.nodes(of: .matrix) {
            #expect(back[node.key].pe == original[node.key].pe && back[node.key].simd == original[node.key].simd)
            #expect(back[node.key].memoryMode == original[node.key].memoryMode)
            #expect(back[node.key].runtimeWritableWeights == original[node.key].runtimeWritableWeights)
        }
        // Byte-identical for the same folding.
        #expect(FoldingFile.render(back, graph: cnv.graph) == text)
    }
}
