import Foundation

/// A small HTTP/1.1 server (keep-alive, Content-Length bodies, one thread per
/// connection): the provider simulator and the roles' `/metrics` endpoints.
/// Not a general web server: no TLS, no chunked bodies, requests up to 64 kB.
public final class HTTPServer: @unchecked Sendable {
    public struct Request: Sendable {
        public var method: String, path: String, query: [String: String], headers: [String: String], body: [UInt8]
    }

    public struct Response: Sendable {
        public var status: Int
        public var body: String
        public var headers: [String]
        public var contentType: String
        public init(_ status: Int, _ body: String, headers: [String] = [], contentType: String = "application/json") {
            (self.status, self.body, self.headers, self.contentType) = (status, body, headers, contentType)
        }
    }

    public enum Failure: Error, CustomStringConvertible {
        case socket(String)
        public var description: String {
            switch self {
            case .socket(let message): return "HTTP server: \(message)"
            }
        }
    }

    private let handler: @Sendable (Request) -> Response
    private let lock = NSLock()
    private var listener: Int32 = -1
    private var stopped = false
    public private(set) var port = 0

    public init(handler: @escaping @Sendable (Request) -> Response) {
        self.handler = handler
    }

    /// Listens on `address`:`port` (0 picks a free port) and serves on
    /// background threads; returns the port.
    @discardableResult
    public func start(address: String = "127.0.0.1", port requested: Int = 0) throws(Failure) -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw .socket("cannot create a socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = in_port_t(UInt16(requested).bigEndian)
        guard inet_pton(AF_INET, address, &socketAddress.sin_addr) == 1 else {
            close(socket)
            throw .socket("\(address) is not an IPv4 address")
        }
        let bound = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(socket, 512) == 0 else {
            let message = String(cString: strerror(errno))
            close(socket)
            throw .socket("cannot listen on \(address):\(requested): \(message)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        port = Int(UInt16(bigEndian: socketAddress.sin_port))
        listener = socket
        let thread = Thread { [self] in acceptLoop(socket) }
        thread.name = "http-accept"
        thread.start()
        return port
    }

    public func stop() {
        lock.withLock { stopped = true }
        if listener >= 0 { shutdown(listener, Int32(SHUT_RDWR)); close(listener) }
        listener = -1
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    private func acceptLoop(_ socket: Int32) {
        while !isStopped {
            let client = accept(socket, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            let thread = Thread { [self] in serve(client) }
            thread.stackSize = 256 << 10
            thread.start()
        }
    }

    private func serve(_ client: Int32) {
        defer { close(client) }
        var buffer: [UInt8] = []
        while !isStopped, let request = Self.read(client, &buffer) {
            let response = handler(request)
            var head = "HTTP/1.1 \(response.status) \(Self.reason(response.status))\r\nContent-Type: \(response.contentType)\r\n"
            head += "Content-Length: \(response.body.utf8.count)\r\n"
            for line in response.headers { head += line + "\r\n" }
            guard Self.write(client, Array((head + "\r\n" + response.body).utf8)) else { return }
        }
    }

    static func reason(_ status: Int) -> String {
        [200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 429: "Too Many Requests", 500: "Internal Server Error", 504: "Gateway Timeout"][status] ?? "Status"
    }

    /// One request from the connection (nil at EOF or on garbage).
    static func read(_ client: Int32, _ buffer: inout [UInt8]) -> Request? {
        let separator: [UInt8] = [13, 10, 13, 10]
        var chunk = [UInt8](repeating: 0, count: 16_384)
        func headEnd() -> Int? {
            guard buffer.count >= 4 else { return nil }
            for index in 0...(buffer.count - 4) where buffer[index..<index + 4].elementsEqual(separator) { return index }
            return nil
        }
        var end = headEnd()
        while end == nil {
            let count = recv(client, &chunk, chunk.count, 0)
            guard count > 0, buffer.count < 65_536 else { return nil }
            buffer.append(contentsOf: chunk[0..<count])
            end = headEnd()
        }
        guard let end else { return nil }
        let head = String(decoding: buffer[0..<end], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while buffer.count < end + 4 + length {
            let count = recv(client, &chunk, chunk.count, 0)
            guard count > 0 else { return nil }
            buffer.append(contentsOf: chunk[0..<count])
        }
        let body = Array(buffer[(end + 4)..<(end + 4 + length)])
        buffer.removeFirst(end + 4 + length)
        let target = String(requestLine[1])
        let parts = target.split(separator: "?", maxSplits: 1)
        var query: [String: String] = [:]
        if parts.count == 2 {
            for pair in parts[1].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
                if kv.count == 2 { query[kv[0]] = kv[1] }
            }
        }
        return Request(method: String(requestLine[0]), path: String(parts[0]), query: query, headers: headers, body: body)
    }

    static func write(_ client: Int32, _ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { return false }
            sent += count
        }
        return true
    }
}
