/// What happened, as district offices classify their cases.
public enum IncidentType: String, NamedChoice, Codable {
    case drugSeizure = "drug_seizure"
    case scam
    case vehicleSmuggling = "vehicle_smuggling"
    case goodsSmuggling = "goods_smuggling"
    case illegalImmigration = "illegal_immigration"
    case humanTrafficking = "human_trafficking"
    case wildlifeTrafficking = "wildlife_trafficking"
    case timberTrafficking = "timber_trafficking"
    case hazeFire = "haze_fire"
    case crossBorderAssistance = "cross_border_assistance"
    case other

    public static let choiceName = "incident type"

    /// A short English label for tables and charts.
    public var label: String {
        switch self {
        case .drugSeizure: "Drug seizure"
        case .scam: "Scam"
        case .vehicleSmuggling: "Vehicle smuggling"
        case .goodsSmuggling: "Goods smuggling"
        case .illegalImmigration: "Illegal immigration"
        case .humanTrafficking: "Human trafficking"
        case .wildlifeTrafficking: "Wildlife trafficking"
        case .timberTrafficking: "Timber trafficking"
        case .hazeFire: "Haze / fire"
        case .crossBorderAssistance: "Cross-border assistance"
        case .other: "Other"
        }
    }
}

/// Where a case stands in its life: open → investigating → referred or closed.
public enum IncidentStatus: String, NamedChoice, Codable {
    case open
    case investigating
    case referred
    case closed

    public static let choiceName = "status"

    /// What moving a case from this status to `next` is, or nil when the move is not allowed.
    ///
    /// Cases go open → investigating → referred or closed; a referred case may be closed.
    /// Closing and reopening (back from referred or closed) are for supervisors.
    public func move(to next: IncidentStatus) -> StatusMove? {
        switch (self, next) {
        case (.open, .investigating), (.investigating, .referred): .advance
        case (.investigating, .closed), (.referred, .closed): .close
        case (.referred, .open), (.referred, .investigating), (.closed, .open), (.closed, .investigating): .reopen
        default: nil
        }
    }

    /// The statuses a case in this status may move to.
    public var nextStatuses: [IncidentStatus] {
        IncidentStatus.allCases.filter { move(to: $0) != nil }
    }
}

/// The kinds of status change, which decide who may make them.
public enum StatusMove: Sendable, Equatable {
    /// Forward along open → investigating → referred: any officer.
    case advance
    /// Closing a case: supervisors.
    case close
    /// Reopening a referred or closed case: supervisors.
    case reopen

    public var action: Action {
        self == .advance ? .updateIncident : .closeOrReopen
    }
}

/// How the incident came to the office's knowledge. A `tip_off` may carry protected informant details.
public enum IncidentSource: String, NamedChoice, Codable {
    case patrol
    case checkpointInspection = "checkpoint_inspection"
    case tipOff = "tip_off"
    case investigation
    case referral
    case other

    public static let choiceName = "source"
}
