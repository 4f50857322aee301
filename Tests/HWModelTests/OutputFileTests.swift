import Foundation
import Testing
import HWModel

@Suite struct OutputFileTests {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("hwsim-output-\(UUID().uuidString)").path

    @Test func saysWhyAPathCannotBeWrittenInWords() throws {
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let file = scratch + "/a.txt"
        #expect(OutputFile.problem(scratch) == .directory)
        #expect(OutputFile.problem(scratch + "/missing/a.txt") == .missingFolder(scratch + "/missing"))
        try OutputFile.write(Data("one".utf8), to: file)
        #expect(OutputFile.problem(file + "/b.txt") == .notAFolder(file))
        #expect(throws: OutputFileError.directory) { try OutputFile.write(Data(), to: scratch) }
        #expect(OutputFileError.directory.message == "is a directory, not a file: name a file to write")
    }

    @Test func replacesARegularFileWholeAndWritesADeviceInPlace() throws {
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let file = scratch + "/a.txt"
        try OutputFile.write(Data("first, longer".utf8), to: file)
        try OutputFile.write(Data("second".utf8), to: file)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "second")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch) == ["a.txt"])
        try OutputFile.write(Data("discarded".utf8), to: "/dev/null")
        var status = stat()
        #expect(stat("/dev/null", &status) == 0 && (status.st_mode & S_IFMT) == S_IFCHR)
    }
}
