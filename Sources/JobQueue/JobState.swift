/// The life of a queue job: queued → running → done, or dead after its last
/// failed attempt. (The queue itself is built on the Postgres module.)
public enum JobState: String, Sendable, CaseIterable, Codable {
    case queued
    case running
    case done
    case dead
}
