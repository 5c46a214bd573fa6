import Foundation
import TestSupport

/// A plain HTTP/1.1 exchange over a loopback socket, with every response
/// header kept (cookies, Location, security headers) and no redirect
/// followed: what the review page tests look at.
struct RawHTTPResponse: Sendable {
    var status: Int
    /// Lower-cased names; repeated headers (Set-Cookie) keep every value.
    var headers: [(name: String, value: String)]
    var body: String

    func header(_ name: String) -> String? { headers.first { $0.name == name.lowercased() }?.value }
    func headers(_ name: String) -> [String] { headers.filter { $0.name == name.lowercased() }.map(\.value) }

    /// `name=value` of a Set-Cookie header.
    func cookie(_ name: String) -> String? {
        for header in headers("set-cookie") {
            let pair = header.split(separator: ";", maxSplits: 1)[0]
            if pair.hasPrefix(name + "=") { return String(pair.dropFirst(name.count + 1)) }
        }
        return nil
    }
}

enum RawHTTP {
    /// `form` is sent url-encoded as the body of a POST.
    static func request(
        port: Int, _ method: String, _ path: String, headers: [String: String] = [:], form: [(String, String)]? = nil
    ) async throws -> RawHTTPResponse {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let body = form.map { pairs in
            pairs.map { ($0.0.addingPercentEncoding(withAllowedCharacters: allowed) ?? "") + "=" + ($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "") }
                .joined(separator: "&")
        } ?? ""
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\nContent-Length: \(body.utf8.count)\r\n"
        if form != nil { head += "Content-Type: application/x-www-form-urlencoded\r\n" }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        let message = Array((head + "\r\n" + body).utf8)
        let raw = try await onThread { try exchange(port: port, message) }
        return try parse(raw)
    }

    static func exchange(port: Int, _ message: [UInt8]) throws -> [UInt8] {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ClusterError("socket: errno \(errno)") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw ClusterError("connect to 127.0.0.1:\(port): errno \(errno)") }
        var sent = 0
        while sent < message.count {
            let n = message[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw ClusterError("send: errno \(errno)") }
            sent += n
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { break }
            guard n > 0 else { throw ClusterError("recv: errno \(errno)") }
            received += buffer[0..<n]
        }
        return received
    }

    static func parse(_ raw: [UInt8]) throws -> RawHTTPResponse {
        let text = String(decoding: raw, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { throw ClusterError("no HTTP response: \(text.prefix(200))") }
        let lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw ClusterError("bad status line: \(lines[0])") }
        let headers = lines.dropFirst().compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return RawHTTPResponse(status: status, headers: headers.map { (name: $0.0, value: $0.1) }, body: String(text[split.upperBound...]))
    }
}
