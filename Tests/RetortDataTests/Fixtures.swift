// Small fixtures in the real formats, written to a fresh temporary
// directory per test. They carry the untidy details of the real files:
// BELLE's eval set is JSON Lines named .json, `closed\u{00A0}qa` has a
// no-break space, judge prompts write `closed\u{00A0}QA` and `open QA`.

import Foundation
@testable import RetortData

/// A temporary directory removed when the value is released.
final class TempDir {
  let path: String

  init() {
    path = NSTemporaryDirectory() + "retort-data-tests-" + UUID().uuidString
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }

  /// Writes `text` (UTF-8) to `name` and returns its path.
  @discardableResult
  func write(_ name: String, _ text: String) -> String {
    write(name, bytes: Array(text.utf8))
  }

  /// Writes raw bytes to `name` and returns its path.
  @discardableResult
  func write(_ name: String, bytes: [UInt8]) -> String {
    let p = path + "/" + name
    FileManager.default.createFile(atPath: p, contents: Data(bytes))
    return p
  }

  func read(_ name: String) -> String {
    (try? String(contentsOfFile: path + "/" + name, encoding: .utf8)) ?? ""
  }
}

enum Fixture {
  /// BELLE eval set: JSON Lines despite the .json name; empty std_answer for open classes.
  static let belleEval = """
    {"question": "请你写出一个可以生成五个不同随机数的 Python 程序。", "class": "code", "std_answer": "import random\\nprint(random.sample(range(100), 5))"}
    {"question": "以下哪个是水果？\\n苹果、土豆、白菜", "class": "closed\u{00A0}qa", "std_answer": "苹果"}
    {"question": "给我想几个周末活动的点子。", "class": "brainstorming", "std_answer": ""}
    {"question": "“床前明月光”的下一句是什么？", "class": "closed\u{00A0}qa", "std_answer": "疑是地上霜。"}
    {"question": "计算 12 * 13", "class": "math", "std_answer": "156"}

    """

  /// BELLE judge prompts: labels differ in case and spacing from the eval set's.
  static let evalPrompt = """
    {"class": "math", "prompt": "你是一个数学老师……请按照\\"得分:\\"这样的形式输出分数。"}
    {"class": "open QA", "prompt": "你是一个评测员……"}
    {"class": "closed\u{00A0}QA", "prompt": "你是一个评测员……"}
    {"class": "translation", "prompt": "你是一个翻译老师……"}

    """

  /// BELLE zh_seed_tasks.json (JSON Lines), one task with two instances.
  static let zhSeedTasks = """
    {"id": "seed_task_8", "name": "english_haiku_generation", "instruction": "请以下面词语为主题写一首诗", "instances": [{"input": "夏天", "output": "不但春妍夏亦佳，随缘花草是生涯。"}], "is_classification": false}
    {"id": "seed_task_38", "name": "synonym_generation", "instruction": "给出下面词语的同义词", "instances": [{"input": "惊人地", "output": "令人惊奇地"}, {"input": "快乐", "output": "高兴"}], "is_classification": false}

    """

  /// Alpaca seed_tasks.jsonl.
  static let alpacaSeedTasks = """
    {"id": "seed_task_0", "name": "breakfast_suggestion", "instruction": "Is there anything I can eat for a breakfast that doesn't include eggs?", "instances": [{"input": "", "output": "Yes, you can have oatmeal."}], "is_classification": false}
    {"id": "seed_task_1", "name": "antonym_relation", "instruction": "What is the relation between the given pairs?", "instances": [{"input": "Night : Day :: Right : Left", "output": "The relation is antonym."}], "is_classification": true}

    """

  /// alpaca_data.json: a pretty-printed JSON array.
  static let alpacaArray = """
    [
        {
            "instruction": "Give three tips for staying healthy.",
            "input": "",
            "output": "1. Eat a balanced diet.\\n2. Exercise.\\n3. Sleep."
        },
        {
            "instruction": "Translate to French.",
            "input": "Good morning",
            "output": "Bonjour"
        }
    ]
    """

  /// Dolly (JSON Lines) with untidy category labels.
  static let dolly = """
    {"instruction": "When did Virgin Australia start operating?", "context": "Virgin Australia commenced services on 31 August 2000.", "response": "31 August 2000.", "category": "closed_qa"}
    {"instruction": "Which is a species of fish? Tope or Rope", "context": "", "response": "Tope", "category": "Classification"}
    {"instruction": "Why can camels survive long without water?", "context": "", "response": "They store fat in their humps.", "category": "open_qa"}
    {"instruction": "Pick the odd one out", "context": "", "response": "x", "category": "classification "}

    """

  /// ShareGPT / BELLE multi-turn.
  static let sharegpt = """
    {"id": "conv_1", "conversations": [{"from": "human", "value": "你好"}, {"from": "gpt", "value": "你好！有什么可以帮你？"}, {"from": "human", "value": "讲个笑话"}, {"from": "gpt", "value": "好的……"}]}
    {"id": "conv_2", "conversations": [{"from": "system", "value": "Be brief."}, {"from": "human", "value": "Hi"}, {"from": "gpt", "value": "Hello"}]}

    """

  /// OpenAI chat messages.
  static let openai = """
    {"messages": [{"role": "system", "content": "You are helpful."}, {"role": "user", "content": "2+2?"}, {"role": "assistant", "content": "4"}]}

    """

  /// Vicuna question list.
  static let vicuna = """
    {"question_id": 1, "text": "How can I improve my time management skills?", "category": "generic"}
    {"question_id": 2, "text": "What are the most effective ways to deal with stress?", "category": "Generic"}

    """

  /// Unknown schema, for `fields:` mapping.
  static let custom = """
    {"prompt": "Say hi", "completion": "Hi", "topic": "greeting"}
    {"prompt": "Say bye", "completion": "Bye", "topic": "greeting"}

    """
}
