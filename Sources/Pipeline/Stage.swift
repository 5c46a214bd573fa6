/// The stages of a run, in order. Each later issue fills one in.
public enum Stage: String, Sendable, CaseIterable, Codable {
    case `import`
    case normalize
    case merge
    case enrich
    case score
    case people
    case territories
    case reports
}
