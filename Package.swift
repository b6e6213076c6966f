// swift-tools-version:6.0
// Retort: a notebook-style scripting REPL for instruction-tuning experiments.
//
// Module map (arrows point down only):
//   retort (executable) -> RetortLab, RetortNotebook, RetortTerminal, RetortBench
//   RetortBench  -> RetortLab and the domain modules (`retort bench ...`)
//   RetortLab    -> RetortLang + the domain: namespaces, help, rendering
//   RetortLang   -> nothing of ML: lexer, parser, evaluator, values, errors
//   RetortNotebook -> session logs: record, replay, check, export
//   RetortTerminal -> CReadline: line editing, history, completion, Ctrl-C
//   RetortJudge  -> RetortModels, RetortData, CCurl (Linux: https judges over libcurl)
//   RetortModels -> RetortCompute
//   RetortData   -> nothing (shared text tokenizer and ROUGE-L live here)
//   RetortCompute -> nothing: tensors, SIMD kernels, threads, random numbers
import PackageDescription

// The default x86-64 target has no AVX2/FMA; SIMD kernels need them.
// Package.swift is compiled for the host, so this picks the host's arch.
#if arch(x86_64)
let cpuFlags: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
let cpuCFlags: [CSetting] = [.unsafeFlags(["-march=haswell"])]
#else
let cpuFlags: [SwiftSetting] = []
let cpuCFlags: [CSetting] = []
#endif

let common: [SwiftSetting] = cpuFlags + [.swiftLanguageMode(.v5)]
// Kernel modules are optimised in debug builds too, so tests that run real
// models and training steps stay fast.
let kernels: [SwiftSetting] = common + [
  .unsafeFlags(["-Ounchecked", "-enforce-exclusivity=unchecked"], .when(configuration: .release)),
  .unsafeFlags(["-O"], .when(configuration: .debug)),
]

let package = Package(
  name: "Retort",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "retort", targets: ["retort"]),
    .library(name: "RetortCompute", targets: ["RetortCompute"]),
    .library(name: "RetortData", targets: ["RetortData"]),
    .library(name: "RetortModels", targets: ["RetortModels"]),
    .library(name: "RetortJudge", targets: ["RetortJudge"]),
    .library(name: "RetortLang", targets: ["RetortLang"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
  ],
  targets: [
    .systemLibrary(
      name: "CReadline", pkgConfig: "readline",
      providers: [.apt(["libreadline-dev"])]),
    .systemLibrary(
      name: "CCurl", pkgConfig: "libcurl",
      providers: [.apt(["libcurl4-openssl-dev"])]),
    .target(name: "RetortCompute", swiftSettings: kernels),
    .target(name: "RetortFiles", swiftSettings: common),
    .target(name: "RetortData", dependencies: ["RetortFiles"], swiftSettings: common),
    .target(name: "RetortModels", dependencies: ["RetortCompute", "RetortFiles"], swiftSettings: kernels),
    .target(name: "RetortJudge", dependencies: ["RetortData", "RetortModels", "RetortFiles",
                                                .target(name: "CCurl", condition: .when(platforms: [.linux]))],
            swiftSettings: common),
    .target(name: "RetortLang", dependencies: ["RetortFiles"], swiftSettings: common),
    .target(name: "RetortNotebook", dependencies: ["RetortFiles"], swiftSettings: common),
    .target(name: "RetortTerminal", dependencies: ["CReadline"], swiftSettings: common),
    .target(
      name: "RetortLab",
      dependencies: ["RetortLang", "RetortCompute", "RetortData", "RetortModels", "RetortJudge", "RetortFiles"],
      exclude: ["BINDINGS.md"],
      swiftSettings: common),
    .target(
      name: "RetortBench",
      dependencies: ["RetortLab", "RetortLang", "RetortCompute", "RetortData", "RetortModels", "RetortJudge", "RetortFiles"],
      swiftSettings: kernels),
    .executableTarget(
      name: "retort",
      dependencies: [
        "RetortLab", "RetortLang", "RetortNotebook", "RetortBench", "RetortTerminal", "RetortFiles",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: common),

    .testTarget(name: "RetortComputeTests", dependencies: ["RetortCompute"], swiftSettings: common),
    .testTarget(name: "RetortDataTests", dependencies: ["RetortData"], swiftSettings: common),
    .testTarget(name: "RetortFilesTests", dependencies: ["RetortFiles"], swiftSettings: common),
    .testTarget(name: "RetortModelsTests", dependencies: ["RetortModels", "RetortCompute", "RetortFiles"],
                resources: [.copy("Fixtures")], swiftSettings: common),
    .testTarget(name: "RetortJudgeTests", dependencies: ["RetortJudge", "RetortData"],
                resources: [.copy("Fixtures")], swiftSettings: common),
    .testTarget(name: "RetortLangTests", dependencies: ["RetortLang"], swiftSettings: common),
    .testTarget(name: "RetortNotebookTests", dependencies: ["RetortNotebook"], swiftSettings: common),
    .testTarget(name: "RetortTerminalTests", dependencies: ["RetortTerminal"], swiftSettings: common),
    .testTarget(name: "RetortCLITests", dependencies: ["retort"], swiftSettings: common),
    .testTarget(name: "RetortLabTests", dependencies: ["RetortLab", "RetortLang"], swiftSettings: common),
  ]
)
