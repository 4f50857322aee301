import Testing
import HWModel

@Suite struct CSVTests {
    private func fields(_ text: String, commentPrefix: Character? = nil) throws -> [[String]] {
        try CSV.parse(text, commentPrefix: commentPrefix).map(\.fields)
    }

    @Test func plainRecordsKeepEmptyFieldsAndSpaces() throws {
        #expect(try fields("a,b,c\n1,,3\n") == [["a", "b", "c"], ["1", "", "3"]])
        #expect(try fields("x, y ,\n") == [["x", " y ", ""]])
        #expect(try fields("no final newline") == [["no final newline"]])
        #expect(try fields("") == [])
        #expect(try fields("a\n\nb") == [["a"], [""], ["b"]])
    }

    @Test func quotedFieldsHoldCommasQuotesAndLineBreaks() throws {
        let text = "name,note\n\"conv, 3×3\",\"say \"\"hi\"\"\"\n\"two\nlines\",\"\"\nlast,row\n"
        let records = try CSV.parse(text)
        #expect(records.map(\.fields) == [["name", "note"], ["conv, 3×3", "say \"hi\""], ["two\nlines", ""], ["last", "row"]])
        // Lines are physical: the record after a quoted line break starts two lines later.
        #expect(records.map(\.line) == [1, 2, 3, 5])
        #expect(records[1].text == "\"conv, 3×3\",\"say \"\"hi\"\"\"")
    }

    @Test func crlfEndsARecordButALoneCRIsData() throws {
        let records = try CSV.parse("a,b\r\n1,2\r\n\"x\r\ny\",z\r\n")
        #expect(records.map(\.fields) == [["a", "b"], ["1", "2"], ["x\r\ny", "z"]])
        #expect(records.map(\.line) == [1, 2, 3])
        #expect(records[0].text == "a,b")
        #expect(try fields("a\rb,c\n") == [["a\rb", "c"]])
    }

    @Test func quotesInsideUnquotedFieldsAndAfterAClosingQuoteAreKept() throws {
        #expect(try fields("5\" disk,\"a\"b,c\n") == [["5\" disk", "ab", "c"]])
        #expect(try fields(" \"x,y\"\n") == [[" \"x", "y\""]])
    }

    @Test func anUnterminatedQuoteNamesTheLineItOpensOn() {
        #expect(throws: CSVError.unterminatedQuote(line: 2)) { try CSV.parse("a,b\n1,\"never closed\n3,4\n") }
        #expect(CSVError.unterminatedQuote(line: 2).description == "line 2: a quoted field is never closed; add the missing \"")
    }

    @Test func commentLinesAreNotSplit() throws {
        let records = try CSV.parse("# caption, \"quoted\n#\nk,v\n1,# not a comment\n", commentPrefix: "#")
        #expect(records.map(\.isComment) == [true, true, false, false])
        #expect(records[0].text == "# caption, \"quoted" && records[0].fields.isEmpty)
        #expect(records[3].fields == ["1", "# not a comment"])
        #expect(try fields("#a,b\n") == [["#a", "b"]])
    }

    @Test func fieldsAreQuotedOnlyWhenTheyMustBe() {
        #expect(CSV.field("plain text") == "plain text")
        #expect(CSV.field("a,b") == "\"a,b\"")
        #expect(CSV.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSV.field("two\nlines") == "\"two\nlines\"")
        #expect(CSV.field("cr\r\nlf") == "\"cr\r\nlf\"")
        #expect(CSV.field("") == "")
        #expect(CSV.format(["a", "b,c", ""]) == "a,\"b,c\",")
        #expect(CSV.format(rows: [["h1", "h2"], ["1", "2"]]) == "h1,h2\n1,2\n")
        #expect(CSV.format(rows: [["x"]], lineEnding: "\r\n") == "x\r\n")
    }

    @Test func writtenRowsReadBackToTheSameFields() throws {
        let rows = [
            ["index", "weights", "note"],
            ["1", "uniform:4", "a, b and \"c\""],
            ["2", "", "line one\nline two\r\nline three"],
            ["3", "\"", ","],
            ["", "", ""],
        ]
        #expect(try CSV.parse(CSV.format(rows: rows)).map(\.fields) == rows)
        #expect(try CSV.parse(CSV.format(rows: rows, lineEnding: "\r\n")).map(\.fields) == rows)
    }
}
