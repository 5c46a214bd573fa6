import Foundation

/// Finds the registrable domain of a host (`us.acme.co.uk` → `acme.co.uk`)
/// with the Public Suffix List. The core stays pure: the libpsl-backed
/// implementation lives outside it.
public protocol PublicSuffixResolver: Sendable {
    /// `host` is lower-case ASCII (IDN labels already Punycode); `nil` when
    /// the host is itself a public suffix or not a domain.
    func registrableDomain(_ host: String) -> String?
}

public struct NormalizedDomain: Sendable, Equatable {
    /// The value as it came in.
    public var original: String
    /// Lower-case ASCII host without scheme, path, port, `www.`.
    public var host: String
    /// The registrable domain: the company identity, unless `isIdentity` is
    /// false. For a hosting platform's tenant, the tenant
    /// (`acme.wordpress.com`, `linkedin.com/company/acme`).
    public var registrable: String
    /// False for free-mail, social and placeholder domains and for platform
    /// addresses without a tenant: never merge on them.
    public var isIdentity: Bool
    /// True when `registrable` is a tenant of a hosting platform: an identity
    /// on its own, but weaker than a company's own domain (never one that
    /// keeps two companies apart, never one that joins two accounts).
    public var isPlatformTenant: Bool = false
}

/// Website/domain normalization of `DOMAIN.md` §2.
public struct DomainNormalizer: Sendable {
    public let resolver: any PublicSuffixResolver
    public let platforms: HostingPlatforms

    public init(resolver: any PublicSuffixResolver, platforms: HostingPlatforms = HostingPlatforms()) {
        self.resolver = resolver
        self.platforms = platforms
    }

    public func normalize(_ raw: String?) -> NormalizedDomain? {
        guard let raw, let (host, path) = Self.hostAndPath(raw) else { return nil }
        switch platforms.verdict(host: host, path: path) {
        case .tenant(let tenant):
            return NormalizedDomain(original: raw, host: host, registrable: tenant, isIdentity: true, isPlatformTenant: true)
        case .noTenant:
            return NormalizedDomain(original: raw, host: host, registrable: resolver.registrableDomain(host) ?? host, isIdentity: false)
        case .notPlatform:
            guard let registrable = resolver.registrableDomain(host) else { return nil }
            return NormalizedDomain(original: raw, host: host, registrable: registrable, isIdentity: !Self.isNonIdentity(registrable))
        }
    }

    /// The cleaned host, or `nil` when the value is no domain at all.
    public static func host(_ raw: String) -> String? { hostAndPath(raw)?.host }

