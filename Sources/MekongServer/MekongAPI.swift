import Foundation
import Hummingbird
import Logging
import MekongCore
import MekongReports
import MekongStore

/// The HTTP API of SPEC section 6: the command line's services behind Hummingbird routes.
///
/// Handlers only translate: a request into a service call, the result into the JSON the CLI
/// prints with `--format json`. Rules (roles, validation, the audit trail) live in the
/// services, so the API cannot drift from the command line.
public struct MekongAPI: Sendable {
    public let database: AppDatabase
    /// The routes answered, for 405s and for the test that holds them against openapi.yaml.
    public let routes = RouteList()

    /// Rendered reports, kept while the database is unchanged.
    let reports = ReportCache()

    /// - Parameter database: opened pooled; writes go through group commit.
    public init(database: AppDatabase) {
        self.database = database.groupingCommits()
    }

    /// The router with every route and the front door (authentication, errors, access log).
    public func router() -> Router<APIContext> {
        let router = Router(context: APIContext.self)
        let liveTokens = LiveTokens()
        router.add(middleware: FrontDoor(database: database, routes: routes, liveTokens: liveTokens))
        let endpoints = Endpoints(database: database, reports: reports, liveTokens: liveTokens)
        func on(_ method: HTTPRequest.Method, _ path: String,
                _ handler: @escaping @Sendable (inout Request, APIContext) async throws -> Response) {
            routes.add(method, path)
            router.on(RouterPath(path), method: method) { request, context in
                var request = request
                return try await handler(&request, context)
            }
        }
        on(.get, "/health") { _, _ in JSONResponse.make(text: #"{"status":"ok"}"#) }
        on(.get, "/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                     body: ResponseBody(byteBuffer: ByteBuffer(bytes: PackageResources.openapi_yaml)))
        }
        on(.get, "/v1/districts", endpoints.districts)
        on(.get, "/v1/checkpoints", endpoints.checkpoints)
        on(.post, "/v1/checkpoints/{code}/traffic", endpoints.logTraffic)
        on(.get, "/v1/incidents", endpoints.listIncidents)
        on(.post, "/v1/incidents", endpoints.logIncident)
        on(.get, "/v1/incidents/{id}", endpoints.showIncident)
        on(.patch, "/v1/incidents/{id}", endpoints.updateIncident)
        on(.post, "/v1/incidents/{id}/notes", endpoints.addNote)
        on(.post, "/v1/incidents/{id}/links", endpoints.link)
        on(.get, "/v1/reports/districts", endpoints.districtReport)
        on(.get, "/v1/reports/checkpoints", endpoints.checkpointReview)
        on(.get, "/v1/search", endpoints.search)
        on(.get, "/v1/audit/verify", endpoints.verifyAudit)
        return router
    }

    /// The server on `host:port`, with graceful shutdown on SIGTERM and SIGINT: it stops
    /// accepting, lets requests in flight finish, then returns. `announce` hears the address
    /// actually bound and the stop, whatever the log level (`--port 0` scripts read the port).
    public func serve(host: String, port: Int, logger: Logger,
                      announce: @escaping @Sendable (String) -> Void = { _ in }) async throws {
        let app = Application(
            router: router(),
            configuration: .init(address: .hostname(host, port: port), serverName: "mekong"),
            onServerRunning: { channel in
                // The port actually bound (`--port 0` picks one): scripts and tests read it here.
                let bound = channel.localAddress?.port ?? port
                announce("listening on http://\(host.contains(":") ? "[\(host)]" : host):\(bound)")
            },
            logger: logger
        )
        try await app.runService()
        announce("stopped: requests in flight were answered")
    }
}
