import HTTPTypes

/// A request the pages refuse, with the status and a message a person can act on.
struct PageError: Error, Equatable, CustomStringConvertible {
    var status: HTTPResponse.Status
    var message: String

    init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    var description: String { message }
}
