import Foundation
import MarketMapCore
import Pipeline

/// `/review/items/:id`: both sides' records side by side, the evidence, the
/// score and what the merge did; the decision forms (same, different,
/// detach, pin), whose first step is a preview of the effect.
enum ReviewItemPage {
    static func render(_ item: ReviewItem, _ context: PageContext, notice: String?) -> HTML {
        let score: HTML = item.score.map { "\(String(format: "%.3f", $0))" } ?? "—"
        let decision: HTML = item.decision.map { decision in
            "<p>Answered by decision <a href=\"/review/decisions#d\(decision.id)\">#\(decision.id)</a>: \(DecisionsPage.describe(decision))</p>"
        } ?? ""
        return PageLayout.page("Item \(item.id)", context, notice: notice, """
            <h1>Item #\(item.id): \(item.kind.title)</h1>
            <table class=facts><tr><th>evidence</th><td>\(item.evidence)</td></tr><tr><th>score</th><td>\(score)</td></tr>\
            <tr><th>what the merge did</th><td>\(item.action)</td></tr>\
            <tr><th>golden account</th><td>\(item.goldenID.map { "\($0)" } ?? "—")</td></tr>\
            <tr><th>country, rep, tier</th><td>\(item.country) \(item.rep) \(item.tier)</td></tr></table>
            \(decision)
            <h2>The records</h2>
            \(records(item.records))
            \(forms(item, context))
            """)
    }

    /// The records as columns, one row per field; a field whose values differ is marked.
    static func records(_ records: [ReviewRecord]) -> HTML {
        let fields: [(String, (ReviewRecord) -> String)] = [
            ("source", \.key.source), ("id", \.key.sourceID), ("name", \.name), ("website", \.website), ("country", \.country),
            ("city", \.city), ("owner", \.owner), ("golden account", { $0.goldenID.map(String.init) ?? "gone" }), ("joined by", \.matchMethod),
        ]
        let header = HTML(joining: records.indices.map { "<th>\(label($0))</th>" })
        let rows = HTML(joining: fields.map { name, value -> HTML in
            let values = records.map(value)
            // Source and id always differ: only what the records say is marked.
            let differs = !["source", "id"].contains(name) && Set(values.map { $0.lowercased() }).count > 1
            let cells = HTML(joining: values.map { "<td\(differs ? HTML(" class=differs") : "")>\($0)</td>" })
            return "<tr><th>\(name)</th>\(cells)</tr>"
        })
        return "<table class=records><thead><tr><th></th>\(header)</tr></thead><tbody>\(rows)</tbody></table>"
    }

    static func label(_ index: Int) -> String {
        index < 26 ? String(UnicodeScalar(UInt8(65 + index))) : "#\(index + 1)"
    }

    static func forms(_ item: ReviewItem, _ context: PageContext) -> HTML {
        guard context.writes == .enabled else { return "" }
        guard context.canWrite else { return "<p><a href=\"/login?next=/review/items/\(item.id)\">Sign in</a> to decide this item.</p>" }
        let choices = { (selected: Int) in
            HTML(joining: item.records.indices.map { index in
                ReviewListPage.option(String(index), "\(label(index)): \(item.records[index].key) \(item.records[index].name)", selected: index == selected)
            })
        }
        let pairs = item.records.count >= 2
        let b: HTML = pairs ? " <label>B <select name=b>\(choices(1))</select></label>" : ""
        let pairButtons: HTML = pairs ? """
            <button type=submit name=kind value=same>Same account (A and B)</button>
            <button type=submit name=kind value=different>Different accounts (A and B)</button>
            """ : ""
        let fields = HTML(joining: PinnedField.allCases.map { ReviewListPage.option($0.rawValue, $0.rawValue, selected: $0 == .name) })
        return """
            <h2>Decide</h2>
            <form method=post action="/review/items/\(item.id)/preview">\(context.csrfField)
            <fieldset><legend>Records</legend><label>A <select name=a>\(choices(0))</select></label>\(b)</fieldset>
            <fieldset><legend>Decision</legend>\(pairButtons)
            <button type=submit name=kind value=detach>Detach A from its account</button><br>
            <label>Pin A’s account’s <select name=field>\(fields)</select></label> <label>to <input name=value size=30></label>
            <button type=submit name=kind value=pin>Pin</button><br>
            <label>Note <input name=note size=60 placeholder="why (kept with the decision)"></label></fieldset>
            <p class=muted>The next page shows what the decision would do; nothing is saved before you confirm it there.</p>
            </form>
            """
    }

