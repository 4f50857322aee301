// swift-tools-version:5.4
import Foundation
import PackageDescription

// libFuzzer targets for hwsim's input readers (docs/fuzzing.md). A package of its own, beside the
// root one, so that `swift build`/`swift test` at the root never builds it; scripts/fuzz.sh builds
// it with the sanitizer flags:
//
//   swift build --package-path Fuzz -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
//
// Each fuzz target is an executable target whose only source defines
// `LLVMFuzzerTestOneInput` (@_cdecl) and no entry point; libFuzzer's runtime supplies `main`.
// The root package is reached through a symlink, Fuzz/.build/hwsim → .., made here: SwiftPM names
// a path dependency after its directory, and a checkout whose directory is itself called "fuzz"
// (a worktree) would otherwise give the dependency the identity of this package (Fuzz → "fuzz")
// and SwiftPM would look for hwsim's products in here. Through the link the identity is "hwsim"
// wherever the repository is checked out. (A link under .build is never committed, and
// `swift package reset` only removes it until the manifest is read again.)
let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
let link = here.appendingPathComponent(".build/hwsim").path
if (try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == nil {
    try? FileManager.default.createDirectory(atPath: here.appendingPathComponent(".build").path, withIntermediateDirectories: true)
    try? FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "../..")
}
let hwsim = "hwsim"

let package = Package(
    name: "hwsim-fuzz",
    platforms: [.macOS("13.0")],
    dependencies: [
        .package(path: ".build/hwsim"),
    ],
    targets: [
        // What every fuzz target shares: the shipped configs, the fixed hardware and network the
        // fuzzed input is simulated with, and a per-process temp file for path-only readers.
        .target(
            name: "FuzzSupport",
            dependencies: [.product(name: "HWModel", package: hwsim), .product(name: "CycleSim", package: hwsim),
                           .product(name: "Explore", package: hwsim)]
        ),
        .executableTarget(
            name: "fuzz-network-config",
            dependencies: ["FuzzSupport", .product(name: "HWModel", package: hwsim), .product(name: "CycleSim", package: hwsim),
                           .product(name: "Quantizers", package: hwsim)]
        ),
        .executableTarget(
            name: "fuzz-hardware-config",
            dependencies: ["FuzzSupport", .product(name: "HWModel", package: hwsim), .product(name: "CycleSim", package: hwsim)]
        ),
        .executableTarget(
            name: "fuzz-onnx",
            dependencies: ["FuzzSupport", .product(name: "ModelImport", package: hwsim), .product(name: "HWModel", package: hwsim),
                           .product(name: "CycleSim", package: hwsim)]
        ),
        .executableTarget(
            name: "fuzz-scalesim-csv",
            dependencies: ["FuzzSupport", .product(name: "ModelImport", package: hwsim), .product(name: "HWModel", package: hwsim),
                           .product(name: "CycleSim", package: hwsim), .product(name: "Quantizers", package: hwsim)]
        ),
        .executableTarget(
            name: "fuzz-npy",
            dependencies: ["FuzzSupport", .product(name: "Quantizers", package: hwsim)]
        ),
    ]
)
