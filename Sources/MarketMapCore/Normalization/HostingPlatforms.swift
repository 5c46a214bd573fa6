/// Multi-tenant hosts: website builders, shops, blogs, app hosts and social
/// pages. Their registrable domain is never a company's identity (thousands of
/// companies share `wordpress.com`); the tenant is: the label left of the
/// platform for subdomain hosts (`acme.wordpress.com`), the first path segment
/// (after a fixed prefix) for path hosts (`sites.google.com/view/acme`,
/// `linkedin.com/company/acme`). A platform address without a tenant is no
/// identity at all.
public struct HostingPlatforms: Sendable, Equatable {
    /// Domains whose subdomains are tenants (`acme.wixsite.com`).
    public var subdomainHosts: Set<String>
    /// Host → the path prefixes before the tenant segment (`""` for the first
    /// segment, `"company"` for `linkedin.com/company/<tenant>`), tried in
    /// order; no prefixes: the host never names a tenant (link shorteners).
    public var pathHosts: [String: [String]]

    public init(subdomainHosts: Set<String> = Self.defaultSubdomainHosts, pathHosts: [String: [String]] = Self.defaultPathHosts) {
        self.subdomainHosts = subdomainHosts
        self.pathHosts = pathHosts
    }

    /// The default lists plus a configuration's additions: a bare domain
    /// (`mysites.example`) is a subdomain host; `host/prefix` a path host.
    public func adding(_ entries: [String]) -> HostingPlatforms {
        var copy = self
        for entry in entries {
            let trimmed = entry.trimmedWhitespace.lowercased()
            guard !trimmed.isEmpty else { continue }
            if let slash = trimmed.firstIndex(of: "/") {
                let host = String(trimmed[..<slash])
                let prefix = String(trimmed[trimmed.index(after: slash)...]).trimmingSlashes
                copy.pathHosts[host, default: []].append(prefix)
            } else {
                copy.subdomainHosts.insert(trimmed)
            }
        }
        return copy
    }

    /// Every host and prefix, in a fixed order: what a stored normalization was made with.
    public var fingerprint: [String] {
        subdomainHosts.sorted() + pathHosts.keys.sorted().map { host in host + "/" + (pathHosts[host] ?? []).joined(separator: "|") }
    }

    /// What a host (lower-case ASCII, `www.` gone) and its path say about identity.
    public enum Verdict: Sendable, Equatable {
        /// Not a platform: the registrable domain is the identity.
        case notPlatform
        /// A platform tenant: this string is the identity (`acme.wordpress.com`,
        /// `linkedin.com/company/acme`).
        case tenant(String)
        /// A platform address that names no tenant: no identity.
        case noTenant
    }

    public func verdict(host: String, path: String) -> Verdict {
        let labels = host.split(separator: ".")
        // Subdomain hosts: the longest platform suffix that leaves a label.
        for drop in 1..<max(labels.count, 1) {
            let suffix = labels.dropFirst(drop).joined(separator: ".")
            guard subdomainHosts.contains(suffix) else { continue }
            let tenant = labels[drop - 1]
            return Self.reservedTenants.contains(String(tenant)) ? .noTenant : .tenant(tenant + "." + suffix)
        }
        if subdomainHosts.contains(host) { return .noTenant }
        let bare = labels.count > 2 && ["m", "mobile", "web", "business", "de", "en", "fr", "es", "uk", "it", "nl", "br", "in"].contains(String(labels[0]))
            ? labels.dropFirst().joined(separator: ".") : host
        guard let prefixes = pathHosts[bare] else { return .notPlatform }
        let segments = path.split(separator: "/").map { Self.decoded(String($0)).lowercased() }
        // A bare `github.com` or `google.com` is that company's own site
        // (a bare `sites.google.com` is not).
        if segments.isEmpty && !prefixes.isEmpty && bare.split(separator: ".").count <= 2 { return .notPlatform }
        for prefix in prefixes {
            let want = prefix.split(separator: "/").map(String.init)
            guard segments.count > want.count, Array(segments.prefix(want.count)) == want else { continue }
            var tenant = segments[want.count]
            if tenant.hasPrefix("@") { tenant.removeFirst() }
            guard !tenant.isEmpty, !Self.reservedSegments.contains(tenant), !tenant.contains("?") else { return .noTenant }
            return .tenant(([bare] + want + [tenant]).joined(separator: "/"))
        }
        return .noTenant
    }

    /// Whether a stored identity (`NormalizedDomain.registrable`) is a
    /// platform tenant: a path identity, or a subdomain of a subdomain host.
    public func isTenant(_ identity: String) -> Bool {
        if identity.contains("/") { return true }
        guard let dot = identity.firstIndex(of: ".") else { return false }
        return subdomainHosts.contains(String(identity[identity.index(after: dot)...]))
    }

