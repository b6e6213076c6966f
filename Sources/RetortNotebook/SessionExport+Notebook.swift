extension SessionExport {
  /// A Jupyter notebook (nbformat 4, minor 5): one code cell per recorded cell
  /// with its `execution_count`, cell `id`, and its output as a `stdout` stream;
  /// kernel metadata names Retort. A cell's error (as `RenderedError` finds it:
  /// located in this cell or in a function an earlier cell defined, with its
  /// call trace) becomes an `error` output, as Jupyter shows exceptions. A cell stopped by Ctrl-C also gets the error
  /// output Jupyter shows for that (`KeyboardInterrupt`), and its stop point in
  /// the cell's `retort` metadata. JSON is written with sorted keys and one-space
  /// indentation, as Jupyter itself writes notebooks.
  public static func notebook(_ log: SessionLog) -> String {
    var cells: [JSONValue] = []
    for (index, cell) in log.cells.enumerated() {
      var outputs: [JSONValue] = []
      let (printed, error) = splitError(cell)
      if !printed.isEmpty {
        outputs.append(.object([
          ("name", .string("stdout")),
          ("output_type", .string("stream")),
          ("text", sourceLines(printed)),
        ]))
      }
      if let error {
        outputs.append(.object([
          ("ename", .string("RetortError")),
          ("evalue", .string(String(error.first?.dropFirst("error: ".count) ?? ""))),
          ("output_type", .string("error")),
          ("traceback", .array(error.map { .string($0) })),
        ]))
      }
      var metadata: [(String, JSONValue)] = []
      if let point = cell.interruptedAt {
        outputs.append(.object([
          ("ename", .string("KeyboardInterrupt")),
          ("evalue", .string("stopped by Ctrl-C")),
          ("output_type", .string("error")),
          ("traceback", .array([])),
        ]))
        metadata.append(("retort", .object([("interrupted_at", .int(point))])))
      }
      cells.append(.object([
        ("cell_type", .string("code")),
        ("execution_count", .int(cell.number)),
        ("id", .string("retort-cell-\(index + 1)")),
        ("metadata", .object(metadata)),
        ("outputs", .array(outputs)),
        ("source", sourceLines(cell.input)),
      ]))
    }
    var retort: [(String, JSONValue)] = [("source", .string(log.path))]
    if let v = log.version { retort.append(("version", .string(v))) }
    if let s = log.started { retort.append(("started", .string(s))) }
    var languageInfo: [(String, JSONValue)] = [("file_extension", .string(".retort")), ("name", .string("retort"))]
    if let v = log.version { languageInfo.append(("version", .string(v))) }
    let doc = JSONValue.object([
      ("cells", .array(cells)),
      ("metadata", .object([
        ("kernelspec", .object([
          ("display_name", .string("Retort")),
          ("language", .string("retort")),
          ("name", .string("retort")),
        ])),
        ("language_info", .object(languageInfo)),
        ("retort", .object(retort)),
      ])),
      ("nbformat", .int(4)),
      ("nbformat_minor", .int(5)),
    ])
    return doc.rendered() + "\n"
  }

  /// The output before the cell's rendered error, and the error's lines (nil if none).
  static func splitError(_ cell: SessionCell) -> (String, [String]?) {
    RenderedError.split(cell.output, cell: cell.number)
  }

  /// nbformat's multiline string: a list of lines, each keeping its `\n`.
  private static func sourceLines(_ text: String) -> JSONValue {
    var lines = SessionLogFormat.splitLines(text).map { String($0) + "\n" }
    if let last = lines.last {
      lines[lines.count - 1] = String(last.dropLast())
      if lines[lines.count - 1].isEmpty { lines.removeLast() }
    }
    return .array(lines.map { .string($0) })
  }
}
