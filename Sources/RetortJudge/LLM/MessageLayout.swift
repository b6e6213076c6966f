// MessageLayout: how the judge's messages are put together, as BELLE does it.
//
// BELLE (eval/template_html/ChatGPT_Score.html.temp, `getScore`) sends ONE user message, no system
// message. With `P` the category prompt, `Q` the question, `R` the reference, `A` the answer:
//   categories generation, brainstorming, rewrite (no reference used):
//     "{P} {Q}  模型回答： '{A}'。请针对模型回答给出得分，顺便给出理由："
//   every other category:
//     "{P} {Q} 标准回答:{R}  模型回答：' {A}'。请针对模型回答给出得分，顺便给出理由："
// (spacing, colons and quotes exactly as BELLE writes them, including the two spaces before
// 模型回答 and the space inside `' {A}'` in the second form). Retort also uses the first form when
// the item has no reference. BELLE called gpt-3.5-turbo with temperature 0.

/// Builds judge messages from a prompt and an item.
public struct MessageLayout: Sendable, Equatable {
  /// Normalised categories judged without the reference (BELLE: generation, brainstorming, rewrite).
  public var referenceFreeCategories: Set<String>

  /// BELLE's layout.
  public static let belle = MessageLayout(referenceFreeCategories: ["generation", "brainstorming", "rewrite"])

  /// Creates a layout.
  public init(referenceFreeCategories: Set<String>) {
    self.referenceFreeCategories = Set(referenceFreeCategories.map(CategoryName.normalize))
  }

  /// True when the reference is shown to the judge for this item.
  public func usesReference(_ item: JudgeItem) -> Bool {
    item.nonEmptyReference != nil && !referenceFreeCategories.contains(CategoryName.normalize(item.category))
  }

  /// The messages for judging `item` with `prompt`.
  public func messages(prompt: String, item: JudgeItem) -> [ChatMessage] {
    let text: String
    if usesReference(item), let ref = item.nonEmptyReference {
      text = "\(prompt) \(item.instruction) 标准回答:\(ref)  模型回答：' \(item.answer)'。请针对模型回答给出得分，顺便给出理由："
    } else {
      text = "\(prompt) \(item.instruction)  模型回答： '\(item.answer)'。请针对模型回答给出得分，顺便给出理由："
    }
    return [ChatMessage(role: "user", content: text)]
  }
}
