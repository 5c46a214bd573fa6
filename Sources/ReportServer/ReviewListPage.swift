import Foundation
import MarketMapCore
import Pipeline

/// `/review`: the open items, filtered by kind, country, rep and tier, with
/// the count of open items per kind.
enum ReviewListPage {
    /// The filter of a query string; a kind this version does not know is an error the page shows.
    static func filter(_ query: FormFields) throws(PageError) -> ReviewFilter {
        var filter = ReviewFilter()
        if let kind = query.text("kind") {
            guard let parsed = ReviewItemKind(rawValue: kind) else {
                throw PageError(.badRequest, "unknown kind \(kind): use one of \(ReviewItemKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            filter.kind = parsed
        }
        filter.country = query.text("country")
        filter.rep = query.text("rep")
        filter.tier = query.text("tier")
        filter.includeDecided = query["decided"] == "1"
        if let offset = query.text("offset") {
            guard let value = Int(offset), value >= 0 else { throw PageError(.badRequest, "offset must be a whole number, 0 or more") }
            filter.offset = value
        }
        return filter
    }

    static func render(items: [ReviewItem], counts: [ReviewItemKind: Int], filter: ReviewFilter, _ context: PageContext, notice: String?) -> HTML {
        let total = counts.values.reduce(0, +)
        let countLine = HTML(joining: ReviewItemKind.allCases.map { kind -> HTML in
            "<span><a href=\"/review?kind=\(kind.rawValue)\">\(kind.title)</a>: <b>\(counts[kind] ?? 0)</b></span>"
        })
        let kindOptions = HTML(joining: [option("", "every kind", selected: filter.kind == nil)]
            + ReviewItemKind.allCases.map { option($0.rawValue, $0.title, selected: filter.kind == $0) })
        let rows = HTML(joining: items.map(row))
        let table: HTML = items.isEmpty
            ? "<p class=muted>No \(filter.includeDecided ? "" : "open ")items match these filters.</p>"
            : """
                <table id=items><thead><tr><th>item</th><th>kind</th><th>records</th><th>score</th><th>evidence</th><th>what the merge did</th>\
                <th>country</th><th>rep</th><th>tier</th><th>decision</th></tr></thead><tbody>\(rows)</tbody></table>
                """
        let pager: HTML
        if items.count >= filter.limit {
            var next = pairs(filter)
            next.append(("offset", String(filter.offset + filter.limit)))
            pager = "<p><a href=\"/review?\(FormFields.encode(next))\">Next \(filter.limit)</a></p>"
        } else {
            pager = ""
        }
        return PageLayout.page("Review", context, notice: notice, """
            <h1>Review</h1>
            <p class=counts>Open items: <b>\(total)</b> — \(countLine)</p>
            \(PageLayout.runNow(context))
            <form class=filters method=get action="/review">
            <label>Kind <select name=kind>\(kindOptions)</select></label>
            <label>Country <input name=country size=4 value="\(filter.country ?? "")"></label>
            <label>Rep <input name=rep size=10 value="\(filter.rep ?? "")"></label>
            <label>Tier <input name=tier size=3 value="\(filter.tier ?? "")"></label>
            <label><input type=checkbox name=decided value=1\(filter.includeDecided ? " checked" : "")> decided too</label>
            <button type=submit>Filter</button></form>
            \(table)\(pager)
            """)
    }

    static func row(_ item: ReviewItem) -> HTML {
        let names = HTML(joining: item.records.prefix(4).map { "\($0.name.isEmpty ? $0.key.description : $0.name)" }, separator: "<br>")
        let more: HTML = item.records.count > 4 ? "<br>and \(item.records.count - 4) more" : ""
        let decision: HTML = item.decision.map { "\($0.kind.rawValue) by \($0.decidedBy)" } ?? "open"
        return """
            <tr><td><a href="/review/items/\(item.id)">#\(item.id)</a></td><td>\(item.kind.title)</td><td>\(names)\(more)</td>\
            <td>\(item.score.map { String(format: "%.2f", $0) })</td><td>\(item.evidence)</td><td>\(item.action)</td>\
            <td>\(item.country)</td><td>\(item.rep)</td><td>\(item.tier)</td><td>\(decision)</td></tr>
            """
    }

    static func option(_ value: String, _ label: String, selected: Bool) -> HTML {
        "<option value=\"\(value)\"\(selected ? " selected" : "")>\(label)</option>"
    }

    /// The filter as query pairs (for links).
    static func pairs(_ filter: ReviewFilter) -> [(String, String)] {
        var pairs: [(String, String)] = []
        if let kind = filter.kind { pairs.append(("kind", kind.rawValue)) }
        if let country = filter.country { pairs.append(("country", country)) }
        if let rep = filter.rep { pairs.append(("rep", rep)) }
        if let tier = filter.tier { pairs.append(("tier", tier)) }
        if filter.includeDecided { pairs.append(("decided", "1")) }
        return pairs
    }
}
