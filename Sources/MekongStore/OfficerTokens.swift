import Crypto
import Foundation
import GRDB
import MekongCore

/// Bearer tokens for the HTTP API: how a request proves which officer is acting.
///
/// A token is 32 random bytes from the system's secure generator, shown once when issued.
/// The database keeps only its SHA-256, so a copy of the file (a backup, a laptop left in a
/// car) does not let anyone act as the officer.
public enum OfficerToken {
    /// `mkw_` and 64 hex digits: recognisable in a leaked log, easy to paste.
    static let prefix = "mkw_"

    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return prefix + bytes.map { hexDigits($0) }.joined()
    }

    static func hash(_ token: String) -> Data {
        Data(SHA256.hash(data: Data(token.utf8)))
    }

    /// The first 8 hex digits of the hash: names a token in the audit trail without revealing it.
    static func fingerprint(_ hash: Data) -> String {
        hash.prefix(4).map { hexDigits($0) }.joined()
    }

    private static func hexDigits(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}

extension AppDatabase {
    /// Issues a new token for officer `code` (admins only; audited) and returns it. This is the
    /// only time the token exists outside the officer's hands.
    public func issueToken(for code: String, actingOfficer: String?) throws -> String {
        try write { db in
            let actor = try Authorizer.require(db, officer: actingOfficer, for: .manageOfficers)
            guard let officer = try Officer.fetch(db, code: code) else {
                throw MekongError(.unknownReference, "unknown officer \(quoted(code)) (see `mekong officer list`)")
            }
            guard officer.active else {
                throw MekongError(.conflict, "officer \(code) is deactivated; activate them first (`mekong officer update \(code) --activate`)")
            }
            let token = OfficerToken.generate()
            let hash = OfficerToken.hash(token)
            let now = nowTimestamp()
            try db.execute(sql: "INSERT INTO officer_tokens (token_hash, officer, created_at, created_by) VALUES (?, ?, ?, ?)",
                           arguments: [hash, code, now, actor.code])
            try AuditLog.append(db, officer: actor.code, action: "token.issue", entity: "officer", key: code,
                                detail: .object(["fingerprint": .string(OfficerToken.fingerprint(hash))]), at: now)
            return token
        }
    }

    /// Revokes every live token of officer `code` (admins only; audited); returns how many.
    @discardableResult
    public func revokeTokens(for code: String, actingOfficer: String?) throws -> Int {
        try write { db in
            let actor = try Authorizer.require(db, officer: actingOfficer, for: .manageOfficers)
            guard try Officer.fetch(db, code: code) != nil else {
                throw MekongError(.unknownReference, "unknown officer \(quoted(code)) (see `mekong officer list`)")
            }
            let now = nowTimestamp()
            try db.execute(sql: "UPDATE officer_tokens SET revoked_at = ? WHERE officer = ? AND revoked_at IS NULL",
                           arguments: [now, code])
            let revoked = db.changesCount
            if revoked > 0 {
                try AuditLog.append(db, officer: actor.code, action: "token.revoke", entity: "officer", key: code,
                                    detail: .object(["revoked": .number(Double(revoked))]), at: now)
            }
            return revoked
        }
    }

    /// The active officer a live token belongs to, or nil (unknown, revoked, or the officer
    /// deactivated). Compared by hash lookup, so the token text itself is never stored or compared.
    public func officer(bearing token: String) throws -> Officer? {
        guard token.hasPrefix(OfficerToken.prefix), token.utf8.count == 68 else { return nil }
        return try readOne { db in
            try Row.fetchOne(db.cachedStatement(sql: """
                SELECT o.* FROM officer_tokens t JOIN officers o ON o.code = t.officer
                WHERE t.token_hash = ? AND t.revoked_at IS NULL AND o.active = 1
                """), arguments: [OfficerToken.hash(token)]).map(Officer.init(row:))
        }
    }
}
