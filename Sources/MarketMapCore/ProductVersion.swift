/// The product's version, printed by `marketmap --version`.
public enum ProductVersion {
    public static let current = "0.1.0"
}
