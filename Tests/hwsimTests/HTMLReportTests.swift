import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import hwsim

/// A headless Chromium (Debian's `chromium`), if one is installed; `HWSIM_CHROMIUM` names another.
enum Chromium {
    static let path: String? = {
        let environment = ProcessInfo.processInfo.environment
        if let given = environment["HWSIM_CHROMIUM"], FileManager.default.isExecutableFile(atPath: given) { return given }
        let folders = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        for name in ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless_shell"] {
            for folder in folders where FileManager.default.isExecutableFile(atPath: folder + "/" + name) { return folder + "/" + name }
        }
        return nil
    }()

    /// Runs the browser headless, offline (every host name unresolvable), and returns stdout and stderr.
    static func run(_ arguments: [String], profile: URL) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(path))
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                             "--disable-background-networking", "--host-resolver-rules=MAP * ~NOTFOUND",
                             "--user-data-dir=\(profile.path)", "--enable-logging=stderr", "--v=0"] + arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // A browser that hangs must not hang the suite.
        let deadline = DispatchTime.now() + .seconds(90)
        DispatchQueue.global().asyncAfter(deadline: deadline) { if process.isRunning { process.terminate() } }
        let stdout = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, stdout, stderr)
    }
}

/// `hwsim report`: one self-contained HTML file, checked as XML and in a real headless browser.
@Suite(.serialized) struct HTMLReportTests {
    private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A run report and a sweep report, written by the commands.
    private func reports(in folder: URL) async throws -> (run: String, sweep: String) {
        let run = folder.appendingPathComponent("run.html").path, sweep = folder.appendingPathComponent("sweep.html").path
        try RunHTMLReportCommand.parse(["resnet18", "--hw", "zu9eg", "--clock", "125", "-o", run]).run()
        try await SweepHTMLReportCommand.parse(["lenet5", "--weights", "binary,ternary,post:3", "--activations", "2,8", "-o", sweep]).run()
        return (try String(contentsOfFile: run, encoding: .utf8), try String(contentsOfFile: sweep, encoding: .utf8))
    }

    private func nodes(_ document: XMLDocument, _ xpath: String) throws -> [XMLElement] {
        try document.nodes(forXPath: xpath).compactMap { $0 as? XMLElement }
    }

    @Test func theFileIsSelfContainedAndHoldsEverySection() async throws {
        let folder = try temporaryFolder("hwsim-html")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (run, sweep) = try await reports(in: folder)
        for page in [run, sweep] {
            #expect(!page.contains("<script") && !page.contains("<link") && !page.contains("<img") && !page.contains("@import"))
            // The only URL is the SVG namespace, which is a name, not something to fetch.
            let urls = page.components(separatedBy: "http").dropFirst().map { String($0.prefix(30)) }
            #expect(urls.allSatisfy { $0.hasPrefix("://www.w3.org/2000/svg") }, "\(urls)")
        }
        let runXML = try XMLDocument(data: Data(run.utf8), options: [])
        let headings = try nodes(runXML, "//h2").map { $0.stringValue ?? "" }
        #expect(headings == ["Summary", "Resources", "Where the cycles go", "Per layer"])
        let layerRows = try nodes(runXML, "//table[@class='layers']/tbody/tr")
        #expect(layerRows.count == 32)  // ResNet-18's 31 layers with work and the total
        #expect(try nodes(runXML, "//*[local-name()='rect'][@class='bar']").count > 30)
        #expect(try nodes(runXML, "//table[@class='resources']/tbody/tr").count == 9)

        let sweepXML = try XMLDocument(data: Data(sweep.utf8), options: [])
        let sweepHeadings = try nodes(sweepXML, "//h2").map { $0.stringValue ?? "" }
        #expect(sweepHeadings.prefix(3) == ["Summary", "Pareto front", "All points"])
        #expect(sweepHeadings.dropFirst(3).first?.hasPrefix("Design #") == true)
        #expect(try nodes(sweepXML, "//*[local-name()='svg']").count == 2)
        #expect(try nodes(sweepXML, "//*[@class='point']").count == 6)
    }

