import Foundation

/// The secret that allows writes on the review page: from
/// `MARKETMAP_REVIEW_TOKEN`, or read from the file that `--review-token-file`
/// or `MARKETMAP_REVIEW_TOKEN_FILE` names. Without one, writes are disabled
/// and the pages are read-only.
public struct ReviewToken: Sendable {
    let secret: [UInt8]

    public static let minimumLength = 16

    public init(_ secret: String) throws(ReviewTokenError) {
        let trimmed = secret.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.utf8.count >= Self.minimumLength else { throw .tooShort(trimmed.utf8.count) }
        self.secret = Array(trimmed.utf8)
    }

    /// The configured token, nil when none is (writes disabled). `file`: the
    /// reporter's option, which wins over the environment.
    public static func configured(
        file: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ReviewTokenError) -> ReviewToken? {
        if let path = file ?? environment["MARKETMAP_REVIEW_TOKEN_FILE"].flatMap({ $0.isEmpty ? nil : $0 }) {
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw .unreadableFile(path)
            }
            return try ReviewToken(text)
        }
        if let text = environment["MARKETMAP_REVIEW_TOKEN"], !text.isEmpty { return try ReviewToken(text) }
        return nil
    }

    /// Whether `candidate` is the token, in time that depends on its length only.
    public func matches(_ candidate: String) -> Bool {
        ConstantTime.equal(Array(candidate.trimmingCharacters(in: .whitespacesAndNewlines).utf8), secret)
    }
}

public enum ReviewTokenError: Error, Equatable, CustomStringConvertible {
    case tooShort(Int)
    case unreadableFile(String)

    public var description: String {
        switch self {
        case .tooShort(let length):
            "the review token has \(length) characters; use at least \(ReviewToken.minimumLength) (for example `openssl rand -hex 24`)"
        case .unreadableFile(let path): "cannot read the review token file \(path)"
        }
    }
}

/// Comparisons of secrets whose time does not tell how much of a guess was right.
enum ConstantTime {
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<max(a.count, b.count) {
            difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
        }
        return difference == 0
    }

    static func equal(_ a: String, _ b: String) -> Bool { equal(Array(a.utf8), Array(b.utf8)) }
}
