import Foundation
import MekongCore

/// The reference data of one province: the files of SPEC section 5, read and checked.
///
/// The Chiang Rai set in `seeds/` is compiled into the binary (`builtIn`); `init --reference DIR`
/// reads another folder of the same files.
public struct ReferenceData: Sendable {
    public var province: Province
    public var districts: [District]
    public var checkpoints: [Checkpoint]
    public var agencies: [Agency]

    public static let fileNames = ["province.csv", "districts.csv", "checkpoints.csv", "agencies.csv"]

    /// The copy compiled into the binary from `seeds/`.
    public static func builtIn() throws(MekongError) -> ReferenceData {
        try parse(origin: "built-in reference data") { name in
            switch name {
            case "province.csv": String(decoding: PackageResources.province_csv, as: UTF8.self)
            case "districts.csv": String(decoding: PackageResources.districts_csv, as: UTF8.self)
            case "checkpoints.csv": String(decoding: PackageResources.checkpoints_csv, as: UTF8.self)
            default: String(decoding: PackageResources.agencies_csv, as: UTF8.self)
            }
        }
    }

    /// Reads the four files from a folder.
    public static func load(from folder: String) throws(MekongError) -> ReferenceData {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw MekongError(.inputMissing, "\(folder): no such folder (expected \(fileNames.joined(separator: ", ")))")
        }
        return try parse(origin: folder) { name throws(MekongError) in
            let path = (folder as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw MekongError(.inputMissing, "\(path): missing or unreadable")
            }
            guard let text = String(validating: data, as: UTF8.self) else {
                throw MekongError(.badData, "\(path): not UTF-8 text")
            }
            return text
        }
    }

    /// Parses and checks the four files, reporting every problem with file, line and field.
    static func parse(origin: String, read: (String) throws(MekongError) -> String) throws(MekongError) -> ReferenceData {
        var problems: [String] = []
        func table(_ name: String, _ columns: [String]) throws(MekongError) -> CSVTable? {
            let text = try read(name)
            do { return try CSVTable(text, required: columns) } catch {
                problems.append("\(name) \(error)")
                return nil
            }
        }
        func note(_ file: String, _ row: CSVRecord, _ field: String, _ message: String) {
            problems.append("\(file) line \(row.line), field \"\(field)\": \(message)")
        }

        // province.csv: exactly one row.
        var province: Province?
        if let csv = try table("province.csv", ["code", "name", "name_local", "country", "time_zone", "case_prefix"]) {
            if csv.rows.count != 1 {
                problems.append("province.csv: expected exactly one province row, found \(csv.rows.count)")
            } else {
                let row = csv.rows[0]
                let value = { (column: String) in csv.value(row, column) }
                if value("code").isEmpty { note("province.csv", row, "code", "code is required") }
                if value("name").isEmpty { note("province.csv", row, "name", "name is required") }
                if !isCountryCode(value("country")) { note("province.csv", row, "country", "expected a two-letter country code, got \(quoted(value("country")))") }
                if LocalCalendar(identifier: value("time_zone")) == nil { note("province.csv", row, "time_zone", "unknown time zone \(quoted(value("time_zone"))) (expected an IANA name such as Asia/Bangkok)") }
                let prefix = value("case_prefix")
                if !(1...8).contains(prefix.utf8.count) || !prefix.utf8.allSatisfy({ (65...90).contains($0) || (48...57).contains($0) }) {
                    note("province.csv", row, "case_prefix", "expected 1–8 upper-case letters or digits, got \(quoted(prefix))")
                }
                province = Province(code: value("code"), name: value("name"), nameLocal: value("name_local"),
                                    country: value("country"), timeZone: value("time_zone"), casePrefix: prefix)
            }
        }

        var districts: [District] = []
        if let csv = try table("districts.csv", ["code", "name", "name_local", "province", "country", "lat", "lon", "border"]) {
            var seen: Set<String> = []
            for row in csv.rows {
                let value = { (column: String) in csv.value(row, column) }
                let code = value("code")
                if code.isEmpty || code.utf8.count > 16 { note("districts.csv", row, "code", "expected a code of 1–16 characters") }
                if !seen.insert(code).inserted { note("districts.csv", row, "code", "district \(quoted(code)) appears twice") }
                if value("name").isEmpty { note("districts.csv", row, "name", "name is required") }
                if let province, value("province") != province.code {
                    note("districts.csv", row, "province", "\(quoted(value("province"))) is not the province of province.csv (\(province.code))")
                }
                if !isCountryCode(value("country")) { note("districts.csv", row, "country", "expected a two-letter country code, got \(quoted(value("country")))") }
                let border = value("border").isEmpty ? [] : value("border").split(separator: ";", omittingEmptySubsequences: false).map(String.init)
                if !border.allSatisfy(isCountryCode) { note("districts.csv", row, "border", "expected country codes separated by \";\" (LA;MM), got \(quoted(value("border")))") }
                let (lat, lon) = coordinates(value("lat"), value("lon")) { field, message in note("districts.csv", row, field, message) }
                districts.append(District(code: code, name: value("name"), nameLocal: value("name_local"),
                                          province: value("province"), country: value("country"),
                                          latitude: lat, longitude: lon, border: border, notes: value("notes")))
            }
            if districts.isEmpty { problems.append("districts.csv: no districts") }
        }
        let districtCodes = Set(districts.map(\.code))

        var checkpoints: [Checkpoint] = []
        if let csv = try table("checkpoints.csv", ["code", "name", "name_local", "kind", "district", "lat", "lon", "counterpart", "opens", "closes", "status"]) {
            var seen: Set<String> = []
            for row in csv.rows {
                let value = { (column: String) in csv.value(row, column) }
                let code = value("code")
                if !Checkpoint.isValidCode(code) { note("checkpoints.csv", row, "code", "expected 1–16 upper-case letters, digits or \"-\", starting with a letter, got \(quoted(code))") }
                if !seen.insert(code).inserted { note("checkpoints.csv", row, "code", "checkpoint \(quoted(code)) appears twice") }
                if value("name").isEmpty { note("checkpoints.csv", row, "name", "name is required") }
                var kind = CheckpointKind.permanent
                do { kind = try CheckpointKind.parse(value("kind"), field: "kind") } catch { note("checkpoints.csv", row, "kind", error.message) }
                var status = CheckpointStatus.active
                do { status = try CheckpointStatus.parse(value("status"), field: "status") } catch { note("checkpoints.csv", row, "status", error.message) }
                let district = value("district").isEmpty ? nil : value("district")
                if let district, !districtCodes.contains(district) { note("checkpoints.csv", row, "district", "unknown district code \(quoted(district))") }
                let opens = hours(value("opens"), "opens") { field, message in note("checkpoints.csv", row, field, message) }
                let closes = hours(value("closes"), "closes") { field, message in note("checkpoints.csv", row, field, message) }
                let (lat, lon) = coordinates(value("lat"), value("lon")) { field, message in note("checkpoints.csv", row, field, message) }
                checkpoints.append(Checkpoint(code: code, name: value("name"), nameLocal: value("name_local"), kind: kind,
                                              district: district, latitude: lat, longitude: lon,
                                              counterpart: value("counterpart"), opens: opens, closes: closes,
                                              status: status, notes: value("notes")))
            }
        }

        var agencies: [Agency] = []
        if let csv = try table("agencies.csv", ["code", "name", "kind", "district"]) {
            var seen: Set<String> = []
            for row in csv.rows {
                let value = { (column: String) in csv.value(row, column) }
                let code = value("code")
                if code.isEmpty || code.utf8.count > 32 { note("agencies.csv", row, "code", "expected a code of 1–32 characters") }
                if !seen.insert(code).inserted { note("agencies.csv", row, "code", "agency \(quoted(code)) appears twice") }
                if value("name").isEmpty { note("agencies.csv", row, "name", "name is required") }
                let district = value("district").isEmpty ? nil : value("district")
                if let district, !districtCodes.contains(district) { note("agencies.csv", row, "district", "unknown district code \(quoted(district))") }
                agencies.append(Agency(code: code, name: value("name"), kind: value("kind"), district: district))
            }
        }

        guard problems.isEmpty, let province else {
            let shown = problems.prefix(20).joined(separator: "\n")
            let more = problems.count > 20 ? "\n… and \(problems.count - 20) more problems" : ""
            throw MekongError(.badData, "\(origin): \(shown)\(more)")
        }
        return ReferenceData(province: province, districts: districts, checkpoints: checkpoints, agencies: agencies)
    }
}

private func isCountryCode(_ text: String) -> Bool {
    text.utf8.count == 2 && text.utf8.allSatisfy { (65...90).contains($0) }
}

private func coordinates(_ lat: String, _ lon: String, problem: (String, String) -> Void) -> (Double?, Double?) {
    if lat.isEmpty && lon.isEmpty { return (nil, nil) }
    guard let latitude = parseDecimal(lat), (-90...90).contains(latitude) else {
        problem("lat", lat.isEmpty ? "lat is missing: give both lat and lon, or neither" : "expected a latitude from -90 to 90, got \(quoted(lat))")
        return (nil, nil)
    }
    guard let longitude = parseDecimal(lon), (-180...180).contains(longitude) else {
        problem("lon", lon.isEmpty ? "lon is missing: give both lat and lon, or neither" : "expected a longitude from -180 to 180, got \(quoted(lon))")
        return (nil, nil)
    }
    return (latitude, longitude)
}

private func hours(_ text: String, _ field: String, problem: (String, String) -> Void) -> LocalTimeOfDay? {
    if text.isEmpty { return nil }
    guard let time = LocalTimeOfDay(text) else {
        problem(field, "expected a local time HH:MM, got \(quoted(text))")
        return nil
    }
    return time
}
