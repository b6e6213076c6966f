// "1 token", "2 tokens": a count with its noun in the right number, for
// messages and summaries that may count one thing.

/// `n` and `noun`, plural unless `n` is 1 (`plural` when adding an s is wrong).
public func counted(_ n: Int, _ noun: String, plural: String? = nil) -> String {
  "\(n) " + (n == 1 ? noun : plural ?? noun + "s")
}
