import Foundation
#if canImport(Glibc)
import Glibc
#endif
import CostOfFailure
@testable import CostOfFailureReports
import Testing

/// A scratch folder, removed when released.
private final class Folder {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("cof-output-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    subscript(name: String) -> String { path + "/" + name }

    /// Writes `text` to `name` with `mode` and returns its path.
    @discardableResult
    func file(_ name: String, _ text: String, mode: mode_t = 0o644) throws -> String {
        try Data(text.utf8).write(to: URL(fileURLWithPath: self[name]))
        #expect(chmod(self[name], mode) == 0)
        return self[name]
    }

    /// The names in the folder, sorted.
    func names() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: path).sorted() }
}

/// The text of the file at `path` (following links), or `nil`.
private func contents(_ path: String) -> String? {
    FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
}

/// `lstat` of `path`: what stands at the name itself.
private func entry(_ path: String) -> stat? {
    var info = stat()
    return lstat(path, &info) == 0 ? info : nil
}

/// The kind of what stands at `path` (`S_IFREG`, `S_IFLNK`...), or `nil` when nothing does.
private func kind(_ path: String) -> mode_t? { entry(path).map { $0.st_mode & S_IFMT } }

/// Permission bits of what stands at `path`.
private func permissions(_ path: String) -> mode_t? { entry(path).map { $0.st_mode & 0o7777 } }

/// Where the symbolic link at `path` points.
private func linkDestination(_ path: String) -> String? { try? FileManager.default.destinationOfSymbolicLink(atPath: path) }

/// The process's umask, read without changing it (setting it, even back, would race with
/// other tests creating files at the same time).
private func currentUmask() throws -> mode_t {
    let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
    let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("Umask:") })
    return try #require(mode_t(line.dropFirst("Umask:".count).trimmingCharacters(in: .whitespaces), radix: 8))
}

/// A producer's own error.
private struct ProducerFailed: Error {}

@Suite("OutputFile: writing without destroying anything")
struct OutputFileTests {
    // MARK: regular files and nothing

    @Test("a new file holds the bytes; person-level content is made 0600, the rest follows the umask")
    func newFileModes() throws {
        let folder = try Folder()
        #expect(try OutputFile.write("person table\n", to: folder["people.csv"], content: .personLevel) == .created)
        #expect(try OutputFile.write("cohort table\n", to: folder["cohort.csv"], content: .summary) == .created)
        #expect(contents(folder["people.csv"]) == "person table\n")
        #expect(permissions(folder["people.csv"]) == 0o600 & ~(try currentUmask()))
        #expect(permissions(folder["cohort.csv"]) == 0o666 & ~(try currentUmask()))
        #expect(try folder.names() == ["cohort.csv", "people.csv"])
    }

    @Test("the default content is person-level (0600): the safe choice when a caller does not say")
    func defaultIsPersonLevel() throws {
        let folder = try Folder()
        try OutputFile.write("x\n", to: folder["out.csv"])
        #expect(permissions(folder["out.csv"]) == 0o600)
    }

    @Test("a replaced file keeps its mode, whatever the content", arguments: [mode_t(0o600), 0o640, 0o644, 0o604])
    func replacedKeepsMode(mode: mode_t) throws {
        let folder = try Folder()
        try folder.file("out.csv", "old\n", mode: mode)
        for content in [OutputFile.Content.summary, .personLevel] {
            #expect(try OutputFile.write("new\n", to: folder["out.csv"], content: content) == .replaced)
            #expect(permissions(folder["out.csv"]) == mode)
        }
        #expect(contents(folder["out.csv"]) == "new\n")
        #expect(try folder.names() == ["out.csv"])
    }

    @Test("a replaced file keeps its owner and group (as root, who alone can give a file away)",
          .enabled(if: geteuid() == 0))
    func replacedKeepsOwner() throws {
        let folder = try Folder()
        let path = try folder.file("out.csv", "old\n", mode: 0o640)
        #expect(chown(path, 12345, 54321) == 0)
        try OutputFile.write("new\n", to: path, content: .summary)
        let info = try #require(entry(path))
        #expect(info.st_uid == 12345 && info.st_gid == 54321)
        #expect(info.st_mode & 0o7777 == 0o640)
    }

    @Test("set-user-ID and set-group-ID bits are not carried over to the new file")
    func setIDBitsDropped() throws {
        let folder = try Folder()
        let path = try folder.file("out.csv", "old\n", mode: 0o6750)
        try OutputFile.write("new\n", to: path)
        #expect(permissions(path) == 0o750)
    }

    // MARK: failures leave everything as it was

