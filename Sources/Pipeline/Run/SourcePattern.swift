import Foundation

/// A manifest source given as a file pattern (`inbox/acme-accounts-*.csv`):
/// the newest matching file is the export to import.
enum SourcePattern {
    static func isPattern(_ file: String) -> Bool {
        let name = (file as NSString).lastPathComponent
        return name.contains("*") || name.contains("?") || name.contains("[")
    }

    /// The most recently modified regular file whose name matches the last
    /// component of `pattern` (fnmatch rules), in its directory; ties go to
    /// the greater name. With `settledBefore`, newer files are ignored.
    static func newest(matching pattern: String, settledBefore: Date?) -> String? {
        let directory = (pattern as NSString).deletingLastPathComponent
        let glob = (pattern as NSString).lastPathComponent
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return nil }
        var best: (date: Date, name: String)?
        for name in names where !name.hasPrefix(".") && fnmatch(glob, name, 0) == 0 {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                attributes[.type] as? FileAttributeType == .typeRegular, let modified = attributes[.modificationDate] as? Date
            else { continue }
            if let settledBefore, modified > settledBefore { continue }
            if best.map({ modified > $0.date || (modified == $0.date && name > $0.name) }) ?? true { best = (modified, name) }
        }
        return best.map { (directory as NSString).appendingPathComponent($0.name) }
    }
}
