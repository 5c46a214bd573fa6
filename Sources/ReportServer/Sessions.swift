import Foundation
import Synchronization

/// Signed-in stewards, in memory: a random session id (the HttpOnly,
/// SameSite=Strict cookie) with its own random CSRF token, which every form
/// carries back. A restart of the reporter signs everyone out.
final class Sessions: Sendable {
    struct Session: Sendable, Equatable {
        var id: String
        var csrf: String
        /// Who decisions are recorded as.
        var steward: String
        var expires: Date
    }

    static let lifetime: TimeInterval = 12 * 3600
    static let maximum = 1_000
    private let sessions = Mutex<[String: Session]>([:])

    /// A new session for a steward who gave the right token.
    func start(steward: String, now: Date = Date()) -> Session {
        let session = Session(id: Self.randomToken(), csrf: Self.randomToken(), steward: steward, expires: now.addingTimeInterval(Self.lifetime))
        sessions.withLock { sessions in
            sessions = sessions.filter { $0.value.expires > now }
            if sessions.count >= Self.maximum, let oldest = sessions.min(by: { $0.value.expires < $1.value.expires }) {
                sessions[oldest.key] = nil
            }
            sessions[session.id] = session
        }
        return session
    }

    /// The live session of this cookie value, if any.
    func session(_ id: String?, now: Date = Date()) -> Session? {
        guard let id, !id.isEmpty else { return nil }
        return sessions.withLock { sessions in
            // Found by the dictionary, then compared in constant time.
            guard let session = sessions[id], ConstantTime.equal(session.id, id) else { return nil }
            guard session.expires > now else {
                sessions[id] = nil
                return nil
            }
            return session
        }
    }

    func end(_ id: String) {
        _ = sessions.withLock { $0.removeValue(forKey: id) }
    }

    /// 32 random bytes, hex.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
    }
}
