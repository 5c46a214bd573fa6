import CLibPQ
import Foundation

/// A `NOTIFY` received on a channel this session listens to.
public struct Notification: Sendable, Equatable {
    public var channel: String
    public var payload: String
    /// The server process that sent it.
    public var senderPID: Int32
}

extension Connection {
    public func listen(_ channel: String) throws(PostgresError) {
        try execute("LISTEN " + quoteIdentifier(channel))
    }

    public func unlisten(_ channel: String) throws(PostgresError) {
        try execute("UNLISTEN " + quoteIdentifier(channel))
    }

    public func notify(_ channel: String, payload: String = "") throws(PostgresError) {
        try query(PostgresQueries.notify, channel, payload)
    }

    /// Waits up to `timeout` for a notification, sleeping in `poll(2)` on the
    /// socket (no busy loop). Returns `nil` when the time runs out.
    public func waitForNotification(timeout: Duration) throws(PostgresError) -> Notification? {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while true {
            if !pending.isEmpty { return pending.removeFirst() }
            let connection = try liveHandle()
            let remaining = ContinuousClock.now.duration(to: deadline)
            if remaining <= .zero { return nil }
            let components = remaining.components
            let milliseconds = Int32(clamping: components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 + 1)
            var descriptor = pollfd(fd: PQsocket(connection), events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, milliseconds)
            if ready < 0 && errno != EINTR {
                throw .connectionLost(message: "poll failed: \(String(cString: strerror(errno)))")
            }
            guard PQconsumeInput(connection) == 1 else {
                throw .connectionLost(message: Connection.trimmed(PQerrorMessage(connection)))
            }
            drainNotifications()
        }
    }

    /// Moves what libpq has parsed into `pending`.
    func drainNotifications() {
        guard let handle else { return }
        while let raw = PQnotifies(handle) {
            let notify = raw.pointee
            pending.append(Notification(
                channel: String(cString: notify.relname),
                payload: notify.extra.map { String(cString: $0) } ?? "",
                senderPID: notify.be_pid))
            PQfreemem(raw)
        }
    }
}
