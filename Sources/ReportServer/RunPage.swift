import JobQueue

/// `/runs/:id`: a submitted run's stages until it ends (the page reloads itself while it runs).
enum RunPage {
    static func render(_ status: RunStatus, _ context: PageContext, notice: String?) -> HTML {
        let rows = HTML(joining: status.stages.map { stage -> HTML in
            "<tr><td>\(stage.stage)</td><td>\(stage.state.rawValue)</td><td>\(stage.jobsDone) / \(stage.jobsTotal)</td></tr>"
        })
        let running = status.state == .running
        let outcome: HTML = running
            ? "<p>The run is under way; this page reloads every 2 seconds.</p>"
            : status.state == .done
            ? "<p class=notice>The run is done: the decisions are applied. <a href=\"/review\">Back to the review</a>, <a href=\"/\">the report</a>.</p>"
            : "<p class=error>The run \(status.state.rawValue): \(status.error)</p>"
        return PageLayout.page("Run \(status.id)", context, notice: notice, refresh: running ? 2 : nil, """
            <h1>Run <span id=run-id>\(status.id)</span>: <span id=run-state>\(status.state.rawValue)</span></h1>
            \(outcome)
            <table><thead><tr><th>stage</th><th>state</th><th>jobs</th></tr></thead><tbody>\(rows)</tbody></table>
            """)
    }
}
