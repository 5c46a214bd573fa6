import Foundation
import Postgres

/// Reads a file in chunks of 1 MiB.
final class FileChunks {
    private let handle: FileHandle

    init(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImportError.unreadable(path, FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file")
        }
        self.handle = handle
    }

    deinit { try? handle.close() }

    /// The next chunk, or nil at the end of the file.
    func next() throws -> Data? {
        let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
        return chunk.isEmpty ? nil : chunk
    }
}

/// Rows spooled to a temporary file in COPY text format, so that data which
/// must wait for another COPY costs disk, not memory.
final class CopySpool {
    private let url: URL
    private let handle: FileHandle
    private var buffer: [UInt8] = []

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("marketmap-spool-\(UUID().uuidString).copy")
        guard FileManager.default.createFile(atPath: url.path, contents: nil), let handle = FileHandle(forUpdatingAtPath: url.path) else {
            throw ImportError.unreadable(url.path, "cannot create a temporary file")
        }
        self.handle = handle
    }

    deinit {
        try? handle.close()
        try? FileManager.default.removeItem(at: url)
    }

    func add(_ fields: [String?]) throws {
        CopyText.appendRow(fields, to: &buffer)
        if buffer.count > 1 << 18 { try flush() }
    }

    /// Streams everything written so far to `write`.
    func replay(_ write: (UnsafeRawBufferPointer) throws -> Void) throws {
        try flush()
        try handle.seek(toOffset: 0)
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            try chunk.withUnsafeBytes { try write($0) }
        }
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
