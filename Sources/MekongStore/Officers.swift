import GRDB
import MekongCore

/// Who may do what: the acting officer named by a write, checked against the role table.
///
/// On the command line this guards against mistakes (anyone at the keyboard can name any
/// officer); the HTTP API resolves the officer from a bearer token instead.
enum Authorizer {
    /// The acting officer, if known, active and allowed to take `action`.
    static func require(_ db: Database, officer code: String?, for action: Action) throws -> Officer {
        guard let code, !code.isEmpty else {
            throw MekongError(.usage, "name the acting officer with --officer CODE or MEKONG_OFFICER (to \(action.phrase) needs the \(neededRoles(action)) role)")
        }
        guard let officer = try Officer.fetch(db, code: code) else {
            throw MekongError(.forbidden, "unknown officer \(quoted(code)) (see `mekong officer list`)")
        }
        guard officer.active else {
            throw MekongError(.forbidden, "officer \(code) is deactivated")
        }
        guard officer.role.may(action) else {
            throw MekongError(.forbidden, "officer \(code) is \(article(officer.role)) \(officer.role.rawValue) and may not \(action.phrase): that needs the \(neededRoles(action)) role")
        }
        return officer
    }

    /// `supervisor or admin`, `admin`: the roles that may take an action.
    static func neededRoles(_ action: Action) -> String {
        let roles = Role.allCases.filter { $0.may(action) }.map(\.rawValue)
        return roles.count <= 2 ? roles.joined(separator: " or ")
            : roles.dropLast().joined(separator: ", ") + " or " + roles.last!
    }

    static func article(_ role: Role) -> String {
        role == .officer || role == .analyst || role == .admin ? "an" : "a"
    }
}

extension Officer {
    static func fetch(_ db: Database, code: String) throws -> Officer? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM officers WHERE code = ?"), arguments: [code]).map(Officer.init(row:))
    }

    init(row: Row) {
        self.init(code: row["code"], name: row["name"], role: Role(rawValue: row["role"]) ?? .analyst,
                  agency: row["agency"], active: row["active"] as Bool)
    }

    /// The officer as the audit log and `--format json` show it.
    var json: JSONValue {
        .object(["code": .string(code), "name": .string(name), "role": .string(role.rawValue),
                 "agency": JSONValue(agency), "active": .bool(active)])
    }
}

extension AppDatabase {
    /// Adds an officer. On a database with no officers the first one may be added by anyone
    /// and must be an admin; after that only admins add officers.
    public func addOfficer(_ officer: Officer, actingOfficer: String?) throws -> Officer {
        try write { db in
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM officers") ?? 0
            var actor: String?
            if count == 0 {
                guard officer.role == .admin else {
                    throw MekongError(.usage, "the first officer of a database must be an admin (--role admin), who then adds the others")
                }
            } else {
                actor = try Authorizer.require(db, officer: actingOfficer, for: .manageOfficers).code
            }
            try validate(officer)
            if let agency = officer.agency, try !Bool.exists(db, sql: "SELECT 1 FROM agencies WHERE code = ?", arguments: [agency]) {
                throw MekongError(.unknownReference, "unknown agency \(quoted(agency))")
            }
            if try Officer.fetch(db, code: officer.code) != nil {
                throw MekongError(.conflict, "officer \(officer.code) exists already (use `mekong officer update`)")
            }
            let now = nowTimestamp()
            try db.execute(sql: "INSERT INTO officers (code, name, role, agency, active, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [officer.code, officer.name, officer.role.rawValue, officer.agency, officer.active, now])
            try AuditLog.append(db, officer: actor ?? officer.code, action: "officer.add", entity: "officer", key: officer.code,
                                detail: .object(["officer": officer.json, "bootstrap": .bool(count == 0)]), at: now)
            return officer
        }
    }

    /// Changes an officer's name, role, agency or whether they may act (admins only).
    public func updateOfficer(code: String, name: String?, role: Role?, agency: String??, active: Bool?, actingOfficer: String?) throws -> Officer {
        try write { db in
            let actor = try Authorizer.require(db, officer: actingOfficer, for: .manageOfficers)
            guard let before = try Officer.fetch(db, code: code) else {
                throw MekongError(.unknownReference, "unknown officer \(quoted(code)) (see `mekong officer list`)")
            }
            var after = before
            if let name { after.name = name }
            if let role { after.role = role }
            if let agency { after.agency = agency }
            if let active { after.active = active }
            try validate(after)
            if after == before { return before }
            if before.code == actor.code && (after.role != .admin || !after.active) {
                let admins = try Int.fetchOne(db, sql: "SELECT count(*) FROM officers WHERE role = 'admin' AND active = 1") ?? 0
                if admins <= 1 {
                    throw MekongError(.conflict, "\(code) is the last active admin; add another admin first")
                }
            }
            try db.execute(sql: "UPDATE officers SET name = ?, role = ?, agency = ?, active = ? WHERE code = ?",
                           arguments: [after.name, after.role.rawValue, after.agency, after.active, code])
            try AuditLog.append(db, officer: actor.code, action: "officer.update", entity: "officer", key: code,
                                detail: .object(["before": before.json, "after": after.json]), at: nowTimestamp())
            return after
        }
    }

    public func officers() throws -> [Officer] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM officers ORDER BY code").map(Officer.init(row:)) }
    }

    private func validate(_ officer: Officer) throws {
        var problems: [FieldProblem] = []
        if !Officer.isValidCode(officer.code) {
            problems.append(FieldProblem(field: "code", message: "an officer code is 1–32 letters, digits, \".\", \"_\" or \"-\", not \(quoted(officer.code))"))
        }
        problems += TextRule.short.problems(officer.name, field: "name")
        if officer.name.unicodeScalars.count > 200 { problems.append(FieldProblem(field: "name", message: "name is longer than 200 characters")) }
        if !problems.isEmpty { throw ValidationFailure(problems) }
    }
}
