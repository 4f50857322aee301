// swift-tools-version:6.0
import PackageDescription

// Library targets use only the standard library and Foundation so that anyone can embed them;
// only the command-line tool depends on swift-argument-parser.
let package = Package(
    name: "hwsim",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "Quantizers", targets: ["Quantizers"]),
        .library(name: "HWModel", targets: ["HWModel"]),
        .library(name: "CycleSim", targets: ["CycleSim"]),
        .executable(name: "hwsim", targets: ["hwsim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(name: "Quantizers"),
        .target(name: "HWModel", dependencies: ["Quantizers"], resources: [.copy("Resources/reference")]),
        .target(name: "CycleSim", dependencies: ["HWModel", "Quantizers"]),
        .executableTarget(
            name: "hwsim",
            dependencies: [
                "Quantizers", "HWModel", "CycleSim",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "QuantizersTests", dependencies: ["Quantizers"]),
        .testTarget(
            name: "HWModelTests",
            dependencies: ["HWModel", "Quantizers"]
        ),
        .testTarget(name: "CycleSimTests", dependencies: ["CycleSim", "HWModel", "Quantizers"]),
        .executableTarget(name: "sim-bench", dependencies: ["CycleSim", "HWModel"], path: "Benchmarks/SimulationBenchmark"),
    ]
)
