import Testing
import Quantizers

@Suite struct MessageTextTests {
    @Test func escapesControlCharactersSoAnErrorStaysOneLine() {
        #expect(MessageText.quoted("a\nb\u{1b}[31m\"c\"") == #"'a\nb\u{1b}[31m\"c\"'"#)
        #expect(!MessageText.escaped("x\u{85}y\u{2028}z").contains("\u{85}"))
    }

    @Test func cutsLongValuesAndSaysHowLongTheyWere() {
        let long = String(repeating: "7", count: 200_000)
        let quoted = MessageText.quoted(long)
        #expect(quoted == "'" + String(repeating: "7", count: 80) + "…' (200000 characters)")
        #expect(MessageText.escaped("short") == "short")
        #expect(MessageText.escaped("abcdef", limit: 3) == "abc… (6 characters)")
    }
}

@Suite struct OneLineMessageTests {
    @Test func keepsQuotesButEscapesLineBreaksAndCutsAScreenful() {
        #expect(MessageText.oneLine("a \"b\"\nc") == #"a "b"\nc"#)
        let long = MessageText.oneLine(String(repeating: "x", count: 5_000))
        #expect(long.hasSuffix("… (5000 characters)") && long.count < 1_100)
    }
}
