// swift-tools-version:6.0
import PackageDescription

// Library targets Quantizers, HWModel and CycleSim use only the standard library and Foundation
// so that anyone can embed them; ModelImport adds swift-protobuf for ONNX, and only the
// command-line tool depends on swift-argument-parser.
let package = Package(
    name: "hwsim",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "Quantizers", targets: ["Quantizers"]),
        .library(name: "HWModel", targets: ["HWModel"]),
        .library(name: "CycleSim", targets: ["CycleSim"]),
        .library(name: "ModelImport", targets: ["ModelImport"]),
        .library(name: "Explore", targets: ["Explore"]),
        .library(name: "Reference", targets: ["Reference"]),
        .executable(name: "hwsim", targets: ["hwsim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.28.0"),
    ],
    targets: [
        // Libraries: one per concern, lowest first. Data flows one way:
        // Quantizers → HWModel (graphs, plans, hardware, cost) → CycleSim (lowering, mapping, compute
        // models, pipeline) → Explore (sweeps, searches).
        .target(name: "Quantizers"),
        .target(name: "HWModel", dependencies: ["Quantizers"]),
        .target(name: "CycleSim", dependencies: ["HWModel", "Quantizers"]),
        // Design-space exploration beside the evaluation path: sweeps, Pareto fronts, results files.
        .target(name: "Explore", dependencies: ["CycleSim", "HWModel", "Quantizers"]),
        // The published tables hwsim reproduces (papers, FPGA builds): data files with sources,
        // recomputed beside the published values.
        .target(name: "Reference", dependencies: ["CycleSim", "HWModel", "Quantizers"], resources: [.copy("Resources/reference")]),
        .target(
            name: "ModelImport",
            dependencies: ["HWModel", "Quantizers", .product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),

        // The command-line tool: argument parsing, loading and rendering only.
        .executableTarget(
            name: "hwsim",
            dependencies: [
                "Quantizers", "HWModel", "CycleSim", "Explore", "Reference", "ModelImport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Tests, one target per library, plus the tool's rendering; TestSupport finds the shipped configs.
        .target(name: "TestSupport", dependencies: ["HWModel"], path: "Tests/Support"),
        .testTarget(name: "QuantizersTests", dependencies: ["Quantizers"], resources: [.copy("Fixtures")]),
        .testTarget(name: "HWModelTests", dependencies: ["TestSupport", "HWModel", "Quantizers"]),
        .testTarget(name: "CycleSimTests", dependencies: ["TestSupport", "CycleSim", "HWModel", "Quantizers", "ModelImport"]),
        .testTarget(
            name: "ModelImportTests",
            dependencies: ["ModelImport", "HWModel", "Quantizers"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "ReferenceTests", dependencies: ["TestSupport", "Reference", "CycleSim", "HWModel", "Quantizers"]),
        .testTarget(name: "ExploreTests", dependencies: ["TestSupport", "Explore", "CycleSim", "HWModel", "Quantizers"]),
        .testTarget(name: "hwsimTests", dependencies: ["hwsim", "Explore", "CycleSim", "HWModel", "Quantizers"]),

        // Benchmarks (release builds print figures; never timed in tests).
        .executableTarget(name: "quantizers-bench", dependencies: ["Quantizers"], path: "Benchmarks/QuantizersBenchmark"),
        .executableTarget(name: "sim-bench", dependencies: ["CycleSim", "Explore", "HWModel"], path: "Benchmarks/SimulationBenchmark"),
        .executableTarget(name: "sweep-bench", dependencies: ["Explore", "CycleSim", "HWModel", "Quantizers"], path: "Benchmarks/SweepBenchmark"),
        .executableTarget(name: "search-bench", dependencies: ["Explore", "CycleSim", "HWModel", "Quantizers"], path: "Benchmarks/SearchBenchmark"),
        .executableTarget(name: "import-bench", dependencies: ["ModelImport", "HWModel", "CycleSim", "Quantizers"], path: "Benchmarks/ImportBenchmark"),
    ]
)
