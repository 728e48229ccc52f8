/// The province a database serves: its zone and case-number prefix come from here.
///
/// Chiang Rai is the shipped default, but nothing assumes it: another province is another
/// folder of the same reference files.
public struct Province: Hashable, Sendable {
    public var code: String
    public var name: String
    public var nameLocal: String
    /// ISO 3166-1 alpha-2 (`TH`).
    public var country: String
    /// IANA zone the province lives in (`Asia/Bangkok`): local dates are counted in it.
    public var timeZone: String
    /// Prefix of human case numbers (`CR` → `CR-2025-000123`).
    public var casePrefix: String

    public init(code: String, name: String, nameLocal: String, country: String, timeZone: String, casePrefix: String) {
        self.code = code
        self.name = name
        self.nameLocal = nameLocal
        self.country = country
        self.timeZone = timeZone
        self.casePrefix = casePrefix
    }
}

/// A district (amphoe) of the province: incidents are logged against one.
public struct District: Hashable, Sendable {
    /// Official code (`5709` for Mae Sai).
    public var code: String
    public var name: String
    /// The name in the local script (`แม่สาย`).
    public var nameLocal: String
    public var province: String
    public var country: String
    public var latitude: Double?
    public var longitude: Double?
    /// Neighbouring countries along the district's border (`["LA", "MM"]`), empty inland.
    public var border: [String]
    /// What is uncertain about this row, so nobody mistakes a guess for a fact.
    public var notes: String

    public init(code: String, name: String, nameLocal: String, province: String, country: String,
                latitude: Double? = nil, longitude: Double? = nil, border: [String] = [], notes: String = "") {
        self.code = code
        self.name = name
        self.nameLocal = nameLocal
        self.province = province
        self.country = country
        self.latitude = latitude
        self.longitude = longitude
        self.border = border
        self.notes = notes
    }
}

/// What sort of crossing point a checkpoint is. Utilisation is compared between peers of one kind.
public enum CheckpointKind: String, NamedChoice, Codable {
    case permanent
    case temporary
    case tradePoint = "trade_point"
    case customary
    case riverPier = "river_pier"
    case inland

    public static let choiceName = "checkpoint kind"
}

/// Whether a checkpoint is in use. A relocated or closed checkpoint changes status and never
/// disappears, so past incidents and traffic keep their place.
public enum CheckpointStatus: String, NamedChoice, Codable {
    case active
    case suspended
    case proposed
    case closed

    public static let choiceName = "checkpoint status"
}

/// A crossing point or inspection post: a facility in its own right, with hours and traffic.
public struct Checkpoint: Hashable, Sendable {
    /// Short, stable, upper-case code of ours (`MS1`, `FB4`).
    public var code: String
    public var name: String
    public var nameLocal: String
    public var kind: CheckpointKind
    /// The district it lies in, when known.
    public var district: String?
    public var latitude: Double?
    public var longitude: Double?
    /// The place across the border it faces (`Tachileik (MM)`).
    public var counterpart: String
    /// Official opening hours on the local clock, when known.
    public var opens: LocalTimeOfDay?
    public var closes: LocalTimeOfDay?
    public var status: CheckpointStatus
    public var notes: String

    public init(code: String, name: String, nameLocal: String = "", kind: CheckpointKind, district: String?,
                latitude: Double? = nil, longitude: Double? = nil, counterpart: String = "",
                opens: LocalTimeOfDay? = nil, closes: LocalTimeOfDay? = nil,
                status: CheckpointStatus = .active, notes: String = "") {
        self.code = code
        self.name = name
        self.nameLocal = nameLocal
        self.kind = kind
        self.district = district
        self.latitude = latitude
        self.longitude = longitude
        self.counterpart = counterpart
        self.opens = opens
        self.closes = closes
        self.status = status
        self.notes = notes
    }

    /// Whether a checkpoint code has the agreed shape: 1–16 upper-case letters, digits or `-`,
    /// starting with a letter.
    public static func isValidCode(_ code: String) -> Bool {
        let bytes = Array(code.utf8)
        guard (1...16).contains(bytes.count), let first = bytes.first, (65...90).contains(first) else { return false }
        return bytes.allSatisfy { (65...90).contains($0) || (48...57).contains($0) || $0 == UInt8(ascii: "-") }
    }
}

/// A unit that works cases: district offices, police stations, border patrol, the riverine unit.
public struct Agency: Hashable, Sendable {
    public var code: String
    public var name: String
    /// What sort of unit (`police`, `border_patrol`, `administration`…); free text.
    public var kind: String
    public var district: String?

    public init(code: String, name: String, kind: String, district: String? = nil) {
        self.code = code
        self.name = name
        self.kind = kind
        self.district = district
    }
}
