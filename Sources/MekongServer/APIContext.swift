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
            guard let officer = caller.officer else { throw APIError(.unauthorized, "a bearer token is required") }
            return officer
        }
    }
}

/// The officer behind a request, set once by authentication.
final class Caller: Sendable {
    private let value = Mutex<Officer?>(nil)

    var officer: Officer? {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
