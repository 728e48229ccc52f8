import Hummingbird
import MekongCore
import MekongReports
import MekongStore

/// One handler per route: read the request, call the service on a worker thread, answer with
/// the JSON the command line prints for the same thing.
struct Endpoints: Sendable {
    let database: AppDatabase
    let reports: ReportCache
    let liveTokens: LiveTokens

    /// Runs a service on a worker of `pool` (it blocks on SQLite) and returns what it rendered.
    /// A token the front door took on trust is checked first, on the same worker: a revoked
    /// one gets 401 before the service reads or writes anything.
    private func work<T: Sendable>(_ context: APIContext, _ pool: Workers = .lookups,
                                   _ body: @escaping @Sendable (AppDatabase) throws -> T) async throws -> T {
        _ = try context.officer  // no service runs for a request the front door did not authenticate
        let database = self.database
        let token = context.caller.unconfirmedToken
        let liveTokens = self.liveTokens
        return try await pool.run {
            if let token, try database.officer(bearing: token) == nil {
                liveTokens.forget(token)
                throw APIError.revokedToken
            }
            return try body(database)
        }
    }

    /// Runs a service and renders its result as JSON, both on a worker of `pool`.
    private func respond(_ context: APIContext, _ status: HTTPResponse.Status = .ok, on pool: Workers = .lookups,
                         _ body: @escaping @Sendable (AppDatabase, inout JSONWriter) throws -> Void) async throws -> Response {
        let bytes = try await work(context, pool) { database in
            var json = JSONWriter(capacity: 2048)
            try body(database, &json)
            return json.bytes
        }
        return JSONResponse.make(status, bytes: bytes)
    }

    // MARK: Reference data

    func districts(_ request: inout Request, _ context: APIContext) async throws -> Response {
        _ = try QueryParameters(request, allowed: [])
        return try await respond(context) { database, json in
            let districts = try database.districts()
            json.beginObject()
            json.key("districts")
            json.beginArray()
            for district in districts { RecordRendering.district(district, to: &json) }
            json.endArray()
            json.endObject()
        }
    }

    func checkpoints(_ request: inout Request, _ context: APIContext) async throws -> Response {
        let query = try QueryParameters(request, allowed: ["district"])
        let district = query.string("district")
        return try await respond(context) { database, json in
            let checkpoints = try database.checkpoints(district: district)
            json.beginObject()
            json.key("checkpoints")
            json.beginArray()
            for checkpoint in checkpoints { RecordRendering.checkpoint(checkpoint, to: &json) }
            json.endArray()
            json.endObject()
        }
    }

    /// One day's traffic; the checkpoint comes from the path, the figures from the body.
    func logTraffic(_ request: inout Request, _ context: APIContext) async throws -> Response {
        let code = try request.pathParameter("code", context)
        let officer = try context.officer.code
        var fields = BodyFields(try await request.bodyObject(), allowed: Set(TrafficDay.columns).subtracting(["checkpoint"]))
        var text = ["checkpoint": code]
        text["date"] = fields.string("date", required: true)
        for column in TrafficDay.columns.dropFirst(2) {
            text[column] = fields.integer(column, required: column != "out_of_hours").map(String.init)
        }
        try fields.check()
        let day = text
        do {
            let (day, replaced) = try await work(context, .writes) { try $0.logTraffic(day, officer: officer) }
            return JSONResponse.make(replaced ? .ok : .created) { RecordRendering.trafficDay(day, replaced: replaced, to: &$0) }
        } catch let failure as ValidationFailure where failure.problems.contains(where: { $0.field == "checkpoint" && $0.isUnknownReference }) {
            throw APIError(.notFound, "unknown checkpoint code \(quoted(code)) (see GET /v1/checkpoints)")
        }
    }

    // MARK: Incidents

    func logIncident(_ request: inout Request, _ context: APIContext) async throws -> Response {
        let officer = try context.officer.code
        let draft = try IncidentJSON.read(try await request.bodyBytes())
        return try await respond(context, .created, on: .writes) { database, json in
            IncidentJSON.write(try database.logIncident(draft, officer: officer), to: &json)
        }
    }

    func listIncidents(_ request: inout Request, _ context: APIContext) async throws -> Response {
        let query = try QueryParameters(request, allowed: ["district", "type", "status", "checkpoint", "since", "until", "limit", "cursor"])
        let filter = IncidentFilter(district: query.string("district"), type: try query.choice("type", IncidentType.self),
                                    status: try query.choice("status", IncidentStatus.self), checkpoint: query.string("checkpoint"),
                                    since: try query.date("since"), until: try query.date("until"))
        let limit = try query.integer("limit", in: 1...10_000) ?? 50
        let cursor = query.string("cursor")
        return try await respond(context) { database, json in
            let page = try database.listIncidents(filter, limit: limit, cursor: cursor)
            json.beginObject()
            json.key("incidents")
            json.beginArray()
            for incident in page.incidents { IncidentJSON.write(incident, to: &json) }
            json.endArray()
            json.field("next_cursor", page.nextCursor)
            json.endObject()
        }
    }