    /// The decision a preview form describes (records by their position in the item).
    static func chosen(_ form: FormFields, item: ReviewItem, by steward: String) throws(PageError) -> NewDecision {
        guard let kindText = form.text("kind"), let kind = DecisionKind(rawValue: kindText) else {
            throw PageError(.badRequest, "choose a decision: \(DecisionKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        func record(_ name: String) throws(PageError) -> RecordKey {
            guard let text = form.text(name), let index = Int(text), item.records.indices.contains(index) else {
                throw PageError(.badRequest, "choose record \(name == "a" ? "A" : "B") among the item's \(item.records.count) records")
            }
            return item.records[index].key
        }
        let a = try record("a")
        var decision = NewDecision(kind: kind, a: a, by: steward, note: form.text("note") ?? "", itemID: item.id)
        switch kind {
        case .same, .different:
            let b = try record("b")
            guard b != a else { throw PageError(.badRequest, "choose two different records for a \(kind.rawValue) decision") }
            (decision.a, decision.b) = (min(a, b), max(a, b))
        case .pin:
            guard let field = form.text("field"), let value = form.text("value") else {
                throw PageError(.badRequest, "a pin needs a field and the value it keeps")
            }
            (decision.field, decision.value) = (field, value)
        case .detach:
            break
        }
        return decision
    }

    /// The preview: what the decision would do, and the form that saves exactly it.
    static func preview(_ item: ReviewItem, _ decision: NewDecision, _ effect: DecisionEffect, _ context: PageContext) -> HTML {
        let accounts = HTML(joining: effect.accounts.keys.sorted().map { id in
            "<h3>Golden account \(id) now</h3>\(records(effect.accounts[id] ?? []))"
        })
        var hidden: [(String, String)] = [("kind", decision.kind.rawValue), ("a_source", decision.a.source), ("a_id", decision.a.sourceID), ("note", decision.note)]
        if let b = decision.b { hidden += [("b_source", b.source), ("b_id", b.sourceID)] }
        if let field = decision.field, let value = decision.value { hidden += [("field", field), ("value", value)] }
        let fields = HTML(joining: hidden.map { "<input type=hidden name=\"\($0.0)\" value=\"\($0.1)\">" })
        return PageLayout.page("Preview", context, """
            <h1>Preview: \(DecisionsPage.describe(decision))</h1>
            <p class=notice id=effect>\(effect.summary)</p>
            \(accounts)
            <form method=post action="/review/items/\(item.id)/decide">\(context.csrfField)\(fields)
            <button type=submit class=primary>Save the decision</button> <a href="/review/items/\(item.id)">Cancel</a></form>
            <p class=muted>Saved decisions take effect in the next run.</p>
            """)
    }

    /// The decision a confirm form carries (records by source and id).
    static func confirmed(_ form: FormFields, itemID: Int64, by steward: String) throws(PageError) -> NewDecision {
        guard let kindText = form.text("kind"), let kind = DecisionKind(rawValue: kindText) else {
            throw PageError(.badRequest, "the form has no decision kind")
        }
        guard let aSource = form.text("a_source"), let aID = form.text("a_id") else { throw PageError(.badRequest, "the form names no record") }
        var decision = NewDecision(
            kind: kind, a: RecordKey(source: aSource, sourceID: aID), field: form.text("field"), value: form.text("value"), by: steward,
            note: form.text("note") ?? "", itemID: itemID)
        if let bSource = form.text("b_source"), let bID = form.text("b_id") { decision.b = RecordKey(source: bSource, sourceID: bID) }
        return decision
    }
}
