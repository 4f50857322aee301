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

@Suite struct InputFileTests {
    @Test func saysWhyAPathCannotBeReadInWords() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("hwsim-input-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        #expect(throws: InputFileError.notFound) { try InputFile.read(scratch + "/missing.json") }
        #expect(throws: InputFileError.directory) { try InputFile.read(scratch) }
        // A device or a pipe is refused before reading: a pipe nobody writes would block forever.
        #expect(throws: InputFileError.notRegularFile) { try InputFile.read("/dev/null") }
        let pipe = scratch + "/pipe"
        #expect(mkfifo(pipe, 0o600) == 0)
        #expect(throws: InputFileError.notRegularFile) { try InputFile.read(pipe) }
        let file = scratch + "/a.json"
        try OutputFile.write(Data("{}".utf8), to: file)
        #expect(try InputFile.read(file) == Data("{}".utf8))
        #expect(InputFileError.notRegularFile.message == "is not a regular file (a device, pipe or socket); give a file")
    }
}
