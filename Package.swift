// swift-tools-version:6.1
import PackageDescription

// One set of settings for every target: Swift 6 language mode (strict concurrency), the upcoming features that keep
// imports and existentials explicit, and cross-module optimization in release.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    // Release builds let the optimizer see across our modules (JSON values built in JSONSyntax, walked in the engine),
    // not only through what is marked @inlinable. Allowed here: the products are executables, not libraries.
    .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release)),
]

let package = Package(
    name: "sinchform",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sinchform", targets: ["sinchform"]),
        .executable(name: "sinchform-bench", targets: ["SinchformBenchmarks"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.8.0"),
    ],
    targets: [
        .target(
            name: "SinchformManifest",
            // YAMLLoader reads libyaml's events through CYaml, the C target the Yams product is built on.
            dependencies: ["JSONSyntax", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        .target(name: "JSONSyntax", swiftSettings: swiftSettings),
        .target(
            name: "ProvisioningAPI",
            dependencies: [
                "JSONSyntax",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SinchformEngine",
            dependencies: [
                "JSONSyntax",
                "SinchformManifest",
                "ProvisioningAPI",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ProvisioningEmulator",
            dependencies: [
                "JSONSyntax",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "sinchform",
            dependencies: [
                "SinchformManifest",
                "SinchformEngine",
                "ProvisioningEmulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "SinchformBenchmarks",
            dependencies: [
                "ProvisioningEmulator",
                "ProvisioningAPI",
                "SinchformEngine",
                "SinchformManifest",
                "SinchformTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/SinchformBenchmarks",
            swiftSettings: swiftSettings
        ),
        // What every test target and the benchmarks share: the scoped emulator harness and its typed control
        // client, manifests, the fault mix, golden files, replayable random numbers, the hostile server and the
        // fuzzers.
        .target(
            name: "SinchformTestSupport",
            dependencies: [
                "JSONSyntax", "ProvisioningAPI", "ProvisioningEmulator",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Tests/SinchformTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "JSONSyntaxTests", dependencies: ["JSONSyntax"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SinchformManifestTests",
            dependencies: ["SinchformManifest", "SinchformTestSupport"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ProvisioningEmulatorTests",
            dependencies: [
                "ProvisioningEmulator", "SinchformTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ProvisioningAPITests",
            dependencies: ["ProvisioningAPI", "ProvisioningEmulator", "SinchformTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SinchformEngineTests",
            dependencies: [
                "SinchformEngine", "ProvisioningEmulator", "ProvisioningAPI", "SinchformManifest",
                "SinchformTestSupport",
            ],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "sinchformTests",
            dependencies: [
                "JSONSyntax", "ProvisioningEmulator", "SinchformManifest", "SinchformTestSupport",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
