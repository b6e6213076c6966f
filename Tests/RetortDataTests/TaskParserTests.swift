import Testing
@testable import RetortData

@Suite struct TaskParserTests {
  @Test func alpacaLayout() {
    // What text-davinci-003 returns after Alpaca's prompt: the "4. Instruction:"
    // marker is in the prompt, so the completion starts with the instruction.
    let text = """
     Generate a list of three healthy breakfast ideas.
    4. Input:
    <noinput>
    4. Output:
    1. Oatmeal with berries
    2. Greek yogurt with honey
    3. Whole-grain toast with avocado
    ###
    5. Instruction: Rewrite the sentence in passive voice.
    5. Input:
    The cat chased the mouse.
    5. Output:
    The mouse was chased by the cat.
    ###
    6. Instruction: Classify the sentiment of the review.
    6. Input:
    I loved this movie!
    6. Output:
    Positive
    ###
    7. Instruction: Explain how photosynthesis works in
    """
    let ds = Dataset.parseTasks(text)
    #expect(ds.count == 3)
    #expect(ds.records[0].instruction == "Generate a list of three healthy breakfast ideas.")
    #expect(ds.records[0].input == "")
    #expect(ds.records[0].output == "1. Oatmeal with berries\n2. Greek yogurt with honey\n3. Whole-grain toast with avocado")
    #expect(ds.records[1].input == "The cat chased the mouse.")
    #expect(ds.records[2].output == "Positive")
    // Cut off by the length limit: the last (complete-looking) task goes too.
    #expect(Dataset.parseTasks(text.components(separatedBy: "###\n7.")[0], truncated: true).count == 2)
  }

  @Test func onlyTheNoInputMarkersClearAnInput() {
    let text = "1. Instruction: Translate to French.\n1. Input: none\n1. Output: aucun\n###\n"
      + "2. Instruction: Name a colour.\n2. Input: <noinput>\n2. Output: red\n###\n3. Instruction: x"
    let ds = Dataset.parseTasks(text)
    #expect(ds.records.map(\.input) == ["none", ""])
  }

  @Test func belleLayoutWithFullWidthColons() {
    let text = """
    1. 指令: 给出以下单词的反义词。
    1. 输入: 快乐
    1. 输出: 悲伤
    2. 指令：请写一首关于春天的五言绝句。
    2. 输入：<无输入>
    2. 输出：春风吹柳绿，
    细雨润花红。
    3. 指令: 将下面的句子翻译成英文。
    输入: 今天天气很好。
    输出: The weather is nice today.
    4. 指令：解释一下什么是机器学习。
    4. 输入：＜无输入＞
    4. 输出：
    """
    let ds = Dataset.parseTasks(text)
    #expect(ds.records.map(\.instruction) == ["给出以下单词的反义词。", "请写一首关于春天的五言绝句。", "将下面的句子翻译成英文。"])
    #expect(ds.records.map(\.input) == ["快乐", "", "今天天气很好。"])
    #expect(ds.records[1].output == "春风吹柳绿，\n细雨润花红。")
    #expect(ds.records[2].output == "The weather is nice today.")
  }

  @Test func malformedTasksAreSkipped() {
    let text = """
    1. Instruction: Has no output.
    1. Input: x
    ###
    2. Instruction: Good one.
    2. Output: yes
    ###
    3. Output: orphan output
    ###
    4. Instruction: Last complete one.
    4. Input: <noinput>
    4. Output: done
    """
    let ds = Dataset.parseTasks(text)
    #expect(ds.records.map(\.instruction) == ["Good one.", "Last complete one."])
    #expect(Dataset.parseTasks("").count == 0)
    #expect(Dataset.parseTasks("no markers at all").count == 0)
  }
}
