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
        .executable(name: "hwsim", targets: ["hwsim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.28.0"),
    ],
    targets: [
        .target(name: "Quantizers"),
        .target(name: "HWModel", dependencies: ["Quantizers"]),
        .target(
            name: "ModelImport",
            dependencies: ["HWModel", .product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        .executableTarget(
            name: "hwsim",
            dependencies: [
                "Quantizers", "HWModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "QuantizersTests", dependencies: ["Quantizers"]),
        .testTarget(
            name: "HWModelTests",
            dependencies: ["HWModel", "Quantizers"]
        ),
        .testTarget(
            name: "ModelImportTests",
            dependencies: ["ModelImport"],
            resources: [.copy("Fixtures")]
        ),
    ]
)
