import Foundation

public struct NormalizedEmail: Sendable, Equatable {
    public var address: String
    /// The host after `@`, normalized like a website (`mail.acme.co.uk` → `acme.co.uk`).
    public var domain: NormalizedDomain?
}

/// Email normalization: trim, lower-case, `mailto:` dropped, syntax checked.
public enum EmailNormalizer {
    public static func normalize(_ raw: String?, domains: DomainNormalizer) -> NormalizedEmail? {
        guard let address = address(raw) else { return nil }
        let host = String(address[address.index(after: address.lastIndex(of: "@") ?? address.startIndex)...])
        return NormalizedEmail(address: address, domain: domains.normalize(host))
    }

    /// The cleaned address, or `nil` when it is not a plausible email.
    public static func address(_ raw: String?) -> String? {
        guard var text = raw?.trimmedWhitespace.lowercased(), !text.isEmpty else { return nil }
        if text.hasPrefix("mailto:") { text.removeFirst(7) }
        if text.hasPrefix("<"), text.hasSuffix(">") { text = String(text.dropFirst().dropLast()) }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let local = parts[0], host = parts[1]
        guard !local.isEmpty, local.count <= 64, !local.hasPrefix("."), !local.hasSuffix("."), !local.contains(".."),
            local.allSatisfy({ !$0.isWhitespace && !"<>()[],;:\\\"".contains($0) }),
            host.utf8.count <= 253, host.contains("."), !host.hasPrefix("."), !host.hasSuffix("."), !host.contains(".."),
            host.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." })
        else { return nil }
        return text
    }
}

/// LinkedIn profile URLs to `linkedin.com/in/<slug>` (any country subdomain,
/// scheme, query or trailing slash; slug lower-cased and percent-decoded).
public enum LinkedInNormalizer {
    public static func normalize(_ raw: String?) -> String? {
        guard var text = raw?.trimmedWhitespace, !text.isEmpty else { return nil }
        if let scheme = text.firstRange(of: "://") { text = String(text[scheme.upperBound...]) }
        if let end = text.firstIndex(where: { $0 == "?" || $0 == "#" }) { text = String(text[..<end]) }
        let parts = text.split(separator: "/").map(String.init)
        guard parts.count >= 3, let host = parts.first?.lowercased(),
            host == "linkedin.com" || host.hasSuffix(".linkedin.com"), parts[1].lowercased() == "in"
        else { return nil }
        let slug = (parts[2].removingPercentEncoding ?? parts[2]).lowercased()
        // LinkedIn's public profile URLs have at most 100 characters.
        guard !slug.isEmpty, slug.count <= 100, !slug.contains(where: \.isWhitespace) else { return nil }
        return "linkedin.com/in/" + slug
    }
}