    /// The case; informant details only when the token's officer may read them (audited).
    func showIncident(_ request: inout Request, _ context: APIContext) async throws -> Response {
        _ = try QueryParameters(request, allowed: [])
        let reference = try request.pathParameter("id", context)
        let officer = try context.officer.code
        return try await respond(context) { database, json in
            RecordRendering.incidentCase(try database.incidentCase(reference, viewer: officer), to: &json)
        }
    }

    func updateIncident(_ request: inout Request, _ context: APIContext) async throws -> Response {
        let reference = try request.pathParameter("id", context)
        let officer = try context.officer.code
        let changes = try IncidentPatch.changes(from: try await request.bodyObject())
        return try await respond(context, on: .writes) { database, json in
            IncidentJSON.write(try database.updateIncident(reference, changes: changes, officer: officer), to: &json)
        }
    }

    func addNote(_ request: inout Request, _ context: APIContext) async throws -> Response {
        let reference = try request.pathParameter("id", context)
        let officer = try context.officer.code
        var fields = BodyFields(try await request.bodyObject(), allowed: ["text"])
        let text = fields.string("text", required: true)
        try fields.check()
        return try await respond(context, .created, on: .writes) { database, json in
            RecordRendering.note(try database.addNote(reference, text: text ?? "", officer: officer), to: &json)
        }
    }

    func link(_ request: inout Request, _ context: APIContext) async throws -> Response {
        let reference = try request.pathParameter("id", context)
        let officer = try context.officer.code
        var fields = BodyFields(try await request.bodyObject(), allowed: ["other"])
        let other = fields.string("other", required: true) ?? ""
        try fields.check()
        let added = try await work(context, .writes) { try $0.link(reference, to: other, officer: officer) }
        return JSONResponse.make(added ? .created : .ok, text: #"{"linked":true,"new":\#(added)}"#)
    }

    // MARK: Reports, search, audit

    func districtReport(_ request: inout Request, _ context: APIContext) async throws -> Response {
        let query = try QueryParameters(request, allowed: ["from", "to", "district"])
        let period = try Self.period(query)
        let district = query.string("district")
        let reports = self.reports
        let text = try await work(context, .longReads) { database in
            try reports.text(for: "districts \(period) \(district ?? "")", stamp: try database.changeStamp()) {
                try DistrictReport.build(database, period: period, district: district).json(pretty: false)
            }
        }
        return JSONResponse.make(text: text)
    }

    func checkpointReview(_ request: inout Request, _ context: APIContext) async throws -> Response {
        let query = try QueryParameters(request, allowed: ["from", "to", "threshold"])
        let period = try Self.period(query)
        let threshold = try query.number("threshold") ?? CheckpointReview.defaultThreshold
        let reports = self.reports
        let text = try await work(context, .longReads) { database in
            try reports.text(for: "checkpoints \(period) \(threshold)", stamp: try database.changeStamp()) {
                try CheckpointReview.build(database, period: period, threshold: threshold).json(pretty: false)
            }
        }
        return JSONResponse.make(text: text)
    }

    func search(_ request: inout Request, _ context: APIContext) async throws -> Response {
        let query = try QueryParameters(request, allowed: ["q", "limit"])
        let text = try query.required("q")
        let limit = try query.integer("limit", in: 1...10_000) ?? 50
        return try await respond(context, on: .longReads) { database, json in
            let hits = try database.search(text, limit: limit)
            json.beginObject()
            json.key("results")
            json.beginArray()
            for hit in hits { RecordRendering.searchHit(hit, to: &json) }
            json.endArray()
            json.endObject()
        }
    }

    func verifyAudit(_ request: inout Request, _ context: APIContext) async throws -> Response {
        _ = try QueryParameters(request, allowed: [])
        return try await respond(context, on: .longReads) { database, json in
            RecordRendering.auditVerification(try database.verifyAudit(), to: &json)
        }
    }

    /// `from` and `to`, required local dates.
    static func period(_ query: QueryParameters) throws -> Period {
        guard let from = try query.date("from") else { throw APIError(.badRequest, "query parameter \"from\" is required", field: "from") }
        guard let to = try query.date("to") else { throw APIError(.badRequest, "query parameter \"to\" is required", field: "to") }
        return try Period(from: from, to: to)
    }
}
