import Hummingbird
import Logging
import MekongCore
import Synchronization

/// What a request carries through the middlewares to its handler: the officer its bearer token
/// names, once the front door has checked it.
public struct APIContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Shared by every copy of the context, so the access log (outside authentication) can
    /// name the officer in its line.
    let caller = Caller()

    public init(source: Source) {
        coreContext = .init(source: source)
    }

    /// Bodies are records, notes and traffic days: a megabyte is far above any of them (a
    /// summary of 4,000 Thai characters is 12 kB) and stops a client filling memory.
    public var maxUploadSize: Int { APIContext.maximumBody }
    static let maximumBody = 1 << 20

    /// The authenticated officer; every `/v1` handler runs after the front door set it.
    var officer: Officer {
        get throws(APIError) {
            guard let officer = caller.officer else { throw APIError.unauthorized("a bearer token is required") }
            return officer
        }
    }
}

/// The officer behind a request, set once by authentication.
final class Caller: Sendable {
    private struct State {
        var officer: Officer?
        /// The token, while it still has to be checked against the database (it was taken from
        /// `LiveTokens` on trust); the service's worker checks it before doing anything.
        var unconfirmedToken: String?
    }

    private let state = Mutex(State())

    var officer: Officer? { state.withLock { $0.officer } }
    var unconfirmedToken: String? { state.withLock { $0.unconfirmedToken } }

    func authenticated(as officer: Officer, unconfirmedToken: String?) {
        state.withLock { $0 = State(officer: officer, unconfirmedToken: unconfirmedToken) }
    }
}

/// Tokens found live recently, and their officers: a request bearing one goes straight to its
/// handler, and the handler's worker checks the token in the database before the service runs,
/// in the same trip to a worker thread (one trip instead of two). A token revoked since, or an
/// officer deactivated since, is refused there with 401 and forgotten here. Only tokens the
/// database confirmed are kept, so nobody can fill this with guesses.
final class LiveTokens: Sendable {
    private let officers = Mutex<[String: Officer]>([:])
    static let capacity = 10_000

    func officer(bearing token: String) -> Officer? {
        officers.withLock { $0[token] }
    }

    func remember(_ token: String, as officer: Officer) {
        officers.withLock { officers in
            if officers.count >= Self.capacity { officers.removeAll(keepingCapacity: true) }
            officers[token] = officer
        }
    }

    func forget(_ token: String) {
        _ = officers.withLock { $0.removeValue(forKey: token) }
    }
}
