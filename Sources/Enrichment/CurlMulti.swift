import CCurl
import MarketMapCore
import Foundation

/// One HTTP request to a provider.
public struct HTTPRequest: Sendable {
    public var url: String
    public var method: String
    /// `Name: value` lines.
    public var headers: [String]
    public var body: [UInt8]?
    public var timeoutMilliseconds: Int

    public init(url: String, method: String = "GET", headers: [String] = [], body: [UInt8]? = nil, timeoutMilliseconds: Int = 5_000) {
        (self.url, self.method, self.headers, self.body, self.timeoutMilliseconds) = (url, method, headers, body, timeoutMilliseconds)
    }
}

/// What came back: a status, or a transport error (timeout, refused, ...).
public struct HTTPResponse: Sendable {
    public var status: Int?
    public var body: [UInt8]
    public var retryAfter: String?
    public var transportError: String?
}

public enum HTTPClientError: Error, CustomStringConvertible {
    case curl(String)
    public var description: String {
        switch self {
        case .curl(let message): return "libcurl: \(message)"
        }
    }
}

/// libcurl's multi interface: many transfers in flight on the calling thread,
/// without a thread per request. Not thread-safe: one owner thread (a worker's
/// job thread, never Swift's cooperative pool, since `poll` blocks).
public final class CurlMulti {
    private let multi: UnsafeMutableRawPointer
    private var transfers: [UnsafeMutableRawPointer: Transfer] = [:]
    private static let globalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    /// Buffers and identity of one transfer, reached from libcurl's callbacks.
    final class Transfer {
        let tag: Int
        var body: [UInt8] = []
        var retryAfter: String?
        var headers: UnsafeMutablePointer<curl_slist>?
        init(tag: Int) { self.tag = tag }
    }

    public init() throws(HTTPClientError) {
        guard Self.globalInit == CURLE_OK, let multi = curl_multi_init() else { throw .curl("cannot initialise") }
        self.multi = multi
    }

    deinit {
        for (easy, transfer) in transfers {
            curl_multi_remove_handle(multi, easy)
            curl_easy_cleanup(easy)
            curl_slist_free_all(transfer.headers)
        }
        curl_multi_cleanup(multi)
    }

    public var inFlight: Int { transfers.count }

    /// Starts `request`; its response comes back from `poll` with `tag`.
    public func start(_ request: HTTPRequest, tag: Int) throws(HTTPClientError) {
        guard let easy = curl_easy_init() else { throw .curl("cannot create a transfer") }
        let transfer = Transfer(tag: tag)
        let context = Unmanaged.passUnretained(transfer).toOpaque()
        _ = mm_easy_setopt_string(easy, CURLOPT_URL, request.url)
        _ = mm_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        _ = mm_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, request.timeoutMilliseconds)
        _ = mm_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, min(request.timeoutMilliseconds, 10_000))
        _ = mm_easy_setopt_string(easy, CURLOPT_ACCEPT_ENCODING, "")
        _ = mm_easy_setopt_string(easy, CURLOPT_USERAGENT, "marketmap/\(ProductVersion.current)")
        _ = mm_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, context)
        _ = mm_easy_setopt_callback(easy, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            guard let data, let context else { return 0 }
            let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
            transfer.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: size * count))
            return size * count
        }
        _ = mm_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, context)
        _ = mm_easy_setopt_callback(easy, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            guard let data, let context else { return 0 }
            let line = String(decoding: UnsafeRawBufferPointer(start: data, count: size * count), as: UTF8.self)
            if line.lowercased().hasPrefix("retry-after:") {
                let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
                transfer.retryAfter = String(line.dropFirst("retry-after:".count)).trimmingCharacters(in: .whitespacesAndNewlines)
            }
            return size * count
        }
        var headers: UnsafeMutablePointer<curl_slist>?
        for header in request.headers { headers = curl_slist_append(headers, header) }
        if let body = request.body {
            headers = curl_slist_append(headers, "Content-Type: application/json")
            _ = mm_easy_setopt_long(easy, CURLOPT_POSTFIELDSIZE, body.count)
            _ = body.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { mm_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0.baseAddress)) }
            }
        }
        if request.method != "GET", request.body == nil || request.method != "POST" {
            _ = mm_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, request.method)
        }
        transfer.headers = headers
        _ = mm_easy_setopt_pointer(easy, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(headers))
        let added = curl_multi_add_handle(multi, easy)
        guard added == CURLM_OK else {
            curl_easy_cleanup(easy)
            curl_slist_free_all(headers)
            throw .curl(String(cString: curl_multi_strerror(added)))
        }
        transfers[easy] = transfer
    }

    /// Waits up to `timeoutMilliseconds` for activity, advances every transfer,
    /// and returns those that finished.
    public func poll(timeoutMilliseconds: Int) throws(HTTPClientError) -> [(tag: Int, response: HTTPResponse)] {
        var running: Int32 = 0
        var code = curl_multi_perform(multi, &running)
        if code == CURLM_OK, running > 0 || transfers.isEmpty {
            code = curl_multi_poll(multi, nil, 0, Int32(max(0, timeoutMilliseconds)), nil)
            if code == CURLM_OK { code = curl_multi_perform(multi, &running) }
        }
        guard code == CURLM_OK else { throw .curl(String(cString: curl_multi_strerror(code))) }
        var finished: [(Int, HTTPResponse)] = []
        var queued: Int32 = 0
        while let message = curl_multi_info_read(multi, &queued) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle, let transfer = transfers.removeValue(forKey: easy) else { continue }
            let result = mm_msg_result(message)
            var status = 0
            _ = mm_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
            let error = result == CURLE_OK ? nil : String(cString: curl_easy_strerror(result))
            finished.append((transfer.tag, HTTPResponse(
                status: result == CURLE_OK && status > 0 ? status : nil, body: transfer.body, retryAfter: transfer.retryAfter, transportError: error)))
            curl_multi_remove_handle(multi, easy)
            curl_easy_cleanup(easy)
            curl_slist_free_all(transfer.headers)
        }
        return finished
    }
}
