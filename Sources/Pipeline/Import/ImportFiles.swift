import Foundation
import MarketMapCore
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

/// A file's text in chunks of about 1 MiB, as UTF-8: read as it is, or
/// transcoded from the encoding its `TextLayout` names.
final class TextChunks {
    private let chunks: FileChunks
    private var transcoder: Transcoder?

    init(path: String, layout: TextLayout) throws {
        chunks = try FileChunks(path: path)
        if layout.encoding != .utf8 { transcoder = Transcoder(layout.encoding, bomLength: layout.bomLength) }
    }

    /// The next chunk, or nil at the end of the file.
    func next() throws -> [UInt8]? {
        guard transcoder != nil else { return try chunks.next().map { [UInt8]($0) } }
        var text: [UInt8] = []
        if let chunk = try chunks.next() {
            chunk.withUnsafeBytes { transcoder?.feed($0, into: &text) }
            return text
        }
        transcoder?.finish(into: &text)
        return text.isEmpty ? nil : text
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
