/// The stable identity of an incident: a UUID, written lowercase in the canonical 8-4-4-4-12 form.
///
/// New ids are version 7 (time-ordered): the first 48 bits are the creation time in milliseconds,
/// so new rows land at the end of the primary-key index instead of at random places in it, which
/// keeps inserts into a table of millions of incidents fast.
public struct IncidentID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The 128 bits, most significant first.
    public let high: UInt64
    public let low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Reads the canonical form in any case, or nil.
    public init?(_ text: some StringProtocol) {
        var high: UInt64 = 0
        var low: UInt64 = 0
        var nibbles = 0
        var position = 0
        for byte in text.utf8 {
            defer { position += 1 }
            if position == 8 || position == 13 || position == 18 || position == 23 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            let value: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - 48
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = byte - 87
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = byte - 55
            default: return nil
            }
            if nibbles < 16 { high = high << 4 | UInt64(value) } else { low = low << 4 | UInt64(value) }
            nibbles += 1
        }
        guard position == 36, nibbles == 32 else { return nil }
        self.high = high
        self.low = low
    }

    /// The 16 bytes, most significant first, as stored in the database.
    public var bytes: [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * $0)) }
            + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * $0)) }
    }

    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 16 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (index, byte) in bytes.enumerated() {
            if index < 8 { high = high << 8 | UInt64(byte) } else { low = low << 8 | UInt64(byte) }
        }
        self.high = high
        self.low = low
    }

    public var description: String {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(36)
        for index in 0..<32 {
            if index == 8 || index == 12 || index == 16 || index == 20 { out.append(UInt8(ascii: "-")) }
            let word = index < 16 ? high : low
            let shift = UInt64(60 - 4 * (index % 16))
            out.append(hex[Int((word >> shift) & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The version nibble (7 for ids this program makes).
    public var version: Int { Int((high >> 12) & 0xF) }

    public static func < (a: IncidentID, b: IncidentID) -> Bool { (a.high, a.low) < (b.high, b.low) }
}

/// Makes version 7 ids that increase strictly, even for many ids within one millisecond.
///
/// Within a millisecond the 12-bit `rand_a` field counts up (RFC 9562, method 1); when it runs
/// out the timestamp is advanced by one, so ids never repeat or go backwards.
public struct IncidentIDGenerator: Sendable {
    private var lastMilliseconds: UInt64 = 0
    private var counter: UInt64 = 0
    /// Seeded once from the system's generator; a system call per id would dominate an import.
    private var random = Xoshiro256(seed: SystemRandomNumberGenerator())

    public init() {}

    public mutating func next(nowMilliseconds: UInt64) -> IncidentID {
        var ms = nowMilliseconds & 0xFFFF_FFFF_FFFF
        if ms > lastMilliseconds {
            lastMilliseconds = ms
            counter = random.next() & 0x3FF  // leave room to count up within the millisecond
        } else {
            ms = lastMilliseconds
            counter += 1
            if counter > 0xFFF {
                lastMilliseconds += 1
                ms = lastMilliseconds
                counter = 0
            }
        }
        let high = ms << 16 | 0x7000 | counter
        let low = (random.next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        return IncidentID(high: high, low: low)
    }
}

/// xoshiro256**: a fast generator with 256 bits of state, for the random bits of ids (which
/// need to be unpredictable enough not to collide, not to be secret).
struct Xoshiro256: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    init(seed: some RandomNumberGenerator) {
        var seed = seed
        state = (seed.next(), seed.next(), seed.next(), seed.next())
        if state == (0, 0, 0, 0) { state.0 = 0x9E37_79B9_7F4A_7C15 }
    }

    mutating func next() -> UInt64 {
        let result = rotate(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotate(state.3, 45)
        return result
    }

    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}
