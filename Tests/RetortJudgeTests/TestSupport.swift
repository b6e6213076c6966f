import Foundation
import Testing

/// Loads a fixture file from the test bundle's Fixtures folder.
func fixtureData(_ name: String, _ ext: String) throws -> Data {
  guard let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Fixtures") else {
    throw FixtureMissing(name: "\(name).\(ext)")
  }
  return try Data(contentsOf: url)
}

struct FixtureMissing: Error, CustomStringConvertible {
  var name: String
  var description: String { "fixture \(name) not found in the test bundle" }
}

/// Expects |actual - expected| <= tolerance, reporting at the caller's line.
func expectClose(
  _ actual: Double, _ expected: Double, tolerance: Double = 1e-12, _ what: @autoclosure () -> String = "",
  sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(
    abs(actual - expected) <= tolerance, "\(what()): \(actual) vs expected \(expected)",
    sourceLocation: sourceLocation)
}

/// A fresh temporary directory, removed by the caller.
func temporaryDirectory() throws -> URL {
  let url = FileManager.default.temporaryDirectory
    .appendingPathComponent("retort-judge-tests-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}
