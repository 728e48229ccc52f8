/// What an officer may do. One table serves the CLI and the HTTP API (SPEC section 1).
public enum Role: String, NamedChoice, Codable {
    /// Logs incidents, updates, notes and links them, logs checkpoint traffic.
    case officer
    /// All an officer may, plus close/reopen, assign, import, and read informant details.
    case supervisor
    /// Reads only: list, show, search, reports, export. Never informant details.
    case analyst
    /// Everything, including officers, tokens and reference data.
    case admin

    public static let choiceName = "role"

    /// Whether this role may take `action`.
    public func may(_ action: Action) -> Bool {
        switch self {
        case .admin: true
        case .supervisor: action != .manageOfficers && action != .manageReference && action != .administerDatabase
        case .officer: Action.officerActions.contains(action)
        case .analyst: action == .read
        }
    }

    /// The least role that may take `action`, for refusals that say what is needed.
    public static func least(for action: Action) -> Role {
        [Role.analyst, .officer, .supervisor, .admin].first { $0.may(action) } ?? .admin
    }
}

/// Something an officer may or may not be allowed to do.
public enum Action: String, Hashable, Sendable, CaseIterable {
    case read
    case logIncident
    case updateIncident
    case closeOrReopen
    case assign
    case logTraffic
    case importRecords
    case readInformant
    case manageOfficers
    case manageReference
    case administerDatabase

    static let officerActions: Set<Action> = [.read, .logIncident, .updateIncident, .logTraffic]

    /// How the action reads in a refusal: "officer ANALYST1 (analyst) may not log incidents".
    public var phrase: String {
        switch self {
        case .read: "read records"
        case .logIncident: "log incidents"
        case .updateIncident: "update incidents"
        case .closeOrReopen: "close or reopen incidents"
        case .assign: "assign incidents"
        case .logTraffic: "log checkpoint traffic"
        case .importRecords: "import records"
        case .readInformant: "read informant details"
        case .manageOfficers: "manage officers and tokens"
        case .manageReference: "change reference data"
        case .administerDatabase: "back up or restore the database"
        }
    }
}

/// A person who acts in the system. Every write names one.
public struct Officer: Hashable, Sendable {
    /// Short code the officer types (`MS-SOMCHAI`), 1–32 letters, digits, `-`, `_` or `.`.
    public var code: String
    public var name: String
    public var role: Role
    public var agency: String?
    public var active: Bool

    public init(code: String, name: String, role: Role, agency: String? = nil, active: Bool = true) {
        self.code = code
        self.name = name
        self.role = role
        self.agency = agency
        self.active = active
    }

    public static func isValidCode(_ code: String) -> Bool {
        let bytes = Array(code.utf8)
        guard (1...32).contains(bytes.count) else { return false }
        return bytes.allSatisfy {
            (65...90).contains($0) || (97...122).contains($0) || (48...57).contains($0)
                || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
        }
    }
}
