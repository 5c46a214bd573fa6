import Foundation
import MarketMapCore
import Pipeline

/// `/review/decisions`: every decision, active and undone, with the golden
/// accounts its records are in now (so a steward sees it honoured after the
/// next run), and an undo button on the active ones.
enum DecisionsPage {
    static func render(_ decisions: [ReviewDecision], golden: [RecordKey: Int64], _ context: PageContext, notice: String?) -> HTML {
        let rows = HTML(joining: decisions.map { row($0, golden: golden, context) })
        let table: HTML = decisions.isEmpty ? "<p class=muted>No decisions yet.</p>" : """
            <table id=decisions><thead><tr><th>#</th><th>decision</th><th>golden accounts now</th><th>by</th><th>when</th><th>note</th>\
            <th>item</th><th>state</th></tr></thead><tbody>\(rows)</tbody></table>
            """
        return PageLayout.page("Decisions", context, notice: notice, """
            <h1>Decisions</h1>
            <p>Every run applies the active decisions: <b>different</b> beats any domain or name rule, <b>same</b> joins accounts, \
            <b>detach</b> takes a record out of its account, a <b>pin</b> beats survivorship. Undoing one keeps it in this history.</p>
            \(PageLayout.runNow(context))
            \(table)
            """)
    }

    static func row(_ decision: ReviewDecision, golden: [RecordKey: Int64], _ context: PageContext) -> HTML {
        let accounts = HTML(joining: ([decision.a] + (decision.b.map { [$0] } ?? [])).map { key in
            "\(key): \(golden[key].map { "account \($0)" } ?? "record gone")"
        }, separator: "<br>")
        let state: HTML
        if let undoneAt = decision.undoneAt {
            state = "undone by \(decision.undoneBy ?? "") at \(undoneAt)"
        } else if context.canWrite {
            state = """
                active <form class=inline method=post action="/review/decisions/\(decision.id)/undo">\(context.csrfField)\
                <input name=note size=14 placeholder="why undo"> <button type=submit>Undo</button></form>
                """
        } else {
            state = "active"
        }
        return """
            <tr id="d\(decision.id)"><td>\(decision.id)</td><td>\(describe(decision))</td><td>\(accounts)</td><td>\(decision.decidedBy)</td>\
            <td>\(decision.decidedAt)</td><td>\(decision.note)</td>\
            <td>\(decision.itemID.map { id -> HTML in "<a href=\"/review/items/\(id)\">#\(id)</a>" } ?? "")</td><td>\(state)</td></tr>
            """
    }

    static func describe(_ decision: ReviewDecision) -> HTML {
        describe(decision.kind, decision.a, decision.b, decision.field, decision.value)
    }

    static func describe(_ decision: NewDecision) -> HTML {
        describe(decision.kind, decision.a, decision.b, decision.field, decision.value)
    }

    static func describe(_ kind: DecisionKind, _ a: RecordKey, _ b: RecordKey?, _ field: String?, _ value: String?) -> HTML {
        switch kind {
        case .same: "<b>same</b>: \(a) and \(b) are one account"
        case .different: "<b>different</b>: \(a) and \(b) are never in one account"
        case .detach: "<b>detach</b>: \(a) leaves its account"
        case .pin: "<b>pin</b>: the account of \(a) keeps \(field ?? "") = “\(value ?? "")”"
        }
    }
}