    static func decoded(_ segment: String) -> String {
        guard segment.contains("%") else { return segment }
        var bytes: [UInt8] = []
        var utf8 = Array(segment.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
                let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Subdomains that are the platform's own pages, not a tenant.
    static let reservedTenants: Set<String> = ["www", "app", "api", "help", "support", "blog", "shop", "store", "sites", "docs", "m"]
    /// Path segments that are the platform's own pages, not a tenant.
    static let reservedSegments: Set<String> = [
        "", "home", "login", "signup", "search", "pages", "people", "in", "pub", "profile.php", "groups", "events",
        "watch", "share", "sharer", "intent", "hashtag", "explore", "about", "help", "maps", "view", "site",
    ]

    public static let defaultSubdomainHosts: Set<String> = [
        "wordpress.com", "wpcomstaging.com", "wpengine.com", "weebly.com", "weeblysite.com", "webflow.io", "business.site",
        "wixsite.com", "wixstudio.io", "myshopify.com", "squarespace.com", "notion.site", "carrd.co",
        "github.io", "gitlab.io", "blogspot.com", "blogspot.co.uk", "blogspot.de", "blogspot.fr", "blogspot.in",
        "blogspot.com.br", "blogspot.com.es", "blogspot.it", "blogspot.jp", "blogspot.com.au", "blogspot.ca",
        "godaddysites.com", "netlify.app", "herokuapp.com", "vercel.app", "tumblr.com", "jimdosite.com", "jimdofree.com",
        "jimdo.com", "site123.me", "strikingly.com", "mystrikingly.com", "ueniweb.com", "azurewebsites.net",
        "firebaseapp.com", "web.app", "pages.dev", "framer.website", "framer.ai", "framer.app", "odoo.com",
        "bigcartel.com", "square.site", "hubspotpagebuilder.com", "hs-sites.com", "typepad.com", "substack.com",
        "medium.com", "ghost.io", "webnode.com", "webnode.page", "yolasite.com", "myportfolio.com", "bandcamp.com",
        "homestead.com", "tripod.com", "angelfire.com", "000webhostapp.com", "zohosites.com", "hostingersite.com",
        "readthedocs.io", "glitch.me", "replit.app", "onrender.com", "fly.dev", "appspot.com", "canva.site",
        "my.canva.site", "mailchimpsites.com", "simplesite.com", "webs.com", "ning.com", "over-blog.com",
        "e-monsite.com", "wixstudio.com", "company.site", "sumupstore.com", "square.online",
        "wordpress.org", "blogger.com", "livejournal.com", "wikidot.com", "weebly.co.uk", "cargo.site", "format.com",
        "smugmug.com", "lpages.co", "unbouncepages.com", "instapage.com", "leadpages.net", "kajabi.com", "teachable.com",
        "thinkific.com", "gumroad.com", "podia.com", "sellfy.store", "storenvy.com", "tictail.com", "big-cartel.com",
    ]

    public static let defaultPathHosts: [String: [String]] = [
        "sites.google.com": ["view", "site", "a"],
        "linkedin.com": ["company", "showcase", "school"],
        "facebook.com": ["pages", "pg", ""], "fb.com": [""], "fb.me": [""],
        "instagram.com": [""], "twitter.com": [""], "x.com": [""], "tiktok.com": [""], "threads.net": [""],
        "youtube.com": ["c", "channel", "user", ""], "github.com": [""], "gitlab.com": [""],
        "linktr.ee": [""], "beacons.ai": [""], "about.me": [""], "bio.link": [""], "taplink.cc": [""],
        "xing.com": ["pages", "companies"], "crunchbase.com": ["organization"], "yelp.com": ["biz"],
        "etsy.com": ["shop"], "notion.so": [""], "mailchi.mp": [""], "wa.me": [""], "t.me": [""],
        "pinterest.com": [""], "vimeo.com": [""], "behance.net": [""], "dribbble.com": [""], "angel.co": ["company"],
        "wellfound.com": ["company"], "glassdoor.com": ["overview"], "bbb.org": ["us"], "yellowpages.com": [""],
        "google.com": ["maps/place"], "maps.google.com": [], "goo.gl": [], "g.page": [""], "bit.ly": [], "tinyurl.com": [],
    ]
}

extension String {
    var trimmingSlashes: String {
        var text = Substring(self)
        while text.hasPrefix("/") { text = text.dropFirst() }
        while text.hasSuffix("/") { text = text.dropLast() }
        return String(text)
    }
}
