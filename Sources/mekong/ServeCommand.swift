import ArgumentParser
import Foundation
import Logging
import MekongServer
import MekongStore

extension Logger.Level: @retroactive ExpressibleByArgument {}

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API (SPEC section 6): the same services and roles, for offices and partner systems.",
        discussion: """
            Every /v1 request carries `Authorization: Bearer TOKEN`; an admin issues tokens with `mekong officer token CODE`. GET /health and GET /openapi.yaml need none. One line per request goes to stderr (method, path, status, milliseconds, officer). SIGTERM or Ctrl-C stops accepting connections, lets requests in flight finish, then exits.

            Examples:
              mekong serve --db /srv/mekong/chiang-rai.sqlite --port 8080
              curl -H "Authorization: Bearer $TOKEN" 'http://127.0.0.1:8080/v1/reports/districts?from=2025-01-01&to=2025-12-31'
            """
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: "Address to listen on (loopback by default; 0.0.0.0 for every interface).") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free one).") var port = 8080
    @Option(name: .customLong("log-level"), help: ArgumentHelp("trace, debug, info, notice, warning, error or critical.", valueName: "level"))
    var logLevel: Logger.Level = .info

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        // The shared options that mean nothing here: each request names its officer by its token,
        // answers JSON, and counts in the database's time zone.
        for (given, option) in [(global.officer, "--officer"), (global.format?.rawValue, "--format"), (global.tz, "--tz")] where given != nil {
            throw ValidationError("\(option) does not apply to serve (requests carry their officer's token; answers are JSON in the database's time zone)")
        }
    }

    func run() async throws {
        let database = try AppDatabase.open(at: global.databasePath, options: .init(pooled: true, busyTimeout: global.busyTimeout))
        var logger = Logger(label: "mekong")
        logger.logLevel = logLevel
        try await MekongAPI(database: database).serve(host: host, port: port, logger: logger) { line in
            FileHandle.standardError.write(Data("mekong serve: \(line)\n".utf8))
        }
    }
}
