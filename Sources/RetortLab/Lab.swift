// The lab: an interpreter with every domain namespace bound in.

import RetortLang

/// Builds interpreters with Retort's namespaces registered.
public enum Lab {
  /// The version shown by `--version` and in session headers.
  public static let version = "0.1.0"

  /// A fresh interpreter with builtins and every namespace.
  public static func makeInterpreter() -> Interpreter {
    let interp = Interpreter()
    for install in installers { install(interp) }
    return interp
  }

  /// Each domain area adds its namespace here (one line per area).
  static let installers: [(Interpreter) -> Void] = [
    installDataset,
    installTensor,
    installJudge,
    installModel,
    installTokenizer,
  ]
}
