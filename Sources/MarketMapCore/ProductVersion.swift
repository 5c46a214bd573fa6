/// The product's version, printed by `marketmap --version`.
public enum ProductVersion {
    public static let current = "0.1.0"
    /// Part of every staged record's raw hash: bump it when parsing, mapping or
    /// a normalizer changes, so the next import parses every row again instead
    /// of skipping the ones whose bytes did not change.
    public static let normalization = "5"
    /// Survivorship's rules: bump it when they change, so the next resolve
    /// computes every golden account again instead of only the changed ones
    /// (2: "most recent" is the CRM's last activity, not the load time).
    public static let survivorship = "2"
    /// What `merge_state` keeps: a stored survivorship of another product
    /// version, normalization or survivorship rules is computed again.
    public static var merge: String { "\(current)/\(normalization)/\(survivorship)" }
}
