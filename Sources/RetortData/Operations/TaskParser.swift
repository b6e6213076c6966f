// Parses a model's generated task list in the numbered layouts that the
// self-instruct prompts ask for:
//
//   Alpaca:  "1. Instruction: ...\n1. Input:\n<noinput>\n1. Output:\n...\n###\n2. Instruction: ..."
//   BELLE:   "1. 指令: ...\n1. 输入: <无输入>\n1. 输出: ..."  (full-width ： too,
//            numbers optional on the input/output lines)
//
// A section runs from its label to the next label or `###` line. Text
// before the first label is the first task's instruction when the first
// label is an Input or Output (Alpaca prepends "N. Instruction:" to the
// completion itself). A task needs an instruction and a non-empty output;
// the last task is dropped when incomplete, or always when the caller says
// the generation was cut off by the length limit (as Alpaca does).

/// Parser for generated self-instruct task lists.
public enum TaskParser {
  /// Input texts that mean "no input": Alpaca's <noinput>, BELLE's <无输入> and their spellings.
  /// Bare words a real input could be ("none", "无", "空", "n/a") stay as they are.
  static let noInput: Set<String> = ["<noinput>", "<no input>", "noinput", "no input", "<无输入>", "无输入", "<无>",
                                     "<n/a>", "<none>"]

  enum Label { case instruction, input, output }

  /// Splits a line into (label, rest) when it starts with a section label.
  static func label(of line: Substring) -> (Label, Substring)? {
    var s = line.drop(while: { $0 == " " || $0 == "\t" || $0 == "#" || $0 == "*" })
    // Optional "12." / "12、" / "12)" number.
    let digits = s.prefix(while: { $0.isASCII && $0.isNumber })
    if !digits.isEmpty {
      var rest = s.dropFirst(digits.count).drop(while: { $0 == " " })
      guard let p = rest.first, ".．、)）:：".contains(p) else { return nil }
      rest = rest.dropFirst().drop(while: { $0 == " " || $0 == "\t" || $0 == "*" })
      s = rest
    }
    let names: [(String, Label)] = [("instruction", .instruction), ("input", .input), ("output", .output),
                                    ("指令", .instruction), ("输入", .input), ("输出", .output)]
    for (name, l) in names {
      guard s.count >= name.count, s.prefix(name.count).lowercased() == name else { continue }
      var rest = s.dropFirst(name.count).drop(while: { $0 == " " || $0 == "*" })
      guard let colon = rest.first, colon == ":" || colon == "：" else { continue }
      rest = rest.dropFirst().drop(while: { $0 == "*" })
      return (l, rest)
    }
    return nil
  }

  /// The tasks in `text` as records with instruction, input and output.
  ///
  /// - Parameter truncated: true when the generation stopped at its length
  ///   limit; the last task is then dropped even if it looks complete.
  public static func parse(_ text: String, truncated: Bool = false) -> Dataset {
    struct Task { var instruction: String?; var input: String?; var output: String? }
    var tasks: [Task] = []
    var current = Task()
    var section: Label? = nil
    var buffer: [Substring] = []
    var preamble: [Substring] = []

    func flushSection() {
      let body = buffer.joined(separator: "\n").trimmingSpaces()
      switch section {
      case .instruction: current.instruction = body
      case .input: current.input = body
      case .output: current.output = body
      case nil: break
      }
      buffer = []
    }
    func finishTask() {
      flushSection()
      section = nil
      if current.instruction != nil || current.input != nil || current.output != nil { tasks.append(current) }
      current = Task()
    }

    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      let trimmed = line.trimmingSpacesSub()
      if trimmed.hasPrefix("###") && trimmed.drop(while: { $0 == "#" }).allSatisfy(\.isWhitespace) {
        finishTask()
        continue
      }
      if let (l, rest) = label(of: line) {
        if l == .instruction && (section != nil || current.instruction != nil) { finishTask() }
        else if section == nil && tasks.isEmpty && current.instruction == nil && l != .instruction && !preamble.isEmpty {
          current.instruction = preamble.joined(separator: "\n").trimmingSpaces()
        } else {
          flushSection()
          if (l == .input && current.input != nil) || (l == .output && current.output != nil) { finishTask() }
        }
        section = l
        buffer = [rest]
      } else if section != nil {
        buffer.append(line)
      } else if tasks.isEmpty && current.instruction == nil {
        preamble.append(line)
      }
    }
    finishTask()

    let complete = { (t: Task) -> Bool in
      !(t.instruction ?? "").isEmpty && !(t.output ?? "").isEmpty
    }
    if let last = tasks.last, truncated || !complete(last) { tasks.removeLast() }
    var records: [Record] = []
    for t in tasks where complete(t) {
      var input = t.input ?? ""
      if noInput.contains(input.lowercased().replacingFullWidthBrackets()) { input = "" }
      records.append(Record(["instruction": .string(t.instruction ?? ""), "input": .string(input),
                             "output": .string(t.output ?? "")]))
    }
    return Dataset(records, source: "parse_tasks", schema: .alpaca)
  }
}

extension Substring {
  func trimmingSpacesSub() -> Substring {
    var s = self
    while s.first?.isWhitespace == true { s.removeFirst() }
    while s.last?.isWhitespace == true { s.removeLast() }
    return s
  }
}

extension String {
  func replacingFullWidthBrackets() -> String {
    String(map { $0 == "＜" ? "<" : ($0 == "＞" ? ">" : $0) })
  }
}

extension Dataset {
  /// `dataset.parse_tasks(text)`: see `TaskParser.parse`.
  public static func parseTasks(_ text: String, truncated: Bool = false) -> Dataset {
    TaskParser.parse(text, truncated: truncated)
  }
}
