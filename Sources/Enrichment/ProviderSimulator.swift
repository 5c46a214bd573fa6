import Foundation
import MarketMapCore

/// A stand-in for a paid enrichment API, for tests, demos and benchmarks: an
/// HTTP/1.1 server on loopback answering from a seeded dataset (a CSV with a
/// `domain` column), with configurable latency and injected faults.
///
/// - `GET /v1/companies?domain=D` → 200 with the row as JSON, or 404.
/// - `POST /v1/companies/batch` with `{"domains": [...]}` → `{"results": [rows found]}`.
/// - `GET /stats` → `{"calls": N, "domains": N}` (company calls, faults included).
///
/// Faults, drawn per request from a seeded generator: 500, 429 with
/// `Retry-After`, a hang longer than any sane client timeout, and a 200 whose
/// body is not JSON.
public final class ProviderSimulator: @unchecked Sendable {
    public struct Settings: Sendable {
        public var latencyMilliseconds = 0
        public var errorRate = 0.0
        public var tooManyRequestsRate = 0.0
        public var timeoutRate = 0.0
        /// Share of calls answered 200 with a body that is not JSON.
        public var malformedRate = 0.0
        /// How long a "timeout" request hangs before the server gives up on it.
        public var hangMilliseconds = 30_000
        public var retryAfterSeconds = 1
        /// When set, requests must carry `Authorization: Bearer <token>`.
        public var token: String?
        public var seed: UInt64 = 1
        public init() {}
    }

    private let records: [String: [String: String]]
    private let settings: Settings
    private let lock = NSLock()
    private var random: SeededRandom
    private var callCount = 0
    private var domainCount = 0
    private var listener: Int32 = -1
    private var stopped = false
    public private(set) var port = 0

    public init(records: [String: [String: String]], settings: Settings = Settings()) {
        self.records = records
        self.settings = settings
        random = SeededRandom(seed: settings.seed)
    }

    /// The rows of a CSV keyed by their lower-cased `domain` column.
    public static func dataset(_ path: String) throws(CSVTable.Failure) -> [String: [String: String]] {
        let table = try CSVTable.read(path)
        var records: [String: [String: String]] = [:]
        for row in table.rows { if let domain = row["domain"]?.lowercased(), !domain.isEmpty { records[domain] = row } }
        return records
    }

    /// Company calls answered so far (every attempt, faults included), and
    /// the accounts they asked for (a batch call asks for several).
    public var calls: Int { lock.withLock { callCount } }
    public var domainsAsked: Int { lock.withLock { domainCount } }

    public enum Failure: Error, CustomStringConvertible {
        case socket(String)
        public var description: String {
            switch self {
            case .socket(let message): return "provider simulator: \(message)"
            }
        }
    }

    /// Listens on 127.0.0.1:`port` (0 picks a free port) and serves on
    /// background threads; returns the port.
    @discardableResult
    public func start(port requested: Int = 0) throws(Failure) -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw .socket("cannot create a socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(requested).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(socket, 512) == 0 else {
            let message = String(cString: strerror(errno))
            close(socket)
            throw .socket("cannot listen on 127.0.0.1:\(requested): \(message)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        listener = socket
        let thread = Thread { [self] in acceptLoop(socket) }
        thread.name = "simulator-accept"
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

    // MARK: HTTP

    struct Request {
        var method: String, path: String, query: [String: String], headers: [String: String], body: [UInt8]
    }

    private func serve(_ client: Int32) {
        defer { close(client) }
        var buffer: [UInt8] = []
        while !isStopped, let request = Self.read(client, &buffer) {
            let (status, body, extra) = respond(request)
            var head = "HTTP/1.1 \(status) \(Self.reason(status))\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
            for line in extra { head += line + "\r\n" }
            let bytes = Array((head + "\r\n" + body).utf8)
            guard Self.write(client, bytes) else { return }
        }
    }

    private func respond(_ request: Request) -> (Int, String, [String]) {
        if request.path == "/stats" {
            let (calls, domains) = lock.withLock { (callCount, domainCount) }
            return (200, "{\"calls\":\(calls),\"domains\":\(domains)}", [])
        }
        let batch = request.method == "POST" && request.path == "/v1/companies/batch"
        guard batch || (request.method == "GET" && request.path == "/v1/companies") else { return (404, "{\"error\":\"no such endpoint\"}", []) }
        var domains: [String] = []
        if batch {
            let document = try? JSONSerialization.jsonObject(with: Data(request.body))
            guard let list = (document as? [String: Any])?["domains"] as? [String] else { return (400, "{\"error\":\"expected {\\\"domains\\\": [...]}\"}", []) }
            domains = list
        } else {
            guard let domain = request.query["domain"], !domain.isEmpty else { return (400, "{\"error\":\"domain is required\"}", []) }
            domains = [domain]
        }
        let draw: Double = lock.withLock {
            callCount += 1
            domainCount += domains.count
            return Double.random(in: 0..<1, using: &random)
        }
        if let token = settings.token, request.headers["authorization"] != "Bearer \(token)" { return (401, "{\"error\":\"unauthorized\"}", []) }
        if draw < settings.timeoutRate {
            Thread.sleep(forTimeInterval: Double(settings.hangMilliseconds) / 1000)
            return (504, "{\"error\":\"gave up\"}", [])
        }
        if settings.latencyMilliseconds > 0 { Thread.sleep(forTimeInterval: Double(settings.latencyMilliseconds) / 1000) }
        if draw < settings.timeoutRate + settings.tooManyRequestsRate {
            return (429, "{\"error\":\"slow down\"}", ["Retry-After: \(settings.retryAfterSeconds)"])
        }
        let errors = settings.timeoutRate + settings.tooManyRequestsRate + settings.errorRate
        if draw < errors { return (500, "{\"error\":\"internal\"}", []) }
        if draw < errors + settings.malformedRate { return (200, "{\"industry\": Soft", []) }
        let found = domains.compactMap { records[$0.lowercased()] }
        if batch { return (200, "{\"results\":[" + found.map(Self.json).joined(separator: ",") + "]}", []) }
        guard let row = found.first else { return (404, "{\"error\":\"not found\"}", []) }
        return (200, Self.json(row), [])
    }

    /// A row as a JSON object: numbers as numbers, `a; b` lists as arrays.
    static func json(_ row: [String: String]) -> String {
        var object: [String: Any] = [:]
        for (key, value) in row where !value.isEmpty {
            if let number = Double(value) {
                object[key] = number
            } else if value.contains(";") {
                object[key] = value.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            } else {
                object[key] = value
            }
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
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