    /// The cleaned host and the path after it (no query or fragment), or
    /// `nil` when the value is no domain at all.
    public static func hostAndPath(_ raw: String) -> (host: String, path: String)? {
        var text = raw.trimmedWhitespace.lowercased()
        if TextFolding.isPlaceholder(text) { return nil }
        if text.hasPrefix("mailto:") { text.removeFirst(7) }
        if let scheme = text.firstRange(of: "://"), text[..<scheme.lowerBound].allSatisfy({ $0.isLetter || $0 == "+" || $0 == "." || $0 == "-" }) {
            text = String(text[scheme.upperBound...])
        } else if text.hasPrefix("//") {
            text.removeFirst(2)
        }
        var path = ""
        if let end = text.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" || $0 == "\\" }) {
            if text[end] == "/" {
                let rest = text[end...]
                path = String(rest[..<(rest.firstIndex(where: { "?#".contains($0) }) ?? rest.endIndex)])
            }
            text = String(text[..<end])
        }
        if let at = text.lastIndex(of: "@") { text = String(text[text.index(after: at)...]) }
        if let colon = text.lastIndex(of: ":"), text[text.index(after: colon)...].allSatisfy(\.isNumber) {
            text = String(text[..<colon])
        }
        while text.hasSuffix(".") { text.removeLast() }
        let ascii = text.utf8.allSatisfy { $0 < 0x80 }
        if !ascii { text = text.precomposedStringWithCanonicalMapping }
        var labels = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if labels.count > 2, let first = labels.first, first.hasPrefix("www"), first.dropFirst(3).allSatisfy(\.isNumber) {
            labels.removeFirst()
        }
        guard labels.count >= 2, text.utf8.count <= 253, labels.allSatisfy({ !$0.isEmpty && $0.count <= 63 }) else { return nil }
        var encodedLabels: [String] = []
        for label in labels {
            if ascii {
                guard label.utf8.allSatisfy({ isASCIILetterOrDigit($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }) else { return nil }
                encodedLabels.append(label)
                continue
            }
            guard label.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || $0.properties.numericType != nil || $0 == "-" || $0 == "_" }),
                let encoded = Punycode.asciiLabel(label), encoded.count <= 63
            else { return nil }
            encodedLabels.append(encoded)
        }
        // The last label must have a letter: not an IP address.
        guard let tld = encodedLabels.last, tld.utf8.contains(where: { isASCIILetterOrDigit($0) && $0 > UInt8(ascii: "9") }) else { return nil }
        let host = encodedLabels.joined(separator: ".")
        return host.utf8.count <= 253 ? (host, path) : nil  // DNS names have at most 253 characters
    }

    static func isASCIILetterOrDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// A free-mail, social or placeholder domain: one of the list, or a
    /// free-mail brand under any suffix (`yahoo.co.jp`, `hotmail.com.tw`, `gmx.at`).
    public static func isNonIdentity(_ registrable: String) -> Bool {
        if nonIdentity.contains(registrable) { return true }
        guard let dot = registrable.firstIndex(of: ".") else { return false }
        return freeMailBrands.contains(String(registrable[..<dot]))
    }

    /// Free-mail providers that run the same service under many country suffixes.
    /// Only brands whose every domain is a mail service: a telecom or portal
    /// that is also a company (`orange.fr`, `naver.com`) is not one of them.
    public static let freeMailBrands: Set<String> = [
        "gmail", "googlemail", "yahoo", "ymail", "rocketmail", "hotmail", "outlook", "live", "msn", "aol", "gmx",
        "protonmail", "icloud", "zohomail", "rediffmail", "hanmail", "foxmail", "tutanota", "fastmail", "mailinator",
        "libero", "virgilio", "wanadoo", "btinternet", "sbcglobal", "bellsouth", "sympatico", "ozemail", "abv", "mail",
        "email", "example", "noemail", "nowebsite",
    ]

    /// Free-mail, social-profile and placeholder domains: never a company identity.
    public static let nonIdentity: Set<String> = [
        "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "ymail.com", "rocketmail.com",
        "hotmail.com", "hotmail.co.uk", "hotmail.fr", "hotmail.de", "outlook.com", "outlook.fr", "live.com", "live.co.uk",
        "msn.com", "aol.com", "icloud.com", "me.com", "mac.com", "proton.me", "protonmail.com", "pm.me", "gmx.de", "gmx.net",
        "gmx.com", "web.de", "t-online.de", "freenet.de", "mail.com", "email.com", "mail.ru", "yandex.ru", "yandex.com",
        "qq.com", "163.com", "126.com", "sina.com", "naver.com", "hanmail.net", "orange.fr", "wanadoo.fr", "free.fr",
        "laposte.net", "libero.it", "virgilio.it", "btinternet.com", "comcast.net", "verizon.net", "att.net",
        "sbcglobal.net", "bellsouth.net", "cox.net", "charter.net", "shaw.ca", "rogers.com", "sympatico.ca", "bigpond.com",
        "optusnet.com.au", "rediffmail.com", "zohomail.com", "fastmail.com", "hey.com", "tutanota.com",
        "example.com", "example.org", "example.net", "test.com", "domain.com", "company.com", "none.com", "noemail.com",
        "nowebsite.com", "website.com", "linkedin.com", "facebook.com", "twitter.com", "x.com", "instagram.com",
        "youtube.com", "bit.ly", "wixsite.com", "godaddysites.com", "squarespace.com",
    ]
}
