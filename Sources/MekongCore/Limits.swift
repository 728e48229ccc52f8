/// Bounds on what a record may hold, so a hostile or broken file is refused instead of
/// exhausting memory. Text limits count Unicode characters (scalars), as SQLite's `length` does.
public enum Limits {
    /// The longest summary, in characters (SPEC section 2).
    public static let summaryLength = 4000
    /// The longest short text field (place, names, codes), in characters.
    public static let shortTextLength = 500
    /// The longest note, in characters.
    public static let noteLength = 20_000
    /// The most seizures one incident may list.
    public static let maximumSeizuresPerIncident = 100
    /// The largest quantity of one seizure entry: well above any recorded seizure (72 t of
    /// precursors is 7.2e4 kg; a billion tablets is 1e9) but far below where doubles lose whole numbers.
    public static let maximumQuantity = 1e12
    /// The largest count (arrests, persons, vehicles, victims) one incident may carry.
    public static let maximumCount = 1_000_000_000
    /// The largest scam loss one incident may carry, in baht.
    public static let maximumLossTHB = 1e15
    /// The longest record an import reads (one NDJSON line, one CSV field), in bytes: a 4000-
    /// character Thai summary is 12 kB, a hundred seizures a few kB more.
    public static let recordBytes = 1 << 20
}