    @Test("a producer that throws leaves an existing target unchanged and no temporary file")
    func producerFailureKeepsTarget() throws {
        let folder = try Folder()
        let path = try folder.file("out.csv", "precious\n", mode: 0o600)
        let before = try #require(entry(path))
        #expect(throws: OutputFile.Failure.self) {
            try OutputFile.write(to: path, content: .summary) { (emit: (UnsafeRawBufferPointer) throws(OutputFile.Failure) -> Void) throws(OutputFile.Failure) in
                // More than the write-back step, so the hint has been given before the failure.
                let block = [UInt8](repeating: 0x41, count: 1 << 20)
                for _ in 0..<6 { try block.withUnsafeBytes { raw in Result { () throws(OutputFile.Failure) in try emit(raw) } }.get() }
                throw OutputFile.Failure(path: path, reason: "the producer failed")
            }
        }
        #expect(contents(path) == "precious\n")
        let after = try #require(entry(path))
        #expect(after.st_ino == before.st_ino && after.st_mode == before.st_mode)
        #expect(try folder.names() == ["out.csv"])
    }

    @Test("a producer that throws leaves no new file and no temporary file")
    func producerFailureCreatesNothing() throws {
        let folder = try Folder()
        #expect(throws: OutputFile.Failure.self) {
            try OutputFile.write(to: folder["out.csv"]) { (emit: (UnsafeRawBufferPointer) throws(OutputFile.Failure) -> Void) throws(OutputFile.Failure) in
                try Array("half a row".utf8).withUnsafeBytes { raw in Result { () throws(OutputFile.Failure) in try emit(raw) } }.get()
                throw OutputFile.Failure(path: "out.csv", reason: "the producer failed")
            }
        }
        #expect(try folder.names() == [])
    }

    @Test("a folder, a path ending in /, a path in a missing folder and an empty path are refused, and nothing is made")
    func unwritablePaths() throws {
        let folder = try Folder()
        try FileManager.default.createDirectory(atPath: folder["sub"], withIntermediateDirectories: false)
        for path in [folder["sub"], folder["sub"] + "/", folder["missing/out.csv"], ""] {
            #expect(throws: OutputFile.Failure.self, "\(path)") { try OutputFile.write("x", to: path) }
        }
        #expect(try folder.names() == ["sub"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder["sub"]) == [])
        let failure = try #require(throws: OutputFile.Failure.self) { try OutputFile.write("x", to: folder["sub"]) }
        #expect(failure.description == "\(folder["sub"]): cannot write: is a folder")
    }

    @Test("a block device (a disk) is refused before it is opened", .enabled(if: Self.blockDevice != nil))
    func blockDeviceRefused() throws {
        let device = try #require(Self.blockDevice)
        let failure = try #require(throws: OutputFile.Failure.self) { try OutputFile.target(device) }
        #expect(failure.reason.contains("block device"))
    }

    /// Some block device on this machine, if any (only looked at, never opened).
    static let blockDevice: String? = (try? FileManager.default.contentsOfDirectory(atPath: "/dev"))?.sorted()
        .map { "/dev/" + $0 }.first { kind($0) == S_IFBLK }

    // MARK: planted links and temporary names

    @Test("a symlink planted at the old predictable temporary name (OUT.partial-PID) is not followed")
    func oldPredictableNameIgnored() throws {
        let folder = try Folder()
        let victim = try folder.file("victim.txt", "do not touch\n")
        let planted = folder["out.csv.partial-\(getpid())"]
        #expect(symlink(victim, planted) == 0)
        try OutputFile.write("table\n", to: folder["out.csv"])
        #expect(contents(victim) == "do not touch\n")
        #expect(linkDestination(planted) == victim)
        #expect(contents(folder["out.csv"]) == "table\n")
        #expect(try folder.names() == ["out.csv", "out.csv.partial-\(getpid())", "victim.txt"])
    }

    @Test("temporary names are unpredictable: 128 random bits, different every time, within the length limit")
    func randomNames() throws {
        let names = (0..<1000).map { _ in OutputFile.randomTemporaryName(for: "out.csv") }
        #expect(Set(names).count == names.count)
        for name in names.prefix(10) {
            #expect(name.hasPrefix("out.csv.cof-tmp-"))
            let suffix = name.dropFirst("out.csv.cof-tmp-".count)
            #expect(suffix.count == 32 && suffix.allSatisfy(\.isHexDigit))
        }
        let long = String(repeating: "n", count: 250)
        #expect(OutputFile.randomTemporaryName(for: long).utf8.count <= 255)
    }

    @Test("symlinks, a dangling symlink and a FIFO planted at the temporary names tried are skipped, never followed")
    func plantedTemporaryNamesSkipped() throws {
        let folder = try Folder()
        let victim = try folder.file("victim.txt", "do not touch\n", mode: 0o600)
        let nowhere = folder["created-through-link.txt"]
        let planted = ["t1", "t2", "t3", "t4"]
        #expect(symlink(victim, folder["t1"]) == 0)
        #expect(symlink(nowhere, folder["t2"]) == 0)
        #expect(mkfifo(folder["t3"], 0o600) == 0)
        #expect(symlink("/etc/passwd", folder["t4"]) == 0)
        var offered: [String] = []
        let names = planted + ["fresh"]
        let delivery = try OutputFile.write(to: folder["out.csv"], content: .summary, temporaryNames: { _ in
            let name = names[offered.count]
            offered.append(name)
            return name
        }) { (emit: (UnsafeRawBufferPointer) throws(OutputFile.Failure) -> Void) throws(OutputFile.Failure) in
            try Array("table\n".utf8).withUnsafeBytes { raw in Result { () throws(OutputFile.Failure) in try emit(raw) } }.get()
        }
        #expect(delivery == .created)
        #expect(offered == names)
        #expect(contents(victim) == "do not touch\n" && permissions(victim) == 0o600)
        #expect(kind(nowhere) == nil)
        #expect(linkDestination(folder["t1"]) == victim && linkDestination(folder["t2"]) == nowhere)
        #expect(kind(folder["t3"]) == S_IFIFO)
        #expect(contents(folder["out.csv"]) == "table\n" && kind(folder["out.csv"]) == S_IFREG)
        #expect(try folder.names() == ["out.csv", "t1", "t2", "t3", "t4", "victim.txt"])
    }

    @Test("when every temporary name tried is taken, the write fails and the target is untouched")
    func everyNameTaken() throws {
        let folder = try Folder()
        let path = try folder.file("out.csv", "old\n")
        let victim = try folder.file("victim.txt", "do not touch\n")
        #expect(symlink(victim, folder["taken"]) == 0)
        let failure = try #require(throws: OutputFile.Failure.self) {
            try OutputFile.write(to: path, content: .summary, temporaryNames: { _ in "taken" }) { (emit: (UnsafeRawBufferPointer) throws(OutputFile.Failure) -> Void) throws(OutputFile.Failure) in
                try Array("new\n".utf8).withUnsafeBytes { raw in Result { () throws(OutputFile.Failure) in try emit(raw) } }.get()
            }
        }
        #expect(failure.reason.contains("were taken"))
        #expect(contents(path) == "old\n" && contents(victim) == "do not touch\n")
        #expect(try folder.names() == ["out.csv", "taken", "victim.txt"])
    }

    // MARK: a symbolic link at the target

    @Test("a target that is the user's own symlink to a regular file: the real file is replaced, the link kept")
    func symlinkToRegularFile() throws {
        let folder = try Folder()
        try FileManager.default.createDirectory(atPath: folder["runs"], withIntermediateDirectories: false)
        let real = try folder.file("runs/2024.csv", "old\n", mode: 0o640)
        #expect(symlink("runs/2024.csv", folder["latest.csv"]) == 0)
        #expect(try OutputFile.write("new\n", to: folder["latest.csv"], content: .summary) == .replaced)
        #expect(kind(folder["latest.csv"]) == S_IFLNK && linkDestination(folder["latest.csv"]) == "runs/2024.csv")
        #expect(contents(real) == "new\n" && permissions(real) == 0o640)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder["runs"]) == ["2024.csv"])
    }

    @Test("a symlink to nothing is refused: nothing is created where it points")
    func danglingSymlinkRefused() throws {
        let folder = try Folder()
        let nowhere = folder["would-be-created.txt"]
        #expect(symlink(nowhere, folder["out.csv"]) == 0)
        let failure = try #require(throws: OutputFile.Failure.self) { try OutputFile.write("x", to: folder["out.csv"]) }
        #expect(failure.reason.contains("symbolic link to nothing"))
        #expect(kind(nowhere) == nil)
        #expect(linkDestination(folder["out.csv"]) == nowhere)
    }

    @Test("a symlink owned by another user (planted in a shared folder) is refused, its target untouched",
          .enabled(if: geteuid() == 0))
    func foreignSymlinkRefused() throws {
        let folder = try Folder()
        let victim = try folder.file("shadow", "root's secret\n", mode: 0o600)
        #expect(symlink(victim, folder["out.csv"]) == 0)
        #expect(lchown(folder["out.csv"], 12345, 12345) == 0)
        let failure = try #require(throws: OutputFile.Failure.self) { try OutputFile.write("x", to: folder["out.csv"]) }
        #expect(failure.reason.contains("owned by another user"))
        #expect(contents(victim) == "root's secret\n")
        #expect(kind(folder["out.csv"]) == S_IFLNK)
        #expect(try folder.names() == ["out.csv", "shadow"])
    }

    @Test("a folder on the way that is the user's own symlink is followed; the file lands in the real folder")
    func ownFolderLinkFollowed() throws {
        let folder = try Folder()
        try FileManager.default.createDirectory(atPath: folder["real"], withIntermediateDirectories: false)
        #expect(symlink("real", folder["reports"]) == 0)
        #expect(try OutputFile.write("x\n", to: folder["reports"] + "/../reports/out.csv") == .created)
        #expect(contents(folder["real/out.csv"]) == "x\n")
        #expect(kind(folder["reports"]) == S_IFLNK)
    }

    @Test("a folder on the way that is another user's symlink is refused: nothing lands where it points",
          .enabled(if: geteuid() == 0))
    func foreignFolderLinkRefused() throws {
        let folder = try Folder()
        try FileManager.default.createDirectory(atPath: folder["etc"], withIntermediateDirectories: false)
        let victim = try folder.file("etc/passwd", "root:x:0:0\n")
        #expect(symlink(folder["etc"], folder["reports"]) == 0)
        #expect(lchown(folder["reports"], 12345, 12345) == 0)
        let failure = try #require(throws: OutputFile.Failure.self) { try OutputFile.write("x", to: folder["reports/passwd"]) }
        #expect(failure.reason.contains("goes through \(folder["reports"]), a symbolic link owned by another user"))
        #expect(contents(victim) == "root:x:0:0\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder["etc"]) == ["passwd"])
    }

    @Test("in a shared (sticky, world-writable) folder, another user's FIFO is refused and their file is replaced as if absent",
          .enabled(if: geteuid() == 0))
    func sharedFolderPlants() throws {
        let folder = try Folder()
        let shared = folder["shared"]
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: false)
        #expect(chmod(shared, 0o1777) == 0)
        // Planted by user 12345: a FIFO to read what is written, a readable file to be given.
        #expect(mkfifo(shared + "/people.csv", 0o666) == 0)
        #expect(chown(shared + "/people.csv", 12345, 12345) == 0)
        let planted = try folder.file("shared/cohort.csv", "", mode: 0o666)
        #expect(chown(planted, 12345, 12345) == 0)
        let failure = try #require(throws: OutputFile.Failure.self) { try OutputFile.write("secret\n", to: shared + "/people.csv") }
        #expect(failure.reason.contains("another user's"))
        #expect(kind(shared + "/people.csv") == S_IFIFO)
        #expect(try OutputFile.write("secret\n", to: planted, content: .personLevel) == .replaced)
        let info = try #require(entry(planted))
        #expect(info.st_uid == 0 && info.st_mode & 0o7777 == 0o600)
        #expect(contents(planted) == "secret\n")
        // The writer's own file there keeps its mode as anywhere else.
        let own = try folder.file("shared/own.csv", "old\n", mode: 0o640)
        try OutputFile.write("new\n", to: own, content: .personLevel)
        #expect(permissions(own) == 0o640)
    }

    @Test("a symlink to a folder is refused")
    func symlinkToFolderRefused() throws {
        let folder = try Folder()
        try FileManager.default.createDirectory(atPath: folder["sub"], withIntermediateDirectories: false)
        #expect(symlink(folder["sub"], folder["out"]) == 0)
        #expect(throws: OutputFile.Failure.self) { try OutputFile.write("x", to: folder["out"]) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder["sub"]) == [])
    }

    // MARK: devices, FIFOs and inherited descriptors

    @Test("/dev/null is written into and stays a character device")
    func devNull() throws {
        #expect(try OutputFile.write("discarded\n", to: "/dev/null") == .direct(terminal: false))
        #expect(kind("/dev/null") == S_IFCHR)
    }

    @Test("a FIFO target is written into (its reader gets the bytes) and stays a FIFO", arguments: [false, true])
    func fifoTarget(throughLink: Bool) throws {
        let folder = try Folder()
        let fifo = folder["pipe"]
        #expect(mkfifo(fifo, 0o600) == 0)
        if throughLink { #expect(symlink(fifo, folder["out.csv"]) == 0) }
        // A reader opened without blocking first, so the writer's open returns at once and
        // nothing can hang; the bytes fit in the pipe's buffer.
        let reader = open(fifo, O_RDONLY | O_NONBLOCK)
        try #require(reader >= 0)
        defer { close(reader) }
        let delivery = try OutputFile.write("through the pipe\n", to: throughLink ? folder["out.csv"] : fifo, content: .summary)
        #expect(delivery == .direct(terminal: false))
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(reader, &buffer, buffer.count)
        #expect(count == 17 && String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self) == "through the pipe\n")
        #expect(kind(fifo) == S_IFIFO)
        if throughLink { #expect(kind(folder["out.csv"]) == S_IFLNK) }
        #expect(try folder.names() == (throughLink ? ["out.csv", "pipe"] : ["pipe"]))
    }

    @Test("/dev/fd/N (process substitution) writes to the inherited pipe itself")
    func inheritedPipe() throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        defer { close(ends[0]); close(ends[1]) }
        #expect(try OutputFile.write("to the pipe\n", to: "/dev/fd/\(ends[1])") == .direct(terminal: false))
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(ends[0], &buffer, buffer.count)
        #expect(String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self) == "to the pipe\n")
    }

    @Test("/dev/fd/N open on a regular file for appending (a `>>` redirect) appends: the shell's redirect is kept")
    func inheritedAppend() throws {
        let folder = try Folder()
        let path = try folder.file("log.csv", "earlier\n")
        let fd = open(path, O_WRONLY | O_APPEND)
        try #require(fd >= 0)
        defer { close(fd) }
        #expect(try OutputFile.write("later\n", to: "/proc/self/fd/\(fd)") == .direct(terminal: false))
        #expect(contents(path) == "earlier\nlater\n")
        #expect(try folder.names() == ["log.csv"])
    }

    @Test("/dev/fd/N that is not open is refused")
    func closedDescriptor() throws {
        #expect(throws: OutputFile.Failure.self) { try OutputFile.write("x", to: "/dev/fd/987654") }
    }

    // MARK: an output that is an input

    @Test("an output that is an input — by the same path, a symlink or a hard link — is a clash")
    func clashes() throws {
        let folder = try Folder()
        let input = try folder.file("events.csv", "person_id\n")
        #expect(symlink(input, folder["link.csv"]) == 0)
        #expect(link(input, folder["hard.csv"]) == 0)
        for output in [input, folder["link.csv"], folder["hard.csv"], folder.path + "/./events.csv"] {
            let clash = try #require(throws: OutputFile.Clash.self) {
                try OutputFile.refuseOverwriting(inputs: [folder["other.csv"], input], with: [folder["fine.csv"], output])
            }
            #expect(clash == OutputFile.Clash(output: output, input: input))
            #expect(clash.description == "\(output): is the same file as the input \(input): refusing to overwrite an input")
        }
        // The input named through a link clashes with the file itself.
        #expect(throws: OutputFile.Clash.self) { try OutputFile.refuseOverwriting(inputs: [folder["link.csv"]], with: [input]) }
        #expect(contents(input) == "person_id\n")
    }

    @Test("an open descriptor on an input (/dev/fd/N, >> into it) is a clash")
    func descriptorClash() throws {
        let folder = try Folder()
        let input = try folder.file("events.csv", "person_id\n")
        let fd = open(input, O_WRONLY | O_APPEND)
        try #require(fd >= 0)
        defer { close(fd) }
        #expect(throws: OutputFile.Clash.self) { try OutputFile.refuseOverwriting(inputs: [input], with: ["/dev/fd/\(fd)"]) }
    }

    @Test("different files, an output not yet made, and devices read and written alike are no clash")
    func noClash() throws {
        let folder = try Folder()
        let input = try folder.file("events.csv", "person_id\n")
        let other = try folder.file("out.csv", "old\n")
        try OutputFile.refuseOverwriting(inputs: [input, folder["missing.csv"]], with: [other, folder["new.csv"], "/dev/null"])
        try OutputFile.refuseOverwriting(inputs: ["/dev/null"], with: ["/dev/null"])
        try OutputFile.refuseOverwriting(inputs: [], with: [input])
    }

    @Test("FileIdentity sees the same file through a symlink and a hard link, and none for a device or nothing")
    func identities() throws {
        let folder = try Folder()
        let input = try folder.file("a.csv", "x\n")
        #expect(symlink(input, folder["s"]) == 0)
        #expect(link(input, folder["h"]) == 0)
        let identity = try #require(FileIdentity(input: input))
        #expect(FileIdentity(input: folder["s"]) == identity && FileIdentity(output: folder["h"]) == identity)
        #expect(FileIdentity(input: "/dev/null") == nil && FileIdentity(input: folder["missing"]) == nil)
        #expect(FileIdentity(input: folder.path) == nil)
    }
}