    /// Opens both reports in headless Chromium: every plot is laid out with marks of non-zero
    /// size, every table has rows, nothing was fetched and nothing was logged to the console;
    /// a screenshot is taken at the window's size.
    @Test(.enabled(if: Chromium.path != nil, "no headless Chromium installed: apt-get install -y chromium (.ci/run installs it)"))
    func itRendersInAHeadlessBrowser() async throws {
        let folder = try temporaryFolder("hwsim-html")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (run, sweep) = try await reports(in: folder)
        // Instrumentation for the test only: measures what the browser laid out and writes it into the DOM.
        let probe = """
            <pre id="hwsim-check"></pre><script>(function () {
              var errors = [];
              window.addEventListener('error', function (event) { errors.push(String(event.message)); });
              var svgs = Array.prototype.slice.call(document.querySelectorAll('svg'));
              var result = {
                svgs: svgs.map(function (svg) { var box = svg.getBoundingClientRect(); return [Math.round(box.width), Math.round(box.height)]; }),
                marks: Array.prototype.slice.call(document.querySelectorAll('svg .bar, svg .point')).filter(function (mark) {
                  var box = mark.getBoundingClientRect(); return box.width > 0 && box.height > 0; }).length,
                tables: Array.prototype.slice.call(document.querySelectorAll('table')).map(function (table) { return table.rows.length; }),
                title: document.title, errors: errors
              };
              document.getElementById('hwsim-check').textContent = JSON.stringify(result);
            })();</script>
            """
        for (name, page, minimumSVGs, minimumMarks) in [("run", run, 1, 30), ("sweep", sweep, 2, 6)] {
            let probed = folder.appendingPathComponent("\(name)-probed.html")
            try page.replacingOccurrences(of: "</body>", with: probe + "\n</body>").write(to: probed, atomically: true, encoding: .utf8)
            let dump = try Chromium.run(["--virtual-time-budget=5000", "--dump-dom", probed.absoluteString], profile: folder.appendingPathComponent("profile-\(name)"))
            #expect(dump.status == 0, "\(dump.stderr.suffix(2000))")
            let consoleLines = dump.stderr.split(separator: "\n").filter { $0.contains("CONSOLE") || $0.contains("net::ERR") }
            #expect(consoleLines.isEmpty, "\(consoleLines)")
            let start = try #require(dump.stdout.range(of: "<pre id=\"hwsim-check\">"), "the probe ran")
            let end = try #require(dump.stdout.range(of: "</pre>", range: start.upperBound..<dump.stdout.endIndex))
            let json = String(dump.stdout[start.upperBound..<end.lowerBound]).replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
            let check = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any], "\(json)")
            let svgs = try #require(check["svgs"] as? [[Int]])
            #expect(svgs.count >= minimumSVGs && svgs.allSatisfy { $0[0] > 400 && $0[1] > 250 }, "\(svgs)")
            #expect((check["marks"] as? Int ?? 0) >= minimumMarks, "\(check)")
            #expect((check["tables"] as? [Int] ?? []).allSatisfy { $0 > 1 }, "\(check)")
            #expect((check["errors"] as? [String])?.isEmpty == true)
            #expect((check["title"] as? String)?.isEmpty == false)

            // The page itself, unprobed, as a user sees it.
            let original = folder.appendingPathComponent("\(name).html")
            let screenshot = folder.appendingPathComponent("\(name).png")
            let shot = try Chromium.run(["--window-size=1280,2000", "--screenshot=\(screenshot.path)", original.absoluteString],
                                        profile: folder.appendingPathComponent("profile-shot-\(name)"))
            #expect(shot.status == 0)
            let png = try Data(contentsOf: screenshot)
            #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
            func bigEndian(_ offset: Int) -> Int { png[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
            #expect(bigEndian(16) == 1280 && bigEndian(20) == 2000)
            #expect(png.count > 50_000, "a blank page compresses far below this")
            #expect(!shot.stderr.contains("CONSOLE"))
        }
    }

    @Test func commandLinesAreQuotedForTheShell() {
        #expect(HTMLReport.commandLine(["run", "resnet18", "--hw", "my hw.json", "it's"]) == "hwsim run resnet18 --hw 'my hw.json' 'it'\\''s'")
    }
}
