import Foundation
import Hummingbird
import Logging
import MekongCore
import MekongStore

/// What every request passes through first: the bearer token of a `/v1` path, every error
/// turned into its JSON answer (a 405 for a known path asked with another method), and one
/// access-log line with the officer, status and time taken.
struct FrontDoor: RouterMiddleware {
    typealias Context = APIContext

    let database: AppDatabase
    let routes: RouteList
    let liveTokens: LiveTokens

    /// The only paths answered without a token. Everything else needs one, matched or not:
    /// the router also answers spellings such as `//v1/districts`, so deciding by a prefix of
    /// the path would let those through.
    static let publicPaths: Set<String> = ["/health", "/openapi.yaml"]

    func handle(_ request: Request, context: APIContext,
                next: (Request, APIContext) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        var response: Response
        do {
            if !Self.publicPaths.contains(request.uri.path) {
                try await authenticate(request, context: context)
            }
            response = try await next(request, context)
        } catch {
            var answer = APIError.from(error, withBody: request.method == .post || request.method == .patch)
            // A token taken on trust is confirmed by the service's worker; a request refused
            // before that (bad parameters, an unknown path) must not be answered as if it
            // were live, so confirm it here, on this path only.
            if answer.status != .unauthorized, let token = context.caller.unconfirmedToken, !(await isLive(token)) {
                answer = .revokedToken
            }
            if answer.status == .notFound, error is any HTTPResponseError, !(error is APIError) {
                let allowed = routes.methods(for: request.uri.path)
                if !allowed.isEmpty {
                    answer = APIError(.methodNotAllowed, "\(request.method.rawValue) is not allowed on \(request.uri.path) (allowed: \(allowed.joined(separator: ", ")))")
                    answer.headers[.allow] = allowed.joined(separator: ", ")
                }
            }
            if answer.isServerFault {
                context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            response = answer.response
        }
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        context.logger.info("request", metadata: [
            "method": .string(request.method.rawValue),
            "path": .string(request.uri.path),
            "status": .stringConvertible(response.status.code),
            "ms": .string(String(format: "%.2f", milliseconds)),
            "officer": .string(context.caller.officer?.code ?? "-"),
        ])
        return response
    }

    /// Sets the active officer whose live token the request bears; 401 otherwise. A token
    /// confirmed before is taken on trust here and checked again by the handler's worker.
    /// Whether the token is still live in the database (forgotten here if not).
    private func isLive(_ token: String) async -> Bool {
        let database = self.database
        do {
            if try await Workers.lookups.run({ try database.officer(bearing: token) }) != nil { return true }
        } catch {
            return true  // the database cannot say now: keep the answer the request already has
        }
        liveTokens.forget(token)
        return false
    }

    private func authenticate(_ request: Request, context: APIContext) async throws {
        guard let header = request.headers[.authorization] else {
            throw APIError.unauthorized("this path needs `Authorization: Bearer TOKEN` (an admin issues one with `mekong officer token CODE`)")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw APIError.unauthorized("the Authorization header must be `Bearer TOKEN`")
        }
        let token = String(parts[1]).trimmingCharacters(in: .whitespaces)
        if let officer = liveTokens.officer(bearing: token) {
            context.caller.authenticated(as: officer, unconfirmedToken: token)
            return
        }
        let database = self.database
        guard let officer = try await Workers.lookups.run({ try database.officer(bearing: token) }) else {
            throw APIError.revokedToken
        }
        liveTokens.remember(token, as: officer)
        context.caller.authenticated(as: officer, unconfirmedToken: nil)
    }
}

/// The routes the server answers, as method and path pattern (`/v1/incidents/{id}`): filled
/// while the router is built, read afterwards to answer 405 with the allowed methods, and held
/// by a test against `Schemas/openapi.yaml`.
public final class RouteList: @unchecked Sendable {
    /// Written only while the router is built, before the server takes requests.
    public private(set) var routes: [(method: String, path: String)] = []

    func add(_ method: HTTPRequest.Method, _ path: String) {
        routes.append((method.rawValue, path))
    }

    /// The methods registered for the pattern `path` matches, or none.
    func methods(for path: String) -> [String] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        return routes.filter { route in
            let pattern = route.path.split(separator: "/", omittingEmptySubsequences: false)
            guard pattern.count == segments.count else { return false }
            return zip(pattern, segments).allSatisfy { expected, actual in
                expected.hasPrefix("{") ? !actual.isEmpty : expected == actual
            }
        }.map(\.method)
    }
}
