import Testing
@testable import hwsim

/// Rendering stays linear in what it renders: a 20,000-level `qn:` scheme makes a cell of about
/// 100,000 characters, which a backtracking trim turned into minutes.
@Suite struct RenderingLimitsTests {
    @Test func trimsTrailingSpacesOnly() {
        #expect("a b  \t ".trimmingTrailingWhitespace() == "a b")
        #expect("   ".trimmingTrailingWhitespace() == "")
        #expect(" x".trimmingTrailingWhitespace() == " x")
    }

    @Test func aTableWithAHugeCellKeepsEveryRowOnOneLine() {
        let huge = String(repeating: "1, ", count: 40_000)
        var report = Report(title: "t", columns: [.init(key: "scheme", title: "scheme", alignRight: false), .init(key: "n", title: "n", alignRight: true)])
        report.rows = [[.text(huge), .integer(1)], [.text("b"), .integer(2)]]
        let text = report.render(.table)
        #expect(text.split(separator: "\n").count == 5)
        #expect(!text.contains(" \n"))
    }
}

/// Errors are rendered in one place: the parser's own (help, usage) keep its form, every other
/// failure becomes one line.
@Suite struct ErrorRenderingTests {
    @Test func helpRequestsStayTheParsersToRender() throws {
        var help = try HWSim.parseAsRoot(["run", "--help"])
        do {
            try help.run()
            Issue.record("a help request runs by throwing")
        } catch {
            #expect(HWSim.isArgumentParserError(error))
        }
        #expect(!HWSim.isArgumentParserError(CommandFailure("x")))
    }
}
