import Foundation
import Testing
@testable import HWModel

/// The strict reader: every deviation from RFC 8259 is one error with a line and column.
@Suite struct JSONParserTests {
    private func parse(_ text: String) throws(JSONParseError) -> JSONValue { try JSONValue.parse(Data(text.utf8)) }

    private func expectRejected(_ text: String, mentioning fragments: String..., sourceLocation: SourceLocation = #_sourceLocation) {
        expectRejected(Data(text.utf8), mentioning: fragments, sourceLocation: sourceLocation)
    }

    private func expectRejected(_ data: Data, mentioning fragments: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            let value = try JSONValue.parse(data)
            Issue.record("expected a parse error, got \(value)", sourceLocation: sourceLocation)
        } catch {
            for fragment in fragments {
                #expect(error.message.contains(fragment), "\(error.message)", sourceLocation: sourceLocation)
            }
            #expect(!error.message.contains("\n"), sourceLocation: sourceLocation)
            #expect(error.message.count < 300, sourceLocation: sourceLocation)
        }
    }

    @Test func readsEveryKindOfValue() throws {
        let value = try parse(#" {"a": [1, -2, 3.5, 1e2, true, false, null, "x\n\u00e9\ud83d\ude00"], "b": {}, "c": []} "#)
        #expect(value == .object([
            "a": .array([.integer(1), .integer(-2), .number(3.5), .number(100), .bool(true), .bool(false), .null, .string("x\né😀")]),
            "b": .object([:]), "c": .array([]),
        ]))
        #expect(try parse("9223372036854775807") == .integer(Int64.max))
        #expect(try parse("-9223372036854775808") == .integer(Int64.min))
        #expect(try parse("9223372036854775808") == .number(9223372036854775808))
        #expect(try parse("-0") == .integer(0))
        #expect(try parse("\u{FEFF}1") == .integer(1))
        #expect(try parse(#""caf\u00e9 ünï""#) == .string("café ünï"))
    }

    @Test func duplicateKeyNamesTheKeyAndItsPath() {
        expectRejected("{\"layers\": [{\"name\": \"a\"}, {\"name\": \"b\",\n \"name\": \"c\"}]}",
                       mentioning: "duplicate key 'name'", "layers[1].name", "line 2, column 2")
        expectRejected(#"{"a": 1, "a": 1}"#, mentioning: "duplicate key 'a'", "(at a)")
    }

    @Test func trailingCommasAreRejected() {
        expectRejected(#"{"a": [1, 2,]}"#, mentioning: "trailing comma before ']'", "line 1, column 13")
        expectRejected(#"{"a": 1,}"#, mentioning: "trailing comma before '}'")
    }

    @Test func nonJSONSyntaxIsRejected() {
        expectRejected("{\"a\": 1 // note\n}", mentioning: "comments are not JSON")
        expectRejected("/* c */ 1", mentioning: "comments are not JSON", "line 1, column 1")
        expectRejected(#"{"a": 01}"#, mentioning: "leading zero")
        expectRejected(#"{"a": NaN}"#, mentioning: "NaN and Infinity")
        expectRejected(#"{"a": -Infinity}"#, mentioning: "expected a digit")
        expectRejected(#"{"a": .5}"#, mentioning: "unexpected '.'")
        expectRejected(#"{"a": 1.}"#, mentioning: "after '.'")
        expectRejected(#"{"a": 1e}"#, mentioning: "exponent")
        expectRejected(#"{'a': 1}"#, mentioning: "object key")
        expectRejected(#"{"a" 1}"#, mentioning: "expected ':'")
        expectRejected(#"[1 2]"#, mentioning: "expected ',' or ']'")
        expectRejected(#"{"a": tru}"#, mentioning: "unexpected 't'")
        expectRejected(#"{"a": 1} x"#, mentioning: "after the document's value")
        expectRejected("", mentioning: "unexpected end of input")
        expectRejected(#"{"a": "unterminated"#, mentioning: "unterminated string")
        expectRejected(#"{"a": "\x"}"#, mentioning: "invalid escape")
        expectRejected(#"{"a": "\u12"}"#, mentioning: "four hex digits")
    }

    @Test func hugeNumbersAreRejected() {
        expectRejected(#"{"bram36": 1e400}"#, mentioning: "too large", "1e400")
        expectRejected("-" + String(repeating: "9", count: 400), mentioning: "too large")
    }

    @Test func controlCharactersAndSurrogatesAreRejected() {
        expectRejected("{\"a\": \"x\u{1B}y\"}", mentioning: "unescaped control character U+001B")
        expectRejected("{\"a\": \"tab\there\"}", mentioning: "U+0009")
        expectRejected(#"{"a": "\ud800"}"#, mentioning: "lone surrogate")
        expectRejected(#"{"a": "\ud800\u0041"}"#, mentioning: "lone surrogate")
        expectRejected(#"{"a": "\udc00"}"#, mentioning: "lone surrogate")
    }

    @Test func invalidUTF8IsRejectedWithItsPosition() {
        var bytes = Array("{\"a\":\n \"x".utf8)
        bytes += [0xC3, 0x28]  // a lead byte without its continuation
        bytes += Array("\"}".utf8)
        expectRejected(Data(bytes), mentioning: ["invalid UTF-8", "0xC3", "line 2, column 4"])
        expectRejected(Data([0x22, 0xED, 0xA0, 0x80, 0x22]), mentioning: ["invalid UTF-8"])  // an encoded surrogate
        expectRejected(Data([0x22, 0xC0, 0xAF, 0x22]), mentioning: ["invalid UTF-8"])  // an overlong '/'
        expectRejected(Data([0xFF]), mentioning: ["invalid UTF-8"])
    }

    @Test func depthBombIsAnErrorNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        expectRejected(deep, mentioning: "nest deeper than \(JSONValue.maximumDepth) levels")
        let objects = String(repeating: #"{"a":"#, count: 10_000) + "1" + String(repeating: "}", count: 10_000)
        expectRejected(objects, mentioning: "nest deeper")
        let allowed = String(repeating: "[", count: JSONValue.maximumDepth) + String(repeating: "]", count: JSONValue.maximumDepth)
        #expect(throws: Never.self) { try parse(allowed) }
    }

    @Test func largeFlatInputParsesWhole() throws {
        // 200,000 numbers (a quadratic reader would not finish the suite; its speed is measured
        // by hand, not here: 1,000,000 numbers in about 3 s in a debug build).
        let text = "[" + Array(repeating: "12345", count: 200_000).joined(separator: ",") + "]"
        guard case .array(let items) = try parse(text) else { Issue.record("not an array"); return }
        #expect(items.count == 200_000)
        #expect(items.last == .integer(12345))
    }

    @Test func descriptionIsCutAndEscaped() throws {
        let big = JSONValue.array(Array(repeating: .integer(7), count: 200_000))
        #expect(big.description.count < 130, "\(big.description.count)")
        #expect(big.description.hasSuffix("(200000 elements)"))
        let control = JSONValue.string("a\u{1B}[31mred\n")
        #expect(control.description == #""a\u{1b}[31mred\n""#)
        let long = JSONValue.string(String(repeating: "x", count: 10_000))
        #expect(long.description.contains("(10000 characters)"))
        #expect(long.description.count < 130)
        #expect(JSONValue.array([.integer(1), .string("b")]).description == #"[1, "b"]"#)
        #expect(JSONValue.object(["b": .integer(2), "a": .null]).description == #"{"a": null, "b": 2}"#)
    }
}
