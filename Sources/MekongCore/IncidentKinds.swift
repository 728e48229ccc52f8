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
