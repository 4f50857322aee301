import Foundation
import Testing
import HWModel

@Suite struct JSONOutputTests {
    let document = JSONOutput.object([
        ("name", .string("net \"1\"")),
        ("zeta", .integer(-3)),
        ("alpha", .array([.number(0.5), .number(1e-05), .number(.infinity), .numberText("0.0100"), .null, .bool(true)])),
        ("row", .oneLine(.object([("k", .integers([1, 2])), ("e", .array([]))]))),
        ("empty", .object([])),
    ])

    @Test func compactTextIsOneLineInTheGivenKeyOrder() {
        #expect(document.rendered() == #"{"name": "net \"1\"", "zeta": -3, "alpha": [0.5, 1e-05, null, 0.0100, null, true], "row": {"k": [1, 2], "e": []}, "empty": {}}"#)
        #expect(JSONOutput.string("tab\there\u{1}").rendered() == #""tab\there\u0001""#)
    }

    @Test func prettyTextIndentsEveryLevelExceptOneLineValues() {
        let expected = """
            {
              "name": "net \\"1\\"",
              "zeta": -3,
              "alpha": [
                0.5,
                1e-05,
                null,
                0.0100,
                null,
                true
              ],
              "row": {"k": [1, 2], "e": []},
              "empty": {}
            }
            """
        #expect(document.rendered(pretty: true) == expected)
        #expect(JSONOutput.array([.integer(1), .array([.integer(2)])]).rendered(pretty: true, indent: 4) == "[\n    1,\n    [\n        2\n    ]\n]")
    }

    @Test func whatItWritesParsesBackToTheSameValues() throws {
        let parsed = try JSONValue.parse(Data(document.rendered(pretty: true).utf8))
        guard case .object(let fields) = parsed else {
            Issue.record("not an object: \(parsed)")
            return
        }
        #expect(fields["name"] == .string("net \"1\""))
        #expect(fields["zeta"] == .integer(-3))
        #expect(fields["row"] == .object(["k": .array([.integer(1), .integer(2)]), "e": .array([])]))
    }

    @Test func aParsedValueIsWrittenWithSortedKeys() throws {
        let parsed = try JSONValue.parse(Data(#"{"b": [1, 2.5], "a": {"y": null, "x": "s"}}"#.utf8))
        #expect(JSONOutput(parsed).rendered() == #"{"a": {"x": "s", "y": null}, "b": [1, 2.5]}"#)
    }
}
