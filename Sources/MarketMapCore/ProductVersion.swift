/// The product's version, printed by `marketmap --version`.
public enum ProductVersion {
    public static let current = "0.1.0"
    /// Part of every staged record's raw hash: bump it when parsing, mapping or
    /// a normalizer changes, so the next import parses every row again instead
    /// of skipping the ones whose bytes did not change.
    public static let normalization = "5"
}
