// Errors from the domain libraries name their operation "load_lora: ...";
// a call names it as the bindings' own errors do, "load_lora(): ...".

import Testing
import RetortLang

@Suite struct LibraryErrorNameTests {
  struct LibraryError: Error, CustomStringConvertible { let description: String }

  func message(_ name: String, throwing text: String, call: String) -> String? {
    let interp = Interpreter()
    interp.output = { _ in }
    interp.globals["f"] = .native(NativeFunction(name: name, params: [], doc: "") { _ in
      throw LibraryError(description: text)
    })
    var result: CellResult? = nil
    runWithLargeStack { result = interp.run(call, name: "[1]", cellNumber: 1) }
    return result?.error?.message
  }

  @Test func theOperationPrefixBecomesACall() {
    #expect(message("load_lora", throwing: "load_lora: no such directory", call: "f()") == "load_lora(): no such directory")
    // A method is named by its own name, a namespace function with its namespace.
    #expect(message("Model.train", throwing: "train: no examples", call: "f()") == "train(): no examples")
    #expect(message("tensor.arange", throwing: "arange: step must be non-zero", call: "f()")
      == "tensor.arange(): step must be non-zero")
  }

  @Test func otherMessagesStayAsTheyAre() {
    // An inner operation's name, a file position, or text without the prefix.
    #expect(message("Model.train", throwing: "forward: bad shape", call: "f()") == "forward: bad shape")
    #expect(message("dataset.load", throwing: "a.jsonl:2:18: expected ','", call: "f()") == "a.jsonl:2:18: expected ','")
    #expect(message("train", throwing: "trainer stopped", call: "f()") == "trainer stopped")
  }
}
